/*  zmtp_greeting.rl — push decoder for the ZMTP greeting (1.0, 2.0, 3.x).

    Implements the staged detection of zmtp31.greeting.detect-legacy and the
    greeting grammars of 13/ZMTP (zmtp10.greeting.identity), 15/ZMTP
    (zmtp20.greeting.*) and 23/37/ZMTP (zmtp31.greeting.*).

    Strategy: the machine walks every fixed octet; an identity body (1.0 or
    2.0) is length-prefixed, so the machine breaks out after its length and
    C copies the body (at most 255 octets) into the context.  Between pushes
    the state is ctx->cs plus ctx->identity_left; nothing points into the
    caller's buffers.  The greeting is over when ctx->done is set.

    Errors: a grammar failure is classified by its offset (the greeting's
    fields sit at fixed offsets); value checks (unsupported version,
    mechanism mismatch, identity too long) are made in C by the actions.  */

#include <string.h>
#include "zmtp_greeting.h"

#define AT (ctx->offset + (uint64_t) (p - start))

static int detect (zw_zmtp_greeting_ctx *ctx, zw_zmtp_family family, uint64_t at);
static void finish (zw_zmtp_greeting_ctx *ctx, uint64_t end);
static void v1_identity (zw_zmtp_greeting_ctx *ctx, uint64_t frame_length, uint64_t at);
static int v1_length_nonzero (zw_zmtp_greeting_ctx *ctx, uint64_t at);
static int mechanism_end (zw_zmtp_greeting_ctx *ctx, uint64_t at);
static int as_server (zw_zmtp_greeting_ctx *ctx, uint8_t octet, uint64_t at);

%%{
    machine zmtp_greeting;
    alphtype unsigned char;
    access ctx->;

    action bit0_clear           { (fc & 1) == 0 }
    action bit0_set             { (fc & 1) == 1 }
    action only_v2              { ctx->max_family == ZW_ZMTP_V2 }
    action up_to_v3             { ctx->max_family != ZW_ZMTP_V2 }
    action major_zero_tolerated { (ctx->tolerate & ZW_ZMTP_TOLERATE_MAJOR_ZERO) != 0 }
    action padding_start        { ctx->v1_length = 0; }
    action padding_octet        { ctx->v1_length = (ctx->v1_length << 8) | fc; }
    action v1_short_length      { ctx->v1_length = fc;
                                  if (!detect (ctx, ZW_ZMTP_V1, AT) || !v1_length_nonzero (ctx, AT))
                                      fbreak; }
    action v1_identity_flags    { v1_identity (ctx, ctx->v1_length, AT); fbreak; }
    action v1_long_flags        { if (detect (ctx, ZW_ZMTP_V1, AT))
                                      v1_identity (ctx, ctx->v1_length, AT);
                                  fbreak; }
    action detect_v2            { ctx->greeting.revision = fc;
                                  if (!detect (ctx, ZW_ZMTP_V2, AT)) fbreak; }
    action v2_socket_type       { ctx->greeting.socket_type = fc; }
    action v2_identity_size     { ctx->identity_left = fc;
                                  if (ctx->identity_left == 0) finish (ctx, AT + 1); fbreak; }
    action detect_v3            { ctx->greeting.major = fc;
                                  if (!detect (ctx, ZW_ZMTP_V3, AT)) fbreak; }
    action v3_minor             { ctx->greeting.minor = fc; }
    action mechanism_octet      { ctx->greeting.mechanism[AT - 12] = (char) fc; }
    action mechanism_end        { if (!mechanism_end (ctx, AT)) fbreak; }
    action as_server            { if (!as_server (ctx, fc, AT)) fbreak; }
    action v3_end               { finish (ctx, AT + 1); fbreak; }

    include "zmtp_greeting_grammar.rl";

    main := greeting;
}%%

%% write data noentry nofinal;

