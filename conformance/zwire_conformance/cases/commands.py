"""Commands (23/ZMTP and 37/ZMTP §commands, §error handling, §connection heartbeating):
the command-name grammar, commands out of place (a message or a READY-bodied message
before READY, a second READY, an unknown name), ERROR both ways, and PING / PONG.  A PULL
socket stands in for any type; the suite plays PUSH.
"""

from .. import wire
from ..case import Alt, case
from ..steps import handshake, handshaken
from ..verdict import PASS

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


def reconnection(t, seconds):
    """The implementation's next connection to the suite's listener, or None."""
    conn = t.listeners[0].accept(seconds)
    if conn is not None:
        t.connections.append(conn)
    return conn


def refuses_command(t, body, what):
    """A command frame with `body` after the handshake, then a message: the connection is
    expected to close with nothing delivered (zmtp31.command.name)."""
    handle, conn = ready_link(t)
    conn.send(wire.frame(body, command=True) + wire.frame(b"after"),
              "%s, then a message 'after'" % what)
    closed = conn.wait_closed(1.0)
    got = t.recv(handle, 0.2 if closed else 1.0)
    t.expect("zmtp31.command.name", closed and got is None,
             "closes and delivers nothing: %s (closed: %s, delivered: %r)" % (what, closed, got))


# --- the command name ------------------------------------------------------------------

@case("zmtp.commands.name-empty", "commands", "A command whose name length is 0 is refused",
      ["zmtp31.command.name"])
def _(t):
    refuses_command(t, b"\x00\x01\x02", "name length 0")


@case("zmtp.commands.empty-body", "commands",
      "A command frame of size 0 (no name at all) is refused", ["zmtp31.command.name"])
def _(t):
    refuses_command(t, b"", "a command frame of size 0")


@case("zmtp.commands.name-not-alpha", "commands",
      "A command name with a non-ALPHA octet ('P1NG') is refused", ["zmtp31.command.name"])
def _(t):
    refuses_command(t, b"\x04P1NG\x00\x00", "name 'P1NG'")


@case("zmtp.commands.name-overruns-body", "commands",
      "A name length past the end of the command body is refused", ["zmtp31.command.name"])
def _(t):
    refuses_command(t, b"\x05AB", "name length 5 in a 3-octet body")


@case("zmtp.commands.unknown-after-handshake", "commands",
      "A well-formed unknown command after the handshake is never delivered as a message",
      ["zmtp31.wire.clear-text-messages"])
def _(t):
    handle, conn = ready_link(t)
    conn.send(wire.command(b"NOOP", b"\x01\x02") + wire.frame(b"after"),
              "unknown command NOOP, then a message 'after'")
    got = t.recv(handle, 1.0)
    closed = conn.wait_closed(0.2)
    t.expect("zmtp31.wire.clear-text-messages",
             got == [b"after"] if not closed else got in (None, [b"after"]),
             "only the message 'after' is delivered (got %r, closed: %s)" % (got, closed))
    t.note("the implementation %s the unknown command"
           % ("closed the connection on" if closed else "ignored"))


# --- commands out of place ---------------------------------------------------------------

@case("zmtp.commands.message-before-ready", "commands",
      "A message instead of READY is refused: closed, nothing delivered",
      ["zmtp31.handshake.commands-first"])
def _(t):
    handle, conn = t.link(TYPE)
    conn.send(wire.greeting() + wire.frame(b"early"), "greeting, then a message 'early'")
    closed = conn.wait_closed(1.0)
    got = t.recv(handle, 0.2 if closed else 1.0)
    t.expect("zmtp31.handshake.commands-first", closed and got is None,
             "closes and delivers nothing (closed: %s, delivered: %r)" % (closed, got))


@case("zmtp.commands.ready-as-message", "commands",
      "A READY body in a message frame (flags 0x00) is no READY: the connection closes",
      ["zmtp31.handshake.commands-first"])
def _(t):
    handle, conn = t.link(TYPE)
    body = wire.ready(PEER)[2:]
    conn.send(wire.greeting() + wire.frame(body) + wire.frame(b"after"),
              "greeting, READY's body as a message, then a message 'after'")
    closed = conn.wait_closed(1.0)
    got = t.recv(handle, 0.2 if closed else 1.0)
    t.expect("zmtp31.handshake.commands-first", closed and got is None,
             "closes and delivers nothing (closed: %s, delivered: %r)" % (closed, got))


@case("zmtp.commands.ready-twice", "commands",
      "A second READY: the implementation may close; if not, it is never delivered as data",
      ["zmtp31.null.close-on-invalid", "zmtp31.wire.clear-text-messages"])
def _(t):
    handle, conn = ready_link(t)
    conn.send(wire.ready(PEER) + wire.frame(b"after"), "a second READY, then a message 'after'")
    closed = conn.wait_closed(1.0)
    got = t.recv(handle, 0.2 if closed else 1.0)
    t.expect("zmtp31.null.close-on-invalid", closed, "closes on the second READY")
    t.expect("zmtp31.wire.clear-text-messages", got in (None, [b"after"]),
             "the READY is not delivered as a message (got %r)" % got)


