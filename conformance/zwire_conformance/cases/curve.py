"""CURVE (25/ZMTP-CURVE, 26/CURVEZMQ): the handshake and the MESSAGE boxes as a wire peer
sees them, in both roles (security.py: `binds` is the implementation as the server, the
suite its client; `connects` the implementation as the client, the suite its server).

What the implementation sends is opened with the suite's own CurveZMQ (zwire_codec.curvezmq)
and judged by the clauses that bind its role: the sizes and layouts (the codec), the nonce
prefixes (a box opens only with its prefix), the short nonces (strictly increasing, one
counter per direction), a fresh transient key, cookie and long nonces per WELCOME, a fresh
client transient key per connection, the vouch, the MESSAGE flags.  What it does with the
suite's broken commands is judged by the receiver clauses 26/CURVEZMQ gives each of them:
"The server SHALL validate all fields and SHALL reject and disconnect clients who send
malformed HELLO commands" (and INITIATE), "The client SHALL validate all fields and SHALL
disconnect from servers that send malformed WELCOME commands" (and READY), "The recipient
SHALL validate all fields and SHALL reject and disconnect from peers who send malformed
MESSAGE commands".  Each refusal case first shows a well-formed handshake completing on a
connection of its own (the control).  An ERROR before the close is the server's choice
(curve.server.error-optional) and is shown in what happened, never judged; a client never
sends one (curve.client.no-error).

Where zwire made a choice the RFCs leave open, the suite reports and never fails it:
MESSAGE in a data frame (DECISIONS S11, zmtp31.wire.encrypted-commands: INFO), a boxed
ZMTP command with flags bit 1 (S7, curve.message.flags-reserved: INFO), a server's as-server
0 (S6: a note), reserved flag bits 2-7 set by the suite (whether "validate all fields"
covers bits reserved for future use is a reading: reported).

Deliberate faults of the reference peer these cases catch (each by a FAIL): padding not
checked (sec.curve.hello.padding-not-zero@binds, under curve.server.reject-bad-hello);
cookie not checked (sec.curve.initiate.cookie-tampered@binds and
sec.curve.initiate.cookie-foreign@binds, under curve.server.reject-bad-initiate); vouch not
checked (sec.curve.initiate.vouch-other-server, vouch-other-transient, vouch-other-client,
all @binds, under curve.server.reject-bad-initiate); nonce reuse not refused
(sec.curve.initiate.nonce-reused@binds, and security_cves.py's cve.2014-7203.* in both
roles, under curve.server.reject-nonce-reuse / check-nonce and their client twins).
"""

import nacl.bindings as sodium

from zwire_codec import curvezmq, encode_frame
from zwire_codec.handshake import HandshakeError

from .. import words
from ..secure_link import LinkError
from ..security import (SECONDS, another_link, attempt, commands_since, control, flip,
                        greeted, handshaken, link, refusal, secure_case, setup, step, why)

CURVE = "CURVE"

# Offsets in the command bodies (26/CURVEZMQ's layouts, name included).
HELLO_PADDING, HELLO_SIGNATURE = 8, 120          # padding [8:80], signature [120:200]
WELCOME_BOX = 24                                 # nonce [8:24], box [24:168]
INITIATE_COOKIE, INITIATE_BOX = 9, 113           # cookie [9:105], nonce [105:113]
READY_BOX, MESSAGE_BOX = 14, 16


def frame(body):
    return encode_frame(body, command=True)


# --- what the implementation sends --------------------------------------------------------------

def judge_messages(t, sl, got, error, count, sender):
    """Messages the implementation sent us (opened by the suite's state object), each
    judged: its box opens with its role's prefix, its flags are clear of bits 2-7, its
    short nonce above the last one (one counter per direction, from the READY or HELLO)."""
    role = "server" if sender == "S" else "client"
    prefix = "CurveZMQMESSAGE" + sender
    kind = getattr(error, "kind", None)
    t.expect("curve.message.nonce-prefix", error is None or kind not in ("box",),
             "each MESSAGE box opens with the nonce prefix %r" % prefix,
             happened=why(error, sl) if error else "%d MESSAGE(s) opened" % len(got))
    t.expect("curve.message.flags-reserved", kind != "flags",
             "each data MESSAGE has flags bits 2-7 zero", happened=why(error, sl) if error
             else None)
    nonces = sl.mech.received_nonces
    t.expect("curve.%s.nonce-increment" % role, kind != "nonce"
             and all(a < b for a, b in zip(nonces, nonces[1:])),
             "its short nonces increase from command to command",
             happened="short nonces %s%s" % (nonces, "; " + str(error) if kind == "nonce"
                                             else ""))
    t.require(error is None and len(got) == count,
              "%d of %d messages came: %s" % (len(got), count, why(error, sl)))


