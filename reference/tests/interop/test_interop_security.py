"""PLAIN (24/ZMTP-PLAIN) and CURVE (25/ZMTP-CURVE, 26/CurveZMQ) between the subject
and libzmq 4.3.4 (pyzmq), over tcp, in both roles, with a ZAP handler (27/ZAP) on
either side: `zwire peer`'s own policy (--plain-users, --curve-allow) and pyzmq's
ThreadAuthenticator in the stand-in (pyzmq_peer.py maps the same options onto it,
plus --curve-allow-dir for a directory of certificates).

Every refusal case first or afterwards shows the same server accepting the right
credentials (a control), and checks that nothing crossed the refused connection.
What the subject logs is checked when the subject is zwire; what libzmq did is read
from the stand-in's socket monitor (its log of events).

libzmq 4.3.4, as measured here and pinned below:
- its PLAIN server without a ZAP handler fails every handshake
  (HANDSHAKE_FAILED_NO_DETAIL, EFAULT), unlike its CURVE server, which then takes
  every client;
- its PLAIN ERROR is malformed: "^RROR" (a C hex escape took the E of "\\x05ERROR"),
  which zwire refuses at zmtp31.command.name; conversely it reads zwire's
  well-formed ERROR as an unexpected command (ZMQ_PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND);
- its CURVE server sends ERROR "400" when ZAP refuses, and closes without a word when
  HELLO does not open (ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC);
- a NULL socket against a CURVE or PLAIN server: ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH.

Clauses: plain.handshake.order, plain.error.layout, curve.handshake.order,
curve.client.knows-server-key, curve.server.check-hello, curve.server.reject-bad-hello,
curve.server.authenticate, curve.server.auth-fail-error, curve.server.reject-with-error,
curve.client.no-reconnect-after-error, curve.message.check, zmtp31.wire.encrypted-commands
(DECISIONS S11), zmtp31.heartbeat.pong-reply, zmtp31.heartbeat.declare-dead (under CURVE,
DECISIONS S7), zmtp31.greeting.mechanism-match, zmtp31.security.downgrade-guard,
zap.request.credentials, zap.reply.status-code, zap.reply.user-id.
"""

import errno

import pytest
import zmq
import zmq.auth

import peers as P
from peers import TCP_ANY, expect_recv, libzmq_events, short, wait_handshaken, wait_stderr

# libzmq's protocol-error values (zmq.h, ZMQ_PROTOCOL_ERROR_*), as its monitor reports them.
ZMTP_UNEXPECTED_COMMAND = 0x10000001
ZMTP_CRYPTOGRAPHIC = 0x11000001
ZMTP_MECHANISM_MISMATCH = 0x11000002

# How long "nothing arrives" is watched: several reconnect intervals (100 ms).
QUIET_MS = 300

USER, PASSWORD = "admin", "secret"


def curve_keypair():
    """(public, secret) in Z85.  A key starting with '-' would read as an option to the
    stand-in's argparse, so such pairs are drawn again."""
    while True:
        public, secret = (k.decode() for k in zmq.curve_keypair())
        if not public.startswith("-") and not secret.startswith("-"):
            return public, secret


SERVER = curve_keypair()
CLIENT = curve_keypair()
OTHER = curve_keypair()


@pytest.fixture
def users(tmp_path):
    path = tmp_path / "users"
    path.write_text("%s:%s\nguest:guest\n" % (USER, PASSWORD))
    return str(path)


def curve_server(allow=None, **extra):
    """Options of a CURVE server with SERVER's key; allow: client keys (None: any)."""
    opts = {"curve_server": True, "curve_secret": SERVER[1]}
    if allow is None:
        opts["curve_allow_any"] = True
    else:
        opts["curve_allow"] = list(allow)
    opts.update(extra)
    return opts


def curve_client(key=CLIENT, serverkey=SERVER[0], **extra):
    opts = {"curve_serverkey": serverkey}
    if key is not None:
        opts["curve_secret"] = key[1]
    opts.update(extra)
    return opts


