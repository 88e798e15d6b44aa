/*  zw_engine.h — one ZMTP connection, without I/O.

    The engine holds the decoders of zwire's codec (greeting, frames,
    commands, metadata), the session machine (zw_session.h) and an output
    buffer.  Its owner feeds it the octets read from the peer and the
    current time, writes out what it queues, and arms a timer for its next
    deadline; the engine decides everything else: the greeting exchange and
    version negotiation (3.1, 3.0, and 2.0 by downgrade), the security
    mechanism's handshake (zw_mechanism.h: NULL, its machine and the
    engine's metadata checks), heartbeats, limits, ERROR, and the close.
    Because it does no I/O it runs the same over a socket, over stdin /
    stdout, or in a unit test.

    Invariants between calls:
    - input: every octet given to zw_engine_push is consumed, unless the
      engine is closed (then the rest is ignored);
    - output: zw_engine_output_iov returns the octets still to write, in
      order; the owner reports what it wrote with zw_engine_output_done;
    - time: zw_engine_deadline says when zw_engine_tick must next be
      called (UINT64_MAX: no timer);
    - callbacks run from inside push and tick; they must not free the
      engine (close it instead: the owner frees it after the call);
    - sending: every frame queued is checked; one that cannot be queued
      (memory, a size beyond 2^63 - 1) closes the connection, with the
      reason zw_engine_queue_failure names, since a stream that holds part
      of a frame cannot go on.  */

#ifndef ZW_ENGINE_H
#define ZW_ENGINE_H

#include <stddef.h>
#include <stdint.h>
#include "zw_buffer.h"
#include "zw_error.h"
#include "zw_mechanism.h"
#include "zw_output.h"
#include "zw_session.h"
#include "zmtp_greeting.h"
#include "zmtp_frame.h"
#include "zmtp_command.h"
#include "zwire.h"

typedef struct {
    zw_socket_type socket_type;
    uint8_t major;                  /* 3; or 2: speak only ZMTP 2.0 (15/ZMTP) */
    uint8_t minor;                  /* 1: speak 3.1; 0: speak 3.0 */
    uint8_t identity_size;
    uint8_t identity[ZW_ZMTP_IDENTITY_MAX];
    uint64_t max_msg_size;          /* 0: no limit */
    uint32_t handshake_ivl;         /* ms, 0: none */
    uint32_t heartbeat_ivl;         /* ms between PINGs, 0: none */
    uint32_t heartbeat_timeout;     /* ms of silence after a PING that kill */
    uint32_t heartbeat_ttl;         /* ms announced in our PINGs */
    const uint8_t *properties;      /* application properties for READY, packed */
    size_t properties_size;         /* (zmtp31.metadata.other-properties); owner keeps them */
    unsigned tolerate;              /* ZW_ZMTP_TOLERATE_* (zmtp_tolerate.h): sender rules
                                       the peer may break; 0: strict.  An unknown command
                                       is then ignored in the handshake too */
    zw_mechanism_config mechanism;  /* the security mechanism and its role (zw_mechanism.h);
                                       zero: NULL */
} zw_engine_options;

/* What the handshake told us about the peer. */
typedef struct {
    zw_zmtp_family family;
    uint8_t minor;                  /* 3.x: the peer's minor version */
    int socket_type;                /* zw_socket_type, or -1 when not told */
    uint8_t identity_size;
    uint8_t identity[ZW_ZMTP_IDENTITY_MAX];
} zw_peer_info;

/*  What a ZAP request carries from the engine (27/ZAP): the owner adds
    the request id, the domain and the address, and builds the message.  */
typedef struct {
    const char *mechanism;          /* "NULL", "PLAIN", "CURVE" */
    const uint8_t *identity;        /* the client's Identity property, if known (S3) */
    size_t identity_size;
    const struct iovec *credentials;
    int count;
} zw_zap_ask;

typedef struct {
    /*  The connection is up.  Return 0 to take it, non-zero to refuse it
        (a PAIR that has its peer, a ROUTER identity in use): the engine
        then closes without blaming the peer.  */
    int (*on_ready) (void *user, const zw_peer_info *peer);
    /* A whole message; the callee owns it. */
    void (*on_message) (void *user, zw_msg *msg);
    /* A SUBSCRIBE (subscribe = 1) or CANCEL command's topic. */
    void (*on_subscription) (void *user, int subscribe, const uint8_t *topic, size_t size);
    /*  The mechanism asks ZAP to authenticate the client (zw_zap_ask).
        Return 1 when the request is taken (answer it later, never from
        inside this call, with zw_engine_zap_answer), 0 when there is no
        handler, -1 when it could not be taken (the engine closes).  NULL:
        no handler.  */
    int (*on_zap_request) (void *user, const zw_zap_ask *ask);
} zw_engine_callbacks;

