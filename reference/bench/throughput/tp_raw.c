/*  tp_raw.c — the physical limit: raw stream sockets, no messaging at all.

      tp-raw --transport tcp|ipc --size N --count M [--role both | --only recv|send ...]

    Streams count x size octets over one TCP (loopback) or Unix stream
    connection, written and read in large chunks (256 KiB), with no
    framing: what the kernel can move between two processes, the ceiling
    for any ZMTP stack over the same transport.  Same two processes as
    the others (bench_pair.h): the receiver listens in the child, the
    sender connects from the parent; TCP_NODELAY on both ends, as zwire and
    libzmq set it; socket buffers left to the kernel, as they do.

    The receiver times from its first read to the last octet and reports
    the octets after the first read as size-octet message equivalents
    (bench_report.h), with pattern "stream".  --pattern is accepted and
    ignored.  Endpoints: "tcp://127.0.0.1:PORT" ('*' or 0: any port) and
    "ipc://PATH".  */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "bench_opts.h"
#include "bench_pair.h"
#include "bench_report.h"

#define CHUNK (256 * 1024)

typedef union {
    struct sockaddr sa;
    struct sockaddr_in in;
    struct sockaddr_un un;
} address;

/* Parses "tcp://A.B.C.D:PORT" (PORT may be '*') or "ipc://PATH"; 0 or -1. */
static int
parse_endpoint (const char *endpoint, address *addr, socklen_t *len)
{
    memset (addr, 0, sizeof *addr);
    if (strncmp (endpoint, "ipc://", 6) == 0) {
        const char *path = endpoint + 6;
        if (strlen (path) >= sizeof addr->un.sun_path)
            return -1;
        addr->un.sun_family = AF_UNIX;
        strcpy (addr->un.sun_path, path);
        *len = sizeof addr->un;
        return 0;
    }
    if (strncmp (endpoint, "tcp://", 6) != 0)
        return -1;
    char host[64];
    const char *colon = strrchr (endpoint + 6, ':');
    if (!colon || (size_t) (colon - endpoint - 6) >= sizeof host)
        return -1;
    memcpy (host, endpoint + 6, (size_t) (colon - endpoint - 6));
    host[colon - endpoint - 6] = 0;
    long port = strcmp (colon + 1, "*") == 0 ? 0 : strtol (colon + 1, NULL, 10);
    addr->in.sin_family = AF_INET;
    addr->in.sin_port = htons ((uint16_t) port);
    if (port < 0 || port > 65535 || inet_pton (AF_INET, host, &addr->in.sin_addr) != 1)
        return -1;
    *len = sizeof addr->in;
    return 0;
}

static void
no_delay (int fd, const address *addr)
{
    int one = 1;
    if (addr->sa.sa_family == AF_INET)
        setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static int
receiver (const bench_opts *opts, const char *endpoint, int endpoint_fd)
{
    address addr;
    socklen_t len;
    if (parse_endpoint (endpoint, &addr, &len)) {
        fprintf (stderr, "%s: bad endpoint %s\n", opts->program, endpoint);
        return 1;
    }
    int listener = socket (addr.sa.sa_family, SOCK_STREAM, 0);
    if (addr.sa.sa_family == AF_UNIX)
        unlink (addr.un.sun_path);
    if (listener < 0 || bind (listener, &addr.sa, len) || listen (listener, 1)
    ||  getsockname (listener, &addr.sa, &len)) {
        perror ("listen");
        return 1;
    }
    char bound[160];
    if (addr.sa.sa_family == AF_UNIX)
        snprintf (bound, sizeof bound, "ipc://%s", addr.un.sun_path);
    else
        snprintf (bound, sizeof bound, "tcp://127.0.0.1:%u", (unsigned) ntohs (addr.in.sin_port));
    bench_announce (opts, endpoint_fd, bound);
    int fd = accept (listener, NULL, NULL);
    close (listener);
    bench_forget_endpoint (bound);
    uint8_t *chunk = malloc (CHUNK);
    if (fd < 0 || !chunk) {
        perror ("accept");
        free (chunk);
        return 1;
    }
    no_delay (fd, &addr);
    uint64_t total = opts->count * (uint64_t) opts->size, got = 0, first = 0;
    bench_timing timing = { 0 };
    double size = (double) opts->size;
    while (got < total) {
        ssize_t n = read (fd, chunk, CHUNK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            fprintf (stderr, "%s: the stream ended after %llu of %llu octets\n", opts->program,
                     (unsigned long long) got, (unsigned long long) total);
            break;
        }
        if (got == 0) {
            bench_timing_start (&timing);
            first = (uint64_t) n;
        }
        got += (uint64_t) n;
        bench_timing_mark (&timing, (double) (got - first) / size);
    }
    bench_timing_stop (&timing, (double) (total - first) / size);
    free (chunk);
    close (fd);
    if (got < total)
        return 1;
    bench_report_throughput (opts, "raw", "stream", &timing);
    return 0;
}

static int
sender (const bench_opts *opts, const char *endpoint)
{
    address addr;
    socklen_t len;
    if (parse_endpoint (endpoint, &addr, &len)) {
        fprintf (stderr, "%s: bad endpoint %s\n", opts->program, endpoint);
        return 1;
    }
    int fd = socket (addr.sa.sa_family, SOCK_STREAM, 0);
    uint8_t *chunk = malloc (CHUNK);
    if (fd < 0 || !chunk || connect (fd, &addr.sa, len)) {
        perror ("connect");
        free (chunk);
        return 1;
    }
    no_delay (fd, &addr);
    memset (chunk, 'z', CHUNK);
    uint64_t left = opts->count * (uint64_t) opts->size;
    while (left) {
        ssize_t n = write (fd, chunk, left < CHUNK ? (size_t) left : CHUNK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            perror ("write");
            break;
        }
        left -= (uint64_t) n;
    }
    free (chunk);
    if (left == 0)
        bench_await_server ();
    close (fd);
    return left ? 1 : 0;
}

int
main (int argc, char **argv)
{
    bench_opts opts;
    bench_opts_parse (&opts, BENCH_KIND_THROUGHPUT, argc, argv);
    if (opts.size == 0) {
        fprintf (stderr, "%s: --size must be at least 1\n", opts.program);
        return 2;
    }
    return bench_run (&opts, receiver, sender);
}
