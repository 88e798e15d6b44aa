/*  test_loop.c — unit tests of the event loop (zw_loop.h): timers fire in
    deadline order (ties in arming order), a stopped timer never fires, a
    timer re-armed from its own callback waits for the next turn, events
    fetched for an fd that a callback unwatched or re-watched in the same
    turn are dropped, errors and hang-ups arrive as ZW_IO_ERROR, a turn
    with nothing to do returns 0 after its timeout, and deferred calls run
    once each, in order, before the turn waits (one queued meanwhile
    waits for the next turn; a cancelled one never runs).  Uses pipes and socket
    pairs only.  Prints "N passed, N failed".  */

/* pipe2: a Linux call; the build may define this already. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "zw_loop.h"
#include "test_watchdog.h"

#include "test_check.h"

/* ---- timers ---- */

/* Records the order timers fire in: each timer's arg is its label. */
struct firing_log {
    char order[16];
    size_t count;
};

static struct firing_log firing;

static void
log_firing (zw_loop *loop, void *arg)
{
    (void) loop;
    if (firing.count < sizeof firing.order - 1)
        firing.order[firing.count++] = *(const char *) arg;
}

/* Runs turns until no timer is left or limit_ms has passed. */
static void
run_until_idle (zw_loop *loop, zw_timer *timers, size_t n, int limit_ms)
{
    uint64_t give_up = zw_loop_now () + (uint64_t) limit_ms;
    for (;;) {
        size_t active = 0;
        for (size_t i = 0; i < n; i++)
            active += (size_t) zw_timer_active (&timers[i]);
        if (active == 0 || zw_loop_now () > give_up)
            return;
        zw_loop_run_once (loop, 10);
    }
}

static void
test_timers_fire_in_deadline_order (void)
{
    zw_loop *loop = zw_loop_new ();
    static const char labels[] = "cabde";
    static const uint64_t delays[] = { 30, 10, 20, 40, 40 };     /* d and e tie */
    zw_timer timers[5];
    memset (&firing, 0, sizeof firing);
    for (size_t i = 0; i < 5; i++) {
        zw_timer_init (&timers[i], log_firing, (void *) &labels[i]);
        CHECK (!zw_timer_active (&timers[i]));
        zw_loop_timer_start (loop, &timers[i], delays[i]);
        CHECK (zw_timer_active (&timers[i]));
    }
    run_until_idle (loop, timers, 5, 1000);
    CHECK (firing.count == 5 && memcmp (firing.order, "abcde", 5) == 0);
    zw_loop_destroy (loop);
}

static void
test_timer_restart_moves_it (void)
{
    zw_loop *loop = zw_loop_new ();
    static const char labels[] = "ab";
    zw_timer timers[2];
    memset (&firing, 0, sizeof firing);
    zw_timer_init (&timers[0], log_firing, (void *) &labels[0]);
    zw_timer_init (&timers[1], log_firing, (void *) &labels[1]);
    zw_loop_timer_start (loop, &timers[0], 10);
    zw_loop_timer_start (loop, &timers[1], 20);
    zw_loop_timer_start (loop, &timers[0], 40);     /* re-armed: now the later one */
    run_until_idle (loop, timers, 2, 1000);
    CHECK (firing.count == 2 && memcmp (firing.order, "ba", 2) == 0);
    zw_loop_destroy (loop);
}

static void
test_timer_stop (void)
{
    zw_loop *loop = zw_loop_new ();
    static const char labels[] = "abc";
    zw_timer timers[3];
    memset (&firing, 0, sizeof firing);
    for (size_t i = 0; i < 3; i++) {
        zw_timer_init (&timers[i], log_firing, (void *) &labels[i]);
        zw_loop_timer_start (loop, &timers[i], 5 + 5 * i);
    }
    zw_loop_timer_stop (loop, &timers[1]);
    CHECK (!zw_timer_active (&timers[1]));
    zw_loop_timer_stop (loop, &timers[1]);          /* idle: a no-op */
    CHECK (!zw_timer_active (&timers[1]));
    run_until_idle (loop, timers, 3, 1000);
    CHECK (firing.count == 2 && memcmp (firing.order, "ac", 2) == 0);
    /* Nothing armed any more: a turn makes no call. */
    CHECK (zw_loop_run_once (loop, 0) == 0);
    zw_loop_destroy (loop);
}

