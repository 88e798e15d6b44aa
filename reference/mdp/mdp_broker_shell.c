/*  mdp_broker_shell.c — the broker core on a ROUTER socket and a timer
    (mdp_broker_shell.h).  */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "mdp_broker_shell.h"
#include "role_shell.h"

struct mdp_broker_shell {
    zw_ctx *ctx;
    zw_socket *router;
    zw_ctx_timer *timer;
    uint64_t armed_at;          /* the deadline the timer is armed for; 0: none */
    uint64_t horizon_ms;        /* an input makes nothing due sooner than this */
    mdp_broker *core;
    void (*log) (void *arg, const char *line);
    void *log_arg;
    /* the views of the message being taken: the shell's own, so that shells on
       loops in two threads share nothing */
    zw_mdp_frame frames[ROLE_SHELL_FRAMES_MAX];
};

static void
core_send (void *arg, const zw_mdp_frame *identity, const zw_mdp_frame *head, size_t head_count,
           const zw_mdp_frame *body, size_t body_count)
{
    mdp_broker_shell *shell = arg;
    /* ROUTER never waits: a peer gone or at its high-water mark drops (counted in zw_socket_stats) */
    role_shell_send (shell->router, identity, head, head_count, body, body_count);
}

static void
core_log (void *arg, const char *line)
{
    mdp_broker_shell *shell = arg;
    if (shell->log)
        shell->log (shell->log_arg, line);
}

static void
on_timer (void *arg)
{
    mdp_broker_shell *shell = arg;
    shell->armed_at = 0;
    role_shell_arm (shell->ctx, shell->timer, mdp_broker_tick (shell->core, zw_ctx_now (shell->ctx)),
                   &shell->armed_at);
}

/*  Every message waiting on the ROUTER goes to the core.  The core is not
    ticked per message (a tick visits every worker): an input makes nothing
    due sooner than the horizon, so arming the timer that far ahead, when
    it is not armed sooner, is enough (mdp_broker.h).  */
static void
on_readable (void *arg)
{
    mdp_broker_shell *shell = arg;
    zw_mdp_frame *frames = shell->frames;
    zw_msg *msg;
    while (zw_recv (shell->router, &msg, 0) == 0) {
        uint64_t now = zw_ctx_now (shell->ctx);
        size_t count = role_shell_frames (msg, frames, ROLE_SHELL_FRAMES_MAX);
        if (count >= 1)
            mdp_broker_input (shell->core, now, &frames[0], frames + 1, count - 1);
        else
            core_log (shell, "a message of more frames than a broker takes: dropped "
                             "[mdp01.broker.drop-invalid]");
        zw_msg_destroy (msg);
        role_shell_arm (shell->ctx, shell->timer, now + shell->horizon_ms, &shell->armed_at);
    }
}

mdp_broker_shell *
mdp_broker_shell_new (zw_ctx *ctx, const mdp_broker_config *config,
                      const char *const *endpoints, size_t count,
                      void (*log) (void *arg, const char *line), void *log_arg)
{
    mdp_broker_shell *shell = calloc (1, sizeof *shell);
    if (!shell)
        return NULL;
    *shell = (mdp_broker_shell) { .ctx = ctx, .log = log, .log_arg = log_arg };
    mdp_broker_io io = { core_send, core_log, shell };
    shell->core = mdp_broker_new (config, &io);
    shell->router = zw_socket_new (ctx, ZW_ROUTER);
    shell->timer = zw_timer_new (ctx, on_timer, shell);
    shell->horizon_ms = config->heartbeat_ms < config->request_expiry_ms
                      ? config->heartbeat_ms : config->request_expiry_ms;
    int ok = shell->core && shell->router && shell->timer;
    for (size_t i = 0; ok && i < count; i++)
        ok = zw_bind (shell->router, endpoints[i]) == 0;
    if (!ok || zw_socket_set_readable (shell->router, on_readable, shell) != 0) {
        int saved = errno ? errno : ENOMEM;
        mdp_broker_shell_destroy (shell);
        errno = saved;
        return NULL;
    }
    return shell;
}

const char *
mdp_broker_shell_endpoint (const mdp_broker_shell *shell)
{
    return zw_socket_last_endpoint (shell->router);
}

void
mdp_broker_shell_stats (const mdp_broker_shell *shell, mdp_broker_stats *stats)
{
    mdp_broker_get_stats (shell->core, stats);
}

void
mdp_broker_shell_destroy (mdp_broker_shell *shell)
{
    if (!shell)
        return;
    if (shell->core && shell->router)
        mdp_broker_shutdown (shell->core, zw_ctx_now (shell->ctx));
    zw_timer_destroy (shell->timer);
    if (shell->router)
        zw_close (shell->router);
    mdp_broker_destroy (shell->core);
    free (shell);
}
