/*  zw_curvezmq.c — the boxes of CurveZMQ (26/CurveZMQ) on libsodium:
    each command of the handshake made and opened, MESSAGE encoded and
    decoded, keys in Z85 (zw_curvezmq.h says what each function does).

    Clauses: curve.hello.*, curve.welcome.*, curve.cookie.nonce-prefix,
    curve.initiate.*, curve.vouch.*, curve.ready.*, curve.message.*,
    curve.server.check-hello, curve.client.check-welcome,
    curve.server.check-initiate, curve.client.check-ready,
    curve.message.check, curve.*.check-nonce, curve.*.reject-nonce-reuse,
    curve.*.nonce-increment, curve.*.nonce-limit,
    curve.server.cookie-key-expiry, curve.server.no-transient-state.

    Invariants: between calls, ctx->phase is the last command made or
    opened, ctx->send_nonce the next short nonce we send (0 once 2^64-1
    have gone), ctx->recv_nonce the peer's last accepted (when recv_any).
    A receiver checks the nonce before it opens the box and accepts it
    only once everything has passed.  Secrets on the stack are wiped
    before every return; any failure wipes the context's secrets and
    stays (fail).  Boxes are made and opened in place where the text sits
    16 octets after the box (crypto_box_easy_afternm writes its tag first,
    then the ciphertext over the text), as libsodium allows.  */

#include <string.h>
#include <sodium.h>
#include "zw_curvezmq.h"
#include "z85.h"

#define KEY ZW_CURVE_KEY_SIZE
#define MAC ZW_CURVEZMQ_BOX_OVERHEAD
#define NONCE crypto_box_NONCEBYTES         /* 24: a prefix and a short or long nonce */
#define SHORT_NONCE 8
#define LONG_NONCE 16

/* Where fields lie in a command body: the offsets of errors. */
#define HELLO_AT_VERSION 6
#define HELLO_AT_CLIENT 80
#define HELLO_AT_BOX 120
#define WELCOME_AT_BOX 24
#define INITIATE_AT_COOKIE 9
#define INITIATE_AT_NONCE 105
#define INITIATE_AT_BOX 113
#define READY_AT_NONCE 6
#define READY_AT_BOX 14
#define MESSAGE_AT_NONCE 8
#define MESSAGE_AT_BOX 16
#define MESSAGE_AT_FLAGS 32                 /* once opened in place */

/* The texts of the fixed boxes. */
#define HELLO_TEXT 64                       /* 64 zeros (curve.hello.signature-box) */
#define WELCOME_TEXT (KEY + ZW_CURVEZMQ_COOKIE_SIZE)    /* S' + cookie */
#define COOKIE_TEXT (2 * KEY)               /* C' + s' */
#define VOUCH_TEXT (2 * KEY)                /* C' + S */
#define VOUCH_SIZE (LONG_NONCE + VOUCH_TEXT + MAC)      /* 96 */
#define INITIATE_HEAD (KEY + VOUCH_SIZE)    /* C + vouch, before the metadata: 128 */

static const uint8_t message_name[8] = { 7, 'M', 'E', 'S', 'S', 'A', 'G', 'E' };

/* --- errors and phases -------------------------------------------------------------------- */

static void
wipe_secrets (zw_curvezmq_ctx *ctx)
{
    sodium_memzero (&ctx->secrets, sizeof ctx->secrets);
    ctx->cookie_live = 0;
}

/* Records the first failure, wipes the secrets; returns -1. */
static int
fail (zw_curvezmq_ctx *ctx, zw_errcode code, uint64_t at, const char *clause, const char *reason)
{
    zw_error_set (&ctx->error, code, at, clause, reason);
    wipe_secrets (ctx);
    return -1;
}

/*  The call may go on: no failure yet, the right role, the phase before
    its own.  Else -1 (misuse is recorded; an earlier failure stays).  */
static int
expect (zw_curvezmq_ctx *ctx, zw_curvezmq_role role, zw_curvezmq_phase phase)
{
    if (ctx->error.code != ZW_OK)
        return -1;
    if (ctx->role != role)
        return fail (ctx, ZW_ERR_MISUSE, 0, NULL, "a function of the other role");
    if (ctx->phase != phase)
        return fail (ctx, ZW_ERR_MISUSE, 0, "curve.handshake.order",
                     "called out of the handshake's order");
    return 0;
}

static int
start (zw_curvezmq_ctx *ctx, zw_curvezmq_role role)
{
    memset (ctx, 0, sizeof *ctx);
    ctx->role = role;
    ctx->send_nonce = 1;            /* curve.client.nonce-increment, curve.server.nonce-increment */
    if (sodium_init () < 0)
        return fail (ctx, ZW_ERR_MISUSE, 0, NULL, "libsodium could not be initialised");
    return 0;
}

/* --- nonces ------------------------------------------------------------------------------- */

static void
put_u64 (uint8_t out[SHORT_NONCE], uint64_t value)
{
    for (int i = SHORT_NONCE - 1; i >= 0; i--, value >>= 8)
        out[i] = (uint8_t) value;
}

static uint64_t
get_u64 (const uint8_t in[SHORT_NONCE])
{
    uint64_t value = 0;
    for (int i = 0; i < SHORT_NONCE; i++)
        value = value << 8 | in[i];
    return value;
}

