/*  test_callbacks.c — the public timers and readiness callbacks of
    zwire.h ("Model"): programs that never wait, several on one context,
    driven by zw_ctx_run alone.

    Timers fire in deadline order, once per start; one that re-arms itself
    fires once a turn; one stopped or destroyed by another callback (or
    destroying itself) never fires again; zw_ctx_destroy frees those left.
    A readiness callback drains a ROUTER fed by a DEALER over tcp; one
    that leaves messages is called again, once a turn, and the loop does
    not sleep meanwhile; a REP whose reply a timer sends becomes readable
    again; a writable callback waits for a peer; two sockets ping-pong from
    their callbacks alone; nothing is called after a callback is cleared,
    its socket closed (from a callback: its own, or another due in the same
    turn) or its context destroyed.  Calls made inside a callback never
    turn the loop: timeout 0 tries once, any other is EDEADLK.
    zw_ctx_run_until returns the moment a callback sets its flag.

    Asserts counts and orders, never timings (WAIT only bounds a failing
    test; the watchdog a hung one).  Prints "N passed, N failed".  */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "zwire.h"
#include "zw_socket_internal.h"     /* a look inside: messages queued, callbacks set */
#include "test_watchdog.h"

#include "test_check.h"

#define WAIT 5000                   /* ms: only a bound on a failing test */

/* --- helpers ------------------------------------------------------------------------ */

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

static void
quiet (void *arg, const char *line)
{
    (void) arg;
    (void) line;
}

/* A context whose log says nothing (closes are provoked on purpose). */
static zw_ctx *
quiet_ctx (void)
{
    zw_ctx *ctx = zw_ctx_new ();
    zw_ctx_set_log (ctx, quiet, NULL);
    return ctx;
}

static zw_socket *
bound (zw_ctx *ctx, zw_socket_type type)
{
    zw_socket *s = zw_socket_new (ctx, type);
    return s && zw_bind (s, "tcp://127.0.0.1:0") == 0 ? s : NULL;
}

static zw_socket *
connected (zw_ctx *ctx, zw_socket_type type, const zw_socket *to)
{
    zw_socket *s = zw_socket_new (ctx, type);
    return s && zw_connect (s, zw_socket_last_endpoint (to)) == 0 ? s : NULL;
}

static zw_msg *
message (const char *text)
{
    zw_msg *msg = zw_msg_new ();
    zw_msg_add_str (msg, text);
    return msg;
}

static int
frame_is (const zw_msg *msg, size_t i, const char *text)
{
    return msg && i < msg->count && msg->frames[i].size == strlen (text)
        && memcmp (msg->frames[i].data, text, strlen (text)) == 0;
}

/* Runs the context in slices until *count reaches target (or WAIT passes). */
static void
run_until (zw_ctx *ctx, const int *count, int target)
{
    for (uint64_t end = deadline (); *count < target && before (end);)
        zw_ctx_run (ctx, 10);
}

static void
wait_for_peer (zw_ctx *ctx, const zw_socket *socket)
{
    zw_stats stats = { 0 };
    for (uint64_t end = deadline (); stats.peers == 0 && before (end);) {
        zw_ctx_run (ctx, 10);
        zw_socket_stats (socket, &stats);
    }
}

/* Whole messages queued for the application, not yet received. */
static size_t
queued (const zw_socket *socket)
{
    size_t count = socket->leftover.count;
    for (size_t i = 0; i < socket->pipe_count; i++)
        count += socket->pipes[i]->in.count;
    return count;
}

/* Runs the context until count messages are queued on socket (no callback takes them). */
static void
wait_queued (zw_ctx *ctx, const zw_socket *socket, size_t count)
{
    for (uint64_t end = deadline (); queued (socket) < count && before (end);)
        zw_ctx_run (ctx, 1);
}

static void
count_call (void *arg)
{
    ++*(int *) arg;
}

/* --- timers ---------------------------------------------------------------------------- */

typedef struct {
    char order[16];
    int count;
} firing_log;

typedef struct {
    firing_log *log;
    char label;
} labelled;

