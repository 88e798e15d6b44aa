/*  bench_mdp.c — `zwire bench mdp`: round trips through the reference
    Majordomo broker (`zwire mdp broker`), against a plain least recently
    used broker on libzmq (mdp-lru) in the same run.

    For every configuration (clients x workers, 1/10/50 x 1/4/16 unless
    told otherwise), and each run of it, the two brokers take turns (the
    order alternates from one run to the next): a fresh broker process is
    started on a free port, the load generator (mdp-loadgen: N client and M
    echo worker threads on libzmq, the same program for both brokers, only
    its framing differs) runs through it for a fixed time, then the broker
    is stopped (SIGTERM) and its CPU time read.  Each figure is the median
    of the runs, with min and max; the ratios are zwire / baseline, between
    medians of this same run.  Output: a table, or JSON lines with --json
    (what `make bench` collects); --out FILE writes the JSON document too.
    Speed is reported, never asserted: the exit status only says whether
    every run ran (0) or some failed (1).  reference/bench/README.md says
    how it measures; the programs are reference/bench/mdp/.  */

#include <limits.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "zwire_cli.h"
#include "bench_run.h"

#define LIST_MAX 16
#define RUNS_MAX BENCH_RUNS_MAX
#define DEFAULT_HEARTBEAT_MS 60000

typedef struct {
    unsigned clients[LIST_MAX], workers[LIST_MAX];
    size_t client_count, worker_count;
    unsigned size;
    double seconds, warmup;
    unsigned repeat;
    unsigned heartbeat_ms;
    const char *transport;
    char zwire[PATH_MAX], bin_dir[PATH_MAX];
    int json;
    const char *out;
} options;

enum { BROKER_ZWIRE, BROKER_BASELINE, BROKERS };
static const char *const broker_names[BROKERS] = { "zwire", "baseline" };

/* --- one run -------------------------------------------------------------------------------- */

/*  One run of one configuration against one broker.  On failure, why and
    command (the generator's command line, or the broker's) say what and
    how to rerun it.  */
