/*  fuzz_command.c — fuzz harness (libFuzzer, AFL++) of the ZMTP command
    body decoder, codec/zmtp_command.rl (and the metadata decoder it runs for
    READY and INITIATE), judged by the oracles of fuzz_oracle.h.  The input
    is one command body; its length is the frame size.

    The decoder enforces zmtp31.command.name; under NULL and PLAIN
    zmtp31.null.error, zmtp31.command.subscribe, zmtp31.command.cancel,
    zmtp31.command.ping, zmtp31.command.pong, zmtp31.command.join,
    zmtp31.command.leave, zmtp31.metadata.name and zmtp31.metadata.value-size
    (READY); under PLAIN also plain.hello.layout, plain.welcome.layout,
    plain.initiate.metadata and plain.error.layout; under CURVE
    curve.hello.size, curve.hello.version, curve.welcome.size,
    curve.initiate.size, curve.ready.size, curve.message.size and
    curve.error.size.

    Params: every input runs under each mechanism, NULL, PLAIN and CURVE.  */

#include <string.h>
#include "fuzz_oracle.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    static const zw_zmtp_mechanism mechanisms[] = {
        ZW_MECHANISM_NULL, ZW_MECHANISM_PLAIN, ZW_MECHANISM_CURVE
    };
    zw_report_params params;
    memset (&params, 0, sizeof params);
    params.type = ZW_REPORT_COMMAND;
    for (size_t i = 0; i < sizeof mechanisms / sizeof mechanisms[0]; i++) {
        params.mechanism = mechanisms[i];
        zw_fuzz_oracle_check (&params, data, size);
    }
    return 0;
}
