/*  bench_security.c — `zwire bench security`: what the security
    mechanisms cost, the reference stack beside libzmq 4.3 in the same
    run, over tcp on the loopback, in two parts.

    handshake: handshakes a second, NULL, PLAIN (24/ZMTP-PLAIN) and CURVE
    (25/ZMTP-CURVE, 26/CurveZMQ), zwire client to zwire server (hs-zwire)
    beside libzmq client to libzmq server (hs-libzmq).  One handshake is a
    new REQ socket, connect, greeting and mechanism handshake, one 16-octet
    round trip, close (hs_common.h); the client makes them one after
    another for a fixed time.  PLAIN and CURVE servers ask a ZAP handler
    of their own process (27/ZAP) that accepts every client.  Each run starts a fresh server on port 0,
    runs the client, stops the server (SIGTERM) and reads the CPU time of
    both processes; the two stacks take turns, the order alternating.

    throughput: one direction, PUSH -> PULL (the messaging benchmark's
    tp-zwire and tp-libzmq, with --mechanism null or curve: the receiver
    binds and is the CURVE server), 16 octets, 1 KiB and 64 KiB, NULL and
    CURVE, so that the cost of CURVE is the ratio of the two rows.  For
    each mechanism and size, unrecorded runs of both stacks calibrate one
    count of messages, the same for both, so that the faster lasts about
    --target seconds; then each stack runs it --repeat times.  The figure
    is the receiver's steady state (every message after the first 100,
    bench_report.h): messages/s and MB/s of payload; CPU µs per message
    is both processes' CPU time (user + system, the whole run) over the
    count.

    Figures are medians of the runs, with min and max; ratios are zwire /
    libzmq, and CURVE / NULL, between medians of this run.  Output:
    tables, or JSON lines with --json (what `make bench` collects); --out
    FILE writes the JSON document too.  Speed is reported, never asserted:
    the exit status is 1 only if a run failed (reported, with its command
    line), else 0.  reference/bench/README.md says how it measures.  */

#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "zwire_cli.h"
#include "bench_run.h"

#define LIST_MAX 8
#define RUNS_MAX BENCH_RUNS_MAX
#define MIN_COUNT 1000          /* ten bursts of 100: the start is a small part of a run */
#define MAX_COUNT 50000000

enum { IMPL_ZWIRE, IMPL_LIBZMQ, IMPLS };
static const char *const impl_names[IMPLS] = { "zwire", "libzmq" };

enum { MECH_NULL, MECH_PLAIN, MECH_CURVE, MECHS };
static const char *const mech_names[MECHS] = { "null", "plain", "curve" };
static const char *const mech_titles[MECHS] = { "NULL", "PLAIN", "CURVE" };

typedef struct {
    unsigned mechs[MECHS], sizes[LIST_MAX];
    size_t mech_count, size_count;
    double seconds, warmup, target;
    unsigned repeat;
    const char *pattern;
    int handshake, throughput;  /* the parts to run */
    char bin_dir[PATH_MAX];
    int json;
    const char *out;
} options;

typedef struct {
    int ok;
    json_t *line;               /* the program's result, with the CPU times added */
    double rate;                /* handshakes/s, or messages/s (steady state) */
    double p50, p99;            /* handshake: us */
    double mb;                  /* throughput: MB/s */
    double cpu_us;              /* CPU time of both processes per handshake or message */
} run_result;

typedef struct {
    bench_summary rate, p50, p99, mb, cpu;
} figures;

static figures
figures_of (const run_result *runs, size_t count)
{
    size_t stride = sizeof runs[0], ok = offsetof (run_result, ok);
    return (figures) {
        bench_summarize_field (runs, count, stride, ok, offsetof (run_result, rate)),
        bench_summarize_field (runs, count, stride, ok, offsetof (run_result, p50)),
        bench_summarize_field (runs, count, stride, ok, offsetof (run_result, p99)),
        bench_summarize_field (runs, count, stride, ok, offsetof (run_result, mb)),
        bench_summarize_field (runs, count, stride, ok, offsetof (run_result, cpu_us)) };
}

