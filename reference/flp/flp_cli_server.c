/*  flp_cli_server.c — `zwire fl server`: the reference Freelance server
    (10/FLP) on one ROUTER socket whose identity is its endpoint, answering
    each request with its own body (--echo) or with the output of a
    command (--exec), one command at a time, the others waiting in a
    bounded queue (DECISIONS F10).  */

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "flp_server_shell.h"
#include "role_cli.h"
#include "role_exec.h"
#include "role_frames.h"

#define COMMAND "fl server"
#define QUEUE_DEFAULT 1000

static void
usage (FILE *out)
{
    fputs ("Usage: zwire fl server --bind ENDPOINT [--identity ID] (--echo | --exec CMD) [options]\n"
           "\n"
           "The reference Freelance server (RFC 10): one ROUTER socket whose identity\n"
           "is its public endpoint, the string clients connect to (DECISIONS F1).  It\n"
           "answers every PING with one frame PONG, to the client that sent it, at\n"
           "once, busy or not; and every request (a client control frame, then one\n"
           "body frame or more) with a reply: the control frame unchanged, then the\n"
           "reply body, exactly once (F7).  A malformed message (no frame, or one frame\n"
           "that is not PING: F3) is dropped and logged with its clause; nothing is\n"
           "sent back, and the server goes on serving that client and every other\n"
           "(F5).  It keeps no state per client.\n"
           "Choices the RFC leaves open: spec/DECISIONS.md, rows F1..F11.\n"
           "\n"
           "Answers (one of them):\n"
           "  --echo                 each request is answered with its own body frames\n"
           "  --exec CMD             each request runs /bin/sh -c CMD, the body frames\n"
           "                         (concatenated) on its standard input; its whole\n"
           "                         standard output is the reply body, one frame (empty\n"
           "                         if it wrote nothing or could not start), whatever\n"
           "                         its exit status (F11).  One run at a time: requests\n"
           "                         wait in order in a queue meanwhile, and pings are\n"
           "                         answered (F10).  More than 16 MiB of output kills\n"
           "                         it; the reply is cut there\n"
           "\n"
           "Options:\n"
           "  --bind ENDPOINT        tcp://HOST:PORT or ipc://PATH (required); it is also\n"
           "                         the identity, octet for octet, unless --identity\n"
           "                         is given.  Prints 'bound ENDPOINT' (resolved)\n"
           "  --identity ID          the identity instead (1 to 255 octets): required\n"
           "                         when ENDPOINT has a wildcard host (*, 0.0.0.0,\n"
           "                         [::]) or port 0, which no client connects to; give\n"
           "                         the endpoint clients will use\n"
           "  --queue-limit N        --exec: requests waiting for a run (1000); one\n"
           "                         more is dropped unanswered and logged, for its\n"
           "                         client to retry elsewhere (F10)\n"
           "  --quiet                no log lines (malformed messages are still counted)\n"
           "  -h, --help             this text\n"
           "\n"
           "Log lines (standard error) start 'zwire fl server:' and name the client\n"
           "and, for a malformed message, the clause.  The first names the endpoint\n"
           "and the identity.  Stops on SIGINT or SIGTERM and writes one last line:\n"
           "what it served.\n"
           "Faults for the suite's mutation runs: ZWIRE_FAULT=flp-server-... and\n"
           "ZWIRE_LENIENT=flp-server-... (reference/flp/flp_fault.c).\n"
           "Exit status: 0 stopped by a signal; 3 bad invocation (unknown option, bad\n"
           "value, no --bind, neither or both of --echo and --exec, an ENDPOINT that\n"
           "cannot be the identity without --identity, an endpoint that cannot be\n"
           "bound).\n", out);
}

typedef struct {
    const char *bind;
    const char *identity;
    const char *exec;
    int echo;
    int quiet;
    size_t queue_limit;
} options;

/* One option at argv[*i]: 1 taken, -1 bad, 0 not an option of ours. */
static int
parse_option (int argc, char **argv, int *i, options *o)
{
    const char *value;
    uint64_t n;
    int r;
    if (strcmp (argv[*i], "--echo") == 0)
        return o->echo = 1;
    if (strcmp (argv[*i], "--quiet") == 0)
        return o->quiet = 1;
    if ((r = zw_args_value (argc, argv, i, "--bind", &value)) != 0)
        return r < 0 ? role_cli_bad (COMMAND, "--bind needs an endpoint") : (o->bind = value, 1);
    if ((r = zw_args_value (argc, argv, i, "--identity", &value)) != 0)
        return r < 0 ? role_cli_bad (COMMAND, "--identity needs a value") : (o->identity = value, 1);
    if ((r = zw_args_value (argc, argv, i, "--exec", &value)) != 0)
        return r < 0 ? role_cli_bad (COMMAND, "--exec needs a command") : (o->exec = value, 1);
    if ((r = role_cli_number (COMMAND, argc, argv, i, "--queue-limit", 1, 1000000, &n)) != 0)
        return r < 0 ? -1 : (o->queue_limit = (size_t) n, 1);
    return 0;
}

