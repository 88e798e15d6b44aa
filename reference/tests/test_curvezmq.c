/*  test_curvezmq.c — the CurveZMQ box layer (zw_curvezmq.h), with no
    engine and no socket: keys in Z85 (against zmq_curve(7)'s published
    pairs), a whole handshake client <-> server in memory whose every
    command goes through the codec as octets (zw_curvezmq_body_write and
    _read) and whose every box is opened again here by libsodium's plain
    crypto_box_open_easy (prefixes, layouts, the vouch's contents), the
    nonce rules (1, 2, 3 ... per side, big-endian, gaps allowed, reuse and
    decrease refused, the limit), every tampered case (a flipped octet in
    each box, the cookie, the vouch; a re-sealed INITIATE with a reused
    nonce; a cookie of another connection; an expired cookie key; a vouch
    for another C' or S; non-zero padding; wrong server key; reserved
    flags; bodies one octet short or long), secrets wiped as the handshake
    goes, the departures of the reference peer's variants, and determinism.

    Randomness: this program defines zw_curve_random itself (a counter
    run through SplitMix64), so the library's (zw_curve_random.c, in its
    own archive) is never linked: DECISIONS S10.  Two runs of the same
    handshake from the same seed give the same octets, whose SHA-256 is
    pinned (and was reproduced with PyNaCl from the RFC's layouts); another
    seed, others.  Prints "N passed, N failed".  */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "zw_curvezmq.h"

#include "test_check.h"

/* --- the deterministic stream ------------------------------------------------------------ */

static uint64_t stream_counter;
static size_t stream_drawn;             /* octets drawn since the last reset */

static void
stream_reset (uint64_t seed)
{
    stream_counter = seed;
    stream_drawn = 0;
}

/* SplitMix64 over a counter: each call of 8 octets or less takes one step per 8 octets. */
void
zw_curve_random (uint8_t *out, size_t n)
{
    while (n > 0) {
        uint64_t z = (stream_counter += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        z ^= z >> 31;
        for (int i = 0; i < 8 && n > 0; i++, n--, z >>= 8) {
            *out++ = (uint8_t) z;
            stream_drawn++;
        }
    }
}

/* --- helpers ------------------------------------------------------------------------------ */

static int
is_zero (const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i])
            return 0;
    return 1;
}

static uint64_t
get_u64 (const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

static void
put_u64 (uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t) v;
}

static void
nonce_of (uint8_t nonce[24], const char *prefix, const uint8_t *tail)
{
    size_t n = strlen (prefix);
    memcpy (nonce, prefix, n);
    memcpy (nonce + n, tail, 24 - n);
}

/* The error recorded matches class, clause and, if given, a piece of its reason. */
static int
error_is (const zw_error *e, zw_errcode code, const char *clause, const char *reason_part)
{
    if (!e || e->code != code)
        return 0;
    if (clause && (!e->clause || strcmp (e->clause, clause) != 0))
        return 0;
    return !reason_part || (e->reason && strstr (e->reason, reason_part));
}

static int
ctx_failed (const zw_curvezmq_ctx *ctx, zw_errcode code, const char *clause, const char *part)
{
    int ok = error_is (zw_curvezmq_error (ctx), code, clause, part);
    if (!ok) {
        const zw_error *e = zw_curvezmq_error (ctx);
        fprintf (stderr, "  got: %s %s \"%s\"\n", e ? zw_error_class_name (e->code) : "ok",
                 e && e->clause ? e->clause : "-", e && e->reason ? e->reason : "");
    }
    return ok;
}

/* The transcript: every body that goes on the wire, in order (determinism). */
static uint8_t transcript[8192];
static size_t transcript_size;

static void
record (const uint8_t *body, size_t size)
{
    if (transcript_size + size <= sizeof transcript)
        memcpy (transcript + transcript_size, body, size);
    transcript_size += size;
}

/* --- one connection, both ends, as octets ---------------------------------------------------- */

static const uint8_t client_meta[] = "\x0bSocket-Type\0\0\0\x06" "DEALER"
                                     "\x08Identity\0\0\0\x03" "abc";
static const uint8_t server_meta[] = "\x0bSocket-Type\0\0\0\x06" "ROUTER";
#define CLIENT_META_SIZE (sizeof client_meta - 1)
#define SERVER_META_SIZE (sizeof server_meta - 1)

typedef struct {
    zw_curvezmq_keypair client_keys, server_keys;
    zw_curvezmq_ctx client, server;
    uint8_t client_transient_secret[32];    /* c', kept by the test to open boxes itself */
    uint8_t hello[256], welcome[256], initiate[1024], ready[512];
    size_t hello_size, welcome_size, initiate_size, ready_size;
    uint8_t plain[1024];
    zw_curvezmq_plain metadata;
} link_t;

/* Keys from the stream; both ends initialised. */
static void
link_init (link_t *l, uint64_t seed)
{
    memset (l, 0, sizeof *l);
    stream_reset (seed);
    CHECK (zw_curvezmq_keypair_generate (&l->client_keys) == 0);
    CHECK (zw_curvezmq_keypair_generate (&l->server_keys) == 0);
    CHECK (zw_curvezmq_client_init (&l->client, &l->client_keys, l->server_keys.public_key) == 0);
    CHECK (zw_curvezmq_server_init (&l->server, &l->server_keys) == 0);
    memcpy (l->client_transient_secret, l->client.secrets.transient_secret, 32);
}

static void
make_hello (link_t *l)
{
    zw_zmtp_command cmd;
    CHECK (zw_curvezmq_client_hello (&l->client, &cmd) == 0);
    l->hello_size = zw_curvezmq_body_write (l->hello, sizeof l->hello, &cmd, NULL, 0);
    record (l->hello, l->hello_size);
}

/* A body through the codec, then to open (the engine's path).  -1 if the codec refused it. */
static int
read_body (const uint8_t *body, size_t size, zw_zmtp_command *cmd, const uint8_t **part,
           size_t *part_size, zw_error *codec_error)
{
    memset (codec_error, 0, sizeof *codec_error);
    return zw_curvezmq_body_read (body, size, cmd, part, part_size, codec_error);
}

static int
open_hello (link_t *l, const uint8_t *body, size_t size)
{
    zw_zmtp_command cmd;
    const uint8_t *part;
    size_t part_size;
    zw_error e;
    if (read_body (body, size, &cmd, &part, &part_size, &e))
        return -2;
    return zw_curvezmq_server_open_hello (&l->server, &cmd);
}

static void
make_welcome (link_t *l)
{
    zw_zmtp_command cmd;
    CHECK (zw_curvezmq_server_welcome (&l->server, &cmd) == 0);
    l->welcome_size = zw_curvezmq_body_write (l->welcome, sizeof l->welcome, &cmd, NULL, 0);
    record (l->welcome, l->welcome_size);
}

static int
open_welcome (link_t *l, const uint8_t *body, size_t size)
{
    zw_zmtp_command cmd;
    const uint8_t *part;
    size_t part_size;
    zw_error e;
    if (read_body (body, size, &cmd, &part, &part_size, &e))
        return -2;
    return zw_curvezmq_client_open_welcome (&l->client, &cmd);
}

static void
make_initiate (link_t *l)
{
    zw_zmtp_command cmd;
    uint8_t box[512];
    size_t box_size = 0;
    struct iovec meta[2] = { { (void *) client_meta, 20 },
                             { (void *) (client_meta + 20), CLIENT_META_SIZE - 20 } };
    CHECK (zw_curvezmq_client_initiate (&l->client, meta, 2, &cmd, box, sizeof box,
                                        &box_size) == 0);
    CHECK (box_size == 144 + CLIENT_META_SIZE && cmd.part_size == box_size);
    l->initiate_size = zw_curvezmq_body_write (l->initiate, sizeof l->initiate, &cmd, box,
                                               box_size);
    record (l->initiate, l->initiate_size);
}

