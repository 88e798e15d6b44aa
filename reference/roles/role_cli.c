/*  role_cli.c — shared by the zwire <protocol> <role> subcommands (role_cli.h). */

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "role_cli.h"

int
role_cli_number (const char *command, int argc, char **argv, int *i, const char *name,
                 uint64_t min, uint64_t max, uint64_t *value)
{
    const char *text;
    int found = zw_args_value (argc, argv, i, name, &text);
    if (found <= 0) {
        if (found < 0)
            fprintf (stderr, "zwire %s: %s needs a value\n", command, name);
        return found;
    }
    if (!zw_args_u64 (text, value) || *value < min || *value > max) {
        fprintf (stderr, "zwire %s: %s must be a whole number from %llu to %llu, not '%s'\n",
                 command, name, (unsigned long long) min, (unsigned long long) max, text);
        return -1;
    }
    return 1;
}

int
role_cli_bad (const char *command, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    fprintf (stderr, "zwire %s: ", command);
    vfprintf (stderr, format, args);
    fprintf (stderr, " (zwire %s --help)\n", command);
    va_end (args);
    return -1;
}

void
role_cli_log (void *arg, const char *line)
{
    fprintf (stderr, "zwire %s: %s\n", (const char *) arg, line);
}

static volatile sig_atomic_t stop_signal;

static void
on_signal (int number)
{
    stop_signal = number;
}

/*  The handlers go in with the context, before anything is bound: a
    process that has said "bound ENDPOINT" already exits cleanly on
    SIGTERM, however soon it comes.  */
zw_ctx *
role_cli_ctx (const char *command, int quiet)
{
    struct sigaction action;
    memset (&action, 0, sizeof action);
    action.sa_handler = on_signal;
    sigaction (SIGINT, &action, NULL);
    sigaction (SIGTERM, &action, NULL);
    zw_ctx *ctx = zw_ctx_new ();
    if (!ctx) {
        fprintf (stderr, "zwire %s: %s\n", command, strerror (errno));
        return NULL;
    }
    zw_ctx_set_log (ctx, quiet ? NULL : role_cli_log, (void *) command);
    return ctx;
}

int
role_cli_run (zw_ctx *ctx, const volatile int *done)
{
    /* a signal interrupts the wait at once (EINTR); the slice bounds the rest */
    while (!stop_signal && !(done && *done)) {
        if (done)
            zw_ctx_run_until (ctx, done, 100);  /* ends the moment a callback sets *done */
        else
            zw_ctx_run (ctx, 100);
    }
    return (int) stop_signal;
}
