/*  test_engine.c — the ZMTP engine without sockets: octets in, the exact
    octets it queues out, the events it reports, and why it closes.  Each
    test names the clauses it checks.  Also the session machine alone:
    every state refuses what it must.  Prints "N passed, N failed".  */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "zw_engine.h"

#include "test_check.h"

/* --- a recording owner ---------------------------------------------------------------- */

typedef struct {
    int ready, refuse;
    zw_peer_info peer;
    int messages;
    zw_msg *last;
    int subscriptions;
    int last_subscribe;
    uint8_t topic[300];
    size_t topic_size;
} owner;

static int
on_ready (void *user, const zw_peer_info *peer)
{
    owner *o = user;
    o->ready++;
    o->peer = *peer;
    return o->refuse;
}

static void
on_message (void *user, zw_msg *msg)
{
    owner *o = user;
    o->messages++;
    zw_msg_destroy (o->last);
    o->last = msg;
}

static void
on_subscription (void *user, int subscribe, const uint8_t *topic, size_t size)
{
    owner *o = user;
    o->subscriptions++;
    o->last_subscribe = subscribe;
    o->topic_size = size < sizeof o->topic ? size : sizeof o->topic;
    if (o->topic_size)                          /* an empty topic may come as NULL */
        memcpy (o->topic, topic, o->topic_size);
}

static const zw_engine_callbacks callbacks = { on_ready, on_message, on_subscription, NULL };

static zw_engine_options
options_for (zw_socket_type type)
{
    zw_engine_options o = { .socket_type = type, .minor = 1 };
    return o;
}

/*  The first run of octets waiting to be written (a lent body is a run of
    its own), or NULL with *len 0.  */
static const uint8_t *
first_run (const zw_engine *e, size_t *len)
{
    struct iovec run;
    if (zw_engine_output_iov (e, &run, 1) == 0) {
        *len = 0;
        return NULL;
    }
    *len = run.iov_len;
    return run.iov_base;
}

/*  Takes everything queued, run by run as a writer would; returns its
    length and copies up to cap octets.  */
static size_t
drain (zw_engine *e, uint8_t *out, size_t cap)
{
    size_t total = 0, len;
    const uint8_t *data;
    while ((data = first_run (e, &len))) {
        if (out && total < cap)
            memcpy (out + total, data, len < cap - total ? len : cap - total);
        zw_engine_output_done (e, len);
        total += len;
    }
    return total;
}

static void
push (zw_engine *e, const void *data, size_t len, uint64_t now)
{
    zw_engine_push (e, data, len, now);
}

static const uint8_t greeting_31[64] = {
    0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 3, 1, 'N', 'U', 'L', 'L'
};

/* A READY command frame with one Socket-Type property (and an Identity if given). */
static size_t
ready_frame (uint8_t *buf, const char *type, const char *identity)
{
    uint8_t body[300];
    size_t n = 0;
    body[n++] = 5;
    memcpy (body + n, "READY", 5);
    n += 5;
    n += zw_zmtp_metadata_pack (body + n, sizeof body - n, "Socket-Type", 11,
                                (const uint8_t *) type, strlen (type));
    if (identity)
        n += zw_zmtp_metadata_pack (body + n, sizeof body - n, "Identity", 8,
                                    (const uint8_t *) identity, strlen (identity));
    size_t h = zw_zmtp_frame_pack_header (buf, 9, 0, 1, n);
    memcpy (buf + h, body, n);
    return h + n;
}

/*  An engine with the given options, through the handshake with a 3.1
    peer of peer_type (whose READY ends up at *ready_size octets).  */
static void
handshake_with (zw_engine *e, owner *o, const zw_engine_options *options,
                const char *peer_type, size_t *ready_size)
{
    memset (o, 0, sizeof *o);
    zw_engine_init (e, options, &callbacks, o, 0);
    drain (e, NULL, 0);
    uint8_t ready[400];
    size_t n = ready_frame (ready, peer_type, NULL);
    push (e, greeting_31, sizeof greeting_31, 0);
    drain (e, NULL, 0);
    push (e, ready, n, 0);
    if (ready_size)
        *ready_size = n;
}

/* An engine of the given type, through the handshake with a 3.1 peer of peer_type. */
static void
handshake (zw_engine *e, owner *o, zw_socket_type type, const char *peer_type)
{
    zw_engine_options options = options_for (type);
    handshake_with (e, o, &options, peer_type, NULL);
}

