"""ZMTP 3.0 (23/ZMTP) against a 3.0 peer: the suite's greeting announces 3.0 (minor 0) and
it subscribes the 3.0 way (one-frame 0x01 / 0x00 messages); it never sends PING, which
3.0 does not have, so its barriers are messages.  What is checked is what 23/ZMTP asks of
the implementation meeting such a peer: the greeting exchange (detecting or not, the whole
greeting once ours is read, padding without meaning, its own version and framing kept), the
NULL handshake (READY both ways, before receiving, commands before messages, metadata), ERROR
and unexpected closes, atomic / ordered / single delivery, every socket type in both roles,
connecting before the endpoint exists, the 3.0 publish-subscribe rules, and clear text on
the wire.

Not here (and not cited, so that the trace does not count them): closing on a legacy peer
with a mechanism other than NULL, message data inside commands on an encrypted link, and
the downgrade guard all need PLAIN or CURVE (spec/waivers.md); that as-server means nothing
to a mechanism without roles cannot be seen with NULL, in 23/ZMTP (3.0) the only such
mechanism (both peers send READY, neither is client or server), which pins as-server to 0:
no two legal NULL greetings differ in as-server alone, and what an implementation does
with as-server 1 is the case zmtp.greeting.null-as-server-one.  That holds for 3.0 only:
37/ZMTP (3.1) gives NULL roles by who binds ("The peer that binds SHALL be the server"),
as cases/greeting.py says.
"""

import socket
import struct

from .. import wire
from .. import words
from ..case import case
from ..steps import (error_after_handshake, error_in_handshake, handshake, handshake_control,
                     handshaken, in_sent_order, missing, not_whole, opening, property_of,
                     reconnection, repeated, routed_by_identity, their_ready)

AREA = "zmtp30"
TYPES = ("PAIR", "PUB", "SUB", "XPUB", "XSUB", "REQ", "REP", "DEALER", "ROUTER", "PUSH", "PULL")
PARTNER = {"PAIR": "PAIR", "PUB": "SUB", "XPUB": "SUB", "SUB": "PUB", "XSUB": "PUB",
           "REQ": "REP", "REP": "REQ", "DEALER": "ROUTER", "ROUTER": "DEALER",
           "PUSH": "PULL", "PULL": "PUSH"}
ALPHA = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

ATOMIC = "zmtp30.frame.message-atomic"
IN_ORDER = "zmtp30.socket.in-order"
NO_DUPLICATES = "zmtp30.socket.no-duplicates"
PIPELINE = "zmtp30.socket.pipeline-semantics"


def greeting30(**fields):
    return wire.greeting(minor=0, **fields)


def handshake30(conn, peer_type, identity=None, extra=b""):
    return handshake(conn, peer_type, minor=0, identity=identity, extra=extra)


def ready_link(t, socket_type, peer, **options):
    handle, conn = t.link(socket_type, **options)
    handshaken(t, conn, peer, minor=0)
    return handle, conn


msg = wire.message


def _ready_and(ready, got, conn):
    """Whether READY came, and what was delivered, in words."""
    if not ready:
        return "it sent no READY: %s" % conn.describe()
    return "READY came; %s" % words.delivered(got)


def whole_greeting(conn, seconds=2.0):
    return conn.wait(lambda: conn.inbound.greeting is not None, seconds)


# --- greeting and version ---------------------------------------------------------------

@case("zmtp.v30.greeting.opening", AREA,
      "A detecting peer opens with 10 or 11 octets, and sends the rest once it reads our "
      "3.x major version; a non-detecting one sends all 64 at once",
      ["zmtp30.version.partial-greeting"])
def _(t):
    handshake_control(t, "PULL", "PUSH", minor=0)
    handle, conn = t.link("PULL")
    first = opening(conn)
    t.expect("zmtp30.version.partial-greeting", first in (10, 11) or first >= 64,
             "its opening, before any of ours, is 10 or 11 octets, or the whole greeting",
             happened="it sent %d octets before any of ours%s" % (first, "" if first else
                                                                  ": %s" % conn.describe()))
    conn.send(greeting30()[:11], "our opening: signature and major version 3")
    t.expect("zmtp30.version.partial-greeting", whole_greeting(conn),
             "after our 11 octets its whole greeting follows: two detecting peers do not "
             "wait on each other", happened=conn.describe())
    conn.send(greeting30()[11:] + wire.ready("PUSH"), "the rest of our 3.0 greeting, READY")
    t.expect("zmtp30.version.partial-greeting", conn.wait_command("READY", 2.0),
             "the handshake completes: READY arrives")


