"""Freelance, the implementation as the client (10/FLP); the suite plays its servers
(suiteserver.py).  The client under test is started with the case's servers in
{endpoints} and short timers (a PING every 100 ms, 3 silent intervals, 300 ms per attempt,
3 retries) and driven through its --lines protocol (ADAPTER.md): the suite asks it for a
request, takes its connections with a NULL handshake as a ROUTER whose Identity is the
server's endpoint (DECISIONS F1), answers (or not) as the case says, and reads the outcome
its application got.

Sockets: the client's READY says Socket-Type ROUTER (flp.peer.router) and carries no
Identity (flp.client.no-identity, DECISIONS F8), on every connection.  Framing: a PING is
one frame `PING` (flp.grammar.ping); a request is the CCF and one body frame or more
(flp.grammar.request), its body the application's (reported).  Pings: their interval is
reported (flp.client.ping-interval, a MAY).  Failover: a dead server (its port closed), a
server that never answers, every server dead, a server that comes back: where the request
ends is reported; a server that stops answering PINGs must not be the first choice once
liveness x interval and a margin have passed (flp.client.server-disconnected, a SHOULD:
judged against the liveness the client declares, 3 assumed, DECISIONS F6; a client that
gives up sooner is reported).  Stale replies (issue 13's four hostile servers: one dead, one
slow that answers after the client has moved on, one that answers twice, one that answers
with a wrong CCF): each arrives while a later request is outstanding, and whether the
application got only its own request's reply is judged under flp.client.ccf-any-use, a
PASS or INFO naming the stale reply, never a FAIL (DECISIONS F9).  Every malformed message
to a client of vectors/flp (hostile input) is reported, with the robustness axis: the
client must live through it and get a new request answered.
"""

import statistics

from .. import words
from ..runner import ROOT
from ..suiteserver import (STALE_LEAD, Servers, client_case, interval, judge_own_replies,
                           judge_request, outcome_bound, reported_unless_met, slack, timer,
                           to_client_vectors)

NEEDS_INTERVAL = ["ping_interval_ms"]


def first_attempt(t, servers, ask, seconds=None):
    """The first message the client sent for `ask` (a request, if it conforms): (server,
    link, Sent), or the case stops NOT-EXERCISED."""
    seconds = seconds or outcome_bound(t)
    servers.wait(lambda: ask.attempts() or ask.done, seconds)
    attempts = ask.attempts()
    t.require(attempts, "nothing for %s reached any server (%s)" % (
        ask.name(), ask.describe() if ask.done else "no outcome either within %.1f s"
        % seconds))
    return attempts[0]


def where(ask):
    """The attempts of a request, in words: 's1 at 0 ms, s2 at 302 ms'."""
    return ", ".join("%s at %.0f ms" % (link.label, (got.at - ask.at) * 1000)
                     for _, link, got in ask.attempts()) or "none reached a server"


def ping_gaps(link):
    times = [g.at for g in link.pings()]
    return [b - a for a, b in zip(times, times[1:])]


def silence(t, servers, server, answer="mute"):
    """`server` answers the client's next PING, then stops answering PINGs (and requests,
    unless `answer` says otherwise): returns when it sent that last PONG, or the case stops
    NOT-EXERCISED if the client sends it no PING (it does not ping:
    flp.client.ping-interval is a MAY)."""
    server.answer = answer
    server.pongs_left = 1
    servers.wait(lambda: not server.pong, 2 * interval(t) + slack(t) + 1.0)
    t.require(not server.pong, "the client sent %s no PING within %.1f s: it does not ping "
              "(a MAY), so it cannot find a silent server by its pings" % (
                  server.label, 2 * interval(t) + slack(t) + 1.0))
    return server.last_pong_at


# --- sockets ---------------------------------------------------------------------------------------

@client_case("fl.client.router", "fl.client.sockets",
             "The client's socket as its ZMTP handshake says it, on the connection to each of "
             "two servers: ROUTER",
             ["flp.peer.router"], servers=("live", "live"))
