/*  adapter.c — `zwire adapter`: the reference stack behind the
    conformance suite's adapter contract (conformance/ADAPTER.md).

    It writes its hello (what it can do), then answers JSON-line requests
    on stdin, one reply line each on stdout, in order: open sockets (any
    number, named "s1", "s2", ... in one context), bind, connect, send,
    receive, subscribe, close; a socket's security (NULL, PLAIN, CURVE, as
    client or server) and the context's ZAP policy are options of open, and
    each message received carries who sent it (zw_msg_auth).  A request it
    does not know — an op, an
    option, a socket type — is answered "unsupported" and the process
    exits 127, so the suite reports the case UNSUPPORTED rather than
    failed.  A malformed request only gets an error.  `quit` and the end
    of input close everything (linger 0) and exit 0.

    Between requests every connection of every socket is served (the one
    loop of the context runs while stdin is awaited).  The stack's log
    lines go to stderr, which the suite keeps with the case's report.  */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "peer_security.h"
#include "zwire_cli.h"

#define CONTRACT_VERSION 1
#define EXIT_UNSUPPORTED 127

static void
usage (FILE *out)
{
    fputs ("Usage: zwire adapter [--zmtp 2.0]\n"
           "\n"
           "The zwire reference stack behind the conformance suite's adapter contract\n"
           "(conformance/ADAPTER.md): JSON lines on stdin and stdout.\n"
           "\n"
           "It first writes its hello: {\"zwireAdapter\": 1, \"implementation\": ...,\n"
           "\"capabilities\": ...}.  Then each request line {\"id\": N, \"op\": ...} gets one\n"
           "reply line {\"id\": N, \"ok\": true, ...} or {\"id\": N, \"ok\": false, \"error\": ...}.\n"
           "\n"
           "Ops: open (type, options) -> socket; bind (socket, endpoint) -> endpoint;\n"
           "connect; send (frames, timeout); recv (timeout) -> frames; subscribe and\n"
           "unsubscribe (topic); close; quit.  Octets are hex.\n"
           "\n"
           "An unknown op, option or socket type is answered \"unsupported\" and the\n"
           "adapter exits 127.  quit, or the end of input, closes every socket and\n"
           "exits 0.  Logs of the stack go to stderr.\n"
           "\n"
           "Security (ADAPTER.md, \"Security\"): open takes mechanism (NULL, PLAIN,\n"
           "CURVE) and asServer, plainUsername / plainPassword, curveSecretKey /\n"
           "curvePublicKey / curveServerKey (Z85), zapDomain, and zap: the context's ZAP\n"
           "policy {allow, deny, plainUsers, curveKeys, curveAny} or \"none\"; recv\n"
           "answers auth {mechanism, userId, curveKey} too.\n"
           "\n"
           "--zmtp 2.0 makes every socket speak only ZMTP 2.0 (15/ZMTP), declared as\n"
           "such: a stand-in for a 2.0-only binding.\n"
           "\n"
           "Run the suite with it: python3 -m zwire_conformance --adapter \"zwire adapter\"\n"
           "(--self-test checks this contract before a run).\n", out);
}

/* --- sockets ------------------------------------------------------------------------------- */

typedef struct {
    char handle[24];                /* "s1", "s2", ...: never reused */
    zw_socket *socket;
} adapter_socket;

typedef struct {
    zw_ctx *ctx;
    adapter_socket **sockets;
    size_t count, capacity;
    unsigned opened;
    int stopping;                   /* stop after this reply ... */
    int status;                     /* ... with this exit status */
    int only_v2;                    /* --zmtp 2.0: every socket speaks only ZMTP 2.0 */
    peer_security policy;           /* the context's ZAP policy (option zap) ... */
    json_t *policy_json;            /* ... whose strings it points into */
} adapter;

static adapter_socket *
find_socket (adapter *a, const char *handle)
{
    for (size_t i = 0; i < a->count; i++)
        if (strcmp (a->sockets[i]->handle, handle) == 0)
            return a->sockets[i];
    return NULL;
}

