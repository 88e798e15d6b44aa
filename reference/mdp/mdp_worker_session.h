/*  mdp_worker_session.h — a Majordomo worker's own session, as an event
    machine (mdp_worker_session.rl; grammar with a clause on every
    transition in mdp_worker_session_grammar.rl; diagram in make docs).

    start --START--> idle <--> busy; on DISCONNECT from the broker, or
    liveness x interval of its silence, the socket closes and the worker
    waits the reconnect delay (waiting), then START again: a new socket,
    READY again (mdp01.disconnect.worker-reconnect,
    mdp01.heartbeat.worker-restart, DECISIONS M14); STOP ends it.  The
    worker core (mdp_worker.c) turns what the broker sends, what the
    application answers and what its clock sees into events, steps the
    machine, and runs the actions it returns, in the grammar's order,
    through its own table of functions.  The machine keeps no data: its
    whole state is cs.  */

#ifndef MDP_WORKER_SESSION_H
#define MDP_WORKER_SESSION_H

#include <stddef.h>

/* Events (explicit values: the grammar imports them, alphtype int). */
enum {
    MDP_WS_START = 1,           /* the first start, or the reconnect delay is over */
    MDP_WS_REQUEST = 2,         /* a REQUEST from the broker */
    MDP_WS_HEARTBEAT = 3,       /* a HEARTBEAT from the broker */
    MDP_WS_DISCONNECT = 4,      /* a DISCONNECT from the broker */
    MDP_WS_UNEXPECTED = 5,      /* a well-formed command the broker never sends a worker */
    MDP_WS_INVALID = 6,         /* a malformed message from the broker */
    MDP_WS_PARTIAL = 7,         /* the application's PARTIAL for the request it holds (0.2) */
    MDP_WS_REPLY = 8,           /* the application's REPLY (0.1) or FINAL (0.2) for it */
    MDP_WS_STALE = 9,           /* an answer to a request the worker no longer holds */
    MDP_WS_PULSE = 10,          /* an interval has passed with no command sent: heartbeat due */
    MDP_WS_EXPIRED = 11,        /* liveness x interval with nothing from the broker */
    MDP_WS_STOP = 12            /* the application stops the worker */
};

/* Actions, run in the order the grammar lists them. */
typedef enum {
    MDP_WSA_CONNECT = 1,        /* a new socket, connected (the shell's reconnect) */
    MDP_WSA_SEND_READY,
    MDP_WSA_TAKE_REQUEST,       /* keep its client address; hand its body to the application */
    MDP_WSA_SEND_PARTIAL,
    MDP_WSA_SEND_REPLY,         /* REPLY or FINAL: the request ends */
    MDP_WSA_SEND_HEARTBEAT,
    MDP_WSA_SEND_DISCONNECT,
    MDP_WSA_DROP_REQUEST,       /* the request held is lost with its connection */
    MDP_WSA_CLOSE,              /* the socket closes now */
    MDP_WSA_WAIT,               /* the reconnect delay starts */
    MDP_WSA_LOG_DISCONNECT,
    MDP_WSA_LOG_EXPIRED,
    MDP_WSA_LOG_BUSY,           /* a REQUEST while busy, ignored (DECISIONS M2-19) */
    MDP_WSA_LOG_UNEXPECTED,     /* with its clause */
    MDP_WSA_LOG_INVALID,        /* with its clause */
    MDP_WSA_LOG_STALE
} mdp_worker_session_action;

#define MDP_WS_ACTIONS_MAX 8

typedef struct {
    int cs;
} mdp_worker_session;

void mdp_worker_session_init (mdp_worker_session *session);

/*  Steps the machine by one event; writes the actions to run into
    actions[] (at most MDP_WS_ACTIONS_MAX) and returns how many.  An event
    the state does not take returns 0 and changes nothing.  */
size_t mdp_worker_session_step (mdp_worker_session *session, int event,
                                mdp_worker_session_action *actions);

/* 1 once the machine has taken STOP. */
int mdp_worker_session_stopped (const mdp_worker_session *session);

#endif
