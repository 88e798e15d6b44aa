/*  test_tolerate.c — the codec tolerances (codec/zmtp_tolerate.h) and the
    engine's use of them, which the lenient variants of the reference peer
    switch on (reference/core/zw_fault.c).  Each tolerance reads past a rule
    that binds only the sender; each test shows the strict decoder refusing
    the input, the tolerant one reading it (at every two-way split of the
    octets, which must give the same result), and the rules it does not
    relax still holding.  Prints "N passed, N failed".  */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "zw_engine.h"
#include "zw_curvezmq.h"
#include "zw_fault.h"

#include "test_check.h"

/* --- frames ------------------------------------------------------------------------------ */

typedef struct {
    int headers, ends;
    uint8_t flags;
    uint64_t size;
} frames_seen;

static int
seen_header (void *user, const zw_zmtp_frame_header *header)
{
    frames_seen *s = user;
    s->headers++;
    s->flags = header->flags;
    s->size = header->size;
    return 0;
}

static int
seen_end (void *user)
{
    ((frames_seen *) user)->ends++;
    return 0;
}

static const zw_zmtp_frame_callbacks frame_callbacks = { seen_header, NULL, seen_end };

/*  Decodes one frame split at 'cut' with the given tolerances; returns the
    error's clause ("" when none) and fills *s.  */
static const char *
decode_frame (zw_zmtp_framing framing, unsigned tolerate, const uint8_t *data, size_t len,
              size_t cut, frames_seen *s)
{
    static zw_zmtp_frame_ctx ctx;
    memset (s, 0, sizeof *s);
    zw_zmtp_frame_init (&ctx, framing, 64, ZW_ZMTP_SIZE_MAX, &frame_callbacks, s);
    zw_zmtp_frame_tolerate (&ctx, tolerate);
    zw_zmtp_frame_push (&ctx, data, cut);
    zw_zmtp_frame_push (&ctx, data + cut, len - cut);
    const zw_error *e = zw_zmtp_frame_error (&ctx);
    return e ? e->clause : "";
}

/*  1 if the frame decodes, at every split, to one frame of the given flags
    and size.  */
static int
frame_read (zw_zmtp_framing framing, unsigned tolerate, const uint8_t *data, size_t len,
            uint8_t flags, uint64_t size)
{
    for (size_t cut = 0; cut <= len; cut++) {
        frames_seen s;
        if (*decode_frame (framing, tolerate, data, len, cut, &s) || s.headers != 1
        ||  s.ends != 1 || s.flags != flags || s.size != size)
            return 0;
    }
    return 1;
}

/* The clause the frame is refused under (at any split: the same). */
static const char *
frame_refused (zw_zmtp_framing framing, unsigned tolerate, const uint8_t *data, size_t len)
{
    frames_seen s;
    const char *clause = decode_frame (framing, tolerate, data, len, 0, &s);
    for (size_t cut = 1; cut <= len; cut++)
        if (strcmp (decode_frame (framing, tolerate, data, len, cut, &s), clause) != 0)
            return "differs by split";
    return clause;
}

/*  zmtp31.frame.flags-reserved, zmtp20.frame.flags-reserved: reserved bits
    are read as if clear; LONG still chooses the size.  */
static void
test_reserved_flags (void)
{
    const unsigned reserved = ZW_ZMTP_TOLERATE_RESERVED_FLAGS;
    static const uint8_t short_frame[] = { 0x08, 0x02, 'h', 'i' };
    static const uint8_t long_frame[] = { 0x83, 0, 0, 0, 0, 0, 0, 0, 0x01, 'x' };
    static const uint8_t ping[] = { 0xF4, 0x07, 4, 'P', 'I', 'N', 'G', 0, 0 };
    CHECK (strcmp (frame_refused (ZW_ZMTP_FRAMING_V3, 0, short_frame, sizeof short_frame),
                   "zmtp31.frame.flags-reserved") == 0);
    CHECK (frame_read (ZW_ZMTP_FRAMING_V3, reserved, short_frame, sizeof short_frame, 0x08, 2));
    CHECK (frame_read (ZW_ZMTP_FRAMING_V3, reserved, long_frame, sizeof long_frame, 0x83, 1));
    CHECK (frame_read (ZW_ZMTP_FRAMING_V3, reserved, ping, sizeof ping, 0xF4, 7));
    /* 2.0: bits 2-7 reserved, COMMAND among them */
    static const uint8_t v2_frame[] = { 0x05, 0x01, 'a' };
    CHECK (strcmp (frame_refused (ZW_ZMTP_FRAMING_V2, 0, v2_frame, sizeof v2_frame),
                   "zmtp20.frame.flags-reserved") == 0);
    CHECK (frame_read (ZW_ZMTP_FRAMING_V2, reserved, v2_frame, sizeof v2_frame, 0x05, 1));
    /* not MORE on a command: that is a rule of its own */
    static const uint8_t command_more[] = { 0x0D, 0x00 };
    CHECK (strcmp (frame_refused (ZW_ZMTP_FRAMING_V3, reserved, command_more,
                                  sizeof command_more), "zmtp31.frame.command-no-more") == 0);
}