static int
open_initiate (link_t *l, const uint8_t *body, size_t size)
{
    zw_zmtp_command cmd;
    const uint8_t *part;
    size_t part_size;
    zw_error e;
    if (read_body (body, size, &cmd, &part, &part_size, &e))
        return -2;
    return zw_curvezmq_server_open_initiate (&l->server, &cmd, part, part_size, l->plain,
                                             sizeof l->plain, &l->metadata);
}

static void
make_ready (link_t *l)
{
    zw_zmtp_command cmd;
    uint8_t box[256];
    size_t box_size = 0;
    struct iovec meta = { (void *) server_meta, SERVER_META_SIZE };
    CHECK (zw_curvezmq_server_ready (&l->server, &meta, 1, &cmd, box, sizeof box,
                                     &box_size) == 0);
    CHECK (box_size == 16 + SERVER_META_SIZE && cmd.part_size == box_size);
    l->ready_size = zw_curvezmq_body_write (l->ready, sizeof l->ready, &cmd, box, box_size);
    record (l->ready, l->ready_size);
}

static int
open_ready (link_t *l, const uint8_t *body, size_t size)
{
    zw_zmtp_command cmd;
    const uint8_t *part;
    size_t part_size;
    zw_error e;
    if (read_body (body, size, &cmd, &part, &part_size, &e))
        return -2;
    return zw_curvezmq_client_open_ready (&l->client, &cmd, part, part_size, l->plain,
                                          sizeof l->plain, &l->metadata);
}

/* The whole handshake up to (and not including) stop: 0 HELLO .. 4 everything. */
enum { UPTO_HELLO, UPTO_WELCOME, UPTO_INITIATE, UPTO_READY, UPTO_ALL };

static void
handshake_steps (link_t *l, int upto)
{
    if (upto <= UPTO_HELLO)
        return;
    make_hello (l);
    CHECK (open_hello (l, l->hello, l->hello_size) == 0);
    make_welcome (l);
    if (upto <= UPTO_WELCOME)
        return;
    CHECK (open_welcome (l, l->welcome, l->welcome_size) == 0);
    make_initiate (l);
    if (upto <= UPTO_INITIATE)
        return;
    CHECK (open_initiate (l, l->initiate, l->initiate_size) == 0);
    make_ready (l);
    if (upto <= UPTO_READY)
        return;
    CHECK (open_ready (l, l->ready, l->ready_size) == 0);
}

static void
handshake (link_t *l, uint64_t seed, int upto)
{
    link_init (l, seed);
    handshake_steps (l, upto);
}

/*  The same, with departures (the reference peer's variants) at both ends
    from the start.  */
static void
departing (link_t *l, uint64_t seed, unsigned departures, int upto)
{
    link_init (l, seed);
    CHECK (l->client.departures == 0 && l->server.departures == 0);
    zw_curvezmq_depart (&l->client, departures);
    zw_curvezmq_depart (&l->server, departures);
    handshake_steps (l, upto);
}

/* One MESSAGE from one end: data in one piece. */
static size_t
encode (zw_curvezmq_ctx *from, uint8_t flags, const char *data, uint8_t *out, size_t cap)
{
    size_t size = 0;
    struct iovec piece = { (void *) data, strlen (data) };
    CHECK (zw_curvezmq_message_encode (from, flags, &piece, 1, out, cap, &size) == 0);
    record (out, size);
    return size;
}

/* --- keys --------------------------------------------------------------------------------- */

/* z85.encode, z85.decode: zmq_curve(7)'s example pairs, derived and written as libzmq does. */
static void
test_keys (void)
{
    static const char *pairs[][2] = {
        { "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6", "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7" },
        { "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs", "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID" },
    };
    for (size_t i = 0; i < 2; i++) {
        uint8_t secret[32], public_key[32];
        zw_error e = { 0 };
        CHECK (zw_curvezmq_key_from_z85 (secret, pairs[i][0], 40, &e) == 0);
        CHECK (zw_curvezmq_key_from_z85 (public_key, pairs[i][1], 40, &e) == 0);
        zw_curvezmq_keypair pair;
        CHECK (zw_curvezmq_keypair_from_secret (&pair, secret) == 0);
        CHECK (memcmp (pair.public_key, public_key, 32) == 0);
        CHECK (memcmp (pair.secret_key, secret, 32) == 0);
        char text[41];
        zw_curvezmq_key_to_z85 (text, pair.public_key);
        CHECK (strcmp (text, pairs[i][1]) == 0);
        zw_curvezmq_key_to_z85 (text, pair.secret_key);
        CHECK (strcmp (text, pairs[i][0]) == 0);
    }
    uint8_t key[32];
    zw_error e = { 0 };
    CHECK (zw_curvezmq_key_from_z85 (key, "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf", 39, &e) == -1);
    CHECK (error_is (&e, ZW_ERR_MISUSE, "z85.string-length", NULL));
    memset (&e, 0, sizeof e);
    CHECK (zw_curvezmq_key_from_z85 (key, "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]y~7", 40, &e) == -1);
    CHECK (e.code == ZW_ERR_INVALID_Z85 && is_zero (key, 32));

    /* generated pairs: from the stream, the public key that of the secret */
    stream_reset (7);
    zw_curvezmq_keypair a, b, c;
    CHECK (zw_curvezmq_keypair_generate (&a) == 0 && stream_drawn == 32);
    CHECK (zw_curvezmq_keypair_generate (&b) == 0);
    CHECK (memcmp (a.secret_key, b.secret_key, 32) != 0);
    CHECK (zw_curvezmq_keypair_from_secret (&c, a.secret_key) == 0);
    CHECK (memcmp (c.public_key, a.public_key, 32) == 0);
    stream_reset (7);
    CHECK (zw_curvezmq_keypair_generate (&c) == 0 && memcmp (&c, &a, sizeof a) == 0);
}

/* --- the handshake, octet by octet -------------------------------------------------------------- */

/*  curve.hello.*, curve.welcome.*, curve.initiate.*, curve.vouch.*, curve.ready.*,
    curve.message.*: every box opened again with crypto_box_open_easy and the peer's keys.  */
