/*  zw_pattern_pair.c — PAIR: one peer, messages both ways (31/EXPAIR,
    zmtp31.socket.pair-semantics).  A second peer is refused while the
    first is attached.  */

#include "zw_socket_internal.h"

static int
attach_one (zw_socket *socket, zw_conn *pipe)
{
    (void) pipe;
    return socket->pipe_count > 1;  /* the new pipe is already counted */
}

const zw_pattern zw_pattern_pair = {
    zw_pattern_send_balanced, zw_pattern_recv_fair, attach_one, zw_pattern_detach_nothing,
    zw_pattern_incoming_queue, NULL, zw_pattern_can_send_balanced, zw_pattern_can_recv_fair
};
