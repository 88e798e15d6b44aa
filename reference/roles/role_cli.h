/*  role_cli.h — what the `zwire <protocol> <role>` subcommands share
    (`zwire mdp broker`, `zwire fl server`, ...): option values with their
    bounds, what a bad invocation prints, a context logging to standard
    error, and a loop that runs until SIGINT or SIGTERM (the roles live in
    callbacks).  command is the subcommand's name after "zwire", as in
    "mdp broker": every line printed starts "zwire <command>: ".  */

#ifndef ROLE_CLI_H
#define ROLE_CLI_H

#include <stdint.h>
#include "zwire_cli.h"

/*  If argv[*i] is option name with a decimal value in min..max, stores it
    and returns 1; 0 if argv[*i] is another word; -1 (message printed) if
    the value is missing or out of bounds.  */
int role_cli_number (const char *command, int argc, char **argv, int *i, const char *name,
                     uint64_t min, uint64_t max, uint64_t *value);

/*  Prints "zwire <command>: <what> (zwire <command> --help)" to standard
    error, what made the invocation bad and where the right one is told.
    Returns -1.  */
int role_cli_bad (const char *command, const char *format, ...)
    __attribute__ ((format (printf, 2, 3)));

/* A log function writing "zwire <command>: <line>" to standard error; arg is the command. */
void role_cli_log (void *arg, const char *line);

/*  A context whose log goes to role_cli_log (nowhere if quiet), or NULL
    with the reason printed.  command must outlive the context.  From
    here on SIGINT and SIGTERM only end role_cli_run.  */
zw_ctx *role_cli_ctx (const char *command, int quiet);

/*  Runs ctx's loop until SIGINT or SIGTERM, or until *done becomes
    non-zero (done may be NULL).  Returns the signal number, or 0.  */
int role_cli_run (zw_ctx *ctx, const volatile int *done);

#endif
