/*  fuzz_oracle.c — the oracles of the zwire fuzz harnesses (fuzz_oracle.h).

    Everything here judges the codecs through their normal-form reports
    (zw_report_decode) and their public encoders; nothing re-implements a
    decoder.  The round trip rebuilds the octets from a report: a greeting
    through zw_zmtp_greeting_pack_v1 / _v2 / _v3, a frame header through
    zw_zmtp_frame_pack_header, a command head through
    zw_zmtp_command_pack_head (the layout chosen by zw_zmtp_command_lookup,
    as the encoder itself does), properties through zw_zmtp_metadata_pack,
    Z85 through zw_z85_encode.  Rebuilding from the report, not from the
    decoder's callbacks, also checks that the report carries every field a
    peer can vary (FORMAT.md), except the ones FORMAT.md says are not
    reported (padding, the signature end beyond its bit 0, filler, a 1.0
    identity's flags).

    Invariants of the split points: derived from zw_fuzz_hash of the input,
    never read from it, so a seed taken from a vector stays that vector.  */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz_oracle.h"
#include "zmtp_metadata.h"
#include "z85.h"

#define SMALL_INPUT 512             /* inputs replayed in 1-octet chunks */
#define MAX_CUTS 4


typedef struct {
    const zw_report_params *params;
    const uint8_t *input;
    size_t size;
} oracle;

static const uint8_t empty[1];


/* ---------------------------------------------------------------------- */
/* hashing                                                                 */

