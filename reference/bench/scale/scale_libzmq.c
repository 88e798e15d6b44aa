/*  scale_libzmq.c — the same scale measures for libzmq (4.3), the
    yardstick for scale_zwire.c (scale_common.h says what is measured and
    how).

      scale-libzmq [--peers N] [--transport tcp|ipc] [--size N] [--count M]
                   [--hwm N] [--client zwire|libzmq] [--settle MS] [--timeout S]

    The same shape as the zwire program: the server process has one
    context with one PUB socket, bound; the client process one context
    with one XSUB socket that connects N times to it (libzmq 4.3 ignores
    a SUB socket's second connect to the same endpoint, not an XSUB's).
    Each context has libzmq's usual threads: the application's and one
    I/O thread.  Handshakes are counted, on both sides, from a socket
    monitor (ZMQ_EVENT_HANDSHAKE_SUCCEEDED) read on an inproc PAIR whose
    RCVHWM is 0 so that no event is dropped; the monitor exists before
    the "before" RSS is read, so its own memory is not counted per
    connection.  A PUB socket takes in new pipes and subscriptions only
    when the application calls into it, so while the server waits it
    asks the socket for ZMQ_EVENTS (which processes them) after each
    wake-up, as an application's zmq_poll would.  Both sockets linger 0.  */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>
#include "bench_report.h"
#include "bench_zmq.h"
#include "scale_common.h"

#define MONITOR_ENDPOINT "inproc://scale-monitor"

/* One side: its context, its socket and the end of the socket's monitor. */
typedef struct {
    void *ctx, *socket, *monitor;
    size_t handshakes;
} zmq_side;

static void
close_side (void *arg)
{
    zmq_side *side = arg;
    if (side->monitor) {
        zmq_socket_monitor (side->socket, NULL, 0);
        zmq_close (side->monitor);
    }
    bench_zmq_close (side->ctx, side->socket);
    free (side);
}

static zmq_side *
open_side (const scale_opts *opts, int type)
{
    zmq_side *side = calloc (1, sizeof *side);
    if (!side) {
        perror ("calloc");
        return NULL;
    }
    side->socket = bench_zmq_open (&side->ctx, type, opts->hwm, 0);
    if (!side->socket) {
        free (side);
        return NULL;
    }
    return side;
}

/* The monitor's events so far, read without waiting: handshakes counted. */
static void
read_events (zmq_side *side)
{
    zmq_msg_t msg;
    zmq_msg_init (&msg);
    while (zmq_msg_recv (&msg, side->monitor, ZMQ_DONTWAIT) >= 0) {
        uint16_t event;             /* the first frame: event (16 bits), value (32) */
        if (zmq_msg_size (&msg) >= sizeof event) {
            memcpy (&event, zmq_msg_data (&msg), sizeof event);
            side->handshakes += event == ZMQ_EVENT_HANDSHAKE_SUCCEEDED;
        }
        while (zmq_msg_more (&msg) && zmq_msg_recv (&msg, side->monitor, 0) >= 0)
            ;                       /* the endpoint frame */
    }
    zmq_msg_close (&msg);
}

/*  A monitor of the socket's handshakes, read on an inproc PAIR with no
    high-water mark (an event the monitor cannot queue is lost).  */
static int
watch_handshakes (zmq_side *side)
{
    int unlimited = 0;
    if (zmq_socket_monitor (side->socket, MONITOR_ENDPOINT, ZMQ_EVENT_HANDSHAKE_SUCCEEDED)
    ||  !(side->monitor = zmq_socket (side->ctx, ZMQ_PAIR))
    ||  zmq_setsockopt (side->monitor, ZMQ_RCVHWM, &unlimited, sizeof unlimited)
    ||  zmq_connect (side->monitor, MONITOR_ENDPOINT)) {
        fprintf (stderr, "zmq_socket_monitor: %s\n", zmq_strerror (errno));
        return -1;
    }
    return 0;
}

/* Connections of the socket whose handshake is over (either side). */
static size_t
side_peers (void *arg)
{
    zmq_side *side = arg;
    read_events (side);
    return side->handshakes;
}

/* --- the publisher ----------------------------------------------------------------- */

/* Binds; the endpoint bound into bound. */
static int
bind_socket (zmq_side *side, const char *endpoint, char *bound, size_t cap)
{
    size_t size = cap;
    if (zmq_bind (side->socket, endpoint)
    ||  zmq_getsockopt (side->socket, ZMQ_LAST_ENDPOINT, bound, &size)) {
        fprintf (stderr, "zmq_bind %s: %s\n", endpoint, zmq_strerror (errno));
        return -1;
    }
    return 0;
}

