/*  bench_zmq.c — a libzmq context with one socket, for the yardsticks
    (see bench_zmq.h).  */

#include <errno.h>
#include <stdio.h>
#include <zmq.h>
#include "bench_pair.h"
#include "bench_zmq.h"

static int
set_int (void *socket, int option, int value)
{
    return zmq_setsockopt (socket, option, &value, sizeof value);
}

void *
bench_zmq_open (void **ctx, int type, int hwm, int linger)
{
    *ctx = zmq_ctx_new ();
    if (!*ctx) {
        fprintf (stderr, "zmq_ctx_new: %s\n", zmq_strerror (errno));
        return NULL;
    }
    void *socket = zmq_socket (*ctx, type);
    if (!socket
    ||  (hwm >= 0 && (set_int (socket, ZMQ_SNDHWM, hwm) || set_int (socket, ZMQ_RCVHWM, hwm)))
    ||  set_int (socket, ZMQ_LINGER, linger)) {
        fprintf (stderr, "zmq_socket: %s\n", zmq_strerror (errno));
        if (socket)
            zmq_close (socket);
        zmq_ctx_term (*ctx);
        return NULL;
    }
    return socket;
}

void
bench_zmq_close (void *ctx, void *socket)
{
    zmq_close (socket);
    zmq_ctx_term (ctx);
}

int
bench_zmq_bind (const bench_opts *opts, void *ctx, void *socket, const char *endpoint,
                int endpoint_fd, char *bound, size_t cap)
{
    if (zmq_bind (socket, endpoint) || zmq_getsockopt (socket, ZMQ_LAST_ENDPOINT, bound, &cap)) {
        fprintf (stderr, "zmq_bind %s: %s\n", endpoint, zmq_strerror (errno));
        bench_zmq_close (ctx, socket);
        return -1;
    }
    bench_announce (opts, endpoint_fd, bound);
    return 0;
}