/* prefix (16 or 8 characters) + the nonce on the wire (8 or 16 octets) */
static void
full_nonce (uint8_t nonce[NONCE], const char *prefix, const uint8_t *tail)
{
    size_t n = strlen (prefix);
    memcpy (nonce, prefix, n);
    memcpy (nonce + n, tail, NONCE - n);
}

/*  Our next short nonce, big-endian, into out (curve.*.nonce-increment);
    none after 2^64-1 commands (curve.client.nonce-limit,
    curve.server.nonce-limit).  The lenient departure NONCE_STEP_TWO counts
    by two.  */
static int
take_nonce (zw_curvezmq_ctx *ctx, uint8_t out[SHORT_NONCE])
{
    if (ctx->send_nonce == 0)
        return fail (ctx, ZW_ERR_LIMIT_EXCEEDED, 0,
                     ctx->role == ZW_CURVEZMQ_CLIENT ? "curve.client.nonce-limit"
                                                     : "curve.server.nonce-limit",
                     "2^64-1 commands sent: no short nonce left");
    put_u64 (out, ctx->send_nonce);
    uint64_t step = ctx->departures & ZW_CURVEZMQ_DEPART_NONCE_STEP_TWO ? 2 : 1;
    ctx->send_nonce = ctx->send_nonce > UINT64_MAX - step ? 0 : ctx->send_nonce + step;
    return 0;
}

/*  The peer's short nonce must be greater than the last accepted; its
    first may be anything.  Nothing is accepted here (accept_nonce).  */
static int
check_nonce (zw_curvezmq_ctx *ctx, const uint8_t wire[SHORT_NONCE], uint64_t at)
{
    uint64_t nonce = get_u64 (wire);
    int server = ctx->role == ZW_CURVEZMQ_SERVER;
    if (!ctx->recv_any || nonce > ctx->recv_nonce)
        return 0;
    if (nonce == ctx->recv_nonce)
        return fail (ctx, ZW_ERR_CRYPTOGRAPHIC, at,
                     server ? "curve.server.reject-nonce-reuse" : "curve.client.reject-nonce-reuse",
                     server ? "the client reused a short nonce (a replayed command?)"
                            : "the server reused a short nonce (a replayed command?)");
    return fail (ctx, ZW_ERR_CRYPTOGRAPHIC, at,
                 server ? "curve.server.check-nonce" : "curve.client.check-nonce",
                 server ? "the client's short nonce went down (a replayed command?)"
                        : "the server's short nonce went down (a replayed command?)");
}

static void
accept_nonce (zw_curvezmq_ctx *ctx, const uint8_t wire[SHORT_NONCE])
{
    ctx->recv_nonce = get_u64 (wire);
    ctx->recv_any = 1;
}

/* --- keys --------------------------------------------------------------------------------- */

int
zw_curvezmq_key_from_z85 (uint8_t key[KEY], const char *text, size_t size, zw_error *error)
{
    if (size != ZW_CURVEZMQ_Z85_KEY_SIZE) {
        zw_error_set (error, ZW_ERR_MISUSE, 0, "z85.string-length",
                      "a CURVE key in Z85 is 40 characters");
        return -1;
    }
    zw_z85_ctx z85;
    zw_z85_decode_init (&z85, size, key, KEY);
    zw_z85_decode_push (&z85, (const uint8_t *) text, size);
    const zw_error *e = zw_z85_decode_error (&z85);
    if (e || !zw_z85_decode_done (&z85)) {
        if (e)
            zw_error_set (error, e->code, e->offset, e->clause, e->reason);
        else
            zw_error_set (error, ZW_ERR_INVALID_Z85, size, "z85.decode", "Z85 key incomplete");
        sodium_memzero (key, KEY);
        return -1;
    }
    return 0;
}

void
zw_curvezmq_key_to_z85 (char text[ZW_CURVEZMQ_Z85_KEY_SIZE + 1], const uint8_t key[KEY])
{
    size_t n = zw_z85_encode (text, ZW_CURVEZMQ_Z85_KEY_SIZE, key, KEY);
    text[n] = 0;
}

int
zw_curvezmq_keypair_from_secret (zw_curvezmq_keypair *pair, const uint8_t secret[KEY])
{
    if (sodium_init () < 0)
        return -1;
    memmove (pair->secret_key, secret, KEY);
    if (crypto_scalarmult_base (pair->public_key, pair->secret_key) != 0) {
        sodium_memzero (pair, sizeof *pair);
        return -1;
    }
    return 0;
}

int
zw_curvezmq_keypair_generate (zw_curvezmq_keypair *pair)
{
    uint8_t secret[KEY];
    zw_curve_random (secret, KEY);
    int rc = zw_curvezmq_keypair_from_secret (pair, secret);
    sodium_memzero (secret, KEY);
    return rc;
}

/* --- a connection ------------------------------------------------------------------------- */

