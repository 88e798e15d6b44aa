/*  test_mdp_client.c — the Majordomo client.

    First its I/O-free core, driven with a fake clock: every message it
    sends is captured and decoded with the codec, so each check reads like
    the exchange on the wire; reconnects, results and log lines are
    counted.  Then the shell on real sockets: the broker shell, a client
    shell and a worker played by a DEALER socket, in one context, driven by
    zw_ctx_run alone (no threads).  Clause IDs name what each test shows.  */

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "mdp_broker_shell.h"
#include "mdp_client.h"
#include "mdp_client_shell.h"
#include "role_frames.h"
#include "test_check.h"
#include "test_mdp.h"
#include "test_watchdog.h"

#define SENT_MAX 64
#define RESULTS_MAX 16

/* --- the core, on a fake clock ------------------------------------------------------ */

static role_frames *sent[SENT_MAX];
static size_t sent_count;
static unsigned reconnects;
static int log_lines;
static char last_log[512];

typedef struct {
    mdp_client_outcome outcome;
    unsigned attempt;
    role_frames *body;
} result_copy;

static result_copy results[RESULTS_MAX];
static size_t result_count;
static mdp_client *next_requester;     /* set: a result makes the next request (re-entry) */
static uint64_t next_at;                /* ... at this time */

static int
capture_send (void *arg, const zw_mdp_frame *head, size_t head_count,
              const zw_mdp_frame *body, size_t body_count)
{
    (void) arg;
    zw_mdp_frame all[64];
    size_t n = joined (all, 64, head, head_count, body, body_count);
    if (sent_count == SENT_MAX)
        abort ();
    sent[sent_count++] = role_frames_copy (all, n);
    return 0;
}

static void
capture_reconnect (void *arg)
{
    (void) arg;
    reconnects++;
}

static void
capture_deliver (void *arg, const mdp_client_result *result)
{
    (void) arg;
    if (result_count == RESULTS_MAX)
        abort ();
    result_copy *r = &results[result_count++];
    r->outcome = result->outcome;
    r->attempt = result->attempt;
    r->body = role_frames_copy (result->body, result->body_count);
    if (next_requester && result->outcome != MDP_CLIENT_PARTIAL) {
        zw_mdp_frame service = text ("next"), body = text ("b");
        CHECK (mdp_client_request (next_requester, next_at, &service, &body, 1) == 0);
        next_requester = NULL;
    }
}

static void
capture_log (void *arg, const char *line)
{
    (void) arg;
    log_lines++;
    snprintf (last_log, sizeof last_log, "%s", line);
}

static void
clear (void)
{
    for (size_t i = 0; i < sent_count; i++)
        free (sent[i]);
    for (size_t i = 0; i < result_count; i++)
        free (results[i].body);
    sent_count = result_count = 0;
    reconnects = 0;
    log_lines = 0;
    last_log[0] = 0;
}

static mdp_client *
client_new (zw_mdp_version version)
{
    mdp_client_config config;
    mdp_client_config_default (&config);
    config.version = version;
    config.timeout_ms = 100;
    config.retries = 2;
    mdp_client_io io = { capture_send, capture_reconnect, capture_deliver, capture_log, NULL };
    clear ();
    return mdp_client_new (&config, &io);
}

/* A request for service with one body frame. */
static int
ask (mdp_client *c, uint64_t now, const char *service, const char *body)
{
    zw_mdp_frame name = text (service), frame = text (body);
    return mdp_client_request (c, now, &name, &frame, 1);
}

/* Feeds one message from the broker: frames are strings, NULL-terminated. */
static void
feed (mdp_client *c, uint64_t now, ...)
{
    zw_mdp_frame frames[32];
    va_list args;
    va_start (args, now);
    size_t n = frames_of (frames, 32, args);
    va_end (args);
    mdp_client_input (c, now, frames, n);
}

/* The i-th message sent since the last clear, decoded as a client message of either version. */
static const zw_mdp_message *
sent_message (size_t i)
{
    static zw_mdp_message m;
    zw_error e = { 0 };
    if (i >= sent_count)
        return NULL;
    unsigned accept = ZW_MDP_ACCEPT_CLIENT | ZW_MDP_ACCEPT_V01 | ZW_MDP_ACCEPT_V02;
    return zw_mdp_decode (sent[i]->frame, sent[i]->count, accept, &m, &e) ? &m : NULL;
}

