"""Majordomo, the implementation as the worker (7/MDP 0.1, 18/MDP 0.2); the suite plays the
broker (suitebroker.py): it listens, takes the worker's connections with a NULL handshake
as ROUTER, sends REQUESTs, HEARTBEATs and DISCONNECTs, and reads everything back.

Framing: READY, REPLY / PARTIAL / FINAL, HEARTBEAT and DISCONNECT as the worker sends them,
judged by the layouts that bind it as the sender (mdp01.grammar.*, mdp02.grammar.*, the
request.* rows: one client-address frame, copied from the REQUEST, then an empty one;
DECISIONS M12, M2-11).  Sockets: one DEALER, READY once per connection.  Heartbeating
(short timers): HEARTBEATs idle and busy, judged against the expiry of a broker of the
same settings, never by the tick (DECISIONS M3, M4, M2-4, M2-5); a silent broker left for a
new connection and READY within liveness x interval, the reconnect delay and the suite's
slack, judged against the liveness the worker declares (5 assumed, and a miss reported,
when it declares none); giving up earlier is reported.  DISCONNECT: the connection closed
and a new one registered (judged: mdp0x.disconnect.worker-close, worker-reconnect); a
command sent after the DISCONNECT is reported (DECISIONS M13, M2-18).  What the RFCs give
no rule for (a REQUEST while busy, a command only a worker sends) is reported, never
judged (DECISIONS M2-19), with the robustness axis after it: does the worker still answer
a REQUEST?

The worker under test answers every REQUEST, and holds one whose body is the one frame
`sleep:S` for S seconds before it answers (ADAPTER.md): that is how a case makes it busy.
"""

import time

from zwire_codec import mdp as M

from .. import words
from ..majordomo import V01, V02, describe, expiry, interval, liveness
from ..runner import ROOT
from ..suitebroker import (FAST, Broker, judge_sent, names, reconnect, reported_unless_met,
                           vector_cases, worker_case)

READY = {V01: "mdp01.grammar.ready", V02: "mdp02.grammar.ready"}
ANSWER = {V01: "REPLY", V02: "FINAL"}
ANSWER_LAYOUT = {V01: "mdp01.grammar.worker-reply", V02: "mdp02.grammar.worker-final"}
HEARTBEAT = {V01: "mdp01.grammar.heartbeat", V02: "mdp02.grammar.heartbeat"}
DISCONNECT = {V01: "mdp01.grammar.disconnect", V02: "mdp02.grammar.disconnect"}
ADDRESS = b"\x00client-7\xff"
BUSY_FOR = 1.2          # seconds a `sleep:` request keeps the worker busy


def tag(t):
    return "01" if t.case.version == V01 else "02"


def clause(t, name):
    return "mdp%s.%s" % (tag(t), name)


def sleep_body(seconds):
    return [b"sleep:%.2f" % seconds]


def answered(t, broker, link, address, body=(b"hello",), seconds=2.0):
    """Sends a REQUEST for `address` and waits for the answer that ends it: the first REPLY
    / FINAL after it (Sent), whatever address it names (the cases judge that), or None."""
    since = len(link.got)
    link.request(address, list(body))
    broker.wait(lambda: link.finals(since=since) or not link.open, seconds)
    finals = link.finals(since=since)
    return finals[0] if finals else None


def by_liveness(t, name, met, what, happened):
    """A MUST about time judged against the declared liveness; with none declared (5
    assumed), a miss is reported (DECISIONS M3, M2-4)."""
    _, declared = expiry(t)
    if met or declared:
        return t.expect(clause(t, name), met, what, happened=happened)
    t.observe(clause(t, name), what + " (no liveness declared: 5 assumed, DECISIONS M3)",
              happened=happened)
    return False


def gaps(link, start, end, name=None):
    """The silences, in seconds, between `start`, each message the worker sent (of command
    `name` only, if given) between start and end, and `end`."""
    times = [start] + [g.at for g in link.got
                       if start <= g.at <= end and (name is None or g.command == name)] + [end]
    return [b - a for a, b in zip(times, times[1:])]


