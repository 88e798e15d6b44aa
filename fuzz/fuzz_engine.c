/*  fuzz_engine.c — fuzz harness (libFuzzer, AFL++) of the reference
    stack's engine (reference/core/zw_engine.h): one ZMTP connection
    without I/O, its octets from the peer and the time given, its output
    and next deadline taken, over a fake clock.  The fuzzer plays the
    remote peer and the application, under NULL, PLAIN and CURVE
    (zw_mechanism.h), in both roles.

    The input.  Octet 0 and 1 are the configuration:
      octet 0  bits 0-1  mechanism: NULL, PLAIN, CURVE, or NULL speaking
                         only 15/ZMTP 2.0 (options.major 2)
               bit 2     as-server (PLAIN, CURVE: the role)
               bit 3     minor 0 (3.0) instead of 1 (3.1)
               bit 4     heartbeats (every 100 ms, timeout 300, TTL 1 s)
               bit 5     a handshake timer (2 s)
               bit 6     every tolerance of zmtp_tolerate.h
               bit 7     a maximum message size (1024)
      octet 1  bits 0-3  our socket type (zw_socket_type, modulo 11)
               bits 4-6  the ZAP handler: none; answers 200, 400, 300,
                         500, 200 with no user id; takes the request and
                         never answers; cannot take it (-1)
               bit 7     the socket refuses the connection (on_ready)
    Then a script, one operation per octet and its arguments:
      00-7E      the peer's next 1..127 octets (octet + 1) follow
      7F         the peer's octets, a 2-octet big-endian count first
      80-9F      the clock moves on by delays[op & 31] ms, then a tick
      A0-A7      the clock moves to the deadline - 1, + 0, + 1, + 2, then a tick
      A8-AF      the ZAP handler answers (its configured answer)
      B0-B7      the application sends a message: an octet k (1..4 frames,
                 k & 4: sizes in units of 128), then one size octet per frame
      B8-BB      SUBSCRIBE, BC-BF CANCEL: a length octet (0..31), the topic
      C0-C3      the peer closes (zw_engine_eof); C4-C7 we close
      C8-F7      the peer's next 8..384 octets ((op - C7) * 8)
      F8-FF      the peer's next frame, made here: an octet f, a length
                 octet n, n octets of body.  With CURVE, once the
                 handshake has made the connection's key, a MESSAGE
                 sealed with it around the frame meant (f bits 0-1: MORE,
                 COMMAND; bit 5: a reserved payload flag), its short
                 nonce the last the engine accepted + 1, + 0, + 2 or - 1
                 (bits 2-3), in a data frame or a command frame (bit 4);
                 otherwise the frame as it is, flags f bits 0-1
    The peer's octets are what a peer writes from its first octet on.

    CURVE: the keys are fixed (server s = 0x01.., client c = 0x41..; the
    client knows S) and zw_curve_random is this file's own (SplitMix64
    from a fixed seed, DECISIONS S10), so the same input makes the same
    transient keys, cookies and nonces and a recorded handshake replays:
    the committed seeds (fuzz/corpus/engine/) hold complete handshakes
    from the peer's side for every mechanism and role, made by this file
    built with -DZW_FUZZ_ENGINE_SEEDS (make fuzz-engine-seeds): a second
    engine, on a random stream of its own, plays the peer, and what it
    writes is recorded as the script.

    Each input runs three times: the peer's octets pushed as the script
    cuts them (reading into zw_engine_input_space when the engine offers
    it), each run of them as one chunk, and in 1-octet chunks (hashed cuts
    above 1024 octets).  Beyond sanitizers and leaks, the oracles:

      1. split invariance: the three runs write the same octets, report
         the same events (on_ready, messages, subscriptions, ZAP requests)
         and deadlines at every operation that is not the peer's octets,
         and end the same way (closed or not, the violation's code, offset
         and clause, the close reason);
      2. everything the engine writes decodes with the codec (codec/): its
         greeting (3.x with our mechanism, minor and as-server; 2.0 with
         our socket type and identity, after revision 1, or 3 from a 3.x
         engine stepping down; only the 11 octets of the partial greeting
         until the peer's version is known), every frame (strict: no
         reserved flag, short size whenever it fits), every command by the
         layouts of the mechanism's handshake, which go in its order (NULL:
         READY; PLAIN and CURVE: HELLO, INITIATE or WELCOME, READY), PLAIN's
         HELLO with our credentials, metadata naming our socket type, ERROR
         only as the last frame and never from a CURVE client
         (curve.client.no-error); after the handshake, only once the
         connection is up: messages (no command inside one), PING only with
         heartbeats, PING, SUBSCRIBE and CANCEL only on 3.1 both ways (PONG,
         the answer to the peer's PING, on any 3.x); with CURVE every frame
         a data frame with flags 0 whose body is a MESSAGE command
         (DECISIONS S11), short nonces 1, 2, ... in order (HELLO, INITIATE,
         then MESSAGE; READY, then MESSAGE), HELLO's signature box opening
         with the server's key, INITIATE's box and READY's holding our key
         and metadata, and every MESSAGE opening with the connection's key
         (read from the CURVE state once the handshake has made it), its
         flags octet with no reserved bit, a command in it not with MORE;
      3. the engine writes nothing once it is closed, and calls nothing
         back; send refuses with EAGAIN exactly when it is not up;
      4. the deadline is never in the past: after every operation it is
         later than now, or UINT64_MAX once closed;
      5. a violation's offset lies within the octets pushed (or just past
         the last, where a known length ends short); ZAP is asked at most
         once, by a server (any NULL peer), with the mechanism's
         credentials (none, user name and password, a 32-octet key).

    Any failure prints what failed, the run, the operation and the input,
    then aborts.  */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "zw_engine.h"
#include "zw_curvezmq.h"
#include "zmtp_metadata.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* --- deterministic randomness (DECISIONS S10) ------------------------------------------ */

/* A SplitMix64 stream: the engine under test draws from its own, reset for every run. */
typedef struct {
    uint64_t counter;
} random_stream;

#define ENGINE_SEED UINT64_C(0x7A77697265656E67)     /* "zwireeng" */
static random_stream engine_stream;
static random_stream *drawing = &engine_stream;

void
zw_curve_random (uint8_t *out, size_t n)
{
    while (n > 0) {
        uint64_t z = (drawing->counter += UINT64_C(0x9E3779B97F4A7C15));
        z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
        z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
        z ^= z >> 31;
        for (int i = 0; i < 8 && n > 0; i++, n--, z >>= 8)
            *out++ = (uint8_t) z;
    }
}

/* --- the fixed keys and credentials ----------------------------------------------------- */

static zw_curve_settings server_keys, client_keys;
static const zw_plain_settings plain_credentials = { 5, 6, "admin", "secret" };
static const uint8_t identity[] = "fuzz";
#define IDENTITY_SIZE 4
static uint8_t properties[32];
static size_t properties_size;

static void
setup_once (void)
{
    static int done;
    if (done)
        return;
    done = 1;
    if (sodium_init () < 0)
        abort ();
    for (int i = 0; i < 32; i++) {
        server_keys.secret_key[i] = (uint8_t) (0x01 + i);
        client_keys.secret_key[i] = (uint8_t) (0x41 + i);
    }
    crypto_scalarmult_base (server_keys.public_key, server_keys.secret_key);
    crypto_scalarmult_base (client_keys.public_key, client_keys.secret_key);
    memcpy (client_keys.server_key, server_keys.public_key, 32);
    memcpy (server_keys.server_key, server_keys.public_key, 32);
    server_keys.has_secret_key = client_keys.has_secret_key = 1;
    properties_size = zw_zmtp_metadata_pack (properties, sizeof properties, "X-Fuzz", 6,
                                             (const uint8_t *) "1", 1);
}

/* --- the configuration ------------------------------------------------------------------ */

enum { MECH_NULL, MECH_PLAIN, MECH_CURVE, MECH_NULL_V2 };
enum { ZAP_NONE, ZAP_200, ZAP_400, ZAP_300, ZAP_500, ZAP_200_NO_USER, ZAP_NEVER, ZAP_BROKEN };

typedef struct {
    int mech, as_server, minor, heartbeat, handshake_timer, tolerate, limit;
    int socket_type, zap, refuse;
} config;

static config
config_read (uint8_t c0, uint8_t c1)
{
    config c = {
        c0 & 3, (c0 >> 2) & 1, (c0 & 8) ? 0 : 1, (c0 >> 4) & 1, (c0 >> 5) & 1, (c0 >> 6) & 1,
        (c0 >> 7) & 1, (c1 & 15) % 11, (c1 >> 4) & 7, c1 >> 7
    };
    return c;
}

