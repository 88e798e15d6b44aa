/*  zw_report.c — the normal-form report of each zwire C decoder
    (vectors/FORMAT.md) and the encode(decode(x)) == x check.

    One capture structure per decoder collects what the callbacks report;
    the report and the re-encoding are both built from it.  */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "zw_report.h"
#include "zmtp_metadata.h"
#include "z85.h"

/* ---------------------------------------------------------------------- */
/* growable byte buffer                                                    */

void
zw_bytes_add (zw_bytes *b, const uint8_t *data, size_t len)
{
    if (b->len + len > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + len)
            cap *= 2;
        b->data = realloc (b->data, cap);
        if (!b->data)
            abort ();
        b->cap = cap;
    }
    if (len)
        memcpy (b->data + b->len, data, len);
    b->len += len;
}

void
zw_bytes_free (zw_bytes *b)
{
    free (b->data);
    memset (b, 0, sizeof *b);
}

json_t *
zw_report_hex (const uint8_t *data, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    char *text = malloc (2 * len + 1);
    if (!text)
        abort ();
    for (size_t i = 0; i < len; i++) {
        text[2 * i] = digits[data[i] >> 4];
        text[2 * i + 1] = digits[data[i] & 15];
    }
    text[2 * len] = 0;
    json_t *value = json_string (text);
    free (text);
    return value;
}

static json_t *
error_json (const zw_error *e)
{
    if (!e || e->code == ZW_OK)
        return json_null ();
    return json_pack ("{s:s, s:I, s:s}", "class", zw_error_class_name (e->code),
                      "offset", (json_int_t) e->offset, "clause", e->clause ? e->clause : "");
}

json_t *
zw_report_base (const zw_error *e, int complete)
{
    const char *state = e && e->code != ZW_OK ? "error" : complete ? "complete" : "incomplete";
    return json_pack ("{s:s, s:o}", "state", state, "error", error_json (e));
}

static size_t
total_length (const zw_chunk *chunks, size_t count)
{
    size_t total = 0;
    for (size_t i = 0; i < count; i++)
        total += chunks[i].len;
    return total;
}

/* ---------------------------------------------------------------------- */
/* params                                                                  */

static int
mechanism_from_name (const char *name, zw_zmtp_mechanism *out)
{
    if (strcmp (name, "NULL") == 0)       *out = ZW_MECHANISM_NULL;
    else if (strcmp (name, "PLAIN") == 0) *out = ZW_MECHANISM_PLAIN;
    else if (strcmp (name, "CURVE") == 0) *out = ZW_MECHANISM_CURVE;
    else return 0;
    return 1;
}

static int
parse_greeting_params (zw_report_params *p, json_t *json, char *err, size_t err_size)
{
    const char *min = json_string_value (json_object_get (json, "minVersion"));
    const char *mechanism = json_string_value (json_object_get (json, "mechanism"));
    p->min_family = ZW_ZMTP_V1;
    if (min && strcmp (min, "2.0") == 0)
        p->min_family = ZW_ZMTP_V2;
    else if (min && (strcmp (min, "3.0") == 0 || strcmp (min, "3.1") == 0))
        p->min_family = ZW_ZMTP_V3;
    else if (min && strcmp (min, "1.0") != 0) {
        snprintf (err, err_size, "unknown minVersion '%s'", min);
        return 0;
    }
    if (mechanism)
        snprintf (p->greeting_mechanism, sizeof p->greeting_mechanism, "%s", mechanism);
    return 1;
}

static int
parse_frames_params (zw_report_params *p, json_t *json, char *err, size_t err_size)
{
    const char *version = json_string_value (json_object_get (json, "zmtpVersion"));
    json_t *max = json_object_get (json, "maxFrameSize");
    p->framing = version && strcmp (version, "2.0") == 0 ? ZW_ZMTP_FRAMING_V2 : ZW_ZMTP_FRAMING_V3;
    p->max_frame_size = ZW_ZMTP_SIZE_MAX;
    if (max && json_is_integer (max))
        p->max_frame_size = (uint64_t) json_integer_value (max);
    else if (max && json_is_real (max))
        p->max_frame_size = (uint64_t) json_real_value (max);
    else if (max) {
        snprintf (err, err_size, "maxFrameSize is not a number");
        return 0;
    }
    return 1;
}

