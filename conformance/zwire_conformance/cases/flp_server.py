"""Freelance (10/FLP), the implementation as the server: its socket, pings, requests and
where their answers go.  The suite plays clients (freelance.py), each a ROUTER with no
Identity over ZMTP 3.1.

Socket: the server's READY says Socket-Type ROUTER (flp.peer.router) and carries an
Identity, its public endpoint: the `{endpoint}` the suite gave its command line, octet for
octet (flp.server.identity, DECISIONS F1).  Pings: every PING answered with exactly one
frame `PONG` (flp.server.pong, flp.grammar.pong, F2).  Requests: answered with the CCF
unchanged and one body frame or more (flp.server.reply-ccf, flp.grammar.reply), whatever
the CCF and the body hold (F4), a CCF spelled `PING` or `PONG` included (F3).  Routing: a
pong and a reply go to the client that asked (the clauses' "to the client that sent it").
A second reply to one request breaks no keyword: it is reported (F7).
"""

from .. import words
from ..freelance import (Freelance, judge_pong, judge_reply, names, reported_unless_met,
                         server_case)

BINARY = bytes(range(256))


def pinged(t, net, client, seconds=2.0):
    """The client pings; returns what it got (all of it, once something came)."""
    since = len(client.got)
    client.ping()
    net.wait(lambda: client.got[since:] or not client.open, seconds)
    return client.got[since:]


# --- the socket ----------------------------------------------------------------------------------

@server_case("fl.server.socket-router", "fl.server.socket",
             "The server's ZMTP READY says Socket-Type ROUTER",
             ["flp.peer.router"])
def _(t):
    net = Freelance(t)
    client = net.client()
    kind = net.property(client, "Socket-Type")
    t.expect("flp.peer.router", kind == b"ROUTER", "its READY says Socket-Type ROUTER",
             happened="it says %s" % words.value(kind))


@server_case("fl.server.identity", "fl.server.socket",
             "The server's ZMTP READY carries an Identity, its public endpoint: the "
             "{endpoint} of its command line, octet for octet (DECISIONS F1)",
             ["flp.server.identity"])
def _(t):
    net = Freelance(t)
    client = net.client()
    given = (getattr(t.adapter, "given_endpoint", None) or t.adapter.endpoint).encode()
    identity = net.property(client, "Identity")
    t.expect("flp.server.identity", identity == given,
             "its READY's Identity is %s, the endpoint its clients connect to" % words.octets(
                 given, 80),
             happened="it sent no Identity" if identity is None else
             "its Identity is %s" % words.octets(identity, 80))


@server_case("fl.server.identity-every-connection", "fl.server.socket",
             "Three clients connect: the server's READY says Socket-Type ROUTER and the same "
             "Identity to each",
             ["flp.peer.router", "flp.server.identity"])
def _(t):
    net = Freelance(t)
    clients = [net.client() for _ in range(3)]
    given = (getattr(t.adapter, "given_endpoint", None) or t.adapter.endpoint).encode()
    kinds = [net.property(c, "Socket-Type") for c in clients]
    identities = [net.property(c, "Identity") for c in clients]
    t.expect("flp.peer.router", all(k == b"ROUTER" for k in kinds),
             "each READY says Socket-Type ROUTER", happened="they say %s" % words.value(kinds))
    t.expect("flp.server.identity", all(i == given for i in identities),
             "each READY's Identity is %s" % words.octets(given, 80),
             happened="they carry %s" % words.value(identities))


# --- pings ---------------------------------------------------------------------------------------

@server_case("fl.server.ping", "fl.server.ping",
             "A PING is answered with exactly one frame, PONG",
             ["flp.server.pong", "flp.grammar.pong"])
def _(t):
    net = Freelance(t)
    client = net.client()
    got = pinged(t, net, client)
    if judge_pong(t, client, got):
        net.quiet(0.2)
        reported_unless_met(t, "flp.server.pong", len(client.got) == 1,
                            "one PING, one PONG, and nothing else",
                            happened="it sent %s" % names(client.got))


@server_case("fl.server.ping-many", "fl.server.ping",
             "Five PINGs in a row on one connection: five PONGs",
             ["flp.server.pong", "flp.grammar.pong"])
def _(t):
    net = Freelance(t)
    client = net.client()
    for _ in range(5):
        client.ping()
    net.wait(lambda: len(client.got) >= 5, 2.0)
    t.expect("flp.server.pong", len(client.pongs()) >= 5, "every PING is answered",
             happened="it sent %s" % names(client.got))
    for got in client.got[:5]:
        t.expect("flp.grammar.pong", got.command == "PONG" and got.frames == [b"PONG"],
                 "each answer is one frame, PONG", own_octets=True,
                 happened="it sent %s" % words.frames(got.frames))
        got.judged = True


