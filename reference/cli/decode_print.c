/*  decode_print.c — how `zwire decode` shows what it decoded: text lines
    (the offset first, then a label and the value) or JSON lines (one
    object per event).  The keys and the line forms are documented in the
    help text of decode.c; tests assert on both.

    Octet strings are cut to max_body octets everywhere.  In text, a value
    whose shown octets are all printable ASCII is written in double quotes
    (with \" and \\ escaped), any other value as 0x and hex; fixed binary
    fields (CURVE keys, nonces, boxes) are plain hex.  A cut value is
    followed by "(N octets, M shown)".  */

#include <string.h>
#include "zwire_cli.h"
#include "decode.h"
#include "z85.h"

typedef unsigned long long ull;

/* ------------------------------------------------------------------------- */
/* shared helpers                                                            */

static zw_shown
cut (const zw_decode_printer *p, const uint8_t *data, uint64_t size)
{
    zw_shown v = { data, (size_t) (size < p->max_body ? size : p->max_body), size };
    return v;
}

static int
printable (const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (data[i] < 0x20 || data[i] > 0x7E)
            return 0;
    return 1;
}

static const char *
family_label (zw_zmtp_family family)
{
    switch (family) {
        case ZW_ZMTP_V1: return "ZMTP 1.0 (13/ZMTP)";
        case ZW_ZMTP_V2: return "ZMTP 2.0 (15/ZMTP)";
        default:         return "ZMTP 3.x (23/ZMTP, 37/ZMTP)";
    }
}

static const char *
family_version (zw_zmtp_family family)
{
    return family == ZW_ZMTP_V1 ? "1.0" : family == ZW_ZMTP_V2 ? "2.0" : "3.x";
}

/* zmtp20.greeting.socket-type, and libzmq's XPUB / XSUB values */
static const char *
socket_type_name (uint8_t type)
{
    static const char *const names[] = {
        "PAIR", "PUB", "SUB", "REQ", "REP", "DEALER", "ROUTER", "PULL", "PUSH",
        "XPUB, as libzmq sends it", "XSUB, as libzmq sends it"
    };
    return type < sizeof names / sizeof names[0] ? names[type] : "unknown";
}

static const char *
mechanism_name (zw_zmtp_mechanism m)
{
    return m == ZW_MECHANISM_PLAIN ? "PLAIN" : m == ZW_MECHANISM_CURVE ? "CURVE" : "NULL";
}

/* ------------------------------------------------------------------------- */
/* text                                                                      */

static void
line (const zw_decode_printer *p, uint64_t offset, const char *label)
{
    fprintf (p->out, "%8llu  %-15s ", (ull) offset, label);
}

static void
cut_note (FILE *out, zw_shown v)
{
    if (v.shown < v.size)
        fprintf (out, " (%llu octets, %zu shown)", (ull) v.size, v.shown);
}

/* A value: quoted text when printable, else 0x-hex. */
static void
text_value (FILE *out, zw_shown v)
{
    if (printable (v.data, v.shown)) {
        fputc ('"', out);
        for (size_t i = 0; i < v.shown; i++) {
            if (v.data[i] == '"' || v.data[i] == '\\')
                fputc ('\\', out);
            fputc (v.data[i], out);
        }
        fputc ('"', out);
    }
    else {
        fputs ("0x", out);
        zw_hex_write (out, v.data, v.shown, NULL);
    }
    cut_note (out, v);
}

static void
value_line (const zw_decode_printer *p, uint64_t offset, const char *label, zw_shown v)
{
    line (p, offset, label);
    text_value (p->out, v);
    fputc ('\n', p->out);
}

static void
hex_line (const zw_decode_printer *p, uint64_t offset, const char *label,
          const uint8_t *data, uint64_t size)
{
    zw_shown v = cut (p, data, size);
    line (p, offset, label);
    zw_hex_write (p->out, v.data, v.shown, NULL);
    cut_note (p->out, v);
    fputc ('\n', p->out);
}

/* The 10-octet signature and its padding (zmtp31.greeting.padding-ignored). */
static void
text_signature (const zw_decode_printer *p, const uint8_t *raw)
{
    line (p, 0, "signature");
    zw_hex_write (p->out, raw, 10, " ");
    fputc ('\n', p->out);
    line (p, 1, "padding");
    zw_hex_write (p->out, raw + 1, 8, " ");
    fputs (" (not significant)\n", p->out);
}