static bench_rt_run
run_once (const options *o, int broker, unsigned clients, unsigned workers, unsigned index,
          char *why, size_t why_cap, char *command, size_t command_cap)
{
    bench_rt_run result = { 0 };
    char endpoint[PATH_MAX + 16], heartbeat[24], baseline[PATH_MAX + 16], load[PATH_MAX + 16];
    char ipc_path[PATH_MAX];
    ipc_path[0] = '\0';
    if (strcmp (o->transport, "ipc") == 0) {
        snprintf (ipc_path, sizeof ipc_path, "/tmp/zwire-bench-mdp-%ld-%u.sock", (long) getpid (),
                  index);
        snprintf (endpoint, sizeof endpoint, "ipc://%s", ipc_path);
    } else
        snprintf (endpoint, sizeof endpoint, "tcp://127.0.0.1:0");
    snprintf (heartbeat, sizeof heartbeat, "%u", o->heartbeat_ms);
    snprintf (baseline, sizeof baseline, "%s/mdp-lru", o->bin_dir);
    snprintf (load, sizeof load, "%s/mdp-loadgen", o->bin_dir);
    char *zwire_argv[] = { (char *) o->zwire, "mdp", "broker", "--bind", endpoint,
                           "--heartbeat", heartbeat, "--quiet", NULL };
    char *baseline_argv[] = { baseline, "--bind", endpoint, NULL };
    char *const *broker_argv = broker == BROKER_ZWIRE ? zwire_argv : baseline_argv;
    bench_command_line (broker_argv, command, command_cap);

    bench_child b, g;
    char bound[PATH_MAX + 16], s_clients[16], s_workers[16], s_size[16], s_seconds[32],
         s_warmup[32], s_timeout[16];
    if (bench_spawn_bound (broker_argv, "broker", &b, bound, sizeof bound, NULL, why, why_cap))
        return result;
    snprintf (s_clients, sizeof s_clients, "%u", clients);
    snprintf (s_workers, sizeof s_workers, "%u", workers);
    snprintf (s_size, sizeof s_size, "%u", o->size);
    snprintf (s_seconds, sizeof s_seconds, "%g", o->seconds);
    snprintf (s_warmup, sizeof s_warmup, "%g", o->warmup);
    snprintf (s_timeout, sizeof s_timeout, "%u", (unsigned) (o->warmup + o->seconds) + 60);
    char *load_argv[] = { load, "--endpoint", bound,
                          "--protocol", broker == BROKER_ZWIRE ? "mdp" : "plain",
                          "--clients", s_clients, "--workers", s_workers, "--size", s_size,
                          "--seconds", s_seconds, "--warmup", s_warmup, "--timeout", s_timeout,
                          NULL };
    char broker_command[2048];
    bench_join (broker_command, sizeof broker_command, command, (char *) NULL);
    double cpu_before = bench_children_cpu_s ();
    if (bench_spawn (load_argv, 0, &g, why, why_cap) != 0) {
        kill (b.pid, SIGTERM);
        bench_reap (&b, 2);
        return result;
    }
    bench_command_line (load_argv, command, command_cap);
    int status;
    json_t *parsed = bench_client_result (&g, bench_now_s () + o->warmup + o->seconds + 70,
                                          &status);
    double cpu_load = bench_children_cpu_s () - cpu_before;
    kill (b.pid, SIGTERM);
    int broker_status = bench_reap (&b, 5);
    double cpu_broker = bench_children_cpu_s () - cpu_before - cpu_load;
    if (ipc_path[0])
        unlink (ipc_path);
    if (status != 0 || !parsed) {
        bench_client_failure (&g, "mdp-loadgen", status, parsed, why, why_cap);
        json_decref (parsed);
        return result;
    }
    if (broker_status != 0) {
        char status_text[24];
        snprintf (status_text, sizeof status_text, "%d", broker_status);
        bench_join (why, why_cap, "the broker did not stop on SIGTERM (status ", status_text,
                    "); broker: ", broker_command, (char *) NULL);
        json_decref (parsed);
        return result;
    }
    double all = bench_rt_take (&result, parsed, cpu_broker);
    json_object_set_new (parsed, "broker", json_string (broker_names[broker]));
    json_object_set_new (parsed, "broker_cpu_s", json_real (cpu_broker));
    json_object_set_new (parsed, "broker_cpu_us_per_rt", json_real (result.cpu_us));
    json_object_set_new (parsed, "load_cpu_us_per_rt",
                         json_real (all > 0 ? cpu_load * 1e6 / all : 0));
    return result;
}

/* --- summaries and output ------------------------------------------------------------------ */

/*  Oversubscribed: more threads want a CPU at once than there are.  With
    one client a round trip is one chain (a thread at a time); with N > 1,
    N clients, min(N, M) busy workers and the broker can all be runnable.  */
static int
oversubscribed (unsigned clients, unsigned workers, long cpus)
{
    unsigned busy = clients < workers ? clients : workers;
    return clients > 1 && (long) (clients + busy + 1) > cpus;
}

static void
print_header (const options *o, long cpus)
{
    printf ("zwire bench mdp: %u-octet round trips through the reference broker (zwire mdp broker,\n"
            "MDP 0.1, --heartbeat %u) and through mdp-lru, a plain LRU broker on libzmq (no MDP),\n"
            "%s, %u run%s of %g s after %g s of warm-up each, median; this machine: %ld CPUs.\n\n",
            o->size, o->heartbeat_ms, o->transport, o->repeat, o->repeat == 1 ? "" : "s",
            o->seconds, o->warmup, cpus);
    bench_rt_print_header (17, "clients  workers", "zwire mdp broker", "libzmq LRU baseline");
}

