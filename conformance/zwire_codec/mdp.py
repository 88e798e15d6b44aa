"""7/MDP (Majordomo 0.1) and 18/MDP (Majordomo 0.2): one message as a list of frames.

Written from the two RFCs, spec/mdp01.md, spec/mdp02.md, spec/DECISIONS.md (M1..M20,
M2-1..M2-20) and vectors/FORMAT.md ("mdp"). A message is the frames as a DEALER socket
sends them: no identity frame of a broker's ROUTER. Layouts (frame indexes):

  0.1 client (REQUEST and REPLY alike)  "" MDPC01 service body+
  0.1 worker READY                      "" MDPW01 01 service
             REQUEST 02, REPLY 03       "" MDPW01 cc address "" body+
             HEARTBEAT 04, DISCONNECT 05  "" MDPW01 cc
  0.2 client REQUEST 01, PARTIAL 02, FINAL 03   MDPC02 cc service body+
  0.2 worker READY 01                   MDPW02 01 service
             REQUEST 02, PARTIAL 03, FINAL 04   MDPW02 cc address "" body+
             HEARTBEAT 05, DISCONNECT 06        MDPW02 cc

Decoding is direction-blind (FORMAT.md): layouts only, never who may send what. The frames
are read in order and the first failure wins; an error is an MdpError(class, frame index,
clause). The checks and the clauses they cite:

  - header: with version "any", frame 0 empty means 0.1 (frame 1 must be MDPC01/MDPW01),
    MDPC02/MDPW02 means 0.2, anything else is refused at frame 0 (DECISIONS M2-2).
    Headers compare byte for byte; the subprotocol param narrows the headers taken.
    `mdp-invalid-header` at the first frame that rules the header out.
  - command: one octet holding a code of the sub-protocol and version, else
    `mdp-invalid-command` (mdp02.grammar.client-command, mdp02.grammar.worker-command;
    0.1 has no command clause of its own: mdp01.grammar.ready, the first worker layout).
  - service: one octet or more, each 0x20..0x7E (M9, M2-14), else `mdp-invalid-service`
    (mdp01.grammar.service-name, mdp02.grammar.service-name).
  - client address: exactly one frame, any octets, empty included (M12, M2-13); the next
    frame is empty, else `mdp-invalid-delimiter` (mdp0x.request.empty-after-address, or
    mdp0x.request.one-address when an empty frame comes later: that reads as a second
    address frame before the delimiter).
  - body: one frame or more, any octets, empty included (M11, M2-15).
  - READY, HEARTBEAT, DISCONNECT have a fixed length: `mdp-extra-frame` at the first frame
    after it (the command's layout clause).
  - `mdp-missing-frame` at the number of frames when a frame the layout needs is missing
    (the layout clause of the message being read: mdp01.grammar.worker-request, ...).

Which clause a header failure cites (our rule; FORMAT.md names only class and offset):
  - the version whose layout the frame was read under: the version param when it is 0.1
    or 0.2; with "any", 0.2 at frame 0 and 0.1 at frame 1, except that a frame which is
    exactly a header of the other version cites that version (MDPC01 at frame 0 is a 0.1
    message without its empty frame; MDPW02 at frame 1 is a 0.2 header after an empty
    frame, which mdp02.grammar.worker-header forbids);
  - the side: the subprotocol param; with "any", a frame opening `MDPW` or `MDPC` names
    its side, else a one-octet 0.1 worker code where the 0.1 command would stand
    (service names never are one such octet) means worker, else client;
  - then 0.2: mdp02.grammar.client-header / mdp02.grammar.worker-header; 0.1 client:
    mdp01.grammar.client-request; 0.1 worker: the layout of that worker code (e.g.
    mdp01.grammar.heartbeat), mdp01.grammar.ready when there is none or the frame is
    MDPW02 (whose command frame holds a 0.2 code).

Encoding is canonical (FORMAT.md: every MDP encoding is), so encode(decode(x)) == x for
every valid x. Encoders refuse what no layout carries (an empty or non-printable service,
no body frame, a field the command has no frame for) with an EncodeError (a ValueError).
"""

from dataclasses import dataclass, field
from typing import List, Optional

