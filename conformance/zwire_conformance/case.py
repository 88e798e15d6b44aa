"""Cases: how one is declared, and the context it runs in.

A case is a function decorated with @case.  The decorator gives it a stable slug, the
clauses it checks, its area and title, what it needs from the implementation, and the
roles it runs in: `binds` (the implementation binds, the suite connects) and / or
`connects` (the suite listens, the implementation connects).  Each role is its own case,
with the id `<slug>@<role>`.

The function receives a CaseRun `t` and works in four kinds of statement:

- `t.require(ok, happened)`: a precondition (a handshake done, a version spoken).  When it
  does not hold, the case stops there as NOT-EXERCISED with what happened instead; nothing
  after it is judged.
- `t.control(ok, what)`: before a case expects a refusal, it shows that the same
  implementation accepts the well-formed input on the same kind of connection; one that
  refuses everything is NOT-EXERCISED, never a PASS.
- `t.hostile(conn, octets, breaks, what)`: sends input that breaks the clauses `breaks`,
  or input of an input class of spec/leniency.md (`"ReservedFlags"`, declared in
  @case(..., inputs=[...])), and returns a mark in the transcript (a close counts as an
  answer to it only if it came after the mark: `conn.closed_since(mark)`).
- `t.expect(clause, met, what)`: a judgement; a broken one takes its verdict from the
  clause's keyword.  A clause that binds the sender judges what the implementation sent;
  the harness refuses it as a judgement of what the implementation did with input that
  broke that same clause.  For that input, where the RFC names no receiver duty,
  `t.observe(breaks, what)` reports what happened (INFO).
- `t.answer(input, what, met=...)`: what the implementation did with input of a class of
  spec/leniency.md, judged or reported as the table says: judged by the row's receiver
  clause where one decides (`met`: it did what that clause names, refusing an `invalid`
  input, taking a `valid` one, following a SHOULD or a MAY), reported under the sender
  clause where the table leaves the choice to the receiver.  The golden vectors of that
  class take their result from the same row, so the two cannot disagree.

An `Alt(met, what)` spells out another conforming outcome (a PASS): never a lesser
verdict, which would override the keyword.
"""

import time

from . import leniency as L
from . import verdict as V
from . import wire
from .adapter import Unsupported

CASES = []
ROLES = ("binds", "connects")


class Alt:
    """Another conforming outcome: if `met`, the expectation is a PASS, by this way."""

    def __init__(self, met, what):
        self.met, self.what = bool(met), what


# The ZMTP versions an implementation must speak for a case about a version's clauses (any
# one of them): the suite talks 3.0 to a 3.1 peer too, which steps down to it.
_SPOKEN_FOR = {"zmtp31": ["3.1"], "zmtp30": ["3.0", "3.1"], "zmtp20": ["2.0"],
               "zmtp10": ["1.0"]}


def spoken_for(clauses):
    """The versions a case needs, from the newest ZMTP spec its clauses cite (or none)."""
    for spec in ("zmtp31", "zmtp30", "zmtp20", "zmtp10"):
        if any(c.startswith(spec + ".") for c in clauses):
            return _SPOKEN_FOR[spec]
    return None


class Case:
    def __init__(self, slug, role, fn, area, title, clauses, needs, inputs=()):
        self.slug, self.role, self.fn = slug, role, fn
        self.id = "%s@%s" % (slug, role) if role else slug
        self.area, self.title, self.clauses, self.needs = area, title, list(clauses), dict(needs)
        self.inputs = tuple(inputs)     # the input classes of spec/leniency.md it sends
        if "zmtp" not in self.needs and spoken_for(self.clauses):
            self.needs["zmtp"] = spoken_for(self.clauses)