def heartbeats_judged(t, link, start, end, state):
    """The worker's traffic between start and end: a HEARTBEAT at least, and no silence a
    broker of the same settings would take for the worker gone."""
    count = len([g for g in link.commands("HEARTBEAT") if start <= g.at <= end])
    longest = max(gaps(link, start, end))
    bound, _ = expiry(t)
    by_liveness(t, "heartbeat.worker-sends", count > 0 and longest <= bound,
                "HEARTBEATs from %s worker, never %.0f ms apart (liveness %d x interval "
                "%.0f ms and the suite's slack)" % (state, bound * 1000, liveness(t)[0],
                                                    interval(t) * 1000),
                "it sent %d HEARTBEAT%s in %.1f s; the longest silence was %.0f ms"
                % (count, "" if count == 1 else "s", end - start, longest * 1000))
    return count


# --- framing -------------------------------------------------------------------------------------

@worker_case("mdp.worker.ready", "mdp.worker.framing",
             "The worker's first message is READY: header, command, its service name",
             {V01: ["mdp01.grammar.ready", "mdp01.grammar.service-name"],
              V02: ["mdp02.grammar.ready", "mdp02.grammar.worker-header",
                    "mdp02.grammar.worker-command", "mdp02.grammar.service-name"]})
def _(t):
    broker = Broker(t)
    link = broker.first()
    broker.wait(lambda: link.got or not link.open, 3.0)
    t.require(link.got, "it sent no MDP message within 3 s of its handshake: %s"
              % link.conn.describe())
    if judge_sent(t, link, link.got[0], "READY", READY[t.case.version]):
        t.note("it offers %s" % words.octets(link.got[0].message.service))


@worker_case("mdp.worker.reply", "mdp.worker.framing",
             "The answer to a REQUEST (0.1 REPLY, 0.2 PARTIALs if any, then FINAL): header, "
             "command, the REQUEST's client address copied, an empty frame, a body",
             {V01: ["mdp01.grammar.worker-reply", "mdp01.request.one-address",
                    "mdp01.request.empty-after-address"],
              V02: ["mdp02.grammar.worker-final", "mdp02.grammar.worker-partial",
                    "mdp02.grammar.worker-header", "mdp02.grammar.worker-command",
                    "mdp02.request.one-address", "mdp02.request.empty-after-address"]})
def _(t):
    v = t.case.version
    broker = Broker(t)
    link = broker.registered()
    since = len(link.got)
    link.request(ADDRESS, [b"hello", b"", b"world"])
    broker.wait(lambda: [g for g in link.got[since:] if g.command not in
                         ("HEARTBEAT", "PARTIAL")] or not link.open, 2.0)
    got = [g for g in link.got[since:] if g.command not in ("HEARTBEAT", "PARTIAL")]
    t.require(got, "no answer to a REQUEST within 2 s (it sent %s)" % names(link.got[since:]))
    for partial in link.commands("PARTIAL", since):
        judge_sent(t, link, partial, "PARTIAL", "mdp02.grammar.worker-partial")
    if judge_sent(t, link, got[0], ANSWER[v], ANSWER_LAYOUT[v]):
        for g in link.answers(since=since):
            t.expect(clause(t, "request.one-address"), g.message.address == ADDRESS,
                     "its %s names the REQUEST's client address, byte for byte (DECISIONS "
                     "M12, M2-11)" % g.command,
                     happened="it named %s" % words.octets(g.message.address))


@worker_case("mdp.worker.address-edges", "mdp.worker.framing",
             "An empty client address, a 256-octet binary one and a one-octet one: each "
             "answer copies its REQUEST's",
             {V01: ["mdp01.request.one-address", "mdp01.grammar.worker-reply"],
              V02: ["mdp02.request.one-address", "mdp02.grammar.worker-final"]})
def _(t):
    broker = Broker(t)
    link = broker.registered()
    for address in (b"", bytes(range(256)), b"\x01"):
        got = answered(t, broker, link, address)
        t.require(got, "no answer naming %s within 2 s (it sent %s)"
                  % (words.octets(address), names(link.got[-5:])))
        t.expect(clause(t, "request.one-address"), got.message.address == address,
                 "the answer names the client address %s, as its REQUEST did (DECISIONS M12, "
                 "M2-11)" % words.octets(address),
                 happened="it named %s" % words.octets(got.message.address))


