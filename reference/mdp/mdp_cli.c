/*  mdp_cli.c — shared by the zwire mdp subcommands (mdp_cli.h). */

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "mdp_cli.h"

int
mdp_cli_number (const char *role, int argc, char **argv, int *i, const char *name,
                uint64_t min, uint64_t max, uint64_t *value)
{
    const char *text;
    int found = zw_args_value (argc, argv, i, name, &text);
    if (found <= 0) {
        if (found < 0)
            fprintf (stderr, "zwire mdp %s: %s needs a value\n", role, name);
        return found;
    }
    if (!zw_args_u64 (text, value) || *value < min || *value > max) {
        fprintf (stderr, "zwire mdp %s: %s must be a whole number from %llu to %llu, not '%s'\n",
                 role, name, (unsigned long long) min, (unsigned long long) max, text);
        return -1;
    }
    return 1;
}

void
mdp_cli_log (void *arg, const char *line)
{
    fprintf (stderr, "zwire mdp %s: %s\n", (const char *) arg, line);
}

static volatile sig_atomic_t stop_signal;

static void
on_signal (int number)
{
    stop_signal = number;
}

int
mdp_cli_run (zw_ctx *ctx, const volatile int *done)
{
    struct sigaction action;
    memset (&action, 0, sizeof action);
    action.sa_handler = on_signal;
    sigaction (SIGINT, &action, NULL);
    sigaction (SIGTERM, &action, NULL);
    /* a signal interrupts the wait at once (EINTR); the slice bounds the rest */
    while (!stop_signal && !(done && *done))
        zw_ctx_run (ctx, 100);
    return (int) stop_signal;
}
