/*  fl_echo.c — the baseline server of `zwire bench fl`: a plain libzmq
    ROUTER that sends every message back to whoever sent it.

      fl-echo --bind ENDPOINT [--timeout S]        prints "bound ENDPOINT"

    What it does, and nothing more: each message, the ROUTER's routing id
    first, goes back whole (the routing id takes it to its sender, the
    frames follow as they came: zmq_msg_send of what zmq_msg_recv gave, no
    copy).  No Freelance: no PING, no CCF, no identity, no validation.  One
    application thread blocking in zmq_msg_recv, plus libzmq's I/O thread.

    Stops on SIGINT or SIGTERM (or SIGALRM after --timeout seconds, 0:
    never; 600 by default).  Exit 0, 1 on a socket error, 3 on a bad
    invocation or an endpoint it cannot bind.  */

#include <errno.h>
#include <stdio.h>
#include <zmq.h>
#include "bench_router.h"

#define FRAMES_MAX 64       /* frames of a message, routing id included; more are dropped */

int
main (int argc, char **argv)
{
    void *ctx, *router;
    int started = bench_router_start (argc, argv, "fl-echo",
        "Usage: fl-echo --bind ENDPOINT [--timeout S]\n"
        "\n"
        "The baseline server of `zwire bench fl`: one libzmq ROUTER sending every\n"
        "message back to its sender, frames as they came (no Freelance: no PING, no\n"
        "CCF, no identity).  Prints 'bound ENDPOINT'; stops on SIGINT or SIGTERM, or\n"
        "after S seconds (600; 0: never).", &ctx, &router);
    if (started >= 0)
        return started;

    zmq_msg_t frames[FRAMES_MAX];
    int rc = 0;
    while (!bench_router_stopping) {
        int count = bench_router_recv (router, frames, FRAMES_MAX);
        if (count < 0) {
            if (errno == EINTR)
                continue;
            fprintf (stderr, "fl-echo: %s\n", zmq_strerror (errno));
            rc = 1;
            break;
        }
        if (count < 2) {             /* too long (dropped), or nothing but a routing id */
            bench_router_close_frames (frames, count);
            continue;
        }
        int failed = 0;
        for (int i = 0; i < count; i++)
            if (!failed && zmq_msg_send (&frames[i], router, i + 1 < count ? ZMQ_SNDMORE : 0) < 0)
                failed = 1;
        bench_router_close_frames (frames, count);     /* a frame sent is empty: closing is fine */
        if (failed && errno != EHOSTUNREACH) {
            fprintf (stderr, "fl-echo: %s\n", zmq_strerror (errno));
            rc = 1;
            break;
        }
    }
    zmq_close (router);
    zmq_ctx_term (ctx);
    return rc;
}
