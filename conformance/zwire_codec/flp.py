"""10/FLP (Freelance Protocol): one message as a list of frames.

Written from the RFC, spec/flp.md, spec/DECISIONS.md (F1..F8) and vectors/FORMAT.md
("flp"). A message is the frames the application sees: without the routing frame a
ROUTER socket prepends on receipt (and removes on sending), which the RFC leaves out of
its layouts. Layouts, by the direction a message travels:

  to-server  PING      one frame, the four octets "PING"      (flp.grammar.ping)
             REQUEST   ccf body+  (two frames or more)         (flp.grammar.request)
  to-client  PONG      one frame, the four octets "PONG"      (flp.grammar.pong, F2)
             REPLY     ccf body+  (two frames or more)         (flp.grammar.reply)

The frame count decides first (F3): one frame is a ping (a pong) or nothing; two frames or
more are a request (a reply) whatever the CCF holds, "PING" included. PING and PONG
compare octet for octet. A CCF and each body frame may hold anything, empty included (F4).

The one error is `flp-missing-frame` at the frame count (an FlpError, its offset a frame
index): a message of no frame (offset 0), or of one frame that is not exactly PING
(to-server) or PONG (to-client), which ends before the body frame a request (a reply)
needs (offset 1). It cites the layout of the two-frame message of that direction:
flp.grammar.request (to-server) or flp.grammar.reply (to-client).

Encoding is canonical: encode(decode(x)) == x, frame for frame, for every valid x.
Encoders refuse a request or reply with no body frame (an EncodeError, a ValueError), and a
CCF or body frame that is not bytes.
"""

from dataclasses import dataclass, field
from typing import List, Optional

from .errors import FLP_MISSING_FRAME, DecodeError, EncodeError

TO_SERVER, TO_CLIENT = "to-server", "to-client"
DIRECTIONS = (TO_SERVER, TO_CLIENT)

PING, PONG, REQUEST, REPLY = "PING", "PONG", "REQUEST", "REPLY"
PING_FRAME, PONG_FRAME = b"PING", b"PONG"

# Per direction: the one-frame command and its frame, the two-frame command.
ONE_FRAME = {TO_SERVER: (PING, PING_FRAME), TO_CLIENT: (PONG, PONG_FRAME)}
MANY_FRAMES = {TO_SERVER: REQUEST, TO_CLIENT: REPLY}
# The direction each command travels.
DIRECTION_OF = {PING: TO_SERVER, REQUEST: TO_SERVER, PONG: TO_CLIENT, REPLY: TO_CLIENT}

LAYOUT_CLAUSES = {
    PING: "flp.grammar.ping", REQUEST: "flp.grammar.request",
    PONG: "flp.grammar.pong", REPLY: "flp.grammar.reply",
}
# What a malformed message of each direction cites (FORMAT.md "flp", DECISIONS F3).
MISSING_CLAUSES = {TO_SERVER: LAYOUT_CLAUSES[REQUEST], TO_CLIENT: LAYOUT_CLAUSES[REPLY]}


class FlpError(DecodeError):
    """A malformed Freelance message: class, frame index (`offset`, alias `frame`), clause."""

    @property
    def frame(self):
        return self.offset

    def __repr__(self):
        return f"FlpError({self.cls!r}, {self.offset}, {self.clause!r})"


@dataclass
class Message:
    """One Freelance message. `ccf` and `body` are set for REQUEST and REPLY only (body:
    one frame or more); PING and PONG carry nothing."""

    command: str
    ccf: Optional[bytes] = None
    body: List[bytes] = field(default_factory=list)

    @property
    def direction(self):
        return DIRECTION_OF[self.command]

    def to_report(self):
        """FORMAT.md's message object M, binary values as lower-case hex."""
        if self.command in (PING, PONG):
            return {"command": self.command}
        return {"command": self.command, "ccf": bytes(self.ccf).hex(),
                "body": [bytes(frame).hex() for frame in self.body]}

    @classmethod
    def from_report(cls, m):
        """The Message of a FORMAT.md message object (hex strings back to octets)."""
        ccf = bytes.fromhex(m["ccf"]) if m.get("ccf") is not None else None
        return cls(m["command"], ccf, [bytes.fromhex(frame) for frame in m.get("body") or []])

    def to_frames(self):
        return encode_message(self)