/* Takes s into the adapter's list, naming it; 0 if out of memory. */
static int
keep_socket (adapter *a, adapter_socket *s)
{
    if (a->count == a->capacity) {
        size_t capacity = a->capacity ? a->capacity * 2 : 8;
        adapter_socket **grown = realloc (a->sockets, capacity * sizeof *grown);
        if (!grown)
            return 0;
        a->sockets = grown;
        a->capacity = capacity;
    }
    snprintf (s->handle, sizeof s->handle, "s%u", ++a->opened);
    a->sockets[a->count++] = s;
    return 1;
}

/* Closes the socket and frees it; it must be out of the adapter's list. */
static void
free_socket (adapter_socket *s)
{
    zw_close (s->socket);
    free (s);
}

static void
forget_socket (adapter *a, adapter_socket *s)
{
    for (size_t i = 0; i < a->count; i++)
        if (a->sockets[i] == s) {
            a->sockets[i] = a->sockets[--a->count];
            break;
        }
    free_socket (s);
}

/* quit, end of input, unsupported: nothing is left to flush for. */
static void
close_all (adapter *a)
{
    while (a->count) {
        adapter_socket *s = a->sockets[--a->count];
        zw_socket_set_int (s->socket, ZW_OPT_LINGER, 0);
        free_socket (s);
    }
    free (a->sockets);
    a->sockets = NULL;
    a->capacity = 0;
}

/* --- options of open ---------------------------------------------------------------------------- */

typedef enum { AS_INTEGER, AS_HEX, AS_HEX_LIST, AS_TEXT, AS_SECURITY } option_kind;

typedef struct {
    const char *name;               /* as ADAPTER.md spells it */
    zw_option option;
    option_kind kind;
} adapter_option;

static const adapter_option adapter_options[] = {
    { "identity", ZW_OPT_IDENTITY, AS_HEX },
    { "subscribe", ZW_OPT_SUBSCRIBE, AS_HEX_LIST },
    { "heartbeatIvl", ZW_OPT_HEARTBEAT_IVL, AS_INTEGER },
    { "heartbeatTimeout", ZW_OPT_HEARTBEAT_TIMEOUT, AS_INTEGER },
    { "heartbeatTtl", ZW_OPT_HEARTBEAT_TTL, AS_INTEGER },
    { "handshakeIvl", ZW_OPT_HANDSHAKE_IVL, AS_INTEGER },
    { "maxMsgSize", ZW_OPT_MAXMSGSIZE, AS_INTEGER },
    { "reconnectIvl", ZW_OPT_RECONNECT_IVL, AS_INTEGER },
    { "zmtpMinor", ZW_OPT_ZMTP_MINOR, AS_INTEGER },
    /*  Security (ADAPTER.md, "Security"): credentials as text (keys in Z85,
        DECISIONS S9); the mechanism, the role and the ZAP policy are
        applied after the others (apply_security).  */
    { "plainUsername", ZW_OPT_PLAIN_USERNAME, AS_TEXT },
    { "plainPassword", ZW_OPT_PLAIN_PASSWORD, AS_TEXT },
    { "curveSecretKey", ZW_OPT_CURVE_SECRETKEY, AS_TEXT },
    { "curvePublicKey", ZW_OPT_CURVE_PUBLICKEY, AS_TEXT },
    { "curveServerKey", ZW_OPT_CURVE_SERVERKEY, AS_TEXT },
    { "zapDomain", ZW_OPT_ZAP_DOMAIN, AS_TEXT },
    { "mechanism", 0, AS_SECURITY },
    { "asServer", 0, AS_SECURITY },
    { "zap", 0, AS_SECURITY },
};

#define ADAPTER_OPTION_COUNT (sizeof adapter_options / sizeof adapter_options[0])

static const adapter_option *
find_option (const char *name)
{
    for (size_t i = 0; i < ADAPTER_OPTION_COUNT; i++)
        if (strcmp (adapter_options[i].name, name) == 0)
            return &adapter_options[i];
    return NULL;
}

