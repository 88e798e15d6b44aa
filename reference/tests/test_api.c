/*  test_api.c — the C API of zwire.h, end to end in one process: pairs of
    sockets of one context talk over real tcp (IPv4, IPv6) and ipc
    connections, with the one loop serving both sides inside each blocking
    call.  Checks the socket semantics the RFCs name (clause IDs per test)
    and the API's error contract.  Prints "N passed, N failed".  */

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "zwire.h"
#include "zw_socket_internal.h"     /* a look inside: queued_at, held_octets; zw_loop_now */
#include "test_watchdog.h"

#include "test_check.h"

#define WAIT 5000                   /* ms: only a bound on a failing test */

/* A deadline WAIT from now, and whether it is still ahead: bounds on loops of zero-wait turns. */
static uint64_t
deadline (void)
{
    return zw_loop_now () + WAIT;
}

static int
before (uint64_t deadline)
{
    return zw_loop_now () < deadline;
}

static zw_msg *
message (const char *first, const char *second)
{
    zw_msg *msg = zw_msg_new ();
    zw_msg_add_str (msg, first);
    if (second)
        zw_msg_add_str (msg, second);
    return msg;
}

static int
frame_is (const zw_msg *msg, size_t i, const char *text)
{
    return msg && i < msg->count && msg->frames[i].size == strlen (text)
        && memcmp (msg->frames[i].data, text, strlen (text)) == 0;
}

/* Sends one single-frame message and checks the receiver gets it. */
static int
pass_one (zw_socket *from, zw_socket *to, const char *text)
{
    zw_msg *msg = message (text, NULL), *got = NULL;
    if (zw_send (from, msg, WAIT) < 0) {
        zw_msg_destroy (msg);
        return 0;
    }
    int ok = zw_recv (to, &got, WAIT) == 0 && got->count == 1 && frame_is (got, 0, text);
    zw_msg_destroy (got);
    return ok;
}

static zw_socket *
bound (zw_ctx *ctx, zw_socket_type type, const char *endpoint)
{
    zw_socket *s = zw_socket_new (ctx, type);
    return s && zw_bind (s, endpoint) == 0 ? s : NULL;
}

static void
quiet (void *arg, const char *line)
{
    (void) arg;
    (void) line;
}

/* A context whose log says nothing (the tests provoke closes on purpose). */
static zw_ctx *
quiet_ctx (void)
{
    zw_ctx *ctx = zw_ctx_new ();
    zw_ctx_set_log (ctx, quiet, NULL);
    return ctx;
}

/* zmtp31.socket.pair-semantics over tcp port 0, IPv6 and ipc (zmtp31.socket.bind-and-connect). */
static void
test_pair_transports (void)
{
    char dir[] = "/tmp/zwire-api-XXXXXX";
    CHECK (mkdtemp (dir) != NULL);
    char ipc[128];
    snprintf (ipc, sizeof ipc, "ipc://%s/pair.sock", dir);
    const char *endpoints[] = { "tcp://127.0.0.1:0", "tcp://[::1]:0", ipc };
    for (size_t i = 0; i < 3; i++) {
        zw_ctx *ctx = quiet_ctx ();
        zw_socket *a = bound (ctx, ZW_PAIR, endpoints[i]);
        if (!a && i == 1) {             /* no IPv6 on this machine */
            zw_ctx_destroy (ctx);
            continue;
        }
        CHECK (a != NULL);
        const char *resolved = zw_socket_last_endpoint (a);
        CHECK (i == 2 ? strcmp (resolved, ipc) == 0 : strstr (resolved, ":0") == NULL);
        zw_socket *b = zw_socket_new (ctx, ZW_PAIR);
        CHECK (zw_connect (b, resolved) == 0);
        CHECK (pass_one (b, a, "ping"));
        CHECK (pass_one (a, b, "pong"));
        zw_ctx_destroy (ctx);
    }
    rmdir (dir);
}

/* zmtp31.socket.async-connect: connecting first, binding later, works. */
static void
test_connect_before_bind (void)
{
    zw_ctx *ctx = quiet_ctx ();
    zw_socket *probe = bound (ctx, ZW_PULL, "tcp://127.0.0.1:0");
    char endpoint[256];
    snprintf (endpoint, sizeof endpoint, "%s", zw_socket_last_endpoint (probe));
    zw_close (probe);                   /* a port nobody listens on now */
    zw_socket *push = zw_socket_new (ctx, ZW_PUSH);
    zw_socket_set_int (push, ZW_OPT_RECONNECT_IVL, 20);
    CHECK (zw_connect (push, endpoint) == 0);
    zw_ctx_run (ctx, 100);              /* a few refused attempts */
    zw_socket *pull = bound (ctx, ZW_PULL, endpoint);
    CHECK (pull != NULL);
    CHECK (pass_one (push, pull, "late"));
    zw_ctx_destroy (ctx);
}

