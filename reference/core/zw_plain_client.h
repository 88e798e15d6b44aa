/*  zw_plain_client.h — the PLAIN handshake's machine for the client role
    (its events and actions: zw_plain_handshake.h; its grammar:
    zw_plain_client_grammar.rl).  */

#ifndef ZW_PLAIN_CLIENT_H
#define ZW_PLAIN_CLIENT_H

#include "zw_plain_handshake.h"

void zw_plain_client_init (zw_handshake_machine *machine);

/*  Steps the machine by one event; writes the actions to run into
    actions[] (at most ZW_MECH_ACTIONS_MAX) and returns how many.  An
    event the state does not take gives ZW_PLAIN_OUT_OF_PLACE and leaves
    the machine in its error state.  */
size_t zw_plain_client_step (zw_handshake_machine *machine, int event, int *actions);

#endif
