/*  test_mdp_broker.c — the broker's I/O-free core, driven with a fake
    clock: every message it sends is captured and decoded with the codec,
    so each check reads like the exchange on the wire.  Clause IDs name
    what each test shows.  */

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "mdp_broker.h"
#include "role_frames.h"
#include "test_check.h"
#include "test_mdp.h"

#define SENT_MAX 256

typedef struct {
    char to[32];
    role_frames *frames;         /* head and body, as sent */
} sent_message;

static sent_message sent[SENT_MAX];
static size_t sent_count;
static int log_lines;
static char last_log[512];

static void
capture_send (void *arg, const zw_mdp_frame *identity, const zw_mdp_frame *head, size_t head_count,
              const zw_mdp_frame *body, size_t body_count)
{
    (void) arg;
    zw_mdp_frame all[64];
    size_t n = joined (all, 64, head, head_count, body, body_count);
    if (sent_count == SENT_MAX)
        abort ();
    sent_message *s = &sent[sent_count++];
    snprintf (s->to, sizeof s->to, "%.*s", (int) identity->size, (const char *) identity->data);
    s->frames = role_frames_copy (all, n);
}

static void
capture_log (void *arg, const char *line)
{
    (void) arg;
    log_lines++;
    snprintf (last_log, sizeof last_log, "%s", line);
}

static void
clear_sent (void)
{
    for (size_t i = 0; i < sent_count; i++)
        free (sent[i].frames);
    sent_count = 0;
}

static mdp_broker *
broker_new (void)
{
    mdp_broker_config config;
    mdp_broker_config_default (&config);
    config.heartbeat_ms = 100;
    config.liveness = 3;
    config.request_expiry_ms = 1000;
    config.queue_limit = 4;
    mdp_broker_io io = { capture_send, capture_log, NULL };
    clear_sent ();
    log_lines = 0;
    return mdp_broker_new (&config, &io);
}

/* Feeds one message from peer `from`: frames are strings, NULL-terminated. */
static void
feed (mdp_broker *b, uint64_t now, const char *from, ...)
{
    zw_mdp_frame frames[32];
    va_list args;
    va_start (args, from);
    size_t n = frames_of (frames, 32, args);
    va_end (args);
    zw_mdp_frame identity = text (from);
    mdp_broker_input (b, now, &identity, frames, n);
}

/* The i-th message sent since the last clear, decoded; NULL if none was. */
static const zw_mdp_message *
sent_to (size_t i, const char *to)
{
    static zw_mdp_message m;
    zw_error e = { 0 };
    if (i >= sent_count || strcmp (sent[i].to, to) != 0)
        return NULL;
    if (!zw_mdp_decode (sent[i].frames->frame, sent[i].frames->count, ZW_MDP_ACCEPT_ALL, &m, &e))
        return NULL;
    return &m;
}

static int
body_is (size_t i, const zw_mdp_message *m, const char *text)
{
    return m && m->body_count >= 1 && frame_is (&sent[i].frames->frame[m->body], text);
}

/* mdp01.grammar.*: a 0.1 request goes to a 0.1 worker and its REPLY back. */
static void
test_round_trip_01 (void)
{
    mdp_broker *b = broker_new ();
    feed (b, 0, "W1", "", "MDPW01", "\x01", "echo", NULL);
    CHECK (sent_count == 0);
    feed (b, 1, "C1", "", "MDPC01", "echo", "hello", NULL);
    const zw_mdp_message *m = sent_to (0, "W1");
    CHECK (m && m->command == ZW_MDP_REQUEST && m->version == ZW_MDP_V01);
    CHECK (m && frame_is (&m->address, "C1") && body_is (0, m, "hello"));
    feed (b, 2, "W1", "", "MDPW01", "\x03", "C1", "", "HELLO", NULL);
    m = sent_to (1, "C1");
    CHECK (m && m->version == ZW_MDP_V01 && m->subprotocol == ZW_MDP_CLIENT);
    CHECK (m && frame_is (&m->service, "echo") && body_is (1, m, "HELLO"));
    mdp_broker_destroy (b);
}

/* M2-1, M2-7: a 0.2 worker's PARTIALs reach a 0.2 client; a 0.1 client gets the FINAL only. */
static void
test_partials_and_translation (void)
{
    mdp_broker *b = broker_new ();
    feed (b, 0, "W2", "MDPW02", "\x01", "echo", NULL);
    feed (b, 1, "C2", "MDPC02", "\x01", "echo", "x", NULL);
    CHECK (sent_to (0, "W2") != NULL);
    feed (b, 2, "W2", "MDPW02", "\x03", "C2", "", "part", NULL);
    feed (b, 3, "W2", "MDPW02", "\x04", "C2", "", "end", NULL);
    const zw_mdp_message *m = sent_to (1, "C2");
    CHECK (m && m->command == ZW_MDP_PARTIAL && body_is (1, m, "part"));
    m = sent_to (2, "C2");
    CHECK (m && m->command == ZW_MDP_FINAL && body_is (2, m, "end"));
    clear_sent ();
    feed (b, 4, "C1", "", "MDPC01", "echo", "y", NULL);
    feed (b, 5, "W2", "MDPW02", "\x03", "C1", "", "part", NULL);
    feed (b, 6, "W2", "MDPW02", "\x04", "C1", "", "end", NULL);
    CHECK (sent_count == 2);
    m = sent_to (1, "C1");
    CHECK (m && m->version == ZW_MDP_V01 && body_is (1, m, "end"));
    mdp_broker_destroy (b);
}

