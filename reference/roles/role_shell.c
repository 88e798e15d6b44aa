/*  role_shell.c — helpers shared by the protocol roles' shells (role_shell.h). */

#include <errno.h>
#include "role_shell.h"

static int
add_frames (zw_msg *msg, const zw_frame_view *frames, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (zw_msg_add (msg, frames[i].data, frames[i].size) != 0)
            return -1;
    return 0;
}

/* Destroys msg, errno kept for the caller to report. */
static void
discard (zw_msg *msg)
{
    int saved = errno;
    zw_msg_destroy (msg);
    errno = saved;
}

zw_msg *
role_shell_message (const zw_frame_view *prefix, const zw_frame_view *head, size_t head_count,
                   const zw_frame_view *body, size_t body_count)
{
    zw_msg *msg = zw_msg_new ();
    if (!msg)
        return NULL;
    if ((prefix && add_frames (msg, prefix, 1) != 0) || add_frames (msg, head, head_count) != 0
        || add_frames (msg, body, body_count) != 0) {
        discard (msg);
        return NULL;
    }
    return msg;
}

int
role_shell_send (zw_socket *socket, const zw_frame_view *prefix, const zw_frame_view *head,
                size_t head_count, const zw_frame_view *body, size_t body_count)
{
    zw_msg *msg = role_shell_message (prefix, head, head_count, body, body_count);
    if (!msg)
        return -1;
    if (zw_send (socket, msg, 0) != 0) {
        discard (msg);
        return -1;
    }
    return 0;
}

size_t
role_shell_frames (const zw_msg *msg, zw_frame_view *frames, size_t max)
{
    if (msg->count > max)
        return 0;
    for (size_t i = 0; i < msg->count; i++)
        frames[i] = (zw_frame_view) { msg->frames[i].data, msg->frames[i].size };
    return msg->count;
}

void
role_shell_arm (zw_ctx *ctx, zw_ctx_timer *timer, uint64_t at, uint64_t *armed_at)
{
    if (at == UINT64_MAX || (*armed_at && *armed_at <= at))
        return;
    uint64_t now = zw_ctx_now (ctx);
    zw_timer_start (timer, at > now ? at - now : 0);
    *armed_at = at;
}
