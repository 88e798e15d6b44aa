"""`zwire adapter`: the reference stack behind the conformance suite's
adapter contract (conformance/ADAPTER.md), driven line by line as the suite
drives it, with libzmq (pyzmq) on the other side of the wire.

Checks the hello, the unsupported-then-exit-127 rule, every op, several
sockets in one adapter, malformed requests, the ways out (quit, end of
input) and a 16 MiB frame both ways.  Runs the binary
named by ZWIRE (default build/bin/zwire); under an ASan build every adapter
must also exit cleanly (LeakSanitizer runs at exit)."""

import json
import os
import pathlib
import select
import socket
import subprocess
import tempfile
import time

import pytest
import zmq

ROOT = pathlib.Path(__file__).resolve().parents[2]
ZWIRE = os.environ.get("ZWIRE", str(ROOT / "build" / "bin" / "zwire"))
WAIT_MS = 5000
SANITIZER_MARKERS = ("LeakSanitizer", "AddressSanitizer", "runtime error")

ALL_TYPES = {"PAIR", "PUB", "SUB", "XPUB", "XSUB", "REQ", "REP", "DEALER", "ROUTER",
             "PUSH", "PULL"}
V2_OPTIONS = {"identity", "subscribe", "heartbeatIvl", "heartbeatTimeout", "heartbeatTtl",
              "handshakeIvl", "maxMsgSize", "reconnectIvl", "zmtpMinor"}
ALL_OPTIONS = V2_OPTIONS | {"mechanism", "asServer", "plainUsername", "plainPassword",
                            "curveSecretKey", "curvePublicKey", "curveServerKey", "zapDomain",
                            "zap"}


class Adapter:
    """One `zwire adapter` process; every read has a deadline, so no test hangs."""

    def __init__(self, *args):
        self.stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([ZWIRE, "adapter", *args], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.stderr)
        self.pending = b""
        self.last_id = 0
        self.hello = self.read(10)

    def log(self):
        self.stderr.seek(0)
        return self.stderr.read().decode(errors="replace")

    def read(self, seconds):
        deadline = time.monotonic() + seconds
        fd = self.proc.stdout.fileno()
        chunks = [self.pending]
        while b"\n" not in chunks[-1]:     # look at each chunk once: lines run to 32 MiB
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise AssertionError("no line from the adapter in time; stderr:\n" + self.log())
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                raise AssertionError("the adapter closed stdout; stderr:\n" + self.log())
            chunks.append(chunk)
        line, self.pending = b"".join(chunks).split(b"\n", 1)
        return json.loads(line)

    def write(self, text):
        self.proc.stdin.write(text.encode() + b"\n")
        self.proc.stdin.flush()

    def request(self, op, **fields):
        self.last_id += 1
        self.write(json.dumps(dict(id=self.last_id, op=op, **fields)))
        reply = self.read(10 + fields.get("timeout", 0) / 1000)
        assert reply["id"] == self.last_id
        return reply

    def ok(self, op, **fields):
        reply = self.request(op, **fields)
        assert reply["ok"] is True, reply
        return reply

    def open(self, type, **options):
        return self.ok("open", type=type, options=options)["socket"]

    def bind(self, handle, endpoint="tcp://127.0.0.1:0"):
        return self.ok("bind", socket=handle, endpoint=endpoint)["endpoint"]

    def wait(self, seconds=10):
        try:
            return self.proc.wait(seconds)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise AssertionError("the adapter did not exit; stderr:\n" + self.log())

    def end_input(self):
        self.proc.stdin.close()
        return self.wait()

    def finish(self):
        """End of input must close everything and exit 0, sanitizers quiet."""
        if self.proc.poll() is None:
            assert self.end_input() == 0, self.log()
        log = self.log()
        assert not any(marker in log for marker in SANITIZER_MARKERS), log
        self.stderr.close()


@pytest.fixture
def adapter():
    a = Adapter()
    yield a
    a.finish()