static int
set_hex (zw_socket *socket, zw_option option, json_t *value)
{
    size_t size = 0;
    uint8_t *octets = json_is_string (value) ? zw_control_unhex (json_string_value (value), &size)
                                             : NULL;
    int rc = octets ? zw_socket_set_bytes (socket, option, octets, size) : -1;
    free (octets);
    return rc;
}

/* Applies one option; -1 if the value is not one zwire takes. */
static int
apply_option (zw_socket *socket, const adapter_option *o, json_t *value)
{
    switch (o->kind) {
    case AS_INTEGER:
        return json_is_integer (value)
             ? zw_socket_set_int (socket, o->option, json_integer_value (value)) : -1;
    case AS_HEX:
        return set_hex (socket, o->option, value);
    case AS_TEXT:
        return json_is_string (value)
             ? zw_socket_set_bytes (socket, o->option, json_string_value (value),
                                    json_string_length (value)) : -1;
    case AS_SECURITY:
        return 0;                   /* apply_security */
    case AS_HEX_LIST:
        if (!json_is_array (value))
            return -1;
        size_t i;
        json_t *topic;
        json_array_foreach (value, i, topic)
            if (set_hex (socket, o->option, topic) < 0)
                return -1;
        return 0;
    }
    return -1;
}

/* --- the ops ---------------------------------------------------------------------------------------- */

/* The unknown is refused, and ends the run (ADAPTER.md: exit 127). */
static json_t *
unsupported (adapter *a)
{
    a->stopping = 1;
    a->status = EXIT_UNSUPPORTED;
    return zw_control_failed ("unsupported");
}

static json_t *
failed_errno (const char *what)
{
    char why[256];
    snprintf (why, sizeof why, "%s: %s", what, zw_control_error_text (errno));
    return zw_control_failed (why);
}

/* --- security: the mechanism, the role, the ZAP policy ------------------------------------------ */

/*  The ZAP policy {"allow": [...], "deny": [...], "plainUsers": {user: password},
    "curveKeys": [Z85, ...], "curveAny": true} as `zwire peer`'s (peer_security.c),
    installed as the context's handler: one per context (27/ZAP, DECISIONS S2), so
    the last socket opened with "zap" sets it for all.  "none" removes the handler
    (zwire then accepts every client, and logs it: S5).  NULL, or the refusal.  */
static json_t *
apply_zap (adapter *a, json_t *zap)
{
    peer_security_free (&a->policy);
    json_decref (a->policy_json);
    memset (&a->policy, 0, sizeof a->policy);
    a->policy_json = NULL;
    if (json_is_string (zap) && strcmp (json_string_value (zap), "none") == 0) {
        zw_ctx_set_zap_handler (a->ctx, NULL, NULL);
        return NULL;
    }
    if (!json_is_object (zap))
        return zw_control_failed ("option zap: \"none\" or an object (ADAPTER.md)");
    struct { const char *key; const char **list; int *count; } lists[] = {
        { "allow", a->policy.allow, &a->policy.allow_count },
        { "deny", a->policy.deny, &a->policy.deny_count },
        { "curveKeys", a->policy.curve_allow, &a->policy.curve_allow_count },
    };
    for (size_t k = 0; k < sizeof lists / sizeof lists[0]; k++) {
        json_t *list = json_object_get (zap, lists[k].key), *item;
        size_t i;
        if (list && !json_is_array (list))
            return zw_control_failed ("option zap: allow, deny and curveKeys are lists");
        json_array_foreach (list, i, item) {
            if (!json_is_string (item) || *lists[k].count >= PEER_LIST_MAX)
                return zw_control_failed ("option zap: lists of at most 64 strings");
            lists[k].list[(*lists[k].count)++] = json_string_value (item);
        }
    }
    json_t *users = json_object_get (zap, "plainUsers"), *password;
    const char *user;
    size_t size = 1;
    json_object_foreach (users, user, password)
        size += strlen (user) + json_string_length (password) + 2;
    if (!(a->policy.users = calloc (1, size)))
        return zw_control_failed ("out of memory");
    json_object_foreach (users, user, password) {       /* "user:password" lines */
        if (!json_is_string (password))
            return zw_control_failed ("option zap: plainUsers maps names to passwords");
        strcat (strcat (strcat (strcat (a->policy.users, user), ":"),
                        json_string_value (password)), "\n");
    }
    a->policy.curve_allow_any = json_is_true (json_object_get (zap, "curveAny"));
    a->policy_json = json_incref (zap);
    zw_ctx_set_zap_handler (a->ctx, peer_security_zap, &a->policy);
    return NULL;
}