static int
sent_body_is (size_t i, const char *s)
{
    const zw_mdp_message *m = sent_message (i);
    return m && m->body_count == 1 && frame_is (&sent[i]->frame[m->body], s);
}

static int
result_is (size_t i, mdp_client_outcome outcome, const char *body)
{
    if (i >= result_count || results[i].outcome != outcome)
        return 0;
    if (!body)
        return results[i].body->count == 0;
    return results[i].body->count == 1 && frame_is (&results[i].body->frame[0], body);
}

/*  mdp01.grammar.client-request, mdp01.client.dealer-empty-frame: the 0.1
    request on a DEALER opens with the empty frame, then MDPC01, the
    service, the body; the REPLY answers it (mdp01.grammar.client-reply).  */
static void
test_request_01 (void)
{
    mdp_client *c = client_new (ZW_MDP_V01);
    zw_mdp_frame name = text ("echo"), body[2] = { text ("hello"), text ("") };
    CHECK (mdp_client_request (c, 0, &name, body, 2) == 0);
    CHECK (sent_count == 1 && sent[0]->count == 5);
    CHECK (sent_count == 1 && frame_is (&sent[0]->frame[0], "")
           && frame_is (&sent[0]->frame[1], "MDPC01") && frame_is (&sent[0]->frame[2], "echo"));
    const zw_mdp_message *m = sent_message (0);
    CHECK (m && m->version == ZW_MDP_V01 && m->command == ZW_MDP_NONE && m->body_count == 2);
    CHECK (mdp_client_busy (c) && mdp_client_tick (c, 0) == 100);
    feed (c, 50, "", "MDPC01", "echo", "HELLO", NULL);
    CHECK (result_count == 1 && result_is (0, MDP_CLIENT_ANSWERED, "HELLO"));
    CHECK (results[0].attempt == 1 && !mdp_client_busy (c));
    CHECK (mdp_client_tick (c, 60) == UINT64_MAX && log_lines == 0);
    mdp_client_destroy (c);
}

/* mdp02.grammar.client-request: MDPC02, 0x01, the service, the body; no empty frame. */
static void
test_request_02 (void)
{
    mdp_client *c = client_new (ZW_MDP_V02);
    CHECK (ask (c, 0, "echo", "hi") == 0);
    CHECK (sent_count == 1 && sent[0]->count == 4);
    CHECK (sent_count == 1 && frame_is (&sent[0]->frame[0], "MDPC02")
           && frame_is (&sent[0]->frame[1], "\x01"));
    const zw_mdp_message *m = sent_message (0);
    CHECK (m && m->version == ZW_MDP_V02 && m->command == ZW_MDP_REQUEST);
    CHECK (m && frame_is (&m->service, "echo") && sent_body_is (0, "hi"));
    mdp_client_destroy (c);
}

/*  mdp02.client.handle-partials, M2-7: each PARTIAL goes to the
    application as it comes; the FINAL ends the request.  */
static void
test_partials_then_final (void)
{
    mdp_client *c = client_new (ZW_MDP_V02);
    ask (c, 0, "s", "q");
    feed (c, 10, "MDPC02", "\x02", "s", "one", NULL);
    feed (c, 20, "MDPC02", "\x02", "s", "two", NULL);
    CHECK (result_count == 2 && mdp_client_busy (c));
    feed (c, 30, "MDPC02", "\x03", "s", "end", NULL);
    CHECK (result_is (0, MDP_CLIENT_PARTIAL, "one") && result_is (1, MDP_CLIENT_PARTIAL, "two"));
    CHECK (result_is (2, MDP_CLIENT_ANSWERED, "end") && !mdp_client_busy (c));
    mdp_client_stats stats;
    mdp_client_get_stats (c, &stats);
    CHECK (stats.partials == 2 && stats.answered == 1 && stats.requests == 1 && stats.sent == 1);
    mdp_client_destroy (c);
}

