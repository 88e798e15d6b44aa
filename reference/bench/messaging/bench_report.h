/*  bench_report.h — the clock and the one JSON line each benchmark prints.

    Throughput (printed by the receiver):
      {"bench":"throughput","impl":I,"pattern":P,"transport":T,"size":N,"count":M,
       "seconds":s,"msgs_per_s":x,"mb_per_s":y}
    where s runs from the arrival of the first message to that of the last,
    so M - 1 messages are timed: x = (M - 1) / s, y = x * N / 1e6 (payload
    octets only: ZMTP framing is not counted; MB is 10^6 octets).

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

/* timed = messages (or message-equivalents) received in elapsed_ns after the first. */
void bench_report_throughput (const bench_opts *opts, const char *impl, const char *pattern,
                              double timed, uint64_t elapsed_ns);

/* Sorts samples_ns (count of them) and prints the percentiles. */
void bench_report_latency (const bench_opts *opts, const char *impl, uint64_t *samples_ns,
                           size_t count);

#endif
