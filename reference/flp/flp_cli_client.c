/*  flp_cli_client.c — `zwire fl client`: the reference Freelance client
    (10/FLP) from the command line, on flp_client_shell.h: one request
    whose reply body it prints, or (--lines) requests read from standard
    input, one per line, each outcome written as one line: the client
    role's adapter contract, by which the conformance suite drives it
    (conformance/ADAPTER.md).  */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "flp_client_shell.h"
#include "role_cli.h"

#define COMMAND "fl client"
#define FRAMES_MAX 1024

/* Exit statuses beyond those every subcommand shares (zwire_cli.h). */
enum {
    FLP_EXIT_ERROR = 1,         /* something else went wrong (out of memory, ...) */
    FLP_EXIT_TIMED_OUT = 4,     /* no reply after every attempt (DECISIONS F14) */
    FLP_EXIT_NO_SERVER = 5      /* no server live within liveness x ping interval (F15) */
};

static void
usage (FILE *out)
{
    fputs ("Usage: zwire fl client --connect EP[,EP...] [--connect EP ...] [options]\n"
           "                        (FRAME [FRAME ...] | --lines)\n"
           "\n"
           "The reference Freelance client (RFC 10): one ROUTER socket with no\n"
           "identity, connected to every server; a server is addressed by its\n"
           "endpoint, which is its identity (DECISIONS F1), so give each endpoint as\n"
           "the server spells its identity.  It pings every server each ping\n"
           "interval, and at once when its connection comes up (F13); a server is\n"
           "live from its first PONG (or reply) until --liveness intervals pass with\n"
           "no word from it (F6, F17).  A request goes to the first live server in\n"
           "the order given; with no reply within --timeout, or once that server's\n"
           "connection is lost (F18), it goes to the next live server after that\n"
           "one, wrapping round, up to --retries more times (F14).  Its client\n"
           "control frame (CCF) is its sequence number in decimal, from 1, the same\n"
           "on every attempt (F16); only a reply carrying it answers the request,\n"
           "late or not, from a server it went to on that server's connection now\n"
           "(F17); any other reply is discarded and logged (F9).  With no server\n"
           "live, a request waits up to liveness x ping interval for one, then\n"
           "ends: no server (F15).\n"
           "Choices the RFC leaves open: spec/DECISIONS.md, rows F1..F18.\n"
           "\n"
           "One request (FRAME ...): each FRAME argument is one frame of the request\n"
           "body (at least one; \"\" is an empty frame); each frame of the reply body\n"
           "is printed on its own line, as it is.\n"
           "\n"
           "--lines: requests from standard input, one per line, each frame as hex,\n"
           "frames separated by one space, '-' for an empty frame; one at a time, in\n"
           "order, on the same socket and the same sequence of CCFs.  One line out\n"
           "per request, flushed at once:\n"
           "  answered HEX [HEX ...]   the reply body ('-' for an empty frame)\n"
           "  timed-out                no reply after every attempt\n"
           "  no-server                no server live\n"
           "  error TEXT               a line that is not a request; it goes on\n"
           "It ends at the end of input, once the last outcome is written.\n"
           "\n"
           "Options:\n"
           "  --connect EP[,EP...]   the servers, tcp://HOST:PORT or ipc://PATH, in the\n"
           "                         order requests try them (required; repeatable)\n"
           "  --ping-interval MS     how often every server is pinged (1000)\n"
           "  --liveness N           silent ping intervals before a server is gone (3)\n"
           "  --timeout MS           how long one attempt waits for its reply (1000)\n"
           "  --retries N            attempts after the first (3)\n"
           "  --lines                requests from standard input (above)\n"
           "  --quiet                no log lines\n"
           "  --                     what follows is FRAMEs, even if it starts with '-'\n"
           "  -h, --help             this text\n"
           "\n"
           "Log lines (standard error) start 'zwire fl client:': servers live and\n"
           "gone, attempts after the first, replies discarded and malformed messages\n"
           "(with the clause or the DECISIONS row), and how a request ended, naming\n"
           "the servers tried.\n"
           "Faults for the suite's mutation runs: ZWIRE_FAULT=flp-client-... and\n"
           "ZWIRE_LENIENT=flp-client-... (reference/flp/flp_fault.c).\n"
           "\n"
           "Exit status:\n"
           "  0  answered: the reply body is printed (--lines: the end of input)\n"
           "  1  another error (out of memory, ...)\n"
           "  3  bad invocation: unknown option, bad value, no --connect, an endpoint\n"
           "     given twice or that cannot be used, no FRAME and no --lines, or both\n"
           "  4  timed out: no reply after the first attempt and every retry\n"
           "  5  no server: none answered a ping within liveness x ping interval\n", out);
}

