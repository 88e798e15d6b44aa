/*  z85.h — Z85 (32/Z85), the text encoding of CURVE keys.

    Four octets, read as a big-endian 32-bit number, become five characters
    of an 85-character alphabet, most significant first (z85.encode); five
    characters decode back to four octets (z85.decode).  Lengths are
    multiples of 4 (binary, z85.binary-length) and 5 (text,
    z85.string-length); there is no padding.

    The decoder is a push decoder like every zwire codec: the text's length
    is known up front; decoded octets go to a caller buffer that must hold
    total / 5 * 4 octets (Z85-10: buffers are sized by the caller).  */

#ifndef ZW_Z85_H
#define ZW_Z85_H

#include <stddef.h>
#include <stdint.h>
#include "zw_error.h"

typedef struct {
    uint8_t *out;
    size_t out_cap, out_len;
    uint64_t total, consumed;
    int cs;
    uint64_t value;         /* the group being accumulated */
    int done;
    zw_error error;
} zw_z85_ctx;

/*  Starts decoding a text of 'total' characters into out.  A buffer
    smaller than total / 5 * 4 is ZW_ERR_MISUSE at once.  */
void zw_z85_decode_init (zw_z85_ctx *ctx, uint64_t total, uint8_t *out, size_t out_cap);

/* Feeds characters; returns how many were consumed (never past total). */
size_t zw_z85_decode_push (zw_z85_ctx *ctx, const uint8_t *text, size_t len);

int zw_z85_decode_done (const zw_z85_ctx *ctx);

const zw_error *zw_z85_decode_error (const zw_z85_ctx *ctx);

/*  Encodes len octets (a multiple of 4) into out; returns the number of
    characters written (len / 4 * 5, no NUL), or 0 if len is not a multiple
    of 4 or cap is too small.  */
size_t zw_z85_encode (char *out, size_t cap, const uint8_t *data, size_t len);

#endif
