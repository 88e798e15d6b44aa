/*  zw_curvezmq.h — the boxes of CurveZMQ (26/CurveZMQ, carried by
    25/ZMTP-CURVE): every command of the handshake made and opened, and
    MESSAGE encoded and decoded, on libsodium, with no I/O.

    The CURVE mechanism (zw_mech_curve.c, one Ragel handshake machine per
    role) calls one function per command in each direction:

      client                                  server
      zw_curvezmq_client_hello        HELLO    zw_curvezmq_server_open_hello
      zw_curvezmq_client_open_welcome WELCOME  zw_curvezmq_server_welcome
      zw_curvezmq_client_initiate     INITIATE zw_curvezmq_server_open_initiate
      zw_curvezmq_client_open_ready   READY    zw_curvezmq_server_ready
      zw_curvezmq_message_encode      MESSAGE  zw_curvezmq_message_decode (both roles)

    Shapes follow the engine's (zw_mechanism.h).  A handshake command
    comes as the codec decoded it (zw_zmtp_command of ZW_MECHANISM_CURVE:
    its fixed fields, plus the box of INITIATE and READY as a separate
    part) and goes out the same way: a make function fills a
    zw_zmtp_command for zw_mechanism_send and writes the box part, if any,
    into a caller buffer.  The codec has already checked what is layout:
    the sizes of HELLO (200) and WELCOME (168), the least sizes of
    INITIATE (257) and READY (30), the HELLO version and its 72 zero
    padding octets (curve.hello.size, curve.hello.version,
    curve.hello.padding; DECISIONS #13).  MESSAGE, after the handshake,
    is a whole frame body ("\x07MESSAGE", short nonce, box), which decode
    opens in place.  zw_curvezmq_body_read and zw_curvezmq_body_write turn
    whole command bodies into that form and back (vectors, tests).

    The keys (26/CurveZMQ "CurveZMQ Commands"): C, c the client's
    permanent pair; S, s the server's; C', c' and S', s' the transient
    pairs of one connection.  Boxes, in the RFC's notation:
      HELLO     signature Box[64 zeros](C'->S), nonce "CurveZMQHELLO---" + short
      WELCOME   Box[S' + cookie](S->C'), nonce "WELCOME-" + long
      cookie    secretbox[C' + s'](K), nonce "COOKIE--" + long, K the cookie key
      INITIATE  Box[C + vouch + metadata](C'->S'), nonce "CurveZMQINITIATE" + short
      vouch     Box[C' + S](C->S'), nonce "VOUCH---" + long
      READY     Box[metadata](S'->C'), nonce "CurveZMQREADY---" + short
      MESSAGE   Box[flags + data](C'->S' or S'->C'), nonce "CurveZMQMESSAGEC"
                (from the client) or "CurveZMQMESSAGES" (from the server) + short
    Shared keys are precomputed once (crypto_box_beforenm): C'<->S for
    HELLO and WELCOME, C'<->S' for INITIATE, READY and MESSAGE.

    Randomness: every random octet (transient secret keys, cookie keys,
    long nonces, generated key pairs) is drawn from zw_curve_random
    (zw_curve_random.c, libsodium's randombytes_buf).  A test program that
    defines its own zw_curve_random links it in front of the library's
    and gets reproducible octets (DECISIONS S10); nothing else can.

    Short nonces (8 octets, big-endian on the wire, as every ZMTP integer):
    each side counts from 1 — the client's HELLO is 1, its INITIATE 2,
    its MESSAGEs 3, 4, ...; the server's READY is 1, its MESSAGEs 2, 3, ...
    (curve.client.nonce-increment, curve.server.nonce-increment).  After
    2^64-1 commands a side sends no more (curve.*.nonce-limit).  A
    receiver takes any value for the peer's first short nonce (HELLO's,
    READY's) and then only values strictly greater than the last it
    accepted: equal is a reused nonce (curve.server.reject-nonce-reuse,
    curve.client.reject-nonce-reuse), lower one that does not increment
    (curve.server.check-nonce, curve.client.check-nonce); either is how a
    replay shows (CVE-2014-7203).  Gaps are allowed ("an incrementing
    integer, and unique to each command").

    State and errors: the caller allocates a zw_curvezmq_ctx per
    connection; init makes it a client or a server.  Functions must be
    called in the handshake's order (each checks its phase: ZW_ERR_MISUSE
    otherwise).  The first failure is recorded in ctx->error (class,
    offset within the command body, clause of spec/curve.md, a reason for
    a human) and is sticky: the context wipes its secrets and every later
    call fails at once.  The peer's failures are ZW_ERR_MALFORMED_COMMAND
    (a layout or field the RFC fixes) or ZW_ERR_CRYPTOGRAPHIC (a box that
    does not open, a nonce out of order, a key or cookie that is not this
    connection's); a caller's, ZW_ERR_MISUSE; the nonce limit,
    ZW_ERR_LIMIT_EXCEEDED.  Secrets not needed any more are wiped as the
    handshake goes (the server's s' never outlives a call; the cookie key
    goes once INITIATE has opened, curve.server.cookie-key-expiry; after
    READY only the C'<->S' key remains).  zw_curvezmq_wipe clears all.  */

