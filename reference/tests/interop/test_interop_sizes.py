"""Frame sizes and multipart messages between the subject and libzmq, both
directions, on PAIR and on DEALER-ROUTER (the subject on either side).

Single-frame messages of 0, 1, 255, 256 (the short / long size boundary),
65536 and 16 MiB octets; messages made of empty frames only; multipart messages
mixing short and long frames.

Clauses: zmtp31.frame.short-size, zmtp31.frame.long-size, zmtp31.frame.message-atomic,
zmtp31.socket.atomic, zmtp31.socket.in-order, zmtp31.wire.clear-text-framing,
zmtp31.socket.pair-semantics, zmtp31.socket.reqrep-semantics.
"""

import pytest

from peers import TCP_ANY, expect_recv, short, wait_handshaken

SIZES = [0, 1, 255, 256, 65536, 16 * 1024 * 1024]
PATTERN = bytes(range(256))


def payload(n, salt=0):
    reps = n // 256 + 2
    return (PATTERN * reps)[salt % 256:salt % 256 + n]


MULTIPART = [
    [b"", b""],
    [b"", b"", b"", b""],
    [payload(1), b"", payload(255, 1), payload(256, 2), b""],
    [payload(65536, 3), payload(256, 4), b"", payload(1, 5)],
]

VARIANTS = {
    # name: (subject type, libzmq type, subject binds)
    "PAIR": ("PAIR", "PAIR", True),
    "DEALER-ROUTER:subject=DEALER": ("DEALER", "ROUTER", False),
    "DEALER-ROUTER:subject=ROUTER": ("ROUTER", "DEALER", True),
}


@pytest.fixture(params=list(VARIANTS), ids=list(VARIANTS))
def link(request, spawn):
    subject_type, other_type, subject_binds = VARIANTS[request.param]
    opts = lambda t: {"identity": "dealer-id"} if t == "DEALER" else {}
    if subject_binds:
        subject = spawn("subject", subject_type, bind=[TCP_ANY], **opts(subject_type))
        other = spawn("libzmq", other_type, connect=[subject.endpoint], **opts(other_type))
    else:
        other = spawn("libzmq", other_type, bind=[TCP_ANY], **opts(other_type))
        subject = spawn("subject", subject_type, connect=[other.endpoint], **opts(subject_type))
    wait_handshaken(subject, other)
    return subject, other


def envelope(peer):
    """Frames a ROUTER puts before (sending) or finds before (receiving) the body."""
    return [b"dealer-id"] if peer.type == "ROUTER" else []


@pytest.mark.parametrize("direction", ["subject-sends", "subject-receives"])
def test_sizes_and_multipart(link, direction):
    """zmtp31.frame.short-size / long-size at every boundary, zmtp31.socket.atomic for
    multipart messages, zmtp31.socket.in-order for the sequence."""
    subject, other = link
    sender, receiver = (subject, other) if direction == "subject-sends" else (other, subject)
    messages = [[payload(n, i)] for i, n in enumerate(SIZES)] + MULTIPART
    for body in messages:
        assert sender.send(envelope(sender) + body, 5000), "send of %r timed out" % (short(body),)
        expect_recv(receiver, envelope(receiver) + body, 5000,
                    what="%s receiving %d frame(s) of %s octets" % (
                        receiver.name, len(body), [len(f) for f in body]))
    # and a burst, queued before anything is read: order and boundaries kept
    for body in messages[:4] + MULTIPART:
        assert sender.send(envelope(sender) + body, 5000)
    for body in messages[:4] + MULTIPART:
        expect_recv(receiver, envelope(receiver) + body, 5000)
