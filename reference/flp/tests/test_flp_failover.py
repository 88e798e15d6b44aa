"""Failover of the reference Freelance client (issue 13, item 7).

Three `zwire fl server` processes (A, B, C), each with `--exec` running a command that puts
its name before the body ("B:" + body), so every answer says who gave it; one
`zwire fl client --lines` connected to all three, with short timers (ping every 100 ms,
3 silent intervals, 300 ms a try, 6 retries), driven through its --lines protocol one
request at a time; every request has a body of its own.

The normal failover (`test_failover`): after some answers the server in use (the one
that gave the last answer) is killed with SIGKILL, with a request in flight; requests go
on; it is started again on its endpoint; the server in use is killed again, then a second
one, so that one is left; finally the last one too (no server at all), then one again.

What must hold:
  - every request gets its own answer (the body after the prefix is its own body: the
    server echoed the CCF unchanged, flp.server.reply-ccf, and the client handed over only
    the reply carrying its request's CCF, flp.client.ccf-any-use, DECISIONS F9) or an
    explicit `timed-out` / `no-server` line; never another request's answer, never an
    `error` line, never silence;
  - 0 requests lost (timed-out or no-server) while at least one server lives: a try lost
    with a killed server is retried on another after the 300 ms timeout, and a server
    silent for 3 ping intervals is taken for gone (flp.client.server-disconnected,
    DECISIONS F6), with 6 retries to spare;
  - with no server at all, every request ends in `timed-out` or `no-server`; once one is
    back, requests are answered again.

The slow server (`test_slow_server`): A answers every request after 0.5 s, longer than
the client's 300 ms timeout, while it answers pings at once (it stays live): each try to A
times out and goes to the next server, and A's late replies reach the client while it
waits for later requests. Each must be discarded (F9): every request gets its own answer.

The time from each kill to the next answered request is printed, never asserted (timers
depend on the machine). Run by `make flp-failover` (part of `make check`), with the plain
and the ASan + UBSan build; ZWIRE names the zwire binary.
"""

import os
import select
import signal
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
ZWIRE = os.environ.get("ZWIRE", str(ROOT / "build" / "bin" / "zwire"))
NAMES = ["A", "B", "C"]
PING_MS, LIVENESS, TIMEOUT_MS, RETRIES = 100, 3, 300, 6
TIMERS = ["--ping-interval", str(PING_MS), "--liveness", str(LIVENESS),
          "--timeout", str(TIMEOUT_MS), "--retries", str(RETRIES)]
# The longest one request may take: every try timed out, with slack for a loaded machine.
OUTCOME_SECONDS = (RETRIES + 1) * TIMEOUT_MS / 1000.0 + 10
READY_SECONDS = 10


