/*  zmtp_command_pack.c — the encoder of ZMTP command heads.

    Writes a command's name (zmtp31.command.name) and the fixed fields of
    its layout (zmtp31.command.ping, zmtp31.null.error, plain.hello.layout,
    curve.hello.size, ...).  Variable parts (data, topics, metadata, boxes)
    are appended by the caller, so a large part is never copied here.  */

#include <string.h>
#include "zmtp_command.h"

typedef struct {
    uint8_t *buf;
    size_t cap, len;
    int failed;
} writer;

static void
put (writer *w, const void *data, size_t size)
{
    if (w->failed || w->cap - w->len < size) {
        w->failed = 1;
        return;
    }
    memcpy (w->buf + w->len, data, size);
    w->len += size;
}

static void
put_octet (writer *w, uint8_t octet)
{
    put (w, &octet, 1);
}

static void
put_string (writer *w, const zw_short_string *s)
{
    put_octet (w, s->size);
    put (w, s->data, s->size);
}

/* zmtp31.command.ping, zmtp31.command.pong: at most 16 context octets */
static void
put_context (writer *w, const zw_short_string *context)
{
    if (context->size > ZW_ZMTP_PING_CONTEXT_MAX)
        w->failed = 1;
    put (w, context->data, context->size);
}

static int
name_valid (const zw_zmtp_command *cmd)
{
    if (cmd->name_size == 0)
        return 0;
    for (size_t i = 0; i < cmd->name_size; i++) {
        char c = cmd->name[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
            return 0;
    }
    return 1;
}

static void
put_curve_fields (writer *w, zw_zmtp_command_id id, const zw_zmtp_command *cmd)
{
    static const uint8_t padding[72];   /* curve.hello.padding */
    switch (id) {
        case ZW_COMMAND_HELLO:
            put (w, "\x01\x00", 2);     /* curve.hello.version */
            put (w, padding, sizeof padding);
            put (w, cmd->u.curve_hello.client_key, 32);
            put (w, cmd->u.curve_hello.nonce, 8);
            put (w, cmd->u.curve_hello.signature_box, 80);
            break;
        case ZW_COMMAND_WELCOME:
            put (w, cmd->u.curve_welcome.nonce, 16);
            put (w, cmd->u.curve_welcome.box, 144);
            break;
        case ZW_COMMAND_INITIATE:
            put (w, cmd->u.curve_initiate.cookie, 96);
            put (w, cmd->u.curve_initiate.nonce, 8);
            break;
        case ZW_COMMAND_READY:
        case ZW_COMMAND_MESSAGE:
            put (w, cmd->u.curve_short.nonce, 8);
            break;
        case ZW_COMMAND_ERROR:
            put_string (w, &cmd->u.reason);
            break;
        default:
            break;
    }
}

static void
put_fields (writer *w, zw_zmtp_command_id id, const zw_zmtp_command *cmd)
{
    switch (id) {
        case ZW_COMMAND_ERROR:
            put_string (w, &cmd->u.reason);
            break;
        case ZW_COMMAND_PING:
            put_octet (w, (uint8_t) (cmd->u.ping.ttl >> 8));
            put_octet (w, (uint8_t) cmd->u.ping.ttl);
            put_context (w, &cmd->u.ping.context);
            break;
        case ZW_COMMAND_PONG:
            put_context (w, &cmd->u.ping.context);
            break;
        case ZW_COMMAND_JOIN:
        case ZW_COMMAND_LEAVE:
            if (memchr (cmd->u.group.data, 0, cmd->u.group.size))
                w->failed = 1;      /* zmtp31.command.join */
            put (w, cmd->u.group.data, cmd->u.group.size);
            break;
        case ZW_COMMAND_HELLO:
            put_string (w, &cmd->u.plain_hello.username);
            put_string (w, &cmd->u.plain_hello.password);
            break;
        default:
            break;
    }
}

size_t
zw_zmtp_command_pack_head (uint8_t *buf, size_t cap, zw_zmtp_mechanism mechanism,
                           const zw_zmtp_command *cmd)
{
    writer w = { buf, cap, 0, 0 };
    zw_zmtp_command_id id = zw_zmtp_command_lookup (mechanism, cmd->name, cmd->name_size);
    if (!name_valid (cmd))
        return 0;
    put_octet (&w, cmd->name_size);
    put (&w, cmd->name, cmd->name_size);
    if (mechanism == ZW_MECHANISM_CURVE)
        put_curve_fields (&w, id, cmd);
    else
        put_fields (&w, id, cmd);
    return w.failed ? 0 : w.len;
}