int
zw_report_params_parse (zw_report_params *p, const char *type, json_t *json,
                        char *err, size_t err_size)
{
    const char *mechanism = json_string_value (json_object_get (json, "mechanism"));
    memset (p, 0, sizeof *p);
    p->mechanism = ZW_MECHANISM_NULL;
    if (strcmp (type, "greeting") != 0 && mechanism && !mechanism_from_name (mechanism, &p->mechanism)) {
        snprintf (err, err_size, "unknown mechanism '%s'", mechanism);
        return 0;
    }
    if (strcmp (type, "greeting") == 0) {
        p->type = ZW_REPORT_GREETING;
        return parse_greeting_params (p, json, err, err_size);
    }
    if (strcmp (type, "frames") == 0) {
        p->type = ZW_REPORT_FRAMES;
        return parse_frames_params (p, json, err, err_size);
    }
    if (strcmp (type, "command") == 0)       p->type = ZW_REPORT_COMMAND;
    else if (strcmp (type, "metadata") == 0) p->type = ZW_REPORT_METADATA;
    else if (strcmp (type, "z85") == 0)      p->type = ZW_REPORT_Z85;
    else if (strcmp (type, "mdp") == 0) {
        p->type = ZW_REPORT_MDP;
        return zw_report_mdp_params (p, json, err, err_size);
    } else if (strcmp (type, "flp") == 0) {
        p->type = ZW_REPORT_FLP;
        return zw_report_flp_params (p, json, err, err_size);
    } else if (strcmp (type, "zap") == 0) {
        p->type = ZW_REPORT_ZAP;
        return zw_report_zap_params (p, json, err, err_size);
    } else {
        snprintf (err, err_size, "unknown test group type '%s'", type);
        return 0;
    }
    return 1;
}

/* ---------------------------------------------------------------------- */
/* greeting                                                                */

typedef struct {
    json_t *detected;
    zw_zmtp_greeting greeting;
    int done;
} greeting_capture;

static void
on_detect (void *user, zw_zmtp_family family, uint64_t offset)
{
    greeting_capture *c = user;
    const char *version = family == ZW_ZMTP_V1 ? "1.0" : family == ZW_ZMTP_V2 ? "2.0" : "3";
    json_decref (c->detected);
    c->detected = json_pack ("{s:s, s:I}", "version", version, "offset", (json_int_t) offset);
}

static void
on_greeting (void *user, const zw_zmtp_greeting *greeting)
{
    greeting_capture *c = user;
    c->greeting = *greeting;
    c->done = 1;
}

static const zw_zmtp_greeting_callbacks greeting_callbacks = { on_detect, on_greeting };

static json_t *
greeting_json (const zw_zmtp_greeting *g)
{
    switch (g->family) {
        case ZW_ZMTP_V1:
            return json_pack ("{s:s, s:o}", "version", "1.0",
                              "identity", zw_report_hex (g->identity, g->identity_size));
        case ZW_ZMTP_V2:
            return json_pack ("{s:s, s:i, s:i, s:o}", "version", "2.0", "revision", g->revision,
                              "socketType", g->socket_type,
                              "identity", zw_report_hex (g->identity, g->identity_size));
        default:
            return json_pack ("{s:s, s:i, s:i, s:s, s:i}", "version", "3", "major", g->major,
                              "minor", g->minor, "mechanism", g->mechanism,
                              "asServer", g->as_server);
    }
}