/* A grammar failure at offset 'at': the field there names the clause. */
static void
grammar_error (zw_zmtp_greeting_ctx *ctx, uint64_t at)
{
    zw_error *e = &ctx->error;
    zw_zmtp_family family = ctx->greeting.family;
    if (at == 10)
        zw_error_set (e, ZW_ERR_UNSUPPORTED_VERSION, at, "zmtp31.version.downgrade-or-close",
                      "version 0 is no ZMTP version");
    else if (family == ZW_ZMTP_V2 && at == 11)
        zw_error_set (e, ZW_ERR_MALFORMED_GREETING, at, "zmtp20.greeting.socket-type",
                      "2.0 socket type above 10");
    else if (family == ZW_ZMTP_V2)
        zw_error_set (e, ZW_ERR_MALFORMED_GREETING, at, "zmtp20.greeting.identity",
                      "2.0 identity is not a final short frame");
    else if (at < 32)
        zw_error_set (e, ZW_ERR_INVALID_MECHANISM, at, "zmtp31.greeting.mechanism-name",
                      "mechanism is not a NUL-padded name");
    else
        zw_error_set (e, ZW_ERR_MALFORMED_GREETING, at, "zmtp31.greeting.as-server",
                      "as-server is neither 0 nor 1");
}

/*  zmtp31.greeting.detect-legacy: the protocol is known; refuse it if it is
    below what we accept (zmtp31.version.downgrade-or-close).  */
static int
detect (zw_zmtp_greeting_ctx *ctx, zw_zmtp_family family, uint64_t at)
{
    ctx->greeting.family = family;
    if (ctx->callbacks && ctx->callbacks->on_detect)
        ctx->callbacks->on_detect (ctx->user, family, at);
    if (family < ctx->min_family) {
        zw_error_set (&ctx->error, ZW_ERR_UNSUPPORTED_VERSION, at,
                      "zmtp31.version.downgrade-or-close", "peer protocol below the minimum accepted");
        return 0;
    }
    return 1;
}

static void
finish (zw_zmtp_greeting_ctx *ctx, uint64_t end)
{
    ctx->greeting.size = end;
    ctx->done = 1;
    if (ctx->callbacks && ctx->callbacks->on_greeting)
        ctx->callbacks->on_greeting (ctx->user, &ctx->greeting);
}

/* zmtp10.frame.length-nonzero: a 1.0 frame of length 0 is no frame. */
static int
v1_length_nonzero (zw_zmtp_greeting_ctx *ctx, uint64_t at)
{
    if (ctx->v1_length != 0)
        return 1;
    zw_error_set (&ctx->error, ZW_ERR_MALFORMED_GREETING, at, "zmtp10.frame.length-nonzero",
                  "1.0 identity frame of length 0");
    return 0;
}

/*  The flags octet of a 1.0 identity frame is in (at 'at'): the identity
    follows.  zmtp10.frame.long-length: the frame length counts the flags
    octet, so the identity is one shorter; zmtp10.greeting.identity: at
    most 255 octets.  */
static void
v1_identity (zw_zmtp_greeting_ctx *ctx, uint64_t frame_length, uint64_t at)
{
    if (frame_length == 0)
        zw_error_set (&ctx->error, ZW_ERR_MALFORMED_GREETING, at, "zmtp10.frame.length-nonzero",
                      "1.0 identity frame of length 0");
    else if (frame_length - 1 > ZW_ZMTP_IDENTITY_MAX)
        zw_error_set (&ctx->error, ZW_ERR_LIMIT_EXCEEDED, at, "zmtp10.greeting.identity",
                      "1.0 identity longer than 255 octets");
    else if (frame_length == 1)
        finish (ctx, at + 1);
    else
        ctx->identity_left = (uint16_t) (frame_length - 1);
}

/* zmtp31.greeting.mechanism-match: all 20 octets must equal ours. */
static int
mechanism_end (zw_zmtp_greeting_ctx *ctx, uint64_t at)
{
    ctx->greeting.mechanism[ZW_ZMTP_MECHANISM_SIZE] = 0;
    if (ctx->expected_mechanism[0] != 0
    &&  memcmp (ctx->expected_mechanism, ctx->greeting.mechanism, ZW_ZMTP_MECHANISM_SIZE) != 0) {
        zw_error_set (&ctx->error, ZW_ERR_MECHANISM_MISMATCH, at, "zmtp31.greeting.mechanism-match",
                      "peer mechanism differs from ours");
        return 0;
    }
    return 1;
}

