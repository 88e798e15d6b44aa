"""Majordomo, the implementation as the broker: DISCONNECT ("Opening and Closing a
Connection") and the management interface (8/MMI).

DISCONNECT: a valid command out of place (a second READY, a HEARTBEAT or a reply before
READY, a reply with no request, a REQUEST from a worker: DECISIONS M6, M2-9) is answered
with DISCONNECT, then nothing more; after a worker's own DISCONNECT the broker sends it
nothing.  "Nothing more" is watched for two heartbeat intervals and 150 ms (heartbeat 150
ms where the command takes it), while a client asks for the worker's service.

MMI: 8/MMI is layered on 7/MDP ("MMI is layered on top of the 7/MDP protocol"), so its
MUSTs are judged over 0.1; over 0.2 (DECISIONS M2-12, M20) what the broker does is
reported, never judged.
"""

from zwire_codec import mdp as M

from .. import words
from ..case import Alt
from ..majordomo import (FAST, V01, V02, Majordomo, broker_case, interval, names,
                         reported_unless_met)
from .mdp_broker import SERVICE, tag

NOBODY = b"\x00nobody"      # a client address no client has


def window(t):
    """How long silence is watched: two heartbeat intervals and 150 ms (1 s if the interval
    is unknown), scaled."""
    period = interval(t)
    return ((2 * period + 0.15) if period else 1.0) * t.clock.multiplier


def c(t, name):
    return "mdp%s.%s" % (tag(t.case.version), name)


def silence(t, net, worker, after, what, clause_name):
    """Nothing reaches the worker after message `after` of its own (its index in worker.got,
    or None for all) for window(t), while a client asks for its service."""
    client = net.client()
    client.request(worker.service, [b"for nobody"])
    net.quiet(window(t))
    late = worker.got[after + 1:] if after is not None else worker.got
    t.expect(c(t, clause_name), not late,
             "after %s, nothing more to the worker for %.0f ms, while a client asks for its "
             "service" % (what, window(t) * 1000), happened="it sent it %s" % names(late))


def unexpected(t, send, registered, what, invalid_reading=None):
    """A valid but unexpected command (`send(worker)`): DISCONNECT, then nothing more.
    invalid_reading: where the RFC lets the command also be read as invalid (no layout of
    what a worker sends), why; a broker that then drops it silently conforms too."""
    net = Majordomo(t)
    worker = net.worker(SERVICE, ready=registered)
    since = len(worker.got)
    send(worker)
    net.wait(lambda: worker.commands("DISCONNECT", since), 2.0)
    disconnects = worker.commands("DISCONNECT", since)
    dropped = [Alt(not disconnects, invalid_reading)] if invalid_reading else []
    t.expect(c(t, "broker.unexpected-disconnect"), bool(disconnects),
             "DISCONNECT within 2 s of %s" % what, alternatives=dropped,
             happened="it sent %s" % names(worker.got[since:]))
    if not disconnects and invalid_reading:
        return
    t.require(disconnects, "no DISCONNECT: there is no silence after it to watch")
    silence(t, net, worker, worker.got.index(disconnects[0]), "its DISCONNECT",
            "broker.silent-after-unexpected")


UNEXPECTED = ["mdp01.broker.unexpected-disconnect", "mdp02.broker.unexpected-disconnect",
              "mdp01.broker.silent-after-unexpected", "mdp02.broker.silent-after-unexpected"]


@broker_case("mdp.disconnect.second-ready", "mdp.disconnect",
             "A worker that says READY twice gets DISCONNECT, then nothing more",
             UNEXPECTED, timers=FAST)
def _(t):
    unexpected(t, lambda w: w.ready(), True, "a second READY")


@broker_case("mdp.disconnect.heartbeat-before-ready", "mdp.disconnect",
             "A HEARTBEAT before READY gets DISCONNECT, then nothing more",
             UNEXPECTED, timers=FAST)
def _(t):
    unexpected(t, lambda w: w.heartbeat(), False, "a HEARTBEAT before READY")


