/*  bench_fl.c — `zwire bench fl`: the reference Freelance client and
    server (10/FLP), in two parts.

    rt: round trips a second, one request at a time, of 16-octet and 1 KiB
    bodies: the reference client (fl-loadgen, on the client's C API)
    against `zwire fl server --echo`, and, in the same run, a plain libzmq
    DEALER (fl-rtt-libzmq) against a libzmq ROUTER echo (fl-echo), the
    baseline; the ratio zwire / baseline.  Each run starts a fresh server
    on a free port, runs the client for a fixed time, stops the server
    (SIGTERM) and reads its CPU time; the two take turns, the order
    alternating from one run to the next; figures are medians of the runs,
    with min and max, and the ratios are between medians of this run.

    failover: three `zwire fl server --echo`, the reference client on all
    three (fl-loadgen failover), requests back to back; after a warm-up the
    server in use (the one that gave the last answer) is killed with
    SIGKILL; for each ping interval (100 ms and 1 s): the time from the
    kill to the next answered request, and until the client stops trying
    the dead server, and the requests lost (every request must be
    answered: the other two servers are up).

    Output: tables, or JSON lines with --json (what `make bench`
    collects); --out FILE writes the JSON document too.  Speed is
    reported, never asserted: the exit status is 1 if a run failed to run
    or lost a request (issue 13: lost must be 0), else 0.  The programs
    are reference/bench/fl/; reference/bench/README.md says how they
    measure.  */

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
#define SERVERS 3
#define BIND_TRIES 3            /* a free port another process takes first: try another */

typedef struct {
    unsigned sizes[LIST_MAX], pings[LIST_MAX];
    size_t size_count, ping_count;
    double seconds, warmup, failover_warmup;
    unsigned repeat, failover_repeat;
    unsigned liveness, timeout_ms, retries;
    int rt, failover;           /* the parts to run */
    char zwire[PATH_MAX], bin_dir[PATH_MAX];
    int json;
    const char *out;
} options;

enum { IMPL_ZWIRE, IMPL_BASELINE, IMPLS };
static const char *const impl_names[IMPLS] = { "zwire", "baseline" };

typedef struct {
    int ran;                    /* it ran to the end (its figures count) */
    json_t *line;
    double kill_to_answer_ms, last_retry_ms;
    long lost, bad;
} failover_result;

/* --- servers -------------------------------------------------------------------------------- */

/*  Starts a server (argv, whose endpoint word is endpoint_word, rewritten
    with a free port per try when it holds a "%u") and waits for its
    "bound ENDPOINT" line.  0, or -1 with why.  */
static int
start_server (char **argv, int endpoint_word, const char *pattern, char *endpoint, size_t cap,
              bench_child *c, char *why, size_t why_cap)
{
    for (int attempt = 0; attempt < BIND_TRIES; attempt++) {
        unsigned port = strstr (pattern, "%u") ? bench_free_port () : 0;
        snprintf (endpoint, cap, pattern, port);
        argv[endpoint_word] = endpoint;
        char bound[PATH_MAX + 16];
        int status;
        if (bench_spawn_bound (argv, "server", c, bound, sizeof bound, &status, why,
                               why_cap) == 0) {
            if (!strstr (pattern, "%u"))            /* the port it chose */
                bench_join (endpoint, cap, bound, (char *) NULL);
            return 0;
        }
        if (status != 3 || !strstr (pattern, "%u"))
            return -1;                              /* not a port taken meanwhile */
    }
    return -1;
}

/*  Stops a server with SIGTERM: 0 if it exited 0, else -1 with why
    (prefix names it).  */
static int
stop_server (bench_child *c, const char *prefix, char *why, size_t cap)
{
    kill (c->pid, SIGTERM);
    int status = bench_reap (c, 5);
    if (status == 0)
        return 0;
    char text[64];
    snprintf (text, sizeof text, " did not stop on SIGTERM (status %d)", status);
    bench_join (why, cap, prefix, text, (char *) NULL);
    return -1;
}

/* --- round trips ---------------------------------------------------------------------------- */

