# z85_grammar.rl — the grammar of Z85 text (32/Z85).

%%{
    machine z85;

    # z85.alphabet: the 85 characters, in value order
    z85_char = digit | lower | upper
             | '.' | '-' | ':' | '+' | '=' | '^' | '!' | '/' | '*' | '?' | '&'
             | '<' | '>' | '(' | ')' | '[' | ']' | '{' | '}' | '@' | '%' | '$' | '#';

    # z85.decode: five characters are one 32-bit value, most significant first
    group = z85_char{5} >group_start $group_digit @group_end;
}%%
