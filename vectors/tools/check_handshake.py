#!/usr/bin/python3
"""check_handshake.py — the Python checker of the whole-connection vectors: test groups of
type `curve-handshake` (26/CurveZMQ over 25/ZMTP-CURVE) and `plain-handshake` (24/ZMTP-PLAIN),
vectors/FORMAT.md "Handshakes".  check.py calls it for those two types; run alone, it checks
the files given (default: vectors/zmtp/{curve,plain}_handshake_test.json) and prints one line
per vector that does not agree.

It is the second implementation the contract asks for, written from FORMAT.md, 26/CurveZMQ,
24/ZMTP-PLAIN and spec/curve.md / spec/plain.md, on the suite's own state objects
(conformance/zwire_codec: curvezmq.CurveClient / CurveServer, plain_handshake.PlainClient /
PlainServer, both on python3-nacl or the standard library), never on codec/ or reference/.

A CURVE vector, step by step as FORMAT.md words it:
  1. every publicKey is the X25519 public key of its secretKey, every Z85 text the Z85 of its
     key (32/Z85, DECISIONS S9);
  2. a client from (C, c) knowing S, a server from (S, s); each draws its random values
     through one source (the state objects' `random` hook) that the checker arms, step by
     step, with the vector's values: c' while the client is made, s', K, the cookie nonce and
     the WELCOME nonce while the server makes WELCOME (in the order curvezmq.py documents),
     the vouch nonce while the client makes INITIATE.  A draw at any other step, of another
     size, or a value armed and not drawn, is a problem: the contract says when each is drawn;
  3. each command in turn is made by its sender, compared octet for octet with the vector's
     (and its `from`, `name`), then handed to the other side, which must take it and find the
     inputs: C' in HELLO; S' and the cookie (its nonce) in WELCOME; C, s' (from the cookie)
     and client.metadata in INITIATE; server.metadata in READY; the reason in ERROR; the
     flags and data of each MESSAGE;
  4. C' and S' (the sides' own, and each side's view of the other's) against transientKeys.
A tampered vector (`deliver` present): the commands before `deliver.at` as above; then
`deliver.body` goes to side `deliver.to`, which must refuse it.

The report is the one check.py compares with `expected` ({"state", "error", "transientKeys",
"commands"}); the error carries the clause named, which must be one of the vector's clauses.
Two words of the state objects are translated into the contract's (FORMAT.md, "Checking a
tampered vector"), each by a fixed rule that never looks at the vector:
  - class: curvezmq.py refuses a short nonce not above the last as `invalid-sequence` (the
    suite's finer session class); FORMAT.md and spec/leniency.md (CurveClientNonce,
    CurveServerNonce) put it in `cryptographic`;
  - clause: the contract names "the receiver's check first".  Where a box, the cookie or the
    vouch does not open (or opens to what is not this connection's), the clause named is the
    receiver's check of that command (curve.server.check-hello, curve.client.check-welcome,
    curve.server.check-initiate, curve.client.check-ready, curve.message.check); curvezmq.py
    names the last four itself, and for HELLO cites the sender rule the box breaks,
    curve.hello.signature-box (the suite's cases key on it).  Every other refusal (a layout,
    a nonce, MESSAGE flags, metadata) keeps the clause the state object cites.
"""

import argparse
import glob
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "conformance"))

from zwire_codec import curvezmq as cz  # noqa: E402
from zwire_codec import plain_handshake as ph  # noqa: E402
from zwire_codec.handshake import (BOX, CONTENT, COOKIE, CRYPTOGRAPHIC,  # noqa: E402
                                   INVALID_SEQUENCE, NONCE, VOUCH, WRONG_SERVER_KEY,
                                   HandshakeError, command_name)
from zwire_codec.z85 import z85_encode  # noqa: E402

TYPES = ("curve-handshake", "plain-handshake")

