/*  mdp_worker.h — the Majordomo worker's I/O-free core: 7/MDP 0.1 or
    18/MDP 0.2, one version per worker, one service.

    What the broker sends, the application's answers and the time go in;
    commands to send, socket orders (close, reconnect), requests for the
    application, log lines and the next deadline come out.  The core owns
    no socket and no clock, so the unit tests drive it with a fake clock,
    and the shell (mdp_worker_shell.c) is a DEALER socket and a timer
    around it.

    What it does, with the choices of spec/DECISIONS.md: READY once per
    connection (mdp01.worker.single-ready); a HEARTBEAT whenever an interval
    has passed with no command sent, busy or not (M2, M4, M2-3, M2-5); the
    broker gone after liveness x interval with no command from it (M3,
    M2-4); on that, or on its DISCONNECT, the socket closed at once, nothing
    more sent (M13, M2-18), and after the reconnect delay a new socket and
    READY again (M14); one request at a time, a REQUEST while busy logged
    and ignored (M2-19); every request answered by exactly one REPLY (0.1)
    or FINAL (0.2), PARTIALs before it in 0.2 (M2-16), naming the client
    the REQUEST named (M2-11).  Malformed or unexpected traffic from the
    broker is logged with its clause and survived.  The session is the
    machine of mdp_worker_session.h.  */

#ifndef MDP_WORKER_H
#define MDP_WORKER_H

#include <stddef.h>
#include <stdint.h>
#include "mdp_message.h"

typedef struct {
    zw_mdp_version version;     /* ZW_MDP_V01 or ZW_MDP_V02 (ZW_MDP_V02) */
    const char *service;        /* 1+ octets of 0x20..0x7E (M9, M2-14); copied.  No default */
    uint64_t heartbeat_ms;      /* interval of heartbeats both ways (2500: M3, M2-4) */
    unsigned liveness;          /* silent intervals before the broker is gone (3) */
    uint64_t reconnect_ms;      /* delay before a new socket after a loss (2500: M14) */
} mdp_worker_config;

void mdp_worker_config_default (mdp_worker_config *config);

/*  What the core does to the world.
    send: one message to the broker, its frames head then body.
    close: close the socket now (mdp01.disconnect.worker-close).
    reconnect: open a new socket (close the old one if still open) and
      connect it: a new connection (mdp01.disconnect.worker-reconnect); the
      core sends READY on it as soon as reconnect returns.  The first start
      calls it too, with no socket yet.
    request: a request for the application, which answers it, now or
      later, with mdp_worker_partial / mdp_worker_reply and the same id.
      body is valid during the call only.  It may answer inside the call.
    log: one line, naming, for a violation, the clause (may be NULL).  */
typedef struct {
    void (*send) (void *arg, const zw_mdp_frame *head, size_t head_count,
                  const zw_mdp_frame *body, size_t body_count);
    void (*close) (void *arg);
    void (*reconnect) (void *arg);
    void (*request) (void *arg, uint64_t id, const zw_mdp_frame *body, size_t body_count);
    void (*log) (void *arg, const char *line);
    void *arg;
} mdp_worker_io;

typedef struct mdp_worker mdp_worker;

/*  A new worker, not started; NULL with errno EINVAL (no send, close,
    reconnect or request function; a version or service name that is not
    one) or ENOMEM.  A liveness of 0 counts as 1.  */
mdp_worker *mdp_worker_new (const mdp_worker_config *config, const mdp_worker_io *io);

/* Frees everything; sends nothing and closes nothing (see mdp_worker_stop). */
void mdp_worker_destroy (mdp_worker *worker);

/* Starts: reconnect, then READY (mdp01.grammar.ready).  Once. */
void mdp_worker_start (mdp_worker *worker, uint64_t now);

/* One message from the broker, as the DEALER received it.  Nothing is kept of it but a client address. */
void mdp_worker_input (mdp_worker *worker, uint64_t now, const zw_mdp_frame *frames, size_t count);

/*  The application's answer to request id: PARTIAL (0.2 only) or the
    REPLY / FINAL that ends it.  An empty body is sent as one empty frame
    (every layout has one: M11, M2-15).  Returns 0 once handed to send; -1
    with errno ESTALE if the worker no longer holds request id (its
    connection was lost, or it is answered: dropped and logged), ENOTSUP
    for a PARTIAL in 0.1.  */
int mdp_worker_partial (mdp_worker *worker, uint64_t now, uint64_t id,
                        const zw_mdp_frame *body, size_t body_count);
int mdp_worker_reply (mdp_worker *worker, uint64_t now, uint64_t id,
                      const zw_mdp_frame *body, size_t body_count);

/*  Runs what is due at now (a heartbeat, the broker expired, the end of
    the reconnect delay) and returns the next deadline, an absolute time
    in the same clock (UINT64_MAX: none).  Call it after every input and
    answer too: they move the deadlines.  */
uint64_t mdp_worker_tick (mdp_worker *worker, uint64_t now);

/*  Stops: DISCONNECT if a socket is open (mdp01.disconnect.worker-any-time),
    then close; a request held is dropped (the broker gives it to another
    worker: M8).  Nothing happens afterwards.  */
void mdp_worker_stop (mdp_worker *worker, uint64_t now);

typedef struct {
    uint64_t connections;       /* sockets opened (1 + reconnects) */
    uint64_t requests;          /* requests handed to the application */
    uint64_t replies;           /* REPLY / FINAL sent */
    uint64_t partials;          /* PARTIAL sent */
    uint64_t heartbeats;        /* HEARTBEAT sent */
    uint64_t lost;              /* requests lost with their connection */
    uint64_t ignored;           /* REQUEST while busy (M2-19) */
    uint64_t unexpected;        /* well-formed commands a broker never sends a worker */
    uint64_t invalid;           /* malformed messages dropped */
    uint64_t stale;             /* answers to requests no longer held, dropped */
} mdp_worker_stats;

void mdp_worker_get_stats (const mdp_worker *worker, mdp_worker_stats *stats);

/* 1 while the worker holds a request. */
int mdp_worker_busy (const mdp_worker *worker);

#endif
