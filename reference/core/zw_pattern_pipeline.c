/*  zw_pattern_pipeline.c — PUSH and PULL (30/PIPELINE,
    zmtp31.socket.pipeline-semantics): PUSH sends to its peers in turn
    and never receives; PULL takes from its peers in turn and never sends.
    Whatever a PULL peer sends to a PUSH is dropped.  */

#include "zw_socket_internal.h"

const zw_pattern zw_pattern_push = {
    zw_pattern_send_balanced, zw_pattern_recv_unsupported, zw_pattern_attach_any,
    zw_pattern_detach_nothing, zw_pattern_incoming_drop, NULL,
    zw_pattern_can_send_balanced, zw_pattern_can_never
};

const zw_pattern zw_pattern_pull = {
    zw_pattern_send_unsupported, zw_pattern_recv_fair, zw_pattern_attach_any,
    zw_pattern_detach_nothing, zw_pattern_incoming_queue, NULL,
    zw_pattern_can_never, zw_pattern_can_recv_fair
};
