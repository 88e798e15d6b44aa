/*  zwire.h — the C API of the zwire reference ZMTP peer.

    A small ZeroMQ-compatible messaging stack written beside the RFCs:
    ZMTP 3.1 and 3.0 (23/ZMTP, 37/ZMTP) with the downgrade to 2.0 peers
    (15/ZMTP), the NULL mechanism, and the eleven standard socket types over
    tcp and ipc.  It talks to libzmq and to any conforming peer.

    Model.  A zw_ctx owns one event loop (epoll) and every socket and
    timer made from it.  There are no hidden threads: the loop runs inside
    the blocking calls (zw_send, zw_recv, zw_flush, zw_poll, zw_close,
    zw_ctx_run), and a blocking call wakes as soon as what it waits for is
    done (it never sleeps through its own progress: see
    reference/core/zw_loop.h); while it runs every connection of every
    socket of the context is served (handshakes, heartbeats, reconnects,
    queued messages in and out).  A context, its sockets and its timers
    belong to one thread: every call on them is made on it, and every
    callback runs on it, inside one of those calls.

    A program may wait in blocking calls, or never wait: it makes its
    sockets, timers (zw_timer_new) and readiness callbacks
    (zw_socket_set_readable), calls zw_ctx_run (ctx, -1) (or, to stop
    when it chooses, zw_ctx_run (ctx, 100) in a loop) and does all its
    work in those callbacks.  Programs written so (a broker, its workers
    and clients) can share one context and one loop.  The loop calls a
    timer or readiness callback between its pieces of work, never in the
    middle of serving a connection, so the callback may call the API,
    under one rule: it must not wait, since waiting would stop every
    other program on the loop.  Inside such a callback:
    - A call with timeout 0 (zw_send, zw_recv, zw_flush, zw_poll) tries
      once and returns: it does not turn the loop (so no callback ever
      runs inside another); zw_recv (s, &m, 0) takes what is already
      queued, and zw_flush (s, 0) only tells whether all is written.  A call with any other timeout fails at once with EDEADLK
      (zw_send's message stays the caller's); zw_ctx_run (ctx, 0) does
      nothing.
    - Anything else is allowed: new sockets, bind, connect, options,
      setting or clearing callbacks, starting, stopping and destroying
      timers (its own timer too), and zw_close of any socket (its own
      too), which then does not linger: as with ZW_OPT_LINGER 0, what
      is queued gets one write, and what the system does not take is
      dropped.
    - zw_ctx_destroy is not allowed, nor closing a socket that a blocking
      call below the callback is waiting on (the program's zw_recv (s,
      &m, -1) whose loop fired the timer that closes s).
    What a callback sends leaves when the loop next turns, right after
    the callback returns.  Monitor (zw_socket_set_monitor) and log
    functions are not such callbacks: they run in the middle of the
    loop's work, and must not call into the context.

    Lifetimes.  zw_close stops a socket's readiness callbacks at once
    (none runs during its linger); a timer, like a socket, ends with
    zw_timer_destroy or with zw_ctx_destroy, whichever comes first, and
    zw_ctx_destroy destroys the timers and stops the callbacks before it
    closes the sockets, so no callback runs while it tears down.  The arg
    of a callback must stay valid while the callback is set (a timer's:
    until the timer is destroyed).

    Errors.  Functions that can fail return -1 (or NULL) and set errno:
      EINVAL      a bad argument (unknown option, malformed endpoint, ...)
      EAGAIN      the timeout passed before the operation could be done
      ENOTSUP     the socket type has no such operation (zw_recv on PUB, ...)
      ZW_EFSM     the operation is not allowed in the socket's current state
                  (zw_send twice on REQ without a zw_recv between, ...)
      EDEADLK     a call that could wait, made inside a callback (Model)
      EADDRINUSE, EACCES, ...   from the operating system, on bind
      ENOMEM      out of memory
    A peer that breaks the protocol is never an API error: its connection
    is closed as the RFC requires, the reason is logged (zw_ctx_set_log)
    and counted (zw_socket_stats), and the socket keeps serving others.

    Timeouts are in milliseconds: 0 means do not wait (one turn of the loop
    still takes in what has already arrived; inside a callback, no turn),
    -1 wait forever.  */