static const zw_mechanism_ops *
config_ops (const config *c)
{
    return c->mech == MECH_PLAIN ? &zw_mech_plain : c->mech == MECH_CURVE ? &zw_mech_curve
                                                                          : &zw_mech_null;
}

static zw_zmtp_mechanism
config_codec (const config *c)
{
    return c->mech == MECH_PLAIN ? ZW_MECHANISM_PLAIN : c->mech == MECH_CURVE ? ZW_MECHANISM_CURVE
                                                                              : ZW_MECHANISM_NULL;
}

static zw_engine_options
config_options (const config *c)
{
    zw_engine_options o;
    memset (&o, 0, sizeof o);
    o.socket_type = (zw_socket_type) c->socket_type;
    o.major = c->mech == MECH_NULL_V2 ? 2 : 3;
    o.minor = (uint8_t) c->minor;
    o.identity_size = IDENTITY_SIZE;
    memcpy (o.identity, identity, IDENTITY_SIZE);
    o.max_msg_size = c->limit ? 1024 : 0;
    o.handshake_ivl = c->handshake_timer ? 2000 : 0;
    o.heartbeat_ivl = c->heartbeat ? 100 : 0;
    o.heartbeat_timeout = 300;
    o.heartbeat_ttl = 1000;
    o.properties = properties;
    o.properties_size = properties_size;
    o.tolerate = c->tolerate ? 0x7F : 0;
    o.mechanism.ops = config_ops (c);
    o.mechanism.as_server = c->as_server;
    o.mechanism.settings = c->mech == MECH_PLAIN ? (const void *) (c->as_server ? NULL
                                                                    : &plain_credentials)
                         : c->mech == MECH_CURVE ? (const void *) (c->as_server ? &server_keys
                                                                                : &client_keys)
                         : NULL;
    return o;
}

/* --- the script --------------------------------------------------------------------------- */

/* How a run cuts the peer's octets. */
enum { CUT_SCRIPT, CUT_MERGED, CUT_SPLIT };

enum { OP_DATA, OP_ADVANCE, OP_TO_DEADLINE, OP_ZAP, OP_SEND, OP_SUBSCRIBE, OP_CANCEL, OP_EOF,
       OP_CLOSE, OP_FRAME };

typedef struct {
    int kind;
    const uint8_t *data;    /* OP_DATA: the peer's octets; OP_SEND, OP_SUBSCRIBE: arguments */
    size_t len;
    uint64_t arg;           /* OP_ADVANCE: ms; OP_TO_DEADLINE: offset + 1; OP_SEND: frame count;
                               OP_FRAME: f */
} op;

static const uint64_t delays[32] = {
    1, 2, 5, 10, 50, 99, 100, 101, 150, 200, 299, 300, 301, 500, 999, 1000, 1001, 1999, 2000,
    2001, 3000, 5000, 10000, 30000, 60000, 100000, 300000, 600000, 1000000, 3600000, 86400000,
    1000000000
};

static size_t
take (size_t size, size_t at, size_t want)
{
    return want < size - at ? want : size - at;
}

/* The operation at data[at]; returns where the next begins. */
static size_t
op_read (const uint8_t *data, size_t size, size_t at, op *o)
{
    uint8_t b = data[at++];
    memset (o, 0, sizeof *o);
    if (b >= 0xF8) {
        o->kind = OP_FRAME;
        o->arg = at < size ? data[at] : 0;
        size_t n = at + 1 < size ? data[at + 1] : 0;
        at += take (size, at, 2);
        o->data = data + at;
        o->len = take (size, at, n);
        return at + o->len;
    }
    if (b <= 0x7F || b >= 0xC8) {
        size_t want = b < 0x7F ? (size_t) b + 1 : b >= 0xC8 ? (size_t) (b - 0xC7) * 8 : 0;
        if (b == 0x7F) {
            want = (size_t) (at < size ? data[at] : 0) << 8 | (at + 1 < size ? data[at + 1] : 0);
            at += take (size, at, 2);
        }
        o->kind = OP_DATA;
        o->data = data + at;
        o->len = take (size, at, want);
        return at + o->len;
    }
    if (b <= 0x9F) {
        o->kind = OP_ADVANCE;
        o->arg = delays[b & 31];
    }
    else if (b <= 0xA7) {
        o->kind = OP_TO_DEADLINE;
        o->arg = b & 3;
    }
    else if (b <= 0xAF)
        o->kind = OP_ZAP;
    else if (b <= 0xB7) {
        o->kind = OP_SEND;
        uint8_t k = at < size ? data[at] : 0;
        at += take (size, at, 1);
        o->arg = (uint64_t) (k & 3) + 1 + (k & 4 ? 8 : 0);     /* bit 3 of arg: big frames */
        o->data = data + at;
        o->len = take (size, at, (k & 3) + 1);
        at += o->len;
    }
    else if (b <= 0xBF) {
        o->kind = b <= 0xBB ? OP_SUBSCRIBE : OP_CANCEL;
        size_t n = at < size ? data[at] & 31 : 0;
        at += take (size, at, 1);
        o->data = data + at;
        o->len = take (size, at, n);
        at += o->len;
    }
    else
        o->kind = b <= 0xC3 ? OP_EOF : OP_CLOSE;
    return at;
}

/* --- reporting ----------------------------------------------------------------------------- */

static const uint8_t *input;
static size_t input_size;
static int run_index;
static size_t op_index;
static const char *const run_names[] = { "as the script cuts it", "one chunk per run of octets",
                                         "1-octet chunks (hashed cuts above 1024)" };

static void outcome_of_current (void);

static void
fail (const char *what, const char *detail)
{
    fprintf (stderr, "zwire fuzz oracle FAILED: engine: %s%s%s\n", what, detail ? ": " : "",
             detail ? detail : "");
    fprintf (stderr, "  run %d (%s), operation %zu; config %02x %02x\n", run_index,
             run_names[run_index], op_index, input_size > 0 ? input[0] : 0,
             input_size > 1 ? input[1] : 0);
    outcome_of_current ();
    fprintf (stderr, "  input (%zu octets):", input_size);
    for (size_t i = 0; i < input_size && i < 4096; i++)
        fprintf (stderr, "%s%02x", i % 32 ? "" : "\n    ", input[i]);
    fprintf (stderr, "\n");
    abort ();
}

/* --- growable octets ----------------------------------------------------------------------- */

typedef struct {
    uint8_t *data;
    size_t len, cap;
} bytes;

static void
bytes_add (bytes *b, const void *data, size_t len)
{
    if (len == 0)
        return;
    if (b->len + len > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + len)
            cap *= 2;
        uint8_t *grown = realloc (b->data, cap);
        if (!grown)
            abort ();
        b->data = grown;
        b->cap = cap;
    }
    memcpy (b->data + b->len, data, len);
    b->len += len;
}

static uint64_t
fnv (uint64_t h, const void *data, size_t len)
{
    const uint8_t *p = data;
    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * UINT64_C(0x100000001B3);
    return h;
}

/* --- the run ------------------------------------------------------------------------------- */

/* What a run says at each operation that is not the peer's octets, and at its end. */
typedef struct {
    uint64_t out_len, events, deadline, now;
    int closed, active;
} record;

typedef struct {
    int started;
    size_t pos;                         /* octets of out read */
    zw_zmtp_greeting_ctx greeting;
    zw_zmtp_frame_ctx frames;
    zw_zmtp_family family;
    zw_zmtp_frame_header header;
    bytes body;
    int phase;                          /* handshake commands seen */
    int handshake_over, error_sent, in_message;
    uint64_t next_nonce;                /* CURVE: our next short nonce */
} checker;

typedef struct {
    config cfg;
    zw_engine_options options;
    zw_engine_callbacks callbacks;
    zw_engine engine;
    uint64_t now, pushed, events;
    int zap_pending, zap_asked, ever_active;
    int closed_seen;                    /* closed at the end of an earlier operation */
    bytes out;                          /* what it wrote (only its length when expect) */
    const bytes *expect;                /* the first run's output, compared as it comes */
    checker check;
    uint8_t key[32];                    /* CURVE: C'<->S', once known */
    int have_key;
    int cut;                            /* how this run cuts the peer's octets (CUT_*) */
    uint64_t hash;                      /* of the input: where the hashed cuts fall */
    record *records;
    size_t nrecords, records_cap;
} driver;

static driver *current;                 /* the run going on, for failure reports */
static driver drivers[3];               /* one per cut (CUT_*) */

static void
note (driver *d, char tag, const void *data, size_t len)
{
    d->events = fnv (d->events, &tag, 1);
    d->events = fnv (d->events, &len, sizeof len);
    d->events = fnv (d->events, data, len);
}

static void
no_callback_after_close (driver *d, const char *which)
{
    if (zw_engine_closed (&d->engine))
        fail ("a callback after the connection closed", which);
}

