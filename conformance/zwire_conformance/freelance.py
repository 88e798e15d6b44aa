"""The suite's Freelance side (10/FLP) for a server under test: raw clients that speak ZMTP
3.1 over NULL as a ROUTER with no Identity (flp.peer.router, flp.client.no-identity) over
the suite's RawConnection, and FLP frame lists through the independent codec
(zwire_codec.flp), against a server started from its command line (launch.py).

    net = Freelance(t)                     the case's clients, one server
    a = net.client()                       connects, a NULL handshake as ROUTER, no Identity
    a.ping()                               ["PING"]
    a.request(b"7", [b"hi"])               ["7", "hi"]: CCF, then the body frames
    net.wait(lambda: a.replies(b"7"), 2.0) pumps every client until it holds

On the wire a ROUTER's routing frame is never seen (the sending ROUTER takes it off, the
receiving one adds its own), so a client's message is exactly the RFC's layout: PING, or
the CCF and the body.

What every server case gets, whatever it checks (Freelance.check, run after the case):
every message the server sent a client is decoded as a message to a client (a PONG or a
REPLY, DECISIONS F3), and one that is neither is a FAIL of the clause the codec names
(flp.grammar.reply): the server's own octets, judged by the sender clause that binds it.
Every message each way is kept, decoded, for the report (CaseRun.messages: the case page's
"Messages, decoded as FLP"); `message_entry` and `reading` serve the client role's side
too, so that both roles' pages read alike.
"""

import select
import time

from zwire_codec import flp as F

from . import verdict as V
from . import wire
from . import words
from .case import CASES, Case, NotExercised
from .steps import property_of, their_ready

TO_SERVER, TO_CLIENT = F.TO_SERVER, F.TO_CLIENT
PING, PONG, REQUEST, REPLY = F.PING, F.PONG, F.REQUEST, F.REPLY
PROBE_CCF = b"zwire-probe"


# --- one message, in words -----------------------------------------------------------------------

def describe(message):
    """An FLP message in one line: 'PONG', "REPLY, CCF '7', body ['hi']"."""
    if message.command in (PING, PONG):
        return message.command
    return "%s, CCF %s, body %s" % (message.command, words.octets(message.ccf),
                                    words.frames(message.body))


def reading(frames, direction):
    """How a frame list reads as FLP travelling `direction` (to-server: PING or REQUEST;
    to-client: PONG or REPLY)."""
    try:
        return describe(F.decode(frames, direction))
    except F.FlpError as e:
        return "no FLP message %s: %s at frame %d (%s): %s" % (
            direction.replace("-", " a "), e.cls, e.offset, e.clause, words.frames(frames))


def kind(entry):
    """The kind of FLP message a report's message entry holds: PING, PONG, REQUEST, REPLY,
    or 'malformed' (mutation.conduct compares them)."""
    first = (entry.get("reading") or "").split(",")[0]
    return first if first in (PING, PONG, REQUEST, REPLY) else "malformed"


def message_entry(t, label, direction, name, frames, flp_direction):
    """A message of the case's record (report.json "messages"): when, on which connection,
    which way ("out": the suite's, "in": the implementation's), the frames, and their
    reading as FLP travelling `flp_direction`."""
    return {"t": round((time.monotonic() - t.transcript.start) * 1000, 1),
            "conn": label, "dir": direction, "peer": name, "protocol": "flp",
            "frames": [bytes(f).hex() for f in frames],
            "reading": reading(frames, flp_direction)}


class Got:
    """One message the server sent a client: its frames, when it came, how it decodes as a
    message to a client (`message`, or the codec's `error`)."""

    def __init__(self, frames, at):
        self.frames, self.at = [bytes(f) for f in frames], at
        self.judged = False         # a case judged its layout (the wire check leaves it)
        self.message = self.error = None
        try:
            self.message = F.decode(self.frames, TO_CLIENT)
        except F.FlpError as e:
            self.error = e

    @property
    def command(self):
        return self.message.command if self.message else None

    @property
    def ccf(self):
        """The first frame (a reply's CCF), or None for no frame."""
        return self.frames[0] if self.frames else None

    def __repr__(self):
        return "Got(%s)" % (describe(self.message) if self.message else self.error)


def names(got):
    """The messages of a list of Got, in words: "PONG; REPLY, CCF '7', body ['hi']", or
    'nothing'."""
    return "; ".join(describe(g.message) if g.message else "malformed %s" % words.frames(g.frames)
                     for g in got) or "nothing"


# --- the suite's clients -------------------------------------------------------------------------

