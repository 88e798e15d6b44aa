/*  zw_ctx.c — contexts: the one loop their sockets share, the log, and
    zw_poll over sockets and plain fds (zwire.h).  */

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "zw_socket_internal.h"
#include "zw_fault.h"
#include "zw_msg_internal.h"

static void
log_to_stderr (void *arg, const char *line)
{
    (void) arg;
    fprintf (stderr, "zwire: %s\n", line);
}

zw_ctx *
zw_ctx_new (void)
{
    zw_ctx *ctx = calloc (1, sizeof *ctx);
    if (!ctx) {
        errno = ENOMEM;
        return NULL;
    }
    if (!(ctx->loop = zw_loop_new ())) {
        free (ctx);
        return NULL;
    }
    ctx->log = log_to_stderr;
    zw_fault_init ();               /* deliberate faults, for mutation testing only */
    return ctx;
}

void
zw_ctx_destroy (zw_ctx *ctx)
{
    if (!ctx)
        return;
    zw_ctx_silence (ctx);           /* the application may be half gone: no callback now */
    while (ctx->sockets)
        zw_close (ctx->sockets);
    zw_zap_free_all (ctx);          /* requests whose connections are gone */
    zw_loop_destroy (ctx->loop);
    free (ctx);
    zw_msg_release_kept ();         /* so a thread done with zwire keeps no memory */
}

void
zw_ctx_set_log (zw_ctx *ctx, zw_log_fn *fn, void *arg)
{
    ctx->log = fn;
    ctx->log_arg = arg;
}

void
zw_log (zw_ctx *ctx, const char *format, ...)
{
    if (!ctx->log)
        return;
    char line[1024];
    va_list args;
    va_start (args, format);
    vsnprintf (line, sizeof line, format, args);
    va_end (args);
    ctx->log (ctx->log_arg, line);
}

/* --- the one wait of every blocking call -------------------------------------------- */

/*  One turn of the context: the readiness callbacks due, then one turn of
    the loop, which does not sleep if any was called: the callback may
    have done what the caller waits for, or left its socket ready, to be
    called again at the next turn (level-triggered; zw_callbacks.c).  */
static int
turn (zw_ctx *ctx, int timeout_ms)
{
    int called = zw_ctx_dispatch_ready (ctx);
    return zw_loop_run_once (ctx->loop, called ? 0 : timeout_ms);
}

/*  Inside a timer or readiness callback the loop is already turning,
    below it: a call tries once, and one that would wait is refused at
    once (EDEADLK), not only when it would have waited, so that a program
    that waits in a callback fails the first time, not under load.  */
static int
attempt_in_callback (zw_attempt_fn *attempt, void *arg, int timeout_ms)
{
    if (timeout_ms != 0) {
        errno = EDEADLK;
        return -1;
    }
    return attempt (arg);
}

/*  The clock is read only once a try has failed: a call that succeeds at
    once costs no system call.  Correct because of the loop's contract
    (zw_loop.h): a turn sleeps only if nothing has happened since the
    last try, so a try after every turn sees every change.  */
int
zw_ctx_wait (zw_ctx *ctx, zw_attempt_fn *attempt, void *arg, int timeout_ms)
{
    if (ctx->in_callback)
        return attempt_in_callback (attempt, arg, timeout_ms);
    uint64_t deadline = 0;
    for (int turned = 0;; turned = 1) {
        if (attempt (arg) == 0)
            return 0;
        if (errno != EAGAIN)
            return -1;
        int left = -1;                      /* no limit */
        if (timeout_ms >= 0) {
            uint64_t now = zw_loop_now ();
            if (!turned)
                deadline = now + (uint64_t) timeout_ms;
            else if (now >= deadline) {
                errno = EAGAIN;
                return -1;
            }
            left = (int) (deadline - now);
        }
        if (turn (ctx, left) < 0)
            return -1;
    }
}

static int
never_done (void *arg)
{
    (void) arg;
    errno = EAGAIN;
    return -1;
}

int
zw_ctx_run (zw_ctx *ctx, int timeout_ms)
{
    if (!ctx) {
        errno = EINVAL;
        return -1;
    }
    return zw_ctx_wait (ctx, never_done, NULL, timeout_ms) < 0 && errno != EAGAIN ? -1 : 0;
}

static int
is_done (void *arg)
{
    if (*(const volatile int *) arg)
        return 0;
    errno = EAGAIN;
    return -1;
}

int
zw_ctx_run_until (zw_ctx *ctx, const volatile int *done, int timeout_ms)
{
    if (!ctx || !done) {
        errno = EINVAL;
        return -1;
    }
    /* the cast drops volatile for the attempt's void *; is_done reads through volatile again */
    return zw_ctx_wait (ctx, is_done, (void *) (uintptr_t) done, timeout_ms);
}

/* --- poll ------------------------------------------------------------------------ */

/* ZW_POLLIN and ZW_POLLOUT as poll(2)'s bits. */
static short
poll_bits (short events)
{
    return (short) ((events & ZW_POLLIN ? POLLIN : 0) | (events & ZW_POLLOUT ? POLLOUT : 0));
}

/*  What a plain fd's poll revents mean: readable or writable as asked,
    and an error, a hang-up or a bad fd as ready for whatever was asked
    (the next read or write will not wait: it reports the condition).  */
static short
fd_revents (const zw_pollitem *item)
{
    struct pollfd p = { .fd = item->fd, .events = poll_bits (item->events) };
    if (poll (&p, 1, 0) != 1)
        return 0;
    short revents = 0;
    if (p.revents & POLLIN)                         revents |= ZW_POLLIN;
    if (p.revents & POLLOUT)                        revents |= ZW_POLLOUT;
    if (p.revents & (POLLHUP | POLLERR | POLLNVAL)) revents |= item->events;
    return revents & item->events;
}

