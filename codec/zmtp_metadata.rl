/*  zmtp_metadata.rl — push decoder for ZMTP metadata (property lists).

    Implements zmtp31.metadata.name, zmtp31.metadata.value-size (and their
    zmtp30 twins), used by READY, PLAIN INITIATE and READY, and the CURVE
    INITIATE and READY boxes once opened.  Both rules bind the sender: with
    ZW_ZMTP_TOLERATE_METADATA (zw_zmtp_metadata_tolerate) the decoder reads
    past them, and drops a last property cut short by the end of the list.

    Strategy: after a name length the machine calls name_chars, which
    returns after the last name octet; after a value size it breaks out when
    the value is not empty, and C hands the value to on_value in slices.
    The list ends where its known total ends: the decoder then checks that
    it is between two properties.  */

#include <string.h>
#include "zmtp_metadata.h"

#define AT (ctx->base + ctx->consumed + (uint64_t) (p - start))

static int name_octet (zw_zmtp_metadata_ctx *ctx, uint8_t octet);
static int value_size_done (zw_zmtp_metadata_ctx *ctx, uint64_t at);
static int property_end (zw_zmtp_metadata_ctx *ctx);
static void grammar_error (zw_zmtp_metadata_ctx *ctx, uint64_t at);

%%{
    machine zmtp_metadata;
    alphtype unsigned char;
    access ctx->;

    action tolerated        { (ctx->tolerate & ZW_ZMTP_TOLERATE_METADATA) != 0 }
    action name_size        { ctx->name_size = ctx->name_left = fc; fcall name_chars; }
    action empty_name       { ctx->name_size = 0; }
    action name_empty       { grammar_error (ctx, AT); fbreak; }
    action name_octet       { if (name_octet (ctx, fc)) fret; }
    action value_size_start { ctx->value_size = 0; }
    action value_size_octet { ctx->value_size = (ctx->value_size << 8) | fc; }
    action value_size       { if (!value_size_done (ctx, AT)) fbreak; }

    include "zmtp_metadata_grammar.rl";

    name_chars := (name_char @name_octet)*;
    main := property*;
}%%

%% write data;

static int
halt_if (zw_zmtp_metadata_ctx *ctx, int stop)
{
    if (stop)
        ctx->halted = 1;
    return !stop;
}

/* One octet of a property name; returns 1 after its last octet. */
static int
name_octet (zw_zmtp_metadata_ctx *ctx, uint8_t octet)
{
    ctx->name[ctx->name_size - ctx->name_left] = (char) octet;
    return --ctx->name_left == 0;
}

static void
fail (zw_zmtp_metadata_ctx *ctx, uint64_t at, const char *clause, const char *reason)
{
    zw_error_set (&ctx->error, ZW_ERR_INVALID_METADATA, at, clause, reason);
}

static int
property_end (zw_zmtp_metadata_ctx *ctx)
{
    return halt_if (ctx, ctx->callbacks && ctx->callbacks->on_end
                         && ctx->callbacks->on_end (ctx->user));
}

/*  zmtp31.metadata.value-size: values are below 2^31 octets.  Returns 0 to
    break out of the machine (error, halt, or a value for C to count).  */
static int
value_size_done (zw_zmtp_metadata_ctx *ctx, uint64_t at)
{
    if (ctx->value_size > ZW_ZMTP_VALUE_SIZE_MAX
    &&  !(ctx->tolerate & ZW_ZMTP_TOLERATE_METADATA)) {
        fail (ctx, at, "zmtp31.metadata.value-size", "value size of 2^31 or more");
        return 0;
    }
    ctx->name[ctx->name_size] = 0;
    if (ctx->callbacks && ctx->callbacks->on_name
    &&  !halt_if (ctx, ctx->callbacks->on_name (ctx->user, ctx->name, ctx->name_size)))
        return 0;
    ctx->value_left = ctx->value_size;
    if (ctx->value_left == 0)
        return property_end (ctx);
    return 0;
}

/* A grammar failure: the octet is a name length of 0 or a bad name octet. */
static void
grammar_error (zw_zmtp_metadata_ctx *ctx, uint64_t at)
{
    fail (ctx, at, "zmtp31.metadata.name", "property name empty or with a bad octet");
}

/*  The known end: the list must end between two properties, unless the
    caller tolerates a last property cut short (then it is dropped: it had
    on_name, and on_value for what came of its value, but no on_end).  */