/* Two timers due in the same turn; the first stops the second. */
struct stopper {
    zw_timer first, second;
    int first_calls, second_calls;
};

static void
first_stops_second (zw_loop *loop, void *arg)
{
    struct stopper *s = arg;
    s->first_calls++;
    zw_loop_timer_stop (loop, &s->second);
}

static void
count_second (zw_loop *loop, void *arg)
{
    (void) loop;
    ((struct stopper *) arg)->second_calls++;
}

static void
test_timer_stopped_by_earlier_callback (void)
{
    zw_loop *loop = zw_loop_new ();
    struct stopper s = { .first_calls = 0 };
    zw_timer_init (&s.first, first_stops_second, &s);
    zw_timer_init (&s.second, count_second, &s);
    zw_loop_timer_start (loop, &s.first, 0);
    zw_loop_timer_start (loop, &s.second, 0);       /* same deadline, armed after */
    CHECK (zw_loop_run_once (loop, 0) == 1);
    CHECK (s.first_calls == 1 && s.second_calls == 0);
    CHECK (!zw_timer_active (&s.second));
    zw_loop_destroy (loop);
}

struct repeater {
    zw_timer timer;
    int calls;
    int times;
};

static void
rearm_now (zw_loop *loop, void *arg)
{
    struct repeater *r = arg;
    CHECK (!zw_timer_active (&r->timer));           /* idle while it runs */
    if (++r->calls < r->times)
        zw_loop_timer_start (loop, &r->timer, 0);
}

static void
test_timer_restarted_from_callback (void)
{
    zw_loop *loop = zw_loop_new ();
    struct repeater r = { .times = 3 };
    zw_timer_init (&r.timer, rearm_now, &r);
    zw_loop_timer_start (loop, &r.timer, 0);
    /* Re-armed with delay 0 from its callback: once per turn, never twice. */
    CHECK (zw_loop_run_once (loop, 0) == 1 && r.calls == 1);
    CHECK (zw_timer_active (&r.timer));
    CHECK (zw_loop_run_once (loop, 0) == 1 && r.calls == 2);
    CHECK (zw_loop_run_once (loop, 0) == 1 && r.calls == 3);
    CHECK (!zw_timer_active (&r.timer));
    CHECK (zw_loop_run_once (loop, 0) == 0 && r.calls == 3);
    zw_loop_destroy (loop);
}

static void
test_timer_bounds_the_wait (void)
{
    zw_loop *loop = zw_loop_new ();
    static const char label = 'a';
    zw_timer timer;
    memset (&firing, 0, sizeof firing);
    zw_timer_init (&timer, log_firing, (void *) &label);
    zw_loop_timer_start (loop, &timer, 20);
    uint64_t start = zw_loop_now ();
    /* No limit from the caller: the timer's deadline ends the wait. */
    int calls = zw_loop_run_once (loop, -1);
    uint64_t took = zw_loop_now () - start;
    CHECK (calls == 1 && firing.count == 1);
    CHECK (took >= 19);             /* never early; no upper bound: tests assert no speed */
    zw_loop_destroy (loop);
}

static void
test_timeout_returns_zero (void)
{
    zw_loop *loop = zw_loop_new ();
    uint64_t start = zw_loop_now ();
    CHECK (zw_loop_run_once (loop, 30) == 0);
    uint64_t took = zw_loop_now () - start;
    /* Whole milliseconds of a clock read twice: allow one of rounding. */
    CHECK (took >= 29);
    /* A timer later than the timeout does not stretch it. */
    zw_timer timer;
    zw_timer_init (&timer, log_firing, (void *) "x");
    zw_loop_timer_start (loop, &timer, 10000);
    start = zw_loop_now ();
    CHECK (zw_loop_run_once (loop, 20) == 0);
    took = zw_loop_now () - start;
    CHECK (took >= 19);             /* never early; no upper bound: tests assert no speed */
    CHECK (zw_timer_active (&timer));
    zw_loop_destroy (loop);
    CHECK (!zw_timer_active (&timer));              /* destroy leaves timers idle */
}