static void
text_greeting_v3 (const zw_decode_printer *p, const zw_decode_greeting *g)
{
    const zw_zmtp_greeting *f = g->fields;
    const uint8_t *filler = g->raw + 33;
    int zero = 1;
    for (int i = 0; i < 31; i++)
        zero &= filler[i] == 0;
    text_signature (p, g->raw);
    line (p, 10, "version");
    fprintf (p->out, "%u.%u (%s)\n", f->major, f->minor,
             f->major == 3 && f->minor == 0 ? "23/ZMTP"
             : f->major == 3 && f->minor == 1 ? "37/ZMTP" : "newer than 3.1, read as 3.1");
    line (p, 12, "mechanism");
    fputs (f->mechanism, p->out);
    if (g->layouts_guessed)
        fprintf (p->out, " (unknown to zwire: commands read with the %s layouts)", g->layouts);
    fputc ('\n', p->out);
    line (p, 32, "as-server");
    fprintf (p->out, "%u\n", f->as_server);
    line (p, 33, "filler");
    if (zero)
        fputs ("31 octets, all zero\n", p->out);
    else {
        fputs ("31 octets, not all zero (not validated): ", p->out);
        zw_hex_write (p->out, filler, 31, NULL);
        fputc ('\n', p->out);
    }
}

static void
text_greeting (const zw_decode_printer *p, const zw_decode_greeting *g)
{
    const zw_zmtp_greeting *f = g->fields;
    zw_shown identity = cut (p, f->identity, f->identity_size);
    if (f->family == ZW_ZMTP_V3)
        text_greeting_v3 (p, g);
    else if (f->family == ZW_ZMTP_V2) {
        text_signature (p, g->raw);
        line (p, 10, "revision");
        fprintf (p->out, "%u\n", f->revision);
        line (p, 11, "socket-type");
        fprintf (p->out, "%u (%s)\n", f->socket_type, socket_type_name (f->socket_type));
        value_line (p, 12, "identity", identity);
    }
    else
        value_line (p, 0, "identity", identity);
}

static void
frame_flags (FILE *out, uint8_t flags)
{
    static const char *const names[] = { "MORE", "LONG", "COMMAND" };
    const char *sep = " ";
    fprintf (out, "flags 0x%02x", flags);
    for (int bit = 0; bit < 3; bit++)
        if (flags & (1 << bit)) {
            fprintf (out, "%s%s", sep, names[bit]);
            sep = "+";
        }
}

/* The body as hex and ASCII, 16 octets a line. */
static void
text_body (const zw_decode_printer *p, uint64_t offset, zw_shown body)
{
    for (size_t at = 0; at < body.shown; at += 16) {
        size_t n = body.shown - at < 16 ? body.shown - at : 16;
        fprintf (p->out, "%8llu    ", (ull) (offset + at));
        zw_hex_write (p->out, body.data + at, n, " ");
        fprintf (p->out, "%*s  ", (int) (3 * (16 - n)), "");
        for (size_t i = 0; i < n; i++)
            fputc (printable (body.data + at + i, 1) ? body.data[at + i] : '.', p->out);
        fputc ('\n', p->out);
    }
    if (body.shown < body.size)
        fprintf (p->out, "%8llu    ... %llu more octets not shown\n",
                 (ull) (offset + body.shown), (ull) (body.size - body.shown));
}

static void
text_frame (const zw_decode_printer *p, const zw_decode_frame *f)
{
    line (p, f->header.offset, "frame");
    frame_flags (p->out, f->header.flags);
    fprintf (p->out, ", size %llu", (ull) f->header.size);
    if (f->received < f->header.size)
        fprintf (p->out, " (%llu read)", (ull) f->received);
    fputc ('\n', p->out);
    text_body (p, f->header.offset + f->header_size, f->body);
}