static void
log_firing (void *arg)
{
    labelled *l = arg;
    if (l->log->count < (int) sizeof l->log->order - 1)
        l->log->order[l->log->count++] = l->label;
}

/* Deadline order, ties in start order; never before the delay; once per start. */
static void
test_timers_fire_in_deadline_order (void)
{
    zw_ctx *ctx = quiet_ctx ();
    firing_log log = { { 0 }, 0 };
    static const char labels[] = "cabde";
    static const uint64_t delays[] = { 30, 10, 20, 40, 40 };     /* d and e tie */
    labelled args[5];
    zw_ctx_timer *timers[5];
    uint64_t started = zw_ctx_now (ctx);
    for (int i = 0; i < 5; i++) {
        args[i] = (labelled) { &log, labels[i] };
        timers[i] = zw_timer_new (ctx, log_firing, &args[i]);
        CHECK (timers[i] != NULL);
        zw_timer_start (timers[i], delays[i]);
    }
    run_until (ctx, &log.count, 5);
    CHECK (log.count == 5 && memcmp (log.order, "abcde", 5) == 0);
    CHECK (zw_ctx_now (ctx) - started >= 40);       /* a lower bound: never early */
    zw_ctx_run (ctx, 0);
    CHECK (log.count == 5);
    for (int i = 0; i < 5; i++)
        zw_timer_destroy (timers[i]);
    zw_ctx_destroy (ctx);
}

typedef struct {
    zw_ctx_timer *timer;
    int fired, limit;
} rearming;

static void
rearm (void *arg)
{
    rearming *r = arg;
    if (++r->fired < r->limit)
        zw_timer_start (r->timer, 0);
}

/* zw_ctx_run (ctx, 0) is one turn: a timer re-armed with delay 0 from its callback fires once in each. */
static void
test_timer_rearms_itself (void)
{
    zw_ctx *ctx = quiet_ctx ();
    rearming r = { NULL, 0, 5 };
    r.timer = zw_timer_new (ctx, rearm, &r);
    zw_timer_start (r.timer, 0);
    for (int turn = 1; turn <= 7; turn++) {
        zw_ctx_run (ctx, 0);
        CHECK (r.fired == (turn < 5 ? turn : 5));
    }
    zw_timer_destroy (r.timer);
    zw_ctx_destroy (ctx);
}

typedef struct {
    zw_ctx_timer *other;
    int fired;
} stopper;

static void
stop_other (void *arg)
{
    stopper *s = arg;
    s->fired++;
    zw_timer_stop (s->other);
}

static void
test_timer_stopped_by_another (void)
{
    zw_ctx *ctx = quiet_ctx ();
    int b_fired = 0, sentinel = 0;
    zw_ctx_timer *b = zw_timer_new (ctx, count_call, &b_fired);
    stopper s = { b, 0 };
    zw_ctx_timer *a = zw_timer_new (ctx, stop_other, &s);
    zw_ctx_timer *c = zw_timer_new (ctx, count_call, &sentinel);

    /* both due in the same turn, a first: b is stopped before its turn comes */
    zw_timer_start (a, 0);
    zw_timer_start (b, 0);
    zw_ctx_run (ctx, 0);
    CHECK (s.fired == 1 && b_fired == 0);

    /* a before b before c, whatever the machine's speed (each started after the last) */
    zw_timer_start (a, 10);
    zw_timer_start (b, 30);
    zw_timer_start (c, 60);
    run_until (ctx, &sentinel, 1);
    CHECK (s.fired == 2 && b_fired == 0 && sentinel == 1);

    zw_timer_start (b, 0);                          /* a stopped timer starts again */
    run_until (ctx, &b_fired, 1);
    CHECK (b_fired == 1);
    zw_timer_stop (b);                              /* idle: nothing to do */
    zw_timer_destroy (a);
    zw_timer_destroy (b);
    zw_timer_destroy (c);
    zw_ctx_destroy (ctx);
}

typedef struct {
    zw_ctx_timer *self, *other;
    int fired;
} destroyer;