# The receiver's check of each CURVE command (spec/curve.md), named for a box that does
# not open or opens to what is not this connection's.
RECEIVER_CHECK = {"HELLO": "curve.server.check-hello", "WELCOME": "curve.client.check-welcome",
                  "INITIATE": "curve.server.check-initiate",
                  "READY": "curve.client.check-ready", "MESSAGE": "curve.message.check"}
BOX_KINDS = (WRONG_SERVER_KEY, CONTENT, BOX, COOKIE, VOUCH)


class CheckerError(Exception):
    """A step the contract fixes went otherwise (a random draw out of place, a refusal of
    a genuine command): the run stops there."""


def contract_class(error):
    """FORMAT.md's class of a HandshakeError: a short nonce not above the last is
    `cryptographic` there (the state objects say `invalid-sequence`)."""
    if error.cls == INVALID_SEQUENCE and error.kind == NONCE:
        return CRYPTOGRAPHIC
    return error.cls


def contract_clause(error, name):
    """The clause the checker names for a refusal of command `name` (FORMAT.md: the
    receiver's check first): see the module header."""
    if error.kind in BOX_KINDS and name in RECEIVER_CHECK:
        return RECEIVER_CHECK[name]
    return error.clause


def first_difference(made, want):
    """Where two octet strings part: 'at octet N' or the sizes."""
    for i, (a, b) in enumerate(zip(made, want)):
        if a != b:
            return "at octet %d (0x%02x, the vector 0x%02x)" % (i, a, b)
    return "in size (%d octets, the vector %d)" % (len(made), len(want))


def props(items):
    """A vector's metadata [{"name", "value": HEX}] as [(name, octets)]."""
    return [(p["name"], bytes.fromhex(p["value"])) for p in items]


class Draws:
    """The random source of one side: it hands out only the values armed for the step under
    way, in order, each of the size the side asks for."""

    def __init__(self, role):
        self.role, self.step, self.queue = role, "start", []

    def arm(self, step, *values):
        self.step, self.queue = step, list(values)

    def __call__(self, size):
        if not self.queue:
            raise CheckerError("the %s drew %d random octets while %s, where the contract "
                               "injects nothing" % (self.role, size, self.step))
        name, value = self.queue.pop(0)
        if len(value) != size:
            raise CheckerError("the %s drew %d random octets while %s where the contract "
                               "injects %s (%d octets)" % (self.role, size, self.step, name,
                                                          len(value)))
        return value

    def done(self):
        if self.queue:
            raise CheckerError("the %s did not draw %s while %s" % (
                self.role, ", ".join(n for n, _ in self.queue), self.step))
        self.step = "idle"


class Run:
    """One connection being replayed: the report so far and the problems found."""

    def __init__(self, test, transient_keys=False):
        self.test = test
        self.want = test["expected"].get("commands", [])
        self.commands = []
        self.problems = []
        self.error = None           # {"class", "clause", "offset"} once a side refused
        self.transient_keys = {} if transient_keys else None

    def report(self):
        out = {"state": "error" if self.error else "complete", "error": self.error,
               "commands": self.commands}
        if self.transient_keys is not None:
            out["transientKeys"] = self.transient_keys
        return out

    def same(self, what, got, want):
        if got != want:
            self.problems.append("%s: %r, the vector %r" % (what, got, want))

    def sent(self, index, role, body):
        """Records command `index` made by `role` and compares it with the vector's."""
        name = command_name(body)
        self.commands.append({"from": role, "name": name, "body": body.hex()})
        if index >= len(self.want):
            self.problems.append("command %d (%s from the %s): the vector lists no such "
                                 "command" % (index, name, role))
            return
        want = self.want[index]
        if (want.get("from"), want.get("name")) != (role, name):
            self.problems.append("command %d: %s from the %s, the vector %s from the %s" % (
                index, name, role, want.get("name"), want.get("from")))
        wanted = bytes.fromhex(want.get("body", ""))
        if body != wanted:
            self.problems.append("command %d (%s from the %s) differs from the vector's %s" % (
                index, name, role, first_difference(body, wanted)))

    def refused(self, index, error, name, genuine):
        self.error = {"class": contract_class(error), "clause": contract_clause(error, name),
                      "offset": index}
        if genuine:
            self.problems.append("command %d (%s) refused by its receiver: %s (%s)" % (
                index, name, error, error.cls))