def judge_frames(t, sl, family="zmtp31"):
    """DECISIONS S11: MESSAGE in a data frame (libzmq 4.3.4, zwire) is reported; in a
    command frame it meets the stricter reading."""
    frames = [f for f in sl.conn.inbound.frames() if f.body[:8] == b"\x07MESSAGE"]
    data = [f for f in frames if not f.flags & 0x04]
    clause = "%s.wire.encrypted-commands" % family
    if not frames:
        return
    if data:
        t.observe(clause, "MESSAGEs in ZMTP data frames, as libzmq 4.3.4 sends and reads them "
                  "(it drops command-framed ones): the data is still a boxed command body "
                  "(DECISIONS S11)", happened="%d of its %d MESSAGEs came in data frames "
                  "(flags 0x%02x) too" % (len(data), len(frames), data[0].flags))
    else:
        t.expect(clause, True, "its MESSAGEs travel in command frames")


def ping_pong(t, sl):
    """A boxed PING (flags bit 1, DECISIONS S7): its PONG, if any, comes boxed with bit 1,
    which 26/CURVEZMQ reserves and 37/ZMTP's commands need: reported."""
    sl.send_command(b"\x04PING\x00\x00" + b"curve")
    error = attempt(sl.recv_command, 1.0)
    if error is None and sl.commands:
        t.observe("curve.message.flags-reserved", "a PING boxed with flags bit 1, the only "
                  "deployed way to carry a 37/ZMTP command under CURVE (DECISIONS S7)",
                  happened="its PONG came boxed with flags bit 1 too: %s"
                  % words.octets(sl.commands[-1]))
    else:
        t.note("no PONG to a boxed PING within 1 s: %s" % why(error, sl))


@secure_case("sec.curve.handshake", "curve",
             "A CurveZMQ handshake and three messages each way: every box the implementation "
             "sends opens with its prefix, sizes and nonces as 26/CURVEZMQ lays them out",
             ["curve.hello.first-command", "curve.hello.size", "curve.hello.version",
              "curve.hello.padding", "curve.hello.nonce-prefix", "curve.hello.signature-box",
              "curve.server.welcome-reply", "curve.welcome.size", "curve.welcome.nonce-prefix",
              "curve.client.initiate-reply", "curve.initiate.size",
              "curve.initiate.nonce-prefix", "curve.vouch.nonce-prefix",
              "curve.server.ready-reply", "curve.server.ready-on-success", "curve.ready.size",
              "curve.ready.nonce-prefix", "curve.client.expect-messages",
              "curve.message.nonce-prefix", "curve.message.size", "curve.message.flags-reserved",
              "curve.server.nonce-increment", "curve.client.nonce-increment",
              "curve.client.no-error", "curve.handshake.order", "zmtp31.wire.encrypted-commands"],
             CURVE)
def _(t):
    handshake_case(t, minor=1)


@secure_case("sec.curve.handshake.v30", "curve",
             "The same handshake with a 3.0 peer (the implementation steps down): its MESSAGEs "
             "carry the data as 23/ZMTP asks of an encrypted connection",
             ["zmtp30.wire.encrypted-commands", "curve.handshake.order",
              "curve.message.nonce-prefix", "curve.message.flags-reserved",
              "curve.server.nonce-increment", "curve.client.nonce-increment"], CURVE)
def _(t):
    handshake_case(t, minor=0)


def in_turn(t, sl, error, expected):
    """A command out of turn (the state object says curve.handshake.order) is judged by it."""
    if getattr(error, "clause", None) == "curve.handshake.order":
        t.expect("curve.handshake.order", False, "%s in its turn" % expected,
                 happened=why(error, sl))