@worker_case("mdp.worker.one-final", "mdp.worker.framing",
             "Three REQUESTs in turn: for each, any PARTIALs, then exactly one FINAL, and "
             "nothing after it",
             ["mdp02.worker.partials-then-final", "mdp02.grammar.worker-final"],
             versions=(V02,))
def _(t):
    broker = Broker(t)
    link = broker.registered()
    addresses = [b"client-%d" % n for n in (1, 2, 3)]
    starts = []
    for address in addresses:
        starts.append(len(link.got))
        t.require(answered(t, broker, link, address),
                  "no FINAL for %s within 2 s (it sent %s)" % (words.octets(address),
                                                               names(link.got[-5:])))
    broker.quiet(0.3)
    # what answers each REQUEST: what came after it and before the next (they go one at a
    # time); the address each names is mdp.worker.reply's to judge
    for address, since, until in zip(addresses, starts, starts[1:] + [None]):
        order = [g.command for g in link.got[since:until]
                 if g.command in ("PARTIAL", "FINAL")]
        t.expect("mdp02.worker.partials-then-final",
                 order.count("FINAL") == 1 and order[-1] == "FINAL",
                 "for the REQUEST of %s: PARTIALs (or none), then one FINAL, then nothing "
                 "(DECISIONS M2-16)" % words.octets(address),
                 happened="it sent %s for it" % (", ".join(order) or "nothing"))


@worker_case("mdp.worker.heartbeat-framing", "mdp.worker.framing",
             "The HEARTBEAT the worker sends (heartbeat 150 ms)",
             {V01: ["mdp01.grammar.heartbeat"],
              V02: ["mdp02.grammar.heartbeat", "mdp02.grammar.worker-header",
                    "mdp02.grammar.worker-command"]},
             timers=FAST, needs_timers=["heartbeat_ms"])
def _(t):
    broker = Broker(t)
    link = broker.registered()
    since = len(link.got)
    broker.wait(lambda: link.got[since:], 2.0)
    got = link.got[since:]
    t.require(got, "it sent nothing within 2 s of its READY (heartbeat 150 ms)")
    judge_sent(t, link, got[0], "HEARTBEAT", HEARTBEAT[t.case.version])


@worker_case("mdp.worker.disconnect-framing", "mdp.worker.framing",
             "Told to stop (SIGTERM), the worker may send DISCONNECT: if it does, its layout",
             {V01: ["mdp01.grammar.disconnect", "mdp01.disconnect.worker-any-time"],
              V02: ["mdp02.grammar.disconnect", "mdp02.grammar.worker-header",
                    "mdp02.grammar.worker-command", "mdp02.disconnect.worker-any-time"]})
def _(t):
    broker = Broker(t)
    link = broker.registered()
    since = len(link.got)
    t.adapter.stop()
    broker.wait(lambda: not link.open, 2.0)
    got = [g for g in link.got[since:] if g.command != "HEARTBEAT"]
    reported_unless_met(t, clause(t, "disconnect.worker-any-time"), bool(got),
                        "it says DISCONNECT as it stops (a MAY)",
                        happened="after SIGTERM it sent %s; %s" % (names(link.got[since:]),
                                                                  link.conn.describe()))
    if got:
        judge_sent(t, link, got[0], "DISCONNECT", DISCONNECT[t.case.version])


# --- sockets -------------------------------------------------------------------------------------

@worker_case("mdp.worker.dealer", "mdp.worker.sockets",
             "One DEALER socket: its ZMTP handshake says Socket-Type DEALER, and it holds one "
             "connection to the broker (DECISIONS M2-20)",
             {V01: ["mdp01.worker.one-dealer"], V02: ["mdp02.worker.one-dealer"]})
