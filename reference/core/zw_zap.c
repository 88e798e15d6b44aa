/*  zw_zap.c — the context's ZAP handler (27/ZAP, DECISIONS S2..S5): the
    requests a server's engines make, handed to the application's handler
    as RFC 27 request messages, and its RFC 27 replies handed back to the
    engines as answers.

    A request is never handed over from inside the engine's call that
    made it: it is a deferred call of the loop, so the handler runs
    between the loop's pieces of work, as a timer does (zwire.h, Model),
    and may answer at once (zw_zap_reply inside the handler) or later.
    Each call is on the context's list until it is answered, and knows its
    connection until that goes (zw_zap_forget): an answer for a
    connection that has gone is dropped, and calls left unanswered die
    with the context.  */

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "zw_socket_internal.h"

struct zw_zap_call {
    zw_ctx *ctx;
    zw_zap_call *prev, *next;       /* the context's unanswered calls */
    zw_conn *conn;                  /* NULL once the connection has gone */
    zw_deferred dispatch;           /* hands the request to the handler */
    zw_msg *request;
    char request_id[24];
};

void
zw_ctx_set_zap_handler (zw_ctx *ctx, zw_zap_handler_fn *fn, void *arg)
{
    ctx->zap_handler = fn;
    ctx->zap_handler_arg = arg;
}

/*  27/ZAP: "the origin network IP address ... an IPv4 dotted string, or an
    IPv6 canonical string representation" (zap.request.address); empty
    for a transport with none (ipc, DECISIONS S3).  */
static void
peer_address (int fd, char *text, size_t cap)
{
    struct sockaddr_storage address;
    socklen_t size = sizeof address;
    text[0] = 0;
    if (getpeername (fd, (struct sockaddr *) &address, &size))
        return;
    if (address.ss_family == AF_INET)
        inet_ntop (AF_INET, &((struct sockaddr_in *) &address)->sin_addr, text, (socklen_t) cap);
    else if (address.ss_family == AF_INET6)
        inet_ntop (AF_INET6, &((struct sockaddr_in6 *) &address)->sin6_addr, text,
                   (socklen_t) cap);
}

/* The domain: the socket's, else "global" (zap.request.domain: never empty, S3). */
static int
add_domain (zw_msg *request, const zw_security_options *security)
{
    if (security->zap_domain_size)
        return zw_msg_add (request, security->zap_domain, security->zap_domain_size);
    return zw_msg_add_str (request, "global");
}

/*  The request, frame by frame as a REP handler receives it
    (zap.request.frames): version, request id, domain, address,
    identity, mechanism, credentials.  */
static zw_msg *
make_request (zw_zap_call *call, const zw_zap_ask *ask)
{
    char address[INET6_ADDRSTRLEN] = "";
    peer_address (call->conn->fd, address, sizeof address);
    zw_msg *request = zw_msg_new ();
    int failed = !request
              || zw_msg_add_str (request, "1.0")                        /* zap.request.version */
              || zw_msg_add_str (request, call->request_id)
              || add_domain (request, &call->conn->socket->options.security)
              || zw_msg_add_str (request, address)
              || zw_msg_add (request, ask->identity, ask->identity_size) /* zap.request.identity */
              || zw_msg_add_str (request, ask->mechanism);              /* zap.request.mechanism */
    for (int i = 0; !failed && i < ask->count; i++)
        failed = zw_msg_add (request, ask->credentials[i].iov_base, ask->credentials[i].iov_len);
    if (failed) {
        zw_msg_destroy (request);
        return NULL;
    }
    return request;
}

static void
unlink_call (zw_zap_call *call)
{
    zw_ctx *ctx = call->ctx;
    if (call->prev)
        call->prev->next = call->next;
    else
        ctx->zap_calls = call->next;
    if (call->next)
        call->next->prev = call->prev;
    call->prev = call->next = NULL;
}

static void
free_call (zw_zap_call *call)
{
    zw_loop_cancel (call->ctx->loop, &call->dispatch);
    unlink_call (call);
    zw_msg_destroy (call->request);
    free (call);
}

/* The loop turns: the handler gets the request (it may answer in the call). */
static void
dispatch (void *arg)
{
    zw_zap_call *call = arg;
    zw_ctx *ctx = call->ctx;
    if (!ctx->zap_handler) {            /* removed since the request was made */
        zw_zap_answer_broken (call, "the ZAP handler was removed");
        return;
    }
    ctx->in_callback++;
    ctx->zap_handler (ctx->zap_handler_arg, call, call->request);
    ctx->in_callback--;
}

zw_zap_call *
zw_zap_ask_handler (zw_conn *conn, const zw_zap_ask *ask)
{
    zw_ctx *ctx = conn->socket->ctx;
    zw_zap_call *call = calloc (1, sizeof *call);
    if (!call)
        return NULL;
    call->ctx = ctx;
    call->conn = conn;
    snprintf (call->request_id, sizeof call->request_id, "%" PRIu64, ++ctx->zap_requests);
    if (!(call->request = make_request (call, ask))) {
        free (call);
        return NULL;
    }
    call->next = ctx->zap_calls;
    if (ctx->zap_calls)
        ctx->zap_calls->prev = call;
    ctx->zap_calls = call;
    zw_deferred_init (&call->dispatch, dispatch, call);
    zw_loop_defer (ctx->loop, &call->dispatch);
    return call;
}

void
zw_zap_forget (zw_zap_call *call)
{
    if (call)
        call->conn = NULL;
}

void
zw_zap_free_all (zw_ctx *ctx)
{
    while (ctx->zap_calls)
        free_call (ctx->zap_calls);
}

/* Hands the answer to the call's connection, if it is still there, and frees the call. */
static void
answer (zw_zap_call *call, const zw_zap_answer *answer)
{
    zw_conn *conn = call->conn;
    free_call (call);
    if (conn)
        zw_conn_zap_answer (conn, answer);
}

void
zw_zap_answer_broken (zw_zap_call *call, const char *why)
{
    if (call->conn)
        zw_log (call->ctx, "peer %s: ZAP: %s: handled as 500 (DECISIONS S5)", call->conn->peer,
                why);
    answer (call, &(zw_zap_answer) { 500, why, NULL, 0 });
}

static int
frame_is (const zw_frame *frame, const char *text)
{
    size_t n = strlen (text);
    return frame->size == n && memcmp (frame->data, text, n) == 0;
}

int
zw_zap_reply (zw_zap_call *call, zw_msg *reply)
{
    if (!call) {
        errno = EINVAL;
        zw_msg_destroy (reply);
        return -1;
    }
    /* version, request id, status code, status text, user id, metadata */
    static const char *const statuses[] = { "200", "300", "400", "500" };
    char text[256] = "";
    int status = 0;
    if (reply && reply->count == 6 && frame_is (&reply->frames[0], "1.0")
    &&  frame_is (&reply->frames[1], call->request_id))
        for (int i = 0; i < 4; i++)
            if (frame_is (&reply->frames[2], statuses[i]))
                status = 200 + 100 * i;
    if (!status) {
        zw_zap_answer_broken (call, "the handler's reply is malformed");
        zw_msg_destroy (reply);
        return 0;
    }
    size_t n = reply->frames[3].size < 255 ? reply->frames[3].size : 255;
    memcpy (text, reply->frames[3].data, n);
    text[n] = 0;
    answer (call, &(zw_zap_answer) { status, text, reply->frames[4].data, reply->frames[4].size });
    zw_msg_destroy (reply);
    return 0;
}
