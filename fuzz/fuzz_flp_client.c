/*  fuzz_flp_client.c — fuzz harness (libFuzzer, AFL++) of the Freelance
    client's I/O-free core (reference/flp/flp_client.h) over a fake clock.
    The fuzzer plays three servers and the application.  The input is a
    script: each step's first octet says what happens (the clock moves on;
    the application asks; a server's connection comes up; a server sends a
    PONG, a reply carrying the CCF of a request the client sent — the
    outstanding one or an earlier one — or a reply with a CCF of its own,
    or a raw frame list; an identity that is none of the servers speaks; a
    server's connection is lost).
    Beyond sanitizers and leaks, the oracles:

      1. the issue's: no reply is ever handed to the application for a
         request it does not answer — an answer is delivered only from the
         input being handled, only while a request is outstanding, only
         when that input is a reply carrying the CCF the client sent for
         that request, from a server it sent that request to (DECISIONS
         F17), and its body is that reply's body;
      2. every request ends exactly once, and busy says so in between;
      3. everything the client sends decodes as a message to a server
         (flp.grammar.ping, flp.grammar.request); a request carries the
         application's body, the same CCF on every attempt and a CCF no
         earlier request had (DECISIONS F16); at most 1 + retries
         attempts;
      4. never twice to the same server within one request without a
         timeout between, or the loss of its connection (DECISIONS F14,
         F18);
      5. the next deadline the core returns is never in the past, and
         never the present again once it has been run.  */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz_frame_list.h"
#include "flp_client.h"

#define SERVERS 3
#define FRAMES_MAX 16
#define CCF_MAX 32
#define REQUESTS_MAX 64
#define TIMEOUT_MS 50
#define RETRIES 3

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const char *const servers[SERVERS] = { "tcp://a:1", "tcp://b:2", "tcp://c:3" };

/* What the fuzzer knows of the client's requests, and of the step under way. */
static struct {
    uint64_t now;
    uint64_t deadline;              /* the core's next deadline */
    int busy;                       /* a request outstanding, as the oracle sees it */
    size_t requests;                /* requests taken so far */
    uint8_t ccf[REQUESTS_MAX][CCF_MAX];   /* the CCF each request went out with */
    size_t ccf_size[REQUESTS_MAX];
    int sent;                       /* the outstanding request has gone out */
    unsigned attempts;
    uint64_t last_sent[SERVERS];    /* when the outstanding request last went to each server */
    int sent_to[SERVERS];
    zw_flp_frame body[FRAMES_MAX];  /* the outstanding request's body */
    size_t body_count;
    const zw_flp_frame *input;      /* the input being handled, or NULL */
    size_t input_count;
    int input_server;               /* who sent it: 0..SERVERS-1, or -1 for a stranger */
} s;

static void
fail (const char *what)
{
    fprintf (stderr, "zwire fuzz oracle FAILED: flp client: %s\n", what);
    abort ();
}

static int
same_frame (const zw_flp_frame *a, const zw_flp_frame *b)
{
    return a->size == b->size && (a->size == 0 || memcmp (a->data, b->data, a->size) == 0);
}

static int
same_frames (const zw_flp_frame *a, const zw_flp_frame *b, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (!same_frame (&a[i], &b[i]))
            return 0;
    return 1;
}

/* Oracle 3 and 4 for one request sent: its CCF, its body, its server. */
static void
check_request (size_t server, const zw_flp_message *m, const zw_flp_frame *frames)
{
    if (!s.busy || s.requests == 0)
        fail ("a request sent while the application asked for none");
    size_t r = s.requests - 1;
    if (m->body_count != s.body_count || !same_frames (frames + 1, s.body, s.body_count))
        fail ("a request whose body is not the application's");
    if (!s.sent) {
        if (m->ccf.size > CCF_MAX)
            fail ("a CCF longer than any the client writes");
        for (size_t i = 0; i < r; i++)
            if (s.ccf_size[i] == m->ccf.size && memcmp (s.ccf[i], m->ccf.data, m->ccf.size) == 0)
                fail ("a CCF an earlier request had (F16)");
        memcpy (s.ccf[r], m->ccf.data, m->ccf.size);
        s.ccf_size[r] = m->ccf.size;
        s.sent = 1;
    } else {
        zw_flp_frame first = { s.ccf[r], s.ccf_size[r] };
        if (!same_frame (&m->ccf, &first))
            fail ("an attempt with another CCF than the request's first (F16)");
    }
    if (s.sent_to[server] && s.now - s.last_sent[server] < TIMEOUT_MS)
        fail ("the same request sent twice to one server without a timeout or a loss between (F14)");
    s.sent_to[server] = 1;
    s.last_sent[server] = s.now;
    if (++s.attempts > 1 + RETRIES)
        fail ("more attempts than 1 + retries");
}

static int
on_send (void *arg, size_t server, const zw_flp_frame *head, size_t head_count,
         const zw_flp_frame *body, size_t body_count)
{
    (void) arg;
    zw_flp_frame all[1 + FRAMES_MAX];
    if (server >= SERVERS || head_count != 1 || body_count > FRAMES_MAX)
        fail ("a message to no server, or of a shape the client never writes");
    all[0] = head[0];
    if (body_count)
        memcpy (all + 1, body, body_count * sizeof body[0]);
    zw_flp_message m;
    zw_error e = { 0 };
    if (!zw_flp_decode (all, 1 + body_count, ZW_FLP_TO_SERVER, &m, &e))
        fail ("the client sent a message that does not decode as to a server");
    if (m.command == ZW_FLP_REQUEST)
        check_request (server, &m, all);
    return 0;
}