@server_case("fl.server.ping-after-request", "fl.server.ping",
             "A client that has asked something pings: the PONG still comes, and the reply",
             ["flp.server.pong", "flp.grammar.pong", "flp.server.reply-ccf"])
def _(t):
    net = Freelance(t)
    client = net.client()
    client.request(b"1", [b"first"])
    got = pinged(t, net, client)
    net.wait(lambda: client.pongs() and client.replies(b"1"), 2.0)
    judge_pong(t, client, client.pongs() or [g for g in got if g.ccf != b"1"])
    judge_reply(t, client, client.got, b"1", [b"first"])


# --- requests: CCF and body ----------------------------------------------------------------------

def echoed(ccf, body, title, slug):
    """A case: one client sends one request; the reply carries the CCF octet for octet and
    one body frame or more (the request's, with the command line's echo)."""
    @server_case("fl.server.request.%s" % slug, "fl.server.request", title,
                 ["flp.server.reply-ccf", "flp.grammar.reply"])
    def _(t):
        net = Freelance(t)
        client = net.client()
        got = net.ask(client, ccf, body)
        judge_reply(t, client, got, ccf, body)


echoed(b"1", [b"hello"], "A request, CCF '1' and body 'hello': the reply has CCF '1' and a "
       "body", "plain")
echoed(b"", [b"empty CCF"], "A request with an empty CCF: the reply's first frame is empty "
       "too (DECISIONS F4)", "ccf-empty")
echoed(BINARY, [b"binary CCF"], "A request whose CCF is every octet 0x00..0xff (256 octets, a "
       "long frame): the reply carries it unchanged", "ccf-binary")
echoed(bytes(range(1, 256)), [b"255"], "A request whose CCF is 255 octets (the longest short "
       "frame): the reply carries it unchanged", "ccf-255")
echoed(b"\x00\x00\x00\x2a", [b"number"], "A request whose CCF is a 4-octet binary sequence "
       "number: the reply carries it unchanged", "ccf-number")
echoed(b"PING", [b"not a ping"], "A request whose CCF spells PING (two frames: a request, "
       "DECISIONS F3): answered with a reply, not a PONG", "ccf-ping")
echoed(b"PONG", [b"not a pong"], "A request whose CCF spells PONG: answered with a reply "
       "of two frames or more, CCF 'PONG'", "ccf-pong")
echoed(b"7", [b"a", b"", b"c", BINARY], "A request of four body frames, one empty, one "
       "binary: the reply has a body (the four frames, with the echo)", "body-frames")
echoed(b"8", [b""], "A request whose body is one empty frame: the reply has a body frame",
       "body-empty")
echoed(b"9", [bytes(70000)], "A request whose body is one frame of 70000 octets: the reply "
       "has a body", "body-large")


@server_case("fl.server.request.pipelined", "fl.server.request",
             "Ten requests on one connection without waiting: each CCF answered",
             ["flp.server.reply-ccf", "flp.grammar.reply"])
def _(t):
    net = Freelance(t)
    client = net.client()
    ccfs = [b"p%d" % i for i in range(10)]
    for ccf in ccfs:
        client.request(ccf, [ccf + b" body"])
    net.wait(lambda: all(client.replies(ccf) for ccf in ccfs), 3.0)
    for ccf in ccfs:
        judge_reply(t, client, client.got, ccf, [ccf + b" body"])


@server_case("fl.server.request.one-reply", "fl.server.request",
             "One request gets one reply: a second is reported (DECISIONS F7)",
             ["flp.server.reply-ccf", "flp.grammar.reply"])
def _(t):
    net = Freelance(t)
    client = net.client()
    got = net.ask(client, b"once", [b"one reply"])
    if judge_reply(t, client, got, b"once", [b"one reply"]):
        net.quiet(0.3)
        count = len(client.replies(b"once"))
        reported_unless_met(t, "flp.server.reply-ccf", count == 1,
                            "one reply for one request (DECISIONS F7: a second breaks no "
                            "keyword)", happened="%d messages carried its CCF" % count)


# --- routing -------------------------------------------------------------------------------------

def mine_only(t, client, others):
    """Every answer `client` got belongs to it: no reply carrying another client's CCF."""
    stray = [g for g in client.got if g.ccf in others]
    t.expect("flp.server.reply-ccf", not stray,
             "%s gets only the answers to its own requests" % client.label,
             happened="it got %s" % names(stray) if stray else None)