#ifndef ZW_CURVEZMQ_H
#define ZW_CURVEZMQ_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>
#include "zw_error.h"
#include "zmtp_command.h"

#define ZW_CURVEZMQ_Z85_KEY_SIZE 40     /* a key in Z85 (DECISIONS S9) */
#define ZW_CURVEZMQ_BOX_OVERHEAD 16     /* a box is 16 octets larger than its text */
#define ZW_CURVEZMQ_COOKIE_SIZE 96      /* long nonce + Box[C' + s'](K) */
#define ZW_CURVEZMQ_INITIATE_BOX_MIN 144    /* C + vouch + 16 (curve.initiate.size) */
#define ZW_CURVEZMQ_READY_BOX_MIN 16        /* curve.ready.size */
/* MESSAGE: name (8), short nonce (8), box overhead (16), flags (1) — curve.message.size */
#define ZW_CURVEZMQ_MESSAGE_OVERHEAD 33

/* The payload flags of MESSAGE (curve.message.flags-reserved, DECISIONS S7). */
#define ZW_CURVEZMQ_FLAG_MORE    0x01   /* bit 0: more frames follow */
#define ZW_CURVEZMQ_FLAG_COMMAND 0x02   /* bit 1: a ZMTP 3.1 command, as libzmq sends it */

typedef struct {
    uint8_t public_key[ZW_CURVE_KEY_SIZE];
    uint8_t secret_key[ZW_CURVE_KEY_SIZE];
} zw_curvezmq_keypair;

/*  Deliberate departures from 26/CurveZMQ, each off unless asked for
    (zw_curvezmq_depart).  Only the reference peer's variants ask
    (reference/core/zw_fault.c, `make mutation`), to prove that the
    conformance suite catches each fault and never accuses the lenient
    one.  */
typedef enum {
    /*  Fault: our MESSAGE short nonce does not advance, every MESSAGE
        of the connection has the same one (curve.server.nonce-increment,
        curve.client.nonce-increment).  */
    ZW_CURVEZMQ_DEPART_NONCE_STILL = 1 << 0,
    /*  Fault: a MESSAGE's short nonce is not compared with the last: a
        replayed or lower one is taken (curve.*.check-nonce,
        curve.*.reject-nonce-reuse; CVE-2014-7203).  */
    ZW_CURVEZMQ_DEPART_NONCE_UNCHECKED = 1 << 1,
    /*  Fault: the vouch must open, but its C' and S are not compared with
        this connection's (curve.server.check-initiate).  */
    ZW_CURVEZMQ_DEPART_VOUCH_UNCHECKED = 1 << 2,
    /*  Fault: the server keeps s' from WELCOME to INITIATE and never opens
        the cookie, so any cookie passes (curve.server.check-initiate; the
        cookie is no longer its only memory, curve.server.no-transient-state).  */
    ZW_CURVEZMQ_DEPART_COOKIE_UNCHECKED = 1 << 3,
    /*  Fault: bit 2 of the payload flags set in every MESSAGE we send
        (curve.message.flags-reserved).  */
    ZW_CURVEZMQ_DEPART_RESERVED_FLAG = 1 << 4,
    /*  Lenient: our short nonces go up by 2 (1, 3, 5, ...): "an
        incrementing integer, and unique to each command" asks no step of
        one, and a receiver takes any value above the last.  */
    ZW_CURVEZMQ_DEPART_NONCE_STEP_TWO = 1 << 5
} zw_curvezmq_departure;