from .errors import (MDP_EXTRA_FRAME, MDP_INVALID_COMMAND, MDP_INVALID_DELIMITER,
                     MDP_INVALID_HEADER, MDP_INVALID_SERVICE, MDP_MISSING_FRAME, DecodeError,
                     EncodeError)

V01, V02, ANY = "0.1", "0.2", "any"
CLIENT, WORKER = "client", "worker"
VERSIONS = (V01, V02)
SIDES = (CLIENT, WORKER)

# The six-octet protocol header of each version and sub-protocol.
HEADERS = {
    (V01, CLIENT): b"MDPC01", (V01, WORKER): b"MDPW01",
    (V02, CLIENT): b"MDPC02", (V02, WORKER): b"MDPW02",
}

# Command codes; the 0.1 client side has no command frame.
COMMANDS = {
    (V01, WORKER): {1: "READY", 2: "REQUEST", 3: "REPLY", 4: "HEARTBEAT", 5: "DISCONNECT"},
    (V02, CLIENT): {1: "REQUEST", 2: "PARTIAL", 3: "FINAL"},
    (V02, WORKER): {1: "READY", 2: "REQUEST", 3: "PARTIAL", 4: "FINAL", 5: "HEARTBEAT",
                    6: "DISCONNECT"},
}
CODES = {key: {name: code for code, name in table.items()} for key, table in COMMANDS.items()}

# What follows the command frame (or the header, for the 0.1 client side).
SERVICE_BODY, SERVICE_ONLY = "service+body", "service"
ADDRESS_BODY, NOTHING = "address+body", ""


def layout_of(side, command):
    if side == CLIENT:
        return SERVICE_BODY
    if command == "READY":
        return SERVICE_ONLY
    if command in ("HEARTBEAT", "DISCONNECT"):
        return NOTHING
    return ADDRESS_BODY


# The layout clause of each message (mdp01.grammar.*, mdp02.grammar.*).
LAYOUT_CLAUSES = {
    (V01, CLIENT, None): "mdp01.grammar.client-request",
    (V01, WORKER, "READY"): "mdp01.grammar.ready",
    (V01, WORKER, "REQUEST"): "mdp01.grammar.worker-request",
    (V01, WORKER, "REPLY"): "mdp01.grammar.worker-reply",
    (V01, WORKER, "HEARTBEAT"): "mdp01.grammar.heartbeat",
    (V01, WORKER, "DISCONNECT"): "mdp01.grammar.disconnect",
    (V02, CLIENT, "REQUEST"): "mdp02.grammar.client-request",
    (V02, CLIENT, "PARTIAL"): "mdp02.grammar.client-partial",
    (V02, CLIENT, "FINAL"): "mdp02.grammar.client-final",
    (V02, WORKER, "READY"): "mdp02.grammar.ready",
    (V02, WORKER, "REQUEST"): "mdp02.grammar.worker-request",
    (V02, WORKER, "PARTIAL"): "mdp02.grammar.worker-partial",
    (V02, WORKER, "FINAL"): "mdp02.grammar.worker-final",
    (V02, WORKER, "HEARTBEAT"): "mdp02.grammar.heartbeat",
    (V02, WORKER, "DISCONNECT"): "mdp02.grammar.disconnect",
}
# The command frame's clause: 0.2 has one per sub-protocol; 0.1 only the layouts.
COMMAND_CLAUSES = {
    (V01, WORKER): "mdp01.grammar.ready",
    (V02, CLIENT): "mdp02.grammar.client-command",
    (V02, WORKER): "mdp02.grammar.worker-command",
}
SERVICE_CLAUSES = {V01: "mdp01.grammar.service-name", V02: "mdp02.grammar.service-name"}
ONE_ADDRESS_CLAUSES = {V01: "mdp01.request.one-address", V02: "mdp02.request.one-address"}
DELIMITER_CLAUSES = {V01: "mdp01.request.empty-after-address",
                     V02: "mdp02.request.empty-after-address"}


class MdpError(DecodeError):
    """A malformed Majordomo message: class, frame index (`offset`, alias `frame`), clause."""

    @property
    def frame(self):
        return self.offset

    def __repr__(self):
        return f"MdpError({self.cls!r}, {self.offset}, {self.clause!r})"


