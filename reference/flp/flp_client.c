/*  flp_client.c — the Freelance client core (flp_client.h): requests in,
    pongs, replies, connections and the time in; what the request's
    machine (flp_client_session_grammar.rl) and each server's view
    (flp_server_view_grammar.rl) say to do, one function per action, run
    in the order the machines return them.

    Invariants between calls: a server is live exactly while its view is
    in live (the view's UP and DOWN actions say so); a request is
    outstanding exactly while the session is busy, and then body holds it;
    deadline is its attempt's timeout, brought forward to the moment that
    attempt's server lost its connection (searching 0, attempt_lost set:
    F18), or the end of its wait for a live server (searching 1),
    UINT64_MAX when idle.  A server's asked is the sequence number of the
    request last sent on its connection as it is now (0 once it is lost).  A step's
    offers (a server that became live) reach the session once the step's
    own events are done (settle), so an answer is never preceded by a
    pointless attempt.  */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "flp_client.h"
#include "flp_client_session.h"
#include "flp_fault.h"
#include "flp_server_view.h"
#include "role_frames.h"

/* Decimal digits of a 64-bit sequence number, or 8 random octets (lenient). */
#define CCF_MAX 24

typedef struct {
    char *endpoint;             /* its identity too (F1) */
    flp_server_view view;
    int live;                   /* the view is in live */
    int heard_once;             /* a word came from it, ever */
    uint64_t heard;             /* ... the last at this time */
    uint64_t asked;             /* the request last sent on its connection (0: none, or lost) */
} server_rec;

struct flp_client {
    flp_client_config config;
    flp_client_io io;
    flp_client_session session;
    server_rec *servers;
    role_frames *body;          /* the outstanding request's body */
    uint8_t ccf[CCF_MAX];       /* the outstanding (or last) request's CCF */
    size_t ccf_size;
    uint64_t sequence;          /* requests taken; the outstanding one's number */
    unsigned attempts;          /* sends of the outstanding (or last) request */
    size_t *tried;              /* the server of each attempt, retries + 1 */
    uint64_t deadline;          /* see the invariants; UINT64_MAX: none */
    int searching;              /* the deadline ends a wait for a live server */
    int attempt_lost;           /* the attempt ended with its server's connection (F18) */
    uint64_t next_ping;         /* when every server is pinged next */
    int started;                /* the ping schedule runs (the first tick is past) */
    int offered;                /* a server became live during this step */
    int refused;                /* the last request event was refused */
    uint64_t random;            /* xorshift state, for the lenient random CCF */
    flp_client_stats stats;
};

/* What the step being run is about. */
typedef struct {
    uint64_t now;
    int event;
    int server;                         /* the sender of a message; -1: none, or unknown */
    role_frames *body;                  /* FLP_CS_REQUEST*: the copy, until KEEP takes it */
    const zw_flp_message *message;      /* a reply */
    const zw_flp_frame *frames;
    const zw_error *error;              /* FLP_CS_INVALID */
} flp_client_step;

static void settle (flp_client *client, uint64_t now);

void
flp_client_config_default (flp_client_config *config)
{
    /* the contract's defaults; liveness 3 is DECISIONS F6 */
    *config = (flp_client_config) { .ping_interval_ms = 1000, .liveness = 3, .timeout_ms = 1000,
                                    .retries = 3 };
}

/* --- construction ------------------------------------------------------------------------ */

/* 1 if the servers are 1..max non-empty, different endpoints. */
static int
servers_valid (const flp_client_config *config)
{
    if (config->server_count == 0 || config->server_count > FLP_CLIENT_SERVERS_MAX)
        return 0;
    for (size_t i = 0; i < config->server_count; i++) {
        if (!config->servers[i] || !config->servers[i][0])
            return 0;
        for (size_t j = 0; j < i; j++)
            if (strcmp (config->servers[i], config->servers[j]) == 0)
                return 0;
    }
    return 1;
}

static int
config_valid (const flp_client_config *config)
{
    return servers_valid (config) && config->ping_interval_ms > 0 && config->liveness > 0
        && config->timeout_ms > 0 && config->retries <= FLP_CLIENT_RETRIES_MAX;
}

