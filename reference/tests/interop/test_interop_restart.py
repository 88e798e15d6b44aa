"""Restarts: a peer process killed (SIGKILL, no goodbye) and started again on the
same port, while the other keeps running.

1. The subject connects (reconnect interval 100 ms) to libzmq; libzmq is killed
   and restarted: the subject, still alive, reconnects and messages flow again.
2. The subject binds; it is killed and restarted on the same port while libzmq
   keeps running (and reconnecting): messages flow again.

Clauses: zmtp31.socket.reconnect, zmtp31.error.close-temporary,
zmtp31.error.reconnect, zmtp31.socket.async-connect (the subject keeps trying while
nobody listens).
"""

import time

from peers import TCP_ANY, expect_recv, port_of, wait_handshaken


def exchange(a, b, tag):
    """DEALER <-> DEALER, both ways.  The first message may race the end of the
    old connection, so it is resent until one arrives (duplicates tolerated)."""
    deadline = time.monotonic() + 3.0
    while True:
        assert a.send([tag + b"-a"], 1000)
        got = b.recv(200)
        if got is not None:
            assert got == [tag + b"-a"], got
            break
        assert time.monotonic() < deadline, "%s: nothing from %s after the restart" % (
            b.name, a.name)
    while True:                      # drop the resends, if any
        got = b.recv(100)
        if got is None:
            break
        assert got == [tag + b"-a"], got
    assert b.send([tag + b"-b"])
    expect_recv(a, [tag + b"-b"])


def test_subject_reconnects_to_restarted_libzmq(spawn):
    """zmtp31.socket.reconnect, zmtp31.error.close-temporary, zmtp31.error.reconnect."""
    server = spawn("libzmq", "DEALER", bind=[TCP_ANY])
    endpoint = server.endpoint
    subject = spawn("subject", "DEALER", connect=[endpoint], reconnect_ivl=100)
    wait_handshaken(subject, server)
    exchange(subject, server, b"first")

    server.kill()
    held, stats = subject.wait_stats(lambda s: s["peers"] == 0)
    assert held, "the subject still counts the killed peer: %r" % stats
    subject.sleep(300)               # a few reconnect attempts into a closed port
    assert subject.alive()

    server2 = spawn("libzmq", "DEALER", bind=["tcp://127.0.0.1:%d" % port_of(endpoint)])
    wait_handshaken(subject, server2)
    exchange(subject, server2, b"second")
    assert subject.alive()
    assert subject.stats()["peers"] == 1


def test_libzmq_reconnects_to_restarted_subject(spawn):
    """zmtp31.socket.bind-and-connect on a port just freed by a killed process, and
    the subject's accept side after a restart (libzmq does the reconnecting)."""
    subject = spawn("subject", "DEALER", bind=[TCP_ANY])
    endpoint = subject.endpoint
    client = spawn("libzmq", "DEALER", connect=[endpoint], reconnect_ivl=100)
    wait_handshaken(subject, client)
    exchange(client, subject, b"first")

    subject.kill()
    held, stats = client.wait_stats(lambda s: s["peers"] == 0)
    assert held, "libzmq still counts the killed subject: %r" % stats

    subject2 = spawn("subject", "DEALER", bind=["tcp://127.0.0.1:%d" % port_of(endpoint)])
    assert subject2.endpoint.endswith(":%d" % port_of(endpoint))
    wait_handshaken(subject2, client)
    exchange(client, subject2, b"second")
    assert client.alive() and subject2.alive()
