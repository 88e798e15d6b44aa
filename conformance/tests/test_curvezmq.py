"""The suite's own CurveZMQ (zwire_codec/curvezmq.py) and its ZMTP driver
(zwire_conformance/secure_link.py): in memory, a client and a server make and open every
command; each box, the cookie and the vouch refuse one altered octet; short nonces; HELLO
padding; MESSAGE flags; commands out of turn. Then over TCP against libzmq (pyzmq):
our client against a CURVE REP and ROUTER, our server against a CURVE DEALER and REQ,
a libzmq client with the wrong server key, libzmq's ERROR handling and its boxed PONG.
Every wait is bounded (2 s at most), so a broken peer fails a test, never hangs it.
"""

import hashlib
import socket
import threading

import nacl.public
import nacl.secret
import pytest
import zmq
import zmq.utils.monitor

from zwire_codec import curvezmq as cz
from zwire_codec import encode_greeting_v3, z85_decode, z85_encode
from zwire_codec.handshake import HandshakeError, zmtp_metadata
from zwire_conformance.secure_link import LinkError, SecureLink

WAIT = 2.0
SERVER_SECRET = bytes(range(32))
CLIENT_SECRET = bytes(range(32, 64))
INJECTED = {"client": {"transient_secret": b"\x11" * 32, "vouch_nonce": b"\x22" * 16},
            "server": {"transient_secret": b"\x33" * 32, "cookie_key": b"\x44" * 32,
                       "cookie_nonce": b"\x55" * 16, "welcome_nonce": b"\x66" * 16}}


def no_random(n):
    raise AssertionError("a random input was drawn although every one was given")


def pair(injected=True, **server_options):
    """A client and a server, all keys and nonces fixed (injected) or fresh."""
    server_pub = cz.public_of(SERVER_SECRET)
    client = cz.CurveClient(server_pub, secret_key=CLIENT_SECRET,
                            metadata=zmtp_metadata("DEALER"),
                            **(dict(INJECTED["client"], random=no_random) if injected else {}))
    server = cz.CurveServer(SERVER_SECRET, metadata=zmtp_metadata("ROUTER"),
                            **(dict(INJECTED["server"], random=no_random) if injected else {}),
                            **server_options)
    return client, server


def handshake(client, server):
    """The four handshake commands, each opened by the other side: their bodies."""
    hello = client.make_hello()
    server.open_hello(hello)
    welcome = server.make_welcome()
    client.open_welcome(welcome)
    initiate = client.make_initiate()
    server.open_initiate(initiate)
    ready = server.make_ready()
    client.open_ready(ready)
    return hello, welcome, initiate, ready


def flipped(body, at):
    body = bytearray(body)
    body[at] ^= 0x01
    return bytes(body)


def refused(call, *args):
    with pytest.raises(HandshakeError) as info:
        call(*args)
    return info.value


# --- in memory -------------------------------------------------------------------------

def test_a_handshake_in_memory_then_messages_both_ways():
    client, server = pair(injected=False)
    hello, welcome, initiate, ready = handshake(client, server)
    assert (len(hello), len(welcome)) == (200, 168)        # curve.hello.size, welcome.size
    assert len(initiate) == 257 + len(cz.write_metadata(zmtp_metadata("DEALER")))
    assert len(ready) == 30 + len(cz.write_metadata(zmtp_metadata("ROUTER")))
    assert server.peer_metadata == [("Socket-Type", b"DEALER")]
    assert client.peer_metadata == [("Socket-Type", b"ROUTER")]
    assert server.client_key == client.public_key           # C, for authentication
    assert client.ready and server.ready
    assert server.cookie_key is None                        # curve.server.cookie-key-expiry
    sent = [(b"first", True), (b"", True), (b"last", False)]
    for data, more in sent:
        assert server.open_message(client.make_message(data, more=more)) == (int(more), data)
    for data, more in sent:
        assert client.open_message(server.make_message(data, more=more)) == (int(more), data)
    # a ZMTP command after the handshake: flags bit 1 (DECISIONS S7)
    ping = b"\x04PING\x00\x00"
    assert server.open_message(client.make_message(ping, command=True)) == (0x02, ping)


