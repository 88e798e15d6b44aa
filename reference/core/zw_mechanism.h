/*  zw_mechanism.h — a ZMTP security mechanism, as the engine drives it.

    37/ZMTP leaves the handshake after the greeting, and the form of every
    frame after it, to the security mechanism the greeting names
    (zmtp31.greeting.mechanism-name, zmtp31.metadata.exchange): NULL
    (23/ZMTP, 37/ZMTP), PLAIN (24/ZMTP-PLAIN), CURVE (25/ZMTP-CURVE,
    26/CurveZMQ).  A mechanism is a table of operations (zw_mechanism_ops,
    one file each: zw_mech_null.c, then zw_mech_plain.c, zw_mech_curve.c)
    and the state of one connection's use of it (zw_mechanism, inside the
    engine).  NULL is one mechanism among three, not a special case of the
    engine.

    What the engine does (zw_engine.c):
    - the greeting: it sends the mechanism's name and as-server (the
      configured role when the mechanism has roles, else 0:
      zmtp31.greeting.as-server-zero, zmtp31.null.as-server-zero), refuses a
      greeting that names another mechanism (zmtp31.greeting.mechanism-match)
      and, unless the mechanism speaks to them, 1.0 and 2.0 peers
      (zmtp31.compat.close-non-null).  The mechanism and the role come from
      local configuration (zw_mechanism_config), never from the peer;
    - frames and commands: it cuts the stream into frames and decodes each
      command, by the layouts of ops->codec during the handshake and of
      37/ZMTP after it, within its limits;
    - what every mechanism shares: the peer's ERROR, fatal whenever it
      comes (zmtp31.error.fatal); an unknown command it tolerates;
    - the metadata: it packs ours (Socket-Type, Identity, the application's
      properties: host.metadata), and reads and judges the peer's when the
      mechanism hands it over (host.judge_metadata: zmtp31.socket-type.check,
      zmtp31.identity.*);
    - every frame that goes out, through host.queue_frame, whose result it
      checks: a frame that cannot be queued closes the connection (cleanly,
      with a log line), and the mechanism stops where it is;
    - after the handshake: heartbeats, subscriptions and messages, each
      frame through ops->encode and ops->decode, unless the mechanism says
      they are the identity (ops->identity: then bodies are lent to the
      output and read in place, with no call per frame).

    What the mechanism does:
    - its handshake: which commands go out and when, what each command
      received means, the credentials and boxes they carry, when the
      peer's metadata is judged, which failure gets an ERROR and which a
      silent close, and when it is over.  One Ragel event machine per
      mechanism and role (zw_null_handshake; PLAIN and CURVE client and
      server next), whose actions the mechanism's file runs in the
      grammar's order through a table of functions;
    - after the handshake: encode and decode of every frame.

    How they meet: the session machine (zw_session.h) starts the handshake
    once the greetings are exchanged (ZW_DO_START_HANDSHAKE: ops->start),
    the engine hands over each command of the handshake (ops->command),
    and the outcome of each call ends it: ZW_MECH_DONE becomes the
    session's ZW_SEV_HANDSHAKE_DONE, ZW_MECH_FAILED its
    ZW_SEV_HANDSHAKE_FAILED.

    PLAIN and CURVE keep their settings (credentials, keys) in
    config.settings and their per-connection state in state.

    ZAP (27/ZAP, DECISIONS S2..S5).  A server mechanism that authenticates
    its client asks through host.zap_request with the credentials of its
    mechanism; when a handler exists the call returns 1 and the handshake
    waits (ZW_MECH_CONTINUE) until the engine hands the handler's answer
    to ops->zap_answer, whose outcome goes on as any command's.  With no
    handler it returns 0, and the mechanism goes on unchecked.  What the
    handshake established about the peer (mechanism, user id, CURVE public
    key, whether a handler checked it) is m->auth, which the engine gives
    to every message received (zw_msg_auth, DECISIONS S8).  */

#ifndef ZW_MECHANISM_H
#define ZW_MECHANISM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>
#include "zw_error.h"
#include "zmtp_command.h"

typedef struct zw_mechanism zw_mechanism;
typedef struct zw_mechanism_ops zw_mechanism_ops;

