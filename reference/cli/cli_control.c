/*  cli_control.c — what the two JSON-lines modes of the zwire tool share:
    `zwire peer --control` (peer_control.c) and `zwire adapter`
    (adapter.c).  Both read one request per line on stdin and write one
    reply per line on stdout, frames as hex strings.

    Standard input is read without stdio buffering, through zw_poll beside
    the sockets, so their connections are served (handshakes, heartbeats,
    reconnects, incoming messages queued) while the process waits for its
    next line.  A line may be as long as memory allows (a 16 MiB frame is a
    32 MiB hex string): the buffer doubles as needed and a line is searched
    for its newline only once, so a long line costs linear time.  */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "zwire_cli.h"

#define READ_ROOM 65536                 /* at least this much room before each read */
#define FIRST_CAPACITY 131072

/* --- replies ---------------------------------------------------------------------------- */

void
zw_control_reply (json_t *answer)
{
    char *line = answer ? json_dumps (answer, JSON_COMPACT) : NULL;
    fputs (line ? line : "{\"ok\":false,\"error\":\"out of memory\"}", stdout);
    fputc ('\n', stdout);
    fflush (stdout);
    free (line);
    json_decref (answer);
}

json_t *
zw_control_ok (void)
{
    return json_pack ("{s:b}", "ok", 1);
}

json_t *
zw_control_failed (const char *why)
{
    return json_pack ("{s:b, s:s}", "ok", 0, "error", why);
}

const char *
zw_control_error_text (int error)
{
    if (error == EAGAIN)
        return "timeout";
    if (error == ZW_EFSM)
        return "not allowed now (EFSM)";
    return strerror (error);
}

/* --- octets and frames ---------------------------------------------------------------------- */

uint8_t *
zw_control_unhex (const char *text, size_t *size)
{
    size_t len = strlen (text);
    uint8_t *out = malloc (len + 1);    /* + 1: never malloc (0) */
    char why[128];
    if (!out)
        return NULL;
    memcpy (out, text, len);
    *size = len;
    if (!zw_hex_decode_text (out, size, why, sizeof why)) {
        free (out);
        return NULL;
    }
    return out;
}

json_t *
zw_control_hex (const uint8_t *data, size_t size)
{
    static const char digits[] = "0123456789abcdef";
    char *text = malloc (2 * size + 1);
    if (!text)
        return NULL;
    for (size_t i = 0; i < size; i++) {
        text[2 * i] = digits[data[i] >> 4];
        text[2 * i + 1] = digits[data[i] & 15];
    }
    json_t *string = json_stringn_nocheck (text, 2 * size);   /* hex is ASCII */
    free (text);
    return string;
}

zw_msg *
zw_control_message (json_t *frames)
{
    if (!json_is_array (frames) || json_array_size (frames) == 0)
        return NULL;
    zw_msg *msg = zw_msg_new ();
    size_t i;
    json_t *frame;
    json_array_foreach (frames, i, frame) {
        size_t size = 0;
        uint8_t *data = json_is_string (frame) ? zw_control_unhex (json_string_value (frame), &size)
                                               : NULL;
        int added = data && msg && zw_msg_add (msg, data, size) == 0;
        free (data);
        if (!added) {
            zw_msg_destroy (msg);
            return NULL;
        }
    }
    return msg;
}

json_t *
zw_control_frames (const zw_msg *msg)
{
    json_t *frames = json_array ();
    for (size_t i = 0; i < msg->count; i++)
        json_array_append_new (frames, zw_control_hex (msg->frames[i].data, msg->frames[i].size));
    return frames;
}

/* --- the input ------------------------------------------------------------------------------------ */

/*  Waits until stdin can be read, serving the sockets' connections
    meanwhile (one loop serves the whole context; the sockets are polled
    for nothing).  Returns 0 if polling failed.  */
static int
wait_for_stdin (zw_socket *const *sockets, size_t count)
{
    zw_pollitem items[count + 1];
    for (size_t i = 0; i < count; i++)
        items[i] = (zw_pollitem) { .socket = sockets[i], .events = 0 };
    items[count] = (zw_pollitem) { .socket = NULL, .fd = STDIN_FILENO, .events = ZW_POLLIN };
    for (;;) {
        if (zw_poll (items, (int) count + 1, -1) < 0)
            return 0;
        if (items[count].revents & ZW_POLLIN)
            return 1;
    }
}

/* Drops the lines already handed out, so the buffer holds only unread input. */
static void
compact (zw_control_input *in)
{
    if (in->start == 0)
        return;
    memmove (in->data, in->data + in->start, in->len - in->start);
    in->len -= in->start;
    in->scanned -= in->start;
    in->start = 0;
}

/* Reads what stdin has; returns 0 at end of input (or out of memory). */
static int
read_input (zw_control_input *in)
{
    compact (in);
    if (in->capacity - in->len < READ_ROOM) {
        size_t capacity = in->capacity ? in->capacity * 2 : FIRST_CAPACITY;
        char *data = realloc (in->data, capacity);
        if (!data)
            return 0;
        in->data = data;
        in->capacity = capacity;
    }
    /* - 1: room for the NUL of a last line without its newline */
    ssize_t n = read (STDIN_FILENO, in->data + in->len, in->capacity - in->len - 1);
    if (n < 0)
        return errno == EINTR || errno == EAGAIN;
    in->len += (size_t) n;
    return n > 0;
}

/*  The next non-empty line already in the buffer, NUL-terminated in place,
    or NULL.  After the end of input the rest, if any, is the last line.  */
static char *
take_line (zw_control_input *in)
{
    while (in->start < in->len) {
        char *line = in->data + in->start;
        char *newline = memchr (in->data + in->scanned, '\n', in->len - in->scanned);
        if (!newline && !in->ended) {
            in->scanned = in->len;
            return NULL;
        }
        char *end = newline ? newline : in->data + in->len;
        *end = 0;
        in->start = (size_t) (end - in->data) + (newline ? 1 : 0);
        in->scanned = in->start;
        if (*line)
            return line;
    }
    return NULL;
}

const char *
zw_control_next_line (zw_control_input *in, zw_socket *const *sockets, size_t count)
{
    for (;;) {
        char *line = take_line (in);
        if (line || in->ended)
            return line;
        if (!wait_for_stdin (sockets, count) || !read_input (in))
            in->ended = 1;
    }
}

void
zw_control_input_free (zw_control_input *in)
{
    free (in->data);
    memset (in, 0, sizeof *in);
}
