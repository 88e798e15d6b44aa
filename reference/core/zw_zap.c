/*  zw_zap.c — the context's ZAP handler (27/ZAP, DECISIONS S2..S5): the
    requests a server's engines make, handed to the application's handler
    as RFC 27 request messages, and its RFC 27 replies handed back to the
    engines as answers.

    A request is never handed over from inside the engine's call that
    made it: it is a deferred call of the loop, so the handler runs
    between the loop's pieces of work, as a timer does (zwire.h, Model),
    and may answer at once (zw_zap_call_reply inside the handler) or later.
    Both messages go through the ZAP codec (codec/zap_message.h): the
    request is packed by it, the reply decoded and judged by it.  Each
    call is on the context's list until it is answered, and knows its
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
#include "zap_message.h"
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
    IPv6 canonical string representation" (zap.request.address), in the
    ZAP codec's canonical form; empty for a transport with none (ipc,
    DECISIONS S3).  */
static void
peer_address (int fd, char text[ZW_ZAP_ADDRESS_TEXT_MAX])
{
    struct sockaddr_storage address;
    socklen_t size = sizeof address;
    text[0] = 0;
    if (getpeername (fd, (struct sockaddr *) &address, &size))
        return;
    if (address.ss_family == AF_INET)
        zw_zap_address_format (text, (const uint8_t *) &((struct sockaddr_in *) &address)->sin_addr,
                               4);
    else if (address.ss_family == AF_INET6)
        zw_zap_address_format (text,
                               (const uint8_t *) &((struct sockaddr_in6 *) &address)->sin6_addr,
                               16);
}

/* At most max frame views of msg; returns how many. */
static size_t
views_of (const zw_msg *msg, zw_zap_frame *views, size_t max)
{
    size_t n = msg->count < max ? msg->count : max;
    for (size_t i = 0; i < n; i++)
        views[i] = (zw_zap_frame) { msg->frames[i].data, msg->frames[i].size };
    return n;
}

/*  The request, frame by frame as a REP handler receives it, by the ZAP
    codec (zap.request.frames): version, request id, domain ("global"
    unless the socket has one, S3), address, identity, mechanism,
    credentials.  */
static zw_msg *
make_request (zw_zap_call *call, const zw_zap_ask *ask)
{
    const zw_security_options *security = &call->conn->socket->options.security;
    char address[ZW_ZAP_ADDRESS_TEXT_MAX];
    peer_address (call->conn->fd, address);
    zw_zap_frame credentials[ZW_ZAP_CREDENTIALS_MAX], frames[ZW_ZAP_REQUEST_HEAD + ZW_ZAP_CREDENTIALS_MAX];
    for (int i = 0; i < ask->count && i < ZW_ZAP_CREDENTIALS_MAX; i++)
        credentials[i] = (zw_zap_frame) { ask->credentials[i].iov_base, ask->credentials[i].iov_len };
    zw_zap_request request = {
        .request_id = zw_zap_text (call->request_id),
        .domain = security->zap_domain_size ? (zw_zap_frame) { security->zap_domain,
                                                                security->zap_domain_size }
                                            : zw_zap_text ("global"),
        .address = zw_zap_text (address[0] ? address : "::"),   /* replaced below for ipc */
        .identity = { ask->identity, ask->identity_size },
        .mechanism = zw_zap_text (ask->mechanism),
        .credentials = credentials,
        .credential_count = (size_t) ask->count,
    };
    zw_error error = { 0 };
    size_t count = zw_zap_request_pack (&request, ZW_ZAP_ENVELOPE_NONE, frames,
                                        sizeof frames / sizeof frames[0], &error);
    if (count == 0) {
        zw_log (call->ctx, "peer %s: ZAP: could not make the request: %s [%s]", call->conn->peer,
                zw_error_class_name (error.code), error.clause ? error.clause : "-");
        return NULL;
    }
    if (!address[0])
        frames[2] = zw_zap_text ("");   /* ipc: no IP address to give (DECISIONS S3) */
    zw_msg *message = zw_msg_new ();
    for (size_t i = 0; message && i < count; i++)
        if (zw_msg_add (message, frames[i].data, frames[i].size)) {
            zw_msg_destroy (message);
            return NULL;
        }
    return message;
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

/*  The handler's reply, judged by the ZAP codec (zap.reply.*) and against
    its request (zap.reply.request-id-echo): a reply it refuses is a broken
    handler's (DECISIONS S5).  */
int
zw_zap_call_reply (zw_zap_call *call, zw_msg *reply)
{
    if (!call) {
        errno = EINVAL;
        zw_msg_destroy (reply);
        return -1;
    }
    zw_zap_frame frames[ZW_ZAP_REPLY_FRAMES + 1];
    zw_zap_reply decoded;
    zw_error error = { 0 };
    size_t count = reply ? views_of (reply, frames, sizeof frames / sizeof frames[0]) : 0;
    char why[160];
    if (!zw_zap_reply_decode (frames, count, ZW_ZAP_ENVELOPE_NONE, &decoded, &error)) {
        snprintf (why, sizeof why, "the handler's reply is malformed: %s [%s] at frame %llu",
                  zw_error_class_name (error.code), error.clause ? error.clause : "-",
                  (unsigned long long) error.offset);
        zw_zap_answer_broken (call, why);
    }
    else if (decoded.request_id.size != strlen (call->request_id)
         ||  memcmp (decoded.request_id.data, call->request_id, decoded.request_id.size) != 0)
        zw_zap_answer_broken (call, "the handler's reply answers another request "
                                    "[zap.reply.request-id-echo]");
    else {
        char text[ZW_ZAP_STRING_MAX + 1];
        if (decoded.status_text.size)   /* an empty frame's data may be NULL */
            memcpy (text, decoded.status_text.data, decoded.status_text.size);
        text[decoded.status_text.size] = 0;
        zw_zap_answer answered = { (int) decoded.status, text, decoded.user_id.data,
                                   decoded.user_id.size };
        answer (call, &answered);
    }
    zw_msg_destroy (reply);
    return 0;
}
