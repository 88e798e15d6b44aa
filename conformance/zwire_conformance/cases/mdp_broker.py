"""Majordomo, the implementation as the broker (7/MDP 0.1, 18/MDP 0.2): framing and routing.
The suite plays clients and workers (majordomo.py), each a DEALER over ZMTP 3.1.

Framing: every command the broker sends, in both versions, judged by the layout that binds
it as the sender (mdp01.grammar.*, mdp02.grammar.*, the request.* rows); body frames, the
service frame's name and where a reply goes are reported where no keyword binds them
(7/MDP's "C: REQUEST B: REPLY" dialog has none).  Routing: which worker and which client,
queueing for a service with no worker (SHOULDs), worker choice (a MAY: INFO at worst).
"""

from zwire_codec import mdp as M

from .. import words
from ..steps import property_of, their_ready
from ..majordomo import (FAST, V01, V02, Majordomo, broker_case, describe, judge_layout,
                         names, reported_unless_met)

SERVICE = b"echo"
# several body frames, one of them empty, one of every octet
BODY = [b"hello", b"", bytes(range(256))]
ANSWER = [b"answer", b"", b"\x00\xff"]
REPLY_CLAUSE = {V01: "mdp01.grammar.client-reply", V02: "mdp02.grammar.client-final"}
REPLY_COMMAND = {V01: "REPLY", V02: "FINAL"}


def first_request(t, net, worker, seconds=2.0, since=0):
    """The first REQUEST the worker gets (since message `since`), or the case stops."""
    net.wait(lambda: worker.requests(since), seconds)
    got = worker.requests(since)
    t.require(got, "%s got no REQUEST within %.0f s (it got %s)"
              % (worker.label, seconds, names(worker.got[since:])))
    return got[0]


def first_final(t, net, client, seconds=2.0, since=0):
    """The first REPLY / FINAL the client gets, or the case stops."""
    net.wait(lambda: client.finals(since), seconds)
    got = client.finals(since)
    t.require(got, "%s got no reply within %.0f s (it got %s)"
              % (client.label, seconds, names(client.got[since:])))
    return got[0]


# --- framing -------------------------------------------------------------------------------------

@broker_case("mdp.framing.worker-request", "mdp.framing",
             "The REQUEST the broker sends a worker: header, REQUEST, one client address, an "
             "empty delimiter, the body frames",
             {V01: ["mdp01.grammar.worker-request", "mdp01.request.one-address",
                    "mdp01.request.empty-after-address"],
              V02: ["mdp02.grammar.worker-request", "mdp02.grammar.worker-header",
                    "mdp02.grammar.worker-command", "mdp02.request.one-address",
                    "mdp02.request.empty-after-address"]})
def _(t):
    v = t.case.version
    net = Majordomo(t)
    worker = net.worker(SERVICE)
    client = net.client()
    client.request(SERVICE, BODY)
    got = first_request(t, net, worker)
    if judge_layout(t, worker, got, "REQUEST", "mdp%s.grammar.worker-request" % tag(v)):
        reported_unless_met(t, "mdp%s.grammar.worker-request" % tag(v),
                            got.body == BODY, "its body frames are the client's, unchanged",
                            happened="the client sent %s; the worker got %s"
                            % (words.frames(BODY), words.frames(got.body)))


@broker_case("mdp.framing.client-reply", "mdp.framing",
             "The reply the broker sends a client (0.1 REPLY, 0.2 FINAL): header, the service "
             "name, the worker's body frames",
             {V01: ["mdp01.grammar.client-reply", "mdp01.grammar.service-name"],
              V02: ["mdp02.grammar.client-final", "mdp02.grammar.client-header",
                    "mdp02.grammar.client-command", "mdp02.grammar.service-name"]})
def _(t):
    v = t.case.version
    net = Majordomo(t)
    worker = net.worker(SERVICE)
    client = net.client()
    client.request(SERVICE, [b"question"])
    worker.answer(first_request(t, net, worker), ANSWER)
    got = first_final(t, net, client)
    if judge_layout(t, client, got, REPLY_COMMAND[v], REPLY_CLAUSE[v]):
        reported_unless_met(t, REPLY_CLAUSE[v], got.body == ANSWER,
                            "its body frames are the worker's, unchanged",
                            happened="the worker sent %s; the client got %s"
                            % (words.frames(ANSWER), words.frames(got.body)))
        reported_unless_met(t, REPLY_CLAUSE[v], got.message.service == SERVICE,
                            "its service frame names the service requested (DECISIONS M10)",
                            happened="it named %s" % words.octets(got.message.service))


