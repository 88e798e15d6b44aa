/*  mdp_message.h — decoder and encoder for Majordomo messages: 7/MDP 0.1
    and 18/MDP 0.2, both sub-protocols (MDP/Client, MDP/Worker).

    A Majordomo message is a list of ZMTP frames, as on a DEALER socket: a
    0.1 message opens with its empty frame, and the identity frame that a
    broker's ROUTER socket adds on receipt is not part of it.  The decoder
    checks one message's layout against the registries (spec/mdp01.md,
    spec/mdp02.md) and names its parts; it is direction-blind: who may send
    what, and when, is the session's business (spec/DECISIONS.md M6, M2-9).

    The grammar (mdp_message_grammar.rl) runs over one token per frame:
    the classifier below the API turns each frame into a class (empty, a
    header, a one-octet command code, printable text, other), and the
    machine walks the layout's slots (header, command, service, address,
    delimiter, body).  The slot a frame fails in names the error; a message
    that ends in a slot that needs a frame is short (vectors/FORMAT.md,
    "mdp").  Error offsets are frame indexes.

    Nothing is copied: the decoded message points into the caller's frames,
    and the encoder's head frames point to static storage.  */

#ifndef ZW_MDP_MESSAGE_H
#define ZW_MDP_MESSAGE_H

#include <stddef.h>
#include <stdint.h>
#include "zw_error.h"
#include "zw_frame_view.h"

typedef enum { ZW_MDP_V01 = 1, ZW_MDP_V02 = 2 } zw_mdp_version;

typedef enum { ZW_MDP_CLIENT = 1, ZW_MDP_WORKER = 2 } zw_mdp_subprotocol;

typedef enum {
    ZW_MDP_NONE = 0,            /* a 0.1 client-side message: no command frame */
    ZW_MDP_READY, ZW_MDP_REQUEST, ZW_MDP_REPLY, ZW_MDP_PARTIAL, ZW_MDP_FINAL,
    ZW_MDP_HEARTBEAT, ZW_MDP_DISCONNECT
} zw_mdp_command;

/* What a decoder takes: a version and a sub-protocol bit at least. */
enum {
    ZW_MDP_ACCEPT_V01 = 1,
    ZW_MDP_ACCEPT_V02 = 2,
    ZW_MDP_ACCEPT_CLIENT = 4,
    ZW_MDP_ACCEPT_WORKER = 8,
    ZW_MDP_ACCEPT_ALL = 15      /* a broker speaking both versions (DECISIONS M2-2) */
};

/* One frame of a message: a view, never owned. */
typedef zw_frame_view zw_mdp_frame;

typedef struct {
    zw_mdp_version version;
    zw_mdp_subprotocol subprotocol;
    zw_mdp_command command;
    zw_mdp_frame service;       /* READY and every client-side message */
    zw_mdp_frame address;       /* worker-side REQUEST, REPLY, PARTIAL, FINAL */
    size_t body;                /* index of the first body frame; the body is frames[body..count) */
    size_t body_count;          /* 0 for READY, HEARTBEAT, DISCONNECT */
} zw_mdp_message;

/* Frames before the body, at most: 0.1 worker REQUEST is "", MDPW01, code, address, "". */
#define ZW_MDP_HEAD_MAX 5

/*  Decodes one message of count frames, taking only the versions and
    sub-protocols that accept names.  Returns 1 and fills msg, or 0 and
    records the error in *error (class mdp-*, offset the frame index, the
    clause it enforces).  */
int zw_mdp_decode (const zw_mdp_frame *frames, size_t count, unsigned accept,
                   zw_mdp_message *msg, zw_error *error);

/*  The frames that come before the body of msg (version, sub-protocol,
    command, service or address as the layout wants), written to head.
    Returns how many (1..ZW_MDP_HEAD_MAX), or 0 when msg cannot be encoded:
    a command the version and sub-protocol do not have, or a service name
    that is not 1+ octets of 0x20..0x7E (mdp01.grammar.service-name,
    mdp02.grammar.service-name).  The body frames follow, at least one
    where the layout has a body (the caller appends them).  */
size_t zw_mdp_encode_head (const zw_mdp_message *msg, zw_mdp_frame head[ZW_MDP_HEAD_MAX]);

/*  1 if the layout of msg's command has body frames (client messages,
    REQUEST, REPLY, PARTIAL, FINAL).  */
int zw_mdp_has_body (const zw_mdp_message *msg);

/*  1 if size octets are a service name: at least one octet, each
    0x20..0x7E (DECISIONS M9, M2-14).  */
int zw_mdp_service_valid (const uint8_t *data, size_t size);

/* "READY", "REQUEST", ...; NULL for ZW_MDP_NONE. */
const char *zw_mdp_command_name (zw_mdp_command command);

/* "0.1" or "0.2". */
const char *zw_mdp_version_name (zw_mdp_version version);

/* The header frame's six octets ("MDPC01", ...). */
const char *zw_mdp_header (zw_mdp_version version, zw_mdp_subprotocol subprotocol);

#endif
