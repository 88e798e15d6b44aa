"""The suite as the Freelance servers (10/FLP), against a client under test: the suite
listens on several endpoints, one per server, and the client connects to every one of them
(ADAPTER.md, "Freelance: a client under test").

    --protocol flp --role client --command "my-client --connect {endpoints} \\
        --ping-interval {ping_interval_ms} --liveness {liveness} --timeout {timeout_ms} \\
        --retries {retries} --lines"

Each case declares its servers (client_case(..., servers=("dead", "live"))) and gets, for
each, a fresh endpoint of 127.0.0.1: one where the suite listens ("live"), or one where a
socket is bound and nothing listens, so that every connection to it is refused ("dead", a
server whose port is closed).  {endpoints} is their list, in that order, comma-separated;
{ping_interval_ms}, {liveness}, {timeout_ms} and {retries} are the case's timers.  The
client is ready once it connects to a live server (at once, when none is live).

The client under test is driven through its --lines protocol, its adapter contract: a
request a line on its standard input (each frame in lower-case hex, frames separated by
one space, "-" for an empty frame), an outcome a line on its standard output, in order
(`answered HEX...`, `timed-out`, `no-server`, `error TEXT`).  A client that exits during a
case, writes a line that is no outcome, or gives no outcome within its own timers' bound
(every attempt's timeout, liveness x interval, and 1.5 s) is an ADAPTER-ERROR.

    servers = Servers(t)                 takes the connections and the record
    servers.ready()                      every live server handshaken (else NOT-EXERCISED)
    servers[0].answer = "late"           how a server answers requests (below)
    ask = servers.ask([b"req-1"])        the client is asked for one request
    servers.finish(ask)                  until its outcome: ask.outcome, ask.frames

Every server the suite plays takes each connection with its half of a ZMTP 3.1 NULL
handshake as a ROUTER whose READY carries Identity = its endpoint string, octet for octet
(flp.server.identity, DECISIONS F1: the client routes by it); answers each PING with one
frame PONG while its `pong` holds; and answers each request as its `answer` says:

    echo       the CCF, then the request's body, at once
    mute       never (it still pongs)
    late       holds the request, and sends its reply when a request with another body
               reaches any server: a late reply, arriving while a later request is
               outstanding
    twice      answers at once, and sends that reply again, once, when a request with
               another body reaches any server
    wrong-ccf  a reply whose CCF has its last octet flipped (body 'wrong-ccf:' and the
               request's first frame), then the right reply STALE_LEAD later
    manual     nothing: the case answers

A request that arrives while some server sends a stale reply (late, twice) gets its own
answer STALE_LEAD later, so that the stale reply reaches the client first, while the
request it does not answer is outstanding.  The bodies of a case's requests differ, so a
client that hands its application a stale reply shows it in its outcome line.

What every case gets, whatever it checks (Servers.check, run after the case): every message
the client sent decodes as a message to a server, a PING or a request (DECISIONS F3), and
one that is neither is a FAIL of the clause the codec names (flp.grammar.request, which
binds the client).  Every message each way is kept, decoded, for the report.
"""

import json
import os
import select
import socket
import subprocess
import tempfile
import time

from zwire_codec import flp as F

from . import launch
from . import verdict as V
from . import wire
from . import words
from .adapter import AdapterError, Unsupported
from .case import CASES, Case, Transcript
from .freelance import describe, message_entry
from .steps import property_of, their_ready

TO_SERVER, TO_CLIENT = F.TO_SERVER, F.TO_CLIENT
PING, PONG, REQUEST = F.PING, F.PONG, F.REQUEST
ROLE = "client"
TIMERS = ("ping_interval_ms", "liveness", "timeout_ms", "retries")
# The contract's defaults (flp_contract: `zwire fl client`), assumed for a timer the command
# neither takes nor declares; liveness 3 is DECISIONS F6's.
ASSUMED = {"ping_interval_ms": 1000, "liveness": 3, "timeout_ms": 1000, "retries": 3}
# Short timers, so that the role runs in seconds: a ping every 100 ms, a server gone after
# 3 silent intervals, 300 ms per attempt, 3 retries.
FAST = {"ping_interval_ms": 100, "liveness": 3, "timeout_ms": 300, "retries": 3}
STALE_LEAD = 0.1            # a stale reply goes this long before the answer it precedes
OUTCOMES = ("answered", "timed-out", "no-server", "error")
ANSWERS = ("echo", "mute", "late", "twice", "wrong-ccf", "manual")
PROBE_BODY = b"robustness-probe"


# --- timers ------------------------------------------------------------------------------------

