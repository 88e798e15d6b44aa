/*  peer.c — `zwire peer`: one socket of any type, for interop by hand and
    by test.

    It binds and / or connects one socket of the reference stack, then
    prints what it receives (--print, the default), echoes it back
    (--echo), sends messages given on the command line (--send), or obeys
    JSON-line commands on stdin (--control; the protocol is
    reference/docs/peer-control.md).  Log lines go to stderr; stdout
    carries only messages (or, with --control, replies).  */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include "peer_security.h"
#include "zwire_cli.h"
#include "zwire.h"

#define MAX_ENDPOINTS 16
#define MAX_SENDS 64

typedef enum { MODE_PRINT, MODE_ECHO, MODE_CONTROL } peer_mode;

typedef struct {
    int type;
    const char *binds[MAX_ENDPOINTS], *connects[MAX_ENDPOINTS], *subscribes[MAX_ENDPOINTS];
    int bind_count, connect_count, subscribe_count;
    const char *sends[MAX_SENDS];
    int send_count;
    const char *identity;
    const char *properties[MAX_ENDPOINTS];
    int property_count;
    peer_mode mode;
    uint64_t count;                 /* --print / --echo: stop after this many (0: never) */
    int64_t ints[32];               /* by zw_option; -2 = not given */
    peer_security security;         /* mechanism, keys, ZAP policy */
} peer_options;

static void
usage (FILE *out)
{
    fputs ("Usage: zwire peer --type TYPE [--bind EP]... [--connect EP]... [options]\n"
           "\n"
           "Opens one socket of the zwire reference stack (ZMTP 3.1 / 3.0, downgrade to 2.0,\n"
           "NULL, PLAIN or CURVE) and binds and / or connects it, for interop with any ZeroMQ\n"
           "peer.\n"
           "\n"
           "Socket:\n"
           "  --type T                 PAIR PUB SUB XPUB XSUB REQ REP DEALER ROUTER PUSH PULL\n"
           "  --bind EP                tcp://HOST:PORT (HOST may be *, PORT 0), tcp://[::1]:PORT,\n"
           "                           ipc://PATH; repeatable\n"
           "  --connect EP             repeatable; reconnects with back-off when lost\n"
           "  --identity TEXT          Identity sent in READY (REQ, DEALER, ROUTER)\n"
           "  --subscribe TEXT         SUB, XSUB: subscribe at start (repeatable; \"\" for all)\n"
           "  --zmtp 3.1|3.0|2.0       the version announced (default 3.1); 2.0: speak only\n"
           "                           ZMTP 2.0, as an old binding does\n"
           "  --heartbeat-ivl MS       send PING every MS (default 0: off)\n"
           "  --heartbeat-timeout MS   close when nothing comes MS after a PING (default: ivl)\n"
           "  --heartbeat-ttl MS       TTL announced in PING (default 0)\n"
           "  --handshake-ivl MS       close handshakes not over after MS (default 30000)\n"
           "  --maxmsgsize N           largest message accepted, octets (default -1: no limit)\n"
           "  --sndhwm N, --rcvhwm N   high-water marks, messages (default 1000)\n"
           "  --linger MS              flush time on close (default 1000)\n"
           "  --reconnect-ivl MS       first reconnect delay (default 100)\n"
           "  --reconnect-ivl-max MS   back-off ceiling (default 0: no back-off)\n"
           "  --router-handover        ROUTER: a new peer with a used identity takes it over\n"
           "  --property NAME=VALUE    an application property sent in READY, e.g.\n"
           "                           X-Client=demo (repeatable)\n"
           "\n", out);
    peer_security_usage (out);
    fputs ("\n"
           "What it does (one of):\n"
           "  --print                  print each message received, a line per message,\n"
           "                           frames as hex separated by spaces (the default)\n"
           "  --echo                   send each message received back (ROUTER: to its sender)\n"
           "  --send TEXT              send TEXT as a one-frame message (repeatable, in order),\n"
           "                           once a peer is connected, then exit\n"
           "  --control                obey JSON-line commands on stdin (for tests; see\n"
           "                           reference/docs/peer-control.md)\n"
           "  --count N                --print, --echo: exit after N messages\n"
           "\n"
           "Logs (connections closed, and why, with the clause of spec/) go to stderr.\n"
           "Exit status: 0 done, 1 a send or receive failed, 3 bad invocation.\n", out);
}

