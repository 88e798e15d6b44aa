/*  flp_client_shell.c — the client core on a ROUTER socket, a timer and
    the socket's monitor (flp_client_shell.h).

    Connections.  A ROUTER drops what it sends to a server whose
    connection is not up yet, so the first ping that counts is the one
    sent once the handshake is over (DECISIONS F13).  The monitor tells
    when that is (ZW_EVENT_READY, peer = the endpoint connected to) but
    may only note it; the shell hands it to the core at its next wake.
    While some server's connection is down, a watch keeps the shell
    waking: after 5 ms, then twice as long each time nothing changed, up
    to the ping interval (so a server that stays down costs no more than
    its pings), and from 5 ms again after any change.  A connection lost
    (ZW_EVENT_DISCONNECTED) is handed over the same way, at the next wake
    (any message, the watch or the core's next deadline: at most a ping
    interval), and its server is then gone (DECISIONS F18).

    The variants of flp_fault.h that live here: flp-client-identity (an
    identity on the socket) and flp-client-dealer (one DEALER socket per
    server, messages then without the routing frame).  */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "flp_client_shell.h"
#include "flp_fault.h"
#include "role_shell.h"

/* The watch's first delay, while a connection is down. */
#define WATCH_FIRST_MS 5

typedef struct {
    flp_client_shell *shell;
    size_t index;
    const char *endpoint;       /* the core's order; owned by endpoints[] */
    zw_socket *dealer;          /* flp-client-dealer only */
    int up;                     /* the monitor saw its connection READY, and no loss since */
    int news;                   /* ... READY, not yet told to the core */
    int lost;                   /* ... DISCONNECTED, not yet told to the core (F18) */
} server_link;

struct flp_client_shell {
    zw_ctx *ctx;
    zw_socket *router;          /* NULL under flp-client-dealer */
    server_link *links;
    char **endpoints;
    size_t count;
    zw_ctx_timer *timer;
    uint64_t armed_at;          /* the deadline the timer is armed for; 0: none */
    uint64_t watch_ms;          /* the watch's next delay */
    uint64_t ping_interval_ms;
    int changed;                /* the monitor saw a connection come or go */
    flp_client *core;
    flp_client_callbacks callbacks;
    int over;                   /* the last request has ended ... */
    flp_client_outcome outcome; /* ... so */
    /* the views of the message being taken: the shell's own, so that shells on
       loops in two threads share nothing */
    zw_flp_frame frames[ROLE_SHELL_FRAMES_MAX];
};

static void
shell_log (flp_client_shell *shell, const char *line)
{
    if (shell->callbacks.log)
        shell->callbacks.log (shell->callbacks.arg, line);
}

/* --- the connections: noted by the monitor, told at the next wake ---------------------------- */

static void
note (server_link *link, zw_event event)
{
    if (event == ZW_EVENT_READY)
        link->up = link->news = 1;
    else if (event == ZW_EVENT_DISCONNECTED)
        link->up = 0, link->lost = 1;
    else
        return;
    link->shell->changed = 1;
}

/* The ROUTER's monitor: it runs inside the loop, so it only notes (zwire.h). */
static void
on_router_event (void *arg, zw_event event, const char *peer)
{
    flp_client_shell *shell = arg;
    for (size_t i = 0; i < shell->count; i++)
        if (strcmp (peer, shell->links[i].endpoint) == 0)
            note (&shell->links[i], event);
}

static void
on_dealer_event (void *arg, zw_event event, const char *peer)
{
    (void) peer;
    note (arg, event);
}

/*  F18: each connection lost takes its server for gone; F13: each that
    came up (again, perhaps) is pinged now.  The watch restarts after any
    change.  */
static void
tell_news (flp_client_shell *shell, uint64_t now)
{
    if (shell->changed)
        shell->watch_ms = WATCH_FIRST_MS;
    shell->changed = 0;
    for (size_t i = 0; i < shell->count; i++) {
        server_link *link = &shell->links[i];
        if (link->lost)
            flp_client_lost (shell->core, now, i);
        if (link->news)
            flp_client_connected (shell->core, now, i);
        link->lost = link->news = 0;
    }
}

static int
some_down (const flp_client_shell *shell)
{
    for (size_t i = 0; i < shell->count; i++)
        if (!shell->links[i].up)
            return 1;
    return 0;
}

/* --- the loop ------------------------------------------------------------------------------ */

