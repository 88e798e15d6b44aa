"""The suite's own PLAIN handshake (zwire_codec/plain_handshake.py) and its ZMTP driver
(zwire_conformance/secure_link.py): in memory, then over TCP against libzmq (pyzmq) both
ways — our client against a plain_server REP (with pyzmq's ZAP handler: without one,
libzmq 4.3.4's PLAIN server refuses everyone) and its ERROR, our server against a DEALER
with plain_username / plain_password and our ERROR as libzmq reads it. Every wait is
bounded (2 s at most).
"""

import socket

import pytest
import zmq
import zmq.utils.monitor
from zmq.auth.thread import ThreadAuthenticator

from zwire_codec.handshake import HandshakeError, zmtp_metadata
from zwire_codec.plain_handshake import PlainClient, PlainServer
from zwire_conformance.secure_link import LinkError, SecureLink

WAIT = 2.0


def test_a_handshake_in_memory():
    client = PlainClient("admin", b"secret", metadata=zmtp_metadata("DEALER"))
    server = PlainServer(metadata=zmtp_metadata("ROUTER"))
    hello = client.make_hello()
    assert hello == b"\x05HELLO\x05admin\x06secret"            # plain.hello.layout
    assert server.open_hello(hello) == (b"admin", b"secret")
    welcome = server.make_welcome()
    assert welcome == b"\x07WELCOME"                            # plain.welcome.layout
    client.open_welcome(welcome)
    initiate = client.make_initiate()
    assert initiate == b"\x08INITIATE\x0bSocket-Type\x00\x00\x00\x06DEALER"
    assert server.open_initiate(initiate) == [("Socket-Type", b"DEALER")]
    assert client.open_ready(server.make_ready()) == [("Socket-Type", b"ROUTER")]
    assert client.ready and server.ready


def test_an_error_in_place_of_welcome_ends_the_client():
    client = PlainClient("u", "p")
    PlainServer().open_hello(client.make_hello())
    assert client.open(PlainServer().make_error("400")) == ("ERROR", b"400")
    assert client.state == "failed"


def test_malformed_and_out_of_turn_commands_are_refused():
    server = PlainServer()
    with pytest.raises(HandshakeError) as info:
        server.open(b"\x05HELLO\x05admin")                   # no password length
    assert (info.value.cls, info.value.clause) == ("malformed-command", "plain.hello.layout")
    assert server.state == "failed"
    server = PlainServer()
    with pytest.raises(HandshakeError) as info:
        server.open(b"\x08INITIATE")
    assert (info.value.cls, info.value.clause) == ("unexpected-command",
                                                   "plain.handshake.order")
    client = PlainClient("u", "p")
    client.make_hello()
    with pytest.raises(HandshakeError) as info:
        client.open(b"\x07WELCOMEx")
    assert (info.value.clause, info.value.offset) == ("plain.welcome.layout", 8)
    client = PlainClient("u", "p")
    client.make_hello()
    client.open_welcome(b"\x07WELCOME")
    client.make_initiate()
    with pytest.raises(HandshakeError) as info:
        client.open(b"\x05READY\x00")                         # a name of length 0
    assert info.value.cls == "invalid-metadata"


# --- over TCP, against libzmq (pyzmq) ---------------------------------------------------

@pytest.fixture
def ctx():
    context = zmq.Context()
    yield context
    context.destroy(linger=0)


@pytest.fixture
def listener():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(4)
    sock.settimeout(WAIT)
    yield sock
    sock.close()


def zsocket(ctx, kind, **options):
    sock = ctx.socket(kind)
    sock.linger = 0
    sock.rcvtimeo = sock.sndtimeo = int(WAIT * 1000)
    for name, value in options.items():
        setattr(sock, name, value)
    return sock


@pytest.fixture
def zap(ctx):
    """pyzmq's ZAP handler (27/ZAP) in the context, knowing admin / secret: libzmq 4.3.4's
    PLAIN server fails every handshake without one (HANDSHAKE_FAILED_NO_DETAIL, EFAULT),
    unlike its CURVE server, which takes every client."""
    auth = ThreadAuthenticator(ctx)
    auth.start()
    auth.configure_plain(domain="*", passwords={"admin": "secret"})
    yield auth
    auth.stop()


