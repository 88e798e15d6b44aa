"""Socket semantics on the wire (23/ZMTP and 37/ZMTP §socket semantics, and the pattern
RFCs they point to: 28/REQREP, 30/PIPELINE, 31/EXPAIR): the envelopes REQ, REP and ROUTER
put on the wire and expect from it, how DEALER and PUSH spread messages over their peers
and PULL gathers them, and that messages arrive whole, in order and once.

Every case finishes the handshake (our READY, theirs) and a PING barrier before traffic, so
that the implementation has attached the connection when the application sends; a case
with two raw connections runs in the binds role only.
"""

from .. import wire
from .. import words
from ..case import case
from ..steps import (handshake, handshaken, in_sent_order, missing, not_whole, repeated,
                     settle)

REQREP = "zmtp31.socket.reqrep-semantics"
PIPELINE = "zmtp31.socket.pipeline-semantics"
IN_ORDER = "zmtp31.socket.in-order"
NO_DUPLICATES = "zmtp31.socket.no-duplicates"


msg = wire.message


def peer(t, socket_type, ours, **options):
    """The implementation's socket and one raw connection announcing `ours`, settled."""
    handle, conn = t.link(socket_type, **options)
    handshaken(t, conn, ours)
    settle(conn)
    return handle, conn


def second_peer(t, handle, first, ours, identity=None):
    """Another settled raw connection to the socket `first` is connected to (binds role)."""
    conn = t.another_connection(handle, t.bound[1])
    handshaken(t, conn, ours, identity=identity)
    settle(conn)
    return conn


def wire_messages(conn, count, seconds=2.0):
    conn.wait_messages(count, seconds)
    return conn.inbound.messages()


# --- REQ --------------------------------------------------------------------------------------

@case("zmtp.sockets.req-envelope", "sockets",
      "REQ puts an empty delimiter before the request and strips it from the reply",
      [REQREP])
def _(t):
    handle, conn = peer(t, "REQ", "REP")
    t.send(handle, [b"hello", b"world"])
    got = wire_messages(conn, 1)
    t.expect(REQREP, got[:1] == [[b"", b"hello", b"world"]],
             "the request goes out as '' + hello + world", happened=words.sent(got[:1], conn))
    conn.send(msg(b"", b"reply"), "reply: '' + reply")
    back = t.recv(handle)
    t.expect(REQREP, back == [b"reply"], "the application gets [reply]",
             happened=words.delivered(back))


@case("zmtp.sockets.req-one-at-a-time", "sockets",
      "REQ has one request out at a time: the next goes only after the reply",
      [REQREP])
def _(t):
    handle, conn = peer(t, "REQ", "REP")
    t.send(handle, [b"one"])
    conn.wait_messages(1)
    early = t.send(handle, [b"two"], 0.2)
    t.note("a second send before the reply was %s" % ("taken" if early else "refused"))
    # The barrier: a PONG to a PING sent after its send returned; a second request it put
    # on the wire would come before that PONG.
    settle(conn)
    t.expect(REQREP, conn.inbound.messages() == [[b"", b"one"]],
             "only the first request is on the wire before the reply",
             happened=words.sent(conn.inbound.messages(), conn))
    conn.send(msg(b"", b"reply-1"), "the reply")
    t.expect(REQREP, t.recv(handle) == [b"reply-1"], "the reply is delivered")
    if not early:
        t.send(handle, [b"three"])
    got = wire_messages(conn, 2)
    t.expect(REQREP, got[1:2] == [[b"", b"two" if early else b"three"]],
             "then the next request goes out",
             happened=words.sent(got[1:2], conn) + (" after the first" if got[1:2] else ""))


@case("zmtp.sockets.req-reply-without-delimiter", "sockets",
      "REQ never hands over a reply that lacks the empty delimiter",
      [REQREP])
def _(t):
    handle, conn = peer(t, "REQ", "REP")
    t.send(handle, [b"question"])
    conn.wait_messages(1)
    conn.send(msg(b"no-delimiter", b"bad") + msg(b"", b"good"),
              "a reply without delimiter, then a proper one")
    got = t.recv(handle, 1.0)
    closed = got is None and conn.wait_closed(0.5)
    t.note("the implementation %s" % ("discarded it and delivered the next reply"
                                      if got == [b"good"] else "closed the connection"
                                      if closed else words.delivered(got)))
    # 28/REQREP fixes the reply's format, not what a REQ does with a broken one: dropping
    # it, or the connection, are both fine; handing it to the application is not.
    t.expect(REQREP, got == [b"good"] or closed,
             "only the reply with the delimiter is delivered, or the connection is closed",
             happened=words.delivered(got) if got is not None or not closed
             else conn.describe())