static void
run_greeting (const zw_report_params *p, const zw_chunk *chunks, size_t count,
              zw_zmtp_greeting_ctx *ctx, greeting_capture *c)
{
    memset (c, 0, sizeof *c);
    zw_zmtp_greeting_init (ctx, p->min_family, p->greeting_mechanism[0] ? p->greeting_mechanism : NULL,
                           &greeting_callbacks, c);
    for (size_t i = 0; i < count; i++)
        zw_zmtp_greeting_push (ctx, chunks[i].data, chunks[i].len);
}

static json_t *
report_greeting (const zw_report_params *p, const zw_chunk *chunks, size_t count)
{
    zw_zmtp_greeting_ctx ctx;
    greeting_capture c;
    run_greeting (p, chunks, count, &ctx, &c);
    json_t *report = zw_report_base (zw_zmtp_greeting_error (&ctx), c.done);
    json_object_set_new (report, "detected", c.detected ? c.detected : json_null ());
    json_object_set_new (report, "greeting",
                         c.done && !zw_zmtp_greeting_error (&ctx) ? greeting_json (&c.greeting) : json_null ());
    return report;
}

static size_t
pack_greeting (const zw_zmtp_greeting *g, uint8_t *buf, size_t cap)
{
    if (g->family == ZW_ZMTP_V1)
        return zw_zmtp_greeting_pack_v1 (buf, cap, g->identity, g->identity_size);
    if (g->family == ZW_ZMTP_V2)
        return zw_zmtp_greeting_pack_v2 (buf, cap, g->revision, g->socket_type,
                                         g->identity, g->identity_size);
    return zw_zmtp_greeting_pack_v3 (buf, cap, g->major, g->minor, g->mechanism,
                                     g->as_server, NULL);
}

/* ---------------------------------------------------------------------- */
/* commands and metadata: one capture serves both                          */

typedef struct {
    char name[256];
    size_t name_size;
    zw_bytes value;
} property;

typedef struct {
    property *items;
    size_t count, cap;
    size_t complete;        /* properties whose value is all in */
} property_list;

typedef struct {
    zw_zmtp_command command;
    int done;
    zw_bytes part;
    property_list properties;
} command_capture;

static property *
property_add (property_list *list)
{
    if (list->count == list->cap) {
        list->cap = list->cap ? 2 * list->cap : 8;
        list->items = realloc (list->items, list->cap * sizeof *list->items);
        if (!list->items)
            abort ();
    }
    property *prop = &list->items[list->count++];
    memset (prop, 0, sizeof *prop);
    return prop;
}

static void
property_list_free (property_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        zw_bytes_free (&list->items[i].value);
    free (list->items);
    memset (list, 0, sizeof *list);
}

static int
on_name (void *user, const char *name, size_t size)
{
    command_capture *c = user;
    property *prop = property_add (&c->properties);
    memcpy (prop->name, name, size);
    prop->name_size = size;
    return 0;
}

static int
on_value (void *user, const uint8_t *data, size_t len)
{
    command_capture *c = user;
    zw_bytes_add (&c->properties.items[c->properties.count - 1].value, data, len);
    return 0;
}

static int
on_property_end (void *user)
{
    command_capture *c = user;
    c->properties.complete = c->properties.count;
    return 0;
}

static const zw_zmtp_metadata_callbacks metadata_callbacks = { on_name, on_value, on_property_end };

static int
on_part (void *user, zw_zmtp_part part, const uint8_t *data, size_t len)
{
    command_capture *c = user;
    (void) part;
    zw_bytes_add (&c->part, data, len);
    return 0;
}

static int
on_command (void *user, const zw_zmtp_command *cmd)
{
    command_capture *c = user;
    c->command = *cmd;
    c->done = 1;
    return 0;
}

static const zw_zmtp_command_callbacks command_callbacks = {
    NULL, on_part, on_command, &metadata_callbacks
};

static void
command_capture_free (command_capture *c)
{
    zw_bytes_free (&c->part);
    property_list_free (&c->properties);
}

