/*  zw_curve_client.rl — the CURVE mechanism's handshake, client side
    (zw_curve_handshake.h).

    An event machine: alphtype int, one event per step, the events
    imported from zw_curve_handshake.h.  Each action appends its code to
    the step's list, so the mechanism runs them in the order the grammar
    names them.  */

#include "zw_curve_client.h"

%%{
    machine zw_curve_client;
    alphtype int;
    access machine->;
    import "zw_curve_handshake.h";

    action send_hello    { actions[n++] = ZW_CURVE_SEND_HELLO; }
    action send_initiate { actions[n++] = ZW_CURVE_SEND_INITIATE; }
    action refuse_role   { actions[n++] = ZW_CURVE_REFUSE_ROLE; }
    action done          { actions[n++] = ZW_CURVE_DONE; }
    action fail          { actions[n++] = ZW_CURVE_FAIL; }
    action out_of_place  { actions[n++] = ZW_CURVE_OUT_OF_PLACE; }

    include "zw_curve_client_grammar.rl";
}%%

%% write data;

void
zw_curve_client_init (zw_handshake_machine *machine)
{
    %% write init;
}

size_t
zw_curve_client_step (zw_handshake_machine *machine, int event, int *actions)
{
    size_t n = 0;
    const int *p = &event, *pe = p + 1, *eof = NULL;
    (void) eof;
    %% write exec;
    return n;
}
