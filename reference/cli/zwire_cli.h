/*  zwire_cli.h — what the files of the zwire command-line tool share.

    zwire is one binary with subcommands.  A subcommand is one file that
    defines one function `int zw_cli_<name> (int argc, char **argv)` and one
    entry in the table of zwire.c; argv[0] is the subcommand's last name word
    and argv[1..] its own arguments.  It returns the process exit status.
    Every subcommand answers --help on standard output with status 0.

    The helpers below are small and allocation-free: option parsing
    (cli_args.c), hex text in and out (cli_hex.c), and a JSON-lines writer
    (cli_json.c).  `zwire peer --control` reads JSON with jansson.  */

#ifndef ZW_CLI_H
#define ZW_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define ZW_CLI_VERSION "0.1.0"

/* Exit statuses, the same for every subcommand. */
enum {
    ZW_EXIT_OK = 0,         /* done; the input broke no rule */
    ZW_EXIT_VIOLATION = 1,  /* the input (a peer) broke a protocol rule */
    ZW_EXIT_USAGE = 3       /* bad invocation: option, value, unreadable input */
};

/* --- subcommands (one file each) ------------------------------------------ */

int zw_cli_decode (int argc, char **argv);      /* decode.c */
int zw_cli_peer (int argc, char **argv);        /* peer.c, peer_control.c */

/* --- options (cli_args.c) -------------------------------------------------- */

/*  If argv[*i] is the option `name` ("--name VALUE" or "--name=VALUE"),
    stores its value, moves *i onto the last word used and returns 1.
    Returns 0 if argv[*i] is another word, -1 if the value is missing.  */
int zw_args_value (int argc, char **argv, int *i, const char *name, const char **value);

/*  Parses a decimal number 0 .. 2^64-1 (digits only, no sign).  Returns 1,
    or 0 if text is not such a number.  */
int zw_args_u64 (const char *text, uint64_t *out);

/* --- hex (cli_hex.c) -------------------------------------------------------- */

/*  Converts hex text (pairs of digits, either case) into octets, in place:
    text[0 .. *len) becomes octets[0 .. *len).  Spaces, tabs, CR and LF are
    ignored; '#' starts a comment that runs to the end of the line.  Returns
    1, or 0 with a message in err (a bad character and its position, or an
    odd number of digits).  */
int zw_hex_decode_text (uint8_t *text, size_t *len, char *err, size_t err_size);

/* Writes len octets as lower-case hex, with sep between octets (or NULL). */
void zw_hex_write (FILE *out, const uint8_t *data, size_t len, const char *sep);

/* --- JSON lines (cli_json.c) ----------------------------------------------------- */

/*  A writer for one JSON object per line.  Nesting is tracked so that
    commas fall into place; keys are NULL inside arrays.  Strings are
    escaped (quote, backslash, controls; octets of 0x80 and up are written
    as \u00XX, so the output is always ASCII).  */
typedef struct {
    FILE *out;
    int depth;
    int count[16];      /* members written so far, per nesting level */
} zw_json;

void zw_json_object_begin (zw_json *j, FILE *out, const char *type);  /* {"type": type */
void zw_json_object_end (zw_json *j);                                 /* }\n */
void zw_json_open (zw_json *j, const char *key, char bracket);        /* '{' or '[' */
void zw_json_close (zw_json *j, char bracket);                        /* '}' or ']' */
void zw_json_string (zw_json *j, const char *key, const char *text, size_t len);
void zw_json_cstring (zw_json *j, const char *key, const char *text);
void zw_json_hex (zw_json *j, const char *key, const uint8_t *data, size_t len);
void zw_json_uint (zw_json *j, const char *key, uint64_t value);
void zw_json_bool (zw_json *j, const char *key, int value);
void zw_json_raw (zw_json *j, const char *key, const char *literal);  /* a number, null */

#endif
