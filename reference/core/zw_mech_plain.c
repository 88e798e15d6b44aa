/*  zw_mech_plain.c — the PLAIN security mechanism (24/ZMTP-PLAIN) on the
    interface of zw_mechanism.h, with its ZAP request (27/ZAP).

    The handshake is one machine per role (zw_plain_handshake.h): the
    client sends its credentials in HELLO, then its metadata in INITIATE;
    the server has the credentials judged by the context's ZAP handler,
    answers WELCOME, and READY to the INITIATE whose metadata the engine
    accepts.  The role is the socket's configuration (DECISIONS S1), the
    peer's as-server only has to agree (S6).  After the handshake PLAIN
    changes no frame: its encode and decode are the identity, as NULL's.

    The user id the application sees with every message (m->auth,
    DECISIONS S8) is the ZAP handler's after a 200, else the user name the
    client sent (the server had no handler to ask).  */

#include <stdio.h>
#include <string.h>
#include "zw_mechanism.h"
#include "zw_plain_client.h"
#include "zw_plain_server.h"

/*  The server's memory between HELLO and the ZAP answer: the user name;
    and the reason of a refusal, which the log reads after the call.  */
typedef struct {
    uint8_t username_size;
    uint8_t username[255];
    char refusal[256];
} plain_state;

/* One step of a machine: what its actions work on. */
typedef struct {
    zw_mechanism *m;
    const zw_mech_command *cmd;         /* the command of the event, or NULL */
    const zw_zap_answer *answer;        /* the ZAP answer of the event, or NULL */
    zw_mech_outcome outcome;
    int next_event;                     /* an event an action leads to, or 0 */
} plain_step;

/* An action: 0, or -1 when a frame could not be queued (the engine has closed). */
typedef int (action_fn) (plain_step *);

static const zw_plain_settings *
settings (const zw_mechanism *m)
{
    static const zw_plain_settings none;
    return m->config.settings ? m->config.settings : &none;
}

/* plain.hello.layout: a counted user name, then a counted password */
static int
do_send_hello (plain_step *s)
{
    const zw_plain_settings *credentials = settings (s->m);
    zw_zmtp_command hello;
    zw_mechanism_command_named (&hello, ZW_COMMAND_HELLO, "HELLO");
    hello.u.plain_hello.username.size = credentials->username_size;
    memcpy (hello.u.plain_hello.username.data, credentials->username, credentials->username_size);
    hello.u.plain_hello.password.size = credentials->password_size;
    memcpy (hello.u.plain_hello.password.data, credentials->password, credentials->password_size);
    return zw_mechanism_send (s->m, &hello, NULL, 0);
}

/* plain.initiate.metadata */
static int
do_send_initiate (plain_step *s)
{
    return zw_mechanism_send_metadata (s->m, ZW_COMMAND_INITIATE, "INITIATE");
}

/*  27/ZAP "The PLAIN Mechanism": the credentials are two frames, the user
    name and the password.  No handler: the next event says so.  */
static int
do_ask_zap (plain_step *s)
{
    const zw_zmtp_command *hello = s->cmd->command;
    plain_state *state = s->m->state;
    state->username_size = hello->u.plain_hello.username.size;
    memcpy (state->username, hello->u.plain_hello.username.data, state->username_size);
    struct iovec credentials[2] = {
        { (void *) hello->u.plain_hello.username.data, hello->u.plain_hello.username.size },
        { (void *) hello->u.plain_hello.password.data, hello->u.plain_hello.password.size },
    };
    int asked = s->m->host.zap_request (s->m->host.engine, credentials, 2);
    if (asked == 0)
        s->next_event = ZW_PLAIN_NO_HANDLER;
    return asked < 0 ? -1 : 0;
}

