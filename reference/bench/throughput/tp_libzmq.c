/*  tp_libzmq.c — message throughput of libzmq (4.3), the yardstick for zwire.

      tp-libzmq --pattern push-pull|dealer-dealer --transport tcp|ipc --size N --count M
                [--role both | --only recv|send --endpoint EP ...]   (bench_opts.h)

    The same set-up as tp_zwire.c so that the figures compare: two
    processes (fork, bench_pair.h), not two threads of one context; each
    process has its own context and so libzmq's usual threads (the
    application's and one I/O thread).  The receiver (PULL or DEALER)
    binds in the child, the sender (PUSH or DEALER) connects from the
    parent.  The sender sends from its own buffer with zmq_send (libzmq
    copies the payload into a message, as zw_msg_add does); the receiver
    takes each message with zmq_msg_recv (no copy, as zw_recv), checks its
    size and closes it.  High-water marks --hwm on both sides, linger
    without limit on the sender, which moreover closes only once the
    receiver has finished (bench_await_server): over ipc libzmq 4.3 may
    drop the tail of a queue at close despite its linger
    (zeromq/libzmq#4660).  With --mechanism curve the receiver is the
    CURVE server and the sender its client (bench_keys.h; no ZAP handler:
    libzmq 4.3 then accepts every client).  */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>
#include "bench_keys.h"
#include "bench_opts.h"
#include "bench_pair.h"
#include "bench_report.h"
#include "bench_zmq.h"

/* 25/ZMTP-CURVE: the receiver (it binds) serves, the sender is its client. */
static int
set_curve (void *socket, int sending)
{
    int server = 1;
    if (!sending)
        return zmq_setsockopt (socket, ZMQ_CURVE_SECRETKEY, BENCH_CURVE_SERVER_SECRET,
                               BENCH_CURVE_KEY_CHARS)
            || zmq_setsockopt (socket, ZMQ_CURVE_SERVER, &server, sizeof server);
    return zmq_setsockopt (socket, ZMQ_CURVE_PUBLICKEY, BENCH_CURVE_CLIENT_PUBLIC,
                           BENCH_CURVE_KEY_CHARS)
        || zmq_setsockopt (socket, ZMQ_CURVE_SECRETKEY, BENCH_CURVE_CLIENT_SECRET,
                           BENCH_CURVE_KEY_CHARS)
        || zmq_setsockopt (socket, ZMQ_CURVE_SERVERKEY, BENCH_CURVE_SERVER_PUBLIC,
                           BENCH_CURVE_KEY_CHARS);
}

/* The pattern's socket for one side: DEALER, or PUSH to send and PULL to receive. */
static void *
open_socket (const bench_opts *opts, void **ctx, int sending)
{
    int dealer = strcmp (opts->pattern, "dealer-dealer") == 0;
    void *socket = bench_zmq_open (ctx, dealer ? ZMQ_DEALER : sending ? ZMQ_PUSH : ZMQ_PULL,
                                   opts->hwm, sending ? -1 : 0);
    if (socket && opts->curve && set_curve (socket, sending)) {
        fprintf (stderr, "zmq_setsockopt (CURVE): %s\n", zmq_strerror (errno));
        bench_zmq_close (*ctx, socket);
        return NULL;
    }
    return socket;
}

static int
receive_one (const bench_opts *opts, void *socket, zmq_msg_t *msg)
{
    if (zmq_msg_recv (msg, socket, 0) < 0) {
        fprintf (stderr, "zmq_msg_recv: %s\n", zmq_strerror (errno));
        return -1;
    }
    if (zmq_msg_size (msg) != opts->size || zmq_msg_more (msg)) {
        fprintf (stderr, "%s: a message of the wrong shape arrived\n", opts->program);
        return -1;
    }
    return 0;
}

static int
receiver (const bench_opts *opts, const char *endpoint, int endpoint_fd)
{
    void *ctx;
    void *socket = open_socket (opts, &ctx, 0);
    if (!socket)
        return 1;
    char bound[256];
    if (bench_zmq_bind (opts, ctx, socket, endpoint, endpoint_fd, bound, sizeof bound))
        return 1;
    zmq_msg_t msg;
    zmq_msg_init (&msg);
    int rc = receive_one (opts, socket, &msg);
    bench_timing timing;
    bench_timing_start (&timing);
    for (uint64_t i = 1; rc == 0 && i < opts->count; i++) {
        rc = receive_one (opts, socket, &msg);
        bench_timing_mark (&timing, (double) i);
    }
    bench_timing_stop (&timing, (double) (opts->count - 1));
    zmq_msg_close (&msg);
    if (rc == 0) {
        char label[64];
        bench_report_throughput (opts, bench_impl_label (opts, "libzmq", label, sizeof label),
                                 opts->pattern, &timing);
    }
    bench_zmq_close (ctx, socket);
    bench_forget_endpoint (bound);
    return rc ? 1 : 0;
}

static int
sender (const bench_opts *opts, const char *endpoint)
{
    void *ctx;
    void *socket = open_socket (opts, &ctx, 1);
    if (!socket)
        return 1;
    uint8_t *payload = malloc (opts->size ? opts->size : 1);
    if (!payload || zmq_connect (socket, endpoint)) {
        fprintf (stderr, "zmq_connect %s: %s\n", endpoint, payload ? zmq_strerror (errno) : "no memory");
        free (payload);
        bench_zmq_close (ctx, socket);
        return 1;
    }
    memset (payload, 'z', opts->size);
    int rc = 0;
    for (uint64_t i = 0; rc == 0 && i < opts->count; i++)
        if (zmq_send (socket, payload, opts->size, 0) < 0) {
            fprintf (stderr, "zmq_send: %s\n", zmq_strerror (errno));
            rc = 1;
        }
    free (payload);
    if (rc == 0)
        bench_await_server ();      /* libzmq's linger may lose the tail over ipc */
    bench_zmq_close (ctx, socket);
    return rc;
}

int
main (int argc, char **argv)
{
    bench_opts opts;
    bench_opts_parse (&opts, BENCH_KIND_THROUGHPUT, argc, argv);
    return bench_run (&opts, receiver, sender);
}
