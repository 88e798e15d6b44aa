/*  fl_rtt.c — the timed loop of the round-trip programs of `zwire bench
    fl` (fl_rtt.h).  No messaging library: each program brings its trip.  */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "fl_rtt.h"

uint64_t
fl_now_ns (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

int
fl_number (const char *text, double low, double high, double *out)
{
    char *end;
    double v = strtod (text, &end);
    if (end == text || *end || !(v >= low && v <= high))
        return 0;
    *out = v;
    return 1;
}

static int
compare_u64 (const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
    return (x > y) - (x < y);
}

/* Nearest rank over sorted samples, in microseconds. */
static double
percentile_us (const uint64_t *sorted, size_t n, unsigned p)
{
    if (n == 0)
        return 0;
    size_t rank = (n * p + 99) / 100;
    return (double) sorted[rank ? rank - 1 : 0] / 1e3;
}

int
fl_rtt_run (const char *program, const char *impl, size_t size, double seconds, double warmup,
            fl_trip_fn *trip, void *arg)
{
    uint8_t *body = malloc (size ? size : 1);
    size_t capacity = 1 << 16, count = 0;
    uint64_t *samples = malloc (capacity * sizeof *samples);
    if (!body || !samples) {
        fprintf (stderr, "%s: out of memory\n", program);
        free (body);
        free (samples);
        return 1;
    }
    for (size_t i = 0; i < size; i++)
        body[i] = (uint8_t) (i * 7 + 1);
    uint64_t start = fl_now_ns ();
    uint64_t window_start = start + (uint64_t) (warmup * 1e9);
    uint64_t window_end = window_start + (uint64_t) (seconds * 1e9);
    uint64_t all = 0;
    int lost = 0, bad = 0, failed = 0;
    for (uint64_t n = 1;; n++) {
        uint64_t t0 = fl_now_ns ();
        if (t0 >= window_end)
            break;
        for (size_t i = 0; i < size && i < 8; i++)     /* this round trip's own body */
            body[i] = (uint8_t) (n >> (8 * i));
        int r = trip (arg, body, size);
        uint64_t t1 = fl_now_ns ();
        if (r != FL_TRIP_OK) {
            lost += r == FL_TRIP_LOST;
            bad += r == FL_TRIP_BAD;
            failed |= r == FL_TRIP_ERROR;
            break;
        }
        all++;
        if (t1 >= window_start && t1 <= window_end) {
            if (count == capacity) {
                uint64_t *grown = realloc (samples, 2 * capacity * sizeof *samples);
                if (!grown) {
                    failed = 1;
                    break;
                }
                samples = grown;
                capacity *= 2;
            }
            samples[count++] = t1 - t0;
        }
    }
    qsort (samples, count, sizeof *samples, compare_u64);
    double sum = 0;
    for (size_t i = 0; i < count; i++)
        sum += (double) samples[i];
    printf ("{\"bench\":\"fl-rtt\",\"impl\":\"%s\",\"size\":%zu,\"seconds\":%.3f,"
            "\"round_trips\":%zu,\"round_trips_per_s\":%.1f,\"p50_us\":%.1f,\"p99_us\":%.1f,"
            "\"mean_us\":%.1f,\"max_us\":%.1f,\"all_round_trips\":%llu,\"lost\":%d,"
            "\"bad_replies\":%d}\n",
            impl, size, seconds, count, (double) count / seconds,
            percentile_us (samples, count, 50), percentile_us (samples, count, 99),
            count ? sum / (double) count / 1e3 : 0,
            count ? (double) samples[count - 1] / 1e3 : 0, (unsigned long long) all, lost, bad);
    fflush (stdout);
    if (failed)
        fprintf (stderr, "%s: a round trip failed\n", program);
    if (lost || bad)
        fprintf (stderr, "%s: %d replies lost, %d bad (not the request's own body)\n", program,
                 lost, bad);
    if (!failed && count == 0)
        fprintf (stderr, "%s: no round trip ended inside the window\n", program);
    free (body);
    free (samples);
    return failed || lost || bad || count == 0 ? 1 : 0;
}
