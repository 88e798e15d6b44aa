/*  zw_fault.c — the deliberate faults of zw_fault.h: their names, what each
    breaks, and the one reading of ZWIRE_FAULT.  */

#include <stdlib.h>
#include <string.h>
#include "zw_fault.h"

static const struct {
    const char *name;
    const char *breaks;             /* the clause the fault breaks (read by make mutation) */
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

unsigned long zw_fault_mask;

/* Unknown names are ignored. */
void
zw_fault_init (void)
{
    const char *list = getenv ("ZWIRE_FAULT");
    zw_fault_mask = 0;
    for (int f = 0; list && f < ZW_FAULT_COUNT; f++) {
        size_t n = strlen (faults[f].name);
        for (const char *at = strstr (list, faults[f].name); at; at = strstr (at + 1, faults[f].name))
            if ((at == list || at[-1] == ',') && (at[n] == 0 || at[n] == ','))
                zw_fault_mask |= 1ul << f;
    }
}
