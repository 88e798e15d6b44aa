/*  flp_client_session.h — the Freelance client's request, as an event
    machine (flp_client_session.rl; grammar with a clause on every
    transition in flp_client_session_grammar.rl; diagram in make docs).

    idle --REQUEST--> waiting (an attempt out to one live server)
    --ANSWER--> idle; with no reply within the timeout the request goes to
    the next live server (TIMEOUT), until no attempt is left (GIVE_UP -->
    idle).  With no live server to send to, it waits for one (searching)
    up to liveness x ping interval (NO_SERVER --> idle).  One request at a
    time.  The client core (flp_client.c) turns what the servers send and
    what its clock sees into events, steps the machine, and runs the
    actions it returns, in the grammar's order, through its own table of
    functions.  The machine keeps no data: its whole state is cs.  */

#ifndef FLP_CLIENT_SESSION_H
#define FLP_CLIENT_SESSION_H

#include <stddef.h>

/* Events (explicit values: the grammar imports them, alphtype int). */
enum {
    FLP_CS_REQUEST = 1,         /* the application asks; a server is live */
    FLP_CS_REQUEST_NO_SERVER = 2, /* the application asks; no server is live */
    FLP_CS_ANSWER = 3,          /* a reply carrying the outstanding request's CCF, from any server */
    FLP_CS_STALE = 4,           /* a reply carrying another CCF, or with no request outstanding */
    FLP_CS_INVALID = 5,         /* a malformed message (not a PONG, not a reply) */
    FLP_CS_SERVER_LIVE = 6,     /* a server has just become live */
    FLP_CS_TIMEOUT = 7,         /* no reply within the timeout; an attempt is left, a server live */
    FLP_CS_TIMEOUT_NO_SERVER = 8, /* no reply within the timeout; an attempt is left, no server live */
    FLP_CS_GIVE_UP = 9,         /* no reply within the timeout; no attempt is left */
    FLP_CS_NO_SERVER = 10       /* no server became live within liveness x ping interval */
};

/* Actions, run in the order the grammar lists them. */
typedef enum {
    FLP_CA_KEEP = 1,            /* the request becomes the outstanding one, with the next CCF */
    FLP_CA_SEND,                /* to the live server whose turn it is; the attempt's timeout starts */
    FLP_CA_SEARCH,              /* wait for a live server, up to liveness x ping interval */
    FLP_CA_REFUSE,              /* one request at a time: the new one is refused (EBUSY) */
    FLP_CA_RETRY,               /* counted and logged: the attempt timed out */
    FLP_CA_FORGET,              /* no request outstanding; no deadline */
    FLP_CA_DELIVER_ANSWER,      /* to the application: the reply body */
    FLP_CA_DELIVER_TIMED_OUT,   /* to the application: no reply after every attempt */
    FLP_CA_DELIVER_NO_SERVER,   /* to the application: no server live */
    FLP_CA_LOG_GAVE_UP,         /* naming the servers tried */
    FLP_CA_LOG_NO_SERVER,       /* naming the servers tried and the state of each */
    FLP_CA_LOG_STALE,           /* a reply the client is not waiting for (F9) */
    FLP_CA_LOG_INVALID          /* a malformed message, with its clause */
} flp_client_action;

#define FLP_CS_ACTIONS_MAX 4

typedef struct {
    int cs;
} flp_client_session;

void flp_client_session_init (flp_client_session *session);

/*  Steps the machine by one event; writes the actions to run into
    actions[] (at most FLP_CS_ACTIONS_MAX) and returns how many.  An event
    the state does not take returns 0 and changes nothing (the core never
    gives one: every state names every event it can be given).  */
size_t flp_client_session_step (flp_client_session *session, int event, flp_client_action *actions);

/* 1 while a request is outstanding (waiting or searching). */
int flp_client_session_busy (const flp_client_session *session);

#endif
