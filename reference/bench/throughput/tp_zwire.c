/*  tp_zwire.c — message throughput of the zwire reference stack.

      tp-zwire --pattern push-pull|dealer-dealer --transport tcp|ipc --size N --count M
               [--role both | --only recv|send --endpoint EP ...]   (bench_opts.h)

    Two processes (bench_pair.h): the receiver (PULL, or DEALER) binds in
    the forked child, the sender (PUSH, or DEALER) connects from the parent;
    each has its own context, hence its own loop, as two applications
    would.  The sender builds each message as an application does, from
    its own buffer (zw_msg_new, zw_msg_add: one copy of the payload), and
    hands it over with zw_send; the receiver takes each with zw_recv, checks
    its size and frees it.  The receiver times from the first message to
    the last and prints the result line (bench_report.h).  Both sides use
    --hwm for ZW_OPT_SNDHWM and ZW_OPT_RCVHWM.  The sender keeps its loop
    running until the receiver has finished (serve_until_received), and
    lingers without limit (the watchdog bounds it).  With --mechanism
    curve the receiver is the CURVE server and the sender its client
    (bench_keys.h; no ZAP handler: every client is accepted).  */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "zwire.h"
#include "bench_keys.h"
#include "bench_opts.h"
#include "bench_pair.h"
#include "bench_report.h"

/* 25/ZMTP-CURVE: the receiver (it binds) serves, the sender is its client. */
static int
set_curve_server (zw_socket *socket)
{
    return zw_socket_set_bytes (socket, ZW_OPT_CURVE_SECRETKEY, BENCH_CURVE_SERVER_SECRET,
                                BENCH_CURVE_KEY_CHARS)
        || zw_socket_set_int (socket, ZW_OPT_CURVE_SERVER, 1);
}

static int
set_curve_client (zw_socket *socket)
{
    return zw_socket_set_bytes (socket, ZW_OPT_CURVE_PUBLICKEY, BENCH_CURVE_CLIENT_PUBLIC,
                                BENCH_CURVE_KEY_CHARS)
        || zw_socket_set_bytes (socket, ZW_OPT_CURVE_SECRETKEY, BENCH_CURVE_CLIENT_SECRET,
                                BENCH_CURVE_KEY_CHARS)
        || zw_socket_set_bytes (socket, ZW_OPT_CURVE_SERVERKEY, BENCH_CURVE_SERVER_PUBLIC,
                                BENCH_CURVE_KEY_CHARS);
}

static zw_socket *
open_socket (const bench_opts *opts, zw_ctx **ctx, int sending)
{
    *ctx = zw_ctx_new ();
    if (!*ctx) {
        perror ("zw_ctx_new");
        return NULL;
    }
    zw_ctx_set_log (*ctx, NULL, NULL);      /* the close at the end is not news */
    int dealer = strcmp (opts->pattern, "dealer-dealer") == 0;
    zw_socket *socket = zw_socket_new (*ctx, dealer ? ZW_DEALER : sending ? ZW_PUSH : ZW_PULL);
    if (!socket
    ||  zw_socket_set_int (socket, ZW_OPT_SNDHWM, opts->hwm)
    ||  zw_socket_set_int (socket, ZW_OPT_RCVHWM, opts->hwm)
    ||  zw_socket_set_int (socket, ZW_OPT_LINGER, sending ? -1 : 0)) {
        perror ("zw_socket_new");
        zw_ctx_destroy (*ctx);
        return NULL;
    }
    if (opts->curve && (sending ? set_curve_client (socket) : set_curve_server (socket))) {
        perror ("zw_socket_set (CURVE)");
        zw_ctx_destroy (*ctx);
        return NULL;
    }
    return socket;
}

static int
receive_one (const bench_opts *opts, zw_socket *socket)
{
    zw_msg *msg;
    if (zw_recv (socket, &msg, -1)) {
        perror ("zw_recv");
        return -1;
    }
    int ok = msg->count == 1 && msg->frames[0].size == opts->size;
    zw_msg_destroy (msg);
    if (!ok)
        fprintf (stderr, "%s: a message of the wrong shape arrived\n", opts->program);
    return ok ? 0 : -1;
}

static int
receiver (const bench_opts *opts, const char *endpoint, int endpoint_fd)
{
    zw_ctx *ctx;
    zw_socket *socket = open_socket (opts, &ctx, 0);
    if (!socket)
        return 1;
    if (zw_bind (socket, endpoint)) {
        perror ("zw_bind");
        zw_ctx_destroy (ctx);
        return 1;
    }
    bench_announce (opts, endpoint_fd, zw_socket_last_endpoint (socket));
    int rc = receive_one (opts, socket);
    bench_timing timing;
    bench_timing_start (&timing);
    for (uint64_t i = 1; rc == 0 && i < opts->count; i++) {
        rc = receive_one (opts, socket);
        bench_timing_mark (&timing, (double) i);
    }
    bench_timing_stop (&timing, (double) (opts->count - 1));
    if (rc == 0) {
        char label[64];
        bench_report_throughput (opts, bench_impl_label (opts, "zwire", label, sizeof label),
                                 opts->pattern, &timing);
    }
    bench_forget_endpoint (zw_socket_last_endpoint (socket));
    zw_ctx_destroy (ctx);
    return rc ? 1 : 0;
}

/*  Keeps the loop writing the queued messages until the receiver has
    them all and has finished (bench_pair.h): zw_poll on the socket, which
    runs the loop, and on the fd that says so.  Closing earlier would be
    fine for a zwire receiver but a libzmq one, its queue full, can lose
    the tail over ipc when the connection closes under it.  */
static void
serve_until_received (zw_socket *socket)
{
    int done = bench_server_done_fd ();
    if (done < 0)
        return;                     /* no way to know: rely on the linger */
    zw_pollitem items[2] = {
        { .socket = socket, .fd = -1, .events = 0 },     /* only so that the loop runs */
        { .socket = NULL, .fd = done, .events = ZW_POLLIN },
    };
    while (!(items[1].revents & ZW_POLLIN))
        if (zw_poll (items, 2, -1) < 0) {
            perror ("zw_poll");
            break;
        }
    bench_await_server ();
}

static int
sender (const bench_opts *opts, const char *endpoint)
{
    zw_ctx *ctx;
    zw_socket *socket = open_socket (opts, &ctx, 1);
    if (!socket)
        return 1;
    uint8_t *payload = malloc (opts->size ? opts->size : 1);
    if (!payload || zw_connect (socket, endpoint)) {
        perror (payload ? "zw_connect" : "malloc");
        free (payload);
        zw_ctx_destroy (ctx);
        return 1;
    }
    memset (payload, 'z', opts->size);
    int rc = 0;
    for (uint64_t i = 0; rc == 0 && i < opts->count; i++) {
        zw_msg *msg = zw_msg_new ();
        if (!msg || zw_msg_add (msg, payload, opts->size) || zw_send (socket, msg, -1)) {
            perror ("zw_send");
            zw_msg_destroy (msg);
            rc = 1;
        }
    }
    free (payload);
    if (rc == 0)
        serve_until_received (socket);
    zw_ctx_destroy (ctx);           /* lingers until all is written */
    return rc;
}

int
main (int argc, char **argv)
{
    bench_opts opts;
    bench_opts_parse (&opts, BENCH_KIND_THROUGHPUT, argc, argv);
    return bench_run (&opts, receiver, sender);
}
