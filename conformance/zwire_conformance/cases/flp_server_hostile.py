"""Freelance (10/FLP), the implementation as the server: hostile input.  Every `acceptable`
vector of vectors/flp/flp_test.json travelling to a server (a message of one frame that is
not exactly PING: a request cut short, DECISIONS F3) is sent by a client, one case each; a
vector of no frame at all cannot be sent (a ZMTP message has one frame or more).  Then
what is below FLP: a frame with reserved flag bits, a frame announcing 2^63 octets, a
request cut short by the client's close, and clients whose own socket breaks the RFC (a
DEALER, an Identity).

The layouts bind the sender, and the RFC names no action of a server that receives a
malformed message (spec/leniency.md's FlpMissingFrame row is `acceptable`; a zwire server
drops it, logs it and sends nothing back, DECISIONS F5), so what the server does is
reported (INFO), never judged.  Each case first shows that the same connection's PING and
request are answered (the control: a server that serves nobody is NOT-EXERCISED here,
never reported as tolerant), sends the input, then asks once more on the sender's
connection and on a client's beside it, and says what came back.  What is judged is what
the server itself sends (the wire checks of freelance.py), and the robustness axis asks
after each case whether a new client's request is still answered.
"""

import collections
import json
import os

from zwire_codec import flp as F

from .. import wire
from .. import words
from ..case import CASES, Case
from ..freelance import Freelance, names, server_case
from ..runner import ROOT, _exited

VECTOR_FILE = "flp_test.json"
INPUT_CLASS = "FlpMissingFrame"

Vector = collections.namedtuple("Vector", "frames ids comment clauses")


def malformed(frames):
    try:
        F.decode(frames, F.TO_SERVER)
        return False
    except F.FlpError:
        return True


def vectors(root=ROOT):
    """The malformed to-server vectors, one per distinct non-empty frame list, in order."""
    found = collections.OrderedDict()
    with open(os.path.join(root, "vectors", "flp", VECTOR_FILE)) as f:
        data = json.load(f)
    for group in data["testGroups"]:
        if (group.get("params") or {}).get("direction") != F.TO_SERVER:
            continue
        for test in group["tests"]:
            frames = tuple(bytes.fromhex(x) for x in test["input"])
            if test["result"] != "acceptable" or not frames or not malformed(frames):
                continue
            entry = found.setdefault(frames, {"ids": [], "clauses": [],
                                              "comment": test["comment"]})
            entry["ids"].append("flp-%d" % test["tcId"])
            entry["clauses"] += [c for c in test["clauses"] if c not in entry["clauses"]]
    return [Vector(list(frames), e["ids"], e["comment"], e["clauses"])
            for frames, e in found.items()]


# --- the steps every hostile case shares ---------------------------------------------------------

def control(t, net, client):
    """The control: the client's PING and its request (CCF 'control') are answered, on the
    connection the hostile input will take.  The ping's answer is whatever else comes (its
    layout is judged by the wire checks and the ping cases, not here)."""
    since = len(client.got)
    client.ping()
    client.request(b"control", [b"before"])

    def both():
        got = client.got[since:]
        return (any(g.ccf == b"control" for g in got)
                and any(g.ccf != b"control" for g in got))
    ok = net.wait(lambda: both() or not client.open, 2.0) and both()
    return t.control(ok, "a PING and a request (CCF 'control') on %s are both answered"
                     % client.label, happened="it sent %s" % names(client.got[since:]))


def aftermath(net, sender, before, beside=None):
    """After the hostile input: the sender asks again (CCF 'after', if its connection is
    open), and the client beside it too (CCF 'beside'); what came back, in words."""
    if sender is not None and sender.open:
        sender.request(b"after", [b"after"])
    if beside is not None:
        beside.request(b"beside", [b"beside"])

    def done():
        return ((sender is None or not sender.open or sender.replies(b"after"))
                and (beside is None or not beside.open or beside.replies(b"beside")))
    net.wait(done, 2.0)
    net.quiet(0.1)
    if any(c.conn.closed_by_peer for c in net.clients):
        # a server that closed connections may be on its way out: its exit shows in a
        # moment, and a death during the case is the runner's ADAPTER-ERROR
        _exited(net.t.adapter, 0.2)
    parts = []
    if sender is not None:
        answer = [g for g in sender.got[before:] if g.ccf != b"after"]
        parts.append("in answer it sent %s" % names(answer))
        if sender.replies(b"after"):
            parts.append("it answered the next request on that connection")
        elif not sender.open:
            parts.append("the connection ended: %s" % sender.conn.describe())
        else:
            parts.append("the next request on that connection got no answer within 2 s (%s)"
                         % sender.conn.describe())
    if beside is not None:
        parts.append("the client beside %s" % (
            "was answered" if beside.replies(b"beside")
            else "got no answer within 2 s (%s)" % beside.conn.describe()))
    return "; ".join(parts)


# --- malformed FLP messages (the golden vectors) -------------------------------------------------