static int
copy_servers (flp_client *client)
{
    client->servers = calloc (client->config.server_count, sizeof client->servers[0]);
    if (!client->servers)
        return -1;
    for (size_t i = 0; i < client->config.server_count; i++) {
        client->servers[i].endpoint = strdup (client->config.servers[i]);
        if (!client->servers[i].endpoint)
            return -1;
        flp_server_view_init (&client->servers[i].view);
    }
    client->config.servers = NULL;      /* the copies are the core's own */
    return 0;
}

static void view_step (flp_client *client, size_t index, int event, uint64_t now);

flp_client *
flp_client_new (const flp_client_config *config, const flp_client_io *io)
{
    if (!config_valid (config)) {
        errno = EINVAL;
        return NULL;
    }
    flp_client *client = calloc (1, sizeof *client);
    if (!client)
        return NULL;
    client->config = *config;
    client->io = *io;
    client->deadline = UINT64_MAX;
    client->random = config->seed ? config->seed : 0x9e3779b97f4a7c15u;
    flp_client_session_init (&client->session);
    client->tried = calloc ((size_t) config->retries + 1, sizeof client->tried[0]);
    if (!client->tried || copy_servers (client) != 0) {
        flp_client_destroy (client);
        errno = ENOMEM;
        return NULL;
    }
    /* lenient flp-client-no-ping: no pings, so every server is taken for live, in order
       (flp.client.ping-interval is a MAY); failover is by timeout alone */
    if (flp_fault_on (FLP_LENIENT_CLIENT_NO_PING))
        for (size_t i = 0; i < config->server_count; i++)
            view_step (client, i, FLP_SV_HEARD, 0);
    return client;
}

void
flp_client_destroy (flp_client *client)
{
    if (!client)
        return;
    if (client->servers)
        for (size_t i = 0; i < client->config.server_count; i++)
            free (client->servers[i].endpoint);
    free (client->servers);
    free (client->tried);
    free (client->body);
    free (client);
}

/* --- helpers ------------------------------------------------------------------------------ */

static void
client_log (flp_client *client, const char *format, ...) __attribute__ ((format (printf, 2, 3)));

static void
client_log (flp_client *client, const char *format, ...)
{
    char line[1024];
    va_list args;
    va_start (args, format);
    vsnprintf (line, sizeof line, format, args);
    va_end (args);
    if (client->io.log)
        client->io.log (client->io.arg, line);
}

/* The silence after which a server is gone, and the longest wait for one (F6, F15). */
static uint64_t
silence_ms (const flp_client *client)
{
    /* lenient flp-client-liveness-two: 2 intervals, the low end of the RFC's "usually 2-3" */
    unsigned liveness = flp_fault_on (FLP_LENIENT_CLIENT_LIVENESS_TWO) ? 2 : client->config.liveness;
    return liveness * client->config.ping_interval_ms;
}

static int
any_live (const flp_client *client)
{
    for (size_t i = 0; i < client->config.server_count; i++)
        if (client->servers[i].live)
            return 1;
    return 0;
}

/*  F14: the first live server in the order given for a first attempt;
    after that, the next live one after the server last tried, wrapping
    round (to that server itself if it is the only one live).  SIZE_MAX:
    none live (the core never sends then).  */
static size_t
next_server (const flp_client *client)
{
    size_t n = client->config.server_count;
    size_t from = client->attempts ? client->tried[client->attempts - 1] + 1 : 0;
    for (size_t k = 0; k < n; k++)
        if (client->servers[(from + k) % n].live)
            return (from + k) % n;
    return SIZE_MAX;
}

/*  The servers tried for the outstanding (or last) request, in order, as
    "tcp://a, tcp://b", cut to fit size; "none" if it was never sent.  */
static void
print_tried (const flp_client *client, char *text, size_t size)
{
    size_t at = 0;
    text[0] = 0;
    if (client->attempts == 0)
        snprintf (text, size, "none");
    for (unsigned i = 0; i < client->attempts && at < size; i++) {
        int n = snprintf (text + at, size - at, "%s%s", i ? ", " : "",
                          client->servers[client->tried[i]].endpoint);
        at += n > 0 ? (size_t) n : 0;
    }
}

