/*  fl_loadgen.c — the load of `zwire bench fl`, on the reference Freelance
    client's C API (reference/flp/flp_client_shell.h), linked with the
    zwire stack: one context, one client, one request at a time.  Each
    request is waited for as an application with other things to watch
    does (flp_client_shell.h): flp_client_shell_request, then zw_poll on
    the client's socket (which runs the context's loop) and on a pipe the
    result callback writes to, so that the wait ends with the result.
    --wait call uses flp_client_call instead, which runs the loop in
    slices of 5 ms and looks at its request between them: each round trip
    then takes a slice at least (reported: reference/bench/README.md).

      fl-loadgen rtt --connect ENDPOINT [--size 1024] [--seconds 2]
                     [--warmup 0.5] [--ping-interval 1000] [--wait poll|call]
                     [--timeout 120]

    Round trips through one `zwire fl server --echo` (fl_rtt.h: each body
    its own, copied into the request, timed from the call to its return;
    one JSON line, impl "zwire").  The client's timers: --ping-interval
    (the client's default, 1000 ms: about one PING and PONG a second ride
    along), liveness 3, one attempt of 10 s (a reply not back by then is
    lost, as for the libzmq baseline).

      fl-loadgen failover --connect EP,EP,... --pids PID,PID,...
                          [--ping-interval 1000] [--liveness 3]
                          [--attempt-timeout 1000] [--retries 3]
                          [--size 1024] [--warmup 0.5] [--after S]
                          [--timeout 120]

    Failover: the client connected to every server (their endpoints, in
    order; each server's process id in the same order), requests back to
    back, each body its own.  After --warmup seconds (and 20 answers at
    least) it kills the server that gave the last answer (SIGKILL: the
    server in use) and at once sends the next request, which that server
    would have had; requests go on for --after seconds after the kill
    (default: liveness x ping interval + 2 x attempt timeout + 0.5 s,
    time for the client to stop trying the dead server, and then some).

    The JSON line:
      {"bench":"fl-failover","ping_interval_ms":..,"liveness":..,
       "timeout_ms":..,"retries":..,"size":..,"killed":I,"requests":n,
       "after_kill":m,"answered":a,"lost":l,"timed_out":t,"no_server":s,
       "bad_replies":b,"kill_to_answer_ms":x,"last_retry_ms":y,"retried":r,
       "discarded":d,"p50_before_us":p,"answered_by":[..]}
    kill_to_answer_ms: from the kill to the end of the first request
    answered after it (null if none); last_retry_ms: from the kill to the
    end of the last request that needed more than one attempt (the client
    still trying the dead server first; 0 if none); retried: how many such
    requests; lost: requests that ended timed out or with no server;
    bad_replies: answers that were not the request's own body (the client
    hands over only its request's reply: never one).  discarded: replies
    the client dropped as not for its request (flp_client_stats);
    p50_before_us: the median round trip before the kill (of its first
    16384).
    Exit 0, or 1 if a request was lost, a reply bad, the kill failed, or
    the run could not be made.  */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "zwire.h"
#include "flp_client_shell.h"
#include "fl_rtt.h"

#define SERVERS_MAX 16
#define WARM_ANSWERS 20

typedef struct {
    flp_client_shell *client;
    zw_ctx *ctx;
    const uint8_t *body;        /* the outstanding request's */
    size_t size;
    int over;                   /* the request has ended: */
    flp_client_outcome outcome;
    int good;                   /* answered with its own body */
    int server;
    unsigned attempts;
    int wait_call;              /* wait in flp_client_call, not in zw_poll */
    int wake[2];                /* a pipe the result writes to: it ends the zw_poll */
} loadgen;

static void
on_result (void *arg, const flp_client_result *r)
{
    loadgen *g = arg;
    g->over = 1;
    g->outcome = r->outcome;
    g->server = r->server;
    g->attempts = r->attempts;
    g->good = r->outcome == FLP_CLIENT_ANSWERED && r->body_count == 1
           && r->body[0].size == g->size
           && (g->size == 0 || memcmp (r->body[0].data, g->body, g->size) == 0);
    ssize_t n = write (g->wake[1], "!", 1);
    (void) n;                                   /* full: a wake is pending anyway */
}

