"""The NULL handshake and what 37/ZMTP asks of a connection around it: who plays client and
server, in which order the two READY commands go, the metadata they carry (a Resource
among them), the greeting of a peer that sends all 64 octets at once, a socket that binds
and connects alike and connects before anything listens, and what the wire shows once the
handshake is over (plain framing, command names in clear).

Roles.  With NULL the binding side is the server and the connecting side the client; the
client sends READY and waits for the server's, which answers it.  To see the order, the
suite holds its own READY back: as the server (the implementation connects) until the
implementation's READY is in; as the client (the implementation binds) for half a second.
A server that sends READY before it has read the client's still sends the READY the
clause asks for (the client gets it once its own is accepted, and is never kept waiting);
whether "in reply" also orders the two is for a reader of the RFC to weigh, not for a
FAIL: the case notes the order (see server-ready-reply below).
"""

import random
import socket
import time

from .. import wire
from .. import words
from ..case import Alt, HarnessError, case
from ..steps import (handshake, handshake_control, handshaken, opening, property_of,
                     routed_by_identity, settle,
                     their_ready)

TYPE = "PULL"
PEER = "PUSH"
ALPHA = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
RESOURCE_CHARS = ALPHA | frozenset(b"0123456789$-_@.&+")


def _names(props, conn):
    """The property names of its READY, in words, or what it did instead."""
    if props is None:
        return "it sent no READY: %s" % conn.describe()
    return "its READY names %s" % (", ".join(sorted(props)) or "no property")


msg = wire.message


def link_as(t, role, socket_type, **options):
    """t.link in a role of the case's choosing (for a case that plays both itself)."""
    saved = t.role
    t.role = role
    try:
        return t.link(socket_type, **options)
    finally:
        t.role = saved


def data_frames(conn):
    return [f for f in conn.inbound.frames() if not f.flags & 0x04]


# --- roles and the order of READY ---------------------------------------------------------------

@case("zmtp.handshake.client-ready-first", "handshake",
      "Connecting, the implementation is the NULL client: READY without waiting for ours, "
      "then no message until ours is in",
      ["zmtp31.null.client-ready-first", "zmtp31.null.roles"], roles=("connects",))
def _(t):
    handle, conn = t.link("PUSH")
    conn.send(wire.greeting(), "our greeting; our READY is held back")
    first = conn.wait_command("READY", 2.0) and not conn.closed_by_peer
    t.expect("zmtp31.null.client-ready-first", first,
             "its READY arrives while ours is held back", happened=conn.describe())
    taken = t.send(handle, [b"early"], 0.3)
    conn.wait(lambda: conn.inbound.messages(), 0.3)
    early = conn.inbound.messages()
    t.note("the application's send before our READY was %s" % ("taken" if taken else "not taken"))
    t.expect("zmtp31.null.client-ready-first", first and not early and not conn.closed_by_peer,
             "then it waits for the server's READY: no message before ours",
             happened=words.sent(early, conn))
    conn.send(wire.ready("PULL"), "our READY, as the server")
    if not taken:
        t.send(handle, [b"early"])
    conn.wait_messages(1, 2.0)
    got = conn.inbound.messages()
    t.expect("zmtp31.null.roles", first and got == [[b"early"]],
             "the connecting side plays the client: READY first, ours taken as the server's, "
             "then the message", happened=words.sent(got, conn))


@case("zmtp.handshake.server-ready-reply", "handshake",
      "Bound, the implementation is the NULL server: our READY as the client's is answered "
      "by its READY",
      ["zmtp31.null.server-ready-reply", "zmtp31.null.roles"], roles=("binds",))
