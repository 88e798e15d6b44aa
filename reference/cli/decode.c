/*  decode.c — `zwire decode`: one direction of a ZMTP byte stream, decoded
    and printed line by line (or as JSON lines).

    The stream is what one peer sent: its greeting (1.0, 2.0 or 3.x, found
    by the staged detection of zmtp31.greeting.detect-legacy), then its
    frames, with 2.0 framing after a 2.0 greeting and 3.x framing after a
    3.x one (zmtp31.frame.*, zmtp20.frame.*); command frames are decoded
    with the layouts of the mechanism (zmtp31.command.*, plain.*, curve.*).
    A 1.0 peer's traffic is not decoded.  The greeting, frame and command
    decoders of codec/ do all the checking; this file only feeds them and
    collects what their callbacks report.

    Input is fed in chunks of 4 KiB (CHUNK), so every capture larger than
    that exercises the codecs' chunk invariance.  Raw input is streamed;
    --hex input is read whole, converted, then fed in the same chunks.
    Offsets are absolute in the stream: the frame decoder starts counting
    at the end of the greeting (its base).  Decoding
    stops at the first error (exit 1), at the end of the input (exit 0), or
    after a 1.0 greeting (exit 0).  */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "zwire_cli.h"
#include "decode.h"

#define CHUNK 4096
#define DEFAULT_MAX_BODY 64