/* --- options ----------------------------------------------------------------------------- */

typedef struct {
    const char *name;
    zw_option option;
} int_flag;

static const int_flag int_flags[] = {
    { "--heartbeat-ivl", ZW_OPT_HEARTBEAT_IVL }, { "--heartbeat-timeout", ZW_OPT_HEARTBEAT_TIMEOUT },
    { "--heartbeat-ttl", ZW_OPT_HEARTBEAT_TTL }, { "--handshake-ivl", ZW_OPT_HANDSHAKE_IVL },
    { "--maxmsgsize", ZW_OPT_MAXMSGSIZE }, { "--sndhwm", ZW_OPT_SNDHWM },
    { "--rcvhwm", ZW_OPT_RCVHWM }, { "--linger", ZW_OPT_LINGER },
    { "--reconnect-ivl", ZW_OPT_RECONNECT_IVL }, { "--reconnect-ivl-max", ZW_OPT_RECONNECT_IVL_MAX },
};

#define INT_FLAG_COUNT (sizeof int_flags / sizeof int_flags[0])

static int
parse_int (const char *text, int64_t *out)
{
    char *end;
    errno = 0;
    long long value = strtoll (text, &end, 10);
    if (errno || end == text || *end)
        return 0;
    *out = value;
    return 1;
}

/* Adds a repeatable value; 0 when the list is full. */
static int
push_value (const char **list, int *count, int max, const char *value)
{
    if (*count >= max)
        return 0;
    list[(*count)++] = value;
    return 1;
}

/* One option at argv[*i]: 1 taken, 0 unknown, -1 bad value (message printed). */
static int
parse_option (int argc, char **argv, int *i, peer_options *o)
{
    const char *v;
    int r;
    for (size_t f = 0; f < INT_FLAG_COUNT; f++)
        if ((r = zw_args_value (argc, argv, i, int_flags[f].name, &v)) != 0) {
            if (r < 0 || !parse_int (v, &o->ints[int_flags[f].option]))
                return fprintf (stderr, "zwire peer: %s needs a whole number\n", int_flags[f].name), -1;
            return 1;
        }
    if ((r = zw_args_value (argc, argv, i, "--type", &v)) != 0) {
        if (r < 0 || (o->type = zw_socket_type_parse (v)) < 0)
            return fprintf (stderr, "zwire peer: --type needs a socket type (PAIR, PUB, ...)\n"), -1;
        return 1;
    }
    if ((r = zw_args_value (argc, argv, i, "--zmtp", &v)) != 0) {
        if (r < 0 || (strcmp (v, "3.1") && strcmp (v, "3.0") && strcmp (v, "2.0")))
            return fprintf (stderr, "zwire peer: --zmtp is 3.1, 3.0 or 2.0\n"), -1;
        o->ints[ZW_OPT_ZMTP_MINOR] = strcmp (v, "3.1") == 0;
        o->ints[ZW_OPT_ZMTP_MAJOR] = strcmp (v, "2.0") == 0 ? 2 : 3;
        return 1;
    }
    if ((r = zw_args_value (argc, argv, i, "--count", &v)) != 0) {
        if (r < 0 || !zw_args_u64 (v, &o->count))
            return fprintf (stderr, "zwire peer: --count needs a number\n"), -1;
        return 1;
    }
    struct { const char *name; const char **list; int *count; int max; } lists[] = {
        { "--bind", o->binds, &o->bind_count, MAX_ENDPOINTS },
        { "--connect", o->connects, &o->connect_count, MAX_ENDPOINTS },
        { "--subscribe", o->subscribes, &o->subscribe_count, MAX_ENDPOINTS },
        { "--send", o->sends, &o->send_count, MAX_SENDS },
        { "--property", o->properties, &o->property_count, MAX_ENDPOINTS },
    };
    for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++)
        if ((r = zw_args_value (argc, argv, i, lists[l].name, &v)) != 0) {
            if (r < 0 || !push_value (lists[l].list, lists[l].count, lists[l].max, v))
                return fprintf (stderr, "zwire peer: %s needs a value (at most %d)\n",
                                lists[l].name, lists[l].max), -1;
            return 1;
        }
    if ((r = peer_security_option (argc, argv, i, &o->security)) != 0)
        return r;
    if ((r = zw_args_value (argc, argv, i, "--identity", &o->identity)) != 0)
        return r < 0 ? (fprintf (stderr, "zwire peer: --identity needs a value\n"), -1) : 1;
    if (strcmp (argv[*i], "--router-handover") == 0)
        return o->ints[ZW_OPT_ROUTER_HANDOVER] = 1, 1;
    if (strcmp (argv[*i], "--echo") == 0)
        return o->mode = MODE_ECHO, 1;
    if (strcmp (argv[*i], "--print") == 0)
        return o->mode = MODE_PRINT, 1;
    if (strcmp (argv[*i], "--control") == 0)
        return o->mode = MODE_CONTROL, 1;
    return 0;
}