/*  The CURVE state's connection key, once the handshake has made it and
    while no failure has wiped it.  The one reach into a mechanism's
    private state: curve_state (zw_mech_curve.c) begins with its
    zw_curvezmq_ctx, so its address is the state's.  */
static const uint8_t *
curve_key (driver *d)
{
    const zw_curvezmq_ctx *box = d->engine.mech.state;
    if (d->have_key)
        return d->key;
    if (d->cfg.mech != MECH_CURVE || !box || box->error.code != ZW_OK)
        return NULL;
    if (box->phase < (d->cfg.as_server ? ZW_CURVEZMQ_INITIATE_DONE : ZW_CURVEZMQ_WELCOME_DONE))
        return NULL;
    memcpy (d->key, box->secrets.session_key, 32);
    d->have_key = 1;
    return d->key;
}

static int
on_ready (void *user, const zw_peer_info *peer)
{
    driver *d = user;
    no_callback_after_close (d, "on_ready");
    if (d->ever_active)
        fail ("on_ready twice", NULL);
    d->ever_active = 1;
    curve_key (d);
    uint8_t head[4] = { (uint8_t) peer->family, peer->minor, (uint8_t) peer->socket_type,
                        peer->identity_size };
    note (d, 'R', head, sizeof head);
    note (d, 'I', peer->identity, peer->identity_size);
    return d->cfg.refuse;
}

static void
on_message (void *user, zw_msg *msg)
{
    driver *d = user;
    no_callback_after_close (d, "on_message");
    if (!zw_engine_active (&d->engine) || msg->count == 0)
        fail ("a message while not up, or with no frame", NULL);
    note (d, 'M', &msg->count, sizeof msg->count);
    for (size_t i = 0; i < msg->count; i++)
        note (d, 'F', msg->frames[i].data, msg->frames[i].size);
    zw_msg_destroy (msg);
}

static void
on_subscription (void *user, int subscribe, const uint8_t *topic, size_t size)
{
    driver *d = user;
    no_callback_after_close (d, "on_subscription");
    note (d, subscribe ? 'S' : 'C', topic, size);
}

static int
on_zap_request (void *user, const zw_zap_ask *ask)
{
    driver *d = user;
    no_callback_after_close (d, "on_zap_request");
    if (d->zap_asked++)
        fail ("ZAP asked twice on one connection", NULL);
    if (strcmp (ask->mechanism, config_ops (&d->cfg)->name) != 0)
        fail ("ZAP asked with another mechanism's name", ask->mechanism);
    int want = d->cfg.mech == MECH_PLAIN ? 2 : d->cfg.mech == MECH_CURVE ? 1 : 0;
    if (ask->count != want || (d->cfg.mech == MECH_CURVE && ask->credentials[0].iov_len != 32))
        fail ("ZAP asked with credentials not the mechanism's", NULL);
    if (d->cfg.mech != MECH_NULL && d->cfg.mech != MECH_NULL_V2 && !d->cfg.as_server)
        fail ("a client asked ZAP", NULL);
    note (d, 'Z', ask->identity, ask->identity_size);
    for (int i = 0; i < ask->count; i++)
        note (d, 'z', ask->credentials[i].iov_base, ask->credentials[i].iov_len);
    if (d->cfg.zap == ZAP_BROKEN)
        return -1;
    d->zap_pending = 1;
    return 1;
}

/* --- the output oracle ------------------------------------------------------------------------ */

typedef struct {
    int in_type, types;
    char type[32];
    size_t type_size;
} metadata_seen;

static int
meta_name (void *user, const char *name, size_t size)
{
    metadata_seen *m = user;
    m->in_type = zw_zmtp_metadata_name_equal (name, size, "Socket-Type", 11);
    if (m->in_type) {
        m->types++;
        m->type_size = 0;
    }
    return 0;
}

static int
meta_value (void *user, const uint8_t *data, size_t len)
{
    metadata_seen *m = user;
    for (size_t i = 0; m->in_type && i < len && m->type_size < sizeof m->type - 1; i++)
        m->type[m->type_size++] = (char) data[i];
    return 0;
}

static int
meta_end (void *user)
{
    ((metadata_seen *) user)->in_type = 0;
    return 0;
}

static const zw_zmtp_metadata_callbacks meta_callbacks = { meta_name, meta_value, meta_end };

static void
judge_metadata (driver *d, const metadata_seen *m, const char *what)
{
    const char *ours = zw_socket_type_name ((zw_socket_type) d->cfg.socket_type);
    if (m->types != 1 || m->type_size != strlen (ours) || memcmp (m->type, ours, m->type_size))
        fail ("our metadata does not name our socket type once", what);
}

static void
metadata_decode (driver *d, const uint8_t *data, size_t size, const char *what)
{
    static zw_zmtp_metadata_ctx ctx;
    metadata_seen seen = { 0 };
    zw_zmtp_metadata_init (&ctx, 0, size, &meta_callbacks, &seen);
    zw_zmtp_metadata_push (&ctx, data, size);
    if (zw_zmtp_metadata_error (&ctx) || !zw_zmtp_metadata_done (&ctx))
        fail ("our metadata does not decode", what);
    judge_metadata (d, &seen, what);
}

/*  A command body by the layouts of mechanism: whole and well-formed, or
    a failure.  The variable part (a box, a topic) is the body's tail.  */
