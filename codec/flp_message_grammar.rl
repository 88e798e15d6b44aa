# flp_message_grammar.rl — the layouts of the four Freelance messages,
# 10/FLP, over frame classes (flp_frame_class.h; one token per frame),
# without the routing frame of the ROUTER socket.  Included by
# flp_message.rl, which defines the actions.  The frame count decides
# first (DECISIONS F3): one frame is a ping (or a pong), two or more a
# request (or a reply), whatever the first frame holds.

%%{
    machine flp_message;
    alphtype int;
    import "flp_frame_class.h";

    frame = any;

    # flp.grammar.request, flp.grammar.reply: the CCF, then one body frame
    # or more, any content (F4)
    routed = frame @ccf (frame @body_frame)+;

    # flp.grammar.ping: a single frame, PING
    to_server := ZW_FLPF_PING @ping | routed;

    # flp.grammar.pong (F2): a single frame, PONG
    to_client := ZW_FLPF_PONG @pong | routed;
}%%
