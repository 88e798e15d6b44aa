"""The known CVEs of ZeroMQ's security mechanisms, one case (or a few) each, on the robustness
axis: after the attack a fresh client must still complete a secured handshake and get a
message through (security.probe), and each case judges what an RFC sentence decides of the
attack itself.  The CVE id is in every case's slug, title and report.

  CVE-2014-7202  a NULL (or PLAIN) greeting to a CURVE or PLAIN socket: libzmq 4.0.4 took
                 it and spoke NULL.  "If the mechanism that the peer received does not
                 exactly match the mechanism it sent, it MUST close the connection"
                 (zmtp31.greeting.mechanism-match), and no message may pass
                 (zmtp31.security.downgrade-guard: "An implementation MUST guard against
                 downgrade attacks, which may take the form of ... asking for a less secure
                 mechanism than the application has requested").
  CVE-2014-9721  a ZMTP 1.0 or 2.0 greeting to a CURVE or PLAIN socket: libzmq 4.0 fell back
                 to the old unsecured protocol.  "If the implementation's security mechanism
                 is anything other than NULL, and it detects a ZMTP 1.0 or 2.0 peer, it MUST
                 immediately close the connection" (zmtp31.compat.close-non-null, the same
                 in 23/ZMTP), and nothing passes (downgrade-guard).
  CVE-2014-7203  a MESSAGE replayed, or with a lower short nonce, after a good handshake:
                 libzmq 4.0 did not check.  "The server SHALL verify that a client connection
                 does use correctly incrementing short nonces, and SHALL disconnect clients
                 that reuse a short nonce" (and the client likewise): closed, and the message
                 never delivered twice (checked through the adapter).
  CVE-2019-6250  a frame whose 8-octet size is near 2^64 after a handshake: a pointer
                 overflow in libzmq 4.2.x/4.3.0.  The size breaks a sender rule
                 (SizeOverflow): what the implementation does is reported; it must live and
                 serve the next client.
  CVE-2019-13132 an INITIATE with a large metadata blob, before authentication: a stack
                 overflow in libzmq < 4.3.2.  1000 octets of well-formed metadata are valid:
                 "The server SHALL respond to a valid INITIATE command with a READY command";
                 from an unknown key it is refused as any unknown key; a client given a READY
                 with 1000 octets of metadata MAY validate it (reported if refused).
  CVE-2020-15166 idle half-open connections (a greeting only, a HELLO only) beside a working
                 client: libzmq < 4.3.3 stopped delivering the good client's messages.  The
                 good client must be served (30/PIPELINE, a SHOULD through
                 zmtp31.socket.pipeline-semantics) and the half-open ones never get a message
                 before their handshake is over (curve.handshake.order).
  (no CVE)       a PLAIN server with no ZAP handler given wrong credentials is zap.py's
                 sec.zap.no-handler.plain; a 64 KiB subscription subscribed and cancelled
                 under CURVE is sec.curve.long-subscription here.
"""

from zwire_codec import encode_frame
from zwire_codec.handshake import HandshakeError

from .. import wire
from .. import words
from ..case import Alt
from ..secure_link import LinkError
from ..security import (SECONDS, attempt, commands_since, control, greeted, handshaken, link,
                        secure_case, setup, step, why)

AREA = "cve"
PADDING = b"p" * 1000
CLEAR = b"clear-text-secret"


def frame(body, command=True):
    return encode_frame(body, command=command)


def nothing_passed(t, conn, handle, mark):
    """No message reached the application, and the implementation sent nothing after our
    input that goes on with a handshake or carries data (READY, WELCOME, a message)."""
    got = t.recv(handle, 0.2)           # the connection is closed (or judged): a message
    sent = [n for n in commands_since(conn, mark) if n != "ERROR"]     # would be in already
    data = conn.inbound.messages()
    return got is None and not sent and not data, "%s; %s" % (
        words.delivered(got), conn.describe())


# --- CVE-2014-7202: a weaker mechanism ---------------------------------------------------------