static void
destroy_both (void *arg)
{
    destroyer *d = arg;
    d->fired++;
    zw_timer_destroy (d->other);
    zw_timer_destroy (d->self);
}

/*  A callback destroys its own timer and another due in the same turn
    (AddressSanitizer: no use after free); a timer left armed is freed by
    zw_ctx_destroy without firing (LeakSanitizer).  */
static void
test_timer_destroyed_in_callbacks (void)
{
    zw_ctx *ctx = quiet_ctx ();
    int other_fired = 0, left_fired = 0;
    destroyer d = { NULL, NULL, 0 };
    d.self = zw_timer_new (ctx, destroy_both, &d);
    d.other = zw_timer_new (ctx, count_call, &other_fired);
    zw_timer_start (d.self, 0);
    zw_timer_start (d.other, 0);
    zw_ctx_run (ctx, 0);
    zw_ctx_run (ctx, 0);
    CHECK (d.fired == 1 && other_fired == 0 && ctx->timers == NULL);

    zw_ctx_timer *left = zw_timer_new (ctx, count_call, &left_fired);
    zw_timer_start (left, 0);
    zw_ctx_destroy (ctx);
    CHECK (left_fired == 0);

    errno = 0;
    CHECK (zw_timer_new (NULL, count_call, NULL) == NULL && errno == EINVAL);
    ctx = quiet_ctx ();
    errno = 0;
    CHECK (zw_timer_new (ctx, NULL, NULL) == NULL && errno == EINVAL);
    zw_timer_destroy (NULL);
    zw_ctx_destroy (ctx);
}

/* --- running until done ------------------------------------------------------------------ */

typedef struct {
    zw_ctx *ctx;
    int done, nested;               /* nested: what zw_ctx_run_until did inside the callback */
} finisher;

static void
finish (void *arg)
{
    finisher *f = arg;
    f->nested = zw_ctx_run_until (f->ctx, &f->done, 10) == -1 && errno == EDEADLK;
    f->done = 1;
}

/*  zw_ctx_run_until returns once a callback set its flag, however long its
    timeout (-1 here: a wait that slept on would hang until the watchdog);
    at once when the flag is already set; EAGAIN when the time runs out;
    EDEADLK inside a callback.  */
static void
test_run_until_done (void)
{
    zw_ctx *ctx = quiet_ctx ();
    finisher f = { ctx, 0, 0 };
    zw_ctx_timer *timer = zw_timer_new (ctx, finish, &f);
    zw_timer_start (timer, 20);
    CHECK (zw_ctx_run_until (ctx, &f.done, -1) == 0 && f.done == 1 && f.nested == 1);
    CHECK (zw_ctx_run_until (ctx, &f.done, -1) == 0);
    int never = 0;
    errno = 0;
    CHECK (zw_ctx_run_until (ctx, &never, 10) == -1 && errno == EAGAIN);
    errno = 0;
    CHECK (zw_ctx_run_until (ctx, NULL, 10) == -1 && errno == EINVAL);
    zw_timer_destroy (timer);
    zw_ctx_destroy (ctx);
}

/* --- readiness -------------------------------------------------------------------------- */

typedef struct {
    zw_socket *socket;
    int got, calls, empty_calls, bad;
} drainer;

/* The usual readable callback: everything queued, with zw_recv (..., 0). */
static void
drain (void *arg)
{
    drainer *d = arg;
    zw_msg *msg;
    int took = 0;
    d->calls++;
    while (zw_recv (d->socket, &msg, 0) == 0) {
        took++;
        /* the DEALER's generated identity (0x00 and 4 octets), then the body */
        if (msg->count != 2 || msg->frames[0].size != 5 || msg->frames[0].data[0] != 0
        ||  !frame_is (msg, 1, "drained"))
            d->bad++;
        zw_msg_destroy (msg);
    }
    d->bad += errno != EAGAIN;
    d->got += took;
    d->empty_calls += took == 0;
}

