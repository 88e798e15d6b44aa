/*  zw_mech_curve.c — the CURVE security mechanism (25/ZMTP-CURVE,
    26/CurveZMQ) on the interface of zw_mechanism.h, with its ZAP request
    (27/ZAP).

    The handshake is one machine per role (zw_curve_handshake.h); every
    box is made and opened by zw_curvezmq.h, on libsodium.  A command is
    opened before the machine steps, so that its event says whether it
    opened; one that comes before its turn is not opened at all (the
    CurveZMQ layer keeps its own phase, which the check below reads).
    After the handshake every frame goes in a MESSAGE (ops->encode,
    ops->decode), its flags inside the box, a 3.1 command with bit 1
    (DECISIONS S7); the MESSAGE itself goes in a data frame with flags 0,
    as libzmq 4.3.4 sends it and as the only form it takes, and is read
    from a data or a command frame alike (DECISIONS S11).

    The peer's identity (m->auth, DECISIONS S8): on a server the client's
    permanent key C, with ZAP's user id after a 200; on a client the
    server's key S.  */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "zmtp_frame.h"
#include "zw_curvezmq.h"
#include "zw_fault.h"
#include "zw_curve_client.h"
#include "zw_curve_server.h"

typedef struct {
    zw_curvezmq_ctx box;                /* keys, nonces, cookie: the CurveZMQ layer */
    uint8_t *scratch;                   /* boxes going out, plaintext coming in */
    size_t scratch_cap;
} curve_state;

static curve_state *
state_of (zw_mechanism *m)
{
    return m->state;
}

/* Room for size octets in the scratch buffer, or NULL. */
static uint8_t *
scratch (curve_state *st, size_t size)
{
    if (size > st->scratch_cap) {
        uint8_t *grown = realloc (st->scratch, size);
        if (!grown)
            return NULL;
        st->scratch = grown;
        st->scratch_cap = size;
    }
    return st->scratch;
}

/*  A failure recorded with its own words: the CurveZMQ layer's error, or
    ours; the reason is copied, since the log reads it after the call.  */
static void
fail_with (zw_mechanism *m, const zw_error *why)
{
    snprintf (m->refusal, sizeof m->refusal, "%s", why->reason ? why->reason : "refused");
    m->error = (zw_error) { why->code, why->offset, why->clause, m->refusal };
}

/* Our own side could not make a command (memory, libsodium): a failure, not the peer's. */
static int
local_failure (zw_mech_step *s, const char *what)
{
    const zw_error *why = zw_curvezmq_error (&state_of (s->m)->box);
    fail_with (s->m, &(zw_error) { ZW_OK, 0, why ? why->clause : NULL, what });
    s->outcome = ZW_MECH_FAILED;
    return 0;
}

/* Our metadata's pieces and their total size. */
static int
our_metadata (zw_mechanism *m, struct iovec *pieces, size_t *total)
{
    int count = m->host.metadata (m->host.engine, pieces);
    *total = 0;
    for (int i = 0; i < count; i++)
        *total += pieces[i].iov_len;
    return count;
}

/* --- the actions ---------------------------------------------------------------------- */

static int
do_send_hello (zw_mech_step *s)
{
    zw_zmtp_command hello;
    if (zw_curvezmq_client_hello (&state_of (s->m)->box, &hello))
        return local_failure (s, "could not make HELLO");
    return zw_mechanism_send (s->m, &hello, NULL, 0);
}

static int
do_send_initiate (zw_mech_step *s)
{
    curve_state *st = state_of (s->m);
    struct iovec metadata[ZW_MECH_METADATA_PIECES];
    size_t total, box_size;
    int count = our_metadata (s->m, metadata, &total);
    size_t cap = ZW_CURVEZMQ_INITIATE_BOX_MIN + total;
    zw_zmtp_command initiate;
    uint8_t *box = scratch (st, cap);
    if (!box || zw_curvezmq_client_initiate (&st->box, metadata, count, &initiate, box, cap,
                                             &box_size))
        return local_failure (s, "could not make INITIATE");
    return zw_mechanism_send (s->m, &initiate, &(struct iovec) { box, box_size }, 1);
}

static int
do_send_welcome (zw_mech_step *s)
{
    zw_zmtp_command welcome;
    if (zw_curvezmq_server_welcome (&state_of (s->m)->box, &welcome))
        return local_failure (s, "could not make WELCOME");
    return zw_mechanism_send (s->m, &welcome, NULL, 0);
}

/* 27/ZAP "The CURVE Mechanism": the credential is the client's 32-octet key. */
static int
do_ask_zap (zw_mech_step *s)
{
    struct iovec key = { state_of (s->m)->box.client_key, ZW_CURVE_KEY_SIZE };
    int asked = s->m->host.zap_request (s->m->host.engine, &key, 1);
    if (asked == 0)
        s->next_event = ZW_CURVE_NO_HANDLER;
    return asked < 0 ? -1 : 0;
}

