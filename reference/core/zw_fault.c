/*  zw_fault.c — the deliberate variants of zw_fault.h: their names, their
    kind, the clause each is about, and the one reading of the environment.  */

#include <stdlib.h>
#include <string.h>
#include "zw_fault.h"
#include "zmtp_tolerate.h"
#include "zw_curvezmq.h"

enum { FAULT, LENIENT };

static const char *const environment[] = { [FAULT] = "ZWIRE_FAULT", [LENIENT] = "ZWIRE_LENIENT" };

/*  Read by make mutation: name, kind, and the clause a fault breaks or a
    lenient variant stays within.  */
static const struct {
    const char *name;
    int kind;
    const char *clause;
} faults[ZW_FAULT_COUNT] = {
    [ZW_FAULT_BAD_SIGNATURE]          = { "bad-signature", FAULT, "zmtp31.greeting.signature" },
    [ZW_FAULT_WRONG_MAJOR]            = { "wrong-major", FAULT, "zmtp31.greeting.version-major" },
    [ZW_FAULT_MECHANISM_LOWERCASE]    = { "mechanism-lowercase", FAULT, "zmtp31.greeting.mechanism-name" },
    [ZW_FAULT_AS_SERVER_ONE]          = { "as-server-one", FAULT, "zmtp31.null.as-server-zero" },
    [ZW_FAULT_FILLER_NONZERO]         = { "filler-nonzero", FAULT, "zmtp31.greeting.filler" },
    [ZW_FAULT_READY_NO_SOCKET_TYPE]   = { "ready-no-socket-type", FAULT, "zmtp31.metadata.socket-type" },
    [ZW_FAULT_SOCKET_TYPE_LOWERCASE]  = { "socket-type-lowercase", FAULT, "zmtp31.socket-type.values" },
    [ZW_FAULT_ACCEPT_ANY_SOCKET_TYPE] = { "accept-any-socket-type", FAULT, "zmtp31.socket-type.check" },
    [ZW_FAULT_NO_ERROR_BEFORE_CLOSE]  = { "no-error-before-close", FAULT, "zmtp31.socket-type.error-then-close" },
    [ZW_FAULT_PONG_NO_CONTEXT]        = { "pong-no-context", FAULT, "zmtp31.heartbeat.pong-reply" },
    [ZW_FAULT_NO_PONG]                = { "no-pong", FAULT, "zmtp31.heartbeat.pong-reply" },
    [ZW_FAULT_LONG_FLAG_SHORT_SIZE]   = { "long-flag-short-size", FAULT, "zmtp31.frame.long-size" },
    [ZW_FAULT_MORE_ON_LAST_FRAME]     = { "more-on-last-frame", FAULT, "zmtp31.frame.message-atomic" },
    [ZW_FAULT_COMMAND_WITH_MORE]      = { "command-with-more", FAULT, "zmtp31.frame.command-no-more" },
    [ZW_FAULT_ACCEPT_OTHER_MECHANISM] = { "accept-other-mechanism", FAULT, "zmtp31.greeting.mechanism-match" },
    [ZW_FAULT_IGNORE_CANCEL]          = { "ignore-cancel", FAULT, "zmtp31.pubsub.cancel-command" },
    [ZW_FAULT_PUB_NO_FILTER]          = { "pub-no-filter", FAULT, "zmtp31.pubsub.publisher-filters" },
    [ZW_FAULT_REQ_NO_DELIMITER]       = { "req-no-delimiter", FAULT, "zmtp31.socket.reqrep-semantics" },
    /* routing by an announced Identity is 28/REQREP's, which 37/ZMTP says to follow (SHOULD) */
    [ZW_FAULT_ROUTER_NO_IDENTITY]     = { "router-no-identity", FAULT,
                                          "zmtp31.socket.reqrep-semantics" },
    /* our MESSAGE short nonce does not advance: every MESSAGE of a
       connection carries the same one ("different for every command";
       curve.client.nonce-increment alike), zw_curvezmq_message_encode */
    [ZW_FAULT_CURVE_NONCE_REUSE]      = { "curve-nonce-reuse", FAULT,
                                          "curve.server.nonce-increment" },
    /* a MESSAGE whose short nonce is not above the last is taken: a replay
       gets in (CVE-2014-7203; curve.*.check-nonce, curve.client.* alike),
       zw_curvezmq_message_decode */
    [ZW_FAULT_CURVE_NONCE_UNCHECKED]  = { "curve-nonce-unchecked", FAULT,
                                          "curve.server.reject-nonce-reuse" },
    /* the vouch must open, but what it holds (C' and S) is never compared
       with this connection's, open_vouch */
    [ZW_FAULT_CURVE_VOUCH_UNCHECKED]  = { "curve-vouch-unchecked", FAULT,
                                          "curve.server.check-initiate" },
    /* the server keeps s' itself and never opens the cookie: a tampered or
       another connection's cookie is taken, zw_curvezmq_server_open_initiate */
    [ZW_FAULT_CURVE_COOKIE_UNCHECKED] = { "curve-cookie-unchecked", FAULT,
                                          "curve.server.check-initiate" },
    /* the HELLO padding is not checked ("validate all fields ... the zero
       padding"): the codec reads past it (ZW_ZMTP_TOLERATE_CURVE_PADDING) */
    [ZW_FAULT_CURVE_PADDING_UNCHECKED] = { "curve-padding-unchecked", FAULT,
                                           "curve.server.check-hello" },
    /* a server never asks its ZAP handler, as if it had none: a key or a
       user the policy refuses gets in, zw_conn.c on_zap_request */
    [ZW_FAULT_ZAP_SKIPPED]            = { "zap-skipped", FAULT, "curve.server.auth-fail-close" },
    /* a CURVE client that refuses WELCOME or READY says so with ERROR */
    [ZW_FAULT_CURVE_CLIENT_ERROR]     = { "curve-client-error", FAULT, "curve.client.no-error" },
    /* bit 2 set in the payload flags of every MESSAGE we send */
    [ZW_FAULT_CURVE_MESSAGE_RESERVED_FLAG] = { "curve-message-reserved-flag", FAULT,
                                               "curve.message.flags-reserved" },
    /* a PLAIN server sends READY with WELCOME, before the client's
       INITIATE (C:initiate ( S:ready | S:error ) in the grammar) */
    [ZW_FAULT_PLAIN_READY_BEFORE_INITIATE] = { "plain-ready-before-initiate", FAULT,
                                               "plain.handshake.order" },
    /* a PLAIN client sends INITIATE with HELLO, before the server's WELCOME */
    [ZW_FAULT_PLAIN_INITIATE_BEFORE_WELCOME] = { "plain-initiate-before-welcome", FAULT,
                                                 "plain.handshake.order" },
    /* "commands first" binds the sender: a message before READY may be ignored */
    [ZW_LENIENT_MESSAGE_BEFORE_READY] = { "message-before-ready", LENIENT,
                                          "zmtp31.handshake.commands-first" },
    /* ERROR is fatal only during the mechanism handshake */
    [ZW_LENIENT_ERROR_AFTER_READY_IGNORED] = { "error-after-ready-ignored", LENIENT,
                                               "zmtp31.error.fatal" },
    /* closing on a READY that does not validate is a MAY */
    [ZW_LENIENT_READY_TWICE_IGNORED] = { "ready-twice-ignored", LENIENT,
                                         "zmtp31.null.close-on-invalid" },
    /* the Identity rules bind the sender: a ROUTER may route by any */
    [ZW_LENIENT_ANY_IDENTITY] = { "any-identity", LENIENT, "zmtp31.identity.no-leading-zero" },
    /* "MUST be zero" binds the sender and names no receiver action: the
       reserved bits of a frame are read as if clear */
    [ZW_LENIENT_RESERVED_FLAGS_IGNORED] = { "reserved-flags-ignored", LENIENT,
                                            "zmtp31.frame.flags-reserved" },
    /* "SHALL be zero on command frames" binds the sender: MORE on a command
       is read as absent */
    [ZW_LENIENT_COMMAND_MORE_IGNORED] = { "command-more-ignored", LENIENT,
                                          "zmtp31.frame.command-no-more" },
    /* the name grammar binds the sender, and RFC 37 gives an unknown
       command no meaning: any name is read, and an unknown one ignored,
       in the handshake too */
    [ZW_LENIENT_ANY_COMMAND_NAME] = { "any-command-name", LENIENT, "zmtp31.command.name" },
    /* "the as-server field MUST be zero" with NULL binds the sender; NULL's
       roles come from who binds, so a 1 is read as nothing */
    [ZW_LENIENT_NULL_AS_SERVER_ONE] = { "null-as-server-one", LENIENT,
                                        "zmtp31.null.as-server-zero" },
    /* "SHOULD parse, and MAY validate" READY: malformed names and sizes are
       read past, a cut last property dropped (the Socket-Type is still
       checked: zmtp31.socket-type.check is a SHOULD of its own) */
    [ZW_LENIENT_READY_UNVALIDATED] = { "ready-unvalidated", LENIENT,
                                       "zmtp31.null.ready-validate" },
    /* a PING context over 16 octets breaks the sender's rule; the PONG
       "MUST not exceed 16 octets", so it echoes the first 16 */
    [ZW_LENIENT_LONG_PING_CONTEXT] = { "long-ping-context", LENIENT, "zmtp31.command.pong" },
    /* major 0 after a signature is read as an older peer, 2.0, and
       answered in 2.0: a step down, never 3.x (downgrade-or-close) */
    [ZW_LENIENT_MAJOR_ZERO_DOWNGRADE] = { "major-zero-downgrade", LENIENT,
                                          "zmtp31.version.downgrade" },
    /* every CURVE MESSAGE in a command frame: the stricter reading of "message
       data SHALL be encoded as commands", which zwire leaves for libzmq's
       data frames (DECISIONS S11) */
    [ZW_LENIENT_CURVE_COMMAND_FRAME_MESSAGE] = { "curve-command-frame-message", LENIENT,
                                                 "zmtp31.wire.encrypted-commands" },
    /* a HELLO whose box does not open is refused with a close alone: "reject
       and disconnect" names no ERROR (curve.server.error-optional) */
    [ZW_LENIENT_CURVE_NO_ERROR_BAD_HELLO] = { "curve-no-error-bad-hello", LENIENT,
                                              "curve.server.reject-bad-hello" },
    /* on a ZAP 400 the CURVE server closes without ERROR: "the server SHALL
       not respond except by closing the connection" (DECISIONS S4 follows
       the ERROR section instead) */
    [ZW_LENIENT_CURVE_AUTH_FAIL_CLOSE] = { "curve-auth-fail-close", LENIENT,
                                           "curve.server.auth-fail-close" },
    /* on a ZAP 400 the PLAIN server closes without ERROR: 24/ZMTP-PLAIN
       "If it accepts it, it replies with a WELCOME command ... Otherwise, it
       closes the connection" (the grammar's S:error is the other way) */
    [ZW_LENIENT_PLAIN_REFUSE_CLOSE] = { "plain-refuse-close", LENIENT, "plain.handshake.order" },
    /* our short nonces go up by 2: "an incrementing integer, and unique to
       each command" asks no step of one (curve.server.nonce-increment alike) */
    [ZW_LENIENT_CURVE_NONCE_STEP_TWO] = { "curve-nonce-step-two", LENIENT,
                                          "curve.client.nonce-increment" },
};

