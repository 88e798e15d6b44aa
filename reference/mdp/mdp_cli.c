/*  mdp_cli.c — what only the zwire mdp subcommands share (mdp_cli.h). */

#include <stdio.h>
#include <string.h>
#include "mdp_cli.h"

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
