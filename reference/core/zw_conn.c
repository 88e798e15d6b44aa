/*  zw_conn.c — a connection: one fd, one engine, its queues, its timer.

    The connection moves octets between its fd and its engine and carries
    out what the engine decides.  The engine's callbacks reach the socket's
    pattern: the handshake's end attaches the connection as a pipe, each
    whole message and subscription goes to the pattern.

    Lifetime: a connection is freed only by settle () at the end of its own
    I/O, timer or deferred callback (or by zw_conn_close), never from
    inside a pattern's call, so a pattern may walk its pipes and send on
    each without one vanishing under it.  A write error closes the
    connection (it is freed when the loop next turns).

    Progress (the connection's half of the loop's contract, zw_loop.h):
    every call here leaves a connection with work to do either doing it
    or waiting on something that will continue it: output pending is
    watched for writability, input below rcvhwm for readability, the
    engine's deadline is a timer, a batch or a close to settle is a
    deferred call.  So a blocking call that waits on a connection is
    always woken by the callback that changes it.

    Events for the socket's monitor (zw_socket_set_monitor) come from the
    same places: ACCEPTED or CONNECTED when the connection starts its
    engine, READY when it becomes a pipe, and at destroy () DISCONNECTED
    or, for one never attached, HANDSHAKE_FAILED.  A connect that never
    connected is quiet: no event, as no log line.  */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include "zw_auth.h"
#include "zw_fault.h"
#include "zw_socket_internal.h"

#define READ_CHUNK 65536
#define READS_PER_EVENT 16
#define ENGINE_OUTPUT_LOW 262144        /* refill the engine below this */
#define READ_IN_PLACE_MIN 8192          /* a frame body this long is read where it goes */
#define WRITE_PIECES 64                 /* iovec entries in one gathered write */

static void settle (zw_conn *conn);
static void on_io (zw_loop *loop, int fd, unsigned events, void *arg);

/* --- the engine's callbacks ------------------------------------------------------- */

/*  The handshake is over: what it established about the peer goes with
    every message from now on (DECISIONS S8).  */
static int
on_ready (void *user, const zw_peer_info *peer)
{
    zw_conn *conn = user;
    (void) peer;
    const char *mechanism;
    const zw_mech_auth *auth = zw_engine_auth (&conn->engine, &mechanism);
    if (!(conn->auth = zw_auth_record_new (mechanism, auth)))
        return 1;
    if (zw_socket_attach (conn->socket, conn))
        return 1;
    conn->attached = 1;
    if (conn->connecter)
        zw_connecter_succeeded (conn->connecter);
    zw_socket_notify (conn->socket, ZW_EVENT_READY, conn->peer);
    return 0;
}

static void
on_message (void *user, zw_msg *msg)
{
    zw_conn *conn = user;
    msg->auth = zw_auth_record_ref (conn->auth);
    conn->socket->pattern->incoming (conn->socket, conn, msg);
}

static void
on_subscription (void *user, int subscribe, const uint8_t *topic, size_t size)
{
    zw_conn *conn = user;
    if (conn->socket->pattern->subscription)
        conn->socket->pattern->subscription (conn->socket, conn, subscribe, topic, size);
}

/*  27/ZAP: the engine's request goes to the context's handler, when it
    has one (DECISIONS S2); without one the server goes on unchecked, and
    says so once per socket (S5).  */
static int
on_zap_request (void *user, const zw_zap_ask *ask)
{
    zw_conn *conn = user;
    zw_socket *socket = conn->socket;
    int null = strcmp (ask->mechanism, "NULL") == 0;
    if (null && !socket->options.security.zap_domain_size)
        return 0;                   /* NULL asks only with a ZAP domain (DECISIONS S3) */
    if (zw_fault_on (ZW_FAULT_ZAP_SKIPPED))
        return 0;                   /* deliberate fault: the handler is never asked */
    if (!socket->ctx->zap_handler) {
        if (!socket->zap_unchecked_logged++)
            zw_log (socket->ctx, "peer %s: no ZAP handler: %s clients are accepted unchecked "
                    "(DECISIONS S5)", conn->peer, ask->mechanism);
        return 0;
    }
    conn->zap_call = zw_zap_ask_handler (conn, ask);
    return conn->zap_call ? 1 : -1;
}

static const zw_engine_callbacks engine_callbacks = {
    on_ready, on_message, on_subscription, on_zap_request
};

/*  The handler answered (zw_zap.c): the engine goes on, from a deferred
    call or the application's, never from inside this connection's own
    work, so what it queued is written and the connection settled when the
    loop next turns.  */
