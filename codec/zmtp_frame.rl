/*  zmtp_frame.rl — push decoder for the ZMTP frame stream (2.0 and 3.x).

    Implements zmtp31.frame.* (and zmtp30.frame.*, identical) and
    zmtp20.frame.*: the flags octet, short and long sizes, the top-bit rule
    of the long size and a configured size limit checked before any body
    octet is accepted.  A caller may tolerate reserved flag bits and MORE
    on a command (zw_zmtp_frame_tolerate): both rules bind the sender.

    Strategy: the machine reads one header; when the body is not empty it
    breaks out and C hands the body to on_body in slices (zero copy), then
    resumes the machine, whose state after a size is again a frame start.
    Between pushes the state is ctx->cs plus ctx->body_left.  */

#include <string.h>
#include "zmtp_frame.h"

#define AT (ctx->offset + (uint64_t) (p - start))

static int header_done (zw_zmtp_frame_ctx *ctx, uint64_t at);
static int tolerated (const zw_zmtp_frame_ctx *ctx, uint8_t flags);

%%{
    machine zmtp_frame;
    alphtype unsigned char;
    access ctx->;

    action long_flag        { (fc & ZW_ZMTP_FLAG_LONG) != 0 }
    action tolerated        { tolerated (ctx, fc) }
    action flags            { ctx->header.offset = AT; ctx->header.flags = fc; }
    action short_size       { ctx->size = fc; if (!header_done (ctx, AT)) fbreak; }
    action long_size_start  { ctx->size = 0; }
    action long_size_octet  { ctx->size = (ctx->size << 8) | fc; }
    action long_size        { if (!header_done (ctx, AT)) fbreak; }

    include "zmtp_frame_grammar.rl";

    v3 := v3_frame*;
    v2 := v2_frame*;
}%%

%% write data;

/*  1 if flags set a bit that must be zero (bits 3-7, or 2-7 in 2.0) and the
    caller does not tolerate it.  */
static int
reserved_refused (const zw_zmtp_frame_ctx *ctx, uint8_t flags)
{
    uint8_t reserved = ctx->framing == ZW_ZMTP_FRAMING_V2 ? 0xFC : 0xF8;
    return (flags & reserved) && !(ctx->tolerate & ZW_ZMTP_TOLERATE_RESERVED_FLAGS);
}

/*  A flags octet outside the grammar, read if the caller tolerates every
    rule it breaks: reserved bits set (zmtp31.frame.flags-reserved,
    zmtp20.frame.flags-reserved), MORE on a command
    (zmtp31.frame.command-no-more).  */
static int
tolerated (const zw_zmtp_frame_ctx *ctx, uint8_t flags)
{
    int command_more = ctx->framing == ZW_ZMTP_FRAMING_V3
                    && (flags & (ZW_ZMTP_FLAG_COMMAND | ZW_ZMTP_FLAG_MORE))
                       == (ZW_ZMTP_FLAG_COMMAND | ZW_ZMTP_FLAG_MORE);
    if (reserved_refused (ctx, flags))
        return 0;
    return !command_more || (ctx->tolerate & ZW_ZMTP_TOLERATE_COMMAND_MORE);
}

/*  A grammar failure is always at a flags octet: the octet says which rule
    (the first it breaks that the caller does not tolerate).  */
static void
flags_error (zw_zmtp_frame_ctx *ctx, uint8_t flags, uint64_t at)
{
    if (ctx->framing == ZW_ZMTP_FRAMING_V2)
        zw_error_set (&ctx->error, ZW_ERR_INVALID_FLAGS, at, "zmtp20.frame.flags-reserved",
                      "2.0 flag bits 2-7 must be zero");
    else if (reserved_refused (ctx, flags))
        zw_error_set (&ctx->error, ZW_ERR_INVALID_FLAGS, at, "zmtp31.frame.flags-reserved",
                      "flag bits 3-7 must be zero");
    else
        zw_error_set (&ctx->error, ZW_ERR_INVALID_FLAGS, at, "zmtp31.frame.command-no-more",
                      "a command frame cannot have MORE");
}

static int
halt_if (zw_zmtp_frame_ctx *ctx, int stop)
{
    if (stop)
        ctx->halted = 1;
    return !stop;
}

static int
frame_end (zw_zmtp_frame_ctx *ctx)
{
    return halt_if (ctx, ctx->callbacks && ctx->callbacks->on_end
                         && ctx->callbacks->on_end (ctx->user));
}

/*  The header is complete at octet 'at': check the size, announce the
    frame, and break out for the body.  Returns 0 to stop the machine.  */