static void
print_footer (long cpus, int any_oversubscribed)
{
    printf ("\nrt/s: round trips a second through the broker (all clients); p50, p99: round-trip\n"
            "time; cpu/rt: the broker process's CPU time per round trip, in us (warm-up included).\n"
            "The baseline: one libzmq ROUTER, workers announce themselves, each request goes to\n"
            "the least recently used free worker, no MDP parsing, no heartbeats (mdp-lru --help).\n");
    if (any_oversubscribed)
        printf ("* oversubscribed: %ld CPUs for N client threads, min(N, M) busy worker threads and\n"
                "the broker (zwire: 1 thread; the baseline: libzmq's 2), besides the generator's 2\n"
                "libzmq I/O threads: these rates measure the scheduler as much as the broker.\n",
                cpus);
}

static void
usage (FILE *out)
{
    fputs ("Usage: zwire bench mdp [--quick] [--json] [--out FILE] [--clients LIST] [--workers LIST]\n"
           "                       [--size N] [--seconds S] [--warmup S] [--repeat R]\n"
           "                       [--transport tcp|ipc] [--heartbeat MS] [--bin-dir DIR]\n"
           "                       [--zwire PATH]\n"
           "\n"
           "Round trips a second, and p50 / p99 round-trip times, through the reference\n"
           "Majordomo broker (`zwire mdp broker`, MDP 0.1) and, in the same run, through a\n"
           "plain least-recently-used broker on libzmq (mdp-lru: one ROUTER socket, workers\n"
           "announce themselves, each request to the worker free the longest, no MDP, no\n"
           "heartbeats); the ratio zwire / baseline.  The load is mdp-loadgen, the same\n"
           "program for both brokers: N client threads, each a DEALER making synchronous\n"
           "round trips of a SIZE-octet body, and M echo worker threads, each a DEALER,\n"
           "all on libzmq.  Every configuration of clients x workers runs R times against\n"
           "each broker, a fresh broker process each time (the order alternates); each\n"
           "run has S seconds of measurement after the warm-up; figures are medians.\n"
           "The broker runs with --heartbeat MS (60000), so that no heartbeat falls in a run.\n"
           "\n"
           "Options:\n"
           "  --clients LIST    comma-separated client counts (1,10,50)\n"
           "  --workers LIST    comma-separated worker counts (1,4,16)\n"
           "  --size N          body octets (1024)\n"
           "  --seconds S       measured seconds per run (2)\n"
           "  --warmup S        unmeasured seconds first, workers registering (0.5)\n"
           "  --repeat R        runs per configuration and broker (3)\n"
           "  --quick           one run of 0.7 s after 0.3 s: about 20 s in all (a smoke test);\n"
           "                    the default is about 2.5 minutes\n"
           "  --transport T     tcp (127.0.0.1, the default) or ipc\n"
           "  --heartbeat MS    the reference broker's heartbeat interval (60000)\n"
           "  --json            JSON lines instead of the table (one per configuration)\n"
           "  --out FILE        also write the whole run as one JSON document\n"
           "  --bin-dir DIR     where mdp-loadgen and mdp-lru are (build/bench beside this zwire)\n"
           "  --zwire PATH      the zwire whose broker is measured (this one)\n"
           "\n"
           "On a machine with few CPUs, many clients and workers, the broker and the\n"
           "generator's I/O threads oversubscribe the CPUs: the table marks those\n"
           "configurations (*) and says so; read the ratios.  Speed is reported, never\n"
           "asserted.  Exit status: 0 every run ran, 1 some failed (reported), 3 bad usage.\n"
           "`make bench` runs it (--json); mdp-loadgen --help and mdp-lru --help say more.\n", out);
}

