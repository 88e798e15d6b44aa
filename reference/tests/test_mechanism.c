/*  test_mechanism.c — the security mechanism interface of the engine
    (zw_mechanism.h): the NULL handshake machine alone, NULL through the
    engine (its READY, ERROR, refusals), every queueing failure turned into
    a clean close, and the seam PLAIN and CURVE will use, proved with a
    mechanism of this file (TOY): its name and role in the greeting, no
    1.0 / 2.0 peer, a handshake judged on metadata it hands over as octets,
    and every frame after it encoded and decoded (no body lent).  Each test
    names its clauses; octets are checked exactly.  Prints "N passed, N
    failed".  */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "zw_engine.h"
#include "zw_null_handshake.h"

#include "test_check.h"

/* --- a recording owner and the engine's octets ------------------------------------------------ */

typedef struct {
    int ready;
    zw_peer_info peer;
    int messages;
    zw_msg *last;
} owner;

static int
on_ready (void *user, const zw_peer_info *peer)
{
    owner *o = user;
    o->ready++;
    o->peer = *peer;
    return 0;
}

static void
on_message (void *user, zw_msg *msg)
{
    owner *o = user;
    o->messages++;
    zw_msg_destroy (o->last);
    o->last = msg;
}

static const zw_engine_callbacks callbacks = { on_ready, on_message, NULL, NULL };

/* Takes everything queued; returns its length and copies up to cap octets. */
static size_t
drain (zw_engine *e, uint8_t *out, size_t cap)
{
    size_t total = 0;
    struct iovec run;
    while (zw_engine_output_iov (e, &run, 1) == 1) {
        if (out && total < cap)
            memcpy (out + total, run.iov_base, run.iov_len < cap - total ? run.iov_len : cap - total);
        zw_engine_output_done (e, run.iov_len);
        total += run.iov_len;
    }
    return total;
}

static void
push (zw_engine *e, const void *data, size_t len)
{
    zw_engine_push (e, data, len, 0);
}

/* A 3.1 greeting naming mechanism, with as-server. */
static void
greeting (uint8_t out[64], const char *mechanism, uint8_t as_server)
{
    static const uint8_t start[12] = { 0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 3, 1 };
    memset (out, 0, 64);
    memcpy (out, start, sizeof start);
    memcpy (out + 12, mechanism, strlen (mechanism));
    out[32] = as_server;
}

/* A command frame: name, then the data. */
static size_t
command_frame (uint8_t *buf, const char *name, const uint8_t *data, size_t size)
{
    size_t n = strlen (name);
    size_t h = zw_zmtp_frame_pack_header (buf, 9, 0, 1, 1 + n + size);
    buf[h] = (uint8_t) n;
    memcpy (buf + h + 1, name, n);
    memcpy (buf + h + 1 + n, data, size);
    return h + 1 + n + size;
}

/* Metadata with one Socket-Type property. */
static size_t
socket_type (uint8_t *buf, const char *type)
{
    return zw_zmtp_metadata_pack (buf, 64, "Socket-Type", 11, (const uint8_t *) type, strlen (type));
}

/* --- the NULL handshake machine alone ------------------------------------------------------- */

static size_t
null_step (zw_handshake_machine *machine, int event, int *actions)
{
    return zw_null_handshake_step (machine, event, actions);
}

/*  zmtp30.null.ready-both, zmtp31.null.server-ready-reply: READY at the
    start; the peer's READY, then ZAP when the socket asks it (none: done);
    zmtp31.socket-type.error-then-close: ERROR, then the end;
    zmtp31.handshake.commands-first: anything else is out of its place.  */