# A libzmq server that refuses gets a short handshake timer: when libzmq 4.3.4 fails a
# handshake it posts the monitor event and, now and then (a few runs in a hundred, here),
# then leaves the connection open, as if waiting for more input, until that timer.
REFUSER = {"handshake_ivl": 500}


def zwire_log(peer, needle):
    """The subject's stderr once it holds `needle` (or after 3 s) when the subject is
    zwire, whose log lines are checked; None for libzmq."""
    return wait_stderr(peer, needle, 3.0) if P.subject_is_zwire() else None


def assert_refused(server, client, what):
    """Neither side counts a handshaken peer, and a message the client queued (PAIR: it
    queues while connecting) never reaches the server."""
    client.send([b"must not arrive"], 0)
    got = server.recv(QUIET_MS)
    assert got is None, "%s: a message crossed a refused connection: %r" % (what, short(got))
    for p in (server, client):
        assert p.stats()["peers"] == 0, "%s: %s counts a peer: %r" % (what, p.name, p.stats())


def assert_talks(a, b, what=""):
    """One message each way between two handshaken PAIR peers."""
    wait_handshaken(a, b)
    assert a.send([b"ping", b"from " + a.impl.encode()])
    expect_recv(b, [b"ping", b"from " + a.impl.encode()], what=what)
    assert b.send([b"pong"])
    expect_recv(a, [b"pong"], what=what)


# --- PLAIN --------------------------------------------------------------------------------

def test_plain_libzmq_server_without_zap_refuses_every_client(spawn):
    """libzmq 4.3.4's PLAIN server with no ZAP handler in its context fails every
    handshake (HANDSHAKE_FAILED_NO_DETAIL, errno EFAULT) after HELLO: it cannot ask
    anyone.  (A zwire server with --zap-none takes every client, DECISIONS S5, as
    libzmq's CURVE server does.)  The subject's client sees the close and keeps
    trying; nothing is delivered."""
    server = spawn("libzmq", "PAIR", bind=[TCP_ANY], plain_server=True, zap_none=True,
                   **REFUSER)
    client = spawn("subject", "PAIR", connect=[server.endpoint], plain_user=USER,
                   plain_password=PASSWORD)
    wait_stderr(server, "HANDSHAKE_FAILED_NO_DETAIL")
    assert ("HANDSHAKE_FAILED_NO_DETAIL", errno.EFAULT) in libzmq_events(server), (
        server.stderr_text())
    assert_refused(server, client, "PLAIN without ZAP")
    log = zwire_log(client, "the peer closed the connection during the handshake")
    if log is not None:
        assert "the peer closed the connection during the handshake" in log, log


def test_plain_client_accepted_by_libzmq_zap(spawn, users):
    """plain.handshake.order: the subject's PLAIN client, libzmq's PLAIN server with
    pyzmq's ThreadAuthenticator knowing the user: WELCOME, INITIATE, READY, then
    messages both ways; the authenticator logged ALLOWED."""
    server = spawn("libzmq", "PAIR", bind=[TCP_ANY], plain_server=True, plain_users=users)
    client = spawn("subject", "PAIR", connect=[server.endpoint], plain_user=USER,
                   plain_password=PASSWORD)
    assert_talks(client, server, "PLAIN client -> libzmq")
    assert "ALLOWED (PLAIN)" in server.stderr_text()


def test_plain_client_wrong_password_refused_by_libzmq_zap(spawn, users):
    """The authenticator answers 400; libzmq's monitor says HANDSHAKE_FAILED_AUTH 400 and
    it sends its ERROR, whose name is the malformed "^RROR": zwire logs that command
    refused at zmtp31.command.name (or, from a libzmq that spells ERROR right, the
    ERROR itself).  Nothing is delivered."""
    server = spawn("libzmq", "PAIR", bind=[TCP_ANY], plain_server=True, plain_users=users,
                   **REFUSER)
    client = spawn("subject", "PAIR", connect=[server.endpoint], plain_user=USER,
                   plain_password="not-" + PASSWORD)
    wait_stderr(server, "HANDSHAKE_FAILED_AUTH")
    assert ("HANDSHAKE_FAILED_AUTH", 400) in libzmq_events(server), server.stderr_text()
    assert "DENIED" in server.stderr_text()
    assert_refused(server, client, "PLAIN wrong password")
    log = zwire_log(client, "closed:")
    if log is not None:
        assert ("malformed-command [zmtp31.command.name]" in log
                or "the peer sent ERROR" in log), log


