/*  mdp_fault.c — the deliberate faults of mdp_fault.h: their names, their
    kind, the clause each breaks, and the one reading of the environment.  */

#include "mdp_fault.h"
#include "role_fault.h"

enum { FAULT = ROLE_FAULT, LENIENT = ROLE_LENIENT };
enum { BROKER, WORKER, CLIENT };

/*  Read by make mutation: name, kind, the clause a fault breaks or a
    lenient variant stays within, and the role it is a variant of (the
    suite that must catch it, or never accuse it).  */
static const role_fault faults[MDP_FAULT_COUNT] = {
    [MDP_FAULT_MMI_CHECKS_IDENTITY] = { "mdp-mmi-checks-identity", FAULT, "mmi.namespace.worker-disconnect", BROKER },
    [MDP_FAULT_MMI_ALWAYS_FOUND] = { "mdp-mmi-always-found", FAULT, "mmi.service.not-found", BROKER },
    [MDP_FAULT_MMI_FORWARDED] = { "mdp-mmi-forwarded", FAULT, "mmi.namespace.not-implemented", BROKER },
    /* no MUST binds where a 0.1 REPLY goes (DECISIONS M24); over 0.2 the stray FINAL is judged */
    [MDP_FAULT_REPLY_TO_LAST_CLIENT] = { "mdp-reply-to-last-client", FAULT, "mdp02.broker.silent-after-final",
                                         BROKER },
    /* lenient: the choice of worker is the broker's (a MAY): told apart, never accused */
    [MDP_LENIENT_MOST_RECENTLY_USED] = { "mdp-most-recently-used", LENIENT,
                                         "mdp01.broker.worker-selection", BROKER },
    [MDP_FAULT_NO_EXPIRY] = { "mdp-no-expiry", FAULT, "mdp01.heartbeat.broker-expires-worker", BROKER },
    [MDP_FAULT_BUSY_NO_HEARTBEAT] = { "mdp-busy-no-heartbeat", FAULT, "mdp01.heartbeat.broker-sends", BROKER },
    [MDP_FAULT_NO_HEARTBEAT] = { "mdp-no-heartbeat", FAULT, "mdp02.heartbeat.broker-sends", BROKER },
    [MDP_FAULT_UNEXPECTED_IGNORED] = { "mdp-unexpected-ignored", FAULT, "mdp01.broker.unexpected-disconnect", BROKER },
    [MDP_FAULT_ANSWER_DISCONNECT] = { "mdp-answer-disconnect", FAULT, "mdp01.disconnect.broker-silent-after", BROKER },
    [MDP_FAULT_HEARTBEAT_AFTER_DISCONNECT] = { "mdp-heartbeat-after-disconnect", FAULT,
                                               "mdp01.broker.silent-after-unexpected", BROKER },
    [MDP_FAULT_REPLY_NO_EMPTY_FRAME] = { "mdp-reply-no-empty-frame", FAULT, "mdp01.grammar.client-reply", BROKER },
    [MDP_FAULT_HEARTBEAT_EXTRA_FRAME] = { "mdp-heartbeat-extra-frame", FAULT, "mdp01.grammar.heartbeat", BROKER },
    [MDP_FAULT_REQUEST_TWO_ADDRESSES] = { "mdp-request-two-addresses", FAULT, "mdp01.request.one-address", BROKER },
    [MDP_FAULT_REPLY_EMPTY_SERVICE] = { "mdp-reply-empty-service", FAULT, "mdp01.grammar.service-name", BROKER },
    [MDP_FAULT_FINAL_TWICE] = { "mdp-final-twice", FAULT, "mdp02.broker.silent-after-final", BROKER },
    /* a SHOULD: the suite must tell it apart, never FAIL it */
    [MDP_FAULT_DROP_UNKNOWN_SERVICE] = { "mdp-drop-unknown-service", FAULT,
                                         "mdp01.broker.queue-unknown-service", BROKER },
    /* lenient: resending a lost worker's request is zwire's choice (DECISIONS M8), no rule's */
    [MDP_LENIENT_NO_REQUEUE] = { "mdp-no-requeue", LENIENT, "mdp01.heartbeat.broker-expires-worker",
                                 BROKER },
    [MDP_FAULT_WORKER_NO_HEARTBEAT] = { "mdp-worker-no-heartbeat", FAULT, "mdp02.heartbeat.worker-sends", WORKER },
    [MDP_FAULT_WORKER_READY_TWICE] = { "mdp-worker-ready-twice", FAULT, "mdp02.worker.single-ready", WORKER },
    [MDP_FAULT_WORKER_NO_RECONNECT] = { "mdp-worker-no-reconnect", FAULT, "mdp02.disconnect.worker-reconnect",
                                        WORKER },
    [MDP_FAULT_WORKER_WRONG_ADDRESS] = { "mdp-worker-wrong-address", FAULT, "mdp02.request.one-address", WORKER },
    [MDP_FAULT_WORKER_NO_DELIMITER] = { "mdp-worker-no-delimiter", FAULT, "mdp02.request.empty-after-address",
                                        WORKER },
    /* lenient: the delay before reconnecting is zwire's (DECISIONS M14), no rule's */
    [MDP_LENIENT_WORKER_RECONNECT_AT_ONCE] = { "mdp-worker-reconnect-at-once", LENIENT,
                                               "mdp02.disconnect.worker-reconnect", WORKER },
    [MDP_FAULT_CLIENT_NO_EMPTY_FRAME] = { "mdp-client-no-empty-frame", FAULT, "mdp01.client.dealer-empty-frame",
                                          CLIENT },
    [MDP_FAULT_CLIENT_WRONG_CODE] = { "mdp-client-wrong-code", FAULT, "mdp02.grammar.client-request", CLIENT },
    [MDP_FAULT_CLIENT_PARTIAL_ENDS] = { "mdp-client-partial-ends", FAULT, "mdp02.client.handle-partials", CLIENT },
    /* lenient: how a client recovers is its own (a MAY) */
    [MDP_LENIENT_CLIENT_NO_RETRY] = { "mdp-client-no-retry", LENIENT, "mdp02.client.recovery", CLIENT },
};

int
mdp_fault_on (mdp_fault_id fault)
{
    static int read;
    static unsigned char on[MDP_FAULT_COUNT];
    if (!read) {
        role_fault_read (faults, MDP_FAULT_COUNT, on);
        read = 1;
    }
    return fault < MDP_FAULT_COUNT && on[fault];
}
