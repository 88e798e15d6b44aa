/*  flp_client_shell.h — the Freelance client (10/FLP) as a C application
    uses it: one ROUTER socket on a zwire context, connected to every
    server (flp.peer.router), with no identity of its own
    (flp.client.no-identity), and a timer, around the I/O-free core of
    flp_client.h.  A server is addressed by its endpoint, which is its
    identity (DECISIONS F1): give the endpoints exactly as the servers
    spell their identities.

    What it does for the application: pings every server each ping
    interval, and at once when a connection comes up (DECISIONS F13);
    sends each request to the first live server, fails over to the next
    live one after each timeout, up to the retries; hands over only the
    reply carrying the request's CCF, from whichever server (F9, F14); ends
    a request as answered, timed out, or no server (F15).  See
    flp_client.h for the whole behaviour and the log lines.

    It never blocks: it lives in a readiness callback, a timer and a
    monitor of its socket, so it shares its context's loop with anything
    else (servers in the same process, tests, other roles).  Asynchronous:
    flp_client_shell_request returns at once and the result comes through
    the callback while the loop runs.  flp_client_call is the synchronous
    convenience: it runs the loop itself until the result.

        const char *servers[] = { "tcp://10.0.0.1:5555", "tcp://10.0.0.2:5555" };
        flp_client_config config;
        flp_client_config_default (&config);
        config.servers = servers;
        config.server_count = 2;
        flp_client_callbacks callbacks = { on_result, on_log, app };
        flp_client_shell *client = flp_client_shell_new (ctx, &config, &callbacks);
        zw_flp_frame body = { (const uint8_t *) "hello", 5 };
        int outcome = flp_client_call (client, &body, 1);   // FLP_CLIENT_ANSWERED, ...
        flp_client_shell_destroy (client);  */

#ifndef FLP_CLIENT_SHELL_H
#define FLP_CLIENT_SHELL_H

#include "zwire.h"
#include "flp_client.h"

typedef struct {
    /*  The end of each request (flp_client.h: answered with its body,
        timed out, no server); runs in the loop, so it follows the rules of
        zwire.h's callbacks.  It may make the next request; it must not
        destroy the shell.  */
    void (*result) (void *arg, const flp_client_result *result);
    void (*log) (void *arg, const char *line);     /* may be NULL: silent */
    void *arg;
} flp_client_callbacks;

typedef struct flp_client_shell flp_client_shell;

/*  A client on ctx, connecting to every server of config (which, like its
    endpoints and callbacks, is copied); the pings start at once.  NULL
    with errno: EINVAL (a configuration flp_client_new refuses, an
    endpoint zwire cannot connect to), ENOMEM.  */
flp_client_shell *flp_client_shell_new (zw_ctx *ctx, const flp_client_config *config,
                                        const flp_client_callbacks *callbacks);

/*  Sends one request of count body frames (copied; at least one) and
    returns at once: 0, or -1 with errno: EBUSY (a request is
    outstanding), EINVAL (no body frame), ENOMEM.  */
int flp_client_shell_request (flp_client_shell *shell, const zw_flp_frame *body, size_t count);

/*  The same, then runs the context's loop (zw_ctx_run, in slices of a few
    milliseconds) until the request is over; the result still goes to the
    result callback.  Returns FLP_CLIENT_ANSWERED, FLP_CLIENT_TIMED_OUT or
    FLP_CLIENT_NO_SERVER, or -1 with errno: as flp_client_shell_request,
    or EDEADLK when called inside a callback (the loop cannot be run
    there: the request then goes on as though made by
    flp_client_shell_request).  */
int flp_client_call (flp_client_shell *shell, const zw_flp_frame *body, size_t count);

/* 1 while a request is outstanding. */
int flp_client_shell_busy (const flp_client_shell *shell);

/* 1 if the server of that index (in config's order) is live. */
int flp_client_shell_live (const flp_client_shell *shell, size_t server);

void flp_client_shell_stats (const flp_client_shell *shell, flp_client_stats *stats);

/*  A socket of the client's context, for a program that waits in
    zw_poll for something else (standard input, say) while the client
    works: any socket of the context makes zw_poll run its loop.  */
zw_socket *flp_client_shell_socket (const flp_client_shell *shell);

/*  Closes the socket (it does not linger: a request abandoned is not
    worth waiting for) and frees the client; an outstanding request is
    dropped, nothing is delivered.  NULL is allowed.  Not from inside the
    result callback.  */
void flp_client_shell_destroy (flp_client_shell *shell);

#endif
