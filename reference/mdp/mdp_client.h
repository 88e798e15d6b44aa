/*  mdp_client.h — the Majordomo client's I/O-free core: 7/MDP 0.1 or
    18/MDP 0.2, one request in flight at a time (a REQ-like client).

    Requests, messages and the time go in; messages to send, a new socket
    when one is due, results for the application, log lines and the next
    deadline come out.  The core owns no socket and no clock, so the unit
    tests drive it with a fake clock, and the shell (mdp_client_shell.c)
    is a DEALER socket and a timer around it.

    What it does: each request goes out in the configured version, on a
    DEALER socket in both (mdp02.client.dealer; mdp01.client.dealer-socket,
    the 0.1 request then opening with the empty frame the core writes
    itself: mdp01.client.dealer-empty-frame).  PARTIALs go to the
    application as they come and restart the reply timeout; the REPLY or
    FINAL ends the request (mdp02.client.handle-partials, DECISIONS M2-7).
    With no reply within timeout_ms the core asks for a new socket and
    resends, up to retries times, then gives up (Lazy Pirate:
    mdp01.client.recovery, mdp02.client.recovery).  A reply it is not
    waiting for, a REQUEST from the broker and a malformed message are
    discarded and logged (M2-19).  The session is the machine of
    mdp_client_session.h.  */

#ifndef MDP_CLIENT_H
#define MDP_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include "mdp_message.h"

typedef struct {
    zw_mdp_version version;     /* ZW_MDP_V01 or ZW_MDP_V02 (ZW_MDP_V02) */
    uint64_t timeout_ms;        /* reply timeout per attempt, restarted by a PARTIAL (2500) */
    unsigned retries;           /* resends after the first send, each on a new socket (2) */
} mdp_client_config;

void mdp_client_config_default (mdp_client_config *config);

typedef enum {
    MDP_CLIENT_PARTIAL = 1,     /* one 0.2 PARTIAL; more is to come */
    MDP_CLIENT_ANSWERED = 2,    /* the REPLY (0.1) or FINAL (0.2): the request is over */
    MDP_CLIENT_TIMED_OUT = 3    /* no answer after every retry: the request is over */
} mdp_client_outcome;

/*  What the application is given.  body points into the message that
    brought it, valid during the call only (NULL, 0 when timed out).
    attempt: the sends so far of this request, 1 for the first; a PARTIAL
    of a later attempt than the last one seen starts the answer again
    (the broker resends a request only while no PARTIAL has reached the
    client: DECISIONS M2-8).  */
typedef struct {
    mdp_client_outcome outcome;
    const zw_mdp_frame *body;
    size_t body_count;
    unsigned attempt;
} mdp_client_result;

/*  What the core does to the world.  send: one message, its frames head
    then body, on the current socket; returns 0, or -1 when it could not be
    queued at all (the reply timeout covers it either way).  reconnect:
    close the socket, open a new one and connect it (what it held is
    dropped).  deliver: a result for the application; it is always the
    last thing a step does, so the application may make its next request
    from inside it.  log: one line, naming a violation's clause.  */
typedef struct {
    int (*send) (void *arg, const zw_mdp_frame *head, size_t head_count,
                 const zw_mdp_frame *body, size_t body_count);
    void (*reconnect) (void *arg);
    void (*deliver) (void *arg, const mdp_client_result *result);
    void (*log) (void *arg, const char *line);
    void *arg;
} mdp_client_io;

typedef struct mdp_client mdp_client;

/* A new client, idle; NULL with errno (EINVAL: a bad version or a zero timeout; ENOMEM). */
mdp_client *mdp_client_new (const mdp_client_config *config, const mdp_client_io *io);

/* Frees everything; sends and delivers nothing.  NULL is allowed. */
void mdp_client_destroy (mdp_client *client);

/*  Sends a request for service (one frame) with body_count body frames
    and starts its reply timeout.  The core copies what it keeps.  Returns
    0, or -1 with errno: EBUSY (a request is outstanding: one at a time),
    EINVAL (a service name that is not 1+ octets of 0x20..0x7E,
    mdp01.grammar.service-name, DECISIONS M9; or no body frame,
    mdp01.grammar.client-request, M11), ENOMEM.  */
int mdp_client_request (mdp_client *client, uint64_t now, const zw_mdp_frame *service,
                        const zw_mdp_frame *body, size_t body_count);

/* One message from the broker: the frames the DEALER socket received. */
void mdp_client_input (mdp_client *client, uint64_t now, const zw_mdp_frame *frames, size_t count);

/*  Runs what is due at now (a reply timeout: a retry or the end) and
    returns the next deadline, an absolute time in the same clock
    (UINT64_MAX: none).  Call it after every request and input too.  */
uint64_t mdp_client_tick (mdp_client *client, uint64_t now);

/* 1 while a request is outstanding. */
int mdp_client_busy (const mdp_client *client);

typedef struct {
    uint64_t requests;          /* requests taken */
    uint64_t sent;              /* REQUEST messages sent, resends included */
    uint64_t partials;          /* PARTIALs delivered */
    uint64_t answered;          /* requests answered (REPLY, FINAL) */
    uint64_t retries;           /* resends after a timeout */
    uint64_t timed_out;         /* requests given up */
    uint64_t discarded;         /* well-formed messages not waited for (M2-19) */
    uint64_t invalid;           /* malformed messages dropped */
} mdp_client_stats;

void mdp_client_get_stats (const mdp_client *client, mdp_client_stats *stats);

#endif
