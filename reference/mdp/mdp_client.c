/*  mdp_client.c — the Majordomo client core (mdp_client.h): requests in,
    replies and the time in; what the session machine
    (mdp_client_session_grammar.rl) says to do, one function per action,
    run in the order the machine returns them.  */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mdp_client.h"
#include "mdp_client_session.h"
#include "mdp_fault.h"
#include "role_frames.h"

struct mdp_client {
    mdp_client_config config;
    mdp_client_io io;
    mdp_client_session session;
    role_frames *service;        /* the outstanding request: one frame, its service */
    role_frames *body;           /* ... and its body frames */
    unsigned attempts;          /* sends of the outstanding (or last) request */
    uint64_t deadline;          /* the reply timeout; UINT64_MAX: none */
    int refused;                /* the last REQUEST event was refused */
    mdp_client_stats stats;
};

/* What the step being run is about. */
typedef struct {
    uint64_t now;
    int event;
    role_frames *service, *body;         /* MDP_CS_REQUEST: the copies, until KEEP takes them */
    const zw_mdp_message *message;      /* a message from the broker */
    const zw_mdp_frame *frames;
    const zw_error *error;              /* MDP_CS_INVALID */
} mdp_client_step;

void
mdp_client_config_default (mdp_client_config *config)
{
    /* the Guide client patience, 3 tries of 2500 ms (DECISIONS M1) */
    *config = (mdp_client_config) { .version = ZW_MDP_V02, .timeout_ms = 2500, .retries = 2 };
}

mdp_client *
mdp_client_new (const mdp_client_config *config, const mdp_client_io *io)
{
    if ((config->version != ZW_MDP_V01 && config->version != ZW_MDP_V02)
        || config->timeout_ms == 0) {
        errno = EINVAL;
        return NULL;
    }
    mdp_client *client = calloc (1, sizeof *client);
    if (!client)
        return NULL;
    client->config = *config;
    client->io = *io;
    client->deadline = UINT64_MAX;
    mdp_client_session_init (&client->session);
    return client;
}

void
mdp_client_destroy (mdp_client *client)
{
    if (!client)
        return;
    free (client->service);
    free (client->body);
    free (client);
}

static void
client_log (mdp_client *client, const char *format, ...) __attribute__ ((format (printf, 2, 3)));

static void
client_log (mdp_client *client, const char *format, ...)
{
    char line[512];
    va_list args;
    va_start (args, format);
    vsnprintf (line, sizeof line, format, args);
    va_end (args);
    if (client->io.log)
        client->io.log (client->io.arg, line);
}

/* "mdp01" or "mdp02": the registry whose clauses the client version follows. */
static const char *
spec_of (const mdp_client *client)
{
    return client->config.version == ZW_MDP_V01 ? "mdp01" : "mdp02";
}

static void
deliver (mdp_client *client, mdp_client_outcome outcome, const mdp_client_step *step)
{
    mdp_client_result result = { .outcome = outcome, .attempt = client->attempts };
    if (step->message) {
        result.body = step->frames + step->message->body;
        result.body_count = step->message->body_count;
    }
    client->io.deliver (client->io.arg, &result);
}

/* --- the actions ------------------------------------------------------------------ */

static void
do_keep (mdp_client *client, mdp_client_step *step)
{
    client->service = step->service;
    client->body = step->body;
    step->service = step->body = NULL;
    client->attempts = 0;
    client->stats.requests++;
}

/*  The request, framed by mdp01.grammar.client-request (the empty frame 0
    first: mdp01.client.dealer-empty-frame) or mdp02.grammar.client-request;
    the reply timeout starts.  */
static void
do_send (mdp_client *client, mdp_client_step *step)
{
    zw_mdp_message m = { .version = client->config.version, .subprotocol = ZW_MDP_CLIENT,
                         .command = client->config.version == ZW_MDP_V01 ? ZW_MDP_NONE
                                                                         : ZW_MDP_REQUEST,
                         .service = client->service->frame[0] };
    zw_mdp_frame head[ZW_MDP_HEAD_MAX];
    size_t n = zw_mdp_encode_head (&m, head), skip = 0;
    static const uint8_t partial_code = 0x02;
    if (m.version == ZW_MDP_V01 && mdp_fault_on (MDP_FAULT_CLIENT_NO_EMPTY_FRAME))
        skip = 1;
    if (m.version == ZW_MDP_V02 && mdp_fault_on (MDP_FAULT_CLIENT_WRONG_CODE))
        head[1] = (zw_mdp_frame) { &partial_code, 1 };
    client->attempts++;
    client->stats.sent++;
    client->deadline = step->now + client->config.timeout_ms;
    if (client->io.send (client->io.arg, head + skip, n - skip, client->body->frame,
                         client->body->count) != 0)
        client_log (client, "the request could not be queued (%s): the reply timeout covers it",
                    strerror (errno));
}