/* zmtp31.frame.command-no-more: MORE on a command is read as absent. */
static void
test_command_more (void)
{
    const unsigned more = ZW_ZMTP_TOLERATE_COMMAND_MORE;
    static const uint8_t short_command[] = { 0x05, 0x00 };
    static const uint8_t long_command[] = { 0x07, 0, 0, 0, 0, 0, 0, 0, 0x00 };
    CHECK (strcmp (frame_refused (ZW_ZMTP_FRAMING_V3, 0, short_command, sizeof short_command),
                   "zmtp31.frame.command-no-more") == 0);
    CHECK (frame_read (ZW_ZMTP_FRAMING_V3, more, short_command, sizeof short_command, 0x05, 0));
    CHECK (frame_read (ZW_ZMTP_FRAMING_V3, more, long_command, sizeof long_command, 0x07, 0));
    static const uint8_t reserved[] = { 0x0D, 0x00 };
    CHECK (strcmp (frame_refused (ZW_ZMTP_FRAMING_V3, more, reserved, sizeof reserved),
                   "zmtp31.frame.flags-reserved") == 0);
    CHECK (frame_read (ZW_ZMTP_FRAMING_V3, more | ZW_ZMTP_TOLERATE_RESERVED_FLAGS, reserved,
                       sizeof reserved, 0x0D, 0));
}

/*  Every flags octet, in both framings, under every combination of the two
    tolerances: read exactly when each rule it breaks is tolerated, with
    LONG choosing an 8-octet size (Ragel's conditions are easy to get
    subtly wrong, so no octet is left to chance).  */
static void
test_flags_exhaustive (void)
{
    static const uint8_t zeros[8];
    int wrong = 0;
    for (int framing = 2; framing <= 3; framing++)
        for (unsigned tolerate = 0; tolerate < 4; tolerate++)
            for (int f = 0; f < 256; f++) {
                unsigned bits = (tolerate & 1 ? ZW_ZMTP_TOLERATE_RESERVED_FLAGS : 0)
                              | (tolerate & 2 ? ZW_ZMTP_TOLERATE_COMMAND_MORE : 0);
                int reserved = f & (framing == 2 ? 0xFC : 0xF8);
                int command_more = framing == 3 && (f & 0x05) == 0x05;
                int read = (!reserved || tolerate & 1) && (!command_more || tolerate & 2);
                uint8_t frame[9] = { (uint8_t) f };
                memcpy (frame + 1, zeros, 8);
                size_t len = f & ZW_ZMTP_FLAG_LONG ? 9 : 2;
                frames_seen s;
                const char *clause = decode_frame ((zw_zmtp_framing) framing, bits, frame, len,
                                                   len / 2, &s);
                if (read != (*clause == 0) || (read && (s.headers != 1 || s.ends != 1
                                                        || s.flags != f || s.size != 0)))
                    wrong++;
            }
    CHECK (wrong == 0);
}

/* --- the greeting ---------------------------------------------------------------------------- */

/* Decodes a greeting split at 'cut'; returns the error's clause or "". */
static const char *
decode_greeting (unsigned tolerate, const uint8_t *data, size_t len, size_t cut,
                 zw_zmtp_greeting_ctx *ctx)
{
    zw_zmtp_greeting_init (ctx, ZW_ZMTP_V1, "NULL", NULL, NULL);
    zw_zmtp_greeting_tolerate (ctx, tolerate);
    size_t used = zw_zmtp_greeting_push (ctx, data, cut);
    if (used == cut)
        zw_zmtp_greeting_push (ctx, data + cut, len - cut);
    const zw_error *e = zw_zmtp_greeting_error (ctx);
    return e ? e->clause : "";
}

/*  Major version 0 is read as an older peer, 2.0 (zmtp31.version.downgrade),
    at every split; strict, it is refused (zmtp31.version.downgrade-or-close).  */
