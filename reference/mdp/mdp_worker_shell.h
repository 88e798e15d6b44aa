/*  mdp_worker_shell.h — a Majordomo worker on a zwire context: one DEALER
    socket connected to the broker (mdp01.worker.one-dealer), a timer, and
    the I/O-free core of mdp_worker.h.  It never blocks: it lives in a
    readiness callback and a timer, so it shares its context's loop with
    anything else (a broker and clients in the same process, tests).  After
    a DISCONNECT or a silent broker it closes the socket and, after the
    reconnect delay, opens a new one (DECISIONS M14).

    The application is asynchronous: a request arrives in the handler,
    which answers, then or later (from any callback on the same context, or
    between runs of the loop), with mdp_worker_shell_partial (0.2) and
    mdp_worker_shell_reply, and the id it was given.  The loop keeps
    running (heartbeats) while it works.  */

#ifndef MDP_WORKER_SHELL_H
#define MDP_WORKER_SHELL_H

#include "zwire.h"
#include "mdp_worker.h"

typedef struct mdp_worker_shell mdp_worker_shell;

/*  One request: body is valid during the call only.  Answer it with id,
    exactly once with mdp_worker_shell_reply (M2-16), never blocking.  */
typedef void (mdp_worker_handler) (void *arg, mdp_worker_shell *shell, uint64_t id,
                                   const zw_mdp_frame *body, size_t body_count);

/*  A worker on ctx for the broker at endpoint, started: its socket is
    connecting and READY waits for the connection.  NULL with errno:
    EINVAL (a bad configuration or endpoint, no handler), ENOMEM.  log may
    be NULL (silent).  */
mdp_worker_shell *mdp_worker_shell_new (zw_ctx *ctx, const char *endpoint,
                                        const mdp_worker_config *config,
                                        mdp_worker_handler *handler, void *handler_arg,
                                        zw_log_fn *log, void *log_arg);

/*  The answer to request id (mdp_worker_partial, mdp_worker_reply): 0, or
    -1 with errno ESTALE (the request was lost with its connection, or is
    answered: dropped and logged) or ENOTSUP (PARTIAL in 0.1).  */
int mdp_worker_shell_partial (mdp_worker_shell *shell, uint64_t id, const zw_mdp_frame *body,
                              size_t body_count);
int mdp_worker_shell_reply (mdp_worker_shell *shell, uint64_t id, const zw_mdp_frame *body,
                            size_t body_count);

void mdp_worker_shell_stats (const mdp_worker_shell *shell, mdp_worker_stats *stats);

/*  Stops: DISCONNECT to the broker if connected (mdp01.disconnect.worker-any-time),
    waiting up to a second for it to go (unless called inside a callback),
    then closes the socket and frees everything.  No answer may come
    during or after it.  */
void mdp_worker_shell_destroy (mdp_worker_shell *shell);

#endif