static void
do_refuse (mdp_client *client, mdp_client_step *step)
{
    (void) step;
    client->refused = 1;
}

/* M2-7: a PARTIAL shows the broker alive. */
static void
do_restart_timer (mdp_client *client, mdp_client_step *step)
{
    client->deadline = step->now + client->config.timeout_ms;
}

static void
do_deliver_partial (mdp_client *client, mdp_client_step *step)
{
    client->stats.partials++;
    deliver (client, MDP_CLIENT_PARTIAL, step);
}

static void
do_deliver_final (mdp_client *client, mdp_client_step *step)
{
    client->stats.answered++;
    deliver (client, MDP_CLIENT_ANSWERED, step);
}

static void
do_deliver_timeout (mdp_client *client, mdp_client_step *step)
{
    client->stats.timed_out++;
    deliver (client, MDP_CLIENT_TIMED_OUT, step);
}

static void
do_retry (mdp_client *client, mdp_client_step *step)
{
    (void) step;
    char name[64];
    role_frame_print (&client->service->frame[0], name, sizeof name);
    client->stats.retries++;
    client_log (client, "no reply from service %s within %llu ms: resent on a new socket, "
                "attempt %u of %u [%s.client.recovery]", name,
                (unsigned long long) client->config.timeout_ms, client->attempts + 1,
                client->config.retries + 1, spec_of (client));
}

static void
do_reconnect (mdp_client *client, mdp_client_step *step)
{
    (void) step;
    client->io.reconnect (client->io.arg);
}

static void
do_forget (mdp_client *client, mdp_client_step *step)
{
    (void) step;
    free (client->service);
    free (client->body);
    client->service = client->body = NULL;
    client->deadline = UINT64_MAX;
}

static void
do_log_gave_up (mdp_client *client, mdp_client_step *step)
{
    (void) step;
    char name[64];
    role_frame_print (&client->service->frame[0], name, sizeof name);
    client_log (client, "no reply from service %s after %u attempts of %llu ms: given up "
                "[%s.client.recovery]", name, client->attempts,
                (unsigned long long) client->config.timeout_ms, spec_of (client));
}

/*  M2-19: a reply the client does not wait for; with none outstanding,
    it is one the broker should not have sent (mdp02.broker.silent-after-final).  */
static void
do_log_stray (mdp_client *client, mdp_client_step *step)
{
    char got[64], want[64];
    const char *command = zw_mdp_command_name (step->message->command);
    role_frame_print (&step->message->service, got, sizeof got);
    client->stats.discarded++;
    if (!client->service) {
        client_log (client, "%s for service %s with no request outstanding: discarded "
                    "(DECISIONS M2-19%s)", command ? command : "REPLY", got,
                    client->config.version == ZW_MDP_V02
                        ? "; after a FINAL: mdp02.broker.silent-after-final" : "");
        return;
    }
    role_frame_print (&client->service->frame[0], want, sizeof want);
    client_log (client, "%s for service %s while waiting for service %s: discarded "
                "(DECISIONS M2-19)", command ? command : "REPLY", got, want);
}

static void
do_log_unexpected (mdp_client *client, mdp_client_step *step)
{
    (void) step;
    client->stats.discarded++;
    client_log (client, "REQUEST from the broker, a command only clients send (MDP/Client: "
                "C: REQUEST): discarded (DECISIONS M2-19)");
}

static void
do_log_invalid (mdp_client *client, mdp_client_step *step)
{
    client->stats.invalid++;
    client_log (client, "malformed message from the broker dropped: %s at frame %llu [%s]",
                zw_error_class_name (step->error->code),
                (unsigned long long) step->error->offset, step->error->clause);
}

typedef void (action_fn) (mdp_client *, mdp_client_step *);

