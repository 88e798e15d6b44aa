# zmtp_metadata_grammar.rl — the grammar of a ZMTP property list.
#
# Names are counted by the name_chars sub-machine (called after the length,
# returning after the last octet); values are counted in C
# (zmtp_metadata.rl), after which the machine resumes at a property start.

%%{
    machine zmtp_metadata;

    # zmtp31.metadata.name: 1..255 octets
    name_size = (0x01 .. 0xFF) @name_size;
    # zmtp31.metadata.name: A-Z a-z 0-9 - _ . +
    strict_name_char = alnum | '-' | '_' | '.' | '+';
    # zmtp31.metadata.value-size: 4 octets, big-endian
    value_size = any{4} >value_size_start $value_size_octet @value_size;

    # Tolerated (zw_zmtp_metadata_tolerate): the name rules bind the sender,
    # so a caller may read an empty name, and names of any octets.  A strict
    # decoder's refusal of the empty name is written out: Ragel 6's goto
    # code lets an octet whose condition fails fall into a range that ends
    # at 0xFF.
    empty_name = (0x00 when tolerated) @empty_name
               | (0x00 when !tolerated) @name_empty;
    name_char = strict_name_char | ((any - strict_name_char) when tolerated);

    property = (name_size | empty_name) value_size;
}%%