/* DECISIONS S8: C is the peer; ZAP's user id after a 200. */
static int
do_accept_key (zw_mech_step *s)
{
    s->m->auth.has_public_key = 1;
    memcpy (s->m->auth.public_key, state_of (s->m)->box.client_key, ZW_CURVE_KEY_SIZE);
    return zw_mech_accept_zap_user (s);
}

static int
do_send_ready (zw_mech_step *s)
{
    curve_state *st = state_of (s->m);
    struct iovec metadata[ZW_MECH_METADATA_PIECES];
    size_t total, box_size;
    int count = our_metadata (s->m, metadata, &total);
    size_t cap = ZW_CURVEZMQ_READY_BOX_MIN + total;
    zw_zmtp_command ready;
    uint8_t *box = scratch (st, cap);
    if (!box || zw_curvezmq_server_ready (&st->box, metadata, count, &ready, box, cap, &box_size))
        return local_failure (s, "could not make READY");
    return zw_mechanism_send (s->m, &ready, &(struct iovec) { box, box_size }, 1);
}

/*  ERROR before the close (curve.error.size).  The lenient variants
    close without it where 26/CurveZMQ asks only for a close: after a HELLO
    whose box does not open ("reject and disconnect",
    curve.server.error-optional), and after a ZAP 400 ("SHALL not respond
    except by closing the connection", curve.server.auth-fail-close).  */
static int
do_send_error (zw_mech_step *s)
{
    int bad_hello = s->cmd && s->cmd->command->id == ZW_COMMAND_HELLO;
    int denied = s->answer && s->answer->status == 400;
    if ((bad_hello && zw_fault_on (ZW_LENIENT_CURVE_NO_ERROR_BAD_HELLO))
    ||  (denied && zw_fault_on (ZW_LENIENT_CURVE_AUTH_FAIL_CLOSE)))
        return 0;
    return zw_mech_send_error (s);
}

/*  The end of a failed handshake.  A client closes without a word
    (curve.client.no-error), but for the deliberate fault
    curve-client-error, which says why in ERROR.  */
static int
do_fail (zw_mech_step *s)
{
    if (!s->m->config.as_server && zw_fault_on (ZW_FAULT_CURVE_CLIENT_ERROR)
    &&  zw_mech_send_error (s))
        return -1;
    return zw_mech_fail (s);
}

static zw_mech_action *const actions[] = {
    [ZW_CURVE_SEND_HELLO] = do_send_hello,
    [ZW_CURVE_SEND_INITIATE] = do_send_initiate,
    [ZW_CURVE_SEND_WELCOME] = do_send_welcome,
    [ZW_CURVE_ASK_ZAP] = do_ask_zap,
    [ZW_CURVE_ACCEPT_KEY] = do_accept_key,
    [ZW_CURVE_SEND_READY] = do_send_ready,
    [ZW_CURVE_SEND_ERROR] = do_send_error,
    [ZW_CURVE_REFUSE_ROLE] = zw_mech_refuse_role,
    [ZW_CURVE_REFUSE_KEY] = zw_mech_refuse_zap,
    [ZW_CURVE_GIVE_UP] = zw_mech_give_up,
    [ZW_CURVE_DONE] = zw_mech_done,
    [ZW_CURVE_FAIL] = do_fail,
    [ZW_CURVE_OUT_OF_PLACE] = zw_mech_out_of_place,    /* curve.handshake.order; a client
                                                          sends no ERROR: curve.client.no-error */
};

/* The role's machine: the socket's configuration (DECISIONS S1). */
static zw_mech_outcome
run (zw_mechanism *m, int event, const zw_mech_command *cmd, const zw_zap_answer *answer)
{
    return zw_mechanism_run (m, m->config.as_server ? zw_curve_server_step : zw_curve_client_step,
                             actions, event, cmd, answer);
}

/* --- the operations ---------------------------------------------------------------------- */

/*  A server's pair is its configuration; a client without a secret key
    makes a pair for this connection (an anonymous client: its key
    authenticates nothing beyond the connection).  */
static int
start_box (zw_mechanism *m)
{
    const zw_curve_settings *keys = m->config.settings;
    curve_state *st = state_of (m);
    zw_curvezmq_keypair pair;
    int failed = keys && keys->has_secret_key ? zw_curvezmq_keypair_from_secret (&pair,
                                                                                  keys->secret_key)
                                              : zw_curvezmq_keypair_generate (&pair);
    if (!failed && !keys)
        failed = 1;
    if (!failed)
        failed = m->config.as_server ? zw_curvezmq_server_init (&st->box, &pair)
                                     : zw_curvezmq_client_init (&st->box, &pair, keys->server_key);
    sodium_memzero (&pair, sizeof pair);
    if (!failed)
        zw_curvezmq_depart (&st->box, zw_fault_curvezmq ());     /* the variants' */
    if (!failed && !m->config.as_server) {
        m->auth.has_public_key = 1;            /* the server we were told to trust */
        memcpy (m->auth.public_key, keys->server_key, ZW_CURVE_KEY_SIZE);
    }
    return failed;
}

