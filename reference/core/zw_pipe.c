/*  zw_pipe.c — pipes: the attached connections of a socket, with the
    queueing rules every pattern shares.

    Load balancing takes writable pipes in turn (round robin) and fair
    queueing takes pipes with input in turn, so no peer is starved and none
    is favoured (zmtp31.socket.reqrep-semantics, zmtp31.socket.pipeline-semantics).
    Messages queue whole and in order (zmtp31.socket.atomic,
    zmtp31.socket.in-order).  */

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

int
zw_pipe_writable (const zw_conn *pipe)
{
    int64_t hwm = pipe->socket->options.sndhwm;
    return hwm <= 0 || pipe->out.count < (size_t) hwm;
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

void
zw_pipe_queue_in (zw_conn *pipe, zw_msg *msg)
{
    zw_msgq_push (&pipe->in, msg);
    zw_conn_rewatch (pipe);                 /* at rcvhwm, stop reading */
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
    for (size_t tried = 0; tried < socket->pipe_count; tried++) {
        zw_conn *pipe = socket->pipes[socket->next_in++ % socket->pipe_count];
        zw_msg *msg = zw_msgq_pop (&pipe->in);
        if (msg) {
            if (from)
                *from = pipe;
            zw_conn_rewatch (pipe);         /* below rcvhwm again: read on */
            return msg;
        }
    }
    return NULL;
}

int
zw_pipes_have_input (const zw_socket *socket)
{
    if (socket->leftover.count)
        return 1;
    for (size_t i = 0; i < socket->pipe_count; i++)
        if (socket->pipes[i]->in.count)
            return 1;
    return 0;
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
