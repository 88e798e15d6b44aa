/*  bench_pair.h — a benchmark as two processes: a server side that binds
    and a client side that connects.

    A zwire context is single-threaded (its loop runs inside the blocking
    calls), so a sender and a receiver cannot share one without measuring
    a ping-pong of the loop; the fair set-up, for zwire and for libzmq
    alike, is one process each.  bench_run does it: with --role both it
    forks, runs the server side in the child (which binds, then writes the
    endpoint it really bound, "tcp://127.0.0.1:41234", as one line into a
    pipe) and the client side in the parent (which reads that line and
    connects).  With --only recv|rep it runs the server side alone and
    writes the endpoint to --endpoint-fd (or says it on stderr); with
    --only send|req the client side alone, connecting to --endpoint: so a
    driver can pair two different programs (tp-mixed, lat-mixed).

    The client must not close before the server has everything: libzmq
    4.3 can drop what is still queued when a sender closes over ipc, its
    linger notwithstanding (zeromq/libzmq#4660), which would leave the
    receiver waiting; zwire's socket closed early could as well lose the
    tail at a libzmq receiver whose queue is full.  So the child keeps the write end of a second pipe
    until it exits, and the client calls bench_await_server, which waits
    for that pipe's end-of-file, before it closes (with --only send, on
    --done-fd when the driver gives one).

    Each process arms a watchdog (alarm, --timeout): a benchmark that
    hangs dies instead.  The result is the exit status: 0 when both sides
    succeeded.  */

#ifndef BENCH_PAIR_H
#define BENCH_PAIR_H

#include <stddef.h>
#include "bench_opts.h"

/*  The server side: bind endpoint, call bench_announce (endpoint_fd, the
    endpoint bound), serve; return 0 on success.  */
typedef int (bench_server_fn) (const bench_opts *opts, const char *endpoint, int endpoint_fd);

/* The client side: connect to endpoint and run; return 0 on success. */
typedef int (bench_client_fn) (const bench_opts *opts, const char *endpoint);

int bench_run (const bench_opts *opts, bench_server_fn *server, bench_client_fn *client);

/*  Client side: waits until the server side has finished (its process
    has exited), or returns at once when there is no way to know.  It
    blocks in read (): a client whose stack needs its own loop to run
    meanwhile (zwire) polls bench_server_done_fd first.  */
void bench_await_server (void);

/*  The fd that becomes readable (end-of-file) when the server side has
    finished, or -1 when there is none (--only send without --done-fd).  */
int bench_server_done_fd (void);

/*  Tells the client where to connect: one line into fd, which is then
    closed; with fd -1 a note on stderr (a server run by hand).  */
void bench_announce (const bench_opts *opts, int fd, const char *endpoint);

/*  Removes the socket file of an ipc endpoint ("ipc:///tmp/x.sock"); does
    nothing for tcp.  */
void bench_forget_endpoint (const char *endpoint);

/*  One line from fd (without its newline), read an octet at a time so nothing
    after it is taken from the pipe; 0 on success, -1 at EOF before it.  */
int bench_read_line (int fd, char *buf, size_t cap);

#endif
