/*  fuzz_frame_list.h — how the fuzz harnesses of the protocols above
    ZMTP (Majordomo, Freelance) read their input as frames: each frame is a
    2-octet big-endian length then that many octets; a last frame cut short
    takes what is left.  The seeds written
    from the golden vectors (vectors/tools/seeds.py --type mdp, flp) use the
    same layout, so a seed is exactly a vector's message.  */

#ifndef ZW_FUZZ_FRAME_LIST_H
#define ZW_FUZZ_FRAME_LIST_H

#include <stddef.h>
#include <stdint.h>
#include "zw_frame_view.h"

/* Reads up to max frames from data; returns how many; *used the octets consumed. */
static inline size_t
zw_fuzz_frame_list (const uint8_t *data, size_t size, zw_frame_view *frames, size_t max,
                    size_t *used)
{
    size_t n = 0, at = 0;
    while (at < size && n < max) {
        size_t len = size - at >= 2 ? ((size_t) data[at] << 8) | data[at + 1] : 0;
        at += size - at >= 2 ? 2 : size - at;
        if (len > size - at)
            len = size - at;
        frames[n++] = (zw_frame_view) { len ? data + at : NULL, len };
        at += len;
    }
    if (used)
        *used = at;
    return n;
}

#endif
