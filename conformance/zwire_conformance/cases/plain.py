"""PLAIN (24/ZMTP-PLAIN): the handshake's order and layouts, credentials refused, ERROR in
the handshake, in both roles (security.py: `binds` is the implementation as the server with
a ZAP policy accepting `admin` / `secret`, the suite its client; `connects` the
implementation as the client with those credentials, the suite its server).

24/ZMTP-PLAIN has three keyword sentences, none a MUST; its grammar makes the rest: "plain =
C:hello ( S:welcome | S:error ) C:initiate ( S:ready | S:error ) *( C:message | S:message )"
and the layouts of HELLO, WELCOME, INITIATE and READY, with ERROR and metadata "as the ZMTP
3.0 specification defines" them.  What the implementation sends is judged by those layouts
(plain.*.layout / metadata: every command is decoded); the order by plain.handshake.order,
which the suite tests by holding its own command back (the implementation must wait for it).

The RFC says the server "accepts or rejects this authentication" without a keyword: a server
that admits a client its ZAP handler refused is reported, not failed (for CURVE a SHALL
decides: zap.py).  libzmq 4.3.4 writes its PLAIN ERROR as "\\x05^RROR" (a hex escape that
ate the E): a command of no ALPHA name, which plain.error.layout ("The ZMTP 3.0
specification defines the grammar for ... error") and zmtp31.command.name judge.
"""

from zwire_codec import encode_frame
from zwire_codec.handshake import HandshakeError, property_of

from .. import words
from ..secure_link import LinkError
from ..security import SECONDS, attempt, control, greeted, link, secure_case, setup, why

PLAIN = "PLAIN"


def frame(body):
    return encode_frame(body, command=True)


def quiet(sl, seconds=0.2):
    """True if the implementation sends nothing (and stays open) for `seconds`, and had sent
    nothing beyond the command just read (READY in the same segment as WELCOME, INITIATE in
    the same as HELLO, is no wait)."""
    had = len(sl.conn.inbound.data)
    sl.conn.wait(lambda: len(sl.conn.inbound.data) > had, seconds)
    return (len(sl.conn.inbound.data) == had and not sl.unread()
            and not sl.conn.closed_by_peer)


@secure_case("sec.plain.handshake", "plain",
             "A PLAIN handshake: HELLO, WELCOME, INITIATE, READY in that order, each in its "
             "layout, each side waiting for the other; then messages both ways",
             ["plain.handshake.order", "plain.hello.layout", "plain.hello.vchar",
              "plain.welcome.layout", "plain.initiate.metadata", "plain.ready.metadata",
              "zmtp31.metadata.socket-type", "plain.client.send-after-ready"], PLAIN)
