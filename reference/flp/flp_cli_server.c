/*  flp_cli_server.c — `zwire fl server` (being written).  */

#include <stdio.h>
#include "role_cli.h"

int
zw_cli_fl_server (int argc, char **argv)
{
    (void) argc;
    (void) argv;
    fputs ("zwire fl server: not built yet\n", stderr);
    return 1;
}
