/*  fuzz_greeting.c — fuzz harness (libFuzzer, AFL++) of the ZMTP greeting
    decoder, codec/zmtp_greeting.rl, judged by the oracles of fuzz_oracle.h.

    The decoder enforces the staged detection of zmtp31.greeting.detect-legacy
    (octet 0, octet 9, octet 10), zmtp10.frame.length-nonzero and
    zmtp10.greeting.identity (1.0 identity frame), zmtp20.greeting.socket-type
    and zmtp20.greeting.identity (2.0), zmtp31.greeting.signature,
    zmtp31.greeting.mechanism-name, zmtp31.greeting.mechanism-match,
    zmtp31.greeting.as-server and zmtp31.null.as-server-zero (3.x), and
    zmtp31.version.downgrade-or-close (a peer below minVersion).

    Params: every input runs twice, once with minVersion 1.0 and no expected
    mechanism (every branch reachable), once with a minVersion (1.0, 2.0,
    3.0) and an expected mechanism (none, NULL, PLAIN, CURVE) chosen by the
    input's hash.  */

#include <string.h>
#include "fuzz_oracle.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    static const zw_zmtp_family families[] = { ZW_ZMTP_V1, ZW_ZMTP_V2, ZW_ZMTP_V3 };
    static const char *const mechanisms[] = { "", "NULL", "PLAIN", "CURVE" };
    uint64_t h = zw_fuzz_hash (data, size);
    zw_report_params params;
    memset (&params, 0, sizeof params);
    params.type = ZW_REPORT_GREETING;
    params.min_family = ZW_ZMTP_V1;
    zw_fuzz_oracle_check (&params, data, size);

    params.min_family = families[h % 3];
    strcpy (params.greeting_mechanism, mechanisms[(h >> 8) & 3]);
    if (params.min_family != ZW_ZMTP_V1 || params.greeting_mechanism[0])
        zw_fuzz_oracle_check (&params, data, size);
    return 0;
}