def plain_rep(ctx):
    rep = zsocket(ctx, zmq.REP, plain_server=True)
    return rep, rep.bind_to_random_port("tcp://127.0.0.1")


def test_our_client_against_a_libzmq_plain_server(ctx, zap):
    rep, port = plain_rep(ctx)
    tcp = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
    mech = PlainClient("admin", "secret", metadata=zmtp_metadata("REQ"))
    link = SecureLink.over_socket(tcp, mech, seconds=WAIT).handshake()
    assert link.role_clash          # libzmq 4.3.4 greets with as-server 0, even as a server
    assert mech.peer_metadata[0] == ("Socket-Type", b"REP")
    link.send_message([b"", b"hello"])
    assert rep.recv_multipart() == [b"hello"]
    rep.send(b"world")
    assert link.recv_message() == [b"", b"world"]
    link.close()


def test_a_libzmq_plain_server_refuses_a_wrong_password_with_a_malformed_error(ctx, zap):
    """libzmq 4.3.4 (and its master) spells PLAIN's ERROR prefix "\\x05ERROR" in C, where
    the hex escape takes the E: its ERROR is the 9 octets "^RROR" 3 "400", a name with a
    non-ALPHA octet (zmtp31.command.name), which we refuse as malformed."""
    _, port = plain_rep(ctx)
    tcp = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
    mech = PlainClient("admin", "guess", metadata=zmtp_metadata("REQ"))
    link = SecureLink.over_socket(tcp, mech, seconds=WAIT)
    with pytest.raises(HandshakeError) as info:
        link.handshake()
    assert (info.value.cls, info.value.clause) == ("malformed-command", "zmtp31.command.name")
    assert bytes(link.conn.inbound.data)[64:] == b"\x04\x09^RROR\x03400"
    assert link.conn.closed_by_us


def test_our_server_against_a_libzmq_plain_client(ctx, listener):
    dealer = zsocket(ctx, zmq.DEALER, plain_username=b"admin", plain_password=b"secret")
    dealer.connect("tcp://127.0.0.1:%d" % listener.getsockname()[1])
    tcp, _ = listener.accept()
    mech = PlainServer(metadata=zmtp_metadata("ROUTER"))
    link = SecureLink.over_socket(tcp, mech, seconds=WAIT).handshake()
    assert (mech.username, mech.password) == (b"admin", b"secret")
    assert mech.peer_metadata[0] == ("Socket-Type", b"DEALER")
    dealer.send_multipart([b"one", b"two"])
    assert link.recv_message() == [b"one", b"two"]
    link.send_message([b"back"])
    assert dealer.recv_multipart() == [b"back"]
    link.send_command(b"\x04PING\x00\x0a" + b"p1")           # a clear command frame
    assert link.recv_command() == b"\x04PONG" + b"p1"
    link.close()


def test_libzmq_plain_client_reads_our_well_formed_error_as_an_unexpected_command(
        ctx, listener):
    """Our ERROR is the 23/ZMTP one ("\\x05ERROR", reason "400"); libzmq 4.3.4's PLAIN
    client knows only its own "^RROR" (above), so it fails the handshake as a protocol
    error (unexpected command), not as an authentication failure."""
    dealer = zsocket(ctx, zmq.DEALER, plain_username=b"admin", plain_password=b"wrong")
    monitor = dealer.get_monitor_socket(zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL
                                        | zmq.EVENT_HANDSHAKE_FAILED_AUTH)
    monitor.rcvtimeo = int(WAIT * 1000)
    dealer.connect("tcp://127.0.0.1:%d" % listener.getsockname()[1])
    tcp, _ = listener.accept()
    link = SecureLink.over_socket(
        tcp, PlainServer(), seconds=WAIT,
        authenticate=lambda user, password: None if password == b"secret" else "400")
    with pytest.raises(LinkError) as info:
        link.handshake()
    assert info.value.what == "refused"
    assert bytes(link.conn.sent).endswith(b"\x04\x0a\x05ERROR\x03400")
    event = zmq.utils.monitor.recv_monitor_message(monitor)
    assert (event["event"], event["value"]) == (
        zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL, zmq.PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND)
    dealer.disable_monitor()
    monitor.close()
