/*  mdp_worker_shell.c — the worker core on a DEALER socket and a timer
    (mdp_worker_shell.h).

    Nothing here waits, and the core is never entered twice at once: its
    messages go to an outbox (mdp_outbox.h) that only the writable callback
    empties, so no send runs the loop under the core; its socket orders
    (close, reconnect) come from the readable callback and the timer, where
    zw_close does not linger.  destroy alone may wait, for the DISCONNECT,
    once every callback of the shell is gone.  */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "mdp_outbox.h"
#include "role_shell.h"
#include "mdp_worker_shell.h"

/* Messages the broker has not taken: READY, heartbeats, a stream of PARTIALs. */
#define OUTBOX_LIMIT 1024

struct mdp_worker_shell {
    zw_ctx *ctx;
    char *endpoint;
    zw_socket *dealer;          /* NULL between a close and the reconnect */
    unsigned generation;        /* sockets opened and closed so far */
    int open_error;             /* errno of the last socket that could not be opened; 0 */
    int stopping;               /* destroy: the DISCONNECT is worth waiting for */
    mdp_outbox outbox;
    zw_ctx_timer *timer;
    uint64_t armed_at;          /* the deadline the timer is armed for; 0: none */
    mdp_worker *core;
    mdp_worker_handler *handler;
    void *handler_arg;
    zw_log_fn *log;
    void *log_arg;
    /* the views of the message being taken: the shell's own, so that shells on
       loops in two threads share nothing */
    zw_mdp_frame frames[ROLE_SHELL_FRAMES_MAX];
};

static void
shell_log (mdp_worker_shell *shell, const char *line)
{
    if (shell->log)
        shell->log (shell->log_arg, line);
}

/* --- the outbox --------------------------------------------------------------- */

static void
on_writable (void *arg)
{
    mdp_worker_shell *shell = arg;
    if (shell->dealer && mdp_outbox_flush (&shell->outbox, shell->dealer, 0))
        zw_socket_set_writable (shell->dealer, NULL, NULL);     /* set again by the next send */
}

/* Queued for the socket of now; written at the loop's next turn (on_writable). */
static void
core_send (void *arg, const zw_mdp_frame *head, size_t head_count, const zw_mdp_frame *body,
           size_t body_count)
{
    mdp_worker_shell *shell = arg;
    if (!shell->dealer)
        return;             /* cannot be: the core sends only between reconnect and close */
    zw_msg *msg = role_shell_message (NULL, head, head_count, body, body_count);
    if (!msg || mdp_outbox_push (&shell->outbox, msg) != 0) {
        zw_msg_destroy (msg);
        shell_log (shell, msg ? "the broker takes nothing: a message dropped (outbox full)"
                              : "out of memory: a message dropped");
        return;
    }
    if (!shell->stopping)
        zw_socket_set_writable (shell->dealer, on_writable, shell);
}

/* --- the socket --------------------------------------------------------------- */

/*  mdp01.disconnect.worker-close: what the outbox holds was meant for this
    connection and goes with it (M13), but for the DISCONNECT of a stop.  */
static void
core_close (void *arg)
{
    mdp_worker_shell *shell = arg;
    if (!shell->dealer)
        return;
    if (shell->stopping && !mdp_outbox_flush (&shell->outbox, shell->dealer, 0))
        mdp_outbox_flush (&shell->outbox, shell->dealer, 1000);    /* EDEADLK in a callback */
    mdp_outbox_clear (&shell->outbox);
    zw_close (shell->dealer);
    shell->dealer = NULL;
    shell->generation++;
}

static void on_readable (void *arg);

/*  mdp01.disconnect.worker-reconnect: a new socket is a new connection,
    with a new identity at the broker.  A socket that cannot be made is
    logged; the core finds the broker silent and comes back here.  */
static void
core_reconnect (void *arg)
{
    mdp_worker_shell *shell = arg;
    core_close (shell);
    shell->dealer = zw_socket_new (shell->ctx, ZW_DEALER);
    if (!shell->dealer || zw_connect (shell->dealer, shell->endpoint) != 0
        || zw_socket_set_readable (shell->dealer, on_readable, shell) != 0) {
        shell->open_error = errno ? errno : ENOMEM;
        shell_log (shell, "cannot open a socket to the broker");
        if (shell->dealer)
            zw_close (shell->dealer);
        shell->dealer = NULL;
        return;
    }
    shell->open_error = 0;
    shell->generation++;
}

static void
core_request (void *arg, uint64_t id, const zw_mdp_frame *body, size_t body_count)
{
    mdp_worker_shell *shell = arg;
    shell->handler (shell->handler_arg, shell, id, body, body_count);
}

