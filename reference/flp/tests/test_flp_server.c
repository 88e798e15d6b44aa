/*  test_flp_server.c — the Freelance server's I/O-free core, driven with a
    fake io: everything it does to the world (messages sent, read back with
    the codec as a client would; requests handed on; log lines) is recorded
    in order as one line each, so each check reads like a transcript, and
    every message sent is kept whole, so its octets can be compared.
    Clause IDs name what each test shows.  The variants of flp_fault.h are
    read once per process from the environment, so they are shown through
    the command line instead (reference/tests/test_cli_fl_server.py).

    Last, the shell on real sockets: a zwire ROUTER client with no
    identity pings and requests over tcp and ipc, driven by zw_ctx_run
    alone, and finds the server's identity, its endpoint, first in every
    answer.  */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "flp_server.h"
#include "flp_server_shell.h"
#include "role_frames.h"
#include "role_shell.h"
#include "test_check.h"

#define EVENTS_MAX 256
#define TOKENS_MAX 64

static char events[EVENTS_MAX][256];
static size_t event_count;
static char last_log[512];
static role_frames *sent[EVENTS_MAX];      /* each message sent: routing frame, head, body */
static size_t sent_count;
static flp_server_token *tokens[TOKENS_MAX];   /* requests handed on, in order */
static size_t token_count;
static flp_server *echo_server;             /* answer inside the request call when set */

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

/* Frames as "a|b|c": printable ones as they are, others in hex, an empty one as "-". */
static void
frames_text (const zw_flp_frame *frames, size_t count, char *text, size_t size)
{
    size_t at = 0;
    text[0] = 0;
    for (size_t i = 0; i < count && at + 1 < size; i++) {
        char one[128] = "-";
        if (frames[i].size)
            role_frame_print (&frames[i], one, sizeof one);
        at += (size_t) snprintf (text + at, size - at, "%s%s", i ? "|" : "", one);
    }
}

static zw_flp_frame
text (const char *s)
{
    return (zw_flp_frame) { (const uint8_t *) s, strlen (s) };
}

/* "send <client> PONG" or "send <client> REPLY <ccf> <body>", as the client's codec reads it. */
static void
capture_send (void *arg, const zw_flp_frame *routing, const zw_flp_frame *head, size_t head_count,
              const zw_flp_frame *body, size_t body_count)
{
    (void) arg;
    zw_flp_frame all[64];
    size_t n = 0;
    all[n++] = *routing;
    for (size_t i = 0; i < head_count && n < 64; i++)
        all[n++] = head[i];
    for (size_t i = 0; i < body_count && n < 64; i++)
        all[n++] = body[i];
    sent[sent_count++] = role_frames_copy (all, n);
    char client[64], ccf[128], rest[256];
    frames_text (routing, 1, client, sizeof client);
    zw_flp_message m;
    zw_error e = { 0 };
    if (!zw_flp_decode (all + 1, n - 1, ZW_FLP_TO_CLIENT, &m, &e))
        record ("send %s MALFORMED %s", client, e.clause);
    else if (m.command == ZW_FLP_PONG)
        record ("send %s PONG", client);
    else {
        frames_text (&m.ccf, 1, ccf, sizeof ccf);
        frames_text (all + 2, m.body_count, rest, sizeof rest);
        record ("send %s REPLY %s %s", client, ccf, rest);
    }
}

static void
capture_request (void *arg, flp_server_token *token, const zw_flp_frame *body, size_t count)
{
    (void) arg;
    char text_body[256];
    frames_text (body, count, text_body, sizeof text_body);
    if (echo_server) {
        record ("request %s", text_body);
        flp_server_reply (echo_server, token, body, count);
        return;
    }
    tokens[token_count++] = token;
    record ("request %zu %s", token_count - 1, text_body);
}

static void
capture_log (void *arg, const char *line)
{
    (void) arg;
    snprintf (last_log, sizeof last_log, "%s", line);
    record ("log");
}

static void
reset (void)
{
    for (size_t i = 0; i < sent_count; i++)
        free (sent[i]);
    sent_count = event_count = token_count = 0;
    last_log[0] = 0;
    echo_server = NULL;
}

static flp_server *
server_new (void)
{
    reset ();
    flp_server_io io = { capture_send, capture_request, capture_log, NULL };
    return flp_server_new (&io);
}

