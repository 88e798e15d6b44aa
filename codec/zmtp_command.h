/*  zmtp_command.h — push decoder and encoder for ZMTP command bodies.

    A command frame's body is a name (zmtp31.command.name: a length 1..255
    and that many ALPHA octets) and data whose layout the name and the
    security mechanism choose:

      any mechanism     ERROR (zmtp31.null.error, curve.error.size)
      NULL, PLAIN       READY (metadata), SUBSCRIBE, CANCEL, PING, PONG,
                        JOIN, LEAVE (zmtp31.command.*)
      PLAIN             HELLO, WELCOME, INITIATE (plain.*)
      CURVE             HELLO, WELCOME, INITIATE, READY, MESSAGE (curve.*)

    Any other name is a valid command of unknown meaning: its data is
    reported as is.  Only layouts are checked here; CURVE boxes are opened
    by the mechanism, not by the codec.

    Contract: the body size is known before the body (it is the frame size),
    so init takes it.  Push consumes at most up to it; the decoder is done
    (on_command called) or in error once it has all been consumed.  Small
    fixed fields are copied into the zw_zmtp_command of the context;
    variable parts (unknown data, topics, CURVE boxes) go to on_part and
    metadata properties to the metadata callbacks, as slices of the caller's
    buffer.  Offsets are absolute: 'base' is the offset of the body's first
    octet.  A callback returning non-zero halts the decoder.  */

#ifndef ZW_ZMTP_COMMAND_H
#define ZW_ZMTP_COMMAND_H

#include <stddef.h>
#include <stdint.h>
#include "zw_error.h"
#include "zmtp_metadata.h"
#include "zmtp_tolerate.h"

typedef enum {
    ZW_MECHANISM_NULL = 0,
    ZW_MECHANISM_PLAIN = 1,
    ZW_MECHANISM_CURVE = 2
} zw_zmtp_mechanism;

typedef enum {
    ZW_COMMAND_UNKNOWN = 0,
    ZW_COMMAND_READY, ZW_COMMAND_ERROR, ZW_COMMAND_SUBSCRIBE, ZW_COMMAND_CANCEL,
    ZW_COMMAND_PING, ZW_COMMAND_PONG, ZW_COMMAND_JOIN, ZW_COMMAND_LEAVE,
    ZW_COMMAND_HELLO, ZW_COMMAND_WELCOME, ZW_COMMAND_INITIATE, ZW_COMMAND_MESSAGE
} zw_zmtp_command_id;

/* Where a variable part belongs. */
typedef enum {
    ZW_PART_DATA = 1,       /* an unknown command's data */
    ZW_PART_TOPIC = 2,      /* SUBSCRIBE, CANCEL */
    ZW_PART_BOX = 3,        /* CURVE INITIATE, READY, MESSAGE */
    ZW_PART_EXCESS = 4      /* a PING or PONG context past 16 octets (tolerated) */
} zw_zmtp_part;

#define ZW_ZMTP_PING_CONTEXT_MAX 16     /* zmtp31.command.ping */
#define ZW_CURVE_KEY_SIZE 32

typedef struct {
    uint8_t size;
    uint8_t data[255];
} zw_short_string;

typedef struct {
    zw_zmtp_command_id id;
    uint8_t name_size;
    char name[256];             /* NUL-terminated */
    uint64_t part_size;         /* octets of the variable part (data, topic, box) */
    union {
        struct { uint16_t ttl; zw_short_string context; } ping;     /* PING, PONG */
        zw_short_string reason;                                     /* ERROR */
        zw_short_string group;                                      /* JOIN, LEAVE */
        struct { zw_short_string username, password; } plain_hello;
        struct {
            uint8_t version[2], client_key[ZW_CURVE_KEY_SIZE], nonce[8], signature_box[80];
        } curve_hello;
        struct { uint8_t nonce[16], box[144]; } curve_welcome;
        struct { uint8_t cookie[96], nonce[8]; } curve_initiate;     /* + box part */
        struct { uint8_t nonce[8]; } curve_short;                    /* READY, MESSAGE + box */
    } u;
} zw_zmtp_command;

