/*  cli_json.c — the JSON-lines writer of the zwire tool: one object per
    line, written as it goes, with commas placed by a per-level member
    count.  Enough for flat records with small nested arrays; not a JSON
    library (zwire links none).  */

#include <string.h>
#include "zwire_cli.h"

static void
escaped (FILE *out, const char *text, size_t len)
{
    fputc ('"', out);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char) text[i];
        if (c == '"' || c == '\\')
            fprintf (out, "\\%c", c);
        else if (c == '\n')
            fputs ("\\n", out);
        else if (c == '\t')
            fputs ("\\t", out);
        else if (c < 0x20 || c >= 0x7F)
            fprintf (out, "\\u%04x", c);
        else
            fputc (c, out);
    }
    fputc ('"', out);
}

/* The comma and the key that precede a member (no key inside arrays). */
static void
member (zw_json *j, const char *key)
{
    if (j->count[j->depth]++ > 0)
        fputc (',', j->out);
    if (key) {
        escaped (j->out, key, strlen (key));
        fputc (':', j->out);
    }
}

void
zw_json_object_begin (zw_json *j, FILE *out, const char *type)
{
    j->out = out;
    j->depth = 0;
    j->count[0] = 0;
    fputc ('{', out);
    zw_json_cstring (j, "type", type);
}

void
zw_json_object_end (zw_json *j)
{
    fputs ("}\n", j->out);
}

void
zw_json_open (zw_json *j, const char *key, char bracket)
{
    member (j, key);
    fputc (bracket, j->out);
    if (j->depth + 1 < (int) (sizeof j->count / sizeof j->count[0]))
        j->depth++;
    j->count[j->depth] = 0;
}

void
zw_json_close (zw_json *j, char bracket)
{
    fputc (bracket, j->out);
    if (j->depth > 0)
        j->depth--;
}

void
zw_json_string (zw_json *j, const char *key, const char *text, size_t len)
{
    member (j, key);
    escaped (j->out, text, len);
}

void
zw_json_cstring (zw_json *j, const char *key, const char *text)
{
    zw_json_string (j, key, text, strlen (text));
}

void
zw_json_hex (zw_json *j, const char *key, const uint8_t *data, size_t len)
{
    member (j, key);
    fputc ('"', j->out);
    zw_hex_write (j->out, data, len, NULL);
    fputc ('"', j->out);
}

void
zw_json_uint (zw_json *j, const char *key, uint64_t value)
{
    member (j, key);
    fprintf (j->out, "%llu", (unsigned long long) value);
}

void
zw_json_bool (zw_json *j, const char *key, int value)
{
    member (j, key);
    fputs (value ? "true" : "false", j->out);
}

void
zw_json_raw (zw_json *j, const char *key, const char *literal)
{
    member (j, key);
    fputs (literal, j->out);
}