def _(t):
    broker = Broker(t)
    link = broker.first()
    kind = link.socket_type
    t.expect(clause(t, "worker.one-dealer"), kind == b"DEALER",
             "its READY (ZMTP) says Socket-Type DEALER",
             happened="it says %s" % (words.octets(kind) if kind is not None else "none"))
    broker.registered(link)
    broker.quiet(0.5)
    others = broker.links[1:]
    t.expect(clause(t, "worker.one-dealer"), not others and link.open,
             "one connection to the broker, kept open for 0.5 s after its READY",
             happened="it made %d connection%s; the first %s" % (
                 len(broker.links), "" if len(broker.links) == 1 else "s",
                 "is open" if link.open else "was closed"))


@worker_case("mdp.worker.single-ready", "mdp.worker.sockets",
             "READY once per connection: never again while requests, answers and heartbeats "
             "go on (heartbeat 150 ms)",
             {V01: ["mdp01.worker.single-ready"], V02: ["mdp02.worker.single-ready"]},
             timers=FAST)
def _(t):
    broker = Broker(t)
    link = broker.registered()
    for n in range(3):
        answered(t, broker, link, b"client-%d" % n)
    broker.quiet(max(0.6, 4 * (interval(t) or 0.15)))
    for each in broker.links:
        readies = len(each.commands("READY"))
        t.expect(clause(t, "worker.single-ready"), readies <= 1,
                 "at most one READY on %s" % each.label,
                 happened="it sent %d READY on it (%s)" % (readies, names(each.got)))


# --- heartbeating --------------------------------------------------------------------------------

@worker_case("mdp.worker.heartbeat-idle", "mdp.worker.heartbeat",
             "An idle worker sends HEARTBEATs at the interval (heartbeat 150 ms, liveness 3)",
             {V01: ["mdp01.heartbeat.worker-sends"], V02: ["mdp02.heartbeat.worker-sends"]},
             timers=FAST, needs_timers=["heartbeat_ms"])
def _(t):
    broker = Broker(t)
    link = broker.registered()
    start = link.got[0].at
    broker.quiet(2 * expiry(t)[0])
    heartbeats_judged(t, link, start, time.monotonic(), "an idle")


@worker_case("mdp.worker.heartbeat-busy", "mdp.worker.heartbeat",
             "A worker busy with a request still sends HEARTBEATs (DECISIONS M2, M2-3; "
             "heartbeat 150 ms)",
             {V01: ["mdp01.heartbeat.worker-sends"], V02: ["mdp02.heartbeat.worker-sends"]},
             timers=FAST, needs_timers=["heartbeat_ms"])
def _(t):
    broker = Broker(t)
    link = broker.registered()
    since = len(link.got)
    link.request(ADDRESS, sleep_body(BUSY_FOR))
    start = time.monotonic()
    broker.wait(lambda: link.finals(ADDRESS, since) or not link.open, BUSY_FOR + 2.0)
    finals = link.finals(ADDRESS, since)
    end = finals[0].at if finals else time.monotonic()
    t.require(end - start >= 3 * interval(t),
              "it answered %s after %.0f ms: not busy for three intervals, so heartbeats "
              "while busy cannot be seen (a `sleep:%.2f` request should keep it busy that "
              "long, ADAPTER.md)" % (names(finals), (end - start) * 1000, BUSY_FOR))
    heartbeats_judged(t, link, start, end, "a busy")


@worker_case("mdp.worker.not-alongside", "mdp.worker.heartbeat",
             "While answers stream to the broker, the worker adds no HEARTBEAT to them",
             {V01: ["mdp01.heartbeat.not-alongside"], V02: ["mdp02.heartbeat.not-alongside"]},
             timers=FAST, needs_timers=["heartbeat_ms"])
def _(t):
    broker = Broker(t)
    link = broker.registered()
    period = interval(t)
    start = time.monotonic()
    end = start + 6 * period
    n = 0
    while time.monotonic() < end:
        n += 1
        t.require(answered(t, broker, link, b"client-%d" % n, seconds=1.0),
                  "request %d was not answered within 1 s" % n)
        broker.quiet(period / 4)
    stream = [g for g in link.got if start <= g.at <= end]
    alongside = [b for a, b in zip(stream, stream[1:])
                 if b.command == "HEARTBEAT" and b.at - a.at < period / 2]
    t.expect(clause(t, "heartbeat.not-alongside"), not alongside,
             "no HEARTBEAT within half an interval of another command while %d answers go "
             "out in %.0f ms (DECISIONS M4)" % (n, 6 * period * 1000),
             happened="it sent %s" % (names(stream)))


