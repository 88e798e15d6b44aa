/*  fuzz_zap.c — fuzz harness (libFuzzer, AFL++) of the ZAP message codec,
    codec/zap_message.rl (27/ZAP).  The input is a frame list
    (fuzz_frame_list.h), decoded as a request and as a reply, each with
    the delimiter and without it.  Beyond sanitizers, the oracles:

      1. shape: a decoded message's fields are the frames at their places
         (the credentials the tail after the mechanism, a reply exactly
         seven frames, six without the delimiter), and each field keeps
         its rule: strings of ASCII, a non-empty domain and mechanism, an
         address zw_zap_address_valid takes, an identity of at most 255
         octets, the credentials the mechanism wants, a known status, an
         empty user id unless 200; an error has a zap class, a zap clause
         and a frame index at most the frame count (at the count only when
         the message is short: missing-frame, or missing credentials);
      2. envelope: with an empty first frame, the delimited decoder gives
         what the bare one gives for the frames after it, errors one frame
         later; with any other first frame it refuses it at 0;
      3. round trip: the encoder writes a decoded message back as the
         input's frames, frame for frame; and a request or reply the
         encoder refuses is one the decoder refuses too (the encoder runs
         the decoder);
      4. addresses: the text zw_zap_address_format writes for a 4- or
         16-octet frame is taken by zw_zap_address_valid.  */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz_frame_list.h"
#include "zap_message.h"

#define FRAMES_MAX 64

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
fail (const char *what)
{
    fprintf (stderr, "zwire fuzz oracle FAILED: zap: %s\n", what);
    abort ();
}

static int
same_frame (const zw_zap_frame *a, const zw_zap_frame *b)
{
    return a->size == b->size && (a->size == 0 || memcmp (a->data, b->data, a->size) == 0);
}

static int
frame_is (const zw_zap_frame *frame, const char *word)
{
    zw_zap_frame w = zw_zap_text (word);
    return same_frame (frame, &w);
}

static int
filled_string (const zw_zap_frame *f)
{
    return f->size > 0 && zw_zap_string_valid (f->data, f->size);
}

/* One decode: its verdict, its error, and what it read. */
typedef struct {
    int ok;
    zw_error error;
    zw_zap_request request;
    zw_zap_reply reply;
} outcome;

static outcome
decode (const zw_zap_frame *frames, size_t count, zw_zap_direction direction, zw_zap_envelope envelope)
{
    outcome o = { 0 };
    o.ok = direction == ZW_ZAP_REQUEST
           ? zw_zap_request_decode (frames, count, envelope, &o.request, &o.error)
           : zw_zap_reply_decode (frames, count, envelope, &o.reply, &o.error);
    return o;
}

static void
check_error (size_t count, const zw_error *e)
{
    if (e->code < ZW_ERR_ZAP_INVALID_DELIMITER || e->code > ZW_ERR_ZAP_INVALID_METADATA)
        fail ("an error class outside the zap classes");
    if (!e->clause || strncmp (e->clause, "zap.", 4) != 0)
        fail ("an error without a ZAP clause");
    if (e->offset > count
        || (e->offset == count && e->code != ZW_ERR_ZAP_MISSING_FRAME
            && e->code != ZW_ERR_ZAP_INVALID_CREDENTIALS))
        fail ("an error offset past the frames");
}

/* zap.null.no-credentials, zap.plain.credentials, zap.curve.credentials */
static int
credentials_fit (const zw_zap_request *r)
{
    if (frame_is (&r->mechanism, "NULL"))
        return r->credential_count == 0;
    if (frame_is (&r->mechanism, "PLAIN"))
        return r->credential_count == 2;
    if (frame_is (&r->mechanism, "CURVE"))
        return r->credential_count == 1 && r->credentials[0].size == ZW_ZAP_CURVE_KEY_SIZE;
    return 1;
}

static void
check_request (const zw_zap_frame *frames, size_t count, size_t d, const zw_zap_request *r)
{
    if (count < d + 6 || (d && frames[0].size != 0) || !frame_is (&frames[d], "1.0"))
        fail ("a request without its delimiter and version");
    if (!same_frame (&r->request_id, &frames[d + 1]) || !same_frame (&r->domain, &frames[d + 2])
        || !same_frame (&r->address, &frames[d + 3]) || !same_frame (&r->identity, &frames[d + 4])
        || !same_frame (&r->mechanism, &frames[d + 5]))
        fail ("a request's fields are not the frames at their places");
    if (r->credential_count != count - d - 6
        || (r->credential_count > 0 && r->credentials != &frames[d + 6]))
        fail ("a request's credentials are not the frames after the mechanism");
    if (!filled_string (&r->domain) || !filled_string (&r->mechanism)
        || !zw_zap_address_valid (r->address.data, r->address.size)
        || r->identity.size > ZW_ZAP_IDENTITY_MAX || !credentials_fit (r))
        fail ("a request taken that breaks a rule of its fields");
    zw_zap_frame out[FRAMES_MAX];
    zw_error e = { 0 };
    zw_zap_envelope envelope = d ? ZW_ZAP_ENVELOPE_DELIMITER : ZW_ZAP_ENVELOPE_NONE;
    if (zw_zap_request_pack (r, envelope, out, FRAMES_MAX, &e) != count)
        fail ("the encoder refuses a request the decoder took");
    for (size_t i = 0; i < count; i++)
        if (!same_frame (&out[i], &frames[i]))
            fail ("the encoded request differs from the input");
}