# --- REP --------------------------------------------------------------------------------------

@case("zmtp.sockets.rep-envelope", "sockets",
      "REP sends each reply back with the envelope of its request: routing frames, delimiter",
      [REQREP])
def _(t):
    handle, conn = peer(t, "REP", "DEALER")
    conn.send(msg(b"", b"q1"), "request '' + q1")
    t.expect(REQREP, t.recv(handle) == [b"q1"], "REP delivers [q1]")
    t.send(handle, [b"a1"])
    conn.send(msg(b"hop-1", b"hop-2", b"", b"q2"), "request hop-1 + hop-2 + '' + q2")
    t.expect(REQREP, t.recv(handle) == [b"q2"], "REP delivers [q2], without the envelope")
    t.send(handle, [b"a2"])
    got = wire_messages(conn, 2)
    t.expect(REQREP, got[:2] == [[b"", b"a1"], [b"hop-1", b"hop-2", b"", b"a2"]],
             "the replies carry the envelopes back", happened=words.sent(got[:2], conn))


# --- ROUTER and DEALER ------------------------------------------------------------------------

@case("zmtp.sockets.router-identity-routing", "sockets",
      "ROUTER prefixes the announced Identity of the sender and routes replies by it",
      ["zmtp31.identity.router-addressing", REQREP], roles=("binds",))
def _(t):
    handle, a = t.link("ROUTER")
    handshaken(t, a, "DEALER", identity=b"peer-A")
    settle(a)
    b = second_peer(t, handle, a, "DEALER", identity=b"peer-B")
    a.send(wire.frame(b"from-a"), "from-a")
    first = t.recv(handle)
    b.send(wire.frame(b"from-b"), "from-b")
    second = t.recv(handle)
    t.expect("zmtp31.identity.router-addressing",
             first == [b"peer-A", b"from-a"] and second == [b"peer-B", b"from-b"],
             "messages come prefixed with the sender's Identity",
             happened="from A %s; from B %s" % (words.delivered(first), words.delivered(second)))
    t.send(handle, [b"nobody", b"lost"])
    t.send(handle, [b"peer-B", b"to-b"])
    t.send(handle, [b"peer-A", b"to-a"])
    got_a, got_b = wire_messages(a, 1), wire_messages(b, 1)
    t.expect("zmtp31.identity.router-addressing", got_a == [[b"to-a"]] and got_b == [[b"to-b"]],
             "each reply reaches the peer its first frame names, without that frame",
             happened="to A %s; to B %s" % (words.sent(got_a, a), words.sent(got_b, b)))
    t.expect(REQREP, len(got_a) + len(got_b) == 2, "a message to an unknown identity is dropped")


@case("zmtp.sockets.router-generated-identity", "sockets",
      "ROUTER names a peer without Identity itself, and routes replies by that name",
      [REQREP])
def _(t):
    handle, conn = peer(t, "ROUTER", "DEALER")
    conn.send(msg(b"hello", b"there"), "hello + there")
    got = t.recv(handle)
    t.expect(REQREP, got is not None and len(got) == 3 and got[0] != b""
             and got[1:] == [b"hello", b"there"],
             "delivered as [routing id, hello, there] with a routing id of 1 octet or more",
             happened=words.delivered(got))
    if got:
        t.send(handle, [got[0], b"back"])
        t.expect(REQREP, wire_messages(conn, 1) == [[b"back"]], "the reply comes back as [back]")


@case("zmtp.sockets.dealer-no-envelope", "sockets",
      "DEALER adds and strips nothing: frames go and come as they are",
      [REQREP])
def _(t):
    handle, conn = peer(t, "DEALER", "ROUTER")
    t.send(handle, [b"a", b"", b"b"])
    t.expect(REQREP, wire_messages(conn, 1) == [[b"a", b"", b"b"]],
             "the wire carries a + '' + b exactly")
    conn.send(msg(b"x", b"y"), "x + y")
    got = t.recv(handle)
    t.expect(REQREP, got == [b"x", b"y"], "the application gets [x, y]",
             happened=words.delivered(got))


