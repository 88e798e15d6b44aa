/*  zw_frame_view.h — one frame of a message read as a list of frames, the
    unit the grammars of the protocols above ZMTP (Majordomo, Freelance,
    ...) run over.  A view: it points into the caller's memory and owns
    nothing.  The protocols name it after themselves (zw_mdp_frame,
    zw_flp_frame), so the code that works on any frame list (the roles'
    shells, copies, fuzz input) takes this one.  */

#ifndef ZW_FRAME_VIEW_H
#define ZW_FRAME_VIEW_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    const uint8_t *data;        /* may be NULL when size is 0 */
    size_t size;
} zw_frame_view;

#endif