/* The codec tolerance each variant asks for (zw_fault_tolerances). */
static const struct {
    zw_fault variant;
    unsigned tolerances;
} tolerances[] = {
    { ZW_LENIENT_RESERVED_FLAGS_IGNORED, ZW_ZMTP_TOLERATE_RESERVED_FLAGS },
    { ZW_LENIENT_COMMAND_MORE_IGNORED, ZW_ZMTP_TOLERATE_COMMAND_MORE },
    { ZW_LENIENT_ANY_COMMAND_NAME, ZW_ZMTP_TOLERATE_COMMAND_NAME },
    { ZW_LENIENT_NULL_AS_SERVER_ONE, ZW_ZMTP_TOLERATE_AS_SERVER },
    { ZW_LENIENT_READY_UNVALIDATED, ZW_ZMTP_TOLERATE_METADATA },
    { ZW_LENIENT_LONG_PING_CONTEXT, ZW_ZMTP_TOLERATE_LONG_CONTEXT },
    { ZW_LENIENT_MAJOR_ZERO_DOWNGRADE, ZW_ZMTP_TOLERATE_MAJOR_ZERO },
    { ZW_FAULT_CURVE_PADDING_UNCHECKED, ZW_ZMTP_TOLERATE_CURVE_PADDING },
};

