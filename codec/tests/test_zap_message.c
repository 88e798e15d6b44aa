/*  test_zap_message.c — unit tests of the ZAP codec (codec/zap_message.h,
    27/ZAP): the RFC's NULL and PLAIN examples as on the wire and as a REQ
    or REP socket hands them over, each error class with its frame index
    and clause, the address check and formatter (RFC 5952), the encoders'
    round trip and their refusals.  The golden vectors (vectors/zap) test
    the grammar again through the vector runner.  Prints "N passed, N
    failed".  */

#include <stdio.h>
#include <string.h>
#include "zap_message.h"

static int passed, failed;

#define CHECK(cond) do { \
    if (cond) passed++; \
    else { failed++; fprintf (stderr, "%s:%d: FAILED: %s\n", __FILE__, __LINE__, #cond); } \
} while (0)

#define FRAMES_MAX 16

/* A message written as C strings; "\x80" and the like for other octets. */
typedef struct {
    zw_zap_frame frames[FRAMES_MAX];
    size_t count;
} message;

static message
frames_of (const char *const *texts, size_t count)
{
    message m = { .count = count };
    for (size_t i = 0; i < count; i++)
        m.frames[i] = zw_zap_text (texts[i]);
    return m;
}

#define MESSAGE(...) frames_of ((const char *const[]) { __VA_ARGS__ }, \
                                sizeof ((const char *const[]) { __VA_ARGS__ }) / sizeof (const char *))

static int
frame_is (zw_zap_frame f, const char *text)
{
    return f.size == strlen (text) && (f.size == 0 || memcmp (f.data, text, f.size) == 0);
}

static int
same_frame (zw_zap_frame a, zw_zap_frame b)
{
    return a.size == b.size && (a.size == 0 || memcmp (a.data, b.data, a.size) == 0);
}

/* The message without its first frame: as a REQ or REP socket hands it over. */
static message
bare (message m)
{
    memmove (m.frames, m.frames + 1, (m.count - 1) * sizeof m.frames[0]);
    m.count--;
    return m;
}

/* Decodes m in the direction and envelope; 1 if the error is the one named. */
static int
fails (message m, zw_zap_direction direction, zw_zap_envelope envelope,
       zw_errcode code, uint64_t offset, const char *clause)
{
    zw_error e = { 0 };
    zw_zap_request req;
    zw_zap_reply rep;
    int ok = direction == ZW_ZAP_REQUEST
             ? zw_zap_request_decode (m.frames, m.count, envelope, &req, &e)
             : zw_zap_reply_decode (m.frames, m.count, envelope, &rep, &e);
    if (ok || e.code != code || e.offset != offset || !e.clause || strcmp (e.clause, clause) != 0) {
        fprintf (stderr, "  got ok=%d %s at %llu (%s)\n", ok, zw_error_class_name (e.code),
                 (unsigned long long) e.offset, e.clause ? e.clause : "no clause");
        return 0;
    }
    return 1;
}

static int
request_fails (message m, zw_errcode code, uint64_t offset, const char *clause)
{
    return fails (m, ZW_ZAP_REQUEST, ZW_ZAP_ENVELOPE_DELIMITER, code, offset, clause);
}

static int
reply_fails (message m, zw_errcode code, uint64_t offset, const char *clause)
{
    return fails (m, ZW_ZAP_REPLY, ZW_ZAP_ENVELOPE_DELIMITER, code, offset, clause);
}

static int
request_ok (message m)
{
    zw_error e = { 0 };
    zw_zap_request req;
    return zw_zap_request_decode (m.frames, m.count, ZW_ZAP_ENVELOPE_DELIMITER, &req, &e);
}

/* The encoder writes m's own frames back for what the decoder read from them. */
static int
request_round_trip (message m, zw_zap_envelope envelope)
{
    zw_error e = { 0 };
    zw_zap_request req;
    zw_zap_frame out[FRAMES_MAX];
    if (!zw_zap_request_decode (m.frames, m.count, envelope, &req, &e))
        return 0;
    size_t n = zw_zap_request_pack (&req, envelope, out, FRAMES_MAX, &e);
    if (n != m.count)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!same_frame (out[i], m.frames[i]))
            return 0;
    return 1;
}

