"""Greeting and version negotiation (23/ZMTP and 37/ZMTP §greeting, §version
negotiation): what the implementation sends, and what it does with a greeting that is
malformed, of another version, or of another mechanism.  A PULL socket stands in for
any type: the greeting does not depend on it.
"""

import struct

from .. import wire
from .. import words
from ..case import Alt, case
from ..steps import handshake, handshake_control, opening, their_ready

TYPE = "PULL"
PEER = "PUSH"


def _version(conn):
    """The version its greeting announced, in words."""
    g = conn.inbound.greeting
    if g and "major" in g:
        return "its greeting announces %d.%d" % (g["major"], g["minor"])
    if g:
        return "its greeting is a ZMTP %s one" % g["version"]
    return "no whole greeting: %s" % conn.describe()


def own_greeting(t):
    handle, conn = t.link(TYPE)
    conn.send(wire.greeting(), "our greeting")
    conn.wait(lambda: len(conn.inbound.data) >= 64, 3.0)
    t.require(len(conn.inbound.data) >= 10, "no greeting: %s" % conn.describe())
    return conn


@case("zmtp.greeting.signature", "greeting", "The greeting opens with 0xFF, padding, 0x7F",
      ["zmtp31.greeting.signature", "zmtp31.compat.pseudo-length"])
def _(t):
    conn = own_greeting(t)
    data = bytes(conn.inbound.data[:10])
    t.expect("zmtp31.greeting.signature", data[0] == 0xFF and data[9] == 0x7F,
             "octet 0 is 0xFF and octet 9 is 0x7F",
             happened="its first 10 octets are %s" % data.hex(" "))
    padding = data[1:9]
    t.expect("zmtp31.compat.pseudo-length",
             padding == bytes(8) or struct.unpack(">Q", padding)[0] >= 1,
             "the padding is zero, or an identity length + 1 for 1.0 peers",
             happened="its padding is %s" % padding.hex(" "))


@case("zmtp.greeting.version", "greeting", "The implementation announces version 3.0 or 3.1",
      ["zmtp31.greeting.version-major", "zmtp31.greeting.version-minor"])
def _(t):
    conn = own_greeting(t)
    g = conn.inbound.greeting or {}
    t.expect("zmtp31.greeting.version-major", g.get("major") == 3,
             "major version 3", happened=_version(conn))
    t.expect("zmtp31.greeting.version-minor", g.get("minor") == 1, "minor version 1",
             [Alt(g.get("minor") == 0, "a 3.0 peer announces minor 0 (zmtp30)")],
             happened=_version(conn))


@case("zmtp.greeting.null-fields", "greeting", "NULL, as-server 0 and a zero filler",
      ["zmtp31.greeting.mechanism-name", "zmtp31.null.as-server-zero", "zmtp31.greeting.as-server",
       "zmtp31.greeting.filler"])
def _(t):
    conn = own_greeting(t)
    raw = bytes(conn.inbound.data[:64])
    t.require(len(raw) == 64, "no whole greeting (%d octets) to read its fields from: %s"
              % (len(raw), conn.describe()))
    g = conn.inbound.greeting or {}
    t.expect("zmtp31.greeting.mechanism-name", g.get("mechanism") == "NULL",
             "mechanism NULL, NUL-padded", happened="its mechanism field reads %s"
             % words.octets(bytes(conn.inbound.data[12:32]).rstrip(b"\0")))
    t.expect("zmtp31.greeting.as-server", raw[32] in (0, 1), "as-server is 0 or 1",
             happened="its as-server octet is 0x%02x" % raw[32])
    t.expect("zmtp31.null.as-server-zero", raw[32] == 0, "as-server is 0 with NULL",
             happened="its as-server octet is 0x%02x" % raw[32])
    t.expect("zmtp31.greeting.filler", raw[33:] == bytes(31), "the 31 filler octets are zero",
             happened="its filler is %s" % raw[33:].hex(" "))


