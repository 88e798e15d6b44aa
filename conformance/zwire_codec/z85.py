"""32/Z85: the ZeroMQ base-85 text encoding of binary data (digest §10.2).

Implements:
  - z85.alphabet       only the 85 characters of the table are used;
  - z85.decode         5 characters -> one big-endian uint32, most significant first;
  - z85.encode         4 octets -> 5 characters, most significant first;
  - z85.string-length  the text length is a multiple of 5 (decode);
  - z85.binary-length  the binary length is a multiple of 4 (encode);
  - z85.test-vector    86 4F D2 6F B5 59 F7 5B <-> "HelloWorld" (tested).

The decoder knows the text length up front (FORMAT.md step 3). Error offsets:
  - a character outside the alphabet: at that character;
  - a group whose value exceeds 0xFFFFFFFF: at the group's fifth (last) character,
    where the value becomes known (decision: even when an earlier character already
    makes overflow certain, e.g. a leading '%' followed by large digits);
  - a length not a multiple of 5: at the end (the text length), after the characters of
    the final partial group have been checked against the alphabet (they arrive first).
"""

from .bounded import Bounded, octet
from .errors import INVALID_Z85, DecodeError, EncodeError
from .pump import Pump, PumpDecoder

ALPHABET = (b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
            b".-:+=^!/*?&<>()[]{}@%$#")
DIGIT = {char: index for index, char in enumerate(ALPHABET)}


def parse_text(cur, out):
    """Sub-generator: decode groups until the end; appends octets to `out`."""
    while cur.left() >= 5:
        out += yield from parse_group(cur)
    if cur.left():
        yield from parse_group(cur)  # checks the partial group's characters first
    return bytes(out)


def parse_group(cur):
    """Sub-generator: one 5-character group -> 4 octets."""
    value = 0
    for _ in range(5):
        at = cur.pos
        char = yield from octet(cur, INVALID_Z85, "z85.string-length")
        if char not in DIGIT:
            raise DecodeError(INVALID_Z85, at, "z85.alphabet")
        value = value * 85 + DIGIT[char]
    if value > 0xFFFFFFFF:
        raise DecodeError(INVALID_Z85, cur.pos - 1, "z85.decode")
    return value.to_bytes(4, "big")


class Z85Decoder(PumpDecoder):
    """Push decoder for Z85 text of known total length."""

    def __init__(self, total):
        self._out = bytearray()
        self._pump = Pump(parse_text(Bounded(total), self._out))


    def report(self):
        """{"state", "error", "decoded"}: decoded holds the whole groups so far."""
        pump = self._pump
        decoded = bytes(self._out).hex()
        if pump.error:
            return {"state": "error", "error": pump.error.as_report(), "decoded": decoded}
        state = "complete" if pump.done else "incomplete"
        return {"state": state, "error": None, "decoded": decoded}


def z85_decode(text):
    """Decode a whole Z85 text (bytes or str); raises DecodeError."""
    raw = text.encode("ascii") if isinstance(text, str) else bytes(text)
    decoder = Z85Decoder(len(raw))
    decoder.push(raw)
    if decoder.error:
        raise decoder.error
    return bytes.fromhex(decoder.report()["decoded"])


def z85_encode(data):
    """Encode octets (length a multiple of 4) as Z85 text bytes; raises EncodeError."""
    data = bytes(data)
    if len(data) % 4:
        raise EncodeError(INVALID_Z85, "z85.binary-length", f"length {len(data)}")
    out = bytearray()
    for start in range(0, len(data), 4):
        value = int.from_bytes(data[start:start + 4], "big")
        group = bytearray()
        for _ in range(5):
            value, digit = divmod(value, 85)
            group.append(ALPHABET[digit])
        out += group[::-1]
    return bytes(out)