static void
test_readable_drains_router (void)
{
    enum { N = 100 };
    zw_ctx *ctx = quiet_ctx ();
    zw_socket *router = bound (ctx, ZW_ROUTER);
    drainer d = { router, 0, 0, 0, 0 };
    CHECK (zw_socket_set_readable (router, drain, &d) == 0);
    zw_socket *dealer = connected (ctx, ZW_DEALER, router);
    CHECK (dealer != NULL);
    for (int i = 0; i < N; i++)
        CHECK (zw_send (dealer, message ("drained"), WAIT) == 0);
    run_until (ctx, &d.got, N);
    CHECK (d.got == N && d.bad == 0);
    CHECK (d.calls >= 1 && d.empty_calls == 0);     /* called only with something to take */
    zw_ctx_destroy (ctx);
}

typedef struct {
    zw_socket *socket, *done_to;
    int got, calls, target, send_failed;
} taker;

/* Takes one message a call; at the target, says "done" to the main program. */
static void
take_one (void *arg)
{
    taker *t = arg;
    zw_msg *msg;
    t->calls++;
    if (zw_recv (t->socket, &msg, 0) == 0) {
        t->got++;
        zw_msg_destroy (msg);
    }
    if (t->got == t->target && t->done_to) {
        zw_msg *done = message ("done");
        if (zw_send (t->done_to, done, 0) < 0) {
            t->send_failed++;
            zw_msg_destroy (done);
        }
        t->done_to = NULL;
    }
}

/*  Level-triggered: a callback that leaves messages is called again, once
    a turn, with no new input; and the loop does not sleep while it has
    messages left: the main program waits without limit for the "done"
    the callback sends after its last one (the watchdog fails a sleep).  */
static void
test_readable_called_again (void)
{
    enum { N = 6 };
    zw_ctx *ctx = quiet_ctx ();
    zw_socket *router = bound (ctx, ZW_ROUTER);
    zw_socket *dealer = connected (ctx, ZW_DEALER, router);
    zw_socket *pull = bound (ctx, ZW_PULL);
    zw_socket *push = connected (ctx, ZW_PUSH, pull);
    wait_for_peer (ctx, push);
    for (int i = 0; i < N; i++)
        CHECK (zw_send (dealer, message ("left"), WAIT) == 0);
    wait_queued (ctx, router, N);
    CHECK (queued (router) == N);

    taker t = { router, push, 0, 0, N, 0 };
    CHECK (zw_socket_set_readable (router, take_one, &t) == 0);
    zw_ctx_run (ctx, 0);
    zw_ctx_run (ctx, 0);
    CHECK (t.calls == 2 && t.got == 2);

    watchdog_arm ("test_readable_called_again", 20);
    zw_msg *done = NULL;
    CHECK (zw_recv (pull, &done, -1) == 0 && frame_is (done, 0, "done"));
    watchdog_disarm ();
    zw_msg_destroy (done);
    CHECK (t.got == N && t.calls == N && t.send_failed == 0);
    zw_ctx_run (ctx, 0);
    CHECK (t.calls == N);                           /* nothing left: not called */
    zw_ctx_destroy (ctx);
}

typedef struct {
    zw_socket *rep;
    zw_ctx_timer *reply;
    int requests, answered, bad;
} replier;

static void
take_request (void *arg)
{
    replier *r = arg;
    zw_msg *msg;
    if (zw_recv (r->rep, &msg, 0) < 0) {            /* ZW_EFSM if called with a reply owed */
        r->bad++;
        return;
    }
    r->requests++;
    zw_msg_destroy (msg);
    zw_timer_start (r->reply, 1);                   /* the reply comes later, from a timer */
}

static void
send_reply (void *arg)
{
    replier *r = arg;
    if (zw_send (r->rep, message ("answer"), 0) == 0)
        r->answered++;
    else
        r->bad++;
}

/*  Readiness that an application call makes, not a message: a REP with
    requests queued cannot receive while it owes a reply, and can again
    once a timer has sent it; its callback is called then, and never
    while the reply is owed.  */
