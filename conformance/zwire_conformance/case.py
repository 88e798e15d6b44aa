"""Cases: how one is declared, and the context it runs in.

A case is a function decorated with @case.  The decorator gives it a stable slug, the
clauses it checks, its area and title, what it needs from the implementation, and the
roles it runs in: `binds` (the implementation binds, the suite connects) and / or
`connects` (the suite listens, the implementation connects).  Each role is its own case,
with the id `<slug>@<role>`.

The function receives a CaseRun `t` and states expectations with
`t.expect(clause, met, what, alternatives=...)`.  An alternative spells out a lenient
outcome in the case itself, with the verdict it earns and, if only some profiles allow it,
which ones: `Alt(closed_without_error, PASS_NONSTRICT, "closes without ERROR")`.
"""

import time

from . import verdict as V
from . import wire
from .adapter import Unsupported

CASES = []
ROLES = ("binds", "connects")


class Alt:
    """A lenient alternative: if `met`, the expectation gets `verdict` instead of failing
    (only under `profiles`, when given)."""

    def __init__(self, met, verdict, what, profiles=None):
        self.met, self.verdict, self.what, self.profiles = bool(met), verdict, what, profiles


class Case:
    def __init__(self, slug, role, fn, area, title, clauses, needs):
        self.slug, self.role, self.fn = slug, role, fn
        self.id = "%s@%s" % (slug, role) if role else slug
        self.area, self.title, self.clauses, self.needs = area, title, list(clauses), dict(needs)


def case(slug, area, title, clauses, roles=ROLES, needs=None):
    """Registers the decorated function as one case per role."""
    def register(fn):
        for role in roles or (None,):
            CASES.append(Case(slug, role, fn, area, title, clauses, needs or {}))
        return fn
    return register


class Transcript:
    """Every octet each way, with the connection, offset and time (ms since the start)."""

    def __init__(self):
        self.start = time.monotonic()
        self.entries = []

    def record(self, conn, direction, offset, data, note):
        self.entries.append({"t": round((time.monotonic() - self.start) * 1000, 1),
                             "conn": conn, "dir": direction, "offset": offset,
                             "hex": bytes(data).hex(), "note": note})


class CaseRun:
    """What a case function works with: the adapter, raw connections, expectations."""

    def __init__(self, case_, adapter, registry, profile, clock):
        self.case = case_
        self.role = case_.role
        self.adapter = adapter
        self.registry = registry
        self.profile = profile
        self.clock = clock
        self.transcript = Transcript()
        self.expectations = []
        self.notes = []
        self.connections = []
        self.listeners = []

    # --- expectations -------------------------------------------------------------------

    def expect(self, clause, met, what, alternatives=()):
        """One expectation on one clause; its verdict follows the clause's keyword."""
        keyword = self.registry[clause]["keyword"]
        if met:
            outcome, via = V.PASS, None
        else:
            outcome, via = V.severity(keyword), None
            for alt in alternatives:
                if alt.met and (alt.profiles is None or self.profile in alt.profiles):
                    outcome, via = alt.verdict, alt.what
                    break
        self.expectations.append({"clause": clause, "keyword": keyword, "what": what,
                                  "met": bool(met), "verdict": outcome, "alternative": via})
        return bool(met)

    def note(self, text):
        self.notes.append(text)

    def unsupported(self, why):
        raise Unsupported(why)

    # --- the implementation, through its adapter ------------------------------------------

    def socket(self, socket_type, **options):
        """Opens a socket in the implementation; options as in ADAPTER.md."""
        self.needs_type(socket_type)
        for name in options:
            if name not in self.adapter.capabilities.get("options", []):
                raise Unsupported("option %s is not among the adapter's options" % name)
        reply = self.adapter.request("open", type=socket_type, options=options)
        self._ok(reply, "open %s" % socket_type)
        return reply["socket"]

    def needs_type(self, socket_type):
        if socket_type not in self.adapter.capabilities.get("socketTypes", []):
            raise Unsupported("socket type %s is not among the adapter's" % socket_type)

    def bind(self, handle, endpoint="tcp://127.0.0.1:0"):
        reply = self.adapter.request("bind", socket=handle, endpoint=endpoint)
        self._ok(reply, "bind")
        return reply["endpoint"]

    def connect(self, handle, endpoint):
        self._ok(self.adapter.request("connect", socket=handle, endpoint=endpoint), "connect")

    def send(self, handle, frames, seconds=2.0):
        """True if the implementation took the message within the time."""
        reply = self.adapter.request("send", seconds=seconds, socket=handle,
                                     frames=[bytes(f).hex() for f in frames],
                                     timeout=int(seconds * 1000 * self.clock.multiplier))
        return bool(reply.get("ok"))

    def recv(self, handle, seconds=2.0):
        """The frames of the next message the implementation delivers, or None."""
        reply = self.adapter.request("recv", seconds=seconds, socket=handle,
                                     timeout=int(seconds * 1000 * self.clock.multiplier))
        if reply.get("ok"):
            return [bytes.fromhex(f) for f in reply["frames"]]
        return None

    def subscribe(self, handle, topic, subscribe=True):
        op = "subscribe" if subscribe else "unsubscribe"
        self._ok(self.adapter.request(op, socket=handle, topic=bytes(topic).hex()), op)

    @staticmethod
    def _ok(reply, what):
        if not reply.get("ok"):
            raise HarnessError("the adapter refused %s: %s" % (what, reply.get("error")))

    # --- the suite's raw side ---------------------------------------------------------------

    def link(self, socket_type, **options):
        """The implementation's socket of socket_type and one raw connection to it, made in
        this case's role.  Returns (handle, connection)."""
        handle = self.socket(socket_type, **options)
        if self.role == "connects":
            listener = wire.RawListener(self.clock, self.transcript)
            self.listeners.append(listener)
            self.connect(handle, listener.endpoint)
            conn = listener.accept(3.0)
            if conn is None:
                raise ImplementationSilent("the implementation did not connect")
        else:
            endpoint = self.bind(handle)
            conn = wire.connect(endpoint, self.clock, self.transcript,
                                "conn%d" % (len(self.connections) + 1))
        self.connections.append(conn)
        return handle, conn

    def another_connection(self, handle, endpoint=None):
        """A second raw connection to a bound implementation socket (role binds only)."""
        conn = wire.connect(endpoint, self.clock, self.transcript,
                            "conn%d" % (len(self.connections) + 1))
        self.connections.append(conn)
        return conn

    def close_all(self):
        for conn in self.connections:
            conn.close()
        for listener in self.listeners:
            listener.close()


class HarnessError(Exception):
    """The suite itself, not the implementation, went wrong."""


class ImplementationSilent(Exception):
    """The implementation never did what the case needs to start (connect, say)."""
