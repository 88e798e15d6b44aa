/*  test_mdp_worker.c — the worker's I/O-free core, driven with a fake
    clock: everything it does to the world (messages sent, decoded with the
    codec; the socket closed or opened; requests handed on; log lines) is
    recorded in order as one line each, so each check reads like a
    transcript.  Timing is checked as order and counts, never against a
    wall clock.  Clause IDs name what each test shows.

    Last, one test on real sockets: the broker shell, the worker shell and
    a DEALER client in one context, driven only by zw_ctx_run.  */

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "mdp_broker_shell.h"
#include "role_shell.h"
#include "mdp_worker.h"
#include "mdp_worker_shell.h"
#include "test_check.h"
#include "test_mdp.h"

#define EVENTS_MAX 256

static char events[EVENTS_MAX][128];
static size_t event_count;
static char last_log[512];

/* The body frames of the last request handed on, and its id. */
static char request_body[256];
static uint64_t request_id;
static int echo_at_once;        /* answer inside the request call */
static mdp_worker *echo_worker;

static void
record (const char *format, ...)
{
    if (event_count == EVENTS_MAX)
        abort ();
    va_list args;
    va_start (args, format);
    vsnprintf (events[event_count++], sizeof events[0], format, args);
    va_end (args);
}

static void
frames_text (const zw_mdp_frame *frames, size_t count, char *text, size_t size)
{
    size_t at = 0;
    text[0] = 0;
    for (size_t i = 0; i < count && at < size; i++)
        at += (size_t) snprintf (text + at, size - at, "%s%.*s", i ? "|" : "",
                                 (int) frames[i].size, (const char *) frames[i].data);
}

/* "send <VERSION> <COMMAND> [<address>] [<body>|...]", as the codec reads what went out. */
static void
capture_send (void *arg, const zw_mdp_frame *head, size_t head_count,
              const zw_mdp_frame *body, size_t body_count)
{
    (void) arg;
    zw_mdp_frame all[64];
    size_t n = joined (all, 64, head, head_count, body, body_count);
    zw_mdp_message m;
    zw_error e = { 0 };
    if (!zw_mdp_decode (all, n, ZW_MDP_ACCEPT_ALL, &m, &e)) {
        record ("send MALFORMED %s", e.clause);
        return;
    }
    char address[64] = "", text[128] = "";
    if (m.address.size)
        snprintf (address, sizeof address, " %.*s", (int) m.address.size,
                  (const char *) m.address.data);
    if (m.body_count)
        frames_text (all + m.body, m.body_count, text, sizeof text);
    record ("send %s %s%s%s%s", zw_mdp_version_name (m.version), zw_mdp_command_name (m.command),
            address, m.body_count ? " " : "", text);
}

static void
capture_close (void *arg)
{
    (void) arg;
    record ("close");
}

static void
capture_reconnect (void *arg)
{
    (void) arg;
    record ("reconnect");
}

static void
capture_request (void *arg, uint64_t id, const zw_mdp_frame *body, size_t count)
{
    (void) arg;
    frames_text (body, count, request_body, sizeof request_body);
    request_id = id;
    record ("request %llu %s", (unsigned long long) id, request_body);
    if (echo_at_once)
        mdp_worker_reply (echo_worker, 0, id, body, count);
}

static void
capture_log (void *arg, const char *line)
{
    (void) arg;
    snprintf (last_log, sizeof last_log, "%s", line);
    record ("log");
}

/* A worker of the given version on a fake clock: heartbeat 100 ms, liveness 3, reconnect 500 ms. */
static mdp_worker *
worker_new (zw_mdp_version version)
{
    mdp_worker_config config;
    mdp_worker_config_default (&config);
    config.version = version;
    config.service = "echo";
    config.heartbeat_ms = 100;
    config.liveness = 3;
    config.reconnect_ms = 500;
    mdp_worker_io io = { capture_send, capture_close, capture_reconnect, capture_request,
                         capture_log, NULL };
    event_count = 0;
    last_log[0] = 0;
    request_id = 0;
    echo_at_once = 0;
    return mdp_worker_new (&config, &io);
}

/* Feeds one message from the broker: frames are strings, NULL-terminated. */
static void
feed (mdp_worker *w, uint64_t now, ...)
{
    zw_mdp_frame frames[32];
    va_list args;
    va_start (args, now);
    size_t n = frames_of (frames, 32, args);
    va_end (args);
    mdp_worker_input (w, now, frames, n);
}

static int
answer (mdp_worker *w, uint64_t now, uint64_t id, int final, const char *s)
{
    zw_mdp_frame f = text (s);
    return final ? mdp_worker_reply (w, now, id, &f, 1) : mdp_worker_partial (w, now, id, &f, 1);
}