static json_t *
runs_json (const run_result *runs, size_t count)
{
    json_t *lines = json_array ();
    for (size_t r = 0; r < count; r++)
        if (runs[r].ok)
            json_array_append_new (lines, runs[r].line);
    return lines;
}

/* The progress line, on the terminal only (progress): what runs now. */
static void
progress_line (int progress, const char *what, unsigned size, const char *impl, unsigned run,
               unsigned repeat)
{
    if (!progress)
        return;
    fprintf (stderr, "\r\033[K%s", what);
    if (size != UINT_MAX)
        fprintf (stderr, " %u octets", size);
    fprintf (stderr, ": %s", impl);
    if (run)
        fprintf (stderr, ", run %u/%u", run, repeat);
    fflush (stderr);
}

/* --- handshakes ------------------------------------------------------------------------------ */

/*  One run: a fresh server, the client for warmup + seconds, the server
    stopped.  On failure why and command say what and how to rerun it.  */
static run_result
handshake_once (const options *o, int impl, int mech, char *why, size_t why_cap,
                char *command, size_t command_cap)
{
    run_result result = { 0 };
    char program[PATH_MAX + 16];
    snprintf (program, sizeof program, "%s/hs-%s", o->bin_dir, impl_names[impl]);
    char *server_argv[] = { program, "server", "--mechanism", (char *) mech_names[mech], NULL };
    bench_command_line (server_argv, command, command_cap);
    double cpu_before = bench_children_cpu_s ();
    bench_child s, c;
    char endpoint[PATH_MAX + 16], s_seconds[32], s_warmup[32], s_timeout[16];
    if (bench_spawn_bound (server_argv, "server", &s, endpoint, sizeof endpoint, NULL, why,
                           why_cap))
        return result;
    snprintf (s_seconds, sizeof s_seconds, "%g", o->seconds);
    snprintf (s_warmup, sizeof s_warmup, "%g", o->warmup);
    snprintf (s_timeout, sizeof s_timeout, "%u", (unsigned) (o->warmup + o->seconds) + 60);
    char *client_argv[] = { program, "client", "--connect", endpoint, "--mechanism",
                            (char *) mech_names[mech], "--seconds", s_seconds, "--warmup",
                            s_warmup, "--timeout", s_timeout, NULL };
    char server_command[1024];
    bench_join (server_command, sizeof server_command, command, (char *) NULL);
    bench_command_line (client_argv, command, command_cap);
    double cpu_server_start = bench_children_cpu_s ();
    if (bench_spawn (client_argv, 0, &c, why, why_cap) != 0) {
        kill (s.pid, SIGTERM);
        bench_reap (&s, 2);
        return result;
    }
    int status;
    json_t *parsed = bench_client_result (&c, bench_now_s () + o->warmup + o->seconds + 70,
                                          &status);
    double cpu_client = bench_children_cpu_s () - cpu_server_start;
    kill (s.pid, SIGTERM);
    int server_status = bench_reap (&s, 5);
    double cpu_server = bench_children_cpu_s () - cpu_before - cpu_client;
    if (status != 0 || !parsed) {
        bench_client_failure (&c, program, status, parsed, why, why_cap);
        json_decref (parsed);
        return result;
    }
    if (server_status != 0) {
        char text[64];
        snprintf (text, sizeof text, "the server did not stop on SIGTERM (status %d)",
                  server_status);
        bench_join (why, why_cap, text, "; server: ", server_command, (char *) NULL);
        json_decref (parsed);
        return result;
    }
    double all = (double) json_integer_value (json_object_get (parsed, "all_handshakes"));
    result.ok = 1;
    result.line = parsed;
    result.rate = json_number_value (json_object_get (parsed, "handshakes_per_s"));
    result.p50 = json_number_value (json_object_get (parsed, "p50_us"));
    result.p99 = json_number_value (json_object_get (parsed, "p99_us"));
    result.cpu_us = all > 0 ? (cpu_client + cpu_server) * 1e6 / all : 0;
    json_object_set_new (parsed, "client_cpu_us_per_hs",
                         json_real (all > 0 ? cpu_client * 1e6 / all : 0));
    json_object_set_new (parsed, "server_cpu_us_per_hs",
                         json_real (all > 0 ? cpu_server * 1e6 / all : 0));
    return result;
}

