"""Majordomo, the implementation as the broker: heartbeating (7/MDP and 18/MDP,
"Heartbeating"), with short timers (heartbeat 150 ms, liveness 3) where the command takes
them.

How the suite judges time (DECISIONS M3, M4, M2-4, M2-5): never by the exact tick.  A
peer is gone once it has been silent for liveness x interval; the suite allows one more
interval and 150 ms (majordomo.slack).  Against that bound it judges the gaps in the
broker's heartbeats (a worker of the same settings would take the broker as gone after
one) and the broker's expiry of a silent worker, using the liveness the implementation
declares; one that declares none is assumed to use 5, and a later expiry is reported,
never judged.  An earlier expiry is reported too: the RFCs oblige a peer to act on
silence, and forbid nothing sooner.
"""

import time

from .. import words
from ..majordomo import (FAST, V02, Majordomo, broker_case, expiry, interval, liveness,
                         names, reported_unless_met)
from .mdp_broker import SERVICE, first_request, tag

HEARTBEAT_MS = ["heartbeat_ms"]


def clause(t, name):
    return "mdp%s.heartbeat.%s" % (tag(t.case.version), name)


def by_liveness(t, name, met, what, happened):
    """A MUST about expiry: judged against the declared liveness; with none declared (5
    assumed), a miss is reported (DECISIONS M3, M2-4)."""
    bound, declared = expiry(t)
    if met or declared:
        return t.expect(clause(t, name), met, what, happened=happened)
    t.observe(clause(t, name), what + " (no liveness declared: 5 assumed, DECISIONS M3)",
              happened=happened)
    return False


def gaps(worker, start, end):
    """The gaps, in seconds, between `start`, each message the broker sent the worker
    between start and end, and `end`."""
    times = [start] + [g.at for g in worker.got if start <= g.at <= end] + [end]
    return [b - a for a, b in zip(times, times[1:])]


def heartbeats_judged(t, worker, start, end, state):
    """The broker's heartbeats to a worker between start and end: at least one, and no gap
    longer than the expiry bound.  A message that does not decode counts as one here: its
    layout is judged apart (the wire checks), not its being sent."""
    count = len([g for g in worker.got if start <= g.at <= end
                 and (g.command == "HEARTBEAT" or g.error is not None)])
    longest = max(gaps(worker, start, end))
    bound, _ = expiry(t)
    by_liveness(t, "broker-sends", count > 0 and longest <= bound,
                "HEARTBEATs to %s worker, never %.0f ms apart (liveness %d x interval %.0f ms "
                "and the suite's slack)" % (state, bound * 1000, liveness(t)[0],
                                            interval(t) * 1000),
                "it sent %d HEARTBEAT%s in %.1f s; the longest silence was %.0f ms"
                % (count, "" if count == 1 else "s", end - start, longest * 1000))


@broker_case("mdp.heartbeat.idle-worker", "mdp.heartbeat",
             "An idle worker gets HEARTBEATs at the interval (heartbeat 150 ms, liveness 3)",
             ["mdp01.heartbeat.broker-sends", "mdp02.heartbeat.broker-sends"], timers=FAST,
             needs_timers=HEARTBEAT_MS)
def _(t):
    net = Majordomo(t)
    worker = net.worker(SERVICE)
    start = time.monotonic()
    net.quiet(2 * expiry(t)[0])
    heartbeats_judged(t, worker, start, time.monotonic(), "an idle")


@broker_case("mdp.heartbeat.busy-worker", "mdp.heartbeat",
             "A worker busy with a request still gets HEARTBEATs (DECISIONS M2, M2-3)",
             ["mdp01.heartbeat.broker-sends", "mdp02.heartbeat.broker-sends"], timers=FAST,
             needs_timers=HEARTBEAT_MS)
def _(t):
    net = Majordomo(t)
    worker = net.worker(SERVICE)
    client = net.client()
    client.request(SERVICE, [b"take your time"])
    first_request(t, net, worker)
    start = time.monotonic()
    net.quiet(2 * expiry(t)[0])
    heartbeats_judged(t, worker, start, time.monotonic(), "a busy")


@broker_case("mdp.heartbeat.expire-idle-worker", "mdp.heartbeat",
             "An idle worker that falls silent is gone after liveness x interval: a request "
             "then waits for the next worker, and the silent one hears nothing more",
             ["mdp01.heartbeat.broker-expires-worker", "mdp02.heartbeat.broker-expires-worker",
              "mdp01.heartbeat.broker-stop-sending", "mdp02.heartbeat.broker-stop-sending"],
             timers=FAST, needs_timers=HEARTBEAT_MS)
def _(t):
    net = Majordomo(t)
    silent = net.worker(SERVICE, label="silent", keepalive=False)
    ready_at = time.monotonic()
    bound, _ = expiry(t)
    net.quiet(bound)
    client = net.client()
    client.request(SERVICE, [b"after the expiry"])
    net.wait(lambda: silent.requests(), 0.2)
    live = net.worker(SERVICE, label="live")
    net.wait(lambda: silent.requests() or live.requests(), 2.0)
    t.require(silent.requests() or live.requests(),
              "the request reached neither worker within 2 s (silent got %s, live got %s)"
              % (names(silent.got), names(live.got)))
    expired = not silent.requests()
    by_liveness(t, "broker-expires-worker", expired,
                "silent %.0f ms, the worker is gone: the request goes to the next one"
                % (bound * 1000),
                "the request went to the %s worker" % ("live" if expired else "silent"))
    if expired:
        late = [g for g in silent.got if g.at > ready_at + bound]
        t.expect(clause(t, "broker-stop-sending"), not late,
                 "nothing more to the silent worker once it is gone (%.0f ms after its READY)"
                 % (bound * 1000), happened="it sent it %s after that" % names(late))