def handshake_case(t, minor):
    s = setup(t, CURVE)
    handle, sl = link(t, "DEALER", "DEALER", link_options={"minor": minor})
    mech = sl.mech
    greeted(t, sl)
    full = minor == 1
    if t.role == "binds":
        # The suite is the client: each answer of the server, opened.
        sl.send_body(mech.make_hello(), "HELLO")
        error = attempt(sl.read_command)
        in_turn(t, sl, error, "WELCOME")
        welcome = error is None and mech.state == "welcome"
        if full:
            t.expect("curve.server.welcome-reply", welcome, "our valid HELLO is answered by "
                     "WELCOME", happened=why(error, sl))
            t.expect("curve.welcome.size", welcome or getattr(error, "clause", "") !=
                     "curve.welcome.size", "WELCOME is 168 octets", happened=why(error, sl))
            t.expect("curve.welcome.nonce-prefix", welcome or getattr(error, "kind", "") !=
                     "wrong-server-key", "its box opens with the nonce prefix 'WELCOME-' "
                     "from S to our C'", happened=why(error, sl))
        t.require(welcome, "no WELCOME: %s" % why(error, sl))
        sl.send_body(mech.make_initiate(), "INITIATE")
        error = attempt(sl.read_command)
        in_turn(t, sl, error, "READY")
        ready = error is None and mech.state == "messages"
        if full:
            t.expect("curve.server.ready-reply", ready, "our valid INITIATE is answered by "
                     "READY", happened=why(error, sl))
            t.expect("curve.server.ready-on-success", ready, "our key passes its policy: READY",
                     happened=why(error, sl))
            t.expect("curve.ready.size", ready or getattr(error, "clause", "") !=
                     "curve.ready.size", "READY is 30 octets or more", happened=why(error, sl))
            t.expect("curve.ready.nonce-prefix", ready or getattr(error, "kind", "") != "box",
                     "its box opens with the nonce prefix 'CurveZMQREADY---'",
                     happened=why(error, sl))
        t.require(ready, "no READY: %s" % why(error, sl))
    else:
        # The suite is the server: each command of the client, opened.
        error = attempt(sl.read_command)
        in_turn(t, sl, error, "HELLO")
        hello = error is None and mech.state == "hello"
        clause = getattr(error, "clause", "")
        if full:
            t.expect("curve.hello.first-command", hello or getattr(error, "kind", "") != "order",
                     "its first command is HELLO", happened=why(error, sl))
            for c, what in (("curve.hello.size", "HELLO is 200 octets"),
                            ("curve.hello.version", "its version is 1.0"),
                            ("curve.hello.padding", "its 72 padding octets are zero")):
                t.expect(c, clause != c, what, happened=why(error, sl))
            t.expect("curve.hello.nonce-prefix", hello or clause != "curve.hello.signature-box",
                     "its signature box opens with the nonce prefix 'CurveZMQHELLO---' "
                     "from C' to our S", happened=why(error, sl))
            t.expect("curve.hello.signature-box", hello, "it holds 64 zero octets",
                     happened=why(error, sl))
        t.require(hello, "no valid HELLO: %s" % why(error, sl))
        sl.send_body(mech.make_welcome(), "WELCOME")
        error = attempt(sl.read_command)
        in_turn(t, sl, error, "INITIATE")
        initiate = error is None and mech.state == "initiate"
        if full:
            t.expect("curve.client.initiate-reply", initiate, "our valid WELCOME is answered "
                     "by INITIATE", happened=why(error, sl))
            t.expect("curve.initiate.size", getattr(error, "clause", "") != "curve.initiate.size",
                     "INITIATE is 257 octets or more", happened=why(error, sl))
            t.expect("curve.initiate.nonce-prefix", initiate or getattr(error, "kind", "")
                     != "box", "its box opens with the nonce prefix 'CurveZMQINITIATE'",
                     happened=why(error, sl))
            t.expect("curve.vouch.nonce-prefix", initiate or getattr(error, "kind", "")
                     != "vouch", "its vouch opens with the nonce prefix 'VOUCH---' from C to "
                     "our S' and holds C' and S", happened=why(error, sl))
        t.require(initiate, "no valid INITIATE: %s" % why(error, sl))
        if mech.client_key != s.keys.client[0]:
            t.note("its INITIATE names a permanent key other than the curveSecretKey given")
        sl.send_body(mech.make_ready(), "READY")
    # Messages both ways: three from the implementation, one to it.
    t.expect("curve.handshake.order", True, "HELLO, WELCOME, INITIATE, READY, each in its "
             "turn (a command out of turn is refused above)")
    sl.send_message([b"to-you", b"2"])
    got = t.recv(handle, SECONDS)
    if t.role == "connects" and full:
        t.expect("curve.client.expect-messages", got == [b"to-you", b"2"],
                 "after READY it takes our MESSAGEs: ['to-you', '2'] is delivered",
                 happened=words.delivered(got))
    elif got != [b"to-you", b"2"]:
        t.note("our message after the handshake: %s" % words.delivered(got))
    sent = [[b"m%d" % i, b"x" * (i * 100)] for i in range(3)]
    for m in sent:
        t.send(handle, m)
    mine = []
    error = None
    while len(mine) < 3 and error is None:
        try:
            mine.append(sl.recv_message())
        except (HandshakeError, LinkError) as e:
            error = e
    judge_messages(t, sl, mine, error, 3, "S" if t.role == "binds" else "C")
    if mine != sent:
        t.note("its three messages came as %s" % words.messages(mine))
    if full:
        t.expect("curve.message.size", True, "each MESSAGE is 33 octets or more (the codec "
                 "checks every one)")
        if t.role == "connects":
            t.expect("curve.client.no-error", sl.conn.error_command is None,
                     "the client sends no ERROR", happened=sl.conn.describe())
        ping_pong(t, sl)
    judge_frames(t, sl, "zmtp31" if full else "zmtp30")