static void
core_log (void *arg, const char *line)
{
    shell_log (arg, line);
}

/* --- time and input ----------------------------------------------------------- */

/* After anything the core did: what is due now, and the timer for what comes next. */
static void
schedule (mdp_worker_shell *shell)
{
    uint64_t next = mdp_worker_tick (shell->core, zw_ctx_now (shell->ctx));
    role_shell_arm (shell->ctx, shell->timer, next, &shell->armed_at);
}

static void
on_timer (void *arg)
{
    mdp_worker_shell *shell = arg;
    shell->armed_at = 0;
    schedule (shell);
}

/*  Every message waiting on the DEALER goes to the core, until the core
    closes the socket (a DISCONNECT).  */
static void
on_readable (void *arg)
{
    mdp_worker_shell *shell = arg;
    zw_mdp_frame *frames = shell->frames;
    unsigned generation = shell->generation;
    zw_msg *msg;
    while (shell->generation == generation && zw_recv (shell->dealer, &msg, 0) == 0) {
        size_t count = role_shell_frames (msg, frames, ROLE_SHELL_FRAMES_MAX);
        if (count >= 1)
            mdp_worker_input (shell->core, zw_ctx_now (shell->ctx), frames, count);
        else
            shell_log (shell, "a message of more frames than a worker takes: dropped");
        zw_msg_destroy (msg);
    }
    schedule (shell);
}

/* --- the API ------------------------------------------------------------------ */

static void
shell_free (mdp_worker_shell *shell)
{
    zw_timer_destroy (shell->timer);
    shell->stopping = 0;
    core_close (shell);
    mdp_worker_destroy (shell->core);
    free (shell->endpoint);
    free (shell);
}

mdp_worker_shell *
mdp_worker_shell_new (zw_ctx *ctx, const char *endpoint, const mdp_worker_config *config,
                      mdp_worker_handler *handler, void *handler_arg, zw_log_fn *log,
                      void *log_arg)
{
    if (!ctx || !endpoint || !handler) {
        errno = EINVAL;
        return NULL;
    }
    mdp_worker_shell *shell = calloc (1, sizeof *shell);
    if (!shell)
        return NULL;
    *shell = (mdp_worker_shell) { .ctx = ctx, .handler = handler, .handler_arg = handler_arg,
                                  .log = log, .log_arg = log_arg };
    mdp_outbox_init (&shell->outbox, OUTBOX_LIMIT);
    mdp_worker_io io = { core_send, core_close, core_reconnect, core_request, core_log, shell };
    shell->endpoint = strdup (endpoint);
    shell->timer = zw_timer_new (ctx, on_timer, shell);
    shell->core = shell->endpoint && shell->timer ? mdp_worker_new (config, &io) : NULL;
    if (!shell->core) {
        int saved = errno ? errno : ENOMEM;
        shell_free (shell);
        errno = saved;
        return NULL;
    }
    mdp_worker_start (shell->core, zw_ctx_now (ctx));
    if (shell->open_error) {
        int saved = shell->open_error;
        shell_free (shell);
        errno = saved;
        return NULL;
    }
    schedule (shell);
    return shell;
}

static int
answered (mdp_worker_shell *shell, int rc)
{
    int saved = errno;
    schedule (shell);           /* an answer moves the next heartbeat */
    errno = saved;
    return rc;
}

int
mdp_worker_shell_partial (mdp_worker_shell *shell, uint64_t id, const zw_mdp_frame *body,
                          size_t body_count)
{
    uint64_t now = zw_ctx_now (shell->ctx);
    return answered (shell, mdp_worker_partial (shell->core, now, id, body, body_count));
}

int
mdp_worker_shell_reply (mdp_worker_shell *shell, uint64_t id, const zw_mdp_frame *body,
                        size_t body_count)
{
    uint64_t now = zw_ctx_now (shell->ctx);
    return answered (shell, mdp_worker_reply (shell->core, now, id, body, body_count));
}

void
mdp_worker_shell_stats (const mdp_worker_shell *shell, mdp_worker_stats *stats)
{
    mdp_worker_get_stats (shell->core, stats);
}

/*  mdp01.disconnect.worker-any-time: the callbacks go first, so that the
    wait for the DISCONNECT runs none of them.  */
void
mdp_worker_shell_destroy (mdp_worker_shell *shell)
{
    if (!shell)
        return;
    zw_timer_destroy (shell->timer);
    shell->timer = NULL;
    if (shell->dealer) {
        zw_socket_set_readable (shell->dealer, NULL, NULL);
        zw_socket_set_writable (shell->dealer, NULL, NULL);
    }
    shell->stopping = 1;
    mdp_worker_stop (shell->core, zw_ctx_now (shell->ctx));
    shell_free (shell);
}