@broker_case("mdp.disconnect.reply-before-ready", "mdp.disconnect",
             "A reply (0.1 REPLY, 0.2 FINAL) before READY gets DISCONNECT, then nothing more",
             UNEXPECTED, timers=FAST)
def _(t):
    unexpected(t, lambda w: w.send(reply(w.version, NOBODY)), False, "a reply before READY")


@broker_case("mdp.disconnect.reply-without-request", "mdp.disconnect",
             "A registered worker's reply with no request outstanding gets DISCONNECT, then "
             "nothing more",
             UNEXPECTED, timers=FAST)
def _(t):
    unexpected(t, lambda w: w.send(reply(w.version, NOBODY)), True,
               "a reply with no request outstanding")


@broker_case("mdp.disconnect.request-from-worker", "mdp.disconnect",
             "A REQUEST (a command only the broker sends) from a registered worker gets "
             "DISCONNECT, then nothing more",
             UNEXPECTED, timers=FAST)
def _(t):
    unexpected(t, lambda w: w.send(M.worker_request(NOBODY, [b"turned"], w.version)), True,
               "a REQUEST from the worker",
               invalid_reading="dropped without DISCONNECT: a REQUEST is no command a worker "
                               "sends, so a broker may read it as an invalid message and drop "
                               "it (mdp01.broker.drop-invalid); zwire reads it as valid but "
                               "unexpected (DECISIONS M6, M2-9)")


def reply(version, address):
    if version == V01:
        return M.worker_reply(address, [b"unasked"], V01)
    return M.worker_final(address, [b"unasked"], V02)


@broker_case("mdp.disconnect.from-idle-worker", "mdp.disconnect",
             "After an idle worker's DISCONNECT, the broker sends it nothing (no DISCONNECT "
             "back, no HEARTBEAT, no REQUEST)",
             ["mdp01.disconnect.broker-silent-after", "mdp02.disconnect.broker-silent-after"],
             timers=FAST)
def _(t):
    net = Majordomo(t)
    worker = net.worker(SERVICE)
    net.quiet(0.05)
    at = len(worker.got) - 1
    worker.disconnect()
    silence(t, net, worker, at, "its DISCONNECT", "disconnect.broker-silent-after")


@broker_case("mdp.disconnect.before-ready", "mdp.disconnect",
             "A DISCONNECT before READY (a worker MAY): the broker sends that peer nothing",
             ["mdp01.disconnect.broker-silent-after", "mdp02.disconnect.broker-silent-after",
              "mdp01.disconnect.worker-any-time", "mdp02.disconnect.worker-any-time"],
             timers=FAST)
def _(t):
    net = Majordomo(t)
    worker = net.worker(SERVICE, ready=False)
    worker.disconnect()
    silence(t, net, worker, None, "its DISCONNECT, before any READY",
            "disconnect.broker-silent-after")


@broker_case("mdp.disconnect.from-busy-worker", "mdp.disconnect",
             "A busy worker's DISCONNECT: it hears nothing more, and its request goes to the "
             "next worker (DECISIONS M8, M2-8)",
             ["mdp01.disconnect.broker-silent-after", "mdp02.disconnect.broker-silent-after"],
             timers=FAST)
def _(t):
    net = Majordomo(t)
    leaving = net.worker(SERVICE, label="leaving")
    client = net.client()
    client.request(SERVICE, [b"who takes me?"])
    net.wait(lambda: leaving.requests(), 2.0)
    t.require(leaving.requests(), "the worker got no REQUEST within 2 s: %s" % names(leaving.got))
    at = len(leaving.got) - 1
    leaving.disconnect()
    staying = net.worker(SERVICE, label="staying")
    net.wait(lambda: staying.requests(), 1.0)
    t.note("the request %s (DECISIONS M8: resent; the RFC's Goals, no keyword)"
           % ("went to the next worker" if staying.requests() else
              "did not reach the next worker within 1 s"))
    net.quiet(window(t))
    late = leaving.got[at + 1:]
    t.expect(c(t, "disconnect.broker-silent-after"), not late,
             "after its DISCONNECT, nothing more to the busy worker for %.0f ms"
             % (window(t) * 1000), happened="it sent it %s" % names(late))


