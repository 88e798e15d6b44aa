"""The subject against itself (both sides the ZWIRE_SUBJECT implementation), over
tcp and over ipc (a socket file in the test's temporary directory), for a few
pairs of the compatibility table, with the same flows as the libzmq matrix.

Clauses: zmtp31.socket-type.check, zmtp31.socket.bind-and-connect,
zmtp31.null.client-ready-first, zmtp31.null.server-ready-reply,
zmtp31.socket.reqrep-semantics, zmtp31.pubsub.semantics,
zmtp31.socket.pipeline-semantics, zmtp31.socket.pair-semantics.
"""

import pytest

from patterns import FLOWS, options
from peers import TCP_ANY, wait_handshaken

SELF_PAIRS = [("PAIR", "PAIR"), ("REQ", "REP"), ("DEALER", "ROUTER"), ("ROUTER", "ROUTER"),
              ("PUB", "SUB"), ("XPUB", "XSUB"), ("PUSH", "PULL")]


@pytest.mark.parametrize("transport", ["tcp", "ipc"])
@pytest.mark.parametrize("a,b", SELF_PAIRS, ids=["%s-%s" % p for p in SELF_PAIRS])
def test_subject_against_itself(spawn, tmp_path, transport, a, b):
    """The first type binds, the second connects."""
    endpoint = TCP_ANY if transport == "tcp" else "ipc://%s" % (tmp_path / "self.sock")
    A = spawn("subject", a, bind=[endpoint], **options(a, True))
    if transport == "ipc":
        assert A.endpoint.startswith("ipc://"), A.endpoints
    B = spawn("subject", b, connect=[A.endpoint], **options(b, False))
    wait_handshaken(A, B)
    FLOWS[(a, b)](A, B, True)
