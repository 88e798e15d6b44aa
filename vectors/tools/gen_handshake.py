#!/usr/bin/python3
"""Generate the zwire handshake vectors: vectors/zmtp/curve_handshake_test.json and
vectors/zmtp/plain_handshake_test.json (vectors/FORMAT.md, "Handshakes").

Each vector is one whole connection: every input both sides are given or draw at random, and
every command body each sends, in order.  The tables below hold the inputs (keys, random
values, metadata, messages) and, for the tampered vectors, what is changed and where it is
delivered; the octets come from the C CurveZMQ layer of the reference stack (and the codec's
PLAIN packers), run by build/bin/zw-handshake-gen (vectors/tools/handshake_gen.c) with these
fixed random inputs, a determinism that only that test program has (DECISIONS S10).  The tool
also boxes every genuine command afresh with libsodium from the RFC's layouts and refuses to
answer when that differs from the layer's octets; it makes each tampered body, delivers it and
reports the refusal, which this generator checks against its table (the class spec/leniency.md
gives the vector's input class, a clause the vector cites).

The random inputs are SHA-256 digests of a label (fixed(): how they were chosen; the vectors
hold the octets themselves).  The first handshake's permanent keys are zmq_curve(7)'s published
test pairs, checked here against their Z85 as published.

The result of a tampered vector is not written here: spec/leniency.md gives it for its input
class (CurveHello, CurveHelloBox, CurveClientNonce, ...: invalid, each a SHALL of the
receiver), and vector_file.leniency derives it and adds the receiver clauses.  A connection with
MESSAGEs of payload flag bit 1 is CurveMessageCommand (acceptable, DECISIONS S7).

tcIds come from vectors/tools/tcids.json (areas curve_handshake and plain_handshake), as for the
other generators.

Usage:
    /usr/bin/python3 vectors/tools/gen_handshake.py [--tool build/bin/zw-handshake-gen]
    /usr/bin/python3 vectors/tools/gen_handshake.py --check   # exit 1 if anything would change
(make build/bin/zw-handshake-gen first; make vectors-check runs the --check.)
"""

import argparse
import copy
import hashlib
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import vector_file  # noqa: E402
from vector_file import LENIENCY, TABLE  # noqa: E402

ROOT = vector_file.VECDIR.parent
OUTDIR = vector_file.VECDIR / "zmtp"
DEFAULT_TOOL = ROOT / "build" / "bin" / "zw-handshake-gen"

# The handshake vectors cite clauses already covered by gen_zmtp.py's layouts: no spec of
# their own to cover.
GENERATED_SPECS = ()


def fixed(label, size=32):
    """A fixed input: the first `size` octets of SHA-256 of a label, as hex."""
    return hashlib.sha256(b"zwire handshake vectors: " + label.encode()).digest()[:size].hex()


def prop(name, value):
    return {"name": name, "value": value.hex()}


# zmq_curve(7)'s test key pairs, hex and Z85 as published there (also in z85_test.json).
ZMQ_CLIENT = ("bb88471d65e2659b30c55a5321cebb5aab2b70a398645c26dca2b2fcb43fc518",
              "7bb864b489afa3671fbe69101f94b38972f24816dfb01b51656b3fec8dfd0888",
              "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID", "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs")
ZMQ_SERVER = ("54fcba24e93249969316fb617c872bb0c1d1ff14800427c594cbfacf1bc2d652",
              "8e0bdd697628b91d8f245587ee95c5b04d48963f79259877b49cd9063aead3b7",
              "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7", "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6")


# --------------------------------------------------------------------------
# CURVE: the whole connections

HANDSHAKE_CLAUSES = [
    "curve.handshake.order", "curve.hello.size", "curve.hello.version", "curve.hello.padding",
    "curve.hello.nonce-prefix", "curve.hello.signature-box", "curve.welcome.size",
    "curve.welcome.nonce-prefix", "curve.cookie.nonce-prefix", "curve.initiate.size",
    "curve.initiate.nonce-prefix", "curve.vouch.nonce-prefix", "curve.client.nonce-increment",
]
READY_CLAUSES = ["curve.ready.size", "curve.ready.nonce-prefix", "curve.server.nonce-increment"]
MESSAGE_CLAUSES = ["curve.message.size", "curve.message.nonce-prefix"]
METADATA_CLAUSES = ["curve.metadata.name", "curve.metadata.value-size"]

PATTERN_1000 = bytes((i * 7 + 3) % 256 for i in range(1000))