static json_t *
properties_json (const property_list *list)
{
    json_t *array = json_array ();
    for (size_t i = 0; i < list->complete; i++) {
        const property *prop = &list->items[i];
        json_array_append_new (array, json_pack ("{s:s#, s:o}", "name", prop->name, prop->name_size,
                                                 "value", zw_report_hex (prop->value.data, prop->value.len)));
    }
    return array;
}

static json_t *
string_hex (const zw_short_string *s)
{
    return zw_report_hex (s->data, s->size);
}

static json_t *
curve_command_json (const command_capture *c, json_t *o)
{
    const zw_zmtp_command *cmd = &c->command;
    switch (cmd->id) {
        case ZW_COMMAND_HELLO:
            json_object_set_new (o, "versionMajor", json_integer (cmd->u.curve_hello.version[0]));
            json_object_set_new (o, "versionMinor", json_integer (cmd->u.curve_hello.version[1]));
            json_object_set_new (o, "clientKey", zw_report_hex (cmd->u.curve_hello.client_key, 32));
            json_object_set_new (o, "nonce", zw_report_hex (cmd->u.curve_hello.nonce, 8));
            json_object_set_new (o, "signatureBox", zw_report_hex (cmd->u.curve_hello.signature_box, 80));
            break;
        case ZW_COMMAND_WELCOME:
            json_object_set_new (o, "nonce", zw_report_hex (cmd->u.curve_welcome.nonce, 16));
            json_object_set_new (o, "box", zw_report_hex (cmd->u.curve_welcome.box, 144));
            break;
        case ZW_COMMAND_INITIATE:
            json_object_set_new (o, "cookie", zw_report_hex (cmd->u.curve_initiate.cookie, 96));
            json_object_set_new (o, "nonce", zw_report_hex (cmd->u.curve_initiate.nonce, 8));
            json_object_set_new (o, "box", zw_report_hex (c->part.data, c->part.len));
            break;
        case ZW_COMMAND_READY:
        case ZW_COMMAND_MESSAGE:
            json_object_set_new (o, "nonce", zw_report_hex (cmd->u.curve_short.nonce, 8));
            json_object_set_new (o, "box", zw_report_hex (c->part.data, c->part.len));
            break;
        case ZW_COMMAND_ERROR:
            json_object_set_new (o, "reason", string_hex (&cmd->u.reason));
            break;
        default:
            json_object_set_new (o, "data", zw_report_hex (c->part.data, c->part.len));
    }
    return o;
}

static json_t *
command_json (const command_capture *c, zw_zmtp_mechanism mechanism)
{
    const zw_zmtp_command *cmd = &c->command;
    json_t *o = json_pack ("{s:s}", "name", cmd->name);
    if (mechanism == ZW_MECHANISM_CURVE)
        return curve_command_json (c, o);
    switch (cmd->id) {
        case ZW_COMMAND_READY:
        case ZW_COMMAND_INITIATE:
            json_object_set_new (o, "properties", properties_json (&c->properties));
            break;
        case ZW_COMMAND_ERROR:
            json_object_set_new (o, "reason", string_hex (&cmd->u.reason));
            break;
        case ZW_COMMAND_SUBSCRIBE:
        case ZW_COMMAND_CANCEL:
            json_object_set_new (o, "topic", zw_report_hex (c->part.data, c->part.len));
            break;
        case ZW_COMMAND_PING:
            json_object_set_new (o, "ttl", json_integer (cmd->u.ping.ttl));
            json_object_set_new (o, "context", string_hex (&cmd->u.ping.context));
            break;
        case ZW_COMMAND_PONG:
            json_object_set_new (o, "context", string_hex (&cmd->u.ping.context));
            break;
        case ZW_COMMAND_JOIN:
        case ZW_COMMAND_LEAVE:
            json_object_set_new (o, "group", string_hex (&cmd->u.group));
            break;
        case ZW_COMMAND_HELLO:
            json_object_set_new (o, "username", string_hex (&cmd->u.plain_hello.username));
            json_object_set_new (o, "password", string_hex (&cmd->u.plain_hello.password));
            break;
        case ZW_COMMAND_WELCOME:
            break;
        default:
            json_object_set_new (o, "data", zw_report_hex (c->part.data, c->part.len));
    }
    return o;
}