static void
run_handshakes (const options *o, json_t *results, json_t *failures, int progress)
{
    if (!o->json) {
        printf ("Handshakes over tcp (127.0.0.1), one after another: each a new REQ socket, "
                "connect,\ngreeting and mechanism handshake, one 16-octet round trip with the "
                "REP server, close;\n%u run%s of %g s after %g s per stack and mechanism, "
                "median.\n\n", o->repeat, o->repeat == 1 ? "" : "s", o->seconds, o->warmup);
        printf ("%-9s|  %-33s|  %-33s| %s\n", "", "zwire -> zwire", "libzmq -> libzmq",
                "zwire / libzmq");
        printf ("%-9s|  %7s %7s %7s %9s|  %7s %7s %7s %9s| %7s %7s %7s\n", "mechanism",
                "hs/s", "p50 us", "p99 us", "cpu us/hs", "hs/s", "p50 us", "p99 us",
                "cpu us/hs", "hs/s", "p50", "cpu/hs");
    }
    for (size_t mi = 0; mi < o->mech_count; mi++) {
        int mech = (int) o->mechs[mi];
        run_result runs[IMPLS][RUNS_MAX];
        memset (runs, 0, sizeof runs);
        for (unsigned r = 0; r < o->repeat; r++)
            for (int k = 0; k < IMPLS; k++) {
                int impl = (k + (int) r) % IMPLS;       /* alternate who goes first */
                char why[512] = "", command[2048] = "";
                progress_line (progress, mech_titles[mech], UINT_MAX, impl_names[impl], r + 1,
                               o->repeat);
                runs[impl][r] = handshake_once (o, impl, mech, why, sizeof why, command,
                                                sizeof command);
                if (!runs[impl][r].ok)
                    bench_emit (o->json, json_pack ("{s:s,s:s,s:s,s:s,s:I,s:s,s:s}",
                                                    "bench", "security-failure",
                                                    "part", "handshake",
                                                    "mechanism", mech_names[mech],
                                                    "impl", impl_names[impl],
                                                    "run", (json_int_t) r + 1, "why", why,
                                                    "command", command), failures);
            }
        if (progress)
            fprintf (stderr, "\r\033[K");
        figures f[IMPLS];
        json_t *line = json_pack ("{s:s,s:s,s:s,s:I}", "bench", "security-handshake",
                                  "mechanism", mech_names[mech], "transport", "tcp",
                                  "size", (json_int_t) 16);
        for (int i = 0; i < IMPLS; i++) {
            f[i] = figures_of (runs[i], o->repeat);
            json_object_set_new (line, impl_names[i],
                                 json_pack ("{s:o,s:o,s:o,s:o,s:o}",
                                            "handshakes_per_s", bench_summary_json (f[i].rate),
                                            "p50_us", bench_summary_json (f[i].p50),
                                            "p99_us", bench_summary_json (f[i].p99),
                                            "cpu_us_per_hs", bench_summary_json (f[i].cpu),
                                            "runs", runs_json (runs[i], o->repeat)));
        }
        figures *z = &f[IMPL_ZWIRE], *l = &f[IMPL_LIBZMQ];
        json_object_set_new (line, "ratio", bench_ratio_json (z->rate.median, l->rate.median));
        json_object_set_new (line, "p50_ratio", bench_ratio_json (z->p50.median, l->p50.median));
        json_object_set_new (line, "cpu_ratio", bench_ratio_json (z->cpu.median, l->cpu.median));
        if (!o->json) {
            printf ("%-9s|", mech_titles[mech]);
            for (int i = 0; i < IMPLS; i++)
                if (f[i].rate.median < 0)
                    printf ("  %7s %7s %7s %9s|", "failed", "-", "-", "-");
                else
                    printf ("  %7.0f %7.0f %7.0f %9.1f|", f[i].rate.median, f[i].p50.median,
                            f[i].p99.median, f[i].cpu.median);
            bench_print_ratio (z->rate.median, l->rate.median);
            bench_print_ratio (z->p50.median, l->p50.median);
            bench_print_ratio (z->cpu.median, l->cpu.median);
            printf ("\n");
            fflush (stdout);
        }
        bench_emit (o->json, line, results);
    }
    if (!o->json)
        printf ("\nhs/s: handshakes completed a second (the round trip answered and the socket "
                "closed);\np50, p99: the time of one, from the new socket to its close; cpu "
                "us/hs: the CPU time\nof the client and the server processes together per "
                "handshake (warm-up included).\nPLAIN and CURVE servers ask a ZAP handler "
                "of their own process, which accepts\nevery client (libzmq refuses PLAIN "
                "clients without one); NULL asks none.\n\n");
}