# --- fresh per WELCOME, fresh per connection --------------------------------------------------------

@secure_case("sec.curve.server.fresh-welcome", "curve",
             "Three HELLOs with the same client transient key: each WELCOME has a transient "
             "key, a cookie and long nonces of its own",
             ["curve.server.fresh-transient", "curve.server.long-nonce-unique",
              "curve.server.fresh-cookie"], CURVE, roles=("binds",))
def _(t):
    s = setup(t, CURVE)
    transient = curvezmq.keypair()[1]
    seen = []
    handle = None
    for i in range(3):
        state = s.client_state("DEALER", transient_secret=transient)
        if handle is None:
            handle, sl = link(t, "DEALER", "DEALER", state=state)
        else:
            sl = another_link(t, handle, "DEALER", state=state)
        greeted(t, sl)
        step(t, sl, state.make_hello(), "HELLO (the same C')", "WELCOME")
        seen.append((state.server_transient, state.welcome_nonce, state.cookie))
        sl.close()
    keys = [x[0] for x in seen]
    welcomes = [x[1] for x in seen]
    cookie_nonces = [x[2][:16] for x in seen]
    cookies = [x[2] for x in seen]
    t.expect("curve.server.fresh-transient", len(set(keys)) == 3,
             "three WELCOMEs, three transient keys S'",
             happened="S' %s" % ", ".join(words.octets(k, 6) for k in keys))
    # "the server uses a 16-octet long nonce in the WELCOME command and when creating a
    # cookie. This nonce SHALL be unique for this server permanent key": each WELCOME's and
    # each cookie's differ from the other WELCOMEs' and cookies' (whether one WELCOME may
    # use the same nonce for itself and its cookie, the sentence does not say)
    t.expect("curve.server.long-nonce-unique",
             len(set(welcomes)) == 3 and len(set(cookie_nonces)) == 3,
             "three WELCOME long nonces, all different; three cookie nonces, all different",
             happened="WELCOME nonces %s; cookie nonces %s" % (
                 ", ".join(words.octets(n, 6) for n in welcomes),
                 ", ".join(words.octets(n, 6) for n in cookie_nonces)))
    t.expect("curve.server.fresh-cookie", len(set(cookies)) == 3, "three different cookies")


@secure_case("sec.curve.client.fresh-per-connection", "curve",
             "Two connections of the client: a transient key C' of its own on each, and "
             "two vouches with long nonces of their own",
             ["curve.client.transient-per-connection", "curve.vouch.nonce-unique"], CURVE,
             roles=("connects",))
def _(t):
    s = setup(t, CURVE)
    handle, sl = link(t, "DEALER", "DEALER", reconnectIvl=50)
    handshaken(t, sl)
    first = (sl.mech.client_transient, sl.mech.vouch)
    sl.close()
    again = another_link(t, handle, "DEALER")
    t.require(again is not None, "it did not connect again within 2 s (reconnectIvl 50 ms)")
    handshaken(t, again)
    second = (again.mech.client_transient, again.mech.vouch)
    t.expect("curve.client.transient-per-connection", first[0] != second[0],
             "the second connection's HELLO has another C'",
             happened="C' %s then %s" % (words.octets(first[0], 6), words.octets(second[0], 6)))
    t.expect("curve.vouch.nonce-unique", first[1][:16] != second[1][:16],
             "the two vouches from the same permanent key C have different long nonces",
             happened="vouch nonces %s then %s" % (words.octets(first[1][:16]),
                                                   words.octets(second[1][:16])))
    del s


# --- the server's checks of HELLO ------------------------------------------------------------------

def hostile_hello(t, body_of, what, breaks, input_class=None,
                  clause="curve.server.reject-bad-hello"):
    """A control, then our greeting and a HELLO the server must refuse (`body_of(client)`
    makes it): it closes without WELCOME."""
    s = setup(t, CURVE)
    control(t, "PULL", "PUSH")
    handle, sl = link(t, "PULL", "PUSH")
    greeted(t, sl)
    body = body_of(sl.mech, s)
    mark = t.hostile(sl.conn, frame(body), input_class or breaks, what)
    refusal(t, sl, mark, "rejected and disconnected: closed without WELCOME", "WELCOME",
            clause=None if input_class else clause, input_class=input_class)


