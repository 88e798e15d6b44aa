"""Majordomo, the implementation as the client (7/MDP 0.1, 18/MDP 0.2); the suite plays the
broker (suitebroker.py).  The client under test is driven through its JSON-lines adapter
(ADAPTER.md): the suite asks it to make a request, takes its connection with a NULL
handshake as ROUTER, reads the REQUEST, answers (or not) as the case says, and reads what
the client reported: an answer and the frames its application got, a timeout, or a death.

Framing: the REQUEST in each version, judged by the layouts that bind the client as the
sender (mdp01.grammar.client-request with the empty frame a DEALER client writes itself,
mdp01.client.dealer-empty-frame; mdp02.grammar.client-header, client-command,
client-request; the service name printable); the service name and body frames are those the
application gave, reported where no keyword binds them.  Sockets: a DEALER in 0.2
(mdp02.client.dealer, by the ZMTP handshake: DECISIONS M2-20); REQ or DEALER in 0.1 (a
SHOULD and a MAY, reported).  Replies: PARTIALs then a FINAL, taken without failing the
request (mdp02.client.handle-partials).  Recovery is the client's own (a MAY): retries and
giving up are reported.  A stray reply, one after the FINAL, a client-side command only a
client sends, and every malformed vector (hostile input) are reported, never judged
(DECISIONS M2-19), with the robustness axis: the client must live through them (a crash is
"died") and a new request must still be answered.
"""

from zwire_codec import mdp as M

from .. import words
from ..majordomo import V01, V02, describe
from ..runner import ROOT
from ..suitebroker import Broker, client_case, judge_sent, reported_unless_met, vector_cases

SERVICE = b"echo"
REQUEST = {V01: "mdp01.grammar.client-request", V02: "mdp02.grammar.client-request"}
SERVICE_NAME = {V01: "mdp01.grammar.service-name", V02: "mdp02.grammar.service-name"}
RECOVERY = {V01: "mdp01.client.recovery", V02: "mdp02.client.recovery"}


def requests(broker):
    """Every message the client sent, in order of connection: [(link, Sent)]."""
    return [(link, g) for link in broker.links for g in link.got]


def request_in(t, broker, since=0, seconds=3.0):
    """The client's first message after the first `since` (a REQUEST, if it conforms) and
    the connection it came on, or the case stops NOT-EXERCISED."""
    broker.wait(lambda: len(requests(broker)) > since, seconds)
    got = requests(broker)[since:]
    t.require(got, "no request reached the suite within %.0f s (%s)" % (
        seconds, "; ".join("%s: %s" % (link.label, link.conn.describe())
                           for link in broker.links) or "no connection came"))
    return got[0]


def finished(t, broker, ask, seconds=3.0):
    """Waits for the client's report on `ask`; the case stops NOT-EXERCISED without one."""
    broker.wait(lambda: ask.done, seconds)
    t.require(ask.done, "the client reported nothing within %.0f s of the suite's answer"
              % seconds)
    return ask


def served(t, broker, body=(b"hello",), answer=(b"world",), service=SERVICE, **how):
    """One plain exchange: the client asks, the suite answers.  Returns (ask, link, request)."""
    ask = broker.ask(service, list(body), **how)
    link, request = request_in(t, broker)
    if request.message is not None:
        link.reply(request, list(answer))
    broker.wait(lambda: ask.done, 3.0)
    return ask, link, request


# --- framing -------------------------------------------------------------------------------------

@client_case("mdp.client.request", "mdp.client.framing",
             "The client's request: the empty frame (0.1), its header, command (0.2), the "
             "service name, a body",
             {V01: ["mdp01.grammar.client-request", "mdp01.client.dealer-empty-frame",
                    "mdp01.grammar.service-name"],
              V02: ["mdp02.grammar.client-request", "mdp02.grammar.client-header",
                    "mdp02.grammar.client-command", "mdp02.grammar.service-name"]})