#ifndef ZWIRE_H
#define ZWIRE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* errno value for "not allowed in the current state" (as libzmq's EFSM). */
#define ZW_EFSM 156384763

typedef struct zw_ctx zw_ctx;
typedef struct zw_socket zw_socket;

/*  Socket types.  The values are the socket-type octet of 15/ZMTP 2.0
    (zmtp20.greeting.socket-type) and libzmq's constants.  */
typedef enum {
    ZW_PAIR = 0, ZW_PUB = 1, ZW_SUB = 2, ZW_REQ = 3, ZW_REP = 4, ZW_DEALER = 5,
    ZW_ROUTER = 6, ZW_PULL = 7, ZW_PUSH = 8, ZW_XPUB = 9, ZW_XSUB = 10
} zw_socket_type;

/* --- messages ---------------------------------------------------------------- */

/*  A message is an ordered list of frames (parts), sent and received
    whole (zmtp31.socket.atomic).  The message owns its frames' octets:
    read and write them in place, but do not free or reallocate them.  */
typedef struct {
    uint8_t *data;              /* NULL when size is 0 */
    size_t size;
} zw_frame;

/* Octets of small frames a message keeps inside itself (no allocation of their own). */
#define ZW_MSG_INLINE 64

typedef struct zw_msg {
    zw_frame *frames;
    size_t count, capacity;
    uint64_t total;             /* sum of the frame sizes */
    struct zw_msg *next;        /* for queues; not part of the message */
    /* Storage, not part of the API: so that a one-frame message of up to
       ZW_MSG_INLINE octets is one allocation in all.  */
    zw_frame first;             /* frames points here until a second frame comes */
    struct zw_auth_record *auth;    /* zw_msg_auth: shared with the connection's messages */
    uint64_t written_at;        /* a connection's output lends its bodies until then */
    size_t inline_used;
    uint8_t inline_data[ZW_MSG_INLINE];
} zw_msg;

/* A new empty message, or NULL (ENOMEM). */
zw_msg *zw_msg_new (void);

/* Appends a copy of size octets (data may be NULL when size is 0). */
int zw_msg_add (zw_msg *msg, const void *data, size_t size);

/* Appends a NUL-terminated string as one frame (without the NUL). */
int zw_msg_add_str (zw_msg *msg, const char *text);

/* Inserts a copy of size octets as the first frame. */
int zw_msg_prepend (zw_msg *msg, const void *data, size_t size);

/* Removes the first frame (no-op on an empty message). */
void zw_msg_drop_first (zw_msg *msg);

/* A deep copy, or NULL (ENOMEM). */
zw_msg *zw_msg_dup (const zw_msg *msg);

/* Frees the message and its frames; NULL is allowed. */
void zw_msg_destroy (zw_msg *msg);

/*  Who sent a message received (DECISIONS S8): the security of the
    connection it came on, as its handshake established it.  */
typedef struct {
    const char *mechanism;          /* "NULL", "PLAIN" or "CURVE" */
    const uint8_t *user_id;         /* the ZAP handler's user id after a 200; else the
                                       PLAIN user name; else empty */
    size_t user_id_size;
    int zap_checked;                /* a ZAP handler authenticated the peer */
    int has_public_key;             /* CURVE: the peer's permanent public key */
    uint8_t public_key[32];
    char public_key_z85[41];        /* the same in Z85, NUL-terminated */
} zw_auth;

/*  The authentication of the connection msg came on, valid as long as
    msg; NULL for a message the application made.  */
const zw_auth *zw_msg_auth (const zw_msg *msg);

/* --- contexts ----------------------------------------------------------------- */

/* A new context, or NULL with errno. */
zw_ctx *zw_ctx_new (void);

/*  Destroys the timers left, stops every readiness callback, closes
    every socket still open (each with its linger) and frees the context.
    NULL is allowed.  Never from inside a callback.  */
void zw_ctx_destroy (zw_ctx *ctx);

/*  Where log lines go: one call per line, without the newline.  The
    default writes "zwire: <line>" to standard error.  fn NULL silences the
    log.  Lines name the connection and, for a peer's violation, the error
    class and the clause of spec/ it broke:
      "peer 127.0.0.1:50312: closed: invalid-flags [zmtp31.frame.flags-reserved] ..."  */
typedef void (zw_log_fn) (void *arg, const char *line);
void zw_ctx_set_log (zw_ctx *ctx, zw_log_fn *fn, void *arg);