/* --- throughput ------------------------------------------------------------------------------ */

/*  One run of tp-IMPL with count messages.  Fills rate (steady msgs/s),
    mb and cpu_us; total_rate (if not NULL) gets (count - 1) / total_seconds,
    for calibration.  */
static run_result
throughput_once (const options *o, int impl, int mech, unsigned size, uint64_t count,
                 double *total_rate, char *why, size_t why_cap, char *command, size_t command_cap)
{
    run_result result = { 0 };
    char program[PATH_MAX + 16], s_size[16], s_count[24];
    snprintf (program, sizeof program, "%s/tp-%s", o->bin_dir, impl_names[impl]);
    snprintf (s_size, sizeof s_size, "%u", size);
    snprintf (s_count, sizeof s_count, "%llu", (unsigned long long) count);
    char *argv[] = { program, "--pattern", (char *) o->pattern, "--transport", "tcp",
                     "--size", s_size, "--count", s_count, "--mechanism",
                     (char *) mech_names[mech], NULL };
    bench_command_line (argv, command, command_cap);
    double cpu_before = bench_children_cpu_s ();
    bench_child c;
    if (bench_spawn (argv, 0, &c, why, why_cap) != 0)
        return result;
    int status;
    json_t *parsed = bench_client_result (&c, bench_now_s () + 150, &status);
    double cpu = bench_children_cpu_s () - cpu_before;
    json_t *rate = parsed ? json_object_get (parsed, "msgs_per_s") : NULL;
    if (status != 0 || !json_is_number (rate)) {
        bench_client_failure (&c, program, status, NULL, why, why_cap);
        json_decref (parsed);
        return result;
    }
    result.ok = 1;
    result.line = parsed;
    result.rate = json_number_value (rate);
    result.mb = json_number_value (json_object_get (parsed, "mb_per_s"));
    result.cpu_us = cpu * 1e6 / (double) count;
    json_object_set_new (parsed, "cpu_s", json_real (cpu));
    json_object_set_new (parsed, "cpu_us_per_msg", json_real (result.cpu_us));
    double total = json_number_value (json_object_get (parsed, "total_seconds"));
    if (total_rate)
        *total_rate = total > 0 ? (double) (count - 1) / total : 0;
    return result;
}

/*  The count for one mechanism and size: runs of both stacks, unrecorded,
    from a first guess, until each has lasted 50 ms or more (at most three
    tries); then the count that lasts --target seconds at the faster of
    their rates.  0 if a run failed (why, command).  */
static uint64_t
calibrate (const options *o, int mech, unsigned size, char *why, size_t why_cap, char *command,
           size_t command_cap)
{
    double best = 0;
    for (int impl = 0; impl < IMPLS; impl++) {
        uint64_t count = size >= 65536 ? 1000 : size >= 1024 ? 10000 : 20000;
        double rate = 0;
        for (int attempt = 0; attempt < 3; attempt++) {
            run_result r = throughput_once (o, impl, mech, size, count, &rate, why, why_cap,
                                            command, command_cap);
            if (!r.ok)
                return 0;
            json_decref (r.line);
            if (rate <= 0 || (double) count / rate >= 0.05)
                break;
            count = (uint64_t) (rate * 0.1) + 1;        /* about 100 ms this time */
        }
        if (rate > best)
            best = rate;
    }
    double wanted = best * o->target + 1;
    return wanted < MIN_COUNT ? MIN_COUNT : wanted > MAX_COUNT ? MAX_COUNT : (uint64_t) wanted;
}