def test_plain_server_accepts_libzmq_client(spawn, users):
    """plain.handshake.order with the subject as server (its ZAP policy: the password
    file): libzmq's PLAIN client gets in, messages go both ways."""
    server = spawn("subject", "PAIR", bind=[TCP_ANY], plain_server=True, plain_users=users)
    client = spawn("libzmq", "PAIR", connect=[server.endpoint], plain_user=USER,
                   plain_password=PASSWORD)
    assert_talks(client, server, "libzmq PLAIN client -> subject")


def test_plain_server_refuses_wrong_credentials(spawn, users):
    """zap.request.credentials, zap.reply.status-code: the subject's handler answers
    400, the subject sends ERROR and closes (DECISIONS S4).  libzmq 4.3.4's client,
    which waits for WELCOME or its own "^RROR", reports the well-formed ERROR as an
    unexpected command.  Nothing is delivered; a client with the right password is
    then accepted by the same server."""
    server = spawn("subject", "PAIR", bind=[TCP_ANY], plain_server=True, plain_users=users)
    for user, password in ((USER, "wrong"), ("nobody", PASSWORD)):
        client = spawn("libzmq", "PAIR", connect=[server.endpoint], plain_user=user,
                       plain_password=password)
        wait_stderr(client, "DISCONNECTED")
        assert_refused(server, client, "PLAIN %s:%s" % (user, password))
        if P.subject_is_zwire():
            assert ("HANDSHAKE_FAILED_PROTOCOL", ZMTP_UNEXPECTED_COMMAND) in \
                libzmq_events(client), client.stderr_text()
        client.close()
    line = "ZAP: 400 for a PLAIN client from 127.0.0.1: wrong user name or password"
    log = zwire_log(server, line)
    if log is not None:
        assert log.count(line) >= 2, log
    good = spawn("libzmq", "PAIR", connect=[server.endpoint], plain_user=USER,
                 plain_password=PASSWORD)
    assert_talks(good, server, "the right password after two wrong ones")


@pytest.fixture
def printer(tmp_path):
    """printer(args) -> a started PrintPeer; each is ended at teardown, and a sanitizer
    report in its stderr fails the test."""
    started = []

    def start(args):
        peer = P.PrintPeer(args, tmp_path, name="zwire-print%d" % len(started))
        started.append(peer)
        return peer
    yield start
    for peer in started:
        peer.cleanup()
    reports = [p.sanitizer_report() for p in started]
    assert not any(reports), "sanitizer report:\n" + "\n".join(reports)


def print_auth_line(printer, spawn, client_options, server_args):
    """A libzmq PUSH client binds and sends b"hello"; zwire peer --print --print-auth, a
    PULL server with server_args, connects (the mechanism's roles do not follow bind and
    connect), prints the message and exits (--count 1).  Returns its one stdout line."""
    client = spawn("libzmq", "PUSH", bind=[TCP_ANY], **client_options)
    peer = printer(["--type", "PULL", "--connect", client.endpoint, "--print", "--print-auth",
                    "--count", "1", "--linger", "0"] + server_args)
    assert client.send([b"hello"], 3000), "the zwire server never completed the handshake"
    status, lines = peer.finish(5)
    assert status == 0 and len(lines) == 1, (status, lines, peer.stderr_text())
    return lines[0]


@pytest.mark.zwire_only
def test_plain_server_print_auth_names_the_user(printer, spawn, users):
    """DECISIONS S8: --print-auth prefixes the message with the mechanism, the user id
    (the ZAP handler's: the PLAIN user name) and no key."""
    line = print_auth_line(printer, spawn, {"plain_user": USER, "plain_password": PASSWORD},
                           ["--plain-server", "--plain-users", users])
    assert line == "PLAIN %s - | %s" % (USER, b"hello".hex()), line