static void
test_readable_after_reply (void)
{
    zw_ctx *ctx = quiet_ctx ();
    zw_socket *rep = bound (ctx, ZW_REP);
    zw_socket *req1 = connected (ctx, ZW_REQ, rep), *req2 = connected (ctx, ZW_REQ, rep);
    CHECK (zw_send (req1, message ("question"), WAIT) == 0);
    CHECK (zw_send (req2, message ("question"), WAIT) == 0);
    wait_queued (ctx, rep, 2);
    replier r = { rep, NULL, 0, 0, 0 };
    r.reply = zw_timer_new (ctx, send_reply, &r);
    CHECK (zw_socket_set_readable (rep, take_request, &r) == 0);
    run_until (ctx, &r.answered, 2);
    CHECK (r.requests == 2 && r.answered == 2 && r.bad == 0);
    zw_msg *a1 = NULL, *a2 = NULL;
    CHECK (zw_recv (req1, &a1, WAIT) == 0 && frame_is (a1, 0, "answer"));
    CHECK (zw_recv (req2, &a2, WAIT) == 0 && frame_is (a2, 0, "answer"));
    zw_msg_destroy (a1);
    zw_msg_destroy (a2);
    zw_timer_destroy (r.reply);
    zw_ctx_destroy (ctx);
}

typedef struct {
    zw_socket *socket;
    int calls, sent;
} first_send;

static void
send_once (void *arg)
{
    first_send *f = arg;
    f->calls++;
    zw_msg *msg = message ("first");
    if (zw_send (f->socket, msg, 0) == 0)
        f->sent++;
    else
        zw_msg_destroy (msg);
    zw_socket_set_writable (f->socket, NULL, NULL);
}

/* A writable callback is not called while zw_send would wait (no peer), then is once it would not. */
static void
test_writable_waits_for_a_peer (void)
{
    zw_ctx *ctx = quiet_ctx ();
    zw_socket *dealer = zw_socket_new (ctx, ZW_DEALER);
    first_send f = { dealer, 0, 0 };
    CHECK (zw_socket_set_writable (dealer, send_once, &f) == 0);
    for (int i = 0; i < 3; i++)
        zw_ctx_run (ctx, 0);
    CHECK (f.calls == 0);
    zw_socket *router = bound (ctx, ZW_ROUTER);
    CHECK (zw_connect (dealer, zw_socket_last_endpoint (router)) == 0);
    run_until (ctx, &f.calls, 1);
    CHECK (f.calls == 1 && f.sent == 1);
    zw_msg *got = NULL;
    CHECK (zw_recv (router, &got, WAIT) == 0 && frame_is (got, 1, "first"));
    zw_msg_destroy (got);
    zw_ctx_run (ctx, 0);
    CHECK (f.calls == 1);
    zw_ctx_destroy (ctx);
}

typedef struct {
    zw_socket *dealer, *router;
    int rounds, pings, pongs, out_of_order, send_failed;
} rally;

static void
send_ping (rally *r)
{
    char text[16];
    snprintf (text, sizeof text, "%d", r->pongs);
    zw_msg *msg = message (text);
    if (zw_send (r->dealer, msg, 0) < 0) {
        r->send_failed++;
        zw_msg_destroy (msg);
    }
}

/* DEALER, writable: the first ping, once there is a peer. */
static void
serve_first (void *arg)
{
    rally *r = arg;
    zw_socket_set_writable (r->dealer, NULL, NULL);
    send_ping (r);
}

/* ROUTER, readable: each ping back to its sender (the identity frame routes it). */
static void
echo (void *arg)
{
    rally *r = arg;
    zw_msg *msg;
    while (zw_recv (r->router, &msg, 0) == 0) {
        r->pings++;
        if (zw_send (r->router, msg, 0) < 0) {
            r->send_failed++;
            zw_msg_destroy (msg);
        }
    }
}