@broker_case("mdp.heartbeat.expire-busy-worker", "mdp.heartbeat",
             "A busy worker that falls silent is gone after liveness x interval, and its "
             "request goes to another worker (DECISIONS M8, M2-8)",
             ["mdp01.heartbeat.broker-expires-worker", "mdp02.heartbeat.broker-expires-worker"],
             timers=FAST,
             needs_timers=HEARTBEAT_MS)
def _(t):
    # Resending the request is the Goals' recovery (no keyword); it is the only sign on the
    # wire that a busy worker was taken as gone, so only it can PASS the case, and its
    # absence is reported: the broker may have taken the worker as gone and dropped the
    # request (the Guide's mdbroker does).
    net = Majordomo(t)
    busy = net.worker(SERVICE, label="silent", keepalive=False)
    ready_at = time.monotonic()
    client = net.client()
    client.request(SERVICE, [b"resend me"])
    first_request(t, net, busy)
    live = net.worker(SERVICE, label="live")
    bound, declared = expiry(t)
    net.wait(lambda: live.requests(), bound + 1.0)
    got = live.requests()
    when = (got[0].at - ready_at) if got else None
    happened = ("the live worker got it %.0f ms after the silent one's READY" % (when * 1000)
                if got else "the live worker got %s in %.1f s" % (names(live.got), bound + 1.0))
    if got:
        by_liveness(t, "broker-expires-worker", when <= bound,
                    "the silent worker's request reaches the live one within %.0f ms of its "
                    "READY" % (bound * 1000), happened)
    else:
        t.observe(clause(t, "broker-expires-worker"),
                  "the silent worker's request is resent to the live one (DECISIONS M8, M2-8; "
                  "no keyword asks for it)", happened=happened)


@broker_case("mdp.heartbeat.keeps-alive", "mdp.heartbeat",
             "A worker that heartbeats every half interval stays registered for three times "
             "the expiry",
             ["mdp01.heartbeat.broker-expires-worker", "mdp02.heartbeat.broker-expires-worker"],
             timers=FAST, needs_timers=HEARTBEAT_MS)
def _(t):
    net = Majordomo(t)
    worker = net.worker(SERVICE)
    net.quiet(3 * expiry(t)[0])
    client = net.client()
    client.request(SERVICE, [b"still there?"])
    net.wait(lambda: worker.requests(), 1.0)
    reported_unless_met(t, clause(t, "broker-expires-worker"), bool(worker.requests()),
                        "a heartbeating worker is not taken as gone (giving up early is "
                        "reported, never judged: DECISIONS M2-4)",
                        happened="after %.1f s it got %s" % (3 * expiry(t)[0], names(worker.got)))


@broker_case("mdp.heartbeat.partials-keep-alive", "mdp.heartbeat",
             "A busy worker that sends PARTIALs and no HEARTBEAT stays alive: any command but "
             "DISCONNECT is a heartbeat",
             ["mdp02.heartbeat.broker-expires-worker"], versions=(V02,), timers=FAST,
             needs_timers=HEARTBEAT_MS)
def _(t):
    net = Majordomo(t)
    worker = net.worker(SERVICE, keepalive=False)
    client = net.client()
    client.request(SERVICE, [b"stream"])
    request = first_request(t, net, worker)
    end = time.monotonic() + 2 * expiry(t)[0]
    sent = 0
    while time.monotonic() < end:
        worker.partial(request, [b"part %d" % sent])
        sent += 1
        net.quiet(interval(t) / 2)
    worker.answer(request, [b"end"])
    net.wait(lambda: client.finals(), 1.0)
    finals = client.finals()
    reported_unless_met(t, "mdp02.heartbeat.broker-expires-worker",
                        bool(finals) and finals[0].body == [b"end"] and
                        not worker.commands("DISCONNECT"),
                        "after %d PARTIALs over %.1f s, the FINAL reaches the client" %
                        (sent, 2 * expiry(t)[0]),
                        happened="the client got %d PARTIAL and %s; the worker got %s"
                        % (len(client.commands("PARTIAL")),
                           "FINAL %s" % words.frames(finals[0].body) if finals else "no FINAL",
                           names(worker.got)))


@broker_case("mdp.heartbeat.not-alongside", "mdp.heartbeat",
             "While requests stream to a worker, the broker adds no HEARTBEAT to them",
             ["mdp01.heartbeat.not-alongside", "mdp02.heartbeat.not-alongside"], timers=FAST,
             needs_timers=HEARTBEAT_MS)
def _(t):
    net = Majordomo(t)
    worker = net.worker(SERVICE)
    client = net.client()
    start = time.monotonic()
    end = start + 6 * interval(t)
    n = 0
    while time.monotonic() < end:
        n += 1
        client.request(SERVICE, [b"%d" % n])
        t.require(net.wait(lambda: len(worker.requests()) >= n, 1.0),
                  "request %d did not reach the worker within 1 s" % n)
        worker.answer(worker.requests()[-1], [b"re"])
        net.wait(lambda: len(client.finals()) >= n, 1.0)
    period = interval(t)
    stream = [g for g in worker.got if start <= g.at <= end]
    alongside = [b for a, b in zip(stream, stream[1:])
                 if b.command == "HEARTBEAT" and b.at - a.at < period]
    t.expect(clause(t, "not-alongside"), not alongside,
             "no HEARTBEAT within one interval of another command while %d REQUESTs stream "
             "over %.1f s" % (n, end - start),
             happened="it sent %d such HEARTBEAT%s" % (len(alongside),
                                                       "" if len(alongside) == 1 else "s"))