/* zmtp31.socket.reqrep-semantics: envelopes and strict alternation. */
static void
test_req_rep (void)
{
    zw_ctx *ctx = quiet_ctx ();
    zw_socket *rep = bound (ctx, ZW_REP, "tcp://127.0.0.1:0");
    zw_socket *req = zw_socket_new (ctx, ZW_REQ);
    zw_connect (req, zw_socket_last_endpoint (rep));
    zw_msg *got = NULL, *extra = message ("x", NULL);
    CHECK (zw_recv (req, &got, 0) < 0 && errno == ZW_EFSM);        /* recv before send */
    CHECK (pass_one (req, rep, "question"));
    CHECK (zw_send (req, extra, 0) < 0 && errno == ZW_EFSM);        /* send twice */
    zw_msg_destroy (extra);
    CHECK (pass_one (rep, req, "answer"));
    zw_ctx_destroy (ctx);
}

/* zmtp31.identity.router-addressing: ROUTER routes by the peer's Identity. */
static void
test_router_identity (void)
{
    zw_ctx *ctx = quiet_ctx ();
    zw_socket *router = bound (ctx, ZW_ROUTER, "tcp://127.0.0.1:0");
    zw_socket *dealer = zw_socket_new (ctx, ZW_DEALER);
    CHECK (zw_socket_set_bytes (dealer, ZW_OPT_IDENTITY, "\0x", 2) < 0);  /* zmtp31.identity.no-leading-zero */
    CHECK (zw_socket_set_bytes (dealer, ZW_OPT_IDENTITY, "d1", 2) == 0);
    zw_connect (dealer, zw_socket_last_endpoint (router));
    zw_msg *got = NULL;
    CHECK (zw_send (dealer, message ("hello", NULL), WAIT) == 0);
    CHECK (zw_recv (router, &got, WAIT) == 0 && got->count == 2 && frame_is (got, 0, "d1")
           && frame_is (got, 1, "hello"));
    zw_msg_destroy (got);
    CHECK (zw_send (router, message ("d1", "back"), WAIT) == 0);
    CHECK (zw_recv (dealer, &got, WAIT) == 0 && got->count == 1 && frame_is (got, 0, "back"));
    zw_msg_destroy (got);
    /* unroutable: dropped, never blocks */
    CHECK (zw_send (router, message ("nobody", "lost"), 0) == 0);
    zw_stats stats;
    zw_socket_stats (router, &stats);
    CHECK (stats.dropped == 1 && stats.peers == 1);
    zw_ctx_destroy (ctx);
}

/* zmtp31.pubsub.prefix-match, zmtp31.pubsub.counted */
static void
test_pub_sub (void)
{
    zw_ctx *ctx = quiet_ctx ();
    zw_socket *pub = bound (ctx, ZW_PUB, "tcp://127.0.0.1:0");
    zw_socket *sub = zw_socket_new (ctx, ZW_SUB);
    zw_socket_set_bytes (sub, ZW_OPT_SUBSCRIBE, "ab", 2);
    zw_socket_set_bytes (sub, ZW_OPT_SUBSCRIBE, "ab", 2);
    zw_connect (sub, zw_socket_last_endpoint (pub));
    zw_msg *got = NULL;
    int delivered = 0;
    for (int tries = 0; tries < 100 && !delivered; tries++) {   /* until the subscription is in */
        zw_send (pub, message ("abc", NULL), 0);
        delivered = zw_recv (sub, &got, 20) == 0;
    }
    CHECK (delivered && frame_is (got, 0, "abc"));
    zw_msg_destroy (got);
    zw_send (pub, message ("xyz", NULL), 0);        /* filtered out at the publisher */
    zw_send (pub, message ("ab", NULL), 0);
    CHECK (zw_recv (sub, &got, WAIT) == 0 && frame_is (got, 0, "ab"));
    zw_msg_destroy (got);
    zw_socket_set_bytes (sub, ZW_OPT_UNSUBSCRIBE, "ab", 2);   /* one of two: still subscribed */
    zw_ctx_run (ctx, 50);
    zw_send (pub, message ("abd", NULL), 0);
    CHECK (zw_recv (sub, &got, WAIT) == 0 && frame_is (got, 0, "abd"));
    zw_msg_destroy (got);
    zw_ctx_destroy (ctx);
}

/*  Messages queued at a socket, all peers together.  The one look inside
    (zw_socket_internal.h): it lets a test wait for "everything has
    arrived" instead of sleeping and hoping.  */
static size_t
queued_at (const zw_socket *socket)
{
    size_t n = 0;
    for (size_t i = 0; i < socket->pipe_count; i++)
        n += socket->pipes[i]->in.count;
    return n;
}