static const zw_zmtp_command *
command_decode (zw_zmtp_mechanism mechanism, const uint8_t *body, size_t size,
                metadata_seen *seen, const uint8_t **part)
{
    static zw_zmtp_command_ctx ctx;
    static const zw_zmtp_command_callbacks callbacks = { NULL, NULL, NULL, &meta_callbacks };
    zw_zmtp_command_init (&ctx, mechanism, 0, size, &callbacks, seen);
    zw_zmtp_command_push (&ctx, body, size);
    const zw_error *e = zw_zmtp_command_error (&ctx);
    if (e || !zw_zmtp_command_done (&ctx))
        fail ("a command we wrote does not decode", e ? e->reason : "cut short");
    *part = body + size - ctx.command.part_size;
    return &ctx.command;
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
short_nonce (driver *d, const uint8_t *wire, const char *what)
{
    if (get_u64 (wire) != d->check.next_nonce++)
        fail ("a short nonce out of its order", what);
}

/* A box of the connection key (prefix + short nonce), opened into out; 0, or -1 without a key. */
static int
open_box (driver *d, const char *prefix, const uint8_t *nonce8, const uint8_t *box, size_t size,
          bytes *out, const char *what)
{
    const uint8_t *key = curve_key (d);
    uint8_t nonce[24];
    if (!key)
        return -1;
    if (size < 16)
        fail ("a box shorter than its MAC", what);
    memcpy (nonce, prefix, 16);
    memcpy (nonce + 16, nonce8, 8);
    out->len = 0;
    bytes_add (out, box, size);         /* room for the plaintext */
    if (crypto_box_open_easy_afternm (out->data, box, size, nonce, key) != 0)
        fail ("a box we wrote does not open with the connection's key", what);
    out->len = size - 16;
    return 0;
}

static int
speaks_31 (driver *d)
{
    const zw_peer_info *peer = &d->engine.peer;
    return d->options.minor >= 1 && peer->family == ZW_ZMTP_V3 && peer->minor >= 1;
}

/* A frame of the traffic, as the peer is to read it (a CURVE one opened). */
static void
judge_traffic (driver *d, unsigned flags, const uint8_t *data, size_t size)
{
    checker *c = &d->check;
    if (!d->ever_active)
        fail ("traffic before the connection was up", NULL);
    if (!(flags & ZW_ZMTP_FLAG_COMMAND)) {
        c->in_message = (flags & ZW_ZMTP_FLAG_MORE) != 0;
        return;
    }
    if (c->in_message || (flags & ZW_ZMTP_FLAG_MORE))
        fail ("a command inside a message, or with MORE", NULL);
    metadata_seen seen = { 0 };
    const uint8_t *part;
    const zw_zmtp_command *cmd = command_decode (ZW_MECHANISM_NULL, data, size, &seen, &part);
    switch (cmd->id) {
    case ZW_COMMAND_PONG:               /* the answer to the peer's own PING, on any 3.x */
        break;
    case ZW_COMMAND_PING:
        if (!d->options.heartbeat_ivl)
            fail ("PING without heartbeats", NULL);
        /* fall through */
    case ZW_COMMAND_SUBSCRIBE:
    case ZW_COMMAND_CANCEL:
        if (!speaks_31 (d))
            fail ("a 3.1 command on a connection that is not 3.1 both ways", cmd->name);
        break;
    default:
        fail ("a command that has no place in the traffic", cmd->name);
    }
}

/* The handshake's commands, in their order, by mechanism and role. */
static zw_zmtp_command_id
handshake_command (const driver *d, int phase)
{
    static const zw_zmtp_command_id client[] = { ZW_COMMAND_HELLO, ZW_COMMAND_INITIATE };
    static const zw_zmtp_command_id server[] = { ZW_COMMAND_WELCOME, ZW_COMMAND_READY };
    if (d->cfg.mech == MECH_NULL || d->cfg.mech == MECH_NULL_V2)
        return phase == 0 ? ZW_COMMAND_READY : ZW_COMMAND_UNKNOWN;
    return phase < 2 ? (d->cfg.as_server ? server : client)[phase] : ZW_COMMAND_UNKNOWN;
}

/* CURVE's own checks of a handshake command we wrote. */
static void
judge_curve_command (driver *d, const zw_zmtp_command *cmd, const uint8_t *part, size_t part_size)
{
    static bytes plain;
    metadata_seen seen = { 0 };
    switch (cmd->id) {
    case ZW_COMMAND_HELLO: {
        uint8_t nonce[24], zeros[64];
        short_nonce (d, cmd->u.curve_hello.nonce, "HELLO");
        memcpy (nonce, "CurveZMQHELLO---", 16);
        memcpy (nonce + 16, cmd->u.curve_hello.nonce, 8);
        if (crypto_box_open_easy (zeros, cmd->u.curve_hello.signature_box, 80, nonce,
                                  cmd->u.curve_hello.client_key, server_keys.secret_key) != 0
        ||  !sodium_is_zero (zeros, sizeof zeros))
            fail ("HELLO's signature box does not open with the server's key", NULL);
        break;
    }
    case ZW_COMMAND_INITIATE:
        short_nonce (d, cmd->u.curve_initiate.nonce, "INITIATE");
        if (open_box (d, "CurveZMQINITIATE", cmd->u.curve_initiate.nonce, part, part_size, &plain,
                      "INITIATE") == 0) {
            if (plain.len < 128 || memcmp (plain.data, client_keys.public_key, 32))
                fail ("INITIATE's box does not begin with our permanent key", NULL);
            metadata_decode (d, plain.data + 128, plain.len - 128, "INITIATE");
        }
        break;
    case ZW_COMMAND_READY:
        short_nonce (d, cmd->u.curve_short.nonce, "READY");
        if (open_box (d, "CurveZMQREADY---", cmd->u.curve_short.nonce, part, part_size, &plain,
                      "READY") == 0)
            metadata_decode (d, plain.data, plain.len, "READY");
        break;
    default:
        break;
    }
    (void) seen;
}

static void
judge_frame (driver *d)
{
    checker *c = &d->check;
    unsigned flags = c->header.flags & (ZW_ZMTP_FLAG_MORE | ZW_ZMTP_FLAG_COMMAND);
    const uint8_t *body = c->body.data;
    size_t size = c->body.len;
    metadata_seen seen = { 0 };
    const uint8_t *part;
    if (c->error_sent)
        fail ("a frame after our ERROR", NULL);
    if (c->family == ZW_ZMTP_V2) {
        judge_traffic (d, flags, body, size);
        return;
    }
    if (!c->handshake_over || !d->ever_active) {
        /* the handshake: its commands, and ERROR until the connection is up */
        if (!(flags & ZW_ZMTP_FLAG_COMMAND))
            fail ("a data frame before the connection was up", NULL);
        const zw_zmtp_command *cmd = command_decode (config_codec (&d->cfg), body, size, &seen,
                                                     &part);
        if (cmd->id == ZW_COMMAND_ERROR) {
            if (d->cfg.mech == MECH_CURVE && !d->cfg.as_server)
                fail ("a CURVE client sent ERROR (curve.client.no-error)", NULL);
            c->error_sent = 1;
            return;
        }
        if (c->handshake_over)
            fail ("a command after the handshake's last before the connection was up", cmd->name);
        if (cmd->id != handshake_command (d, c->phase))
            fail ("a handshake command out of its order", cmd->name);
        if (cmd->id == ZW_COMMAND_READY || cmd->id == ZW_COMMAND_INITIATE) {
            if (d->cfg.mech == MECH_CURVE)
                judge_curve_command (d, cmd, part, (size_t) (body + size - part));
            else
                judge_metadata (d, &seen, cmd->name);
        }
        else if (d->cfg.mech == MECH_CURVE)
            judge_curve_command (d, cmd, part, (size_t) (body + size - part));
        else if (cmd->id == ZW_COMMAND_HELLO) {         /* PLAIN: our credentials */
            const zw_short_string *user = &cmd->u.plain_hello.username;
            const zw_short_string *password = &cmd->u.plain_hello.password;
            if (user->size != plain_credentials.username_size
            ||  memcmp (user->data, plain_credentials.username, user->size)
            ||  password->size != plain_credentials.password_size
            ||  memcmp (password->data, plain_credentials.password, password->size))
                fail ("PLAIN's HELLO does not carry our credentials", NULL);
        }
        c->phase++;
        c->handshake_over = handshake_command (d, c->phase) == ZW_COMMAND_UNKNOWN;
        return;
    }
    if (d->cfg.mech != MECH_CURVE) {
        judge_traffic (d, flags, body, size);
        return;
    }
    static bytes plain;
    if (flags)
        fail ("a MESSAGE not in a data frame with flags 0 (DECISIONS S11)", NULL);
    const zw_zmtp_command *cmd = command_decode (ZW_MECHANISM_CURVE, body, size, &seen, &part);
    if (cmd->id != ZW_COMMAND_MESSAGE)
        fail ("a frame after the CURVE handshake that is not MESSAGE", cmd->name);
    short_nonce (d, cmd->u.curve_short.nonce, "MESSAGE");
    if (open_box (d, d->cfg.as_server ? "CurveZMQMESSAGES" : "CurveZMQMESSAGEC",
                  cmd->u.curve_short.nonce, part, (size_t) (body + size - part), &plain,
                  "MESSAGE")) {
        if (!d->ever_active)
            fail ("traffic before the connection was up", NULL);
        return;
    }
    if (plain.len < 1 || (plain.data[0] & ~3))
        fail ("a MESSAGE's flags octet with a reserved bit", NULL);
    unsigned inner = (plain.data[0] & ZW_CURVEZMQ_FLAG_MORE ? ZW_ZMTP_FLAG_MORE : 0)
                   | (plain.data[0] & ZW_CURVEZMQ_FLAG_COMMAND ? ZW_ZMTP_FLAG_COMMAND : 0);
    judge_traffic (d, inner, plain.data + 1, plain.len - 1);
}

static int
check_header (void *user, const zw_zmtp_frame_header *header)
{
    driver *d = user;
    d->check.header = *header;
    d->check.body.len = 0;
    if (((header->flags & ZW_ZMTP_FLAG_LONG) != 0) != (header->size > 255))
        fail ("a frame size not in its short form when it fits", NULL);
    return 0;
}

static int
check_body (void *user, const uint8_t *data, size_t len)
{
    driver *d = user;
    bytes_add (&d->check.body, data, len);
    return 0;
}

static int
check_end (void *user)
{
    judge_frame (user);
    return 0;
}

static const zw_zmtp_frame_callbacks check_callbacks = { check_header, check_body, check_end };

static void
judge_greeting (driver *d)
{
    const zw_zmtp_greeting *g = &d->check.greeting.greeting;
    d->check.family = g->family;
    if (g->family == ZW_ZMTP_V3) {
        if (d->options.major != 3 || d->engine.peer.family != ZW_ZMTP_V3)
            fail ("a 3.x greeting to a peer we must not speak 3.x to", NULL);
        if (g->major != 3 || g->minor != d->options.minor
        ||  g->as_server != (d->cfg.mech == MECH_PLAIN || d->cfg.mech == MECH_CURVE
                             ? d->cfg.as_server : 0))
            fail ("our greeting's version or as-server is not ours", NULL);
    }
    else if (g->family != ZW_ZMTP_V2 || g->revision != (d->options.major == 2 ? 1 : 3)
         ||  g->socket_type != d->cfg.socket_type
         ||  g->identity_size != IDENTITY_SIZE || memcmp (g->identity, identity, IDENTITY_SIZE))
        fail ("our 2.0 greeting is not ours", NULL);
    zw_zmtp_frame_init (&d->check.frames, g->family == ZW_ZMTP_V2 ? ZW_ZMTP_FRAMING_V2
                                                                   : ZW_ZMTP_FRAMING_V3,
                        g->size, ZW_ZMTP_SIZE_MAX, &check_callbacks, d);
}

/* Reads what the engine has written since the last call. */
static void
check_output (driver *d)
{
    checker *c = &d->check;
    const uint8_t *out = d->out.data;
    size_t len = d->out.len;
    if (!c->started) {
        zw_zmtp_family peer = d->engine.peer.family;
        int v2 = d->options.major == 2 || peer == ZW_ZMTP_V2;
        if (!v2 && peer != ZW_ZMTP_V3) {
            /* only the partial greeting until the peer's version is known */
            zw_zmtp_greeting_ctx *g = &c->greeting;
            if (len > 11)
                fail ("more than the partial greeting before the peer's version is known", NULL);
            zw_zmtp_greeting_init (g, ZW_ZMTP_V1, NULL, NULL, NULL);
            zw_zmtp_greeting_push (g, out, len);
            if (zw_zmtp_greeting_error (g) || zw_zmtp_greeting_done (g))
                fail ("our partial greeting does not decode", NULL);
            return;
        }
        zw_zmtp_greeting_init (&c->greeting, ZW_ZMTP_V1, config_ops (&d->cfg)->name, NULL, NULL);
        if (v2)
            zw_zmtp_greeting_cap (&c->greeting, ZW_ZMTP_V2);
        c->started = 1;
    }
    if (!zw_zmtp_greeting_done (&c->greeting)) {
        c->pos += zw_zmtp_greeting_push (&c->greeting, out + c->pos, len - c->pos);
        const zw_error *e = zw_zmtp_greeting_error (&c->greeting);
        if (e)
            fail ("our greeting does not decode", e->reason);
        if (!zw_zmtp_greeting_done (&c->greeting))
            return;
        judge_greeting (d);
    }
    if (c->pos < len) {
        zw_zmtp_frame_push (&c->frames, out + c->pos, len - c->pos);
        const zw_error *e = zw_zmtp_frame_error (&c->frames);
        if (e)
            fail ("our frames do not decode", e->reason);
        c->pos = len;
    }
}

/* --- driving the engine ---------------------------------------------------------------------- */

static void
drain (driver *d)
{
    struct iovec iov[8];
    int n;
    size_t before = d->out.len;
    while ((n = zw_engine_output_iov (&d->engine, iov, 8)) > 0) {
        size_t total = 0;
        for (int i = 0; i < n; i++) {
            if (!d->expect)
                bytes_add (&d->out, iov[i].iov_base, iov[i].iov_len);
            else if (d->out.len + iov[i].iov_len > d->expect->len
                 ||  memcmp (d->expect->data + d->out.len, iov[i].iov_base, iov[i].iov_len)) {
                char where[64];
                snprintf (where, sizeof where, "from octet %zu", d->out.len);
                fail ("split invariance: another cut of the peer's octets, other output", where);
            }
            else
                d->out.len += iov[i].iov_len;
            total += iov[i].iov_len;
        }
        if (total == 0)
            fail ("an output piece of no octets", NULL);
        zw_engine_output_done (&d->engine, total / 2);      /* a partial write, then the rest */
        zw_engine_output_done (&d->engine, total - total / 2);
    }
    if (zw_engine_output_pending (&d->engine) != 0)
        fail ("output pending that output_iov does not give", NULL);
    if (d->closed_seen && d->out.len != before)
        fail ("the engine wrote after it closed", NULL);
}

static void
push (driver *d, const uint8_t *data, size_t len)
{
    zw_engine_push (&d->engine, data, len, d->now);
    d->pushed += len;
}

/* The peer's octets as the script cuts them, read into the engine's place when it offers one. */
static void
push_in_place (driver *d, const uint8_t *data, size_t len)
{
    while (len > 0) {
        size_t space, n = len;
        uint8_t *place = zw_engine_input_space (&d->engine, &space);
        if (place && space) {
            n = space < len ? space : len;
            memcpy (place, data, n);
            push (d, place, n);
        }
        else
            push (d, data, len);
        data += n;
        len -= n;
    }
}

static void
send_message (driver *d, const op *o)
{
    static uint8_t pattern[(255 << 7) + 8];
    if (!pattern[0])
        for (size_t i = 0; i < sizeof pattern; i++)
            pattern[i] = (uint8_t) (i * 7 + 3);
    zw_msg *msg = zw_msg_new ();
    if (!msg)
        abort ();
    for (size_t i = 0; i < o->len; i++) {
        size_t size = o->arg & 8 ? (size_t) o->data[i] << 7 : o->data[i];
        if (zw_msg_add (msg, pattern + i, size))
            abort ();
    }
    if (o->len == 0 && zw_msg_add (msg, NULL, 0))
        abort ();
    int active = zw_engine_active (&d->engine);
    errno = 0;
    if (zw_engine_send (&d->engine, msg) == 0) {
        if (!active)
            fail ("send took a message while the connection is not up", NULL);
        return;
    }
    if (active || errno != EAGAIN)
        fail ("send refused a message while the connection is up, or without EAGAIN", NULL);
    zw_msg_destroy (msg);
}

static void
subscription (driver *d, const op *o)
{
    int active = zw_engine_active (&d->engine);
    errno = 0;
    int rc = zw_engine_send_subscription (&d->engine, o->kind == OP_SUBSCRIBE, o->data, o->len);
    if (rc == 0 && !active)
        fail ("a subscription taken while the connection is not up", NULL);
    if (rc != 0 && !active && errno != EAGAIN)
        fail ("a subscription refused without EAGAIN", NULL);
}

static void
zap_answer (driver *d)
{
    static const int status[] = { 0, 200, 400, 300, 500, 200, 0, 0 };
    static const uint8_t user_id[] = "fuzz-user";
    int s = status[d->cfg.zap];
    if (s == 0)
        return;
    zw_zap_answer answer = { s, s == 200 ? "OK" : s == 400 ? "denied by the fuzzer" : "",
                             d->cfg.zap == ZAP_200 ? user_id : NULL,
                             d->cfg.zap == ZAP_200 ? sizeof user_id - 1 : 0 };
    d->zap_pending = 0;
    zw_engine_zap_answer (&d->engine, &answer, d->now);
}

static void
tick (driver *d, uint64_t now)
{
    if (now < d->now)
        now = d->now;
    d->now = now;
    zw_engine_tick (&d->engine, now);
}

static void push_cut (driver *d, const uint8_t *data, size_t len);

static void
put_u64 (uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t) v;
}

