/*  mdp_client_shell.c — the client core on a DEALER socket and a timer
    (mdp_client_shell.h).  */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "mdp_client_shell.h"
#include "role_shell.h"

struct mdp_client_shell {
    zw_ctx *ctx;
    char *endpoint;
    zw_socket *dealer;          /* NULL after a reconnect that failed: the next retries again */
    zw_msg *pending;            /* the request the DEALER could not take yet (no peer) */
    zw_ctx_timer *timer;
    uint64_t armed_at;          /* the deadline the timer is armed for; 0: none */
    mdp_client *core;
    mdp_client_callbacks callbacks;
    int over;                   /* the last request has ended ... */
    mdp_client_outcome outcome; /* ... so */
    /* the views of the message being taken: the shell's own, so that shells on
       loops in two threads share nothing */
    zw_mdp_frame frames[ROLE_SHELL_FRAMES_MAX];
};

static void
shell_log (mdp_client_shell *shell, const char *line)
{
    if (shell->callbacks.log)
        shell->callbacks.log (shell->callbacks.arg, line);
}

/* --- the socket ------------------------------------------------------------------ */

static void on_readable (void *arg);

static void
drop_pending (mdp_client_shell *shell)
{
    zw_msg_destroy (shell->pending);
    shell->pending = NULL;
}

/*  A new DEALER, connected (mdp02.client.dealer).  It does not linger on
    close: what it still holds belongs to a request given up or resent.  */
static int
open_socket (mdp_client_shell *shell)
{
    shell->dealer = zw_socket_new (shell->ctx, ZW_DEALER);
    if (!shell->dealer)
        return -1;
    if (zw_socket_set_int (shell->dealer, ZW_OPT_LINGER, 0) != 0
        || zw_connect (shell->dealer, shell->endpoint) != 0
        || zw_socket_set_readable (shell->dealer, on_readable, shell) != 0) {
        int saved = errno;
        zw_close (shell->dealer);
        shell->dealer = NULL;
        errno = saved;
        return -1;
    }
    return 0;
}

static void
close_socket (mdp_client_shell *shell)
{
    drop_pending (shell);
    if (shell->dealer)
        zw_close (shell->dealer);
    shell->dealer = NULL;
}

/*  A DEALER with no peer yet takes nothing (zw_send would wait): the
    message waits here until the socket can send.  */
static void
on_writable (void *arg)
{
    mdp_client_shell *shell = arg;
    if (shell->pending && zw_send (shell->dealer, shell->pending, 0) != 0) {
        if (errno == EAGAIN)
            return;
        shell_log (shell, "the request could not be sent: dropped (the reply timeout covers it)");
        zw_msg_destroy (shell->pending);
    }
    shell->pending = NULL;
    zw_socket_set_writable (shell->dealer, NULL, NULL);
}

/* --- the core's io ------------------------------------------------------------------ */

static int
core_send (void *arg, const zw_mdp_frame *head, size_t head_count,
           const zw_mdp_frame *body, size_t body_count)
{
    mdp_client_shell *shell = arg;
    if (!shell->dealer) {
        errno = ENOTCONN;
        return -1;
    }
    zw_msg *msg = role_shell_message (NULL, head, head_count, body, body_count);
    if (!msg)
        return -1;
    drop_pending (shell);
    if (zw_send (shell->dealer, msg, 0) == 0)
        return 0;
    if (errno != EAGAIN) {
        int saved = errno;
        zw_msg_destroy (msg);
        errno = saved;
        return -1;
    }
    shell->pending = msg;
    zw_socket_set_writable (shell->dealer, on_writable, shell);
    return 0;
}

/* mdp01.client.recovery: close the socket, open a new one, connect it. */
static void
core_reconnect (void *arg)
{
    mdp_client_shell *shell = arg;
    close_socket (shell);
    if (open_socket (shell) != 0)
        shell_log (shell, "cannot open a new socket: the next retry tries again");
}

