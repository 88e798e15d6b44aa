"""The suite as the Majordomo broker (7/MDP 0.1, 18/MDP 0.2), against a worker or a client
under test: the suite listens, the implementation connects (ADAPTER.md, "Majordomo: a
worker or a client under test").

    --protocol mdp --role worker --command "my-worker --connect {endpoint} ..."
    --protocol mdp --role client --command "my-client-adapter --connect {endpoint} ..."

Each case gets a fresh listener on 127.0.0.1 (or the endpoint the implementation fixes)
and a fresh process, started with {endpoint} set to that listener and {mdp_version} to the
case's version (a process speaks one version; without {mdp_version} it declares the one
it speaks), and for a worker {heartbeat_ms}, {liveness} and {reconnect_ms} (DECISIONS
M14).  A worker is ready once it connects; a client adapter once it writes its hello, a
JSON line, after which the suite writes requests and reads their outcomes (ADAPTER.md).

    broker = Broker(t)                 takes the listener, the connections and the record
    link = broker.first()              the first connection, after a ZMTP handshake as ROUTER
    link.request(b"addr", [b"hi"])     a worker-side REQUEST, every frame exactly
    ask = broker.ask(b"echo", [b"hi"]) the client under test is asked to make a request
    broker.wait(lambda: ..., 2.0)      pumps every connection, new ones accepted as they come

What every case gets, whatever it checks (Broker.check, run after the case): every message
the implementation sent is decoded in its version and sub-protocol (MDP/Worker for a
worker, MDP/Client for a client), and one that fits no layout is a FAIL of the clause the
codec names, if that clause binds the implementation's role (else it is reported); a
client's message that is not a REQUEST is a FAIL of the request layout.  Every message
each way is kept, decoded, for the report (the case page's "Messages, decoded as MDP").

Waits pump every connection; a registered worker gets a HEARTBEAT from the suite whenever
half its interval has passed since the suite last sent it anything, unless the case wants
the broker silent (`broker.keepalive = False` before the worker connects, or
`link.keepalive = False`).
"""

import json
import os
import select
import socket
import subprocess
import tempfile
import time

from zwire_codec import mdp as M

from . import launch
from . import leniency as L
from . import verdict as V
from . import wire
from . import words
from .adapter import AdapterError, Unsupported
from .case import CASES, Case, Transcript
from .majordomo import (CLIENT, TAG, V01, V02, VERSIONS, WORKER, Got, describe,
                        message_entry, reading)
from .steps import property_of, their_ready

ROLES = ("worker", "client")
ROLE_TIMERS = {"worker": ("heartbeat_ms", "liveness", "reconnect_ms"), "client": ()}
# What a case gets for a timer it does not ask for: the Guide's and zwire's defaults.
DEFAULT_TIMERS = {"heartbeat_ms": 2500, "liveness": 3, "reconnect_ms": 2500}
# Short timers for the cases about time; a worker reconnects 100 ms after it closes.
FAST = {"heartbeat_ms": 150, "liveness": 3, "reconnect_ms": 100}
# A worker's reconnect delay when it declares none: zwire's and the Guide's after silence.
ASSUMED_RECONNECT_MS = 2500
CLIENT_HELLO = "zwireMdpClient"     # the first key of a client adapter's hello line
PROBE_SERVICE = b"zwire.probe"
# The request layout of each version: what a client sends, and nothing else.
REQUEST_CLAUSE = {V01: "mdp01.grammar.client-request", V02: "mdp02.grammar.client-request"}


# --- the implementation under test, connecting to the suite --------------------------------------

class Listener(wire.RawListener):
    """The suite's listening socket: on 127.0.0.1, a port of the kernel's choice, or the
    tcp:// endpoint the implementation fixes."""

    def __init__(self, clock, transcript, endpoint=None):
        host, port = "127.0.0.1", 0
        if endpoint:
            host, port = endpoint[len("tcp://"):].rsplit(":", 1)
            host, port = host.strip("[]"), int(port)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self.sock.bind((host, port))
            self.sock.listen(16)
        except OSError:
            self.sock.close()
            raise
        self.clock, self.transcript, self.accepted = clock, transcript, 0
        self.endpoint = "tcp://%s:%d" % (host, self.sock.getsockname()[1])

    def waiting(self):
        """True if a connection waits to be accepted."""
        try:
            return bool(select.select([self.sock], [], [], 0)[0])
        except (OSError, ValueError):
            return False


