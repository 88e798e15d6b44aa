/*  zw_engine.c — one ZMTP connection, without I/O (see zw_engine.h).

    Decoding is layered: the greeting decoder first, then the frame
    decoder; a command frame's body goes through the command decoder (and
    READY's properties through its metadata callbacks), a data frame's
    body is gathered into the message being received.  Each thing decoded
    becomes one event of the session machine; the machine answers with
    actions, which perform () carries out.  Nothing decoded acts on its
    own: the order of a connection lives in zw_session_grammar.rl, and the
    order of its handshake in the mechanism's machine (zw_mechanism.h),
    whose outcome becomes the session's event.

    After a handshake whose mechanism changes frames (ops->identity 0),
    each frame that comes is gathered whole and decoded, and the frame the
    peer meant goes down the same path as a clear one; each frame that
    goes out is encoded.  With NULL neither happens: bodies are lent to
    the output and read in place, as before any mechanism.

    Sending: every octet goes through queue (), and every caller of it
    checks it: a frame that cannot be queued closes the connection
    (queue_failed), since the stream would hold part of it.

    Memory: a data frame's buffer grows as its octets arrive, never to
    more than its announced size, so a peer that announces a huge frame
    and sends nothing costs nothing (the size limit is checked first,
    zmtp31.frame.size-limit).  */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "zw_engine.h"
#include "zw_fault.h"
#include "zw_msg_internal.h"

#define NO_DEADLINE UINT64_MAX
#define PARTIAL_GREETING 11         /* signature + major version */
#define KEPT_VALUE_MAX 256          /* Socket-Type and Identity: one over the limit */
/*  A data frame up to this size gets its place in the message when its
    header arrives, and its octets are written there once.  A larger one
    grows with what arrives: a peer cannot make us reserve more than this
    by announcing a size it never sends.  */
#define FRAME_PLACED_MAX (8u << 20)
/* A body this large is lent to the output, not copied into it. */
#define SEND_LENT_MIN 16384

static void step (zw_engine *engine, int event);
static void seal (zw_engine *engine);

/* --- closing ------------------------------------------------------------------ */

/*  Records the peer's violation (first one wins) and feeds the session
    the event that ends the connection.  */
static void
violation (zw_engine *engine, zw_errcode code, uint64_t offset, const char *clause,
           const char *reason)
{
    zw_error_set (&engine->error, code, offset, clause, reason);
    step (engine, ZW_SEV_BAD_INPUT);
}

/* A codec's error becomes the engine's. */
static void
codec_violation (zw_engine *engine, const zw_error *error)
{
    violation (engine, error->code, error->offset, error->clause, error->reason);
}

static void
close_for (zw_engine *engine, const char *reason, int event)
{
    if (!engine->close_reason)
        engine->close_reason = reason;
    step (engine, event);
}

/* --- sending ------------------------------------------------------------------ */

/*  What was being queued could not be: the connection ends now (a clean
    close, not the peer's fault; the owner logs what, zw_engine_queue_failure).  */
static void
queue_failed (zw_engine *engine, const char *what)
{
    if (!engine->queue_failure[0])
        snprintf (engine->queue_failure, sizeof engine->queue_failure, "%s", what);
    close_for (engine, "what it had to send could not be queued", ZW_SEV_CLOSE);
}

static int
queue (zw_engine *engine, const void *data, size_t len)
{
    return zw_output_copy (&engine->out, data, len);
}

static int
queue_frame_header (zw_engine *engine, int more, int command, uint64_t size)
{
    uint8_t header[ZW_ZMTP_FRAME_HEADER_MAX];
    size_t n = zw_zmtp_frame_pack_header (header, sizeof header, more, command, size);
    if (n == 2 && zw_fault_on (command ? ZW_FAULT_COMMAND_WITH_MORE : ZW_FAULT_LONG_FLAG_SHORT_SIZE))
        header[0] |= command ? ZW_ZMTP_FLAG_MORE : ZW_ZMTP_FLAG_LONG;  /* deliberate fault */
    return n ? queue (engine, header, n) : -1;
}

/*  One frame on the wire as it is (flags: MORE, COMMAND), its body in
    pieces, copied.  -1: not queued, and the connection closed.  */
static int
send_frame (zw_engine *engine, const char *what, unsigned flags, const struct iovec *pieces,
            int count)
{
    uint64_t size = 0;
    int failed = 0;
    for (int i = 0; i < count && !failed; i++) {
        failed = pieces[i].iov_len > ZW_ZMTP_SIZE_MAX - size;   /* no header could say it */
        size += pieces[i].iov_len;
    }
    failed = failed || queue_frame_header (engine, flags & ZW_ZMTP_FLAG_MORE,
                                           flags & ZW_ZMTP_FLAG_COMMAND, size);
    for (int i = 0; i < count && !failed; i++)
        failed = queue (engine, pieces[i].iov_base, pieces[i].iov_len);
    if (failed)
        queue_failed (engine, what);
    return failed ? -1 : 0;
}

/*  A frame of the traffic (after the handshake, or a 2.0 connection's):
    as it is with a mechanism that changes nothing, else through its
    encode.  -1: not queued, and the connection closed.  */
static int
send_traffic (zw_engine *engine, const char *what, unsigned flags, const struct iovec *pieces,
              int count)
{
    if (!engine->sealed)
        return send_frame (engine, what, flags, pieces, count);
    if (engine->mech.ops->encode (&engine->mech, flags, pieces, count) == 0)
        return 0;
    if (!zw_session_closed (&engine->session))     /* not a queueing failure: refused */
        queue_failed (engine, what);
    return -1;
}

/*  A command of the traffic: the packed head of cmd (by 37/ZMTP's
    layouts, whatever the mechanism), then 'rest' (a topic).  */
static int
send_command (zw_engine *engine, const zw_zmtp_command *cmd, const uint8_t *rest,
              size_t rest_size)
{
    uint8_t head[512];
    size_t n = zw_zmtp_command_pack_head (head, sizeof head, ZW_MECHANISM_NULL, cmd);
    struct iovec pieces[2] = { { head, n }, { (void *) rest, rest_size } };
    if (n == 0) {
        queue_failed (engine, cmd->name);
        return -1;
    }
    return send_traffic (engine, cmd->name, ZW_ZMTP_FLAG_COMMAND, pieces, rest_size ? 2 : 1);
}