static zw_mech_outcome
curve_start (zw_mechanism *m)
{
    if (m->config.as_server)
        zw_curve_server_init (&m->machine);
    else
        zw_curve_client_init (&m->machine);
    if (start_box (m)) {
        fail_with (m, &(zw_error) { ZW_OK, 0, NULL, "CURVE keys missing or not usable" });
        return ZW_MECH_FAILED;
    }
    int same_role = m->peer_as_server && m->config.as_server;      /* DECISIONS S6 */
    return run (m, same_role ? ZW_CURVE_SAME_ROLE : ZW_CURVE_START, NULL, NULL);
}

/*  Opens a box of metadata (INITIATE, READY) and has the engine judge
    what it holds.  *refused tells a judgement from a box that failed.  */
static int
open_with_metadata (zw_mechanism *m, const zw_mech_command *cmd, int *refused)
{
    curve_state *st = state_of (m);
    zw_curvezmq_plain metadata;
    uint8_t *plain = scratch (st, cmd->part_size ? cmd->part_size : 1);
    int opened = plain && (cmd->command->id == ZW_COMMAND_INITIATE
        ? zw_curvezmq_server_open_initiate (&st->box, cmd->command, cmd->part, cmd->part_size,
                                            plain, cmd->part_size, &metadata)
        : zw_curvezmq_client_open_ready (&st->box, cmd->command, cmd->part, cmd->part_size,
                                         plain, cmd->part_size, &metadata)) == 0;
    *refused = 0;
    if (!opened) {
        const zw_error *why = zw_curvezmq_error (&st->box);
        fail_with (m, why ? why : &(zw_error) { ZW_OK, 0, NULL, "out of memory" });
        return -1;
    }
    *refused = m->host.judge_metadata (m->host.engine, metadata.data, metadata.size,
                                       cmd->offset, &m->error) != 0;
    return 0;
}

/* The event of a command: opened (or not) if it comes in its turn, else OTHER. */
static int
command_event (zw_mechanism *m, const zw_mech_command *cmd)
{
    curve_state *st = state_of (m);
    zw_curvezmq_phase phase = st->box.phase;
    int server = m->config.as_server, failed, refused;
    switch (cmd->command->id) {
    case ZW_COMMAND_HELLO:
        if (!server || phase != ZW_CURVEZMQ_START)
            return ZW_CURVE_OTHER;
        failed = zw_curvezmq_server_open_hello (&st->box, cmd->command);
        if (failed)
            fail_with (m, zw_curvezmq_error (&st->box));
        return failed ? ZW_CURVE_HELLO_BAD : ZW_CURVE_HELLO;
    case ZW_COMMAND_WELCOME:
        if (server || phase != ZW_CURVEZMQ_HELLO_DONE)
            return ZW_CURVE_OTHER;
        failed = zw_curvezmq_client_open_welcome (&st->box, cmd->command);
        if (failed)
            fail_with (m, zw_curvezmq_error (&st->box));
        return failed ? ZW_CURVE_WELCOME_BAD : ZW_CURVE_WELCOME;
    case ZW_COMMAND_INITIATE:
        if (!server || phase != ZW_CURVEZMQ_WELCOME_DONE)
            return ZW_CURVE_OTHER;
        failed = open_with_metadata (m, cmd, &refused);
        return failed ? ZW_CURVE_INITIATE_BAD
                      : refused ? ZW_CURVE_INITIATE_REFUSED : ZW_CURVE_INITIATE;
    case ZW_COMMAND_READY:
        if (server || phase != ZW_CURVEZMQ_INITIATE_DONE)
            return ZW_CURVE_OTHER;
        failed = open_with_metadata (m, cmd, &refused);
        return failed ? ZW_CURVE_READY_BAD : refused ? ZW_CURVE_READY_REFUSED : ZW_CURVE_READY;
    default:
        return ZW_CURVE_OTHER;
    }
}

static zw_mech_outcome
curve_command (zw_mechanism *m, const zw_mech_command *cmd)
{
    return run (m, command_event (m, cmd), cmd, NULL);
}

/* DECISIONS S4 */
static zw_mech_outcome
curve_zap_answer (zw_mechanism *m, const zw_zap_answer *answer)
{
    return run (m, zw_mechanism_zap_event (answer, ZW_CURVE_ZAP_OK, ZW_CURVE_ZAP_DENIED,
                                           ZW_CURVE_ZAP_UNAVAILABLE), NULL, answer);
}

