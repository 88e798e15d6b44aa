/*  zap_message.h — decoder and encoder for ZAP messages (27/ZAP): the
    request a server sends to its ZAP handler and the handler's reply.

    A ZAP message is a list of frames (spec/zap.md, vectors/FORMAT.md
    "zap").  A request: the empty delimiter, the version 1.0, the request
    id, the domain, the client's address, its identity, the mechanism, then
    the credentials (none for NULL, user name and password for PLAIN, the
    client's 32-octet public key for CURVE, any frames for another
    mechanism).  A reply: the delimiter, 1.0, the request id, the status
    code (200, 300, 400, 500), the status text, the user id (empty unless
    200) and the metadata (a ZMTP 3.0 property list, maybe empty): exactly
    seven frames.  The envelope decides whether the delimiter is there: as
    on the wire (a DEALER or a ROUTER after its routing frame), or not (as a
    REQ or REP socket hands the message over, and as zwire's in-process
    handler sees it: DECISIONS S2).

    The grammar (zap_message_grammar.rl) runs over one token per frame: the
    classifier gives each frame a class (zap_frame_class.h), and the
    machine walks the layout's slots; the slot a frame fails in names the
    error, and a message that ends in a slot that needs a frame is short.
    Two checks are C the grammar's actions call: the address's canonical
    text and the metadata's property list (through zmtp_metadata, the
    decoder READY's metadata goes through).  Error offsets are frame
    indexes, counting the delimiter when there is one; each error cites
    the clause it enforces.

    Nothing is copied: a decoded message points into the caller's frames
    (its credentials are a slice of the caller's frame array, so their
    count has no bound here), and the frames an encoder writes point into
    the message's views and to static storage.  No allocation, no I/O.  */

#ifndef ZW_ZAP_MESSAGE_H
#define ZW_ZAP_MESSAGE_H

#include <stddef.h>
#include <stdint.h>
#include "zw_error.h"
#include "zw_frame_view.h"

typedef enum { ZW_ZAP_REQUEST = 1, ZW_ZAP_REPLY = 2 } zw_zap_direction;

typedef enum {
    ZW_ZAP_ENVELOPE_DELIMITER = 1,  /* the message opens with the empty delimiter (the wire) */
    ZW_ZAP_ENVELOPE_NONE = 2        /* it does not (a REQ or REP application's view) */
} zw_zap_envelope;

/* The status codes of a reply (zap.reply.status-code). */
enum {
    ZW_ZAP_STATUS_OK = 200,         /* success */
    ZW_ZAP_STATUS_TEMPORARY = 300,  /* temporary error: the client may try again */
    ZW_ZAP_STATUS_DENIED = 400,     /* authentication failure */
    ZW_ZAP_STATUS_INTERNAL = 500    /* internal error */
};

#define ZW_ZAP_STRING_MAX 255       /* zap.strings.ascii: a string's octets, at most */
#define ZW_ZAP_IDENTITY_MAX 255     /* zap.request.identity */
#define ZW_ZAP_CURVE_KEY_SIZE 32    /* zap.curve.credentials */
#define ZW_ZAP_REQUEST_HEAD 7       /* a request's frames before its credentials, delimiter included */
#define ZW_ZAP_REPLY_FRAMES 7       /* a reply's frames, delimiter included */
#define ZW_ZAP_ADDRESS_TEXT_MAX 46  /* the longest address text, with its NUL (INET6_ADDRSTRLEN) */

/* One frame of a message: a view, never owned. */
typedef zw_frame_view zw_zap_frame;

typedef struct {
    zw_zap_frame request_id;        /* opaque */
    zw_zap_frame domain;            /* a string, not empty */
    zw_zap_frame address;           /* IPv4 dotted-quad or canonical IPv6 text */
    zw_zap_frame identity;          /* opaque, at most 255 octets, maybe empty */
    zw_zap_frame mechanism;         /* a string, not empty: NULL, PLAIN, CURVE or another */
    const zw_zap_frame *credentials;    /* decoded: a slice of the caller's frames; NULL if none */
    size_t credential_count;
} zw_zap_request;