/*  One request, synchronously; the outcome (FLP_CLIENT_...), or -1.  By
    default it waits as an application that has other things to watch does
    (flp_client_shell.h): the request, then zw_poll on the client's socket
    (which runs the context's loop) and a pipe the result callback writes
    to, so the wait ends with the result.  --wait call: flp_client_call,
    which runs the loop in slices of its own (5 ms: see the README).  */
static int
call (loadgen *g, const uint8_t *body, size_t size)
{
    zw_flp_frame frame = { body, size };
    g->body = body;
    g->size = size;
    g->over = 0;
    if (g->wait_call)
        return flp_client_call (g->client, &frame, 1);
    if (flp_client_shell_request (g->client, &frame, 1) != 0)
        return -1;
    zw_pollitem items[2] = { { flp_client_shell_socket (g->client), -1, 0, 0 },
                             { NULL, g->wake[0], ZW_POLLIN, 0 } };
    while (!g->over)
        if (zw_poll (items, 2, 1000) < 0 && errno != EINTR)
            return -1;
    char drain[64];
    while (read (g->wake[0], drain, sizeof drain) > 0)
        ;
    return (int) g->outcome;
}

static int
trip (void *arg, const uint8_t *body, size_t size)
{
    loadgen *g = arg;
    int outcome = call (g, body, size);
    if (outcome < 0)
        return FL_TRIP_ERROR;
    if (outcome != FLP_CLIENT_ANSWERED)
        return FL_TRIP_LOST;
    return g->good ? FL_TRIP_OK : FL_TRIP_BAD;
}

static void
usage (FILE *out)
{
    fputs ("Usage: fl-loadgen rtt --connect ENDPOINT [--size N] [--seconds S] [--warmup S]\n"
           "                      [--ping-interval MS] [--wait poll|call] [--timeout S]\n"
           "       fl-loadgen failover --connect EP,EP,... --pids PID,PID,...\n"
           "                      [--ping-interval MS] [--liveness N] [--attempt-timeout MS]\n"
           "                      [--retries N] [--size N] [--warmup S] [--after S]\n"
           "                      [--wait poll|call] [--timeout S]\n"
           "\n"
           "The load of `zwire bench fl`, on the reference Freelance client's C API\n"
           "(flp_client_shell.h), one request at a time.  rtt: round trips through one\n"
           "`zwire fl server --echo` for warmup + seconds (0.5 + 2), one JSON line.\n"
           "failover: the client on every server; after the warm-up it kills (SIGKILL) the\n"
           "server that answered last and goes on for --after seconds; one JSON line with\n"
           "the time from the kill to the next answer and the requests lost.  --wait: how\n"
           "a request is waited for: zw_poll on the client's socket and a pipe the result\n"
           "callback writes to (poll, the default), or flp_client_call (call).  The\n"
           "source's head comment says the rest.  --timeout: the watchdog (120 s).\n", out);
}

typedef struct {
    int failover;
    int wait_call;
    const char *connect;
    const char *pids;
    double size, seconds, warmup, after, timeout;
    double ping_interval, liveness, attempt_timeout, retries;
} options;