/* ---- watchers ---- */

struct pipe_pair {
    int r, w;
};

static int
make_pipe (struct pipe_pair *p)
{
    int fds[2];
    if (pipe2 (fds, O_CLOEXEC | O_NONBLOCK) < 0)
        return -1;
    p->r = fds[0];
    p->w = fds[1];
    return 0;
}

static void
close_pipe (struct pipe_pair *p)
{
    if (p->r >= 0)
        close (p->r);
    if (p->w >= 0)
        close (p->w);
    p->r = p->w = -1;
}

struct io_log {
    int calls;
    int fd;
    unsigned events;
};

static void
log_io (zw_loop *loop, int fd, unsigned events, void *arg)
{
    struct io_log *log = arg;
    (void) loop;
    log->calls++;
    log->fd = fd;
    log->events = events;
}

static void
test_watch_read_and_write (void)
{
    zw_loop *loop = zw_loop_new ();
    struct pipe_pair p;
    struct io_log log = { 0 };
    CHECK (make_pipe (&p) == 0);
    CHECK (zw_loop_watch (loop, p.r, ZW_IO_READ, log_io, &log) == 0);
    CHECK (zw_loop_run_once (loop, 0) == 0 && log.calls == 0);
    CHECK (write (p.w, "x", 1) == 1);
    CHECK (zw_loop_run_once (loop, 0) == 1);
    CHECK (log.calls == 1 && log.fd == p.r && log.events == ZW_IO_READ);
    /* Level triggered: still readable, reported again. */
    CHECK (zw_loop_run_once (loop, 0) == 1 && log.calls == 2);
    /* Watching again changes the events: the write end is always writable. */
    CHECK (zw_loop_watch (loop, p.w, ZW_IO_WRITE, log_io, &log) == 0);
    CHECK (zw_loop_watch (loop, p.r, 0, log_io, &log) == 0);
    CHECK (zw_loop_run_once (loop, 0) == 1);
    CHECK (log.calls == 3 && log.fd == p.w && log.events == ZW_IO_WRITE);
    zw_loop_unwatch (loop, p.w);
    zw_loop_unwatch (loop, p.w);                    /* not watched: a no-op */
    zw_loop_unwatch (loop, 12345);                  /* never watched: a no-op */
    CHECK (zw_loop_run_once (loop, 0) == 0);
    zw_loop_unwatch (loop, p.r);
    close_pipe (&p);
    zw_loop_destroy (loop);
}

static void
test_watch_refuses (void)
{
    zw_loop *loop = zw_loop_new ();
    struct io_log log = { 0 };
    errno = 0;
    CHECK (zw_loop_watch (loop, -1, ZW_IO_READ, log_io, &log) == -1 && errno == EBADF);
    /* epoll cannot watch a regular file. */
    FILE *f = tmpfile ();
    CHECK (f != NULL);
    if (f) {
        errno = 0;
        CHECK (zw_loop_watch (loop, fileno (f), ZW_IO_READ, log_io, &log) == -1 && errno == EPERM);
        fclose (f);
    }
    zw_loop_destroy (loop);
}

