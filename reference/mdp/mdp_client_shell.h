/*  mdp_client_shell.h — the Majordomo client on a zwire context: one
    DEALER socket connected to the broker (mdp02.client.dealer,
    mdp01.client.dealer-socket) and a timer, around the I/O-free core of
    mdp_client.h.  It never blocks: it lives in a readiness callback and a
    timer, so it shares its context's loop with anything else (a broker and
    workers in the same process, tests).  A retry closes the socket and
    connects a new one (Lazy Pirate: mdp01.client.recovery).

    Asynchronous: mdp_client_shell_request returns at once and the results
    come through the callback while the loop runs.  mdp_client_call is the
    synchronous convenience: it runs the loop itself until the result.  */

#ifndef MDP_CLIENT_SHELL_H
#define MDP_CLIENT_SHELL_H

#include "zwire.h"
#include "mdp_client.h"

typedef struct {
    /*  Each PARTIAL, then the answer or the time-out (mdp_client.h); runs
        in the loop, so it follows the rules of zwire.h's callbacks.  It may
        make the next request; it must not destroy the shell.  */
    void (*result) (void *arg, const mdp_client_result *result);
    void (*log) (void *arg, const char *line);     /* may be NULL: silent */
    void *arg;
} mdp_client_callbacks;

typedef struct mdp_client_shell mdp_client_shell;

/*  A client on ctx, connected to endpoint; NULL with errno (EINVAL: a bad
    endpoint or configuration; ENOMEM).  callbacks is copied.  */
mdp_client_shell *mdp_client_shell_new (zw_ctx *ctx, const char *endpoint,
                                        const mdp_client_config *config,
                                        const mdp_client_callbacks *callbacks);

/*  Sends one request for service (a C string) with count body frames and
    returns at once; 0, or -1 with errno: EBUSY (a request is outstanding),
    EINVAL (a service name that is not printable ASCII, no body frame),
    ENOMEM.  The frames are copied.  */
int mdp_client_shell_request (mdp_client_shell *shell, const char *service,
                              const zw_mdp_frame *body, size_t count);

/*  The same, then runs the context's loop (zw_ctx_run, in slices of a few
    milliseconds) until the request is over; its PARTIALs and its answer
    still go to the result callback, as they come.  Returns
    MDP_CLIENT_ANSWERED or MDP_CLIENT_TIMED_OUT, or -1 with errno: as
    mdp_client_shell_request, or EDEADLK when called inside a callback
    (the loop cannot be run there: the request then goes on as though
    made by mdp_client_shell_request).  */
int mdp_client_call (mdp_client_shell *shell, const char *service,
                     const zw_mdp_frame *body, size_t count);

/* 1 while a request is outstanding. */
int mdp_client_shell_busy (const mdp_client_shell *shell);

void mdp_client_shell_stats (const mdp_client_shell *shell, mdp_client_stats *stats);

/*  Closes the socket (it does not linger: a request abandoned is not
    worth waiting for) and frees the client; an outstanding request is
    dropped, nothing is delivered.  NULL is allowed.  Not from inside the
    result callback.  */
void mdp_client_shell_destroy (mdp_client_shell *shell);

#endif
