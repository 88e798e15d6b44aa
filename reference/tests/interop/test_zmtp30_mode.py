"""The subject speaking ZMTP 3.0 (`--zmtp 3.0`): against libzmq, which steps
down to 3.0 for it, and against a raw 3.0 peer whose octets are checked one
by one.  The clauses cited are the 23/ZMTP (zmtp30.*) ones, since the
connection under test is a 3.0 connection.

Clauses: zmtp30.version.own-protocol, zmtp30.socket.bind-and-connect,
zmtp30.socket.async-connect, zmtp30.socket.atomic, zmtp30.frame.message-atomic,
zmtp30.socket.in-order, zmtp30.socket.no-duplicates, zmtp30.socket.reqrep-semantics,
zmtp30.socket.pipeline-semantics, zmtp30.socket.pair-semantics, zmtp30.pubsub.semantics,
zmtp30.null.ready-both, zmtp30.null.ready-before-receive, zmtp30.metadata.exchange,
zmtp30.socket-type.values, zmtp30.wire.clear-text-messages,
zmtp30.wire.clear-text-framing, zmtp30.pubsub.single-frame,
zmtp30.pubsub.publisher-filters, zmtp30.pubsub.prefix-match,
zmtp30.pubsub.empty-matches-all, zmtp30.pubsub.additive, zmtp30.pubsub.counted,
zmtp30.handshake.commands-first, zmtp30.identity.length,
zmtp30.version.partial-greeting, zmtp30.greeting.full-after-read."""

import socket
import time

import pytest

import rawzmtp as Z
from patterns import FLOWS, options
from peers import TCP_ANY, port_of, wait_handshaken

pytestmark = pytest.mark.zwire_only     # --zmtp 3.0 is the subject's own option

FLOW_PAIRS = [("REQ", "REP"), ("DEALER", "ROUTER"), ("PUSH", "PULL"), ("PAIR", "PAIR"),
              ("PUB", "SUB"), ("XPUB", "XSUB")]


@pytest.mark.parametrize("a,b", FLOW_PAIRS, ids=["%s-%s" % p for p in FLOW_PAIRS])
@pytest.mark.parametrize("subject_binds", [True, False], ids=["subject-binds", "subject-connects"])
def test_patterns_over_30(spawn, a, b, subject_binds):
    """libzmq (3.1) meets a 3.0 subject and both keep to 3.0 (zmtp30.version.own-protocol);
    every pattern works in both roles (zmtp30.socket.bind-and-connect), messages whole
    and in order (zmtp30.socket.atomic, zmtp30.socket.in-order), none twice
    (zmtp30.socket.no-duplicates: nothing is left to receive afterwards)."""
    if subject_binds:
        A = spawn("subject", a, bind=[TCP_ANY], zmtp="3.0", **options(a, True))
        B = spawn("libzmq", b, connect=[A.endpoint], **options(b, False))
    else:
        B = spawn("libzmq", b, bind=[TCP_ANY], **options(b, True))
        A = spawn("subject", a, connect=[B.endpoint], zmtp="3.0", **options(a, False))
    wait_handshaken(A, B)
    FLOWS[(a, b)](A, B, subject_binds)
    if a not in ("PUB", "XPUB"):
        assert B.recv(timeout=100) is None
    if a in ("DEALER", "PAIR"):
        assert A.recv(timeout=100) is None