/*  "mechanism" and "asServer" choose last, whatever the JSON's order (zwire.h: the
    last mechanism option set chooses): a server by PLAIN_SERVER / CURVE_SERVER, a
    PLAIN client by its user name, a CURVE client by the server's key.  */
static json_t *
apply_security (adapter *a, zw_socket *socket, json_t *options)
{
    json_t *zap = json_object_get (options, "zap");
    json_t *refusal = zap ? apply_zap (a, zap) : NULL;
    if (refusal)
        return refusal;
    json_t *mechanism = json_object_get (options, "mechanism");
    json_t *as_server = json_object_get (options, "asServer");
    if (!mechanism)
        return as_server ? zw_control_failed ("option asServer needs a mechanism") : NULL;
    const char *name = json_string_value (mechanism);
    int server = json_is_true (as_server), rc = -1;
    if (!name || (as_server && !json_is_boolean (as_server)))
        return zw_control_failed ("options mechanism (a name) and asServer (true or false)");
    if (strcmp (name, "NULL") == 0)
        rc = server ? -1 : zw_socket_set_int (socket, ZW_OPT_PLAIN_SERVER, 0);
    else if (strcmp (name, "PLAIN") == 0 && server)
        rc = zw_socket_set_int (socket, ZW_OPT_PLAIN_SERVER, 1);
    else if (strcmp (name, "PLAIN") == 0) {
        json_t *user = json_object_get (options, "plainUsername");
        json_t *none = user ? NULL : json_string ("");
        rc = apply_option (socket, find_option ("plainUsername"), user ? user : none);
        json_decref (none);
    }
    else if (strcmp (name, "CURVE") == 0 && server)    /* zwire.h: it needs SECRETKEY */
        rc = json_object_get (options, "curveSecretKey")
           ? zw_socket_set_int (socket, ZW_OPT_CURVE_SERVER, 1) : -1;
    else if (strcmp (name, "CURVE") == 0) {
        json_t *key = json_object_get (options, "curveServerKey");
        rc = key ? apply_option (socket, find_option ("curveServerKey"), key) : -1;
    }
    else
        return unsupported (a);
    if (rc < 0) {
        char why[256];
        snprintf (why, sizeof why, "mechanism %s as %s: zwire needs %s", name,
                  server ? "server" : "client",
                  strcmp (name, "NULL") == 0 ? "no server role (NULL has none)"
                  : strcmp (name, "PLAIN") == 0 ? "plainUsername / plainPassword of VCHAR"
                  : server ? "curveSecretKey (40 Z85 characters)"
                           : "curveServerKey (40 Z85 characters)");
        return zw_control_failed (why);
    }
    return NULL;
}

/*  Applies every option of open.  Returns NULL when all are applied, else
    the reply (unsupported for an option it does not know).  */
static json_t *
apply_options (adapter *a, zw_socket *socket, json_t *options)
{
    const char *name;
    json_t *value;
    if (!options || json_is_null (options))
        return NULL;
    if (!json_is_object (options))
        return zw_control_failed ("options must be an object");
    json_object_foreach (options, name, value) {
        const adapter_option *o = find_option (name);
        if (!o)
            return unsupported (a);
        if (apply_option (socket, o, value) < 0) {
            char why[256];
            snprintf (why, sizeof why, "option %s: zwire does not take this value", name);
            return zw_control_failed (why);
        }
    }
    return apply_security (a, socket, options);
}

