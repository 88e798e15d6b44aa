"""`zwire mdp worker` as a person uses it: --help, bad invocations, --echo
and --exec through the reference broker, and the worker's side of the
dialog against a broker played by a pyzmq ROUTER socket (READY, heartbeats
while busy, DISCONNECT both ways, a new socket after one).

Runs the binary named by ZWIRE (default build/bin/zwire).  The worker's
core is unit-tested on a fake clock by reference/mdp/tests/test_mdp_worker.c;
here only order and identities are checked, never timings."""

import os
import pathlib
import signal
import subprocess
import time

import pytest
import zmq

ROOT = pathlib.Path(__file__).resolve().parents[2]
ZWIRE = os.environ.get("ZWIRE", str(ROOT / "build" / "bin" / "zwire"))
WAIT_MS = 5000

HEADER = {"0.1": [b"", b"MDPW01"], "0.2": [b"MDPW02"]}
CODE = {"0.1": {"READY": b"\x01", "REQUEST": b"\x02", "REPLY": b"\x03", "HEARTBEAT": b"\x04",
                "DISCONNECT": b"\x05"},
        "0.2": {"READY": b"\x01", "REQUEST": b"\x02", "PARTIAL": b"\x03", "FINAL": b"\x04",
                "HEARTBEAT": b"\x05", "DISCONNECT": b"\x06"}}


def run(*args, timeout=20):
    return subprocess.run([ZWIRE, "mdp", "worker", *args], capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture
def ctx():
    context = zmq.Context()
    yield context
    context.destroy(linger=0)


class Process:
    """A zwire subcommand running in the background; stderr to a file."""

    def __init__(self, tmp_path, name, *args):
        self.log = tmp_path / (name + ".err")
        self.proc = subprocess.Popen([ZWIRE, "mdp", *args], stdout=subprocess.PIPE,
                                     stderr=open(self.log, "w"), text=True)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=20)
        self.proc.stdout.close()
        return code

    def stderr(self):
        return self.log.read_text()


@pytest.fixture
def processes():
    started = []
    yield started
    for p in started:
        if p.proc.poll() is None:
            p.proc.kill()
            p.proc.wait()
        p.proc.stdout.close()


def broker(tmp_path, processes):
    b = Process(tmp_path, "broker", "broker", "--bind", "tcp://127.0.0.1:0")
    processes.append(b)
    line = b.proc.stdout.readline().split()
    assert line[0] == "bound"
    return line[1]


def worker(tmp_path, processes, endpoint, *args):
    w = Process(tmp_path, "worker", "worker", *args, "--connect", endpoint)
    processes.append(w)
    return w


def request(ctx, endpoint, service, *body):
    """One 0.1 request from a DEALER client; the reply's frames."""
    client = ctx.socket(zmq.DEALER)
    client.connect(endpoint)
    client.send_multipart([b"", b"MDPC01", service, *body])
    assert client.poll(WAIT_MS), "no reply"
    reply = client.recv_multipart()
    client.close(linger=0)
    return reply


class FakeBroker:
    """A ROUTER socket playing the broker: messages as (identity, command, rest)."""

    def __init__(self, ctx, endpoint, version):
        self.socket = ctx.socket(zmq.ROUTER)
        self.socket.bind(endpoint)
        self.version = version
        self.names = {code: name for name, code in CODE[version].items()}

    def recv(self, timeout=WAIT_MS):
        assert self.socket.poll(timeout), "nothing from the worker"
        frames = self.socket.recv_multipart()
        header = HEADER[self.version]
        assert frames[1:1 + len(header)] == header, frames
        command = frames[1 + len(header)]
        return frames[0], self.names[command], frames[2 + len(header):]

    def send(self, identity, command, *rest):
        self.socket.send_multipart([identity, *HEADER[self.version], CODE[self.version][command],
                                    *rest])


def test_help_names_every_option():
    r = run("--help")
    assert r.returncode == 0
    for word in ("SERVICE", "--connect", "--echo", "--exec", "--version", "--heartbeat",
                 "--liveness", "--reconnect", "--quiet", "M2-16", "DISCONNECT"):
        assert word in r.stdout


@pytest.mark.parametrize("args, message", [
    ((), "give the SERVICE"),
    (("echo", "--echo"), "--connect ENDPOINT"),
    (("echo", "--connect", "tcp://127.0.0.1:5555"), "one of --echo and --exec"),
    (("echo", "--connect", "tcp://127.0.0.1:5555", "--echo", "--exec", "cat"),
     "one of --echo and --exec"),
    (("echo", "other", "--echo", "--connect", "tcp://127.0.0.1:5555"), "one SERVICE only"),
    (("echo", "--echo", "--connect", "tcp://127.0.0.1:5555", "--version", "0.3"), "0.1 or 0.2"),
    (("echo", "--echo", "--connect", "tcp://127.0.0.1:5555", "--heartbeat", "0"), "whole number"),
    (("echo", "--echo", "--connect", "tcp://127.0.0.1:5555", "--nope"), "unknown option '--nope'"),
    (("caf\u00e9", "--echo", "--connect", "tcp://127.0.0.1:5555"), "printable ASCII"),
    (("echo", "--echo", "--connect", "udp://127.0.0.1:5555"), "cannot connect"),
])
def test_bad_invocations_exit_3_with_a_reason(args, message):
    r = run(*args)
    assert r.returncode == 3
    assert message in r.stderr