/* 1 if events[from..] are exactly the lines given (NULL-terminated). */
static int
events_are (size_t from, ...)
{
    va_list args;
    va_start (args, from);
    size_t i = from;
    int same = 1;
    for (const char *line; same && (line = va_arg (args, const char *)) != NULL; i++)
        same = i < event_count && strcmp (events[i], line) == 0;
    va_end (args);
    if (same && i != event_count)
        same = 0;
    if (!same)
        for (size_t j = from; j < event_count; j++)
            fprintf (stderr, "  event %zu: %s\n", j, events[j]);
    return same;
}

static size_t
count_of (const char *line)
{
    size_t n = 0;
    for (size_t i = 0; i < event_count; i++)
        n += strcmp (events[i], line) == 0;
    return n;
}

/* --- the core ---------------------------------------------------------------- */

/* mdp01.grammar.ready, mdp02.grammar.ready: a new socket, then READY for the service. */
static void
test_ready_on_start (void)
{
    mdp_worker *w = worker_new (ZW_MDP_V01);
    CHECK (w != NULL);
    mdp_worker_start (w, 0);
    CHECK (events_are (0, "reconnect", "send 0.1 READY", NULL));
    mdp_worker_start (w, 1);                /* once */
    CHECK (event_count == 2);
    mdp_worker_destroy (w);

    w = worker_new (ZW_MDP_V02);
    mdp_worker_start (w, 0);
    CHECK (events_are (0, "reconnect", "send 0.2 READY", NULL));
    mdp_worker_destroy (w);
}

/* An unusable configuration is refused (M9, M2-14: a service name is 1+ printable octets). */
static void
test_config_refused (void)
{
    mdp_worker_config config;
    mdp_worker_io io = { capture_send, capture_close, capture_reconnect, capture_request, NULL, NULL };
    mdp_worker_config_default (&config);
    CHECK (config.heartbeat_ms == 2500 && config.liveness == 3 && config.reconnect_ms == 2500);
    CHECK (mdp_worker_new (&config, &io) == NULL);          /* no service */
    config.service = "";
    CHECK (mdp_worker_new (&config, &io) == NULL);
    config.service = "tab\there";
    CHECK (mdp_worker_new (&config, &io) == NULL);
    config.service = "ok";
    config.version = 3;
    CHECK (mdp_worker_new (&config, &io) == NULL);
}

/*  mdp01.grammar.worker-reply, mdp01.request.one-address: the REPLY names
    the client of the REQUEST, byte for byte (M12); the body goes to the
    application and back.  */
static void
test_echo_round_trip_01 (void)
{
    mdp_worker *w = worker_new (ZW_MDP_V01);
    mdp_worker_start (w, 0);
    feed (w, 10, "", "MDPW01", "\x02", "C1", "", "hello", "world", NULL);
    CHECK (request_id != 0 && strcmp (request_body, "hello|world") == 0);
    CHECK (mdp_worker_busy (w));
    CHECK (answer (w, 20, request_id, 0, "part") == -1);    /* 0.1 has no PARTIAL */
    CHECK (answer (w, 20, request_id, 1, "HELLO") == 0);
    CHECK (events_are (2, "request 1 hello|world", "send 0.1 REPLY C1 HELLO", NULL));
    CHECK (!mdp_worker_busy (w));
    mdp_worker_destroy (w);
}

/*  mdp02.worker.partials-then-final (M2-16): PARTIALs, then one FINAL;
    after it the id is stale.  An answer inside the request call works too.  */
static void
test_echo_round_trip_02 (void)
{
    mdp_worker *w = worker_new (ZW_MDP_V02);
    mdp_worker_start (w, 0);
    feed (w, 10, "MDPW02", "\x02", "C2", "", "x", NULL);
    CHECK (answer (w, 11, request_id, 0, "p1") == 0);
    CHECK (answer (w, 12, request_id, 0, "p2") == 0);
    CHECK (mdp_worker_reply (w, 13, request_id, NULL, 0) == 0);    /* an empty body: one empty frame */
    CHECK (events_are (2, "request 1 x", "send 0.2 PARTIAL C2 p1", "send 0.2 PARTIAL C2 p2",
                       "send 0.2 FINAL C2 ", NULL));
    CHECK (answer (w, 14, request_id, 1, "again") == -1);         /* one FINAL per REQUEST */
    CHECK (strstr (last_log, "no longer holds") != NULL);
    echo_at_once = 1;
    echo_worker = w;
    size_t before = event_count;
    feed (w, 20, "MDPW02", "\x02", "C3", "", "now", NULL);
    CHECK (events_are (before, "request 2 now", "send 0.2 FINAL C3 now", NULL));
    CHECK (!mdp_worker_busy (w));
    mdp_worker_destroy (w);
}

