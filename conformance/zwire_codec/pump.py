"""Push driver: runs a pull-style parser generator over chunks pushed by the caller.

No RFC clause lives here; this is the mechanism that makes every decoder in the package
a push decoder with chunk invariance by construction.

A parser is a generator. Each value it yields is a request:
  - an int n >= 0: "give me exactly n octets" (the pump buffers across chunks, so a field
    split over two reads arrives whole; n == 0 is answered at once with b"");
  - Some(n), n >= 1: "give me between 1 and n octets, as soon as any are available"
    (used for frame bodies, whose octets are reported as they arrive).
The pump sends the octets back into the generator. The generator returns its result
(the pump is then `done`) or raises DecodeError (the pump then holds `error`; first error
wins). Once done or failed the pump consumes nothing more, so `push` returns how many
octets of the chunk were consumed.

Invariant between calls: the generator is suspended at a request, and `_buf` holds the
octets already received towards an exact request. Because the generator only ever sees
whole requests, the result depends on the octets pushed, never on how they were split.
"""

from .errors import DecodeError


class Some:
    """Request for 1..n octets, delivered as soon as at least one is available."""

    __slots__ = ("n",)

    def __init__(self, n):
        if n < 1:
            raise ValueError("Some(n) needs n >= 1")
        self.n = n


class Pump:
    """Drives one parser generator; see the module docstring."""

    def __init__(self, parser):
        self._parser = parser
        self._want = None
        self._buf = bytearray()
        self.done = False
        self.result = None
        self.error = None
        self._resume(None)

    @property
    def stopped(self):
        """True once the parser returned or failed."""
        return self.done or self.error is not None

    def push(self, data):
        """Offer a chunk; returns the number of octets consumed (all, unless stopped)."""
        data = bytes(data)
        used = 0
        while used < len(data) and not self.stopped:
            used += self._offer(data, used)
        return used

    def _offer(self, data, start):
        want = self._want
        if isinstance(want, Some):
            piece = data[start:start + want.n]
            self._resume(piece)
            return len(piece)
        count = min(want - len(self._buf), len(data) - start)
        self._buf += data[start:start + count]
        if len(self._buf) == want:
            piece = bytes(self._buf)
            self._buf.clear()
            self._resume(piece)
        return count

    def _resume(self, value):
        try:
            want = self._parser.send(value)
            while not isinstance(want, Some) and want == 0:
                want = self._parser.send(b"")
        except StopIteration as stop:
            self.done = True
            self.result = stop.value
        except DecodeError as err:
            self.error = err
        else:
            self._want = want


class PumpDecoder:
    """Base of the push decoders: `push` and `error` go to the decoder's pump.

    A subclass sets `self._pump` to the Pump running its parser and adds its own
    `report()` in FORMAT.md's normal form.
    """

    _pump = None

    def push(self, data):
        """Feed a chunk; returns the octets consumed (none once stopped)."""
        return self._pump.push(data)

    @property
    def error(self):
        return self._pump.error