def spreads_in_turn(t, socket_type, ours, clause):
    handle, a = peer(t, socket_type, ours)
    b = second_peer(t, handle, a, ours)
    for i in range(4):
        t.send(handle, [b"m%d" % i])
    got_a, got_b = wire_messages(a, 2), wire_messages(b, 2)
    turns = sorted([got_a, got_b])
    t.expect(clause, turns == [[[b"m0"], [b"m2"]], [[b"m1"], [b"m3"]]],
             "4 messages alternate between the two peers",
             happened="to the first peer %s; to the second %s" % (words.sent(got_a, a),
                                                                 words.sent(got_b, b)))
    again = repeated(got_a + got_b)
    t.expect(NO_DUPLICATES, not again, "no message reaches us twice (a lost one is judged "
             "above, by the pattern)", happened="%s came more than once"
             % words.messages(again) if again else "none came twice")


@case("zmtp.sockets.dealer-round-robin", "sockets", "DEALER sends to its peers in turn",
      [REQREP, NO_DUPLICATES], roles=("binds",))
def _(t):
    spreads_in_turn(t, "DEALER", "DEALER", REQREP)


# --- PUSH and PULL ----------------------------------------------------------------------------

@case("zmtp.sockets.push-round-robin", "sockets", "PUSH sends to its peers in turn",
      [PIPELINE, NO_DUPLICATES], roles=("binds",))
def _(t):
    spreads_in_turn(t, "PUSH", "PULL", PIPELINE)


@case("zmtp.sockets.pull-fair-queue", "sockets",
      "PULL takes from its peers in turn, each peer's messages in order and once",
      [PIPELINE, IN_ORDER, NO_DUPLICATES], roles=("binds",))
def _(t):
    # Each judged apart: a message delivered twice (no-duplicates), out of its peer's order
    # (in-order), or never (30/PIPELINE's PULL "SHALL deliver these to its calling
    # application", a SHOULD through zmtp31.socket.pipeline-semantics).
    handle, a = peer(t, "PULL", "PUSH")
    b = second_peer(t, handle, a, "PUSH")
    a.send(msg(b"a1") + msg(b"a2") + msg(b"a3"), "a1 a2 a3")
    b.send(msg(b"b1") + msg(b"b2") + msg(b"b3"), "b1 b2 b3")
    settle(a)
    settle(b)
    got = [t.recv(handle) for _ in range(6)]
    bodies = [m[0] if m and len(m) == 1 else words.value(m).encode() for m in got]
    delivered = "it delivered %s" % words.messages([m for m in got if m is not None])
    six = [[b"a1"], [b"a2"], [b"a3"], [b"b1"], [b"b2"], [b"b3"]]
    again = repeated([m for m in got if m is not None])
    t.expect(NO_DUPLICATES, not again, "no message is delivered twice", happened=delivered)
    t.expect(PIPELINE, not missing([m for m in got if m is not None], six),
             "all 6 messages are delivered", happened=delivered)
    t.expect(IN_ORDER, in_sent_order([[x] for x in bodies if x[:1] == b"a"], six[:3])
             and in_sent_order([[x] for x in bodies if x[:1] == b"b"], six[3:]),
             "each peer's messages in the order sent", happened=delivered)
    t.expect(PIPELINE, all(bodies[i][:1] != bodies[i + 1][:1] for i in range(5)),
             "with both peers waiting, delivery alternates between them")


# --- PAIR -------------------------------------------------------------------------------------

def _tag(m):
    return m[0][:2] if m else b""


@case("zmtp.sockets.pair-exchange", "sockets",
      "PAIR carries messages both ways, whole and in order",
      ["zmtp31.socket.pair-semantics", IN_ORDER, "zmtp31.socket.atomic"])
def _(t):
    handle, conn = peer(t, "PAIR", "PAIR")
    sent = [[b"p1"], [b"p2", b"", b"p2-c"], [b"p3" * 200]]
    conn.send(b"".join(msg(*m) for m in sent), "three messages, one of three frames")
    got = [m for m in (t.recv(handle) for _ in sent) if m is not None]
    t.expect(IN_ORDER, in_sent_order(got, sent, key=_tag),
             "delivered in the order sent", happened="it delivered %s" % words.messages(got))
    t.expect("zmtp31.socket.atomic", not not_whole(got, sent, key=_tag),
             "each message delivered whole", happened="it delivered %s" % words.messages(got))
    for m in sent:
        t.send(handle, m)
    out = wire_messages(conn, 3)
    t.expect(IN_ORDER, in_sent_order(out, sent, key=_tag),
             "sent in the order given", happened=words.sent(out, conn))
    t.expect("zmtp31.socket.atomic", not not_whole(out, sent, key=_tag),
             "each message sent whole", happened=words.sent(out, conn))
    # a message lost either way is 31/EXPAIR's ("SHALL deliver these", "SHALL NOT discard
    # messages"), a SHOULD through pair-semantics
    t.expect("zmtp31.socket.pair-semantics", got == sent and out == sent,
             "a PAIR talks to its one peer both ways: all three, each way",
             happened="it delivered %s; %s" % (words.messages(got), words.sent(out, conn)))