@case("zmtp.v30.greeting.all-at-once", AREA,
      "A peer that sends all 64 octets of its 3.0 greeting at once gets a whole greeting "
      "back and a handshake",
      ["zmtp30.version.full-greeting-strict"])
def _(t):
    handshake_control(t, "PULL", "PUSH", minor=0)
    handle, conn = t.link("PULL")
    conn.send(greeting30(), "all 64 octets at once, before reading anything")
    t.expect("zmtp30.version.full-greeting-strict", whole_greeting(conn),
             "its whole 64-octet greeting comes back", happened=conn.describe())
    conn.send(wire.ready("PUSH"), "READY")
    ready = conn.wait_command("READY", 2.0)
    if ready:
        conn.send(wire.frame(b"strict"), "a message 'strict'")
    got = t.recv(handle, 2.0 if ready else 0.2)
    t.expect("zmtp30.version.full-greeting-strict", ready and got == [b"strict"],
             "READY arrives and our message is delivered",
             happened=_ready_and(ready, got, conn))


@case("zmtp.v30.greeting.expects-64", AREA,
      "With 63 octets of our 3.0 greeting in, what the implementation does is reported; "
      "once the 64th is in, the handshake completes",
      ["zmtp30.version.full-greeting-strict", "zmtp30.version.partial-greeting"])
def _(t):
    # The clauses say what a peer sends first and that it "SHALL expect a matching 64
    # octet greeting", nothing of when READY may go out: a READY before our 64th octet is
    # reported, and the judgement is that the handshake completes once the 64th is in.
    handshake_control(t, "PULL", "PUSH", minor=0)
    handle, conn = t.link("PULL")
    first = opening(conn)
    # a non-detecting peer expects 64 octets back (strict); a detecting one reads the
    # remaining 53 of a 3.x peer before its mechanism handshake (partial)
    clause = ("zmtp30.version.full-greeting-strict" if first >= 64
              else "zmtp30.version.partial-greeting")
    t.note("its opening was %d octets: judged under %s" % (first, clause))
    conn.send(greeting30()[:63], "63 octets of our greeting: the last filler octet missing")
    if conn.wait_command("READY", 0.5):
        t.observe(clause, "what it sent while the 64th octet of our greeting was missing "
                  "(the clause does not say when READY may go out)", happened=conn.describe())
    else:
        t.note("with 63 octets of our greeting: %s" % conn.describe())
    conn.send(greeting30()[63:] + wire.ready("PUSH"), "the 64th octet, READY")
    t.expect(clause, conn.wait_command("READY", 2.0),
             "with the 64th octet, the handshake completes: READY arrives",
             happened=conn.describe())


@case("zmtp.v30.greeting.whole-after-ours", AREA,
      "Once it has read our whole 3.0 greeting, the implementation has sent its whole greeting",
      ["zmtp30.greeting.full-after-read"])
def _(t):
    handshake_control(t, "PULL", "PUSH", minor=0)
    handle, conn = t.link("PULL")
    first = opening(conn)
    conn.send(greeting30(), "our whole 3.0 greeting, and nothing else")
    t.expect("zmtp30.greeting.full-after-read", whole_greeting(conn),
             "its whole 64-octet greeting follows (it had sent %d, now %d)"
             % (first, len(conn.inbound.data)))


def padding_case(name, padding):
    @case("zmtp.v30.greeting.padding.%s" % name, AREA,
          "Padding %s in a 3.0 greeting changes nothing: handshake and delivery as with zeros"
          % padding.hex(),
          ["zmtp30.greeting.padding-no-meaning"])
    def _(t):
        handshake_control(t, "PULL", "PUSH", minor=0)
        handle, conn = t.link("PULL")
        conn.send(greeting30(padding=padding) + wire.ready("PUSH"),
                  "3.0 greeting with padding %s, READY" % padding.hex())
        ready = conn.wait_command("READY", 3.0)
        if ready:
            conn.send(wire.frame(b"padded"), "a message 'padded'")
        got = t.recv(handle, 2.0 if ready else 0.2)
        g = conn.inbound.greeting or {}
        t.expect("zmtp30.greeting.padding-no-meaning",
                 ready and got == [b"padded"] and g.get("major") == 3,
                 "a 3.x greeting and READY come back and the message is delivered",
                 happened=_ready_and(ready, got, conn))