/* --- the greeting and the handshake ------------------------------------------------------- */

/*  zmtp31.version.partial-greeting: 11 octets first; zmtp31.compat.pseudo-length;
    zmtp31.greeting.full-after-read: the rest once the peer's major is known;
    zmtp30.null.ready-both: READY straight after the greeting.  */
static void
test_greeting_then_ready (void)
{
    zw_engine e;
    owner o = { 0 };
    zw_engine_options options = options_for (ZW_DEALER);
    zw_engine_init (&e, &options, &callbacks, &o, 0);
    uint8_t out[512];
    static const uint8_t partial[11] = { 0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 3 };
    CHECK (drain (&e, out, sizeof out) == 11 && memcmp (out, partial, 11) == 0);
    push (&e, greeting_31, 11, 0);              /* the peer's major: 3 */
    size_t n = drain (&e, out, sizeof out);
    CHECK (n == 53 && out[0] == 1 && memcmp (out + 1, "NULL", 4) == 0 && out[21] == 0);
    push (&e, greeting_31 + 11, 53, 0);
    n = drain (&e, out, sizeof out);
    /* READY: 04 size 05 READY, Socket-Type DEALER, Identity (empty) */
    static const uint8_t ready[] = {
        0x04, 0x29, 5, 'R', 'E', 'A', 'D', 'Y',
        11, 'S', 'o', 'c', 'k', 'e', 't', '-', 'T', 'y', 'p', 'e', 0, 0, 0, 6,
        'D', 'E', 'A', 'L', 'E', 'R',
        8, 'I', 'd', 'e', 'n', 't', 'i', 't', 'y', 0, 0, 0, 0
    };
    CHECK (n == sizeof ready && memcmp (out, ready, sizeof ready) == 0);
    CHECK (!zw_engine_active (&e) && o.ready == 0);
    uint8_t peer_ready[400];
    push (&e, peer_ready, ready_frame (peer_ready, "ROUTER", "abc"), 0);
    CHECK (zw_engine_active (&e) && o.ready == 1);
    CHECK (o.peer.socket_type == ZW_ROUTER && o.peer.identity_size == 3
           && memcmp (o.peer.identity, "abc", 3) == 0 && o.peer.minor == 1);
    zw_engine_fini (&e);
}

/* zmtp31.socket-type.check, zmtp31.socket-type.error-then-close: ERROR, then close. */
static void
test_socket_type_mismatch (void)
{
    zw_engine e;
    owner o;
    handshake (&e, &o, ZW_PUSH, "PUB");
    uint8_t out[512];
    size_t n = drain (&e, out, sizeof out);
    CHECK (zw_engine_closed (&e) && o.ready == 0);
    CHECK (n > 8 && out[0] == 0x04 && out[2] == 5 && memcmp (out + 3, "ERROR", 5) == 0);
    const zw_error *v = zw_engine_violation (&e);
    CHECK (v && v->code == ZW_ERR_INVALID_SOCKET_TYPE
           && strcmp (v->clause, "zmtp31.socket-type.check") == 0);
    zw_engine_fini (&e);
}

/* zmtp31.socket-type.values: names are the exact upper-case names. */
static void
test_unknown_socket_type (void)
{
    zw_engine e;
    owner o;
    handshake (&e, &o, ZW_PULL, "push");
    const zw_error *v = zw_engine_violation (&e);
    CHECK (zw_engine_closed (&e) && v && strcmp (v->clause, "zmtp31.socket-type.values") == 0);
    zw_engine_fini (&e);
}

/* zmtp31.identity.no-leading-zero */
static void
test_identity_leading_zero (void)
{
    zw_engine e;
    owner o = { 0 };
    zw_engine_options options = options_for (ZW_ROUTER);
    zw_engine_init (&e, &options, &callbacks, &o, 0);
    push (&e, greeting_31, 64, 0);
    uint8_t ready[400];
    char identity[] = { 0, 'x', 0 };
    size_t n = ready_frame (ready, "DEALER", "..");
    ready[n - 2] = (uint8_t) identity[0];       /* the Identity value becomes 00 2e */
    push (&e, ready, n, 0);
    const zw_error *v = zw_engine_violation (&e);
    CHECK (zw_engine_closed (&e) && v && strcmp (v->clause, "zmtp31.identity.no-leading-zero") == 0);
    zw_engine_fini (&e);
}