@pytest.fixture
def ctx():
    context = zmq.Context()
    yield context
    context.destroy(linger=0)


# --- the hello and the ways out -------------------------------------------------------------

def test_hello_says_what_the_adapter_can_do(adapter):
    hello = adapter.hello
    version = subprocess.run([ZWIRE, "--version"], capture_output=True, text=True).stdout.split()[1]
    assert hello["zwireAdapter"] == 1
    assert hello["implementation"] == {"name": "zwire", "version": version}
    caps = hello["capabilities"]
    assert caps["zmtp"] == ["2.0", "3.0", "3.1"]   # 2.0: it steps down to a 2.0 peer
    assert caps["mechanisms"] == ["NULL", "PLAIN", "CURVE"]
    assert caps["mechanismRoles"] == {"PLAIN": ["client", "server"],
                                      "CURVE": ["client", "server"]}
    assert caps["zapPolicy"] is True
    assert caps["authIdentity"] == ["mechanism", "userId", "curveKey"]
    assert set(caps["socketTypes"]) == ALL_TYPES and len(caps["socketTypes"]) == 11
    assert caps["roles"] == ["bind", "connect"]
    assert caps["transports"] == ["tcp", "ipc"]
    assert caps["heartbeat"] is True
    assert set(caps["options"]) == ALL_OPTIONS


def test_a_2_0_only_adapter_says_so_and_speaks_2_0():
    """--zmtp 2.0: the hello declares 2.0 alone and no heartbeat, and a socket greets a
    3.x peer with revision 1, then reads it as 2.0 (it steps down: zmtp31.version.downgrade)."""
    adapter = Adapter("--zmtp", "2.0")
    try:
        assert adapter.hello["implementation"]["name"] == "zwire-2.0"
        assert adapter.hello["capabilities"]["zmtp"] == ["2.0"]
        assert adapter.hello["capabilities"]["heartbeat"] is False
        assert adapter.hello["capabilities"]["mechanisms"] == ["NULL"]    # 2.0 has none
        assert set(adapter.hello["capabilities"]["options"]) == V2_OPTIONS
        s = adapter.open("PULL")
        port = int(adapter.bind(s).rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=5) as peer:
            peer.sendall(b"\xff" + bytes(8) + b"\x7f\x03")        # a 3.x peer's first 11
            got = b""
            while len(got) < 11:
                got += peer.recv(64)
            assert got[10] == 1                                    # zmtp20.greeting.revision
            peer.sendall(b"\x08\x00\x00" + b"\x00\x02hi")      # its 2.0 rest, a message
            assert adapter.ok("recv", socket=s, timeout=3000)["frames"] == ["6869"]
    finally:
        adapter.finish()


