/*  zw_vector_runner.c — runs golden vector files through the C codecs.

    For every test of every file named on the command line: decodes the
    input in the vector's own chunks, whole, in every chunk size, at every
    two-way split (a stride for long inputs) and in 16 seeded random
    chunkings, checks that every
    chunking gives the same report (chunk invariance, DESIGN.md), and
    tries the encoder round trip.  Writes one JSON line per test:

      {"file", "tcId", "report", "chunkInvariant", "variant", "roundTrip"}

    Groups of type curve-handshake and plain-handshake are whole
    connections, not decoder input (FORMAT.md, "Handshakes"): each test's
    input is run through both sides (zw_handshake.c: the C CurveZMQ layer
    with the vector's fixed random inputs, the PLAIN packers and decoder),
    the report is the exchange, and the round trip decodes and re-encodes
    every command body; nothing is chunked.

    Judging against the file and against the Python codec is done by
    vectors/tools/check.py.  Exit status: 0, or 2 on unreadable input.  */

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "zw_report.h"
#include "zw_handshake.h"

#define FULL_SWEEP_MAX 320      /* inputs up to this size: every size and split */
#define RANDOM_CHUNKINGS 16     /* then this many random chunkings */

static int
hex_value (char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes the test's hex chunks into one buffer; fills the chunk table. */
static uint8_t *
read_input (json_t *input, zw_chunk **chunks, size_t *count, size_t *total)
{
    size_t n = json_array_size (input), len = 0;
    for (size_t i = 0; i < n; i++)
        len += strlen (json_string_value (json_array_get (input, i))) / 2;
    uint8_t *data = malloc (len + 1);
    *chunks = calloc (n + 1, sizeof **chunks);
    if (!data || !*chunks)
        abort ();
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        const char *text = json_string_value (json_array_get (input, i));
        size_t size = strlen (text) / 2;
        (*chunks)[i].data = data + at;
        (*chunks)[i].len = size;
        for (size_t j = 0; j < size; j++)
            data[at++] = (uint8_t) (hex_value (text[2 * j]) << 4 | hex_value (text[2 * j + 1]));
    }
    *count = n;
    *total = len;
    return data;
}

static char *
canonical (json_t *report)
{
    return json_dumps (report, JSON_COMPACT | JSON_SORT_KEYS);
}

/* 1 if decoding the chunks gives the report 'want' (canonical JSON). */
static int
same_report (const zw_report_params *p, const zw_chunk *chunks, size_t count, const char *want)
{
    json_t *report = zw_report_decode (p, chunks, count);
    char *got = canonical (report);
    int same = strcmp (got, want) == 0;
    free (got);
    json_decref (report);
    return same;
}

/* Decodes data in pieces of 'size' octets; 1 if the report equals 'want'. */
static int
same_by_size (const zw_report_params *p, const uint8_t *data, size_t len, size_t size,
              const char *want)
{
    size_t count = len / size + 1;
    zw_chunk *chunks = calloc (count, sizeof *chunks);
    size_t n = 0;
    if (!chunks)
        abort ();
    for (size_t at = 0; at < len; at += size) {
        chunks[n].data = data + at;
        chunks[n].len = len - at < size ? len - at : size;
        n++;
    }
    int same = same_report (p, chunks, n, want);
    free (chunks);
    return same;
}

static int
same_by_split (const zw_report_params *p, const uint8_t *data, size_t len, size_t split,
               const char *want)
{
    zw_chunk chunks[2] = { { data, split }, { data + split, len - split } };
    return same_report (p, chunks, 2, want);
}