/* DECISIONS S8: ZAP's user id after a 200, else the user name. */
static int
do_accept_user (plain_step *s)
{
    zw_mech_auth *auth = &s->m->auth;
    const plain_state *state = s->m->state;
    if (s->answer) {
        auth->user_id_size = (uint8_t) (s->answer->user_id_size < 255 ? s->answer->user_id_size
                                                                        : 255);
        memcpy (auth->user_id, s->answer->user_id, auth->user_id_size);
        auth->zap_checked = 1;
    }
    else {
        auth->user_id_size = state->username_size;
        memcpy (auth->user_id, state->username, state->username_size);
    }
    return 0;
}

/* plain.welcome.layout: the name alone */
static int
do_send_welcome (plain_step *s)
{
    zw_zmtp_command welcome;
    zw_mechanism_command_named (&welcome, ZW_COMMAND_WELCOME, "WELCOME");
    return zw_mechanism_send (s->m, &welcome, NULL, 0);
}

/* plain.ready.metadata */
static int
do_send_ready (plain_step *s)
{
    return zw_mechanism_send_metadata (s->m, ZW_COMMAND_READY, "READY");
}

/* plain.error.layout: the reason recorded with the failure */
static int
do_send_error (plain_step *s)
{
    return zw_mechanism_send_error (s->m, s->m->error.reason);
}

/* DECISIONS S6 */
static int
do_refuse_role (plain_step *s)
{
    zw_mechanism_fail (s->m, ZW_ERR_MALFORMED_GREETING, 0, "plain.handshake.order",
                       "both peers are servers");
    return 0;
}

/*  DECISIONS S4: 400, with the handler's status text as the reason.  Not
    a violation of the protocol: the credentials were refused.  */
static int
do_refuse_credentials (plain_step *s)
{
    plain_state *state = s->m->state;
    const char *text = s->answer && s->answer->text[0] ? s->answer->text
                                                        : "authentication failed";
    snprintf (state->refusal, sizeof state->refusal, "%s", text);
    zw_mechanism_fail (s->m, ZW_OK, 0, "zap.reply.status-code", state->refusal);
    return 0;
}

/* DECISIONS S4, S5: 300, 500, a broken handler: no ERROR, the client may retry */
static int
do_give_up (plain_step *s)
{
    zw_mechanism_fail (s->m, ZW_OK, 0, "zap.reply.status-code",
                       "the ZAP handler could not decide (300, 500 or a broken reply)");
    return 0;
}

static int
do_done (plain_step *s)
{
    s->outcome = ZW_MECH_DONE;
    return 0;
}

static int
do_fail (plain_step *s)
{
    s->outcome = ZW_MECH_FAILED;
    return 0;
}

/*  plain.handshake.order: a command out of its place.  The server says so
    with ERROR (the grammar gives it S:error); the client just closes.  */
static int
do_out_of_place (plain_step *s)
{
    zw_mechanism_fail (s->m, ZW_ERR_UNEXPECTED_COMMAND, s->cmd ? s->cmd->offset : 0,
                       "plain.handshake.order", "a command out of its place");
    s->outcome = ZW_MECH_FAILED;
    if (s->m->config.as_server)
        return zw_mechanism_send_error (s->m, s->m->error.reason);
    return 0;
}

static action_fn *const actions[] = {
    [ZW_PLAIN_SEND_HELLO] = do_send_hello,
    [ZW_PLAIN_SEND_INITIATE] = do_send_initiate,
    [ZW_PLAIN_ASK_ZAP] = do_ask_zap,
    [ZW_PLAIN_ACCEPT_USER] = do_accept_user,
    [ZW_PLAIN_SEND_WELCOME] = do_send_welcome,
    [ZW_PLAIN_SEND_READY] = do_send_ready,
    [ZW_PLAIN_SEND_ERROR] = do_send_error,
    [ZW_PLAIN_REFUSE_ROLE] = do_refuse_role,
    [ZW_PLAIN_REFUSE_CREDENTIALS] = do_refuse_credentials,
    [ZW_PLAIN_GIVE_UP] = do_give_up,
    [ZW_PLAIN_DONE] = do_done,
    [ZW_PLAIN_FAIL] = do_fail,
    [ZW_PLAIN_OUT_OF_PLACE] = do_out_of_place,
};