@broker_case("mdp.disconnect.wrong-client", "mdp.disconnect",
             "A worker answers its request naming another client: that client gets nothing "
             "(DECISIONS M6, M2-11; reported)",
             ["mdp01.broker.unexpected-disconnect", "mdp02.broker.unexpected-disconnect"],
             timers=FAST)
def _(t):
    # The RFC does not say that a reply must name the client of the request it answers:
    # the zwire broker takes it as unexpected (DECISIONS M6, M2-11), which is reported.
    net = Majordomo(t)
    worker = net.worker(SERVICE)
    asker = net.client(label="asker")
    other = net.client(label="other")
    other.request(b"elsewhere", [b"waiting for a reply of its own"])
    asker.request(SERVICE, [b"mine"])
    net.wait(lambda: worker.requests(), 2.0)
    t.require(worker.requests(), "the worker got no REQUEST within 2 s")
    since = len(worker.got)
    guess = other_address(worker.requests()[0].message.address)
    worker.send(reply(worker.version, guess), "a reply naming client %s" % words.octets(guess))
    net.quiet(window(t))
    reported_unless_met(t, c(t, "broker.unexpected-disconnect"),
                        not other.got and not asker.got and
                        bool(worker.commands("DISCONNECT", since)),
                        "no client gets the misaddressed reply, and the worker gets "
                        "DISCONNECT",
                        happened="asker got %s, other got %s, the worker got %s"
                        % (names(asker.got), names(other.got), names(worker.got[since:])))


def other_address(address):
    """An address one octet away from `address` (a libzmq routing id counts up: the other
    client's is often the next)."""
    if not address:
        return b"\x00"
    return address[:-1] + bytes([(address[-1] + 1) % 256])


@broker_case("mdp.disconnect.on-stop", "mdp.disconnect",
             "A broker told to stop (SIGTERM) may send its workers DISCONNECT first "
             "(DECISIONS M16)",
             ["mdp01.disconnect.broker-any-time", "mdp02.disconnect.broker-any-time"])
def _(t):
    net = Majordomo(t)
    worker = net.worker(SERVICE)
    net.quiet(0.05)
    since = len(worker.got)
    status = t.adapter.stop()
    net.wait(lambda: worker.commands("DISCONNECT", since) or worker.conn.closed_by_peer, 1.0)
    t.expect(c(t, "disconnect.broker-any-time"), bool(worker.commands("DISCONNECT", since)),
             "DISCONNECT before it goes", happened="it sent %s and exited with status %s"
             % (names(worker.got[since:]), status))


# --- 8/MMI ---------------------------------------------------------------------------------------

def mmi_judged(t, clause, met, what, happened):
    """8/MMI's MUSTs judge a 0.1 broker; over 0.2 they are reported (DECISIONS M2-12)."""
    if t.case.version == V01:
        return t.expect(clause, met, what, happened=happened)
    return reported_unless_met(t, clause, met, what + " (MMI over 0.2: DECISIONS M2-12)",
                               happened)


def lookup(t, net, client, service, body):
    """An mmi. request: the first frame of the body of its reply.  None in 2 s, and the
    broker did not handle the request itself (mmi.service.implemented for mmi.service,
    else mmi.namespace.internal): the case stops there."""
    since = len(client.got)
    client.request(service, body)
    net.wait(lambda: client.finals(since), 2.0)
    got = client.finals(since)
    clause = "mmi.service.implemented" if service == b"mmi.service" else "mmi.namespace.internal"
    mmi_judged(t, clause, bool(got), "the broker answers %s itself, within 2 s"
               % words.octets(service), "it sent %s" % names(client.got[since:]))
    t.require(got, "no answer to %s: nothing more to judge" % words.octets(service))
    return got[0].body[0] if got[0].body else b""


def said(code):
    return "it answered %s" % words.octets(code)


@broker_case("mdp.mmi.service-found", "mdp.mmi",
             "mmi.service for a service with a registered worker answers 200",
             ["mmi.service.found", "mmi.service.implemented"], mmi=True)