static int
parse (int argc, char **argv, options *o)
{
    *o = (options) { .size = 1024, .seconds = 2.0, .warmup = 0.5, .repeat = 3,
                     .heartbeat_ms = DEFAULT_HEARTBEAT_MS, .transport = "tcp" };
    bench_parse_list ("1,10,50", o->clients, &o->client_count, LIST_MAX, 1, 1000);
    bench_parse_list ("1,4,16", o->workers, &o->worker_count, LIST_MAX, 1, 1000);
    int quick = 0, have_seconds = 0, have_warmup = 0, have_repeat = 0;
    bench_default_paths (o->zwire, sizeof o->zwire, o->bin_dir, sizeof o->bin_dir);
    for (int i = 1; i < argc; i++) {
        const char *v;
        uint64_t n;
        int r;
        if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0) {
            usage (stdout);
            return 0;
        } else if (strcmp (argv[i], "--quick") == 0)
            quick = 1;
        else if (strcmp (argv[i], "--json") == 0)
            o->json = 1;
        else if ((r = zw_args_value (argc, argv, &i, "--out", &v)) != 0 && r > 0)
            o->out = v;
        else if ((r = zw_args_value (argc, argv, &i, "--clients", &v)) != 0 && r > 0
                 && bench_parse_list (v, o->clients, &o->client_count, LIST_MAX, 1, 1000))
            ;
        else if ((r = zw_args_value (argc, argv, &i, "--workers", &v)) != 0 && r > 0
                 && bench_parse_list (v, o->workers, &o->worker_count, LIST_MAX, 1, 1000))
            ;
        else if ((r = zw_args_value (argc, argv, &i, "--size", &v)) != 0 && r > 0
                 && zw_args_u64 (v, &n) && n <= (16u << 20))
            o->size = (unsigned) n;
        else if ((r = zw_args_value (argc, argv, &i, "--seconds", &v)) != 0 && r > 0
                 && bench_parse_seconds (v, 0.05, &o->seconds))
            have_seconds = 1;
        else if ((r = zw_args_value (argc, argv, &i, "--warmup", &v)) != 0 && r > 0
                 && bench_parse_seconds (v, 0, &o->warmup))
            have_warmup = 1;
        else if ((r = zw_args_value (argc, argv, &i, "--repeat", &v)) != 0 && r > 0
                 && zw_args_u64 (v, &n) && n >= 1 && n <= RUNS_MAX)
            o->repeat = (unsigned) n, have_repeat = 1;
        else if ((r = zw_args_value (argc, argv, &i, "--heartbeat", &v)) != 0 && r > 0
                 && zw_args_u64 (v, &n) && n >= 1 && n <= 3600000)
            o->heartbeat_ms = (unsigned) n;
        else if ((r = zw_args_value (argc, argv, &i, "--transport", &v)) != 0 && r > 0
                 && (strcmp (v, "tcp") == 0 || strcmp (v, "ipc") == 0))
            o->transport = v;
        else if ((r = zw_args_value (argc, argv, &i, "--bin-dir", &v)) != 0 && r > 0
                 && strlen (v) < sizeof o->bin_dir)
            bench_join (o->bin_dir, sizeof o->bin_dir, v, (char *) NULL);
        else if ((r = zw_args_value (argc, argv, &i, "--zwire", &v)) != 0 && r > 0
                 && strlen (v) < sizeof o->zwire)
            bench_join (o->zwire, sizeof o->zwire, v, (char *) NULL);
        else {
            fprintf (stderr, "zwire bench mdp: bad argument '%s' (see --help)\n", argv[i]);
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
    }
    if (!bench_have_program ("mdp", o->bin_dir, "mdp-loadgen"))
        return -1;
    return 1;
}

