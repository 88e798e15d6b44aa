"""ZMTP 2.0 (15/ZMTP) against a 2.0 peer: the suite greets as a 2.0 peer does, all at once
(signature, revision 1, socket type, identity frame), and reads what the implementation
sends as a 2.0 peer reads it: any revision from 1 up is a 2.0 greeting, since a later peer
steps down to ours (23/ZMTP, 37/ZMTP), and 2.0 frames follow.

These cases run against every implementation that declares "2.0": one that speaks only
2.0, and one that steps down to it.  What they judge is what 15/ZMTP asks of the
implementation on such a connection: its greeting (revision, socket type, identity frame,
the signature's length field), its frames (reserved bits, MORE, the 8-octet size), and what
it does with a peer of a socket type it may not talk to.

The revision octet binds a peer that speaks 2.0 itself: a 3.x peer has already written its
own major version there before it knew ours, which 23/ZMTP allows, so that octet is not
judged when it is 3 or more; nor is the signature's length field then, which such a peer
wrote by the padding rules of 23/ZMTP and 37/ZMTP (zero, or its identity's length + 1 for
the detection), not by 15/ZMTP's.
"""

from .. import wire
from .. import words
from ..case import case
from ..steps import handshake_v2

AREA = "zmtp20"
V2_GREETING_END = 11        # signature (10 octets) and revision: socket type follows


def greeted_as_v2(t, socket_type, peer_type, label=None):
    """The implementation's socket_type, linked in the case's role to a raw connection
    that greets as a 2.0 peer_type; the precondition: its 2.0 greeting arrives."""
    handle, conn = t.link(socket_type, label=label)
    t.require(handshake_v2(conn, peer_type), "no 2.0 greeting in answer to ours: %s"
              % conn.describe())
    return handle, conn


@case("zmtp20.greeting", AREA,
      "Its greeting to a 2.0 peer: revision 1, its socket type, a short identity frame",
      ["zmtp20.greeting.revision", "zmtp20.greeting.socket-type", "zmtp20.greeting.identity",
       "zmtp20.compat.pseudo-length"])
def _(t):
    handle, conn = greeted_as_v2(t, "PULL", "PUSH")
    data, greeting = conn.inbound.data, conn.inbound.greeting
    revision = data[10]
    if revision < 3:
        t.expect("zmtp20.greeting.revision", revision == 1,
                 "it speaks 2.0 itself and writes revision 1 (it wrote %d)" % revision)
    else:
        t.note("it wrote major version %d, then stepped down to our 2.0: the revision "
               "octet binds a 2.0 peer, so it is not judged" % revision)
    t.expect("zmtp20.greeting.socket-type", greeting["socketType"] == wire.V2_SOCKET_TYPES["PULL"],
             "its socket-type octet is PULL (7): it wrote %d" % greeting["socketType"])
    identity = bytes.fromhex(greeting["identity"])
    t.expect("zmtp20.greeting.identity", data[V2_GREETING_END + 1] == 0x00,
             "its identity is one final short frame (flags 0x00, %d octets)" % len(identity))
    length = int.from_bytes(data[1:9], "big")
    if revision < 3:
        t.expect("zmtp20.compat.pseudo-length", length in (0, len(identity) + 1),
                 "the signature's 8 octets are zero (no 1.0 interoperability) or its "
                 "identity's length plus 1, %d: they read %d" % (len(identity) + 1, length))
    else:
        # A 3.x peer wrote its signature before it knew ours: its padding follows 23/ZMTP
        # and 37/ZMTP (zero, SHOULD; or the detection's identity length + 1), not 15/ZMTP.
        t.note("it wrote major version %d: its signature's 8 octets (%d) follow the 3.x "
               "rules of the padding, so 15/ZMTP's length is not judged" % (revision, length))