def test_short_nonces_count_up_per_direction_big_endian():
    client, server = pair()
    hello, _, initiate, ready = handshake(client, server)
    assert hello[112:120] == (1).to_bytes(8, "big")         # HELLO: the client's first
    assert initiate[105:113] == (2).to_bytes(8, "big")      # after name(9) + cookie(96)
    assert ready[6:14] == (1).to_bytes(8, "big")            # READY: the server's first
    message = client.make_message(b"x")
    assert message[:8] == b"\x07MESSAGE" and message[8:16] == (3).to_bytes(8, "big")
    server.open_message(message)
    client.open_message(server.make_message(b"y"))
    assert server.received_nonces == [1, 2, 3]
    assert client.received_nonces == [1, 2]
    # the receiver takes any gap upwards, not a step down
    server.open_message(client.make_message(b"z", nonce=10))
    error = refused(server.open_message, client.make_message(b"z", nonce=7))
    assert (error.cls, error.clause, error.kind) == (
        "invalid-sequence", "curve.server.check-nonce", "nonce")


def test_injected_inputs_make_the_same_octets_and_draw_nothing():
    first = handshake(*pair())
    again = handshake(*pair())
    assert first == again
    client, server = pair()
    handshake(client, server)
    assert client.make_message(b"same") == pair_message(b"same")
    other = dict(INJECTED["client"], vouch_nonce=b"\x23" * 16)
    client2 = cz.CurveClient(cz.public_of(SERVER_SECRET), secret_key=CLIENT_SECRET,
                             metadata=zmtp_metadata("DEALER"), **other)
    server2 = cz.CurveServer(SERVER_SECRET, metadata=zmtp_metadata("ROUTER"),
                             **INJECTED["server"])
    assert handshake(client2, server2)[2] != first[2]       # the vouch nonce is in INITIATE


def pair_message(data):
    client, server = pair()
    handshake(client, server)
    return client.make_message(data)


def test_the_boxes_open_with_pynacl_own_box_api_and_the_rfc_prefixes():
    """A second path to the same octets: PyNaCl's Box / SecretBox classes, the prefixes
    spelled out as 26/CURVEZMQ writes them."""
    client, server = pair()
    hello, welcome, initiate, ready = handshake(client, server)
    s = nacl.public.PrivateKey(SERVER_SECRET)
    c_t = nacl.public.PrivateKey(INJECTED["client"]["transient_secret"])
    s_t = nacl.public.PrivateKey(INJECTED["server"]["transient_secret"])
    c = nacl.public.PrivateKey(CLIENT_SECRET)
    assert hello[8:80] == bytes(72) and hello[80:112] == bytes(c_t.public_key)
    signature = nacl.public.Box(s, c_t.public_key).decrypt(
        hello[120:200], b"CurveZMQHELLO---" + hello[112:120])
    assert signature == bytes(64)
    opened = nacl.public.Box(c_t, s.public_key).decrypt(welcome[24:168],
                                                        b"WELCOME-" + welcome[8:24])
    assert opened[:32] == bytes(s_t.public_key)
    cookie = opened[32:]
    assert cookie[:16] == INJECTED["server"]["cookie_nonce"]
    kept = nacl.secret.SecretBox(INJECTED["server"]["cookie_key"]).decrypt(
        cookie[16:], b"COOKIE--" + cookie[:16])
    assert kept == bytes(c_t.public_key) + INJECTED["server"]["transient_secret"]
    assert initiate[9:105] == cookie
    inside = nacl.public.Box(s_t, c_t.public_key).decrypt(
        initiate[113:], b"CurveZMQINITIATE" + initiate[105:113])
    assert inside[:32] == bytes(c.public_key)
    vouch = inside[32:128]
    assert vouch[:16] == INJECTED["client"]["vouch_nonce"]
    assert nacl.public.Box(s_t, c.public_key).decrypt(vouch[16:], b"VOUCH---" + vouch[:16]) \
        == bytes(c_t.public_key) + bytes(s.public_key)
    assert inside[128:] == cz.write_metadata(zmtp_metadata("DEALER"))
    assert nacl.public.Box(c_t, s_t.public_key).decrypt(
        ready[14:], b"CurveZMQREADY---" + ready[6:14]) == cz.write_metadata(
            zmtp_metadata("ROUTER"))
    for sender, prefix in ((client, b"CurveZMQMESSAGEC"), (server, b"CurveZMQMESSAGES")):
        body = sender.make_message(b"data", more=True)
        mine, theirs = (c_t, s_t.public_key) if sender is client else (s_t, c_t.public_key)
        assert nacl.public.Box(mine, theirs).decrypt(body[16:], prefix + body[8:16]) \
            == b"\x01data"