static void
test_null_machine (void)
{
    zw_handshake_machine m;
    int a[ZW_MECH_ACTIONS_MAX];
    zw_null_handshake_init (&m);
    CHECK (null_step (&m, ZW_NULL_START, a) == 1 && a[0] == ZW_NULL_SEND_READY);
    CHECK (null_step (&m, ZW_NULL_READY, a) == 1 && a[0] == ZW_NULL_ASK_ZAP);
    CHECK (null_step (&m, ZW_NULL_NO_HANDLER, a) == 1 && a[0] == ZW_NULL_DONE);

    /* 27/ZAP with NULL (DECISIONS S3, S4): 200, 400, 300 */
    const struct { int event; size_t n; int first, last; } answers[] = {
        { ZW_NULL_ZAP_OK, 2, ZW_NULL_ACCEPT_USER, ZW_NULL_DONE },
        { ZW_NULL_ZAP_DENIED, 3, ZW_NULL_REFUSE_ADDRESS, ZW_NULL_FAIL },
        { ZW_NULL_ZAP_UNAVAILABLE, 2, ZW_NULL_GIVE_UP, ZW_NULL_FAIL },
    };
    for (size_t i = 0; i < sizeof answers / sizeof answers[0]; i++) {
        zw_null_handshake_init (&m);
        null_step (&m, ZW_NULL_START, a);
        null_step (&m, ZW_NULL_READY, a);
        size_t n = null_step (&m, answers[i].event, a);
        CHECK (n == answers[i].n && a[0] == answers[i].first && a[n - 1] == answers[i].last);
    }

    zw_null_handshake_init (&m);
    null_step (&m, ZW_NULL_START, a);
    CHECK (null_step (&m, ZW_NULL_READY_REFUSED, a) == 2 && a[0] == ZW_NULL_SEND_ERROR
           && a[1] == ZW_NULL_FAIL);

    zw_null_handshake_init (&m);
    null_step (&m, ZW_NULL_START, a);
    CHECK (null_step (&m, ZW_NULL_OTHER, a) == 1 && a[0] == ZW_NULL_OUT_OF_PLACE);

    zw_null_handshake_init (&m);
    CHECK (null_step (&m, ZW_NULL_READY, a) == 1 && a[0] == ZW_NULL_OUT_OF_PLACE);
    zw_null_handshake_init (&m);
    null_step (&m, ZW_NULL_START, a);
    CHECK (null_step (&m, ZW_NULL_START, a) == 1 && a[0] == ZW_NULL_OUT_OF_PLACE);
}

/* --- NULL through the engine --------------------------------------------------------------- */

static zw_engine_options
null_options (zw_socket_type type)
{
    zw_engine_options o = { .socket_type = type, .minor = 1 };
    return o;
}

/*  zmtp31.null.as-server-zero, zmtp31.greeting.as-server-zero: NULL has no
    roles, so a configured as-server is not sent; the greeting names NULL.  */
static void
test_null_greeting_as_server (void)
{
    zw_engine e;
    owner o = { 0 };
    zw_engine_options options = null_options (ZW_PULL);
    options.mechanism.as_server = 1;
    zw_engine_init (&e, &options, &callbacks, &o, 0);
    uint8_t out[128], peer[64];
    greeting (peer, "NULL", 0);
    drain (&e, NULL, 0);
    push (&e, peer, 11);
    CHECK (drain (&e, out, sizeof out) == 53 && memcmp (out + 1, "NULL\0", 5) == 0 && out[21] == 0);
    zw_engine_fini (&e);
}

/* zmtp31.greeting.mechanism-match: a greeting naming another mechanism is refused. */
static void
test_other_mechanism_refused (void)
{
    zw_engine e;
    owner o = { 0 };
    zw_engine_options options = null_options (ZW_PULL);
    zw_engine_init (&e, &options, &callbacks, &o, 0);
    uint8_t peer[64];
    greeting (peer, "PLAIN", 0);
    push (&e, peer, sizeof peer);
    const zw_error *v = zw_engine_violation (&e);
    CHECK (zw_engine_closed (&e) && v && v->code == ZW_ERR_MECHANISM_MISMATCH
           && strcmp (v->clause, "zmtp31.greeting.mechanism-match") == 0);
    zw_engine_fini (&e);
}