static int
reply_round_trip (message m, zw_zap_envelope envelope)
{
    zw_error e = { 0 };
    zw_zap_reply rep;
    zw_zap_frame out[ZW_ZAP_REPLY_FRAMES];
    if (!zw_zap_reply_decode (m.frames, m.count, envelope, &rep, &e))
        return 0;
    size_t n = zw_zap_reply_pack (&rep, envelope, out, &e);
    if (n != m.count)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!same_frame (out[i], m.frames[i]))
            return 0;
    return 1;
}

/* RFC 27, "Examples": the NULL request and its reply, frame for frame. */
static void
test_rfc_null_example (void)
{
    message request = MESSAGE ("", "1.0", "0001", "test", "192.168.55.1", "BOB", "NULL");
    message reply = MESSAGE ("", "1.0", "0001", "200", "OK", "joe", "");
    zw_error e = { 0 };
    zw_zap_request req;
    zw_zap_reply rep;
    CHECK (zw_zap_request_decode (request.frames, request.count, ZW_ZAP_ENVELOPE_DELIMITER, &req, &e));
    CHECK (e.code == ZW_OK);
    CHECK (frame_is (req.request_id, "0001") && frame_is (req.domain, "test"));
    CHECK (frame_is (req.address, "192.168.55.1") && frame_is (req.identity, "BOB"));
    CHECK (frame_is (req.mechanism, "NULL") && req.credential_count == 0 && req.credentials == NULL);
    CHECK (zw_zap_reply_decode (reply.frames, reply.count, ZW_ZAP_ENVELOPE_DELIMITER, &rep, &e));
    CHECK (frame_is (rep.request_id, "0001") && rep.status == ZW_ZAP_STATUS_OK);
    CHECK (frame_is (rep.status_text, "OK") && frame_is (rep.user_id, "joe"));
    CHECK (rep.metadata.size == 0);
    CHECK (request_round_trip (request, ZW_ZAP_ENVELOPE_DELIMITER));
    CHECK (reply_round_trip (reply, ZW_ZAP_ENVELOPE_DELIMITER));
    /* as a REP handler receives the request and a REQ server the reply: no delimiter */
    CHECK (zw_zap_request_decode (bare (request).frames, 6, ZW_ZAP_ENVELOPE_NONE, &req, &e));
    CHECK (frame_is (req.mechanism, "NULL") && frame_is (req.domain, "test"));
    CHECK (request_round_trip (bare (request), ZW_ZAP_ENVELOPE_NONE));
    CHECK (reply_round_trip (bare (reply), ZW_ZAP_ENVELOPE_NONE));
    /* each envelope refuses the other's message */
    CHECK (fails (bare (request), ZW_ZAP_REQUEST, ZW_ZAP_ENVELOPE_DELIMITER,
                  ZW_ERR_ZAP_INVALID_DELIMITER, 0, "zap.request.delimiter"));
    CHECK (fails (request, ZW_ZAP_REQUEST, ZW_ZAP_ENVELOPE_NONE,
                  ZW_ERR_ZAP_BAD_VERSION, 0, "zap.request.version"));
    CHECK (fails (bare (reply), ZW_ZAP_REPLY, ZW_ZAP_ENVELOPE_DELIMITER,
                  ZW_ERR_ZAP_INVALID_DELIMITER, 0, "zap.reply.delimiter"));
    CHECK (fails (reply, ZW_ZAP_REPLY, ZW_ZAP_ENVELOPE_NONE,
                  ZW_ERR_ZAP_BAD_VERSION, 0, "zap.reply.version"));
}

