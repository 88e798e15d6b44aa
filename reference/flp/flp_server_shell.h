/*  flp_server_shell.h — a Freelance server on a zwire context: one ROUTER
    socket (flp.peer.router) whose identity is set before it binds
    (flp.server.identity: the endpoint clients connect to, DECISIONS F1),
    around the I/O-free core of flp_server.h.  It never blocks: it lives in
    a readiness callback, so it shares its context's loop with anything
    else (clients in the same process, tests, a command run per request).

    The application is asynchronous: a request arrives in the handler,
    which answers, then or later (from any callback on the same context,
    or between runs of the loop), with flp_server_shell_reply and the
    token it was given, or gives the token up with flp_server_shell_drop.
    Pings are answered meanwhile.  */

#ifndef FLP_SERVER_SHELL_H
#define FLP_SERVER_SHELL_H

#include "zwire.h"
#include "flp_server.h"

typedef struct flp_server_shell flp_server_shell;

/*  One request: body is valid during the call only; token is the
    handler's until handed back, exactly once, to flp_server_shell_reply
    or flp_server_shell_drop.  Never blocks.  */
typedef void (flp_server_handler) (void *arg, flp_server_shell *shell, flp_server_token *token,
                                   const zw_flp_frame *body, size_t body_count);

/*  A server on ctx bound to endpoint, its identity identity, or the
    endpoint itself when identity is NULL (F1).  NULL with errno: EINVAL
    (no handler; identity NULL and an endpoint that cannot be one:
    flp_server_endpoint_problem; an identity that cannot be one:
    flp_server_identity_problem; an endpoint zwire cannot bind), the
    bind's (EADDRINUSE, ...), ENOMEM.  log may be NULL (silent).  */
flp_server_shell *flp_server_shell_new (zw_ctx *ctx, const char *endpoint, const char *identity,
                                        flp_server_handler *handler, void *handler_arg,
                                        zw_log_fn *log, void *log_arg);

/* The identity the socket announces (in its READY) and clients route to. */
const char *flp_server_shell_identity (const flp_server_shell *shell);

/* The endpoint bound, resolved (the real port for port 0). */
const char *flp_server_shell_endpoint (const flp_server_shell *shell);

/*  The reply to token's request (flp_server_reply): 0, or -1 with errno
    EINVAL (no token, or no body frame: the token stays the caller's).  A
    client gone by then simply gets nothing (ROUTER drops what it cannot
    route, counted in zw_socket_stats).  */
int flp_server_shell_reply (flp_server_shell *shell, flp_server_token *token,
                            const zw_flp_frame *body, size_t body_count);

/* Gives token up with no reply, logging why (flp_server_drop). */
void flp_server_shell_drop (flp_server_shell *shell, flp_server_token *token, const char *why);

/* The core's counters; invalid also counts messages of more frames than the shell takes. */
void flp_server_shell_stats (const flp_server_shell *shell, flp_server_stats *stats);

/*  Closes the socket (lingering for what is queued, unless inside a
    callback) and frees everything.  Every token must have been handed
    back first.  NULL is allowed.  */
void flp_server_shell_destroy (flp_server_shell *shell);

#endif