def weaker_to_server(t, mechanism, offered):
    """A server of `mechanism` gets the greeting of `offered` and what that mechanism sends
    next (NULL: READY and a message; PLAIN: HELLO)."""
    s = setup(t, mechanism)
    control(t, "PULL", "PUSH")
    handle, conn = t.link("PULL", **s.server_options())
    if offered == "NULL":
        octets = wire.greeting() + wire.ready("PUSH") + wire.frame(b"downgraded")
    else:
        octets = (wire.greeting(mechanism=b"PLAIN")
                  + frame(b"\x05HELLO\x05admin\x06secret"))
    mark = t.hostile(conn, octets, "MechanismMismatch",
                     "CVE-2014-7202: a %s greeting (and its first command) to a %s server"
                     % (offered, mechanism))
    conn.wait_closed(1.0)
    t.answer("MechanismMismatch", "a %s greeting to a %s socket" % (offered, mechanism),
             met=conn.closed_since(mark), happened=conn.describe())
    ok, happened = nothing_passed(t, conn, handle, mark)
    t.expect("zmtp31.security.downgrade-guard", ok, "nothing passes under the weaker "
             "mechanism: no handshake goes on, no message is delivered", happened=happened)


def client_signature(t, conn):
    """Waits for the first 10 octets of the client's greeting (its signature: a server reads
    them before it answers), so that the answer to ours is all that follows."""
    conn.wait(lambda: len(conn.inbound.data) >= 10, 2.0)


def weaker_to_client(t, mechanism):
    """A client of `mechanism` meets a server greeting NULL: it closes, and the message its
    application queued never goes out in clear."""
    s = setup(t, mechanism)
    handle, conn = t.link("PUSH", **s.client_options())
    taken = t.send(handle, [CLEAR], 0.3)
    client_signature(t, conn)
    mark = t.hostile(conn, wire.greeting() + wire.ready("PULL"), "MechanismMismatch",
                     "CVE-2014-7202: a NULL greeting and READY from the server")
    conn.wait_closed(1.0)
    t.answer("MechanismMismatch", "a NULL server to a %s client" % mechanism,
             met=conn.closed_since(mark), happened=conn.describe())
    leaked = CLEAR in bytes(conn.inbound.data)
    t.expect("zmtp31.security.downgrade-guard", not leaked and not conn.inbound.messages(),
             "its message (%s) never goes out in clear" % ("queued" if taken else "not taken"),
             happened=conn.describe())


for _mech, _offered in (("CURVE", "NULL"), ("PLAIN", "NULL"), ("CURVE", "PLAIN")):
    @secure_case("cve.2014-7202.%s-to-%s" % (_offered.lower(), _mech.lower()), AREA,
                 "CVE-2014-7202: a %s greeting to a %s server is refused and nothing passes"
                 % (_offered, _mech),
                 ["zmtp31.greeting.mechanism-match", "zmtp31.security.downgrade-guard"], _mech,
                 roles=("binds",), inputs=["MechanismMismatch"])
    def _(t, _mech=_mech, _offered=_offered):
        weaker_to_server(t, _mech, _offered)

for _mech in ("CURVE", "PLAIN"):
    @secure_case("cve.2014-7202.null-server-to-%s-client" % _mech.lower(), AREA,
                 "CVE-2014-7202: a %s client meeting a NULL server closes, and its message "
                 "never goes out in clear" % _mech,
                 ["zmtp31.greeting.mechanism-match", "zmtp31.security.downgrade-guard"], _mech,
                 roles=("connects",), inputs=["MechanismMismatch"])
    def _(t, _mech=_mech):
        weaker_to_client(t, _mech)


# --- CVE-2014-9721: an older protocol --------------------------------------------------------------

V10 = b"\x01\x00" + b"\x0b\x00hello-v1.0"        # 13/ZMTP: an empty identity, then a message


