/*  test_flp_client.c — the Freelance client.

    First its I/O-free core, driven with a fake clock: every message it
    sends is captured with the server it goes to and decoded with the
    codec, so each check reads like the exchange on the wire; results and
    log lines are kept.  Then the shell on real sockets: three servers
    played by zwire ROUTER sockets (identity = endpoint, DECISIONS F1) in
    the same context, one of them closed half-way, driven by zw_ctx_run
    alone (no threads).  Clause IDs and DECISIONS rows name what each test
    shows; no test asserts a timing on real sockets.  */

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "flp_client.h"
#include "flp_client_shell.h"
#include "role_frames.h"
#include "test_check.h"
#include "test_watchdog.h"

#define SENT_MAX 256
#define RESULTS_MAX 16
#define LOGS_MAX 64

/* --- frames written as C strings ------------------------------------------------------------ */

static zw_flp_frame
text (const char *s)
{
    return (zw_flp_frame) { (const uint8_t *) s, strlen (s) };
}

static int
frame_is (const zw_flp_frame *f, const char *s)
{
    return f->size == strlen (s) && (f->size == 0 || memcmp (f->data, s, f->size) == 0);
}

/* --- the core, on a fake clock ------------------------------------------------------------------ */

typedef struct {
    size_t server;
    role_frames *frames;        /* head then body, as it goes out */
} sent_message;

static sent_message sent[SENT_MAX];
static size_t sent_count;

typedef struct {
    flp_client_outcome outcome;
    uint64_t sequence;
    unsigned attempts;
    int server;
    role_frames *body;
} result_copy;

static result_copy results[RESULTS_MAX];
static size_t result_count;
static char logs[LOGS_MAX][1024];
static size_t log_count;
static flp_client *next_requester;     /* set: a result makes the next request (re-entry) */
static uint64_t next_at;

static int
capture_send (void *arg, size_t server, const zw_flp_frame *head, size_t head_count,
              const zw_flp_frame *body, size_t body_count)
{
    (void) arg;
    zw_flp_frame all[64];
    size_t n = 0;
    for (size_t i = 0; i < head_count && n < 64; i++)
        all[n++] = head[i];
    for (size_t i = 0; i < body_count && n < 64; i++)
        all[n++] = body[i];
    if (sent_count == SENT_MAX)
        abort ();
    sent[sent_count++] = (sent_message) { server, role_frames_copy (all, n) };
    return 0;
}

static void
capture_deliver (void *arg, const flp_client_result *result)
{
    (void) arg;
    if (result_count == RESULTS_MAX)
        abort ();
    results[result_count++] = (result_copy) {
        result->outcome, result->sequence, result->attempts, result->server,
        role_frames_copy (result->body, result->body_count) };
    if (next_requester) {
        zw_flp_frame body = text ("next");
        flp_client *c = next_requester;
        next_requester = NULL;
        CHECK (flp_client_request (c, next_at, &body, 1) == 0);
    }
}

static void
capture_log (void *arg, const char *line)
{
    (void) arg;
    if (log_count < LOGS_MAX)
        snprintf (logs[log_count++], sizeof logs[0], "%s", line);
}

static void
clear (void)
{
    for (size_t i = 0; i < sent_count; i++)
        free (sent[i].frames);
    for (size_t i = 0; i < result_count; i++)
        free (results[i].body);
    sent_count = result_count = log_count = 0;
}

/* 1 if a log line since the last clear holds each of the (NULL-ended) strings. */
static int
logged (const char *first, ...)
{
    for (size_t i = 0; i < log_count; i++) {
        int all = 1;
        va_list args;
        va_start (args, first);
        for (const char *s = first; s && all; s = va_arg (args, const char *))
            all = strstr (logs[i], s) != NULL;
        va_end (args);
        if (all)
            return 1;
    }
    return 0;
}

static const char *const endpoints[] = { "tcp://a:1", "tcp://b:2", "tcp://c:3" };
enum { A, B, C };

/* Three servers A, B, C; ping interval 1000 (servers stay live 3000 ms after a word), timeout 100. */
static flp_client *
client_new (unsigned retries)
{
    flp_client_config config;
    flp_client_config_default (&config);
    config.servers = endpoints;
    config.server_count = 3;
    config.timeout_ms = 100;
    config.retries = retries;
    flp_client_io io = { capture_send, capture_deliver, capture_log, NULL };
    clear ();
    return flp_client_new (&config, &io);
}

/* Feeds one message from server (an index, or -1): frames are strings, NULL-terminated. */
static void
feed (flp_client *c, uint64_t now, int server, ...)
{
    zw_flp_frame frames[32];
    size_t n = 0;
    va_list args;
    va_start (args, server);
    for (const char *f; n < 32 && (f = va_arg (args, const char *)) != NULL;)
        frames[n++] = text (f);
    va_end (args);
    flp_client_input (c, now, server, frames, n);
}