def test_connect_before_the_endpoint_exists(spawn):
    """zmtp30.socket.async-connect: the subject connects to a port nobody listens on
    yet; once libzmq binds it, messages flow."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    endpoint = "tcp://127.0.0.1:%d" % probe.getsockname()[1]
    probe.close()
    push = spawn("subject", "PUSH", connect=[endpoint], zmtp="3.0", reconnect_ivl=20)
    push.sleep(100)
    pull = spawn("libzmq", "PULL", bind=[endpoint])
    assert push.send([b"late"], timeout=3000)
    assert pull.recv() == [b"late"]


def raw_30(peer):
    return Z.RawClient("127.0.0.1", port_of(peer.endpoint))


def test_ready_without_waiting_and_its_metadata(spawn):
    """The subject sends its whole greeting once it has read ours (zmtp30.greeting.full-after-read)
    and READY without waiting for ours (zmtp30.null.ready-before-receive, zmtp30.null.ready-both),
    carrying Socket-Type with its exact name (zmtp30.metadata.exchange, zmtp30.socket-type.values)."""
    pub = spawn("subject", "PUB", bind=[TCP_ANY], zmtp="3.0")
    raw = raw_30(pub)
    raw.send(Z.greeting(minor=0))
    raw._pump_until(lambda: any(n == b"READY" for n, _ in Z.commands_in(raw.received)), 3.0)
    assert raw.received[:64] == Z.greeting(minor=0, padding=bytes(7) + b"\x01")
    ready = [d for n, d in Z.commands_in(raw.received) if n == b"READY"]
    assert ready == [Z.prop(b"Socket-Type", b"PUB")]
    raw.close()


def test_30_subscriber_filtering_on_the_wire(spawn):
    """A 3.0 subscriber subscribes with one final frame 0x01 + topic and cancels
    with 0x00 + topic (zmtp30.pubsub.single-frame); the publisher filters
    (zmtp30.pubsub.publisher-filters) by prefix (zmtp30.pubsub.prefix-match),
    the union of topics counts (zmtp30.pubsub.additive) and each subscription
    needs its own cancel (zmtp30.pubsub.counted).  Messages travel as plain
    frames (zmtp30.wire.clear-text-messages, zmtp30.wire.clear-text-framing)."""
    pub = spawn("subject", "PUB", bind=[TCP_ANY], zmtp="3.0")
    raw = raw_30(pub)
    assert raw.handshake(b"SUB", minor=0)
    raw.send(Z.frame(b"\x01ab") + Z.frame(b"\x01ab") + Z.frame(b"\x01x"))
    raw.received = b""

    def published(*topics, want):
        """Publishes until `want` arrives; returns what came before it, in order."""
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            for t in topics:
                pub.send([t], timeout=0)
            pub.send([want], timeout=0)
            raw.pump(0.05)
            if Z.frame(want) in raw.received:
                return raw.received
        return raw.received

    got = published(b"abc", b"zzz", want=b"xyz")
    assert Z.frame(b"abc") in got and Z.frame(b"zzz") not in got
    raw.send(Z.frame(b"\x00ab"))                # one of two cancelled: still subscribed
    raw.received = b""
    got = published(b"abd", want=b"xyz")
    assert got.startswith(Z.frame(b"abd")) or Z.frame(b"abd") in got
    raw.send(Z.frame(b"\x00ab"))                # the second cancel: no more 'ab'
    pub.sleep(50)
    raw.received = b""
    got = published(b"abe", want=b"xyz")
    assert got == Z.frame(b"xyz") * (got.count(Z.frame(b"xyz")))
    raw.send(Z.frame(b"\x01"))                  # zmtp30.pubsub.empty-matches-all
    raw.received = b""
    got = published(want=b"anything")
    assert Z.frame(b"anything") in got
    raw.close()


def test_message_before_ready_is_refused(spawn):
    """zmtp30.handshake.commands-first: a 3.0 peer that sends a message before READY is closed."""
    pull = spawn("subject", "PULL", bind=[TCP_ANY], zmtp="3.0")
    raw = raw_30(pull)
    raw.send(Z.greeting(minor=0) + Z.frame(b"early"))
    assert raw.wait_closed(3.0)
    assert "handshake.commands-first" in pull.stderr_text()
    assert pull.recv(timeout=100) is None


def test_identity_over_255_octets_is_refused(spawn):
    """zmtp30.identity.length: an Identity is 0..255 octets."""
    router = spawn("subject", "ROUTER", bind=[TCP_ANY], zmtp="3.0")
    raw = raw_30(router)
    raw.send(Z.greeting(minor=0) + Z.ready(b"DEALER", identity=b"i" * 256))
    assert raw.wait_closed(3.0)
    assert "identity.length" in router.stderr_text()
    assert router.stats()["peers"] == 0