# name -> the connection: comment, flags, permanent secret keys, metadata, messages
# (from, flags, data), server.error; the random inputs are fixed("<name> <what>").
HANDSHAKES = {
    "zmq-curve-req-rep": dict(
        comment="zmq_curve(7)'s test key pairs, a REQ client and a REP server: one request and "
                "one reply, each an empty delimiter frame (MORE) then a body",
        flags=["CompleteHandshake", "ZmqCurveKeys", "Multipart", "EmptyFrame"],
        client_secret=ZMQ_CLIENT[1], server_secret=ZMQ_SERVER[1],
        client_metadata=[prop("Socket-Type", b"REQ")], server_metadata=[prop("Socket-Type", b"REP")],
        messages=[("client", 1, b""), ("client", 0, b"Hello"), ("server", 1, b""), ("server", 0, b"World")]),
    "empty": dict(
        comment="no metadata either way and no message: the least INITIATE (257 octets) and READY "
                "(30)",
        flags=["CompleteHandshake", "EmptyMetadata"],
        messages=[]),
    "properties-and-traffic": dict(
        comment="several properties each way (an Identity, a binary value, an empty value, a "
                "300-octet value) and three frames each way, interleaved: a 0-octet frame, "
                "two-frame messages both ways, a 1000-octet frame",
        flags=["CompleteHandshake", "Multipart", "EmptyFrame", "Interleaved", "LongValue"],
        client_metadata=[prop("Socket-Type", b"DEALER"), prop("Identity", b"client-7"),
                         prop("X-Binary", bytes([0, 0xff, 0x7f, 0x80, 0x0a])), prop("X-Empty", b"")],
        server_metadata=[prop("Socket-Type", b"ROUTER"), prop("X-Long", bytes(range(256)) + bytes(44))],
        messages=[("client", 0, b""), ("server", 0, b"ack"), ("client", 1, b"part-1"),
                  ("server", 1, b"\x00\x01\x02"), ("client", 0, b"part-2"), ("server", 0, PATTERN_1000)]),
    "commands-in-messages": dict(
        comment="ZMTP 3.1 commands in MESSAGE with payload flag bit 1, as libzmq sends them "
                "(DECISIONS S7): a SUB client's SUBSCRIBE and PING, the PUB server's PONG, then one "
                "data frame",
        flags=["CompleteHandshake", "CurveMessageCommand"],
        client_metadata=[prop("Socket-Type", b"SUB")], server_metadata=[prop("Socket-Type", b"PUB")],
        messages=[("client", 2, b"\x09SUBSCRIBEnews"), ("client", 2, b"\x04PING\x00\x64hb"),
                  ("server", 2, b"\x04PONGhb"), ("server", 0, b"news: hello")],
        result=TABLE, extra_clauses=["curve.message.flags-reserved"]),
    "authentication-error": dict(
        comment="the server opens INITIATE, then refuses the client's key with ERROR (a ZAP "
                "handler's 400: DECISIONS S4) instead of READY",
        flags=["CompleteHandshake", "AuthError"],
        client_metadata=[prop("Socket-Type", b"DEALER")], server_metadata=[],
        error=b"client key not authorised", messages=[]),
}


def handshake_input(name):
    """The input of a connection, without the public keys and Z85 texts (the tool adds them)."""
    h = HANDSHAKES[name]
    client = {"secretKey": h.get("client_secret") or fixed(name + " c"),
              "transientSecretKey": fixed(name + " c'"),
              "vouchNonce": fixed(name + " vouch nonce", 16),
              "metadata": h.get("client_metadata", [])}
    server = {"secretKey": h.get("server_secret") or fixed(name + " s"),
              "transientSecretKey": fixed(name + " s'"),
              "cookieKey": fixed(name + " K"),
              "cookieNonce": fixed(name + " cookie nonce", 16),
              "welcomeNonce": fixed(name + " welcome nonce", 16),
              "metadata": h.get("server_metadata", [])}
    if "error" in h:
        server["error"] = h["error"].hex()
    messages = [{"from": f, "flags": fl, "data": d.hex()} for f, fl, d in h["messages"]]
    return {"client": client, "server": server, "messages": messages}


def other(name, what):
    """A key of another connection: another server's S or s, another client's C or c."""
    return fixed(name + " " + what)


OTHER_S = "other-server"            # its pair: secret fixed("other-server s"), public from the tool
ANOTHER_TRANSIENT = fixed("another C'")

# The tampered vectors: (slug, base connection, deliver at, to, make (handshake_gen.c), input
# class flag, other flags, clauses (the receiver's check first), comment).
H1, H2, H3 = "zmq-curve-req-rep", "empty", "properties-and-traffic"
BASE_LABELS = {H1: "zmq_curve(7)'s REQ-REP connection", H2: "the connection without metadata",
               H3: "the connection of properties and traffic"}
HELLO_CHECK = ["curve.server.check-hello"]
WELCOME_CHECK = ["curve.client.check-welcome"]
INITIATE_CHECK = ["curve.server.check-initiate"]
READY_CHECK = ["curve.client.check-ready"]
MESSAGE_CHECK = ["curve.message.check"]
SERVER_NONCE = ["curve.server.reject-nonce-reuse", "curve.server.check-nonce"]
SERVER_LOWER = ["curve.server.check-nonce", "curve.server.reject-nonce-reuse"]
CLIENT_NONCE = ["curve.client.reject-nonce-reuse", "curve.client.check-nonce"]
CLIENT_LOWER = ["curve.client.check-nonce", "curve.client.reject-nonce-reuse"]


def flip(command, offset, mask=1):
    return {"op": "flip", "command": command, "offset": offset, "mask": mask}


def cut(command):
    return {"op": "cut", "command": command}


def extend(command):
    return {"op": "extend", "command": command}


def put(command, offset, octets):
    return {"op": "set", "command": command, "offset": offset, "hex": octets.hex()}


def copy_of(command):
    return {"op": "copy", "command": command}


def msg(frm, nonce, flags, data, prefix=None):
    m = {"op": "message", "from": frm, "nonce": nonce, "flags": flags, "data": data.hex()}
    if prefix:
        m["prefix"] = prefix
    return m


