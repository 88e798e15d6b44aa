# mdp_message_grammar.rl — the layouts of every Majordomo message, 7/MDP
# 0.1 and 18/MDP 0.2, as one machine over frame classes (mdp_frame_class.h;
# one token per frame).  Included by mdp_message.rl, which defines the
# actions.
#
# Each layout is a row of slots.  The slot_* action of a frame says which
# slot the next frame fills; a frame the grammar refuses is charged to that
# slot (a header, a command, a service name, a delimiter, or one frame
# too many), and a message that ends in a slot needing a frame is short.
# Recording actions (service, address, body_frame, the command names) come
# first on their frame, the slot after them.

%%{
    machine mdp_message;
    alphtype int;
    import "mdp_frame_class.h";

    frame = any;
    header = ZW_MDPF_MDPC01 | ZW_MDPF_MDPW01 | ZW_MDPF_MDPC02 | ZW_MDPF_MDPW02;

    # mdp01.grammar.service-name, mdp02.grammar.service-name: a printable
    # string (DECISIONS M9, M2-14: one octet or more, each 0x20..0x7E; a
    # name may spell a header)
    service = (ZW_MDPF_TEXT | header) @service;

    # Bodies: one frame or more, any content (M11, M2-15)
    body = (frame @body_frame)+;

    # mdp01.request.one-address, mdp02.request.one-address: exactly one
    # client-address frame, opaque (M12, M2-13); then one empty frame
    # (mdp01.request.empty-after-address, mdp02.request.empty-after-address)
    routed = frame @address @slot_delimiter ZW_MDPF_EMPTY @slot_body body;

    # --- 7/MDP 0.1: every message opens with an empty frame -----------------

    # mdp01.grammar.client-request, mdp01.grammar.client-reply: one layout
    # both ways, no command frame
    client01 = ZW_MDPF_MDPC01 @v01 @client @slot_service service @slot_body body;

    # mdp01.grammar.ready, .worker-request, .worker-reply, .heartbeat,
    # .disconnect: codes 0x01..0x05
    worker01 = ZW_MDPF_MDPW01 @v01 @worker @slot_command (
          ZW_MDPF_CODE1 @ready @slot_service service @slot_end
        | ZW_MDPF_CODE2 @request @slot_address routed
        | ZW_MDPF_CODE3 @reply @slot_address routed
        | ZW_MDPF_CODE4 @heartbeat @slot_end
        | ZW_MDPF_CODE5 @disconnect @slot_end
    );

    mdp01 = ZW_MDPF_EMPTY (client01 | worker01);

    # --- 18/MDP 0.2: the header comes first, no empty frame ----------------

    # mdp02.grammar.client-header, .client-command, .client-request,
    # .client-partial, .client-final: codes 0x01..0x03
    client02 = ZW_MDPF_MDPC02 @v02 @client @slot_command (
          ZW_MDPF_CODE1 @request
        | ZW_MDPF_CODE2 @partial
        | ZW_MDPF_CODE3 @final
    ) @slot_service service @slot_body body;

    # mdp02.grammar.worker-header, .worker-command, .ready, .worker-request,
    # .worker-partial, .worker-final, .heartbeat, .disconnect: codes 0x01..0x06
    worker02 = ZW_MDPF_MDPW02 @v02 @worker @slot_command (
          ZW_MDPF_CODE1 @ready @slot_service service @slot_end
        | ZW_MDPF_CODE2 @request @slot_address routed
        | ZW_MDPF_CODE3 @partial @slot_address routed
        | ZW_MDPF_CODE4 @final @slot_address routed
        | ZW_MDPF_CODE5 @heartbeat @slot_end
        | ZW_MDPF_CODE6 @disconnect @slot_end
    );

    main := mdp01 | client02 | worker02;
}%%