/* M2-7: a PARTIAL restarts the reply timeout. */
static void
test_partial_restarts_timeout (void)
{
    mdp_client *c = client_new (ZW_MDP_V02);
    ask (c, 0, "s", "q");
    feed (c, 90, "MDPC02", "\x02", "s", "p", NULL);
    CHECK (mdp_client_tick (c, 90) == 190);
    CHECK (mdp_client_tick (c, 150) == 190 && sent_count == 1 && reconnects == 0);
    mdp_client_tick (c, 190);
    CHECK (sent_count == 2 && reconnects == 1);
    mdp_client_destroy (c);
}

/*  mdp01.client.recovery: no reply within the timeout: a new socket and
    the same request again, twice; then given up, on a new socket once
    more, and the application told.  The client then takes a new request.  */
static void
test_retry_then_give_up (void)
{
    mdp_client *c = client_new (ZW_MDP_V01);
    ask (c, 0, "s", "q");
    CHECK (mdp_client_tick (c, 99) == 100 && sent_count == 1);
    CHECK (mdp_client_tick (c, 100) == 200);
    CHECK (sent_count == 2 && reconnects == 1 && sent_body_is (1, "q"));
    CHECK (strstr (last_log, "attempt 2 of 3") && strstr (last_log, "[mdp01.client.recovery]"));
    CHECK (mdp_client_tick (c, 200) == 300 && sent_count == 3 && reconnects == 2);
    CHECK (mdp_client_tick (c, 300) == UINT64_MAX);
    CHECK (sent_count == 3 && reconnects == 3 && !mdp_client_busy (c));
    CHECK (result_count == 1 && result_is (0, MDP_CLIENT_TIMED_OUT, NULL));
    CHECK (results[0].attempt == 3 && strstr (last_log, "given up"));
    mdp_client_stats stats;
    mdp_client_get_stats (c, &stats);
    CHECK (stats.retries == 2 && stats.timed_out == 1 && stats.sent == 3);
    /* a late REPLY to the request given up is no answer to anything */
    feed (c, 310, "", "MDPC01", "s", "late", NULL);
    CHECK (result_count == 1 && strstr (last_log, "M2-19"));
    CHECK (ask (c, 320, "s", "again") == 0 && sent_count == 4 && sent_body_is (3, "again"));
    mdp_client_destroy (c);
}

/*  No retry at all: retries 0 gives up at the first timeout.  */
static void
test_no_retries (void)
{
    mdp_client_config config;
    mdp_client_config_default (&config);
    config.timeout_ms = 10;
    config.retries = 0;
    mdp_client_io io = { capture_send, capture_reconnect, capture_deliver, capture_log, NULL };
    clear ();
    mdp_client *c = mdp_client_new (&config, &io);
    ask (c, 0, "s", "q");
    mdp_client_tick (c, 10);
    CHECK (sent_count == 1 && result_count == 1 && result_is (0, MDP_CLIENT_TIMED_OUT, NULL));
    mdp_client_destroy (c);
}

/*  M2-19: a reply for another service, or with nothing outstanding (after
    the FINAL: mdp02.broker.silent-after-final), is discarded and logged;
    the wait goes on.  A REQUEST from the broker likewise.  */
static void
test_stray_replies (void)
{
    mdp_client *c = client_new (ZW_MDP_V02);
    feed (c, 0, "MDPC02", "\x03", "s", "early", NULL);
    CHECK (result_count == 0 && strstr (last_log, "no request outstanding"));
    ask (c, 0, "s", "q");
    feed (c, 10, "MDPC02", "\x03", "other", "wrong", NULL);
    CHECK (result_count == 0 && mdp_client_busy (c) && strstr (last_log, "M2-19"));
    feed (c, 20, "MDPC02", "\x01", "s", "req", NULL);
    CHECK (result_count == 0 && strstr (last_log, "REQUEST from the broker"));
    feed (c, 30, "MDPC02", "\x03", "s", "right", NULL);
    CHECK (result_count == 1 && result_is (0, MDP_CLIENT_ANSWERED, "right"));
    feed (c, 40, "MDPC02", "\x02", "s", "after", NULL);
    CHECK (result_count == 1 && strstr (last_log, "mdp02.broker.silent-after-final"));
    mdp_client_stats stats;
    mdp_client_get_stats (c, &stats);
    CHECK (stats.discarded == 4 && stats.invalid == 0);
    mdp_client_destroy (c);
}

