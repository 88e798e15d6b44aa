/*  peer_control.c — the --control mode of `zwire peer`: JSON-line
    commands on stdin, one reply line each on stdout
    (reference/docs/peer-control.md).

    The input loop, hex and frame conversions and the reply writer are
    cli_control.c's, shared with `zwire adapter`: while the peer waits for
    its next command, the socket's connections are served (handshakes,
    heartbeats, reconnects, incoming messages queued).  */

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

static int
timeout_of (json_t *command)
{
    json_t *t = json_object_get (command, "timeout");
    return json_is_integer (t) ? (int) json_integer_value (t) : DEFAULT_TIMEOUT;
}

/* --- the commands ------------------------------------------------------------------------- */

static json_t *
do_send (control *c, json_t *command)
{
    zw_msg *msg = zw_control_message (json_object_get (command, "frames"));
    if (!msg)
        return zw_control_failed ("send needs frames: a non-empty list of hex strings");
    if (zw_send (c->socket, msg, timeout_of (command)) == 0)
        return zw_control_ok ();
    zw_msg_destroy (msg);
    return zw_control_failed (zw_control_error_text (errno));
}

static json_t *
do_recv (control *c, json_t *command)
{
    zw_msg *msg;
    if (zw_recv (c->socket, &msg, timeout_of (command)) < 0)
        return zw_control_failed (zw_control_error_text (errno));
    json_t *frames = zw_control_frames (msg);
    zw_msg_destroy (msg);
    return json_pack ("{s:b, s:o}", "ok", 1, "frames", frames);
}

static json_t *
do_subscribe (control *c, json_t *command, zw_option option)
{
    json_t *topic = json_object_get (command, "topic");
    size_t size = 0;
    uint8_t *data = json_is_string (topic) ? zw_control_unhex (json_string_value (topic), &size)
                                           : NULL;
    if (!data)
        return zw_control_failed ("topic must be a hex string");
    int rc = zw_socket_set_bytes (c->socket, option, data, size);
    free (data);
    return rc == 0 ? zw_control_ok () : zw_control_failed ("only SUB and XSUB subscribe");
}

static json_t *
do_endpoint (control *c, json_t *command, int bind)
{
    const char *endpoint = json_string_value (json_object_get (command, "endpoint"));
    if (!endpoint)
        return zw_control_failed ("endpoint is missing");
    if ((bind ? zw_bind (c->socket, endpoint) : zw_connect (c->socket, endpoint)) < 0)
        return zw_control_failed (strerror (errno));
    if (!bind)
        return zw_control_ok ();
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
    return zw_control_ok ();
}

static json_t *
execute (control *c, json_t *command)
{
    const char *op = json_string_value (json_object_get (command, "op"));
    if (!op)
        return zw_control_failed ("each line is a JSON object with an op");
    if (strcmp (op, "send") == 0)         return do_send (c, command);
    if (strcmp (op, "recv") == 0)         return do_recv (c, command);
    if (strcmp (op, "subscribe") == 0)    return do_subscribe (c, command, ZW_OPT_SUBSCRIBE);
    if (strcmp (op, "unsubscribe") == 0)  return do_subscribe (c, command, ZW_OPT_UNSUBSCRIBE);
    if (strcmp (op, "bind") == 0)         return do_endpoint (c, command, 1);
    if (strcmp (op, "connect") == 0)      return do_endpoint (c, command, 0);
    if (strcmp (op, "peers") == 0)        return do_peers (c, command);
    if (strcmp (op, "stats") == 0)        return do_stats (c);
    if (strcmp (op, "sleep") == 0)        return do_sleep (c, command);
    if (strcmp (op, "close") == 0)        return c->closing = 1, zw_control_ok ();
    return zw_control_failed ("unknown op (send recv subscribe unsubscribe bind connect peers "
                              "stats sleep close)");
}

static void
handle_line (control *c, const char *line)
{
    json_error_t error;
    json_t *command = json_loads (line, 0, &error);
    if (!command) {
        zw_control_reply (zw_control_failed ("not a JSON object"));
        return;
    }
    zw_control_reply (execute (c, command));
    json_decref (command);
}

/* --- the input loop ---------------------------------------------------------------------------- */

int
zw_peer_control (zw_ctx *ctx, zw_socket *socket)
{
    control c = { ctx, socket, 0 };
    zw_control_input input = { 0 };
    const char *line;
    /* end of input: as close */
    while (!c.closing && (line = zw_control_next_line (&input, &socket, 1)))
        handle_line (&c, line);
    zw_control_input_free (&input);
    return ZW_EXIT_OK;
}
