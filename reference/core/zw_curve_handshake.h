/*  zw_curve_handshake.h — the CURVE mechanism's handshake (25/ZMTP-CURVE,
    26/CurveZMQ), as two event machines, one per role: zw_curve_client.rl
    and zw_curve_server.rl (grammars with a clause on every transition in
    zw_curve_client_grammar.rl and zw_curve_server_grammar.rl; diagrams in
    make docs).

    client: start --START / send HELLO--> hello sent --WELCOME / send
            INITIATE--> initiate sent --READY / done--> over
    server: start --START--> waiting --HELLO / send WELCOME--> welcome sent
            --INITIATE / ask ZAP--> authenticating --ZAP 200 or no handler /
            accept the key, send READY, done--> over

    The boxes are zw_curvezmq.h's; the mechanism (zw_mech_curve.c) opens
    each command before it steps the machine, so the event says whether
    it opened (WELCOME or WELCOME_BAD, ...).  As PLAIN's, an action can
    lead to a further event (no ZAP handler: NO_HANDLER).  */

#ifndef ZW_CURVE_HANDSHAKE_H
#define ZW_CURVE_HANDSHAKE_H

#include <stddef.h>
#include "zw_mechanism.h"

/* Events of both roles (explicit values: the grammars import them, alphtype int). */
enum {
    ZW_CURVE_START = 1,             /* the greetings are exchanged */
    ZW_CURVE_SAME_ROLE = 2,         /* ... and the peer announced our own role (DECISIONS S6) */
    ZW_CURVE_HELLO = 3,             /* server: HELLO, its signature box opened */
    ZW_CURVE_HELLO_BAD = 4,         /* server: HELLO that does not open (why: m->error) */
    ZW_CURVE_WELCOME = 5,           /* client: WELCOME, its box opened with S */
    ZW_CURVE_WELCOME_BAD = 6,       /* client: WELCOME that does not open: wrong server key? */
    ZW_CURVE_INITIATE = 7,          /* server: INITIATE opened, its metadata accepted */
    ZW_CURVE_INITIATE_BAD = 8,      /* server: INITIATE whose cookie, box or vouch fails */
    ZW_CURVE_INITIATE_REFUSED = 9,  /* server: INITIATE opened, its metadata refused */
    ZW_CURVE_READY = 10,            /* client: READY opened, its metadata accepted */
    ZW_CURVE_READY_BAD = 11,        /* client: READY that does not open */
    ZW_CURVE_READY_REFUSED = 12,    /* client: READY opened, its metadata refused */
    ZW_CURVE_NO_HANDLER = 13,       /* server: the context has no ZAP handler (DECISIONS S5) */
    ZW_CURVE_ZAP_OK = 14,           /* server: the handler answered 200 */
    ZW_CURVE_ZAP_DENIED = 15,       /* server: the handler answered 400 */
    ZW_CURVE_ZAP_UNAVAILABLE = 16,  /* server: 300, 500, or a broken reply (DECISIONS S4, S5) */
    ZW_CURVE_OTHER = 17             /* any other command */
};

/* Actions of both roles, run in the order the grammar lists them. */
typedef enum {
    ZW_CURVE_SEND_HELLO = 1,        /* client: HELLO */
    ZW_CURVE_SEND_INITIATE,         /* client: INITIATE with the vouch and our metadata */
    ZW_CURVE_SEND_WELCOME,          /* server: WELCOME with a fresh cookie */
    ZW_CURVE_ASK_ZAP,               /* server: a ZAP request with the client key C */
    ZW_CURVE_ACCEPT_KEY,            /* server: C, and ZAP's user id, become the peer's */
    ZW_CURVE_SEND_READY,            /* server: READY with our metadata */
    ZW_CURVE_SEND_ERROR,            /* server: ERROR with the reason recorded in m->error */
    ZW_CURVE_REFUSE_ROLE,           /* both: the failure of two peers in one role (S6) */
    ZW_CURVE_REFUSE_KEY,            /* server: the failure of a 400 */
    ZW_CURVE_GIVE_UP,               /* server: the failure of a 300, 500 or broken handler */
    ZW_CURVE_DONE,                  /* the handshake is over */
    ZW_CURVE_FAIL,                  /* the handshake failed (why: m->error) */
    ZW_CURVE_OUT_OF_PLACE           /* the handshake failed: a command out of its place */
} zw_curve_action;


#endif
