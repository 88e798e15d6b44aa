/*  zw_socket.c — sockets: options, bind, connect with back-off, the
    blocking send and receive, close with linger (zwire.h).

    Every socket type can bind and connect, several endpoints each
    (zmtp31.socket.bind-and-connect).  A connect returns at once and is
    made, and remade after every loss, while the loop runs
    (zmtp31.socket.async-connect, zmtp31.socket.reconnect): the first retry
    waits reconnect_ivl, each next one twice as long up to
    reconnect_ivl_max, and a completed handshake resets the delay.  A peer
    that sent ERROR is not called again (zmtp31.error.fatal).  */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "zw_socket_internal.h"


static const zw_pattern *const patterns[] = {
    [ZW_PAIR] = &zw_pattern_pair, [ZW_PUB] = &zw_pattern_pub, [ZW_SUB] = &zw_pattern_sub,
    [ZW_REQ] = &zw_pattern_req, [ZW_REP] = &zw_pattern_rep, [ZW_DEALER] = &zw_pattern_dealer,
    [ZW_ROUTER] = &zw_pattern_router, [ZW_PULL] = &zw_pattern_pull, [ZW_PUSH] = &zw_pattern_push,
    [ZW_XPUB] = &zw_pattern_xpub, [ZW_XSUB] = &zw_pattern_xsub,
};

static const zw_socket_options default_options = {
    .sndhwm = 1000, .rcvhwm = 1000, .linger = 1000, .reconnect_ivl = 100,
    .reconnect_ivl_max = 0, .handshake_ivl = 30000, .maxmsgsize = -1, .zmtp_major = 3, .zmtp_minor = 1,
    .sndbatch = 8192, .sndhwm_octets = 4 << 20,
};

zw_socket *
zw_socket_new (zw_ctx *ctx, zw_socket_type type)
{
    if (!ctx || !zw_socket_type_name (type)) {
        errno = EINVAL;
        return NULL;
    }
    zw_socket *socket = calloc (1, sizeof *socket);
    if (!socket) {
        errno = ENOMEM;
        return NULL;
    }
    socket->ctx = ctx;
    socket->type = type;
    socket->pattern = patterns[type];
    socket->options = default_options;
    socket->next_routing_id = (uint32_t) zw_loop_now () * 2654435761u;
    socket->next = ctx->sockets;
    if (ctx->sockets)
        ctx->sockets->prev = socket;
    ctx->sockets = socket;
    return socket;
}

/* --- options ------------------------------------------------------------------------- */

static int64_t *
int_option (zw_socket_options *o, zw_option option)
{
    switch (option) {
    case ZW_OPT_SNDHWM:             return &o->sndhwm;
    case ZW_OPT_RCVHWM:             return &o->rcvhwm;
    case ZW_OPT_LINGER:             return &o->linger;
    case ZW_OPT_RECONNECT_IVL:      return &o->reconnect_ivl;
    case ZW_OPT_RECONNECT_IVL_MAX:  return &o->reconnect_ivl_max;
    case ZW_OPT_HEARTBEAT_IVL:      return &o->heartbeat_ivl;
    case ZW_OPT_HEARTBEAT_TIMEOUT:  return &o->heartbeat_timeout;
    case ZW_OPT_HEARTBEAT_TTL:      return &o->heartbeat_ttl;
    case ZW_OPT_HANDSHAKE_IVL:      return &o->handshake_ivl;
    case ZW_OPT_MAXMSGSIZE:         return &o->maxmsgsize;
    case ZW_OPT_ZMTP_MAJOR:         return &o->zmtp_major;
    case ZW_OPT_ZMTP_MINOR:         return &o->zmtp_minor;
    case ZW_OPT_ROUTER_HANDOVER:    return &o->router_handover;
    case ZW_OPT_SNDBATCH:           return &o->sndbatch;
    case ZW_OPT_SNDHWM_OCTETS:      return &o->sndhwm_octets;
    default:                        return NULL;
    }
}

/* The range each integer option takes. */
static int
int_option_valid (zw_option option, int64_t value)
{
    switch (option) {
    case ZW_OPT_LINGER: case ZW_OPT_RECONNECT_IVL: case ZW_OPT_MAXMSGSIZE:
        return value >= -1 && value <= INT32_MAX;
    case ZW_OPT_ZMTP_MINOR: case ZW_OPT_ROUTER_HANDOVER:
        return value == 0 || value == 1;
    case ZW_OPT_ZMTP_MAJOR:
        return value == 2 || value == 3;
    case ZW_OPT_HEARTBEAT_TTL:
        return value >= 0 && value <= 6553500;      /* 16 bits of tenths of a second */
    default:
        return value >= 0 && value <= INT32_MAX;
    }
}

