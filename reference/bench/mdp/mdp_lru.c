/*  mdp_lru.c — the baseline of `zwire bench mdp`: a plain least recently
    used broker on libzmq, with no Majordomo in it.

      mdp-lru --bind ENDPOINT [--timeout S]        prints "bound ENDPOINT"

    What it does, and nothing more.  One ROUTER socket, bound to ENDPOINT,
    for clients and workers alike (the reference broker's shape: one
    socket, one endpoint, so that the load generator connects the same way
    to both).  Every message's first frame after the ROUTER's routing id is
    a one-octet kind, the only thing the broker looks at:

      from a worker   ["R"]                     ready: it joins the free workers
                      ["P", client, body...]    a reply: [client]["P", body...] goes
                                                back, and the worker is free again
      from a client   ["Q", body...]            a request: to the least recently used
                                                free worker as [worker]["Q", client,
                                                body...], or queued until one is free

    The free workers are a FIFO: a worker joins its tail when it announces
    itself or replies, and the next request goes to its head, the one free
    the longest (least recently used).  Requests that find no free worker
    wait in a FIFO of their own, unbounded (the clients are synchronous:
    at most one each).  Frames are forwarded as libzmq messages
    (zmq_msg_send of what zmq_msg_recv gave: no copy of a body).  No
    heartbeats, no services, no expiry, no validation beyond the kind
    octet: anything else is dropped.  One application thread blocking in
    zmq_msg_recv, plus libzmq's I/O thread.

    Stops on SIGINT or SIGTERM (or SIGALRM after --timeout seconds, 0: never;
    600 by default).  Our own code: the idea is the Guide's "load balancing
    broker" (a ROUTER that hands requests to the worker free the longest).  */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>
#include "bench_router.h"

#define FRAMES_MAX 16       /* frames of a message, routing id included */
#define ID_MAX 255          /* a ROUTER's routing id is at most 255 octets */

typedef struct {
    size_t size;
    unsigned char data[ID_MAX];
} peer_id;

typedef struct {
    zmq_msg_t frames[FRAMES_MAX];  /* the client's routing id, "Q", the body frames */
    int count;
} request;

/* A FIFO ring of fixed-size items, growing by doubling. */
typedef struct {
    void *items;
    size_t item_size, head, count, capacity;
} fifo;

static void *
fifo_at (fifo *f, size_t i)
{
    return (char *) f->items + ((f->head + i) % f->capacity) * f->item_size;
}

/* A new slot at the tail (uninitialised), or NULL (out of memory). */
static void *
fifo_push (fifo *f)
{
    if (f->count == f->capacity) {
        size_t capacity = f->capacity ? f->capacity * 2 : 64;
        char *grown = malloc (capacity * f->item_size);
        if (!grown)
            return NULL;
        for (size_t i = 0; i < f->count; i++)     /* unwrapped into the new ring */
            memcpy (grown + i * f->item_size, fifo_at (f, i), f->item_size);
        free (f->items);
        f->items = grown;
        f->head = 0;
        f->capacity = capacity;
    }
    f->count++;
    return fifo_at (f, f->count - 1);
}

/* The head, removed (valid until the next push), or NULL if empty. */
static void *
fifo_pop (fifo *f)
{
    if (f->count == 0)
        return NULL;
    void *item = fifo_at (f, 0);
    f->head = (f->head + 1) % f->capacity;
    f->count--;
    return item;
}

/* Sends frames[from..count) (zero copy) as the end of a message, and closes them. */
static int
send_frames (void *router, zmq_msg_t *frames, int from, int count)
{
    int rc = 0;
    for (int i = from; i < count; i++)
        if (rc == 0 && zmq_msg_send (&frames[i], router, i + 1 < count ? ZMQ_SNDMORE : 0) < 0)
            rc = -1;
    /* a frame sent is empty: closing it is harmless */
    bench_router_close_frames (frames + from, count - from);
    return rc;
}

/*  A request [client]["Q", body...] (frames, count of them) to worker:
    [worker]["Q", client, body...].  Closes the request's frames.  */
