/*  zw_callbacks.c — the application's callbacks on a context's loop
    (zwire.h): timers, and sockets' readiness callbacks.  What lets a
    program never wait, and several programs share one loop.

    Where they run.  A timer is one of the loop's own (zw_loop.h), fired
    at the end of a turn; readiness callbacks are dispatched at the start
    of each turn, before the loop may sleep (zw_ctx.c, turn ()).  Either
    way no connection is half-served below the callback (its I/O, timer
    and deferred callbacks are each done by then), so the callback may
    close sockets, whose connections are then freed at once.

    Re-entrancy.  While one runs, ctx->in_callback is set, and no call of
    the callback turns the loop (zw_ctx_wait): a nested turn would run
    other callbacks inside this one (this one again, for a socket still
    readable), and under a turn that is half done.  A program that never
    waits needs no nested turn: what it sends is written at the next
    turn, right after it returns, and what arrives meanwhile gets its
    callback then.

    Level-triggered readiness, and why no callback misses a ready
    socket.  Each dispatch asks every socket with a callback whether it
    can receive (or send) now, and calls those that can.  A socket becomes
    ready only in a loop callback (a message queued, a pipe attached, a
    write done), which ends the loop's turn without sleeping, or in an
    application call (REP's reply makes its next request receivable),
    after which the blocking call that runs the loop tries, then turns:
    either way a dispatch follows before any sleep.  And a turn whose
    dispatch called anyone does not sleep, so a callback that leaves
    messages is called again at the next turn.  */

#include <errno.h>
#include <stdlib.h>
#include "zw_socket_internal.h"

struct zw_ctx_timer {
    zw_ctx *ctx;
    zw_ctx_timer *prev, *next;      /* the context's timers */
    zw_timer timer;
    zw_timer_cb *fn;
    void *arg;
};

/* ---- timers ---- */

/*  Nothing of the timer is touched after fn: fn may have destroyed it.
    The context outlives every callback (zwire.h: never destroyed in one).  */
static void
fire (zw_loop *loop, void *arg)
{
    zw_ctx_timer *timer = arg;
    zw_ctx *ctx = timer->ctx;
    (void) loop;
    ctx->in_callback++;
    timer->fn (timer->arg);
    ctx->in_callback--;
}

zw_ctx_timer *
zw_timer_new (zw_ctx *ctx, zw_timer_cb *fn, void *arg)
{
    if (!ctx || !fn) {
        errno = EINVAL;
        return NULL;
    }
    zw_ctx_timer *timer = calloc (1, sizeof *timer);
    if (!timer) {
        errno = ENOMEM;
        return NULL;
    }
    timer->ctx = ctx;
    timer->fn = fn;
    timer->arg = arg;
    zw_timer_init (&timer->timer, fire, timer);
    timer->next = ctx->timers;
    if (ctx->timers)
        ctx->timers->prev = timer;
    ctx->timers = timer;
    return timer;
}

void
zw_timer_start (zw_ctx_timer *timer, uint64_t delay_ms)
{
    zw_loop_timer_start (timer->ctx->loop, &timer->timer, delay_ms);
}

void
zw_timer_stop (zw_ctx_timer *timer)
{
    zw_loop_timer_stop (timer->ctx->loop, &timer->timer);
}

void
zw_timer_destroy (zw_ctx_timer *timer)
{
    if (!timer)
        return;
    zw_ctx *ctx = timer->ctx;
    zw_loop_timer_stop (ctx->loop, &timer->timer);
    if (timer->prev)
        timer->prev->next = timer->next;
    else
        ctx->timers = timer->next;
    if (timer->next)
        timer->next->prev = timer->prev;
    free (timer);
}

uint64_t
zw_ctx_now (zw_ctx *ctx)
{
    (void) ctx;                     /* one clock for every loop, today */
    return zw_loop_now ();
}

/* ---- readiness ---- */

static int
set_ready (zw_socket *socket, zw_ready *ready, zw_ready_cb *fn, void *arg)
{
    if (fn && !ready->fn)
        socket->ctx->ready_set++;
    else if (!fn && ready->fn)
        socket->ctx->ready_set--;
    ready->fn = fn;
    ready->arg = fn ? arg : NULL;
    return 0;
}

int
zw_socket_set_readable (zw_socket *socket, zw_ready_cb *fn, void *arg)
{
    if (!socket) {
        errno = EINVAL;
        return -1;
    }
    if (fn && socket->pattern->recv == zw_pattern_recv_unsupported) {
        errno = ENOTSUP;
        return -1;
    }
    return set_ready (socket, &socket->readable, fn, arg);
}

int
zw_socket_set_writable (zw_socket *socket, zw_ready_cb *fn, void *arg)
{
    if (!socket) {
        errno = EINVAL;
        return -1;
    }
    if (fn && socket->pattern->send == zw_pattern_send_unsupported) {
        errno = ENOTSUP;
        return -1;
    }
    return set_ready (socket, &socket->writable, fn, arg);
}

void
zw_socket_clear_ready (zw_socket *socket)
{
    set_ready (socket, &socket->readable, NULL, NULL);
    set_ready (socket, &socket->writable, NULL, NULL);
}

/* Set, not yet called in this round, and its socket ready that way. */
static int
due (zw_socket *socket, const zw_ready *ready, uint64_t round,
     int (*can) (zw_socket *socket))
{
    return ready->fn && ready->round != round && can (socket);
}

/*  The next callback due in this round, found from the head of the
    context's list: the last callback may have closed any socket, its
    own or the next, or made new ones, so no pointer is kept across it.
    O(sockets) a call, and a context has few sockets.  */
static zw_ready *
next_due (zw_ctx *ctx, uint64_t round)
{
    for (zw_socket *socket = ctx->sockets; socket; socket = socket->next) {
        if (due (socket, &socket->readable, round, socket->pattern->can_recv))
            return &socket->readable;
        if (due (socket, &socket->writable, round, socket->pattern->can_send))
            return &socket->writable;
    }
    return NULL;
}

int
zw_ctx_dispatch_ready (zw_ctx *ctx)
{
    if (ctx->ready_set == 0)        /* what a context without callbacks pays */
        return 0;
    uint64_t round = ++ctx->ready_round;
    int called = 0;
    zw_ready *ready;
    while ((ready = next_due (ctx, round))) {
        ready->round = round;
        called++;
        ctx->in_callback++;
        ready->fn (ready->arg);     /* may free the socket, and ready with it */
        ctx->in_callback--;
    }
    return called;
}

/* ---- the end of a context ---- */

void
zw_ctx_silence (zw_ctx *ctx)
{
    while (ctx->timers)
        zw_timer_destroy (ctx->timers);
    for (zw_socket *socket = ctx->sockets; socket; socket = socket->next)
        zw_socket_clear_ready (socket);
}