/* Deliberate faults in the rest of a 3.x greeting (zw_fault.h). */
static void
break_greeting (uint8_t *greeting)
{
    for (int i = 12; i < 32 && zw_fault_on (ZW_FAULT_MECHANISM_LOWERCASE); i++)
        if (greeting[i] >= 'A' && greeting[i] <= 'Z')
            greeting[i] |= 0x20;
    if (zw_fault_on (ZW_FAULT_AS_SERVER_ONE))
        greeting[32] = 1;
    if (zw_fault_on (ZW_FAULT_FILLER_NONZERO))
        greeting[40] = 0x55;
}

/*  The rest of our greeting once the peer's version is known: the 3.x
    greeting after the major version, with the mechanism's name and
    as-server (zmtp31.greeting.full-after-read), or the 2.0 greeting
    after its revision octet (zmtp31.version.downgrade).  */
static void
send_greeting_rest (zw_engine *engine, zw_zmtp_family family)
{
    uint8_t greeting[ZW_ZMTP_GREETING_SIZE + ZW_ZMTP_IDENTITY_MAX];
    size_t n;
    if (family == ZW_ZMTP_V3)
        n = zw_zmtp_greeting_pack_v3 (greeting, sizeof greeting, 3, engine->options.minor,
                                      engine->mech.ops->name,
                                      zw_mechanism_as_server (&engine->mech), NULL);
    else
        n = zw_zmtp_greeting_pack_v2 (greeting, sizeof greeting, 1,
                                      (uint8_t) engine->options.socket_type,
                                      engine->options.identity, engine->options.identity_size);
    if (family == ZW_ZMTP_V3)
        break_greeting (greeting);
    if (n <= PARTIAL_GREETING || queue (engine, greeting + PARTIAL_GREETING, n - PARTIAL_GREETING))
        queue_failed (engine, "the greeting");
}

/* Identity goes in READY from the types a ROUTER routes to by it (zmtp31.identity.router-addressing). */
static int
announces_identity (zw_socket_type type)
{
    return type == ZW_REQ || type == ZW_DEALER || type == ZW_ROUTER;
}

/*  Our metadata, packed once: Socket-Type (zmtp31.metadata.socket-type)
    and Identity (zmtp31.metadata.identity); the application's own
    properties (zmtp31.metadata.other-properties) follow it as they are.  */
static void
pack_metadata (zw_engine *engine)
{
    uint8_t *metadata = engine->metadata;
    size_t cap = sizeof engine->metadata;
    char type[16];
    snprintf (type, sizeof type, "%s", zw_socket_type_name (engine->options.socket_type));
    for (char *c = type; zw_fault_on (ZW_FAULT_SOCKET_TYPE_LOWERCASE) && *c; c++)
        *c = (char) (*c | 0x20);                            /* deliberate fault */
    size_t n = zw_fault_on (ZW_FAULT_READY_NO_SOCKET_TYPE) ? 0
             : zw_zmtp_metadata_pack (metadata, cap, "Socket-Type", 11,
                                      (const uint8_t *) type, strlen (type));
    if (announces_identity (engine->options.socket_type))
        n += zw_zmtp_metadata_pack (metadata + n, cap - n, "Identity", 8,
                                    engine->options.identity, engine->options.identity_size);
    engine->metadata_size = n;
}

/* PING with our TTL in tenths of a second and no context (zmtp31.command.ping). */
static void
send_ping (zw_engine *engine)
{
    zw_zmtp_command ping;
    zw_mechanism_command_named (&ping, ZW_COMMAND_PING, "PING");
    uint64_t ttl = engine->options.heartbeat_ttl / 100;
    ping.u.ping.ttl = (uint16_t) (ttl > UINT16_MAX ? UINT16_MAX : ttl);
    if (send_command (engine, &ping, NULL, 0))
        return;
    if (!engine->ping_pending) {
        engine->ping_pending = 1;
        engine->ping_sent_at = engine->now;
    }
    engine->next_ping = engine->now + engine->options.heartbeat_ivl;
}

/* PONG echoing the PING's context, at most 16 octets (zmtp31.heartbeat.pong-reply). */
static void
send_pong (zw_engine *engine)
{
    zw_zmtp_command pong;
    zw_mechanism_command_named (&pong, ZW_COMMAND_PONG, "PONG");
    pong.u.ping.context.size = zw_fault_on (ZW_FAULT_PONG_NO_CONTEXT) ? 0
                                                                       : engine->ping_context_size;
    memcpy (pong.u.ping.context.data, engine->ping_context, engine->ping_context_size);
    send_command (engine, &pong, NULL, 0);
}

static int
speaks_31 (const zw_engine *engine)
{
    return engine->options.minor >= 1 && engine->peer.family == ZW_ZMTP_V3
        && engine->peer.minor >= 1;
}

/* --- the session's actions ------------------------------------------------------ */

/*  The connection is up: timers change from handshake to heartbeat, and
    frames from now on go through the mechanism's encoding, if it has one.  */
static void
attach (zw_engine *engine)
{
    engine->handshake_deadline = NO_DEADLINE;
    if (engine->peer.family == ZW_ZMTP_V3 && !engine->mech.ops->identity)
        seal (engine);
    if (engine->options.heartbeat_ivl && speaks_31 (engine))
        engine->next_ping = engine->now + engine->options.heartbeat_ivl;
    if (engine->callbacks && engine->callbacks->on_ready
    &&  engine->callbacks->on_ready (engine->user, &engine->peer))
        close_for (engine, "refused by the socket", ZW_SEV_CLOSE);
}

/*  The mechanism's word on its handshake becomes the session's event.
    Nothing more happens on a connection a queueing failure has closed.  */