int
zw_curvezmq_client_init (zw_curvezmq_ctx *ctx, const zw_curvezmq_keypair *client,
                         const uint8_t server_key[KEY])
{
    if (start (ctx, ZW_CURVEZMQ_CLIENT))
        return -1;
    zw_curvezmq_secrets *k = &ctx->secrets;
    k->permanent = *client;
    memcpy (ctx->server_key, server_key, KEY);
    /* curve.client.transient-per-connection */
    zw_curvezmq_keypair transient;
    if (zw_curvezmq_keypair_generate (&transient))
        return fail (ctx, ZW_ERR_MISUSE, 0, "curve.client.transient-per-connection",
                     "no transient key pair could be made");
    memcpy (ctx->client_transient, transient.public_key, KEY);
    memcpy (k->transient_secret, transient.secret_key, KEY);
    sodium_memzero (&transient, sizeof transient);
    if (crypto_box_beforenm (k->hello_key, ctx->server_key, k->transient_secret) != 0)
        return fail (ctx, ZW_ERR_MISUSE, 0, "curve.client.knows-server-key",
                     "the configured server key is not a usable public key (low order)");
    return 0;
}

int
zw_curvezmq_server_init (zw_curvezmq_ctx *ctx, const zw_curvezmq_keypair *server)
{
    if (start (ctx, ZW_CURVEZMQ_SERVER))
        return -1;
    ctx->secrets.permanent = *server;
    memcpy (ctx->server_key, server->public_key, KEY);
    return 0;
}

void
zw_curvezmq_depart (zw_curvezmq_ctx *ctx, unsigned departures)
{
    ctx->departures = departures;
}

void
zw_curvezmq_wipe (zw_curvezmq_ctx *ctx)
{
    sodium_memzero (ctx, sizeof *ctx);
}

const zw_error *
zw_curvezmq_error (const zw_curvezmq_ctx *ctx)
{
    return ctx->error.code != ZW_OK ? &ctx->error : NULL;
}

static void
name_command (zw_zmtp_command *cmd, zw_zmtp_command_id id, const char *name)
{
    memset (cmd, 0, sizeof *cmd);
    cmd->id = id;
    cmd->name_size = (uint8_t) strlen (name);
    memcpy (cmd->name, name, cmd->name_size);
}

static int
is_command (const zw_zmtp_command *cmd, zw_zmtp_command_id id, const char *name)
{
    return cmd->id == id && cmd->name_size == strlen (name)
        && memcmp (cmd->name, name, cmd->name_size) == 0;
}

/* The octets of count pieces; -1 when they overflow. */
static int
pieces_size (const struct iovec *pieces, int count, size_t *size)
{
    *size = 0;
    for (int i = 0; i < count; i++) {
        if (pieces[i].iov_len > SIZE_MAX - *size)
            return -1;
        *size += pieces[i].iov_len;
    }
    return 0;
}

static void
gather (uint8_t *out, const struct iovec *pieces, int count)
{
    for (int i = 0; i < count; i++) {
        if (pieces[i].iov_len)
            memcpy (out, pieces[i].iov_base, pieces[i].iov_len);
        out += pieces[i].iov_len;
    }
}

/*  A box of text + pieces at out: the text, the pieces after it, boxed in
    place under nonce and key.  cap was checked.  */
static void
seal (uint8_t *out, const uint8_t *text, size_t text_size, const struct iovec *pieces, int count,
      size_t pieces_total, const uint8_t nonce[NONCE], const uint8_t key[KEY])
{
    if (text_size)
        memcpy (out + MAC, text, text_size);
    gather (out + MAC + text_size, pieces, count);
    /* cannot fail: the key is precomputed */
    (void) !crypto_box_easy_afternm (out, out + MAC, text_size + pieces_total, nonce, key);
}

/* --- the client's handshake --------------------------------------------------------------- */

/* curve.hello.version, curve.hello.nonce-prefix, curve.hello.signature-box */
int
zw_curvezmq_client_hello (zw_curvezmq_ctx *ctx, zw_zmtp_command *hello)
{
    if (expect (ctx, ZW_CURVEZMQ_CLIENT, ZW_CURVEZMQ_START))
        return -1;
    name_command (hello, ZW_COMMAND_HELLO, "HELLO");
    hello->u.curve_hello.version[0] = 1;
    hello->u.curve_hello.version[1] = 0;
    memcpy (hello->u.curve_hello.client_key, ctx->client_transient, KEY);
    if (take_nonce (ctx, hello->u.curve_hello.nonce))
        return -1;
    uint8_t nonce[NONCE], zeros[HELLO_TEXT] = { 0 };
    full_nonce (nonce, "CurveZMQHELLO---", hello->u.curve_hello.nonce);
    (void) !crypto_box_easy_afternm (hello->u.curve_hello.signature_box, zeros, sizeof zeros,
                                     nonce, ctx->secrets.hello_key);
    ctx->phase = ZW_CURVEZMQ_HELLO_DONE;
    return 0;
}