/*  mdp01.heartbeat.worker-sends, mdp01.heartbeat.not-alongside (M4): a
    HEARTBEAT only after a whole interval with no command sent; the broker
    heartbeats keep it alive (mdp01.heartbeat.worker-expires-broker).  */
static void
test_heartbeat_timing (void)
{
    mdp_worker *w = worker_new (ZW_MDP_V01);
    mdp_worker_start (w, 0);
    CHECK (mdp_worker_tick (w, 0) == 100);
    CHECK (mdp_worker_tick (w, 99) == 100);
    CHECK (count_of ("send 0.1 HEARTBEAT") == 0);
    CHECK (mdp_worker_tick (w, 100) == 200);
    CHECK (count_of ("send 0.1 HEARTBEAT") == 1);
    mdp_worker_tick (w, 150);
    CHECK (count_of ("send 0.1 HEARTBEAT") == 1);
    /* a reply sent at 250 is its own heartbeat: the next is due at 350, not 300 */
    feed (w, 240, "", "MDPW01", "\x02", "C", "", "q", NULL);
    answer (w, 250, request_id, 1, "r");
    CHECK (mdp_worker_tick (w, 260) == 350);
    mdp_worker_tick (w, 300);
    CHECK (count_of ("send 0.1 HEARTBEAT") == 1);
    /* broker heartbeats every 200 ms: never expired; worker heartbeats every 100 */
    for (uint64_t t = 300; t <= 1000; t += 50) {
        if (t % 200 == 0)
            feed (w, t, "", "MDPW01", "\x04", NULL);
        mdp_worker_tick (w, t);
    }
    CHECK (count_of ("send 0.1 HEARTBEAT") == 8);          /* 350, 450, ..., 950 and 100 */
    CHECK (count_of ("close") == 0 && count_of ("reconnect") == 1);
    mdp_worker_destroy (w);
}

/*  M2, M2-3: heartbeats go on, both ways, while the application works;
    the broker heartbeats keep a busy worker connected.  */
static void
test_heartbeat_while_busy (void)
{
    mdp_worker *w = worker_new (ZW_MDP_V02);
    mdp_worker_start (w, 0);
    feed (w, 10, "MDPW02", "\x02", "C", "", "slow", NULL);
    for (uint64_t t = 20; t <= 1000; t += 10) {
        if (t % 100 == 0)
            feed (w, t, "MDPW02", "\x05", NULL);
        mdp_worker_tick (w, t);
    }
    CHECK (count_of ("send 0.2 HEARTBEAT") >= 9);
    CHECK (count_of ("close") == 0 && mdp_worker_busy (w));
    CHECK (answer (w, 1001, request_id, 1, "done") == 0);
    CHECK (strcmp (events[event_count - 1], "send 0.2 FINAL C done") == 0);
    mdp_worker_destroy (w);
}

/*  mdp01.heartbeat.worker-expires-broker, mdp01.heartbeat.worker-restart,
    M14: silence for liveness x interval closes the socket; after the
    reconnect delay, a new one and READY again on it.  */
static void
test_broker_silence_reconnects (void)
{
    mdp_worker *w = worker_new (ZW_MDP_V01);
    mdp_worker_start (w, 0);
    feed (w, 50, "", "MDPW01", "\x04", NULL);      /* heard at 50: gone at 350 */
    mdp_worker_tick (w, 349);
    CHECK (count_of ("close") == 0);
    uint64_t next = mdp_worker_tick (w, 350);
    CHECK (next == 850);
    CHECK (strstr (last_log, "mdp01.heartbeat.worker-expires-broker") != NULL);
    size_t closed = event_count;
    CHECK (strcmp (events[closed - 1], "close") == 0);
    mdp_worker_tick (w, 600);
    mdp_worker_tick (w, 849);
    CHECK (event_count == closed);              /* nothing while waiting (no heartbeat either) */
    mdp_worker_tick (w, 850);
    CHECK (events_are (closed, "reconnect", "send 0.1 READY", NULL));
    mdp_worker_stats stats;
    mdp_worker_get_stats (w, &stats);
    CHECK (stats.connections == 2);
    /* the new connection has its own expiry */
    CHECK (mdp_worker_tick (w, 851) == 950);
    mdp_worker_destroy (w);
}

/*  mdp01.disconnect.worker-close, -reconnect, M13, M14: DISCONNECT closes
    the socket at once, nothing is sent, and READY goes on a new socket
    after the delay.  A busy worker loses its request (M8): its answer is
    stale.  */