/* DECISIONS F1: the identity is the endpoint clients connect to; one that names none needs --identity. */
static int
check (const options *o)
{
    const char *problem;
    if (!o->bind)
        return role_cli_bad (COMMAND, "give the endpoint to serve on: --bind ENDPOINT");
    if (o->echo == (o->exec != NULL))
        return role_cli_bad (COMMAND, "give one of --echo and --exec CMD");
    if (o->identity && (problem = flp_server_identity_problem (o->identity)))
        return role_cli_bad (COMMAND, "--identity must be 1 to 255 octets, not %s", problem);
    if (!o->identity && (problem = flp_server_endpoint_problem (o->bind)))
        return role_cli_bad (COMMAND, "'%s' cannot be the server's identity (%s): clients "
                             "connect to an address of their own; give it with --identity ID "
                             "(DECISIONS F1)", o->bind, problem);
    return 1;
}

/* Returns 1 to run, 0 after --help, -1 on a bad invocation. */
static int
parse (int argc, char **argv, options *o)
{
    o->queue_limit = QUEUE_DEFAULT;
    for (int i = 1; i < argc; i++) {
        if (strcmp (argv[i], "-h") == 0 || strcmp (argv[i], "--help") == 0) {
            usage (stdout);
            return 0;
        }
        int r = parse_option (argc, argv, &i, o);
        if (r < 0)
            return -1;
        if (r == 0)
            return role_cli_bad (COMMAND, "unknown %s '%s'", argv[i][0] == '-' ? "option" : "word",
                                 argv[i]);
    }
    return check (o);
}

/* --- the answers --------------------------------------------------------------- */

typedef struct {
    flp_server_token *token;
    role_frames *body;
} waiting;

typedef struct {
    flp_server_shell *shell;
    role_exec *exec;
    int quiet;
    const char *what;           /* "echo", or the command */
    flp_server_token *running;  /* the request the command runs for; NULL: none */
    waiting *queue;             /* a ring of limit entries, first at head */
    size_t limit, head, count;
} server_app;

static void
app_log (const server_app *app, const char *format, ...) __attribute__ ((format (printf, 2, 3)));

static void
app_log (const server_app *app, const char *format, ...)
{
    if (app->quiet)
        return;
    char line[512];
    va_list args;
    va_start (args, format);
    vsnprintf (line, sizeof line, format, args);
    va_end (args);
    role_cli_log ((void *) COMMAND, line);
}

/* flp.server.reply-ccf: the body itself is the reply body (it has a frame or more: F3). */
static void
echo (void *arg, flp_server_shell *shell, flp_server_token *token, const zw_flp_frame *body,
      size_t count)
{
    (void) arg;
    flp_server_shell_reply (shell, token, body, count);
}

/* F11: a command that cannot even start still gets its request a reply, one empty frame. */
static void
start (server_app *app, flp_server_token *token, const zw_flp_frame *body, size_t count)
{
    if (role_exec_start (app->exec, 0, body, count) == 0) {
        app->running = token;
        return;
    }
    app_log (app, "cannot run the command (%s): an empty reply (DECISIONS F11)", strerror (errno));
    zw_flp_frame empty = { NULL, 0 };
    flp_server_shell_reply (app->shell, token, &empty, 1);
}

/* F10: one run at a time; the next request waits its turn, up to the limit. */
static void
run_command (void *arg, flp_server_shell *shell, flp_server_token *token, const zw_flp_frame *body,
             size_t count)
{
    server_app *app = arg;
    if (!app->running && app->count == 0) {
        start (app, token, body, count);
        return;
    }
    role_frames *copy = app->count < app->limit ? role_frames_copy (body, count) : NULL;
    if (!copy) {
        flp_server_shell_drop (shell, token, app->count < app->limit
                               ? "out of memory" : "the queue is full (DECISIONS F10)");
        return;
    }
    app->queue[(app->head + app->count++) % app->limit] = (waiting) { token, copy };
}

