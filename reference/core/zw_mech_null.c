/*  zw_mech_null.c — the NULL security mechanism (23/ZMTP, 37/ZMTP "The
    NULL Security Mechanism") on the interface of zw_mechanism.h.

    The handshake is the machine of zw_null_handshake.h: READY out at the
    start, the peer's READY in, its metadata judged by the engine (NULL
    itself reads nothing of it).  After the handshake NULL changes no frame
    (zmtp31.wire.clear-text-messages, zmtp31.wire.clear-text-framing): its
    encode and decode are the identity, so the engine lends large bodies to
    the output and reads frames in place, with no call per frame.  NULL
    keeps no state beyond its machine's.  */

#include "zw_mechanism.h"
#include "zw_null_handshake.h"

/* One step of the machine: what its actions work on. */
typedef struct {
    zw_mechanism *m;
    const zw_mech_command *cmd;         /* NULL at the start */
    zw_mech_outcome outcome;
} null_step;

/* An action: 0, or -1 when a frame could not be queued (the engine has closed). */
typedef int (action_fn) (null_step *);

static int
do_send_ready (null_step *s)
{
    return zw_mechanism_send_metadata (s->m, ZW_COMMAND_READY, "READY");
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
    [ZW_NULL_SEND_ERROR] = do_send_error,
    [ZW_NULL_DONE] = do_done,
    [ZW_NULL_FAIL] = do_fail,
    [ZW_NULL_OUT_OF_PLACE] = do_out_of_place,
};

/*  Steps the machine and runs its actions in order; the first that could
    not queue its frame ends the step (the engine has closed).  */
static zw_mech_outcome
run (zw_mechanism *m, int event, const zw_mech_command *cmd)
{
    zw_null_action todo[ZW_NULL_ACTIONS_MAX];
    null_step step = { m, cmd, ZW_MECH_CONTINUE };
    size_t n = zw_null_handshake_step (&m->machine, event, todo);
    for (size_t i = 0; i < n; i++)
        if (actions[todo[i]] (&step))
            return ZW_MECH_FAILED;
    return step.outcome;
}

static zw_mech_outcome
null_start (zw_mechanism *m)
{
    zw_null_handshake_init (&m->machine);
    return run (m, ZW_NULL_START, NULL);
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
    return run (m, event, cmd);
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
    .fini = NULL,
};
