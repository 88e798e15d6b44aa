/*  role_frames.h — an owned copy of a list of frames in one allocation, for
    what a protocol role keeps after the message it came in has gone (a
    queued request's body, a client's identity, a request to resend).  */

#ifndef ROLE_FRAMES_H
#define ROLE_FRAMES_H

#include <stddef.h>
#include "zw_frame_view.h"

typedef struct {
    size_t count;
    size_t octets;              /* sum of the frame sizes */
    zw_frame_view frame[];       /* their data follows in the same block */
} role_frames;

/* A copy of count frames, or NULL (out of memory).  Free it with free(). */
role_frames *role_frames_copy (const zw_frame_view *frames, size_t count);

/* 1 if frame holds the same octets as one. */
int role_frame_equal (const zw_frame_view *frame, const zw_frame_view *one);

/*  Writes a frame for a log line: printable text as is, other octets as
    hex, cut to fit size (always NUL-terminated).  */
void role_frame_print (const zw_frame_view *frame, char *text, size_t size);

#endif
