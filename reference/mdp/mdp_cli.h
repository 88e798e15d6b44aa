/*  mdp_cli.h — what the `zwire mdp <role>` subcommands share: option
    values with their bounds, what a bad invocation prints, a context
    logging to standard error, and a loop that runs until SIGINT or SIGTERM
    (the roles live in callbacks).  */

#ifndef MDP_CLI_H
#define MDP_CLI_H

#include <stdint.h>
#include "mdp_message.h"
#include "zwire_cli.h"

/*  If argv[*i] is option name with a decimal value in min..max, stores it
    and returns 1; 0 if argv[*i] is another word; -1 (message printed, as
    `zwire mdp <role>: ...`) if the value is missing or out of bounds.  */
int mdp_cli_number (const char *role, int argc, char **argv, int *i, const char *name,
                    uint64_t min, uint64_t max, uint64_t *value);

/*  If argv[*i] is --version with 0.1 or 0.2 (7/MDP, 18/MDP), stores it and
    returns 1; otherwise as mdp_cli_number.  */
int mdp_cli_version (const char *role, int argc, char **argv, int *i, zw_mdp_version *version);

/*  Prints "zwire mdp <role>: <what> (zwire mdp <role> --help)" to standard
    error, what made the invocation bad and where the right one is told.
    Returns -1.  */
int mdp_cli_bad (const char *role, const char *format, ...) __attribute__ ((format (printf, 2, 3)));

/* A log function writing "zwire mdp <role>: <line>" to standard error; arg is the role name. */
void mdp_cli_log (void *arg, const char *line);

/*  A context whose log goes to mdp_cli_log (nowhere if quiet), or NULL with
    the reason printed.  */
zw_ctx *mdp_cli_ctx (const char *role, int quiet);

/*  Runs ctx's loop until SIGINT or SIGTERM, or until *done becomes
    non-zero (done may be NULL).  Returns the signal number, or 0.  */
int mdp_cli_run (zw_ctx *ctx, const volatile int *done);

#endif
