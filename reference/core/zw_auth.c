/*  zw_auth.c — the shared record of a connection's authentication
    (zw_auth.h), and zw_msg_auth.  */

#include <stdlib.h>
#include <string.h>
#include "zw_auth.h"
#include "z85.h"

struct zw_auth_record {
    unsigned refs;
    zw_auth auth;                   /* what zw_msg_auth shows */
    uint8_t user_id[255];
};

/* 32/Z85 of a CURVE key (DECISIONS S9): 32 octets are 40 characters. */
static void
key_to_z85 (const uint8_t key[32], char text[41])
{
    size_t n = zw_z85_encode (text, 41, key, 32);
    text[n == 40 ? 40 : 0] = 0;
}

zw_auth_record *
zw_auth_record_new (const char *mechanism, const zw_mech_auth *auth)
{
    zw_auth_record *record = calloc (1, sizeof *record);
    if (!record)
        return NULL;
    record->refs = 1;
    memcpy (record->user_id, auth->user_id, auth->user_id_size);
    record->auth = (zw_auth) {
        .mechanism = mechanism,
        .user_id = record->user_id,
        .user_id_size = auth->user_id_size,
        .zap_checked = auth->zap_checked,
        .has_public_key = auth->has_public_key,
    };
    if (auth->has_public_key) {
        memcpy (record->auth.public_key, auth->public_key, 32);
        key_to_z85 (auth->public_key, record->auth.public_key_z85);
    }
    return record;
}

zw_auth_record *
zw_auth_record_ref (zw_auth_record *record)
{
    if (record)
        record->refs++;
    return record;
}

void
zw_auth_record_release (zw_auth_record *record)
{
    if (record && --record->refs == 0)
        free (record);
}

const zw_auth *
zw_msg_auth (const zw_msg *msg)
{
    return msg && msg->auth ? &msg->auth->auth : NULL;
}
