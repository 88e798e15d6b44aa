/*  mdp_client_session.h — the Majordomo client's session, as an event
    machine (mdp_client_session.rl; grammar with a clause on every
    transition in mdp_client_session_grammar.rl; diagram in make docs).

    idle --REQUEST--> waiting --(PARTIAL)*--> FINAL --> idle; in waiting,
    the reply timeout resends on a new socket (TIMEOUT) until no retry is
    left (GIVE_UP --> idle).  One request at a time (REQ-like, whatever the
    socket).  The client core (mdp_client.c) turns what the broker sends
    and what its clock sees into events, steps the machine, and runs the
    actions it returns, in the grammar's order, through its own table of
    functions.  The machine keeps no data: its whole state is cs.  */

#ifndef MDP_CLIENT_SESSION_H
#define MDP_CLIENT_SESSION_H

#include <stddef.h>

/* Events (explicit values: the grammar imports them, alphtype int). */
enum {
    MDP_CS_REQUEST = 1,         /* the application asks: a service and body frames */
    MDP_CS_PARTIAL = 2,         /* 0.2 PARTIAL naming the outstanding request's service */
    MDP_CS_FINAL = 3,           /* 0.1 REPLY or 0.2 FINAL naming the outstanding request's service */
    MDP_CS_STRAY = 4,           /* a reply naming another service, or with none outstanding */
    MDP_CS_UNEXPECTED = 5,      /* 0.2 REQUEST from the broker: a command only clients send */
    MDP_CS_INVALID = 6,         /* malformed, or not an MDP/Client message of this version */
    MDP_CS_TIMEOUT = 7,         /* no reply within the timeout; a retry is left */
    MDP_CS_GIVE_UP = 8          /* no reply within the timeout; no retry is left */
};

/* Actions, run in the order the grammar lists them. */
typedef enum {
    MDP_CA_KEEP = 1,            /* the request becomes the outstanding one; attempts from 0 */
    MDP_CA_SEND,                /* the request on the socket, in the client version; timer armed */
    MDP_CA_REFUSE,              /* one request at a time: the new one is refused (EBUSY) */
    MDP_CA_RESTART_TIMER,       /* a PARTIAL shows the broker alive (M2-7) */
    MDP_CA_DELIVER_PARTIAL,     /* to the application */
    MDP_CA_DELIVER_FINAL,       /* to the application: the answer */
    MDP_CA_DELIVER_TIMEOUT,     /* to the application: no answer after every retry */
    MDP_CA_RETRY,               /* counted and logged */
    MDP_CA_RECONNECT,           /* close the socket, open a new one, connect (Lazy Pirate) */
    MDP_CA_FORGET,              /* no request outstanding; no deadline */
    MDP_CA_LOG_GAVE_UP,
    MDP_CA_LOG_STRAY,           /* a reply the client is not waiting for (M2-19) */
    MDP_CA_LOG_UNEXPECTED,
    MDP_CA_LOG_INVALID          /* a malformed message, with its clause */
} mdp_client_action;

#define MDP_CS_ACTIONS_MAX 6

typedef struct {
    int cs;
} mdp_client_session;

void mdp_client_session_init (mdp_client_session *session);

/*  Steps the machine by one event; writes the actions to run into
    actions[] (at most MDP_CS_ACTIONS_MAX) and returns how many.  An event
    the state does not take returns 0 and changes nothing (the core never
    gives one: every state names every event it can be given).  */
size_t mdp_client_session_step (mdp_client_session *session, int event, mdp_client_action *actions);

/* 1 while a request is outstanding (the machine is in waiting). */
int mdp_client_session_waiting (const mdp_client_session *session);

#endif