def _hello_case(slug, title, body_of, what, breaks=(), input_class=None):
    @secure_case("sec.curve.hello." + slug, "curve", title,
                 ["curve.server.reject-bad-hello", "curve.server.check-hello"] + list(breaks),
                 CURVE, roles=("binds",), inputs=[input_class] if input_class else ())
    def _(t):
        hostile_hello(t, body_of, what, list(breaks), input_class)
    return _


def _hello_resized(n):
    def body_of(mech, s):
        body = mech.make_hello()
        if n < 0:
            return body[:HELLO_PADDING] + body[HELLO_PADDING - n:]      # padding octets out
        return body[:HELLO_PADDING] + bytes(n) + body[HELLO_PADDING:]    # padding octets in
    return body_of


def _hello_version(major, minor):
    def body_of(mech, s):
        body = bytearray(mech.make_hello())
        body[6:8] = bytes([major, minor])
        return bytes(body)
    return body_of


def _hello_padding(mech, s):
    body = bytearray(mech.make_hello())
    body[HELLO_PADDING + 40] = 0x01
    return bytes(body)


def _hello_signature_flipped(mech, s):
    return flip(mech.make_hello(), -1)


def _hello_signature_content(mech, s):
    body = bytearray(mech.make_hello())
    nonce = bytes(body[112:120])
    body[HELLO_SIGNATURE:] = sodium.crypto_box(b"\x01" * 64, b"CurveZMQHELLO---" + nonce,
                                               s.keys.server[0], mech.transient_secret)
    return bytes(body)


def _hello_other_server(mech, s):
    mech.server_key = s.keys.stranger[0]
    return mech.make_hello()


_hello_case("short", "A HELLO of 199 octets (a padding octet short) is rejected and "
            "disconnected", _hello_resized(-1), "HELLO of 199 octets", input_class="CurveHello")
_hello_case("long", "A HELLO of 201 octets (a padding octet more) is rejected and disconnected",
            _hello_resized(1), "HELLO of 201 octets", input_class="CurveHello")
_hello_case("version-2.0", "A HELLO of version 2.0 is rejected and disconnected",
            _hello_version(2, 0), "HELLO of version 2.0", input_class="CurveHello")
_hello_case("version-1.1", "A HELLO of version 1.1 is rejected and disconnected",
            _hello_version(1, 1), "HELLO of version 1.1", input_class="CurveHello")
_hello_case("padding-not-zero", "A HELLO whose 41st padding octet is 1 is rejected and "
            "disconnected (the server validates all fields)", _hello_padding,
            "HELLO with padding octet 41 = 0x01", input_class="CurveHello")
_hello_case("signature-tampered", "A HELLO whose signature box has one octet flipped is "
            "rejected and disconnected", _hello_signature_flipped,
            "HELLO, last octet of the signature box flipped", ["curve.hello.signature-box"])
_hello_case("signature-not-zeros", "A HELLO whose signature box opens to 64 octets that are "
            "not zero is rejected and disconnected", _hello_signature_content,
            "HELLO whose signature box holds 64 octets 0x01", ["curve.hello.signature-box"])
_hello_case("wrong-server-key", "A HELLO boxed to another server key (the client has the "
            "wrong S) is rejected and disconnected", _hello_other_server,
            "HELLO whose signature box is for another S", ["curve.hello.signature-box"])


# --- the server's checks of INITIATE -----------------------------------------------------------------

def hostile_initiate(t, make, what, breaks=(), input_class=None, extra=(),
                     clause="curve.server.reject-bad-initiate"):
    """A control, then HELLO and WELCOME as they should be, then an INITIATE the server must
    refuse (`make(client, setup, t)` returns its body): it closes without READY."""
    s = setup(t, CURVE)
    control(t, "PULL", "PUSH")
    handle, sl = link(t, "PULL", "PUSH")
    greeted(t, sl)
    step(t, sl, sl.mech.make_hello(), "HELLO", "WELCOME")
    body = make(sl.mech, s, t, handle)
    mark = t.hostile(sl.conn, frame(body), input_class or list(breaks), what)
    met = refusal(t, sl, mark, "rejected and disconnected: closed without READY", "READY",
                  clause=None if input_class else clause, input_class=input_class)
    for clause in extra:
        t.expect(clause, met, "the INITIATE is refused", happened=sl.conn.answer_since(mark))


def _initiate_case(slug, title, make, what, breaks=(), input_class=None, extra=(),
                   clauses=("curve.server.reject-bad-initiate", "curve.server.check-initiate")):
    @secure_case("sec.curve.initiate." + slug, "curve", title,
                 list(clauses) + list(breaks) + [c for c in extra if c not in clauses],
                 CURVE, roles=("binds",), inputs=[input_class] if input_class else ())
    def _(t):
        hostile_initiate(t, make, what, breaks, input_class, extra, clauses[0])
    return _