for _name, _padding in (("nonzero", b"\x5a" * 8), ("all-ones", b"\xff" * 8),
                        ("legacy-length", struct.pack(">Q", 1))):
    padding_case(_name, _padding)


def own_protocol_case(slug, title, minor, needs=None):
    @case(slug, AREA, title, ["zmtp30.version.own-protocol", "zmtp30.null.as-server-zero"],
          needs=needs)
    def _(t):
        options = {"zmtpMinor": minor} if minor is not None else {}
        handle, conn = ready_link(t, "PUSH", "PULL", **options)
        own = minor if minor is not None else (
            1 if "3.1" in t.adapter.capabilities.get("zmtp", []) else 0)
        g = conn.inbound.greeting or {}
        t.expect("zmtp30.version.own-protocol", g.get("major") == 3 and g.get("minor") == own,
                 "its greeting announces its own version 3.%d" % own,
                 happened="its greeting announces %s.%s" % (g.get("major"), g.get("minor"))
                 if g else "no whole greeting: %s" % conn.describe())
        t.expect("zmtp30.null.as-server-zero", g.get("asServer") == 0 and g.get("mechanism")
                 == "NULL", "NULL with as-server 0",
                 happened="its greeting has mechanism %s and as-server %s"
                 % (g.get("mechanism"), g.get("asServer")) if g else "no whole greeting")
        sent = [b"short", b"L" * 300]
        t.send(handle, sent)
        conn.wait_messages(1)
        frames = conn.inbound.frames()
        data = [f for f in frames if not f.flags & 0x04]
        t.expect("zmtp30.version.own-protocol",
                 bool(frames) and frames[0].flags == 0x04 and conn.inbound.messages() == [sent]
                 and [f.flags for f in data] == [0x01, 0x02],
                 "3.x framing: READY in a command frame, the message in a short MORE frame "
                 "and a LONG last frame",
                 happened="its frames' flags: %s; %s"
                 % (", ".join("0x%02x" % f.flags for f in frames) or "no frame",
                    words.sent(conn.inbound.messages(), conn)))


own_protocol_case("zmtp.v30.version.own-protocol",
                  "Against a 3.0 peer the implementation keeps its own greeting fields and "
                  "3.x framing", None)
own_protocol_case("zmtp.v30.version.own-protocol-as-30",
                  "Announcing 3.0 itself (zmtpMinor 0), against a 3.0 peer it keeps 3.0",
                  0, needs={"options": ["zmtpMinor"]})


# --- the NULL handshake -------------------------------------------------------------------

@case("zmtp.v30.null.ready-unprompted", AREA,
      "The implementation sends READY to a 3.0 peer without waiting for the peer's",
      ["zmtp30.null.ready-before-receive"])
def _(t):
    handshake_control(t, "PULL", "PUSH", minor=0)
    handle, conn = t.link("PULL")
    conn.send(greeting30(), "our 3.0 greeting, READY withheld")
    t.expect("zmtp30.null.ready-before-receive", conn.wait_command("READY", 3.0),
             "its READY arrives before ours was sent")


@case("zmtp.v30.null.ready-both", AREA,
      "Both sides send READY: one READY from the implementation, then messages both ways",
      ["zmtp30.null.ready-both"])
def _(t):
    handle, conn = ready_link(t, "PAIR", "PAIR")
    conn.send(wire.frame(b"in"), "a message 'in'")
    got = t.recv(handle)
    t.send(handle, [b"out"])
    conn.wait_messages(1)
    readies = [n for n, _ in conn.inbound.commands()].count("READY")
    t.expect("zmtp30.null.ready-both",
             readies == 1 and got == [b"in"] and conn.inbound.messages() == [[b"out"]],
             "one READY, and after both READYs a message each way",
             happened="it sent %d READY; %s; %s" % (readies, words.delivered(got),
                                                   words.sent(conn.inbound.messages(), conn)))


@case("zmtp.v30.handshake.ready-before-messages", AREA,
      "The implementation's first frame after the greeting is READY; no message before it",
      ["zmtp30.handshake.commands-first"])