static void
wait_for_peers (zw_ctx *ctx, zw_socket *socket, uint64_t count)
{
    zw_stats stats = { 0 };
    for (int turns = 0; turns < 500 && stats.peers < count; turns++) {
        zw_ctx_run (ctx, 10);
        zw_socket_stats (socket, &stats);
    }
}

/*  zmtp31.socket.pipeline-semantics: PUSH deals messages to its peers in
    turn, PULL takes from its peers in turn (fair queueing).  */
static void
test_round_robin_and_fair_queue (void)
{
    zw_ctx *ctx = quiet_ctx ();
    zw_socket *push = bound (ctx, ZW_PUSH, "tcp://127.0.0.1:0");
    zw_socket *pulls[2] = { zw_socket_new (ctx, ZW_PULL), zw_socket_new (ctx, ZW_PULL) };
    for (int i = 0; i < 2; i++)
        zw_connect (pulls[i], zw_socket_last_endpoint (push));
    wait_for_peers (ctx, push, 2);
    for (int i = 0; i < 4; i++)
        zw_send (push, message (i % 2 ? "odd" : "even", NULL), WAIT);
    /* dealt in turn: one peer got both "even", the other both "odd" */
    for (int p = 0; p < 2; p++) {
        zw_msg *first = NULL, *second = NULL;
        zw_recv (pulls[p], &first, WAIT);
        zw_recv (pulls[p], &second, WAIT);
        CHECK (first && second && first->frames[0].size == second->frames[0].size
               && memcmp (first->frames[0].data, second->frames[0].data, first->frames[0].size) == 0);
        zw_msg_destroy (first);
        zw_msg_destroy (second);
    }

    /* two PUSH peers with three messages waiting each: the PULL alternates */
    zw_socket *sink = bound (ctx, ZW_PULL, "tcp://127.0.0.1:0");
    zw_socket *a = zw_socket_new (ctx, ZW_PUSH), *b = zw_socket_new (ctx, ZW_PUSH);
    zw_connect (a, zw_socket_last_endpoint (sink));
    zw_connect (b, zw_socket_last_endpoint (sink));
    for (int i = 0; i < 3; i++) {
        zw_send (a, message ("a", NULL), WAIT);
        zw_send (b, message ("b", NULL), WAIT);
    }
    for (int turns = 0; turns < 500 && queued_at (sink) < 6; turns++)
        zw_ctx_run (ctx, 10);
    char order[7] = "";
    for (int i = 0; i < 6; i++) {
        zw_msg *m = NULL;
        if (zw_recv (sink, &m, 0) == 0)
            order[i] = (char) m->frames[0].data[0];
        zw_msg_destroy (m);
    }
    CHECK (strcmp (order, "ababab") == 0 || strcmp (order, "bababa") == 0);
    zw_ctx_destroy (ctx);
}

/* zw_poll over a socket and a plain fd. */
static void
test_poll (void)
{
    zw_ctx *ctx = quiet_ctx ();
    zw_socket *pull = bound (ctx, ZW_PULL, "tcp://127.0.0.1:0");
    zw_socket *push = zw_socket_new (ctx, ZW_PUSH);
    zw_connect (push, zw_socket_last_endpoint (pull));
    int fds[2];
    CHECK (pipe (fds) == 0);
    zw_pollitem items[2] = {
        { .socket = pull, .events = ZW_POLLIN }, { .fd = fds[0], .events = ZW_POLLIN }
    };
    CHECK (zw_poll (items, 2, 50) == 0);
    CHECK (zw_send (push, message ("m", NULL), WAIT) == 0);
    CHECK (zw_poll (items, 2, WAIT) == 1 && items[0].revents == ZW_POLLIN && items[1].revents == 0);
    CHECK (write (fds[1], "x", 1) == 1);
    zw_msg *got = NULL;
    zw_recv (pull, &got, 0);
    zw_msg_destroy (got);
    CHECK (zw_poll (items, 2, WAIT) == 1 && items[1].revents == ZW_POLLIN);

    /* the same fd twice, asked different things: watched once, for both */
    zw_pollitem twice[3] = {
        { .socket = pull, .events = ZW_POLLIN }, { .fd = fds[1], .events = ZW_POLLOUT },
        { .fd = fds[1], .events = ZW_POLLIN }
    };
    CHECK (zw_poll (twice, 3, WAIT) == 1 && twice[1].revents == ZW_POLLOUT
           && twice[2].revents == 0);
    /* an fd asked for nothing is never ready; a closed one is ready at once */
    zw_pollitem nothing[2] = { { .socket = pull, .events = ZW_POLLIN }, { .fd = fds[0] } };
    CHECK (zw_poll (nothing, 2, 20) == 0 && nothing[1].revents == 0);
    close (fds[0]);
    close (fds[1]);
    zw_pollitem closed[2] = { { .socket = pull, .events = ZW_POLLIN },
                              { .fd = fds[0], .events = ZW_POLLIN } };
    CHECK (zw_poll (closed, 2, -1) == 1 && closed[1].revents == ZW_POLLIN);
    /* an fd of the context's own connections is refused, and the connection is unharmed */
    zw_pollitem own[2] = { { .socket = pull, .events = ZW_POLLIN },
                           { .fd = pull->conns->fd, .events = ZW_POLLIN } };
    CHECK (zw_poll (own, 2, 0) < 0 && errno == EINVAL);
    CHECK (pass_one (push, pull, "still served"));
    /* socket items of two contexts: refused */
    zw_ctx *other = zw_ctx_new ();
    zw_pollitem mixed[2] = { { .socket = pull, .events = ZW_POLLIN },
                             { .socket = zw_socket_new (other, ZW_PULL), .events = ZW_POLLIN } };
    CHECK (zw_poll (mixed, 2, 0) < 0 && errno == EINVAL);
    zw_ctx_destroy (other);
    zw_ctx_destroy (ctx);
}