/* What is due, then the timer for the core's next deadline, or the watch if sooner. */
static void
arm (flp_client_shell *shell, uint64_t now)
{
    tell_news (shell, now);
    uint64_t at = flp_client_tick (shell->core, now);
    if (some_down (shell) && now + shell->watch_ms < at)
        at = now + shell->watch_ms;
    role_shell_arm (shell->ctx, shell->timer, at, &shell->armed_at);
}

static void
on_timer (void *arg)
{
    flp_client_shell *shell = arg;
    shell->armed_at = 0;
    if (!shell->changed && shell->watch_ms < shell->ping_interval_ms)
        shell->watch_ms = shell->watch_ms * 2 < shell->ping_interval_ms ? shell->watch_ms * 2
                                                                         : shell->ping_interval_ms;
    arm (shell, zw_ctx_now (shell->ctx));
}

/* One message from a server; on a ROUTER its first frame names it (its identity, F1). */
static void
take (flp_client_shell *shell, int server, const zw_msg *msg, int routed)
{
    zw_flp_frame *frames = shell->frames;
    size_t count = role_shell_frames (msg, frames, ROLE_SHELL_FRAMES_MAX);
    uint64_t now = zw_ctx_now (shell->ctx);
    if (count == 0) {
        shell_log (shell, "a message of more frames than a client takes: dropped");
        return;
    }
    if (routed)
        server = flp_client_server_of (shell->core, &frames[0]);
    tell_news (shell, now);
    flp_client_input (shell->core, now, server, frames + routed, count - (size_t) routed);
    arm (shell, now);
}

static void
on_router_readable (void *arg)
{
    flp_client_shell *shell = arg;
    zw_msg *msg;
    while (zw_recv (shell->router, &msg, 0) == 0) {
        take (shell, -1, msg, 1);
        zw_msg_destroy (msg);
    }
}

static void
on_dealer_readable (void *arg)
{
    server_link *link = arg;
    zw_msg *msg;
    while (zw_recv (link->dealer, &msg, 0) == 0) {
        take (link->shell, (int) link->index, msg, 0);
        zw_msg_destroy (msg);
    }
}

/* --- the core's io ---------------------------------------------------------------------------- */

/*  On the ROUTER the server's identity goes first, its endpoint (F1); a
    server whose connection is not up drops it, and the timeout covers a
    request.  flp-client-dealer: the server's own DEALER, no routing frame.  */
static int
core_send (void *arg, size_t server, const zw_flp_frame *head, size_t head_count,
           const zw_flp_frame *body, size_t body_count)
{
    flp_client_shell *shell = arg;
    server_link *link = &shell->links[server];
    if (link->dealer)
        return role_shell_send (link->dealer, NULL, head, head_count, body, body_count);
    zw_flp_frame identity = { (const uint8_t *) link->endpoint, strlen (link->endpoint) };
    return role_shell_send (shell->router, &identity, head, head_count, body, body_count);
}

static void
core_deliver (void *arg, const flp_client_result *result)
{
    flp_client_shell *shell = arg;
    shell->over = 1;
    shell->outcome = result->outcome;
    if (shell->callbacks.result)
        shell->callbacks.result (shell->callbacks.arg, result);
}

static void
core_log (void *arg, const char *line)
{
    shell_log (arg, line);
}

/* --- the sockets ------------------------------------------------------------------------------ */

/*  flp.client.no-identity: none is set (DECISIONS F8); it does not linger
    on close, since what it still holds belongs to a request abandoned.  */
static int
socket_setup (zw_socket *socket)
{
    static const char identity[] = "flp-client";
    if (zw_socket_set_int (socket, ZW_OPT_LINGER, 0) != 0)
        return -1;
    /* fault flp-client-identity breaks flp.client.no-identity */
    if (flp_fault_on (FLP_FAULT_CLIENT_IDENTITY))
        return zw_socket_set_bytes (socket, ZW_OPT_IDENTITY, identity, sizeof identity - 1);
    return 0;
}

/* flp.peer.router: one ROUTER, connected to every server. */
static int
open_router (flp_client_shell *shell)
{
    shell->router = zw_socket_new (shell->ctx, ZW_ROUTER);
    if (!shell->router || socket_setup (shell->router) != 0)
        return -1;
    zw_socket_set_monitor (shell->router, on_router_event, shell);
    for (size_t i = 0; i < shell->count; i++)
        if (zw_connect (shell->router, shell->links[i].endpoint) != 0)
            return -1;
    return zw_socket_set_readable (shell->router, on_router_readable, shell);
}