def _cookie_flipped(mech, s, t, handle):
    mech.cookie = flip(mech.cookie, 40)
    return mech.make_initiate()


def _cookie_foreign(mech, s, t, handle):
    """The cookie of an earlier connection that completed its handshake with the same C'
    and C: its cookie key must be gone (curve.server.cookie-key-expiry), and this
    connection's is another."""
    other = s.client_state("PUSH", transient_secret=mech.transient_secret)
    first = another_link(t, handle, "PUSH", state=other, label="earlier")
    error = attempt(first.handshake)
    t.require(error is None, "the earlier connection's handshake: %s" % why(error, first))
    mech.cookie = other.cookie
    return mech.make_initiate()


def _vouch(mech, inner, secret):
    nonce = bytes(range(16))
    return nonce + sodium.crypto_box(inner, b"VOUCH---" + nonce, mech.server_transient, secret)


def _vouch_other_server(mech, s, t, handle):
    return mech.make_initiate(vouch=mech.make_vouch(server_key=s.keys.stranger[0]))


def _vouch_other_transient(mech, s, t, handle):
    other = curvezmq.keypair()[0]
    return mech.make_initiate(vouch=_vouch(mech, other + mech.server_key, mech.secret_key))


def _vouch_other_client(mech, s, t, handle):
    return mech.make_initiate(vouch=_vouch(mech, mech.transient_public + mech.server_key,
                                           s.keys.stranger[1]))


def _box_flipped(mech, s, t, handle):
    return flip(mech.make_initiate(), -1)


def _initiate_short(mech, s, t, handle):
    return mech.make_initiate()[:256]


def _metadata_malformed(mech, s, t, handle):
    # a property name of length 0, then a value size
    return mech.make_initiate(metadata=b"\x00\x00\x00\x00\x04PUSH")


def _nonce_reused(mech, s, t, handle):
    return mech.make_initiate(nonce=1)              # HELLO's short nonce, again


_initiate_case("cookie-tampered", "An INITIATE whose cookie has one octet flipped is rejected "
               "and disconnected", _cookie_flipped, "INITIATE, cookie octet 41 flipped")
_initiate_case("cookie-foreign", "An INITIATE carrying the cookie of an earlier, completed "
               "connection (same C', same C) is rejected: its cookie key is gone",
               _cookie_foreign, "INITIATE with the cookie of the earlier connection",
               extra=["curve.server.cookie-key-expiry"])
_initiate_case("vouch-other-server", "An INITIATE whose vouch is for another server key S is "
               "rejected and disconnected", _vouch_other_server,
               "INITIATE, the vouch holding another S")
_initiate_case("vouch-other-transient", "An INITIATE whose vouch is for another transient key "
               "C' is rejected and disconnected", _vouch_other_transient,
               "INITIATE, the vouch holding another C'")
_initiate_case("vouch-other-client", "An INITIATE whose vouch is boxed by another permanent "
               "key than the C it names is rejected and disconnected", _vouch_other_client,
               "INITIATE naming C, the vouch boxed by another key")
_initiate_case("box-tampered", "An INITIATE whose box has one octet flipped is rejected and "
               "disconnected", _box_flipped, "INITIATE, last octet of the box flipped")
_initiate_case("short", "An INITIATE of 256 octets is rejected and disconnected",
               _initiate_short, "INITIATE of 256 octets", input_class="CurveInitiate")
_initiate_case("metadata-malformed", "An INITIATE whose metadata has a property name of "
               "length 0 is rejected and disconnected", _metadata_malformed,
               "INITIATE, metadata with an empty property name", input_class="CurveMetadata")
_initiate_case("nonce-reused", "An INITIATE that reuses the HELLO's short nonce is "
               "disconnected", _nonce_reused, "INITIATE with short nonce 1 again",
               clauses=("curve.server.reject-nonce-reuse", "curve.server.check-nonce"))


# --- MESSAGE boxes the recipient must refuse --------------------------------------------------------