void
zw_conn_zap_answer (zw_conn *conn, const zw_zap_answer *answer)
{
    conn->zap_call = NULL;
    zw_engine_zap_answer (&conn->engine, answer, zw_loop_now ());
    zw_loop_defer (conn->socket->ctx->loop, &conn->flush);
}

/* --- I/O ----------------------------------------------------------------------------- */

static int
reading_paused (const zw_conn *conn)
{
    int64_t hwm = conn->socket->options.rcvhwm;
    return hwm > 0 && conn->in.count >= (size_t) hwm;
}

/* Asks the loop for what the connection now waits on. */
void
zw_conn_rewatch (zw_conn *conn)
{
    unsigned events = 0;
    if (conn->connecting)
        events = ZW_IO_WRITE;
    else {
        if (!reading_paused (conn) && !zw_engine_closed (&conn->engine))
            events |= ZW_IO_READ;
        if (zw_engine_output_pending (&conn->engine))
            events |= ZW_IO_WRITE;
    }
    if (events != conn->watching) {
        /* Nothing to wait for (reading paused at rcvhwm, nothing to write): leave the
           loop altogether, or a hung-up fd would wake it every turn (EPOLLHUP is
           reported whatever is asked). */
        if (events == 0)
            zw_loop_unwatch (conn->socket->ctx->loop, conn->fd);
        else
            zw_loop_watch (conn->socket->ctx->loop, conn->fd, events, on_io, conn);
        conn->watching = events;
    }
}

/* Moves queued messages into the engine while its output is short. */
static void
refill (zw_conn *conn)
{
    while (zw_engine_output_pending (&conn->engine) < ENGINE_OUTPUT_LOW && conn->out.count
       &&  zw_engine_active (&conn->engine))
        zw_engine_send (&conn->engine, zw_msgq_pop (&conn->out));
}

/*  A write failed for good (the peer reset the connection, say): the
    connection ends now.  Leaving it to the next read would not do: a
    connection whose reading is paused at rcvhwm never reads, and its
    output, stuck, would hold a blocked sender for ever.  */
static void
write_failed (zw_conn *conn, int error)
{
    if (!zw_engine_closed (&conn->engine))
        zw_engine_close (&conn->engine, error == EPIPE || error == ECONNRESET
                                        ? "connection reset by the peer" : "write error");
}

/*  Writes what the engine has queued, as far as the socket takes it.  One
    write a batch: the engine gathers the frames of many messages.  A
    connection found closed at the end (a write error, or memory running
    out in refill) is freed when the loop next turns: this may run in a
    pattern's or the application's call, where it must not be freed, and
    then no I/O or timer callback would settle it.  */