static void
text_curve (const zw_decode_printer *p, const zw_decode_command *c, uint64_t at)
{
    const zw_zmtp_command *cmd = c->fields;
    char z85[41];
    switch (cmd->id) {
        case ZW_COMMAND_HELLO:      /* curve.hello.size */
            line (p, at, "  version");      /* curve.hello.version */
            fprintf (p->out, "%u.%u\n", cmd->u.curve_hello.version[0], cmd->u.curve_hello.version[1]);
            hex_line (p, at + 74, "  client-key", cmd->u.curve_hello.client_key, 32);
            z85[zw_z85_encode (z85, sizeof z85, cmd->u.curve_hello.client_key, 32)] = 0;
            line (p, at + 74, "  client-key");
            fprintf (p->out, "Z85 %s\n", z85);
            hex_line (p, at + 106, "  nonce", cmd->u.curve_hello.nonce, 8);
            hex_line (p, at + 114, "  signature-box", cmd->u.curve_hello.signature_box, 80);
            break;
        case ZW_COMMAND_WELCOME:    /* curve.welcome.size */
            hex_line (p, at, "  nonce", cmd->u.curve_welcome.nonce, 16);
            hex_line (p, at + 16, "  box", cmd->u.curve_welcome.box, 144);
            break;
        case ZW_COMMAND_INITIATE:   /* curve.initiate.size */
            hex_line (p, at, "  cookie", cmd->u.curve_initiate.cookie, 96);
            hex_line (p, at + 96, "  nonce", cmd->u.curve_initiate.nonce, 8);
            hex_line (p, at + 104, "  box", c->part.data, c->part.size);
            break;
        case ZW_COMMAND_READY:      /* curve.ready.size, curve.message.size */
        case ZW_COMMAND_MESSAGE:
            hex_line (p, at, "  nonce", cmd->u.curve_short.nonce, 8);
            hex_line (p, at + 8, "  box", c->part.data, c->part.size);
            break;
        case ZW_COMMAND_ERROR:
            value_line (p, at, "  reason", cut (p, cmd->u.reason.data, cmd->u.reason.size));
            break;
        default:
            value_line (p, at, "  data", c->part);
    }
}

static void
text_command (const zw_decode_printer *p, const zw_decode_command *c)
{
    const zw_zmtp_command *cmd = c->fields;
    uint64_t at = c->offset + 1 + cmd->name_size;     /* the data after the name */
    line (p, c->offset, "command");
    fputs (cmd->name, p->out);
    if (cmd->id == ZW_COMMAND_UNKNOWN)
        fprintf (p->out, " (not a command of %s)", mechanism_name (c->mechanism));
    fputc ('\n', p->out);
    if (c->mechanism == ZW_MECHANISM_CURVE) {
        text_curve (p, c, at);
        return;
    }
    switch (cmd->id) {
        case ZW_COMMAND_READY:
        case ZW_COMMAND_INITIATE:
            for (size_t i = 0; i < c->property_count; i++) {
                const zw_decode_property *prop = &c->properties[i];
                line (p, prop->offset, "  property");
                fprintf (p->out, "%.*s=", (int) prop->name_size, prop->name);
                text_value (p->out, prop->value);
                fputc ('\n', p->out);
            }
            break;
        case ZW_COMMAND_ERROR:
            value_line (p, at, "  reason", cut (p, cmd->u.reason.data, cmd->u.reason.size));
            break;
        case ZW_COMMAND_SUBSCRIBE:
        case ZW_COMMAND_CANCEL:
            value_line (p, at, "  topic", c->part);
            break;
        case ZW_COMMAND_PING:       /* zmtp31.command.ping: deciseconds */
            line (p, at, "  ttl");
            fprintf (p->out, "%u deciseconds (%u.%u s%s)\n", cmd->u.ping.ttl, cmd->u.ping.ttl / 10,
                     cmd->u.ping.ttl % 10, cmd->u.ping.ttl == 0 ? ", no TTL" : "");
            value_line (p, at + 2, "  context",
                        cut (p, cmd->u.ping.context.data, cmd->u.ping.context.size));
            break;
        case ZW_COMMAND_PONG:
            value_line (p, at, "  context", cut (p, cmd->u.ping.context.data, cmd->u.ping.context.size));
            break;
        case ZW_COMMAND_JOIN:
        case ZW_COMMAND_LEAVE:
            value_line (p, at, "  group", cut (p, cmd->u.group.data, cmd->u.group.size));
            break;
        case ZW_COMMAND_HELLO: {    /* plain.hello.layout */
            const zw_short_string *user = &cmd->u.plain_hello.username;
            const zw_short_string *pass = &cmd->u.plain_hello.password;
            value_line (p, at, "  username", cut (p, user->data, user->size));
            value_line (p, at + 1 + user->size, "  password", cut (p, pass->data, pass->size));
            break;
        }
        case ZW_COMMAND_WELCOME:
            break;
        default:
            value_line (p, at, "  data", c->part);
    }
}

