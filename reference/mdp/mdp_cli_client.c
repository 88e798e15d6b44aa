/*  mdp_cli_client.c — `zwire mdp client`: one request through a Majordomo
    broker (7/MDP 0.1 or 18/MDP 0.2, 8/MMI), its answer on standard output.  */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "mdp_client_shell.h"
#include "mdp_cli.h"

/* Exit statuses beyond those every subcommand shares (zwire_cli.h). */
enum {
    MDP_EXIT_TIMED_OUT = 4,     /* no answer after every retry */
    MDP_EXIT_REFUSED = 5        /* an mmi. request answered with a status other than 200 */
};

#define BODY_MAX 256

static void
usage (FILE *out)
{
    fputs ("Usage: zwire mdp client SERVICE BODY [BODY ...] --connect ENDPOINT [options]\n"
           "\n"
           "The reference Majordomo client: sends one request for SERVICE through the\n"
           "broker at ENDPOINT, each BODY argument one frame of it (at least one; \"\"\n"
           "is an empty frame), and prints each frame of the answer on its own line,\n"
           "as it is: the PARTIALs of MDP 0.2 as they come, then the FINAL (or the\n"
           "0.1 REPLY).  One DEALER socket, either version (RFC 7 for 0.1, RFC 18\n"
           "for 0.2).  With no answer within the timeout it closes the socket, opens\n"
           "a new one and sends again, --retries times, then gives up (the Lazy\n"
           "Pirate strategy of the RFCs); a PARTIAL restarts the timeout.\n"
           "Services named mmi. are the broker's own (RFC 8): 'mmi.service NAME'\n"
           "asks whether a worker offers NAME.\n"
           "Choices the RFCs leave open: spec/DECISIONS.md, rows M1..M20, M2-1..M2-20.\n"
           "\n"
           "Options:\n"
           "  --connect ENDPOINT     the broker: tcp://HOST:PORT or ipc://PATH (required)\n"
           "  --version 0.1|0.2      the MDP version to speak (0.2)\n"
           "  --timeout MS           how long to wait for an answer, per attempt (2500)\n"
           "  --retries N            attempts after the first, each on a new socket (2)\n"
           "  --quiet                no log lines (retries, discarded messages)\n"
           "  --                     what follows is SERVICE and BODY, even if it starts\n"
           "                         with '-'\n"
           "  -h, --help             this text\n"
           "\n"
           "Log lines (standard error) name the clause a retry or a discarded message\n"
           "follows.  Replies the client is not waiting for (another service, after\n"
           "the answer) and malformed messages are discarded.\n"
           "\n"
           "Exit status:\n"
           "  0  answered: the answer is printed\n"
           "  3  bad invocation: unknown option, bad value, no SERVICE or BODY, a\n"
           "     SERVICE that is not printable ASCII, an ENDPOINT that cannot be used\n"
           "  4  timed out: no answer after the first attempt and every retry\n"
           "  5  refused: a request for an mmi. service answered, but with a status\n"
           "     other than 200 (404: no worker offers the service asked about;\n"
           "     501: the broker does not implement that mmi. service); the answer is\n"
           "     printed\n", out);
}

typedef struct {
    const char *connect;
    const char *service;
    zw_mdp_frame body[BODY_MAX];
    size_t body_count;
    mdp_client_config config;
    int quiet;
} options;

/* A word that is no option: SERVICE, then BODY frames.  0, or -1 if too many. */
static int
positional (options *o, const char *word)
{
    if (!o->service) {
        o->service = word;
        return 0;
    }
    if (o->body_count == BODY_MAX) {
        fprintf (stderr, "zwire mdp client: at most %d BODY frames\n", BODY_MAX);
        return -1;
    }
    o->body[o->body_count++] = (zw_mdp_frame) { (const uint8_t *) word, strlen (word) };
    return 0;
}

/* One option at argv[*i]: 1 taken, 0 not an option of ours, -1 bad. */
static int
option (int argc, char **argv, int *i, options *o)
{
    const char *value;
    uint64_t n;
    int r;
    if (strcmp (argv[*i], "--quiet") == 0) {
        o->quiet = 1;
        return 1;
    }
    if ((r = zw_args_value (argc, argv, i, "--connect", &value)) != 0) {
        if (r < 0)
            fprintf (stderr, "zwire mdp client: --connect needs an endpoint\n");
        o->connect = value;
        return r;
    }
    if ((r = mdp_cli_version ("client", argc, argv, i, &o->config.version)) != 0)
        return r;
    if ((r = role_cli_number ("mdp client", argc, argv, i, "--timeout", 1, 86400000, &n)) != 0) {
        o->config.timeout_ms = n;
        return r;
    }
    if ((r = role_cli_number ("mdp client", argc, argv, i, "--retries", 0, 1000, &n)) != 0) {
        o->config.retries = (unsigned) n;
        return r;
    }
    return 0;
}