@dataclass
class Message:
    """One Majordomo message. `command` is None on the 0.1 client side (its REQUEST and
    REPLY share one layout); `service` is set for client-side messages and READY,
    `address` for worker-side REQUEST / REPLY / PARTIAL / FINAL; `body` holds the body
    frames (empty for READY, HEARTBEAT and DISCONNECT). To encode, `service` may also be
    a str (printable ASCII)."""

    version: str
    subprotocol: str
    command: Optional[str] = None
    service: Optional[bytes] = None
    address: Optional[bytes] = None
    body: List[bytes] = field(default_factory=list)

    def to_report(self):
        """FORMAT.md's message object M, binary values as lower-case hex."""
        out = {"version": self.version, "subprotocol": self.subprotocol,
               "command": self.command}
        layout = layout_of(self.subprotocol, self.command)
        if layout in (SERVICE_BODY, SERVICE_ONLY):
            out["service"] = bytes(self.service).hex()
        if layout == ADDRESS_BODY:
            out["address"] = bytes(self.address).hex()
        if layout in (SERVICE_BODY, ADDRESS_BODY):
            out["body"] = [bytes(frame).hex() for frame in self.body]
        return out

    @classmethod
    def from_report(cls, m):
        """The Message of a FORMAT.md message object (hex strings back to octets)."""
        def unhex(key):
            return bytes.fromhex(m[key]) if m.get(key) is not None else None
        return cls(m["version"], m["subprotocol"], m.get("command"), unhex("service"),
                   unhex("address"), [bytes.fromhex(frame) for frame in m.get("body") or []])

    def to_frames(self):
        return encode_message(self)


# ---------------------------------------------------------------------------- decoding

class Cursor:
    """The frames of one message and the index of the next one to read."""

    def __init__(self, frames):
        self.frames = frames
        self.at = 0

    def need(self, clause):
        """The layout needs a next frame: its absence is `mdp-missing-frame` at the count."""
        if self.at >= len(self.frames):
            raise MdpError(MDP_MISSING_FRAME, len(self.frames), clause)

    def take(self, clause):
        """The next frame, which the layout needs."""
        self.need(clause)
        frame = self.frames[self.at]
        self.at += 1
        return frame

    def rest(self):
        frames, self.at = self.frames[self.at:], len(self.frames)
        return frames


def check_params(version, subprotocol):
    if version not in (V01, V02, ANY):
        raise ValueError(f"mdp version must be '0.1', '0.2' or 'any', not {version!r}")
    if subprotocol not in (CLIENT, WORKER, ANY):
        raise ValueError(f"mdp subprotocol must be 'client', 'worker' or 'any', "
                         f"not {subprotocol!r}")


def sides(subprotocol):
    return SIDES if subprotocol == ANY else (subprotocol,)


def decode(frames, version=ANY, subprotocol=ANY):
    """One message's frames (bytes-like each) -> Message; raises MdpError."""
    check_params(version, subprotocol)
    cur = Cursor([bytes(frame) for frame in frames])
    version, side = read_header(cur, version, subprotocol)
    command = read_command(cur, version, side)
    message = Message(version, side, command)
    read_layout(cur, message)
    return message


def read_header(cur, version, subprotocol):
    """Frame 0 (0.2) or frames 0 and 1 (0.1) -> (version, side). DECISIONS M2-2."""
    frames = cur.frames
    if not frames:
        raise MdpError(MDP_MISSING_FRAME, 0, header_clause(frames, 0, version, subprotocol))
    if frames[0] == b"" and version in (V01, ANY):
        # 0.1: every command opens with an empty frame, then MDPC01 or MDPW01
        cur.at = 1
        if len(frames) < 2:
            raise MdpError(MDP_MISSING_FRAME, 1, header_clause(frames, 1, version, subprotocol))
        for side in sides(subprotocol):
            if frames[1] == HEADERS[V01, side]:
                cur.at = 2
                return V01, side
        raise MdpError(MDP_INVALID_HEADER, 1, header_clause(frames, 1, version, subprotocol))
    if version in (V02, ANY):
        # 0.2: the header opens the message, no empty frame before it
        # (mdp02.grammar.client-header, mdp02.grammar.worker-header)
        for side in sides(subprotocol):
            if frames[0] == HEADERS[V02, side]:
                cur.at = 1
                return V02, side
    raise MdpError(MDP_INVALID_HEADER, 0, header_clause(frames, 0, version, subprotocol))