/* A small deterministic generator (xorshift64), so failures reproduce. */
static uint64_t
next_random (uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

/* Decodes data in random pieces of 1..max octets; 1 if the report equals 'want'. */
static int
same_by_random (const zw_report_params *p, const uint8_t *data, size_t len, uint64_t seed,
                const char *want)
{
    zw_chunk *chunks = calloc (len + 1, sizeof *chunks);
    size_t n = 0, at = 0, max = len < 16 ? 4 : len / 4;
    if (!chunks)
        abort ();
    while (at < len) {
        size_t size = 1 + (size_t) (next_random (&seed) % max);
        chunks[n].data = data + at;
        chunks[n].len = len - at < size ? len - at : size;
        at += chunks[n++].len;
    }
    int same = same_report (p, chunks, n, want);
    free (chunks);
    return same;
}

/*  Chunk invariance: returns 1, or 0 with the first differing chunking
    written into variant.  */
static int
check_chunkings (const zw_report_params *p, const uint8_t *data, size_t len, const char *want,
                 char *variant, size_t variant_size)
{
    size_t step = len <= FULL_SWEEP_MAX ? 1 : len / 97 + 1;
    for (size_t size = 1; size <= len; size += (size < 64 ? 1 : step))
        if (!same_by_size (p, data, len, size, want)) {
            snprintf (variant, variant_size, "chunks of %zu octets", size);
            return 0;
        }
    for (size_t split = 0; split <= len; split += (split < 64 ? 1 : step))
        if (!same_by_split (p, data, len, split, want)) {
            snprintf (variant, variant_size, "split at octet %zu", split);
            return 0;
        }
    for (uint64_t seed = 1; seed <= RANDOM_CHUNKINGS; seed++)
        if (!same_by_random (p, data, len, seed * 0x9E3779B97F4A7C15u + len, want)) {
            snprintf (variant, variant_size, "random chunking, seed %llu", (unsigned long long) seed);
            return 0;
        }
    return 1;
}

static void
print_line (const char *file, json_t *test, json_t *report, int invariant, const char *variant,
            const char *round_trip)
{
    json_t *line = json_pack ("{s:s, s:O, s:o, s:b, s:s, s:s}", "file", file,
                              "tcId", json_object_get (test, "tcId"), "report", report,
                              "chunkInvariant", invariant, "variant", variant,
                              "roundTrip", round_trip);
    char *text = json_dumps (line, JSON_COMPACT | JSON_SORT_KEYS);
    puts (text);
    free (text);
    json_decref (line);
}

static void
run_test (const char *file, const zw_report_params *p, json_t *test)
{
    zw_chunk *chunks;
    size_t count, len;
    char variant[128] = "", why[256] = "";
    uint8_t *data = read_input (json_object_get (test, "input"), &chunks, &count, &len);
    json_t *report = zw_report_decode (p, chunks, count);
    char *want = canonical (report);
    /* a frame list (mdp) is its frames: nothing to re-chunk */
    int frame_list = zw_report_is_frame_list (p);
    int invariant = frame_list || check_chunkings (p, data, len, want, variant, sizeof variant);
    int trip = frame_list ? zw_report_round_trip_frames (p, chunks, count, why, sizeof why)
                          : zw_report_round_trip (p, data, len, why, sizeof why);
    print_line (file, test, report, invariant, variant,
                trip == 1 ? "ok" : trip == 0 ? why : "n/a");
    free (want);
    free (chunks);
    free (data);
}

/* A whole connection (curve-handshake, plain-handshake): no chunks to vary. */
static void
run_handshake (const char *file, int curve, json_t *test)
{
    json_t *input = json_object_get (test, "input");
    json_t *report = curve ? zw_handshake_curve_run (input) : zw_handshake_plain_run (input);
    char why[256] = "";
    int trip = zw_handshake_round_trip (curve, report, why, sizeof why);
    print_line (file, test, report, 1, "", trip == 1 ? "ok" : trip == 0 ? why : "n/a");
}

static int
run_file (const char *path)
{
    json_error_t error;
    json_t *root = json_load_file (path, 0, &error);
    if (!root) {
        fprintf (stderr, "zw-vector-runner: %s:%d: %s\n", path, error.line, error.text);
        return 0;
    }
    json_t *groups = json_object_get (root, "testGroups");
    for (size_t g = 0; g < json_array_size (groups); g++) {
        json_t *group = json_array_get (groups, g);
        zw_report_params params;
        char err[256];
        const char *type = json_string_value (json_object_get (group, "type"));
        json_t *tests = json_object_get (group, "tests");
        int curve = type && strcmp (type, "curve-handshake") == 0;
        if (curve || (type && strcmp (type, "plain-handshake") == 0)) {
            for (size_t t = 0; t < json_array_size (tests); t++)
                run_handshake (path, curve, json_array_get (tests, t));
            continue;
        }
        if (!type || !zw_report_params_parse (&params, type, json_object_get (group, "params"),
                                              err, sizeof err)) {
            fprintf (stderr, "zw-vector-runner: %s: group %zu: %s\n", path, g,
                     type ? err : "no type");
            json_decref (root);
            return 0;
        }
        for (size_t t = 0; t < json_array_size (tests); t++)
            run_test (path, &params, json_array_get (tests, t));
    }
    json_decref (root);
    return 1;
}

int
main (int argc, char **argv)
{
    int ok = 1;
    if (argc < 2 || strcmp (argv[1], "--help") == 0) {
        fprintf (argc < 2 ? stderr : stdout,
                 "usage: zw-vector-runner FILE.json...\n"
                 "Runs zwire golden vectors through the C codecs; one JSON line per test.\n");
        return argc < 2 ? 3 : 0;
    }
    for (int i = 1; i < argc; i++)
        ok &= run_file (argv[i]);
    return ok ? 0 : 2;
}
