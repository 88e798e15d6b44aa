/*  flp_cli_client.c — `zwire fl client` (being written).  */

#include <stdio.h>
#include "role_cli.h"

int
zw_cli_fl_client (int argc, char **argv)
{
    (void) argc;
    (void) argv;
    fputs ("zwire fl client: not built yet\n", stderr);
    return 1;
}