def _(t):
    handshake_control(t, "PUSH", "PULL", minor=0)
    handle, conn = t.link("PUSH")
    early = t.send(handle, [b"early"], 0.3)     # queued before any handshake, if taken
    conn.send(greeting30(), "our 3.0 greeting, READY withheld")
    conn.wait_command("READY", 2.0)
    conn.send(wire.ready("PULL"), "READY")
    if not early:
        t.send(handle, [b"early"])
    conn.wait_messages(1)
    frames = conn.inbound.frames()
    first = frames[0] if frames else None
    t.expect("zmtp30.handshake.commands-first",
             first is not None and first.flags & 0x04 and first.command
             and first.command.get("name") == "READY" and conn.inbound.messages() == [[b"early"]],
             "READY comes first, then the message",
             happened="it sent %s (the message was %s before the handshake)"
             % (", ".join((f.command or {}).get("name") or "a message frame" for f in frames)
                or "nothing", "queued" if early else "not taken"))


@case("zmtp.v30.handshake.message-instead-of-ready", AREA,
      "A 3.0 peer that sends a message instead of READY: what the implementation does",
      ["zmtp30.handshake.commands-first"], inputs=["MessageBeforeReady"])
def _(t):
    handle, conn = t.link("PULL")
    mark = t.hostile(conn, greeting30() + wire.frame(b"early"), "MessageBeforeReady",
                     "3.0 greeting, then a message 'early'")
    conn.wait_closed(1.0)
    got = t.recv(handle, 0.2 if conn.closed_since(mark) else 1.0)
    t.answer("MessageBeforeReady", "a message before READY",
             happened="%s; %s" % (conn.answer_since(mark), words.delivered(got)))


@case("zmtp.v30.metadata.exchange", AREA,
      "READY carries metadata both ways: the ROUTER's Socket-Type comes, our READY (Identity "
      "and an unknown X- property) is taken, and a ROUTER we connect to routes by the Identity",
      ["zmtp30.metadata.exchange", "zmtp30.metadata.socket-type",
       "zmtp30.socket.reqrep-semantics"])
def _(t):
    # The mechanism SHALL carry metadata both ways (zmtp30.metadata.exchange); the sender
    # SHOULD name its Socket-Type (zmtp30.metadata.socket-type); routing by an Identity is
    # 28/REQREP's SHOULD, which 23/ZMTP says to follow (zmtp30.socket.reqrep-semantics),
    # and 23/ZMTP describes it for a peer connecting to a ROUTER only.
    handle, conn = t.link("ROUTER")
    handshaken(t, conn, "DEALER", minor=0, identity=b"v30-dealer",
               extra=wire.prop(b"X-Suite", b"zmtp30"))
    props = their_ready(conn)
    t.expect("zmtp30.metadata.socket-type", property_of(props, "Socket-Type") == b"ROUTER",
             "its READY carries Socket-Type ROUTER", happened="its READY carries %s"
             % words.value(props) if props is not None else "it sent no READY")
    conn.send(wire.frame(b"hello"), "a message 'hello'")
    got = t.recv(handle)
    t.expect("zmtp30.metadata.exchange", got is not None and got[-1:] == [b"hello"],
             "our READY, with properties it knows nothing of, was taken: the message is "
             "delivered", happened=words.delivered(got))
    t.require(got is not None, "no message to route by: %s" % words.delivered(got))
    routed_by_identity(t, got, b"v30-dealer", "zmtp30")


# --- socket types and identities ----------------------------------------------------------------

@case("zmtp.v30.sockets.every-type", AREA,
      "Every socket type completes a handshake with a 3.0 peer in this role, announcing "
      "its own Socket-Type",
      ["zmtp30.socket.bind-and-connect", "zmtp30.socket-type.values",
       "zmtp30.metadata.socket-type"])
def _(t):
    # Naming its own type is the sender's SHOULD ("which specifies the sender's socket
    # type ... SHOULD specify"); a Socket-Type it sends "SHALL match this grammar" (values).
    handshake_control(t, "PULL", "PUSH", minor=0)
    offered = [s for s in TYPES if s in t.adapter.capabilities.get("socketTypes", [])]
    if not offered:
        t.unsupported("no standard socket type")
    links, wrong = [], []
    for socket_type in offered:
        handle, conn = t.link(socket_type)
        ok = handshake30(conn, PARTNER[socket_type])
        value = property_of(their_ready(conn), "Socket-Type")
        links.append((socket_type, conn, ok))
        if value != socket_type.encode():
            wrong.append((socket_type, value))
    links[-1][1].stays_open(0.2)                # the last READY of ours had the least time
    failed = [s for s, conn, ok in links if not ok or not conn.stays_open(0.01)]
    t.expect("zmtp30.socket.bind-and-connect", not failed,
             "%d types: each READY arrives and the connection stays open" % len(links),
             happened="failed: %s" % ", ".join(failed) if failed else "every one did")
    said = "; ".join("its %s announced %s" % (s, words.value(v) if v is not None else
                                              "no Socket-Type") for s, v in wrong)
    t.expect("zmtp30.metadata.socket-type", not wrong,
             "each READY has a Socket-Type naming the socket's own type",
             happened=said or "every one did")
    outside = [(s, v) for s, v in wrong if v is not None and v.decode("latin-1") not in TYPES]
    t.expect("zmtp30.socket-type.values", not outside,
             "each Socket-Type sent is one of the grammar's names, exactly",
             happened="; ".join("its %s announced %s" % (s, words.value(v))
                                for s, v in outside) or "every one sent is")


