/*  peer_control.c — the --control mode of `zwire peer`: JSON-line
    commands on stdin, one reply line each on stdout
    (reference/docs/peer-control.md).

    Standard input is read without stdio buffering, through zw_poll beside
    the socket, so the socket's connections are served (handshakes,
    heartbeats, reconnects, incoming messages queued) while the peer waits
    for its next command.  */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include "zwire_cli.h"
#include "zwire.h"

#define DEFAULT_TIMEOUT 5000

typedef struct {
    zw_ctx *ctx;
    zw_socket *socket;
    int closing;
} control;

static void
reply (json_t *answer)
{
    char *line = json_dumps (answer, JSON_COMPACT);
    fputs (line ? line : "{\"ok\":false,\"error\":\"out of memory\"}", stdout);
    fputc ('\n', stdout);
    fflush (stdout);
    free (line);
    json_decref (answer);
}

static json_t *
ok (void)
{
    return json_pack ("{s:b}", "ok", 1);
}

static json_t *
failed (const char *why)
{
    return json_pack ("{s:b, s:s}", "ok", 0, "error", why);
}

static int
timeout_of (json_t *command)
{
    json_t *t = json_object_get (command, "timeout");
    return json_is_integer (t) ? (int) json_integer_value (t) : DEFAULT_TIMEOUT;
}

/*  Hex text to octets (malloc'd), through the CLI's own hex reader (which
    also skips blanks); NULL if it is not hex.  */
