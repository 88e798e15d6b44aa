/*  mdp_broker.h — the Majordomo broker's I/O-free core: 7/MDP 0.1 and
    18/MDP 0.2 at once, with 8/MMI.

    Messages and the time go in; messages to send, log lines and the next
    deadline come out.  The core owns no socket and no clock, so the unit
    tests and the fuzzer drive it with a fake clock, and the shell
    (mdp_broker_shell.c) is a ROUTER socket and a timer around it.

    What it does, with the choices of spec/DECISIONS.md (M1..M20,
    M2-1..M2-20): one queue per service, whatever the version of its
    workers, translated per request (M2-1); the least recently used free
    worker gets the next request (M17); heartbeats to every registered
    worker, busy ones too, and expiry after liveness x interval of silence
    (M2, M3); requests for a service with no worker held for
    request_expiry_ms, then dropped (M1); bounded queues (M15); mmi.service
    answered 200 / 404 and other mmi. names 501 (M18, M19); a worker
    registering an mmi. service disconnected (M5).  Each worker's life is
    the machine of mdp_worker_view.h.  */

#ifndef MDP_BROKER_H
#define MDP_BROKER_H

#include <stddef.h>
#include <stdint.h>
#include "mdp_message.h"

typedef struct {
    uint64_t heartbeat_ms;      /* interval of heartbeats both ways (2500) */
    unsigned liveness;          /* silent intervals before a worker is gone (3) */
    uint64_t request_expiry_ms; /* how long a request waits for a service with no worker (7500) */
    size_t queue_limit;         /* requests queued per service (1024) */
    size_t total_limit;         /* requests queued in all (65536) */
} mdp_broker_config;

void mdp_broker_config_default (mdp_broker_config *config);

/*  What the core does to the world.  send: one message to the peer whose
    ROUTER identity is identity, its frames head then body.  log: one line,
    naming the peer and, for a violation, the clause.  */
typedef struct {
    void (*send) (void *arg, const zw_mdp_frame *identity, const zw_mdp_frame *head, size_t head_count,
                  const zw_mdp_frame *body, size_t body_count);
    void (*log) (void *arg, const char *line);
    void *arg;
} mdp_broker_io;

typedef struct mdp_broker mdp_broker;

/* A new broker, or NULL (out of memory). */
mdp_broker *mdp_broker_new (const mdp_broker_config *config, const mdp_broker_io *io);

/* Frees everything; sends nothing (see mdp_broker_shutdown). */
void mdp_broker_destroy (mdp_broker *broker);

/*  One message from a peer: identity is the frame the ROUTER socket put
    first, frames the rest.  The core copies what it keeps.  */
void mdp_broker_input (mdp_broker *broker, uint64_t now, const zw_mdp_frame *identity,
                       const zw_mdp_frame *frames, size_t count);

/*  Runs what is due at now (heartbeats, expiries) and returns the next
    deadline, an absolute time in the same clock (UINT64_MAX: none).  Call
    it after every input too: an input can move the deadline earlier.  */
uint64_t mdp_broker_tick (mdp_broker *broker, uint64_t now);

/* An orderly stop: DISCONNECT to every registered worker (M16). */
void mdp_broker_shutdown (mdp_broker *broker, uint64_t now);

typedef struct {
    size_t workers;             /* registered now */
    size_t records;             /* worker records, remembered ones included */
    size_t services;            /* service entries now */
    size_t queued;              /* requests waiting for a worker now */
    uint64_t requests;          /* client requests taken so far */
    uint64_t replies;           /* final replies delivered so far */
    uint64_t dropped;           /* requests dropped (expiry, full queue, lost mid-stream) */
    uint64_t invalid;           /* malformed messages dropped */
} mdp_broker_stats;

void mdp_broker_get_stats (const mdp_broker *broker, mdp_broker_stats *stats);

#endif
