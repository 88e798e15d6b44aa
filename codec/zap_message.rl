/*  zap_message.rl — ZAP message decoder (zap_message.h), 27/ZAP.  The
    layouts are zap_message_grammar.rl; here are the frame classifier, the
    actions, the two checks the grammar leaves to C (the address's
    canonical text, zap.request.address; the metadata's property list,
    zap.reply.metadata), and the error each slot stands for.  The encoders
    (zap_message_pack.c) build frames and run them through this decoder.

    One token per frame, no state between calls: a message is whole.  The
    machine fails in two ways: it refuses a token (its state is the error
    state), or an action that judges its frame breaks out after recording
    the error (d->failed).  */

#include <string.h>
#include "zap_message.h"
#include "zap_frame_class.h"
#include "zmtp_metadata.h"

/* Which frame the grammar expects next: a refused frame is charged to it. */
typedef enum {
    SLOT_DELIMITER, SLOT_VERSION, SLOT_REQUEST_ID,
    SLOT_DOMAIN, SLOT_ADDRESS, SLOT_IDENTITY, SLOT_MECHANISM, SLOT_CREDENTIALS,
    SLOT_STATUS, SLOT_TEXT, SLOT_USER_ID, SLOT_METADATA, SLOT_END
} slot;

typedef struct {
    int cs;
    slot next;
    zw_zap_direction direction;
    int token;                          /* the class of the frame being stepped */
    const zw_zap_frame *frame;
    size_t index;                       /* its index in the message */
    const char *credentials_clause;     /* the mechanism's credentials rule */
    zw_zap_frame *request_id;           /* where the request id goes */
    zw_zap_request *req;                /* a request's fields, or NULL */
    zw_zap_reply *rep;                  /* a reply's fields, or NULL */
    int failed;
    zw_error *error;
} decoder;

static int address (decoder *d);
static int metadata (decoder *d);
static unsigned status_of (int token);

%%{
    machine zap_message;
    variable cs d->cs;

    action request_id { *d->request_id = *d->frame; }
    action domain { d->req->domain = *d->frame; }
    action address { if (!address (d)) fbreak; }
    action identity { d->req->identity = *d->frame; }
    action mechanism { d->req->mechanism = *d->frame; }
    action null_mechanism { d->credentials_clause = "zap.null.no-credentials"; }
    action plain_mechanism { d->credentials_clause = "zap.plain.credentials"; }
    action curve_mechanism { d->credentials_clause = "zap.curve.credentials"; }
    action credential {
        if (d->req->credential_count++ == 0)
            d->req->credentials = d->frame;
    }
    action status { d->rep->status = status_of (d->token); }
    action status_text { d->rep->status_text = *d->frame; }
    action user_id { d->rep->user_id = *d->frame; }
    action metadata { if (!metadata (d)) fbreak; }

    action slot_version { d->next = SLOT_VERSION; }
    action slot_request_id { d->next = SLOT_REQUEST_ID; }
    action slot_domain { d->next = SLOT_DOMAIN; }
    action slot_address { d->next = SLOT_ADDRESS; }
    action slot_identity { d->next = SLOT_IDENTITY; }
    action slot_mechanism { d->next = SLOT_MECHANISM; }
    action slot_credentials { d->next = SLOT_CREDENTIALS; }
    action slot_status { d->next = SLOT_STATUS; }
    action slot_text { d->next = SLOT_TEXT; }
    action slot_user_id { d->next = SLOT_USER_ID; }
    action slot_metadata { d->next = SLOT_METADATA; }
    action slot_end { d->next = SLOT_END; }

    include "zap_message_grammar.rl";
}%%

%% write data;

/* The words of the layouts, each a class of its own (zap_frame_class.h). */
static const struct { const char *text; int token; } words[] = {
    { "1.0", ZW_ZAPF_VERSION },
    { "200", ZW_ZAPF_S200 }, { "300", ZW_ZAPF_S300 }, { "400", ZW_ZAPF_S400 }, { "500", ZW_ZAPF_S500 },
    { "NULL", ZW_ZAPF_NULL }, { "PLAIN", ZW_ZAPF_PLAIN }, { "CURVE", ZW_ZAPF_CURVE },
};

/* zap.strings.ascii */
int
zw_zap_string_valid (const uint8_t *data, size_t size)
{
    if (size > ZW_ZAP_STRING_MAX)
        return 0;
    for (size_t i = 0; i < size; i++)
        if (data[i] > 0x7F)
            return 0;
    return 1;
}