static const char help_text[] =
"Usage: zwire decode [options] [FILE]\n"
"\n"
"Decodes ONE direction of a ZMTP connection: the octets one peer sent, from\n"
"the start of the connection (or, with --no-greeting, from a frame start).\n"
"Reads FILE, or standard input when FILE is absent or '-'.  Prints the\n"
"detected protocol and every field of the greeting, then every frame and\n"
"every command with its fields; each line starts with the offset, in the\n"
"stream, of what it shows.  Decoding stops at the first protocol error.\n"
"Use it on a capture of your own peer's bytes (one direction of a TCP\n"
"stream, e.g. Wireshark's \"Follow TCP Stream\" saved as raw or as hex).\n"
"\n"
"Input:\n"
"  FILE                  raw octets (default: standard input)\n"
"  --hex                 the input is hex text, not raw octets: pairs of hex\n"
"                        digits; spaces, tabs and newlines are ignored, and\n"
"                        '#' starts a comment that runs to the end of the line\n"
"\n"
"Protocol:\n"
"  --no-greeting         the input starts at a frame, after the greeting\n"
"  --zmtp V              with --no-greeting: the framing, 3.1 (default), 3.0\n"
"                        or 2.0 (2.0 has no COMMAND flag)\n"
"  --min-version V       the lowest protocol accepted in the greeting: 1.0\n"
"                        (default: 1.0 and 2.0 peers are detected), 2.0 or 3.0;\n"
"                        a peer below it is an unsupported-version error\n"
"  --mechanism M         NULL, PLAIN or CURVE: the layouts used to decode\n"
"                        commands (default: the greeting's mechanism, NULL with\n"
"                        --no-greeting); with a greeting, a different mechanism\n"
"                        in it is a mechanism-mismatch error\n"
"  --max-frame-size N    a frame whose body exceeds N octets is a limit-exceeded\n"
"                        error (default: no limit but the protocol's 2^63-1)\n"
"\n"
"Output:\n"
"  --max-body N          show at most N octets of any octet string: frame body,\n"
"                        property value, topic, key, box, ... (default 64); a\n"
"                        cut string is followed by its size\n"
"  --json                one JSON object per line instead of text (see below)\n"
"  -h, --help            this text\n"
"\n"
"Text output: the first column is the offset.  Greeting lines: greeting (the\n"
"detected protocol and where it was decided), then for 3.x signature, padding\n"
"(shown, but not significant), version, mechanism, as-server, filler; for 2.0\n"
"signature, padding, revision, socket-type, identity; for 1.0 identity.  Then\n"
"per frame: 'frame' with its flags (MORE, LONG, COMMAND) and size (and 'N\n"
"read' when the input or an error stopped inside the body), its body in hex\n"
"and ASCII, 16 octets a line, and for a command frame 'command' with\n"
"its name and its fields, indented: property (READY, INITIATE: name=value,\n"
"values in quotes when printable, else 0x-hex), ttl (PING, in deciseconds and\n"
"seconds), context (PING, PONG), topic (SUBSCRIBE, CANCEL), group (JOIN,\n"
"LEAVE), reason (ERROR), username and password (PLAIN HELLO), version,\n"
"client-key, nonce, signature-box, cookie, box (CURVE, hex), data (a command\n"
"unknown under the mechanism).  The last line is one of:\n"
"  error: CLASS at offset N: REASON [CLAUSE]       (exit status 1)\n"
"  end: complete (N octets)                        (exit status 0)\n"
"  end: incomplete (N octets into the frame at offset M)   (or the greeting)\n"
"  end: not decoded (ZMTP 1.0 traffic from offset M on ...)\n"
"CLASS is one of the fixed error classes of vectors/FORMAT.md (invalid-flags,\n"
"malformed-command, ...) and CLAUSE the ID of the rule broken, in spec/.\n"
"\n"
"JSON output (--json): one object per line; \"type\" is greeting, frame,\n"
"command, error or end.  Binary values are lower-case hex strings cut to\n"
"--max-body octets; a value whose octets are all printable ASCII also comes\n"
"as text under the same key plus \"Text\" (\"reason\" and \"reasonText\").\n"
"  greeting  offset, complete, protocol (\"1.0\", \"2.0\", \"3.0\", \"3.1\", ...;\n"
"            \"3.x\" when the stream stopped inside it), detectedAt; when\n"
"            complete: size, and for 3.x signature, padding,\n"
"            paddingSignificant (false), major, minor, mechanism, asServer,\n"
"            filler, commandLayouts (the mechanism used for commands);\n"
"            for 2.0 signature, padding, paddingSignificant, revision,\n"
"            socketType, socketTypeName, identity; for 1.0 identity\n"
"  frame     offset, flags, more, long, command (booleans), size, headerSize,\n"
"            received (body octets read), body, truncated, complete\n"
"  command   offset (of the body), name, mechanism, known, truncated, and by\n"
"            name: properties [{offset, name, size, value}] (READY, INITIATE),\n"
"            reason (ERROR), topic (SUBSCRIBE, CANCEL), ttl, ttlSeconds and\n"
"            context (PING), context (PONG), group (JOIN, LEAVE), username and\n"
"            password (PLAIN HELLO), versionMajor, versionMinor, clientKey,\n"
"            clientKeyZ85, nonce, signatureBox (CURVE HELLO), nonce, box\n"
"            (CURVE WELCOME, READY, MESSAGE), cookie, nonce, box (CURVE\n"
"            INITIATE), data and dataSize (unknown commands), topicSize and\n"
"            boxSize where the size varies\n"
"  error     class, offset, clause, reason (the last line; exit status 1)\n"
"  end       state (complete, incomplete or not-decoded), offset (octets\n"
"            read; not-decoded: where the 1.0 traffic starts); when\n"
"            incomplete: unit (greeting or frame), unitOffset, unitOctets\n"
"\n"
"Exit status: 0 no protocol error (the input may end inside a frame), 1 a\n"
"protocol error, 3 bad invocation (unknown option, bad value, unreadable FILE,\n"
"bad hex text).\n"
"\n"
"Example: the worked example of 23/ZMTP, a DEALER's NULL greeting and READY:\n"
"  { printf 'ff00000000000000007f03004e554c4c'; printf '%096d' 0\n"
"    printf '0429 0552454144590b536f636b65742d54797065 000000064445414c4552'\n"
"    printf '084964656e74697479 00000000'; } | zwire decode --hex\n"
"prints\n"
"         0  greeting        ZMTP 3.x (23/ZMTP, 37/ZMTP), detected at offset 10\n"
"         0  signature       ff 00 00 00 00 00 00 00 00 7f\n"
"         1  padding         00 00 00 00 00 00 00 00 (not significant)\n"
"        10  version         3.0 (23/ZMTP)\n"
"        12  mechanism       NULL\n"
"        32  as-server       0\n"
"        33  filler          31 octets, all zero\n"
"        64  frame           flags 0x04 COMMAND, size 41\n"
"        66    05 52 45 41 44 59 0b 53 6f 63 6b 65 74 2d 54 79  .READY.Socket-Ty\n"
"        82    70 65 00 00 00 06 44 45 41 4c 45 52 08 49 64 65  pe....DEALER.Ide\n"
"        98    6e 74 69 74 79 00 00 00 00                       ntity....\n"
"        66  command         READY\n"
"        72    property      Socket-Type=\"DEALER\"\n"
"        94    property      Identity=\"\"\n"
"  end: complete (107 octets)\n";

