/*  test_codec.c — unit tests of the codec API contracts that golden vectors
    cannot express: zero-length pushes, what happens after an error or a
    halt, octets after a greeting, encoders refusing out-of-range input,
    first-error-wins.  The grammars themselves are tested by the vectors
    (make vectors-check).  Prints "N passed, N failed".  */

#include <stdio.h>
#include <string.h>
#include "zw_error.h"
#include "zmtp_greeting.h"
#include "zmtp_frame.h"
#include "zmtp_metadata.h"
#include "zmtp_command.h"
#include "z85.h"

static int passed, failed;

#define CHECK(cond) do { \
    if (cond) passed++; \
    else { failed++; fprintf (stderr, "%s:%d: FAILED: %s\n", __FILE__, __LINE__, #cond); } \
} while (0)

static const uint8_t null_greeting[64] = {
    0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0x7F, 3, 1, 'N', 'U', 'L', 'L'
};

static void
test_error_first_wins (void)
{
    zw_error e = { 0 };
    CHECK (zw_error_set (&e, ZW_ERR_INVALID_FLAGS, 3, "zmtp31.frame.flags-reserved", "a") == 1);
    CHECK (zw_error_set (&e, ZW_ERR_INVALID_SIZE, 9, "zmtp31.frame.long-size", "b") == 0);
    CHECK (e.code == ZW_ERR_INVALID_FLAGS && e.offset == 3);
    CHECK (strcmp (zw_error_class_name (ZW_ERR_LIMIT_EXCEEDED), "limit-exceeded") == 0);
    CHECK (strcmp (zw_error_class_name ((zw_errcode) 999), "unknown") == 0);
}

static void
test_greeting_stops_at_its_end (void)
{
    zw_zmtp_greeting_ctx ctx;
    uint8_t stream[70];
    memcpy (stream, null_greeting, 64);
    memset (stream + 64, 0x04, 6);
    zw_zmtp_greeting_init (&ctx, ZW_ZMTP_V3, "NULL", NULL, NULL);
    CHECK (zw_zmtp_greeting_push (&ctx, stream, 0) == 0);
    CHECK (zw_zmtp_greeting_push (&ctx, stream, sizeof stream) == 64);
    CHECK (zw_zmtp_greeting_done (&ctx));
    CHECK (ctx.greeting.minor == 1 && strcmp (ctx.greeting.mechanism, "NULL") == 0);
    CHECK (zw_zmtp_greeting_push (&ctx, stream + 64, 6) == 0);
}

/*  A decoder capped at 2.0 reads a 3.x peer's major as a revision and the
    2.0 rest that the peer sends after stepping down (zmtp31.version.downgrade).  */
static void
test_greeting_capped_at_v2 (void)
{
    static const uint8_t stepped_down[] = { 0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 3,
                                            0x08, 0x00, 0x02, 'i', 'd' };
    zw_zmtp_greeting_ctx ctx;
    zw_zmtp_greeting_init (&ctx, ZW_ZMTP_V1, NULL, NULL, NULL);
    zw_zmtp_greeting_cap (&ctx, ZW_ZMTP_V2);
    CHECK (zw_zmtp_greeting_push (&ctx, stepped_down, sizeof stepped_down) == sizeof stepped_down);
    CHECK (zw_zmtp_greeting_done (&ctx) && ctx.greeting.family == ZW_ZMTP_V2);
    CHECK (ctx.greeting.revision == 3 && ctx.greeting.socket_type == 8);
    CHECK (ctx.greeting.identity_size == 2 && memcmp (ctx.greeting.identity, "id", 2) == 0);
    /* uncapped, the same octets are a 3.x greeting cut short */
    zw_zmtp_greeting_init (&ctx, ZW_ZMTP_V1, NULL, NULL, NULL);
    zw_zmtp_greeting_push (&ctx, stepped_down, sizeof stepped_down);
    CHECK (!zw_zmtp_greeting_done (&ctx) && ctx.greeting.family == ZW_ZMTP_V3);
}

static void
test_greeting_consumes_nothing_after_error (void)
{
    zw_zmtp_greeting_ctx ctx;
    uint8_t bad[64];
    memcpy (bad, null_greeting, 64);
    bad[12] = 'n';      /* zmtp31.greeting.mechanism-name: lower case */
    zw_zmtp_greeting_init (&ctx, ZW_ZMTP_V1, NULL, NULL, NULL);
    CHECK (zw_zmtp_greeting_push (&ctx, bad, 64) == 12);
    const zw_error *e = zw_zmtp_greeting_error (&ctx);
    CHECK (e && e->code == ZW_ERR_INVALID_MECHANISM && e->offset == 12);
    CHECK (zw_zmtp_greeting_push (&ctx, bad, 64) == 0);
}

static int headers_seen;

static int
halt_on_header (void *user, const zw_zmtp_frame_header *header)
{
    (void) user;
    (void) header;
    headers_seen++;
    return 1;
}

static void
test_frame_halt (void)
{
    static const zw_zmtp_frame_callbacks halting = { halt_on_header, NULL, NULL };
    const uint8_t two_frames[] = { 0x01, 0x01, 'A', 0x00, 0x01, 'B' };
    zw_zmtp_frame_ctx ctx;
    headers_seen = 0;
    zw_zmtp_frame_init (&ctx, ZW_ZMTP_FRAMING_V3, 0, ZW_ZMTP_SIZE_MAX, &halting, NULL);
    CHECK (zw_zmtp_frame_push (&ctx, two_frames, sizeof two_frames) == 2);
    CHECK (headers_seen == 1);
    CHECK (zw_zmtp_frame_push (&ctx, two_frames + 2, 4) == 0);
    CHECK (zw_zmtp_frame_error (&ctx) == NULL);
}

static void
test_frame_limit_before_body (void)
{
    const uint8_t big[] = { 0x00, 0x10, 'x' };
    zw_zmtp_frame_ctx ctx;
    zw_zmtp_frame_init (&ctx, ZW_ZMTP_FRAMING_V3, 64, 15, NULL, NULL);
    CHECK (zw_zmtp_frame_push (&ctx, big, sizeof big) == 1);
    const zw_error *e = zw_zmtp_frame_error (&ctx);
    CHECK (e && e->code == ZW_ERR_LIMIT_EXCEEDED && e->offset == 65);     /* base 64 */
    CHECK (strcmp (e->clause, "zmtp31.frame.size-limit") == 0);
}

static void
test_frame_pack_header (void)
{
    uint8_t buf[9];
    CHECK (zw_zmtp_frame_pack_header (buf, sizeof buf, 0, 0, 0) == 2 && buf[0] == 0 && buf[1] == 0);
    CHECK (zw_zmtp_frame_pack_header (buf, sizeof buf, 1, 0, 255) == 2 && buf[0] == 1 && buf[1] == 255);
    CHECK (zw_zmtp_frame_pack_header (buf, sizeof buf, 0, 1, 256) == 9 && buf[0] == 6 && buf[7] == 1);
    CHECK (zw_zmtp_frame_pack_header (buf, sizeof buf, 1, 1, 1) == 0);     /* command-no-more */
    CHECK (zw_zmtp_frame_pack_header (buf, sizeof buf, 0, 0, ZW_ZMTP_SIZE_MAX + 1) == 0);
    CHECK (zw_zmtp_frame_pack_header (buf, 8, 0, 0, 256) == 0);
    CHECK (zw_zmtp_frame_pack_header (buf, 1, 0, 0, 1) == 0);
}

static void
test_greeting_pack (void)
{
    uint8_t buf[300];
    const uint8_t padding[8] = { 0, 0, 0, 0, 0, 0, 0, 1 };
    CHECK (zw_zmtp_greeting_pack_v3 (buf, sizeof buf, 3, 1, "NULL", 0, NULL) == 64);
    CHECK (memcmp (buf, null_greeting, 64) == 0);
    CHECK (zw_zmtp_greeting_pack_v3 (buf, sizeof buf, 3, 1, "NULL", 0, padding) == 64 && buf[8] == 1);
    CHECK (zw_zmtp_greeting_pack_v3 (buf, sizeof buf, 3, 1, "null", 0, NULL) == 0);
    CHECK (zw_zmtp_greeting_pack_v3 (buf, sizeof buf, 3, 1, "", 0, NULL) == 0);
    CHECK (zw_zmtp_greeting_pack_v3 (buf, sizeof buf, 3, 1, "ABCDEFGHIJKLMNOPQRSTU", 0, NULL) == 0);
    CHECK (zw_zmtp_greeting_pack_v3 (buf, sizeof buf, 3, 1, "PLAIN", 2, NULL) == 0);
    CHECK (zw_zmtp_greeting_pack_v3 (buf, 63, 3, 1, "PLAIN", 1, NULL) == 0);
    CHECK (zw_zmtp_greeting_pack_v2 (buf, sizeof buf, 1, 11, NULL, 0) == 0);
    CHECK (zw_zmtp_greeting_pack_v1 (buf, sizeof buf, NULL, 0) == 2 && buf[0] == 1 && buf[1] == 0);
    memset (buf + 100, 'i', 200);
    CHECK (zw_zmtp_greeting_pack_v1 (buf, 200, buf + 100, 254) == 0);  /* long form needs 264 */
    CHECK (zw_zmtp_signature_pack_compat (buf, sizeof buf, 5) == 10 && buf[8] == 6 && buf[9] == 0x7F);
}

static void
test_metadata_helpers (void)
{
    uint8_t buf[64];
    CHECK (zw_zmtp_metadata_name_equal ("Socket-Type", 11, "socket-type", 11));
    CHECK (!zw_zmtp_metadata_name_equal ("Socket-Type", 11, "Socket-Typ", 10));
    CHECK (zw_zmtp_metadata_name_valid ("X-a.b_c+1", 9));
    CHECK (!zw_zmtp_metadata_name_valid ("a b", 3));
    CHECK (!zw_zmtp_metadata_name_valid ("", 0));
    CHECK (zw_zmtp_metadata_pack (buf, sizeof buf, "Identity", 8, NULL, 0) == 13);
    CHECK (zw_zmtp_metadata_pack (buf, sizeof buf, "Bad/Name", 8, NULL, 0) == 0);
    CHECK (zw_zmtp_metadata_pack (buf, 12, "Identity", 8, NULL, 0) == 0);
}

static void
test_metadata_empty_list_is_done (void)
{
    zw_zmtp_metadata_ctx ctx;
    zw_zmtp_metadata_init (&ctx, 100, 0, NULL, NULL);
    CHECK (zw_zmtp_metadata_done (&ctx));
    CHECK (zw_zmtp_metadata_push (&ctx, (const uint8_t *) "x", 1) == 0);
}

static void
test_command_pack_refuses (void)
{
    zw_zmtp_command cmd;
    uint8_t buf[600];
    memset (&cmd, 0, sizeof cmd);
    strcpy (cmd.name, "PING");
    cmd.name_size = 4;
    cmd.u.ping.ttl = 30;
    CHECK (zw_zmtp_command_pack_head (buf, sizeof buf, ZW_MECHANISM_NULL, &cmd) == 7);
    cmd.u.ping.context.size = 17;
    CHECK (zw_zmtp_command_pack_head (buf, sizeof buf, ZW_MECHANISM_NULL, &cmd) == 0);
    strcpy (cmd.name, "JOIN");
    cmd.u.group.size = 2;
    cmd.u.group.data[0] = 'a';
    cmd.u.group.data[1] = 0;
    CHECK (zw_zmtp_command_pack_head (buf, sizeof buf, ZW_MECHANISM_NULL, &cmd) == 0);
    strcpy (cmd.name, "RE4DY");
    cmd.name_size = 5;
    CHECK (zw_zmtp_command_pack_head (buf, sizeof buf, ZW_MECHANISM_NULL, &cmd) == 0);
    CHECK (zw_zmtp_command_lookup (ZW_MECHANISM_CURVE, "READY", 5) == ZW_COMMAND_READY);
    CHECK (zw_zmtp_command_lookup (ZW_MECHANISM_NULL, "HELLO", 5) == ZW_COMMAND_UNKNOWN);
    CHECK (zw_zmtp_command_lookup (ZW_MECHANISM_CURVE, "PING", 4) == ZW_COMMAND_UNKNOWN);
}

static void
test_command_zero_size_body (void)
{
    zw_zmtp_command_ctx ctx;
    zw_zmtp_command_init (&ctx, ZW_MECHANISM_NULL, 42, 0, NULL, NULL);
    const zw_error *e = zw_zmtp_command_error (&ctx);
    CHECK (e && e->code == ZW_ERR_MALFORMED_COMMAND && e->offset == 42);
}

static void
test_z85 (void)
{
    const uint8_t hello[8] = { 0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B };
    char text[16];
    uint8_t out[8];
    zw_z85_ctx ctx;
    CHECK (zw_z85_encode (text, sizeof text, hello, 8) == 10 && memcmp (text, "HelloWorld", 10) == 0);
    CHECK (zw_z85_encode (text, sizeof text, hello, 7) == 0);
    CHECK (zw_z85_encode (text, 9, hello, 8) == 0);
    zw_z85_decode_init (&ctx, 10, out, 7);
    CHECK (zw_z85_decode_error (&ctx) && zw_z85_decode_error (&ctx)->code == ZW_ERR_MISUSE);
    zw_z85_decode_init (&ctx, 10, out, sizeof out);
    CHECK (zw_z85_decode_push (&ctx, (const uint8_t *) "Hello", 5) == 5);
    CHECK (zw_z85_decode_push (&ctx, (const uint8_t *) "WorldXX", 7) == 5);
    CHECK (zw_z85_decode_done (&ctx) && memcmp (out, hello, 8) == 0);
}

int
main (void)
{
    test_error_first_wins ();
    test_greeting_stops_at_its_end ();
    test_greeting_consumes_nothing_after_error ();
    test_greeting_capped_at_v2 ();
    test_frame_halt ();
    test_frame_limit_before_body ();
    test_frame_pack_header ();
    test_greeting_pack ();
    test_metadata_helpers ();
    test_metadata_empty_list_is_done ();
    test_command_pack_refuses ();
    test_command_zero_size_body ();
    test_z85 ();
    printf ("test-codec: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