static void
pong (flp_client *c, uint64_t now, int server)
{
    feed (c, now, server, "PONG", NULL);
}

static int
ask (flp_client *c, uint64_t now, const char *body)
{
    zw_flp_frame frame = text (body);
    return flp_client_request (c, now, &frame, 1);
}

/* The i-th message sent, decoded as one to a server; NULL if it is not one. */
static const zw_flp_message *
sent_decoded (size_t i)
{
    static zw_flp_message m;
    zw_error e = { 0 };
    if (i >= sent_count)
        return NULL;
    return zw_flp_decode (sent[i].frames->frame, sent[i].frames->count, ZW_FLP_TO_SERVER, &m, &e)
        ? &m : NULL;
}

/* 1 if the i-th message sent is a PING to server. */
static int
sent_ping (size_t i, size_t server)
{
    const zw_flp_message *m = sent_decoded (i);
    return m && m->command == ZW_FLP_PING && sent[i].server == server
        && sent[i].frames->count == 1 && frame_is (&sent[i].frames->frame[0], "PING");
}

/* 1 if the i-th message sent is a request to server with CCF ccf and the one body frame body. */
static int
sent_request (size_t i, size_t server, const char *ccf, const char *body)
{
    const zw_flp_message *m = sent_decoded (i);
    return m && m->command == ZW_FLP_REQUEST && sent[i].server == server
        && frame_is (&m->ccf, ccf) && m->body_count == 1
        && frame_is (&sent[i].frames->frame[1], body);
}

/* How many requests (not pings) were sent since the last clear. */
static size_t
requests_sent (void)
{
    size_t n = 0;
    for (size_t i = 0; i < sent_count; i++) {
        const zw_flp_message *m = sent_decoded (i);
        n += m && m->command == ZW_FLP_REQUEST;
    }
    return n;
}

/* The last request sent, as its index in sent[]; SIZE_MAX if none. */
static size_t
last_request (void)
{
    for (size_t i = sent_count; i-- > 0;) {
        const zw_flp_message *m = sent_decoded (i);
        if (m && m->command == ZW_FLP_REQUEST)
            return i;
    }
    return SIZE_MAX;
}

static int
result_is (size_t i, flp_client_outcome outcome, const char *body)
{
    if (i >= result_count || results[i].outcome != outcome)
        return 0;
    if (!body)
        return results[i].body->count == 0;
    return results[i].body->count == 1 && frame_is (&results[i].body->frame[0], body);
}

/* Starts the schedule at 0 and makes the servers of the mask live with a pong at 1. */
static void
make_live (flp_client *c, unsigned mask)
{
    flp_client_tick (c, 0);
    for (int s = A; s <= C; s++)
        if (mask & (1u << s))
            pong (c, 1, s);
}

/*  flp.client.ping-interval, flp.grammar.ping: every server, one frame
    PING, from the first tick, then every interval; nothing between.  */
static void
test_ping_schedule (void)
{
    flp_client *c = client_new (3);
    CHECK (sent_count == 0);                        /* nothing before the first tick */
    CHECK (flp_client_tick (c, 0) == 1000);
    CHECK (sent_count == 3 && sent_ping (0, A) && sent_ping (1, B) && sent_ping (2, C));
    CHECK (flp_client_tick (c, 999) == 1000 && sent_count == 3);
    CHECK (flp_client_tick (c, 1000) == 2000);
    CHECK (sent_count == 6 && sent_ping (3, A) && sent_ping (4, B) && sent_ping (5, C));
    flp_client_stats stats;
    flp_client_get_stats (c, &stats);
    CHECK (stats.pings == 6 && stats.requests == 0);
    flp_client_destroy (c);
}

/* DECISIONS F13: a connection that comes up gets a PING at once, the schedule unchanged. */
static void
test_ping_on_connect (void)
{
    flp_client *c = client_new (3);
    flp_client_tick (c, 0);
    flp_client_connected (c, 5, B);
    CHECK (sent_count == 4 && sent_ping (3, B));
    CHECK (flp_client_tick (c, 5) == 1000);
    flp_client_connected (c, 6, 7);                 /* no such server: nothing */
    CHECK (sent_count == 4);
    pong (c, 7, B);
    flp_client_connected (c, 8, B);                 /* a reconnect of a live server: pinged too */
    CHECK (sent_count == 5 && sent_ping (4, B) && flp_client_server_live (c, B));
    flp_client_destroy (c);
}