int
zw_socket_set_int (zw_socket *socket, zw_option option, int64_t value)
{
    if (option >= ZW_OPT_PLAIN_SERVER && option <= ZW_OPT_ZAP_DOMAIN) {
        if (zw_security_set_int (&socket->options.security, option, value) == 0)
            return 0;
        errno = EINVAL;
        return -1;
    }
    int64_t *slot = int_option (&socket->options, option);
    if (!slot || !int_option_valid (option, value)) {
        errno = EINVAL;
        return -1;
    }
    *slot = value;
    return 0;
}

int
zw_socket_set_bytes (zw_socket *socket, zw_option option, const void *value, size_t size)
{
    if (size && !value) {
        errno = EINVAL;
        return -1;
    }
    if (option == ZW_OPT_IDENTITY) {
        /* zmtp31.identity.length, zmtp31.identity.no-leading-zero */
        if (size == 0 || size > ZW_ZMTP_IDENTITY_MAX || ((const uint8_t *) value)[0] == 0) {
            errno = EINVAL;
            return -1;
        }
        memcpy (socket->options.identity, value, size);
        socket->options.identity_size = size;
        return 0;
    }
    if (option >= ZW_OPT_PLAIN_SERVER && option <= ZW_OPT_ZAP_DOMAIN) {
        if (zw_security_set_bytes (&socket->options.security, option, value, size) == 0)
            return 0;
        errno = EINVAL;
        return -1;
    }
    if ((option == ZW_OPT_SUBSCRIBE || option == ZW_OPT_UNSUBSCRIBE)
    &&  (socket->type == ZW_SUB || socket->type == ZW_XSUB)) {
        zw_socket_subscribe (socket, option == ZW_OPT_SUBSCRIBE, value, size);
        return 0;
    }
    errno = EINVAL;
    return -1;
}

int
zw_socket_add_property (zw_socket *socket, const char *name, const void *value, size_t size)
{
    size_t name_size = name ? strlen (name) : 0;
    if (!zw_zmtp_metadata_name_valid (name, name_size) || size > 65535 || (size && !value)
    ||  zw_zmtp_metadata_name_equal (name, name_size, "Socket-Type", 11)
    ||  zw_zmtp_metadata_name_equal (name, name_size, "Identity", 8)) {
        errno = EINVAL;
        return -1;
    }
    zw_socket_options *o = &socket->options;
    size_t room = 1 + name_size + 4 + size;
    uint8_t *grown = realloc (o->properties, o->properties_size + room);
    if (!grown) {
        errno = ENOMEM;
        return -1;
    }
    o->properties = grown;
    o->properties_size += zw_zmtp_metadata_pack (grown + o->properties_size, room, name,
                                                 name_size, value, size);
    return 0;
}

/* --- pipes ------------------------------------------------------------------------------ */

int
zw_socket_attach (zw_socket *socket, zw_conn *conn)
{
    if (socket->closing)
        return 1;
    if (socket->pipe_count == socket->pipe_capacity) {
        size_t capacity = socket->pipe_capacity ? socket->pipe_capacity * 2 : 8;
        zw_conn **pipes = realloc (socket->pipes, capacity * sizeof *pipes);
        if (!pipes)
            return 1;
        socket->pipes = pipes;
        socket->pipe_capacity = capacity;
    }
    socket->pipes[socket->pipe_count++] = conn;
    if (socket->pattern->attach (socket, conn)) {
        socket->pipe_count--;
        return 1;
    }
    return 0;
}

/*  A pipe leaves.  The whole messages it had received stay the
    application's: a connection that ends loses nothing already delivered
    to us (30/PIPELINE: the queue outlives the connection).  A ROUTER's get
    their identity frame now, while it is known.  */
void
zw_socket_detach (zw_socket *socket, zw_conn *conn)
{
    socket->pattern->detach (socket, conn);
    zw_msgq left = { 0 };
    zw_pipe_unqueue_all (conn, &left);
    zw_msg *msg;
    while ((msg = zw_msgq_pop (&left))) {
        if (socket->type == ZW_ROUTER
        &&  zw_msg_prepend (msg, conn->routing_id, conn->routing_id_size)) {
            zw_socket_drop (socket, msg);
            continue;
        }
        zw_msgq_push (&socket->leftover, msg);
    }
    for (size_t i = 0; i < socket->pipe_count; i++)
        if (socket->pipes[i] == conn) {
            memmove (socket->pipes + i, socket->pipes + i + 1,
                     (socket->pipe_count - i - 1) * sizeof *socket->pipes);
            socket->pipe_count--;
            break;
        }
}

