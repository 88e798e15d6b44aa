/*  zmtp_command.rl — push decoder for ZMTP command bodies.

    Implements zmtp31.command.name and the layouts of zmtp31.command.*,
    zmtp31.null.error, plain.* and curve.*.size / curve.hello.version /
    curve.hello.padding.

    Strategy: main reads the name size and jumps to name_chars, which on the
    last name octet looks the name up (dispatch, in C) and jumps to that
    layout's machine, or breaks out when the rest of the body is a variable
    part or metadata.  Counted strings (ERROR reason, PLAIN username and
    password) are read by string_chars, called after their size octet.
    The body ends at its known total: finish() then checks that the layout
    is complete.  */

#include <string.h>
#include "zmtp_command.h"

#define POS (ctx->consumed + (uint64_t) (p - start))
#define AT (ctx->base + POS)

static int name_octet (zw_zmtp_command_ctx *ctx, uint8_t octet, uint64_t pos);
static int string_octet (zw_zmtp_command_ctx *ctx, uint8_t octet);
static void begin_field (zw_zmtp_command_ctx *ctx, uint8_t *field);
static int begin_string (zw_zmtp_command_ctx *ctx, zw_short_string *string, uint8_t size);
static void start_rest (zw_zmtp_command_ctx *ctx, uint64_t rest_at);
static void empty_name (zw_zmtp_command_ctx *ctx, uint64_t rest_at);
static void context_excess (zw_zmtp_command_ctx *ctx, uint64_t rest_at);
static uint8_t *short_nonce_field (zw_zmtp_command_ctx *ctx);

%%{
    machine zmtp_command;
    alphtype unsigned char;
    access ctx->;

    action names_tolerated   { (ctx->tolerate & ZW_ZMTP_TOLERATE_COMMAND_NAME) != 0 }
    action context_tolerated { (ctx->tolerate & ZW_ZMTP_TOLERATE_LONG_CONTEXT) != 0 }
    action padding_tolerated { (ctx->tolerate & ZW_ZMTP_TOLERATE_CURVE_PADDING) != 0 }
    action name_size      { ctx->command.name_size = ctx->name_left = fc; fgoto name_chars; }
    action empty_name     { empty_name (ctx, POS + 1); fbreak; }
    action name_empty     { fail (ctx, AT, "zmtp31.command.name", "command name empty or not ALPHA"); fbreak; }
    action context_excess { context_excess (ctx, POS); fhold; fbreak; }
    action name_octet     { int next = name_octet (ctx, fc, POS); if (next > 0) fgoto *next; if (next < 0) fbreak; }
    action string_octet   { if (string_octet (ctx, fc)) fret; }
    action reason_size    { if (begin_string (ctx, &ctx->command.u.reason, fc)) fcall string_chars; }
    action username_size  { if (begin_string (ctx, &ctx->command.u.plain_hello.username, fc)) fcall string_chars; }
    action password_size  { if (begin_string (ctx, &ctx->command.u.plain_hello.password, fc)) fcall string_chars; }
    action ttl_start      { ctx->command.u.ping.ttl = 0; }
    action ttl_octet      { ctx->command.u.ping.ttl = (uint16_t) (ctx->command.u.ping.ttl << 8 | fc); }
    action context_octet  { ctx->command.u.ping.context.data[ctx->command.u.ping.context.size++] = fc; }
    action group_octet    { ctx->command.u.group.data[ctx->command.u.group.size++] = fc; }
    action field_octet    { *ctx->field++ = fc; }
    action curve_version  { begin_field (ctx, ctx->command.u.curve_hello.version); }
    action client_key     { begin_field (ctx, ctx->command.u.curve_hello.client_key); }
    action signature_box  { begin_field (ctx, ctx->command.u.curve_hello.signature_box); }
    action long_nonce     { begin_field (ctx, ctx->command.u.curve_welcome.nonce); }
    action welcome_box    { begin_field (ctx, ctx->command.u.curve_welcome.box); }
    action cookie         { begin_field (ctx, ctx->command.u.curve_initiate.cookie); }
    action short_nonce    { begin_field (ctx, short_nonce_field (ctx)); }
    action bad_version    { fail (ctx, AT, "curve.hello.version", "CurveZMQ version is not 1.0"); }
    action bad_padding    { fail (ctx, AT, "curve.hello.padding", "HELLO padding is not all zero"); }
    action rest           { start_rest (ctx, POS + 1); fbreak; }

    include "zmtp_command_grammar.rl";

    main := command_name;
    name_chars := (name_char @name_octet)*;
    string_chars := (any @string_octet)*;
    error_layout := error_body;
    ping_layout := ping_body;
    pong_layout := pong_body;
    group_layout := group_body;
    plain_hello_layout := plain_hello_body;
    plain_welcome_layout := plain_welcome_body;
    curve_hello_layout := curve_hello_body;
    curve_welcome_layout := curve_welcome_body;
    curve_initiate_layout := curve_initiate_head @rest;
    curve_short_layout := curve_short_head @rest;
}%%