/* The grammar's alphabet: one class per frame, the first that fits. */
static int
frame_class (const zw_zap_frame *frame)
{
    if (frame->size == 0)
        return ZW_ZAPF_EMPTY;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (frame->size == strlen (words[i].text)
            && memcmp (frame->data, words[i].text, frame->size) == 0)
            return words[i].token;
    if (frame->size > ZW_ZAP_STRING_MAX)
        return ZW_ZAPF_LONG;
    int ascii = zw_zap_string_valid (frame->data, frame->size);
    if (frame->size == ZW_ZAP_CURVE_KEY_SIZE)
        return ascii ? ZW_ZAPF_TEXT32 : ZW_ZAPF_BINARY32;
    return ascii ? ZW_ZAPF_TEXT : ZW_ZAPF_BINARY;
}

static int
is_string (int token)
{
    return token != ZW_ZAPF_BINARY && token != ZW_ZAPF_BINARY32 && token != ZW_ZAPF_LONG;
}

/* The status a status-code token stands for (zap.reply.status-code). */
static unsigned
status_of (int token)
{
    switch (token) {
    case ZW_ZAPF_S200: return ZW_ZAP_STATUS_OK;
    case ZW_ZAPF_S300: return ZW_ZAP_STATUS_TEMPORARY;
    case ZW_ZAPF_S400: return ZW_ZAP_STATUS_DENIED;
    default: return ZW_ZAP_STATUS_INTERNAL;
    }
}

const char *
zw_zap_status_text (unsigned status)
{
    switch (status) {
    case ZW_ZAP_STATUS_OK: return "200";
    case ZW_ZAP_STATUS_TEMPORARY: return "300";
    case ZW_ZAP_STATUS_DENIED: return "400";
    case ZW_ZAP_STATUS_INTERNAL: return "500";
    default: return NULL;
    }
}

/*  What a refused frame in each slot is (the request id takes any frame);
    a short message is missing-frame.  */
static const struct { zw_errcode code; const char *reason; } slot_errors[] = {
    [SLOT_DELIMITER] = { ZW_ERR_ZAP_INVALID_DELIMITER, "the first frame is not the empty delimiter" },
    [SLOT_VERSION] = { ZW_ERR_ZAP_BAD_VERSION, "the version frame is not 1.0" },
    [SLOT_DOMAIN] = { ZW_ERR_ZAP_INVALID_DOMAIN, "the domain is empty or not an ASCII string" },
    [SLOT_ADDRESS] = { ZW_ERR_ZAP_INVALID_ADDRESS, "the address is not a dotted-quad or canonical IPv6 text" },
    [SLOT_IDENTITY] = { ZW_ERR_ZAP_INVALID_IDENTITY, "the identity is longer than 255 octets" },
    [SLOT_MECHANISM] = { ZW_ERR_ZAP_INVALID_MECHANISM, "the mechanism is empty or not an ASCII string" },
    [SLOT_CREDENTIALS] = { ZW_ERR_ZAP_INVALID_CREDENTIALS, "the credentials do not fit the mechanism" },
    [SLOT_STATUS] = { ZW_ERR_ZAP_INVALID_STATUS_CODE, "the status code is not 200, 300, 400 or 500" },
    [SLOT_TEXT] = { ZW_ERR_ZAP_INVALID_TEXT, "the status text is not an ASCII string" },
    [SLOT_USER_ID] = { ZW_ERR_ZAP_INVALID_USER_ID, "the user id is not a string, or not empty without 200" },
    [SLOT_METADATA] = { ZW_ERR_ZAP_INVALID_METADATA, "the metadata is not a ZMTP property list" },
    [SLOT_END] = { ZW_ERR_ZAP_EXTRA_FRAME, "a frame after the metadata" },
};

/*  The clause a failure in the current slot enforces.  Where one slot has
    two rules (the domain and the mechanism: not empty, and a string; the
    user id: a string, and empty without 200), the refused frame's class
    says which it broke.  */
