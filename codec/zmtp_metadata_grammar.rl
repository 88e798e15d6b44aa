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
    name_char = alnum | '-' | '_' | '.' | '+';
    # zmtp31.metadata.value-size: 4 octets, big-endian
    value_size = any{4} >value_size_start $value_size_octet @value_size;

    property = name_size value_size;
}%%
