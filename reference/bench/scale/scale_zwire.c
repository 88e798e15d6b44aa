/*  scale_zwire.c — how the zwire reference stack scales with the number of
    peers: the memory of N idle connections at one PUB socket, and the
    rate of a PUB's fan-out to N subscribers (scale_common.h says what is
    measured and how; reference/bench/README.md why).

      scale-zwire [--peers N] [--transport tcp|ipc] [--size N] [--count M]
                  [--hwm N] [--client zwire|libzmq] [--settle MS] [--timeout S]

    The server process has one context with one PUB socket, bound; the
    client process one context with one XSUB socket that connects N times
    to it (a connection per zw_connect, even to the same endpoint; XSUB
    rather than SUB for libzmq's sake, see scale_common.h), so each side
    has N connections and one socket.  The context is single-threaded and
    its loop runs only inside the blocking calls: whenever a side waits
    (for the other process, for messages, for time to pass) it waits in
    zw_poll, with its socket in the items so that the loop serves the
    connections meanwhile.  The publisher hands each message over with
    zw_send; what a connection has not written yet (less than a batch,
    ZW_OPT_SNDBATCH) goes out when the loop next turns, in the zw_poll
    that waits for the client's report.  Handshakes are counted with
    zw_socket_stats (peers) on both sides.  Both sockets linger 0: the
    run ends only once the client has everything.  */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "zwire.h"
#include "scale_common.h"

/* One side: its context and its one socket. */
typedef struct {
    zw_ctx *ctx;
    zw_socket *socket;
} zwire_side;

static void
close_side (void *arg)
{
    zwire_side *side = arg;
    zw_ctx_destroy (side->ctx);
    free (side);
}

static zwire_side *
open_side (const scale_opts *opts, zw_socket_type type)
{
    zwire_side *side = calloc (1, sizeof *side);
    if (!side || !(side->ctx = zw_ctx_new ())) {
        perror ("zw_ctx_new");
        free (side);
        return NULL;
    }
    zw_ctx_set_log (side->ctx, NULL, NULL);     /* N closes at the end are not news */
    side->socket = zw_socket_new (side->ctx, type);
    if (!side->socket
    ||  zw_socket_set_int (side->socket, ZW_OPT_SNDHWM, opts->hwm)
    ||  zw_socket_set_int (side->socket, ZW_OPT_RCVHWM, opts->hwm)
    ||  zw_socket_set_int (side->socket, ZW_OPT_LINGER, 0)) {
        perror ("zw_socket_new");
        close_side (side);
        return NULL;
    }
    return side;
}

/*  Runs the loop until fd is readable (1) or timeout_ms has passed (0).
    want is what the socket is polled for: 0 only keeps the loop turning.  */
static int
wait_fd (zwire_side *side, short want, int fd, int timeout_ms)
{
    zw_pollitem items[2] = {
        { .socket = side->socket, .fd = -1, .events = want },
        { .socket = NULL, .fd = fd, .events = ZW_POLLIN },
    };
    if (zw_poll (items, 2, timeout_ms) < 0) {
        perror ("zw_poll");
        return -1;
    }
    return items[1].revents & ZW_POLLIN ? 1 : 0;
}

/* Connections of the socket whose handshake is over (either side). */
static size_t
side_peers (void *arg)
{
    zwire_side *side = arg;
    zw_stats stats;
    zw_socket_stats (side->socket, &stats);
    return (size_t) stats.peers;
}

/* --- the publisher ----------------------------------------------------------------- */

static void *
pub_open (const scale_opts *opts, const char *endpoint, char *bound, size_t cap)
{
    zwire_side *side = open_side (opts, ZW_PUB);
    if (!side)
        return NULL;
    if (zw_bind (side->socket, endpoint)) {
        fprintf (stderr, "zw_bind %s: %s\n", endpoint, strerror (errno));
        close_side (side);
        return NULL;
    }
    snprintf (bound, cap, "%s", zw_socket_last_endpoint (side->socket));
    return side;
}

static int
pub_send (void *arg, const void *data, size_t size)
{
    zwire_side *side = arg;
    zw_msg *msg = zw_msg_new ();
    if (!msg || zw_msg_add (msg, data, size) || zw_send (side->socket, msg, 0)) {
        perror ("zw_send");
        zw_msg_destroy (msg);
        return -1;
    }
    return 0;
}

static int
pub_wait (void *arg, int fd, int timeout_ms)
{
    return wait_fd (arg, 0, fd, timeout_ms);
}

/* --- the subscriber ------------------------------------------------------------------ */

static void *
sub_open (const scale_opts *opts)
{
    zwire_side *side = open_side (opts, ZW_XSUB);
    zw_msg *subscribe = side ? zw_msg_new () : NULL;
    if (side && (!subscribe || zw_msg_add (subscribe, "\x01", 1)
                 || zw_send (side->socket, subscribe, 0))) {
        perror ("zw_send (subscribe)");
        zw_msg_destroy (subscribe);
        close_side (side);
        return NULL;
    }
    return side;
}

static int
sub_connect (void *arg, const char *endpoint, size_t times)
{
    zwire_side *side = arg;
    for (size_t i = 0; i < times; i++)
        if (zw_connect (side->socket, endpoint)) {
            fprintf (stderr, "zw_connect %s: %s\n", endpoint, strerror (errno));
            return -1;
        }
    return 0;
}

static int
sub_wait (void *arg, int fd, int timeout_ms)
{
    return wait_fd (arg, ZW_POLLIN, fd, timeout_ms);
}

static int
sub_drain (void *arg, scale_tally *tally)
{
    zwire_side *side = arg;
    zw_msg *msg;
    while (zw_recv (side->socket, &msg, 0) == 0) {
        if (msg->count == 1)
            scale_tally_add (tally, msg->frames[0].data, msg->frames[0].size);
        zw_msg_destroy (msg);
    }
    if (errno == EAGAIN)
        return 0;
    perror ("zw_recv");
    return -1;
}

static const scale_impl zwire_impl = {
    "zwire", pub_open, side_peers, pub_send, pub_wait, close_side,
    sub_open, sub_connect, side_peers, sub_wait, sub_drain, close_side,
};

int
main (int argc, char **argv)
{
    return scale_main (&zwire_impl, argc, argv);
}