def _(t):
    setup(t, PLAIN)
    handle, sl = link(t, "DEALER", "DEALER")
    mech = sl.mech
    greeted(t, sl)
    order = "plain.handshake.order"
    if t.role == "binds":
        sl.send_body(mech.make_hello(), "HELLO admin / secret")
        error = None
        try:
            name, _ = sl.read_command()
        except (HandshakeError, LinkError) as e:
            name = None
            error = e
        t.expect("plain.welcome.layout", name == "WELCOME" or getattr(error, "clause", "")
                 != "plain.welcome.layout", "WELCOME is the bare command name",
                 happened=sl.conn.describe())
        t.require(name == "WELCOME", "no WELCOME to our HELLO: %s" % sl.conn.describe())
        t.expect(order, quiet(sl), "after WELCOME it waits for our INITIATE (held 0.2 s): "
                 "no READY, no message before it", happened=sl.conn.describe())
        sl.send_body(mech.make_initiate(), "INITIATE (Socket-Type DEALER)")
        error = attempt(sl.read_command)
        t.expect("plain.ready.metadata", error is None or getattr(error, "clause", "")
                 not in ("plain.ready.metadata",) and getattr(error, "kind", "") != "metadata",
                 "READY carries its metadata as 23/ZMTP lays it out", happened=why(error, sl))
        t.expect(order, error is None and mech.ready, "READY answers our INITIATE",
                 happened=why(error, sl))
        t.require(error is None and mech.ready, "no READY: %s" % why(error, sl))
        t.expect("zmtp31.metadata.socket-type",
                 property_of(mech.peer_metadata, "Socket-Type") is not None,
                 "its READY names its Socket-Type",
                 happened="its READY: %s" % words.value(dict(mech.peer_metadata)))
    else:
        try:
            name, credentials = sl.read_command()
        except (HandshakeError, LinkError) as e:
            name, credentials = None, None
            t.expect("plain.hello.layout", getattr(e, "clause", "") != "plain.hello.layout",
                     "its HELLO fills the body: user name, password", happened=why(e, sl))
        t.require(name == "HELLO", "no HELLO: %s" % sl.conn.describe())
        t.expect("plain.hello.layout", credentials == (b"admin", b"secret"),
                 "HELLO carries the user name and password it was given",
                 happened="user name %s, password %s" % tuple(words.octets(c)
                                                              for c in credentials))
        t.expect("plain.hello.vchar", all(0x21 <= c <= 0x7E for c in b"".join(credentials)),
                 "the credentials are VCHAR")
        t.expect(order, quiet(sl), "after HELLO it waits for WELCOME (held 0.2 s): no "
                 "INITIATE before it", happened=sl.conn.describe())
        sl.send_body(mech.make_welcome(), "WELCOME")
        error = attempt(sl.read_command)
        t.expect("plain.initiate.metadata", getattr(error, "kind", "") != "metadata",
                 "INITIATE carries its metadata as 23/ZMTP lays it out", happened=why(error, sl))
        t.expect(order, error is None and mech.state == "initiate",
                 "INITIATE answers our WELCOME", happened=why(error, sl))
        t.require(error is None and mech.state == "initiate",
                  "no INITIATE: %s" % why(error, sl))
        t.expect("zmtp31.metadata.socket-type",
                 property_of(mech.peer_metadata, "Socket-Type") is not None,
                 "its INITIATE names its Socket-Type",
                 happened="its INITIATE: %s" % words.value(dict(mech.peer_metadata)))
        taken = t.send(handle, [b"early"], 0.2)
        t.expect(order, quiet(sl), "no message before our READY (held 0.2 s)",
                 happened=sl.conn.describe())
        sl.send_body(mech.make_ready(), "READY (Socket-Type DEALER)")
        if not taken:
            t.send(handle, [b"early"])
        error = attempt(sl.recv_message)
        t.expect("plain.client.send-after-ready", error is None
                 and sl.conn.inbound.messages()[:1] == [[b"early"]],
                 "after READY its message comes", happened=words.sent(
                     sl.conn.inbound.messages(), sl.conn))
    sl.send_message([b"to-you", b""])
    got = t.recv(handle, SECONDS)
    if got != [b"to-you", b""]:
        t.note("our message after the handshake: %s" % words.delivered(got))


@secure_case("sec.plain.credentials.refused", "plain",
             "A wrong password, which the server's ZAP policy refuses: ERROR in place of "
             "WELCOME, in 23/ZMTP's ERROR layout",
             ["plain.error.layout", "plain.handshake.order"], PLAIN, roles=("binds",), zap=True)
def _(t):
    setup(t, PLAIN)
    control(t, "PULL", "PUSH")
    s = t.security
    handle, sl = link(t, "PULL", "PUSH", state=s.client_state("PUSH", password="wrong"))
    greeted(t, sl)
    mark = sl.conn.mark()
    sl.send_body(sl.mech.make_hello(), "HELLO admin / wrong")
    try:
        name, value = sl.read_command()
        error = None
    except (HandshakeError, LinkError) as e:
        name, value, error = None, None, e
    sl.conn.wait_closed(0.5)
    happened = sl.conn.answer_since(mark)
    raw = bytes(sl.conn.inbound.data)[64:]
    if name == "ERROR":
        t.expect("plain.error.layout", True, "its ERROR has 23/ZMTP's layout",
                 happened="ERROR %s" % words.octets(value))
    elif isinstance(error, HandshakeError):
        t.expect("plain.error.layout", False, "its answer is an ERROR in 23/ZMTP's layout "
                 "(a length-prefixed name 'ERROR', a reason length, the reason)",
                 happened="it sent %s: %s" % (words.octets(raw), error.reason))
    if name == "WELCOME":
        t.observe("plain.handshake.order", "HELLO with a password its ZAP policy refuses: "
                  "24/ZMTP-PLAIN says the server \"accepts or rejects this authentication\" "
                  "without a keyword", happened="it accepted: %s" % happened)
    else:
        t.expect("plain.handshake.order", True, "the server rejects our HELLO (S:error, or a "
                 "close): no WELCOME", happened=happened)