@case("zmtp.greeting.whole-after-ours", "greeting",
      "Once it has read our whole greeting, the implementation sends its whole greeting",
      ["zmtp31.greeting.full-after-read", "zmtp31.version.full-greeting-default",
       "zmtp31.version.partial-greeting"])
def _(t):
    handle, conn = t.link(TYPE)
    first = opening(conn)       # nothing of ours is sent before: all of it precedes ours
    t.require(first or not conn.closed_by_peer, "no greeting: %s" % conn.describe())
    sent = "it sent %d octets before any of ours%s" % (
        first, "" if first else ", waiting 3 s: %s" % conn.describe())
    t.expect("zmtp31.version.full-greeting-default", first >= 64,
             "sends all 64 octets at once, before reading ours",
             [Alt(first in (10, 11),
                  "a detecting peer sends 10 or 11 octets first (zmtp31.version.partial-greeting)")],
             happened=sent)
    t.expect("zmtp31.version.partial-greeting", first in (10, 11) or first >= 64,
             "the first part is 10 or 11 octets, or the whole greeting", happened=sent)
    conn.send(wire.greeting(), "our whole greeting")
    t.expect("zmtp31.greeting.full-after-read", conn.wait(lambda: len(conn.inbound.data) >= 64, 2.0),
             "the whole 64-octet greeting follows ours")


@case("zmtp.greeting.one-octet-at-a-time", "greeting",
      "A greeting and READY that arrive one octet at a time complete the handshake",
      ["zmtp31.version.partial-greeting", "zmtp31.null.server-ready-reply"])
def _(t):
    handshake_control(t, TYPE, PEER)
    handle, conn = t.link(TYPE)
    data = wire.greeting() + wire.ready(PEER)
    conn.send_chunks([data[i:i + 1] for i in range(len(data))], "one octet per write")
    t.expect("zmtp31.null.server-ready-reply", conn.wait_command("READY", 3.0),
             "READY arrives after a trickled handshake")
    t.expect("zmtp31.version.partial-greeting", not conn.closed_by_peer,
             "the connection stays open")


def greeting_answer(t, greeting, breaks, what):
    """Our greeting (breaking the clauses `breaks`, or of an input class) and READY on a
    connection of its own; returns (refused in answer, the connection, the mark)."""
    handle, conn = t.link(TYPE)
    mark = t.hostile(conn, greeting + wire.ready(PEER), breaks, what + ", then READY")
    conn.wait(lambda: conn.closed_by_peer or their_ready(conn) is not None, 2.0)
    conn.wait_closed(0.5 if their_ready(conn) is None else 0)
    return conn.closed_since(mark) and their_ready(conn) is None, conn, mark


def answered(t, greeting, input_class, what):
    """A greeting of `input_class` (spec/leniency.md): where the table makes it invalid,
    the refusal is judged, after a control that shows the well-formed greeting accepted on a
    connection of the same kind; where it leaves the choice to the receiver, what the
    implementation did is reported."""
    judged = t.lenient(input_class).judged
    if judged:
        handshake_control(t, TYPE, PEER)
    refused_it, conn, mark = greeting_answer(t, greeting, input_class, what)
    t.answer(input_class, "closes without READY after %s" % what if judged else what,
             met=refused_it, happened=conn.answer_since(mark))


# Octet 9 must be 0x7F (the sender's rule); detection itself looks only at its bit 0, so a
# receiver may treat 0x7D as the end of a 3.x signature (SignatureEnd: acceptable).
@case("zmtp.greeting.bad-signature-end", "greeting",
      "Octet 9 with bit 0 set but not 0x7F: what the implementation does",
      ["zmtp31.greeting.signature", "zmtp31.greeting.detect-legacy"], inputs=["SignatureEnd"])
def _(t):
    answered(t, wire.greeting(signature_end=0x7D), "SignatureEnd", "signature octet 9 is 0x7D")


@case("zmtp.greeting.major-zero", "greeting",
      "Major version 0: the implementation closes or steps down, never goes on in 3.x",
      ["zmtp31.greeting.version-major", "zmtp31.version.downgrade-or-close"],
      inputs=["MajorZero"])