def _(t):
    servers = Servers(t)
    servers.ready()
    for link in servers.links:
        if not link.handshaken():
            continue
        kind = link.socket_type
        t.expect("flp.peer.router", kind == b"ROUTER",
                 "%s: its READY says Socket-Type ROUTER" % link.label,
                 happened="it says %s" % (words.octets(kind) if kind is not None else
                                          "no Socket-Type"))


@client_case("fl.client.no-identity", "fl.client.sockets",
             "The client sets no identity: its ZMTP READY to each of two servers carries no "
             "Identity property (DECISIONS F8)",
             ["flp.client.no-identity"], servers=("live", "live"))
def _(t):
    servers = Servers(t)
    servers.ready()
    for link in servers.links:
        if not link.handshaken():
            continue
        identity = link.identity
        # an empty Identity property names no identity (the server's ROUTER makes one up,
        # as for none): libzmq's ROUTER sends one
        t.expect("flp.client.no-identity", not identity,
                 "%s: its READY carries no Identity (or an empty one)" % link.label,
                 happened="it carries %s" % (
                     "no Identity property" if identity is None else
                     "an empty Identity property" if identity == b"" else
                     "Identity %s" % words.octets(identity)))


# --- framing ---------------------------------------------------------------------------------------

@client_case("fl.client.ping", "fl.client.framing",
             "The client's pings, for a second with no request: each is one frame, PING",
             ["flp.grammar.ping"], servers=("live", "live"))
def _(t):
    servers = Servers(t)
    servers.ready()
    servers.quiet(max(1.0, 3 * interval(t)))
    sent = [(link, g) for link in servers.links for g in link.got]
    t.require(sent, "the client sent nothing in %.1f s without a request: it does not ping "
              "(flp.client.ping-interval is a MAY)" % max(1.0, 3 * interval(t)))
    bad = []
    for link, got in sent:
        got.judged = True
        if got.frames != [b"PING"]:
            bad.append("%s: %s" % (link.label, words.frames(got.frames)))
    t.expect("flp.grammar.ping", not bad,
             "every message the client sent with no request outstanding (%d) is a ping: one "
             "frame, the four octets 'PING'" % len(sent),
             happened="it sent %s" % "; ".join(bad[:4]) if bad else
             "%d PINGs, each one frame 'PING'" % len(sent))


@client_case("fl.client.ping-interval", "fl.client.pings",
             "Over a second, the client pings each of two servers at a regular interval "
             "(100 ms asked); the interval seen is reported",
             ["flp.client.ping-interval"], servers=("live", "live"), needs_timers=NEEDS_INTERVAL)
def _(t):
    servers = Servers(t)
    servers.ready()
    window = max(1.0, 10 * interval(t))
    start = servers.links[0].accepted_at
    servers.quiet(window)
    parts, regular = [], bool(servers.links)
    for link in servers.links:
        gaps = ping_gaps(link)
        if len(gaps) < 2:
            regular = False
            parts.append("%s: %d PING%s" % (link.label, len(link.pings()),
                                            "" if len(link.pings()) == 1 else "s"))
            continue
        median = statistics.median(gaps)
        regular = regular and 0.5 * interval(t) <= median <= 1.5 * interval(t) + 0.05
        parts.append("%s: %d PINGs, every %.0f ms (median; %.0f to %.0f ms)" % (
            link.label, len(link.pings()), median * 1000, min(gaps) * 1000, max(gaps) * 1000))
    reported_unless_met(t, "flp.client.ping-interval", regular,
                        "it pings each server at a regular interval, near the %.0f ms it was "
                        "given" % (interval(t) * 1000),
                        happened="in %.1f s: %s" % (window, "; ".join(parts)))
    t.note("the first connection was taken %.0f ms after the process started"
           % ((start - t.transcript.start) * 1000))