/*  zmtp31.socket-type.check, zmtp31.socket-type.error-then-close: the
    refused READY gets exactly ERROR with the reason, then the close.  */
static void
test_null_refusal_error (void)
{
    zw_engine e;
    owner o = { 0 };
    zw_engine_options options = null_options (ZW_PULL);
    zw_engine_init (&e, &options, &callbacks, &o, 0);
    uint8_t peer[64], frame[128], md[64], out[128];
    greeting (peer, "NULL", 0);
    push (&e, peer, sizeof peer);
    drain (&e, NULL, 0);
    push (&e, frame, command_frame (frame, "READY", md, socket_type (md, "PUB")));
    size_t n = drain (&e, out, sizeof out);
    static const char reason[] = "Socket-Type may not talk to ours";
    CHECK (n == 2 + 6 + 1 + strlen (reason) && out[0] == 0x04 && out[1] == n - 2
           && memcmp (out + 2, "\5ERROR", 6) == 0 && out[8] == strlen (reason)
           && memcmp (out + 9, reason, strlen (reason)) == 0);
    const zw_error *v = zw_engine_violation (&e);
    CHECK (zw_engine_closed (&e) && o.ready == 0 && v && v->code == ZW_ERR_INVALID_SOCKET_TYPE
           && v->offset == 64 && strcmp (v->clause, "zmtp31.socket-type.check") == 0);
    CHECK (zw_engine_queue_failure (&e) == NULL);
    zw_engine_fini (&e);
}

/*  zmtp31.handshake.commands-first: in the handshake only READY; a PING is
    out of its place, refused at its frame, without ERROR.  */
static void
test_null_command_out_of_place (void)
{
    zw_engine e;
    owner o = { 0 };
    zw_engine_options options = null_options (ZW_PULL);
    zw_engine_init (&e, &options, &callbacks, &o, 0);
    uint8_t peer[64];
    greeting (peer, "NULL", 0);
    push (&e, peer, sizeof peer);
    drain (&e, NULL, 0);
    static const uint8_t ping[] = { 0x04, 0x07, 4, 'P', 'I', 'N', 'G', 0, 0 };
    push (&e, ping, sizeof ping);
    const zw_error *v = zw_engine_violation (&e);
    CHECK (zw_engine_closed (&e) && drain (&e, NULL, 0) == 0 && v
           && v->code == ZW_ERR_UNEXPECTED_COMMAND && v->offset == 64
           && strcmp (v->clause, "zmtp31.handshake.commands-first") == 0);
    zw_engine_fini (&e);
}

/* --- queueing failures ------------------------------------------------------------------------ */

/*  A READY that cannot be queued (its properties take it beyond 2^63 - 1
    octets, so no header can say its size) closes the connection at
    once, cleanly: no violation, nothing after the greeting.  */
static void
test_ready_not_queued (void)
{
    zw_engine e;
    owner o = { 0 };
    zw_engine_options options = null_options (ZW_PULL);
    static const uint8_t property[1] = { 0 };
    options.properties = property;
    options.properties_size = (size_t) 1 << 63;
    zw_engine_init (&e, &options, &callbacks, &o, 0);
    uint8_t peer[64];
    greeting (peer, "NULL", 0);
    push (&e, peer, sizeof peer);
    CHECK (zw_engine_closed (&e) && !zw_engine_violation (&e) && o.ready == 0);
    CHECK (zw_engine_queue_failure (&e) && strcmp (zw_engine_queue_failure (&e), "READY") == 0);
    CHECK (drain (&e, NULL, 0) == 11 + 53);
    zw_engine_fini (&e);
}

