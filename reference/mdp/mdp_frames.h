/*  mdp_frames.h — an owned copy of a list of frames in one allocation, for
    what a Majordomo role keeps after the message it came in has gone (a
    queued request's body, a client's identity).  */

#ifndef MDP_FRAMES_H
#define MDP_FRAMES_H

#include <stddef.h>
#include "mdp_message.h"

typedef struct {
    size_t count;
    size_t octets;              /* sum of the frame sizes */
    zw_mdp_frame frame[];       /* their data follows in the same block */
} mdp_frames;

/* A copy of count frames, or NULL (out of memory).  Free it with free(). */
mdp_frames *mdp_frames_copy (const zw_mdp_frame *frames, size_t count);

/* 1 if frame holds the same octets as one. */
int mdp_frame_equal (const zw_mdp_frame *frame, const zw_mdp_frame *one);

/*  Writes a frame for a log line: printable text as is, other octets as
    hex, cut to fit size (always NUL-terminated).  */
void mdp_frame_print (const zw_mdp_frame *frame, char *text, size_t size);

#endif
