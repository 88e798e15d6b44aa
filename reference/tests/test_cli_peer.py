"""`zwire peer` as a person uses it: --help, bad invocations, and the
--print, --echo and --send modes against libzmq (pyzmq) over ipc.

Runs the binary named by ZWIRE (default build/bin/zwire).  The control
mode, and the protocol behaviour, are tested by reference/tests/interop."""

import os
import pathlib
import subprocess

import pytest
import zmq

ROOT = pathlib.Path(__file__).resolve().parents[2]
ZWIRE = os.environ.get("ZWIRE", str(ROOT / "build" / "bin" / "zwire"))
WAIT_MS = 5000


def run(*args, timeout=20):
    return subprocess.run([ZWIRE, "peer", *args], capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture
def ctx():
    context = zmq.Context()
    yield context
    context.destroy(linger=0)


@pytest.fixture
def ipc(tmp_path):
    return "ipc://%s/peer.sock" % tmp_path


def test_help_lists_every_mode_and_type():
    r = run("--help")
    assert r.returncode == 0
    for word in ("--type", "--bind", "--connect", "--echo", "--print", "--send", "--control",
                 "ROUTER", "XSUB", "--heartbeat-ivl", "--maxmsgsize"):
        assert word in r.stdout


@pytest.mark.parametrize("args, message", [
    ((), "--type is required"),
    (("--type", "FOO", "--bind", "tcp://127.0.0.1:0"), "--type needs a socket type"),
    (("--type", "PAIR"), "at least one --bind or --connect"),
    (("--type", "PAIR", "--bind", "tcp://127.0.0.1:0", "--nope"), "unknown option '--nope'"),
    (("--type", "PAIR", "--bind", "udp://127.0.0.1:1"), "cannot bind udp://127.0.0.1:1"),
    (("--type", "PAIR", "--connect", "tcp://127.0.0.1:0"), "cannot connect"),
    (("--type", "PAIR", "--bind", "tcp://127.0.0.1:0", "--maxmsgsize", "x"), "whole number"),
    (("--type", "PAIR", "--bind", "tcp://127.0.0.1:0", "--zmtp", "1.0"), "3.1, 3.0 or 2.0"),
    (("--type", "PUB", "--bind", "tcp://127.0.0.1:0", "--subscribe", "a"), "SUB and XSUB"),
])
def test_bad_invocations_exit_3_with_a_reason(args, message):
    r = run(*args)
    assert r.returncode == 3
    assert message in r.stderr


def test_print_writes_frames_in_hex(ctx, ipc):
    """Multipart messages arrive whole (zmtp31.socket.atomic), empty frames as '-'."""
    peer = subprocess.Popen([ZWIRE, "peer", "--type", "PULL", "--bind", ipc, "--count", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        push = ctx.socket(zmq.PUSH)
        push.connect(ipc)
        push.send(b"hi")
        push.send_multipart([b"a", b"", b"b"])
        out, _ = peer.communicate(timeout=20)
    finally:
        peer.kill()
    assert peer.returncode == 0
    assert out.splitlines() == ["6869", "61 - 62"]


def test_echo_answers_a_libzmq_req(ctx, ipc):
    """REP echo (zmtp31.socket.reqrep-semantics): the reply goes to the requester."""
    peer = subprocess.Popen([ZWIRE, "peer", "--type", "REP", "--bind", ipc, "--echo",
                             "--count", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        req = ctx.socket(zmq.REQ)
        req.setsockopt(zmq.RCVTIMEO, WAIT_MS)
        req.connect(ipc)
        req.send_multipart([b"x", b"y"])
        assert req.recv_multipart() == [b"x", b"y"]
        peer.communicate(timeout=20)
    finally:
        peer.kill()
    assert peer.returncode == 0


def test_send_then_exit(ctx, ipc):
    pull = ctx.socket(zmq.PULL)
    pull.setsockopt(zmq.RCVTIMEO, WAIT_MS)
    pull.bind(ipc)
    r = run("--type", "PUSH", "--connect", ipc, "--send", "one", "--send", "two")
    assert r.returncode == 0
    assert [pull.recv(), pull.recv()] == [b"one", b"two"]


def test_application_property_reaches_libzmq(ctx, ipc):
    """--property goes into READY (zmtp31.metadata.other-properties); libzmq
    hands it to the application (zmq_msg_gets), beside the Socket-Type."""
    pull = ctx.socket(zmq.PULL)
    pull.setsockopt(zmq.RCVTIMEO, WAIT_MS)
    pull.bind(ipc)
    r = run("--type", "PUSH", "--connect", ipc, "--property", "X-Hello=world", "--send", "m")
    assert r.returncode == 0
    frame = pull.recv(copy=False)
    assert frame.bytes == b"m"
    assert frame.get("X-Hello") == "world"
    assert frame.get("Socket-Type") == "PUSH"


@pytest.mark.parametrize("prop", ["novalue", "=x", "Bad Name=x", "Identity=x"])
def test_bad_property_is_refused(prop):
    r = run("--type", "PUSH", "--connect", "tcp://127.0.0.1:1", "--property", prop)
    assert r.returncode == 3
    assert "--property" in r.stderr