int
zw_cli_bench_mdp (int argc, char **argv)
{
    options o;
    int parsed = parse (argc, argv, &o);
    if (parsed <= 0)
        return parsed == 0 ? ZW_EXIT_OK : ZW_EXIT_USAGE;
    long cpus = sysconf (_SC_NPROCESSORS_ONLN);
    json_t *configurations = json_array (), *failures = json_array ();
    json_t *setup = json_pack ("{s:s,s:i,s:i,s:s,s:f,s:f,s:i,s:i,s:s,s:s}", "bench", "mdp-setup",
                               "cpus", (json_int_t) cpus, "size", (json_int_t) o.size,
                               "transport", o.transport, "seconds", o.seconds, "warmup", o.warmup,
                               "repeat", (json_int_t) o.repeat,
                               "heartbeat_ms", (json_int_t) o.heartbeat_ms,
                               "zwire", o.zwire, "bin_dir", o.bin_dir);
    if (o.json) {
        json_dumpf (setup, stdout, JSON_COMPACT);
        putchar ('\n');
        fflush (stdout);
    } else
        print_header (&o, cpus);
    int any_oversubscribed = 0;
    int progress = !o.json && isatty (STDERR_FILENO);     /* a line on the terminal only */
    unsigned index = 0;
    double started = bench_now_s ();
    for (size_t ci = 0; ci < o.client_count; ci++)
        for (size_t wi = 0; wi < o.worker_count; wi++) {
            unsigned clients = o.clients[ci], workers = o.workers[wi];
            bench_rt_run runs[BROKERS][RUNS_MAX];
            memset (runs, 0, sizeof runs);
            for (unsigned r = 0; r < o.repeat; r++)
                for (int k = 0; k < BROKERS; k++) {
                    int broker = (k + (int) r) % BROKERS;    /* alternate who goes first */
                    char why[512], command[2048];
                    if (progress) {
                        fprintf (stderr, "\r\033[K%u clients, %u workers: %s, run %u/%u",
                                 clients, workers, broker_names[broker], r + 1, o.repeat);
                        fflush (stderr);
                    }
                    runs[broker][r] = run_once (&o, broker, clients, workers, index++, why,
                                                sizeof why, command, sizeof command);
                    if (!runs[broker][r].ok)
                        bench_emit (o.json, json_pack ("{s:s,s:i,s:i,s:s,s:i,s:s,s:s}",
                                                       "bench", "mdp-failure",
                                                       "clients", (json_int_t) clients,
                                                       "workers", (json_int_t) workers,
                                                       "broker", broker_names[broker],
                                                       "run", (json_int_t) r + 1, "why", why,
                                                       "command", command), failures);
                }
            if (progress)
                fprintf (stderr, "\r\033[K");
            bench_rt_figures f[BROKERS];
            json_t *line = json_pack ("{s:s,s:i,s:i,s:i,s:s,s:b}", "bench", "mdp",
                                      "clients", (json_int_t) clients,
                                      "workers", (json_int_t) workers,
                                      "size", (json_int_t) o.size, "transport", o.transport,
                                      "oversubscribed", oversubscribed (clients, workers, cpus));
            for (int b = 0; b < BROKERS; b++) {
                f[b] = bench_rt_figures_of (runs[b], o.repeat);
                json_object_set_new (line, broker_names[b],
                                     bench_rt_figures_json (&f[b], "broker_cpu_us_per_rt", runs[b],
                                                            o.repeat));
            }
            bench_rt_ratios_json (line, &f[BROKER_ZWIRE], &f[BROKER_BASELINE]);
            if (!o.json) {
                int over = oversubscribed (clients, workers, cpus);
                any_oversubscribed |= over;
                printf ("%7u%c %-8u|", clients, over ? '*' : ' ', workers);
                bench_rt_print_row (&f[BROKER_ZWIRE], &f[BROKER_BASELINE]);
            }
            bench_emit (o.json, line, configurations);
        }
    if (!o.json)
        print_footer (cpus, any_oversubscribed);
    size_t failed = json_array_size (failures);
    if (!o.json && failed) {
        printf ("\n%zu run%s failed:\n", failed, failed == 1 ? "" : "s");
        size_t i;
        json_t *f;
        json_array_foreach (failures, i, f)
            printf ("  %lld clients, %lld workers, %s: %s\n    rerun: %s\n",
                    (long long) json_integer_value (json_object_get (f, "clients")),
                    (long long) json_integer_value (json_object_get (f, "workers")),
                    json_string_value (json_object_get (f, "broker")),
                    json_string_value (json_object_get (f, "why")),
                    json_string_value (json_object_get (f, "command")));
    }
    int rc = failed ? 1 : ZW_EXIT_OK;
    if (o.out) {
        if (bench_write_out ("mdp", o.out, setup, bench_now_s () - started, "configurations",
                             configurations, "failures", failures, (char *) NULL) != 0) {
            rc = ZW_EXIT_USAGE;
        } else if (!o.json)
            printf ("\nJSON: %s\n", o.out);
    }
    json_decref (setup);
    json_decref (configurations);
    json_decref (failures);
    return rc;
}