/* zmtp31.handshake.commands-first: a message before READY closes. */
static void
test_message_before_ready (void)
{
    zw_engine e;
    owner o = { 0 };
    zw_engine_options options = options_for (ZW_PULL);
    zw_engine_init (&e, &options, &callbacks, &o, 0);
    push (&e, greeting_31, 64, 0);
    static const uint8_t message[] = { 0x00, 0x02, 'h', 'i' };
    push (&e, message, sizeof message, 0);
    const zw_error *v = zw_engine_violation (&e);
    CHECK (zw_engine_closed (&e) && o.messages == 0 && v
           && v->code == ZW_ERR_UNEXPECTED_COMMAND && v->offset == 64
           && strcmp (v->clause, "zmtp31.handshake.commands-first") == 0);
    zw_engine_fini (&e);
}

/* zmtp31.version.downgrade: a 2.0 peer gets a 2.0 greeting and 2.0 framing. */
static void
test_downgrade_to_2_0 (void)
{
    zw_engine e;
    owner o = { 0 };
    zw_engine_options options = options_for (ZW_PULL);
    zw_engine_init (&e, &options, &callbacks, &o, 0);
    uint8_t out[512];
    drain (&e, NULL, 0);
    /* 2.0: signature, revision 01, socket type PUSH (8), identity frame 00 00 */
    static const uint8_t v2[] = { 0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 1, 8, 0, 0 };
    push (&e, v2, 11, 0);
    size_t n = drain (&e, out, sizeof out);
    CHECK (n == 3 && out[0] == ZW_PULL && out[1] == 0 && out[2] == 0);
    push (&e, v2 + 11, sizeof v2 - 11, 0);
    CHECK (zw_engine_active (&e) && o.ready == 1 && o.peer.family == ZW_ZMTP_V2);
    static const uint8_t frames[] = { 0x01, 0x01, 'a', 0x00, 0x01, 'b' };
    push (&e, frames, sizeof frames, 0);
    CHECK (o.messages == 1 && o.last->count == 2 && o.last->frames[1].data[0] == 'b');
    zw_engine_fini (&e);
    zw_msg_destroy (o.last);
}

/* zmtp20.socket.type-mismatch-disconnect */
static void
test_downgrade_type_mismatch (void)
{
    zw_engine e;
    owner o = { 0 };
    zw_engine_options options = options_for (ZW_PULL);
    zw_engine_init (&e, &options, &callbacks, &o, 0);
    static const uint8_t v2[] = { 0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 1, ZW_PUB, 0, 0 };
    push (&e, v2, sizeof v2, 0);
    const zw_error *v = zw_engine_violation (&e);
    CHECK (zw_engine_closed (&e) && v
           && strcmp (v->clause, "zmtp20.socket.type-mismatch-disconnect") == 0);
    zw_engine_fini (&e);
}

/* zmtp31.version.downgrade-or-close: a 1.0 peer is refused. */
static void
test_v1_refused (void)
{
    zw_engine e;
    owner o = { 0 };
    zw_engine_options options = options_for (ZW_PULL);
    zw_engine_init (&e, &options, &callbacks, &o, 0);
    static const uint8_t v1[] = { 0x01, 0x00 };   /* a whole 1.0 greeting: anonymous */
    push (&e, v1, 1, 0);
    CHECK (!zw_engine_closed (&e));                 /* refused once its greeting is in */
    push (&e, v1 + 1, 1, 0);
    const zw_error *v = zw_engine_violation (&e);
    CHECK (zw_engine_closed (&e) && v && v->code == ZW_ERR_UNSUPPORTED_VERSION
           && strcmp (v->clause, "zmtp31.version.downgrade-or-close") == 0);
    zw_engine_fini (&e);
}

/*  zmtp31.version.downgrade-or-close: the refusal names the octet that
    showed a 1.0 peer, as the greeting codec's own refusal does (0: a short
    identity frame; 9: a long one's flags), at every split.  It was the
    greeting decoder's count at the start of the last read, read from
    inside its callback: the offset moved with the chunking (found by
    fuzz/fuzz_engine.c, split invariance; fuzz/corpus/engine/
    crash-v1-refusal-offset.bin).  */
