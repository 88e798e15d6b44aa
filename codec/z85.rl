/*  z85.rl — Z85 decoder (push) and encoder, 32/Z85.

    Implements z85.alphabet, z85.decode (a group above 0xFFFFFFFF is
    refused at its last character), z85.string-length (checked when the
    known end arrives) and z85.encode.  */

#include <string.h>
#include "z85.h"

#define AT (ctx->consumed + (uint64_t) (p - start))

static const char alphabet[] =
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

static uint64_t digit_value (uint8_t c);
static int group_end (zw_z85_ctx *ctx, uint64_t at);

%%{
    machine z85;
    alphtype unsigned char;
    access ctx->;

    action group_start { ctx->value = 0; }
    action group_digit { ctx->value = ctx->value * 85 + digit_value (fc); }
    action group_end   { if (!group_end (ctx, AT)) fbreak; }

    include "z85_grammar.rl";

    main := group*;
}%%

%% write data;

static uint64_t
digit_value (uint8_t c)
{
    const char *at = memchr (alphabet, c, sizeof alphabet - 1);
    return at ? (uint64_t) (at - alphabet) : 0;
}

/* z85.decode: the five characters must fit 32 bits. */
static int
group_end (zw_z85_ctx *ctx, uint64_t at)
{
    if (ctx->value > UINT32_MAX) {
        zw_error_set (&ctx->error, ZW_ERR_INVALID_Z85, at, "z85.decode",
                      "group above 0xFFFFFFFF");
        return 0;
    }
    for (int i = 0; i < 4; i++)
        ctx->out[ctx->out_len++] = (uint8_t) (ctx->value >> (24 - 8 * i));
    return 1;
}

static void
finish (zw_z85_ctx *ctx)
{
    if (ctx->total % 5 != 0 || ctx->cs < z85_first_final)
        zw_error_set (&ctx->error, ZW_ERR_INVALID_Z85, ctx->total, "z85.string-length",
                      "text length is not a multiple of 5");
    else
        ctx->done = 1;
}

void
zw_z85_decode_init (zw_z85_ctx *ctx, uint64_t total, uint8_t *out, size_t out_cap)
{
    memset (ctx, 0, sizeof *ctx);
    ctx->total = total;
    ctx->out = out;
    ctx->out_cap = out_cap;
    %% write init;
    if (out_cap < total / 5 * 4)
        zw_error_set (&ctx->error, ZW_ERR_MISUSE, 0, NULL, "output buffer too small");
    else if (total == 0)
        finish (ctx);
}

size_t
zw_z85_decode_push (zw_z85_ctx *ctx, const uint8_t *text, size_t len)
{
    const uint8_t *start = text, *p = text, *pe;
    if (ctx->error.code != ZW_OK || ctx->done)
        return 0;
    if (len > ctx->total - ctx->consumed)
        len = (size_t) (ctx->total - ctx->consumed);
    pe = text + len;
    %% write exec;
    if (ctx->cs == z85_error && ctx->error.code == ZW_OK)
        zw_error_set (&ctx->error, ZW_ERR_INVALID_Z85, AT, "z85.alphabet",
                      "character outside the Z85 alphabet");
    if (ctx->error.code != ZW_OK)       /* the offending octet is not consumed */
        p = start + (ctx->error.offset - ctx->consumed);
    ctx->consumed += (uint64_t) (p - start);
    if (ctx->consumed == ctx->total && ctx->error.code == ZW_OK)
        finish (ctx);
    return (size_t) (p - start);
}

int
zw_z85_decode_done (const zw_z85_ctx *ctx)
{
    return ctx->done;
}

const zw_error *
zw_z85_decode_error (const zw_z85_ctx *ctx)
{
    return ctx->error.code == ZW_OK ? NULL : &ctx->error;
}

size_t
zw_z85_encode (char *out, size_t cap, const uint8_t *data, size_t len)
{
    size_t chars = len / 4 * 5;
    if (len % 4 != 0 || cap < chars)     /* z85.binary-length */
        return 0;
    for (size_t g = 0; g < len / 4; g++) {
        uint32_t value = (uint32_t) data[4 * g] << 24 | (uint32_t) data[4 * g + 1] << 16
                       | (uint32_t) data[4 * g + 2] << 8 | data[4 * g + 3];
        for (int i = 4; i >= 0; i--) {      /* z85.encode: most significant first */
            out[5 * g + (size_t) i] = alphabet[value % 85];
            value /= 85;
        }
    }
    return chars;
}
