/*  role_shell.h — what the protocol roles' shells share (Majordomo,
    Freelance, ...): the thin layer between a role's I/O-free core and a
    zwire socket (zwire.h only).  */

#ifndef ROLE_SHELL_H
#define ROLE_SHELL_H

#include <stddef.h>
#include "zwire.h"
#include "zw_frame_view.h"

/* The most frames a shell takes in one message; more is malformed traffic, counted and dropped. */
#define ROLE_SHELL_FRAMES_MAX 1024

/*  A new message of prefix (may be NULL), head then body: what a core's
    send callback hands over, as one message.  NULL (errno) out of memory.  */
zw_msg *role_shell_message (const zw_frame_view *prefix, const zw_frame_view *head, size_t head_count,
                           const zw_frame_view *body, size_t body_count);

/*  Sends prefix (may be NULL), head then body as one message on socket,
    without waiting.  Returns 0, or -1 (errno) when the socket refused it;
    the message is freed either way.  */
int role_shell_send (zw_socket *socket, const zw_frame_view *prefix, const zw_frame_view *head,
                    size_t head_count, const zw_frame_view *body, size_t body_count);

/*  Views of msg's frames in frames[] (at most max); returns how many, or
    0 if msg has more than max frames.  */
size_t role_shell_frames (const zw_msg *msg, zw_frame_view *frames, size_t max);

/*  Arms timer for the absolute deadline at (the core's next deadline) if it
    is sooner than *armed_at, or if nothing is armed (*armed_at 0).  */
void role_shell_arm (zw_ctx *ctx, zw_ctx_timer *timer, uint64_t at, uint64_t *armed_at);

#endif