static void
check_reply (const zw_zap_frame *frames, size_t count, size_t d, const zw_zap_reply *r)
{
    if (count != d + 6 || (d && frames[0].size != 0) || !frame_is (&frames[d], "1.0"))
        fail ("a reply that is not its seven frames");
    const char *status = zw_zap_status_text (r->status);
    if (!status || !frame_is (&frames[d + 2], status))
        fail ("a reply's status is not its status frame");
    if (!same_frame (&r->request_id, &frames[d + 1]) || !same_frame (&r->status_text, &frames[d + 3])
        || !same_frame (&r->user_id, &frames[d + 4]) || !same_frame (&r->metadata, &frames[d + 5]))
        fail ("a reply's fields are not the frames at their places");
    if (!zw_zap_string_valid (r->status_text.data, r->status_text.size)
        || !zw_zap_string_valid (r->user_id.data, r->user_id.size)
        || (r->status != ZW_ZAP_STATUS_OK && r->user_id.size != 0))
        fail ("a reply taken that breaks a rule of its fields");
    zw_zap_frame out[ZW_ZAP_REPLY_FRAMES];
    zw_error e = { 0 };
    zw_zap_envelope envelope = d ? ZW_ZAP_ENVELOPE_DELIMITER : ZW_ZAP_ENVELOPE_NONE;
    if (zw_zap_reply_pack (r, envelope, out, &e) != count)
        fail ("the encoder refuses a reply the decoder took");
    for (size_t i = 0; i < count; i++)
        if (!same_frame (&out[i], &frames[i]))
            fail ("the encoded reply differs from the input");
}

static void
check_outcome (const zw_zap_frame *frames, size_t count, zw_zap_direction direction,
               zw_zap_envelope envelope, const outcome *o)
{
    size_t d = envelope == ZW_ZAP_ENVELOPE_DELIMITER;
    if (!o->ok)
        check_error (count, &o->error);
    else if (direction == ZW_ZAP_REQUEST)
        check_request (frames, count, d, &o->request);
    else
        check_reply (frames, count, d, &o->reply);
}

/* Oracle 2: the delimited decoder is the bare one behind an empty frame. */
static void
check_envelopes (const zw_zap_frame *frames, size_t count, const outcome *delimited, const outcome *bare)
{
    if (count == 0)
        return;
    if (frames[0].size != 0) {
        if (delimited->ok || delimited->error.code != ZW_ERR_ZAP_INVALID_DELIMITER
            || delimited->error.offset != 0)
            fail ("a non-empty first frame taken as the delimiter");
        return;
    }
    if (delimited->ok != bare->ok)
        fail ("with and without the delimiter, the verdicts differ");
    if (!delimited->ok && (delimited->error.code != bare->error.code
                           || delimited->error.offset != bare->error.offset + 1
                           || strcmp (delimited->error.clause, bare->error.clause) != 0))
        fail ("with and without the delimiter, the errors differ");
}

/* Oracle 3, the other way: an encoder refusal is the decoder's. */
static void
check_pack_refusal (const zw_zap_frame *frames, size_t count)
{
    if (count < 6)
        return;
    zw_zap_request req = {
        .request_id = frames[0], .domain = frames[1], .address = frames[2], .identity = frames[3],
        .mechanism = frames[4], .credentials = frames + 5, .credential_count = count - 5,
    };
    zw_zap_frame out[FRAMES_MAX + 1];
    zw_error e = { 0 };
    size_t n = zw_zap_request_pack (&req, ZW_ZAP_ENVELOPE_NONE, out, FRAMES_MAX + 1, &e);
    outcome direct = decode (out, count + 1, ZW_ZAP_REQUEST, ZW_ZAP_ENVELOPE_NONE);
    if ((n != 0) != direct.ok || (!n && (e.code != direct.error.code || e.offset != direct.error.offset)))
        fail ("the request encoder and decoder disagree");
}

/* Oracle 4. */
static void
check_address_format (const zw_zap_frame *frames, size_t count)
{
    for (size_t i = 0; i < count && i < 4; i++)
        if (frames[i].size == 4 || frames[i].size == 16) {
            char text[ZW_ZAP_ADDRESS_TEXT_MAX];
            size_t n = zw_zap_address_format (text, frames[i].data, frames[i].size);
            if (n == 0 || !zw_zap_address_valid ((const uint8_t *) text, n))
                fail ("a formatted address is not valid");
        }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    zw_zap_frame frames[FRAMES_MAX];
    size_t count = zw_fuzz_frame_list (data, size, frames, FRAMES_MAX, NULL);
    static const zw_zap_direction directions[] = { ZW_ZAP_REQUEST, ZW_ZAP_REPLY };
    for (int i = 0; i < 2; i++) {
        outcome delimited = decode (frames, count, directions[i], ZW_ZAP_ENVELOPE_DELIMITER);
        outcome bare = decode (frames, count, directions[i], ZW_ZAP_ENVELOPE_NONE);
        check_outcome (frames, count, directions[i], ZW_ZAP_ENVELOPE_DELIMITER, &delimited);
        check_outcome (frames, count, directions[i], ZW_ZAP_ENVELOPE_NONE, &bare);
        outcome after = count ? decode (frames + 1, count - 1, directions[i], ZW_ZAP_ENVELOPE_NONE) : bare;
        check_envelopes (frames, count, &delimited, &after);
    }
    check_pack_refusal (frames, count);
    check_address_format (frames, count);
    return 0;
}
