/*  flp_client.h — the Freelance client's I/O-free core (10/FLP): one
    request at a time, failing over between several servers.

    Requests, messages and the time go in; messages to send (each to one
    server), results for the application, log lines and the next deadline
    come out.  The core owns no socket and no clock, so the unit tests and
    the fuzzer drive it with a fake clock (it needs the codec alone, not
    zwire.h), and the shell (flp_client_shell.c) is a ROUTER socket and a
    timer around it.

    What it does.  It pings every server each ping interval
    (flp.client.ping-interval, flp.grammar.ping), and once more as soon as
    the shell says its connection is up (DECISIONS F13).  A server is live
    from its first PONG or reply until liveness intervals pass without a
    word from it (flp.client.server-disconnected, DECISIONS F6, F17), or
    until its connection is lost; the attempt that went to a server whose
    connection is lost ends at once, while one that went to a server gone
    by silence waits out its timeout (F18).  Each request carries a CCF,
    its sequence number in decimal ASCII from 1, the same on every attempt
    (flp.grammar.request, F9, F16), and goes to the first live server in
    the order the servers were given; with no reply within timeout_ms (or
    once that server's connection is lost) it goes to the next live server
    after that one, wrapping round, up to retries more attempts; never
    again to any server before its attempt has ended (F14).  A reply
    carrying the outstanding CCF answers it only from a server the request
    went to on the connection that server has now (the last asked, or an
    earlier one answering late: F14, F17, F18); every other reply is
    discarded and logged (F9).  With no server live, a request waits up to
    liveness intervals for one, then ends: no server (F15).  Malformed
    messages are dropped and logged with their clause; a PONG from an
    identity that is none of the servers is ignored.  The request is the
    machine of flp_client_session.h; each server, that of
    flp_server_view.h.  */

#ifndef FLP_CLIENT_H
#define FLP_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include "flp_message.h"

/* The most servers one client takes. */
#define FLP_CLIENT_SERVERS_MAX 64
/* The most retries one client takes (each attempt is remembered, for the log). */
#define FLP_CLIENT_RETRIES_MAX 10000

typedef struct {
    /*  The servers' endpoints, in the order requests try them; each is
        also the server's identity, the routing frame that reaches it
        (DECISIONS F1).  1..FLP_CLIENT_SERVERS_MAX of them, non-empty and
        all different; the core copies them.  */
    const char *const *servers;
    size_t server_count;
    uint64_t ping_interval_ms;  /* flp.client.ping-interval (1000) */
    unsigned liveness;          /* silent intervals before a server is gone, 1.. (3: F6) */
    uint64_t timeout_ms;        /* how long one attempt waits for its reply (1000) */
    unsigned retries;           /* attempts after the first (3) */
    uint64_t seed;              /* for the lenient flp-client-ccf-random variant only */
} flp_client_config;

/* The defaults above; no servers. */
void flp_client_config_default (flp_client_config *config);

typedef enum {
    FLP_CLIENT_ANSWERED = 1,    /* a reply carrying the request's CCF */
    FLP_CLIENT_TIMED_OUT = 2,   /* no reply after every attempt (F14) */
    FLP_CLIENT_NO_SERVER = 3    /* no server live within liveness x ping interval (F15) */
} flp_client_outcome;

/*  What the application is given when a request ends.  body points into
    the message that brought it, valid during the call only (NULL, 0
    unless answered).  server: the index of the server the answer came
    from, -1 if none (or an identity that is none of the servers).  */
typedef struct {
    flp_client_outcome outcome;
    const zw_flp_frame *body;
    size_t body_count;
    uint64_t sequence;          /* the request's number (its CCF), 1 for the first */
    unsigned attempts;          /* how many times it was sent */
    int server;
} flp_client_result;

/*  What the core does to the world.  send: one message, head then body,
    to the server of that index (the shell puts its identity first on a
    ROUTER); returns 0, or -1 when it could not be queued at all (the
    timeout and the pings cover it).  deliver: a request has ended; it is
    always the last thing of a request's step, so the application may make
    its next request from inside it.  log: one line, naming the clause or
    the DECISIONS row it follows.  */
typedef struct {
    int (*send) (void *arg, size_t server, const zw_flp_frame *head, size_t head_count,
                 const zw_flp_frame *body, size_t body_count);
    void (*deliver) (void *arg, const flp_client_result *result);
    void (*log) (void *arg, const char *line);
    void *arg;
} flp_client_io;

typedef struct flp_client flp_client;

/*  A new client, idle, every server unknown (not live); NULL with errno
    (EINVAL: no server, too many, an empty or repeated endpoint, a zero
    ping interval, liveness or timeout, too many retries; ENOMEM).  Sends
    nothing yet: the first flp_client_tick pings every server.  */
flp_client *flp_client_new (const flp_client_config *config, const flp_client_io *io);

/* Frees everything; sends and delivers nothing.  NULL is allowed. */
void flp_client_destroy (flp_client *client);

/*  Takes a request of body_count body frames (at least one:
    flp.grammar.request) and sends it, or waits for a live server.  The
    core copies what it keeps.  Returns 0, or -1 with errno: EBUSY (a
    request is outstanding: one at a time), EINVAL (no body frame),
    ENOMEM.  */
int flp_client_request (flp_client *client, uint64_t now, const zw_flp_frame *body,
                        size_t body_count);

/*  One message from a server: server is its index (flp_client_server_of
    its identity), or -1 for an identity that is none of them; frames
    without the routing frame.  */
void flp_client_input (flp_client *client, uint64_t now, int server, const zw_flp_frame *frames,
                       size_t count);

/*  The connection to the server of that index is up (its handshake is
    over): it is pinged at once, since a ROUTER drops what it sends to a
    server whose connection is not up (DECISIONS F13).  */
void flp_client_connected (flp_client *client, uint64_t now, size_t server);

/*  The connection to the server of that index was lost: the server is
    gone at once, and the attempt that went to it ends (DECISIONS F18);
    call flp_client_tick next.  */
void flp_client_lost (flp_client *client, uint64_t now, size_t server);

/*  Runs what is due at now (pings, silent servers, an attempt's timeout,
    the end of a wait for a server) and returns the next deadline, an
    absolute time in the same clock (UINT64_MAX: none).  Call it after
    every request, input and connection too.  */
uint64_t flp_client_tick (flp_client *client, uint64_t now);

/* The index of the server whose identity (endpoint) is identity, or -1. */
int flp_client_server_of (const flp_client *client, const zw_flp_frame *identity);

/* 1 while a request is outstanding. */
int flp_client_busy (const flp_client *client);

/* 1 if the server of that index is live. */
int flp_client_server_live (const flp_client *client, size_t server);

typedef struct {
    uint64_t requests;          /* requests taken */
    uint64_t sent;              /* request messages sent, attempts after the first included */
    uint64_t retries;           /* attempts that timed out with an attempt left */
    uint64_t answered, timed_out, no_server;    /* how requests ended */
    uint64_t pings, pongs;
    uint64_t discarded;         /* replies not for the outstanding request (F9) */
    uint64_t invalid;           /* malformed messages dropped */
    uint64_t ignored;           /* PONGs from an identity that is none of the servers */
} flp_client_stats;

void flp_client_get_stats (const flp_client *client, flp_client_stats *stats);

#endif
