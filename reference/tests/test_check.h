/*  test_check.h — the one check of the reference stack's C tests: CHECK (cond)
    counts a pass, or prints the condition that failed with its file and line
    and counts a failure.  Each test ends by printing "N passed, N failed"
    from passed and failed and exits non-zero if any failed.  */

#ifndef ZW_TEST_CHECK_H
#define ZW_TEST_CHECK_H

#include <stdio.h>

static int passed, failed;

#define CHECK(cond) do { \
    if (cond) passed++; \
    else { failed++; fprintf (stderr, "%s:%d: FAILED: %s\n", __FILE__, __LINE__, #cond); } \
} while (0)

#endif
