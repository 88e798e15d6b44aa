/*  fuzz_z85.c — fuzz harness (libFuzzer, AFL++) of the Z85 decoder,
    codec/z85.rl, judged by the oracles of fuzz_oracle.h.  The input is the
    text; its length is known up front.

    The decoder enforces z85.alphabet, z85.string-length (a multiple of 5)
    and z85.decode (a group is at most 0xFFFFFFFF).  Z85 has one encoding
    per value, so every complete input must round-trip exactly through
    zw_z85_encode.  No params.  */

#include <string.h>
#include "fuzz_oracle.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    zw_report_params params;
    memset (&params, 0, sizeof params);
    params.type = ZW_REPORT_Z85;
    return zw_fuzz_oracle_check (&params, data, size);
}
