/*  bench_run.h — what the `zwire bench` subcommands that drive other
    processes share (`zwire bench mdp`, `zwire bench fl`): the clock, child
    processes (started with their output on a pipe and their errors in a
    file, read with a deadline, reaped with a grace), free ports, medians
    with min and max, JSON lines, and the options they all take.  */

#ifndef BENCH_RUN_H
#define BENCH_RUN_H

#include <limits.h>
#include <stdio.h>
#include <sys/types.h>
#include <jansson.h>

/* CLOCK_MONOTONIC, in seconds. */
double bench_now_s (void);

/* The CPU time (user + system) of every child reaped so far, in seconds. */
double bench_children_cpu_s (void);

/*  dst = the concatenation of the strings given (up to a NULL), cut to
    cap - 1 octets (snprintf "%s" of unbounded text trips -Wformat-truncation).  */
void bench_join (char *dst, size_t cap, ...);

/* --- child processes --------------------------------------------------------------------- */

typedef struct {
    pid_t pid;
    int in;                     /* its standard input, write end (-1: it has ours) */
    int out;                    /* its standard output, read end */
    int err;                    /* its standard error: an unlinked temporary file */
} bench_child;

/*  Starts argv[0] with stdout on a pipe, stderr into a temporary file,
    and (with_input) stdin on a pipe, else this process's stdin; 0, or -1
    with a reason in why.  */
int bench_spawn (char *const *argv, int with_input, bench_child *c, char *why, size_t cap);

/*  Reads c's stdout into buf until a newline (one_line) or the end,
    until the absolute deadline (bench_now_s); the length, or -1 on a
    time-out.  buf is NUL-terminated.  One octet at a time with one_line:
    what follows the newline stays in the pipe.  */
ssize_t bench_read (const bench_child *c, char *buf, size_t cap, int one_line, double deadline);

/*  Starts a server (bench_spawn, no input) and waits up to 10 s for its
    "bound ENDPOINT" line, the zwire convention; the endpoint into bound
    (cap octets).  0; or -1 with why naming what (a server, a broker) and
    what went wrong, the child then stopped and reaped: *status is its
    exit status (3: a bad invocation, such as a port taken) or -1 when it
    could not start.  status may be NULL.  */
int bench_spawn_bound (char *const *argv, const char *what, bench_child *c, char *bound,
                       size_t cap, int *status, char *why, size_t why_cap);

/*  Waits for c to end, at most grace seconds, then kills it (SIGKILL);
    its exit status (-1: killed here, 128+n: ended by signal n).  Closes
    its pipes and file.  */
int bench_reap (bench_child *c, double grace);

/*  why = prefix, then ": " and the last line c wrote on stderr (if any).  */
void bench_stderr_tail (const bench_child *c, const char *prefix, char *why, size_t cap);

/* out = argv's words separated by spaces (cut to cap - 1 octets). */
void bench_command_line (char *const *argv, char *out, size_t cap);

/*  A TCP port of 127.0.0.1 that nothing listens on now (the kernel's
    choice: bound, read, closed), or 0.  Another process may take it
    before it is used: bind failures are reported, never retried here.  */
unsigned bench_free_port (void);

/* --- figures ------------------------------------------------------------------------------ */

typedef struct {
    double median, min, max;    /* all -1: no value */
} bench_summary;

/*  The median (the mean of the middle two of an even count), min and max
    of values[0..n-1], which it sorts.  */
bench_summary bench_summarize (double *values, size_t n);

/* {"median":..,"min":..,"max":..}, or null for no value. */
json_t *bench_summary_json (bench_summary s);

/* a / b as JSON, or null if either is missing (a < 0, b <= 0). */
json_t *bench_ratio_json (double a, double b);

/* Prints " 1.23x", or " -" for no ratio, in a column of 7. */
void bench_print_ratio (double a, double b);

/*  The summary of one double field (at value_offset) over the runs whose
    int field at ok_offset is not 0: runs is an array of count structs of
    stride octets each, count at most BENCH_RUNS_MAX.  */
