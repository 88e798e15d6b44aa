"""Version negotiation: the subject speaking ZMTP 3.0 to libzmq (3.1), and a
2.0 peer (raw octets: libzmq 4.3 cannot be made to speak 2.0) meeting the
subject, which must step down and keep working.

Clauses: zmtp31.version.partial-greeting, zmtp31.version.downgrade,
zmtp31.version.own-protocol, zmtp30.pubsub.subscribe-message,
zmtp30.pubsub.cancel-message, zmtp31.pubsub.subscribe-command,
zmtp20.greeting.socket-type, zmtp20.socket.type-mismatch-disconnect,
zmtp31.version.downgrade-or-close."""

import struct
import time

import pytest

import peers as P
import rawzmtp as Z

pytestmark = pytest.mark.zwire_only     # --zmtp 3.0 and the 2.0 downgrade are the subject's


def tcp_port(endpoint):
    return int(endpoint.rsplit(":", 1)[1])


def recv_until(receiver, sender, frames, timeout=3.0):
    """Publishes until the receiver gets a message (subscriptions travel in the meantime)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sender.send(frames, timeout=0)
        got = receiver.recv(timeout=100)
        if got is not None:
            return got
    return None


def test_subject_30_subscriber_sends_subscription_messages(spawn):
    """A 3.0 SUB subscribes with a 0x01 message (zmtp30.pubsub.subscribe-message);
    libzmq's XPUB hands it up as such."""
    xpub = spawn("libzmq", "XPUB", bind=["tcp://127.0.0.1:0"])
    sub = spawn("subject", "SUB", connect=[xpub.endpoint], zmtp="3.0", subscribe=["ab"])
    assert xpub.recv() == [b"\x01ab"]
    assert recv_until(sub, xpub, [b"abc"]) == [b"abc"]
    sub.unsubscribe(b"ab")                      # zmtp30.pubsub.cancel-message
    assert xpub.recv() == [b"\x00ab"]


def test_libzmq_subscriber_meets_a_30_publisher(spawn):
    """libzmq steps down to 3.0 for us: its subscription arrives as a 0x01 message."""
    xpub = spawn("subject", "XPUB", bind=["tcp://127.0.0.1:0"], zmtp="3.0")
    sub = spawn("libzmq", "SUB", connect=[xpub.endpoint], subscribe=["x"])
    sub.recv(timeout=50)                        # lets libzmq's SUB send its subscription
    assert xpub.recv() == [b"\x01x"]
    assert recv_until(sub, xpub, [b"xy"]) == [b"xy"]


def test_partial_greeting_first(spawn):
    """Only the signature and the major version go out before the peer's version is
    known (zmtp31.version.partial-greeting)."""
    pull = spawn("subject", "PULL", bind=["tcp://127.0.0.1:0"])
    raw = Z.RawClient("127.0.0.1", tcp_port(pull.endpoint))
    raw.pump(0.3)
    assert raw.received == b"\xff" + struct.pack(">Q", 1) + b"\x7f\x03"
    raw.close()


def test_downgrade_to_a_20_peer(spawn):
    """A 2.0 PUSH gets a 2.0 greeting (zmtp20.greeting.socket-type: PULL = 7, empty
    identity) and its 2.0 frames are delivered (zmtp31.version.downgrade)."""
    pull = spawn("subject", "PULL", bind=["tcp://127.0.0.1:0"])
    raw = Z.RawClient("127.0.0.1", tcp_port(pull.endpoint))
    assert raw.handshake_v2("PUSH")
    assert raw.received[10:14] == bytes([0x03, 7, 0x00, 0x00])   # our major, then 2.0 fields
    raw.send(bytes([0x01, 2]) + b"hi" + bytes([0x00, 0]))        # 2.0 frames: MORE, then last
    assert pull.recv() == [b"hi", b""]
    assert pull.stats()["peers"] == 1
    raw.close()


def test_20_subscriber_uses_subscription_messages(spawn):
    """A 2.0 SUB subscribes with a 0x01 message, which a 3.1 PUB accepts from anyone;
    the message it gets is one frame with MORE clear (zmtp20.frame.single-more-zero)."""
    pub = spawn("subject", "PUB", bind=["tcp://127.0.0.1:0"])
    raw = Z.RawClient("127.0.0.1", tcp_port(pub.endpoint))
    assert raw.handshake_v2("SUB")
    raw.send(bytes([0x00, 3]) + b"\x01ab")
    raw.received = b""
    deadline = time.monotonic() + 3
    while b"abc" not in raw.received and time.monotonic() < deadline:
        pub.send([b"abc"], timeout=0)
        raw.pump(0.05)
    assert bytes([0x00, 3]) + b"abc" in raw.received
    raw.close()


def test_20_type_mismatch_is_dropped(spawn):
    """zmtp20.socket.type-mismatch-disconnect: a 2.0 PUB cannot feed a PULL."""
    pull = spawn("subject", "PULL", bind=["tcp://127.0.0.1:0"])
    raw = Z.RawClient("127.0.0.1", tcp_port(pull.endpoint))
    raw.send(Z.greeting_v2(Z.V2_TYPES["PUB"]))
    assert raw.wait_closed(3.0)
    assert "zmtp20.socket.type-mismatch-disconnect" in pull.stderr_text()


def test_10_peer_is_refused(spawn):
    """zmtp31.version.downgrade-or-close: the subject does not speak 1.0."""
    pull = spawn("subject", "PULL", bind=["tcp://127.0.0.1:0"])
    raw = Z.RawClient("127.0.0.1", tcp_port(pull.endpoint))
    raw.send(bytes([0x01, 0x00]))               # a 1.0 identity frame: length 1, flags 0
    assert raw.wait_closed(3.0)
    assert "unsupported-version [zmtp31.version.downgrade-or-close]" in pull.stderr_text()
