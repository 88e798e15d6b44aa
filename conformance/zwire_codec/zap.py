"""27/ZAP (ZeroMQ Authentication Protocol): one request or reply as a list of frames.

Written from RFC 27 itself, RFC 23 (the ZMTP 3.0 metadata format), RFC 5952 (the
canonical IPv6 text) and vectors/FORMAT.md ("zap"), never from codec/. A message is its
frames as the RFC's examples show them *on the wire*: a server's DEALER sends, and a
handler's ROUTER receives, the empty address delimiter first (the routing frame a ROUTER
adds on receipt is not part of it); with envelope "none" the delimiter is absent, as a REQ
or REP socket hands the message to the application (RFC 27 "Socket Types"). Layouts
(frame indexes with the delimiter; one less without it):

  request  "" 1.0 request-id domain address identity mechanism credentials*
  reply    "" 1.0 request-id status-code status-text user-id metadata

A *string* (RFC 27: "All string fields are at most 255 characters and are ASCII only") is
0..255 octets, each 0x00..0x7F: the domain, address, mechanism, status code, status text
and user id. The request id, identity, credentials and metadata are opaque (the identity
at most 255 octets, the metadata a ZMTP 3.0 property list).

The frames are read in order and the first failure wins; an error is a ZapError(class,
frame index, clause), its offset the index of the frame that made the message invalid, or
the number of frames when the message ended before a frame its layout needs (the index
counts the delimiter when there is one). Checks, in frame order, and the clauses cited:

  - delimiter (envelope "delimiter"): frame 0 empty, else `zap-invalid-delimiter` at 0
    (zap.request.delimiter / zap.reply.delimiter);
  - version: exactly the three octets "1.0", else `zap-bad-version` (zap.*.version);
  - request id: anything;
  - domain: not empty (zap.request.domain) and a string (zap.strings.ascii), else
    `zap-invalid-domain`;
  - address: an IPv4 dotted quad (four decimal numbers 0..255, no leading zero) or an
    IPv6 address in the RFC 5952 canonical text (see `canonical_ipv6`), else
    `zap-invalid-address` (zap.request.address); empty is no address;
  - identity: at most 255 octets, else `zap-invalid-identity` (zap.request.identity);
  - mechanism: not empty (zap.request.mechanism) and a string (zap.strings.ascii), else
    `zap-invalid-mechanism`;
  - credentials, by the mechanism, octet for octet: "NULL" none (zap.null.no-credentials),
    "PLAIN" exactly two (zap.plain.credentials), "CURVE" exactly one of 32 octets
    (zap.curve.credentials); any other mechanism takes any frames. `zap-invalid-credentials`
    at the first frame that does not fit (an extra frame, a CURVE key of another size) or
    at the number of frames when one is missing. The PLAIN user name and password are
    opaque here (FORMAT.md: credentials are opaque).
  - status code: one of "200", "300", "400", "500", else `zap-invalid-status-code`
    (zap.reply.status-code);
  - status text: a string, else `zap-invalid-text` (zap.strings.ascii);
  - user id: a string (zap.strings.ascii), and empty unless the status is "200"
    (zap.reply.user-id-empty), else `zap-invalid-user-id`; a user id that breaks both
    cites zap.strings.ascii (our rule: the table names that check first);
  - metadata: a ZMTP 3.0 property list (metadata.MetadataDecoder's rules), else
    `zap-invalid-metadata` (zap.reply.metadata); empty is an empty list;
  - `zap-extra-frame` at the first reply frame after the metadata (zap.reply.frames);
  - `zap-missing-frame` at the number of frames when the message ends before a frame its
    layout needs, a delimiter, version, ... mechanism, or any reply frame
    (zap.request.frames / zap.reply.frames). An empty input is `zap-missing-frame` at 0.

A reply whose request id is not its request's is well formed here (`zap-bad-request-id` is
a session class: only the server that sent the request can tell).

API: `decode(frames, direction, envelope)` gives FORMAT.md's report {"state", "error",
"message"}; `parse` gives a Request or Reply, or raises ZapError; `encode(message,
direction, envelope)` gives the frames of a Request, a Reply or a report's message object
M (hex strings). Every encoding is canonical, so encode(decode(x)) == x, frame for frame,
for every valid x; the encoder checks its frames with the decoder and refuses what the
decoder would refuse (an EncodeError, a ValueError, with the class and clause), unless
called with check=False (a harness writing a hostile message on purpose).
"""