typedef struct {
    const char *servers[FLP_CLIENT_SERVERS_MAX];
    char *lists[FLP_CLIENT_SERVERS_MAX];    /* the --connect values, split in place */
    size_t list_count;
    zw_flp_frame body[FRAMES_MAX];
    size_t body_count;
    flp_client_config config;
    int lines;
    int quiet;
} options;

/* --- the command line ------------------------------------------------------------------------ */

/* One --connect value: endpoints separated by commas, none empty.  0, or -1 (said). */
static int
add_servers (options *o, const char *value)
{
    if (o->list_count == FLP_CLIENT_SERVERS_MAX
        || !(o->lists[o->list_count] = strdup (value))) {
        fprintf (stderr, "zwire " COMMAND ": too many --connect options\n");
        return -1;
    }
    char *rest = o->lists[o->list_count++], *endpoint;
    for (;;) {
        endpoint = rest;
        rest = strchr (rest, ',');
        if (rest)
            *rest++ = 0;
        if (!*endpoint)
            return role_cli_bad (COMMAND, "--connect '%s' has an empty endpoint", value);
        if (o->config.server_count == FLP_CLIENT_SERVERS_MAX)
            return role_cli_bad (COMMAND, "at most %d servers", FLP_CLIENT_SERVERS_MAX);
        o->servers[o->config.server_count++] = endpoint;
        if (!rest)
            return 0;
    }
}

/* A number option at argv[*i] into *value: 1 taken, 0 another word, -1 bad. */
static int
number (int argc, char **argv, int *i, const char *name, uint64_t min, uint64_t max,
        uint64_t *value)
{
    return role_cli_number (COMMAND, argc, argv, i, name, min, max, value);
}

/* The options that take a number. */
static int
number_option (int argc, char **argv, int *i, options *o)
{
    uint64_t n;
    int r;
    if ((r = number (argc, argv, i, "--ping-interval", 1, 86400000, &n)) != 0)
        o->config.ping_interval_ms = n;
    else if ((r = number (argc, argv, i, "--liveness", 1, 1000, &n)) != 0)
        o->config.liveness = (unsigned) n;
    else if ((r = number (argc, argv, i, "--timeout", 1, 86400000, &n)) != 0)
        o->config.timeout_ms = n;
    else if ((r = number (argc, argv, i, "--retries", 0, FLP_CLIENT_RETRIES_MAX, &n)) != 0)
        o->config.retries = (unsigned) n;
    return r;
}

/* One option at argv[*i]: 1 taken, 0 not an option of ours, -1 bad. */
static int
option (int argc, char **argv, int *i, options *o)
{
    const char *value;
    int r;
    if (strcmp (argv[*i], "--quiet") == 0) {
        o->quiet = 1;
        return 1;
    }
    if (strcmp (argv[*i], "--lines") == 0) {
        o->lines = 1;
        return 1;
    }
    if ((r = zw_args_value (argc, argv, i, "--connect", &value)) != 0) {
        if (r < 0)
            fprintf (stderr, "zwire " COMMAND ": --connect needs an endpoint\n");
        return r < 0 ? r : add_servers (o, value) == 0 ? 1 : -1;
    }
    return number_option (argc, argv, i, o);
}

