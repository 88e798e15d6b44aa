/*  zw_null_handshake.rl — the NULL mechanism's handshake (zw_null_handshake.h).

    An event machine: alphtype int, one event per step, the events
    imported from zw_null_handshake.h.  Each action appends its code to
    the step's list, so the mechanism runs them in the order the grammar
    names them.  */

#include "zw_null_handshake.h"

%%{
    machine zw_null_handshake;
    alphtype int;
    access machine->;
    import "zw_null_handshake.h";

    action send_ready     { actions[n++] = ZW_NULL_SEND_READY; }
    action ask_zap        { actions[n++] = ZW_NULL_ASK_ZAP; }
    action accept_user    { actions[n++] = ZW_NULL_ACCEPT_USER; }
    action refuse_address { actions[n++] = ZW_NULL_REFUSE_ADDRESS; }
    action give_up        { actions[n++] = ZW_NULL_GIVE_UP; }
    action send_error    { actions[n++] = ZW_NULL_SEND_ERROR; }
    action done          { actions[n++] = ZW_NULL_DONE; }
    action fail          { actions[n++] = ZW_NULL_FAIL; }
    action out_of_place  { actions[n++] = ZW_NULL_OUT_OF_PLACE; }

    include "zw_null_handshake_grammar.rl";
}%%

%% write data;

void
zw_null_handshake_init (zw_handshake_machine *machine)
{
    %% write init;
}

size_t
zw_null_handshake_step (zw_handshake_machine *machine, int event, int *actions)
{
    size_t n = 0;
    const int *p = &event, *pe = p + 1, *eof = NULL;
    (void) eof;
    %% write exec;
    return n;
}