@client_case("fl.client.request", "fl.client.framing",
             "Three requests in turn: each the CCF and the body the application gave, each "
             "with a CCF of its own",
             ["flp.grammar.request", "flp.client.ccf-any-use"])
def _(t):
    servers = Servers(t)
    servers.ready()
    asks = []
    for n in (1, 2, 3):
        ask = servers.ask([b"req-%d" % n])
        server, link, got = first_attempt(t, servers, ask)
        if judge_request(t, link, got):
            reported_unless_met(t, "flp.grammar.request", got.body == ask.body,
                                "%s carries the body the application gave" % ask.name(),
                                happened="it carried %s" % words.frames(got.body))
        servers.finish(ask)
        asks.append((ask, got))
    ccfs = [got.ccf for _, got in asks if got.ccf is not None]
    reported_unless_met(t, "flp.client.ccf-any-use", len(set(ccfs)) == len(ccfs) == 3,
                        "each request has a CCF of its own, so that a reply tells which it "
                        "answers (DECISIONS F9: a sequence number)",
                        happened="the CCFs were %s" % ", ".join(words.octets(c) for c in ccfs))
    judge_own_replies(t, servers, [a for a, _ in asks])


@client_case("fl.client.body-frames", "fl.client.framing",
             "A body of four frames, one of them empty and one binary: the request carries "
             "them as given, in order",
             ["flp.grammar.request"])
def _(t):
    body = [b"one", b"", b"three", b"\x00\xff\n "]
    servers = Servers(t)
    servers.ready()
    ask = servers.ask(body)
    server, link, got = first_attempt(t, servers, ask)
    if judge_request(t, link, got):
        reported_unless_met(t, "flp.grammar.request", got.body == body,
                            "its body frames are the application's, unchanged, in order",
                            happened="the application gave %s; the request carried %s"
                            % (words.frames(body), words.frames(got.body)))
    servers.finish(ask)


@client_case("fl.client.empty-body", "fl.client.framing",
             "A body of one empty frame: the request is still the CCF and one body frame "
             "(DECISIONS F4)",
             ["flp.grammar.request"])
def _(t):
    servers = Servers(t)
    servers.ready()
    ask = servers.ask([b""])
    server, link, got = first_attempt(t, servers, ask)
    if judge_request(t, link, got):
        reported_unless_met(t, "flp.grammar.request", got.body == [b""],
                            "its body is the one empty frame the application gave",
                            happened="the request carried %s" % words.frames(got.body))
    servers.finish(ask)


@client_case("fl.client.reply-body", "fl.client.replies",
             "A reply of four body frames (one empty, one binary): the application gets them "
             "all, in order",
             ["flp.client.ccf-any-use"])
def _(t):
    answer = [b"all", b"", b"\x00\x01\xfe\xff", b"at once"]
    servers = Servers(t)
    s1, = servers.ready()
    s1.answer = "manual"
    ask = servers.ask([b"several"], expected=answer)
    server, link, got = first_attempt(t, servers, ask)
    t.require(got.ccf is not None, "its request was malformed: %s" % got.describe())
    server.reply(link, got, answer)
    servers.finish(ask)
    reported_unless_met(t, "flp.client.ccf-any-use", ask.own,
                        "the reply carrying its CCF reaches the application whole: %s"
                        % words.frames(answer), happened=ask.describe())


# --- failover --------------------------------------------------------------------------------------

@client_case("fl.client.failover-dead", "fl.client.failover",
             "The first server is dead (its port closed): the request is answered by the "
             "second; the time it took is reported",
             ["flp.client.server-disconnected"], servers=("dead", "live"))
def _(t):
    servers = Servers(t)
    servers.ready()
    ask = servers.served([b"anyone?"])
    answered_by = [link.label for _, link, _ in ask.attempts()]
    reported_unless_met(t, "flp.client.server-disconnected", ask.own,
                        "a server that never answers a PING (nothing listens) is passed over: "
                        "the live one answers the request",
                        happened="%s (attempts: %s)" % (ask.describe(), where(ask)))
    if ask.own:
        t.note("answered %.0f ms after it was asked, by %s" % (ask.seconds * 1000,
                                                              answered_by[-1]))


