/*  mdp_broker.c — the broker core (mdp_broker.h): what comes in, from
    clients and from workers; MMI; time.  */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mdp_broker_internal.h"

void
mdp_broker_config_default (mdp_broker_config *config)
{
    /* DECISIONS M3, M2-4, M1, M15 */
    *config = (mdp_broker_config) { .heartbeat_ms = 2500, .liveness = 3,
                                    .request_expiry_ms = 7500, .queue_limit = 1024,
                                    .total_limit = 65536 };
}

mdp_broker *
mdp_broker_new (const mdp_broker_config *config, const mdp_broker_io *io)
{
    mdp_broker *broker = calloc (1, sizeof *broker);
    if (!broker)
        return NULL;
    broker->config = *config;
    if (broker->config.liveness == 0)
        broker->config.liveness = 1;
    broker->io = *io;
    mdp_map_init (&broker->workers);
    mdp_map_init (&broker->services);
    return broker;
}

void
mdp_broker_log (mdp_broker *broker, const char *format, ...)
{
    char line[512];
    va_list args;
    va_start (args, format);
    vsnprintf (line, sizeof line, format, args);
    va_end (args);
    if (broker->io.log)
        broker->io.log (broker->io.arg, line);
}

void
mdp_request_free (mdp_request *request)
{
    if (!request)
        return;
    free (request->client);
    free (request->service);
    free (request->body);
    free (request);
}

/*  An answer to a request's client, in the client's version: 0.1 REPLY,
    0.2 PARTIAL or FINAL (M2-1), naming the service the client named (M10).  */
void
mdp_broker_reply (mdp_broker *broker, mdp_request *request, zw_mdp_command command,
                  const zw_mdp_frame *body, size_t body_count)
{
    zw_mdp_message m = { .version = request->client_version, .subprotocol = ZW_MDP_CLIENT,
                         .command = request->client_version == ZW_MDP_V01 ? ZW_MDP_NONE : command,
                         .service = request->service->frame[0] };
    zw_mdp_frame head[ZW_MDP_HEAD_MAX], empty = { NULL, 0 };
    size_t n = zw_mdp_encode_head (&m, head);
    const zw_mdp_frame *client = &request->client->frame[0];
    if (mdp_fault_on (MDP_FAULT_REPLY_TO_LAST_CLIENT) && broker->last_client)
        client = &broker->last_client->frame[0];
    if (mdp_fault_on (MDP_FAULT_REPLY_EMPTY_SERVICE))
        head[n - 1] = empty;
    int skip = mdp_fault_on (MDP_FAULT_REPLY_NO_EMPTY_FRAME) && m.version == ZW_MDP_V01;
    broker->io.send (broker->io.arg, client, head + skip, n - skip, body, body_count);
}

static mdp_request *
request_copy (const zw_mdp_frame *identity, const zw_mdp_message *m,
              const zw_mdp_frame *frames, uint64_t now)
{
    mdp_request *r = calloc (1, sizeof *r);
    if (!r)
        return NULL;
    r->client = role_frames_copy (identity, 1);
    r->service = role_frames_copy (&m->service, 1);
    r->body = role_frames_copy (frames + m->body, m->body_count);
    r->client_version = m->version;
    r->arrived = now;
    if (!r->client || !r->service || !r->body) {
        mdp_request_free (r);
        return NULL;
    }
    return r;
}

/* 1 if a service name is in the namespace the broker keeps (mmi.namespace.internal, M5). */
static int
reserved (const zw_mdp_frame *name)
{
    return name->size >= 4 && memcmp (name->data, "mmi.", 4) == 0;
}

/*  8/MMI, answered by the broker itself (mmi.namespace.internal).
    mmi.service: 200 when a worker is registered for the name the first
    body frame holds, else 404 (mmi.service.found, mmi.service.not-found,
    M18, M19); every other mmi. name: 501 (mmi.namespace.not-implemented).  */
