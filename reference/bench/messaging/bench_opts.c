/*  bench_opts.c — parsing the shared command line of the messaging
    benchmarks (bench_opts.h): "--name value" or "--name=value", every
    value checked, defaults filled in, usage on error.  A small parser of
    its own rather than getopt_long, which the strict POSIX build
    (-D_POSIX_C_SOURCE=200809L) does not declare.  */

#include "bench_opts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
usage (FILE *out, const char *program, bench_kind kind)
{
    fprintf (out,
             "usage: %s --transport tcp|ipc --size N --count M [--pattern %s]\n"
             "       [--role both|%s] [--only %s --endpoint EP [--endpoint-fd FD] [--done-fd FD]\n"
             "       [--peer IMPL]]\n"
             "       [--hwm N]%s [--timeout S]\n",
             program, kind == BENCH_KIND_THROUGHPUT ? "push-pull|dealer-dealer" : "req-rep",
             kind == BENCH_KIND_THROUGHPUT ? "recv|send" : "rep|req",
             kind == BENCH_KIND_THROUGHPUT ? "recv|send" : "rep|req",
             kind == BENCH_KIND_LATENCY ? " [--warmup N]" : " [--mechanism null|curve]");
}

static void
fail (const char *program, bench_kind kind, const char *what, const char *value)
{
    fprintf (stderr, "%s: %s%s%s\n", program, what, value ? ": " : "", value ? value : "");
    usage (stderr, program, kind);
    exit (2);
}

/* A decimal number in [min, max]; refuses signs, blanks and trailing text. */
static uint64_t
number (const char *program, bench_kind kind, const char *name, const char *text,
        uint64_t min, uint64_t max)
{
    char *end;
    errno = 0;
    if (!text || *text < '0' || *text > '9')
        fail (program, kind, "expected a number for", name);
    unsigned long long value = strtoull (text, &end, 10);
    if (errno || *end || value < min || value > max)
        fail (program, kind, "number out of range for", name);
    return (uint64_t) value;
}

static bench_role
role (const char *program, bench_kind kind, const char *text)
{
    if (strcmp (text, "both") == 0)
        return BENCH_ROLE_BOTH;
    if (kind == BENCH_KIND_THROUGHPUT ? strcmp (text, "recv") == 0 : strcmp (text, "rep") == 0)
        return BENCH_ROLE_SERVER;
    if (kind == BENCH_KIND_THROUGHPUT ? strcmp (text, "send") == 0 : strcmp (text, "req") == 0)
        return BENCH_ROLE_CLIENT;
    fail (program, kind, "unknown role", text);
    return BENCH_ROLE_BOTH;
}

void
bench_opts_parse (bench_opts *opts, bench_kind kind, int argc, char **argv)
{
    const char *program = strrchr (argv[0], '/') ? strrchr (argv[0], '/') + 1 : argv[0];
    *opts = (bench_opts) {
        .program = program,
        .pattern = kind == BENCH_KIND_THROUGHPUT ? "push-pull" : "req-rep",
        .transport = NULL, .size = 0, .count = 0, .role = BENCH_ROLE_BOTH,
        .endpoint = NULL, .endpoint_fd = -1, .done_fd = -1, .peer = NULL, .hwm = 1000,
        .warmup = UINT64_MAX, .timeout_s = 120,
    };
    int have_size = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp (arg, "--help") == 0 || strcmp (arg, "-h") == 0) {
            usage (stdout, program, kind);
            exit (0);
        }
        if (strncmp (arg, "--", 2) != 0)
            fail (program, kind, "unexpected argument", arg);
        /* --name=value or --name value */
        char name[32];
        const char *value;
        const char *eq = strchr (arg, '=');
        size_t len = eq ? (size_t) (eq - arg) : strlen (arg);
        if (len >= sizeof name)
            fail (program, kind, "unknown option", arg);
        memcpy (name, arg, len);
        name[len] = 0;
        if (eq)
            value = eq + 1;
        else if (i + 1 < argc)
            value = argv[++i];
        else
            fail (program, kind, "missing value for", name);

        if (strcmp (name, "--pattern") == 0)
            opts->pattern = value;
        else if (strcmp (name, "--transport") == 0)
            opts->transport = value;
        else if (strcmp (name, "--size") == 0) {
            opts->size = (size_t) number (program, kind, name, value, 0, (uint64_t) 1 << 32);
            have_size = 1;
        }
        else if (strcmp (name, "--count") == 0)
            opts->count = number (program, kind, name, value, 1, UINT64_MAX >> 1);
        else if (strcmp (name, "--role") == 0 || strcmp (name, "--only") == 0)
            opts->role = role (program, kind, value);
        else if (strcmp (name, "--endpoint") == 0)
            opts->endpoint = value;
        else if (strcmp (name, "--endpoint-fd") == 0)
            opts->endpoint_fd = (int) number (program, kind, name, value, 0, 1 << 20);
        else if (strcmp (name, "--done-fd") == 0)
            opts->done_fd = (int) number (program, kind, name, value, 0, 1 << 20);
        else if (strcmp (name, "--peer") == 0)
            opts->peer = value;
        else if (strcmp (name, "--hwm") == 0)
            opts->hwm = (int) number (program, kind, name, value, 0, 1 << 30);
        else if (strcmp (name, "--mechanism") == 0 && kind == BENCH_KIND_THROUGHPUT) {
            if (strcmp (value, "null") && strcmp (value, "curve"))
                fail (program, kind, "--mechanism must be null or curve", value);
            opts->curve = strcmp (value, "curve") == 0;
        }
        else if (strcmp (name, "--warmup") == 0 && kind == BENCH_KIND_LATENCY)
            opts->warmup = number (program, kind, name, value, 0, UINT64_MAX >> 1);
        else if (strcmp (name, "--timeout") == 0)
            opts->timeout_s = (int) number (program, kind, name, value, 1, 86400);
        else
            fail (program, kind, "unknown option", name);
    }
    if (!opts->transport || (strcmp (opts->transport, "tcp") && strcmp (opts->transport, "ipc")))
        fail (program, kind, "--transport must be tcp or ipc", opts->transport);
    if (!have_size)
        fail (program, kind, "--size is required", NULL);
    if (opts->count == 0)
        fail (program, kind, "--count is required", NULL);
    if (kind == BENCH_KIND_THROUGHPUT) {
        if (strcmp (opts->pattern, "push-pull") && strcmp (opts->pattern, "dealer-dealer"))
            fail (program, kind, "--pattern must be push-pull or dealer-dealer", opts->pattern);
        if (opts->count < 2)
            fail (program, kind, "--count must be at least 2 (timed from the first message)", NULL);
    }
    else if (strcmp (opts->pattern, "req-rep"))
        fail (program, kind, "--pattern must be req-rep", opts->pattern);
    if (opts->role == BENCH_ROLE_CLIENT && !opts->endpoint)
        fail (program, kind, "--only send/req needs --endpoint", NULL);
    if (opts->warmup == UINT64_MAX) {
        opts->warmup = opts->count / 10;
        if (opts->warmup > 1000)
            opts->warmup = 1000;
    }
}

int
bench_opts_is_ipc (const bench_opts *opts)
{
    return strcmp (opts->transport, "ipc") == 0;
}