def header_clause(frames, at, version, subprotocol):
    """The clause a header failure at frame `at` cites (the rule in the module doc)."""
    frame = frames[at] if at < len(frames) else None
    reading = version
    if version == ANY:
        reading = V02 if at == 0 else V01
        for other in VERSIONS:
            if frame in (HEADERS[other, CLIENT], HEADERS[other, WORKER]):
                reading = other
    # where the command would stand if `frame` is a misplaced or mistyped header
    command_at = at + 1 if frame is not None and frame.startswith(b"MDP") else 2
    side = subprotocol if subprotocol != ANY else guess_side(frames, frame, command_at,
                                                             reading)
    if reading == V02:
        return f"mdp02.grammar.{side}-header"
    if side == CLIENT:
        return LAYOUT_CLAUSES[V01, CLIENT, None]
    code = None if frame == HEADERS[V02, WORKER] else worker_code_01(frames, command_at)
    if code is None:
        return LAYOUT_CLAUSES[V01, WORKER, "READY"]
    return LAYOUT_CLAUSES[V01, WORKER, COMMANDS[V01, WORKER][code]]


def guess_side(frames, frame, command_at, reading):
    """The side a header-less message seems to be on (clause choice only)."""
    if frame is not None and frame.startswith(b"MDPW"):
        return WORKER
    if frame is not None and frame.startswith(b"MDPC"):
        return CLIENT
    if reading == V01 and worker_code_01(frames, command_at) is not None:
        return WORKER
    return CLIENT


def worker_code_01(frames, at):
    """The 0.1 worker code at frame `at`, or None."""
    if at < len(frames) and len(frames[at]) == 1 and frames[at][0] in COMMANDS[V01, WORKER]:
        return frames[at][0]
    return None


def read_command(cur, version, side):
    """The one-octet command frame -> its name (None for the 0.1 client side)."""
    if (version, side) == (V01, CLIENT):
        return None
    clause = COMMAND_CLAUSES[version, side]
    at = cur.at
    frame = cur.take(clause)
    codes = COMMANDS[version, side]
    if len(frame) != 1 or frame[0] not in codes:
        raise MdpError(MDP_INVALID_COMMAND, at, clause)
    return codes[frame[0]]


def read_layout(cur, message):
    """The frames after the command, by the command's layout; fills `message`."""
    version, layout_clause = message.version, clause_of(message)
    layout = layout_of(message.subprotocol, message.command)
    if layout in (SERVICE_BODY, SERVICE_ONLY):
        message.service = read_service(cur, version, layout_clause)
    if layout == ADDRESS_BODY:
        # exactly one client address frame, opaque (mdp0x.request.one-address, M12)
        message.address = cur.take(layout_clause)
        read_delimiter(cur, version, layout_clause)
    if layout in (SERVICE_BODY, ADDRESS_BODY):
        message.body = read_body(cur, layout_clause)
    elif cur.at < len(cur.frames):
        # READY, HEARTBEAT and DISCONNECT are exactly 4 / 3 frames (0.1), 3 / 2 (0.2)
        raise MdpError(MDP_EXTRA_FRAME, cur.at, layout_clause)


def clause_of(message):
    return LAYOUT_CLAUSES[message.version, message.subprotocol, message.command]


def read_service(cur, version, layout_clause):
    """A service name: 1+ octets, each 0x20..0x7E (mdp0x.grammar.service-name, M9, M2-14)."""
    at = cur.at
    frame = cur.take(layout_clause)
    if not printable(frame):
        raise MdpError(MDP_INVALID_SERVICE, at, SERVICE_CLAUSES[version])
    return frame


def printable(name):
    return len(name) > 0 and all(0x20 <= octet <= 0x7E for octet in name)


def read_delimiter(cur, version, layout_clause):
    """The empty frame after the client address (mdp0x.request.empty-after-address)."""
    at = cur.at
    frame = cur.take(layout_clause)
    if frame:
        # an empty frame further on makes this frame read as a second address frame
        later_empty = any(not later for later in cur.frames[at + 1:])
        clause = ONE_ADDRESS_CLAUSES if later_empty else DELIMITER_CLAUSES
        raise MdpError(MDP_INVALID_DELIMITER, at, clause[version])


def read_body(cur, layout_clause):
    """One body frame or more, any octets (M11, M2-15)."""
    cur.need(layout_clause)
    return cur.rest()


