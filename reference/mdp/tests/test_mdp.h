/*  test_mdp.h — what the Majordomo role tests share: frames written as C
    strings, fed to a core as one message, and what a core hands its send
    callback (fixed frames, then the body) read back as one message.
    Static inline, like test_check.h: each test is a program of its own, and
    one that leaves a helper unused still builds under -Werror.  */

#ifndef ZW_TEST_MDP_H
#define ZW_TEST_MDP_H

#include <stdarg.h>
#include <string.h>
#include "mdp_message.h"

/* The frame of the octets of s, its NUL left out. */
static inline zw_mdp_frame
text (const char *s)
{
    return (zw_mdp_frame) { (const uint8_t *) s, strlen (s) };
}

/* 1 if f holds exactly the octets of s (an empty frame may have no data). */
static inline int
frame_is (const zw_mdp_frame *f, const char *s)
{
    return f->size == strlen (s) && (f->size == 0 || memcmp (f->data, s, f->size) == 0);
}

/*  The strings of args up to a NULL, as frames (at most max): the message a
    test's feed() hands a core.  Returns how many.  */
static inline size_t
frames_of (zw_mdp_frame *frames, size_t max, va_list args)
{
    size_t n = 0;
    for (const char *f; n < max && (f = va_arg (args, const char *)) != NULL;)
        frames[n++] = text (f);
    return n;
}

/*  head then body in one list (at most max frames): the message a core's
    send callback stands for, as it goes out.  Returns how many.  */
static inline size_t
joined (zw_mdp_frame *all, size_t max, const zw_mdp_frame *head, size_t head_count,
        const zw_mdp_frame *body, size_t body_count)
{
    size_t n = 0;
    for (size_t i = 0; i < head_count && n < max; i++)
        all[n++] = head[i];
    for (size_t i = 0; i < body_count && n < max; i++)
        all[n++] = body[i];
    return n;
}

#endif