static bench_rt_run
rt_once (const options *o, int impl, unsigned size, char *why, size_t why_cap, char *command,
         size_t command_cap)
{
    bench_rt_run result = { 0 };
    char endpoint[PATH_MAX + 32], echo[PATH_MAX + 16], client[PATH_MAX + 16];
    snprintf (echo, sizeof echo, "%s/fl-echo", o->bin_dir);
    snprintf (client, sizeof client, "%s/%s", o->bin_dir,
              impl == IMPL_ZWIRE ? "fl-loadgen" : "fl-rtt-libzmq");
    char *zwire_argv[] = { (char *) o->zwire, "fl", "server", "--bind", NULL, "--echo", "--quiet",
                           NULL };
    char *echo_argv[] = { echo, "--bind", NULL, NULL };
    char **server_argv = impl == IMPL_ZWIRE ? zwire_argv : echo_argv;
    bench_child s, g;
    /* The reference server's identity is its endpoint: a port of its own, given (F1). */
    if (start_server (server_argv, impl == IMPL_ZWIRE ? 4 : 2,
                      impl == IMPL_ZWIRE ? "tcp://127.0.0.1:%u" : "tcp://127.0.0.1:0", endpoint,
                      sizeof endpoint, &s, why, why_cap) != 0) {
        bench_command_line (server_argv, command, command_cap);
        return result;
    }
    char server_command[2048];
    bench_command_line (server_argv, server_command, sizeof server_command);
    char s_size[16], s_seconds[32], s_warmup[32], s_timeout[16];
    snprintf (s_size, sizeof s_size, "%u", size);
    snprintf (s_seconds, sizeof s_seconds, "%g", o->seconds);
    snprintf (s_warmup, sizeof s_warmup, "%g", o->warmup);
    snprintf (s_timeout, sizeof s_timeout, "%u", (unsigned) (o->warmup + o->seconds) + 60);
    char *zwire_client[] = { client, "rtt", "--connect", endpoint, "--size", s_size, "--seconds",
                             s_seconds, "--warmup", s_warmup, "--timeout", s_timeout, NULL };
    char *libzmq_client[] = { client, "--connect", endpoint, "--size", s_size, "--seconds",
                              s_seconds, "--warmup", s_warmup, "--timeout", s_timeout, NULL };
    char **client_argv = impl == IMPL_ZWIRE ? zwire_client : libzmq_client;
    bench_command_line (client_argv, command, command_cap);
    double cpu_before = bench_children_cpu_s ();
    if (bench_spawn (client_argv, 0, &g, why, why_cap) != 0) {
        char ignored[8];
        stop_server (&s, "", ignored, sizeof ignored);
        return result;
    }
    int status;
    json_t *parsed = bench_client_result (&g, bench_now_s () + o->warmup + o->seconds + 70, &status);
    double cpu_client = bench_children_cpu_s () - cpu_before;
    char stop_why[256];
    int stopped = stop_server (&s, "the server", stop_why, sizeof stop_why);
    double cpu_server = bench_children_cpu_s () - cpu_before - cpu_client;
    if (status != 0 || !parsed) {
        bench_client_failure (&g, impl == IMPL_ZWIRE ? "fl-loadgen" : "fl-rtt-libzmq", status,
                              parsed, why, why_cap);
        json_decref (parsed);
        return result;
    }
    if (stopped != 0) {
        bench_join (why, why_cap, stop_why, "; server: ", server_command, (char *) NULL);
        json_decref (parsed);
        return result;
    }
    double all = bench_rt_take (&result, parsed, cpu_server);
    json_object_set_new (parsed, "server", json_string (impl == IMPL_ZWIRE ? "zwire fl server"
                                                                            : "fl-echo"));
    json_object_set_new (parsed, "server_cpu_s", json_real (cpu_server));
    json_object_set_new (parsed, "server_cpu_us_per_rt", json_real (result.cpu_us));
    json_object_set_new (parsed, "client_cpu_us_per_rt",
                         json_real (all > 0 ? cpu_client * 1e6 / all : 0));
    return result;
}

/* --- failover ------------------------------------------------------------------------------- */