/* The engine through the handshake with a 3.1 NULL peer of peer_type. */
static void
null_handshake (zw_engine *e, owner *o, zw_socket_type type, const char *peer_type)
{
    memset (o, 0, sizeof *o);
    zw_engine_options options = null_options (type);
    zw_engine_init (e, &options, &callbacks, o, 0);
    uint8_t peer[64], frame[128], md[64];
    greeting (peer, "NULL", 0);
    push (e, peer, sizeof peer);
    push (e, frame, command_frame (frame, "READY", md, socket_type (md, peer_type)));
    drain (e, NULL, 0);
}

/*  A command of the traffic that cannot be queued (a SUBSCRIBE whose topic
    no header can size) closes the connection: the call says so.  */
static void
test_subscribe_not_queued (void)
{
    zw_engine e;
    owner o;
    null_handshake (&e, &o, ZW_SUB, "PUB");
    CHECK (zw_engine_active (&e));
    static const uint8_t topic[1] = { 'x' };
    CHECK (zw_engine_send_subscription (&e, 1, topic, (size_t) 1 << 63) == -1);
    CHECK (zw_engine_closed (&e) && !zw_engine_violation (&e) && drain (&e, NULL, 0) == 0);
    CHECK (zw_engine_queue_failure (&e) && strcmp (zw_engine_queue_failure (&e), "SUBSCRIBE") == 0);
    zw_engine_fini (&e);
}

/* --- the mechanisms' helpers, on a host of this file ---------------------------------------------- */

static struct {
    unsigned flags;
    uint8_t body[1024];
    size_t size;
    char what[32];
} queued;

static int
record_frame (void *engine, const char *what, unsigned flags, const struct iovec *pieces, int count)
{
    (void) engine;
    queued.flags = flags;
    queued.size = 0;
    snprintf (queued.what, sizeof queued.what, "%s", what);
    for (int i = 0; i < count; i++) {
        memcpy (queued.body + queued.size, pieces[i].iov_base, pieces[i].iov_len);
        queued.size += pieces[i].iov_len;
    }
    return 0;
}

/*  The largest head of a handshake, PLAIN's HELLO with a username and a
    password of 255 octets each (plain.hello.layout), packs whole.  */
static void
test_send_largest_head (void)
{
    static const zw_mechanism_ops plain_like = { .name = "PLAIN", .codec = ZW_MECHANISM_PLAIN };
    zw_mechanism_config config = { &plain_like, 0, NULL };
    zw_mechanism_host host = { NULL, record_frame, NULL, NULL, NULL };
    zw_mechanism m;
    zw_mechanism_init (&m, &config, &host);
    zw_zmtp_command hello;
    zw_mechanism_command_named (&hello, ZW_COMMAND_HELLO, "HELLO");
    hello.u.plain_hello.username.size = 255;
    memset (hello.u.plain_hello.username.data, 'u', 255);
    hello.u.plain_hello.password.size = 255;
    memset (hello.u.plain_hello.password.data, 'p', 255);
    CHECK (zw_mechanism_send (&m, &hello, NULL, 0) == 0);
    CHECK (queued.flags == ZW_ZMTP_FLAG_COMMAND && queued.size == 1 + 5 + 1 + 255 + 1 + 255
           && memcmp (queued.body, "\5HELLO\377u", 8) == 0 && queued.body[262] == 255
           && queued.body[517] == 'p' && strcmp (queued.what, "HELLO") == 0);
}

/* --- a mechanism of this file: the seam PLAIN and CURVE use ------------------------------------- */

/*  TOY: roles (as-server from the configuration), no 1.0 / 2.0 peers.
    The client sends META (its metadata as the command's data) at the
    start; the server judges it as octets, answers with its own META, and
    is done; the client is done on the server's META.  After that, every
    frame travels as a command SEALED: a flags octet, then the body XOR
    0x5A.  */
#define TOY_SCRATCH 65536

typedef struct {
    uint8_t scratch[TOY_SCRATCH];
} toy_state;

static int toy_fini_calls;