/* Re-encodes a captured property list. */
static void
pack_properties (const property_list *list, zw_bytes *out)
{
    for (size_t i = 0; i < list->count; i++) {
        const property *prop = &list->items[i];
        size_t cap = 1 + prop->name_size + 4 + prop->value.len;
        uint8_t *buf = malloc (cap);
        if (!buf)
            abort ();
        size_t m = zw_zmtp_metadata_pack (buf, cap, prop->name, prop->name_size,
                                          prop->value.data, prop->value.len);
        zw_bytes_add (out, buf, m);
        free (buf);
    }
}

/* Re-encodes a captured command body. */
static void
pack_command (const command_capture *c, zw_zmtp_mechanism mechanism, zw_bytes *out)
{
    uint8_t head[1024];
    size_t n = zw_zmtp_command_pack_head (head, sizeof head, mechanism, &c->command);
    zw_bytes_add (out, head, n);
    pack_properties (&c->properties, out);
    zw_bytes_add (out, c->part.data, c->part.len);
}

static void
run_command (const zw_report_params *p, const zw_chunk *chunks, size_t count,
             zw_zmtp_command_ctx *ctx, command_capture *c)
{
    memset (c, 0, sizeof *c);
    zw_zmtp_command_init (ctx, p->mechanism, 0, total_length (chunks, count), &command_callbacks, c);
    for (size_t i = 0; i < count; i++)
        zw_zmtp_command_push (ctx, chunks[i].data, chunks[i].len);
}

static json_t *
report_command (const zw_report_params *p, const zw_chunk *chunks, size_t count)
{
    zw_zmtp_command_ctx *ctx = malloc (sizeof *ctx);
    command_capture c;
    if (!ctx)
        abort ();
    run_command (p, chunks, count, ctx, &c);
    const zw_error *e = zw_zmtp_command_error (ctx);
    json_t *report = zw_report_base (e, c.done);
    json_object_set_new (report, "command", c.done && !e ? command_json (&c, p->mechanism) : json_null ());
    command_capture_free (&c);
    free (ctx);
    return report;
}

static void
run_metadata (const zw_chunk *chunks, size_t count, zw_zmtp_metadata_ctx *ctx, command_capture *c)
{
    memset (c, 0, sizeof *c);
    zw_zmtp_metadata_init (ctx, 0, total_length (chunks, count), &metadata_callbacks, c);
    for (size_t i = 0; i < count; i++)
        zw_zmtp_metadata_push (ctx, chunks[i].data, chunks[i].len);
}

static json_t *
report_metadata (const zw_chunk *chunks, size_t count)
{
    zw_zmtp_metadata_ctx ctx;
    command_capture c;
    run_metadata (chunks, count, &ctx, &c);
    const zw_error *e = zw_zmtp_metadata_error (&ctx);
    json_t *report = zw_report_base (e, zw_zmtp_metadata_done (&ctx));
    json_object_set_new (report, "properties", properties_json (&c.properties));
    property_list_free (&c.properties);
    return report;
}

/* ---------------------------------------------------------------------- */
/* frames: each frame's body, and command frames decoded as they arrive   */

typedef struct {
    const zw_report_params *params;
    json_t *frames;
    json_t *current;            /* the frame being read */
    zw_bytes body;
    zw_bytes all;               /* re-encoding, for the round trip */
    int is_command;
    zw_zmtp_command_ctx command;
    command_capture capture;
    int command_failed;
    int command_round_trip_failed;
} frames_capture;