def timer(t, name):
    """(value, declared): the client's timer as the case runs it, or the contract's
    default, assumed, when the command neither takes nor declares it."""
    value = (t.adapter.timers or {}).get(name)
    return (value, True) if value is not None else (ASSUMED[name], False)


def interval(t):
    """The client's ping interval, in seconds."""
    return timer(t, "ping_interval_ms")[0] / 1000.0


def liveness(t):
    return timer(t, "liveness")[0]


def slack(t):
    """How late the suite lets a timer act: one ping interval and 150 ms (scaled)."""
    return (interval(t) + 0.15) * t.clock.multiplier


def outcome_bound(t):
    """How long a request may take before its outcome line: every attempt's timeout,
    liveness + 1 intervals (a client waiting for a live server), and 1.5 s."""
    attempts = timer(t, "retries")[0] + 1
    return attempts * timer(t, "timeout_ms")[0] / 1000.0 + (liveness(t) + 1) * interval(t) + 1.5


# --- the lines: requests in, outcomes out ----------------------------------------------------------

def request_line(body):
    """One request of the --lines protocol: each frame in hex, "-" for an empty one."""
    return " ".join(bytes(f).hex() or "-" for f in body)


def parse_outcome(line):
    """(outcome, frames or text) of one outcome line; AdapterError for a line that is none."""
    words_ = line.split(" ")
    kind = words_[0]
    if kind not in OUTCOMES:
        raise AdapterError("the client wrote a line that is no outcome (answered, timed-out, "
                           "no-server, error): %r" % line[:200])
    if kind == "error":
        return kind, line[len("error"):].strip()
    if kind != "answered":
        if len(words_) > 1:
            raise AdapterError("the client wrote %r: %s takes nothing after it" % (line[:200],
                                                                                 kind))
        return kind, []
    frames = []
    for word in words_[1:]:
        try:
            frames.append(b"" if word == "-" else bytes.fromhex(word))
        except ValueError:
            raise AdapterError("the client's answered line holds %r, which is neither hex nor "
                               "'-': %r" % (word[:40], line[:200]))
    if not frames:
        raise AdapterError("the client wrote 'answered' with no frame (a reply has one body "
                           "frame at least; '-' is an empty one)")
    return kind, frames


# --- the servers' endpoints, and the client under test -----------------------------------------------

class Station:
    """One server's endpoint: a socket bound on 127.0.0.1 that listens (live) or does not,
    so that a connection to it is refused (dead) until listen()."""

    def __init__(self, label, live, clock, transcript):
        self.label, self.live = label, False
        self.clock, self.transcript = clock, transcript
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.endpoint = "tcp://127.0.0.1:%d" % self.sock.getsockname()[1]
        self.pending = []           # connections taken before the case began
        self.accepted = 0
        if live:
            self.listen()

    def listen(self):
        """The dead server comes up: its port takes connections from now on."""
        if not self.live:
            self.sock.listen(16)
            self.live = True

    def waiting(self):
        if not self.live:
            return False
        try:
            return bool(select.select([self.sock], [], [], 0)[0])
        except (OSError, ValueError):
            return False

    def accept(self):
        sock, _ = self.sock.accept()
        self.accepted += 1
        return wire.RawConnection(sock, self.clock, self.transcript, self.label)

    def close(self):
        self.sock.close()
        for conn in self.pending:
            conn.close()


class ServersLauncher(launch.Launcher):
    """How a client under test is started: launch.Launcher's template and declared timers,
    with {endpoints} the case's servers, where the suite listens (or does not)."""

    def __init__(self, protocol, role, command, capabilities, endpoint=None, declared=None,
                 name=None, probe=None):
        if "endpoints" not in launch.placeholders(command):
            raise launch.BadCommand("the command has no {endpoints}: the suite plays the "
                                    "servers and must tell the client where they are")
        if endpoint:
            raise launch.BadCommand("--endpoint fixes where an implementation listens; a "
                                    "Freelance client connects to the servers of {endpoints}")
        super().__init__(protocol, role, command, capabilities, None, declared, name, probe)
        if role != ROLE:
            raise launch.BadCommand("the suite plays the servers for a Freelance client, not "
                                    "for a %s" % role)

    def start(self, clock, case_=None):
        """The case's servers and a fresh process, ready (connected to a live server, when
        there is one); AdapterError if it cannot be made ready.  A case that needs a timer
        whose value is unknown is Unsupported before any start."""
        timers = self.timers(getattr(case_, "timers", None) or dict(FAST))
        for name in getattr(case_, "needs", {}).get("timers", []):
            if timers.get(name) is None:
                raise Unsupported("the command has no {%s} and no value was declared for it"
                                  % name)
        transcript = Transcript()
        stations = [Station("s%d" % (i + 1), kind == "live", clock, transcript)
                    for i, kind in enumerate(getattr(case_, "servers", None) or ("live",))]
        values = dict({k: v for k, v in timers.items() if v is not None},
                      endpoints=",".join(s.endpoint for s in stations))
        process = ClientProcess(self, launch.expand(self.command, values), stations,
                                transcript, timers, clock)
        try:
            process.wait_ready()
        except AdapterError:
            process.close()
            raise
        return process