static int
toy_send_meta (zw_mechanism *m)
{
    zw_zmtp_command meta;
    zw_mechanism_command_named (&meta, ZW_COMMAND_UNKNOWN, "META");
    struct iovec pieces[ZW_MECH_METADATA_PIECES];
    int count = m->host.metadata (m->host.engine, pieces);
    return zw_mechanism_send (m, &meta, pieces, count);
}

static zw_mech_outcome
toy_start (zw_mechanism *m)
{
    if (m->config.as_server)
        return ZW_MECH_CONTINUE;
    return toy_send_meta (m) ? ZW_MECH_FAILED : ZW_MECH_CONTINUE;
}

static zw_mech_outcome
toy_command (zw_mechanism *m, const zw_mech_command *cmd)
{
    if (strcmp (cmd->command->name, "META") != 0) {
        zw_mechanism_fail (m, ZW_ERR_UNEXPECTED_COMMAND, cmd->offset,
                           "zmtp31.handshake.commands-first", "TOY wants META");
        return ZW_MECH_FAILED;
    }
    if (m->host.judge_metadata (m->host.engine, cmd->part, cmd->part_size, cmd->offset, &m->error)) {
        zw_mechanism_send_error (m, m->error.reason);
        return ZW_MECH_FAILED;
    }
    if (m->config.as_server && toy_send_meta (m))
        return ZW_MECH_FAILED;
    return ZW_MECH_DONE;
}

static int
toy_encode (zw_mechanism *m, unsigned flags, const struct iovec *pieces, int count)
{
    toy_state *state = m->state;
    size_t size = 0;
    for (int i = 0; i < count; i++)
        size += pieces[i].iov_len;
    if (size > TOY_SCRATCH - 1)
        return -1;
    state->scratch[0] = (uint8_t) flags;
    size_t at = 1;
    for (int i = 0; i < count; i++)
        for (size_t j = 0; j < pieces[i].iov_len; j++)
            state->scratch[at++] = ((const uint8_t *) pieces[i].iov_base)[j] ^ 0x5A;
    struct iovec sealed[2] = { { "\6SEALED", 7 }, { state->scratch, at } };
    return m->host.queue_frame (m->host.engine, "SEALED", ZW_ZMTP_FLAG_COMMAND, sealed, 2);
}

static int
toy_decode (zw_mechanism *m, zw_mech_frame *frame)
{
    if (!(frame->flags & ZW_ZMTP_FLAG_COMMAND) || frame->size < 8
    ||  memcmp (frame->data, "\6SEALED", 7) != 0) {
        zw_mechanism_fail (m, ZW_ERR_MALFORMED_COMMAND, frame->offset,
                           "zmtp31.wire.encrypted-commands", "not SEALED");
        return -1;
    }
    frame->flags = frame->data[7];
    for (size_t i = 8; i < frame->size; i++)
        frame->data[i] ^= 0x5A;
    frame->data += 8;
    frame->size -= 8;
    return 0;
}

static void
toy_fini (zw_mechanism *m)
{
    (void) m;
    toy_fini_calls++;
}

static const zw_mechanism_ops toy = {
    .name = "TOY",
    .codec = ZW_MECHANISM_NULL,
    .roles = 1,
    .legacy_peers = 0,
    .identity = 0,
    .state_size = sizeof (toy_state),
    .frame_overhead = 8,
    .start = toy_start,
    .command = toy_command,
    .encode = toy_encode,
    .decode = toy_decode,
    .fini = toy_fini,
};

static zw_engine_options
toy_options (zw_socket_type type, int as_server)
{
    zw_engine_options o = { .socket_type = type, .minor = 1 };
    o.mechanism = (zw_mechanism_config) { &toy, as_server, NULL };
    return o;
}

/* A SEALED frame as TOY writes it: flags, body XOR 0x5A. */
static size_t
sealed_frame (uint8_t *buf, unsigned flags, const uint8_t *body, size_t size)
{
    uint8_t data[1 + 256];
    data[0] = (uint8_t) flags;
    for (size_t i = 0; i < size; i++)
        data[1 + i] = body[i] ^ 0x5A;
    return command_frame (buf, "SEALED", data, 1 + size);
}