@server_case("fl.server.routing.two-clients", "fl.server.routing",
             "Two clients, pings and requests interleaved: each pong and each reply goes to "
             "the client that asked",
             ["flp.server.pong", "flp.server.reply-ccf", "flp.grammar.pong",
              "flp.grammar.reply"])
def _(t):
    net = Freelance(t)
    a, b = net.client(), net.client()
    a.ping()
    b.request(b"b1", [b"from b 1"])
    a.request(b"a1", [b"from a 1"])
    b.ping()
    a.request(b"a2", [b"from a 2"])
    b.request(b"b2", [b"from b 2"])
    own = {a: [b"a1", b"a2"], b: [b"b1", b"b2"]}
    net.wait(lambda: all(c.pongs() and all(c.replies(x) for x in own[c]) for c in (a, b)), 2.0)
    net.quiet(0.1)
    for client, other in ((a, b), (b, a)):
        judge_pong(t, client, client.pongs() or [g for g in client.got
                                                 if g.ccf not in own[client]])
        for ccf in own[client]:
            judge_reply(t, client, client.got, ccf, [b"from %s %s" % (ccf[:1], ccf[1:])])
        mine_only(t, client, own[other])
        t.expect("flp.server.pong", len(client.pongs()) <= 1,
                 "%s, which pinged once, gets no other client's PONG" % client.label,
                 happened="it got %d PONGs" % len(client.pongs()))


@server_case("fl.server.routing.same-ccf", "fl.server.routing",
             "Two clients send requests with the same CCF: each gets one answer, its own "
             "(the server routes by connection, not by CCF)",
             ["flp.server.reply-ccf", "flp.grammar.reply"])
def _(t):
    net = Freelance(t)
    a, b = net.client(), net.client()
    a.request(b"1", [b"from a"])
    b.request(b"1", [b"from b"])
    net.wait(lambda: a.replies(b"1") and b.replies(b"1"), 2.0)
    net.quiet(0.1)
    for client, body in ((a, b"from a"), (b, b"from b")):
        judge_reply(t, client, client.got, b"1", [body])
    crossed = [c.label for c, body in ((a, b"from b"), (b, b"from a"))
               if any(g.message and g.message.body == [body] for g in c.replies(b"1"))]
    reported_unless_met(t, "flp.server.reply-ccf", not crossed,
                        "no client gets the echo of the other's request",
                        happened="%s got the other's" % " and ".join(crossed) if crossed
                        else None)


@server_case("fl.server.routing.many-clients", "fl.server.routing",
             "Twenty clients each ping and ask at once: every one gets its PONG and its reply",
             ["flp.server.pong", "flp.server.reply-ccf", "flp.grammar.reply"])
def _(t):
    net = Freelance(t)
    clients = [net.client() for _ in range(20)]
    for i, client in enumerate(clients):
        client.ping()
        client.request(b"c%d" % i, [b"from %d" % i])
    net.wait(lambda: all(c.pongs() and c.replies(b"c%d" % i) for i, c in enumerate(clients)),
             3.0)
    unponged = [c.label for c in clients if not c.pongs()]
    t.expect("flp.server.pong", not unponged, "each client's PING is answered, to it",
             happened="%s got no PONG" % ", ".join(unponged) if unponged else None)
    unanswered = [c.label for i, c in enumerate(clients) if not c.replies(b"c%d" % i)]
    t.expect("flp.server.reply-ccf", not unanswered,
             "each client's request is answered, to it, with its CCF",
             happened="%s got no reply with their CCF" % ", ".join(unanswered)
             if unanswered else None)
    for i, client in enumerate(clients):
        others = {b"c%d" % j for j in range(20) if j != i}
        stray = [g for g in client.got if g.ccf in others]
        t.expect("flp.server.reply-ccf", not stray,
                 "%s gets no other client's reply" % client.label,
                 happened="it got %s" % names(stray) if stray else None)


@server_case("fl.server.routing.client-gone", "fl.server.routing",
             "A client sends a request and closes at once (a transient client): the next "
             "client is served",
             ["flp.server.reply-ccf", "flp.grammar.reply"])
def _(t):
    net = Freelance(t)
    gone = net.client()
    gone.request(b"g", [b"leaving"])
    gone.conn.close()
    net.quiet(0.1)
    client = net.client()
    got = net.ask(client, b"2", [b"still there"])
    judge_reply(t, client, got, b"2", [b"still there"])