/* A word that is no option: a FRAME.  0, or -1 if too many. */
static int
positional (options *o, const char *word)
{
    if (o->body_count == FRAMES_MAX)
        return role_cli_bad (COMMAND, "at most %d FRAMEs", FRAMES_MAX);
    o->body[o->body_count++] = (zw_flp_frame) { (const uint8_t *) word, strlen (word) };
    return 0;
}

/* What parse found missing or wrong once every word is read; 1 if none. */
static int
complete (options *o)
{
    if (o->config.server_count == 0)
        return role_cli_bad (COMMAND, "give the servers with --connect EP[,EP...]");
    for (size_t i = 0; i < o->config.server_count; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp (o->servers[i], o->servers[j]) == 0)
                return role_cli_bad (COMMAND, "server '%s' given twice", o->servers[i]);
    if (o->lines && o->body_count)
        return role_cli_bad (COMMAND, "give FRAMEs or --lines, not both");
    if (!o->lines && !o->body_count)
        return role_cli_bad (COMMAND, "give at least one FRAME of request body, or --lines");
    o->config.servers = o->servers;
    return 1;
}

/* Returns 1 to run, 0 after --help, -1 on a bad invocation. */
static int
parse (int argc, char **argv, options *o)
{
    flp_client_config_default (&o->config);
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
            return role_cli_bad (COMMAND, "unknown option '%s'", argv[i]);
        }
        if (r < 0)
            return -1;
    }
    return complete (o);
}

static void
options_free (options *o)
{
    for (size_t i = 0; i < o->list_count; i++)
        free (o->lists[i]);
}

/* --- --lines: one request per line ----------------------------------------------------------- */