static void
test_handshake (void)
{
    link_t l;
    handshake (&l, 1, UPTO_ALL);
    uint8_t nonce[24], text[1024];
    const uint8_t *C = l.client_keys.public_key, *S = l.server_keys.public_key;
    const uint8_t *c = l.client_keys.secret_key, *s = l.server_keys.secret_key;

    /* HELLO: 200 octets, version 1.0, 72 zeros, C', short nonce 1, Box[64 zeros](C'->S) */
    CHECK (l.hello_size == 200);
    CHECK (memcmp (l.hello, "\x05HELLO\x01\x00", 8) == 0 && is_zero (l.hello + 8, 72));
    const uint8_t *C1 = l.hello + 80;
    CHECK (memcmp (C1, l.client.client_transient, 32) == 0);
    CHECK (memcmp (l.hello + 112, "\0\0\0\0\0\0\0\x01", 8) == 0);
    nonce_of (nonce, "CurveZMQHELLO---", l.hello + 112);
    CHECK (crypto_box_open_easy (text, l.hello + 120, 80, nonce, C1, s) == 0);
    CHECK (is_zero (text, 64));

    /* WELCOME: 168 octets, long nonce, Box[S' + cookie](S->C') */
    CHECK (l.welcome_size == 168 && memcmp (l.welcome, "\x07WELCOME", 8) == 0);
    nonce_of (nonce, "WELCOME-", l.welcome + 8);
    CHECK (crypto_box_open_easy (text, l.welcome + 24, 144, nonce, S,
                                 l.client_transient_secret) == 0);
    uint8_t S1[32], cookie[96];
    memcpy (S1, text, 32);
    memcpy (cookie, text + 32, 96);
    CHECK (memcmp (S1, l.client.server_transient, 32) == 0);

    /* INITIATE: the cookie echoed, short nonce 2, Box[C + vouch + metadata](C'->S') */
    CHECK (l.initiate_size == 257 + CLIENT_META_SIZE);
    CHECK (memcmp (l.initiate, "\x08INITIATE", 9) == 0);
    CHECK (memcmp (l.initiate + 9, cookie, 96) == 0);
    CHECK (memcmp (l.initiate + 105, "\0\0\0\0\0\0\0\x02", 8) == 0);
    nonce_of (nonce, "CurveZMQINITIATE", l.initiate + 105);
    CHECK (crypto_box_open_easy (text, l.initiate + 113, l.initiate_size - 113, nonce, S1,
                                 l.client_transient_secret) == 0);
    CHECK (memcmp (text, C, 32) == 0);
    CHECK (memcmp (text + 128, client_meta, CLIENT_META_SIZE) == 0);
    /* the vouch: long nonce, Box[C' + S](C->S') */
    uint8_t vouch[64];
    nonce_of (nonce, "VOUCH---", text + 32);
    CHECK (crypto_box_open_easy (vouch, text + 48, 80, nonce, S1, c) == 0);
    CHECK (memcmp (vouch, C1, 32) == 0 && memcmp (vouch + 32, S, 32) == 0);

    /* READY: short nonce 1 (the server's first), Box[metadata](S'->C') */
    CHECK (l.ready_size == 30 + SERVER_META_SIZE && memcmp (l.ready, "\x05READY", 6) == 0);
    CHECK (memcmp (l.ready + 6, "\0\0\0\0\0\0\0\x01", 8) == 0);
    nonce_of (nonce, "CurveZMQREADY---", l.ready + 6);
    CHECK (crypto_box_open_easy (text, l.ready + 14, l.ready_size - 14, nonce, S1,
                                 l.client_transient_secret) == 0);
    CHECK (memcmp (text, server_meta, SERVER_META_SIZE) == 0);

    /* what each side got */
    CHECK (l.metadata.size == SERVER_META_SIZE
           && memcmp (l.metadata.data, server_meta, SERVER_META_SIZE) == 0);
    CHECK (memcmp (l.server.client_key, C, 32) == 0);
    CHECK (l.client.phase == ZW_CURVEZMQ_READY && l.server.phase == ZW_CURVEZMQ_READY);
    CHECK (memcmp (l.client.secrets.session_key, l.server.secrets.session_key, 32) == 0);

    /* MESSAGE: the client's nonces go on from INITIATE's (3), the server's from READY's (2) */
    uint8_t body[256];
    size_t size = encode (&l.client, ZW_CURVEZMQ_FLAG_MORE, "Hello", body, sizeof body);
    CHECK (size == 33 + 5 && memcmp (body, "\x07MESSAGE", 8) == 0);
    CHECK (get_u64 (body + 8) == 3);
    nonce_of (nonce, "CurveZMQMESSAGEC", body + 8);
    CHECK (crypto_box_open_easy (text, body + 16, size - 16, nonce, S1,
                                 l.client_transient_secret) == 0);
    CHECK (text[0] == 0x01 && memcmp (text + 1, "Hello", 5) == 0);
    zw_curvezmq_plain payload;
    CHECK (zw_curvezmq_message_decode (&l.server, body, size, &payload) == 0);
    CHECK (payload.flags == ZW_CURVEZMQ_FLAG_MORE && payload.size == 5
           && memcmp (payload.data, "Hello", 5) == 0 && payload.data == body + 33);

    size = encode (&l.server, 0, "World", body, sizeof body);
    CHECK (get_u64 (body + 8) == 2);
    nonce_of (nonce, "CurveZMQMESSAGES", body + 8);
    CHECK (crypto_box_open_easy (text, body + 16, size - 16, nonce, S1,
                                 l.client_transient_secret) == 0);
    CHECK (zw_curvezmq_message_decode (&l.client, body, size, &payload) == 0);
    CHECK (payload.flags == 0 && payload.size == 5 && memcmp (payload.data, "World", 5) == 0);

    /* an empty frame; a command after the handshake (bit 1, DECISIONS S7); data in pieces */
    size = encode (&l.client, 0, "", body, sizeof body);
    CHECK (size == 33 && get_u64 (body + 8) == 4);
    CHECK (zw_curvezmq_message_decode (&l.server, body, size, &payload) == 0);
    CHECK (payload.flags == 0 && payload.size == 0);
    struct iovec pieces[3] = { { "\x04PING", 5 }, { "\0\x0a", 2 }, { "ctx", 3 } };
    CHECK (zw_curvezmq_message_encode (&l.server, ZW_CURVEZMQ_FLAG_COMMAND, pieces, 3, body,
                                       sizeof body, &size) == 0);
    CHECK (size == 33 + 10 && get_u64 (body + 8) == 3);
    CHECK (zw_curvezmq_message_decode (&l.client, body, size, &payload) == 0);
    CHECK (payload.flags == ZW_CURVEZMQ_FLAG_COMMAND && payload.size == 10
           && memcmp (payload.data, "\x04PING\0\x0a" "ctx", 10) == 0);

    /* buffers one octet short are misuse, and the message is not sent */
    link_t m;
    handshake (&m, 1, UPTO_ALL);
    struct iovec five = { "Hello", 5 };
    CHECK (zw_curvezmq_message_encode (&m.client, 0, &five, 1, body, 37, &size) == -1);
    CHECK (ctx_failed (&m.client, ZW_ERR_MISUSE, NULL, "too small"));
    zw_curvezmq_wipe (&l.client);
    zw_curvezmq_wipe (&l.server);
    CHECK (is_zero (&l.client, sizeof l.client) && is_zero (&l.server, sizeof l.server));
}

/*  curve.server.no-transient-state, curve.server.cookie-key-expiry,
    curve.client.transient-discard: what each side still holds.  */
static void
test_secrets_wiped (void)
{
    link_t l;
    handshake (&l, 2, UPTO_WELCOME);
    /* the server kept neither s' nor its pair: only the cookie key, for INITIATE */
    CHECK (l.server.cookie_live && !is_zero (l.server.secrets.cookie_key, 32));
    CHECK (is_zero (l.server.secrets.hello_key, 32) && is_zero (l.server.secrets.session_key, 32));
    CHECK (is_zero (l.server.server_transient, 32));
    CHECK (open_welcome (&l, l.welcome, l.welcome_size) == 0);
    CHECK (is_zero (l.client.secrets.hello_key, 32));
    make_initiate (&l);
    CHECK (is_zero (l.client.cookie, 96));
    CHECK (open_initiate (&l, l.initiate, l.initiate_size) == 0);
    /* a valid INITIATE: the cookie key goes at once */
    CHECK (!l.server.cookie_live && is_zero (l.server.secrets.cookie_key, 32));
    CHECK (is_zero (l.server.secrets.permanent.secret_key, 32));
    make_ready (&l);
    CHECK (open_ready (&l, l.ready, l.ready_size) == 0);
    CHECK (is_zero (l.client.secrets.permanent.secret_key, 32));
    CHECK (is_zero (l.client.secrets.transient_secret, 32));
    CHECK (!is_zero (l.client.secrets.session_key, 32));
    /* a second INITIATE (a replay of the valid one) is out of order */
    CHECK (open_initiate (&l, l.initiate, l.initiate_size) == -1);
    CHECK (ctx_failed (&l.server, ZW_ERR_MISUSE, "curve.handshake.order", NULL));
}

/* --- HELLO and WELCOME refused -------------------------------------------------------------- */