/* ------------------------------------------------------------------------- */
/* options                                                                   */

typedef struct {
    const char *path;           /* NULL or "-": standard input */
    int hex, no_greeting;
    const char *zmtp;           /* --zmtp, NULL if not given */
    zw_zmtp_framing framing;
    const char *min_version;    /* --min-version, NULL if not given */
    zw_zmtp_family min_family;
    int mechanism_set;
    zw_zmtp_mechanism mechanism;
    uint64_t max_frame_size;
    zw_decode_printer printer;
} options;

static int
bad_usage (const char *format, const char *word)
{
    fputs ("zwire decode: ", stderr);
    fprintf (stderr, format, word);
    fputs (" (zwire decode --help lists the options)\n", stderr);
    return ZW_EXIT_USAGE;
}

static const char *const mechanism_names[] = { "NULL", "PLAIN", "CURVE" };

static int
mechanism_from_name (const char *name, zw_zmtp_mechanism *out)
{
    for (int m = 0; m < 3; m++)
        if (strcasecmp (name, mechanism_names[m]) == 0) {
            *out = (zw_zmtp_mechanism) m;
            return 1;
        }
    return 0;
}

/* One option that takes a value; returns 0 or an exit status. */
static int
option_value (options *o, const char *name, const char *value)
{
    if (strcmp (name, "--zmtp") == 0) {
        o->zmtp = value;
        if (strcmp (value, "3.1") == 0 || strcmp (value, "3.0") == 0)
            o->framing = ZW_ZMTP_FRAMING_V3;
        else if (strcmp (value, "2.0") == 0)
            o->framing = ZW_ZMTP_FRAMING_V2;
        else
            return bad_usage ("--zmtp takes 3.1, 3.0 or 2.0, not '%s'", value);
    }
    else if (strcmp (name, "--min-version") == 0) {
        o->min_version = value;
        if (strcmp (value, "1.0") == 0)      o->min_family = ZW_ZMTP_V1;
        else if (strcmp (value, "2.0") == 0) o->min_family = ZW_ZMTP_V2;
        else if (strcmp (value, "3.0") == 0) o->min_family = ZW_ZMTP_V3;
        else
            return bad_usage ("--min-version takes 1.0, 2.0 or 3.0, not '%s'", value);
    }
    else if (strcmp (name, "--mechanism") == 0) {
        o->mechanism_set = 1;
        if (!mechanism_from_name (value, &o->mechanism))
            return bad_usage ("--mechanism takes NULL, PLAIN or CURVE, not '%s'", value);
    }
    else if (strcmp (name, "--max-frame-size") == 0) {
        if (!zw_args_u64 (value, &o->max_frame_size))
            return bad_usage ("--max-frame-size takes a number of octets, not '%s'", value);
    }
    else if (!zw_args_u64 (value, &o->printer.max_body))     /* --max-body */
        return bad_usage ("--max-body takes a number of octets, not '%s'", value);
    return 0;
}

static const char *const value_options[] = {
    "--zmtp", "--min-version", "--mechanism", "--max-frame-size", "--max-body"
};

/*  Parses argv into o.  Returns -1 to go on, or an exit status (--help,
    or a bad invocation).  */