def check_direction(direction):
    if direction not in DIRECTIONS:
        raise ValueError(f"flp direction must be 'to-server' or 'to-client', "
                         f"not {direction!r}")


# ---------------------------------------------------------------------------- decoding

def decode(frames, direction=TO_SERVER):
    """One message's frames (bytes-like each) -> Message; raises FlpError."""
    check_direction(direction)
    frames = [bytes(frame) for frame in frames]
    if len(frames) >= 2:
        # two frames or more: a request (a reply), the CCF opaque (F3, F4)
        return Message(MANY_FRAMES[direction], frames[0], frames[1:])
    if len(frames) == 1:
        command, octets_ = ONE_FRAME[direction]
        if frames[0] == octets_:
            return Message(command)
    # no frame, or one frame that is not the ping (pong): a request (reply) cut short
    raise FlpError(FLP_MISSING_FRAME, len(frames), MISSING_CLAUSES[direction])


# ------------------------------------------------------------------------ report API

def run_flp(params, frames):
    """FORMAT.md's report {"state", "error", "message"} for one message's frames."""
    params = params or {}
    try:
        message = decode(frames, params.get("direction", TO_SERVER))
    except FlpError as err:
        return {"state": "error", "error": err.as_report(), "message": None}
    return {"state": "complete", "error": None, "message": message.to_report()}


def encode_report_message(params, m):
    """The frames of a report's message object, under the group's params."""
    params = params or {}
    direction = params.get("direction", TO_SERVER)
    check_direction(direction)
    command = m.get("command")
    if DIRECTION_OF.get(command, direction) != direction:
        raise ValueError(f"a {command} travels {DIRECTION_OF[command]}, not {direction}")
    return encode_message(Message.from_report(m))


# ---------------------------------------------------------------------------- encoding

def encode_message(message):
    """A Message -> its frames (list of bytes); raises EncodeError (a ValueError)."""
    command = message.command
    if command not in DIRECTION_OF:
        raise ValueError(f"flp command must be PING, PONG, REQUEST or REPLY, not {command!r}")
    clause = LAYOUT_CLAUSES[command]
    if command in (PING, PONG):
        if message.ccf is not None or message.body:
            raise ValueError(f"a {command} is one frame: it carries no CCF and no body")
        return [ONE_FRAME[DIRECTION_OF[command]][1]]
    if message.ccf is None:
        raise EncodeError(FLP_MISSING_FRAME, clause, f"a {command} needs a CCF")
    ccf = octets(message.ccf, "CCF")
    body = message.body
    if isinstance(body, (bytes, bytearray, memoryview, str)) or body is None:
        raise ValueError("body is a list of frames, e.g. [b'hello'], not one value")
    body = [octets(frame, "body frame") for frame in body]
    if not body:
        raise EncodeError(FLP_MISSING_FRAME, clause,
                          f"a {command} needs at least one body frame (it may be empty)")
    return [ccf] + body


def octets(value, what):
    if not isinstance(value, (bytes, bytearray, memoryview)):
        raise ValueError(f"{what} must be bytes, not {type(value).__name__}")
    return bytes(value)


# ------------------------------------------------------------- one helper per message

def ping():
    """A client's PING: `["PING"]`."""
    return encode_message(Message(PING))


def pong():
    """A server's PONG: `["PONG"]`."""
    return encode_message(Message(PONG))


def request(ccf, body):
    """A client's REQUEST: `[ccf, body+]`; body is a non-empty list of frames."""
    return encode_message(Message(REQUEST, ccf, body))


def reply(ccf, body):
    """A server's REPLY: `[ccf, body+]` (the request's CCF, unmodified, flp.server.reply-ccf)."""
    return encode_message(Message(REPLY, ccf, body))