def hostile_message(t, make, what, input_class=None, report_flags=False):
    """A CURVE PULL of the case's role, handshaken; one good MESSAGE delivered; then one made
    by `make(state)`: refused with a disconnect and never delivered (a server sends no ERROR
    for it), or, for reserved flag bits (report_flags), what happens reported."""
    setup(t, CURVE)
    handle, sl = link(t, "PULL", "PUSH")
    handshaken(t, sl)
    sl.send_message([b"good"])
    got = t.recv(handle, SECONDS)
    t.require(got == [b"good"], "a good MESSAGE was not delivered: %s" % words.delivered(got))
    breaks = input_class or (["curve.message.flags-reserved"] if report_flags else [])
    mark = t.hostile(sl.conn, encode_frame(make(sl.mech)), breaks, what)
    sl.conn.wait_closed(1.0)
    again = t.recv(handle, 0.2)
    closed = sl.conn.closed_since(mark)
    happened = "%s; %s" % (sl.conn.answer_since(mark), words.delivered(again))
    if report_flags:
        t.observe("curve.message.flags-reserved", what, happened=happened)
        return
    met = closed and again is None
    if input_class:
        t.answer(input_class, what, met=met, happened=happened)
    else:
        t.expect("curve.message.reject-bad", met, "it disconnects; the MESSAGE is not delivered",
                 happened=happened)
    if t.role == "binds":
        t.expect("curve.server.no-error-on-message", "ERROR" not in commands_since(sl.conn, mark),
                 "the server sends no ERROR for an invalid MESSAGE", happened=happened)


_MESSAGE = ["curve.message.reject-bad", "curve.message.check", "curve.server.no-error-on-message"]


@secure_case("sec.curve.message.tampered", "curve",
             "A MESSAGE whose box has one octet flipped: the recipient disconnects and delivers "
             "nothing (a server sends no ERROR)", _MESSAGE, CURVE)
def _(t):
    hostile_message(t, lambda m: flip(m.make_message(b"tampered"), -1),
                    "MESSAGE 'tampered', last octet of the box flipped")


@secure_case("sec.curve.message.short", "curve",
             "A MESSAGE of 32 octets (no room for a flags octet): the recipient disconnects",
             _MESSAGE, CURVE, inputs=["CurveMessage"])
def _(t):
    hostile_message(t, lambda m: m.make_message(b"")[:32], "MESSAGE of 32 octets",
                    input_class="CurveMessage")


@secure_case("sec.curve.message.reserved-flags", "curve",
             "A MESSAGE whose boxed flags set bit 2 (reserved, MUST be zero): what the "
             "recipient does is reported (whether \"validate all fields\" covers bits reserved "
             "for future use is a reading)", ["curve.message.flags-reserved"], CURVE)
def _(t):
    hostile_message(t, lambda m: m.make_message(b"flag-bit-2", flags=0x04),
                    "MESSAGE 'flag-bit-2' with boxed flags 0x04", report_flags=True)


# --- metadata names ---------------------------------------------------------------------------------

@secure_case("sec.curve.metadata.name-case", "curve",
             "'SOCKET-TYPE' in INITIATE is the Socket-Type: an illegal type under that "
             "spelling is refused as under 'Socket-Type'",
             ["curve.metadata.case-insensitive", "zmtp31.socket-type.check"], CURVE,
             roles=("binds",))
def _(t):
    s = setup(t, CURVE)
    control(t, "PULL", "PUSH")

    def attempt_type(name, label):
        state = s.client_state("PULL", metadata=[(name, b"PULL")])
        handle, sl = link(t, "PULL", "PULL", state=state, label=label)
        greeted(t, sl)
        step(t, sl, state.make_hello(), "HELLO", "WELCOME")
        mark = t.hostile(sl.conn, frame(state.make_initiate()), [],
                         "INITIATE, %s PULL (illegal for a PULL)" % name)
        sl.conn.wait_closed(1.0)
        return sl.conn.closed_since(mark), sl.conn.answer_since(mark)

    checks, happened = attempt_type("Socket-Type", "canonical")
    t.expect("zmtp31.socket-type.check", checks, "a client announcing PULL to a PULL is "
             "refused", happened=happened)
    t.require(checks, "it does not refuse an illegal Socket-Type at all: no spelling to compare")
    closed, happened = attempt_type("SOCKET-TYPE", "upper")
    t.expect("curve.metadata.case-insensitive", closed,
             "refused under 'SOCKET-TYPE' as under 'Socket-Type'", happened=happened)


# --- the client's checks of WELCOME and READY -------------------------------------------------------