@client_case("fl.client.failover-mute", "fl.client.failover",
             "The first server takes the request and never answers (it still pongs): the "
             "client tries the second after its timeout (300 ms), with the same request; "
             "the time it took is reported",
             ["flp.client.ccf-any-use", "flp.grammar.request"], servers=("live", "live"))
def _(t):
    servers = Servers(t)
    s1, s2 = servers.ready()
    s1.answer = "mute"
    ask = servers.ask([b"are you there?"])
    servers.finish(ask)
    attempts = ask.attempts()
    for _, link, got in attempts:
        judge_request(t, link, got)
    reported_unless_met(t, "flp.client.ccf-any-use", ask.own,
                        "a request that one server never answers is answered by another, "
                        "its reply to the application",
                        happened="%s (attempts: %s)" % (ask.describe(), where(ask)))
    ccfs = {got.ccf for _, _, got in attempts if got.ccf is not None}
    if len(attempts) > 1:
        reported_unless_met(t, "flp.client.ccf-any-use", len(ccfs) == 1,
                            "every attempt of the request carries the same CCF (DECISIONS F9)",
                            happened="its attempts carried %s" % ", ".join(
                                words.octets(c) for c in sorted(ccfs)))


@client_case("fl.client.retries", "fl.client.failover",
             "Neither of two servers ever answers (timeout 200 ms, 3 retries): the client "
             "reports the request timed out; its attempts, their spacing and CCFs are "
             "reported",
             ["flp.client.ccf-any-use", "flp.grammar.request"], servers=("live", "live"),
             timers={"timeout_ms": 200})
def _(t):
    servers = Servers(t)
    s1, s2 = servers.ready()
    s1.answer = s2.answer = "mute"
    ask = servers.served([b"hello?"])
    attempts = ask.attempts()
    for _, link, got in attempts:
        judge_request(t, link, got)
    reported_unless_met(t, "flp.client.ccf-any-use", ask.outcome in ("timed-out", "no-server"),
                        "with no reply at all, the application is told so (timed-out), and "
                        "handed nothing", happened="%s (attempts: %s)" % (ask.describe(),
                                                                          where(ask)))
    ccfs = {got.ccf for _, _, got in attempts if got.ccf is not None}
    if len(attempts) > 1:
        reported_unless_met(t, "flp.client.ccf-any-use", len(ccfs) == 1,
                            "every attempt of the request carries the same CCF (DECISIONS F9)",
                            happened="its %d attempts carried %s" % (
                                len(attempts), ", ".join(words.octets(c) for c in sorted(ccfs))))
    # zwire's own rule (issue 13): never again to the same server without a timeout between
    timeout = timer(t, "timeout_ms")[0] / 1000.0
    close = []
    for server in servers:
        times = [got.at for s, _, got in attempts if s is server]
        close += ["%s: %.0f ms" % (server.label, (b - a) * 1000)
                  for a, b in zip(times, times[1:]) if b - a < 0.8 * timeout]
    t.note("%d attempts (%s)%s" % (len(attempts), where(ask),
                                   "; sent again to the same server sooner than its timeout: %s"
                                   % ", ".join(close) if close else ""))


@client_case("fl.client.all-dead", "fl.client.failover",
             "Every server is dead (two ports, nothing listening): the client tells its "
             "application so (no-server or timed-out) within its timers",
             ["flp.client.server-disconnected"], servers=("dead", "dead"))
def _(t):
    servers = Servers(t)
    servers.ready()
    ask = servers.served([b"hello?"])
    reported_unless_met(t, "flp.client.server-disconnected",
                        ask.outcome in ("no-server", "timed-out"),
                        "with no server live, the request ends with no-server (or timed-out)",
                        happened=ask.describe())


