# zap_message_grammar.rl — the layouts of the ZAP request and reply, 27/ZAP,
# as one machine over frame classes (zap_frame_class.h; one token per
# frame).  Included by zap_message.rl, which defines the actions.  Four
# entries: a request and a reply, each with the empty delimiter first (as
# on the wire) or without it (as a REQ or REP socket hands it over).
#
# Each layout is a row of slots.  The slot_* action of a frame says which
# slot the next frame fills; a frame the grammar refuses is charged to that
# slot (a delimiter, a version, a domain, ... or one frame too many), and a
# message that ends in a slot needing a frame is short.  Recording actions
# come first on their frame, the slot after them.  Two recording actions
# also judge their frame (address, metadata): they break out on a refusal.

%%{
    machine zap_message;
    alphtype int;
    import "zap_frame_class.h";

    frame = any;

    # zap.strings.ascii: at most 255 octets, each 0x00..0x7F
    word = ZW_ZAPF_VERSION | ZW_ZAPF_S200 | ZW_ZAPF_S300 | ZW_ZAPF_S400 | ZW_ZAPF_S500
         | ZW_ZAPF_NULL | ZW_ZAPF_PLAIN | ZW_ZAPF_CURVE;
    filled = word | ZW_ZAPF_TEXT | ZW_ZAPF_TEXT32;
    string = ZW_ZAPF_EMPTY | filled;

    # zap.request.delimiter, zap.reply.delimiter: an empty frame
    delimiter = ZW_ZAPF_EMPTY @slot_version;

    # zap.request.version, zap.reply.version: the three octets 1.0; then the
    # request id, opaque (the reply's echoes the request's)
    head = ZW_ZAPF_VERSION @slot_request_id frame @request_id;

    # --- the request (zap.request.frames) ------------------------------------

    # zap.null.no-credentials: no credentials frame
    null_mech = ZW_ZAPF_NULL @mechanism @null_mechanism @slot_credentials;

    # zap.plain.credentials: the user name and the password, two frames
    plain_mech = ZW_ZAPF_PLAIN @mechanism @plain_mechanism @slot_credentials
                 frame @credential frame @credential;

    # zap.curve.credentials: the client's public key, one frame of 32 octets
    curve_mech = ZW_ZAPF_CURVE @mechanism @curve_mechanism @slot_credentials
                 (ZW_ZAPF_TEXT32 | ZW_ZAPF_BINARY32) @credential;

    # another mechanism (GSSAPI, ...): any credentials frames
    other_mech = (filled - (ZW_ZAPF_NULL | ZW_ZAPF_PLAIN | ZW_ZAPF_CURVE)) @mechanism
                 (frame @credential)*;

    request_frames = head @slot_domain
        # zap.request.domain: a string, not empty
        filled @domain @slot_address
        # zap.request.address: a string the address action judges
        filled @address @slot_identity
        # zap.request.identity: opaque, at most 255 octets
        (string | ZW_ZAPF_BINARY32 | ZW_ZAPF_BINARY) @identity @slot_mechanism
        # zap.request.mechanism: a string, not empty
        (null_mech | plain_mech | curve_mech | other_mech);

    # --- the reply (zap.reply.frames: exactly these seven) --------------------

    # zap.reply.status-code: 200, 300, 400 or 500; zap.strings.ascii: the
    # status text; zap.reply.user-id-empty: the user id is a string, empty
    # unless the status is 200
    ok = ZW_ZAPF_S200 @status @slot_text string @status_text @slot_user_id string @user_id;
    not_ok = (ZW_ZAPF_S300 | ZW_ZAPF_S400 | ZW_ZAPF_S500) @status
             @slot_text string @status_text @slot_user_id ZW_ZAPF_EMPTY @user_id;

    # zap.reply.metadata: a ZMTP 3.0 property list, which the metadata
    # action judges; then no frame more
    reply_frames = head @slot_status (ok | not_ok) @slot_metadata frame @metadata @slot_end;

    request := delimiter request_frames;
    request_bare := request_frames;
    reply := delimiter reply_frames;
    reply_bare := reply_frames;
}%%
