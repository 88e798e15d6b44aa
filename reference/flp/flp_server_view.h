/*  flp_server_view.h — a Freelance client's view of one server, as an
    event machine (flp_server_view.rl; grammar with a clause on every
    transition in flp_server_view_grammar.rl; diagram in make docs).

    unknown --HEARD--> live --SILENT|LOST--> gone --HEARD--> live.  A
    server is live from a PONG (or a reply) until liveness ping intervals
    pass without a word from it (flp.client.server-disconnected, DECISIONS
    F6, F17), or its connection is lost (F18); before its first word it is
    not live.  It is pinged every ping
    interval whatever its state (flp.client.ping-interval), and once more
    as soon as its connection is up (DECISIONS F13).  The client core
    (flp_client.c) turns what the server sends, its connection and the
    clock into events, steps the machine, and runs the actions it returns,
    in the grammar's order, through its own table of functions.  The
    machine keeps no data: its whole state is cs.  */

#ifndef FLP_SERVER_VIEW_H
#define FLP_SERVER_VIEW_H

#include <stddef.h>

/* Events (explicit values: the grammar imports them, alphtype int). */
enum {
    FLP_SV_HEARD = 1,           /* a PONG, or a reply (whatever its CCF), from this server */
    FLP_SV_SILENT = 2,          /* liveness x ping interval since the last word from it */
    FLP_SV_PING_DUE = 3,        /* the client's ping interval came round */
    FLP_SV_CONNECTED = 4,       /* its connection is up (the handshake is over) */
    FLP_SV_LOST = 5             /* its connection was lost (closed, reset: DECISIONS F18) */
};

/* Actions, run in the order the grammar lists them. */
typedef enum {
    FLP_SA_HEAR = 1,            /* note the time: its silence counts from now */
    FLP_SA_UP,                  /* it counts as live: requests may go to it */
    FLP_SA_DOWN,                /* it no longer counts as live */
    FLP_SA_PING,                /* a PING to it */
    FLP_SA_OFFER,               /* tell the request: a server is live (it may be waiting for one) */
    FLP_SA_LOG_LIVE,
    FLP_SA_LOG_GONE,            /* gone by silence */
    FLP_SA_LOG_LOST             /* gone with its connection */
} flp_server_action;

#define FLP_SV_ACTIONS_MAX 4

typedef struct {
    int cs;
} flp_server_view;

void flp_server_view_init (flp_server_view *view);

/*  Steps the machine by one event; writes the actions to run into
    actions[] (at most FLP_SV_ACTIONS_MAX) and returns how many.  An event
    the state does not take returns 0 and changes nothing (the core never
    gives one: every state names every event it can be given).  */
size_t flp_server_view_step (flp_server_view *view, int event, flp_server_action *actions);

#endif