/*  flp.client.server-disconnected, DECISIONS F6, F17: unknown (not live)
    until its first word; live from a PONG; gone after liveness intervals
    without one; live again at the next.  A reply makes a server live as
    a PONG does; a PONG from an identity that is none of the servers is
    ignored.  */
static void
test_liveness (void)
{
    flp_client *c = client_new (3);
    flp_client_tick (c, 0);
    CHECK (!flp_client_server_live (c, A) && !flp_client_server_live (c, B));
    pong (c, 10, A);
    CHECK (flp_client_server_live (c, A) && logged ("tcp://a:1 is live", NULL));
    CHECK (flp_client_tick (c, 10) == 1000);
    flp_client_tick (c, 1000);
    flp_client_tick (c, 2000);
    CHECK (flp_client_tick (c, 3000) == 3010 && flp_client_server_live (c, A));
    flp_client_tick (c, 3009);
    CHECK (flp_client_server_live (c, A));
    flp_client_tick (c, 3010);
    CHECK (!flp_client_server_live (c, A));
    CHECK (logged ("tcp://a:1 is gone", "3 ping intervals of 1000 ms",
                   "[flp.client.server-disconnected]", NULL));
    pong (c, 3500, A);
    CHECK (flp_client_server_live (c, A));
    feed (c, 3600, B, "7", "late", NULL);           /* a reply for nothing: still a word from B */
    CHECK (flp_client_server_live (c, B) && result_count == 0);
    pong (c, 3700, -1);
    flp_client_stats stats;
    flp_client_get_stats (c, &stats);
    CHECK (stats.ignored == 1 && stats.pongs == 2 && logged ("none of the servers", NULL));
    flp_client_destroy (c);
}

/*  DECISIONS F14, F16, flp.grammar.request: a request goes to the first
    live server in the order given, its CCF "1", then its body; the reply
    carrying "1" answers it.  */
static void
test_first_live (void)
{
    flp_client *c = client_new (3);
    make_live (c, 1u << B | 1u << C);
    size_t before = sent_count;
    CHECK (ask (c, 2, "hello") == 0 && flp_client_busy (c));
    CHECK (sent_count == before + 1 && sent_request (before, B, "1", "hello"));
    CHECK (flp_client_tick (c, 2) == 102);
    feed (c, 50, B, "1", "HELLO", "", NULL);
    CHECK (result_count == 1 && results[0].outcome == FLP_CLIENT_ANSWERED);
    CHECK (results[0].body->count == 2 && frame_is (&results[0].body->frame[0], "HELLO")
           && frame_is (&results[0].body->frame[1], ""));
    CHECK (results[0].sequence == 1 && results[0].attempts == 1 && results[0].server == B);
    CHECK (!flp_client_busy (c));
    pong (c, 60, A);                                /* A live now: first in order */
    CHECK (ask (c, 70, "again") == 0 && sent_request (last_request (), A, "2", "again"));
    flp_client_destroy (c);
}

/*  DECISIONS F14: with no reply within the timeout, the next live server
    after the one asked, wrapping round, the same CCF; after the retries,
    timed out, the log naming the servers tried in order.  */
static void
test_failover_order (void)
{
    flp_client *c = client_new (3);
    make_live (c, 1u << A | 1u << B | 1u << C);
    ask (c, 10, "q");
    CHECK (sent_request (last_request (), A, "1", "q"));
    CHECK (flp_client_tick (c, 109) == 110 && requests_sent () == 1);
    CHECK (flp_client_tick (c, 110) == 210 && sent_request (last_request (), B, "1", "q"));
    CHECK (logged ("no reply from tcp://a:1 within 100 ms", NULL)
           && logged ("attempt 2 of 4, to tcp://b:2", NULL));
    flp_client_tick (c, 210);
    CHECK (sent_request (last_request (), C, "1", "q"));
    flp_client_tick (c, 310);
    CHECK (sent_request (last_request (), A, "1", "q") && requests_sent () == 4);
    CHECK (flp_client_tick (c, 410) == 1000);       /* the next ping: no request deadline left */
    CHECK (result_count == 1 && result_is (0, FLP_CLIENT_TIMED_OUT, NULL));
    CHECK (results[0].attempts == 4 && results[0].server == -1 && !flp_client_busy (c));
    CHECK (logged ("request 1 timed out", "4 attempts",
                   "tried tcp://a:1, tcp://b:2, tcp://c:3, tcp://a:1", NULL));
    flp_client_stats stats;
    flp_client_get_stats (c, &stats);
    CHECK (stats.sent == 4 && stats.retries == 3 && stats.timed_out == 1);
    flp_client_destroy (c);
}

