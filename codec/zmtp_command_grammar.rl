# zmtp_command_grammar.rl — the grammar of ZMTP command bodies.
#
# A body is a name then a layout chosen by the name and the mechanism
# (zmtp_command.rl dispatches).  Layouts that end in a variable part
# (unknown data, topics, metadata, CURVE boxes) stop at the part; C counts
# it up to the known end of the body.

%%{
    machine zmtp_command;

    # zmtp31.command.name: a size 1..255, then that many ALPHA octets
    name_size = (0x01 .. 0xFF) @name_size;
    # Tolerated (zw_zmtp_command_tolerate): the rule binds the sender, so a
    # caller may read an empty name, and names of any octets (commands of
    # unknown names, their data the rest of the body).  A strict decoder's
    # refusal of the empty name is written out: Ragel 6's goto code lets an
    # octet whose condition fails fall into a range that ends at 0xFF.
    empty_name = (0x00 when names_tolerated) @empty_name
               | (0x00 when !names_tolerated) @name_empty;
    name_char = alpha | ((any - alpha) when names_tolerated);
    command_name = name_size | empty_name;

    # zmtp31.null.error, plain.error.layout, curve.error.size: a reason
    # size, then exactly that many octets (counted by string_chars)
    error_body = any @reason_size;

    # zmtp31.command.ping: a 2-octet TTL in deciseconds, 0..16 context octets
    context = (any @context_octet){0,16};
    # Tolerated (zw_zmtp_command_tolerate): the bound of 16 binds the
    # sender, so a caller may read a longer context; its first 16 octets are
    # kept, the rest is counted in C.
    long_context = (any @context_octet){16} (any when context_tolerated) @context_excess;
    ping_body = any{2} >ttl_start $ttl_octet (context | long_context);
    # zmtp31.command.pong: the echoed context, 0..16 octets
    pong_body = context | long_context;
    # zmtp31.command.join, zmtp31.command.leave: 0..255 octets, none 0x00
    group_body = ((any - 0x00) @group_octet){0,255};

    # plain.hello.layout: username size, username, password size, password
    plain_hello_body = any @username_size any @password_size;
    # plain.welcome.layout: nothing after the name
    plain_welcome_body = zlen;

    # curve.hello.size (200 octets in all), curve.hello.version (1.0),
    # curve.hello.padding (72 zero octets): the server validates all fields
    # and rejects a malformed HELLO (curve.server.reject-bad-hello), so a
    # wrong version or padding octet is an error at that octet.  Tolerated
    # (zw_zmtp_command_tolerate) only for the deliberate fault
    # curve-padding-unchecked: a padding octet that is not zero.
    padding_octet = 0x00 | ((any - 0x00) when padding_tolerated);
    curve_hello_body = (0x01 0x00) >curve_version $field_octet @!bad_version
                       padding_octet{72} @!bad_padding
                       any{32} >client_key $field_octet
                       any{8} >short_nonce $field_octet
                       any{80} >signature_box $field_octet;
    # curve.welcome.size: 168 octets in all
    curve_welcome_body = any{16} >long_nonce $field_octet
                         any{144} >welcome_box $field_octet;
    # curve.initiate.size: cookie, short nonce, then a box of 144 or more
    curve_initiate_head = any{96} >cookie $field_octet
                          any{8} >short_nonce $field_octet;
    # curve.ready.size, curve.message.size: short nonce, then the box
    curve_short_head = any{8} >short_nonce $field_octet;
}%%