/* RFC 27, "Examples": the PLAIN request adds the user name and the password. */
static void
test_rfc_plain_example (void)
{
    message request = MESSAGE ("", "1.0", "0001", "test", "192.168.55.1", "BOB", "PLAIN",
                               "admin", "secret");
    zw_error e = { 0 };
    zw_zap_request req;
    CHECK (zw_zap_request_decode (request.frames, request.count, ZW_ZAP_ENVELOPE_DELIMITER, &req, &e));
    CHECK (frame_is (req.mechanism, "PLAIN") && req.credential_count == 2);
    CHECK (req.credentials == &request.frames[7]);
    CHECK (frame_is (req.credentials[0], "admin") && frame_is (req.credentials[1], "secret"));
    CHECK (request_round_trip (request, ZW_ZAP_ENVELOPE_DELIMITER));
    CHECK (request_round_trip (bare (request), ZW_ZAP_ENVELOPE_NONE));
}

static void
test_curve_and_other_mechanisms (void)
{
    static const char binary_key[33] = "\x80\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f"
                                       "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\xff";
    message curve = MESSAGE ("", "1.0", "7", "global", "::1", "", "CURVE", "");
    curve.frames[7] = (zw_zap_frame) { (const uint8_t *) binary_key, 32 };
    CHECK (request_ok (curve));
    CHECK (request_round_trip (curve, ZW_ZAP_ENVELOPE_DELIMITER));
    /* any 32 octets, ASCII included */
    curve.frames[7] = zw_zap_text ("0123456789abcdef0123456789abcdef");
    CHECK (request_ok (curve));
    curve.frames[7] = zw_zap_text ("0123456789abcdef0123456789abcde");
    CHECK (request_fails (curve, ZW_ERR_ZAP_INVALID_CREDENTIALS, 7, "zap.curve.credentials"));
    curve.frames[7] = (zw_zap_frame) { (const uint8_t *) binary_key, 33 };
    CHECK (request_fails (curve, ZW_ERR_ZAP_INVALID_CREDENTIALS, 7, "zap.curve.credentials"));
    curve.count = 7;
    CHECK (request_fails (curve, ZW_ERR_ZAP_INVALID_CREDENTIALS, 7, "zap.curve.credentials"));
    curve.count = 9;
    curve.frames[7] = curve.frames[8] = (zw_zap_frame) { (const uint8_t *) binary_key, 32 };
    CHECK (request_fails (curve, ZW_ERR_ZAP_INVALID_CREDENTIALS, 8, "zap.curve.credentials"));
    /* another mechanism takes any frames, none included */
    message other = MESSAGE ("", "1.0", "7", "global", "10.0.0.1", "", "GSSAPI", "", "\x80", "x");
    CHECK (request_ok (other));
    CHECK (request_round_trip (other, ZW_ZAP_ENVELOPE_DELIMITER));
    other.count = 7;
    CHECK (request_ok (other));
    /* mechanism names compare octet for octet: "null" is another mechanism */
    message lower = MESSAGE ("", "1.0", "7", "global", "10.0.0.1", "", "null", "x");
    CHECK (request_ok (lower));
}