static void
core_deliver (void *arg, const mdp_client_result *result)
{
    mdp_client_shell *shell = arg;
    if (result->outcome != MDP_CLIENT_PARTIAL) {
        shell->over = 1;
        shell->outcome = result->outcome;
    }
    if (shell->callbacks.result)
        shell->callbacks.result (shell->callbacks.arg, result);
}

static void
core_log (void *arg, const char *line)
{
    shell_log (arg, line);
}

/* --- the loop ------------------------------------------------------------------------ */

static void
arm (mdp_client_shell *shell, uint64_t now)
{
    role_shell_arm (shell->ctx, shell->timer, mdp_client_tick (shell->core, now), &shell->armed_at);
}

static void
on_timer (void *arg)
{
    mdp_client_shell *shell = arg;
    shell->armed_at = 0;
    arm (shell, zw_ctx_now (shell->ctx));
}

/* Every message waiting on the DEALER goes to the core. */
static void
on_readable (void *arg)
{
    mdp_client_shell *shell = arg;
    zw_mdp_frame *frames = shell->frames;
    zw_msg *msg;
    while (shell->dealer && zw_recv (shell->dealer, &msg, 0) == 0) {
        uint64_t now = zw_ctx_now (shell->ctx);
        size_t count = role_shell_frames (msg, frames, ROLE_SHELL_FRAMES_MAX);
        if (count >= 1)
            mdp_client_input (shell->core, now, frames, count);
        else
            shell_log (shell, "a message of more frames than a client takes: dropped");
        zw_msg_destroy (msg);
        arm (shell, now);
    }
}

/* --- the API -------------------------------------------------------------------------- */

mdp_client_shell *
mdp_client_shell_new (zw_ctx *ctx, const char *endpoint, const mdp_client_config *config,
                      const mdp_client_callbacks *callbacks)
{
    mdp_client_shell *shell = calloc (1, sizeof *shell);
    if (!shell)
        return NULL;
    *shell = (mdp_client_shell) { .ctx = ctx, .callbacks = *callbacks };
    mdp_client_io io = { core_send, core_reconnect, core_deliver, core_log, shell };
    shell->core = mdp_client_new (config, &io);
    shell->endpoint = strdup (endpoint);
    shell->timer = zw_timer_new (ctx, on_timer, shell);
    if (!shell->core || !shell->endpoint || !shell->timer || open_socket (shell) != 0) {
        int saved = errno ? errno : ENOMEM;
        mdp_client_shell_destroy (shell);
        errno = saved;
        return NULL;
    }
    return shell;
}

int
mdp_client_shell_request (mdp_client_shell *shell, const char *service,
                          const zw_mdp_frame *body, size_t count)
{
    zw_mdp_frame name = { (const uint8_t *) service, strlen (service) };
    uint64_t now = zw_ctx_now (shell->ctx);
    if (mdp_client_request (shell->core, now, &name, body, count) != 0)
        return -1;
    shell->over = 0;
    arm (shell, now);
    return 0;
}

int
mdp_client_call (mdp_client_shell *shell, const char *service, const zw_mdp_frame *body,
                 size_t count)
{
    if (mdp_client_shell_request (shell, service, body, count) != 0)
        return -1;
    /* the wait ends the moment the result's callback sets over */
    if (zw_ctx_run_until (shell->ctx, &shell->over, -1) != 0)
        return -1;          /* EDEADLK inside a callback: the request goes on, asynchronously */
    return (int) shell->outcome;
}

int
mdp_client_shell_busy (const mdp_client_shell *shell)
{
    return mdp_client_busy (shell->core);
}

void
mdp_client_shell_stats (const mdp_client_shell *shell, mdp_client_stats *stats)
{
    mdp_client_get_stats (shell->core, stats);
}

void
mdp_client_shell_destroy (mdp_client_shell *shell)
{
    if (!shell)
        return;
    zw_timer_destroy (shell->timer);
    close_socket (shell);
    mdp_client_destroy (shell->core);
    free (shell->endpoint);
    free (shell);
}
