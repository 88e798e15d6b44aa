/*  zw_null_handshake.h — the NULL mechanism's handshake, as an event
    machine (zw_null_handshake.rl; grammar with a clause on every
    transition in zw_null_handshake_grammar.rl; diagram in make docs).

    start --START / send READY--> ready sent --READY / ask ZAP-->
    authenticating --no ZAP, or 200 / done--> over; a READY whose metadata
    the engine refuses gets ERROR, then the handshake fails, and so does a
    ZAP 400; any other command is out of its place.  ZAP is asked only by
    a socket with a ZAP domain (DECISIONS S3): the owner answers NO_HANDLER
    at once otherwise.  NULL has no
    roles that change the wire (zmtp31.null.roles): one machine for both.
    The mechanism (zw_mech_null.c) turns what the engine hands it into
    events, steps the machine, and runs the actions it returns, in the
    grammar's order, through its own table of functions.  The machine
    keeps no data: its whole state is cs.  */

#ifndef ZW_NULL_HANDSHAKE_H
#define ZW_NULL_HANDSHAKE_H

#include <stddef.h>
#include "zw_mechanism.h"

/* Events (explicit values: the grammar imports them, alphtype int). */
enum {
    ZW_NULL_START = 1,          /* the greetings are exchanged */
    ZW_NULL_READY = 2,          /* the peer's READY, its metadata accepted by the engine */
    ZW_NULL_READY_REFUSED = 3,  /* the peer's READY, its metadata refused (why: m->error) */
    ZW_NULL_OTHER = 4,          /* any other command */
    ZW_NULL_NO_HANDLER = 5,     /* no ZAP to ask: no handler, or no ZAP domain (DECISIONS S3) */
    ZW_NULL_ZAP_OK = 6,         /* the ZAP handler answered 200 */
    ZW_NULL_ZAP_DENIED = 7,     /* ... 400 */
    ZW_NULL_ZAP_UNAVAILABLE = 8 /* ... 300, 500, or a broken reply (DECISIONS S4, S5) */
};

/* Actions, run in the order the grammar lists them. */
typedef enum {
    ZW_NULL_SEND_READY = 1,     /* READY with our metadata (zmtp31.metadata.*) */
    ZW_NULL_ASK_ZAP,            /* a ZAP request, with no credentials (27/ZAP, NULL) */
    ZW_NULL_ACCEPT_USER,        /* the ZAP answer's user id becomes the peer's */
    ZW_NULL_REFUSE_ADDRESS,     /* the failure of a 400 */
    ZW_NULL_GIVE_UP,            /* the failure of a 300, 500 or broken handler */
    ZW_NULL_SEND_ERROR,         /* ERROR with the reason of the refusal */
    ZW_NULL_DONE,               /* the handshake is over */
    ZW_NULL_FAIL,               /* the handshake failed (why: m->error) */
    ZW_NULL_OUT_OF_PLACE        /* the handshake failed: a command out of its place */
} zw_null_action;


void zw_null_handshake_init (zw_handshake_machine *machine);

/*  Steps the machine by one event; writes the actions to run into
    actions[] (at most ZW_MECH_ACTIONS_MAX) and returns how many.  An
    event the state does not take gives ZW_NULL_OUT_OF_PLACE and leaves
    the machine in its error state.  */
size_t zw_null_handshake_step (zw_handshake_machine *machine, int event, int *actions);

#endif