static failover_result
failover_once (const options *o, unsigned ping_ms, char *why, size_t why_cap, char *command,
               size_t command_cap)
{
    failover_result result = { 0 };
    bench_child servers[SERVERS], g;
    char endpoints[SERVERS][64], connect[SERVERS * 64], pids[SERVERS * 16];
    size_t started = 0;
    connect[0] = pids[0] = '\0';
    for (; started < SERVERS; started++) {
        char *argv[] = { (char *) o->zwire, "fl", "server", "--bind", NULL, "--echo", "--quiet",
                         NULL };
        if (start_server (argv, 4, "tcp://127.0.0.1:%u", endpoints[started],
                          sizeof endpoints[started], &servers[started], why, why_cap) != 0) {
            bench_command_line (argv, command, command_cap);
            break;
        }
        size_t at = strlen (connect), pat = strlen (pids);
        snprintf (connect + at, sizeof connect - at, "%s%s", started ? "," : "",
                  endpoints[started]);
        snprintf (pids + pat, sizeof pids - pat, "%s%ld", started ? "," : "",
                  (long) servers[started].pid);
    }
    if (started == SERVERS) {
        char s_ping[16], s_liveness[16], s_timeout[16], s_retries[16], s_warmup[32], s_watch[16];
        snprintf (s_ping, sizeof s_ping, "%u", ping_ms);
        snprintf (s_liveness, sizeof s_liveness, "%u", o->liveness);
        snprintf (s_timeout, sizeof s_timeout, "%u", o->timeout_ms);
        snprintf (s_retries, sizeof s_retries, "%u", o->retries);
        snprintf (s_warmup, sizeof s_warmup, "%g", o->failover_warmup);
        double after = (o->liveness * ping_ms + 2.0 * o->timeout_ms) / 1000 + 0.5;
        double budget = o->failover_warmup + after + 30;
        snprintf (s_watch, sizeof s_watch, "%u", (unsigned) budget + 30);
        char loadgen[PATH_MAX + 16];
        snprintf (loadgen, sizeof loadgen, "%s/fl-loadgen", o->bin_dir);
        char *argv[] = { loadgen, "failover", "--connect", connect, "--pids", pids,
                         "--ping-interval", s_ping, "--liveness", s_liveness,
                         "--attempt-timeout", s_timeout, "--retries", s_retries,
                         "--size", "1024", "--warmup", s_warmup, "--timeout", s_watch, NULL };
        bench_command_line (argv, command, command_cap);
        if (bench_spawn (argv, 0, &g, why, why_cap) == 0) {
            int status;
            json_t *parsed = bench_client_result (&g, bench_now_s () + budget, &status);
            json_t *k = parsed ? json_object_get (parsed, "kill_to_answer_ms") : NULL;
            if (parsed && json_is_number (k)) {
                result.ran = 1;
                result.kill_to_answer_ms = json_number_value (k);
                result.last_retry_ms =
                    json_number_value (json_object_get (parsed, "last_retry_ms"));
                result.lost = (long) json_integer_value (json_object_get (parsed, "lost"));
                result.bad = (long) json_integer_value (json_object_get (parsed, "bad_replies"));
                result.line = parsed;
                if (result.lost || result.bad)
                    snprintf (why, why_cap, "%ld requests lost, %ld answered with another "
                              "request's body", result.lost, result.bad);
            } else {
                bench_client_failure (&g, "fl-loadgen", status, NULL, why, why_cap);
                json_decref (parsed);
            }
        }
    }
    /* The killed one ended by SIGKILL; the others must stop on SIGTERM. */
    for (size_t i = 0; i < started; i++) {
        kill (servers[i].pid, SIGTERM);
        int status = bench_reap (&servers[i], 5);
        if (status != 0 && status != 128 + SIGKILL && result.ran && !result.lost && !result.bad) {
            snprintf (why, why_cap, "server %zu (%s) did not stop on SIGTERM (status %d)", i,
                      endpoints[i], status);
            result.ran = 0;
            json_decref (result.line);
            result.line = NULL;
        }
    }
    return result;
}

static bench_summary
failover_summary (const failover_result *runs, size_t count, size_t offset)
{
    return bench_summarize_field (runs, count, sizeof runs[0], offsetof (failover_result, ran),
                                  offset);
}

/* --- options -------------------------------------------------------------------------------- */