class ClientProcess(launch.RoleProcess):
    """One running client under test, as the runner sees an adapter (launch.RoleProcess),
    with the case's servers' endpoints (`stations`), its record (`transcript`), and its
    --lines: request() writes one, outcome() reads them."""

    def __init__(self, launcher, argv, stations, transcript, timers, clock):
        self.launcher, self.argv = launcher, argv
        self.stopped_by_suite = False
        self.stations, self.transcript = stations, transcript
        self.endpoint = self.given_endpoint = ",".join(s.endpoint for s in stations)
        self.timers, self.clock = timers, clock
        self.hello = launcher.hello()
        self.capabilities = self.hello["capabilities"]
        self.requests = 0           # lines written
        self._outcomes = []         # lines read, parsed
        self._read = 0              # octets of standard output parsed
        self._stdout = tempfile.TemporaryFile()
        self._stderr = tempfile.TemporaryFile()
        try:
            self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=self._stdout,
                                         stderr=self._stderr)
        except OSError as e:
            self._stdout.close()
            self._stderr.close()
            for station in stations:
                station.close()
            raise AdapterError("cannot start %r: %s" % (" ".join(argv), e))

    def wait_ready(self):
        """Until it connects to a live server (at once when none is live); AdapterError if
        it exits first (with its status) or does not connect within 10 s (status None)."""
        live = [s for s in self.stations if s.live]
        deadline = self.clock.deadline(launch.READY_SECONDS)
        while True:
            if self.proc.poll() is not None:
                raise AdapterError("it exited with status %d before it was ready: %s"
                                   % (self.proc.returncode, self._last_words()),
                                   self.proc.returncode)
            if not live:
                return
            for station in live:
                if station.waiting():
                    station.pending.append(station.accept())
                    return
            if time.monotonic() >= deadline:
                break
            select.select([s.sock for s in live], [], [], 0.01)
        raise AdapterError("not ready within %.0f s: it connected to none of %s" % (
            launch.READY_SECONDS * self.clock.multiplier,
            ", ".join(s.endpoint for s in live)))

    # --- the --lines protocol ---------------------------------------------------------------------

    def request(self, body):
        """Writes one request line; returns its index (0 for the first): its outcome is
        the line of that index."""
        line = request_line(body) + "\n"
        try:
            self.proc.stdin.write(line.encode())
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError, ValueError) as e:
            raise AdapterError("the client took no request line: %s" % e, self.proc.poll())
        self.requests += 1
        return self.requests - 1

    def outcome(self, index):
        """(outcome, frames or text) of the request of that index, or None while its line
        has not come.  A line that is no outcome, or more lines than requests, is an
        AdapterError."""
        text = self.stdout_text()
        while True:
            end = text.find("\n", self._read)
            if end < 0:
                break
            line = text[self._read:end].rstrip("\r")
            self._read = end + 1
            if len(self._outcomes) >= self.requests:
                raise AdapterError("the client wrote a line for no request: %r" % line[:200])
            self._outcomes.append(parse_outcome(line))
        return self._outcomes[index] if index < len(self._outcomes) else None

    # --- its end ------------------------------------------------------------------------------------

    def quit(self):
        """The end of its input (it exits 0 once its last outcome is written); still running
        2 s later, SIGTERM (launch.py)."""
        stdin = getattr(self.proc, "stdin", None)
        if stdin and not stdin.closed and self.proc.poll() is None:
            try:
                stdin.close()
                self.proc.wait(timeout=2 * self.clock.multiplier)
            except (OSError, ValueError, subprocess.TimeoutExpired):
                pass
        return super().quit()

    def close(self):
        super().close()
        stdin = getattr(self.proc, "stdin", None)
        if stdin and not stdin.closed:
            try:
                stdin.close()
            except OSError:
                pass
        for station in self.stations:
            station.close()


# --- what the client sent ---------------------------------------------------------------------