/* mdp01.broker.worker-selection (M17): the least recently used free worker goes next. */
static void
test_least_recently_used (void)
{
    mdp_broker *b = broker_new ();
    feed (b, 0, "WA", "", "MDPW01", "\x01", "s", NULL);
    feed (b, 0, "WB", "", "MDPW01", "\x01", "s", NULL);
    feed (b, 1, "C", "", "MDPC01", "s", "1", NULL);
    CHECK (sent_to (0, "WA") != NULL);
    feed (b, 2, "WA", "", "MDPW01", "\x03", "C", "", "r", NULL);
    feed (b, 3, "C", "", "MDPC01", "s", "2", NULL);
    CHECK (sent_to (2, "WB") != NULL);
    mdp_broker_destroy (b);
}

/* mdp01.heartbeat.broker-sends, -expires-worker; mmi.service.found / not-found. */
static void
test_heartbeat_and_expiry (void)
{
    mdp_broker *b = broker_new ();
    feed (b, 0, "W", "MDPW02", "\x01", "s", NULL);
    uint64_t next = mdp_broker_tick (b, 0);
    CHECK (next == 100);
    mdp_broker_tick (b, 100);
    const zw_mdp_message *m = sent_to (0, "W");
    CHECK (m && m->command == ZW_MDP_HEARTBEAT);
    feed (b, 150, "C", "MDPC02", "\x01", "mmi.service", "s", NULL);
    CHECK (body_is (1, sent_to (1, "C"), "200"));
    clear_sent ();
    mdp_broker_tick (b, 300);       /* 300 ms of silence: liveness 3 x 100 */
    feed (b, 301, "C", "MDPC02", "\x01", "mmi.service", "s", NULL);
    CHECK (body_is (0, sent_to (0, "C"), "404"));
    CHECK (strstr (last_log, "") != NULL);
    mdp_broker_destroy (b);
}

/* mmi.namespace.not-implemented; mmi.namespace.worker-disconnect (M5). */
static void
test_mmi (void)
{
    mdp_broker *b = broker_new ();
    feed (b, 0, "C", "", "MDPC01", "mmi.nothing", "x", NULL);
    const zw_mdp_message *m = sent_to (0, "C");
    CHECK (m && frame_is (&m->service, "mmi.nothing") && body_is (0, m, "501"));
    feed (b, 1, "C", "", "MDPC01", "mmi.service", "mmi.service", NULL);
    CHECK (body_is (1, sent_to (1, "C"), "404"));
    feed (b, 2, "W", "", "MDPW01", "\x01", "mmi.mine", NULL);
    m = sent_to (2, "W");
    CHECK (m && m->command == ZW_MDP_DISCONNECT);
    CHECK (strstr (last_log, "mmi.namespace.worker-disconnect") != NULL);
    /* and then nothing more to it (mdp01.broker.silent-after-unexpected) */
    feed (b, 3, "W", "", "MDPW01", "\x04", NULL);
    CHECK (sent_count == 3);
    mdp_broker_destroy (b);
}

/* mdp01.broker.unexpected-disconnect (M6): HEARTBEAT before READY; a stray REPLY. */
static void
test_unexpected (void)
{
    mdp_broker *b = broker_new ();
    feed (b, 0, "W", "", "MDPW01", "\x04", NULL);
    const zw_mdp_message *m = sent_to (0, "W");
    CHECK (m && m->command == ZW_MDP_DISCONNECT);
    clear_sent ();
    feed (b, 0, "WA", "MDPW02", "\x01", "s", NULL);
    feed (b, 0, "WB", "MDPW02", "\x01", "s", NULL);
    feed (b, 1, "C", "MDPC02", "\x01", "s", "q", NULL);
    CHECK (sent_to (0, "WA") != NULL);
    /* M2-11: a FINAL naming another client: DISCONNECT, and the request goes to WB (M8) */
    feed (b, 2, "WA", "MDPW02", "\x04", "X", "", "forged", NULL);
    m = sent_to (1, "WA");
    CHECK (m && m->command == ZW_MDP_DISCONNECT);
    m = sent_to (2, "WB");
    CHECK (m && m->command == ZW_MDP_REQUEST && body_is (2, m, "q"));
    CHECK (sent_count == 3);    /* nothing reached X, nor C */
    mdp_broker_destroy (b);
}

