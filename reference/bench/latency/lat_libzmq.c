/*  lat_libzmq.c — request-reply round-trip latency of libzmq (4.3), the
    yardstick for lat_zwire.c.

      lat-libzmq --transport tcp|ipc --size N --count M [--warmup W]
                 [--role both | --only rep|req --endpoint EP ...]   (bench_opts.h)

    The same set-up as lat_zwire.c: two processes (fork, bench_pair.h),
    each with its own context (so its own I/O thread); a REP in the child
    binds and echoes each request (zmq_msg_recv, then zmq_msg_send of the
    same message: no copy); a REQ in the parent connects, makes W untimed
    round trips, then M timed ones, each from zmq_send (which copies the
    payload, as zw_msg_add does) to the return of zmq_msg_recv with the
    reply.  The requester prints the percentiles (bench_report.h).  Either
    side also runs alone (--only rep|req), against lat-zwire (lat-mixed).  */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>
#include "bench_opts.h"
#include "bench_pair.h"
#include "bench_report.h"
#include "bench_zmq.h"

static int
replier (const bench_opts *opts, const char *endpoint, int endpoint_fd)
{
    void *ctx;
    void *socket = bench_zmq_open (&ctx, ZMQ_REP, -1, -1);
    if (!socket)
        return 1;
    char bound[256];
    if (bench_zmq_bind (opts, ctx, socket, endpoint, endpoint_fd, bound, sizeof bound))
        return 1;
    zmq_msg_t msg;
    zmq_msg_init (&msg);
    int rc = 0;
    for (uint64_t i = 0; rc == 0 && i < opts->warmup + opts->count; i++)
        if (zmq_msg_recv (&msg, socket, 0) < 0 || zmq_msg_send (&msg, socket, 0) < 0) {
            fprintf (stderr, "replier: %s\n", zmq_strerror (errno));
            rc = 1;
        }
    zmq_msg_close (&msg);
    bench_zmq_close (ctx, socket);
    bench_forget_endpoint (bound);
    return rc;
}

static int
requester (const bench_opts *opts, const char *endpoint)
{
    void *ctx;
    void *socket = bench_zmq_open (&ctx, ZMQ_REQ, -1, -1);
    if (!socket)
        return 1;
    uint8_t *payload = malloc (opts->size ? opts->size : 1);
    uint64_t *samples = malloc (opts->count * sizeof *samples);
    if (!payload || !samples || zmq_connect (socket, endpoint)) {
        fprintf (stderr, "zmq_connect %s: %s\n", endpoint, zmq_strerror (errno));
        free (payload);
        free (samples);
        bench_zmq_close (ctx, socket);
        return 1;
    }
    memset (payload, 'z', opts->size);
    zmq_msg_t msg;
    zmq_msg_init (&msg);
    int rc = 0;
    for (uint64_t i = 0; rc == 0 && i < opts->warmup + opts->count; i++) {
        uint64_t start = bench_now_ns ();
        if (zmq_send (socket, payload, opts->size, 0) < 0 || zmq_msg_recv (&msg, socket, 0) < 0) {
            fprintf (stderr, "requester: %s\n", zmq_strerror (errno));
            rc = 1;
            break;
        }
        uint64_t end = bench_now_ns ();
        if (zmq_msg_size (&msg) != opts->size || zmq_msg_more (&msg)) {
            fprintf (stderr, "%s: a reply of the wrong shape arrived\n", opts->program);
            rc = 1;
        }
        if (i >= opts->warmup)
            samples[i - opts->warmup] = end - start;
    }
    zmq_msg_close (&msg);
    if (rc == 0) {
        char label[64];
        bench_report_latency (opts, bench_impl_label (opts, "libzmq", label, sizeof label), samples,
                              (size_t) opts->count);
    }
    free (payload);
    free (samples);
    bench_zmq_close (ctx, socket);
    return rc;
}

int
main (int argc, char **argv)
{
    bench_opts opts;
    bench_opts_parse (&opts, BENCH_KIND_LATENCY, argc, argv);
    return bench_run (&opts, replier, requester);
}