def _(t):
    """The suite, as the client, sends its greeting and holds READY back for 0.5 s, then
    sends it.  Met: the implementation's READY arrives and the connection stays up.

    A READY sent before ours was read cannot depend on whether ours is acceptable, but the
    clause's outcome holds (our acceptable READY meets the server's READY, which we, the
    client, were waiting for; an unacceptable one would still be refused), nothing in
    37/ZMTP forbids the server to speak first, and libzmq 4.3 does this in both roles
    (rfc-digest section 5.1, item 4): another conforming way, noted.  The roles
    expectation does not depend on it: the binding side took our READY as the client's
    and the connection went on to carry messages."""
    handshake_control(t, TYPE, PEER)
    handle, conn = t.link(TYPE)
    conn.send(wire.greeting(), "our greeting; our READY is held back 0.5 s")
    conn.wait_command("READY", 0.5)
    early = their_ready(conn) is not None
    t.note("the implementation sent its READY %s"
           % ("before ours (without waiting for the client)" if early else "only after ours"))
    conn.send(wire.ready(PEER), "our READY, as the client")
    answered = conn.wait_command("READY", 2.0)
    up = settle(conn)
    t.expect("zmtp31.null.server-ready-reply", answered and up and not early,
             "its READY answers ours and the connection stays up",
             [Alt(answered and up and early,
                  "READY sent before ours was read: the client still gets it (libzmq 4.3)")],
             happened="%s; %s" % ("its READY came before ours" if early else
                                  "its READY came after ours" if answered else "it sent no READY",
                                  "the connection stayed up" if up else conn.describe()))
    got = None
    if up:
        conn.send(wire.frame(b"hello"), "a message")
        got = t.recv(handle)
    t.expect("zmtp31.null.roles", answered and got == [b"hello"],
             "the binding side plays the server: our READY is taken as the client's and our "
             "message is delivered", happened=words.delivered(got))


# --- metadata -----------------------------------------------------------------------------------

@case("zmtp.handshake.metadata-exchange", "handshake",
      "READY carries metadata both ways: the implementation's has properties, ours (with "
      "unknown ones) is taken, and a ROUTER we connect to routes by the Identity in it",
      ["zmtp31.metadata.exchange", "zmtp31.metadata.socket-type",
       "zmtp31.socket.reqrep-semantics"])
def _(t):
    # The mechanism SHALL carry metadata both ways (zmtp31.metadata.exchange): its READY is
    # a dictionary, and ours, with properties it knows nothing of, is taken.  What a ROUTER
    # makes of our Identity is another matter: 37/ZMTP says only that a peer connecting to a
    # ROUTER MAY announce one "which is used as an addressing mechanism by the ROUTER", and
    # routing by it is 28/REQREP's SHOULD, which 37/ZMTP says to follow (reqrep-semantics).
    handle, conn = t.link("ROUTER")
    extra = wire.prop(b"X-Suite", b"conformance") + wire.prop(b"Platform", b"raw")
    handshaken(t, conn, "DEALER", identity=b"suite-peer", extra=extra)
    props = their_ready(conn)
    t.expect("zmtp31.metadata.exchange", props is not None,
             "its READY is a list of name-value properties", happened=_names(props, conn))
    t.expect("zmtp31.metadata.socket-type", property_of(props, "Socket-Type") is not None,
             "among them Socket-Type", happened=_names(props, conn))
    got = None
    if settle(conn):
        conn.send(wire.frame(b"hello"), "a message")
        got = t.recv(handle)
    t.expect("zmtp31.metadata.exchange", got is not None and got[-1:] == [b"hello"],
             "ours, with properties it knows nothing of, was taken: the connection carries "
             "our message", happened=words.delivered(got))
    t.require(got is not None, "no message to route by: %s" % words.delivered(got))
    routed_by_identity(t, got, b"suite-peer", "zmtp31")
    back = None
    if len(got) == 2:
        t.send(handle, [got[0], b"back"])
        conn.wait_messages(1, 2.0)
        back = conn.inbound.messages()
    t.expect("zmtp31.socket.reqrep-semantics", back == [[b"back"]],
             "a reply addressed to that routing id reaches us, the routing id removed",
             happened=words.sent(back, conn) if back is not None
             else "no routing id to address a reply to")


# Resource values of the grammar: one name, a path, every character class it allows.
RESOURCES = (b"system/name-service/test", b"a", b"$-_@.&+/AZaz09/x")


@case("zmtp.handshake.resource-accepted", "handshake",
      "A server accepts a Resource it knows nothing of: one name, a path, every allowed "
      "character",
      ["zmtp31.resource.accept-all"], roles=("binds",))
def _(t):
    handshake_control(t, TYPE, PEER)
    handle, conn = t.link(TYPE)
    endpoint = t.bound[1]
    for i, resource in enumerate(RESOURCES):
        if i:
            conn = t.another_connection(handle, endpoint)
        conn.send(wire.greeting() + wire.ready(PEER, extra=wire.prop(b"Resource", resource)),
                  "greeting + READY (PUSH, Resource %s)" % words.octets(resource))
        ready = conn.wait_command("READY", 3.0)
        got = None
        if ready and settle(conn):
            conn.send(wire.frame(b"via-%d" % i), "a message")
            got = t.recv(handle)
        t.expect("zmtp31.resource.accept-all", got == [b"via-%d" % i],
                 "Resource %s: READY comes back and a message is delivered"
                 % words.octets(resource), happened=words.delivered(got))