def free_port():
    """A TCP port of 127.0.0.1 that nothing listens on now (the kernel's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(port, pid):
    """True if process pid listens on 127.0.0.1:port (read from /proc: no connection made;
    a neighbour that took the port first does not count)."""
    wanted = ":%04X" % port
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1].endswith(wanted) and fields[3] == "0A":
            inodes.add("socket:[%s]" % fields[9])
    if not inodes:
        return False
    try:
        fds = os.listdir("/proc/%d/fd" % pid)
    except OSError:
        return False
    for fd in fds:
        try:
            if os.readlink("/proc/%d/fd/%s" % (pid, fd)) in inodes:
                return True
        except OSError:
            pass
    return False


class Server:
    """One `zwire fl server` whose answers start with its name."""

    def __init__(self, name, tmp_path, delay=0.0):
        self.name, self.tmp_path, self.delay = name, tmp_path, delay
        self.proc = None
        self.port = None
        self.starts = 0

    @property
    def endpoint(self):
        return "tcp://127.0.0.1:%d" % self.port

    def start(self):
        """Starts it (again, on its endpoint); returns once it listens."""
        first = self.port is None
        for attempt in range(5):
            if first:
                self.port = free_port()     # a first start may lose its port to a neighbour
            command = ("sleep %g; " % self.delay if self.delay else "") \
                + "printf '%s:'; cat" % self.name
            self.starts += 1
            log = open(self.log_path(), "w")
            self.proc = subprocess.Popen([ZWIRE, "fl", "server", "--bind", self.endpoint,
                                          "--exec", command],
                                         stdout=log, stderr=log, stdin=subprocess.DEVNULL)
            log.close()
            deadline = time.monotonic() + READY_SECONDS
            while time.monotonic() < deadline and self.proc.poll() is None:
                if listening(self.port, self.proc.pid):
                    return
                time.sleep(0.01)
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError("server %s did not listen on %s within %d s"
                                     % (self.name, self.endpoint, READY_SECONDS))
            time.sleep(0.2)                 # its port was taken: another, or wait for it
        raise AssertionError("server %s could not bind %s: %s" % (
            self.name, self.endpoint, self.last_log()))

    def log_path(self):
        return self.tmp_path / ("server-%s-%d.log" % (self.name, self.starts))

    def last_log(self):
        text = self.log_path().read_text()
        return text.strip().splitlines()[-1] if text.strip() else "it said nothing"

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        """SIGTERM; its exit status (the contract: 0 on SIGTERM)."""
        if self.proc.poll() is not None:
            return None         # killed by the test
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return "hung"


class Client:
    """`zwire fl client --lines`, one request at a time; every outcome checked."""

    def __init__(self, servers, tmp_path):
        self.log_path = tmp_path / "client.log"
        log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [ZWIRE, "fl", "client", "--connect", ",".join(s.endpoint for s in servers)]
            + TIMERS + ["--lines"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log)
        log.close()
        self.buffer = b""
        self.seq = 0
        self.answers = {}           # server name -> count
        self.lost = {}              # "timed-out" / "no-server" -> count
        self.problems = []
        self.last_server = None
        self.answered_at = None     # when the last answer came

    def send(self):
        """Writes the next request (a body of its own); returns it."""
        self.seq += 1
        body = b"request %d of the failover test" % self.seq
        self.proc.stdin.write(body.hex().encode() + b"\n")
        self.proc.stdin.flush()
        return body

    def line(self, seconds):
        deadline = time.monotonic() + seconds
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or self.proc.poll() is not None and not \
                    select.select([self.proc.stdout], [], [], 0)[0]:
                return None
            if select.select([self.proc.stdout], [], [], left)[0]:
                chunk = os.read(self.proc.stdout.fileno(), 4096)
                if not chunk:
                    return None
                self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.decode("ascii", "replace")

    def outcome(self, body):
        """Reads the outcome of the request whose body is body; checks it; returns the name
        of the server that answered, "timed-out", "no-server", or None (a problem)."""
        line = self.line(OUTCOME_SECONDS)
        now = time.monotonic()
        if line is None:
            self.problems.append("request %d: no outcome within %.0f s (client %s): %s" % (
                self.seq, OUTCOME_SECONDS,
                "exited %s" % self.proc.returncode if self.proc.poll() is not None
                else "running", self.log_tail()))
            raise AssertionError(self.problems[-1])
        words = line.split(" ")
        if words[0] in ("timed-out", "no-server") and len(words) == 1:
            self.lost[words[0]] = self.lost.get(words[0], 0) + 1
            return words[0]
        if words[0] != "answered" or len(words) < 2:
            self.problems.append("request %d: not an outcome line: %r" % (self.seq, line))
            return None
        try:
            reply = b"".join(b"" if w == "-" else bytes.fromhex(w) for w in words[1:])
        except ValueError:
            self.problems.append("request %d: a frame that is not hex: %r" % (self.seq, line))
            return None
        name, _, echoed = reply.partition(b":")
        if echoed != body or name.decode("ascii", "replace") not in NAMES:
            self.problems.append("request %d (%r) got another answer: %r"
                                 % (self.seq, body, reply))
            return None
        name = name.decode()
        self.answers[name] = self.answers.get(name, 0) + 1
        self.last_server = name
        self.answered_at = now
        return name

    def call(self):
        return self.outcome(self.send())

    def log_tail(self):
        text = self.log_path.read_text().strip()
        return " / ".join(text.splitlines()[-3:]) if text else "it logged nothing"

    def close(self):
        """End of input: the client exits 0 once the last outcome is written."""
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                return self.proc.wait(timeout=OUTCOME_SECONDS)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                return "hung"
        return self.proc.returncode


def kill_in_flight(client, server, report, what):
    """Sends a request, kills server (SIGKILL) while it is in flight, and reads on until the
    next answer; records the time from the kill to it.  Returns the outcomes."""
    body = client.send()
    time.sleep(0.002)               # the request reaches the server, or its command
    server.kill()
    killed = time.monotonic()
    outcomes = [client.outcome(body)]
    while outcomes[-1] in ("timed-out", "no-server"):
        outcomes.append(client.call())
    if outcomes[-1] in NAMES:
        report.append("%s: %s killed, next answer (by %s) %.0f ms later" % (
            what, server.name, outcomes[-1], (client.answered_at - killed) * 1000))
    return outcomes


def run_for(client, seconds):
    """Requests one after another for about seconds; the outcomes."""
    end = time.monotonic() + seconds
    outcomes = []
    while time.monotonic() < end:
        outcomes.append(client.call())
    return outcomes


def in_use(client, servers):
    return next(s for s in servers if s.name == client.last_server)


def abandon(client, servers):
    """A test that failed: stop every process, say nothing more."""
    for p in [client.proc] + [s.proc for s in servers if s.proc]:
        if p.poll() is None:
            p.kill()
            p.wait()


def finish(client, servers, report):
    status = client.close()
    stops = {s.name: s.stop() for s in servers}
    print()
    for line in report:
        print("  " + line)
    print("  %d requests: answered by server %s; ended timed-out / no-server %s"
          % (client.seq, client.answers, client.lost or "never"))
    assert not client.problems, client.problems[:5]
    assert status == 0, "the client exited %s at the end of its input: %s" % (
        status, client.log_tail())
    for name, stop in stops.items():
        assert stop in (0, None), "server %s exited %s on SIGTERM" % (name, stop)


def test_failover(tmp_path):
    servers = [Server(n, tmp_path) for n in NAMES]
    for s in servers:
        s.start()
    client = Client(servers, tmp_path)
    report = []
    try:
        # All up: the first requests (the client may wait for its first pongs).
        warm = [client.call() for _ in range(30)]
        assert not client.lost, "requests lost with every server up: %s" % warm
        report.append("all up: the first 30 answered by %s" % sorted(set(warm)))

        # 1. The server in use dies with a request in flight; the others answer.
        first = in_use(client, servers)
        steady = kill_in_flight(client, first, report, "kill 1")
        steady += run_for(client, 1.0)
        assert first.name not in steady[1:], "the killed server %s answered" % first.name

        # 2. It comes back on its endpoint; requests go on (to whichever live server).
        first.start()
        back = run_for(client, 1.5)
        report.append("%s restarted: the next %d answered by %s" % (
            first.name, len(back), sorted(set(back))))

        # 3. The server in use dies again, then a second one: one is left.
        second = in_use(client, servers)
        kill_in_flight(client, second, report, "kill 2")
        run_for(client, 0.5)
        third = in_use(client, servers)
        kill_in_flight(client, third, report, "kill 3")
        left = run_for(client, 1.0)
        survivor = [s for s in servers if s.proc.poll() is None]
        assert len(survivor) == 1
        assert set(left) <= {survivor[0].name}, left
        # Every request so far: answered, none lost (at least one server was up throughout).
        assert not client.lost, "requests lost while a server was up: %s" % client.lost

        # 4. No server at all: explicit outcomes, never an answer.
        survivor[0].kill()
        dead = [client.call() for _ in range(3)]
        assert all(o in ("timed-out", "no-server") for o in dead), dead
        report.append("no server: %s" % dead)

        # 5. One back: answered again (it may take the client a ping or a retry to notice).
        survivor[0].start()
        started = time.monotonic()
        revived = [client.call() for _ in range(5)]
        while revived[-1] != survivor[0].name and time.monotonic() - started < 10:
            revived.append(client.call())
        assert revived[-1] == survivor[0].name, revived
        report.append("%s restarted: answered after %d request(s), %.0f ms" % (
            survivor[0].name, revived.index(survivor[0].name) + 1,
            (client.answered_at - started) * 1000))
    except BaseException:
        abandon(client, servers)
        raise
    finish(client, servers, report)


def test_slow_server(tmp_path):
    # A is slower than the client's timeout, first in --connect order, and live (it answers
    # pings while its command runs): every request tries A first.
    servers = [Server("A", tmp_path, delay=0.5)] + [Server(n, tmp_path) for n in NAMES[1:]]
    for s in servers:
        s.start()
    client = Client(servers, tmp_path)
    report = []
    try:
        outcomes = [client.call() for _ in range(12)]
    except BaseException:
        abandon(client, servers)
        raise
    discarded = sum(1 for line in client.log_path.read_text().splitlines()
                    if "discard" in line.lower())
    report.append("A slow (0.5 s, the timeout 300 ms): answers by %s; %d late replies "
                  "discarded (the client's log)" % (outcomes, discarded))
    finish(client, servers, report)
    # B and C were up throughout: nothing lost, every answer its request's own (finish).
    assert all(o in NAMES for o in outcomes), outcomes
