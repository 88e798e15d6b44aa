"""ZMTP 3.x metadata: the property list carried by READY (NULL, PLAIN) and INITIATE (PLAIN).

Implements 23/ZMTP and 37/ZMTP "metadata" (digest §4.6, §4.15, §5.9):
  property = name-len(1) name(1..255 of A-Z a-z 0-9 - _ . +) value-len(4, BE) value
  - zmtp3x.metadata.name        name length 1..255, name characters from the set above;
  - zmtp3x.metadata.value-size  4-octet big-endian value size, 0..2^31-1.
The list's end is the end of its unit (the command body, or the whole input of the
`metadata` decoder), so its length is known up front.

Error offsets (FORMAT.md, `invalid-metadata`):
  - name length 0: at the name-length octet;
  - a name octet outside the set: at that octet;
  - value size >= 2^31: at the last of its 4 size octets (the value is only known then);
  - a property cut by the end of the unit: at the end (the unit's length). The clause is
    that of the field being cut: a cut name length or name cites metadata.name, a cut
    value size or value cites metadata.value-size.

Decisions: names are reported with their case kept (zmtp3x.metadata.case-insensitive is
a session matter); duplicate names are reported as they come; `family` ("zmtp30" or
"zmtp31") picks the clause IDs, "zmtp31" unless the caller knows the peer speaks 3.0.
The `metadata` report lists the properties completed before an error (or before the end
of an incomplete input), mirroring how the `frames` report lists completed frames;
FORMAT.md does not say. Inside PLAIN INITIATE / READY the same zmtp3x.metadata.* clauses
are cited (not plain.*.metadata), since they name the rule that failed.
"""

from .bounded import Bounded, octet, take
from .errors import INVALID_METADATA, DecodeError, EncodeError
from .pump import Pump, PumpDecoder

NAME_CHARS = frozenset(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.+")
VALUE_LIMIT = 1 << 31


def parse_properties(cur, family="zmtp31", props=None):
    """Sub-generator: properties until the unit's end; returns [{"name", "value"}...].

    Each property is appended to `props` (a new list if None) as soon as it is whole,
    so a caller holding the list sees the properties completed so far.
    """
    props = [] if props is None else props
    while cur.left():
        props.append((yield from parse_property(cur, family)))
    return props


def parse_property(cur, family):
    """Sub-generator: one property."""
    name = yield from parse_name(cur, f"{family}.metadata.name")
    size_clause = f"{family}.metadata.value-size"
    size = int.from_bytes((yield from take(cur, 4, INVALID_METADATA, size_clause)), "big")
    if size >= VALUE_LIMIT:
        # zmtp3x.metadata.value-size: values are 0..2^31-1 octets.
        raise DecodeError(INVALID_METADATA, cur.pos - 1, size_clause)
    value = yield from take(cur, size, INVALID_METADATA, size_clause)
    return {"name": name, "value": value.hex()}


def parse_name(cur, clause):
    """Sub-generator: name-len + name, each octet checked as it arrives."""
    at = cur.pos
    length = yield from octet(cur, INVALID_METADATA, clause)
    if length == 0:
        raise DecodeError(INVALID_METADATA, at, clause)  # zmtp3x.metadata.name: 1..255
    name = bytearray()
    for _ in range(length):
        at = cur.pos
        char = yield from octet(cur, INVALID_METADATA, clause)
        if char not in NAME_CHARS:
            raise DecodeError(INVALID_METADATA, at, clause)  # zmtp3x.metadata.name
        name.append(char)
    return name.decode("ascii")


class MetadataDecoder(PumpDecoder):
    """Push decoder for a property list of known total length."""

    def __init__(self, total, family="zmtp31"):
        self._props = []
        self._pump = Pump(parse_properties(Bounded(total), family, self._props))


    def report(self):
        """{"state", "error", "properties"} in FORMAT.md's normal form.

        `properties` lists the properties completed so far (all of them when complete;
        those before the error or before the cut property otherwise), like `frames`.
        """
        pump = self._pump
        props = [dict(p) for p in self._props]
        if pump.error:
            return {"state": "error", "error": pump.error.as_report(), "properties": props}
        state = "complete" if pump.done else "incomplete"
        return {"state": state, "error": None, "properties": props}


def encode_property(name, value):
    """One property: name (str or bytes) and value (bytes)."""
    raw = name.encode("ascii") if isinstance(name, str) else bytes(name)
    if not 1 <= len(raw) <= 255 or not set(raw) <= NAME_CHARS:
        raise EncodeError(INVALID_METADATA, "zmtp31.metadata.name", f"bad name {name!r}")
    if len(value) >= VALUE_LIMIT:
        raise EncodeError(INVALID_METADATA, "zmtp31.metadata.value-size", "value too long")
    return bytes([len(raw)]) + raw + len(value).to_bytes(4, "big") + bytes(value)


def encode_properties(props):
    """A property list from report objects [{"name": str, "value": HEX}...]."""
    return b"".join(encode_property(p["name"], bytes.fromhex(p["value"])) for p in props)