@broker_case("mdp.framing.client-partial", "mdp.framing",
             "A worker's two PARTIALs and FINAL reach the client as two PARTIALs and a FINAL",
             ["mdp02.grammar.client-partial", "mdp02.grammar.client-final",
              "mdp02.client.handle-partials"], versions=(V02,))
def _(t):
    net = Majordomo(t)
    worker = net.worker(SERVICE)
    client = net.client()
    client.request(SERVICE, [b"stream"])
    request = first_request(t, net, worker)
    for i in (1, 2):
        worker.partial(request, [b"part %d" % i])
    worker.answer(request, [b"end"])
    first_final(t, net, client)
    got = client.replies()
    for g in got:
        judge_layout(t, client, g, g.command if g.command in ("PARTIAL", "FINAL") else "FINAL",
                     "mdp02.grammar.client-final" if g.command != "PARTIAL"
                     else "mdp02.grammar.client-partial")
    bodies = [(g.command, g.body) for g in got]
    expected = [("PARTIAL", [b"part 1"]), ("PARTIAL", [b"part 2"]), ("FINAL", [b"end"])]
    reported_unless_met(t, "mdp02.grammar.client-partial", bodies == expected,
                        "the client gets PARTIAL 'part 1', PARTIAL 'part 2', FINAL 'end', in "
                        "that order (DECISIONS M2-7: forwarded at once, unchanged)",
                        happened="it got %s" % "; ".join(describe(g.message) for g in got))


@broker_case("mdp.framing.heartbeat", "mdp.framing",
             "The HEARTBEAT the broker sends an idle worker (heartbeat 150 ms)",
             {V01: ["mdp01.grammar.heartbeat"],
              V02: ["mdp02.grammar.heartbeat", "mdp02.grammar.worker-header",
                    "mdp02.grammar.worker-command"]},
             timers=FAST, needs_timers=["heartbeat_ms"])
def _(t):
    v = t.case.version
    net = Majordomo(t)
    worker = net.worker(SERVICE)
    net.wait(lambda: worker.commands("HEARTBEAT") or any(g.error for g in worker.got), 2.0)
    got = worker.commands("HEARTBEAT") + [g for g in worker.got if g.error]
    t.require(got, "the broker sent the worker no HEARTBEAT within 2 s (heartbeat 150 ms; it "
              "sent %s)" % names(worker.got))
    judge_layout(t, worker, got[0], "HEARTBEAT", "mdp%s.grammar.heartbeat" % tag(v))


@broker_case("mdp.framing.disconnect", "mdp.framing",
             "The DISCONNECT the broker sends a worker that says READY twice",
             {V01: ["mdp01.grammar.disconnect", "mdp01.broker.unexpected-disconnect"],
              V02: ["mdp02.grammar.disconnect", "mdp02.grammar.worker-header",
                    "mdp02.grammar.worker-command", "mdp02.broker.unexpected-disconnect"]})
def _(t):
    v = t.case.version
    net = Majordomo(t)
    worker = net.worker(SERVICE)
    worker.ready()
    net.wait(lambda: worker.commands("DISCONNECT") or any(g.error for g in worker.got), 2.0)
    got = worker.commands("DISCONNECT") + [g for g in worker.got if g.error]
    t.require(got, "the broker sent no DISCONNECT within 2 s of a second READY (it sent %s;"
              " mdp.disconnect.second-ready judges that)" % names(worker.got))
    judge_layout(t, worker, got[0], "DISCONNECT", "mdp%s.grammar.disconnect" % tag(v))


# --- routing -------------------------------------------------------------------------------------

@broker_case("mdp.routing.two-clients", "mdp.routing",
             "Two clients, one worker: each client gets the reply to its own request, and "
             "nothing more",
             {V01: ["mdp01.grammar.client-reply", "mdp01.request.one-address"],
              V02: ["mdp02.grammar.client-final", "mdp02.request.one-address",
                    "mdp02.broker.silent-after-final"]})