def test_exchange_lists_a_whole_connection_as_a_vector_would():
    """With every key and nonce fixed, a connection is these octets: pinned by digest, so
    a change to any of them shows (the boxes themselves are checked just above)."""
    messages = [("client", b"ping", 0), ("server", b"pong", 1), ("server", b"", 0),
                ("client", b"\x04PING\x00\x00", 2)]
    out = cz.exchange(*pair(), messages)
    assert [(role, body[1:1 + body[0]]) for role, body in out] == [
        ("client", b"HELLO"), ("server", b"WELCOME"), ("client", b"INITIATE"),
        ("server", b"READY"), ("client", b"MESSAGE"), ("server", b"MESSAGE"),
        ("server", b"MESSAGE"), ("client", b"MESSAGE")]
    assert [body for _, body in out[:4]] == list(handshake(*pair()))
    assert [body[8:16] for _, body in out[4:]] == [
        (3).to_bytes(8, "big"), (2).to_bytes(8, "big"), (3).to_bytes(8, "big"),
        (4).to_bytes(8, "big")]
    assert hashlib.sha256(b"".join(body for _, body in out)).hexdigest() == \
        "6ba6253a14b9528d9a1f94a2b16a79ff72bb0154488cefb54d624f43a767ef95"


# Each box, the cookie and the vouch: its first, a middle and its last octet altered.
HELLO_BOX = (120, 160, 199)
WELCOME_BOX = (24, 96, 167)
COOKIE = (9, 30, 104)           # its nonce (9..24) and its box (25..104) alike
INITIATE_BOX = (113, 200, -1)
READY_BOX = (14, 20, -1)


@pytest.mark.parametrize("at", HELLO_BOX)
def test_an_altered_hello_signature_box_reads_as_a_wrong_server_key(at):
    client, server = pair()
    error = refused(server.open_hello, flipped(client.make_hello(), at))
    assert (error.cls, error.clause) == ("cryptographic", "curve.hello.signature-box")
    assert error.wrong_server_key and server.state == "failed"


@pytest.mark.parametrize("at", WELCOME_BOX)
def test_an_altered_welcome_box_reads_as_a_wrong_server_key(at):
    client, server = pair()
    server.open_hello(client.make_hello())
    error = refused(client.open_welcome, flipped(server.make_welcome(), at))
    assert (error.cls, error.clause) == ("cryptographic", "curve.client.check-welcome")
    assert error.wrong_server_key


def test_a_welcome_from_another_server_key_is_a_wrong_server_key():
    """Two clients with the same transient key, one expecting S, one S2: the server with
    S2 answers the second; its WELCOME does not open for the first."""
    other_secret = b"\x07" * 32
    client, _ = pair()
    fooled = cz.CurveClient(cz.public_of(other_secret), **INJECTED["client"])
    other = cz.CurveServer(other_secret, **INJECTED["server"])
    other.open_hello(fooled.make_hello())
    client.make_hello()
    error = refused(client.open_welcome, other.make_welcome())
    assert error.wrong_server_key and error.clause == "curve.client.check-welcome"


def test_a_client_with_the_wrong_server_key_is_seen_by_the_server_in_hello():
    _, server = pair()
    lost = cz.CurveClient(cz.public_of(b"\x07" * 32))
    error = refused(server.open_hello, lost.make_hello())
    assert error.wrong_server_key and error.clause == "curve.hello.signature-box"


