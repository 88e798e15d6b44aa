/*  fuzz_oracle.h — the oracles every zwire fuzz harness applies to one input.

    A harness picks a decoder and its params (zw_report_params, see
    vectors/runner/zw_report.h) and hands the input to
    zw_fuzz_oracle_check, which decodes it through zw_report_decode (the
    same normal-form report the vector runner judges, vectors/FORMAT.md) and
    checks, beyond "no crash, no leak, no sanitizer report":

      1. report invariants: state is complete, incomplete or error; error is
         null exactly when the state is not error; an error has a known
         class, a clause and an offset <= the input length; the decoder's
         fields follow the FORMAT.md shape (greeting only when complete,
         frames in order, known-length decoders never end incomplete, ...);
      2. chunk invariance: the input cut at 1..4 points derived from a hash
         of the input itself (never from input octets used as control, so a
         vector seed stays the vector), empty chunks included, and in
         1-octet chunks when it is at most 512 octets, gives the same report
         (json_dumps with JSON_COMPACT | JSON_SORT_KEYS, compared as text);
      3. prefixes (greeting, frames: the streaming decoders): a prefix never
         reports an error the whole input does not report, reports the
         whole input's error when it contains the offending octet, and
         agrees with it on every unit it completes;
      4. round trip: when the input decodes completely, the report is
         encoded back to octets through the public codec encoders (y =
         encode(decode(x))); y must decode completely to the same report up
         to what a non-canonical input may change (frame offsets and the
         LONG bit, a 1.0 detection offset, the raw body of a command frame
         whose command re-encodes canonically), y must be a fixpoint
         (encode(decode(y)) == y), y must be the canonical form of x (x with
         only the variations FORMAT.md sanctions undone: long size for a
         short body, CURVE HELLO padding, signature padding and filler, a
         1.0 identity's flags octet and long length), and
         zw_report_round_trip(x) must say
         "canonical" exactly when x is y (a prefix of x, for a greeting
         followed by traffic).  Z85 and metadata have one encoding per
         value, so there x must be canonical.

    Any failure prints what failed, the params, the input and both reports
    to stderr, then calls abort(), which libFuzzer and AFL++ record as a
    crash.  The oracle allocates (jansson); the codecs it drives do not.  */

#ifndef ZW_FUZZ_ORACLE_H
#define ZW_FUZZ_ORACLE_H

#include <stddef.h>
#include <stdint.h>
#include "zw_report.h"

/*  A 64-bit hash of the input (FNV-1a, then a splitmix64 finaliser), for
    harnesses that vary their params deterministically with the input.  */
uint64_t zw_fuzz_hash (const uint8_t *data, size_t size);

/*  Runs every oracle above on data (size octets; data may be NULL when size
    is 0) with the given params.  Returns 0; never returns on a failure.  */
int zw_fuzz_oracle_check (const zw_report_params *params, const uint8_t *data, size_t size);

#endif
