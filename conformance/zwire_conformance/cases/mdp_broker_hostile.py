"""Majordomo, the implementation as the broker: malformed messages.  Every `acceptable`
vector of vectors/mdp/*.json whose frames no layout of either version takes (a broker that
speaks both must find each malformed) is sent once by a client and once by a registered
worker, one case each; a vector that is no frame at all cannot be sent (a ZMTP message has
one frame or more), and one frame list that several files hold is one case, named by its
first vector.

Every layout binds its sender; the broker's rule for a malformed message is a SHOULD
("The broker SHOULD respond to invalid messages by dropping them and treating that peer as
invalid", mdp01.broker.drop-invalid, mdp02.broker.drop-invalid: spec/leniency.md's Mdp
rows are `acceptable`), so what the broker does with one is reported (INFO), never judged
(DECISIONS M7, M2-10).  What is judged is what the broker itself sends (the wire checks of
majordomo.py), and the robustness axis asks after each case whether a new worker and a new
client are still served.
"""

import collections
import json
import os

from zwire_codec import mdp as M

from .. import words
from ..case import CASES, Case
from ..majordomo import V01, V02, Majordomo, describe, names
from ..runner import ROOT
from .mdp_broker import SERVICE

VECTOR_FILES = ("mdp01_test.json", "mdp02_test.json", "mdp_any_test.json")
FILE_VERSION = {"mdp01_test.json": V01, "mdp02_test.json": V02}
INPUT_CLASSES = ("MdpHeader", "MdpCommand", "MdpServiceName", "MdpDelimiter",
                 "MdpMissingFrame", "MdpExtraFrame")

Vector = collections.namedtuple("Vector", "frames ids comment clauses input_class version")


def malformed(frames):
    try:
        M.decode(frames, M.ANY, M.ANY)
        return False
    except M.MdpError:
        return True


def vectors(root=ROOT):
    """The malformed vectors, one per distinct non-empty frame list, in file order."""
    found = collections.OrderedDict()
    for name in VECTOR_FILES:
        with open(os.path.join(root, "vectors", "mdp", name)) as f:
            data = json.load(f)
        for group in data["testGroups"]:
            for test in group["tests"]:
                frames = tuple(bytes.fromhex(x) for x in test["input"])
                if test["result"] != "acceptable" or not frames or not malformed(frames):
                    continue
                stem = name[:-len("_test.json")].replace("_", "")
                entry = found.setdefault(frames, {"ids": [], "clauses": [], "file": name,
                                                  "comment": test["comment"],
                                                  "class": klass(test)})
                entry["ids"].append("%s-%d" % (stem, test["tcId"]))
                entry["clauses"] += [c for c in test["clauses"] if c not in entry["clauses"]]
    return [Vector(list(frames), e["ids"], e["comment"], e["clauses"], e["class"],
                   FILE_VERSION.get(e["file"]) or (V01 if frames[0] == b"" else V02))
            for frames, e in found.items()]


def klass(test):
    """The vector's input class of spec/leniency.md (its Mdp flag)."""
    return next(f for f in test["flags"] if f in INPUT_CLASSES)


def serve(net, workers, client, seconds=2.0):
    """Every worker answers each REQUEST it gets ('re: ' and its first body frame) until the
    client has the answer to its request 'after'; True if it came."""
    answered = set()

    def done():
        for worker in workers:
            for request in worker.requests():
                if id(request) not in answered:
                    answered.add(id(request))
                    worker.answer(request, [b"re: " + (request.body[0] if request.body else b"")])
        return any(g.body == [b"re: after"] for g in client.got)
    return net.wait(done, seconds)


def given(got):
    return "; ".join(describe(g.message, "REPLY") if g.message else words.frames(g.frames)
                     for g in got) or "nothing"


def from_client(t):
    """A client sends the vector, then a well-formed request on the same connection (the
    barrier: the broker reads one connection in order)."""
    vector = t.case.vector
    net = Majordomo(t)
    worker = net.worker(SERVICE)
    client = net.client()
    what = "a client sent %s (%s)" % (words.frames(vector.frames), vector.comment)
    client.hostile(vector.frames, vector.input_class, what)
    client.request(SERVICE, [b"after"])
    served = serve(net, [worker], client)
    forwarded = [r for r in worker.requests() if r.body != [b"after"]]
    answers = [g for g in client.got if g.body != [b"re: after"]]
    t.answer(vector.input_class, what, happened=(
        "the worker got %s of it; the client got %s in answer; its next request %s"
        % (given(forwarded), given(answers), "was served" if served
           else "was not served within 2 s (%s)" % names(client.got))))


def from_worker(t):
    """A registered worker sends the vector; then a second worker registers and a client
    asks for the service (the barrier: its answer, from whichever worker got it)."""
    vector = t.case.vector
    net = Majordomo(t)
    sender = net.worker(SERVICE, label="sender")
    since = len(sender.got)
    what = "a registered worker sent %s (%s)" % (words.frames(vector.frames), vector.comment)
    sender.hostile(vector.frames, vector.input_class, what)
    second = net.worker(SERVICE, label="second")
    client = net.client()
    client.request(SERVICE, [b"after"])
    served = serve(net, [sender, second], client)
    net.quiet(0.05)
    took = "the sender" if sender.requests() else "the second worker" if second.requests() \
        else "no worker"
    t.answer(vector.input_class, what, happened=(
        "it sent the sender %s; the next request went to %s%s; the client got %s"
        % (names(sender.got[since:]), took, "" if served else ", and was not answered in 2 s",
           given(client.got))))


def register():
    """One case per vector and sender."""
    for vector in vectors():
        for sender, fn in (("client", from_client), ("worker", from_worker)):
            slug = "mdp.hostile.%s.%s" % (sender, vector.ids[0])
            title = "A %s sends %s%s: %s" % (
                "client" if sender == "client" else "registered worker", vector.ids[0],
                " (also %s)" % ", ".join(vector.ids[1:]) if vector.ids[1:] else "",
                vector.comment)
            case_ = Case(slug, None, fn, "mdp.hostile", title, vector.clauses,
                         {"protocol": "mdp", "role": "broker", "mdp": [vector.version]},
                         [vector.input_class])
            case_.version, case_.timers, case_.vector = vector.version, {}, vector
            CASES.append(case_)


register()