static void
answer_mmi (mdp_broker *broker, mdp_request *request)
{
    const zw_mdp_frame *name = &request->service->frame[0];
    const char *code = "501";
    static const char lookup[] = "mmi.service";
    if (name->size == sizeof lookup - 1 && memcmp (name->data, lookup, name->size) == 0) {
        mdp_service *asked = mdp_service_get (broker, &request->body->frame[0], 0);
        code = (asked && asked->workers > 0) || mdp_fault_on (MDP_FAULT_MMI_ALWAYS_FOUND) ? "200" : "404";
    }
    zw_mdp_frame status = { (const uint8_t *) code, 3 };
    mdp_broker_reply (broker, request, ZW_MDP_FINAL, &status, 1);
    broker->stats.replies++;
}

static void
log_peer (mdp_broker *broker, const zw_mdp_frame *identity, const char *what, const zw_error *e)
{
    char name[64];
    role_frame_print (identity, name, sizeof name);
    mdp_broker_log (broker, "peer %s: %s: %s at frame %llu [%s]", name, what,
                    zw_error_class_name (e->code), (unsigned long long) e->offset, e->clause);
}

/*  A client's REQUEST: queued for its service (created if new: M1) and
    given to a free worker if there is one.  A 0.2 client sending PARTIAL
    or FINAL, broker-to-client commands, is invalid (M2-9).  */
static void
client_input (mdp_broker *broker, uint64_t now, const zw_mdp_frame *identity,
              const zw_mdp_message *m, const zw_mdp_frame *frames)
{
    if (m->version == ZW_MDP_V02 && m->command != ZW_MDP_REQUEST) {
        zw_error e = { ZW_ERR_UNEXPECTED_COMMAND, 1, "mdp02.broker.drop-invalid", NULL };
        log_peer (broker, identity, "client sent a broker-to-client command, dropped", &e);
        broker->stats.invalid++;
        return;
    }
    mdp_request *r = request_copy (identity, m, frames, now);
    if (!r)
        return;
    broker->stats.requests++;
    if (mdp_fault_on (MDP_FAULT_REPLY_TO_LAST_CLIENT)) {
        free (broker->last_client);
        broker->last_client = role_frames_copy (identity, 1);
    }
    if (reserved (&m->service) && !mdp_fault_on (MDP_FAULT_MMI_FORWARDED)) {
        answer_mmi (broker, r);
        mdp_request_free (r);
        return;
    }
    mdp_service *service = mdp_service_get (broker, &m->service, 1);
    if (service && service->workers == 0 && mdp_fault_on (MDP_FAULT_DROP_UNKNOWN_SERVICE)) {
        mdp_request_free (r);
        mdp_service_release (broker, service);
        return;
    }
    if (!service || mdp_service_enqueue (broker, service, r) != 0) {
        mdp_broker_log (broker, "request dropped: queue full (%zu per service, %zu in all; "
                        "DECISIONS M15)", broker->config.queue_limit, broker->config.total_limit);
        broker->stats.dropped++;
        mdp_request_free (r);
        if (service)
            mdp_service_release (broker, service);
        return;
    }
    mdp_service_dispatch (broker, service, now);
}

static mdp_worker_record *
worker_record (mdp_broker *broker, const zw_mdp_frame *identity, zw_mdp_version version)
{
    mdp_worker_record *w = mdp_map_get (&broker->workers, identity->data, identity->size);
    if (w)
        return w;
    w = calloc (1, sizeof *w);
    if (!w || !(w->identity = role_frames_copy (identity, 1))) {
        free (w);
        return NULL;
    }
    const zw_mdp_frame *key = &w->identity->frame[0];
    if (mdp_map_put (&broker->workers, key->data, key->size, w) != 0) {
        free (w->identity);
        free (w);
        return NULL;
    }
    mdp_worker_view_init (&w->view);
    w->version = version;
    broker->stats.records++;
    return w;
}