/*  Steps the role's machine and runs its actions in order, then any event
    an action led to; the first action that could not queue its frame
    ends the step (the engine has closed).  */
static zw_mech_outcome
run (zw_mechanism *m, int event, const zw_mech_command *cmd, const zw_zap_answer *answer)
{
    plain_step step = { m, cmd, answer, ZW_MECH_CONTINUE, 0 };
    while (event) {
        zw_plain_action todo[ZW_PLAIN_ACTIONS_MAX];
        size_t n = m->config.as_server ? zw_plain_server_step (&m->machine, event, todo)
                                       : zw_plain_client_step (&m->machine, event, todo);
        step.next_event = 0;
        for (size_t i = 0; i < n; i++)
            if (actions[todo[i]] (&step))
                return ZW_MECH_FAILED;
        event = step.next_event;
    }
    return step.outcome;
}

static zw_mech_outcome
plain_start (zw_mechanism *m)
{
    if (m->config.as_server)
        zw_plain_server_init (&m->machine);
    else
        zw_plain_client_init (&m->machine);
    int same_role = m->peer_as_server && m->config.as_server;      /* DECISIONS S6 */
    return run (m, same_role ? ZW_PLAIN_SAME_ROLE : ZW_PLAIN_START, NULL, NULL);
}

/*  The command's event.  The engine has read the metadata of INITIATE and
    READY as it came; it is judged here (zmtp31.socket-type.check).  */
static zw_mech_outcome
plain_command (zw_mechanism *m, const zw_mech_command *cmd)
{
    int event = ZW_PLAIN_OTHER;
    switch (cmd->command->id) {
    case ZW_COMMAND_HELLO:   event = ZW_PLAIN_HELLO; break;
    case ZW_COMMAND_WELCOME: event = ZW_PLAIN_WELCOME; break;
    case ZW_COMMAND_INITIATE:
    case ZW_COMMAND_READY: {
        int refused = m->host.judge_metadata (m->host.engine, NULL, 0, cmd->offset, &m->error);
        int initiate = cmd->command->id == ZW_COMMAND_INITIATE;
        event = initiate ? (refused ? ZW_PLAIN_INITIATE_REFUSED : ZW_PLAIN_INITIATE)
                         : (refused ? ZW_PLAIN_READY_REFUSED : ZW_PLAIN_READY);
        break;
    }
    default:
        break;
    }
    return run (m, event, cmd, NULL);
}

/* DECISIONS S4 */
static zw_mech_outcome
plain_zap_answer (zw_mechanism *m, const zw_zap_answer *answer)
{
    int event = answer->status == 200 ? ZW_PLAIN_ZAP_OK
              : answer->status == 400 ? ZW_PLAIN_ZAP_DENIED
                                      : ZW_PLAIN_ZAP_UNAVAILABLE;
    return run (m, event, NULL, answer);
}

static void
plain_fini (zw_mechanism *m)
{
    memset (m->state, 0, sizeof (plain_state));
}

const zw_mechanism_ops zw_mech_plain = {
    .name = "PLAIN",
    .codec = ZW_MECHANISM_PLAIN,
    .roles = 1,                 /* 24/ZMTP-PLAIN: the as-server field tells them apart */
    .legacy_peers = 0,          /* zmtp31.compat.close-non-null */
    .identity = 1,              /* zmtp31.wire.clear-text-framing: frames go as they are */
    .state_size = sizeof (plain_state),
    .frame_overhead = 0,
    .start = plain_start,
    .command = plain_command,
    .encode = NULL,
    .decode = NULL,
    .zap_answer = plain_zap_answer,
    .fini = plain_fini,
};
