/*  fuzz_frames.c — fuzz harness (libFuzzer, AFL++) of the ZMTP frame
    stream decoder, codec/zmtp_frame.rl, with command frames decoded as
    they arrive (codec/zmtp_command.rl), judged by the oracles of
    fuzz_oracle.h.

    The decoder enforces zmtp31.frame.flags-reserved,
    zmtp31.frame.command-no-more, zmtp20.frame.flags-reserved (2.0 framing),
    zmtp31.frame.long-size (the size top bit) and zmtp31.frame.size-limit
    (checked before any body octet); command bodies are held to the layouts
    listed in fuzz_command.c.

    Params, chosen by the input's hash: framing 2.0 (one input in four) or
    3.1; mechanism NULL, PLAIN or CURVE; maxFrameSize unbounded (half the
    inputs), 255, 256, or a small bound 0..1023.  */

#include <string.h>
#include "fuzz_oracle.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    static const zw_zmtp_mechanism mechanisms[] = {
        ZW_MECHANISM_NULL, ZW_MECHANISM_PLAIN, ZW_MECHANISM_CURVE
    };
    uint64_t h = zw_fuzz_hash (data, size);
    zw_report_params params;
    memset (&params, 0, sizeof params);
    params.type = ZW_REPORT_FRAMES;
    params.framing = (h & 3) == 0 ? ZW_ZMTP_FRAMING_V2 : ZW_ZMTP_FRAMING_V3;
    params.mechanism = mechanisms[(h >> 2) % 3];
    switch ((h >> 8) & 7) {
        case 4:  params.max_frame_size = 255; break;
        case 5:  params.max_frame_size = 256; break;
        case 6:
        case 7:  params.max_frame_size = (h >> 16) % 1024; break;
        default: params.max_frame_size = ZW_ZMTP_SIZE_MAX;
    }
    return zw_fuzz_oracle_check (&params, data, size);
}