/* A REPLY, PARTIAL or FINAL answers the outstanding request only if it names its client (M2-11). */
static int
answers (const mdp_worker_record *w, const zw_mdp_message *m)
{
    return w->request && role_frame_equal (&m->address, &w->request->client->frame[0]);
}

/* The machine's event for a well-formed worker command. */
static int
worker_event (const mdp_worker_record *w, const zw_mdp_message *m)
{
    switch (m->command) {
    case ZW_MDP_READY:
        if (mdp_fault_on (MDP_FAULT_MMI_CHECKS_IDENTITY))     /* the Guide bug (issue 12) */
            return reserved (&w->identity->frame[0]) ? MDP_WV_READY_RESERVED : MDP_WV_READY;
        return reserved (&m->service) ? MDP_WV_READY_RESERVED : MDP_WV_READY;
    case ZW_MDP_HEARTBEAT: return MDP_WV_HEARTBEAT;
    case ZW_MDP_DISCONNECT: return MDP_WV_DISCONNECT;
    case ZW_MDP_REQUEST: return MDP_WV_REQUEST;
    case ZW_MDP_PARTIAL: return answers (w, m) ? MDP_WV_PARTIAL : MDP_WV_STRAY_REPLY;
    default: return answers (w, m) ? MDP_WV_REPLY : MDP_WV_STRAY_REPLY;     /* REPLY, FINAL */
    }
}

static void
worker_input (mdp_broker *broker, uint64_t now, const zw_mdp_frame *identity,
              const zw_mdp_message *m, const zw_mdp_frame *frames)
{
    mdp_worker_record *w = worker_record (broker, identity, m->version);
    if (!w)
        return;
    /* Any command but DISCONNECT shows the worker alive (mdp01.heartbeat.broker-expires-worker) */
    w->heard_at = now;
    if (m->command == ZW_MDP_DISCONNECT && mdp_fault_on (MDP_FAULT_ANSWER_DISCONNECT))
        mdp_worker_send (broker, w, ZW_MDP_DISCONNECT, NULL, NULL, 0, now);
    mdp_step step = { .now = now, .event = worker_event (w, m), .message = m, .frames = frames };
    mdp_worker_step (broker, w, &step);
}

/*  A malformed message: dropped and logged with its clause
    (mdp01.broker.drop-invalid); a registered worker that sent it is
    dropped too (mdp01.broker.invalid-peer, M7, M2-10); of anyone else
    nothing is kept.  */
static void
invalid_input (mdp_broker *broker, uint64_t now, const zw_mdp_frame *identity, const zw_error *e)
{
    broker->stats.invalid++;
    mdp_worker_record *w = mdp_map_get (&broker->workers, identity->data, identity->size);
    if (!w) {
        log_peer (broker, identity, "malformed message dropped", e);
        return;
    }
    mdp_step step = { .now = now, .event = MDP_WV_INVALID, .error = e };
    mdp_worker_step (broker, w, &step);
}

void
mdp_broker_input (mdp_broker *broker, uint64_t now, const zw_mdp_frame *identity,
                  const zw_mdp_frame *frames, size_t count)
{
    zw_mdp_message m;
    zw_error e = { 0 };
    if (!zw_mdp_decode (frames, count, ZW_MDP_ACCEPT_ALL, &m, &e))
        invalid_input (broker, now, identity, &e);
    else if (m.subprotocol == ZW_MDP_CLIENT)
        client_input (broker, now, identity, &m, frames);
    else
        worker_input (broker, now, identity, &m, frames);
}

/* --- time ------------------------------------------------------------------ */

typedef struct {
    mdp_broker *broker;
    uint64_t now, next;
} tick_state;

static void
earliest (tick_state *t, uint64_t at)
{
    if (at < t->next)
        t->next = at;
}