def welcomed():
    client, server = pair()
    server.open_hello(client.make_hello())
    client.open_welcome(server.make_welcome())
    return client, server


@pytest.mark.parametrize("at", COOKIE)
def test_an_altered_cookie_is_refused(at):
    client, server = welcomed()
    error = refused(server.open_initiate, flipped(client.make_initiate(), at))
    assert (error.cls, error.clause, error.kind) == (
        "cryptographic", "curve.server.check-initiate", "cookie")


def test_a_cookie_of_another_connection_is_refused():
    client, server = welcomed()
    thief, server2 = pair(injected=False)
    server2.open_hello(thief.make_hello())
    thief.open_welcome(server2.make_welcome())
    thief.cookie = client.cookie        # made for another C', with another cookie key
    assert refused(server2.open_initiate, thief.make_initiate()).kind == "cookie"


@pytest.mark.parametrize("at", INITIATE_BOX)
def test_an_altered_initiate_box_is_refused(at):
    client, server = welcomed()
    error = refused(server.open_initiate, flipped(client.make_initiate(), at))
    assert (error.cls, error.clause, error.kind) == (
        "cryptographic", "curve.server.check-initiate", "box")


@pytest.mark.parametrize("at", (0, 16, 60, 95))
def test_an_altered_vouch_is_refused(at):
    client, server = welcomed()
    vouch = flipped(client.make_vouch(), at)
    error = refused(server.open_initiate, client.make_initiate(vouch=vouch))
    assert (error.cls, error.clause, error.kind) == (
        "cryptographic", "curve.server.check-initiate", "vouch")


def test_a_vouch_for_another_server_key_is_refused():
    client, server = welcomed()
    vouch = client.make_vouch(server_key=cz.public_of(b"\x09" * 32))
    error = refused(server.open_initiate, client.make_initiate(vouch=vouch))
    assert error.kind == "vouch" and "permanent key" in error.reason


@pytest.mark.parametrize("at", READY_BOX)
def test_an_altered_ready_box_is_refused(at):
    client, server = welcomed()
    server.open_initiate(client.make_initiate())
    error = refused(client.open_ready, flipped(server.make_ready(), at))
    assert (error.cls, error.clause, error.kind) == (
        "cryptographic", "curve.client.check-ready", "box")


@pytest.mark.parametrize("direction", ("to-server", "to-client"))
@pytest.mark.parametrize("at", (16, 20, -1))
def test_an_altered_message_box_is_refused(direction, at):
    client, server = pair()
    handshake(client, server)
    sender, receiver = (client, server) if direction == "to-server" else (server, client)
    error = refused(receiver.open_message, flipped(sender.make_message(b"payload"), at))
    assert (error.cls, error.clause, error.kind) == ("cryptographic", "curve.message.check",
                                                     "box")


def test_a_replayed_message_is_refused_and_a_forged_nonce_moves_nothing():
    client, server = pair()
    handshake(client, server)
    message = client.make_message(b"once")
    server.open_message(message)
    error = refused(server.open_message, message)
    assert (error.cls, error.clause, error.kind) == (
        "invalid-sequence", "curve.server.reject-nonce-reuse", "nonce")
    client, server = pair()
    handshake(client, server)
    forged = bytearray(client.make_message(b"x"))
    forged[8:16] = (99).to_bytes(8, "big")          # a higher nonce on a box made for 3
    refused(server.open_message, bytes(forged))
    assert server.peer_nonce == 2                   # INITIATE's: the window did not move


def test_the_client_refuses_a_replayed_or_lower_server_nonce():
    client, server = pair()
    handshake(client, server)
    message = server.make_message(b"once")
    client.open_message(message)
    assert refused(client.open_message, message).clause == "curve.client.reject-nonce-reuse"
    client, server = pair()
    handshake(client, server)
    error = refused(client.open_message, server.make_message(b"down", nonce=1))
    assert error.clause == "curve.client.reject-nonce-reuse"    # READY had 1