typedef struct {
    /* the name is known and the layout chosen (cmd->id, cmd->name) */
    int (*on_begin) (void *user, const zw_zmtp_command *cmd);
    int (*on_part) (void *user, zw_zmtp_part part, const uint8_t *data, size_t len);
    /* the whole body is in and valid */
    int (*on_command) (void *user, const zw_zmtp_command *cmd);
    const zw_zmtp_metadata_callbacks *metadata;
} zw_zmtp_command_callbacks;

/* What the rest of the body is, once the fixed layout is read. */
typedef enum { REST_NONE = 0, REST_PART, REST_METADATA } zw_zmtp_command_rest;

typedef struct {
    zw_zmtp_mechanism mechanism;
    const zw_zmtp_command_callbacks *callbacks;
    void *user;
    unsigned tolerate;          /* ZW_ZMTP_TOLERATE_* bits; 0 after init */
    uint64_t base, total, consumed;
    int cs, top, stack[1];
    uint8_t name_left;
    int in_layout, in_rest;     /* the name is known; the fixed part is read */
    uint8_t *field;             /* the fixed-size field being filled */
    zw_short_string *string;    /* the counted string being filled */
    uint8_t string_left;
    zw_zmtp_command_rest rest;
    zw_zmtp_part part;
    uint64_t part_min;          /* the least part size the layout allows */
    const char *clause;         /* the layout's clause, for its errors */
    int halted, done;
    zw_error error;
    zw_zmtp_command command;
    zw_zmtp_metadata_ctx metadata;
} zw_zmtp_command_ctx;

void zw_zmtp_command_init (zw_zmtp_command_ctx *ctx, zw_zmtp_mechanism mechanism,
                           uint64_t base, uint64_t total,
                           const zw_zmtp_command_callbacks *callbacks, void *user);

/*  Makes the decoder read past the sender's rules (zmtp_tolerate.h): with
    ZW_ZMTP_TOLERATE_COMMAND_NAME an empty name or one of any octets (the
    command is then ZW_COMMAND_UNKNOWN unless the name is known), with
    ZW_ZMTP_TOLERATE_LONG_CONTEXT a PING or PONG context over 16 octets (the
    first 16 are in cmd->u.ping.context, the rest goes to on_part as
    ZW_PART_EXCESS), with ZW_ZMTP_TOLERATE_CURVE_PADDING a CURVE HELLO
    padding that is not zero (a fault's, never a leniency);
    ZW_ZMTP_TOLERATE_METADATA is passed on to the metadata decoder.  A body
    too short for its own name is still an error.  Call right after init;
    0, the default, is strict.  */
void zw_zmtp_command_tolerate (zw_zmtp_command_ctx *ctx, unsigned tolerances);

size_t zw_zmtp_command_push (zw_zmtp_command_ctx *ctx, const uint8_t *data, size_t len);

int zw_zmtp_command_done (const zw_zmtp_command_ctx *ctx);

const zw_error *zw_zmtp_command_error (const zw_zmtp_command_ctx *ctx);

/*  Writes the fixed head of a command body: the name and the fixed fields
    of cmd (by cmd->id; for ZW_COMMAND_UNKNOWN only the name).  The caller
    appends the variable part (data, topic, box or metadata) itself.
    Returns the length, or 0 if cap is too small or a field is out of range
    (name not 1..255 ALPHA, PING context over 16, ...).  */
size_t zw_zmtp_command_pack_head (uint8_t *buf, size_t cap, zw_zmtp_mechanism mechanism,
                                  const zw_zmtp_command *cmd);

/*  Sets cmd->id from cmd->name for the given mechanism (the dispatch the
    decoder uses).  */
zw_zmtp_command_id zw_zmtp_command_lookup (zw_zmtp_mechanism mechanism, const char *name,
                                           size_t size);

#endif