/*  ZAP (27/ZAP): the context's authentication handler, in-process
    (DECISIONS S2: zwire has no inproc transport; the handler gets and
    gives the RFC's messages all the same).  A PLAIN or CURVE server asks
    it about every client (a NULL server too when it has a ZAP domain,
    S3), and waits for its answer (bounded by ZW_OPT_HANDSHAKE_IVL, S5).

    fn gets each request as a REP socket would give it: the frames
    version "1.0", request id, domain, address, identity, mechanism, then
    the credentials (PLAIN: user name, password; CURVE: the client's
    32-octet public key).  It answers with zw_zap_call_reply, at once or on a
    later turn of the loop: the frames version "1.0", the request id
    echoed, status code "200" / "300" / "400" / "500", status text, user id
    and metadata.  The server then goes on (200), sends ERROR (400) or
    closes (300, 500, and a reply the ZAP codec refuses: S4, S5).  fn
    runs on the loop as a timer does (Model): it may call the API but not
    wait, and it does not own request.  NULL removes the handler: servers
    then accept every client, and log that they do (S5).  */
typedef struct zw_zap_call zw_zap_call;
typedef void (zw_zap_handler_fn) (void *arg, zw_zap_call *call, const zw_msg *request);
void zw_ctx_set_zap_handler (zw_ctx *ctx, zw_zap_handler_fn *fn, void *arg);

/*  Answers a request exactly once, and takes reply (and frees call).  A
    call whose connection has gone meanwhile is just freed.  Calls still
    unanswered when the context is destroyed are freed with it.  Returns
    0, or -1 with EINVAL (call NULL).  */
int zw_zap_call_reply (zw_zap_call *call, zw_msg *reply);

/*  Serves every connection of the context for up to timeout_ms (0: one
    turn of the loop, without waiting; -1: for ever).  Returns 0, or -1
    with errno on an error of the loop itself (earlier).  Useful to keep a
    process responsive while it has nothing to send or receive, and the
    main loop of a program that lives in callbacks (Model).  Inside a
    callback: 0 does nothing, anything else is EDEADLK.  */
int zw_ctx_run (zw_ctx *ctx, int timeout_ms);

/*  As zw_ctx_run, but returns as soon as *done is non-zero (a callback
    set it: the wait wakes after the callback, it never sleeps out the
    rest of timeout_ms).  Returns 0 once *done is set, -1 with EAGAIN when
    timeout_ms passed first, or -1 with errno as zw_ctx_run.  What a
    synchronous call built on callbacks waits with.  */
int zw_ctx_run_until (zw_ctx *ctx, const volatile int *done, int timeout_ms);

/* --- timers (see Model: what a callback may call) ------------------------------- */

typedef struct zw_ctx_timer zw_ctx_timer;
typedef void (zw_timer_cb) (void *arg);

/*  A new timer on the context's loop, idle until zw_timer_start; NULL with
    errno EINVAL (no ctx or fn) or ENOMEM.  fn (arg) is called once per
    start, from inside whichever blocking call (or zw_ctx_run) runs the
    loop when it is due; timers due together fire in deadline order,
    ties in the order they were started.  */
zw_ctx_timer *zw_timer_new (zw_ctx *ctx, zw_timer_cb *fn, void *arg);

/*  Arms the timer to fire once, delay_ms from now; re-arms it if it is
    armed.  A timer started from a timer callback, even with delay 0,
    fires at the loop's next turn at the earliest: one that re-arms itself
    fires once a turn, and lets the loop serve everything else between.  */
void zw_timer_start (zw_ctx_timer *timer, uint64_t delay_ms);

/* Disarms the timer: it does not fire until started again.  No-op when idle. */
void zw_timer_stop (zw_ctx_timer *timer);

/*  Stops and frees the timer; NULL is allowed.  Allowed in any callback,
    its own included.  zw_ctx_destroy destroys the timers still there.  */
void zw_timer_destroy (zw_ctx_timer *timer);

/* The loop's clock, in milliseconds: monotonic; only differences mean anything. */
uint64_t zw_ctx_now (zw_ctx *ctx);

/* --- sockets -------------------------------------------------------------------- */