class Sent:
    """One message the client sent a server: its frames, when it came, how it decodes as a
    message to a server (`message`, or the codec's `error`)."""

    def __init__(self, frames, at):
        self.frames, self.at = [bytes(f) for f in frames], at
        self.judged = False         # a case judged its layout (the wire check leaves it)
        self.message = self.error = None
        try:
            self.message = F.decode(self.frames, TO_SERVER)
        except F.FlpError as e:
            self.error = e

    @property
    def command(self):
        return self.message.command if self.message else None

    @property
    def ccf(self):
        return self.message.ccf if self.command == REQUEST else None

    @property
    def body(self):
        return self.message.body if self.command == REQUEST else None

    def describe(self):
        if self.message is not None:
            return describe(self.message)
        return "%s (%s at frame %d, %s)" % (words.frames(self.frames), self.error.cls,
                                            self.error.offset, self.error.clause)


class Link:
    """One connection the client made to one of the suite's servers."""

    def __init__(self, server, conn):
        self.server, self.conn = server, conn
        self.got = []
        self.accepted_at = time.monotonic()

    @property
    def label(self):
        return self.conn.label

    @property
    def open(self):
        return not (self.conn.closed_by_peer or self.conn.closed_by_us)

    def handshaken(self):
        return their_ready(self.conn) is not None

    @property
    def socket_type(self):
        return property_of(their_ready(self.conn), "Socket-Type")

    @property
    def identity(self):
        return property_of(their_ready(self.conn), "Identity")

    def poll(self):
        for frames in self.conn.inbound.messages()[len(self.got):]:
            got = Sent(frames, time.monotonic())
            self.got.append(got)
            self.server.servers.log(self, "in", frames)
            self.server.servers.arrived(self, got)

    def pings(self):
        return [g for g in self.got if g.command == PING]

    def send(self, frames, note=""):
        """Sends one FLP message (a list of frames); False if the client is gone."""
        frames = [bytes(f) for f in frames]
        self.server.servers.log(self, "out", frames)
        return self.conn.send(wire.message(*frames), note or describe(F.decode(frames,
                                                                               TO_CLIENT)))

    def hostile(self, frames, breaks, what):
        """Sends input breaking `breaks` (clauses, [] for none, or an input class of
        spec/leniency.md), or a stale reply (t.hostile)."""
        frames = [bytes(f) for f in frames]
        self.server.servers.log(self, "out", frames)
        return self.server.servers.t.hostile(self.conn, wire.message(*frames), breaks, what)


class Server:
    """One Freelance server the suite plays: its endpoint, which is its identity, the
    connections the client made to it, and how it answers (the module's docstring)."""

    def __init__(self, servers, station):
        self.servers, self.station = servers, station
        self.links = []
        self.pong = True            # answers PING with PONG
        self.pongs_left = None      # a number: pongs it sends before it stops (pong off)
        self.last_pong_at = None
        self.answer = "echo"
        self.held = []              # late: [link, request, released]
        self.given = []             # twice: [link, request, repeated]

    @property
    def label(self):
        return self.station.label

    @property
    def endpoint(self):
        return self.station.endpoint

    @property
    def identity(self):
        return self.station.endpoint.encode()

    @property
    def live(self):
        return self.station.live

    def requests(self):
        """[(link, Sent)] of every message it got that is no PING (requests, or malformed
        messages), in order of arrival."""
        return [(link, got) for link, got in self.servers.arrivals_of(self)]

    def pings(self):
        return [g for link in self.links for g in link.pings()]

    def handshaken(self):
        return any(link.handshaken() for link in self.links)

    def reply(self, link, request, body=None, note=""):
        """The reply to a request: its CCF, unmodified, and `body` (the request's, by
        default)."""
        return link.send(F.reply(request.ccf, list(body if body is not None else request.body)),
                         note)


