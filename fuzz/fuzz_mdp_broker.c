/*  fuzz_mdp_broker.c — fuzz harness (libFuzzer, AFL++) of the Majordomo
    broker's I/O-free core (reference/mdp/mdp_broker.h) over a fake clock.
    The input is a script: each step's first octet picks a peer (8 clients
    and workers share 8 identities) and what it does (a well-formed command
    of either version built from the next octets, a raw frame list, or the
    clock moving on).  Beyond sanitizers and leaks, the oracles:

      1. every message the broker sends decodes (zw_mdp_decode), and is of
         a sub-protocol its receiver has spoken (one identity may play both);
      2. no client gets more final answers (0.1 REPLY, 0.2 FINAL) than it
         sent requests: no request is answered twice, and no answer goes
         to a client that did not ask (DECISIONS M2-11);
      3. the queues stay within their bounds (M15);
      4. the next deadline the core returns is never in the past.  */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz_frame_list.h"
#include "mdp_broker.h"

#define PEERS 8
#define FRAMES_MAX 32
#define QUEUE_LIMIT 8
#define TOTAL_LIMIT 20

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

typedef struct {
    uint64_t requests, finals;
    unsigned spoke;                 /* the sub-protocols it has sent well-formed messages of */
} peer;

static peer peers[PEERS];
static const char *const names[PEERS] = { "P0", "P1", "P2", "P3", "P4", "P5", "P6", "P7" };
static mdp_broker *broker;

static void
fail (const char *what)
{
    fprintf (stderr, "zwire fuzz oracle FAILED: mdp broker: %s\n", what);
    abort ();
}

static void
on_send (void *arg, const zw_mdp_frame *identity, const zw_mdp_frame *head, size_t head_count,
         const zw_mdp_frame *body, size_t body_count)
{
    (void) arg;
    zw_mdp_frame all[ZW_MDP_HEAD_MAX + FRAMES_MAX];
    size_t n = 0;
    if (head_count > ZW_MDP_HEAD_MAX || body_count > FRAMES_MAX || identity->size != 2)
        fail ("a message of more frames than any input had, or to an unknown peer");
    for (size_t i = 0; i < head_count; i++)
        all[n++] = head[i];
    for (size_t i = 0; i < body_count; i++)
        all[n++] = body[i];
    zw_mdp_message m;
    zw_error e = { 0 };
    if (!zw_mdp_decode (all, n, ZW_MDP_ACCEPT_ALL, &m, &e))
        fail ("the broker sent a message that does not decode");
    peer *p = &peers[identity->data[1] - '0'];
    if (!(p->spoke & m.subprotocol))
        fail ("a message of a sub-protocol the receiver never spoke");
    int final = m.subprotocol == ZW_MDP_CLIENT && m.command != ZW_MDP_PARTIAL;
    if (final && ++p->finals > p->requests)
        fail ("a client got more final answers than it sent requests");
}

static void
on_log (void *arg, const char *line)
{
    (void) arg, (void) line;
}

/* A well-formed message of kind k (0..9) from the script's octets. */
static size_t
compose (uint8_t kind, const uint8_t *data, size_t size, size_t *at, zw_mdp_frame *frames)
{
    static const char *const services[] = { "echo", "mmi.service", "mmi.x", "other" };
    uint8_t arg = *at < size ? data[(*at)++] : 0;
    const char *service = services[arg & 3];
    zw_mdp_frame svc = { (const uint8_t *) service, strlen (service) };
    zw_mdp_frame address = { (const uint8_t *) names[(arg >> 2) & 7], 2 };
    zw_mdp_frame body = { data + *at, *at < size ? 1 : 0 };
    *at += body.size;
    zw_mdp_message m = { .version = kind & 1 ? ZW_MDP_V02 : ZW_MDP_V01, .service = svc,
                         .address = address };
    switch (kind >> 1) {
    case 0: m.subprotocol = ZW_MDP_CLIENT; m.command = m.version == ZW_MDP_V02 ? ZW_MDP_REQUEST : ZW_MDP_NONE; break;
    case 1: m.subprotocol = ZW_MDP_WORKER; m.command = ZW_MDP_READY; break;
    case 2: m.subprotocol = ZW_MDP_WORKER; m.command = m.version == ZW_MDP_V02 ? ZW_MDP_FINAL : ZW_MDP_REPLY; break;
    case 3: m.subprotocol = ZW_MDP_WORKER; m.command = arg & 0x80 ? ZW_MDP_DISCONNECT : ZW_MDP_HEARTBEAT; break;
    default: m.subprotocol = ZW_MDP_WORKER; m.command = m.version == ZW_MDP_V02 ? ZW_MDP_PARTIAL : ZW_MDP_REQUEST; break;
    }
    size_t n = zw_mdp_encode_head (&m, frames);
    if (n && zw_mdp_has_body (&m))
        frames[n++] = body;
    return n;
}

static void
step (uint64_t *now, const uint8_t *data, size_t size, size_t *at)
{
    uint8_t op = data[(*at)++];
    peer *p = &peers[op & 7];
    zw_mdp_frame identity = { (const uint8_t *) names[op & 7], 2 };
    zw_mdp_frame frames[FRAMES_MAX];
    size_t n;
    switch (op >> 3) {
    case 0: case 1:     /* the clock moves on */
        *now += (uint64_t) (op >> 3 ? 97 : 13) * (1 + (*at < size ? data[(*at)++] % 8 : 0));
        return;
    case 2: case 3: {   /* a raw frame list, the rest of this step's length */
        size_t len = *at < size ? data[(*at)++] : 0, used;
        if (len > size - *at)
            len = size - *at;
        n = zw_fuzz_frame_list (data + *at, len, frames, FRAMES_MAX, &used);
        *at += used;
        break;
    }
    default:
        n = compose ((uint8_t) ((op >> 3) % 10), data, size, at, frames);
        break;
    }
    zw_mdp_message m;
    zw_error e = { 0 };
    if (zw_mdp_decode (frames, n, ZW_MDP_ACCEPT_ALL, &m, &e)) {
        p->spoke |= m.subprotocol;
        p->requests += m.subprotocol == ZW_MDP_CLIENT && m.command != ZW_MDP_PARTIAL
                       && m.command != ZW_MDP_FINAL;
    }
    mdp_broker_input (broker, *now, &identity, frames, n);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    mdp_broker_config config;
    mdp_broker_config_default (&config);
    config.heartbeat_ms = 100;
    config.liveness = 3;
    config.request_expiry_ms = 500;
    config.queue_limit = QUEUE_LIMIT;
    config.total_limit = TOTAL_LIMIT;
    mdp_broker_io io = { on_send, on_log, NULL };
    memset (peers, 0, sizeof peers);
    broker = mdp_broker_new (&config, &io);
    uint64_t now = 1000;
    size_t at = 0;
    while (at < size) {
        step (&now, data, size, &at);
        uint64_t next = mdp_broker_tick (broker, now);
        mdp_broker_stats stats;
        mdp_broker_get_stats (broker, &stats);
        /*  New requests stop at the bound (M15); a request a lost worker
            gives back goes first in line again over it (M8: what the broker
            took is not dropped for the bound), at most one per worker.  */
        if (stats.queued > TOTAL_LIMIT + PEERS)
            fail ("more requests queued than the bound");
        if (next < now)
            fail ("a deadline in the past");
    }
    mdp_broker_shutdown (broker, now);
    mdp_broker_destroy (broker);
    return 0;
}