typedef struct {
    zw_zap_frame request_id;        /* opaque: the request's, echoed */
    unsigned status;                /* ZW_ZAP_STATUS_*; its frame is zw_zap_status_text */
    zw_zap_frame status_text;       /* a string, maybe empty */
    zw_zap_frame user_id;           /* a string; empty unless the status is 200 */
    zw_zap_frame metadata;          /* a ZMTP 3.0 property list, maybe empty */
} zw_zap_reply;

/*  Decode one request of count frames (frames may be NULL when count is
    0).  Returns 1 and fills req, or 0 and records the error in *error
    (first error wins: pass a zero-filled one): a zap-* class, the frame
    index, the clause.  req is zero-filled first; on error it holds the
    fields before the failing frame.  */
int zw_zap_request_decode (const zw_zap_frame *frames, size_t count, zw_zap_envelope envelope,
                           zw_zap_request *req, zw_error *error);

/*  Decode one reply, as zw_zap_request_decode does a request.  A reply
    whose request id is not the request's is well formed here: the server
    that sent the request tells (zap-bad-request-id, a session class).  */
int zw_zap_reply_decode (const zw_zap_frame *frames, size_t count, zw_zap_envelope envelope,
                         zw_zap_reply *reply, zw_error *error);

/*  Encode req as frames: the delimiter (with ZW_ZAP_ENVELOPE_DELIMITER),
    1.0, the five fields, the credential_count frames of credentials.
    Writes at most max frames, pointing into req's views and to static
    storage (valid as long as req's octets are).  Returns the number of
    frames, or 0: when max is too small (ZW_ERR_MISUSE, offset the number
    needed), or when req breaks a rule of the layout; then *error (if not
    NULL; pass a zero-filled one) is what zw_zap_request_decode reports for
    the frames written (zap-invalid-domain for an empty domain, ...).  So
    whatever this returns decodes back to req.  */
size_t zw_zap_request_pack (const zw_zap_request *req, zw_zap_envelope envelope,
                            zw_zap_frame *frames, size_t max, zw_error *error);

/*  Encode reply as its seven frames (six without the delimiter) into
    frames, as zw_zap_request_pack does: the status frame is the three
    digits of reply->status.  Returns the number of frames, or 0 with the
    decoder's error (zap-invalid-status-code for a status not 200, 300,
    400 or 500, zap-invalid-user-id for a user id with a status not 200,
    ...).  */
size_t zw_zap_reply_pack (const zw_zap_reply *reply, zw_zap_envelope envelope,
                          zw_zap_frame frames[ZW_ZAP_REPLY_FRAMES], zw_error *error);

/* A view of a NUL-terminated string (NULL gives an empty view): for the fields of a message. */
zw_zap_frame zw_zap_text (const char *text);

/* "200", "300", "400", "500" for the four status codes; NULL for any other number. */
const char *zw_zap_status_text (unsigned status);

/* 1 if size octets are a string: at most 255 octets, each 0x00..0x7F (zap.strings.ascii). */
int zw_zap_string_valid (const uint8_t *data, size_t size);

/*  1 if size octets are an address as a ZAP request carries it
    (zap.request.address): an IPv4 dotted-quad without leading zeros, or an
    IPv6 address in the RFC 5952 canonical form (lower case, no leading
    zeros, the longest run of two zero groups or more as ::, the first on
    a tie; an IPv4-mapped address as ::ffff:a.b.c.d).  Empty is not an
    address.  */
int zw_zap_address_valid (const uint8_t *text, size_t size);

/*  Writes the address of ip (4 octets: IPv4; 16 octets: IPv6, an
    IPv4-mapped one as ::ffff:a.b.c.d) as the text zw_zap_address_valid
    takes, NUL-terminated, into out.  Returns its length, or 0 (out holds
    "") for another size.  An IPv4-mapped address stays IPv6: the caller
    unmaps it first if it wants the dotted-quad.  */
size_t zw_zap_address_format (char out[ZW_ZAP_ADDRESS_TEXT_MAX], const uint8_t *ip, size_t size);

#endif
