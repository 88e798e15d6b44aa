/*  bench_mixed.c — the driver of the mixed pairs: one implementation on
    the connecting side, the other on the binding side, for throughput
    (tp-mixed) and for latency (lat-mixed).

      tp-mixed  --sender zwire|libzmq --receiver zwire|libzmq [--bin-dir DIR]
                --pattern P --transport T --size N --count M [--hwm N] [--timeout S]
      lat-mixed --requester zwire|libzmq --replier zwire|libzmq [--bin-dir DIR]
                --transport T --size N --count M [--warmup W] [--timeout S]

    One source, built under both names: the kind of benchmark follows the
    program's name (lat-... is latency, anything else throughput), and
    --bench throughput|latency, first on the line, overrides it.  A
    driver, not a stack: it runs two benchmark programs, <prefix>-<impl>
    (tp- or lat-, from --bin-dir, by default the directory of the driver
    itself), as the two processes of a benchmark, each with --only:

      throughput  tp-<receiver>  ... --only recv --endpoint-fd FD1 --peer <sender>
                  tp-<sender>    ... --only send --endpoint EP --done-fd FD2
      latency     lat-<replier>  ... --only rep --endpoint-fd FD1
                  lat-<requester> ... --only req --endpoint EP --peer <replier>

    The binding side writes the endpoint it bound into a pipe; the driver
    reads it and starts the connecting side on it.  For throughput a
    second pipe, whose write end only the receiver holds, tells the
    sender when the receiver has finished (bench_await_server); a
    requester needs none (its last reply ends the exchange).  The side
    that measures prints the result line, with impl "<connecting>-><binding>":
    "zwire->libzmq" is zwire sending to a libzmq receiver, or a zwire REQ
    against a libzmq REP.  Every other option goes through to both
    programs unchanged.  The exit status is 0 when both succeeded.  */

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bench_pair.h"

#define MAX_ARGS 64

/* What differs between the two kinds: names of programs, options, roles. */
typedef struct {
    const char *bench;          /* --bench value */
    const char *prefix;         /* of the paired programs */
    const char *client_opt;     /* the driver's option naming the connecting side */
    const char *server_opt;     /* ... and the binding side */
    const char *client_role;    /* --only value of each side */
    const char *server_role;
    int client_reports;         /* 1: the client prints (gets --peer), 0: the server */
} mixed_kind;

static const mixed_kind KINDS[] = {
    { "throughput", "tp", "--sender", "--receiver", "send", "recv", 0 },
    { "latency", "lat", "--requester", "--replier", "req", "rep", 1 },
};

/* The command line, once read. */
typedef struct {
    const mixed_kind *kind;
    const char *client, *server;            /* implementations */
    char bin_dir[PATH_MAX];
    const char *passed[MAX_ARGS];           /* options for both programs */
    int npassed;
} mixed_config;

static const char *program_name = "tp-mixed";

static void
usage (int status)
{
    fprintf (status ? stderr : stdout,
             "usage: tp-mixed  --sender zwire|libzmq --receiver zwire|libzmq [--bin-dir DIR]\n"
             "                 --pattern P --transport T --size N --count M [--hwm N] [--timeout S]\n"
             "       lat-mixed --requester zwire|libzmq --replier zwire|libzmq [--bin-dir DIR]\n"
             "                 --transport T --size N --count M [--warmup W] [--timeout S]\n"
             "       (either, with --bench throughput|latency first, runs the other kind)\n");
    exit (status);
}

static int
known_impl (const char *name)
{
    return name && (strcmp (name, "zwire") == 0 || strcmp (name, "libzmq") == 0);
}

/* The directory of this executable, for the default --bin-dir. */
static void
own_dir (char *buf, size_t cap)
{
    ssize_t n = readlink ("/proc/self/exe", buf, cap - 1);
    if (n <= 0) {
        snprintf (buf, cap, ".");
        return;
    }
    buf[n] = 0;
    char *slash = strrchr (buf, '/');
    if (slash)
        *slash = 0;
}

/* The kind from "--bench K" at argv[1], else from the program's name. */
static const mixed_kind *
choose_kind (int argc, char **argv, int *first)
{
    const char *base = strrchr (argv[0], '/') ? strrchr (argv[0], '/') + 1 : argv[0];
    program_name = base;
    *first = 1;
    if (argc > 2 && strcmp (argv[1], "--bench") == 0) {
        *first = 3;
        for (size_t i = 0; i < sizeof KINDS / sizeof KINDS[0]; i++)
            if (strcmp (argv[2], KINDS[i].bench) == 0)
                return &KINDS[i];
        usage (2);
    }
    return strncmp (base, "lat-", 4) == 0 ? &KINDS[1] : &KINDS[0];
}

/* Options the driver sets itself on each side; refused on its line. */
static int
reserved (const char *arg)
{
    static const char *const names[] = { "--role", "--only", "--endpoint", "--peer", "--done-fd" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strncmp (arg, names[i], strlen (names[i])) == 0)
            return 1;
    return 0;
}