static void
handshake_outcome (zw_engine *engine, zw_mech_outcome outcome)
{
    if (zw_session_closed (&engine->session) || outcome == ZW_MECH_CONTINUE)
        return;
    if (outcome == ZW_MECH_DONE) {
        step (engine, ZW_SEV_HANDSHAKE_DONE);
        return;
    }
    const zw_error *why = &engine->mech.error;
    if (why->code != ZW_OK)
        zw_error_set (&engine->error, why->code, why->offset, why->clause, why->reason);
    else if (!engine->close_reason)     /* not the peer's violation: refused credentials ... */
        engine->close_reason = why->reason ? why->reason : "the handshake failed";
    step (engine, ZW_SEV_HANDSHAKE_FAILED);
}

/* The greetings are exchanged: the mechanism's handshake begins, with its state. */
static void
start_handshake (zw_engine *engine)
{
    zw_mechanism *m = &engine->mech;
    if (m->ops->state_size && !(m->state = calloc (1, m->ops->state_size))) {
        close_for (engine, "out of memory for the handshake", ZW_SEV_CLOSE);
        return;
    }
    handshake_outcome (engine, m->ops->start (m));
}

static void
deliver (zw_engine *engine)
{
    zw_msg *msg = engine->message;
    engine->message = NULL;
    if (engine->callbacks && engine->callbacks->on_message)
        engine->callbacks->on_message (engine->user, msg);
    else
        zw_msg_destroy (msg);
}

static void
pass_subscription (zw_engine *engine, int subscribe)
{
    size_t size = zw_buffer_length (&engine->part);     /* an empty topic may have no buffer */
    if (engine->callbacks && engine->callbacks->on_subscription)
        engine->callbacks->on_subscription (engine->user, subscribe,
                                            size ? engine->part.data + engine->part.start : NULL,
                                            size);
}

/*  Why an event was refused, when the event itself does not say: no
    message before the handshake ends, and no command out of its place
    (zmtp31.handshake.commands-first).  */
static void
refuse (zw_engine *engine, int event)
{
    uint64_t at = engine->frames.header.offset;
    if (event == ZW_SEV_PEER_V1)
        zw_error_set (&engine->error, ZW_ERR_UNSUPPORTED_VERSION, engine->v1_detected_at,
                      "zmtp31.version.downgrade-or-close", "ZMTP 1.0 peers are not supported");
    else if (event == ZW_SEV_MESSAGE)
        zw_error_set (&engine->error, ZW_ERR_UNEXPECTED_COMMAND, at,
                      "zmtp31.handshake.commands-first", "a message before the handshake ended");
    else
        zw_error_set (&engine->error, ZW_ERR_UNEXPECTED_COMMAND, at,
                      "zmtp31.handshake.commands-first", "a command out of its place");
}

static void
perform (zw_engine *engine, int event, unsigned actions)
{
    if (actions & ZW_DO_SEND_GREETING_V3) send_greeting_rest (engine, ZW_ZMTP_V3);
    if (actions & ZW_DO_SEND_GREETING_V2) send_greeting_rest (engine, ZW_ZMTP_V2);
    if (actions & ZW_DO_START_HANDSHAKE)  start_handshake (engine);
    if (actions & ZW_DO_ATTACH)           attach (engine);
    if (actions & ZW_DO_DELIVER)          deliver (engine);
    if (actions & ZW_DO_SEND_PONG && !zw_fault_on (ZW_FAULT_NO_PONG))  send_pong (engine);
    if (actions & ZW_DO_SEND_PING)        send_ping (engine);
    if (actions & ZW_DO_SUBSCRIBE)        pass_subscription (engine, 1);
    if (actions & ZW_DO_CANCEL)           pass_subscription (engine, 0);
    if (actions & ZW_DO_REFUSE)           refuse (engine, event);
}

static void
step (zw_engine *engine, int event)
{
    perform (engine, event, zw_session_step (&engine->session, event));
}

/* --- the peer's metadata ----------------------------------------------------------- */

static int
property_name (void *user, const char *name, size_t size)
{
    zw_engine *engine = user;
    memcpy (engine->property, name, size);
    engine->property[size] = 0;
    engine->property_size = (uint8_t) size;
    zw_buffer_clear (&engine->value);
    return 0;
}

static int
is_property (const zw_engine *engine, const char *name)
{
    return zw_zmtp_metadata_name_equal (engine->property, engine->property_size, name,
                                        strlen (name));
}

static int
property_value (void *user, const uint8_t *data, size_t len)
{
    zw_engine *engine = user;
    if (!is_property (engine, "Socket-Type") && !is_property (engine, "Identity"))
        return 0;
    size_t room = KEPT_VALUE_MAX - zw_buffer_length (&engine->value);
    return zw_buffer_append (&engine->value, data, len < room ? len : room);
}

/*  Keeps what the handshake decides on: the Socket-Type (names are
    matched exactly, zmtp31.socket-type.values) and the Identity.  */
static int
property_end (void *user)
{
    zw_engine *engine = user;
    const zw_buffer *v = &engine->value;
    size_t size = zw_buffer_length (v);
    /* an empty value may never have had a buffer: no pointer into it then */
    const uint8_t *value = size ? v->data + v->start : NULL;
    if (is_property (engine, "Socket-Type")) {
        char name[16] = "";
        if (size && size < sizeof name)
            memcpy (name, value, size);
        int type = size < sizeof name ? zw_socket_type_parse (name) : -1;
        const char *canonical = type >= 0 ? zw_socket_type_name (type) : NULL;
        engine->peer.socket_type = canonical && strcmp (canonical, name) == 0 ? type : -2;
        engine->saw_socket_type = 1;
    }
    else if (is_property (engine, "Identity")) {
        engine->peer.identity_size = (uint8_t) (size > 255 ? 255 : size);
        if (size)
            memcpy (engine->peer.identity, value, engine->peer.identity_size);
        if (size > 255 && !zw_fault_on (ZW_LENIENT_ANY_IDENTITY))
            zw_error_set (&engine->metadata_error, ZW_ERR_INVALID_METADATA,
                          engine->frames.header.offset, "zmtp31.identity.length",
                          "Identity is over 255 octets");
    }
    return 0;
}

static const zw_zmtp_metadata_callbacks metadata_callbacks = {
    property_name, property_value, property_end
};

