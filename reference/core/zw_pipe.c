/*  zw_pipe.c — pipes: the attached connections of a socket, with the
    queueing rules every pattern shares.

    Load balancing takes writable pipes in turn (round robin) and fair
    queueing takes pipes with input in turn, so no peer is starved and none
    is favoured (zmtp31.socket.reqrep-semantics, zmtp31.socket.pipeline-semantics).
    Messages queue whole and in order (zmtp31.socket.atomic,
    zmtp31.socket.in-order).

    Fair queueing costs O(1) a message however many pipes there are: the
    pipes with input wait in a ring (ready_head .. ready_tail); a receive
    takes one message from the first and sends it to the back if it has
    more.  A pipe emptied otherwise (REQ takes from its partner) leaves
    the ring when it reaches the front.  */

#include <errno.h>
#include <stdlib.h>
#include "zw_socket_internal.h"

void
zw_msgq_push (zw_msgq *q, zw_msg *msg)
{
    msg->next = NULL;
    if (q->tail)
        q->tail->next = msg;
    else
        q->head = msg;
    q->tail = msg;
    q->count++;
    q->octets += msg->total;
}

zw_msg *
zw_msgq_pop (zw_msgq *q)
{
    zw_msg *msg = q->head;
    if (!msg)
        return NULL;
    q->head = msg->next;
    if (!q->head)
        q->tail = NULL;
    q->count--;
    q->octets -= msg->total;
    msg->next = NULL;
    return msg;
}

void
zw_msgq_clear (zw_msgq *q)
{
    zw_msg *msg;
    while ((msg = zw_msgq_pop (q)))
        zw_msg_destroy (msg);
}

/*  Both bounds apply, 0 switching either off.  The octets count what the
    engine holds too: it takes messages from the queue as soon as its
    output runs short, so the queue alone would stay small while the
    engine's output grew.  */
int
zw_pipe_writable (const zw_conn *pipe)
{
    const zw_socket_options *o = &pipe->socket->options;
    if (o->sndhwm > 0 && pipe->out.count >= (uint64_t) o->sndhwm)
        return 0;
    uint64_t octets = pipe->out.octets + zw_engine_output_pending (&pipe->engine);
    return o->sndhwm_octets <= 0 || octets < (uint64_t) o->sndhwm_octets;
}

void
zw_pipe_send (zw_conn *pipe, zw_msg *msg)
{
    zw_msgq_push (&pipe->out, msg);
    zw_conn_send_soon (pipe);
}

void
zw_pipe_flush (zw_conn *pipe)
{
    zw_conn_write (pipe);
}

/* --- the ring of pipes with input ----------------------------------------------- */

static void
ready_append (zw_socket *socket, zw_conn *pipe)
{
    pipe->ready_next = NULL;
    pipe->ready_listed = 1;
    if (socket->ready_tail)
        socket->ready_tail->ready_next = pipe;
    else
        socket->ready_head = pipe;
    socket->ready_tail = pipe;
}

static zw_conn *
ready_pop (zw_socket *socket)
{
    zw_conn *pipe = socket->ready_head;
    socket->ready_head = pipe->ready_next;
    if (!socket->ready_head)
        socket->ready_tail = NULL;
    pipe->ready_next = NULL;
    pipe->ready_listed = 0;
    return pipe;
}

/* The first pipe of the ring that really has input (empty ones leave it), or NULL. */
static zw_conn *
ready_first (zw_socket *socket)
{
    while (socket->ready_head && socket->ready_head->in.count == 0)
        ready_pop (socket);
    return socket->ready_head;
}

/* A pipe that leaves leaves the ring too: O(pipes with input), once per pipe. */
static void
ready_remove (zw_socket *socket, zw_conn *pipe)
{
    zw_conn **link = &socket->ready_head, *prev = NULL;
    while (*link && *link != pipe) {
        prev = *link;
        link = &(*link)->ready_next;
    }
    if (!*link)
        return;
    *link = pipe->ready_next;
    if (socket->ready_tail == pipe)
        socket->ready_tail = prev;
    pipe->ready_next = NULL;
    pipe->ready_listed = 0;
}