@client_case("fl.client.server-returns", "fl.client.failover",
             "The only server is dead, then comes up: the first request ends without a "
             "reply; once the server answers PINGs again, the next is answered",
             ["flp.client.server-disconnected"], servers=("dead",))
def _(t):
    servers = Servers(t)
    s1, = servers
    first = servers.served([b"before"])
    s1.station.listen()
    servers.wait(lambda: s1.handshaken(), 5.0)
    t.require(s1.handshaken(), "the client did not connect to %s within 5 s of it listening"
              % s1.endpoint)
    servers.wait(lambda: s1.last_pong_at is not None, 2 * interval(t) + slack(t))
    second = servers.served([b"after"])
    reported_unless_met(t, "flp.client.server-disconnected", second.own,
                        "a server that answers PINGs again is live again: the request made "
                        "after it came up is answered",
                        happened="%s; then %s (attempts: %s)" % (first.describe(),
                                                                second.describe(),
                                                                where(second)))


def successor(ccf):
    """The CCF a counter would use next: a decimal number plus one, else the octets as a
    big-endian number plus one, same length (wrapping)."""
    if ccf and ccf.isdigit():
        return b"%d" % (int(ccf) + 1)
    if not ccf:
        return b"\x01"
    return ((int.from_bytes(ccf, "big") + 1) % (1 << (8 * len(ccf)))).to_bytes(len(ccf), "big")


@client_case("fl.client.ccf-predicted", "fl.client.replies",
             "While the first server holds request 2, the second, never asked, sends a reply "
             "carrying the CCF a counter would give it (request 1's plus one): whether the "
             "client takes it is reported; the application gets that reply or its own",
             ["flp.client.ccf-any-use"], servers=("live", "live"))
def _(t):
    servers = Servers(t)
    s1, s2 = servers.ready()
    first = servers.served([b"first"])
    t.require(first.attempts() and first.attempts()[0][0] is s1 and first.own,
              "the client did not send its first request to the first server and take its "
              "answer (%s; attempts: %s)" % (first.describe(), where(first)))
    c1 = first.attempts()[0][2].ccf
    t.require(c1 is not None, "its first request was malformed")
    s1.answer = "mute"
    ask = servers.ask([b"second"])
    server, link, got = first_attempt(t, servers, ask)
    t.require(server is s1, "the client sent request 2 to %s first, not to the first server"
              % link.label)
    guess = successor(c1)
    s2_link = next((l for l in s2.links if l.open), None)
    t.require(s2_link, "the client's connection to s2 is gone")
    s2_link.hostile([guess, b"predicted"], [],
                    "a reply from s2, which never got request 2, carrying the CCF %s (request "
                    "1's %s plus one)" % (words.octets(guess), words.octets(c1)))
    servers.finish(ask)
    took = ask.outcome == "answered" and ask.frames == [b"predicted"]
    reported_unless_met(t, "flp.client.ccf-any-use", took or ask.own,
                        "the application gets the reply carrying request 2's CCF from s2, or "
                        "its own from a server it asked (both the client's choice: its CCF is "
                        "its own, F9)",
                        happened="request 2's CCF was %s, s2's guess %s: %s (attempts: %s)" % (
                            words.octets(got.ccf or b""), words.octets(guess), ask.describe(),
                            where(ask)))
    t.note("a reply carrying the next counter value %s from a server that never got the "
           "request: %s" % (words.octets(guess), "taken" if took else "left"))


# --- liveness: a server that stops answering PINGs ---------------------------------------------------

@client_case("fl.client.silent-server", "fl.client.liveness",
             "The first server stops answering PINGs (and requests): after liveness x "
             "interval (3 x 100 ms) and a margin, two requests go to the second, not to it",
             ["flp.client.server-disconnected"], servers=("live", "live"),
             needs_timers=NEEDS_INTERVAL)