# --- CURVE --------------------------------------------------------------------------------

SIZES = [0, 1, 255, 256, 65536, 1 << 20]
PATTERN = bytes(range(256))


def payload(n, salt=0):
    return (PATTERN * (n // 256 + 2))[salt % 256:salt % 256 + n]


MULTIPART = [
    [b"", b""],
    [payload(1), b"", payload(255, 1), payload(256, 2), b""],
    [payload(65536, 3), payload(1 << 20, 4), b"", payload(1, 5)],
]


@pytest.fixture(params=["subject=client", "subject=server"])
def curve_link(request, spawn):
    """A CURVE PAIR link, the subject as client (libzmq's server takes any client: no
    ZAP handler) or as server (its ZAP policy allows CLIENT's key); the server binds."""
    if request.param == "subject=client":
        server = spawn("libzmq", "PAIR", bind=[TCP_ANY], **curve_server(zap_none=True))
        client = spawn("subject", "PAIR", connect=[server.endpoint], **curve_client())
    else:
        server = spawn("subject", "PAIR", bind=[TCP_ANY], **curve_server(allow=[CLIENT[0]]))
        client = spawn("libzmq", "PAIR", connect=[server.endpoint], **curve_client())
    wait_handshaken(server, client)
    return server, client


@pytest.mark.time_limit(60)
def test_curve_sizes_and_multipart(curve_link):
    """curve.handshake.order, curve.message.check, zmtp31.wire.encrypted-commands (a
    MESSAGE per frame, DECISIONS S11): single frames of 0, 1, 255, 256, 65536 and 1 MiB
    octets and multipart messages, each way, then a burst queued before anything is
    read: contents, boundaries and order kept."""
    server, client = curve_link
    messages = [[payload(n, i)] for i, n in enumerate(SIZES)] + MULTIPART
    for sender, receiver in ((client, server), (server, client)):
        for body in messages:
            assert sender.send(body, 5000), "send of %r timed out" % (short(body),)
            expect_recv(receiver, body, 5000, what="%s receiving %s octets" % (
                receiver.name, [len(f) for f in body]))
        for body in messages:
            assert sender.send(body, 5000)
        for body in messages:
            expect_recv(receiver, body, 5000)
    for p in (server, client):
        stats = p.stats()
        assert stats["closed"] == 0 and stats["peers"] == 1, (p.name, stats)


@pytest.mark.parametrize("pinger", ["subject", "libzmq"])
@pytest.mark.parametrize("subject_role", ["client", "server"])
def test_curve_heartbeats(spawn, pinger, subject_role):
    """zmtp31.heartbeat.pong-reply under CURVE (PING and PONG boxed in MESSAGE, DECISIONS
    S7): one side pings every 100 ms and gives up 300 ms after an unanswered PING;
    across six intervals of silence the connection stays up and messages still flow.
    Then the other side is frozen (SIGSTOP): the pinger drops the connection
    (zmtp31.heartbeat.declare-dead), which shows that its PINGs were really going."""
    hb = {"heartbeat_ivl": 100, "heartbeat_timeout": 300}
    roles = {"subject": "libzmq", "libzmq": "subject"}
    server_impl = "subject" if subject_role == "server" else "libzmq"
    client_impl = roles[server_impl]
    server = spawn(server_impl, "PAIR", bind=[TCP_ANY],
                   **curve_server(allow=[CLIENT[0]], **(hb if server_impl == pinger else {})))
    client = spawn(client_impl, "PAIR", connect=[server.endpoint],
                   **curve_client(**(hb if client_impl == pinger else {})))
    ping, pinged = (server, client) if server_impl == pinger else (client, server)
    assert_talks(ping, pinged, "before the quiet")
    ping.sleep(600)
    for p in (ping, pinged):
        stats = p.stats()
        assert stats["closed"] == 0 and stats["peers"] == 1, (
            "%s lost the connection while only PINGs and PONGs crossed: %r" % (p.name, stats))
    assert_talks(ping, pinged, "after the quiet")
    before = len(ping.stderr_text())
    pinged.stop()
    try:
        dropped, stats = ping.wait_stats(lambda s: s["peers"] == 0 and s["closed"] >= 1, 3.0)
    finally:
        pinged.cont()
    assert dropped, "%s still counts its frozen peer: %r" % (ping.name, stats)
    if ping.impl == "zwire":
        assert "heartbeat timeout" in wait_stderr(ping, "heartbeat timeout", since=before)


def test_curve_libzmq_client_with_wrong_server_key_refused(spawn):
    """curve.server.check-hello, curve.server.reject-bad-hello: libzmq's client boxes
    HELLO for another server key; the subject cannot open it and closes, naming the
    likely cause (zwire: "wrong server key?").  libzmq sees the close (no handshake, and
    4.3.4 did not try again).  A client with the right key is accepted afterwards."""
    server = spawn("subject", "PAIR", bind=[TCP_ANY], **curve_server())
    client = spawn("libzmq", "PAIR", connect=[server.endpoint],
                   **curve_client(serverkey=OTHER[0]))
    held, stats = server.wait_stats(lambda s: s["closed"] >= 1)
    assert held, "the subject never closed the connection with the wrong key: %r" % stats
    assert_refused(server, client, "wrong server key")
    assert not libzmq_events(client, "HANDSHAKE_SUCCEEDED")
    log = zwire_log(server, "wrong server key")
    if log is not None:
        assert "[curve.server.check-hello]" in log and "wrong server key" in log, log
    good = spawn("libzmq", "PAIR", connect=[server.endpoint], **curve_client())
    assert_talks(good, server, "the right server key")


def test_curve_client_with_wrong_server_key_refused_by_libzmq(spawn):
    """curve.client.knows-server-key: the subject's client (a key pair made for the
    connection) boxes HELLO for another key; libzmq 4.3.4 closes without ERROR
    (monitor: ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC).  zwire says the server key may be
    wrong.  Nothing is delivered."""
    server = spawn("libzmq", "PAIR", bind=[TCP_ANY], **curve_server(zap_none=True, **REFUSER))
    client = spawn("subject", "PAIR", connect=[server.endpoint],
                   **curve_client(key=None, serverkey=OTHER[0]))
    wait_stderr(server, "HANDSHAKE_FAILED_PROTOCOL")
    assert ("HANDSHAKE_FAILED_PROTOCOL", ZMTP_CRYPTOGRAPHIC) in libzmq_events(server), (
        server.stderr_text())
    assert_refused(server, client, "wrong server key")
    log = zwire_log(client, "is the server key right?")
    if log is not None:
        assert "is the server key right?" in log, log


def test_curve_unknown_client_key_refused_by_zap(spawn):
    """curve.server.authenticate, curve.server.auth-fail-error, zap.request.credentials:
    the subject's policy allows CLIENT's key only; a libzmq client with OTHER's is
    refused (ZAP 400, ERROR, close); nothing is delivered.  CLIENT's key then gets in."""
    server = spawn("subject", "PAIR", bind=[TCP_ANY], **curve_server(allow=[CLIENT[0]]))
    stranger = spawn("libzmq", "PAIR", connect=[server.endpoint], **curve_client(key=OTHER))
    held, stats = server.wait_stats(lambda s: s["closed"] >= 1)
    assert held, "the subject never closed the unknown key's connection: %r" % stats
    assert_refused(server, stranger, "unknown client key")
    assert not libzmq_events(stranger, "HANDSHAKE_SUCCEEDED")
    line = "ZAP: 400 for a CURVE client from 127.0.0.1: unknown client key"
    log = zwire_log(server, line)
    if log is not None:
        assert line in log, log
    known = spawn("libzmq", "PAIR", connect=[server.endpoint], **curve_client())
    assert_talks(known, server, "the allowed client key")


@pytest.mark.zwire_only
def test_curve_server_print_auth_names_the_client_key(printer, spawn):
    """DECISIONS S8, S9: --print-auth shows the allowed client's key in Z85, as the user
    id (zwire peer's handler names the client by its key) and as the key."""
    line = print_auth_line(printer, spawn, curve_client(),
                           ["--curve-server", "--curve-secret", SERVER[1],
                            "--curve-allow", CLIENT[0]])
    assert line == "CURVE %s %s | %s" % (CLIENT[0], CLIENT[0], b"hello".hex()), line


def test_curve_libzmq_authenticator_refuses_unknown_client_key(spawn, tmp_path):
    """curve.server.auth-fail-error from libzmq's side: pyzmq's ThreadAuthenticator with
    configure_curve(location=DIR), DIR holding the certificates of
    zmq.auth.create_certificates; the subject's client with a key not in DIR gets
    ERROR "400" (libzmq: HANDSHAKE_FAILED_AUTH 400) and, a hard error, does not
    reconnect with the same key (curve.client.no-reconnect-after-error).  A client
    with the certificate's key is accepted."""
    keys = tmp_path / "allowed"
    keys.mkdir()
    public_file, secret_file = zmq.auth.create_certificates(str(keys), "allowed")
    allowed = tuple(k.decode() for k in zmq.auth.load_certificate(secret_file))
    if allowed[0].startswith("-") or allowed[1].startswith("-"):
        pytest.skip("certificate key starts with '-' (argparse in the stand-in)")
    server = spawn("libzmq", "PAIR", bind=[TCP_ANY], curve_server=True,
                   curve_secret=SERVER[1], curve_allow_dir=str(keys), **REFUSER)
    stranger = spawn("subject", "PAIR", connect=[server.endpoint], **curve_client(key=OTHER))
    wait_stderr(server, "HANDSHAKE_FAILED_AUTH")
    assert ("HANDSHAKE_FAILED_AUTH", 400) in libzmq_events(server), server.stderr_text()
    assert_refused(server, stranger, "key not in the certificate directory")
    log = zwire_log(stranger, 'the peer sent ERROR "400"')
    if log is not None:
        assert 'the peer sent ERROR "400"' in log, log
        accepted = libzmq_events(server, "ACCEPTED")
        assert len(accepted) == 1, "the subject reconnected after ERROR: %r" % accepted
    stranger.close()
    known = spawn("subject", "PAIR", connect=[server.endpoint], **curve_client(key=allowed))
    assert_talks(known, server, "the certificate's key")


# --- downgrade ----------------------------------------------------------------------------

DOWNGRADES = {
    "CURVE-server-NULL-client": (curve_server(), {}),
    "CURVE-server-PLAIN-client": (curve_server(), {"plain_user": USER,
                                                   "plain_password": PASSWORD}),
    "PLAIN-server-NULL-client": ("plain", {}),
}


@pytest.mark.parametrize("case", list(DOWNGRADES))
def test_downgrade_refused(spawn, users, case):
    """zmtp31.greeting.mechanism-match, zmtp31.security.downgrade-guard: a libzmq client
    greeting with another mechanism (NULL, or PLAIN against CURVE) is refused at the
    greeting; libzmq reports ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH; nothing is
    delivered.  A client with the server's mechanism is accepted afterwards."""
    server_opts, client_opts = DOWNGRADES[case]
    if server_opts == "plain":
        server_opts = {"plain_server": True, "plain_users": users}
        good_opts = {"plain_user": USER, "plain_password": PASSWORD}
    else:
        good_opts = curve_client()
    server = spawn("subject", "PAIR", bind=[TCP_ANY], **server_opts)
    client = spawn("libzmq", "PAIR", connect=[server.endpoint], **client_opts)
    wait_stderr(client, "HANDSHAKE_FAILED_PROTOCOL")
    assert ("HANDSHAKE_FAILED_PROTOCOL", ZMTP_MECHANISM_MISMATCH) in libzmq_events(client), (
        client.stderr_text())
    assert_refused(server, client, case)
    log = zwire_log(server, "mechanism-mismatch")
    if log is not None:
        assert "mechanism-mismatch [zmtp31.greeting.mechanism-match]" in log, log
    client.close()
    good = spawn("libzmq", "PAIR", connect=[server.endpoint], **good_opts)
    assert_talks(good, server, "the server's own mechanism")