TAMPERS = [
    # HELLO, to the server (curve.server.check-hello)
    ("hello-signature-box-flipped", H1, 0, "server", flip(0, 150), "CurveHelloBox", ["FlippedOctet"],
     HELLO_CHECK, "HELLO with one octet of its signature box flipped: the box does not open"),
    ("hello-client-transient-flipped", H1, 0, "server", flip(0, 90), "CurveHelloBox", ["FlippedOctet"],
     HELLO_CHECK, "HELLO with one octet of C' flipped: the signature box does not open with that key"),
    ("hello-nonce-flipped", H1, 0, "server", flip(0, 119, 2), "CurveHelloBox", ["FlippedOctet"],
     HELLO_CHECK, "HELLO's short nonce 1 changed to 3: any first nonce is taken, but the box was made "
                  "under 1 and does not open"),
    ("hello-one-octet-short", H1, 0, "server", cut(0), "CurveHello", ["OctetCount"],
     HELLO_CHECK + ["curve.hello.size"], "HELLO of 199 octets: its last octet cut"),
    ("hello-one-octet-long", H1, 0, "server", extend(0), "CurveHello", ["OctetCount"],
     HELLO_CHECK + ["curve.hello.size"], "HELLO of 201 octets: one octet 00 added"),
    ("hello-padding-first-not-zero", H1, 0, "server", put(0, 8, b"\x01"), "CurveHello", ["HelloPadding"],
     HELLO_CHECK + ["curve.hello.padding"], "HELLO whose first padding octet is 01 (the box still opens)"),
    ("hello-padding-last-not-zero", H1, 0, "server", put(0, 79, b"\x80"), "CurveHello", ["HelloPadding"],
     HELLO_CHECK + ["curve.hello.padding"], "HELLO whose last padding octet is 80 (the box still opens)"),
    ("hello-version-1-1", H1, 0, "server", put(0, 7, b"\x01"), "CurveHello", ["HelloVersion"],
     HELLO_CHECK + ["curve.hello.version"], "HELLO of version 1.1 (the version is outside the box, "
                                            "which still opens)"),
    ("hello-for-another-server-key", H1, 0, "server",
     {"op": "hello", "serverKey": "@" + OTHER_S}, "CurveHelloBox", ["WrongServerKey"],
     HELLO_CHECK, "HELLO boxed for another server key than this server's S (a client given the wrong "
                  "server key): the signature box does not open"),
    ("hello-prefix-initiate", H1, 0, "server", {"op": "hello", "prefix": "CurveZMQINITIATE"},
     "CurveHelloBox", ["WrongPrefix"], HELLO_CHECK + ["curve.hello.nonce-prefix"],
     "HELLO's signature box made under the prefix CurveZMQINITIATE: it does not open"),
    ("hello-signature-not-zeros", H1, 0, "server", {"op": "hello", "text": (b"\x01" + bytes(63)).hex()},
     "CurveHelloBox", ["Reboxed"], HELLO_CHECK + ["curve.hello.signature-box"],
     "HELLO's signature box opens, to 01 and 63 zeros instead of 64 zeros"),
    # WELCOME, to the client (curve.client.check-welcome)
    ("welcome-box-flipped", H1, 1, "client", flip(1, 100), "CurveWelcomeBox", ["FlippedOctet"],
     WELCOME_CHECK, "WELCOME with one octet of its box flipped: it does not open"),
    ("welcome-nonce-flipped", H1, 1, "client", flip(1, 10), "CurveWelcomeBox", ["FlippedOctet"],
     WELCOME_CHECK, "WELCOME with one octet of its long nonce flipped: the box does not open"),
    ("welcome-one-octet-short", H1, 1, "client", cut(1), "CurveWelcome", ["OctetCount"],
     WELCOME_CHECK + ["curve.welcome.size"], "WELCOME of 167 octets: its last octet cut"),
    ("welcome-one-octet-long", H1, 1, "client", extend(1), "CurveWelcome", ["OctetCount"],
     WELCOME_CHECK + ["curve.welcome.size"], "WELCOME of 169 octets: one octet 00 added"),
    ("welcome-from-another-server-key", H1, 1, "client",
     {"op": "welcome", "serverSecret": "@" + OTHER_S + " s"}, "CurveWelcomeBox", ["WrongServerKey"],
     WELCOME_CHECK, "WELCOME boxed with another server's secret key than the one of the S the client "
                    "knows (the wrong server key, seen from the client): it does not open"),
    ("welcome-prefix-cookie", H1, 1, "client", {"op": "welcome", "prefix": "COOKIE--"},
     "CurveWelcomeBox", ["WrongPrefix"], WELCOME_CHECK + ["curve.welcome.nonce-prefix"],
     "WELCOME's box made under the prefix COOKIE--: it does not open"),
    # INITIATE, to the server (curve.server.check-initiate)
    ("initiate-cookie-flipped", H1, 2, "server", flip(2, 9 + 16 + 20), "CurveInitiateBox", ["FlippedOctet"],
     INITIATE_CHECK, "INITIATE with one octet of the cookie's box flipped: the cookie does not open"),
    ("initiate-cookie-nonce-flipped", H1, 2, "server", flip(2, 9 + 3), "CurveInitiateBox", ["FlippedOctet"],
     INITIATE_CHECK, "INITIATE with one octet of the cookie's long nonce flipped: the cookie does not open"),
    ("initiate-cookie-for-another-client", H1, 2, "server",
     {"op": "initiate", "cookieTransient": ANOTHER_TRANSIENT}, "CurveInitiateBox", ["Reboxed"],
     INITIATE_CHECK, "INITIATE whose cookie opens under K but names another C' than this connection's"),
    ("initiate-box-flipped", H1, 2, "server", flip(2, 113 + 40), "CurveInitiateBox", ["FlippedOctet"],
     INITIATE_CHECK, "INITIATE with one octet of its box flipped: it does not open"),
    ("initiate-nonce-flipped", H1, 2, "server", flip(2, 112, 4), "CurveInitiateBox", ["FlippedOctet"],
     INITIATE_CHECK, "INITIATE's short nonce 2 changed to 6: greater than HELLO's, but the box was made "
                     "under 2 and does not open"),
    ("initiate-vouch-flipped", H1, 2, "server", {"op": "initiate", "vouch": {"flip": 20}},
     "CurveInitiateBox", ["Reboxed"], INITIATE_CHECK,
     "INITIATE boxed afresh around a vouch with one octet of its box flipped: INITIATE's box opens, "
     "the vouch does not"),
    ("initiate-vouch-for-another-server", H1, 2, "server",
     {"op": "initiate", "vouch": {"server": "@" + OTHER_S}}, "CurveInitiateBox", ["Reboxed"],
     INITIATE_CHECK, "INITIATE whose vouch opens but names another server key than S"),
    ("initiate-vouch-for-another-transient", H1, 2, "server",
     {"op": "initiate", "vouch": {"transient": ANOTHER_TRANSIENT}}, "CurveInitiateBox", ["Reboxed"],
     INITIATE_CHECK, "INITIATE whose vouch opens but names another C' than this connection's"),
    ("initiate-vouch-prefix-welcome", H1, 2, "server", {"op": "initiate", "vouch": {"prefix": "WELCOME-"}},
     "CurveInitiateBox", ["WrongPrefix"], INITIATE_CHECK + ["curve.vouch.nonce-prefix"],
     "INITIATE whose vouch is made under the prefix WELCOME-: the vouch does not open"),
    ("initiate-vouch-by-another-client", H1, 2, "server",
     {"op": "initiate", "vouch": {"secretKey": "@other-client c"}}, "CurveInitiateBox", ["Reboxed"],
     INITIATE_CHECK, "INITIATE naming C, whose vouch was boxed by another client's secret key: it does "
                     "not open from C"),
    ("initiate-naming-another-client", H1, 2, "server",
     {"op": "initiate", "clientKey": "@other-client"}, "CurveInitiateBox", ["Reboxed"],
     INITIATE_CHECK, "INITIATE naming another client key than C, with C's vouch: the vouch does not "
                     "open from the key named (a client passing for another)"),
    ("initiate-prefix-message", H1, 2, "server", {"op": "initiate", "prefix": "CurveZMQMESSAGEC"},
     "CurveInitiateBox", ["WrongPrefix"], INITIATE_CHECK + ["curve.initiate.nonce-prefix"],
     "INITIATE's box made under the prefix CurveZMQMESSAGEC: it does not open"),
    ("initiate-nonce-reused", H1, 2, "server", {"op": "initiate", "nonce": 1}, "CurveClientNonce",
     ["Reboxed"], SERVER_NONCE + INITIATE_CHECK,
     "INITIATE boxed afresh under the short nonce 1, HELLO's: the box opens, the nonce is reused"),
    ("initiate-one-octet-short-least", H2, 2, "server", cut(2), "CurveInitiate", ["OctetCount"],
     INITIATE_CHECK + ["curve.initiate.size"],
     "INITIATE without metadata of 256 octets: one under the least"),
    ("initiate-one-octet-short", H1, 2, "server", cut(2), "CurveInitiateBox", ["OctetCount"],
     INITIATE_CHECK, "INITIATE with metadata, its last octet cut: long enough, but the box does not open"),
    ("initiate-one-octet-long", H1, 2, "server", extend(2), "CurveInitiateBox", ["OctetCount"],
     INITIATE_CHECK, "INITIATE with one octet 00 added: the box does not open"),
    # READY, to the client (curve.client.check-ready)
    ("ready-box-flipped", H1, 3, "client", flip(3, 20), "CurveReadyBox", ["FlippedOctet"],
     READY_CHECK, "READY with one octet of its box flipped: it does not open"),
    ("ready-nonce-flipped", H1, 3, "client", flip(3, 13, 2), "CurveReadyBox", ["FlippedOctet"],
     READY_CHECK, "READY's short nonce 1 changed to 3: any first nonce is taken, but the box was made "
                  "under 1 and does not open"),
    ("ready-one-octet-short-least", H2, 3, "client", cut(3), "CurveReady", ["OctetCount"],
     READY_CHECK + ["curve.ready.size"], "READY without metadata of 29 octets: one under the least"),
    ("ready-one-octet-short", H1, 3, "client", cut(3), "CurveReadyBox", ["OctetCount"],
     READY_CHECK, "READY with metadata, its last octet cut: the box does not open"),
    ("ready-one-octet-long", H2, 3, "client", extend(3), "CurveReadyBox", ["OctetCount"],
     READY_CHECK, "READY without metadata and one octet 00 added: the box does not open"),
    ("ready-prefix-message", H1, 3, "client", {"op": "ready", "prefix": "CurveZMQMESSAGES"},
     "CurveReadyBox", ["WrongPrefix"], READY_CHECK + ["curve.ready.nonce-prefix"],
     "READY's box made under the prefix CurveZMQMESSAGES: it does not open"),
    # MESSAGE (curve.message.check), both ways
    ("message-client-box-flipped", H1, 5, "server", flip(5, 20), "CurveMessageBox", ["FlippedOctet"],
     MESSAGE_CHECK, "the client's second MESSAGE with one octet of its box flipped: it does not open"),
    ("message-server-box-flipped", H1, 7, "client", flip(7, 20), "CurveMessageBox", ["FlippedOctet"],
     MESSAGE_CHECK, "the server's second MESSAGE with one octet of its box flipped: it does not open"),
    ("message-nonce-flipped", H1, 5, "server", flip(5, 15, 8), "CurveMessageBox", ["FlippedOctet"],
     MESSAGE_CHECK, "the client's MESSAGE of short nonce 4 changed to 12: greater than the last, but "
                    "the box was made under 4 and does not open"),
    ("message-one-octet-short-least", H3, 4, "server", cut(4), "CurveMessage", ["OctetCount"],
     MESSAGE_CHECK + ["curve.message.size"], "the MESSAGE of a 0-octet frame with its last octet cut: "
                                             "32 octets, one under the least"),
    ("message-one-octet-short", H1, 5, "server", cut(5), "CurveMessageBox", ["OctetCount"],
     MESSAGE_CHECK, "a MESSAGE of the client with its last octet cut: the box does not open"),
    ("message-one-octet-long", H1, 7, "client", extend(7), "CurveMessageBox", ["OctetCount"],
     MESSAGE_CHECK, "a MESSAGE of the server with one octet 00 added: the box does not open"),
    ("message-client-replayed", H1, 5, "server", copy_of(4), "CurveClientNonce", ["Replay"],
     SERVER_NONCE + MESSAGE_CHECK, "the client's first MESSAGE delivered again, octet for octet: its "
                                   "box opens, its short nonce 3 is reused"),
    ("message-client-lower", H3, 8, "server", copy_of(4), "CurveClientNonce", ["Replay"],
     SERVER_LOWER + MESSAGE_CHECK, "the client's first MESSAGE (nonce 3) delivered again after its "
                                   "second (nonce 4): a lower nonce"),
    ("message-client-reusing-initiate-nonce", H1, 4, "server", msg("client", 2, 1, b""),
     "CurveClientNonce", ["Reboxed"], SERVER_NONCE + MESSAGE_CHECK,
     "the client's first MESSAGE boxed afresh under the short nonce 2, INITIATE's"),
    ("message-server-replayed", H1, 7, "client", copy_of(6), "CurveServerNonce", ["Replay"],
     CLIENT_NONCE + MESSAGE_CHECK, "the server's first MESSAGE delivered again, octet for octet: its "
                                   "box opens, its short nonce 2 is reused"),
    ("message-server-lower", H3, 9, "client", copy_of(5), "CurveServerNonce", ["Replay"],
     CLIENT_LOWER + MESSAGE_CHECK, "the server's first MESSAGE (nonce 2) delivered again after its "
                                   "second (nonce 3): a lower nonce"),
    ("message-server-reusing-ready-nonce", H1, 6, "client", msg("server", 1, 1, b""),
     "CurveServerNonce", ["Reboxed"], CLIENT_NONCE + MESSAGE_CHECK,
     "the server's first MESSAGE boxed afresh under the short nonce 1, READY's"),
    ("message-client-with-server-prefix", H1, 4, "server",
     msg("client", 3, 1, b"", "CurveZMQMESSAGES"), "CurveMessageBox", ["WrongPrefix"],
     MESSAGE_CHECK + ["curve.message.nonce-prefix"],
     "the client's MESSAGE boxed under the server's prefix CurveZMQMESSAGES (a reflected MESSAGE): "
     "it does not open"),
    ("message-server-with-client-prefix", H1, 6, "client",
     msg("server", 2, 1, b"", "CurveZMQMESSAGEC"), "CurveMessageBox", ["WrongPrefix"],
     MESSAGE_CHECK + ["curve.message.nonce-prefix"],
     "the server's MESSAGE boxed under the client's prefix CurveZMQMESSAGEC: it does not open"),
    ("message-reserved-flag-bit-2", H1, 5, "server", msg("client", 4, 4, b"Hello"), "CurveMessageFlags",
     ["Reboxed"], MESSAGE_CHECK + ["curve.message.flags-reserved"],
     "the client's MESSAGE with payload flags 04 (bit 2): the box opens to a reserved bit"),
    ("message-reserved-flag-bit-7", H1, 7, "client", msg("server", 3, 0x80, b"World"),
     "CurveMessageFlags", ["Reboxed"], MESSAGE_CHECK + ["curve.message.flags-reserved"],
     "the server's MESSAGE with payload flags 80 (bit 7)"),
    ("message-reserved-flags-all", H3, 4, "server", msg("client", 3, 0xff, b""), "CurveMessageFlags",
     ["Reboxed"], MESSAGE_CHECK + ["curve.message.flags-reserved"],
     "the client's MESSAGE of a 0-octet frame with payload flags ff"),
]


