/*  zap_frame_class.h — the classes a ZAP frame falls into, the alphabet of
    the message grammar (zap_message_grammar.rl imports them; alphtype int).
    The classifier (zap_message.rl) gives each frame exactly one class, the
    first that fits in this order: the empty frame, the words the layouts
    name ("1.0", the four status codes, the three mechanism names), then by
    size and octets.  A string (zap.strings.ascii) is 0 to 255 octets, each
    0x00..0x7F: EMPTY, the words, TEXT and TEXT32 are strings, the others
    are not.  32 octets get classes of their own because a CURVE key is any
    32 octets (zap.curve.credentials), ASCII or not.  */

#ifndef ZW_ZAP_FRAME_CLASS_H
#define ZW_ZAP_FRAME_CLASS_H

enum {
    ZW_ZAPF_EMPTY = 1,          /* zero octets */
    ZW_ZAPF_VERSION = 2,        /* the three octets 1.0 */
    ZW_ZAPF_S200 = 3,           /* the status codes, three octets each */
    ZW_ZAPF_S300 = 4,
    ZW_ZAPF_S400 = 5,
    ZW_ZAPF_S500 = 6,
    ZW_ZAPF_NULL = 7,           /* the mechanism names of 27/ZAP */
    ZW_ZAPF_PLAIN = 8,
    ZW_ZAPF_CURVE = 9,
    ZW_ZAPF_TEXT = 10,          /* any other string: 1..255 octets of 0x00..0x7F, not 32 */
    ZW_ZAPF_TEXT32 = 11,        /* 32 octets, each 0x00..0x7F */
    ZW_ZAPF_BINARY32 = 12,      /* 32 octets, one of them 0x80 or above */
    ZW_ZAPF_BINARY = 13,        /* 1..255 octets, one of them 0x80 or above, not 32 */
    ZW_ZAPF_LONG = 14           /* more than 255 octets */
};

#endif
