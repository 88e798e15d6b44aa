/*  zmtp_greeting_pack.c — encoders for the 1.0, 2.0 and 3.x greetings and
    for the compatible signature a detecting peer sends first.  */

#include <string.h>
#include "zmtp_greeting.h"

static void
put_be64 (uint8_t *buf, uint64_t value)
{
    for (int i = 0; i < 8; i++)
        buf[i] = (uint8_t) (value >> (56 - 8 * i));
}

/* zmtp31.greeting.mechanism-name: 1..20 of A-Z 0-9 - _ . + */
static int
mechanism_valid (const char *name)
{
    size_t size = strlen (name);
    if (size == 0 || size > ZW_ZMTP_MECHANISM_SIZE)
        return 0;
    for (size_t i = 0; i < size; i++) {
        char c = name[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
           || c == '-' || c == '_' || c == '.' || c == '+'))
            return 0;
    }
    return 1;
}

size_t
zw_zmtp_greeting_pack_v3 (uint8_t *buf, size_t cap, uint8_t major, uint8_t minor,
                          const char *mechanism, uint8_t as_server, const uint8_t *padding)
{
    if (cap < ZW_ZMTP_GREETING_SIZE || !mechanism_valid (mechanism) || as_server > 1 || major < 3)
        return 0;
    memset (buf, 0, ZW_ZMTP_GREETING_SIZE);     /* padding, NUL padding, filler */
    buf[0] = 0xFF;                              /* zmtp31.greeting.signature */
    if (padding)
        memcpy (buf + 1, padding, 8);
    buf[9] = 0x7F;
    buf[10] = major;
    buf[11] = minor;
    memcpy (buf + 12, mechanism, strlen (mechanism));
    buf[32] = as_server;                        /* zmtp31.greeting.as-server */
    return ZW_ZMTP_GREETING_SIZE;
}

size_t
zw_zmtp_greeting_pack_v2 (uint8_t *buf, size_t cap, uint8_t revision, uint8_t socket_type,
                          const uint8_t *identity, size_t identity_size)
{
    size_t need = 14 + identity_size;
    if (identity_size > ZW_ZMTP_IDENTITY_MAX || cap < need || revision < 1 || revision > 2
    ||  socket_type > 10)
        return 0;
    memset (buf, 0, 10);
    buf[0] = 0xFF;
    buf[9] = 0x7F;
    buf[10] = revision;                 /* zmtp20.greeting.revision */
    buf[11] = socket_type;              /* zmtp20.greeting.socket-type */
    buf[12] = 0x00;                     /* zmtp20.greeting.identity: final short */
    buf[13] = (uint8_t) identity_size;
    if (identity_size)
        memcpy (buf + 14, identity, identity_size);
    return need;
}

size_t
zw_zmtp_greeting_pack_v1 (uint8_t *buf, size_t cap, const uint8_t *identity, size_t identity_size)
{
    uint64_t length = identity_size + 1;    /* zmtp10.frame.long-length: counts the flags */
    size_t header = length <= 254 ? 2 : 10;
    if (identity_size > ZW_ZMTP_IDENTITY_MAX || cap < header + identity_size)
        return 0;
    if (header == 2)
        buf[0] = (uint8_t) length;
    else {
        buf[0] = 0xFF;
        put_be64 (buf + 1, length);
    }
    buf[header - 1] = 0x00;             /* zmtp10.greeting.identity-flags */
    if (identity_size)
        memcpy (buf + header, identity, identity_size);
    return header + identity_size;
}

size_t
zw_zmtp_signature_pack_compat (uint8_t *buf, size_t cap, size_t identity_size)
{
    if (cap < 10)
        return 0;
    buf[0] = 0xFF;
    put_be64 (buf + 1, (uint64_t) identity_size + 1);   /* zmtp31.compat.pseudo-length */
    buf[9] = 0x7F;
    return 10;
}
