"""The suite's Majordomo side (7/MDP 0.1, 18/MDP 0.2, 8/MMI): raw clients and workers that
speak ZMTP 3.1 as DEALER over the suite's RawConnection, and MDP frame lists through the
independent codec (zwire_codec.mdp), against an implementation under test started from
its command line (launch.py).

    net = Majordomo(t)                     the case's clients and workers, one broker
    worker = net.worker("echo")            connects, a NULL handshake as DEALER, READY
    client = net.client()                  connects, a NULL handshake as DEALER
    client.request("echo", [b"hi"])        an MDP message: every frame of it, exactly
    net.wait(lambda: worker.requests(), 2.0)   pumps every peer until it holds

What every broker case gets, whatever it checks (Majordomo.check, run after the case):
every message the broker sent a peer is decoded, in the version and sub-protocol that peer
spoke (any layout at all, for a peer that sent something else), and one that fits no
layout is a FAIL of the clause the codec names: the broker's own octets, judged by the
sender clauses that bind it.  Every message each way is kept, decoded, for the report
(CaseRun.messages: the case page's "Messages, decoded as MDP").

Waits pump every peer of the case at once, so the broker sees a live worker: a worker
sends HEARTBEAT whenever half an interval has passed since it last sent anything
(`keepalive`), unless a case wants it silent.  A case about time sets short timers
(broker_case(..., timers=FAST)); the others run with the defaults of launch.py, long
enough never to act during a case.
"""

import select
import time

from zwire_codec import mdp as M

from . import verdict as V
from . import wire
from . import words
from .case import CASES, Case, NotExercised

V01, V02, ANY = M.V01, M.V02, M.ANY
VERSIONS = (V01, V02)
TAG = {V01: "01", V02: "02"}
OTHER_PREFIX = {V01: "mdp02.", V02: "mdp01."}     # the clauses a version's case leaves out
CLIENT, WORKER = M.CLIENT, M.WORKER
FAST = {"heartbeat_ms": 150, "liveness": 3}
PROBE_SERVICE = b"zwire.probe"


# --- time --------------------------------------------------------------------------------------

def interval(t):
    """The heartbeat interval of the implementation under test, in seconds (or None)."""
    ms = t.adapter.timers.get("heartbeat_ms")
    return ms / 1000.0 if ms else None


def liveness(t):
    """(liveness, declared): the implementation's, or 5 (the top of "usually 3-5") when it
    declares none (DECISIONS M3, M2-4)."""
    value = t.adapter.timers.get("liveness")
    return (value, True) if value else (5, False)


def slack(t):
    """How late the suite lets a timer act: one heartbeat interval and 150 ms, times the
    run's timeout multiplier."""
    return ((interval(t) or 0.0) + 0.15) * t.clock.multiplier


def expiry(t):
    """(seconds, declared): by when a silent peer must be taken as gone: liveness x interval
    plus slack(t)."""
    count, declared = liveness(t)
    return count * interval(t) + slack(t), declared


# --- one message, in words -----------------------------------------------------------------------

def describe(message, client01="REQUEST or REPLY"):
    """An MDP message in one line: 'MDPW02 REQUEST, client 0x00..., body ['hi']'; a 0.1
    client-side message, which has no command frame, is named `client01`."""
    name = message.command or client01
    parts = ["%s %s" % (M.HEADERS[message.version, message.subprotocol].decode(), name)]
    if message.service is not None:
        parts.append("service %s" % words.octets(message.service))
    if message.address is not None:
        parts.append("client %s" % words.octets(message.address))
    if message.body:
        parts.append("body %s" % words.frames(message.body))
    return ", ".join(parts)


def message_entry(t, link, direction, name, frames, client_command):
    """A message of the case's record (report.json "messages"): when, on which connection,
    which way ("out": the suite's, read as any MDP; "in": the implementation's, read in the
    version and sub-protocol of `link`), the frames, and their reading."""
    version, side = (ANY, ANY) if direction == "out" else (link.version, link.side)
    return {"t": round((time.monotonic() - t.transcript.start) * 1000, 1),
            "conn": link.label, "dir": direction, "peer": name,
            "frames": [f.hex() for f in frames],
            "reading": reading(frames, version, side, client_command)}


