/*  scale_run.c — the two sides of a scale benchmark and the processes
    they run in (scale_common.h): the server's steps (bind, wait for the
    handshakes, settle, read RSS, probe, publish, collect), the client's
    (connect N times, count probes and deliveries, report), the lines on
    the two pipes between them, and the result line.

    Pipes: "down" from the server to the client carries "E <endpoint>"
    and "P" (publishing is over), then end-of-file (the server is done);
    "up" from the client carries "R" (every peer had a probe) and
    "D <deliveries> <last-delivery-ns> <rss-before-kb> <rss-after-kb>".
    An end-of-file where a line was expected means the other side died.

    Probes are 5-octet messages, 'p' and a 32-bit number (big-endian);
    data messages are --size octets of 'd', so the two never mix up.  A
    probe reaches every pipe subscribed when it is published, once: when
    the client has counted N copies of one probe, each of the N
    connections is handshaken and subscribed.  */

#include "scale_common.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bench_pair.h"
#include "bench_report.h"

#define SCALE_PROBES_MAX 4096       /* at 20 ms apart, 82 s of probing at most */
#define SCALE_PROBE_IVL_MS 20
#define SCALE_IDLE_MS 2000          /* the client gives up on the rest after "P" */
#define SCALE_LINE_MAX 512
#define SCALE_CONNECT_WINDOW 64     /* connections in progress at once, below both backlogs */

typedef struct {
    double connect_s, publish_s;
    long rss_before_kb, rss_after_kb;
    uint64_t start_ns;              /* just before the first publish */
} server_result;

typedef struct {
    unsigned long long deliveries, last_ns;
    long rss_before_kb, rss_after_kb;
} client_result;

/* --- small helpers ----------------------------------------------------------------- */

