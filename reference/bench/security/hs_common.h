/*  hs_common.h — what the handshake programs of `zwire bench security`
    share (hs-zwire on the reference stack, hs-libzmq on libzmq 4.3): the
    command line, the server's stop, and the client's timed loop with its
    one JSON line.  No messaging library here: each program brings its
    stack's calls.

      hs-IMPL server --mechanism null|plain|curve [--bind EP] [--timeout S]
      hs-IMPL client --connect EP --mechanism null|plain|curve [--size N]
                     [--seconds S] [--warmup S] [--timeout S]

    The server is one REP socket, bound (tcp://127.0.0.1:0 unless --bind),
    the mechanism's server (PLAIN or CURVE server, with a ZAP handler of
    its own process that answers 200 to every request; NULL asks none:
    bench_keys.h); it prints "bound ENDPOINT" once
    bound and sends every request back as its reply until SIGTERM or
    SIGINT (exit 0), or dies by SIGALRM after --timeout seconds (600).

    The client counts handshakes.  One handshake is, in this order, timed
    as a whole: a new REQ socket (linger 0, the mechanism's client
    options), connect, the ZMTP greeting and the mechanism's handshake,
    one request of --size octets (16) and its reply (the first message
    each way: the reply proves the handshake is over on both sides), and
    the socket's close (which closes the connection: the server then sees
    it go).  One after another for --warmup + --seconds (0.2 + 1); a
    handshake is a sample if it ends inside the window (the last
    --seconds).  The reply must be the request's own body (its first
    octets are the handshake's number).

    The line on stdout:
      {"bench":"handshake","impl":I,"mechanism":M,"size":S,"seconds":s,
       "handshakes":n,"handshakes_per_s":x,"p50_us":a,"p99_us":b,
       "mean_us":c,"max_us":d,"all_handshakes":t,"lost":l,"bad_replies":e}
    all_handshakes counts the warm-up too (to divide the processes' CPU
    time by).  The loop stops at the first lost (no reply in 10 s) or bad
    reply; the exit status is then 1.  --timeout (120 for the client)
    arms a watchdog (alarm).  A bad command line exits 3.  */

#ifndef HS_COMMON_H
#define HS_COMMON_H

#include <stddef.h>
#include <stdint.h>

typedef enum { HS_NULL = 0, HS_PLAIN = 1, HS_CURVE = 2 } hs_mechanism;

extern const char *const hs_mechanism_names[3];     /* "null", "plain", "curve" */

#define HS_REPLY_TIMEOUT_MS 10000

typedef struct {
    const char *program;        /* for messages: "hs-zwire" */
    int server;                 /* 1: the server, 0: the client */
    hs_mechanism mechanism;
    const char *endpoint;       /* server: where to bind; client: where to connect */
    size_t size;
    double seconds, warmup, timeout;
} hs_opts;

/*  Parses argv into *o; 1 to go on, else the exit status to leave with
    (0 after --help, 3 after a message on stderr).  */
int hs_parse (hs_opts *o, const char *program, int argc, char **argv);

/*  Server: SIGTERM and SIGINT set the flag below (no SA_RESTART: a
    blocking call returns EINTR), SIGALRM after --timeout kills.  */
void hs_server_signals (const hs_opts *o);
extern volatile int hs_stopping;

/* Server: prints "bound ENDPOINT" on stdout, flushed. */
void hs_announce (const char *endpoint);

enum {
    HS_OK = 0,                  /* the reply was the request's own body */
    HS_LOST = 1,                /* no reply in HS_REPLY_TIMEOUT_MS */
    HS_BAD = 2,                 /* a reply that is not the request's body */
    HS_ERROR = -1               /* the stack refused a call (said on stderr) */
};

/*  One handshake (see above) with a body of size octets: an HS_ value.  */
typedef int (hs_once_fn) (void *arg, const uint8_t *body, size_t size);

/*  Client: runs the loop and prints the line (impl names the stack); the
    exit status: 0, or 1 if a reply was lost or bad, a call failed, or no
    handshake ended inside the window.  */
int hs_client_run (const hs_opts *o, const char *impl, hs_once_fn *once, void *arg);

#endif