/* curve.client.check-welcome, curve.welcome.nonce-prefix */
int
zw_curvezmq_client_open_welcome (zw_curvezmq_ctx *ctx, const zw_zmtp_command *welcome)
{
    if (expect (ctx, ZW_CURVEZMQ_CLIENT, ZW_CURVEZMQ_HELLO_DONE))
        return -1;
    if (!is_command (welcome, ZW_COMMAND_WELCOME, "WELCOME"))
        return fail (ctx, ZW_ERR_MALFORMED_COMMAND, 0, "curve.client.check-welcome",
                     "expected WELCOME");
    zw_curvezmq_secrets *k = &ctx->secrets;
    uint8_t nonce[NONCE], text[WELCOME_TEXT];
    full_nonce (nonce, "WELCOME-", welcome->u.curve_welcome.nonce);
    if (crypto_box_open_easy_afternm (text, welcome->u.curve_welcome.box,
                                      sizeof welcome->u.curve_welcome.box, nonce,
                                      k->hello_key) != 0)
        return fail (ctx, ZW_ERR_CRYPTOGRAPHIC, WELCOME_AT_BOX, "curve.client.check-welcome",
                     "WELCOME box does not open: tampered with, or the server does not hold "
                     "the secret key of the server key we were given (wrong server key?)");
    memcpy (ctx->server_transient, text, KEY);
    memcpy (ctx->cookie, text + KEY, ZW_CURVEZMQ_COOKIE_SIZE);
    sodium_memzero (text, sizeof text);
    if (crypto_box_beforenm (k->session_key, ctx->server_transient, k->transient_secret) != 0)
        return fail (ctx, ZW_ERR_CRYPTOGRAPHIC, WELCOME_AT_BOX, "curve.client.check-welcome",
                     "the server's transient key S' is not a usable public key (low order)");
    sodium_memzero (k->hello_key, KEY);
    ctx->phase = ZW_CURVEZMQ_WELCOME_DONE;
    return 0;
}

/*  The vouch into out (96 octets): a fresh long nonce, Box[C' + S](C->S')
    (curve.vouch.nonce-prefix, curve.vouch.nonce-unique).  */
static int
make_vouch (zw_curvezmq_ctx *ctx, uint8_t out[VOUCH_SIZE])
{
    uint8_t nonce[NONCE], text[VOUCH_TEXT];
    zw_curve_random (out, LONG_NONCE);
    full_nonce (nonce, "VOUCH---", out);
    memcpy (text, ctx->client_transient, KEY);
    memcpy (text + KEY, ctx->server_key, KEY);
    int rc = crypto_box_easy (out + LONG_NONCE, text, sizeof text, nonce, ctx->server_transient,
                              ctx->secrets.permanent.secret_key);
    sodium_memzero (text, sizeof text);
    return rc;
}

/* curve.initiate.nonce-prefix, curve.initiate.size */
int
zw_curvezmq_client_initiate (zw_curvezmq_ctx *ctx, const struct iovec *metadata, int count,
                             zw_zmtp_command *initiate, uint8_t *box, size_t cap,
                             size_t *box_size)
{
    if (expect (ctx, ZW_CURVEZMQ_CLIENT, ZW_CURVEZMQ_WELCOME_DONE))
        return -1;
    size_t meta;
    if (pieces_size (metadata, count, &meta) || meta > SIZE_MAX - ZW_CURVEZMQ_INITIATE_BOX_MIN
    ||  cap < ZW_CURVEZMQ_INITIATE_BOX_MIN + meta)
        return fail (ctx, ZW_ERR_MISUSE, 0, NULL, "INITIATE box buffer too small");
    uint8_t head[INITIATE_HEAD], nonce[NONCE];
    memcpy (head, ctx->secrets.permanent.public_key, KEY);
    if (make_vouch (ctx, head + KEY) != 0)
        return fail (ctx, ZW_ERR_CRYPTOGRAPHIC, 0, "curve.vouch.nonce-prefix",
                     "the vouch could not be boxed to S'");
    name_command (initiate, ZW_COMMAND_INITIATE, "INITIATE");
    memcpy (initiate->u.curve_initiate.cookie, ctx->cookie, ZW_CURVEZMQ_COOKIE_SIZE);
    if (take_nonce (ctx, initiate->u.curve_initiate.nonce))
        return -1;
    full_nonce (nonce, "CurveZMQINITIATE", initiate->u.curve_initiate.nonce);
    seal (box, head, sizeof head, metadata, count, meta, nonce, ctx->secrets.session_key);
    sodium_memzero (ctx->cookie, sizeof ctx->cookie);
    *box_size = ZW_CURVEZMQ_INITIATE_BOX_MIN + meta;
    initiate->part_size = *box_size;
    ctx->phase = ZW_CURVEZMQ_INITIATE_DONE;
    return 0;
}

/* A box of the short-nonce commands (INITIATE, READY) opens into plain. */
static int
plain_fits (zw_curvezmq_ctx *ctx, size_t box_size, size_t cap)
{
    if (cap < box_size - MAC)
        return fail (ctx, ZW_ERR_MISUSE, 0, NULL, "plaintext buffer too small for the box");
    return 0;
}