/*  The peer's metadata against ours: a known socket type that may talk to
    ours (zmtp31.socket-type.check), an Identity we can route by
    (zmtp31.identity.no-leading-zero).  0, or -1 with *why.  */
static int
judge_metadata (zw_engine *engine, uint64_t at, zw_error *why)
{
    const zw_error *found = &engine->metadata_error;
    if (found->code != ZW_OK)
        zw_error_set (why, found->code, found->offset, found->clause, found->reason);
    else if (!engine->saw_socket_type)
        zw_error_set (why, ZW_ERR_INVALID_SOCKET_TYPE, at,
                      "zmtp31.metadata.socket-type", "READY has no Socket-Type");
    else if (engine->peer.socket_type == -2)
        zw_error_set (why, ZW_ERR_INVALID_SOCKET_TYPE, at,
                      "zmtp31.socket-type.values", "unknown Socket-Type");
    else if (!zw_socket_types_compatible (engine->options.socket_type, engine->peer.socket_type)
         &&  !zw_fault_on (ZW_FAULT_ACCEPT_ANY_SOCKET_TYPE))
        zw_error_set (why, ZW_ERR_INVALID_SOCKET_TYPE, at,
                      "zmtp31.socket-type.check", "Socket-Type may not talk to ours");
    else if (engine->peer.identity_size > 0 && engine->peer.identity[0] == 0
         &&  !zw_fault_on (ZW_LENIENT_ANY_IDENTITY))
        zw_error_set (why, ZW_ERR_INVALID_METADATA, at,
                      "zmtp31.identity.no-leading-zero", "Identity starts with a zero octet");
    else
        return 0;
    return -1;
}

/*  Metadata that came inside something the mechanism opened (a box): read
    here with the same callbacks as READY's in clear.  */
static int
read_metadata (zw_engine *engine, const uint8_t *metadata, size_t size, uint64_t offset,
               zw_error *why)
{
    zw_zmtp_metadata_ctx ctx;
    memset (&engine->metadata_error, 0, sizeof engine->metadata_error);
    engine->saw_socket_type = 0;
    engine->peer.socket_type = -1;
    engine->peer.identity_size = 0;
    zw_zmtp_metadata_init (&ctx, offset, size, &metadata_callbacks, engine);
    zw_zmtp_metadata_tolerate (&ctx, engine->options.tolerate);
    zw_zmtp_metadata_push (&ctx, metadata, size);
    const zw_error *error = zw_zmtp_metadata_error (&ctx);
    if (error || !zw_zmtp_metadata_done (&ctx)) {
        *why = error ? *error : (zw_error) { ZW_ERR_INVALID_METADATA, offset + size,
                                             "zmtp31.metadata.name", "metadata cut short" };
        return -1;
    }
    return 0;
}

/* --- what the engine lends its mechanism (zw_mechanism_host) ------------------------- */

static int
host_queue_frame (void *user, const char *what, unsigned flags, const struct iovec *pieces,
                  int count)
{
    return send_frame (user, what, flags, pieces, count);
}

static int
host_metadata (void *user, struct iovec *pieces)
{
    zw_engine *engine = user;
    pieces[0] = (struct iovec) { engine->metadata, engine->metadata_size };
    pieces[1] = (struct iovec) { (void *) engine->options.properties,
                                 engine->options.properties_size };
    return engine->options.properties_size ? 2 : 1;
}

static int
host_judge_metadata (void *user, const uint8_t *metadata, size_t size, uint64_t offset,
                     zw_error *why)
{
    zw_engine *engine = user;
    if (metadata && read_metadata (engine, metadata, size, offset, why))
        return -1;
    return judge_metadata (engine, offset, why);
}

/*  27/ZAP: the owner makes the request (zw_engine_callbacks.on_zap_request)
    with what the engine knows: the mechanism, the client's Identity when
    it has been told (DECISIONS S3), the mechanism's credentials.  */
static int
host_zap_request (void *user, const struct iovec *credentials, int count)
{
    zw_engine *engine = user;
    if (!engine->callbacks || !engine->callbacks->on_zap_request)
        return 0;
    zw_zap_ask ask = { engine->mech.ops->name, engine->peer.identity,
                       engine->peer.identity_size, credentials, count };
    int taken = engine->callbacks->on_zap_request (engine->user, &ask);
    if (taken < 0)
        queue_failed (engine, "a ZAP request");
    engine->zap_waiting = taken > 0;
    return taken;
}

/* --- commands --------------------------------------------------------------------- */

/* A variable part (a topic, an unknown command's data) is kept; a tolerated excess is not. */
static int
command_part (void *user, zw_zmtp_part part, const uint8_t *data, size_t len)
{
    zw_engine *engine = user;
    if (part == ZW_PART_EXCESS)
        return 0;
    return zw_buffer_append (&engine->part, data, len) ? 1 : 0;
}

static const zw_zmtp_command_callbacks command_callbacks = {
    NULL, command_part, NULL, &metadata_callbacks
};

static void
remember_ping (zw_engine *engine, const zw_zmtp_command *ping)
{
    engine->peer_ttl = (uint64_t) ping->u.ping.ttl * 100;   /* tenths of a second */
    engine->ping_context_size = ping->u.ping.context.size;
    memcpy (engine->ping_context, ping->u.ping.context.data, ping->u.ping.context.size);
}

static void
remember_error (zw_engine *engine, const zw_zmtp_command *error)
{
    size_t n = error->u.reason.size;
    memcpy (engine->peer_error, error->u.reason.data, n);
    engine->peer_error[n] = 0;
    engine->peer_sent_error = 1;
    engine->close_reason = "the peer sent ERROR";
}

/* A command of the handshake goes to the mechanism, whose outcome may end it. */
static void
handshake_command (zw_engine *engine, const zw_zmtp_command *cmd)
{
    size_t size = zw_buffer_length (&engine->part);
    zw_mech_command in = { cmd, size ? engine->part.data + engine->part.start : NULL, size,
                           engine->frames.header.offset };
    handshake_outcome (engine, engine->mech.ops->command (&engine->mech, &in));
}

/*  A command of the traffic: its event, or 0 for none.  A command of the
    handshake is out of its place now (the session refuses it).  */