static int
on_frame_header (void *user, const zw_zmtp_frame_header *h)
{
    frames_capture *c = user;
    uint64_t header_size = (h->flags & ZW_ZMTP_FLAG_LONG) ? 9 : 2;
    c->current = json_pack ("{s:I, s:i, s:I, s:s, s:b}", "offset", (json_int_t) h->offset,
                            "flags", h->flags, "size", (json_int_t) h->size, "body", "",
                            "complete", 0);
    json_array_append_new (c->frames, c->current);
    c->body.len = 0;
    c->is_command = c->params->framing == ZW_ZMTP_FRAMING_V3 && (h->flags & ZW_ZMTP_FLAG_COMMAND);
    if (c->is_command) {
        command_capture_free (&c->capture);
        zw_zmtp_command_init (&c->command, c->params->mechanism, h->offset + header_size, h->size,
                              &command_callbacks, &c->capture);
        c->command_failed = zw_zmtp_command_error (&c->command) != NULL;
    }
    return c->command_failed;
}

static int
on_frame_body (void *user, const uint8_t *data, size_t len)
{
    frames_capture *c = user;
    zw_bytes_add (&c->body, data, len);
    if (c->is_command) {
        zw_zmtp_command_push (&c->command, data, len);
        c->command_failed = zw_zmtp_command_error (&c->command) != NULL;
    }
    return c->command_failed;
}

static void
close_body (frames_capture *c)
{
    if (c->current)
        json_object_set_new (c->current, "body", zw_report_hex (c->body.data, c->body.len));
}

/* The round trip of one frame: its header re-encoded, and its command. */
static void
pack_frame (frames_capture *c)
{
    uint8_t header[ZW_ZMTP_FRAME_HEADER_MAX];
    uint8_t flags = (uint8_t) json_integer_value (json_object_get (c->current, "flags"));
    size_t n = zw_zmtp_frame_pack_header (header, sizeof header, flags & ZW_ZMTP_FLAG_MORE,
                                          flags & ZW_ZMTP_FLAG_COMMAND, c->body.len);
    zw_bytes_add (&c->all, header, n);
    zw_bytes_add (&c->all, c->body.data, c->body.len);
    if (c->is_command) {
        zw_bytes again = { 0 };
        pack_command (&c->capture, c->params->mechanism, &again);
        if (again.len != c->body.len || memcmp (again.data, c->body.data, again.len) != 0)
            c->command_round_trip_failed = 1;
        zw_bytes_free (&again);
    }
}

static int
on_frame_end (void *user)
{
    frames_capture *c = user;
    close_body (c);
    json_object_set_new (c->current, "complete", json_true ());
    if (c->is_command)
        json_object_set_new (c->current, "command", command_json (&c->capture, c->params->mechanism));
    pack_frame (c);
    c->current = NULL;
    return 0;
}

static const zw_zmtp_frame_callbacks frame_callbacks = { on_frame_header, on_frame_body, on_frame_end };

static void
run_frames (const zw_report_params *p, const zw_chunk *chunks, size_t count,
            zw_zmtp_frame_ctx *ctx, frames_capture *c)
{
    memset (c, 0, sizeof *c);
    c->params = p;
    c->frames = json_array ();
    zw_zmtp_frame_init (ctx, p->framing, 0, p->max_frame_size, &frame_callbacks, c);
    for (size_t i = 0; i < count; i++)
        zw_zmtp_frame_push (ctx, chunks[i].data, chunks[i].len);
    close_body (c);
}

static void
frames_capture_free (frames_capture *c)
{
    json_decref (c->frames);
    zw_bytes_free (&c->body);
    zw_bytes_free (&c->all);
    command_capture_free (&c->capture);
}

