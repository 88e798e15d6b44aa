/*  flp_server_shell.c — the server core on a ROUTER socket
    (flp_server_shell.h).  Nothing here waits: a ROUTER never does (what it
    cannot route, or a peer at its high-water mark, is dropped and counted
    in zw_socket_stats), so replies and pongs are sent where they are made,
    in the readable callback or whichever callback the application answers
    from.  */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "flp_fault.h"
#include "flp_server_shell.h"
#include "role_shell.h"

struct flp_server_shell {
    zw_ctx *ctx;
    zw_socket *socket;          /* a ROUTER (a DEALER under FLP_FAULT_SERVER_DEALER) */
    int dealer;                 /* 1: no routing frame, in or out */
    char *identity;
    uint64_t oversized;         /* messages of more frames than ROLE_SHELL_FRAMES_MAX */
    flp_server *core;
    flp_server_handler *handler;
    void *handler_arg;
    zw_log_fn *log;
    void *log_arg;
    /* the views of the message being taken: the shell's own, so that shells on
       loops in two threads share nothing */
    zw_flp_frame frames[ROLE_SHELL_FRAMES_MAX];
};

static void
shell_log (flp_server_shell *shell, const char *line)
{
    if (shell->log)
        shell->log (shell->log_arg, line);
}

static void
core_send (void *arg, const zw_flp_frame *routing, const zw_flp_frame *head, size_t head_count,
           const zw_flp_frame *body, size_t body_count)
{
    flp_server_shell *shell = arg;
    /* the DEALER fault has no routing frame: its socket picks the peer */
    if (role_shell_send (shell->socket, shell->dealer ? NULL : routing, head, head_count, body,
                         body_count) != 0)
        shell_log (shell, shell->dealer ? "no peer takes the message: dropped"
                                        : "out of memory: a message dropped");
}

static void
core_request (void *arg, flp_server_token *token, const zw_flp_frame *body, size_t body_count)
{
    flp_server_shell *shell = arg;
    shell->handler (shell->handler_arg, shell, token, body, body_count);
}

static void
core_log (void *arg, const char *line)
{
    shell_log (arg, line);
}

/* Every message waiting on the socket goes to the core: the ROUTER's routing frame, then the FLP frames. */
static void
on_readable (void *arg)
{
    flp_server_shell *shell = arg;
    zw_flp_frame *frames = shell->frames;
    static const zw_flp_frame none = { NULL, 0 };
    zw_msg *msg;
    while (zw_recv (shell->socket, &msg, 0) == 0) {
        size_t count = role_shell_frames (msg, frames, ROLE_SHELL_FRAMES_MAX);
        if (count >= 1 && shell->dealer)
            flp_server_input (shell->core, &none, frames, count);
        else if (count >= 1)
            flp_server_input (shell->core, &frames[0], frames + 1, count - 1);
        else {
            shell->oversized++;     /* DECISIONS F5: dropped, nothing sent */
            shell_log (shell, "a message of more frames than a server takes: dropped, "
                              "nothing sent (DECISIONS F5)");
        }
        zw_msg_destroy (msg);
    }
}

/*  flp.server.identity: the endpoint clients connect to (F1), or the one
    given.  NULL with errno EINVAL when neither can be an identity.  */
static char *
identity_of (const char *endpoint, const char *identity)
{
    const char *problem = identity ? flp_server_identity_problem (identity)
                                   : flp_server_endpoint_problem (endpoint);
    if (problem) {
        errno = EINVAL;
        return NULL;
    }
    const char *base = identity ? identity : endpoint;
    /* fault: the endpoint with "/x" after it, which no client connects to (flp.server.identity) */
    const char *tail = flp_fault_on (FLP_FAULT_SERVER_WRONG_IDENTITY) ? "/x" : "";
    char *text = malloc (strlen (base) + strlen (tail) + 1);
    if (text)
        sprintf (text, "%s%s", base, tail);
    return text;
}

/* The socket, its identity set before the bind (ZW_OPT_IDENTITY shapes later handshakes only). */
static int
open_socket (flp_server_shell *shell, const char *endpoint)
{
    /* fault: a DEALER, not a ROUTER (flp.peer.router) */
    shell->dealer = flp_fault_on (FLP_FAULT_SERVER_DEALER);
    shell->socket = zw_socket_new (shell->ctx, shell->dealer ? ZW_DEALER : ZW_ROUTER);
    if (!shell->socket)
        return -1;
    if (zw_socket_set_bytes (shell->socket, ZW_OPT_IDENTITY, shell->identity,
                             strlen (shell->identity)) != 0
        || zw_bind (shell->socket, endpoint) != 0)
        return -1;
    return zw_socket_set_readable (shell->socket, on_readable, shell);
}

flp_server_shell *
flp_server_shell_new (zw_ctx *ctx, const char *endpoint, const char *identity,
                      flp_server_handler *handler, void *handler_arg, zw_log_fn *log,
                      void *log_arg)
{
    if (!ctx || !endpoint || !handler) {
        errno = EINVAL;
        return NULL;
    }
    flp_server_shell *shell = calloc (1, sizeof *shell);
    if (!shell)
        return NULL;
    *shell = (flp_server_shell) { .ctx = ctx, .handler = handler, .handler_arg = handler_arg,
                                  .log = log, .log_arg = log_arg };
    flp_server_io io = { core_send, core_request, core_log, shell };
    errno = 0;
    shell->identity = identity_of (endpoint, identity);
    shell->core = shell->identity ? flp_server_new (&io) : NULL;
    if (!shell->core || open_socket (shell, endpoint) != 0) {
        int saved = errno ? errno : ENOMEM;
        flp_server_shell_destroy (shell);
        errno = saved;
        return NULL;
    }
    return shell;
}

const char *
flp_server_shell_identity (const flp_server_shell *shell)
{
    return shell->identity;
}

const char *
flp_server_shell_endpoint (const flp_server_shell *shell)
{
    return zw_socket_last_endpoint (shell->socket);
}

int
flp_server_shell_reply (flp_server_shell *shell, flp_server_token *token, const zw_flp_frame *body,
                        size_t body_count)
{
    return flp_server_reply (shell->core, token, body, body_count);
}

void
flp_server_shell_drop (flp_server_shell *shell, flp_server_token *token, const char *why)
{
    flp_server_drop (shell->core, token, why);
}

void
flp_server_shell_stats (const flp_server_shell *shell, flp_server_stats *stats)
{
    flp_server_get_stats (shell->core, stats);
    stats->invalid += shell->oversized;
}

void
flp_server_shell_destroy (flp_server_shell *shell)
{
    if (!shell)
        return;
    if (shell->socket)
        zw_close (shell->socket);
    flp_server_destroy (shell->core);
    free (shell->identity);
    free (shell);
}