from dataclasses import dataclass, field
from typing import List, Union

from .errors import (ZAP_BAD_VERSION, ZAP_EXTRA_FRAME, ZAP_INVALID_ADDRESS,
                     ZAP_INVALID_CREDENTIALS, ZAP_INVALID_DELIMITER, ZAP_INVALID_DOMAIN,
                     ZAP_INVALID_IDENTITY, ZAP_INVALID_MECHANISM, ZAP_INVALID_METADATA,
                     ZAP_INVALID_STATUS_CODE, ZAP_INVALID_TEXT, ZAP_INVALID_USER_ID,
                     ZAP_MISSING_FRAME, DecodeError, EncodeError)
from .metadata import MetadataDecoder

REQUEST, REPLY = "request", "reply"
DIRECTIONS = (REQUEST, REPLY)
DELIMITER, NONE = "delimiter", "none"
ENVELOPES = (DELIMITER, NONE)

VERSION = b"1.0"
STATUS_CODES = (b"200", b"300", b"400", b"500")
STATUS_OK = b"200"
STRING_MAX = 255     # RFC 27: string fields are at most 255 characters, ASCII only
IDENTITY_MAX = 255   # RFC 27: the identity is no longer than 255 bytes
CURVE_KEY_SIZE = 32  # RFC 27: a 32-byte long-term public key

# Credentials frames each mechanism takes: (count, size of each frame or None), clause.
CREDENTIALS = {
    b"NULL": (0, None, "zap.null.no-credentials"),
    b"PLAIN": (2, None, "zap.plain.credentials"),
    b"CURVE": (1, CURVE_KEY_SIZE, "zap.curve.credentials"),
}

ASCII = "zap.strings.ascii"
CLAUSES = {
    REQUEST: {"delimiter": "zap.request.delimiter", "version": "zap.request.version",
              "frames": "zap.request.frames"},
    REPLY: {"delimiter": "zap.reply.delimiter", "version": "zap.reply.version",
            "frames": "zap.reply.frames"},
}


class ZapError(DecodeError):
    """A malformed ZAP message: class, frame index (`offset`, alias `frame`), clause."""

    @property
    def frame(self):
        return self.offset

    def __repr__(self):
        return f"ZapError({self.cls!r}, {self.offset}, {self.clause!r})"


@dataclass
class Request:
    """A ZAP request (server to handler); every field is octets."""

    request_id: bytes
    domain: bytes
    address: bytes
    identity: bytes
    mechanism: bytes
    credentials: List[bytes] = field(default_factory=list)

    direction = REQUEST

    def to_report(self):
        """FORMAT.md's message object M, binary values as lower-case hex."""
        return {"request_id": self.request_id.hex(), "domain": self.domain.hex(),
                "address": self.address.hex(), "identity": self.identity.hex(),
                "mechanism": self.mechanism.hex(),
                "credentials": [frame.hex() for frame in self.credentials]}

    @classmethod
    def from_report(cls, m):
        """The Request of a FORMAT.md message object (hex strings back to octets)."""
        check_keys(m, REQUEST)
        credentials = m["credentials"]
        if isinstance(credentials, str):
            raise ValueError("credentials is a list of hex frames, not one string")
        return cls(unhex(m, "request_id"), unhex(m, "domain"), unhex(m, "address"),
                   unhex(m, "identity"), unhex(m, "mechanism"),
                   [bytes.fromhex(frame) for frame in credentials])

    def fields(self):
        return [self.request_id, self.domain, self.address, self.identity,
                self.mechanism] + list(self.credentials)


@dataclass
class Reply:
    """A ZAP reply (handler to server); every field is octets."""

    request_id: bytes
    status_code: bytes
    status_text: bytes
    user_id: bytes
    metadata: bytes

    direction = REPLY

    def to_report(self):
        """FORMAT.md's message object M, binary values as lower-case hex."""
        return {"request_id": self.request_id.hex(), "status_code": self.status_code.hex(),
                "status_text": self.status_text.hex(), "user_id": self.user_id.hex(),
                "metadata": self.metadata.hex()}

    @classmethod
    def from_report(cls, m):
        """The Reply of a FORMAT.md message object (hex strings back to octets)."""
        check_keys(m, REPLY)
        return cls(unhex(m, "request_id"), unhex(m, "status_code"), unhex(m, "status_text"),
                   unhex(m, "user_id"), unhex(m, "metadata"))

    def fields(self):
        return [self.request_id, self.status_code, self.status_text, self.user_id,
                self.metadata]