static json_t *
report_frames (const zw_report_params *p, const zw_chunk *chunks, size_t count)
{
    zw_zmtp_frame_ctx ctx;
    frames_capture *c = malloc (sizeof *c);
    if (!c)
        abort ();
    run_frames (p, chunks, count, &ctx, c);
    const zw_error *e = zw_zmtp_frame_error (&ctx);
    if (c->command_failed) {
        e = zw_zmtp_command_error (&c->command);
        /* the frame in which the error happened is not listed */
        json_array_remove (c->frames, json_array_size (c->frames) - 1);
    }
    json_t *report = zw_report_base (e, zw_zmtp_frame_at_boundary (&ctx));
    json_object_set (report, "frames", c->frames);
    frames_capture_free (c);
    free (c);
    return report;
}

/* ---------------------------------------------------------------------- */
/* z85                                                                     */

static json_t *
report_z85 (const zw_chunk *chunks, size_t count)
{
    size_t total = total_length (chunks, count);
    uint8_t *out = malloc (total / 5 * 4 + 1);
    zw_z85_ctx ctx;
    if (!out)
        abort ();
    zw_z85_decode_init (&ctx, total, out, total / 5 * 4 + 1);
    for (size_t i = 0; i < count; i++)
        zw_z85_decode_push (&ctx, chunks[i].data, chunks[i].len);
    const zw_error *e = zw_z85_decode_error (&ctx);
    json_t *report = zw_report_base (e, zw_z85_decode_done (&ctx));
    /* the groups decoded before an error, like frames and properties */
    json_object_set_new (report, "decoded", zw_report_hex (out, ctx.out_len));
    free (out);
    return report;
}

/* ---------------------------------------------------------------------- */

json_t *
zw_report_decode (const zw_report_params *p, const zw_chunk *chunks, size_t count)
{
    switch (p->type) {
        case ZW_REPORT_GREETING: return report_greeting (p, chunks, count);
        case ZW_REPORT_FRAMES:   return report_frames (p, chunks, count);
        case ZW_REPORT_COMMAND:  return report_command (p, chunks, count);
        case ZW_REPORT_METADATA: return report_metadata (chunks, count);
        case ZW_REPORT_Z85:      return report_z85 (chunks, count);
        case ZW_REPORT_MDP:      return zw_report_mdp_decode (p, chunks, count);
        case ZW_REPORT_FLP:      return zw_report_flp_decode (p, chunks, count);
        case ZW_REPORT_ZAP:      return zw_report_zap_decode (p, chunks, count);
    }
    return NULL;
}

static int
compare (const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len, char *why, size_t why_size)
{
    if (a_len == b_len && (a_len == 0 || memcmp (a, b, a_len) == 0))
        return 1;
    size_t i = 0;
    while (i < a_len && i < b_len && a[i] == b[i])
        i++;
    snprintf (why, why_size, "re-encoding differs at octet %zu (lengths %zu and %zu)", i, a_len, b_len);
    return 0;
}

static int
round_trip_greeting (const zw_report_params *p, const zw_chunk *whole, char *why, size_t why_size)
{
    zw_zmtp_greeting_ctx ctx;
    greeting_capture c;
    uint8_t buf[512];
    run_greeting (p, whole, 1, &ctx, &c);
    json_decref (c.detected);
    if (!c.done || zw_zmtp_greeting_error (&ctx))
        return -1;
    size_t n = pack_greeting (&c.greeting, buf, sizeof buf);
    return compare (buf, n, whole->data, (size_t) c.greeting.size, why, why_size);
}

static int
round_trip_frames (const zw_report_params *p, const zw_chunk *whole, char *why, size_t why_size)
{
    zw_zmtp_frame_ctx ctx;
    frames_capture *c = malloc (sizeof *c);
    int result = -1;
    if (!c)
        abort ();
    run_frames (p, whole, 1, &ctx, c);
    if (!c->command_failed && !zw_zmtp_frame_error (&ctx) && zw_zmtp_frame_at_boundary (&ctx)) {
        result = compare (c->all.data, c->all.len, whole->data, whole->len, why, why_size);
        if (result == 1 && c->command_round_trip_failed) {
            snprintf (why, why_size, "a command body re-encodes differently");
            result = 0;
        }
    }
    frames_capture_free (c);
    free (c);
    return result;
}

