/*  mdp_worker.c — the worker core (mdp_worker.h): what comes in from the
    broker and from the application, and time.  */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mdp_worker_internal.h"

void
mdp_worker_config_default (mdp_worker_config *config)
{
    /* DECISIONS M3, M2-4 (2500 ms x 3), M14 (2500 ms); the service is the caller's */
    *config = (mdp_worker_config) { .version = ZW_MDP_V02, .service = NULL,
                                    .heartbeat_ms = 2500, .liveness = 3, .reconnect_ms = 2500 };
}

static int
config_valid (const mdp_worker_config *c, const mdp_worker_io *io)
{
    return c && io && io->send && io->close && io->reconnect && io->request
        && (c->version == ZW_MDP_V01 || c->version == ZW_MDP_V02) && c->service
        && zw_mdp_service_valid ((const uint8_t *) c->service, strlen (c->service));
}

mdp_worker *
mdp_worker_new (const mdp_worker_config *config, const mdp_worker_io *io)
{
    if (!config_valid (config, io)) {
        errno = EINVAL;
        return NULL;
    }
    mdp_worker *w = calloc (1, sizeof *w);
    if (!w || !(w->service = strdup (config->service))) {
        free (w);
        errno = ENOMEM;
        return NULL;
    }
    w->config = *config;
    w->config.service = w->service;
    if (w->config.liveness == 0)
        w->config.liveness = 1;
    if (w->config.heartbeat_ms == 0)
        w->config.heartbeat_ms = 1;
    w->io = *io;
    mdp_worker_session_init (&w->session);
    return w;
}

void
mdp_worker_destroy (mdp_worker *w)
{
    if (!w)
        return;
    free (w->client);
    free (w->service);
    free (w);
}

void
mdp_worker_log (mdp_worker *w, const char *format, ...)
{
    char line[512];
    va_list args;
    va_start (args, format);
    vsnprintf (line, sizeof line, format, args);
    va_end (args);
    if (w->io.log)
        w->io.log (w->io.arg, line);
}

static void
run (mdp_worker *w, uint64_t now, int event)
{
    mdp_worker_event ev = { .now = now, .event = event };
    mdp_worker_run (w, &ev);
}

void
mdp_worker_start (mdp_worker *w, uint64_t now)
{
    if (w->stats.connections == 0)      /* once: later connections come from the delay (M14) */
        run (w, now, MDP_WS_START);
}

void
mdp_worker_stop (mdp_worker *w, uint64_t now)
{
    run (w, now, MDP_WS_STOP);
}

/*  The machine's event for a well-formed worker-side command: a broker
    sends REQUEST, HEARTBEAT and DISCONNECT; READY, REPLY, PARTIAL and
    FINAL are the worker's own (M2-19: logged and survived).  */
static int
broker_event (const zw_mdp_message *m)
{
    switch (m->command) {
    case ZW_MDP_REQUEST: return MDP_WS_REQUEST;
    case ZW_MDP_HEARTBEAT: return MDP_WS_HEARTBEAT;
    case ZW_MDP_DISCONNECT: return MDP_WS_DISCONNECT;
    default: return MDP_WS_UNEXPECTED;
    }
}

/*  Only the worker's own version and sub-protocol are well formed here: a
    client command, or the other version, is malformed traffic.  */
void
mdp_worker_input (mdp_worker *w, uint64_t now, const zw_mdp_frame *frames, size_t count)
{
    unsigned accept = ZW_MDP_ACCEPT_WORKER
                    | (w->config.version == ZW_MDP_V02 ? ZW_MDP_ACCEPT_V02 : ZW_MDP_ACCEPT_V01);
    zw_mdp_message m;
    zw_error e = { 0 };
    mdp_worker_event ev = { .now = now, .frames = frames };
    if (!zw_mdp_decode (frames, count, accept, &m, &e)) {
        ev.event = MDP_WS_INVALID;
        ev.error = &e;
    } else {
        ev.event = broker_event (&m);
        ev.message = &m;
        /* Any received command except DISCONNECT acts as a heartbeat
           (mdp01.heartbeat.worker-expires-broker, mdp02.heartbeat.worker-expires-broker) */
        if (ev.event != MDP_WS_DISCONNECT && w->connected)
            w->heard_at = now;
    }
    mdp_worker_run (w, &ev);
}

/* An answer goes to the request held, or is stale (dropped and logged). */
static int
answer (mdp_worker *w, uint64_t now, uint64_t id, const zw_mdp_frame *body, size_t body_count,
        int event)
{
    mdp_worker_event ev = { .now = now, .event = event, .id = id, .body = body,
                            .body_count = body_count };
    int held = id != 0 && id == w->request_id;
    if (!held)
        ev.event = MDP_WS_STALE;
    mdp_worker_run (w, &ev);
    if (!held)
        errno = ESTALE;
    return held ? 0 : -1;
}

/* 0.2 only: 0.1 has no PARTIAL (mdp01.grammar.*). */
int
mdp_worker_partial (mdp_worker *w, uint64_t now, uint64_t id, const zw_mdp_frame *body,
                    size_t body_count)
{
    if (w->config.version != ZW_MDP_V02) {
        errno = ENOTSUP;
        return -1;
    }
    return answer (w, now, id, body, body_count, MDP_WS_PARTIAL);
}

int
mdp_worker_reply (mdp_worker *w, uint64_t now, uint64_t id, const zw_mdp_frame *body,
                  size_t body_count)
{
    return answer (w, now, id, body, body_count, MDP_WS_REPLY);
}

/* --- time ------------------------------------------------------------------ */

static uint64_t
expiry (const mdp_worker *w)
{
    return w->heard_at + w->config.heartbeat_ms * w->config.liveness;
}

static uint64_t
next_deadline (const mdp_worker *w)
{
    if (mdp_worker_session_stopped (&w->session))
        return UINT64_MAX;
    if (w->waiting)
        return w->retry_at;
    if (!w->connected)
        return UINT64_MAX;
    uint64_t pulse = w->sent_at + w->config.heartbeat_ms;
    return pulse < expiry (w) ? pulse : expiry (w);
}

/*  The end of the reconnect delay (M14); the broker gone after liveness x
    interval of silence (mdp01.heartbeat.worker-expires-broker, M3); else a
    HEARTBEAT when an interval has passed with no command sent
    (mdp01.heartbeat.worker-sends, mdp01.heartbeat.not-alongside, M4).  */
uint64_t
mdp_worker_tick (mdp_worker *w, uint64_t now)
{
    if (w->waiting && now >= w->retry_at)
        run (w, now, MDP_WS_START);
    if (w->connected) {
        if (now >= expiry (w))
            run (w, now, MDP_WS_EXPIRED);
        else if (now >= w->sent_at + w->config.heartbeat_ms)
            run (w, now, MDP_WS_PULSE);
    }
    return next_deadline (w);
}

void
mdp_worker_get_stats (const mdp_worker *w, mdp_worker_stats *stats)
{
    *stats = w->stats;
}

int
mdp_worker_busy (const mdp_worker *w)
{
    return w->request_id != 0;
}