/* A new socket of the given type, or NULL (EINVAL for an unknown type). */
zw_socket *zw_socket_new (zw_ctx *ctx, zw_socket_type type);

/*  Closes the socket: stops its readiness callbacks, waits up to
    ZW_OPT_LINGER for queued messages to be written (inside a callback it
    does not wait: Model), then closes every connection and listener and
    frees it.  */
void zw_close (zw_socket *socket);

/* The socket's type name ("ROUTER"), or NULL for an unknown value. */
const char *zw_socket_type_name (zw_socket_type type);

/* Parses a type name (any case); returns -1 if it is not one. */
int zw_socket_type_parse (const char *name);

/*  Options.  Those that shape a connection's handshake and engine
    (IDENTITY, the heartbeats, HANDSHAKE_IVL, MAXMSGSIZE, ZMTP_MAJOR, ZMTP_MINOR,
    properties) apply to connections made afterwards: set them before
    bind and connect.  The others (the high-water marks, SNDBATCH, LINGER,
    the reconnect intervals, ROUTER_HANDOVER, subscriptions) apply at once.

    How much one peer may hold on the way out.  Two bounds, both per peer
    (per connection): ZW_OPT_SNDHWM counts the messages queued for it, and
    ZW_OPT_SNDHWM_OCTETS counts octets: those of the queued messages plus
    those already framed for the connection and not yet taken by the
    operating system.  A peer takes another message while it is below
    both, whatever that message's size; so what one peer holds is at most
    SNDHWM_OCTETS plus one message.  At either bound zw_send waits, or
    drops the message on sockets that never block (PUB, XPUB, XSUB,
    ROUTER, and REP's reply); small messages meet SNDHWM first, large
    ones SNDHWM_OCTETS (1000 messages of 1 MiB would otherwise be a
    gigabyte per peer).  0 switches a bound off.  */
typedef enum {
    ZW_OPT_SNDHWM = 1,          /* int: outgoing messages queued per peer (1000); 0 = no limit.
                                   PUB, XPUB, XSUB, ROUTER, REP drop above it, others block */
    ZW_OPT_RCVHWM = 2,          /* int: incoming messages queued per peer (1000); 0 = no limit */
    ZW_OPT_LINGER = 3,          /* int ms: flush time on close (1000); -1 = no limit */
    ZW_OPT_RECONNECT_IVL = 4,   /* int ms: first reconnect delay (100); -1 = never reconnect */
    ZW_OPT_RECONNECT_IVL_MAX = 5, /* int ms: back-off doubles up to this (0 = no back-off) */
    ZW_OPT_HEARTBEAT_IVL = 6,   /* int ms: PING period, 0 = off (zmtp31.heartbeat.*) */
    ZW_OPT_HEARTBEAT_TIMEOUT = 7, /* int ms: dead after a PING with no traffic (= IVL) */
    ZW_OPT_HEARTBEAT_TTL = 8,   /* int ms: TTL announced in PING, 0 = none (max 6553500) */
    ZW_OPT_HANDSHAKE_IVL = 9,   /* int ms: close a handshake not over by then (30000); 0 = off
                                   (CURVE: 60000 at most, its cookie key's life) */
    ZW_OPT_MAXMSGSIZE = 10,     /* int: largest incoming message, octets; -1 = no limit */
    ZW_OPT_ZMTP_MINOR = 11,     /* int: 1 (3.1, default) or 0 (announce and speak 3.0) */
    ZW_OPT_ROUTER_HANDOVER = 12,/* int 0/1: a new peer with an identity in use takes it over */
    ZW_OPT_SNDBATCH = 13,       /* int: octets a connection gathers before it writes (8192);
                                   what is less waits for the loop's next turn (zw_flush).
                                   0 = write at every zw_send */
    ZW_OPT_SNDHWM_OCTETS = 14,  /* int: outgoing octets held per peer (4 MiB): queued, and
                                   framed but not yet written; 0 = no limit.  With SNDHWM:
                                   a peer takes a message while it is below both */
    ZW_OPT_ZMTP_MAJOR = 15,     /* int: 3 (default) or 2: speak only ZMTP 2.0, greeting with
                                   revision 1 and reading every peer as 2.0 (a stand-in
                                   for a 2.0-only binding); ZMTP_MINOR is then unused */
    ZW_OPT_IDENTITY = 20,       /* bytes (1..255, not starting 0x00): Identity in READY */
    ZW_OPT_SUBSCRIBE = 21,      /* bytes: SUB, XSUB: add a subscription (counted) */
    ZW_OPT_UNSUBSCRIBE = 22,    /* bytes: SUB, XSUB: cancel one subscription */
    /*  Security (24/ZMTP-PLAIN, 25/ZMTP-CURVE, 27/ZAP).  The mechanism and
        the role are the socket's: the last of these options set chooses
        them, for connections made afterwards; the peer never does
        (DECISIONS S1).  Keys are 40 Z85 characters or 32 octets.  */
    ZW_OPT_PLAIN_SERVER = 30,   /* int 1: PLAIN, as server (0: back to NULL) */
    ZW_OPT_PLAIN_USERNAME = 31, /* bytes (0..255 VCHAR): PLAIN, as client, with this name */
    ZW_OPT_PLAIN_PASSWORD = 32, /* bytes (0..255 VCHAR): ... and this password */
    ZW_OPT_CURVE_SERVER = 33,   /* int 1: CURVE, as server (0: back to NULL); needs SECRETKEY */
    ZW_OPT_CURVE_PUBLICKEY = 34,/* key: our permanent public key */
    ZW_OPT_CURVE_SECRETKEY = 35,/* key: our permanent secret key */
    ZW_OPT_CURVE_SERVERKEY = 36,/* key: CURVE, as client, of the server with this public key */
    ZW_OPT_ZAP_DOMAIN = 37      /* bytes (1..255 ASCII): the domain of ZAP requests ("global");
                                   set, it makes NULL ask ZAP too (DECISIONS S3) */
} zw_option;

