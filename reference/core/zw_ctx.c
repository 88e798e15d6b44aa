/*  zw_ctx.c — contexts: the one loop their sockets share, the log, and
    zw_poll over sockets and plain fds (zwire.h).  */

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
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
    while (ctx->sockets)
        zw_close (ctx->sockets);
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

/* Milliseconds left before deadline (-1: none), for one turn of the loop. */
static int
remaining (uint64_t deadline, int timeout_ms)
{
    if (timeout_ms < 0)
        return -1;
    uint64_t now = zw_loop_now ();
    return now >= deadline ? 0 : (int) (deadline - now);
}

/*  The clock is read only once a try has failed: a call that succeeds at
    once costs no system call.  Correct because of the loop's contract
    (zw_loop.h): a turn sleeps only if nothing has happened since the
    last try, so a try after every turn sees every change.  */
int
zw_ctx_wait (zw_ctx *ctx, zw_attempt_fn *attempt, void *arg, int timeout_ms)
{
    uint64_t deadline = 0;
    for (int turned = 0;; turned = 1) {
        if (attempt (arg) == 0)
            return 0;
        if (errno != EAGAIN)
            return -1;
        if (!turned)
            deadline = zw_loop_now () + (uint64_t) (timeout_ms > 0 ? timeout_ms : 0);
        int left = remaining (deadline, timeout_ms);
        if (left == 0 && turned) {
            errno = EAGAIN;
            return -1;
        }
        if (zw_loop_run_once (ctx->loop, left) < 0)
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

/* --- poll ------------------------------------------------------------------------ */

/*  What a plain fd's poll revents mean: readable or writable as asked,
    and an error, a hang-up or a bad fd as ready for whatever was asked
    (the next read or write will not wait: it reports the condition).  */
static short
fd_revents (const zw_pollitem *item)
{
    struct pollfd p = { .fd = item->fd, .events = 0 };
    if (item->events & ZW_POLLIN)  p.events |= POLLIN;
    if (item->events & ZW_POLLOUT) p.events |= POLLOUT;
    if (poll (&p, 1, 0) != 1)
        return 0;
    short revents = 0;
    if (p.revents & POLLIN)                       revents |= ZW_POLLIN;
    if (p.revents & POLLOUT)                      revents |= ZW_POLLOUT;
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

/*  The context of the socket items, or NULL if there are none; EINVAL
    (and NULL) when they belong to several: one wait turns one loop.  */
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

/*  Plain fds join the loop for the wait, so that their readiness wakes it;
    an fd listed twice is watched once, for everything asked of it.  */
static void
watch_fds (zw_loop *loop, const zw_pollitem *items, int count, int watch)
{
    for (int i = 0; i < count; i++) {
        if (items[i].socket)
            continue;
        if (!watch) {
            zw_loop_unwatch (loop, items[i].fd);
            continue;
        }
        unsigned events = 0;
        for (int j = 0; j < count; j++)
            if (!items[j].socket && items[j].fd == items[i].fd)
                events |= (items[j].events & ZW_POLLIN ? ZW_IO_READ : 0u)
                        | (items[j].events & ZW_POLLOUT ? ZW_IO_WRITE : 0u);
        /* A bad fd cannot be watched: fd_revents reports it ready at once. */
        zw_loop_watch (loop, items[i].fd, events, fd_ready, NULL);
    }
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

/* Only plain fds: plain poll does it. */
static int
poll_fds (zw_pollitem *items, int count, int timeout_ms)
{
    int ready = ready_items (items, count);
    if (ready || timeout_ms == 0)
        return ready;
    struct pollfd fds[count > 0 ? count : 1];
    for (int i = 0; i < count; i++)
        fds[i] = (struct pollfd) { .fd = items[i].fd,
                                   .events = (short) ((items[i].events & ZW_POLLIN ? POLLIN : 0)
                                             | (items[i].events & ZW_POLLOUT ? POLLOUT : 0)) };
    if (poll (fds, (nfds_t) count, timeout_ms) < 0)
        return errno == EINTR ? 0 : -1;
    return ready_items (items, count);
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
    polling p = { items, count, 0 };
    watch_fds (ctx->loop, items, count, 1);
    int rc = zw_ctx_wait (ctx, try_poll, &p, timeout_ms);
    watch_fds (ctx->loop, items, count, 0);
    return rc < 0 && errno != EAGAIN ? -1 : p.ready;
}