/* Feeds one message from client (its routing frame): the frames are strings, NULL-terminated. */
static void
feed (flp_server *s, const char *client, ...)
{
    zw_flp_frame frames[32], routing = text (client);
    size_t n = 0;
    va_list args;
    va_start (args, client);
    for (const char *f; n < 32 && (f = va_arg (args, const char *)) != NULL;)
        frames[n++] = text (f);
    va_end (args);
    flp_server_input (s, &routing, frames, n);
}

static int
reply (flp_server *s, size_t token, const char *body)
{
    zw_flp_frame f = text (body);
    return flp_server_reply (s, tokens[token], &f, 1);
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

static int
stats_are (const flp_server *s, uint64_t pings, uint64_t pongs, uint64_t requests, uint64_t replies,
           uint64_t invalid, uint64_t dropped)
{
    flp_server_stats st;
    flp_server_get_stats (s, &st);
    return st.pings == pings && st.pongs == pongs && st.requests == requests
        && st.replies == replies && st.invalid == invalid && st.dropped == dropped;
}

/* 1 if sent message i is exactly the frames given, routing frame first. */
static int
sent_is (size_t i, size_t count, const zw_flp_frame *frames)
{
    if (i >= sent_count || sent[i]->count != count)
        return 0;
    for (size_t f = 0; f < count; f++)
        if (!role_frame_equal (&sent[i]->frame[f], &frames[f]))
            return 0;
    return 1;
}

/* --- the core ---------------------------------------------------------------- */

/* No way to send or to hand a request on: no server. */
static void
test_new_refused (void)
{
    flp_server_io io = { capture_send, NULL, NULL, NULL };
    errno = 0;
    CHECK (flp_server_new (&io) == NULL && errno == EINVAL);
    io = (flp_server_io) { NULL, capture_request, NULL, NULL };
    CHECK (flp_server_new (&io) == NULL && errno == EINVAL);
    CHECK (flp_server_new (NULL) == NULL);
    flp_server_destroy (NULL);
}

/* flp.server.pong, flp.grammar.pong (F2): one frame PONG, to the client that pinged, each time. */
static void
test_ping_pong (void)
{
    flp_server *s = server_new ();
    feed (s, "c1", "PING", NULL);
    feed (s, "c2", "PING", NULL);
    feed (s, "c1", "PING", NULL);
    CHECK (events_are (0, "send c1 PONG", "send c2 PONG", "send c1 PONG", NULL));
    zw_flp_frame pong[2] = { text ("c2"), text ("PONG") };
    CHECK (sent_is (1, 2, pong));
    CHECK (stats_are (s, 3, 3, 0, 0, 0, 0));
    flp_server_destroy (s);
}

/* flp.server.reply-ccf, flp.grammar.reply: an answer inside the request call goes out at once. */
static void
test_reply_at_once (void)
{
    flp_server *s = server_new ();
    echo_server = s;
    feed (s, "c1", "7", "hi", "there", NULL);
    CHECK (events_are (0, "request hi|there", "send c1 REPLY 7 hi|there", NULL));
    zw_flp_frame reply[4] = { text ("c1"), text ("7"), text ("hi"), text ("there") };
    CHECK (sent_is (0, 4, reply));
    CHECK (stats_are (s, 0, 0, 1, 1, 0, 0));
    flp_server_destroy (s);
}

/*  flp.server.pong, flp.server.reply-ccf: a request answered later (a
    command running), its client's pings answered meanwhile, and the reply
    still to that client with that CCF.  */
static void
test_reply_after_pings (void)
{
    flp_server *s = server_new ();
    feed (s, "c1", "seq-1", "work", NULL);
    feed (s, "c1", "PING", NULL);
    feed (s, "c1", "PING", NULL);
    CHECK (reply (s, 0, "done") == 0);
    CHECK (events_are (0, "request 0 work", "send c1 PONG", "send c1 PONG",
                       "send c1 REPLY seq-1 done", NULL));
    CHECK (stats_are (s, 2, 2, 1, 1, 0, 0));
    flp_server_destroy (s);
}

/*  flp.server.reply-ccf, F4: the CCF comes back octet for octet whatever it
    holds: empty, binary (NUL and 0xFF), 255 octets, or PING itself (F3:
    two frames are a request whatever the CCF spells).  */
static void
test_ccf_unchanged (void)
{
    static uint8_t binary[] = { 0x00, 0xff, 0x50, 0x00, 0x0a };
    static uint8_t long_ccf[255];
    for (size_t i = 0; i < sizeof long_ccf; i++)
        long_ccf[i] = (uint8_t) (i * 7);
    zw_flp_frame ccfs[] = { { NULL, 0 }, { binary, sizeof binary }, { long_ccf, sizeof long_ccf },
                            text ("PING"), text ("PONG") };
    for (size_t c = 0; c < sizeof ccfs / sizeof ccfs[0]; c++) {
        flp_server *s = server_new ();
        zw_flp_frame routing = text ("c9"), frames[2] = { ccfs[c], text ("body") };
        flp_server_input (s, &routing, frames, 2);
        CHECK (token_count == 1 && reply (s, 0, "out") == 0);
        zw_flp_frame expected[3] = { routing, ccfs[c], text ("out") };
        CHECK (sent_is (0, 3, expected));
        CHECK (stats_are (s, 0, 0, 1, 1, 0, 0));
        flp_server_destroy (s);
    }
}

/*  flp.grammar.reply: one body frame or more, empty ones included (F4);
    none is refused (EINVAL) and the token stays the application's, to
    answer properly.  */
static void
test_reply_body (void)
{
    flp_server *s = server_new ();
    feed (s, "c1", "", "", "b", "", NULL);
    CHECK (events_are (0, "request 0 -|b|-", NULL));
    zw_flp_frame body[3] = { text (""), text ("x"), text ("") };
    errno = 0;
    CHECK (flp_server_reply (s, tokens[0], body, 0) == -1 && errno == EINVAL);
    CHECK (flp_server_reply (s, NULL, body, 1) == -1 && errno == EINVAL);
    CHECK (sent_count == 0);
    CHECK (flp_server_reply (s, tokens[0], body, 3) == 0);
    CHECK (events_are (1, "send c1 REPLY - -|x|-", NULL));
    zw_flp_frame one_empty[1] = { text ("") };
    feed (s, "c1", "2", "q", NULL);
    CHECK (flp_server_reply (s, tokens[1], one_empty, 1) == 0);
    CHECK (events_are (2, "request 1 q", "send c1 REPLY 2 -", NULL));
    CHECK (stats_are (s, 0, 0, 2, 2, 0, 0));
    flp_server_destroy (s);
}

/*  F3, F5: every to-server error case of the codec's vectors (no frame,
    one frame that is not PING octet for octet) is dropped with nothing
    sent, logged with its clause and frame count, counted; the client that
    sent it, and another, are served right after.  */
static void
test_malformed_dropped (void)
{
    static const char *const one_frame[] = { "", "ping", "Ping", "PINGX", "PIN", " PING", "PONG",
                                             "hello", "\x01\x02\x03\x04" };
    flp_server *s = server_new ();
    zw_flp_frame routing = text ("bad");
    flp_server_input (s, &routing, NULL, 0);
    CHECK (events_are (0, "log", NULL));
    CHECK (strstr (last_log, "0 frames from bad") && strstr (last_log, "[flp.grammar.request]"));
    for (size_t i = 0; i < sizeof one_frame / sizeof one_frame[0]; i++) {
        feed (s, "bad", one_frame[i], NULL);
        CHECK (strstr (last_log, "1 frame from bad") && strstr (last_log, "[flp.grammar.request]"));
    }
    static const uint8_t ping_nul[5] = { 'P', 'I', 'N', 'G', 0 };
    zw_flp_frame c_string = { ping_nul, sizeof ping_nul };
    flp_server_input (s, &routing, &c_string, 1);
    CHECK (strstr (last_log, "dropped, nothing sent"));
    CHECK (sent_count == 0 && token_count == 0);
    size_t logs = event_count;
    feed (s, "bad", "PING", NULL);
    feed (s, "good", "PING", NULL);
    feed (s, "bad", "1", "still served", NULL);
    CHECK (events_are (logs, "send bad PONG", "send good PONG", "request 0 still served", NULL));
    CHECK (reply (s, 0, "yes") == 0);
    CHECK (stats_are (s, 2, 2, 1, 1, 11, 0));
    flp_server_destroy (s);
}

/*  flp.server.pong, flp.server.reply-ccf: many clients, their pings and
    requests interleaved, answered out of order: each reply goes to the
    client of its request with its CCF, each pong to the client that
    pinged.  */
static void
test_clients_interleaved (void)
{
    flp_server *s = server_new ();
    feed (s, "a", "1", "from a", NULL);
    feed (s, "b", "1", "from b", NULL);
    feed (s, "a", "PING", NULL);
    feed (s, "c", "9", "from c", NULL);
    feed (s, "b", "PING", NULL);
    feed (s, "a", "2", "a again", NULL);
    CHECK (reply (s, 2, "to c") == 0);
    CHECK (reply (s, 0, "to a") == 0);
    feed (s, "c", "PING", NULL);
    CHECK (reply (s, 3, "to a again") == 0);
    CHECK (reply (s, 1, "to b") == 0);
    CHECK (events_are (0, "request 0 from a", "request 1 from b", "send a PONG", "request 2 from c",
                       "send b PONG", "request 3 a again", "send c REPLY 9 to c",
                       "send a REPLY 1 to a", "send c PONG", "send a REPLY 2 to a again",
                       "send b REPLY 1 to b", NULL));
    CHECK (stats_are (s, 3, 3, 4, 4, 0, 0));
    flp_server_destroy (s);
}

/* A request the application gives up is logged and counted, and nothing is sent. */
static void
test_drop (void)
{
    flp_server *s = server_new ();
    feed (s, "c1", "5", "x", NULL);
    flp_server_drop (s, tokens[0], "the queue is full");
    flp_server_drop (s, NULL, "nothing");
    CHECK (events_are (0, "request 0 x", "log", NULL));
    CHECK (strstr (last_log, "from c1 dropped unanswered: the queue is full") != NULL);
    CHECK (stats_are (s, 0, 0, 1, 0, 0, 1));
    flp_server_destroy (s);
}

/* A socket that gives no routing frame (a DEALER) still gets its answers, to an empty routing frame. */
static void
test_no_routing_frame (void)
{
    flp_server *s = server_new ();
    zw_flp_frame none = { NULL, 0 }, ping = text ("PING"), bad = text ("?");
    flp_server_input (s, &none, &ping, 1);
    flp_server_input (s, &none, &bad, 1);
    CHECK (events_are (0, "send - PONG", "log", NULL));
    CHECK (strstr (last_log, "(no routing frame)") != NULL);
    flp_server_destroy (s);
}

/*  DECISIONS F1: the identity is the endpoint clients connect to; a
    wildcard host or port 0 is no such endpoint, and ZW_OPT_IDENTITY takes
    1..255 octets.  */
static void
test_identity_problems (void)
{
    CHECK (flp_server_endpoint_problem ("tcp://127.0.0.1:5555") == NULL);
    CHECK (flp_server_endpoint_problem ("tcp://localhost:5555") == NULL);
    CHECK (flp_server_endpoint_problem ("tcp://[::1]:5555") == NULL);
    CHECK (flp_server_endpoint_problem ("ipc:///tmp/flp.sock") == NULL);
    CHECK (strcmp (flp_server_endpoint_problem ("tcp://*:5555"), "a wildcard host") == 0);
    CHECK (strcmp (flp_server_endpoint_problem ("tcp://0.0.0.0:5555"), "a wildcard host") == 0);
    CHECK (strcmp (flp_server_endpoint_problem ("tcp://[::]:5555"), "a wildcard host") == 0);
    CHECK (strcmp (flp_server_endpoint_problem ("tcp://127.0.0.1:0"), "port 0") == 0);
    CHECK (strcmp (flp_server_endpoint_problem ("tcp://*:0"), "a wildcard host") == 0);
    CHECK (strcmp (flp_server_endpoint_problem (""), "empty") == 0);
    char name[300];
    memset (name, 'a', sizeof name - 1);
    name[sizeof name - 1] = 0;
    memcpy (name, "ipc://", 6);
    CHECK (strcmp (flp_server_endpoint_problem (name), "longer than 255 octets") == 0);
    CHECK (strcmp (flp_server_identity_problem (name), "longer than 255 octets") == 0);
    name[255] = 0;
    CHECK (flp_server_identity_problem (name) == NULL);
    CHECK (strcmp (flp_server_identity_problem (""), "empty") == 0);
}

/* --- the shell, on real sockets ---------------------------------------------- */

typedef struct {
    zw_socket *socket;
    int ready;
    size_t received;
    role_frames *answer[8];
} test_client;

typedef struct {
    flp_server_shell *shell;
    flp_server_token *held;     /* a request answered later, from a timer */
    zw_ctx_timer *timer;
} later_app;

static void
on_event (void *arg, zw_event event, const char *peer)
{
    (void) peer;
    if (event == ZW_EVENT_READY)
        ((test_client *) arg)->ready = 1;
}

static void
client_readable (void *arg)
{
    test_client *c = arg;
    zw_msg *msg;
    while (zw_recv (c->socket, &msg, 0) == 0) {
        zw_frame_view frames[16];
        size_t n = role_shell_frames (msg, frames, 16);
        if (c->received < 8)
            c->answer[c->received++] = role_frames_copy (frames, n);
        zw_msg_destroy (msg);
    }
}

/* The first request is held and answered from a timer; the others at once. */
static void
later_handler (void *arg, flp_server_shell *shell, flp_server_token *token, const zw_flp_frame *body,
               size_t count)
{
    later_app *app = arg;
    if (app->held || app->timer == NULL) {
        flp_server_shell_reply (shell, token, body, count);
        return;
    }
    app->held = token;
    zw_timer_start (app->timer, 20);
}

static void
later_timer (void *arg)
{
    later_app *app = arg;
    zw_flp_frame body = text ("later");
    flp_server_shell_reply (app->shell, app->held, &body, 1);
}

static void
run_until (zw_ctx *ctx, const int *flag)
{
    uint64_t give_up = zw_ctx_now (ctx) + 10000;
    while (!*flag && zw_ctx_now (ctx) < give_up)
        zw_ctx_run (ctx, 20);
}

static void
run_until_received (zw_ctx *ctx, test_client *c, size_t count)
{
    uint64_t give_up = zw_ctx_now (ctx) + 10000;
    while (c->received < count && zw_ctx_now (ctx) < give_up)
        zw_ctx_run (ctx, 20);
}

static void
client_send (test_client *c, const char *identity, size_t count, const zw_flp_frame *frames)
{
    zw_flp_frame routing = text (identity);
    CHECK (role_shell_send (c->socket, &routing, frames, count, NULL, 0) == 0);
}

/* 1 if answer i is exactly the frames given. */
static int
answer_is (const test_client *c, size_t i, size_t count, const zw_flp_frame *frames)
{
    if (i >= c->received || c->answer[i]->count != count)
        return 0;
    for (size_t f = 0; f < count; f++)
        if (!role_frame_equal (&c->answer[i]->frame[f], &frames[f]))
            return 0;
    return 1;
}

/*  flp.peer.router, flp.server.identity (F1), flp.server.pong,
    flp.server.reply-ccf: a ROUTER client with no identity
    (flp.client.no-identity) addresses the server by its endpoint; the
    first frame of every answer is that identity.  A malformed message in
    between is survived (F5), a request answered from a timer comes back
    after a pong sent meanwhile.  */
static void
shell_round_trip (zw_ctx *ctx, flp_server_shell *server)
{
    const char *identity = flp_server_shell_identity (server);
    test_client c = { .socket = zw_socket_new (ctx, ZW_ROUTER) };
    zw_socket_set_monitor (c.socket, on_event, &c);
    zw_socket_set_readable (c.socket, client_readable, &c);
    CHECK (zw_connect (c.socket, flp_server_shell_endpoint (server)) == 0);
    run_until (ctx, &c.ready);
    CHECK (c.ready);
    zw_flp_frame garbage = text ("hello"), ping = text ("PING");
    zw_flp_frame held[2] = { text ("1"), text ("slow") };
    zw_flp_frame request[4] = { { NULL, 0 }, text ("a"), { NULL, 0 }, text ("c") };
    client_send (&c, identity, 2, held);
    client_send (&c, identity, 1, &garbage);
    client_send (&c, identity, 1, &ping);
    client_send (&c, identity, 4, request);
    run_until_received (ctx, &c, 3);
    zw_flp_frame id = text (identity);
    zw_flp_frame pong[2] = { id, text ("PONG") };
    zw_flp_frame echoed[5] = { id, { NULL, 0 }, text ("a"), { NULL, 0 }, text ("c") };
    zw_flp_frame later[3] = { id, text ("1"), text ("later") };
    CHECK (c.received == 3);
    CHECK (answer_is (&c, 0, 2, pong));
    CHECK (answer_is (&c, 1, 5, echoed));
    CHECK (answer_is (&c, 2, 3, later));
    flp_server_stats st;
    flp_server_shell_stats (server, &st);
    CHECK (st.pings == 1 && st.pongs == 1 && st.requests == 2 && st.replies == 2 && st.invalid == 1);
    for (size_t i = 0; i < c.received; i++)
        free (c.answer[i]);
    zw_close (c.socket);
}

/* A free tcp port on 127.0.0.1, as an endpoint the server can take for its identity (F1). */
static void
free_endpoint (zw_ctx *ctx, char *endpoint, size_t size)
{
    zw_socket *probe = zw_socket_new (ctx, ZW_ROUTER);
    CHECK (zw_bind (probe, "tcp://127.0.0.1:0") == 0);
    snprintf (endpoint, size, "%s", zw_socket_last_endpoint (probe));
    zw_socket_set_int (probe, ZW_OPT_LINGER, 0);
    zw_close (probe);
}

static void
test_shell (const char *endpoint)
{
    zw_ctx *ctx = zw_ctx_new ();
    zw_ctx_set_log (ctx, NULL, NULL);
    later_app app = { 0 };
    app.timer = zw_timer_new (ctx, later_timer, &app);
    app.shell = flp_server_shell_new (ctx, endpoint, NULL, later_handler, &app, NULL, NULL);
    CHECK (app.shell != NULL);
    if (app.shell) {
        CHECK (strcmp (flp_server_shell_identity (app.shell), endpoint) == 0);
        CHECK (strcmp (flp_server_shell_endpoint (app.shell), endpoint) == 0);
        shell_round_trip (ctx, app.shell);
        flp_server_shell_destroy (app.shell);
    }
    zw_timer_destroy (app.timer);
    zw_ctx_destroy (ctx);
}

/*  F1: port 0 or a wildcard host needs an identity given; with one, the
    server answers under it.  An identity that cannot be one, or no
    handler, is refused.  */
static void
test_shell_identity_given (void)
{
    zw_ctx *ctx = zw_ctx_new ();
    zw_ctx_set_log (ctx, NULL, NULL);
    later_app app = { 0 };
    errno = 0;
    CHECK (flp_server_shell_new (ctx, "tcp://127.0.0.1:0", NULL, later_handler, &app, NULL, NULL)
           == NULL && errno == EINVAL);
    CHECK (flp_server_shell_new (ctx, "tcp://*:0", NULL, later_handler, &app, NULL, NULL) == NULL
           && errno == EINVAL);
    CHECK (flp_server_shell_new (ctx, "tcp://127.0.0.1:0", "", later_handler, &app, NULL, NULL)
           == NULL && errno == EINVAL);
    CHECK (flp_server_shell_new (ctx, "tcp://127.0.0.1:0", "x", NULL, NULL, NULL, NULL) == NULL
           && errno == EINVAL);
    CHECK (flp_server_shell_new (ctx, "nonsense://x", "x", later_handler, &app, NULL, NULL) == NULL);
    app.timer = zw_timer_new (ctx, later_timer, &app);
    app.shell = flp_server_shell_new (ctx, "tcp://127.0.0.1:0", "server-one", later_handler, &app,
                                      NULL, NULL);
    CHECK (app.shell != NULL);
    if (app.shell) {
        CHECK (strcmp (flp_server_shell_identity (app.shell), "server-one") == 0);
        shell_round_trip (ctx, app.shell);
        flp_server_shell_destroy (app.shell);
    }
    zw_timer_destroy (app.timer);
    zw_ctx_destroy (ctx);
}

int
main (void)
{
    test_new_refused ();
    test_ping_pong ();
    test_reply_at_once ();
    test_reply_after_pings ();
    test_ccf_unchanged ();
    test_reply_body ();
    test_malformed_dropped ();
    test_clients_interleaved ();
    test_drop ();
    test_no_routing_frame ();
    test_identity_problems ();
    reset ();
    zw_ctx *ctx = zw_ctx_new ();
    char endpoint[128];
    free_endpoint (ctx, endpoint, sizeof endpoint);
    zw_ctx_destroy (ctx);
    test_shell (endpoint);
    snprintf (endpoint, sizeof endpoint, "ipc:///tmp/test-flp-server-%d.sock", (int) getpid ());
    test_shell (endpoint);
    unlink (endpoint + strlen ("ipc://"));
    test_shell_identity_given ();
    printf ("test-flp-server: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