def hostile_to_client(t, at, make, what, breaks=(), input_class=None,
                      clause="curve.client.reject-bad-welcome"):
    """A control, then the client's HELLO (and INITIATE, at "ready") answered as they should
    be up to a command the client must refuse (`make(server, setup)` returns its body): it
    closes and sends nothing after it (no INITIATE after a WELCOME, no MESSAGE after a
    READY) and never ERROR (curve.client.no-error)."""
    s = setup(t, CURVE)
    control(t, "PUSH", "PULL")
    handle, sl = link(t, "PUSH", "PULL")
    mech = sl.mech
    greeted(t, sl)
    error = attempt(sl.read_command)
    t.require(error is None, "no valid HELLO: %s" % why(error, sl))
    if at == "ready":
        sl.send_body(mech.make_welcome(), "WELCOME")
        error = attempt(sl.read_command)
        t.require(error is None, "no valid INITIATE: %s" % why(error, sl))
        t.send(handle, [b"not-before-ready"], 0.2)
    body = make(mech, s)
    mark = t.hostile(sl.conn, frame(body), input_class or list(breaks), what)
    forbidden = "INITIATE" if at == "welcome" else "MESSAGE"
    sl.conn.wait_closed(1.0)
    sent = commands_since(sl.conn, mark) + (
        ["MESSAGE"] if sl.conn.inbound.messages() else [])
    met = sl.conn.closed_since(mark) and forbidden not in sent
    happened = sl.conn.answer_since(mark)
    if input_class:
        t.answer(input_class, what, met=met, happened=happened)
    else:
        t.expect(clause, met, "disconnects, sending no %s" % forbidden, happened=happened)
    t.expect("curve.client.no-error", "ERROR" not in sent, "the client sends no ERROR",
             happened=happened)


# The client's two clauses on each command it validates (26/CURVEZMQ, WELCOME and READY).
CLIENT_CHECKS = {"welcome": ("curve.client.reject-bad-welcome", "curve.client.check-welcome"),
                 "ready": ("curve.client.reject-bad-ready", "curve.client.check-ready")}


def _to_client_case(slug, at, title, make, what, breaks=(), input_class=None, clauses=()):
    main, check = CLIENT_CHECKS[at]
    @secure_case("sec.curve.%s.%s" % (at, slug), "curve", title,
                 [main, check, "curve.client.no-error"] + list(breaks) + list(clauses), CURVE,
                 roles=("connects",), inputs=[input_class] if input_class else ())
    def _(t):
        hostile_to_client(t, at, make, what, breaks, input_class, main)
    return _


def _welcome_flipped(mech, s):
    return flip(mech.make_welcome(), -1)


def _welcome_short(mech, s):
    return mech.make_welcome()[:167]


def _ready_flipped(mech, s):
    return flip(mech.make_ready(), -1)


def _ready_short(mech, s):
    return mech.make_ready()[:29]


_to_client_case("tampered", "welcome", "A WELCOME whose box has one octet flipped: the client "
                "disconnects, sending no INITIATE", _welcome_flipped,
                "WELCOME, last octet of the box flipped")
_to_client_case("short", "welcome", "A WELCOME of 167 octets: the client disconnects",
                _welcome_short, "WELCOME of 167 octets", input_class="CurveWelcome")
_to_client_case("tampered", "ready", "A READY whose box has one octet flipped: the client "
                "disconnects and sends no MESSAGE", _ready_flipped,
                "READY, last octet of the box flipped")
_to_client_case("short", "ready", "A READY of 29 octets: the client disconnects",
                _ready_short, "READY of 29 octets", input_class="CurveReady")


@secure_case("sec.curve.welcome.wrong-server-key", "curve",
             "A WELCOME boxed by another server key than the one the client knows: it "
             "disconnects, sending no INITIATE",
             ["curve.client.reject-bad-welcome", "curve.client.check-welcome",
              "curve.client.no-error"], CURVE, roles=("connects",))
def _(t):
    def make(mech, s):
        # Box[S' + cookie](stranger -> C'): the WELCOME a server with another key makes.
        mech.secret_key = s.keys.stranger[1]
        return mech.make_welcome()
    hostile_to_client(t, "welcome", make, "WELCOME boxed by another server key")


# --- ERROR during the handshake ----------------------------------------------------------------------

@secure_case("sec.curve.error.client-closes", "curve",
             "ERROR in place of WELCOME: the client closes and does not reconnect with the "
             "same credentials",
             ["curve.client.no-reconnect-after-error", "zmtp31.error.fatal"], CURVE,
             roles=("connects",))
def _(t):
    setup(t, CURVE)
    handle, sl = link(t, "PUSH", "PULL", reconnectIvl=50)
    greeted(t, sl)
    error = attempt(sl.read_command)
    t.require(error is None, "no valid HELLO: %s" % why(error, sl))
    mark = t.hostile(sl.conn, frame(curvezmq.error_body("go away")), [],
                     "ERROR 'go away' in place of WELCOME")
    sl.conn.wait_closed(1.0)
    closed = sl.conn.closed_since(mark)
    t.expect("zmtp31.error.fatal", closed, "it closes after our ERROR",
             happened=sl.conn.answer_since(mark))
    if closed:
        sl.close()
        again = t.listeners[0].accept(1.0)
        if again is not None:
            t.connections.append(again)
        t.expect("curve.client.no-reconnect-after-error", again is None,
                 "it does not connect again within 1 s (reconnectIvl 50 ms): a hard error",
                 happened="it connected again" if again else "no new connection")
