/*  tp_mixed.c — throughput between two implementations: zwire sending to
    libzmq, libzmq sending to zwire (or either to itself).

      tp-mixed --sender zwire|libzmq --receiver zwire|libzmq [--bin-dir DIR]
               --pattern P --transport T --size N --count M [--hwm N] [--timeout S]

    A driver, not a stack: it runs the two programs tp-<receiver> and
    tp-<sender> (from --bin-dir, by default the directory of tp-mixed
    itself) as the two processes of a benchmark, each with --only:

      tp-<receiver> ... --only recv --endpoint-fd FD1 --peer <sender>
      tp-<sender>   ... --only send --endpoint EP --done-fd FD2

    The receiver binds where it likes and writes the endpoint into a pipe;
    tp-mixed reads it and starts the sender on it.  A second pipe, whose
    write end only the receiver holds, tells the sender when the receiver
    has finished (bench_await_server).  The receiver prints the result
    line, with impl "<sender>-><receiver>" (e.g. "zwire->libzmq"); every
    other option goes through to both programs unchanged.  The exit status
    is 0 when both succeeded.  */

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bench_pair.h"

#define MAX_ARGS 64

static void
usage (int status)
{
    fprintf (status ? stderr : stdout, "usage: tp-mixed --sender zwire|libzmq --receiver zwire|libzmq [--bin-dir DIR]\n"
                     "                --pattern P --transport T --size N --count M [--hwm N] [--timeout S]\n");
    exit (status);
}

static int
known_impl (const char *name)
{
    return name && (strcmp (name, "zwire") == 0 || strcmp (name, "libzmq") == 0);
}

/* The directory of this executable, for the default --bin-dir. */
static void
own_dir (char *buf, size_t cap)
{
    ssize_t n = readlink ("/proc/self/exe", buf, cap - 1);
    if (n <= 0) {
        snprintf (buf, cap, ".");
        return;
    }
    buf[n] = 0;
    char *slash = strrchr (buf, '/');
    if (slash)
        *slash = 0;
}

/* Forks and execs argv (the open fds are inherited); returns the pid or -1. */
static pid_t
spawn (char **argv)
{
    pid_t pid = fork ();
    if (pid == 0) {
        execv (argv[0], argv);
        fprintf (stderr, "tp-mixed: cannot run %s: %s\n", argv[0], strerror (errno));
        _exit (127);
    }
    if (pid < 0)
        perror ("fork");
    return pid;
}

static int
wait_ok (pid_t pid)
{
    int status;
    while (waitpid (pid, &status, 0) < 0)
        if (errno != EINTR)
            return 0;
    return WIFEXITED (status) && WEXITSTATUS (status) == 0;
}

int
main (int argc, char **argv)
{
    const char *sender = NULL, *receiver = NULL;
    char bin_dir[PATH_MAX];
    own_dir (bin_dir, sizeof bin_dir);
    const char *passed[MAX_ARGS];
    int npassed = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
            usage (0);
        int last = i + 1 >= argc;
        if (strcmp (argv[i], "--sender") == 0 && !last)
            sender = argv[++i];
        else if (strcmp (argv[i], "--receiver") == 0 && !last)
            receiver = argv[++i];
        else if (strcmp (argv[i], "--bin-dir") == 0 && !last)
            snprintf (bin_dir, sizeof bin_dir, "%s", argv[++i]);
        else if (strncmp (argv[i], "--role", 6) == 0 || strncmp (argv[i], "--only", 6) == 0
             ||  strncmp (argv[i], "--endpoint", 10) == 0 || strncmp (argv[i], "--peer", 6) == 0
             ||  strncmp (argv[i], "--done-fd", 9) == 0) {
            fprintf (stderr, "tp-mixed: %s is set by tp-mixed itself\n", argv[i]);
            usage (2);
        }
        else if (npassed < MAX_ARGS - 16)
            passed[npassed++] = argv[i];
        else
            usage (2);
    }
    if (!known_impl (sender) || !known_impl (receiver))
        usage (2);

    int endpoint_pipe[2], done_pipe[2];
    if (pipe (endpoint_pipe) || pipe (done_pipe)) {
        perror ("pipe");
        return 1;
    }
    char program[PATH_MAX + 16], endpoint_fd[16], done_fd[16];
    char *args[MAX_ARGS];
    int n = 0;

    /* The receiver: holds the endpoint pipe's write end and the done pipe's write end. */
    snprintf (program, sizeof program, "%s/tp-%s", bin_dir, receiver);
    snprintf (endpoint_fd, sizeof endpoint_fd, "%d", endpoint_pipe[1]);
    args[n++] = program;
    for (int i = 0; i < npassed; i++)
        args[n++] = (char *) passed[i];
    args[n++] = "--only";
    args[n++] = "recv";
    args[n++] = "--endpoint-fd";
    args[n++] = endpoint_fd;
    args[n++] = "--peer";
    args[n++] = (char *) sender;
    args[n] = NULL;
    fflush (NULL);
    pid_t receiver_pid = spawn (args);
    close (endpoint_pipe[1]);
    close (done_pipe[1]);           /* only the receiver has it now */
    if (receiver_pid < 0)
        return 1;
    char endpoint[256];
    int ok = bench_read_line (endpoint_pipe[0], endpoint, sizeof endpoint) == 0;
    close (endpoint_pipe[0]);
    if (!ok) {
        fprintf (stderr, "tp-mixed: %s did not bind\n", program);
        kill (receiver_pid, SIGTERM);
        wait_ok (receiver_pid);
        return 1;
    }

    /* The sender: connects to the endpoint, holds the done pipe's read end. */
    n = 0;
    snprintf (program, sizeof program, "%s/tp-%s", bin_dir, sender);
    snprintf (done_fd, sizeof done_fd, "%d", done_pipe[0]);
    args[n++] = program;
    for (int i = 0; i < npassed; i++)
        args[n++] = (char *) passed[i];
    args[n++] = "--only";
    args[n++] = "send";
    args[n++] = "--endpoint";
    args[n++] = endpoint;
    args[n++] = "--done-fd";
    args[n++] = done_fd;
    args[n] = NULL;
    pid_t sender_pid = spawn (args);
    close (done_pipe[0]);
    if (sender_pid < 0) {
        kill (receiver_pid, SIGTERM);
        wait_ok (receiver_pid);
        return 1;
    }
    int sender_ok = wait_ok (sender_pid);
    if (!sender_ok)
        kill (receiver_pid, SIGTERM);   /* it would wait for the rest */
    int receiver_ok = wait_ok (receiver_pid);
    return sender_ok && receiver_ok ? 0 : 1;
}