def reading(frames, version=ANY, side=ANY, client01="REQUEST or REPLY"):
    """How a frame list reads as MDP (version and side as the codec takes them)."""
    try:
        return describe(M.decode(frames, version, side), client01)
    except M.MdpError as e:
        what = "MDP" if (version, side) == (ANY, ANY) else "MDP %s %s" % (
            "any version" if version == ANY else version, "any side" if side == ANY else side)
        return "no %s message: %s at frame %d (%s): %s" % (what, e.cls, e.offset, e.clause,
                                                           words.frames(frames))


class Got:
    """One message the broker sent a peer: its frames, when it came, how it decodes in the
    peer's version and sub-protocol (`message`, or the codec's `error`)."""

    def __init__(self, frames, at, version, side):
        self.frames, self.at = frames, at
        self.judged = False         # a case judged its layout (the wire check leaves it)
        self.message = self.error = None
        try:
            self.message = M.decode(frames, version, side)
        except M.MdpError as e:
            self.error = e

    @property
    def command(self):
        """The command's name; a 0.1 client-side message (no command frame) is a REPLY."""
        if self.message is None:
            return None
        return self.message.command or "REPLY"

    @property
    def body(self):
        return self.message.body if self.message else None

    def __repr__(self):
        return "Got(%s)" % (describe(self.message) if self.message else self.error)


def names(got):
    """The commands of a list of Got, in words, repeats counted: '3 HEARTBEATs, DISCONNECT'
    or 'nothing'."""
    runs = []
    for g in got:
        name = g.command or "a malformed message"
        if runs and runs[-1][0] == name:
            runs[-1][1] += 1
        else:
            runs.append([name, 1])
    return ", ".join(name if n == 1 else "%d %ss" % (n, name) for name, n in runs) or "nothing"


# --- the suite's peers ---------------------------------------------------------------------------

class Peer:
    """A DEALER of the suite on one connection to the broker, speaking one MDP version and
    one sub-protocol (`side`).  `got` is every message the broker sent it, decoded."""

    side = None

    def __init__(self, net, conn, version):
        self.net, self.conn, self.version = net, conn, version
        self.got = []
        self.off_script = False     # it sent what is not its own version and side, well formed
        self.last_sent = time.monotonic()

    @property
    def label(self):
        return self.conn.label

    def send(self, frames, note=""):
        """Sends one MDP message (a list of frames); False if the broker is gone."""
        frames = [bytes(f) for f in frames]
        if not self._own(frames):
            self.off_script = True
        self.net.log(self, "out", frames)
        self.last_sent = time.monotonic()
        return self.conn.send(wire.message(*frames), note or reading(frames))

    def hostile(self, frames, input_class, what):
        """Sends a malformed message of an input class of spec/leniency.md (t.hostile);
        returns how many messages the peer had got before it."""
        frames = [bytes(f) for f in frames]
        self.off_script = True
        before = len(self.got)
        self.net.log(self, "out", frames)
        self.net.t.hostile(self.conn, wire.message(*frames), input_class, what)
        self.last_sent = time.monotonic()
        return before

    def _own(self, frames):
        try:
            M.decode(frames, self.version, self.side)
            return True
        except M.MdpError:
            return False

    def poll(self):
        """Takes in the messages that have arrived (the connection is pumped elsewhere)."""
        for frames in self.conn.inbound.messages()[len(self.got):]:
            got = Got(frames, time.monotonic(), self.version, self.side)
            self.got.append(got)
            self.net.log(self, "in", frames)

    def commands(self, name=None, since=0):
        return [g for g in self.got[since:] if name is None or g.command == name]

    def tick(self, now):
        """Called at every pump: a keepalive for the workers."""

    @property
    def open(self):
        return not (self.conn.closed_by_peer or self.conn.closed_by_us)


