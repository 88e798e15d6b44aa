/*  zmtp_greeting.h — push decoder and encoders for the ZMTP greeting.

    One decoder reads whatever a peer sends from the start of a connection
    and recognises, by the staged detection of 23/ZMTP and 37/ZMTP
    (zmtp31.greeting.detect-legacy), which protocol it speaks:

      octet 0   not 0xFF            a 1.0 peer: its short identity frame
      octet 9   bit 0 clear          a 1.0 peer: its long identity frame
      octet 9   bit 0 set            2.0 or later (a sender writes 0x7F; any
                                     octet with bit 0 set is read as the end
                                     of the signature, spec/leniency.md)
      octet 10  major 1 or 2         a 2.0 peer: socket type, identity frame
      octet 10  major >= 3           a 3.x peer: the rest of 64 octets

    It reports the decision (on_detect) as soon as it is made, so that an
    engine can send the matching rest of its own greeting, and the whole
    greeting (on_greeting) when the last octet is in.

    Contract: zero-filled context + zw_zmtp_greeting_init is the start state;
    push any number of times; the decoder stops consuming at the end of the
    greeting or at the first error.  Nothing is allocated.  The greeting
    fields are small and are copied into the context (an identity is at most
    255 octets); the pointer passed to on_greeting stays valid until the
    context is re-initialised.  */

#ifndef ZW_ZMTP_GREETING_H
#define ZW_ZMTP_GREETING_H

#include <stddef.h>
#include <stdint.h>
#include "zw_error.h"
#include "zmtp_tolerate.h"

#define ZW_ZMTP_GREETING_SIZE 64        /* the 3.x greeting, zmtp31.greeting.signature */
#define ZW_ZMTP_MECHANISM_SIZE 20       /* zmtp31.greeting.mechanism-name */
#define ZW_ZMTP_IDENTITY_MAX 255        /* zmtp10.greeting.identity, zmtp20.greeting.identity */

/* The protocol family a peer was detected to speak. */
typedef enum {
    ZW_ZMTP_UNKNOWN = 0,
    ZW_ZMTP_V1 = 1,     /* 13/ZMTP 1.0 */
    ZW_ZMTP_V2 = 2,     /* 15/ZMTP 2.0 */
    ZW_ZMTP_V3 = 3      /* 23/ZMTP 3.0, 37/ZMTP 3.1 and higher */
} zw_zmtp_family;

typedef struct {
    zw_zmtp_family family;
    uint8_t major, minor;                   /* V3 */
    char mechanism[ZW_ZMTP_MECHANISM_SIZE + 1];  /* V3, NUL-terminated name */
    uint8_t as_server;                      /* V3 */
    uint8_t revision, socket_type;          /* V2 */
    uint16_t identity_size;                 /* V1, V2 */
    uint8_t identity[ZW_ZMTP_IDENTITY_MAX]; /* V1, V2 */
    uint64_t size;                          /* octets the greeting took */
} zw_zmtp_greeting;

typedef struct {
    /* The decision of the staged detection, at absolute offset 'offset'. */
    void (*on_detect) (void *user, zw_zmtp_family family, uint64_t offset);
    /* The whole greeting is in. */
    void (*on_greeting) (void *user, const zw_zmtp_greeting *greeting);
} zw_zmtp_greeting_callbacks;

typedef struct {
    /* configuration, set by init */
    zw_zmtp_family min_family;  /* peers below it are ZW_ERR_UNSUPPORTED_VERSION */
    zw_zmtp_family max_family;  /* ZW_ZMTP_V2: any later peer is read as 2.0 */
    unsigned tolerate;          /* ZW_ZMTP_TOLERATE_* bits; 0 after init */
    char expected_mechanism[ZW_ZMTP_MECHANISM_SIZE];  /* all NUL: no check */
    const zw_zmtp_greeting_callbacks *callbacks;
    void *user;
    /* state */
    int cs;
    uint64_t offset;            /* octets consumed so far */
    uint64_t v1_length;         /* octets 1..8 read as a 1.0 long length */
    uint16_t identity_left;     /* identity octets still to come */
    int done;
    zw_error error;
    zw_zmtp_greeting greeting;  /* the fields, filled as they arrive */
} zw_zmtp_greeting_ctx;