/* Each server and what the client knows of it: "tcp://a live, tcp://b gone, ...". */
static void
print_servers (const flp_client *client, char *text, size_t size)
{
    size_t at = 0;
    text[0] = 0;
    for (size_t i = 0; i < client->config.server_count && at < size; i++) {
        const server_rec *s = &client->servers[i];
        const char *state = s->live ? "live" : s->heard_once ? "gone" : "never answered a ping";
        int n = snprintf (text + at, size - at, "%s%s %s", i ? ", " : "", s->endpoint, state);
        at += n > 0 ? (size_t) n : 0;
    }
}

/* xorshift64*: the lenient variant's CCFs, from the configured seed (no I/O here). */
static uint64_t
next_random (flp_client *client)
{
    uint64_t x = client->random;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    client->random = x;
    return x * 0x2545f4914f6cdd1du;
}

/*  F16: the CCF is the request's sequence number in decimal ASCII, from 1
    (flp.client.ccf-any-use: the RFC's own example).  */
static void
make_ccf (flp_client *client)
{
    if (flp_fault_on (FLP_LENIENT_CLIENT_CCF_RANDOM)) {
        /* lenient flp-client-ccf-random: 8 random octets, still one per request
           (flp.client.ccf-any-use: anything serves) */
        uint64_t r = next_random (client);
        for (size_t i = 0; i < 8; i++)
            client->ccf[i] = (uint8_t) (r >> (8 * i));
        client->ccf_size = 8;
        return;
    }
    int n = snprintf ((char *) client->ccf, sizeof client->ccf, "%" PRIu64, client->sequence);
    client->ccf_size = (size_t) n;
}

static void
deliver (flp_client *client, flp_client_outcome outcome, const flp_client_step *step)
{
    flp_client_result result = { .outcome = outcome, .sequence = client->sequence,
                                 .attempts = client->attempts, .server = -1 };
    if (outcome == FLP_CLIENT_ANSWERED) {
        result.body = step->frames + 1;
        result.body_count = step->message->body_count;
        result.server = step->server;
    }
    client->io.deliver (client->io.arg, &result);
}

/* --- the servers' views: the actions ---------------------------------------------------------- */

typedef struct {
    uint64_t now;
    size_t index;
    server_rec *server;
} view_run;

static void
do_hear (flp_client *client, const view_run *run)
{
    (void) client;
    run->server->heard = run->now;
    run->server->heard_once = 1;
}

static void
do_up (flp_client *client, const view_run *run)
{
    (void) client;
    run->server->live = 1;
}

static void
do_down (flp_client *client, const view_run *run)
{
    (void) client;
    run->server->live = 0;
}

/* flp.grammar.ping: one frame, the four octets PING. */
static void
do_ping (flp_client *client, const view_run *run)
{
    zw_flp_message m = { .command = ZW_FLP_PING };
    zw_flp_frame head;
    static const uint8_t lower[] = "ping";
    zw_flp_encode_head (&m, &head);
    /* fault flp-client-ping-lowercase breaks flp.grammar.ping: "ping" is no ping */
    if (flp_fault_on (FLP_FAULT_CLIENT_PING_LOWERCASE))
        head = (zw_flp_frame) { lower, 4 };
    client->stats.pings++;
    client->io.send (client->io.arg, run->index, &head, 1, NULL, 0);
}

static void
do_offer (flp_client *client, const view_run *run)
{
    (void) run;
    client->offered = 1;
}

static void
do_log_live (flp_client *client, const view_run *run)
{
    if (flp_fault_on (FLP_LENIENT_CLIENT_NO_PING))
        client_log (client, "server %s taken for live: no pings (lenient flp-client-no-ping) "
                    "[flp.client.ping-interval]", run->server->endpoint);
    else
        client_log (client, "server %s is live: it answered (DECISIONS F17)", run->server->endpoint);
}

static void
do_log_gone (flp_client *client, const view_run *run)
{
    uint64_t interval = client->config.ping_interval_ms;
    client_log (client, "server %s is gone: no pong or reply for %" PRIu64 " ping intervals of "
                "%" PRIu64 " ms [flp.client.server-disconnected]", run->server->endpoint,
                silence_ms (client) / interval, interval);
}