static void
usage (FILE *out)
{
    fputs ("Usage: zwire bench fl [--quick] [--json] [--out FILE] [--only rt|failover]\n"
           "                      [--sizes LIST] [--seconds S] [--warmup S] [--repeat R]\n"
           "                      [--pings LIST] [--failover-repeat R] [--liveness N]\n"
           "                      [--timeout MS] [--retries N] [--bin-dir DIR] [--zwire PATH]\n"
           "\n"
           "The reference Freelance client and server (10/FLP), in two parts.\n"
           "\n"
           "rt: round trips a second, one request at a time: the reference client (the C\n"
           "API of reference/flp/flp_client_shell.h, in fl-loadgen) against `zwire fl server\n"
           "--echo`, and in the same run a plain libzmq DEALER client (fl-rtt-libzmq) against\n"
           "a libzmq ROUTER echo server (fl-echo), the baseline; the ratio zwire / baseline.\n"
           "Each body size runs R times per side, a fresh server each time (the order\n"
           "alternates), S seconds measured after the warm-up; figures are medians.\n"
           "\n"
           "failover: three `zwire fl server --echo` and the reference client on all three,\n"
           "requests back to back (1 KiB bodies, each its own); after a warm-up the server\n"
           "in use (the one that gave the last answer) is killed with SIGKILL.  For each ping\n"
           "interval: the time from the kill to the next answered request, the time until\n"
           "the client stops trying the dead server first (the last request that needed a\n"
           "retry), and the requests lost (timed out, no server, or another's body): 0 is\n"
           "required, with two servers up.\n"
           "\n"
           "Options:\n"
           "  --only PART         rt or failover (both)\n"
           "  --sizes LIST        body octets, comma-separated (16,1024)\n"
           "  --seconds S         measured seconds per round-trip run (2)\n"
           "  --warmup S          unmeasured seconds first (0.5)\n"
           "  --repeat R          round-trip runs per size and side (3)\n"
           "  --pings LIST        the client's ping intervals for failover, ms (100,1000)\n"
           "  --failover-repeat R failover runs per ping interval (3)\n"
           "  --liveness N        silent intervals before a server is gone (3, the client's)\n"
           "  --timeout MS        how long one attempt waits (1000, the client's)\n"
           "  --retries N         attempts after the first (3, the client's)\n"
           "  --quick             one run of each, 0.7 s after 0.3 s (about 20 s in all; a\n"
           "                      smoke test); the default takes about a minute\n"
           "  --json              JSON lines instead of the tables\n"
           "  --out FILE          also write the whole run as one JSON document\n"
           "  --bin-dir DIR       where fl-loadgen, fl-rtt-libzmq and fl-echo are\n"
           "                      (build/bench beside this zwire)\n"
           "  --zwire PATH        the zwire whose server is measured (this one)\n"
           "\n"
           "Speed is reported, never asserted.  Exit status: 0 every run ran and no request\n"
           "was lost, 1 a run failed or lost a request (reported), 3 bad usage.  `make bench`\n"
           "runs it (--json); reference/bench/README.md says how it measures.\n", out);
}