/* DEALER, readable: each pong in order, and the next ping. */
static void
volley (void *arg)
{
    rally *r = arg;
    zw_msg *msg;
    while (zw_recv (r->dealer, &msg, 0) == 0) {
        char expected[16];
        snprintf (expected, sizeof expected, "%d", r->pongs);
        r->out_of_order += msg->count != 1 || !frame_is (msg, 0, expected);
        zw_msg_destroy (msg);
        if (++r->pongs < r->rounds)
            send_ping (r);
    }
}

/* Two sockets of one context, each only in its callbacks; the program only calls zw_ctx_run. */
static void
test_ping_pong (void)
{
    enum { N = 500 };
    zw_ctx *ctx = quiet_ctx ();
    zw_socket *router = bound (ctx, ZW_ROUTER);
    zw_socket *dealer = zw_socket_new (ctx, ZW_DEALER);
    rally r = { dealer, router, N, 0, 0, 0, 0 };
    CHECK (zw_socket_set_readable (router, echo, &r) == 0);
    CHECK (zw_socket_set_readable (dealer, volley, &r) == 0);
    CHECK (zw_socket_set_writable (dealer, serve_first, &r) == 0);
    CHECK (zw_connect (dealer, zw_socket_last_endpoint (router)) == 0);
    run_until (ctx, &r.pongs, N);
    zw_ctx_run (ctx, 0);
    CHECK (r.pongs == N && r.pings == N && r.out_of_order == 0 && r.send_failed == 0);
    zw_ctx_destroy (ctx);
}

typedef struct {
    zw_socket *socket;
    int calls, replied;
} closer;

/* ROUTER, readable: takes one request, replies, and closes its own socket, requests still queued. */
static void
reply_and_close (void *arg)
{
    closer *c = arg;
    zw_msg *msg;
    c->calls++;
    if (zw_recv (c->socket, &msg, 0) == 0) {
        zw_msg *reply = zw_msg_new ();
        zw_msg_add (reply, msg->frames[0].data, msg->frames[0].size);
        zw_msg_add_str (reply, "bye");
        c->replied += zw_send (c->socket, reply, 0) == 0;
        zw_msg_destroy (msg);
    }
    zw_close (c->socket);           /* no linger in a callback: the reply gets one write */
}

typedef struct {
    zw_socket **self, **other;
    int *calls;
} rival;

/* Closes the other socket (due in the same turn) and clears its own callback. */
static void
close_rival (void *arg)
{
    rival *r = arg;
    ++*r->calls;
    zw_close (*r->other);
    *r->other = NULL;
    zw_socket_set_readable (*r->self, NULL, NULL);
}

static void
test_close_inside_callbacks (void)
{
    zw_ctx *ctx = quiet_ctx ();
    zw_socket *router = bound (ctx, ZW_ROUTER);
    zw_socket *dealer = connected (ctx, ZW_DEALER, router);
    for (int i = 0; i < 3; i++)
        CHECK (zw_send (dealer, message ("hello"), WAIT) == 0);
    wait_queued (ctx, router, 3);
    closer c = { router, 0, 0 };
    CHECK (zw_socket_set_readable (router, reply_and_close, &c) == 0);
    zw_msg *bye = NULL;
    CHECK (zw_recv (dealer, &bye, WAIT) == 0 && frame_is (bye, 0, "bye"));
    zw_msg_destroy (bye);
    for (int i = 0; i < 3; i++)
        zw_ctx_run (ctx, 0);
    CHECK (c.calls == 1 && c.replied == 1 && ctx->ready_set == 0);

    /* two sockets due in one turn, each callback closing the other: one call only */
    zw_socket *a = bound (ctx, ZW_PULL), *b = bound (ctx, ZW_PULL);
    zw_socket *to_a = connected (ctx, ZW_PUSH, a), *to_b = connected (ctx, ZW_PUSH, b);
    CHECK (zw_send (to_a, message ("a"), WAIT) == 0 && zw_send (to_b, message ("b"), WAIT) == 0);
    wait_queued (ctx, a, 1);
    wait_queued (ctx, b, 1);
    int calls = 0;
    rival for_a = { &a, &b, &calls }, for_b = { &b, &a, &calls };
    CHECK (zw_socket_set_readable (a, close_rival, &for_a) == 0);
    CHECK (zw_socket_set_readable (b, close_rival, &for_b) == 0);
    for (int i = 0; i < 3; i++)
        zw_ctx_run (ctx, 0);
    CHECK (calls == 1 && (a == NULL) != (b == NULL) && ctx->ready_set == 0);
    zw_ctx_destroy (ctx);
}