int zw_socket_set_int (zw_socket *socket, zw_option option, int64_t value);
int zw_socket_set_bytes (zw_socket *socket, zw_option option, const void *value, size_t size);

/*  Adds an application property to the metadata of every handshake made
    afterwards (zmtp31.metadata.other-properties): name is 1..255 characters
    of A-Z a-z 0-9 - _ . + (by convention "X-..."), not Socket-Type or
    Identity, which the socket sets itself; value is 0..65535 octets.
    libzmq applications read it with zmq_msg_gets.  Returns 0, or -1 with
    EINVAL.  */
int zw_socket_add_property (zw_socket *socket, const char *name, const void *value,
                            size_t size);

/*  Binds to an endpoint ("tcp://127.0.0.1:5555", "tcp://127.0.0.1:0",
    "tcp://[::1]:5555", "ipc:///tmp/x.sock", and the wildcard host '*'
    for every interface); a socket may bind several.
    The endpoint actually bound (the real port for port 0 or '*') is then
    zw_socket_last_endpoint.  */
int zw_bind (zw_socket *socket, const char *endpoint);

/*  Connects to an endpoint.  Returns at once: the connection is made,
    and remade after any loss with back-off, while the loop runs
    (zmtp31.socket.async-connect, zmtp31.socket.reconnect).  */
int zw_connect (zw_socket *socket, const char *endpoint);

/* The last endpoint bound, resolved; "" if none. */
const char *zw_socket_last_endpoint (const zw_socket *socket);

/*  Sends a message: on success the socket owns msg.  Blocks up to
    timeout_ms while no peer can take it (none connected yet, every one
    at its high-water marks); PUB, XPUB, XSUB, ROUTER and REP never
    block (they drop).
    On failure msg still belongs to the caller.  */
int zw_send (zw_socket *socket, zw_msg *msg, int timeout_ms);

/*  Writes what the socket has queued for its peers, waiting up to
    timeout_ms for them to take it; 0 once all of it is with the operating
    system, else -1 with EAGAIN.  zw_send writes at once only when a batch
    (ZW_OPT_SNDBATCH) has gathered: the rest goes out when the loop next
    turns (in any blocking call: zw_recv, zw_poll, a zw_send that waits,
    zw_close), or here, before a program stops calling zwire for a while.  */
int zw_flush (zw_socket *socket, int timeout_ms);

/*  Receives a message into *msg (the caller frees it with zw_msg_destroy),
    waiting up to timeout_ms.  ROUTER prepends the peer's identity frame;
    REQ and REP strip and keep the envelope (28/REQREP).  */
int zw_recv (zw_socket *socket, zw_msg **msg, int timeout_ms);

