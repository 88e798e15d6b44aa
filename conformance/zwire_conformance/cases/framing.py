"""Framing (23/ZMTP and 37/ZMTP §framing, §messages): the frames the implementation
sends, and what it does with ours: reserved flag bits, MORE on a command, long sizes
(out of range, or long for a short body), frames over its maximum size, multipart
messages, empty frames, and messages that arrive in many pieces.  PULL receives (the
suite plays PUSH); PUSH sends (the suite plays PULL).
"""

import struct

from .. import wire
from .. import words
from ..case import case
from ..steps import handshaken

MORE, LONG, COMMAND, RESERVED = 0x01, 0x02, 0x04, 0xF8


def receiver(t, **options):
    """The implementation's PULL after a NULL handshake with the suite as PUSH."""
    handle, conn = t.link("PULL", **options)
    handshaken(t, conn, "PUSH")
    return handle, conn


def sender(t, **options):
    """The implementation's PUSH after a NULL handshake with the suite as PULL."""
    handle, conn = t.link("PUSH", **options)
    handshaken(t, conn, "PULL")
    return handle, conn


def data_frames(conn):
    return [f for f in conn.inbound.frames() if not f.flags & COMMAND]


def _flags(frames):
    return ", ".join("0x%02x" % f.flags for f in frames) or "no frame"


def _sizes(frames, conn):
    """The data frames the implementation sent, in words (or what it did instead)."""
    if not frames:
        return "it sent no data frame: %s" % conn.describe()
    return "it sent %s" % ", ".join("a frame of flags 0x%02x and size %d" % (f.flags, f.size)
                                    for f in frames)


def _commands(names, commands):
    if not commands:
        return "it sent no command"
    return "it sent %s" % ", ".join("%s (flags 0x%02x)" % (n, f.flags)
                                    for n, f in zip(names, commands))


def after_hostile(t, handle, conn, octets, breaks, what):
    """Sends octets that break `breaks`, then a good message 'after'; returns (closed in
    answer, what was delivered first, in words what the implementation did)."""
    mark = t.hostile(conn, octets + wire.frame(b"after"), breaks, what + ", then a message 'after'")
    conn.wait_closed(1.0)
    closed = conn.closed_since(mark)
    got = t.recv(handle, 0.2 if closed else 1.0)
    return closed, got, "%s; %s%s" % (conn.answer_since(mark), words.delivered(got),
                                      "" if got is None else " first")


# --- what the implementation sends ---------------------------------------------------

@case("zmtp.framing.sent-multipart", "framing",
      "A 3-part message goes out as MORE, MORE, final frames with clean flags",
      ["zmtp31.frame.flags-reserved", "zmtp31.frame.message-atomic", "zmtp31.frame.long-size"])
def _(t):
    handle, conn = sender(t)
    parts = [b"", b"s" * 255, b"L" * 256]
    t.require(t.send(handle, parts), "it did not take the message to send within 2 s")
    conn.wait_messages(1, 2.0)
    frames = data_frames(conn)
    t.require(frames, "it sent no data frame: %s" % conn.describe())
    t.expect("zmtp31.frame.flags-reserved",
             all(not f.flags & RESERVED for f in conn.inbound.frames()),
             "flag bits 3..7 are zero in every frame",
             happened="its frames' flags: %s" % _flags(conn.inbound.frames()))
    t.expect("zmtp31.frame.message-atomic",
             conn.inbound.messages() == [parts]
             and [f.flags & MORE for f in frames] == [MORE, MORE, 0],
             "one message of 3 frames, MORE on all but the last",
             happened="%s, in %d data frames of flags %s"
             % (words.sent(conn.inbound.messages(), conn), len(frames), _flags(frames)))
    if len(frames) >= 3:
        t.expect("zmtp31.frame.long-size", frames[2].flags & LONG and frames[2].size == 256,
                 "the 256-octet frame has LONG and an 8-octet size of 256",
                 happened="its third frame has flags 0x%02x and size %d"
                 % (frames[2].flags, frames[2].size))
    else:
        t.note("the 256-octet frame did not come: its size field is not judged")
    if any(f.flags & LONG and f.size <= 255 for f in frames):
        t.note("a body of 255 octets or less was sent with a long size (valid, not canonical)")


@case("zmtp.framing.sent-commands", "framing",
      "READY and PONG go out as single command frames with short sizes",
      ["zmtp31.frame.command-no-more", "zmtp31.command.short-size"])
