/*  zap_address.c — the address frame of a ZAP request (zap.request.address,
    zap_message.h): "the client's IP address as a string, in IPv4 dotted
    notation or IPv6 canonical text" — RFC 5952 for IPv6 (lower case,
    leading zeros dropped, the longest run of two zero groups or more as
    ::, the first on a tie, and an IPv4-mapped address in mixed notation,
    ::ffff:a.b.c.d, its section 5), four decimal numbers 0..255 without
    leading zeros for IPv4.

    One formatter writes the canonical text of an address; a text is valid
    when it parses (any RFC 4291 text form: upper case, leading zeros, ::
    anywhere, a dotted tail) and formats back to itself.  So the check and
    the formatter cannot disagree, and the parser may be lenient: whatever
    it takes that is not canonical comes back different.  */

#include <string.h>
#include "zap_message.h"

/* Decimal octet, no leading zero; returns the new end. */
static char *
put_decimal (char *out, unsigned value)
{
    if (value >= 100)
        *out++ = (char) ('0' + value / 100);
    if (value >= 10)
        *out++ = (char) ('0' + value / 10 % 10);
    *out++ = (char) ('0' + value % 10);
    return out;
}

static char *
put_quad (char *out, const uint8_t ip[4])
{
    for (int i = 0; i < 4; i++) {
        if (i > 0)
            *out++ = '.';
        out = put_decimal (out, ip[i]);
    }
    return out;
}

/* Lower-case hex group, no leading zero. */
static char *
put_group (char *out, unsigned group)
{
    static const char hex[] = "0123456789abcdef";
    int shift = 12;
    while (shift > 0 && (group >> shift) == 0)
        shift -= 4;
    for (; shift >= 0; shift -= 4)
        *out++ = hex[(group >> shift) & 0xF];
    return out;
}

/* RFC 5952 section 4 (and 5 for ::ffff:0:0/96). */
static char *
put_ipv6 (char *out, const uint8_t ip[16])
{
    static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF };
    if (memcmp (ip, mapped, sizeof mapped) == 0) {
        memcpy (out, "::ffff:", 7);
        return put_quad (out + 7, ip + 12);
    }
    unsigned groups[8];
    for (int i = 0; i < 8; i++)
        groups[i] = (unsigned) ip[2 * i] << 8 | ip[2 * i + 1];
    /* the longest run of zero groups, two or more, the first on a tie */
    int best = -1, best_len = 1;
    for (int i = 0; i < 8;) {
        int j = i;
        while (j < 8 && groups[j] == 0)
            j++;
        if (j - i > best_len) {
            best = i;
            best_len = j - i;
        }
        i = j > i ? j : i + 1;
    }
    for (int i = 0; i < 8;) {
        if (i == best) {
            *out++ = ':';
            *out++ = ':';
            i += best_len;
            continue;
        }
        if (i > 0 && i != best + best_len)
            *out++ = ':';
        out = put_group (out, groups[i]);
        i++;
    }
    return out;
}

size_t
zw_zap_address_format (char out[ZW_ZAP_ADDRESS_TEXT_MAX], const uint8_t *ip, size_t size)
{
    char *end = out;
    if (size == 4)
        end = put_quad (out, ip);
    else if (size == 16)
        end = put_ipv6 (out, ip);
    *end = 0;
    return (size_t) (end - out);
}

/* Four decimal numbers 0..255 (1..3 digits each, leading zeros taken) and nothing else. */
static int
parse_quad (const uint8_t *s, size_t n, uint8_t ip[4])
{
    size_t at = 0;
    for (int part = 0; part < 4; part++) {
        if (part > 0) {
            if (at == n || s[at] != '.')
                return 0;
            at++;
        }
        unsigned value = 0;
        size_t digits = 0;
        while (at < n && s[at] >= '0' && s[at] <= '9' && digits < 3) {
            value = value * 10 + (unsigned) (s[at++] - '0');
            digits++;
        }
        if (digits == 0 || value > 255)
            return 0;
        ip[part] = (uint8_t) value;
    }
    return at == n;
}

static int
hex_digit (uint8_t c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/*  Groups of 1..4 hex digits separated by single colons, maybe empty
    (n == 0), at most max groups; where tail, the last may be a dotted
    quad, two groups.  Writes the groups as octets to out; *count groups.  */
static int
parse_groups (const uint8_t *s, size_t n, int tail, uint8_t *out, size_t max, size_t *count)
{
    size_t at = 0, c = 0;
    while (n > 0) {
        size_t start = at;
        unsigned value = 0;
        while (at < n && at - start < 4 && hex_digit (s[at]) >= 0)
            value = value << 4 | (unsigned) hex_digit (s[at++]);
        if (tail && at < n && s[at] == '.') {
            if (c + 2 > max || !parse_quad (s + start, n - start, out + 2 * c))
                return 0;
            c += 2;
            break;
        }
        if (at == start || c == max)
            return 0;
        out[2 * c] = (uint8_t) (value >> 8);
        out[2 * c + 1] = (uint8_t) value;
        c++;
        if (at == n)
            break;
        if (s[at] != ':' || ++at == n)
            return 0;
    }
    *count = c;
    return 1;
}

/* Any RFC 4291 text form of an IPv6 address, without a zone. */
static int
parse_ipv6 (const uint8_t *s, size_t n, uint8_t ip[16])
{
    size_t gap = n;
    for (size_t i = 0; i + 1 < n; i++)
        if (s[i] == ':' && s[i + 1] == ':') {
            gap = i;
            break;
        }
    memset (ip, 0, 16);
    size_t head = 0, rest = 0;
    if (gap == n)
        return parse_groups (s, n, 1, ip, 8, &head) && head == 8;
    uint8_t tail[16];
    if (!parse_groups (s, gap, 0, ip, 7, &head)
        || !parse_groups (s + gap + 2, n - gap - 2, 1, tail, 7, &rest)
        || head + rest > 7)     /* :: stands for one zero group or more */
        return 0;
    memcpy (ip + 16 - 2 * rest, tail, 2 * rest);
    return 1;
}

int
zw_zap_address_valid (const uint8_t *text, size_t size)
{
    uint8_t ip[16];
    char canonical[ZW_ZAP_ADDRESS_TEXT_MAX];
    size_t len;
    if (size == 0 || size >= ZW_ZAP_ADDRESS_TEXT_MAX)
        return 0;
    if (memchr (text, ':', size)) {
        if (!parse_ipv6 (text, size, ip))
            return 0;
        len = zw_zap_address_format (canonical, ip, 16);
    } else {
        if (!parse_quad (text, size, ip))
            return 0;
        len = zw_zap_address_format (canonical, ip, 4);
    }
    return len == size && memcmp (canonical, text, size) == 0;
}