def _(t):
    handshake_control(t, TYPE, PEER)
    handle, conn = t.link(TYPE)
    conn.inbound.may_speak_other_version("it may read major 0 as an older version")
    mark = t.hostile(conn, wire.greeting(major=0) + wire.ready(PEER),
                     "MajorZero", "major version 0, then READY")
    conn.wait(lambda: conn.closed_by_peer or their_ready(conn) is not None, 2.0)
    went_on = their_ready(conn) is not None and not conn.closed_since(mark)
    t.answer("MajorZero",
             "closes, or answers in another version, but does not complete a 3.x handshake",
             met=not went_on, happened=conn.answer_since(mark))


@case("zmtp.greeting.mechanism-mismatch", "greeting",
      "A peer announcing PLAIN against our NULL: the connection is closed",
      ["zmtp31.greeting.mechanism-match"], inputs=["MechanismMismatch"])
def _(t):
    answered(t, wire.greeting(mechanism=b"PLAIN"), "MechanismMismatch", "mechanism PLAIN")


@case("zmtp.greeting.mechanism-lowercase", "greeting",
      "A mechanism 'null' differs from ours ('NULL'): the connection is closed",
      ["zmtp31.greeting.mechanism-name", "zmtp31.greeting.mechanism-match"],
      inputs=["MechanismName"])
def _(t):
    answered(t, wire.greeting(mechanism=b"null"), "MechanismName", "mechanism 'null'")


@case("zmtp.greeting.mechanism-not-nul-padded", "greeting",
      "Garbage after the mechanism name's NUL padding differs from ours: closed",
      ["zmtp31.greeting.mechanism-name", "zmtp31.greeting.mechanism-match"],
      inputs=["MechanismName"])
def _(t):
    answered(t, wire.greeting(mechanism=b"NULL\0\0X"), "MechanismName",
             "mechanism 'NULL' then a non-NUL octet")


@case("zmtp.greeting.as-server-two", "greeting", "as-server 2: what the implementation does",
      ["zmtp31.greeting.as-server"], inputs=["AsServerRange"])
def _(t):
    answered(t, wire.greeting(as_server=2), "AsServerRange", "as-server 2")


# In 3.1, NULL gives its peers roles by who binds (37/ZMTP: "The peer that binds SHALL be
# the server"), so as-server's "no significance" clause does not cover it; "MUST be zero"
# binds the sender, and a receiver may accept or refuse a 1 (NullAsServer: acceptable).
# This holds for 37/ZMTP only: 23/ZMTP (3.0) gives NULL no roles, both peers send READY
# unprompted, and there as-server has "no significance" (cases/zmtp30.py).
@case("zmtp.greeting.null-as-server-one", "greeting",
      "as-server 1 with NULL: what the implementation does",
      ["zmtp31.null.as-server-zero"], inputs=["NullAsServer"])
def _(t):
    answered(t, wire.greeting(as_server=1), "NullAsServer", "as-server 1")


@case("zmtp.greeting.padding-ignored", "greeting",
      "Non-zero padding changes nothing: the handshake completes",
      ["zmtp31.greeting.padding-ignored", "zmtp31.greeting.padding-no-meaning"],
      inputs=["Padding"])
def _(t):
    handshake_control(t, TYPE, PEER)
    handle, conn = t.link(TYPE)
    conn.send(wire.greeting(padding=b"\x5a" * 8) + wire.ready(PEER), "padding 5a x 8")
    t.answer("Padding", "READY arrives: the padding was not looked at",
             met=conn.wait_command("READY", 3.0))


@case("zmtp.greeting.higher-major", "greeting",
      "A peer announcing 4.0 is answered in 3.x: the handshake goes on",
      ["zmtp31.version.accept-higher", "zmtp31.version.own-protocol"], inputs=["HigherVersion"])
