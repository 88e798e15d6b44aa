"""Connection heartbeating (37/ZMTP §connection heartbeating): the PINGs the implementation
sends when told to (heartbeatIvl, heartbeatTimeout, heartbeatTtl), when it gives up on a
silent peer, that any traffic keeps a connection alive, and what it does with the TTL of
our PING.  A PULL socket; the suite plays PUSH, so it may answer with data.
"""

import time

from .. import wire
from .. import words
from ..case import case
from ..steps import handshaken, reconnection

TYPE = "PULL"
PEER = "PUSH"
HEARTBEAT = {"heartbeat": True}
FAST = {"heartbeatIvl": 100, "heartbeatTimeout": 300}


def ready_link(t, **options):
    handle, conn = t.link(TYPE, **options)
    handshaken(t, conn, PEER)
    return handle, conn


def pings(conn):
    return [c for n, c in conn.inbound.commands() if n == "PING"]


def answer_pings(t, conn, seconds, answer):
    """For `seconds` (scaled), sends answer(ping) for each PING as it arrives; returns
    the number of PINGs answered.  Stops early if the implementation closes."""
    deadline = t.clock.deadline(seconds)
    answered = 0
    while not conn.closed_by_peer:
        left = (deadline - time.monotonic()) / t.clock.multiplier
        if left <= 0:
            break
        conn.wait(lambda: len(pings(conn)) > answered, left)
        for ping in pings(conn)[answered:]:
            conn.send(answer(ping, answered), "answer to PING %d" % (answered + 1))
            answered += 1
    return answered


# --- the implementation's PINGs --------------------------------------------------------

@case("zmtp.heartbeat.sends-ping", "heartbeat",
      "With heartbeatIvl 100 ms the implementation sends PING after the handshake",
      ["zmtp31.heartbeat.ping-any-time", "zmtp31.command.ping"], needs=HEARTBEAT)
def _(t):
    handle, conn = ready_link(t, heartbeatIvl=100)
    sent = conn.wait_command("PING", 1.0)
    t.expect("zmtp31.heartbeat.ping-any-time", sent, "a PING within 1 s")
    if sent:
        ping = pings(conn)[0]
        t.expect("zmtp31.command.ping", len(bytes.fromhex(ping["context"])) <= 16,
                 "a 2-octet TTL and at most 16 context octets (TTL %d, context %s)"
                 % (ping["ttl"], ping["context"] or "empty"))


@case("zmtp.heartbeat.ping-ttl", "heartbeat",
      "With heartbeatTtl 2000 ms, the TTL of its PINGs: asked for 20 (tenths of a second)",
      ["zmtp31.command.ping"], needs=HEARTBEAT)
def _(t):
    # Sending PING at all is a MAY (heartbeat.ping-any-time), and the grammar takes any
    # 2-octet TTL ("MAY be zero or MAY contain a time-to-live"): whether the TTL is the one
    # the adapter was asked for binds no clause, so it is reported when it differs; the
    # PING's layout is what command.ping judges.
    handle, conn = ready_link(t, heartbeatIvl=100, heartbeatTtl=2000)
    t.require(conn.wait_command("PING", 1.0),
              "it sent no PING within 1 s (heartbeatIvl 100 ms): %s" % conn.describe())
    ping = pings(conn)[0]
    ttl, context = ping["ttl"], bytes.fromhex(ping["context"])
    t.expect("zmtp31.command.ping", 0 <= ttl <= 0xFFFF and len(context) <= 16,
             "its PING is a 2-octet TTL and at most 16 context octets",
             happened="its first PING has TTL %d and context %s" % (ttl, words.octets(context)))
    if ttl == 20:
        t.note("its first PING has TTL 20, as asked")
    else:
        t.observe("zmtp31.command.ping", "the TTL of its first PING, asked for 20 "
                  "(heartbeatTtl 2000 ms); the grammar takes any", happened="its first PING "
                  "has TTL %d" % ttl)


@case("zmtp.heartbeat.no-ping-in-handshake", "heartbeat",
      "While our READY is held back, no PING comes (PINGs are for after the handshake)",
      ["zmtp31.heartbeat.ping-any-time"], needs=HEARTBEAT)
def _(t):
    handle, conn = t.link(TYPE, heartbeatIvl=50)
    conn.send(wire.greeting(), "our greeting, no READY")
    early = conn.wait_command("PING", 0.4)
    t.expect("zmtp31.heartbeat.ping-any-time", not early,
             "no PING within 0.4 s while the handshake is open (8 intervals)")


@case("zmtp.heartbeat.pong-keeps-alive", "heartbeat",
      "PINGs keep coming and the connection stays up while we answer each with PONG",
      ["zmtp31.heartbeat.dead-conditions", "zmtp31.heartbeat.pong-reply"], needs=HEARTBEAT)
def _(t):
    handle, conn = ready_link(t, **FAST)
    answered = answer_pings(t, conn, 1.0, lambda ping, i: wire.command(
        b"PONG", bytes.fromhex(ping["context"])))
    t.expect("zmtp31.heartbeat.dead-conditions", not conn.closed_by_peer and answered >= 3,
             "open after 1 s with every PING answered (%d PINGs, timeout 300 ms)" % answered)