class Worker(Peer):
    """The suite's worker: READY for one service, answers what the case says, HEARTBEAT every
    half interval while `keepalive` (never after a DISCONNECT either way)."""

    side = WORKER

    def __init__(self, net, conn, version, service, keepalive=True):
        super().__init__(net, conn, version)
        self.service = service
        self.keepalive = keepalive
        self.registered = False
        self.said_disconnect = False

    def ready(self, service=None):
        self.registered = True
        return self.send(M.worker_ready(service or self.service, self.version),
                         "READY %s" % words.octets(service or self.service))

    def requests(self, since=0):
        return self.commands("REQUEST", since)

    def disconnected(self):
        """True once either side has sent DISCONNECT."""
        return self.said_disconnect or bool(self.commands("DISCONNECT"))

    def answer(self, request, body):
        """The one reply to a REQUEST: 0.1 REPLY, 0.2 FINAL, to its client address."""
        address = request.message.address
        if self.version == V01:
            return self.send(M.worker_reply(address, body, V01))
        return self.send(M.worker_final(address, body, V02))

    def partial(self, request, body):
        return self.send(M.worker_partial(request.message.address, body, V02))

    def heartbeat(self, note=""):
        return self.send(M.heartbeat(self.version), note or "HEARTBEAT")

    def disconnect(self):
        self.said_disconnect = True
        return self.send(M.disconnect(self.version), "DISCONNECT")

    def tick(self, now):
        period = interval(self.net.t)
        if (self.keepalive and self.registered and period and self.open
                and not self.disconnected() and now - self.last_sent >= period / 2):
            self.heartbeat("HEARTBEAT (keepalive)")


class Client(Peer):
    """The suite's client: REQUESTs, and the REPLY (0.1) or PARTIALs and FINAL (0.2) back."""

    side = CLIENT

    def request(self, service, body):
        return self.send(M.client_request(service, body, self.version))

    def replies(self, since=0):
        """REPLY, PARTIAL and FINAL, in order."""
        return [g for g in self.got[since:] if g.command in ("REPLY", "PARTIAL", "FINAL")]

    def finals(self, since=0):
        """The messages that end a request: 0.1 REPLY, 0.2 FINAL."""
        return [g for g in self.got[since:] if g.command in ("REPLY", "FINAL")]


# --- the case's peers together -------------------------------------------------------------------

