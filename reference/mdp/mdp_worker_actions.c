/*  mdp_worker_actions.c — what the worker core does for each action of its
    session machine (mdp_worker_session_grammar.rl), one function per
    action, run in the order the machine returns them.  */

#include <stdlib.h>
#include <string.h>
#include "mdp_fault.h"
#include "mdp_worker_internal.h"

/* "mdp01" or "mdp02": the registry whose clauses the worker follows. */
static const char *
registry (const mdp_worker *w)
{
    return w->config.version == ZW_MDP_V02 ? "mdp02" : "mdp01";
}

/*  Sends a worker-side command in the worker's version; every command
    counts as a heartbeat (M4, M2-5).  A command with an address has a
    body, at least one frame (M11, M2-15).  */
static void
send_command (mdp_worker *w, zw_mdp_command command, const zw_mdp_frame *address,
              const zw_mdp_frame *body, size_t body_count, uint64_t now)
{
    static const zw_mdp_frame empty = { NULL, 0 };
    zw_mdp_message m = { .version = w->config.version, .subprotocol = ZW_MDP_WORKER,
                         .command = command };
    zw_mdp_frame head[ZW_MDP_HEAD_MAX];
    if (command == ZW_MDP_READY)
        m.service = (zw_mdp_frame) { (const uint8_t *) w->service, strlen (w->service) };
    if (address)
        m.address = *address;
    if (address && body_count == 0) {
        body = &empty;
        body_count = 1;
    }
    uint8_t longer[256];
    if (address && mdp_fault_on (MDP_FAULT_WORKER_WRONG_ADDRESS) && address->size < sizeof longer) {
        memcpy (longer, address->data, address->size);
        longer[address->size] = '!';
        m.address = (zw_mdp_frame) { longer, address->size + 1 };
    }
    size_t n = zw_mdp_encode_head (&m, head);
    if (n == 0)
        return;     /* cannot be: the version and the service were checked by mdp_worker_new */
    if (address && mdp_fault_on (MDP_FAULT_WORKER_NO_DELIMITER))
        n--;        /* the delimiter is the head's last frame */
    w->io.send (w->io.arg, head, n, body, body_count);
    w->sent_at = now;
}

static void
do_connect (mdp_worker *w, const mdp_worker_event *ev)
{
    w->waiting = 0;
    w->io.reconnect (w->io.arg);
    w->connected = 1;
    w->heard_at = ev->now;      /* a new connection: the broker has a whole expiry to show itself */
    w->stats.connections++;
}

/* mdp01.grammar.ready; heartbeats start now (M4, M2-5). */
static void
do_send_ready (mdp_worker *w, const mdp_worker_event *ev)
{
    send_command (w, ZW_MDP_READY, NULL, NULL, 0, ev->now);
    if (mdp_fault_on (MDP_FAULT_WORKER_READY_TWICE))
        send_command (w, ZW_MDP_READY, NULL, NULL, 0, ev->now);
}

/*  The client address is kept, byte for byte, for the answer (M12, M2-11).
    The application is called last: it may answer inside the call.  */
static void
do_take_request (mdp_worker *w, const mdp_worker_event *ev)
{
    const zw_mdp_message *m = ev->message;
    w->client = role_frames_copy (&m->address, 1);    /* NULL: out of memory, see do_send_reply */
    w->request_id = ++w->last_id;
    w->stats.requests++;
    w->io.request (w->io.arg, w->request_id, ev->frames + m->body, m->body_count);
}

static void
do_send_partial (mdp_worker *w, const mdp_worker_event *ev)
{
    if (!w->client)
        return;
    send_command (w, ZW_MDP_PARTIAL, &w->client->frame[0], ev->body, ev->body_count, ev->now);
    w->stats.partials++;
}

static void
release_request (mdp_worker *w)
{
    free (w->client);
    w->client = NULL;
    w->request_id = 0;
}

/* mdp01.grammar.worker-reply; mdp02.grammar.worker-final: one per REQUEST (M2-16). */
static void
do_send_reply (mdp_worker *w, const mdp_worker_event *ev)
{
    zw_mdp_command command = w->config.version == ZW_MDP_V02 ? ZW_MDP_FINAL : ZW_MDP_REPLY;
    if (w->client) {
        send_command (w, command, &w->client->frame[0], ev->body, ev->body_count, ev->now);
        w->stats.replies++;
    } else {
        mdp_worker_log (w, "request %llu: its client address could not be kept (out of "
                        "memory): no answer", (unsigned long long) ev->id);
        w->stats.lost++;
    }
    release_request (w);
}

/* mdp01.heartbeat.worker-sends, idle or busy (M2, M2-3). */
static void
do_send_heartbeat (mdp_worker *w, const mdp_worker_event *ev)
{
    if (mdp_fault_on (MDP_FAULT_WORKER_NO_HEARTBEAT)) {
        w->sent_at = ev->now;       /* as if sent: the next is due an interval later */
        return;
    }
    send_command (w, ZW_MDP_HEARTBEAT, NULL, NULL, 0, ev->now);
    w->stats.heartbeats++;
}

/* mdp01.disconnect.worker-any-time */
static void
do_send_disconnect (mdp_worker *w, const mdp_worker_event *ev)
{
    send_command (w, ZW_MDP_DISCONNECT, NULL, NULL, 0, ev->now);
}

/* The broker gives the request to another worker (M8, M2-8); its answer, if it comes, is stale. */
static void
do_drop_request (mdp_worker *w, const mdp_worker_event *ev)
{
    (void) ev;
    release_request (w);
    w->stats.lost++;
}