typedef enum { ZW_CURVEZMQ_CLIENT = 1, ZW_CURVEZMQ_SERVER = 2 } zw_curvezmq_role;

/*  Where a connection's handshake stands: the last command made or
    opened.  READY: MESSAGE may flow both ways.  */
typedef enum {
    ZW_CURVEZMQ_START = 0,
    ZW_CURVEZMQ_HELLO_DONE,         /* client: HELLO made; server: HELLO opened */
    ZW_CURVEZMQ_WELCOME_DONE,       /* client: WELCOME opened; server: WELCOME made */
    ZW_CURVEZMQ_INITIATE_DONE,      /* client: INITIATE made; server: INITIATE opened */
    ZW_CURVEZMQ_READY               /* client: READY opened; server: READY made */
} zw_curvezmq_phase;

/* What a connection must keep secret; wiped as soon as it is not needed. */
typedef struct {
    zw_curvezmq_keypair permanent;              /* C, c or S, s */
    uint8_t transient_secret[ZW_CURVE_KEY_SIZE];    /* c' (the client's; a server's s'
                                                       only under DEPART_COOKIE_UNCHECKED) */
    uint8_t hello_key[ZW_CURVE_KEY_SIZE];       /* C'<->S: HELLO, WELCOME */
    uint8_t session_key[ZW_CURVE_KEY_SIZE];     /* C'<->S': INITIATE, READY, MESSAGE */
    uint8_t cookie_key[ZW_CURVE_KEY_SIZE];      /* K (the server's), while cookie_live */
} zw_curvezmq_secrets;

/*  One connection's CurveZMQ.  Read the fields; change them only through
    the functions below.  */
typedef struct {
    zw_curvezmq_role role;
    zw_curvezmq_phase phase;
    zw_curvezmq_secrets secrets;
    int cookie_live;                            /* the server holds a cookie key */
    uint8_t client_transient[ZW_CURVE_KEY_SIZE];    /* C' */
    uint8_t server_transient[ZW_CURVE_KEY_SIZE];    /* S' (the client's; the server keeps none) */
    uint8_t server_key[ZW_CURVE_KEY_SIZE];      /* S */
    uint8_t client_key[ZW_CURVE_KEY_SIZE];      /* C (the server's, once INITIATE has opened) */
    uint8_t cookie[ZW_CURVEZMQ_COOKIE_SIZE];    /* the client's, from WELCOME to INITIATE */
    uint64_t send_nonce;                        /* our next short nonce; 0: none left */
    uint64_t recv_nonce;                        /* the peer's last accepted short nonce */
    int recv_any;                               /* recv_nonce holds one */
    unsigned departures;                        /* ZW_CURVEZMQ_DEPART_* bits; 0 after init */
    zw_error error;                             /* the first failure; sticky */
} zw_curvezmq_ctx;

/* Plaintext opened into a caller buffer, or in place (MESSAGE). */
typedef struct {
    uint8_t flags;                  /* MESSAGE: ZW_CURVEZMQ_FLAG_*; else 0 */
    const uint8_t *data;            /* metadata (INITIATE, READY) or payload data */
    size_t size;
} zw_curvezmq_plain;

/* --- keys ------------------------------------------------------------------------------- */

/*  Decodes a key written in Z85 (40 characters, no NUL needed) into 32
    octets, by the codec's Z85 decoder (z85.string-length, z85.alphabet).
    Returns 0, or -1 with *error set (invalid-z85; misuse for another
    length).  */
int zw_curvezmq_key_from_z85 (uint8_t key[ZW_CURVE_KEY_SIZE], const char *text, size_t size,
                              zw_error *error);

/* Writes a key as 40 Z85 characters and a NUL (z85.encode). */
void zw_curvezmq_key_to_z85 (char text[ZW_CURVEZMQ_Z85_KEY_SIZE + 1],
                             const uint8_t key[ZW_CURVE_KEY_SIZE]);

/*  A new key pair: 32 octets of zw_curve_random as the secret key, its
    public key by crypto_scalarmult_base.  Returns 0, or -1 (libsodium
    could not start, or refused the key).  */
int zw_curvezmq_keypair_generate (zw_curvezmq_keypair *pair);

/*  The pair of a secret key: copies it and derives the public key.
    Returns 0, or -1 as above.  */