static int
parse (int argc, char **argv, options *o)
{
    *o = (options) { .size = 1024, .seconds = 2, .warmup = 0.5, .after = -1, .timeout = 120,
                     .ping_interval = 1000, .liveness = 3, .attempt_timeout = 1000,
                     .retries = 3 };
    if (argc >= 2 && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)) {
        usage (stdout);
        return 0;
    }
    if (argc < 2 || (strcmp (argv[1], "rtt") != 0 && strcmp (argv[1], "failover") != 0)) {
        fprintf (stderr, "fl-loadgen: rtt or failover first (--help)\n");
        return -1;
    }
    o->failover = strcmp (argv[1], "failover") == 0;
    for (int i = 2; i < argc; i++) {
        const char *name = argv[i];
        if (strcmp (name, "--help") == 0 || strcmp (name, "-h") == 0) {
            usage (stdout);
            return 0;
        }
        const char *v = i + 1 < argc ? argv[++i] : NULL;
        int ok = v != NULL;
        if (ok && strcmp (name, "--connect") == 0)
            o->connect = v;
        else if (ok && strcmp (name, "--wait") == 0)
            ok = (o->wait_call = strcmp (v, "call") == 0) || strcmp (v, "poll") == 0;
        else if (ok && o->failover && strcmp (name, "--pids") == 0)
            o->pids = v;
        else if (ok && strcmp (name, "--size") == 0)
            ok = fl_number (v, 0, 64 << 20, &o->size);
        else if (ok && !o->failover && strcmp (name, "--seconds") == 0)
            ok = fl_number (v, 0.01, 3600, &o->seconds);
        else if (ok && strcmp (name, "--warmup") == 0)
            ok = fl_number (v, 0, 3600, &o->warmup);
        else if (ok && o->failover && strcmp (name, "--after") == 0)
            ok = fl_number (v, 0.01, 3600, &o->after);
        else if (ok && strcmp (name, "--timeout") == 0)
            ok = fl_number (v, 1, 86400, &o->timeout);
        else if (ok && strcmp (name, "--ping-interval") == 0)
            ok = fl_number (v, 1, 3600000, &o->ping_interval);
        else if (ok && o->failover && strcmp (name, "--liveness") == 0)
            ok = fl_number (v, 1, 1000, &o->liveness);
        else if (ok && o->failover && strcmp (name, "--attempt-timeout") == 0)
            ok = fl_number (v, 1, 3600000, &o->attempt_timeout);
        else if (ok && o->failover && strcmp (name, "--retries") == 0)
            ok = fl_number (v, 0, FLP_CLIENT_RETRIES_MAX, &o->retries);
        else
            ok = 0;
        if (!ok) {
            fprintf (stderr, "fl-loadgen: bad option or value: %s %s (--help)\n", name,
                     v ? v : "(none)");
            return -1;
        }
    }
    if (!o->connect || (o->failover && !o->pids)) {
        fprintf (stderr, "fl-loadgen: --connect%s is needed (--help)\n",
                 o->failover ? " and --pids are" : "");
        return -1;
    }
    if (o->after < 0)
        o->after = (o->liveness * o->ping_interval + 2 * o->attempt_timeout) / 1000 + 0.5;
    return 1;
}

/* Splits text at commas into words (at most max); their count, or 0 (too many, empty). */
static size_t
split (char *text, char **words, size_t max)
{
    size_t n = 0;
    for (char *save = NULL, *w = strtok_r (text, ",", &save); w; w = strtok_r (NULL, ",", &save)) {
        if (n == max)
            return 0;
        words[n++] = w;
    }
    return n;
}

