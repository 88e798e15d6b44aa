/*  role_fault.c — reading the variants a role's environment names (role_fault.h). */

#include <stdlib.h>
#include <string.h>
#include "role_fault.h"

static const char *const environment[] = { [ROLE_FAULT] = "ZWIRE_FAULT", [ROLE_LENIENT] = "ZWIRE_LENIENT" };

/* 1 if name is one of the comma-separated words of list. */
static int
named (const char *list, const char *name)
{
    size_t n = strlen (name);
    for (const char *at = list; (at = strstr (at, name)) != NULL; at += n)
        if ((at == list || at[-1] == ',') && (at[n] == 0 || at[n] == ','))
            return 1;
    return 0;
}

void
role_fault_read (const role_fault *table, size_t count, unsigned char *on)
{
    for (size_t i = 0; i < count; i++) {
        const char *list = table[i].name ? getenv (environment[table[i].kind]) : NULL;
        on[i] = list && named (list, table[i].name);
    }
}
