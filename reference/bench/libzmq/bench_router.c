/*  bench_router.c — the libzmq baseline servers' shared start and receive
    (bench_router.h).  */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bench_router.h"

volatile sig_atomic_t bench_router_stopping;

static void
on_signal (int signo)
{
    (void) signo;
    bench_router_stopping = 1;
}

int
bench_router_start (int argc, char **argv, const char *program, const char *usage, void **ctx,
                    void **router)
{
    const char *endpoint = NULL;
    unsigned timeout = 600;
    for (int i = 1; i < argc; i++) {
        if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0) {
            puts (usage);
            return 0;
        } else if (strcmp (argv[i], "--bind") == 0 && i + 1 < argc)
            endpoint = argv[++i];
        else if (strcmp (argv[i], "--timeout") == 0 && i + 1 < argc)
            timeout = (unsigned) strtoul (argv[++i], NULL, 10);
        else {
            fprintf (stderr, "%s: bad argument '%s' (--help)\n", program, argv[i]);
            return 3;
        }
    }
    if (!endpoint) {
        fprintf (stderr, "%s: --bind ENDPOINT is needed\n", program);
        return 3;
    }
    struct sigaction action = { 0 };
    action.sa_handler = on_signal;             /* no SA_RESTART: zmq_msg_recv gives EINTR */
    sigaction (SIGINT, &action, NULL);
    sigaction (SIGTERM, &action, NULL);
    alarm (timeout);                           /* the watchdog (SIGALRM ends the process) */

    *ctx = zmq_ctx_new ();
    *router = *ctx ? zmq_socket (*ctx, ZMQ_ROUTER) : NULL;
    char bound[256];
    size_t cap = sizeof bound;
    int linger = 0;
    if (!*router || zmq_setsockopt (*router, ZMQ_LINGER, &linger, sizeof linger)
    ||  zmq_bind (*router, endpoint) || zmq_getsockopt (*router, ZMQ_LAST_ENDPOINT, bound, &cap)) {
        fprintf (stderr, "%s: cannot bind %s: %s\n", program, endpoint, zmq_strerror (errno));
        return 3;
    }
    printf ("bound %s\n", bound);
    fflush (stdout);
    return -1;
}

void
bench_router_close_frames (zmq_msg_t *frames, int count)
{
    for (int i = 0; i < count; i++)
        zmq_msg_close (&frames[i]);
}

int
bench_router_recv (void *router, zmq_msg_t *frames, int max)
{
    int count = 0, dropped = 0, more = 1;
    while (more) {
        zmq_msg_t spare, *frame = count < max ? &frames[count] : &spare;
        zmq_msg_init (frame);
        if (zmq_msg_recv (frame, router, 0) < 0) {
            int saved = errno;
            zmq_msg_close (frame);
            bench_router_close_frames (frames, count);
            errno = saved;
            return -1;
        }
        more = zmq_msg_more (frame);
        if (frame == &spare) {
            zmq_msg_close (&spare);
            dropped = 1;
        } else
            count++;
    }
    if (dropped) {
        bench_router_close_frames (frames, count);
        return 0;
    }
    return count;
}
