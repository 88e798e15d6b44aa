/*  zmtp_frame.h — push decoder and encoder for the ZMTP frame stream.

    After the greeting, both directions of a ZMTP 2.0 or 3.x connection are
    a stream of frames: a flags octet, a size (one octet, or eight octets
    big-endian with LONG), and the body (zmtp31.frame.*, zmtp20.frame.*).

    Contract: zero-filled context + zw_zmtp_frame_init is the start state.
    Push any number of times.  For every frame the decoder calls on_header
    once (the size is checked against the maximum before any body octet is
    accepted, zmtp31.frame.size-limit), on_body zero or more times with
    slices of the caller's buffer (zero copy; a slice is valid only during
    the call), and on_end once.  A callback that returns non-zero halts the
    decoder: push returns at once, having consumed the octets given to
    callbacks so far, and every later push consumes nothing.  Nothing is
    allocated; the first error stops the decoder for good.  */

#ifndef ZW_ZMTP_FRAME_H
#define ZW_ZMTP_FRAME_H

#include <stddef.h>
#include <stdint.h>
#include "zw_error.h"
#include "zmtp_tolerate.h"

#define ZW_ZMTP_FLAG_MORE    0x01
#define ZW_ZMTP_FLAG_LONG    0x02
#define ZW_ZMTP_FLAG_COMMAND 0x04
#define ZW_ZMTP_SIZE_MAX     UINT64_C(0x7FFFFFFFFFFFFFFF)  /* zmtp31.frame.long-size */
#define ZW_ZMTP_FRAME_HEADER_MAX 9

typedef enum {
    ZW_ZMTP_FRAMING_V3 = 3,     /* 23/37: MORE, LONG, COMMAND */
    ZW_ZMTP_FRAMING_V2 = 2      /* 15: MORE, LONG; bits 2-7 reserved */
} zw_zmtp_framing;

typedef struct {
    uint64_t offset;    /* absolute offset of the flags octet */
    uint8_t flags;
    uint64_t size;      /* body size */
} zw_zmtp_frame_header;

typedef struct {
    int (*on_header) (void *user, const zw_zmtp_frame_header *header);
    int (*on_body) (void *user, const uint8_t *data, size_t len);
    int (*on_end) (void *user);
} zw_zmtp_frame_callbacks;

typedef struct {
    zw_zmtp_framing framing;
    uint64_t max_size;
    unsigned tolerate;          /* ZW_ZMTP_TOLERATE_* bits; 0 after init */
    const zw_zmtp_frame_callbacks *callbacks;
    void *user;
    int cs;
    uint64_t offset;            /* absolute offset of the next octet */
    uint64_t size;              /* size being accumulated */
    uint64_t body_left;         /* body octets still to come */
    int halted;
    zw_error error;
    zw_zmtp_frame_header header;    /* the current frame */
} zw_zmtp_frame_ctx;

/*  Starts a decoder for the given framing.  base is the absolute offset of
    the first octet it will be given (the greeting's size, on a connection):
    header and error offsets count from the connection's start.  max_size
    bounds the body size (ZW_ZMTP_SIZE_MAX for no bound beyond the
    protocol's own).  callbacks may be NULL.  */
void zw_zmtp_frame_init (zw_zmtp_frame_ctx *ctx, zw_zmtp_framing framing, uint64_t base,
                         uint64_t max_size, const zw_zmtp_frame_callbacks *callbacks,
                         void *user);

/*  Makes the decoder read past sender rules (zmtp_tolerate.h): with
    ZW_ZMTP_TOLERATE_RESERVED_FLAGS a flags octet with reserved bits set,
    with ZW_ZMTP_TOLERATE_COMMAND_MORE a command frame with MORE.  on_header
    still reports the flags octet as it came; LONG alone chooses the size.
    Call right after init; 0, the default, is strict.  */
void zw_zmtp_frame_tolerate (zw_zmtp_frame_ctx *ctx, unsigned tolerances);

/*  Feeds octets; returns how many were consumed (len, unless an error was
    found or a callback halted the decoder).  */
size_t zw_zmtp_frame_push (zw_zmtp_frame_ctx *ctx, const uint8_t *data, size_t len);

/* 1 when the octets consumed so far end exactly at a frame boundary. */
int zw_zmtp_frame_at_boundary (const zw_zmtp_frame_ctx *ctx);

/* The first error, or NULL. */
const zw_error *zw_zmtp_frame_error (const zw_zmtp_frame_ctx *ctx);

/*  Writes a frame header for a body of 'size' octets: short when the size
    fits one octet, long otherwise (zmtp31.frame.short-size,
    zmtp31.command.short-size, zmtp31.command.long-size).  Returns 2 or 9,
    or 0 if cap is too small, size exceeds ZW_ZMTP_SIZE_MAX, or MORE is
    asked for on a command (zmtp31.frame.command-no-more).  */
size_t zw_zmtp_frame_pack_header (uint8_t *buf, size_t cap, int more, int command,
                                  uint64_t size);

#endif
