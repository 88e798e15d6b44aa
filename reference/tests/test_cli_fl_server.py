"""`zwire fl server` as a person uses it: --help, bad invocations, --echo and
--exec round trips with a pyzmq ROUTER client (no identity, as 10/FLP's
clients are), malformed messages survived while another client is served,
every server variant of reference/flp/flp_fault.c visibly changing what the
server does, and SIGTERM / SIGINT.

Runs the binary named by ZWIRE (default build/bin/zwire).  The server's core
is unit-tested by reference/flp/tests/test_flp_server.c; here only frames,
order and identities are checked, never timings: a client waits for the
handshake by sending with ROUTER_MANDATORY until the server's identity is
routable, and a busy --exec command waits for a file the test creates."""

import os
import pathlib
import signal
import socket
import subprocess
import time

import pytest
import zmq

ROOT = pathlib.Path(__file__).resolve().parents[2]
ZWIRE = os.environ.get("ZWIRE", str(ROOT / "build" / "bin" / "zwire"))
WAIT_MS = 5000


def run(*args, timeout=20):
    return subprocess.run([ZWIRE, "fl", "server", *args], capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture
def ctx():
    context = zmq.Context()
    yield context
    context.destroy(linger=0)


class Server:
    """`zwire fl server` in the background; stderr to a file, the bound endpoint read."""

    def __init__(self, tmp_path, *args, fault=None, lenient=None):
        self.log = tmp_path / "server.err"
        env = dict(os.environ)
        env.pop("ZWIRE_FAULT", None)
        env.pop("ZWIRE_LENIENT", None)
        if fault:
            env["ZWIRE_FAULT"] = fault
        if lenient:
            env["ZWIRE_LENIENT"] = lenient
        self.proc = subprocess.Popen([ZWIRE, "fl", "server", *args], stdout=subprocess.PIPE,
                                     stderr=open(self.log, "w"), text=True, env=env)
        line = self.proc.stdout.readline().split()
        assert line and line[0] == "bound", self.stderr()
        self.endpoint = line[1]

    def stop(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        code = self.proc.wait(timeout=20)
        self.proc.stdout.close()
        return code

    def stderr(self):
        return self.log.read_text()

    def wait_log(self, text):
        deadline = time.monotonic() + WAIT_MS / 1000
        while text not in self.stderr():
            assert time.monotonic() < deadline, "never logged %r:\n%s" % (text, self.stderr())
            time.sleep(0.02)


@pytest.fixture
def servers():
    started = []
    yield started
    for s in started:
        if s.proc.poll() is None:
            s.proc.kill()
            s.proc.wait()
        s.proc.stdout.close()


def server(tmp_path, servers, *args, **variants):
    s = Server(tmp_path, *args, **variants)
    servers.append(s)
    return s


def ipc(tmp_path):
    return "ipc://%s/server.sock" % tmp_path


def free_tcp_endpoint():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return "tcp://127.0.0.1:%d" % port


class Client:
    """A FLP client: a ROUTER socket with no identity (flp.client.no-identity)."""

    def __init__(self, ctx, endpoint):
        self.socket = ctx.socket(zmq.ROUTER)
        self.socket.setsockopt(zmq.ROUTER_MANDATORY, 1)
        self.socket.connect(endpoint)

    def send(self, identity, *frames, wait=True):
        """Sends once the identity is routable (the handshake is over); False if it never is."""
        deadline = time.monotonic() + (WAIT_MS / 1000 if wait else 0)
        while True:
            try:
                self.socket.send_multipart([identity, *frames])
                return True
            except zmq.ZMQError as e:
                if e.errno != zmq.EHOSTUNREACH or time.monotonic() >= deadline:
                    if e.errno == zmq.EHOSTUNREACH:
                        return False
                    raise
                time.sleep(0.01)

    def recv(self):
        assert self.socket.poll(WAIT_MS), "nothing from the server"
        return self.socket.recv_multipart()

    def recv_frames(self):
        """The frames with their metadata (zmq_msg_gets: Socket-Type, Identity)."""
        assert self.socket.poll(WAIT_MS), "nothing from the server"
        return self.socket.recv_multipart(copy=False)


def client(ctx, endpoint):
    return Client(ctx, endpoint)


# --- the command line ------------------------------------------------------------------

def test_help_names_every_option():
    r = run("--help")
    assert r.returncode == 0
    for word in ("--bind", "--identity", "--echo", "--exec", "--queue-limit", "--quiet", "PING",
                 "PONG", "F1", "F5", "F10", "F11", "ZWIRE_FAULT", "SIGTERM"):
        assert word in r.stdout


def test_zwire_fl_lists_the_server():
    r = subprocess.run([ZWIRE, "fl"], capture_output=True, text=True, timeout=20)
    assert "fl server" in r.stdout + r.stderr


@pytest.mark.parametrize("args, message", [
    ((), "--bind ENDPOINT"),
    (("--echo",), "--bind ENDPOINT"),
    (("--bind",), "--bind needs an endpoint"),
    (("--bind", "ipc:///tmp/x.sock"), "one of --echo and --exec"),
    (("--bind", "ipc:///tmp/x.sock", "--echo", "--exec", "cat"), "one of --echo and --exec"),
    (("--bind", "tcp://*:5555", "--echo"), "a wildcard host"),
    (("--bind", "tcp://0.0.0.0:5555", "--echo"), "--identity ID"),
    (("--bind", "tcp://127.0.0.1:0", "--echo"), "port 0"),
    (("--bind", "ipc:///tmp/x.sock", "--echo", "--identity", ""), "1 to 255 octets"),
    (("--bind", "ipc:///tmp/x.sock", "--echo", "--identity", "x" * 256), "1 to 255 octets"),
    (("--bind", "ipc:///tmp/x.sock", "--echo", "--queue-limit", "0"), "whole number"),
    (("--bind", "ipc:///tmp/x.sock", "--echo", "--nope"), "unknown option '--nope'"),
    (("--bind", "ipc:///tmp/x.sock", "--echo", "stray"), "unknown word 'stray'"),
    (("--bind", "udp://127.0.0.1:5555", "--echo"), "cannot bind"),
])
def test_bad_invocations_exit_3_with_a_reason(args, message):
    r = run(*args)
    assert r.returncode == 3
    assert message in r.stderr
    assert r.stderr.startswith("zwire fl server: ")


# --- --echo ----------------------------------------------------------------------------

def test_identity_is_the_endpoint_and_the_socket_a_router(ctx, tmp_path, servers):
    """flp.server.identity (F1), flp.peer.router, flp.server.pong: the READY of the server
    says ROUTER and its endpoint, and that endpoint routes a PING to it."""
    s = server(tmp_path, servers, "--bind", ipc(tmp_path), "--echo")
    identity = s.endpoint.encode()
    c = client(ctx, s.endpoint)
    assert c.send(identity, b"PING")
    frames = c.recv_frames()
    assert [f.bytes for f in frames] == [identity, b"PONG"]
    assert frames[1].get("Socket-Type") == "ROUTER"
    assert frames[1].get("Identity") == s.endpoint
    assert s.stop() == 0
    log = s.stderr()
    assert "serving on %s as identity '%s'" % (s.endpoint, s.endpoint) in log
    assert "stopped: 1 pings, 1 pongs, 0 requests" in log


def test_tcp_endpoint_spelled_as_given(ctx, tmp_path, servers):
    """F1: tcp://127.0.0.1:PORT, octet for octet."""
    endpoint = free_tcp_endpoint()
    s = server(tmp_path, servers, "--bind", endpoint, "--echo")
    assert s.endpoint == endpoint
    c = client(ctx, endpoint)
    assert c.send(endpoint.encode(), b"1", b"hi")
    assert c.recv() == [endpoint.encode(), b"1", b"hi"]
    assert s.stop() == 0


def test_port_0_with_an_identity(ctx, tmp_path, servers):
    """F1: a port the system picks needs the identity given; clients route to that."""
    s = server(tmp_path, servers, "--bind", "tcp://127.0.0.1:0", "--identity", "server-a",
               "--echo")
    assert s.endpoint.startswith("tcp://127.0.0.1:") and not s.endpoint.endswith(":0")
    c = client(ctx, s.endpoint)
    assert c.send(b"server-a", b"PING")
    assert c.recv() == [b"server-a", b"PONG"]
    assert s.stop() == 0


@pytest.mark.parametrize("ccf", [b"", b"\x00\xff\x01PING", bytes(range(255)), b"PING", b"7"])
def test_request_echoed_with_its_ccf_unchanged(ctx, tmp_path, servers, ccf):
    """flp.server.reply-ccf, flp.grammar.reply, F3, F4: any CCF comes back octet for octet,
    then the body, empty frames included."""
    s = server(tmp_path, servers, "--bind", ipc(tmp_path), "--echo")
    identity = s.endpoint.encode()
    c = client(ctx, s.endpoint)
    body = [b"one", b"", b"\x00\x01three", b""]
    assert c.send(identity, ccf, *body)
    assert c.recv() == [identity, ccf, *body]
    assert s.stop() == 0
    assert "stopped: 0 pings, 0 pongs, 1 requests, 1 replies, 0 invalid, 0 dropped" in s.stderr()


def test_malformed_survived_while_another_client_is_served(ctx, tmp_path, servers):
    """F3, F5: each malformed message is dropped, logged with its clause, answered with
    nothing; the client that sent it and another are served meanwhile and after."""
    s = server(tmp_path, servers, "--bind", ipc(tmp_path), "--echo")
    identity = s.endpoint.encode()
    bad, good = client(ctx, s.endpoint), client(ctx, s.endpoint)
    assert bad.send(identity, b"PING") and bad.recv() == [identity, b"PONG"]
    garbage = [[b""], [b"ping"], [b"PINGX"], [b"PONG"], [b"PING\x00"], [b"\x00\x01\x02"],
               [b"c"] + [b"x"] * 1100]
    for i, frames in enumerate(garbage):
        assert bad.send(identity, *frames)
        assert good.send(identity, b"%d" % i, b"fine")
        assert good.recv() == [identity, b"%d" % i, b"fine"]
    assert bad.send(identity, b"PING")
    assert bad.recv() == [identity, b"PONG"]          # nothing came before it
    assert bad.send(identity, b"9", b"still")
    assert bad.recv() == [identity, b"9", b"still"]
    assert s.stop() == 0
    log = s.stderr()
    assert log.count("[flp.grammar.request] (DECISIONS F3, F5)") == 6
    assert "a message of 1 frame from" in log
    assert "more frames than a server takes" in log
    assert "7 invalid" in log


# --- --exec ----------------------------------------------------------------------------

def test_exec_replies_with_the_command_output(ctx, tmp_path, servers):
    """F11: the body frames on stdin, the whole stdout as the one body frame, whatever the
    exit status; a command that writes nothing still gets its request one (empty) frame."""
    s = server(tmp_path, servers, "--bind", ipc(tmp_path), "--exec",
               "tr a-z A-Z; exit 3")
    identity = s.endpoint.encode()
    c = client(ctx, s.endpoint)
    assert c.send(identity, b"1", b"hi ", b"there")
    assert c.recv() == [identity, b"1", b"HI THERE"]
    assert c.send(identity, b"2", b"")
    assert c.recv() == [identity, b"2", b""]
    assert s.stop() == 0
    log = s.stderr()
    assert "stopped: 0 pings, 0 pongs, 2 requests, 2 replies" in log
    assert "the command exited with status 3: what it wrote is the reply" in log


def test_exec_one_run_at_a_time_queue_and_pings(ctx, tmp_path, servers):
    """F10: pings answered while a command runs; requests wait in order; one over the
    queue limit is dropped unanswered and logged."""
    go = tmp_path / "go"
    s = server(tmp_path, servers, "--bind", ipc(tmp_path), "--queue-limit", "1", "--exec",
               "while [ ! -e %s ]; do sleep 0.02; done; cat" % go)
    identity = s.endpoint.encode()
    c = client(ctx, s.endpoint)
    for ccf in (b"1", b"2", b"3"):
        assert c.send(identity, ccf, b"body " + ccf)
    s.wait_log("dropped unanswered: the queue is full (DECISIONS F10)")
    assert c.send(identity, b"PING")
    assert c.recv() == [identity, b"PONG"]            # the command still waits
    go.touch()
    assert c.recv() == [identity, b"1", b"body 1"]
    assert c.recv() == [identity, b"2", b"body 2"]
    assert c.send(identity, b"PING")
    assert c.recv() == [identity, b"PONG"]            # request 3 never comes
    assert s.stop() == 0
    assert "3 requests, 2 replies, 0 invalid, 1 dropped" in s.stderr()


def test_requests_held_at_a_stop_are_dropped(ctx, tmp_path, servers):
    """F10: what a stopping server holds is given up, logged, and it still exits 0."""
    s = server(tmp_path, servers, "--bind", ipc(tmp_path), "--exec", "sleep 60")
    identity = s.endpoint.encode()
    c = client(ctx, s.endpoint)
    assert c.send(identity, b"1", b"a") and c.send(identity, b"2", b"b")
    assert c.send(identity, b"PING") and c.recv() == [identity, b"PONG"]
    assert s.stop() == 0
    assert s.stderr().count("dropped unanswered: the server stops") == 2


# --- stopping ----------------------------------------------------------------------------

@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_it_with_status_0(tmp_path, servers, sig):
    s = server(tmp_path, servers, "--bind", ipc(tmp_path), "--echo", "--quiet")
    assert s.stop(sig) == 0
    assert s.stderr().startswith("zwire fl server: stopped: ")


# --- the variants (flp_fault.c): each changes what the server does ----------------------

def echo_server(tmp_path, servers, **variant):
    s = server(tmp_path, servers, "--bind", ipc(tmp_path), "--echo", **variant)
    return s, s.endpoint.encode()


def test_fault_no_pong(ctx, tmp_path, servers):
    """flp.server.pong broken: a ping sent before a request gets nothing; the reply comes first."""
    s, identity = echo_server(tmp_path, servers, fault="flp-server-no-pong")
    c = client(ctx, s.endpoint)
    assert c.send(identity, b"PING") and c.send(identity, b"1", b"x")
    assert c.recv() == [identity, b"1", b"x"]
    assert s.stop() == 0
    assert "1 pings, 0 pongs" in s.stderr()


def test_fault_pong_extra_frame(ctx, tmp_path, servers):
    """flp.grammar.pong broken: PONG, then an empty frame."""
    s, identity = echo_server(tmp_path, servers, fault="flp-server-pong-extra-frame")
    c = client(ctx, s.endpoint)
    assert c.send(identity, b"PING")
    assert c.recv() == [identity, b"PONG", b""]


@pytest.mark.parametrize("ccf, changed", [(b"seq1", b"seq0"), (b"", b"x")])
def test_fault_ccf_changed(ctx, tmp_path, servers, ccf, changed):
    """flp.server.reply-ccf broken: the CCF comes back with its last octet flipped."""
    s, identity = echo_server(tmp_path, servers, fault="flp-server-ccf-changed")
    c = client(ctx, s.endpoint)
    assert c.send(identity, ccf, b"body")
    assert c.recv() == [identity, changed, b"body"]


def test_fault_reply_no_body(ctx, tmp_path, servers):
    """flp.grammar.reply broken: the CCF alone."""
    s, identity = echo_server(tmp_path, servers, fault="flp-server-reply-no-body")
    c = client(ctx, s.endpoint)
    assert c.send(identity, b"1", b"body")
    assert c.recv() == [identity, b"1"]


def test_fault_wrong_identity(ctx, tmp_path, servers):
    """flp.server.identity broken: the identity is the endpoint with "/x" after it, so the
    endpoint routes nowhere."""
    s, identity = echo_server(tmp_path, servers, fault="flp-server-wrong-identity")
    c = client(ctx, s.endpoint)
    assert c.send(identity + b"/x", b"PING")
    frames = c.recv_frames()
    assert [f.bytes for f in frames] == [identity + b"/x", b"PONG"]
    assert frames[1].get("Identity") == s.endpoint + "/x"
    assert not c.send(identity, b"PING", wait=False)


def test_fault_dealer(ctx, tmp_path, servers):
    """flp.peer.router broken: the server's READY says DEALER; a lone client is still answered."""
    s, identity = echo_server(tmp_path, servers, fault="flp-server-dealer")
    c = client(ctx, s.endpoint)
    assert c.send(identity, b"PING")
    frames = c.recv_frames()
    assert [f.bytes for f in frames] == [identity, b"PONG"]
    assert frames[1].get("Socket-Type") == "DEALER"
    assert c.send(identity, b"1", b"x") and c.recv() == [identity, b"1", b"x"]


def test_lenient_reply_twice(ctx, tmp_path, servers):
    """F7: each reply is sent twice (no keyword forbids it)."""
    s, identity = echo_server(tmp_path, servers, lenient="flp-server-reply-twice")
    c = client(ctx, s.endpoint)
    assert c.send(identity, b"1", b"x") and c.send(identity, b"PING")
    assert [c.recv(), c.recv(), c.recv()] == [[identity, b"1", b"x"]] * 2 + [[identity, b"PONG"]]


def test_lenient_pong_any_one_frame(ctx, tmp_path, servers):
    """F5: a one-frame message that is not PING gets a PONG, still logged as malformed."""
    s, identity = echo_server(tmp_path, servers, lenient="flp-server-pong-any-one-frame")
    c = client(ctx, s.endpoint)
    assert c.send(identity, b"hello")
    assert c.recv() == [identity, b"PONG"]
    assert s.stop() == 0
    assert "[flp.grammar.request]" in s.stderr()
