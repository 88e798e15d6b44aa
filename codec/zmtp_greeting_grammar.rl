# zmtp_greeting_grammar.rl — the grammar of what a peer sends first.
#
# Three protocols share the first octets (23/ZMTP "Backwards
# Interoperability"): a 1.0 identity frame, a 2.0 greeting and a 3.x
# greeting.  The union below is the staged detection of
# zmtp31.greeting.detect-legacy written as one machine: octet 0, then
# octet 9, then octet 10 choose the branch.  Identity bodies (1.0, 2.0) are
# counted in C after the header (see zmtp_greeting.rl).

%%{
    machine zmtp_greeting;

    # --- 13/ZMTP 1.0: the greeting is the identity frame -------------------
    # zmtp10.greeting.identity: a short length 0..254 counts the flags octet;
    # 0xFF is the long form.  A length of 0 is no frame: it is refused in C,
    # after the detection (zmtp10.frame.length-nonzero).
    v1_short_length = (0x00 .. 0xFE) @v1_short_length;
    # zmtp10.greeting.identity-flags: the flags octet is not validated.
    v1_short = v1_short_length any @v1_identity_flags;

    # --- the signature: 0xFF, 8 octets of padding, 0x7F ---------------------
    # zmtp31.greeting.padding-ignored: the padding means nothing to a 3.x
    # peer; it is only collected as the length a 1.0 long frame puts there.
    padding = any{8} >padding_start $padding_octet;
    # zmtp31.greeting.detect-legacy, zmtp10.frame.long-length: octet 9 with
    # bit 0 clear is the flags octet of a 1.0 long identity frame.
    v1_long_flags = (any when bit0_clear) @v1_long_flags;
    # zmtp31.greeting.detect-legacy: with bit 0 set, "the peer is using ZMTP
    # 2.0 or later and has sent us the ZMTP signature".  A sender writes 0x7F
    # (zmtp31.greeting.signature); the receiver reads bit 0 only, as the
    # detection says (spec/leniency.md, SignatureEnd).
    signature_end = (any when bit0_set);

    # --- 15/ZMTP 2.0 --------------------------------------------------------
    # zmtp31.greeting.detect-legacy, zmtp20.greeting.revision: major 1 or 2.
    # A decoder for a 2.0-only peer reads any revision from 1 up as 2.0: a
    # later peer steps down to it (zmtp31.version.downgrade).
    # Tolerated (zw_zmtp_greeting_tolerate): revision 0 is an older peer too,
    # read as 2.0 (15/ZMTP: a signed peer is "ZMTP/2.0 or a later version";
    # zmtp31.version.downgrade).
    v2_revision = (0x01 | 0x02 | ((0x03 .. 0xFF) when only_v2) | (0x00 when major_zero_tolerated))
                  @detect_v2;
    # zmtp20.greeting.socket-type: 0..8, and 9 / 10 (libzmq's XPUB / XSUB)
    v2_socket_type = (0x00 .. 0x0A) @v2_socket_type;
    # zmtp20.greeting.identity: one final short frame
    v2_identity = 0x00 any @v2_identity_size;
    v2 = v2_revision v2_socket_type v2_identity;

    # --- 23/ZMTP 3.0, 37/ZMTP 3.1 --------------------------------------------
    # zmtp31.version.accept-higher: any major from 3 up
    v3_major = ((0x03 .. 0xFF) when up_to_v3) @detect_v3;
    v3_minor = any @v3_minor;
    # zmtp31.greeting.mechanism-name: 20 octets, 1..20 name characters,
    # then NUL padding
    mechanism_char = upper | digit | '-' | '_' | '.' | '+';
    mechanism = ((mechanism_char+ 0x00*) & any{20})
                $mechanism_octet @mechanism_end;
    # zmtp31.greeting.as-server
    as_server = (0x00 | 0x01) @as_server;
    # zmtp31.greeting.filler: 31 octets, not validated (vectors/FORMAT.md)
    filler = any{31};
    v3 = v3_major v3_minor mechanism as_server filler @v3_end;

    greeting = v1_short
             | 0xFF padding (v1_long_flags | signature_end (v2 | v3));
}%%
