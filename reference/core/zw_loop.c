/*  zw_loop.c — the event loop of zw_loop.h: one level-triggered epoll set,
    a table of watchers indexed by fd, and a binary min-heap of the armed
    timers.  Each watch gets a generation number, carried in the epoll
    event next to the fd, so that an event fetched before a callback
    unwatched (or unwatched and watched again) its fd is recognised as
    stale and dropped.  Timers fire in deadline order, ties in the order
    they were armed; a timer armed while timers are firing waits for the
    next turn, even with delay 0, so one turn always ends.  */

#include "zw_loop.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

/* Events fetched per epoll_wait; level triggering brings the rest next turn. */
#define EVENTS_PER_TURN 64

/* Room for this many armed timers is made up front (see grow_heap). */
#define INITIAL_HEAP_CAP 64

struct watch {
    zw_io_fn *fn;
    void *arg;
    unsigned events;            /* ZW_IO_READ | ZW_IO_WRITE asked for */
    uint32_t generation;        /* 0: not watched */
};

/*  A heap slot.  seq numbers the arming, so that equal deadlines fire in
    arming order and the firing loop can tell which timers were armed
    before it began.  */
struct slot {
    zw_timer *timer;
    uint64_t seq;
};

struct zw_loop {
    int epoll_fd;
    struct watch *watches;      /* indexed by fd */
    size_t watch_cap;
    uint32_t last_generation;
    struct slot *heap;
    size_t heap_len;
    size_t heap_cap;
    uint64_t next_seq;
    zw_deferred *deferred_head, *deferred_tail;
    uint64_t turn;              /* counts runs of the deferred calls */
};

uint64_t
zw_loop_now (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000u + (uint64_t) ts.tv_nsec / 1000000u;
}

zw_loop *
zw_loop_new (void)
{
    zw_loop *loop = calloc (1, sizeof *loop);
    if (!loop)
        return NULL;
    loop->heap = malloc (INITIAL_HEAP_CAP * sizeof *loop->heap);
    loop->heap_cap = INITIAL_HEAP_CAP;
    loop->epoll_fd = epoll_create1 (EPOLL_CLOEXEC);
    if (!loop->heap || loop->epoll_fd < 0) {
        int saved = loop->heap ? errno : ENOMEM;
        if (loop->epoll_fd >= 0)
            close (loop->epoll_fd);
        free (loop->heap);
        free (loop);
        errno = saved;
        return NULL;
    }
    return loop;
}

void
zw_loop_destroy (zw_loop *loop)
{
    if (!loop)
        return;
    for (size_t i = 0; i < loop->heap_len; i++)
        loop->heap[i].timer->heap_index = SIZE_MAX;
    close (loop->epoll_fd);
    free (loop->watches);
    free (loop->heap);
    free (loop);
}

/* ---- watchers ---- */

static int
grow_watches (zw_loop *loop, int fd)
{
    size_t need = (size_t) fd + 1;
    if (need <= loop->watch_cap)
        return 0;
    size_t cap = loop->watch_cap ? loop->watch_cap : 64;
    while (cap < need)
        cap *= 2;
    struct watch *watches = realloc (loop->watches, cap * sizeof *watches);
    if (!watches)
        return -1;
    for (size_t i = loop->watch_cap; i < cap; i++)
        watches[i] = (struct watch) { 0 };
    loop->watches = watches;
    loop->watch_cap = cap;
    return 0;
}

/* A generation never used by a live watch; 0 is kept for "not watched". */
static uint32_t
new_generation (zw_loop *loop)
{
    if (++loop->last_generation == 0)
        loop->last_generation = 1;
    return loop->last_generation;
}

static uint32_t
epoll_bits (unsigned events)
{
    return (events & ZW_IO_READ ? EPOLLIN : 0u) | (events & ZW_IO_WRITE ? EPOLLOUT : 0u);
}

static unsigned
zw_bits (uint32_t epoll_events)
{
    return (epoll_events & EPOLLIN ? ZW_IO_READ : 0u)
         | (epoll_events & EPOLLOUT ? ZW_IO_WRITE : 0u)
         | (epoll_events & (EPOLLERR | EPOLLHUP) ? ZW_IO_ERROR : 0u);
}

/*  Registers fd with epoll.  The table may say "watched" for an fd that
    was closed without an unwatch (epoll then forgot it, and the number may
    now name another file): MOD fails with ENOENT and the fd is added
    afresh, under a new generation.  */
static int
register_fd (zw_loop *loop, int fd, struct watch *w, unsigned events)
{
    struct epoll_event ev = { .events = epoll_bits (events) };
    if (w->generation) {
        ev.data.u64 = (uint64_t) w->generation << 32 | (uint32_t) fd;
        if (epoll_ctl (loop->epoll_fd, EPOLL_CTL_MOD, fd, &ev) == 0)
            return 0;
        if (errno != ENOENT)
            return -1;
    }
    uint32_t generation = new_generation (loop);
    ev.data.u64 = (uint64_t) generation << 32 | (uint32_t) fd;
    if (epoll_ctl (loop->epoll_fd, EPOLL_CTL_ADD, fd, &ev) < 0)
        return -1;
    w->generation = generation;
    return 0;
}