static json_t *
op_open (adapter *a, json_t *request, adapter_socket *unused)
{
    (void) unused;
    const char *type_name = json_string_value (json_object_get (request, "type"));
    if (!type_name)
        return zw_control_failed ("open needs a type");
    int type = zw_socket_type_parse (type_name);
    if (type < 0)
        return unsupported (a);
    adapter_socket *s = calloc (1, sizeof *s);
    if (!s || !(s->socket = zw_socket_new (a->ctx, type))) {
        free (s);
        return zw_control_failed ("out of memory");
    }
    if (a->only_v2)
        zw_socket_set_int (s->socket, ZW_OPT_ZMTP_MAJOR, 2);
    json_t *refusal = apply_options (a, s->socket, json_object_get (request, "options"));
    if (!refusal && !keep_socket (a, s))
        refusal = zw_control_failed ("out of memory");
    if (refusal) {
        free_socket (s);
        return refusal;
    }
    return json_pack ("{s:b, s:s}", "ok", 1, "socket", s->handle);
}

static json_t *
op_bind (adapter *a, json_t *request, adapter_socket *s)
{
    (void) a;
    const char *endpoint = json_string_value (json_object_get (request, "endpoint"));
    if (!endpoint)
        return zw_control_failed ("bind needs an endpoint");
    if (zw_bind (s->socket, endpoint) < 0)
        return failed_errno ("bind");
    return json_pack ("{s:b, s:s}", "ok", 1, "endpoint", zw_socket_last_endpoint (s->socket));
}

static json_t *
op_connect (adapter *a, json_t *request, adapter_socket *s)
{
    (void) a;
    const char *endpoint = json_string_value (json_object_get (request, "endpoint"));
    if (!endpoint)
        return zw_control_failed ("connect needs an endpoint");
    if (zw_connect (s->socket, endpoint) < 0)
        return failed_errno ("connect");
    return zw_control_ok ();
}

/* The request's timeout in ms (0: do not wait, negative: no limit); 0 if it has none. */
static int
timeout_of (json_t *request, int *timeout)
{
    json_t *t = json_object_get (request, "timeout");
    if (!json_is_integer (t))
        return 0;
    json_int_t ms = json_integer_value (t);
    *timeout = ms < 0 ? -1 : ms > INT32_MAX ? INT32_MAX : (int) ms;
    return 1;
}

static json_t *
op_send (adapter *a, json_t *request, adapter_socket *s)
{
    (void) a;
    int timeout;
    if (!timeout_of (request, &timeout))
        return zw_control_failed ("send needs a timeout (ms)");
    zw_msg *msg = zw_control_message (json_object_get (request, "frames"));
    if (!msg)
        return zw_control_failed ("send needs frames: a non-empty list of hex strings");
    if (zw_send (s->socket, msg, timeout) == 0)
        return zw_control_ok ();
    zw_msg_destroy (msg);
    return zw_control_failed (zw_control_error_text (errno));
}

/*  Who sent msg, as its connection's handshake established it (zw_msg_auth,
    DECISIONS S8): the capability authIdentity of ADAPTER.md.  */
static json_t *
auth_of (const zw_msg *msg)
{
    const zw_auth *auth = zw_msg_auth (msg);
    if (!auth)
        return NULL;
    json_t *out = json_pack ("{s:s}", "mechanism", auth->mechanism);
    json_t *user = json_stringn ((const char *) auth->user_id, auth->user_id_size);
    if (user)                       /* a user id that is no UTF-8 is left out */
        json_object_set_new (out, "userId", user);
    if (auth->has_public_key)
        json_object_set_new (out, "curveKey", json_string (auth->public_key_z85));
    return out;
}

