/*  flp_fault.c — the deliberate variants of flp_fault.h: their names, their
    kind, the clause each breaks or stays within, and the role whose suite
    must catch it (or never accuse it).  */

#include "flp_fault.h"
#include "role_fault.h"

enum { FAULT = ROLE_FAULT, LENIENT = ROLE_LENIENT };
enum { SERVER, CLIENT };

/* Read by make mutation: name, kind, clause, role. */
static const role_fault faults[FLP_FAULT_COUNT] = {
    [FLP_FAULT_SERVER_NO_PONG] = { "flp-server-no-pong", FAULT, "flp.server.pong", SERVER },
    [FLP_FAULT_SERVER_PONG_EXTRA_FRAME] = { "flp-server-pong-extra-frame", FAULT, "flp.grammar.pong", SERVER },
    [FLP_FAULT_SERVER_CCF_CHANGED] = { "flp-server-ccf-changed", FAULT, "flp.server.reply-ccf", SERVER },
    [FLP_FAULT_SERVER_REPLY_NO_BODY] = { "flp-server-reply-no-body", FAULT, "flp.grammar.reply", SERVER },
    [FLP_FAULT_SERVER_WRONG_IDENTITY] = { "flp-server-wrong-identity", FAULT, "flp.server.identity", SERVER },
    [FLP_FAULT_SERVER_DEALER] = { "flp-server-dealer", FAULT, "flp.peer.router", SERVER },
    /* lenient: one reply per request is zwire's choice; a second breaks no keyword (F7) */
    [FLP_LENIENT_SERVER_REPLY_TWICE] = { "flp-server-reply-twice", LENIENT, "flp.server.reply-ccf", SERVER },
    /* lenient: what a server does with a malformed message is its own (F5) */
    [FLP_LENIENT_SERVER_PONG_ANY_ONE_FRAME] = { "flp-server-pong-any-one-frame", LENIENT, "flp.server.pong",
                                                SERVER },
    /* no keyword binds the client to its CCF: the MAY is the RFC's only word on it, so a
       stale reply handed over is reported (INFO), never a FAIL (DECISIONS F9) */
    [FLP_FAULT_CLIENT_STALE_REPLY] = { "flp-client-stale-reply", FAULT, "flp.client.ccf-any-use", CLIENT },
    [FLP_FAULT_CLIENT_IDENTITY] = { "flp-client-identity", FAULT, "flp.client.no-identity", CLIENT },
    [FLP_FAULT_CLIENT_DEALER] = { "flp-client-dealer", FAULT, "flp.peer.router", CLIENT },
    [FLP_FAULT_CLIENT_PING_LOWERCASE] = { "flp-client-ping-lowercase", FAULT, "flp.grammar.ping", CLIENT },
    [FLP_FAULT_CLIENT_REQUEST_NO_BODY] = { "flp-client-request-no-body", FAULT, "flp.grammar.request", CLIENT },
    /* a SHOULD: caught by PASS-NONSTRICT, never a FAIL */
    [FLP_FAULT_CLIENT_NO_LIVENESS] = { "flp-client-no-liveness", FAULT, "flp.client.server-disconnected",
                                       CLIENT },
    [FLP_LENIENT_CLIENT_NO_PING] = { "flp-client-no-ping", LENIENT, "flp.client.ping-interval", CLIENT },
    [FLP_LENIENT_CLIENT_LIVENESS_TWO] = { "flp-client-liveness-two", LENIENT, "flp.client.server-disconnected",
                                          CLIENT },
    [FLP_LENIENT_CLIENT_CCF_RANDOM] = { "flp-client-ccf-random", LENIENT, "flp.client.ccf-any-use", CLIENT },
};

int
flp_fault_on (flp_fault_id fault)
{
    static int read;
    static unsigned char on[FLP_FAULT_COUNT];
    if (!read) {
        role_fault_read (faults, FLP_FAULT_COUNT, on);
        read = 1;
    }
    return fault < FLP_FAULT_COUNT && on[fault];
}