/* How a call of the handshake ends. */
typedef enum {
    ZW_MECH_CONTINUE = 0,   /* it goes on: the peer's next command, please */
    ZW_MECH_DONE,           /* it is over, the peer's metadata judged and accepted:
                               traffic may flow */
    ZW_MECH_FAILED          /* it failed: error says why, and an ERROR has gone out
                               where the mechanism sends one.  error.code is ZW_OK
                               when the cause was local (a frame that could not be
                               queued: the engine has closed already) */
} zw_mech_outcome;

/* The pieces of our metadata, at most (host.metadata). */
#define ZW_MECH_METADATA_PIECES 2

/*  What the engine lends a mechanism.  Each call is made from inside a
    call of ops, never later.  */
typedef struct {
    void *engine;
    /*  Queues one frame as it goes on the wire: a header (flags:
        ZW_ZMTP_FLAG_COMMAND, ZW_ZMTP_FLAG_MORE; the size is the pieces'
        total) and the pieces, copied.  what names it for the log
        ("READY", "MESSAGE").  Returns 0; or -1 when it could not be
        queued, and then the engine has closed the connection: the
        mechanism stops.  */
    int (*queue_frame) (void *engine, const char *what, unsigned flags,
                        const struct iovec *pieces, int count);
    /*  Our metadata, packed (zmtp31.metadata.socket-type,
        zmtp31.metadata.identity, zmtp31.metadata.other-properties), as up
        to ZW_MECH_METADATA_PIECES pieces that stay valid for the
        connection's life; returns how many.  */
    int (*metadata) (void *engine, struct iovec *pieces);
    /*  Reads and judges the peer's metadata: size octets at metadata (a
        CURVE box's plaintext), or, with metadata NULL, what the engine's
        command decoder has just read in clear (READY of NULL and PLAIN,
        INITIATE of PLAIN).  offset is where it came, for errors.  Returns
        0 when it is accepted (the engine keeps its Socket-Type and
        Identity), or -1 with *why saying why not (malformed, or a socket
        type or identity the engine refuses).  */
    int (*judge_metadata) (void *engine, const uint8_t *metadata, size_t size,
                           uint64_t offset, zw_error *why);
    /*  Asks the context's ZAP handler to authenticate the client with
        these credentials (27/ZAP: PLAIN's user name and password, CURVE's
        public key; none for NULL).  Returns 1 when asked (the answer comes
        to ops->zap_answer, later), 0 when the context has no handler (go
        on unchecked, DECISIONS S5), -1 when the request could not be made
        (the engine has closed).  */
    int (*zap_request) (void *engine, const struct iovec *credentials, int count);
} zw_mechanism_host;

/*  What the handshake established about the peer (DECISIONS S8): handed
    to every message received.  */
typedef struct {
    uint8_t user_id_size;
    uint8_t user_id[255];               /* ZAP's user id after a 200; else PLAIN's user name */
    uint8_t has_public_key;             /* CURVE: the client's permanent key (server side) */
    uint8_t public_key[32];             /* or the server's (client side) */
    uint8_t zap_checked;                /* a ZAP handler answered 200 */
} zw_mech_auth;

/*  A ZAP handler's answer (27/ZAP reply), as the engine hands it over:
    the reply decoded and judged by the ZAP codec.  A reply that could not
    be decoded, or answered another request, comes as status 500 with the
    reason in text (DECISIONS S5).  */
typedef struct {
    int status;                         /* 200, 300, 400 or 500 */
    const char *text;                   /* the status text, NUL-terminated (may be "") */
    const uint8_t *user_id;             /* with 200: the user id the handler chose */
    size_t user_id_size;
} zw_zap_answer;

/* The credentials of a ZAP request, at most (PLAIN: user name, password). */
#define ZW_ZAP_CREDENTIALS_MAX 2

/* A whole, well-formed command of the handshake (ops->command). */
typedef struct {
    const zw_zmtp_command *command;     /* name, id by ops->codec, fixed fields */
    const uint8_t *part;                /* its variable part, whole (data, box) */
    size_t part_size;
    uint64_t offset;                    /* of its frame's first octet */
} zw_mech_command;

/*  One frame after the handshake, as decode sees it.  In: the frame as it
    came (flags, the whole body, which decode may change in place).  Out:
    the frame the peer meant, its data in the body or in the mechanism's
    state (valid until the next call).  */
typedef struct {
    unsigned flags;                     /* ZW_ZMTP_FLAG_MORE, ZW_ZMTP_FLAG_COMMAND */
    uint8_t *data;
    size_t size;
    uint64_t offset;                    /* of the frame's first octet */
} zw_mech_frame;

