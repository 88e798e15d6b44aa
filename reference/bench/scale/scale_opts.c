/*  scale_opts.c — the command line of the scale benchmarks (scale_common.h)
    and the open-file limit they need: "--name value" or "--name=value",
    every value checked, usage and exit 2 on a mistake.  A parser of its
    own, like bench_opts.c, because the options differ (--peers, --client)
    and the strict POSIX build does not declare getopt_long.  */

#include "scale_common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

/* File descriptors a side needs besides its N connections (stdio, pipes, epoll, ...). */
#define SCALE_FD_MARGIN 64

static void
usage (FILE *out, const char *program, int verbose)
{
    fprintf (out,
             "usage: %s [--peers N] [--transport tcp|ipc] [--size N] [--count M] [--hwm N]\n"
             "       [--client zwire|libzmq] [--settle MS] [--timeout S]\n", program);
    if (verbose)
        fprintf (out,
                 "  --peers N      subscriber connections to the one publisher (1000)\n"
                 "  --transport T  tcp (loopback) or ipc (tcp)\n"
                 "  --size N       octets per published message (16)\n"
                 "  --count M      messages published (1000000 / N, at least 1)\n"
                 "  --hwm N        SNDHWM and RCVHWM, 0 = no limit (0: nothing is dropped)\n"
                 "  --client I     implementation of the subscriber process (the program's own)\n"
                 "  --settle MS    idle time after the last handshake, before RSS is read (200)\n"
                 "  --timeout S    watchdog: a process still running after S seconds dies (60)\n"
                 "One JSON line on stdout; see reference/bench/README.md.\n");
}

static void
fail (const char *program, const char *what, const char *value)
{
    fprintf (stderr, "%s: %s%s%s\n", program, what, value ? ": " : "", value ? value : "");
    usage (stderr, program, 0);
    exit (2);
}

/* A decimal number in [min, max]; refuses signs, blanks and trailing text. */
static uint64_t
number (const char *program, const char *name, const char *text, uint64_t min, uint64_t max)
{
    char *end;
    errno = 0;
    if (!text || *text < '0' || *text > '9')
        fail (program, "expected a number for", name);
    unsigned long long value = strtoull (text, &end, 10);
    if (errno || *end || value < min || value > max)
        fail (program, "number out of range for", name);
    return (uint64_t) value;
}

static const char *
impl_name (const char *program, const char *text)
{
    if (strcmp (text, "zwire") && strcmp (text, "libzmq"))
        fail (program, "--client must be zwire or libzmq", text);
    return text;
}

/* One option and its value into opts; 0, or -1 when the name is unknown. */
static int
set_option (scale_opts *opts, const char *name, const char *value)
{
    const char *p = opts->program;
    if (strcmp (name, "--peers") == 0)
        opts->peers = (size_t) number (p, name, value, 1, 1000000);
    else if (strcmp (name, "--transport") == 0)
        opts->transport = value;
    else if (strcmp (name, "--size") == 0)
        opts->size = (size_t) number (p, name, value, 0, 1 << 20);
    else if (strcmp (name, "--count") == 0)
        opts->count = number (p, name, value, 1, (uint64_t) 1 << 32);
    else if (strcmp (name, "--hwm") == 0)
        opts->hwm = (int) number (p, name, value, 0, 1 << 30);
    else if (strcmp (name, "--client") == 0)
        opts->client = impl_name (p, value);
    else if (strcmp (name, "--settle") == 0)
        opts->settle_ms = (int) number (p, name, value, 0, 60000);
    else if (strcmp (name, "--timeout") == 0)
        opts->timeout_s = (int) number (p, name, value, 1, 86400);
    else if (strcmp (name, "--only") == 0) {
        if (strcmp (value, "client"))
            fail (p, "--only takes client", value);
        opts->only_client = 1;
    }
    else if (strcmp (name, "--down-fd") == 0)
        opts->down_fd = (int) number (p, name, value, 0, 1 << 20);
    else if (strcmp (name, "--up-fd") == 0)
        opts->up_fd = (int) number (p, name, value, 0, 1 << 20);
    else
        return -1;
    return 0;
}

static void
check (scale_opts *opts)
{
    if (strcmp (opts->transport, "tcp") && strcmp (opts->transport, "ipc"))
        fail (opts->program, "--transport must be tcp or ipc", opts->transport);
    if (opts->only_client && (opts->down_fd < 0 || opts->up_fd < 0))
        fail (opts->program, "--only client needs --down-fd and --up-fd", NULL);
    if (opts->count == 0) {
        opts->count = 1000000 / opts->peers;
        if (opts->count == 0)
            opts->count = 1;
    }
}

void
scale_opts_parse (scale_opts *opts, const char *self, int argc, char **argv)
{
    const char *program = strrchr (argv[0], '/') ? strrchr (argv[0], '/') + 1 : argv[0];
    *opts = (scale_opts) {
        .program = program, .transport = "tcp", .peers = 1000, .size = 16, .count = 0,
        .hwm = 0, .client = self, .settle_ms = 200, .timeout_s = 60, .only_client = 0,
        .down_fd = -1, .up_fd = -1,
    };
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp (arg, "--help") == 0 || strcmp (arg, "-h") == 0) {
            usage (stdout, program, 1);
            exit (0);
        }
        if (strncmp (arg, "--", 2) != 0)
            fail (program, "unexpected argument", arg);
        char name[32];
        const char *eq = strchr (arg, '=');
        size_t len = eq ? (size_t) (eq - arg) : strlen (arg);
        if (len >= sizeof name)
            fail (program, "unknown option", arg);
        memcpy (name, arg, len);
        name[len] = 0;
        const char *value = eq ? eq + 1 : i + 1 < argc ? argv[++i] : NULL;
        if (!value)
            fail (program, "missing value for", name);
        if (set_option (opts, name, value) < 0)
            fail (program, "unknown option", name);
    }
    check (opts);
}

int
scale_raise_nofile (const scale_opts *opts)
{
    struct rlimit limit;
    if (getrlimit (RLIMIT_NOFILE, &limit) < 0) {
        perror ("getrlimit");
        return -1;
    }
    rlim_t need = (rlim_t) opts->peers + SCALE_FD_MARGIN;
    if (limit.rlim_max != RLIM_INFINITY && limit.rlim_max < need) {
        fprintf (stderr, "%s: %zu peers need about %llu open files per process; the hard "
                 "limit (ulimit -Hn) is %llu\n", opts->program, opts->peers,
                 (unsigned long long) need, (unsigned long long) limit.rlim_max);
        return -1;
    }
    if (limit.rlim_max != RLIM_INFINITY)
        limit.rlim_cur = limit.rlim_max;
    else if (limit.rlim_cur < need)
        limit.rlim_cur = need;
    if (setrlimit (RLIMIT_NOFILE, &limit) < 0) {
        perror ("setrlimit RLIMIT_NOFILE");
        return -1;
    }
    return 0;
}
