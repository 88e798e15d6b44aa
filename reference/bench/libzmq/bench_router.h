/*  bench_router.h — what the libzmq baseline servers of `zwire bench mdp`
    and `zwire bench fl` share (mdp-lru, fl-echo): one ROUTER socket bound
    to --bind ENDPOINT, announced as "bound ENDPOINT", a watchdog of
    --timeout seconds, a stop on SIGINT or SIGTERM, and whole messages
    received as libzmq frames (zmq_msg_recv, no copy).  One application
    thread; linked only into programs that link libzmq.  */

#ifndef BENCH_ROUTER_H
#define BENCH_ROUTER_H

#include <signal.h>
#include <zmq.h>

/* Set by SIGINT or SIGTERM: the receive loop ends. */
extern volatile sig_atomic_t bench_router_stopping;

/*  Reads `PROGRAM --bind ENDPOINT [--timeout S]` (usage is its --help
    text), sets the stop handlers (no SA_RESTART: zmq_msg_recv gives
    EINTR) and the watchdog (SIGALRM after S seconds, 600 by default, 0:
    never), creates the ROUTER (ZMQ_LINGER 0), binds it and prints "bound
    ENDPOINT" (the one libzmq bound).  -1 to go on, with *ctx and *router
    set; else the exit status: 0 after --help, 3 for a bad invocation or
    an endpoint it cannot bind (said on stderr).  */
int bench_router_start (int argc, char **argv, const char *program, const char *usage,
                        void **ctx, void **router);

void bench_router_close_frames (zmq_msg_t *frames, int count);

/*  Receives one whole message into frames[0..max-1]: its frame count, or
    0 for one of more than max frames (received and dropped), or -1 with
    errno (EINTR after a signal).  */
int bench_router_recv (void *router, zmq_msg_t *frames, int max);

#endif