static void
test_major_zero (void)
{
    static const uint8_t v0[] = { 0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 0, ZW_PUSH, 0x00, 2, 'i', 'd' };
    zw_zmtp_greeting_ctx ctx;
    CHECK (strcmp (decode_greeting (0, v0, sizeof v0, 0, &ctx),
                   "zmtp31.version.downgrade-or-close") == 0);
    for (size_t cut = 0; cut <= sizeof v0; cut++) {
        CHECK (*decode_greeting (ZW_ZMTP_TOLERATE_MAJOR_ZERO, v0, sizeof v0, cut, &ctx) == 0);
        CHECK (zw_zmtp_greeting_done (&ctx) && ctx.greeting.family == ZW_ZMTP_V2
               && ctx.greeting.revision == 0 && ctx.greeting.socket_type == ZW_PUSH
               && ctx.greeting.identity_size == 2 && memcmp (ctx.greeting.identity, "id", 2) == 0);
    }
}

/*  zmtp31.null.as-server-zero binds the sender: as-server 1 with NULL is
    read when tolerated; as-server 2 breaks the grammar and still does not.  */
static void
test_null_as_server (void)
{
    uint8_t g[64] = { 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0x7F, 3, 1, 'N', 'U', 'L', 'L' };
    zw_zmtp_greeting_ctx ctx;
    g[32] = 1;
    CHECK (strcmp (decode_greeting (0, g, sizeof g, 0, &ctx), "zmtp31.null.as-server-zero") == 0);
    for (size_t cut = 0; cut <= sizeof g; cut++) {
        CHECK (*decode_greeting (ZW_ZMTP_TOLERATE_AS_SERVER, g, sizeof g, cut, &ctx) == 0);
        CHECK (zw_zmtp_greeting_done (&ctx) && ctx.greeting.as_server == 1);
    }
    g[32] = 2;
    CHECK (strcmp (decode_greeting (ZW_ZMTP_TOLERATE_AS_SERVER, g, sizeof g, 0, &ctx),
                   "zmtp31.greeting.as-server") == 0);
}

/* --- commands and metadata ---------------------------------------------------------------------- */

typedef struct {
    int commands, names, ends;
    zw_zmtp_command command;
    uint8_t part[64];
    size_t part_size;
    zw_zmtp_part part_kind;
    char last_name[256];
} commands_seen;

static int
seen_part (void *user, zw_zmtp_part part, const uint8_t *data, size_t len)
{
    commands_seen *s = user;
    s->part_kind = part;
    for (size_t i = 0; i < len && s->part_size < sizeof s->part; i++)
        s->part[s->part_size++] = data[i];
    return 0;
}

static int
seen_command (void *user, const zw_zmtp_command *cmd)
{
    commands_seen *s = user;
    s->commands++;
    s->command = *cmd;
    return 0;
}

static int
seen_name (void *user, const char *name, size_t size)
{
    commands_seen *s = user;
    s->names++;
    memcpy (s->last_name, name, size);
    s->last_name[size] = 0;
    return 0;
}

static int
seen_property_end (void *user)
{
    ((commands_seen *) user)->ends++;
    return 0;
}

static const zw_zmtp_metadata_callbacks metadata_callbacks = {
    seen_name, NULL, seen_property_end
};
static const zw_zmtp_command_callbacks command_callbacks = {
    NULL, seen_part, seen_command, &metadata_callbacks
};

static zw_zmtp_command_ctx ctx;       /* the last command decoded */

/*  Decodes a command body (at offset 66) split at 'cut'; returns the
    error's clause or "".  */
static const char *
decode_command (unsigned tolerate, const uint8_t *body, size_t len, size_t cut,
                commands_seen *s)
{
    memset (s, 0, sizeof *s);
    zw_zmtp_command_init (&ctx, ZW_MECHANISM_NULL, 66, len, &command_callbacks, s);
    zw_zmtp_command_tolerate (&ctx, tolerate);
    zw_zmtp_command_push (&ctx, body, cut);
    zw_zmtp_command_push (&ctx, body + cut, len - cut);
    const zw_error *e = zw_zmtp_command_error (&ctx);
    return e ? e->clause : "";
}

/*  1 if the body decodes, at every split, to one command of the given id
    whose variable part is the part_size octets of 'part'.  */
static int
command_read (unsigned tolerate, const uint8_t *body, size_t len, zw_zmtp_command_id id,
              const char *part, size_t part_size, commands_seen *s)
{
    for (size_t cut = 0; cut <= len; cut++)
        if (*decode_command (tolerate, body, len, cut, s) || s->commands != 1
        ||  s->command.id != id || s->part_size != part_size
        ||  memcmp (s->part, part, part_size) != 0)
            return 0;
    return 1;
}