@case("zmtp20.framing", AREA,
      "Messages to a 2.0 peer travel in 2.0 frames: reserved bits zero, MORE clear on a "
      "one-frame message, an 8-octet size above 255 octets",
      ["zmtp20.frame.flags-reserved", "zmtp20.frame.single-more-zero", "zmtp20.frame.long-size"])
def _(t):
    handle, conn = greeted_as_v2(t, "PUSH", "PULL")
    sent = [[b"short"], [b"L" * 300], [b"part-1", b"part-2"]]
    for message in sent:
        t.require(t.send(handle, message), "the implementation did not take a message to send")
    t.require(conn.wait_messages(len(sent), 3.0),
              "%d of %d messages arrived: %s" % (len(conn.inbound.messages()), len(sent),
                                                 conn.describe()))
    frames = conn.inbound.frames()
    reserved = [f.flags for f in frames if f.flags & 0xFC]
    t.expect("zmtp20.frame.flags-reserved", not reserved,
             "every frame's bits 2-7 are zero%s"
             % ("" if not reserved else ": flags %s" % ", ".join("0x%02X" % r for r in reserved)))
    single = [f for f in frames if bytes(f.body) == b"short"]
    t.expect("zmtp20.frame.single-more-zero", single and not single[0].flags & 0x01,
             "the one-frame message's frame has MORE clear")
    long_frames = [f for f in frames if f.size == 300]
    t.expect("zmtp20.frame.long-size",
             long_frames and long_frames[0].flags & 0x02 and bytes(long_frames[0].body) == b"L" * 300,
             "the 300-octet frame has LONG set and an 8-octet size, and its body arrives whole")


@case("zmtp20.socket-type-mismatch", AREA,
      "A 2.0 peer of a socket type it may not talk to is disconnected, silently",
      ["zmtp20.socket.type-check", "zmtp20.socket.type-mismatch-disconnect"])
def _(t):
    handle, control = greeted_as_v2(t, "PULL", "PUSH", label="control")
    control.send(wire.message(b"control"), "a message")
    got = t.recv(handle)
    t.control(got == [b"control"], "a 2.0 PUSH peer's message is delivered to a PULL socket",
              happened=words.delivered(got))
    handle, conn = t.link("PULL")
    conn.read_as_v2_peer()
    mark = conn.mark()
    conn.send(wire.greeting_v2("PULL") + wire.message(b"from-a-pull"),
              "a 2.0 PULL greeting, then a message")
    closed = conn.wait_closed(1.5) and conn.closed_since(mark)
    delivered = not closed and t.recv(handle, 0.5) is not None
    t.expect("zmtp20.socket.type-mismatch-disconnect", closed,
             "disconnects the PULL peer", happened=conn.answer_since(mark))
    t.expect("zmtp20.socket.type-check", not delivered,
             "a PULL peer's message never reaches the PULL socket%s"
             % (": it was delivered" if delivered else ""))
    if closed:
        t.expect("zmtp20.socket.type-mismatch-disconnect",
                 not conn.inbound.frames_since(mark.inbound),
                 "silently: nothing but its greeting before the close")


@case("zmtp20.reserved-flags-from-peer", AREA,
      "A 2.0 frame with a reserved flag bit set: what it does is reported, and whether it "
      "keeps serving others",
      ["zmtp20.frame.flags-reserved"], inputs=["ReservedFlags20"])
def _(t):
    handle, conn = greeted_as_v2(t, "PULL", "PUSH")
    conn.send(wire.message(b"before"), "a well-formed message")
    t.require(t.recv(handle) == [b"before"], "a well-formed 2.0 message was not delivered")
    mark = t.hostile(conn, wire.frame(b"flagged", flags_extra=0x04),
                     "ReservedFlags20", "a frame with flag bit 2 set")
    conn.wait_closed(1.0)
    got = t.recv(handle, 0.5)
    t.answer("ReservedFlags20", "a frame with flag bit 2 set",
             happened="%s; %s" % (conn.answer_since(mark), words.delivered(got)))