def test_an_initiate_reusing_the_hello_nonce_is_refused():
    client, server = welcomed()
    error = refused(server.open_initiate, client.make_initiate(nonce=1))
    assert (error.cls, error.clause) == ("invalid-sequence", "curve.server.reject-nonce-reuse")


@pytest.mark.parametrize("at", (8, 43, 79))
def test_a_hello_with_non_zero_padding_is_refused(at):
    client, server = pair()
    error = refused(server.open_hello, flipped(client.make_hello(), at))
    assert (error.cls, error.clause, error.offset) == (
        "malformed-command", "curve.hello.padding", at)


def test_a_hello_of_another_version_or_size_is_refused():
    client, server = pair()
    hello = client.make_hello()
    assert refused(server.open_hello, hello[:6] + b"\x02" + hello[7:]).clause \
        == "curve.hello.version"
    assert refused(cz.CurveServer(SERVER_SECRET).open_hello, hello[:199]).clause \
        == "curve.hello.size"


@pytest.mark.parametrize("bit", range(2, 8))
def test_message_flags_with_a_reserved_bit_are_refused(bit):
    client, server = pair()
    handshake(client, server)
    error = refused(server.open_message, client.make_message(b"x", flags=1 << bit))
    assert (error.cls, error.clause, error.kind) == (
        "malformed-command", "curve.message.flags-reserved", "flags")


def test_commands_out_of_turn_are_refused():
    client, server = pair()
    hello = client.make_hello()
    error = refused(server.open, b"\x05READY" + bytes(24))
    assert (error.cls, error.clause) == ("unexpected-command", "curve.handshake.order")
    client, server = pair()
    server.open_hello(client.make_hello())
    assert refused(server.open, cz.error_body("no")).clause == "curve.client.no-error"
    client, server = pair()
    server.open_hello(hello)
    server.make_welcome()
    assert refused(server.open, hello).clause == "curve.handshake.order"    # HELLO twice
    client, server = pair()
    client.make_hello()
    assert client.open(cz.error_body("go away")) == ("ERROR", b"go away")
    assert client.state == "failed"


def test_malformed_metadata_inside_initiate_cites_the_curve_clause():
    client, server = welcomed()
    empty_name = b"\x00\x00\x00\x00\x00"
    error = refused(server.open_initiate, client.make_initiate(metadata=empty_name))
    assert (error.cls, error.clause, error.kind) == (
        "invalid-metadata", "curve.metadata.name", "metadata")
    client, server = welcomed()
    server.open_initiate(client.make_initiate())
    huge = b"\x01A\x80\x00\x00\x00"
    error = refused(client.open_ready, server.make_ready(metadata=huge))
    assert (error.cls, error.clause) == ("invalid-metadata", "curve.metadata.value-size")


def test_keys_are_taken_as_z85_text():
    pub, sec = zmq.curve_keypair()
    assert cz.key_bytes(pub) == z85_decode(pub) and len(cz.key_bytes(sec)) == 32
    assert cz.public_of(sec) == z85_decode(pub)
    with pytest.raises(ValueError):
        cz.key_bytes(b"short")


# --- our client against our server, over loopback TCP ---------------------------------

@pytest.mark.parametrize("message_frames", ("data", "command"))
def test_our_client_and_server_over_loopback(message_frames, listener):
    """Both drivers at once (the server in a thread): MESSAGEs in data frames (as libzmq
    sends them) or in command frames (23/ZMTP's "encoded as commands"), read either way."""
    left = socket.create_connection(listener.getsockname(), timeout=WAIT)
    right = accepted(listener)
    client, server = pair(injected=False)
    links = {"client": SecureLink.over_socket(left, client, seconds=WAIT,
                                              message_frames=message_frames),
             "server": SecureLink.over_socket(right, server, seconds=WAIT,
                                              message_frames=message_frames)}
    failures = []

    def serve():
        try:
            links["server"].handshake()
            links["server"].send_message(links["server"].recv_message() + [b"seen"])
        except Exception as e:      # reported by the main thread
            failures.append(e)
    thread = threading.Thread(target=serve)
    thread.start()
    links["client"].handshake()
    links["client"].send_message([b"a", b"b"])
    assert links["client"].recv_message() == [b"a", b"b", b"seen"]
    thread.join(WAIT)
    assert not failures and not thread.is_alive()
    assert not links["client"].role_clash and not links["server"].role_clash
    frames = links["client"].conn.inbound.frames()
    assert all(bool(f.flags & 0x04) == (message_frames == "command") for f in frames[2:])
    for link in links.values():
        link.close()