/*  zmtp31.command.name binds the sender: names of any octets and the empty
    name are commands of unknown names; a body cut inside its name is not
    a command at all.  */
static void
test_command_names (void)
{
    const unsigned names = ZW_ZMTP_TOLERATE_COMMAND_NAME;
    commands_seen s;
    static const uint8_t digit[] = { 4, 'P', '1', 'N', 'G', 0, 0 };
    static const uint8_t empty[] = { 0, 'a', 'b' };
    static const uint8_t cut[] = { 5, 'A', 'B' };
    CHECK (strcmp (decode_command (0, digit, sizeof digit, 0, &s), "zmtp31.command.name") == 0);
    CHECK (strcmp (decode_command (0, empty, sizeof empty, 0, &s), "zmtp31.command.name") == 0
           && ctx.error.offset == 66 && ctx.error.code == ZW_ERR_MALFORMED_COMMAND);
    /* the two zero octets after the name are its data */
    CHECK (command_read (names, digit, sizeof digit, ZW_COMMAND_UNKNOWN, "\0\0", 2, &s)
           && s.command.name_size == 4 && strcmp (s.command.name, "P1NG") == 0
           && s.part_kind == ZW_PART_DATA);
    CHECK (command_read (names, empty, sizeof empty, ZW_COMMAND_UNKNOWN, "ab", 2, &s)
           && s.command.name_size == 0 && s.part_kind == ZW_PART_DATA);
    CHECK (strcmp (decode_command (names, cut, sizeof cut, 0, &s), "zmtp31.command.name") == 0);
    /* a known name keeps its layout */
    static const uint8_t ping[] = { 4, 'P', 'I', 'N', 'G', 0, 1, 'c' };
    CHECK (command_read (names, ping, sizeof ping, ZW_COMMAND_PING, "", 0, &s)
           && s.command.u.ping.ttl == 1 && s.command.u.ping.context.size == 1);
}