/*  The peer's next frame, made here (OP_FRAME): with CURVE and the
    connection's key, a MESSAGE sealed around it, as the peer would; else
    the frame as it is.  Made from the engine's state at this operation,
    which the three runs share.  */
static void
peer_frame (driver *d, const op *o)
{
    static bytes frame, body;
    static const int64_t steps[4] = { 1, 0, 2, -1 };
    unsigned f = (unsigned) o->arg;
    const zw_curvezmq_ctx *box = d->engine.mech.state;
    const uint8_t *key = curve_key (d);
    unsigned flags = (f & 1 ? ZW_ZMTP_FLAG_MORE : 0) | (f & 2 ? ZW_ZMTP_FLAG_COMMAND : 0);
    body.len = frame.len = 0;
    if (key && box) {
        uint8_t head[16], nonce[24];
        put_u64 (head + 8, box->recv_nonce + (uint64_t) steps[(f >> 2) & 3]);
        memcpy (head, "\x07MESSAGE", 8);
        memcpy (nonce, d->cfg.as_server ? "CurveZMQMESSAGEC" : "CurveZMQMESSAGES", 16);
        memcpy (nonce + 16, head + 8, 8);
        uint8_t inner = (uint8_t) ((f & 3) | (f & 0x20 ? 0x04 : 0));
        static bytes plain;
        plain.len = 0;
        bytes_add (&plain, &inner, 1);
        bytes_add (&plain, o->data, o->len);
        bytes_add (&body, head, sizeof head);
        bytes_add (&body, plain.data, plain.len);       /* room for the box */
        bytes_add (&body, head, 16);
        (void) !crypto_box_easy_afternm (body.data + 16, plain.data, plain.len, nonce, key);
        flags = f & 0x10 ? ZW_ZMTP_FLAG_COMMAND : 0;
    }
    else
        bytes_add (&body, o->data, o->len);
    uint8_t header[9] = { (uint8_t) (flags | (body.len > 255 ? ZW_ZMTP_FLAG_LONG : 0)) };
    size_t h = 2;
    if (body.len > 255) {
        put_u64 (header + 1, body.len);
        h = 9;
    }
    else
        header[1] = (uint8_t) body.len;
    bytes_add (&frame, header, h);
    bytes_add (&frame, body.data, body.len);
    push_cut (d, frame.data, frame.len);
}