/* --- the monitor ------------------------------------------------------------------------ */

typedef struct {
    zw_event events[16];
    char first_peer[256];
    int count;
} event_log;

static void
record_event (void *arg, zw_event event, const char *peer)
{
    event_log *log = arg;
    if (log->count == 0)
        snprintf (log->first_peer, sizeof log->first_peer, "%s", peer);
    if (log->count < 16)
        log->events[log->count++] = event;
}

/* 1 if the log starts with the count events given. */
static int
log_starts (const event_log *log, int count, const zw_event *expected)
{
    if (log->count < count)
        return 0;
    for (int i = 0; i < count; i++)
        if (log->events[i] != expected[i])
            return 0;
    return 1;
}

static void
wait_for_events (zw_ctx *ctx, const event_log *log, int count)
{
    for (int turns = 0; turns < 500 && log->count < count; turns++)
        zw_ctx_run (ctx, 10);
}

/*  zw_socket_set_monitor: each connection reports its start (accepted or
    connected), its handshake's end and its close; a close after the
    handshake is a disconnect, one before it (a Socket-Type refused,
    zmtp31.socket-type.check) a failed handshake.  */
static void
test_monitor (void)
{
    zw_ctx *ctx = quiet_ctx ();
    event_log pull_log = { 0 }, push_log = { 0 };
    zw_socket *pull = bound (ctx, ZW_PULL, "tcp://127.0.0.1:0");
    zw_socket *push = zw_socket_new (ctx, ZW_PUSH);
    zw_socket_set_monitor (pull, record_event, &pull_log);
    zw_socket_set_monitor (push, record_event, &push_log);
    char endpoint[256];
    snprintf (endpoint, sizeof endpoint, "%s", zw_socket_last_endpoint (pull));
    zw_connect (push, endpoint);
    wait_for_events (ctx, &pull_log, 2);
    wait_for_events (ctx, &push_log, 2);
    CHECK (pull_log.count == 2 && log_starts (&pull_log, 2, (zw_event[]) { ZW_EVENT_ACCEPTED,
                                                                        ZW_EVENT_READY }));
    CHECK (push_log.count == 2 && log_starts (&push_log, 2, (zw_event[]) { ZW_EVENT_CONNECTED,
                                                                        ZW_EVENT_READY }));
    CHECK (strcmp (push_log.first_peer, endpoint) == 0);
    CHECK (strncmp (pull_log.first_peer, "127.0.0.1:", 10) == 0);
    zw_close (push);                    /* reported from inside zw_close */
    CHECK (push_log.count == 3 && push_log.events[2] == ZW_EVENT_DISCONNECTED);
    wait_for_events (ctx, &pull_log, 3);
    CHECK (pull_log.count == 3 && pull_log.events[2] == ZW_EVENT_DISCONNECTED);

    /* PUSH may not talk to PUB: both sides refuse the other's READY */
    event_log pub_log = { 0 }, wrong_log = { 0 };
    zw_socket *pub = bound (ctx, ZW_PUB, "tcp://127.0.0.1:0");
    zw_socket *wrong = zw_socket_new (ctx, ZW_PUSH);
    zw_socket_set_monitor (pub, record_event, &pub_log);
    zw_socket_set_monitor (wrong, record_event, &wrong_log);
    zw_socket_set_int (wrong, ZW_OPT_RECONNECT_IVL, -1);
    zw_connect (wrong, zw_socket_last_endpoint (pub));
    wait_for_events (ctx, &pub_log, 2);
    wait_for_events (ctx, &wrong_log, 2);
    zw_event refused_in[] = { ZW_EVENT_ACCEPTED, ZW_EVENT_HANDSHAKE_FAILED };
    zw_event refused_out[] = { ZW_EVENT_CONNECTED, ZW_EVENT_HANDSHAKE_FAILED };
    CHECK (pub_log.count == 2 && log_starts (&pub_log, 2, refused_in));
    CHECK (wrong_log.count == 2 && log_starts (&wrong_log, 2, refused_out));

    /* a monitor removed hears nothing more */
    zw_socket_set_monitor (pub, NULL, NULL);
    zw_socket *sub = zw_socket_new (ctx, ZW_SUB);
    zw_connect (sub, zw_socket_last_endpoint (pub));
    wait_for_peers (ctx, pub, 1);
    CHECK (pub_log.count == 2);
    zw_ctx_destroy (ctx);
}