%% write data;

#define NULL_OR_PLAIN ((1u << ZW_MECHANISM_NULL) | (1u << ZW_MECHANISM_PLAIN))
#define PLAIN_ONLY (1u << ZW_MECHANISM_PLAIN)
#define CURVE_ONLY (1u << ZW_MECHANISM_CURVE)
#define NULL_ONLY (1u << ZW_MECHANISM_NULL)

/* The layout of each known command, by mechanism. */
typedef struct {
    unsigned mechanisms;
    const char *name;
    zw_zmtp_command_id id;
    zw_zmtp_command_rest rest;
    zw_zmtp_part part;
    uint64_t part_min;
    const char *clause;
} layout;

static const layout layouts[] = {
    { NULL_OR_PLAIN, "READY", ZW_COMMAND_READY, REST_METADATA, 0, 0, "zmtp31.metadata.name" },
    { NULL_ONLY, "ERROR", ZW_COMMAND_ERROR, REST_NONE, 0, 0, "zmtp31.null.error" },
    { PLAIN_ONLY, "ERROR", ZW_COMMAND_ERROR, REST_NONE, 0, 0, "plain.error.layout" },
    { CURVE_ONLY, "ERROR", ZW_COMMAND_ERROR, REST_NONE, 0, 0, "curve.error.size" },
    { NULL_OR_PLAIN, "SUBSCRIBE", ZW_COMMAND_SUBSCRIBE, REST_PART, ZW_PART_TOPIC, 0, "zmtp31.command.subscribe" },
    { NULL_OR_PLAIN, "CANCEL", ZW_COMMAND_CANCEL, REST_PART, ZW_PART_TOPIC, 0, "zmtp31.command.cancel" },
    { NULL_OR_PLAIN, "PING", ZW_COMMAND_PING, REST_NONE, 0, 0, "zmtp31.command.ping" },
    { NULL_OR_PLAIN, "PONG", ZW_COMMAND_PONG, REST_NONE, 0, 0, "zmtp31.command.pong" },
    { NULL_OR_PLAIN, "JOIN", ZW_COMMAND_JOIN, REST_NONE, 0, 0, "zmtp31.command.join" },
    { NULL_OR_PLAIN, "LEAVE", ZW_COMMAND_LEAVE, REST_NONE, 0, 0, "zmtp31.command.leave" },
    { PLAIN_ONLY, "HELLO", ZW_COMMAND_HELLO, REST_NONE, 0, 0, "plain.hello.layout" },
    { PLAIN_ONLY, "WELCOME", ZW_COMMAND_WELCOME, REST_NONE, 0, 0, "plain.welcome.layout" },
    { PLAIN_ONLY, "INITIATE", ZW_COMMAND_INITIATE, REST_METADATA, 0, 0, "plain.initiate.metadata" },
    { CURVE_ONLY, "HELLO", ZW_COMMAND_HELLO, REST_NONE, 0, 0, "curve.hello.size" },
    { CURVE_ONLY, "WELCOME", ZW_COMMAND_WELCOME, REST_NONE, 0, 0, "curve.welcome.size" },
    { CURVE_ONLY, "INITIATE", ZW_COMMAND_INITIATE, REST_PART, ZW_PART_BOX, 144, "curve.initiate.size" },
    { CURVE_ONLY, "READY", ZW_COMMAND_READY, REST_PART, ZW_PART_BOX, 16, "curve.ready.size" },
    { CURVE_ONLY, "MESSAGE", ZW_COMMAND_MESSAGE, REST_PART, ZW_PART_BOX, 17, "curve.message.size" },
};