@worker_case("mdp.worker.expires-broker", "mdp.worker.heartbeat",
             "A broker that falls silent after READY is gone after liveness x interval: the "
             "worker starts over on a new connection with READY (heartbeat 150 ms, liveness 3, "
             "reconnect 100 ms)",
             {V01: ["mdp01.heartbeat.worker-expires-broker", "mdp01.heartbeat.worker-restart"],
              V02: ["mdp02.heartbeat.worker-expires-broker", "mdp02.heartbeat.worker-restart"]},
             timers=FAST, needs_timers=["heartbeat_ms"])
def _(t):
    broker = Broker(t)
    broker.keepalive = False
    link = broker.registered()
    heard = link.accepted_at
    bound = expiry(t)[0] + reconnect(t)[0] * t.clock.multiplier
    again = broker.next_registered(1, bound + 1.0)
    when = (again.got[0].at - heard) if again else None
    happened = ("READY on %s %.0f ms after the broker last spoke; the first connection %s"
                % (again.label, when * 1000, "was closed" if not link.open else "stayed open")
                if again else "no new connection with READY within %.0f ms (%s)"
                % ((bound + 1.0) * 1000, link.conn.describe()))
    declared = reconnect(t)[1]
    met = again is not None and when <= bound
    what = ("a new connection and READY within %.0f ms of silence (liveness %d x interval "
            "%.0f ms, reconnect %.0f ms, the suite's slack)" % (
                bound * 1000, liveness(t)[0], interval(t) * 1000, reconnect(t)[0] * 1000))
    if met or declared:
        by_liveness(t, "heartbeat.worker-expires-broker", met, what, happened)
    else:
        t.observe(clause(t, "heartbeat.worker-expires-broker"),
                  what + " (no reconnect delay declared: %.0f ms assumed, DECISIONS M14)"
                  % (reconnect(t)[0] * 1000), happened=happened)
    if again is not None:
        # when it gave the broker up: it closed the first connection, or opened the next
        gave_up = (link.closed_at or again.accepted_at) - heard
        early = (liveness(t)[0] - 1) * interval(t)
        reported_unless_met(t, clause(t, "heartbeat.worker-expires-broker"), gave_up >= early,
                            "it waits about liveness x interval before it gives the broker "
                            "up (giving up early is reported, never judged: DECISIONS M2-4)",
                            happened="it gave the broker up %.0f ms after it last spoke"
                            % (gave_up * 1000))
        t.expect(clause(t, "heartbeat.worker-restart"), again is not link,
                 "it starts over on a new connection", happened=happened)


@worker_case("mdp.worker.keeps-broker", "mdp.worker.heartbeat",
             "A broker that heartbeats every half interval keeps the worker for three times "
             "the expiry, and the worker still answers (heartbeat 150 ms)",
             {V01: ["mdp01.heartbeat.worker-expires-broker", "mdp01.worker.assume-registered"],
              V02: ["mdp02.heartbeat.worker-expires-broker", "mdp02.worker.assume-registered"]},
             timers=FAST, needs_timers=["heartbeat_ms"])
def _(t):
    broker = Broker(t)
    link = broker.registered()
    broker.quiet(3 * expiry(t)[0])
    reported_unless_met(t, clause(t, "heartbeat.worker-expires-broker"),
                        link.open and len(broker.links) == 1,
                        "a heartbeating broker is not taken as gone (giving up early is "
                        "reported, never judged: DECISIONS M2-4)",
                        happened="after %.1f s: %d connection%s; the first %s" % (
                            3 * expiry(t)[0], len(broker.links),
                            "" if len(broker.links) == 1 else "s",
                            "is open" if link.open else "was closed"))
    serving = broker.serving()
    got = answered(t, broker, serving, ADDRESS) if serving else None
    t.expect(clause(t, "worker.assume-registered"), got is not None,
             "still registered, it answers a REQUEST", happened="it answered %s" % (
                 describe(got.message) if got else "nothing within 2 s"))