/* Nothing is called once a callback is cleared, by the program or by itself. */
static void
test_no_callback_after_clear (void)
{
    zw_ctx *ctx = quiet_ctx ();
    zw_socket *pull = bound (ctx, ZW_PULL);
    zw_socket *push = connected (ctx, ZW_PUSH, pull);
    int calls = 0, wcalls = 0;
    CHECK (zw_socket_set_readable (pull, count_call, &calls) == 0);
    CHECK (zw_socket_set_readable (pull, NULL, NULL) == 0);
    CHECK (zw_socket_set_writable (push, count_call, &wcalls) == 0);
    CHECK (zw_socket_set_writable (push, NULL, NULL) == 0);
    CHECK (ctx->ready_set == 0);
    for (int i = 0; i < 3; i++)
        CHECK (zw_send (push, message ("unheard"), WAIT) == 0);
    wait_queued (ctx, pull, 3);
    for (int i = 0; i < 3; i++)
        zw_ctx_run (ctx, 0);
    CHECK (queued (pull) == 3 && calls == 0 && wcalls == 0);

    first_send f = { push, 0, 0 };                  /* clears itself at its first call */
    CHECK (zw_socket_set_writable (push, send_once, &f) == 0);
    for (int i = 0; i < 3; i++)
        zw_ctx_run (ctx, 0);
    CHECK (f.calls == 1 && f.sent == 1);

    /* what types cannot do */
    zw_socket *pub = zw_socket_new (ctx, ZW_PUB), *sub = zw_socket_new (ctx, ZW_SUB);
    errno = 0;
    CHECK (zw_socket_set_readable (push, count_call, &calls) == -1 && errno == ENOTSUP);
    errno = 0;
    CHECK (zw_socket_set_readable (pub, count_call, &calls) == -1 && errno == ENOTSUP);
    errno = 0;
    CHECK (zw_socket_set_writable (pull, count_call, &calls) == -1 && errno == ENOTSUP);
    errno = 0;
    CHECK (zw_socket_set_writable (sub, count_call, &calls) == -1 && errno == ENOTSUP);
    errno = 0;
    CHECK (zw_socket_set_readable (NULL, count_call, &calls) == -1 && errno == EINVAL);
    CHECK (ctx->ready_set == 0);
    zw_ctx_destroy (ctx);
}

typedef struct {
    zw_ctx *ctx;
    zw_socket *push, *pull;
    zw_ctx_timer *later;
    int inside, later_fired, later_fired_inside;
} nesting;

static void
note_later (void *arg)
{
    nesting *n = arg;
    n->later_fired++;
    n->later_fired_inside += n->inside;
}

/*  Every kind of call, from inside a callback: timeout 0 tries once (what
    is queued is taken; what is sent is not delivered: no turn), anything
    that could wait is EDEADLK; a timer due at once does not fire in here,
    as it would in a nested turn, but after the callback returns.  */
static void
try_everything (void *arg)
{
    nesting *n = arg;
    zw_msg *msg = NULL;
    n->inside = 1;
    zw_timer_start (n->later, 0);
    CHECK (zw_recv (n->pull, &msg, 0) == 0 && frame_is (msg, 0, "queued"));
    zw_msg_destroy (msg);
    CHECK (zw_send (n->push, message ("sent"), 0) == 0);
    errno = 0;
    CHECK (zw_recv (n->pull, &msg, 0) == -1 && errno == EAGAIN);
    errno = 0;
    CHECK (zw_recv (n->pull, &msg, 100) == -1 && errno == EDEADLK);
    zw_msg *refused = message ("refused");
    errno = 0;
    CHECK (zw_send (n->push, refused, -1) == -1 && errno == EDEADLK);
    zw_msg_destroy (refused);                       /* still ours */
    zw_pollitem item = { .socket = n->pull, .events = ZW_POLLIN };
    CHECK (zw_poll (&item, 1, 0) == 0);
    errno = 0;
    CHECK (zw_poll (&item, 1, -1) == -1 && errno == EDEADLK);
    errno = 0;
    CHECK (zw_flush (n->push, 50) == -1 && errno == EDEADLK);
    CHECK (zw_ctx_run (n->ctx, 0) == 0);
    errno = 0;
    CHECK (zw_ctx_run (n->ctx, 10) == -1 && errno == EDEADLK);
    n->inside = 0;
}