def _(t):
    v = t.case.version
    broker = Broker(t)
    ask, link, request = served(t, broker)
    if v == V01:
        # A DEALER client writes frame 0 itself; a REQ socket adds it (mdp01.client.req-socket)
        if link.socket_type == b"DEALER":
            t.expect("mdp01.client.dealer-empty-frame", request.frames[:1] == [b""],
                     "a client on a DEALER socket opens its request with an empty frame",
                     own_octets=True, happened="its first frame is %s" % (
                         words.octets(request.frames[0]) if request.frames else "missing"))
        else:
            t.note("its socket is %s, not DEALER: the empty frame is the socket's" % (
                words.octets(link.socket_type or b"")))
    judge_sent(t, link, request, "REQUEST", REQUEST[v])


@client_case("mdp.client.body", "mdp.client.framing",
             "Several body frames, one of them empty: the request carries them as given, in "
             "order",
             {V01: ["mdp01.grammar.client-request"], V02: ["mdp02.grammar.client-request"]})
def _(t):
    v = t.case.version
    body = [b"one", b"", b"three", b" ~"]
    broker = Broker(t)
    ask, link, request = served(t, broker, body=body)
    if judge_sent(t, link, request, "REQUEST", REQUEST[v]):
        reported_unless_met(t, REQUEST[v], request.body == body,
                            "its body frames are the application's, unchanged, in order",
                            happened="the application gave %s; the request carried %s"
                            % (words.frames(body), words.frames(request.body)))


@client_case("mdp.client.empty-body", "mdp.client.framing",
             "A body of one empty frame: the request still has its body frame (DECISIONS M11, "
             "M2-15)",
             {V01: ["mdp01.grammar.client-request"], V02: ["mdp02.grammar.client-request"]})
def _(t):
    v = t.case.version
    broker = Broker(t)
    ask, link, request = served(t, broker, body=[b""])
    if judge_sent(t, link, request, "REQUEST", REQUEST[v]):
        reported_unless_met(t, REQUEST[v], request.body == [b""],
                            "its body is the one empty frame the application gave",
                            happened="the request carried %s" % words.frames(request.body))


@client_case("mdp.client.service-name", "mdp.client.framing",
             "A service name at the printable bounds (' a~'): the request names it, byte for "
             "byte (DECISIONS M9, M2-14)",
             {V01: ["mdp01.grammar.service-name", "mdp01.grammar.client-request"],
              V02: ["mdp02.grammar.service-name", "mdp02.grammar.client-request"]})
def _(t):
    v = t.case.version
    service = b" a~"
    broker = Broker(t)
    ask, link, request = served(t, broker, service=service)
    if judge_sent(t, link, request, "REQUEST", REQUEST[v]):
        reported_unless_met(t, SERVICE_NAME[v], request.message.service == service,
                            "the request names the service the application asked for",
                            happened="it named %s" % words.octets(request.message.service))


# --- sockets -------------------------------------------------------------------------------------

@client_case("mdp.client.socket", "mdp.client.sockets",
             "The client's socket as its ZMTP handshake says it: DEALER (0.2 MUST; 0.1 REQ "
             "or DEALER) (DECISIONS M2-20)",
             {V01: ["mdp01.client.req-socket", "mdp01.client.dealer-socket"],
              V02: ["mdp02.client.dealer"]})
def _(t):
    broker = Broker(t)
    ask, link, request = served(t, broker)
    kind = link.socket_type
    happened = "it says %s" % (words.octets(kind) if kind is not None else "none")
    if t.case.version == V02:
        t.expect("mdp02.client.dealer", kind == b"DEALER",
                 "its READY (ZMTP) says Socket-Type DEALER", happened=happened)
    elif kind == b"REQ":
        t.expect("mdp01.client.req-socket", True, "a REQ socket (synchronous use)",
                 happened=happened)
    else:
        # "SHOULD use a REQ socket when implementing a synchronous request-reply pattern":
        # whether the client is synchronous the wire does not show; DEALER is the MAY.
        reported_unless_met(t, "mdp01.client.dealer-socket", kind == b"DEALER",
                            "a DEALER socket (asynchronous use) or a REQ one", happened)