/*  Malformed messages, and messages of the other version or sub-protocol,
    are dropped with their clause; the request is still answered.  */
static void
test_malformed_survived (void)
{
    mdp_client *c = client_new (ZW_MDP_V01);
    ask (c, 0, "s", "q");
    feed (c, 1, "junk", NULL);
    CHECK (log_lines == 1 && strstr (last_log, "malformed") && strstr (last_log, "["));
    feed (c, 2, "", "MDPC01", "s", NULL);                       /* no body */
    feed (c, 3, "MDPC02", "\x03", "s", "v2", NULL);             /* the other version */
    feed (c, 4, "", "MDPW01", "\x03", "C", "", "x", NULL);      /* a worker message */
    feed (c, 5, NULL);                                          /* no frame at all */
    CHECK (result_count == 0 && log_lines == 5 && mdp_client_busy (c));
    feed (c, 6, "", "MDPC01", "s", "fine", NULL);
    CHECK (result_count == 1 && result_is (0, MDP_CLIENT_ANSWERED, "fine"));
    mdp_client_stats stats;
    mdp_client_get_stats (c, &stats);
    CHECK (stats.invalid == 5);
    mdp_client_destroy (c);
}

/* One request at a time; bad requests are refused before anything is sent. */
static void
test_refusals (void)
{
    mdp_client *c = client_new (ZW_MDP_V02);
    zw_mdp_frame empty = text (""), bad = text ("tab\there"), body = text ("b");
    errno = 0;
    CHECK (mdp_client_request (c, 0, &empty, &body, 1) == -1 && errno == EINVAL);
    CHECK (mdp_client_request (c, 0, &bad, &body, 1) == -1 && errno == EINVAL);
    zw_mdp_frame name = text ("s");
    CHECK (mdp_client_request (c, 0, &name, &body, 0) == -1 && errno == EINVAL);
    CHECK (sent_count == 0);
    CHECK (ask (c, 0, "s", "first") == 0);
    CHECK (ask (c, 1, "s", "second") == -1 && errno == EBUSY);
    CHECK (sent_count == 1 && mdp_client_tick (c, 1) == 100);
    mdp_client_destroy (c);
    mdp_client_config config;
    mdp_client_config_default (&config);
    config.version = 3;
    mdp_client_io io = { capture_send, capture_reconnect, capture_deliver, capture_log, NULL };
    CHECK (mdp_client_new (&config, &io) == NULL && errno == EINVAL);
}

/* The delivery is the step's last action: the application may ask again from inside it. */
static void
test_request_from_result (void)
{
    mdp_client *c = client_new (ZW_MDP_V02);
    ask (c, 0, "s", "q");
    next_requester = c;
    next_at = 10;
    feed (c, 10, "MDPC02", "\x03", "s", "a", NULL);
    CHECK (result_count == 1 && mdp_client_busy (c) && sent_count == 2);
    const zw_mdp_message *m = sent_message (1);
    CHECK (m && frame_is (&m->service, "next"));
    CHECK (mdp_client_tick (c, 10) == 110);
    next_requester = c;
    next_at = 310;
    mdp_client_tick (c, 110);       /* the second request: retried twice, then given up */
    mdp_client_tick (c, 210);
    CHECK (mdp_client_tick (c, 310) == 410);   /* the third, made from inside the time-out */
    CHECK (result_count == 2 && results[1].outcome == MDP_CLIENT_TIMED_OUT);
    CHECK (mdp_client_busy (c) && sent_count == 5 && reconnects == 3);
    next_requester = NULL;
    mdp_client_destroy (c);
}

/* --- the shells, on real sockets ----------------------------------------------------- */

#define WAIT_MS 5000                /* only a bound on a failing test */

typedef struct {
    zw_socket *dealer;
    int ready_sent;
    unsigned requests;
} fake_worker;

/* A 0.1 worker of service "echo", played by a DEALER: READY once it can send. */
static void
worker_writable (void *arg)
{
    fake_worker *w = arg;
    zw_msg *msg = zw_msg_new ();
    zw_msg_add (msg, NULL, 0);
    zw_msg_add_str (msg, "MDPW01");
    zw_msg_add_str (msg, "\x01");
    zw_msg_add_str (msg, "echo");
    if (zw_send (w->dealer, msg, 0) == 0) {
        w->ready_sent = 1;
        zw_socket_set_writable (w->dealer, NULL, NULL);
    } else {
        zw_msg_destroy (msg);
    }
}

