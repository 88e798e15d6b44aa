/*  hs_libzmq.c — handshakes a second of libzmq (4.3), NULL, PLAIN or
    CURVE: the baseline of `zwire bench security` (hs_common.h says what
    is counted; hs_zwire.c is the same on the reference stack).

      hs-libzmq server --mechanism M [--bind EP]        prints "bound ENDPOINT"
      hs-libzmq client --connect EP --mechanism M [--size N] [--seconds S] [--warmup S]

    Server: one context (libzmq's application thread and one I/O thread),
    one REP socket, the mechanism's server options (ZMQ_PLAIN_SERVER;
    ZMQ_CURVE_SECRETKEY and ZMQ_CURVE_SERVER); for PLAIN and CURVE a ZAP
    handler thread (a REP socket bound to inproc://zeromq.zap.01, as
    libzmq's own tests and CZMQ's zauth have it) answering 200 to every
    request: libzmq 4.3 refuses every PLAIN client without one;
    zmq_msg_recv and zmq_msg_send of the same message back (no copy),
    until SIGTERM (EINTR, or a 100 ms receive time-out).  Client: one context for the whole run; each handshake a
    new REQ socket (ZMQ_LINGER 0, ZMQ_RCVTIMEO and ZMQ_SNDTIMEO 10 s, the
    client options: PLAIN user name and password; CURVE public, secret
    and server keys), zmq_connect, zmq_send of the body (libzmq copies it
    into a message; the send is queued until the handshake is done, the
    receive waits for it), zmq_recv of the reply, zmq_close (the
    connection is torn down by the I/O thread, after the call returns).  */

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>
#include "bench_keys.h"
#include "hs_common.h"

static int
set_int (void *socket, int option, int value)
{
    return zmq_setsockopt (socket, option, &value, sizeof value);
}

static int
set_text (void *socket, int option, const char *text)
{
    return zmq_setsockopt (socket, option, text, strlen (text));
}

static int
set_mechanism (void *socket, hs_mechanism mechanism, int server)
{
    if (mechanism == HS_PLAIN)
        return server ? set_int (socket, ZMQ_PLAIN_SERVER, 1)
             : set_text (socket, ZMQ_PLAIN_USERNAME, BENCH_PLAIN_USERNAME)
            || set_text (socket, ZMQ_PLAIN_PASSWORD, BENCH_PLAIN_PASSWORD);
    if (mechanism == HS_CURVE)
        return server ? set_text (socket, ZMQ_CURVE_SECRETKEY, BENCH_CURVE_SERVER_SECRET)
                        || set_int (socket, ZMQ_CURVE_SERVER, 1)
             : set_text (socket, ZMQ_CURVE_PUBLICKEY, BENCH_CURVE_CLIENT_PUBLIC)
            || set_text (socket, ZMQ_CURVE_SECRETKEY, BENCH_CURVE_CLIENT_SECRET)
            || set_text (socket, ZMQ_CURVE_SERVERKEY, BENCH_CURVE_SERVER_PUBLIC);
    return 0;
}

/*  27/ZAP: every request answered 200, until the context is shut down.
    The request: version, request id, domain, address, identity,
    mechanism, credentials; the reply: version, request id, status code,
    status text, user id, metadata.  */
static void *
zap_handler (void *arg)
{
    void *handler = arg;
    for (;;) {
        zmq_msg_t frames[8];
        int count = 0, more = 1;
        while (more) {
            zmq_msg_t *frame = &frames[count < 8 ? count : 7];
            if (count >= 8)
                zmq_msg_close (frame);           /* more than a request has: the last kept */
            zmq_msg_init (frame);
            if (zmq_msg_recv (frame, handler, 0) < 0) {
                for (int i = 0; i <= (count < 8 ? count : 7); i++)
                    zmq_msg_close (&frames[i]);
                zmq_close (handler);            /* ETERM: the server is stopping */
                return NULL;
            }
            more = zmq_msg_more (frame);
            count += count < 8;
        }
        if (count >= 2) {
            zmq_send (handler, "1.0", 3, ZMQ_SNDMORE);
            zmq_msg_send (&frames[1], handler, ZMQ_SNDMORE);    /* the request id */
            zmq_send (handler, "200", 3, ZMQ_SNDMORE);
            zmq_send (handler, "OK", 2, ZMQ_SNDMORE);
            zmq_send (handler, "", 0, ZMQ_SNDMORE);
            zmq_send (handler, "", 0, 0);
        }
        for (int i = 0; i < count; i++)
            zmq_msg_close (&frames[i]);
    }
}

