"""Command-body layouts of the ZMTP core: READY, ERROR (23/ZMTP NULL) and the 3.1 traffic
commands SUBSCRIBE, CANCEL, PING, PONG, JOIN, LEAVE (37/ZMTP, digest §4.5, §5.3, §5.9).

Each layout is a pair: a decoder sub-generator `decode_x(cur, family)` that reads the
command data after the name and returns the fields of the command object (FORMAT.md
`command` table), and an encoder `encode_x(cmd)` that writes the data back.

Clauses and error offsets (all `malformed-command` unless said otherwise):
  - zmtp3x.null.ready       READY data is metadata (its errors: `invalid-metadata`,
                            see metadata.py);
  - zmtp3x.null.error       reason length, then exactly that many octets: a length beyond
                            the body fails at the end, a body beyond the reason fails at its
                            first excess octet. Reason octets are not checked for VCHAR
                            (FORMAT.md: any octets is `acceptable`);
  - zmtp31.command.subscribe / cancel: the topic is the rest of the body (never fails);
  - zmtp31.command.ping     2-octet TTL (cut: at the end), then 0..16 context octets: the
                            17th context octet fails at its offset (body offset 23);
  - zmtp31.command.pong     0..16 context octets: the 17th fails (body offset 21);
  - zmtp31.command.join / leave: group of 0..255 octets, none 0x00: a 0x00 fails at that
                            octet, the 256th group octet fails at its offset.
`error_layout(clause)` builds the ERROR pair for the other mechanisms' clause IDs.
"""

from .bounded import capped, expect_end, octet, rest, take
from .errors import MALFORMED_COMMAND, DecodeError, EncodeError
from .metadata import encode_properties, parse_properties

CONTEXT_LIMIT = 16
GROUP_LIMIT = 255


def decode_ready(cur, family):
    props = yield from parse_properties(cur, family)
    return {"properties": props}


def encode_properties_cmd(cmd):
    return encode_properties(cmd["properties"])


def parse_reason(cur, clause):
    """Sub-generator: reason length, reason, end of body."""
    length = yield from octet(cur, MALFORMED_COMMAND, clause)
    reason = yield from take(cur, length, MALFORMED_COMMAND, clause)
    yield from expect_end(cur, MALFORMED_COMMAND, clause)
    return {"reason": reason.hex()}


def encode_reason(cmd, clause):
    reason = bytes.fromhex(cmd["reason"])
    if len(reason) > 255:
        raise EncodeError(MALFORMED_COMMAND, clause, "reason over 255 octets")
    return bytes([len(reason)]) + reason


def error_layout(clause_of):
    """The ERROR layout; clause_of(family) names the clause its checks enforce."""
    def decode(cur, family):
        return (yield from parse_reason(cur, clause_of(family)))

    def encode(cmd):
        return encode_reason(cmd, clause_of("zmtp31"))
    return decode, encode


def decode_topic(cur, family):
    topic = yield from rest(cur)  # zmtp31.command.subscribe / cancel: topic = rest
    return {"topic": topic.hex()}


def encode_topic(cmd):
    return bytes.fromhex(cmd["topic"])


def decode_ping(cur, family):
    clause = "zmtp31.command.ping"
    ttl = yield from take(cur, 2, MALFORMED_COMMAND, clause)
    context = yield from capped(cur, CONTEXT_LIMIT, MALFORMED_COMMAND, clause)
    return {"ttl": int.from_bytes(ttl, "big"), "context": context.hex()}


def encode_ping(cmd):
    ttl = cmd["ttl"]
    if not 0 <= ttl <= 0xFFFF:
        raise EncodeError(MALFORMED_COMMAND, "zmtp31.command.ping", f"ttl {ttl}")
    return ttl.to_bytes(2, "big") + checked_context(cmd, "zmtp31.command.ping")


def decode_pong(cur, family):
    clause = "zmtp31.command.pong"
    context = yield from capped(cur, CONTEXT_LIMIT, MALFORMED_COMMAND, clause)
    return {"context": context.hex()}


def encode_pong(cmd):
    return checked_context(cmd, "zmtp31.command.pong")


def checked_context(cmd, clause):
    context = bytes.fromhex(cmd["context"])
    if len(context) > CONTEXT_LIMIT:
        raise EncodeError(MALFORMED_COMMAND, clause, "context over 16 octets")
    return context


def group_layout(clause):
    """The JOIN / LEAVE layout, citing `clause`."""
    def decode(cur, family):
        group = bytearray()
        while cur.left():
            at = cur.pos
            char = yield from octet(cur, MALFORMED_COMMAND, clause)
            if len(group) == GROUP_LIMIT or char == 0:
                raise DecodeError(MALFORMED_COMMAND, at, clause)  # group = 0*255 %d1-255
            group.append(char)
        return {"group": group.hex()}

    def encode(cmd):
        group = bytes.fromhex(cmd["group"])
        if len(group) > GROUP_LIMIT or 0 in group:
            raise EncodeError(MALFORMED_COMMAND, clause, "group over 255 octets or with 0x00")
        return group
    return decode, encode


LAYOUTS = {
    "READY": (decode_ready, encode_properties_cmd),
    "ERROR": error_layout(lambda family: f"{family}.null.error"),
    "SUBSCRIBE": (decode_topic, encode_topic),
    "CANCEL": (decode_topic, encode_topic),
    "PING": (decode_ping, encode_ping),
    "PONG": (decode_pong, encode_pong),
    "JOIN": group_layout("zmtp31.command.join"),
    "LEAVE": group_layout("zmtp31.command.leave"),
}
