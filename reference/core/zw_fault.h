/*  zw_fault.h — deliberate variants of the reference peer, to prove the
    conformance suite both ways: that it bites, and that it never accuses
    falsely.

    A fault is a small, named departure from the RFCs; a lenient variant is
    a departure from zwire's own choices that the RFCs allow (tolerating
    input whose rule binds only its sender, say: most of them switch on a
    tolerance of the codecs, codec/zmtp_tolerate.h).  Both are compiled into
    the reference peer and off unless the environment asks for them:

        ZWIRE_FAULT=no-pong,pub-no-filter zwire adapter
        ZWIRE_LENIENT=message-before-ready zwire adapter

    `make mutation` runs the suite once per variant: each fault must turn
    at least one case worse than on the plain peer, and no lenient variant
    may draw a single FAIL.  The names, their kind and the clause each is
    about are in zw_fault.c, whose table `make mutation` reads.  zw_ctx_new
    reads the environment once (zw_fault_init); the checks on the send and
    receive paths are an inline bit test.  The CurveZMQ layer, which is
    linked alone into the vector tools, never reads this mask: its variants
    come to each connection's context as departure bits
    (zw_fault_curvezmq, zw_curvezmq_depart), as the codecs' come as
    tolerance bits.  */

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
    /* security: the CURVE and PLAIN mechanisms, the CurveZMQ layer, ZAP */
    ZW_FAULT_CURVE_NONCE_REUSE,
    ZW_FAULT_CURVE_NONCE_UNCHECKED,
    ZW_FAULT_CURVE_VOUCH_UNCHECKED,
    ZW_FAULT_CURVE_COOKIE_UNCHECKED,
    ZW_FAULT_CURVE_PADDING_UNCHECKED,
    ZW_FAULT_ZAP_SKIPPED,
    ZW_FAULT_CURVE_CLIENT_ERROR,
    ZW_FAULT_CURVE_MESSAGE_RESERVED_FLAG,
    ZW_FAULT_PLAIN_READY_BEFORE_INITIATE,
    ZW_FAULT_PLAIN_INITIATE_BEFORE_WELCOME,
    /* lenient variants (ZWIRE_LENIENT) */
    ZW_LENIENT_MESSAGE_BEFORE_READY,
    ZW_LENIENT_ERROR_AFTER_READY_IGNORED,
    ZW_LENIENT_READY_TWICE_IGNORED,
    ZW_LENIENT_ANY_IDENTITY,
    ZW_LENIENT_RESERVED_FLAGS_IGNORED,
    ZW_LENIENT_COMMAND_MORE_IGNORED,
    ZW_LENIENT_ANY_COMMAND_NAME,
    ZW_LENIENT_NULL_AS_SERVER_ONE,
    ZW_LENIENT_READY_UNVALIDATED,
    ZW_LENIENT_LONG_PING_CONTEXT,
    ZW_LENIENT_MAJOR_ZERO_DOWNGRADE,
    ZW_LENIENT_CURVE_COMMAND_FRAME_MESSAGE,
    ZW_LENIENT_CURVE_NO_ERROR_BAD_HELLO,
    ZW_LENIENT_CURVE_AUTH_FAIL_CLOSE,
    ZW_LENIENT_PLAIN_REFUSE_CLOSE,
    ZW_LENIENT_CURVE_NONCE_STEP_TWO,
    ZW_FAULT_COUNT
} zw_fault;

/* The variants switched on, a bit each; 0 until zw_fault_init has run. */
extern unsigned long long zw_fault_mask;

/*  Reads ZWIRE_FAULT and ZWIRE_LENIENT (comma-separated lists of names, each
    of its own kind) into zw_fault_mask.  */
void zw_fault_init (void);

/*  The codec tolerances (ZW_ZMTP_TOLERATE_* bits, codec/zmtp_tolerate.h)
    that the variants switched on ask for (the lenient ones, and the fault
    curve-padding-unchecked); 0 when none is on.  */
unsigned zw_fault_tolerances (void);

/*  The departures of the CurveZMQ layer (ZW_CURVEZMQ_DEPART_* bits,
    zw_curvezmq.h) that the variants switched on ask for; 0 when none is
    on.  The CURVE mechanism hands them to each connection's context.  */
unsigned zw_fault_curvezmq (void);

/* 1 if the fault is switched on. */
static inline int
zw_fault_on (zw_fault fault)
{
    return (zw_fault_mask >> fault) & 1;
}

#endif