/* Each REQUEST ("", MDPW01, 0x02, client, "", body...) answered by its body, as a REPLY. */
static void
worker_readable (void *arg)
{
    fake_worker *w = arg;
    zw_msg *msg;
    while (zw_recv (w->dealer, &msg, 0) == 0) {
        if (msg->count >= 6 && msg->frames[2].size == 1 && msg->frames[2].data[0] == 0x02) {
            w->requests++;
            msg->frames[2].data[0] = 0x03;      /* REQUEST -> REPLY, the rest unchanged */
            if (zw_send (w->dealer, msg, 0) == 0)
                continue;
        }
        zw_msg_destroy (msg);
    }
}

typedef struct {
    unsigned partials, answers, timeouts;
    char last[64];
} shell_results;

static void
shell_result (void *arg, const mdp_client_result *result)
{
    shell_results *r = arg;
    if (result->outcome == MDP_CLIENT_PARTIAL)
        r->partials++;
    else if (result->outcome == MDP_CLIENT_ANSWERED)
        r->answers++;
    else
        r->timeouts++;
    if (result->body_count >= 1)
        snprintf (r->last, sizeof r->last, "%.*s", (int) result->body[0].size,
                  (const char *) result->body[0].data);
}

static void
quiet (void *arg, const char *line)
{
    (void) arg, (void) line;
}

/* Runs the loop until *flag is non-zero or WAIT_MS has passed; returns *flag. */
static int
run_until (zw_ctx *ctx, const unsigned *flag)
{
    uint64_t end = zw_ctx_now (ctx) + WAIT_MS;
    while (!*flag && zw_ctx_now (ctx) < end)
        zw_ctx_run (ctx, 5);
    return *flag != 0;
}

static unsigned
registered (const mdp_broker_shell *broker)
{
    mdp_broker_stats stats;
    mdp_broker_shell_stats (broker, &stats);
    return (unsigned) stats.workers;
}

/*  A request answered end to end: client shell (0.2) -> broker shell ->
    a 0.1 worker -> back (M2-1); then an mmi.service lookup, found and not
    (mmi.service.found, mmi.service.not-found), through mdp_client_call.  */
static void
test_end_to_end (void)
{
    watchdog_arm ("test_end_to_end", 30);
    zw_ctx *ctx = zw_ctx_new ();
    zw_ctx_set_log (ctx, quiet, NULL);
    mdp_broker_config bconfig;
    mdp_broker_config_default (&bconfig);
    const char *bind = "tcp://127.0.0.1:0";
    mdp_broker_shell *broker = mdp_broker_shell_new (ctx, &bconfig, &bind, 1, quiet, NULL);
    CHECK (broker != NULL);
    fake_worker w = { .dealer = zw_socket_new (ctx, ZW_DEALER) };
    zw_connect (w.dealer, mdp_broker_shell_endpoint (broker));
    zw_socket_set_writable (w.dealer, worker_writable, &w);
    zw_socket_set_readable (w.dealer, worker_readable, &w);
    uint64_t end = zw_ctx_now (ctx) + WAIT_MS;
    while (registered (broker) == 0 && zw_ctx_now (ctx) < end)
        zw_ctx_run (ctx, 5);
    CHECK (registered (broker) == 1);

    shell_results r = { 0 };
    mdp_client_config config;
    mdp_client_config_default (&config);
    mdp_client_callbacks callbacks = { shell_result, quiet, &r };
    mdp_client_shell *client = mdp_client_shell_new (ctx, mdp_broker_shell_endpoint (broker),
                                                     &config, &callbacks);
    CHECK (client != NULL);
    zw_mdp_frame body = text ("hello");
    CHECK (mdp_client_shell_request (client, "echo", &body, 1) == 0);
    CHECK (mdp_client_shell_request (client, "echo", &body, 1) == -1 && errno == EBUSY);
    CHECK (run_until (ctx, &r.answers) && strcmp (r.last, "hello") == 0);
    CHECK (w.requests == 1 && r.timeouts == 0 && !mdp_client_shell_busy (client));

    zw_mdp_frame asked = text ("echo"), unknown = text ("nobody");
    CHECK (mdp_client_call (client, "mmi.service", &asked, 1) == MDP_CLIENT_ANSWERED);
    CHECK (strcmp (r.last, "200") == 0);
    CHECK (mdp_client_call (client, "mmi.service", &unknown, 1) == MDP_CLIENT_ANSWERED);
    CHECK (strcmp (r.last, "404") == 0);
    CHECK (mdp_client_call (client, "mmi.nothing", &asked, 1) == MDP_CLIENT_ANSWERED);
    CHECK (strcmp (r.last, "501") == 0 && r.answers == 4);

    mdp_client_shell_destroy (client);
    zw_close (w.dealer);
    mdp_broker_shell_destroy (broker);
    zw_ctx_destroy (ctx);
    watchdog_disarm ();
}