Message = Union[Request, Reply]
MESSAGE_TYPES = {REQUEST: Request, REPLY: Reply}


KEYS = {REQUEST: ("request_id", "domain", "address", "identity", "mechanism", "credentials"),
        REPLY: ("request_id", "status_code", "status_text", "user_id", "metadata")}


def check_keys(m, direction):
    """A message object M has exactly the keys of its direction's row of FORMAT.md."""
    if set(m) != set(KEYS[direction]):
        raise ValueError(f"a zap {direction} object has the keys {', '.join(KEYS[direction])}"
                         f", not {', '.join(sorted(m))}")


def unhex(m, key):
    value = m[key]
    if not isinstance(value, str):
        raise ValueError(f"{key} must be a hex string, not {type(value).__name__}")
    return bytes.fromhex(value)


def check_params(direction, envelope):
    if direction not in DIRECTIONS:
        raise ValueError(f"zap direction must be 'request' or 'reply', not {direction!r}")
    if envelope not in ENVELOPES:
        raise ValueError(f"zap envelope must be 'delimiter' or 'none', not {envelope!r}")


# --------------------------------------------------------------------- the text checks

def is_string(octets_):
    """RFC 27's string: at most 255 characters, ASCII only (0x00..0x7F)."""
    return len(octets_) <= STRING_MAX and all(octet < 0x80 for octet in octets_)


DIGITS = frozenset(b"0123456789")
HEXDIGITS = frozenset(b"0123456789abcdefABCDEF")


def parse_ipv4(text):
    """An IPv4 dotted quad, strictly: four decimal numbers 0..255, no leading zero, no
    sign, no space (bytes) -> its 4 octets, or None."""
    parts = text.split(b".")
    if len(parts) != 4:
        return None
    out = bytearray()
    for part in parts:
        if not 1 <= len(part) <= 3 or not set(part) <= DIGITS:
            return None
        if len(part) > 1 and part[0:1] == b"0":
            return None  # a leading zero: not canonical, and octal to some parsers
        value = int(part)
        if value > 255:
            return None
        out.append(value)
    return bytes(out)


def parse_ipv6(text):
    """Any RFC 4291 text form of an IPv6 address (bytes: hex groups of 1..4 digits, any
    case, at most one "::", an IPv4 dotted quad in the last 32 bits) -> its 16 octets, or
    None. Leniency here is harmless: `is_address` compares with the canonical form."""
    if not text or not set(text) <= HEXDIGITS | {ord(":"), ord(".")}:
        return None
    tail4 = b""
    if b"." in text:
        # the last 32 bits as a dotted quad: "a:b:c:d:e:f:1.2.3.4", "::ffff:1.2.3.4"
        head, colon, last = text.rpartition(b":")
        tail4 = parse_ipv4(last) if colon else None
        if tail4 is None:
            return None
        text = head + b":" if head.endswith(b":") else head  # "::1.2.3.4" keeps its "::"
    halves = text.split(b"::")
    if len(halves) > 2:
        return None

    def groups(part):
        if part == b"":
            return []
        out = []
        for group in part.split(b":"):
            if not 1 <= len(group) <= 4:
                return None
            out.append(int(group, 16))
        return out

    wanted = 6 if tail4 else 8
    if len(halves) == 2:
        left, right = groups(halves[0]), groups(halves[1])
        if left is None or right is None or len(left) + len(right) > wanted - 1:
            return None  # "::" stands for one zero group or more
        values = left + [0] * (wanted - len(left) - len(right)) + right
    else:
        values = groups(halves[0])
        if values is None or len(values) != wanted:
            return None
    return b"".join(v.to_bytes(2, "big") for v in values) + tail4


MAPPED_PREFIX = bytes(10) + b"\xff\xff"  # ::ffff:0:0/96, the IPv4-mapped addresses