static int
traffic_event (zw_engine *engine, const zw_zmtp_command *cmd)
{
    switch (cmd->id) {
    case ZW_COMMAND_READY:
        return zw_fault_on (ZW_LENIENT_READY_TWICE_IGNORED)
               ? ZW_SEV_OTHER_COMMAND : ZW_SEV_HANDSHAKE_COMMAND;  /* lenient variant: ignored */
    case ZW_COMMAND_PING:      remember_ping (engine, cmd); return ZW_SEV_PING;
    case ZW_COMMAND_PONG:      return ZW_SEV_PONG;
    case ZW_COMMAND_SUBSCRIBE: return ZW_SEV_SUBSCRIBE;
    case ZW_COMMAND_CANCEL:    return ZW_SEV_CANCEL;
    default:                   return ZW_SEV_OTHER_COMMAND;
    }
}

/*  A whole, well-formed command.  A tolerated name that means nothing is
    ignored wherever it comes: RFC 37 gives it no meaning and names no
    action (zmtp31.command.name binds the sender).  The peer's ERROR is
    fatal in any state (zmtp31.error.fatal).  The rest belongs to the
    mechanism's handshake until it ends, to the traffic after.  */
static void
command_done (zw_engine *engine, const zw_zmtp_command *cmd)
{
    int after_handshake = zw_session_active (&engine->session);
    if (cmd->id == ZW_COMMAND_UNKNOWN && engine->options.tolerate & ZW_ZMTP_TOLERATE_COMMAND_NAME)
        return;
    if (cmd->id == ZW_COMMAND_ERROR) {
        if (after_handshake && zw_fault_on (ZW_LENIENT_ERROR_AFTER_READY_IGNORED))
            step (engine, ZW_SEV_OTHER_COMMAND);        /* lenient variant: ignored */
        else {
            remember_error (engine, cmd);
            step (engine, ZW_SEV_ERROR);
        }
    }
    else if (after_handshake)
        step (engine, traffic_event (engine, cmd));
    else
        handshake_command (engine, cmd);
}

/* --- frames ------------------------------------------------------------------------ */

/*  A data frame begins: up to FRAME_PLACED_MAX its octets get their place
    in the message now; a larger one is gathered in engine->frame.  */
static int
place_frame (zw_engine *engine, uint64_t size)
{
    engine->frame_size = size;
    engine->frame_filled = 0;
    engine->frame_data = NULL;
    zw_buffer_clear (&engine->frame);
    if (size > FRAME_PLACED_MAX)
        return 0;
    if (!engine->message && !(engine->message = zw_msg_new ()))
        goto no_memory;
    engine->frame_data = zw_msg_add_space (engine->message, (size_t) size);
    if (size && !engine->frame_data)
        goto no_memory;
    return 0;
no_memory:
    close_for (engine, "out of memory for a message", ZW_SEV_CLOSE);
    return 1;
}

static int
frame_header (void *user, const zw_zmtp_frame_header *header)
{
    zw_engine *engine = user;
    uint64_t header_size = header->flags & ZW_ZMTP_FLAG_LONG ? 9 : 2;
    engine->frame_flags = header->flags;
    if (header->flags & ZW_ZMTP_FLAG_COMMAND && engine->frames.framing == ZW_ZMTP_FRAMING_V3) {
        /* the mechanism's layouts in its handshake, 37/ZMTP's after it */
        zw_zmtp_mechanism codec = zw_session_active (&engine->session)
                                  ? ZW_MECHANISM_NULL : engine->mech.ops->codec;
        engine->in_command = 1;
        zw_buffer_clear (&engine->part);
        zw_zmtp_command_init (&engine->command, codec, header->offset + header_size,
                              header->size, &command_callbacks, engine);
        zw_zmtp_command_tolerate (&engine->command, engine->options.tolerate);
        return 0;
    }
    engine->in_command = 0;
    if (!zw_session_active (&engine->session)) {
        if (zw_fault_on (ZW_LENIENT_MESSAGE_BEFORE_READY))
            return 1;                           /* lenient variant: ignored, not refused */
        step (engine, ZW_SEV_MESSAGE);          /* refused: zmtp31.handshake.commands-first */
        return 1;
    }
    uint64_t so_far = engine->message ? engine->message->total : 0;
    if (engine->options.max_msg_size && so_far + header->size > engine->options.max_msg_size) {
        /* at the last size octet, where the codec reports a frame over the limit */
        violation (engine, ZW_ERR_LIMIT_EXCEEDED, header->offset + header_size - 1,
                   "zmtp31.frame.size-limit", "message over the maximum size");
        return 1;
    }
    return place_frame (engine, header->size);
}

static int
frame_body (void *user, const uint8_t *data, size_t len)
{
    zw_engine *engine = user;
    if (engine->in_command) {
        zw_zmtp_command_push (&engine->command, data, len);
        const zw_error *error = zw_zmtp_command_error (&engine->command);
        if (error)
            codec_violation (engine, error);
        return error != NULL;
    }
    if (engine->frame_data) {
        uint8_t *place = engine->frame_data + engine->frame_filled;
        if (place != data)              /* not read in place (zw_engine_input_space) */
            memcpy (place, data, len);
        engine->frame_filled += len;
        return 0;
    }
    if (zw_buffer_append (&engine->frame, data, len)) {
        close_for (engine, "out of memory for a message", ZW_SEV_CLOSE);
        return 1;
    }
    return 0;
}

/*  The data frame is whole.  A placed one is in the message already; a
    gathered one joins it, its buffer handed over without a copy.  */
static int
add_frame (zw_engine *engine)
{
    if (engine->frame_data || engine->frame_size == 0) {
        engine->frame_data = NULL;
        return 0;
    }
    if (!engine->message && !(engine->message = zw_msg_new ()))
        return -1;
    size_t size = zw_buffer_length (&engine->frame);
    uint8_t *fitted = realloc (engine->frame.data, size);     /* the message takes its size */
    if (fitted) {
        engine->frame.data = fitted;
        engine->frame.capacity = size;
    }
    if (zw_msg_add_owned (engine->message, engine->frame.data, size))
        return -1;
    memset (&engine->frame, 0, sizeof engine->frame);    /* the message has the buffer now */
    return 0;
}

