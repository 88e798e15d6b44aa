/*  role_exec.c — one command per request, polled from a timer
    (role_exec.h).  */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "role_exec.h"

struct role_exec {
    zw_ctx *ctx;
    char *command;
    role_exec_done *done;
    void *arg;
    zw_ctx_timer *timer;
    pid_t pid;                  /* the run going (its process group too); 0: none */
    uint64_t id;
    int in_fd, out_fd;          /* our ends of its stdin and stdout; -1: closed */
    uint8_t *input;
    size_t input_size, input_sent;
    uint8_t *output;
    size_t output_size, output_capacity;
    int exited, status, cut;
};

static void on_poll (void *arg);

role_exec *
role_exec_new (zw_ctx *ctx, const char *command, role_exec_done *done, void *arg)
{
    role_exec *exec = calloc (1, sizeof *exec);
    if (!exec)
        return NULL;
    *exec = (role_exec) { .ctx = ctx, .done = done, .arg = arg, .in_fd = -1, .out_fd = -1 };
    exec->command = strdup (command);
    exec->timer = zw_timer_new (ctx, on_poll, exec);
    if (!exec->command || !exec->timer) {
        role_exec_destroy (exec);
        errno = ENOMEM;
        return NULL;
    }
    return exec;
}

static void
close_fd (int *fd)
{
    if (*fd >= 0)
        close (*fd);
    *fd = -1;
}

/* The run ends: its descriptors, its buffers; the process is reaped already. */
static void
end_run (role_exec *exec)
{
    close_fd (&exec->in_fd);
    close_fd (&exec->out_fd);
    free (exec->input);
    free (exec->output);
    exec->input = exec->output = NULL;
    exec->input_size = exec->input_sent = exec->output_size = exec->output_capacity = 0;
    exec->pid = 0;
    zw_timer_stop (exec->timer);
}

/* The whole process group: sh and whatever it started. */
static void
kill_run (role_exec *exec)
{
    if (!exec->pid)
        return;
    kill (-exec->pid, SIGKILL);
    if (!exec->exited)
        waitpid (exec->pid, &exec->status, 0);     /* at once: SIGKILL cannot be caught */
    end_run (exec);
}

void
role_exec_destroy (role_exec *exec)
{
    if (!exec)
        return;
    kill_run (exec);
    zw_timer_destroy (exec->timer);
    free (exec->command);
    free (exec);
}

int
role_exec_running (const role_exec *exec)
{
    return exec->pid != 0;
}

/* --- a run ---------------------------------------------------------------------- */

static int
nonblocking_cloexec (int fd)
{
    int flags = fcntl (fd, F_GETFL);
    return flags < 0 || fcntl (fd, F_SETFL, flags | O_NONBLOCK) < 0
        || fcntl (fd, F_SETFD, FD_CLOEXEC) < 0 ? -1 : 0;
}

/*  The child: the pipes as stdin and stdout, a process group of its own
    (so a kill reaches what sh starts), SIGPIPE as a command expects it.  */
static void
child (const char *command, int in[2], int out[2])
{
    setpgid (0, 0);
    signal (SIGPIPE, SIG_DFL);
    if (dup2 (in[0], 0) < 0 || dup2 (out[1], 1) < 0)
        _exit (127);
    close (in[0]), close (in[1]), close (out[0]), close (out[1]);
    execl ("/bin/sh", "sh", "-c", command, (char *) NULL);
    _exit (127);
}

static int
spawn (role_exec *exec)
{
    int in[2], out[2];
    if (pipe (in) < 0)
        return -1;
    if (pipe (out) < 0) {
        close (in[0]), close (in[1]);
        return -1;
    }
    pid_t pid = fork ();
    if (pid == 0)
        child (exec->command, in, out);
    close (in[0]), close (out[1]);
    if (pid < 0) {
        int saved = errno;
        close (in[1]), close (out[0]);
        errno = saved;
        return -1;
    }
    setpgid (pid, pid);         /* as the child does: whichever runs first */
    exec->pid = pid;
    exec->in_fd = in[1];
    exec->out_fd = out[0];
    nonblocking_cloexec (exec->in_fd);
    nonblocking_cloexec (exec->out_fd);
    return 0;
}

static uint8_t *
concatenate (const zw_frame_view *body, size_t count, size_t *size)
{
    *size = 0;
    for (size_t i = 0; i < count; i++)
        *size += body[i].size;
    uint8_t *data = malloc (*size ? *size : 1), *at = data;
    for (size_t i = 0; data && i < count; i++) {
        if (body[i].size)
            memcpy (at, body[i].data, body[i].size);
        at += body[i].size;
    }
    return data;
}

