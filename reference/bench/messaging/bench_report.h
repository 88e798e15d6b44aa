/*  bench_report.h — the clock and the one JSON line each benchmark prints.

    Throughput (printed by the receiver):
      {"bench":"throughput","impl":I,"pattern":P,"transport":T,"size":N,"count":M,
       "seconds":s,"msgs_per_s":x,"mb_per_s":y,"total_seconds":t,
       "burst_seconds":b,"burst_msgs_per_s":bx,"burst_mb_per_s":by}
    The receiver's clock (bench_timing) starts at the arrival of the first
    message and marks two more: the arrival of the BENCH_BURST-th message
    after it, and that of the last.  The burst is the first BENCH_BURST
    messages (b, from the first mark to the second: what an application
    that sends a burst waits for, fresh memory and all); the steady state
    is every later one (s, from the second mark to the last: x = (M - 1 -
    BENCH_BURST) / s).  t is the whole: M - 1 messages timed.  A run of
    M <= 2 * BENCH_BURST + 1 messages has no burst of its own: its steady
    state is the whole run, and the burst fields are absent.  y = x * N /
    1e6 (payload octets only: ZMTP framing is not counted; MB is 10^6
    octets).

    Latency (printed by the requester):
      {"bench":"latency","impl":I,"pattern":"req-rep","transport":T,"size":N,
       "count":M,"p50_us":a,"p99_us":b,"mean_us":c,"min_us":d,"max_us":e}
    over M timed round trips (percentiles by nearest rank).

    The line goes to stdout, flushed at once (the printing process may be
    a forked child that leaves with _exit).  */

#ifndef BENCH_REPORT_H
#define BENCH_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include "bench_opts.h"

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t bench_now_ns (void);

/*  The implementation named in the result: self, or, when --peer names
    another one (a mixed pair), "<connecting side>-><binding side>":
    "peer->self" from a server (the throughput receiver reporting),
    "self->peer" from a client (the latency requester reporting).  */
const char *bench_impl_label (const bench_opts *opts, const char *self, char *buf, size_t cap);

/* Messages in the burst (see above). */
#define BENCH_BURST 100

/*  The receiver's clock.  Call bench_timing_start at the first message,
    bench_timing_mark after each later one with the number received since
    the first (messages, or message-equivalents of a stream), and
    bench_timing_stop after the last.  */
typedef struct {
    uint64_t first_ns, burst_ns, last_ns;
    double burst_timed;         /* received after the first, at the burst mark */
    double timed;               /* received after the first, in all */
} bench_timing;

void bench_timing_start (bench_timing *timing);

static inline void
bench_timing_mark (bench_timing *timing, double received)
{
    if (timing->burst_ns == 0 && received >= BENCH_BURST) {
        timing->burst_ns = bench_now_ns ();
        timing->burst_timed = received;
    }
}

void bench_timing_stop (bench_timing *timing, double received);

/* Prints the result line of a finished clock. */
void bench_report_throughput (const bench_opts *opts, const char *impl, const char *pattern,
                              const bench_timing *timing);

/* Sorts samples_ns (count of them) and prints the percentiles. */
void bench_report_latency (const bench_opts *opts, const char *impl, uint64_t *samples_ns,
                           size_t count);

#endif
