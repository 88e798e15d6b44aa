/*  zw_curve_server.rl — the CURVE mechanism's handshake, server side
    (zw_curve_handshake.h).

    An event machine: alphtype int, one event per step, the events
    imported from zw_curve_handshake.h.  Each action appends its code to
    the step's list, so the mechanism runs them in the order the grammar
    names them.  */

#include "zw_curve_server.h"

%%{
    machine zw_curve_server;
    alphtype int;
    access machine->;
    import "zw_curve_handshake.h";

    action send_welcome { actions[n++] = ZW_CURVE_SEND_WELCOME; }
    action ask_zap      { actions[n++] = ZW_CURVE_ASK_ZAP; }
    action accept_key   { actions[n++] = ZW_CURVE_ACCEPT_KEY; }
    action send_ready   { actions[n++] = ZW_CURVE_SEND_READY; }
    action send_error   { actions[n++] = ZW_CURVE_SEND_ERROR; }
    action refuse_role  { actions[n++] = ZW_CURVE_REFUSE_ROLE; }
    action refuse_key   { actions[n++] = ZW_CURVE_REFUSE_KEY; }
    action give_up      { actions[n++] = ZW_CURVE_GIVE_UP; }
    action done         { actions[n++] = ZW_CURVE_DONE; }
    action fail         { actions[n++] = ZW_CURVE_FAIL; }
    action out_of_place { actions[n++] = ZW_CURVE_OUT_OF_PLACE; }

    include "zw_curve_server_grammar.rl";
}%%

%% write data;

void
zw_curve_server_init (zw_handshake_machine *machine)
{
    %% write init;
}

size_t
zw_curve_server_step (zw_handshake_machine *machine, int event, int *actions)
{
    size_t n = 0;
    const int *p = &event, *pe = p + 1, *eof = NULL;
    (void) eof;
    %% write exec;
    return n;
}
