/*  zw_report_mdp.c — the mdp decoder's report in the normal form of
    vectors/FORMAT.md ("mdp"), and its round trip: each chunk of a vector
    is one frame of a Majordomo message.  */

#include <stdlib.h>
#include <string.h>
#include "zw_report.h"
#include "mdp_message.h"

static int
accept_bits (const char *value, unsigned any, unsigned first, unsigned second,
             const char *first_name, const char *second_name, unsigned *bits)
{
    if (!value || strcmp (value, "any") == 0)
        *bits |= any;
    else if (strcmp (value, first_name) == 0)
        *bits |= first;
    else if (strcmp (value, second_name) == 0)
        *bits |= second;
    else
        return 0;
    return 1;
}

int
zw_report_mdp_params (zw_report_params *p, json_t *json, char *err, size_t err_size)
{
    const char *version = json_string_value (json_object_get (json, "version"));
    const char *subprotocol = json_string_value (json_object_get (json, "subprotocol"));
    p->mdp_accept = 0;
    if (!accept_bits (version, ZW_MDP_ACCEPT_V01 | ZW_MDP_ACCEPT_V02, ZW_MDP_ACCEPT_V01,
                      ZW_MDP_ACCEPT_V02, "0.1", "0.2", &p->mdp_accept)
        || !accept_bits (subprotocol, ZW_MDP_ACCEPT_CLIENT | ZW_MDP_ACCEPT_WORKER,
                         ZW_MDP_ACCEPT_CLIENT, ZW_MDP_ACCEPT_WORKER, "client", "worker",
                         &p->mdp_accept)) {
        snprintf (err, err_size, "mdp: version must be 0.1, 0.2 or any, subprotocol client, worker or any");
        return 0;
    }
    return 1;
}

static zw_mdp_frame *
frames_of (const zw_chunk *chunks, size_t count)
{
    zw_mdp_frame *frames = calloc (count + 1, sizeof *frames);
    if (!frames)
        abort ();
    for (size_t i = 0; i < count; i++)
        frames[i] = (zw_mdp_frame) { chunks[i].data, chunks[i].len };
    return frames;
}

static json_t *
message_json (const zw_mdp_message *m, const zw_mdp_frame *frames)
{
    const char *command = zw_mdp_command_name (m->command);
    json_t *o = json_pack ("{s:s, s:s, s:o}", "version", zw_mdp_version_name (m->version),
                           "subprotocol", m->subprotocol == ZW_MDP_CLIENT ? "client" : "worker",
                           "command", command ? json_string (command) : json_null ());
    if (m->subprotocol == ZW_MDP_CLIENT || m->command == ZW_MDP_READY)
        json_object_set_new (o, "service", zw_report_hex (m->service.data, m->service.size));
    if (!zw_mdp_has_body (m))
        return o;
    if (m->subprotocol == ZW_MDP_WORKER)
        json_object_set_new (o, "address", zw_report_hex (m->address.data, m->address.size));
    json_t *body = json_array ();
    for (size_t i = 0; i < m->body_count; i++)
        json_array_append_new (body, zw_report_hex (frames[m->body + i].data, frames[m->body + i].size));
    json_object_set_new (o, "body", body);
    return o;
}

json_t *
zw_report_mdp_decode (const zw_report_params *p, const zw_chunk *chunks, size_t count)
{
    zw_mdp_frame *frames = frames_of (chunks, count);
    zw_mdp_message m;
    zw_error error = { 0 };
    int ok = zw_mdp_decode (frames, count, p->mdp_accept, &m, &error);
    json_t *report = zw_report_base (&error, ok);
    json_object_set_new (report, "message", ok ? message_json (&m, frames) : json_null ());
    free (frames);
    return report;
}

static int
same_frame (const zw_mdp_frame *a, const zw_chunk *b)
{
    return a->size == b->len && (a->size == 0 || memcmp (a->data, b->data, a->size) == 0);
}

int
zw_report_mdp_round_trip (const zw_report_params *p, const zw_chunk *chunks, size_t count,
                          char *why, size_t why_size)
{
    zw_mdp_frame *frames = frames_of (chunks, count);
    zw_mdp_frame head[ZW_MDP_HEAD_MAX];
    zw_mdp_message m;
    zw_error error = { 0 };
    int result = -1;
    if (zw_mdp_decode (frames, count, p->mdp_accept, &m, &error)) {
        size_t n = zw_mdp_encode_head (&m, head);
        result = n > 0 && n + m.body_count == count;
        for (size_t i = 0; result && i < n; i++)
            result = same_frame (&head[i], &chunks[i]);
        if (!result)
            snprintf (why, why_size, "re-encoding the head gives %zu frames, not the input's", n);
    }
    free (frames);
    return result;
}