class PeerLauncher(launch.Launcher):
    """How a worker or a client under test is started: launch.Launcher's template, endpoint
    and declared timers, with the suite listening where the implementation connects."""

    def __init__(self, protocol, role, command, capabilities, endpoint=None, declared=None,
                 name=None, probe=None):
        super().__init__(protocol, role, command, capabilities, endpoint, declared, name, probe)
        uses = launch.placeholders(command)
        if role not in ROLES:
            raise launch.BadCommand("the suite plays the broker for a worker or a client, "
                                    "not a %s" % role)
        if endpoint and not endpoint.startswith("tcp://"):
            raise launch.BadCommand("--endpoint %s: the suite listens on tcp:// endpoints only"
                                    % endpoint)
        foreign = [p for p in uses if p in ("request_expiry_ms",) + tuple(
            t for t in DEFAULT_TIMERS if t not in ROLE_TIMERS[role])]
        if foreign:
            raise launch.BadCommand("{%s} is no timer of a Majordomo %s" % (foreign[0], role))
        if "reconnect_ms" in uses and "reconnect_ms" in self.declared:
            raise launch.BadCommand("{reconnect_ms} in the command and its value declared "
                                    "both: one only")
        versions = self.capabilities.get("mdp") or []
        if "mdp_version" not in uses and len(versions) != 1:
            raise launch.BadCommand("the command has no {mdp_version}, so each process speaks "
                                    "one MDP version: declare it (--mdp-versions 0.1 or 0.2)")

    def timers(self, wanted=None):
        """The role's timers: what the case wants where the command takes the value, what
        was declared where the implementation fixes it, else None (unknown)."""
        uses = launch.placeholders(self.command)
        out = {}
        for timer in ROLE_TIMERS[self.role]:
            if timer in uses:
                out[timer] = (wanted or {}).get(timer, DEFAULT_TIMERS[timer])
            else:
                out[timer] = self.declared.get(timer)
        return out

    def start(self, clock, case_=None):
        """A fresh listener and process for one case, ready (a worker connected, a client
        adapter's hello read); AdapterError if it cannot be made ready.  A case that needs
        a timer whose value is unknown is Unsupported before any start."""
        timers = self.timers(getattr(case_, "timers", None) or {})
        for timer in getattr(case_, "needs", {}).get("timers", []):
            if timers.get(timer) is None:
                raise Unsupported("the command has no {%s} and no value was declared for it"
                                  % timer)
        version = getattr(case_, "version", None) or self.capabilities["mdp"][0]
        transcript = Transcript()
        try:
            listener = Listener(clock, transcript, self.endpoint)
        except OSError as e:
            raise AdapterError("the suite cannot listen at %s, where the implementation "
                               "connects: %s" % (self.endpoint, wire.os_error(e)))
        values = dict({k: v for k, v in timers.items() if v is not None},
                      endpoint=listener.endpoint, mdp_version=version)
        process = PeerProcess(self, launch.expand(self.command, values), listener, timers,
                              version, clock)
        try:
            process.wait_ready()
        except AdapterError:
            process.close()
            raise
        return process


