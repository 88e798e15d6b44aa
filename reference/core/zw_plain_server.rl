/*  zw_plain_server.rl — the PLAIN mechanism's handshake, server side
    (zw_plain_handshake.h).

    An event machine: alphtype int, one event per step, the events
    imported from zw_plain_handshake.h.  Each action appends its code to
    the step's list, so the mechanism runs them in the order the grammar
    names them.  */

#include "zw_plain_server.h"

%%{
    machine zw_plain_server;
    alphtype int;
    access machine->;
    import "zw_plain_handshake.h";

    action ask_zap            { actions[n++] = ZW_PLAIN_ASK_ZAP; }
    action accept_user        { actions[n++] = ZW_PLAIN_ACCEPT_USER; }
    action send_welcome       { actions[n++] = ZW_PLAIN_SEND_WELCOME; }
    action send_ready         { actions[n++] = ZW_PLAIN_SEND_READY; }
    action send_error         { actions[n++] = ZW_PLAIN_SEND_ERROR; }
    action refuse_role        { actions[n++] = ZW_PLAIN_REFUSE_ROLE; }
    action refuse_credentials { actions[n++] = ZW_PLAIN_REFUSE_CREDENTIALS; }
    action give_up            { actions[n++] = ZW_PLAIN_GIVE_UP; }
    action done               { actions[n++] = ZW_PLAIN_DONE; }
    action fail               { actions[n++] = ZW_PLAIN_FAIL; }
    action out_of_place       { actions[n++] = ZW_PLAIN_OUT_OF_PLACE; }

    include "zw_plain_server_grammar.rl";
}%%

%% write data;

void
zw_plain_server_init (zw_handshake_machine *machine)
{
    %% write init;
}

size_t
zw_plain_server_step (zw_handshake_machine *machine, int event, int *actions)
{
    size_t n = 0;
    const int *p = &event, *pe = p + 1, *eof = NULL;
    (void) eof;
    %% write exec;
    return n;
}