/* --- bind ---------------------------------------------------------------------------------- */

static void
on_accept (zw_loop *loop, int fd, unsigned events, void *arg)
{
    zw_listener *listener = arg;
    char peer[ZW_ENDPOINT_TEXT_MAX];
    (void) loop;
    (void) events;
    for (int accepted = 0; accepted < 64; accepted++) {
        int conn_fd = zw_endpoint_accept (fd, peer, sizeof peer);
        if (conn_fd < 0)
            break;
        zw_conn_new (listener->socket, conn_fd, peer, NULL, 0);
    }
}

/* Parses endpoint text; a bad one is logged with the reason and is EINVAL. */
static int
parse_endpoint (zw_socket *socket, const char *text, int for_bind, zw_endpoint *endpoint)
{
    const char *why = NULL;
    if (zw_endpoint_parse (text, for_bind, endpoint, &why) == 0)
        return 0;
    zw_log (socket->ctx, "%s %s: %s", for_bind ? "bind" : "connect", text, why);
    errno = EINVAL;
    return -1;
}

int
zw_bind (zw_socket *socket, const char *endpoint)
{
    zw_endpoint parsed;
    if (parse_endpoint (socket, endpoint, 1, &parsed) < 0)
        return -1;
    int fd = zw_endpoint_listen (&parsed, 128, socket->last_endpoint,
                                 sizeof socket->last_endpoint);
    if (fd < 0)
        return -1;
    zw_listener *listener = calloc (1, sizeof *listener);
    if (!listener) {
        zw_endpoint_close_listener (&parsed, fd);
        errno = ENOMEM;
        return -1;
    }
    listener->endpoint = parsed;
    listener->fd = fd;
    listener->socket = socket;
    listener->next = socket->listeners;
    socket->listeners = listener;
    zw_loop_watch (socket->ctx->loop, listener->fd, ZW_IO_READ, on_accept, listener);
    return 0;
}

const char *
zw_socket_last_endpoint (const zw_socket *socket)
{
    return socket->last_endpoint;
}

/* --- connect ----------------------------------------------------------------------------------- */

static void
attempt (zw_connecter *connecter)
{
    int in_progress = 0;
    int fd = zw_endpoint_connect (&connecter->endpoint, &in_progress);
    if (fd < 0) {
        zw_connecter_lost (connecter, 1);
        return;
    }
    connecter->conn = zw_conn_new (connecter->socket, fd, connecter->endpoint.text, connecter,
                                   in_progress);
}

static void
on_retry (zw_loop *loop, void *arg)
{
    (void) loop;
    attempt (arg);
}

/* The connection of a connecter is gone: try again later, unless told not to. */
void
zw_connecter_lost (zw_connecter *connecter, int retry)
{
    zw_socket *socket = connecter->socket;
    connecter->conn = NULL;
    if (!retry)
        connecter->given_up = 1;
    if (socket->closing || connecter->given_up || socket->options.reconnect_ivl < 0)
        return;
    zw_loop_timer_start (socket->ctx->loop, &connecter->retry, connecter->backoff);
    uint64_t ceiling = (uint64_t) socket->options.reconnect_ivl_max;
    if (ceiling > connecter->backoff)
        connecter->backoff = connecter->backoff * 2 < ceiling ? connecter->backoff * 2 : ceiling;
}

void
zw_connecter_succeeded (zw_connecter *connecter)
{
    connecter->backoff = (uint64_t) connecter->socket->options.reconnect_ivl;
}

int
zw_connect (zw_socket *socket, const char *endpoint)
{
    zw_endpoint parsed;
    if (parse_endpoint (socket, endpoint, 0, &parsed) < 0)
        return -1;
    zw_connecter *connecter = calloc (1, sizeof *connecter);
    if (!connecter) {
        errno = ENOMEM;
        return -1;
    }
    connecter->endpoint = parsed;
    connecter->socket = socket;
    connecter->backoff = socket->options.reconnect_ivl > 0 ? (uint64_t) socket->options.reconnect_ivl : 0;
    zw_timer_init (&connecter->retry, on_retry, connecter);
    connecter->next = socket->connecters;
    socket->connecters = connecter;
    attempt (connecter);
    return 0;
}