/* curve.client.check-ready, curve.ready.nonce-prefix */
int
zw_curvezmq_client_open_ready (zw_curvezmq_ctx *ctx, const zw_zmtp_command *ready,
                               const uint8_t *box, size_t box_size,
                               uint8_t *plain, size_t cap, zw_curvezmq_plain *metadata)
{
    if (expect (ctx, ZW_CURVEZMQ_CLIENT, ZW_CURVEZMQ_INITIATE_DONE))
        return -1;
    if (!is_command (ready, ZW_COMMAND_READY, "READY"))
        return fail (ctx, ZW_ERR_MALFORMED_COMMAND, 0, "curve.client.check-ready",
                     "expected READY");
    if (box_size < ZW_CURVEZMQ_READY_BOX_MIN)
        return fail (ctx, ZW_ERR_MALFORMED_COMMAND, READY_AT_BOX + box_size, "curve.ready.size",
                     "READY shorter than 30 octets");
    if (plain_fits (ctx, box_size, cap) || check_nonce (ctx, ready->u.curve_short.nonce,
                                                        READY_AT_NONCE))
        return -1;
    uint8_t nonce[NONCE];
    full_nonce (nonce, "CurveZMQREADY---", ready->u.curve_short.nonce);
    if (crypto_box_open_easy_afternm (plain, box, box_size, nonce, ctx->secrets.session_key) != 0)
        return fail (ctx, ZW_ERR_CRYPTOGRAPHIC, READY_AT_BOX, "curve.client.check-ready",
                     "READY box does not open: tampered with, or not from the server's S'");
    accept_nonce (ctx, ready->u.curve_short.nonce);
    *metadata = (zw_curvezmq_plain) { 0, plain, box_size - MAC };
    /* Only the session key is needed from now on. */
    sodium_memzero (&ctx->secrets.permanent.secret_key, KEY);
    sodium_memzero (ctx->secrets.transient_secret, KEY);
    ctx->phase = ZW_CURVEZMQ_READY;
    return 0;
}

/* --- the server's handshake --------------------------------------------------------------- */

/* curve.server.check-hello, curve.hello.version, curve.hello.signature-box */
int
zw_curvezmq_server_open_hello (zw_curvezmq_ctx *ctx, const zw_zmtp_command *hello)
{
    if (expect (ctx, ZW_CURVEZMQ_SERVER, ZW_CURVEZMQ_START))
        return -1;
    if (!is_command (hello, ZW_COMMAND_HELLO, "HELLO"))
        return fail (ctx, ZW_ERR_MALFORMED_COMMAND, 0, "curve.server.check-hello",
                     "expected HELLO");
    const uint8_t *version = hello->u.curve_hello.version;
    if (version[0] != 1 || version[1] != 0)
        return fail (ctx, ZW_ERR_MALFORMED_COMMAND, HELLO_AT_VERSION, "curve.hello.version",
                     "CurveZMQ version is not 1.0");
    zw_curvezmq_secrets *k = &ctx->secrets;
    memcpy (ctx->client_transient, hello->u.curve_hello.client_key, KEY);
    if (crypto_box_beforenm (k->hello_key, ctx->client_transient, k->permanent.secret_key) != 0)
        return fail (ctx, ZW_ERR_CRYPTOGRAPHIC, HELLO_AT_CLIENT, "curve.server.check-hello",
                     "the client's transient key C' is not a usable public key (low order)");
    uint8_t nonce[NONCE], text[HELLO_TEXT];
    full_nonce (nonce, "CurveZMQHELLO---", hello->u.curve_hello.nonce);
    if (crypto_box_open_easy_afternm (text, hello->u.curve_hello.signature_box,
                                      sizeof hello->u.curve_hello.signature_box, nonce,
                                      k->hello_key) != 0)
        return fail (ctx, ZW_ERR_CRYPTOGRAPHIC, HELLO_AT_BOX, "curve.server.check-hello",
                     "HELLO signature box does not open: tampered with, or the client was "
                     "given another server key (wrong server key?)");
    if (!sodium_is_zero (text, sizeof text))
        return fail (ctx, ZW_ERR_CRYPTOGRAPHIC, HELLO_AT_BOX, "curve.hello.signature-box",
                     "HELLO signature box does not hold 64 zero octets");
    accept_nonce (ctx, hello->u.curve_hello.nonce);
    ctx->phase = ZW_CURVEZMQ_HELLO_DONE;
    return 0;
}

/*  The cookie into out (96 octets): a long nonce, secretbox[C' + s'](K)
    under a fresh cookie key K (curve.cookie.nonce-prefix,
    curve.server.fresh-cookie).  */
static void
make_cookie (zw_curvezmq_ctx *ctx, const uint8_t server_secret[KEY], uint8_t out[96])
{
    uint8_t nonce[NONCE], text[COOKIE_TEXT];
    zw_curve_random (ctx->secrets.cookie_key, KEY);
    ctx->cookie_live = 1;
    zw_curve_random (out, LONG_NONCE);
    full_nonce (nonce, "COOKIE--", out);
    memcpy (text, ctx->client_transient, KEY);
    memcpy (text + KEY, server_secret, KEY);
    (void) crypto_secretbox_easy (out + LONG_NONCE, text, sizeof text, nonce,
                                  ctx->secrets.cookie_key);
    sodium_memzero (text, sizeof text);
}