# --- replies -------------------------------------------------------------------------------------

@client_case("mdp.client.final-only", "mdp.client.replies",
             "A FINAL with no PARTIAL before it ends the request: the application gets its "
             "body frames",
             ["mdp02.client.handle-partials"], versions=(V02,))
def _(t):
    broker = Broker(t)
    answer = [b"all", b"", b"at once"]
    ask, link, request = served(t, broker, answer=answer)
    finished(t, broker, ask)
    t.expect("mdp02.client.handle-partials", ask.outcome == "answered" and
             ask.frames[-len(answer):] == answer,
             "zero PARTIALs: the FINAL answers the request, its frames to the application",
             happened=ask.describe())


@client_case("mdp.client.partials", "mdp.client.replies",
             "Two PARTIALs then a FINAL: the client takes them without failing the request, "
             "and the FINAL ends it",
             ["mdp02.client.handle-partials", "mdp02.grammar.client-partial"], versions=(V02,))
def _(t):
    broker = Broker(t)
    ask = broker.ask(SERVICE, [b"stream"])
    link, request = request_in(t, broker)
    t.require(request.command == "REQUEST", "its request was %s" % describe(request.message)
              if request.message else "its request was malformed")
    for part in (b"part 1", b"part 2"):
        link.partial(request, [part])
        broker.quiet(0.05)
    link.reply(request, [b"end"])
    finished(t, broker, ask)
    t.expect("mdp02.client.handle-partials", ask.outcome == "answered" and
             ask.frames[-1:] == [b"end"],
             "the request ends with the FINAL 'end', not before it, and is answered",
             happened=ask.describe())
    reported_unless_met(t, "mdp02.client.handle-partials",
                        ask.frames == [b"part 1", b"part 2", b"end"],
                        "the application gets 'part 1', 'part 2', then 'end', in that order "
                        "(DECISIONS M2-7)", happened=ask.describe())


@client_case("mdp.client.long-stream", "mdp.client.replies",
             "PARTIALs for three times the client's timeout (400 ms), then a FINAL: a PARTIAL "
             "shows the broker alive (DECISIONS M2-7)",
             ["mdp02.client.handle-partials", "mdp02.client.recovery"], versions=(V02,))
def _(t):
    broker = Broker(t)
    ask = broker.ask(SERVICE, [b"long"], timeout_ms=400, retries=0)
    link, request = request_in(t, broker)
    t.require(request.command == "REQUEST", "its request was malformed")
    sent = 0
    while sent < 8 and not ask.done and link.open:
        link.partial(request, [b"part %d" % sent])
        sent += 1
        broker.quiet(0.15)
    if link.open and not ask.done:
        link.reply(request, [b"end"])
    finished(t, broker, ask)
    reported_unless_met(t, "mdp02.client.handle-partials",
                        ask.outcome == "answered" and ask.frames[-1:] == [b"end"],
                        "%d PARTIALs over %.1f s keep the request alive until its FINAL"
                        % (sent, 0.15 * sent), happened="%s; %d connection%s" % (
                            ask.describe(), len(broker.links),
                            "" if len(broker.links) == 1 else "s"))


# --- recovery: the client's own (a MAY) ----------------------------------------------------------

@client_case("mdp.client.retries", "mdp.client.recovery",
             "No answer within its timeout (300 ms, 2 retries): the client may send again on "
             "a new connection; the third attempt is answered",
             {V01: ["mdp01.client.recovery", "mdp01.grammar.client-request"],
              V02: ["mdp02.client.recovery", "mdp02.grammar.client-request",
                    "mdp02.client.dealer"]})