def take(run, index, receiver, body, genuine=True):
    """Hands `body` to `receiver`: (name, what it carries), or None once it is refused."""
    try:
        return receiver.open(body)
    except HandshakeError as error:
        run.refused(index, error, command_name(body), genuine)
        return None


# --- curve-handshake ----------------------------------------------------------------------

def check_keys(run, side, data):
    """FORMAT.md step 1: the public key is its secret's, the Z85 texts are the keys'."""
    public, secret = bytes.fromhex(data["publicKey"]), bytes.fromhex(data["secretKey"])
    if cz.public_of(secret) != public:
        run.problems.append("input: %s.publicKey is not the public key of %s.secretKey"
                            % (side, side))
    for field, key in (("publicKeyZ85", public), ("secretKeyZ85", secret)):
        if z85_encode(key).decode("ascii") != data[field]:
            run.problems.append("input: %s.%s is not the Z85 text of the key" % (side, field))
    return public, secret


def curve_steps(data):
    """[(index, sender, name)] of the whole exchange the input describes."""
    steps = [(0, "client", "HELLO"), (1, "server", "WELCOME"), (2, "client", "INITIATE"),
             (3, "server", "ERROR" if "error" in data["server"] else "READY")]
    if "error" not in data["server"]:
        steps += [(4 + i, m["from"], "MESSAGE") for i, m in enumerate(data["messages"])]
    return steps


def check_curve(test):
    """(report, problems) of one curve-handshake vector."""
    data = test["input"]
    cin, sin = data["client"], data["server"]
    run = Run(test, transient_keys=True)
    client_public, client_secret = check_keys(run, "client", cin)
    server_public, server_secret = check_keys(run, "server", sin)
    c_transient = bytes.fromhex(cin["transientSecretKey"])
    s_transient = bytes.fromhex(sin["transientSecretKey"])
    draws = {"client": Draws("client"), "server": Draws("server")}
    deliver = data.get("deliver")
    try:
        draws["client"].arm("being made", ("c'", c_transient))
        client = cz.CurveClient(server_public, client_public, client_secret,
                                metadata=props(cin["metadata"]), random=draws["client"])
        draws["client"].done()
        server = cz.CurveServer(server_secret, server_public, metadata=props(sin["metadata"]),
                                random=draws["server"])
        sides = {"client": (client, server), "server": (server, client)}
        steps = curve_steps(data)
        stop = deliver["at"] if deliver else len(steps)
        if stop > len(steps):
            raise CheckerError("deliver.at %d is past the exchange's %d commands"
                               % (stop, len(steps)))
        messages = iter(data["messages"])
        for index, role, name in steps[:stop]:
            sender, receiver = sides[role]
            message = next(messages) if name == "MESSAGE" else None
            body = curve_make(draws[role], sender, name, index, data, message)
            run.sent(index, role, body)
            taken = take(run, index, receiver, body)
            if taken is None:
                break
            curve_found(run, index, name, taken, client, server, message, data)
        if deliver and run.error is None:
            curve_deliver(run, deliver, steps, sides)
        curve_transients(run, client, server, c_transient, s_transient)
    except CheckerError as exc:
        run.problems.append(str(exc))
    return run.report(), run.problems