/* curve.server.fresh-transient, curve.welcome.nonce-prefix, curve.server.long-nonce-unique */
int
zw_curvezmq_server_welcome (zw_curvezmq_ctx *ctx, zw_zmtp_command *welcome)
{
    if (expect (ctx, ZW_CURVEZMQ_SERVER, ZW_CURVEZMQ_HELLO_DONE))
        return -1;
    zw_curvezmq_keypair transient;
    if (zw_curvezmq_keypair_generate (&transient))
        return fail (ctx, ZW_ERR_MISUSE, 0, "curve.server.fresh-transient",
                     "no transient key pair could be made");
    uint8_t nonce[NONCE], text[WELCOME_TEXT];
    memcpy (text, transient.public_key, KEY);
    make_cookie (ctx, transient.secret_key, text + KEY);
    if (ctx->departures & ZW_CURVEZMQ_DEPART_COOKIE_UNCHECKED)     /* fault: s' kept */
        memcpy (ctx->secrets.transient_secret, transient.secret_key, KEY);
    sodium_memzero (&transient, sizeof transient);      /* curve.server.no-transient-state */
    name_command (welcome, ZW_COMMAND_WELCOME, "WELCOME");
    zw_curve_random (welcome->u.curve_welcome.nonce, LONG_NONCE);
    full_nonce (nonce, "WELCOME-", welcome->u.curve_welcome.nonce);
    (void) !crypto_box_easy_afternm (welcome->u.curve_welcome.box, text, sizeof text, nonce,
                                     ctx->secrets.hello_key);
    sodium_memzero (text, sizeof text);
    sodium_memzero (ctx->secrets.hello_key, KEY);
    ctx->phase = ZW_CURVEZMQ_WELCOME_DONE;
    return 0;
}

/*  Opens the cookie of INITIATE under K: it must name this connection's
    C'; s' goes to server_secret.  */
static int
open_cookie (zw_curvezmq_ctx *ctx, const uint8_t cookie[96], uint8_t server_secret[KEY])
{
    if (!ctx->cookie_live)
        return fail (ctx, ZW_ERR_CRYPTOGRAPHIC, INITIATE_AT_COOKIE,
                     "curve.server.cookie-key-expiry",
                     "the cookie key has expired: INITIATE came too late");
    uint8_t nonce[NONCE], text[COOKIE_TEXT];
    full_nonce (nonce, "COOKIE--", cookie);
    if (crypto_secretbox_open_easy (text, cookie + LONG_NONCE, COOKIE_TEXT + MAC, nonce,
                                    ctx->secrets.cookie_key) != 0)
        return fail (ctx, ZW_ERR_CRYPTOGRAPHIC, INITIATE_AT_COOKIE, "curve.server.check-initiate",
                     "the cookie does not open: tampered with, or not made by this server");
    int ours = sodium_memcmp (text, ctx->client_transient, KEY) == 0;
    memcpy (server_secret, text + KEY, KEY);
    sodium_memzero (text, sizeof text);
    if (!ours)
        return fail (ctx, ZW_ERR_CRYPTOGRAPHIC, INITIATE_AT_COOKIE, "curve.server.check-initiate",
                     "the cookie was made for another connection (not this client's C')");
    return 0;
}

/*  Opens the vouch (96 octets inside the INITIATE box) from the C it
    comes with, to S': it must hold this connection's C' and our S.  */
static int
open_vouch (zw_curvezmq_ctx *ctx, const uint8_t *vouch, const uint8_t client_key[KEY],
            const uint8_t server_secret[KEY])
{
    uint8_t nonce[NONCE], text[VOUCH_TEXT];
    full_nonce (nonce, "VOUCH---", vouch);
    if (crypto_box_open_easy (text, vouch + LONG_NONCE, VOUCH_TEXT + MAC, nonce, client_key,
                              server_secret) != 0)
        return fail (ctx, ZW_ERR_CRYPTOGRAPHIC, INITIATE_AT_BOX, "curve.server.check-initiate",
                     "the vouch does not open: not boxed by the client key C that INITIATE names");
    int unchecked = (ctx->departures & ZW_CURVEZMQ_DEPART_VOUCH_UNCHECKED) != 0;    /* fault */
    int transient_ok = unchecked || sodium_memcmp (text, ctx->client_transient, KEY) == 0;
    int server_ok = unchecked || sodium_memcmp (text + KEY, ctx->server_key, KEY) == 0;
    sodium_memzero (text, sizeof text);
    if (!transient_ok)
        return fail (ctx, ZW_ERR_CRYPTOGRAPHIC, INITIATE_AT_BOX, "curve.server.check-initiate",
                     "the vouch names another transient key than this connection's C'");
    if (!server_ok)
        return fail (ctx, ZW_ERR_CRYPTOGRAPHIC, INITIATE_AT_BOX, "curve.server.check-initiate",
                     "the vouch names another server key than ours (wrong server key?)");
    return 0;
}

/* The INITIATE box opens with C' and s' into plain; then its vouch. */
static int
open_initiate_box (zw_curvezmq_ctx *ctx, const zw_zmtp_command *initiate, const uint8_t *box,
                   size_t box_size, uint8_t *plain, const uint8_t server_secret[KEY])
{
    zw_curvezmq_secrets *k = &ctx->secrets;
    if (crypto_box_beforenm (k->session_key, ctx->client_transient, server_secret) != 0)
        return fail (ctx, ZW_ERR_CRYPTOGRAPHIC, INITIATE_AT_COOKIE, "curve.server.check-initiate",
                     "the cookie's s' is not a usable key");
    uint8_t nonce[NONCE];
    full_nonce (nonce, "CurveZMQINITIATE", initiate->u.curve_initiate.nonce);
    if (crypto_box_open_easy_afternm (plain, box, box_size, nonce, k->session_key) != 0)
        return fail (ctx, ZW_ERR_CRYPTOGRAPHIC, INITIATE_AT_BOX, "curve.server.check-initiate",
                     "INITIATE box does not open: tampered with, or not from this C'");
    return open_vouch (ctx, plain + KEY, plain, server_secret);
}