/* The same, from a readable callback, once. */
static void
try_everything_once (void *arg)
{
    nesting *n = arg;
    zw_socket_set_readable (n->pull, NULL, NULL);
    try_everything (arg);
}

static void
test_calls_inside_callbacks_do_not_wait (void)
{
    zw_ctx *ctx = quiet_ctx ();
    zw_socket *pull = bound (ctx, ZW_PULL);
    zw_socket *push = connected (ctx, ZW_PUSH, pull);
    wait_for_peer (ctx, push);
    nesting n = { ctx, push, pull, NULL, 0, 0, 0 };
    n.later = zw_timer_new (ctx, note_later, &n);
    zw_ctx_timer *now = zw_timer_new (ctx, try_everything, &n);

    for (int from_timer = 1; from_timer >= 0; from_timer--) {
        CHECK (zw_send (push, message ("queued"), WAIT) == 0);
        wait_queued (ctx, pull, 1);
        int fired_before = n.later_fired;
        if (from_timer)
            zw_timer_start (now, 0);
        else
            CHECK (zw_socket_set_readable (pull, try_everything_once, &n) == 0);
        zw_ctx_run (ctx, 0);                        /* the callback's turn */
        if (from_timer)                             /* started by a timer: the next turn */
            CHECK (n.later_fired == fired_before);
        zw_ctx_run (ctx, 0);
        CHECK (n.later_fired == fired_before + 1 && n.later_fired_inside == 0);
        zw_msg *sent = NULL;
        CHECK (zw_recv (pull, &sent, WAIT) == 0 && frame_is (sent, 0, "sent"));
        zw_msg_destroy (sent);
    }
    zw_timer_destroy (now);
    zw_timer_destroy (n.later);
    zw_ctx_destroy (ctx);
}

/*  zw_ctx_destroy runs no callback, though its lingers turn the loop (a
    message waits to be written) with a timer due and a socket readable;
    the timer left is freed (LeakSanitizer).  */
static void
test_destroy_runs_no_callback (void)
{
    zw_ctx *ctx = quiet_ctx ();
    zw_socket *pull = bound (ctx, ZW_PULL);
    zw_socket *push = connected (ctx, ZW_PUSH, pull);
    CHECK (zw_send (push, message ("readable"), WAIT) == 0);
    wait_queued (ctx, pull, 1);
    int fired = 0, calls = 0;
    zw_ctx_timer *due = zw_timer_new (ctx, count_call, &fired);
    zw_timer_start (due, 0);
    CHECK (zw_socket_set_readable (pull, count_call, &calls) == 0);
    CHECK (zw_send (push, message ("lingering"), 0) == 0);     /* written at the next turn */
    zw_ctx_destroy (ctx);
    CHECK (fired == 0 && calls == 0);
}

int
main (void)
{
    test_timers_fire_in_deadline_order ();
    test_timer_rearms_itself ();
    test_timer_stopped_by_another ();
    test_timer_destroyed_in_callbacks ();
    test_run_until_done ();
    test_readable_drains_router ();
    test_readable_called_again ();
    test_readable_after_reply ();
    test_writable_waits_for_a_peer ();
    test_ping_pong ();
    test_close_inside_callbacks ();
    test_no_callback_after_clear ();
    test_calls_inside_callbacks_do_not_wait ();
    test_destroy_runs_no_callback ();
    printf ("test-callbacks: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