/* F14: a server not live is passed over; the only live one gets every attempt, each after a timeout. */
static void
test_failover_skips_and_wraps (void)
{
    flp_client *c = client_new (2);
    make_live (c, 1u << A | 1u << C);
    ask (c, 10, "q");
    flp_client_tick (c, 110);
    CHECK (sent_request (last_request (), C, "1", "q"));        /* B passed over */
    flp_client_destroy (c);

    c = client_new (2);
    make_live (c, 1u << B);
    ask (c, 10, "q");
    CHECK (sent_request (last_request (), B, "1", "q"));
    flp_client_tick (c, 110);
    CHECK (sent_request (last_request (), B, "1", "q") && requests_sent () == 2);
    flp_client_destroy (c);
}

/*  F14: never again to any server without a timeout between: pongs, a
    server becoming live, a stale reply, ticks before the deadline send
    nothing.  */
static void
test_no_resend_before_timeout (void)
{
    flp_client *c = client_new (3);
    make_live (c, 1u << A);
    ask (c, 10, "q");
    pong (c, 20, B);                                /* B becomes live: the attempt waits on */
    pong (c, 30, A);
    feed (c, 40, A, "99", "stale", NULL);
    for (uint64_t t = 41; t < 110; t += 7)
        flp_client_tick (c, t);
    CHECK (requests_sent () == 1);
    flp_client_tick (c, 110);
    CHECK (requests_sent () == 2 && sent_request (last_request (), B, "1", "q"));
    flp_client_destroy (c);
}

/*  DECISIONS F9: only the outstanding request's CCF is handed over; a
    reply with nothing outstanding, a second reply, an earlier request's
    CCF and a changed CCF are each discarded and logged.  */
static void
test_stale_replies (void)
{
    flp_client *c = client_new (3);
    make_live (c, 1u << A);
    feed (c, 5, A, "1", "early", NULL);
    CHECK (result_count == 0 && logged ("CCF '1'", "no request is outstanding", "F9", NULL));
    ask (c, 10, "one");
    feed (c, 20, A, "1", "first", NULL);
    CHECK (result_count == 1 && result_is (0, FLP_CLIENT_ANSWERED, "first"));
    feed (c, 21, A, "1", "second", NULL);           /* the same server's second reply (F7) */
    CHECK (result_count == 1);
    ask (c, 30, "two");
    CHECK (sent_request (last_request (), A, "2", "two"));
    feed (c, 31, A, "1", "old", NULL);              /* the earlier request's CCF */
    feed (c, 32, A, "2x", "changed", NULL);         /* a CCF the server changed */
    feed (c, 33, A, "", "empty", NULL);
    feed (c, 34, A, "3", "future", NULL);
    CHECK (result_count == 1 && flp_client_busy (c));
    CHECK (logged ("CCF '2x'", "request 2 (CCF '2') is outstanding", NULL));
    feed (c, 35, A, "2", "right", NULL);
    CHECK (result_count == 2 && result_is (1, FLP_CLIENT_ANSWERED, "right"));
    flp_client_stats stats;
    flp_client_get_stats (c, &stats);
    CHECK (stats.discarded == 6 && stats.answered == 2 && stats.invalid == 0);
    flp_client_destroy (c);
}

/*  F14, F9: a slow server's late answer to the same request, after the
    request moved on to another, is the answer; the other's, then, is not.  */
static void
test_late_answer_accepted (void)
{
    flp_client *c = client_new (3);
    make_live (c, 1u << A | 1u << B);
    ask (c, 10, "q");
    flp_client_tick (c, 110);
    CHECK (sent_request (last_request (), B, "1", "q"));
    feed (c, 150, A, "1", "slow", NULL);
    CHECK (result_count == 1 && result_is (0, FLP_CLIENT_ANSWERED, "slow"));
    CHECK (results[0].server == A && results[0].attempts == 2);
    feed (c, 160, B, "1", "fast", NULL);
    CHECK (result_count == 1 && logged ("CCF '1' from tcp://b:2", "no request is outstanding", NULL));
    /* the right CCF from an identity that is none of the servers, or from a
       live server the request never went to: not the answer (F17) */
    ask (c, 200, "r");
    CHECK (sent_request (last_request (), A, "2", "r"));
    feed (c, 210, -1, "2", "whoever", NULL);
    feed (c, 220, B, "2", "guess", NULL);
    CHECK (result_count == 1 && logged ("CCF '2' from tcp://b:2", "has not gone there", NULL));
    feed (c, 230, A, "2", "right", NULL);
    CHECK (result_count == 2 && result_is (1, FLP_CLIENT_ANSWERED, "right") && results[1].server == A);
    flp_client_destroy (c);
}

/*  DECISIONS F15: no server live: the request waits (nothing sent) up to
    liveness x interval; the first server to become live gets it at once.  */