/* Polling: sockets and plain fds (stdin, say) in one wait. */
#define ZW_POLLIN  1
#define ZW_POLLOUT 2

typedef struct {
    zw_socket *socket;          /* a socket, or NULL to poll fd */
    int fd;
    short events;
    short revents;
} zw_pollitem;

/*  Waits up to timeout_ms until one item is ready; returns how many are
    (0 on timeout) with revents filled in, or -1.  A socket is ZW_POLLIN
    when zw_recv would not wait, ZW_POLLOUT when zw_send would not wait;
    a plain fd is ready as poll(2) says, and an fd in error, hung up or
    not open is ready for whatever was asked.  Every socket item must
    belong to the same context (else EINVAL): its loop runs meanwhile.  */
int zw_poll (zw_pollitem *items, int count, int timeout_ms);

/* Counters, for tests and monitoring. */
typedef struct {
    uint64_t peers;             /* connections whose handshake is over, now */
    uint64_t connections;       /* open connections (any state), now */
    uint64_t closed;            /* connections closed so far */
    uint64_t errors;            /* ... of which for a peer's protocol violation */
    uint64_t dropped;           /* messages dropped (PUB/ROUTER at HWM, unroutable, bad envelope) */
} zw_stats;

void zw_socket_stats (const zw_socket *socket, zw_stats *stats);

/*  Connection events, for monitoring and tests.  Each connection starts
    ACCEPTED (it came in on a bound endpoint) or CONNECTED (a zw_connect
    attempt reached its peer), then becomes READY when its handshake is
    over and the socket takes it as a peer, or ends HANDSHAKE_FAILED when
    it is closed before that (a refused Socket-Type, a protocol violation,
    the handshake timeout, the peer leaving, the socket refusing it).  A
    READY connection ends DISCONNECTED, for whatever reason, including
    zw_close.  Connect attempts that never reach a peer report nothing:
    they are retried quietly.  */
typedef enum {
    ZW_EVENT_ACCEPTED = 0,
    ZW_EVENT_CONNECTED = 1,
    ZW_EVENT_READY = 2,
    ZW_EVENT_HANDSHAKE_FAILED = 3,
    ZW_EVENT_DISCONNECTED = 4
} zw_event;

typedef void (zw_monitor_fn) (void *arg, zw_event event, const char *peer);

/*  Calls fn (arg, event, peer) for each connection event of the socket
    from now on; fn NULL stops.  peer names the connection as the logs do:
    the remote address ("127.0.0.1:50312") when accepted, the endpoint
    given to zw_connect when connected.  fn runs inside the loop (any
    blocking call, zw_close, zw_ctx_destroy): it must not call into the
    context, only note the event and return, and arg must stay valid
    until the socket is closed.  */
void zw_socket_set_monitor (zw_socket *socket, zw_monitor_fn *fn, void *arg);

/* --- readiness callbacks (see Model: what a callback may call) ------------------ */

typedef void (zw_ready_cb) (void *arg);

/*  Calls fn (arg) from the loop whenever the socket has a whole message
    for the application, that is when zw_recv (socket, &m, 0) would
    succeed; fn NULL clears it.  Level-triggered: checked at every turn of
    the loop, so while messages remain (fn took some, or none) fn is
    called again at the next turn, and that turn does not sleep; it is
    never called when nothing can be received.  A callback typically
    drains: while (zw_recv (socket, &m, 0) == 0) ...  One that means to
    leave messages for later clears itself (else it is called at every
    turn).  At most one call per socket per turn.  Returns 0, or -1 with
    EINVAL (no socket) or ENOTSUP (the type never receives: PUB, PUSH).  */
int zw_socket_set_readable (zw_socket *socket, zw_ready_cb *fn, void *arg);

/*  The same for sending: fn (arg) is called while zw_send (socket, m, 0)
    would take a message (a peer below its high-water marks; ROUTER, PUB,
    XPUB and XSUB, which never wait, always).  Set it when zw_send (..., 0)
    has refused a message (EAGAIN), and clear it once that message is
    sent: set, it is called at every turn while the socket can send.
    ENOTSUP for the types that never send (SUB, PULL).  */
int zw_socket_set_writable (zw_socket *socket, zw_ready_cb *fn, void *arg);

#ifdef __cplusplus
}
#endif

#endif