typedef struct {
    zw_engine_options options;
    const zw_engine_callbacks *callbacks;
    void *user;
    zw_session session;
    zw_peer_info peer;
    zw_mechanism mech;              /* the security mechanism (zw_mechanism.h) */
    int sealed;                     /* the handshake is over and the mechanism encodes
                                       frames: each goes through its encode / decode */
    zw_error error;                 /* why the peer was refused, if it was */
    const char *close_reason;       /* why the connection closed */
    char queue_failure[32];         /* what could not be queued, if that closed it */
    char peer_error[256];           /* the reason of a peer's ERROR command */
    int peer_sent_error;
    int local_close;
    uint64_t v1_detected_at;        /* where the peer's greeting showed 1.0 (refused when whole) */
    int zap_waiting;                /* a ZAP request is out: its answer is awaited */
    /* decoding */
    zw_zmtp_greeting_ctx greeting;
    zw_zmtp_frame_ctx frames;
    zw_zmtp_command_ctx command;
    int in_command;                 /* the current frame is a command */
    uint8_t frame_flags;            /* the current frame's flags, as the peer meant them */
    zw_buffer sealed_frame;         /* a sealed frame, gathered to be decoded whole */
    zw_buffer part;                 /* a command's variable part (topic, ...) */
    zw_msg *message;                /* the message being received */
    zw_buffer frame;                /* a data frame too large to place at once */
    uint8_t *frame_data;            /* where the data frame's octets go, in the message */
    uint64_t frame_size, frame_filled;
    char property[256];             /* READY: the property being read */
    uint8_t property_size;          /* its name's octets (a tolerated name may hold NUL) */
    zw_buffer value;                /* ... and its value, when we keep it */
    int saw_socket_type;
    zw_error metadata_error;        /* what reading the peer's metadata found */
    /* sending */
    zw_output out;
    uint8_t metadata[64 + ZW_ZMTP_IDENTITY_MAX];    /* ours: Socket-Type, Identity */
    size_t metadata_size;
    uint8_t ping_context[ZW_ZMTP_PING_CONTEXT_MAX];
    uint8_t ping_context_size;
    /* time */
    uint64_t now;
    uint64_t handshake_deadline;    /* UINT64_MAX when none */
    uint64_t next_ping;
    uint64_t ping_sent_at;          /* of the PING still awaiting traffic */
    int ping_pending;
    uint64_t last_input;
    uint64_t peer_ttl;              /* ms, from the peer's last PING; 0: none */
} zw_engine;

/*  Starts an engine (zero-filled or not) and queues the first 11 octets of
    the greeting.  */
void zw_engine_init (zw_engine *engine, const zw_engine_options *options,
                     const zw_engine_callbacks *callbacks, void *user, uint64_t now);

/* Frees the engine's buffers and any partial message. */
void zw_engine_fini (zw_engine *engine);

/* Feeds octets read from the peer at time now (ms). */
void zw_engine_push (zw_engine *engine, const uint8_t *data, size_t len, uint64_t now);

/*  Where the rest of the data frame being received will go, and how many
    octets that is (*len), or NULL when no such frame is in progress.  A
    reader may read straight into it, up to *len octets, and push them from
    there: the body is then not copied (push recognises its own place).  */
uint8_t *zw_engine_input_space (zw_engine *engine, size_t *len);

/* The peer closed its side. */
void zw_engine_eof (zw_engine *engine);

/* The local side closes (no more input is read; queued output may still be written). */
void zw_engine_close (zw_engine *engine, const char *reason);

/* Runs the timers at time now. */
void zw_engine_tick (zw_engine *engine, uint64_t now);

/* When zw_engine_tick must run next; UINT64_MAX when no timer is set. */
uint64_t zw_engine_deadline (const zw_engine *engine);

/*  Queues a message once the connection is up, and takes it (it is freed
    once queued, or once the large bodies it lends are written).  Returns
    0, or -1 with EAGAIN if the connection is not up (msg is still the
    caller's).  Memory running out half-way closes the connection.  */
int zw_engine_send (zw_engine *engine, zw_msg *msg);

/*  Queues a subscription (subscribe = 1) or cancellation in the form the
    peer speaks: SUBSCRIBE / CANCEL commands for 3.1
    (zmtp31.pubsub.subscribe-command), a 0x01 / 0x00 message for 3.0 and
    2.0 (zmtp30.pubsub.subscribe-message).  Returns 0; -1 with EAGAIN if
    the connection is not up; -1 if it could not be queued (the
    connection is then closed).  */
int zw_engine_send_subscription (zw_engine *engine, int subscribe, const uint8_t *topic,
                                 size_t size);

/* How many octets wait to be written in all. */
size_t zw_engine_output_pending (const zw_engine *engine);

/* The octets waiting, in order, as up to max pieces for one gathered write. */
int zw_engine_output_iov (const zw_engine *engine, struct iovec *iov, int max);

/* n octets of the output were written. */
void zw_engine_output_done (zw_engine *engine, size_t n);

int zw_engine_active (const zw_engine *engine);
int zw_engine_closed (const zw_engine *engine);

/*  Why the connection closed: the peer's violation (code != ZW_OK; the
    ERROR we sent carries its reason) or a plain cause ("peer closed",
    "handshake timeout", ...) in *reason.  */
const zw_error *zw_engine_violation (const zw_engine *engine);
const char *zw_engine_close_reason (const zw_engine *engine);

/*  What could not be queued ("PONG", "a message", "the greeting", ...)
    when that closed the connection, else NULL.  */
const char *zw_engine_queue_failure (const zw_engine *engine);

/*  The ZAP handler's answer to the request the engine made through
    on_zap_request (27/ZAP, DECISIONS S4), at time now.  Ignored when no
    request is awaited (the connection has closed, say).  */
void zw_engine_zap_answer (zw_engine *engine, const zw_zap_answer *answer, uint64_t now);

/*  What the handshake established about the peer (DECISIONS S8), once it
    is over: the mechanism's name in *mechanism.  */
const zw_mech_auth *zw_engine_auth (const zw_engine *engine, const char **mechanism);

/* 1 when the peer sent an ERROR command (zmtp31.error.fatal: do not reconnect). */
int zw_engine_peer_sent_error (const zw_engine *engine);

/* 1 if the two socket types may talk (zmtp31.socket-type.check). */
int zw_socket_types_compatible (int local, int peer);

#endif