/* ------------------------------------------------------------------------- */
/* JSON                                                                      */

/* A value as hex, plus its text when printable; returns 1 if it was cut. */
static int
json_value (zw_json *j, const char *key, zw_shown v)
{
    char text_key[64];
    zw_json_hex (j, key, v.data, v.shown);
    if (printable (v.data, v.shown)) {
        snprintf (text_key, sizeof text_key, "%sText", key);
        zw_json_string (j, text_key, (const char *) v.data, v.shown);
    }
    return v.shown < v.size;
}

/* A fixed or variable binary field as hex; returns 1 if it was cut. */
static int
json_field (const zw_decode_printer *p, zw_json *j, const char *key,
            const uint8_t *data, uint64_t size)
{
    zw_shown v = cut (p, data, size);
    zw_json_hex (j, key, v.data, v.shown);
    return v.shown < v.size;
}

static int
json_part (zw_json *j, const char *key, zw_shown part, int as_value)
{
    char size_key[64];
    int truncated = as_value ? json_value (j, key, part)
                             : (zw_json_hex (j, key, part.data, part.shown), part.shown < part.size);
    snprintf (size_key, sizeof size_key, "%sSize", key);
    zw_json_uint (j, size_key, part.size);
    return truncated;
}

static void
json_signature (zw_json *j, const uint8_t *raw)
{
    zw_json_hex (j, "signature", raw, 10);
    zw_json_hex (j, "padding", raw + 1, 8);
    zw_json_bool (j, "paddingSignificant", 0);
}

static void
json_greeting (const zw_decode_printer *p, const zw_decode_greeting *g)
{
    const zw_zmtp_greeting *f = g->fields;
    zw_json j;
    char version[16];
    zw_json_object_begin (&j, p->out, "greeting");
    zw_json_uint (&j, "offset", 0);
    zw_json_bool (&j, "complete", 1);
    if (f->family == ZW_ZMTP_V3)
        snprintf (version, sizeof version, "%u.%u", f->major, f->minor);
    zw_json_cstring (&j, "protocol", f->family == ZW_ZMTP_V3 ? version : family_version (f->family));
    zw_json_uint (&j, "detectedAt", g->detected_at);
    zw_json_uint (&j, "size", f->size);
    if (f->family == ZW_ZMTP_V3) {
        json_signature (&j, g->raw);
        zw_json_uint (&j, "major", f->major);
        zw_json_uint (&j, "minor", f->minor);
        zw_json_cstring (&j, "mechanism", f->mechanism);
        zw_json_uint (&j, "asServer", f->as_server);
        zw_json_hex (&j, "filler", g->raw + 33, 31);
        zw_json_cstring (&j, "commandLayouts", g->layouts);
    }
    else {
        if (f->family == ZW_ZMTP_V2) {
            json_signature (&j, g->raw);
            zw_json_uint (&j, "revision", f->revision);
            zw_json_uint (&j, "socketType", f->socket_type);
            zw_json_cstring (&j, "socketTypeName", socket_type_name (f->socket_type));
        }
        json_value (&j, "identity", cut (p, f->identity, f->identity_size));
    }
    zw_json_object_end (&j);
}

static void
json_frame (const zw_decode_printer *p, const zw_decode_frame *f)
{
    zw_json j;
    uint8_t flags = f->header.flags;
    zw_json_object_begin (&j, p->out, "frame");
    zw_json_uint (&j, "offset", f->header.offset);
    zw_json_uint (&j, "flags", flags);
    zw_json_bool (&j, "more", flags & ZW_ZMTP_FLAG_MORE);
    zw_json_bool (&j, "long", flags & ZW_ZMTP_FLAG_LONG);
    zw_json_bool (&j, "command", flags & ZW_ZMTP_FLAG_COMMAND);
    zw_json_uint (&j, "size", f->header.size);
    zw_json_uint (&j, "headerSize", f->header_size);
    zw_json_uint (&j, "received", f->received);
    zw_json_hex (&j, "body", f->body.data, f->body.shown);
    zw_json_bool (&j, "truncated", f->body.shown < f->body.size);
    zw_json_bool (&j, "complete", f->received == f->header.size);
    zw_json_object_end (&j);
}