static void
test_disconnect_reconnects_after_delay (void)
{
    mdp_worker *w = worker_new (ZW_MDP_V02);
    mdp_worker_start (w, 0);
    feed (w, 10, "MDPW02", "\x02", "C", "", "job", NULL);
    uint64_t lost = request_id;
    feed (w, 20, "MDPW02", "\x06", NULL);
    CHECK (strcmp (events[event_count - 1], "close") == 0);
    CHECK (strstr (last_log, "mdp02.disconnect.worker-close") != NULL);
    size_t closed = event_count;
    CHECK (mdp_worker_tick (w, 20) == 520);
    for (uint64_t t = 30; t < 520; t += 10)
        mdp_worker_tick (w, t);
    CHECK (answer (w, 300, lost, 1, "late") == -1);
    CHECK (count_of ("send 0.2 FINAL C late") == 0);
    CHECK (events_are (closed, "log", NULL));     /* the stale answer, logged; nothing sent */
    mdp_worker_tick (w, 520);
    CHECK (events_are (closed, "log", "reconnect", "send 0.2 READY", NULL));
    CHECK (!mdp_worker_busy (w));
    mdp_worker_destroy (w);
}

/* M2-19: a REQUEST while busy is logged and ignored; the first is still answered. */
static void
test_request_while_busy_ignored (void)
{
    mdp_worker *w = worker_new (ZW_MDP_V01);
    mdp_worker_start (w, 0);
    feed (w, 10, "", "MDPW01", "\x02", "C1", "", "first", NULL);
    uint64_t first = request_id;
    feed (w, 11, "", "MDPW01", "\x02", "C2", "", "second", NULL);
    CHECK (request_id == first);
    CHECK (strstr (last_log, "M2-19") != NULL);
    CHECK (answer (w, 12, first, 1, "one") == 0);
    CHECK (events_are (2, "request 1 first", "log", "send 0.1 REPLY C1 one", NULL));
    mdp_worker_stats stats;
    mdp_worker_get_stats (w, &stats);
    CHECK (stats.ignored == 1 && stats.requests == 1 && stats.replies == 1);
    mdp_worker_destroy (w);
}

/*  Malformed or unexpected traffic from the broker is logged with its
    clause and survived: the worker stays registered and serves on.  A
    malformed message is no heartbeat.  */
static void
test_malformed_survived (void)
{
    mdp_worker *w = worker_new (ZW_MDP_V01);
    mdp_worker_start (w, 0);
    feed (w, 10, "", "MDPW01", "\x04", "extra", NULL);         /* HEARTBEAT with a body */
    CHECK (strstr (last_log, "malformed") != NULL && strstr (last_log, "mdp01.") != NULL);
    feed (w, 11, "MDPW02", "\x05", NULL);                       /* the other version */
    feed (w, 12, "", "MDPC01", "echo", "x", NULL);              /* a client message */
    feed (w, 13, "", "MDPW01", "\x09", NULL);                   /* an unknown command */
    feed (w, 14, NULL);                                         /* no frame at all */
    feed (w, 15, "", "MDPW01", "\x01", "echo", NULL);           /* READY, a worker command */
    CHECK (strstr (last_log, "mdp01.grammar.ready") != NULL);
    feed (w, 16, "", "MDPW01", "\x02", "C", "", "still", NULL);
    CHECK (strcmp (request_body, "still") == 0);
    CHECK (answer (w, 17, request_id, 1, "here") == 0);
    mdp_worker_stats stats;
    mdp_worker_get_stats (w, &stats);
    CHECK (stats.invalid == 5 && stats.unexpected == 1 && stats.replies == 1);
    CHECK (count_of ("close") == 0);
    mdp_worker_destroy (w);

    /* a malformed message is no command: it does not keep the broker alive */
    w = worker_new (ZW_MDP_V02);
    mdp_worker_start (w, 0);
    feed (w, 250, "MDPW02", "\x05", "extra", NULL);
    mdp_worker_tick (w, 300);
    CHECK (count_of ("close") == 1);
    mdp_worker_destroy (w);
}