static void
test_request_errors (void)
{
    message m;
    CHECK (request_fails (MESSAGE ("x", "1.0"), ZW_ERR_ZAP_INVALID_DELIMITER, 0, "zap.request.delimiter"));
    CHECK (request_fails (MESSAGE ("", "1.1"), ZW_ERR_ZAP_BAD_VERSION, 1, "zap.request.version"));
    CHECK (request_fails (MESSAGE ("", "1.0 "), ZW_ERR_ZAP_BAD_VERSION, 1, "zap.request.version"));
    /* zap-missing-frame at the frame count, wherever the message ends */
    m.count = 0;
    CHECK (request_fails (m, ZW_ERR_ZAP_MISSING_FRAME, 0, "zap.request.frames"));
    CHECK (request_fails (MESSAGE (""), ZW_ERR_ZAP_MISSING_FRAME, 1, "zap.request.frames"));
    CHECK (request_fails (MESSAGE ("", "1.0", "1"), ZW_ERR_ZAP_MISSING_FRAME, 3, "zap.request.frames"));
    CHECK (request_fails (MESSAGE ("", "1.0", "1", "d", "::", "id"), ZW_ERR_ZAP_MISSING_FRAME, 6,
                          "zap.request.frames"));
    /* the domain: a string, not empty */
    CHECK (request_fails (MESSAGE ("", "1.0", "1", ""), ZW_ERR_ZAP_INVALID_DOMAIN, 3, "zap.request.domain"));
    CHECK (request_fails (MESSAGE ("", "1.0", "1", "d\x80"), ZW_ERR_ZAP_INVALID_DOMAIN, 3, "zap.strings.ascii"));
    /* the address */
    CHECK (request_fails (MESSAGE ("", "1.0", "1", "d", ""), ZW_ERR_ZAP_INVALID_ADDRESS, 4, "zap.request.address"));
    CHECK (request_fails (MESSAGE ("", "1.0", "1", "d", "localhost"), ZW_ERR_ZAP_INVALID_ADDRESS, 4,
                          "zap.request.address"));
    CHECK (request_fails (MESSAGE ("", "1.0", "1", "d", "1.2.3.4\x80"), ZW_ERR_ZAP_INVALID_ADDRESS, 4,
                          "zap.request.address"));
    /* the identity: at most 255 octets, anything */
    char identity[257];
    memset (identity, 0xEE, sizeof identity - 1);
    identity[256] = 0;
    m = MESSAGE ("", "1.0", "1", "d", "1.2.3.4", identity, "NULL");
    CHECK (request_fails (m, ZW_ERR_ZAP_INVALID_IDENTITY, 5, "zap.request.identity"));
    m.frames[5].size = 255;
    CHECK (request_ok (m));
    /* the mechanism: a string, not empty */
    CHECK (request_fails (MESSAGE ("", "1.0", "1", "d", "1.2.3.4", "", ""), ZW_ERR_ZAP_INVALID_MECHANISM, 6,
                          "zap.request.mechanism"));
    CHECK (request_fails (MESSAGE ("", "1.0", "1", "d", "1.2.3.4", "", "N\xc3\x9cLL"),
                          ZW_ERR_ZAP_INVALID_MECHANISM, 6, "zap.strings.ascii"));
    /* the credentials */
    CHECK (request_fails (MESSAGE ("", "1.0", "1", "d", "1.2.3.4", "", "NULL", ""),
                          ZW_ERR_ZAP_INVALID_CREDENTIALS, 7, "zap.null.no-credentials"));
    CHECK (request_fails (MESSAGE ("", "1.0", "1", "d", "1.2.3.4", "", "PLAIN", "admin"),
                          ZW_ERR_ZAP_INVALID_CREDENTIALS, 8, "zap.plain.credentials"));
    CHECK (request_fails (MESSAGE ("", "1.0", "1", "d", "1.2.3.4", "", "PLAIN"),
                          ZW_ERR_ZAP_INVALID_CREDENTIALS, 7, "zap.plain.credentials"));
    CHECK (request_fails (MESSAGE ("", "1.0", "1", "d", "1.2.3.4", "", "PLAIN", "a", "b", "c"),
                          ZW_ERR_ZAP_INVALID_CREDENTIALS, 9, "zap.plain.credentials"));
    /* PLAIN's credentials are opaque here: empty and non-ASCII ones are taken */
    CHECK (request_ok (MESSAGE ("", "1.0", "1", "d", "1.2.3.4", "", "PLAIN", "", "\xff")));
    /* the request id is opaque */
    CHECK (request_ok (MESSAGE ("", "1.0", "", "d", "1.2.3.4", "", "NULL")));
    CHECK (request_ok (MESSAGE ("", "1.0", "\xff\x00", "d", "1.2.3.4", "", "NULL")));
    /* the first failure wins: a bad domain before a bad address */
    CHECK (request_fails (MESSAGE ("", "1.0", "1", "", "", "", ""), ZW_ERR_ZAP_INVALID_DOMAIN, 3,
                          "zap.request.domain"));
}