static int
json_curve (const zw_decode_printer *p, zw_json *j, const zw_decode_command *c)
{
    const zw_zmtp_command *cmd = c->fields;
    char z85[41];
    int t = 0;
    switch (cmd->id) {
        case ZW_COMMAND_HELLO:
            zw_json_uint (j, "versionMajor", cmd->u.curve_hello.version[0]);  /* curve.hello.version */
            zw_json_uint (j, "versionMinor", cmd->u.curve_hello.version[1]);
            t |= json_field (p, j, "clientKey", cmd->u.curve_hello.client_key, 32);
            z85[zw_z85_encode (z85, sizeof z85, cmd->u.curve_hello.client_key, 32)] = 0;
            zw_json_cstring (j, "clientKeyZ85", z85);
            t |= json_field (p, j, "nonce", cmd->u.curve_hello.nonce, 8);
            t |= json_field (p, j, "signatureBox", cmd->u.curve_hello.signature_box, 80);
            break;
        case ZW_COMMAND_WELCOME:
            t |= json_field (p, j, "nonce", cmd->u.curve_welcome.nonce, 16);
            t |= json_field (p, j, "box", cmd->u.curve_welcome.box, 144);
            break;
        case ZW_COMMAND_INITIATE:
            t |= json_field (p, j, "cookie", cmd->u.curve_initiate.cookie, 96);
            t |= json_field (p, j, "nonce", cmd->u.curve_initiate.nonce, 8);
            t |= json_part (j, "box", c->part, 0);
            break;
        case ZW_COMMAND_READY:
        case ZW_COMMAND_MESSAGE:
            t |= json_field (p, j, "nonce", cmd->u.curve_short.nonce, 8);
            t |= json_part (j, "box", c->part, 0);
            break;
        case ZW_COMMAND_ERROR:
            t |= json_value (j, "reason", cut (p, cmd->u.reason.data, cmd->u.reason.size));
            break;
        default:
            t |= json_part (j, "data", c->part, 1);
    }
    return t;
}

static int
json_properties (zw_json *j, const zw_decode_command *c)
{
    int t = 0;
    zw_json_open (j, "properties", '[');
    for (size_t i = 0; i < c->property_count; i++) {
        const zw_decode_property *prop = &c->properties[i];
        zw_json_open (j, NULL, '{');
        zw_json_uint (j, "offset", prop->offset);
        zw_json_string (j, "name", prop->name, prop->name_size);
        zw_json_uint (j, "size", prop->value.size);
        t |= json_value (j, "value", prop->value);
        zw_json_close (j, '}');
    }
    zw_json_close (j, ']');
    return t;
}

static int
json_null_plain (const zw_decode_printer *p, zw_json *j, const zw_decode_command *c)
{
    const zw_zmtp_command *cmd = c->fields;
    char seconds[16];
    int t = 0;
    switch (cmd->id) {
        case ZW_COMMAND_READY:
        case ZW_COMMAND_INITIATE:
            return json_properties (j, c);
        case ZW_COMMAND_ERROR:
            return json_value (j, "reason", cut (p, cmd->u.reason.data, cmd->u.reason.size));
        case ZW_COMMAND_SUBSCRIBE:
        case ZW_COMMAND_CANCEL:
            return json_part (j, "topic", c->part, 1);
        case ZW_COMMAND_PING:
            zw_json_uint (j, "ttl", cmd->u.ping.ttl);
            snprintf (seconds, sizeof seconds, "%u.%u", cmd->u.ping.ttl / 10, cmd->u.ping.ttl % 10);
            zw_json_raw (j, "ttlSeconds", seconds);
            return json_value (j, "context", cut (p, cmd->u.ping.context.data, cmd->u.ping.context.size));
        case ZW_COMMAND_PONG:
            return json_value (j, "context", cut (p, cmd->u.ping.context.data, cmd->u.ping.context.size));
        case ZW_COMMAND_JOIN:
        case ZW_COMMAND_LEAVE:
            return json_value (j, "group", cut (p, cmd->u.group.data, cmd->u.group.size));
        case ZW_COMMAND_HELLO:
            t |= json_value (j, "username", cut (p, cmd->u.plain_hello.username.data,
                                                 cmd->u.plain_hello.username.size));
            t |= json_value (j, "password", cut (p, cmd->u.plain_hello.password.data,
                                                 cmd->u.plain_hello.password.size));
            return t;
        case ZW_COMMAND_WELCOME:
            return 0;
        default:
            return json_part (j, "data", c->part, 1);
    }
}