static int
parse (int argc, char **argv, options *o)
{
    *o = (options) { .seconds = 2.0, .warmup = 0.5, .failover_warmup = 0.5, .repeat = 3,
                     .failover_repeat = 3, .liveness = 3, .timeout_ms = 1000, .retries = 3,
                     .rt = 1, .failover = 1 };
    bench_parse_list ("16,1024", o->sizes, &o->size_count, LIST_MAX, 0, 16u << 20);
    bench_parse_list ("100,1000", o->pings, &o->ping_count, LIST_MAX, 1, 60000);
    bench_default_paths (o->zwire, sizeof o->zwire, o->bin_dir, sizeof o->bin_dir);
    int quick = 0, have_seconds = 0, have_warmup = 0, have_repeat = 0, have_frepeat = 0;
    for (int i = 1; i < argc; i++) {
        const char *v;
        uint64_t n;
        int r, at = i;
        if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0) {
            usage (stdout);
            return 0;
        } else if (strcmp (argv[i], "--quick") == 0)
            quick = 1;
        else if (strcmp (argv[i], "--json") == 0)
            o->json = 1;
        else if ((r = zw_args_value (argc, argv, &i, "--out", &v)) != 0 && r > 0)
            o->out = v;
        else if ((r = zw_args_value (argc, argv, &i, "--only", &v)) != 0 && r > 0
                 && (strcmp (v, "rt") == 0 || strcmp (v, "failover") == 0))
            o->rt = strcmp (v, "rt") == 0, o->failover = !o->rt;
        else if ((r = zw_args_value (argc, argv, &i, "--sizes", &v)) != 0 && r > 0
                 && bench_parse_list (v, o->sizes, &o->size_count, LIST_MAX, 0, 16u << 20))
            ;
        else if ((r = zw_args_value (argc, argv, &i, "--pings", &v)) != 0 && r > 0
                 && bench_parse_list (v, o->pings, &o->ping_count, LIST_MAX, 1, 60000))
            ;
        else if ((r = zw_args_value (argc, argv, &i, "--seconds", &v)) != 0 && r > 0
                 && bench_parse_seconds (v, 0.05, &o->seconds))
            have_seconds = 1;
        else if ((r = zw_args_value (argc, argv, &i, "--warmup", &v)) != 0 && r > 0
                 && bench_parse_seconds (v, 0, &o->warmup))
            have_warmup = 1;
        else if ((r = zw_args_value (argc, argv, &i, "--repeat", &v)) != 0 && r > 0
                 && zw_args_u64 (v, &n) && n >= 1 && n <= RUNS_MAX)
            o->repeat = (unsigned) n, have_repeat = 1;
        else if ((r = zw_args_value (argc, argv, &i, "--failover-repeat", &v)) != 0 && r > 0
                 && zw_args_u64 (v, &n) && n >= 1 && n <= RUNS_MAX)
            o->failover_repeat = (unsigned) n, have_frepeat = 1;
        else if ((r = zw_args_value (argc, argv, &i, "--liveness", &v)) != 0 && r > 0
                 && zw_args_u64 (v, &n) && n >= 1 && n <= 100)
            o->liveness = (unsigned) n;
        else if ((r = zw_args_value (argc, argv, &i, "--timeout", &v)) != 0 && r > 0
                 && zw_args_u64 (v, &n) && n >= 1 && n <= 60000)
            o->timeout_ms = (unsigned) n;
        else if ((r = zw_args_value (argc, argv, &i, "--retries", &v)) != 0 && r > 0
                 && zw_args_u64 (v, &n) && n <= 100)
            o->retries = (unsigned) n;
        else if ((r = zw_args_value (argc, argv, &i, "--bin-dir", &v)) != 0 && r > 0
                 && strlen (v) < sizeof o->bin_dir)
            bench_join (o->bin_dir, sizeof o->bin_dir, v, (char *) NULL);
        else if ((r = zw_args_value (argc, argv, &i, "--zwire", &v)) != 0 && r > 0
                 && strlen (v) < sizeof o->zwire)
            bench_join (o->zwire, sizeof o->zwire, v, (char *) NULL);
        else {
            fprintf (stderr, "zwire bench fl: bad argument '%s%s%s' (see --help)\n", argv[at],
                     i > at ? " " : "", i > at ? argv[i] : "");
            return -1;
        }
    }
    if (quick) {
        if (!have_seconds)
            o->seconds = 0.7;
        if (!have_warmup)
            o->warmup = 0.3;
        if (!have_repeat)
            o->repeat = 1;
        if (!have_frepeat)
            o->failover_repeat = 1;
    }
    if ((o->failover || o->rt) && !bench_have_program ("fl", o->bin_dir, "fl-loadgen"))
        return -1;
    if (o->rt && (!bench_have_program ("fl", o->bin_dir, "fl-rtt-libzmq")
                  || !bench_have_program ("fl", o->bin_dir, "fl-echo")))
        return -1;
    if (access (o->zwire, X_OK) != 0) {
        fprintf (stderr, "zwire bench fl: cannot run %s (--zwire)\n", o->zwire);
        return -1;
    }
    return 1;
}

/* --- the two parts ---------------------------------------------------------------------------- */