class Ask:
    """One request the client under test is asked to make, through its --lines, and the
    outcome it reports: `outcome` (answered, timed-out, no-server), `frames` (the reply's
    body frames its application got)."""

    def __init__(self, servers, body, expected=None):
        self.servers, self.body = servers, [bytes(f) for f in body]
        self.expected = [bytes(f) for f in (expected if expected is not None else body)]
        self.number = len(servers.asks) + 1
        self.at = time.monotonic()
        self.arrived_from = len(servers.arrivals)
        self.index = servers.t.adapter.request(self.body)
        self.result = None
        self.done_at = None

    @property
    def done(self):
        if self.result is None:
            result = self.servers.t.adapter.outcome(self.index)
            if result is not None:
                if result[0] == "error":
                    raise AdapterError("the client could not read the request line %r: %s"
                                       % (request_line(self.body), result[1]))
                self.result, self.done_at = result, time.monotonic()
        return self.result is not None

    @property
    def outcome(self):
        return self.result[0] if self.done else None

    @property
    def frames(self):
        return list(self.result[1]) if self.done and self.outcome == "answered" else []

    @property
    def own(self):
        """True if it was answered with its own request's reply (the expected body)."""
        return self.outcome == "answered" and self.frames == self.expected

    @property
    def seconds(self):
        return self.done_at - self.at if self.done_at is not None else None

    def attempts(self):
        """[(server, link, Sent)]: every message that is no PING the servers got from the
        client after this request was asked, carrying its body (a request, or what the
        client sent for it)."""
        return [(link.server, link, got) for link, got in self.servers.arrivals[self.arrived_from:]
                if got.body == self.body or got.command != REQUEST]

    def name(self):
        return "request %d (%s)" % (self.number, words.frames(self.body))

    def describe(self):
        """What the client reported, in words."""
        if not self.done:
            return "the client reported nothing for %s yet" % self.name()
        took = " after %.0f ms" % (self.seconds * 1000)
        if self.outcome == "answered":
            return "%s: answered%s, its application got %s" % (self.name(), took,
                                                               words.frames(self.frames))
        return "%s: %s%s" % (self.name(), self.outcome, took)


