/*  mdp_fault.h — deliberate variants of the Majordomo reference roles, to
    prove the MDP suite both ways (as reference/core/zw_fault.h does for
    ZMTP).  A fault is a small, named departure from RFC 7, 18 or 8; a
    lenient variant departs from zwire's own choices the way the RFCs
    allow.  Both are off unless the environment names them:

        ZWIRE_FAULT=mdp-mmi-always-found zwire mdp broker --bind ...
        ZWIRE_LENIENT=mdp-most-recently-used zwire mdp broker --bind ...

    `make mutation` reads the table in mdp_fault.c (name, kind, clause,
    role) and runs the role's suite once per variant: each fault must turn
    a case worse, no lenient variant may draw a FAIL.  The environment is
    read once, at the first check.  */

#ifndef MDP_FAULT_H
#define MDP_FAULT_H

typedef enum {
    MDP_FAULT_MMI_CHECKS_IDENTITY = 0,  /* the mmi. test reads the worker identity, not READY's service */
    MDP_FAULT_MMI_ALWAYS_FOUND,         /* mmi.service answers 200 for any name */
    MDP_FAULT_MMI_FORWARDED,            /* mmi. requests queue like any service */
    MDP_FAULT_REPLY_TO_LAST_CLIENT,     /* an answer goes to the client that asked last */
    MDP_LENIENT_MOST_RECENTLY_USED,     /* lenient: a freed worker goes first, not last */
    MDP_FAULT_NO_EXPIRY,                /* silent workers are never taken for gone */
    MDP_FAULT_BUSY_NO_HEARTBEAT,        /* busy workers get no HEARTBEAT */
    MDP_FAULT_NO_HEARTBEAT,             /* no HEARTBEAT to anyone */
    MDP_FAULT_UNEXPECTED_IGNORED,       /* a valid but unexpected command gets no DISCONNECT */
    MDP_FAULT_ANSWER_DISCONNECT,        /* a worker DISCONNECT is answered with DISCONNECT */
    MDP_FAULT_HEARTBEAT_AFTER_DISCONNECT, /* a worker told DISCONNECT still gets HEARTBEATs */
    MDP_FAULT_REPLY_NO_EMPTY_FRAME,     /* a 0.1 REPLY to a client without its leading empty frame */
    MDP_FAULT_HEARTBEAT_EXTRA_FRAME,    /* HEARTBEAT with one frame too many */
    MDP_FAULT_REQUEST_TWO_ADDRESSES,    /* REQUEST carries the client address twice */
    MDP_FAULT_REPLY_EMPTY_SERVICE,      /* the service frame of an answer is empty */
    MDP_FAULT_FINAL_TWICE,              /* a 0.2 FINAL is sent twice */
    MDP_FAULT_DROP_UNKNOWN_SERVICE,     /* a request for a service with no worker is dropped at once */
    MDP_LENIENT_NO_REQUEUE,             /* lenient: a lost worker's request is dropped, not resent */
    /* the worker */
    MDP_FAULT_WORKER_NO_HEARTBEAT,      /* never sends HEARTBEAT */
    MDP_FAULT_WORKER_READY_TWICE,       /* READY twice on each connection */
    MDP_FAULT_WORKER_NO_RECONNECT,      /* after DISCONNECT or silence, never connects again */
    MDP_FAULT_WORKER_WRONG_ADDRESS,     /* answers name a client address one octet longer */
    MDP_FAULT_WORKER_NO_DELIMITER,      /* answers without the empty frame after the address */
    MDP_LENIENT_WORKER_RECONNECT_AT_ONCE, /* lenient: no delay before connecting again */
    /* the client */
    MDP_FAULT_CLIENT_NO_EMPTY_FRAME,    /* a 0.1 request without its empty frame 0 */
    MDP_FAULT_CLIENT_WRONG_CODE,        /* a 0.2 request with the code of PARTIAL */
    MDP_FAULT_CLIENT_PARTIAL_ENDS,      /* a PARTIAL is taken for the whole answer */
    MDP_LENIENT_CLIENT_NO_RETRY,        /* lenient: gives up at the first timeout */
    MDP_FAULT_COUNT
} mdp_fault_id;

/* 1 if the environment switched the fault on. */
int mdp_fault_on (mdp_fault_id fault);

#endif