/*  Starts a decoder.  min_family is the lowest protocol accepted (ZW_ZMTP_V1
    to detect and accept everything, ZW_ZMTP_V3 for a strict 3.x peer).
    mechanism, if not NULL, is the local mechanism name ("NULL", "PLAIN",
    ...): a peer's valid but different mechanism is then
    ZW_ERR_MECHANISM_MISMATCH (zmtp31.greeting.mechanism-match).
    callbacks may be NULL.  */
void zw_zmtp_greeting_init (zw_zmtp_greeting_ctx *ctx, zw_zmtp_family min_family,
                            const char *mechanism,
                            const zw_zmtp_greeting_callbacks *callbacks, void *user);

/*  Makes the decoder read as a peer that speaks at most 2.0 does (family
    ZW_ZMTP_V2): a revision of 1 or more is a 2.0 greeting, since a later
    peer steps down to 2.0 after reading ours (zmtp31.version.downgrade).
    Call right after init.  ZW_ZMTP_V3, the default, reads every version.  */
void zw_zmtp_greeting_cap (zw_zmtp_greeting_ctx *ctx, zw_zmtp_family max_family);

/*  Makes the decoder read past sender rules (zmtp_tolerate.h): with
    ZW_ZMTP_TOLERATE_MAJOR_ZERO major version 0 is a 2.0 peer, with
    ZW_ZMTP_TOLERATE_AS_SERVER as-server 1 with NULL is read.  Call right
    after init; 0, the default, is strict.  */
void zw_zmtp_greeting_tolerate (zw_zmtp_greeting_ctx *ctx, unsigned tolerances);

/*  Feeds octets; returns how many were consumed.  Fewer than len are
    consumed only when the greeting ended inside the data (the rest is the
    peer's traffic) or an error was found (see zw_zmtp_greeting_error).  */
size_t zw_zmtp_greeting_push (zw_zmtp_greeting_ctx *ctx, const uint8_t *data, size_t len);

/* 1 once the whole greeting has been decoded. */
int zw_zmtp_greeting_done (const zw_zmtp_greeting_ctx *ctx);

/* The first error, or NULL. */
const zw_error *zw_zmtp_greeting_error (const zw_zmtp_greeting_ctx *ctx);

/*  Encoders.  Each writes into buf (capacity cap) and returns the length
    written, or 0 when cap is too small or an argument is out of range.  */

/*  The 64-octet 3.x greeting.  padding is the 8 octets after 0xFF, or NULL
    for zeros (zmtp31.greeting.padding-ignored); mechanism is a valid name
    of 1..20 characters.  */
size_t zw_zmtp_greeting_pack_v3 (uint8_t *buf, size_t cap, uint8_t major, uint8_t minor,
                                 const char *mechanism, uint8_t as_server,
                                 const uint8_t *padding);

/* The 2.0 greeting: signature, revision, socket type, identity frame. */
size_t zw_zmtp_greeting_pack_v2 (uint8_t *buf, size_t cap, uint8_t revision,
                                 uint8_t socket_type, const uint8_t *identity,
                                 size_t identity_size);

/*  The 1.0 greeting: the identity frame, short form when it fits (1..254
    counting the flags octet, zmtp10.frame.long-length), long otherwise.  */
size_t zw_zmtp_greeting_pack_v1 (uint8_t *buf, size_t cap, const uint8_t *identity,
                                 size_t identity_size);

/*  The 10-octet signature a detecting peer sends first: 0xFF, identity size
    + 1 as 8 octets big-endian, 0x7F (zmtp31.compat.pseudo-length).  */
size_t zw_zmtp_signature_pack_compat (uint8_t *buf, size_t cap, size_t identity_size);

#endif