/* The CurveZMQ departure each variant asks for (zw_fault_curvezmq). */
static const struct {
    zw_fault variant;
    unsigned departures;
} curvezmq[] = {
    { ZW_FAULT_CURVE_NONCE_REUSE, ZW_CURVEZMQ_DEPART_NONCE_STILL },
    { ZW_FAULT_CURVE_NONCE_UNCHECKED, ZW_CURVEZMQ_DEPART_NONCE_UNCHECKED },
    { ZW_FAULT_CURVE_VOUCH_UNCHECKED, ZW_CURVEZMQ_DEPART_VOUCH_UNCHECKED },
    { ZW_FAULT_CURVE_COOKIE_UNCHECKED, ZW_CURVEZMQ_DEPART_COOKIE_UNCHECKED },
    { ZW_FAULT_CURVE_MESSAGE_RESERVED_FLAG, ZW_CURVEZMQ_DEPART_RESERVED_FLAG },
    { ZW_LENIENT_CURVE_NONCE_STEP_TWO, ZW_CURVEZMQ_DEPART_NONCE_STEP_TWO },
};

unsigned long long zw_fault_mask;
_Static_assert (ZW_FAULT_COUNT <= 8 * sizeof zw_fault_mask, "a bit of zw_fault_mask per variant");

/* 1 if name stands in the comma-separated list. */
static int
listed (const char *list, const char *name)
{
    size_t n = strlen (name);
    for (const char *at = strstr (list, name); at; at = strstr (at + 1, name))
        if ((at == list || at[-1] == ',') && (at[n] == 0 || at[n] == ','))
            return 1;
    return 0;
}

/* Unknown names, and names of the other kind, are ignored. */
void
zw_fault_init (void)
{
    zw_fault_mask = 0;
    for (int f = 0; f < ZW_FAULT_COUNT; f++) {
        const char *list = getenv (environment[faults[f].kind]);
        if (list && listed (list, faults[f].name))
            zw_fault_mask |= 1ull << f;
    }
}

unsigned
zw_fault_tolerances (void)
{
    unsigned asked = 0;
    for (size_t i = 0; i < sizeof tolerances / sizeof tolerances[0]; i++)
        if (zw_fault_on (tolerances[i].variant))
            asked |= tolerances[i].tolerances;
    return asked;
}

unsigned
zw_fault_curvezmq (void)
{
    unsigned asked = 0;
    for (size_t i = 0; i < sizeof curvezmq / sizeof curvezmq[0]; i++)
        if (zw_fault_on (curvezmq[i].variant))
            asked |= curvezmq[i].departures;
    return asked;
}