static void
print_tp_cell (const figures *f)
{
    if (f->rate.median < 0)
        printf ("  %9s %8s %7s|", "failed", "-", "-");
    else
        printf ("  %9.0f %8.1f %7.2f|", f->rate.median, f->mb.median, f->cpu.median);
}

static void
run_throughput (const options *o, json_t *results, json_t *failures, int progress)
{
    if (!o->json) {
        printf ("Throughput, one direction, %s over tcp (127.0.0.1), NULL and CURVE (the "
                "receiver binds\nand is the CURVE server); per mechanism and size one count "
                "for both stacks, so that\nthe faster lasts about %g s; %u run%s each, median "
                "of the steady state.\n\n", o->pattern, o->target, o->repeat,
                o->repeat == 1 ? "" : "s");
        printf ("%-15s|  %-27s|  %-27s| %-7s| %s\n", "", "zwire -> zwire", "libzmq -> libzmq",
                "zwire /", "CURVE / NULL");
        printf ("%-6s %-8s|  %9s %8s %7s|  %9s %8s %7s| %7s| %7s %7s\n", "size", "mech",
                "msg/s", "MB/s", "cpu us", "msg/s", "MB/s", "cpu us", "libzmq", "zwire",
                "libzmq");
    }
    for (size_t si = 0; si < o->size_count; si++) {
        unsigned size = o->sizes[si];
        double null_rate[IMPLS] = { -1, -1 };
        static const int mechs[] = { MECH_NULL, MECH_CURVE };     /* NULL first: CURVE / NULL */
        for (size_t mi = 0; mi < sizeof mechs / sizeof mechs[0]; mi++) {
            int mech = mechs[mi];
            char why[512] = "", command[2048] = "";
            progress_line (progress, mech_titles[mech], size, "calibrating", 0, o->repeat);
            uint64_t count = calibrate (o, mech, size, why, sizeof why, command, sizeof command);
            run_result runs[IMPLS][RUNS_MAX];
            memset (runs, 0, sizeof runs);
            if (count == 0)
                bench_emit (o->json, json_pack ("{s:s,s:s,s:s,s:I,s:s,s:I,s:s,s:s}",
                                                "bench", "security-failure",
                                                "part", "throughput",
                                                "mechanism", mech_names[mech],
                                                "size", (json_int_t) size,
                                                "impl", "calibration", "run", (json_int_t) 0,
                                                "why", why, "command", command), failures);
            for (unsigned r = 0; count && r < o->repeat; r++)
                for (int k = 0; k < IMPLS; k++) {
                    int impl = (k + (int) r) % IMPLS;
                    progress_line (progress, mech_titles[mech], size, impl_names[impl], r + 1,
                                   o->repeat);
                    runs[impl][r] = throughput_once (o, impl, mech, size, count, NULL, why,
                                                     sizeof why, command, sizeof command);
                    if (!runs[impl][r].ok)
                        bench_emit (o->json, json_pack ("{s:s,s:s,s:s,s:I,s:s,s:I,s:s,s:s}",
                                                        "bench", "security-failure",
                                                        "part", "throughput",
                                                        "mechanism", mech_names[mech],
                                                        "size", (json_int_t) size,
                                                        "impl", impl_names[impl],
                                                        "run", (json_int_t) r + 1, "why", why,
                                                        "command", command), failures);
                }
            if (progress)
                fprintf (stderr, "\r\033[K");
            figures f[IMPLS];
            json_t *line = json_pack ("{s:s,s:s,s:I,s:s,s:s,s:I}", "bench", "security-throughput",
                                      "mechanism", mech_names[mech], "size", (json_int_t) size,
                                      "pattern", o->pattern, "transport", "tcp",
                                      "count", (json_int_t) count);
            for (int i = 0; i < IMPLS; i++) {
                f[i] = figures_of (runs[i], o->repeat);
                json_object_set_new (line, impl_names[i],
                                     json_pack ("{s:o,s:o,s:o,s:o}",
                                                "msgs_per_s", bench_summary_json (f[i].rate),
                                                "mb_per_s", bench_summary_json (f[i].mb),
                                                "cpu_us_per_msg", bench_summary_json (f[i].cpu),
                                                "runs", runs_json (runs[i], o->repeat)));
            }
            figures *z = &f[IMPL_ZWIRE], *l = &f[IMPL_LIBZMQ];
            json_object_set_new (line, "ratio", bench_ratio_json (z->rate.median, l->rate.median));
            json_object_set_new (line, "cpu_ratio",
                                 bench_ratio_json (z->cpu.median, l->cpu.median));
            if (mech == MECH_CURVE)
                json_object_set_new (line, "vs_null",
                                     json_pack ("{s:o,s:o}",
                                                "zwire", bench_ratio_json (z->rate.median,
                                                                           null_rate[IMPL_ZWIRE]),
                                                "libzmq", bench_ratio_json (l->rate.median,
                                                                            null_rate[IMPL_LIBZMQ])));
            if (!o->json) {
                printf ("%-6u %-8s|", size, mech_titles[mech]);
                print_tp_cell (z);
                print_tp_cell (l);
                bench_print_ratio (z->rate.median, l->rate.median);
                printf ("|");
                if (mech == MECH_CURVE) {
                    bench_print_ratio (z->rate.median, null_rate[IMPL_ZWIRE]);
                    bench_print_ratio (l->rate.median, null_rate[IMPL_LIBZMQ]);
                }
                printf ("\n");
                fflush (stdout);
            }
            for (int i = 0; i < IMPLS; i++)
                if (mech == MECH_NULL)
                    null_rate[i] = f[i].rate.median;
            bench_emit (o->json, line, results);
        }
    }
    if (!o->json)
        printf ("\nmsg/s, MB/s: the receiver's steady state (every message after the first "
                "100), payload\noctets only (10^6 a second); cpu us: the CPU time of the sender "
                "and the receiver\nprocesses together per message (the whole run); CURVE / NULL: "
                "the message rate with\nCURVE over that with NULL, same stack and size.\n");
}