def resolve(make, keys):
    """A make object with its "@name" references to other connections' keys made octets:
    "@n" is the public key of secret fixed("n s") or fixed("n c") as the tool made it
    (keys), "@n s" / "@n c" the secret itself."""
    out = {}
    for k, v in make.items():
        if isinstance(v, dict):
            v = resolve(v, keys)
        elif isinstance(v, str) and v.startswith("@"):
            ref = v[1:]
            v = fixed(ref) if ref.endswith((" s", " c")) else keys[ref]
        out[k] = v
    return out


# Other parties' pairs whose public keys a tamper names: the tool makes them (as a PLAIN-free
# connection of their own would), from these secrets.
OTHER_PARTIES = {OTHER_S: fixed(OTHER_S + " s"), "other-client": fixed("other-client c")}

# --------------------------------------------------------------------------
# PLAIN

PLAIN_CLAUSES = ["plain.handshake.order", "plain.hello.layout", "plain.hello.vchar", "plain.welcome.layout"]
PLAIN_ACCEPTED = ["plain.initiate.metadata", "plain.ready.metadata"]

PLAIN = [
    ("admin", "a user name and password, a DEALER client with an Identity, a ROUTER server",
     ["CompleteHandshake"], b"admin", b"password",
     [prop("Socket-Type", b"DEALER"), prop("Identity", b"client-1")], [prop("Socket-Type", b"ROUTER")],
     None),
    ("empty", "an empty user name and password, no metadata either way",
     ["CompleteHandshake", "EmptyCredentials", "EmptyMetadata"], b"", b"", [], [], None),
    ("long", "a user name and a password of 255 VCHAR octets each, a binary and an empty property",
     ["CompleteHandshake", "LongCredentials"], bytes(0x21 + i % 94 for i in range(255)),
     bytes(0x7e - i % 94 for i in range(255)),
     [prop("Socket-Type", b"PUSH"), prop("X-Binary", bytes([0, 1, 0xfe, 0xff])), prop("X-Empty", b"")],
     [prop("Socket-Type", b"PULL")], None),
    ("refused-at-hello", "the server refuses the credentials: ERROR after HELLO (a ZAP handler's 400, "
                         "its status text as the reason: DECISIONS S4)",
     ["Refused"], b"admin", b"wrong", [prop("Socket-Type", b"REQ")], [prop("Socket-Type", b"REP")],
     ("HELLO", b"Invalid username or password")),
    ("refused-at-initiate", "the server takes the credentials, then refuses the client's metadata: "
                            "ERROR after INITIATE",
     ["Refused"], b"admin", b"password", [prop("Socket-Type", b"PUB")], [prop("Socket-Type", b"PUB")],
     ("INITIATE", b"Incompatible socket type")),
]


