/*  bench.c — `zwire bench codec`: how fast the frame codec decodes and
    encodes, beside memcpy of the same octets (the memory-bandwidth limit).

    A stream of frames of one size is built in memory, then decoded whole
    and in chunks of 1, 16, 256 and 4096 octets (a socket read never gives
    more than it has), and encoded (header packed, body copied).  Each
    figure is the median of several timed runs, with min and max; a run
    repeats its work until it has lasted long enough to time.  Output: a
    table, or JSON lines with --json (what `make bench` collects).  Timings
    are reported, never asserted.  */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "zwire_cli.h"
#include "zmtp_frame.h"

/* Runs per figure and the least time a run lasts; --quick (for tests) shrinks both. */
static int runs = 5;
static double min_run_seconds = 0.2;

typedef struct {
    uint64_t frames;
    uint64_t octets;
} tally;

static int
count_header (void *user, const zw_zmtp_frame_header *header)
{
    (void) header;
    ((tally *) user)->frames++;
    return 0;
}

static int
count_body (void *user, const uint8_t *data, size_t len)
{
    (void) data;
    ((tally *) user)->octets += len;    /* zero copy: the body is only looked at */
    return 0;
}

static const zw_zmtp_frame_callbacks counting = { count_header, count_body, NULL };

static double
now (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* A stream of `count` frames of `size` octets (short or long headers as the grammar says). */
static uint8_t *
build_stream (size_t size, size_t count, size_t *length)
{
    size_t header = size > 255 ? 9 : 2;
    uint8_t *stream = malloc ((header + size) * count + 1);
    size_t at = 0;
    for (size_t i = 0; stream && i < count; i++) {
        at += zw_zmtp_frame_pack_header (stream + at, 9, 0, 0, size);
        memset (stream + at, (int) (i & 0xFF), size);
        at += size;
    }
    *length = at;
    return stream;
}

typedef enum { WORK_DECODE, WORK_ENCODE, WORK_MEMCPY } work_kind;

typedef struct {
    work_kind kind;
    const uint8_t *stream;
    size_t length, frame_size, frame_count, chunk;
    uint8_t *scratch;               /* encode and memcpy target */
} work;

static void
decode_once (const work *w)
{
    zw_zmtp_frame_ctx ctx;
    tally t = { 0, 0 };
    zw_zmtp_frame_init (&ctx, ZW_ZMTP_FRAMING_V3, 64, ZW_ZMTP_SIZE_MAX, &counting, &t);
    size_t step = w->chunk ? w->chunk : w->length;
    for (size_t at = 0; at < w->length; at += step)
        zw_zmtp_frame_push (&ctx, w->stream + at, at + step <= w->length ? step : w->length - at);
    if (t.frames != w->frame_count)
        fprintf (stderr, "zwire bench: decoded %llu frames of %zu\n",
                 (unsigned long long) t.frames, w->frame_count);
}

static void
encode_once (const work *w)
{
    size_t at = 0;
    const uint8_t *body = w->stream + (w->frame_size > 255 ? 9 : 2);
    for (size_t i = 0; i < w->frame_count; i++) {
        at += zw_zmtp_frame_pack_header (w->scratch + at, 9, 0, 0, w->frame_size);
        memcpy (w->scratch + at, body, w->frame_size);
        at += w->frame_size;
    }
}

static void
run_once (const work *w)
{
    if (w->kind == WORK_DECODE)
        decode_once (w);
    else if (w->kind == WORK_ENCODE)
        encode_once (w);
    else
        memcpy (w->scratch, w->stream, w->length);
}

/* Seconds per pass over the stream: repeats until the run is long enough to time. */
static double
time_pass (const work *w)
{
    unsigned passes = 0;
    double start = now (), elapsed;
    do {
        run_once (w);
        passes++;
        elapsed = now () - start;
    } while (elapsed < min_run_seconds);
    return elapsed / passes;
}

static int
by_value (const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

typedef struct {
    double median, min, max;        /* seconds per pass */
} timing;

static timing
measure (const work *w)
{
    double seconds[5];
    for (int r = 0; r < runs; r++)
        seconds[r] = time_pass (w);
    qsort (seconds, (size_t) runs, sizeof seconds[0], by_value);
    return (timing) { seconds[runs / 2], seconds[0], seconds[runs - 1] };
}

static void
report (int json, const char *what, const work *w, timing t, double memcpy_seconds)
{
    double gbps = (double) w->length / t.median / 1e9;
    double fps = (double) w->frame_count / t.median;
    if (json)
        printf ("{\"bench\":\"codec\",\"op\":\"%s\",\"frameSize\":%zu,\"chunk\":%zu,"
                "\"framesPerSecond\":%.0f,\"framesPerSecondMin\":%.0f,\"framesPerSecondMax\":%.0f,"
                "\"gbPerSecond\":%.3f,\"vsMemcpy\":%.3f}\n",
                what, w->frame_size, w->chunk, fps, w->frame_count / t.max,
                w->frame_count / t.min, gbps, memcpy_seconds / t.median);
    else {
        char chunk[24] = "whole";
        if (w->chunk)
            snprintf (chunk, sizeof chunk, "%zu", w->chunk);
        printf ("%-7s %8zu %6s %14.0f %9.2f %9.2fx\n", what, w->frame_size, chunk, fps, gbps,
                memcpy_seconds / t.median);
    }
}

static void
bench_size (size_t size, int json)
{
    /* about 64 MiB of stream (less when every octet is a call) */
    size_t count = (64u << 20) / (size + 2);
    if (count > 50000000)
        count = 50000000;
    size_t length;
    uint8_t *stream = build_stream (size, count, &length);
    uint8_t *scratch = malloc (length + 16);
    if (!stream || !scratch) {
        fprintf (stderr, "zwire bench: out of memory for %zu-octet frames\n", size);
        free (stream);
        free (scratch);
        return;
    }
    work w = { WORK_MEMCPY, stream, length, size, count, 0, scratch };
    double memcpy_seconds = measure (&w).median;
    w.kind = WORK_DECODE;
    report (json, "decode", &w, measure (&w), memcpy_seconds);
    static const size_t chunks[] = { 4096, 256, 16, 1 };
    for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
        work part = w;
        part.chunk = chunks[c];
        /* a shorter stream for tiny chunks, so a run stays short: whole frames only */
        size_t frame_bytes = size + (size > 255 ? 9 : 2);
        size_t limit = chunks[c] == 1 ? (4u << 20) : (16u << 20);
        if (part.length > limit) {
            part.frame_count = limit / frame_bytes ? limit / frame_bytes : 1;
            part.length = part.frame_count * frame_bytes;
        }
        work copy = part;
        copy.kind = WORK_MEMCPY;
        double part_memcpy = measure (&copy).median;
        report (json, "decode", &part, measure (&part), part_memcpy);
    }
    w.kind = WORK_ENCODE;
    report (json, "encode", &w, measure (&w), memcpy_seconds);
    free (stream);
    free (scratch);
}

static void
usage (FILE *out)
{
    fputs ("Usage: zwire bench codec [--json] [--quick] [--size N]...\n"
           "\n"
           "Decodes and encodes in-memory ZMTP frame streams and compares with memcpy of the\n"
           "same octets: frames per second, GB/s, and the ratio to memcpy (1.00x = as fast as\n"
           "copying the stream once).  Frame sizes 0, 8, 64, 1024, 65536 and 1048576 unless\n"
           "--size is given; decoding whole and in 4096, 256, 16 and 1-octet chunks.\n"
           "Each figure is the median of 5 runs (--quick: one short run, for tests).\n"
           "`make bench` runs it with --json.\n"
           "\n"
           "zwire bench mdp --help: the Majordomo broker against a plain libzmq LRU broker.\n"
           "zwire bench fl --help: the Freelance client and server against libzmq, failover.\n"
           "zwire bench security --help: NULL, PLAIN and CURVE handshakes a second, and CURVE\n"
           "throughput beside NULL, zwire against libzmq.\n", out);
}

int
zw_cli_bench (int argc, char **argv)
{
    static const size_t sizes[] = { 0, 8, 64, 1024, 65536, 1048576 };
    size_t chosen[16];
    int count = 0, json = 0;
    if (argc < 2 || strcmp (argv[1], "codec") != 0) {
        usage (argc >= 2 && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
               ? stdout : stderr);
        return argc >= 2 && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
               ? ZW_EXIT_OK : ZW_EXIT_USAGE;
    }
    for (int i = 2; i < argc; i++) {
        const char *value;
        uint64_t n;
        int r = zw_args_value (argc, argv, &i, "--size", &value);
        if (strcmp (argv[i], "--json") == 0)
            json = 1;
        else if (strcmp (argv[i], "--quick") == 0) {
            runs = 1;
            min_run_seconds = 0.01;
        }
        else if (strcmp (argv[i], "--help") == 0) {
            usage (stdout);
            return ZW_EXIT_OK;
        }
        else if (r == 1 && zw_args_u64 (value, &n) && n <= (64u << 20) && count < 16)
            chosen[count++] = (size_t) n;
        else {
            fprintf (stderr, "zwire bench: bad argument '%s' (see --help)\n", argv[i]);
            return ZW_EXIT_USAGE;
        }
    }
    if (!json)
        printf ("%-7s %8s %6s %14s %9s %10s\n", "op", "frame", "chunk", "frames/s", "GB/s",
                "vs memcpy");
    for (int i = 0; i < (count ? count : (int) (sizeof sizes / sizeof sizes[0])); i++)
        bench_size (count ? chosen[i] : sizes[i], json);
    return ZW_EXIT_OK;
}
