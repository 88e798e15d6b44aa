/*  zw_error.c — recording errors (first wins) and naming their classes.
    The names are the taxonomy of vectors/FORMAT.md.  */

#include "zw_error.h"

int
zw_error_set (zw_error *error, zw_errcode code, uint64_t offset,
              const char *clause, const char *reason)
{
    if (error->code != ZW_OK)
        return 0;
    error->code = code;
    error->offset = offset;
    error->clause = clause;
    error->reason = reason;
    return 1;
}

const char *
zw_error_class_name (zw_errcode code)
{
    switch (code) {
        case ZW_OK:                          return "ok";
        case ZW_ERR_MALFORMED_GREETING:      return "malformed-greeting";
        case ZW_ERR_UNSUPPORTED_VERSION:     return "unsupported-version";
        case ZW_ERR_INVALID_MECHANISM:       return "invalid-mechanism";
        case ZW_ERR_MECHANISM_MISMATCH:      return "mechanism-mismatch";
        case ZW_ERR_INVALID_FLAGS:           return "invalid-flags";
        case ZW_ERR_INVALID_SIZE:            return "invalid-size";
        case ZW_ERR_MALFORMED_COMMAND:       return "malformed-command";
        case ZW_ERR_INVALID_METADATA:        return "invalid-metadata";
        case ZW_ERR_INVALID_Z85:             return "invalid-z85";
        case ZW_ERR_MDP_INVALID_HEADER:      return "mdp-invalid-header";
        case ZW_ERR_MDP_INVALID_COMMAND:     return "mdp-invalid-command";
        case ZW_ERR_MDP_INVALID_SERVICE:     return "mdp-invalid-service";
        case ZW_ERR_MDP_INVALID_DELIMITER:   return "mdp-invalid-delimiter";
        case ZW_ERR_MDP_MISSING_FRAME:       return "mdp-missing-frame";
        case ZW_ERR_MDP_EXTRA_FRAME:         return "mdp-extra-frame";
        case ZW_ERR_FLP_MISSING_FRAME:       return "flp-missing-frame";
        case ZW_ERR_LIMIT_EXCEEDED:          return "limit-exceeded";
        case ZW_ERR_ZAP_INVALID_DELIMITER:   return "zap-invalid-delimiter";
        case ZW_ERR_ZAP_BAD_VERSION:         return "zap-bad-version";
        case ZW_ERR_ZAP_MISSING_FRAME:       return "zap-missing-frame";
        case ZW_ERR_ZAP_EXTRA_FRAME:         return "zap-extra-frame";
        case ZW_ERR_ZAP_INVALID_DOMAIN:      return "zap-invalid-domain";
        case ZW_ERR_ZAP_INVALID_ADDRESS:     return "zap-invalid-address";
        case ZW_ERR_ZAP_INVALID_IDENTITY:    return "zap-invalid-identity";
        case ZW_ERR_ZAP_INVALID_MECHANISM:   return "zap-invalid-mechanism";
        case ZW_ERR_ZAP_INVALID_CREDENTIALS: return "zap-invalid-credentials";
        case ZW_ERR_ZAP_INVALID_STATUS_CODE: return "zap-invalid-status-code";
        case ZW_ERR_ZAP_INVALID_TEXT:        return "zap-invalid-text";
        case ZW_ERR_ZAP_INVALID_USER_ID:     return "zap-invalid-user-id";
        case ZW_ERR_ZAP_INVALID_METADATA:    return "zap-invalid-metadata";
        case ZW_ERR_UNEXPECTED_COMMAND:      return "unexpected-command";
        case ZW_ERR_INVALID_SEQUENCE:        return "invalid-sequence";
        case ZW_ERR_CRYPTOGRAPHIC:           return "cryptographic";
        case ZW_ERR_INVALID_SOCKET_TYPE:     return "invalid-socket-type";
        case ZW_ERR_ZAP_BAD_REQUEST_ID:      return "zap-bad-request-id";
        case ZW_ERR_MISUSE:                  return "misuse";
    }
    return "unknown";
}
