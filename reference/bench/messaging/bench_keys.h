/*  bench_keys.h — the credentials of the benchmarks that measure a
    security mechanism (`tp-zwire --mechanism curve`, `tp-libzmq
    --mechanism curve`, hs-zwire, hs-libzmq: `zwire bench security`).

    CURVE (25/ZMTP-CURVE): the two permanent key pairs of libzmq's own
    tests (tests/testutil_security.hpp), in Z85 (32/Z85): public keys that
    are crypto_scalarmult_base of their secret keys (checked with
    libsodium).  A benchmark needs no secret, and fixed keys let the two
    processes of a run, and a zwire peer and a libzmq peer, agree without
    passing keys around.  Both stacks take a key as 40 Z85 characters.

    PLAIN (24/ZMTP-PLAIN): a user name and a password.  Every server
    accepts every client: what is measured is the mechanism, not an
    authentication policy.  The throughput programs run no ZAP handler
    (libzmq 4.3 then accepts CURVE clients, zwire every client, DECISIONS
    S5: one handshake a run); the handshake programs run one that answers
    200 to every request, in both stacks alike (libzmq 4.3 refuses PLAIN
    clients without one).  */

#ifndef BENCH_KEYS_H
#define BENCH_KEYS_H

#define BENCH_CURVE_SERVER_PUBLIC "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"
#define BENCH_CURVE_SERVER_SECRET "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6"
#define BENCH_CURVE_CLIENT_PUBLIC "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID"
#define BENCH_CURVE_CLIENT_SECRET "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs"
#define BENCH_CURVE_KEY_CHARS 40

#define BENCH_PLAIN_USERNAME "bench"
#define BENCH_PLAIN_PASSWORD "bench-password"

#endif
