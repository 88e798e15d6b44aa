/*  mdp_frame_class.h — the classes a Majordomo frame falls into, the
    alphabet of the message grammar (mdp_message_grammar.rl imports them;
    alphtype int).  The classifier (mdp_message.rl) gives each frame one
    class, knowing which headers the decoder accepts: a header it does not
    accept is ordinary text there, so the grammar refuses it where a header
    must stand and takes it where a service name may.  */

#ifndef ZW_MDP_FRAME_CLASS_H
#define ZW_MDP_FRAME_CLASS_H

enum {
    ZW_MDPF_EMPTY = 1,          /* zero octets */
    ZW_MDPF_MDPC01 = 2,         /* an accepted header, six octets */
    ZW_MDPF_MDPW01 = 3,
    ZW_MDPF_MDPC02 = 4,
    ZW_MDPF_MDPW02 = 5,
    ZW_MDPF_CODE1 = 11,         /* one octet, 0x01 .. 0x06: a command code */
    ZW_MDPF_CODE2 = 12,
    ZW_MDPF_CODE3 = 13,
    ZW_MDPF_CODE4 = 14,
    ZW_MDPF_CODE5 = 15,
    ZW_MDPF_CODE6 = 16,
    ZW_MDPF_TEXT = 20,          /* one or more octets, each 0x20 .. 0x7E, not an accepted header */
    ZW_MDPF_OTHER = 21          /* anything else */
};

#endif