static json_t *
op_recv (adapter *a, json_t *request, adapter_socket *s)
{
    (void) a;
    int timeout;
    zw_msg *msg;
    if (!timeout_of (request, &timeout))
        return zw_control_failed ("recv needs a timeout (ms)");
    if (zw_recv (s->socket, &msg, timeout) < 0)
        return zw_control_failed (zw_control_error_text (errno));
    json_t *reply = json_pack ("{s:b, s:o}", "ok", 1, "frames", zw_control_frames (msg));
    json_t *auth = auth_of (msg);
    if (auth)
        json_object_set_new (reply, "auth", auth);
    zw_msg_destroy (msg);
    return reply;
}

static json_t *
subscription (json_t *request, adapter_socket *s, zw_option option)
{
    json_t *topic = json_object_get (request, "topic");
    if (!json_is_string (topic))
        return zw_control_failed ("topic must be a hex string");
    if (set_hex (s->socket, option, topic) < 0)
        return zw_control_failed ("topic must be hex, and only SUB and XSUB subscribe");
    return zw_control_ok ();
}

static json_t *
op_subscribe (adapter *a, json_t *request, adapter_socket *s)
{
    (void) a;
    return subscription (request, s, ZW_OPT_SUBSCRIBE);
}

static json_t *
op_unsubscribe (adapter *a, json_t *request, adapter_socket *s)
{
    (void) a;
    return subscription (request, s, ZW_OPT_UNSUBSCRIBE);
}

static json_t *
op_close (adapter *a, json_t *request, adapter_socket *s)
{
    (void) request;
    forget_socket (a, s);           /* with the socket's own linger */
    return zw_control_ok ();
}

static json_t *
op_quit (adapter *a, json_t *request, adapter_socket *unused)
{
    (void) request;
    (void) unused;
    a->stopping = 1;
    a->status = ZW_EXIT_OK;
    return zw_control_ok ();
}

typedef json_t *(op_fn) (adapter *a, json_t *request, adapter_socket *s);

static const struct {
    const char *name;
    int on_socket;                  /* the request names an open socket */
    op_fn *run;
} ops[] = {
    { "open", 0, op_open }, { "bind", 1, op_bind }, { "connect", 1, op_connect },
    { "send", 1, op_send }, { "recv", 1, op_recv }, { "subscribe", 1, op_subscribe },
    { "unsubscribe", 1, op_unsubscribe }, { "close", 1, op_close },
    { "quit", 0, op_quit },
};

#define OP_COUNT (sizeof ops / sizeof ops[0])

static json_t *
execute (adapter *a, json_t *request)
{
    const char *op = json_string_value (json_object_get (request, "op"));
    if (!json_object_get (request, "id"))
        return zw_control_failed ("a request needs an id");
    if (!op)
        return zw_control_failed ("a request needs an op");
    for (size_t i = 0; i < OP_COUNT; i++) {
        if (strcmp (ops[i].name, op) != 0)
            continue;
        if (!ops[i].on_socket)
            return ops[i].run (a, request, NULL);
        const char *handle = json_string_value (json_object_get (request, "socket"));
        adapter_socket *s = handle ? find_socket (a, handle) : NULL;
        if (!s)
            return zw_control_failed (handle ? "no open socket by that name"
                                             : "the request needs a socket");
        return ops[i].run (a, request, s);
    }
    return unsupported (a);
}

/* --- requests and replies ---------------------------------------------------------------------------- */

/* The reply to one line: the answer with the request's id first (null if it had none). */
static void
handle_line (adapter *a, const char *line)
{
    json_error_t error;
    json_t *request = json_loads (line, 0, &error);
    json_t *answer;
    if (json_is_object (request))
        answer = execute (a, request);
    else {
        char why[256];
        snprintf (why, sizeof why, "each line is one JSON object (%s)",
                  request ? "not an object" : error.text);
        answer = zw_control_failed (why);
    }
    json_t *id = json_object_get (request, "id");
    json_t *reply = json_pack ("{s:O}", "id", id ? id : json_null ());
    if (reply && answer)
        json_object_update (reply, answer);
    json_decref (answer);
    json_decref (request);
    zw_control_reply (reply);
}

/*  A 2.0-only adapter declares 2.0 alone, and no heartbeat (2.0 has no PING);
    otherwise 2.0 is what the stack steps down to.  */
