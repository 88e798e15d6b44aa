/*  zw_pattern_routing.c — DEALER and ROUTER (28/REQREP,
    zmtp31.socket.reqrep-semantics).

    DEALER sends to its peers in turn and receives from them in turn, with
    no envelope of its own.

    ROUTER names each peer by a routing identity: the Identity the peer
    announced in READY (zmtp31.identity.router-addressing) or, when it
    announced none, five generated octets starting with 0x00 (a peer's own
    identity never starts so, zmtp31.identity.no-leading-zero, so the two
    never collide).  Received messages get the identity as a first frame;
    a message sent is routed by its first frame, and dropped if no peer has
    that identity or that peer is at its high-water mark.  A second peer
    announcing an identity in use is refused, unless ZW_OPT_ROUTER_HANDOVER
    is set: then it takes the identity over and the first peer is closed.  */

#include <errno.h>
#include <string.h>
#include "zw_socket_internal.h"
#include "zw_fault.h"

const zw_pattern zw_pattern_dealer = {
    zw_pattern_send_balanced, zw_pattern_recv_fair, zw_pattern_attach_any,
    zw_pattern_detach_nothing, zw_pattern_incoming_queue, NULL,
    zw_pattern_can_send_balanced, zw_pattern_can_recv_fair
};

static zw_conn *
find_pipe (zw_socket *socket, const uint8_t *id, size_t size, const zw_conn *except)
{
    for (size_t i = 0; i < socket->pipe_count; i++) {
        zw_conn *pipe = socket->pipes[i];
        if (pipe != except && pipe->routing_id_size == size && memcmp (pipe->routing_id, id, size) == 0)
            return pipe;
    }
    return NULL;
}

static void
generate_id (zw_socket *socket, zw_conn *pipe)
{
    uint32_t n;
    do {
        n = socket->next_routing_id++;
        pipe->routing_id[0] = 0;
        pipe->routing_id[1] = (uint8_t) (n >> 24);
        pipe->routing_id[2] = (uint8_t) (n >> 16);
        pipe->routing_id[3] = (uint8_t) (n >> 8);
        pipe->routing_id[4] = (uint8_t) n;
        pipe->routing_id_size = 5;
    } while (find_pipe (socket, pipe->routing_id, 5, pipe));
}

static int
router_attach (zw_socket *socket, zw_conn *pipe)
{
    const zw_peer_info *peer = &pipe->engine.peer;
    if (peer->identity_size == 0) {
        generate_id (socket, pipe);
        return 0;
    }
    zw_conn *holder = find_pipe (socket, peer->identity, peer->identity_size, pipe);
    if (holder && !socket->options.router_handover) {
        zw_log (socket->ctx, "peer %s: refused: its identity is in use by %s", pipe->peer,
                holder->peer);
        return 1;
    }
    memcpy (pipe->routing_id, peer->identity, peer->identity_size);
    pipe->routing_id_size = peer->identity_size;
    if (holder)
        zw_conn_close (holder, "its identity was handed over to a new peer");
    return 0;
}

static zw_msg *
router_recv (zw_socket *socket)
{
    zw_conn *from = NULL;
    zw_msg *msg = zw_pipes_fair_recv (socket, &from);
    if (!msg) {
        errno = EAGAIN;
        return NULL;
    }
    if (from && !zw_fault_on (ZW_FAULT_ROUTER_NO_IDENTITY)     /* a left one has it already */
    &&  zw_msg_prepend (msg, from->routing_id, from->routing_id_size)) {
        zw_msg_destroy (msg);
        return NULL;
    }
    return msg;
}

/* Never blocks: an unroutable message, or one for a full pipe, is dropped. */
static int
router_send (zw_socket *socket, zw_msg *msg)
{
    const zw_frame *id = &msg->frames[0];
    zw_conn *pipe = find_pipe (socket, id->data, id->size, NULL);
    zw_msg_drop_first (msg);
    if (pipe && msg->count > 0 && zw_pipe_writable (pipe))
        zw_pipe_send (pipe, msg);
    else
        zw_socket_drop (socket, msg);
    return 0;
}

static int
can_always (zw_socket *socket)
{
    (void) socket;
    return 1;
}

const zw_pattern zw_pattern_router = {
    router_send, router_recv, router_attach, zw_pattern_detach_nothing,
    zw_pattern_incoming_queue, NULL, can_always, zw_pattern_can_recv_fair
};
