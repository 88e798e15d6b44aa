"""One ZMTP 3.x command body: name, then data laid out per command and mechanism.

Implements zmtp3x.command.name (23/ZMTP §4.4, 37/ZMTP §5.9):
  command-body = name-length(1..255) name(ALPHA) command-data
and dispatches the data to the layout of FORMAT.md's `command` table:
  - NULL:  READY ERROR SUBSCRIBE CANCEL PING PONG JOIN LEAVE      (command_zmtp.py)
  - PLAIN: the same plus HELLO WELCOME INITIATE, PLAIN's ERROR   (command_plain.py)
  - CURVE: HELLO WELCOME INITIATE READY MESSAGE ERROR            (command_curve.py)
Any other name (e.g. HELLO under NULL, PING under CURVE) is unknown and reported as
{"name", "data"}. Names are compared byte-exactly (upper case).

The decoder is a push decoder for a body of known total length (the frame size): it
accepts the body in any chunking and reports each error at the exact octet (offsets
local to the body; the frame decoder shifts them). Name errors (`malformed-command`,
zmtp3x.command.name): name length 0 at the name-length octet; a non-ALPHA octet at that
octet; a name cut by the end of the body at the end.

Decisions: `family` ("zmtp31" by default, "zmtp30" for a 3.0 frame stream) picks the
zmtp3x clause IDs of name, metadata and NULL ERROR checks; the 3.1-only commands cite
zmtp31 clauses in both. The report's `command` is null until the body is complete and
valid. Encoders write an object with "data" as an unknown command, whatever its name.
"""

from . import command_curve, command_plain, command_zmtp
from .bounded import Bounded, octet, rest
from .errors import MALFORMED_COMMAND, DecodeError, EncodeError
from .pump import Pump, PumpDecoder

ALPHA = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
MECHANISM_LAYOUTS = {
    "NULL": command_zmtp.LAYOUTS,
    "PLAIN": command_plain.LAYOUTS,
    "CURVE": command_curve.LAYOUTS,
}


def layouts_for(mechanism):
    """The layout table of a mechanism (NULL, PLAIN or CURVE)."""
    try:
        return MECHANISM_LAYOUTS[mechanism]
    except KeyError:
        raise ValueError(f"unsupported mechanism {mechanism!r}") from None


def parse_command(cur, mechanism="NULL", family="zmtp31"):
    """Sub-generator: a whole command body; returns the command object."""
    name = yield from parse_name(cur, f"{family}.command.name")
    layout = layouts_for(mechanism).get(name)
    if layout is None:
        return {"name": name, "data": (yield from rest(cur)).hex()}
    fields = yield from layout[0](cur, family)
    return {"name": name, **fields}


def parse_name(cur, clause):
    """Sub-generator: name length (1..255) and ALPHA name octets."""
    at = cur.pos
    length = yield from octet(cur, MALFORMED_COMMAND, clause)
    if length == 0:
        raise DecodeError(MALFORMED_COMMAND, at, clause)  # zmtp3x.command.name: 1*255
    name = bytearray()
    for _ in range(length):
        at = cur.pos
        char = yield from octet(cur, MALFORMED_COMMAND, clause)
        if char not in ALPHA:
            raise DecodeError(MALFORMED_COMMAND, at, clause)  # command-name-char = ALPHA
        name.append(char)
    return name.decode("ascii")


class CommandDecoder(PumpDecoder):
    """Push decoder for one command body of known total length."""

    def __init__(self, total, mechanism="NULL", family="zmtp31"):
        layouts_for(mechanism)
        self._pump = Pump(parse_command(Bounded(total), mechanism, family))

    @property
    def command(self):
        """The command object once the body is complete and valid, else None."""
        return self._pump.result if self._pump.done else None

    def report(self):
        """{"state", "error", "command"} in FORMAT.md's normal form."""
        pump = self._pump
        if pump.error:
            return {"state": "error", "error": pump.error.as_report(), "command": None}
        state = "complete" if pump.done else "incomplete"
        return {"state": state, "error": None, "command": self.command}


def encode_command(cmd, mechanism="NULL"):
    """A command object (FORMAT.md table) back to body bytes: name, then data."""
    name = cmd["name"].encode("ascii")
    if not 1 <= len(name) <= 255 or not set(name) <= ALPHA:
        raise EncodeError(MALFORMED_COMMAND, "zmtp31.command.name", f"bad name {name!r}")
    layout = layouts_for(mechanism).get(cmd["name"])
    if "data" in cmd or layout is None:
        data = bytes.fromhex(cmd["data"])
    else:
        data = layout[1](cmd)
    return bytes([len(name)]) + name + data