static void
test_error_and_hangup (void)
{
    zw_loop *loop = zw_loop_new ();
    struct pipe_pair p;
    struct io_log log = { 0 };
    /* Write end of a pipe whose reader is gone: EPOLLERR. */
    CHECK (make_pipe (&p) == 0);
    close (p.r);
    p.r = -1;
    CHECK (zw_loop_watch (loop, p.w, 0, log_io, &log) == 0);
    CHECK (zw_loop_run_once (loop, 0) == 1 && (log.events & ZW_IO_ERROR));
    zw_loop_unwatch (loop, p.w);
    close_pipe (&p);
    /* A socket whose peer closed: readable (end of stream) and hung up. */
    int sv[2];
    CHECK (socketpair (AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) == 0);
    close (sv[1]);
    log = (struct io_log) { 0 };
    CHECK (zw_loop_watch (loop, sv[0], ZW_IO_READ, log_io, &log) == 0);
    CHECK (zw_loop_run_once (loop, 0) == 1);
    CHECK (log.events == (ZW_IO_READ | ZW_IO_ERROR));
    zw_loop_unwatch (loop, sv[0]);
    close (sv[0]);
    zw_loop_destroy (loop);
}

/*  Two readable pipes.  Whichever callback runs first acts on the other
    pipe (the partner) before its already fetched event is dispatched.  */
enum partner_action { UNWATCH, REWATCH, CLOSE_AND_REUSE, NARROW };

struct partners {
    struct pipe_pair pipes[2];
    enum partner_action action;
    int calls;
    struct io_log later;        /* the partner's callback after a re-watch */
    struct pipe_pair reused;    /* CLOSE_AND_REUSE: the pipe that got the fd */
};

static void
act_on_partner (zw_loop *loop, int fd, unsigned events, void *arg)
{
    struct partners *s = arg;
    (void) events;
    if (++s->calls > 1)
        return;                 /* act in the first turn only */
    struct pipe_pair *partner = fd == s->pipes[0].r ? &s->pipes[1] : &s->pipes[0];
    int partner_fd = partner->r;
    switch (s->action) {
    case UNWATCH:
        zw_loop_unwatch (loop, partner_fd);
        break;
    case REWATCH:
        zw_loop_unwatch (loop, partner_fd);
        CHECK (zw_loop_watch (loop, partner_fd, ZW_IO_READ, log_io, &s->later) == 0);
        break;
    case CLOSE_AND_REUSE:
        zw_loop_unwatch (loop, partner_fd);
        close_pipe (partner);
        /* The lowest free fd number is the one just closed. */
        CHECK (make_pipe (&s->reused) == 0 && s->reused.r == partner_fd);
        CHECK (write (s->reused.w, "y", 1) == 1);
        CHECK (zw_loop_watch (loop, s->reused.r, ZW_IO_READ, log_io, &s->later) == 0);
        break;
    case NARROW:
        CHECK (zw_loop_watch (loop, partner_fd, ZW_IO_WRITE, act_on_partner, s) == 0);
        break;
    }
}

static void
run_partners (enum partner_action action)
{
    zw_loop *loop = zw_loop_new ();
    struct partners s = { .action = action, .reused = { -1, -1 } };
    for (int i = 0; i < 2; i++) {
        CHECK (make_pipe (&s.pipes[i]) == 0);
        CHECK (write (s.pipes[i].w, "x", 1) == 1);
        CHECK (zw_loop_watch (loop, s.pipes[i].r, ZW_IO_READ, act_on_partner, &s) == 0);
    }
    /* Both events are fetched by one epoll_wait; only the first is delivered. */
    CHECK (zw_loop_run_once (loop, 0) == 1);
    CHECK (s.calls == 1 && s.later.calls == 0);
    if (action == REWATCH || action == CLOSE_AND_REUSE) {
        /* The new watch gets its events from the next turn on. */
        int calls = zw_loop_run_once (loop, 0);
        CHECK (calls >= 1 && s.later.calls == 1);
    }
    for (int i = 0; i < 2; i++) {
        zw_loop_unwatch (loop, s.pipes[i].r);
        close_pipe (&s.pipes[i]);
    }
    if (s.reused.r >= 0)
        zw_loop_unwatch (loop, s.reused.r);
    close_pipe (&s.reused);
    zw_loop_destroy (loop);
}