static int
serve (const hs_opts *o)
{
    void *ctx = zmq_ctx_new ();
    void *handler = NULL;
    pthread_t zap_thread;
    if (ctx && o->mechanism != HS_NULL) {
        handler = zmq_socket (ctx, ZMQ_REP);
        if (!handler || set_int (handler, ZMQ_LINGER, 0)
        ||  zmq_bind (handler, "inproc://zeromq.zap.01")
        ||  pthread_create (&zap_thread, NULL, zap_handler, handler) != 0) {
            fprintf (stderr, "hs-libzmq: cannot start the ZAP handler: %s\n",
                     zmq_strerror (errno));
            return 1;
        }
    }
    void *rep = ctx ? zmq_socket (ctx, ZMQ_REP) : NULL;
    char bound[256];
    size_t bound_size = sizeof bound;
    if (!rep || set_int (rep, ZMQ_LINGER, 0) || set_int (rep, ZMQ_RCVTIMEO, 100)
    ||  set_mechanism (rep, o->mechanism, 1) || zmq_bind (rep, o->endpoint)
    ||  zmq_getsockopt (rep, ZMQ_LAST_ENDPOINT, bound, &bound_size)) {
        fprintf (stderr, "hs-libzmq: cannot bind %s: %s\n", o->endpoint, zmq_strerror (errno));
        if (rep)
            zmq_close (rep);
        return 3;                               /* exit: no need to stop the ZAP thread */
    }
    hs_server_signals (o);
    hs_announce (bound);
    int rc = 0;
    zmq_msg_t msg;
    zmq_msg_init (&msg);
    while (!hs_stopping) {
        if (zmq_msg_recv (&msg, rep, 0) < 0) {
            if (errno == EAGAIN || errno == EINTR)
                continue;
            fprintf (stderr, "hs-libzmq: zmq_msg_recv: %s\n", zmq_strerror (errno));
            rc = 1;
            break;
        }
        if (zmq_msg_send (&msg, rep, 0) < 0 && errno != EINTR) {
            fprintf (stderr, "hs-libzmq: zmq_msg_send: %s\n", zmq_strerror (errno));
            rc = 1;
            break;
        }
    }
    zmq_msg_close (&msg);
    zmq_close (rep);
    zmq_ctx_shutdown (ctx);                     /* the ZAP handler's receive: ETERM */
    if (handler)
        pthread_join (zap_thread, NULL);
    zmq_ctx_term (ctx);
    return rc;
}

typedef struct {
    const hs_opts *o;
    void *ctx;
    uint8_t *reply;             /* the body's room, size + 1 octets */
} client;

static int
once (void *arg, const uint8_t *body, size_t size)
{
    client *c = arg;
    void *req = zmq_socket (c->ctx, ZMQ_REQ);
    if (!req || set_int (req, ZMQ_LINGER, 0) || set_int (req, ZMQ_RCVTIMEO, HS_REPLY_TIMEOUT_MS)
    ||  set_int (req, ZMQ_SNDTIMEO, HS_REPLY_TIMEOUT_MS)
    ||  set_mechanism (req, c->o->mechanism, 0) || zmq_connect (req, c->o->endpoint)) {
        fprintf (stderr, "hs-libzmq: a new REQ socket: %s\n", zmq_strerror (errno));
        if (req)
            zmq_close (req);
        return HS_ERROR;
    }
    int r = HS_OK;
    if (zmq_send (req, body, size, 0) < 0) {
        r = errno == EAGAIN ? HS_LOST : HS_ERROR;
        if (r == HS_ERROR)
            fprintf (stderr, "hs-libzmq: zmq_send: %s\n", zmq_strerror (errno));
    } else {
        int n = zmq_recv (req, c->reply, size + 1, 0);
        if (n < 0) {
            r = errno == EAGAIN ? HS_LOST : HS_ERROR;
            if (r == HS_ERROR)
                fprintf (stderr, "hs-libzmq: zmq_recv: %s\n", zmq_strerror (errno));
        } else if ((size_t) n != size || (size && memcmp (c->reply, body, size) != 0))
            r = HS_BAD;
    }
    zmq_close (req);
    return r;
}

int
main (int argc, char **argv)
{
    hs_opts o;
    int parsed = hs_parse (&o, "hs-libzmq", argc, argv);
    if (parsed != 1)
        return parsed;
    if (o.server)
        return serve (&o);
    client c = { &o, zmq_ctx_new (), malloc (o.size + 1) };
    if (!c.ctx || !c.reply) {
        fprintf (stderr, "hs-libzmq: zmq_ctx_new: %s\n", zmq_strerror (errno));
        free (c.reply);
        return 1;
    }
    int rc = hs_client_run (&o, "libzmq", once, &c);
    zmq_ctx_term (c.ctx);
    free (c.reply);
    return rc;
}
