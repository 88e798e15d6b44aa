/*  handshake_gen.c — the octets of the handshake vectors
    (vectors/zmtp/curve_handshake_test.json, plain_handshake_test.json),
    for vectors/tools/gen_handshake.py, which holds the tables and writes
    the files.  A test program: built only for the vectors (make
    build/bin/zw-handshake-gen), never part of the stack.

    Every genuine body comes from the C CurveZMQ layer of the reference
    stack (or, for PLAIN, the codec's packers), run by zw_handshake.c with
    the vector's fixed random inputs (DECISIONS S10: this program's
    zw_curve_random, not the library's).  A tampered body is made here:
    an octet flipped, cut, added or overwritten in a genuine body, a
    genuine body delivered again, or a command boxed afresh with libsodium
    (crypto_box_easy, crypto_secretbox_easy) from 26/CurveZMQ's layouts
    with one thing changed (another prefix, key, nonce, text, vouch,
    cookie).  Before any tampering, each command is boxed afresh with
    nothing changed and must come out as the layer's octets: the
    boxing here is a second, independent view of the layouts.  Each
    tampered body is then delivered to its receiver (zw_handshake.c) and
    the refusal reported.

    Protocol: one JSON object on stdin,
      {"curve": [{"input": I, "tampers": [{"at": N, "to": SIDE, "make": M}, ...]}, ...],
       "plain": [{"input": I}, ...]}
    one JSON object on stdout,
      {"curve": [{"keys": {"client": K, "server": K}, "report": R,
                  "tampers": [{"deliver": D, "report": R}, ...]}, ...],
       "plain": [{"report": R}, ...]}
    where I is a vector input (FORMAT.md, "Handshakes") without the public
    keys and Z85 texts, K {"publicKey", "publicKeyZ85", "secretKeyZ85"}
    made from the secret key, R a report, D the `deliver` object.  M is
    one of (command: an index of the genuine exchange):
      {"op": "flip", "command": i, "offset": k [, "mask": m]}   octet k ^= m (1); k < 0 from the end
      {"op": "cut", "command": i}                               the last octet dropped
      {"op": "extend", "command": i}                            one octet 00 added
      {"op": "set", "command": i, "offset": k, "hex": H}        octets from k overwritten
      {"op": "copy", "command": i}                              the body again
      {"op": "hello" [, "serverKey": H] [, "prefix": P] [, "text": H] [, "nonce": n]}
      {"op": "welcome" [, "serverSecret": H] [, "prefix": P]}
      {"op": "initiate" [, "nonce": n] [, "prefix": P] [, "clientKey": H]
                        [, "cookieTransient": H] [, "vouch": {"prefix", "secretKey",
                        "transient", "server", "flip"}]}
      {"op": "ready" [, "nonce": n] [, "prefix": P]}
      {"op": "message", "from": SIDE, "nonce": n, "flags": f, "data": H [, "prefix": P]}
    Exit status 0, 1 when an afresh boxing differs from the layer's or
    the input is bad (a message on stderr).  */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <jansson.h>
#include "zw_handshake.h"

#define KEY ZW_CURVE_KEY_SIZE
#define LONG_NONCE ZW_HANDSHAKE_LONG_NONCE
#define COOKIE ZW_CURVEZMQ_COOKIE_SIZE

