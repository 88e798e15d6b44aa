/*  zw_fault.c — the deliberate variants of zw_fault.h: their names, their
    kind, the clause each is about, and the one reading of the environment.  */

#include <stdlib.h>
#include <string.h>
#include "zw_fault.h"
#include "zmtp_tolerate.h"

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
};

/* The codec tolerance each lenient variant asks for (zw_fault_tolerances). */
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
};

unsigned long zw_fault_mask;

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
            zw_fault_mask |= 1ul << f;
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