def _(t):
    handle, conn = receiver(t)
    conn.send(wire.ping(0, b"sz"), "PING, context 'sz'")
    conn.wait_command("PONG", 2.0)
    commands = [f for f in conn.inbound.frames() if f.flags & COMMAND]
    names = [f.command.get("name") if f.command else "?" for f in commands]
    # the PONG is judged by the heartbeat cases; here only the frames of what it sent
    t.require("PONG" in names, "no PONG to judge: %s" % _commands(names, commands))
    t.expect("zmtp31.frame.command-no-more", all(not f.flags & MORE for f in commands),
             "READY and PONG arrived, none with MORE", happened=_commands(names, commands))
    t.expect("zmtp31.command.short-size", all(f.flags == 0x04 for f in commands),
             "commands of 255 octets or less are sent with flags 0x04",
             happened=_commands(names, commands))


@case("zmtp.framing.sent-long-command", "framing",
      "A READY over 255 octets (a 255-octet Identity) goes out with a long size",
      ["zmtp31.command.long-size", "zmtp31.frame.command-no-more"])
def _(t):
    identity = bytes(range(1, 256))
    handle, conn = t.link("DEALER", identity=identity.hex())
    conn.send(wire.greeting() + wire.ready("ROUTER"), "greeting + READY (ROUTER)")
    conn.wait_command("READY", 3.0)
    ready = [f for f in conn.inbound.frames() if f.flags & COMMAND and f.command
             and f.command.get("name") == "READY"]
    t.require(ready, "it sent no READY to judge: %s" % conn.describe())
    size = ready[0].size
    t.expect("zmtp31.command.long-size", size > 255 and ready[0].flags == 0x06,
             "its READY, of more than 255 octets, has flags 0x06",
             happened="its READY has %d octets and flags 0x%02x" % (size, ready[0].flags))
    t.expect("zmtp31.frame.command-no-more", not ready[0].flags & MORE, "READY has no MORE",
             happened="its READY has flags 0x%02x" % ready[0].flags)


@case("zmtp.framing.sent-large", "framing",
      "A 1 MiB message goes out as one LONG frame of the exact size",
      ["zmtp31.frame.long-size", "zmtp31.frame.message-atomic"])
def _(t):
    handle, conn = sender(t)
    body = bytes(range(256)) * 4096
    t.require(t.send(handle, [body], 3.0), "it did not take the 1 MiB message within 3 s")
    conn.wait_messages(1, 3.0)
    frames = data_frames(conn)
    t.require(frames, "it sent no data frame: %s" % conn.describe())
    t.expect("zmtp31.frame.long-size", len(frames) == 1 and frames[0].flags == LONG
             and frames[0].size == len(body),
             "one frame, flags 0x02, size %d" % len(body), happened=_sizes(frames, conn))
    t.expect("zmtp31.frame.message-atomic", conn.inbound.messages() == [[body]],
             "the body arrives intact")


@case("zmtp.framing.sent-empty-frames", "framing",
      "Empty frames go out as frames of size 0: [''] and ['', '']",
      ["zmtp31.frame.message-atomic"])
def _(t):
    handle, conn = sender(t)
    t.require(t.send(handle, [b""]) and t.send(handle, [b"", b""]),
              "it did not take both messages to send within 2 s")
    conn.wait_messages(2, 2.0)
    frames = data_frames(conn)
    t.require(len(frames) >= 3 or len(conn.inbound.messages()) >= 2,
              "the two messages did not come: %s" % _sizes(frames, conn))
    t.expect("zmtp31.frame.message-atomic", [(f.flags & ~LONG, f.size) for f in frames]
             == [(0, 0), (MORE, 0), (0, 0)],
             "frames (flags, size) (0, 0), (MORE, 0), (0, 0)", happened=_sizes(frames, conn))
    t.expect("zmtp31.frame.message-atomic", conn.inbound.messages() == [[b""], [b"", b""]],
             "two messages, of one and two empty frames")


# --- what it does with our frames ------------------------------------------------------

def answered(conn, mark, seconds=1.0):
    """Waits for the implementation's answer to what was sent before the mark: a command
    or a close."""
    conn.wait(lambda: conn.closed_by_peer or conn.inbound.frames_since(mark.inbound), seconds)


# RFC 37 binds the sender here ("MUST be zero", "SHALL NOT have MORE", the grammar's size
# range) and names no duty of the receiver: spec/leniency.md makes such a frame
# `acceptable`, so what an implementation does with it is reported, not judged.

@case("zmtp.framing.reserved-flag-message", "framing",
      "A message frame with reserved flag bit 3 (0x08): what the implementation does",
      ["zmtp31.frame.flags-reserved"], inputs=["ReservedFlags"])
