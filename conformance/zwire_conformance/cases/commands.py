"""Commands (23/ZMTP and 37/ZMTP §commands, §error handling, §connection heartbeating):
the command-name grammar, commands out of place (a message or a READY-bodied message
before READY, a second READY, an unknown name), ERROR both ways, and PING / PONG.  A PULL
socket stands in for any type; the suite plays PUSH.
"""

from .. import wire
from .. import words
from ..case import case
from ..steps import error_after_handshake, error_in_handshake, handshake_control, handshaken

TYPE = "PULL"
PEER = "PUSH"


def ready_link(t, **options):
    handle, conn = t.link(TYPE, **options)
    handshaken(t, conn, PEER)
    return handle, conn


def pongs(conn):
    """The contexts of the PONGs received, in order."""
    return [bytes.fromhex(c.get("context", "")) for n, c in conn.inbound.commands()
            if n == "PONG"]


def pong_story(conn):
    """The PONGs received, in words, or what the implementation did instead."""
    got = pongs(conn)
    if not got:
        return "it sent no PONG: %s" % conn.describe()
    return "it sent %d PONG%s, with context %s" % (len(got), "s" if len(got) > 1 else "",
                                                  ", ".join(words.octets(c) for c in got))


def what_happened(t, handle, conn, mark):
    """After input sent before the mark and a message 'after': the answer, in words."""
    conn.wait_closed(1.0)
    got = t.recv(handle, 0.2 if conn.closed_since(mark) else 1.0)
    return "%s; %s%s" % (conn.answer_since(mark), words.delivered(got),
                         "" if got is None else " first")


def reported_command(t, body, what):
    """A command frame with `body` after the handshake, then a message.  The grammar of
    command names binds the sender (spec/leniency.md, CommandName: acceptable); what the
    implementation does is reported."""
    handle, conn = ready_link(t)
    mark = t.hostile(conn, wire.frame(body, command=True) + wire.frame(b"after"),
                     "CommandName", "%s, then a message 'after'" % what)
    t.answer("CommandName", what, happened=what_happened(t, handle, conn, mark))


# --- the command name ------------------------------------------------------------------

@case("zmtp.commands.name-empty", "commands",
      "A command whose name length is 0: what the implementation does", ["zmtp31.command.name"],
      inputs=["CommandName"])
def _(t):
    reported_command(t, b"\x00\x01\x02", "name length 0")


@case("zmtp.commands.empty-body", "commands",
      "A command frame of size 0 (no name at all): what the implementation does",
      ["zmtp31.command.name"], inputs=["CommandName"])
def _(t):
    reported_command(t, b"", "a command frame of size 0")


@case("zmtp.commands.name-not-alpha", "commands",
      "A command name with a non-ALPHA octet ('P1NG'): what the implementation does",
      ["zmtp31.command.name"], inputs=["CommandName"])
def _(t):
    reported_command(t, b"\x04P1NG\x00\x00", "name 'P1NG'")


@case("zmtp.commands.name-overruns-body", "commands",
      "A name length past the end of the command body: what the implementation does",
      ["zmtp31.command.name"], inputs=["CommandName"])
def _(t):
    reported_command(t, b"\x05AB", "name length 5 in a 3-octet body")


# A mechanism may define the command names it needs; RFC 37 says nothing of what a peer
# does with one it does not know.
@case("zmtp.commands.unknown-after-handshake", "commands",
      "A well-formed unknown command after the handshake: what the implementation does",
      ["zmtp31.command.mechanism-names"])
def _(t):
    handle, conn = ready_link(t)
    mark = t.hostile(conn, wire.command(b"NOOP", b"\x01\x02") + wire.frame(b"after"), [],
                     "unknown command NOOP, then a message 'after'")
    t.observe("zmtp31.command.mechanism-names", "a NOOP command",
              happened=what_happened(t, handle, conn, mark))


# --- commands out of place ---------------------------------------------------------------