@worker_case("mdp.worker.requests-keep-alive", "mdp.worker.heartbeat",
             "A broker that sends REQUESTs and no HEARTBEAT stays alive: any command but "
             "DISCONNECT is a heartbeat (heartbeat 150 ms)",
             {V01: ["mdp01.heartbeat.worker-expires-broker"],
              V02: ["mdp02.heartbeat.worker-expires-broker"]},
             timers=FAST, needs_timers=["heartbeat_ms"])
def _(t):
    broker = Broker(t)
    broker.keepalive = False
    link = broker.registered()
    end = time.monotonic() + 3 * expiry(t)[0]
    n = 0
    while time.monotonic() < end and link.open:
        n += 1
        answered(t, broker, link, b"client-%d" % n, seconds=1.0)
        broker.quiet(interval(t) / 2)
    reported_unless_met(t, clause(t, "heartbeat.worker-expires-broker"),
                        link.open and len(broker.links) == 1,
                        "%d REQUESTs over %.1f s, one every half interval or so, keep the "
                        "broker alive (giving up early is reported: DECISIONS M2-4)"
                        % (n, 3 * expiry(t)[0]),
                        happened="%d connection%s; the first %s" % (
                            len(broker.links), "" if len(broker.links) == 1 else "s",
                            "is open" if link.open else "was closed"))


# --- DISCONNECT ----------------------------------------------------------------------------------

def disconnect_judged(t, broker, link, since):
    """After the suite's DISCONNECT on `link`: the close (judged), a command after it
    (reported, DECISIONS M13, M2-18), a new connection with READY (judged against the
    reconnect delay the worker was given; reported when it declares none)."""
    told = time.monotonic()
    broker.wait(lambda: not link.open, 2.0)
    closed = link.conn.closed_by_peer is not None
    t.expect(clause(t, "disconnect.worker-close"), closed,
             "it closes the connection within 2 s of the broker's DISCONNECT",
             happened=link.conn.describe())
    after = [g for g in link.got[since:]]
    reported_unless_met(t, clause(t, "disconnect.worker-close"), not after,
                        "it sends nothing after the broker's DISCONNECT (the RFC's lower-case "
                        "\"must send no further commands\": DECISIONS M13, M2-18)",
                        happened="it sent %s after it" % names(after))
    delay, declared = reconnect(t)
    bound = 2.0 + delay * t.clock.multiplier + 0.5
    again = broker.next_registered(broker.links.index(link) + 1, bound)
    happened = ("READY on %s %.0f ms after the DISCONNECT" % (again.label,
                                                             (again.got[0].at - told) * 1000)
                if again else "no new connection with READY within %.1f s" % bound)
    what = "a new connection, READY on it, within the reconnect delay (%.0f ms) and 2.5 s" % (
        delay * 1000)
    if again or declared:
        t.expect(clause(t, "disconnect.worker-reconnect"), again is not None, what,
                 happened=happened)
    else:
        t.observe(clause(t, "disconnect.worker-reconnect"),
                  what + " (no reconnect delay declared: %.0f ms assumed, DECISIONS M14)"
                  % (delay * 1000), happened=happened)
    return again


@worker_case("mdp.worker.disconnect", "mdp.worker.disconnect",
             "DISCONNECT from the broker: the worker closes the connection, and registers "
             "again on a new one, which it serves (reconnect 100 ms)",
             {V01: ["mdp01.disconnect.worker-close", "mdp01.disconnect.worker-reconnect",
                    "mdp01.grammar.ready"],
              V02: ["mdp02.disconnect.worker-close", "mdp02.disconnect.worker-reconnect",
                    "mdp02.grammar.ready"]},
             timers=FAST)
def _(t):
    broker = Broker(t)
    link = broker.registered()
    since = len(link.got)
    link.disconnect()
    again = disconnect_judged(t, broker, link, since)
    if again is not None:
        judge_sent(t, again, again.got[0], "READY", READY[t.case.version])
        got = answered(t, broker, again, ADDRESS)
        reported_unless_met(t, clause(t, "disconnect.worker-reconnect"), got is not None,
                            "registered anew, it answers a REQUEST on the new connection",
                            happened="it answered %s" % (describe(got.message) if got
                                                         else "nothing within 2 s"))


