# zmtp_frame_grammar.rl — the grammar of ZMTP frame headers (2.0 and 3.x).
#
# Only headers go through the machine; bodies are counted in C between two
# headers (zmtp_frame.rl), so the machine resumes at a frame start.

%%{
    machine zmtp_frame;

    # --- 23/ZMTP, 37/ZMTP ---------------------------------------------------
    # zmtp31.frame.flags-reserved: bits 3-7 are zero;
    # zmtp31.frame.command-no-more: a command never has MORE (0x05, 0x07).
    v3_short_flags = 0x00 | 0x01 | 0x04;
    v3_long_flags = 0x02 | 0x03 | 0x06;

    # --- 15/ZMTP 2.0 ----------------------------------------------------------
    # zmtp20.frame.flags-reserved: bits 2-7 are zero.
    v2_short_flags = 0x00 | 0x01;
    v2_long_flags = 0x02 | 0x03;

    # --- tolerated (zw_zmtp_frame_tolerate) -----------------------------------
    # The rules above bind the sender: a caller may read past them.  Any
    # other flags octet is then read if C finds that the caller tolerates
    # what it breaks (reserved bits, MORE on a command); LONG (bit 1) still
    # chooses the size.
    v3_other = any - v3_short_flags - v3_long_flags;
    v2_other = any - v2_short_flags - v2_long_flags;

    # zmtp31.frame.short-size: one octet
    short_size = any @short_size;
    # zmtp31.frame.long-size, zmtp20.frame.long-size: eight octets, big-endian
    long_size = any{8} >long_size_start $long_size_octet @long_size;

    v3_frame = (v3_short_flags | (v3_other when tolerated when !long_flag)) @flags short_size
             | (v3_long_flags | (v3_other when tolerated when long_flag)) @flags long_size;
    v2_frame = (v2_short_flags | (v2_other when tolerated when !long_flag)) @flags short_size
             | (v2_long_flags | (v2_other when tolerated when long_flag)) @flags long_size;
}%%