/*  zmtp31.greeting.mechanism-name, zmtp31.mechanism.roles: the greeting
    names the mechanism of the configuration and carries its role.  */
static void
test_toy_greeting (void)
{
    for (int as_server = 0; as_server <= 1; as_server++) {
        zw_engine e;
        owner o = { 0 };
        zw_engine_options options = toy_options (ZW_PULL, as_server);
        zw_engine_init (&e, &options, &callbacks, &o, 0);
        uint8_t out[128], peer[64];
        greeting (peer, "TOY", (uint8_t) !as_server);
        drain (&e, NULL, 0);
        push (&e, peer, 11);
        CHECK (drain (&e, out, sizeof out) == 53 && memcmp (out + 1, "TOY\0", 4) == 0
               && out[21] == as_server);
        zw_engine_fini (&e);
    }
}

/*  zmtp31.compat.close-non-null: a mechanism other than NULL closes at
    once on a 2.0 peer (no 2.0 greeting goes out); a NULL greeting is
    refused too (zmtp31.greeting.mechanism-match).  */
static void
test_toy_refuses_legacy_and_null (void)
{
    zw_engine e;
    owner o = { 0 };
    zw_engine_options options = toy_options (ZW_PULL, 1);
    zw_engine_init (&e, &options, &callbacks, &o, 0);
    drain (&e, NULL, 0);
    static const uint8_t v2[] = { 0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 1, ZW_PUSH, 0, 0 };
    push (&e, v2, sizeof v2);
    const zw_error *v = zw_engine_violation (&e);
    CHECK (zw_engine_closed (&e) && drain (&e, NULL, 0) == 0 && v && v->offset == 10
           && strcmp (v->clause, "zmtp31.compat.close-non-null") == 0);
    zw_engine_fini (&e);

    zw_engine_init (&e, &options, &callbacks, &o, 0);
    uint8_t peer[64];
    greeting (peer, "NULL", 0);
    push (&e, peer, sizeof peer);
    v = zw_engine_violation (&e);
    CHECK (zw_engine_closed (&e) && v && v->code == ZW_ERR_MECHANISM_MISMATCH);
    zw_engine_fini (&e);
}

/* A TOY server through its handshake with a client of peer_type. */
static void
toy_handshake (zw_engine *e, owner *o, zw_socket_type type, const char *peer_type)
{
    memset (o, 0, sizeof *o);
    zw_engine_options options = toy_options (type, 1);
    zw_engine_init (e, &options, &callbacks, o, 0);
    uint8_t peer[64], frame[128], md[64];
    greeting (peer, "TOY", 0);
    push (e, peer, sizeof peer);
    CHECK (drain (e, NULL, 0) == 64);               /* the server waits for the client */
    push (e, frame, command_frame (frame, "META", md, socket_type (md, peer_type)));
}

/*  The handshake is the mechanism's: the metadata it hands over as octets
    is judged by the engine (zmtp31.metadata.socket-type); the mechanism
    decides the end; its commands go out as it queues them.  */