static uint8_t *
unhex (const char *text, size_t *size)
{
    size_t len = strlen (text);
    uint8_t *out = malloc (len + 1);
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

static char *
tohex (const uint8_t *data, size_t size)
{
    static const char digits[] = "0123456789abcdef";
    char *out = malloc (2 * size + 1);
    if (!out)
        return NULL;
    for (size_t i = 0; i < size; i++) {
        out[2 * i] = digits[data[i] >> 4];
        out[2 * i + 1] = digits[data[i] & 15];
    }
    out[2 * size] = 0;
    return out;
}

/* --- the commands ------------------------------------------------------------------------- */

static json_t *
do_send (control *c, json_t *command)
{
    json_t *frames = json_object_get (command, "frames");
    if (!json_is_array (frames) || json_array_size (frames) == 0)
        return failed ("send needs frames: a non-empty list of hex strings");
    zw_msg *msg = zw_msg_new ();
    size_t i;
    json_t *frame;
    json_array_foreach (frames, i, frame) {
        size_t size = 0;
        uint8_t *data = json_is_string (frame) ? unhex (json_string_value (frame), &size) : NULL;
        if (!data) {
            zw_msg_destroy (msg);
            return failed ("a frame is not a hex string");
        }
        zw_msg_add (msg, data, size);
        free (data);
    }
    if (zw_send (c->socket, msg, timeout_of (command)) == 0)
        return ok ();
    zw_msg_destroy (msg);
    return failed (errno == EAGAIN ? "timeout" : errno == ZW_EFSM ? "not allowed now (EFSM)"
                                  : strerror (errno));
}

static json_t *
do_recv (control *c, json_t *command)
{
    zw_msg *msg;
    if (zw_recv (c->socket, &msg, timeout_of (command)) < 0)
        return failed (errno == EAGAIN ? "timeout" : errno == ZW_EFSM ? "not allowed now (EFSM)"
                                      : strerror (errno));
    json_t *frames = json_array ();
    for (size_t i = 0; i < msg->count; i++) {
        char *hex = tohex (msg->frames[i].data, msg->frames[i].size);
        json_array_append_new (frames, json_string (hex ? hex : ""));
        free (hex);
    }
    zw_msg_destroy (msg);
    return json_pack ("{s:b, s:o}", "ok", 1, "frames", frames);
}

static json_t *
do_subscribe (control *c, json_t *command, zw_option option)
{
    json_t *topic = json_object_get (command, "topic");
    size_t size = 0;
    uint8_t *data = json_is_string (topic) ? unhex (json_string_value (topic), &size) : NULL;
    if (!data)
        return failed ("topic must be a hex string");
    int rc = zw_socket_set_bytes (c->socket, option, data, size);
    free (data);
    return rc == 0 ? ok () : failed ("only SUB and XSUB subscribe");
}

static json_t *
do_endpoint (control *c, json_t *command, int bind)
{
    const char *endpoint = json_string_value (json_object_get (command, "endpoint"));
    if (!endpoint)
        return failed ("endpoint is missing");
    if ((bind ? zw_bind (c->socket, endpoint) : zw_connect (c->socket, endpoint)) < 0)
        return failed (strerror (errno));
    if (!bind)
        return ok ();
    return json_pack ("{s:b, s:s}", "ok", 1, "endpoint", zw_socket_last_endpoint (c->socket));
}

static json_t *
do_peers (control *c, json_t *command)
{
    json_t *count = json_object_get (command, "count");
    uint64_t want = json_is_integer (count) ? (uint64_t) json_integer_value (count) : 1;
    int timeout = timeout_of (command);
    zw_stats stats;
    for (int waited = 0;; waited += 10) {
        zw_socket_stats (c->socket, &stats);
        if (stats.peers >= want)
            return json_pack ("{s:b, s:I}", "ok", 1, "peers", (json_int_t) stats.peers);
        if (timeout >= 0 && waited >= timeout)
            return json_pack ("{s:b, s:s, s:I}", "ok", 0, "error", "timeout", "peers",
                              (json_int_t) stats.peers);
        zw_ctx_run (c->ctx, 10);
    }
}

static json_t *
do_stats (control *c)
{
    zw_stats s;
    zw_socket_stats (c->socket, &s);
    return json_pack ("{s:b, s:I, s:I, s:I, s:I, s:I}", "ok", 1, "peers", (json_int_t) s.peers,
                      "connections", (json_int_t) s.connections, "closed", (json_int_t) s.closed,
                      "errors", (json_int_t) s.errors, "dropped", (json_int_t) s.dropped);
}

static json_t *
do_sleep (control *c, json_t *command)
{
    json_t *ms = json_object_get (command, "ms");
    zw_ctx_run (c->ctx, json_is_integer (ms) ? (int) json_integer_value (ms) : 0);
    return ok ();
}

static json_t *
execute (control *c, json_t *command)
{
    const char *op = json_string_value (json_object_get (command, "op"));
    if (!op)                              return failed ("each line is a JSON object with an op");
    if (strcmp (op, "send") == 0)         return do_send (c, command);
    if (strcmp (op, "recv") == 0)         return do_recv (c, command);
    if (strcmp (op, "subscribe") == 0)    return do_subscribe (c, command, ZW_OPT_SUBSCRIBE);
    if (strcmp (op, "unsubscribe") == 0)  return do_subscribe (c, command, ZW_OPT_UNSUBSCRIBE);
    if (strcmp (op, "bind") == 0)         return do_endpoint (c, command, 1);
    if (strcmp (op, "connect") == 0)      return do_endpoint (c, command, 0);
    if (strcmp (op, "peers") == 0)        return do_peers (c, command);
    if (strcmp (op, "stats") == 0)        return do_stats (c);
    if (strcmp (op, "sleep") == 0)        return do_sleep (c, command);
    if (strcmp (op, "close") == 0)        return c->closing = 1, ok ();
    return failed ("unknown op (send recv subscribe unsubscribe bind connect peers stats sleep close)");
}

static void
handle_line (control *c, const char *line)
{
    json_error_t error;
    json_t *command = json_loads (line, 0, &error);
    if (!command) {
        reply (failed ("not a JSON object"));
        return;
    }
    reply (execute (c, command));
    json_decref (command);
}

/* --- the input loop ---------------------------------------------------------------------------- */

typedef struct {
    char *data;
    size_t len, capacity;
} line_buffer;

/* Reads what stdin has; returns 0 at end of input. */
static int
read_input (line_buffer *b)
{
    if (b->capacity - b->len < 65536) {
        size_t capacity = b->capacity ? b->capacity * 2 : 131072;
        char *data = realloc (b->data, capacity);
        if (!data)
            return 0;
        b->data = data;
        b->capacity = capacity;
    }
    ssize_t n = read (STDIN_FILENO, b->data + b->len, b->capacity - b->len - 1);
    if (n < 0)
        return errno == EINTR || errno == EAGAIN;
    b->len += (size_t) n;
    return n > 0;
}

/* Runs every complete line of the buffer. */
static void
run_lines (control *c, line_buffer *b)
{
    size_t start = 0;
    char *newline;
    while (!c->closing && (newline = memchr (b->data + start, '\n', b->len - start))) {
        *newline = 0;
        if (newline > b->data + start)
            handle_line (c, b->data + start);
        start = (size_t) (newline - b->data) + 1;
    }
    memmove (b->data, b->data + start, b->len - start);
    b->len -= start;
}

int
zw_peer_control (zw_ctx *ctx, zw_socket *socket)
{
    control c = { ctx, socket, 0 };
    line_buffer input = { 0 };
    zw_pollitem items[2] = {
        { .socket = socket, .events = 0 },          /* serves the connections */
        { .socket = NULL, .fd = STDIN_FILENO, .events = ZW_POLLIN },
    };
    while (!c.closing) {
        if (zw_poll (items, 2, -1) < 0)
            break;
        if (!(items[1].revents & ZW_POLLIN))
            continue;
        int more = read_input (&input);
        if (!more && input.len)
            input.data[input.len++] = '\n';    /* a last line without its newline */
        if (input.len)
            run_lines (&c, &input);
        if (!more)
            break;                      /* end of input: as close */
    }
    free (input.data);
    return ZW_EXIT_OK;
}
