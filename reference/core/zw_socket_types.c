/*  zw_socket_types.c — socket type names and the table of legal pairs.

    The names are those of the Socket-Type property (zmtp31.socket-type.values);
    the numbers are the 2.0 greeting's socket-type octet
    (zmtp20.greeting.socket-type).  The pairs are the compatibility table
    of 23/ZMTP and 37/ZMTP (zmtp31.socket-type.check) and of 15/ZMTP
    (zmtp20.socket.type-check), the same for the eleven types here.  */

#include <strings.h>
#include "zw_engine.h"

static const char *const names[] = {
    "PAIR", "PUB", "SUB", "REQ", "REP", "DEALER", "ROUTER", "PULL", "PUSH", "XPUB", "XSUB"
};

#define TYPE_COUNT (int) (sizeof names / sizeof names[0])

const char *
zw_socket_type_name (zw_socket_type type)
{
    return (int) type >= 0 && (int) type < TYPE_COUNT ? names[type] : NULL;
}

int
zw_socket_type_parse (const char *name)
{
    for (int type = 0; type < TYPE_COUNT; type++)
        if (strcasecmp (name, names[type]) == 0)
            return type;
    return -1;
}

#define BIT(type) (1u << (type))

/* For each type, the set of types it may talk to. */
static const unsigned partners[] = {
    [ZW_PAIR] = BIT (ZW_PAIR),
    [ZW_PUB] = BIT (ZW_SUB) | BIT (ZW_XSUB),
    [ZW_SUB] = BIT (ZW_PUB) | BIT (ZW_XPUB),
    [ZW_REQ] = BIT (ZW_REP) | BIT (ZW_ROUTER),
    [ZW_REP] = BIT (ZW_REQ) | BIT (ZW_DEALER),
    [ZW_DEALER] = BIT (ZW_REP) | BIT (ZW_DEALER) | BIT (ZW_ROUTER),
    [ZW_ROUTER] = BIT (ZW_REQ) | BIT (ZW_DEALER) | BIT (ZW_ROUTER),
    [ZW_PULL] = BIT (ZW_PUSH),
    [ZW_PUSH] = BIT (ZW_PULL),
    [ZW_XPUB] = BIT (ZW_SUB) | BIT (ZW_XSUB),
    [ZW_XSUB] = BIT (ZW_PUB) | BIT (ZW_XPUB),
};

int
zw_socket_types_compatible (int local, int peer)
{
    if (local < 0 || local >= TYPE_COUNT || peer < 0 || peer >= TYPE_COUNT)
        return 0;
    return (partners[local] & BIT (peer)) != 0;
}
