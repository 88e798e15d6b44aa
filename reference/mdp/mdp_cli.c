/*  mdp_cli.c — shared by the zwire mdp subcommands (mdp_cli.h). */

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
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

int
mdp_cli_version (const char *role, int argc, char **argv, int *i, zw_mdp_version *version)
{
    const char *text;
    int found = zw_args_value (argc, argv, i, "--version", &text);
    if (found <= 0) {
        if (found < 0)
            fprintf (stderr, "zwire mdp %s: --version needs a value: 0.1 or 0.2\n", role);
        return found;
    }
    if (strcmp (text, "0.1") == 0 || strcmp (text, "0.2") == 0) {
        *version = text[2] == '1' ? ZW_MDP_V01 : ZW_MDP_V02;
        return 1;
    }
    fprintf (stderr, "zwire mdp %s: --version must be 0.1 or 0.2, not '%s'\n", role, text);
    return -1;
}

int
mdp_cli_bad (const char *role, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    fprintf (stderr, "zwire mdp %s: ", role);
    vfprintf (stderr, format, args);
    fprintf (stderr, " (zwire mdp %s --help)\n", role);
    va_end (args);
    return -1;
}

void
mdp_cli_log (void *arg, const char *line)
{
    fprintf (stderr, "zwire mdp %s: %s\n", (const char *) arg, line);
}

zw_ctx *
mdp_cli_ctx (const char *role, int quiet)
{
    zw_ctx *ctx = zw_ctx_new ();
    if (!ctx) {
        fprintf (stderr, "zwire mdp %s: %s\n", role, strerror (errno));
        return NULL;
    }
    zw_ctx_set_log (ctx, quiet ? NULL : mdp_cli_log, (void *) role);
    return ctx;
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