static int
parse_options (int argc, char **argv, peer_options *o)
{
    memset (o, 0, sizeof *o);
    o->type = -1;
    for (size_t k = 0; k < sizeof o->ints / sizeof o->ints[0]; k++)
        o->ints[k] = -2;
    for (int i = 1; i < argc; i++) {
        int r = parse_option (argc, argv, &i, o);
        if (r < 0)
            return -1;
        if (r == 0)
            return fprintf (stderr, "zwire peer: unknown option '%s' (see --help)\n", argv[i]), -1;
    }
    if (o->type < 0)
        return fprintf (stderr, "zwire peer: --type is required (see --help)\n"), -1;
    if (o->bind_count + o->connect_count == 0 && o->mode != MODE_CONTROL)
        return fprintf (stderr, "zwire peer: give at least one --bind or --connect\n"), -1;
    return 0;
}

/* --- the socket -------------------------------------------------------------------------------- */

static zw_socket *
open_socket (zw_ctx *ctx, peer_options *o, json_t *bound)
{
    zw_socket *socket = zw_socket_new (ctx, o->type);
    if (peer_security_apply (ctx, socket, &o->security) < 0)
        return NULL;
    for (size_t k = 0; k < sizeof o->ints / sizeof o->ints[0]; k++)
        if (o->ints[k] != -2 && zw_socket_set_int (socket, (zw_option) k, o->ints[k]) < 0) {
            fprintf (stderr, "zwire peer: a value is out of range (option %zu)\n", k);
            return NULL;
        }
    if (o->identity && zw_socket_set_bytes (socket, ZW_OPT_IDENTITY, o->identity,
                                            strlen (o->identity)) < 0) {
        fprintf (stderr, "zwire peer: --identity must be 1..255 octets, not starting with 0x00\n");
        return NULL;
    }
    for (int k = 0; k < o->subscribe_count; k++)
        if (zw_socket_set_bytes (socket, ZW_OPT_SUBSCRIBE, o->subscribes[k],
                                 strlen (o->subscribes[k])) < 0) {
            fprintf (stderr, "zwire peer: --subscribe is for SUB and XSUB\n");
            return NULL;
        }
    for (int k = 0; k < o->property_count; k++) {
        const char *equals = strchr (o->properties[k], '=');
        char name[256];
        size_t name_size = equals ? (size_t) (equals - o->properties[k]) : 0;
        if (name_size == 0 || name_size >= sizeof name) {
            fprintf (stderr, "zwire peer: --property needs NAME=VALUE\n");
            return NULL;
        }
        memcpy (name, o->properties[k], name_size);
        name[name_size] = 0;
        if (zw_socket_add_property (socket, name, equals + 1, strlen (equals + 1)) < 0) {
            fprintf (stderr, "zwire peer: --property %s: the name must be 1..255 of "
                     "A-Z a-z 0-9 - _ . + (not Socket-Type or Identity)\n", name);
            return NULL;
        }
    }
    for (int k = 0; k < o->bind_count; k++) {
        if (zw_bind (socket, o->binds[k]) < 0) {
            fprintf (stderr, "zwire peer: cannot bind %s: %s\n", o->binds[k], strerror (errno));
            return NULL;
        }
        json_array_append_new (bound, json_string (zw_socket_last_endpoint (socket)));
    }
    for (int k = 0; k < o->connect_count; k++)
        if (zw_connect (socket, o->connects[k]) < 0) {
            fprintf (stderr, "zwire peer: cannot connect %s: %s\n", o->connects[k], strerror (errno));
            return NULL;
        }
    return socket;
}

