/*  zw_handshake.c — whole CurveZMQ and PLAIN connections from a vector's
    input (vectors/FORMAT.md, "Handshakes"); zw_handshake.h says what each
    function does.

    Clauses exercised: the CURVE layer's (curve.hello.*, curve.welcome.*,
    curve.initiate.*, curve.vouch.*, curve.ready.*, curve.message.*, the
    receivers' check and nonce clauses) and the PLAIN layouts
    (plain.hello.layout, plain.welcome.layout, plain.initiate.metadata,
    plain.ready.metadata, plain.error.layout).

    Invariants: the random script holds the octets the next call into the
    CURVE layer may draw; every call that draws is bracketed by
    script_begin and script_end, which notes a problem unless exactly the
    scripted octets were drawn.  A run stops at the first command a side
    could not make or would not take.  */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "zw_handshake.h"
#include "zmtp_metadata.h"

#define KEY ZW_CURVE_KEY_SIZE
#define LONG_NONCE ZW_HANDSHAKE_LONG_NONCE

/* --- the scripted randomness (DECISIONS S10: a test program's own definition) ------------ */

static struct {
    uint8_t data[2 * KEY + 2 * LONG_NONCE];
    size_t size, used;
    int overrun;
} script;

/*  The layer's every random octet: the next ones of the script.  Drawing
    past its end gives zeros and is noted (script_end).  */
void
zw_curve_random (uint8_t *out, size_t n)
{
    if (n > script.size - script.used) {
        script.overrun = 1;
        memset (out, 0, n);
        return;
    }
    memcpy (out, script.data + script.used, n);
    script.used += n;
}

/* The octets the next call may draw: count pieces of sizes[i] octets. */
static void
script_begin (const uint8_t *const *pieces, const size_t *sizes, int count)
{
    script.size = script.used = 0;
    script.overrun = 0;
    for (int i = 0; i < count; i++) {
        memcpy (script.data + script.size, pieces[i], sizes[i]);
        script.size += sizes[i];
    }
}

static void
note (json_t *problems, const char *format, ...) __attribute__ ((format (printf, 2, 3)));

static void
note (json_t *problems, const char *format, ...)
{
    char text[512];
    va_list args;
    va_start (args, format);
    vsnprintf (text, sizeof text, format, args);
    va_end (args);
    json_array_append_new (problems, json_string (text));
}

static void
script_end (json_t *problems, const char *call)
{
    if (script.overrun || script.used != script.size)
        note (problems, "%s drew %s random octets than the vector gives (%zu scripted): has the "
              "layer's order of draws changed?", call, script.overrun ? "more" : "fewer",
              script.size);
    sodium_memzero (script.data, sizeof script.data);
    script.size = script.used = 0;
}

/* --- input ------------------------------------------------------------------------------ */

