"""The ZMTP greeting, as a peer receives it from the start of a connection, with the
staged version detection of 23/ZMTP and 37/ZMTP (digest §2.1-2.2, §3.1, §4.2, §4.9).

Detection (zmtp3x.greeting.detect-legacy), decided at:
  - octet 0: not 0xFF -> a 1.0 peer; octet 0 is the short length of its identity frame;
  - octet 9: bit 0 clear -> a 1.0 peer; octets 1-8 were a long length, octet 9 its flags;
             bit 0 set -> 2.0 or later, whatever the other bits: a sender writes 0x7F
             (zmtp3x.greeting.signature), a receiver reads bit 0 only, as the detection
             says (spec/leniency.md, SignatureEnd);
  - octet 10: 0 -> `unsupported-version` at 10 (nothing detected); 1 or 2 -> 2.0
             (revision); 3 or more -> "3".
A decoder with maxVersion "2.0" reads as a 2.0 peer does: revision 1 or more -> 2.0.
`detected` is reported as soon as the decision is made, even if it then leads to
`unsupported-version` (minVersion "2.0" or "3.0"; "3.1" is also accepted and rejects a
3.x minor 0 at octet 11), which cites zmtp3x.version.downgrade-or-close.

Layouts after detection:
  - 1.0 (13/ZMTP): identity frame L flags body (short) or FF len8 flags body (long); L
    counts the flags octet: L = 0 is `malformed-greeting` (zmtp10.frame.length-nonzero),
    an identity over 255 octets `limit-exceeded` (zmtp10.greeting.identity), both found
    at the octet that revealed the length (0 for short, 9 for long: octets 1-8 are only
    read as a length once octet 9 says 1.0). Flags are not validated
    (zmtp10.greeting.identity-flags); an identity starting 0x00 is accepted.
  - 2.0 (15/ZMTP): socket type at 11 (0..8, and 9/10 for libzmq's XPUB/XSUB; others:
    `malformed-greeting`, zmtp20.greeting.socket-type), identity flags at 12 must be 0x00
    (zmtp20.greeting.identity), length at 13, identity.
  - 3.x: minor at 11 (any); mechanism at 12..31, 1..20 of A-Z 0-9 - _ . + then only NULs
    (zmtp3x.greeting.mechanism-name; `invalid-mechanism` at the first offending octet,
    at 12 when the name is empty); with a configured mechanism, a different valid name is
    `mechanism-mismatch` at 31 (zmtp3x.greeting.mechanism-match); as-server at 32 must be
    0/1 (zmtp3x.greeting.as-server) and 0 with NULL (zmtp3x.null.as-server-zero); the
    31 filler octets are not validated (FORMAT.md: `acceptable`).
Signature padding (octets 1-8) is never looked at for 2.0/3.x (zmtp3x.greeting.padding-
ignored), so encoders write zeros and non-zero padding is a NonCanonical input.

Decisions: the clause family of 3.x checks is zmtp30 once the peer's minor is known to be
0 and zmtp31 otherwise (also for checks before octet 11: signature, major 0, legacy
peers refused by minVersion). Major 0 cites zmtp31.greeting.version-major. A configured
`mechanism` only yields `mechanism-mismatch` against a 3.x peer: a 1.0 / 2.0 peer is
refused by minVersion alone (FORMAT.md gives the mechanism param no other effect; the
session layer enforces "non-NULL mechanism and a legacy peer: close"). Octets after the
greeting are not consumed (`push` returns the count used) and do not change the report.
The greeting object is null until the greeting is complete, and also on error.
"""

from .errors import (INVALID_MECHANISM, LIMIT_EXCEEDED, MALFORMED_GREETING,
                     MECHANISM_MISMATCH, UNSUPPORTED_VERSION, DecodeError, EncodeError)
from .pump import Pump, PumpDecoder

MECHANISM_CHARS = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.+")
MIN_VERSIONS = {"1.0": (1, 0), "2.0": (2, 0), "3.0": (3, 0), "3.1": (3, 1)}
SOCKET_TYPE_MAX = 10  # 0..8 of 15/ZMTP, 9 and 10 as libzmq's XPUB / XSUB
IDENTITY_MAX = 255
MECHANISM_AT, AS_SERVER_AT = 12, 32