def canonical_ipv6(address):
    """The RFC 5952 text of 16 octets: lower-case hex, leading zeros dropped (4.1), the
    longest run of two or more zero groups as "::", the first on a tie, never "::" for one
    group (4.2), and an IPv4-mapped address as "::ffff:a.b.c.d" (section 5). Written here,
    not taken from ipaddress: Python 3.11 prints ::ffff:c000:201 for a mapped address."""
    address = bytes(address)
    if len(address) != 16:
        raise ValueError("an IPv6 address is 16 octets")
    if address.startswith(MAPPED_PREFIX):
        return "::ffff:" + ".".join(str(octet) for octet in address[12:])
    groups = [int.from_bytes(address[i:i + 2], "big") for i in range(0, 16, 2)]
    best_at, best_len, at = -1, 1, 0
    while at < 8:
        if groups[at] == 0:
            end = at
            while end < 8 and groups[end] == 0:
                end += 1
            if end - at > best_len:  # strictly longer: the first run wins a tie
                best_at, best_len = at, end - at
            at = end
        else:
            at += 1
    text = [format(group, "x") for group in groups]
    if best_at < 0:
        return ":".join(text)
    return ":".join(text[:best_at]) + "::" + ":".join(text[best_at + best_len:])


def is_address(octets_):
    """RFC 27's address: an IPv4 dotted string or an IPv6 canonical string (FORMAT.md)."""
    octets_ = bytes(octets_)
    if not octets_ or not is_string(octets_):
        return False
    if parse_ipv4(octets_) is not None:
        return True
    parsed = parse_ipv6(octets_)
    return parsed is not None and canonical_ipv6(parsed).encode("ascii") == octets_


def is_metadata(octets_):
    """A ZMTP 3.0 property list (RFC 23, by metadata.MetadataDecoder), its end the frame's."""
    decoder = MetadataDecoder(len(octets_), "zmtp30")
    decoder.push(octets_)
    return decoder.report()["state"] == "complete"


# ---------------------------------------------------------------------------- decoding

class Cursor:
    """The frames of one message and the index of the next one to read."""

    def __init__(self, frames, clause):
        self.frames = frames
        self.at = 0
        self.clause = clause  # what a missing frame cites: the layout

    def take(self):
        """The next frame, which the layout needs: its absence is `zap-missing-frame`."""
        if self.at >= len(self.frames):
            raise ZapError(ZAP_MISSING_FRAME, len(self.frames), self.clause)
        self.at += 1
        return self.frames[self.at - 1]

    def rest(self):
        frames, self.at = self.frames[self.at:], len(self.frames)
        return frames

    def fail(self, cls, clause):
        """The frame just taken is bad."""
        raise ZapError(cls, self.at - 1, clause)


def parse(frames, direction=REQUEST, envelope=DELIMITER):
    """One message's frames (bytes-like each) -> Request or Reply; raises ZapError."""
    check_params(direction, envelope)
    clauses = CLAUSES[direction]
    cur = Cursor([bytes(frame) for frame in frames], clauses["frames"])
    if envelope == DELIMITER and cur.take() != b"":
        cur.fail(ZAP_INVALID_DELIMITER, clauses["delimiter"])
    if cur.take() != VERSION:
        cur.fail(ZAP_BAD_VERSION, clauses["version"])
    request_id = cur.take()  # opaque, echoed by the reply
    if direction == REQUEST:
        return read_request(cur, request_id)
    return read_reply(cur, request_id)


def read_request(cur, request_id):
    domain = cur.take()
    if not domain:
        cur.fail(ZAP_INVALID_DOMAIN, "zap.request.domain")
    if not is_string(domain):
        cur.fail(ZAP_INVALID_DOMAIN, ASCII)
    address = cur.take()
    if not is_address(address):
        cur.fail(ZAP_INVALID_ADDRESS, "zap.request.address")
    identity = cur.take()
    if len(identity) > IDENTITY_MAX:
        cur.fail(ZAP_INVALID_IDENTITY, "zap.request.identity")
    mechanism = cur.take()
    if not mechanism:
        cur.fail(ZAP_INVALID_MECHANISM, "zap.request.mechanism")
    if not is_string(mechanism):
        cur.fail(ZAP_INVALID_MECHANISM, ASCII)
    first = cur.at
    credentials = cur.rest()
    check_credentials(mechanism, credentials, first)
    return Request(request_id, domain, address, identity, mechanism, credentials)


def check_credentials(mechanism, credentials, first):
    """The credentials frames (the first at frame index `first`) against the mechanism."""
    if mechanism not in CREDENTIALS:
        return  # a mechanism RFC 27 does not define: any frames
    count, size, clause = CREDENTIALS[mechanism]
    for i, frame in enumerate(credentials):
        if i >= count:
            raise ZapError(ZAP_INVALID_CREDENTIALS, first + i, clause)  # an extra frame
        if size is not None and len(frame) != size:
            raise ZapError(ZAP_INVALID_CREDENTIALS, first + i, clause)  # e.g. a short key
    if len(credentials) < count:
        raise ZapError(ZAP_INVALID_CREDENTIALS, first + len(credentials), clause)


