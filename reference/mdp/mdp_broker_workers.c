/*  mdp_broker_workers.c — what the broker does for each action of the
    worker machine (mdp_worker_view_grammar.rl), one function per action,
    run in the order the machine returns them.  */

#include <stdlib.h>
#include <string.h>
#include "mdp_broker_internal.h"

/* Sends a worker-side command to w, in w's version; it counts as a heartbeat (M4). */
void
mdp_worker_send (mdp_broker *broker, mdp_worker_record *w, zw_mdp_command command,
                 const zw_mdp_frame *address, const zw_mdp_frame *body, size_t body_count,
                 uint64_t now)
{
    zw_mdp_message m = { .version = w->version, .subprotocol = ZW_MDP_WORKER, .command = command };
    zw_mdp_frame head[ZW_MDP_HEAD_MAX];
    if (address)
        m.address = *address;
    size_t n = zw_mdp_encode_head (&m, head);
    zw_mdp_frame empty = { NULL, 0 }, *moved = NULL;
    if (command == ZW_MDP_HEARTBEAT && mdp_fault_on (MDP_FAULT_HEARTBEAT_EXTRA_FRAME))
        body = &empty, body_count = 1;
    if (command == ZW_MDP_REQUEST && mdp_fault_on (MDP_FAULT_REQUEST_TWO_ADDRESSES)
        && (moved = malloc ((body_count + 1) * sizeof *moved)) != NULL) {
        head[n - 1] = *address;         /* address twice, then the delimiter and the body */
        moved[0] = empty;
        memcpy (moved + 1, body, body_count * sizeof *body);
        body = moved, body_count++;
    }
    broker->io.send (broker->io.arg, &w->identity->frame[0], head, n, body, body_count);
    free (moved);
    w->sent_at = now;
}

static void
name_of (const mdp_worker_record *w, char *text, size_t size)
{
    role_frame_print (&w->identity->frame[0], text, size);
}

static void
do_register (mdp_broker *broker, mdp_worker_record *w, const mdp_step *step)
{
    mdp_service *service = mdp_service_get (broker, &step->message->service, 1);
    if (!service)
        return;     /* out of memory: the worker stays unregistered and expires */
    w->version = step->message->version;
    w->service = service;
    w->sent_at = step->now;     /* heartbeats start now (M4, M2-5) */
    service->workers++;
    broker->stats.workers++;
    mdp_service_idle_add (service, w);
}

static void
do_unregister (mdp_broker *broker, mdp_worker_record *w, const mdp_step *step)
{
    (void) step;
    mdp_service *service = w->service;
    if (!service)
        return;
    mdp_service_idle_remove (service, w);
    w->service = NULL;
    service->workers--;
    broker->stats.workers--;
    mdp_service_release (broker, service);
}

/* The request goes out in the worker's version, the client's identity as its address (M12). */
static void
do_send_request (mdp_broker *broker, mdp_worker_record *w, const mdp_step *step)
{
    mdp_request *r = step->request;
    w->request = r;
    mdp_worker_send (broker, w, ZW_MDP_REQUEST, &r->client->frame[0], r->body->frame,
                     r->body->count, step->now);
}

static const zw_mdp_frame *
body_of (const mdp_step *step)
{
    return step->frames + step->message->body;
}

/* M2-7: at once, to a 0.2 client; a 0.1 client takes one REPLY only (M2-1). */
static void
do_forward_partial (mdp_broker *broker, mdp_worker_record *w, const mdp_step *step)
{
    mdp_request *r = w->request;
    if (r->client_version == ZW_MDP_V01)
        return;
    mdp_broker_reply (broker, r, ZW_MDP_PARTIAL, body_of (step), step->message->body_count);
    r->partials_forwarded = 1;
}

static void
do_deliver_reply (mdp_broker *broker, mdp_worker_record *w, const mdp_step *step)
{
    mdp_request *r = w->request;
    mdp_broker_reply (broker, r, ZW_MDP_FINAL, body_of (step), step->message->body_count);
    if (r->client_version == ZW_MDP_V02 && mdp_fault_on (MDP_FAULT_FINAL_TWICE))
        mdp_broker_reply (broker, r, ZW_MDP_FINAL, body_of (step), step->message->body_count);
    broker->stats.replies++;
    w->request = NULL;
    mdp_request_free (r);
}

static void
do_idle (mdp_broker *broker, mdp_worker_record *w, const mdp_step *step)
{
    (void) broker, (void) step;
    mdp_service_idle_add (w->service, w);
}

/*  M8, M2-8: the request goes back to the head of its queue, unless part
    of an answer already reached its client.  */
static void
do_requeue (mdp_broker *broker, mdp_worker_record *w, const mdp_step *step)
{
    (void) step;
    mdp_request *r = w->request;
    w->request = NULL;
    if (!r)
        return;
    if (r->partials_forwarded || mdp_fault_on (MDP_LENIENT_NO_REQUEUE)) {
        mdp_broker_log (broker, "request dropped: its worker was lost after PARTIALs reached the "
                        "client (DECISIONS M2-8)");
        broker->stats.dropped++;
        mdp_request_free (r);
        return;
    }
    mdp_service_requeue (broker, w->service, r);
    mdp_service_dispatch (broker, w->service, step->now);   /* to another free worker, if any */
}