def plain_input(row):
    _slug, _comment, _flags, user, password, cmeta, smeta, error = row
    server = {"metadata": smeta}
    if error:
        server["error"] = {"after": error[0], "reason": error[1].hex()}
    return {"client": {"username": user.hex(), "password": password.hex(), "metadata": cmeta},
            "server": server}


# --------------------------------------------------------------------------
# The tool

def run_tool(tool):
    """Ask zw-handshake-gen for every octet; returns its answer and the other parties' keys."""
    parties = {name: {"client": {"secretKey": secret, "transientSecretKey": fixed(name + " t"),
                                 "vouchNonce": fixed(name + " v", 16), "metadata": []},
                      "server": {"secretKey": secret, "transientSecretKey": fixed(name + " u"),
                                 "cookieKey": fixed(name + " k"), "cookieNonce": fixed(name + " n", 16),
                                 "welcomeNonce": fixed(name + " w", 16), "metadata": []},
                      "messages": []}
               for name, secret in OTHER_PARTIES.items()}
    request = {"curve": [{"input": parties[n], "tampers": []} for n in OTHER_PARTIES], "plain": []}
    first = call(tool, request)
    keys = {n: first["curve"][i]["keys"]["client"]["publicKey"] for i, n in enumerate(OTHER_PARTIES)}
    by_base = {name: [] for name in HANDSHAKES}
    for row in TAMPERS:
        slug, base, at, to, make = row[:5]
        by_base[base].append({"at": at, "to": to, "make": resolve(make, keys)})
    request = {"curve": [{"input": handshake_input(n), "tampers": by_base[n]} for n in HANDSHAKES],
               "plain": [{"input": plain_input(row)} for row in PLAIN]}
    return call(tool, request)


