/*  zw_report.h — runs a zwire C decoder over chunked input and returns its
    report in the normal form of vectors/FORMAT.md, and checks the encoder
    round trip.  Shared by the vector runner and the fuzz harnesses, so the
    two judge the codecs by the same rules.  Test tooling: it allocates
    (jansson), the codecs it drives do not.  */

#ifndef ZW_REPORT_H
#define ZW_REPORT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "zmtp_greeting.h"
#include "zmtp_frame.h"
#include "zmtp_command.h"

typedef enum {
    ZW_REPORT_GREETING, ZW_REPORT_FRAMES, ZW_REPORT_COMMAND, ZW_REPORT_METADATA, ZW_REPORT_Z85,
    ZW_REPORT_MDP,      /* a frame list: each chunk is one frame, never re-chunked */
    ZW_REPORT_FLP,      /* the same */
    ZW_REPORT_ZAP       /* the same */
} zw_report_type;

typedef struct {
    zw_report_type type;
    zw_zmtp_family min_family;          /* greeting */
    char greeting_mechanism[21];        /* greeting: "" for no check */
    zw_zmtp_framing framing;            /* frames */
    uint64_t max_frame_size;            /* frames */
    zw_zmtp_mechanism mechanism;        /* frames, command */
    unsigned mdp_accept;                /* mdp: ZW_MDP_ACCEPT_* bits */
    int flp_direction;                  /* flp: ZW_FLP_TO_SERVER or ZW_FLP_TO_CLIENT */
    int zap_direction;                  /* zap: ZW_ZAP_REQUEST or ZW_ZAP_REPLY */
    int zap_envelope;                   /* zap: ZW_ZAP_ENVELOPE_DELIMITER or ZW_ZAP_ENVELOPE_NONE */
} zw_report_params;

typedef struct {
    const uint8_t *data;
    size_t len;
} zw_chunk;

/* A growable byte buffer (test tooling: aborts when out of memory). */
typedef struct {
    uint8_t *data;
    size_t len, cap;
} zw_bytes;

void zw_bytes_add (zw_bytes *b, const uint8_t *data, size_t len);
void zw_bytes_free (zw_bytes *b);

/*  Reads a test group's type and params (JSON object or NULL).  Returns 0
    and writes a message into err on an unknown type or a bad param.  */
int zw_report_params_parse (zw_report_params *params, const char *type, json_t *json,
                            char *err, size_t err_size);

/*  Decodes the chunks in order; returns a new JSON report, whose error
    object also carries the "clause" the decoder cited.  */
json_t *zw_report_decode (const zw_report_params *params, const zw_chunk *chunks, size_t count);

/*  Decodes input whole, encodes the result back and compares.  Returns 1
    if equal, 0 if not (why says where), -1 if the input does not decode
    completely (no round trip to check).  */
int zw_report_round_trip (const zw_report_params *params, const uint8_t *input, size_t len,
                          char *why, size_t why_size);

/* Shared by the report builders: lower-case hex; {"state", "error"} of a report. */
json_t *zw_report_hex (const uint8_t *data, size_t len);
json_t *zw_report_base (const zw_error *error, int complete);

/*  Frame-list decoders (mdp): the input's chunks are the message's frames.
    The runner neither re-chunks them nor concatenates them for the round
    trip, which zw_report_round_trip_frames does instead.  */
int zw_report_is_frame_list (const zw_report_params *params);

int zw_report_round_trip_frames (const zw_report_params *params, const zw_chunk *frames,
                                 size_t count, char *why, size_t why_size);

/* The mdp decoder (zw_report_mdp.c). */
int zw_report_mdp_params (zw_report_params *params, json_t *json, char *err, size_t err_size);
json_t *zw_report_mdp_decode (const zw_report_params *params, const zw_chunk *frames, size_t count);
int zw_report_mdp_round_trip (const zw_report_params *params, const zw_chunk *frames, size_t count,
                              char *why, size_t why_size);

/* The flp decoder (zw_report_flp.c). */
int zw_report_flp_params (zw_report_params *params, json_t *json, char *err, size_t err_size);
json_t *zw_report_flp_decode (const zw_report_params *params, const zw_chunk *frames, size_t count);
int zw_report_flp_round_trip (const zw_report_params *params, const zw_chunk *frames, size_t count,
                              char *why, size_t why_size);

/* The zap decoder (zw_report_zap.c). */
int zw_report_zap_params (zw_report_params *params, json_t *json, char *err, size_t err_size);
json_t *zw_report_zap_decode (const zw_report_params *params, const zw_chunk *frames, size_t count);
int zw_report_zap_round_trip (const zw_report_params *params, const zw_chunk *frames, size_t count,
                              char *why, size_t why_size);

#endif
