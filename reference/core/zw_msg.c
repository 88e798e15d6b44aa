/*  zw_msg.c — messages as lists of owned frames (zwire.h).

    A message travels whole (zmtp31.socket.atomic): the engine builds one
    frame by frame and hands it over only when its last frame is in, and
    a socket queues and sends it as one unit.  */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "zwire.h"

zw_msg *
zw_msg_new (void)
{
    zw_msg *msg = calloc (1, sizeof *msg);
    if (!msg)
        errno = ENOMEM;
    return msg;
}

static int
reserve (zw_msg *msg, size_t count)
{
    if (count <= msg->capacity)
        return 0;
    size_t capacity = msg->capacity ? msg->capacity * 2 : 4;
    while (capacity < count)
        capacity *= 2;
    zw_frame *frames = realloc (msg->frames, capacity * sizeof *frames);
    if (!frames) {
        errno = ENOMEM;
        return -1;
    }
    msg->frames = frames;
    msg->capacity = capacity;
    return 0;
}

/* A frame holding a copy of data; the empty frame holds no buffer. */
static int
frame_copy (zw_frame *frame, const void *data, size_t size)
{
    frame->size = size;
    frame->data = NULL;
    if (size == 0)
        return 0;
    frame->data = malloc (size);
    if (!frame->data) {
        errno = ENOMEM;
        return -1;
    }
    memcpy (frame->data, data, size);
    return 0;
}

int
zw_msg_add (zw_msg *msg, const void *data, size_t size)
{
    if (reserve (msg, msg->count + 1) || frame_copy (&msg->frames[msg->count], data, size))
        return -1;
    msg->count++;
    msg->total += size;
    return 0;
}

int
zw_msg_add_str (zw_msg *msg, const char *text)
{
    return zw_msg_add (msg, text, strlen (text));
}

int
zw_msg_prepend (zw_msg *msg, const void *data, size_t size)
{
    zw_frame frame;
    if (reserve (msg, msg->count + 1) || frame_copy (&frame, data, size))
        return -1;
    memmove (msg->frames + 1, msg->frames, msg->count * sizeof *msg->frames);
    msg->frames[0] = frame;
    msg->count++;
    msg->total += size;
    return 0;
}

void
zw_msg_drop_first (zw_msg *msg)
{
    if (msg->count == 0)
        return;
    msg->total -= msg->frames[0].size;
    free (msg->frames[0].data);
    msg->count--;
    memmove (msg->frames, msg->frames + 1, msg->count * sizeof *msg->frames);
}

zw_msg *
zw_msg_dup (const zw_msg *msg)
{
    zw_msg *copy = zw_msg_new ();
    for (size_t i = 0; copy && i < msg->count; i++)
        if (zw_msg_add (copy, msg->frames[i].data, msg->frames[i].size)) {
            zw_msg_destroy (copy);
            return NULL;
        }
    return copy;
}

void
zw_msg_destroy (zw_msg *msg)
{
    if (!msg)
        return;
    for (size_t i = 0; i < msg->count; i++)
        free (msg->frames[i].data);
    free (msg->frames);
    free (msg);
}