def error_to_client(t, at):
    """ERROR in place of WELCOME (at "welcome") or READY: 37/ZMTP's error.fatal, the client
    closes and does not connect again with the same credentials."""
    setup(t, PLAIN)
    handle, sl = link(t, "PUSH", "PULL", reconnectIvl=50)
    greeted(t, sl)
    error = attempt(sl.read_command)
    t.require(error is None, "no HELLO: %s" % why(error, sl))
    if at == "ready":
        sl.send_body(sl.mech.make_welcome(), "WELCOME")
        error = attempt(sl.read_command)
        t.require(error is None, "no INITIATE: %s" % why(error, sl))
    reason = b"\x05ERROR\x0bgo-away-400"
    mark = t.hostile(sl.conn, frame(reason), [], "ERROR 'go-away-400' in place of %s"
                     % at.upper())
    sl.conn.wait_closed(1.0)
    closed = sl.conn.closed_since(mark)
    t.expect("zmtp31.error.fatal", closed, "it closes after our ERROR",
             happened=sl.conn.answer_since(mark))
    if closed:
        sl.close()
        again = t.listeners[0].accept(1.0)
        if again is not None:
            t.connections.append(again)
        t.expect("zmtp31.error.fatal", again is None, "it does not connect again with the same "
                 "credentials within 1 s (reconnectIvl 50 ms)",
                 happened="it connected again" if again else "no new connection")


@secure_case("sec.plain.error.client-closes", "plain",
             "ERROR in place of WELCOME: the PLAIN client closes and does not reconnect with "
             "the same credentials", ["zmtp31.error.fatal"], PLAIN, roles=("connects",))
def _(t):
    error_to_client(t, "welcome")


@secure_case("sec.plain.error.client-closes-at-ready", "plain",
             "ERROR in place of READY: the PLAIN client closes and does not reconnect with "
             "the same credentials", ["zmtp31.error.fatal"], PLAIN, roles=("connects",))
def _(t):
    error_to_client(t, "ready")


@secure_case("sec.plain.hello.malformed", "plain",
             "A HELLO without its password: what the server does is reported (the layout binds "
             "the client)", ["plain.hello.layout"], PLAIN, roles=("binds",),
             inputs=["PlainHelloLayout"])
def _(t):
    setup(t, PLAIN)
    control(t, "PULL", "PUSH")
    handle, sl = link(t, "PULL", "PUSH")
    greeted(t, sl)
    mark = t.hostile(sl.conn, frame(b"\x05HELLO\x05admin"), "PlainHelloLayout",
                     "HELLO with a user name and no password length")
    sl.conn.wait_closed(1.0)
    t.answer("PlainHelloLayout", "HELLO cut after the user name",
             happened=sl.conn.answer_since(mark))


@secure_case("sec.plain.welcome.malformed", "plain",
             "A WELCOME with an octet after its name: what the client does is reported (the "
             "layout binds the server)", ["plain.welcome.layout"], PLAIN, roles=("connects",),
             inputs=["PlainWelcomeLayout"])
def _(t):
    setup(t, PLAIN)
    handle, sl = link(t, "PUSH", "PULL")
    greeted(t, sl)
    error = attempt(sl.read_command)
    t.require(error is None, "no HELLO: %s" % why(error, sl))
    mark = t.hostile(sl.conn, frame(b"\x07WELCOMEx"), "PlainWelcomeLayout",
                     "WELCOME followed by the octet 'x'")
    sl.conn.wait_closed(1.0)
    t.answer("PlainWelcomeLayout", "WELCOME with data after its name",
             happened=sl.conn.answer_since(mark))