static void
test_reply_errors (void)
{
    message m;
    CHECK (reply_fails (MESSAGE (" ", "1.0"), ZW_ERR_ZAP_INVALID_DELIMITER, 0, "zap.reply.delimiter"));
    CHECK (reply_fails (MESSAGE ("", "2.0"), ZW_ERR_ZAP_BAD_VERSION, 1, "zap.reply.version"));
    m.count = 0;
    CHECK (reply_fails (m, ZW_ERR_ZAP_MISSING_FRAME, 0, "zap.reply.frames"));
    CHECK (reply_fails (MESSAGE ("", "1.0", "1", "200", "OK", "joe"), ZW_ERR_ZAP_MISSING_FRAME, 6,
                        "zap.reply.frames"));
    CHECK (reply_fails (MESSAGE ("", "1.0", "1", "200", "OK", "joe", "", ""), ZW_ERR_ZAP_EXTRA_FRAME, 7,
                        "zap.reply.frames"));
    CHECK (reply_fails (MESSAGE ("", "1.0", "1", "201", "OK", "", ""), ZW_ERR_ZAP_INVALID_STATUS_CODE, 3,
                        "zap.reply.status-code"));
    CHECK (reply_fails (MESSAGE ("", "1.0", "1", "", "OK", "", ""), ZW_ERR_ZAP_INVALID_STATUS_CODE, 3,
                        "zap.reply.status-code"));
    CHECK (reply_fails (MESSAGE ("", "1.0", "1", "400", "caf\xc3\xa9", "", ""), ZW_ERR_ZAP_INVALID_TEXT, 4,
                        "zap.strings.ascii"));
    CHECK (reply_fails (MESSAGE ("", "1.0", "1", "400", "denied", "joe", ""), ZW_ERR_ZAP_INVALID_USER_ID, 5,
                        "zap.reply.user-id-empty"));
    CHECK (reply_fails (MESSAGE ("", "1.0", "1", "200", "OK", "j\xf6" "e", ""), ZW_ERR_ZAP_INVALID_USER_ID, 5,
                        "zap.strings.ascii"));
    CHECK (reply_fails (MESSAGE ("", "1.0", "1", "300", "", "j\xf6" "e", ""), ZW_ERR_ZAP_INVALID_USER_ID, 5,
                        "zap.strings.ascii"));
    /* the metadata: a property list (a name of 1..255 name-chars, a 4-octet size, the value) */
    static const uint8_t props[] = { 4, 'U', 's', 'e', 'r', 0, 0, 0, 3, 'b', 'o', 'b' };
    m = MESSAGE ("", "1.0", "1", "200", "OK", "joe", "");
    m.frames[6] = (zw_zap_frame) { props, sizeof props };
    zw_error e = { 0 };
    zw_zap_reply rep;
    CHECK (zw_zap_reply_decode (m.frames, m.count, ZW_ZAP_ENVELOPE_DELIMITER, &rep, &e));
    CHECK (rep.metadata.data == props && rep.metadata.size == sizeof props);
    CHECK (reply_round_trip (m, ZW_ZAP_ENVELOPE_DELIMITER));
    m.frames[6].size = sizeof props - 1;        /* the value cut short */
    CHECK (reply_fails (m, ZW_ERR_ZAP_INVALID_METADATA, 6, "zap.reply.metadata"));
    m.frames[6] = zw_zap_text ("\x00");
    m.frames[6].size = 1;                       /* a name of no octet */
    CHECK (reply_fails (m, ZW_ERR_ZAP_INVALID_METADATA, 6, "zap.reply.metadata"));
    m.frames[6] = zw_zap_text ("\x04Us?r");     /* a name octet outside name-char */
    CHECK (reply_fails (m, ZW_ERR_ZAP_INVALID_METADATA, 6, "zap.reply.metadata"));
    /* every status but 200 with an empty user id, and metadata on any status */
    const char *codes[] = { "300", "400", "500" };
    for (int i = 0; i < 3; i++) {
        m = MESSAGE ("", "1.0", "1", codes[i], "later", "", "");
        m.frames[6] = (zw_zap_frame) { props, sizeof props };
        CHECK (zw_zap_reply_decode (m.frames, m.count, ZW_ZAP_ENVELOPE_DELIMITER, &rep, &e));
        CHECK (rep.status == (unsigned) (300 + 100 * i) && frame_is (rep.status_text, "later"));
        CHECK (reply_round_trip (m, ZW_ZAP_ENVELOPE_DELIMITER));
        CHECK (reply_round_trip (bare (m), ZW_ZAP_ENVELOPE_NONE));
    }
    /* offsets count from the first frame the caller gives: without the delimiter, one less */
    CHECK (fails (MESSAGE ("1.0", "1", "400", "no", "joe", ""), ZW_ZAP_REPLY, ZW_ZAP_ENVELOPE_NONE,
                  ZW_ERR_ZAP_INVALID_USER_ID, 4, "zap.reply.user-id-empty"));
}