/* --- options -------------------------------------------------------------------------------- */

static void
usage (FILE *out)
{
    fputs ("Usage: zwire bench security [--quick | --long] [--json] [--out FILE]\n"
           "                            [--only handshake|throughput] [--mechanisms LIST]\n"
           "                            [--sizes LIST] [--seconds S] [--warmup S]\n"
           "                            [--target S] [--repeat R] [--pattern P] [--bin-dir DIR]\n"
           "\n"
           "What the security mechanisms cost, the reference stack beside libzmq in the same\n"
           "run, over tcp on the loopback; the ratios zwire / libzmq and CURVE / NULL.\n"
           "\n"
           "handshake: handshakes a second with NULL, PLAIN (24/ZMTP-PLAIN) and CURVE\n"
           "(25/ZMTP-CURVE), zwire client -> zwire server (hs-zwire) beside libzmq client ->\n"
           "libzmq server (hs-libzmq).  One handshake: a new REQ socket, connect, the greeting\n"
           "and the mechanism's handshake, one 16-octet round trip with the REP server (the\n"
           "first message each way), close; one after another for S seconds after the\n"
           "warm-up, a fresh server per run.  Also the time of one (p50, p99) and the CPU\n"
           "time of both processes per handshake.  PLAIN and CURVE servers ask a ZAP handler\n"
           "in their process that accepts every client (27/ZAP; libzmq needs one for PLAIN).\n"
           "\n"
           "throughput: messages a second and MB/s, one direction (tp-zwire, tp-libzmq of the\n"
           "messaging benchmark, --mechanism null|curve), at 16 octets, 1 KiB and 64 KiB, NULL\n"
           "and CURVE; the receiver's steady state; both stacks run the same count, chosen so\n"
           "that the faster lasts about --target seconds.\n"
           "\n"
           "Options:\n"
           "  --only PART         handshake or throughput (both)\n"
           "  --mechanisms LIST   handshake mechanisms, comma-separated (null,plain,curve)\n"
           "  --sizes LIST        throughput message octets, comma-separated (16,1024,65536)\n"
           "  --seconds S         measured seconds per handshake run (1)\n"
           "  --warmup S          unmeasured seconds first (0.2)\n"
           "  --target S          seconds the faster stack's throughput run lasts (0.4)\n"
           "  --repeat R          runs per figure and stack (3)\n"
           "  --pattern P         push-pull or dealer-dealer (push-pull)\n"
           "  --quick             one short run of each (a smoke test, about 10 s)\n"
           "  --long              5 runs, 3 s after 0.5 s, throughput runs of 2 s (about 4 min);\n"
           "                      the default takes about 45 s on 2 CPUs\n"
           "  --json              JSON lines instead of the tables\n"
           "  --out FILE          also write the whole run as one JSON document\n"
           "  --bin-dir DIR       where hs-zwire, hs-libzmq, tp-zwire and tp-libzmq are\n"
           "                      (build/bench beside this zwire)\n"
           "\n"
           "Speed is reported, never asserted.  Exit status: 0 every run ran, 1 a run failed\n"
           "(reported, with the command that reruns it), 3 bad usage.  `make bench` runs it\n"
           "(--json); reference/bench/README.md says how it measures.\n", out);
}