/*  mdp01.client.recovery on real sockets: a broker that is not there;
    each attempt on a new socket, the request waiting in the shell for a
    peer; given up after the retries.  Then the same client finds a
    broker that answers, once one is bound there.  */
static void
test_dead_endpoint (void)
{
    watchdog_arm ("test_dead_endpoint", 30);
    zw_ctx *ctx = zw_ctx_new ();
    zw_ctx_set_log (ctx, quiet, NULL);
    /* a port nobody listens on: bind one, note it, close it */
    zw_socket *probe = zw_socket_new (ctx, ZW_ROUTER);
    zw_bind (probe, "tcp://127.0.0.1:0");
    char endpoint[128];
    snprintf (endpoint, sizeof endpoint, "%s", zw_socket_last_endpoint (probe));
    zw_close (probe);

    shell_results r = { 0 };
    mdp_client_config config;
    mdp_client_config_default (&config);
    config.version = ZW_MDP_V01;
    config.timeout_ms = 200;
    config.retries = 2;
    mdp_client_callbacks callbacks = { shell_result, quiet, &r };
    mdp_client_shell *client = mdp_client_shell_new (ctx, endpoint, &config, &callbacks);
    zw_mdp_frame body = text ("x");
    CHECK (client && mdp_client_call (client, "echo", &body, 1) == MDP_CLIENT_TIMED_OUT);
    mdp_client_stats stats;
    mdp_client_shell_stats (client, &stats);
    CHECK (stats.sent == 3 && stats.retries == 2 && stats.timed_out == 1 && r.timeouts == 1);

    mdp_broker_config bconfig;
    mdp_broker_config_default (&bconfig);
    const char *bind = endpoint;
    mdp_broker_shell *broker = mdp_broker_shell_new (ctx, &bconfig, &bind, 1, quiet, NULL);
    CHECK (broker != NULL);
    zw_mdp_frame asked = text ("echo");
    CHECK (mdp_client_call (client, "mmi.service", &asked, 1) == MDP_CLIENT_ANSWERED);
    CHECK (strcmp (r.last, "404") == 0);

    mdp_client_shell_destroy (client);
    mdp_broker_shell_destroy (broker);
    zw_ctx_destroy (ctx);
    watchdog_disarm ();
}

/* A bad endpoint is refused at once. */
static void
test_bad_endpoint (void)
{
    zw_ctx *ctx = zw_ctx_new ();
    zw_ctx_set_log (ctx, quiet, NULL);
    mdp_client_config config;
    mdp_client_config_default (&config);
    mdp_client_callbacks callbacks = { shell_result, NULL, NULL };
    errno = 0;
    CHECK (mdp_client_shell_new (ctx, "nonsense://x", &config, &callbacks) == NULL);
    CHECK (errno == EINVAL);
    zw_ctx_destroy (ctx);
}

int
main (void)
{
    test_request_01 ();
    test_request_02 ();
    test_partials_then_final ();
    test_partial_restarts_timeout ();
    test_retry_then_give_up ();
    test_no_retries ();
    test_stray_replies ();
    test_malformed_survived ();
    test_refusals ();
    test_request_from_result ();
    clear ();
    test_end_to_end ();
    test_dead_endpoint ();
    test_bad_endpoint ();
    printf ("test-mdp-client: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