def call(tool, request):
    tool = Path(tool)
    if not tool.exists():
        raise SystemExit(f"gen_handshake: {tool} is missing: make {tool.relative_to(ROOT) if tool.is_relative_to(ROOT) else tool}")
    out = subprocess.run([str(tool)], input=json.dumps(request), capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"gen_handshake: {tool} failed: {out.stderr.strip()}")
    return json.loads(out.stdout)


# --------------------------------------------------------------------------
# The files

NOTES_CURVE = {
    "CompleteHandshake": ("BASIC", "A whole connection: every command both sides send, in order, each "
                                   "taken by the other side (vectors/FORMAT.md, \"Handshakes\")."),
    "ZmqCurveKeys": ("BASIC", "The permanent key pairs are zmq_curve(7)'s published test keys (z85_test.json "
                              "has them too)."),
    "EmptyMetadata": ("EDGE_CASE", "No property in INITIATE nor in READY: the least INITIATE (257 "
                                   "octets) and READY (30)."),
    "Multipart": ("EDGE_CASE", "A message of several frames: MESSAGEs with payload flag bit 0 (MORE), "
                               "then one without."),
    "EmptyFrame": ("EDGE_CASE", "A frame of 0 octets: a MESSAGE of 33 octets, the least."),
    "Interleaved": ("EDGE_CASE", "MESSAGEs of both sides interleaved: each side's short nonces count on "
                                 "by themselves."),
    "LongValue": ("EDGE_CASE", "A property value or a frame of hundreds of octets."),
    "AuthError": ("BASIC", "The server refuses the client after INITIATE with ERROR (an authentication "
                           "failure, curve.server.auth-fail-error, DECISIONS S4): no READY, no MESSAGE."),
    "FlippedOctet": ("MODIFIED_CIPHERTEXT", "One octet of a genuine command flipped (in a box, a nonce or "
                                            "a key)."),
    "OctetCount": ("MODIFIED_LENGTH", "A genuine command one octet shorter (its last cut) or longer (00 "
                                      "added)."),
    "HelloPadding": ("MODIFIED_FIELD", "HELLO's padding not all zero, the rest genuine."),
    "HelloVersion": ("MODIFIED_FIELD", "HELLO's version not 1.0, the rest genuine."),
    "WrongServerKey": ("WRONG_KEY", "A command boxed for, or with, another server key than the one the "
                                    "receiver holds or the client knows."),
    "WrongPrefix": ("WRONG_NONCE", "A box made under another command's nonce prefix."),
    "Reboxed": ("MODIFIED_PLAINTEXT", "A command boxed afresh, correctly, around something wrong: another "
                                      "text, key or vouch, or a used short nonce."),
    "Replay": ("REPLAY", "A genuine command of the peer delivered again, octet for octet."),
}
# The flags that name an input class of spec/leniency.md: their description comes from the
# table (vector_file.describe).
CLASS_FLAGS = ("CurveHello", "CurveWelcome", "CurveInitiate", "CurveReady", "CurveMessage",
               "CurveHelloBox", "CurveWelcomeBox", "CurveInitiateBox", "CurveReadyBox",
               "CurveMessageBox", "CurveClientNonce", "CurveServerNonce", "CurveMessageFlags")