static void
run_rt (const options *o, json_t *results, json_t *failures, int progress)
{
    if (!o->json) {
        printf ("Round trips, one at a time: the reference client (C API) and `zwire fl server "
                "--echo`,\nagainst a libzmq DEALER and a libzmq ROUTER echo; tcp, %u run%s of %g s "
                "after %g s each, median.\n\n", o->repeat, o->repeat == 1 ? "" : "s",
                o->seconds, o->warmup);
        bench_rt_print_header (8, "size", "zwire client + fl server",
                               "libzmq DEALER + ROUTER echo");
    }
    for (size_t si = 0; si < o->size_count; si++) {
        unsigned size = o->sizes[si];
        bench_rt_run runs[IMPLS][RUNS_MAX];
        memset (runs, 0, sizeof runs);
        for (unsigned r = 0; r < o->repeat; r++)
            for (int k = 0; k < IMPLS; k++) {
                int impl = (k + (int) r) % IMPLS;       /* alternate who goes first */
                char why[512] = "", command[2048] = "";
                if (progress) {
                    fprintf (stderr, "\r\033[K%u octets: %s, run %u/%u", size, impl_names[impl],
                             r + 1, o->repeat);
                    fflush (stderr);
                }
                runs[impl][r] = rt_once (o, impl, size, why, sizeof why, command, sizeof command);
                if (!runs[impl][r].ok)
                    bench_emit (o->json, json_pack ("{s:s,s:s,s:i,s:s,s:i,s:s,s:s}",
                                                    "bench", "fl-failure", "part", "rt",
                                                    "size", (json_int_t) size,
                                                    "impl", impl_names[impl],
                                                    "run", (json_int_t) r + 1, "why", why,
                                                    "command", command), failures);
            }
        if (progress)
            fprintf (stderr, "\r\033[K");
        bench_rt_figures f[IMPLS];
        json_t *line = json_pack ("{s:s,s:i,s:s}", "bench", "fl-rt", "size", (json_int_t) size,
                                  "transport", "tcp");
        for (int i = 0; i < IMPLS; i++) {
            f[i] = bench_rt_figures_of (runs[i], o->repeat);
            json_object_set_new (line, impl_names[i],
                                 bench_rt_figures_json (&f[i], "server_cpu_us_per_rt", runs[i],
                                                        o->repeat));
        }
        bench_rt_ratios_json (line, &f[IMPL_ZWIRE], &f[IMPL_BASELINE]);
        if (!o->json) {
            printf ("%8u|", size);
            bench_rt_print_row (&f[IMPL_ZWIRE], &f[IMPL_BASELINE]);
        }
        bench_emit (o->json, line, results);
    }
    if (!o->json)
        printf ("\nrt/s: round trips a second; p50, p99: round-trip time; cpu/rt: the server "
                "process's\nCPU time per round trip, in us (warm-up included).  The zwire client "
                "pings its server\nevery second meanwhile (its default).\n\n");
}

static int
run_failover (const options *o, json_t *results, json_t *failures, int progress)
{
    int lost_any = 0;
    if (!o->json) {
        printf ("Failover: three `zwire fl server --echo`, the reference client on all three "
                "(liveness %u,\ntimeout %u ms, %u retries), 1 KiB requests back to back; the "
                "server in use killed\n(SIGKILL) after %g s; %u run%s per ping interval, "
                "median (min-max).\n\n", o->liveness, o->timeout_ms, o->retries,
                o->failover_warmup, o->failover_repeat, o->failover_repeat == 1 ? "" : "s");
        printf ("%8s | %-26s | %-26s | %7s | %5s\n", "ping ms", "kill -> next answer, ms",
                "kill -> last retry, ms", "retried", "lost");
    }
    for (size_t pi = 0; pi < o->ping_count; pi++) {
        unsigned ping = o->pings[pi];
        failover_result runs[RUNS_MAX];
        memset (runs, 0, sizeof runs);
        long lost = 0, bad = 0, retried = 0;
        json_t *lines = json_array ();
        for (unsigned r = 0; r < o->failover_repeat; r++) {
            char why[512] = "", command[4096] = "";
            if (progress) {
                fprintf (stderr, "\r\033[Kfailover, ping %u ms, run %u/%u", ping, r + 1,
                         o->failover_repeat);
                fflush (stderr);
            }
            runs[r] = failover_once (o, ping, why, sizeof why, command, sizeof command);
            if (runs[r].line) {
                lost += runs[r].lost;
                bad += runs[r].bad;
                retried += (long) json_integer_value (json_object_get (runs[r].line, "retried"));
                json_array_append_new (lines, runs[r].line);
            }
            if (!runs[r].ran || runs[r].lost || runs[r].bad)
                bench_emit (o->json, json_pack ("{s:s,s:s,s:i,s:i,s:s,s:s}", "bench", "fl-failure",
                                                "part", "failover",
                                                "ping_interval_ms", (json_int_t) ping,
                                                "run", (json_int_t) r + 1, "why", why,
                                                "command", command), failures);
        }
        if (progress)
            fprintf (stderr, "\r\033[K");
        lost_any |= lost || bad;
        bench_summary k = failover_summary (runs, o->failover_repeat,
                                            offsetof (failover_result, kill_to_answer_ms));
        bench_summary t = failover_summary (runs, o->failover_repeat,
                                            offsetof (failover_result, last_retry_ms));
        json_t *line = json_pack ("{s:s,s:i,s:i,s:i,s:i,s:o,s:o,s:i,s:i,s:i,s:o}",
                                  "bench", "fl-failover", "ping_interval_ms", (json_int_t) ping,
                                  "liveness", (json_int_t) o->liveness,
                                  "timeout_ms", (json_int_t) o->timeout_ms,
                                  "retries", (json_int_t) o->retries,
                                  "kill_to_answer_ms", bench_summary_json (k),
                                  "last_retry_ms", bench_summary_json (t),
                                  "retried", (json_int_t) retried, "lost", (json_int_t) lost,
                                  "bad_replies", (json_int_t) bad, "runs", lines);
        if (!o->json) {
            char a[40] = "failed", b[40] = "failed";
            if (k.median >= 0)
                snprintf (a, sizeof a, "%.0f (%.0f-%.0f)", k.median, k.min, k.max);
            if (t.median >= 0)
                snprintf (b, sizeof b, "%.0f (%.0f-%.0f)", t.median, t.min, t.max);
            printf ("%8u | %-26s | %-26s | %7ld | %5ld%s\n", ping, a, b, retried, lost + bad,
                    lost + bad ? "  LOST" : "");
            fflush (stdout);
        }
        bench_emit (o->json, line, results);
    }
    if (!o->json)
        printf ("\nkill -> next answer: from the kill to the end of the first request answered "
                "after it\n(the one sent at once, to the dead server, answered by another once "
                "the client has\nseen the connection lost: at its next wake, at most a ping "
                "interval; DECISIONS F18);\nkill -> last retry: to the end of the last request "
                "that needed a retry;\nretried: such requests, over every run; lost: requests "
                "timed out, with no server,\nor answered with another's body (must be 0).\n");
    return lost_any;
}