def _(t):
    # No keyword binds the broker to send a reply to the client that asked (7/MDP's dialog
    # "C: REQUEST B: REPLY" has none): where each reply went is reported; under 0.2 a second
    # FINAL for one REQUEST breaks mdp02.broker.silent-after-final, a SHALL NOT.
    v = t.case.version
    net = Majordomo(t)
    worker = net.worker(SERVICE)
    a, b = net.client(), net.client()
    a.request(SERVICE, [b"from client1"])
    b.request(SERVICE, [b"from client2"])
    for n in (1, 2):
        net.wait(lambda: len(worker.requests()) >= n, 2.0)
        t.require(len(worker.requests()) >= n, "the worker got %d REQUEST of 2 within 2 s"
                  % len(worker.requests()))
        request = worker.requests()[n - 1]
        worker.answer(request, [b"re: " + request.body[0]])
    net.wait(lambda: a.finals() and b.finals(), 2.0)
    net.quiet(0.1)
    got = {c.label: [g.body for g in c.finals()] for c in (a, b)}
    mine = got == {"client1": [[b"re: from client1"]], "client2": [[b"re: from client2"]]}
    reported_unless_met(t, REPLY_CLAUSE[v], mine, "client1 gets 're: from client1' and "
                        "client2 're: from client2', one reply each",
                        happened="client1 got %s; client2 got %s"
                        % (words.messages(got["client1"]), words.messages(got["client2"])))
    if v == V02:
        t.expect("mdp02.broker.silent-after-final", all(len(x) <= 1 for x in got.values()),
                 "no client gets a second FINAL for its one REQUEST",
                 happened="client1 got %d, client2 %d" % (len(got["client1"]),
                                                          len(got["client2"])))


@broker_case("mdp.routing.worker-choice", "mdp.routing",
             "Three idle workers of one service and four requests in turn: which worker gets "
             "each (least recently used: 1, 2, 3, 1)",
             ["mdp01.broker.worker-selection", "mdp02.broker.worker-selection"])
def _(t):
    # "MAY deliver requests to workers on any basis": the order is reported, INFO at worst.
    net = Majordomo(t)
    workers = []
    for _ in range(3):
        workers.append(net.worker(SERVICE))
        net.quiet(0.03)         # registered in this order, as far as the wire can say
    client = net.client()
    order = []
    for n in range(4):
        counts = [len(w.requests()) for w in workers]
        client.request(SERVICE, [b"request %d" % n])
        net.wait(lambda: [len(w.requests()) for w in workers] != counts, 2.0)
        fresh = [i for i, w in enumerate(workers) if len(w.requests()) > counts[i]]
        t.require(fresh, "request %d reached no worker within 2 s" % n)
        order.append(fresh[0] + 1)
        worker = workers[fresh[0]]
        worker.answer(worker.requests()[-1], [b"done %d" % n])
        net.wait(lambda: len(client.finals()) > n, 2.0)
    t.expect("mdp%s.broker.worker-selection" % tag(t.case.version), order == [1, 2, 3, 1],
             "the least recently used idle worker gets each request: workers 1, 2, 3, 1",
             happened="workers %s got them" % ", ".join(str(i) for i in order))


@broker_case("mdp.routing.queue-unknown-service", "mdp.routing",
             "A request for a service no worker has registered waits, and goes to the first "
             "worker that registers it",
             ["mdp01.broker.queue-unknown-service", "mdp02.broker.queue-unknown-service"])
def _(t):
    net = Majordomo(t)
    client = net.client()
    client.request(b"late", [b"waiting"])
    net.quiet(0.2)
    worker = net.worker(b"late")
    net.wait(lambda: worker.requests(), 2.0)
    got = worker.requests()
    t.expect("mdp%s.broker.queue-unknown-service" % tag(t.case.version),
             bool(got) and got[0].body == [b"waiting"],
             "the worker that registers 'late' 0.2 s later gets the request",
             happened="it got %s" % (describe(got[0].message) if got else "no REQUEST in 2 s"))


@broker_case("mdp.routing.expire-unknown-service", "mdp.routing",
             "With request expiry 300 ms, a request for a service no worker registers in time "
             "is dropped: a worker registering 1 s later gets only the next one",
             ["mdp01.broker.expire-unknown-service", "mdp02.broker.expire-unknown-service",
              "mdp01.broker.queue-unknown-service", "mdp02.broker.queue-unknown-service"],
             timers={"request_expiry_ms": 300}, needs_timers=["request_expiry_ms"])
