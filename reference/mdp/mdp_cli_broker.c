/*  mdp_cli_broker.c — `zwire mdp broker`: the reference Majordomo broker
    (7/MDP 0.1 and 18/MDP 0.2 at once, 8/MMI) on one ROUTER socket.  */

#include <stdio.h>
#include <string.h>
#include "mdp_broker_shell.h"
#include "mdp_cli.h"

#define BINDS_MAX 16

static void
usage (FILE *out)
{
    fputs ("Usage: zwire mdp broker --bind ENDPOINT [--bind ENDPOINT ...] [options]\n"
           "\n"
           "The reference Majordomo broker: clients and workers of MDP 0.1 (RFC 7) and\n"
           "0.2 (RFC 18) on one ROUTER socket, with the MMI service lookup (RFC 8).\n"
           "A queue per service; the least recently used free worker takes the next\n"
           "request; heartbeats to every worker, busy ones too; a worker silent for\n"
           "liveness x heartbeat is gone and its request goes to another worker.\n"
           "Choices the RFCs leave open: spec/DECISIONS.md, rows M1..M20, M2-1..M2-20.\n"
           "\n"
           "Options:\n"
           "  --bind ENDPOINT        tcp://HOST:PORT (port 0: any free port) or ipc://PATH;\n"
           "                         repeatable.  Prints 'bound ENDPOINT' for the last one\n"
           "  --heartbeat MS         heartbeat interval, both ways (2500)\n"
           "  --liveness N           silent intervals before a worker is gone (3)\n"
           "  --request-expiry MS    how long a request waits for a service with no worker\n"
           "                         before it is dropped (7500)\n"
           "  --queue-limit N        requests waiting per service (1024)\n"
           "  --quiet                no log lines (violations are still counted)\n"
           "  -h, --help             this text\n"
           "\n"
           "Log lines (standard error) name the peer and, for a violation, the clause.\n"
           "Stops on SIGINT or SIGTERM, sending DISCONNECT to every registered worker,\n"
           "and writes one last line: what it served, and what it still held.\n"
           "Exit status: 0 stopped by a signal; 3 bad invocation or an endpoint that\n"
           "cannot be bound.\n", out);
}

typedef struct {
    const char *binds[BINDS_MAX];
    size_t bind_count;
    mdp_broker_config config;
    int quiet;
} options;

/* Returns 1 to run, 0 after --help, -1 on a bad invocation. */
static int
parse (int argc, char **argv, options *o)
{
    mdp_broker_config_default (&o->config);
    for (int i = 1; i < argc; i++) {
        const char *value;
        uint64_t n;
        int r;
        if (strcmp (argv[i], "-h") == 0 || strcmp (argv[i], "--help") == 0) {
            usage (stdout);
            return 0;
        } else if (strcmp (argv[i], "--quiet") == 0) {
            o->quiet = 1;
        } else if ((r = zw_args_value (argc, argv, &i, "--bind", &value)) != 0) {
            if (r < 0 || o->bind_count == BINDS_MAX) {
                fprintf (stderr, "zwire mdp broker: --bind needs an endpoint (at most %d)\n", BINDS_MAX);
                return -1;
            }
            o->binds[o->bind_count++] = value;
        } else if ((r = role_cli_number ("mdp broker", argc, argv, &i, "--heartbeat", 1, 3600000, &n))) {
            if (r < 0) return -1;
            o->config.heartbeat_ms = n;
        } else if ((r = role_cli_number ("mdp broker", argc, argv, &i, "--liveness", 1, 1000, &n))) {
            if (r < 0) return -1;
            o->config.liveness = (unsigned) n;
        } else if ((r = role_cli_number ("mdp broker", argc, argv, &i, "--request-expiry", 1, 86400000, &n))) {
            if (r < 0) return -1;
            o->config.request_expiry_ms = n;
        } else if ((r = role_cli_number ("mdp broker", argc, argv, &i, "--queue-limit", 1, 1000000, &n))) {
            if (r < 0) return -1;
            o->config.queue_limit = (size_t) n;
        } else {
            return role_cli_bad ("mdp broker", "unknown option '%s'", argv[i]);
        }
    }
    if (o->bind_count == 0)
        return role_cli_bad ("mdp broker", "give at least one --bind ENDPOINT");
    return 1;
}

int
zw_cli_mdp_broker (int argc, char **argv)
{
    options o = { 0 };
    int parsed = parse (argc, argv, &o);
    if (parsed <= 0)
        return parsed == 0 ? ZW_EXIT_OK : ZW_EXIT_USAGE;
    zw_ctx *ctx = role_cli_ctx ("mdp broker", o.quiet);
    if (!ctx)
        return ZW_EXIT_USAGE;
    mdp_broker_shell *broker = mdp_broker_shell_new (ctx, &o.config, o.binds, o.bind_count,
                                                     o.quiet ? NULL : role_cli_log, (void *) "mdp broker");
    if (!broker) {
        perror ("zwire mdp broker: cannot bind");
        zw_ctx_destroy (ctx);
        return ZW_EXIT_USAGE;
    }
    printf ("bound %s\n", mdp_broker_shell_endpoint (broker));
    fflush (stdout);
    role_cli_run (ctx, NULL);
    mdp_broker_stats stats;
    mdp_broker_shell_stats (broker, &stats);
    /* what it did, and what it still holds: after its peers have gone, nothing */
    fprintf (stderr, "zwire mdp broker: stopped: %llu requests, %llu replies, %llu dropped, "
             "%llu invalid; holding %zu workers, %zu records, %zu services, %zu queued\n",
             (unsigned long long) stats.requests, (unsigned long long) stats.replies,
             (unsigned long long) stats.dropped, (unsigned long long) stats.invalid,
             stats.workers, stats.records, stats.services, stats.queued);
    mdp_broker_shell_destroy (broker);
    zw_ctx_destroy (ctx);
    return ZW_EXIT_OK;
}