@worker_case("mdp.worker.disconnect-busy", "mdp.worker.disconnect",
             "DISCONNECT while the worker is busy with a request: it closes and registers "
             "again; an answer after the DISCONNECT is reported (reconnect 100 ms)",
             {V01: ["mdp01.disconnect.worker-close", "mdp01.disconnect.worker-reconnect"],
              V02: ["mdp02.disconnect.worker-close", "mdp02.disconnect.worker-reconnect"]},
             timers=FAST)
def _(t):
    broker = Broker(t)
    link = broker.registered()
    link.request(ADDRESS, sleep_body(0.5))
    broker.quiet(0.1)
    since = len(link.got)
    link.disconnect()
    again = disconnect_judged(t, broker, link, since)
    if again is not None:
        broker.quiet(0.6)
        late = again.answers(ADDRESS)
        reported_unless_met(t, clause(t, "disconnect.worker-close"), not late,
                            "the request cut short by the DISCONNECT is not answered on the "
                            "new connection (DECISIONS M8, M2-8: the broker resends it)",
                            happened="on %s it sent %s" % (again.label, names(again.got)))


@worker_case("mdp.worker.reconnect-delay", "mdp.worker.disconnect",
             "After DISCONNECT the worker waits the reconnect delay it was given (800 ms) "
             "before it connects again (DECISIONS M14)",
             {V01: ["mdp01.disconnect.worker-reconnect"],
              V02: ["mdp02.disconnect.worker-reconnect"]},
             timers=dict(FAST, reconnect_ms=800), needs_timers=["reconnect_ms"])
def _(t):
    # The RFCs name no delay ("reconnect to the broker on a new socket"); the delay is the
    # worker's own, which keeps a refused worker out of a tight loop (M14): a sooner
    # reconnect is reported.  mdp.worker.disconnect judges the reconnect itself.
    broker = Broker(t)
    link = broker.registered()
    delay = reconnect(t)[0]
    link.disconnect()
    told = time.monotonic()
    broker.quiet(delay / 2 / t.clock.multiplier)
    sooner = broker.links[1:]
    reported_unless_met(t, clause(t, "disconnect.worker-reconnect"), not sooner,
                        "no new connection within %.0f ms of the DISCONNECT (reconnect %.0f ms)"
                        % (delay * 500, delay * 1000),
                        happened="%s came %.0f ms after it" % (
                            sooner[0].label, (sooner[0].accepted_at - told) * 1000)
                        if sooner else "none came")


# --- what the RFCs give no rule for: reported (DECISIONS M2-19) ----------------------------------

@worker_case("mdp.worker.request-while-busy", "mdp.worker.hostile",
             "A second REQUEST while the worker is busy with one: what it does is reported "
             "(DECISIONS M2-19)",
             {V01: ["mdp01.grammar.worker-reply"], V02: ["mdp02.worker.partials-then-final"]})
def _(t):
    broker = Broker(t)
    link = broker.registered()
    since = len(link.got)
    link.request(b"first", sleep_body(0.5))
    broker.quiet(0.1)
    second = M.worker_request(b"second", [b"while busy"], t.case.version)
    link.hostile(second, [], "a REQUEST for 'second' while the worker is busy with 'first'")
    broker.wait(lambda: link.finals(b"first", since) or not link.open, 2.5)
    broker.quiet(0.5)
    t.observe({V01: "mdp01.grammar.worker-reply",
               V02: "mdp02.worker.partials-then-final"}[t.case.version],
              "what the worker does with a REQUEST that comes while it is busy (one request "
              "at a time: the RFCs give no rule for a broker that breaks it)",
              happened="for 'first' it sent %s; for 'second' %s" % (
                  names(link.answers(b"first", since)),
                  names(link.answers(b"second", since))))


