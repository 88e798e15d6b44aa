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

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "zwire_cli.h"

#define LIST_MAX 16
#define RUNS_MAX 32
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

typedef struct {
    int ok;
    json_t *line;               /* the generator's result, with the broker's CPU added */
    double rate, p50, p99, broker_cpu_us, load_cpu_us;  /* cpu: per round trip */
} run_result;

typedef struct {
    double median, min, max;
} summary;

static double
now_s (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static double
children_cpu_s (void)
{
    struct rusage usage;
    getrusage (RUSAGE_CHILDREN, &usage);
    return (double) usage.ru_utime.tv_sec + (double) usage.ru_utime.tv_usec / 1e6
         + (double) usage.ru_stime.tv_sec + (double) usage.ru_stime.tv_usec / 1e6;
}

/*  dst = the concatenation of the strings given (up to a NULL), cut to
    cap - 1 octets (snprintf "%s" of unbounded text trips -Wformat-truncation).  */
static void
join (char *dst, size_t cap, ...)
{
    va_list args;
    size_t at = 0;
    va_start (args, cap);
    for (const char *part; (part = va_arg (args, const char *)) != NULL;)
        for (; *part && at + 1 < cap; part++)
            dst[at++] = *part;
    va_end (args);
    dst[at] = '\0';
}

/* --- child processes --------------------------------------------------------------------- */

typedef struct {
    pid_t pid;
    int out;                    /* its standard output, read end */
    int err;                    /* its standard error: an unlinked temporary file */
} child;

/*  Starts argv[0] with stdout on a pipe and stderr into a temporary file;
    0, or -1 with a reason in why.  */
static int
spawn (char *const *argv, child *c, char *why, size_t cap)
{
    int pipe_fds[2];
    char err_path[] = "/tmp/zwire-bench-mdp-XXXXXX";
    int err = mkstemp (err_path);
    if (err < 0 || pipe (pipe_fds) != 0) {
        snprintf (why, cap, "cannot start %s: %s", argv[0], strerror (errno));
        if (err >= 0)
            close (err), unlink (err_path);
        return -1;
    }
    unlink (err_path);
    fflush (stdout);
    fflush (stderr);
    pid_t pid = fork ();
    if (pid == 0) {
        dup2 (pipe_fds[1], STDOUT_FILENO);
        dup2 (err, STDERR_FILENO);
        close (pipe_fds[0]);
        close (pipe_fds[1]);
        close (err);
        execv (argv[0], argv);
        fprintf (stderr, "cannot run %s: %s\n", argv[0], strerror (errno));
        _exit (127);
    }
    close (pipe_fds[1]);
    if (pid < 0) {
        snprintf (why, cap, "fork: %s", strerror (errno));
        close (pipe_fds[0]);
        close (err);
        return -1;
    }
    fcntl (pipe_fds[0], F_SETFD, FD_CLOEXEC);
    fcntl (err, F_SETFD, FD_CLOEXEC);
    *c = (child) { pid, pipe_fds[0], err };
    return 0;
}

/*  Reads c's stdout into buf until a newline (one_line) or the end,
    until the absolute deadline (now_s); the length, or -1 on a time-out.  */
static ssize_t
read_until (const child *c, char *buf, size_t cap, int one_line, double deadline)
{
    size_t len = 0;
    while (len + 1 < cap) {
        double left = deadline - now_s ();
        if (left <= 0)
            return -1;
        struct pollfd p = { c->out, POLLIN, 0 };
        int r = poll (&p, 1, (int) (left * 1000) + 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            continue;
        ssize_t n = read (c->out, buf + len, one_line ? 1 : cap - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t) n;
        if (one_line && buf[len - 1] == '\n')
            break;
    }
    buf[len] = '\0';
    return (ssize_t) len;
}

/*  Waits for c to end, at most grace seconds, then kills it; its exit
    status (-1: killed, 128+n: ended by signal n).  Closes its pipe and file.  */
static int
reap (child *c, double grace)
{
    int status = 0;
    double deadline = now_s () + grace;
    pid_t r;
    while ((r = waitpid (c->pid, &status, WNOHANG)) == 0 && now_s () < deadline)
        nanosleep (&(struct timespec) { 0, 5000000 }, NULL);
    int killed = 0;
    if (r == 0) {
        kill (c->pid, SIGKILL);
        waitpid (c->pid, &status, 0);
        killed = 1;
    }
    close (c->out);
    close (c->err);
    if (killed)
        return -1;
    return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
}

/* The last line of what c wrote on stderr, into why (after prefix). */
static void
stderr_tail (const child *c, const char *prefix, char *why, size_t cap)
{
    char buf[4096];
    off_t end = lseek (c->err, 0, SEEK_END);
    off_t from = end > (off_t) sizeof buf - 1 ? end - (off_t) sizeof buf + 1 : 0;
    ssize_t n = pread (c->err, buf, sizeof buf - 1, from);
    buf[n > 0 ? n : 0] = '\0';
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
        buf[--n] = '\0';
    char *last = strrchr (buf, '\n');
    join (why, cap, prefix, buf[0] ? ": " : "", last ? last + 1 : buf, (char *) NULL);
}

static void
command_line (char *const *argv, char *out, size_t cap)
{
    size_t at = 0;
    out[0] = '\0';
    for (int i = 0; argv[i] && at + 1 < cap; i++) {
        join (out + at, cap - at, i ? " " : "", argv[i], (char *) NULL);
        at += strlen (out + at);
    }
}

/* --- one run -------------------------------------------------------------------------------- */

/*  One run of one configuration against one broker.  On failure, why and
    command (the generator's command line, or the broker's) say what and
    how to rerun it.  */
static run_result
run_once (const options *o, int broker, unsigned clients, unsigned workers, unsigned index,
          char *why, size_t why_cap, char *command, size_t command_cap)
{
    run_result result = { 0 };
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
    command_line (broker_argv, command, command_cap);

    child b, g;
    if (spawn (broker_argv, &b, why, why_cap) != 0)
        return result;
    char line[PATH_MAX + 64];
    ssize_t n = read_until (&b, line, sizeof line, 1, now_s () + 10);
    if (n <= 0 || strncmp (line, "bound ", 6) != 0) {
        kill (b.pid, SIGTERM);
        reap (&b, 2);
        stderr_tail (&b, n < 0 ? "the broker announced no endpoint in 10 s"
                                : "the broker did not start", why, why_cap);
        return result;
    }
    line[strcspn (line, "\r\n")] = '\0';
    char bound[PATH_MAX + 16], s_clients[16], s_workers[16], s_size[16], s_seconds[32],
         s_warmup[32], s_timeout[16];
    join (bound, sizeof bound, line + 6, (char *) NULL);
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
    join (broker_command, sizeof broker_command, command, (char *) NULL);
    double cpu_before = children_cpu_s ();
    if (spawn (load_argv, &g, why, why_cap) != 0) {
        kill (b.pid, SIGTERM);
        reap (&b, 2);
        return result;
    }
    command_line (load_argv, command, command_cap);
    char output[8192];
    n = read_until (&g, output, sizeof output, 0, now_s () + o->warmup + o->seconds + 70);
    int status = reap (&g, n < 0 ? 0 : 15);
    double cpu_load = children_cpu_s () - cpu_before;
    kill (b.pid, SIGTERM);
    int broker_status = reap (&b, 5);
    double cpu_broker = children_cpu_s () - cpu_before - cpu_load;
    if (ipc_path[0])
        unlink (ipc_path);

    char *start = strrchr (output, '{');
    json_t *parsed = start ? json_loads (start, 0, NULL) : NULL;
    if (status != 0 || !parsed) {
        char prefix[160];
        snprintf (prefix, sizeof prefix, "mdp-loadgen %s",
                  status < 0 ? "hung: killed" : status == 0 ? "printed no result"
                  : status > 128 ? "killed by a signal" : "failed");
        stderr_tail (&g, prefix, why, why_cap);
        if (status > 0 && status <= 128 && parsed) {     /* a result, but lost or bad replies */
            size_t len = strlen (why);
            snprintf (why + len, why_cap - len, " (lost %lld, bad %lld)",
                      (long long) json_integer_value (json_object_get (parsed, "lost")),
                      (long long) json_integer_value (json_object_get (parsed, "bad_replies")));
        }
        json_decref (parsed);
        return result;
    }
    if (broker_status != 0) {
        char status_text[24];
        snprintf (status_text, sizeof status_text, "%d", broker_status);
        join (why, why_cap, "the broker did not stop on SIGTERM (status ", status_text,
              "); broker: ", broker_command, (char *) NULL);
        json_decref (parsed);
        return result;
    }
    double all = (double) json_integer_value (json_object_get (parsed, "all_round_trips"));
    result.ok = 1;
    result.rate = json_number_value (json_object_get (parsed, "round_trips_per_s"));
    result.p50 = json_number_value (json_object_get (parsed, "p50_us"));
    result.p99 = json_number_value (json_object_get (parsed, "p99_us"));
    result.broker_cpu_us = all > 0 ? cpu_broker * 1e6 / all : 0;
    result.load_cpu_us = all > 0 ? cpu_load * 1e6 / all : 0;
    json_object_set_new (parsed, "broker", json_string (broker_names[broker]));
    json_object_set_new (parsed, "broker_cpu_s", json_real (cpu_broker));
    json_object_set_new (parsed, "broker_cpu_us_per_rt", json_real (result.broker_cpu_us));
    json_object_set_new (parsed, "load_cpu_us_per_rt", json_real (result.load_cpu_us));
    result.line = parsed;
    return result;
}

/* --- summaries and output ------------------------------------------------------------------ */

static int
by_value (const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

static summary
summarize (const run_result *runs, size_t count, size_t offset)
{
    double values[RUNS_MAX];
    size_t n = 0;
    for (size_t i = 0; i < count; i++)
        if (runs[i].ok)
            values[n++] = *(const double *) ((const char *) &runs[i] + offset);
    if (n == 0)
        return (summary) { -1, -1, -1 };
    qsort (values, n, sizeof values[0], by_value);
    double median = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    return (summary) { median, values[0], values[n - 1] };
}

static json_t *
summary_json (summary s)
{
    if (s.median < 0)
        return json_null ();
    return json_pack ("{s:f,s:f,s:f}", "median", s.median, "min", s.min, "max", s.max);
}

static json_t *
ratio_json (double a, double b)
{
    return a >= 0 && b > 0 ? json_real (a / b) : json_null ();
}

typedef struct {
    summary rate, p50, p99, cpu;
} figures;

static figures
figures_of (const run_result *runs, size_t count)
{
    return (figures) { summarize (runs, count, offsetof (run_result, rate)),
                       summarize (runs, count, offsetof (run_result, p50)),
                       summarize (runs, count, offsetof (run_result, p99)),
                       summarize (runs, count, offsetof (run_result, broker_cpu_us)) };
}

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
print_cell (const figures *f)
{
    if (f->rate.median < 0)
        printf ("  %9s %8s %8s %7s", "failed", "-", "-", "-");
    else
        printf ("  %9.0f %8.1f %8.1f %7.1f", f->rate.median, f->p50.median, f->p99.median,
                f->cpu.median);
}

static void
print_ratio (double a, double b)
{
    if (a >= 0 && b > 0)
        printf (" %6.2fx", a / b);
    else
        printf (" %7s", "-");
}

static void
print_header (const options *o, long cpus)
{
    printf ("zwire bench mdp: %u-octet round trips through the reference broker (zwire mdp broker,\n"
            "MDP 0.1, --heartbeat %u) and through mdp-lru, a plain LRU broker on libzmq (no MDP),\n"
            "%s, %u run%s of %g s after %g s of warm-up each, median; this machine: %ld CPUs.\n\n",
            o->size, o->heartbeat_ms, o->transport, o->repeat, o->repeat == 1 ? "" : "s",
            o->seconds, o->warmup, cpus);
    printf ("%-8s %-8s|%-36s|%-36s| %s\n", "", "", "  zwire mdp broker", "  libzmq LRU baseline",
            "zwire / baseline");
    printf ("%-8s %-8s|  %9s %8s %8s %7s|  %9s %8s %8s %7s| %7s %7s %7s\n", "clients", "workers",
            "rt/s", "p50 us", "p99 us", "cpu/rt", "rt/s", "p50 us", "p99 us", "cpu/rt", "rt/s",
            "p50", "p99");
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

static int
parse_list (const char *text, unsigned *out, size_t *count)
{
    *count = 0;
    while (*text) {
        char *end;
        unsigned long v = strtoul (text, &end, 10);
        if (end == text || v < 1 || v > 1000 || *count == LIST_MAX || (*end && *end != ','))
            return 0;
        out[(*count)++] = (unsigned) v;
        text = *end ? end + 1 : end;
    }
    return *count > 0;
}

static int
parse_seconds (const char *text, double low, double *out)
{
    char *end;
    double v = strtod (text, &end);
    if (end == text || *end || !(v >= low && v <= 3600))
        return 0;
    *out = v;
    return 1;
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

/* The directory of this program, resolved, into dir; 0 or -1. */
static int
self_path (char *path, size_t cap)
{
    ssize_t n = readlink ("/proc/self/exe", path, cap - 1);
    if (n <= 0)
        return -1;
    path[n] = '\0';
    return 0;
}

static int
parse (int argc, char **argv, options *o)
{
    *o = (options) { .size = 1024, .seconds = 2.0, .warmup = 0.5, .repeat = 3,
                     .heartbeat_ms = DEFAULT_HEARTBEAT_MS, .transport = "tcp" };
    parse_list ("1,10,50", o->clients, &o->client_count);
    parse_list ("1,4,16", o->workers, &o->worker_count);
    int quick = 0, have_seconds = 0, have_warmup = 0, have_repeat = 0;
    if (self_path (o->zwire, sizeof o->zwire) == 0) {
        join (o->bin_dir, sizeof o->bin_dir, o->zwire, (char *) NULL);
        char *slash = strrchr (o->bin_dir, '/');        /* .../build/bin/zwire -> .../build/bench */
        if (slash)
            *slash = '\0';
        slash = strrchr (o->bin_dir, '/');
        if (slash)
            join (slash + 1, sizeof o->bin_dir - (size_t) (slash + 1 - o->bin_dir), "bench",
                  (char *) NULL);
    }
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
                 && parse_list (v, o->clients, &o->client_count))
            ;
        else if ((r = zw_args_value (argc, argv, &i, "--workers", &v)) != 0 && r > 0
                 && parse_list (v, o->workers, &o->worker_count))
            ;
        else if ((r = zw_args_value (argc, argv, &i, "--size", &v)) != 0 && r > 0
                 && zw_args_u64 (v, &n) && n <= (16u << 20))
            o->size = (unsigned) n;
        else if ((r = zw_args_value (argc, argv, &i, "--seconds", &v)) != 0 && r > 0
                 && parse_seconds (v, 0.05, &o->seconds))
            have_seconds = 1;
        else if ((r = zw_args_value (argc, argv, &i, "--warmup", &v)) != 0 && r > 0
                 && parse_seconds (v, 0, &o->warmup))
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
            join (o->bin_dir, sizeof o->bin_dir, v, (char *) NULL);
        else if ((r = zw_args_value (argc, argv, &i, "--zwire", &v)) != 0 && r > 0
                 && strlen (v) < sizeof o->zwire)
            join (o->zwire, sizeof o->zwire, v, (char *) NULL);
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
    char probe[PATH_MAX + 16];
    snprintf (probe, sizeof probe, "%s/mdp-loadgen", o->bin_dir);
    if (access (probe, X_OK) != 0) {
        fprintf (stderr, "zwire bench mdp: no %s (make bench-messaging-build; or --bin-dir)\n",
                 probe);
        return -1;
    }
    return 1;
}

static void
emit (const options *o, json_t *line, json_t *collected)
{
    if (o->json) {
        json_dumpf (line, stdout, JSON_COMPACT);
        putchar ('\n');
        fflush (stdout);
    }
    json_array_append (collected, line);
    json_decref (line);
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
    double started = now_s ();
    for (size_t ci = 0; ci < o.client_count; ci++)
        for (size_t wi = 0; wi < o.worker_count; wi++) {
            unsigned clients = o.clients[ci], workers = o.workers[wi];
            run_result runs[BROKERS][RUNS_MAX];
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
                        emit (&o, json_pack ("{s:s,s:i,s:i,s:s,s:i,s:s,s:s}",
                                             "bench", "mdp-failure",
                                             "clients", (json_int_t) clients,
                                             "workers", (json_int_t) workers,
                                             "broker", broker_names[broker],
                                             "run", (json_int_t) r + 1, "why", why,
                                             "command", command), failures);
                }
            if (progress)
                fprintf (stderr, "\r\033[K");
            figures f[BROKERS];
            json_t *line = json_pack ("{s:s,s:i,s:i,s:i,s:s,s:b}", "bench", "mdp",
                                      "clients", (json_int_t) clients,
                                      "workers", (json_int_t) workers,
                                      "size", (json_int_t) o.size, "transport", o.transport,
                                      "oversubscribed", oversubscribed (clients, workers, cpus));
            for (int b = 0; b < BROKERS; b++) {
                f[b] = figures_of (runs[b], o.repeat);
                json_t *lines = json_array ();
                for (unsigned r = 0; r < o.repeat; r++)
                    if (runs[b][r].ok)
                        json_array_append_new (lines, runs[b][r].line);
                json_object_set_new (line, broker_names[b],
                                     json_pack ("{s:o,s:o,s:o,s:o,s:o}",
                                                "round_trips_per_s", summary_json (f[b].rate),
                                                "p50_us", summary_json (f[b].p50),
                                                "p99_us", summary_json (f[b].p99),
                                                "broker_cpu_us_per_rt", summary_json (f[b].cpu),
                                                "runs", lines));
            }
            const figures *z = &f[BROKER_ZWIRE], *l = &f[BROKER_BASELINE];
            json_object_set_new (line, "ratio", ratio_json (z->rate.median, l->rate.median));
            json_object_set_new (line, "p50_ratio", ratio_json (z->p50.median, l->p50.median));
            json_object_set_new (line, "p99_ratio", ratio_json (z->p99.median, l->p99.median));
            json_object_set_new (line, "cpu_ratio", ratio_json (z->cpu.median, l->cpu.median));
            if (!o.json) {
                int over = oversubscribed (clients, workers, cpus);
                any_oversubscribed |= over;
                printf ("%7u%c %-8u|", clients, over ? '*' : ' ', workers);
                print_cell (z);
                printf ("|");
                print_cell (l);
                printf ("|");
                print_ratio (z->rate.median, l->rate.median);
                print_ratio (z->p50.median, l->p50.median);
                print_ratio (z->p99.median, l->p99.median);
                printf ("\n");
                fflush (stdout);
            }
            emit (&o, line, configurations);
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
        json_object_set_new (setup, "bench", json_string ("mdp"));
        json_object_set_new (setup, "elapsed_s", json_real (now_s () - started));
        json_object_set (setup, "configurations", configurations);
        json_object_set (setup, "failures", failures);
        if (json_dump_file (setup, o.out, JSON_INDENT (1)) != 0) {
            fprintf (stderr, "zwire bench mdp: cannot write %s\n", o.out);
            rc = ZW_EXIT_USAGE;
        } else if (!o.json)
            printf ("\nJSON: %s\n", o.out);
    }
    json_decref (setup);
    json_decref (configurations);
    json_decref (failures);
    return rc;
}
