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
#include "zw_fault.h"
#include "zw_mechanism.h"
#include "zw_plain_client.h"
#include "zw_plain_server.h"

/* The server's memory between HELLO and the ZAP answer: the user name. */
typedef struct {
    uint8_t username_size;
    uint8_t username[255];
} plain_state;

static const zw_plain_settings *
settings (const zw_mechanism *m)
{
    static const zw_plain_settings none;
    return m->config.settings ? m->config.settings : &none;
}

/*  plain.hello.layout: a counted user name, then a counted password.  The
    deliberate fault plain-initiate-before-welcome sends INITIATE with it,
    not waiting for WELCOME (plain.handshake.order), and none after it.  */
static int
do_send_hello (zw_mech_step *s)
{
    const zw_plain_settings *credentials = settings (s->m);
    zw_zmtp_command hello;
    zw_mechanism_command_named (&hello, ZW_COMMAND_HELLO, "HELLO");
    hello.u.plain_hello.username.size = credentials->username_size;
    memcpy (hello.u.plain_hello.username.data, credentials->username, credentials->username_size);
    hello.u.plain_hello.password.size = credentials->password_size;
    memcpy (hello.u.plain_hello.password.data, credentials->password, credentials->password_size);
    if (zw_mechanism_send (s->m, &hello, NULL, 0))
        return -1;
    return zw_fault_on (ZW_FAULT_PLAIN_INITIATE_BEFORE_WELCOME)
         ? zw_mechanism_send_metadata (s->m, ZW_COMMAND_INITIATE, "INITIATE") : 0;
}

/* plain.initiate.metadata */
static int
do_send_initiate (zw_mech_step *s)
{
    if (zw_fault_on (ZW_FAULT_PLAIN_INITIATE_BEFORE_WELCOME))
        return 0;                               /* sent with HELLO */
    return zw_mechanism_send_metadata (s->m, ZW_COMMAND_INITIATE, "INITIATE");
}

/*  27/ZAP "The PLAIN Mechanism": the credentials are two frames, the user
    name and the password.  No handler: the next event says so.  */
static int
do_ask_zap (zw_mech_step *s)
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
do_accept_user (zw_mech_step *s)
{
    const plain_state *state = s->m->state;
    if (s->answer)
        return zw_mech_accept_zap_user (s);
    s->m->auth.user_id_size = state->username_size;
    memcpy (s->m->auth.user_id, state->username, state->username_size);
    return 0;
}

/*  plain.welcome.layout: the name alone.  The deliberate fault
    plain-ready-before-initiate sends READY with it, not waiting for the
    client's INITIATE (plain.handshake.order), and none after it.  */
static int
do_send_welcome (zw_mech_step *s)
{
    zw_zmtp_command welcome;
    zw_mechanism_command_named (&welcome, ZW_COMMAND_WELCOME, "WELCOME");
    if (zw_mechanism_send (s->m, &welcome, NULL, 0))
        return -1;
    return zw_fault_on (ZW_FAULT_PLAIN_READY_BEFORE_INITIATE)
         ? zw_mechanism_send_metadata (s->m, ZW_COMMAND_READY, "READY") : 0;
}

/* plain.ready.metadata */
static int
do_send_ready (zw_mech_step *s)
{
    if (zw_fault_on (ZW_FAULT_PLAIN_READY_BEFORE_INITIATE))
        return 0;                               /* sent with WELCOME */
    return zw_mechanism_send_metadata (s->m, ZW_COMMAND_READY, "READY");
}

/*  ERROR before the close (plain.error.layout).  The lenient variant
    plain-refuse-close refuses credentials with a close alone, as the prose
    of 24/ZMTP-PLAIN says: "Otherwise, it closes the connection".  */
static int
do_send_error (zw_mech_step *s)
{
    if (s->answer && s->answer->status == 400 && zw_fault_on (ZW_LENIENT_PLAIN_REFUSE_CLOSE))
        return 0;
    return zw_mech_send_error (s);
}

static zw_mech_action *const actions[] = {
    [ZW_PLAIN_SEND_HELLO] = do_send_hello,
    [ZW_PLAIN_SEND_INITIATE] = do_send_initiate,
    [ZW_PLAIN_ASK_ZAP] = do_ask_zap,
    [ZW_PLAIN_ACCEPT_USER] = do_accept_user,
    [ZW_PLAIN_SEND_WELCOME] = do_send_welcome,
    [ZW_PLAIN_SEND_READY] = do_send_ready,
    [ZW_PLAIN_SEND_ERROR] = do_send_error,
    [ZW_PLAIN_REFUSE_ROLE] = zw_mech_refuse_role,
    [ZW_PLAIN_REFUSE_CREDENTIALS] = zw_mech_refuse_zap,
    [ZW_PLAIN_GIVE_UP] = zw_mech_give_up,
    [ZW_PLAIN_DONE] = zw_mech_done,
    [ZW_PLAIN_FAIL] = zw_mech_fail,
    [ZW_PLAIN_OUT_OF_PLACE] = zw_mech_out_of_place,    /* plain.handshake.order */
};

/* The role's machine: the socket's configuration (DECISIONS S1). */
static zw_mech_outcome
run (zw_mechanism *m, int event, const zw_mech_command *cmd, const zw_zap_answer *answer)
{
    return zw_mechanism_run (m, m->config.as_server ? zw_plain_server_step : zw_plain_client_step,
                             actions, event, cmd, answer);
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
    return run (m, zw_mechanism_zap_event (answer, ZW_PLAIN_ZAP_OK, ZW_PLAIN_ZAP_DENIED,
                                           ZW_PLAIN_ZAP_UNAVAILABLE), NULL, answer);
}

static void
plain_fini (zw_mechanism *m)
{
    memset (m->state, 0, sizeof (plain_state));
}

const zw_mechanism_ops zw_mech_plain = {
    .name = "PLAIN",
    .order_clause = "plain.handshake.order",
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