/* The error contract: misuse is EINVAL / ENOTSUP, never a crash. */
static void
test_errors (void)
{
    zw_ctx *ctx = quiet_ctx ();
    CHECK (zw_socket_new (ctx, (zw_socket_type) 42) == NULL && errno == EINVAL);
    zw_socket *pub = zw_socket_new (ctx, ZW_PUB);
    zw_msg *got = NULL;
    CHECK (zw_recv (pub, &got, 0) < 0 && errno == ENOTSUP);
    CHECK (zw_bind (pub, "udp://127.0.0.1:1") < 0 && errno == EINVAL);
    CHECK (zw_connect (pub, "tcp://127.0.0.1:0") < 0 && errno == EINVAL);
    CHECK (zw_socket_set_int (pub, ZW_OPT_ZMTP_MINOR, 7) < 0 && errno == EINVAL);
    CHECK (zw_socket_set_bytes (pub, ZW_OPT_SUBSCRIBE, "a", 1) < 0 && errno == EINVAL);
    zw_socket *push = zw_socket_new (ctx, ZW_PUSH);
    zw_msg *msg = message ("nobody", NULL);
    CHECK (zw_send (push, msg, 0) < 0 && errno == EAGAIN);    /* no peer yet: would block */
    zw_msg_destroy (msg);
    CHECK (zw_socket_type_parse ("router") == ZW_ROUTER && zw_socket_type_parse ("x") < 0);
    zw_ctx_destroy (ctx);
}

/*  Messages keep small frames inside themselves and larger ones apart;
    adding, prepending, dropping and copying give the same frames either
    way, in order (zmtp31.socket.atomic; ASan checks that each is freed
    once).  */