def _(t):
    handle, conn = receiver(t)
    closed, got, happened = after_hostile(t, handle, conn, wire.frame(b"bad", flags_extra=0x08),
                                          "ReservedFlags", "flags 0x08, body 'bad'")
    t.answer("ReservedFlags", "flags 0x08, body 'bad', then a message 'after'",
             happened=happened)


@case("zmtp.framing.reserved-flag-command", "framing",
      "A PING with reserved flag bit 7 (0x84): what the implementation does",
      ["zmtp31.frame.flags-reserved"], inputs=["ReservedFlags"])
def _(t):
    handle, conn = receiver(t)
    octets = wire.ping(0, b"r7")
    mark = t.hostile(conn, bytes([octets[0] | 0x80]) + octets[1:], "ReservedFlags",
                     "PING with flags 0x84")
    answered(conn, mark)
    t.answer("ReservedFlags", "PING with flags 0x84", happened=conn.answer_since(mark))


@case("zmtp.framing.command-with-more", "framing",
      "A command frame with MORE (flags 0x05): what the implementation does",
      ["zmtp31.frame.command-no-more"], inputs=["CommandMore"])
def _(t):
    handle, conn = receiver(t)
    octets = wire.ping(0, b"m")
    mark = t.hostile(conn, bytes([octets[0] | MORE]) + octets[1:], "CommandMore",
                     "PING with flags 0x05")
    answered(conn, mark)
    t.answer("CommandMore", "PING with flags 0x05", happened=conn.answer_since(mark))


@case("zmtp.framing.long-size-top-bit", "framing",
      "A long size with its top bit set (2^63 + 5): what the implementation does",
      ["zmtp31.frame.long-size"], inputs=["SizeOverflow"])
def _(t):
    handle, conn = receiver(t)
    octets = bytes([LONG]) + struct.pack(">Q", (1 << 63) | 5) + b"hello"
    closed, got, happened = after_hostile(t, handle, conn, octets, "SizeOverflow",
                                          "long size 2^63 + 5, body 'hello'")
    t.answer("SizeOverflow", "long size 2^63 + 5, body 'hello', then a message 'after'",
             happened=happened)


@case("zmtp.framing.long-size-short-body", "framing",
      "Long sizes for short bodies are valid framing: the message is delivered whole",
      ["zmtp31.frame.message-atomic"])
def _(t):
    handle, conn = receiver(t)
    conn.send(wire.frame(b"ab", more=True, long=True) + wire.frame(b"", more=True, long=True)
              + wire.frame(b"c"), "'ab' and '' with long sizes, then 'c' with a short one")
    got = t.recv(handle)
    t.expect("zmtp31.frame.message-atomic", got == [b"ab", b"", b"c"],
             "delivered as ['ab', '', 'c']", happened=words.delivered(got))


# A maximum message size is the implementation's own limit, set through its adapter; RFC 37
# mentions limits only as what a peer MAY do against memory exhaustion (spec/leniency.md,
# SizeLimit: judged by that MAY).

@case("zmtp.framing.over-max-size", "framing",
      "With maxMsgSize 64, a 100-octet frame: the implementation may close, delivering nothing",
      ["zmtp31.frame.size-limit"], inputs=["SizeLimit"])
def _(t):
    handle, conn = receiver(t, maxMsgSize=64)
    closed, got, happened = after_hostile(t, handle, conn, wire.frame(b"x" * 100), "SizeLimit",
                                          "a 100-octet frame")
    t.answer("SizeLimit", "closes without delivering it", met=closed and got is None,
             happened=happened)


@case("zmtp.framing.huge-size-announced", "framing",
      "With maxMsgSize 1024, a header announcing 2^40 octets: closed at the header",
      ["zmtp31.frame.size-limit"], inputs=["SizeLimit"])
def _(t):
    handle, conn = receiver(t, maxMsgSize=1024)
    mark = t.hostile(conn, bytes([LONG]) + struct.pack(">Q", 1 << 40), "SizeLimit",
                     "a frame header of size 2^40, no body")
    conn.wait_closed(1.0)
    t.answer("SizeLimit", "closes at the header, without waiting for the body",
             met=conn.closed_since(mark), happened=conn.answer_since(mark))


@case("zmtp.framing.at-max-size", "framing",
      "With maxMsgSize 64, a 64-octet message is delivered and a 65-octet one is not",
      ["zmtp31.frame.size-limit"], inputs=["SizeLimit"])
