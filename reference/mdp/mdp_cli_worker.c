/*  mdp_cli_worker.c — `zwire mdp worker`: the reference Majordomo worker
    (7/MDP 0.1 or 18/MDP 0.2) for one service, on one DEALER socket,
    answering each request with its own body (--echo) or with the output
    of a command (--exec).  */

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "mdp_cli.h"
#include "role_exec.h"
#include "mdp_worker_shell.h"

static void
usage (FILE *out)
{
    fputs ("Usage: zwire mdp worker SERVICE --connect ENDPOINT (--echo | --exec CMD) [options]\n"
           "\n"
           "The reference Majordomo worker: offers SERVICE through the broker at\n"
           "ENDPOINT on one DEALER socket, in MDP 0.1 (RFC 7) or 0.2 (RFC 18).  It\n"
           "sends READY, answers one request at a time, and heartbeats the broker\n"
           "every interval in which it sent nothing else, busy or not.  On a\n"
           "DISCONNECT from the broker, or when it has heard nothing from it for\n"
           "liveness x heartbeat, it closes the socket at once, sends nothing more,\n"
           "and after the reconnect delay opens a new socket and sends READY again.\n"
           "A request that comes while it is busy is logged and ignored; malformed\n"
           "or unexpected messages from the broker are logged and survived.\n"
           "Choices the RFCs leave open: spec/DECISIONS.md, rows M1..M20, M2-1..M2-20.\n"
           "\n"
           "Answers (one of them):\n"
           "  --echo                 each request is answered with its own body frames\n"
           "  --exec CMD             each request runs /bin/sh -c CMD, the body frames\n"
           "                         (concatenated) on its standard input; its whole\n"
           "                         standard output is the answer, one frame (empty if\n"
           "                         it wrote nothing), whatever its exit status: every\n"
           "                         request gets its one answer (DECISIONS M2-16).  More\n"
           "                         than 16 MiB of output kills it; the answer is cut\n"
           "                         there.  Heartbeats go on while it runs\n"
           "\n"
           "Options:\n"
           "  --connect ENDPOINT     the broker: tcp://HOST:PORT or ipc://PATH (required)\n"
           "  --version 0.1|0.2      the MDP version to speak (0.2)\n"
           "  --heartbeat MS         heartbeat interval, both ways (2500); set the\n"
           "                         broker alike\n"
           "  --liveness N           silent intervals before the broker is gone (3)\n"
           "  --reconnect MS         delay before a new socket after a DISCONNECT or a\n"
           "                         silent broker (2500)\n"
           "  --quiet                no log lines\n"
           "  --                     what follows is SERVICE, even if it starts with '-'\n"
           "  -h, --help             this text\n"
           "\n"
           "Log lines (standard error) name, for a violation, the clause.\n"
           "Stops on SIGINT or SIGTERM, sending DISCONNECT to the broker, and writes\n"
           "one last line: what it served.\n"
           "Exit status: 0 stopped by a signal; 3 bad invocation (unknown option, bad\n"
           "value, no or a non-printable SERVICE, neither or both of --echo and\n"
           "--exec, an ENDPOINT that cannot be used).\n", out);
}

typedef struct {
    const char *service;
    const char *connect;
    const char *exec;
    int echo;
    int quiet;
    mdp_worker_config config;
} options;

/* SERVICE: the one word that is not an option. */
static int
parse_service (options *o, const char *word)
{
    if (o->service)
        return role_cli_bad ("mdp worker", "one SERVICE only");
    o->service = word;
    return 0;
}

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
    if ((r = zw_args_value (argc, argv, i, "--connect", &value)) != 0)
        return r < 0 ? role_cli_bad ("mdp worker", "--connect needs an endpoint") : (o->connect = value, 1);
    if ((r = zw_args_value (argc, argv, i, "--exec", &value)) != 0)
        return r < 0 ? role_cli_bad ("mdp worker", "--exec needs a command") : (o->exec = value, 1);
    if ((r = mdp_cli_version ("worker", argc, argv, i, &o->config.version)) != 0)
        return r;
    if ((r = role_cli_number ("mdp worker", argc, argv, i, "--heartbeat", 1, 3600000, &n)) != 0)
        return r < 0 ? -1 : (o->config.heartbeat_ms = n, 1);
    if ((r = role_cli_number ("mdp worker", argc, argv, i, "--liveness", 1, 1000, &n)) != 0)
        return r < 0 ? -1 : (o->config.liveness = (unsigned) n, 1);
    if ((r = role_cli_number ("mdp worker", argc, argv, i, "--reconnect", 0, 3600000, &n)) != 0)
        return r < 0 ? -1 : (o->config.reconnect_ms = n, 1);
    return 0;
}

static int
check (const options *o)
{
    if (!o->service)
        return role_cli_bad ("mdp worker", "give the SERVICE to offer");
    if (!zw_mdp_service_valid ((const uint8_t *) o->service, strlen (o->service)))
        return role_cli_bad ("mdp worker", "SERVICE must be printable ASCII, at least one character");
    if (!o->connect)
        return role_cli_bad ("mdp worker", "give the broker: --connect ENDPOINT");
    if (o->echo == (o->exec != NULL))
        return role_cli_bad ("mdp worker", "give one of --echo and --exec CMD");
    return 1;
}

