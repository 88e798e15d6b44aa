/*  zw_socket_internal.h — what the socket layer's files share.

    A zw_socket owns listeners (bound endpoints), connecters (connected
    endpoints, each remade with back-off when lost) and connections
    (zw_conn: an fd, an engine, and two message queues).  A connection
    whose handshake is over is a pipe: it is attached to the socket's
    pattern, the file that gives the socket type its semantics
    (zw_pattern_*.c), which routes outgoing messages to pipes and takes
    incoming ones from them.

    Queues and limits: each pipe queues outgoing messages in conn->out
    until the engine takes them, and incoming ones in conn->in until the
    application takes them (at rcvhwm the connection stops reading, so
    TCP pushes back on the peer).  Two bounds hold on the way out
    (zw_pipe_writable): sndhwm counts the messages in conn->out, and
    sndhwm_octets the octets of conn->out and of the engine's output
    together, so that large messages cannot pile up by the thousand.  */

#ifndef ZW_SOCKET_INTERNAL_H
#define ZW_SOCKET_INTERNAL_H

#include "zwire.h"
#include "zw_engine.h"
#include "zw_endpoint.h"
#include "zw_loop.h"
#include "zw_subscriptions.h"

typedef struct zw_conn zw_conn;
typedef struct zw_connecter zw_connecter;
typedef struct zw_listener zw_listener;

typedef struct {
    zw_msg *head, *tail;
    size_t count;
    uint64_t octets;                /* the sum of the messages' sizes (zw_msg.total) */
} zw_msgq;

void zw_msgq_push (zw_msgq *q, zw_msg *msg);
zw_msg *zw_msgq_pop (zw_msgq *q);
void zw_msgq_clear (zw_msgq *q);

struct zw_conn {
    zw_socket *socket;
    zw_conn *prev, *next;           /* the socket's connections */
    int fd;
    char peer[ZW_ENDPOINT_TEXT_MAX];    /* remote address, for logs */
    zw_connecter *connecter;        /* the connect that made it, or NULL */
    int connecting;                 /* a non-blocking connect in progress */
    int quiet;                      /* a connect that never connected: not logged as a close */
    zw_engine engine;
    zw_timer timer;                 /* the engine's next deadline */
    zw_deferred flush;              /* output to write when the loop next turns */
    unsigned watching;              /* ZW_IO_* bits asked of the loop */
    int attached;                   /* a pipe of the pattern */
    zw_msgq in, out;
    zw_conn *ready_next;            /* the socket's pipes with input, while listed */
    int ready_listed;
    zw_subscriptions subscriptions; /* PUB, XPUB: what this peer asked for */
    uint8_t routing_id[ZW_ZMTP_IDENTITY_MAX];  /* ROUTER */
    size_t routing_id_size;
    zw_zap_call *zap_call;          /* the ZAP request its engine waits on, or NULL */
    struct zw_auth_record *auth;    /* its handshake's outcome, for every message (S8) */
};

struct zw_connecter {
    zw_socket *socket;
    zw_connecter *next;
    zw_endpoint endpoint;
    zw_conn *conn;                  /* the current connection, or NULL */
    zw_timer retry;
    uint64_t backoff;               /* ms before the next attempt */
    int given_up;                   /* the peer sent ERROR (zmtp31.error.fatal) */
};

struct zw_listener {
    zw_socket *socket;
    zw_listener *next;
    zw_endpoint endpoint;
    int fd;
};

/* A socket type's semantics: one file each (zw_pattern_*.c). */
typedef struct {
    /* Takes msg (returns 0), or -1 with errno: EAGAIN (no pipe can take it now), ENOTSUP, ZW_EFSM. */
    int (*send) (zw_socket *socket, zw_msg *msg);
    /* A message for the application, or NULL with errno EAGAIN, ENOTSUP or ZW_EFSM. */
    zw_msg *(*recv) (zw_socket *socket);
    /* A pipe joins; non-zero refuses it (the connection is closed). */
    int (*attach) (zw_socket *socket, zw_conn *pipe);
    /* A pipe leaves (before it is freed). */
    void (*detach) (zw_socket *socket, zw_conn *pipe);
    /* A message arrived on a pipe; the pattern owns it. */
    void (*incoming) (zw_socket *socket, zw_conn *pipe, zw_msg *msg);
    /* A SUBSCRIBE or CANCEL arrived on a pipe. */
    void (*subscription) (zw_socket *socket, zw_conn *pipe, int subscribe,
                          const uint8_t *topic, size_t size);
    /* For zw_poll: would send / recv succeed now? */
    int (*can_send) (zw_socket *socket);
    int (*can_recv) (zw_socket *socket);
} zw_pattern;