@case("zmtp.v30.metadata.identity-length", AREA,
      "The Identity in READY is 0..255 octets: a configured 255-octet one exactly, and "
      "the default one within bounds",
      ["zmtp30.identity.length"], needs={"options": ["identity"]})
def _(t):
    identity = bytes(range(1, 256))
    handle, conn = ready_link(t, "DEALER", "ROUTER", identity=identity.hex())
    got = property_of(their_ready(conn), "Identity")
    t.expect("zmtp30.identity.length", got == identity,
             "a DEALER set to a 255-octet identity announces it exactly",
             happened="its Identity is %s" % words.octets(got) if got is not None
             else "its READY has no Identity")
    handle, conn = ready_link(t, "DEALER", "ROUTER")
    got = property_of(their_ready(conn), "Identity")
    t.expect("zmtp30.identity.length", got is None or len(got) <= 255,
             "a DEALER without one announces none or 0..255 octets",
             happened="its Identity is %s" % words.octets(got) if got is not None
             else "its READY has no Identity")


class PortListener(wire.RawListener):
    """A listener on a socket already bound (not yet listening): connections to it are
    refused until listen()."""

    def __init__(self, sock, clock, transcript):
        self.sock, self.clock, self.transcript, self.accepted = sock, clock, transcript, 0
        self.endpoint = "tcp://127.0.0.1:%d" % sock.getsockname()[1]

    def listen(self):
        self.sock.listen(16)


@case("zmtp.v30.sockets.connect-before-listen", AREA,
      "A socket connects to an endpoint where nothing listens yet, and gets there once "
      "something does",
      ["zmtp30.socket.async-connect"], roles=("connects",))
def _(t):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))                 # the port is ours, but refuses connections
    listener = PortListener(sock, t.clock, t.transcript)
    t.listeners.append(listener)
    handle = t.socket("PUSH", reconnectIvl=50)
    reply = t.adapter.request("connect", socket=handle, endpoint=listener.endpoint)
    t.expect("zmtp30.socket.async-connect", bool(reply.get("ok")),
             "connecting to %s, where nothing listens, is accepted" % listener.endpoint,
             happened="the adapter answered %s" % ("ok" if reply.get("ok")
                                                  else "an error: %s" % reply.get("error")))
    if not reply.get("ok"):
        return
    queued = t.send(handle, [b"queued"], 0.3)
    t.note("a message sent before anything listened was %s" % ("queued" if queued
                                                                else "not taken"))
    listener.listen()
    conn = listener.accept(3.0)
    if conn is not None:
        t.connections.append(conn)
    ok = conn is not None and handshake30(conn, "PULL")
    if ok and not queued:
        t.send(handle, [b"queued"])
    if ok:
        conn.wait_messages(1)
    t.expect("zmtp30.socket.async-connect",
             ok and conn.inbound.messages() == [[b"queued"]],
             "once we listen it connects (reconnectIvl 50 ms), completes the handshake and "
             "the message arrives",
             happened="it did not connect within 3 s" if conn is None else
             "no handshake: %s" % conn.describe() if not ok
             else words.sent(conn.inbound.messages(), conn))


# --- ERROR and unexpected closes ----------------------------------------------------------

@case("zmtp.v30.error.instead-of-ready", AREA,
      "ERROR from a 3.0 peer instead of READY is fatal: closed, no reconnection",
      ["zmtp30.error.fatal"])
def _(t):
    error_in_handshake(t, "zmtp30.error.fatal", minor=0)


@case("zmtp.v30.error.after-ready", AREA,
      "ERROR from a 3.0 peer after the handshake (outside the clause): what it does",
      ["zmtp30.error.fatal"])