static void
test_waits_for_a_server (void)
{
    flp_client *c = client_new (3);
    flp_client_tick (c, 0);
    size_t pings = sent_count;
    ask (c, 10, "q");
    CHECK (sent_count == pings && flp_client_busy (c) && logged ("waiting up to 3000 ms", NULL));
    CHECK (flp_client_tick (c, 10) == 1000);
    /* nothing has gone out: a reply carrying the CCF to come answers nothing (F17;
       found by fuzz_flp_client) */
    feed (c, 20, C, "1", "guessed", NULL);
    CHECK (result_count == 0 && flp_client_busy (c) && logged ("has not gone there", NULL));
    pong (c, 500, C);
    CHECK (requests_sent () == 1 && sent_request (last_request (), C, "1", "q"));
    CHECK (flp_client_tick (c, 500) == 600);
    feed (c, 550, C, "1", "a", NULL);
    CHECK (result_count == 1 && result_is (0, FLP_CLIENT_ANSWERED, "a"));
    flp_client_destroy (c);
}

/*  F15: none live within liveness x interval: no server, the log naming
    each server's state and the servers tried (none).  */
static void
test_no_server (void)
{
    flp_client *c = client_new (3);
    flp_client_tick (c, 0);
    ask (c, 10, "q");
    flp_client_tick (c, 1000);
    flp_client_tick (c, 2000);
    CHECK (flp_client_tick (c, 3000) == 3010 && result_count == 0);
    flp_client_tick (c, 3010);
    CHECK (result_count == 1 && result_is (0, FLP_CLIENT_NO_SERVER, NULL));
    CHECK (results[0].attempts == 0 && !flp_client_busy (c) && requests_sent () == 0);
    CHECK (logged ("request 1: no server live within 3000 ms", "tcp://a:1 never answered a ping",
                   "tried none", NULL));
    flp_client_stats stats;
    flp_client_get_stats (c, &stats);
    CHECK (stats.no_server == 1 && stats.sent == 0);
    flp_client_destroy (c);
}

/*  F15, F14: the only live server times out and goes gone: the request
    waits for a server; a late answer to its attempt still answers it.
    Another that waits in vain ends with no server, the log naming the
    server tried and that it is gone.  */
static void
test_timeout_then_no_server (void)
{
    flp_client *c = client_new (3);
    make_live (c, 1u << A);
    flp_client_tick (c, 1000);                      /* pings; no pong: A gone at 3001 */
    flp_client_tick (c, 2000);
    ask (c, 2950, "q");
    CHECK (sent_request (last_request (), A, "1", "q"));
    flp_client_tick (c, 3000);
    flp_client_tick (c, 3001);
    CHECK (!flp_client_server_live (c, A));
    flp_client_tick (c, 3050);                      /* the timeout: no server live */
    CHECK (requests_sent () == 1 && flp_client_busy (c) && logged ("waiting up to", NULL));
    feed (c, 3060, A, "1", "late", NULL);
    CHECK (result_count == 1 && result_is (0, FLP_CLIENT_ANSWERED, "late"));
    CHECK (requests_sent () == 1);                  /* A live again: no pointless attempt */

    ask (c, 5990, "r");                             /* A heard at 3060: live until 6060 */
    CHECK (sent_request (last_request (), A, "2", "r"));
    flp_client_tick (c, 6000);
    flp_client_tick (c, 6060);
    CHECK (!flp_client_server_live (c, A));
    /* gone by silence, A keeps its attempt to the timeout (F14, F18): then a wait, up to 9090 */
    CHECK (flp_client_tick (c, 6090) == 7000);
    flp_client_tick (c, 7000);
    flp_client_tick (c, 8000);
    CHECK (flp_client_tick (c, 9000) == 9090 && result_count == 1);
    flp_client_tick (c, 9090);
    CHECK (result_count == 2 && result_is (1, FLP_CLIENT_NO_SERVER, NULL) && requests_sent () == 2);
    CHECK (results[1].attempts == 1 && logged ("tcp://a:1 gone", "tried tcp://a:1", NULL));
    flp_client_destroy (c);
}

/*  F18: the connection of the server asked is lost: it is gone, and the
    request goes to the next live server then and there, not at its
    timeout; back and live, it may get the request again at once.  */