static int
hex_digit (char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

int
zw_handshake_unhex (const char *text, zw_bytes *out)
{
    size_t n = text ? strlen (text) : 1;
    if (n % 2)
        return -1;
    for (size_t i = 0; i < n; i += 2) {
        int hi = hex_digit (text[i]), lo = hex_digit (text[i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        uint8_t octet = (uint8_t) (hi << 4 | lo);
        zw_bytes_add (out, &octet, 1);
    }
    return 0;
}

int
zw_handshake_unhex_fixed (json_t *value, uint8_t *out, size_t size)
{
    zw_bytes b = { 0 };
    int ok = json_is_string (value) && zw_handshake_unhex (json_string_value (value), &b) == 0
          && b.len == size;
    if (ok)
        memcpy (out, b.data, size);
    zw_bytes_free (&b);
    return ok ? 0 : -1;
}

static json_t *
field (json_t *object, const char *path)
{
    char name[64];
    const char *dot = strchr (path, '.');
    if (!dot)
        return json_object_get (object, path);
    snprintf (name, sizeof name, "%.*s", (int) (dot - path), path);
    return field (json_object_get (object, name), dot + 1);
}

/* A required fixed-size hex field; 0 and a message in err if it is not one. */
static int
fixed (json_t *input, const char *path, uint8_t *out, size_t size, char *err, size_t err_size)
{
    if (zw_handshake_unhex_fixed (field (input, path), out, size) == 0)
        return 1;
    snprintf (err, err_size, "input.%s: not %zu octets of hex", path, size);
    return 0;
}

/* A property list (FORMAT.md: [{"name", "value"}]) in the ZMTP 3.0 layout. */
static int
metadata (json_t *list, zw_bytes *out, const char *path, char *err, size_t err_size)
{
    if (!json_is_array (list)) {
        snprintf (err, err_size, "input.%s: not a property list", path);
        return 0;
    }
    for (size_t i = 0; i < json_array_size (list); i++) {
        json_t *p = json_array_get (list, i);
        const char *name = json_string_value (json_object_get (p, "name"));
        zw_bytes value = { 0 };
        int ok = name && json_is_string (json_object_get (p, "value"))
              && zw_handshake_unhex (json_string_value (json_object_get (p, "value")), &value) == 0;
        size_t need = 1 + (name ? strlen (name) : 0) + 4 + value.len;
        uint8_t *buf = malloc (need);
        if (!buf)
            abort ();
        size_t n = ok ? zw_zmtp_metadata_pack (buf, need, name, strlen (name), value.data,
                                              value.len) : 0;
        if (n)
            zw_bytes_add (out, buf, n);
        free (buf);
        zw_bytes_free (&value);
        if (!n) {
            snprintf (err, err_size, "input.%s[%zu]: not a property the codec can pack", path, i);
            return 0;
        }
    }
    return 1;
}

static int
hex_field (json_t *value, zw_bytes *out, const char *path, char *err, size_t err_size)
{
    if (json_is_string (value) && zw_handshake_unhex (json_string_value (value), out) == 0)
        return 1;
    snprintf (err, err_size, "input.%s: not hex", path);
    return 0;
}

/*  A permanent pair: from its secret key; the public key and the Z85
    texts, when given, must agree.  */
static int
permanent (json_t *input, const char *side, zw_curvezmq_keypair *pair, json_t *problems,
           char *err, size_t err_size)
{
    char path[64];
    uint8_t secret[KEY], given[KEY];
    snprintf (path, sizeof path, "%s.secretKey", side);
    if (!fixed (input, path, secret, KEY, err, err_size))
        return 0;
    zw_curvezmq_keypair_from_secret (pair, secret);
    sodium_memzero (secret, KEY);
    json_t *public_key = field (field (input, side), "publicKey");
    if (public_key) {
        snprintf (path, sizeof path, "%s.publicKey", side);
        if (!fixed (input, path, given, KEY, err, err_size))
            return 0;
        if (memcmp (given, pair->public_key, KEY) != 0)
            note (problems, "input.%s.publicKey is not the public key of %s.secretKey", side, side);
    }
    static const char *names[2] = { "publicKeyZ85", "secretKeyZ85" };
    for (int i = 0; i < 2; i++) {
        json_t *text = field (field (input, side), names[i]);
        if (!text)
            continue;
        char want[ZW_CURVEZMQ_Z85_KEY_SIZE + 1];
        zw_curvezmq_key_to_z85 (want, i == 0 ? pair->public_key : pair->secret_key);
        if (!json_is_string (text) || strcmp (json_string_value (text), want) != 0)
            note (problems, "input.%s.%s is not the Z85 text of the key (%s)", side, names[i], want);
    }
    return 1;
}

static int
transient (json_t *input, const char *path, zw_curvezmq_keypair *pair, char *err, size_t err_size)
{
    uint8_t secret[KEY];
    if (!fixed (input, path, secret, KEY, err, err_size))
        return 0;
    zw_curvezmq_keypair_from_secret (pair, secret);
    sodium_memzero (secret, KEY);
    return 1;
}

static int
messages (json_t *list, zw_handshake_curve_input *in, char *err, size_t err_size)
{
    if (!list)
        return 1;
    if (!json_is_array (list)) {
        snprintf (err, err_size, "input.messages: not a list");
        return 0;
    }
    in->message_count = json_array_size (list);
    in->messages = calloc (in->message_count + 1, sizeof *in->messages);
    if (!in->messages)
        abort ();
    for (size_t i = 0; i < in->message_count; i++) {
        json_t *m = json_array_get (list, i);
        const char *from = json_string_value (json_object_get (m, "from"));
        json_t *flags = json_object_get (m, "flags");
        char path[64];
        snprintf (path, sizeof path, "messages[%zu].data", i);
        if (!from || (strcmp (from, "client") != 0 && strcmp (from, "server") != 0)
        ||  !json_is_integer (flags) || json_integer_value (flags) < 0
        ||  json_integer_value (flags) > 255) {
            snprintf (err, err_size, "input.messages[%zu]: from client or server, flags 0..255", i);
            return 0;
        }
        in->messages[i].from_server = strcmp (from, "server") == 0;
        in->messages[i].flags = (uint8_t) json_integer_value (flags);
        if (!hex_field (json_object_get (m, "data"), &in->messages[i].data, path, err, err_size))
            return 0;
    }
    return 1;
}

static int
deliver (json_t *d, zw_handshake_curve_input *in, char *err, size_t err_size)
{
    if (!d)
        return 1;
    json_t *at = json_object_get (d, "at");
    const char *to = json_string_value (json_object_get (d, "to"));
    if (!json_is_integer (at) || json_integer_value (at) < 0
    ||  !to || (strcmp (to, "client") != 0 && strcmp (to, "server") != 0)) {
        snprintf (err, err_size, "input.deliver: at (a command index) and to (client, server)");
        return 0;
    }
    in->has_deliver = 1;
    in->deliver_at = (size_t) json_integer_value (at);
    in->deliver_to_server = strcmp (to, "server") == 0;
    return hex_field (json_object_get (d, "body"), &in->deliver_body, "deliver.body", err,
                      err_size);
}

int
zw_handshake_curve_parse (json_t *input, zw_handshake_curve_input *in, char *err, size_t err_size)
{
    memset (in, 0, sizeof *in);
    in->problems = json_array ();
    if (sodium_init () < 0) {
        snprintf (err, err_size, "libsodium could not start");
        return 0;
    }
    if (!json_is_object (input)) {
        snprintf (err, err_size, "input is not an object");
        return 0;
    }
    json_t *error = field (input, "server.error");
    in->has_error = error != NULL;
    return permanent (input, "client", &in->client, in->problems, err, err_size)
        && permanent (input, "server", &in->server, in->problems, err, err_size)
        && transient (input, "client.transientSecretKey", &in->client_transient, err, err_size)
        && transient (input, "server.transientSecretKey", &in->server_transient, err, err_size)
        && fixed (input, "server.cookieKey", in->cookie_key, KEY, err, err_size)
        && fixed (input, "server.cookieNonce", in->cookie_nonce, LONG_NONCE, err, err_size)
        && fixed (input, "server.welcomeNonce", in->welcome_nonce, LONG_NONCE, err, err_size)
        && fixed (input, "client.vouchNonce", in->vouch_nonce, LONG_NONCE, err, err_size)
        && metadata (field (input, "client.metadata"), &in->client_metadata, "client.metadata",
                     err, err_size)
        && metadata (field (input, "server.metadata"), &in->server_metadata, "server.metadata",
                     err, err_size)
        && (!error || hex_field (error, &in->error_reason, "server.error", err, err_size))
        && messages (json_object_get (input, "messages"), in, err, err_size)
        && deliver (json_object_get (input, "deliver"), in, err, err_size);
}

void
zw_handshake_curve_free (zw_handshake_curve_input *in)
{
    for (size_t i = 0; i < in->message_count; i++)
        zw_bytes_free (&in->messages[i].data);
    free (in->messages);
    zw_bytes_free (&in->client_metadata);
    zw_bytes_free (&in->server_metadata);
    zw_bytes_free (&in->error_reason);
    zw_bytes_free (&in->deliver_body);
    json_decref (in->problems);
    sodium_memzero (in, sizeof *in);
}

/* --- the CURVE exchange ----------------------------------------------------------------- */

enum { HELLO = 0, WELCOME = 1, INITIATE = 2, READY = 3, FIRST_MESSAGE = 4 };
static const char *step_names[FIRST_MESSAGE] = { "HELLO", "WELCOME", "INITIATE", "READY" };

typedef struct {
    const zw_handshake_curve_input *in;
    zw_curvezmq_ctx client, server;
    json_t *commands, *problems;
    zw_error refusal;               /* the first command a side would not take */
    size_t refused_at;
} curve_run;

/* Commands of a genuine run: four (or ERROR for READY), then the MESSAGEs. */
static size_t
genuine_count (const zw_handshake_curve_input *in)
{
    return FIRST_MESSAGE + (in->has_error ? 0 : in->message_count);
}

static int
step_from_server (const curve_run *r, size_t i)
{
    if (i < FIRST_MESSAGE)
        return i == WELCOME || i == READY;
    return r->in->messages[i - FIRST_MESSAGE].from_server;
}

static const char *
step_name (const curve_run *r, size_t i)
{
    if (i == READY && r->in->has_error)
        return "ERROR";
    return i < FIRST_MESSAGE ? step_names[i] : "MESSAGE";
}

static void
refuse (curve_run *r, size_t i, const zw_error *e)
{
    r->refusal = *e;
    if (r->refusal.code == ZW_OK)
        r->refusal.code = ZW_ERR_MISUSE;
    r->refusal.offset = i;          /* a command index (FORMAT.md, "Handshakes") */
    r->refused_at = i;
}

static int
ctx_refused (curve_run *r, size_t i, zw_curvezmq_ctx *ctx)
{
    refuse (r, i, zw_curvezmq_error (ctx));
    return -1;
}

/* A body that should have opened to want opened to got. */
static void
compare_opened (curve_run *r, size_t i, const char *what, const uint8_t *got, size_t got_size,
                const uint8_t *want, size_t want_size)
{
    if (got_size != want_size || (want_size && memcmp (got, want, want_size) != 0))
        note (r->problems, "command %zu (%s): %s did not open to what the input gives", i,
              step_name (r, i), what);
}

/*  Hands body to the side that receives command i; 0 if it takes it, -1
    if it refuses (recorded).  genuine: the body is the sender's own, so
    what opens must be the input's.  */
static int
take (curve_run *r, size_t i, int to_server, const uint8_t *body, size_t size, int genuine)
{
    zw_curvezmq_ctx *ctx = to_server ? &r->server : &r->client;
    if (i >= FIRST_MESSAGE) {
        uint8_t *copy = malloc (size + 1);
        if (!copy)
            abort ();
        if (size)
            memcpy (copy, body, size);
        zw_curvezmq_plain payload;
        int rc = zw_curvezmq_message_decode (ctx, copy, size, &payload);
        if (rc == 0 && genuine) {
            const zw_handshake_message *m = &r->in->messages[i - FIRST_MESSAGE];
            if (payload.flags != m->flags)
                note (r->problems, "command %zu (MESSAGE): flags %u opened, %u sent", i,
                      payload.flags, m->flags);
            compare_opened (r, i, "the payload", payload.data, payload.size, m->data.data,
                            m->data.len);
        }
        free (copy);
        return rc ? ctx_refused (r, i, ctx) : 0;
    }
    zw_zmtp_command cmd;
    const uint8_t *part;
    size_t part_size;
    zw_error e = { 0 };
    if (zw_curvezmq_body_read (body, size, &cmd, &part, &part_size, &e) != 0) {
        refuse (r, i, &e);
        return -1;
    }
    size_t cap = part_size + 1;
    uint8_t *plain = malloc (cap);
    zw_curvezmq_plain meta = { 0, NULL, 0 };
    int rc = 0;
    if (!plain)
        abort ();
    switch (i) {
        case HELLO:
            rc = zw_curvezmq_server_open_hello (ctx, &cmd);
            break;
        case WELCOME:
            rc = zw_curvezmq_client_open_welcome (ctx, &cmd);
            break;
        case INITIATE:
            rc = zw_curvezmq_server_open_initiate (ctx, &cmd, part, part_size, plain, cap, &meta);
            if (rc == 0 && genuine) {
                compare_opened (r, i, "the client key C", ctx->client_key, KEY,
                                r->in->client.public_key, KEY);
                compare_opened (r, i, "the metadata", meta.data, meta.size,
                                r->in->client_metadata.data, r->in->client_metadata.len);
            }
            break;
        case READY:
            if (r->in->has_error) {
                /* ERROR is not boxed: the client reads its reason (curve.error.size) */
                if (cmd.id != ZW_COMMAND_ERROR)
                    note (r->problems, "command 3: ERROR expected");
                else
                    compare_opened (r, i, "the reason", cmd.u.reason.data, cmd.u.reason.size,
                                    r->in->error_reason.data, r->in->error_reason.len);
                break;
            }
            rc = zw_curvezmq_client_open_ready (ctx, &cmd, part, part_size, plain, cap, &meta);
            if (rc == 0 && genuine)
                compare_opened (r, i, "the metadata", meta.data, meta.size,
                                r->in->server_metadata.data, r->in->server_metadata.len);
            break;
    }
    free (plain);
    return rc ? ctx_refused (r, i, ctx) : 0;
}

static void
add_command (curve_run *r, size_t i, const uint8_t *body, size_t size)
{
    json_array_append_new (r->commands,
                           json_pack ("{s:s, s:s, s:o}", "from",
                                      step_from_server (r, i) ? "server" : "client",
                                      "name", step_name (r, i), "body", zw_report_hex (body, size)));
}

/*  The sender of command i makes it into out; 0, or -1 with a problem
    noted (a side that cannot make a command is the runner's failure).  */
static int
make (curve_run *r, size_t i, zw_bytes *out)
{
    const zw_handshake_curve_input *in = r->in;
    zw_zmtp_command cmd;
    size_t box_size = 0, cap = 256 + in->client_metadata.len + in->server_metadata.len
                                    + in->error_reason.len;
    if (i >= FIRST_MESSAGE)
        cap += in->messages[i - FIRST_MESSAGE].data.len;
    uint8_t *box = malloc (cap), *body = malloc (cap + 256);
    int rc = 0;
    if (!box || !body)
        abort ();
    zw_curvezmq_ctx *sender = step_from_server (r, i) ? &r->server : &r->client;
    if (i == HELLO) {
        rc = zw_curvezmq_client_hello (sender, &cmd);
    } else if (i == WELCOME) {
        const uint8_t *draws[4] = { in->server_transient.secret_key, in->cookie_key,
                                    in->cookie_nonce, in->welcome_nonce };
        const size_t sizes[4] = { KEY, KEY, LONG_NONCE, LONG_NONCE };
        script_begin (draws, sizes, 4);
        rc = zw_curvezmq_server_welcome (sender, &cmd);
        script_end (r->problems, "zw_curvezmq_server_welcome (s', K, cookie nonce, WELCOME nonce)");
    } else if (i == INITIATE) {
        const uint8_t *draws[1] = { in->vouch_nonce };
        const size_t sizes[1] = { LONG_NONCE };
        struct iovec meta = { in->client_metadata.data, in->client_metadata.len };
        script_begin (draws, sizes, 1);
        rc = zw_curvezmq_client_initiate (sender, &meta, 1, &cmd, box, cap, &box_size);
        script_end (r->problems, "zw_curvezmq_client_initiate (vouch nonce)");
    } else if (i == READY && in->has_error) {
        memset (&cmd, 0, sizeof cmd);
        cmd.id = ZW_COMMAND_ERROR;
        cmd.name_size = 5;
        memcpy (cmd.name, "ERROR", 5);
        if (in->error_reason.len > 255) {
            note (r->problems, "server.error: a reason of more than 255 octets");
            rc = -1;
        } else {
            cmd.u.reason.size = (uint8_t) in->error_reason.len;
            if (in->error_reason.len)
                memcpy (cmd.u.reason.data, in->error_reason.data, in->error_reason.len);
        }
    } else if (i == READY) {
        struct iovec meta = { in->server_metadata.data, in->server_metadata.len };
        rc = zw_curvezmq_server_ready (sender, &meta, 1, &cmd, box, cap, &box_size);
    } else {
        const zw_handshake_message *m = &in->messages[i - FIRST_MESSAGE];
        struct iovec data = { m->data.data, m->data.len };
        size_t size;
        rc = zw_curvezmq_message_encode (sender, m->flags, &data, 1, body, cap + 256, &size);
        if (rc == 0)
            zw_bytes_add (out, body, size);
    }
    if (rc == 0 && i < FIRST_MESSAGE) {
        size_t size = zw_curvezmq_body_write (body, cap + 256, &cmd, box, box_size);
        if (size)
            zw_bytes_add (out, body, size);
        else
            rc = -1;
    }
    if (rc != 0) {
        const zw_error *e = zw_curvezmq_error (sender);
        note (r->problems, "the %s could not make command %zu (%s): %s",
              step_from_server (r, i) ? "server" : "client", i, step_name (r, i),
              e && e->reason ? e->reason : "no room");
    }
    free (box);
    free (body);
    return rc;
}

static json_t *
transient_keys (const zw_handshake_curve_input *in)
{
    return json_pack ("{s:o, s:o}",
                      "client", zw_report_hex (in->client_transient.public_key, KEY),
                      "server", zw_report_hex (in->server_transient.public_key, KEY));
}

/* Where the tampered body goes: the receiver of command at, or the one the vector names. */
static int
deliver_checks (curve_run *r)
{
    const zw_handshake_curve_input *in = r->in;
    if (!in->has_deliver)
        return 0;
    if (in->deliver_at > genuine_count (in)) {
        note (r->problems, "deliver.at %zu is past the %zu commands of the exchange",
              in->deliver_at, genuine_count (in));
        return -1;
    }
    if (in->deliver_at < FIRST_MESSAGE
    &&  in->deliver_to_server != !(in->deliver_at == WELCOME || in->deliver_at == READY)) {
        note (r->problems, "deliver.to is not the receiver of command %zu", in->deliver_at);
        return -1;
    }
    if (in->has_error && in->deliver_at >= READY) {
        note (r->problems, "deliver after an ERROR exchange");
        return -1;
    }
    return 0;
}

json_t *
zw_handshake_curve_exchange (const zw_handshake_curve_input *in)
{
    curve_run r;
    memset (&r, 0, sizeof r);
    r.in = in;
    r.commands = json_array ();
    r.problems = json_deep_copy (in->problems);
    r.refused_at = (size_t) -1;
    const uint8_t *draws[1] = { in->client_transient.secret_key };
    const size_t sizes[1] = { KEY };
    script_begin (draws, sizes, 1);
    int rc = zw_curvezmq_client_init (&r.client, &in->client, in->server.public_key);
    script_end (r.problems, "zw_curvezmq_client_init (c')");
    if (rc == 0 && memcmp (r.client.client_transient, in->client_transient.public_key, KEY) != 0)
        note (r.problems, "the client's C' is not the public key of client.transientSecretKey");
    if (rc != 0 || zw_curvezmq_server_init (&r.server, &in->server) != 0)
        note (r.problems, "a side could not start");
    else if (deliver_checks (&r) == 0) {
        size_t count = genuine_count (in);
        for (size_t i = 0; i <= count; i++) {
            if (in->has_deliver && i == in->deliver_at) {
                take (&r, i, in->deliver_to_server, in->deliver_body.data, in->deliver_body.len, 0);
                break;
            }
            if (i == count)
                break;
            zw_bytes body = { 0 };
            if (make (&r, i, &body) != 0) {
                zw_bytes_free (&body);
                break;
            }
            add_command (&r, i, body.data, body.len);
            int taken = take (&r, i, !step_from_server (&r, i), body.data, body.len, 1);
            zw_bytes_free (&body);
            if (taken != 0)
                break;
        }
    }
    json_t *report = zw_report_base (r.refused_at != (size_t) -1 ? &r.refusal : NULL, 1);
    json_object_set_new (report, "transientKeys", transient_keys (in));
    json_object_set_new (report, "commands", r.commands);
    if (json_array_size (r.problems))
        json_object_set_new (report, "problems", r.problems);
    else
        json_decref (r.problems);
    zw_curvezmq_wipe (&r.client);
    zw_curvezmq_wipe (&r.server);
    return report;
}

static json_t *
input_error (const char *err)
{
    return json_pack ("{s:s, s:n, s:[s]}", "state", "error", "error", "problems", err);
}

json_t *
zw_handshake_curve_run (json_t *input)
{
    zw_handshake_curve_input in;
    char err[256];
    json_t *report = zw_handshake_curve_parse (input, &in, err, sizeof err)
                   ? zw_handshake_curve_exchange (&in) : input_error (err);
    zw_handshake_curve_free (&in);
    return report;
}

/* --- PLAIN -------------------------------------------------------------------------------- */

typedef struct {
    json_t *commands, *problems;
    zw_report_params params;        /* the command decoder, mechanism PLAIN */
} plain_run;

static void
name_command (zw_zmtp_command *cmd, zw_zmtp_command_id id, const char *name)
{
    memset (cmd, 0, sizeof *cmd);
    cmd->id = id;
    cmd->name_size = (uint8_t) strlen (name);
    memcpy (cmd->name, name, cmd->name_size);
}

static int
short_string (zw_short_string *s, const zw_bytes *b)
{
    if (b->len > 255)
        return -1;
    s->size = (uint8_t) b->len;
    if (b->len)
        memcpy (s->data, b->data, b->len);
    return 0;
}

/*  Packs cmd (+ the property list meta, for INITIATE and READY), decodes
    it back with the PLAIN command decoder, which must find want (the
    command object of FORMAT.md), and adds it to the commands.  */
static void
plain_command (plain_run *r, const char *from, const zw_zmtp_command *cmd, const zw_bytes *meta,
               json_t *want)
{
    size_t cap = 600 + (meta ? meta->len : 0);
    uint8_t *body = malloc (cap);
    if (!body)
        abort ();
    size_t size = zw_zmtp_command_pack_head (body, cap, ZW_MECHANISM_PLAIN, cmd);
    if (size == 0)
        note (r->problems, "%s: the codec could not pack it", cmd->name);
    if (size && meta && meta->len) {
        memcpy (body + size, meta->data, meta->len);
        size += meta->len;
    }
    zw_chunk whole = { body, size };
    json_t *decoded = zw_report_decode (&r->params, &whole, 1);
    json_t *got = json_object_get (decoded, "command");
    if (!json_equal (got, want)) {
        char *text = json_dumps (got, JSON_COMPACT | JSON_SORT_KEYS);
        note (r->problems, "%s: the PLAIN command decoder found %s", cmd->name,
              text ? text : "nothing");
        free (text);
    }
    json_decref (decoded);
    json_decref (want);
    json_array_append_new (r->commands, json_pack ("{s:s, s:s, s:o}", "from", from, "name",
                                                   cmd->name, "body", zw_report_hex (body, size)));
    free (body);
}

static json_t *
properties_copy (json_t *list)
{
    return json_is_array (list) ? json_deep_copy (list) : json_array ();
}

static void
free_plain_inputs (zw_bytes *a, zw_bytes *b, zw_bytes *c, zw_bytes *d, zw_bytes *e)
{
    zw_bytes_free (a);
    zw_bytes_free (b);
    zw_bytes_free (c);
    zw_bytes_free (d);
    zw_bytes_free (e);
}

json_t *
zw_handshake_plain_run (json_t *input)
{
    plain_run r = { json_array (), json_array (), { 0 } };
    char err[256] = "";
    json_t *params = json_pack ("{s:s}", "mechanism", "PLAIN");
    zw_report_params_parse (&r.params, "command", params, err, sizeof err);
    json_decref (params);
    zw_bytes user = { 0 }, pass = { 0 }, client_meta = { 0 }, server_meta = { 0 }, reason = { 0 };
    json_t *error = field (input, "server.error");
    const char *after = json_string_value (json_object_get (error, "after"));
    int ok = hex_field (field (input, "client.username"), &user, "client.username", err, sizeof err)
          && hex_field (field (input, "client.password"), &pass, "client.password", err, sizeof err)
          && metadata (field (input, "client.metadata"), &client_meta, "client.metadata", err,
                       sizeof err)
          && metadata (field (input, "server.metadata"), &server_meta, "server.metadata", err,
                       sizeof err);
    if (ok && error) {
        ok = after && (strcmp (after, "HELLO") == 0 || strcmp (after, "INITIATE") == 0)
          && hex_field (json_object_get (error, "reason"), &reason, "server.error.reason", err,
                        sizeof err) && reason.len <= 255;
        if (!ok)
            snprintf (err, sizeof err, "input.server.error: after HELLO or INITIATE, a reason "
                      "of 0..255 octets");
    }
    if (!ok || user.len > 255 || pass.len > 255) {
        json_decref (r.commands);
        json_decref (r.problems);
        free_plain_inputs (&user, &pass, &reason, &client_meta, &server_meta);
        return input_error (ok ? "input.client: credentials of 0..255 octets" : err);
    }
    zw_zmtp_command cmd;
    name_command (&cmd, ZW_COMMAND_HELLO, "HELLO");          /* plain.hello.layout */
    short_string (&cmd.u.plain_hello.username, &user);
    short_string (&cmd.u.plain_hello.password, &pass);
    plain_command (&r, "client", &cmd, NULL,
                   json_pack ("{s:s, s:o, s:o}", "name", "HELLO",
                              "username", zw_report_hex (user.data, user.len),
                              "password", zw_report_hex (pass.data, pass.len)));
    for (int step = 0; step < 2; step++) {
        const char *server_step = step == 0 ? "HELLO" : "INITIATE";
        if (error && strcmp (after, server_step) == 0) {     /* plain.error.layout */
            name_command (&cmd, ZW_COMMAND_ERROR, "ERROR");
            short_string (&cmd.u.reason, &reason);
            plain_command (&r, "server", &cmd, NULL,
                           json_pack ("{s:s, s:o}", "name", "ERROR",
                                      "reason", zw_report_hex (reason.data, reason.len)));
            break;
        }
        if (step == 0) {
            name_command (&cmd, ZW_COMMAND_WELCOME, "WELCOME");     /* plain.welcome.layout */
            plain_command (&r, "server", &cmd, NULL, json_pack ("{s:s}", "name", "WELCOME"));
            name_command (&cmd, ZW_COMMAND_INITIATE, "INITIATE");   /* plain.initiate.metadata */
            plain_command (&r, "client", &cmd, &client_meta,
                           json_pack ("{s:s, s:o}", "name", "INITIATE", "properties",
                                      properties_copy (field (input, "client.metadata"))));
        } else {
            name_command (&cmd, ZW_COMMAND_READY, "READY");         /* plain.ready.metadata */
            plain_command (&r, "server", &cmd, &server_meta,
                           json_pack ("{s:s, s:o}", "name", "READY", "properties",
                                      properties_copy (field (input, "server.metadata"))));
        }
    }
    free_plain_inputs (&user, &pass, &reason, &client_meta, &server_meta);
    json_t *report = zw_report_base (NULL, 1);
    json_object_set_new (report, "commands", r.commands);
    if (json_array_size (r.problems))
        json_object_set_new (report, "problems", r.problems);
    else
        json_decref (r.problems);
    return report;
}

/* --- the round trip ----------------------------------------------------------------------- */

int
zw_handshake_round_trip (int curve, json_t *report, char *why, size_t why_size)
{
    json_t *commands = json_object_get (report, "commands");
    if (json_array_size (commands) == 0)
        return -1;
    zw_report_params params;
    json_t *p = json_pack ("{s:s}", "mechanism", curve ? "CURVE" : "PLAIN");
    zw_report_params_parse (&params, "command", p, why, why_size);
    json_decref (p);
    for (size_t i = 0; i < json_array_size (commands); i++) {
        zw_bytes body = { 0 };
        zw_handshake_unhex (json_string_value (json_object_get (json_array_get (commands, i),
                                                                "body")), &body);
        char inner[200] = "";
        int rc = zw_report_round_trip (&params, body.data, body.len, inner, sizeof inner);
        zw_bytes_free (&body);
        if (rc != 1) {
            snprintf (why, why_size, "command %zu: %s", i,
                      rc == 0 ? inner : "does not decode completely");
            return 0;
        }
    }
    return 1;
}