typedef void (view_fn) (flp_client *, const view_run *);

static void
do_log_lost (flp_client *client, const view_run *run)
{
    client_log (client, "server %s is gone: its connection was lost (DECISIONS F18)",
                run->server->endpoint);
}

static view_fn *const view_actions[] = {
    [FLP_SA_HEAR] = do_hear,
    [FLP_SA_UP] = do_up,
    [FLP_SA_DOWN] = do_down,
    [FLP_SA_PING] = do_ping,
    [FLP_SA_OFFER] = do_offer,
    [FLP_SA_LOG_LIVE] = do_log_live,
    [FLP_SA_LOG_GONE] = do_log_gone,
    [FLP_SA_LOG_LOST] = do_log_lost,
};

static void
view_step (flp_client *client, size_t index, int event, uint64_t now)
{
    view_run run = { now, index, &client->servers[index] };
    flp_server_action todo[FLP_SV_ACTIONS_MAX];
    size_t n = flp_server_view_step (&run.server->view, event, todo);
    for (size_t i = 0; i < n; i++)
        view_actions[todo[i]] (client, &run);
}

/* --- the request: the actions -------------------------------------------------------------- */

static void
do_keep (flp_client *client, flp_client_step *step)
{
    client->body = step->body;
    step->body = NULL;
    client->sequence++;
    client->attempts = 0;
    client->stats.requests++;
    make_ccf (client);
}

/*  flp.grammar.request: the CCF, then the body (at least one frame), to
    the live server whose turn it is (F14); the attempt's timeout starts.  */
static void
do_send (flp_client *client, flp_client_step *step)
{
    size_t to = next_server (client);
    zw_flp_frame ccf = { client->ccf, client->ccf_size };
    client->deadline = step->now + client->config.timeout_ms;
    client->searching = 0;
    client->attempt_lost = 0;
    if (to == SIZE_MAX) {
        client_log (client, "request %" PRIu64 ": no live server to send it to", client->sequence);
        return;
    }
    client->tried[client->attempts++] = to;
    client->servers[to].asked = client->sequence;
    client->stats.sent++;
    if (client->attempts > 1)
        client_log (client, "request %" PRIu64 ": attempt %u of %u, to %s (DECISIONS F14)",
                    client->sequence, client->attempts, client->config.retries + 1,
                    client->servers[to].endpoint);
    /* fault flp-client-request-no-body breaks flp.grammar.request: the CCF alone */
    size_t body_count = flp_fault_on (FLP_FAULT_CLIENT_REQUEST_NO_BODY) ? 0 : client->body->count;
    if (client->io.send (client->io.arg, to, &ccf, 1, client->body->frame, body_count) != 0)
        client_log (client, "request %" PRIu64 " could not be queued for %s (%s): its timeout "
                    "covers it", client->sequence, client->servers[to].endpoint, strerror (errno));
}

/* F15: wait for a live server, as long as one that is up takes to answer a ping (F6). */
static void
do_search (flp_client *client, flp_client_step *step)
{
    client->deadline = step->now + silence_ms (client);
    client->searching = 1;
    client_log (client, "request %" PRIu64 ": no server is live: waiting up to %" PRIu64
                " ms for one (DECISIONS F15)", client->sequence, silence_ms (client));
}

static void
do_refuse (flp_client *client, flp_client_step *step)
{
    (void) step;
    client->refused = 1;
}

static void
do_retry (flp_client *client, flp_client_step *step)
{
    (void) step;
    const char *asked = client->servers[client->tried[client->attempts - 1]].endpoint;
    client->stats.retries++;
    if (client->attempt_lost)
        client_log (client, "request %" PRIu64 ": no reply from %s, whose connection was lost "
                    "(DECISIONS F18)", client->sequence, asked);
    else
        client_log (client, "request %" PRIu64 ": no reply from %s within %" PRIu64 " ms "
                    "(DECISIONS F14)", client->sequence, asked, client->config.timeout_ms);
}

static void
do_forget (flp_client *client, flp_client_step *step)
{
    (void) step;
    free (client->body);
    client->body = NULL;
    client->deadline = UINT64_MAX;
    client->searching = 0;
}