def _(t):
    handle, conn = receiver(t, maxMsgSize=64)
    conn.send(wire.frame(b"m" * 64), "a 64-octet message")
    got = t.recv(handle)
    t.control(got == [b"m" * 64], "the message at the limit is delivered",
              happened=words.delivered(got))
    closed, over, happened = after_hostile(t, handle, conn, wire.frame(b"o" * 65), "SizeLimit",
                                           "a 65-octet message")
    t.answer("SizeLimit", "the one over the limit is refused by closing",
             met=closed and over is None, happened=happened)


@case("zmtp.framing.multipart-whole", "framing",
      "A 3-part message and the one after it are delivered whole, in order",
      ["zmtp31.frame.message-atomic", "zmtp31.socket.atomic"])
def _(t):
    handle, conn = receiver(t)
    conn.send(wire.frame(b"one", more=True) + wire.frame(b"", more=True) + wire.frame(b"three")
              + wire.frame(b"next"), "['one', '', 'three'] then ['next']")
    first, second = t.recv(handle), t.recv(handle)
    t.expect("zmtp31.frame.message-atomic", first == [b"one", b"", b"three"],
             "the 3 parts come as one message", happened=words.delivered(first))
    t.expect("zmtp31.socket.atomic", second == [b"next"],
             "the next message comes on its own", happened=words.delivered(second))


@case("zmtp.framing.partial-not-delivered", "framing",
      "The first parts of a message are held back until its last frame arrives",
      ["zmtp31.frame.message-atomic", "zmtp31.socket.atomic"])
def _(t):
    handle, conn = receiver(t)
    conn.send(wire.frame(b"p1", more=True) + wire.frame(b"p2", more=True), "'p1', 'p2' with MORE")
    conn.stays_open(0.2)    # the first parts arrive alone; no verdict rests on this wait
    conn.send(wire.frame(b"p3"), "the last part 'p3'")
    # The barrier is the message itself: parts delivered early would be the first message.
    got = t.recv(handle)
    t.expect("zmtp31.socket.atomic", got == [b"p1", b"p2", b"p3"],
             "nothing is delivered before the last frame: the first message is the whole one",
             happened=words.delivered(got))
    t.expect("zmtp31.frame.message-atomic", got == [b"p1", b"p2", b"p3"],
             "the whole message then", happened=words.delivered(got))


@case("zmtp.framing.empty-frames", "framing",
      "Messages of empty frames are delivered as they are: [''] and ['', 'x', '']",
      ["zmtp31.frame.short-size", "zmtp31.frame.message-atomic"])
def _(t):
    handle, conn = receiver(t)
    conn.send(wire.frame(b"") + wire.frame(b"", more=True) + wire.frame(b"x", more=True)
              + wire.frame(b""), "[''] then ['', 'x', '']")
    first, second = t.recv(handle), t.recv(handle)
    t.expect("zmtp31.frame.short-size", first == [b""], "[''] is delivered",
             happened=words.delivered(first))
    t.expect("zmtp31.frame.message-atomic", second == [b"", b"x", b""],
             "['', 'x', ''] is delivered", happened=words.delivered(second))


@case("zmtp.framing.one-octet-writes", "framing",
      "A message whose frame headers arrive one octet per write is delivered whole",
      ["zmtp31.frame.long-size", "zmtp31.frame.message-atomic"])
def _(t):
    handle, conn = receiver(t)
    data = wire.frame(b"abc", more=True, long=True) + wire.frame(b"de")
    conn.send_chunks([data[i:i + 1] for i in range(len(data))], "one octet per write")
    got = t.recv(handle)
    t.expect("zmtp31.frame.message-atomic", got == [b"abc", b"de"],
             "delivered as ['abc', 'de']", happened=words.delivered(got))


@case("zmtp.framing.large-message-chunks", "framing",
      "A 1 MiB two-part message written in uneven pieces is delivered intact",
      ["zmtp31.frame.long-size", "zmtp31.frame.message-atomic"])
def _(t):
    handle, conn = receiver(t)
    head, body = b"h" * 300, bytes(range(251)) * 4178
    data = wire.frame(head, more=True) + wire.frame(body)
    cuts, at, step = [], 0, 1
    while at < len(data):
        cuts.append(data[at:at + step])
        at += step
        step = step * 7 + 3 if step < 100000 else 1
    conn.send_chunks(cuts, "%d octets in %d writes" % (len(data), len(cuts)))
    got = t.recv(handle, 3.0)
    t.expect("zmtp31.frame.message-atomic", got == [head, body],
             "delivered whole", happened=words.delivered(got))