/* mdp01.disconnect.worker-close */
static void
do_close (mdp_worker *w, const mdp_worker_event *ev)
{
    (void) ev;
    w->io.close (w->io.arg);
    w->connected = 0;
}

/* M14: the same delay after DISCONNECT and after silence. */
static void
do_wait (mdp_worker *w, const mdp_worker_event *ev)
{
    w->waiting = 1;
    w->retry_at = ev->now + w->config.reconnect_ms;
    if (mdp_fault_on (MDP_LENIENT_WORKER_RECONNECT_AT_ONCE))
        w->retry_at = ev->now;
    if (mdp_fault_on (MDP_FAULT_WORKER_NO_RECONNECT))
        w->retry_at = UINT64_MAX;
}

static void
do_log_disconnect (mdp_worker *w, const mdp_worker_event *ev)
{
    (void) ev;
    const char *r = registry (w);
    mdp_worker_log (w, "DISCONNECT from the broker: socket closed, nothing more sent on it; a new "
                    "socket and READY in %llu ms [%s.disconnect.worker-close, "
                    "%s.disconnect.worker-reconnect; DECISIONS M13, M14]",
                    (unsigned long long) w->config.reconnect_ms, r, r);
}

static void
do_log_expired (mdp_worker *w, const mdp_worker_event *ev)
{
    (void) ev;
    const char *r = registry (w);
    mdp_worker_log (w, "nothing from the broker for %u intervals of %llu ms: gone; socket "
                    "closed, a new socket and READY in %llu ms [%s.heartbeat.worker-expires-broker, "
                    "%s.heartbeat.worker-restart; DECISIONS M14]", w->config.liveness,
                    (unsigned long long) w->config.heartbeat_ms,
                    (unsigned long long) w->config.reconnect_ms, r, r);
}

static void
do_log_busy (mdp_worker *w, const mdp_worker_event *ev)
{
    (void) ev;
    w->stats.ignored++;
    mdp_worker_log (w, "REQUEST while busy with request %llu: ignored (one request at a time; "
                    "DECISIONS M2-19)", (unsigned long long) w->request_id);
}

/* The layout row of a command only a worker sends: the clause a broker sending it breaks. */
static const char *
sender_rule (zw_mdp_command command)
{
    switch (command) {
    case ZW_MDP_READY: return "grammar.ready";
    case ZW_MDP_REPLY: return "grammar.worker-reply";
    case ZW_MDP_PARTIAL: return "grammar.worker-partial";
    default: return "grammar.worker-final";
    }
}

static void
do_log_unexpected (mdp_worker *w, const mdp_worker_event *ev)
{
    const char *name = zw_mdp_command_name (ev->message->command);
    w->stats.unexpected++;
    mdp_worker_log (w, "%s from the broker, a command only a worker sends: ignored [%s.%s; "
                    "DECISIONS M2-19]", name ? name : "?", registry (w),
                    sender_rule (ev->message->command));
}

static void
do_log_invalid (mdp_worker *w, const mdp_worker_event *ev)
{
    w->stats.invalid++;
    mdp_worker_log (w, "malformed message from the broker dropped: %s at frame %llu [%s; "
                    "DECISIONS M2-19]", zw_error_class_name (ev->error->code),
                    (unsigned long long) ev->error->offset, ev->error->clause);
}

static void
do_log_stale (mdp_worker *w, const mdp_worker_event *ev)
{
    w->stats.stale++;
    mdp_worker_log (w, "an answer to request %llu, which this worker no longer holds: dropped "
                    "(its connection was lost, and the broker gives it to another worker: "
                    "DECISIONS M8, M2-8)", (unsigned long long) ev->id);
}

typedef void (action_fn) (mdp_worker *, const mdp_worker_event *);

static action_fn *const actions[] = {
    [MDP_WSA_CONNECT] = do_connect,
    [MDP_WSA_SEND_READY] = do_send_ready,
    [MDP_WSA_TAKE_REQUEST] = do_take_request,
    [MDP_WSA_SEND_PARTIAL] = do_send_partial,
    [MDP_WSA_SEND_REPLY] = do_send_reply,
    [MDP_WSA_SEND_HEARTBEAT] = do_send_heartbeat,
    [MDP_WSA_SEND_DISCONNECT] = do_send_disconnect,
    [MDP_WSA_DROP_REQUEST] = do_drop_request,
    [MDP_WSA_CLOSE] = do_close,
    [MDP_WSA_WAIT] = do_wait,
    [MDP_WSA_LOG_DISCONNECT] = do_log_disconnect,
    [MDP_WSA_LOG_EXPIRED] = do_log_expired,
    [MDP_WSA_LOG_BUSY] = do_log_busy,
    [MDP_WSA_LOG_UNEXPECTED] = do_log_unexpected,
    [MDP_WSA_LOG_INVALID] = do_log_invalid,
    [MDP_WSA_LOG_STALE] = do_log_stale,
};

/*  Steps the session and runs its actions in order.  An action may call
    out (io.request) and so come back in here: each step reads only its own
    event, and take_request is the last action of its step.  */
void
mdp_worker_run (mdp_worker *w, const mdp_worker_event *ev)
{
    mdp_worker_session_action todo[MDP_WS_ACTIONS_MAX];
    size_t n = mdp_worker_session_step (&w->session, ev->event, todo);
    for (size_t i = 0; i < n; i++)
        actions[todo[i]] (w, ev);
}