static void
test_lost_connection (void)
{
    flp_client *c = client_new (3);
    make_live (c, 1u << A | 1u << B);
    ask (c, 10, "q");
    CHECK (sent_request (last_request (), A, "1", "q"));
    flp_client_lost (c, 20, A);
    CHECK (!flp_client_server_live (c, A) && logged ("tcp://a:1 is gone", "connection was lost", NULL));
    flp_client_tick (c, 20);
    CHECK (requests_sent () == 2 && sent_request (last_request (), B, "1", "q"));
    flp_client_lost (c, 30, B);
    flp_client_tick (c, 30);                        /* none live: a wait */
    CHECK (requests_sent () == 2 && flp_client_busy (c));
    flp_client_connected (c, 40, A);
    pong (c, 45, A);
    CHECK (requests_sent () == 3 && sent_request (last_request (), A, "1", "q"));
    feed (c, 50, A, "1", "a", NULL);
    CHECK (result_count == 1 && result_is (0, FLP_CLIENT_ANSWERED, "a") && results[0].attempts == 3);
    flp_client_lost (c, 60, C);                     /* never live: nothing changes */
    flp_client_destroy (c);
}

/* F14: retries 0: one attempt, then timed out. */
static void
test_no_retries (void)
{
    flp_client *c = client_new (0);
    make_live (c, 1u << A | 1u << B);
    ask (c, 10, "q");
    flp_client_tick (c, 110);
    CHECK (requests_sent () == 1 && result_count == 1 && result_is (0, FLP_CLIENT_TIMED_OUT, NULL));
    CHECK (results[0].attempts == 1);
    flp_client_destroy (c);
}

/*  F3 (the client side of F5): a message that is not a PONG nor a reply
    is dropped and logged with its clause; a two-frame message whose CCF
    is PONG is a reply (frame count first).  */
static void
test_malformed (void)
{
    flp_client *c = client_new (3);
    make_live (c, 1u << A);
    ask (c, 10, "q");
    feed (c, 11, A, "junk", NULL);
    CHECK (logged ("malformed message from tcp://a:1", "flp-missing-frame at frame 1",
                   "[flp.grammar.reply]", NULL));
    feed (c, 12, A, NULL);                          /* no frame at all */
    feed (c, 13, A, "PING", NULL);                  /* a ping is no message to a client */
    feed (c, 14, A, "pong", NULL);                  /* PONG compares octet for octet */
    feed (c, 15, A, "PONG", "x", NULL);             /* a reply of CCF "PONG": stale */
    CHECK (result_count == 0 && flp_client_busy (c));
    flp_client_stats stats;
    flp_client_get_stats (c, &stats);
    CHECK (stats.invalid == 4 && stats.discarded == 1);
    feed (c, 16, A, "1", "fine", NULL);
    CHECK (result_count == 1 && result_is (0, FLP_CLIENT_ANSWERED, "fine"));
    flp_client_destroy (c);
}

/* One request at a time; no body; bad configurations. */
static void
test_refusals (void)
{
    flp_client *c = client_new (3);
    make_live (c, 1u << A);
    zw_flp_frame body = text ("b");
    CHECK (flp_client_request (c, 0, &body, 0) == -1 && errno == EINVAL);
    CHECK (ask (c, 5, "first") == 0);
    CHECK (ask (c, 6, "second") == -1 && errno == EBUSY);
    CHECK (requests_sent () == 1);
    flp_client_destroy (c);

    flp_client_io io = { capture_send, capture_deliver, capture_log, NULL };
    flp_client_config config;
    flp_client_config_default (&config);
    CHECK (flp_client_new (&config, &io) == NULL && errno == EINVAL);       /* no server */
    const char *twice[] = { "tcp://x:1", "tcp://x:1" }, *empty[] = { "" };
    config.servers = twice;
    config.server_count = 2;
    CHECK (flp_client_new (&config, &io) == NULL && errno == EINVAL);
    config.servers = empty;
    config.server_count = 1;
    CHECK (flp_client_new (&config, &io) == NULL && errno == EINVAL);
    config.servers = endpoints;
    config.ping_interval_ms = 0;
    CHECK (flp_client_new (&config, &io) == NULL && errno == EINVAL);
    config.ping_interval_ms = 10;
    config.liveness = 0;
    CHECK (flp_client_new (&config, &io) == NULL && errno == EINVAL);
}

/* F16: the CCF counts requests from 1, the same on every attempt. */
static void
test_ccf_sequence (void)
{
    flp_client *c = client_new (3);
    make_live (c, 1u << A | 1u << B);
    static const char *const ccfs[] = { "1", "2", "3" };
    for (int i = 0; i < 3; i++) {
        ask (c, 10 + 1000 * (uint64_t) i, "x");
        flp_client_tick (c, 110 + 1000 * (uint64_t) i);  /* one retry, same CCF */
        for (size_t k = 0, seen = 0; k < sent_count; k++) {
            const zw_flp_message *m = sent_decoded (k);
            if (m && m->command == ZW_FLP_REQUEST && seen++ / 2 == (size_t) i)
                CHECK (frame_is (&m->ccf, ccfs[i]));    /* both attempts of request i */
        }
        feed (c, 150 + 1000 * (uint64_t) i, A, ccfs[i], "ok", NULL);
        pong (c, 151 + 1000 * (uint64_t) i, A);
        pong (c, 151 + 1000 * (uint64_t) i, B);
    }
    CHECK (result_count == 3 && results[2].sequence == 3);
    flp_client_destroy (c);
}