class Majordomo:
    """A case's clients and workers, all connected to the implementation's endpoint."""

    def __init__(self, t, version=None, judge=True):
        self.t = t
        self.version = version or getattr(t.case, "version", None) or V02
        self.endpoint = t.adapter.endpoint
        self.peers = []
        if judge:
            t.wire_checks.append(self.check)

    def connection(self, label):
        """A raw connection to the implementation with a NULL handshake as DEALER, or the case
        stops NOT-EXERCISED (a refused connection: Refused, which the runner tells from a
        death)."""
        conn = self.t.another_connection(None, self.endpoint)
        conn.label = label
        conn.send(wire.greeting() + wire.ready("DEALER"), "greeting + READY (DEALER)")
        done = self._until([conn], lambda: any(n == "READY" for n, _ in conn.inbound.commands()),
                           3.0)
        self.t.require(done, "no ZMTP handshake as DEALER on %s: %s" % (label, conn.describe()))
        return conn

    def _label(self, kind):
        return "%s%d" % (kind, 1 + sum(1 for p in self.peers if p.label.startswith(kind)))

    def client(self, version=None, label=None):
        client = Client(self, self.connection(label or self._label("client")),
                        version or self.version)
        self.peers.append(client)
        return client

    def worker(self, service=b"echo", version=None, label=None, keepalive=True, ready=True):
        worker = Worker(self, self.connection(label or self._label("worker")),
                        version or self.version, service, keepalive)
        self.peers.append(worker)
        if ready:
            worker.ready()
        return worker

    # --- time passes --------------------------------------------------------------------------

    def pump(self):
        now = time.monotonic()
        for peer in self.peers:
            if peer.open:
                peer.conn.pump(0)
                peer.poll()
                peer.tick(now)

    def wait(self, predicate, seconds):
        """Pumps every peer (keepalives included) until predicate() holds (True) or the time
        (scaled) is up (then its last value)."""
        return self._until(None, predicate, seconds)

    def _until(self, conns, predicate, seconds):
        """Pumps `conns` (None: every peer, with its keepalive) until predicate() holds or
        the time (scaled) is up; it wakes as soon as octets arrive."""
        deadline = self.t.clock.deadline(seconds)
        while True:
            if conns is None:
                self.pump()
            else:
                for conn in conns:
                    conn.pump(0)
            if predicate():
                return True
            left = deadline - time.monotonic()
            socks = [c.sock for c in (conns if conns is not None else
                                      [p.conn for p in self.peers if p.open])
                     if not (c.closed_by_peer or c.closed_by_us)]
            if left <= 0 or (conns is not None and not socks):
                return bool(predicate())        # time is up, or nothing is left to read
            step = min(left, 0.02)
            if socks:
                select.select(socks, [], [], step)
            else:
                time.sleep(step)

    def quiet(self, seconds):
        """A fixed wait, for cases whose subject is time (heartbeats, expiry, silence)."""
        self.wait(lambda: False, seconds)

    def served(self, client, worker, service, body, seconds=2.0, since=None):
        """One exchange: client's REQUEST, the worker's REQUEST, its answer, the client's
        reply.  Returns (request the worker got or None, reply the client got or None)."""
        req_at = len(worker.got) if since is None else since
        rep_at = len(client.got)
        client.request(service, body)
        self.wait(lambda: worker.requests(req_at), seconds)
        got = worker.requests(req_at)
        if not got:
            return None, None
        worker.answer(got[0], [b"re: " + body[0]])
        self.wait(lambda: client.finals(rep_at), seconds)
        finals = client.finals(rep_at)
        return got[0], finals[0] if finals else None

    # --- the record -----------------------------------------------------------------------------

    def log(self, peer, direction, frames):
        """One message for the report, decoded: the suite's as any MDP, the broker's in the
        version and sub-protocol of the peer it went to."""
        self.t.messages.append(message_entry(
            self.t, peer, direction, "%s %s" % (peer.side, peer.version), frames,
            "REQUEST" if direction == "out" else "REPLY"))

    def check(self, run):
        """After the case: every message the broker sent decodes (in the peer's version and
        side; any layout, for a peer that went off script); else a FAIL of the codec's
        clause.  Returns the clauses judged."""
        self.pump()
        judged = []
        for peer in self.peers:
            for got in (g for g in peer.got if not g.judged):
                error = got.error
                if error is not None and peer.off_script:
                    error = _any_error(got.frames)
                if error is None:
                    continue
                clause = broker_clause(error.clause)
                run.expect(clause, False, "every message the broker sends %s is a well-formed "
                           "MDP %s %s message" % (peer.label, peer.version, peer.side),
                           own_octets=True, happened="it sent %s: %s at frame %d" % (
                               words.frames(got.frames), error.cls, error.offset))
                judged.append(clause)
        return judged


def _any_error(frames):
    try:
        M.decode(frames, ANY, ANY)
        return None
    except M.MdpError as e:
        return e


# The codec names the layout of the message it read; on the 0.1 client side REQUEST and REPLY
# share one, and a message from the broker is a REPLY.
_BROKER_SIDE = {"mdp01.grammar.client-request": "mdp01.grammar.client-reply"}


def broker_clause(clause):
    return _BROKER_SIDE.get(clause, clause)


def judge_layout(t, peer, got, command, clause):
    """One message the broker sent `peer`, judged as the sender of `command`: it decodes in
    the peer's version and sub-protocol (else a FAIL of the clause the codec names) and is
    that command (else a FAIL of `clause`, the command's layout)."""
    got.judged = True
    if got.error is not None:
        return t.expect(broker_clause(got.error.clause), False, "a well-formed MDP %s %s %s"
                        % (peer.version, peer.side, command), own_octets=True,
                        happened="it sent %s: %s at frame %d" % (
                            words.frames(got.frames), got.error.cls, got.error.offset))
    return t.expect(clause, got.command == command, "a well-formed MDP %s %s %s"
                    % (peer.version, peer.side, command), own_octets=True,
                    happened="it sent %s" % describe(got.message, "REPLY"))