/* Fills revents from what each item could do now; returns how many can. */
static int
ready_items (zw_pollitem *items, int count)
{
    int ready = 0;
    for (int i = 0; i < count; i++) {
        zw_pollitem *item = &items[i];
        item->revents = 0;
        if (item->socket) {
            const zw_pattern *pattern = item->socket->pattern;
            if (item->events & ZW_POLLIN && pattern->can_recv (item->socket))
                item->revents |= ZW_POLLIN;
            if (item->events & ZW_POLLOUT && pattern->can_send (item->socket))
                item->revents |= ZW_POLLOUT;
        }
        else
            item->revents = fd_revents (item);
        ready += item->revents != 0;
    }
    return ready;
}

/*  The context of the socket items, or NULL if there are none; *mixed
    when they belong to several: one wait turns one loop.  */
static zw_ctx *
items_ctx (const zw_pollitem *items, int count, int *mixed)
{
    zw_ctx *ctx = NULL;
    *mixed = 0;
    for (int i = 0; i < count; i++)
        if (items[i].socket) {
            if (ctx && items[i].socket->ctx != ctx)
                *mixed = 1;
            ctx = items[i].socket->ctx;
        }
    return ctx;
}

/* A plain fd's readiness only has to end the turn: the next try reads it. */
static void
fd_ready (zw_loop *loop, int fd, unsigned events, void *arg)
{
    (void) loop;
    (void) fd;
    (void) events;
    (void) arg;
}

/*  What the loop is to watch item i's fd for: everything asked of that fd
    by any item, given at its first item only (0 at the others).  */
static unsigned
fd_interest (const zw_pollitem *items, int count, int i)
{
    for (int j = 0; j < i; j++)
        if (!items[j].socket && items[j].fd == items[i].fd)
            return 0;                       /* an earlier item has it */
    unsigned events = 0;
    for (int j = i; j < count; j++)
        if (!items[j].socket && items[j].fd == items[i].fd)
            events |= (items[j].events & ZW_POLLIN ? ZW_IO_READ : 0u)
                    | (items[j].events & ZW_POLLOUT ? ZW_IO_WRITE : 0u);
    return events;
}

/* Stops watching the plain fds of items [0, upto) that watch_fds watched. */
static void
unwatch_fds (zw_loop *loop, const zw_pollitem *items, int count, int upto)
{
    int saved = errno;
    for (int i = 0; i < upto; i++)
        if (!items[i].socket && fd_interest (items, count, i))
            zw_loop_unwatch (loop, items[i].fd);
    errno = saved;
}

/*  Plain fds join the loop for the wait, so that their readiness wakes it.
    An fd asked for nothing is not watched (a hang-up would end every turn
    for nothing); one that cannot be watched because it is not open, or
    is a file that is always ready (EBADF, EPERM), is left out: the first
    try reports it ready.  Returns 0, or -1 with errno: EINVAL for an fd
    the context uses itself, else why the loop could not watch one.  */
static int
watch_fds (zw_loop *loop, const zw_pollitem *items, int count)
{
    for (int i = 0; i < count; i++) {
        unsigned events = items[i].socket ? 0 : fd_interest (items, count, i);
        if (!events)
            continue;
        int refused = zw_loop_watched (loop, items[i].fd);
        if (refused)
            errno = EINVAL;
        else if (zw_loop_watch (loop, items[i].fd, events, fd_ready, NULL) < 0)
            refused = errno != EBADF && errno != EPERM;
        if (refused) {
            unwatch_fds (loop, items, count, i);
            return -1;
        }
    }
    return 0;
}

typedef struct {
    zw_pollitem *items;
    int count;
    int ready;
} polling;

static int
try_poll (void *arg)
{
    polling *p = arg;
    p->ready = ready_items (p->items, p->count);
    if (p->ready)
        return 0;
    errno = EAGAIN;
    return -1;
}

/* Only plain fds: plain poll does it (a signal does not end the wait early). */
static int
poll_fds (zw_pollitem *items, int count, int timeout_ms)
{
    struct pollfd fds[count > 0 ? count : 1];
    for (int i = 0; i < count; i++)
        fds[i] = (struct pollfd) { .fd = items[i].fd, .events = poll_bits (items[i].events) };
    uint64_t deadline = zw_loop_now () + (uint64_t) (timeout_ms > 0 ? timeout_ms : 0);
    for (;;) {
        int ready = ready_items (items, count);
        uint64_t now = zw_loop_now ();
        if (ready || (timeout_ms >= 0 && now >= deadline))
            return ready;
        int left = timeout_ms < 0 ? -1 : (int) (deadline - now);
        if (poll (fds, (nfds_t) count, left) < 0 && errno != EINTR)
            return -1;
    }
}

int
zw_poll (zw_pollitem *items, int count, int timeout_ms)
{
    int mixed;
    if (count < 0 || (count > 0 && !items)) {
        errno = EINVAL;
        return -1;
    }
    zw_ctx *ctx = items_ctx (items, count, &mixed);
    if (mixed) {
        errno = EINVAL;
        return -1;
    }
    if (!ctx)
        return poll_fds (items, count, timeout_ms);
    if (watch_fds (ctx->loop, items, count) < 0)
        return -1;
    polling p = { items, count, 0 };
    int rc = zw_ctx_wait (ctx, try_poll, &p, timeout_ms);
    int error = errno;
    unwatch_fds (ctx->loop, items, count, count);
    errno = error;
    return rc < 0 && error != EAGAIN ? -1 : p.ready;
}
