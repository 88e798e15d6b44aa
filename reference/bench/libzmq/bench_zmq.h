/*  bench_zmq.h — what the libzmq yardsticks (tp_libzmq.c, lat_libzmq.c) share:
    a context with one socket, set up and torn down alike.  Linked only into
    the programs that link libzmq.  */

#ifndef BENCH_ZMQ_H
#define BENCH_ZMQ_H

#include <stddef.h>
#include "bench_opts.h"

/*  A new context in *ctx and a socket of `type` in it, with the high-water
    marks set to hwm both ways (hwm < 0: libzmq's defaults) and ZMQ_LINGER
    set to linger.  NULL (after a message on stderr, and with *ctx freed)
    if libzmq refuses.  */
void *bench_zmq_open (void **ctx, int type, int hwm, int linger);

/* Closes the socket and ends its context. */
void bench_zmq_close (void *ctx, void *socket);

/*  The server side's start: binds socket to endpoint, copies the endpoint
    really bound into bound (cap octets, for bench_forget_endpoint) and
    announces it (bench_announce).  0, or -1 after a message on stderr,
    with the socket and its context closed.  */
int bench_zmq_bind (const bench_opts *opts, void *ctx, void *socket, const char *endpoint,
                    int endpoint_fd, char *bound, size_t cap);

#endif
