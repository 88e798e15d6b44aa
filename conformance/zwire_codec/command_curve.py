"""Command-body layouts of 26/CURVEZMQ as carried by 25/ZMTP-CURVE: HELLO, WELCOME,
INITIATE, READY, MESSAGE, ERROR (digest §8.2, §8.5). Same pair convention as
command_zmtp.py. Boxes are opaque here: no cryptography, only the byte layouts.

Clauses and error offsets (all `malformed-command`):
  - curve.hello.size        exactly 200 octets: shorter fails at the end, longer at body
                            offset 200 (the first excess octet);
  - curve.hello.version     octet 6 must be 1 and octet 7 must be 0: fails at that octet;
  - curve.hello.padding     the 72 padding octets are zero: the first non-zero one fails
                            there (the server validates all fields and rejects a malformed
                            HELLO, curve.server.reject-bad-hello);
  - curve.welcome.size      exactly 168: shorter at the end, longer at offset 168;
  - curve.initiate.size     at least 257 (box >= 144): shorter fails at the end;
  - curve.ready.size        at least 30 (box >= 16): shorter fails at the end;
  - curve.message.size      at least 33 (box >= 17): shorter fails at the end;
  - curve.error.size        ERROR (at least 7 octets) with the 23/ZMTP reason layout;
                            every ERROR check cites this clause under CURVE.
"""

from .bounded import expect_end, octet, rest, take
from .command_zmtp import error_layout
from .errors import MALFORMED_COMMAND, DecodeError, EncodeError

HELLO_PADDING = 72


def fixed(cur, n, clause):
    """Sub-generator: n octets of a fixed layout, hex; cut by the end: fail there."""
    return (yield from take(cur, n, MALFORMED_COMMAND, clause)).hex()


def decode_hello(cur, family):
    size = "curve.hello.size"
    for want in (1, 0):  # curve.hello.version: 1, 0
        at = cur.pos
        if (yield from octet(cur, MALFORMED_COMMAND, size)) != want:
            raise DecodeError(MALFORMED_COMMAND, at, "curve.hello.version")
    for _ in range(HELLO_PADDING):  # curve.hello.padding: all zero
        at = cur.pos
        if (yield from octet(cur, MALFORMED_COMMAND, size)) != 0:
            raise DecodeError(MALFORMED_COMMAND, at, "curve.hello.padding")
    cmd = {"versionMajor": 1, "versionMinor": 0,
           "clientKey": (yield from fixed(cur, 32, size)),
           "nonce": (yield from fixed(cur, 8, size)),
           "signatureBox": (yield from fixed(cur, 80, size))}
    yield from expect_end(cur, MALFORMED_COMMAND, size)
    return cmd


def encode_hello(cmd):
    if (cmd.get("versionMajor", 1), cmd.get("versionMinor", 0)) != (1, 0):
        raise EncodeError(MALFORMED_COMMAND, "curve.hello.version", "version is 1.0")
    return (bytes([1, 0]) + bytes(HELLO_PADDING)
            + sized(cmd, "clientKey", 32, "curve.hello.size")
            + sized(cmd, "nonce", 8, "curve.hello.size")
            + sized(cmd, "signatureBox", 80, "curve.hello.size"))


def decode_welcome(cur, family):
    size = "curve.welcome.size"
    cmd = {"nonce": (yield from fixed(cur, 16, size)),
           "box": (yield from fixed(cur, 144, size))}
    yield from expect_end(cur, MALFORMED_COMMAND, size)
    return cmd


def encode_welcome(cmd):
    size = "curve.welcome.size"
    return sized(cmd, "nonce", 16, size) + sized(cmd, "box", 144, size)


def decode_initiate(cur, family):
    size = "curve.initiate.size"
    cmd = {"cookie": (yield from fixed(cur, 96, size)),
           "nonce": (yield from fixed(cur, 8, size))}
    cmd["box"] = yield from min_box(cur, 144, size)
    return cmd


def encode_initiate(cmd):
    size = "curve.initiate.size"
    return (sized(cmd, "cookie", 96, size) + sized(cmd, "nonce", 8, size)
            + at_least(cmd, "box", 144, size))


def nonce_box_layout(box_min, size):
    """READY and MESSAGE: an 8-octet short nonce, then a box of at least box_min."""
    def decode(cur, family):
        cmd = {"nonce": (yield from fixed(cur, 8, size))}
        cmd["box"] = yield from min_box(cur, box_min, size)
        return cmd

    def encode(cmd):
        return sized(cmd, "nonce", 8, size) + at_least(cmd, "box", box_min, size)
    return decode, encode


def min_box(cur, minimum, clause):
    """Sub-generator: the rest of the body, at least `minimum` octets (else: at the end)."""
    box = yield from rest(cur)
    if len(box) < minimum:
        raise DecodeError(MALFORMED_COMMAND, cur.end, clause)
    return box.hex()


def sized(cmd, field, n, clause):
    value = bytes.fromhex(cmd[field])
    if len(value) != n:
        raise EncodeError(MALFORMED_COMMAND, clause, f"{field} is {n} octets")
    return value


def at_least(cmd, field, n, clause):
    value = bytes.fromhex(cmd[field])
    if len(value) < n:
        raise EncodeError(MALFORMED_COMMAND, clause, f"{field} is at least {n} octets")
    return value


LAYOUTS = {
    "HELLO": (decode_hello, encode_hello),
    "WELCOME": (decode_welcome, encode_welcome),
    "INITIATE": (decode_initiate, encode_initiate),
    "READY": nonce_box_layout(16, "curve.ready.size"),
    "MESSAGE": nonce_box_layout(17, "curve.message.size"),
    "ERROR": error_layout(lambda family: "curve.error.size"),
}