static const char *
slot_clause (const decoder *d)
{
    int reply = d->direction == ZW_ZAP_REPLY;
    switch (d->next) {
    case SLOT_DELIMITER: return reply ? "zap.reply.delimiter" : "zap.request.delimiter";
    case SLOT_VERSION: return reply ? "zap.reply.version" : "zap.request.version";
    case SLOT_DOMAIN: return d->token == ZW_ZAPF_EMPTY ? "zap.request.domain" : "zap.strings.ascii";
    case SLOT_ADDRESS: return "zap.request.address";
    case SLOT_IDENTITY: return "zap.request.identity";
    case SLOT_MECHANISM: return d->token == ZW_ZAPF_EMPTY ? "zap.request.mechanism" : "zap.strings.ascii";
    case SLOT_CREDENTIALS: return d->credentials_clause;
    case SLOT_STATUS: return "zap.reply.status-code";
    case SLOT_TEXT: return "zap.strings.ascii";
    case SLOT_USER_ID: return is_string (d->token) ? "zap.reply.user-id-empty" : "zap.strings.ascii";
    case SLOT_METADATA: return "zap.reply.metadata";
    default: return "zap.reply.frames";
    }
}

/*  A frame the grammar (or an action) refused, or (short_message) a
    message that ended early.  The credentials are judged by their count
    too: a PLAIN or CURVE request short of them is invalid-credentials.  */
static void
fail (decoder *d, int short_message)
{
    d->failed = 1;
    if (short_message && d->next != SLOT_CREDENTIALS)
        zw_error_set (d->error, ZW_ERR_ZAP_MISSING_FRAME, d->index,
                      d->direction == ZW_ZAP_REPLY ? "zap.reply.frames" : "zap.request.frames",
                      "the message ends before its layout does");
    else
        zw_error_set (d->error, slot_errors[d->next].code, d->index, slot_clause (d),
                      slot_errors[d->next].reason);
}

/* zap.request.address: the grammar took a non-empty string; is it an address? */
static int
address (decoder *d)
{
    if (!zw_zap_address_valid (d->frame->data, d->frame->size)) {
        fail (d, 0);
        return 0;
    }
    d->req->address = *d->frame;
    return 1;
}

/*  zap.reply.metadata: the frame is a ZMTP 3.0 property list, as the
    zmtp_metadata decoder reads READY's (its total is the frame's size).  */
static int
metadata (decoder *d)
{
    zw_zmtp_metadata_ctx ctx;
    zw_zmtp_metadata_init (&ctx, 0, d->frame->size, NULL, NULL);
    if (d->frame->size > 0)
        zw_zmtp_metadata_push (&ctx, d->frame->data, d->frame->size);
    if (!zw_zmtp_metadata_done (&ctx)) {
        fail (d, 0);
        return 0;
    }
    d->rep->metadata = *d->frame;
    return 1;
}

/* Runs the machine from entry over count frames; 1 if the message is whole and valid. */
static int
run (decoder *d, int entry, const zw_zap_frame *frames, size_t count)
{
    %% write init;
    d->cs = entry;
    for (size_t i = 0; i < count; i++) {
        int token = frame_class (&frames[i]);
        const int *p = &token, *pe = p + 1;
        d->token = token;
        d->frame = &frames[i];
        d->index = i;
        %% write exec;
        if (d->failed)
            return 0;
        if (d->cs == zap_message_error) {
            fail (d, 0);
            return 0;
        }
    }
    if (d->cs < zap_message_first_final) {
        d->index = count;
        d->token = 0;
        fail (d, 1);
        return 0;
    }
    return 1;
}

int
zw_zap_request_decode (const zw_zap_frame *frames, size_t count, zw_zap_envelope envelope,
                       zw_zap_request *req, zw_error *error)
{
    memset (req, 0, sizeof *req);
    int delimited = envelope != ZW_ZAP_ENVELOPE_NONE;
    decoder d = { .next = delimited ? SLOT_DELIMITER : SLOT_VERSION, .direction = ZW_ZAP_REQUEST,
                  .request_id = &req->request_id, .req = req, .error = error };
    return run (&d, delimited ? zap_message_en_request : zap_message_en_request_bare, frames, count);
}

int
zw_zap_reply_decode (const zw_zap_frame *frames, size_t count, zw_zap_envelope envelope,
                     zw_zap_reply *reply, zw_error *error)
{
    memset (reply, 0, sizeof *reply);
    int delimited = envelope != ZW_ZAP_ENVELOPE_NONE;
    decoder d = { .next = delimited ? SLOT_DELIMITER : SLOT_VERSION, .direction = ZW_ZAP_REPLY,
                  .request_id = &reply->request_id, .rep = reply, .error = error };
    return run (&d, delimited ? zap_message_en_reply : zap_message_en_reply_bare, frames, count);
}