static int
hex_digit (char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/*  One token, decoded in place: "-" is the empty frame, else pairs of hex
    digits.  Returns 1, or 0 if it is neither.  */
static int
token_frame (char *token, zw_flp_frame *frame)
{
    size_t len = strlen (token);
    uint8_t *out = (uint8_t *) token;
    if (strcmp (token, "-") == 0) {
        *frame = (zw_flp_frame) { NULL, 0 };
        return 1;
    }
    if (len == 0 || len % 2)
        return 0;
    for (size_t i = 0; i < len; i += 2) {
        int high = hex_digit (token[i]), low = hex_digit (token[i + 1]);
        if (high < 0 || low < 0)
            return 0;
        out[i / 2] = (uint8_t) (high << 4 | low);
    }
    *frame = (zw_flp_frame) { out, len / 2 };
    return 1;
}

/*  A request line, split and decoded in place into frames[].  Returns how
    many, or 0 with the reason in why.  */
static size_t
line_frames (char *line, zw_flp_frame *frames, char *why, size_t why_size)
{
    size_t len = strlen (line), n = 0;
    if (len && line[len - 1] == '\r')
        line[len - 1] = 0;
    for (char *token = line, *next; token; token = next) {
        next = strchr (token, ' ');
        if (next)
            *next++ = 0;
        if (n == FRAMES_MAX) {
            snprintf (why, why_size, "more than %d frames", FRAMES_MAX);
            return 0;
        }
        if (!token_frame (token, &frames[n++])) {
            snprintf (why, why_size, "frame %zu is not hex octets nor '-' (frames are separated "
                      "by one space)", n);
            return 0;
        }
    }
    return n;
}

typedef struct {
    int lines;                  /* --lines: results as lines of hex */
    unsigned attempts;          /* the last request's */
} run_state;

static void
print_lines_result (const flp_client_result *result)
{
    if (result->outcome != FLP_CLIENT_ANSWERED) {
        puts (result->outcome == FLP_CLIENT_TIMED_OUT ? "timed-out" : "no-server");
        return;
    }
    fputs ("answered", stdout);
    for (size_t i = 0; i < result->body_count; i++) {
        fputc (' ', stdout);
        if (result->body[i].size == 0)
            fputc ('-', stdout);
        else
            zw_hex_write (stdout, result->body[i].data, result->body[i].size, NULL);
    }
    fputc ('\n', stdout);
}

/* The reply body: here, while it is valid (flp_client.h). */
static void
on_result (void *arg, const flp_client_result *result)
{
    run_state *state = arg;
    state->attempts = result->attempts;
    if (state->lines) {
        print_lines_result (result);
    } else if (result->outcome == FLP_CLIENT_ANSWERED) {
        for (size_t i = 0; i < result->body_count; i++) {
            if (result->body[i].size)
                fwrite (result->body[i].data, 1, result->body[i].size, stdout);
            fputc ('\n', stdout);
        }
    }
    fflush (stdout);
}

static void
on_log (void *arg, const char *line)
{
    (void) arg;
    role_cli_log ((void *) COMMAND, line);
}

/* Each line of standard input as a request, its outcome as a line; 0 at the end. */
static int
run_lines (flp_client_shell *client)
{
    static zw_flp_frame frames[FRAMES_MAX];
    zw_control_input in = { 0 };
    zw_socket *socket = flp_client_shell_socket (client);
    char why[128];
    const char *text;
    int status = ZW_EXIT_OK;
    while (status == ZW_EXIT_OK && (text = zw_control_next_line (&in, &socket, 1))) {
        char *line = strdup (text);
        size_t n = line ? line_frames (line, frames, why, sizeof why) : 0;
        if (!line)
            status = FLP_EXIT_ERROR;
        else if (n == 0)
            printf ("error %s\n", why);
        else if (flp_client_call (client, frames, n) < 0)
            status = FLP_EXIT_ERROR;
        fflush (stdout);
        free (line);
    }
    zw_control_input_free (&in);
    return status;
}

/* --- one request ----------------------------------------------------------------------------- */

static int
run_once (flp_client_shell *client, const options *o, const run_state *state)
{
    int outcome = flp_client_call (client, o->body, o->body_count);
    if (outcome == FLP_CLIENT_ANSWERED)
        return ZW_EXIT_OK;
    if (outcome == FLP_CLIENT_TIMED_OUT) {
        fprintf (stderr, "zwire " COMMAND ": timed out: no reply after %u attempts of %llu ms\n",
                 state->attempts, (unsigned long long) o->config.timeout_ms);
        return FLP_EXIT_TIMED_OUT;
    }
    if (outcome == FLP_CLIENT_NO_SERVER) {
        fprintf (stderr, "zwire " COMMAND ": no server: none answered a ping within %llu ms\n",
                 (unsigned long long) (o->config.liveness * o->config.ping_interval_ms));
        return FLP_EXIT_NO_SERVER;
    }
    fprintf (stderr, "zwire " COMMAND ": %s\n", strerror (errno));
    return FLP_EXIT_ERROR;
}

static int
run (zw_ctx *ctx, const options *o)
{
    run_state state = { .lines = o->lines };
    flp_client_callbacks callbacks = { on_result, o->quiet ? NULL : on_log, &state };
    flp_client_shell *client = flp_client_shell_new (ctx, &o->config, &callbacks);
    if (!client) {
        int bad = errno == EINVAL;
        fprintf (stderr, "zwire " COMMAND ": cannot connect to the servers: %s\n", strerror (errno));
        return bad ? ZW_EXIT_USAGE : FLP_EXIT_ERROR;
    }
    int status = o->lines ? run_lines (client) : run_once (client, o, &state);
    zw_ctx_set_log (ctx, NULL, NULL);      /* the close of a socket whose work is done is no news */
    flp_client_shell_destroy (client);
    return status;
}

int
zw_cli_fl_client (int argc, char **argv)
{
    options o = { 0 };
    int parsed = parse (argc, argv, &o);
    int status = parsed == 0 ? ZW_EXIT_OK : ZW_EXIT_USAGE;
    zw_ctx *ctx = parsed > 0 ? role_cli_ctx (COMMAND, o.quiet) : NULL;
    if (parsed > 0)
        status = ctx ? run (ctx, &o) : FLP_EXIT_ERROR;
    zw_ctx_destroy (ctx);
    options_free (&o);
    return status;
}
