/*  flp_fault.h — deliberate variants of the Freelance reference roles, to
    prove the FLP suite both ways (reference/roles/role_fault.h).  A fault
    is a small, named departure from RFC 10; a lenient variant departs from
    zwire's own choices the way the RFC allows.  Both are off unless the
    environment names them:

        ZWIRE_FAULT=flp-server-no-pong zwire fl server --bind ...
        ZWIRE_LENIENT=flp-client-no-ping zwire fl client --connect ...

    `make mutation` reads the table in flp_fault.c (name, kind, clause,
    role) and runs the role's suite once per variant: each fault must turn
    a case worse, no lenient variant may draw a FAIL.  */

#ifndef FLP_FAULT_H
#define FLP_FAULT_H

typedef enum {
    /* the server */
    FLP_FAULT_SERVER_NO_PONG = 0,       /* a PING gets no answer */
    FLP_FAULT_SERVER_PONG_EXTRA_FRAME,  /* PONG with one empty frame after it */
    FLP_FAULT_SERVER_CCF_CHANGED,       /* the reply's CCF has its last octet flipped (an empty one gets "x") */
    FLP_FAULT_SERVER_REPLY_NO_BODY,     /* the reply is the CCF alone */
    FLP_FAULT_SERVER_WRONG_IDENTITY,    /* the identity is the endpoint with "/x" after it */
    FLP_FAULT_SERVER_DEALER,            /* a DEALER socket, not a ROUTER */
    FLP_LENIENT_SERVER_REPLY_TWICE,     /* lenient: each reply is sent twice (DECISIONS F7) */
    FLP_LENIENT_SERVER_PONG_ANY_ONE_FRAME, /* lenient: any one-frame message gets a PONG (F5) */
    /* the client */
    FLP_FAULT_CLIENT_STALE_REPLY,       /* takes any reply for the current request, whatever its CCF */
    FLP_FAULT_CLIENT_IDENTITY,          /* sets an identity on its socket */
    FLP_FAULT_CLIENT_DEALER,            /* a DEALER socket per server, not one ROUTER */
    FLP_FAULT_CLIENT_PING_LOWERCASE,    /* pings with "ping" */
    FLP_FAULT_CLIENT_REQUEST_NO_BODY,   /* a request is the CCF alone */
    FLP_FAULT_CLIENT_NO_LIVENESS,       /* never takes a silent server for gone */
    FLP_LENIENT_CLIENT_NO_PING,         /* lenient: never pings; servers in order, by timeout */
    FLP_LENIENT_CLIENT_LIVENESS_TWO,    /* lenient: a server is gone after 2 silent intervals, not 3 */
    FLP_LENIENT_CLIENT_CCF_RANDOM,      /* lenient: the CCF is 8 random octets, not a counter */
    FLP_FAULT_COUNT
} flp_fault_id;

/* 1 if the environment switched the variant on (read once, at the first call). */
int flp_fault_on (flp_fault_id fault);

#endif