def older_to_server(t, mechanism, version):
    s = setup(t, mechanism)
    control(t, "PULL", "PUSH")
    handle, conn = t.link("PULL", **s.server_options())
    if version == "2.0":
        octets = wire.greeting_v2("PUSH") + wire.frame(b"hello-v2.0")
    else:
        octets = V10
    conn.inbound.may_speak_other_version("the suite greeted as ZMTP %s" % version)
    mark = t.hostile(conn, octets, [], "CVE-2014-9721: a ZMTP %s greeting and a message to a "
                     "%s server" % (version, mechanism))
    conn.wait_closed(1.0)
    closed = conn.closed_since(mark)
    for clause in ("zmtp31.compat.close-non-null", "zmtp30.compat.close-non-null"):
        t.expect(clause, closed, "a %s socket that detects a %s peer closes at once"
                 % (mechanism, version), happened=conn.describe())
    got = t.recv(handle, 0.2)
    for clause in ("zmtp31.security.downgrade-guard", "zmtp30.security.downgrade-guard"):
        t.expect(clause, got is None, "the %s message is not delivered" % version,
                 happened=words.delivered(got))


def older_to_client(t, mechanism):
    s = setup(t, mechanism)
    handle, conn = t.link("PUSH", **s.client_options())
    taken = t.send(handle, [CLEAR], 0.3)
    client_signature(t, conn)
    conn.inbound.may_speak_other_version("the suite greeted as ZMTP 2.0")
    mark = t.hostile(conn, wire.greeting_v2("PULL"), [],
                     "CVE-2014-9721: a ZMTP 2.0 greeting from the server")
    conn.wait_closed(1.0)
    closed = conn.closed_since(mark)
    for clause in ("zmtp31.compat.close-non-null", "zmtp30.compat.close-non-null"):
        t.expect(clause, closed, "a %s client that detects a 2.0 server closes at once"
                 % mechanism, happened=conn.describe())
    leaked = CLEAR in bytes(conn.inbound.data)
    for clause in ("zmtp31.security.downgrade-guard", "zmtp30.security.downgrade-guard"):
        t.expect(clause, not leaked, "its message (%s) never goes out in clear"
                 % ("queued" if taken else "not taken"), happened=conn.describe())


# 23/ZMTP (3.0) has both rules word for word: an implementation that speaks 3.0 and 3.1 (it
# steps down to a 3.0 peer) is bound by both when it meets a 1.0 or 2.0 peer.
_OLDER = ["zmtp31.compat.close-non-null", "zmtp30.compat.close-non-null",
          "zmtp31.security.downgrade-guard", "zmtp30.security.downgrade-guard"]
for _mech, _version in (("CURVE", "2.0"), ("PLAIN", "2.0"), ("CURVE", "1.0")):
    @secure_case("cve.2014-9721.v%s-to-%s" % (_version[0], _mech.lower()), AREA,
                 "CVE-2014-9721: a ZMTP %s greeting to a %s server is closed at once and its "
                 "message not delivered" % (_version, _mech), _OLDER, _mech, roles=("binds",))
    def _(t, _mech=_mech, _version=_version):
        older_to_server(t, _mech, _version)

for _mech in ("CURVE", "PLAIN"):
    @secure_case("cve.2014-9721.v2-server-to-%s-client" % _mech.lower(), AREA,
                 "CVE-2014-9721: a %s client meeting a ZMTP 2.0 server closes, and its message "
                 "never goes out in clear" % _mech, _OLDER, _mech, roles=("connects",))
    def _(t, _mech=_mech):
        older_to_client(t, _mech)


# --- CVE-2014-7203: short nonces after the handshake ----------------------------------------------

def receiving_pair(t):
    """A CURVE PULL of the case's role, handshaken (binds: the suite is the client and
    sends; connects: the suite is the server and sends)."""
    setup(t, "CURVE")
    socket_type = "PULL"
    handle, sl = link(t, socket_type, "PUSH")
    handshaken(t, sl)
    return handle, sl


