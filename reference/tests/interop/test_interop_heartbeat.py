"""Connection heartbeating (37/ZMTP PING / PONG) between the subject and libzmq.

(a) libzmq pings every 100 ms and gives up 300 ms after an unanswered PING; the
    subject runs without heartbeats of its own.  After many such periods the
    connection is still the first one (libzmq's monitor saw no disconnect) and
    messages still flow: the subject answers every PING with a PONG.
(b) The subject pings (100 ms, timeout 300 ms) a libzmq peer that is then frozen
    with SIGSTOP: the subject declares the connection dead (its stats show no
    peer), logs why (zwire only), and after SIGCONT reconnects and talks again.

Never asserts on timings: only on what happened once a deadline passed.
"""

import pytest

from peers import TCP_ANY, expect_recv, wait_handshaken


def test_subject_answers_ping_with_pong(spawn):
    """zmtp31.heartbeat.pong-reply, zmtp31.command.ping, zmtp31.command.pong,
    zmtp31.heartbeat.ping-any-time (libzmq pings; the subject must answer)."""
    subject = spawn("subject", "PAIR", bind=[TCP_ANY])
    pinger = spawn("libzmq", "PAIR", connect=[subject.endpoint], heartbeat_ivl=100,
                   heartbeat_timeout=300, heartbeat_ttl=1000)
    wait_handshaken(subject, pinger)
    assert pinger.send([b"before"])
    expect_recv(subject, [b"before"])
    # Quiet for about 4 heartbeat timeouts: only PINGs and PONGs cross the wire.
    pinger.sleep(1200)
    stats = pinger.stats()
    assert stats["closed"] == 0 and stats["peers"] == 1, (
        "libzmq dropped the connection: the subject did not answer its PINGs "
        "(libzmq stats %r)" % stats)
    assert subject.stats()["closed"] == 0
    assert pinger.send([b"after"])
    expect_recv(subject, [b"after"])
    assert subject.send([b"back"])
    expect_recv(pinger, [b"back"])
    assert pinger.stats()["closed"] == 0


@pytest.fixture(scope="module")
def silent_peer(module_spawn):
    """Scenario (b), run once for the tests below; returns what was observed."""
    import peers as P
    with P.hard_time_limit(30):
        other = module_spawn("libzmq", "PAIR", bind=[TCP_ANY])
        subject = module_spawn("subject", "PAIR", connect=[other.endpoint], heartbeat_ivl=100,
                               heartbeat_timeout=300, reconnect_ivl=100, handshake_ivl=1000)
        wait_handshaken(subject, other)
        assert subject.send([b"hello"])
        expect_recv(other, [b"hello"])
        log_before = len(subject.stderr_text())
        other.stop()
        try:
            dropped, stats = subject.wait_stats(
                lambda s: s["peers"] == 0 and s["closed"] >= 1, timeout=3.0)
            log = subject.stderr_text()[log_before:]
        finally:
            other.cont()
        ok, n = subject.peers(1, 3000)
        flowed = False
        if ok:
            assert subject.send([b"again"])
            got = other.recv(3000)
            flowed = got == [b"again"]
        return {"dropped": dropped, "stats": stats, "log": log, "reconnected": ok,
                "flowed": flowed, "subject": subject}


def test_subject_drops_silent_peer(silent_peer):
    """zmtp31.heartbeat.declare-dead, zmtp31.heartbeat.dead-conditions (a PING with no
    traffic back within the timeout): with the other side frozen, the subject's stats
    fall to zero peers."""
    assert silent_peer["dropped"], (
        "the subject still counts the frozen peer: stats %r" % silent_peer["stats"])


def test_subject_reconnects_after_heartbeat_failure(silent_peer):
    """zmtp31.heartbeat.reconnect, zmtp31.socket.reconnect: once the other side runs
    again, the subject's reconnect succeeds and messages flow."""
    assert silent_peer["reconnected"], "no handshaken connection after SIGCONT"
    assert silent_peer["flowed"], "message after the reconnect not delivered"


@pytest.mark.zwire_only
def test_subject_logs_heartbeat_timeout(silent_peer):
    """zwire-only: the close is logged on stderr, naming the heartbeat."""
    lines = [l for l in silent_peer["log"].splitlines() if "heartbeat" in l.lower()]
    assert lines, "no log line about the heartbeat timeout in:\n" + silent_peer["log"]