# (a flag of its own must not be an input class: it would put the vector in that class)
assert not set(NOTES_CURVE) & set(LENIENCY), set(NOTES_CURVE) & set(LENIENCY)
NOTES_CURVE.update({flag: ("MALFORMED_INPUT", None) for flag in CLASS_FLAGS})
NOTES_CURVE["CurveMessageCommand"] = ("EDGE_CASE", None)

NOTES_PLAIN = {
    "CompleteHandshake": ("BASIC", "A whole PLAIN connection: every command both sides send, in order "
                                   "(vectors/FORMAT.md, \"Handshakes\")."),
    "EmptyCredentials": ("EDGE_CASE", "An empty user name and password (0 octets each)."),
    "LongCredentials": ("EDGE_CASE", "A user name and a password of 255 octets each, the most."),
    "EmptyMetadata": ("EDGE_CASE", "No property in INITIATE nor in READY."),
    "Refused": ("BASIC", "The server refuses the client with ERROR and a reason, after HELLO or after "
                         "INITIATE: a correct exchange that ends there."),
}


assert not set(NOTES_PLAIN) & set(LENIENCY), set(NOTES_PLAIN) & set(LENIENCY)


class HandshakeGroup(vector_file.Group):
    def t(self, slug, comment, flags, clauses, data, expected, result="valid"):
        result, clauses = self.admit(slug, comment, flags, clauses, result)
        # the receiver's check first, then the clauses that make it refuse, then the rule broken
        because = {c for f in flags if f in LENIENCY for c in LENIENCY[f].because}
        clauses = clauses[:1] + [c for c in clauses[1:] if c in because] + \
            [c for c in clauses[1:] if c not in because]
        self.data["tests"].append({"_slug": slug, "comment": comment, "flags": list(flags),
                                   "clauses": list(clauses), "input": data, "result": result,
                                   "expected": expected})
        self.vfile.flags_used.update(flags)
        self.vfile.clauses_used.update(clauses)


def with_keys(data, keys):
    """The input in the file's order: each side's keys first (from the tool)."""
    out = {}
    for side in ("client", "server"):
        given = data[side]
        k = keys[side]
        out[side] = {"publicKey": k["publicKey"], "secretKey": given["secretKey"],
                     "publicKeyZ85": k["publicKeyZ85"], "secretKeyZ85": k["secretKeyZ85"],
                     **{n: v for n, v in given.items() if n != "secretKey"}}
    out["messages"] = data["messages"]
    return out


def expected_of(report, deliver_at=None):
    report = copy.deepcopy(report)
    assert "problems" not in report, report
    if report["error"]:
        report["error"].pop("clause")
    return {"state": report["state"], "error": report["error"],
            "transientKeys": report["transientKeys"], "commands": report["commands"]}