def _(t):
    error_after_handshake(t, "zmtp30.error.fatal", minor=0)


@case("zmtp.v30.error.closed-mid-message", AREA,
      "A 3.0 peer that vanishes inside a message: an unexpected, temporary close; the next "
      "connection is served and nothing of the cut message is delivered",
      ["zmtp30.error.close-temporary", "zmtp30.error.reconnect", ATOMIC])
def _(t):
    handle, conn = ready_link(t, "PULL", "PUSH", reconnectIvl=50)
    endpoint = t.bound[1] if t.bound else None
    conn.send(wire.frame(b"part1", more=True) + wire.frame(b"part2-of-20-octets")[:8],
              "'part1' with MORE, half of the last part")
    conn.close()
    if t.role == "binds":
        again = t.another_connection(handle, endpoint)
    else:
        again = reconnection(t, 2.0)
        t.expect("zmtp30.error.reconnect", again is not None,
                 "it connects again within 2 s (reconnectIvl 50 ms)")
        t.require(again is not None, "it did not connect again: nothing more to see")
    ok = handshake30(again, "PUSH")
    t.expect("zmtp30.error.close-temporary", ok,
             "the next connection completes its handshake")
    t.require(ok, "no handshake on the next connection: %s" % again.describe())
    again.send(wire.frame(b"after"), "a message 'after'")
    got = t.recv(handle)
    t.require(got is not None, "it delivered nothing, not even 'after': no first message "
              "to judge the cut one by")
    t.expect(ATOMIC, got == [b"after"],
             "the first message delivered is 'after', nothing of the cut one",
             happened=words.delivered(got))


@case("zmtp.v30.frame.message-atomic", AREA,
      "A message is delivered whole or not at all, and sent whole: three frames each way",
      [ATOMIC])
def _(t):
    handle, conn = ready_link(t, "PAIR", "PAIR")
    conn.send(wire.frame(b"a", more=True) + wire.frame(b"b", more=True), "'a', 'b' with MORE")
    conn.stays_open(0.2)    # the first parts arrive alone; no verdict rests on this wait
    conn.send(wire.frame(b"c"), "the last part 'c'")
    # The barrier is the message itself: parts delivered early would be the first message.
    got = t.recv(handle)
    t.require(got is not None, "it delivered nothing: no first message to judge")
    t.expect(ATOMIC, got == [b"a", b"b", b"c"],
             "nothing before the last frame: the first message delivered is [a, b, c]",
             happened=words.delivered(got))
    t.send(handle, [b"x", b"", b"z"])
    conn.wait_messages(1)
    t.require(conn.inbound.messages(), "it sent no message: %s" % conn.describe())
    t.expect(ATOMIC, conn.inbound.messages() == [[b"x", b"", b"z"]],
             "[x, '', z] goes out as one message of three frames",
             happened=words.sent(conn.inbound.messages(), conn))


# --- order, duplicates, atomicity ---------------------------------------------------------

def fifty():
    out = []
    for i in range(50):
        body = b"%03d:" % i + bytes([i]) * (i * 37 % 300)
        out.append([body, b"", b"tail-%d" % i] if i % 10 == 9 else [body])
    return out + [[b"end"]]


def order_verdicts(t, got, sent):
    """Each judged apart: none twice (no-duplicates), those that came in the order sent
    (in-order), each whole (atomic), none lost (30/PIPELINE: PUSH "SHALL NOT discard
    messages", PULL "SHALL deliver these"; a SHOULD through pipeline-semantics)."""
    def key(m):
        return m[0][:4] if m else b""
    count = "%d of the %d messages came through" % (len(got), len(sent))
    again = repeated(got, key)
    t.expect(NO_DUPLICATES, not again, "each at most once",
             happened="%s; %d more than once" % (count, len(again)) if again else count)
    t.expect(IN_ORDER, in_sent_order(got, sent, key), "in the order sent", happened=count)
    broken = not_whole(got, sent, key)
    t.expect("zmtp30.socket.atomic", not broken, "every message whole, frame for frame",
             happened="not whole: %s" % words.messages(broken[:3]) if broken else count)
    lost = missing(got, sent, key)
    t.expect(PIPELINE, not lost, "none is lost: 'end' is the 51st message",
             happened="%s; the first missing %s" % (count, words.frames(lost[0]))
             if lost else count)


@case("zmtp.v30.sockets.in-order-inbound", AREA,
      "50 messages from a 3.0 PUSH peer are delivered in order, whole, once",
      [IN_ORDER, NO_DUPLICATES, "zmtp30.socket.atomic", PIPELINE])
