/*  zw_mechanism.c — what every mechanism shares (zw_mechanism.h): its
    preparation for a connection, the as-server octet of the greeting, and
    the sending of the commands of a handshake (its own, READY or INITIATE
    with our metadata, ERROR), each through the engine's queue_frame, whose
    failure every caller passes on.  */

#include <stdio.h>
#include <string.h>
#include "zw_fault.h"
#include "zw_mechanism.h"
#include "zmtp_frame.h"

void
zw_mechanism_init (zw_mechanism *m, const zw_mechanism_config *config,
                   const zw_mechanism_host *host)
{
    memset (m, 0, sizeof *m);
    if (config)
        m->config = *config;
    m->ops = m->config.ops ? m->config.ops : &zw_mech_null;
    m->config.ops = m->ops;
    m->host = *host;
}

/* zmtp31.greeting.as-server-no-meaning, zmtp31.greeting.as-server-zero */
uint8_t
zw_mechanism_as_server (const zw_mechanism *m)
{
    return m->ops->roles && m->config.as_server ? 1 : 0;
}

void
zw_mechanism_command_named (zw_zmtp_command *cmd, zw_zmtp_command_id id, const char *name)
{
    memset (cmd, 0, sizeof *cmd);
    cmd->id = id;
    cmd->name_size = (uint8_t) strlen (name);
    memcpy (cmd->name, name, cmd->name_size);
}

#define PIECES_MAX 8
/*  The largest head a handshake packs: PLAIN's HELLO, a name and two
    counted strings of up to 255 octets (518 octets in all).  */
#define HEAD_MAX 1024

int
zw_mechanism_send (zw_mechanism *m, const zw_zmtp_command *cmd, const struct iovec *rest,
                   int count)
{
    uint8_t head[HEAD_MAX];
    size_t n = zw_zmtp_command_pack_head (head, sizeof head, m->ops->codec, cmd);
    if (n == 0 || count + 1 > PIECES_MAX)
        return -1;
    struct iovec pieces[PIECES_MAX] = { { head, n } };
    for (int i = 0; i < count; i++)
        pieces[i + 1] = rest[i];
    return m->host.queue_frame (m->host.engine, cmd->name, ZW_ZMTP_FLAG_COMMAND, pieces,
                                count + 1);
}

int
zw_mechanism_send_metadata (zw_mechanism *m, zw_zmtp_command_id id, const char *name)
{
    zw_zmtp_command cmd;
    zw_mechanism_command_named (&cmd, id, name);
    struct iovec metadata[ZW_MECH_METADATA_PIECES];
    int count = m->host.metadata (m->host.engine, metadata);
    return zw_mechanism_send (m, &cmd, metadata, count);
}

int
zw_mechanism_send_error (zw_mechanism *m, const char *reason)
{
    if (zw_fault_on (ZW_FAULT_NO_ERROR_BEFORE_CLOSE))
        return 0;                                       /* deliberate fault */
    zw_zmtp_command error;
    zw_mechanism_command_named (&error, ZW_COMMAND_ERROR, "ERROR");
    reason = reason ? reason : "refused";
    error.u.reason.size = (uint8_t) strnlen (reason, 255);
    memcpy (error.u.reason.data, reason, error.u.reason.size);
    return zw_mechanism_send (m, &error, NULL, 0);
}

void
zw_mechanism_fail (zw_mechanism *m, zw_errcode code, uint64_t offset, const char *clause,
                   const char *reason)
{
    zw_error_set (&m->error, code, offset, clause, reason);
}

zw_mech_outcome
zw_mechanism_run (zw_mechanism *m, zw_mech_machine *machine, zw_mech_action *const *table,
                  int event, const zw_mech_command *cmd, const zw_zap_answer *answer)
{
    zw_mech_step step = { m, cmd, answer, ZW_MECH_CONTINUE, 0 };
    while (event && step.outcome == ZW_MECH_CONTINUE) {
        int todo[ZW_MECH_ACTIONS_MAX];
        size_t n = machine (&m->machine, event, todo);
        step.next_event = 0;
        for (size_t i = 0; i < n; i++)
            if (table[todo[i]] (&step))
                return ZW_MECH_FAILED;
        event = step.next_event;
    }
    return step.outcome;
}

int
zw_mech_done (zw_mech_step *s)
{
    s->outcome = ZW_MECH_DONE;
    return 0;
}

int
zw_mech_fail (zw_mech_step *s)
{
    s->outcome = ZW_MECH_FAILED;
    return 0;
}

int
zw_mech_send_error (zw_mech_step *s)
{
    return zw_mechanism_send_error (s->m, s->m->error.reason);
}

int
zw_mech_out_of_place (zw_mech_step *s)
{
    zw_mechanism_fail (s->m, ZW_ERR_UNEXPECTED_COMMAND, s->cmd ? s->cmd->offset : 0,
                       s->m->ops->order_clause, "a command out of its place");
    s->outcome = ZW_MECH_FAILED;
    return s->m->config.as_server ? zw_mech_send_error (s) : 0;
}

/* DECISIONS S6 */
int
zw_mech_refuse_role (zw_mech_step *s)
{
    zw_mechanism_fail (s->m, ZW_ERR_MALFORMED_GREETING, 0, s->m->ops->order_clause,
                       "both peers are servers");
    return 0;
}

/* DECISIONS S8: the handler's user id (a string of at most 255: zap.strings.ascii) */
int
zw_mech_accept_zap_user (zw_mech_step *s)
{
    zw_mech_auth *auth = &s->m->auth;
    if (!s->answer)
        return 0;
    size_t n = s->answer->user_id_size < 255 ? s->answer->user_id_size : 255;
    auth->user_id_size = (uint8_t) n;
    if (n)                      /* an empty user id may come as NULL (an empty frame's data) */
        memcpy (auth->user_id, s->answer->user_id, n);
    auth->zap_checked = 1;
    return 0;
}

/*  DECISIONS S4: 400, with the handler's status text as the reason, kept
    in m->refusal for the log.  Not a violation of the protocol.  */
int
zw_mech_refuse_zap (zw_mech_step *s)
{
    zw_mechanism *m = s->m;
    const char *text = s->answer && s->answer->text[0] ? s->answer->text
                                                        : "authentication failed";
    snprintf (m->refusal, sizeof m->refusal, "%s", text);
    zw_mechanism_fail (m, ZW_OK, 0, "zap.reply.status-code", m->refusal);
    return 0;
}

/* DECISIONS S4, S5: no ERROR, the client may try again */
int
zw_mech_give_up (zw_mech_step *s)
{
    zw_mechanism_fail (s->m, ZW_OK, 0, "zap.reply.status-code",
                       "the ZAP handler could not decide (300, 500 or a broken reply)");
    return 0;
}

int
zw_mechanism_zap_event (const zw_zap_answer *answer, int ok, int denied, int unavailable)
{
    return answer->status == 200 ? ok : answer->status == 400 ? denied : unavailable;
}
