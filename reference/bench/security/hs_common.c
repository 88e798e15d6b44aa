/*  hs_common.c — the command line, the server's stop and the client's
    timed loop of the handshake programs of `zwire bench security`
    (hs_common.h).  */

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "hs_common.h"

const char *const hs_mechanism_names[3] = { "null", "plain", "curve" };

volatile int hs_stopping;

static uint64_t
now_ns (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

static int
number (const char *text, double low, double high, double *out)
{
    char *end;
    double v = strtod (text, &end);
    if (end == text || *end || !(v >= low && v <= high))
        return 0;
    *out = v;
    return 1;
}

static void
usage (FILE *out, const char *program)
{
    fprintf (out,
             "Usage: %s server --mechanism null|plain|curve [--bind EP] [--timeout S]\n"
             "       %s client --connect EP --mechanism null|plain|curve [--size N]\n"
             "                 [--seconds S] [--warmup S] [--timeout S]\n"
             "\n"
             "The handshake benchmark of `zwire bench security`.  server: one REP socket,\n"
             "the mechanism's server (no ZAP handler: every client is accepted), bound to\n"
             "EP (tcp://127.0.0.1:0); prints 'bound ENDPOINT' and echoes every request until\n"
             "SIGTERM.  client: handshake after handshake for --warmup (0.2) + --seconds (1)\n"
             "seconds, each a new REQ socket that connects, completes the greeting and the\n"
             "mechanism's handshake, makes one round trip of --size octets (16) and closes;\n"
             "one JSON line (reference/bench/security/hs_common.h).  --timeout: the\n"
             "watchdog (server 600, client 120).\n", program, program);
}

int
hs_parse (hs_opts *o, const char *program, int argc, char **argv)
{
    *o = (hs_opts) { .program = program, .size = 16, .seconds = 1, .warmup = 0.2 };
    int have_mechanism = 0;
    if (argc >= 2 && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)) {
        usage (stdout, program);
        return 0;
    }
    if (argc < 2 || (strcmp (argv[1], "server") && strcmp (argv[1], "client"))) {
        fprintf (stderr, "%s: first say server or client (--help)\n", program);
        return 3;
    }
    o->server = strcmp (argv[1], "server") == 0;
    o->timeout = o->server ? 600 : 120;
    for (int i = 2; i < argc; i++) {
        const char *name = argv[i];
        if (strcmp (name, "--help") == 0 || strcmp (name, "-h") == 0) {
            usage (stdout, program);
            return 0;
        }
        const char *value = i + 1 < argc ? argv[++i] : NULL;
        double size;
        if (value && strcmp (name, "--mechanism") == 0) {
            for (int m = 0; m < 3; m++)
                if (strcmp (value, hs_mechanism_names[m]) == 0)
                    o->mechanism = (hs_mechanism) m, have_mechanism = 1;
            if (!have_mechanism)
                value = NULL;
        } else if (value && strcmp (name, o->server ? "--bind" : "--connect") == 0)
            o->endpoint = value;
        else if (value && !o->server && strcmp (name, "--size") == 0
                 && number (value, 0, 64 << 20, &size))
            o->size = (size_t) size;
        else if (!(value && ((!o->server && strcmp (name, "--seconds") == 0
                              && number (value, 0.01, 3600, &o->seconds))
                          || (!o->server && strcmp (name, "--warmup") == 0
                              && number (value, 0, 3600, &o->warmup))
                          || (strcmp (name, "--timeout") == 0
                              && number (value, 0, 86400, &o->timeout)))))
            value = NULL;
        if (!value) {
            fprintf (stderr, "%s: bad option or value: %s %s (--help)\n", program, name,
                     i < argc && argv[i] != name ? argv[i] : "(none)");
            return 3;
        }
    }
    if (!have_mechanism) {
        fprintf (stderr, "%s: --mechanism null|plain|curve is needed (--help)\n", program);
        return 3;
    }
    if (!o->server && !o->endpoint) {
        fprintf (stderr, "%s: --connect ENDPOINT is needed (--help)\n", program);
        return 3;
    }
    if (o->server && !o->endpoint)
        o->endpoint = "tcp://127.0.0.1:0";
    if (o->timeout > 0)
        alarm ((unsigned) o->timeout);          /* the watchdog: SIGALRM ends the process */
    return 1;
}

static void
on_stop (int signal_number)
{
    (void) signal_number;
    hs_stopping = 1;
}

void
hs_server_signals (const hs_opts *o)
{
    (void) o;
    struct sigaction action;
    memset (&action, 0, sizeof action);
    action.sa_handler = on_stop;            /* no SA_RESTART: a blocking call returns EINTR */
    sigemptyset (&action.sa_mask);
    sigaction (SIGTERM, &action, NULL);
    sigaction (SIGINT, &action, NULL);
}

void
hs_announce (const char *endpoint)
{
    printf ("bound %s\n", endpoint);
    fflush (stdout);
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
hs_client_run (const hs_opts *o, const char *impl, hs_once_fn *once, void *arg)
{
    size_t size = o->size;
    uint8_t *body = malloc (size ? size : 1);
    size_t capacity = 1 << 14, count = 0;
    uint64_t *samples = malloc (capacity * sizeof *samples);
    if (!body || !samples) {
        fprintf (stderr, "%s: out of memory\n", o->program);
        free (body);
        free (samples);
        return 1;
    }
    for (size_t i = 0; i < size; i++)
        body[i] = (uint8_t) (i * 7 + 1);
    uint64_t start = now_ns ();
    uint64_t window_start = start + (uint64_t) (o->warmup * 1e9);
    uint64_t window_end = window_start + (uint64_t) (o->seconds * 1e9);
    uint64_t all = 0;
    int lost = 0, bad = 0, failed = 0;
    for (uint64_t n = 1;; n++) {
        uint64_t t0 = now_ns ();
        if (t0 >= window_end)
            break;
        for (size_t i = 0; i < size && i < 8; i++)     /* this handshake's own body */
            body[i] = (uint8_t) (n >> (8 * i));
        int r = once (arg, body, size);
        uint64_t t1 = now_ns ();
        if (r != HS_OK) {
            lost += r == HS_LOST;
            bad += r == HS_BAD;
            failed |= r == HS_ERROR;
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
    printf ("{\"bench\":\"handshake\",\"impl\":\"%s\",\"mechanism\":\"%s\",\"size\":%zu,"
            "\"seconds\":%.3f,\"handshakes\":%zu,\"handshakes_per_s\":%.1f,\"p50_us\":%.1f,"
            "\"p99_us\":%.1f,\"mean_us\":%.1f,\"max_us\":%.1f,\"all_handshakes\":%llu,"
            "\"lost\":%d,\"bad_replies\":%d}\n",
            impl, hs_mechanism_names[o->mechanism], size, o->seconds, count,
            (double) count / o->seconds, percentile_us (samples, count, 50),
            percentile_us (samples, count, 99), count ? sum / (double) count / 1e3 : 0,
            count ? (double) samples[count - 1] / 1e3 : 0, (unsigned long long) all, lost, bad);
    fflush (stdout);
    if (failed)
        fprintf (stderr, "%s: a handshake failed\n", o->program);
    if (lost || bad)
        fprintf (stderr, "%s: %d replies lost, %d bad (not the request's own body)\n",
                 o->program, lost, bad);
    if (!failed && count == 0)
        fprintf (stderr, "%s: no handshake ended inside the window\n", o->program);
    free (body);
    free (samples);
    return failed || lost || bad || count == 0 ? 1 : 0;
}