static int
header_done (zw_zmtp_frame_ctx *ctx, uint64_t at)
{
    int v2 = ctx->framing == ZW_ZMTP_FRAMING_V2;
    if (ctx->size > ZW_ZMTP_SIZE_MAX) {
        zw_error_set (&ctx->error, ZW_ERR_INVALID_SIZE, at,
                      v2 ? "zmtp20.frame.long-size" : "zmtp31.frame.long-size",
                      "long size has its top bit set");
        return 0;
    }
    if (ctx->size > ctx->max_size) {
        /* 15/ZMTP has no limit clause of its own: 23/ZMTP's applies */
        zw_error_set (&ctx->error, ZW_ERR_LIMIT_EXCEEDED, at,
                      v2 ? "zmtp30.frame.size-limit" : "zmtp31.frame.size-limit",
                      "frame larger than the configured maximum");
        return 0;
    }
    ctx->header.size = ctx->size;
    ctx->body_left = ctx->size;
    if (ctx->callbacks && ctx->callbacks->on_header
    &&  !halt_if (ctx, ctx->callbacks->on_header (ctx->user, &ctx->header)))
        return 0;
    if (ctx->body_left == 0)
        return frame_end (ctx);
    return 0;       /* break out: C counts the body */
}

static size_t
run_machine (zw_zmtp_frame_ctx *ctx, const uint8_t *data, size_t len)
{
    const uint8_t *start = data, *p = data, *pe = data + len;
    %% write exec;
    if (ctx->cs == zmtp_frame_error && ctx->error.code == ZW_OK)
        flags_error (ctx, *p, AT);
    if (ctx->error.code != ZW_OK)       /* the offending octet is not consumed */
        p = start + (ctx->error.offset - ctx->offset);
    ctx->offset += (uint64_t) (p - start);
    return (size_t) (p - start);
}

static size_t
take_body (zw_zmtp_frame_ctx *ctx, const uint8_t *data, size_t len)
{
    size_t n = len < ctx->body_left ? len : (size_t) ctx->body_left;
    ctx->body_left -= n;
    ctx->offset += n;
    if (ctx->callbacks && ctx->callbacks->on_body
    &&  !halt_if (ctx, ctx->callbacks->on_body (ctx->user, data, n)))
        return n;
    if (ctx->body_left == 0)
        frame_end (ctx);
    return n;
}

void
zw_zmtp_frame_init (zw_zmtp_frame_ctx *ctx, zw_zmtp_framing framing, uint64_t base,
                    uint64_t max_size, const zw_zmtp_frame_callbacks *callbacks, void *user)
{
    memset (ctx, 0, sizeof *ctx);
    ctx->framing = framing;
    ctx->offset = base;
    ctx->max_size = max_size;
    ctx->callbacks = callbacks;
    ctx->user = user;
    ctx->cs = framing == ZW_ZMTP_FRAMING_V2 ? zmtp_frame_en_v2 : zmtp_frame_en_v3;
}

void
zw_zmtp_frame_tolerate (zw_zmtp_frame_ctx *ctx, unsigned tolerances)
{
    ctx->tolerate = tolerances;
}

size_t
zw_zmtp_frame_push (zw_zmtp_frame_ctx *ctx, const uint8_t *data, size_t len)
{
    size_t used = 0;
    while (used < len && !ctx->halted && ctx->error.code == ZW_OK) {
        if (ctx->body_left > 0)
            used += take_body (ctx, data + used, len - used);
        else
            used += run_machine (ctx, data + used, len - used);
    }
    return used;
}

int
zw_zmtp_frame_at_boundary (const zw_zmtp_frame_ctx *ctx)
{
    /* between frames the machine sits in a final state of frame* */
    return ctx->error.code == ZW_OK && ctx->body_left == 0
        && ctx->cs >= zmtp_frame_first_final;
}

const zw_error *
zw_zmtp_frame_error (const zw_zmtp_frame_ctx *ctx)
{
    return ctx->error.code == ZW_OK ? NULL : &ctx->error;
}

size_t
zw_zmtp_frame_pack_header (uint8_t *buf, size_t cap, int more, int command, uint64_t size)
{
    uint8_t flags = (uint8_t) ((more ? ZW_ZMTP_FLAG_MORE : 0) | (command ? ZW_ZMTP_FLAG_COMMAND : 0));
    if ((more && command) || size > ZW_ZMTP_SIZE_MAX)
        return 0;
    if (size <= 255) {
        if (cap < 2)
            return 0;
        buf[0] = flags;
        buf[1] = (uint8_t) size;
        return 2;
    }
    if (cap < 9)
        return 0;
    buf[0] = flags | ZW_ZMTP_FLAG_LONG;
    for (int i = 0; i < 8; i++)
        buf[1 + i] = (uint8_t) (size >> (56 - 8 * i));
    return 9;
}