int
zw_curvezmq_server_open_initiate (zw_curvezmq_ctx *ctx, const zw_zmtp_command *initiate,
                                  const uint8_t *box, size_t box_size,
                                  uint8_t *plain, size_t cap, zw_curvezmq_plain *metadata)
{
    if (expect (ctx, ZW_CURVEZMQ_SERVER, ZW_CURVEZMQ_WELCOME_DONE))
        return -1;
    if (!is_command (initiate, ZW_COMMAND_INITIATE, "INITIATE"))
        return fail (ctx, ZW_ERR_MALFORMED_COMMAND, 0, "curve.server.check-initiate",
                     "expected INITIATE");
    if (box_size < ZW_CURVEZMQ_INITIATE_BOX_MIN)
        return fail (ctx, ZW_ERR_MALFORMED_COMMAND, INITIATE_AT_BOX + box_size,
                     "curve.initiate.size", "INITIATE shorter than 257 octets");
    if (plain_fits (ctx, box_size, cap)
    ||  check_nonce (ctx, initiate->u.curve_initiate.nonce, INITIATE_AT_NONCE))
        return -1;
    uint8_t server_secret[KEY];
    int rc = 0;
    if (ctx->departures & ZW_CURVEZMQ_DEPART_COOKIE_UNCHECKED)     /* fault: the cookie unread */
        memcpy (server_secret, ctx->secrets.transient_secret, KEY);
    else
        rc = open_cookie (ctx, initiate->u.curve_initiate.cookie, server_secret);
    sodium_memzero (ctx->secrets.transient_secret, KEY);
    if (rc == 0)
        rc = open_initiate_box (ctx, initiate, box, box_size, plain, server_secret);
    sodium_memzero (server_secret, KEY);
    if (rc)
        return -1;
    accept_nonce (ctx, initiate->u.curve_initiate.nonce);
    memcpy (ctx->client_key, plain, KEY);
    *metadata = (zw_curvezmq_plain) { 0, plain + INITIATE_HEAD, box_size - MAC - INITIATE_HEAD };
    /* curve.server.cookie-key-expiry: "as soon as the client sends a valid INITIATE" */
    zw_curvezmq_server_expire_cookie (ctx);
    sodium_memzero (&ctx->secrets.permanent.secret_key, KEY);
    ctx->phase = ZW_CURVEZMQ_INITIATE_DONE;
    return 0;
}

void
zw_curvezmq_server_expire_cookie (zw_curvezmq_ctx *ctx)
{
    sodium_memzero (ctx->secrets.cookie_key, KEY);
    ctx->cookie_live = 0;
}

/* curve.ready.nonce-prefix, curve.server.nonce-increment */
int
zw_curvezmq_server_ready (zw_curvezmq_ctx *ctx, const struct iovec *metadata, int count,
                          zw_zmtp_command *ready, uint8_t *box, size_t cap, size_t *box_size)
{
    if (expect (ctx, ZW_CURVEZMQ_SERVER, ZW_CURVEZMQ_INITIATE_DONE))
        return -1;
    size_t meta;
    if (pieces_size (metadata, count, &meta) || meta > SIZE_MAX - MAC || cap < MAC + meta)
        return fail (ctx, ZW_ERR_MISUSE, 0, NULL, "READY box buffer too small");
    name_command (ready, ZW_COMMAND_READY, "READY");
    if (take_nonce (ctx, ready->u.curve_short.nonce))
        return -1;
    uint8_t nonce[NONCE];
    full_nonce (nonce, "CurveZMQREADY---", ready->u.curve_short.nonce);
    seal (box, NULL, 0, metadata, count, meta, nonce, ctx->secrets.session_key);
    *box_size = MAC + meta;
    ready->part_size = *box_size;
    ctx->phase = ZW_CURVEZMQ_READY;
    return 0;
}

/* --- messages ----------------------------------------------------------------------------- */

/* curve.message.nonce-prefix: by who sends it */
static const char *
message_prefix (zw_curvezmq_role sender)
{
    return sender == ZW_CURVEZMQ_CLIENT ? "CurveZMQMESSAGEC" : "CurveZMQMESSAGES";
}

static int
ready_for_messages (zw_curvezmq_ctx *ctx)
{
    if (ctx->error.code != ZW_OK)
        return -1;
    if (ctx->phase != ZW_CURVEZMQ_READY)
        return fail (ctx, ZW_ERR_MISUSE, 0, "curve.handshake.order",
                     "MESSAGE before the handshake is over");
    return 0;
}