# ------------------------------------------------------------------------ report API

def run_mdp(params, frames):
    """FORMAT.md's report {"state", "error", "message"} for one message's frames."""
    params = params or {}
    try:
        message = decode(frames, params.get("version", ANY), params.get("subprotocol", ANY))
    except MdpError as err:
        return {"state": "error", "error": err.as_report(), "message": None}
    return {"state": "complete", "error": None, "message": message.to_report()}


def encode_report_message(params, m):
    """The frames of a report's message object, under the group's params."""
    params = params or {}
    version, subprotocol = params.get("version", ANY), params.get("subprotocol", ANY)
    check_params(version, subprotocol)
    if version not in (ANY, m.get("version")):
        raise ValueError(f"a {m.get('version')} message under version {version!r}")
    if subprotocol not in (ANY, m.get("subprotocol")):
        raise ValueError(f"a {m.get('subprotocol')} message under subprotocol {subprotocol!r}")
    return encode_message(Message.from_report(m))


# ---------------------------------------------------------------------------- encoding

def encode_message(message):
    """A Message -> its frames (list of bytes); raises EncodeError (a ValueError)."""
    version, side, command = message.version, message.subprotocol, message.command
    if version not in VERSIONS:
        raise ValueError(f"mdp version must be '0.1' or '0.2' to encode, not {version!r}")
    if side not in SIDES:
        raise ValueError(f"mdp subprotocol must be 'client' or 'worker' to encode, "
                         f"not {side!r}")
    frames = [b""] if version == V01 else []  # 0.1 opens with an empty frame, 0.2 not
    frames.append(HEADERS[version, side])
    if (version, side) == (V01, CLIENT):
        if command is not None:
            raise EncodeError(MDP_INVALID_COMMAND, LAYOUT_CLAUSES[V01, CLIENT, None],
                              f"a 0.1 client message has no command frame (got {command!r};"
                              f" use None for REQUEST and REPLY alike)")
    else:
        codes = CODES[version, side]
        if command not in codes:
            raise EncodeError(MDP_INVALID_COMMAND, COMMAND_CLAUSES[version, side],
                              f"{version} {side} has no command {command!r} "
                              f"(it has {', '.join(codes)})")
        frames.append(bytes([codes[command]]))
    layout, clause = layout_of(side, command), LAYOUT_CLAUSES[version, side, command]
    frames += encode_fields(message, layout, clause)
    return frames


def encode_fields(message, layout, clause):
    """The frames after the command; refuses a field the layout has no frame for."""
    name = message.command or "client message"
    service, address, body = message.service, message.address, message.body
    if layout not in (SERVICE_BODY, SERVICE_ONLY) and service is not None:
        raise EncodeError(MDP_EXTRA_FRAME, clause, f"{name} carries no service name")
    if layout != ADDRESS_BODY and address is not None:
        raise EncodeError(MDP_EXTRA_FRAME, clause, f"{name} carries no client address")
    body = body_frames(body, clause)
    if layout in (SERVICE_ONLY, NOTHING) and body:
        raise EncodeError(MDP_EXTRA_FRAME, clause, f"{name} carries no body frames")
    frames = []
    if layout in (SERVICE_BODY, SERVICE_ONLY):
        frames.append(service_frame(service, message.version, clause))
    if layout == ADDRESS_BODY:
        if address is None:
            raise EncodeError(MDP_MISSING_FRAME, clause, f"{name} needs a client address")
        frames += [octets(address, "client address"), b""]
    if layout in (SERVICE_BODY, ADDRESS_BODY):
        if not body:
            raise EncodeError(MDP_MISSING_FRAME, clause,
                              f"{name} needs at least one body frame (it may be empty)")
        frames += body
    return frames


def service_frame(service, version, clause):
    """A service name (str or bytes) as its frame: 1+ octets 0x20..0x7E."""
    if service is None:
        raise EncodeError(MDP_MISSING_FRAME, clause, "a service name is needed")
    if isinstance(service, str):
        try:
            service = service.encode("ascii")
        except UnicodeEncodeError:
            raise EncodeError(MDP_INVALID_SERVICE, SERVICE_CLAUSES[version],
                              f"service name {service!r} is not printable ASCII") from None
    service = octets(service, "service name")
    if not printable(service):
        raise EncodeError(MDP_INVALID_SERVICE, SERVICE_CLAUSES[version],
                          f"service name {service!r} must be one or more octets 0x20..0x7E")
    return service