/* --- send and receive -------------------------------------------------------------------------- */

typedef struct {
    zw_socket *socket;
    zw_msg *msg;
} sending;

static int
try_send (void *arg)
{
    sending *s = arg;
    return s->socket->pattern->send (s->socket, s->msg);
}

int
zw_send (zw_socket *socket, zw_msg *msg, int timeout_ms)
{
    if (!socket || !msg || msg->count == 0) {
        errno = EINVAL;
        return -1;
    }
    sending s = { socket, msg };
    return zw_ctx_wait (socket->ctx, try_send, &s, timeout_ms);
}

typedef struct {
    zw_socket *socket;
    zw_msg **msg;
} receiving;

static int
try_recv (void *arg)
{
    receiving *r = arg;
    return (*r->msg = r->socket->pattern->recv (r->socket)) ? 0 : -1;
}

int
zw_recv (zw_socket *socket, zw_msg **msg, int timeout_ms)
{
    if (!socket || !msg) {
        errno = EINVAL;
        return -1;
    }
    receiving r = { socket, msg };
    return zw_ctx_wait (socket->ctx, try_recv, &r, timeout_ms);
}

void
zw_socket_stats (const zw_socket *socket, zw_stats *stats)
{
    *stats = socket->stats;
    stats->peers = socket->pipe_count;
    stats->connections = 0;
    for (const zw_conn *conn = socket->conns; conn; conn = conn->next)
        stats->connections += !conn->connecting;
}

/* --- monitor ------------------------------------------------------------------------------------ */

void
zw_socket_set_monitor (zw_socket *socket, zw_monitor_fn *fn, void *arg)
{
    socket->monitor = fn;
    socket->monitor_arg = arg;
}

void
zw_socket_notify (zw_socket *socket, zw_event event, const char *peer)
{
    if (socket->monitor)
        socket->monitor (socket->monitor_arg, event, peer);
}

/* --- close ------------------------------------------------------------------------------------------ */

static int
all_flushed (const zw_socket *socket)
{
    for (const zw_conn *conn = socket->conns; conn; conn = conn->next)
        if (conn->attached && !zw_conn_flushed (conn))
            return 0;
    return 1;
}

static int
try_drain (void *arg)
{
    if (all_flushed (arg))
        return 0;
    errno = EAGAIN;
    return -1;
}

int
zw_flush (zw_socket *socket, int timeout_ms)
{
    if (!socket) {
        errno = EINVAL;
        return -1;
    }
    return zw_ctx_wait (socket->ctx, try_drain, socket, timeout_ms);
}

/*  Lets queued messages go out for up to the linger time.  Whatever is
    still queued after it (a timeout, an error of the loop) is dropped with
    its connections: that is what linger means.  Not inside a callback,
    which must not wait (zwire.h, Model): as with linger 0, each
    connection then writes once as it closes.  */
static void
linger (zw_socket *socket)
{
    if (socket->options.linger != 0 && !socket->ctx->in_callback)
        (void) zw_ctx_wait (socket->ctx, try_drain, socket, (int) socket->options.linger);
}

static void
close_listeners (zw_socket *socket)
{
    while (socket->listeners) {
        zw_listener *listener = socket->listeners;
        socket->listeners = listener->next;
        zw_loop_unwatch (socket->ctx->loop, listener->fd);
        zw_endpoint_close_listener (&listener->endpoint, listener->fd);
        free (listener);
    }
}

static void
free_connecters (zw_socket *socket)
{
    while (socket->connecters) {
        zw_connecter *connecter = socket->connecters;
        socket->connecters = connecter->next;
        zw_loop_timer_stop (socket->ctx->loop, &connecter->retry);
        free (connecter);
    }
}

void
zw_close (zw_socket *socket)
{
    if (!socket)
        return;
    zw_socket_clear_ready (socket);
    close_listeners (socket);
    linger (socket);
    socket->closing = 1;
    while (socket->conns)
        zw_conn_close (socket->conns, "the socket was closed");
    free_connecters (socket);
    zw_ctx *ctx = socket->ctx;
    if (socket->prev)
        socket->prev->next = socket->next;
    else
        ctx->sockets = socket->next;
    if (socket->next)
        socket->next->prev = socket->prev;
    zw_subscriptions_clear (&socket->subscriptions);
    zw_msgq_clear (&socket->pending);
    zw_msgq_clear (&socket->leftover);
    zw_msg_destroy (socket->envelope);
    free (socket->options.properties);
    free (socket->pipes);
    free (socket);
}
