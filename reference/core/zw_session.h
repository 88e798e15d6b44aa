/*  zw_session.h — the ZMTP connection lifecycle as an event machine.

    The session machine (zw_session.rl, grammar in zw_session_grammar.rl)
    is the single source of the order of things on a connection: which
    greeting to finish sending once the peer's version is known, when the
    mechanism's handshake starts and what its end does, when the
    connection counts as up, which commands are welcome in which state,
    and what closes it.  The handshake itself is the mechanism's own
    machine (zw_mechanism.h): the session starts it (ZW_DO_START_HANDSHAKE)
    and is told its end (ZW_SEV_HANDSHAKE_DONE, ZW_SEV_HANDSHAKE_FAILED).
    It does no I/O and keeps no data: the engine (zw_engine.c) turns what
    it decodes, what the mechanism concludes and what its timers see into
    events, steps the machine, and performs the actions it returns.

    Events and actions are plain codes so that the Ragel grammar can name
    them (alphtype int; imported from this header, explicit values).  A
    step returns a set of ZW_DO_* bits; an event the current state does not
    allow returns ZW_DO_REFUSE | ZW_DO_CLOSE (a protocol violation) and
    leaves the machine closed.  */

#ifndef ZW_SESSION_H
#define ZW_SESSION_H

/* Events, in the order a connection usually sees them. */
enum {
    ZW_SEV_PEER_V3 = 1,         /* the peer's octet 10 says 3.x */
    ZW_SEV_PEER_V2 = 2,         /* the peer is a 2.0 peer */
    ZW_SEV_PEER_V1 = 3,         /* the peer is a 1.0 peer */
    ZW_SEV_GREETING = 4,        /* the peer's whole greeting is in and acceptable */
    ZW_SEV_HANDSHAKE_DONE = 5,  /* the mechanism's handshake is over, the peer accepted */
    ZW_SEV_HANDSHAKE_FAILED = 6,    /* it failed (the mechanism sent ERROR if it does so;
                                       the engine has the reason) */
    ZW_SEV_MESSAGE = 7,         /* a whole message (its last frame is in) */
    ZW_SEV_PING = 8,
    ZW_SEV_PONG = 9,
    ZW_SEV_SUBSCRIBE = 10,
    ZW_SEV_CANCEL = 11,
    ZW_SEV_ERROR = 12,          /* the peer sent an ERROR command */
    ZW_SEV_OTHER_COMMAND = 13,  /* a command of no meaning after the handshake */
    ZW_SEV_HEARTBEAT_DUE = 14,  /* time to send a PING */
    ZW_SEV_TIMEOUT = 15,        /* handshake or heartbeat timer expired */
    ZW_SEV_BAD_INPUT = 16,      /* the decoders found a violation */
    ZW_SEV_EOF = 17,            /* the peer closed its side */
    ZW_SEV_CLOSE = 18,          /* the local side closes */
    ZW_SEV_HANDSHAKE_COMMAND = 19   /* a command of the handshake (READY) after it */
};

/* Actions: bits of a step's result, performed by the engine in this order. */
enum {
    ZW_DO_SEND_GREETING_V3 = 0x001, /* the 3.x greeting after octet 10 */
    ZW_DO_SEND_GREETING_V2 = 0x002, /* the 2.0 greeting after octet 10 */
    ZW_DO_START_HANDSHAKE = 0x004,  /* the mechanism's handshake begins */
    ZW_DO_ATTACH = 0x008,           /* the connection is up: hand it to the socket */
    ZW_DO_DELIVER = 0x010,          /* pass the message to the socket */
    ZW_DO_SEND_PONG = 0x020,
    ZW_DO_SEND_PING = 0x040,
    ZW_DO_SUBSCRIBE = 0x080,        /* pass the subscription to the socket */
    ZW_DO_CANCEL = 0x100,
    ZW_DO_REFUSE = 0x200,           /* the event broke the protocol: record why */
    ZW_DO_CLOSE = 0x400
};

typedef enum {
    ZW_PHASE_GREETING = 0, ZW_PHASE_HANDSHAKE, ZW_PHASE_ACTIVE, ZW_PHASE_CLOSED
} zw_session_phase;

typedef struct {
    int cs;
    zw_session_phase phase;
} zw_session;

void zw_session_init (zw_session *session);

/* Steps the machine with one event; returns the actions (ZW_DO_* bits). */
unsigned zw_session_step (zw_session *session, int event);

/* 1 once the machine is closed (normally or by a refusal). */
int zw_session_closed (const zw_session *session);

/* 1 while the connection is up (messages may flow). */
int zw_session_active (const zw_session *session);

/* The name of the current state, for logs: "greeting", "handshake", ... */
const char *zw_session_state_name (const zw_session *session);

#endif