static const layout unknown_layout =
    { 0, "", ZW_COMMAND_UNKNOWN, REST_PART, ZW_PART_DATA, 0, "zmtp31.command.name" };

static const layout *
find_layout (zw_zmtp_mechanism mechanism, const char *name, size_t size)
{
    for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++)
        if ((layouts[i].mechanisms & (1u << mechanism))
        &&  strlen (layouts[i].name) == size && memcmp (layouts[i].name, name, size) == 0)
            return &layouts[i];
    return &unknown_layout;
}

zw_zmtp_command_id
zw_zmtp_command_lookup (zw_zmtp_mechanism mechanism, const char *name, size_t size)
{
    return find_layout (mechanism, name, size)->id;
}

/* The machine that reads the fixed part of a command's data. */
static int
entry_state (zw_zmtp_command_id id, zw_zmtp_mechanism mechanism)
{
    int curve = mechanism == ZW_MECHANISM_CURVE;
    switch (id) {
        case ZW_COMMAND_ERROR:    return zmtp_command_en_error_layout;
        case ZW_COMMAND_PING:     return zmtp_command_en_ping_layout;
        case ZW_COMMAND_PONG:     return zmtp_command_en_pong_layout;
        case ZW_COMMAND_JOIN:
        case ZW_COMMAND_LEAVE:    return zmtp_command_en_group_layout;
        case ZW_COMMAND_HELLO:    return curve ? zmtp_command_en_curve_hello_layout
                                               : zmtp_command_en_plain_hello_layout;
        case ZW_COMMAND_WELCOME:  return curve ? zmtp_command_en_curve_welcome_layout
                                               : zmtp_command_en_plain_welcome_layout;
        case ZW_COMMAND_INITIATE: return zmtp_command_en_curve_initiate_layout;
        default:                  return zmtp_command_en_curve_short_layout;
    }
}

static int
halt_if (zw_zmtp_command_ctx *ctx, int stop)
{
    if (stop)
        ctx->halted = 1;
    return !stop;
}

static void
fail (zw_zmtp_command_ctx *ctx, uint64_t at, const char *clause, const char *reason)
{
    zw_error_set (&ctx->error, ZW_ERR_MALFORMED_COMMAND, at, clause, reason);
}

/*  The name is complete: choose the layout.  Returns the machine to jump
    to, or -1 to break out (a variable part, metadata, or a halt).  */
static int
dispatch (zw_zmtp_command_ctx *ctx, uint64_t rest_at)
{
    zw_zmtp_command *cmd = &ctx->command;
    const layout *l = find_layout (ctx->mechanism, cmd->name, cmd->name_size);
    cmd->name[cmd->name_size] = 0;
    cmd->id = l->id;
    ctx->clause = l->clause;
    ctx->rest = l->rest;
    ctx->part = l->part;
    ctx->part_min = l->part_min;
    ctx->in_layout = 1;
    if (ctx->callbacks && ctx->callbacks->on_begin
    &&  !halt_if (ctx, ctx->callbacks->on_begin (ctx->user, cmd)))
        return -1;
    if (l->rest != REST_NONE && l->part_min == 0) {
        start_rest (ctx, rest_at);
        return -1;
    }
    return entry_state (l->id, ctx->mechanism);
}