def nonce_case(t, replay):
    handle, sl = receiving_pair(t)
    role = "server" if t.role == "binds" else "client"
    first = encode_frame(sl.mech.make_message(b"once", nonce=None if replay else 10))
    sl.conn.send(first, "MESSAGE 'once'" + ("" if replay else " (short nonce 10)"))
    got = t.recv(handle, SECONDS)
    t.require(got == [b"once"], "our first MESSAGE was not delivered: %s" % words.delivered(got))
    if replay:
        octets, what = first, "CVE-2014-7203: the same MESSAGE again, its short nonce reused"
        clause = "curve.%s.reject-nonce-reuse" % role
    else:
        octets = encode_frame(sl.mech.make_message(b"lower", nonce=9))
        what, clause = ("CVE-2014-7203: a MESSAGE with short nonce 9, below the last (10)",
                        "curve.%s.check-nonce" % role)
    mark = t.hostile(sl.conn, octets, [], what)
    sl.conn.wait_closed(1.0)
    again = t.recv(handle, 0.2)
    closed = sl.conn.closed_since(mark)
    t.expect(clause, closed and again is None, "it disconnects, and the MESSAGE is not "
             "delivered", happened="%s; %s" % (sl.conn.answer_since(mark),
                                              words.delivered(again)))


@secure_case("cve.2014-7203.replayed-message", AREA,
             "CVE-2014-7203: a MESSAGE replayed after a good handshake is refused with a "
             "disconnect and never delivered",
             ["curve.server.reject-nonce-reuse", "curve.client.reject-nonce-reuse"], "CURVE")
def _(t):
    nonce_case(t, replay=True)


@secure_case("cve.2014-7203.lower-nonce", AREA,
             "CVE-2014-7203: a MESSAGE whose short nonce is below the last is refused with a "
             "disconnect and never delivered",
             ["curve.server.check-nonce", "curve.client.check-nonce"], "CURVE")
def _(t):
    nonce_case(t, replay=False)


# --- CVE-2019-6250: a size near 2^64 ----------------------------------------------------------------

@secure_case("cve.2019-6250.huge-size", AREA,
             "CVE-2019-6250: a frame announcing 2^64-1 octets after a CURVE handshake: what "
             "the implementation does is reported; it must live and serve others",
             ["zmtp31.frame.long-size"], "CURVE", inputs=["SizeOverflow"])
def _(t):
    handle, sl = receiving_pair(t)
    mark = t.hostile(sl.conn, b"\x02" + b"\xff" * 8 + b"\x00" * 16, "SizeOverflow",
                     "CVE-2019-6250: a data frame whose long size is 2^64-1, then 16 octets")
    sl.conn.wait_closed(1.0)
    t.answer("SizeOverflow", "a long size of 2^64-1", happened=sl.conn.answer_since(mark))


# --- CVE-2019-13132: large metadata before authentication ---------------------------------------------

BIG = [("Socket-Type", b"PUSH"), ("X-Padding", PADDING)]


@secure_case("cve.2019-13132.large-metadata", AREA,
             "CVE-2019-13132: a valid INITIATE carrying 1000 octets of metadata is answered "
             "by READY (server); a READY carrying 1000 octets is taken (client)",
             ["curve.server.ready-reply", "curve.client.check-metadata"], "CURVE")