static void
do_deliver_answer (flp_client *client, flp_client_step *step)
{
    client->stats.answered++;
    deliver (client, FLP_CLIENT_ANSWERED, step);
}

static void
do_deliver_timed_out (flp_client *client, flp_client_step *step)
{
    client->stats.timed_out++;
    deliver (client, FLP_CLIENT_TIMED_OUT, step);
}

static void
do_deliver_no_server (flp_client *client, flp_client_step *step)
{
    client->stats.no_server++;
    deliver (client, FLP_CLIENT_NO_SERVER, step);
}

static void
do_log_gave_up (flp_client *client, flp_client_step *step)
{
    (void) step;
    char tried[640];
    print_tried (client, tried, sizeof tried);
    client_log (client, "request %" PRIu64 " timed out: no reply after %u attempts of %" PRIu64
                " ms; tried %s (DECISIONS F14)", client->sequence, client->attempts,
                client->config.timeout_ms, tried);
}

static void
do_log_no_server (flp_client *client, flp_client_step *step)
{
    (void) step;
    char tried[320], servers[480];
    print_tried (client, tried, sizeof tried);
    print_servers (client, servers, sizeof servers);
    client_log (client, "request %" PRIu64 ": no server live within %" PRIu64 " ms (%s); tried "
                "%s [flp.client.server-disconnected] (DECISIONS F15)", client->sequence,
                silence_ms (client), servers, tried);
}

/* F9: a reply the client is not waiting for is discarded, and said. */
static void
do_log_stale (flp_client *client, flp_client_step *step)
{
    char got[80], want[80];
    const char *from = step->server >= 0 ? client->servers[step->server].endpoint
                                         : "an identity that is none of the servers";
    role_frame_print (&step->message->ccf, got, sizeof got);
    client->stats.discarded++;
    if (!client->body) {
        client_log (client, "reply with CCF '%s' from %s discarded: no request is outstanding "
                    "(DECISIONS F9)", got, from);
        return;
    }
    role_frame_print (&(zw_flp_frame) { client->ccf, client->ccf_size }, want, sizeof want);
    if (strcmp (got, want) == 0) {
        client_log (client, "reply with CCF '%s' from %s discarded: request %" PRIu64 " has not "
                    "gone there on its connection now (DECISIONS F17, F18)", got, from,
                    client->sequence);
        return;
    }
    client_log (client, "reply with CCF '%s' from %s discarded: request %" PRIu64 " (CCF '%s') "
                "is outstanding (DECISIONS F9)", got, from, client->sequence, want);
}

static void
do_log_invalid (flp_client *client, flp_client_step *step)
{
    const char *from = step->server >= 0 ? client->servers[step->server].endpoint
                                         : "an identity that is none of the servers";
    client->stats.invalid++;
    client_log (client, "malformed message from %s dropped: %s at frame %" PRIu64 " [%s]", from,
                zw_error_class_name (step->error->code), step->error->offset, step->error->clause);
}

typedef void (action_fn) (flp_client *, flp_client_step *);

static action_fn *const actions[] = {
    [FLP_CA_KEEP] = do_keep,
    [FLP_CA_SEND] = do_send,
    [FLP_CA_SEARCH] = do_search,
    [FLP_CA_REFUSE] = do_refuse,
    [FLP_CA_RETRY] = do_retry,
    [FLP_CA_FORGET] = do_forget,
    [FLP_CA_DELIVER_ANSWER] = do_deliver_answer,
    [FLP_CA_DELIVER_TIMED_OUT] = do_deliver_timed_out,
    [FLP_CA_DELIVER_NO_SERVER] = do_deliver_no_server,
    [FLP_CA_LOG_GAVE_UP] = do_log_gave_up,
    [FLP_CA_LOG_NO_SERVER] = do_log_no_server,
    [FLP_CA_LOG_STALE] = do_log_stale,
    [FLP_CA_LOG_INVALID] = do_log_invalid,
};

/*  Steps the request's machine and runs its actions in order.  A delivery
    is the last action of its step, and the machine is already in its next
    state when it runs: a request made from inside it steps the machine
    anew.  */