static int
frame_end (void *user)
{
    zw_engine *engine = user;
    if (engine->in_command) {
        const zw_error *error = zw_zmtp_command_error (&engine->command);
        if (!error && !zw_zmtp_command_done (&engine->command))
            zw_zmtp_command_push (&engine->command, NULL, 0);   /* an empty body */
        error = zw_zmtp_command_error (&engine->command);
        if (error)
            codec_violation (engine, error);
        else
            command_done (engine, &engine->command.command);
    }
    else if (add_frame (engine))
        close_for (engine, "out of memory for a message", ZW_SEV_CLOSE);
    else if (!(engine->frame_flags & ZW_ZMTP_FLAG_MORE))
        step (engine, ZW_SEV_MESSAGE);          /* zmtp31.frame.message-atomic */
    return zw_session_closed (&engine->session);
}

static const zw_zmtp_frame_callbacks frame_callbacks = { frame_header, frame_body, frame_end };

/* --- sealed frames: after a handshake whose mechanism changes them ---------------------- */

static int
gather_header (void *user, const zw_zmtp_frame_header *header)
{
    zw_engine *engine = user;
    (void) header;
    zw_buffer_clear (&engine->sealed_frame);
    return 0;
}

static int
gather_body (void *user, const uint8_t *data, size_t len)
{
    zw_engine *engine = user;
    if (zw_buffer_append (&engine->sealed_frame, data, len) == 0)
        return 0;
    close_for (engine, "out of memory for a frame", ZW_SEV_CLOSE);
    return 1;
}

/*  A sealed frame is whole: the mechanism decodes it, and the frame the
    peer meant goes the way of a clear one, under a header that keeps the
    wire's offset and size form (errors point at the wire).  A frame the
    mechanism cannot decode closes the connection without ERROR.  */
static int
gather_end (void *user)
{
    zw_engine *engine = user;
    const zw_zmtp_frame_header *wire = &engine->frames.header;
    size_t size = zw_buffer_length (&engine->sealed_frame);
    zw_mech_frame frame = { wire->flags & (ZW_ZMTP_FLAG_MORE | ZW_ZMTP_FLAG_COMMAND),
                            size ? engine->sealed_frame.data + engine->sealed_frame.start : NULL,
                            size, wire->offset };
    if (engine->mech.ops->decode (&engine->mech, &frame)) {
        const zw_error *why = &engine->mech.error;
        violation (engine, why->code != ZW_OK ? why->code : ZW_ERR_CRYPTOGRAPHIC, wire->offset,
                   why->clause, why->reason ? why->reason : "a frame that does not decode");
        return 1;
    }
    zw_zmtp_frame_header meant = {
        wire->offset,
        (uint8_t) ((frame.flags & (ZW_ZMTP_FLAG_MORE | ZW_ZMTP_FLAG_COMMAND))
                   | (wire->flags & ZW_ZMTP_FLAG_LONG)),
        frame.size
    };
    if (frame_header (engine, &meant) || (frame.size && frame_body (engine, frame.data, frame.size)))
        return 1;
    return frame_end (engine);
}

static const zw_zmtp_frame_callbacks sealed_callbacks = { gather_header, gather_body, gather_end };

/*  From now on every frame goes through the mechanism: the frame decoder
    hands each to the sealed callbacks (it reads its table at every
    call, so the switch may happen inside one), and sending encodes.  */
static void
seal (zw_engine *engine)
{
    engine->sealed = 1;
    engine->frames.callbacks = &sealed_callbacks;
}

/* --- the greeting ------------------------------------------------------------------- */

/*  A 3.x or 2.0 peer is answered as soon as its version is known.  A 1.0
    peer is refused once its greeting is whole (greeting_done), so that a
    malformed 1.0 greeting is reported as what it is.  A 2.0 peer is
    refused at once by a mechanism other than NULL: it would bypass it
    (zmtp31.compat.close-non-null, zmtp31.security.downgrade-guard).  */
static void
greeting_detected (void *user, zw_zmtp_family family, uint64_t offset)
{
    zw_engine *engine = user;
    engine->peer.family = family;
    if (family == ZW_ZMTP_V1)
        engine->v1_detected_at = offset;        /* as the greeting codec reports a 1.0 refusal */
    if (family == ZW_ZMTP_V2 && !engine->mech.ops->legacy_peers)
        violation (engine, ZW_ERR_UNSUPPORTED_VERSION, offset, "zmtp31.compat.close-non-null",
                   "a 2.0 peer, and the mechanism is not NULL");
    else if (family != ZW_ZMTP_V1)
        step (engine, family == ZW_ZMTP_V3 ? ZW_SEV_PEER_V3 : ZW_SEV_PEER_V2);
}

/*  A 2.0 peer's greeting carries its socket type and identity
    (zmtp20.greeting.socket-type); a wrong type is dropped without ERROR,
    which 2.0 does not have (zmtp20.socket.type-mismatch-disconnect).  */
static int
judge_v2_greeting (zw_engine *engine, const zw_zmtp_greeting *greeting)
{
    engine->peer.socket_type = greeting->socket_type;
    engine->peer.identity_size = (uint8_t) greeting->identity_size;
    memcpy (engine->peer.identity, greeting->identity, greeting->identity_size);
    if (zw_socket_types_compatible (engine->options.socket_type, greeting->socket_type))
        return ZW_SEV_GREETING;
    zw_error_set (&engine->error, ZW_ERR_INVALID_SOCKET_TYPE, 11,
                  "zmtp20.socket.type-mismatch-disconnect", "2.0 socket type may not talk to ours");
    return ZW_SEV_BAD_INPUT;
}