def _(t):
    net = Majordomo(t)
    expiry = t.adapter.timers["request_expiry_ms"] / 1000.0
    client = net.client()
    client.request(b"late", [b"expired"])
    net.quiet(expiry + 0.7)
    worker = net.worker(b"late")
    client.request(b"late", [b"fresh"])
    net.wait(lambda: worker.requests(), 2.0)
    got = worker.requests()
    t.require(got, "the worker got neither request within 2 s: %s" % names(worker.got))
    t.expect("mdp%s.broker.expire-unknown-service" % tag(t.case.version),
             got[0].body == [b"fresh"],
             "the request that waited %.1f s (expiry %.1f s) is gone: the worker's first "
             "REQUEST is the next one" % (expiry + 0.7, expiry),
             happened="its first REQUEST carried %s" % words.frames(got[0].body))


@broker_case("mdp.routing.silent-after-final", "mdp.routing",
             "A worker that sends a second FINAL: nothing more reaches the client after its "
             "first FINAL",
             ["mdp02.broker.silent-after-final"], versions=(V02,))
def _(t):
    # The worker's second FINAL is valid but unexpected (DECISIONS M2-9); what the broker does
    # with it is its business, but the client must get no command after its FINAL until it
    # sends another REQUEST (DECISIONS M2-6).  Absence is the subject: a fixed 0.3 s.
    net = Majordomo(t)
    worker = net.worker(SERVICE)
    client = net.client()
    client.request(SERVICE, [b"once"])
    request = first_request(t, net, worker)
    worker.answer(request, [b"first"])
    worker.answer(request, [b"second"])
    worker.partial(request, [b"late partial"])
    first_final(t, net, client)
    net.quiet(0.3)
    after = client.got[client.got.index(client.finals()[0]) + 1:]
    t.expect("mdp02.broker.silent-after-final", not after,
             "after its FINAL 'first', the client gets nothing within 0.3 s",
             happened="it got %s" % ("; ".join(describe(g.message, "REPLY") if g.message
                                               else "a malformed message" for g in after)
                                     or "nothing"))


# --- versions ------------------------------------------------------------------------------------

@broker_case("mdp.versions.router", "mdp.versions",
             "The broker's ZMTP handshake says Socket-Type ROUTER (DECISIONS M2-20)",
             ["mdp01.broker.router", "mdp02.broker.router"])
def _(t):
    net = Majordomo(t)
    client = net.client()
    props = their_ready(client.conn) or {}
    kind = property_of(props, "Socket-Type")
    t.expect("mdp%s.broker.router" % tag(t.case.version), kind == b"ROUTER",
             "its READY says Socket-Type ROUTER",
             happened="it says %s" % (words.octets(kind) if kind is not None else "none"))


def mixed(t, client_version, worker_version, answers):
    """A client of one version, a worker of the other, one service: what the broker does is
    its extension (DECISIONS M2-1), reported; what it sends each peer is judged in that peer's
    version by the wire checks.  `answers(worker, request)` is the worker's side."""
    net = Majordomo(t)
    worker = net.worker(SERVICE, version=worker_version)
    client = net.client(version=client_version)
    client.request(SERVICE, [b"across versions"])
    net.wait(lambda: worker.requests(), 2.0)
    got = worker.requests()
    if got:
        answers(worker, got[0])
        net.wait(lambda: client.finals(), 2.0)
    return net, worker, client


def across(t, clause, worker, client, expected):
    """Reports how a request crossed versions: what the worker got, what the client got."""
    got = client.replies()
    reported_unless_met(
        t, clause, bool(worker.requests()) and [(g.command, g.body) for g in got] == expected,
        "the worker gets the request in its version and the client %s"
        % ", then ".join("%s %s" % (c, words.frames(b)) for c, b in expected),
        happened="the worker got %s; the client got %s"
        % (names(worker.got), "; ".join(describe(g.message, "REPLY") if g.message else
                                        "a malformed message" for g in got) or "nothing"))


@broker_case("mdp.versions.client01-worker02", "mdp.versions",
             "A 0.1 client's request served by a 0.2 worker: each side sees only its own version",
             ["mdp01.grammar.client-reply", "mdp02.grammar.worker-request"], mixed=True)
def _(t):
    net, worker, client = mixed(t, V01, V02, lambda w, r: w.answer(r, [b"final"]))
    across(t, "mdp01.grammar.client-reply", worker, client, [("REPLY", [b"final"])])


@broker_case("mdp.versions.client02-worker01", "mdp.versions",
             "A 0.2 client's request served by a 0.1 worker: each side sees only its own version",
             ["mdp02.grammar.client-final", "mdp01.grammar.worker-request"], mixed=True)