@pytest.mark.parametrize("version", ["0.1", "0.2"])
def test_echo_through_the_reference_broker(ctx, tmp_path, processes, version):
    endpoint = broker(tmp_path, processes)
    w = worker(tmp_path, processes, endpoint, "echo", "--echo", "--version", version)
    assert request(ctx, endpoint, b"echo", b"hi", b"") == [b"", b"MDPC01", b"echo", b"hi", b""]
    assert w.stop() == 0
    assert "stopped: 1 requests, 1 replies" in w.stderr()


def test_exec_answers_with_its_output_whatever_its_exit(ctx, tmp_path, processes):
    """DECISIONS M2-16: the body on stdin, the whole stdout as the one answer frame."""
    endpoint = broker(tmp_path, processes)
    w = worker(tmp_path, processes, endpoint, "upper", "--exec", "tr a-z A-Z; exit 3")
    assert request(ctx, endpoint, b"upper", b"hi ", b"there") == \
        [b"", b"MDPC01", b"upper", b"HI THERE"]
    assert request(ctx, endpoint, b"upper", b"") == [b"", b"MDPC01", b"upper", b""]
    assert w.stop() == 0
    assert "exited with status 3" in w.stderr()


@pytest.mark.parametrize("version", ["0.1", "0.2"])
def test_ready_then_disconnect_on_sigterm(ctx, tmp_path, processes, version):
    """mdp01.grammar.ready, mdp01.disconnect.worker-any-time."""
    endpoint = "ipc://%s/broker.sock" % tmp_path
    fake = FakeBroker(ctx, endpoint, version)
    w = worker(tmp_path, processes, endpoint, "svc", "--echo", "--version", version)
    identity, command, rest = fake.recv()
    assert (command, rest) == ("READY", [b"svc"])
    w.proc.send_signal(signal.SIGTERM)
    assert fake.recv()[:2] == (identity, "DISCONNECT")
    assert w.stop() == 0


def test_disconnect_closes_and_registers_on_a_new_socket(ctx, tmp_path, processes):
    """mdp02.disconnect.worker-close, -reconnect (M13, M14): nothing more on the old
    connection, READY from a new one."""
    endpoint = "ipc://%s/broker.sock" % tmp_path
    fake = FakeBroker(ctx, endpoint, "0.2")
    w = worker(tmp_path, processes, endpoint, "svc", "--echo", "--reconnect", "200")
    first, command, _ = fake.recv()
    assert command == "READY"
    fake.send(first, "DISCONNECT")
    second, command, rest = fake.recv()
    assert (command, rest) == ("READY", [b"svc"])
    assert second != first
    fake.send(second, "REQUEST", b"C", b"", b"again")
    assert fake.recv() == (second, "FINAL", [b"C", b"", b"again"])
    assert w.stop() == 0
    assert "mdp02.disconnect.worker-close" in w.stderr()


def test_heartbeats_go_on_while_a_command_runs(ctx, tmp_path, processes):
    """M2, M2-3: a busy worker heartbeats; the REPLY names the client of the REQUEST."""
    endpoint = "ipc://%s/broker.sock" % tmp_path
    fake = FakeBroker(ctx, endpoint, "0.1")
    w = worker(tmp_path, processes, endpoint, "slow", "--exec", "sleep 1; cat", "--version",
               "0.1", "--heartbeat", "100", "--liveness", "20")
    identity, command, _ = fake.recv()
    assert command == "READY"
    fake.send(identity, "REQUEST", b"client-7", b"", b"done")
    seen = []
    while not seen or seen[-1][0] != "REPLY":
        _, command, rest = fake.recv()
        seen.append((command, rest))
        if command == "HEARTBEAT":
            fake.send(identity, "HEARTBEAT")
    assert seen[-1] == ("REPLY", [b"client-7", b"", b"done"])
    assert len([c for c, _ in seen if c == "HEARTBEAT"]) >= 2
    assert w.stop() == 0


def test_a_silent_broker_is_left_for_a_new_socket(ctx, tmp_path, processes):
    """mdp02.heartbeat.worker-expires-broker, -worker-restart: READY again, from a new
    identity, after liveness x heartbeat of silence."""
    endpoint = "ipc://%s/broker.sock" % tmp_path
    fake = FakeBroker(ctx, endpoint, "0.2")
    w = worker(tmp_path, processes, endpoint, "svc", "--echo", "--heartbeat", "100",
               "--liveness", "2", "--reconnect", "100")
    first, command, _ = fake.recv()
    assert command == "READY"
    deadline = time.monotonic() + WAIT_MS / 1000
    while time.monotonic() < deadline:
        identity, command, _ = fake.recv()
        if identity != first:
            break
        assert command == "HEARTBEAT"
    assert (identity != first, command) == (True, "READY")
    assert w.stop() == 0
    assert "mdp02.heartbeat.worker-expires-broker" in w.stderr()