extern const zw_pattern zw_pattern_pair, zw_pattern_pub, zw_pattern_xpub, zw_pattern_sub,
    zw_pattern_xsub, zw_pattern_req, zw_pattern_rep, zw_pattern_dealer, zw_pattern_router,
    zw_pattern_push, zw_pattern_pull;

/* A readiness callback of a socket (zw_socket_set_readable, zw_socket_set_writable). */
typedef struct {
    zw_ready_cb *fn;                /* NULL: none */
    void *arg;
    uint64_t round;                 /* the last dispatch that called it (zw_callbacks.c) */
} zw_ready;

/* Security options (zw_socket_security.c). */
typedef struct {
    zw_zmtp_mechanism mechanism;    /* chosen by the last mechanism option set */
    int as_server;
    zw_plain_settings plain;        /* client credentials */
    zw_curve_settings curve;        /* keys */
    uint8_t zap_domain[255];        /* 27/ZAP domain; empty: "global" (DECISIONS S3) */
    size_t zap_domain_size;
} zw_security_options;

typedef struct {
    int64_t sndhwm, rcvhwm, linger, reconnect_ivl, reconnect_ivl_max;
    int64_t heartbeat_ivl, heartbeat_timeout, heartbeat_ttl, handshake_ivl, maxmsgsize;
    int64_t zmtp_major, zmtp_minor, router_handover, sndbatch, sndhwm_octets;
    uint8_t identity[ZW_ZMTP_IDENTITY_MAX];
    size_t identity_size;
    uint8_t *properties;            /* application properties, packed as metadata */
    size_t properties_size;
    zw_security_options security;
} zw_socket_options;

/* Security options: 0, or -1 for a value out of range or an option not theirs. */
int zw_security_set_int (zw_security_options *security, zw_option option, int64_t value);
int zw_security_set_bytes (zw_security_options *security, zw_option option,
                           const uint8_t *value, size_t size);

/* The mechanism and role of the socket's next connections (DECISIONS S1). */
zw_mechanism_config zw_socket_mechanism (const zw_socket *socket);

struct zw_socket {
    zw_ctx *ctx;
    zw_socket *prev, *next;         /* the context's sockets */
    zw_socket_type type;
    const zw_pattern *pattern;
    zw_socket_options options;
    zw_listener *listeners;
    zw_connecter *connecters;
    zw_conn *conns;
    zw_conn **pipes;                /* attached connections, in attach order */
    size_t pipe_count, pipe_capacity;
    size_t next_out;                /* round-robin position (load balancing) */
    zw_conn *ready_head, *ready_tail;   /* pipes with input, in turn (fair queueing) */
    char last_endpoint[ZW_ENDPOINT_TEXT_MAX];
    zw_stats stats;
    zw_monitor_fn *monitor;         /* zw_socket_set_monitor, or NULL */
    void *monitor_arg;
    zw_ready readable, writable;
    int closing;
    zw_msgq leftover;               /* whole messages of pipes now gone, still the application's */
    /* pattern state */
    zw_subscriptions subscriptions; /* SUB, XSUB: ours; XPUB: everyone's, counted */
    zw_msgq pending;                /* XPUB: subscription messages for the application */
    int zap_unchecked_logged;       /* "no ZAP handler" said once (DECISIONS S5) */
    zw_conn *partner;               /* REQ: the pipe owing a reply; REP: the pipe to answer */
    int awaiting_reply;             /* REQ: sent, reply not received yet */
    zw_msg *envelope;               /* REP: the request's envelope, for the reply */
    uint32_t next_routing_id;       /* ROUTER: generated identities */
};

