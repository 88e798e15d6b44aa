"""Message flows for each legal socket-type pair (rfc-digest §4.7), shared by the
pair matrix (test_interop_pairs.py) and the self tests (test_self.py).

FLOWS[(A type, B type)](A, B, a_binds) exchanges messages both ways wherever the
pattern allows, with the envelopes each pattern puts on the wire.  options(TYPE,
binds) gives the command-line options each side needs (identities, SUB's
subscription to everything).
"""

import time

from peers import expect_recv, sync_subscription

PAIRS = [("REQ", "REP"), ("REQ", "ROUTER"), ("DEALER", "REP"), ("DEALER", "DEALER"),
         ("DEALER", "ROUTER"), ("ROUTER", "ROUTER"), ("PUB", "SUB"), ("PUB", "XSUB"),
         ("XPUB", "SUB"), ("XPUB", "XSUB"), ("PUSH", "PULL"), ("PAIR", "PAIR")]

IDENTITY = {"REQ": "req-id", "DEALER": "dealer-id"}


def options(sock_type, binds):
    opts = {}
    if sock_type in IDENTITY:
        opts["identity"] = IDENTITY[sock_type]
    if sock_type == "ROUTER":
        opts["identity"] = "router-bound" if binds else "router-connecting"
    if sock_type == "SUB":
        opts["subscribe"] = [""]
    return opts


# --- one flow per pattern: A has the first type of the pair, B the second -------------

def req_rep(A, B, a_binds):
    for i in range(2):
        assert A.send([b"request-%d" % i])
        expect_recv(B, [b"request-%d" % i])
        assert B.send([b"reply-%d" % i, b"second part"])
        expect_recv(A, [b"reply-%d" % i, b"second part"])


def req_router(A, B, a_binds):
    for i in range(2):
        assert A.send([b"request-%d" % i, b"more"])
        got = B.recv(3000)
        assert got is not None and len(got) == 4, "ROUTER got %r" % (got,)
        routing_id, delimiter, body = got[0], got[1], got[2:]
        assert delimiter == b"", "REQ envelope: empty delimiter frame expected, got %r" % (got,)
        assert body == [b"request-%d" % i, b"more"]
        if not a_binds:     # zmtp31.identity.router-addressing: REQ connecting to ROUTER
            assert routing_id == IDENTITY["REQ"].encode()
        assert B.send([routing_id, b"", b"reply-%d" % i])
        expect_recv(A, [b"reply-%d" % i])


def dealer_rep(A, B, a_binds):
    for i in range(2):
        assert A.send([b"", b"request-%d" % i])
        expect_recv(B, [b"request-%d" % i])
        assert B.send([b"reply-%d" % i])
        expect_recv(A, [b"", b"reply-%d" % i])


def dealer_dealer(A, B, a_binds):
    assert A.send([b"a1"])
    assert A.send([b"a2", b"", b"a2 part 3"])
    expect_recv(B, [b"a1"])
    expect_recv(B, [b"a2", b"", b"a2 part 3"])
    assert B.send([b"b1", b"b1 part 2"])
    expect_recv(A, [b"b1", b"b1 part 2"])


def dealer_router(A, B, a_binds):
    for i in range(2):
        assert A.send([b"d%d" % i, b"part 2"])
        got = B.recv(3000)
        assert got is not None and got[1:] == [b"d%d" % i, b"part 2"], "ROUTER got %r" % (got,)
        if not a_binds:
            assert got[0] == IDENTITY["DEALER"].encode()
        assert B.send([got[0], b"r%d" % i])
        expect_recv(A, [b"r%d" % i])


def router_router(A, B, a_binds):
    bound, connecting = (A, B) if a_binds else (B, A)
    # The connecting ROUTER speaks first, to the identity the bound ROUTER announced.
    deadline = time.monotonic() + 3.0
    while True:
        assert connecting.send([b"router-bound", b"hello"])
        got = bound.recv(200)
        if got is not None:
            break
        assert time.monotonic() < deadline, "bound ROUTER never got the message addressed to it"
    assert got == [b"router-connecting", b"hello"], got
    assert bound.send([b"router-connecting", b"world", b"part 2"])
    expect_recv(connecting, [b"router-bound", b"world", b"part 2"])


def pub_sub(A, B, a_binds):
    if B.type == "XSUB":
        assert B.send([b"\x01"])        # XSUB subscribes by a message: 0x01 + topic
    sync_subscription(A, B)
    assert A.send([b"topic", b"part 2"])
    assert A.send([b""])
    expect_recv(B, [b"topic", b"part 2"])
    expect_recv(B, [b""])


def xpub_sub(A, B, a_binds):
    # XPUB sees the subscription as a message: 0x01 + topic (here the empty topic).
    expect_recv(A, [b"\x01"], what="XPUB subscription message")
    assert A.send([b"topic", b"part 2"])
    expect_recv(B, [b"topic", b"part 2"])


def xpub_xsub(A, B, a_binds):
    assert B.send([b"\x01news"])
    expect_recv(A, [b"\x01news"], what="XPUB subscription message")
    assert A.send([b"weather"])                  # filtered out
    assert A.send([b"news", b"part 2"])
    expect_recv(B, [b"news", b"part 2"])


def push_pull(A, B, a_binds):
    for i in range(3):
        assert A.send([b"job-%d" % i] + [b"part"] * i)
    for i in range(3):
        expect_recv(B, [b"job-%d" % i] + [b"part"] * i)


def pair_pair(A, B, a_binds):
    assert A.send([b"ping", b""])
    expect_recv(B, [b"ping", b""])
    assert B.send([b"pong"])
    expect_recv(A, [b"pong"])


FLOWS = {("REQ", "REP"): req_rep, ("REQ", "ROUTER"): req_router,
         ("DEALER", "REP"): dealer_rep, ("DEALER", "DEALER"): dealer_dealer,
         ("DEALER", "ROUTER"): dealer_router, ("ROUTER", "ROUTER"): router_router,
         ("PUB", "SUB"): pub_sub, ("PUB", "XSUB"): pub_sub, ("XPUB", "SUB"): xpub_sub,
         ("XPUB", "XSUB"): xpub_xsub, ("PUSH", "PULL"): push_pull, ("PAIR", "PAIR"): pair_pair}
