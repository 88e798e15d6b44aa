/*  mdp_broker_shell.h — the Majordomo broker on a zwire context: one
    ROUTER socket, bound to every endpoint given, for clients and workers
    of both versions (mdp01.broker.single-socket, DECISIONS M17), around
    the I/O-free core of mdp_broker.h.  It never blocks: it lives in a
    readiness callback and a timer, so it shares its context's loop with
    anything else (workers and clients in the same process, tests).  */

#ifndef MDP_BROKER_SHELL_H
#define MDP_BROKER_SHELL_H

#include "zwire.h"
#include "mdp_broker.h"

typedef struct mdp_broker_shell mdp_broker_shell;

/*  A broker on ctx, bound to each of the count endpoints; NULL with errno
    (the bind's, or ENOMEM).  log may be NULL (silent).  */
mdp_broker_shell *mdp_broker_shell_new (zw_ctx *ctx, const mdp_broker_config *config,
                                        const char *const *endpoints, size_t count,
                                        void (*log) (void *arg, const char *line), void *log_arg);

/* The endpoint last bound, resolved (the real port for port 0). */
const char *mdp_broker_shell_endpoint (const mdp_broker_shell *shell);

void mdp_broker_shell_stats (const mdp_broker_shell *shell, mdp_broker_stats *stats);

/*  Sends DISCONNECT to every registered worker (M16), closes the socket
    (with its linger, unless inside a callback) and frees the broker.  */
void mdp_broker_shell_destroy (mdp_broker_shell *shell);

#endif