def test_our_server_refuses_a_peer_that_says_it_is_a_server_too(listener):
    """DECISIONS S6: ERROR "both peers are servers", then the close."""
    peer = socket.create_connection(listener.getsockname(), timeout=WAIT)
    peer.sendall(encode_greeting_v3(3, 1, "CURVE", 1))
    link = SecureLink.over_socket(accepted(listener), pair()[1], seconds=WAIT)
    with pytest.raises(LinkError) as info:
        link.handshake()
    assert info.value.what == "greeting" and link.conn.closed_by_us
    assert bytes(link.conn.sent)[64:] == b"\x04\x1d\x05ERROR\x16both peers are servers"
    peer.close()


# --- over TCP, against libzmq (pyzmq) ---------------------------------------------------

@pytest.fixture
def ctx():
    context = zmq.Context()
    yield context
    context.destroy(linger=0)


def zsocket(ctx, kind, **options):
    sock = ctx.socket(kind)
    sock.linger = 0
    sock.rcvtimeo = sock.sndtimeo = int(WAIT * 1000)
    for name, value in options.items():
        setattr(sock, name, value)
    return sock


def libzmq_server(ctx, kind):
    """A libzmq CURVE server socket bound on loopback: (socket, port, public key)."""
    public, secret = zmq.curve_keypair()
    sock = zsocket(ctx, kind, curve_server=True, curve_secretkey=secret)
    return sock, sock.bind_to_random_port("tcp://127.0.0.1"), public


def our_client(port, server_key, socket_type, **client_options):
    tcp = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
    mech = cz.CurveClient(server_key, metadata=zmtp_metadata(socket_type), **client_options)
    return SecureLink.over_socket(tcp, mech, seconds=WAIT), mech


def accepted(listener):
    listener.settimeout(WAIT)
    tcp, _ = listener.accept()
    return tcp


@pytest.fixture
def listener():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(4)
    yield sock
    sock.close()


def test_our_client_against_a_libzmq_rep_both_ways(ctx):
    rep, port, server_key = libzmq_server(ctx, zmq.REP)
    link, mech = our_client(port, server_key, "REQ")
    link.handshake()
    assert mech.peer_metadata[0] == ("Socket-Type", b"REP")
    assert link.role_clash      # libzmq 4.3.4 greets with as-server 0, even as a server
    link.send_message([b"", b"hello", b"world"])
    assert rep.recv_multipart() == [b"hello", b"world"]
    rep.send_multipart([b"re", b"ply"])
    assert link.recv_message() == [b"", b"re", b"ply"]
    assert mech.received_nonces == [1, 2, 3, 4]     # READY, then one MESSAGE per frame
    link.close()


def test_our_client_against_a_libzmq_router_both_ways(ctx):
    router, port, server_key = libzmq_server(ctx, zmq.ROUTER)
    link, mech = our_client(port, server_key, "DEALER")
    mech.metadata = zmtp_metadata("DEALER", identity=b"py-client")
    link.handshake()
    link.send_message([b"one", b"two"])
    assert router.recv_multipart() == [b"py-client", b"one", b"two"]
    router.send_multipart([b"py-client", b"back"])
    assert link.recv_message() == [b"back"]
    link.close()


def test_libzmq_answers_a_boxed_ping_with_a_boxed_pong(ctx):
    """DECISIONS S7: a ZMTP 3.1 command after a CURVE handshake is a MESSAGE with flags
    bit 1, both ways."""
    router, port, server_key = libzmq_server(ctx, zmq.ROUTER)
    link, _ = our_client(port, server_key, "DEALER")
    link.handshake()
    link.send_command(b"\x04PING\x00\x0a" + b"ctx-1")
    assert link.recv_command() == b"\x04PONG" + b"ctx-1"
    link.close()