def test_help_points_to_the_contract():
    r = subprocess.run([ZWIRE, "adapter", "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "conformance/ADAPTER.md" in r.stdout
    r = subprocess.run([ZWIRE, "adapter", "--nope"], capture_output=True, text=True)
    assert r.returncode == 3 and "--nope" in r.stderr
    r = subprocess.run([ZWIRE, "adapter", "--zmtp", "3.0"], capture_output=True, text=True)
    assert r.returncode == 3 and "--zmtp takes 2.0 only" in r.stderr


@pytest.mark.parametrize("request_", [
    {"op": "frobnicate"},
    {"op": "open", "type": "STREAM"},
    {"op": "open", "type": "PAIR", "options": {"curveServer": True}},
])
def test_the_unknown_is_unsupported_then_exit_127(adapter, request_):
    adapter.open("PAIR")            # something to close on the way out
    adapter.write(json.dumps(dict(id=7, **request_)))
    assert adapter.read(10) == {"id": 7, "ok": False, "error": "unsupported"}
    assert adapter.wait() == 127


def test_quit_replies_then_exits_0(adapter):
    s = adapter.open("PUSH")
    adapter.ok("connect", socket=s, endpoint="tcp://127.0.0.1:1")   # nobody there: retried
    assert adapter.request("quit") == {"id": adapter.last_id, "ok": True}
    assert adapter.wait() == 0


def test_end_of_input_exits_0_with_sockets_open(adapter, ctx):
    s = adapter.open("PULL")
    endpoint = adapter.bind(s)
    push = ctx.socket(zmq.PUSH)
    push.connect(endpoint)
    push.send(b"read")
    assert adapter.ok("recv", socket=s, timeout=WAIT_MS)["frames"] == ["72656164"]
    push.send(b"queued, never read")
    assert adapter.end_input() == 0


def test_malformed_requests_get_an_error_and_the_adapter_goes_on(adapter):
    adapter.write("this is not JSON")
    reply = adapter.read(10)
    assert reply["id"] is None and reply["ok"] is False
    adapter.write("[1, 2]")
    assert adapter.read(10)["ok"] is False
    adapter.write('{"op": "open", "type": "PAIR"}')          # no id
    assert adapter.read(10)["ok"] is False
    for op, fields in [("open", {}),                         # no type
                       ("bind", {"endpoint": "tcp://127.0.0.1:0"}),   # no socket
                       ("bind", {"socket": "s99", "endpoint": "tcp://127.0.0.1:0"}),
                       ("open", {"type": "PAIR", "options": {"zmtpMinor": 7}}),
                       ("open", {"type": "PAIR", "options": {"identity": "zz"}})]:
        reply = adapter.request(op, **fields)
        assert reply["ok"] is False and reply["error"] != "unsupported", (op, fields, reply)
    s = adapter.open("PAIR")
    for op, fields in [("bind", {"socket": s}),
                       ("bind", {"socket": s, "endpoint": "udp://127.0.0.1:1"}),
                       ("send", {"socket": s, "frames": ["00"]}),        # no timeout
                       ("send", {"socket": s, "frames": [], "timeout": 0}),
                       ("send", {"socket": s, "frames": ["xyz"], "timeout": 0}),
                       ("recv", {"socket": s}),
                       ("subscribe", {"socket": s, "topic": "61"})]:     # not a SUB
        reply = adapter.request(op, **fields)
        assert reply["ok"] is False and reply["error"] != "unsupported", (op, fields, reply)
    assert adapter.bind(s).startswith("tcp://127.0.0.1:")


# --- messages ----------------------------------------------------------------------------------

def test_bound_socket_talks_with_libzmq_both_ways(adapter, ctx):
    """Multipart messages pass whole, empty frames included (zmtp31.socket.atomic)."""
    s = adapter.open("PAIR")
    endpoint = adapter.bind(s)
    assert endpoint.startswith("tcp://127.0.0.1:") and not endpoint.endswith(":0")
    pair = ctx.socket(zmq.PAIR)
    pair.connect(endpoint)
    pair.send_multipart([b"a", b"", b"\x00\xff"])
    reply = adapter.ok("recv", socket=s, timeout=WAIT_MS)
    assert reply["frames"] == ["61", "", "00ff"]
    adapter.ok("send", socket=s, frames=["", "6869"], timeout=WAIT_MS)
    assert pair.poll(WAIT_MS)
    assert pair.recv_multipart() == [b"", b"hi"]


def test_connecting_socket_reaches_a_libzmq_router_with_its_identity(adapter, ctx):
    router = ctx.socket(zmq.ROUTER)
    port = router.bind_to_random_port("tcp://127.0.0.1")
    s = adapter.open("DEALER", identity="6431")
    adapter.ok("connect", socket=s, endpoint="tcp://127.0.0.1:%d" % port)
    adapter.ok("send", socket=s, frames=["71"], timeout=WAIT_MS)
    assert router.poll(WAIT_MS)
    assert router.recv_multipart() == [b"d1", b"q"]
    router.send_multipart([b"d1", b"a"])
    assert adapter.ok("recv", socket=s, timeout=WAIT_MS)["frames"] == ["61"]


def test_ipc_endpoints(adapter, ctx, tmp_path):
    s = adapter.open("PULL")
    endpoint = adapter.bind(s, "ipc://%s/a.sock" % tmp_path)
    assert endpoint == "ipc://%s/a.sock" % tmp_path
    push = ctx.socket(zmq.PUSH)
    push.connect(endpoint)
    push.send(b"x")
    assert adapter.ok("recv", socket=s, timeout=WAIT_MS)["frames"] == ["78"]


def test_timeouts_are_kept(adapter):
    pull = adapter.open("PULL")
    push = adapter.open("PUSH")
    for op, s, fields in [("recv", pull, {}), ("send", push, {"frames": ["00"]})]:
        for timeout in (0, 200):
            started = time.monotonic()
            reply = adapter.request(op, socket=s, timeout=timeout, **fields)
            took = time.monotonic() - started
            assert reply == {"id": adapter.last_id, "ok": False, "error": "timeout"}
            assert timeout / 1000 - 0.01 <= took < timeout / 1000 + 1.5


def test_two_sockets_of_one_adapter_talk(adapter):
    rep = adapter.open("REP")
    req = adapter.open("REQ")
    assert rep != req
    adapter.ok("connect", socket=req, endpoint=adapter.bind(rep))
    adapter.ok("send", socket=req, frames=["3f"], timeout=WAIT_MS)
    assert adapter.ok("recv", socket=rep, timeout=WAIT_MS)["frames"] == ["3f"]
    adapter.ok("send", socket=rep, frames=["21"], timeout=WAIT_MS)
    assert adapter.ok("recv", socket=req, timeout=WAIT_MS)["frames"] == ["21"]
    adapter.ok("close", socket=req)
    reply = adapter.request("send", socket=req, frames=["3f"], timeout=0)
    assert reply["ok"] is False                             # closed: the handle is gone


def test_subscriptions_by_option_and_by_op(adapter, ctx):
    pub = ctx.socket(zmq.PUB)
    port = pub.bind_to_random_port("tcp://127.0.0.1")
    s = adapter.open("SUB", subscribe=["6162"])
    adapter.ok("connect", socket=s, endpoint="tcp://127.0.0.1:%d" % port)

    def published(topic, seconds=5):
        """Publishes topic until it comes through (a subscription takes a moment)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            pub.send(topic)
            reply = adapter.request("recv", socket=s, timeout=50)
            if reply["ok"]:
                return reply["frames"]
        return None

    assert published(b"abc") == ["616263"]
    adapter.ok("subscribe", socket=s, topic="78")
    assert published(b"xy") == ["7879"]
    adapter.ok("unsubscribe", socket=s, topic="6162")
    time.sleep(0.1)
    pub.send(b"abd")
    pub.send(b"xz")
    assert adapter.ok("recv", socket=s, timeout=WAIT_MS)["frames"] == ["787a"]


def test_every_option_is_taken(adapter):
    s = adapter.open("ROUTER", identity="72", heartbeatIvl=100, heartbeatTimeout=300,
                     heartbeatTtl=1000, handshakeIvl=2000, maxMsgSize=1024,
                     reconnectIvl=50, zmtpMinor=0)
    assert adapter.bind(s)
    sub = adapter.open("XSUB", subscribe=["", "61"])
    assert sub != s


def test_a_16_mib_frame_both_ways(adapter, ctx):
    big = bytes(range(256)) * (16 * 4096)
    s = adapter.open("PAIR")
    pair = ctx.socket(zmq.PAIR)
    pair.connect(adapter.bind(s))
    pair.send_multipart([big, b""])
    assert adapter.ok("recv", socket=s, timeout=WAIT_MS)["frames"] == [big.hex(), ""]
    adapter.ok("send", socket=s, frames=[big.hex()], timeout=WAIT_MS)
    assert pair.poll(WAIT_MS * 2)
    assert pair.recv() == big



# --- security (ADAPTER.md, "Security") ------------------------------------------------------

def curve_pair():
    public, secret = zmq.curve_keypair()
    return public.decode(), secret.decode()


def curve_push(ctx, server_public, pair=None):
    public, secret = pair or curve_pair()
    push = ctx.socket(zmq.PUSH)
    push.linger = 0
    push.curve_serverkey = server_public.encode()
    push.curve_publickey, push.curve_secretkey = public.encode(), secret.encode()
    return push


def test_a_curve_server_with_a_policy_names_the_sender(adapter, ctx):
    """The zap policy is the context's handler: a known key passes and each message says who
    sent it (zw_msg_auth: the user id the policy gave, the key); an unknown one is refused."""
    server_public, server_secret = curve_pair()
    known = curve_pair()
    s = adapter.open("PULL", mechanism="CURVE", asServer=True, curveSecretKey=server_secret,
                     zap={"curveKeys": [known[0]]})
    endpoint = adapter.bind(s)
    push = curve_push(ctx, server_public, known)
    push.connect(endpoint)
    push.send(b"hi")
    reply = adapter.ok("recv", socket=s, timeout=WAIT_MS)
    assert reply["frames"] == ["6869"]
    assert reply["auth"] == {"mechanism": "CURVE", "userId": known[0], "curveKey": known[0]}
    stranger = curve_push(ctx, server_public)
    stranger.connect(endpoint)
    stranger.send(b"no")
    assert adapter.request("recv", socket=s, timeout=500)["error"] == "timeout"
    assert "ZAP: 400 for a CURVE client" in adapter.log()


def test_a_plain_client_and_a_plain_server_of_one_adapter(adapter):
    server = adapter.open("PULL", mechanism="PLAIN", asServer=True,
                          zap={"plainUsers": {"admin": "secret"}, "allow": ["127.0.0.1"]})
    client = adapter.open("PUSH", mechanism="PLAIN", plainUsername="admin",
                          plainPassword="secret")
    adapter.ok("connect", socket=client, endpoint=adapter.bind(server))
    adapter.ok("send", socket=client, frames=["6f6b"], timeout=WAIT_MS)
    reply = adapter.ok("recv", socket=server, timeout=WAIT_MS)
    assert reply["frames"] == ["6f6b"]
    assert reply["auth"] == {"mechanism": "PLAIN", "userId": "admin"}


def test_zap_none_accepts_every_client_and_says_so(adapter, ctx):
    """DECISIONS S5: no handler, every client accepted, logged."""
    server_public, server_secret = curve_pair()
    s = adapter.open("PULL", mechanism="CURVE", asServer=True, curveSecretKey=server_secret,
                     zap="none")
    push = curve_push(ctx, server_public)
    push.connect(adapter.bind(s))
    push.send(b"any")
    assert adapter.ok("recv", socket=s, timeout=WAIT_MS)["frames"] == ["616e79"]


@pytest.mark.parametrize("options", [
    {"mechanism": "CURVE", "asServer": True},               # no secret key
    {"mechanism": "CURVE"},                                  # a client without the server's key
    {"mechanism": "NULL", "asServer": True},                 # NULL has no roles
    {"mechanism": "CURVE", "curveServerKey": "short"},
    {"zap": 7}, {"zap": {"curveKeys": "one"}}, {"asServer": True}])
def test_malformed_security_options_are_refused_and_it_goes_on(adapter, options):
    reply = adapter.request("open", type="PULL", options=options)
    assert reply["ok"] is False and reply["error"] != "unsupported"
    assert adapter.open("PULL")


def test_an_unknown_mechanism_is_unsupported(adapter):
    reply = adapter.request("open", type="PULL", options={"mechanism": "GSSAPI"})
    assert reply["error"] == "unsupported"
    assert adapter.wait() == 127