def _(t):
    v = t.case.version
    broker = Broker(t)
    ask = broker.ask(SERVICE, [b"again"], timeout_ms=300, retries=2)
    attempts = []
    while len(attempts) < 3 and not ask.done:
        broker.wait(lambda: len(requests(broker)) > len(attempts) or ask.done, 2.0)
        if len(requests(broker)) <= len(attempts):
            break
        attempts.append(requests(broker)[len(attempts)])
    t.require(attempts, "no request reached the suite within 2 s")
    link, request = attempts[-1]
    if request.message is not None and not ask.done:
        link.reply(request, [b"at last"])
    finished(t, broker, ask)
    links = [a[0] for a in attempts]
    reported_unless_met(t, RECOVERY[v], len(attempts) == 3 and len(set(links)) == 3,
                        "it sends the request again after each timeout, each time on a new "
                        "connection (the Lazy Pirate of the Guide)",
                        happened="%d request%s on %s; %s" % (
                            len(attempts), "" if len(attempts) == 1 else "s",
                            ", ".join(sorted({link.label for link in links})), ask.describe()))
    for link, request in attempts[1:]:
        judge_sent(t, link, request, "REQUEST", REQUEST[v])
        if v == V02:
            t.expect("mdp02.client.dealer", link.socket_type == b"DEALER",
                     "the new connection is a DEALER too", happened="%s says %s" % (
                         link.label, words.octets(link.socket_type or b"")))


@client_case("mdp.client.gives-up", "mdp.client.recovery",
             "No answer at all (timeout 300 ms, no retry): the client gives up and says so, "
             "and lives",
             {V01: ["mdp01.client.recovery"], V02: ["mdp02.client.recovery"]})
def _(t):
    broker = Broker(t)
    ask = broker.ask(SERVICE, [b"anyone?"], timeout_ms=300, retries=0)
    request_in(t, broker)
    broker.wait(lambda: ask.done, 3.0)
    reported_unless_met(t, RECOVERY[t.case.version], ask.outcome == "timed-out",
                        "it reports the request timed out", happened=ask.describe())


@client_case("mdp.client.late-reply", "mdp.client.recovery",
             "A reply to the first attempt comes after the client sent again on a new "
             "connection: which reply it takes is reported",
             {V01: ["mdp01.client.recovery"], V02: ["mdp02.client.recovery"]})
def _(t):
    broker = Broker(t)
    ask = broker.ask(SERVICE, [b"again"], timeout_ms=300, retries=1)
    first_link, first = request_in(t, broker)
    second_link, second = request_in(t, broker, since=1, seconds=2.0)
    for link, request, body in ((first_link, first, b"late"), (second_link, second, b"fresh")):
        if link.open and request.message is not None:
            link.reply(request, [body])
    finished(t, broker, ask)
    reported_unless_met(t, RECOVERY[t.case.version], ask.frames == [b"fresh"],
                        "it takes the reply to the attempt it is waiting for ('fresh')",
                        happened="%s; the first connection %s" % (
                            ask.describe(), "was open when the late reply went" if
                            first_link is not second_link and not first_link.conn.closed_by_peer
                            else "was closed by then"))


@client_case("mdp.client.stray-reply", "mdp.client.replies",
             "A reply naming another service comes before the real one: what the client takes "
             "is reported (DECISIONS M2-19)",
             {V01: ["mdp01.grammar.service-name", "mdp01.grammar.client-reply"],
              V02: ["mdp02.grammar.service-name", "mdp02.grammar.client-final"]})
def _(t):
    broker = Broker(t)
    ask = broker.ask(SERVICE, [b"hello"])
    link, request = request_in(t, broker)
    t.require(request.message is not None, "its request was malformed")
    link.reply(request, [b"stray"], service=b"other")
    broker.quiet(0.05)
    if not ask.done:
        link.reply(request, [b"real"])
    finished(t, broker, ask)
    reported_unless_met(t, SERVICE_NAME[t.case.version], ask.frames == [b"real"],
                        "it leaves a reply for service 'other' aside and takes the one for "
                        "'echo'", happened=ask.describe())