struct zw_mechanism_ops {
    const char *name;           /* in the greeting: "NULL", "PLAIN", "CURVE" */
    const char *order_clause;   /* the clause a command out of its place breaks */
    zw_zmtp_mechanism codec;    /* the command layouts of its handshake */
    int roles;                  /* it has client and server roles (zmtp31.mechanism.roles):
                                   as-server is the configured role; else 0 */
    int legacy_peers;           /* it may speak to 1.0 and 2.0 peers: NULL only
                                   (zmtp31.compat.close-non-null) */
    int identity;               /* encode and decode change nothing: the engine skips
                                   them (zmtp31.wire.clear-text-framing) */
    size_t state_size;          /* octets of state the engine gives it, zero-filled, from
                                   start to fini (0: none) */
    size_t frame_overhead;      /* octets encode adds to a frame at most */
    uint32_t handshake_max;     /* ms: the longest its handshake may last, whatever the
                                   socket's handshake interval (0: no bound of its own) */

    /*  The greetings are exchanged: the handshake begins (the mechanism's
        first commands go out).  */
    zw_mech_outcome (*start) (zw_mechanism *m);
    /*  A command of the handshake came (the engine keeps ERROR and the
        commands it tolerates).  */
    zw_mech_outcome (*command) (zw_mechanism *m, const zw_mech_command *cmd);
    /*  After the handshake, one frame to send (flags as in zw_mech_frame,
        the body in pieces): queued in the mechanism's form through
        host.queue_frame.  Returns 0, or -1 (the engine has closed).
        NULL when identity.  */
    int (*encode) (zw_mechanism *m, unsigned flags, const struct iovec *pieces, int count);
    /*  After the handshake, one frame received (zw_mech_frame).  Returns 0,
        or -1 with error set: the engine closes without ERROR (a peer that
        sends what cannot be decoded is not answered, curve.message.*).
        NULL when identity.  */
    int (*decode) (zw_mechanism *m, zw_mech_frame *frame);
    /*  The ZAP handler answered the request the mechanism made through
        host.zap_request.  NULL for a mechanism that never asks.  */
    zw_mech_outcome (*zap_answer) (zw_mechanism *m, const zw_zap_answer *answer);
    /*  The peer closed during the handshake: what that suggests, given
        where the handshake stands (CURVE: no WELCOME after our HELLO is
        most often a wrong server key), or NULL.  May be NULL.  */
    const char *(*closed_hint) (const zw_mechanism *m);
    /* The connection ends: wipe secrets in state.  May be NULL. */
    void (*fini) (zw_mechanism *m);
};

/* Which mechanism a connection speaks: the socket's configuration. */
typedef struct {
    const zw_mechanism_ops *ops;        /* NULL: zw_mech_null */
    int as_server;                      /* the role, for mechanisms with roles (24/ZMTP-PLAIN:
                                           local configuration only) */
    const void *settings;               /* the mechanism's own (credentials, keys); the
                                           owner keeps them for the connection's life */
} zw_mechanism_config;

/* A handshake machine's whole state: an event machine keeps no data. */
typedef struct {
    int cs;
} zw_handshake_machine;

/*  One step of a handshake machine: what a mechanism's actions work on
    (zw_mechanism_run).  */
typedef struct {
    zw_mechanism *m;
    const zw_mech_command *cmd;         /* the command of the event, or NULL */
    const zw_zap_answer *answer;        /* the ZAP answer of the event, or NULL */
    zw_mech_outcome outcome;
    int next_event;                     /* an event an action leads to, or 0 */
} zw_mech_step;

/* An action: 0, or -1 when a frame could not be queued (the engine has closed). */
typedef int (zw_mech_action) (zw_mech_step *step);

/*  A handshake machine's step (the Ragel machines): the actions of one
    event into actions[], at most ZW_MECH_ACTIONS_MAX; returns how many.  */
typedef size_t (zw_mech_machine) (zw_handshake_machine *machine, int event, int *actions);

#define ZW_MECH_ACTIONS_MAX 4

/* One connection's mechanism. */
struct zw_mechanism {
    const zw_mechanism_ops *ops;
    zw_mechanism_config config;
    zw_mechanism_host host;
    uint8_t peer_as_server;             /* from the peer's greeting */
    zw_handshake_machine machine;
    zw_error error;                     /* why the handshake failed, or decode */
    zw_mech_auth auth;                  /* what the handshake established (DECISIONS S8) */
    char refusal[256];                  /* a refusal's reason, kept for the log (error.reason) */
    void *state;                        /* ops->state_size octets, or NULL */
};

