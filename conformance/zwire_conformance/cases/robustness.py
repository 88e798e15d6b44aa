"""Robustness: peers that stop half way (in READY, in a frame header, in a message),
reset, send garbage, write or read slowly, or never finish the handshake.  What is
checked is the protocol's promise around them: nothing partial is delivered
(zmtp31.frame.message-atomic), a broken connection is a temporary condition and the
implementation goes on serving (a bound socket takes the next connection,
zmtp31.error.close-temporary; a connecting one reconnects, zmtp31.error.reconnect), a
connecting PULL keeps what it has received whole (30/PIPELINE), and a handshake that
never ends is closed, without ERROR.  A PULL socket receives, a PUSH socket sends.
"""

import socket
import struct

from .. import wire
from .. import words
from ..case import case
from ..steps import (handshake, handshake_control, handshaken, in_sent_order, missing,
                     not_whole, reconnection, their_ready)

TYPE = "PULL"
PEER = "PUSH"


def ready_link(t, socket_type=TYPE, peer=PEER, **options):
    handle, conn = t.link(socket_type, reconnectIvl=50, **options)
    handshaken(t, conn, peer)
    return handle, conn


def endpoint_of(t):
    """The endpoint the implementation bound (role binds), else None."""
    return t.bound[1] if t.bound else None


def next_connection(t, handle, endpoint):
    """The next connection to the implementation: one the suite makes to the bound socket
    (binds), or the implementation's reconnection to the suite's listener (connects)."""
    if t.role == "binds":
        return t.another_connection(handle, endpoint)
    return reconnection(t, 2.0)


def served_after(t, handle, endpoint, what, partial=False):
    """The next connection (binds: the suite's second one, zmtp31.error.close-temporary;
    connects: the implementation's reconnection, zmtp31.error.reconnect) completes a
    handshake, and its message 'after' is the first the implementation delivers; after a
    message cut short (partial), none of that one came first (zmtp31.frame.message-atomic)."""
    conn = next_connection(t, handle, endpoint)
    ok = conn is not None and handshake(conn, PEER)
    if t.role == "binds":
        going_on = "zmtp31.error.close-temporary"
        how = "a second connection completes its handshake"
    else:
        going_on = "zmtp31.error.reconnect"
        how = "it reconnects (reconnectIvl 50 ms) and completes the handshake"
    t.expect(going_on, ok, "after %s, %s" % (what, how))
    # What follows needs the new connection: a failed SHOULD never turns into a FAIL of
    # the clauses behind it.
    t.require(ok, "no next connection to carry a message (%s)"
              % (conn.describe() if conn is not None else "none came"))
    conn.send(wire.frame(b"after"), "a message 'after'")
    got = t.recv(handle, 2.0)
    t.expect("zmtp31.frame.message-atomic" if partial else going_on, got == [b"after"],
             "the first message delivered is 'after'%s"
             % (", nothing of the one cut short" if partial else ""),
             happened=words.delivered(got))


def cut(t, octets, what, after_handshake=True, partial=True, reset=False):
    """Sends octets, closes (or resets), then checks the implementation goes on."""
    if after_handshake:
        handle, conn = ready_link(t)
    else:
        handle, conn = t.link(TYPE, reconnectIvl=50)
    endpoint = endpoint_of(t)
    conn.send(octets, what)
    if reset:
        conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()
    served_after(t, handle, endpoint, what, partial)


# --- cut short ----------------------------------------------------------------------------

@case("zmtp.robustness.cut-in-ready", "robustness",
      "A peer that stops half way through READY and closes: the implementation goes on",
      ["zmtp31.error.close-temporary", "zmtp31.error.reconnect"])