int
role_exec_start (role_exec *exec, uint64_t id, const zw_frame_view *body, size_t count)
{
    kill_run (exec);
    exec->input = concatenate (body, count, &exec->input_size);
    if (!exec->input) {
        errno = ENOMEM;
        return -1;
    }
    exec->id = id;
    exec->exited = exec->cut = exec->status = 0;
    if (spawn (exec) != 0) {
        int saved = errno;
        end_run (exec);
        errno = saved;
        return -1;
    }
    zw_timer_start (exec->timer, 0);
    return 0;
}

/* --- the poll --------------------------------------------------------------------- */

/* As much input as the pipe takes; closed when all is written, or the command stopped reading. */
static void
write_input (role_exec *exec)
{
    while (exec->in_fd >= 0 && exec->input_sent < exec->input_size) {
        ssize_t n = write (exec->in_fd, exec->input + exec->input_sent,
                           exec->input_size - exec->input_sent);
        if (n > 0)
            exec->input_sent += (size_t) n;
        else if (n < 0 && errno == EINTR)
            continue;
        else if (n < 0 && errno == EAGAIN)
            return;
        else
            break;              /* EPIPE: it does not read its input; so be it */
    }
    close_fd (&exec->in_fd);
}

static int
keep (role_exec *exec, const uint8_t *data, size_t n)
{
    if (exec->output_size + n > ROLE_EXEC_OUTPUT_MAX) {
        n = ROLE_EXEC_OUTPUT_MAX - exec->output_size;
        exec->cut = 1;
    }
    if (exec->output_size + n > exec->output_capacity) {
        size_t capacity = exec->output_capacity ? exec->output_capacity * 2 : 65536;
        while (capacity < exec->output_size + n)
            capacity *= 2;
        uint8_t *grown = realloc (exec->output, capacity);
        if (!grown) {
            exec->cut = 1;
            return -1;
        }
        exec->output = grown;
        exec->output_capacity = capacity;
    }
    memcpy (exec->output + exec->output_size, data, n);
    exec->output_size += n;
    return exec->cut ? -1 : 0;
}

/* What the command wrote so far; past the bound it is killed (and the rest never read). */
static void
read_output (role_exec *exec)
{
    uint8_t chunk[65536];
    while (exec->out_fd >= 0) {
        ssize_t n = read (exec->out_fd, chunk, sizeof chunk);
        if (n > 0 && keep (exec, chunk, (size_t) n) == 0)
            continue;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return;
        if (n > 0)              /* over the bound */
            kill (-exec->pid, SIGKILL);
        close_fd (&exec->out_fd);   /* end of file, an error, or cut */
    }
}

/*  Done once the command has exited and its output is closed (a process
    it left behind holding the output delays the answer until it ends).  */
static void
on_poll (void *arg)
{
    role_exec *exec = arg;
    write_input (exec);
    read_output (exec);
    if (!exec->exited && waitpid (exec->pid, &exec->status, WNOHANG) == exec->pid)
        exec->exited = 1;
    if (!exec->exited || exec->out_fd >= 0) {
        zw_timer_start (exec->timer, ROLE_EXEC_POLL_MS);
        return;
    }
    role_exec_result result = { exec->id, exec->output, exec->output_size, exec->status, exec->cut };
    exec->output = NULL;        /* the result's now: done may start the next run */
    end_run (exec);
    exec->done (exec->arg, &result);
    free ((void *) result.output);
}

int
role_exec_problem (const role_exec_result *r, const char *what, const char *row, char *line,
                   size_t cap)
{
    if (r->cut)
        snprintf (line, cap, "the command wrote more than %u octets: killed, its %s cut there",
                  ROLE_EXEC_OUTPUT_MAX, what);
    else if (WIFSIGNALED (r->status))
        snprintf (line, cap, "the command was killed by signal %d: what it wrote is the %s "
                  "(DECISIONS %s)", WTERMSIG (r->status), what, row);
    else if (WIFEXITED (r->status) && WEXITSTATUS (r->status) != 0)
        snprintf (line, cap, "the command exited with status %d: what it wrote is the %s "
                  "(DECISIONS %s)", WEXITSTATUS (r->status), what, row);
    else
        return 0;
    return 1;
}