/* curve.message.flags-reserved (DECISIONS S7), curve.message.size */
int
zw_curvezmq_message_encode (zw_curvezmq_ctx *ctx, uint8_t flags, const struct iovec *data,
                            int count, uint8_t *out, size_t cap, size_t *size)
{
    if (ready_for_messages (ctx))
        return -1;
    if (flags & ~(ZW_CURVEZMQ_FLAG_MORE | ZW_CURVEZMQ_FLAG_COMMAND))
        return fail (ctx, ZW_ERR_MISUSE, 0, "curve.message.flags-reserved",
                     "payload flags other than MORE and COMMAND");
    size_t total;
    if (pieces_size (data, count, &total) || total > SIZE_MAX - ZW_CURVEZMQ_MESSAGE_OVERHEAD
    ||  cap < ZW_CURVEZMQ_MESSAGE_OVERHEAD + total)
        return fail (ctx, ZW_ERR_MISUSE, 0, NULL, "MESSAGE buffer too small");
    memcpy (out, message_name, sizeof message_name);
    if (take_nonce (ctx, out + MESSAGE_AT_NONCE))
        return -1;
    if (ctx->departures & ZW_CURVEZMQ_DEPART_NONCE_STILL)      /* fault: the same nonce again */
        ctx->send_nonce = get_u64 (out + MESSAGE_AT_NONCE);
    if (ctx->departures & ZW_CURVEZMQ_DEPART_RESERVED_FLAG)    /* fault: a reserved bit */
        flags |= 0x04;
    uint8_t nonce[NONCE];
    full_nonce (nonce, message_prefix (ctx->role), out + MESSAGE_AT_NONCE);
    seal (out + MESSAGE_AT_BOX, &flags, 1, data, count, total, nonce, ctx->secrets.session_key);
    *size = ZW_CURVEZMQ_MESSAGE_OVERHEAD + total;
    return 0;
}

/* curve.message.check, curve.message.reject-bad */
int
zw_curvezmq_message_decode (zw_curvezmq_ctx *ctx, uint8_t *body, size_t size,
                            zw_curvezmq_plain *payload)
{
    if (ready_for_messages (ctx))
        return -1;
    if (size < ZW_CURVEZMQ_MESSAGE_OVERHEAD)
        return fail (ctx, ZW_ERR_MALFORMED_COMMAND, size, "curve.message.size",
                     "MESSAGE shorter than 33 octets");
    if (memcmp (body, message_name, sizeof message_name) != 0)
        return fail (ctx, ZW_ERR_MALFORMED_COMMAND, 0, "curve.message.check",
                     "a frame after the handshake that is not a MESSAGE command");
    if (!(ctx->departures & ZW_CURVEZMQ_DEPART_NONCE_UNCHECKED)      /* fault: a replay taken */
    &&  check_nonce (ctx, body + MESSAGE_AT_NONCE, MESSAGE_AT_NONCE))
        return -1;
    uint8_t nonce[NONCE];
    zw_curvezmq_role sender = ctx->role == ZW_CURVEZMQ_CLIENT ? ZW_CURVEZMQ_SERVER
                                                              : ZW_CURVEZMQ_CLIENT;
    full_nonce (nonce, message_prefix (sender), body + MESSAGE_AT_NONCE);
    uint8_t *box = body + MESSAGE_AT_BOX;
    size_t box_size = size - MESSAGE_AT_BOX;
    if (crypto_box_open_easy_afternm (box + MAC, box, box_size, nonce,
                                      ctx->secrets.session_key) != 0)
        return fail (ctx, ZW_ERR_CRYPTOGRAPHIC, MESSAGE_AT_BOX, "curve.message.check",
                     "MESSAGE box does not open: tampered with, or not from the peer's "
                     "transient key");
    uint8_t flags = body[MESSAGE_AT_FLAGS];
    if (flags & ~(ZW_CURVEZMQ_FLAG_MORE | ZW_CURVEZMQ_FLAG_COMMAND))
        return fail (ctx, ZW_ERR_MALFORMED_COMMAND, MESSAGE_AT_FLAGS, "curve.message.check",
                     "MESSAGE payload flags have reserved bits 2-7 set");
    accept_nonce (ctx, body + MESSAGE_AT_NONCE);
    *payload = (zw_curvezmq_plain) { flags, body + MESSAGE_AT_FLAGS + 1,
                                     size - ZW_CURVEZMQ_MESSAGE_OVERHEAD };
    return 0;
}

/* --- whole command bodies ----------------------------------------------------------------- */

size_t
zw_curvezmq_body_write (uint8_t *out, size_t cap, const zw_zmtp_command *cmd,
                        const uint8_t *part, size_t part_size)
{
    size_t head = zw_zmtp_command_pack_head (out, cap, ZW_MECHANISM_CURVE, cmd);
    if (head == 0 || part_size > cap - head)
        return 0;
    if (part_size)
        memcpy (out + head, part, part_size);
    return head + part_size;
}

int
zw_curvezmq_body_read (const uint8_t *body, size_t size, zw_zmtp_command *cmd,
                       const uint8_t **part, size_t *part_size, zw_error *error)
{
    zw_zmtp_command_ctx codec;
    zw_zmtp_command_init (&codec, ZW_MECHANISM_CURVE, 0, size, NULL, NULL);
    zw_zmtp_command_push (&codec, body, size);
    const zw_error *e = zw_zmtp_command_error (&codec);
    if (e) {
        zw_error_set (error, e->code, e->offset, e->clause, e->reason);
        return -1;
    }
    if (!zw_zmtp_command_done (&codec)) {
        zw_error_set (error, ZW_ERR_MALFORMED_COMMAND, size, "zmtp31.command.name",
                      "command body incomplete");
        return -1;
    }
    *cmd = codec.command;
    *part_size = (size_t) cmd->part_size;
    *part = *part_size ? body + size - *part_size : NULL;
    return 0;
}