static void
test_toy_handshake (void)
{
    zw_engine e;
    owner o;
    toy_handshake (&e, &o, ZW_PULL, "PUSH");
    CHECK (zw_engine_active (&e) && o.ready == 1 && o.peer.socket_type == ZW_PUSH);
    uint8_t out[128], expect[128], md[64];
    size_t n = drain (&e, out, sizeof out);
    CHECK (n == command_frame (expect, "META", md, socket_type (md, "PULL"))
           && memcmp (out, expect, n) == 0);
    zw_engine_fini (&e);
    CHECK (toy_fini_calls == 1);

    /* refused: ERROR with the reason, the close, the engine's clause */
    toy_handshake (&e, &o, ZW_PULL, "PUB");
    n = drain (&e, out, sizeof out);
    const zw_error *v = zw_engine_violation (&e);
    CHECK (zw_engine_closed (&e) && o.ready == 0 && n > 8 && memcmp (out + 2, "\5ERROR", 6) == 0);
    CHECK (v && strcmp (v->clause, "zmtp31.socket-type.check") == 0);
    zw_engine_fini (&e);

    /* zmtp31.handshake.commands-first: a message before its end */
    memset (&o, 0, sizeof o);
    zw_engine_options options = toy_options (ZW_PULL, 1);
    zw_engine_init (&e, &options, &callbacks, &o, 0);
    uint8_t peer[64];
    greeting (peer, "TOY", 0);
    push (&e, peer, sizeof peer);
    static const uint8_t message[] = { 0x00, 0x01, 'x' };
    push (&e, message, sizeof message);
    v = zw_engine_violation (&e);
    CHECK (zw_engine_closed (&e) && v && strcmp (v->clause, "zmtp31.handshake.commands-first") == 0);
    zw_engine_fini (&e);
    CHECK (toy_fini_calls == 3);
}

/*  After the handshake every frame goes through the mechanism: a large
    body is encoded (copied: nothing lent), frames that come are decoded
    and go the way of clear ones (a message; a PING answered by a sealed
    PONG, zmtp31.heartbeat.pong-reply); a frame that does not decode
    closes the connection without ERROR.  */
static void
test_toy_traffic (void)
{
    zw_engine e;
    owner o;
    toy_handshake (&e, &o, ZW_PAIR, "PAIR");
    CHECK (zw_engine_active (&e));
    drain (&e, NULL, 0);

    enum { BIG = 20000 };
    zw_msg *msg = zw_msg_new ();
    uint8_t *body = malloc (BIG);
    for (size_t i = 0; i < BIG; i++)
        body[i] = (uint8_t) (i * 7);
    zw_msg_add (msg, body, BIG);
    CHECK (zw_engine_send (&e, msg) == 0);
    struct iovec iov[4];
    CHECK (zw_engine_output_iov (&e, iov, 4) == 1 && iov[0].iov_len == 9 + 7 + 1 + BIG);
    const uint8_t *wire = iov[0].iov_base;
    int same = wire[0] == 0x06 && memcmp (wire + 9, "\6SEALED", 7) == 0 && wire[16] == 0;
    for (size_t i = 0; i < BIG && same; i++)
        same = wire[17 + i] == (body[i] ^ 0x5A);
    CHECK (same);
    drain (&e, NULL, 0);
    free (body);

    uint8_t frame[300], out[64], expect[64];
    push (&e, frame, sealed_frame (frame, ZW_ZMTP_FLAG_MORE, (const uint8_t *) "hi", 2));
    CHECK (o.messages == 0);
    push (&e, frame, sealed_frame (frame, 0, (const uint8_t *) "", 0));
    CHECK (o.messages == 1 && o.last->count == 2 && o.last->frames[0].size == 2
           && memcmp (o.last->frames[0].data, "hi", 2) == 0 && o.last->frames[1].size == 0);

    static const uint8_t ping[] = { 4, 'P', 'I', 'N', 'G', 0, 0, 'c' };
    static const uint8_t pong[] = { 4, 'P', 'O', 'N', 'G', 'c' };
    push (&e, frame, sealed_frame (frame, ZW_ZMTP_FLAG_COMMAND, ping, sizeof ping));
    size_t n = drain (&e, out, sizeof out);
    CHECK (n == sealed_frame (expect, ZW_ZMTP_FLAG_COMMAND, pong, sizeof pong)
           && memcmp (out, expect, n) == 0);

    static const uint8_t clear[] = { 0x00, 0x01, 'x' };
    push (&e, clear, sizeof clear);
    const zw_error *v = zw_engine_violation (&e);
    CHECK (zw_engine_closed (&e) && drain (&e, NULL, 0) == 0 && o.messages == 1 && v
           && strcmp (v->clause, "zmtp31.wire.encrypted-commands") == 0);
    zw_engine_fini (&e);
    zw_msg_destroy (o.last);
}