/* fault flp-client-dealer breaks flp.peer.router: a DEALER per server. */
static int
open_dealers (flp_client_shell *shell)
{
    for (size_t i = 0; i < shell->count; i++) {
        server_link *link = &shell->links[i];
        link->dealer = zw_socket_new (shell->ctx, ZW_DEALER);
        if (!link->dealer || socket_setup (link->dealer) != 0)
            return -1;
        zw_socket_set_monitor (link->dealer, on_dealer_event, link);
        if (zw_connect (link->dealer, link->endpoint) != 0
            || zw_socket_set_readable (link->dealer, on_dealer_readable, link) != 0)
            return -1;
    }
    return 0;
}

static int
make_links (flp_client_shell *shell, const flp_client_config *config)
{
    shell->count = config->server_count;
    shell->links = calloc (shell->count, sizeof shell->links[0]);
    shell->endpoints = calloc (shell->count, sizeof shell->endpoints[0]);
    if (!shell->links || !shell->endpoints)
        return -1;
    for (size_t i = 0; i < shell->count; i++) {
        if (!(shell->endpoints[i] = strdup (config->servers[i])))
            return -1;
        shell->links[i] = (server_link) { .shell = shell, .index = i,
                                          .endpoint = shell->endpoints[i] };
    }
    return 0;
}

/* --- the API ---------------------------------------------------------------------------------- */

static int
shell_open (flp_client_shell *shell, const flp_client_config *config)
{
    flp_client_io io = { core_send, core_deliver, core_log, shell };
    shell->core = flp_client_new (config, &io);
    if (!shell->core || make_links (shell, config) != 0)
        return -1;
    shell->timer = zw_timer_new (shell->ctx, on_timer, shell);
    if (!shell->timer)
        return -1;
    if ((flp_fault_on (FLP_FAULT_CLIENT_DEALER) ? open_dealers (shell) : open_router (shell)) != 0)
        return -1;
    arm (shell, zw_ctx_now (shell->ctx));       /* the first pings */
    return 0;
}

flp_client_shell *
flp_client_shell_new (zw_ctx *ctx, const flp_client_config *config,
                      const flp_client_callbacks *callbacks)
{
    flp_client_shell *shell = calloc (1, sizeof *shell);
    if (!shell)
        return NULL;
    *shell = (flp_client_shell) { .ctx = ctx, .callbacks = *callbacks, .watch_ms = WATCH_FIRST_MS,
                                  .ping_interval_ms = config->ping_interval_ms };
    errno = 0;
    if (shell_open (shell, config) != 0) {
        int saved = errno ? errno : ENOMEM;
        flp_client_shell_destroy (shell);
        errno = saved;
        return NULL;
    }
    return shell;
}

int
flp_client_shell_request (flp_client_shell *shell, const zw_flp_frame *body, size_t count)
{
    uint64_t now = zw_ctx_now (shell->ctx);
    tell_news (shell, now);
    if (flp_client_request (shell->core, now, body, count) != 0)
        return -1;
    shell->over = 0;
    arm (shell, now);
    return 0;
}

int
flp_client_call (flp_client_shell *shell, const zw_flp_frame *body, size_t count)
{
    if (flp_client_shell_request (shell, body, count) != 0)
        return -1;
    /* the wait ends the moment the result's callback sets over */
    if (zw_ctx_run_until (shell->ctx, &shell->over, -1) != 0)
        return -1;          /* EDEADLK inside a callback: the request goes on, asynchronously */
    return (int) shell->outcome;
}

int
flp_client_shell_busy (const flp_client_shell *shell)
{
    return flp_client_busy (shell->core);
}

int
flp_client_shell_live (const flp_client_shell *shell, size_t server)
{
    return flp_client_server_live (shell->core, server);
}

void
flp_client_shell_stats (const flp_client_shell *shell, flp_client_stats *stats)
{
    flp_client_get_stats (shell->core, stats);
}

zw_socket *
flp_client_shell_socket (const flp_client_shell *shell)
{
    return shell->router ? shell->router : shell->links[0].dealer;
}

void
flp_client_shell_destroy (flp_client_shell *shell)
{
    if (!shell)
        return;
    zw_timer_destroy (shell->timer);
    if (shell->router)
        zw_close (shell->router);
    for (size_t i = 0; shell->links && i < shell->count; i++)
        if (shell->links[i].dealer)
            zw_close (shell->links[i].dealer);
    for (size_t i = 0; shell->endpoints && i < shell->count; i++)
        free (shell->endpoints[i]);
    free (shell->endpoints);
    free (shell->links);
    flp_client_destroy (shell->core);
    free (shell);
}
