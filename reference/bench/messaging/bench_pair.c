/*  bench_pair.c — the two processes of a benchmark and the pipe that
    carries the bound endpoint from the server to the client (bench_pair.h).

    Default endpoints: "tcp://127.0.0.1:*" (a free port, both libraries
    read '*' so) and "ipc:///tmp/zwire-bench-<pid>.sock".  The endpoint line
    is at most BENCH_ENDPOINT_MAX octets.  */

#include "bench_pair.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define BENCH_ENDPOINT_MAX 256

/* The read end of the server's "done" pipe, for bench_await_server; -1: none. */
static int server_done_fd = -1;

int
bench_server_done_fd (void)
{
    return server_done_fd;
}

void
bench_await_server (void)
{
    if (server_done_fd < 0)
        return;
    char byte;
    for (;;) {
        ssize_t n = read (server_done_fd, &byte, 1);
        if (n == 0 || (n < 0 && errno != EINTR))
            break;
    }
    close (server_done_fd);
    server_done_fd = -1;
}

void
bench_announce (const bench_opts *opts, int fd, const char *endpoint)
{
    if (fd < 0) {
        fprintf (stderr, "%s: bound %s\n", opts->program, endpoint);
        return;
    }
    char line[BENCH_ENDPOINT_MAX + 1];
    int n = snprintf (line, sizeof line, "%s\n", endpoint);
    if (n > 0 && (size_t) n < sizeof line) {
        const char *at = line;
        size_t left = (size_t) n;
        while (left) {
            ssize_t w = write (fd, at, left);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                break;
            at += w;
            left -= (size_t) w;
        }
    }
    close (fd);
}

void
bench_forget_endpoint (const char *endpoint)
{
    if (endpoint && strncmp (endpoint, "ipc://", 6) == 0)
        unlink (endpoint + 6);
}

static void
default_endpoint (const bench_opts *opts, char *buf, size_t cap)
{
    if (bench_opts_is_ipc (opts))
        snprintf (buf, cap, "ipc:///tmp/zwire-bench-%ld.sock", (long) getpid ());
    else
        snprintf (buf, cap, "tcp://127.0.0.1:*");
}

int
bench_read_line (int fd, char *buf, size_t cap)
{
    size_t len = 0;
    while (len + 1 < cap) {
        ssize_t n = read (fd, buf + len, 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        if (buf[len] == '\n') {
            buf[len] = 0;
            return 0;
        }
        len++;
    }
    return -1;
}

/* The server side in this process; the endpoint bound goes to endpoint_fd. */
static int
run_server (const bench_opts *opts, bench_server_fn *server, int endpoint_fd)
{
    char chosen[BENCH_ENDPOINT_MAX];
    const char *endpoint = opts->endpoint;
    if (!endpoint) {
        default_endpoint (opts, chosen, sizeof chosen);
        endpoint = chosen;
    }
    alarm ((unsigned) opts->timeout_s);
    return server (opts, endpoint, endpoint_fd);
}

static int
run_both (const bench_opts *opts, bench_server_fn *server, bench_client_fn *client)
{
    int fds[2], done[2];
    if (pipe (fds) < 0 || pipe (done) < 0) {
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
        close (fds[0]);
        close (done[0]);            /* done[1] stays open until this process exits */
        int rc = run_server (opts, server, fds[1]);
        fflush (NULL);
        _exit (rc ? 1 : 0);
    }
    close (fds[1]);
    close (done[1]);
    server_done_fd = done[0];
    char endpoint[BENCH_ENDPOINT_MAX];
    int rc = bench_read_line (fds[0], endpoint, sizeof endpoint);
    close (fds[0]);
    if (rc == 0) {
        alarm ((unsigned) opts->timeout_s);
        rc = client (opts, endpoint) ? 1 : 0;
    }
    else
        fprintf (stderr, "%s: the server side did not bind\n", opts->program);
    if (server_done_fd >= 0) {      /* the client gave up before it waited */
        close (server_done_fd);
        server_done_fd = -1;
    }
    if (rc)
        kill (child, SIGTERM);      /* it would wait for messages that never come */
    int status;
    while (waitpid (child, &status, 0) < 0)
        if (errno != EINTR) {
            perror ("waitpid");
            return 1;
        }
    if (!WIFEXITED (status) || WEXITSTATUS (status) != 0) {
        if (!rc)
            fprintf (stderr, "%s: the server side failed (status %d)\n", opts->program, status);
        rc = 1;
    }
    return rc;
}

int
bench_run (const bench_opts *opts, bench_server_fn *server, bench_client_fn *client)
{
    switch (opts->role) {
    case BENCH_ROLE_SERVER:
        return run_server (opts, server, opts->endpoint_fd) ? 1 : 0;
    case BENCH_ROLE_CLIENT:
        server_done_fd = opts->done_fd;
        alarm ((unsigned) opts->timeout_s);
        return client (opts, opts->endpoint) ? 1 : 0;
    default:
        return run_both (opts, server, client);
    }
}