int
zw_loop_watch (zw_loop *loop, int fd, unsigned events, zw_io_fn *fn, void *arg)
{
    if (fd < 0) {
        errno = EBADF;
        return -1;
    }
    if (!fn || (events & ~(ZW_IO_READ | ZW_IO_WRITE | ZW_IO_ERROR))) {
        errno = EINVAL;
        return -1;
    }
    if (grow_watches (loop, fd) < 0)
        return -1;
    struct watch *w = &loop->watches[fd];
    if (register_fd (loop, fd, w, events) < 0)
        return -1;
    w->fn = fn;
    w->arg = arg;
    w->events = events & (ZW_IO_READ | ZW_IO_WRITE);
    return 0;
}

void
zw_loop_unwatch (zw_loop *loop, int fd)
{
    if (fd < 0 || (size_t) fd >= loop->watch_cap || !loop->watches[fd].generation)
        return;
    /* Fails harmlessly (EBADF, ENOENT) if fd was already closed. */
    epoll_ctl (loop->epoll_fd, EPOLL_CTL_DEL, fd, NULL);
    loop->watches[fd] = (struct watch) { 0 };
}

int
zw_loop_watched (const zw_loop *loop, int fd)
{
    return fd >= 0 && (size_t) fd < loop->watch_cap && loop->watches[fd].generation != 0;
}

/*  The watch an event was fetched for, or NULL when that watch is gone:
    the fd was unwatched, or unwatched and watched again, since.  */
static struct watch *
live_watch (zw_loop *loop, uint64_t data)
{
    int fd = (int) (uint32_t) data;
    uint32_t generation = (uint32_t) (data >> 32);
    if (fd < 0 || (size_t) fd >= loop->watch_cap)
        return NULL;
    struct watch *w = &loop->watches[fd];
    return w->generation == generation ? w : NULL;
}

static int
dispatch_io (zw_loop *loop, const struct epoll_event *events, int count)
{
    int calls = 0;
    for (int i = 0; i < count; i++) {
        struct watch *w = live_watch (loop, events[i].data.u64);
        if (!w)
            continue;
        /* A callback earlier in this turn may have narrowed the interest. */
        unsigned bits = zw_bits (events[i].events) & (w->events | ZW_IO_ERROR);
        if (!bits)
            continue;
        w->fn (loop, (int) (uint32_t) events[i].data.u64, bits, w->arg);
        calls++;
    }
    return calls;
}

/* ---- timers ---- */

void
zw_timer_init (zw_timer *timer, zw_timer_fn *fn, void *arg)
{
    timer->deadline = 0;
    timer->heap_index = SIZE_MAX;
    timer->fn = fn;
    timer->arg = arg;
}

int
zw_timer_active (const zw_timer *timer)
{
    return timer->heap_index != SIZE_MAX;
}

static int
earlier (const struct slot *a, const struct slot *b)
{
    if (a->timer->deadline != b->timer->deadline)
        return a->timer->deadline < b->timer->deadline;
    return a->seq < b->seq;
}

static void
place (zw_loop *loop, size_t index, struct slot slot)
{
    loop->heap[index] = slot;
    slot.timer->heap_index = index;
}

static void
sift_up (zw_loop *loop, size_t index)
{
    struct slot slot = loop->heap[index];
    while (index > 0) {
        size_t parent = (index - 1) / 2;
        if (!earlier (&slot, &loop->heap[parent]))
            break;
        place (loop, index, loop->heap[parent]);
        index = parent;
    }
    place (loop, index, slot);
}

static void
sift_down (zw_loop *loop, size_t index)
{
    struct slot slot = loop->heap[index];
    for (;;) {
        size_t child = 2 * index + 1;
        if (child >= loop->heap_len)
            break;
        if (child + 1 < loop->heap_len && earlier (&loop->heap[child + 1], &loop->heap[child]))
            child++;
        if (!earlier (&loop->heap[child], &slot))
            break;
        place (loop, index, loop->heap[child]);
        index = child;
    }
    place (loop, index, slot);
}

/* Restores heap order around a slot whose key has just changed. */
static void
reorder (zw_loop *loop, size_t index)
{
    if (index > 0 && earlier (&loop->heap[index], &loop->heap[(index - 1) / 2]))
        sift_up (loop, index);
    else
        sift_down (loop, index);
}

/*  zw_loop_timer_start cannot report failure, so running out of memory
    for the heap (one slot per armed timer, the first INITIAL_HEAP_CAP
    allocated with the loop) aborts rather than losing a timer.  */
static void
grow_heap (zw_loop *loop)
{
    if (loop->heap_len < loop->heap_cap)
        return;
    size_t cap = loop->heap_cap * 2;
    struct slot *heap = realloc (loop->heap, cap * sizeof *heap);
    if (!heap)
        abort ();
    loop->heap = heap;
    loop->heap_cap = cap;
}