@case("zmtp.handshake.resource-grammar", "handshake",
      "Any Resource in the implementation's READY is names of ALPHA DIGIT $ - _ @ . & + "
      "separated by '/'",
      ["zmtp31.resource.grammar"], roles=("connects",))
def _(t):
    """The rule binds the sender, so the case looks at what the implementation sends.  It
    asks the implementation to connect to an endpoint with a path (the RFC's example), which
    a peer that implements Resource turns into one; one that does not refuses the endpoint
    and connects plainly.  A READY without Resource keeps the rule (noted)."""
    handle = t.socket(TYPE)
    listener = wire.RawListener(t.clock, t.transcript)
    t.listeners.append(listener)
    path = "system/name-service/test"
    reply = t.adapter.request("connect", socket=handle, endpoint=listener.endpoint + "/" + path)
    with_path = bool(reply.get("ok"))
    if not with_path:
        t.note("an endpoint with a path was refused (%s): connecting plainly" % reply.get("error"))
        t.connect(handle, listener.endpoint)
    conn = listener.accept(3.0)
    t.require(conn is not None, "it did not connect to the suite's listener within 3 s")
    t.connections.append(conn)
    handshaken(t, conn, PEER)
    props = their_ready(conn)
    value = property_of(props, "Resource")
    names = value.split(b"/") if value is not None else []
    t.note("its READY %s" % ("has Resource %s" % words.octets(value) if value is not None
                             else "has no Resource: the rule has nothing to bind"))
    t.expect("zmtp31.resource.grammar",
             value is None or all(n and set(n) <= RESOURCE_CHARS for n in names),
             "no Resource, or one or more non-empty names of ALPHA DIGIT $ - _ @ . & + "
             "separated by '/'", happened="its Resource is %s" % words.octets(value)
             if value is not None else "its READY has no Resource")


# --- sockets: bind and connect, connect before the endpoint exists ------------------------------

BIND_AND_CONNECT = "zmtp31.socket.bind-and-connect"

# The SHOULD under which 37/ZMTP points to each type's pattern RFC: what a socket makes of
# a message (REQ's empty delimiter, ROUTER's routing id, XPUB's hand-over of a
# subscription) is judged under it, never under bind-and-connect.
PATTERN = {"PAIR": "zmtp31.socket.pair-semantics",
           "PUB": "zmtp31.pubsub.semantics", "XPUB": "zmtp31.pubsub.semantics",
           "SUB": "zmtp31.pubsub.semantics", "XSUB": "zmtp31.pubsub.semantics",
           "REQ": "zmtp31.socket.reqrep-semantics", "REP": "zmtp31.socket.reqrep-semantics",
           "DEALER": "zmtp31.socket.reqrep-semantics",
           "ROUTER": "zmtp31.socket.reqrep-semantics",
           "PUSH": "zmtp31.socket.pipeline-semantics", "PULL": "zmtp31.socket.pipeline-semantics"}


