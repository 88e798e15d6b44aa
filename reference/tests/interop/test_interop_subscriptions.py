"""Subscriptions between the subject and libzmq: SUB / XSUB subscriptions and
cancellations with topics of 0, 245, 246, 255 and 256 octets (245 and 246 put a
3.1 SUBSCRIBE body at 255 / 256 octets, the short / long size boundary; 255 and
256 do the same for a 3.0 subscription message), filtering at the publisher,
the empty topic matching everything, counted subscriptions, and XPUB receiving
the subscription messages (0x01 + topic, 0x00 + topic).

Clauses: zmtp31.command.subscribe, zmtp31.command.cancel,
zmtp31.pubsub.subscribe-command, zmtp31.pubsub.cancel-command,
zmtp30.pubsub.subscribe-message, zmtp30.pubsub.cancel-message (what libzmq and
XPUB / XSUB applications see), zmtp31.pubsub.publisher-filters,
zmtp31.pubsub.prefix-match, zmtp31.pubsub.empty-matches-all,
zmtp31.pubsub.additive, zmtp31.pubsub.counted, zmtp31.command.long-size.
"""

import time

import pytest
import zmq

from peers import TCP_ANY, expect_recv, short, sync_subscription, wait_handshaken

TOPIC_SIZES = [0, 245, 246, 255, 256]

# libzmq before 4.3.5 writes a SUBSCRIBE / CANCEL command whose topic has 246..255
# octets with an 8-octet size but without the LONG flag (libzmq issue #4367, fixed
# by PR #4564 in 4.3.5): `04 00 00 00 00 00 00 01 00 09 SUBSCRIBE ...`.  The
# subscription is lost and the stream after it is garbage, so with a libzmq SUB
# on the subscribing side those sizes are left out here (a libzmq XSUB is fine:
# it sends 3.0 subscription messages).  test_libzmq_broken_subscribe_is_refused
# checks what the subject does with that stream.
LIBZMQ_LONG_SUBSCRIBE_BUG = zmq.zmq_version_info() < (4, 3, 5)


def topic_sizes(subscriber):
    """The topic sizes a test can use with this subscriber peer."""
    if subscriber.impl == "libzmq" and subscriber.type == "SUB" and LIBZMQ_LONG_SUBSCRIBE_BUG:
        return [n for n in TOPIC_SIZES if not 246 <= n <= 255]
    return TOPIC_SIZES
MARK = b"~mark"         # a standing subscription used to sync; no topic below starts with '~'


def topic(n):
    return bytes((i * 37 + 11) % 256 for i in range(n))


def subscribe(peer, t):
    if peer.type == "XSUB":
        assert peer.send([b"\x01" + t])         # XSUB: a subscription message
    else:
        peer.subscribe(t)


def unsubscribe(peer, t):
    if peer.type == "XSUB":
        assert peer.send([b"\x00" + t])
    else:
        peer.unsubscribe(t)


def wait_cancelled(pub, sub, t, timeout=3.0):
    """Until messages starting with t stop arriving: each round publishes t + x and
    then a MARK message; a round in which MARK arrives alone proves the cancel
    reached the publisher (messages between two peers keep their order)."""
    deadline = time.monotonic() + timeout
    n = 0
    while True:
        assert pub.send([t + b"-after-cancel-%d" % n])
        assert pub.send([MARK + b"-%d" % n])
        leaked = False
        while True:
            got = sub.recv(3000)
            assert got is not None, "MARK message lost"
            if got == [MARK + b"-%d" % n]:
                break
            assert got[0].startswith(t), "unexpected %r" % (short(got),)
            leaked = True
        if not leaked:
            return
        n += 1
        assert time.monotonic() < deadline, (
            "cancel of a %d-octet topic never reached the publisher" % len(t))


def start_pubsub(spawn, subject_role, sub_type):
    if subject_role == "publisher":
        pub = spawn("subject", "PUB", bind=[TCP_ANY])
        sub = spawn("libzmq", sub_type, connect=[pub.endpoint])
    else:
        pub = spawn("libzmq", "PUB", bind=[TCP_ANY])
        sub = spawn("subject", sub_type, connect=[pub.endpoint])
    wait_handshaken(pub, sub)
    subscribe(sub, MARK)
    sync_subscription(pub, sub, MARK)
    return pub, sub


VARIANTS = [("publisher", "SUB"), ("publisher", "XSUB"), ("subscriber", "SUB"),
            ("subscriber", "XSUB")]


@pytest.mark.parametrize("subject_role,sub_type", VARIANTS,
                         ids=["subject=PUB,libzmq=SUB", "subject=PUB,libzmq=XSUB",
                              "subject=SUB,libzmq=PUB", "subject=XSUB,libzmq=PUB"])