static void
test_message_storage (void)
{
    char big[ZW_MSG_INLINE + 1];
    memset (big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    zw_msg *msg = message ("small", big);
    CHECK (zw_msg_add (msg, NULL, 0) == 0 && zw_msg_add_str (msg, "tail") == 0);
    CHECK (zw_msg_prepend (msg, "head", 4) == 0);
    CHECK (msg->count == 5 && frame_is (msg, 0, "head") && frame_is (msg, 1, "small")
           && frame_is (msg, 2, big) && msg->frames[3].size == 0 && frame_is (msg, 4, "tail"));
    zw_msg *copy = zw_msg_dup (msg);
    zw_msg_drop_first (msg);
    zw_msg_drop_first (msg);
    CHECK (msg->count == 3 && frame_is (msg, 0, big) && frame_is (msg, 2, "tail")
           && msg->total == strlen (big) + 4);
    CHECK (copy && copy->count == 5 && frame_is (copy, 2, big) && frame_is (copy, 4, "tail"));
    zw_msg_destroy (msg);
    zw_msg_destroy (copy);
}

static zw_msg *
filled (size_t size, uint8_t octet)
{
    zw_msg *msg = zw_msg_new ();
    uint8_t *body = malloc (size);
    memset (body, octet, size);
    zw_msg_add (msg, body, size);
    free (body);
    return msg;
}

/*  A large frame body freed is kept for the next frame of exactly its size
    made on this thread (zw_msg.c, "Recycling"), so a stream of large
    messages does not fault fresh pages in for each; the kept body is
    handed out once, holds the new octets, and a frame of another size
    never gets it.  zw_ctx_destroy lets the kept bodies go, and so does
    the exit of a thread that kept some (under ASan, LeakSanitizer would
    report them otherwise).  */
static void *
keep_one_and_exit (void *arg)
{
    (void) arg;
    zw_msg_destroy (filled (1 << 20, 't'));
    return NULL;
}

static void
test_large_bodies_recycled (void)
{
    enum { SIZE = 1 << 20 };
    zw_msg *first = filled (SIZE, 'a');
    const uint8_t *body = first->frames[0].data;
    zw_msg_destroy (first);
    zw_msg *other = filled (SIZE + 1, 'b');             /* another size: not that body */
    zw_msg *second = filled (SIZE, 'c');                /* the same size: that body */
    zw_msg *third = filled (SIZE, 'd');                 /* it was taken: a new one */
    CHECK (other->frames[0].data != body && second->frames[0].data == body
           && third->frames[0].data != body);
    CHECK (second->frames[0].data[0] == 'c' && second->frames[0].data[SIZE - 1] == 'c'
           && second->frames[0].size == SIZE && second->total == SIZE);
    zw_msg_destroy (other);
    zw_msg_destroy (second);
    zw_msg_destroy (third);
    zw_ctx_destroy (zw_ctx_new ());                     /* frees what is kept (ASan: no leak) */
    pthread_t thread;
    CHECK (pthread_create (&thread, NULL, keep_one_and_exit, NULL) == 0
           && pthread_join (thread, NULL) == 0);
}

static uint64_t
peers_of (const zw_socket *socket)
{
    zw_stats stats;
    zw_socket_stats (socket, &stats);
    return stats.peers;
}

/*  A PUSH in one context connected to a PULL in another, handshake done:
    each side's loop turns only when the test turns it.  */
static void
two_contexts (zw_ctx **sending, zw_socket **push, zw_ctx **receiving, zw_socket **pull)
{
    *sending = quiet_ctx ();
    *receiving = quiet_ctx ();
    *pull = bound (*receiving, ZW_PULL, "tcp://127.0.0.1:0");
    *push = zw_socket_new (*sending, ZW_PUSH);
    CHECK (*pull && *push && zw_connect (*push, zw_socket_last_endpoint (*pull)) == 0);
    for (int i = 0; i < 1000 && (peers_of (*push) == 0 || peers_of (*pull) == 0); i++) {
        zw_ctx_run (*sending, 1);
        zw_ctx_run (*receiving, 1);
    }
    CHECK (peers_of (*push) == 1 && peers_of (*pull) == 1);
}

/*  Write batching (ZW_OPT_SNDBATCH, zw_flush).  Two contexts, so that the
    sender's loop turns only when the test says: a small message waits in
    the sender until its loop turns (zw_flush), a batch's worth and any
    message with batching off are written inside zw_send itself; each
    arrives whole and in order (zmtp31.socket.pipeline-semantics,
    zmtp31.socket.in-order).  */
static void
test_send_batching (void)
{
    zw_ctx *sending, *receiving;
    zw_socket *push, *pull;
    two_contexts (&sending, &push, &receiving, &pull);
    zw_msg *got = NULL;

    CHECK (zw_send (push, message ("small", NULL), 0) == 0);
    CHECK (zw_recv (pull, &got, 200) < 0 && errno == EAGAIN);     /* still in the sender */
    CHECK (zw_flush (push, WAIT) == 0);
    CHECK (zw_recv (pull, &got, WAIT) == 0 && frame_is (got, 0, "small"));
    zw_msg_destroy (got);

    char batch[9000];
    memset (batch, 'b', sizeof batch);
    batch[sizeof batch - 1] = 0;
    CHECK (zw_send (push, message (batch, NULL), 0) == 0);         /* over 8192: written now */
    CHECK (zw_recv (pull, &got, WAIT) == 0 && frame_is (got, 0, batch));
    zw_msg_destroy (got);

    CHECK (zw_socket_set_int (push, ZW_OPT_SNDBATCH, 0) == 0);
    CHECK (zw_send (push, message ("at once", NULL), 0) == 0);
    CHECK (zw_recv (pull, &got, WAIT) == 0 && frame_is (got, 0, "at once"));
    zw_msg_destroy (got);

    CHECK (zw_socket_set_int (push, ZW_OPT_SNDBATCH, -1) < 0 && errno == EINVAL);
    CHECK (zw_flush (NULL, 0) < 0 && errno == EINVAL);
    zw_ctx_destroy (sending);
    zw_ctx_destroy (receiving);
}

/*  Octets a socket holds for its peers: queued, and framed but not yet
    written (the second look inside, for ZW_OPT_SNDHWM_OCTETS).  */
static uint64_t
held_octets (const zw_socket *socket)
{
    uint64_t n = 0;
    for (size_t i = 0; i < socket->pipe_count; i++)
        n += socket->pipes[i]->out.octets + zw_engine_output_pending (&socket->pipes[i]->engine);
    return n;
}

/*  ZW_OPT_SNDHWM_OCTETS: with the message count unbounded, a peer that
    does not read makes the sender hold at least the bound and less than
    the bound plus one message, then zw_send waits (EAGAIN at timeout 0);
    a message larger than the bound still goes to a peer holding
    nothing; and every message taken arrives, whole and in order, once
    the receiver reads (zmtp31.socket.atomic, zmtp31.socket.in-order).  */
static void
test_send_octet_bound (void)
{
    enum { SIZE = 65536, BOUND = 4 * SIZE, MAX_SENDS = 4000 };
    zw_ctx *sending, *receiving;
    zw_socket *push, *pull;
    two_contexts (&sending, &push, &receiving, &pull);
    CHECK (zw_socket_set_int (push, ZW_OPT_SNDHWM, 0) == 0);
    CHECK (zw_socket_set_int (push, ZW_OPT_SNDHWM_OCTETS, BOUND) == 0);
    CHECK (zw_socket_set_int (push, ZW_OPT_SNDHWM_OCTETS, -1) < 0 && errno == EINVAL);

    int sent = 0;
    for (; sent < MAX_SENDS; sent++) {              /* the kernel's buffers fill, then ours */
        zw_msg *msg = filled (SIZE, (uint8_t) sent);
        if (zw_send (push, msg, 0) < 0) {
            CHECK (errno == EAGAIN);
            zw_msg_destroy (msg);
            break;
        }
    }
    CHECK (sent < MAX_SENDS);
    CHECK (held_octets (push) >= BOUND && held_octets (push) < BOUND + SIZE + 64);

    int got = 0, in_order = 1;
    for (uint64_t end = deadline (); got < sent && before (end);) {
        zw_ctx_run (sending, 0);
        zw_msg *msg = NULL;
        if (zw_recv (pull, &msg, 0) == 0) {
            in_order &= msg->count == 1 && msg->frames[0].size == SIZE
                     && msg->frames[0].data[SIZE - 1] == (uint8_t) got;
            got++;
        }
        zw_msg_destroy (msg);
    }
    CHECK (got == sent && in_order && held_octets (push) == 0);

    CHECK (zw_send (push, filled (2 * BOUND, 'x'), 0) == 0);    /* larger than the bound */
    zw_msg *big = NULL;
    for (uint64_t end = deadline (); !big && before (end);) {
        zw_ctx_run (sending, 0);
        zw_recv (pull, &big, 0);
    }
    CHECK (big && big->count == 1 && big->frames[0].size == 2 * BOUND);
    zw_msg_destroy (big);
    zw_ctx_destroy (sending);
    zw_ctx_destroy (receiving);
}

/*  Takes the expected number of messages at pull (each waited for up to
    WAIT), then checks none more has come; returns how many were text.  */
static int
take_all (zw_socket *pull, const char *text, int expected)
{
    int n = 0;
    zw_msg *got = NULL;
    for (int i = 0; i < expected && zw_recv (pull, &got, WAIT) == 0; i++) {
        n += frame_is (got, 0, text);
        zw_msg_destroy (got);
    }
    if (zw_recv (pull, &got, 0) == 0) {
        n = -1;                                     /* one too many */
        zw_msg_destroy (got);
    }
    return n;
}

/*  Blocking calls wake when what they wait for comes true (the loop's
    contract, zw_loop.h): each wait below is unbounded, and the receiving
    context is never run meanwhile, so nothing comes back from the peer
    to wake a sender that sleeps through its own progress; on a lost
    wake-up the watchdog fails the test.  Covers zw_flush and the linger
    of zw_close, each after a message that waits to be written when the
    loop turns (ZW_OPT_SNDBATCH).  */
static void
test_blocking_calls_wake (void)
{
    zw_ctx *sending, *receiving;
    zw_socket *push, *pull;
    two_contexts (&sending, &push, &receiving, &pull);
    watchdog_arm ("test_blocking_calls_wake", 20);

    CHECK (zw_send (push, message ("flushed", NULL), 0) == 0);
    CHECK (zw_flush (push, -1) == 0);
    CHECK (take_all (pull, "flushed", 1) == 1);

    /* zw_send and zw_poll at the octet bound, which a turn's write clears */
    CHECK (zw_socket_set_int (push, ZW_OPT_SNDHWM_OCTETS, 100) == 0);
    int held = 0;                                   /* each one waits for the next turn */
    for (; held < 20 && held_octets (push) < 100; held++)
        CHECK (zw_send (push, message ("held", NULL), 0) == 0);
    CHECK (held > 1 && held_octets (push) >= 100);
    CHECK (zw_send (push, message ("held", NULL), -1) == 0);
    for (held++; held < 40 && held_octets (push) < 100; held++)
        CHECK (zw_send (push, message ("held", NULL), 0) == 0);
    zw_pollitem out = { .socket = push, .events = ZW_POLLOUT };
    CHECK (zw_poll (&out, 1, -1) == 1 && out.revents == ZW_POLLOUT);
    CHECK (zw_flush (push, -1) == 0);
    CHECK (take_all (pull, "held", held) == held);

    CHECK (zw_socket_set_int (push, ZW_OPT_LINGER, -1) == 0);
    CHECK (zw_send (push, message ("lingered", NULL), 0) == 0);
    zw_close (push);                                /* lingers until written */
    CHECK (take_all (pull, "lingered", 1) == 1);

    watchdog_disarm ();
    zw_ctx_destroy (sending);
    zw_ctx_destroy (receiving);
}

/*  A connection whose reading is paused (the application does not read:
    RCVHWM) and whose output the peer will never take, because the peer
    reset the connection: the write error ends it.  (It used to wait for a
    read that a paused connection never makes, and a sender blocked on it
    spun on the error for ever.)  */
static void
test_write_error_closes_paused_connection (void)
{
    zw_ctx *ours = quiet_ctx (), *theirs = quiet_ctx ();
    zw_socket *peer = bound (theirs, ZW_DEALER, "tcp://127.0.0.1:0");
    zw_socket *dealer = zw_socket_new (ours, ZW_DEALER);
    CHECK (zw_socket_set_int (dealer, ZW_OPT_RCVHWM, 1) == 0);
    CHECK (zw_socket_set_int (dealer, ZW_OPT_SNDHWM, 0) == 0);
    CHECK (zw_socket_set_int (dealer, ZW_OPT_SNDHWM_OCTETS, 0) == 0);
    CHECK (zw_socket_set_int (peer, ZW_OPT_LINGER, 0) == 0);
    CHECK (zw_connect (dealer, zw_socket_last_endpoint (peer)) == 0);
    for (uint64_t end = deadline (); (peers_of (dealer) == 0 || peers_of (peer) == 0)
                                     && before (end);) {
        zw_ctx_run (ours, 1);
        zw_ctx_run (theirs, 1);
    }
    for (int i = 0; i < 3; i++)
        CHECK (zw_send (peer, message ("unread", NULL), 0) == 0);
    CHECK (zw_flush (peer, WAIT) == 0);
    for (uint64_t end = deadline (); queued_at (dealer) == 0 && before (end);)
        zw_ctx_run (ours, 1);
    CHECK (queued_at (dealer) >= 1);                /* at RCVHWM: reading paused */

    for (int i = 0; i < 400 && held_octets (dealer) < (8u << 20); i++)   /* kernel full */
        CHECK (zw_send (dealer, filled (256 << 10, 'w'), 0) == 0);
    CHECK (held_octets (dealer) >= (8u << 20));
    zw_close (peer);                                /* unread data: the kernel resets */
    zw_stats stats = { 0 };
    for (uint64_t end = deadline (); stats.closed == 0 && before (end);) {
        zw_ctx_run (ours, 10);
        zw_socket_stats (dealer, &stats);
    }
    CHECK (stats.closed == 1 && stats.peers == 0 && held_octets (dealer) == 0);
    zw_ctx_destroy (ours);
    zw_ctx_destroy (theirs);
}

/*  A timeout of 0 still turns the loop once (zwire.h): an application that
    polls without waiting, or serves its context in slices of zw_ctx_run
    (ctx, 0), sees messages arrive.  */
static void
test_zero_timeouts_turn_the_loop (void)
{
    zw_ctx *ctx = quiet_ctx ();
    zw_socket *pull = bound (ctx, ZW_PULL, "tcp://127.0.0.1:0");
    zw_socket *push = zw_socket_new (ctx, ZW_PUSH);
    CHECK (zw_connect (push, zw_socket_last_endpoint (pull)) == 0);
    wait_for_peers (ctx, push, 1);
    zw_pollitem items[1] = { { .socket = pull, .events = ZW_POLLIN } };

    CHECK (zw_send (push, message ("polled", NULL), 0) == 0);
    int polled = 0;
    for (uint64_t end = deadline (); polled == 0 && before (end);)
        polled = zw_poll (items, 1, 0);
    CHECK (polled == 1 && items[0].revents == ZW_POLLIN);
    CHECK (take_all (pull, "polled", 1) == 1);

    CHECK (zw_send (push, message ("served", NULL), 0) == 0);
    int run_failed = 0;
    for (uint64_t end = deadline (); !run_failed && queued_at (pull) == 0 && before (end);)
        run_failed = zw_ctx_run (ctx, 0) != 0;
    CHECK (!run_failed && queued_at (pull) == 1);
    CHECK (take_all (pull, "served", 1) == 1);
    zw_ctx_destroy (ctx);
}

int
main (void)
{
    test_pair_transports ();
    test_connect_before_bind ();
    test_req_rep ();
    test_router_identity ();
    test_pub_sub ();
    test_round_robin_and_fair_queue ();
    test_poll ();
    test_monitor ();
    test_errors ();
    test_message_storage ();
    test_large_bodies_recycled ();
    test_send_batching ();
    test_blocking_calls_wake ();
    test_send_octet_bound ();
    test_zero_timeouts_turn_the_loop ();
    test_write_error_closes_paused_connection ();
    printf ("test-api: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