/*  One frame after the handshake, in a MESSAGE: the frame flags go inside
    the box, MORE as bit 0, a command as bit 1 (DECISIONS S7); the MESSAGE
    in a data frame with flags 0 (DECISIONS S11), or in a command frame
    under the lenient variant curve-command-frame-message.  */
static int
curve_encode (zw_mechanism *m, unsigned flags, const struct iovec *pieces, int count)
{
    curve_state *st = state_of (m);
    size_t total = 0, size;
    for (int i = 0; i < count; i++)
        total += pieces[i].iov_len;
    uint8_t inner = (flags & ZW_ZMTP_FLAG_MORE ? ZW_CURVEZMQ_FLAG_MORE : 0)
                  | (flags & ZW_ZMTP_FLAG_COMMAND ? ZW_CURVEZMQ_FLAG_COMMAND : 0);
    uint8_t *body = total <= SIZE_MAX - ZW_CURVEZMQ_MESSAGE_OVERHEAD
                  ? scratch (st, ZW_CURVEZMQ_MESSAGE_OVERHEAD + total) : NULL;
    if (!body || zw_curvezmq_message_encode (&st->box, inner, pieces, count, body,
                                             ZW_CURVEZMQ_MESSAGE_OVERHEAD + total, &size))
        return -1;
    unsigned frame_flags = zw_fault_on (ZW_LENIENT_CURVE_COMMAND_FRAME_MESSAGE)
                         ? ZW_ZMTP_FLAG_COMMAND : 0;
    return m->host.queue_frame (m->host.engine, "MESSAGE", frame_flags,
                                &(struct iovec) { body, size }, 1);
}

/*  curve.message.check: the MESSAGE opens, its nonce is greater than the
    last, no reserved flag is set; the frame the peer meant is inside.  */
static int
curve_decode (zw_mechanism *m, zw_mech_frame *frame)
{
    curve_state *st = state_of (m);
    zw_curvezmq_plain payload;
    if (zw_curvezmq_message_decode (&st->box, frame->data, frame->size, &payload)) {
        fail_with (m, zw_curvezmq_error (&st->box));
        return -1;
    }
    frame->flags = (payload.flags & ZW_CURVEZMQ_FLAG_MORE ? ZW_ZMTP_FLAG_MORE : 0)
                 | (payload.flags & ZW_CURVEZMQ_FLAG_COMMAND ? ZW_ZMTP_FLAG_COMMAND : 0);
    frame->data = (uint8_t *) payload.data;
    frame->size = payload.size;
    return 0;
}

/*  A server that closes after our HELLO, before WELCOME, could not open
    its signature box: the usual cause is a server key that is not the
    server's (a libzmq server closes without ERROR).  */
static const char *
curve_closed_hint (const zw_mechanism *m)
{
    const curve_state *st = m->state;
    if (!m->config.as_server && st->box.phase == ZW_CURVEZMQ_HELLO_DONE)
        return "the server closed after HELLO without WELCOME: is the server key right? "
               "(curve.server.reject-bad-hello)";
    return NULL;
}

/* curve.client.transient-discard: every key and nonce wiped. */
static void
curve_fini (zw_mechanism *m)
{
    curve_state *st = state_of (m);
    zw_curvezmq_wipe (&st->box);
    if (st->scratch)
        sodium_memzero (st->scratch, st->scratch_cap);
    free (st->scratch);
    st->scratch = NULL;
}

const zw_mechanism_ops zw_mech_curve = {
    .name = "CURVE",
    .order_clause = "curve.handshake.order",
    .codec = ZW_MECHANISM_CURVE,
    .roles = 1,                 /* 25/ZMTP-CURVE: the as-server field tells them apart */
    .legacy_peers = 0,          /* zmtp31.compat.close-non-null */
    .identity = 0,              /* every frame boxed (zmtp31.wire.encrypted-commands) */
    .state_size = sizeof (curve_state),
    .frame_overhead = ZW_CURVEZMQ_MESSAGE_OVERHEAD,
    /*  curve.server.cookie-key-expiry: "The server MUST discard from its
        memory the cookie key after a short interval, for example 60
        seconds, or as soon as the client sends a valid INITIATE".  The key
        lives from WELCOME to INITIATE, inside the handshake, and goes with
        the connection: a handshake never outlasts 60 s, even with the
        socket's interval off.  */
    .handshake_max = 60000,
    .start = curve_start,
    .command = curve_command,
    .encode = curve_encode,
    .decode = curve_decode,
    .zap_answer = curve_zap_answer,
    .closed_hint = curve_closed_hint,
    .fini = curve_fini,
};
