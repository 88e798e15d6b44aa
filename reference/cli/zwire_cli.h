/*  zwire_cli.h — what the files of the zwire command-line tool share.

    zwire is one binary with subcommands.  A subcommand is one file that
    defines one function `int zw_cli_<name> (int argc, char **argv)` and one
    entry in the table of zwire.c; argv[0] is the subcommand's last name word
    and argv[1..] its own arguments.  It returns the process exit status.
    Every subcommand answers --help on standard output with status 0.

    The helpers below are small and allocation-free: option parsing
    (cli_args.c), hex text in and out (cli_hex.c), and a JSON-lines writer
    (cli_json.c).  The two modes that take JSON-line requests on stdin,
    `zwire peer --control` and `zwire adapter`, share cli_control.c, which
    reads and writes JSON with jansson.  */

#ifndef ZW_CLI_H
#define ZW_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>
#include "zwire.h"

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
int zw_cli_keygen (int argc, char **argv);
int zw_cli_bench (int argc, char **argv);       /* bench.c */
int zw_cli_bench_mdp (int argc, char **argv);   /* bench_mdp.c */
int zw_cli_bench_fl (int argc, char **argv);    /* bench_fl.c */
int zw_cli_bench_security (int argc, char **argv);  /* bench_security.c */
int zw_cli_adapter (int argc, char **argv);     /* adapter.c */
int zw_cli_fl_client (int argc, char **argv);   /* reference/flp/flp_cli_client.c */
int zw_cli_fl_server (int argc, char **argv);   /* reference/flp/flp_cli_server.c */
int zw_cli_mdp_broker (int argc, char **argv);  /* reference/mdp/mdp_cli_broker.c */
int zw_cli_mdp_client (int argc, char **argv);  /* reference/mdp/mdp_cli_client.c */
int zw_cli_mdp_worker (int argc, char **argv);  /* reference/mdp/mdp_cli_worker.c */

/* peer --control: obeys JSON-line commands for one socket (peer_control.c). */
int zw_peer_control (zw_ctx *ctx, zw_socket *socket);

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

/* --- JSON-line requests and replies (cli_control.c) ------------------------------ */

/* Writes answer as one line on stdout, flushes, and releases answer. */
void zw_control_reply (json_t *answer);

/* {"ok": true} and {"ok": false, "error": why}, to add members to. */
json_t *zw_control_ok (void);
json_t *zw_control_failed (const char *why);

/* The error text of a failed zw_send / zw_recv: "timeout" for EAGAIN. */
const char *zw_control_error_text (int error);

/*  Hex text (blanks and '#' comments allowed, as zw_hex_decode_text) to
    octets, malloc'd, *size their count; NULL if it is not hex.  */
uint8_t *zw_control_unhex (const char *text, size_t *size);

/* Octets as a JSON string of lower-case hex, or NULL (out of memory). */
json_t *zw_control_hex (const uint8_t *data, size_t size);

/* A JSON list of hex strings as a message; NULL if frames is not a non-empty such list. */
zw_msg *zw_control_message (json_t *frames);

/* A message's frames as a JSON list of hex strings. */
json_t *zw_control_frames (const zw_msg *msg);

/*  Standard input as lines.  Start from a zero-filled zw_control_input;
    zw_control_next_line waits for the next non-empty line (without its
    newline) while serving the connections of the sockets given (count
    may be 0), and returns it, valid until the next call; NULL at the end
    of input.  A last line without a newline still counts.  */
typedef struct {
    char *data;
    size_t len, capacity;
    size_t start;                   /* where the unread lines begin */
    size_t scanned;                 /* no newline in [start, scanned) */
    int ended;                      /* stdin is at its end (or unreadable) */
} zw_control_input;

const char *zw_control_next_line (zw_control_input *in, zw_socket *const *sockets, size_t count);
void zw_control_input_free (zw_control_input *in);

#endif