/*  Per worker: expiry after liveness x interval of silence (M3), a
    HEARTBEAT after an interval in which it was sent nothing (M4), and the
    end of a remembered record (M2-17).  */
static void
tick_worker (void *value, void *arg)
{
    mdp_worker_record *w = value;
    tick_state *t = arg;
    const mdp_broker_config *c = &t->broker->config;
    mdp_step expired = { .now = t->now, .event = MDP_WV_EXPIRED };
    if (!w->service) {          /* remembered only */
        if (mdp_fault_on (MDP_FAULT_HEARTBEAT_AFTER_DISCONNECT) && t->now >= w->sent_at + c->heartbeat_ms)
            mdp_worker_send (t->broker, w, ZW_MDP_HEARTBEAT, NULL, NULL, 0, t->now);
        if (t->now >= w->gone_until)
            mdp_worker_step (t->broker, w, &expired);
        else
            earliest (t, w->gone_until);
        return;
    }
    uint64_t dead_at = w->heard_at + c->heartbeat_ms * c->liveness;
    if (t->now >= dead_at && !mdp_fault_on (MDP_FAULT_NO_EXPIRY)) {
        mdp_worker_step (t->broker, w, &expired);
        return;
    }
    int silenced = mdp_fault_on (MDP_FAULT_NO_HEARTBEAT)
                || (w->request && mdp_fault_on (MDP_FAULT_BUSY_NO_HEARTBEAT));
    if (t->now >= w->sent_at + c->heartbeat_ms && !silenced)   /* mdp01.heartbeat.broker-sends */
        mdp_worker_send (t->broker, w, ZW_MDP_HEARTBEAT, NULL, NULL, 0, t->now);
    earliest (t, dead_at);
    earliest (t, w->sent_at + c->heartbeat_ms);
}

static void
tick_service (void *value, void *arg)
{
    tick_state *t = arg;
    mdp_service *service = value;
    earliest (t, mdp_service_expire (t->broker, service, t->now));
    mdp_service_release (t->broker, service);
}

uint64_t
mdp_broker_tick (mdp_broker *broker, uint64_t now)
{
    tick_state t = { broker, now, UINT64_MAX };
    mdp_map_each (&broker->workers, tick_worker, &t);
    mdp_map_each (&broker->services, tick_service, &t);
    return t.next;
}

static void
shutdown_worker (void *value, void *arg)
{
    mdp_worker_record *w = value;
    mdp_broker *broker = ((tick_state *) arg)->broker;
    mdp_step step = { .now = ((tick_state *) arg)->now, .event = MDP_WV_SHUTDOWN };
    mdp_worker_step (broker, w, &step);
}

void
mdp_broker_shutdown (mdp_broker *broker, uint64_t now)
{
    tick_state t = { broker, now, UINT64_MAX };
    mdp_map_each (&broker->workers, shutdown_worker, &t);
}

/* --- the end ------------------------------------------------------------------ */

static void
free_worker_record (void *value, void *arg)
{
    (void) arg;
    mdp_worker_record *w = value;
    mdp_request_free (w->request);
    free (w->identity);
    free (w);
}

static void
free_service (void *value, void *arg)
{
    (void) arg;
    mdp_service *service = value;
    for (mdp_request *r = service->head, *next; r; r = next) {
        next = r->next;
        mdp_request_free (r);
    }
    free (service->name);
    free (service);
}

void
mdp_broker_destroy (mdp_broker *broker)
{
    if (!broker)
        return;
    mdp_map_each (&broker->workers, free_worker_record, NULL);
    mdp_map_each (&broker->services, free_service, NULL);
    mdp_map_clear (&broker->workers);
    mdp_map_clear (&broker->services);
    free (broker->last_client);
    free (broker);
}

void
mdp_broker_get_stats (const mdp_broker *broker, mdp_broker_stats *stats)
{
    *stats = broker->stats;
    stats->services = broker->services.count;
}