static uint64_t
deadline_after (uint64_t delay_ms)
{
    uint64_t now = zw_loop_now ();
    return delay_ms > UINT64_MAX - now ? UINT64_MAX : now + delay_ms;
}

void
zw_loop_timer_start (zw_loop *loop, zw_timer *timer, uint64_t delay_ms)
{
    timer->deadline = deadline_after (delay_ms);
    struct slot slot = { timer, loop->next_seq++ };
    if (zw_timer_active (timer)) {
        loop->heap[timer->heap_index] = slot;
        reorder (loop, timer->heap_index);
        return;
    }
    grow_heap (loop);
    place (loop, loop->heap_len++, slot);
    sift_up (loop, timer->heap_index);
}

void
zw_loop_timer_stop (zw_loop *loop, zw_timer *timer)
{
    if (!zw_timer_active (timer))
        return;
    size_t index = timer->heap_index;
    timer->heap_index = SIZE_MAX;
    struct slot last = loop->heap[--loop->heap_len];
    if (index == loop->heap_len)
        return;
    place (loop, index, last);
    reorder (loop, index);
}

/*  Fires every timer due at now that was armed before this call.  A
    timer armed from a callback here has a deadline of at least now (the
    clock is monotonic) and a seq of at least first_new, so it sorts after
    every timer that is due and old; the loop stops at it.  */
static int
fire_timers (zw_loop *loop, uint64_t now)
{
    uint64_t first_new = loop->next_seq;
    int calls = 0;
    while (loop->heap_len > 0) {
        struct slot top = loop->heap[0];
        if (top.timer->deadline > now || top.seq >= first_new)
            break;
        zw_loop_timer_stop (loop, top.timer);
        top.timer->fn (loop, top.timer->arg);
        calls++;
    }
    return calls;
}

/* How long epoll_wait may sleep: the caller's limit or the next deadline. */
static int
wait_ms (const zw_loop *loop, int timeout_ms)
{
    if (timeout_ms == 0 || loop->heap_len == 0)
        return timeout_ms < 0 ? -1 : timeout_ms;
    uint64_t now = zw_loop_now ();
    uint64_t deadline = loop->heap[0].timer->deadline;
    uint64_t until = deadline > now ? deadline - now : 0;
    if (until > INT_MAX)
        until = INT_MAX;
    if (timeout_ms > 0 && (uint64_t) timeout_ms < until)
        return timeout_ms;
    return (int) until;
}

/* ---- deferred calls ---- */

void
zw_deferred_init (zw_deferred *deferred, zw_deferred_fn *fn, void *arg)
{
    *deferred = (zw_deferred) { .fn = fn, .arg = arg };
}

void
zw_loop_defer (zw_loop *loop, zw_deferred *deferred)
{
    if (deferred->queued)
        return;
    deferred->queued = 1;
    deferred->turn = loop->turn;
    deferred->next = NULL;
    deferred->prev = loop->deferred_tail;
    if (loop->deferred_tail)
        loop->deferred_tail->next = deferred;
    else
        loop->deferred_head = deferred;
    loop->deferred_tail = deferred;
}

void
zw_loop_cancel (zw_loop *loop, zw_deferred *deferred)
{
    if (!deferred->queued)
        return;
    if (deferred->prev)
        deferred->prev->next = deferred->next;
    else
        loop->deferred_head = deferred->next;
    if (deferred->next)
        deferred->next->prev = deferred->prev;
    else
        loop->deferred_tail = deferred->prev;
    deferred->queued = 0;
    deferred->prev = deferred->next = NULL;
}

/*  Runs what was queued before it started: a call queued while they run
    (one queueing itself again, say) carries this turn's number and waits
    for the next, so the run always ends; the queue is in arrival order,
    so the first such call ends it.  Returns how many ran.  */
static int
run_deferred (zw_loop *loop)
{
    uint64_t turn = ++loop->turn;
    int calls = 0;
    while (loop->deferred_head && loop->deferred_head->turn < turn) {
        zw_deferred *deferred = loop->deferred_head;
        zw_loop_cancel (loop, deferred);
        deferred->fn (deferred->arg);
        calls++;
    }
    return calls;
}

/*  One turn (the contract is in zw_loop.h).  The wait is the only place
    the loop sleeps, and it sleeps only when this turn has made no
    callback and none is queued: a deferred call that ran may have made
    true what the caller waits for (a write that drained the queue a
    blocked zw_send waits on), and if so nothing else would ever wake the
    sleep.  Then the turn polls instead, and returns.  */
int
zw_loop_run_once (zw_loop *loop, int timeout_ms)
{
    int calls = run_deferred (loop);
    int wait = calls > 0 || loop->deferred_head ? 0 : wait_ms (loop, timeout_ms);
    struct epoll_event events[EVENTS_PER_TURN];
    int count = epoll_wait (loop->epoll_fd, events, EVENTS_PER_TURN, wait);
    if (count < 0)
        return errno == EINTR ? calls : -1;
    calls += dispatch_io (loop, events, count);
    return calls + fire_timers (loop, zw_loop_now ());
}