static void
test_stale_events_skipped (void)
{
    run_partners (UNWATCH);
    run_partners (REWATCH);
    run_partners (CLOSE_AND_REUSE);
    run_partners (NARROW);
}

/* A callback that unwatches and closes its own fd. */
static void
close_self (zw_loop *loop, int fd, unsigned events, void *arg)
{
    (void) events;
    (*(int *) arg)++;
    zw_loop_unwatch (loop, fd);
    close (fd);
}

static void
test_unwatch_self (void)
{
    zw_loop *loop = zw_loop_new ();
    struct pipe_pair p;
    int calls = 0;
    CHECK (make_pipe (&p) == 0);
    CHECK (write (p.w, "x", 1) == 1);
    CHECK (zw_loop_watch (loop, p.r, ZW_IO_READ, close_self, &calls) == 0);
    CHECK (zw_loop_run_once (loop, 0) == 1 && calls == 1);
    CHECK (zw_loop_run_once (loop, 0) == 0 && calls == 1);
    close (p.w);
    zw_loop_destroy (loop);
}

/* Many fds and timers: the fd table and the heap grow past their first size. */
static void
drain (zw_loop *loop, int fd, unsigned events, void *arg)
{
    char c;
    (void) events;
    if (read (fd, &c, 1) == 1)
        (*(int *) arg)++;
    zw_loop_unwatch (loop, fd);
}

static void
count_timer (zw_loop *loop, void *arg)
{
    (void) loop;
    (*(int *) arg)++;
}

static void
test_growth (void)
{
    enum { N = 200 };
    zw_loop *loop = zw_loop_new ();
    static struct pipe_pair pipes[N];
    static zw_timer timers[N];
    int drained = 0, fired = 0, opened = 0;
    for (int i = 0; i < N && make_pipe (&pipes[i]) == 0; i++)
        opened++;
    CHECK (opened > 100);
    for (int i = 0; i < opened; i++) {
        CHECK (zw_loop_watch (loop, pipes[i].r, ZW_IO_READ, drain, &drained) == 0);
        CHECK (write (pipes[i].w, "x", 1) == 1);
    }
    for (int i = 0; i < N; i++) {
        zw_timer_init (&timers[i], count_timer, &fired);
        zw_loop_timer_start (loop, &timers[i], (uint64_t) (N - i) % 7);
    }
    for (int i = 0; i < N; i += 2)
        zw_loop_timer_stop (loop, &timers[i]);
    int calls = 0;
    uint64_t give_up = zw_loop_now () + 1000;
    while ((drained < opened || fired < N / 2) && zw_loop_now () < give_up)
        calls += zw_loop_run_once (loop, 10);
    CHECK (drained == opened && fired == N / 2);
    CHECK (calls == drained + fired);
    for (int i = 0; i < opened; i++)
        close_pipe (&pipes[i]);
    zw_loop_destroy (loop);
}

/* ---- deferred calls ---- */

struct deferred_case {
    zw_loop *loop;
    zw_deferred a, b, c;
    char order[16];
    size_t count;
    int requeue;                /* a queues itself again this many times */
};

static void
deferred_ran (void *arg, char label)
{
    struct deferred_case *t = arg;
    if (t->count + 1 < sizeof t->order)
        t->order[t->count++] = label;
}

static void
run_a (void *arg)
{
    struct deferred_case *t = arg;
    deferred_ran (t, 'a');
    zw_loop_cancel (t->loop, &t->c);            /* still queued behind a: never runs */
    if (t->requeue-- > 0)
        zw_loop_defer (t->loop, &t->a);
}

static void
run_b (void *arg)
{
    deferred_ran (arg, 'b');
}

static void
run_c (void *arg)
{
    deferred_ran (arg, 'c');
}