/* What parse found missing or wrong once every word is read; 1 if none. */
static int
complete (const options *o)
{
    if (!o->service || o->body_count == 0)
        return role_cli_bad ("mdp client", "give a SERVICE and at least one BODY frame");
    if (!zw_mdp_service_valid ((const uint8_t *) o->service, strlen (o->service))) {
        fprintf (stderr, "zwire mdp client: the service name must be printable ASCII, "
                 "0x20..0x7E (DECISIONS M9)\n");
        return -1;
    }
    if (!o->connect)
        return role_cli_bad ("mdp client", "give the broker with --connect ENDPOINT");
    return 1;
}

/* Returns 1 to run, 0 after --help, -1 on a bad invocation. */
static int
parse (int argc, char **argv, options *o)
{
    mdp_client_config_default (&o->config);
    int words_only = 0;
    for (int i = 1; i < argc; i++) {
        int r = 0;
        if (words_only || argv[i][0] != '-' || argv[i][1] == 0) {
            if (positional (o, argv[i]) != 0)
                return -1;
            continue;
        }
        if (strcmp (argv[i], "--") == 0) {
            words_only = 1;
        } else if (strcmp (argv[i], "-h") == 0 || strcmp (argv[i], "--help") == 0) {
            usage (stdout);
            return 0;
        } else if ((r = option (argc, argv, &i, o)) == 0) {
            return role_cli_bad ("mdp client", "unknown option '%s'", argv[i]);
        }
        if (r < 0)
            return -1;
    }
    return complete (o);
}

/* --- the request ------------------------------------------------------------------------ */

typedef struct {
    const char *service;
    int refused;                /* an mmi. answer whose status is not 200 */
} run_state;

static void
print_frames (const zw_mdp_frame *body, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (body[i].size)
            fwrite (body[i].data, 1, body[i].size, stdout);
        fputc ('\n', stdout);
    }
    fflush (stdout);
}

/* 8/MMI: the first body frame of the answer is the status (DECISIONS M18). */
static int
mmi_refused (const char *service, const mdp_client_result *result)
{
    if (strncmp (service, "mmi.", 4) != 0)
        return 0;
    return result->body_count == 0 || result->body[0].size != 3
        || memcmp (result->body[0].data, "200", 3) != 0;
}

static void
on_result (void *arg, const mdp_client_result *result)
{
    run_state *state = arg;
    if (result->outcome == MDP_CLIENT_TIMED_OUT)
        return;
    print_frames (result->body, result->body_count);
    if (result->outcome == MDP_CLIENT_ANSWERED)
        state->refused = mmi_refused (state->service, result);
}

static void
on_log (void *arg, const char *line)
{
    (void) arg;
    role_cli_log ((void *) "mdp client", line);
}

static int
run (zw_ctx *ctx, const options *o)
{
    run_state state = { .service = o->service };
    mdp_client_callbacks callbacks = { on_result, o->quiet ? NULL : on_log, &state };
    mdp_client_shell *client = mdp_client_shell_new (ctx, o->connect, &o->config, &callbacks);
    if (!client) {
        fprintf (stderr, "zwire mdp client: cannot connect to '%s': %s\n", o->connect,
                 strerror (errno));
        return ZW_EXIT_USAGE;
    }
    int outcome = mdp_client_call (client, o->service, o->body, o->body_count);
    int status = ZW_EXIT_OK;
    if (outcome < 0) {
        fprintf (stderr, "zwire mdp client: %s\n", strerror (errno));
        status = ZW_EXIT_USAGE;
    } else if (outcome == MDP_CLIENT_TIMED_OUT) {
        fprintf (stderr, "zwire mdp client: no answer from %s after %u attempts of %llu ms\n",
                 o->connect, o->config.retries + 1, (unsigned long long) o->config.timeout_ms);
        status = MDP_EXIT_TIMED_OUT;
    } else if (state.refused) {
        status = MDP_EXIT_REFUSED;
    }
    zw_ctx_set_log (ctx, NULL, NULL);      /* the close of a socket whose work is done is no news */
    mdp_client_shell_destroy (client);
    return status;
}

int
zw_cli_mdp_client (int argc, char **argv)
{
    options o = { 0 };
    int parsed = parse (argc, argv, &o);
    if (parsed <= 0)
        return parsed == 0 ? ZW_EXIT_OK : ZW_EXIT_USAGE;
    zw_ctx *ctx = role_cli_ctx ("mdp client", o.quiet);
    if (!ctx)
        return ZW_EXIT_USAGE;
    int status = run (ctx, &o);
    zw_ctx_destroy (ctx);
    return status;
}
