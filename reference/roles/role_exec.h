/*  role_exec.h — `--exec CMD` of the roles that answer requests
    (`zwire mdp worker`, `zwire fl server`): one run of /bin/sh -c CMD per
    request, without ever blocking the loop.

    The request body goes to the command's standard input and its whole
    standard output comes back, through non-blocking pipes that a timer
    polls (every 10 ms), with waitpid (WNOHANG): zwire.h has timers but no
    file-descriptor watcher, and the worker must go on heartbeating while
    the command runs (DECISIONS M2).  The output is bounded; a command that
    writes more is killed.  Whatever its exit, the run is done: an answer
    is always given (DECISIONS M2-16).  */

#ifndef ROLE_EXEC_H
#define ROLE_EXEC_H

#include <stddef.h>
#include <stdint.h>
#include "zwire.h"
#include "zw_frame_view.h"

#define ROLE_EXEC_OUTPUT_MAX (16u << 20)     /* 16 MiB */
#define ROLE_EXEC_POLL_MS 10

typedef struct {
    uint64_t id;                /* the id the run was started with */
    const uint8_t *output;      /* what the command wrote on its standard output */
    size_t size;
    int status;                 /* as waitpid gives it */
    int cut;                    /* 1: over the bound, killed, output cut there */
} role_exec_result;

/* Called once per run, from the poll timer; result is valid during the call only. */
typedef void (role_exec_done) (void *arg, const role_exec_result *result);

typedef struct role_exec role_exec;

/* A runner of command (copied) on ctx; NULL with errno (ENOMEM). */
role_exec *role_exec_new (zw_ctx *ctx, const char *command, role_exec_done *done, void *arg);

/*  Starts a run with the body frames, concatenated, as its standard
    input.  A run still going is killed first, its result never given (one
    at a time: a worker holds one request).  0, or -1 with errno (pipe,
    fork, ENOMEM).  */
int role_exec_start (role_exec *exec, uint64_t id, const zw_frame_view *body, size_t count);

/*  A log line for a run that did not end well, in line (cut to cap): its
    output over the bound (killed, cut), a signal, or a non-zero exit
    status, then "what it wrote is the WHAT (DECISIONS ROW)" (what: "reply",
    "answer"; row: the decision that says the run's output answers anyway).
    1 if there is something to say, 0 for an exit status of 0.  */
int role_exec_problem (const role_exec_result *result, const char *what, const char *row,
                       char *line, size_t cap);

/* 1 while a run is going. */
int role_exec_running (const role_exec *exec);

/* Kills a run still going (and its children), then frees the runner. NULL is allowed. */
void role_exec_destroy (role_exec *exec);

#endif