/* --- print, echo, send ----------------------------------------------------------------------- */

static void
print_message (const zw_msg *msg, const peer_options *o)
{
    if (o->security.print_auth)
        peer_security_print_auth (stdout, msg);
    for (size_t i = 0; i < msg->count; i++) {
        if (i)
            fputc (' ', stdout);
        if (msg->frames[i].size == 0)
            fputs ("-", stdout);        /* an empty frame */
        zw_hex_write (stdout, msg->frames[i].data, msg->frames[i].size, NULL);
    }
    fputc ('\n', stdout);
    fflush (stdout);
}

static int
run_receiving (zw_socket *socket, const peer_options *o)
{
    for (uint64_t n = 0; o->count == 0 || n < o->count; n++) {
        zw_msg *msg;
        if (zw_recv (socket, &msg, -1) < 0) {
            fprintf (stderr, "zwire peer: receive failed: %s\n", strerror (errno));
            return ZW_EXIT_VIOLATION;
        }
        print_message (msg, o);
        if (o->mode == MODE_ECHO && zw_send (socket, msg, 5000) == 0)
            continue;
        zw_msg_destroy (msg);
    }
    return ZW_EXIT_OK;
}

static int
run_sending (zw_socket *socket, const peer_options *o)
{
    for (int k = 0; k < o->send_count; k++) {
        zw_msg *msg = zw_msg_new ();
        zw_msg_add_str (msg, o->sends[k]);
        if (zw_send (socket, msg, 10000) < 0) {
            fprintf (stderr, "zwire peer: send failed: %s\n", strerror (errno));
            zw_msg_destroy (msg);
            return ZW_EXIT_VIOLATION;
        }
    }
    return ZW_EXIT_OK;
}

int
zw_cli_peer (int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0) {
            usage (stdout);
            return ZW_EXIT_OK;
        }
    peer_options o;
    if (parse_options (argc, argv, &o) < 0)
        return ZW_EXIT_USAGE;
    zw_ctx *ctx = zw_ctx_new ();
    json_t *bound = json_array ();
    zw_socket *socket = ctx ? open_socket (ctx, &o, bound) : NULL;
    int status = ZW_EXIT_USAGE;
    if (socket) {
        if (o.mode == MODE_CONTROL) {
            zw_control_reply (json_pack ("{s:s, s:O}", "event", "ready", "endpoints", bound));
            status = zw_peer_control (ctx, socket);
        }
        else
            status = o.send_count ? run_sending (socket, &o) : run_receiving (socket, &o);
    }
    json_decref (bound);
    zw_ctx_destroy (ctx);
    peer_security_free (&o.security);
    return status;
}