/*  zmtp31.null.as-server-zero: NULL has no roles, so as-server is 0.  The
    rule binds the sender: a caller may tolerate a 1
    (ZW_ZMTP_TOLERATE_AS_SERVER).  */
static int
as_server (zw_zmtp_greeting_ctx *ctx, uint8_t octet, uint64_t at)
{
    ctx->greeting.as_server = octet;
    if (octet == 1 && strcmp (ctx->greeting.mechanism, "NULL") == 0
    &&  !(ctx->tolerate & ZW_ZMTP_TOLERATE_AS_SERVER)) {
        zw_error_set (&ctx->error, ZW_ERR_MALFORMED_GREETING, at, "zmtp31.null.as-server-zero",
                      "as-server set with the NULL mechanism");
        return 0;
    }
    return 1;
}

/* Runs the machine over data; returns the octets consumed. */
static size_t
run_machine (zw_zmtp_greeting_ctx *ctx, const uint8_t *data, size_t len)
{
    const uint8_t *start = data, *p = data, *pe = data + len;
    %% write exec;
    if (ctx->cs == zmtp_greeting_error && ctx->error.code == ZW_OK)
        grammar_error (ctx, AT);
    if (ctx->error.code != ZW_OK)       /* the offending octet is not consumed */
        p = start + (ctx->error.offset - ctx->offset);
    ctx->offset += (uint64_t) (p - start);
    return (size_t) (p - start);
}

/* Copies identity octets (at most 255 in all) into the greeting. */
static size_t
take_identity (zw_zmtp_greeting_ctx *ctx, const uint8_t *data, size_t len)
{
    size_t n = len < ctx->identity_left ? len : ctx->identity_left;
    memcpy (ctx->greeting.identity + ctx->greeting.identity_size, data, n);
    ctx->greeting.identity_size = (uint16_t) (ctx->greeting.identity_size + n);
    ctx->identity_left = (uint16_t) (ctx->identity_left - n);
    ctx->offset += n;
    if (ctx->identity_left == 0)
        finish (ctx, ctx->offset);
    return n;
}

void
zw_zmtp_greeting_init (zw_zmtp_greeting_ctx *ctx, zw_zmtp_family min_family,
                       const char *mechanism,
                       const zw_zmtp_greeting_callbacks *callbacks, void *user)
{
    memset (ctx, 0, sizeof *ctx);
    ctx->min_family = min_family;
    ctx->max_family = ZW_ZMTP_V3;
    if (mechanism)      /* NUL-padded to 20 octets, like the wire field */
        memcpy (ctx->expected_mechanism, mechanism, strnlen (mechanism, ZW_ZMTP_MECHANISM_SIZE));
    ctx->callbacks = callbacks;
    ctx->user = user;
    %% write init;
}

void
zw_zmtp_greeting_cap (zw_zmtp_greeting_ctx *ctx, zw_zmtp_family max_family)
{
    ctx->max_family = max_family;
}

void
zw_zmtp_greeting_tolerate (zw_zmtp_greeting_ctx *ctx, unsigned tolerances)
{
    ctx->tolerate = tolerances;
}

size_t
zw_zmtp_greeting_push (zw_zmtp_greeting_ctx *ctx, const uint8_t *data, size_t len)
{
    size_t used = 0;
    while (used < len && !ctx->done && ctx->error.code == ZW_OK) {
        if (ctx->identity_left > 0)
            used += take_identity (ctx, data + used, len - used);
        else
            used += run_machine (ctx, data + used, len - used);
    }
    return used;
}

int
zw_zmtp_greeting_done (const zw_zmtp_greeting_ctx *ctx)
{
    return ctx->done;
}

const zw_error *
zw_zmtp_greeting_error (const zw_zmtp_greeting_ctx *ctx)
{
    return ctx->error.code == ZW_OK ? NULL : &ctx->error;
}
