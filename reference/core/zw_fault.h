/*  zw_fault.h — deliberate faults, to prove the conformance suite bites.

    Every fault is a small, named departure from the RFCs, compiled into the
    reference peer and off unless the environment asks for it:

        ZWIRE_FAULT=no-pong,pub-no-filter zwire adapter

    `make mutation` runs the suite once per fault and checks that each one
    turns at least one case worse than on the fault-free peer.  The names
    and what each breaks are in zw_fault.c, whose table `make mutation`
    reads.  zw_ctx_new reads the environment once (zw_fault_init); the checks
    on the send and receive paths are an inline bit test.  */

#ifndef ZW_FAULT_H
#define ZW_FAULT_H

typedef enum {
    ZW_FAULT_BAD_SIGNATURE = 0,
    ZW_FAULT_WRONG_MAJOR,
    ZW_FAULT_MECHANISM_LOWERCASE,
    ZW_FAULT_AS_SERVER_ONE,
    ZW_FAULT_FILLER_NONZERO,
    ZW_FAULT_READY_NO_SOCKET_TYPE,
    ZW_FAULT_SOCKET_TYPE_LOWERCASE,
    ZW_FAULT_ACCEPT_ANY_SOCKET_TYPE,
    ZW_FAULT_NO_ERROR_BEFORE_CLOSE,
    ZW_FAULT_PONG_NO_CONTEXT,
    ZW_FAULT_NO_PONG,
    ZW_FAULT_LONG_FLAG_SHORT_SIZE,
    ZW_FAULT_MORE_ON_LAST_FRAME,
    ZW_FAULT_COMMAND_WITH_MORE,
    ZW_FAULT_ACCEPT_OTHER_MECHANISM,
    ZW_FAULT_IGNORE_CANCEL,
    ZW_FAULT_PUB_NO_FILTER,
    ZW_FAULT_REQ_NO_DELIMITER,
    ZW_FAULT_ROUTER_NO_IDENTITY,
    ZW_FAULT_MESSAGE_BEFORE_READY_ACCEPTED,
    ZW_FAULT_COUNT
} zw_fault;

/* The faults switched on, a bit each; 0 until zw_fault_init has run. */
extern unsigned long zw_fault_mask;

/* Reads ZWIRE_FAULT (a comma-separated list of names) into zw_fault_mask. */
void zw_fault_init (void);

/* 1 if the fault is switched on. */
static inline int
zw_fault_on (zw_fault fault)
{
    return (zw_fault_mask >> fault) & 1;
}

#endif