def curve_make(draws, sender, name, index, data, message):
    """Command `name` made by `sender`, its random values armed from the vector."""
    cin, sin = data["client"], data["server"]
    if name == "WELCOME":
        draws.arm("making WELCOME", ("s'", bytes.fromhex(sin["transientSecretKey"])),
                  ("K", bytes.fromhex(sin["cookieKey"])),
                  ("cookieNonce", bytes.fromhex(sin["cookieNonce"])),
                  ("welcomeNonce", bytes.fromhex(sin["welcomeNonce"])))
    elif name == "INITIATE":
        draws.arm("making INITIATE", ("vouchNonce", bytes.fromhex(cin["vouchNonce"])))
    else:
        draws.arm("making %s (command %d)" % (name, index))
    body = {"HELLO": lambda: sender.make_hello(),
            "WELCOME": lambda: sender.make_welcome(),
            "INITIATE": lambda: sender.make_initiate(),
            "READY": lambda: sender.make_ready(),
            "ERROR": lambda: sender.make_error(bytes.fromhex(sin["error"])),
            "MESSAGE": lambda: sender.make_message(bytes.fromhex(message["data"]),
                                                   flags=message["flags"])}[name]()
    draws.done()
    return body


def curve_found(run, index, name, taken, client, server, message, data):
    """What the receiver of command `index` must have found in it (FORMAT.md step 3)."""
    cin, sin = data["client"], data["server"]
    got_name, value = taken
    what = "command %d (%s): " % (index, name)
    run.same(what + "opened as", got_name, name)
    if name == "HELLO":
        run.same(what + "C' the server found", server.client_transient.hex(),
                 cz.public_of(bytes.fromhex(cin["transientSecretKey"])).hex())
    elif name == "WELCOME":
        run.same(what + "S' the client found", client.server_transient.hex(),
                 cz.public_of(bytes.fromhex(sin["transientSecretKey"])).hex())
        run.same(what + "the cookie's nonce", client.cookie[:16].hex(), sin["cookieNonce"])
        run.same(what + "the cookie's size", len(client.cookie), 96)
    elif name == "INITIATE":
        run.same(what + "C the server found", server.client_key.hex(), cin["publicKey"])
        run.same(what + "s' the server took from the cookie", server.transient_secret.hex(),
                 sin["transientSecretKey"])
        run.same(what + "the client's metadata", value, props(cin["metadata"]))
    elif name == "READY":
        run.same(what + "the server's metadata", value, props(sin["metadata"]))
    elif name == "ERROR":
        run.same(what + "the reason", value.hex(), sin["error"])
    elif name == "MESSAGE":
        run.same(what + "flags and data", (value[0], value[1].hex()),
                 (message["flags"], message["data"]))


def curve_deliver(run, deliver, steps, sides):
    """FORMAT.md: deliver.body to side deliver.to in place of command deliver.at."""
    at, to = deliver["at"], deliver["to"]
    if at < len(steps) and steps[at][0] == at:
        sender = steps[at][1]
        if sides[sender][1] is not sides[to][0]:
            run.problems.append("deliver.to is the %s, but command %d (%s) is the %s's to "
                                "send" % (to, at, steps[at][2], sender))
    body = bytes.fromhex(deliver["body"])
    if take(run, at, sides[to][0], body, genuine=False) is not None:
        run.problems.append("the %s took the tampered command %d (%s)"
                            % (to, at, command_name(body)))


def curve_transients(run, client, server, c_transient, s_transient):
    """FORMAT.md step 4: C' and S' as the report states them, and each side's own."""
    c_public, s_public = cz.public_of(c_transient), cz.public_of(s_transient)
    run.same("C' the client made", client.transient_public.hex(), c_public.hex())
    if server.transient_public is not None:
        run.same("S' the server made", server.transient_public.hex(), s_public.hex())
    run.transient_keys.update({"client": client.transient_public.hex(),
                               "server": (server.transient_public or s_public).hex()})


# --- plain-handshake ----------------------------------------------------------------------