class Servers:
    """The suite's servers in one case: the client's connections to each (links), taken as
    they come, the requests it was asked for, and the record."""

    def __init__(self, t, judge=True):
        proc = t.adapter
        self.t, self.proc = t, proc
        t.transcript = proc.transcript
        for station in proc.stations:
            if station not in t.listeners:
                t.listeners.append(station)
        self.servers = [Server(self, station) for station in proc.stations]
        self.links = []
        self.asks = []
        self.arrivals = []          # [(link, Sent)]: every message that is no PING, in order
        self.stale = []             # every stale reply the servers sent: dicts (stale())
        self._timed = []            # [(when, action)]
        t.flp_servers = self
        if judge:
            t.wire_checks.append(self.check)

    def __getitem__(self, index):
        return self.servers[index]

    def __iter__(self):
        return iter(self.servers)

    def __len__(self):
        return len(self.servers)

    # --- connections ---------------------------------------------------------------------------------

    def _take(self, server, conn):
        count = len(server.links)
        conn.label = server.label if not count else "%s.%d" % (server.label, count + 1)
        self.t.connections.append(conn)
        conn.send(wire.greeting() + wire.ready("ROUTER", server.identity),
                  "greeting + READY (ROUTER, Identity %s)" % words.octets(server.identity))
        link = Link(server, conn)
        server.links.append(link)
        self.links.append(link)
        return link

    def _accept(self):
        for server in self.servers:
            station = server.station
            while station.pending:
                self._take(server, station.pending.pop(0))
            while station.waiting():
                self._take(server, station.accept())

    def ready(self, seconds=3.0):
        """Every live server handshaken (or the case stops NOT-EXERCISED), then, for a client
        that pings, until every live server that pongs has answered a PING (the client has
        had the chance to find them live), two intervals and a little more at most."""
        live = [s for s in self.servers if s.live]
        self.wait(lambda: all(s.handshaken() for s in live), seconds)
        missing = [s for s in live if not s.handshaken()]
        self.t.require(not missing, "no ZMTP handshake from the client on %s within %.0f s: %s"
                       % (", ".join(s.label for s in missing), seconds, "; ".join(
                           "%s: %s" % (link.label, link.conn.describe())
                           for s in missing for link in s.links) or "it did not connect"))
        self.wait(lambda: all(s.last_pong_at is not None for s in live if s.pong),
                  2 * interval(self.t) + 0.3)
        return live

    # --- the client's messages -------------------------------------------------------------------

    def arrived(self, link, got):
        """A message from the client: a PING answered (while the server pongs), a request
        answered as its server's `answer` says; a malformed message is kept, unanswered."""
        server = link.server
        if got.command == PING:
            if server.pong and link.open:
                link.send(F.pong(), "PONG")
                server.last_pong_at = time.monotonic()
                if server.pongs_left is not None:
                    server.pongs_left -= 1
                    if server.pongs_left <= 0:
                        server.pong = False
            return
        self.arrivals.append((link, got))
        if got.command != REQUEST:
            return
        stale = self._release(got)
        lead = STALE_LEAD if stale else 0.0
        answer = server.answer
        if answer == "echo":
            self.after(lead, lambda: link.open and server.reply(link, got))
        elif answer == "late":
            server.held.append([link, got, False])
        elif answer == "twice":
            server.given.append([link, got, False])
            self.after(lead, lambda: link.open and server.reply(link, got))
        elif answer == "wrong-ccf":
            wrong = flipped(got.ccf)
            self.stale_sent(server, link, wrong, [b"wrong-ccf:" + got.body[0]], got,
                            "%s's reply to %s with its CCF changed (%s for %s)" % (
                                server.label, words.frames(got.body), words.octets(wrong),
                                words.octets(got.ccf)), breaks="flp.server.reply-ccf")
            self.after(STALE_LEAD, lambda: link.open and server.reply(link, got))

    def _release(self, got):
        """When a request reaches a server: every late reply held, and every reply a
        `twice` server gave, to a request with another body, is sent now (once), while this
        one is outstanding.  True if any was."""
        sent = False
        for server in self.servers:
            for entry in server.held:
                link, held, released = entry
                if not released and held.body != got.body and link.open:
                    entry[2] = sent = True
                    self.stale_sent(server, link, held.ccf, held.body, got,
                                    "%s's late reply to %s" % (server.label,
                                                               words.frames(held.body)))
            for entry in server.given:
                link, given, repeated = entry
                if not repeated and given.body != got.body and link.open:
                    entry[2] = sent = True
                    self.stale_sent(server, link, given.ccf, given.body, got,
                                    "%s's second reply to %s" % (server.label,
                                                                 words.frames(given.body)))
        return sent

    def stale_sent(self, server, link, ccf, body, during, what, breaks=()):
        """Sends a reply that answers no outstanding request (hostile input, t.hostile) and
        records it: what it was, its CCF and body, and the request it came during."""
        what_ = "%s (CCF %s, body %s), while the request %s is outstanding" % (
            what, words.octets(ccf), words.frames(body), words.frames(during.body))
        link.hostile([ccf] + list(body), list(breaks) if not isinstance(breaks, str) else breaks,
                     what_)
        self.stale.append({"server": server.label, "ccf": ccf, "body": list(body),
                           "during": list(during.body), "what": what_,
                           "at": time.monotonic()})

    def quiet_servers(self):
        """No more stale replies: held and given replies are forgotten (the probe's)."""
        for server in self.servers:
            for entry in server.held + server.given:
                entry[2] = True

    def arrivals_of(self, server):
        return [(link, got) for link, got in self.arrivals if link.server is server]

    def pinged(self):
        """True once the client has sent some server a PING."""
        return any(link.pings() for link in self.links)

    # --- requests ------------------------------------------------------------------------------------

    def ask(self, body, expected=None):
        """The client is asked for one request: its body frames; `expected` the body of the
        reply that answers it (the request's own, what `echo` sends, by default)."""
        ask = Ask(self, body, expected)
        self.asks.append(ask)
        return ask

    def finish(self, ask, seconds=None):
        """Until the client reports the outcome of `ask`: an ADAPTER-ERROR if it exits, or
        reports nothing within outcome_bound (scaled) after it was asked."""
        bound = seconds if seconds is not None else outcome_bound(self.t)
        left = bound - (time.monotonic() - ask.at) / self.t.clock.multiplier
        self.wait(lambda: ask.done or self.proc.proc.poll() is not None, max(left, 0.0))
        if ask.done:
            return ask
        if self.proc.proc.poll() is not None:
            raise AdapterError("it exited with status %d during %s" % (
                self.proc.proc.returncode, ask.name()), self.proc.proc.returncode)
        raise AdapterError("it reported no outcome for %s within %.1f s (its timers: %s)" % (
            ask.name(), bound * self.t.clock.multiplier, timers_text(self.t)))

    def served(self, body, expected=None):
        """One request asked and finished; returns the Ask."""
        return self.finish(self.ask(body, expected))

    # --- time passes ----------------------------------------------------------------------------------

    def after(self, seconds, action):
        """Runs action() once `seconds` (scaled) have passed, at a pump."""
        if seconds <= 0:
            action()
            return
        self._timed.append((self.t.clock.deadline(seconds), action))

    def pump(self):
        self._accept()
        for link in list(self.links):
            if link.open:
                link.conn.pump(0)
            link.poll()
        now = time.monotonic()
        due = [entry for entry in self._timed if entry[0] <= now]
        for entry in due:
            self._timed.remove(entry)
            entry[1]()

    def wait(self, predicate, seconds):
        """Pumps every connection (new ones taken as they come, pings answered, requests
        answered, timed actions run) until predicate() holds (True) or the time (scaled) is
        up (then its last value)."""
        deadline = self.t.clock.deadline(seconds)
        while True:
            self.pump()
            if predicate():
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return bool(predicate())
            socks = [link.conn.sock for link in self.links if link.open]
            socks += [s.station.sock for s in self.servers if s.live]
            try:
                select.select(socks, [], [], min(left, 0.01))
            except (OSError, ValueError):
                time.sleep(min(left, 0.01))

    def quiet(self, seconds):
        """A fixed wait, for cases whose subject is time."""
        self.wait(lambda: False, seconds)

    def until(self, when):
        """Pumps until the monotonic time `when` (already scaled by the caller)."""
        self.quiet(max(0.0, when - time.monotonic()) / self.t.clock.multiplier)

    # --- the record ---------------------------------------------------------------------------------

    def log(self, link, direction, frames):
        self.t.messages.append(message_entry(
            self.t, link.label, direction, "server %s" % link.server.label, frames,
            TO_CLIENT if direction == "out" else TO_SERVER))

    def check(self, run):
        """After the case: every message the client sent decodes as a PING or a request;
        else a FAIL of the clause the codec names, where it binds the client (else
        reported).  Returns the clauses judged."""
        self.pump()
        judged = []
        for link in self.links:
            for got in (g for g in link.got if not g.judged and g.error is not None):
                judged.append(own_octets(run, got.error.clause,
                                         "every message a client sends is a PING or a request",
                                         "%s: it sent %s" % (link.label, got.describe())))
        return judged