def from_client(t):
    """A client shows its PING and request answered, sends the vector, then asks again; a
    client beside it asks too."""
    vector = t.case.vector
    net = Freelance(t)
    sender = net.client(label="sender")
    beside = net.client(label="beside")
    control(t, net, sender)
    what = "a client sent %s (%s)" % (words.frames(vector.frames), vector.comment)
    before = sender.hostile(vector.frames, INPUT_CLASS, what)
    t.answer(INPUT_CLASS, what, happened=aftermath(net, sender, before, beside))


def register():
    """One case per vector."""
    for vector in vectors():
        slug = "fl.server.hostile.%s" % vector.ids[0]
        title = "A client sends %s%s: %s" % (
            vector.ids[0], " (also %s)" % ", ".join(vector.ids[1:]) if vector.ids[1:] else "",
            vector.comment)
        case_ = Case(slug, None, from_client, "fl.server.hostile", title, vector.clauses,
                     {"protocol": "flp", "role": "server", "zmtp": None}, [INPUT_CLASS])
        case_.timers, case_.vector = {}, vector
        CASES.append(case_)


register()


# --- below FLP: ZMTP octets ----------------------------------------------------------------------

@server_case("fl.server.hostile.reserved-flags", "fl.server.hostile",
             "A client sends a request whose first frame has a reserved flag bit set (0x80)",
             ["zmtp31.frame.flags-reserved"], inputs=["ReservedFlags"])
def _(t):
    net = Freelance(t)
    sender, beside = net.client(label="sender"), net.client(label="beside")
    control(t, net, sender)
    octets = wire.frame(b"r", more=True, flags_extra=0x80) + wire.frame(b"reserved")
    what = "a request ['r', 'reserved'] whose first frame's flags are 0x81"
    before = len(sender.got)
    t.hostile(sender.conn, octets, "ReservedFlags", what)
    t.answer("ReservedFlags", what, happened=aftermath(net, sender, before, beside))


@server_case("fl.server.hostile.size-overflow", "fl.server.hostile",
             "A client sends a frame whose long size has its top bit set (2^63 octets and "
             "more), then nothing",
             ["zmtp31.frame.long-size"], inputs=["SizeOverflow"])
def _(t):
    net = Freelance(t)
    sender, beside = net.client(label="sender"), net.client(label="beside")
    control(t, net, sender)
    octets = bytes([0x02]) + (1 << 63).to_bytes(8, "big") + b"x" * 16
    what = "a frame announcing 2^63 octets (the long size's top bit set), 16 of them sent"
    before = len(sender.got)
    t.hostile(sender.conn, octets, "SizeOverflow", what)
    t.answer("SizeOverflow", what, happened=aftermath(net, None, before, beside)
             + "; on the sender's connection %s" % sender.conn.describe())


@server_case("fl.server.hostile.close-mid-message", "fl.server.hostile",
             "A client sends a request's CCF frame (MORE) and 10 of the 100 octets of its body "
             "frame, then closes: the server serves the others",
             ["flp.grammar.request"])
def _(t):
    net = Freelance(t)
    sender, beside = net.client(label="sender"), net.client(label="beside")
    control(t, net, sender)
    octets = wire.frame(b"cut", more=True) + bytes([0x00, 100]) + b"0123456789"
    what = "a request cut short by the client's close: its CCF frame 'cut' (MORE), then 10 " \
           "of the 100 octets of its body frame"
    t.hostile(sender.conn, octets, [], what)
    sender.conn.close()
    t.observe("flp.grammar.request", what, happened=aftermath(net, None, 0, beside))


# --- clients whose socket breaks the RFC ---------------------------------------------------------

def served(t, net, client):
    """A client pings and asks (CCF 'odd'): what it got, in words."""
    since = len(client.got)
    client.ping()
    client.request(b"odd", [b"odd"])
    net.wait(lambda: client.replies(b"odd", since) or not client.open, 2.0)
    net.quiet(0.1)
    return "%s: it sent %s" % ("its request was answered" if client.replies(b"odd", since)
                               else "its request got no answer within 2 s",
                               names(client.got[since:]))


@server_case("fl.server.hostile.dealer-client", "fl.server.hostile",
             "A client whose READY says DEALER (clients use ROUTER sockets) pings and asks",
             ["flp.peer.router"])
def _(t):
    net = Freelance(t)
    control(t, net, net.client(label="control"))
    what = "a client's READY says Socket-Type DEALER"
    client = net.client(label="dealer", socket_type="DEALER",
                        hostile=("flp.peer.router", what))
    t.observe("flp.peer.router", what, happened=served(t, net, client))


@server_case("fl.server.hostile.client-identity", "fl.server.hostile",
             "A client whose READY carries an Identity (clients set none) pings and asks",
             ["flp.client.no-identity"])
def _(t):
    net = Freelance(t)
    control(t, net, net.client(label="control"))
    what = "a client's READY carries Identity 'suite-client'"
    client = net.client(label="identity", identity=b"suite-client",
                        hostile=("flp.client.no-identity", what))
    t.observe("flp.client.no-identity", what, happened=served(t, net, client))