def read_reply(cur, request_id):
    status_code = cur.take()
    if status_code not in STATUS_CODES:
        cur.fail(ZAP_INVALID_STATUS_CODE, "zap.reply.status-code")
    status_text = cur.take()  # MAY be empty
    if not is_string(status_text):
        cur.fail(ZAP_INVALID_TEXT, ASCII)
    user_id = cur.take()
    if not is_string(user_id):
        cur.fail(ZAP_INVALID_USER_ID, ASCII)
    if user_id and status_code != STATUS_OK:
        cur.fail(ZAP_INVALID_USER_ID, "zap.reply.user-id-empty")
    metadata = cur.take()  # MAY be empty, but the frame is there
    if not is_metadata(metadata):
        cur.fail(ZAP_INVALID_METADATA, "zap.reply.metadata")
    if cur.at < len(cur.frames):
        raise ZapError(ZAP_EXTRA_FRAME, cur.at, cur.clause)
    return Reply(request_id, status_code, status_text, user_id, metadata)


def decode(frames, direction=REQUEST, envelope=DELIMITER):
    """FORMAT.md's report {"state", "error", "message"} for one message's frames."""
    try:
        message = parse(frames, direction, envelope)
    except ZapError as err:
        return {"state": "error", "error": err.as_report(), "message": None}
    return {"state": "complete", "error": None, "message": message.to_report()}


def run_zap(params, frames):
    """The `zap` decoder type: the group's params, then decode()."""
    params = params or {}
    return decode(frames, params.get("direction", REQUEST), params.get("envelope", DELIMITER))


# ---------------------------------------------------------------------------- encoding

def encode(message, direction=REQUEST, envelope=DELIMITER, check=True):
    """A Request, a Reply, or a report's message object M (hex) -> its frames (list of
    bytes). With check (the default) the frames must decode: what the decoder refuses
    raises EncodeError (a ValueError) with its class and clause."""
    check_params(direction, envelope)
    if isinstance(message, dict):
        message = MESSAGE_TYPES[direction].from_report(message)
    if not isinstance(message, (Request, Reply)):
        raise ValueError(f"a zap message is a Request, a Reply or a dict, "
                         f"not {type(message).__name__}")
    if message.direction != direction:
        raise ValueError(f"a {message.direction} under direction {direction!r}")
    if isinstance(message, Request) and isinstance(message.credentials,
                                                   (bytes, bytearray, memoryview, str)):
        raise ValueError("credentials is a list of frames, e.g. [b'admin', b'secret']")
    fields = [octets(value) for value in message.fields()]
    frames = ([b""] if envelope == DELIMITER else []) + [VERSION] + fields
    if check:
        try:
            parse(frames, direction, envelope)
        except ZapError as err:
            raise EncodeError(err.cls, err.clause,
                              f"frame {err.offset} of the {direction} would not decode") \
                from None
    return frames


def encode_report_message(params, m):
    """The frames of a report's message object, under the group's params."""
    params = params or {}
    return encode(m, params.get("direction", REQUEST), params.get("envelope", DELIMITER))


def octets(value):
    if not isinstance(value, (bytes, bytearray, memoryview)):
        raise ValueError(f"a zap field must be bytes, not {type(value).__name__}")
    return bytes(value)


def as_string(value):
    """A string field given as str (ASCII) or bytes, as octets."""
    return value.encode("ascii") if isinstance(value, str) else value


# ------------------------------------------------------------- one helper per message

def request(request_id, domain, address, identity, mechanism, credentials=(),
            envelope=DELIMITER):
    """A server's request frames; the string fields (domain, address, mechanism) may be
    str. RFC 27 "Message Format"."""
    return encode(Request(octets(request_id), as_string(domain), as_string(address),
                          octets(identity), as_string(mechanism), list(credentials)),
                  REQUEST, envelope)


def reply(request_id, status_code, status_text=b"", user_id=b"", metadata=b"",
          envelope=DELIMITER):
    """A handler's reply frames; the string fields (status code, status text, user id) may
    be str. The request id is the request's, unmodified (RFC 27)."""
    return encode(Reply(octets(request_id), as_string(status_code), as_string(status_text),
                        as_string(user_id), octets(metadata)), REPLY, envelope)
