/*  flp_message.h — decoder and encoder for Freelance messages (10/FLP).

    A Freelance message is a list of ZMTP frames, without the routing
    frame a ROUTER socket adds on receipt (spec/flp.md).  To a server come
    pings (one frame, PING) and requests (a client control frame, then one
    body frame or more); to a client, pongs (one frame, PONG) and replies
    (the CCF returned, then the reply body).  The grammar
    (flp_message_grammar.rl) runs over one token per frame; the frame count
    decides first (spec/DECISIONS.md F3).  A message that ends before the
    body a request or reply needs is the one error (flp-missing-frame, at
    the frame count).  Nothing is copied: the message points into the
    caller's frames.  */

#ifndef ZW_FLP_MESSAGE_H
#define ZW_FLP_MESSAGE_H

#include <stddef.h>
#include <stdint.h>
#include "zw_error.h"
#include "zw_frame_view.h"

typedef enum { ZW_FLP_TO_SERVER = 1, ZW_FLP_TO_CLIENT = 2 } zw_flp_direction;

typedef enum {
    ZW_FLP_NONE = 0, ZW_FLP_PING, ZW_FLP_PONG, ZW_FLP_REQUEST, ZW_FLP_REPLY
} zw_flp_command;

/* One frame of a message: a view, never owned. */
typedef zw_frame_view zw_flp_frame;

typedef struct {
    zw_flp_command command;
    zw_flp_frame ccf;           /* REQUEST, REPLY */
    size_t body_count;          /* the body is frames[1..1 + body_count) */
} zw_flp_message;

/*  Decodes one message of count frames sent in the given direction.
    Returns 1 and fills msg, or 0 and records the error (flp-missing-frame,
    offset the frame count, the layout's clause).  */
int zw_flp_decode (const zw_flp_frame *frames, size_t count, zw_flp_direction direction,
                   zw_flp_message *msg, zw_error *error);

/*  The frames of msg before its body (PING, PONG, or the CCF) in *head.
    Returns 1, or 0 when msg has no command.  */
int zw_flp_encode_head (const zw_flp_message *msg, zw_flp_frame *head);

/* "PING", "PONG", "REQUEST", "REPLY"; NULL for ZW_FLP_NONE. */
const char *zw_flp_command_name (zw_flp_command command);

#endif