static void
finish (zw_zmtp_metadata_ctx *ctx)
{
    uint64_t end = ctx->base + ctx->total;
    if (ctx->tolerate & ZW_ZMTP_TOLERATE_METADATA)
        ctx->done = 1;
    else if (ctx->top > 0)
        fail (ctx, end, "zmtp31.metadata.name", "property cut inside its name");
    else if (ctx->value_left > 0 || ctx->cs < zmtp_metadata_first_final)
        fail (ctx, end, "zmtp31.metadata.value-size", "property cut inside its value");
    else
        ctx->done = 1;
}

static size_t
run_machine (zw_zmtp_metadata_ctx *ctx, const uint8_t *data, size_t len)
{
    const uint8_t *start = data, *p = data, *pe = data + len;
    %% write exec;
    if (ctx->cs == zmtp_metadata_error && ctx->error.code == ZW_OK)
        grammar_error (ctx, AT);
    if (ctx->error.code != ZW_OK)       /* the offending octet is not consumed */
        p = start + (ctx->error.offset - ctx->base - ctx->consumed);
    return (size_t) (p - start);
}

static size_t
take_value (zw_zmtp_metadata_ctx *ctx, const uint8_t *data, size_t len)
{
    size_t n = len < ctx->value_left ? len : (size_t) ctx->value_left;
    ctx->value_left -= n;
    if (ctx->callbacks && ctx->callbacks->on_value
    &&  !halt_if (ctx, ctx->callbacks->on_value (ctx->user, data, n)))
        return n;
    if (ctx->value_left == 0)
        property_end (ctx);
    return n;
}

void
zw_zmtp_metadata_tolerate (zw_zmtp_metadata_ctx *ctx, unsigned tolerances)
{
    ctx->tolerate = tolerances;
}

void
zw_zmtp_metadata_init (zw_zmtp_metadata_ctx *ctx, uint64_t base, uint64_t total,
                       const zw_zmtp_metadata_callbacks *callbacks, void *user)
{
    memset (ctx, 0, sizeof *ctx);
    ctx->base = base;
    ctx->total = total;
    ctx->callbacks = callbacks;
    ctx->user = user;
    %% write init;
    if (total == 0)
        finish (ctx);
}

size_t
zw_zmtp_metadata_push (zw_zmtp_metadata_ctx *ctx, const uint8_t *data, size_t len)
{
    size_t used = 0;
    if (len > ctx->total - ctx->consumed)
        len = (size_t) (ctx->total - ctx->consumed);
    while (used < len && !ctx->halted && ctx->error.code == ZW_OK) {
        size_t n = ctx->value_left > 0 ? take_value (ctx, data + used, len - used)
                                       : run_machine (ctx, data + used, len - used);
        used += n;
        ctx->consumed += n;
    }
    if (ctx->consumed == ctx->total && !ctx->done && ctx->error.code == ZW_OK && !ctx->halted)
        finish (ctx);
    return used;
}

int
zw_zmtp_metadata_done (const zw_zmtp_metadata_ctx *ctx)
{
    return ctx->done;
}

const zw_error *
zw_zmtp_metadata_error (const zw_zmtp_metadata_ctx *ctx)
{
    return ctx->error.code == ZW_OK ? NULL : &ctx->error;
}

static int
is_name_char (char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
        || c == '-' || c == '_' || c == '.' || c == '+';
}

int
zw_zmtp_metadata_name_valid (const char *name, size_t size)
{
    if (size == 0 || size > 255)
        return 0;
    for (size_t i = 0; i < size; i++)
        if (!is_name_char (name[i]))
            return 0;
    return 1;
}

static char
lower (char c)
{
    return c >= 'A' && c <= 'Z' ? (char) (c - 'A' + 'a') : c;
}

int
zw_zmtp_metadata_name_equal (const char *a, size_t a_size, const char *b, size_t b_size)
{
    if (a_size != b_size)
        return 0;
    for (size_t i = 0; i < a_size; i++)
        if (lower (a[i]) != lower (b[i]))
            return 0;
    return 1;
}

size_t
zw_zmtp_metadata_pack (uint8_t *buf, size_t cap, const char *name, size_t name_size,
                       const uint8_t *value, size_t value_size)
{
    size_t need = 1 + name_size + 4 + value_size;
    if (!zw_zmtp_metadata_name_valid (name, name_size) || value_size > ZW_ZMTP_VALUE_SIZE_MAX
    ||  cap < need)
        return 0;
    buf[0] = (uint8_t) name_size;
    memcpy (buf + 1, name, name_size);
    for (int i = 0; i < 4; i++)
        buf[1 + name_size + i] = (uint8_t) (value_size >> (24 - 8 * i));
    if (value_size)
        memcpy (buf + 1 + name_size + 4, value, value_size);
    return need;
}