def flipped(ccf):
    """A CCF that is not `ccf`: its last octet's bits flipped (an empty one becomes 'x')."""
    ccf = bytes(ccf)
    return ccf[:-1] + bytes([ccf[-1] ^ 0xFF]) if ccf else b"x"


def timers_text(t):
    parts = []
    for name in TIMERS:
        value, declared = timer(t, name)
        parts.append("%s %s%s" % (name, value, "" if declared else " (assumed)"))
    return ", ".join(parts)


# --- judgements ---------------------------------------------------------------------------------------

def own_octets(t, clause, what, happened):
    """The client's own malformed message: a FAIL of `clause` where it binds the client (its
    Role column is client, or peer); else reported.  Returns the clause."""
    if t.clause(clause).get("role") in (ROLE, "peer"):
        t.expect(clause, False, what, own_octets=True, happened=happened)
    else:
        t.observe(clause, what + " (the layout it broke is the %s's: reported)"
                  % t.clause(clause).get("role"), happened=happened)
    return clause


def judge_request(t, link, got):
    """One message the client sent for a request, judged as the sender of a request: it
    decodes as a message to a server and is a request, the CCF then one body frame or more
    (else a FAIL of flp.grammar.request, DECISIONS F3)."""
    got.judged = True
    return t.expect("flp.grammar.request", got.command == REQUEST,
                    "a well-formed request: the CCF, then one body frame or more",
                    own_octets=True, happened="%s: it sent %s" % (link.label, got.describe()))


def reported_unless_met(t, clause, met, what, happened=None):
    """What no MUST-class keyword binds, or only a zwire decision asks: met, a PASS; not
    met, reported (INFO), never judged."""
    if met:
        return t.expect(clause, True, what, happened=happened)
    t.observe(clause, what, happened=happened)
    return False


def stale_named(servers, ask):
    """What a client handed its application for `ask` instead of its own reply, in words:
    the stale reply it was (which server sent it, when), or what it is."""
    # the latest that came while this request was outstanding, else any with that body
    for entry in sorted(servers.stale, key=lambda e: (e["during"] == ask.body, e["at"]),
                        reverse=True):
        if entry["body"] == ask.frames:
            return "%s: %s" % (ask.describe(), entry["what"])
    return "%s, which is no reply the suite sent for it (it expected %s)" % (
        ask.describe(), words.frames(ask.expected))


def judge_own_replies(t, servers, asks):
    """For each request: its application got its own request's reply, or nothing; a stale
    reply handed over is reported under flp.client.ccf-any-use, naming it (DECISIONS F9:
    never a FAIL)."""
    for ask in asks:
        if ask.outcome != "answered" or ask.own:
            reported_unless_met(t, "flp.client.ccf-any-use", True,
                                "%s: the application gets its own request's reply (%s), "
                                "or none" % (ask.name(), words.frames(ask.expected)),
                                happened=ask.describe())
        else:
            reported_unless_met(t, "flp.client.ccf-any-use", False,
                                "%s: the application gets its own request's reply (%s), "
                                "never another's (DECISIONS F9)" % (ask.name(),
                                                                    words.frames(ask.expected)),
                                happened=stale_named(servers, ask))