def _(t):
    net, worker, client = mixed(t, V02, V01, lambda w, r: w.answer(r, [b"reply"]))
    across(t, "mdp02.grammar.client-final", worker, client, [("FINAL", [b"reply"])])


@broker_case("mdp.versions.partials-to-client01", "mdp.versions",
             "A 0.2 worker streams two PARTIALs and a FINAL to a 0.1 client, which takes one "
             "REPLY",
             ["mdp01.grammar.client-reply", "mdp02.grammar.worker-request"], mixed=True)
def _(t):
    def stream(worker, request):
        worker.partial(request, [b"part 1"])
        worker.partial(request, [b"part 2"])
        worker.answer(request, [b"end"])
    net, worker, client = mixed(t, V01, V02, stream)
    net.quiet(0.2)
    # DECISIONS M2-1: the FINAL's body as the one REPLY, the PARTIALs dropped
    across(t, "mdp01.grammar.client-reply", worker, client, [("REPLY", [b"end"])])


@broker_case("mdp.versions.one-service-both", "mdp.versions",
             "A 0.1 and a 0.2 worker of one service, a 0.1 and a 0.2 client: each client is "
             "answered in its own version",
             ["mdp01.grammar.client-reply", "mdp02.grammar.client-final",
              "mdp01.grammar.worker-request", "mdp02.grammar.worker-request"], mixed=True)
def _(t):
    net = Majordomo(t)
    workers = [net.worker(SERVICE, version=V01), net.worker(SERVICE, version=V02)]
    clients = [net.client(version=V01), net.client(version=V02)]
    for client in clients:
        client.request(SERVICE, [b"from " + client.version.encode()])
    answered = set()

    def serve():
        for w in workers:
            for r in w.requests():
                if id(r) not in answered:
                    answered.add(id(r))
                    w.answer(r, [b"re: " + r.body[0]])
        return all(c.finals() for c in clients)
    net.wait(serve, 2.0)
    for client, clause in zip(clients, ("mdp01.grammar.client-reply",
                                        "mdp02.grammar.client-final")):
        got = client.finals()
        reported_unless_met(t, clause, [g.body for g in got] == [[b"re: from " +
                                                                   client.version.encode()]],
                            "the %s client gets its answer" % client.version,
                            happened="it got %s" % (words.messages([g.body for g in got])))
    t.note("served by: %s" % "; ".join("%s (%s) got %s" % (w.label, w.version,
                                                           names(w.requests()))
                                       for w in workers))


# --- envelopes -----------------------------------------------------------------------------------

@broker_case("mdp.envelope.multi-hop", "mdp.envelope",
             "A client behind a ROUTER-DEALER proxy: its request arrives with the proxy's hop "
             "frame before the header (what the broker does is reported)",
             {V01: ["mdp01.grammar.client-request", "mdp01.request.one-address"],
              V02: ["mdp02.grammar.client-header", "mdp02.request.one-address"]},
             inputs=["MdpHeader"])
def _(t):
    # 7/MDP's "Client address (envelope stack)" against "precisely one client address frame"
    # (DECISIONS M12, M2-13): the RFC does not say whether a broker serves proxied clients;
    # such a request breaks the client layouts (the sender's rule), so a broker may drop it.
    v = t.case.version
    net = Majordomo(t)
    worker = net.worker(SERVICE)
    proxy = net.client(label="proxy")
    hop = [b"\x00hop-1"] + ([b""] if v == V01 else [])
    frames = hop + proxy_request(v)
    proxy.hostile(frames, "MdpHeader", "a request behind a proxy hop: %s" % words.frames(frames))
    # the barrier: a plain request on the same connection, answered as it comes
    proxy.request(SERVICE, [b"plain"])
    answered = []

    def serve():
        for r in worker.requests()[len(answered):]:
            answered.append(r)
            worker.answer(r, [b"re: " + (r.body[0] if r.body else b"")])
        return any(g.body == [b"re: plain"] for g in proxy.got)
    net.wait(serve, 2.0)
    got = [r for r in worker.requests() if r.body != [b"plain"]]
    t.answer("MdpHeader", "a request behind one proxy hop: %s" % words.frames(frames),
             happened="the worker got %s of it; the proxy connection got %s" % (
                 "; ".join(describe(g.message) for g in got) or "nothing",
                 "; ".join(words.frames(g.frames) for g in proxy.got) or "nothing"))


def proxy_request(version):
    return M.client_request(SERVICE, [b"proxied"], version)


def tag(version):
    return "01" if version == V01 else "02"