def exchange(t, socket_type, handle, conn, how):
    """After the handshake, one message each way the type allows.  BIND_AND_CONNECT judges
    that the handshake completes and that each message gets through (its payload); the
    envelope the pattern puts around it is judged under the pattern's SHOULD (PATTERN).
    `how`: "when the implementation binds" or "connects", for the reports."""
    partner, pattern = PARTNERS[socket_type], PATTERN[socket_type]
    done = handshake(conn, partner) and settle(conn)
    if not t.expect(BIND_AND_CONNECT, done, "%s, %s: the handshake completes"
                    % (socket_type, how), happened=None if done else conn.describe()):
        return
    if socket_type in ("PUSH", "PUB", "XPUB", "DEALER", "PAIR", "REQ"):
        if socket_type in ("PUB", "XPUB"):
            conn.send(wire.command(b"SUBSCRIBE", b""), "SUBSCRIBE ''")
            settle(conn)
            if socket_type == "XPUB":
                got = t.recv(handle)
                t.expect(pattern, got == [b"\x01"], "XPUB, %s: hands the subscription "
                         "over to the application as 0x01" % how,
                         happened=words.delivered(got))
        t.send(handle, [b"out"])
        outgoing(t, conn, pattern, "%s, %s" % (socket_type, how), "the message", b"out",
                 [b"", b"out"] if socket_type == "REQ" else [b"out"])
        if socket_type in ("PUSH", "PUB", "XPUB"):
            return
    if socket_type in ("SUB", "XSUB"):
        if socket_type == "SUB":
            t.subscribe(handle, b"")
        else:
            t.send(handle, [b"\x01"])
        conn.wait_command("SUBSCRIBE")
        settle(conn)
    inbound = {"REQ": msg(b"", b"in"), "REP": msg(b"", b"in"), "ROUTER": msg(b"in")}
    conn.send(inbound.get(socket_type, msg(b"in")), "a message 'in'")
    got = t.recv(handle)
    t.expect(BIND_AND_CONNECT, got is not None and got[-1:] == [b"in"],
             "%s, %s: our message 'in' is delivered" % (socket_type, how),
             happened=words.delivered(got))
    if got is None:
        return
    if socket_type == "ROUTER":
        t.expect(pattern, len(got) == 2, "ROUTER, %s: it is delivered after a routing id"
                 % how, happened=words.delivered(got))
    else:
        t.expect(pattern, got == [b"in"], "%s, %s: it is delivered as ['in']"
                 % (socket_type, how), happened=words.delivered(got))
    if socket_type not in ("ROUTER", "REP"):
        return
    if socket_type == "ROUTER":
        if len(got) != 2:
            t.note("ROUTER, %s: no routing id to address a reply to" % how)
            return
        t.send(handle, [got[0], b"back"])
    else:
        t.send(handle, [b"back"])
    outgoing(t, conn, pattern, "%s, %s" % (socket_type, how), "its reply", b"back",
             [b"", b"back"] if socket_type == "REP" else [b"back"])


def outgoing(t, conn, pattern, where, noun, body, frames):
    """The one message the implementation sends next, judged twice: its last frame `body`
    reaches us (bind-and-connect), and the whole message is `frames`, the envelope of its
    pattern (a SHOULD: `pattern`)."""
    conn.wait_messages(1)
    sent = conn.inbound.messages()
    t.expect(BIND_AND_CONNECT, len(sent) == 1 and sent[0][-1:] == [body],
             "%s: %s %s reaches us" % (where, noun, words.octets(body)),
             happened=words.sent(sent, conn))
    t.expect(pattern, sent == [frames], "%s: %s comes as %s"
             % (where, noun, words.messages([frames])), happened=words.sent(sent, conn))


PARTNERS = {"PAIR": "PAIR", "PUB": "SUB", "XPUB": "SUB", "SUB": "PUB", "XSUB": "PUB",
            "REQ": "REP", "REP": "REQ", "DEALER": "ROUTER", "ROUTER": "DEALER",
            "PUSH": "PULL", "PULL": "PUSH"}


def bind_and_connect_case(socket_type):
    @case("zmtp.handshake.bind-and-connect.%s" % socket_type, "handshake",
          "A %s works bound and connecting: a handshake and a message exchange each way"
          % socket_type,
          [BIND_AND_CONNECT, PATTERN[socket_type]], roles=None,
          needs={"socketTypes": [socket_type]})
    def _(t):
        roles = t.adapter.capabilities.get("roles", ["bind", "connect"])
        if "bind" not in roles or "connect" not in roles:
            t.unsupported("the adapter does not declare both roles")
        for role in ("binds", "connects"):
            handle, conn = link_as(t, role, socket_type)
            exchange(t, socket_type, handle, conn, "when the implementation %s" % role)


for _type in PARTNERS:
    bind_and_connect_case(_type)


def unused_port():
    """A free port below the ephemeral range, where nothing listens: connecting to it is
    refused, and no outgoing connection can take it as its own port (a connection from an
    ephemeral port to itself would succeed: the TCP self-connect)."""
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            low = int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768
    for _ in range(50):
        port = random.randrange(10000, max(low, 10001))
        probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            probe.bind(("127.0.0.1", port))     # bound, never listening
            return port
        except OSError:
            continue
        finally:
            probe.close()
    raise HarnessError("no free port below %d" % low)


class PortListener(wire.RawListener):
    """A RawListener on a port chosen beforehand."""

    def __init__(self, clock, transcript, port):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(16)
        self.clock = clock
        self.transcript = transcript
        self.accepted = 0
        self.endpoint = "tcp://127.0.0.1:%d" % port


@case("zmtp.handshake.async-connect", "handshake",
      "Connecting to a port where nothing listens yet succeeds at once; the connection is "
      "made when a listener appears",
      ["zmtp31.socket.async-connect"], roles=("connects",))
