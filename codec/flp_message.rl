/*  flp_message.rl — Freelance message decoder and encoder (flp_message.h).
    The layouts are flp_message_grammar.rl; here are the frame classifier
    and the actions.  */

#include <string.h>
#include "flp_message.h"
#include "flp_frame_class.h"

typedef struct {
    int cs;
    zw_flp_direction direction;
    const zw_flp_frame *frame;
    zw_flp_message *msg;
} decoder;

%%{
    machine flp_message;
    variable cs d->cs;

    action ping { d->msg->command = ZW_FLP_PING; }
    action pong { d->msg->command = ZW_FLP_PONG; }
    action ccf { d->msg->ccf = *d->frame; }
    action body_frame {
        d->msg->command = d->direction == ZW_FLP_TO_SERVER ? ZW_FLP_REQUEST : ZW_FLP_REPLY;
        d->msg->body_count++;
    }

    include "flp_message_grammar.rl";
}%%

%% write data;

static const char ping_text[] = "PING", pong_text[] = "PONG";

static int
frame_is (const zw_flp_frame *frame, const char *text)
{
    return frame->size == 4 && memcmp (frame->data, text, 4) == 0;
}

/* The grammar's alphabet (flp_frame_class.h). */
static int
frame_class (const zw_flp_frame *frame)
{
    if (frame_is (frame, ping_text))
        return ZW_FLPF_PING;
    if (frame_is (frame, pong_text))
        return ZW_FLPF_PONG;
    return ZW_FLPF_OTHER;
}

int
zw_flp_decode (const zw_flp_frame *frames, size_t count, zw_flp_direction direction,
               zw_flp_message *msg, zw_error *error)
{
    memset (msg, 0, sizeof *msg);
    decoder state = { .direction = direction, .msg = msg };
    decoder *d = &state;
    %% write init;
    d->cs = direction == ZW_FLP_TO_SERVER ? flp_message_en_to_server : flp_message_en_to_client;
    for (size_t i = 0; i < count; i++) {
        int token = frame_class (&frames[i]);
        const int *p = &token, *pe = p + 1;
        d->frame = &frames[i];
        %% write exec;
    }
    /* every frame fits some layout (any frame may be a CCF or a body frame):
       the one failure is a message that ends too early */
    if (d->cs < flp_message_first_final || msg->command == ZW_FLP_NONE) {
        zw_error_set (error, ZW_ERR_FLP_MISSING_FRAME, count,
                      direction == ZW_FLP_TO_SERVER ? "flp.grammar.request" : "flp.grammar.reply",
                      "the message ends before the body a request or reply needs");
        return 0;
    }
    return 1;
}

int
zw_flp_encode_head (const zw_flp_message *msg, zw_flp_frame *head)
{
    switch (msg->command) {
    case ZW_FLP_PING: *head = (zw_flp_frame) { (const uint8_t *) ping_text, 4 }; return 1;
    case ZW_FLP_PONG: *head = (zw_flp_frame) { (const uint8_t *) pong_text, 4 }; return 1;
    case ZW_FLP_REQUEST: case ZW_FLP_REPLY: *head = msg->ccf; return 1;
    default: return 0;
    }
}

const char *
zw_flp_command_name (zw_flp_command command)
{
    static const char *const names[] = {
        [ZW_FLP_PING] = "PING", [ZW_FLP_PONG] = "PONG",
        [ZW_FLP_REQUEST] = "REQUEST", [ZW_FLP_REPLY] = "REPLY" };
    size_t c = (size_t) command;
    return c < sizeof names / sizeof names[0] ? names[c] : NULL;
}