static int
parse_options (options *o, int argc, char **argv)
{
    int positional = 0;
    for (int i = 1; i < argc; i++) {
        const char *word = argv[i], *value = NULL;
        int found = 0;
        if (!positional && strcmp (word, "--") == 0) {
            positional = 1;
            continue;
        }
        if (!positional && (strcmp (word, "--help") == 0 || strcmp (word, "-h") == 0)) {
            fputs (help_text, stdout);
            return ZW_EXIT_OK;
        }
        if (!positional && word[0] == '-' && word[1] != 0) {
            for (size_t k = 0; k < sizeof value_options / sizeof value_options[0] && !found; k++) {
                found = zw_args_value (argc, argv, &i, value_options[k], &value);
                if (found < 0)
                    return bad_usage ("%s needs a value", value_options[k]);
                if (found) {
                    int status = option_value (o, value_options[k], value);
                    if (status)
                        return status;
                }
            }
            if (found)
                continue;
            if (strcmp (word, "--hex") == 0)              o->hex = 1;
            else if (strcmp (word, "--json") == 0)        o->printer.json = 1;
            else if (strcmp (word, "--no-greeting") == 0) o->no_greeting = 1;
            else
                return bad_usage ("unknown option '%s'", word);
            continue;
        }
        if (o->path)
            return bad_usage ("one FILE at most ('%s' is a second one)", word);
        o->path = word;
    }
    if (o->zmtp && !o->no_greeting)
        return bad_usage ("%s: a greeting says the version; use --zmtp with --no-greeting", "--zmtp");
    if (o->min_version && o->no_greeting)
        return bad_usage ("%s checks the greeting; it cannot go with --no-greeting", "--min-version");
    return -1;
}

/* ------------------------------------------------------------------------- */
/* growable octet buffers, for what is shown                                 */

typedef struct {
    uint8_t *data;
    size_t len, cap;
} buffer;

static void *
grow (void *data, size_t size)
{
    void *more = realloc (data, size);
    if (!more) {
        fputs ("zwire decode: out of memory (try a smaller --max-body)\n", stderr);
        exit (ZW_EXIT_USAGE);
    }
    return more;
}

/* Appends to b, keeping at most 'limit' octets in it. */
static void
buffer_add (buffer *b, const uint8_t *data, size_t len, uint64_t limit)
{
    if (b->len >= limit)
        return;
    if (len > limit - b->len)
        len = (size_t) (limit - b->len);
    if (len == 0)
        return;
    if (b->len + len > b->cap) {
        b->cap = b->cap ? b->cap : 256;
        while (b->cap < b->len + len)
            b->cap *= 2;
        b->data = grow (b->data, b->cap);
    }
    memcpy (b->data + b->len, data, len);
    b->len += len;
}

/* ------------------------------------------------------------------------- */
/* the decoder                                                               */

typedef enum { IN_GREETING, IN_FRAMES, STOPPED } phase;

typedef struct {
    const options *opt;
    const zw_decode_printer *pr;
    phase phase;
    int status;                 /* the exit status, once STOPPED */
    uint64_t total;             /* octets fed so far */
    /* greeting */
    zw_zmtp_greeting_ctx greeting;
    uint8_t raw[ZW_ZMTP_GREETING_SIZE];
    size_t raw_len;
    zw_zmtp_family detected;
    uint64_t detected_at;
    /* frames */
    zw_zmtp_framing framing;
    zw_zmtp_mechanism mechanism;
    zw_zmtp_frame_ctx frames;
    uint64_t frame_start;       /* stream offset where the next frame starts */
    int in_frame;               /* a header was reported, its end not yet */
    zw_decode_frame frame;
    buffer body;
    /* the command in the current frame */
    int is_command, command_failed;
    zw_zmtp_command_ctx command;
    uint64_t cursor;            /* offset of the next property */
    zw_decode_property *properties;
    size_t *value_at;           /* where each property's value is in 'values' */
    size_t property_count, property_cap;
    buffer values, part;
    uint64_t part_size;
} decoder;

static void
stop (decoder *d, int status)
{
    d->phase = STOPPED;
    d->status = status;
}

static void
print_error (decoder *d, const zw_error *e)
{
    zw_decode_print_error (d->pr, e);
    stop (d, ZW_EXIT_VIOLATION);
}

/* --- command callbacks --- */

static int
on_command_begin (void *user, const zw_zmtp_command *cmd)
{
    decoder *d = user;
    d->cursor = d->command.base + 1 + cmd->name_size;
    return 0;
}