static int
address_ok (const char *text)
{
    return zw_zap_address_valid ((const uint8_t *) text, strlen (text));
}

/* zap.request.address: dotted-quad, or the RFC 5952 canonical text. */
static void
test_address (void)
{
    static const char *const valid[] = {
        "192.168.55.1", "0.0.0.0", "255.255.255.255", "10.0.0.1",
        "::", "::1", "1::", "2001:db8::1", "2001:db8:0:1:1:1:1:1", "2001:db8::1:0:0:1",
        "2001:0:0:1::1", "fe80::1:2:3:4", "1:2:3:4:5:6:7:8", "ffff::", "::ffff:192.0.2.1",
        "::ffff:0.0.0.0", "1111:2222:3333:4444:5555:666:7:8", "1:0:1:1:1:1:1:1",
    };
    static const char *const invalid[] = {
        "", "192.168.055.1", "192.168.55", "192.168.55.1.", "192.168.55.256", "1.2.3.4 ",
        "01.2.3.4", "1..3.4", " 1.2.3.4", "1.2.3.-4", "localhost", "1234",
        "2001:DB8::1", "2001:0db8::1", "2001:db8:0:0:1:0:0:1", "2001:db8::0:1", "::0:1",
        "1:0:1:1:1:1:1::", "1::1:0:0:1:1:1", "2001:db8:0:1:1:1:1:1:1", "1:2:3:4:5:6:7",
        "1:::2", ":::", ":1::", "1::2::3", "12345::", "::ffff:102:304", "::FFFF:1.2.3.4",
        "::1.2.3.4", "0:0:0:0:0:ffff:1.2.3.4", "::ffff:1.2.3.04", "fe80::1%eth0", "[::1]",
        "1:2:3:4:5:6:7:8:", ":1:2:3:4:5:6:7:8", "1::2:", "g::1",
    };
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++)
        if (!address_ok (valid[i])) {
            failed++;
            fprintf (stderr, "%s:%d: FAILED: address %s refused\n", __FILE__, __LINE__, valid[i]);
        } else
            passed++;
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
        if (address_ok (invalid[i])) {
            failed++;
            fprintf (stderr, "%s:%d: FAILED: address %s taken\n", __FILE__, __LINE__, invalid[i]);
        } else
            passed++;
    /* the 32-octet address is a TEXT32 frame: the address slot takes it */
    CHECK (request_ok (MESSAGE ("", "1.0", "1", "d", "1111:2222:3333:4444:5555:666:7:8", "", "NULL")));

    char out[ZW_ZAP_ADDRESS_TEXT_MAX];
    static const uint8_t v4[4] = { 192, 168, 55, 1 };
    CHECK (zw_zap_address_format (out, v4, 4) == 12 && strcmp (out, "192.168.55.1") == 0);
    static const uint8_t loopback[16] = { [15] = 1 };
    CHECK (zw_zap_address_format (out, loopback, 16) == 3 && strcmp (out, "::1") == 0);
    static const uint8_t tie[16] = { 0x20, 0x01, 0x0d, 0xb8, [7] = 0, [9] = 1, [15] = 1 };
    CHECK (zw_zap_address_format (out, tie, 16) && strcmp (out, "2001:db8::1:0:0:1") == 0);
    static const uint8_t mapped[16] = { [10] = 0xff, [11] = 0xff, 192, 0, 2, 1 };
    CHECK (zw_zap_address_format (out, mapped, 16) && strcmp (out, "::ffff:192.0.2.1") == 0);
    static const uint8_t compat[16] = { [12] = 1, 2, 3, 4 };
    CHECK (zw_zap_address_format (out, compat, 16) && strcmp (out, "::102:304") == 0);
    static const uint8_t full[16] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    CHECK (zw_zap_address_format (out, full, 16) == 39 && address_ok (out));
    CHECK (zw_zap_address_format (out, full, 5) == 0 && out[0] == 0);
    /* every formatted address is valid: a sweep over sparse addresses */
    int all = 1;
    for (unsigned bits = 0; bits < 256; bits++) {
        uint8_t ip[16] = { 0 };
        for (int g = 0; g < 8; g++)
            if (bits >> g & 1)
                ip[2 * g + 1] = (uint8_t) (g + 1);
        all &= zw_zap_address_format (out, ip, 16) > 0 && address_ok (out);
    }
    CHECK (all);
}