static action_fn *const actions[] = {
    [MDP_CA_KEEP] = do_keep,
    [MDP_CA_SEND] = do_send,
    [MDP_CA_REFUSE] = do_refuse,
    [MDP_CA_RESTART_TIMER] = do_restart_timer,
    [MDP_CA_DELIVER_PARTIAL] = do_deliver_partial,
    [MDP_CA_DELIVER_FINAL] = do_deliver_final,
    [MDP_CA_DELIVER_TIMEOUT] = do_deliver_timeout,
    [MDP_CA_RETRY] = do_retry,
    [MDP_CA_RECONNECT] = do_reconnect,
    [MDP_CA_FORGET] = do_forget,
    [MDP_CA_LOG_GAVE_UP] = do_log_gave_up,
    [MDP_CA_LOG_STRAY] = do_log_stray,
    [MDP_CA_LOG_UNEXPECTED] = do_log_unexpected,
    [MDP_CA_LOG_INVALID] = do_log_invalid,
};

/*  Steps the machine and runs its actions in order.  A delivery is the
    last action of its step, and the machine is already in its next state
    when it runs: a request made from inside it steps the machine anew.  */
static void
client_step (mdp_client *client, mdp_client_step *step)
{
    mdp_client_action todo[MDP_CS_ACTIONS_MAX];
    size_t n = mdp_client_session_step (&client->session, step->event, todo);
    for (size_t i = 0; i < n; i++)
        actions[todo[i]] (client, step);
}

/* --- what comes in ------------------------------------------------------------------ */

int
mdp_client_request (mdp_client *client, uint64_t now, const zw_mdp_frame *service,
                    const zw_mdp_frame *body, size_t body_count)
{
    if (!zw_mdp_service_valid (service->data, service->size) || body_count == 0) {
        errno = EINVAL;
        return -1;
    }
    mdp_client_step step = { .now = now, .event = MDP_CS_REQUEST,
                             .service = role_frames_copy (service, 1),
                             .body = role_frames_copy (body, body_count) };
    int result = 0;
    if (!step.service || !step.body) {
        errno = ENOMEM;
        result = -1;
    } else {
        client->refused = 0;
        client_step (client, &step);
        if (client->refused) {
            errno = EBUSY;
            result = -1;
        }
    }
    free (step.service);        /* what KEEP did not take */
    free (step.body);
    return result;
}

/* 1 if a reply names the service of the outstanding request. */
static int
awaited (const mdp_client *client, const zw_mdp_message *m)
{
    return client->service && role_frame_equal (&m->service, &client->service->frame[0]);
}

/*  The event of a well-formed MDP/Client message of the client version:
    0.1 has one layout both ways (a REPLY); in 0.2 a REQUEST is a command
    only clients send (the dialog, C: REQUEST B: *PARTIAL B: FINAL).  */
static int
reply_event (const mdp_client *client, const zw_mdp_message *m)
{
    if (m->command == ZW_MDP_REQUEST)
        return MDP_CS_UNEXPECTED;
    if (!awaited (client, m))
        return MDP_CS_STRAY;
    if (mdp_fault_on (MDP_FAULT_CLIENT_PARTIAL_ENDS))
        return MDP_CS_FINAL;
    return m->command == ZW_MDP_PARTIAL ? MDP_CS_PARTIAL : MDP_CS_FINAL;
}

void
mdp_client_input (mdp_client *client, uint64_t now, const zw_mdp_frame *frames, size_t count)
{
    zw_mdp_message m;
    zw_error e = { 0 };
    unsigned accept = ZW_MDP_ACCEPT_CLIENT
                    | (client->config.version == ZW_MDP_V01 ? ZW_MDP_ACCEPT_V01 : ZW_MDP_ACCEPT_V02);
    mdp_client_step step = { .now = now, .frames = frames };
    if (zw_mdp_decode (frames, count, accept, &m, &e)) {
        step.message = &m;
        step.event = reply_event (client, &m);
    } else {
        step.error = &e;
        step.event = MDP_CS_INVALID;
    }
    client_step (client, &step);
}

/* --- time ------------------------------------------------------------------------- */

uint64_t
mdp_client_tick (mdp_client *client, uint64_t now)
{
    if (now >= client->deadline) {
        int left = client->attempts <= client->config.retries
                   && !mdp_fault_on (MDP_LENIENT_CLIENT_NO_RETRY);
        mdp_client_step step = { .now = now, .event = left ? MDP_CS_TIMEOUT : MDP_CS_GIVE_UP };
        client_step (client, &step);
    }
    return client->deadline;
}

int
mdp_client_busy (const mdp_client *client)
{
    return mdp_client_session_waiting (&client->session);
}

void
mdp_client_get_stats (const mdp_client *client, mdp_client_stats *stats)
{
    *stats = client->stats;
}
