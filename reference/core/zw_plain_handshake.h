/*  zw_plain_handshake.h — the PLAIN mechanism's handshake (24/ZMTP-PLAIN),
    as two event machines, one per role: zw_plain_client.rl and
    zw_plain_server.rl (grammars with a clause on every transition in
    zw_plain_client_grammar.rl and zw_plain_server_grammar.rl; diagrams in
    make docs).

    client: start --START / send HELLO--> hello sent --WELCOME / send
            INITIATE--> initiate sent --READY / done--> over
    server: start --START--> waiting --HELLO / ask ZAP--> authenticating
            --ZAP 200 or no handler / send WELCOME--> welcome sent
            --INITIATE / send READY, done--> over

    The mechanism (zw_mech_plain.c) turns what the engine hands it into
    events, steps the machine, and runs the actions it returns, in the
    grammar's order, through its own table of functions.  One action can
    lead to a further event (asking ZAP finds no handler: NO_HANDLER),
    which the mechanism steps next.  The machines keep no data: their
    whole state is cs.  */

#ifndef ZW_PLAIN_HANDSHAKE_H
#define ZW_PLAIN_HANDSHAKE_H

#include <stddef.h>
#include "zw_mechanism.h"

/* Events of both roles (explicit values: the grammars import them, alphtype int). */
enum {
    ZW_PLAIN_START = 1,             /* the greetings are exchanged */
    ZW_PLAIN_SAME_ROLE = 2,         /* ... and the peer announced our own role (DECISIONS S6) */
    ZW_PLAIN_HELLO = 3,             /* server: the client's HELLO */
    ZW_PLAIN_WELCOME = 4,           /* client: the server's WELCOME */
    ZW_PLAIN_INITIATE = 5,          /* server: INITIATE, its metadata accepted by the engine */
    ZW_PLAIN_INITIATE_REFUSED = 6,  /* server: INITIATE, its metadata refused (why: m->error) */
    ZW_PLAIN_READY = 7,             /* client: READY, its metadata accepted */
    ZW_PLAIN_READY_REFUSED = 8,     /* client: READY, its metadata refused (why: m->error) */
    ZW_PLAIN_NO_HANDLER = 9,        /* server: the context has no ZAP handler (DECISIONS S5) */
    ZW_PLAIN_ZAP_OK = 10,           /* server: the handler answered 200 */
    ZW_PLAIN_ZAP_DENIED = 11,       /* server: the handler answered 400 */
    ZW_PLAIN_ZAP_UNAVAILABLE = 12,  /* server: 300, 500, or a broken reply (DECISIONS S4, S5) */
    ZW_PLAIN_OTHER = 13             /* any other command */
};

/* Actions of both roles, run in the order the grammar lists them. */
typedef enum {
    ZW_PLAIN_SEND_HELLO = 1,        /* client: HELLO with our credentials */
    ZW_PLAIN_SEND_INITIATE,         /* client: INITIATE with our metadata */
    ZW_PLAIN_ASK_ZAP,               /* server: a ZAP request with the HELLO's credentials */
    ZW_PLAIN_ACCEPT_USER,           /* server: the user id is the ZAP answer's, or the name */
    ZW_PLAIN_SEND_WELCOME,          /* server: WELCOME */
    ZW_PLAIN_SEND_READY,            /* server: READY with our metadata */
    ZW_PLAIN_SEND_ERROR,            /* server: ERROR with the reason recorded in m->error */
    ZW_PLAIN_REFUSE_ROLE,           /* both: the failure of two peers in one role (S6) */
    ZW_PLAIN_REFUSE_CREDENTIALS,    /* server: the failure of a 400 */
    ZW_PLAIN_GIVE_UP,               /* server: the failure of a 300, 500 or broken handler */
    ZW_PLAIN_DONE,                  /* the handshake is over */
    ZW_PLAIN_FAIL,                  /* the handshake failed (why: m->error) */
    ZW_PLAIN_OUT_OF_PLACE           /* the handshake failed: a command out of its place */
} zw_plain_action;


#endif