static void
test_pack (void)
{
    zw_zap_frame creds[2] = { zw_zap_text ("admin"), zw_zap_text ("secret") };
    zw_zap_request req = {
        .request_id = zw_zap_text ("1"), .domain = zw_zap_text ("global"),
        .address = zw_zap_text ("127.0.0.1"), .identity = zw_zap_text (""),
        .mechanism = zw_zap_text ("PLAIN"), .credentials = creds, .credential_count = 2,
    };
    zw_zap_frame out[FRAMES_MAX];
    zw_error e = { 0 };
    CHECK (zw_zap_request_pack (&req, ZW_ZAP_ENVELOPE_DELIMITER, out, FRAMES_MAX, &e) == 9);
    CHECK (out[0].size == 0 && frame_is (out[1], "1.0") && frame_is (out[2], "1"));
    CHECK (frame_is (out[3], "global") && frame_is (out[6], "PLAIN") && frame_is (out[8], "secret"));
    CHECK (zw_zap_request_pack (&req, ZW_ZAP_ENVELOPE_NONE, out, FRAMES_MAX, &e) == 8);
    CHECK (frame_is (out[0], "1.0") && frame_is (out[7], "secret"));
    /* too few frames: misuse, the number needed */
    CHECK (zw_zap_request_pack (&req, ZW_ZAP_ENVELOPE_DELIMITER, out, 8, &e) == 0);
    CHECK (e.code == ZW_ERR_MISUSE && e.offset == 9);
    /* a request the decoder would refuse is not written; the error says why */
    e = (zw_error) { 0 };
    req.domain = zw_zap_text ("");
    CHECK (zw_zap_request_pack (&req, ZW_ZAP_ENVELOPE_DELIMITER, out, FRAMES_MAX, &e) == 0);
    CHECK (e.code == ZW_ERR_ZAP_INVALID_DOMAIN && e.offset == 3 && strcmp (e.clause, "zap.request.domain") == 0);
    e = (zw_error) { 0 };
    req.domain = zw_zap_text ("global");
    req.credential_count = 1;
    CHECK (zw_zap_request_pack (&req, ZW_ZAP_ENVELOPE_NONE, out, FRAMES_MAX, &e) == 0);
    CHECK (e.code == ZW_ERR_ZAP_INVALID_CREDENTIALS && e.offset == 7);
    req.address = zw_zap_text ("::FFFF:127.0.0.1");
    CHECK (zw_zap_request_pack (&req, ZW_ZAP_ENVELOPE_NONE, out, FRAMES_MAX, NULL) == 0);

    zw_zap_reply rep = {
        .request_id = zw_zap_text ("1"), .status = ZW_ZAP_STATUS_OK,
        .status_text = zw_zap_text ("OK"), .user_id = zw_zap_text ("admin"),
    };
    zw_zap_frame reply[ZW_ZAP_REPLY_FRAMES];
    e = (zw_error) { 0 };
    CHECK (zw_zap_reply_pack (&rep, ZW_ZAP_ENVELOPE_DELIMITER, reply, &e) == 7);
    CHECK (frame_is (reply[3], "200") && frame_is (reply[5], "admin") && reply[6].size == 0);
    rep.status = ZW_ZAP_STATUS_DENIED;
    CHECK (zw_zap_reply_pack (&rep, ZW_ZAP_ENVELOPE_NONE, reply, &e) == 0);
    CHECK (e.code == ZW_ERR_ZAP_INVALID_USER_ID && e.offset == 4
           && strcmp (e.clause, "zap.reply.user-id-empty") == 0);
    e = (zw_error) { 0 };
    rep.user_id = zw_zap_text ("");
    CHECK (zw_zap_reply_pack (&rep, ZW_ZAP_ENVELOPE_NONE, reply, &e) == 6 && frame_is (reply[2], "400"));
    rep.status = 404;
    CHECK (zw_zap_reply_pack (&rep, ZW_ZAP_ENVELOPE_DELIMITER, reply, &e) == 0);
    CHECK (e.code == ZW_ERR_ZAP_INVALID_STATUS_CODE && e.offset == 3);
    CHECK (zw_zap_status_text (404) == NULL && strcmp (zw_zap_status_text (500), "500") == 0);
}