static int
on_command_part (void *user, zw_zmtp_part part, const uint8_t *data, size_t len)
{
    decoder *d = user;
    (void) part;
    d->part_size += len;
    buffer_add (&d->part, data, len, d->pr->max_body);
    return 0;
}

static int
on_property_name (void *user, const char *name, size_t size)
{
    decoder *d = user;
    if (d->property_count == d->property_cap) {
        d->property_cap = d->property_cap ? 2 * d->property_cap : 8;
        d->properties = grow (d->properties, d->property_cap * sizeof *d->properties);
        d->value_at = grow (d->value_at, d->property_cap * sizeof *d->value_at);
    }
    zw_decode_property *prop = &d->properties[d->property_count];
    memset (prop, 0, sizeof *prop);
    prop->offset = d->cursor;
    memcpy (prop->name, name, size);
    prop->name_size = size;
    d->value_at[d->property_count++] = d->values.len;
    return 0;
}

static int
on_property_value (void *user, const uint8_t *data, size_t len)
{
    decoder *d = user;
    zw_decode_property *prop = &d->properties[d->property_count - 1];
    uint64_t room = d->pr->max_body - prop->value.shown;
    size_t shown = len < room ? len : (size_t) room;
    prop->value.size += len;
    buffer_add (&d->values, data, shown, UINT64_MAX);
    prop->value.shown += shown;
    return 0;
}

static int
on_property_end (void *user)
{
    decoder *d = user;
    zw_decode_property *prop = &d->properties[d->property_count - 1];
    d->cursor += 1 + prop->name_size + 4 + prop->value.size;
    return 0;
}

static const zw_zmtp_metadata_callbacks metadata_callbacks = {
    on_property_name, on_property_value, on_property_end
};

static const zw_zmtp_command_callbacks command_callbacks = {
    on_command_begin, on_command_part, NULL, &metadata_callbacks
};

static void
print_command (decoder *d)
{
    for (size_t i = 0; i < d->property_count; i++)
        d->properties[i].value.data = d->values.data + d->value_at[i];
    zw_decode_command c = {
        .offset = d->command.base, .mechanism = d->mechanism, .fields = &d->command.command,
        .properties = d->properties, .property_count = d->property_count,
        .part = { d->part.data, d->part.len, d->part_size },
    };
    zw_decode_print_command (d->pr, &c);
}

/* --- frame callbacks --- */

static void
print_frame (decoder *d)
{
    d->frame.body.data = d->body.data;
    d->frame.body.shown = d->body.len;
    d->frame.body.size = d->frame.received;
    zw_decode_print_frame (d->pr, &d->frame);
}

static int
on_frame_header (void *user, const zw_zmtp_frame_header *header)
{
    decoder *d = user;
    d->in_frame = 1;
    d->frame.header = *header;
    d->frame.header_size = (header->flags & ZW_ZMTP_FLAG_LONG) ? 9 : 2;
    d->frame.received = 0;
    d->body.len = 0;
    d->is_command = d->framing == ZW_ZMTP_FRAMING_V3 && (header->flags & ZW_ZMTP_FLAG_COMMAND);
    if (d->is_command) {
        d->property_count = 0;
        d->values.len = d->part.len = 0;
        d->part_size = 0;
        zw_zmtp_command_init (&d->command, d->mechanism,
                              d->frame.header.offset + d->frame.header_size, header->size,
                              &command_callbacks, d);
        d->command_failed = zw_zmtp_command_error (&d->command) != NULL;
    }
    return d->command_failed;
}

static int
on_frame_body (void *user, const uint8_t *data, size_t len)
{
    decoder *d = user;
    d->frame.received += len;
    buffer_add (&d->body, data, len, d->pr->max_body);
    if (d->is_command) {
        zw_zmtp_command_push (&d->command, data, len);
        d->command_failed = zw_zmtp_command_error (&d->command) != NULL;
    }
    return d->command_failed;
}

static int
on_frame_end (void *user)
{
    decoder *d = user;
    print_frame (d);
    if (d->is_command)
        print_command (d);
    d->in_frame = 0;
    d->frame_start = d->frame.header.offset + d->frame.header_size + d->frame.header.size;
    return 0;
}