/* Returns 1 to run, 0 after --help, -1 on a bad invocation. */
static int
parse (int argc, char **argv, options *o)
{
    mdp_worker_config_default (&o->config);
    int words_only = 0;
    for (int i = 1; i < argc; i++) {
        if (!words_only && (strcmp (argv[i], "-h") == 0 || strcmp (argv[i], "--help") == 0)) {
            usage (stdout);
            return 0;
        }
        if (!words_only && strcmp (argv[i], "--") == 0) {
            words_only = 1;
            continue;
        }
        int r = words_only || argv[i][0] != '-' ? 0 : parse_option (argc, argv, &i, o);
        if (r < 0)
            return -1;
        if (r == 0 && !words_only && argv[i][0] == '-')
            return role_cli_bad ("mdp worker", "unknown option '%s'", argv[i]);
        if (r == 0 && parse_service (o, argv[i]) != 0)
            return -1;
    }
    o->config.service = o->service;
    return check (o);
}

/* --- the answers --------------------------------------------------------------- */

typedef struct {
    mdp_worker_shell *shell;
    role_exec *exec;
    int quiet;
} worker_app;

static void
app_log (const worker_app *app, const char *format, ...) __attribute__ ((format (printf, 2, 3)));

static void
app_log (const worker_app *app, const char *format, ...)
{
    if (app->quiet)
        return;
    char line[512];
    va_list args;
    va_start (args, format);
    vsnprintf (line, sizeof line, format, args);
    va_end (args);
    role_cli_log ((void *) "mdp worker", line);
}

static void
echo (void *arg, mdp_worker_shell *shell, uint64_t id, const zw_mdp_frame *body, size_t count)
{
    (void) arg;
    mdp_worker_shell_reply (shell, id, body, count);
}

/* DECISIONS M2-16: a command that cannot even start still gets its request an answer. */
static void
run_command (void *arg, mdp_worker_shell *shell, uint64_t id, const zw_mdp_frame *body,
             size_t count)
{
    worker_app *app = arg;
    if (role_exec_running (app->exec))
        app_log (app, "the command of a request lost with its connection still runs: killed");
    if (role_exec_start (app->exec, id, body, count) != 0) {
        app_log (app, "cannot run the command (%s): an empty answer (DECISIONS M2-16)",
                 strerror (errno));
        mdp_worker_shell_reply (shell, id, NULL, 0);
    }
}

static void
command_done (void *arg, const role_exec_result *r)
{
    worker_app *app = arg;
    char line[256];
    if (role_exec_problem (r, "answer", "M2-16", line, sizeof line))
        app_log (app, "%s", line);
    zw_mdp_frame frame = { r->output, r->size };
    mdp_worker_shell_reply (app->shell, r->id, &frame, 1);    /* a stale one is logged by the core */
}

/* --- the run ------------------------------------------------------------------- */

static void
report (const mdp_worker_shell *shell)
{
    mdp_worker_stats s;
    mdp_worker_shell_stats (shell, &s);
    fprintf (stderr, "zwire mdp worker: stopped: %llu requests, %llu replies, %llu partials, "
             "%llu connections, %llu lost, %llu ignored, %llu invalid, %llu unexpected\n",
             (unsigned long long) s.requests, (unsigned long long) s.replies,
             (unsigned long long) s.partials, (unsigned long long) s.connections,
             (unsigned long long) s.lost, (unsigned long long) s.ignored,
             (unsigned long long) s.invalid, (unsigned long long) s.unexpected);
}

int
zw_cli_mdp_worker (int argc, char **argv)
{
    options o = { 0 };
    int parsed = parse (argc, argv, &o);
    if (parsed <= 0)
        return parsed == 0 ? ZW_EXIT_OK : ZW_EXIT_USAGE;
    signal (SIGPIPE, SIG_IGN);      /* a command that stops reading its input is no reason to die */
    zw_ctx *ctx = role_cli_ctx ("mdp worker", o.quiet);
    if (!ctx)
        return ZW_EXIT_USAGE;
    worker_app app = { .quiet = o.quiet };
    if (!o.exec || (app.exec = role_exec_new (ctx, o.exec, command_done, &app)))
        app.shell = mdp_worker_shell_new (ctx, o.connect, &o.config, o.echo ? echo : run_command,
                                          &app, o.quiet ? NULL : role_cli_log, (void *) "mdp worker");
    if (!app.shell) {
        fprintf (stderr, "zwire mdp worker: cannot connect to '%s': %s\n", o.connect,
                 strerror (errno));
        role_exec_destroy (app.exec);
        zw_ctx_destroy (ctx);
        return ZW_EXIT_USAGE;
    }
    app_log (&app, "offering '%s' (MDP %s) through %s", o.service,
             zw_mdp_version_name (o.config.version), o.connect);
    role_cli_run (ctx, NULL);
    role_exec_destroy (app.exec);    /* no answer may come while the shell goes */
    report (app.shell);
    mdp_worker_shell_destroy (app.shell);
    zw_ctx_destroy (ctx);
    return ZW_EXIT_OK;
}
