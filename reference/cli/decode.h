/*  decode.h — what `zwire decode` reports, between the file that drives
    the codecs (decode.c) and the file that prints (decode_print.c).

    Every report is an event printed at once, in stream order, either as
    text lines or as one JSON object per line.  Octet strings are shown cut
    to the first max_body octets: a zw_shown carries the octets shown and
    the full size, and the printer says when they differ.  */

#ifndef ZW_CLI_DECODE_H
#define ZW_CLI_DECODE_H

#include <stdio.h>
#include "zmtp_greeting.h"
#include "zmtp_frame.h"
#include "zmtp_command.h"

typedef struct {
    FILE *out;
    int json;
    uint64_t max_body;      /* octets shown of any octet string */
} zw_decode_printer;

/* An octet string: its first 'shown' octets, and its whole size. */
typedef struct {
    const uint8_t *data;
    size_t shown;
    uint64_t size;
} zw_shown;

/* The whole greeting, and how the rest of the stream will be read. */
typedef struct {
    const zw_zmtp_greeting *fields;
    const uint8_t *raw;         /* its first min(64, size) octets */
    uint64_t detected_at;
    const char *layouts;        /* the mechanism whose command layouts are used */
    int layouts_guessed;        /* the greeting's mechanism is unknown to zwire */
} zw_decode_greeting;

/* A frame: at its end, or where the stream stopped inside it. */
typedef struct {
    zw_zmtp_frame_header header;
    unsigned header_size;
    uint64_t received;          /* body octets received */
    zw_shown body;              /* body.size is 'received' */
} zw_decode_frame;

typedef struct {
    uint64_t offset;            /* of its name-size octet */
    char name[256];
    size_t name_size;
    zw_shown value;
} zw_decode_property;

/* A complete and valid command. */
typedef struct {
    uint64_t offset;            /* of the body's first octet (the name size) */
    zw_zmtp_mechanism mechanism;
    const zw_zmtp_command *fields;
    const zw_decode_property *properties;   /* READY, INITIATE with metadata */
    size_t property_count;
    zw_shown part;              /* topic, CURVE box, unknown data */
} zw_decode_command;

typedef enum {
    ZW_DECODE_END_COMPLETE,     /* the input ended between two units */
    ZW_DECODE_END_INCOMPLETE,   /* the input ended inside the greeting or a frame */
    ZW_DECODE_END_NOT_DECODED   /* a 1.0 peer's traffic follows */
} zw_decode_end_state;

typedef struct {
    zw_decode_end_state state;
    uint64_t offset;            /* octets read (NOT_DECODED: where traffic starts) */
    const char *unit;           /* INCOMPLETE: "greeting" or "frame" */
    uint64_t unit_offset, unit_octets;
} zw_decode_end;

/* The detection decision of the greeting decoder (text: printed at once). */
void zw_decode_print_detect (const zw_decode_printer *p, zw_zmtp_family family, uint64_t at);
/* The whole greeting. */
void zw_decode_print_greeting (const zw_decode_printer *p, const zw_decode_greeting *g);
/* The stream stopped inside the greeting after detection (JSON only). */
void zw_decode_print_greeting_partial (const zw_decode_printer *p, zw_zmtp_family family,
                                       uint64_t at);
void zw_decode_print_frame (const zw_decode_printer *p, const zw_decode_frame *f);
void zw_decode_print_command (const zw_decode_printer *p, const zw_decode_command *c);
void zw_decode_print_error (const zw_decode_printer *p, const zw_error *e);
void zw_decode_print_end (const zw_decode_printer *p, const zw_decode_end *end);

#endif
