/*  mdp_message.rl — Majordomo message decoder and encoder (mdp_message.h).
    The layouts are mdp_message_grammar.rl; here are the frame classifier,
    the actions, and the error each slot stands for.  */

#include <string.h>
#include "mdp_message.h"
#include "mdp_frame_class.h"

/* Which frame the grammar expects next: a refused frame is charged to it. */
typedef enum {
    SLOT_HEADER, SLOT_COMMAND, SLOT_SERVICE, SLOT_ADDRESS, SLOT_DELIMITER, SLOT_BODY, SLOT_END
} slot;

typedef struct {
    int cs;
    slot next;
    unsigned accept;
    const zw_mdp_frame *frame;      /* the frame being stepped */
    size_t index;                   /* its index in the message */
    zw_mdp_message *msg;
} decoder;

%%{
    machine mdp_message;
    variable cs d->cs;

    action v01 { d->msg->version = ZW_MDP_V01; }
    action v02 { d->msg->version = ZW_MDP_V02; }
    action client { d->msg->subprotocol = ZW_MDP_CLIENT; }
    action worker { d->msg->subprotocol = ZW_MDP_WORKER; }

    action ready { d->msg->command = ZW_MDP_READY; }
    action request { d->msg->command = ZW_MDP_REQUEST; }
    action reply { d->msg->command = ZW_MDP_REPLY; }
    action partial { d->msg->command = ZW_MDP_PARTIAL; }
    action final { d->msg->command = ZW_MDP_FINAL; }
    action heartbeat { d->msg->command = ZW_MDP_HEARTBEAT; }
    action disconnect { d->msg->command = ZW_MDP_DISCONNECT; }

    action service { d->msg->service = *d->frame; }
    action address { d->msg->address = *d->frame; }
    action body_frame {
        if (d->msg->body_count++ == 0)
            d->msg->body = d->index;
    }

    action slot_command { d->next = SLOT_COMMAND; }
    action slot_service { d->next = SLOT_SERVICE; }
    action slot_address { d->next = SLOT_ADDRESS; }
    action slot_delimiter { d->next = SLOT_DELIMITER; }
    action slot_body { d->next = SLOT_BODY; }
    action slot_end { d->next = SLOT_END; }

    include "mdp_message_grammar.rl";
}%%

%% write data;

static const char *const headers[2][2] = {
    { "MDPC01", "MDPW01" },
    { "MDPC02", "MDPW02" }
};

const char *
zw_mdp_header (zw_mdp_version version, zw_mdp_subprotocol subprotocol)
{
    return headers[version == ZW_MDP_V02][subprotocol == ZW_MDP_WORKER];
}

/* mdp01.grammar.service-name, mdp02.grammar.service-name (M9, M2-14). */
int
zw_mdp_service_valid (const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    for (size_t i = 0; i < size; i++)
        if (data[i] < 0x20 || data[i] > 0x7E)
            return 0;
    return 1;
}

static int
frame_is (const zw_mdp_frame *frame, const char *text)
{
    return frame->size == strlen (text) && memcmp (frame->data, text, frame->size) == 0;
}

/*  The header token, if the frame spells a header the decoder accepts;
    else 0 (a refused header is only text).  */
