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

/* One step of the machine: what its actions work on. */
typedef struct {
    zw_mechanism *m;
    const zw_mech_command *cmd;         /* NULL at the start */
    const zw_zap_answer *answer;        /* the ZAP answer of the event, or NULL */
    zw_mech_outcome outcome;
    int next_event;                     /* an event an action leads to, or 0 */
} null_step;

/* An action: 0, or -1 when a frame could not be queued (the engine has closed). */
typedef int (action_fn) (null_step *);

static int
do_send_ready (null_step *s)
{
    return zw_mechanism_send_metadata (s->m, ZW_COMMAND_READY, "READY");
}

/*  27/ZAP "The NULL Mechanism": no credentials.  No handler, or no ZAP
    domain on the socket (the owner's call, DECISIONS S3): the next event
    says so.  */
static int
do_ask_zap (null_step *s)
{
    int asked = s->m->host.zap_request (s->m->host.engine, NULL, 0);
    if (asked == 0)
        s->next_event = ZW_NULL_NO_HANDLER;
    return asked < 0 ? -1 : 0;
}

/* DECISIONS S8: the user id of a 200 */
static int
do_accept_user (null_step *s)
{
    zw_mech_auth *auth = &s->m->auth;
    size_t n = s->answer->user_id_size < 255 ? s->answer->user_id_size : 255;
    auth->user_id_size = (uint8_t) n;
    memcpy (auth->user_id, s->answer->user_id, n);
    auth->zap_checked = 1;
    return 0;
}

/*  DECISIONS S4: 400.  Not a violation of the protocol: the handler
    refused the peer; its status text is the static reason below, since
    NULL keeps no state to copy it into.  */
static int
do_refuse_address (null_step *s)
{
    zw_mechanism_fail (s->m, ZW_OK, 0, "zap.reply.status-code", "refused by the ZAP handler");
    return 0;
}

/* DECISIONS S4, S5 */
static int
do_give_up (null_step *s)
{
    zw_mechanism_fail (s->m, ZW_OK, 0, "zap.reply.status-code",
                       "the ZAP handler could not decide (300, 500 or a broken reply)");
    return 0;
}

/* The reason is the engine's refusal, recorded with the event (null_command). */
static int
do_send_error (null_step *s)
{
    return zw_mechanism_send_error (s->m, s->m->error.reason);
}

static int
do_done (null_step *s)
{
    s->outcome = ZW_MECH_DONE;
    return 0;
}

static int
do_fail (null_step *s)
{
    s->outcome = ZW_MECH_FAILED;
    return 0;
}

/* zmtp31.handshake.commands-first */
static int
do_out_of_place (null_step *s)
{
    zw_mechanism_fail (s->m, ZW_ERR_UNEXPECTED_COMMAND, s->cmd ? s->cmd->offset : 0,
                       "zmtp31.handshake.commands-first", "a command out of its place");
    s->outcome = ZW_MECH_FAILED;
    return 0;
}

static action_fn *const actions[] = {
    [ZW_NULL_SEND_READY] = do_send_ready,
    [ZW_NULL_ASK_ZAP] = do_ask_zap,
    [ZW_NULL_ACCEPT_USER] = do_accept_user,
    [ZW_NULL_REFUSE_ADDRESS] = do_refuse_address,
    [ZW_NULL_GIVE_UP] = do_give_up,
    [ZW_NULL_SEND_ERROR] = do_send_error,
    [ZW_NULL_DONE] = do_done,
    [ZW_NULL_FAIL] = do_fail,
    [ZW_NULL_OUT_OF_PLACE] = do_out_of_place,
};

/*  Steps the machine and runs its actions in order, then any event an
    action led to; the first action that could not queue its frame ends
    the step (the engine has closed).  */
static zw_mech_outcome
run (zw_mechanism *m, int event, const zw_mech_command *cmd, const zw_zap_answer *answer)
{
    null_step step = { m, cmd, answer, ZW_MECH_CONTINUE, 0 };
    while (event) {
        zw_null_action todo[ZW_NULL_ACTIONS_MAX];
        size_t n = zw_null_handshake_step (&m->machine, event, todo);
        step.next_event = 0;
        for (size_t i = 0; i < n; i++)
            if (actions[todo[i]] (&step))
                return ZW_MECH_FAILED;
        event = step.next_event;
    }
    return step.outcome;
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
    int event = answer->status == 200 ? ZW_NULL_ZAP_OK
              : answer->status == 400 ? ZW_NULL_ZAP_DENIED
                                      : ZW_NULL_ZAP_UNAVAILABLE;
    return run (m, event, NULL, answer);
}

const zw_mechanism_ops zw_mech_null = {
    .name = "NULL",
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