@case("zmtp.sockets.pair-one-peer", "sockets",
      "PAIR talks to one peer: a second connection gets nothing and delivers nothing",
      ["zmtp31.socket.pair-semantics"], roles=("binds",))
def _(t):
    handle, first = peer(t, "PAIR", "PAIR")
    second = t.another_connection(handle, t.bound[1])
    handshake(second, "PAIR")
    if settle(second):
        second.send(wire.frame(b"from-second"), "from-second")
        settle(second, 1.0)
    t.note("the second connection was %s" % ("closed" if second.closed_by_peer else "kept open"))
    first.send(msg(b"from-first") + msg(b"end"), "from-first, end")
    got = [t.recv(handle), t.recv(handle)]
    t.expect("zmtp31.socket.pair-semantics", got == [[b"from-first"], [b"end"]],
             "only the first peer's messages are delivered",
             happened="it delivered %s" % words.messages([m for m in got if m is not None]))
    t.send(handle, [b"out"])
    t.expect("zmtp31.socket.pair-semantics",
             wire_messages(first, 1) == [[b"out"]] and not second.inbound.messages(),
             "a message sent goes to the first peer only")


# --- order and duplicates, 100 messages -------------------------------------------------------

def hundred():
    """100 messages of 0..~300 octets, every tenth of three frames, each one different."""
    out = []
    for i in range(100):
        body = b"%03d:" % i + bytes([i]) * (i * 37 % 300)
        out.append([body, b"", b"tail-%d" % i] if i % 10 == 9 else [body])
    return out


def once_in_order_whole(t, got, sent, what):
    """The verdicts of 100 messages and 'end' one PUSH sent to one PULL, each apart: none
    twice (no-duplicates), those that came in the order sent (in-order), each whole
    (atomic), and none lost (30/PIPELINE: PUSH "SHALL NOT discard messages", PULL "SHALL
    deliver these"; a SHOULD through pipeline-semantics)."""
    def key(m):
        return m[0][:4] if m else b""
    count = "%d messages of the %d came" % (len(got), len(sent))
    again = repeated(got, key)
    t.expect(NO_DUPLICATES, not again, "each %s at most once" % what,
             happened="%s; %d more than once" % (count, len(again)) if again else count)
    t.expect(IN_ORDER, in_sent_order(got, sent, key), "%s in the order sent" % what,
             happened=count)
    broken = not_whole(got, sent, key)
    t.expect("zmtp31.socket.atomic", not broken, "every message whole, frame for frame",
             happened="not whole: %s" % words.messages(broken[:3]) if broken else count)
    lost = missing(got, sent, key)
    t.expect(PIPELINE, not lost, "none is lost: 'end' is the 101st message",
             happened="%s; %d never came, the first %s"
             % (count, len(lost), words.frames(lost[0])) if lost else count)


@case("zmtp.sockets.in-order-inbound", "sockets",
      "100 messages from one PUSH peer are delivered by PULL in order, whole, once",
      [IN_ORDER, NO_DUPLICATES, "zmtp31.socket.atomic", PIPELINE])
def _(t):
    handle, conn = peer(t, "PULL", "PUSH")
    sent = hundred() + [[b"end"]]
    conn.send(b"".join(msg(*m) for m in sent), "100 messages, then end")
    got = []
    while len(got) < len(sent):
        m = t.recv(handle)
        if m is None:
            break
        got.append(m)
    once_in_order_whole(t, got, sent, "delivered")


@case("zmtp.sockets.in-order-outbound", "sockets",
      "100 messages sent by PUSH reach its one peer in order, whole, once",
      [IN_ORDER, NO_DUPLICATES, "zmtp31.socket.atomic", PIPELINE])
def _(t):
    handle, conn = peer(t, "PUSH", "PULL")
    sent = hundred() + [[b"end"]]
    taken = [m for m in sent if t.send(handle, m)]
    if len(taken) < len(sent):
        t.note("it took %d of the %d messages (a send may block): judged on those"
               % (len(taken), len(sent)))
    once_in_order_whole(t, wire_messages(conn, len(taken), 5.0), taken, "sent")