def _(t):
    handle = t.socket("PUSH", reconnectIvl=50)
    port = unused_port()
    endpoint = "tcp://127.0.0.1:%d" % port
    started = time.monotonic()
    reply = t.adapter.request("connect", socket=handle, endpoint=endpoint)
    took = time.monotonic() - started
    t.expect("zmtp31.socket.async-connect", bool(reply.get("ok")),
             "connect to %s, where nothing listens, succeeds" % endpoint,
             happened="the adapter answered %s in %.0f ms"
             % ("ok" if reply.get("ok") else "an error: %s" % reply.get("error"), took * 1000))
    time.sleep(0.3 * t.clock.multiplier)    # a few refused attempts (reconnectIvl 50 ms)
    listener = PortListener(t.clock, t.transcript, port)
    t.listeners.append(listener)
    conn = listener.accept(3.0)
    if conn is not None:
        t.connections.append(conn)
    t.expect("zmtp31.socket.async-connect", conn is not None,
             "once a listener is there, the implementation connects within 3 s")
    ok = conn is not None and handshake(conn, "PULL")
    if ok:
        t.send(handle, [b"late"])
        conn.wait_messages(1)
    got = conn.inbound.messages() if conn is not None else None
    t.expect("zmtp31.socket.async-connect", ok and got == [[b"late"]],
             "the handshake completes and a message goes through",
             happened=words.sent(got, conn) if got is not None else "it never connected")


# --- what the wire shows: plain framing, command names in clear ---------------------------------

SENT = [b"", b"short", bytes(range(256)) * 2, b"end"]


@case("zmtp.handshake.clear-text-framing", "handshake",
      "On a NULL connection messages travel in the plain framing, unchanged, both ways",
      ["zmtp31.wire.clear-text-framing", "zmtp31.wire.clear-text-messages"])
def _(t):
    """Four frames (empty, short, 512 octets, short) each way: what the implementation
    sends decodes as ordinary data frames, MORE on all but the last, the bodies exactly the
    application's octets and nothing around them; what we send in that framing is
    delivered as it was."""
    handle, conn = t.link("PAIR")
    handshaken(t, conn, "PAIR")
    settle(conn)
    t.send(handle, SENT)
    conn.wait_messages(1)
    frames = data_frames(conn)
    seen = [(f.flags, bytes(f.body)) for f in frames]
    plain = (len(frames) == len(SENT)
             and all(f.flags & ~0x02 == (0x01 if i < len(SENT) - 1 else 0x00)
                     for i, f in enumerate(frames))
             and [bytes(f.body) for f in frames] == SENT
             and all(f.size == len(f.body) for f in frames))
    t.expect("zmtp31.wire.clear-text-messages",
             [bytes(f.body) for f in frames] == SENT and not any(
                 n not in ("READY", "PING", "PONG") for n, _ in conn.inbound.commands()),
             "the message's octets travel in message frames, not in commands",
             happened="%s; its commands: %s" % (
                 words.sent(conn.inbound.messages(), conn),
                 ", ".join(n for n, _ in conn.inbound.commands()) or "none"))
    t.expect("zmtp31.wire.clear-text-framing", plain,
             "4 data frames: flags MORE (and LONG for 512 octets) then none, bodies as sent",
             happened="it sent %s" % (", ".join("a frame of flags 0x%02x and %d octets"
                                                % (f, len(b)) for f, b in seen) or "no frame"))
    conn.send(msg(*SENT), "the same four frames, plain framing")
    got = t.recv(handle)
    t.expect("zmtp31.wire.clear-text-framing", got == SENT,
             "our plainly framed message is delivered frame for frame",
             happened=words.delivered(got))


@case("zmtp.handshake.command-names-in-clear", "handshake",
      "Every command the implementation sends (READY, SUBSCRIBE, CANCEL, PONG, PING, ERROR) "
      "has its name in clear, in printable ALPHA",
      ["zmtp31.wire.command-names-visible"])
