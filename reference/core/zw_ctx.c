/*  zw_ctx.c — contexts: the one loop their sockets share, the log, and
    zw_poll over sockets and plain fds (zwire.h).  */

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "zw_socket_internal.h"
#include "zw_fault.h"

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

int
zw_ctx_run (zw_ctx *ctx, int timeout_ms)
{
    uint64_t deadline = zw_loop_now () + (uint64_t) (timeout_ms > 0 ? timeout_ms : 0);
    for (;;) {
        uint64_t now = zw_loop_now ();
        if (timeout_ms >= 0 && now >= deadline)
            return 0;
        int wait = timeout_ms < 0 ? -1 : (int) (deadline - now);
        if (zw_loop_run_once (ctx->loop, wait) < 0)
            return -1;
    }
}

/* --- poll ------------------------------------------------------------------------ */

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
        else {
            struct pollfd p = { .fd = item->fd, .events = 0 };
            if (item->events & ZW_POLLIN)  p.events |= POLLIN;
            if (item->events & ZW_POLLOUT) p.events |= POLLOUT;
            if (poll (&p, 1, 0) == 1) {
                if (p.revents & (POLLIN | POLLHUP | POLLERR)) item->revents |= ZW_POLLIN;
                if (p.revents & POLLOUT)                      item->revents |= ZW_POLLOUT;
                item->revents &= item->events;
            }
        }
        ready += item->revents != 0;
    }
    return ready;
}

static void
fd_ready (zw_loop *loop, int fd, unsigned events, void *arg)
{
    (void) loop;
    (void) fd;
    (void) events;
    *(int *) arg = 1;
}

/* The loop of the first socket item; NULL if there is none. */
static zw_ctx *
items_ctx (const zw_pollitem *items, int count)
{
    for (int i = 0; i < count; i++)
        if (items[i].socket)
            return items[i].socket->ctx;
    return NULL;
}

/* Plain fds join the loop for one turn, so that their readiness wakes it. */
static void
watch_fds (zw_loop *loop, zw_pollitem *items, int count, int *woken, int watch)
{
    for (int i = 0; i < count; i++) {
        if (items[i].socket)
            continue;
        if (!watch)
            zw_loop_unwatch (loop, items[i].fd);
        else
            zw_loop_watch (loop, items[i].fd,
                           (items[i].events & ZW_POLLIN ? ZW_IO_READ : 0)
                           | (items[i].events & ZW_POLLOUT ? ZW_IO_WRITE : 0), fd_ready, woken);
    }
}

int
zw_poll (zw_pollitem *items, int count, int timeout_ms)
{
    zw_ctx *ctx = items_ctx (items, count);
    if (!ctx) {                     /* only fds: plain poll does it */
        int ready = ready_items (items, count);
        if (ready || timeout_ms == 0)
            return ready;
        struct pollfd fds[count];
        for (int i = 0; i < count; i++)
            fds[i] = (struct pollfd) { .fd = items[i].fd,
                                       .events = (short) ((items[i].events & ZW_POLLIN ? POLLIN : 0)
                                                 | (items[i].events & ZW_POLLOUT ? POLLOUT : 0)) };
        if (poll (fds, (nfds_t) count, timeout_ms) < 0)
            return errno == EINTR ? 0 : -1;
        return ready_items (items, count);
    }
    uint64_t deadline = zw_loop_now () + (uint64_t) (timeout_ms > 0 ? timeout_ms : 0);
    for (;;) {
        int ready = ready_items (items, count);
        uint64_t now = zw_loop_now ();
        if (ready || timeout_ms == 0 || (timeout_ms > 0 && now >= deadline))
            return ready;
        int woken = 0;
        watch_fds (ctx->loop, items, count, &woken, 1);
        int rc = zw_loop_run_once (ctx->loop, timeout_ms < 0 ? -1 : (int) (deadline - now));
        watch_fds (ctx->loop, items, count, &woken, 0);
        if (rc < 0)
            return -1;
    }
}