/*  The end of the handshake and the first sealed frames in one read: the
    frames after the handshake's last command are decoded already.  */
static void
test_toy_one_read (void)
{
    zw_engine e;
    owner o = { 0 };
    zw_engine_options options = toy_options (ZW_PAIR, 1);
    zw_engine_init (&e, &options, &callbacks, &o, 0);
    uint8_t in[512], md[64];
    size_t n = 0;
    greeting (in, "TOY", 0);
    n = 64;
    n += command_frame (in + n, "META", md, socket_type (md, "PAIR"));
    n += sealed_frame (in + n, 0, (const uint8_t *) "one", 3);
    n += sealed_frame (in + n, 0, (const uint8_t *) "two", 3);
    push (&e, in, n);
    CHECK (zw_engine_active (&e) && o.messages == 2 && o.last->count == 1
           && o.last->frames[0].size == 3 && memcmp (o.last->frames[0].data, "two", 3) == 0);
    zw_engine_fini (&e);
    zw_msg_destroy (o.last);
}

/*  A frame the mechanism cannot encode closes the connection, cleanly:
    a stream that lacks a frame cannot go on.  */
static void
test_toy_encode_failure (void)
{
    zw_engine e;
    owner o;
    toy_handshake (&e, &o, ZW_PAIR, "PAIR");
    drain (&e, NULL, 0);
    zw_msg *msg = zw_msg_new ();
    uint8_t *body = calloc (1, TOY_SCRATCH);
    zw_msg_add (msg, body, TOY_SCRATCH);
    free (body);
    CHECK (zw_engine_send (&e, msg) == 0);
    CHECK (zw_engine_closed (&e) && !zw_engine_violation (&e) && drain (&e, NULL, 0) == 0);
    CHECK (zw_engine_queue_failure (&e) && strcmp (zw_engine_queue_failure (&e), "a message") == 0);
    zw_engine_fini (&e);
}

/*  curve.server.cookie-key-expiry: CURVE bounds its handshake (and with it
    the cookie key) at 60 s, under the socket's interval or with it off;
    NULL keeps the socket's.  */
static void
test_handshake_bound (void)
{
    static const zw_curve_settings keys;
    const struct { const zw_mechanism_ops *ops; uint32_t ivl; uint64_t after; } cases[] = {
        { &zw_mech_curve, 0, 60000 }, { &zw_mech_curve, 90000, 60000 },
        { &zw_mech_curve, 5000, 5000 }, { &zw_mech_null, 0, UINT64_MAX },
        { &zw_mech_null, 90000, 90000 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        zw_engine_options options = { .socket_type = ZW_PULL, .major = 3, .minor = 1,
                                      .handshake_ivl = cases[i].ivl,
                                      .mechanism = { cases[i].ops, 1, &keys } };
        zw_engine e;
        zw_engine_init (&e, &options, &callbacks, NULL, 1000);
        uint64_t expected = cases[i].after == UINT64_MAX ? UINT64_MAX : 1000 + cases[i].after;
        CHECK (zw_engine_deadline (&e) == expected);
        zw_engine_fini (&e);
    }
}

int
main (void)
{
    test_null_machine ();
    test_null_greeting_as_server ();
    test_other_mechanism_refused ();
    test_null_refusal_error ();
    test_null_command_out_of_place ();
    test_ready_not_queued ();
    test_subscribe_not_queued ();
    test_send_largest_head ();
    test_toy_greeting ();
    test_toy_refuses_legacy_and_null ();
    test_toy_handshake ();
    test_toy_traffic ();
    test_toy_one_read ();
    test_toy_encode_failure ();
    test_handshake_bound ();
    printf ("test-mechanism: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