def reported_unless_met(t, clause, met, what, happened=None):
    """What only a zwire decision, or a reading the RFC leaves open, asks of a broker: met, a
    PASS; not met, reported (INFO), never judged."""
    if met:
        return t.expect(clause, True, what, happened=happened)
    t.observe(clause, what, happened=happened)
    return False


# --- the robustness probe of a broker -------------------------------------------------------

def probe_broker(run):
    """After hostile input: is the broker alive, and does it still serve a well-behaved pair
    beside the case's peers (a new worker registers, a new client's request reaches it and
    an answer comes back)?  Whether what it sends them is well formed is not asked here:
    the wire checks judge that.  Returns (ROBUST_*, detail)."""
    from .runner import _exited
    if run.adapter.proc.poll() is not None:
        return V.ROBUST_DIED, "it exited with status %d" % run.adapter.proc.returncode
    version = getattr(run.case, "version", None) or run.adapter.capabilities.get("mdp", [V02])[0]
    try:
        failed = probe_pair(Majordomo(run, version, judge=False))
    except NotExercised as e:
        failed = str(e)
    if failed is None:
        return V.ROBUST_OK, "a new worker and a new client (MDP %s): the request reached " \
                            "the worker and an answer came back" % version
    if _exited(run.adapter):
        return V.ROBUST_DIED, "it exited with status %d (%s)" % (run.adapter.proc.returncode,
                                                                failed)
    return V.ROBUST_STOPPED, failed


def probe_pair(net):
    """A new worker of PROBE_SERVICE and a new client asking for it: None if the request
    reached the worker and an answer reached the client, else what went wrong."""
    worker = net.worker(PROBE_SERVICE, label="probe-worker")
    client = net.client(label="probe-client")
    client.request(PROBE_SERVICE, [b"robustness-probe"])
    net.wait(lambda: [g for g in worker.got if g.command != "HEARTBEAT"], 2.0)
    got = [g for g in worker.got if g.command != "HEARTBEAT"]
    if not got:
        return "a new worker registered %s, and a new client's request for it never reached " \
               "it within 2 s" % words.octets(PROBE_SERVICE)
    if got[0].command != "REQUEST":
        return None         # it was served, in a form the wire checks judge elsewhere
    worker.answer(got[0], [b"probe-answer"])
    if not net.wait(lambda: client.got, 2.0):
        return "the new worker answered the new client's request, and nothing reached the " \
               "client within 2 s"
    return None


# --- the broker role's cases ---------------------------------------------------------------------

def broker_case(slug, area, title, clauses, versions=VERSIONS, timers=None, mmi=False,
                inputs=(), mixed=False, needs_timers=()):
    """Registers the decorated function as one case per MDP version (`<slug>.v01`,
    `<slug>.v02`), the implementation playing the broker.  `clauses` name both versions'
    clauses (each version's case keeps its own, mdp01.* or mdp02.*, and the others, mmi.*),
    or are a dict {version: [clauses]}; written out in full, so that tools/trace.py finds
    them.  `mixed`: one case needing every version listed (slug as given), citing them all.
    `timers`: the timers the case wants (launch.py's placeholders); `needs_timers`: those
    it cannot run without knowing."""
    def register(fn):
        needs = {"protocol": "mdp", "role": "broker", "mmi": mmi,
                 "timers": sorted(needs_timers)}
        for version in ((None,) if mixed else versions):
            listed = clauses.get(version, []) if isinstance(clauses, dict) else clauses
            ids = [c for c in listed if mixed or not c.startswith(OTHER_PREFIX[version])]
            case_ = Case(slug if mixed else "%s.v%s" % (slug, TAG[version]), None, fn, area,
                         title if mixed else "%s (MDP %s)" % (title, version), ids,
                         dict(needs, mdp=list(versions) if mixed else [version]), inputs)
            case_.version = version
            case_.timers = dict(timers or {})
            CASES.append(case_)
        return fn
    return register
