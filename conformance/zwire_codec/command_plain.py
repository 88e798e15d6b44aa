"""Command-body layouts of 24/ZMTP-PLAIN: HELLO, WELCOME, INITIATE, READY, ERROR
(digest §6.1, §6.2). Same pair convention as command_zmtp.py.

Clauses and error offsets (`malformed-command` unless said otherwise):
  - plain.hello.layout      username length, username, password length, password, filling
                            the body exactly: a length that runs past the body fails at the
                            end; octets after the password fail at the first of them.
                            Username and password octets are not checked for VCHAR
                            (plain.hello.vchar; FORMAT.md: any octets is `acceptable`);
  - plain.welcome.layout    no data: the first data octet (body offset 8) fails;
  - plain.initiate.metadata / plain.ready.metadata: metadata (errors are `invalid-metadata`
                            citing the zmtp3x.metadata.* clause of the failed field);
  - plain.error.layout      ERROR as in 23/ZMTP, citing this clause.
"""

from .bounded import expect_end, octet, take
from .command_zmtp import LAYOUTS as ZMTP_LAYOUTS
from .command_zmtp import decode_ready, encode_properties_cmd, error_layout
from .errors import MALFORMED_COMMAND, EncodeError

HELLO = "plain.hello.layout"


def decode_hello(cur, family):
    username = yield from parse_credential(cur)
    password = yield from parse_credential(cur)
    yield from expect_end(cur, MALFORMED_COMMAND, HELLO)
    return {"username": username.hex(), "password": password.hex()}


def parse_credential(cur):
    """Sub-generator: one length-prefixed credential."""
    length = yield from octet(cur, MALFORMED_COMMAND, HELLO)
    return (yield from take(cur, length, MALFORMED_COMMAND, HELLO))


def encode_hello(cmd):
    out = bytearray()
    for field in ("username", "password"):
        value = bytes.fromhex(cmd[field])
        if len(value) > 255:
            raise EncodeError(MALFORMED_COMMAND, HELLO, f"{field} over 255 octets")
        out += bytes([len(value)]) + value
    return bytes(out)


def decode_welcome(cur, family):
    yield from expect_end(cur, MALFORMED_COMMAND, "plain.welcome.layout")
    return {}


def encode_welcome(cmd):
    return b""


LAYOUTS = {
    **ZMTP_LAYOUTS,
    "HELLO": (decode_hello, encode_hello),
    "WELCOME": (decode_welcome, encode_welcome),
    "INITIATE": (decode_ready, encode_properties_cmd),
    "READY": (decode_ready, encode_properties_cmd),
    "ERROR": error_layout(lambda family: "plain.error.layout"),
}
