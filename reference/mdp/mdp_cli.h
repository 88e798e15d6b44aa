/*  mdp_cli.h — what only the `zwire mdp <role>` subcommands share; the
    rest of what a subcommand needs is role_cli.h.  */

#ifndef MDP_CLI_H
#define MDP_CLI_H

#include "mdp_message.h"
#include "role_cli.h"

/*  If argv[*i] is --version with 0.1 or 0.2 (7/MDP, 18/MDP), stores it and
    returns 1; 0 if argv[*i] is another word; -1 (message printed, as
    `zwire mdp <role>: ...`) if the value is missing or not a version.  */
int mdp_cli_version (const char *role, int argc, char **argv, int *i, zw_mdp_version *version);

#endif
