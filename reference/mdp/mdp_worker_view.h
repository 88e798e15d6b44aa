/*  mdp_worker_view.h — the broker's view of one worker, as an event
    machine (mdp_worker_view.rl; grammar with a clause on every transition
    in mdp_worker_view_grammar.rl; diagram in make docs).

    connected --READY--> idle <--> busy --> gone (expired, disconnected,
    refused).  The broker core (mdp_broker.c) turns what a worker sends
    and what its clock sees into events, steps the machine, and runs the
    actions it returns, in the grammar's order, through its own table of
    functions.  The machine keeps no data: its whole state is cs.  */

#ifndef MDP_WORKER_VIEW_H
#define MDP_WORKER_VIEW_H

#include <stddef.h>

/* Events (explicit values: the grammar imports them, alphtype int). */
enum {
    MDP_WV_READY = 1,           /* a READY naming an ordinary service */
    MDP_WV_READY_RESERVED = 2,  /* a READY naming an mmi. service (mmi.namespace.worker-disconnect) */
    MDP_WV_HEARTBEAT = 3,
    MDP_WV_PARTIAL = 4,         /* 0.2 PARTIAL for the outstanding request's client */
    MDP_WV_REPLY = 5,           /* 0.1 REPLY or 0.2 FINAL for the outstanding request's client */
    MDP_WV_STRAY_REPLY = 6,     /* REPLY, PARTIAL or FINAL naming another client, or none outstanding */
    MDP_WV_REQUEST = 7,         /* a worker sent REQUEST, a broker-to-worker command */
    MDP_WV_DISCONNECT = 8,      /* the worker's DISCONNECT */
    MDP_WV_INVALID = 9,         /* a malformed message from this worker */
    MDP_WV_DISPATCH = 10,       /* the broker gives it a request */
    MDP_WV_EXPIRED = 11,        /* liveness x interval of silence; or, gone, its memory ends */
    MDP_WV_SHUTDOWN = 12        /* the broker stops */
};

/* Actions, run in the order the grammar lists them. */
typedef enum {
    MDP_WA_REGISTER = 1,        /* into its service, idle (least recently used last) */
    MDP_WA_UNREGISTER,          /* out of its service; it stops counting for MMI */
    MDP_WA_SEND_REQUEST,        /* the dispatched request, as the worker's version frames it */
    MDP_WA_FORWARD_PARTIAL,     /* to the client (a 0.1 client gets none: DECISIONS M2-1) */
    MDP_WA_DELIVER_REPLY,       /* to the client, as REPLY or FINAL */
    MDP_WA_IDLE,                /* back to the end of its service's free list */
    MDP_WA_REQUEUE,             /* its request to the head of the queue (M8, M2-8) */
    MDP_WA_SEND_DISCONNECT,
    MDP_WA_LOG_UNEXPECTED,      /* a valid but unexpected command, with its clause */
    MDP_WA_LOG_INVALID,         /* a malformed message, with its clause */
    MDP_WA_LOG_EXPIRED,
    MDP_WA_REMEMBER,            /* keep the identity, silent, for one expiry (M2-17) */
    MDP_WA_FORGET               /* the record goes */
} mdp_worker_action;

#define MDP_WV_ACTIONS_MAX 8

typedef struct {
    int cs;
} mdp_worker_view;

void mdp_worker_view_init (mdp_worker_view *view);

/*  Steps the machine by one event; writes the actions to run into
    actions[] (at most MDP_WV_ACTIONS_MAX) and returns how many.  An event
    the state does not take returns 0 and changes nothing (the core never
    sends one: every state names every event it can be given).  */
size_t mdp_worker_view_step (mdp_worker_view *view, int event, mdp_worker_action *actions);

/* 1 once the machine has said FORGET: the record may go. */
int mdp_worker_view_forgotten (const mdp_worker_view *view);

#endif