def _(t):
    """A SUB is made to send what it can: READY, SUBSCRIBE and CANCEL (the application
    subscribes, then unsubscribes), PONG (our PING), PING (heartbeatIvl 100 ms, when the
    adapter offers it) and, in the binds role, ERROR (a second peer announcing SUB)."""
    options = {}
    if t.adapter.capabilities.get("heartbeat") and "heartbeatIvl" in \
            t.adapter.capabilities.get("options", []):
        options["heartbeatIvl"] = 100
    handle, conn = t.link("SUB", **options)
    handshaken(t, conn, "PUB")
    t.subscribe(handle, b"news")
    conn.wait_command("SUBSCRIBE")
    t.subscribe(handle, b"news", subscribe=False)
    conn.wait_command("CANCEL")
    conn.send(wire.ping(0, b"names"), "PING 'names'")
    conn.wait_command("PONG")
    if options:
        conn.wait_command("PING", 1.0)
    conns = [conn]
    if t.role == "binds":
        other = t.another_connection(handle, t.bound[1])
        other.send(wire.greeting() + wire.ready("SUB"), "greeting + READY (SUB against SUB)")
        other.wait_closed(2.0)
        conns.append(other)
    seen, bad = [], []
    for c in conns:
        for f in c.inbound.frames():
            if not f.flags & 0x04:
                continue
            body = bytes(f.body)
            name = body[1:1 + body[0]] if body else b""
            seen.append(name.decode("latin-1"))
            if not (body and body[0] and len(body) > body[0] and set(name) <= ALPHA):
                bad.append(body[:16].hex())
    t.note("commands seen: %s" % ", ".join(sorted(set(seen))))
    t.expect("zmtp31.wire.command-names-visible", len(seen) >= 4 and not bad,
             "4 commands or more, every name 1..255 ALPHA octets in clear",
             happened="it sent %d commands: %s%s" % (len(seen), ", ".join(seen),
                                                     "; not in clear: %s" % ", ".join(bad)
                                                     if bad else ""))


# --- a peer that sends its whole greeting at once -----------------------------------------------

@case("zmtp.handshake.full-greeting-at-once", "handshake",
      "A peer that sends all 64 greeting octets at once gets 64 back and completes the "
      "handshake",
      ["zmtp31.version.full-greeting-strict"])
def _(t):
    handshake_control(t, TYPE, PEER)
    handle, conn = t.link(TYPE)
    first = opening(conn)       # nothing of ours is sent before: all of it precedes ours
    t.expect("zmtp31.version.full-greeting-strict", first >= 64,
             "a non-detecting peer sends all 64 octets before reading ours",
             [Alt(first in (10, 11),
                  "a detecting peer first sends 10 or 11 octets: the rule is not its own")],
             happened="it sent %d octets before reading ours" % first)
    conn.send(wire.greeting(), "all 64 octets of our greeting in one write")
    whole = conn.wait(lambda: len(conn.inbound.data) >= 64, 2.0)
    t.expect("zmtp31.version.full-greeting-strict", whole and conn.inbound.greeting is not None,
             "64 greeting octets come back, as a strict peer expects")
    conn.send(wire.ready(PEER), "READY (PUSH)")
    ready = conn.wait_command("READY", 3.0) and settle(conn)
    got = None
    if ready:
        conn.send(wire.frame(b"strict"), "a message")
        got = t.recv(handle)
    t.expect("zmtp31.version.full-greeting-strict", got == [b"strict"],
             "the handshake completes and a message is delivered", happened=words.delivered(got))


@case("zmtp.handshake.greeting-64-before-ready", "handshake",
      "With 63 octets of our greeting in, what the implementation does is reported; once "
      "the 64th is in, the handshake completes",
      ["zmtp31.version.full-greeting-strict"])
def _(t):
    """The other half of the strict rule: the implementation "SHALL expect a matching 64
    octet greeting", so with the 64th octet the handshake goes on.  The clause says nothing
    of when READY may go out (and server-ready-reply takes a server's early READY), so a
    READY before our 64th octet is reported, not judged."""
    handshake_control(t, TYPE, PEER)
    handle, conn = t.link(TYPE)
    greeting = wire.greeting()
    conn.send(greeting[:63], "63 octets of our greeting")
    early = conn.wait_command("READY", 0.5)
    if early:
        t.observe("zmtp31.version.full-greeting-strict",
                  "what it sent while the 64th octet of our greeting was missing "
                  "(the clause does not say when READY may go out)",
                  happened=conn.describe())
    else:
        t.note("with 63 octets of our greeting: %s" % conn.describe())
    conn.send(greeting[63:] + wire.ready(PEER), "the 64th octet, then READY (PUSH)")
    t.expect("zmtp31.version.full-greeting-strict", conn.wait_command("READY", 3.0),
             "the handshake completes once the greeting is whole: READY arrives",
             happened=conn.describe())