/* A fresh link up to HELLO made; body a copy of HELLO with octet at flipped. */
static int
hello_flipped (size_t at, link_t *l)
{
    handshake (l, 3, UPTO_HELLO);
    make_hello (l);
    uint8_t body[200];
    memcpy (body, l->hello, 200);
    body[at] ^= 0x01;
    return open_hello (l, body, 200);
}

/* curve.server.check-hello, curve.server.reject-bad-hello, curve.hello.padding, curve.hello.size */
static void
test_hello_refused (void)
{
    link_t l;
    /* the control: as sent, it opens */
    handshake (&l, 3, UPTO_HELLO);
    make_hello (&l);
    CHECK (open_hello (&l, l.hello, 200) == 0);

    size_t box_octets[] = { 120, 150, 199 };
    for (size_t i = 0; i < 3; i++) {
        CHECK (hello_flipped (box_octets[i], &l) == -1);
        CHECK (ctx_failed (&l.server, ZW_ERR_CRYPTOGRAPHIC, "curve.server.check-hello",
                           "signature box does not open"));
        CHECK (l.server.error.offset == 120);
        CHECK (is_zero (&l.server.secrets, sizeof l.server.secrets));
    }
    CHECK (hello_flipped (90, &l) == -1);               /* C' */
    CHECK (ctx_failed (&l.server, ZW_ERR_CRYPTOGRAPHIC, "curve.server.check-hello", NULL));
    CHECK (hello_flipped (119, &l) == -1);              /* the short nonce */
    CHECK (ctx_failed (&l.server, ZW_ERR_CRYPTOGRAPHIC, "curve.server.check-hello", NULL));

    /* padding and version: refused by the codec, the server never sees them */
    size_t fields[] = { 6, 7, 8, 79 };                  /* version, padding's first, last */
    for (size_t i = 0; i < 4; i++) {
        size_t at = fields[i];
        uint8_t body[200];
        memcpy (body, l.hello, 200);
        body[at] ^= 0x01;
        zw_zmtp_command cmd;
        const uint8_t *part;
        size_t part_size;
        zw_error e;
        CHECK (read_body (body, 200, &cmd, &part, &part_size, &e) == -1);
        CHECK (error_is (&e, ZW_ERR_MALFORMED_COMMAND,
                         at < 8 ? "curve.hello.version" : "curve.hello.padding", NULL));
        CHECK (e.offset == at);
    }
    uint8_t body[201];
    for (size_t i = 0; i < 72; i++) {       /* every padding octet */
        memcpy (body, l.hello, 200);
        body[8 + i] = 0x80;
        zw_zmtp_command cmd;
        const uint8_t *part;
        size_t part_size;
        zw_error e;
        CHECK (read_body (body, 200, &cmd, &part, &part_size, &e) == -1
               && error_is (&e, ZW_ERR_MALFORMED_COMMAND, "curve.hello.padding", NULL)
               && e.offset == 8 + i);
    }
    /* a version the codec would not let through, given straight to the layer */
    handshake (&l, 3, UPTO_HELLO);
    zw_zmtp_command cmd;
    CHECK (zw_curvezmq_client_hello (&l.client, &cmd) == 0);
    cmd.u.curve_hello.version[0] = 2;
    CHECK (zw_curvezmq_server_open_hello (&l.server, &cmd) == -1);
    CHECK (ctx_failed (&l.server, ZW_ERR_MALFORMED_COMMAND, "curve.hello.version", NULL));

    /* one octet short or long */
    handshake (&l, 3, UPTO_HELLO);
    make_hello (&l);
    memcpy (body, l.hello, 200);
    body[200] = 0;
    CHECK (open_hello (&l, body, 199) == -2 && open_hello (&l, body, 201) == -2);
    CHECK (l.server.phase == ZW_CURVEZMQ_START);

    /* a client given another server key: "wrong server key?" at the server */
    link_t w;
    handshake (&w, 4, UPTO_HELLO);
    zw_curvezmq_keypair other;
    CHECK (zw_curvezmq_keypair_generate (&other) == 0);
    CHECK (zw_curvezmq_client_init (&w.client, &w.client_keys, other.public_key) == 0);
    make_hello (&w);
    CHECK (open_hello (&w, w.hello, 200) == -1);
    CHECK (ctx_failed (&w.server, ZW_ERR_CRYPTOGRAPHIC, "curve.server.check-hello",
                       "wrong server key?"));
    /* a low-order C' (all zeros) */
    handshake (&w, 4, UPTO_HELLO);
    CHECK (zw_curvezmq_client_hello (&w.client, &cmd) == 0);
    memset (cmd.u.curve_hello.client_key, 0, 32);
    CHECK (zw_curvezmq_server_open_hello (&w.server, &cmd) == -1);
    CHECK (ctx_failed (&w.server, ZW_ERR_CRYPTOGRAPHIC, "curve.server.check-hello", "low order"));
}

/* curve.client.check-welcome, curve.client.reject-bad-welcome, curve.welcome.size */
static void
test_welcome_refused (void)
{
    link_t l;
    size_t octets[] = { 8, 23, 24, 100, 167 };          /* the long nonce, the box */
    for (size_t i = 0; i < 5; i++) {
        handshake (&l, 5, UPTO_WELCOME);
        uint8_t body[168];
        memcpy (body, l.welcome, 168);
        body[octets[i]] ^= 0x20;
        CHECK (open_welcome (&l, body, 168) == -1);
        CHECK (ctx_failed (&l.client, ZW_ERR_CRYPTOGRAPHIC, "curve.client.check-welcome",
                           "wrong server key?"));
        CHECK (l.client.error.offset == 24);
        CHECK (is_zero (&l.client.secrets, sizeof l.client.secrets));
        /* sticky: nothing more from this context */
        zw_zmtp_command cmd;
        uint8_t box[512];
        size_t n;
        CHECK (zw_curvezmq_client_initiate (&l.client, NULL, 0, &cmd, box, sizeof box, &n) == -1);
        CHECK (l.client.error.code == ZW_ERR_CRYPTOGRAPHIC);
    }
    /* a server with another key answers a HELLO with our C': "wrong server key?" */
    handshake (&l, 5, UPTO_HELLO);
    make_hello (&l);
    link_t impostor;
    handshake (&impostor, 6, UPTO_HELLO);
    memcpy (impostor.client.client_transient, l.client.client_transient, 32);
    memcpy (impostor.client.secrets.transient_secret, l.client.secrets.transient_secret, 32);
    CHECK (crypto_box_beforenm (impostor.client.secrets.hello_key,
                                impostor.server_keys.public_key,
                                impostor.client.secrets.transient_secret) == 0);
    make_hello (&impostor);
    CHECK (open_hello (&impostor, impostor.hello, 200) == 0);
    make_welcome (&impostor);
    CHECK (open_welcome (&l, impostor.welcome, 168) == -1);
    CHECK (ctx_failed (&l.client, ZW_ERR_CRYPTOGRAPHIC, "curve.client.check-welcome",
                       "wrong server key?"));
    /* one octet short or long: the codec */
    handshake (&l, 5, UPTO_WELCOME);
    uint8_t body[169];
    memcpy (body, l.welcome, 168);
    body[168] = 0;
    zw_zmtp_command cmd;
    const uint8_t *part;
    size_t part_size;
    zw_error e;
    CHECK (read_body (body, 167, &cmd, &part, &part_size, &e) == -1
           && error_is (&e, ZW_ERR_MALFORMED_COMMAND, "curve.welcome.size", NULL));
    CHECK (read_body (body, 169, &cmd, &part, &part_size, &e) == -1
           && error_is (&e, ZW_ERR_MALFORMED_COMMAND, "curve.welcome.size", NULL));
    /* HELLO where WELCOME was expected */
    CHECK (open_welcome (&l, l.hello, 200) == -1);
    CHECK (ctx_failed (&l.client, ZW_ERR_MALFORMED_COMMAND, "curve.client.check-welcome", NULL));
}

