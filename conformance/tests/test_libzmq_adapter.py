"""Tests of the libzmq adapter (conformance/adapters/libzmq_adapter.py) against the
contract of conformance/ADAPTER.md, with pyzmq sockets and raw TCP connections as the
other side.  Run with Debian's /usr/bin/python3 (pyzmq on the system libzmq)."""

import json
import os
import pathlib
import select
import socket
import struct
import subprocess
import sys
import tempfile
import time

import pytest
import zmq

ADAPTER = pathlib.Path(__file__).resolve().parent.parent / "adapters" / "libzmq_adapter.py"
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable

TYPES = ["PAIR", "PUB", "SUB", "XPUB", "XSUB", "REQ", "REP", "DEALER", "ROUTER",
         "PUSH", "PULL"]
OPTIONS = ["identity", "subscribe", "heartbeatIvl", "heartbeatTimeout", "heartbeatTtl",
           "handshakeIvl", "maxMsgSize", "reconnectIvl", "mechanism", "asServer",
           "plainUsername", "plainPassword", "curveSecretKey", "curvePublicKey",
           "curveServerKey", "zapDomain", "zap"]


class Adapter:
    """One adapter process, driven over its stdin / stdout."""

    def __init__(self):
        self.stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([PYTHON, str(ADAPTER)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.stderr)
        self.buf = b""
        self.ids = 0
        self.hello = self.read()

    def write(self, line):
        if isinstance(line, str):
            line = line.encode()
        self.proc.stdin.write(line + b"\n")
        self.proc.stdin.flush()

    def read(self, timeout=5.0):
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        chunks = [self.buf]
        while b"\n" not in chunks[-1]:
            left = deadline - time.monotonic()
            assert left > 0, "no line from the adapter in %.1f s; stderr:\n%s" % (
                timeout, self.log())
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                chunk = os.read(fd, 1 << 22)
                assert chunk, "adapter's stdout closed; stderr:\n%s" % self.log()
                chunks.append(chunk)
        line, self.buf = b"".join(chunks).split(b"\n", 1)
        return json.loads(line)

    def request(self, op, wait_s=5.0, **fields):
        self.ids += 1
        req = {"id": self.ids, "op": op}
        req.update(fields)
        self.write(json.dumps(req))
        reply = self.read(wait_s)
        assert reply["id"] == self.ids, reply
        return reply

    def ok(self, op, **fields):
        reply = self.request(op, **fields)
        assert reply["ok"] is True, (op, fields, reply, self.log())
        return reply

    def open(self, type_name, **options):
        return self.ok("open", type=type_name, options=options)["socket"]

    def bind(self, sock, endpoint="tcp://127.0.0.1:0"):
        return self.ok("bind", socket=sock, endpoint=endpoint)["endpoint"]

    def recv(self, sock, timeout=2000):
        return self.ok("recv", socket=sock, timeout=timeout)["frames"]

    def wait(self, timeout=5.0):
        return self.proc.wait(timeout)

    def log(self):
        self.stderr.seek(0)
        return self.stderr.read().decode(errors="replace")

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for f in (self.proc.stdin, self.proc.stdout):
            try:
                f.close()
            except OSError:
                pass
        self.stderr.close()


@pytest.fixture
def adapter():
    a = Adapter()
    yield a
    a.kill()


@pytest.fixture
def ctx():
    c = zmq.Context()
    yield c
    c.destroy(linger=0)


def zsocket(ctx, kind, **opts):
    s = ctx.socket(kind)
    s.linger = 0
    s.rcvtimeo = 3000
    s.sndtimeo = 3000
    for key, value in opts.items():
        s.setsockopt(getattr(zmq, key), value)
    return s


def port_of(endpoint):
    return int(endpoint.rsplit(":", 1)[1])


# --- raw ZMTP 3.1 octets -------------------------------------------------------

GREETING = b"\xff" + bytes(8) + b"\x7f\x03\x01" + b"NULL".ljust(20, b"\0") + b"\x00" + bytes(31)


def ready_command(socket_type):
    body = b"\x05READY" + b"\x0bSocket-Type" + struct.pack(">I", len(socket_type)) + socket_type
    return bytes([0x04, len(body)]) + body


def raw_connect(endpoint):
    s = socket.create_connection(("127.0.0.1", port_of(endpoint)), timeout=3)
    return s, "127.0.0.1:%d" % s.getsockname()[1]


# --- hello and the exits -----------------------------------------------------------

def test_hello_shape(adapter):
    h = adapter.hello
    assert h["zwireAdapter"] == 1
    assert h["implementation"] == {"name": "libzmq", "version": zmq.zmq_version(),
                                   "binding": "pyzmq " + zmq.__version__}
    caps = h["capabilities"]
    assert caps["zmtp"] == ["2.0", "3.1"]          # 2.0: it steps down to a 2.0 peer
    assert caps["mechanisms"] == ["NULL", "PLAIN", "CURVE"]
    assert caps["mechanismRoles"] == {"PLAIN": ["client", "server"],
                                      "CURVE": ["client", "server"]}
    assert caps["zapPolicy"] is True
    assert caps["authIdentity"] == ["userId"]       # zmq_msg_gets "User-Id"; no key
    assert sorted(caps["socketTypes"]) == sorted(TYPES)
    assert caps["roles"] == ["bind", "connect"]
    assert caps["transports"] == ["tcp", "ipc"]
    assert caps["heartbeat"] is True
    assert sorted(caps["options"]) == sorted(OPTIONS)
    assert "zmtpMinor" not in caps["options"]


def test_unknown_op_is_unsupported_and_exits_127(adapter):
    assert adapter.request("frobnicate") == {"id": 1, "ok": False, "error": "unsupported"}
    assert adapter.wait() == 127


@pytest.mark.parametrize("options", [{"zmtpMinor": 1}, {"zmtpMinor": 0}, {"curveKey": "00"}])
def test_open_with_an_option_not_offered_exits_127(adapter, options):
    reply = adapter.request("open", type="DEALER", options=options)
    assert reply == {"id": 1, "ok": False, "error": "unsupported"}
    assert adapter.wait() == 127


def test_quit_exits_0(adapter):
    s = adapter.open("ROUTER")
    adapter.bind(s)
    assert adapter.request("quit") == {"id": 3, "ok": True}
    assert adapter.wait() == 0


def test_end_of_input_exits_0(adapter, ctx):
    s = adapter.open("PUSH")           # libzmq's default linger: -1, for ever
    ep = adapter.bind(s)
    peer = zsocket(ctx, zmq.PULL)
    peer.connect(ep)
    adapter.ok("send", socket=s, frames=["01"], timeout=1000)
    adapter.proc.stdin.close()
    assert adapter.wait() == 0


def test_bad_json_gets_ok_false_and_the_adapter_goes_on(adapter):
    adapter.write("{not json")
    reply = adapter.read()
    assert reply["ok"] is False and reply["id"] is None
    adapter.write(json.dumps({"id": 7, "op": "send", "socket": "nope", "frames": ["00"]}))
    reply = adapter.read()
    assert reply["id"] == 7 and reply["ok"] is False
    adapter.write(json.dumps({"id": 8, "op": "open", "type": "PAIR", "options": {}}))
    assert adapter.read()["ok"] is True
    adapter.write(json.dumps({"id": 9, "op": "send", "socket": "s1", "frames": ["zz"]}))
    reply = adapter.read()
    assert reply["id"] == 9 and reply["ok"] is False
    assert adapter.proc.poll() is None


# --- messages -----------------------------------------------------------------------

def test_bind_then_messages_both_ways(adapter, ctx):
    s = adapter.open("PAIR")
    ep = adapter.bind(s)
    assert ep.startswith("tcp://127.0.0.1:") and port_of(ep) > 0
    peer = zsocket(ctx, zmq.PAIR)
    peer.connect(ep)

    peer.send_multipart([b"a", b"", b"\x00\xff"])
    assert adapter.recv(s) == ["61", "", "00ff"]
    big = os.urandom(1 << 20)
    peer.send_multipart([b"", big])
    assert adapter.recv(s) == ["", big.hex()]

    adapter.ok("send", socket=s, frames=["", "68656c6c6f", ""], timeout=1000)
    assert peer.recv_multipart() == [b"", b"hello", b""]
    adapter.ok("send", socket=s, frames=[big.hex()], timeout=1000)
    assert peer.recv_multipart() == [big]


def test_a_16_mib_frame_both_ways(adapter, ctx):
    s = adapter.open("PAIR")
    ep = adapter.bind(s)
    peer = zsocket(ctx, zmq.PAIR)
    peer.connect(ep)
    big = os.urandom(16 << 20)
    peer.send(big)
    assert adapter.recv(s, timeout=5000) == [big.hex()]
    adapter.ok("send", socket=s, frames=[big.hex()], timeout=3000)
    assert peer.recv() == big


def test_connect_with_identity(adapter, ctx):
    router = zsocket(ctx, zmq.ROUTER)
    port = router.bind_to_random_port("tcp://127.0.0.1")
    s = adapter.open("DEALER", identity="6964")
    assert adapter.ok("connect", socket=s, endpoint="tcp://127.0.0.1:%d" % port) == \
        {"id": 2, "ok": True}
    adapter.ok("send", socket=s, frames=["", "7071"], timeout=1000)
    assert router.recv_multipart() == [b"id", b"", b"pq"]
    router.send_multipart([b"id", b"back"])
    assert adapter.recv(s) == ["6261636b"]


def test_ipc(adapter, ctx, tmp_path):
    s = adapter.open("PULL")
    ep = adapter.bind(s, "ipc://%s" % (tmp_path / "sock"))
    assert ep == "ipc://%s" % (tmp_path / "sock")
    push = zsocket(ctx, zmq.PUSH)
    push.connect(ep)
    push.send(b"x")
    assert adapter.recv(s) == ["78"]


def test_timeouts_are_honoured(adapter):
    s = adapter.open("PULL")
    adapter.bind(s)
    t0 = time.monotonic()
    assert adapter.request("recv", socket=s, timeout=300)["error"] == "timeout"
    assert 0.29 <= time.monotonic() - t0 < 1.5
    t0 = time.monotonic()
    assert adapter.request("recv", socket=s, timeout=0)["error"] == "timeout"
    assert time.monotonic() - t0 < 0.5

    push = adapter.open("PUSH")          # no peer: a PUSH cannot send
    t0 = time.monotonic()
    assert adapter.request("send", socket=push, frames=["00"], timeout=200)["error"] == "timeout"
    assert 0.19 <= time.monotonic() - t0 < 1.5


def test_an_error_is_not_a_timeout(adapter):
    s = adapter.open("SUB")
    t0 = time.monotonic()
    reply = adapter.request("send", socket=s, frames=["00"], timeout=2000)
    assert reply["ok"] is False and reply["error"] != "timeout"
    assert time.monotonic() - t0 < 1.0
    reply = adapter.request("subscribe", socket=adapter.open("PUSH"), topic="")
    assert reply["ok"] is False
    assert adapter.proc.poll() is None


def test_two_sockets_in_one_adapter(adapter):
    pull = adapter.open("PULL")
    push = adapter.open("PUSH")
    assert pull != push
    ep = adapter.bind(pull)
    adapter.ok("connect", socket=push, endpoint=ep)
    adapter.ok("send", socket=push, frames=["01", "02"], timeout=2000)
    assert adapter.recv(pull) == ["01", "02"]
    adapter.ok("close", socket=push)
    assert adapter.request("send", socket=push, frames=["01"], timeout=0)["ok"] is False
    assert adapter.request("quit")["ok"] is True
    assert adapter.wait() == 0


# --- subscriptions ---------------------------------------------------------------------

def test_subscribe_and_unsubscribe_on_a_bound_sub(adapter, ctx):
    s = adapter.open("SUB")
    ep = adapter.bind(s)
    pub = zsocket(ctx, zmq.PUB)
    pub.connect(ep)
    adapter.ok("subscribe", socket=s, topic="6162")          # "ab"

    def publish_until(topic_hex):
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            pub.send_multipart([b"zz-other", b"x"])
            pub.send_multipart([bytes.fromhex(topic_hex) + b"!", b"y"])
            reply = adapter.request("recv", socket=s, timeout=20)
            if reply["ok"]:
                return reply["frames"]
        raise AssertionError("nothing on %s" % topic_hex)

    assert publish_until("6162") == ["616221", "79"]          # never "zz-other"
    adapter.ok("unsubscribe", socket=s, topic="6162")
    adapter.ok("subscribe", socket=s, topic="6364")          # "cd": a marker
    deadline = time.monotonic() + 3
    while publish_until("6364")[0] != "636421":              # drain "ab" until "cd" is on
        assert time.monotonic() < deadline, "the subscription to cd never took"
    # the unsubscription went before the marker's subscription, on the same pipe
    while adapter.request("recv", socket=s, timeout=50)["ok"]:
        pass
    pub.send_multipart([b"ab!", b"y"])
    pub.send_multipart([b"cd!", b"z"])
    assert adapter.recv(s) == ["636421", "7a"]


def test_a_bound_sub_subscribes_a_pub_without_being_touched(adapter, ctx):
    # libzmq quirk: only the adapter's polling makes the SUB send its subscriptions
    s = adapter.open("SUB", subscribe=["6162", ""])
    ep = adapter.bind(s)
    xpub = zsocket(ctx, zmq.XPUB)
    xpub.connect(ep)
    got = {xpub.recv(), xpub.recv()}
    assert got == {b"\x01ab", b"\x01"}


def test_xsub_subscriptions_are_messages(adapter, ctx):
    xpub = zsocket(ctx, zmq.XPUB)
    port = xpub.bind_to_random_port("tcp://127.0.0.1")
    s = adapter.open("XSUB", subscribe=["01"])
    adapter.ok("connect", socket=s, endpoint="tcp://127.0.0.1:%d" % port)
    assert xpub.recv() == b"\x01\x01"
    adapter.ok("subscribe", socket=s, topic="6869")
    assert xpub.recv() == b"\x01hi"
    adapter.ok("unsubscribe", socket=s, topic="6869")
    assert xpub.recv() == b"\x00hi"
    xpub.send_multipart([b"hi there"])
    xpub.send_multipart([b"\x01 too"])
    assert adapter.recv(s) == ["0120746f6f"]    # XSUB filters: "hi" is no longer wanted


# --- serving between requests ----------------------------------------------------------

def read_until(raw, enough, timeout=3.0):
    """What the raw connection receives until enough(data) or it closes; (data, closed)."""
    raw.settimeout(timeout)
    data = b""
    while not enough(data):
        chunk = raw.recv(1 << 16)
        if not chunk:
            return data, True
        data += chunk
    return data, False


def test_a_raw_peer_is_handshaken_while_the_adapter_waits_for_stdin(adapter):
    """No request between the raw peer's greeting and libzmq's READY (quirk 1)."""
    s = adapter.open("PULL")
    ep = adapter.bind(s)
    raw, _ = raw_connect(ep)
    raw.sendall(GREETING + ready_command(b"PUSH"))
    data, closed = read_until(raw, lambda d: b"\x05READY" in d)
    assert not closed and data[:1] == b"\xff" and data[10:11] == b"\x03"
    raw.sendall(b"\x00\x02hi")
    assert adapter.recv(s) == ["6869"]
    raw.close()


def test_handshake_ivl_closes_a_silent_peer(adapter):
    s = adapter.open("PULL", handshakeIvl=150)
    ep = adapter.bind(s)
    raw, _ = raw_connect(ep)                           # says nothing
    data, closed = read_until(raw, lambda d: False)
    assert closed and data[:1] == b"\xff"             # libzmq's greeting, then the close
    raw.close()


# --- security (ADAPTER.md, "Security") ----------------------------------------------

def curve_pair():
    public, secret = zmq.curve_keypair()
    return public.decode(), secret.decode()


def curve_client(ctx, server_public, pair=None):
    public, secret = pair or curve_pair()
    return zsocket(ctx, zmq.PUSH, CURVE_SERVERKEY=server_public.encode(),
                   CURVE_PUBLICKEY=public.encode(), CURVE_SECRETKEY=secret.encode())


def delivered(adapter, sock, ctx, client, endpoint):
    client.connect(endpoint)
    client.send(b"secured")
    return adapter.request("recv", socket=sock, timeout=1000)


def test_curve_server_with_a_policy_takes_a_known_key_and_names_it(adapter, ctx):
    server_public, server_secret = curve_pair()
    known = curve_pair()
    s = adapter.open("PULL", mechanism="CURVE", asServer=True, curveSecretKey=server_secret,
                     zap={"curveKeys": [known[0]]})
    ep = adapter.bind(s)
    reply = delivered(adapter, s, ctx, curve_client(ctx, server_public, known), ep)
    assert reply["ok"] and reply["frames"] == [b"secured".hex()]
    assert reply["auth"] == {"userId": known[0]}       # pyzmq's user id: the key in Z85
    stranger = curve_client(ctx, server_public)
    assert not delivered(adapter, s, ctx, stranger, ep)["ok"]


def test_plain_client_carries_its_credentials(adapter, ctx):
    server = zsocket(ctx, zmq.PULL, PLAIN_SERVER=True)
    from zmq.auth.thread import ThreadAuthenticator
    auth = ThreadAuthenticator(ctx)
    auth.start()
    auth.configure_plain(domain="*", passwords={"admin": "secret"})
    try:
        port = server.bind_to_random_port("tcp://127.0.0.1")
        s = adapter.open("PUSH", mechanism="PLAIN", plainUsername="admin",
                         plainPassword="secret")
        adapter.ok("connect", socket=s, endpoint="tcp://127.0.0.1:%d" % port)
        adapter.ok("send", socket=s, frames=["6869"], timeout=1000)
        server.rcvtimeo = 2000
        frame = server.recv(copy=False)
        assert (frame.bytes, frame.get("User-Id")) == (b"hi", "admin")
    finally:
        auth.stop()


def test_zap_none_leaves_libzmq_without_a_handler(adapter, ctx):
    server_public, server_secret = curve_pair()
    s = adapter.open("PULL", mechanism="CURVE", asServer=True, curveSecretKey=server_secret,
                     zap="none")
    ep = adapter.bind(s)
    # measured: without a handler libzmq 4.3.4's CURVE server takes any client key
    assert delivered(adapter, s, ctx, curve_client(ctx, server_public), ep)["ok"]


@pytest.mark.parametrize("options", [
    {"mechanism": "CURVE", "asServer": True},                     # no secret key
    {"mechanism": "CURVE", "curveServerKey": "not-z85"},
    {"zap": {"allow": ["127.0.0.1"], "deny": ["127.0.0.2"]}},    # pyzmq takes one list
    {"zap": 3}, {"asServer": True}])
def test_malformed_security_options_are_refused_and_it_goes_on(adapter, options):
    reply = adapter.request("open", type="PULL", options=options)
    assert reply["ok"] is False and reply["error"].startswith("bad request")
    adapter.open("PULL")


def test_an_unknown_mechanism_is_unsupported(adapter):
    reply = adapter.request("open", type="PULL", options={"mechanism": "GSSAPI"})
    assert reply == {"id": 1, "ok": False, "error": "unsupported"}
    assert adapter.wait() == 127