int
zw_cli_bench_fl (int argc, char **argv)
{
    options o;
    int parsed = parse (argc, argv, &o);
    if (parsed <= 0)
        return parsed == 0 ? ZW_EXIT_OK : ZW_EXIT_USAGE;
    long cpus = sysconf (_SC_NPROCESSORS_ONLN);
    json_t *rt = json_array (), *failover = json_array (), *failures = json_array ();
    json_t *setup = json_pack ("{s:s,s:i,s:f,s:f,s:i,s:f,s:i,s:i,s:i,s:i,s:s,s:s}",
                               "bench", "fl-setup", "cpus", (json_int_t) cpus,
                               "seconds", o.seconds, "warmup", o.warmup,
                               "repeat", (json_int_t) o.repeat,
                               "failover_warmup", o.failover_warmup,
                               "failover_repeat", (json_int_t) o.failover_repeat,
                               "liveness", (json_int_t) o.liveness,
                               "timeout_ms", (json_int_t) o.timeout_ms,
                               "retries", (json_int_t) o.retries,
                               "zwire", o.zwire, "bin_dir", o.bin_dir);
    if (o.json) {
        json_dumpf (setup, stdout, JSON_COMPACT);
        putchar ('\n');
        fflush (stdout);
    } else
        printf ("zwire bench fl: the reference Freelance client and server; this machine: %ld "
                "CPUs.\n\n", cpus);
    int progress = !o.json && isatty (STDERR_FILENO);     /* a line on the terminal only */
    double started = bench_now_s ();
    if (o.rt)
        run_rt (&o, rt, failures, progress);
    int lost = o.failover ? run_failover (&o, failover, failures, progress) : 0;
    size_t failed = json_array_size (failures);
    if (!o.json && failed) {
        printf ("\n%zu run%s failed or lost requests:\n", failed, failed == 1 ? "" : "s");
        size_t i;
        json_t *f;
        json_array_foreach (failures, i, f)
            printf ("  %s: %s\n    rerun: %s\n",
                    json_string_value (json_object_get (f, "part")),
                    json_string_value (json_object_get (f, "why")),
                    json_string_value (json_object_get (f, "command")));
    }
    int rc = failed || lost ? 1 : ZW_EXIT_OK;
    if (o.out) {
        if (bench_write_out ("fl", o.out, setup, bench_now_s () - started, "rt", rt, "failover",
                             failover, "failures", failures, (char *) NULL) != 0)
            rc = ZW_EXIT_USAGE;
        else if (!o.json)
            printf ("\nJSON: %s\n", o.out);
    }
    json_decref (setup);
    json_decref (rt);
    json_decref (failover);
    json_decref (failures);
    return rc;
}