def body_frames(body, clause):
    """The body as a list of bytes frames (a lone bytes value is refused, not split)."""
    if body is None:
        return []
    if isinstance(body, (bytes, bytearray, memoryview, str)):
        raise ValueError("body is a list of frames, e.g. [b'hello'], not one value")
    return [octets(frame, "body frame") for frame in body]


def octets(value, what):
    if not isinstance(value, (bytes, bytearray, memoryview)):
        raise ValueError(f"{what} must be bytes, not {type(value).__name__}")
    return bytes(value)


# ------------------------------------------------------------- one helper per message

def client_request(service, body, version):
    """A client REQUEST: 0.1 `"" MDPC01 service body+`, 0.2 `MDPC02 01 service body+`."""
    command = None if version == V01 else "REQUEST"
    return encode_message(Message(version, CLIENT, command, service=service, body=body))


def client_reply(service, body, version):
    """A 0.1 REPLY to a client (the request's layout). 0.2 has PARTIAL and FINAL."""
    only(version, V01, "client_reply", "client_partial / client_final")
    return encode_message(Message(V01, CLIENT, None, service=service, body=body))


def client_partial(service, body, version):
    """A 0.2 PARTIAL to a client: `MDPC02 02 service body+`."""
    only(version, V02, "client_partial", "client_reply")
    return encode_message(Message(V02, CLIENT, "PARTIAL", service=service, body=body))


def client_final(service, body, version):
    """A 0.2 FINAL to a client: `MDPC02 03 service body+`."""
    only(version, V02, "client_final", "client_reply")
    return encode_message(Message(V02, CLIENT, "FINAL", service=service, body=body))


def worker_ready(service, version):
    """READY: 0.1 `"" MDPW01 01 service`, 0.2 `MDPW02 01 service`."""
    return encode_message(Message(version, WORKER, "READY", service=service))


def worker_request(address, body, version):
    """A REQUEST to a worker: header, 02, client address, empty frame, body+."""
    return encode_message(Message(version, WORKER, "REQUEST", address=address, body=body))


def worker_reply(address, body, version):
    """A 0.1 worker REPLY: `"" MDPW01 03 address "" body+`."""
    only(version, V01, "worker_reply", "worker_partial / worker_final")
    return encode_message(Message(V01, WORKER, "REPLY", address=address, body=body))


def worker_partial(address, body, version):
    """A 0.2 worker PARTIAL: `MDPW02 03 address "" body+`."""
    only(version, V02, "worker_partial", "worker_reply")
    return encode_message(Message(V02, WORKER, "PARTIAL", address=address, body=body))


def worker_final(address, body, version):
    """A 0.2 worker FINAL: `MDPW02 04 address "" body+`."""
    only(version, V02, "worker_final", "worker_reply")
    return encode_message(Message(V02, WORKER, "FINAL", address=address, body=body))


def heartbeat(version):
    """HEARTBEAT, either way: 0.1 `"" MDPW01 04`, 0.2 `MDPW02 05`."""
    return encode_message(Message(version, WORKER, "HEARTBEAT"))


def disconnect(version):
    """DISCONNECT, either way: 0.1 `"" MDPW01 05`, 0.2 `MDPW02 06`."""
    return encode_message(Message(version, WORKER, "DISCONNECT"))


# What a helper for one version's command cites when asked for the other version.
OTHER_VERSION_CLAUSES = {
    (V01, CLIENT): "mdp01.grammar.client-reply",
    (V01, WORKER): "mdp01.grammar.worker-reply",
    (V02, CLIENT): "mdp02.grammar.client-command",
    (V02, WORKER): "mdp02.grammar.worker-command",
}


def only(version, wanted, helper, instead):
    """Refuses a helper whose command the given version does not have."""
    if version not in VERSIONS:
        raise ValueError(f"mdp version must be '0.1' or '0.2', not {version!r}")
    if version != wanted:
        side = CLIENT if helper.startswith("client") else WORKER
        raise EncodeError(MDP_INVALID_COMMAND, OTHER_VERSION_CLAUSES[version, side],
                          f"{helper} is MDP {wanted} only; for {version} use {instead}")
