/*  zw_loop.h — the reference peer's one event loop: epoll, fd watchers,
    millisecond timers and deferred calls, all on the calling thread (no
    hidden threads).

    Every socket of a zw_ctx (see zwire.h) shares one loop; the public API
    runs it from inside blocking calls (zw_recv, zw_send, zw_flush,
    zw_poll, the linger of zw_close, zw_ctx_run), so all connections keep
    being served, heartbeats answered and reconnects made, whichever
    socket the application is waiting on.

    Turns, and when the loop sleeps (the contract every blocking call
    relies on).  A turn, zw_loop_run_once, is: run the deferred calls
    queued before it; wait; dispatch the fd events that are ready; fire
    the timers that are due.  Any callback of a turn (deferred, I/O,
    timer) may change anything: queues fill and drain, connections attach,
    detach and are freed, sockets' states move.  So:
    - The wait sleeps (up to the caller's timeout, or the next timer) only
      when the turn has made no callback yet and no deferred call is
      queued.  Otherwise it only polls, and the turn returns.
    - Hence a caller that checked its condition just before the turn and
      finds it still false after it knows that either some callback ran
      (check again, and turn again) or nothing at all happened until an
      fd became ready, a timer fell due, or the timeout passed.  Between
      the caller's own tries, nothing changes state but a callback; and
      every callback, like every try, leaves work it has not finished
      with a watch, a timer or a deferred call that will continue it
      (zw_conn.c, "Progress"): so no wait sleeps through its own progress
      (a lost wake-up).
    - A blocking call therefore loops: try; if not done, one turn; try
      again (zw_ctx_wait does it for all of them, and calls the
      application's readiness callbacks before each turn, which then does
      not sleep if it called one: zw_callbacks.c).  It may assume nothing
      about the state after a turn but what it checks again.

    Invariants:
    - A watcher is keyed by its fd; watching an fd again changes its events
      and callback.  Unwatching (or closing after unwatching) during a
      dispatch is safe: an event already fetched for an fd that was
      unwatched, or unwatched and watched again, in the same turn is not
      delivered (each watch has a generation number).
    - Timers are intrusive (the caller owns the zw_timer, the loop only
      points at it): stop a timer before freeing the memory it lives in.
      A timer fires once per start; its callback may start it again.
    - Deferred calls (zw_loop_defer) are intrusive like timers: one runs
      once, at the start of the loop's next turn, before it waits; cancel
      it before freeing the memory it lives in.  They let work that many
      calls would each repeat (a write to a socket, say) be done once for
      all of them.
    - Callbacks may watch, unwatch, start and stop anything, including
      their own fd or timer.  */

#ifndef ZW_LOOP_H
#define ZW_LOOP_H

#include <stddef.h>
#include <stdint.h>

typedef struct zw_loop zw_loop;

/* Event bits for watchers (a callback may get several at once). */
#define ZW_IO_READ  0x1u
#define ZW_IO_WRITE 0x2u
#define ZW_IO_ERROR 0x4u        /* EPOLLERR or EPOLLHUP: read to learn more */

typedef void (zw_io_fn) (zw_loop *loop, int fd, unsigned events, void *arg);
typedef void (zw_timer_fn) (zw_loop *loop, void *arg);

typedef struct zw_timer {
    uint64_t deadline;          /* zw_loop_now() value at which it fires */
    size_t heap_index;          /* position in the loop's heap; SIZE_MAX when idle */
    zw_timer_fn *fn;
    void *arg;
} zw_timer;

typedef void (zw_deferred_fn) (void *arg);

typedef struct zw_deferred {
    struct zw_deferred *prev, *next;    /* the loop's list while queued */
    int queued;
    uint64_t turn;                      /* the loop's turn when it was queued */
    zw_deferred_fn *fn;
    void *arg;
} zw_deferred;

/* A new loop, or NULL (errno set) if epoll or memory is not available. */
zw_loop *zw_loop_new (void);

/* Frees the loop.  Watched fds are not closed; timers are left idle. */
void zw_loop_destroy (zw_loop *loop);

/*  Watches fd for events (ZW_IO_READ | ZW_IO_WRITE; errors are always
    reported), or changes the events and callback of a watched fd.  Level
    triggered.  Returns 0, or -1 with errno.  */
int zw_loop_watch (zw_loop *loop, int fd, unsigned events, zw_io_fn *fn, void *arg);

/* Stops watching fd (no-op if it is not watched).  Call before close(fd). */
void zw_loop_unwatch (zw_loop *loop, int fd);

/* 1 if fd is watched. */
int zw_loop_watched (const zw_loop *loop, int fd);

/* Prepares a timer (idle).  Must be called once before any start. */
void zw_timer_init (zw_timer *timer, zw_timer_fn *fn, void *arg);

/* Arms (or re-arms) a timer to fire delay_ms from now. */
void zw_loop_timer_start (zw_loop *loop, zw_timer *timer, uint64_t delay_ms);

/* Disarms a timer; no-op if it is idle. */
void zw_loop_timer_stop (zw_loop *loop, zw_timer *timer);

/* 1 if the timer is armed. */
int zw_timer_active (const zw_timer *timer);

/* Prepares a deferred call (not queued).  Must be called once before any defer. */
void zw_deferred_init (zw_deferred *deferred, zw_deferred_fn *fn, void *arg);

/*  Queues a deferred call to run at the start of the next turn, before the
    loop waits; no-op if it is already queued.  One made while the deferred
    calls run waits for the turn after (so a turn always ends).  */
void zw_loop_defer (zw_loop *loop, zw_deferred *deferred);

/* Takes a deferred call off the queue; no-op if it is not queued. */
void zw_loop_cancel (zw_loop *loop, zw_deferred *deferred);

/* Milliseconds of CLOCK_MONOTONIC. */
uint64_t zw_loop_now (void);

/*  One turn: runs the deferred calls, then waits at most timeout_ms (-1:
    no limit; 0: do not wait) for fd events or the next timer, but only
    if no deferred call ran and none is queued (else it does not wait at
    all), then dispatches every ready event and every expired timer once.
    Returns the number of callbacks made, deferred calls included (0 when
    the turn slept to its timeout and nothing happened), or -1 with errno
    (EINTR is not an error: the callbacks made so far are returned).  */
int zw_loop_run_once (zw_loop *loop, int timeout_ms);

#endif