int zw_curvezmq_keypair_from_secret (zw_curvezmq_keypair *pair,
                                     const uint8_t secret[ZW_CURVE_KEY_SIZE]);

/* --- a connection ----------------------------------------------------------------------- */

/*  A client: its permanent pair (C, c) and the server's permanent public
    key S, known before it connects (curve.client.knows-server-key).
    Makes this connection's transient pair C', c'
    (curve.client.transient-per-connection) and the C'<->S key.  Returns
    0, or -1 with ctx->error set (S is not a usable key, libsodium could
    not start).  ctx need not be zero-filled.  */
int zw_curvezmq_client_init (zw_curvezmq_ctx *ctx, const zw_curvezmq_keypair *client,
                             const uint8_t server_key[ZW_CURVE_KEY_SIZE]);

/* A server: its permanent pair (S, s).  Returns 0, or -1 as above. */
int zw_curvezmq_server_init (zw_curvezmq_ctx *ctx, const zw_curvezmq_keypair *server);

/*  Switches on the departures (ZW_CURVEZMQ_DEPART_* bits) for the rest of
    the connection; call it right after init, which clears them.  Only for
    the reference peer's deliberate variants: never in an application.  */
void zw_curvezmq_depart (zw_curvezmq_ctx *ctx, unsigned departures);

/*  The connection ends (or failed): every key, nonce and cookie is wiped
    (sodium_memzero), curve.client.transient-discard.  The context must
    be initialised again before any other use.  */
void zw_curvezmq_wipe (zw_curvezmq_ctx *ctx);

/* The first failure, or NULL. */
const zw_error *zw_curvezmq_error (const zw_curvezmq_ctx *ctx);

/* --- the client's handshake ------------------------------------------------------------- */

/*  HELLO (curve.hello.*): version 1.0, C', short nonce 1, the signature
    box of 64 zeros from C' to S.  Fills *hello (id, name, fields; no
    part).  */
int zw_curvezmq_client_hello (zw_curvezmq_ctx *ctx, zw_zmtp_command *hello);

/*  Opens WELCOME (curve.client.check-welcome): its box from S to C'
    yields S' and the cookie, which the context keeps.  A box that does
    not open says "wrong server key?" in its reason: it was tampered with,
    or the server does not hold the secret key of the S we were given.  */
int zw_curvezmq_client_open_welcome (zw_curvezmq_ctx *ctx, const zw_zmtp_command *welcome);

/*  INITIATE (curve.initiate.*): the cookie echoed, the next short nonce,
    and into box the box from C' to S' of C, the vouch (a fresh long
    nonce, Box[C' + S](C->S')) and the metadata, given as count pieces
    (count may be 0).  box must hold 144 + the metadata's size octets;
    *box_size is what was written (also in initiate->part_size).  */
int zw_curvezmq_client_initiate (zw_curvezmq_ctx *ctx, const struct iovec *metadata, int count,
                                 zw_zmtp_command *initiate, uint8_t *box, size_t cap,
                                 size_t *box_size);

/*  Opens READY (curve.client.check-ready): its short nonce is the
    server's first; its box from S' to C' holds the server's metadata,
    written to plain (cap >= box_size - 16) and returned in *metadata for
    the caller to judge (curve.client.check-metadata).  MESSAGE may flow
    after it.  */
int zw_curvezmq_client_open_ready (zw_curvezmq_ctx *ctx, const zw_zmtp_command *ready,
                                   const uint8_t *box, size_t box_size,
                                   uint8_t *plain, size_t cap, zw_curvezmq_plain *metadata);

/* --- the server's handshake ------------------------------------------------------------- */

/*  Opens HELLO (curve.server.check-hello): version 1.0, a usable C', the
    signature box from C' to S holding 64 zeros; its short nonce is the
    client's first.  (The padding and the size are the codec's.)  */
int zw_curvezmq_server_open_hello (zw_curvezmq_ctx *ctx, const zw_zmtp_command *hello);

/*  WELCOME (curve.welcome.*, curve.server.fresh-transient,
    curve.server.fresh-cookie): a fresh transient pair S', s', a fresh
    cookie key K, the cookie (a long nonce, secretbox[C' + s'](K)), and
    the box from S to C' of S' and the cookie, under another long nonce.
    s' is wiped before it returns (curve.server.no-transient-state): the
    cookie is its only memory.  Fills *welcome (no part).  */