static void
do_send_disconnect (mdp_broker *broker, mdp_worker_record *w, const mdp_step *step)
{
    int unexpected = step->event != MDP_WV_SHUTDOWN && step->event != MDP_WV_INVALID;
    if (unexpected && mdp_fault_on (MDP_FAULT_UNEXPECTED_IGNORED))
        return;
    mdp_worker_send (broker, w, ZW_MDP_DISCONNECT, NULL, NULL, 0, step->now);
}

static void
do_log_unexpected (mdp_broker *broker, mdp_worker_record *w, const mdp_step *step)
{
    char name[64];
    name_of (w, name, sizeof name);
    const char *command = zw_mdp_command_name (step->message->command);
    if (step->event == MDP_WV_READY_RESERVED)
        mdp_broker_log (broker, "worker %s: READY for a service in the mmi. namespace: "
                        "DISCONNECT [mmi.namespace.worker-disconnect]", name);
    else
        mdp_broker_log (broker, "worker %s: %s is valid but unexpected here: DISCONNECT "
                        "[%s.broker.unexpected-disconnect]", name, command ? command : "?",
                        step->message->version == ZW_MDP_V02 ? "mdp02" : "mdp01");
}

static void
do_log_invalid (mdp_broker *broker, mdp_worker_record *w, const mdp_step *step)
{
    char name[64];
    name_of (w, name, sizeof name);
    mdp_broker_log (broker, "worker %s: malformed message dropped: %s at frame %llu [%s]; the "
                    "worker is dropped too [mdp01.broker.invalid-peer]", name,
                    zw_error_class_name (step->error->code),
                    (unsigned long long) step->error->offset, step->error->clause);
}

static void
do_log_expired (mdp_broker *broker, mdp_worker_record *w, const mdp_step *step)
{
    (void) step;
    char name[64];
    name_of (w, name, sizeof name);
    mdp_broker_log (broker, "worker %s: silent for %u intervals of %llu ms: gone "
                    "[mdp01.heartbeat.broker-expires-worker]", name, broker->config.liveness,
                    (unsigned long long) broker->config.heartbeat_ms);
}

/* M2-17: silent towards it, and deaf to it, for one expiry. */
static void
do_remember (mdp_broker *broker, mdp_worker_record *w, const mdp_step *step)
{
    w->gone_until = step->now + broker->config.heartbeat_ms * broker->config.liveness;
}

static void
do_forget (mdp_broker *broker, mdp_worker_record *w, const mdp_step *step)
{
    (void) broker, (void) w, (void) step;   /* mdp_worker_step frees the record after the step */
}

typedef void (action_fn) (mdp_broker *, mdp_worker_record *, const mdp_step *);

static action_fn *const actions[] = {
    [MDP_WA_REGISTER] = do_register,
    [MDP_WA_UNREGISTER] = do_unregister,
    [MDP_WA_SEND_REQUEST] = do_send_request,
    [MDP_WA_FORWARD_PARTIAL] = do_forward_partial,
    [MDP_WA_DELIVER_REPLY] = do_deliver_reply,
    [MDP_WA_IDLE] = do_idle,
    [MDP_WA_REQUEUE] = do_requeue,
    [MDP_WA_SEND_DISCONNECT] = do_send_disconnect,
    [MDP_WA_LOG_UNEXPECTED] = do_log_unexpected,
    [MDP_WA_LOG_INVALID] = do_log_invalid,
    [MDP_WA_LOG_EXPIRED] = do_log_expired,
    [MDP_WA_REMEMBER] = do_remember,
    [MDP_WA_FORGET] = do_forget,
};

static void
free_worker (mdp_broker *broker, mdp_worker_record *w)
{
    const zw_mdp_frame *key = &w->identity->frame[0];
    mdp_map_remove (&broker->workers, key->data, key->size);
    if (w->request)             /* only on destroy: every lost request was requeued */
        mdp_request_free (w->request);
    free (w->identity);
    free (w);
    broker->stats.records--;
}

/*  Steps w's machine and runs its actions in order; then the record goes
    if the machine forgot it, and a worker made free takes what waits.  */
void
mdp_worker_step (mdp_broker *broker, mdp_worker_record *w, const mdp_step *step)
{
    mdp_worker_action todo[MDP_WV_ACTIONS_MAX];
    size_t n = mdp_worker_view_step (&w->view, step->event, todo);
    for (size_t i = 0; i < n; i++)
        actions[todo[i]] (broker, w, step);
    mdp_service *service = w->service;
    if (mdp_worker_view_forgotten (&w->view))
        free_worker (broker, w);
    else if (service && w->idle)
        mdp_service_dispatch (broker, service, step->now);
}