def case(slug, area, title, clauses, roles=ROLES, needs=None, inputs=()):
    """Registers the decorated function as one case per role.  `inputs`: the input classes
    of spec/leniency.md the case sends (t.hostile, t.answer)."""
    def register(fn):
        for role in roles or (None,):
            CASES.append(Case(slug, role, fn, area, title, clauses, needs or {}, inputs))
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

    def __init__(self, case_, adapter, registry, profile, clock, leniency=None):
        self.case = case_
        self.leniency = leniency        # spec/leniency.md's rows (None: read on first use)
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
        self.broken_by_us = set()       # sender clauses our hostile input broke
        self.hostile_sent = False
        self.stopped = False            # a precondition did not hold (NOT-EXERCISED)
        self.bound = None               # (handle, endpoint, socket type) of a bound socket
        self.wire_checks = []           # checks of the implementation's own octets, run after
        #                                 the case by the runner (majordomo.Majordomo.check)
        self.messages = []              # the messages of a protocol above ZMTP, decoded
        self.probe = None               # the robustness probe, when the case has its own:
        #                                 probe(run) -> (ROBUST_*, detail) (security.py)

    # --- expectations -------------------------------------------------------------------

    def clause(self, clause):
        if clause not in self.registry:
            raise HarnessError("the case cites %s, which spec/ does not register" % clause)
        return self.registry[clause]

    def expect(self, clause, met, what, alternatives=(), own_octets=False, happened=None):
        """One judgement on one clause; its verdict follows the clause's keyword.
        `what` is what was expected; `happened`, what the implementation did, in words
        (words.py, RawConnection.answer_since), shown beside it in every report.
        own_octets: the judgement is of octets the implementation sent (the wire checks)."""
        entry = self.clause(clause)
        if (entry.get("binds") == "sender" and clause in self.broken_by_us
                and not own_octets):
            raise HarnessError("%s binds the sender: it cannot judge what the implementation "
                               "did with input that broke it (t.observe reports that)" % clause)
        for alt in alternatives:
            if not isinstance(alt, Alt):
                raise HarnessError("an alternative must be Alt(met, what): a conforming "
                                   "outcome, never a verdict of the case's own")
        outcome, via = (V.PASS, None) if met else (V.severity(entry["keyword"]), None)
        if not met:
            for alt in alternatives:
                if alt.met:
                    outcome, via = V.PASS, alt.what
                    break
        self.expectations.append({"clause": clause, "keyword": entry["keyword"],
                                  "binds": entry.get("binds"), "what": what, "met": bool(met),
                                  "verdict": outcome, "alternative": via,
                                  **({"happened": happened} if happened else {})})
        return bool(met) or via is not None

    def observe(self, breaks, what, happened=None):
        """Reports what the implementation did with input that broke the sender rule
        `breaks`, where the RFC names no duty of the receiver: INFO, under every profile."""
        entry = self.clause(breaks)
        rows = [r for r in self.table().values() if breaks in r.breaks]
        if rows and all(r.judged for r in rows):
            raise HarnessError("spec/leniency.md judges input that breaks %s (%s, by %s): it "
                               "is not left to the receiver; t.answer judges it"
                               % (breaks, rows[0].input, ", ".join(rows[0].because)))
        self.expectations.append({"clause": breaks, "keyword": entry["keyword"],
                                  "binds": entry.get("binds"), "what": what, "met": None,
                                  "verdict": V.INFO, "alternative": None, "reported": True,
                                  **({"happened": happened} if happened else {})})

    def require(self, ok, happened):
        """A precondition: if not ok, the case stops as NOT-EXERCISED with what happened."""
        if not ok:
            raise NotExercised(happened)
        return True

    def control(self, ok, what, happened=None):
        """A refusal case's control: the well-formed input was accepted (else NOT-EXERCISED:
        an implementation that refuses everything cannot pass a refusal case).  `happened`:
        what the implementation did instead, in words, for the report."""
        if not ok:
            raise NotExercised("the control failed: %s%s, so its refusal of the hostile input "
                               "says nothing" % (what, "; instead %s" % happened if happened
                                                 else ""))
        self.notes.append("control: %s" % what)
        return True

    def table(self):
        if self.leniency is None:
            self.leniency = L.table()
        return self.leniency

    def lenient(self, input_class):
        """The row of spec/leniency.md for an input class this case declares."""
        row = self.table().get(input_class)
        if row is None:
            raise HarnessError("spec/leniency.md has no input class %s" % input_class)
        if input_class not in self.case.inputs:
            raise HarnessError("the case sends %s without declaring it (@case inputs=)"
                               % input_class)
        return row

    def answer(self, input_class, what, met=None, alternatives=(), happened=None):
        """What the implementation did with input of `input_class`, as spec/leniency.md
        decides: judged by the row's receiver clause that the case cites (`met`: the
        implementation did what that clause names), else reported under the sender clause
        the input broke (INFO), which the table allows only where it says `acceptable`.
        Returns what t.expect returns, or None for a report."""
        row = self.lenient(input_class)
        judged = [c for c in row.because if c in self.case.clauses]
        if judged:
            if met is None:
                raise HarnessError("%s is judged by %s: the case must say whether the "
                                   "implementation did what it names (met=)"
                                   % (input_class, judged[0]))
            return self.expect(judged[0], met, what, alternatives, happened=happened)
        if row.judged:
            raise HarnessError("spec/leniency.md makes %s %s by %s: the case must cite it"
                               % (input_class, row.result, " or ".join(row.because)))
        observed = [c for c in row.breaks if c in self.case.clauses]
        if not observed:
            raise HarnessError("%s breaks %s: the case cites none of them"
                               % (input_class, ", ".join(row.breaks)))
        self.observe(observed[0], what, happened=happened)
        return None

    def hostile(self, conn, octets, breaks, what):
        """Sends input breaking the clauses `breaks` (an ID or a list; [] for input that is
        hostile only to the implementation's own limits), or of the input class `breaks`
        of spec/leniency.md (then the clauses are its row's), and returns the Mark just
        after it (RawConnection.closed_since, answer_since)."""
        if L.is_input_class(breaks):
            breaks = list(self.lenient(breaks).breaks)
        for clause in [breaks] if isinstance(breaks, str) else list(breaks):
            if self.clause(clause).get("binds") == "sender":
                self.broken_by_us.add(clause)
        self.hostile_sent = True
        conn.pump(0)
        before = conn.mark()
        conn.send(octets, what)
        return wire.Mark(len(self.transcript.entries), before.inbound)

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

    def link(self, socket_type, label=None, **options):
        """The implementation's socket of socket_type and one raw connection to it, made in
        this case's role.  Returns (handle, connection)."""
        handle = self.socket(socket_type, **options)
        label = label or "conn%d" % (len(self.connections) + 1)
        if self.role == "connects":
            listener = wire.RawListener(self.clock, self.transcript)
            self.listeners.append(listener)
            self.connect(handle, listener.endpoint)
            conn = listener.accept(3.0)
            if conn is None:
                raise NotExercised("it did not connect to the suite's listener within 3 s")
            conn.label = label
        else:
            endpoint = self.bind(handle)
            self.bound = (handle, endpoint, socket_type)
            conn = self._connect(endpoint, label)
        self.connections.append(conn)
        return handle, conn

    def control_link(self, socket_type, **options):
        """A socket of the implementation, linked in this case's role to a raw connection
        of its own ("control"): where a refusal case first shows that the same kind of
        connection accepts the well-formed input.  Make it before the case's own link."""
        return self.link(socket_type, label="control", **options)

    def another_connection(self, handle, endpoint=None):
        """A second raw connection to a bound implementation socket (role binds only)."""
        conn = self._connect(endpoint, "conn%d" % (len(self.connections) + 1))
        self.connections.append(conn)
        return conn

    def _connect(self, endpoint, label):
        """A raw connection to the implementation's endpoint.  A connection it does not
        take (refused, reset, not accepted in time) is the implementation's doing, never
        the suite's: Refused, which the runner records as NOT-EXERCISED, or, if the adapter
        has exited, as ADAPTER-ERROR (robustness: died)."""
        try:
            return wire.connect(endpoint, self.clock, self.transcript, label)
        except OSError as e:
            raise Refused("it refused a new connection to %s: %s" % (endpoint, wire.os_error(e)))

    def close_all(self):
        for conn in self.connections:
            conn.close()
        for listener in self.listeners:
            listener.close()


class HarnessError(Exception):
    """The suite itself, not the implementation, went wrong."""


class NotExercised(Exception):
    """A precondition of the case did not hold; the message says what happened instead."""


class Refused(NotExercised):
    """A raw connection to the implementation failed (refused, reset, timed out): what
    follows in the case cannot be exercised.  The runner tells a dead adapter apart."""