def _(t):
    s = setup(t, "CURVE")
    if t.role == "binds":
        handle, sl = link(t, "PULL", "PUSH", state=s.client_state("PUSH", metadata=BIG))
        greeted(t, sl)
        step(t, sl, sl.mech.make_hello(), "HELLO", "WELCOME")
        mark = t.hostile(sl.conn, frame(sl.mech.make_initiate()), [],
                         "CVE-2019-13132: INITIATE with 1000 octets of metadata (X-Padding)")
        error = attempt(sl.read_command)
        ready = error is None and sl.mech.ready
        t.expect("curve.server.ready-reply", ready, "READY to a valid INITIATE, 1000 octets "
                 "of metadata and all", happened="%s; %s" % (why(error, sl) if error else
                                                            "READY", sl.conn.answer_since(mark)))
        t.require(ready, "no READY: nothing more to see")
        sl.send_message([b"after-big-initiate"])
        got = t.recv(handle, SECONDS)
        t.expect("curve.server.ready-reply", got == [b"after-big-initiate"],
                 "and the connection carries our message", happened=words.delivered(got))
    else:
        big = [("Socket-Type", b"PULL"), ("X-Padding", PADDING)]
        handle, sl = link(t, "PUSH", "PULL", state=s.server_state("PULL", metadata=big))
        greeted(t, sl)
        error = attempt(sl.read_command)
        t.require(error is None, "no valid HELLO: %s" % why(error, sl))
        sl.send_body(sl.mech.make_welcome(), "WELCOME")
        error = attempt(sl.read_command)
        t.require(error is None, "no valid INITIATE: %s" % why(error, sl))
        mark = t.hostile(sl.conn, frame(sl.mech.make_ready()), [],
                         "CVE-2019-13132: READY with 1000 octets of metadata (X-Padding)")
        t.send(handle, [b"after-big-ready"])
        error = attempt(sl.recv_message)
        t.expect("curve.client.check-metadata", error is None, "it takes the READY (it MAY "
                 "validate the metadata): its message comes",
                 happened="%s; %s" % (why(error, sl) if error else "its message came",
                                      sl.conn.answer_since(mark)))


@secure_case("cve.2019-13132.large-metadata-unknown-key", AREA,
             "CVE-2019-13132: an INITIATE with 1000 octets of metadata from a key the policy "
             "does not know is refused (ERROR or a close), and the server lives",
             ["curve.server.auth-fail-error", "curve.server.auth-fail-close"], "CURVE",
             roles=("binds",), zap=True)
def _(t):
    s = setup(t, "CURVE")
    control(t, "PULL", "PUSH")
    handle, sl = link(t, "PULL", "PUSH",
                      state=s.client_state("PUSH", key=s.keys.stranger, metadata=BIG))
    greeted(t, sl)
    step(t, sl, sl.mech.make_hello(), "HELLO", "WELCOME")
    mark = t.hostile(sl.conn, frame(sl.mech.make_initiate()), [],
                     "CVE-2019-13132: INITIATE with 1000 octets of metadata, unknown key")
    sl.conn.wait_closed(1.0)
    happened = sl.conn.answer_since(mark)
    ready = "READY" in commands_since(sl.conn, mark)
    error = sl.conn.error_command is not None
    closed = sl.conn.closed_since(mark)
    t.expect("curve.server.auth-fail-error", not ready and error, "ERROR, never READY",
             [Alt(not ready and closed, "closed without a word: curve.server.auth-fail-close")],
             happened=happened)
    t.expect("curve.server.auth-fail-close", not ready and closed and not error,
             "nothing but a close", [Alt(not ready and error,
                                         "ERROR: curve.server.auth-fail-error")],
             happened=happened)


# --- CVE-2020-15166: idle half-open connections -----------------------------------------------------

def half_open(t, handle):
    """Two connections that never finish: one greeting only, one up to WELCOME."""
    s = t.security
    idle = t.another_connection(handle, t.bound[1])
    idle.label = "greeting-only"
    t.hostile(idle, wire.greeting(mechanism=b"CURVE"), [],
              "CVE-2020-15166: a CURVE greeting, then silence")
    hello = t.another_connection(handle, t.bound[1])
    hello.label = "hello-only"
    client = s.client_state("PUSH")
    t.hostile(hello, wire.greeting(mechanism=b"CURVE") + frame(client.make_hello()), [],
              "CVE-2020-15166: a CURVE greeting and HELLO, then silence")
    for conn in (idle, hello):
        conn.pump(0.1)
    return idle, hello


def judge_half_open(t, idle, hello):
    sent = {c.label: [n for n, _ in c.inbound.commands()] for c in (idle, hello)}
    data = {c.label: len(c.inbound.messages()) for c in (idle, hello)}
    ok = sent["greeting-only"] == [] and all(n in ("WELCOME",) for n in sent["hello-only"]) \
        and not any(data.values())
    t.expect("curve.handshake.order", ok, "the half-open connections get nothing before their "
             "handshake is over: no MESSAGE (a WELCOME to the HELLO is its due)",
             happened="greeting-only: %s; hello-only: %s" % (idle.describe(), hello.describe()))