def test_our_client_with_the_wrong_server_key_is_dropped_by_libzmq(ctx):
    rep, port, _ = libzmq_server(ctx, zmq.REP)
    wrong, _ = zmq.curve_keypair()
    link, _ = our_client(port, wrong, "REQ")
    with pytest.raises(LinkError) as info:
        link.handshake()
    assert info.value.what == "closed"              # no WELCOME: libzmq closes


@pytest.mark.parametrize("kind, socket_type", [(zmq.DEALER, "ROUTER"), (zmq.REQ, "REP")])
def test_our_server_against_a_libzmq_client_both_ways(ctx, listener, kind, socket_type):
    public, secret = cz.keypair()
    client_public, client_secret = zmq.curve_keypair()
    client = zsocket(ctx, kind, curve_serverkey=z85_encode(public),
                     curve_publickey=client_public, curve_secretkey=client_secret)
    client.connect("tcp://127.0.0.1:%d" % listener.getsockname()[1])
    mech = cz.CurveServer(secret, metadata=zmtp_metadata(socket_type))
    link = SecureLink.over_socket(accepted(listener), mech, seconds=WAIT).handshake()
    assert not link.role_clash                      # libzmq's client says 0, we say 1
    assert mech.client_key == z85_decode(client_public)
    assert mech.peer_metadata[0] == ("Socket-Type", b"DEALER" if kind == zmq.DEALER
                                     else b"REQ")
    client.send_multipart([b"ask", b"again"])
    got = link.recv_message()
    assert got == ([b"ask", b"again"] if kind == zmq.DEALER else [b"", b"ask", b"again"])
    link.send_message(([] if kind == zmq.DEALER else [b""]) + [b"answer"])
    assert client.recv_multipart() == [b"answer"]
    link.close()


def test_our_server_sees_a_libzmq_client_with_the_wrong_server_key(ctx, listener):
    public, secret = cz.keypair()
    wrong, _ = zmq.curve_keypair()
    client_public, client_secret = zmq.curve_keypair()
    client = zsocket(ctx, zmq.DEALER, curve_serverkey=wrong,
                     curve_publickey=client_public, curve_secretkey=client_secret)
    client.connect("tcp://127.0.0.1:%d" % listener.getsockname()[1])
    link = SecureLink.over_socket(accepted(listener), cz.CurveServer(secret), seconds=WAIT)
    with pytest.raises(HandshakeError) as info:
        link.handshake()
    assert info.value.wrong_server_key
    assert info.value.clause == "curve.hello.signature-box"
    assert link.conn.closed_by_us


def test_our_servers_error_fails_the_libzmq_clients_handshake(ctx, listener):
    """libzmq 4.3.4 reports an ERROR as an authentication failure (a monitor event with
    the status) only when its reason is a ZAP status code, "300", "400" or "500"; any
    other reason ends the handshake with no event."""
    public, secret = cz.keypair()
    client_public, client_secret = zmq.curve_keypair()
    client = zsocket(ctx, zmq.DEALER, curve_serverkey=z85_encode(public),
                     curve_publickey=client_public, curve_secretkey=client_secret)
    monitor = client.get_monitor_socket(zmq.EVENT_HANDSHAKE_FAILED_AUTH)
    monitor.rcvtimeo = int(WAIT * 1000)
    client.connect("tcp://127.0.0.1:%d" % listener.getsockname()[1])
    link = SecureLink.over_socket(accepted(listener), cz.CurveServer(secret), seconds=WAIT,
                                  authenticate=lambda key: "400")
    with pytest.raises(LinkError) as info:
        link.handshake()
    assert info.value.what == "refused"
    event = zmq.utils.monitor.recv_monitor_message(monitor)
    assert (event["event"], event["value"]) == (zmq.EVENT_HANDSHAKE_FAILED_AUTH, 400)
    client.disable_monitor()
    monitor.close()