static void
json_command (const zw_decode_printer *p, const zw_decode_command *c)
{
    zw_json j;
    zw_json_object_begin (&j, p->out, "command");
    zw_json_uint (&j, "offset", c->offset);
    zw_json_cstring (&j, "name", c->fields->name);
    zw_json_cstring (&j, "mechanism", mechanism_name (c->mechanism));
    zw_json_bool (&j, "known", c->fields->id != ZW_COMMAND_UNKNOWN);
    int truncated = c->mechanism == ZW_MECHANISM_CURVE ? json_curve (p, &j, c)
                                                       : json_null_plain (p, &j, c);
    zw_json_bool (&j, "truncated", truncated);
    zw_json_object_end (&j);
}

/* ------------------------------------------------------------------------- */
/* the events                                                                */

void
zw_decode_print_detect (const zw_decode_printer *p, zw_zmtp_family family, uint64_t at)
{
    if (p->json)
        return;     /* JSON: part of the greeting object */
    line (p, 0, "greeting");
    fprintf (p->out, "%s, detected at offset %llu\n", family_label (family), (ull) at);
}

void
zw_decode_print_greeting (const zw_decode_printer *p, const zw_decode_greeting *g)
{
    if (p->json)
        json_greeting (p, g);
    else
        text_greeting (p, g);
}

void
zw_decode_print_greeting_partial (const zw_decode_printer *p, zw_zmtp_family family, uint64_t at)
{
    zw_json j;
    if (!p->json)
        return;     /* text: the detection line is out already */
    zw_json_object_begin (&j, p->out, "greeting");
    zw_json_uint (&j, "offset", 0);
    zw_json_bool (&j, "complete", 0);
    zw_json_cstring (&j, "protocol", family_version (family));
    zw_json_uint (&j, "detectedAt", at);
    zw_json_object_end (&j);
}

void
zw_decode_print_frame (const zw_decode_printer *p, const zw_decode_frame *f)
{
    if (p->json)
        json_frame (p, f);
    else
        text_frame (p, f);
}

void
zw_decode_print_command (const zw_decode_printer *p, const zw_decode_command *c)
{
    if (p->json)
        json_command (p, c);
    else
        text_command (p, c);
}

void
zw_decode_print_error (const zw_decode_printer *p, const zw_error *e)
{
    const char *clause = e->clause ? e->clause : "";
    if (p->json) {
        zw_json j;
        zw_json_object_begin (&j, p->out, "error");
        zw_json_cstring (&j, "class", zw_error_class_name (e->code));
        zw_json_uint (&j, "offset", e->offset);
        zw_json_cstring (&j, "clause", clause);
        zw_json_cstring (&j, "reason", e->reason ? e->reason : "");
        zw_json_object_end (&j);
    }
    else
        fprintf (p->out, "error: %s at offset %llu: %s [%s]\n", zw_error_class_name (e->code),
                 (ull) e->offset, e->reason ? e->reason : "", clause);
}

static const char *const end_states[] = { "complete", "incomplete", "not-decoded" };

void
zw_decode_print_end (const zw_decode_printer *p, const zw_decode_end *end)
{
    if (p->json) {
        zw_json j;
        zw_json_object_begin (&j, p->out, "end");
        zw_json_cstring (&j, "state", end_states[end->state]);
        zw_json_uint (&j, "offset", end->offset);
        if (end->state == ZW_DECODE_END_INCOMPLETE) {
            zw_json_cstring (&j, "unit", end->unit);
            zw_json_uint (&j, "unitOffset", end->unit_offset);
            zw_json_uint (&j, "unitOctets", end->unit_octets);
        }
        zw_json_object_end (&j);
    }
    else if (end->state == ZW_DECODE_END_COMPLETE)
        fprintf (p->out, "end: complete (%llu octets)\n", (ull) end->offset);
    else if (end->state == ZW_DECODE_END_INCOMPLETE)
        fprintf (p->out, "end: incomplete (%llu octets into the %s at offset %llu)\n",
                 (ull) end->unit_octets, end->unit, (ull) end->unit_offset);
    else
        fprintf (p->out, "end: not decoded (ZMTP 1.0 traffic from offset %llu on: zwire decodes "
                         "2.0 and 3.x framing only)\n", (ull) end->offset);
}
