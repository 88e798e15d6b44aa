/*  bench_report.c — the monotonic clock and the result lines of
    bench_report.h: throughput from a count and a duration, latency
    percentiles (nearest rank) from the sorted round-trip times.  */

#include "bench_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

uint64_t
bench_now_ns (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

const char *
bench_impl_label (const bench_opts *opts, const char *self, char *buf, size_t cap)
{
    if (!opts->peer || strcmp (opts->peer, self) == 0)
        return self;
    if (opts->role == BENCH_ROLE_CLIENT)
        snprintf (buf, cap, "%s->%s", self, opts->peer);
    else
        snprintf (buf, cap, "%s->%s", opts->peer, self);
    return buf;
}

void
bench_timing_start (bench_timing *timing)
{
    *timing = (bench_timing) { .first_ns = bench_now_ns () };
}

void
bench_timing_stop (bench_timing *timing, double received)
{
    timing->last_ns = bench_now_ns ();
    timing->timed = received;
    /* Too short a run for a burst and a steady state of its own: the whole is both. */
    if (received <= 2 * BENCH_BURST)
        timing->burst_ns = 0;
}

static double
seconds_between (uint64_t from_ns, uint64_t to_ns)
{
    double seconds = (double) (to_ns - from_ns) / 1e9;
    return seconds > 0 ? seconds : 1e-9;
}

void
bench_report_throughput (const bench_opts *opts, const char *impl, const char *pattern,
                         const bench_timing *timing)
{
    double total = seconds_between (timing->first_ns, timing->last_ns);
    int burst = timing->burst_ns != 0;
    double steady = burst ? seconds_between (timing->burst_ns, timing->last_ns) : total;
    double rate = (timing->timed - (burst ? timing->burst_timed : 0)) / steady;
    double octets = (double) opts->size;
    printf ("{\"bench\":\"throughput\",\"impl\":\"%s\",\"pattern\":\"%s\",\"transport\":\"%s\","
            "\"size\":%zu,\"count\":%llu,\"seconds\":%.6f,\"msgs_per_s\":%.1f,\"mb_per_s\":%.3f,"
            "\"total_seconds\":%.6f",
            impl, pattern, opts->transport, opts->size, (unsigned long long) opts->count, steady,
            rate, rate * octets / 1e6, total);
    if (burst) {
        double seconds = seconds_between (timing->first_ns, timing->burst_ns);
        double burst_rate = timing->burst_timed / seconds;
        printf (",\"burst_seconds\":%.6f,\"burst_msgs_per_s\":%.1f,\"burst_mb_per_s\":%.3f",
                seconds, burst_rate, burst_rate * octets / 1e6);
    }
    printf ("}\n");
    fflush (stdout);
}

static int
compare_u64 (const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
    return x < y ? -1 : x > y;
}

/* Nearest rank: the smallest sample with at least p percent at or below it. */
static double
percentile_us (const uint64_t *sorted, size_t count, unsigned p)
{
    size_t rank = (p * count + 99) / 100;       /* ceil (p / 100 * count) */
    if (rank < 1)
        rank = 1;
    return (double) sorted[rank - 1] / 1e3;
}

void
bench_report_latency (const bench_opts *opts, const char *impl, uint64_t *samples_ns,
                      size_t count)
{
    qsort (samples_ns, count, sizeof *samples_ns, compare_u64);
    double sum = 0;
    for (size_t i = 0; i < count; i++)
        sum += (double) samples_ns[i];
    printf ("{\"bench\":\"latency\",\"impl\":\"%s\",\"pattern\":\"req-rep\",\"transport\":\"%s\","
            "\"size\":%zu,\"count\":%zu,\"p50_us\":%.2f,\"p99_us\":%.2f,\"mean_us\":%.2f,"
            "\"min_us\":%.2f,\"max_us\":%.2f}\n",
            impl, opts->transport, opts->size, count, percentile_us (samples_ns, count, 50),
            percentile_us (samples_ns, count, 99), sum / (double) count / 1e3,
            (double) samples_ns[0] / 1e3, (double) samples_ns[count - 1] / 1e3);
    fflush (stdout);
}
