/*  role_fault.h — how a protocol role reads which of its deliberate
    variants the environment switched on (mdp_fault.c, flp_fault.c; the
    ZMTP peer has its own, reference/core/zw_fault.c).  A fault is a small,
    named departure from an RFC; a lenient variant departs from zwire's own
    choices the way the RFC allows.  Both are off unless named:

        ZWIRE_FAULT=name[,name...]      ZWIRE_LENIENT=name[,name...]

    Each role keeps its table (name, kind, the clause, the role whose
    suite must catch it or never accuse it), in the form `make mutation`
    reads from the source.  */

#ifndef ROLE_FAULT_H
#define ROLE_FAULT_H

#include <stddef.h>

enum { ROLE_FAULT = 0, ROLE_LENIENT = 1 };

typedef struct {
    const char *name;
    int kind;                   /* ROLE_FAULT or ROLE_LENIENT */
    const char *clause;         /* the clause a fault breaks, or a lenient variant stays within */
    int role;                   /* the role's own numbering */
} role_fault;

/*  Sets on[i] to 1 for each of the count variants of table that its
    environment variable names, 0 for the others.  */
void role_fault_read (const role_fault *table, size_t count, unsigned char *on);

#endif
