/*  zw_mech_null.c — the NULL security mechanism (23/ZMTP, 37/ZMTP "The
    NULL Security Mechanism") on the interface of zw_mechanism.h.

    The handshake is the machine of zw_null_handshake.h: READY out at the
    start, the peer's READY in, its metadata judged by the engine (NULL
    itself reads nothing of it).  After the handshake NULL changes no frame
    (zmtp31.wire.clear-text-messages, zmtp31.wire.clear-text-framing): its
    encode and decode are the identity, so the engine lends large bodies to
    the output and reads frames in place, with no call per frame.  NULL
    keeps no state beyond its machine's.  */

#include <string.h>
#include "zw_mechanism.h"
#include "zw_null_handshake.h"

static int
do_send_ready (zw_mech_step *s)
{
    return zw_mechanism_send_metadata (s->m, ZW_COMMAND_READY, "READY");
}

/*  27/ZAP "The NULL Mechanism": no credentials.  No handler, or no ZAP
    domain on the socket (the owner's call, DECISIONS S3): the next event
    says so.  */
static int
do_ask_zap (zw_mech_step *s)
{
    int asked = s->m->host.zap_request (s->m->host.engine, NULL, 0);
    if (asked == 0)
        s->next_event = ZW_NULL_NO_HANDLER;
    return asked < 0 ? -1 : 0;
}

static zw_mech_action *const actions[] = {
    [ZW_NULL_SEND_READY] = do_send_ready,
    [ZW_NULL_ASK_ZAP] = do_ask_zap,
    [ZW_NULL_ACCEPT_USER] = zw_mech_accept_zap_user,
    [ZW_NULL_REFUSE_ADDRESS] = zw_mech_refuse_zap,
    [ZW_NULL_GIVE_UP] = zw_mech_give_up,
    [ZW_NULL_SEND_ERROR] = zw_mech_send_error,     /* the engine's refusal (null_command) */
    [ZW_NULL_DONE] = zw_mech_done,
    [ZW_NULL_FAIL] = zw_mech_fail,
    [ZW_NULL_OUT_OF_PLACE] = zw_mech_out_of_place, /* zmtp31.handshake.commands-first */
};

static zw_mech_outcome
run (zw_mechanism *m, int event, const zw_mech_command *cmd, const zw_zap_answer *answer)
{
    return zw_mechanism_run (m, zw_null_handshake_step, actions, event, cmd, answer);
}

static zw_mech_outcome
null_start (zw_mechanism *m)
{
    zw_null_handshake_init (&m->machine);
    return run (m, ZW_NULL_START, NULL, NULL);
}

/*  READY is the only command NULL knows; the engine reads its metadata as
    it comes and judges it here (zmtp31.null.ready-parse).  */
static zw_mech_outcome
null_command (zw_mechanism *m, const zw_mech_command *cmd)
{
    int event = ZW_NULL_OTHER;
    if (cmd->command->id == ZW_COMMAND_READY)
        event = m->host.judge_metadata (m->host.engine, NULL, 0, cmd->offset, &m->error)
              ? ZW_NULL_READY_REFUSED : ZW_NULL_READY;
    return run (m, event, cmd, NULL);
}

/* DECISIONS S4 */
static zw_mech_outcome
null_zap_answer (zw_mechanism *m, const zw_zap_answer *answer)
{
    return run (m, zw_mechanism_zap_event (answer, ZW_NULL_ZAP_OK, ZW_NULL_ZAP_DENIED,
                                           ZW_NULL_ZAP_UNAVAILABLE), NULL, answer);
}

const zw_mechanism_ops zw_mech_null = {
    .name = "NULL",
    .order_clause = "zmtp31.handshake.commands-first",
    .codec = ZW_MECHANISM_NULL,
    .roles = 0,                 /* zmtp31.null.as-server-zero */
    .legacy_peers = 1,          /* 2.0 peers have no mechanism but NULL's ways */
    .identity = 1,
    .state_size = 0,
    .frame_overhead = 0,
    .start = null_start,
    .command = null_command,
    .encode = NULL,
    .decode = NULL,
    .zap_answer = null_zap_answer,
    .fini = NULL,
};