int zw_curvezmq_server_welcome (zw_curvezmq_ctx *ctx, zw_zmtp_command *welcome);

/*  Opens INITIATE (curve.server.check-initiate): the cookie opens under
    K and names this connection's C'; the short nonce is greater than
    HELLO's; the box opens with C' and the cookie's s'; the vouch inside
    opens with the C it names and s', and holds this C' and our S.  Then
    the cookie key is wiped (curve.server.cookie-key-expiry).  On success
    ctx->client_key is C, to authenticate (curve.server.authenticate), and
    *metadata is the client's metadata, written to plain (cap >= box_size
    - 16), to judge.  */
int zw_curvezmq_server_open_initiate (zw_curvezmq_ctx *ctx, const zw_zmtp_command *initiate,
                                      const uint8_t *box, size_t box_size,
                                      uint8_t *plain, size_t cap, zw_curvezmq_plain *metadata);

/*  The cookie key's time is up (curve.server.cookie-key-expiry: "after a
    short interval, for example 60 seconds"): it is wiped now, and an
    INITIATE that comes later cannot open its cookie.  The caller's timer
    decides when; harmless at any phase.  */
void zw_curvezmq_server_expire_cookie (zw_curvezmq_ctx *ctx);

/*  READY (curve.ready.*): short nonce 1, and into box the box from S' to
    C' of the metadata pieces.  box must hold 16 + the metadata's size
    octets; *box_size is what was written (also in ready->part_size).
    MESSAGE may flow after it (curve.message.server-after-ready).  */
int zw_curvezmq_server_ready (zw_curvezmq_ctx *ctx, const struct iovec *metadata, int count,
                              zw_zmtp_command *ready, uint8_t *box, size_t cap,
                              size_t *box_size);

/* --- messages, both roles --------------------------------------------------------------- */

/*  One MESSAGE body into out: "\x07MESSAGE", our next short nonce, the
    box of the flags octet and the data (count pieces, count may be 0).
    flags: ZW_CURVEZMQ_FLAG_MORE, and ZW_CURVEZMQ_FLAG_COMMAND for a ZMTP
    command after the handshake (DECISIONS S7); any other bit is misuse.
    out must hold ZW_CURVEZMQ_MESSAGE_OVERHEAD + the data's size octets;
    *size is the body's size.  Only in phase READY.  */
int zw_curvezmq_message_encode (zw_curvezmq_ctx *ctx, uint8_t flags, const struct iovec *data,
                                int count, uint8_t *out, size_t cap, size_t *size);

/*  Decodes one MESSAGE body (curve.message.check) in place: at least 33
    octets, named MESSAGE, its short nonce greater than the last accepted,
    its box opening with the other side's prefix, no reserved flag (bits
    2-7) set.  *payload then gives the flags and the data, which lie in
    body and stay valid as long as it does.  A body that fails may have
    been changed.  Only in phase READY.  */
int zw_curvezmq_message_decode (zw_curvezmq_ctx *ctx, uint8_t *body, size_t size,
                                zw_curvezmq_plain *payload);

/* --- whole command bodies ------------------------------------------------------------- */

/*  Writes a whole command body: cmd's name and fixed fields (by
    zw_zmtp_command_pack_head, ZW_MECHANISM_CURVE), then part.  Returns
    its size, or 0 when cap is too small or a field is out of range.  */
size_t zw_curvezmq_body_write (uint8_t *out, size_t cap, const zw_zmtp_command *cmd,
                               const uint8_t *part, size_t part_size);

/*  Reads a whole command body with the codec's CURVE layouts (sizes,
    version, padding) into *cmd; *part is its box part (INITIATE, READY,
    MESSAGE), a slice of body, or NULL.  Returns 0, or -1 with *error set
    (the codec's error; offsets within the body).  */
int zw_curvezmq_body_read (const uint8_t *body, size_t size, zw_zmtp_command *cmd,
                           const uint8_t **part, size_t *part_size, zw_error *error);

/* --- randomness ----------------------------------------------------------------------- */

/*  n random octets into out: libsodium's randombytes_buf, in
    zw_curve_random.c alone.  Test programs may define their own
    (DECISIONS S10).  */
void zw_curve_random (uint8_t *out, size_t n);

#endif