static json_t *
capabilities (int only_v2)
{
    json_t *types = json_array (), *options = json_array ();
    for (int type = 0; zw_socket_type_name ((zw_socket_type) type); type++)
        json_array_append_new (types, json_string (zw_socket_type_name ((zw_socket_type) type)));
    for (size_t i = 0; i < ADAPTER_OPTION_COUNT; i++)     /* 2.0 has no mechanisms */
        if (!only_v2 || (adapter_options[i].kind != AS_TEXT
                         && adapter_options[i].kind != AS_SECURITY))
            json_array_append_new (options, json_string (adapter_options[i].name));
    json_t *versions = only_v2 ? json_pack ("[s]", "2.0") : json_pack ("[s,s,s]", "2.0", "3.0", "3.1");
    json_t *hello = json_pack ("{s:o, s:[s], s:o, s:[s,s], s:[s,s], s:b, s:o}",
                               "zmtp", versions, "mechanisms", "NULL", "socketTypes", types,
                               "roles", "bind", "connect", "transports", "tcp", "ipc",
                               "heartbeat", !only_v2, "options", options);
    if (!only_v2) {                 /* 2.0 has no mechanisms */
        json_object_set_new (hello, "mechanisms", json_pack ("[s,s,s]", "NULL", "PLAIN", "CURVE"));
        json_object_set_new (hello, "mechanismRoles",
                             json_pack ("{s:[s,s], s:[s,s]}", "PLAIN", "client", "server",
                                        "CURVE", "client", "server"));
        json_object_set_new (hello, "zapPolicy", json_true ());
        json_object_set_new (hello, "authIdentity",
                             json_pack ("[s,s,s]", "mechanism", "userId", "curveKey"));
    }
    return hello;
}

static void
say_hello (int only_v2)
{
    zw_control_reply (json_pack ("{s:i, s:{s:s, s:s}, s:o}", "zwireAdapter", CONTRACT_VERSION,
                                 "implementation", "name", only_v2 ? "zwire-2.0" : "zwire",
                                 "version", ZW_CLI_VERSION,
                                 "capabilities", capabilities (only_v2)));
}

/* The open sockets' zw_socket pointers, for zw_control_next_line to poll. */
static const char *
next_request (adapter *a, zw_control_input *input)
{
    zw_socket *polled[a->count + 1];
    for (size_t i = 0; i < a->count; i++)
        polled[i] = a->sockets[i]->socket;
    return zw_control_next_line (input, polled, a->count);
}

int
zw_cli_adapter (int argc, char **argv)
{
    int only_v2 = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0) {
            usage (stdout);
            return ZW_EXIT_OK;
        }
        if (strcmp (argv[i], "--zmtp") == 0) {
            if (i + 1 >= argc || strcmp (argv[i + 1], "2.0") != 0) {
                fprintf (stderr, "zwire adapter: --zmtp takes 2.0 only (3.1 and 3.0 are the "
                                 "default, chosen per socket by the zmtpMinor option)\n");
                return ZW_EXIT_USAGE;
            }
            only_v2 = 1, i++;
            continue;
        }
        fprintf (stderr, "zwire adapter: unknown argument '%s' (see --help)\n", argv[i]);
        return ZW_EXIT_USAGE;
    }
    adapter a = { .ctx = zw_ctx_new (), .status = ZW_EXIT_OK, .only_v2 = only_v2 };
    if (!a.ctx) {
        fprintf (stderr, "zwire adapter: no context: %s\n", strerror (errno));
        return ZW_EXIT_VIOLATION;
    }
    zw_control_input input = { 0 };
    const char *line;
    say_hello (a.only_v2);
    /* the end of input is a quit */
    while (!a.stopping && (line = next_request (&a, &input)))
        handle_line (&a, line);
    close_all (&a);
    zw_ctx_destroy (a.ctx);
    peer_security_free (&a.policy);
    json_decref (a.policy_json);
    zw_control_input_free (&input);
    return a.status;
}