def _(t):
    handle, conn = ready_link(t, "PULL", "PUSH")
    sent = fifty()
    conn.send(b"".join(msg(*m) for m in sent), "50 messages, then 'end'")
    got = []
    while len(got) < len(sent):
        m = t.recv(handle)
        if m is None:
            break
        got.append(m)
    order_verdicts(t, got, sent)


@case("zmtp.v30.sockets.in-order-outbound", AREA,
      "50 messages sent by PUSH reach its 3.0 peer in order, whole, once",
      [IN_ORDER, NO_DUPLICATES, "zmtp30.socket.atomic", PIPELINE])
def _(t):
    handle, conn = ready_link(t, "PUSH", "PULL")
    taken = [m for m in fifty() if t.send(handle, m)]
    if len(taken) < 51:
        t.note("it took %d of the 51 messages (a send may block): judged on those"
               % len(taken))
    conn.wait_messages(len(taken), 5.0)
    order_verdicts(t, conn.inbound.messages(), taken)


# --- publish-subscribe, 3.0 subscriptions -------------------------------------------------

def subscription(topic, subscribe=True):
    return wire.frame((b"\x01" if subscribe else b"\x00") + topic)


def is_probe(m):
    return len(m) == 1 and m[0].startswith(b"\xfe")


def barrier(t, handle, conn, subscriptions, mark):
    """Sends 3.0 subscriptions, then subscribes to `mark` (0xFE...) and publishes probes
    until one arrives: then everything sent before it is in force.  True if one did."""
    conn.send(b"".join(subscriptions) + subscription(mark),
              "3.0 subscriptions (%d), then 01 %s as a barrier"
              % (len(subscriptions), words.octets(mark)))
    probe = [mark + b"-probe"]
    for _ in range(10):
        t.send(handle, probe)
        if conn.wait(lambda: probe in conn.inbound.messages(), 0.2):
            return True
    t.note("no probe %s came through" % words.octets(mark))
    return False


def publish(t, handle, conn, messages, end):
    """Publishes messages, then `end`; what arrived from the first to `end`, no probes."""
    start = len(conn.inbound.messages())
    for m in messages + [end]:
        t.send(handle, m)
    conn.wait(lambda: end in conn.inbound.messages()[start:], 2.0)
    return [m for m in conn.inbound.messages()[start:] if not is_probe(m)]


def publisher(t, *topics):
    handle, conn = ready_link(t, "PUB", "SUB")
    barrier(t, handle, conn, [subscription(topic) for topic in topics], b"\xfe0")
    return handle, conn


@case("zmtp.v30.pubsub.empty-matches-all", AREA,
      "A 3.0 peer's empty subscription matches every message, the empty one too",
      ["zmtp30.pubsub.empty-matches-all"])
def _(t):
    handle, conn = publisher(t, b"")
    sent = [[b""], [b"x"], [b"\x00\xff"], [b"", b"second"]]
    got = publish(t, handle, conn, sent, [b"end"])
    t.expect("zmtp30.pubsub.empty-matches-all", got == sent + [[b"end"]],
             "all of them arrive", happened=words.sent(got, conn))


@case("zmtp.v30.pubsub.additive", AREA,
      "A 3.0 peer's subscriptions add up: the union of the topics is sent",
      ["zmtp30.pubsub.additive"])
def _(t):
    handle, conn = publisher(t, b"a", b"b")
    got = publish(t, handle, conn, [[b"a1"], [b"b1"], [b"c1"], [b"ab1"]], [b"b-end"])
    t.expect("zmtp30.pubsub.additive", got == [[b"a1"], [b"b1"], [b"ab1"], [b"b-end"]],
             "a1, b1, ab1 and b-end arrive, c1 does not", happened=words.sent(got, conn))


@case("zmtp.v30.pubsub.counted", AREA,
      "A 3.0 peer that subscribes twice to a topic must cancel it twice",
      ["zmtp30.pubsub.counted", "zmtp30.pubsub.additive"])