# "commands first" binds the sender; RFC 37 names no receiver action for a message
# that comes before the handshake is over.
@case("zmtp.commands.message-before-ready", "commands",
      "A message instead of READY: what the implementation does",
      ["zmtp31.handshake.commands-first"], inputs=["MessageBeforeReady"])
def _(t):
    handle, conn = t.link(TYPE)
    mark = t.hostile(conn, wire.greeting() + wire.frame(b"early"),
                     "MessageBeforeReady", "greeting, then a message 'early'")
    t.answer("MessageBeforeReady", "a message before READY",
             happened=what_happened(t, handle, conn, mark))


@case("zmtp.commands.ready-as-message", "commands",
      "A READY body in a message frame (flags 0x00) instead of READY: what it does",
      ["zmtp31.handshake.commands-first"], inputs=["MessageBeforeReady"])
def _(t):
    handle, conn = t.link(TYPE)
    body = wire.ready(PEER)[2:]
    mark = t.hostile(conn, wire.greeting() + wire.frame(body) + wire.frame(b"after"),
                     "MessageBeforeReady",
                     "greeting, READY's body as a message, then a message 'after'")
    t.answer("MessageBeforeReady", "READY's body as a message",
             happened=what_happened(t, handle, conn, mark))


@case("zmtp.commands.ready-twice", "commands",
      "A second READY: the implementation may close the connection",
      ["zmtp31.null.close-on-invalid"])
def _(t):
    handle, conn = ready_link(t)
    mark = t.hostile(conn, wire.ready(PEER) + wire.frame(b"after"), [],
                     "a second READY, then a message 'after'")
    happened = what_happened(t, handle, conn, mark)
    t.expect("zmtp31.null.close-on-invalid", conn.closed_since(mark),
             "closes on the second READY", happened=happened)


# --- ERROR -------------------------------------------------------------------------------

@case("zmtp.commands.error-in-handshake", "commands",
      "ERROR instead of READY is fatal: closed, and a connecting peer does not come back",
      ["zmtp31.error.fatal"])
def _(t):
    error_in_handshake(t, "zmtp31.error.fatal")


@case("zmtp.commands.error-after-handshake", "commands",
      "ERROR after the handshake: what the implementation does",
      ["zmtp31.error.fatal"])
def _(t):
    error_after_handshake(t, "zmtp31.error.fatal")


@case("zmtp.commands.error-format", "commands",
      "The ERROR the implementation sends (for a Socket-Type it will not talk to) is well formed",
      ["zmtp31.null.error", "zmtp31.socket-type.error-then-close"])
def _(t):
    handshake_control(t, TYPE, PEER)
    handle, conn = t.link(TYPE)
    mark = t.hostile(conn, wire.greeting() + wire.ready("PULL"), [],
                     "greeting + READY (PULL against PULL)")
    conn.wait_closed(2.0)
    closed = conn.closed_since(mark)
    errors = [f for f in conn.inbound.frames() if f.flags & 0x04 and f.command
              and f.command.get("name") == "ERROR"]
    if errors:
        f = errors[0]
        reason = bytes.fromhex(f.command.get("reason", ""))
        body = bytes(f.body)
        t.expect("zmtp31.null.error", f.flags == 0x04 and body[:6] == b"\x05ERROR"
                 and body[6] == len(reason) == len(body) - 7,
                 "a short command: 05 'ERROR', the reason length, %d reason octets" % len(reason))
        if any(not 0x21 <= c <= 0x7E for c in reason):
            t.note("the reason %s has octets outside VCHAR (allowed: spec/DECISIONS.md #11)"
                   % words.octets(reason))
    t.expect("zmtp31.socket-type.error-then-close", bool(errors) and closed,
             "sends ERROR, then closes", happened=conn.answer_since(mark))


# --- PING and PONG -----------------------------------------------------------------------