/* --- INITIATE refused --------------------------------------------------------------------- */

/*  Replaces the INITIATE box of l (made, not yet opened) by one of text
    (size octets) under the short nonce given, sealed with the client's
    session key, as a client that meant it would.  */
static void
reseal_initiate (link_t *l, const uint8_t *text, size_t size, uint64_t short_nonce)
{
    uint8_t nonce[24];
    put_u64 (l->initiate + 105, short_nonce);
    nonce_of (nonce, "CurveZMQINITIATE", l->initiate + 105);
    CHECK (crypto_box_easy_afternm (l->initiate + 113, text, size, nonce,
                                    l->client.secrets.session_key) == 0);
    l->initiate_size = 113 + size + 16;
}

/* The INITIATE box of l opened (by the client's session key) into text; its size. */
static size_t
open_own_initiate (link_t *l, uint8_t *text)
{
    uint8_t nonce[24];
    nonce_of (nonce, "CurveZMQINITIATE", l->initiate + 105);
    CHECK (crypto_box_open_easy_afternm (text, l->initiate + 113, l->initiate_size - 113, nonce,
                                         l->client.secrets.session_key) == 0);
    return l->initiate_size - 113 - 16;
}

/* A vouch of vouch_text (C' + S) boxed from the permanent pair `from` to S'. */
static void
make_vouch (link_t *l, uint8_t out[96], const uint8_t vouch_text[64], const uint8_t *from_secret)
{
    uint8_t nonce[24];
    memset (out, 0x5a, 16);
    nonce_of (nonce, "VOUCH---", out);
    CHECK (crypto_box_easy (out + 16, vouch_text, 64, nonce, l->client.server_transient,
                            from_secret) == 0);
}

/*  curve.server.check-initiate, curve.server.reject-bad-initiate, curve.initiate.size,
    curve.server.reject-nonce-reuse, curve.server.check-nonce, curve.server.cookie-key-expiry  */
static void
test_initiate_refused (void)
{
    link_t l;
    /* a flipped octet: the cookie's nonce, the cookie's box, INITIATE's nonce, its box */
    struct { size_t at; const char *clause, *reason; uint64_t offset; } flips[] = {
        { 9, "curve.server.check-initiate", "cookie does not open", 9 },
        { 30, "curve.server.check-initiate", "cookie does not open", 9 },
        { 104, "curve.server.check-initiate", "cookie does not open", 9 },
        { 112, "curve.server.check-initiate", "INITIATE box does not open", 113 },
        { 113, "curve.server.check-initiate", "INITIATE box does not open", 113 },
        { 200, "curve.server.check-initiate", "INITIATE box does not open", 113 },
        { 257 + CLIENT_META_SIZE - 1, "curve.server.check-initiate", "INITIATE box does not open",
          113 },
    };
    for (size_t i = 0; i < sizeof flips / sizeof flips[0]; i++) {
        handshake (&l, 8, UPTO_INITIATE);
        l.initiate[flips[i].at] ^= 0x04;
        CHECK (open_initiate (&l, l.initiate, l.initiate_size) == -1);
        CHECK (ctx_failed (&l.server, ZW_ERR_CRYPTOGRAPHIC, flips[i].clause, flips[i].reason));
        CHECK (l.server.error.offset == flips[i].offset);
        CHECK (l.server.phase == ZW_CURVEZMQ_WELCOME_DONE && !l.server.cookie_live);
    }

    /* a well-sealed INITIATE whose short nonce is HELLO's (reuse) or lower */
    uint8_t text[1024];
    uint64_t nonces[] = { 1, 0 };
    const char *clauses[] = { "curve.server.reject-nonce-reuse", "curve.server.check-nonce" };
    for (size_t i = 0; i < 2; i++) {
        handshake (&l, 9, UPTO_INITIATE);
        size_t size = open_own_initiate (&l, text);
        reseal_initiate (&l, text, size, nonces[i]);
        CHECK (open_initiate (&l, l.initiate, l.initiate_size) == -1);
        CHECK (ctx_failed (&l.server, ZW_ERR_CRYPTOGRAPHIC, clauses[i], NULL));
        CHECK (l.server.error.offset == 105);
    }
    /* the control: resealed under a larger nonce (a gap), it opens */
    handshake (&l, 9, UPTO_INITIATE);
    size_t size = open_own_initiate (&l, text);
    reseal_initiate (&l, text, size, 1000);
    CHECK (open_initiate (&l, l.initiate, l.initiate_size) == 0);
    CHECK (l.server.recv_nonce == 1000);

    /* the vouch: a flipped octet; boxed by another client key; naming another C', another S */
    zw_curvezmq_keypair other;
    stream_reset (99);
    CHECK (zw_curvezmq_keypair_generate (&other) == 0);
    for (int variant = 0; variant < 5; variant++) {
        handshake (&l, 10, UPTO_INITIATE);
        size = open_own_initiate (&l, text);
        uint8_t vouch_text[64];
        memcpy (vouch_text, l.client.client_transient, 32);
        memcpy (vouch_text + 32, l.server_keys.public_key, 32);
        const char *reason = "vouch does not open";
        if (variant == 0)
            text[32 + 16 + 40] ^= 0x01;                         /* the vouch box */
        else if (variant == 1)
            text[32 + 3] ^= 0x01;                               /* the vouch nonce */
        else if (variant == 2)                                  /* C names one key, */
            make_vouch (&l, text + 32, vouch_text, other.secret_key);  /* another vouches */
        else if (variant == 3) {
            vouch_text[0] ^= 1;
            make_vouch (&l, text + 32, vouch_text, l.client_keys.secret_key);
            reason = "another transient key";
        }
        else {
            vouch_text[40] ^= 1;
            make_vouch (&l, text + 32, vouch_text, l.client_keys.secret_key);
            reason = "another server key";
        }
        reseal_initiate (&l, text, size, 2);
        CHECK (open_initiate (&l, l.initiate, l.initiate_size) == -1);
        CHECK (ctx_failed (&l.server, ZW_ERR_CRYPTOGRAPHIC, "curve.server.check-initiate", reason));
    }
    /* the control of the above: a vouch made here as the client makes it opens */
    handshake (&l, 10, UPTO_INITIATE);
    size = open_own_initiate (&l, text);
    {
        uint8_t vouch_text[64];
        memcpy (vouch_text, l.client.client_transient, 32);
        memcpy (vouch_text + 32, l.server_keys.public_key, 32);
        make_vouch (&l, text + 32, vouch_text, l.client_keys.secret_key);
        reseal_initiate (&l, text, size, 2);
        CHECK (open_initiate (&l, l.initiate, l.initiate_size) == 0);
    }

    /* a cookie under this server's cookie key, made for another C' */
    handshake (&l, 11, UPTO_INITIATE);
    {
        uint8_t cookie_text[64], nonce[24];
        memcpy (cookie_text, other.public_key, 32);
        memset (cookie_text + 32, 0x11, 32);
        memset (l.initiate + 9, 0x33, 16);
        nonce_of (nonce, "COOKIE--", l.initiate + 9);
        CHECK (crypto_secretbox_easy (l.initiate + 25, cookie_text, 64, nonce,
                                      l.server.secrets.cookie_key) == 0);
        CHECK (open_initiate (&l, l.initiate, l.initiate_size) == -1);
        CHECK (ctx_failed (&l.server, ZW_ERR_CRYPTOGRAPHIC, "curve.server.check-initiate",
                           "another connection"));
    }
    /* the cookie key has expired */
    handshake (&l, 12, UPTO_INITIATE);
    zw_curvezmq_server_expire_cookie (&l.server);
    CHECK (is_zero (l.server.secrets.cookie_key, 32));
    CHECK (open_initiate (&l, l.initiate, l.initiate_size) == -1);
    CHECK (ctx_failed (&l.server, ZW_ERR_CRYPTOGRAPHIC, "curve.server.cookie-key-expiry", NULL));

    /* sizes: 256 octets (box 143) refused by the codec, and by the layer given straight */
    handshake (&l, 13, UPTO_INITIATE);
    zw_zmtp_command cmd;
    const uint8_t *part;
    size_t part_size;
    zw_error e;
    CHECK (read_body (l.initiate, 256, &cmd, &part, &part_size, &e) == -1
           && error_is (&e, ZW_ERR_MALFORMED_COMMAND, "curve.initiate.size", NULL));
    CHECK (read_body (l.initiate, l.initiate_size, &cmd, &part, &part_size, &e) == 0);
    CHECK (zw_curvezmq_server_open_initiate (&l.server, &cmd, part, 143, l.plain, sizeof l.plain,
                                             &l.metadata) == -1);
    CHECK (ctx_failed (&l.server, ZW_ERR_MALFORMED_COMMAND, "curve.initiate.size", NULL));
    /* a longer body than sent: the box does not open */
    handshake (&l, 13, UPTO_INITIATE);
    l.initiate[l.initiate_size] = 0;
    CHECK (open_initiate (&l, l.initiate, l.initiate_size + 1) == -1);
    CHECK (ctx_failed (&l.server, ZW_ERR_CRYPTOGRAPHIC, "curve.server.check-initiate", NULL));
    /* a plaintext buffer too small is misuse */
    handshake (&l, 13, UPTO_INITIATE);
    CHECK (read_body (l.initiate, l.initiate_size, &cmd, &part, &part_size, &e) == 0);
    CHECK (zw_curvezmq_server_open_initiate (&l.server, &cmd, part, part_size, l.plain,
                                             part_size - 17, &l.metadata) == -1);
    CHECK (ctx_failed (&l.server, ZW_ERR_MISUSE, NULL, NULL));
}

