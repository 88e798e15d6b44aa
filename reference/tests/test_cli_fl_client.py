"""`zwire fl client` as a person uses it: --help, bad invocations, one request
and --lines against servers played by pyzmq ROUTER sockets (identity = their
endpoint, set before bind: DECISIONS F1), the exit statuses 0 / 4 / 5,
failover when the first server never answers, stale replies discarded, and
every client variant of reference/flp/flp_fault.c visibly changing what the
client does on the wire.

Runs the binary named by ZWIRE (default build/bin/zwire).  The client's core
is unit-tested on a fake clock by reference/flp/tests/test_flp_client.c;
here only frames, order and identities are checked, never timings: the
protocol timers are short, and each server records what it was sent."""

import os
import pathlib
import socket
import subprocess
import threading

import pytest
import zmq

ROOT = pathlib.Path(__file__).resolve().parents[2]
ZWIRE = os.environ.get("ZWIRE", str(ROOT / "build" / "bin" / "zwire"))
FAST = ["--ping-interval", "100", "--timeout", "300"]


def free_endpoint():
    """A tcp endpoint on a port nobody listens on (bound by the OS, then let go)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return "tcp://127.0.0.1:%d" % s.getsockname()[1]


def client_env(fault=None, lenient=None):
    env = dict(os.environ)
    env.pop("ZWIRE_FAULT", None)
    env.pop("ZWIRE_LENIENT", None)
    if fault:
        env["ZWIRE_FAULT"] = fault
    if lenient:
        env["ZWIRE_LENIENT"] = lenient
    return env


def run(*args, stdin=None, fault=None, lenient=None, timeout=30):
    return subprocess.run([ZWIRE, "fl", "client", *args], input=stdin, capture_output=True,
                          text=True, timeout=timeout, env=client_env(fault, lenient))


class FakeServer(threading.Thread):
    """A Freelance server played by a pyzmq ROUTER whose identity is its endpoint.

    mode: "echo" (each request answered with its CCF and body), "silent" (pongs, never
    answers a request), "stale-first" (first a reply with another CCF, then the right
    one), "dead-pings" (answers nothing at all).  Every message is recorded as
    (routing id, frames)."""

    def __init__(self, mode="echo"):
        super().__init__(daemon=True)
        self.mode = mode
        self.endpoint = free_endpoint()
        self.received = []
        self.ready = threading.Event()
        self.stopping = threading.Event()
        self.start()
        assert self.ready.wait(10)

    def run(self):
        ctx = zmq.Context()
        router = ctx.socket(zmq.ROUTER)
        router.setsockopt(zmq.LINGER, 0)
        router.setsockopt(zmq.IDENTITY, self.endpoint.encode())    # before bind (F1)
        router.bind(self.endpoint)
        self.ready.set()
        try:
            while not self.stopping.is_set():
                if router.poll(50):
                    self.serve(router, router.recv_multipart())
        finally:
            router.close(0)
            ctx.term()

    def serve(self, router, message):
        peer, frames = message[0], message[1:]
        self.received.append((peer, frames))
        if self.mode == "dead-pings":
            return
        if frames in ([b"PING"], [b"ping"]):
            router.send_multipart([peer, b"PONG"])
        elif len(frames) >= 2 and self.mode == "echo":
            router.send_multipart([peer] + frames)
        elif len(frames) >= 2 and self.mode == "stale-first":
            router.send_multipart([peer, frames[0] + b"x", b"changed"])
            router.send_multipart([peer, b"0", b"earlier"])
            router.send_multipart([peer] + frames)

    def requests(self):
        """The requests received (two frames or more), as frame lists."""
        return [frames for _peer, frames in list(self.received) if len(frames) >= 2]

    def pings(self):
        return [frames for _peer, frames in list(self.received) if len(frames) == 1]

    def peers(self):
        return {peer for peer, _frames in list(self.received)}

    def mute(self):
        """From now on it answers nothing, pings included, but keeps its connections: a
        silent server, not a lost one (DECISIONS F18)."""
        self.mode = "dead-pings"

    def stop(self):
        self.stopping.set()
        self.join(10)


@pytest.fixture
def servers():
    started = []

    def make(mode="echo"):
        s = FakeServer(mode)
        started.append(s)
        return s
    yield make
    for s in started:
        s.stop()


def connect(*servers):
    return ["--connect", ",".join(s.endpoint for s in servers)]


def wait_for(condition, what):
    """Waits (bounded, only for a failing test) until condition() holds."""
    done = threading.Event()
    for _ in range(400):
        if condition():
            return
        done.wait(0.025)
    raise AssertionError("never happened: " + what)


def wait_pinged(*servers, count=2):
    """Until each server has had count pings: by then the client has had time to take its
    first pong, so it knows which servers are live (order, never timing, is checked)."""
    for s in servers:
        wait_for(lambda: len(s.pings()) >= count, "pings to " + s.endpoint)


class LinesClient:
    """`zwire fl client ... --lines` in the background: requests written, outcomes read."""

    def __init__(self, tmp_path, *args, fault=None, lenient=None):
        self.log = tmp_path / "client.err"
        self.proc = subprocess.Popen([ZWIRE, "fl", "client", *args, "--lines"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=open(self.log, "w"), text=True,
                                     env=client_env(fault, lenient))

    def ask(self, line):
        self.send(line)
        return self.outcome()

    def send(self, line):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def outcome(self):
        return self.proc.stdout.readline()          # flushed per line, or the test hangs

    def finish(self):
        """Ends the input; returns the exit status."""
        self.proc.stdin.close()
        code = self.proc.wait(30)
        self.proc.stdout.close()
        return code

    def stderr(self):
        return self.log.read_text()

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def lines_client(tmp_path):
    started = []

    def make(*args, **kwargs):
        c = LinesClient(tmp_path, *args, **kwargs)
        started.append(c)
        return c
    yield make
    for c in started:
        c.kill()


# --- --help and bad invocations ------------------------------------------------------------


def test_help():
    r = run("--help")
    assert r.returncode == 0 and r.stderr == ""
    for word in ("--connect", "--ping-interval", "--liveness", "--timeout", "--retries",
                 "--lines", "--quiet", "answered", "timed-out", "no-server", "error",
                 "Exit status", "DECISIONS"):
        assert word in r.stdout, word
    assert run("-h").stdout == r.stdout


@pytest.mark.parametrize("args", [
    [],
    ["x"],                                                  # no --connect
    ["--connect", "tcp://127.0.0.1:1"],                     # no FRAME, no --lines
    ["--connect", "tcp://127.0.0.1:1", "--lines", "x"],     # both
    ["--connect", "tcp://127.0.0.1:1", "--bogus", "x"],
    ["--connect", "tcp://127.0.0.1:1", "--timeout", "0", "x"],
    ["--connect", "tcp://127.0.0.1:1", "--timeout", "abc", "x"],
    ["--connect", "tcp://127.0.0.1:1", "--retries", "-1", "x"],
    ["--connect", "tcp://127.0.0.1:1", "--liveness", "0", "x"],
    ["--connect", "tcp://127.0.0.1:1", "--ping-interval", "0", "x"],
    ["--connect", "tcp://127.0.0.1:1", "--timeout"],
    ["--connect"],
    ["--connect", "tcp://127.0.0.1:1,,tcp://127.0.0.1:2", "x"],
    ["--connect", "tcp://127.0.0.1:1", "--connect", "tcp://127.0.0.1:1", "x"],
    ["--connect", "nonsense://x", "x"],
])
def test_bad_invocation(args):
    r = run(*args)
    assert r.returncode == 3, r.stderr
    assert r.stdout == "" and r.stderr.startswith("zwire fl client: ")


# --- one request ------------------------------------------------------------------------------


def test_one_shot_answered(servers):
    """Each FRAME one frame of the body ("" empty); each reply frame on its own line; exit 0.
    The request is the CCF "1" then the body (flp.grammar.request, DECISIONS F16), after
    a PING (flp.grammar.ping)."""
    a = servers()
    r = run(*connect(a), *FAST, "hello", "", "world")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "hello\n\nworld\n"
    assert a.requests() == [[b"1", b"hello", b"", b"world"]]
    assert [b"PING"] in a.pings()


def test_one_shot_two_servers(servers):
    """--connect repeated and comma lists alike; one server answers, once."""
    a, b, c = servers(), servers(), servers()
    r = run("--connect", a.endpoint + "," + b.endpoint, "--connect", c.endpoint, *FAST, "x")
    assert r.returncode == 0 and r.stdout == "x\n", r.stderr
    assert sorted(len(s.requests()) for s in (a, b, c)) == [0, 0, 1]


def test_one_shot_no_identity(servers):
    """flp.client.no-identity: the server's ROUTER sees an identity it made up itself
    (pyzmq's start with a zero octet), never one the client set (DECISIONS F8)."""
    a = servers()
    assert run(*connect(a), *FAST, "x").returncode == 0
    assert all(peer[:1] == b"\x00" for peer in a.peers())


def test_failover_when_first_never_answers(servers, lines_client):
    """DECISIONS F14: the first live server in the order given gets the request; with no
    reply within the timeout the next one gets it, the same CCF; its reply answers."""
    silent, echo = servers("silent"), servers()
    client = lines_client(*connect(silent, echo), *FAST)
    wait_pinged(silent, echo)
    assert client.ask("71") == "answered 71\n"
    assert client.finish() == 0
    assert silent.requests() == [[b"1", b"q"]] and echo.requests() == [[b"1", b"q"]]
    assert "no reply from %s" % silent.endpoint in client.stderr()


def test_one_shot_first_server_dead(servers):
    """The first server given is not there at all: the one that is answers; exit 0."""
    echo = servers()
    r = run("--connect", free_endpoint() + "," + echo.endpoint, *FAST, "q")
    assert r.returncode == 0 and r.stdout == "q\n", r.stderr
    assert echo.requests() == [[b"1", b"q"]]


def test_timed_out(servers):
    """Servers that pong but never answer: every attempt, then exit 4, the log naming the
    servers tried (DECISIONS F14)."""
    a, b = servers("silent"), servers("silent")
    r = run(*connect(a, b), *FAST, "--retries", "2", "q")
    assert r.returncode == 4, r.stderr
    assert r.stdout == ""
    assert len(a.requests()) + len(b.requests()) == 3
    assert all(f == [b"1", b"q"] for f in a.requests() + b.requests())
    assert "timed out" in r.stderr and "tried tcp://" in r.stderr


def test_no_server():
    """Nothing listening: no server live within liveness x interval, nothing sent; exit 5
    (DECISIONS F15)."""
    r = run("--connect", free_endpoint(), "--ping-interval", "50", "--liveness", "2", "q")
    assert r.returncode == 5, r.stderr
    assert r.stdout == "" and "no server" in r.stderr


def test_no_server_when_none_pongs(servers):
    """A server that is up but answers no ping is not live (flp.client.server-disconnected,
    DECISIONS F17): the request is never sent to it."""
    mute = servers("dead-pings")
    r = run(*connect(mute), "--ping-interval", "50", "--liveness", "2", "q")
    assert r.returncode == 5, r.stderr
    assert mute.requests() == [] and mute.pings()


def test_stale_replies_discarded(servers):
    """DECISIONS F9: a reply whose CCF the server changed and one with an earlier CCF are
    discarded and logged; only the reply carrying the request's CCF is printed."""
    a = servers("stale-first")
    r = run(*connect(a), *FAST, "q")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "q\n"
    assert r.stderr.count("discarded") == 2


def test_quiet(servers):
    silent, echo = servers("silent"), servers()
    r = run(*connect(silent, echo), *FAST, "--quiet", "q")
    assert r.returncode == 0 and r.stdout == "q\n" and r.stderr == ""


# --- --lines ---------------------------------------------------------------------------------------


def test_lines(servers):
    """One request per line, hex frames, '-' empty; one outcome line each; the CCFs run on
    across the lines (DECISIONS F16); a line that is not hex is an error line, and the
    client goes on; exit 0 at the end of input."""
    a = servers()
    stdin = "68656c6c6f\n6869 - 00ff\nzz\n6f6464 0\n-\n"
    r = run(*connect(a), *FAST, "--lines", stdin=stdin)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "answered 68656c6c6f"
    assert lines[1] == "answered 6869 - 00ff"
    assert lines[2].startswith("error ") and lines[3].startswith("error ")
    assert lines[4] == "answered -"
    assert len(lines) == 5
    assert [f[0] for f in a.requests()] == [b"1", b"2", b"3"]


def test_lines_failover_and_timed_out(servers, lines_client):
    """--lines on the same socket: a request answered after failover, then, the answering
    server gone, timed-out; each on its line, in order; exit 0 at the end of input."""
    silent, echo = servers("silent"), servers()
    client = lines_client(*connect(silent, echo), *FAST, "--retries", "1")
    wait_pinged(silent, echo)
    assert client.ask("61") == "answered 61\n"
    echo.stop()
    assert client.ask("62") == "timed-out\n"
    assert client.finish() == 0
    # the second request's attempts: the silent server first, then the other if it was
    # still live, else the silent one again (DECISIONS F14)
    ccfs = [f[0] for f in silent.requests()]
    assert ccfs[0] == b"1" and ccfs[1] == b"2" and set(ccfs[1:]) == {b"2"}
    assert "request 2 timed out" in client.stderr()


def test_lines_no_server():
    r = run("--connect", free_endpoint(), "--ping-interval", "50", "--liveness", "2",
            "--lines", stdin="61\n62\n")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "no-server\nno-server\n"


# --- the client's variants (reference/flp/flp_fault.c) -----------------------------------------------


def test_fault_identity(servers):
    """flp-client-identity breaks flp.client.no-identity: the server sees it."""
    a = servers()
    assert run(*connect(a), *FAST, "x", fault="flp-client-identity").returncode == 0
    assert a.peers() == {b"flp-client"}


def test_fault_ping_lowercase(servers):
    """flp-client-ping-lowercase breaks flp.grammar.ping (this server pongs it anyway)."""
    a = servers()
    assert run(*connect(a), *FAST, "x", fault="flp-client-ping-lowercase").returncode == 0
    assert [b"ping"] in a.pings() and [b"PING"] not in a.pings()


def test_fault_request_no_body(servers):
    """flp-client-request-no-body breaks flp.grammar.request: the CCF alone."""
    a = servers()
    r = run(*connect(a), *FAST, "--retries", "0", "x", fault="flp-client-request-no-body")
    assert r.returncode == 4
    assert [b"1"] in a.pings()                  # one frame, recorded beside the pings


def test_fault_stale_reply(servers):
    """flp-client-stale-reply hands over the first reply, whatever its CCF (F9)."""
    a = servers("stale-first")
    r = run(*connect(a), *FAST, "q", fault="flp-client-stale-reply")
    assert r.returncode == 0 and r.stdout == "changed\n"


def test_fault_dealer(servers, lines_client):
    """flp-client-dealer breaks flp.peer.router: a DEALER per server, failing over as the
    ROUTER does."""
    silent, echo = servers("silent"), servers()
    client = lines_client(*connect(silent, echo), *FAST, fault="flp-client-dealer")
    wait_pinged(silent, echo)
    assert client.ask("71") == "answered 71\n"
    assert client.finish() == 0
    assert silent.requests() == [[b"1", b"q"]] and echo.requests() == [[b"1", b"q"]]


def test_fault_no_liveness(servers, lines_client):
    """flp-client-no-liveness breaks flp.client.server-disconnected: a server gone silent
    stays live, so a request still goes to it first and waits out a timeout."""
    gone, echo = servers(), servers()
    args = (*connect(gone, echo), "--ping-interval", "100", "--liveness", "2", "--timeout", "300")
    client = lines_client(*args, fault="flp-client-no-liveness")
    wait_pinged(gone, echo)
    assert client.ask("61") == "answered 61\n"
    gone.stop()
    wait_pinged(echo, count=len(echo.pings()) + 6)      # 3 intervals: gone, were it judged
    assert client.ask("62") == "answered 62\n"
    assert client.finish() == 0
    assert "no reply from %s" % gone.endpoint in client.stderr()
    assert "is gone" not in client.stderr()
    assert echo.requests() == [[b"2", b"b"]]


def test_liveness_judged(servers, lines_client):
    """The control for the fault above: without it the silent server is gone after
    liveness intervals, and the next request goes straight to the other."""
    gone, echo = servers(), servers()
    client = lines_client(*connect(gone, echo), "--ping-interval", "100", "--liveness", "2",
                          "--timeout", "300")
    wait_pinged(gone, echo)
    assert client.ask("61") == "answered 61\n"
    gone.mute()
    said = "%s is gone: no pong or reply for 2 ping intervals of 100 ms" % gone.endpoint
    wait_for(lambda: said in client.stderr(), "the silent server taken for gone")
    assert client.ask("62") == "answered 62\n"
    assert client.finish() == 0
    assert "no reply from" not in client.stderr()
    assert echo.requests() == [[b"2", b"b"]]


def test_lost_connection_fails_over(servers, lines_client):
    """DECISIONS F18: the server asked goes away (its connection closes) with the request
    outstanding: it is gone at once, and the request goes to the other server without
    waiting out its timeout (60 s here: the answer comes, so it was not waited out)."""
    asked, other = servers("silent"), servers()
    client = lines_client(*connect(asked, other), "--ping-interval", "100", "--timeout", "60000")
    wait_pinged(asked, other)
    client.send("71")
    wait_for(lambda: asked.requests() == [[b"1", b"q"]], "the request at the first server")
    asked.stop()
    assert client.outcome() == "answered 71\n"
    assert client.finish() == 0
    assert "%s is gone: its connection was lost" % asked.endpoint in client.stderr()
    assert other.requests() == [[b"1", b"q"]] and "within 60000 ms" not in client.stderr()


def test_lenient_no_ping(servers):
    """flp-client-no-ping (lenient, flp.client.ping-interval is a MAY): no ping at all;
    every server taken for live; failover by timeout."""
    a = servers()
    r = run(*connect(a), *FAST, "x", lenient="flp-client-no-ping")
    assert r.returncode == 0 and r.stdout == "x\n", r.stderr
    assert a.pings() == []


def test_lenient_ccf_random(servers):
    """flp-client-ccf-random (lenient): 8 octets per request, still matched."""
    a = servers()
    r = run(*connect(a), *FAST, "--lines", stdin="61\n62\n", lenient="flp-client-ccf-random")
    assert r.returncode == 0 and r.stdout == "answered 61\nanswered 62\n", r.stderr
    ccfs = [f[0] for f in a.requests()]
    assert len(ccfs) == 2 and all(len(c) == 8 for c in ccfs) and ccfs[0] != ccfs[1]


def test_lenient_liveness_two(servers, lines_client):
    """flp-client-liveness-two (lenient): gone after 2 silent intervals, whatever --liveness."""
    a = servers()
    client = lines_client(*connect(a), "--ping-interval", "50", "--liveness", "5", "--timeout",
                          "300", lenient="flp-client-liveness-two")
    assert client.ask("61") == "answered 61\n"
    a.mute()
    wait_for(lambda: "is gone" in client.stderr(), "the silent server taken for gone")
    assert client.finish() == 0
    assert "no pong or reply for 2 ping intervals of 50 ms" in client.stderr()