@case("zmtp.heartbeat.timeout-closes", "heartbeat",
      "With heartbeatTimeout 300 ms and a silent peer, the connection is closed after a PING",
      ["zmtp31.heartbeat.declare-dead", "zmtp31.heartbeat.dead-conditions"], needs=HEARTBEAT)
def _(t):
    handle, conn = ready_link(t, **FAST)
    conn.wait_command("PING", 1.0)
    pinged = time.monotonic()
    closed = conn.wait_closed(2.0)
    after = time.monotonic() - pinged
    t.expect("zmtp31.heartbeat.declare-dead", closed, "closes a silent connection within 3 s")
    t.expect("zmtp31.heartbeat.dead-conditions", closed and pings(conn) and after >= 0.15,
             "only after a PING went unanswered for the timeout",
             happened="%s %.2f s after its first PING, having sent %d PINGs"
             % ("it closed the connection" if closed else "it had not closed the connection",
                after, len(pings(conn))))


@case("zmtp.heartbeat.any-traffic-alive", "heartbeat",
      "Answering PINGs with messages instead of PONG keeps the connection up",
      ["zmtp31.heartbeat.any-traffic-alive"], needs=HEARTBEAT)
def _(t):
    handle, conn = ready_link(t, **FAST)
    answered = answer_pings(t, conn, 1.2, lambda ping, i: wire.frame(b"alive-%d" % i))
    first = t.recv(handle, 0.5)
    t.expect("zmtp31.heartbeat.any-traffic-alive",
             not conn.closed_by_peer and answered >= 3 and first == [b"alive-0"],
             "open after 1.2 s (timeout 300 ms) with each of %d PINGs answered by a message"
             % answered)


@case("zmtp.heartbeat.timeout-then-reconnect", "heartbeat",
      "After closing a dead connection, a connecting implementation reconnects",
      ["zmtp31.heartbeat.reconnect"], roles=("connects",), needs=HEARTBEAT)
def _(t):
    handle, conn = ready_link(t, reconnectIvl=100, **FAST)
    closed = conn.wait_closed(2.0)
    conn.close()
    again = reconnection(t, 2.0) if closed else None
    t.expect("zmtp31.heartbeat.reconnect", closed and again is not None,
             "closed the silent connection and connected again within 2 s",
             happened="it %s" % ("did not close the silent connection within 2 s" if not closed
                                 else "closed it and connected again" if again is not None
                                 else "closed it, and did not connect again within 2 s"))


# --- the TTL of our PING -------------------------------------------------------------------

@case("zmtp.heartbeat.ttl-honoured", "heartbeat",
      "After our PING with TTL 0.3 s and then silence, the implementation closes",
      ["zmtp31.heartbeat.dead-conditions", "zmtp31.heartbeat.declare-dead"])
def _(t):
    handle, conn = ready_link(t)
    conn.send(wire.ping(3, b"ttl"), "PING, TTL 0.3 s")
    sent = time.monotonic()
    closed = conn.wait_closed(2.0)
    after = time.monotonic() - sent
    t.expect("zmtp31.heartbeat.declare-dead", closed, "closes within 2 s")
    t.expect("zmtp31.heartbeat.dead-conditions", closed and after >= 0.25,
             "once the TTL has passed with no traffic",
             happened="it %s %.2f s after our PING" % ("closed the connection" if closed else
                                                      "had not closed the connection", after))


@case("zmtp.heartbeat.ttl-traffic-keeps-alive", "heartbeat",
      "After our PING with TTL 0.3 s, a message every 0.1 s keeps the connection up",
      ["zmtp31.heartbeat.any-traffic-alive"])
def _(t):
    handle, conn = ready_link(t)
    conn.send(wire.ping(3, b"ttl"), "PING, TTL 0.3 s")
    sent = 0
    while sent < 9 and conn.stays_open(0.1):
        conn.send(wire.frame(b"m%d" % sent), "a message")
        sent += 1
    open_ = conn.stays_open(0.1)
    got = [t.recv(handle, 0.5) for _ in range(sent)]
    t.expect("zmtp31.heartbeat.any-traffic-alive",
             open_ and sent == 9 and got == [[b"m%d" % i] for i in range(9)],
             "open after 1 s, 9 messages delivered",
             happened="%d messages sent before %s; %s" % (
                 sent, "1 s passed" if open_ else "it closed the connection",
                 "it delivered %s" % words.messages([g for g in got if g is not None])))


@case("zmtp.heartbeat.ttl-zero", "heartbeat",
      "Our PING with TTL 0 sets no deadline: a silent connection stays up",
      ["zmtp31.heartbeat.dead-conditions"])
def _(t):
    handle, conn = ready_link(t)
    conn.send(wire.ping(0, b"none"), "PING, TTL 0")
    conn.wait_command("PONG", 1.0)
    t.expect("zmtp31.heartbeat.dead-conditions", conn.stays_open(0.8),
             "open 0.8 s later (TTL 0 means none)")
