/*  zw_curve_random.c — where every random octet of CurveZMQ comes from
    (zw_curvezmq.h): transient key pairs, cookie keys, long nonces
    (curve.server.long-nonce-unique, curve.vouch.nonce-unique: 16 random
    octets, the RFC's recommended strategy), generated key pairs.

    This file holds this one function and nothing else, and the build puts
    its object in an archive of its own, linked after the library's
    objects: a test program that defines zw_curve_random itself (a counter,
    for reproducible vectors) links its definition in front, and the
    archive's is never pulled in.  No option, variable or build flag of
    the library changes where its octets come from (DECISIONS S10).  */

#include <stdlib.h>
#include <sodium.h>
#include "zw_curvezmq.h"

void
zw_curve_random (uint8_t *out, size_t n)
{
    if (sodium_init () < 0)
        abort ();               /* no source of randomness: nothing secure can be made */
    randombytes_buf (out, n);
}