@worker_case("mdp.worker.worker-commands", "mdp.worker.hostile",
             "The broker sends the worker commands only a worker sends (READY, and a REPLY / "
             "FINAL): what it does is reported, then a REQUEST is still answered",
             {V01: ["mdp01.grammar.worker-reply", "mdp01.grammar.ready"],
              V02: ["mdp02.grammar.worker-final", "mdp02.grammar.ready"]})
def _(t):
    v = t.case.version
    broker = Broker(t)
    link = broker.registered()
    since = len(link.got)
    answer = (M.worker_reply(b"nobody", [b"stray"], V01) if v == V01
              else M.worker_final(b"nobody", [b"stray"], V02))
    link.hostile(M.worker_ready(b"echo", v), [], "READY from the broker")
    link.hostile(answer, [], "%s from the broker" % ANSWER[v])
    got = answered(t, broker, link, ADDRESS) if link.open else None
    t.observe(ANSWER_LAYOUT[v], "what the worker does with READY and %s from the broker "
              "(DECISIONS M2-19)" % ANSWER[v],
              happened="it sent %s, and %s" % (
                  names([g for g in link.got[since:] if g.message is None or
                         g.message.address != ADDRESS]),
                  "answered the next REQUEST" if got else
                  "did not answer the next REQUEST within 2 s (%s)" % link.conn.describe()))


@worker_case("mdp.worker.unknown-command", "mdp.worker.hostile",
             "A broker command with an unknown code (0.1: 0x06, 0.2: 0x07): what the worker "
             "does is reported, then a REQUEST is still answered",
             {V01: ["mdp01.grammar.worker-request"], V02: ["mdp02.grammar.worker-command"]},
             inputs=["MdpCommand"])
def _(t):
    v = t.case.version
    broker = Broker(t)
    link = broker.registered()
    since = len(link.got)
    frames = [b"", b"MDPW01", b"\x06"] if v == V01 else [b"MDPW02", b"\x07"]
    what = "a broker command of unknown code: %s" % words.frames(frames)
    link.hostile(frames, "MdpCommand", what)
    got = answered(t, broker, link, ADDRESS) if link.open else None
    t.answer("MdpCommand", what, happened="it sent %s, and %s" % (
        names([g for g in link.got[since:] if g is not got]),
        "answered the next REQUEST" if got
        else "did not answer the next REQUEST within 2 s (%s)" % link.conn.describe()))


# --- the golden vectors, sent by the broker ------------------------------------------------------

def vectors_to_worker(t):
    """Every malformed vector of a file, each sent by the broker and followed by a REQUEST
    (the barrier: the worker reads its connection in order).  What the worker does with each
    is reported (the RFCs name no rule for a worker receiving one: spec/leniency.md's Mdp
    rows); the robustness axis asks after the case whether it still answers.  A worker that
    closes the connection on one is followed to its next connection."""
    broker = Broker(t)
    link = broker.registered()
    for n, vector in enumerate(t.case.vectors):
        if not link.open or link.disconnected():
            link = broker.next_registered(broker.links.index(link) + 1,
                                          reconnect(t)[0] * t.clock.multiplier + 2.0)
            if link is None:
                t.note("it did not register again within %.1f s of closing its connection: "
                       "%d vectors not sent" % (reconnect(t)[0] + 2.0,
                                                len(t.case.vectors) - n))
                return
        since = len(link.got)
        what = "the broker sent %s" % vector.describe()
        link.hostile(vector.frames, vector.input_class, what)
        address = b"barrier-%d" % n
        link.request(address, [b"after " + vector.ids[0].encode()])
        broker.wait(lambda: link.finals(since=since) or not link.open, 2.0)
        served = bool(link.finals(since=since))
        other = [g for g in link.got[since:] if g.command not in ("REPLY", "FINAL")]
        t.answer(vector.input_class, what, happened="it sent %s; %s" % (
            names(other), "the REQUEST after it was answered" if served else
            "it closed the connection" if not link.open
            else "the REQUEST after it got no answer within 2 s"))
        if not served and link.open:
            t.note("it stopped answering after %s: %d vectors not sent"
                   % (vector.ids[0], len(t.case.vectors) - n - 1))
            return


vector_cases("worker", vectors_to_worker, ROOT)
