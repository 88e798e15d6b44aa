/*  bench_run.c — what `zwire bench mdp` and `zwire bench fl` share: the
    clock, child processes, free ports, medians, JSON lines, options
    (bench_run.h).  */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "bench_run.h"

double
bench_now_s (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

double
bench_children_cpu_s (void)
{
    struct rusage usage;
    getrusage (RUSAGE_CHILDREN, &usage);
    return (double) usage.ru_utime.tv_sec + (double) usage.ru_utime.tv_usec / 1e6
         + (double) usage.ru_stime.tv_sec + (double) usage.ru_stime.tv_usec / 1e6;
}

void
bench_join (char *dst, size_t cap, ...)
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

int
bench_spawn (char *const *argv, int with_input, bench_child *c, char *why, size_t cap)
{
    int out_fds[2] = { -1, -1 }, in_fds[2] = { -1, -1 };
    char err_path[] = "/tmp/zwire-bench-XXXXXX";
    int err = mkstemp (err_path);
    if (err < 0 || pipe (out_fds) != 0 || (with_input && pipe (in_fds) != 0)) {
        snprintf (why, cap, "cannot start %s: %s", argv[0], strerror (errno));
        if (err >= 0)
            close (err), unlink (err_path);
        for (int i = 0; i < 2; i++) {
            if (out_fds[i] >= 0)
                close (out_fds[i]);
            if (in_fds[i] >= 0)
                close (in_fds[i]);
        }
        return -1;
    }
    unlink (err_path);
    fflush (stdout);
    fflush (stderr);
    pid_t pid = fork ();
    if (pid == 0) {
        dup2 (out_fds[1], STDOUT_FILENO);
        dup2 (err, STDERR_FILENO);
        if (with_input) {
            dup2 (in_fds[0], STDIN_FILENO);
            close (in_fds[0]);
            close (in_fds[1]);
        }
        close (out_fds[0]);
        close (out_fds[1]);
        close (err);
        signal (SIGPIPE, SIG_DFL);
        execv (argv[0], argv);
        fprintf (stderr, "cannot run %s: %s\n", argv[0], strerror (errno));
        _exit (127);
    }
    close (out_fds[1]);
    if (with_input)
        close (in_fds[0]);
    if (pid < 0) {
        snprintf (why, cap, "fork: %s", strerror (errno));
        close (out_fds[0]);
        if (with_input)
            close (in_fds[1]);
        close (err);
        return -1;
    }
    fcntl (out_fds[0], F_SETFD, FD_CLOEXEC);
    if (with_input)
        fcntl (in_fds[1], F_SETFD, FD_CLOEXEC);
    fcntl (err, F_SETFD, FD_CLOEXEC);
    *c = (bench_child) { pid, with_input ? in_fds[1] : -1, out_fds[0], err };
    return 0;
}

ssize_t
bench_read (const bench_child *c, char *buf, size_t cap, int one_line, double deadline)
{
    size_t len = 0;
    while (len + 1 < cap) {
        double left = deadline - bench_now_s ();
        if (left <= 0) {
            buf[len] = '\0';
            return -1;
        }
        struct pollfd p = { c->out, POLLIN, 0 };
        int r = poll (&p, 1, (int) (left * 1000) + 1);
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

int
bench_reap (bench_child *c, double grace)
{
    int status = 0;
    if (c->in >= 0)
        close (c->in), c->in = -1;
    double deadline = bench_now_s () + grace;
    pid_t r;
    while ((r = waitpid (c->pid, &status, WNOHANG)) == 0 && bench_now_s () < deadline)
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

void
bench_stderr_tail (const bench_child *c, const char *prefix, char *why, size_t cap)
{
    char buf[4096];
    off_t end = lseek (c->err, 0, SEEK_END);
    off_t from = end > (off_t) sizeof buf - 1 ? end - (off_t) sizeof buf + 1 : 0;
    ssize_t n = pread (c->err, buf, sizeof buf - 1, from);
    buf[n > 0 ? n : 0] = '\0';
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
        buf[--n] = '\0';
    char *last = strrchr (buf, '\n');
    bench_join (why, cap, prefix, buf[0] ? ": " : "", last ? last + 1 : buf, (char *) NULL);
}

void
bench_command_line (char *const *argv, char *out, size_t cap)
{
    size_t at = 0;
    out[0] = '\0';
    for (int i = 0; argv[i] && at + 1 < cap; i++) {
        bench_join (out + at, cap - at, i ? " " : "", argv[i], (char *) NULL);
        at += strlen (out + at);
    }
}

unsigned
bench_free_port (void)
{
    int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = 0 };
    addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    unsigned port = 0;
    if (bind (fd, (struct sockaddr *) &addr, sizeof addr) == 0
        && getsockname (fd, (struct sockaddr *) &addr, &len) == 0)
        port = ntohs (addr.sin_port);
    close (fd);
    return port;
}

/* --- figures ------------------------------------------------------------------------------ */

static int
by_value (const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

bench_summary
bench_summarize (double *values, size_t n)
{
    if (n == 0)
        return (bench_summary) { -1, -1, -1 };
    qsort (values, n, sizeof values[0], by_value);
    double median = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    return (bench_summary) { median, values[0], values[n - 1] };
}

json_t *
bench_summary_json (bench_summary s)
{
    if (s.median < 0)
        return json_null ();
    return json_pack ("{s:f,s:f,s:f}", "median", s.median, "min", s.min, "max", s.max);
}

json_t *
bench_ratio_json (double a, double b)
{
    return a >= 0 && b > 0 ? json_real (a / b) : json_null ();
}

void
bench_print_ratio (double a, double b)
{
    if (a >= 0 && b > 0)
        printf (" %6.2fx", a / b);
    else
        printf (" %7s", "-");
}

bench_summary
bench_summarize_field (const void *runs, size_t count, size_t stride, size_t ok_offset,
                       size_t value_offset)
{
    double values[BENCH_RUNS_MAX];
    size_t n = 0;
    for (size_t i = 0; i < count && i < BENCH_RUNS_MAX; i++) {
        const char *run = (const char *) runs + i * stride;
        if (*(const int *) (run + ok_offset))
            values[n++] = *(const double *) (run + value_offset);
    }
    return bench_summarize (values, n);
}

/* --- round trips -------------------------------------------------------------------------- */

json_t *
bench_client_result (bench_child *g, double deadline, int *status)
{
    char output[8192];
    ssize_t n = bench_read (g, output, sizeof output, 0, deadline);
    *status = bench_reap (g, n < 0 ? 0 : 15);
    char *start = strrchr (output, '{');
    return start ? json_loads (start, 0, NULL) : NULL;
}

void
bench_client_failure (const bench_child *g, const char *program, int status, json_t *parsed,
                      char *why, size_t cap)
{
    char prefix[160];
    snprintf (prefix, sizeof prefix, "%s %s", program,
              status < 0 ? "hung: killed" : status == 0 ? "printed no result"
              : status > 128 ? "killed by a signal" : "failed");
    bench_stderr_tail (g, prefix, why, cap);
    if (status > 0 && status <= 128 && parsed) {        /* a result, but lost or bad replies */
        size_t len = strlen (why);
        snprintf (why + len, cap - len, " (lost %lld, bad %lld)",
                  (long long) json_integer_value (json_object_get (parsed, "lost")),
                  (long long) json_integer_value (json_object_get (parsed, "bad_replies")));
    }
}

double
bench_rt_take (bench_rt_run *run, json_t *parsed, double server_cpu_s)
{
    double all = (double) json_integer_value (json_object_get (parsed, "all_round_trips"));
    run->ok = 1;
    run->line = parsed;
    run->rate = json_number_value (json_object_get (parsed, "round_trips_per_s"));
    run->p50 = json_number_value (json_object_get (parsed, "p50_us"));
    run->p99 = json_number_value (json_object_get (parsed, "p99_us"));
    run->cpu_us = all > 0 ? server_cpu_s * 1e6 / all : 0;
    return all;
}

bench_rt_figures
bench_rt_figures_of (const bench_rt_run *runs, size_t count)
{
    size_t stride = sizeof runs[0], ok = offsetof (bench_rt_run, ok);
    return (bench_rt_figures) {
        bench_summarize_field (runs, count, stride, ok, offsetof (bench_rt_run, rate)),
        bench_summarize_field (runs, count, stride, ok, offsetof (bench_rt_run, p50)),
        bench_summarize_field (runs, count, stride, ok, offsetof (bench_rt_run, p99)),
        bench_summarize_field (runs, count, stride, ok, offsetof (bench_rt_run, cpu_us)) };
}

json_t *
bench_rt_figures_json (const bench_rt_figures *f, const char *cpu_key, const bench_rt_run *runs,
                       size_t count)
{
    json_t *lines = json_array ();
    for (size_t r = 0; r < count; r++)
        if (runs[r].ok)
            json_array_append_new (lines, runs[r].line);
    return json_pack ("{s:o,s:o,s:o,s:o,s:o}", "round_trips_per_s", bench_summary_json (f->rate),
                      "p50_us", bench_summary_json (f->p50), "p99_us", bench_summary_json (f->p99),
                      cpu_key, bench_summary_json (f->cpu), "runs", lines);
}

void
bench_rt_ratios_json (json_t *line, const bench_rt_figures *z, const bench_rt_figures *l)
{
    json_object_set_new (line, "ratio", bench_ratio_json (z->rate.median, l->rate.median));
    json_object_set_new (line, "p50_ratio", bench_ratio_json (z->p50.median, l->p50.median));
    json_object_set_new (line, "p99_ratio", bench_ratio_json (z->p99.median, l->p99.median));
    json_object_set_new (line, "cpu_ratio", bench_ratio_json (z->cpu.median, l->cpu.median));
}

void
bench_rt_print_header (int lead_width, const char *lead, const char *zwire, const char *baseline)
{
    printf ("%-*s|  %-34s|  %-34s| %s\n", lead_width, "", zwire, baseline, "zwire / baseline");
    printf ("%-*s|  %9s %8s %8s %7s|  %9s %8s %8s %7s| %7s %7s %7s\n", lead_width, lead, "rt/s",
            "p50 us", "p99 us", "cpu/rt", "rt/s", "p50 us", "p99 us", "cpu/rt", "rt/s", "p50",
            "p99");
}

static void
print_rt_cell (const bench_rt_figures *f)
{
    if (f->rate.median < 0)
        printf ("  %9s %8s %8s %7s", "failed", "-", "-", "-");
    else
        printf ("  %9.0f %8.1f %8.1f %7.1f", f->rate.median, f->p50.median, f->p99.median,
                f->cpu.median);
}

void
bench_rt_print_row (const bench_rt_figures *z, const bench_rt_figures *l)
{
    print_rt_cell (z);
    printf ("|");
    print_rt_cell (l);
    printf ("|");
    bench_print_ratio (z->rate.median, l->rate.median);
    bench_print_ratio (z->p50.median, l->p50.median);
    bench_print_ratio (z->p99.median, l->p99.median);
    printf ("\n");
    fflush (stdout);
}

/* --- options and output --------------------------------------------------------------------- */

int
bench_parse_list (const char *text, unsigned *out, size_t *count, size_t max, unsigned low,
                  unsigned high)
{
    *count = 0;
    while (*text) {
        char *end;
        unsigned long v = strtoul (text, &end, 10);
        if (end == text || v < low || v > high || *count == max || (*end && *end != ','))
            return 0;
        out[(*count)++] = (unsigned) v;
        text = *end ? end + 1 : end;
    }
    return *count > 0;
}

int
bench_parse_seconds (const char *text, double low, double *out)
{
    char *end;
    double v = strtod (text, &end);
    if (end == text || *end || !(v >= low && v <= 3600))
        return 0;
    *out = v;
    return 1;
}

void
bench_default_paths (char *zwire, size_t zwire_cap, char *bin_dir, size_t bin_dir_cap)
{
    zwire[0] = bin_dir[0] = '\0';
    ssize_t n = readlink ("/proc/self/exe", zwire, zwire_cap - 1);
    if (n <= 0) {
        zwire[0] = '\0';
        return;
    }
    zwire[n] = '\0';
    bench_join (bin_dir, bin_dir_cap, zwire, (char *) NULL);
    char *slash = strrchr (bin_dir, '/');           /* .../build/bin/zwire -> .../build/bench */
    if (slash)
        *slash = '\0';
    slash = strrchr (bin_dir, '/');
    if (slash)
        bench_join (slash + 1, bin_dir_cap - (size_t) (slash + 1 - bin_dir), "bench",
                    (char *) NULL);
}

int
bench_have_program (const char *name, const char *bin_dir, const char *program)
{
    char probe[PATH_MAX + 64];
    bench_join (probe, sizeof probe, bin_dir, "/", program, (char *) NULL);
    if (access (probe, X_OK) == 0)
        return 1;
    fprintf (stderr, "zwire bench %s: no %s (make bench-messaging-build; or --bin-dir)\n", name,
             probe);
    return 0;
}

void
bench_emit (int json, json_t *line, json_t *collected)
{
    if (json) {
        json_dumpf (line, stdout, JSON_COMPACT);
        putchar ('\n');
        fflush (stdout);
    }
    json_array_append (collected, line);
    json_decref (line);
}

int
bench_write_out (const char *name, const char *path, json_t *setup, double elapsed_s, ...)
{
    va_list args;
    json_object_set_new (setup, "bench", json_string (name));
    json_object_set_new (setup, "elapsed_s", json_real (elapsed_s));
    va_start (args, elapsed_s);
    for (const char *key; (key = va_arg (args, const char *)) != NULL;)
        json_object_set (setup, key, va_arg (args, json_t *));
    va_end (args);
    if (json_dump_file (setup, path, JSON_INDENT (1)) != 0) {
        fprintf (stderr, "zwire bench %s: cannot write %s\n", name, path);
        return -1;
    }
    return 0;
}

int
bench_spawn_bound (char *const *argv, const char *what, bench_child *c, char *bound, size_t cap,
                   int *status, char *why, size_t why_cap)
{
    if (status)
        *status = -1;
    if (bench_spawn (argv, 0, c, why, why_cap) != 0)
        return -1;
    char line[PATH_MAX + 64], prefix[96];
    ssize_t n = bench_read (c, line, sizeof line, 1, bench_now_s () + 10);
    if (n > 0 && strncmp (line, "bound ", 6) == 0) {
        line[strcspn (line, "\r\n")] = '\0';
        bench_join (bound, cap, line + 6, (char *) NULL);
        return 0;
    }
    kill (c->pid, SIGTERM);
    int ended = bench_reap (c, 2);
    if (status)
        *status = ended;
    snprintf (prefix, sizeof prefix, n < 0 ? "the %s announced no endpoint in 10 s"
                                           : "the %s did not start", what);
    bench_stderr_tail (c, prefix, why, why_cap);
    return -1;
}