static void
do_op (driver *d, const op *o)
{
    uint64_t deadline = zw_engine_deadline (&d->engine);
    switch (o->kind) {
    case OP_DATA:         push_in_place (d, o->data, o->len); break;
    case OP_ADVANCE:      tick (d, d->now + o->arg); break;
    case OP_TO_DEADLINE:  tick (d, deadline == UINT64_MAX ? d->now : deadline + o->arg - 1); break;
    case OP_ZAP:          zap_answer (d); break;
    case OP_SEND:         send_message (d, o); break;
    case OP_SUBSCRIBE:
    case OP_CANCEL:       subscription (d, o); break;
    case OP_EOF:          zw_engine_eof (&d->engine); break;
    case OP_CLOSE:        zw_engine_close (&d->engine, "closed by the fuzzer"); break;
    case OP_FRAME:        peer_frame (d, o); break;
    default:              break;
    }
}

/* After each push or operation: the output, the deadline, the violation. */
static void
after (driver *d)
{
    drain (d);
    if (!d->expect)                     /* else the same octets as the first run's */
        check_output (d);
    int closed = zw_engine_closed (&d->engine);
    uint64_t deadline = zw_engine_deadline (&d->engine);
    if (closed ? deadline != UINT64_MAX : deadline <= d->now)
        fail ("a deadline in the past (or now), or one after the close", NULL);
    const zw_error *v = zw_engine_violation (&d->engine);
    if (v && v->offset > d->pushed)     /* a known length's end may be the last octet's next */
        fail ("a violation at an offset the peer has not sent", v->reason);
    d->closed_seen = closed;
}

static void
record_now (driver *d)
{
    if (d->nrecords == d->records_cap) {
        size_t cap = d->records_cap ? d->records_cap * 2 : 64;
        record *grown = realloc (d->records, cap * sizeof *grown);
        if (!grown)
            abort ();
        d->records = grown;
        d->records_cap = cap;
    }
    record r = { d->out.len, d->events, zw_engine_deadline (&d->engine), d->now,
                 zw_engine_closed (&d->engine), zw_engine_active (&d->engine) };
    d->records[d->nrecords++] = r;
}

static void
driver_start (driver *d, const config *cfg, const bytes *expect)
{
    setup_once ();
    bytes out = d->out, body = d->check.body;          /* kept from input to input */
    record *records = d->records;
    size_t records_cap = d->records_cap;
    memset (d, 0, sizeof *d);
    d->out = (bytes) { out.data, 0, out.cap };
    d->check.body = (bytes) { body.data, 0, body.cap };
    d->records = records;
    d->records_cap = records_cap;
    d->expect = expect;
    d->cfg = *cfg;
    d->options = config_options (cfg);
    d->callbacks = (zw_engine_callbacks) { on_ready, on_message, on_subscription,
                                           cfg->zap == ZAP_NONE ? NULL : on_zap_request };
    d->now = 1000;
    d->check.next_nonce = 1;            /* HELLO's, or READY's */
    d->events = UINT64_C(0xCBF29CE484222325);
    engine_stream.counter = ENGINE_SEED;
    zw_engine_init (&d->engine, &d->options, &d->callbacks, d, d->now);
    after (d);
}


/* A run of the peer's octets, cut the run's way. */
static void
push_cut (driver *d, const uint8_t *data, size_t len)
{
    uint64_t hash = d->hash;
    if (d->cut == CUT_SCRIPT)
        push_in_place (d, data, len);
    else if (d->cut == CUT_MERGED || len <= 1)
        push (d, data, len);
    else if (len <= 1024)
        for (size_t i = 0; i < len; i++)
            push (d, data + i, 1);
    else {
        size_t at = 0;
        for (int k = 0; k < 4; k++) {
            hash = (hash ^ (uint64_t) k) * UINT64_C(0x100000001B3);
            size_t cut_at = at + (size_t) (hash % (len - at + 1));
            push (d, data + at, cut_at - at);
            at = cut_at;
        }
        push (d, data + at, len - at);
    }
}

static void
push_run (driver *d, const op *ops, size_t n)
{
    if (d->cut == CUT_SCRIPT) {
        for (size_t i = 0; i < n; i++) {
            op_index++;
            push_in_place (d, ops[i].data, ops[i].len);
            after (d);
        }
        return;
    }
    static bytes all;
    all.len = 0;
    for (size_t i = 0; i < n; i++)
        bytes_add (&all, ops[i].data, ops[i].len);
    op_index += n;
    push_cut (d, all.data, all.len);
    after (d);
}

static void
run (driver *d, const config *cfg, const op *ops, size_t n, int cut, uint64_t hash)
{
    run_index = cut;
    op_index = 0;
    current = d;
    driver_start (d, cfg, cut == CUT_SCRIPT ? NULL : &drivers[CUT_SCRIPT].out);
    d->cut = cut;
    d->hash = hash;
    for (size_t i = 0; i < n;) {
        if (ops[i].kind == OP_DATA) {
            size_t j = i;
            while (j < n && ops[j].kind == OP_DATA)
                j++;
            push_run (d, ops + i, j - i);
            i = j;
        }
        else {
            op_index++;
            do_op (d, &ops[i++]);
            after (d);
        }
        record_now (d);
    }
}

/* How a run ended, as text: the split invariance compares it. */
static void
outcome (driver *d, char *text, size_t cap)
{
    const zw_error *v = zw_engine_violation (&d->engine);
    snprintf (text, cap, "closed %d active %d violation %s at %llu (%s) reason \"%s\" "
              "peer-error %d queue-failure %s", zw_engine_closed (&d->engine),
              zw_engine_active (&d->engine), v ? zw_error_class_name (v->code) : "none",
              v ? (unsigned long long) v->offset : 0ull, v && v->clause ? v->clause : "-",
              zw_engine_closed (&d->engine) ? zw_engine_close_reason (&d->engine) : "-",
              zw_engine_peer_sent_error (&d->engine),
              zw_engine_queue_failure (&d->engine) ? zw_engine_queue_failure (&d->engine) : "-");
}

static void
outcome_of_current (void)
{
    char text[512];
    if (!current)
        return;
    outcome (current, text, sizeof text);
    fprintf (stderr, "  engine: %s; now %llu, %llu octets pushed, %zu written\n", text,
             (unsigned long long) current->now, (unsigned long long) current->pushed,
             current->out.len);
}

static void
compare (driver *a, driver *b)
{
    char ta[512], tb[512];
    if (a->out.len != b->out.len) {     /* b's octets were compared as they came */
        snprintf (ta, sizeof ta, "%zu and %zu octets", a->out.len, b->out.len);
        fail ("split invariance: another cut of the peer's octets, other output", ta);
    }
    if (a->nrecords != b->nrecords)
        fail ("split invariance: another number of operations", NULL);
    for (size_t i = 0; i < a->nrecords; i++)
        if (memcmp (&a->records[i], &b->records[i], sizeof (record)) != 0) {
            snprintf (ta, sizeof ta, "at record %zu: events %s, deadline %llu / %llu, closed %d / "
                      "%d", i, a->records[i].events == b->records[i].events ? "same" : "differ",
                      (unsigned long long) a->records[i].deadline,
                      (unsigned long long) b->records[i].deadline, a->records[i].closed,
                      b->records[i].closed);
            fail ("split invariance: other events, deadline or state", ta);
        }
    outcome (a, ta, sizeof ta);
    outcome (b, tb, sizeof tb);
    if (strcmp (ta, tb) != 0) {
        fprintf (stderr, "  %s\n  %s\n", ta, tb);
        fail ("split invariance: another end", NULL);
    }
}

#define OPS_MAX 4096
static op ops[OPS_MAX];

/* Runs an input the three ways; returns the first run's driver (engine not yet finished). */
static driver *
run_input (const uint8_t *data, size_t size)
{
    if (size < 2)
        return NULL;
    input = data;
    input_size = size;
    config cfg = config_read (data[0], data[1]);
    size_t n = 0;
    for (size_t at = 2; at < size && n < OPS_MAX;)
        at = op_read (data, size, at, &ops[n++]);
    uint64_t hash = fnv (UINT64_C(0xCBF29CE484222325), data, size);
    for (int cut = CUT_SCRIPT; cut <= CUT_SPLIT; cut++) {
        run (&drivers[cut], &cfg, ops, n, cut, hash);
        if (cut > CUT_SCRIPT)
            compare (&drivers[CUT_SCRIPT], &drivers[cut]);
    }
    for (int cut = CUT_MERGED; cut <= CUT_SPLIT; cut++)
        zw_engine_fini (&drivers[cut].engine);
    return &drivers[CUT_SCRIPT];
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    driver *d = run_input (data, size);
    if (d)
        zw_engine_fini (&d->engine);
    return 0;
}

