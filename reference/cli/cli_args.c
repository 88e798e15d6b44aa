/*  cli_args.c — option words of the zwire subcommands: "--name VALUE" and
    "--name=VALUE", and unsigned decimal values.  */

#include <string.h>
#include "zwire_cli.h"

int
zw_args_value (int argc, char **argv, int *i, const char *name, const char **value)
{
    const char *word = argv[*i];
    size_t n = strlen (name);
    if (strncmp (word, name, n) != 0)
        return 0;
    if (word[n] == '=') {
        *value = word + n + 1;
        return 1;
    }
    if (word[n] != 0)
        return 0;
    if (*i + 1 >= argc)
        return -1;
    *value = argv[++*i];
    return 1;
}

int
zw_args_u64 (const char *text, uint64_t *out)
{
    uint64_t value = 0;
    if (*text == 0)
        return 0;
    for (; *text; text++) {
        if (*text < '0' || *text > '9')
            return 0;
        unsigned digit = (unsigned) (*text - '0');
        if (value > (UINT64_MAX - digit) / 10)
            return 0;
        value = value * 10 + digit;
    }
    *out = value;
    return 1;
}