/* The delivery is the step's last action: the application may ask again from inside it. */
static void
test_request_from_result (void)
{
    flp_client *c = client_new (0);
    make_live (c, 1u << A);
    ask (c, 10, "q");
    next_requester = c;
    next_at = 20;
    feed (c, 20, A, "1", "a", NULL);
    CHECK (result_count == 1 && flp_client_busy (c));
    CHECK (sent_request (last_request (), A, "2", "next"));
    next_requester = c;
    next_at = 120;
    flp_client_tick (c, 120);                       /* timed out; the next asked from inside */
    CHECK (result_count == 2 && result_is (1, FLP_CLIENT_TIMED_OUT, NULL));
    CHECK (flp_client_busy (c) && sent_request (last_request (), A, "3", "next"));
    next_requester = NULL;
    flp_client_destroy (c);
}

/* --- the shell, on real sockets ------------------------------------------------------------- */

#define WAIT_MS 10000               /* only a bound on a failing test */

/* A server played by a zwire ROUTER whose identity is its endpoint (F1). */
typedef struct {
    zw_socket *router;
    char endpoint[128];
    int silent;                 /* answers pings, never requests */
    unsigned requests;
} fake_server;

/* PONG for PING (flp.server.pong); each request echoed, its CCF unchanged (flp.server.reply-ccf). */
static void
server_readable (void *arg)
{
    fake_server *s = arg;
    zw_msg *msg;
    while (zw_recv (s->router, &msg, 0) == 0) {
        if (msg->count == 2 && msg->frames[1].size == 4 && memcmp (msg->frames[1].data, "PING", 4) == 0)
            memcpy (msg->frames[1].data, "PONG", 4);
        else if (msg->count >= 3)
            s->requests++;
        if (msg->count >= 2 && !(msg->count >= 3 && s->silent) && zw_send (s->router, msg, 0) == 0)
            continue;
        zw_msg_destroy (msg);
    }
}

static void
server_open (zw_ctx *ctx, fake_server *s)
{
    s->router = zw_socket_new (ctx, ZW_ROUTER);
    CHECK (zw_bind (s->router, "tcp://127.0.0.1:0") == 0);
    snprintf (s->endpoint, sizeof s->endpoint, "%s", zw_socket_last_endpoint (s->router));
    CHECK (zw_socket_set_bytes (s->router, ZW_OPT_IDENTITY, s->endpoint, strlen (s->endpoint)) == 0);
    zw_socket_set_int (s->router, ZW_OPT_LINGER, 0);
    zw_socket_set_readable (s->router, server_readable, s);
}

typedef struct {
    unsigned answers, timeouts, no_server;
    int server;
    char last[64];
} shell_results;

static void
shell_result (void *arg, const flp_client_result *result)
{
    shell_results *r = arg;
    r->server = result->server;
    if (result->outcome == FLP_CLIENT_ANSWERED)
        r->answers++;
    else if (result->outcome == FLP_CLIENT_TIMED_OUT)
        r->timeouts++;
    else
        r->no_server++;
    r->last[0] = 0;
    if (result->body_count >= 1)
        snprintf (r->last, sizeof r->last, "%.*s", (int) result->body[0].size,
                  (const char *) result->body[0].data);
}

static void
quiet (void *arg, const char *line)
{
    (void) arg, (void) line;
}

/* Runs the loop until the client sees every server of the mask live, or WAIT_MS. */
static int
wait_live (zw_ctx *ctx, flp_client_shell *client, unsigned mask, int want)
{
    uint64_t end = zw_ctx_now (ctx) + WAIT_MS;
    for (;;) {
        int all = 1;
        for (size_t i = 0; i < 3; i++)
            if (mask & (1u << i))
                all &= flp_client_shell_live (client, i) == want;
        if (all)
            return 1;
        if (zw_ctx_now (ctx) >= end)
            return 0;
        zw_ctx_run (ctx, 5);
    }
}

/*  Three servers; the client finds them live, asks, and is answered by
    the first (F14).  The first is closed: the request still gets its
    answer, from the second, as soon as the client fails over or takes the
    first for gone (flp.client.server-disconnected); once it is gone,
    requests go to the second at once.  The third, silent, never answers
    a request: when the second is closed too, a request ends timed out
    after its attempts.  */