def _(t):
    servers = Servers(t)
    s1, s2 = servers.ready()
    silent_since = silence(t, servers, s1)
    count, declared = timer(t, "liveness")
    gone = count * interval(t) * t.clock.multiplier + slack(t)
    servers.until(silent_since + gone)
    asks = [servers.served([b"after-%d" % n]) for n in (1, 2)]
    to_s1 = [(ask, link, got) for ask in asks for server, link, got in ask.attempts()
             if server is s1]
    t.expect("flp.client.server-disconnected", not to_s1,
             "%.0f ms after its last PONG (liveness %d%s x %.0f ms, and the suite's margin), "
             "%s is gone: no request goes to it" % (gone * 1000, count,
                                                    "" if declared else " assumed (DECISIONS F6)",
                                                    interval(t) * 1000, s1.label),
             happened="; ".join("%s: %s" % (ask.name(), where(ask)) for ask in asks))
    judge_own_replies(t, servers, asks)


@client_case("fl.client.silent-not-yet", "fl.client.liveness",
             "The first server stops answering PINGs (it still answers requests); a request "
             "made after liveness - 0.5 intervals (2.5 x 300 ms) still goes to it first: a "
             "client that gives up sooner is reported (DECISIONS F6)",
             ["flp.client.server-disconnected"], servers=("live", "live"),
             timers={"ping_interval_ms": 300}, needs_timers=NEEDS_INTERVAL)
def _(t):
    servers = Servers(t)
    s1, s2 = servers.ready()
    before = servers.served([b"before"])
    t.require(before.attempts() and before.attempts()[0][0] is s1,
              "the client sent its first request to %s, not to the first server: whether it "
              "still takes s1 for live cannot be seen by where its requests go"
              % (before.attempts()[0][1].label if before.attempts() else "no server"))
    # it still answers requests: a client that keeps it finds its answer there, and the
    # second server hears of the request only from one that gave s1 up
    silent_since = silence(t, servers, s1, answer="echo")
    count, declared = timer(t, "liveness")
    servers.until(silent_since + (count - 0.5) * interval(t) * t.clock.multiplier)
    ask = servers.served([b"not yet"])
    attempts = ask.attempts()
    reported_unless_met(t, "flp.client.server-disconnected",
                        bool(attempts) and attempts[0][0] is s1,
                        "%.0f ms after its last PONG (%.1f of the %d%s intervals), %s is still "
                        "live: the request goes to it first, as the one before did" % (
                            (count - 0.5) * interval(t) * 1000, count - 0.5, count,
                            "" if declared else " assumed", s1.label),
                        happened="%s (attempts: %s)" % (ask.describe(), where(ask)))


# --- stale replies: issue 13's four hostile servers ----------------------------------------------------

def stale_case(t, answers, count):
    """Requests 1..count, each with a body of its own, to servers answering as `answers`
    says ("dead" for a dead one): each stale reply comes while a later request is
    outstanding (suiteserver.py), and each request's outcome is judged (DECISIONS F9)."""
    servers = Servers(t)
    servers.ready()
    for server, answer in zip(servers, answers):
        if answer != "dead":
            server.answer = answer
    asks = [servers.served([b"req-%d" % n]) for n in range(1, count + 1)]
    # the servers' last answers, owed STALE_LEAD after a stale reply, are in the record too
    servers.quiet(2 * STALE_LEAD)
    return servers, asks


def require_stale(t, servers):
    t.require(servers.stale, "no stale reply could be sent: the client never sent a later "
              "request while a hostile server held an earlier one's reply (%s)" % "; ".join(
                  "%s: %s" % (a.name(), where(a)) for a in servers.asks))
    t.note("stale replies sent: %s" % "; ".join(s["what"] for s in servers.stale))


def hostile_stale_case(t, answers, count):
    """A stale case whose servers must really have sent a stale reply (else NOT-EXERCISED),
    judged on what the application got; returns the servers."""
    servers, asks = stale_case(t, answers, count)
    require_stale(t, servers)
    judge_own_replies(t, servers, asks)
    return servers