static void
client_step (flp_client *client, flp_client_step *step)
{
    flp_client_action todo[FLP_CS_ACTIONS_MAX];
    size_t n = flp_client_session_step (&client->session, step->event, todo);
    for (size_t i = 0; i < n; i++)
        actions[todo[i]] (client, step);
}

/* A server became live during this step: the request may be waiting for one (F15). */
static void
settle (flp_client *client, uint64_t now)
{
    if (!client->offered)
        return;
    client->offered = 0;
    flp_client_step step = { .now = now, .event = FLP_CS_SERVER_LIVE, .server = -1 };
    client_step (client, &step);
}

/* --- what comes in ----------------------------------------------------------------------------- */

int
flp_client_request (flp_client *client, uint64_t now, const zw_flp_frame *body, size_t body_count)
{
    if (body_count == 0) {      /* flp.grammar.request: at least one frame of body */
        errno = EINVAL;
        return -1;
    }
    flp_client_step step = { .now = now, .server = -1,
                             .event = any_live (client) ? FLP_CS_REQUEST : FLP_CS_REQUEST_NO_SERVER,
                             .body = role_frames_copy (body, body_count) };
    int result = 0;
    if (!step.body) {
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
    free (step.body);           /* what KEEP did not take */
    return result;
}

/*  1 if the outstanding request has gone to the server of that index (-1:
    none) on the connection it has now (F17, F18).  */
static int
was_asked (const flp_client *client, int server)
{
    return server >= 0 && client->servers[server].asked == client->sequence;
}

/*  F9: only a reply carrying the outstanding request's CCF answers it, and
    only from a server the request went to, the last asked or an earlier
    one answering late (F14, F17).  */
static int
reply_event (const flp_client *client, const zw_flp_message *m, int server)
{
    if (!client->body)
        return FLP_CS_STALE;
    /* fault flp-client-stale-reply: any reply is the answer (reported under
       flp.client.ccf-any-use, DECISIONS F9) */
    if (flp_fault_on (FLP_FAULT_CLIENT_STALE_REPLY))
        return FLP_CS_ANSWER;
    zw_flp_frame ccf = { client->ccf, client->ccf_size };
    return role_frame_equal (&m->ccf, &ccf) && was_asked (client, server) ? FLP_CS_ANSWER
                                                                          : FLP_CS_STALE;
}

static void
input_pong (flp_client *client, uint64_t now, int server)
{
    if (server < 0) {           /* no server of ours: nothing to make live */
        client->stats.ignored++;
        client_log (client, "PONG from an identity that is none of the servers: ignored");
        return;
    }
    client->stats.pongs++;
    view_step (client, (size_t) server, FLP_SV_HEARD, now);
}

void
flp_client_input (flp_client *client, uint64_t now, int server, const zw_flp_frame *frames,
                  size_t count)
{
    zw_flp_message m;
    zw_error e = { 0 };
    flp_client_step step = { .now = now, .server = server, .frames = frames };
    if (server >= (int) client->config.server_count)
        step.server = server = -1;
    if (!zw_flp_decode (frames, count, ZW_FLP_TO_CLIENT, &m, &e)) {
        step.error = &e;        /* F3: not a PONG, not a reply */
        step.event = FLP_CS_INVALID;
        client_step (client, &step);
        return;
    }
    if (m.command == ZW_FLP_PONG) {
        input_pong (client, now, server);
    } else {
        if (server >= 0)        /* F17: a reply shows its server alive, whatever its CCF */
            view_step (client, (size_t) server, FLP_SV_HEARD, now);
        step.message = &m;
        step.event = reply_event (client, &m, server);
        client_step (client, &step);
    }
    settle (client, now);
}

void
flp_client_connected (flp_client *client, uint64_t now, size_t server)
{
    if (server >= client->config.server_count || flp_fault_on (FLP_LENIENT_CLIENT_NO_PING))
        return;
    view_step (client, server, FLP_SV_CONNECTED, now);
}

/* 1 if the attempt under way went to that server, on the connection it has now. */
static int
attempt_waits_on (const flp_client *client, size_t server)
{
    return client->body && !client->searching && client->attempts
        && client->tried[client->attempts - 1] == server
        && client->servers[server].asked == client->sequence;
}

void
flp_client_lost (flp_client *client, uint64_t now, size_t server)
{
    /* the variants that keep a server live whatever it does: no pings, no liveness */
    if (server >= client->config.server_count || flp_fault_on (FLP_LENIENT_CLIENT_NO_PING)
        || flp_fault_on (FLP_FAULT_CLIENT_NO_LIVENESS))
        return;
    /* F18: nothing sent on the lost connection will be answered on a new one, so the
       attempt that went to it ends now: the next live server need not wait out its timeout */
    if (attempt_waits_on (client, server) && client->deadline > now) {
        client->deadline = now;
        client->attempt_lost = 1;
    }
    client->servers[server].asked = 0;
    view_step (client, server, FLP_SV_LOST, now);
}

/* --- time ----------------------------------------------------------------------------------- */

/* flp.client.ping-interval: every server, every interval, from the first tick. */
static void
tick_pings (flp_client *client, uint64_t now)
{
    if (client->started && now < client->next_ping)
        return;
    for (size_t i = 0; i < client->config.server_count; i++)
        view_step (client, i, FLP_SV_PING_DUE, now);
    client->next_ping = now + client->config.ping_interval_ms;
    client->started = 1;
}

/* flp.client.server-disconnected: liveness intervals without a word (F6). */
static void
tick_silence (flp_client *client, uint64_t now)
{
    for (size_t i = 0; i < client->config.server_count; i++) {
        server_rec *s = &client->servers[i];
        if (s->live && now >= s->heard + silence_ms (client))
            view_step (client, i, FLP_SV_SILENT, now);
    }
}

/* The event of a deadline reached: an attempt's timeout, or the end of a wait (F14, F15). */
static int
timeout_event (const flp_client *client)
{
    if (client->searching)
        return FLP_CS_NO_SERVER;
    if (client->attempts > client->config.retries)
        return FLP_CS_GIVE_UP;
    return any_live (client) ? FLP_CS_TIMEOUT : FLP_CS_TIMEOUT_NO_SERVER;
}

static uint64_t
next_deadline (const flp_client *client)
{
    uint64_t next = client->deadline;
    if (flp_fault_on (FLP_LENIENT_CLIENT_NO_PING))
        return next;
    if (client->next_ping < next)
        next = client->next_ping;
    /* fault flp-client-no-liveness: a silent server is never taken for gone */
    if (flp_fault_on (FLP_FAULT_CLIENT_NO_LIVENESS))
        return next;
    for (size_t i = 0; i < client->config.server_count; i++) {
        const server_rec *s = &client->servers[i];
        if (s->live && s->heard + silence_ms (client) < next)
            next = s->heard + silence_ms (client);
    }
    return next;
}

uint64_t
flp_client_tick (flp_client *client, uint64_t now)
{
    /* servers first: one gone at this very time gets no attempt */
    if (!flp_fault_on (FLP_LENIENT_CLIENT_NO_PING)) {
        tick_pings (client, now);
        if (!flp_fault_on (FLP_FAULT_CLIENT_NO_LIVENESS))
            tick_silence (client, now);
    }
    if (now >= client->deadline) {
        flp_client_step step = { .now = now, .server = -1, .event = timeout_event (client) };
        client_step (client, &step);
    }
    settle (client, now);
    return next_deadline (client);
}

/* --- queries --------------------------------------------------------------------------------- */

int
flp_client_server_of (const flp_client *client, const zw_flp_frame *identity)
{
    for (size_t i = 0; i < client->config.server_count; i++) {
        const char *e = client->servers[i].endpoint;
        if (identity->size == strlen (e) && memcmp (identity->data, e, identity->size) == 0)
            return (int) i;
    }
    return -1;
}

int
flp_client_busy (const flp_client *client)
{
    return flp_client_session_busy (&client->session);
}

int
flp_client_server_live (const flp_client *client, size_t server)
{
    return server < client->config.server_count && client->servers[server].live;
}

void
flp_client_get_stats (const flp_client *client, flp_client_stats *stats)
{
    *stats = client->stats;
}