#ifdef ZW_FUZZ_ENGINE_SEEDS
/* --- the seed generator (make fuzz-engine-seeds) -----------------------------------------------

    fuzz_engine_seeds DIR: writes DIR/<name>.bin for every seed below.  A
    second engine plays the peer, on a random stream of its own; the
    engine under test is driven exactly as the harness drives it, and
    what the peer writes is recorded as the script's octets, so each seed
    holds a whole valid exchange from the peer's side.  Each seed is then
    run through the harness, and must end as it says (up or closed).  */

#include <sys/stat.h>

static random_stream peer_stream;

typedef struct {
    zw_engine engine;
    zw_engine_options options;
    size_t fed;                         /* octets of the driver's output given to it */
} peer;

typedef struct {
    const char *name;
    uint8_t c0, c1;
    int peer_type, peer_major, peer_minor, peer_heartbeat;
    unsigned traffic;
    int expect_active;
} seed_spec;

enum {
    T_PEER_SENDS = 1, T_WE_SEND = 2, T_PEER_SUBSCRIBES = 4, T_WE_SUBSCRIBE = 8, T_HEARTBEAT = 16,
    T_BIG = 32, T_ZAP_TIMEOUT = 64, T_PEER_CLOSES = 128, T_WE_CLOSE = 256,
    T_FRAMES = 512      /* last: frames made by the harness (F8), a PING and a message */
};

#define C0(mech, server, minor30, hb, timer, tol, limit) \
    (uint8_t) ((mech) | (server) << 2 | (minor30) << 3 | (hb) << 4 | (timer) << 5 | (tol) << 6 \
               | (limit) << 7)
#define C1(type, zap, refuse) (uint8_t) ((type) | (zap) << 4 | (refuse) << 7)

static const seed_spec specs[] = {
    /* NULL */
    { "null_pair", C0 (MECH_NULL, 0, 0, 0, 0, 0, 0), C1 (ZW_PAIR, ZAP_NONE, 0), ZW_PAIR, 3, 1, 0,
      T_PEER_SENDS | T_WE_SEND | T_FRAMES, 1 },
    { "null_router_zap_200", C0 (MECH_NULL, 1, 0, 0, 1, 0, 0), C1 (ZW_ROUTER, ZAP_200, 0),
      ZW_DEALER, 3, 1, 0, T_PEER_SENDS | T_WE_SEND, 1 },
    { "null_dealer_zap_400", C0 (MECH_NULL, 0, 0, 0, 0, 0, 0), C1 (ZW_DEALER, ZAP_400, 0),
      ZW_ROUTER, 3, 1, 0, 0, 0 },
    { "null_pub_sub", C0 (MECH_NULL, 0, 0, 0, 0, 0, 0), C1 (ZW_PUB, ZAP_NONE, 0), ZW_SUB, 3, 1, 0,
      T_PEER_SUBSCRIBES | T_WE_SEND, 1 },
    { "null_sub_pub", C0 (MECH_NULL, 0, 0, 0, 0, 0, 0), C1 (ZW_SUB, ZAP_NONE, 0), ZW_PUB, 3, 1, 0,
      T_WE_SUBSCRIBE | T_PEER_SENDS, 1 },
    { "null_xpub_xsub_30", C0 (MECH_NULL, 0, 1, 0, 0, 0, 0), C1 (ZW_XPUB, ZAP_NONE, 0), ZW_XSUB, 3,
      0, 0, T_PEER_SUBSCRIBES | T_WE_SEND, 1 },
    { "null_req_rep_heartbeat", C0 (MECH_NULL, 0, 0, 1, 0, 0, 0), C1 (ZW_REQ, ZAP_NONE, 0), ZW_REP,
      3, 1, 1, T_HEARTBEAT | T_WE_SEND | T_PEER_SENDS, 1 },
    { "null_peer_v2", C0 (MECH_NULL, 0, 0, 0, 0, 0, 0), C1 (ZW_PUSH, ZAP_NONE, 0), ZW_PULL, 2, 0, 0,
      T_WE_SEND, 1 },
    { "null_v2_only", C0 (MECH_NULL_V2, 0, 0, 0, 0, 0, 0), C1 (ZW_PULL, ZAP_NONE, 0), ZW_PUSH, 3, 1,
      0, T_PEER_SENDS | T_BIG, 1 },
    { "null_tolerant_limit_refused", C0 (MECH_NULL, 0, 0, 0, 0, 1, 1), C1 (ZW_PAIR, ZAP_NONE, 1),
      ZW_PAIR, 3, 1, 0, 0, 0 },
    /* PLAIN */
    { "plain_client", C0 (MECH_PLAIN, 0, 0, 0, 1, 0, 0), C1 (ZW_DEALER, ZAP_NONE, 0), ZW_ROUTER, 3,
      1, 0, T_PEER_SENDS | T_WE_SEND | T_FRAMES, 1 },
    { "plain_server_no_zap", C0 (MECH_PLAIN, 1, 0, 0, 0, 0, 0), C1 (ZW_REP, ZAP_NONE, 0), ZW_REQ, 3,
      1, 0, T_PEER_SENDS | T_WE_SEND, 1 },
    { "plain_server_zap_200", C0 (MECH_PLAIN, 1, 0, 1, 1, 0, 0), C1 (ZW_ROUTER, ZAP_200, 0),
      ZW_DEALER, 3, 1, 1, T_PEER_SENDS | T_WE_SEND | T_HEARTBEAT, 1 },
    { "plain_server_zap_400", C0 (MECH_PLAIN, 1, 0, 0, 0, 0, 0), C1 (ZW_PAIR, ZAP_400, 0), ZW_PAIR,
      3, 1, 0, 0, 0 },
    { "plain_server_zap_300", C0 (MECH_PLAIN, 1, 0, 0, 0, 0, 0), C1 (ZW_PAIR, ZAP_300, 0), ZW_PAIR,
      3, 1, 0, 0, 0 },
    { "plain_server_zap_never", C0 (MECH_PLAIN, 1, 0, 0, 1, 0, 0), C1 (ZW_PAIR, ZAP_NEVER, 0),
      ZW_PAIR, 3, 1, 0, T_ZAP_TIMEOUT, 0 },
    { "plain_server_zap_broken", C0 (MECH_PLAIN, 1, 0, 0, 0, 0, 0), C1 (ZW_PAIR, ZAP_BROKEN, 0),
      ZW_PAIR, 3, 1, 0, 0, 0 },
    { "plain_server_sub_30", C0 (MECH_PLAIN, 1, 1, 0, 0, 0, 0), C1 (ZW_SUB, ZAP_200_NO_USER, 0),
      ZW_PUB, 3, 0, 0, T_WE_SUBSCRIBE | T_PEER_SENDS, 1 },
    /* CURVE */
    { "curve_client", C0 (MECH_CURVE, 0, 0, 0, 1, 0, 0), C1 (ZW_DEALER, ZAP_NONE, 0), ZW_ROUTER, 3,
      1, 0, T_PEER_SENDS | T_WE_SEND | T_FRAMES, 1 },
    { "curve_client_heartbeat_close", C0 (MECH_CURVE, 0, 0, 1, 0, 0, 0), C1 (ZW_REQ, ZAP_NONE, 0),
      ZW_REP, 3, 1, 1, T_HEARTBEAT | T_WE_SEND | T_PEER_SENDS | T_PEER_CLOSES, 0 },
    { "curve_client_sub", C0 (MECH_CURVE, 0, 0, 0, 0, 0, 1), C1 (ZW_SUB, ZAP_NONE, 0), ZW_PUB, 3, 1,
      0, T_WE_SUBSCRIBE | T_PEER_SENDS, 1 },
    { "curve_server_no_zap", C0 (MECH_CURVE, 1, 0, 0, 0, 0, 0), C1 (ZW_REP, ZAP_NONE, 0), ZW_REQ, 3,
      1, 0, T_PEER_SENDS | T_WE_SEND | T_FRAMES, 1 },
    { "curve_server_zap_200", C0 (MECH_CURVE, 1, 0, 1, 1, 0, 0), C1 (ZW_ROUTER, ZAP_200, 0),
      ZW_DEALER, 3, 1, 1, T_PEER_SENDS | T_WE_SEND | T_HEARTBEAT | T_BIG, 1 },
    { "curve_server_zap_400", C0 (MECH_CURVE, 1, 0, 0, 0, 0, 0), C1 (ZW_PAIR, ZAP_400, 0), ZW_PAIR,
      3, 1, 0, 0, 0 },
    { "curve_server_zap_300", C0 (MECH_CURVE, 1, 0, 0, 0, 0, 0), C1 (ZW_PAIR, ZAP_300, 0), ZW_PAIR,
      3, 1, 0, 0, 0 },
    { "curve_server_zap_500", C0 (MECH_CURVE, 1, 0, 0, 0, 0, 0), C1 (ZW_PAIR, ZAP_500, 0), ZW_PAIR,
      3, 1, 0, 0, 0 },
    { "curve_server_zap_never", C0 (MECH_CURVE, 1, 0, 0, 1, 0, 0), C1 (ZW_PAIR, ZAP_NEVER, 0),
      ZW_PAIR, 3, 1, 0, T_ZAP_TIMEOUT, 0 },
    { "curve_server_pub_30", C0 (MECH_CURVE, 1, 1, 0, 0, 1, 0), C1 (ZW_XPUB, ZAP_200_NO_USER, 0),
      ZW_SUB, 3, 1, 0, T_PEER_SUBSCRIBES | T_WE_SEND | T_WE_CLOSE, 0 },
    { "curve_server_pub", C0 (MECH_CURVE, 1, 0, 0, 0, 0, 0), C1 (ZW_PUB, ZAP_200, 0), ZW_XSUB, 3, 1,
      0, T_PEER_SUBSCRIBES | T_WE_SEND, 1 },
};