static int
header_class (const zw_mdp_frame *frame, unsigned accept)
{
    static const struct { zw_mdp_version v; zw_mdp_subprotocol s; unsigned needs; int token; } known[] = {
        { ZW_MDP_V01, ZW_MDP_CLIENT, ZW_MDP_ACCEPT_V01 | ZW_MDP_ACCEPT_CLIENT, ZW_MDPF_MDPC01 },
        { ZW_MDP_V01, ZW_MDP_WORKER, ZW_MDP_ACCEPT_V01 | ZW_MDP_ACCEPT_WORKER, ZW_MDPF_MDPW01 },
        { ZW_MDP_V02, ZW_MDP_CLIENT, ZW_MDP_ACCEPT_V02 | ZW_MDP_ACCEPT_CLIENT, ZW_MDPF_MDPC02 },
        { ZW_MDP_V02, ZW_MDP_WORKER, ZW_MDP_ACCEPT_V02 | ZW_MDP_ACCEPT_WORKER, ZW_MDPF_MDPW02 },
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if ((accept & known[i].needs) == known[i].needs
            && frame_is (frame, zw_mdp_header (known[i].v, known[i].s)))
            return known[i].token;
    return 0;
}

/*  The grammar's alphabet: one class per frame (mdp_frame_class.h).  An
    empty frame 0 opens a 0.1 header only: where 0.1 is not accepted it
    starts no header at all.  */
static int
frame_class (const zw_mdp_frame *frame, size_t index, unsigned accept)
{
    if (frame->size == 0)
        return index == 0 && !(accept & ZW_MDP_ACCEPT_V01) ? ZW_MDPF_OTHER : ZW_MDPF_EMPTY;
    if (frame->size == 1 && frame->data[0] >= 0x01 && frame->data[0] <= 0x06)
        return ZW_MDPF_CODE1 + frame->data[0] - 1;
    int header = header_class (frame, accept);
    if (header)
        return header;
    return zw_mdp_service_valid (frame->data, frame->size) ? ZW_MDPF_TEXT : ZW_MDPF_OTHER;
}

/* The layout row of a message whose command is known. */
static const char *
layout_clause (const zw_mdp_message *msg)
{
    int v2 = msg->version == ZW_MDP_V02;
    if (msg->subprotocol == ZW_MDP_CLIENT)
        switch (msg->command) {
        case ZW_MDP_PARTIAL: return "mdp02.grammar.client-partial";
        case ZW_MDP_FINAL: return "mdp02.grammar.client-final";
        default: return v2 ? "mdp02.grammar.client-request" : "mdp01.grammar.client-request";
        }
    switch (msg->command) {
    case ZW_MDP_READY: return v2 ? "mdp02.grammar.ready" : "mdp01.grammar.ready";
    case ZW_MDP_REQUEST: return v2 ? "mdp02.grammar.worker-request" : "mdp01.grammar.worker-request";
    case ZW_MDP_REPLY: return "mdp01.grammar.worker-reply";
    case ZW_MDP_PARTIAL: return "mdp02.grammar.worker-partial";
    case ZW_MDP_FINAL: return "mdp02.grammar.worker-final";
    case ZW_MDP_HEARTBEAT: return v2 ? "mdp02.grammar.heartbeat" : "mdp01.grammar.heartbeat";
    default: return v2 ? "mdp02.grammar.disconnect" : "mdp01.grammar.disconnect";
    }
}

/*  The header row.  0.2 has header rows of its own; 0.1 states its header
    in each layout, of which the client request and READY are the first
    each sub-protocol sends.  A failure at frame 0 where 0.2 is accepted
    is charged to 0.2 (its header comes first); after an empty frame 0, to
    0.1.  */
static const char *
header_clause (const decoder *d)
{
    int client = d->accept & ZW_MDP_ACCEPT_CLIENT;
    if (d->index == 0 && (d->accept & ZW_MDP_ACCEPT_V02))
        return client ? "mdp02.grammar.client-header" : "mdp02.grammar.worker-header";
    return client ? "mdp01.grammar.client-request" : "mdp01.grammar.ready";
}

/* The command rows: 0.2 has them; 0.1 names its codes in the layouts. */
static const char *
command_clause (const decoder *d)
{
    if (d->msg->version == ZW_MDP_V01)
        return "mdp01.grammar.ready";
    return d->msg->subprotocol == ZW_MDP_CLIENT ? "mdp02.grammar.client-command"
                                                 : "mdp02.grammar.worker-command";
}

/* What a refused frame in each slot is; a short message is missing-frame. */
static const struct { zw_errcode code; const char *reason; } slot_errors[] = {
    [SLOT_HEADER] = { ZW_ERR_MDP_INVALID_HEADER, "not a Majordomo header this peer speaks" },
    [SLOT_COMMAND] = { ZW_ERR_MDP_INVALID_COMMAND, "the command frame is not one octet of a known code" },
    [SLOT_SERVICE] = { ZW_ERR_MDP_INVALID_SERVICE, "the service name is empty or not printable" },
    [SLOT_DELIMITER] = { ZW_ERR_MDP_INVALID_DELIMITER, "the frame after the client address is not empty" },
    [SLOT_END] = { ZW_ERR_MDP_EXTRA_FRAME, "a frame after the last of the command" },
};

/*  The clause a failure in the current slot enforces: the header and
    command rows while the layout is not known yet, the service-name and
    delimiter rows for a refused frame there, else the command's layout.  */
static const char *
slot_clause (const decoder *d, int short_message)
{
    int v2 = d->msg->version == ZW_MDP_V02;
    if (d->next == SLOT_HEADER)
        return header_clause (d);
    if (d->next == SLOT_COMMAND)
        return command_clause (d);
    if (d->next == SLOT_SERVICE && !short_message)
        return v2 ? "mdp02.grammar.service-name" : "mdp01.grammar.service-name";
    if (d->next == SLOT_DELIMITER && !short_message)
        return v2 ? "mdp02.request.empty-after-address" : "mdp01.request.empty-after-address";
    return layout_clause (d->msg);
}

/* A frame the grammar refused, or (short_message) a message that ended early. */
static void
fail (const decoder *d, int short_message, zw_error *error)
{
    if (short_message)
        zw_error_set (error, ZW_ERR_MDP_MISSING_FRAME, d->index, slot_clause (d, 1),
                      "the message ends before its layout does");
    else
        zw_error_set (error, slot_errors[d->next].code, d->index, slot_clause (d, 0),
                      slot_errors[d->next].reason);
}

int
zw_mdp_decode (const zw_mdp_frame *frames, size_t count, unsigned accept,
               zw_mdp_message *msg, zw_error *error)
{
    memset (msg, 0, sizeof *msg);
    decoder state = { .next = SLOT_HEADER, .accept = accept, .msg = msg };
    decoder *d = &state;
    %% write init;
    for (size_t i = 0; i < count; i++) {
        int token = frame_class (&frames[i], i, accept);
        const int *p = &token, *pe = p + 1;
        d->frame = &frames[i];
        d->index = i;
        %% write exec;
        if (d->cs == mdp_message_error) {
            fail (d, 0, error);
            return 0;
        }
    }
    if (d->cs < mdp_message_first_final) {
        d->index = count;
        fail (d, 1, error);
        return 0;
    }
    return 1;
}