def plain_steps(data):
    after = data["server"].get("error", {}).get("after")
    steps = [(0, "client", "HELLO"), (1, "server", "ERROR" if after == "HELLO" else "WELCOME")]
    if after != "HELLO":
        steps += [(2, "client", "INITIATE"),
                  (3, "server", "ERROR" if after == "INITIATE" else "READY")]
    return steps


def check_plain(test):
    """(report, problems) of one plain-handshake vector."""
    data = test["input"]
    cin, sin = data["client"], data["server"]
    run = Run(test)
    client = ph.PlainClient(bytes.fromhex(cin["username"]), bytes.fromhex(cin["password"]),
                            metadata=props(cin["metadata"]))
    server = ph.PlainServer(metadata=props(sin["metadata"]))
    sides = {"client": (client, server), "server": (server, client)}
    for index, role, name in plain_steps(data):
        sender, receiver = sides[role]
        body = {"HELLO": client.make_hello, "WELCOME": server.make_welcome,
                "INITIATE": client.make_initiate, "READY": server.make_ready,
                "ERROR": lambda: server.make_error(bytes.fromhex(sin["error"]["reason"]))
                }[name]()
        run.sent(index, role, body)
        taken = take(run, index, receiver, body)
        if taken is None:
            break
        got_name, value = taken
        what = "command %d (%s): " % (index, name)
        run.same(what + "opened as", got_name, name)
        want = {"HELLO": (cin["username"], cin["password"]),
                "INITIATE": props(cin["metadata"]), "READY": props(sin["metadata"]),
                "ERROR": sin.get("error", {}).get("reason")}
        if name == "HELLO":
            value = (value[0].hex(), value[1].hex())
        elif name == "ERROR":
            value = value.hex()
        if name in want:
            run.same(what + "what the %s found" % receiver.role, value, want[name])
    return run.report(), run.problems


def check(group_type, test):
    """(report, problems) of one vector of a handshake group type."""
    if group_type == "curve-handshake":
        return check_curve(test)
    if group_type == "plain-handshake":
        return check_plain(test)
    raise ValueError("not a handshake group type: %r" % group_type)


def judge(report, test):
    """Problems of a report against the vector: its state, error and transient keys, the
    commands (the first that differs, not the whole dump), the clause among `clauses`."""
    expected, problems = test["expected"], []
    error = dict(report["error"]) if report["error"] else None
    clause = error.pop("clause", None) if error else None
    for field in ("state", "transientKeys"):
        if field in expected or field in report:
            if report.get(field) != expected.get(field):
                problems.append("%s %s, the vector %s" % (field, json.dumps(report.get(field)),
                                                          json.dumps(expected.get(field))))
    if error != expected.get("error"):
        problems.append("error %s, the vector %s" % (json.dumps(error),
                                                      json.dumps(expected.get("error"))))
    if report["commands"] != expected.get("commands"):
        problems.append("the commands made and taken are not the vector's (%d, the vector %d)"
                        % (len(report["commands"]), len(expected.get("commands", []))))
    if clause is not None and clause not in test["clauses"]:
        problems.append("names clause %r, not among the vector's %s" % (clause, test["clauses"]))
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", help="vector files (default: the two handshake "
                        "files of vectors/zmtp)")
    args = parser.parse_args()
    files = args.files or sorted(glob.glob(os.path.join(ROOT, "vectors", "zmtp",
                                                        "*_handshake_test.json")))
    total = bad = 0
    for path in files:
        with open(path) as f:
            doc = json.load(f)
        for group in doc["testGroups"]:
            if group["type"] not in TYPES:
                continue
            for test in group["tests"]:
                report, problems = check(group["type"], test)
                problems += judge(report, test)
                total += 1
                if problems:
                    bad += 1
                    print("DISAGREE %s tcId %s:" % (os.path.relpath(path, ROOT), test["tcId"]))
                    for p in problems:
                        print("    " + p)
    print("handshake vectors: %d checked, %d agree, %d disagree" % (total, total - bad, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