@client_case("fl.client.stale-dead", "fl.client.stale",
             "Issue 13's dead server: the first of two is dead; three requests, each answered "
             "by the live one: the application gets each request's own reply",
             ["flp.client.ccf-any-use"], servers=("dead", "live"))
def _(t):
    servers, asks = stale_case(t, ("dead", "echo"), 3)
    judge_own_replies(t, servers, asks)


@client_case("fl.client.stale-late", "fl.client.stale",
             "Issue 13's slow server: it holds each request and answers it only when the "
             "next request is outstanding; the application gets only its own request's reply",
             ["flp.client.ccf-any-use"], servers=("live", "live"))
def _(t):
    hostile_stale_case(t, ("late", "echo"), 3)


@client_case("fl.client.stale-twice", "fl.client.stale",
             "Issue 13's server that answers twice: its second reply to a request comes while "
             "the next request is outstanding; the application gets only its own request's "
             "reply (DECISIONS F7)",
             ["flp.client.ccf-any-use"], servers=("live", "live"))
def _(t):
    hostile_stale_case(t, ("twice", "echo"), 3)


@client_case("fl.client.stale-wrong-ccf", "fl.client.stale",
             "Issue 13's server that changes the CCF: a reply with another CCF (body "
             "'wrong-ccf:req-N') comes before the right one; the application gets only its own "
             "request's reply",
             ["flp.client.ccf-any-use", "flp.server.reply-ccf"], servers=("live", "live"))
def _(t):
    hostile_stale_case(t, ("wrong-ccf", "echo"), 2)


@client_case("fl.client.stale-all-four", "fl.client.stale",
             "Issue 13's four hostile servers at once (dead, slow, answering twice, changing "
             "the CCF), four requests: the application gets only each request's own reply",
             ["flp.client.ccf-any-use", "flp.server.reply-ccf"],
             servers=("dead", "live", "live", "live"))
def _(t):
    servers = hostile_stale_case(t, ("dead", "late", "twice", "wrong-ccf"), 4)
    used = sorted({link.server.label for link, _ in servers.arrivals})
    t.note("the servers that got requests: %s" % ", ".join(used))


# --- malformed messages to the client ------------------------------------------------------------------

VECTORS = to_client_vectors(ROOT)


@client_case("fl.client.vectors", "fl.client.hostile",
             "Every malformed message to a client of vectors/flp (%d), sent while a request is "
             "outstanding, then the real reply: what the client does with each is reported"
             % len(VECTORS),
             ["flp.grammar.reply", "flp.grammar.pong"], servers=("live",),
             timers={"timeout_ms": 2000, "retries": 0},
             inputs=sorted({v.input_class for v in VECTORS}))
def _(t):
    servers = Servers(t)
    s1, = servers.ready()
    s1.answer = "manual"
    pending = list(VECTORS)
    rounds = 0
    while pending and rounds < 4:
        rounds += 1
        ask = servers.ask([b"vectors-%d" % rounds])
        server, link, got = first_attempt(t, servers, ask)
        t.require(got.ccf is not None, "its request was malformed: %s" % got.describe())
        sent = []
        while pending and link.open and not ask.done:
            vector = pending.pop(0)
            what = "the server sent %s" % vector.describe()
            link.hostile(vector.frames, vector.input_class, what)
            sent.append((vector, what))
            servers.wait(lambda: ask.done or not link.open, 0.03)
        if link.open and not ask.done:
            server.reply(link, got)
        servers.finish(ask)
        ended = None if ask.own else sent[-1][0] if sent else None
        for vector, what in sent:
            t.answer(vector.input_class, what, happened=(
                "the request ended on it: %s" % ask.describe() if vector is ended else
                "the client went on waiting; %s" % ask.describe() if ask.own else
                "the request ended later: %s" % ask.describe()))
    if pending:
        t.note("%d vectors not sent after %d requests" % (len(pending), rounds))