@secure_case("cve.2020-15166.half-open-pull", AREA,
             "CVE-2020-15166: beside a connection that only greeted and one that only said "
             "HELLO, a good client's messages to a CURVE PULL are all delivered",
             ["zmtp31.socket.pipeline-semantics", "curve.handshake.order"], "CURVE",
             roles=("binds",))
def _(t):
    setup(t, "CURVE")
    handle, sl = link(t, "PULL", "PUSH")
    idle, hello = half_open(t, handle)
    handshaken(t, sl)
    sent = [[b"good-%d" % i] for i in range(5)]
    for m in sent:
        sl.send_message(m)
    got = []
    for _ in sent:
        m = t.recv(handle, SECONDS)
        if m is None:
            break
        got.append(m)
    t.expect("zmtp31.socket.pipeline-semantics", got == sent, "the good client's five messages "
             "are delivered, in order", happened="it delivered %s" % words.messages(got))
    judge_half_open(t, idle, hello)


@secure_case("cve.2020-15166.half-open-push", AREA,
             "CVE-2020-15166: beside a connection that only greeted and one that only said "
             "HELLO, a CURVE PUSH sends every message to the good client, none to them",
             ["zmtp31.socket.pipeline-semantics", "curve.handshake.order"], "CURVE",
             roles=("binds",))
def _(t):
    setup(t, "CURVE")
    handle, sl = link(t, "PUSH", "PULL")
    idle, hello = half_open(t, handle)
    handshaken(t, sl)
    sent = [[b"to-good-%d" % i] for i in range(6)]
    taken = [m for m in sent if t.send(handle, m, 1.0)]
    got = []
    error = None
    while len(got) < len(taken) and error is None:
        try:
            got.append(sl.recv_message(SECONDS))
        except (HandshakeError, LinkError) as e:
            error = e
    t.expect("zmtp31.socket.pipeline-semantics", got == taken == sent,
             "the six messages go to the one peer whose handshake is over",
             happened="it took %d, the good client got %s%s" % (
                 len(taken), words.messages(got), "; %s" % error if error else ""))
    for conn in (idle, hello):
        conn.pump(0.1)
    judge_half_open(t, idle, hello)


# --- a 64 KiB subscription under CURVE --------------------------------------------------------------

@secure_case("sec.curve.long-subscription", AREA,
             "A 64 KiB subscription subscribed and cancelled under CURVE (a 3.0 peer): what "
             "the publisher does is reported; it must live and serve others",
             ["zmtp30.pubsub.single-frame"], "CURVE", roles=("binds",))
def _(t):
    s = setup(t, "CURVE")
    handle, sl = link(t, "PUB", "SUB", state=s.client_state("SUB"),
                      link_options={"minor": 0})
    handshaken(t, sl)
    topic = bytes(range(256)) * 256
    mark = t.hostile(sl.conn, encode_frame(sl.mech.make_message(b"\x01" + topic)),
                     ["zmtp30.pubsub.single-frame"],
                     "a subscription of a 65536-octet topic (not one short frame)")
    arrived = None
    for _ in range(10):
        t.send(handle, [topic + b"!"], 0.5)
        if attempt(sl.recv_message, 0.2) is None:
            arrived = True
            break
        if sl.conn.closed_by_peer:
            break
    sl.send_message([b"\x00" + topic])
    after = None
    if arrived:
        for _ in range(3):
            t.send(handle, [topic + b"?"], 0.5)
        after = attempt(sl.recv_message, 0.5) is None
    t.observe("zmtp30.pubsub.single-frame", "a 64 KiB subscription, then its cancellation",
              happened="%s; %s; %s" % (
                  "a message on that topic reached us" if arrived else
                  "no message on that topic reached us",
                  "one came after the cancellation" if after else
                  "none came after the cancellation" if arrived else "nothing to cancel",
                  sl.conn.answer_since(mark)))