/* The mechanisms zwire has. */
extern const zw_mechanism_ops zw_mech_null;
extern const zw_mechanism_ops zw_mech_plain;

extern const zw_mechanism_ops zw_mech_curve;

/*  CURVE's settings (config.settings): our permanent key pair and, for a
    client, the server's permanent public key (26/CurveZMQ: the client
    "MUST know the server public key before they can connect").  */
typedef struct {
    uint8_t public_key[32], secret_key[32], server_key[32];
    int has_secret_key;         /* a client without one makes a pair per socket */
} zw_curve_settings;

/*  PLAIN's settings (config.settings): the client's credentials, sent in
    HELLO (plain.hello.layout: up to 255 octets each).  A server needs
    none: ZAP judges the credentials it receives.  */
typedef struct {
    uint8_t username_size, password_size;
    uint8_t username[255], password[255];
} zw_plain_settings;

/*  Prepares m for a connection (zero-filled or not): config->ops, or NULL
    when config or its ops is NULL.  Allocates nothing.  */
void zw_mechanism_init (zw_mechanism *m, const zw_mechanism_config *config,
                        const zw_mechanism_host *host);

/* The as-server octet of our greeting: the role if the mechanism has roles, else 0. */
uint8_t zw_mechanism_as_server (const zw_mechanism *m);

/*  For the mechanisms: queue one command of the handshake, its head
    packed by ops->codec from cmd, then the pieces of its variable part
    (count may be 0).  Returns 0, or -1 (not queued: the engine has
    closed; or a field out of range).  */
int zw_mechanism_send (zw_mechanism *m, const zw_zmtp_command *cmd,
                       const struct iovec *rest, int count);

/* A command with our metadata after its name: READY, INITIATE (zmtp31.metadata.*). */
int zw_mechanism_send_metadata (zw_mechanism *m, zw_zmtp_command_id id, const char *name);

/*  ERROR with a reason of at most 255 octets (zmtp31.null.error,
    plain.error.layout, curve.error.size).  The deliberate fault
    no-error-before-close leaves it out.  */
int zw_mechanism_send_error (zw_mechanism *m, const char *reason);

/*  Steps machine by event and runs the actions it returns from table, in
    order, then any event an action led to (step.next_event), until none
    is left or the handshake ended; an action that could not queue its
    frame ends it at once (the engine has closed).  The outcome of the
    last action that set one.  */
zw_mech_outcome zw_mechanism_run (zw_mechanism *m, zw_mech_machine *machine,
                                  zw_mech_action *const *table, int event,
                                  const zw_mech_command *cmd, const zw_zap_answer *answer);

/*  The actions every mechanism's table shares.  done, fail: the outcome.
    send_error: ERROR with the reason recorded in m->error.  out_of_place:
    a command out of its place (ops->order_clause), with ERROR from a
    server (a client of PLAIN and CURVE never sends one; NULL has no
    server).  refuse_role: two servers (DECISIONS S6).  accept_zap_user:
    the user id of a ZAP 200 (S8).  refuse_zap: a 400, its status text
    the reason (S4).  give_up: a 300, 500 or broken handler (S4, S5).  */
int zw_mech_done (zw_mech_step *s);
int zw_mech_fail (zw_mech_step *s);
int zw_mech_send_error (zw_mech_step *s);
int zw_mech_out_of_place (zw_mech_step *s);
int zw_mech_refuse_role (zw_mech_step *s);
int zw_mech_accept_zap_user (zw_mech_step *s);
int zw_mech_refuse_zap (zw_mech_step *s);
int zw_mech_give_up (zw_mech_step *s);

/*  The event of a ZAP answer (DECISIONS S4): ok for 200, denied for 400,
    unavailable for anything else.  */
int zw_mechanism_zap_event (const zw_zap_answer *answer, int ok, int denied, int unavailable);

/* Records why the handshake failed (first one wins). */
void zw_mechanism_fail (zw_mechanism *m, zw_errcode code, uint64_t offset, const char *clause,
                        const char *reason);

/* A command with its id and name set, every field zero. */
void zw_mechanism_command_named (zw_zmtp_command *cmd, zw_zmtp_command_id id, const char *name);

#endif