class Client:
    """A ROUTER of the suite on one connection to the server.  `got` is every message the
    server sent it, decoded."""

    def __init__(self, net, conn):
        self.net, self.conn = net, conn
        self.got = []

    @property
    def label(self):
        return self.conn.label

    def send(self, frames, note=""):
        """Sends one FLP message (a list of frames); False if the server is gone."""
        frames = [bytes(f) for f in frames]
        self.net.log(self, "out", frames)
        return self.conn.send(wire.message(*frames), note or reading(frames, TO_SERVER))

    def ping(self):
        return self.send(F.ping())

    def request(self, ccf, body):
        return self.send(F.request(ccf, body))

    def hostile(self, frames, breaks, what):
        """Sends a malformed message (t.hostile: an input class of spec/leniency.md or the
        clauses it breaks); returns how many messages the client had got before it."""
        frames = [bytes(f) for f in frames]
        before = len(self.got)
        self.net.log(self, "out", frames)
        self.net.t.hostile(self.conn, wire.message(*frames), breaks, what)
        return before

    def poll(self):
        """Takes in the messages that have arrived (the connection is pumped elsewhere)."""
        for frames in self.conn.inbound.messages()[len(self.got):]:
            self.got.append(Got(frames, time.monotonic()))
            self.net.log(self, "in", frames)

    def pongs(self, since=0):
        return [g for g in self.got[since:] if g.command == PONG]

    def replies(self, ccf=None, since=0):
        """The messages whose first frame is `ccf` (any CCF: every message that is no PONG),
        whatever their layout: a reply the server cut short is still its answer."""
        if ccf is None:
            return [g for g in self.got[since:] if g.command != PONG]
        return [g for g in self.got[since:] if g.ccf == ccf]

    @property
    def open(self):
        return not (self.conn.closed_by_peer or self.conn.closed_by_us)


# --- the case's clients together -----------------------------------------------------------------

class Freelance:
    """A case's clients, all connected to the server's endpoint."""

    def __init__(self, t, judge=True):
        self.t = t
        self.endpoint = t.adapter.endpoint
        self.clients = []
        if judge:
            t.wire_checks.append(self.check)

    def connection(self, label, socket_type="ROUTER", identity=None, hostile=None):
        """A raw connection to the server with a NULL handshake as `socket_type` (with an
        Identity property if `identity` is given), or the case stops NOT-EXERCISED.
        `hostile`: (breaks, what) when the handshake itself is the case's hostile input."""
        conn = self.t.another_connection(None, self.endpoint)
        conn.label = label
        octets = wire.greeting() + wire.ready(socket_type, identity)
        note = "greeting + READY (%s%s)" % (socket_type, ", Identity %s" % words.octets(identity)
                                            if identity is not None else "")
        if hostile:
            self.t.hostile(conn, octets, hostile[0], hostile[1])
        else:
            conn.send(octets, note)
        done = self._until([conn], lambda: their_ready(conn) is not None, 3.0)
        self.t.require(done, "no ZMTP handshake as %s on %s: %s" % (socket_type, label,
                                                                   conn.describe()))
        return conn

    def client(self, label=None, socket_type="ROUTER", identity=None, hostile=None):
        label = label or "client%d" % (1 + sum(1 for c in self.clients
                                               if c.label.startswith("client")))
        client = Client(self, self.connection(label, socket_type, identity, hostile))
        self.clients.append(client)
        return client

    @staticmethod
    def ready(client):
        """The properties of the server's READY on this client's connection ({name: bytes})."""
        return their_ready(client.conn) or {}

    @staticmethod
    def property(client, name):
        return property_of(Freelance.ready(client), name)

    # --- time passes --------------------------------------------------------------------------

    def pump(self):
        for client in self.clients:
            if client.open:
                client.conn.pump(0)
            client.poll()

    def wait(self, predicate, seconds):
        """Pumps every client until predicate() holds (True) or the time (scaled) is up
        (then its last value)."""
        return self._until(None, predicate, seconds)

    def _until(self, conns, predicate, seconds):
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
                                      [k.conn for k in self.clients])
                     if not (c.closed_by_peer or c.closed_by_us)]
            if left <= 0 or not socks:
                return bool(predicate())        # time is up, or nothing is left to read
            select.select(socks, [], [], min(left, 0.02))

    def quiet(self, seconds):
        """A fixed wait: what else comes (a second reply, a late pong)."""
        self.wait(lambda: False, seconds)

    def ask(self, client, ccf, body, seconds=2.0):
        """Sends a request and waits for a message whose first frame is its CCF (or the
        close); returns the messages the client got since the request."""
        since = len(client.got)
        client.request(ccf, body)
        self.wait(lambda: client.replies(ccf, since) or not client.open, seconds)
        return client.got[since:]

    # --- the record ---------------------------------------------------------------------------

    def log(self, client, direction, frames):
        self.t.messages.append(message_entry(
            self.t, client.label, direction, "client", frames,
            TO_SERVER if direction == "out" else TO_CLIENT))

    def check(self, run):
        """After the case: every message the server sent decodes as a PONG or a REPLY; else
        a FAIL of the codec's clause.  Returns the clauses judged."""
        self.pump()
        judged = []
        for client in self.clients:
            for got in (g for g in client.got if not g.judged and g.error is not None):
                run.expect(got.error.clause, False, "every message the server sends %s is a "
                           "well-formed PONG or REPLY" % client.label, own_octets=True,
                           happened="it sent %s: %s at frame %d" % (
                               words.frames(got.frames), got.error.cls, got.error.offset))
                judged.append(got.error.clause)
        return judged


# --- judgements ----------------------------------------------------------------------------------