static void *
pub_open (const scale_opts *opts, const char *endpoint, char *bound, size_t cap)
{
    zmq_side *side = open_side (opts, ZMQ_PUB);
    if (side && (watch_handshakes (side) < 0 || bind_socket (side, endpoint, bound, cap) < 0)) {
        close_side (side);
        return NULL;
    }
    return side;
}

static int
pub_send (void *arg, const void *data, size_t size)
{
    zmq_side *side = arg;
    if (zmq_send (side->socket, data, size, 0) < 0) {
        fprintf (stderr, "zmq_send: %s\n", zmq_strerror (errno));
        return -1;
    }
    return 0;
}

/*  Waits for fd (1) or the end of timeout_ms (0), reading monitor events
    and letting the PUB socket take in its new pipes meanwhile.  */
static int
pub_wait (void *arg, int fd, int timeout_ms)
{
    zmq_side *side = arg;
    uint64_t deadline = bench_now_ns () + (uint64_t) (timeout_ms > 0 ? timeout_ms : 0) * 1000000u;
    for (;;) {
        zmq_pollitem_t items[2] = {
            { .socket = side->monitor, .events = ZMQ_POLLIN },
            { .socket = NULL, .fd = fd, .events = ZMQ_POLLIN },
        };
        uint64_t now = bench_now_ns ();
        long left = timeout_ms < 0 ? -1 : now >= deadline ? 0 : (long) ((deadline - now) / 1000000u);
        if (zmq_poll (items, 2, left) < 0 && errno != EINTR) {
            fprintf (stderr, "zmq_poll: %s\n", zmq_strerror (errno));
            return -1;
        }
        read_events (side);
        int events;
        size_t size = sizeof events;
        zmq_getsockopt (side->socket, ZMQ_EVENTS, &events, &size);
        if (items[1].revents & ZMQ_POLLIN)
            return 1;
        if (left == 0)
            return 0;
    }
}

/* --- the subscriber ------------------------------------------------------------------ */

static void *
sub_open (const scale_opts *opts)
{
    zmq_side *side = open_side (opts, ZMQ_XSUB);
    if (side && watch_handshakes (side) < 0) {
        close_side (side);
        return NULL;
    }
    if (side && zmq_send (side->socket, "\x01", 1, 0) != 1) {
        fprintf (stderr, "zmq_send (subscribe): %s\n", zmq_strerror (errno));
        close_side (side);
        return NULL;
    }
    return side;
}

static int
sub_connect (void *arg, const char *endpoint, size_t times)
{
    zmq_side *side = arg;
    for (size_t i = 0; i < times; i++)
        if (zmq_connect (side->socket, endpoint)) {
            fprintf (stderr, "zmq_connect %s: %s\n", endpoint, zmq_strerror (errno));
            return -1;
        }
    return 0;
}

static int
sub_wait (void *arg, int fd, int timeout_ms)
{
    zmq_side *side = arg;
    zmq_pollitem_t items[3] = {
        { .socket = side->socket, .events = ZMQ_POLLIN },
        { .socket = NULL, .fd = fd, .events = ZMQ_POLLIN },
        { .socket = side->monitor, .events = ZMQ_POLLIN },
    };
    if (zmq_poll (items, 3, timeout_ms) < 0 && errno != EINTR) {
        fprintf (stderr, "zmq_poll: %s\n", zmq_strerror (errno));
        return -1;
    }
    read_events (side);
    return items[1].revents & ZMQ_POLLIN ? 1 : 0;
}

static int
sub_drain (void *arg, scale_tally *tally)
{
    zmq_side *side = arg;
    zmq_msg_t msg;
    zmq_msg_init (&msg);
    while (zmq_msg_recv (&msg, side->socket, ZMQ_DONTWAIT) >= 0)
        scale_tally_add (tally, zmq_msg_data (&msg), zmq_msg_size (&msg));
    int failed = errno != EAGAIN;
    if (failed)
        fprintf (stderr, "zmq_msg_recv: %s\n", zmq_strerror (errno));
    zmq_msg_close (&msg);
    return failed ? -1 : 0;
}

static const scale_impl libzmq_impl = {
    "libzmq", pub_open, side_peers, pub_send, pub_wait, close_side,
    sub_open, sub_connect, side_peers, sub_wait, sub_drain, close_side,
};

int
main (int argc, char **argv)
{
    return scale_main (&libzmq_impl, argc, argv);
}