def _(t):
    handshake_control(t, TYPE, PEER)
    handle, conn = t.link(TYPE)
    conn.send(wire.greeting(major=4, minor=0) + wire.ready(PEER), "version 4.0")
    t.answer("HigherVersion", "READY arrives", met=conn.wait_command("READY", 3.0))
    g = conn.inbound.greeting or {}
    t.expect("zmtp31.version.own-protocol", g.get("major") == 3,
             "it keeps announcing 3", happened=_version(conn))


@case("zmtp.greeting.higher-minor", "greeting", "A peer announcing 3.2 is accepted",
      ["zmtp31.version.accept-higher"], inputs=["HigherVersion"])
def _(t):
    handshake_control(t, TYPE, PEER)
    handle, conn = t.link(TYPE)
    conn.send(wire.greeting(minor=2) + wire.ready(PEER), "version 3.2")
    t.answer("HigherVersion", "READY arrives", met=conn.wait_command("READY", 3.0))


@case("zmtp.greeting.peer-20", "greeting",
      "A 2.0 peer is either answered in 2.0 or closed, never half of each",
      ["zmtp31.version.downgrade-or-close", "zmtp31.version.downgrade", "zmtp31.greeting.detect-legacy"])
def _(t):
    handshake_control(t, TYPE, PEER)
    handle, conn = t.link(TYPE)
    conn.inbound.raw_only = True    # its answer is a 2.0 greeting behind a 3.x-looking head
    conn.inbound.may_speak_other_version("it may answer a 2.0 peer in 2.0")
    conn.send(b"\xff" + struct.pack(">Q", 1) + b"\x7f\x01\x08\x00\x00", "a 2.0 PUSH greeting")
    data = conn.inbound.data
    conn.wait(lambda: len(data) >= 14, 1.0)
    closed = conn.wait_closed(0.2)
    # 2.0 after octet 10 (our major or revision): socket type PULL (7), final short
    # identity frame (zmtp20.greeting.socket-type, zmtp20.greeting.identity)
    downgraded = len(data) >= 14 and data[11] == 7 and data[12] == 0x00
    t.expect("zmtp31.version.downgrade-or-close", closed or downgraded,
             "answers with a 2.0 greeting or closes (%s)"
             % ("closed" if closed else "2.0 greeting" if downgraded else "neither"))
    t.expect("zmtp31.version.downgrade", downgraded, "steps down to 2.0",
             [Alt(closed, "closing is the other conformant answer")])
    t.note("the implementation %s" % ("stepped down to 2.0" if downgraded else "closed"))


@case("zmtp.greeting.peer-10", "greeting", "A 1.0 peer is either answered in 1.0 or closed",
      ["zmtp31.version.downgrade-or-close", "zmtp31.greeting.detect-legacy"])
def _(t):
    handshake_control(t, TYPE, PEER)
    handle, conn = t.link(TYPE)
    conn.inbound.may_speak_other_version("it may answer a 1.0 peer in 1.0")
    conn.send(b"\x01\x00", "a 1.0 anonymous identity frame")
    closed = conn.wait_closed(1.0)
    t.expect("zmtp31.version.downgrade-or-close", closed or their_ready(conn) is None,
             "closes, or answers without 3.x commands")
    t.note("the implementation %s" % ("closed" if closed else "kept the connection open"))


@case("zmtp.greeting.truncated-then-gone", "robustness",
      "A peer that sends half a greeting and vanishes costs nothing: the next peer is served",
      ["zmtp31.error.close-temporary"], roles=("binds",))
def _(t):
    handshake_control(t, TYPE, PEER)
    handle, conn = t.link(TYPE)
    endpoint = t.bound[1]
    conn.send(wire.greeting()[:20], "20 octets of a greeting")
    conn.close()
    second = t.another_connection(handle, endpoint)
    t.expect("zmtp31.error.close-temporary", handshake(second, PEER),
             "a second connection completes its handshake")
    second.send(wire.frame(b"after"), "a message")
    got = t.recv(handle)
    t.expect("zmtp31.error.close-temporary", got == [b"after"], "its message is delivered")
