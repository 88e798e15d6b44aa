/*  fl_rtt.h — what the round-trip programs of `zwire bench fl` share
    (fl-loadgen, on the reference Freelance client, and fl-rtt-libzmq, the
    libzmq DEALER baseline): the clock, option values, and the timed loop
    with its one JSON line.

    The loop makes synchronous round trips of a size-octet body for
    warmup + seconds.  Every body is its own: its first octets (up to 8)
    are the round trip's number, the rest a fixed pattern, so a reply that
    is the echo of another request is told apart.  The body is written
    into the program's buffer before each round trip and the program
    copies it into its request, as an application does.  A round trip is
    timed from just before the request to the return of the reply; it is a
    sample if it ends inside the window (the last `seconds`).

    The line on stdout:
      {"bench":"fl-rtt","impl":I,"size":S,"seconds":s,"round_trips":n,
       "round_trips_per_s":x,"p50_us":a,"p99_us":b,"mean_us":c,"max_us":d,
       "all_round_trips":t,"lost":l,"bad_replies":e}
    all_round_trips counts the warm-up too (to divide the server's CPU
    time by).  The loop stops at the first lost or bad reply.  */

#ifndef FL_RTT_H
#define FL_RTT_H

#include <stddef.h>
#include <stdint.h>

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t fl_now_ns (void);

/* A decimal number in low..high; 1, or 0. */
int fl_number (const char *text, double low, double high, double *out);

enum {
    FL_TRIP_OK = 0,             /* the reply is the request's own body */
    FL_TRIP_LOST = 1,           /* no reply in time */
    FL_TRIP_BAD = 2,            /* a reply that is not the request's body */
    FL_TRIP_ERROR = -1          /* the socket or the client failed */
};

/* One round trip of body (size octets): an FL_TRIP_ value. */
typedef int (fl_trip_fn) (void *arg, const uint8_t *body, size_t size);

/*  Runs the loop and prints the line (impl names the client); the exit
    status: 0, or 1 if a reply was lost or bad, a trip failed, or nothing
    was measured (said on stderr, "<program>: ...").  */
int fl_rtt_run (const char *program, const char *impl, size_t size, double seconds,
                double warmup, fl_trip_fn *trip, void *arg);

#endif
