/*  fl_rtt_libzmq.c — the baseline client of `zwire bench fl`: a plain
    libzmq DEALER making synchronous round trips through fl-echo.

      fl-rtt-libzmq --connect ENDPOINT [--size 1024] [--seconds 2]
                    [--warmup 0.5] [--timeout 120]

    Each request is two frames, a sequence number (8 octets) and the body
    (copied from the program's buffer into the message, zmq_send, as an
    application does); the reply must be the same two frames, the
    sequence number and the request's own body (fl_rtt.h).  The shape of a
    Freelance request (a control frame, then the body) without the
    protocol: no PING, no failover, no second server.  A reply not back
    within 10 s is lost.  One JSON line (fl_rtt.h), impl "libzmq"; the
    process kills itself after --timeout seconds (SIGALRM).  */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>
#include "fl_rtt.h"

#define REPLY_TIMEOUT_MS 10000

typedef struct {
    void *socket;
    uint64_t sequence;
    uint8_t *reply;             /* the body's room, size + 1 octets */
} client;

static int
trip (void *arg, const uint8_t *body, size_t size)
{
    client *c = arg;
    uint64_t sequence = ++c->sequence, echoed = 0;
    if (zmq_send (c->socket, &sequence, sizeof sequence, ZMQ_SNDMORE) < 0
    ||  zmq_send (c->socket, body, size, 0) < 0)
        return FL_TRIP_ERROR;
    int n = zmq_recv (c->socket, &echoed, sizeof echoed, 0);
    if (n < 0)
        return errno == EAGAIN ? FL_TRIP_LOST : FL_TRIP_ERROR;
    int more = 0;
    size_t more_size = sizeof more;
    zmq_getsockopt (c->socket, ZMQ_RCVMORE, &more, &more_size);
    if (!more)
        return FL_TRIP_BAD;
    int m = zmq_recv (c->socket, c->reply, size + 1, 0);
    if (m < 0)
        return errno == EAGAIN ? FL_TRIP_LOST : FL_TRIP_ERROR;
    zmq_getsockopt (c->socket, ZMQ_RCVMORE, &more, &more_size);
    while (more) {                              /* frames it should not have: drained */
        zmq_msg_t spare;
        zmq_msg_init (&spare);
        zmq_msg_recv (&spare, c->socket, 0);
        more = zmq_msg_more (&spare);
        zmq_msg_close (&spare);
        m = -1;
    }
    return n == (int) sizeof echoed && echoed == sequence && m == (int) size
        && memcmp (c->reply, body, size) == 0 ? FL_TRIP_OK : FL_TRIP_BAD;
}

static void
usage (FILE *out)
{
    fputs ("Usage: fl-rtt-libzmq --connect ENDPOINT [--size N] [--seconds S] [--warmup S]\n"
           "                     [--timeout S]\n"
           "\n"
           "The baseline client of `zwire bench fl`: one libzmq DEALER making synchronous\n"
           "round trips of [sequence, body] through fl-echo (a libzmq ROUTER echo); one\n"
           "JSON line.  --size 1024, --seconds 2, --warmup 0.5; --timeout: the watchdog (120).\n",
           out);
}

int
main (int argc, char **argv)
{
    const char *endpoint = NULL;
    double size = 1024, seconds = 2, warmup = 0.5, timeout = 120;
    for (int i = 1; i < argc; i++) {
        const char *name = argv[i];
        if (strcmp (name, "--help") == 0 || strcmp (name, "-h") == 0) {
            usage (stdout);
            return 0;
        }
        const char *value = i + 1 < argc ? argv[++i] : NULL;
        if (value && strcmp (name, "--connect") == 0)
            endpoint = value;
        else if (!(value && ((strcmp (name, "--size") == 0 && fl_number (value, 0, 64 << 20, &size))
                          || (strcmp (name, "--seconds") == 0 && fl_number (value, 0.01, 3600, &seconds))
                          || (strcmp (name, "--warmup") == 0 && fl_number (value, 0, 3600, &warmup))
                          || (strcmp (name, "--timeout") == 0 && fl_number (value, 1, 86400, &timeout))))) {
            fprintf (stderr, "fl-rtt-libzmq: bad option or value: %s %s (--help)\n", name,
                     value ? value : "(none)");
            return 3;
        }
    }
    if (!endpoint) {
        fprintf (stderr, "fl-rtt-libzmq: --connect ENDPOINT is needed (--help)\n");
        return 3;
    }
    alarm ((unsigned) timeout);                 /* the watchdog: SIGALRM ends the process */
    void *ctx = zmq_ctx_new ();
    client c = { ctx ? zmq_socket (ctx, ZMQ_DEALER) : NULL, 0, malloc ((size_t) size + 1) };
    int linger = 0, rcvtimeo = REPLY_TIMEOUT_MS;
    if (!c.socket || !c.reply || zmq_setsockopt (c.socket, ZMQ_LINGER, &linger, sizeof linger)
    ||  zmq_setsockopt (c.socket, ZMQ_RCVTIMEO, &rcvtimeo, sizeof rcvtimeo)
    ||  zmq_connect (c.socket, endpoint)) {
        fprintf (stderr, "fl-rtt-libzmq: cannot connect to %s: %s\n", endpoint,
                 zmq_strerror (errno));
        return 1;
    }
    int rc = fl_rtt_run ("fl-rtt-libzmq", "libzmq", (size_t) size, seconds, warmup, trip, &c);
    zmq_close (c.socket);
    zmq_ctx_term (ctx);
    free (c.reply);
    return rc;
}