/* mdp01.disconnect.broker-silent-after: nothing to a worker after its DISCONNECT. */
static void
test_worker_disconnect (void)
{
    mdp_broker *b = broker_new ();
    feed (b, 0, "W", "", "MDPW01", "\x01", "s", NULL);
    feed (b, 1, "W", "", "MDPW01", "\x05", NULL);
    feed (b, 2, "W", "", "MDPW01", "\x04", NULL);
    mdp_broker_tick (b, 250);
    CHECK (sent_count == 0);
    mdp_broker_destroy (b);
}

/* M1: a request for a service no worker has waits, then is dropped; or served if one comes. */
static void
test_unknown_service (void)
{
    mdp_broker *b = broker_new ();
    feed (b, 0, "C", "", "MDPC01", "later", "1", NULL);
    CHECK (mdp_broker_tick (b, 10) == 1000);
    feed (b, 500, "W", "", "MDPW01", "\x01", "later", NULL);
    CHECK (sent_to (0, "W") != NULL);
    feed (b, 550, "W", "", "MDPW01", "\x03", "C", "", "done", NULL);
    clear_sent ();
    feed (b, 600, "C", "", "MDPC01", "never", "2", NULL);
    mdp_broker_tick (b, 1600);
    mdp_broker_stats stats;
    mdp_broker_get_stats (b, &stats);
    CHECK (stats.dropped == 1 && stats.queued == 0);
    CHECK (strstr (last_log, "mdp01.broker.expire-unknown-service") != NULL);
    mdp_broker_destroy (b);
}

/* M15: a full queue drops; the broker stays bounded. */
static void
test_queue_limit (void)
{
    mdp_broker *b = broker_new ();
    for (int i = 0; i < 6; i++)
        feed (b, 0, "C", "", "MDPC01", "busy", "x", NULL);
    mdp_broker_stats stats;
    mdp_broker_get_stats (b, &stats);
    CHECK (stats.queued == 4 && stats.dropped == 2);
    mdp_broker_destroy (b);
}

/* mdp01.broker.drop-invalid, mdp01.broker.invalid-peer (M7). */
static void
test_invalid (void)
{
    mdp_broker *b = broker_new ();
    feed (b, 0, "C", "", "MDPC01", "", "x", NULL);         /* empty service */
    feed (b, 0, "C", "junk", NULL);
    CHECK (sent_count == 0);
    feed (b, 1, "W", "", "MDPW01", "\x01", "s", NULL);
    feed (b, 2, "W", "", "MDPW01", "\x04", "extra", NULL);
    const zw_mdp_message *m = sent_to (0, "W");
    CHECK (m && m->command == ZW_MDP_DISCONNECT);
    mdp_broker_stats stats;
    mdp_broker_get_stats (b, &stats);
    CHECK (stats.invalid == 3 && stats.workers == 0);
    mdp_broker_destroy (b);
}

/* M8: a busy worker that expires gives its request to another. */
static void
test_busy_expiry_requeues (void)
{
    mdp_broker *b = broker_new ();
    feed (b, 0, "WA", "", "MDPW01", "\x01", "s", NULL);
    feed (b, 0, "C", "", "MDPC01", "s", "job", NULL);
    feed (b, 250, "WB", "", "MDPW01", "\x01", "s", NULL);
    clear_sent ();
    mdp_broker_tick (b, 300);
    int requeued = 0;
    for (size_t i = 0; i < sent_count; i++) {
        const zw_mdp_message *m = sent_to (i, "WB");
        requeued += m && m->command == ZW_MDP_REQUEST && body_is (i, m, "job");
    }
    CHECK (requeued == 1);
    mdp_broker_destroy (b);
}

/* M16: an orderly stop sends DISCONNECT to every registered worker. */
static void
test_shutdown (void)
{
    mdp_broker *b = broker_new ();
    feed (b, 0, "WA", "", "MDPW01", "\x01", "s", NULL);
    feed (b, 0, "WB", "MDPW02", "\x01", "t", NULL);
    mdp_broker_shutdown (b, 1);
    CHECK (sent_count == 2);
    mdp_broker_stats stats;
    mdp_broker_get_stats (b, &stats);
    CHECK (stats.workers == 0 && stats.records == 0 && stats.services == 0);
    mdp_broker_destroy (b);
}

int
main (void)
{
    test_round_trip_01 ();
    test_partials_and_translation ();
    test_least_recently_used ();
    test_heartbeat_and_expiry ();
    test_mmi ();
    test_unexpected ();
    test_worker_disconnect ();
    test_unknown_service ();
    test_queue_limit ();
    test_invalid ();
    test_busy_expiry_requeues ();
    test_shutdown ();
    clear_sent ();
    printf ("test-mdp-broker: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
