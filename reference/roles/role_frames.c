/*  role_frames.c — owned copies of frame lists (role_frames.h). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "role_frames.h"

role_frames *
role_frames_copy (const zw_frame_view *frames, size_t count)
{
    size_t octets = 0;
    for (size_t i = 0; i < count; i++)
        octets += frames[i].size;
    role_frames *copy = malloc (sizeof *copy + count * sizeof copy->frame[0] + octets);
    if (!copy)
        return NULL;
    uint8_t *data = (uint8_t *) &copy->frame[count];
    copy->count = count;
    copy->octets = octets;
    for (size_t i = 0; i < count; i++) {
        if (frames[i].size)
            memcpy (data, frames[i].data, frames[i].size);
        copy->frame[i] = (zw_frame_view) { data, frames[i].size };
        data += frames[i].size;
    }
    return copy;
}

int
role_frame_equal (const zw_frame_view *frame, const zw_frame_view *one)
{
    return frame->size == one->size
        && (frame->size == 0 || memcmp (frame->data, one->data, frame->size) == 0);
}

void
role_frame_print (const zw_frame_view *frame, char *text, size_t size)
{
    size_t at = 0;
    int printable = frame->size > 0;
    for (size_t i = 0; i < frame->size; i++)
        printable &= frame->data[i] >= 0x20 && frame->data[i] <= 0x7E;
    text[0] = 0;
    for (size_t i = 0; i < frame->size && at + 3 < size; i++) {
        if (printable)
            text[at++] = (char) frame->data[i];
        else
            at += (size_t) snprintf (text + at, size - at, "%02x", frame->data[i]);
    }
    text[at < size ? at : size - 1] = 0;
}
