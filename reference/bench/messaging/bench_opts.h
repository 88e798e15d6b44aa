/*  bench_opts.h — the command line every messaging benchmark shares.

    Each program (tp-zwire, tp-libzmq, tp-raw, lat-zwire, lat-libzmq; the
    drivers tp-mixed and lat-mixed pass them on) takes the same options,
    so that a driver runs them alike:

      --pattern P        push-pull | dealer-dealer (throughput), req-rep (latency)
      --transport T      tcp | ipc
      --size N           octets per message (one frame)
      --count M          messages (throughput: M >= 2; latency: timed round trips)
      --role R           both (default: two processes, see bench_pair.h),
                         recv | send (throughput), rep | req (latency)
      --only R           the same as --role R (for drivers pairing programs)
      --endpoint EP      --only recv/rep: where to bind (default chosen per
                         transport); --only send/req: where to connect (required)
      --endpoint-fd FD   --only recv/rep: write the endpoint bound there, one line
      --done-fd FD       --only send: before closing, wait for end-of-file on FD
                         (the receiver's end of a pipe: it has everything; see
                         bench_await_server)
      --peer IMPL        --only recv: the sender's implementation, so that
                         the result says "IMPL->self"; --only req: the
                         replier's, so that it says "self->IMPL" (a mixed
                         pair: the connecting side first, bench_report.h)
      --hwm N            send and receive high-water marks (1000, both libraries' default)
      --mechanism M      throughput: null (default) or curve (25/ZMTP-CURVE: the receiver,
                         which binds, is the CURVE server; the keys of bench_keys.h)
      --warmup N         latency: untimed round trips first (default count / 10, at most 1000)
      --timeout S        the watchdog: a process still running after S seconds dies (120)

    A bad command line prints the usage and exits 2.  */

#ifndef BENCH_OPTS_H
#define BENCH_OPTS_H

#include <stdint.h>
#include <stddef.h>

typedef enum {
    BENCH_ROLE_BOTH = 0,    /* fork: the server side in the child, the client in the parent */
    BENCH_ROLE_SERVER,      /* binds: the throughput receiver, the latency REP */
    BENCH_ROLE_CLIENT       /* connects: the throughput sender, the latency REQ */
} bench_role;

typedef struct {
    const char *program;    /* for messages */
    const char *pattern;
    const char *transport;
    size_t size;
    uint64_t count;
    bench_role role;
    const char *endpoint;   /* NULL: the server chooses one */
    int endpoint_fd;        /* -1: none */
    int done_fd;            /* -1: none */
    const char *peer;       /* NULL: same as self */
    int hwm;
    int curve;              /* --mechanism curve (throughput) */
    uint64_t warmup;
    int timeout_s;
} bench_opts;

/*  The kind of program, for defaults and checks: throughput programs take
    push-pull and dealer-dealer, latency programs req-rep.  */
typedef enum { BENCH_KIND_THROUGHPUT, BENCH_KIND_LATENCY } bench_kind;

/*  Parses argv into *opts (defaults first); on any mistake prints why and
    the usage on stderr and exits 2; --help prints the usage and exits 0.  */
void bench_opts_parse (bench_opts *opts, bench_kind kind, int argc, char **argv);

/* "tcp" or "ipc" to 1; anything else 0 (the parser has already refused it). */
int bench_opts_is_ipc (const bench_opts *opts);

#endif
