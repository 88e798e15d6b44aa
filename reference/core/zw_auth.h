/*  zw_auth.h — what a connection's handshake established about its peer,
    shared by every message that came on it (zw_msg_auth, DECISIONS S8).

    A record is made when the handshake is over and counted: the
    connection holds one reference, each message received one more, so a
    message keeps its sender's identity after the connection has gone.
    One thread owns a context and its messages (zwire.h), so the count is
    a plain integer.  */

#ifndef ZW_AUTH_H
#define ZW_AUTH_H

#include "zwire.h"
#include "zw_mechanism.h"

typedef struct zw_auth_record zw_auth_record;

/* A record of the handshake's outcome, one reference held; NULL when out of memory. */
zw_auth_record *zw_auth_record_new (const char *mechanism, const zw_mech_auth *auth);

/* One more reference (NULL is allowed): returns record. */
zw_auth_record *zw_auth_record_ref (zw_auth_record *record);

/* One reference fewer; the last frees the record.  NULL is allowed. */
void zw_auth_record_release (zw_auth_record *record);

#endif