struct zw_ctx {
    zw_loop *loop;
    zw_socket *sockets;
    zw_log_fn *log;
    void *log_arg;
    zw_ctx_timer *timers;           /* zw_timer_new's, for zw_ctx_destroy */
    size_t ready_set;               /* readiness callbacks set, all sockets together */
    uint64_t ready_round;           /* counts their dispatches */
    int in_callback;                /* a timer or readiness callback is running */
    zw_zap_handler_fn *zap_handler; /* zw_ctx_set_zap_handler, or NULL */
    void *zap_handler_arg;
    zw_zap_call *zap_calls;         /* requests not answered yet (zw_zap.c) */
    uint64_t zap_requests;          /* request ids, counted */
};

/* --- ZAP (zw_zap.c) --- */

/*  A request to the context's handler for conn's engine, handed over when
    the loop next turns; NULL when out of memory.  */
zw_zap_call *zw_zap_ask_handler (zw_conn *conn, const zw_zap_ask *ask);

/* conn goes: its call's answer, when it comes, is dropped.  NULL is allowed. */
void zw_zap_forget (zw_zap_call *call);

/* Answers call as a broken handler (500, DECISIONS S5), with why logged. */
void zw_zap_answer_broken (zw_zap_call *call, const char *why);

/* The context goes: every unanswered call is freed. */
void zw_zap_free_all (zw_ctx *ctx);

/* The handler's answer reaches the connection (zw_conn.c). */
void zw_conn_zap_answer (zw_conn *conn, const zw_zap_answer *answer);

/*  What a blocking call tries: 0 when done, else -1 with errno (EAGAIN:
    not yet, try again after a turn of the loop).  */
typedef int (zw_attempt_fn) (void *arg);

/*  The one wait of every blocking call (zw_send, zw_recv, zw_flush, the
    linger of zw_close, zw_poll, zw_ctx_run): tries, turning the
    context's loop between tries, until the try succeeds (0), fails for
    real (-1 with its errno), or timeout_ms has passed (-1, EAGAIN); with
    timeout 0 it tries, turns the loop once and tries again; -1 waits
    without limit.  An error of the loop itself is -1 with its errno.
    Each turn starts with the readiness callbacks due.  Sound because of
    the loop's contract (zw_loop.h): a turn never sleeps after a
    callback.  Inside an application callback it never turns the loop:
    timeout 0 tries once, any other is EDEADLK (zwire.h, Model).  */
int zw_ctx_wait (zw_ctx *ctx, zw_attempt_fn *attempt, void *arg, int timeout_ms);

/* Logs one line through the context's log function. */
void zw_log (zw_ctx *ctx, const char *format, ...)
    __attribute__ ((format (printf, 2, 3)));

/* --- the application's callbacks (zw_callbacks.c) ----------------------------------- */

/*  Calls each readiness callback that is due (its socket can receive, or
    send) once; returns how many it called.  The start of every turn.  */
int zw_ctx_dispatch_ready (zw_ctx *ctx);

/* Stops the socket's readiness callbacks (zw_close). */
void zw_socket_clear_ready (zw_socket *socket);

/* Destroys the context's timers and stops every readiness callback (zw_ctx_destroy). */
void zw_ctx_silence (zw_ctx *ctx);

/* --- pipes, for the patterns (zw_pipe.c) --------------------------------------- */

/*  1 if the pipe can take another outgoing message: below sndhwm messages
    and below sndhwm_octets octets (queued and in the engine's output).
    A message is taken whatever its size while the pipe is below both.  */
int zw_pipe_writable (const zw_conn *pipe);

/* Queues msg on the pipe and starts writing; takes msg. */
void zw_pipe_send (zw_conn *pipe, zw_msg *msg);

/* Writes what the pipe's engine has queued (a subscription, say). */
void zw_pipe_flush (zw_conn *pipe);

/* Queues msg for the application; pauses reading at rcvhwm.  Takes msg. */
void zw_pipe_queue_in (zw_conn *pipe, zw_msg *msg);

