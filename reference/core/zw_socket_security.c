/*  zw_socket_security.c — a socket's security options (zwire.h,
    "Security"): which mechanism its connections speak, in which role,
    with which credentials, and the domain of its ZAP requests.

    The mechanism and the role are the socket's configuration and nothing
    else (DECISIONS S1): the last mechanism option set chooses them, for
    the connections made afterwards; each connection's engine gets them
    through zw_socket_mechanism.  */

#include <errno.h>
#include <string.h>
#include <sodium.h>
#include "zw_curvezmq.h"
#include "zw_socket_internal.h"

/* plain.hello.vchar: what PLAIN's grammar lets a user name and a password hold */
static int
vchar_only (const uint8_t *text, size_t size)
{
    for (size_t i = 0; i < size; i++)
        if (text[i] < 0x21 || text[i] > 0x7E)
            return 0;
    return 1;
}

/* 27/ZAP: "All string fields are at most 255 characters and are ASCII only" */
static int
ascii_only (const uint8_t *text, size_t size)
{
    for (size_t i = 0; i < size; i++)
        if (text[i] > 0x7F)
            return 0;
    return 1;
}

int
zw_security_set_int (zw_security_options *security, zw_option option, int64_t value)
{
    if ((value != 0 && value != 1)
    ||  (option != ZW_OPT_PLAIN_SERVER && option != ZW_OPT_CURVE_SERVER))
        return -1;
    zw_zmtp_mechanism chosen = option == ZW_OPT_PLAIN_SERVER ? ZW_MECHANISM_PLAIN
                                                             : ZW_MECHANISM_CURVE;
    security->mechanism = value ? chosen : ZW_MECHANISM_NULL;
    security->as_server = (int) value;
    return 0;
}

/*  DECISIONS S9: a key is 40 Z85 characters or 32 octets.  A secret key
    brings its public key with it (26/CurveZMQ keys are Curve25519 pairs),
    so that a server needs one option only.  */
static int
set_key (zw_security_options *security, zw_option option, const uint8_t *value, size_t size)
{
    uint8_t key[ZW_CURVE_KEY_SIZE];
    zw_error error = { 0 };
    if (size == ZW_CURVE_KEY_SIZE)
        memcpy (key, value, size);
    else if (size != ZW_CURVEZMQ_Z85_KEY_SIZE
         ||  zw_curvezmq_key_from_z85 (key, (const char *) value, size, &error))
        return -1;
    zw_curve_settings *curve = &security->curve;
    if (option == ZW_OPT_CURVE_PUBLICKEY)
        memcpy (curve->public_key, key, sizeof key);
    else if (option == ZW_OPT_CURVE_SERVERKEY) {
        memcpy (curve->server_key, key, sizeof key);
        security->mechanism = ZW_MECHANISM_CURVE;       /* 26/CurveZMQ: a client knows S */
        security->as_server = 0;
    }
    else {
        zw_curvezmq_keypair pair;
        if (zw_curvezmq_keypair_from_secret (&pair, key))
            return -1;
        memcpy (curve->secret_key, pair.secret_key, sizeof key);
        memcpy (curve->public_key, pair.public_key, sizeof key);
        curve->has_secret_key = 1;
        sodium_memzero (&pair, sizeof pair);
    }
    sodium_memzero (key, sizeof key);
    return 0;
}

int
zw_security_set_bytes (zw_security_options *security, zw_option option, const uint8_t *value,
                       size_t size)
{
    zw_plain_settings *plain = &security->plain;
    switch (option) {
    case ZW_OPT_PLAIN_USERNAME:
    case ZW_OPT_PLAIN_PASSWORD:
        if (size > 255 || !vchar_only (value, size))
            return -1;
        if (option == ZW_OPT_PLAIN_USERNAME) {
            memcpy (plain->username, value, size);
            plain->username_size = (uint8_t) size;
        }
        else {
            memcpy (plain->password, value, size);
            plain->password_size = (uint8_t) size;
        }
        security->mechanism = ZW_MECHANISM_PLAIN;
        security->as_server = 0;
        return 0;
    case ZW_OPT_CURVE_PUBLICKEY:
    case ZW_OPT_CURVE_SECRETKEY:
    case ZW_OPT_CURVE_SERVERKEY:
        return set_key (security, option, value, size);
    case ZW_OPT_ZAP_DOMAIN:
        if (size == 0 || size > 255 || !ascii_only (value, size))  /* zap.request.domain */
            return -1;
        memcpy (security->zap_domain, value, size);
        security->zap_domain_size = size;
        return 0;
    default:
        return -1;
    }
}

zw_mechanism_config
zw_socket_mechanism (const zw_socket *socket)
{
    const zw_security_options *security = &socket->options.security;
    switch (security->mechanism) {
    case ZW_MECHANISM_PLAIN:
        return (zw_mechanism_config) { &zw_mech_plain, security->as_server, &security->plain };
    case ZW_MECHANISM_CURVE:
        return (zw_mechanism_config) { &zw_mech_curve, security->as_server, &security->curve };
    default:
        return (zw_mechanism_config) { &zw_mech_null, 0, NULL };
    }
}
