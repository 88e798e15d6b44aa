"""Socket-type mismatches are refused: a PUSH connecting to a PUB, a REQ connecting
to a PULL, with the subject on either side, and a raw client announcing a wrong
Socket-Type.  No message is delivered, the subject never counts the connection
as a peer; zwire also says why on stderr.

Clauses: zmtp31.socket-type.check, zmtp31.socket-type.error-then-close (an ERROR
before the close is allowed, not required here: it is a SHOULD),
zmtp31.null.close-on-invalid, zmtp31.metadata.socket-type.
"""

import pytest

import rawzmtp as R
from peers import TCP_ANY, port_of

CASES = [
    # (subject type, libzmq type, subject binds)
    ("PUSH", "PUB", False),
    ("PUB", "PUSH", True),
    ("REQ", "PULL", False),
    ("PULL", "REQ", True),
]


def ids(case):
    s, o, binds = case
    return "subject=%s-%s-libzmq=%s" % (s, "binds" if binds else "connects", o)


@pytest.fixture(params=CASES, ids=[ids(c) for c in CASES])
def mismatch(request, spawn):
    subject_type, other_type, subject_binds = request.param
    if subject_binds:
        subject = spawn("subject", subject_type, bind=[TCP_ANY])
        other = spawn("libzmq", other_type, connect=[subject.endpoint], reconnect_ivl=100)
    else:
        other = spawn("libzmq", other_type, bind=[TCP_ANY])
        subject = spawn("subject", subject_type, connect=[other.endpoint], reconnect_ivl=100)
    return subject, other


def test_mismatched_pair_is_refused(mismatch):
    """zmtp31.socket-type.check: neither side completes the handshake, nothing is
    delivered, over several reconnect attempts."""
    subject, other = mismatch
    sender = subject if subject.type in ("PUSH", "REQ") else other
    receiver = other if sender is subject else subject
    sender.send([b"must not arrive"], 0)         # queued or refused: either is fine
    samples = []
    for _ in range(5):
        subject.sleep(100)
        samples.append(subject.stats()["peers"])
    assert samples == [0] * 5, "the subject counted a mismatched peer: %r" % samples
    ok, n = subject.peers(1, 200)
    assert not ok and n == 0
    assert other.stats()["peers"] == 0
    if receiver.type == "PULL":
        assert receiver.recv(300) is None, "a message crossed a refused connection"


@pytest.mark.zwire_only
def test_mismatch_is_logged(mismatch):
    """zwire-only: every connection lost is logged, and none is blamed on a rule other
    than the socket-type check.  Which side refuses first is a race: libzmq checks
    the Socket-Type as soon as it reads the subject's READY and closes without
    sending its own, so the subject may only see the peer close (the raw test below
    is the deterministic one)."""
    subject, other = mismatch
    held, stats = subject.wait_stats(lambda s: s["closed"] >= 1)
    assert held, "no connection closed on the subject: %r" % stats
    lines = [l for l in subject.stderr_text().splitlines() if "closed:" in l]
    assert lines, "no close logged:\n" + subject.stderr_text()
    blamed = [l for l in lines if "[" in l and "socket-type" not in l.lower()]
    assert not blamed, "closes blamed on another rule:\n" + "\n".join(blamed)


@pytest.fixture
def raw_mismatch(spawn):
    subject = spawn("subject", "PULL", bind=[TCP_ANY], handshake_ivl=1000)
    client = R.RawClient("127.0.0.1", port_of(subject.endpoint))
    client.send(R.greeting() + R.ready(b"PUB"))
    closed = client.wait_closed(3.0)
    yield subject, client, closed
    client.close()


def test_raw_wrong_socket_type_is_closed(raw_mismatch):
    """zmtp31.socket-type.check, zmtp31.socket-type.error-then-close: a client
    announcing Socket-Type PUB to a PULL is disconnected; an ERROR command before the
    close is accepted (and must then be well-formed: zmtp31.null.error)."""
    subject, client, closed = raw_mismatch
    assert closed, "connection announcing PUB to a PULL still open after 3 s"
    reason = R.error_reason(client.received)
    if reason is not None:
        assert len(reason) <= 255
    assert subject.stats()["peers"] == 0


@pytest.mark.zwire_only
def test_raw_wrong_socket_type_is_logged(raw_mismatch):
    """zwire-only: the log line names the peer's port and the socket-type rule
    (zmtp31.socket-type.check)."""
    subject, client, closed = raw_mismatch
    subject.wait_stats(lambda s: s["closed"] >= 1)
    lines = [l for l in subject.stderr_text().splitlines() if ":%d" % client.local_port in l]
    assert any("socket-type" in l.lower() for l in lines), (
        "no log line naming socket-type for port %d:\n%s" % (client.local_port,
                                                             subject.stderr_text()))