static uint64_t
splitmix (uint64_t *state)
{
    uint64_t z = (*state += UINT64_C (0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C (0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C (0x94D049BB133111EB);
    return z ^ (z >> 31);
}

uint64_t
zw_fuzz_hash (const uint8_t *data, size_t size)
{
    uint64_t h = UINT64_C (0xCBF29CE484222325);
    for (size_t i = 0; i < size; i++) {
        h ^= data[i];
        h *= UINT64_C (0x100000001B3);
    }
    h ^= (uint64_t) size;
    return splitmix (&h);
}

/* ---------------------------------------------------------------------- */
/* failure                                                                 */

static const char *
type_name (zw_report_type type)
{
    switch (type) {
        case ZW_REPORT_GREETING: return "greeting";
        case ZW_REPORT_FRAMES:   return "frames";
        case ZW_REPORT_COMMAND:  return "command";
        case ZW_REPORT_METADATA: return "metadata";
        case ZW_REPORT_Z85:      return "z85";
        case ZW_REPORT_MDP:      return "mdp";
        case ZW_REPORT_FLP:      return "flp";
        case ZW_REPORT_ZAP:      return "zap";
    }
    return "?";
}

static const char *
mechanism_name (zw_zmtp_mechanism mechanism)
{
    return mechanism == ZW_MECHANISM_PLAIN ? "PLAIN" : mechanism == ZW_MECHANISM_CURVE ? "CURVE" : "NULL";
}

static char *
dump (const json_t *report)
{
    return report ? json_dumps (report, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
}

static void
print_hex (const char *label, const uint8_t *data, size_t len)
{
    fprintf (stderr, "%s (%zu octets): ", label, len);
    for (size_t i = 0; i < len; i++)
        fprintf (stderr, "%02x", data[i]);
    fputc ('\n', stderr);
}

static void
print_report (const char *label, const json_t *report)
{
    char *text = dump (report);
    if (text)
        fprintf (stderr, "%s: %s\n", label, text);
    free (text);
}

/*  Prints what failed, the params, the input, the reports and the octets
    involved, then aborts: the fuzzer records the input as a crash.  */
static void
fail (const oracle *o, const json_t *a, const json_t *b, const zw_bytes *octets, const char *format, ...)
{
    const zw_report_params *p = o->params;
    va_list args;
    fprintf (stderr, "\nzwire fuzz oracle FAILED: ");
    va_start (args, format);
    vfprintf (stderr, format, args);
    va_end (args);
    fprintf (stderr, "\nparams: type=%s", type_name (p->type));
    if (p->type == ZW_REPORT_GREETING)
        fprintf (stderr, " minVersion=%s mechanism=%s",
                 p->min_family == ZW_ZMTP_V3 ? "3.0" : p->min_family == ZW_ZMTP_V2 ? "2.0" : "1.0",
                 p->greeting_mechanism[0] ? p->greeting_mechanism : "(none)");
    if (p->type == ZW_REPORT_FRAMES)
        fprintf (stderr, " zmtpVersion=%s maxFrameSize=%llu",
                 p->framing == ZW_ZMTP_FRAMING_V2 ? "2.0" : "3.1",
                 (unsigned long long) p->max_frame_size);
    if (p->type == ZW_REPORT_FRAMES || p->type == ZW_REPORT_COMMAND)
        fprintf (stderr, " mechanism=%s", mechanism_name (p->mechanism));
    fputc ('\n', stderr);
    print_hex ("input", o->input, o->size);
    print_report ("report A (whole input)", a);
    print_report ("report B", b);
    if (octets)
        print_hex ("octets B was decoded from", octets->data, octets->len);
    fflush (stderr);
    abort ();
}

/* ---------------------------------------------------------------------- */
/* decoding                                                                */

static json_t *
decode (const zw_report_params *p, const zw_chunk *chunks, size_t count)
{
    json_t *report = zw_report_decode (p, chunks, count);
    if (!report) {
        fprintf (stderr, "zwire fuzz oracle: zw_report_decode returned NULL\n");
        abort ();
    }
    return report;
}

static json_t *
decode_whole (const zw_report_params *p, const uint8_t *data, size_t len)
{
    zw_chunk whole = { data ? data : empty, len };
    return decode (p, &whole, 1);
}

static int
same_json (const json_t *a, const json_t *b)
{
    char *x = dump (a), *y = dump (b);
    int same = x && y ? strcmp (x, y) == 0 : x == y;
    free (x);
    free (y);
    return same;
}

static const char *
state_of (const json_t *report)
{
    const char *state = json_string_value (json_object_get (report, "state"));
    return state ? state : "";
}

/* ---------------------------------------------------------------------- */
/* report invariants (vectors/FORMAT.md, "The normal form of a report")    */

static char problem[256];

static const char *
bad (const char *format, ...)
{
    va_list args;
    va_start (args, format);
    vsnprintf (problem, sizeof problem, format, args);
    va_end (args);
    return problem;
}

static int
is_hex (const json_t *value, size_t *octets)
{
    const char *text = json_string_value (value);
    if (!text)
        return 0;
    size_t len = json_string_length (value);
    if (len % 2)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!((text[i] >= '0' && text[i] <= '9') || (text[i] >= 'a' && text[i] <= 'f')))
            return 0;
    if (octets)
        *octets = len / 2;
    return 1;
}

static int
integer (const json_t *object, const char *key, json_int_t *out)
{
    json_t *value = json_object_get (object, key);
    if (!json_is_integer (value))
        return 0;
    *out = json_integer_value (value);
    return 1;
}

static const char *
check_error (const json_t *report, const char *state, size_t size, int streaming)
{
    static const char *const classes[] = {
        "malformed-greeting", "unsupported-version", "invalid-mechanism", "mechanism-mismatch",
        "invalid-flags", "invalid-size", "limit-exceeded", "malformed-command",
        "invalid-metadata", "invalid-z85"
    };
    json_t *error = json_object_get (report, "error");
    json_int_t offset;
    if (!error)
        return "no error key";
    if (strcmp (state, "error") != 0)
        return json_is_null (error) ? NULL : "an error object without state error";
    if (!json_is_object (error) || json_object_size (error) != 3)
        return "state error without an error object {class, offset, clause}";
    const char *class_name = json_string_value (json_object_get (error, "class"));
    const char *clause = json_string_value (json_object_get (error, "clause"));
    size_t known = 0;
    for (size_t i = 0; class_name && i < sizeof classes / sizeof classes[0]; i++)
        known |= strcmp (class_name, classes[i]) == 0;
    if (!known)
        return bad ("error class '%s' is not a codec class", class_name ? class_name : "(none)");
    if (!clause || !clause[0])
        return "error without the clause it enforces";
    if (!integer (error, "offset", &offset) || offset < 0 || (uint64_t) offset > size)
        return bad ("error offset outside 0..%zu", size);
    /* A greeting decoder does not know where the input ends: its error is
       always at an octet that has arrived.  (A frame stream may report a
       command body that its frame ends too early at the end of that frame,
       which may be the end of the input.) */
    if (streaming == 1 && (uint64_t) offset >= size)
        return bad ("a streaming decoder's error offset %lld is not an octet of the %zu-octet input",
                    (long long) offset, size);
    return NULL;
}

static const char *
check_greeting (const json_t *report, const char *state, size_t size)
{
    json_t *detected = json_object_get (report, "detected");
    json_t *greeting = json_object_get (report, "greeting");
    json_int_t offset;
    if (json_object_size (report) != 4 || !detected || !greeting)
        return "greeting report keys are not state, error, detected, greeting";
    if (!json_is_null (greeting) != (strcmp (state, "complete") == 0))
        return "greeting is set exactly when the state is complete";
    if (json_is_null (detected))
        return json_is_null (greeting) ? NULL : "a greeting without a detection";
    const char *version = json_string_value (json_object_get (detected, "version"));
    if (!version || (strcmp (version, "1.0") && strcmp (version, "2.0") && strcmp (version, "3")))
        return "detected.version is not 1.0, 2.0 or 3";
    if (json_object_size (detected) != 2 || !integer (detected, "offset", &offset)
    ||  (offset != 0 && offset != 9 && offset != 10) || (uint64_t) offset >= size)
        return "detected.offset is not 0, 9 or 10, or not an octet of the input";
    if (json_is_null (greeting))
        return NULL;
    const char *greeting_version = json_string_value (json_object_get (greeting, "version"));
    if (!greeting_version || strcmp (greeting_version, version) != 0)
        return "greeting.version differs from detected.version";
    return NULL;
}

static const char *
check_frames (const zw_report_params *p, const json_t *report, const char *state, size_t size)
{
    json_t *frames = json_object_get (report, "frames");
    uint64_t next = 0;
    if (json_object_size (report) != 3 || !json_is_array (frames))
        return "frames report keys are not state, error, frames";
    size_t count = json_array_size (frames);
    for (size_t i = 0; i < count; i++) {
        json_t *frame = json_array_get (frames, i);
        json_int_t offset, flags, frame_size;
        size_t body;
        int complete = json_is_true (json_object_get (frame, "complete"));
        if (!integer (frame, "offset", &offset) || !integer (frame, "flags", &flags)
        ||  !integer (frame, "size", &frame_size) || !is_hex (json_object_get (frame, "body"), &body)
        ||  !json_is_boolean (json_object_get (frame, "complete")) || frame_size < 0)
            return bad ("frame %zu is not {offset, flags, size, body, complete}", i);
        /* the frames tile the input, from offset 0 */
        if ((uint64_t) offset != next)
            return bad ("frame %zu at offset %lld, the previous one ended at %llu", i,
                        (long long) offset, (unsigned long long) next);
        int valid = p->framing == ZW_ZMTP_FRAMING_V2
                  ? flags >= 0 && flags <= 3
                  : flags == 0 || flags == 1 || flags == 2 || flags == 3 || flags == 4 || flags == 6;
        if (!valid)
            return bad ("frame %zu listed with invalid flags 0x%llx", i, (unsigned long long) flags);
        if ((uint64_t) frame_size > p->max_frame_size)
            return bad ("frame %zu listed with size above the limit", i);
        uint64_t header = (flags & ZW_ZMTP_FLAG_LONG) ? 9 : 2;
        if (body > (uint64_t) frame_size || (complete && body != (uint64_t) frame_size))
            return bad ("frame %zu: %zu body octets for size %lld", i, body, (long long) frame_size);
        if (next + header + body > size)
            return bad ("frame %zu runs past the input", i);
        int is_command = p->framing == ZW_ZMTP_FRAMING_V3 && (flags & ZW_ZMTP_FLAG_COMMAND);
        json_t *command = json_object_get (frame, "command");
        if ((command != NULL) != (complete && is_command) || (command && !json_is_object (command)))
            return bad ("frame %zu: a command object exactly on complete command frames", i);
        if (json_object_size (frame) != 5u + (command != NULL))
            return bad ("frame %zu has unexpected keys", i);
        if (!complete && (i + 1 != count || strcmp (state, "incomplete") != 0))
            return bad ("frame %zu is not complete but is not the last of an incomplete stream", i);
        next += header + (uint64_t) frame_size;
    }
    if (strcmp (state, "error") == 0
    &&  (uint64_t) json_integer_value (json_object_get (json_object_get (report, "error"), "offset")) < next)
        return "the error lies inside a frame listed as complete before it";
    if (strcmp (state, "complete") == 0 && next != size)
        return "state complete, but the frames do not end at the end of the input";
    if (strcmp (state, "incomplete") == 0 && next == size
    &&  !(count && !json_is_true (json_object_get (json_array_get (frames, count - 1), "complete"))))
        return "state incomplete at a frame boundary";
    return NULL;
}

static const char *
check_type (const zw_report_params *p, const json_t *report, const char *state, size_t size)
{
    json_t *value;
    size_t octets;
    switch (p->type) {
        case ZW_REPORT_GREETING:
            return check_greeting (report, state, size);
        case ZW_REPORT_FRAMES:
            return check_frames (p, report, state, size);
        case ZW_REPORT_COMMAND:
            value = json_object_get (report, "command");
            if (json_object_size (report) != 3 || !value)
                return "command report keys are not state, error, command";
            if (!json_is_null (value) != (strcmp (state, "complete") == 0))
                return "command is set exactly when the state is complete";
            if (!json_is_null (value) && !json_is_string (json_object_get (value, "name")))
                return "command without a name";
            return NULL;
        case ZW_REPORT_METADATA:
            if (json_object_size (report) != 3 || !json_is_array (json_object_get (report, "properties")))
                return "metadata report keys are not state, error, properties";
            return NULL;
        case ZW_REPORT_Z85:
            value = json_object_get (report, "decoded");
            if (json_object_size (report) != 3 || !value)
                return "z85 report keys are not state, error, decoded";
            if (!is_hex (value, &octets) || octets % 4 != 0)
                return "decoded is not whole groups of 4 octets in hex";
            if (strcmp (state, "complete") == 0 && (size % 5 != 0 || octets != size / 5 * 4))
                return "a complete Z85 decode is not 4 octets per 5 characters";
            /* the whole groups decoded before the error */
            if (strcmp (state, "error") == 0
            &&  (uint64_t) json_integer_value (json_object_get (json_object_get (report, "error"), "offset"))
                < octets / 4 * 5)
                return "decoded holds a group at or after the error";
            return NULL;
        case ZW_REPORT_MDP:         /* frame lists: their harnesses have their own oracles */
        case ZW_REPORT_FLP:
        case ZW_REPORT_ZAP:
            break;
    }
    return "unknown report type";
}

static const char *
check_invariants (const zw_report_params *p, const json_t *report, size_t size)
{
    int streaming = p->type == ZW_REPORT_GREETING ? 1 : p->type == ZW_REPORT_FRAMES ? 2 : 0;
    const char *state = state_of (report);
    const char *why;
    if (!json_is_object (report))
        return "the report is not an object";
    if (strcmp (state, "complete") && strcmp (state, "incomplete") && strcmp (state, "error"))
        return "state is not complete, incomplete or error";
    /* Command bodies, property lists and Z85 texts have a known length:
       when it has all arrived the decoder is done or in error. */
    if (!streaming && strcmp (state, "incomplete") == 0)
        return "a known-length decoder ended incomplete after its whole input";
    if ((why = check_error (report, state, size, streaming)))
        return why;
    return check_type (p, report, state, size);
}

/* ---------------------------------------------------------------------- */
/* chunk invariance and prefixes                                           */

static void
check_chunks (const oracle *o, const json_t *a, uint64_t *stream)
{
    size_t cuts[MAX_CUTS], count = 1 + (size_t) (splitmix (stream) & 3);
    zw_chunk chunks[MAX_CUTS + 1];
    const uint8_t *x = o->input;
    for (size_t i = 0; i < count; i++)
        cuts[i] = (size_t) (splitmix (stream) % ((uint64_t) o->size + 1));
    for (size_t i = 1; i < count; i++)          /* insertion sort */
        for (size_t j = i; j > 0 && cuts[j - 1] > cuts[j]; j--) {
            size_t t = cuts[j];
            cuts[j] = cuts[j - 1];
            cuts[j - 1] = t;
        }
    size_t start = 0;
    for (size_t i = 0; i < count; i++) {
        chunks[i] = (zw_chunk) { x + start, cuts[i] - start };
        start = cuts[i];
    }
    chunks[count] = (zw_chunk) { x + start, o->size - start };
    json_t *b = decode (o->params, chunks, count + 1);
    if (!same_json (a, b)) {
        char at[64] = "", *end = at;
        for (size_t i = 0; i < count; i++)
            end += snprintf (end, sizeof at - (size_t) (end - at), "%s%zu", i ? "," : "", cuts[i]);
        fail (o, a, b, NULL, "chunk invariance: the input cut at octets %s reports B", at);
    }
    json_decref (b);

    if (o->size > SMALL_INPUT || o->size < 2)
        return;
    zw_chunk *octets = malloc (o->size * sizeof *octets);
    if (!octets)
        abort ();
    for (size_t i = 0; i < o->size; i++)
        octets[i] = (zw_chunk) { x + i, 1 };
    b = decode (o->params, octets, o->size);
    free (octets);
    if (!same_json (a, b))
        fail (o, a, b, NULL, "chunk invariance: the input in 1-octet chunks reports B");
    json_decref (b);
}

static const json_t *
error_of (const json_t *report)
{
    return json_object_get (report, "error");
}

/*  A streaming decoder's verdict on a prefix: errors are sticky and found
    at the offending octet, and a unit completed in the prefix is the unit
    of the whole input.  */
static void
check_prefix (const oracle *o, const json_t *a, uint64_t *stream)
{
    if (o->size == 0 || (o->params->type != ZW_REPORT_GREETING && o->params->type != ZW_REPORT_FRAMES))
        return;
    size_t k = (size_t) (splitmix (stream) % o->size);
    json_t *b = decode_whole (o->params, o->input, k);
    const char *why = check_invariants (o->params, b, k);
    json_int_t a_offset = -1;
    if (why)
        fail (o, a, b, NULL, "report invariant on the %zu-octet prefix: %s", k, why);
    if (strcmp (state_of (a), "error") == 0)
        a_offset = json_integer_value (json_object_get (error_of (a), "offset"));
    if (strcmp (state_of (b), "error") == 0 && !same_json (error_of (a), error_of (b)))
        fail (o, a, b, NULL, "the %zu-octet prefix reports an error the whole input does not", k);
    if (a_offset >= 0 && (uint64_t) a_offset < k && strcmp (state_of (b), "error") != 0)
        fail (o, a, b, NULL, "the %zu-octet prefix holds the offending octet %lld but reports no error",
              k, (long long) a_offset);
    if (o->params->type == ZW_REPORT_GREETING) {
        json_t *detected = json_object_get (b, "detected"), *greeting = json_object_get (b, "greeting");
        if (!json_is_null (detected) && !same_json (detected, json_object_get (a, "detected")))
            fail (o, a, b, NULL, "the %zu-octet prefix detects another version", k);
        if (!json_is_null (greeting) && !same_json (greeting, json_object_get (a, "greeting")))
            fail (o, a, b, NULL, "the %zu-octet prefix decodes another greeting", k);
    }
    else {
        json_t *frames = json_object_get (b, "frames"), *whole = json_object_get (a, "frames");
        for (size_t i = 0; i < json_array_size (frames); i++) {
            json_t *frame = json_array_get (frames, i);
            if (json_is_true (json_object_get (frame, "complete"))
            &&  !same_json (frame, json_array_get (whole, i)))
                fail (o, a, b, NULL, "the %zu-octet prefix completes frame %zu differently", k, i);
        }
    }
    json_decref (b);
}

/* ---------------------------------------------------------------------- */
/* re-encoding a report through the public encoders                        */

static char *reason;        /* why the last encode failed */
static char reason_text[256];

static int
refuse (const char *format, ...)
{
    va_list args;
    va_start (args, format);
    vsnprintf (reason_text, sizeof reason_text, format, args);
    va_end (args);
    reason = reason_text;
    return -1;
}

/* A hex field into a buffer; want is the exact octet count, or SIZE_MAX. */
static int
hex_field (const json_t *object, const char *key, size_t want, zw_bytes *out)
{
    json_t *value = json_object_get (object, key);
    size_t octets;
    if (!is_hex (value, &octets) || (want != SIZE_MAX && octets != want))
        return refuse ("field '%s' is not %s hex", key, want == SIZE_MAX ? "lower-case" : "fixed-size");
    const char *text = json_string_value (value);
    for (size_t i = 0; i < octets; i++) {
        unsigned hi = (unsigned) (text[2 * i] <= '9' ? text[2 * i] - '0' : text[2 * i] - 'a' + 10);
        unsigned lo = (unsigned) (text[2 * i + 1] <= '9' ? text[2 * i + 1] - '0' : text[2 * i + 1] - 'a' + 10);
        uint8_t octet = (uint8_t) (hi << 4 | lo);
        zw_bytes_add (out, &octet, 1);
    }
    return 0;
}

static int
fixed_field (const json_t *object, const char *key, uint8_t *field, size_t size)
{
    zw_bytes b = { 0 };
    int rc = hex_field (object, key, size, &b);
    if (rc == 0 && size)
        memcpy (field, b.data, size);
    zw_bytes_free (&b);
    return rc;
}

static int
short_string (const json_t *object, const char *key, zw_short_string *s)
{
    zw_bytes b = { 0 };
    int rc = hex_field (object, key, SIZE_MAX, &b);
    if (rc == 0 && b.len > sizeof s->data)
        rc = refuse ("field '%s' is over 255 octets", key);
    if (rc == 0) {
        s->size = (uint8_t) b.len;
        if (b.len)
            memcpy (s->data, b.data, b.len);
    }
    zw_bytes_free (&b);
    return rc;
}

static int
encode_properties (const json_t *list, zw_bytes *out)
{
    if (!json_is_array (list))
        return refuse ("properties is not an array");
    for (size_t i = 0; i < json_array_size (list); i++) {
        json_t *prop = json_array_get (list, i);
        json_t *name = json_object_get (prop, "name");
        zw_bytes value = { 0 };
        if (!json_is_string (name) || json_object_size (prop) != 2
        ||  hex_field (prop, "value", SIZE_MAX, &value) != 0) {
            zw_bytes_free (&value);
            return refuse ("property %zu is not {name, value}", i);
        }
        size_t name_size = json_string_length (name), cap = 1 + name_size + 4 + value.len;
        uint8_t *buf = malloc (cap);
        if (!buf)
            abort ();
        size_t n = zw_zmtp_metadata_pack (buf, cap, json_string_value (name), name_size,
                                          value.len ? value.data : empty, value.len);
        zw_bytes_add (out, buf, n);
        free (buf);
        zw_bytes_free (&value);
        if (n != cap)
            return refuse ("zw_zmtp_metadata_pack refuses property %zu", i);
    }
    return 0;
}

/*  The fields of a command object into cmd, by its layout (FORMAT.md's
    command table); *keys is the number of keys the object must have, *tail
    the key of the variable part appended after the head.  */
static int
command_fields (zw_zmtp_mechanism mechanism, const json_t *c, zw_zmtp_command *cmd,
                size_t *keys, const char **tail)
{
    json_int_t value;
    *keys = 2;
    *tail = NULL;
    if (mechanism == ZW_MECHANISM_CURVE) {
        switch (cmd->id) {
            case ZW_COMMAND_HELLO:
                *keys = 6;
                if (!integer (c, "versionMajor", &value) || value != 1
                ||  !integer (c, "versionMinor", &value) || value != 0)
                    return refuse ("CURVE HELLO version is not 1.0");
                return fixed_field (c, "clientKey", cmd->u.curve_hello.client_key, 32)
                     | fixed_field (c, "nonce", cmd->u.curve_hello.nonce, 8)
                     | fixed_field (c, "signatureBox", cmd->u.curve_hello.signature_box, 80);
            case ZW_COMMAND_WELCOME:
                *keys = 3;
                return fixed_field (c, "nonce", cmd->u.curve_welcome.nonce, 16)
                     | fixed_field (c, "box", cmd->u.curve_welcome.box, 144);
            case ZW_COMMAND_INITIATE:
                *keys = 4;
                *tail = "box";
                return fixed_field (c, "cookie", cmd->u.curve_initiate.cookie, 96)
                     | fixed_field (c, "nonce", cmd->u.curve_initiate.nonce, 8);
            case ZW_COMMAND_READY:
            case ZW_COMMAND_MESSAGE:
                *keys = 3;
                *tail = "box";
                return fixed_field (c, "nonce", cmd->u.curve_short.nonce, 8);
            case ZW_COMMAND_ERROR:
                return short_string (c, "reason", &cmd->u.reason);
            default:
                *tail = "data";
                return 0;
        }
    }
    switch (cmd->id) {
        case ZW_COMMAND_READY:
        case ZW_COMMAND_INITIATE:
            *tail = "properties";
            return 0;
        case ZW_COMMAND_ERROR:
            return short_string (c, "reason", &cmd->u.reason);
        case ZW_COMMAND_SUBSCRIBE:
        case ZW_COMMAND_CANCEL:
            *tail = "topic";
            return 0;
        case ZW_COMMAND_PING:
            *keys = 3;
            if (!integer (c, "ttl", &value) || value < 0 || value > 0xFFFF)
                return refuse ("PING ttl is not 0..65535");
            cmd->u.ping.ttl = (uint16_t) value;
            return short_string (c, "context", &cmd->u.ping.context);
        case ZW_COMMAND_PONG:
            return short_string (c, "context", &cmd->u.ping.context);
        case ZW_COMMAND_JOIN:
        case ZW_COMMAND_LEAVE:
            return short_string (c, "group", &cmd->u.group);
        case ZW_COMMAND_HELLO:
            *keys = 3;
            return short_string (c, "username", &cmd->u.plain_hello.username)
                 | short_string (c, "password", &cmd->u.plain_hello.password);
        case ZW_COMMAND_WELCOME:
            *keys = 1;
            return 0;
        default:
            *tail = "data";
            return 0;
    }
}

static int
encode_command (zw_zmtp_mechanism mechanism, const json_t *c, zw_bytes *out)
{
    static zw_zmtp_command cmd;     /* large: not on the stack */
    uint8_t head[2048];
    json_t *name = json_object_get (c, "name");
    size_t keys, size = json_string_length (name);
    const char *tail;
    if (!json_is_object (c) || !json_is_string (name) || size == 0 || size > 255)
        return refuse ("command without a name of 1..255 octets");
    memset (&cmd, 0, sizeof cmd);
    memcpy (cmd.name, json_string_value (name), size);
    cmd.name_size = (uint8_t) size;
    cmd.id = zw_zmtp_command_lookup (mechanism, cmd.name, size);
    if (command_fields (mechanism, c, &cmd, &keys, &tail) != 0)
        return -1;
    if (json_object_size (c) != keys)
        return refuse ("the %s command object does not have the %zu keys of its layout", cmd.name, keys);
    size_t n = zw_zmtp_command_pack_head (head, sizeof head, mechanism, &cmd);
    if (n == 0)
        return refuse ("zw_zmtp_command_pack_head refuses the %s command", cmd.name);
    zw_bytes_add (out, head, n);
    if (tail && strcmp (tail, "properties") == 0)
        return encode_properties (json_object_get (c, tail), out);
    if (tail)
        return hex_field (c, tail, SIZE_MAX, out);
    return 0;
}

static int
encode_greeting (const json_t *g, zw_bytes *out)
{
    const char *version = json_string_value (json_object_get (g, "version"));
    uint8_t buf[512];
    zw_bytes identity = { 0 };
    json_int_t major, minor, as_server, revision, socket_type;
    size_t n = 0;
    if (!version)
        return refuse ("greeting without a version");
    if (strcmp (version, "3") == 0) {
        const char *mechanism = json_string_value (json_object_get (g, "mechanism"));
        if (json_object_size (g) != 5 || !mechanism || !integer (g, "major", &major)
        ||  !integer (g, "minor", &minor) || !integer (g, "asServer", &as_server)
        ||  major < 0 || major > 255 || minor < 0 || minor > 255 || as_server < 0 || as_server > 255)
            return refuse ("a 3.x greeting is not {version, major, minor, mechanism, asServer}");
        n = zw_zmtp_greeting_pack_v3 (buf, sizeof buf, (uint8_t) major, (uint8_t) minor, mechanism,
                                      (uint8_t) as_server, NULL);
    }
    else if (strcmp (version, "2.0") == 0) {
        if (json_object_size (g) != 4 || !integer (g, "revision", &revision)
        ||  !integer (g, "socketType", &socket_type) || hex_field (g, "identity", SIZE_MAX, &identity)
        ||  revision < 0 || revision > 255 || socket_type < 0 || socket_type > 255) {
            zw_bytes_free (&identity);
            return refuse ("a 2.0 greeting is not {version, revision, socketType, identity}");
        }
        n = zw_zmtp_greeting_pack_v2 (buf, sizeof buf, (uint8_t) revision, (uint8_t) socket_type,
                                      identity.len ? identity.data : empty, identity.len);
    }
    else if (strcmp (version, "1.0") == 0) {
        if (json_object_size (g) != 2 || hex_field (g, "identity", SIZE_MAX, &identity)) {
            zw_bytes_free (&identity);
            return refuse ("a 1.0 greeting is not {version, identity}");
        }
        n = zw_zmtp_greeting_pack_v1 (buf, sizeof buf, identity.len ? identity.data : empty,
                                      identity.len);
    }
    zw_bytes_free (&identity);
    if (n == 0)
        return refuse ("the greeting encoder refuses the %s greeting", version);
    zw_bytes_add (out, buf, n);
    return 0;
}

static int
encode_frames (const zw_report_params *p, const json_t *frames, zw_bytes *out)
{
    for (size_t i = 0; i < json_array_size (frames); i++) {
        json_t *frame = json_array_get (frames, i);
        json_int_t flags = json_integer_value (json_object_get (frame, "flags"));
        int command = p->framing == ZW_ZMTP_FRAMING_V3 && (flags & ZW_ZMTP_FLAG_COMMAND);
        uint8_t header[ZW_ZMTP_FRAME_HEADER_MAX];
        zw_bytes body = { 0 };
        int rc = command ? encode_command (p->mechanism, json_object_get (frame, "command"), &body)
                         : hex_field (frame, "body", SIZE_MAX, &body);
        size_t n = rc ? 0 : zw_zmtp_frame_pack_header (header, sizeof header, flags & ZW_ZMTP_FLAG_MORE,
                                                       command, body.len);
        zw_bytes_add (out, header, n);
        zw_bytes_add (out, body.data, body.len);
        zw_bytes_free (&body);
        if (rc)
            return rc;
        if (n == 0)
            return refuse ("zw_zmtp_frame_pack_header refuses frame %zu", i);
    }
    return 0;
}

static int
encode_z85 (const json_t *report, zw_bytes *out)
{
    zw_bytes decoded = { 0 };
    if (hex_field (report, "decoded", SIZE_MAX, &decoded) != 0)
        return -1;
    size_t cap = decoded.len / 4 * 5 + 1;
    char *text = malloc (cap);
    if (!text)
        abort ();
    size_t n = zw_z85_encode (text, cap, decoded.len ? decoded.data : empty, decoded.len);
    zw_bytes_add (out, (const uint8_t *) text, n);
    free (text);
    int rc = n == decoded.len / 4 * 5 && decoded.len % 4 == 0 ? 0 : refuse ("zw_z85_encode refuses");
    zw_bytes_free (&decoded);
    return rc;
}

/*  y = encode(report).  Returns 0, or -1 with the reason in 'reason'.  */
static int
encode_report (const zw_report_params *p, const json_t *report, zw_bytes *out)
{
    reason = NULL;
    switch (p->type) {
        case ZW_REPORT_GREETING: return encode_greeting (json_object_get (report, "greeting"), out);
        case ZW_REPORT_FRAMES:   return encode_frames (p, json_object_get (report, "frames"), out);
        case ZW_REPORT_COMMAND:  return encode_command (p->mechanism, json_object_get (report, "command"), out);
        case ZW_REPORT_METADATA: return encode_properties (json_object_get (report, "properties"), out);
        case ZW_REPORT_Z85:      return encode_z85 (report, out);
        case ZW_REPORT_MDP:                 /* frame lists: their harnesses have their own oracles */
        case ZW_REPORT_FLP:
        case ZW_REPORT_ZAP:      break;
    }
    return refuse ("unknown report type");
}

/*  What a non-canonical input may change in a report, removed: a frame's
    offset and LONG bit (a long size for a short body), the raw body of a
    command frame (its command object stays), the offset of a 1.0 detection
    (long identity frame for a short identity).  */
static json_t *
normalise (const zw_report_params *p, const json_t *report)
{
    json_t *copy = json_deep_copy (report);
    if (p->type == ZW_REPORT_GREETING) {
        json_t *detected = json_object_get (copy, "detected");
        const char *version = json_string_value (json_object_get (detected, "version"));
        if (version && strcmp (version, "1.0") == 0)
            json_object_del (detected, "offset");
    }
    if (p->type == ZW_REPORT_FRAMES) {
        json_t *frames = json_object_get (copy, "frames");
        for (size_t i = 0; i < json_array_size (frames); i++) {
            json_t *frame = json_array_get (frames, i);
            json_int_t flags = json_integer_value (json_object_get (frame, "flags"));
            json_object_del (frame, "offset");
            json_object_set_new (frame, "flags", json_integer (flags & ~ZW_ZMTP_FLAG_LONG));
            if (json_object_get (frame, "command"))
                json_object_del (frame, "body");
        }
    }
    return copy;
}

/*  The canonical form of a complete input x, made from x's own octets by
    undoing only what FORMAT.md lets a complete input vary without changing
    its report: a long size for a short body (frames), the signature padding,
    an odd signature end other than 0x7F (zmtp31.greeting.detect-legacy reads
    its bit 0) and the filler (3.x greeting), the signature padding and end
    (2.0), a 1.0 identity frame's flags octet and a long length for a short
    identity (1.0).  A complete input
    must re-encode to exactly this (encode(decode(x)) == canonical(x)): any
    other difference is a field the report lost or the decoder misread.
    Returns 0, or -1 when x does not have the layout the report claims.  */

static uint64_t
be64_at (const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

static int
canonical_greeting (const json_t *report, const uint8_t *x, size_t n, zw_bytes *out)
{
    const char *version = json_string_value (json_object_get (json_object_get (report, "greeting"),
                                                              "version"));
    uint8_t buf[ZW_ZMTP_GREETING_SIZE];
    if (version && strcmp (version, "3") == 0) {
        if (n < ZW_ZMTP_GREETING_SIZE)
            return -1;
        memcpy (buf, x, ZW_ZMTP_GREETING_SIZE);
        memset (buf + 1, 0, 8);                 /* zmtp31.greeting.padding-ignored */
        buf[9] = 0x7F;                          /* zmtp31.greeting.signature */
        memset (buf + 33, 0, 31);               /* zmtp31.greeting.filler */
        zw_bytes_add (out, buf, sizeof buf);
        return 0;
    }
    if (version && strcmp (version, "2.0") == 0) {
        if (n < 14 || n < 14u + x[13])
            return -1;
        memcpy (buf, x, 10);
        memset (buf + 1, 0, 8);
        buf[9] = 0x7F;
        zw_bytes_add (out, buf, 10);
        zw_bytes_add (out, x + 10, 4u + x[13]);
        return 0;
    }
    if (version && strcmp (version, "1.0") == 0) {
        uint64_t length;                        /* counts the flags octet */
        size_t header;
        if (n >= 2 && x[0] != 0xFF)
            length = x[0], header = 2;
        else if (n >= 10 && x[0] == 0xFF)
            length = be64_at (x + 1), header = 10;
        else
            return -1;
        if (length == 0 || length - 1 > n - header)
            return -1;
        uint8_t head[10] = { 0xFF };
        size_t head_size = 2;
        if (length <= 254)                      /* zmtp10.frame.long-length */
            head[0] = (uint8_t) length;
        else {
            memcpy (head + 1, x + 1, 8);
            head_size = 10;
        }
        head[head_size - 1] = 0;                /* zmtp10.greeting.identity-flags */
        zw_bytes_add (out, head, head_size);
        zw_bytes_add (out, x + header, (size_t) (length - 1));
        return 0;
    }
    return -1;
}

static int
canonical_frames (const uint8_t *x, size_t n, zw_bytes *out)
{
    size_t at = 0;
    while (at < n) {
        uint8_t flags = x[at];
        uint64_t size;
        size_t header = (flags & ZW_ZMTP_FLAG_LONG) ? 9 : 2;
        if (n - at < header)
            return -1;
        size = header == 9 ? be64_at (x + at + 1) : x[at + 1];
        if (size > n - at - header)
            return -1;
        uint8_t head[ZW_ZMTP_FRAME_HEADER_MAX];
        memcpy (head, x + at, header);
        if (header == 9 && size <= 255) {       /* zmtp31.frame.long-size: long for short */
            head[0] = flags & (uint8_t) ~ZW_ZMTP_FLAG_LONG;
            head[1] = (uint8_t) size;
            header = 2;
            zw_bytes_add (out, head, 2);
        }
        else
            zw_bytes_add (out, head, header);
        at += (flags & ZW_ZMTP_FLAG_LONG) ? 9 : 2;
        zw_bytes_add (out, x + at, (size_t) size);
        at += (size_t) size;
    }
    return 0;
}

static int
canonical_form (const zw_report_params *p, const json_t *report, const uint8_t *x, size_t n,
                zw_bytes *out)
{
    switch (p->type) {
        case ZW_REPORT_GREETING:
            return canonical_greeting (report, x, n, out);
        case ZW_REPORT_FRAMES:
            return canonical_frames (x, n, out);
        case ZW_REPORT_COMMAND:
        case ZW_REPORT_METADATA:
        case ZW_REPORT_Z85:
            zw_bytes_add (out, x, n);
            return 0;
        case ZW_REPORT_MDP:         /* frame lists: their harnesses have their own oracles */
        case ZW_REPORT_FLP:
        case ZW_REPORT_ZAP:
            break;
    }
    return -1;
}

static int
same_bytes (const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len)
{
    return a_len == b_len && (a_len == 0 || memcmp (a, b, a_len) == 0);
}

static void
check_round_trip (const oracle *o, const json_t *a)
{
    const zw_report_params *p = o->params;
    zw_bytes y = { 0 }, again = { 0 };
    char why[256] = "";
    if (strcmp (state_of (a), "complete") != 0)
        return;
    if (encode_report (p, a, &y) != 0)
        fail (o, a, NULL, &y, "round trip: the complete report does not re-encode: %s",
              reason ? reason : "?");
    json_t *b = decode_whole (p, y.data, y.len);
    const char *problem_b = check_invariants (p, b, y.len);
    if (problem_b)
        fail (o, a, b, &y, "round trip: report invariant on encode(decode(x)): %s", problem_b);
    if (strcmp (state_of (b), "complete") != 0)
        fail (o, a, b, &y, "round trip: encode(decode(x)) does not decode completely");
    json_t *na = normalise (p, a), *nb = normalise (p, b);
    if (!same_json (na, nb))
        fail (o, a, b, &y, "round trip: decode(encode(decode(x))) differs from decode(x)");
    json_decref (na);
    json_decref (nb);
    if (encode_report (p, b, &again) != 0)
        fail (o, a, b, &y, "round trip: decode(y) does not re-encode: %s", reason ? reason : "?");
    if (!same_bytes (again.data, again.len, y.data, y.len))
        fail (o, a, b, &y, "round trip: y = encode(decode(x)) is not a fixpoint (encode(decode(y)) != y)");

    /* Only the differences FORMAT.md sanctions. */
    zw_bytes canonical_x = { 0 };
    if (canonical_form (p, a, o->input, o->size, &canonical_x) != 0)
        fail (o, a, b, &y, "round trip: the input does not have the layout its complete report claims");
    if (!same_bytes (canonical_x.data, canonical_x.len, y.data, y.len))
    {
        print_hex ("canonical form of the input", canonical_x.data, canonical_x.len);
        fail (o, a, b, &y, "round trip: y = encode(decode(x)) differs from the canonical form of x "
              "(a field the report lost or the decoder misread)");
    }
    zw_bytes_free (&canonical_x);

    /* The codec's own round trip must agree with this one on canonicity. */
    int canonical = p->type == ZW_REPORT_GREETING
                  ? y.len <= o->size && same_bytes (y.data, y.len, o->input, y.len)
                  : same_bytes (y.data, y.len, o->input, o->size);
    int rt = zw_report_round_trip (p, o->size ? o->input : empty, o->size, why, sizeof why);
    if (rt < 0)
        fail (o, a, b, &y, "round trip: zw_report_round_trip finds no complete decode of a complete input");
    if (rt != canonical)
        fail (o, a, b, &y, "round trip: zw_report_round_trip says %s (%s), the re-encoding says %s",
              rt ? "canonical" : "non-canonical", why, canonical ? "canonical" : "non-canonical");
    if (!canonical && (p->type == ZW_REPORT_Z85 || p->type == ZW_REPORT_METADATA))
        fail (o, a, b, &y, "round trip: a %s input is not canonical, yet the format has one "
              "encoding per value", type_name (p->type));
    json_decref (b);
    zw_bytes_free (&y);
    zw_bytes_free (&again);
}

/* ---------------------------------------------------------------------- */

int
zw_fuzz_oracle_check (const zw_report_params *params, const uint8_t *data, size_t size)
{
    oracle o = { params, data ? data : empty, size };
    uint64_t stream = zw_fuzz_hash (o.input, size) ^ UINT64_C (0x5A17C0DEC0FFEE00);
    json_t *a = decode_whole (params, o.input, size);
    const char *why = check_invariants (params, a, size);
    if (why)
        fail (&o, a, NULL, NULL, "report invariant: %s", why);
    check_chunks (&o, a, &stream);
    check_prefix (&o, a, &stream);
    check_round_trip (&o, a);
    json_decref (a);
    return 0;
}
