/*  lat_zwire.c — request-reply round-trip latency of the zwire reference stack.

      lat-zwire --transport tcp|ipc --size N --count M [--warmup W]
                [--role both | --only rep|req --endpoint EP ...]   (bench_opts.h)

    Two processes (bench_pair.h): a REP in the forked child binds and
    echoes every request back as its reply (the message it received,
    handed back to zw_send: no copy); a REQ in the parent connects and
    makes W untimed round trips, then M timed ones.  Each timed round trip
    runs from building the request (zw_msg_new, zw_msg_add: the payload
    copy an application makes) to the return of zw_recv with the reply; the
    requester prints p50, p99, mean, min and max (bench_report.h).  With
    --only rep or --only req (and --peer on the requester) the other side
    can be lat-libzmq: lat-mixed pairs them so.  */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "zwire.h"
#include "bench_opts.h"
#include "bench_pair.h"
#include "bench_report.h"

static zw_socket *
open_socket (zw_ctx **ctx, zw_socket_type type)
{
    *ctx = zw_ctx_new ();
    if (!*ctx) {
        perror ("zw_ctx_new");
        return NULL;
    }
    zw_ctx_set_log (*ctx, NULL, NULL);
    zw_socket *socket = zw_socket_new (*ctx, type);
    if (!socket || zw_socket_set_int (socket, ZW_OPT_LINGER, -1)) {
        perror ("zw_socket_new");
        zw_ctx_destroy (*ctx);
        return NULL;
    }
    return socket;
}

static int
replier (const bench_opts *opts, const char *endpoint, int endpoint_fd)
{
    zw_ctx *ctx;
    zw_socket *socket = open_socket (&ctx, ZW_REP);
    if (!socket)
        return 1;
    if (zw_bind (socket, endpoint)) {
        perror ("zw_bind");
        zw_ctx_destroy (ctx);
        return 1;
    }
    bench_announce (opts, endpoint_fd, zw_socket_last_endpoint (socket));
    int rc = 0;
    for (uint64_t i = 0; rc == 0 && i < opts->warmup + opts->count; i++) {
        zw_msg *msg;
        if (zw_recv (socket, &msg, -1)) {
            perror ("zw_recv");
            rc = 1;
        }
        else if (zw_send (socket, msg, -1)) {
            perror ("zw_send");
            zw_msg_destroy (msg);
            rc = 1;
        }
    }
    bench_forget_endpoint (zw_socket_last_endpoint (socket));
    zw_ctx_destroy (ctx);           /* lingers until the last reply is written */
    return rc;
}

static int
requester (const bench_opts *opts, const char *endpoint)
{
    zw_ctx *ctx;
    zw_socket *socket = open_socket (&ctx, ZW_REQ);
    if (!socket)
        return 1;
    uint8_t *payload = malloc (opts->size ? opts->size : 1);
    uint64_t *samples = malloc (opts->count * sizeof *samples);
    if (!payload || !samples || zw_connect (socket, endpoint)) {
        perror (payload && samples ? "zw_connect" : "malloc");
        free (payload);
        free (samples);
        zw_ctx_destroy (ctx);
        return 1;
    }
    memset (payload, 'z', opts->size);
    int rc = 0;
    for (uint64_t i = 0; rc == 0 && i < opts->warmup + opts->count; i++) {
        uint64_t start = bench_now_ns ();
        zw_msg *msg = zw_msg_new ();
        if (!msg || zw_msg_add (msg, payload, opts->size) || zw_send (socket, msg, -1)) {
            perror ("zw_send");
            zw_msg_destroy (msg);
            rc = 1;
            break;
        }
        if (zw_recv (socket, &msg, -1)) {
            perror ("zw_recv");
            rc = 1;
            break;
        }
        uint64_t end = bench_now_ns ();
        if (msg->count != 1 || msg->frames[0].size != opts->size) {
            fprintf (stderr, "%s: a reply of the wrong shape arrived\n", opts->program);
            rc = 1;
        }
        zw_msg_destroy (msg);
        if (i >= opts->warmup)
            samples[i - opts->warmup] = end - start;
    }
    if (rc == 0) {
        char label[64];
        bench_report_latency (opts, bench_impl_label (opts, "zwire", label, sizeof label), samples,
                              (size_t) opts->count);
    }
    free (payload);
    free (samples);
    zw_ctx_destroy (ctx);
    return rc;
}

int
main (int argc, char **argv)
{
    bench_opts opts;
    bench_opts_parse (&opts, BENCH_KIND_LATENCY, argc, argv);
    return bench_run (&opts, replier, requester);
}
