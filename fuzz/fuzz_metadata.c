/*  fuzz_metadata.c — fuzz harness (libFuzzer, AFL++) of the ZMTP property
    list decoder, codec/zmtp_metadata.rl, judged by the oracles of
    fuzz_oracle.h.  The input is one property list; its length is the
    list's total (the rest of a READY or INITIATE body).

    The decoder enforces zmtp31.metadata.name (a length 1..255, then
    A-Z a-z 0-9 - _ . +) and zmtp31.metadata.value-size (4 octets, below
    2^31, the value within the list).  The list has one encoding per value,
    so every complete input must round-trip exactly.  No params.  */

#include <string.h>
#include "fuzz_oracle.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    zw_report_params params;
    memset (&params, 0, sizeof params);
    params.type = ZW_REPORT_METADATA;
    return zw_fuzz_oracle_check (&params, data, size);
}