static void
test_class_names (void)
{
    CHECK (strcmp (zw_error_class_name (ZW_ERR_ZAP_INVALID_DELIMITER), "zap-invalid-delimiter") == 0);
    CHECK (strcmp (zw_error_class_name (ZW_ERR_ZAP_BAD_VERSION), "zap-bad-version") == 0);
    CHECK (strcmp (zw_error_class_name (ZW_ERR_ZAP_MISSING_FRAME), "zap-missing-frame") == 0);
    CHECK (strcmp (zw_error_class_name (ZW_ERR_ZAP_EXTRA_FRAME), "zap-extra-frame") == 0);
    CHECK (strcmp (zw_error_class_name (ZW_ERR_ZAP_INVALID_DOMAIN), "zap-invalid-domain") == 0);
    CHECK (strcmp (zw_error_class_name (ZW_ERR_ZAP_INVALID_ADDRESS), "zap-invalid-address") == 0);
    CHECK (strcmp (zw_error_class_name (ZW_ERR_ZAP_INVALID_IDENTITY), "zap-invalid-identity") == 0);
    CHECK (strcmp (zw_error_class_name (ZW_ERR_ZAP_INVALID_MECHANISM), "zap-invalid-mechanism") == 0);
    CHECK (strcmp (zw_error_class_name (ZW_ERR_ZAP_INVALID_CREDENTIALS), "zap-invalid-credentials") == 0);
    CHECK (strcmp (zw_error_class_name (ZW_ERR_ZAP_INVALID_STATUS_CODE), "zap-invalid-status-code") == 0);
    CHECK (strcmp (zw_error_class_name (ZW_ERR_ZAP_INVALID_TEXT), "zap-invalid-text") == 0);
    CHECK (strcmp (zw_error_class_name (ZW_ERR_ZAP_INVALID_USER_ID), "zap-invalid-user-id") == 0);
    CHECK (strcmp (zw_error_class_name (ZW_ERR_ZAP_INVALID_METADATA), "zap-invalid-metadata") == 0);
    CHECK (strcmp (zw_error_class_name (ZW_ERR_ZAP_BAD_REQUEST_ID), "zap-bad-request-id") == 0);
}

int
main (void)
{
    test_rfc_null_example ();
    test_rfc_plain_example ();
    test_curve_and_other_mechanisms ();
    test_request_errors ();
    test_reply_errors ();
    test_address ();
    test_pack ();
    test_class_names ();
    printf ("test-zap-message: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