static const zw_zmtp_frame_callbacks frame_callbacks = {
    on_frame_header, on_frame_body, on_frame_end
};

static void
start_frames (decoder *d, uint64_t base, zw_zmtp_framing framing, zw_zmtp_mechanism mechanism)
{
    d->phase = IN_FRAMES;
    d->frame_start = base;
    d->framing = framing;
    d->mechanism = mechanism;
    zw_zmtp_frame_init (&d->frames, framing, base, d->opt->max_frame_size, &frame_callbacks, d);
}

static void
feed_frames (decoder *d, const uint8_t *data, size_t len)
{
    zw_zmtp_frame_push (&d->frames, data, len);
    if (d->command_failed) {
        print_frame (d);
        print_error (d, zw_zmtp_command_error (&d->command));
    }
    else if (zw_zmtp_frame_error (&d->frames))
        print_error (d, zw_zmtp_frame_error (&d->frames));
}

/* --- greeting --- */

static void
on_detect (void *user, zw_zmtp_family family, uint64_t offset)
{
    decoder *d = user;
    d->detected = family;
    d->detected_at = offset;
    zw_decode_print_detect (d->pr, family, offset);
}

static const zw_zmtp_greeting_callbacks greeting_callbacks = { on_detect, NULL };

/* The greeting is in: print it and choose how to read the traffic. */
static void
greeting_done (decoder *d)
{
    const zw_zmtp_greeting *g = &d->greeting.greeting;
    zw_zmtp_mechanism mechanism = ZW_MECHANISM_NULL;
    int guessed = 0;
    if (d->opt->mechanism_set)
        mechanism = d->opt->mechanism;
    else if (g->family == ZW_ZMTP_V3)
        guessed = !mechanism_from_name (g->mechanism, &mechanism);
    zw_decode_greeting view = {
        .fields = g, .raw = d->raw, .detected_at = d->detected_at,
        .layouts = mechanism_names[mechanism], .layouts_guessed = guessed,
    };
    zw_decode_print_greeting (d->pr, &view);
    if (g->family == ZW_ZMTP_V1) {
        zw_decode_end end = { .state = ZW_DECODE_END_NOT_DECODED, .offset = g->size };
        zw_decode_print_end (d->pr, &end);
        stop (d, ZW_EXIT_OK);
    }
    else
        start_frames (d, g->size, g->family == ZW_ZMTP_V2 ? ZW_ZMTP_FRAMING_V2
                                                          : ZW_ZMTP_FRAMING_V3, mechanism);
}

static size_t
feed_greeting (decoder *d, const uint8_t *data, size_t len)
{
    size_t keep = sizeof d->raw - d->raw_len;
    if (keep > len)
        keep = len;
    memcpy (d->raw + d->raw_len, data, keep);
    d->raw_len += keep;
    size_t used = zw_zmtp_greeting_push (&d->greeting, data, len);
    const zw_error *e = zw_zmtp_greeting_error (&d->greeting);
    if (e) {
        if (d->detected != ZW_ZMTP_UNKNOWN)
            zw_decode_print_greeting_partial (d->pr, d->detected, d->detected_at);
        print_error (d, e);
    }
    else if (zw_zmtp_greeting_done (&d->greeting))
        greeting_done (d);
    return used;
}

static void
feed (decoder *d, const uint8_t *data, size_t len)
{
    size_t used = 0;
    if (d->phase == IN_GREETING)
        used = feed_greeting (d, data, len);
    if (d->phase == IN_FRAMES && used < len)
        feed_frames (d, data + used, len - used);
    d->total += len;
}

/* The input ended without an error. */
static void
finish (decoder *d)
{
    zw_decode_end end = { .state = ZW_DECODE_END_INCOMPLETE, .offset = d->total };
    if (d->phase == IN_GREETING) {
        if (d->detected != ZW_ZMTP_UNKNOWN)
            zw_decode_print_greeting_partial (d->pr, d->detected, d->detected_at);
        end.unit = "greeting";
        end.unit_offset = 0;
    }
    else if (d->in_frame) {
        print_frame (d);
        end.unit = "frame";
        end.unit_offset = d->frame.header.offset;
    }
    else if (d->total == d->frame_start)
        end.state = ZW_DECODE_END_COMPLETE;
    else {
        end.unit = "frame";
        end.unit_offset = d->frame_start;
    }
    end.unit_octets = d->total - end.unit_offset;
    zw_decode_print_end (d->pr, &end);
    stop (d, ZW_EXIT_OK);
}

