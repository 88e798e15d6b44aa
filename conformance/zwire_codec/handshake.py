"""What the mechanism handshakes of PLAIN (24/ZMTP-PLAIN, plain_handshake.py) and CURVE
(26/CURVEZMQ on 25/ZMTP-CURVE, curvezmq.py) share: the error a command that does not open
raises, and the reading of one command body through the codec's layouts.

A HandshakeError is the refusal of one command by a handshake state object: an error class
of vectors/FORMAT.md (`malformed-command`, `invalid-metadata`, or a session class:
`unexpected-command`, `invalid-sequence`, `cryptographic`), the clause (spec/curve.md,
spec/plain.md, spec/zmtp31.md) its check enforces, a `kind` naming what failed (the
constants below; the suite keys on it and on the clause, never on the reason), a reason in
words, and the body offset of the offending octet when the codec found it.

Metadata is passed around as a list of (name, value) pairs: name a str, value bytes, in
the order sent; `zmtp_metadata` builds the ZMTP properties a socket announces.
"""

from .command import CommandDecoder
from .errors import ALL_CLASSES, INVALID_METADATA, MALFORMED_COMMAND
from .metadata import MetadataDecoder, encode_property

UNEXPECTED_COMMAND = "unexpected-command"
INVALID_SEQUENCE = "invalid-sequence"
CRYPTOGRAPHIC = "cryptographic"

# What failed (HandshakeError.kind).
MALFORMED = "malformed"                 # the command's layout (the codec's verdict)
METADATA = "metadata"                   # the property list inside INITIATE / READY
ORDER = "order"                         # a command the handshake does not expect now
WRONG_SERVER_KEY = "wrong-server-key"   # HELLO's signature box / WELCOME's box do not open
BOX = "box"                             # INITIATE's, READY's or MESSAGE's box does not open
COOKIE = "cookie"                       # the cookie does not open, or holds another C'
VOUCH = "vouch"                         # the vouch does not open, or vouches for other keys
CONTENT = "content"                     # a box opened but holds what it must not
NONCE = "nonce"                         # a short nonce not above the last one received
FLAGS = "flags"                         # MESSAGE flags with a reserved bit set


class HandshakeError(Exception):
    """A command refused: error class, clause, kind, reason (and body offset)."""

    def __init__(self, cls, clause, kind, reason, offset=None):
        if cls not in ALL_CLASSES:
            raise ValueError(f"unknown error class {cls!r}")
        super().__init__(f"{clause}: {reason}")
        self.cls, self.clause, self.kind = cls, clause, kind
        self.reason, self.offset = reason, offset

    @property
    def wrong_server_key(self):
        """True for a box that does not open with the server key expected: a WELCOME
        opened by a client, or a HELLO signature opened by a server."""
        return self.kind == WRONG_SERVER_KEY

    def __repr__(self):
        return (f"HandshakeError({self.cls!r}, {self.clause!r}, {self.kind!r}, "
                f"{self.reason!r}, offset={self.offset})")


def command_name(body):
    """The name of a command body (bytes), or None when it has no well-formed name."""
    body = bytes(body)
    if not body or len(body) < 1 + body[0]:
        return None
    try:
        return body[1:1 + body[0]].decode("ascii")
    except UnicodeDecodeError:
        return None


def read_command(body, mechanism, expected, order_clause):
    """A whole command body read by the codec's layouts (command.py) for `mechanism`:
    its command object. Raises HandshakeError: `malformed-command` with the codec's
    clause and offset, `invalid-metadata` likewise; `unexpected-command` (order_clause)
    when its name is not one of `expected`, before its layout is looked at."""
    body = bytes(body)
    name = command_name(body)
    if name is not None and name not in expected:
        raise HandshakeError(UNEXPECTED_COMMAND, order_clause, ORDER,
                             f"{name} where the handshake expects {' or '.join(expected)}")
    decoder = CommandDecoder(len(body), mechanism)
    decoder.push(body)
    error = decoder.error
    if error is not None:
        kind = METADATA if error.cls == INVALID_METADATA else MALFORMED
        raise HandshakeError(error.cls, error.clause, kind,
                             f"{name or 'a command'} does not decode: {error.cls} at body "
                             f"offset {error.offset}", error.offset)
    if decoder.command is None:  # cut short: the codec waits for more (an empty body)
        raise HandshakeError(MALFORMED_COMMAND, "zmtp31.command.name", MALFORMED,
                             "an empty command body", 0)
    return decoder.command


def read_metadata(raw, clause_of):
    """A property list (bytes) to [(name, value)]; a malformed one raises HandshakeError
    `invalid-metadata` with the clause clause_of(codec clause) and the offset in `raw`."""
    decoder = MetadataDecoder(len(raw))
    decoder.push(raw)
    if decoder.error is not None:
        error = decoder.error
        raise HandshakeError(INVALID_METADATA, clause_of(error.clause), METADATA,
                             f"malformed metadata at offset {error.offset} of the property "
                             f"list", error.offset)
    return [(p["name"], bytes.fromhex(p["value"])) for p in decoder.report()["properties"]]


def write_metadata(props):
    """[(name, value)] to the property list octets; octets (bytes) are sent as they are,
    so that a case can send a malformed list."""
    if isinstance(props, (bytes, bytearray)):
        return bytes(props)
    return b"".join(encode_property(name, bytes(value)) for name, value in props)


def zmtp_metadata(socket_type, identity=None, extra=()):
    """The properties a ZMTP 3.x socket announces: Socket-Type, Identity if given."""
    props = [("Socket-Type", socket_type.encode("ascii"))]
    if identity is not None:
        props.append(("Identity", bytes(identity)))
    return props + list(extra)


def property_of(props, name):
    """A property's value by name, ignoring case (zmtp31.metadata.case-insensitive,
    curve.metadata.case-insensitive); None if absent."""
    for key, value in props or ():
        if key.lower() == name.lower():
            return value
    return None