@client_case("mdp.client.after-final", "mdp.client.hostile",
             "A second reply after the one that ended the request: the client takes the "
             "first, and lives (reported, DECISIONS M2-19)",
             {V01: ["mdp01.grammar.client-reply"], V02: ["mdp02.broker.silent-after-final"]})
def _(t):
    v = t.case.version
    broker = Broker(t)
    ask = broker.ask(SERVICE, [b"hello"])
    link, request = request_in(t, broker)
    t.require(request.message is not None, "its request was malformed")
    link.reply(request, [b"first"])
    again = (M.client_reply(SERVICE, [b"second"], V01) if v == V01
             else M.client_final(SERVICE, [b"second"], V02))
    breaks = [] if v == V01 else "mdp02.broker.silent-after-final"
    if link.open:
        link.hostile(again, breaks, "a second reply for the same request")
    finished(t, broker, ask)
    t.observe({V01: "mdp01.grammar.client-reply", V02: "mdp02.broker.silent-after-final"}[v],
              "what the client does with a reply after the one that ended its request",
              happened=ask.describe())


@client_case("mdp.client.client-command", "mdp.client.hostile",
             "The broker sends the client a REQUEST (a command only a client sends) before "
             "the FINAL: what it does is reported (DECISIONS M2-19)",
             ["mdp02.grammar.client-request"], versions=(V02,))
def _(t):
    broker = Broker(t)
    ask = broker.ask(SERVICE, [b"hello"])
    link, request = request_in(t, broker)
    t.require(request.message is not None, "its request was malformed")
    link.hostile(M.client_request(SERVICE, [b"back"], V02), [], "a REQUEST from the broker")
    broker.quiet(0.05)
    if link.open and not ask.done:
        link.reply(request, [b"real"])
    finished(t, broker, ask)
    t.observe("mdp02.grammar.client-request", "what the client does with a REQUEST from the "
              "broker", happened=ask.describe())


# --- the golden vectors, sent by the broker ------------------------------------------------------

def vectors_to_client(t):
    """Every malformed vector of a file, sent while the client waits for its answer, one at a
    time, then the real answer.  A client that ends its request on one (takes it as the
    answer, or closes) reports it; the rest go to a new request.  What it does with each is
    reported (no rule of the RFCs binds a client receiving one: spec/leniency.md's Mdp rows);
    a crash is "died" on the robustness axis."""
    broker = Broker(t)
    pending = list(t.case.vectors)
    rounds = 0
    while pending and rounds < 8:
        rounds += 1
        ask = broker.ask(SERVICE, [b"hello"], timeout_ms=10000, retries=0)
        link, request = request_in(t, broker, since=len(requests(broker)))
        sent = []
        while pending and link.open and not ask.done:
            vector = pending.pop(0)
            what = "the broker sent %s" % vector.describe()
            sent.append((vector, what, link.hostile(vector.frames, vector.input_class, what)))
            broker.wait(lambda: ask.done or not link.open, 0.03)
        if link.open and not ask.done and request.message is not None:
            link.reply(request, [b"the answer"])
        broker.wait(lambda: ask.done, 3.0)
        # which vector ended the request, if one did: the last sent before the close
        ended = None
        if ask.frames != [b"the answer"] and sent:
            closed = link.conn.closed_entry
            before = [s for s in sent if closed is None or s[2].entry < closed]
            ended = (before or sent)[-1][0]
        for vector, what, _ in sent:
            t.answer(vector.input_class, what, happened=(
                "the client ended its request on it: %s" % ask.describe() if vector is ended
                else "the client went on waiting" if ended is not None or ask.frames ==
                [b"the answer"] else "%s" % ask.describe()))
        if getattr(t, "client_died", None):
            t.note("%s: %d vectors not sent" % (t.client_died, len(pending)))
            return
    if pending:
        t.note("%d vectors not sent after %d requests" % (len(pending), rounds))


vector_cases("client", vectors_to_client, ROOT)
