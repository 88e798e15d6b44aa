/*  zap_message_pack.c — the ZAP encoders (zap_message.h): a request or a
    reply laid out as frames that point into the message's views and to
    static storage, then run through the decoder, so that an encoder never
    writes what the decoder refuses (and says why with the decoder's
    error: its class, the frame, the clause).  */

#include <string.h>
#include "zap_message.h"

static const char version[] = "1.0";

static zw_zap_frame
view (const char *text, size_t size)
{
    return (zw_zap_frame) { (const uint8_t *) text, size };
}

zw_zap_frame
zw_zap_text (const char *text)
{
    return text ? view (text, strlen (text)) : view (NULL, 0);
}

/* The frames before the fields: the delimiter (with the envelope), the version. */
static size_t
pack_head (zw_zap_envelope envelope, zw_zap_frame *frames)
{
    size_t n = 0;
    if (envelope != ZW_ZAP_ENVELOPE_NONE)
        frames[n++] = view (NULL, 0);       /* zap.request.delimiter, zap.reply.delimiter */
    frames[n++] = view (version, 3);        /* zap.request.version, zap.reply.version */
    return n;
}

static zw_error *
error_or (zw_error *error, zw_error *scratch)
{
    return error ? error : scratch;
}

size_t
zw_zap_request_pack (const zw_zap_request *req, zw_zap_envelope envelope,
                     zw_zap_frame *frames, size_t max, zw_error *error)
{
    zw_error scratch = { 0 };
    size_t need = ZW_ZAP_REQUEST_HEAD - (envelope == ZW_ZAP_ENVELOPE_NONE) + req->credential_count;
    if (max < need) {
        zw_error_set (error_or (error, &scratch), ZW_ERR_MISUSE, need, NULL,
                      "too few frames for the request");
        return 0;
    }
    size_t n = pack_head (envelope, frames);
    frames[n++] = req->request_id;
    frames[n++] = req->domain;
    frames[n++] = req->address;
    frames[n++] = req->identity;
    frames[n++] = req->mechanism;
    for (size_t i = 0; i < req->credential_count; i++)
        frames[n++] = req->credentials[i];
    zw_zap_request check;
    return zw_zap_request_decode (frames, n, envelope, &check, error_or (error, &scratch)) ? n : 0;
}

size_t
zw_zap_reply_pack (const zw_zap_reply *reply, zw_zap_envelope envelope,
                   zw_zap_frame frames[ZW_ZAP_REPLY_FRAMES], zw_error *error)
{
    zw_error scratch = { 0 };
    size_t n = pack_head (envelope, frames);
    frames[n++] = reply->request_id;
    /* a status with no code is written empty: the decoder refuses it (zap.reply.status-code) */
    frames[n++] = zw_zap_text (zw_zap_status_text (reply->status));
    frames[n++] = reply->status_text;
    frames[n++] = reply->user_id;
    frames[n++] = reply->metadata;
    zw_zap_reply check;
    return zw_zap_reply_decode (frames, n, envelope, &check, error_or (error, &scratch)) ? n : 0;
}