def ping_pong(t, ping, context, what):
    handle, conn = ready_link(t)
    conn.send(ping, what)
    conn.wait_command("PONG", 2.0)
    got = pongs(conn)
    t.expect("zmtp31.heartbeat.pong-reply", got == [context],
             "one PONG answers, echoing the PING's context %s" % words.octets(context),
             happened=pong_story(conn))
    t.expect("zmtp31.command.pong", all(len(c) <= 16 for c in got),
             "the PONG's context is at most 16 octets", happened=pong_story(conn))
    return handle, conn


@case("zmtp.commands.ping-pong", "commands", "PING with a context is answered by PONG echoing it",
      ["zmtp31.heartbeat.pong-reply", "zmtp31.command.pong"])
def _(t):
    ping_pong(t, wire.ping(0, b"ctx1"), b"ctx1", "PING, TTL 0, context 'ctx1'")


@case("zmtp.commands.ping-empty-context", "commands",
      "PING without a context is answered by a PONG without one",
      ["zmtp31.heartbeat.pong-reply", "zmtp31.command.pong"])
def _(t):
    ping_pong(t, wire.ping(0, b""), b"", "PING, TTL 0, no context")


@case("zmtp.commands.ping-16-context", "commands",
      "PING with the largest context, 16 octets of any value, is echoed exactly",
      ["zmtp31.heartbeat.pong-reply", "zmtp31.command.pong", "zmtp31.command.ping"])
def _(t):
    context = b"\x00\xff" + bytes(range(0x80, 0x8E))
    ping_pong(t, wire.ping(0, context), context, "PING, TTL 0, 16-octet context")


@case("zmtp.commands.ping-with-ttl", "commands",
      "PING with a TTL: the PONG echoes the context only, not the TTL",
      ["zmtp31.heartbeat.pong-reply", "zmtp31.command.pong"])
def _(t):
    ping_pong(t, wire.ping(50, b"ttl"), b"ttl", "PING, TTL 5.0 s, context 'ttl'")


@case("zmtp.commands.ping-long-size", "commands",
      "A PING sent with a long size (flags 0x06) is a valid command: PONG answers",
      ["zmtp31.heartbeat.pong-reply"])
def _(t):
    handle, conn = ready_link(t)
    conn.send(wire.frame(b"\x04PING\x00\x00long", command=True, long=True),
              "PING in a long frame, context 'long'")
    conn.wait_command("PONG", 2.0)
    t.expect("zmtp31.heartbeat.pong-reply", pongs(conn) == [b"long"],
             "a PONG echoes 'long'", happened=pong_story(conn))


@case("zmtp.commands.several-pings", "commands",
      "Three PINGs in one write get three PONGs, in order, each with its own context",
      ["zmtp31.heartbeat.pong-reply"])
def _(t):
    handle, conn = ready_link(t)
    conn.send(wire.ping(0, b"one") + wire.ping(0, b"two") + wire.ping(0, b"three"),
              "PINGs 'one', 'two', 'three'")
    conn.wait_command("PONG", 2.0, count=3)
    t.expect("zmtp31.heartbeat.pong-reply", pongs(conn) == [b"one", b"two", b"three"],
             "PONGs 'one', 'two', 'three'", happened=pong_story(conn))


@case("zmtp.commands.ping-over-16-context", "commands",
      "PING with a 17-octet context breaks the sender's rule: what the implementation does",
      ["zmtp31.command.ping", "zmtp31.command.pong"], inputs=["HeartbeatLayout"])
def _(t):
    handle, conn = ready_link(t)
    context = bytes(range(65, 82))
    mark = t.hostile(conn, wire.ping(0, context), "HeartbeatLayout",
                     "PING, context of 17 octets")
    conn.wait(lambda: conn.closed_by_peer or pongs(conn), 1.0)
    got = pongs(conn)
    t.answer("HeartbeatLayout", "a 17-octet context", happened="%s%s" % (
        conn.answer_since(mark), "; its PONG echoes %d octets" % len(got[0]) if got else ""))
    t.expect("zmtp31.command.pong", all(len(c) <= 16 for c in got),
             "any PONG it sends has a context of at most 16 octets",
             happened=pong_story(conn) if got else "it sent no PONG", own_octets=True)