class GreetingDecoder(PumpDecoder):
    """Push decoder for a peer's greeting; params as in FORMAT.md."""

    def __init__(self, min_version="1.0", mechanism=None, max_version=None):
        if min_version not in MIN_VERSIONS:
            raise ValueError(f"unsupported minVersion {min_version!r}")
        if max_version not in (None, "2.0"):
            raise ValueError(f"unsupported maxVersion {max_version!r}")
        self._min = MIN_VERSIONS[min_version]
        # A 2.0 peer reads any revision from 1 up as 2.0: a later peer steps down to it
        # (zmtp31.version.downgrade), so what follows is socket type and identity.
        self._only_v2 = max_version == "2.0"
        self._mechanism = mechanism
        self.detected = None
        self._pump = Pump(self._parse())


    def report(self):
        """{"state", "error", "detected", "greeting"} in FORMAT.md's normal form."""
        pump = self._pump
        report = {"state": "incomplete", "error": None,
                  "detected": dict(self.detected) if self.detected else None,
                  "greeting": None}
        if pump.error:
            report.update(state="error", error=pump.error.as_report())
        elif pump.done:
            report.update(state="complete", greeting=pump.result)
        return report

    def _parse(self):
        first = (yield 1)[0]
        if first != 0xFF:
            self._detect("1.0", 0, (1, 0))
            return (yield from self._v1_identity(first, 0))
        length = int.from_bytes((yield 8), "big")  # padding: never looked at unless 1.0
        sig_end = (yield 1)[0]
        if not sig_end & 1:
            self._detect("1.0", 9, (1, 0))
            return (yield from self._v1_identity(length, 9))
        major = (yield 1)[0]
        if major == 0:
            raise DecodeError(UNSUPPORTED_VERSION, 10, "zmtp31.greeting.version-major")
        if major < 3 or self._only_v2:
            self._detect("2.0", 10, (2, 0))
            return (yield from self._v2(major))
        self._detect("3", 10, (major, 0xFF))
        return (yield from self._v3(major))

    def _detect(self, version, offset, peer):
        """Record the detection decision; refuse a peer below minVersion."""
        self.detected = {"version": version, "offset": offset}
        if peer < self._min:
            # zmtp31.version.downgrade-or-close: cannot go down that far, so close.
            raise DecodeError(UNSUPPORTED_VERSION, offset, "zmtp31.version.downgrade-or-close")

    def _v1_identity(self, length, at):
        """After the length (which counts the flags octet): flags, identity."""
        if length == 0:
            raise DecodeError(MALFORMED_GREETING, at, "zmtp10.frame.length-nonzero")
        if length - 1 > IDENTITY_MAX:
            raise DecodeError(LIMIT_EXCEEDED, at, "zmtp10.greeting.identity")
        if at == 0:
            yield 1  # zmtp10.greeting.identity-flags: not validated
        identity = yield length - 1
        return {"version": "1.0", "identity": identity.hex()}

    def _v2(self, revision):
        socket_type = (yield 1)[0]
        if socket_type > SOCKET_TYPE_MAX:
            raise DecodeError(MALFORMED_GREETING, 11, "zmtp20.greeting.socket-type")
        if (yield 1)[0] != 0x00:
            raise DecodeError(MALFORMED_GREETING, 12, "zmtp20.greeting.identity")
        identity = yield (yield 1)[0]
        return {"version": "2.0", "revision": revision, "socketType": socket_type,
                "identity": identity.hex()}

    def _v3(self, major):
        minor = (yield 1)[0]
        family = "zmtp30" if minor == 0 else "zmtp31"
        if (major, minor) < self._min:
            raise DecodeError(UNSUPPORTED_VERSION, 11, f"{family}.version.downgrade-or-close")
        mechanism = yield from self._mechanism_name(family)
        if self._mechanism is not None and mechanism != self._mechanism:
            raise DecodeError(MECHANISM_MISMATCH, AS_SERVER_AT - 1,
                              f"{family}.greeting.mechanism-match")
        as_server = (yield 1)[0]
        if as_server > 1:
            raise DecodeError(MALFORMED_GREETING, AS_SERVER_AT, f"{family}.greeting.as-server")
        if as_server and mechanism == "NULL":
            raise DecodeError(MALFORMED_GREETING, AS_SERVER_AT, f"{family}.null.as-server-zero")
        yield 31  # filler: not validated (FORMAT.md decision)
        return {"version": "3", "major": major, "minor": minor,
                "mechanism": mechanism, "asServer": as_server}

    def _mechanism_name(self, family):
        """The 20-octet mechanism field, checked octet by octet."""
        clause = f"{family}.greeting.mechanism-name"
        name = bytearray()
        padding = False
        for at in range(MECHANISM_AT, MECHANISM_AT + 20):
            char = (yield 1)[0]
            if char == 0 and at == MECHANISM_AT:
                raise DecodeError(INVALID_MECHANISM, at, clause)  # at least one char
            if char == 0 or padding:
                padding = True
                if char != 0:
                    raise DecodeError(INVALID_MECHANISM, at, clause)  # only NULs after
            elif char in MECHANISM_CHARS:
                name.append(char)
            else:
                raise DecodeError(INVALID_MECHANISM, at, clause)
        return name.decode("ascii")


def encode_greeting_v3(major=3, minor=1, mechanism="NULL", as_server=0):
    """The 64-octet 3.x greeting, zero padding and filler."""
    raw = mechanism.encode("ascii")
    if not 1 <= len(raw) <= 20 or not set(raw) <= MECHANISM_CHARS:
        raise EncodeError(INVALID_MECHANISM, "zmtp31.greeting.mechanism-name",
                          f"bad mechanism {mechanism!r}")
    if as_server not in (0, 1) or not 3 <= major <= 255 or not 0 <= minor <= 255:
        raise EncodeError(MALFORMED_GREETING, "zmtp31.greeting.as-server", "bad field")
    return (b"\xff" + bytes(8) + b"\x7f" + bytes([major, minor]) + raw.ljust(20, b"\0")
            + bytes([as_server]) + bytes(31))


def encode_greeting_v2(revision=1, socket_type=0, identity=b""):
    """The 2.0 greeting: signature (zero padding), revision, socket type, identity frame."""
    if revision not in (1, 2) or not 0 <= socket_type <= SOCKET_TYPE_MAX:
        raise EncodeError(MALFORMED_GREETING, "zmtp20.greeting.socket-type", "bad field")
    if len(identity) > IDENTITY_MAX:
        raise EncodeError(MALFORMED_GREETING, "zmtp20.greeting.identity", "identity too long")
    return (b"\xff" + bytes(8) + b"\x7f" + bytes([revision, socket_type, 0, len(identity)])
            + bytes(identity))


def encode_greeting_v1(identity=b""):
    """The 1.0 greeting: one identity frame, flags 0, short length when it fits (<= 254)."""
    if len(identity) > IDENTITY_MAX:
        raise EncodeError(LIMIT_EXCEEDED, "zmtp10.greeting.identity", "identity too long")
    length = len(identity) + 1
    head = bytes([length]) if length <= 254 else b"\xff" + length.to_bytes(8, "big")
    return head + b"\x00" + bytes(identity)