#define BENCH_RUNS_MAX 32
bench_summary bench_summarize_field (const void *runs, size_t count, size_t stride,
                                     size_t ok_offset, size_t value_offset);

/* --- round trips: a client program against a server, its JSON line read ------------------- */

typedef struct {
    int ok;                     /* it ran to the end (its figures count) */
    json_t *line;               /* the client's result, with the server's CPU added */
    double rate, p50, p99;      /* round trips a second; round-trip times, us */
    double cpu_us;              /* the server's CPU time per round trip, us */
} bench_rt_run;

typedef struct {
    bench_summary rate, p50, p99, cpu;
} bench_rt_figures;

/*  Reads a client's output until deadline, reaps it (its exit status in
    *status, as bench_reap) and parses its result: the JSON object from
    the last '{' of what it printed, or NULL.  */
json_t *bench_client_result (bench_child *g, double deadline, int *status);

/*  why = "PROGRAM hung: killed" (printed no result, killed by a signal,
    failed) and the tail of its stderr; with a result (parsed) from a
    client that failed, " (lost N, bad M)" after it.  */
void bench_client_failure (const bench_child *g, const char *program, int status,
                           json_t *parsed, char *why, size_t cap);

/*  run = ok, with rate, p50 and p99 from the client's result (which it
    keeps as run->line) and cpu_us = server_cpu_s per round trip; returns
    the number of round trips (all_round_trips, warm-up included).  */
double bench_rt_take (bench_rt_run *run, json_t *parsed, double server_cpu_s);

/* Medians, min and max of rate, p50, p99 and cpu_us over the runs that ran. */
bench_rt_figures bench_rt_figures_of (const bench_rt_run *runs, size_t count);

/*  {"round_trips_per_s", "p50_us", "p99_us", cpu_key: summaries, "runs":
    the lines of the runs that ran (whose references it takes)}.  */
json_t *bench_rt_figures_json (const bench_rt_figures *f, const char *cpu_key,
                               const bench_rt_run *runs, size_t count);

/* line's "ratio", "p50_ratio", "p99_ratio", "cpu_ratio": zwire / baseline. */
void bench_rt_ratios_json (json_t *line, const bench_rt_figures *zwire,
                           const bench_rt_figures *baseline);

/*  The table's two header lines: the sides' names, then the columns, after
    a leading column of lead_width holding lead.  */
void bench_rt_print_header (int lead_width, const char *lead, const char *zwire,
                            const char *baseline);

/*  A row after its leading column: both sides' cells (rt/s, p50, p99,
    cpu/rt; "failed" for no value) and the ratios, a newline, flushed.  */
void bench_rt_print_row (const bench_rt_figures *zwire, const bench_rt_figures *baseline);

/* --- options and output --------------------------------------------------------------------- */

/*  Decimal numbers separated by commas, each in low..high, at most max of
    them; 1, or 0 for a bad list.  */
int bench_parse_list (const char *text, unsigned *out, size_t *count, size_t max, unsigned low,
                      unsigned high);

/* A number of seconds in low..3600; 1, or 0. */
int bench_parse_seconds (const char *text, double low, double *out);

/*  zwire = this program (/proc/self/exe), bin_dir = build/bench beside
    its directory (.../build/bin/zwire -> .../build/bench); empty if
    unknown.  */
void bench_default_paths (char *zwire, size_t zwire_cap, char *bin_dir, size_t bin_dir_cap);

/*  1 if bin_dir/program is executable; else prints "zwire bench NAME: no
    ... (make bench-messaging-build; or --bin-dir)" and returns 0.  */
int bench_have_program (const char *name, const char *bin_dir, const char *program);

/*  A result line: printed as one compact JSON line on stdout if json,
    then appended to collected (which takes the reference).  */
void bench_emit (int json, json_t *line, json_t *collected);

/*  --out: setup (its "bench" set to name, "elapsed_s", and each key/array
    pair given, up to a NULL key) written to path, indented; 0, or -1 with
    the reason printed ("zwire bench NAME: cannot write PATH").  */
int bench_write_out (const char *name, const char *path, json_t *setup, double elapsed_s, ...);

#endif