static void
test_shell_failover (void)
{
    watchdog_arm ("test_shell_failover", 60);
    zw_ctx *ctx = zw_ctx_new ();
    zw_ctx_set_log (ctx, quiet, NULL);
    fake_server servers[3] = { { 0 } };
    for (int i = 0; i < 3; i++)
        server_open (ctx, &servers[i]);
    servers[2].silent = 1;
    const char *names[3] = { servers[0].endpoint, servers[1].endpoint, servers[2].endpoint };
    flp_client_config config;
    flp_client_config_default (&config);
    config.servers = names;
    config.server_count = 3;
    config.ping_interval_ms = 100;
    config.timeout_ms = 200;
    config.retries = 3;
    shell_results r = { 0 };
    flp_client_callbacks callbacks = { shell_result, quiet, &r };
    flp_client_shell *client = flp_client_shell_new (ctx, &config, &callbacks);
    CHECK (client != NULL);
    CHECK (wait_live (ctx, client, 7, 1));

    zw_flp_frame body = text ("hello");
    CHECK (flp_client_call (client, &body, 1) == FLP_CLIENT_ANSWERED);
    CHECK (r.server == 0 && strcmp (r.last, "hello") == 0 && servers[0].requests == 1);

    zw_close (servers[0].router);
    body = text ("after");
    CHECK (flp_client_call (client, &body, 1) == FLP_CLIENT_ANSWERED);
    CHECK (r.server == 1 && strcmp (r.last, "after") == 0 && servers[1].requests == 1);
    CHECK (wait_live (ctx, client, 1, 0));
    CHECK (flp_client_call (client, &body, 1) == FLP_CLIENT_ANSWERED);
    CHECK (r.server == 1 && servers[1].requests == 2);
    flp_client_stats stats;
    flp_client_shell_stats (client, &stats);
    CHECK (stats.answered == 3 && stats.discarded == 0 && stats.pongs >= 3);

    zw_close (servers[1].router);
    CHECK (wait_live (ctx, client, 2, 0));
    CHECK (flp_client_call (client, &body, 1) == FLP_CLIENT_TIMED_OUT);
    CHECK (r.timeouts == 1 && servers[2].requests == 4);     /* every attempt to the live one */
    CHECK (flp_client_shell_live (client, 2));

    flp_client_shell_destroy (client);
    zw_close (servers[2].router);
    zw_ctx_destroy (ctx);
    watchdog_disarm ();
}

/*  F15 on real sockets: servers nobody listens on: no server, after
    liveness x interval; a bad endpoint is refused at once.  */
static void
test_shell_no_server (void)
{
    watchdog_arm ("test_shell_no_server", 30);
    zw_ctx *ctx = zw_ctx_new ();
    zw_ctx_set_log (ctx, quiet, NULL);
    zw_socket *probe = zw_socket_new (ctx, ZW_ROUTER);
    zw_bind (probe, "tcp://127.0.0.1:0");
    char endpoint[128];
    snprintf (endpoint, sizeof endpoint, "%s", zw_socket_last_endpoint (probe));
    zw_close (probe);
    const char *names[1] = { endpoint };
    flp_client_config config;
    flp_client_config_default (&config);
    config.servers = names;
    config.server_count = 1;
    config.ping_interval_ms = 50;
    shell_results r = { 0 };
    flp_client_callbacks callbacks = { shell_result, NULL, &r };
    flp_client_shell *client = flp_client_shell_new (ctx, &config, &callbacks);
    zw_flp_frame body = text ("x");
    CHECK (client && flp_client_call (client, &body, 1) == FLP_CLIENT_NO_SERVER);
    CHECK (r.no_server == 1 && flp_client_shell_socket (client) != NULL);
    flp_client_shell_destroy (client);

    const char *bad[1] = { "nonsense://x" };
    config.servers = bad;
    errno = 0;
    CHECK (flp_client_shell_new (ctx, &config, &callbacks) == NULL && errno == EINVAL);
    zw_ctx_destroy (ctx);
    watchdog_disarm ();
}

int
main (void)
{
    test_ping_schedule ();
    test_ping_on_connect ();
    test_liveness ();
    test_first_live ();
    test_failover_order ();
    test_failover_skips_and_wraps ();
    test_no_resend_before_timeout ();
    test_stale_replies ();
    test_late_answer_accepted ();
    test_lost_connection ();
    test_waits_for_a_server ();
    test_no_server ();
    test_timeout_then_no_server ();
    test_no_retries ();
    test_malformed ();
    test_refusals ();
    test_ccf_sequence ();
    test_request_from_result ();
    clear ();
    test_shell_failover ();
    test_shell_no_server ();
    printf ("test-flp-client: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
