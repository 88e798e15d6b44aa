/*  scale_common.h — what the two scale benchmarks (scale_zwire.c,
    scale_libzmq.c) share: the command line, the two processes and the
    pipes between them, the probe that proves every peer subscribed, the
    memory readings and the result line.  Each program only supplies its
    stack's half of the work, as a table of functions (scale_impl).

      scale-zwire|scale-libzmq [--peers N] [--transport tcp|ipc] [--size N]
                   [--count M] [--hwm N] [--client zwire|libzmq]
                   [--settle MS] [--timeout S]

    The run, in two processes made by fork before either touches its stack:

      server (parent)                       client (child)
      one PUB socket, bound                 one XSUB socket, subscribed to ""
      RSS before  -- "E endpoint" -->       connects N times to the endpoint,
                                            at most 64 handshakes in progress
      waits: N handshakes over, then
      --settle ms more; RSS after
      probe 0, 1, ... every 20 ms           counts the copies of each probe
                  <-- "R" --                when one probe came N times
      t0; publishes --count messages
                  -- "P" -->                (publishing is over)
                  <-- "D ..." --            when count * N delivered (or
                                            2 s of silence after "P")
      closes; prints the JSON line          exits on end-of-file

    The client is a separate process so that the server's RSS is its own:
    bytes_per_conn does not depend on the client's implementation.
    --client names that implementation (by default the program's own);
    the other one is run as the sibling program scale-<impl> (--only
    client, --down-fd, --up-fd: the pipe ends), so that the fan-out of
    either publisher can be measured against the same subscribers.

    Why XSUB: libzmq 4.3 ignores a second zmq_connect of a SUB (or DEALER,
    PUB, REQ) socket to an endpoint it is already connected to, and an
    XSUB has no such rule; the client subscribes by sending "\x01" before
    it connects, and each new connection is told.  Both implementations
    use the same client shape (one XSUB, N connections).
    Why the window of 64 connections in progress: a burst of thousands of
    connects overflows the listen backlog (128 for zwire, 100 for libzmq)
    and TCP retries a dropped SYN after 1, 3, 7, 15 s: connect_s would
    measure the kernel's back-off.

    The result, one line on stdout (kB are 1024 octets):
      {"bench":"scale","impl":I,"client":C,"transport":T,"peers":N,
       "connect_s":a,"rss_before_kb":b,"rss_after_kb":c,"bytes_per_conn":d,
       "client_rss_before_kb":e,"client_rss_after_kb":f,"client_bytes_per_conn":g,
       "size":S,"count":M,"hwm":H,"deliveries":D,"dropped":X,"publish_s":p,
       "seconds":s,"deliveries_per_s":r}
    connect_s runs from the endpoint's announcement to the N-th handshake
    at the server.  bytes_per_conn = (c - b) * 1024 / N, the server's
    growth with N idle, handshaken connections (read --settle ms after the
    last handshake, before any message was published); the client's the
    same for its side (read when every peer had a probe).

    Fan-out: deliveries_per_s = D / s, where s runs from just before the
    first publish (in the server) to the last delivery (in the client),
    both on CLOCK_MONOTONIC, which the two processes share: the time the
    whole system takes to get M messages to N subscribers, whoever is the
    bottleneck, measured alike for both stacks (and, with --client, with
    the same subscribers for both publishers).  publish_s is how long the
    publisher took to hand the M messages to its stack.  A PUB drops at
    its high-water mark, so --hwm is 0 (no limit) by default and nothing
    should be lost; whatever is, X = N * M - D, is reported and not timed
    (the client stops after 2 s without a delivery).  */

#ifndef SCALE_COMMON_H
#define SCALE_COMMON_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char *program;        /* for messages */
    const char *transport;      /* "tcp" or "ipc" */
    size_t peers;
    size_t size;
    uint64_t count;
    int hwm;                    /* SNDHWM and RCVHWM; 0 = no limit */
    const char *client;         /* the client's implementation */
    int settle_ms;
    int timeout_s;
    int only_client;            /* run the client side on down_fd, up_fd */
    int down_fd, up_fd;
} scale_opts;

/*  What the client counts: the copies of each probe (to learn when
    every peer is subscribed) and the data messages.  */
typedef struct {
    size_t peers;
    uint32_t *probe_copies;     /* indexed by probe number */
    int probe_complete;         /* one probe reached every peer */
    uint64_t deliveries;        /* data messages */
} scale_tally;

/* One message the client received (probe or data): counted. */
void scale_tally_add (scale_tally *tally, const uint8_t *data, size_t size);

/*  One stack's half of the work.  The wait functions serve the stack's
    connections until fd is readable (return 1), timeout_ms passes (0;
    -1: no limit) or, for the subscriber, a message is ready (0); -1 on
    an error.  */
typedef struct {
    const char *name;           /* "zwire", "libzmq" */
    /* A PUB socket (high-water marks opts->hwm) bound to endpoint; the endpoint bound into bound. */
    void *(*pub_open) (const scale_opts *opts, const char *endpoint, char *bound, size_t cap);
    size_t (*pub_peers) (void *pub);                    /* handshakes over, now */
    int (*pub_send) (void *pub, const void *data, size_t size);
    int (*pub_wait) (void *pub, int fd, int timeout_ms);
    void (*pub_close) (void *pub);
    /* A SUB socket subscribed to everything (RCVHWM opts->hwm), not connected yet. */
    void *(*sub_open) (const scale_opts *opts);
    int (*sub_connect) (void *sub, const char *endpoint, size_t times);
    size_t (*sub_peers) (void *sub);                    /* handshakes over, now */
    int (*sub_wait) (void *sub, int fd, int timeout_ms);
    /* Takes every message ready now, without waiting, into the tally. */
    int (*sub_drain) (void *sub, scale_tally *tally);
    void (*sub_close) (void *sub);
} scale_impl;

/*  Parses argv into *opts (self: the program's implementation, the
    default --client); prints the usage and exits 2 on a mistake, 0 after
    --help.  */
void scale_opts_parse (scale_opts *opts, const char *self, int argc, char **argv);

/*  Raises the soft RLIMIT_NOFILE to the hard limit; -1 (after saying so)
    when even that is too low for opts->peers connections.  */
int scale_raise_nofile (const scale_opts *opts);

/*  The program: parses argv (usage and exit 2 on a mistake), raises the
    open-file limit, runs both sides and prints the result; the exit
    status.  */
int scale_main (const scale_impl *impl, int argc, char **argv);

#endif