/* VmRSS of this process in kB, or -1. */
static long
rss_kb (void)
{
    FILE *f = fopen ("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    long kb = -1;
    while (kb < 0 && fgets (line, sizeof line, f))
        if (strncmp (line, "VmRSS:", 6) == 0)
            kb = strtol (line + 6, NULL, 10);
    fclose (f);
    return kb;
}

static int
write_all (int fd, const char *at, size_t left)
{
    while (left) {
        ssize_t n = write (fd, at, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        at += n;
        left -= (size_t) n;
    }
    return 0;
}

static int
send_line (int fd, const char *format, ...)
    __attribute__ ((format (printf, 2, 3)));

static int
send_line (int fd, const char *format, ...)
{
    char line[SCALE_LINE_MAX];
    va_list args;
    va_start (args, format);
    int n = vsnprintf (line, sizeof line - 1, format, args);
    va_end (args);
    if (n < 0 || (size_t) n >= sizeof line - 1)
        return -1;
    line[n++] = '\n';
    return write_all (fd, line, (size_t) n);
}

static double
seconds_since (uint64_t start_ns)
{
    return (double) (bench_now_ns () - start_ns) / 1e9;
}

/* --- the tally (client) ---------------------------------------------------------------- */

void
scale_tally_add (scale_tally *tally, const uint8_t *data, size_t size)
{
    if (size != 5 || data[0] != 'p') {
        tally->deliveries++;
        return;
    }
    uint32_t probe = (uint32_t) data[1] << 24 | (uint32_t) data[2] << 16
                   | (uint32_t) data[3] << 8 | data[4];
    if (probe < SCALE_PROBES_MAX && ++tally->probe_copies[probe] == tally->peers)
        tally->probe_complete = 1;
}

/* --- the server side ----------------------------------------------------------------------- */

/* The client wrote or closed its pipe out of turn: it failed (and says why). */
static int
client_spoke (const scale_opts *opts, const char *when)
{
    fprintf (stderr, "%s: the client side stopped %s\n", opts->program, when);
    return -1;
}

static int
await_peers (const scale_impl *impl, void *pub, const scale_opts *opts, int up)
{
    while (impl->pub_peers (pub) < opts->peers) {
        int r = impl->pub_wait (pub, up, 10);
        if (r != 0)
            return r < 0 ? -1 : client_spoke (opts, "before every peer connected");
    }
    return 0;
}

/* The connections idle for settle_ms (their subscriptions are taken in meanwhile). */
static int
settle (const scale_impl *impl, void *pub, const scale_opts *opts, int up)
{
    uint64_t deadline = bench_now_ns () + (uint64_t) opts->settle_ms * 1000000u;
    for (uint64_t now = bench_now_ns (); now < deadline; now = bench_now_ns ()) {
        int r = impl->pub_wait (pub, up, (int) ((deadline - now + 999999) / 1000000));
        if (r != 0)
            return r < 0 ? -1 : client_spoke (opts, "while the connections settled");
    }
    return 0;
}

/* A line the client owes now: 0 when it starts with tag. */
static int
expect_line (const scale_opts *opts, int up, char tag, char *line, size_t cap)
{
    if (bench_read_line (up, line, cap) < 0 || line[0] != tag) {
        fprintf (stderr, "%s: the client side failed (no \"%c\" line)\n", opts->program, tag);
        return -1;
    }
    return 0;
}

/* Publishes probes until the client has had one on every connection. */
static int
await_subscribed (const scale_impl *impl, void *pub, const scale_opts *opts, int up)
{
    char line[SCALE_LINE_MAX];
    for (uint32_t probe = 0; probe < SCALE_PROBES_MAX; probe++) {
        uint8_t msg[5] = { 'p', (uint8_t) (probe >> 24), (uint8_t) (probe >> 16),
                           (uint8_t) (probe >> 8), (uint8_t) probe };
        if (impl->pub_send (pub, msg, sizeof msg) < 0)
            return -1;
        int r = impl->pub_wait (pub, up, SCALE_PROBE_IVL_MS);
        if (r != 0)
            return r < 0 ? -1 : expect_line (opts, up, 'R', line, sizeof line);
    }
    fprintf (stderr, "%s: the subscribers never all had a probe\n", opts->program);
    return -1;
}

static int
publish (const scale_impl *impl, void *pub, const scale_opts *opts)
{
    uint8_t *payload = malloc (opts->size ? opts->size : 1);
    if (!payload) {
        perror ("malloc");
        return -1;
    }
    memset (payload, 'd', opts->size);
    int rc = 0;
    for (uint64_t i = 0; rc == 0 && i < opts->count; i++)
        rc = impl->pub_send (pub, payload, opts->size);
    free (payload);
    return rc;
}

/* Serves until the client reports; its figures into *client. */
static int
collect (const scale_impl *impl, void *pub, const scale_opts *opts, int up,
         client_result *client)
{
    char line[SCALE_LINE_MAX];
    int r = impl->pub_wait (pub, up, -1);
    if (r < 0 || expect_line (opts, up, 'D', line, sizeof line) < 0)
        return -1;
    if (sscanf (line, "D %llu %llu %ld %ld", &client->deliveries, &client->last_ns,
                &client->rss_before_kb, &client->rss_after_kb) != 4) {
        fprintf (stderr, "%s: a bad report from the client: %s\n", opts->program, line);
        return -1;
    }
    return 0;
}

/* From the bound socket to the client's report. */
static int
serve_steps (const scale_impl *impl, void *pub, const scale_opts *opts, int down, int up,
             server_result *server, client_result *client)
{
    uint64_t start = bench_now_ns ();
    if (await_peers (impl, pub, opts, up) < 0)
        return -1;
    server->connect_s = seconds_since (start);
    if (settle (impl, pub, opts, up) < 0)
        return -1;
    server->rss_after_kb = rss_kb ();
    if (await_subscribed (impl, pub, opts, up) < 0)
        return -1;
    server->start_ns = bench_now_ns ();
    if (publish (impl, pub, opts) < 0)
        return -1;
    server->publish_s = seconds_since (server->start_ns);
    if (send_line (down, "P") < 0)
        return client_spoke (opts, "before the messages were published");
    return collect (impl, pub, opts, up, client);
}

static int
serve (const scale_impl *impl, const scale_opts *opts, int down, int up,
       server_result *server, client_result *client)
{
    char chosen[128], bound[256];
    if (strcmp (opts->transport, "ipc") == 0)
        snprintf (chosen, sizeof chosen, "ipc:///tmp/zwire-scale-%ld.sock", (long) getpid ());
    else
        snprintf (chosen, sizeof chosen, "tcp://127.0.0.1:*");
    void *pub = impl->pub_open (opts, chosen, bound, sizeof bound);
    if (!pub)
        return -1;
    server->rss_before_kb = rss_kb ();
    int rc = send_line (down, "E %s", bound) < 0 ? client_spoke (opts, "at once")
           : serve_steps (impl, pub, opts, down, up, server, client);
    impl->pub_close (pub);
    bench_forget_endpoint (bound);
    return rc;
}

/* --- the client side ------------------------------------------------------------------------ */

/*  Counts until every message published has come (or SCALE_IDLE_MS of
    silence after "P"); says "R" on the way, when every peer had a probe.  */
static int
receive_all (const scale_impl *impl, void *sub, const scale_opts *opts, int down, int up,
             scale_tally *tally, client_result *result)
{
    uint64_t expected = opts->count * opts->peers, quiet_since = 0;
    int ready = 0, published = 0;
    while (tally->deliveries < expected) {
        int r = impl->sub_wait (sub, down, 100);
        uint64_t before = tally->deliveries;
        if (r < 0 || impl->sub_drain (sub, tally) < 0)
            return -1;
        uint64_t now = bench_now_ns ();
        if (tally->deliveries != before)
            result->last_ns = quiet_since = now;
        if (tally->probe_complete && !ready) {
            result->rss_after_kb = rss_kb ();
            if (send_line (up, "R") < 0)
                return -1;
            ready = 1;
        }
        if (r == 1) {
            char line[SCALE_LINE_MAX];
            if (published || bench_read_line (down, line, sizeof line) < 0 || line[0] != 'P')
                return -1;          /* the server is gone */
            published = 1;
            quiet_since = now;      /* the silence is counted from here */
        }
        if (published && now - quiet_since > (uint64_t) SCALE_IDLE_MS * 1000000u)
            break;
    }
    result->deliveries = tally->deliveries;
    return 0;
}

/* Waits for the server to finish (end-of-file on down). */
static void
await_eof (int fd)
{
    char byte;
    for (;;) {
        ssize_t n = read (fd, &byte, 1);
        if (n == 0 || (n < 0 && errno != EINTR))
            return;
    }
}

/*  Connects N times, with at most SCALE_CONNECT_WINDOW connections in
    progress (not handshaken) at once.  A burst of thousands would overflow
    the server's listen backlog (128 for zwire, 100 for libzmq), and TCP
    retries a dropped SYN only after 1 s, then 3, 7, 15 s: the time would
    be the kernel's back-off, not the stacks' work.  */
static int
connect_paced (const scale_impl *impl, void *sub, const char *endpoint, size_t peers, int down)
{
    size_t started = 0;
    while (started < peers) {
        size_t pending = started - impl->sub_peers (sub);
        size_t batch = pending < SCALE_CONNECT_WINDOW ? SCALE_CONNECT_WINDOW - pending : 0;
        if (batch > peers - started)
            batch = peers - started;
        if (batch && impl->sub_connect (sub, endpoint, batch) < 0)
            return -1;
        started += batch;
        if (impl->sub_wait (sub, down, 1) != 0)
            return -1;              /* the server is gone, or an error */
    }
    return 0;
}

static int
client_side (const scale_impl *impl, const scale_opts *opts, int down, int up)
{
    char line[SCALE_LINE_MAX];
    if (bench_read_line (down, line, sizeof line) < 0 || strncmp (line, "E ", 2) != 0)
        return -1;                  /* the server failed to bind: it says why */
    scale_tally tally = { .peers = opts->peers,
                          .probe_copies = calloc (SCALE_PROBES_MAX, sizeof (uint32_t)) };
    client_result result = { 0 };
    void *sub = tally.probe_copies ? impl->sub_open (opts) : NULL;
    if (!sub) {
        free (tally.probe_copies);
        return -1;
    }
    result.rss_before_kb = rss_kb ();
    int rc = connect_paced (impl, sub, line + 2, opts->peers, down);
    if (rc == 0)
        rc = receive_all (impl, sub, opts, down, up, &tally, &result);
    if (rc == 0)
        rc = send_line (up, "D %llu %llu %ld %ld", result.deliveries, result.last_ns,
                        result.rss_before_kb, result.rss_after_kb);
    if (rc == 0)
        await_eof (down);
    impl->sub_close (sub);
    free (tally.probe_copies);
    return rc;
}

/* --- the result ---------------------------------------------------------------------------------- */

static double
per_conn (long before_kb, long after_kb, size_t peers)
{
    return (double) (after_kb - before_kb) * 1024.0 / (double) peers;
}

static void
report (const scale_impl *impl, const scale_opts *opts, const server_result *s,
        const client_result *c)
{
    uint64_t expected = opts->count * opts->peers;
    double seconds = c->last_ns > s->start_ns ? (double) (c->last_ns - s->start_ns) / 1e9 : 1e-9;
    printf ("{\"bench\":\"scale\",\"impl\":\"%s\",\"client\":\"%s\",\"transport\":\"%s\","
            "\"peers\":%zu,\"connect_s\":%.3f,\"rss_before_kb\":%ld,\"rss_after_kb\":%ld,"
            "\"bytes_per_conn\":%.0f,\"client_rss_before_kb\":%ld,\"client_rss_after_kb\":%ld,"
            "\"client_bytes_per_conn\":%.0f,\"size\":%zu,\"count\":%llu,\"hwm\":%d,"
            "\"deliveries\":%llu,\"dropped\":%llu,\"publish_s\":%.6f,\"seconds\":%.6f,"
            "\"deliveries_per_s\":%.1f}\n",
            impl->name, opts->client, opts->transport, opts->peers, s->connect_s,
            s->rss_before_kb, s->rss_after_kb,
            per_conn (s->rss_before_kb, s->rss_after_kb, opts->peers),
            c->rss_before_kb, c->rss_after_kb,
            per_conn (c->rss_before_kb, c->rss_after_kb, opts->peers), opts->size,
            (unsigned long long) opts->count, opts->hwm, c->deliveries,
            (unsigned long long) (expected - c->deliveries), s->publish_s, seconds,
            (double) c->deliveries / seconds);
    fflush (stdout);
}

/* --- the processes ----------------------------------------------------------------------------- */

/*  In the forked child: the other implementation's program, scale-<impl>
    beside this one, as the client side on the inherited pipe ends.  */
static void
exec_client (const scale_opts *opts, int down, int up)
{
    char path[4096], peers[24], count[24], size[24], hwm[24], timeout[24], down_fd[24], up_fd[24];
    ssize_t n = readlink ("/proc/self/exe", path, sizeof path - 64);
    if (n > 0)
        path[n] = 0;
    char *slash = n > 0 ? strrchr (path, '/') : NULL;
    if (!slash) {
        fprintf (stderr, "%s: cannot find my own directory\n", opts->program);
        _exit (1);
    }
    snprintf (slash, 64, "/scale-%s", opts->client);
    snprintf (peers, sizeof peers, "%zu", opts->peers);
    snprintf (count, sizeof count, "%llu", (unsigned long long) opts->count);
    snprintf (size, sizeof size, "%zu", opts->size);
    snprintf (hwm, sizeof hwm, "%d", opts->hwm);
    snprintf (timeout, sizeof timeout, "%d", opts->timeout_s);
    snprintf (down_fd, sizeof down_fd, "%d", down);
    snprintf (up_fd, sizeof up_fd, "%d", up);
    char *argv[] = { path, "--only", "client", "--down-fd", down_fd, "--up-fd", up_fd,
                     "--peers", peers, "--count", count, "--size", size, "--hwm", hwm,
                     "--transport", (char *) opts->transport, "--timeout", timeout, NULL };
    execv (path, argv);
    fprintf (stderr, "%s: cannot run %s: %s\n", opts->program, path, strerror (errno));
    _exit (1);
}

static void
run_child (const scale_impl *impl, const scale_opts *opts, int down, int up)
{
    if (strcmp (opts->client, impl->name) != 0)
        exec_client (opts, down, up);
    alarm ((unsigned) opts->timeout_s);
    int rc = client_side (impl, opts, down, up);
    fflush (NULL);
    _exit (rc ? 1 : 0);
}

static int
await_child (pid_t child, int failed)
{
    if (failed)
        kill (child, SIGTERM);
    int status;
    while (waitpid (child, &status, 0) < 0)
        if (errno != EINTR) {
            perror ("waitpid");
            return -1;
        }
    return WIFEXITED (status) && WEXITSTATUS (status) == 0 ? 0 : -1;
}

static int
run_both (const scale_impl *impl, const scale_opts *opts)
{
    int down[2], up[2];
    if (pipe (down) < 0 || pipe (up) < 0) {
        perror ("pipe");
        return 1;
    }
    fflush (NULL);
    pid_t child = fork ();
    if (child < 0) {
        perror ("fork");
        return 1;
    }
    if (child == 0) {
        close (down[1]);
        close (up[0]);
        run_child (impl, opts, down[0], up[1]);
    }
    close (down[0]);
    close (up[1]);
    alarm ((unsigned) opts->timeout_s);
    server_result server = { 0 };
    client_result client = { 0 };
    int rc = serve (impl, opts, down[1], up[0], &server, &client);
    close (down[1]);                /* the client's signal to leave */
    close (up[0]);
    if (await_child (child, rc != 0) < 0) {
        if (rc == 0)
            fprintf (stderr, "%s: the client side failed\n", opts->program);
        rc = -1;
    }
    if (rc == 0)
        report (impl, opts, &server, &client);
    return rc ? 1 : 0;
}

int
scale_main (const scale_impl *impl, int argc, char **argv)
{
    scale_opts opts;
    scale_opts_parse (&opts, impl->name, argc, argv);
    signal (SIGPIPE, SIG_IGN);      /* a side that dies is noticed by end-of-file */
    if (scale_raise_nofile (&opts) < 0)
        return 1;
    if (!opts.only_client)
        return run_both (impl, &opts);
    alarm ((unsigned) opts.timeout_s);
    return client_side (impl, &opts, opts.down_fd, opts.up_fd) ? 1 : 0;
}