static void
greeting_done (void *user, const zw_zmtp_greeting *greeting)
{
    zw_engine *engine = user;
    engine->peer.minor = greeting->minor;
    engine->mech.peer_as_server = greeting->as_server;     /* the mechanism's, at its start */
    if (greeting->family == ZW_ZMTP_V1) {
        step (engine, ZW_SEV_PEER_V1);
        return;
    }
    int v2 = greeting->family == ZW_ZMTP_V2;
    step (engine, v2 ? judge_v2_greeting (engine, greeting) : ZW_SEV_GREETING);
    /* Any one frame, command or message part, is bounded by the message
       limit (and what the mechanism's encoding adds) before its body is
       read (zmtp31.frame.size-limit); the sum of a message's parts is
       checked in frame_header.  */
    uint64_t limit = engine->options.max_msg_size
                     ? engine->options.max_msg_size + engine->mech.ops->frame_overhead
                     : ZW_ZMTP_SIZE_MAX;
    zw_zmtp_frame_init (&engine->frames, v2 ? ZW_ZMTP_FRAMING_V2 : ZW_ZMTP_FRAMING_V3,
                        greeting->size, limit, &frame_callbacks, engine);
    zw_zmtp_frame_tolerate (&engine->frames, engine->options.tolerate);
}

static const zw_zmtp_greeting_callbacks greeting_callbacks = { greeting_detected, greeting_done };

/* --- the public calls ------------------------------------------------------------------ */

void
zw_engine_init (zw_engine *engine, const zw_engine_options *options,
                const zw_engine_callbacks *callbacks, void *user, uint64_t now)
{
    static const zw_mechanism_host host = {
        NULL, host_queue_frame, host_metadata, host_judge_metadata, host_zap_request
    };
    memset (engine, 0, sizeof *engine);
    engine->options = *options;
    engine->options.tolerate |= zw_fault_tolerances ();     /* lenient variants */
    engine->callbacks = callbacks;
    engine->user = user;
    engine->peer.socket_type = -1;
    engine->now = engine->last_input = now;
    zw_mechanism_host ours = host;
    ours.engine = engine;
    zw_mechanism_init (&engine->mech, &options->mechanism, &ours);
    /* the socket's bound, within the mechanism's own (CURVE: its cookie key's life) */
    uint32_t ivl = options->handshake_ivl, max = engine->mech.ops->handshake_max;
    if (max && (ivl == 0 || ivl > max))
        ivl = max;
    engine->handshake_deadline = ivl ? now + ivl : NO_DEADLINE;
    pack_metadata (engine);
    zw_session_init (&engine->session);
    /*  Detect every version, so that the session decides
        (zmtp31.version.detect-older); the mechanism is ours, by
        configuration: a peer naming another is refused
        (zmtp31.greeting.mechanism-match).  */
    zw_zmtp_greeting_init (&engine->greeting, ZW_ZMTP_V1,
                           zw_fault_on (ZW_FAULT_ACCEPT_OTHER_MECHANISM) ? NULL
                                                                         : engine->mech.ops->name,
                           &greeting_callbacks, engine);
    zw_zmtp_greeting_tolerate (&engine->greeting, engine->options.tolerate);
    /* The partial greeting: signature and major version (zmtp31.version.partial-greeting). */
    uint8_t partial[PARTIAL_GREETING];
    zw_zmtp_signature_pack_compat (partial, sizeof partial, options->identity_size);
    partial[10] = 3;                            /* zmtp31.greeting.version-major */
    if (options->major == 2) {
        /*  A 2.0-only peer: revision 1 (zmtp20.greeting.revision), and every
            peer read as 2.0, since a later one steps down to it.  */
        partial[10] = 1;
        zw_zmtp_greeting_cap (&engine->greeting, ZW_ZMTP_V2);
    }
    if (zw_fault_on (ZW_FAULT_BAD_SIGNATURE))
        partial[9] = 0x7D;
    if (zw_fault_on (ZW_FAULT_WRONG_MAJOR))
        partial[10] = 4;
    if (queue (engine, partial, sizeof partial))
        queue_failed (engine, "the greeting");
}

void
zw_engine_fini (zw_engine *engine)
{
    zw_mechanism *m = &engine->mech;
    if (m->state && m->ops->fini)
        m->ops->fini (m);
    free (m->state);
    m->state = NULL;
    zw_buffer_free (&engine->sealed_frame);
    zw_output_free (&engine->out);
    zw_buffer_free (&engine->part);
    zw_buffer_free (&engine->frame);
    zw_buffer_free (&engine->value);
    zw_msg_destroy (engine->message);
    engine->message = NULL;
}

void
zw_engine_push (zw_engine *engine, const uint8_t *data, size_t len, uint64_t now)
{
    if (zw_session_closed (&engine->session) || len == 0)
        return;
    engine->now = engine->last_input = now;
    engine->ping_pending = 0;                   /* zmtp31.heartbeat.any-traffic-alive */
    if (!zw_zmtp_greeting_done (&engine->greeting)) {
        size_t used = zw_zmtp_greeting_push (&engine->greeting, data, len);
        const zw_error *error = zw_zmtp_greeting_error (&engine->greeting);
        if (error)
            codec_violation (engine, error);
        data += used;
        len -= used;
    }
    if (zw_session_closed (&engine->session) || len == 0)
        return;
    zw_zmtp_frame_push (&engine->frames, data, len);
    const zw_error *error = zw_zmtp_frame_error (&engine->frames);
    if (error && !zw_session_closed (&engine->session))
        codec_violation (engine, error);
}

void
zw_engine_eof (zw_engine *engine)
{
    /* Said apart: a peer that refuses us (a socket type it will not talk
       to, say) often closes before it sends anything we could judge. */
    const char *hint = engine->mech.ops->closed_hint && engine->mech.state
                     ? engine->mech.ops->closed_hint (&engine->mech) : NULL;
    close_for (engine, zw_session_active (&engine->session) ? "the peer closed the connection"
                     : hint ? hint : "the peer closed the connection during the handshake",
               ZW_SEV_EOF);
}

void
zw_engine_close (zw_engine *engine, const char *reason)
{
    engine->local_close = 1;
    close_for (engine, reason, ZW_SEV_CLOSE);
}