# --- ERROR -------------------------------------------------------------------------------

def error_is_fatal(t, before_ready):
    handle, conn = t.link(TYPE, reconnectIvl=50)
    error = wire.command(b"ERROR", b"\x06go-off")
    if before_ready:
        # as a peer that refuses what it read: after the implementation's greeting (and
        # READY, if it sends one without waiting for ours)
        conn.send(wire.greeting(), "greeting")
        conn.wait_command("READY", 0.5)
        conn.send(error, "ERROR 'go-off' instead of READY")
    else:
        handshaken(t, conn, PEER)
        conn.send(error, "ERROR 'go-off'")
    closed = conn.wait_closed(1.0)
    t.expect("zmtp31.error.fatal", closed, "closes after our ERROR")
    if t.role == "connects" and closed:
        conn.close()
        again = reconnection(t, 1.0)
        t.expect("zmtp31.error.fatal", again is None,
                 "does not reconnect within 1 s (reconnectIvl 50 ms)")


@case("zmtp.commands.error-closes", "commands",
      "ERROR after the handshake is fatal: closed, and a connecting peer does not come back",
      ["zmtp31.error.fatal"])
def _(t):
    error_is_fatal(t, before_ready=False)


@case("zmtp.commands.error-in-handshake", "commands",
      "ERROR instead of READY is fatal: closed, and a connecting peer does not come back",
      ["zmtp31.error.fatal"])
def _(t):
    error_is_fatal(t, before_ready=True)


@case("zmtp.commands.error-format", "commands",
      "The ERROR the implementation sends (for a Socket-Type it will not talk to) is well formed",
      ["zmtp31.null.error", "zmtp31.socket-type.error-then-close"])
def _(t):
    handle, conn = t.link(TYPE)
    conn.send(wire.greeting() + wire.ready("PULL"), "greeting + READY (PULL against PULL)")
    closed = conn.wait_closed(2.0)
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
            t.note("the reason %r has octets outside VCHAR (allowed: spec/DECISIONS.md #11)"
                   % reason)
    t.expect("zmtp31.socket-type.error-then-close", bool(errors) and closed,
             "sends ERROR, then closes (ERROR: %s, closed: %s)" % (bool(errors), closed))


# --- PING and PONG -----------------------------------------------------------------------

def ping_pong(t, ping, context, what):
    handle, conn = ready_link(t)
    conn.send(ping, what)
    conn.wait_command("PONG", 2.0)
    got = pongs(conn)
    t.expect("zmtp31.heartbeat.pong-reply", len(got) == 1, "one PONG answers (got %d)" % len(got))
    t.expect("zmtp31.command.pong", got == [context],
             "its context is the PING's %r (got %r)" % (context, got))
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
      ["zmtp31.frame.long-size", "zmtp31.heartbeat.pong-reply"])
def _(t):
    handle, conn = ready_link(t)
    conn.send(wire.frame(b"\x04PING\x00\x00long", command=True, long=True),
              "PING in a long frame, context 'long'")
    answered = conn.wait_command("PONG", 2.0)
    t.expect("zmtp31.frame.long-size", answered and not conn.closed_by_peer,
             "the long-size command is read (PONG received)")
    t.expect("zmtp31.heartbeat.pong-reply", pongs(conn) == [b"long"],
             "the PONG echoes 'long' (got %r)" % pongs(conn))


@case("zmtp.commands.several-pings", "commands",
      "Three PINGs in one write get three PONGs, in order, each with its own context",
      ["zmtp31.heartbeat.pong-reply"])
def _(t):
    handle, conn = ready_link(t)
    conn.send(wire.ping(0, b"one") + wire.ping(0, b"two") + wire.ping(0, b"three"),
              "PINGs 'one', 'two', 'three'")
    conn.wait_command("PONG", 2.0, count=3)
    t.expect("zmtp31.heartbeat.pong-reply", pongs(conn) == [b"one", b"two", b"three"],
             "PONGs 'one', 'two', 'three' (got %r)" % pongs(conn))


@case("zmtp.commands.ping-over-16-context", "commands",
      "PING with a 17-octet context breaks the grammar: the connection closes",
      ["zmtp31.command.ping"])
def _(t):
    handle, conn = ready_link(t)
    context = bytes(range(65, 82))
    conn.send(wire.ping(0, context), "PING, context of 17 octets")
    closed = conn.wait_closed(1.0)
    got = pongs(conn)
    t.expect("zmtp31.command.ping", closed and not got,
             "closes without PONG (closed: %s, PONGs %r)" % (closed, got),
             [Alt(not closed and got == [context[:16]], PASS,
                  "libzmq echoes the first 16 octets (rfc-digest §5.8)",
                  profiles=["libzmq-compatible"])])