void
zw_pipe_queue_in (zw_conn *pipe, zw_msg *msg)
{
    zw_msgq_push (&pipe->in, msg);
    if (!pipe->ready_listed)
        ready_append (pipe->socket, pipe);
    zw_conn_rewatch (pipe);                 /* at rcvhwm, stop reading */
}

zw_msg *
zw_pipe_take_in (zw_conn *pipe)
{
    zw_msg *msg = zw_msgq_pop (&pipe->in);
    if (msg)
        zw_conn_rewatch (pipe);             /* below rcvhwm again: read on */
    return msg;
}

void
zw_pipe_unqueue_all (zw_conn *pipe, zw_msgq *into)
{
    if (pipe->ready_listed)
        ready_remove (pipe->socket, pipe);
    zw_msg *msg;
    while ((msg = zw_msgq_pop (&pipe->in)))
        zw_msgq_push (into, msg);
}

zw_conn *
zw_pipes_next_writable (zw_socket *socket)
{
    for (size_t tried = 0; tried < socket->pipe_count; tried++) {
        zw_conn *pipe = socket->pipes[socket->next_out++ % socket->pipe_count];
        if (zw_pipe_writable (pipe))
            return pipe;
    }
    return NULL;
}

int
zw_pipes_any_writable (zw_socket *socket)
{
    for (size_t i = 0; i < socket->pipe_count; i++)
        if (zw_pipe_writable (socket->pipes[i]))
            return 1;
    return 0;
}

zw_msg *
zw_pipes_fair_recv (zw_socket *socket, zw_conn **from)
{
    zw_msg *left = zw_msgq_pop (&socket->leftover);     /* from pipes gone: oldest first */
    if (left) {
        if (from)
            *from = NULL;
        return left;
    }
    if (!ready_first (socket))
        return NULL;
    zw_conn *pipe = ready_pop (socket);
    zw_msg *msg = zw_pipe_take_in (pipe);
    if (pipe->in.count)
        ready_append (socket, pipe);        /* its turn again after the others' */
    if (from)
        *from = pipe;
    return msg;
}

int
zw_pipes_have_input (zw_socket *socket)
{
    return socket->leftover.count || ready_first (socket);
}

void
zw_socket_drop (zw_socket *socket, zw_msg *msg)
{
    socket->stats.dropped++;
    zw_msg_destroy (msg);
}

/* --- the patterns' building blocks ------------------------------------------------ */

int
zw_pattern_send_balanced (zw_socket *socket, zw_msg *msg)
{
    zw_conn *pipe = zw_pipes_next_writable (socket);
    if (!pipe) {
        errno = EAGAIN;             /* none yet, or all at sndhwm: block */
        return -1;
    }
    zw_pipe_send (pipe, msg);
    return 0;
}

zw_msg *
zw_pattern_recv_fair (zw_socket *socket)
{
    zw_msg *msg = zw_pipes_fair_recv (socket, NULL);
    if (!msg)
        errno = EAGAIN;
    return msg;
}

int
zw_pattern_send_unsupported (zw_socket *socket, zw_msg *msg)
{
    (void) socket;
    (void) msg;
    errno = ENOTSUP;
    return -1;
}

zw_msg *
zw_pattern_recv_unsupported (zw_socket *socket)
{
    (void) socket;
    errno = ENOTSUP;
    return NULL;
}

int
zw_pattern_attach_any (zw_socket *socket, zw_conn *pipe)
{
    (void) socket;
    (void) pipe;
    return 0;
}

void
zw_pattern_detach_nothing (zw_socket *socket, zw_conn *pipe)
{
    (void) socket;
    (void) pipe;
}

void
zw_pattern_incoming_queue (zw_socket *socket, zw_conn *pipe, zw_msg *msg)
{
    (void) socket;
    zw_pipe_queue_in (pipe, msg);
}

void
zw_pattern_incoming_drop (zw_socket *socket, zw_conn *pipe, zw_msg *msg)
{
    (void) pipe;
    zw_socket_drop (socket, msg);
}

int
zw_pattern_can_never (zw_socket *socket)
{
    (void) socket;
    return 0;
}

int
zw_pattern_can_send_balanced (zw_socket *socket)
{
    return zw_pipes_any_writable (socket);
}

int
zw_pattern_can_recv_fair (zw_socket *socket)
{
    return zw_pipes_have_input (socket);
}
