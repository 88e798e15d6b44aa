/*  zw_fault.c — the deliberate faults of zw_fault.h: their names, what each
    breaks, and the one reading of ZWIRE_FAULT.  */

#include <stdlib.h>
#include <string.h>
#include "zw_fault.h"

static const struct {
    const char *name;
    const char *breaks;             /* the clause the fault breaks */
} faults[ZW_FAULT_COUNT] = {
    [ZW_FAULT_BAD_SIGNATURE]          = { "bad-signature", "zmtp31.greeting.signature" },
    [ZW_FAULT_WRONG_MAJOR]            = { "wrong-major", "zmtp31.greeting.version-major" },
    [ZW_FAULT_MECHANISM_LOWERCASE]    = { "mechanism-lowercase", "zmtp31.greeting.mechanism-name" },
    [ZW_FAULT_AS_SERVER_ONE]          = { "as-server-one", "zmtp31.null.as-server-zero" },
    [ZW_FAULT_FILLER_NONZERO]         = { "filler-nonzero", "zmtp31.greeting.filler" },
    [ZW_FAULT_READY_NO_SOCKET_TYPE]   = { "ready-no-socket-type", "zmtp31.metadata.socket-type" },
    [ZW_FAULT_SOCKET_TYPE_LOWERCASE]  = { "socket-type-lowercase", "zmtp31.socket-type.values" },
    [ZW_FAULT_ACCEPT_ANY_SOCKET_TYPE] = { "accept-any-socket-type", "zmtp31.socket-type.check" },
    [ZW_FAULT_NO_ERROR_BEFORE_CLOSE]  = { "no-error-before-close", "zmtp31.socket-type.error-then-close" },
    [ZW_FAULT_PONG_NO_CONTEXT]        = { "pong-no-context", "zmtp31.heartbeat.pong-reply" },
    [ZW_FAULT_NO_PONG]                = { "no-pong", "zmtp31.heartbeat.pong-reply" },
    [ZW_FAULT_LONG_FLAG_SHORT_SIZE]   = { "long-flag-short-size", "zmtp31.frame.long-size" },
    [ZW_FAULT_MORE_ON_LAST_FRAME]     = { "more-on-last-frame", "zmtp31.frame.message-atomic" },
    [ZW_FAULT_COMMAND_WITH_MORE]      = { "command-with-more", "zmtp31.frame.command-no-more" },
    [ZW_FAULT_ACCEPT_OTHER_MECHANISM] = { "accept-other-mechanism", "zmtp31.greeting.mechanism-match" },
    [ZW_FAULT_IGNORE_CANCEL]          = { "ignore-cancel", "zmtp31.pubsub.cancel-command" },
    [ZW_FAULT_PUB_NO_FILTER]          = { "pub-no-filter", "zmtp31.pubsub.publisher-filters" },
    [ZW_FAULT_REQ_NO_DELIMITER]       = { "req-no-delimiter", "zmtp31.socket.reqrep-semantics" },
    [ZW_FAULT_ROUTER_NO_IDENTITY]     = { "router-no-identity", "zmtp31.identity.router-addressing" },
    [ZW_FAULT_MESSAGE_BEFORE_READY_ACCEPTED] = { "message-before-ready", "zmtp31.handshake.commands-first" },
};

static unsigned long active;
static int parsed;

/* ZWIRE_FAULT is a comma-separated list of names; unknown names are ignored. */
static void
parse_environment (void)
{
    const char *list = getenv ("ZWIRE_FAULT");
    parsed = 1;
    for (int f = 0; list && f < ZW_FAULT_COUNT; f++) {
        size_t n = strlen (faults[f].name);
        for (const char *at = strstr (list, faults[f].name); at; at = strstr (at + 1, faults[f].name))
            if ((at == list || at[-1] == ',') && (at[n] == 0 || at[n] == ','))
                active |= 1ul << f;
    }
}

int
zw_fault_on (zw_fault fault)
{
    if (!parsed)
        parse_environment ();
    return (active >> fault) & 1;
}

const char *
zw_fault_name (int fault)
{
    return fault >= 0 && fault < ZW_FAULT_COUNT ? faults[fault].name : NULL;
}

const char *
zw_fault_clause (int fault)
{
    return fault >= 0 && fault < ZW_FAULT_COUNT ? faults[fault].breaks : NULL;
}