static int
round_trip_command (const zw_report_params *p, const zw_chunk *whole, char *why, size_t why_size)
{
    zw_zmtp_command_ctx *ctx = malloc (sizeof *ctx);
    command_capture c;
    zw_bytes out = { 0 };
    int result = -1;
    if (!ctx)
        abort ();
    run_command (p, whole, 1, ctx, &c);
    if (c.done && !zw_zmtp_command_error (ctx)) {
        pack_command (&c, p->mechanism, &out);
        result = compare (out.data, out.len, whole->data, whole->len, why, why_size);
    }
    zw_bytes_free (&out);
    command_capture_free (&c);
    free (ctx);
    return result;
}

static int
round_trip_metadata (const zw_chunk *whole, char *why, size_t why_size)
{
    zw_zmtp_metadata_ctx ctx;
    command_capture c;
    zw_bytes out = { 0 };
    int result = -1;
    run_metadata (whole, 1, &ctx, &c);
    if (zw_zmtp_metadata_done (&ctx)) {
        pack_properties (&c.properties, &out);
        result = compare (out.data, out.len, whole->data, whole->len, why, why_size);
    }
    zw_bytes_free (&out);
    property_list_free (&c.properties);
    return result;
}

static int
round_trip_z85 (const zw_chunk *whole, char *why, size_t why_size)
{
    uint8_t *out = malloc (whole->len / 5 * 4 + 1);
    char *text = malloc (whole->len + 1);
    zw_z85_ctx ctx;
    int result = -1;
    if (!out || !text)
        abort ();
    zw_z85_decode_init (&ctx, whole->len, out, whole->len / 5 * 4 + 1);
    zw_z85_decode_push (&ctx, whole->data, whole->len);
    if (zw_z85_decode_done (&ctx)) {
        size_t n = zw_z85_encode (text, whole->len + 1, out, ctx.out_len);
        result = compare ((const uint8_t *) text, n, whole->data, whole->len, why, why_size);
    }
    free (out);
    free (text);
    return result;
}

int
zw_report_round_trip (const zw_report_params *p, const uint8_t *input, size_t len,
                      char *why, size_t why_size)
{
    zw_chunk whole = { input, len };
    switch (p->type) {
        case ZW_REPORT_GREETING: return round_trip_greeting (p, &whole, why, why_size);
        case ZW_REPORT_FRAMES:   return round_trip_frames (p, &whole, why, why_size);
        case ZW_REPORT_COMMAND:  return round_trip_command (p, &whole, why, why_size);
        case ZW_REPORT_METADATA: return round_trip_metadata (&whole, why, why_size);
        case ZW_REPORT_Z85:      return round_trip_z85 (&whole, why, why_size);
        case ZW_REPORT_MDP:                 /* zw_report_round_trip_frames */
        case ZW_REPORT_FLP:
        case ZW_REPORT_ZAP:      break;
    }
    return -1;
}

int
zw_report_is_frame_list (const zw_report_params *p)
{
    return p->type == ZW_REPORT_MDP || p->type == ZW_REPORT_FLP || p->type == ZW_REPORT_ZAP;
}

int
zw_report_round_trip_frames (const zw_report_params *p, const zw_chunk *frames, size_t count,
                             char *why, size_t why_size)
{
    if (p->type == ZW_REPORT_MDP)
        return zw_report_mdp_round_trip (p, frames, count, why, why_size);
    if (p->type == ZW_REPORT_FLP)
        return zw_report_flp_round_trip (p, frames, count, why, why_size);
    if (p->type == ZW_REPORT_ZAP)
        return zw_report_zap_round_trip (p, frames, count, why, why_size);
    return -1;
}