/* The next waiting request, if any, gets its run. */
static void
next (server_app *app)
{
    while (!app->running && app->count > 0) {
        waiting w = app->queue[app->head];
        app->head = (app->head + 1) % app->limit;
        app->count--;
        start (app, w.token, w.body->frame, w.body->count);
        free (w.body);
    }
}

/* F11: the whole standard output is the one body frame, whatever the exit. */
static void
command_done (void *arg, const role_exec_result *r)
{
    server_app *app = arg;
    char line[256];
    if (role_exec_problem (r, "reply", "F11", line, sizeof line))
        app_log (app, "%s", line);
    zw_flp_frame frame = { r->output, r->size };
    flp_server_token *token = app->running;
    app->running = NULL;
    flp_server_shell_reply (app->shell, token, &frame, 1);
    next (app);
}

/* What is still held at a stop is given up: the clients retry elsewhere. */
static void
drop_all (server_app *app)
{
    if (app->running)
        flp_server_shell_drop (app->shell, app->running, "the server stops");
    app->running = NULL;
    for (; app->count > 0; app->count--, app->head = (app->head + 1) % app->limit) {
        flp_server_shell_drop (app->shell, app->queue[app->head].token, "the server stops");
        free (app->queue[app->head].body);
    }
}

/* --- the run ------------------------------------------------------------------- */

static void
report (const flp_server_shell *shell)
{
    flp_server_stats s;
    flp_server_shell_stats (shell, &s);
    fprintf (stderr, "zwire fl server: stopped: %llu pings, %llu pongs, %llu requests, "
             "%llu replies, %llu invalid, %llu dropped\n",
             (unsigned long long) s.pings, (unsigned long long) s.pongs,
             (unsigned long long) s.requests, (unsigned long long) s.replies,
             (unsigned long long) s.invalid, (unsigned long long) s.dropped);
}

/*  "bound ENDPOINT" and the first log line (role_cli_ctx has set the
    signal handlers: whoever reads the line may stop the server at once
    with SIGTERM and see it exit 0).  */
static void
announce (server_app *app)
{
    printf ("bound %s\n", flp_server_shell_endpoint (app->shell));
    fflush (stdout);
    app_log (app, "serving on %s as identity '%s' (%s)", flp_server_shell_endpoint (app->shell),
             flp_server_shell_identity (app->shell), app->what);
}

/* The runner and its queue for --exec; 0, or -1 (errno). */
static int
app_exec (server_app *app, zw_ctx *ctx, const options *o)
{
    app->limit = o->queue_limit;
    app->queue = calloc (app->limit, sizeof app->queue[0]);
    app->exec = app->queue ? role_exec_new (ctx, o->exec, command_done, app) : NULL;
    return app->exec ? 0 : -1;
}

static void
app_free (server_app *app)
{
    role_exec_destroy (app->exec);      /* no reply may come while the shell goes */
    if (app->shell)
        drop_all (app);
    free (app->queue);
}

int
zw_cli_fl_server (int argc, char **argv)
{
    options o = { 0 };
    int parsed = parse (argc, argv, &o);
    if (parsed <= 0)
        return parsed == 0 ? ZW_EXIT_OK : ZW_EXIT_USAGE;
    signal (SIGPIPE, SIG_IGN);      /* a command that stops reading its input is no reason to die */
    zw_ctx *ctx = role_cli_ctx (COMMAND, o.quiet);
    if (!ctx)
        return ZW_EXIT_USAGE;
    server_app app = { .quiet = o.quiet };
    if (!o.exec || app_exec (&app, ctx, &o) == 0)
        app.shell = flp_server_shell_new (ctx, o.bind, o.identity, o.echo ? echo : run_command,
                                          &app, o.quiet ? NULL : role_cli_log, (void *) COMMAND);
    if (!app.shell) {
        if (o.exec && !app.exec)
            fprintf (stderr, "zwire fl server: cannot set up --exec: %s\n", strerror (errno));
        else
            fprintf (stderr, "zwire fl server: cannot bind '%s': %s\n", o.bind, strerror (errno));
        app_free (&app);
        zw_ctx_destroy (ctx);
        return ZW_EXIT_USAGE;
    }
    app.what = o.echo ? "echo" : o.exec;
    announce (&app);
    role_cli_run (ctx, NULL);
    app_free (&app);
    report (app.shell);
    flp_server_shell_destroy (app.shell);
    zw_ctx_destroy (ctx);
    return ZW_EXIT_OK;
}
