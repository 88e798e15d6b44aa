/*  hs_zwire.c — handshakes a second of the zwire reference stack, NULL,
    PLAIN (24/ZMTP-PLAIN) or CURVE (25/ZMTP-CURVE, 26/CurveZMQ): the
    zwire side of `zwire bench security` (hs_common.h says what is
    counted; hs_libzmq.c is the same on libzmq).

      hs-zwire server --mechanism M [--bind EP]        prints "bound ENDPOINT"
      hs-zwire client --connect EP --mechanism M [--size N] [--seconds S] [--warmup S]

    Server: one context, one REP socket, the mechanism's server options
    (ZW_OPT_PLAIN_SERVER; ZW_OPT_CURVE_SECRETKEY and ZW_OPT_CURVE_SERVER),
    for PLAIN and CURVE a ZAP handler (zw_ctx_set_zap_handler) answering
    200 to every request at once, as hs-libzmq's does; the log silenced;
    zw_recv and zw_send of the same message back, 100 ms at a time so
    that SIGTERM is seen.  Client: one context for the whole run; each
    handshake a new REQ socket (ZW_OPT_LINGER 0, the client options:
    PLAIN user name and password; CURVE public, secret and server keys),
    zw_connect, zw_send of the body copied into a new message (it waits
    for the handshake: a REQ has no peer before), zw_recv of the reply,
    zw_close.  */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "zwire.h"
#include "bench_keys.h"
#include "hs_common.h"

static int
set_key (zw_socket *socket, zw_option option, const char *z85)
{
    return zw_socket_set_bytes (socket, option, z85, BENCH_CURVE_KEY_CHARS);
}

static int
set_mechanism (zw_socket *socket, hs_mechanism mechanism, int server)
{
    if (mechanism == HS_PLAIN)
        return server ? zw_socket_set_int (socket, ZW_OPT_PLAIN_SERVER, 1)
             : zw_socket_set_bytes (socket, ZW_OPT_PLAIN_USERNAME, BENCH_PLAIN_USERNAME,
                                    strlen (BENCH_PLAIN_USERNAME))
            || zw_socket_set_bytes (socket, ZW_OPT_PLAIN_PASSWORD, BENCH_PLAIN_PASSWORD,
                                    strlen (BENCH_PLAIN_PASSWORD));
    if (mechanism == HS_CURVE)
        return server ? set_key (socket, ZW_OPT_CURVE_SECRETKEY, BENCH_CURVE_SERVER_SECRET)
                        || zw_socket_set_int (socket, ZW_OPT_CURVE_SERVER, 1)
             : set_key (socket, ZW_OPT_CURVE_PUBLICKEY, BENCH_CURVE_CLIENT_PUBLIC)
            || set_key (socket, ZW_OPT_CURVE_SECRETKEY, BENCH_CURVE_CLIENT_SECRET)
            || set_key (socket, ZW_OPT_CURVE_SERVERKEY, BENCH_CURVE_SERVER_PUBLIC);
    return 0;
}

/*  27/ZAP: every request answered 200 at once: version, the request id
    echoed, status code, status text, user id, metadata.  */
static void
zap_handler (void *arg, zw_zap_call *call, const zw_msg *request)
{
    (void) arg;
    zw_msg *reply = zw_msg_new ();
    if (!reply || request->count < 2 || zw_msg_add_str (reply, "1.0")
    ||  zw_msg_add (reply, request->frames[1].data, request->frames[1].size)
    ||  zw_msg_add_str (reply, "200") || zw_msg_add_str (reply, "OK")
    ||  zw_msg_add (reply, NULL, 0) || zw_msg_add (reply, NULL, 0)) {
        zw_msg_destroy (reply);
        reply = NULL;                           /* refused: the server closes (S5) */
    }
    zw_zap_call_reply (call, reply);
}

static int
serve (const hs_opts *o)
{
    zw_ctx *ctx = zw_ctx_new ();
    if (!ctx) {
        perror ("hs-zwire: zw_ctx_new");
        return 1;
    }
    zw_ctx_set_log (ctx, NULL, NULL);       /* peers leaving are not news */
    if (o->mechanism != HS_NULL)
        zw_ctx_set_zap_handler (ctx, zap_handler, NULL);
    zw_socket *rep = zw_socket_new (ctx, ZW_REP);
    if (!rep || set_mechanism (rep, o->mechanism, 1) || zw_bind (rep, o->endpoint)) {
        fprintf (stderr, "hs-zwire: cannot bind %s: %s\n", o->endpoint, strerror (errno));
        zw_ctx_destroy (ctx);
        return 3;
    }
    hs_server_signals (o);
    hs_announce (zw_socket_last_endpoint (rep));
    int rc = 0;
    while (!hs_stopping) {
        zw_msg *msg;
        if (zw_recv (rep, &msg, 100)) {
            if (errno == EAGAIN || errno == EINTR)
                continue;
            perror ("hs-zwire: zw_recv");
            rc = 1;
            break;
        }
        if (zw_send (rep, msg, 0)) {        /* REP never blocks; the requester may be gone */
            zw_msg_destroy (msg);
            if (errno != EAGAIN) {
                perror ("hs-zwire: zw_send");
                rc = 1;
                break;
            }
        }
    }
    zw_ctx_destroy (ctx);
    return rc;
}

typedef struct {
    const hs_opts *o;
    zw_ctx *ctx;
} client;

static int
once (void *arg, const uint8_t *body, size_t size)
{
    client *c = arg;
    zw_socket *req = zw_socket_new (c->ctx, ZW_REQ);
    zw_msg *msg = zw_msg_new ();
    if (!req || !msg || zw_socket_set_int (req, ZW_OPT_LINGER, 0)
    ||  set_mechanism (req, c->o->mechanism, 0) || zw_connect (req, c->o->endpoint)
    ||  zw_msg_add (msg, body, size)) {
        perror ("hs-zwire: a new REQ socket");
        zw_msg_destroy (msg);
        if (req)
            zw_close (req);
        return HS_ERROR;
    }
    if (zw_send (req, msg, HS_REPLY_TIMEOUT_MS)) {
        int lost = errno == EAGAIN;
        if (!lost)
            perror ("hs-zwire: zw_send");
        zw_msg_destroy (msg);
        zw_close (req);
        return lost ? HS_LOST : HS_ERROR;
    }
    int r = HS_OK;
    if (zw_recv (req, &msg, HS_REPLY_TIMEOUT_MS)) {
        r = errno == EAGAIN ? HS_LOST : HS_ERROR;
        if (r == HS_ERROR)
            perror ("hs-zwire: zw_recv");
    } else {
        if (msg->count != 1 || msg->frames[0].size != size
        ||  (size && memcmp (msg->frames[0].data, body, size) != 0))
            r = HS_BAD;
        zw_msg_destroy (msg);
    }
    zw_close (req);
    return r;
}

int
main (int argc, char **argv)
{
    hs_opts o;
    int parsed = hs_parse (&o, "hs-zwire", argc, argv);
    if (parsed != 1)
        return parsed;
    if (o.server)
        return serve (&o);
    client c = { &o, zw_ctx_new () };
    if (!c.ctx) {
        perror ("hs-zwire: zw_ctx_new");
        return 1;
    }
    zw_ctx_set_log (c.ctx, NULL, NULL);
    int rc = hs_client_run (&o, "zwire", once, &c);
    zw_ctx_destroy (c.ctx);
    return rc;
}