static void
decoder_init (decoder *d, const options *o)
{
    memset (d, 0, sizeof *d);
    d->opt = o;
    d->pr = &o->printer;
    if (o->no_greeting)
        start_frames (d, 0, o->framing, o->mechanism_set ? o->mechanism : ZW_MECHANISM_NULL);
    else {
        d->phase = IN_GREETING;
        zw_zmtp_greeting_init (&d->greeting, o->min_family,
                               o->mechanism_set ? mechanism_names[o->mechanism] : NULL,
                               &greeting_callbacks, d);
    }
}

static void
decoder_free (decoder *d)
{
    free (d->body.data);
    free (d->values.data);
    free (d->part.data);
    free (d->properties);
    free (d->value_at);
}

/* ------------------------------------------------------------------------- */
/* input                                                                     */

static const char *
input_name (const options *o)
{
    return o->path && strcmp (o->path, "-") != 0 ? o->path : "standard input";
}

static int
read_error (const options *o)
{
    fprintf (stderr, "zwire decode: cannot read %s: %s\n", input_name (o), strerror (errno));
    return ZW_EXIT_USAGE;
}

/* Raw input: streamed through the decoder a chunk at a time. */
static int
run_raw (decoder *d, FILE *in)
{
    uint8_t chunk[CHUNK];
    while (d->phase != STOPPED) {
        size_t n = fread (chunk, 1, sizeof chunk, in);
        if (n > 0)
            feed (d, chunk, n);
        if (n < sizeof chunk) {
            if (ferror (in))
                return read_error (d->opt);
            break;
        }
    }
    if (d->phase != STOPPED)
        finish (d);
    return d->status;
}

/* Hex input: read whole and checked before anything is decoded. */
static int
run_hex (decoder *d, FILE *in)
{
    buffer text = { 0 };
    uint8_t chunk[CHUNK];
    char err[160];
    size_t n;
    while ((n = fread (chunk, 1, sizeof chunk, in)) > 0)
        buffer_add (&text, chunk, n, UINT64_MAX);
    if (ferror (in)) {
        free (text.data);
        return read_error (d->opt);
    }
    size_t len = text.len;
    if (!zw_hex_decode_text (text.data, &len, err, sizeof err)) {
        fprintf (stderr, "zwire decode: bad hex text in %s: %s\n", input_name (d->opt), err);
        free (text.data);
        return ZW_EXIT_USAGE;
    }
    for (size_t at = 0; at < len && d->phase != STOPPED; at += CHUNK)
        feed (d, text.data + at, len - at < CHUNK ? len - at : CHUNK);
    if (d->phase != STOPPED)
        finish (d);
    free (text.data);
    return d->status;
}

int
zw_cli_decode (int argc, char **argv)
{
    options o = {
        .framing = ZW_ZMTP_FRAMING_V3, .min_family = ZW_ZMTP_V1,
        .max_frame_size = ZW_ZMTP_SIZE_MAX,
        .printer = { .out = stdout, .max_body = DEFAULT_MAX_BODY },
    };
    int status = parse_options (&o, argc, argv);
    if (status >= 0)
        return status;
    FILE *in = stdin;
    if (o.path && strcmp (o.path, "-") != 0) {
        in = fopen (o.path, "rb");
        if (!in) {
            fprintf (stderr, "zwire decode: cannot open %s: %s\n", o.path, strerror (errno));
            return ZW_EXIT_USAGE;
        }
    }
    decoder *d = grow (NULL, sizeof *d);
    decoder_init (d, &o);
    status = o.hex ? run_hex (d, in) : run_raw (d, in);
    decoder_free (d);
    free (d);
    if (in != stdin)
        fclose (in);
    if (fflush (stdout) != 0) {
        fprintf (stderr, "zwire decode: cannot write the output: %s\n", strerror (errno));
        return ZW_EXIT_USAGE;
    }
    return status;
}
