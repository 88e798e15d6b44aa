/*  zw_report_zap.c — the zap decoder's report in the normal form of
    vectors/FORMAT.md ("zap"), and its round trip: each chunk of a vector
    is one frame of a ZAP request or reply (27/ZAP), with or without the
    delimiter as the group's envelope says.  */

#include <stdlib.h>
#include <string.h>
#include "zw_report.h"
#include "zap_message.h"

int
zw_report_zap_params (zw_report_params *p, json_t *json, char *err, size_t err_size)
{
    const char *direction = json_string_value (json_object_get (json, "direction"));
    const char *envelope = json_string_value (json_object_get (json, "envelope"));
    if (!direction || strcmp (direction, "request") == 0)
        p->zap_direction = ZW_ZAP_REQUEST;
    else if (strcmp (direction, "reply") == 0)
        p->zap_direction = ZW_ZAP_REPLY;
    else {
        snprintf (err, err_size, "zap: direction must be request or reply");
        return 0;
    }
    if (!envelope || strcmp (envelope, "delimiter") == 0)
        p->zap_envelope = ZW_ZAP_ENVELOPE_DELIMITER;
    else if (strcmp (envelope, "none") == 0)
        p->zap_envelope = ZW_ZAP_ENVELOPE_NONE;
    else {
        snprintf (err, err_size, "zap: envelope must be delimiter or none");
        return 0;
    }
    return 1;
}

static zw_zap_frame *
frames_of (const zw_chunk *chunks, size_t count)
{
    zw_zap_frame *frames = calloc (count + 1, sizeof *frames);
    if (!frames)
        abort ();
    for (size_t i = 0; i < count; i++)
        frames[i] = (zw_zap_frame) { chunks[i].data, chunks[i].len };
    return frames;
}

static json_t *
hex (zw_zap_frame frame)
{
    return zw_report_hex (frame.data, frame.size);
}

static json_t *
request_json (const zw_zap_request *r)
{
    json_t *credentials = json_array ();
    for (size_t i = 0; i < r->credential_count; i++)
        json_array_append_new (credentials, hex (r->credentials[i]));
    return json_pack ("{s:o, s:o, s:o, s:o, s:o, s:o}", "request_id", hex (r->request_id),
                      "domain", hex (r->domain), "address", hex (r->address),
                      "identity", hex (r->identity), "mechanism", hex (r->mechanism),
                      "credentials", credentials);
}

static json_t *
reply_json (const zw_zap_reply *r)
{
    return json_pack ("{s:o, s:o, s:o, s:o, s:o}", "request_id", hex (r->request_id),
                      "status_code", hex (zw_zap_text (zw_zap_status_text (r->status))),
                      "status_text", hex (r->status_text), "user_id", hex (r->user_id),
                      "metadata", hex (r->metadata));
}

json_t *
zw_report_zap_decode (const zw_report_params *p, const zw_chunk *chunks, size_t count)
{
    zw_zap_frame *frames = frames_of (chunks, count);
    zw_zap_request request;
    zw_zap_reply reply;
    zw_error error = { 0 };
    int ok;
    json_t *message = NULL;
    if (p->zap_direction == ZW_ZAP_REPLY) {
        ok = zw_zap_reply_decode (frames, count, p->zap_envelope, &reply, &error);
        if (ok)
            message = reply_json (&reply);
    } else {
        ok = zw_zap_request_decode (frames, count, p->zap_envelope, &request, &error);
        if (ok)
            message = request_json (&request);
    }
    json_t *report = zw_report_base (&error, ok);
    json_object_set_new (report, "message", message ? message : json_null ());
    free (frames);
    return report;
}

int
zw_report_zap_round_trip (const zw_report_params *p, const zw_chunk *chunks, size_t count,
                          char *why, size_t why_size)
{
    zw_zap_frame *frames = frames_of (chunks, count);
    zw_zap_frame *out = calloc (count + 1, sizeof *out);
    zw_zap_request request;
    zw_zap_reply reply;
    zw_error error = { 0 };
    int result = -1;
    size_t n = 0;
    if (!out)
        abort ();
    /* encode what was decoded, from the message's fields alone */
    if (p->zap_direction == ZW_ZAP_REPLY) {
        if (zw_zap_reply_decode (frames, count, p->zap_envelope, &reply, &error)) {
            zw_zap_frame packed[ZW_ZAP_REPLY_FRAMES];
            n = zw_zap_reply_pack (&reply, p->zap_envelope, packed, &error);
            memcpy (out, packed, (n < count ? n : count) * sizeof *out);
            result = 1;
        }
    } else if (zw_zap_request_decode (frames, count, p->zap_envelope, &request, &error)) {
        n = zw_zap_request_pack (&request, p->zap_envelope, out, count, &error);
        result = 1;
    }
    if (result == 1) {
        result = n == count;
        for (size_t i = 0; result && i < n; i++)
            result = out[i].size == chunks[i].len
                     && (out[i].size == 0 || memcmp (out[i].data, chunks[i].data, out[i].size) == 0);
        if (!result)
            snprintf (why, why_size, "re-encoding gives %zu frames (%s), not the input's %zu",
                      n, n ? "one differs" : zw_error_class_name (error.code), count);
    }
    free (out);
    free (frames);
    return result;
}