static int
is_alpha (int c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int
is_name_char (int c)
{
    return is_alpha (c) || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '+';
}

/*  Every octet as a one-octet command name and as a one-octet property
    name, strict and tolerant; and the empty name both ways.  */
static void
test_names_exhaustive (void)
{
    int wrong = 0;
    commands_seen s;
    for (int c = 0; c < 256; c++)
        for (unsigned t = 0; t < 2; t++) {
            uint8_t command[] = { 1, (uint8_t) c, 'x' };
            int read = !*decode_command (t ? ZW_ZMTP_TOLERATE_COMMAND_NAME : 0, command,
                                         sizeof command, 1, &s);
            if (read != (t || is_alpha (c)) || (read && s.command.id != ZW_COMMAND_UNKNOWN))
                wrong++;
            uint8_t ready[] = { 5, 'R', 'E', 'A', 'D', 'Y', 1, (uint8_t) c, 0, 0, 0, 0 };
            read = !*decode_command (t ? ZW_ZMTP_TOLERATE_METADATA : 0, ready, sizeof ready, 7, &s);
            if (read != (t || is_name_char (c)) || (read && s.ends != 1))
                wrong++;
        }
    CHECK (wrong == 0);
}

/*  zmtp31.command.ping, zmtp31.command.pong: a context over 16 octets is
    read, its first 16 kept and the rest passed on as ZW_PART_EXCESS.  */
static void
test_long_context (void)
{
    const unsigned context = ZW_ZMTP_TOLERATE_LONG_CONTEXT;
    commands_seen s;
    uint8_t ping[7 + 20] = { 4, 'P', 'I', 'N', 'G', 0, 5 };
    memcpy (ping + 7, "ABCDEFGHIJKLMNOPQRST", 20);
    CHECK (strcmp (decode_command (0, ping, sizeof ping, 0, &s), "zmtp31.command.ping") == 0);
    CHECK (command_read (context, ping, sizeof ping, ZW_COMMAND_PING, "QRST", 4, &s)
           && s.part_kind == ZW_PART_EXCESS && s.command.u.ping.ttl == 5
           && s.command.u.ping.context.size == 16
           && memcmp (s.command.u.ping.context.data, "ABCDEFGHIJKLMNOP", 16) == 0);
    /* exactly 17: one octet of excess */
    CHECK (command_read (context, ping, 7 + 17, ZW_COMMAND_PING, "Q", 1, &s)
           && s.command.u.ping.context.size == 16);
    /* 16 or fewer: no excess */
    CHECK (command_read (context, ping, 7 + 16, ZW_COMMAND_PING, "", 0, &s)
           && s.command.u.ping.context.size == 16);
    uint8_t pong[5 + 18] = { 4, 'P', 'O', 'N', 'G' };
    memcpy (pong + 5, "abcdefghijklmnopqr", 18);
    CHECK (strcmp (decode_command (0, pong, sizeof pong, 0, &s), "zmtp31.command.pong") == 0);
    CHECK (command_read (context, pong, sizeof pong, ZW_COMMAND_PONG, "qr", 2, &s)
           && s.command.u.ping.context.size == 16);
}

/*  curve.hello.padding: the one tolerance that reads past a receiver's
    rule (the server MUST refuse, curve.server.check-hello), asked for only
    by the fault curve-padding-unchecked.  Strict, every non-zero value of
    a padding octet is refused at that octet; tolerant, the HELLO is read at
    every split, its version still checked.  */
static const char *
decode_curve (unsigned tolerate, const uint8_t *body, size_t len, size_t cut, commands_seen *s)
{
    memset (s, 0, sizeof *s);
    zw_zmtp_command_init (&ctx, ZW_MECHANISM_CURVE, 66, len, &command_callbacks, s);
    zw_zmtp_command_tolerate (&ctx, tolerate);
    zw_zmtp_command_push (&ctx, body, cut);
    zw_zmtp_command_push (&ctx, body + cut, len - cut);
    const zw_error *e = zw_zmtp_command_error (&ctx);
    return e ? e->clause : "";
}

static void
test_curve_padding (void)
{
    const unsigned padding = ZW_ZMTP_TOLERATE_CURVE_PADDING;
    commands_seen s;
    uint8_t hello[200] = { 5, 'H', 'E', 'L', 'L', 'O', 1, 0 };
    CHECK (*decode_curve (0, hello, sizeof hello, 0, &s) == 0 && s.commands == 1);
    int refused = 1;
    for (int value = 1; value < 256; value++) {
        hello[8 + 40] = (uint8_t) value;
        refused &= strcmp (decode_curve (0, hello, sizeof hello, 0, &s), "curve.hello.padding") == 0
                && ctx.error.offset == 66 + 48 && s.commands == 0;
    }
    CHECK (refused);
    hello[8 + 40] = 1;
    hello[8 + 71] = 0xFF;
    int read = 1;
    for (size_t cut = 0; cut <= sizeof hello; cut++)
        read &= *decode_curve (padding, hello, sizeof hello, cut, &s) == 0 && s.commands == 1
             && s.command.id == ZW_COMMAND_HELLO;
    CHECK (read);
    hello[6] = 2;                               /* version 2.0: still refused */
    CHECK (strcmp (decode_curve (padding, hello, sizeof hello, 0, &s), "curve.hello.version") == 0);
}

/*  zmtp31.metadata.name, zmtp31.metadata.value-size (both bind the sender;
    zmtp31.null.ready-validate: the server MAY validate): with the
    tolerance an empty name, a name of any octets and a huge value size
    are read, and a last property cut short is dropped.  */
static void
test_metadata (void)
{
    const unsigned metadata = ZW_ZMTP_TOLERATE_METADATA;
    commands_seen s;
    /* READY: Socket-Type PUSH, an empty name, 'X Bad' */
    static const uint8_t ready[] = {
        5, 'R', 'E', 'A', 'D', 'Y',
        11, 'S', 'o', 'c', 'k', 'e', 't', '-', 'T', 'y', 'p', 'e', 0, 0, 0, 4, 'P', 'U', 'S', 'H',
        0, 0, 0, 0, 1, 'v',
        5, 'X', ' ', 'B', 'a', 'd', 0, 0, 0, 0
    };
    CHECK (strcmp (decode_command (0, ready, sizeof ready, 0, &s), "zmtp31.metadata.name") == 0
           && ctx.error.offset == 66 + 26 && ctx.error.code == ZW_ERR_INVALID_METADATA);
    CHECK (command_read (metadata, ready, sizeof ready, ZW_COMMAND_READY, "", 0, &s)
           && s.names == 3 && s.ends == 3 && strcmp (s.last_name, "X Bad") == 0);
    /* a value size of 2^31, cut by the end of READY: dropped */
    static const uint8_t big[] = { 5, 'R', 'E', 'A', 'D', 'Y', 1, 'X', 0x80, 0, 0, 0, 'v' };
    CHECK (strcmp (decode_command (0, big, sizeof big, 0, &s), "zmtp31.metadata.value-size") == 0);
    CHECK (command_read (metadata, big, sizeof big, ZW_COMMAND_READY, "", 0, &s)
           && s.names == 1 && s.ends == 0);
    /* cut inside a name, or inside a value size: dropped */
    static const uint8_t cut_name[] = { 5, 'R', 'E', 'A', 'D', 'Y', 4, 'N', 'a' };
    static const uint8_t cut_size[] = { 5, 'R', 'E', 'A', 'D', 'Y', 1, 'N', 0, 0 };
    CHECK (strcmp (decode_command (0, cut_name, sizeof cut_name, 0, &s), "zmtp31.metadata.name") == 0);
    CHECK (command_read (metadata, cut_name, sizeof cut_name, ZW_COMMAND_READY, "", 0, &s)
           && s.ends == 0);
    CHECK (command_read (metadata, cut_size, sizeof cut_size, ZW_COMMAND_READY, "", 0, &s)
           && s.ends == 0);
    /* the tolerance reaches metadata only through the command decoder's own bits */
    CHECK (*decode_command (ZW_ZMTP_TOLERATE_COMMAND_NAME, ready, sizeof ready, 0, &s) != 0);
}

/* --- the engine ---------------------------------------------------------------------------------- */

typedef struct {
    int ready, messages;
    zw_msg *last;
} owner;

static int
on_ready (void *user, const zw_peer_info *peer)
{
    (void) peer;
    ((owner *) user)->ready++;
    return 0;
}

static void
on_message (void *user, zw_msg *msg)
{
    owner *o = user;
    o->messages++;
    zw_msg_destroy (o->last);
    o->last = msg;
}

static const zw_engine_callbacks engine_callbacks = { on_ready, on_message, NULL, NULL };

static const uint8_t greeting_31[64] = {
    0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 3, 1, 'N', 'U', 'L', 'L'
};

static const uint8_t ready_push[] = {
    0x04, 0x1A, 5, 'R', 'E', 'A', 'D', 'Y',
    11, 'S', 'o', 'c', 'k', 'e', 't', '-', 'T', 'y', 'p', 'e', 0, 0, 0, 4, 'P', 'U', 'S', 'H'
};

static size_t
drain (zw_engine *e, uint8_t *out, size_t cap)
{
    size_t total = 0;
    struct iovec run;
    while (zw_engine_output_iov (e, &run, 1) == 1) {
        if (out && total + run.iov_len <= cap)
            memcpy (out + total, run.iov_base, run.iov_len);
        zw_engine_output_done (e, run.iov_len);
        total += run.iov_len;
    }
    return total;
}

/* A PULL engine with the given tolerances, its greeting read and its own output drained. */
static void
start (zw_engine *e, owner *o, unsigned tolerate)
{
    zw_engine_options options = { .socket_type = ZW_PULL, .minor = 1, .tolerate = tolerate };
    memset (o, 0, sizeof *o);
    zw_engine_init (e, &options, &engine_callbacks, o, 0);
    zw_engine_push (e, greeting_31, sizeof greeting_31, 0);
    drain (e, NULL, 0);
}

static void
finish (zw_engine *e, owner *o)
{
    zw_engine_fini (e);
    zw_msg_destroy (o->last);
}

/*  zmtp31.command.pong: the PONG to a PING whose context is over 16 octets
    echoes its first 16, never more (the exact octets queued).  */
static void
test_engine_pong_truncates (void)
{
    zw_engine e;
    owner o;
    start (&e, &o, ZW_ZMTP_TOLERATE_LONG_CONTEXT);
    zw_engine_push (&e, ready_push, sizeof ready_push, 0);
    uint8_t ping[2 + 7 + 20] = { 0x04, 27, 4, 'P', 'I', 'N', 'G', 0, 0 };
    memcpy (ping + 9, "ABCDEFGHIJKLMNOPQRST", 20);
    zw_engine_push (&e, ping, sizeof ping, 0);
    static const uint8_t pong[] = { 0x04, 21, 4, 'P', 'O', 'N', 'G',
                                    'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H',
                                    'I', 'J', 'K', 'L', 'M', 'N', 'O', 'P' };
    uint8_t out[64];
    CHECK (drain (&e, out, sizeof out) == sizeof pong && memcmp (out, pong, sizeof pong) == 0);
    CHECK (zw_engine_active (&e));
    finish (&e, &o);
    /* strict: the PING is refused and the connection closed */
    start (&e, &o, 0);
    zw_engine_push (&e, ready_push, sizeof ready_push, 0);
    zw_engine_push (&e, ping, sizeof ping, 0);
    CHECK (zw_engine_closed (&e));
    finish (&e, &o);
}

/*  An unknown command, whatever its name, is ignored, in the handshake as
    after it; strict, one in the handshake is refused
    (zmtp31.handshake.commands-first) and a malformed name closes.  */
static void
test_engine_unknown_commands (void)
{
    zw_engine e;
    owner o;
    static const uint8_t odd[] = { 0x04, 0x05, 4, 'P', '1', 'N', 'G' };
    static const uint8_t noop[] = { 0x04, 0x05, 4, 'N', 'O', 'O', 'P' };
    static const uint8_t message[] = { 0x00, 0x02, 'h', 'i' };
    start (&e, &o, ZW_ZMTP_TOLERATE_COMMAND_NAME);
    zw_engine_push (&e, noop, sizeof noop, 0);
    zw_engine_push (&e, odd, sizeof odd, 0);
    CHECK (!zw_engine_closed (&e));
    zw_engine_push (&e, ready_push, sizeof ready_push, 0);
    zw_engine_push (&e, odd, sizeof odd, 0);
    zw_engine_push (&e, message, sizeof message, 0);
    CHECK (zw_engine_active (&e) && o.ready == 1 && o.messages == 1);
    finish (&e, &o);
    start (&e, &o, 0);
    zw_engine_push (&e, noop, sizeof noop, 0);
    const zw_error *v = zw_engine_violation (&e);
    CHECK (zw_engine_closed (&e) && v && strcmp (v->clause, "zmtp31.handshake.commands-first") == 0);
    finish (&e, &o);
}

/* Reserved flag bits and MORE on a command, read past: the message and the PING go through. */
static void
test_engine_flags (void)
{
    zw_engine e;
    owner o;
    start (&e, &o, ZW_ZMTP_TOLERATE_RESERVED_FLAGS | ZW_ZMTP_TOLERATE_COMMAND_MORE);
    zw_engine_push (&e, ready_push, sizeof ready_push, 0);
    static const uint8_t input[] = { 0x09, 0x01, 'a', 0x80, 0x01, 'b',     /* a message */
                                     0x05, 0x07, 4, 'P', 'I', 'N', 'G', 0, 0 };
    zw_engine_push (&e, input, sizeof input, 0);
    uint8_t out[16];
    static const uint8_t pong[] = { 0x04, 0x05, 4, 'P', 'O', 'N', 'G' };
    CHECK (o.messages == 1 && o.last->count == 2 && o.last->frames[1].data[0] == 'b');
    CHECK (drain (&e, out, sizeof out) == sizeof pong && memcmp (out, pong, sizeof pong) == 0);
    finish (&e, &o);
}

/*  Major 0: the engine answers with the rest of a 2.0 greeting and speaks
    2.0 (zmtp31.version.downgrade); strict, it closes.  */
static void
test_engine_major_zero (void)
{
    zw_engine e;
    owner o = { 0 };
    zw_engine_options options = { .socket_type = ZW_PULL, .minor = 1,
                                  .tolerate = ZW_ZMTP_TOLERATE_MAJOR_ZERO };
    zw_engine_init (&e, &options, &engine_callbacks, &o, 0);
    drain (&e, NULL, 0);
    static const uint8_t v0[] = { 0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 0, ZW_PUSH, 0, 0 };
    zw_engine_push (&e, v0, 11, 0);
    uint8_t out[16];
    CHECK (drain (&e, out, sizeof out) == 3 && out[0] == ZW_PULL && out[1] == 0 && out[2] == 0);
    zw_engine_push (&e, v0 + 11, sizeof v0 - 11, 0);
    static const uint8_t message[] = { 0x00, 0x01, 'm' };
    zw_engine_push (&e, message, sizeof message, 0);
    CHECK (zw_engine_active (&e) && o.ready == 1 && o.messages == 1);
    finish (&e, &o);
}

/*  A READY with malformed metadata is taken; one whose Socket-Type is cut
    short loses it and is refused, with ERROR (zmtp31.socket-type.check
    still holds).  */
static void
test_engine_ready_unvalidated (void)
{
    zw_engine e;
    owner o;
    static const uint8_t odd_ready[] = {
        0x04, 0x27, 5, 'R', 'E', 'A', 'D', 'Y',
        5, 'X', ' ', 'B', 'a', 'd', 0, 0, 0, 0,
        11, 'S', 'o', 'c', 'k', 'e', 't', '-', 'T', 'y', 'p', 'e', 0, 0, 0, 4, 'P', 'U', 'S', 'H',
        0, 0, 0
    };
    start (&e, &o, ZW_ZMTP_TOLERATE_METADATA);
    zw_engine_push (&e, odd_ready, sizeof odd_ready, 0);
    CHECK (zw_engine_active (&e) && o.ready == 1);
    finish (&e, &o);
    static const uint8_t cut_ready[] = {
        0x04, 0x19, 5, 'R', 'E', 'A', 'D', 'Y',
        11, 'S', 'o', 'c', 'k', 'e', 't', '-', 'T', 'y', 'p', 'e', 0, 0, 0, 4, 'P', 'U', 'S'
    };
    start (&e, &o, ZW_ZMTP_TOLERATE_METADATA);
    zw_engine_push (&e, cut_ready, sizeof cut_ready, 0);
    uint8_t out[64];
    size_t n = drain (&e, out, sizeof out);
    const zw_error *v = zw_engine_violation (&e);
    CHECK (zw_engine_closed (&e) && o.ready == 0 && v
           && strcmp (v->clause, "zmtp31.metadata.socket-type") == 0);
    CHECK (n > 8 && out[0] == 0x04 && memcmp (out + 3, "ERROR", 5) == 0);
    finish (&e, &o);
}

/* --- the lenient variants ------------------------------------------------------------------------- */

/*  ZWIRE_LENIENT names the variants; each asks for its tolerance, and of
    the faults only curve-padding-unchecked asks for one.  The CurveZMQ
    variants ask for their departures instead.  */
static void
test_variants_ask (void)
{
    setenv ("ZWIRE_LENIENT", "reserved-flags-ignored,long-ping-context", 1);
    setenv ("ZWIRE_FAULT", "no-pong", 1);
    zw_fault_init ();
    CHECK (zw_fault_tolerances () == (ZW_ZMTP_TOLERATE_RESERVED_FLAGS
                                      | ZW_ZMTP_TOLERATE_LONG_CONTEXT));
    setenv ("ZWIRE_LENIENT", "any-command-name,null-as-server-one,ready-unvalidated,"
            "command-more-ignored,major-zero-downgrade", 1);
    zw_fault_init ();
    CHECK (zw_fault_tolerances () == (ZW_ZMTP_TOLERATE_COMMAND_NAME | ZW_ZMTP_TOLERATE_AS_SERVER
                                      | ZW_ZMTP_TOLERATE_METADATA
                                      | ZW_ZMTP_TOLERATE_COMMAND_MORE
                                      | ZW_ZMTP_TOLERATE_MAJOR_ZERO));
    /* an engine started with none asked of it takes them */
    zw_engine e;
    owner o;
    start (&e, &o, 0);
    CHECK (e.options.tolerate == zw_fault_tolerances ());
    finish (&e, &o);
    setenv ("ZWIRE_LENIENT", "curve-nonce-step-two", 1);
    setenv ("ZWIRE_FAULT", "curve-padding-unchecked,curve-vouch-unchecked", 1);
    zw_fault_init ();
    CHECK (zw_fault_tolerances () == ZW_ZMTP_TOLERATE_CURVE_PADDING);
    CHECK (zw_fault_curvezmq () == (ZW_CURVEZMQ_DEPART_VOUCH_UNCHECKED
                                    | ZW_CURVEZMQ_DEPART_NONCE_STEP_TWO));
    unsetenv ("ZWIRE_LENIENT");
    unsetenv ("ZWIRE_FAULT");
    zw_fault_init ();
    CHECK (zw_fault_tolerances () == 0 && zw_fault_curvezmq () == 0);
}

int
main (void)
{
    unsetenv ("ZWIRE_LENIENT");
    unsetenv ("ZWIRE_FAULT");
    zw_fault_init ();
    test_reserved_flags ();
    test_command_more ();
    test_flags_exhaustive ();
    test_major_zero ();
    test_null_as_server ();
    test_command_names ();
    test_names_exhaustive ();
    test_long_context ();
    test_curve_padding ();
    test_metadata ();
    test_engine_pong_truncates ();
    test_engine_unknown_commands ();
    test_engine_flags ();
    test_engine_major_zero ();
    test_engine_ready_unvalidated ();
    test_variants_ask ();
    printf ("test-tolerate: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
