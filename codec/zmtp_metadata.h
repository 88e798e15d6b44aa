/*  zmtp_metadata.h — push decoder and encoder for ZMTP metadata.

    Metadata is the property list carried by READY and INITIATE
    (zmtp31.metadata.*, plain.initiate.metadata, plain.ready.metadata):
    a name length (1..255), that many name octets of A-Z a-z 0-9 - _ . +,
    a 4-octet big-endian value size below 2^31, and the value.

    Contract: the list's total size is known up front (it ends with the
    command body), so init takes it; push consumes at most up to that total,
    and the decoder is done (or in error) once the total has been consumed.
    Names (at most 255 octets) are copied into the context and passed whole
    to on_name; values go to on_value as slices of the caller's buffer (zero
    copy), possibly in several parts; on_end closes each property.  A
    callback returning non-zero halts the decoder.  Offsets are absolute:
    'base' is the offset of the list's first octet.  Duplicate names are
    reported as they come: refusing them is the session's choice.  */

#ifndef ZW_ZMTP_METADATA_H
#define ZW_ZMTP_METADATA_H

#include <stddef.h>
#include <stdint.h>
#include "zw_error.h"
#include "zmtp_tolerate.h"

#define ZW_ZMTP_VALUE_SIZE_MAX UINT32_C(0x7FFFFFFF)    /* zmtp31.metadata.value-size */

typedef struct {
    int (*on_name) (void *user, const char *name, size_t size);
    int (*on_value) (void *user, const uint8_t *data, size_t len);
    int (*on_end) (void *user);
} zw_zmtp_metadata_callbacks;

typedef struct {
    const zw_zmtp_metadata_callbacks *callbacks;
    void *user;
    unsigned tolerate;          /* ZW_ZMTP_TOLERATE_* bits; 0 after init */
    uint64_t base, total, consumed;
    int cs, top, stack[1];
    uint8_t name_size, name_left;
    char name[256];
    uint32_t value_size;
    uint64_t value_left;
    int halted, done;
    zw_error error;
} zw_zmtp_metadata_ctx;

void zw_zmtp_metadata_init (zw_zmtp_metadata_ctx *ctx, uint64_t base, uint64_t total,
                            const zw_zmtp_metadata_callbacks *callbacks, void *user);

/*  Makes the decoder read past the sender's rules (zmtp_tolerate.h): with
    ZW_ZMTP_TOLERATE_METADATA, an empty property name, names of any octets
    and value sizes of 2^31 or more are read, and a last property cut short
    by the end of the list is dropped.  Call right after init (a list of
    size 0 is judged by init itself, and is never malformed); 0, the
    default, is strict.  */
void zw_zmtp_metadata_tolerate (zw_zmtp_metadata_ctx *ctx, unsigned tolerances);

/* Feeds octets; returns how many were consumed (never past the total). */
size_t zw_zmtp_metadata_push (zw_zmtp_metadata_ctx *ctx, const uint8_t *data, size_t len);

/* 1 once the whole list has been consumed without error. */
int zw_zmtp_metadata_done (const zw_zmtp_metadata_ctx *ctx);

const zw_error *zw_zmtp_metadata_error (const zw_zmtp_metadata_ctx *ctx);

/* 1 if name (size octets) is a valid property name (zmtp31.metadata.name). */
int zw_zmtp_metadata_name_valid (const char *name, size_t size);

/*  1 if two property names are equal ignoring ASCII case
    (zmtp31.metadata.case-insensitive).  */
int zw_zmtp_metadata_name_equal (const char *a, size_t a_size, const char *b, size_t b_size);

/*  Appends one property to buf; returns its length, or 0 if cap is too
    small, the name is invalid or the value is 2^31 octets or more.  */
size_t zw_zmtp_metadata_pack (uint8_t *buf, size_t cap, const char *name, size_t name_size,
                              const uint8_t *value, size_t value_size);

#endif
