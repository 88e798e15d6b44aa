/*  mdp_message_pack.c — the Majordomo encoder (mdp_message.h): the frames
    before a message's body, pointing to static storage.  */

#include "mdp_message.h"

/* One octet per code, for head frames to point at. */
static const uint8_t codes[] = { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06 };

/*  The command code of msg in its version and sub-protocol (the layouts of
    spec/mdp01.md and spec/mdp02.md), or 0 if it has none there.  */
static uint8_t
command_code (const zw_mdp_message *msg)
{
    static const uint8_t worker01[] = {
        [ZW_MDP_READY] = 1, [ZW_MDP_REQUEST] = 2, [ZW_MDP_REPLY] = 3,
        [ZW_MDP_HEARTBEAT] = 4, [ZW_MDP_DISCONNECT] = 5 };
    static const uint8_t client02[] = { [ZW_MDP_REQUEST] = 1, [ZW_MDP_PARTIAL] = 2, [ZW_MDP_FINAL] = 3 };
    static const uint8_t worker02[] = {
        [ZW_MDP_READY] = 1, [ZW_MDP_REQUEST] = 2, [ZW_MDP_PARTIAL] = 3, [ZW_MDP_FINAL] = 4,
        [ZW_MDP_HEARTBEAT] = 5, [ZW_MDP_DISCONNECT] = 6 };
    size_t c = (size_t) msg->command;
    int worker = msg->subprotocol == ZW_MDP_WORKER;
    if (msg->version == ZW_MDP_V01)
        return worker && c < sizeof worker01 ? worker01[c] : 0;
    if (worker)
        return c < sizeof worker02 ? worker02[c] : 0;
    return c < sizeof client02 ? client02[c] : 0;
}

int
zw_mdp_has_body (const zw_mdp_message *msg)
{
    return msg->subprotocol == ZW_MDP_CLIENT || msg->command == ZW_MDP_REQUEST
        || msg->command == ZW_MDP_REPLY || msg->command == ZW_MDP_PARTIAL
        || msg->command == ZW_MDP_FINAL;
}

static zw_mdp_frame
text_frame (const char *text, size_t size)
{
    return (zw_mdp_frame) { (const uint8_t *) text, size };
}

size_t
zw_mdp_encode_head (const zw_mdp_message *msg, zw_mdp_frame head[ZW_MDP_HEAD_MAX])
{
    int v01 = msg->version == ZW_MDP_V01, client01 = v01 && msg->subprotocol == ZW_MDP_CLIENT;
    uint8_t code = command_code (msg);
    if ((msg->version != ZW_MDP_V01 && msg->version != ZW_MDP_V02)
        || (msg->subprotocol != ZW_MDP_CLIENT && msg->subprotocol != ZW_MDP_WORKER))
        return 0;
    /* a 0.1 client-side message has no command frame; every other has one */
    if (client01 ? msg->command != ZW_MDP_NONE : code == 0)
        return 0;
    int named = msg->subprotocol == ZW_MDP_CLIENT || msg->command == ZW_MDP_READY;
    if (named && !zw_mdp_service_valid (msg->service.data, msg->service.size))
        return 0;
    size_t n = 0;
    if (v01)    /* 7/MDP: every message opens with an empty frame */
        head[n++] = text_frame ("", 0);
    head[n++] = text_frame (zw_mdp_header (msg->version, msg->subprotocol), 6);
    if (!client01)
        head[n++] = (zw_mdp_frame) { &codes[code], 1 };
    if (named)
        head[n++] = msg->service;
    else if (zw_mdp_has_body (msg)) {
        /* mdp01.request.one-address, mdp01.request.empty-after-address */
        head[n++] = msg->address;
        head[n++] = text_frame ("", 0);
    }
    return n;
}

const char *
zw_mdp_command_name (zw_mdp_command command)
{
    static const char *const names[] = {
        [ZW_MDP_READY] = "READY", [ZW_MDP_REQUEST] = "REQUEST", [ZW_MDP_REPLY] = "REPLY",
        [ZW_MDP_PARTIAL] = "PARTIAL", [ZW_MDP_FINAL] = "FINAL",
        [ZW_MDP_HEARTBEAT] = "HEARTBEAT", [ZW_MDP_DISCONNECT] = "DISCONNECT" };
    size_t c = (size_t) command;
    return c < sizeof names / sizeof names[0] ? names[c] : NULL;
}

const char *
zw_mdp_version_name (zw_mdp_version version)
{
    return version == ZW_MDP_V02 ? "0.2" : "0.1";
}
