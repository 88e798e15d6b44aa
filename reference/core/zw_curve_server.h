/*  zw_curve_server.h — the CURVE handshake's machine for the server role
    (its events and actions: zw_curve_handshake.h; its grammar:
    zw_curve_server_grammar.rl).  */

#ifndef ZW_CURVE_SERVER_H
#define ZW_CURVE_SERVER_H

#include "zw_curve_handshake.h"

void zw_curve_server_init (zw_handshake_machine *machine);

/*  Steps the machine by one event; writes the actions to run into
    actions[] (at most ZW_MECH_ACTIONS_MAX) and returns how many.  An
    event the state does not take gives ZW_CURVE_OUT_OF_PLACE and leaves
    the machine in its error state.  */
size_t zw_curve_server_step (zw_handshake_machine *machine, int event, int *actions);

#endif
