"""The ZMTP frame stream after the greeting: 3.x framing (23/ZMTP §4.3, 37/ZMTP) and
2.0 framing (15/ZMTP §3.2), with command bodies decoded as they arrive.

  frame = flags(1) size(1, or 8 big-endian with LONG) body(size)
  flags: bit 0 MORE, bit 1 LONG, bit 2 COMMAND (3.x only); other bits reserved.

Checks, in order, each at the octet that reveals it:
  - zmtp3x.frame.flags-reserved   bits 3-7 set (2.0: bits 2-7, zmtp20.frame.flags-reserved):
                                  `invalid-flags` at the flags octet;
  - zmtp3x.frame.command-no-more  COMMAND with MORE: `invalid-flags` at the flags octet;
  - zmtp3x.frame.long-size        a long size >= 2^63 (zmtp20.frame.long-size in 2.0):
                                  `invalid-size` at the last size octet;
  - zmtp3x.frame.size-limit       a size above maxFrameSize: `limit-exceeded` at the last
                                  size octet, before any body octet is accepted;
  - a command frame's body goes to a CommandDecoder (command.py) as it arrives; its error
    ends the stream, its body-local offset shifted to the whole input.

Invariants: `frames` holds one Frame per frame whose header is complete; the last may be
incomplete (its body holds the octets received so far). On error the frame in which the
error happened is dropped. The stream is `complete` when the input ends on a frame
boundary (also for an empty input), `incomplete` otherwise.

Decisions: a long size for a short body is valid (NonCanonical); an error at the size
check wins over the limit check (both at the last size octet); 2.0 has no size-limit
clause of its own, so the limit cites zmtp30.frame.size-limit there; command bodies in a
3.0 stream cite zmtp30 clauses for name / metadata / ERROR checks; a command frame of
size 0 fails at once, at its body offset (the octet after its size).
"""

from .command import CommandDecoder, encode_command, layouts_for
from .errors import INVALID_FLAGS, INVALID_SIZE, LIMIT_EXCEEDED, DecodeError
from .pump import Pump, Some, PumpDecoder

MORE, LONG, COMMAND = 0x01, 0x02, 0x04
SIZE_TOP_BIT = 1 << 63
DEFAULT_MAX_FRAME_SIZE = SIZE_TOP_BIT - 1
FAMILIES = {"3.1": "zmtp31", "3.0": "zmtp30", "2.0": "zmtp20"}


class Frame:
    """One frame whose header is complete."""

    __slots__ = ("offset", "flags", "size", "body", "complete", "command")

    def __init__(self, offset, flags, size):
        self.offset, self.flags, self.size = offset, flags, size
        self.body = bytearray()
        self.complete = False
        self.command = None

    def as_report(self):
        """The frame object F of FORMAT.md."""
        out = {"offset": self.offset, "flags": self.flags, "size": self.size,
               "body": self.body.hex(), "complete": self.complete}
        if self.command is not None:
            out["command"] = self.command
        return out


class FrameDecoder(PumpDecoder):
    """Push decoder for a frame stream; params as in FORMAT.md."""

    def __init__(self, zmtp_version="3.1", max_frame_size=DEFAULT_MAX_FRAME_SIZE,
                 mechanism="NULL"):
        if zmtp_version not in FAMILIES:
            raise ValueError(f"unsupported zmtpVersion {zmtp_version!r}")
        self._family = FAMILIES[zmtp_version]
        self._max = max_frame_size
        self._mechanism = mechanism
        layouts_for(mechanism)  # refuses an unknown mechanism up front
        self.frames = []
        self._boundary = True
        self._pump = Pump(self._parse())


    def report(self):
        """{"state", "error", "frames"} in FORMAT.md's normal form."""
        frames = [frame.as_report() for frame in self.frames]
        if self._pump.error:
            return {"state": "error", "error": self._pump.error.as_report(), "frames": frames}
        state = "complete" if self._boundary else "incomplete"
        return {"state": state, "error": None, "frames": frames}

    def _parse(self):
        pos = 0
        while True:
            self._boundary = True
            flags = (yield 1)[0]
            self._boundary = False
            self._check_flags(flags, pos)
            width = 8 if flags & LONG else 1
            size = int.from_bytes((yield width), "big")
            self._check_size(size, pos + width)
            frame = Frame(pos, flags, size)
            self.frames.append(frame)
            yield from self._body(frame, pos + 1 + width)
            pos += 1 + width + size

    def _check_flags(self, flags, at):
        if self._family == "zmtp20":
            if flags & ~(MORE | LONG):
                raise DecodeError(INVALID_FLAGS, at, "zmtp20.frame.flags-reserved")
            return
        if flags & ~(MORE | LONG | COMMAND):
            raise DecodeError(INVALID_FLAGS, at, f"{self._family}.frame.flags-reserved")
        if flags & COMMAND and flags & MORE:
            raise DecodeError(INVALID_FLAGS, at, f"{self._family}.frame.command-no-more")

    def _check_size(self, size, at):
        """`at` is the offset of the last size octet."""
        if size & SIZE_TOP_BIT:
            raise DecodeError(INVALID_SIZE, at, f"{self._family}.frame.long-size")
        if size > self._max:
            family = "zmtp30" if self._family == "zmtp20" else self._family
            raise DecodeError(LIMIT_EXCEEDED, at, f"{family}.frame.size-limit")

    def _body(self, frame, body_at):
        """Sub-generator: the body, fed to a command decoder for command frames."""
        command = None
        if frame.flags & COMMAND:  # never set here in 2.0: a reserved bit there
            command = CommandDecoder(frame.size, self._mechanism, self._family)
            self._check_command(command, body_at)
        left = frame.size
        while left:
            piece = yield Some(left)
            frame.body += piece
            left -= len(piece)
            if command:
                command.push(piece)
                self._check_command(command, body_at)
        frame.complete = True
        if command:
            frame.command = command.command

    def _check_command(self, command, body_at):
        if command.error:
            self.frames.pop()
            raise command.error.moved(body_at)


def encode_frame(body, more=False, command=False):
    """One frame: short size for bodies of 0..255 octets, long size above."""
    body = bytes(body)
    flags = (MORE if more else 0) | (COMMAND if command else 0)
    if len(body) <= 255:
        return bytes([flags, len(body)]) + body
    return bytes([flags | LONG]) + len(body).to_bytes(8, "big") + body


def encode_frame_report(frame, mechanism="NULL"):
    """A frame object F back to octets; a command frame's body from its command object."""
    body = bytes.fromhex(frame["body"])
    if "command" in frame:
        body = encode_command(frame["command"], mechanism)
    return encode_frame(body, bool(frame["flags"] & MORE), bool(frame["flags"] & COMMAND))