/* mdp01.disconnect.worker-any-time: a stop sends DISCONNECT, then closes; then nothing. */
static void
test_stop (void)
{
    mdp_worker *w = worker_new (ZW_MDP_V02);
    mdp_worker_start (w, 0);
    feed (w, 10, "MDPW02", "\x02", "C", "", "job", NULL);
    mdp_worker_stop (w, 20);
    CHECK (events_are (2, "request 1 job", "send 0.2 DISCONNECT", "close", NULL));
    CHECK (mdp_worker_tick (w, 10000) == UINT64_MAX);
    CHECK (answer (w, 30, 1, 1, "late") == -1);
    CHECK (event_count == 5);
    mdp_worker_destroy (w);

    /* stopped while waiting to reconnect: nothing to send, and no deadline left */
    w = worker_new (ZW_MDP_V01);
    mdp_worker_start (w, 0);
    feed (w, 10, "", "MDPW01", "\x05", NULL);
    mdp_worker_stop (w, 20);
    CHECK (mdp_worker_tick (w, 10000) == UINT64_MAX);
    CHECK (count_of ("reconnect") == 1 && count_of ("send 0.1 DISCONNECT") == 0);
    mdp_worker_destroy (w);
}

/* --- real sockets ------------------------------------------------------------ */

typedef struct {
    zw_socket *client;
    int sent, done;
    char reply[256];
} roles_client;

static void
echo_handler (void *arg, mdp_worker_shell *shell, uint64_t id, const zw_mdp_frame *body,
              size_t count)
{
    (void) arg;
    mdp_worker_shell_partial (shell, id, body, count);         /* 0.1: ENOTSUP, nothing sent */
    mdp_worker_shell_reply (shell, id, body, count);
}

static void
client_writable (void *arg)
{
    roles_client *c = arg;
    zw_mdp_frame f[4] = { text (""), text ("MDPC01"), text ("echo"), text ("hi") };
    if (role_shell_send (c->client, NULL, f, 4, NULL, 0) == 0) {
        c->sent = 1;
        zw_socket_set_writable (c->client, NULL, NULL);
    }
}

static void
client_readable (void *arg)
{
    roles_client *c = arg;
    zw_msg *msg;
    while (zw_recv (c->client, &msg, 0) == 0) {
        zw_mdp_frame frames[16];
        size_t n = role_shell_frames (msg, frames, 16);
        frames_text (frames, n, c->reply, sizeof c->reply);
        c->done = 1;
        zw_msg_destroy (msg);
    }
}

/*  mdp01.worker.one-dealer: the broker shell, the worker shell (of each
    version) and a 0.1 DEALER client on one context and one loop, driven
    by zw_ctx_run alone: the request is answered end to end.  */
static void
test_end_to_end (zw_mdp_version version)
{
    zw_ctx *ctx = zw_ctx_new ();
    zw_ctx_set_log (ctx, NULL, NULL);
    mdp_broker_config bc;
    mdp_broker_config_default (&bc);
    const char *bind = "tcp://127.0.0.1:0";
    mdp_broker_shell *broker = mdp_broker_shell_new (ctx, &bc, &bind, 1, NULL, NULL);
    CHECK (broker != NULL);
    mdp_worker_config wc;
    mdp_worker_config_default (&wc);
    wc.version = version;
    wc.service = "echo";
    mdp_worker_shell *worker = mdp_worker_shell_new (ctx, mdp_broker_shell_endpoint (broker), &wc,
                                                     echo_handler, NULL, NULL, NULL);
    CHECK (worker != NULL);
    roles_client c = { .client = zw_socket_new (ctx, ZW_DEALER) };
    CHECK (zw_connect (c.client, mdp_broker_shell_endpoint (broker)) == 0);
    zw_socket_set_writable (c.client, client_writable, &c);
    zw_socket_set_readable (c.client, client_readable, &c);
    uint64_t give_up = zw_ctx_now (ctx) + 10000;
    while (!c.done && zw_ctx_now (ctx) < give_up)
        zw_ctx_run (ctx, 50);
    CHECK (c.sent && c.done);
    CHECK (strcmp (c.reply, "|MDPC01|echo|hi") == 0);
    mdp_worker_stats stats;
    mdp_worker_shell_stats (worker, &stats);
    CHECK (stats.requests == 1 && stats.replies == 1);
    CHECK (stats.partials == (version == ZW_MDP_V02));
    mdp_worker_shell_destroy (worker);
    zw_close (c.client);
    mdp_broker_shell_destroy (broker);
    zw_ctx_destroy (ctx);
}

int
main (void)
{
    test_ready_on_start ();
    test_config_refused ();
    test_echo_round_trip_01 ();
    test_echo_round_trip_02 ();
    test_heartbeat_timing ();
    test_heartbeat_while_busy ();
    test_broker_silence_reconnects ();
    test_disconnect_reconnects_after_delay ();
    test_request_while_busy_ignored ();
    test_malformed_survived ();
    test_stop ();
    test_end_to_end (ZW_MDP_V01);
    test_end_to_end (ZW_MDP_V02);
    printf ("test-mdp-worker: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