static void
test_deferred_calls (void)
{
    struct deferred_case t = { .loop = zw_loop_new (), .requeue = 1 };
    zw_deferred_init (&t.a, run_a, &t);
    zw_deferred_init (&t.b, run_b, &t);
    zw_deferred_init (&t.c, run_c, &t);
    zw_loop_defer (t.loop, &t.a);
    zw_loop_defer (t.loop, &t.b);
    zw_loop_defer (t.loop, &t.a);               /* already queued: no second run */
    zw_loop_defer (t.loop, &t.c);
    CHECK (zw_loop_run_once (t.loop, 0) == 2);  /* deferred calls count as callbacks */
    CHECK (strcmp (t.order, "ab") == 0);
    zw_loop_run_once (t.loop, 0);               /* a queued itself again: this turn */
    CHECK (strcmp (t.order, "aba") == 0);
    zw_loop_run_once (t.loop, 0);
    CHECK (strcmp (t.order, "aba") == 0);
    zw_loop_defer (t.loop, &t.b);
    zw_loop_cancel (t.loop, &t.b);
    zw_loop_run_once (t.loop, 0);
    CHECK (strcmp (t.order, "aba") == 0 && !t.b.queued);
    zw_loop_destroy (t.loop);
}

/*  A deferred call read and drained the pipe: another queued by an I/O
    callback, for the next turn.  */
static void
read_then_defer (zw_loop *loop, int fd, unsigned events, void *arg)
{
    struct deferred_case *t = arg;
    char c;
    (void) events;
    if (read (fd, &c, 1) == 1)
        deferred_ran (t, 'r');
    zw_loop_unwatch (loop, fd);
    zw_loop_defer (loop, &t->b);
}

/*  The loop never sleeps in a turn that has already made a callback, nor
    while a deferred call is queued: what the caller of a blocking call
    waits for may have come true in that callback, and nothing would wake
    the sleep (the lost wake-up of a zw_send at its high-water mark, whose
    queue a deferred write drained).  Each wait below is unbounded: on a
    loop that sleeps, the watchdog fails the test.  */
static void
test_no_sleep_after_a_callback (void)
{
    struct deferred_case t = { .loop = zw_loop_new (), .requeue = 1 };
    zw_deferred_init (&t.a, run_a, &t);
    zw_deferred_init (&t.b, run_b, &t);
    zw_deferred_init (&t.c, run_c, &t);
    watchdog_arm ("test_no_sleep_after_a_callback", 10);

    zw_loop_defer (t.loop, &t.b);                       /* queued by the caller */
    CHECK (zw_loop_run_once (t.loop, -1) == 1 && strcmp (t.order, "b") == 0);

    zw_loop_defer (t.loop, &t.a);                       /* a queues itself again */
    CHECK (zw_loop_run_once (t.loop, -1) == 1 && strcmp (t.order, "ba") == 0);
    CHECK (zw_loop_run_once (t.loop, -1) == 1 && strcmp (t.order, "baa") == 0);

    struct pipe_pair p;                                 /* queued by an I/O callback */
    CHECK (make_pipe (&p) == 0);
    CHECK (write (p.w, "x", 1) == 1);
    CHECK (zw_loop_watch (t.loop, p.r, ZW_IO_READ, read_then_defer, &t) == 0);
    CHECK (zw_loop_run_once (t.loop, -1) == 1 && strcmp (t.order, "baar") == 0);
    CHECK (zw_loop_run_once (t.loop, -1) == 1 && strcmp (t.order, "baarb") == 0);

    watchdog_disarm ();
    close_pipe (&p);
    zw_loop_destroy (t.loop);
}

int
main (void)
{
    test_timers_fire_in_deadline_order ();
    test_timer_restart_moves_it ();
    test_timer_stop ();
    test_timer_stopped_by_earlier_callback ();
    test_timer_restarted_from_callback ();
    test_timer_bounds_the_wait ();
    test_timeout_returns_zero ();
    test_watch_read_and_write ();
    test_watch_refuses ();
    test_error_and_hangup ();
    test_stale_events_skipped ();
    test_unwatch_self ();
    test_growth ();
    test_deferred_calls ();
    test_no_sleep_after_a_callback ();
    printf ("test-loop: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
