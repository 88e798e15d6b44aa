"""Reading helpers for units of known total length (command bodies, metadata, Z85 text).

No RFC clause of its own: these helpers implement FORMAT.md's offset rule for inputs
whose length the decoder knows up front. Offsets here are local to the unit (0 = its
first octet); the caller shifts them when the unit sits inside a larger input.

The rule: a check on an octet fails at that octet's offset, when it arrives; a field that
the end of the unit cuts short fails at the unit's end (its length), and only once every
octet of the unit has arrived (so a truncated frame stream stays `incomplete` rather than
reporting an offset that has not been reached); an octet beyond a layout that must end
fails at that first excess octet.

All helpers are sub-generators for a Pump parser (`yield from take(...)`).
"""

from .errors import DecodeError


class Bounded:
    """Position and end of a unit of known length, in the unit's own offsets."""

    __slots__ = ("pos", "end")

    def __init__(self, end):
        self.pos = 0
        self.end = end

    def left(self):
        """Octets of the unit not consumed yet."""
        return self.end - self.pos


def take(cur, n, cls, clause):
    """Exactly n octets; if fewer remain, wait for the unit's end and fail there."""
    if n > cur.left():
        yield cur.left()
        cur.pos = cur.end
        raise DecodeError(cls, cur.end, clause)
    data = yield n
    cur.pos += n
    return data


def octet(cur, cls, clause):
    """One octet as an int; at the unit's end, fail there."""
    data = yield from take(cur, 1, cls, clause)
    return data[0]


def rest(cur):
    """Every remaining octet of the unit (available once the unit is complete)."""
    data = yield cur.left()
    cur.pos = cur.end
    return data


def expect_end(cur, cls, clause):
    """The layout ends here: the first excess octet, if any, fails at its offset."""
    if cur.left():
        yield 1
        raise DecodeError(cls, cur.pos, clause)


def capped(cur, limit, cls, clause):
    """The rest of the unit, at most `limit` octets: octet limit + 1 fails at its offset."""
    if cur.left() <= limit:
        return (yield from rest(cur))
    data = yield from take(cur, limit, cls, clause)
    yield from expect_end(cur, cls, clause)
    return data