def _(t):
    net = Majordomo(t)
    worker = net.worker(SERVICE)
    client = net.client()
    request, _ = net.served(client, worker, SERVICE, [b"are you there?"])
    t.require(request is not None, "the worker was never given a request: registered?")
    code = lookup(t, net, client, b"mmi.service", [SERVICE])
    mmi_judged(t, "mmi.service.found", code == b"200", "'200' for 'echo'", said(code))


@broker_case("mdp.mmi.service-found-busy", "mdp.mmi",
             "mmi.service answers 200 for a service whose only worker is busy "
             "(DECISIONS M19)",
             ["mmi.service.found", "mmi.service.implemented"], mmi=True)
def _(t):
    net = Majordomo(t)
    worker = net.worker(SERVICE)
    client = net.client()
    client.request(SERVICE, [b"keep busy"])
    net.wait(lambda: worker.requests(), 2.0)
    t.require(worker.requests(), "the worker got no REQUEST: it was never busy")
    code = lookup(t, net, net.client(), b"mmi.service", [SERVICE])
    mmi_judged(t, "mmi.service.found", code == b"200",
               "'200': a busy worker is registered", said(code))


@broker_case("mdp.mmi.service-not-found", "mdp.mmi",
             "mmi.service for a service no worker has registered answers 404",
             ["mmi.service.not-found", "mmi.service.implemented"], mmi=True)
def _(t):
    net = Majordomo(t)
    code = lookup(t, net, net.client(), b"mmi.service", [b"nosuch"])
    mmi_judged(t, "mmi.service.not-found", code == b"404", "'404' for 'nosuch'", said(code))


@broker_case("mdp.mmi.service-queued-not-found", "mdp.mmi",
             "mmi.service answers 404 for a service with requests waiting but no worker "
             "(DECISIONS M19)",
             ["mmi.service.not-found", "mmi.service.implemented"], mmi=True)
def _(t):
    net = Majordomo(t)
    client = net.client()
    client.request(b"phantom", [b"waiting"])
    code = lookup(t, net, client, b"mmi.service", [b"phantom"])
    mmi_judged(t, "mmi.service.not-found", code == b"404",
               "'404': a waiting request registers no worker", said(code))


@broker_case("mdp.mmi.not-implemented", "mdp.mmi",
             "A request for an mmi. service the broker does not provide answers 501",
             ["mmi.namespace.not-implemented", "mmi.namespace.internal"], mmi=True)
def _(t):
    net = Majordomo(t)
    code = lookup(t, net, net.client(), b"mmi.nosuch", [b"anything"])
    mmi_judged(t, "mmi.namespace.not-implemented", code == b"501", "'501' for 'mmi.nosuch'",
               said(code))


@broker_case("mdp.mmi.worker-disconnected", "mdp.mmi",
             "A worker whose READY names an mmi. service gets DISCONNECT",
             ["mmi.namespace.worker-disconnect"], mmi=True)
def _(t):
    net = Majordomo(t)
    worker = net.worker(b"mmi.echo")
    net.wait(lambda: worker.commands("DISCONNECT"), 2.0)
    mmi_judged(t, "mmi.namespace.worker-disconnect", bool(worker.commands("DISCONNECT")),
               "DISCONNECT within 2 s of READY 'mmi.echo'", "it sent %s" % names(worker.got))


@broker_case("mdp.mmi.never-forwarded", "mdp.mmi",
             "A request for mmi.echo, with a worker that offered mmi.echo: the broker answers "
             "it (501) and the worker never sees it",
             ["mmi.namespace.internal", "mmi.namespace.not-implemented"], mmi=True,
             timers=FAST)
def _(t):
    net = Majordomo(t)
    worker = net.worker(b"mmi.echo")
    net.quiet(0.05)
    code = lookup(t, net, net.client(), b"mmi.echo", [b"for the broker"])
    net.quiet(0.05)
    mmi_judged(t, "mmi.namespace.internal", not worker.requests(),
               "the worker of 'mmi.echo' gets no REQUEST", "it got %s" % names(worker.got))
    mmi_judged(t, "mmi.namespace.not-implemented", code == b"501", "'501' for 'mmi.echo'",
               said(code))