void
zw_engine_tick (zw_engine *engine, uint64_t now)
{
    engine->now = now;
    if (zw_session_closed (&engine->session))
        return;
    if (now >= engine->handshake_deadline)      /* DECISIONS S5: a slow handler too */
        close_for (engine, engine->zap_waiting ? "handshake timeout: the ZAP handler did not answer"
                                               : "handshake timeout", ZW_SEV_TIMEOUT);
    else if (engine->ping_pending
         &&  now >= engine->ping_sent_at + engine->options.heartbeat_timeout)
        close_for (engine, "heartbeat timeout: no traffic after PING",   /* zmtp31.heartbeat.dead-conditions */
                   ZW_SEV_TIMEOUT);
    else if (engine->peer_ttl && now >= engine->last_input + engine->peer_ttl)
        close_for (engine, "heartbeat timeout: the TTL of the peer's PING elapsed",
                   ZW_SEV_TIMEOUT);
    else if (engine->next_ping && now >= engine->next_ping)
        step (engine, ZW_SEV_HEARTBEAT_DUE);
}

static uint64_t
earliest (uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

uint64_t
zw_engine_deadline (const zw_engine *engine)
{
    if (zw_session_closed (&engine->session))
        return NO_DEADLINE;
    uint64_t when = engine->handshake_deadline;
    if (engine->ping_pending)
        when = earliest (when, engine->ping_sent_at + engine->options.heartbeat_timeout);
    if (engine->peer_ttl)
        when = earliest (when, engine->last_input + engine->peer_ttl);
    if (engine->next_ping)
        when = earliest (when, engine->next_ping);
    return when;
}

/*  After a handshake whose mechanism changes frames: each frame through
    its encode, the message freed at once (nothing is lent).  */
static int
send_encoded (zw_engine *engine, zw_msg *msg)
{
    int failed = 0;
    for (size_t i = 0; i < msg->count && !failed; i++) {
        const zw_frame *frame = &msg->frames[i];
        int more = i + 1 < msg->count || zw_fault_on (ZW_FAULT_MORE_ON_LAST_FRAME);
        struct iovec body = { frame->data, frame->size };
        failed = send_traffic (engine, "a message", more ? ZW_ZMTP_FLAG_MORE : 0, &body, 1);
    }
    zw_msg_destroy (msg);
    return 0;
}

/*  Frame headers and small bodies are copied into the output; a large
    body is lent to it, and the message held until it is written.  */
int
zw_engine_send (zw_engine *engine, zw_msg *msg)
{
    if (!zw_session_active (&engine->session)) {
        errno = EAGAIN;
        return -1;
    }
    if (engine->sealed)
        return send_encoded (engine, msg);
    int lent = 0, failed = 0;
    for (size_t i = 0; i < msg->count && !failed; i++) {
        const zw_frame *frame = &msg->frames[i];
        int more = i + 1 < msg->count || zw_fault_on (ZW_FAULT_MORE_ON_LAST_FRAME);
        int lend = frame->size >= SEND_LENT_MIN;
        failed = queue_frame_header (engine, more, 0, frame->size)
              || (lend ? zw_output_borrow (&engine->out, frame->data, frame->size)
                       : queue (engine, frame->data, frame->size));
        lent |= lend && !failed;
    }
    if (lent)
        zw_output_hold (&engine->out, msg);
    else
        zw_msg_destroy (msg);
    if (failed)     /* the stream holds part of a message: it cannot go on */
        queue_failed (engine, "a message");
    return 0;
}

int
zw_engine_send_subscription (zw_engine *engine, int subscribe, const uint8_t *topic,
                             size_t size)
{
    if (!zw_session_active (&engine->session)) {
        errno = EAGAIN;
        return -1;
    }
    if (speaks_31 (engine)) {
        zw_zmtp_command cmd;
        zw_mechanism_command_named (&cmd, subscribe ? ZW_COMMAND_SUBSCRIBE : ZW_COMMAND_CANCEL,
                                    subscribe ? "SUBSCRIBE" : "CANCEL");
        return send_command (engine, &cmd, topic, size);
    }
    uint8_t prefix = subscribe ? 0x01 : 0x00;   /* zmtp30.pubsub.subscribe-message */
    struct iovec pieces[2] = { { &prefix, 1 }, { (void *) topic, size } };
    return send_traffic (engine, subscribe ? "a subscription" : "a cancellation", 0, pieces, 2);
}

uint8_t *
zw_engine_input_space (zw_engine *engine, size_t *len)
{
    if (!engine->frame_data || zw_session_closed (&engine->session)) {
        *len = 0;
        return NULL;
    }
    *len = (size_t) (engine->frame_size - engine->frame_filled);
    return *len ? engine->frame_data + engine->frame_filled : NULL;
}

size_t
zw_engine_output_pending (const zw_engine *engine)
{
    return zw_output_pending (&engine->out);
}

int
zw_engine_output_iov (const zw_engine *engine, struct iovec *iov, int max)
{
    return zw_output_iov (&engine->out, iov, max);
}

void
zw_engine_output_done (zw_engine *engine, size_t n)
{
    zw_output_done (&engine->out, n);
}

int
zw_engine_active (const zw_engine *engine)
{
    return zw_session_active (&engine->session);
}

int
zw_engine_closed (const zw_engine *engine)
{
    return zw_session_closed (&engine->session);
}

const zw_error *
zw_engine_violation (const zw_engine *engine)
{
    return engine->error.code != ZW_OK ? &engine->error : NULL;
}

const char *
zw_engine_close_reason (const zw_engine *engine)
{
    return engine->close_reason ? engine->close_reason : "closed";
}

const char *
zw_engine_queue_failure (const zw_engine *engine)
{
    return engine->queue_failure[0] ? engine->queue_failure : NULL;
}

int
zw_engine_peer_sent_error (const zw_engine *engine)
{
    return engine->peer_sent_error;
}

void
zw_engine_zap_answer (zw_engine *engine, const zw_zap_answer *answer, uint64_t now)
{
    engine->now = now;
    if (!engine->zap_waiting || zw_session_closed (&engine->session))
        return;
    engine->zap_waiting = 0;
    handshake_outcome (engine, engine->mech.ops->zap_answer (&engine->mech, answer));
}

const zw_mech_auth *
zw_engine_auth (const zw_engine *engine, const char **mechanism)
{
    *mechanism = engine->mech.ops->name;
    return &engine->mech.auth;
}