/* --- READY refused ------------------------------------------------------------------------ */

/* curve.client.check-ready, curve.client.reject-bad-ready, curve.ready.size, curve.client.check-nonce */
static void
test_ready_refused (void)
{
    link_t l;
    size_t octets[] = { 6, 13, 14, 29 };
    for (size_t i = 0; i < 4; i++) {
        handshake (&l, 14, UPTO_READY);
        l.ready[octets[i]] ^= 0x80;
        CHECK (open_ready (&l, l.ready, l.ready_size) == -1);
        CHECK (ctx_failed (&l.client, ZW_ERR_CRYPTOGRAPHIC, "curve.client.check-ready",
                           "READY box does not open"));
        CHECK (l.client.error.offset == 14);
        CHECK (is_zero (&l.client.secrets, sizeof l.client.secrets));
    }
    handshake (&l, 14, UPTO_READY);
    zw_zmtp_command cmd;
    const uint8_t *part;
    size_t part_size;
    zw_error e;
    CHECK (read_body (l.ready, 29, &cmd, &part, &part_size, &e) == -1
           && error_is (&e, ZW_ERR_MALFORMED_COMMAND, "curve.ready.size", NULL));
    CHECK (read_body (l.ready, l.ready_size, &cmd, &part, &part_size, &e) == 0);
    CHECK (zw_curvezmq_client_open_ready (&l.client, &cmd, part, 15, l.plain, sizeof l.plain,
                                          &l.metadata) == -1);
    CHECK (ctx_failed (&l.client, ZW_ERR_MALFORMED_COMMAND, "curve.ready.size", NULL));
    /* INITIATE where READY was expected */
    handshake (&l, 14, UPTO_READY);
    CHECK (open_ready (&l, l.initiate, l.initiate_size) == -1);
    CHECK (ctx_failed (&l.client, ZW_ERR_MALFORMED_COMMAND, "curve.client.check-ready", NULL));
}

/* --- MESSAGE ------------------------------------------------------------------------------ */

/* A MESSAGE of the given payload text (flags + data) under nonce n from sender, sealed here. */
static size_t
forge_message (link_t *l, int from_client, uint64_t n, const uint8_t *text, size_t size,
               uint8_t *body)
{
    uint8_t nonce[24];
    memcpy (body, "\x07MESSAGE", 8);
    put_u64 (body + 8, n);
    nonce_of (nonce, from_client ? "CurveZMQMESSAGEC" : "CurveZMQMESSAGES", body + 8);
    CHECK (crypto_box_easy_afternm (body + 16, text, size, nonce,
                                    l->client.secrets.session_key) == 0);
    return 16 + 16 + size;
}

/*  curve.message.check, curve.message.reject-bad, curve.message.size,
    curve.message.flags-reserved (DECISIONS S7), curve.server.reject-nonce-reuse,
    curve.server.check-nonce, curve.client.reject-nonce-reuse (CVE-2014-7203)  */