/*  One octet of the command name, at body position pos.  Returns 0 while
    the name goes on; after its last octet, the machine to jump to, or -1
    to break out (see dispatch).  Ragel's error state is 0, so every
    machine's entry is above it.  */
static int
name_octet (zw_zmtp_command_ctx *ctx, uint8_t octet, uint64_t pos)
{
    ctx->command.name[ctx->command.name_size - ctx->name_left] = (char) octet;
    if (--ctx->name_left > 0)
        return 0;
    return dispatch (ctx, pos + 1);
}

/* One octet of a counted string; returns 1 after its last octet. */
static int
string_octet (zw_zmtp_command_ctx *ctx, uint8_t octet)
{
    ctx->string->data[ctx->string->size++] = octet;
    return --ctx->string_left == 0;
}

static uint8_t *
short_nonce_field (zw_zmtp_command_ctx *ctx)
{
    zw_zmtp_command *cmd = &ctx->command;
    switch (cmd->id) {
        case ZW_COMMAND_HELLO:    return cmd->u.curve_hello.nonce;
        case ZW_COMMAND_INITIATE: return cmd->u.curve_initiate.nonce;
        default:                  return cmd->u.curve_short.nonce;
    }
}

static void
begin_field (zw_zmtp_command_ctx *ctx, uint8_t *field)
{
    ctx->field = field;
}

/* A counted string of 'size' octets follows; returns 1 if it is not empty. */
static int
begin_string (zw_zmtp_command_ctx *ctx, zw_short_string *string, uint8_t size)
{
    ctx->string = string;
    string->size = 0;
    ctx->string_left = size;
    return size > 0;
}

/*  The fixed part is read; from body position rest_at on, the body is a
    variable part or metadata.  */
static void
start_rest (zw_zmtp_command_ctx *ctx, uint64_t rest_at)
{
    ctx->in_rest = 1;
    if (ctx->rest == REST_METADATA) {
        zw_zmtp_metadata_init (&ctx->metadata, ctx->base + rest_at, ctx->total - rest_at,
                               ctx->callbacks ? ctx->callbacks->metadata : NULL, ctx->user);
        zw_zmtp_metadata_tolerate (&ctx->metadata, ctx->tolerate);
    }
}

/*  A name of no octets (tolerated, zmtp31.command.name): the command of
    an unknown name, whose data is the rest of the body.  */
static void
empty_name (zw_zmtp_command_ctx *ctx, uint64_t rest_at)
{
    ctx->command.name_size = 0;
    dispatch (ctx, rest_at);
}

/*  A PING or PONG context goes on past 16 octets (tolerated,
    zmtp31.command.ping): the first 16 are kept, the rest, from body
    position rest_at, is counted as a part of its own.  */
static void
context_excess (zw_zmtp_command_ctx *ctx, uint64_t rest_at)
{
    ctx->rest = REST_PART;
    ctx->part = ZW_PART_EXCESS;
    start_rest (ctx, rest_at);
}

/* A grammar failure at body position 'pos'. */
static void
grammar_error (zw_zmtp_command_ctx *ctx, uint64_t pos)
{
    if (!ctx->in_layout)
        fail (ctx, ctx->base + pos, "zmtp31.command.name", "command name empty or not ALPHA");
    else
        fail (ctx, ctx->base + pos, ctx->clause, "command data does not fit its layout");
}