static int
compare_double (const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

static int
failover (loadgen *g, const options *o, char **servers, const pid_t *pids, size_t count)
{
    size_t size = (size_t) o->size;
    uint8_t *body = malloc (size + 8);
    size_t before_cap = 1 << 14, before_n = 0;
    double *before = malloc (before_cap * sizeof *before);
    if (!body || !before) {
        fprintf (stderr, "fl-loadgen: out of memory\n");
        free (body);
        free (before);
        return 1;
    }
    size = size < 8 ? 8 : size;                 /* room for the number: bodies are their own */
    for (size_t i = 0; i < size; i++)
        body[i] = (uint8_t) (i * 7 + 1);
    uint64_t start = fl_now_ns (), kill_at = 0;
    uint64_t first_answer = 0, last_retry = 0;
    unsigned long requests = 0, after_kill = 0, answered = 0, timed_out = 0, no_server = 0,
                  bad = 0, retried = 0, answered_by[SERVERS_MAX] = { 0 };
    int killed = -1, failed = 0, warm_answers = 0;
    for (uint64_t n = 1;; n++) {
        uint64_t t0 = fl_now_ns ();
        if (kill_at && t0 - kill_at >= (uint64_t) (o->after * 1e9))
            break;
        if (!kill_at && t0 - start >= (uint64_t) (o->warmup * 1e9)
            && warm_answers >= WARM_ANSWERS && g->server >= 0) {
            killed = g->server;                 /* the server in use: it gave the last answer */
            if (kill (pids[killed], SIGKILL) != 0) {
                fprintf (stderr, "fl-loadgen: cannot kill server %d (pid %ld): %s\n", killed,
                         (long) pids[killed], strerror (errno));
                failed = 1;
                break;
            }
            t0 = kill_at = fl_now_ns ();
        }
        if (!kill_at && t0 - start > (uint64_t) ((o->warmup + 30) * 1e9)) {
            fprintf (stderr, "fl-loadgen: only %d answers in %.0f s: no server in use to kill\n",
                     warm_answers, o->warmup + 30);
            failed = 1;
            break;
        }
        memcpy (body, &n, 8);
        int outcome = call (g, body, size);
        uint64_t t1 = fl_now_ns ();
        if (outcome < 0) {
            fprintf (stderr, "fl-loadgen: flp_client_call: %s\n", strerror (errno));
            failed = 1;
            break;
        }
        requests++;
        if (outcome == FLP_CLIENT_ANSWERED && !g->good)
            bad++;
        else if (outcome == FLP_CLIENT_ANSWERED) {
            answered++;
            if (g->server >= 0 && (size_t) g->server < count)
                answered_by[g->server]++;
        } else if (outcome == FLP_CLIENT_TIMED_OUT)
            timed_out++;
        else
            no_server++;
        if (!kill_at) {
            if (outcome == FLP_CLIENT_ANSWERED && g->good) {
                warm_answers++;
                if (before_n < before_cap)
                    before[before_n++] = (double) (t1 - t0) / 1e3;
            }
            continue;
        }
        after_kill++;
        if (outcome == FLP_CLIENT_ANSWERED && g->good && !first_answer)
            first_answer = t1;
        if (g->attempts > 1) {
            retried++;
            last_retry = t1;
        }
    }
    qsort (before, before_n, sizeof *before, compare_double);
    flp_client_stats stats;
    flp_client_shell_stats (g->client, &stats);
    char kill_to_answer[32] = "null", by[16 * SERVERS_MAX] = "";
    if (first_answer)
        snprintf (kill_to_answer, sizeof kill_to_answer, "%.1f",
                  (double) (first_answer - kill_at) / 1e6);
    for (size_t i = 0, at = 0; i < count; i++)
        at += (size_t) snprintf (by + at, sizeof by - at, "%s%lu", i ? "," : "", answered_by[i]);
    unsigned long lost = timed_out + no_server;
    printf ("{\"bench\":\"fl-failover\",\"ping_interval_ms\":%.0f,\"liveness\":%.0f,"
            "\"timeout_ms\":%.0f,\"retries\":%.0f,\"size\":%zu,\"killed\":%d,\"requests\":%lu,"
            "\"after_kill\":%lu,\"answered\":%lu,\"lost\":%lu,\"timed_out\":%lu,"
            "\"no_server\":%lu,\"bad_replies\":%lu,\"kill_to_answer_ms\":%s,"
            "\"last_retry_ms\":%.1f,\"retried\":%lu,\"discarded\":%llu,\"p50_before_us\":%.1f,"
            "\"answered_by\":[%s]}\n",
            o->ping_interval, o->liveness, o->attempt_timeout, o->retries, size, killed,
            requests, after_kill, answered, lost, timed_out, no_server, bad, kill_to_answer,
            last_retry ? (double) (last_retry - kill_at) / 1e6 : 0.0, retried,
            (unsigned long long) stats.discarded, before_n ? before[before_n / 2] : 0.0, by);
    fflush (stdout);
    if (lost || bad)
        fprintf (stderr, "fl-loadgen: %lu requests lost (%lu timed out, %lu no server), %lu "
                 "answered with another body\n", lost, timed_out, no_server, bad);
    if (!failed && !first_answer)
        fprintf (stderr, "fl-loadgen: no request answered after the kill of server %d (%s)\n",
                 killed, killed >= 0 ? servers[killed] : "none");
    free (body);
    free (before);
    return failed || lost || bad || !first_answer ? 1 : 0;
}

int
main (int argc, char **argv)
{
    options o;
    int parsed = parse (argc, argv, &o);
    if (parsed <= 0)
        return parsed == 0 ? 0 : 3;
    alarm ((unsigned) o.timeout);               /* the watchdog: SIGALRM ends the process */
    char *connect = strdup (o.connect), *pid_text = o.pids ? strdup (o.pids) : NULL;
    char *servers[SERVERS_MAX], *pid_words[SERVERS_MAX];
    pid_t pids[SERVERS_MAX];
    size_t count = connect ? split (connect, servers, SERVERS_MAX) : 0;
    if (count == 0 || (!o.failover && count != 1)) {
        fprintf (stderr, "fl-loadgen: --connect: %s (--help)\n",
                 o.failover ? "1 to 16 endpoints, separated by commas" : "one endpoint");
        return 3;
    }
    if (o.failover) {
        if (!pid_text || split (pid_text, pid_words, SERVERS_MAX) != count) {
            fprintf (stderr, "fl-loadgen: --pids: one process id per endpoint (--help)\n");
            return 3;
        }
        for (size_t i = 0; i < count; i++) {
            double v;
            if (!fl_number (pid_words[i], 2, 1 << 30, &v)) {
                fprintf (stderr, "fl-loadgen: --pids: not a process id: %s\n", pid_words[i]);
                return 3;
            }
            pids[i] = (pid_t) v;
        }
    }
    zw_ctx *ctx = zw_ctx_new ();
    if (!ctx) {
        fprintf (stderr, "fl-loadgen: zw_ctx_new: %s\n", strerror (errno));
        return 1;
    }
    zw_ctx_set_log (ctx, NULL, NULL);           /* a killed server's connection: not news */
    flp_client_config config;
    flp_client_config_default (&config);
    config.servers = (const char *const *) servers;
    config.server_count = count;
    config.ping_interval_ms = (uint64_t) o.ping_interval;
    if (o.failover) {
        config.liveness = (unsigned) o.liveness;
        config.timeout_ms = (uint64_t) o.attempt_timeout;
        config.retries = (unsigned) o.retries;
    } else {
        config.timeout_ms = 10000;              /* one attempt of 10 s, as the baseline waits */
        config.retries = 0;
    }
    loadgen g = { .ctx = ctx, .server = -1, .wait_call = o.wait_call };
    if (pipe (g.wake) != 0 || fcntl (g.wake[0], F_SETFL, O_NONBLOCK) != 0
        || fcntl (g.wake[1], F_SETFL, O_NONBLOCK) != 0) {
        fprintf (stderr, "fl-loadgen: pipe: %s\n", strerror (errno));
        zw_ctx_destroy (ctx);
        return 1;
    }
    flp_client_callbacks callbacks = { on_result, NULL, &g };
    g.client = flp_client_shell_new (ctx, &config, &callbacks);
    if (!g.client) {
        fprintf (stderr, "fl-loadgen: cannot start the client on %s: %s\n", o.connect,
                 strerror (errno));
        zw_ctx_destroy (ctx);
        return 1;
    }
    int rc = o.failover ? failover (&g, &o, servers, pids, count)
                        : fl_rtt_run ("fl-loadgen", "zwire", (size_t) o.size, o.seconds,
                                      o.warmup, trip, &g);
    flp_client_shell_destroy (g.client);
    zw_ctx_destroy (ctx);
    close (g.wake[0]);
    close (g.wake[1]);
    free (connect);
    free (pid_text);
    return rc;
}
