/*  test_watchdog.h — a bound on a test that could hang.

    A lost wake-up does not fail an assertion: the process sleeps for
    ever.  A test of one arms the watchdog around the call that could
    sleep; if the call has not returned after the given seconds, SIGALRM
    names the test on standard error and ends the process with status 1,
    so the test run fails instead of hanging.  The bound is generous (it
    is never reached by a passing test, whatever the machine's load):
    tests assert no timing.  Header-only: each test program that needs
    it includes it once.  */

#ifndef TEST_WATCHDOG_H
#define TEST_WATCHDOG_H

#include <signal.h>
#include <string.h>
#include <unistd.h>

static const char *watchdog_what = "";

static void
watchdog_fired (int signal_number)
{
    (void) signal_number;
    static const char head[] = "FAILED: hung (watchdog): ";
    /* Only async-signal-safe calls here; a failed write changes nothing. */
    ssize_t ignored = write (STDERR_FILENO, head, sizeof head - 1);
    ignored = write (STDERR_FILENO, watchdog_what, strlen (watchdog_what));
    ignored = write (STDERR_FILENO, "\n", 1);
    (void) ignored;
    _exit (1);
}

/* Fails the process if watchdog_disarm is not called within seconds. */
static inline void
watchdog_arm (const char *what, unsigned seconds)
{
    struct sigaction action;
    memset (&action, 0, sizeof action);
    action.sa_handler = watchdog_fired;
    sigaction (SIGALRM, &action, NULL);
    watchdog_what = what;
    alarm (seconds);
}

static inline void
watchdog_disarm (void)
{
    alarm (0);
}

#endif