static void
die (const char *what, const char *detail)
{
    fprintf (stderr, "zw-handshake-gen: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    exit (1);
}

/* One handshake: its parsed input, its genuine bodies. */
typedef struct {
    zw_handshake_curve_input in;
    zw_bytes *bodies;
    size_t count;
} handshake;

static void
put_u64 (uint8_t out[8], uint64_t value)
{
    for (int i = 7; i >= 0; i--, value >>= 8)
        out[i] = (uint8_t) value;
}

/* A 24-octet nonce: prefix (8 or 16 characters) + the short or long nonce. */
static void
nonce_of (uint8_t nonce[24], const char *prefix, const uint8_t *tail)
{
    size_t n = strlen (prefix);
    if (n != 8 && n != 16)
        die ("a nonce prefix is 8 or 16 characters", prefix);
    memcpy (nonce, prefix, n);
    memcpy (nonce + n, tail, 24 - n);
}

/* Box[text](sk -> pk) under prefix + tail, appended to out. */
static void
box (zw_bytes *out, const uint8_t *text, size_t size, const char *prefix, const uint8_t *tail,
     const uint8_t pk[KEY], const uint8_t sk[KEY])
{
    uint8_t nonce[24];
    uint8_t *sealed = malloc (size + crypto_box_MACBYTES);
    if (!sealed)
        abort ();
    nonce_of (nonce, prefix, tail);
    if (crypto_box_easy (sealed, text, size, nonce, pk, sk) != 0)
        die ("crypto_box_easy refused a key", NULL);
    zw_bytes_add (out, sealed, size + crypto_box_MACBYTES);
    free (sealed);
}

/* --- the parameters of a make object --------------------------------------------------- */

static const char *
text_param (json_t *make, const char *name, const char *otherwise)
{
    const char *value = json_string_value (json_object_get (make, name));
    return value ? value : otherwise;
}

static uint64_t
number_param (json_t *make, const char *name, uint64_t otherwise)
{
    json_t *value = json_object_get (make, name);
    return json_is_integer (value) ? (uint64_t) json_integer_value (value) : otherwise;
}

static const uint8_t *
key_param (json_t *make, const char *name, uint8_t storage[KEY], const uint8_t *otherwise)
{
    json_t *value = json_object_get (make, name);
    if (!value)
        return otherwise;
    if (zw_handshake_unhex_fixed (value, storage, KEY) != 0)
        die ("not a 32-octet key", name);
    return storage;
}

/* --- commands boxed afresh (26/CurveZMQ, "CurveZMQ Commands") -------------------------- */

static void
hello (const handshake *h, json_t *make, zw_bytes *out)
{
    const zw_handshake_curve_input *in = &h->in;
    uint8_t server[KEY], text[64] = { 0 }, nonce[8];
    const uint8_t *s = key_param (make, "serverKey", server, in->server.public_key);
    json_t *given = json_object_get (make, "text");
    if (given && zw_handshake_unhex_fixed (given, text, sizeof text) != 0)
        die ("hello text is 64 octets", NULL);
    zw_bytes_add (out, (const uint8_t *) "\x05HELLO\x01\x00", 8);
    static const uint8_t padding[72];
    zw_bytes_add (out, padding, sizeof padding);
    zw_bytes_add (out, in->client_transient.public_key, KEY);
    put_u64 (nonce, number_param (make, "nonce", 1));
    zw_bytes_add (out, nonce, 8);
    box (out, text, sizeof text, text_param (make, "prefix", "CurveZMQHELLO---"), nonce, s,
         in->client_transient.secret_key);
}

/* The cookie: its long nonce, secretbox[C' + s'](K) (transient: the C' it names). */
static void
cookie (const handshake *h, const uint8_t transient[KEY], uint8_t out[COOKIE])
{
    const zw_handshake_curve_input *in = &h->in;
    uint8_t text[2 * KEY], nonce[24];
    memcpy (text, transient, KEY);
    memcpy (text + KEY, in->server_transient.secret_key, KEY);
    nonce_of (nonce, "COOKIE--", in->cookie_nonce);
    memcpy (out, in->cookie_nonce, LONG_NONCE);
    crypto_secretbox_easy (out + LONG_NONCE, text, sizeof text, nonce, in->cookie_key);
}

static void
welcome (const handshake *h, json_t *make, zw_bytes *out)
{
    const zw_handshake_curve_input *in = &h->in;
    uint8_t secret[KEY], text[KEY + COOKIE];
    const uint8_t *s = key_param (make, "serverSecret", secret, in->server.secret_key);
    memcpy (text, in->server_transient.public_key, KEY);
    cookie (h, in->client_transient.public_key, text + KEY);
    zw_bytes_add (out, (const uint8_t *) "\x07WELCOME", 8);
    zw_bytes_add (out, in->welcome_nonce, LONG_NONCE);
    box (out, text, sizeof text, text_param (make, "prefix", "WELCOME-"), in->welcome_nonce,
         in->client_transient.public_key, s);
}

static void
initiate (const handshake *h, json_t *make, zw_bytes *out)
{
    const zw_handshake_curve_input *in = &h->in;
    json_t *v = json_object_get (make, "vouch");
    uint8_t k1[KEY], k2[KEY], k3[KEY], k4[KEY], k5[KEY], crumb[COOKIE], wire[8];
    const uint8_t *client = key_param (make, "clientKey", k1, in->client.public_key);
    const uint8_t *named = key_param (make, "cookieTransient", k2, in->client_transient.public_key);
    const uint8_t *vouch_secret = key_param (v, "secretKey", k3, in->client.secret_key);
    const uint8_t *vouch_transient = key_param (v, "transient", k4, in->client_transient.public_key);
    const uint8_t *vouch_server = key_param (v, "server", k5, in->server.public_key);
    zw_bytes text = { 0 }, vouch = { 0 };
    /* vouch = long nonce + Box[C' + S](C -> S') */
    uint8_t vouch_text[2 * KEY];
    memcpy (vouch_text, vouch_transient, KEY);
    memcpy (vouch_text + KEY, vouch_server, KEY);
    zw_bytes_add (&vouch, in->vouch_nonce, LONG_NONCE);
    box (&vouch, vouch_text, sizeof vouch_text, text_param (v, "prefix", "VOUCH---"),
         in->vouch_nonce, in->server_transient.public_key, vouch_secret);
    json_t *flip = json_object_get (v, "flip");
    if (flip)
        vouch.data[LONG_NONCE + (size_t) json_integer_value (flip)] ^= 1;
    zw_bytes_add (&text, client, KEY);
    zw_bytes_add (&text, vouch.data, vouch.len);
    zw_bytes_add (&text, in->client_metadata.data, in->client_metadata.len);
    cookie (h, named, crumb);
    zw_bytes_add (out, (const uint8_t *) "\x08INITIATE", 9);
    zw_bytes_add (out, crumb, COOKIE);
    put_u64 (wire, number_param (make, "nonce", 2));
    zw_bytes_add (out, wire, 8);
    box (out, text.data, text.len, text_param (make, "prefix", "CurveZMQINITIATE"), wire,
         in->server_transient.public_key, in->client_transient.secret_key);
    zw_bytes_free (&text);
    zw_bytes_free (&vouch);
}

static void
ready (const handshake *h, json_t *make, zw_bytes *out)
{
    const zw_handshake_curve_input *in = &h->in;
    uint8_t wire[8];
    zw_bytes_add (out, (const uint8_t *) "\x05READY", 6);
    put_u64 (wire, number_param (make, "nonce", 1));
    zw_bytes_add (out, wire, 8);
    box (out, in->server_metadata.data, in->server_metadata.len,
         text_param (make, "prefix", "CurveZMQREADY---"), wire, in->client_transient.public_key,
         in->server_transient.secret_key);
}

static void
message (const handshake *h, json_t *make, zw_bytes *out)
{
    const zw_handshake_curve_input *in = &h->in;
    const char *from = text_param (make, "from", "");
    int server = strcmp (from, "server") == 0;
    if (!server && strcmp (from, "client") != 0)
        die ("a message is from client or server", from);
    zw_bytes text = { 0 };
    uint8_t flags = (uint8_t) number_param (make, "flags", 0), wire[8];
    zw_bytes_add (&text, &flags, 1);
    if (zw_handshake_unhex (text_param (make, "data", ""), &text) != 0)
        die ("message data is not hex", NULL);
    zw_bytes_add (out, (const uint8_t *) "\x07MESSAGE", 8);
    put_u64 (wire, number_param (make, "nonce", 0));
    zw_bytes_add (out, wire, 8);
    box (out, text.data, text.len,
         text_param (make, "prefix", server ? "CurveZMQMESSAGES" : "CurveZMQMESSAGEC"), wire,
         server ? in->client_transient.public_key : in->server_transient.public_key,
         server ? in->server_transient.secret_key : in->client_transient.secret_key);
    zw_bytes_free (&text);
}

/* --- tampering ------------------------------------------------------------------------- */

static const zw_bytes *
genuine (const handshake *h, json_t *make)
{
    json_t *i = json_object_get (make, "command");
    if (!json_is_integer (i) || json_integer_value (i) < 0
    ||  (size_t) json_integer_value (i) >= h->count)
        die ("command: not an index of the genuine exchange", NULL);
    return &h->bodies[json_integer_value (i)];
}

static void
tamper (const handshake *h, json_t *make, zw_bytes *out)
{
    static const struct {
        const char *op;
        void (*make) (const handshake *, json_t *, zw_bytes *);
    } afresh[] = { { "hello", hello }, { "welcome", welcome }, { "initiate", initiate },
                   { "ready", ready }, { "message", message } };
    const char *op = text_param (make, "op", "");
    for (size_t i = 0; i < sizeof afresh / sizeof afresh[0]; i++)
        if (strcmp (op, afresh[i].op) == 0) {
            afresh[i].make (h, make, out);
            return;
        }
    const zw_bytes *g = genuine (h, make);
    zw_bytes_add (out, g->data, g->len);
    json_t *offset = json_object_get (make, "offset");
    long at = json_is_integer (offset) ? (long) json_integer_value (offset) : 0;
    if (at < 0)
        at += (long) out->len;
    if (strcmp (op, "copy") == 0)
        return;
    if (strcmp (op, "cut") == 0 && out->len > 0) {
        out->len--;
        return;
    }
    if (strcmp (op, "extend") == 0) {
        static const uint8_t zero = 0;
        zw_bytes_add (out, &zero, 1);
        return;
    }
    if (strcmp (op, "flip") == 0 && at >= 0 && (size_t) at < out->len) {
        out->data[at] ^= (uint8_t) number_param (make, "mask", 1);
        return;
    }
    if (strcmp (op, "set") == 0 && at >= 0) {
        zw_bytes octets = { 0 };
        if (zw_handshake_unhex (text_param (make, "hex", ""), &octets) != 0
        ||  (size_t) at + octets.len > out->len)
            die ("set: hex that fits the body", NULL);
        memcpy (out->data + at, octets.data, octets.len);
        zw_bytes_free (&octets);
        return;
    }
    die ("unknown tampering, or an offset outside the body", op);
}

/*  Each genuine command boxed afresh with nothing changed must be the
    layer's octets.  */
static void
self_check (const handshake *h)
{
    const zw_handshake_curve_input *in = &h->in;
    uint64_t next[2] = { 3, 2 };                /* the next short nonce: client, server */
    for (size_t i = 0; i < h->count; i++) {
        json_t *make = json_object ();
        zw_bytes again = { 0 };
        if (i == 3 && in->has_error) {
            json_decref (make);
            continue;                           /* ERROR: no box */
        }
        if (i < 4) {
            static const char *ops[4] = { "hello", "welcome", "initiate", "ready" };
            json_object_set_new (make, "op", json_string (ops[i]));
        } else {
            const zw_handshake_message *m = &in->messages[i - 4];
            json_object_set_new (make, "op", json_string ("message"));
            json_object_set_new (make, "from", json_string (m->from_server ? "server" : "client"));
            json_object_set_new (make, "nonce", json_integer ((json_int_t) next[m->from_server]++));
            json_object_set_new (make, "flags", json_integer (m->flags));
            json_object_set_new (make, "data", zw_report_hex (m->data.data, m->data.len));
        }
        tamper (h, make, &again);
        if (again.len != h->bodies[i].len || memcmp (again.data, h->bodies[i].data, again.len))
            die ("a command boxed afresh is not the layer's octets", json_string_value (
                     json_object_get (make, "op")));
        zw_bytes_free (&again);
        json_decref (make);
    }
}

/* --- the handshakes -------------------------------------------------------------------- */

static json_t *
keys (const zw_curvezmq_keypair *pair)
{
    char pub[ZW_CURVEZMQ_Z85_KEY_SIZE + 1], sec[ZW_CURVEZMQ_Z85_KEY_SIZE + 1];
    zw_curvezmq_key_to_z85 (pub, pair->public_key);
    zw_curvezmq_key_to_z85 (sec, pair->secret_key);
    return json_pack ("{s:o, s:s, s:s}", "publicKey", zw_report_hex (pair->public_key, KEY),
                      "publicKeyZ85", pub, "secretKeyZ85", sec);
}

/* The input of a tampered vector: the MESSAGEs before at, and deliver. */
static json_t *
tampered_input (json_t *input, size_t at, const char *to, const zw_bytes *body)
{
    json_t *copy = json_deep_copy (input);
    json_t *list = json_object_get (copy, "messages");
    size_t keep = at > 4 ? at - 4 : 0;
    while (json_array_size (list) > keep)
        json_array_remove (list, json_array_size (list) - 1);
    json_object_set_new (copy, "deliver", json_pack ("{s:I, s:s, s:o}", "at", (json_int_t) at,
                                                     "to", to,
                                                     "body", zw_report_hex (body->data, body->len)));
    return copy;
}

static json_t *
run_curve (json_t *item)
{
    json_t *input = json_object_get (item, "input");
    handshake h;
    char err[256];
    if (!zw_handshake_curve_parse (input, &h.in, err, sizeof err))
        die ("bad input", err);
    json_t *report = zw_handshake_curve_exchange (&h.in);
    if (json_object_get (report, "problems") || !json_is_null (json_object_get (report, "error")))
        die ("the genuine exchange did not complete", json_dumps (report, JSON_COMPACT));
    json_t *commands = json_object_get (report, "commands");
    h.count = json_array_size (commands);
    h.bodies = calloc (h.count + 1, sizeof *h.bodies);
    if (!h.bodies)
        abort ();
    for (size_t i = 0; i < h.count; i++)
        zw_handshake_unhex (json_string_value (json_object_get (json_array_get (commands, i),
                                                                "body")), &h.bodies[i]);
    self_check (&h);
    json_t *tampers = json_array ();
    json_t *list = json_object_get (item, "tampers");
    for (size_t t = 0; t < json_array_size (list); t++) {
        json_t *spec = json_array_get (list, t);
        json_t *at = json_object_get (spec, "at");
        const char *to = json_string_value (json_object_get (spec, "to"));
        if (!json_is_integer (at) || !to)
            die ("a tamper needs at and to", NULL);
        zw_bytes body = { 0 };
        tamper (&h, json_object_get (spec, "make"), &body);
        json_t *tin = tampered_input (input, (size_t) json_integer_value (at), to, &body);
        json_t *treport = zw_handshake_curve_run (tin);
        json_array_append_new (tampers, json_pack ("{s:O, s:o}", "deliver",
                                                   json_object_get (tin, "deliver"),
                                                   "report", treport));
        json_decref (tin);
        zw_bytes_free (&body);
    }
    json_t *out = json_pack ("{s:{s:o, s:o}, s:o, s:o}", "keys", "client", keys (&h.in.client),
                             "server", keys (&h.in.server), "report", report, "tampers", tampers);
    for (size_t i = 0; i < h.count; i++)
        zw_bytes_free (&h.bodies[i]);
    free (h.bodies);
    zw_handshake_curve_free (&h.in);
    return out;
}

int
main (int argc, char **argv)
{
    if (argc > 1) {
        fprintf (strcmp (argv[1], "--help") == 0 ? stdout : stderr,
                 "usage: zw-handshake-gen < REQUEST.json > OCTETS.json\n"
                 "The octets of the handshake vectors, for vectors/tools/gen_handshake.py.\n");
        return strcmp (argv[1], "--help") == 0 ? 0 : 3;
    }
    if (sodium_init () < 0)
        die ("libsodium could not start", NULL);
    json_error_t error;
    json_t *request = json_loadf (stdin, 0, &error);
    if (!request)
        die ("stdin is not JSON", error.text);
    json_t *curve = json_array (), *plain = json_array ();
    json_t *items = json_object_get (request, "curve");
    for (size_t i = 0; i < json_array_size (items); i++)
        json_array_append_new (curve, run_curve (json_array_get (items, i)));
    items = json_object_get (request, "plain");
    for (size_t i = 0; i < json_array_size (items); i++) {
        json_t *report = zw_handshake_plain_run (json_object_get (json_array_get (items, i),
                                                                  "input"));
        if (json_object_get (report, "problems"))
            die ("a PLAIN exchange has problems", json_dumps (report, JSON_COMPACT));
        json_array_append_new (plain, json_pack ("{s:o}", "report", report));
    }
    json_t *out = json_pack ("{s:o, s:o}", "curve", curve, "plain", plain);
    json_dumpf (out, stdout, JSON_COMPACT);
    putchar ('\n');
    json_decref (out);
    json_decref (request);
    return 0;
}