static void
test_message_refused (void)
{
    link_t l;
    uint8_t body[256], copy[256];
    zw_curvezmq_plain payload;

    /* a flipped octet anywhere in the nonce or the box */
    size_t octets[] = { 15, 16, 31, 32, 37 };
    for (size_t i = 0; i < 5; i++) {
        handshake (&l, 15, UPTO_ALL);
        size_t size = encode (&l.client, 0, "Hello", body, sizeof body);
        body[octets[i]] ^= 0x10;                        /* the nonce stays above 2 */
        CHECK (zw_curvezmq_message_decode (&l.server, body, size, &payload) == -1);
        CHECK (ctx_failed (&l.server, ZW_ERR_CRYPTOGRAPHIC, "curve.message.check",
                           "box does not open"));
        CHECK (l.server.error.offset == 16);
        CHECK (is_zero (&l.server.secrets, sizeof l.server.secrets));
    }
    /* replayed (the same octets twice), lower, from the server, to the client likewise */
    handshake (&l, 16, UPTO_ALL);
    size_t size = encode (&l.client, 0, "one", body, sizeof body);
    memcpy (copy, body, size);
    CHECK (zw_curvezmq_message_decode (&l.server, body, size, &payload) == 0);
    CHECK (zw_curvezmq_message_decode (&l.server, copy, size, &payload) == -1);
    CHECK (ctx_failed (&l.server, ZW_ERR_CRYPTOGRAPHIC, "curve.server.reject-nonce-reuse",
                       "reused"));
    CHECK (l.server.error.offset == 8);

    handshake (&l, 16, UPTO_ALL);
    size = encode (&l.client, 0, "one", copy, sizeof copy);          /* nonce 3 */
    size_t size2 = encode (&l.client, 0, "two", body, sizeof body);  /* nonce 4 */
    CHECK (zw_curvezmq_message_decode (&l.server, body, size2, &payload) == 0);
    CHECK (zw_curvezmq_message_decode (&l.server, copy, size, &payload) == -1);
    CHECK (ctx_failed (&l.server, ZW_ERR_CRYPTOGRAPHIC, "curve.server.check-nonce", NULL));

    handshake (&l, 17, UPTO_ALL);
    size = encode (&l.server, 0, "one", body, sizeof body);
    memcpy (copy, body, size);
    CHECK (zw_curvezmq_message_decode (&l.client, body, size, &payload) == 0);
    CHECK (zw_curvezmq_message_decode (&l.client, copy, size, &payload) == -1);
    CHECK (ctx_failed (&l.client, ZW_ERR_CRYPTOGRAPHIC, "curve.client.reject-nonce-reuse", NULL));
    /* the server's first MESSAGE carrying READY's nonce (1), well sealed */
    handshake (&l, 17, UPTO_ALL);
    size = forge_message (&l, 0, 1, (const uint8_t *) "\0x", 2, body);
    CHECK (zw_curvezmq_message_decode (&l.client, body, size, &payload) == -1);
    CHECK (ctx_failed (&l.client, ZW_ERR_CRYPTOGRAPHIC, "curve.client.reject-nonce-reuse", NULL));

    /* a gap is no fault: nonce 10 after 2 */
    handshake (&l, 18, UPTO_ALL);
    size = forge_message (&l, 1, 10, (const uint8_t *) "\x01" "gap", 4, body);
    CHECK (zw_curvezmq_message_decode (&l.server, body, size, &payload) == 0);
    CHECK (payload.flags == 1 && payload.size == 3 && l.server.recv_nonce == 10);

    /* reflected: the client's own MESSAGE back to it (the prefix is the sender's) */
    handshake (&l, 19, UPTO_ALL);
    size = encode (&l.client, 0, "mirror", body, sizeof body);
    CHECK (zw_curvezmq_message_decode (&l.client, body, size, &payload) == -1);
    CHECK (ctx_failed (&l.client, ZW_ERR_CRYPTOGRAPHIC, "curve.message.check", NULL));

    /* reserved flags: bits 2-7 refused, each; bit 1 is a command (S7) */
    for (int bit = 2; bit < 8; bit++) {
        handshake (&l, 20, UPTO_ALL);
        uint8_t text[3] = { (uint8_t) (1u << bit), 'x', 'y' };
        size = forge_message (&l, 1, 3, text, 3, body);
        CHECK (zw_curvezmq_message_decode (&l.server, body, size, &payload) == -1);
        CHECK (ctx_failed (&l.server, ZW_ERR_MALFORMED_COMMAND, "curve.message.check",
                           "reserved"));
        CHECK (l.server.error.offset == 32);
    }
    handshake (&l, 20, UPTO_ALL);
    uint8_t cmd_text[2] = { ZW_CURVEZMQ_FLAG_COMMAND | ZW_CURVEZMQ_FLAG_MORE, 'z' };
    size = forge_message (&l, 1, 3, cmd_text, 2, body);
    CHECK (zw_curvezmq_message_decode (&l.server, body, size, &payload) == 0);
    CHECK (payload.flags == 3 && payload.size == 1 && payload.data[0] == 'z');
    /* and encode refuses to send them */
    struct iovec none = { NULL, 0 };
    CHECK (zw_curvezmq_message_encode (&l.server, 0x04, &none, 1, body, sizeof body, &size) == -1);
    CHECK (ctx_failed (&l.server, ZW_ERR_MISUSE, "curve.message.flags-reserved", NULL));

    /* sizes and name: 32 octets, not a MESSAGE */
    handshake (&l, 21, UPTO_ALL);
    size = encode (&l.client, 0, "", body, sizeof body);
    CHECK (zw_curvezmq_message_decode (&l.server, body, size - 1, &payload) == -1);
    CHECK (ctx_failed (&l.server, ZW_ERR_MALFORMED_COMMAND, "curve.message.size", NULL));
    handshake (&l, 21, UPTO_ALL);
    size = encode (&l.client, 0, "", body, sizeof body);
    body[1] = 'm';
    CHECK (zw_curvezmq_message_decode (&l.server, body, size, &payload) == -1);
    CHECK (ctx_failed (&l.server, ZW_ERR_MALFORMED_COMMAND, "curve.message.check", NULL));
    /* a longer body than sent */
    handshake (&l, 21, UPTO_ALL);
    size = encode (&l.client, 0, "abc", body, sizeof body);
    body[size] = 0;
    CHECK (zw_curvezmq_message_decode (&l.server, body, size + 1, &payload) == -1);
    CHECK (ctx_failed (&l.server, ZW_ERR_CRYPTOGRAPHIC, "curve.message.check", NULL));

    /* before READY: out of order */
    handshake (&l, 22, UPTO_READY);
    CHECK (zw_curvezmq_message_encode (&l.client, 0, &none, 1, body, sizeof body, &size) == -1);
    CHECK (ctx_failed (&l.client, ZW_ERR_MISUSE, "curve.handshake.order", NULL));
}

/* curve.client.nonce-limit, curve.server.nonce-limit, curve.*.nonce-increment */
static void
test_nonce_limit (void)
{
    link_t l;
    uint8_t body[64];
    size_t size;
    zw_curvezmq_plain payload;
    handshake (&l, 23, UPTO_ALL);
    l.client.send_nonce = UINT64_MAX;
    size = encode (&l.client, 0, "last", body, sizeof body);
    CHECK (memcmp (body + 8, "\xff\xff\xff\xff\xff\xff\xff\xff", 8) == 0);
    CHECK (zw_curvezmq_message_decode (&l.server, body, size, &payload) == 0);
    struct iovec none = { NULL, 0 };
    CHECK (zw_curvezmq_message_encode (&l.client, 0, &none, 1, body, sizeof body, &size) == -1);
    CHECK (ctx_failed (&l.client, ZW_ERR_LIMIT_EXCEEDED, "curve.client.nonce-limit", NULL));
    /* the server takes nothing after 2^64-1 */
    size = forge_message (&l, 1, UINT64_MAX, (const uint8_t *) "\0", 1, body);
    CHECK (zw_curvezmq_message_decode (&l.server, body, size, &payload) == -1);
    CHECK (ctx_failed (&l.server, ZW_ERR_CRYPTOGRAPHIC, "curve.server.reject-nonce-reuse", NULL));

    handshake (&l, 23, UPTO_ALL);
    l.server.send_nonce = 0;
    CHECK (zw_curvezmq_message_encode (&l.server, 0, &none, 1, body, sizeof body, &size) == -1);
    CHECK (ctx_failed (&l.server, ZW_ERR_LIMIT_EXCEEDED, "curve.server.nonce-limit", NULL));
}

/* Calls out of order or of the other role are misuse, and sticky. */
static void
test_misuse (void)
{
    link_t l;
    zw_zmtp_command cmd;
    uint8_t box[512];
    size_t n;
    handshake (&l, 24, UPTO_HELLO);
    CHECK (zw_curvezmq_client_initiate (&l.client, NULL, 0, &cmd, box, sizeof box, &n) == -1);
    CHECK (ctx_failed (&l.client, ZW_ERR_MISUSE, "curve.handshake.order", NULL));
    CHECK (zw_curvezmq_client_hello (&l.client, &cmd) == -1);       /* sticky */
    CHECK (zw_curvezmq_server_welcome (&l.client, &cmd) == -1);
    CHECK (ctx_failed (&l.client, ZW_ERR_MISUSE, "curve.handshake.order", NULL));
    CHECK (zw_curvezmq_client_hello (&l.server, &cmd) == -1);
    CHECK (ctx_failed (&l.server, ZW_ERR_MISUSE, NULL, "other role"));
    /* a client given a low-order server key */
    uint8_t zero[32] = { 0 };
    zw_curvezmq_ctx ctx;
    CHECK (zw_curvezmq_client_init (&ctx, &l.client_keys, zero) == -1);
    CHECK (ctx_failed (&ctx, ZW_ERR_MISUSE, "curve.client.knows-server-key", NULL));
    /* INITIATE's box buffer one octet short */
    handshake (&l, 24, UPTO_WELCOME);
    CHECK (open_welcome (&l, l.welcome, l.welcome_size) == 0);
    struct iovec meta = { (void *) client_meta, CLIENT_META_SIZE };
    CHECK (zw_curvezmq_client_initiate (&l.client, &meta, 1, &cmd, box, 143 + CLIENT_META_SIZE,
                                        &n) == -1);
    CHECK (ctx_failed (&l.client, ZW_ERR_MISUSE, NULL, "too small"));
}

