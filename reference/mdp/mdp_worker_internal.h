/*  mdp_worker_internal.h — the record of the worker core, shared by its
    files: mdp_worker.c (input, answers, time) and mdp_worker_actions.c
    (the actions the session machine names).  Not an API.  */

#ifndef MDP_WORKER_INTERNAL_H
#define MDP_WORKER_INTERNAL_H

#include "mdp_worker.h"
#include "role_frames.h"
#include "mdp_worker_session.h"

struct mdp_worker {
    mdp_worker_config config;   /* its service is the copy below */
    mdp_worker_io io;
    mdp_worker_session session;
    char *service;              /* a copy of the name the configuration gave */
    role_frames *client;         /* one frame: the address of the request held (busy) */
    uint64_t request_id;        /* of the request held; 0: none */
    uint64_t last_id;           /* request ids handed out so far */
    int connected;              /* a socket is open: from connect to close */
    int waiting;                /* the reconnect delay runs until retry_at */
    uint64_t retry_at;
    uint64_t heard_at;          /* the last command from the broker */
    uint64_t sent_at;           /* the last command to it */
    mdp_worker_stats stats;
};

/* What the step being run is about: the message or the answer that caused it, if any. */
typedef struct {
    uint64_t now;
    int event;
    const zw_mdp_message *message;  /* from the broker */
    const zw_mdp_frame *frames;     /* ... its frames */
    const zw_error *error;          /* MDP_WS_INVALID */
    uint64_t id;                    /* an answer's request id */
    const zw_mdp_frame *body;       /* an answer's body */
    size_t body_count;
} mdp_worker_event;

/* mdp_worker.c */
void mdp_worker_log (mdp_worker *worker, const char *format, ...)
    __attribute__ ((format (printf, 2, 3)));

/* mdp_worker_actions.c: steps the machine and runs its actions in order. */
void mdp_worker_run (mdp_worker *worker, const mdp_worker_event *event);

#endif