class PeerProcess(launch.RoleProcess):
    """One running worker or client adapter, as the runner sees an adapter (launch.py's
    RoleProcess), with the suite's listener and the connections it took before the case
    began (`pending`), its record (`transcript`), and for a client adapter its requests
    (ask) and their outcomes (outcome)."""

    def __init__(self, launcher, argv, listener, timers, version, clock):
        self.launcher, self.argv = launcher, argv
        self.stopped_by_suite = False
        self.listener, self.transcript, self.version = listener, listener.transcript, version
        self.endpoint, self.timers, self.clock = listener.endpoint, timers, clock
        self.hello = launcher.hello()
        self.capabilities = self.hello["capabilities"]
        self.pending = []               # connections taken while waiting for it to be ready
        self.greeting = None            # a client adapter's hello
        self.asked = 0                  # requests written to a client adapter
        self._outcomes = {}
        self._lines = 0
        self._stdout = tempfile.TemporaryFile()
        self._stderr = tempfile.TemporaryFile()
        client = launcher.role == "client"
        try:
            self.proc = subprocess.Popen(argv, stdout=self._stdout, stderr=self._stderr,
                                         stdin=subprocess.PIPE if client else subprocess.DEVNULL)
        except OSError as e:
            self._stdout.close()
            self._stderr.close()
            listener.close()
            raise AdapterError("cannot start %r: %s" % (" ".join(argv), e))

    def wait_ready(self):
        """A worker: until it connects.  A client adapter: until its hello line.  AdapterError
        if it exits first (with its status) or is not ready in time (status None)."""
        deadline = self.clock.deadline(launch.READY_SECONDS)
        client = self.launcher.role == "client"
        while time.monotonic() < deadline:
            if client and self._hello():
                return
            if not client and self.listener.waiting():
                self.pending.append(self.listener.accept(0))
                return
            if self.proc.poll() is not None:
                raise AdapterError("it exited with status %d before it was ready: %s"
                                   % (self.proc.returncode, self._last_words()),
                                   self.proc.returncode)
            if client:
                time.sleep(0.01)
            else:
                select.select([self.listener.sock], [], [], 0.01)
        raise AdapterError("not ready within %.0f s: %s" % (
            launch.READY_SECONDS * self.clock.multiplier,
            "no hello line (a JSON object with \"%s\": 1) on its standard output" % CLIENT_HELLO
            if client else "it did not connect to %s" % self.endpoint))

    def _hello(self):
        lines = self.stdout_text().split("\n")[:-1]
        if not lines:
            return False
        try:
            hello = json.loads(lines[0])
        except ValueError:
            hello = None
        if not isinstance(hello, dict) or hello.get(CLIENT_HELLO) != 1:
            raise AdapterError("its first line is no hello (a JSON object with \"%s\": 1): %r"
                               % (CLIENT_HELLO, lines[0][:200]))
        self.greeting = hello
        return True

    # --- a client adapter's requests ------------------------------------------------------------

    def ask(self, service, body, timeout_ms, retries):
        """Writes one request line; returns its id."""
        self.asked += 1
        line = json.dumps({"id": self.asked, "op": "request", "service": bytes(service).hex(),
                           "body": [bytes(f).hex() for f in body], "timeout": int(timeout_ms),
                           "retries": int(retries)})
        try:
            self.proc.stdin.write(line.encode() + b"\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError, ValueError) as e:
            raise AdapterError("the client adapter took no request: %s" % e, self.proc.poll())
        return self.asked

    def outcome(self, request_id):
        """The adapter's reply line to a request (a dict), or None while it has none."""
        lines = self.stdout_text().split("\n")[:-1]
        for line in lines[1 + self._lines:]:
            self._lines += 1
            try:
                reply = json.loads(line)
            except ValueError:
                raise AdapterError("the client adapter wrote a line that is not JSON: %r"
                                   % line[:200])
            if not isinstance(reply, dict) or not isinstance(reply.get("id"), int):
                raise AdapterError("the client adapter wrote a reply with no integer id: %r"
                                   % line[:200])
            self._outcomes[reply["id"]] = reply
        return self._outcomes.get(request_id)

    # --- its end ----------------------------------------------------------------------------------

    def quit(self):
        """A client adapter: `quit`, then the end of its input; then SIGTERM (launch.py)."""
        stdin = getattr(self.proc, "stdin", None)
        if stdin and not stdin.closed and self.proc.poll() is None:
            try:
                stdin.write(b'{"id": 0, "op": "quit"}\n')
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
        for conn in self.pending:
            conn.close()
        self.listener.close()


# --- the suite's broker ------------------------------------------------------------------------

class Sent(Got):
    """One message the implementation sent, decoded in its version and sub-protocol."""

    @property
    def command(self):
        """The command's name; a 0.1 client-side message (no command frame) is a REQUEST."""
        if self.message is None:
            return None
        return self.message.command or "REQUEST"


class Link:
    """One connection the implementation made to the suite, with the suite's half of a NULL
    handshake as ROUTER sent at once; `got` is every MDP message it sent, decoded."""

    def __init__(self, broker, conn):
        self.broker, self.conn = broker, conn
        self.version, self.side = broker.version, broker.side
        self.got = []
        self.accepted_at = self.last_sent = time.monotonic()
        self.keepalive = broker.keepalive
        self.said_disconnect = False

    @property
    def label(self):
        return self.conn.label

    @property
    def open(self):
        return not (self.conn.closed_by_peer or self.conn.closed_by_us)

    @property
    def closed_at(self):
        """When the implementation closed it (monotonic time), or None."""
        if not self.conn.closed_by_peer or not self.conn.closed_entry:
            return None
        entry = self.conn.transcript.entries[self.conn.closed_entry - 1]
        return self.conn.transcript.start + entry["t"] / 1000.0

    def handshaken(self):
        """True once its ZMTP READY is in."""
        return their_ready(self.conn) is not None

    @property
    def socket_type(self):
        return property_of(their_ready(self.conn), "Socket-Type")

    def poll(self):
        for frames in self.conn.inbound.messages()[len(self.got):]:
            self.got.append(Sent(frames, time.monotonic(), self.version, self.side))
            self.broker.log(self, "in", frames)

    def commands(self, name=None, since=0):
        return [g for g in self.got[since:] if name is None or g.command == name]

    def send(self, frames, note=""):
        """Sends one MDP message (a list of frames); False if the implementation is gone."""
        frames = [bytes(f) for f in frames]
        self.broker.log(self, "out", frames)
        self.last_sent = time.monotonic()
        return self.conn.send(wire.message(*frames), note or reading(frames))

    def hostile(self, frames, breaks, what):
        """Sends input of an input class of spec/leniency.md, or breaking the clauses
        `breaks` (t.hostile); returns the Mark just after it."""
        frames = [bytes(f) for f in frames]
        self.broker.log(self, "out", frames)
        self.last_sent = time.monotonic()
        return self.broker.t.hostile(self.conn, wire.message(*frames), breaks, what)

    # --- a worker's connection ------------------------------------------------------------------

    @property
    def registered(self):
        return bool(self.commands("READY"))

    def disconnected(self):
        return self.said_disconnect or bool(self.commands("DISCONNECT"))

    def request(self, address, body, note=""):
        return self.send(M.worker_request(address, body, self.version),
                         note or "REQUEST for %s, body %s" % (words.octets(address),
                                                              words.frames(body)))

    def heartbeat(self, note=""):
        return self.send(M.heartbeat(self.version), note or "HEARTBEAT")

    def disconnect(self):
        self.said_disconnect = True
        return self.send(M.disconnect(self.version), "DISCONNECT")

    def answers(self, address=None, since=0):
        """The worker's REPLY (0.1), PARTIAL and FINAL (0.2), in order; for one client
        address only if given."""
        return [g for g in self.got[since:] if g.command in ("REPLY", "PARTIAL", "FINAL")
                and (address is None or g.message.address == address)]

    def finals(self, address=None, since=0):
        """The answers that end a request: REPLY (0.1), FINAL (0.2)."""
        return [g for g in self.answers(address, since) if g.command != "PARTIAL"]

    def tick(self, now):
        period = self.broker.keepalive_period()
        if (self.keepalive and self.side == WORKER and self.registered and self.open
                and not self.disconnected() and now - self.last_sent >= period):
            self.heartbeat("HEARTBEAT (keepalive)")

    # --- a client's connection ------------------------------------------------------------------

    def requests(self, since=0):
        return self.commands("REQUEST", since)

    def reply(self, request, body, service=None):
        """The one reply to a request: 0.1 REPLY, 0.2 FINAL, naming the service requested."""
        service = service if service is not None else request.message.service
        if self.version == V01:
            return self.send(M.client_reply(service, body, V01))
        return self.send(M.client_final(service, body, V02))

    def partial(self, request, body):
        return self.send(M.client_partial(request.message.service, body, V02))


class Ask:
    """One request the client under test is asked to make, through its adapter, and the
    outcome it reports: `outcome` ("answered", "timed-out", "died"), `frames` (every body
    frame its application got for the request, in order)."""

    def __init__(self, broker, service, body, timeout_ms, retries):
        self.broker, self.service, self.body = broker, service, list(body)
        self.timeout_ms, self.retries = timeout_ms, retries
        self.id = broker.proc.ask(service, body, timeout_ms, retries)
        self.at = time.monotonic()
        self.reply = None
        self.done_at = None

    @property
    def done(self):
        if self.reply is None:
            reply = self.broker.proc.outcome(self.id)
            if reply is not None:
                self.done_at = time.monotonic()
                self.reply = reply
                self._check(reply)
        return self.reply is not None

    def _check(self, reply):
        t = self.broker.t
        if not reply.get("ok", True) or reply.get("outcome") not in ("answered", "timed-out",
                                                                     "died"):
            error = str(reply.get("error") or reply.get("outcome"))
            if error.startswith("unsupported"):
                raise Unsupported("the client adapter: %s" % error)
            raise AdapterError("the client adapter refused the request: %s" % error)
        if reply["outcome"] == "died":
            how = "the client died (%s) during the request" % reply.get("status", "?")
            t.client_died = how
            if not t.hostile_sent:
                raise AdapterError(how)

    @property
    def outcome(self):
        return self.reply.get("outcome") if self.done else None

    @property
    def frames(self):
        return [bytes.fromhex(f) for f in self.reply.get("frames") or []] if self.done else []

    def describe(self):
        """What the client reported, in words."""
        if not self.done:
            return "the client reported nothing yet"
        if self.outcome == "died":
            return "the client died (%s)" % self.reply.get("status", "?")
        return "the client reported %s%s" % (
            "an answer" if self.outcome == "answered" else "that it timed out",
            ", its application got %s" % words.frames(self.frames) if self.frames
            else ", with nothing for its application")


class Broker:
    """The suite's broker in one case: the implementation's connections (links), taken as
    they come, and the record."""

    def __init__(self, t, judge=True):
        proc = t.adapter
        self.t, self.proc = t, proc
        t.transcript = proc.transcript
        if proc.listener not in t.listeners:
            t.listeners.append(proc.listener)
        self.role = proc.launcher.role
        self.version = proc.version
        self.side = WORKER if self.role == "worker" else CLIENT
        self.links = []
        self.keepalive = True
        self.asks = []
        self.label_prefix = "conn"
        t.mdp_broker = self
        if judge:
            t.wire_checks.append(self.check)

    # --- connections ------------------------------------------------------------------------------

    def _take(self, conn):
        conn.label = "%s%d" % (self.label_prefix, 1 + sum(
            1 for link in self.links if link.label.startswith(self.label_prefix)))
        self.t.connections.append(conn)
        conn.send(wire.greeting() + wire.ready("ROUTER"), "greeting + READY (ROUTER)")
        link = Link(self, conn)
        self.links.append(link)
        return link

    def _accept(self):
        while self.proc.pending:
            self._take(self.proc.pending.pop(0))
        while self.proc.listener.waiting():
            self._take(self.proc.listener.accept(0))

    def link(self, index, seconds=3.0):
        """The index-th connection (0: the first), handshaken; None if it has not come and
        completed its handshake within the time."""
        self.wait(lambda: len(self.links) > index and self.links[index].handshaken(), seconds)
        if len(self.links) > index and self.links[index].handshaken():
            return self.links[index]
        return None

    def first(self, seconds=3.0):
        """The first connection, handshaken, or the case stops NOT-EXERCISED."""
        link = self.link(0, seconds)
        self.t.require(link, "no connection with a ZMTP handshake within %.0f s: %s" % (
            seconds, self.links[0].conn.describe() if self.links else "it did not connect"))
        return link

    def registered(self, link=None, seconds=3.0):
        """A worker's connection (the first by default) once its first MDP message is in,
        which must be READY, or the case stops NOT-EXERCISED."""
        link = link or self.first(seconds)
        self.wait(lambda: link.got or not link.open, seconds)
        self.t.require(link.got and link.got[0].command == "READY",
                       "%s: no READY within %.0f s of its handshake (it sent %s)"
                       % (link.label, seconds, names(link.got)))
        return link

    def next_registered(self, since, seconds):
        """The first connection after the first `since` whose first message is READY, or
        None within the time."""
        def found():
            return next((link for link in self.links[since:] if link.registered), None)
        self.wait(lambda: found() is not None, seconds)
        return found()

    def serving(self):
        """The newest open worker connection that is registered and not disconnected."""
        for link in reversed(self.links):
            if link.open and link.registered and not link.disconnected():
                return link
        return None

    # --- a client's requests ----------------------------------------------------------------------

    def ask(self, service=b"echo", body=(b"hello",), timeout_ms=3000, retries=0):
        ask = Ask(self, service, body, timeout_ms, retries)
        self.asks.append(ask)
        return ask

    def client_requests(self):
        """[(link, request)] of every REQUEST the client sent, in order of connection."""
        return [(link, g) for link in self.links for g in link.requests()]

    # --- time passes ------------------------------------------------------------------------------

    def keepalive_period(self):
        """How often the suite heartbeats a worker: half its interval (0.25 s if unknown)."""
        ms = self.proc.timers.get("heartbeat_ms")
        return ms / 2000.0 if ms else 0.25

    def pump(self):
        self._accept()
        now = time.monotonic()
        for link in self.links:
            if link.open:
                link.conn.pump(0)
                link.poll()
                link.tick(now)

    def wait(self, predicate, seconds):
        """Pumps every connection (keepalives included, new ones accepted) until predicate()
        holds (True) or the time (scaled) is up (then its last value)."""
        deadline = self.t.clock.deadline(seconds)
        while True:
            self.pump()
            if predicate():
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return bool(predicate())
            socks = [link.conn.sock for link in self.links if link.open]
            socks.append(self.proc.listener.sock)
            try:
                select.select(socks, [], [], min(left, 0.02))
            except (OSError, ValueError):
                time.sleep(min(left, 0.02))

    def quiet(self, seconds):
        """A fixed wait, for cases whose subject is time."""
        self.wait(lambda: False, seconds)

    # --- the record -------------------------------------------------------------------------------

    def log(self, link, direction, frames):
        self.t.messages.append(message_entry(
            self.t, link, direction, "%s %s" % (self.role, link.version), frames,
            "REQUEST" if direction == "in" else "REPLY"))

    def check(self, run):
        """After the case: every message the implementation sent decodes in its version and
        side, and a client's is a REQUEST; else a FAIL of the clause that binds it (or a
        report, where the codec names a rule of another role).  Returns the clauses."""
        self.pump()
        judged = []
        what = "every message a %s sends is a well-formed MDP %s %s message" % (
            self.role, self.version, self.side)
        for link in self.links:
            for got in (g for g in link.got if not g.judged):
                if got.error is not None:
                    judged.append(own_octets(run, self.role, got.error.clause, what,
                                             "%s: it sent %s: %s at frame %d" % (
                                                 link.label, words.frames(got.frames),
                                                 got.error.cls, got.error.offset)))
                elif self.role == "client" and got.command != "REQUEST":
                    clause = REQUEST_CLAUSE[self.version]
                    run.expect(clause, False, "a client sends REQUEST, and nothing else",
                               own_octets=True, happened="%s: it sent %s" % (
                                   link.label, describe(got.message)))
                    judged.append(clause)
        return judged


def names(got):
    """The commands of a list of Sent, in words: 'READY, 3 HEARTBEATs' or 'nothing'."""
    runs = []
    for g in got:
        name = g.command or "a malformed message"
        if runs and runs[-1][0] == name:
            runs[-1][1] += 1
        else:
            runs.append([name, 1])
    return ", ".join(n if k == 1 else "%d %ss" % (k, n) for n, k in runs) or "nothing"


def own_octets(t, role, clause, what, happened):
    """The implementation's own malformed message: a FAIL of `clause` where it binds the role
    (its Role column is the role, or `peer`); else reported, since the layout it broke is
    another role's.  Returns the clause."""
    if t.clause(clause).get("role") in (role, "peer"):
        t.expect(clause, False, what, own_octets=True, happened=happened)
    else:
        t.observe(clause, what + " (the layout it broke is the %s's: reported)"
                  % t.clause(clause).get("role"), happened=happened)
    return clause


def judge_sent(t, link, got, command, clause):
    """One message the implementation sent, judged as the sender of `command`: it decodes in
    its version and side (else the clause the codec names, own_octets) and is that command
    (else a FAIL of `clause`, the command's layout)."""
    got.judged = True
    what = "a well-formed MDP %s %s %s" % (link.version, link.side, command)
    if got.error is not None:
        own_octets(t, link.broker.role, got.error.clause, what, "it sent %s: %s at frame %d"
                   % (words.frames(got.frames), got.error.cls, got.error.offset))
        return False
    return t.expect(clause, got.command == command, what, own_octets=True,
                    happened="it sent %s" % describe(got.message, "REQUEST"))


def reported_unless_met(t, clause, met, what, happened=None):
    """What no keyword binds in this role (or only a zwire decision asks): met, a PASS; not
    met, reported (INFO), never judged."""
    if met:
        return t.expect(clause, True, what, happened=happened)
    t.observe(clause, what, happened=happened)
    return False


# --- time -----------------------------------------------------------------------------------------

def reconnect(t):
    """(seconds, declared): the worker's reconnect delay, or 2.5 s assumed (DECISIONS M14)."""
    ms = t.adapter.timers.get("reconnect_ms")
    return (ms / 1000.0, True) if ms else (ASSUMED_RECONNECT_MS / 1000.0, False)


# --- the robustness probes ----------------------------------------------------------------------

def _died(run):
    from .runner import _exited
    return _exited(run.adapter)


def probe_worker(run):
    """After hostile input: is the worker alive, and does it still answer a REQUEST on its
    connection (or on the one it makes next, after a reconnect)?  Returns (ROBUST_*, detail)."""
    if run.adapter.proc.poll() is not None:
        return V.ROBUST_DIED, "it exited with status %d" % run.adapter.proc.returncode
    broker = getattr(run, "mdp_broker", None) or Broker(run, judge=False)
    from .majordomo import expiry, interval
    seconds = reconnect(run)[0] + (expiry(run)[0] if interval(run) else 2.0) + 2.0
    broker.wait(lambda: broker.serving() is not None, seconds)
    link = broker.serving()
    if link is None:
        failed = "no connection of it was registered and open within %.1f s" % seconds
    else:
        since = len(link.got)
        link.request(b"probe", [b"robustness-probe"], "REQUEST (robustness probe)")
        broker.wait(lambda: link.finals(since=since) or not link.open, 2.0)
        if link.finals(since=since):
            return V.ROBUST_OK, "a REQUEST on %s was answered" % link.label
        failed = "a REQUEST on %s got no answer within 2 s (it sent %s)" % (
            link.label, names(link.got[-5:]))
    if _died(run):
        return V.ROBUST_DIED, "it exited with status %d (%s)" % (run.adapter.proc.returncode,
                                                                failed)
    return V.ROBUST_STOPPED, failed


def probe_client(run):
    """After hostile input: did the client live through it, and does a new request get
    answered?  Returns (ROBUST_*, detail)."""
    if run.adapter.proc.poll() is not None:
        return V.ROBUST_DIED, "the client adapter exited with status %d" % \
            run.adapter.proc.returncode
    if getattr(run, "client_died", None):
        return V.ROBUST_DIED, run.client_died
    broker = getattr(run, "mdp_broker", None) or Broker(run, judge=False)
    before = sum(len(link.requests()) for link in broker.links)
    ask = broker.ask(PROBE_SERVICE, [b"robustness-probe"], 2000, 0)
    answered = set()

    def serve():
        seen = 0
        for link in broker.links:
            for request in link.requests():
                seen += 1
                if seen > before and id(request) not in answered and link.open and \
                        request.message.service == PROBE_SERVICE:
                    answered.add(id(request))
                    link.reply(request, [b"probe-answer"])
        return ask.done
    try:
        broker.wait(serve, 4.0)
    except AdapterError as e:
        return V.ROBUST_DIED, str(e)
    if getattr(run, "client_died", None):
        return V.ROBUST_DIED, run.client_died
    if ask.outcome == "answered" and ask.frames[-1:] == [b"probe-answer"]:
        return V.ROBUST_OK, "a new request was made and its answer taken"
    if _died(run):
        return V.ROBUST_DIED, "the client adapter exited with status %d" % \
            run.adapter.proc.returncode
    return V.ROBUST_STOPPED, "a new request: %s%s" % (
        ask.describe(), "" if answered else "; no REQUEST for it reached the suite")


PROBES = {"worker": probe_worker, "client": probe_client}


# --- the cases ------------------------------------------------------------------------------------

def role_case(role, slug, area, title, clauses, versions=VERSIONS, timers=None,
              needs_timers=(), inputs=()):
    """Registers the decorated function as one case per MDP version (`<slug>.v01`,
    `<slug>.v02`), the implementation playing `role` (worker or client) and the suite the
    broker; clauses may hold `{v}` (01 or 02), or be a dict {version: [clauses]}.
    `timers`: the timers the case wants; `needs_timers`: those it cannot run without."""
    def register(fn):
        for version in versions:
            listed = clauses.get(version, []) if isinstance(clauses, dict) else clauses
            ids = [c.format(v=TAG[version]) for c in listed]
            case_ = Case("%s.v%s" % (slug, TAG[version]), None, fn, area,
                         "%s (MDP %s)" % (title, version), ids,
                         {"protocol": "mdp", "role": role, "mdp": [version],
                          "timers": sorted(needs_timers)}, inputs)
            case_.version, case_.timers = version, dict(timers or {})
            CASES.append(case_)
        return fn
    return register


def worker_case(*args, **kwargs):
    return role_case("worker", *args, **kwargs)


def client_case(*args, **kwargs):
    return role_case("client", *args, **kwargs)


# --- the golden vectors, as hostile input ---------------------------------------------------------

VECTOR_FILES = (("mdp01_test.json", (V01,)), ("mdp02_test.json", (V02,)),
                ("mdp_any_test.json", VERSIONS))
INPUT_CLASSES = ("MdpHeader", "MdpCommand", "MdpServiceName", "MdpDelimiter",
                 "MdpMissingFrame", "MdpExtraFrame")


class Vector:
    """One malformed message of vectors/mdp/*.json: its frames, the ids of the vectors that
    hold it, the first one's comment, their clauses and input class of spec/leniency.md."""

    def __init__(self, frames, ids, comment, clauses, input_class):
        self.frames, self.ids, self.comment = frames, ids, comment
        self.clauses, self.input_class = clauses, input_class

    def describe(self):
        return "%s %s (%s)" % (self.ids[0], words.frames(self.frames), self.comment)


def role_vectors(root, name, version, side):
    """The `acceptable` vectors of one file that a receiver of `version` and `side` must
    find malformed: those of groups of that side or of both, with one frame or more (a ZMTP
    message has one at least), fitting no layout of that version and side; one per distinct
    frame list, in file order."""
    with open(os.path.join(root, "vectors", "mdp", name)) as f:
        data = json.load(f)
    stem = name[:-len("_test.json")].replace("_", "")
    found = {}
    for group in data["testGroups"]:
        if group["params"].get("subprotocol") not in (side, "any"):
            continue
        for test in group["tests"]:
            frames = tuple(bytes.fromhex(x) for x in test["input"])
            if test["result"] != "acceptable" or not frames:
                continue
            try:
                M.decode(list(frames), version, side)
                continue
            except M.MdpError:
                pass
            klass = next(f for f in test["flags"] if f in INPUT_CLASSES)
            vector = found.setdefault(frames, Vector(list(frames), [], test["comment"], [],
                                                     klass))
            vector.ids.append("%s-%d" % (stem, test["tcId"]))
            vector.clauses += [c for c in test["clauses"] if c not in vector.clauses]
    return list(found.values())


def side_clauses(vectors, version, side, classes):
    """The clauses a vector case cites: its vectors' clauses of the receiver's version and
    sub-protocol (a worker's case leaves out MDP/Client's rows, a client's MDP/Worker's),
    and for each input class a row of spec/leniency.md that the rest leaves uncited (t.answer
    reports under the first of its row's clauses that the case cites)."""
    def ours(clause):
        client = ".client" in clause or "service-name" in clause
        return clause.startswith("mdp%s." % TAG[version]) and (
            client if side == CLIENT else ".client" not in clause)
    cited = []
    for vector in vectors:
        cited += [c for c in vector.clauses if c not in cited]
    clauses = [c for c in cited if ours(c)]
    for klass in classes:
        breaks = L.table()[klass].breaks
        if not set(breaks) & set(clauses):
            clauses.append(next((c for c in breaks if c in cited), breaks[0]))
    return clauses


def vector_cases(role, fn, root):
    """One case per vector file and version: `fn` sends every vector of the file to the
    implementation (role_vectors), each followed by what shows whether it still serves."""
    side = WORKER if role == "worker" else CLIENT
    for name, versions in VECTOR_FILES:
        for version in versions:
            vectors = role_vectors(root, name, version, side)
            if not vectors:
                continue
            stem = name[:-len("_test.json")].replace("_", "")
            classes = sorted({v.input_class for v in vectors})
            clauses = side_clauses(vectors, version, side, classes)
            case_ = Case("mdp.%s.vectors.%s.v%s" % (role, stem, TAG[version]), None, fn,
                         "mdp.%s.hostile" % role,
                         "Every malformed vector of %s a %s must refuse (%d messages), each "
                         "followed by a well-formed exchange (MDP %s)" % (
                             name, role, len(vectors), version),
                         clauses, {"protocol": "mdp", "role": role, "mdp": [version],
                                   "timers": []}, classes)
            case_.version, case_.vectors = version, vectors
            case_.timers = {"reconnect_ms": FAST["reconnect_ms"]} if role == "worker" else {}
            CASES.append(case_)