def judge_layout(t, got, command, clause):
    """One message the server sent, judged as the sender of `command` (PONG or REPLY): it
    decodes as a message to a client and is that command, else a FAIL of `clause`."""
    got.judged = True
    if got.error is not None:
        return t.expect(clause, False, "a well-formed %s" % command, own_octets=True,
                        happened="it sent %s: %s at frame %d (%s)" % (
                            words.frames(got.frames), got.error.cls, got.error.offset,
                            got.error.clause))
    return t.expect(clause, got.command == command, "a well-formed %s" % command,
                    own_octets=True, happened="it sent %s: %s" % (
                        words.frames(got.frames), describe(got.message)))


def judge_reply(t, client, got, ccf, body, echo=True):
    """The answer to one request (`got`: what the client got since it sent it): a message
    whose first frame is the request's CCF, octet for octet (flp.server.reply-ccf), that is
    a well-formed REPLY, the CCF and one body frame or more (flp.grammar.reply); its body
    the request's (the echo the command line asks for, ADAPTER.md) is reported unless met.
    Returns the reply (a Got) or None."""
    mine = [g for g in got if g.ccf == ccf]
    t.expect("flp.server.reply-ccf", bool(mine),
             "%s's request (CCF %s) is answered, to %s, by a message whose first frame is "
             "that CCF, octet for octet" % (client.label, words.octets(ccf), client.label),
             happened="it sent %s %s" % (client.label, names(got)) if got else
             "%s got nothing within 2 s (%s)" % (client.label, client.conn.describe()))
    if not mine:
        return None
    reply = mine[0]
    if judge_layout(t, reply, REPLY, "flp.grammar.reply") and echo:
        reported_unless_met(t, "flp.grammar.reply", reply.message.body == list(body),
                            "its body is the request's (the command line's echo, ADAPTER.md)",
                            happened="the request's body was %s, the reply's %s"
                            % (words.frames(body), words.frames(reply.message.body)))
    return reply


def judge_pong(t, client, got):
    """The answer to one PING (`got`: what the client got since): a message came
    (flp.server.pong), and it is exactly one frame, PONG (flp.grammar.pong, DECISIONS F2).
    Returns True if both hold."""
    t.expect("flp.server.pong", bool(got), "%s's PING is answered, to %s" % (
        client.label, client.label), happened="it sent %s %s" % (client.label, names(got))
        if got else "%s got nothing within 2 s (%s)" % (client.label, client.conn.describe()))
    if not got:
        return False
    return judge_layout(t, got[0], PONG, "flp.grammar.pong")


def reported_unless_met(t, clause, met, what, happened=None):
    """What only a zwire decision, or a reading the RFC leaves open, asks of a server: met,
    a PASS; not met, reported (INFO), never judged."""
    if met:
        return t.expect(clause, True, what, happened=happened)
    t.observe(clause, what, happened=happened)
    return False


# --- the robustness probe of a server ------------------------------------------------------------

def probe_server(run):
    """After hostile input: is the server alive, and does it still serve a well-behaved
    client beside the case's (a new connection's request answered with its CCF; its PING
    answered or not is said)?  Whether what it sends is well formed is not asked here: the
    wire checks judge that.  Returns (ROBUST_*, detail)."""
    from .runner import _exited
    if run.adapter.proc.poll() is not None:
        return V.ROBUST_DIED, "it exited with status %d" % run.adapter.proc.returncode
    try:
        failed, pong = probe_client(Freelance(run, judge=False))
    except NotExercised as e:
        failed, pong = str(e), False
    if failed is None:
        return V.ROBUST_OK, "a new client's request was answered with its CCF%s" % (
            ", and its PING with a PONG" if pong else " (its PING got no PONG)")
    if _exited(run.adapter):
        return V.ROBUST_DIED, "it exited with status %d (%s)" % (run.adapter.proc.returncode,
                                                                failed)
    return V.ROBUST_STOPPED, failed


def probe_client(net):
    """A new client pings and asks: (None if its request was answered, else what went
    wrong; whether a PONG came)."""
    client = net.client(label="probe-client")
    client.ping()
    client.request(PROBE_CCF, [b"robustness-probe"])
    net.wait(lambda: client.replies(PROBE_CCF) and client.pongs(), 2.0)
    pong = bool(client.pongs())
    if not client.replies(PROBE_CCF):
        return ("a new client's request got no answer carrying its CCF within 2 s (%s)"
                % (names(client.got) if client.got else client.conn.describe())), pong
    return None, pong


# --- the server role's cases ---------------------------------------------------------------------

def server_case(slug, area, title, clauses, inputs=()):
    """Registers the decorated function as one case, the implementation playing a Freelance
    server.  `clauses` written out in full, so that tools/trace.py finds them.  The suite
    speaks ZMTP 3.1 to the server; any version it steps down to will do, so a case citing a
    ZMTP clause needs none in particular."""
    def register(fn):
        case_ = Case(slug, None, fn, area, title, clauses,
                     {"protocol": "flp", "role": "server", "zmtp": None}, inputs)
        case_.timers = {}
        CASES.append(case_)
        return fn
    return register