static int
dispatch (void *router, const peer_id *worker, zmq_msg_t *frames, int count)
{
    int rc = zmq_send (router, worker->data, worker->size, ZMQ_SNDMORE) < 0
          || zmq_msg_send (&frames[1], router, ZMQ_SNDMORE) < 0             /* "Q" as it came */
          || zmq_msg_send (&frames[0], router, count > 2 ? ZMQ_SNDMORE : 0) < 0 ? -1 : 0;
    bench_router_close_frames (frames, 2);
    if (rc == 0)
        return send_frames (router, frames, 2, count);
    bench_router_close_frames (frames + 2, count - 2);
    return rc;
}

static int
free_worker (fifo *workers, const zmq_msg_t *id)
{
    peer_id *slot = fifo_push (workers);
    if (!slot)
        return -1;
    slot->size = zmq_msg_size ((zmq_msg_t *) id);
    memcpy (slot->data, zmq_msg_data ((zmq_msg_t *) id), slot->size);
    return 0;
}

/* One message: frames[0] the sender's routing id, frames[1] the kind. */
static int
route (void *router, fifo *workers, fifo *waiting, zmq_msg_t *frames, int count)
{
    char kind = count >= 2 && zmq_msg_size (&frames[1]) == 1
              ? *(const char *) zmq_msg_data (&frames[1]) : 0;
    if (kind == 'Q' && count >= 2) {                /* a client's request */
        peer_id *worker = fifo_pop (workers);
        if (worker)
            return dispatch (router, worker, frames, count);
        request *r = fifo_push (waiting);
        if (!r) {
            bench_router_close_frames (frames, count);
            return -1;
        }
        for (int i = 0; i < count; i++) {
            zmq_msg_init (&r->frames[i]);
            zmq_msg_move (&r->frames[i], &frames[i]);
            zmq_msg_close (&frames[i]);
        }
        r->count = count;
        return 0;
    }
    if ((kind == 'R' && count == 2) || (kind == 'P' && count >= 3)) {
        if (free_worker (workers, &frames[0])) {
            bench_router_close_frames (frames, count);
            return -1;
        }
        int rc = 0;
        if (kind == 'P') {                          /* [client]["P", body...] */
            rc = zmq_msg_send (&frames[2], router, ZMQ_SNDMORE) < 0
              || zmq_msg_send (&frames[1], router, count > 3 ? ZMQ_SNDMORE : 0) < 0 ? -1 : 0;
            bench_router_close_frames (frames, 3);
            if (rc == 0)
                rc = send_frames (router, frames, 3, count);
            else
                bench_router_close_frames (frames + 3, count - 3);
        } else
            bench_router_close_frames (frames, count);
        request *r = waiting->count ? fifo_pop (waiting) : NULL;
        if (rc == 0 && r)
            rc = dispatch (router, fifo_pop (workers), r->frames, r->count);
        return rc;
    }
    bench_router_close_frames (frames, count);                   /* not ours: dropped */
    return 0;
}

int
main (int argc, char **argv)
{
    void *ctx, *router;
    int started = bench_router_start (argc, argv, "mdp-lru",
        "Usage: mdp-lru --bind ENDPOINT [--timeout S]\n"
        "\n"
        "The baseline broker of `zwire bench mdp`: one libzmq ROUTER, least recently\n"
        "used workers, no Majordomo (a one-octet kind frame: R ready, Q request,\n"
        "P reply).  Prints 'bound ENDPOINT'; stops on SIGINT or SIGTERM, or after\n"
        "S seconds (600; 0: never).", &ctx, &router);
    if (started >= 0)
        return started;

    fifo workers = { NULL, sizeof (peer_id), 0, 0, 0 };
    fifo waiting = { NULL, sizeof (request), 0, 0, 0 };
    zmq_msg_t frames[FRAMES_MAX];
    int rc = 0;
    while (!bench_router_stopping) {
        int count = bench_router_recv (router, frames, FRAMES_MAX);
        if (count < 0) {
            if (errno == EINTR)
                continue;
            fprintf (stderr, "mdp-lru: %s\n", zmq_strerror (errno));
            rc = 1;
            break;
        }
        if (count > 0 && route (router, &workers, &waiting, frames, count)) {
            fprintf (stderr, "mdp-lru: %s\n", zmq_strerror (errno));
            rc = 1;
            break;
        }
    }
    for (request *r; (r = fifo_pop (&waiting)) != NULL;)
        bench_router_close_frames (r->frames, r->count);
    free (waiting.items);
    free (workers.items);
    zmq_close (router);
    zmq_ctx_term (ctx);
    return rc;
}
