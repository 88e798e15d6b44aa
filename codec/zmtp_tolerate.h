/*  zmtp_tolerate.h — what a decoder may read past, when its caller asks.

    The codecs are strict by default: every rule of the grammar is checked,
    and input that breaks one is an error.  Many of those rules bind only the
    sender of the octets (spec/README.md, "Who a clause binds"): a receiver
    that reads past them still conforms.  Each bit below names one such
    rule; a caller passes the bits it wants to the decoder right after init
    (zw_zmtp_greeting_tolerate, zw_zmtp_frame_tolerate,
    zw_zmtp_command_tolerate, zw_zmtp_metadata_tolerate).  A decoder ignores
    the bits that are not about it.  The grammars name each tolerance where
    the rule stands (the codec's *_grammar.rl files), so a grammar stays the one source
    of what is read, strict or not.

    The reference peer switches them on only in its lenient variants
    (reference/core/zw_fault.c), which prove that the conformance suite
    never accuses a peer for doing what the RFCs allow; the last bit,
    ZW_ZMTP_TOLERATE_CURVE_PADDING, reads past a receiver's rule, and only
    the fault curve-padding-unchecked asks for it, to prove that the suite
    catches a server that does.  */

#ifndef ZW_ZMTP_TOLERATE_H
#define ZW_ZMTP_TOLERATE_H

typedef enum {
    /*  Greeting: major version 0 after a signature is an older peer, read
        as 2.0, which 15/ZMTP takes a peer with a signature to be at least
        (zmtp31.version.downgrade; zmtp31.version.downgrade-or-close only
        forbids going on in 3.x).  */
    ZW_ZMTP_TOLERATE_MAJOR_ZERO = 1 << 0,
    /*  Greeting: as-server 1 with NULL (zmtp31.null.as-server-zero binds
        the sender).  */
    ZW_ZMTP_TOLERATE_AS_SERVER = 1 << 1,
    /*  Frames: reserved flag bits set, read as if clear
        (zmtp31.frame.flags-reserved, zmtp20.frame.flags-reserved).  */
    ZW_ZMTP_TOLERATE_RESERVED_FLAGS = 1 << 2,
    /*  Frames: MORE on a command frame, read as absent
        (zmtp31.frame.command-no-more).  */
    ZW_ZMTP_TOLERATE_COMMAND_MORE = 1 << 3,
    /*  Commands: a name of any octets, or of none (zmtp31.command.name):
        the command of an unknown name.  */
    ZW_ZMTP_TOLERATE_COMMAND_NAME = 1 << 4,
    /*  Commands: a PING or PONG context over 16 octets, of which the first
        16 are kept (zmtp31.command.ping, zmtp31.command.pong).  */
    ZW_ZMTP_TOLERATE_LONG_CONTEXT = 1 << 5,
    /*  Metadata: an empty property name or one of any octets
        (zmtp31.metadata.name), a value size of 2^31 or more
        (zmtp31.metadata.value-size), and a last property cut short by the
        end of the list, which is dropped.  */
    ZW_ZMTP_TOLERATE_METADATA = 1 << 6,
    /*  Commands: a CURVE HELLO whose padding is not all zero, read as if it
        were (curve.hello.padding).  The one bit that is no leniency: the
        server MUST validate the padding and reject such a HELLO
        (curve.server.check-hello, curve.server.reject-bad-hello, DECISIONS
        #13).  Only the deliberate fault curve-padding-unchecked asks for
        it.  */
    ZW_ZMTP_TOLERATE_CURVE_PADDING = 1 << 7
} zw_zmtp_tolerance;

#endif