static int
parse_mechanisms (const char *text, options *o)
{
    o->mech_count = 0;
    while (*text) {
        size_t n = strcspn (text, ",");
        int found = -1;
        for (int m = 0; m < MECHS; m++)
            if (strlen (mech_names[m]) == n && strncmp (text, mech_names[m], n) == 0)
                found = m;
        if (found < 0 || o->mech_count == MECHS)
            return 0;
        o->mechs[o->mech_count++] = (unsigned) found;
        text += n + (text[n] == ',');
    }
    return o->mech_count > 0;
}

static int
parse (int argc, char **argv, options *o)
{
    *o = (options) { .seconds = 1.0, .warmup = 0.2, .target = 0.4, .repeat = 3,
                     .pattern = "push-pull", .handshake = 1, .throughput = 1 };
    parse_mechanisms ("null,plain,curve", o);
    bench_parse_list ("16,1024,65536", o->sizes, &o->size_count, LIST_MAX, 0, 16u << 20);
    char zwire[PATH_MAX];
    bench_default_paths (zwire, sizeof zwire, o->bin_dir, sizeof o->bin_dir);
    int quick = 0, slow = 0, have_seconds = 0, have_warmup = 0, have_repeat = 0, have_target = 0;
    for (int i = 1; i < argc; i++) {
        const char *v;
        uint64_t n;
        int r, at = i;
        if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0) {
            usage (stdout);
            return 0;
        } else if (strcmp (argv[i], "--quick") == 0)
            quick = 1;
        else if (strcmp (argv[i], "--long") == 0)
            slow = 1;
        else if (strcmp (argv[i], "--json") == 0)
            o->json = 1;
        else if ((r = zw_args_value (argc, argv, &i, "--out", &v)) != 0 && r > 0)
            o->out = v;
        else if ((r = zw_args_value (argc, argv, &i, "--only", &v)) != 0 && r > 0
                 && (strcmp (v, "handshake") == 0 || strcmp (v, "throughput") == 0))
            o->handshake = strcmp (v, "handshake") == 0, o->throughput = !o->handshake;
        else if ((r = zw_args_value (argc, argv, &i, "--mechanisms", &v)) != 0 && r > 0
                 && parse_mechanisms (v, o))
            ;
        else if ((r = zw_args_value (argc, argv, &i, "--sizes", &v)) != 0 && r > 0
                 && bench_parse_list (v, o->sizes, &o->size_count, LIST_MAX, 0, 16u << 20))
            ;
        else if ((r = zw_args_value (argc, argv, &i, "--seconds", &v)) != 0 && r > 0
                 && bench_parse_seconds (v, 0.05, &o->seconds))
            have_seconds = 1;
        else if ((r = zw_args_value (argc, argv, &i, "--warmup", &v)) != 0 && r > 0
                 && bench_parse_seconds (v, 0, &o->warmup))
            have_warmup = 1;
        else if ((r = zw_args_value (argc, argv, &i, "--target", &v)) != 0 && r > 0
                 && bench_parse_seconds (v, 0.01, &o->target))
            have_target = 1;
        else if ((r = zw_args_value (argc, argv, &i, "--repeat", &v)) != 0 && r > 0
                 && zw_args_u64 (v, &n) && n >= 1 && n <= RUNS_MAX)
            o->repeat = (unsigned) n, have_repeat = 1;
        else if ((r = zw_args_value (argc, argv, &i, "--pattern", &v)) != 0 && r > 0
                 && (strcmp (v, "push-pull") == 0 || strcmp (v, "dealer-dealer") == 0))
            o->pattern = v;
        else if ((r = zw_args_value (argc, argv, &i, "--bin-dir", &v)) != 0 && r > 0
                 && strlen (v) < sizeof o->bin_dir)
            bench_join (o->bin_dir, sizeof o->bin_dir, v, (char *) NULL);
        else {
            fprintf (stderr, "zwire bench security: bad argument '%s%s%s' (see --help)\n",
                     argv[at], i > at ? " " : "", i > at ? argv[i] : "");
            return -1;
        }
    }
    if (quick && slow) {
        fprintf (stderr, "zwire bench security: --quick or --long, not both\n");
        return -1;
    }
    if (quick || slow) {
        if (!have_seconds)
            o->seconds = quick ? 0.3 : 3;
        if (!have_warmup)
            o->warmup = quick ? 0.1 : 0.5;
        if (!have_repeat)
            o->repeat = quick ? 1 : 5;
        if (!have_target)
            o->target = quick ? 0.05 : 2;
    }
    if (o->handshake && (!bench_have_program ("security", o->bin_dir, "hs-zwire")
                         || !bench_have_program ("security", o->bin_dir, "hs-libzmq")))
        return -1;
    if (o->throughput && (!bench_have_program ("security", o->bin_dir, "tp-zwire")
                          || !bench_have_program ("security", o->bin_dir, "tp-libzmq")))
        return -1;
    return 1;
}