def _(t):
    handle, conn = publisher(t, b"t", b"t", b"m")
    barrier(t, handle, conn, [subscription(b"t", False)], b"\xfe1")
    first = publish(t, handle, conn, [[b"t1"]], [b"m-end-1"])
    t.expect("zmtp30.pubsub.counted", first == [[b"t1"], [b"m-end-1"]],
             "after one 00 't' of two, t1 still arrives", happened=words.sent(first, conn))
    barrier(t, handle, conn, [subscription(b"t", False)], b"\xfe2")
    second = publish(t, handle, conn, [[b"t2"]], [b"m-end-2"])
    t.expect("zmtp30.pubsub.additive", second == [[b"m-end-2"]],
             "after the second 00 't', t2 does not", happened=words.sent(second, conn))


@case("zmtp.v30.pubsub.one-copy", AREA,
      "A message several of a 3.0 peer's subscriptions match is sent to it once",
      [NO_DUPLICATES, "zmtp30.pubsub.additive"])
def _(t):
    handle, conn = publisher(t, b"", b"a", b"ab", b"abc")
    sent = [[b"abcd"], [b"b"], [b"abc-end"]]
    got = publish(t, handle, conn, sent[:2], sent[2])
    t.expect(NO_DUPLICATES, not repeated(got), "no message twice",
             happened=words.sent(got, conn))
    # one sent not at all is the filter's: '' with 'a', 'ab', 'abc' is '' alone (additive)
    t.expect("zmtp30.pubsub.additive", not missing(got, sent),
             "all three are sent: '' matches them all", happened=words.sent(got, conn))


# --- the wire in clear ------------------------------------------------------------------------

@case("zmtp.v30.wire.clear-text", AREA,
      "With NULL, messages travel as ordinary 3.x message frames, both ways, around the "
      "short / long size boundary",
      ["zmtp30.wire.clear-text-messages", "zmtp30.wire.clear-text-framing"])
def _(t):
    handle, conn = ready_link(t, "PAIR", "PAIR")
    sent = [b"x" * 255, b"y" * 256, b""]
    t.send(handle, sent)
    conn.wait_messages(1)
    data = [f for f in conn.inbound.frames() if not f.flags & 0x04]
    t.expect("zmtp30.wire.clear-text-messages", [bytes(f.body) for f in data] == sent,
             "the message is three data frames with its octets verbatim",
             happened="it sent data frames of %s octets, and the commands %s"
             % (", ".join(str(len(f.body)) for f in data) or "no",
                ", ".join(n for n, _ in conn.inbound.commands()) or "none"))
    flags = [f.flags for f in data]
    t.expect("zmtp30.wire.clear-text-framing",
             len(flags) == 3 and flags[0] in (0x01, 0x03) and flags[1] == 0x03
             and flags[2] in (0x00, 0x02),
             "MORE on all but the last frame, LONG on the 256-octet one",
             happened="its data frames' flags: %s" % (", ".join("0x%02x" % f for f in flags)
                                                      or "no frame"))
    inbound = [b"s" * 5, b"t" * 300, b"u"]
    conn.send(wire.frame(inbound[0], more=True, long=True) + wire.frame(inbound[1], more=True)
              + wire.frame(inbound[2]), "5 octets in a long frame, 300, 1")
    got = t.recv(handle)
    t.expect("zmtp30.wire.clear-text-framing", got == inbound,
             "our three frames, long sizes included, are delivered verbatim",
             happened=words.delivered(got))


@case("zmtp.v30.wire.command-names", AREA,
      "Every command the implementation sends a 3.0 peer, READY or ERROR, has a printable "
      "ALPHA name in clear",
      ["zmtp30.wire.command-names-visible"])
def _(t):
    handle, conn = ready_link(t, "PULL", "PUSH")
    conn.send(wire.frame(b"m"), "a message")
    t.recv(handle)
    other, refused = t.link("PULL")
    refused.send(greeting30() + wire.ready("PULL"), "3.0 greeting, READY of PULL to a PULL")
    refused.wait_closed(2.0)
    names, bad = [], []
    for c in (conn, refused):
        for f in c.inbound.frames():
            if f.flags & 0x04:
                size = f.body[0] if f.body else 0
                name = bytes(f.body[1:1 + size])
                names.append(name)
                if not 1 <= size == len(name) or not set(name) <= ALPHA:
                    bad.append(name)
    t.note("commands sent: %s" % ", ".join(sorted(set(n.decode("latin-1") for n in names))))
    t.expect("zmtp30.wire.command-names-visible", b"READY" in names and not bad,
             "READY and every other command name are 1..255 ALPHA octets",
             happened="it sent %s" % (", ".join(words.octets(n) for n in names) or "no command")
             + ("; not ALPHA: %s" % ", ".join(words.octets(b) for b in bad) if bad else ""))
