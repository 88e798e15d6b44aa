"""Steps many cases share: the suite's half of a NULL handshake, and waiting for the
implementation's.  Kept small: a case should read as the exchange it tests.
"""

from . import wire


def handshake(conn, peer_type, minor=1, identity=None, extra=b"", seconds=3.0):
    """Sends a 3.x NULL greeting and a READY announcing peer_type; True once the
    implementation's READY is in (messages may flow: zmtp31.null.traffic-after-ready)."""
    conn.send(wire.greeting(minor=minor) + wire.ready(peer_type, identity, extra),
              "greeting + READY (%s)" % peer_type)
    return conn.wait_command("READY", seconds)


def handshaken(t, conn, peer_type, **options):
    """handshake(), as the precondition of everything after it: when it does not complete,
    the case stops as NOT-EXERCISED with what the implementation did instead."""
    return t.require(handshake(conn, peer_type, **options),
                     "no NULL handshake as %s: %s" % (peer_type, conn.describe()))


def handshake_control(t, socket_type, peer_type, minor=1, **options):
    """The control of a case that expects a reaction to particular input (a refusal, or
    an acceptance of input out of the ordinary): a socket of socket_type, on a connection
    of its own, completes a well-formed NULL handshake (t.control).  An implementation
    that refuses everything is then NOT-EXERCISED, never PASSed nor accused."""
    handle, conn = t.control_link(socket_type, **options)
    t.control(handshake(conn, peer_type, minor=minor),
              "a well-formed 3.%d greeting and READY (%s) complete the handshake"
              % (minor, peer_type))
    return handle, conn


def their_ready(conn):
    """The properties of the implementation's READY ({name: bytes}), or None."""
    for name, cmd in conn.inbound.commands():
        if name == "READY":
            return {p["name"]: bytes.fromhex(p["value"]) for p in cmd.get("properties", [])}
    return None


def property_of(props, name):
    """A property by name, ignoring case (zmtp31.metadata.case-insensitive)."""
    for key, value in (props or {}).items():
        if key.lower() == name.lower():
            return value
    return None


def refused(conn, seconds=2.0):
    """True if the implementation closed the connection without sending READY."""
    closed = conn.wait_closed(seconds)
    return closed and their_ready(conn) is None


_barriers = [0]


def settle(conn, seconds=2.0):
    """A barrier: sends PING with a fresh context and waits for its PONG (or the close).
    Once it is in, the implementation has dealt with everything we sent before the PING
    (our READY, subscriptions, messages).  True unless the implementation closed; a peer
    that does not answer PING only costs the wait."""
    _barriers[0] += 1
    context = b"settle-%d" % _barriers[0]
    conn.send(wire.ping(0, context), "PING (barrier)")
    conn.wait(lambda: any(n == "PONG" and c.get("context") == context.hex()
                          for n, c in conn.inbound.commands()), seconds)
    return not conn.closed_by_peer