int
zw_cli_bench_security (int argc, char **argv)
{
    options o;
    int parsed = parse (argc, argv, &o);
    if (parsed <= 0)
        return parsed == 0 ? ZW_EXIT_OK : ZW_EXIT_USAGE;
    long cpus = sysconf (_SC_NPROCESSORS_ONLN);
    json_t *handshake = json_array (), *throughput = json_array (), *failures = json_array ();
    json_t *setup = json_pack ("{s:s,s:I,s:s,s:f,s:f,s:f,s:I,s:s,s:s}",
                               "bench", "security-setup", "cpus", (json_int_t) cpus,
                               "transport", "tcp", "seconds", o.seconds, "warmup", o.warmup,
                               "target_s", o.target, "repeat", (json_int_t) o.repeat,
                               "pattern", o.pattern, "bin_dir", o.bin_dir);
    if (o.json) {
        json_dumpf (setup, stdout, JSON_COMPACT);
        putchar ('\n');
        fflush (stdout);
    } else
        printf ("zwire bench security: NULL, PLAIN and CURVE, zwire beside libzmq; this "
                "machine: %ld CPUs.\n\n", cpus);
    int progress = !o.json && isatty (STDERR_FILENO);     /* a line on the terminal only */
    double started = bench_now_s ();
    if (o.handshake)
        run_handshakes (&o, handshake, failures, progress);
    if (o.throughput)
        run_throughput (&o, throughput, failures, progress);
    size_t failed = json_array_size (failures);
    if (!o.json && failed) {
        printf ("\n%zu run%s failed:\n", failed, failed == 1 ? "" : "s");
        size_t i;
        json_t *f;
        json_array_foreach (failures, i, f)
            printf ("  %s %s %s: %s\n    rerun: %s\n",
                    json_string_value (json_object_get (f, "part")),
                    json_string_value (json_object_get (f, "mechanism")),
                    json_string_value (json_object_get (f, "impl")),
                    json_string_value (json_object_get (f, "why")),
                    json_string_value (json_object_get (f, "command")));
    }
    int rc = failed ? 1 : ZW_EXIT_OK;
    if (o.out) {
        if (bench_write_out ("security", o.out, setup, bench_now_s () - started, "handshake",
                             handshake, "throughput", throughput, "failures", failures,
                             (char *) NULL) != 0)
            rc = ZW_EXIT_USAGE;
        else if (!o.json)
            printf ("\nJSON: %s\n", o.out);
    }
    json_decref (setup);
    json_decref (handshake);
    json_decref (throughput);
    json_decref (failures);
    return rc;
}
