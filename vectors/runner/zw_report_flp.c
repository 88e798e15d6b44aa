/*  zw_report_flp.c — the flp decoder's report in the normal form of
    vectors/FORMAT.md ("flp"), and its round trip: each chunk of a vector
    is one frame of a Freelance message.  */

#include <stdlib.h>
#include <string.h>
#include "zw_report.h"
#include "flp_message.h"

int
zw_report_flp_params (zw_report_params *p, json_t *json, char *err, size_t err_size)
{
    const char *direction = json_string_value (json_object_get (json, "direction"));
    if (!direction || strcmp (direction, "to-server") == 0)
        p->flp_direction = ZW_FLP_TO_SERVER;
    else if (strcmp (direction, "to-client") == 0)
        p->flp_direction = ZW_FLP_TO_CLIENT;
    else {
        snprintf (err, err_size, "flp: direction must be to-server or to-client");
        return 0;
    }
    return 1;
}

static zw_flp_frame *
frames_of (const zw_chunk *chunks, size_t count)
{
    zw_flp_frame *frames = calloc (count + 1, sizeof *frames);
    if (!frames)
        abort ();
    for (size_t i = 0; i < count; i++)
        frames[i] = (zw_flp_frame) { chunks[i].data, chunks[i].len };
    return frames;
}

static json_t *
message_json (const zw_flp_message *m, const zw_flp_frame *frames)
{
    json_t *o = json_pack ("{s:s}", "command", zw_flp_command_name (m->command));
    if (m->command != ZW_FLP_REQUEST && m->command != ZW_FLP_REPLY)
        return o;
    json_t *body = json_array ();
    for (size_t i = 0; i < m->body_count; i++)
        json_array_append_new (body, zw_report_hex (frames[1 + i].data, frames[1 + i].size));
    json_object_set_new (o, "ccf", zw_report_hex (m->ccf.data, m->ccf.size));
    json_object_set_new (o, "body", body);
    return o;
}

json_t *
zw_report_flp_decode (const zw_report_params *p, const zw_chunk *chunks, size_t count)
{
    zw_flp_frame *frames = frames_of (chunks, count);
    zw_flp_message m;
    zw_error error = { 0 };
    int ok = zw_flp_decode (frames, count, p->flp_direction, &m, &error);
    json_t *report = zw_report_base (&error, ok);
    json_object_set_new (report, "message", ok ? message_json (&m, frames) : json_null ());
    free (frames);
    return report;
}

int
zw_report_flp_round_trip (const zw_report_params *p, const zw_chunk *chunks, size_t count,
                          char *why, size_t why_size)
{
    zw_flp_frame *frames = frames_of (chunks, count), head;
    zw_flp_message m;
    zw_error error = { 0 };
    int result = -1;
    if (zw_flp_decode (frames, count, p->flp_direction, &m, &error)) {
        /* the body frames are the input's own: the head is what the encoder writes */
        result = zw_flp_encode_head (&m, &head) && 1 + m.body_count == count
                 && head.size == chunks[0].len
                 && (head.size == 0 || memcmp (head.data, chunks[0].data, head.size) == 0);
        if (!result)
            snprintf (why, why_size, "re-encoding the first frame differs from the input's");
    }
    free (frames);
    return result;
}
