/*  cli_hex.c — hex text in and out for the zwire tool: the --hex input of
    zwire decode (pairs of digits, blanks and '#' comments ignored) and
    lower-case hex output.  */

#include "zwire_cli.h"

static int
digit_value (uint8_t c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int
zw_hex_decode_text (uint8_t *text, size_t *len, char *err, size_t err_size)
{
    size_t out = 0, digits = 0, line = 1;
    int high = 0, comment = 0;
    for (size_t i = 0; i < *len; i++) {
        uint8_t c = text[i];
        if (c == '\n') {
            line++;
            comment = 0;
            continue;
        }
        if (comment || c == ' ' || c == '\t' || c == '\r')
            continue;
        if (c == '#') {
            comment = 1;
            continue;
        }
        int v = digit_value (c);
        if (v < 0) {
            if (c >= 0x21 && c <= 0x7E)
                snprintf (err, err_size, "'%c' at character %zu (line %zu) is not a hex digit",
                          c, i + 1, line);
            else
                snprintf (err, err_size, "octet 0x%02x at character %zu (line %zu) is not a hex digit",
                          c, i + 1, line);
            return 0;
        }
        if (digits++ % 2 == 0)
            high = v;
        else
            text[out++] = (uint8_t) (high << 4 | v);
    }
    if (digits % 2 != 0) {
        snprintf (err, err_size, "odd number of hex digits (%zu)", digits);
        return 0;
    }
    *len = out;
    return 1;
}

void
zw_hex_write (FILE *out, const uint8_t *data, size_t len, const char *sep)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        if (i > 0 && sep)
            fputs (sep, out);
        fputc (digits[data[i] >> 4], out);
        fputc (digits[data[i] & 15], out);
    }
}
