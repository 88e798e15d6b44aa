/*  flp_frame_class.h — the classes a Freelance frame falls into, the
    alphabet of the message grammar (flp_message_grammar.rl imports them;
    alphtype int).  */

#ifndef ZW_FLP_FRAME_CLASS_H
#define ZW_FLP_FRAME_CLASS_H

enum {
    ZW_FLPF_PING = 1,           /* exactly the four octets PING */
    ZW_FLPF_PONG = 2,           /* exactly the four octets PONG */
    ZW_FLPF_OTHER = 3           /* any other frame, empty included */
};

#endif
