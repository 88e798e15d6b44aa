"""Every legal socket-type pair of the compatibility table (rfc-digest §4.7, §5.2)
between the subject and libzmq, over tcp: the subject on each side of the pair,
binding and then connecting.  Messages go both ways wherever the pattern allows,
with the envelopes each pattern puts on the wire (REQ/REP's empty delimiter,
ROUTER's identity frame).

Clauses: zmtp31.socket-type.values, zmtp31.socket-type.check (a legal pair is
accepted), zmtp31.null.server-ready-reply, zmtp31.socket.bind-and-connect,
zmtp31.socket.atomic (multipart), zmtp31.socket.in-order,
zmtp31.socket.reqrep-semantics, zmtp31.identity.router-addressing,
zmtp31.pubsub.semantics, zmtp31.pubsub.empty-matches-all,
zmtp31.socket.pipeline-semantics, zmtp31.socket.pair-semantics.

Test ids: PAIR-TYPES:subject=TYPE:subject-binds|subject-connects.
"""

import pytest

from patterns import FLOWS, PAIRS, options
from peers import TCP_ANY, wait_handshaken


def cases():
    for a, b in PAIRS:
        for subject_is_a in ((True,) if a == b else (True, False)):
            for mode in ("subject-binds", "subject-connects"):
                yield pytest.param(a, b, subject_is_a, mode == "subject-binds",
                                   id="%s-%s:subject=%s:%s" % (
                                       a, b, a if subject_is_a else b, mode))


@pytest.mark.parametrize("a,b,subject_is_a,subject_binds", list(cases()))
def test_legal_pair(spawn, a, b, subject_is_a, subject_binds):
    """zmtp31.socket-type.check, zmtp31.socket.bind-and-connect and the pattern
    clauses of the module docstring, for one cell of the matrix."""
    roles = {"a": "subject" if subject_is_a else "libzmq",
             "b": "libzmq" if subject_is_a else "subject"}
    a_binds = subject_binds == subject_is_a
    if a_binds:
        A = spawn(roles["a"], a, bind=[TCP_ANY], **options(a, True))
        B = spawn(roles["b"], b, connect=[A.endpoint], **options(b, False))
    else:
        B = spawn(roles["b"], b, bind=[TCP_ANY], **options(b, True))
        A = spawn(roles["a"], a, connect=[B.endpoint], **options(a, False))
    wait_handshaken(A, B)
    FLOWS[(a, b)](A, B, a_binds)