/* --- departures --------------------------------------------------------------------------- */

/*  ZW_CURVEZMQ_DEPART_*, which zw_fault.c's variants ask for: each does
    what it says and nothing else (the handshake still completes).  */
static void
test_departures (void)
{
    link_t l;
    uint8_t a[128], b[128], text[1024];
    size_t na, nb;
    zw_curvezmq_plain payload;

    /* NONCE_STILL: every MESSAGE of the server has short nonce 2; a strict client refuses
       the second (the departure touches no receiver) */
    departing (&l, 30, ZW_CURVEZMQ_DEPART_NONCE_STILL, UPTO_ALL);
    na = encode (&l.server, 0, "one", a, sizeof a);
    nb = encode (&l.server, 0, "two", b, sizeof b);
    CHECK (get_u64 (a + 8) == 2 && get_u64 (b + 8) == 2);
    CHECK (zw_curvezmq_message_decode (&l.client, a, na, &payload) == 0);
    CHECK (zw_curvezmq_message_decode (&l.client, b, nb, &payload) == -1);
    CHECK (ctx_failed (&l.client, ZW_ERR_CRYPTOGRAPHIC, "curve.client.reject-nonce-reuse", NULL));

    /* NONCE_UNCHECKED: a MESSAGE replayed, then one with a lower nonce, are taken */
    departing (&l, 31, ZW_CURVEZMQ_DEPART_NONCE_UNCHECKED, UPTO_ALL);
    encode (&l.client, 0, "lower", b, sizeof b);
    na = encode (&l.client, 0, "once", a, sizeof a);
    uint8_t replay[128];
    memcpy (replay, a, na);
    CHECK (zw_curvezmq_message_decode (&l.server, a, na, &payload) == 0);
    CHECK (zw_curvezmq_message_decode (&l.server, replay, na, &payload) == 0
           && payload.size == 4 && memcmp (payload.data, "once", 4) == 0);
    CHECK (zw_curvezmq_message_decode (&l.server, b, 33 + 5, &payload) == 0
           && l.server.recv_nonce == 3);

    /* RESERVED_FLAG: bit 2 in the payload flags, which a strict peer refuses */
    departing (&l, 32, ZW_CURVEZMQ_DEPART_RESERVED_FLAG, UPTO_ALL);
    na = encode (&l.server, ZW_CURVEZMQ_FLAG_MORE, "flagged", a, sizeof a);
    CHECK (zw_curvezmq_message_decode (&l.client, a, na, &payload) == -1);
    CHECK (ctx_failed (&l.client, ZW_ERR_MALFORMED_COMMAND, "curve.message.check", "reserved"));

    /* NONCE_STEP_TWO: 1, 3, 5 ... from each side, which a strict peer takes */
    departing (&l, 33, ZW_CURVEZMQ_DEPART_NONCE_STEP_TWO, UPTO_ALL);
    CHECK (get_u64 (l.hello + 112) == 1 && get_u64 (l.initiate + 105) == 3
           && get_u64 (l.ready + 6) == 1);
    na = encode (&l.client, 0, "up", a, sizeof a);
    nb = encode (&l.server, 0, "down", b, sizeof b);
    CHECK (get_u64 (a + 8) == 5 && get_u64 (b + 8) == 3);
    CHECK (zw_curvezmq_message_decode (&l.server, a, na, &payload) == 0);
    CHECK (zw_curvezmq_message_decode (&l.client, b, nb, &payload) == 0);
    /* the last short nonce is still 2^64-1: none after it */
    l.client.send_nonce = UINT64_MAX - 1;
    encode (&l.client, 0, "last", a, sizeof a);
    CHECK (l.client.send_nonce == 0);

    /* VOUCH_UNCHECKED: a vouch naming another C' is taken; one that does not open is not */
    for (int opens = 1; opens >= 0; opens--) {
        departing (&l, 34, ZW_CURVEZMQ_DEPART_VOUCH_UNCHECKED, UPTO_INITIATE);
        size_t size = open_own_initiate (&l, text);
        uint8_t vouch_text[64];
        memcpy (vouch_text, l.client.client_transient, 32);
        memcpy (vouch_text + 32, l.server_keys.public_key, 32);
        vouch_text[0] ^= 1;
        make_vouch (&l, text + 32, vouch_text, l.client_keys.secret_key);
        if (!opens)
            text[32 + 16 + 40] ^= 0x01;
        reseal_initiate (&l, text, size, 2);
        CHECK (open_initiate (&l, l.initiate, l.initiate_size) == (opens ? 0 : -1));
    }

    /* COOKIE_UNCHECKED: the server kept s', and a cookie that does not open is never read */
    departing (&l, 35, ZW_CURVEZMQ_DEPART_COOKIE_UNCHECKED, UPTO_INITIATE);
    CHECK (!is_zero (l.server.secrets.transient_secret, 32));
    l.initiate[30] ^= 0x04;
    CHECK (open_initiate (&l, l.initiate, l.initiate_size) == 0);
    CHECK (is_zero (l.server.secrets.transient_secret, 32));
}

/* --- determinism -------------------------------------------------------------------------- */

/*  The SHA-256 of seed 42's octets (789: HELLO, WELCOME, INITIATE, READY, a MESSAGE each
    way), also obtained by building the same commands from the RFC's layouts with PyNaCl
    (crypto_box, crypto_secretbox) and this file's random stream, when the layer was written:
    a change here changes the wire.  */
#define TRANSCRIPT_42_SHA256 "aa9bdc0bbd26b76dce807cdecc001175e48b040b0869fe8cdc65b2037d7ebe8b"

/* A whole connection's octets, from keys to a MESSAGE each way, into transcript. */
static size_t
run_connection (uint64_t seed)
{
    link_t l;
    uint8_t body[128];
    transcript_size = 0;
    handshake (&l, seed, UPTO_ALL);
    encode (&l.client, 0, "ping", body, sizeof body);
    encode (&l.server, 0, "pong", body, sizeof body);
    return transcript_size;
}

/* DECISIONS S10: the layer's every random octet comes from zw_curve_random. */
static void
test_determinism (void)
{
    static uint8_t first[sizeof transcript];
    size_t n = run_connection (42);
    CHECK (n == 200 + 168 + 257 + CLIENT_META_SIZE + 30 + SERVER_META_SIZE + 2 * (33 + 4));
    CHECK (n <= sizeof transcript);
    memcpy (first, transcript, n);
    /* keys 2 * 32, C' 32, S' 32, K 32, cookie nonce 16, WELCOME nonce 16, vouch nonce 16 */
    CHECK (stream_drawn == 64 + 32 + 32 + 32 + 16 + 16 + 16);
    CHECK (run_connection (42) == n && memcmp (first, transcript, n) == 0);
    uint8_t digest[crypto_hash_sha256_BYTES];
    char hex[2 * sizeof digest + 1];
    crypto_hash_sha256 (digest, first, n);
    sodium_bin2hex (hex, sizeof hex, digest, sizeof digest);
    printf ("test-curvezmq: seed 42 transcript %zu octets, sha256 %s\n", n, hex);
    CHECK (strcmp (hex, TRANSCRIPT_42_SHA256) == 0);
    CHECK (run_connection (43) == n && memcmp (first, transcript, n) != 0);
}

int
main (void)
{
    if (sodium_init () < 0)
        return 1;
    test_keys ();
    test_handshake ();
    test_secrets_wiped ();
    test_hello_refused ();
    test_welcome_refused ();
    test_initiate_refused ();
    test_ready_refused ();
    test_message_refused ();
    test_nonce_limit ();
    test_misuse ();
    test_departures ();
    test_determinism ();
    printf ("test-curvezmq: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
