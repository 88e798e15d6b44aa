/*  zw_pattern_reqrep.c — REQ and REP (28/REQREP,
    zmtp31.socket.reqrep-semantics).

    REQ alternates strictly: send one request (to the next peer in turn,
    with an empty delimiter frame in front), then receive one reply from
    that same peer (its delimiter removed); anything else is ZW_EFSM.
    Replies from other peers, or without the delimiter, are dropped.

    REP alternates the other way: receive a request (fair-queued), keeping
    its envelope (every frame up to and including the empty delimiter),
    then send the reply, which goes back to that peer with the envelope in
    front.  A request without a delimiter is dropped.  */

#include <errno.h>
#include "zw_socket_internal.h"
#include "zw_fault.h"

/* --- REQ ------------------------------------------------------------------------------- */

static int
req_send (zw_socket *socket, zw_msg *msg)
{
    if (socket->awaiting_reply) {
        errno = ZW_EFSM;
        return -1;
    }
    zw_conn *pipe = zw_pipes_next_writable (socket);
    if (!pipe) {
        errno = EAGAIN;
        return -1;
    }
    if (!zw_fault_on (ZW_FAULT_REQ_NO_DELIMITER) && zw_msg_prepend (msg, NULL, 0))
        return -1;
    zw_pipe_send (pipe, msg);
    socket->partner = pipe;
    socket->awaiting_reply = 1;
    return 0;
}

/* Only the reply of the peer that got the request, delimited, is taken. */
static void
req_incoming (zw_socket *socket, zw_conn *pipe, zw_msg *msg)
{
    if (!socket->awaiting_reply || pipe != socket->partner || msg->count < 2
    ||  msg->frames[0].size != 0 || pipe->in.count > 0) {
        zw_socket_drop (socket, msg);
        return;
    }
    zw_msg_drop_first (msg);
    zw_pipe_queue_in (pipe, msg);
}

static zw_msg *
req_recv (zw_socket *socket)
{
    if (!socket->awaiting_reply) {
        errno = ZW_EFSM;
        return NULL;
    }
    zw_msg *msg = socket->partner ? zw_pipe_take_in (socket->partner)
                                  : zw_msgq_pop (&socket->leftover);  /* its pipe is gone */
    if (!msg) {
        errno = EAGAIN;
        return NULL;
    }
    socket->awaiting_reply = 0;
    socket->partner = NULL;
    return msg;
}

static void
req_detach (zw_socket *socket, zw_conn *pipe)
{
    if (socket->partner == pipe)
        socket->partner = NULL;     /* the reply will not come; recv waits (as libzmq) */
}

static int
req_can_send (zw_socket *socket)
{
    return !socket->awaiting_reply && zw_pipes_any_writable (socket);
}

static int
req_can_recv (zw_socket *socket)
{
    return socket->awaiting_reply && (socket->partner ? socket->partner->in.count > 0
                                                      : socket->leftover.count > 0);
}

const zw_pattern zw_pattern_req = {
    req_send, req_recv, zw_pattern_attach_any, req_detach, req_incoming, NULL,
    req_can_send, req_can_recv
};

/* --- REP ------------------------------------------------------------------------------- */

/* The index of the empty delimiter frame, or -1. */
static long
delimiter (const zw_msg *msg)
{
    for (size_t i = 0; i < msg->count; i++)
        if (msg->frames[i].size == 0)
            return (long) i;
    return -1;
}

static void
rep_incoming (zw_socket *socket, zw_conn *pipe, zw_msg *msg)
{
    if (delimiter (msg) < 0)
        zw_socket_drop (socket, msg);
    else
        zw_pipe_queue_in (pipe, msg);
}

/* Splits the request: the envelope stays with the socket, the body goes up. */
static zw_msg *
rep_recv (zw_socket *socket)
{
    if (socket->envelope) {
        errno = ZW_EFSM;
        return NULL;
    }
    zw_conn *from = NULL;
    zw_msg *msg = zw_pipes_fair_recv (socket, &from);
    if (!msg) {
        errno = EAGAIN;
        return NULL;
    }
    zw_msg *envelope = zw_msg_new ();
    long end = delimiter (msg);
    for (long i = 0; envelope && i <= end; i++) {
        zw_msg_add (envelope, msg->frames[0].data, msg->frames[0].size);
        zw_msg_drop_first (msg);
    }
    socket->envelope = envelope;
    socket->partner = from;
    return msg;
}

static int
rep_send (zw_socket *socket, zw_msg *msg)
{
    if (!socket->envelope) {
        errno = ZW_EFSM;
        return -1;
    }
    for (size_t i = socket->envelope->count; i > 0; i--) {
        const zw_frame *frame = &socket->envelope->frames[i - 1];
        if (zw_msg_prepend (msg, frame->data, frame->size))
            return -1;
    }
    zw_msg_destroy (socket->envelope);
    socket->envelope = NULL;
    zw_conn *to = socket->partner;
    socket->partner = NULL;
    if (to && zw_pipe_writable (to))
        zw_pipe_send (to, msg);
    else
        zw_socket_drop (socket, msg);   /* the requester is gone or not reading */
    return 0;
}

static void
rep_detach (zw_socket *socket, zw_conn *pipe)
{
    if (socket->partner == pipe)
        socket->partner = NULL;
}

static int
rep_can_send (zw_socket *socket)
{
    return socket->envelope != NULL;
}

static int
rep_can_recv (zw_socket *socket)
{
    return !socket->envelope && zw_pipes_have_input (socket);
}

const zw_pattern zw_pattern_rep = {
    rep_send, rep_recv, zw_pattern_attach_any, rep_detach, rep_incoming, NULL,
    rep_can_send, rep_can_recv
};