/* Oracles 1 and 2. */
static void
on_deliver (void *arg, const flp_client_result *result)
{
    (void) arg;
    if (!s.busy)
        fail ("a result with no request outstanding");
    if (result->outcome == FLP_CLIENT_ANSWERED) {
        size_t r = s.requests - 1;
        zw_flp_frame ccf = { s.ccf[r], s.ccf_size[r] };
        if (!s.input || !s.sent)
            fail ("an answer that no reply brought");
        if (s.input_count < 2 || !same_frame (&s.input[0], &ccf))
            fail ("an answer handed over from a reply for another request");
        if (s.input_server < 0 || !s.sent_to[s.input_server])
            fail ("an answer from a server the request never went to (DECISIONS F17)");
        if (result->body_count != s.input_count - 1
            || !same_frames (result->body, s.input + 1, result->body_count))
            fail ("an answer whose body is not the reply's");
    } else if (result->body_count != 0)
        fail ("a body with an outcome other than answered");
    s.busy = 0;
}

static void
on_log (void *arg, const char *line)
{
    (void) arg, (void) line;
}

static uint8_t
next (const uint8_t *data, size_t size, size_t *at)
{
    return *at < size ? data[(*at)++] : 0;
}

/* The application asks: one or two body frames from the script. */
static void
ask (flp_client *client, const uint8_t *data, size_t size, size_t *at)
{
    if (s.busy || s.requests == REQUESTS_MAX)
        return;
    size_t len = next (data, size, at) % 8, used;
    if (len > size - *at)
        len = size - *at;
    s.body_count = zw_fuzz_frame_list (data + *at, len, s.body, 2, &used);
    *at += used;
    if (s.body_count == 0)
        s.body[s.body_count++] = (zw_flp_frame) { NULL, 0 };
    s.busy = 1, s.sent = 0, s.attempts = 0;
    memset (s.sent_to, 0, sizeof s.sent_to);
    s.requests++;
    if (flp_client_request (client, s.now, s.body, s.body_count) != 0)
        fail ("a request refused while none was outstanding");
}

/* A server (or a stranger) speaks: the message is built from the script. */
static void
speak (flp_client *client, uint8_t op, const uint8_t *data, size_t size, size_t *at)
{
    static const uint8_t pong[] = "PONG";
    zw_flp_frame frames[FRAMES_MAX];
    size_t n = 0, used;
    int server = (op & 3) == 3 ? -1 : (int) (op & 3);
    switch ((op >> 2) & 3) {
    case 0:                     /* PONG */
        frames[n++] = (zw_flp_frame) { pong, 4 };
        break;
    case 1: case 2: {           /* a reply with the CCF of request k back (0: the latest) */
        size_t back = next (data, size, at) % 4;
        if (s.requests > back) {
            size_t r = s.requests - 1 - back;
            frames[n++] = (zw_flp_frame) { s.ccf[r], s.ccf_size[r] };
        } else
            frames[n++] = (zw_flp_frame) { pong, 1 };
        frames[n++] = (zw_flp_frame) { data + *at, *at < size ? 1 : 0 };
        *at += frames[n - 1].size;
        break;
    }
    default: {                  /* a raw frame list: its own CCF, PING, anything */
        size_t len = next (data, size, at);
        if (len > size - *at)
            len = size - *at;
        n = zw_fuzz_frame_list (data + *at, len, frames, FRAMES_MAX, &used);
        *at += used;
        break;
    }
    }
    s.input = frames, s.input_count = n, s.input_server = server;
    flp_client_input (client, s.now, server, frames, n);
    s.input = NULL;
}

/* Runs what is due at now; oracle 5. */
static void
tick (flp_client *client)
{
    s.deadline = flp_client_tick (client, s.now);
    if (s.deadline < s.now)
        fail ("a deadline in the past");
}

/*  The clock moves on to then, stopping at every deadline on the way, as
    the shell's timer does.  */
static void
advance (flp_client *client, uint64_t then)
{
    while (s.deadline <= then) {
        s.now = s.deadline;
        tick (client);
        if (s.deadline == s.now)
            fail ("a deadline that does not pass when it is reached");
    }
    s.now = then;
}

static void
step (flp_client *client, const uint8_t *data, size_t size, size_t *at)
{
    uint8_t op = data[(*at)++];
    switch (op >> 5) {
    case 0: case 1:             /* the clock moves on, in small or ping-sized strides */
        advance (client, s.now + (uint64_t) (op >> 5 ? 37 : 7) * (1 + next (data, size, at) % 8));
        break;
    case 2:
        ask (client, data, size, at);
        break;
    case 3:                     /* a server's connection comes up, or is lost (F13, F18) */
        if (op & 4) {
            s.sent_to[(op & 3) % SERVERS] = 0;  /* what went on it is lost: it may go again */
            flp_client_lost (client, s.now, (op & 3) % SERVERS);
        } else
            flp_client_connected (client, s.now, (op & 3) % SERVERS);
        break;
    default:
        speak (client, op, data, size, at);
        break;
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    flp_client_config config;
    flp_client_config_default (&config);
    config.servers = servers;
    config.server_count = SERVERS;
    config.ping_interval_ms = 100;
    config.liveness = 3;
    config.timeout_ms = TIMEOUT_MS;
    config.retries = RETRIES;
    flp_client_io io = { on_send, on_deliver, on_log, NULL };
    memset (&s, 0, sizeof s);
    s.now = 1000;
    flp_client *client = flp_client_new (&config, &io);
    if (!client)
        fail ("no client from a valid configuration");
    size_t at = 0;
    tick (client);
    while (at < size) {
        step (client, data, size, &at);
        tick (client);
        if (flp_client_busy (client) != s.busy)
            fail ("busy disagrees with the requests taken and ended");
    }
    flp_client_destroy (client);
    return 0;
}