def curve_file(answer):
    vf = vector_file.VectorFile(
        "curve_handshake", "zmtp", "3.1",
        ["26/CurveZMQ over 25/ZMTP-CURVE, whole connections: every input both sides are given or draw",
         "(keys, c', s', K, the long nonces, metadata, messages) and every command body each side sends,",
         "in order; then the same connections with one command tampered with, which its receiver must",
         "refuse. The octets come from zwire's C CurveZMQ layer with these fixed random inputs",
         "(vectors/tools/gen_handshake.py); vectors/FORMAT.md, \"Handshakes\", says how to replay them."],
        NOTES_CURVE)
    g = HandshakeGroup(vf, "curve-handshake", {})
    vf.groups.append(g)
    results = dict(zip(HANDSHAKES, answer["curve"]))
    zmq = results["zmq-curve-req-rep"]["keys"]
    assert (zmq["client"]["publicKey"], zmq["client"]["publicKeyZ85"], zmq["client"]["secretKeyZ85"]) == \
        (ZMQ_CLIENT[0], ZMQ_CLIENT[2], ZMQ_CLIENT[3]), "zmq_curve(7) client keys"
    assert (zmq["server"]["publicKey"], zmq["server"]["publicKeyZ85"], zmq["server"]["secretKeyZ85"]) == \
        (ZMQ_SERVER[0], ZMQ_SERVER[2], ZMQ_SERVER[3]), "zmq_curve(7) server keys"
    inputs = {}
    for name, h in HANDSHAKES.items():
        res = results[name]
        report = res["report"]
        assert report["state"] == "complete" and "problems" not in report, (name, report)
        data = with_keys(handshake_input(name), res["keys"])
        inputs[name] = (data, report)
        clauses = list(HANDSHAKE_CLAUSES)
        if "error" in h:
            clauses += ["curve.server.auth-fail-error", "curve.error.size"]
        else:
            clauses += READY_CLAUSES
        if h["messages"]:
            clauses += MESSAGE_CLAUSES
        if h.get("client_metadata") or h.get("server_metadata"):
            clauses += METADATA_CLAUSES
        clauses += h.get("extra_clauses", [])
        g.t(name, h["comment"], h["flags"], clauses, data, expected_of(report), h.get("result", "valid"))
    tampered = {name: iter(results[name]["tampers"]) for name in HANDSHAKES}
    for slug, base, at, to, _make, cls, flags, clauses, comment in TAMPERS:
        res = next(tampered[base])
        data, genuine = inputs[base]
        report = res["report"]
        deliver = res["deliver"]
        assert (deliver["at"], deliver["to"]) == (at, to), slug
        assert "problems" not in report, (slug, report)
        err = report["error"]
        assert err and err["class"] == LENIENCY[cls].codecs and err["offset"] == at, (slug, err)
        assert err["clause"] in clauses + list(LENIENCY[cls].because), \
            f"{slug}: the C layer names {err['clause']}, not among {clauses}"
        assert report["commands"] == genuine["commands"][:at], slug
        tin = copy.deepcopy(data)
        tin["messages"] = tin["messages"][:max(0, at - 4)]
        tin["deliver"] = deliver
        g.t(slug, f"{comment} ({BASE_LABELS[base]}, command {at}, to the {to})", [cls] + flags,
            clauses, tin, expected_of(report), TABLE)
    return vf


def plain_file(answer):
    vf = vector_file.VectorFile(
        "plain_handshake", "zmtp", "3.1",
        ["24/ZMTP-PLAIN, whole connections: the credentials and metadata both sides send and every",
         "command body, in order, an ERROR with its reason where the server refuses the client. The",
         "octets come from zwire's C codec (vectors/tools/gen_handshake.py); vectors/FORMAT.md,",
         "\"Handshakes\", says how to replay them."],
        NOTES_PLAIN)
    g = HandshakeGroup(vf, "plain-handshake", {})
    vf.groups.append(g)
    for row, res in zip(PLAIN, answer["plain"]):
        slug, comment, flags, _u, _p, cmeta, smeta, error = row
        report = res["report"]
        assert report["state"] == "complete" and "problems" not in report, (slug, report)
        clauses = list(PLAIN_CLAUSES)
        if not error or error[0] == "INITIATE":
            clauses.append("plain.initiate.metadata")
        if not error:
            clauses.append("plain.ready.metadata")
        else:
            clauses.append("plain.error.layout")
        g.t(slug, comment, flags, clauses, plain_input(row),
            {"state": "complete", "error": None, "commands": report["commands"]})
    return vf


_ANSWER = {}


def generators(tool):
    def answer():
        if "a" not in _ANSWER:
            _ANSWER["a"] = run_tool(tool)
        return _ANSWER["a"]
    return [("curve_handshake", lambda: curve_file(answer())),
            ("plain_handshake", lambda: plain_file(answer()))]


def main(argv=None):
    ap = argparse.ArgumentParser(add_help=False)
    ap.add_argument("--tool", default=str(DEFAULT_TOOL))
    args, rest = ap.parse_known_args(argv)
    return vector_file.main(__doc__, generators(args.tool), OUTDIR, GENERATED_SPECS, rest)


if __name__ == "__main__":
    sys.exit(main())