def test_prefix_filtering_at_every_topic_size(spawn, subject_role, sub_type):
    """zmtp31.pubsub.publisher-filters, zmtp31.pubsub.prefix-match,
    zmtp31.pubsub.empty-matches-all, zmtp31.command.subscribe / cancel (short and long
    command sizes), zmtp30.pubsub.subscribe-message / cancel-message (XSUB)."""
    pub, sub = start_pubsub(spawn, subject_role, sub_type)
    for n in topic_sizes(sub):
        t = topic(n)
        subscribe(sub, t)
        sync_subscription(pub, sub, t)
        if n:
            # A strict prefix of the topic and a message differing in the topic's
            # last octet do not match; the topic itself and any extension do.
            assert pub.send([t[:-1]])
            assert pub.send([t[:-1] + bytes([t[-1] ^ 0xFF]) + b"tail"])
            assert pub.send([t])
            assert pub.send([t + b"tail", b"part 2"])
            expect_recv(sub, [t], what="%d-octet topic: exact match" % n)
            expect_recv(sub, [t + b"tail", b"part 2"], what="%d-octet topic: prefix match" % n)
        else:
            assert pub.send([b""])
            assert pub.send([b"anything at all"])
            expect_recv(sub, [b""], what="empty topic matches the empty message")
            expect_recv(sub, [b"anything at all"], what="empty topic matches everything")
        unsubscribe(sub, t)
        wait_cancelled(pub, sub, t)


@pytest.mark.parametrize("subject_role", ["publisher", "subscriber"],
                         ids=["subject=PUB,libzmq=SUB", "subject=SUB,libzmq=PUB"])
def test_subscriptions_are_counted(spawn, subject_role):
    """zmtp31.pubsub.counted, zmtp31.pubsub.additive: subscribe twice, cancel once and
    the topic still flows; the second cancel stops it."""
    pub, sub = start_pubsub(spawn, subject_role, "SUB")
    t = b"counted"
    subscribe(sub, t)
    subscribe(sub, t)
    unsubscribe(sub, t)
    # A new subscription after the cancel: once it is live at the publisher, the
    # cancel before it has been handled too (they travel in order).
    subscribe(sub, b"~sync2")
    sync_subscription(pub, sub, b"~sync2")
    assert pub.send([t + b"-still"])
    assert pub.send([MARK + b"-after"])
    expect_recv(sub, [t + b"-still"], what="topic subscribed twice, cancelled once")
    expect_recv(sub, [MARK + b"-after"])
    unsubscribe(sub, t)
    wait_cancelled(pub, sub, t)


XPUB_VARIANTS = [("subject", "libzmq"), ("subject", "subject"), ("libzmq", "subject")]


@pytest.mark.parametrize("xpub_role,sub_role", XPUB_VARIANTS,
                         ids=["XPUB=subject,SUB=libzmq", "XPUB=subject,SUB=subject",
                              "XPUB=libzmq,SUB=subject"])
def test_xpub_receives_subscription_messages(spawn, xpub_role, sub_role):
    """zmtp30.pubsub.subscribe-message / cancel-message as an XPUB application sees them,
    whether they came as 3.1 SUBSCRIBE / CANCEL commands (zmtp31.pubsub.subscribe-command,
    zmtp31.pubsub.cancel-command) or as 3.0 messages."""
    xpub = spawn(xpub_role, "XPUB", bind=[TCP_ANY])
    sub = spawn(sub_role, "SUB", connect=[xpub.endpoint])
    wait_handshaken(xpub, sub)
    for n in topic_sizes(sub):
        t = topic(n)
        sub.subscribe(t)
        expect_recv(xpub, [b"\x01" + t], what="XPUB: subscription to a %d-octet topic" % n)
        assert xpub.send([t + b"data"])
        expect_recv(sub, [t + b"data"])
        sub.unsubscribe(t)
        expect_recv(xpub, [b"\x00" + t], what="XPUB: cancel of a %d-octet topic" % n)


@pytest.mark.zwire_only
@pytest.mark.skipif(not LIBZMQ_LONG_SUBSCRIBE_BUG, reason="libzmq >= 4.3.5 has no issue #4367")
def test_libzmq_broken_subscribe_is_refused(spawn):
    """zwire-only.  libzmq 4.3.4's SUBSCRIBE for a 250-octet topic starts with
    `04 00`: a command frame with an empty body, which breaks zmtp31.command.name;
    the subject drops the connection (zmtp31.error.close-other) and logs it, and
    keeps serving its other subscriber."""
    pub = spawn("subject", "PUB", bind=[TCP_ANY])
    good = spawn("libzmq", "SUB", connect=[pub.endpoint])
    bad = spawn("libzmq", "SUB", connect=[pub.endpoint], reconnect_ivl=1000)
    wait_handshaken(good, bad)
    ok, _ = pub.peers(2)
    assert ok
    good.subscribe(MARK)
    bad.subscribe(bytes(250))
    sync_subscription(pub, good, MARK)
    held, stats = pub.wait_stats(lambda s: s["errors"] >= 1)
    assert held, "the subject kept a connection that sent `04 00 ...`: %r" % stats
    assert "malformed-command" in pub.stderr_text()
    assert pub.send([MARK + b"-still"])
    expect_recv(good, [MARK + b"-still"])