/* The pipe's oldest message for the application, or NULL; reading resumes below rcvhwm. */
zw_msg *zw_pipe_take_in (zw_conn *pipe);

/* Everything the pipe had for the application, in order, for a pipe that leaves. */
void zw_pipe_unqueue_all (zw_conn *pipe, zw_msgq *into);

/* The next writable pipe in round-robin order, or NULL (zmtp31.socket.reqrep-semantics). */
zw_conn *zw_pipes_next_writable (zw_socket *socket);

/*  The next message queued by any pipe, taking pipes in turn (fair
    queueing); *from is its pipe, or NULL for a message left by a pipe
    that is gone (those come first).  NULL if none.  */
zw_msg *zw_pipes_fair_recv (zw_socket *socket, zw_conn **from);

/* 1 if some pipe has a message queued, or one that is gone left one. */
int zw_pipes_have_input (zw_socket *socket);

/* 1 if some pipe is writable. */
int zw_pipes_any_writable (zw_socket *socket);

/*  Building blocks of the patterns: load-balanced send (EAGAIN when no
    pipe is writable), fair-queued receive (EAGAIN when nothing is queued),
    the "no such operation" answers (ENOTSUP), and the usual attach,
    detach and incoming behaviour.  */
int zw_pattern_send_balanced (zw_socket *socket, zw_msg *msg);
zw_msg *zw_pattern_recv_fair (zw_socket *socket);
int zw_pattern_send_unsupported (zw_socket *socket, zw_msg *msg);
zw_msg *zw_pattern_recv_unsupported (zw_socket *socket);
int zw_pattern_attach_any (zw_socket *socket, zw_conn *pipe);
void zw_pattern_detach_nothing (zw_socket *socket, zw_conn *pipe);
void zw_pattern_incoming_queue (zw_socket *socket, zw_conn *pipe, zw_msg *msg);
void zw_pattern_incoming_drop (zw_socket *socket, zw_conn *pipe, zw_msg *msg);
int zw_pattern_can_never (zw_socket *socket);
int zw_pattern_can_send_balanced (zw_socket *socket);
int zw_pattern_can_recv_fair (zw_socket *socket);

/* Counts a dropped message and frees it. */
void zw_socket_drop (zw_socket *socket, zw_msg *msg);

/* --- connections (zw_conn.c) ---------------------------------------------------- */

/*  A connection on fd: accepted (connecter NULL), or made by a connecter,
    its connect still in progress when connecting is 1.  */
zw_conn *zw_conn_new (zw_socket *socket, int fd, const char *peer, zw_connecter *connecter,
                      int connecting);

/* Closes a connection now (a ROUTER handing an identity over, a socket closing). */
void zw_conn_close (zw_conn *conn, const char *reason);

/* Writes what is queued; asks the loop for what the connection waits on. */
void zw_conn_write (zw_conn *conn);
void zw_conn_rewatch (zw_conn *conn);

/*  New messages are queued: written now if a batch (ZW_OPT_SNDBATCH) is
    waiting, else when the loop next turns, so that a run of small messages
    leaves in one write.  */
void zw_conn_send_soon (zw_conn *conn);

/* 1 when everything queued on the connection has been written. */
int zw_conn_flushed (const zw_conn *conn);

/* --- the socket, for its connections and patterns (zw_socket.c, zw_pattern_pubsub.c) --- */

/* The handshake is over: make the connection a pipe; non-zero refuses it. */
int zw_socket_attach (zw_socket *socket, zw_conn *conn);
void zw_socket_detach (zw_socket *socket, zw_conn *conn);

/* A connecter's connection is gone; retry 0 after the peer's ERROR (zmtp31.error.fatal). */
void zw_connecter_lost (zw_connecter *connecter, int retry);
void zw_connecter_succeeded (zw_connecter *connecter);

/* Tells the socket's monitor, if any, about one of its connections. */
void zw_socket_notify (zw_socket *socket, zw_event event, const char *peer);

/* SUB, XSUB: one subscription more (subscribe 1) or less. */
void zw_socket_subscribe (zw_socket *socket, int subscribe, const uint8_t *topic, size_t size);

#endif
