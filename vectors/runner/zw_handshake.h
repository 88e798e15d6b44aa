/*  zw_handshake.h — whole CurveZMQ and PLAIN connections run from a
    vector's input (vectors/FORMAT.md, "Handshakes"), both sides in one
    process: the report of a `curve-handshake` or `plain-handshake`
    vector.  Shared by the vector runner (which replays the files) and
    the handshake vector generator (vectors/tools/handshake_gen.c, which
    makes them).

    CURVE: the client and the server are two zw_curvezmq contexts, the C
    CurveZMQ layer of the reference stack.  Every random octet the layer
    draws (c', s', K, the cookie's, WELCOME's and the vouch's long nonces)
    comes from the vector's input, through the zw_curve_random that
    zw_handshake.c defines: a program linking this file links
    zw_curvezmq.o without the library's zw_curve_random.c, so the
    determinism exists in test programs only (DECISIONS S10).  The draws
    are scripted call by call and each script must be used up exactly:
    a layer that drew in another order or amount is reported.

    PLAIN: each body is packed by the codec (zw_zmtp_command_pack_head,
    zw_zmtp_metadata_pack) and decoded back by the command decoder, which
    must find the inputs.

    A report is the normal form of FORMAT.md ("Handshakes"), its error
    with the clause the refusing side named; what is wrong with the input
    itself or with what a side opened (a public key that is not its
    secret's, a Z85 text, metadata that did not come out as it went in)
    goes into an extra "problems" list, which no expected report has, so
    that any such problem shows as a disagreement.

    Test tooling: allocates (jansson), aborts when memory runs out.  */

#ifndef ZW_HANDSHAKE_H
#define ZW_HANDSHAKE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "zw_curvezmq.h"
#include "zw_report.h"

#define ZW_HANDSHAKE_LONG_NONCE 16

/* One MESSAGE of the input. */
typedef struct {
    int from_server;                /* 0: the client sends it */
    uint8_t flags;
    zw_bytes data;
} zw_handshake_message;

/* A curve-handshake input, parsed; every key as 32 octets. */
typedef struct {
    zw_curvezmq_keypair client, server;             /* C, c and S, s (public from secret) */
    zw_curvezmq_keypair client_transient;           /* C', c' */
    zw_curvezmq_keypair server_transient;           /* S', s' */
    uint8_t cookie_key[ZW_CURVE_KEY_SIZE];          /* K */
    uint8_t cookie_nonce[ZW_HANDSHAKE_LONG_NONCE];
    uint8_t welcome_nonce[ZW_HANDSHAKE_LONG_NONCE];
    uint8_t vouch_nonce[ZW_HANDSHAKE_LONG_NONCE];
    zw_bytes client_metadata, server_metadata;      /* ZMTP 3.0 property lists */
    int has_error;                                  /* server.error: ERROR after INITIATE */
    zw_bytes error_reason;
    zw_handshake_message *messages;
    size_t message_count;
    int has_deliver;                                /* a tampered vector */
    size_t deliver_at;
    int deliver_to_server;
    zw_bytes deliver_body;
    json_t *problems;                               /* what is wrong with the input */
} zw_handshake_curve_input;

/*  Reads a curve-handshake input.  The public keys and Z85 texts are
    optional here (the generator adds them); when present they must agree
    with the secret keys, else a problem is noted.  Returns 0 and writes a
    message into err when a field is missing or malformed.  */
int zw_handshake_curve_parse (json_t *input, zw_handshake_curve_input *in, char *err,
                              size_t err_size);

void zw_handshake_curve_free (zw_handshake_curve_input *in);

/*  Runs the connection of a parsed input and returns its report
    {"state", "error", "transientKeys", "commands"} (+ "problems").  */
json_t *zw_handshake_curve_exchange (const zw_handshake_curve_input *in);

/* The report of a curve-handshake or plain-handshake input (JSON). */
json_t *zw_handshake_curve_run (json_t *input);
json_t *zw_handshake_plain_run (json_t *input);

/*  Every body of a report's commands decoded by the command decoder
    (mechanism CURVE or PLAIN) and encoded back: 1 if each comes back the
    same, 0 if one does not (why says which), -1 if there is no command.  */
int zw_handshake_round_trip (int curve, json_t *report, char *why, size_t why_size);

/* Hex helpers shared with the generator. */
int zw_handshake_unhex (const char *text, zw_bytes *out);
int zw_handshake_unhex_fixed (json_t *value, uint8_t *out, size_t size);

#endif