typedef struct {
    driver *d;
    peer p;
    bytes script;
    uint64_t hash;
} generation;

static void
use_stream (random_stream *s)
{
    drawing = s;
}

/* Appends an operation's octets to the script, and runs it on the engine under test. */
static void
emit (generation *g, const uint8_t *octets, size_t len)
{
    size_t at = g->script.len;
    op o;
    bytes_add (&g->script, octets, len);
    input = g->script.data;
    input_size = g->script.len;
    op_read (g->script.data, g->script.len, at, &o);
    use_stream (&engine_stream);
    op_index++;
    do_op (g->d, &o);
    after (g->d);
}

static void
peer_drain (generation *g)
{
    struct iovec iov;
    while (zw_engine_output_iov (&g->p.engine, &iov, 1) == 1) {
        for (size_t at = 0; at < iov.iov_len;) {
            size_t n = iov.iov_len - at < 65535 ? iov.iov_len - at : 65535;
            uint8_t head[3] = { 0x7F, (uint8_t) (n >> 8), (uint8_t) n };
            bytes chunk = { 0 };
            bytes_add (&chunk, head, 3);
            bytes_add (&chunk, (const uint8_t *) iov.iov_base + at, n);
            emit (g, chunk.data, chunk.len);
            free (chunk.data);
            at += n;
        }
        zw_engine_output_done (&g->p.engine, iov.iov_len);
    }
}

/* Both ways until neither has anything to say; the ZAP handler answers when asked. */
static void
pump (generation *g)
{
    for (int progress = 1; progress;) {
        progress = 0;
        driver *d = g->d;
        if (g->p.fed < d->out.len) {
            use_stream (&peer_stream);
            zw_engine_push (&g->p.engine, d->out.data + g->p.fed, d->out.len - g->p.fed, d->now);
            g->p.fed = d->out.len;
            progress = 1;
        }
        size_t before = g->script.len;
        use_stream (&peer_stream);
        peer_drain (g);
        progress |= g->script.len != before;
        if (d->zap_pending && d->cfg.zap != ZAP_NEVER && d->cfg.zap != ZAP_BROKEN) {
            emit (g, (const uint8_t *) "\xA8", 1);
            progress = 1;
        }
    }
}

static void
advance (generation *g, uint8_t delay_op)
{
    emit (g, &delay_op, 1);
    use_stream (&peer_stream);
    zw_engine_tick (&g->p.engine, g->d->now);
    pump (g);
}

static const uint8_t some_topic[] = "topic";

static void
generate (const seed_spec *s, const char *dir)
{
    static driver d;
    static generation g;
    memset (&g, 0, sizeof g);
    g.d = &d;
    config cfg = config_read (s->c0, s->c1);
    uint8_t head[2] = { s->c0, s->c1 };
    bytes_add (&g.script, head, 2);
    input = g.script.data;
    input_size = g.script.len;
    run_index = CUT_SCRIPT;
    op_index = 0;
    use_stream (&engine_stream);
    driver_start (&d, &cfg, NULL);

    /* the peer: the other role, the same mechanism and keys */
    config pc = cfg;
    pc.as_server = cfg.mech == MECH_PLAIN || cfg.mech == MECH_CURVE ? !cfg.as_server : 0;
    pc.socket_type = s->peer_type;
    pc.minor = s->peer_minor;
    pc.heartbeat = s->peer_heartbeat;
    pc.handshake_timer = 0;
    pc.limit = 0;
    pc.tolerate = 0;
    if (pc.mech == MECH_NULL_V2)
        pc.mech = MECH_NULL;
    g.p.options = config_options (&pc);
    g.p.options.major = (uint8_t) s->peer_major;
    peer_stream.counter = UINT64_C(0x7065657273656564);        /* "peerseed" */
    use_stream (&peer_stream);
    zw_engine_init (&g.p.engine, &g.p.options, NULL, NULL, d.now);

    pump (&g);
    if (s->traffic & T_PEER_SUBSCRIBES) {
        use_stream (&peer_stream);
        zw_engine_send_subscription (&g.p.engine, 1, some_topic, 5);
        zw_engine_send_subscription (&g.p.engine, 1, NULL, 0);
        pump (&g);
    }
    if (s->traffic & T_WE_SUBSCRIBE) {
        emit (&g, (const uint8_t *) "\xB8\x05topic", 7);
        emit (&g, (const uint8_t *) "\xBC\x00", 2);
        pump (&g);
    }
    if (s->traffic & T_PEER_SENDS) {
        zw_msg *msg = zw_msg_new ();
        zw_msg_add_str (msg, "");
        zw_msg_add_str (msg, "hello from the peer");
        if (s->traffic & T_BIG) {
            static uint8_t big[20000];
            memset (big, 0x5A, sizeof big);
            zw_msg_add (msg, big, sizeof big);
        }
        use_stream (&peer_stream);
        if (zw_engine_send (&g.p.engine, msg))
            zw_msg_destroy (msg);
        pump (&g);
    }
    if (s->traffic & T_WE_SEND) {
        emit (&g, s->traffic & T_BIG ? (const uint8_t *) "\xB0\x06\x01\x90\x10"
                                     : (const uint8_t *) "\xB0\x02\x00\x05\x20", 5);
        pump (&g);
    }
    if (s->traffic & T_HEARTBEAT) {
        advance (&g, 0x86);             /* 100 ms: both PING, both PONG */
        advance (&g, 0x86);
    }
    if (s->traffic & T_FRAMES) {
        emit (&g, (const uint8_t *) "\xF8\x02\x09\x04PING\x00\x0a" "ab", 12);
        emit (&g, (const uint8_t *) "\xF8\x01\x02m1", 5);
        emit (&g, (const uint8_t *) "\xF8\x00\x02m2", 5);
        pump (&g);
    }
    if (s->traffic & T_ZAP_TIMEOUT)
        advance (&g, 0x93);             /* 2001 ms: past the handshake timer */
    if (s->traffic & T_PEER_CLOSES)
        emit (&g, (const uint8_t *) "\xC0", 1);
    if (s->traffic & T_WE_CLOSE)
        emit (&g, (const uint8_t *) "\xC4", 1);

    int active = zw_engine_active (&d.engine);
    zw_engine_fini (&g.p.engine);
    zw_engine_fini (&d.engine);
    if (active != s->expect_active) {
        fprintf (stderr, "fuzz_engine_seeds: %s: the connection is %s, not %s (%s)\n", s->name,
                 active ? "up" : "not up", s->expect_active ? "up" : "not up",
                 zw_engine_close_reason (&d.engine));
        exit (1);
    }
    char path[512];
    snprintf (path, sizeof path, "%s/%s.bin", dir, s->name);
    FILE *f = fopen (path, "wb");
    if (!f || fwrite (g.script.data, 1, g.script.len, f) != g.script.len || fclose (f)) {
        perror (path);
        exit (1);
    }
    /* the harness, on the seed as written */
    use_stream (&engine_stream);
    driver *replay = run_input (g.script.data, g.script.len);
    if (zw_engine_active (&replay->engine) != s->expect_active) {
        fprintf (stderr, "fuzz_engine_seeds: %s: the harness does not end as the generator\n",
                 s->name);
        exit (1);
    }
    zw_engine_fini (&replay->engine);
    printf ("%-32s %5zu octets, %s\n", s->name, g.script.len, active ? "up" : "closed");
    free (g.script.data);
}

int
main (int argc, char **argv)
{
    if (argc != 2) {
        fprintf (stderr, "usage: fuzz_engine_seeds DIR\n");
        return 2;
    }
    mkdir (argv[1], 0777);
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
        generate (&specs[i], argv[1]);
    printf ("fuzz_engine_seeds: %zu seeds in %s\n", sizeof specs / sizeof specs[0], argv[1]);
    return 0;
}
#endif
