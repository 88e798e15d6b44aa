/*  zw_msg_internal.h — how the stack fills messages without a copy of
    its own (zw_msg.c): the engine writes a frame's octets straight into
    the message as they arrive.  */

#ifndef ZW_MSG_INTERNAL_H
#define ZW_MSG_INTERNAL_H

#include "zwire.h"

/*  Appends a frame of size octets, not yet written, and returns where
    they go (NULL for size 0, or with ENOMEM).  */
uint8_t *zw_msg_add_space (zw_msg *msg, size_t size);

/*  Appends a frame whose size octets are data, a malloc'd block the
    message now owns (freed at once when size is 0).  The block should be
    of exactly size octets (realloc it to fit): the recycling of large
    bodies counts their octets by their frame's size (zw_msg.c).  -1:
    ENOMEM, data still the caller's.  */
int zw_msg_add_owned (zw_msg *msg, uint8_t *data, size_t size);

/*  Frees the large frame bodies the calling thread keeps for reuse
    (zw_msg.c, "Recycling").  */
void zw_msg_release_kept (void);

#endif