static void
parse (mixed_config *cfg, int argc, char **argv)
{
    int i;
    cfg->kind = choose_kind (argc, argv, &i);
    cfg->client = cfg->server = NULL;
    cfg->npassed = 0;
    own_dir (cfg->bin_dir, sizeof cfg->bin_dir);
    for (; i < argc; i++) {
        if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
            usage (0);
        int last = i + 1 >= argc;
        if (strcmp (argv[i], cfg->kind->client_opt) == 0 && !last)
            cfg->client = argv[++i];
        else if (strcmp (argv[i], cfg->kind->server_opt) == 0 && !last)
            cfg->server = argv[++i];
        else if (strcmp (argv[i], "--bin-dir") == 0 && !last)
            snprintf (cfg->bin_dir, sizeof cfg->bin_dir, "%s", argv[++i]);
        else if (reserved (argv[i])) {
            fprintf (stderr, "%s: %s is set by the driver itself\n", program_name, argv[i]);
            usage (2);
        }
        else if (cfg->npassed < MAX_ARGS - 16)
            cfg->passed[cfg->npassed++] = argv[i];
        else
            usage (2);
    }
    if (!known_impl (cfg->client) || !known_impl (cfg->server))
        usage (2);
}

/*  Fills args: program, the passed options, then the pairs in extra (a
    NULL-terminated list of option, value), then NULL.  */
static void
build_argv (char **args, char *program, const mixed_config *cfg, const char *const *extra)
{
    int n = 0;
    args[n++] = program;
    for (int i = 0; i < cfg->npassed; i++)
        args[n++] = (char *) cfg->passed[i];
    while (*extra)
        args[n++] = (char *) *extra++;
    args[n] = NULL;
}

/* Forks and execs argv (the open fds are inherited); returns the pid or -1. */
static pid_t
spawn (char **argv)
{
    fflush (NULL);
    pid_t pid = fork ();
    if (pid == 0) {
        execv (argv[0], argv);
        fprintf (stderr, "%s: cannot run %s: %s\n", program_name, argv[0], strerror (errno));
        _exit (127);
    }
    if (pid < 0)
        perror ("fork");
    return pid;
}

static int
wait_ok (pid_t pid)
{
    int status;
    while (waitpid (pid, &status, 0) < 0)
        if (errno != EINTR)
            return 0;
    return WIFEXITED (status) && WEXITSTATUS (status) == 0;
}

static void
stop (pid_t pid)
{
    kill (pid, SIGTERM);
    wait_ok (pid);
}

/* The binding side, writing its endpoint to endpoint_fd; returns its pid or -1. */
static pid_t
start_server (const mixed_config *cfg, int endpoint_fd)
{
    const mixed_kind *k = cfg->kind;
    char program[PATH_MAX + 16], fd[16];
    snprintf (program, sizeof program, "%s/%s-%s", cfg->bin_dir, k->prefix, cfg->server);
    snprintf (fd, sizeof fd, "%d", endpoint_fd);
    /* latency: the list ends before "--peer" (the requester gets it) */
    const char *extra[] = { "--only", k->server_role, "--endpoint-fd", fd,
                            k->client_reports ? NULL : "--peer", cfg->client, NULL };
    char *args[MAX_ARGS];
    build_argv (args, program, cfg, extra);
    return spawn (args);
}

/* The connecting side, on endpoint; done_fd: the receiver's end-of-file, or -1. */
static pid_t
start_client (const mixed_config *cfg, const char *endpoint, int done_fd)
{
    const mixed_kind *k = cfg->kind;
    char program[PATH_MAX + 16], fd[16];
    snprintf (program, sizeof program, "%s/%s-%s", cfg->bin_dir, k->prefix, cfg->client);
    snprintf (fd, sizeof fd, "%d", done_fd);
    const char *extra[] = { "--only", k->client_role, "--endpoint", endpoint,
                            k->client_reports ? "--peer" : "--done-fd",
                            k->client_reports ? cfg->server : fd, NULL };
    char *args[MAX_ARGS];
    build_argv (args, program, cfg, extra);
    return spawn (args);
}

int
main (int argc, char **argv)
{
    mixed_config cfg;
    parse (&cfg, argc, argv);
    int endpoint_pipe[2], done_pipe[2];
    if (pipe (endpoint_pipe) || pipe (done_pipe)) {
        perror ("pipe");
        return 1;
    }
    /* The server holds the endpoint pipe's write end and the done pipe's write end. */
    pid_t server = start_server (&cfg, endpoint_pipe[1]);
    close (endpoint_pipe[1]);
    close (done_pipe[1]);           /* only the server has it now */
    if (server < 0)
        return 1;
    char endpoint[256];
    int ok = bench_read_line (endpoint_pipe[0], endpoint, sizeof endpoint) == 0;
    close (endpoint_pipe[0]);
    if (!ok) {
        fprintf (stderr, "%s: the %s side did not bind\n", program_name, cfg.server);
        stop (server);
        return 1;
    }
    pid_t client = start_client (&cfg, endpoint, done_pipe[0]);
    close (done_pipe[0]);
    if (client < 0) {
        stop (server);
        return 1;
    }
    int client_ok = wait_ok (client);
    if (!client_ok)
        kill (server, SIGTERM);     /* it would wait for the rest */
    int server_ok = wait_ok (server);
    return client_ok && server_ok ? 0 : 1;
}