def _(t):
    ready = wire.ready(PEER)
    cut(t, wire.greeting() + ready[:len(ready) // 2], "a greeting and half a READY",
        after_handshake=False, partial=False)


@case("zmtp.robustness.cut-in-size", "robustness",
      "A peer that stops inside a long frame size and closes: the implementation goes on",
      ["zmtp31.error.close-temporary", "zmtp31.frame.message-atomic", "zmtp31.error.reconnect"])
def _(t):
    cut(t, bytes([0x02]) + struct.pack(">Q", 5)[:3], "the flags and 3 octets of a long size")


@case("zmtp.robustness.dropped-mid-message", "robustness",
      "A connection closed inside a multipart message delivers none of it",
      ["zmtp31.frame.message-atomic", "zmtp31.error.close-temporary", "zmtp31.error.reconnect"])
def _(t):
    cut(t, wire.frame(b"part1", more=True) + wire.frame(b"part2-of-20-octets")[:8],
        "'part1' with MORE and half of the last part")


@case("zmtp.robustness.reset-mid-message", "robustness",
      "A connection reset (RST) inside a multipart message delivers none of it",
      ["zmtp31.frame.message-atomic", "zmtp31.error.close-temporary", "zmtp31.error.reconnect"])
def _(t):
    cut(t, wire.frame(b"part1", more=True) + wire.frame(b"p2", more=True),
        "'part1' and 'p2' with MORE, then a reset", reset=True)


@case("zmtp.robustness.queue-kept-after-close", "robustness",
      "A connecting PULL keeps what it received whole when the peer closes (30/PIPELINE: "
      "its queue outlives the connection)",
      ["zmtp31.socket.pipeline-semantics"], roles=("connects",))
def _(t):
    handle, conn = ready_link(t)
    conn.send(wire.frame(b"last", more=True) + wire.frame(b"words"), "['last', 'words']")
    conn.close()
    got = t.recv(handle)
    t.expect("zmtp31.socket.pipeline-semantics", got == [b"last", b"words"],
             "the message received before the close is still delivered",
             happened=words.delivered(got))


@case("zmtp.robustness.close-before-greeting", "robustness",
      "A peer that connects and closes without a word costs nothing: the next is served",
      ["zmtp31.error.close-temporary"], roles=("binds",))
def _(t):
    handshake_control(t, TYPE, PEER)
    handle = t.socket(TYPE)
    endpoint = t.bind(handle)
    first = t.another_connection(handle, endpoint)
    first.close()
    served_after(t, handle, endpoint, "a silent connection")


# --- garbage --------------------------------------------------------------------------------

@case("zmtp.robustness.garbage-after-handshake", "robustness",
      "An HTTP request after the handshake: what the implementation does; the next peer is "
      "served",
      ["zmtp31.frame.flags-reserved", "zmtp31.error.close-temporary"], roles=("binds",),
      inputs=["ReservedFlags"])
def _(t):
    handle, conn = ready_link(t)
    endpoint = endpoint_of(t)
    mark = t.hostile(conn, b"GET / HTTP/1.1\r\nHost: zwire\r\n\r\n",
                     "ReservedFlags", "an HTTP request ('G' = flags 0x47)")
    conn.wait_closed(1.0)
    t.answer("ReservedFlags", "an HTTP request (flags 0x47)", happened=conn.answer_since(mark))
    conn.close()
    served_after(t, handle, endpoint, "the garbage")


@case("zmtp.robustness.bad-peer-isolated", "robustness",
      "A peer refused for garbage does not disturb another peer's message in progress",
      ["zmtp31.frame.message-atomic", "zmtp31.frame.flags-reserved"], roles=("binds",),
      inputs=["ReservedFlags"])
def _(t):
    handle, good = ready_link(t)
    endpoint = endpoint_of(t)
    good.send(wire.frame(b"first", more=True), "'first' with MORE")
    bad = t.another_connection(handle, endpoint)
    handshake(bad, PEER)
    t.hostile(bad, b"\xff" * 16, "ReservedFlags", "16 octets of 0xFF")
    bad.wait_closed(1.0)
    good.send(wire.frame(b"second"), "the last part 'second'")
    got = t.recv(handle)
    t.expect("zmtp31.frame.message-atomic", got == [b"first", b"second"],
             "the first peer's message is delivered whole", happened=words.delivered(got))


# --- slow peers -----------------------------------------------------------------------------

@case("zmtp.robustness.slow-writer", "robustness",
      "A peer that writes its whole session one octet at a time is served",
      ["zmtp31.frame.message-atomic"])
def _(t):
    handshake_control(t, TYPE, PEER)
    handle, conn = t.link(TYPE)
    data = (wire.greeting() + wire.ready(PEER) + wire.frame(b"slow", more=True)
            + wire.frame(b"ly"))
    conn.send_chunks([data[i:i + 1] for i in range(len(data))], "one octet per write")
    got = t.recv(handle)
    t.expect("zmtp31.frame.message-atomic", got == [b"slow", b"ly"],
             "the message is delivered whole", happened=words.delivered(got))


@case("zmtp.robustness.slow-reader", "robustness",
      "Messages queued while the peer does not read arrive whole and in order",
      ["zmtp31.socket.in-order", "zmtp31.frame.message-atomic",
       "zmtp31.socket.pipeline-semantics"])
def _(t):
    # A PUSH may block rather than queue ("SHALL block on sending ... when it has no
    # available peers"): only the messages it took are judged, each apart: whole (atomic),
    # in the order taken (in-order), and none of them lost (30/PIPELINE's "SHALL NOT
    # discard", a SHOULD through pipeline-semantics).
    handle, conn = ready_link(t, "PUSH", "PULL")
    bodies = [bytes([i]) * 262144 for i in range(8)]
    sent = [[b"#%d" % i, body] for i, body in enumerate(bodies)]
    taken = [m for m in sent if t.send(handle, m, 3.0)]
    t.require(taken, "it took none of the 8 messages to send: %s" % conn.describe())
    if len(taken) < len(sent):
        t.note("it took %d of the 8 messages (a send may block): judged on those" % len(taken))
    conn.wait_messages(len(taken), 5.0)
    got = conn.inbound.messages()
    count = "the implementation took %d, and %d arrived" % (len(taken), len(got))
    broken = not_whole(got, taken, key=_head)
    t.expect("zmtp31.frame.message-atomic", not broken,
             "each message that arrives is one it took, whole: two parts, 256 KiB",
             happened="%s; %d not whole" % (count, len(broken)) if broken else count)
    t.expect("zmtp31.socket.in-order", in_sent_order(got, taken, key=_head),
             "in the order sent", happened=count)
    t.expect("zmtp31.socket.pipeline-semantics", not missing(got, taken, key=_head),
             "every message it took arrives", happened=count)


def _head(m):
    return m[0] if m else b""


# --- handshakes that never end ------------------------------------------------------------

@case("zmtp.robustness.handshake-timeout-silent", "robustness",
      "With handshakeIvl 200 ms, a peer that says nothing is closed, without ERROR",
      ["zmtp31.error.close-other"])
def _(t):
    handle, conn = t.link(TYPE, handshakeIvl=200)
    closed = conn.wait_closed(1.5)
    t.expect("zmtp31.error.close-other", closed and conn.error_command is None,
             "closes within 1.5 s, without ERROR", happened=conn.describe())


@case("zmtp.robustness.handshake-timeout-no-ready", "robustness",
      "With handshakeIvl 200 ms, a peer that sends its greeting but no READY is closed",
      ["zmtp31.error.close-other"])
def _(t):
    handle, conn = t.link(TYPE, handshakeIvl=200)
    conn.send(wire.greeting(), "our greeting, never a READY")
    closed = conn.wait_closed(1.5)
    t.expect("zmtp31.error.close-other", closed and conn.error_command is None,
             "closes within 1.5 s, without ERROR", happened=conn.describe())
    if their_ready(conn) is not None:
        t.note("the implementation had sent its READY before closing")


# --- reconnecting ---------------------------------------------------------------------------

@case("zmtp.robustness.reconnect-after-close", "robustness",
      "When the suite closes a working connection, the implementation reconnects and "
      "sends on the new one",
      ["zmtp31.error.close-temporary", "zmtp31.error.reconnect", "zmtp31.socket.reconnect"],
      roles=("connects",))
def _(t):
    handle, conn = ready_link(t, "PUSH", "PULL")
    conn.close()
    again = next_connection(t, handle, None)
    t.expect("zmtp31.error.reconnect", again is not None,
             "connects again within 2 s (reconnectIvl 50 ms)")
    t.require(again is not None, "it did not reconnect: nothing more to see")
    ok = handshake(again, "PULL")
    t.expect("zmtp31.socket.reconnect", ok, "the new connection completes its handshake")
    t.require(ok, "no handshake on the new connection: %s" % again.describe())
    t.send(handle, [b"again"])
    again.wait_messages(1, 2.0)
    t.expect("zmtp31.error.close-temporary", again.inbound.messages() == [[b"again"]],
             "a message sent after the close goes out on the new connection")
