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
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

#define FRAMES_MAX 64       /* frames of a message, routing id included; more are dropped */

static volatile sig_atomic_t stopping;

static void
on_signal (int sig)
{
    (void) sig;
    stopping = 1;
}

static void
close_frames (zmq_msg_t *frames, int count)
{
    for (int i = 0; i < count; i++)
        zmq_msg_close (&frames[i]);
}

/*  Receives one message into frames; its frame count (FRAMES_MAX + 1 if
    it had more: they are dropped), or -1 with errno.  */
static int
recv_message (void *socket, zmq_msg_t *frames)
{
    int count = 0, more = 1, over = 0;
    while (more) {
        zmq_msg_t spare, *frame = count < FRAMES_MAX ? &frames[count] : &spare;
        zmq_msg_init (frame);
        if (zmq_msg_recv (frame, socket, 0) < 0) {
            int saved = errno;
            zmq_msg_close (frame);
            close_frames (frames, count);
            errno = saved;
            return -1;
        }
        more = zmq_msg_more (frame);
        if (frame == &spare) {
            zmq_msg_close (&spare);
            over = 1;
        } else
            count++;
    }
    return over ? FRAMES_MAX + 1 : count;
}

int
main (int argc, char **argv)
{
    const char *endpoint = NULL;
    unsigned timeout = 600;
    for (int i = 1; i < argc; i++) {
        if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0) {
            puts ("Usage: fl-echo --bind ENDPOINT [--timeout S]\n"
                  "\n"
                  "The baseline server of `zwire bench fl`: one libzmq ROUTER sending every\n"
                  "message back to its sender, frames as they came (no Freelance: no PING, no\n"
                  "CCF, no identity).  Prints 'bound ENDPOINT'; stops on SIGINT or SIGTERM, or\n"
                  "after S seconds (600; 0: never).");
            return 0;
        } else if (strcmp (argv[i], "--bind") == 0 && i + 1 < argc)
            endpoint = argv[++i];
        else if (strcmp (argv[i], "--timeout") == 0 && i + 1 < argc)
            timeout = (unsigned) strtoul (argv[++i], NULL, 10);
        else {
            fprintf (stderr, "fl-echo: bad argument '%s' (--help)\n", argv[i]);
            return 3;
        }
    }
    if (!endpoint) {
        fprintf (stderr, "fl-echo: --bind ENDPOINT is needed\n");
        return 3;
    }
    struct sigaction action = { 0 };
    action.sa_handler = on_signal;             /* no SA_RESTART: zmq_msg_recv gives EINTR */
    sigaction (SIGINT, &action, NULL);
    sigaction (SIGTERM, &action, NULL);
    alarm (timeout);                           /* the watchdog (SIGALRM ends the process) */

    void *ctx = zmq_ctx_new ();
    void *router = ctx ? zmq_socket (ctx, ZMQ_ROUTER) : NULL;
    char bound[256];
    size_t cap = sizeof bound;
    int linger = 0;
    if (!router || zmq_setsockopt (router, ZMQ_LINGER, &linger, sizeof linger)
    ||  zmq_bind (router, endpoint) || zmq_getsockopt (router, ZMQ_LAST_ENDPOINT, bound, &cap)) {
        fprintf (stderr, "fl-echo: cannot bind %s: %s\n", endpoint, zmq_strerror (errno));
        return 3;
    }
    printf ("bound %s\n", bound);
    fflush (stdout);

    zmq_msg_t frames[FRAMES_MAX];
    int rc = 0;
    while (!stopping) {
        int count = recv_message (router, frames);
        if (count < 0) {
            if (errno == EINTR)
                continue;
            fprintf (stderr, "fl-echo: %s\n", zmq_strerror (errno));
            rc = 1;
            break;
        }
        if (count > FRAMES_MAX || count < 2) {     /* too long, or nothing but a routing id */
            close_frames (frames, count > FRAMES_MAX ? FRAMES_MAX : count);
            continue;
        }
        int failed = 0;
        for (int i = 0; i < count; i++)
            if (!failed && zmq_msg_send (&frames[i], router, i + 1 < count ? ZMQ_SNDMORE : 0) < 0)
                failed = 1;
        close_frames (frames, count);              /* a frame sent is empty: closing it is harmless */
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