void
zw_conn_write (zw_conn *conn)
{
    if (conn->connecting)
        return;
    for (;;) {
        refill (conn);
        struct iovec iov[WRITE_PIECES];
        struct msghdr gathered = { .msg_iov = iov };
        gathered.msg_iovlen = (size_t) zw_engine_output_iov (&conn->engine, iov, WRITE_PIECES);
        if (gathered.msg_iovlen == 0)
            break;
        /* sendmsg, not writev: a peer gone away is an error value, not SIGPIPE */
        ssize_t n = sendmsg (conn->fd, &gathered, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
            write_failed (conn, errno);
        if (n <= 0)
            break;                  /* EAGAIN: wait for writable */
        zw_engine_output_done (&conn->engine, (size_t) n);
    }
    zw_conn_rewatch (conn);
    if (zw_engine_closed (&conn->engine))
        zw_loop_defer (conn->socket->ctx->loop, &conn->flush);
}

void
zw_conn_send_soon (zw_conn *conn)
{
    if (conn->connecting)
        return;
    refill (conn);
    if (conn->watching & ZW_IO_WRITE)
        return;     /* the socket is full, or a write is due anyway: its writability writes
                       (a write now would most often fail with EAGAIN: a slow reader) */
    if (zw_engine_output_pending (&conn->engine) >= (size_t) conn->socket->options.sndbatch
    &&  !zw_engine_closed (&conn->engine))
        zw_conn_write (conn);
    else    /* a batch to gather, or an engine closed in refill (out of memory) to free */
        zw_loop_defer (conn->socket->ctx->loop, &conn->flush);
}

/* The loop turns: write what gathered, and free the connection if it closed. */
static void
flush_deferred (void *arg)
{
    zw_conn *conn = arg;
    zw_conn_write (conn);
    settle (conn);
}

/*  Reads go to a chunk on the stack, whence the engine copies frames into
    their messages; but the rest of a large frame body is read straight
    into its message, and so copied once only, by the kernel.  */
static void
read_some (zw_conn *conn)
{
    uint8_t chunk[READ_CHUNK];
    for (int reads = 0; reads < READS_PER_EVENT; reads++) {
        if (zw_engine_closed (&conn->engine) || reading_paused (conn))
            return;
        size_t room;
        uint8_t *into = zw_engine_input_space (&conn->engine, &room);
        if (!into || room < READ_IN_PLACE_MIN) {
            into = chunk;
            room = sizeof chunk;
        }
        ssize_t n = read (conn->fd, into, room);
        if (n > 0)
            zw_engine_push (&conn->engine, into, (size_t) n, zw_loop_now ());
        else if (n == 0)
            zw_engine_eof (&conn->engine);
        else if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
            return;
        else
            zw_engine_close (&conn->engine, errno == ECONNRESET ? "connection reset by the peer"
                                                                 : "read error");
        if (n <= 0)
            return;
    }
}

static void
start_engine (zw_conn *conn)
{
    const zw_socket_options *o = &conn->socket->options;
    zw_engine_options options = {
        .socket_type = conn->socket->type,
        .major = o->zmtp_major == 2 ? 2 : 3,
        .minor = o->zmtp_minor ? 1 : 0,
        .identity_size = (uint8_t) o->identity_size,
        .max_msg_size = o->maxmsgsize > 0 ? (uint64_t) o->maxmsgsize : 0,
        .handshake_ivl = (uint32_t) o->handshake_ivl,
        .heartbeat_ivl = (uint32_t) o->heartbeat_ivl,
        .heartbeat_timeout = (uint32_t) (o->heartbeat_timeout > 0 ? o->heartbeat_timeout
                                                                  : o->heartbeat_ivl),
        .heartbeat_ttl = (uint32_t) o->heartbeat_ttl,
        .properties = o->properties,
        .properties_size = o->properties_size,
        .mechanism = zw_socket_mechanism (conn->socket),   /* DECISIONS S1 */
    };
    memcpy (options.identity, o->identity, o->identity_size);
    zw_engine_init (&conn->engine, &options, &engine_callbacks, conn, zw_loop_now ());
    zw_conn_write (conn);
}

/* The connect finished: start the ZMTP engine, or give the attempt up. */
static void
finish_connect (zw_conn *conn)
{
    int error = zw_endpoint_connect_result (conn->fd);
    if (error == ENOTCONN)
        return;                     /* not yet */
    conn->connecting = 0;
    if (error) {
        zw_log (conn->socket->ctx, "peer %s: connect failed: %s", conn->peer, strerror (error));
        conn->quiet = 1;            /* never a connection: nothing more to log or count */
        zw_engine_init (&conn->engine, &(zw_engine_options) { .socket_type = conn->socket->type },
                        NULL, NULL, zw_loop_now ());
        zw_engine_close (&conn->engine, "connect failed");
        return;
    }
    zw_socket_notify (conn->socket, ZW_EVENT_CONNECTED, conn->peer);
    start_engine (conn);
}

static void
on_io (zw_loop *loop, int fd, unsigned events, void *arg)
{
    zw_conn *conn = arg;
    (void) loop;
    (void) fd;
    if (conn->connecting)
        finish_connect (conn);
    else {
        if (events & (ZW_IO_READ | ZW_IO_ERROR))
            read_some (conn);
        /* An error reaches a connection whose reading is paused only here. */
        if (events & (ZW_IO_WRITE | ZW_IO_ERROR))
            zw_conn_write (conn);
    }
    settle (conn);
}

static void
on_timer (zw_loop *loop, void *arg)
{
    zw_conn *conn = arg;
    (void) loop;
    zw_engine_tick (&conn->engine, zw_loop_now ());
    settle (conn);
}

/* --- life and death --------------------------------------------------------------------- */

static void
log_close (zw_conn *conn)
{
    const zw_error *violation = zw_engine_violation (&conn->engine);
    const char *unqueued = zw_engine_queue_failure (&conn->engine);
    zw_ctx *ctx = conn->socket->ctx;
    if (unqueued)       /* after a violation too: its ERROR, say, could not go out */
        zw_log (ctx, "peer %s: could not queue %s: the connection closes", conn->peer, unqueued);
    if (violation)
        zw_log (ctx, "peer %s: closed: %s [%s] %s (at offset %llu)", conn->peer,
                zw_error_class_name (violation->code), violation->clause ? violation->clause : "-",
                violation->reason ? violation->reason : "", (unsigned long long) violation->offset);
    else if (zw_engine_peer_sent_error (&conn->engine))
        zw_log (ctx, "peer %s: closed: the peer sent ERROR \"%s\" [zmtp31.error.fatal]",
                conn->peer, conn->engine.peer_error);
    else
        zw_log (ctx, "peer %s: closed: %s", conn->peer, zw_engine_close_reason (&conn->engine));
}

static void
unlink_conn (zw_conn *conn)
{
    zw_socket *socket = conn->socket;
    if (conn->prev)
        conn->prev->next = conn->next;
    else
        socket->conns = conn->next;
    if (conn->next)
        conn->next->prev = conn->prev;
}

/*  Frees a closed connection after one last try to write what is queued
    (an ERROR command, say), and tells its connecter.  */
static void
destroy (zw_conn *conn)
{
    zw_socket *socket = conn->socket;
    if (!conn->quiet)
        zw_conn_write (conn);
    if (!conn->quiet) {
        log_close (conn);
        socket->stats.closed++;
        if (zw_engine_violation (&conn->engine))
            socket->stats.errors++;
        zw_socket_notify (socket, conn->attached ? ZW_EVENT_DISCONNECTED
                                                 : ZW_EVENT_HANDSHAKE_FAILED, conn->peer);
    }
    if (conn->attached)
        zw_socket_detach (socket, conn);
    zw_loop_timer_stop (socket->ctx->loop, &conn->timer);
    zw_loop_cancel (socket->ctx->loop, &conn->flush);
    zw_loop_unwatch (socket->ctx->loop, conn->fd);
    close (conn->fd);
    unlink_conn (conn);
    if (conn->connecter)
        zw_connecter_lost (conn->connecter, !zw_engine_peer_sent_error (&conn->engine));
    zw_engine_fini (&conn->engine);
    zw_zap_forget (conn->zap_call);
    zw_auth_record_release (conn->auth);
    zw_msgq_clear (&conn->in);
    zw_msgq_clear (&conn->out);
    zw_subscriptions_clear (&conn->subscriptions);
    free (conn);
}

/* After anything happened: free the connection if it closed, else re-arm its timer. */
static void
settle (zw_conn *conn)
{
    if (!conn->connecting && zw_engine_closed (&conn->engine)) {
        destroy (conn);
        return;
    }
    zw_conn_rewatch (conn);
    uint64_t deadline = conn->connecting ? UINT64_MAX : zw_engine_deadline (&conn->engine);
    zw_loop *loop = conn->socket->ctx->loop;
    if (deadline == UINT64_MAX)
        zw_loop_timer_stop (loop, &conn->timer);
    else {
        uint64_t now = zw_loop_now ();
        zw_loop_timer_start (loop, &conn->timer, deadline > now ? deadline - now : 0);
    }
}

zw_conn *
zw_conn_new (zw_socket *socket, int fd, const char *peer, zw_connecter *connecter,
             int connecting)
{
    zw_conn *conn = calloc (1, sizeof *conn);
    if (!conn) {
        close (fd);
        return NULL;
    }
    conn->socket = socket;
    conn->fd = fd;
    snprintf (conn->peer, sizeof conn->peer, "%s", peer);
    conn->connecter = connecter;
    conn->connecting = connecting;
    zw_timer_init (&conn->timer, on_timer, conn);
    zw_deferred_init (&conn->flush, flush_deferred, conn);
    conn->next = socket->conns;
    if (socket->conns)
        socket->conns->prev = conn;
    socket->conns = conn;
    if (connecting)
        zw_conn_rewatch (conn);
    else {
        zw_socket_notify (socket, connecter ? ZW_EVENT_CONNECTED : ZW_EVENT_ACCEPTED, conn->peer);
        start_engine (conn);
    }
    settle (conn);
    return conn;
}

int
zw_conn_flushed (const zw_conn *conn)
{
    if (conn->connecting)
        return 1;
    return zw_engine_output_pending (&conn->engine) == 0 && conn->out.count == 0;
}

void
zw_conn_close (zw_conn *conn, const char *reason)
{
    if (!conn->connecting)
        zw_engine_close (&conn->engine, reason);
    else {
        conn->connecting = 0;
        conn->quiet = 1;
        zw_engine_init (&conn->engine, &(zw_engine_options) { .socket_type = conn->socket->type },
                        NULL, NULL, zw_loop_now ());
        zw_engine_close (&conn->engine, reason);
    }
    destroy (conn);
}