# --- the robustness probe -------------------------------------------------------------------------

def probe_client(run):
    """After hostile input: is the client alive, and does a new request get answered (every
    live server pongs and echoes, no stale reply comes)?  Returns (ROBUST_*, detail)."""
    from .runner import _exited
    proc = run.adapter
    if proc.proc.poll() is not None:
        return V.ROBUST_DIED, "it exited with status %d" % proc.proc.returncode
    servers = getattr(run, "flp_servers", None) or Servers(run, judge=False)
    servers.quiet_servers()
    # the answers the servers still owe go first: none may land on the probe's request
    servers.wait(lambda: not servers._timed, 2 * STALE_LEAD)
    servers.quiet(2 * STALE_LEAD)
    for server in servers:
        server.pong, server.pongs_left, server.answer = True, None, "echo"
    if not any(server.live for server in servers):
        return None, "not measured: none of the case's servers is live"
    try:
        # requests asked before it may still be outstanding: their bound, then the probe's
        pending = [a for a in servers.asks if not a.done]
        ask = servers.ask([PROBE_BODY])
        servers.wait(lambda: ask.done or proc.proc.poll() is not None,
                     outcome_bound(run) * (1 + len(pending)))
    except AdapterError as e:
        if proc.proc.poll() is not None:
            return V.ROBUST_DIED, "it exited with status %d (%s)" % (proc.proc.returncode, e)
        return V.ROBUST_HUNG, str(e)
    if ask.own:
        return V.ROBUST_OK, "a new request was answered, its own reply to the application " \
                            "(%.0f ms)" % (ask.seconds * 1000)
    if _exited(proc):
        return V.ROBUST_DIED, "it exited with status %d (%s)" % (proc.proc.returncode,
                                                                ask.describe())
    if not ask.done:
        return V.ROBUST_HUNG, "a new request got no outcome line within %.1f s" % (
            outcome_bound(run) * run.clock.multiplier)
    return V.ROBUST_STOPPED, "a new request: %s" % ask.describe()


PROBES = {ROLE: probe_client}
# cli.make_launcher finds the client role's launcher and probe here (launch.SIDES)
launch.SIDES["flp", ROLE] = (ServersLauncher, probe_client)


# --- the cases ------------------------------------------------------------------------------------

def client_case(slug, area, title, clauses, servers=("live",), timers=None, needs_timers=(),
                inputs=()):
    """Registers the decorated function as one case, the implementation playing a Freelance
    client and the suite its servers: `servers` "live" or "dead", in the order of
    {endpoints}; `timers` the case's, over FAST; `needs_timers` those it cannot run without
    knowing.  Clauses written out in full, so that tools/trace.py finds them."""
    def register(fn):
        case_ = Case(slug, None, fn, area, title, clauses,
                     {"protocol": "flp", "role": ROLE, "zmtp": None,
                      "timers": sorted(needs_timers)}, inputs)
        case_.timers = dict(FAST, **(timers or {}))
        case_.servers = tuple(servers)
        CASES.append(case_)
        return fn
    return register


# --- the golden vectors, as hostile input -------------------------------------------------------------

class Vector:
    """One malformed message to a client of vectors/flp/flp_test.json: its frames, id,
    comment, clauses and input class of spec/leniency.md."""

    def __init__(self, frames, tc_id, comment, clauses, input_class):
        self.frames, self.id, self.comment = frames, tc_id, comment
        self.clauses, self.input_class = clauses, input_class

    def describe(self):
        return "%s %s (%s)" % (self.id, words.frames(self.frames), self.comment)


def to_client_vectors(root):
    """The `acceptable` vectors of the to-client groups that a client must find malformed,
    with one frame or more (a ZMTP message has one at least), in file order."""
    with open(os.path.join(root, "vectors", "flp", "flp_test.json")) as f:
        data = json.load(f)
    found = []
    for group in data["testGroups"]:
        if group["params"].get("direction") != TO_CLIENT:
            continue
        for test in group["tests"]:
            frames = [bytes.fromhex(x) for x in test["input"]]
            if test["result"] != "acceptable" or not frames:
                continue
            try:
                F.decode(frames, TO_CLIENT)
                continue
            except F.FlpError:
                pass
            klass = next(f for f in test["flags"] if f[0].isupper() and f.startswith("Flp"))
            found.append(Vector(frames, "flp-%d" % test["tcId"], test["comment"],
                                test["clauses"], klass))
    return found