static void
test_v1_refusal_offset (void)
{
    static const uint8_t v1_short[] = { 0x01, 0x00 };
    static const uint8_t v1_long[] = { 0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x00 };
    static const struct { const uint8_t *greeting; size_t size; uint64_t at; } cases[] = {
        { v1_short, sizeof v1_short, 0 }, { v1_long, sizeof v1_long, 9 }
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
        for (size_t cut = 0; cut <= cases[c].size; cut++) {
            zw_engine e;
            owner o = { 0 };
            zw_engine_options options = options_for (ZW_PULL);
            zw_engine_init (&e, &options, &callbacks, &o, 0);
            push (&e, cases[c].greeting, cut, 0);
            push (&e, cases[c].greeting + cut, cases[c].size - cut, 0);
            const zw_error *v = zw_engine_violation (&e);
            CHECK (zw_engine_closed (&e) && v && v->code == ZW_ERR_UNSUPPORTED_VERSION
                   && v->offset == cases[c].at);
            zw_engine_fini (&e);
        }
}

/*  A value the engine keeps (Socket-Type, Identity) that is empty, first
    in READY: its buffer never had memory, and the engine took a pointer
    into it and copied from it (NULL + 0, memcpy from NULL: undefined,
    found by fuzz/fuzz_engine.c under UBSan; fuzz/corpus/engine/
    crash-empty-first-{socket-type,identity,topic}.bin).  An empty
    Identity is no identity (zmtp31.identity.*); an empty Socket-Type is
    none of the names (zmtp31.socket-type.values).  The same for the
    empty topic of the first SUBSCRIBE (zmtp31.pubsub.subscribe-command).  */
static void
test_empty_kept_values (void)
{
    uint8_t body[64], frame[80];
    size_t n = 0;
    body[n++] = 5;
    memcpy (body + n, "READY", 5);
    n += 5;
    n += zw_zmtp_metadata_pack (body + n, sizeof body - n, "Identity", 8, NULL, 0);
    n += zw_zmtp_metadata_pack (body + n, sizeof body - n, "Socket-Type", 11,
                                (const uint8_t *) "DEALER", 6);
    size_t h = zw_zmtp_frame_pack_header (frame, 9, 0, 1, n);
    memcpy (frame + h, body, n);

    zw_engine e;
    owner o = { 0 };
    zw_engine_options options = options_for (ZW_ROUTER);
    zw_engine_init (&e, &options, &callbacks, &o, 0);
    push (&e, greeting_31, 64, 0);
    push (&e, frame, h + n, 0);
    CHECK (zw_engine_active (&e) && o.ready == 1 && o.peer.identity_size == 0
           && o.peer.socket_type == ZW_DEALER);
    zw_engine_fini (&e);

    /* READY with an empty Socket-Type alone */
    n = 6 + zw_zmtp_metadata_pack (body + 6, sizeof body - 6, "Socket-Type", 11, NULL, 0);
    h = zw_zmtp_frame_pack_header (frame, 9, 0, 1, n);
    memcpy (frame + h, body, n);
    memset (&o, 0, sizeof o);
    zw_engine_init (&e, &options, &callbacks, &o, 0);
    push (&e, greeting_31, 64, 0);
    push (&e, frame, h + n, 0);
    const zw_error *v = zw_engine_violation (&e);
    CHECK (zw_engine_closed (&e) && v && strcmp (v->clause, "zmtp31.socket-type.values") == 0);
    zw_engine_fini (&e);

    handshake (&e, &o, ZW_XPUB, "SUB");
    static const uint8_t subscribe[] = { 0x04, 0x0A, 9, 'S', 'U', 'B', 'S', 'C', 'R', 'I', 'B', 'E' };
    push (&e, subscribe, sizeof subscribe, 0);
    CHECK (o.subscriptions == 1 && o.last_subscribe == 1 && o.topic_size == 0);
    zw_engine_fini (&e);
}

/* --- traffic ----------------------------------------------------------------------------------- */

/* zmtp31.frame.message-atomic: a message is delivered when its last frame is in. */
static void
test_message_delivery (void)
{
    zw_engine e;
    owner o;
    handshake (&e, &o, ZW_PULL, "PUSH");
    static const uint8_t frames[] = { 0x01, 0x00, 0x01, 0x02, 'h', 'i', 0x00, 0x00 };
    for (size_t i = 0; i < sizeof frames; i++) {
        CHECK (o.messages == 0);
        push (&e, frames + i, 1, 0);
    }
    CHECK (o.messages == 1 && o.last->count == 3 && o.last->frames[0].size == 0
           && o.last->frames[1].size == 2 && memcmp (o.last->frames[1].data, "hi", 2) == 0);
    zw_engine_fini (&e);
    zw_msg_destroy (o.last);
}

/*  A data frame's body may be read straight into its place in the message
    (zw_engine_input_space): the engine takes it there, and the octets
    after the frame's end are parsed as usual (zmtp31.frame.long-size,
    zmtp31.frame.short-size, zmtp31.frame.message-atomic).  */
static void
test_input_in_place (void)
{
    zw_engine e;
    owner o;
    handshake (&e, &o, ZW_PULL, "PUSH");
    static const uint8_t head[] = { 0x02, 0, 0, 0, 0, 0, 0, 0x30, 0x00 };    /* 12288 octets */
    size_t room;
    CHECK (zw_engine_input_space (&e, &room) == NULL && room == 0);
    push (&e, head, sizeof head, 0);
    push (&e, (const uint8_t *) "ab", 2, 0);            /* the start comes through a chunk */
    uint8_t *place = zw_engine_input_space (&e, &room);
    CHECK (place != NULL && room == 12288 - 2);
    memset (place, 'x', room);
    push (&e, place, room, 0);
    CHECK (o.messages == 1 && o.last->count == 1 && o.last->frames[0].size == 12288
           && o.last->frames[0].data[0] == 'a' && o.last->frames[0].data[12287] == 'x');
    CHECK (zw_engine_input_space (&e, &room) == NULL);
    static const uint8_t next[] = { 0x00, 0x01, 'q' };
    push (&e, next, sizeof next, 0);
    CHECK (o.messages == 2 && o.last->frames[0].size == 1 && o.last->frames[0].data[0] == 'q');
    zw_engine_fini (&e);
    zw_msg_destroy (o.last);
}

/* zmtp31.heartbeat.pong-reply: PONG echoes the PING's context. */
static void
test_ping_pong (void)
{
    zw_engine e;
    owner o;
    handshake (&e, &o, ZW_PULL, "PUSH");
    drain (&e, NULL, 0);
    static const uint8_t ping[] = { 0x04, 0x0A, 4, 'P', 'I', 'N', 'G', 0x00, 0x0A, 'c', 't', 'x' };
    push (&e, ping, sizeof ping, 0);
    uint8_t out[64];
    static const uint8_t pong[] = { 0x04, 0x08, 4, 'P', 'O', 'N', 'G', 'c', 't', 'x' };
    CHECK (drain (&e, out, sizeof out) == sizeof pong && memcmp (out, pong, sizeof pong) == 0);
    /* zmtp31.heartbeat.dead-conditions: the PING's TTL (1 s) passes without traffic */
    CHECK (zw_engine_deadline (&e) == 1000);
    zw_engine_tick (&e, 999);
    CHECK (!zw_engine_closed (&e));
    zw_engine_tick (&e, 1000);
    CHECK (zw_engine_closed (&e) && !zw_engine_violation (&e));
    zw_engine_fini (&e);
}

/* zmtp31.heartbeat.declare-dead, zmtp31.heartbeat.any-traffic-alive */
static void
test_heartbeat (void)
{
    zw_engine e;
    owner o = { 0 };
    zw_engine_options options = options_for (ZW_PULL);
    options.heartbeat_ivl = 100;
    options.heartbeat_timeout = 50;
    options.heartbeat_ttl = 500;
    handshake_with (&e, &o, &options, "PUSH", NULL);
    drain (&e, NULL, 0);
    CHECK (zw_engine_deadline (&e) == 100);
    zw_engine_tick (&e, 100);
    uint8_t out[64];
    static const uint8_t ping[] = { 0x04, 0x07, 4, 'P', 'I', 'N', 'G', 0x00, 0x05 };
    CHECK (drain (&e, out, sizeof out) == sizeof ping && memcmp (out, ping, sizeof ping) == 0);
    CHECK (zw_engine_deadline (&e) == 150);
    static const uint8_t pong[] = { 0x04, 0x05, 4, 'P', 'O', 'N', 'G' };
    push (&e, pong, sizeof pong, 120);          /* any traffic will do */
    zw_engine_tick (&e, 150);
    CHECK (!zw_engine_closed (&e));
    zw_engine_tick (&e, 200);                   /* the next PING */
    CHECK (drain (&e, NULL, 0) == sizeof ping);
    zw_engine_tick (&e, 250);                   /* silence: dead */
    CHECK (zw_engine_closed (&e));
    CHECK (strstr (zw_engine_close_reason (&e), "heartbeat") != NULL);
    zw_engine_fini (&e);
}

/* A handshake that never ends is closed at handshake_ivl. */
static void
test_handshake_timeout (void)
{
    zw_engine e;
    owner o = { 0 };
    zw_engine_options options = options_for (ZW_PULL);
    options.handshake_ivl = 300;
    zw_engine_init (&e, &options, &callbacks, &o, 1000);
    push (&e, greeting_31, 20, 1100);
    CHECK (zw_engine_deadline (&e) == 1300);
    zw_engine_tick (&e, 1300);
    CHECK (zw_engine_closed (&e) && strcmp (zw_engine_close_reason (&e), "handshake timeout") == 0);
    zw_engine_fini (&e);
}

/* zmtp31.frame.size-limit: checked on the header, before any body octet. */
static void
test_max_message_size (void)
{
    zw_engine e;
    owner o = { 0 };
    zw_engine_options options = options_for (ZW_PULL);
    options.max_msg_size = 40;
    size_t n;
    handshake_with (&e, &o, &options, "PUSH", &n);
    CHECK (zw_engine_active (&e));
    uint8_t frames[2 + 30 + 2] = { 0x01, 30 };  /* 30 octets, then a part of 15: 45 in all */
    frames[32] = 0x00;
    frames[33] = 15;
    push (&e, frames, sizeof frames, 0);
    const zw_error *v = zw_engine_violation (&e);
    CHECK (zw_engine_closed (&e) && v && v->code == ZW_ERR_LIMIT_EXCEEDED
           && v->offset == 64 + n + 33 && strcmp (v->clause, "zmtp31.frame.size-limit") == 0);
    zw_engine_fini (&e);

    /* one frame over the limit, a command too, is refused on its header */
    handshake_with (&e, &o, &options, "PUSH", NULL);
    static const uint8_t big_command[] = { 0x04, 41, 4, 'P', 'I', 'N', 'G' };
    push (&e, big_command, sizeof big_command, 0);
    v = zw_engine_violation (&e);
    CHECK (zw_engine_closed (&e) && v && v->code == ZW_ERR_LIMIT_EXCEEDED && v->offset == 64 + n + 1);
    zw_engine_fini (&e);
}

/* zmtp31.error.fatal: the peer's ERROR closes, and is remembered. */
static void
test_peer_error (void)
{
    zw_engine e;
    owner o;
    handshake (&e, &o, ZW_PULL, "PUSH");
    static const uint8_t error[] = { 0x04, 0x09, 5, 'E', 'R', 'R', 'O', 'R', 2, 'n', 'o' };
    push (&e, error, sizeof error, 0);
    CHECK (zw_engine_closed (&e) && zw_engine_peer_sent_error (&e) && !zw_engine_violation (&e)
           && strcmp (e.peer_error, "no") == 0);
    zw_engine_fini (&e);
}

/* zmtp31.pubsub.subscribe-command and zmtp30.pubsub.subscribe-message, both ways. */
static void
test_subscriptions (void)
{
    zw_engine e;
    owner o;
    handshake (&e, &o, ZW_XPUB, "SUB");
    static const uint8_t subscribe[] = { 0x04, 0x0C, 9, 'S', 'U', 'B', 'S', 'C', 'R', 'I', 'B', 'E', 'a', 'b' };
    push (&e, subscribe, sizeof subscribe, 0);
    CHECK (o.subscriptions == 1 && o.last_subscribe == 1 && o.topic_size == 2
           && memcmp (o.topic, "ab", 2) == 0);
    static const uint8_t cancel[] = { 0x04, 0x07, 6, 'C', 'A', 'N', 'C', 'E', 'L' };
    push (&e, cancel, sizeof cancel, 0);
    CHECK (o.subscriptions == 2 && o.last_subscribe == 0 && o.topic_size == 0);
    zw_engine_fini (&e);

    handshake (&e, &o, ZW_SUB, "PUB");
    drain (&e, NULL, 0);
    uint8_t out[64];
    zw_engine_send_subscription (&e, 1, (const uint8_t *) "ab", 2);
    CHECK (drain (&e, out, sizeof out) == sizeof subscribe && memcmp (out, subscribe, sizeof subscribe) == 0);
    zw_engine_fini (&e);

    /* a 3.0 peer gets the 3.0 form: a message 01 'a' 'b' */
    zw_engine_options options = options_for (ZW_SUB);
    memset (&o, 0, sizeof o);
    zw_engine_init (&e, &options, &callbacks, &o, 0);
    uint8_t greeting_30[64];
    memcpy (greeting_30, greeting_31, 64);
    greeting_30[11] = 0;
    push (&e, greeting_30, 64, 0);
    uint8_t ready[400];
    push (&e, ready, ready_frame (ready, "PUB", NULL), 0);
    drain (&e, NULL, 0);
    zw_engine_send_subscription (&e, 1, (const uint8_t *) "ab", 2);
    static const uint8_t message[] = { 0x00, 0x03, 0x01, 'a', 'b' };
    CHECK (drain (&e, out, sizeof out) == sizeof message && memcmp (out, message, sizeof message) == 0);
    zw_engine_fini (&e);
}

/* The socket may refuse a connection that is otherwise fine (PAIR taken). */
static void
test_refused_by_owner (void)
{
    zw_engine e;
    owner o = { 0 };
    memset (&o, 0, sizeof o);
    o.refuse = 1;
    zw_engine_options options = options_for (ZW_PAIR);
    zw_engine_init (&e, &options, &callbacks, &o, 0);
    push (&e, greeting_31, 64, 0);
    uint8_t ready[400];
    push (&e, ready, ready_frame (ready, "PAIR", NULL), 0);
    CHECK (o.ready == 1 && zw_engine_closed (&e) && !zw_engine_violation (&e));
    zw_engine_fini (&e);
}

/* zmtp31.frame.message-atomic: messages go out whole, with MORE on all but the last frame. */
static void
test_send_message (void)
{
    zw_engine e;
    owner o;
    handshake (&e, &o, ZW_PUSH, "PULL");
    drain (&e, NULL, 0);
    zw_msg *msg = zw_msg_new ();
    zw_msg_add (msg, "ab", 2);
    zw_msg_add (msg, NULL, 0);
    uint8_t big[300];
    memset (big, 'x', sizeof big);
    zw_msg_add (msg, big, sizeof big);
    CHECK (zw_engine_send (&e, msg) == 0);
    uint8_t out[400];
    size_t n = drain (&e, out, sizeof out);
    static const uint8_t head[] = { 0x01, 0x02, 'a', 'b', 0x01, 0x00, 0x02, 0, 0, 0, 0, 0, 0, 1, 0x2C };
    CHECK (n == sizeof head + sizeof big && memcmp (out, head, sizeof head) == 0);
    zw_engine_fini (&e);
}

/*  A large body is lent, not copied: the output is the same octets, in
    three runs (header, body, next header and body), whatever the writes
    that take it; the message is freed when written (ASan checks).  The
    octets: a long frame with MORE, then a short last frame
    (zmtp31.frame.long-size, zmtp31.frame.short-size, zmtp31.socket.atomic).  */
static void
test_engine_send_lends_large_bodies (void)
{
    enum { BIG = 70000 };
    for (size_t step = 1; step <= BIG + 20; step = step * 7 + 3) {
        zw_engine e;
        owner o;
        handshake (&e, &o, ZW_PUSH, "PULL");
        drain (&e, NULL, 0);
        zw_msg *msg = zw_msg_new ();
        uint8_t *body = malloc (BIG);
        for (size_t i = 0; i < BIG; i++)
            body[i] = (uint8_t) (i * 31);
        zw_msg_add (msg, body, BIG);
        zw_msg_add (msg, "z", 1);
        CHECK (zw_engine_send (&e, msg) == 0);
        struct iovec iov[8];
        CHECK (zw_engine_output_iov (&e, iov, 8) == 3 && iov[1].iov_len == BIG
               && zw_engine_output_pending (&e) == 9 + BIG + 3);
        /* written in pieces of `step' octets, across the runs' edges */
        uint8_t *out = malloc (9 + BIG + 3);
        size_t got = 0, len;
        const uint8_t *data;
        while ((data = first_run (&e, &len))) {
            size_t take = len < step ? len : step;
            memcpy (out + got, data, take);
            zw_engine_output_done (&e, take);
            got += take;
        }
        static const uint8_t long_head[] = { 0x03, 0, 0, 0, 0, 0, 0x01, 0x11, 0x70 };
        CHECK (got == 9 + BIG + 3 && memcmp (out, long_head, 9) == 0
               && memcmp (out + 9, body, BIG) == 0 && out[9 + BIG] == 0x00
               && out[9 + BIG + 1] == 1 && out[9 + BIG + 2] == 'z');
        free (out);
        free (body);
        zw_engine_fini (&e);
    }
}

/* A message lent to the output and never written is freed with the engine. */
static void
test_engine_fini_frees_lent_messages (void)
{
    zw_engine e;
    owner o;
    handshake (&e, &o, ZW_PUSH, "PULL");
    zw_msg *msg = zw_msg_new ();
    uint8_t body[20000] = { 0 };
    zw_msg_add (msg, body, sizeof body);
    CHECK (zw_engine_send (&e, msg) == 0);
    CHECK (zw_engine_output_pending (&e) > sizeof body);
    zw_engine_fini (&e);
}

/* --- the session machine alone ------------------------------------------------------------------- */

static void
test_session_refusals (void)
{
    zw_session s;
    zw_session_init (&s);
    CHECK (zw_session_step (&s, ZW_SEV_MESSAGE) == (ZW_DO_REFUSE | ZW_DO_CLOSE));
    CHECK (zw_session_closed (&s) && zw_session_step (&s, ZW_SEV_PEER_V3) == 0);

    zw_session_init (&s);
    CHECK (zw_session_step (&s, ZW_SEV_PEER_V3) == ZW_DO_SEND_GREETING_V3);
    CHECK (zw_session_step (&s, ZW_SEV_GREETING) == ZW_DO_START_HANDSHAKE);
    CHECK (strcmp (zw_session_state_name (&s), "handshake") == 0);
    CHECK (zw_session_step (&s, ZW_SEV_PING) == (ZW_DO_REFUSE | ZW_DO_CLOSE));

    zw_session_init (&s);
    zw_session_step (&s, ZW_SEV_PEER_V3);
    zw_session_step (&s, ZW_SEV_GREETING);
    CHECK (zw_session_step (&s, ZW_SEV_MESSAGE) == (ZW_DO_REFUSE | ZW_DO_CLOSE));

    zw_session_init (&s);
    zw_session_step (&s, ZW_SEV_PEER_V3);
    zw_session_step (&s, ZW_SEV_GREETING);
    CHECK (zw_session_step (&s, ZW_SEV_HANDSHAKE_DONE) == ZW_DO_ATTACH && zw_session_active (&s));
    CHECK (zw_session_step (&s, ZW_SEV_PING) == ZW_DO_SEND_PONG);
    CHECK (zw_session_step (&s, ZW_SEV_HANDSHAKE_COMMAND) == (ZW_DO_REFUSE | ZW_DO_CLOSE));

    zw_session_init (&s);
    zw_session_step (&s, ZW_SEV_PEER_V3);
    zw_session_step (&s, ZW_SEV_GREETING);
    CHECK (zw_session_step (&s, ZW_SEV_HANDSHAKE_FAILED) == ZW_DO_CLOSE && zw_session_closed (&s));

    zw_session_init (&s);
    zw_session_step (&s, ZW_SEV_PEER_V2);
    CHECK (zw_session_step (&s, ZW_SEV_HANDSHAKE_DONE) == (ZW_DO_REFUSE | ZW_DO_CLOSE));

    zw_session_init (&s);
    CHECK (zw_session_step (&s, ZW_SEV_PEER_V1) == (ZW_DO_REFUSE | ZW_DO_CLOSE));
    zw_session_init (&s);
    CHECK (zw_session_step (&s, ZW_SEV_TIMEOUT) == ZW_DO_CLOSE);
}

int
main (void)
{
    test_greeting_then_ready ();
    test_socket_type_mismatch ();
    test_unknown_socket_type ();
    test_identity_leading_zero ();
    test_message_before_ready ();
    test_downgrade_to_2_0 ();
    test_downgrade_type_mismatch ();
    test_v1_refused ();
    test_v1_refusal_offset ();
    test_empty_kept_values ();
    test_message_delivery ();
    test_input_in_place ();
    test_ping_pong ();
    test_heartbeat ();
    test_handshake_timeout ();
    test_max_message_size ();
    test_peer_error ();
    test_subscriptions ();
    test_refused_by_owner ();
    test_send_message ();
    test_engine_send_lends_large_bodies ();
    test_engine_fini_frees_lent_messages ();
    test_session_refusals ();
    printf ("test-engine: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