/* The body's known end: the layout (or the rest) must be complete. */
static void
finish (zw_zmtp_command_ctx *ctx)
{
    uint64_t end = ctx->base + ctx->total;
    if (ctx->in_rest && ctx->rest == REST_METADATA) {
        const zw_error *e = zw_zmtp_metadata_error (&ctx->metadata);
        if (e)
            zw_error_set (&ctx->error, e->code, e->offset, e->clause, e->reason);
    }
    else if (!ctx->in_layout)
        fail (ctx, end, "zmtp31.command.name", "body ends inside the command name");
    else if (ctx->in_rest && ctx->command.part_size < ctx->part_min)
        fail (ctx, end, ctx->clause, "command shorter than its layout");
    else if (!ctx->in_rest && (ctx->top > 0 || ctx->cs < zmtp_command_first_final))
        fail (ctx, end, ctx->clause, "command shorter than its layout");
    if (ctx->error.code != ZW_OK)
        return;
    ctx->done = 1;
    if (ctx->callbacks && ctx->callbacks->on_command)
        halt_if (ctx, ctx->callbacks->on_command (ctx->user, &ctx->command));
}

static size_t
run_machine (zw_zmtp_command_ctx *ctx, const uint8_t *data, size_t len)
{
    /* No end of input here (the body's end is checked in finish), so the
       EOF side of the error actions never runs. */
    const uint8_t *start = data, *p = data, *pe = data + len, *eof = NULL;
    (void) eof;
    %% write exec;
    if (ctx->cs == zmtp_command_error && ctx->error.code == ZW_OK)
        grammar_error (ctx, POS);
    if (ctx->error.code != ZW_OK)       /* the offending octet is not consumed */
        p = start + (ctx->error.offset - ctx->base - ctx->consumed);
    return (size_t) (p - start);
}

static size_t
take_rest (zw_zmtp_command_ctx *ctx, const uint8_t *data, size_t len)
{
    if (ctx->rest == REST_METADATA) {
        size_t n = zw_zmtp_metadata_push (&ctx->metadata, data, len);
        const zw_error *e = zw_zmtp_metadata_error (&ctx->metadata);
        if (e)
            zw_error_set (&ctx->error, e->code, e->offset, e->clause, e->reason);
        if (ctx->metadata.halted)
            ctx->halted = 1;
        return n;
    }
    ctx->command.part_size += len;
    if (ctx->callbacks && ctx->callbacks->on_part)
        halt_if (ctx, ctx->callbacks->on_part (ctx->user, ctx->part, data, len));
    return len;
}

void
zw_zmtp_command_init (zw_zmtp_command_ctx *ctx, zw_zmtp_mechanism mechanism,
                      uint64_t base, uint64_t total,
                      const zw_zmtp_command_callbacks *callbacks, void *user)
{
    memset (ctx, 0, sizeof *ctx);
    ctx->mechanism = mechanism;
    ctx->base = base;
    ctx->total = total;
    ctx->callbacks = callbacks;
    ctx->user = user;
    %% write init;
    if (total == 0)
        finish (ctx);
}

void
zw_zmtp_command_tolerate (zw_zmtp_command_ctx *ctx, unsigned tolerances)
{
    ctx->tolerate = tolerances;
}

size_t
zw_zmtp_command_push (zw_zmtp_command_ctx *ctx, const uint8_t *data, size_t len)
{
    size_t used = 0;
    if (len > ctx->total - ctx->consumed)
        len = (size_t) (ctx->total - ctx->consumed);
    while (used < len && !ctx->halted && ctx->error.code == ZW_OK) {
        size_t n = ctx->in_rest ? take_rest (ctx, data + used, len - used)
                                : run_machine (ctx, data + used, len - used);
        used += n;
        ctx->consumed += n;
    }
    if (ctx->consumed == ctx->total && !ctx->done && !ctx->halted && ctx->error.code == ZW_OK)
        finish (ctx);
    return used;
}

int
zw_zmtp_command_done (const zw_zmtp_command_ctx *ctx)
{
    return ctx->done;
}

const zw_error *
zw_zmtp_command_error (const zw_zmtp_command_ctx *ctx)
{
    return ctx->error.code == ZW_OK ? NULL : &ctx->error;
}
