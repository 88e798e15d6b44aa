/*  zw_error.h — the one error value every zwire codec and session reports.

    An error is a class from one fixed taxonomy (modelled on libzmq's
    ZMQ_PROTOCOL_ERROR_* list), the absolute byte offset at which it was
    found, the clause ID of spec/ it enforces, and a static reason for logs.
    The first error recorded wins and stays until the context is reset: a
    codec stops consuming input as soon as it has one.

    The class names (zw_error_class_name) are the strings used by the golden
    vectors (vectors/FORMAT.md); the suite keys on them, never on reasons.  */

#ifndef ZW_ERROR_H
#define ZW_ERROR_H

#include <stdint.h>

typedef enum {
    ZW_OK = 0,
    /* grammar: the octets do not follow the wire grammar */
    ZW_ERR_MALFORMED_GREETING = 1,
    ZW_ERR_UNSUPPORTED_VERSION = 2,
    ZW_ERR_INVALID_MECHANISM = 3,
    ZW_ERR_MECHANISM_MISMATCH = 4,
    ZW_ERR_INVALID_FLAGS = 5,
    ZW_ERR_INVALID_SIZE = 6,
    ZW_ERR_MALFORMED_COMMAND = 7,
    ZW_ERR_INVALID_METADATA = 8,
    ZW_ERR_INVALID_Z85 = 9,
    /* Majordomo messages (frame lists; the offset is a frame index) */
    ZW_ERR_MDP_INVALID_HEADER = 10,
    ZW_ERR_MDP_INVALID_COMMAND = 11,
    ZW_ERR_MDP_INVALID_SERVICE = 12,
    ZW_ERR_MDP_INVALID_DELIMITER = 13,
    ZW_ERR_MDP_MISSING_FRAME = 14,
    ZW_ERR_MDP_EXTRA_FRAME = 15,
    /* Freelance messages (frame lists) */
    ZW_ERR_FLP_MISSING_FRAME = 16,
    /* limit: well-formed, but above a configured or absolute bound */
    ZW_ERR_LIMIT_EXCEEDED = 20,
    /* ZAP messages (frame lists, grammar like the two above; the offset is a frame index) */
    ZW_ERR_ZAP_INVALID_DELIMITER = 21,
    ZW_ERR_ZAP_BAD_VERSION = 22,
    ZW_ERR_ZAP_MISSING_FRAME = 23,
    ZW_ERR_ZAP_EXTRA_FRAME = 24,
    ZW_ERR_ZAP_INVALID_DOMAIN = 25,
    ZW_ERR_ZAP_INVALID_ADDRESS = 26,
    ZW_ERR_ZAP_INVALID_IDENTITY = 27,
    ZW_ERR_ZAP_INVALID_MECHANISM = 28,
    ZW_ERR_ZAP_INVALID_CREDENTIALS = 29,
    ZW_ERR_ZAP_INVALID_STATUS_CODE = 30,
    ZW_ERR_ZAP_INVALID_TEXT = 31,
    ZW_ERR_ZAP_INVALID_USER_ID = 32,
    ZW_ERR_ZAP_INVALID_METADATA = 33,
    /* protocol: well-formed, but wrong in the session's state */
    ZW_ERR_UNEXPECTED_COMMAND = 40,
    ZW_ERR_INVALID_SEQUENCE = 41,
    ZW_ERR_CRYPTOGRAPHIC = 42,
    ZW_ERR_INVALID_SOCKET_TYPE = 43,
    ZW_ERR_ZAP_BAD_REQUEST_ID = 45,   /* a ZAP reply to another request: only its server can tell */
    /* misuse: the caller broke an API contract (too small a buffer, ...) */
    ZW_ERR_MISUSE = 60
} zw_errcode;

typedef struct {
    zw_errcode code;        /* ZW_OK while no error has been recorded */
    uint64_t offset;        /* absolute offset of the offending octet */
    const char *clause;     /* spec/ clause ID, static string, or NULL */
    const char *reason;     /* static text for logs */
} zw_error;

/*  Records an error unless one is already recorded (first error wins).
    Returns 1 if this call recorded it.  */
int zw_error_set (zw_error *error, zw_errcode code, uint64_t offset,
                  const char *clause, const char *reason);

/*  The taxonomy name of a code ("malformed-greeting", ...); "ok" for ZW_OK
    and "unknown" for a value outside the enum.  */
const char *zw_error_class_name (zw_errcode code);

#endif
