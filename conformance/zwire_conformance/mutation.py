"""Mutation testing of the suite, both ways: does it catch a peer that breaks the RFCs
(sensitivity), and does it leave alone a peer that departs from zwire's choices the way the
RFCs allow (specificity)?

The reference peer carries deliberate variants (reference/core/zw_fault.c), and so do the
reference roles above ZMTP (reference/mdp/mdp_fault.c: the Majordomo broker, worker and
client; reference/flp/flp_fault.c: the Freelance server and client), each switched on by
naming it in the environment and each run against its own role's suite only (`zwire
adapter` for the peer's, `zwire-mdp-broker`, ..., `zwire-fl-server`, `zwire-fl-client`).
A *fault* (ZWIRE_FAULT) breaks an RFC rule, and is *caught* when a case that did not fail
on the plain implementation fails now (FAIL), or, the suite being run with --strict, drops
from PASS to PASS-NONSTRICT (a SHOULD the faulty peer no longer meets).  A fault of a MAY
(an INFO at worst: flp-client-stale-reply, DECISIONS F9) is caught when a case that PASSed
on the plain implementation turns INFO on an expectation citing the fault's clause.  Cases
citing the clause the fault breaks run first; only if none of them catches it does the
whole suite run.  A fault of a SHOULD or MAY always runs the whole suite (see below).  A
*lenient variant* (ZWIRE_LENIENT) tolerates what the RFCs leave to the receiver: the whole
suite runs against it, and any FAIL the plain peer does not have is a false accusation.  A
lenient variant must also be *told apart*: some case must see it act otherwise than the
plain peer (keep a connection open, answer, send another command or message, send one
reply more), else it is a no-op and proves nothing.

A fault that breaks only a SHOULD (or a MAY) should draw PASS-NONSTRICT (or INFO): where it
also draws a FAIL, that FAIL cites some other MUST-class clause, and either the fault
really breaks that clause too or a case accuses more than the RFC does.  Such faults are
listed (`overAccusing` in mutation.json: "also FAILed under X, Y: check those cases accuse
truly") and fail the run.

The variants of the ZMTP peer and those of the roles above ZMTP run in two lanes at once
(--lanes 2, the default; each suite mostly waits on the wire and on timers), each lane one
variant after the other, and a lane that has run its own takes the other's last ones;
--lanes 1 runs them all in turn.  Each line printed ends with the variant's seconds, the
summary with the whole run's.

Writes build/reports/mutation.json and prints a line per variant.  Exit status: 0 when
every fault is caught, no lenient variant is accused, every one is told apart, no fault of
a SHOULD over-accuses and the plain peer has no FAIL, 1 otherwise, 2 on a harness error.

    /usr/bin/python3 -m zwire_conformance.mutation [--fault NAME]... [--timeout-multiplier X]
                                                   [--lanes 1|2]
"""

import argparse
import collections
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import threading
import time

from . import verdict as V
from .freelance import kind as flp_kind
from .runner import load_registry

HERE = os.path.dirname(os.path.abspath(__file__))
CONFORMANCE = os.path.dirname(HERE)
ROOT = os.path.dirname(CONFORMANCE)
FAULTS_SOURCE = os.path.join(ROOT, "reference", "core", "zw_fault.c")
# The Majordomo roles' variants, each run against its role's suite.
MDP_FAULTS_SOURCE = os.path.join(ROOT, "reference", "mdp", "mdp_fault.c")
MDP_ROLES = {"BROKER": "zwire-mdp-broker", "WORKER": "zwire-mdp-worker", "CLIENT": "zwire-mdp-client"}
# The Freelance roles' variants, likewise.
FLP_FAULTS_SOURCE = os.path.join(ROOT, "reference", "flp", "flp_fault.c")
FLP_ROLES = {"SERVER": "zwire-fl-server", "CLIENT": "zwire-fl-client"}

BAD = {"FAIL": 2, "PASS-NONSTRICT": 1}

ENTRY = r'=\s*\{\s*"([a-z0-9-]+)",\s*(FAULT|LENIENT),\s*"([a-z0-9.-]+)"%s\s*\}'


def variants():
    """[(name, kind, clause, implementation)] as the tables declare them (each is the one
    source): zw_fault.c's run against `zwire` (the ZMTP suite), mdp_fault.c's and
    flp_fault.c's against their role's suite.  kind is FAULT or LENIENT."""
    with open(FAULTS_SOURCE) as f:
        out = [(n, k, c, "zwire") for n, k, c in re.findall(ENTRY % "", f.read())]
    for source, roles in ((MDP_FAULTS_SOURCE, MDP_ROLES), (FLP_FAULTS_SOURCE, FLP_ROLES)):
        with open(source) as f:
            out += [(n, k, c, roles[r]) for n, k, c, r in re.findall(
                ENTRY % r",\s*(%s)" % "|".join(roles), f.read())]
    return out


def run_suite(report_dir, implementation, fault=None, clause=None, multiplier=1.0, kind="FAULT"):
    """Runs the suite against a shipped implementation; returns {case id: the case as
    report.json has it}."""
    env = dict(os.environ)
    env.pop("ZWIRE_FAULT", None)
    env.pop("ZWIRE_LENIENT", None)
    if fault:
        env["ZWIRE_LENIENT" if kind == "LENIENT" else "ZWIRE_FAULT"] = fault
    argv = [sys.executable, "-m", "zwire_conformance", "--implementation", implementation,
            "--strict", "-q", "--report-dir", report_dir, "--timeout-multiplier", str(multiplier)]
    if clause:
        argv += ["--clause", clause]
    done = subprocess.run(argv, cwd=CONFORMANCE, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL)
    if done.returncode in (2, 3):
        raise RuntimeError("the suite could not run (exit %d) against %s for fault %r"
                           % (done.returncode, implementation, fault))
    with open(os.path.join(report_dir, "report.json")) as f:
        return {c["id"]: c for c in json.load(f)["cases"]}


def verdicts(cases):
    return {case_id: c["verdict"] for case_id, c in cases.items()}


def killers(clean, mutated):
    """The cases whose verdict the fault made worse (see the module docstring).  A case
    that judged the plain implementation counts whether it passed or also reported what it
    may not judge (INFO: the CURVE handshake reports DECISIONS S7 and S11 beside its
    judgements); one that did not run to its judgements there does not."""
    out = []
    for case_id, verdict in mutated.items():
        before = clean.get(case_id, "PASS")
        if (BAD.get(verdict, 0) > BAD.get(before, 0)
                and before in ("PASS", "PASS-NONSTRICT", V.INFO)):
            out.append({"case": case_id, "before": before, "after": verdict})
    return out


def reported(clause, clean, mutated):
    """The cases a fault of a MAY clause turned from PASS to INFO, on an expectation citing
    that clause (a MAY broken is reported, never judged: INFO is all it can draw)."""
    out = []
    for case_id, case in mutated.items():
        if clean.get(case_id) != V.PASS or case["verdict"] != V.INFO:
            continue
        if any(e["clause"] == clause and e["verdict"] == V.INFO
               for e in case.get("expectations") or []):
            out.append({"case": case_id, "before": V.PASS, "after": V.INFO})
    return out


def over_accusing(name, clause, registry, clean, mutated):
    """The warning for a fault whose clause is not of the MUST class but which drew FAILs
    (on cases that did not FAIL on the plain peer) under MUST-class clauses, or None."""
    keyword = registry.get(clause, {}).get("keyword", "MUST")
    if V.severity(keyword) == V.FAIL:
        return None
    under, cases = set(), set()
    for case_id, case in mutated.items():
        if case["verdict"] != V.FAIL or clean.get(case_id) == V.FAIL:
            continue
        for e in case.get("expectations") or []:
            if e["verdict"] == V.FAIL and e["clause"] != clause:
                under.add(e["clause"])
                cases.add(case_id)
    if not under:
        return None
    return {"fault": name, "breaks": clause, "keyword": keyword,
            "alsoFailedUnder": sorted(under), "cases": sorted(cases),
            "warning": "also FAILed under %s: check those cases accuse truly"
                       % ", ".join(sorted(under))}


def curve_nonce_steps(frames):
    """The steps between the short nonces of the CURVE commands the implementation sent on a
    connection, in order (HELLO, INITIATE, READY and every MESSAGE, in a data or a command
    frame): 1 for a counter that adds one, as zwire's does (26/CURVEZMQ asks only for an
    incrementing integer).  WELCOME's long nonce is not one of them."""
    nonces = []
    for f in frames:
        body = f.get("body") or ""
        short = ((f.get("command") or {}).get("nonce") or "") if f.get("flags", 0) & 0x04 else ""
        if body.startswith("074d455353414745") and len(body) >= 32:     # "\x07MESSAGE"
            short = body[16:32]
        if len(short) == 16:
            nonces.append(int(short, 16))
    return sorted({b - a for a, b in zip(nonces, nonces[1:])})


def conduct(case):
    """What the implementation did on each connection of a case, leaving out times and
    octets that change from run to run (routing ids, how many PINGs): who closed it and
    whether ERROR came first, the version it spoke, the kinds of frame it sent, the error
    class where its octets stopped decoding, the steps between the CURVE short nonces it
    sent, the kinds of Majordomo message it sent, and the kinds of Freelance message it
    sent, with the most replies one CCF drew, the PONGs beyond the suite's PINGs and the
    lengths of the CCFs it sent (each the same in every run of a plain server or client)."""
    seen = {}
    for end in case.get("ending") or []:
        seen.setdefault(str(end.get("conn")), {})["ended"] = (
            end.get("closedBy"), end.get("errorCommand") is not None)
    for decoded in case.get("decoded") or []:
        sent = decoded.get("fromImplementation") or {}
        kinds = sorted({(f.get("command") or {}).get("name", "?") if f.get("flags", 0) & 0x04
                        else "message" for f in sent.get("frames") or []})
        seen.setdefault(str(decoded.get("conn")), {})["sent"] = (
            sent.get("version"), kinds, (sent.get("error") or {}).get("class"))
        steps = curve_nonce_steps(sent.get("frames") or [])
        if steps:
            seen[str(decoded.get("conn"))]["curveNonceSteps"] = steps
    # Majordomo: the kinds of MDP message the implementation sent on each connection
    # ("MDPW01 REQUEST", "MDPC02 FINAL"), not how many (heartbeats vary with time)
    # Freelance: the kinds of FLP message ("PONG", "REPLY", "malformed") on each connection,
    # the most replies one CCF drew there (a second reply, DECISIONS F7), the PONGs beyond
    # the suite's PINGs (a pong to what was no ping, F5) and the lengths of the CCFs it sent
    # (a client's own numbering: a counter's digits or random octets), not how many
    # messages in all
    replies, pongs = {}, {}
    for message in case.get("messages") or []:
        conn = str(message.get("conn"))
        if message.get("protocol") == "flp":
            step = {("in", "PONG"): 1, ("out", "PING"): -1}.get(
                (message.get("dir"), flp_kind(message)), 0)
            pongs[conn] = pongs.get(conn, 0) + step
        if message.get("dir") != "in":
            continue
        protocol = "flp" if message.get("protocol") == "flp" else "mdp"
        kinds = seen.setdefault(conn, {}).setdefault(protocol, [])
        kind = (flp_kind(message) if protocol == "flp"
                else (message.get("reading") or "?").split(",")[0])
        if kind not in kinds:
            kinds.append(kind)
        if protocol == "flp" and kind == "REPLY":
            key = (conn, (message.get("frames") or [""])[0])
            replies[key] = replies.get(key, 0) + 1
        if protocol == "flp" and kind in ("REQUEST", "REPLY"):
            lengths = seen[conn].setdefault("flpCcfLengths", [])
            length = len((message.get("frames") or [""])[0]) // 2
            if length not in lengths:
                lengths.append(length)
    for (conn, _), count in replies.items():
        seen[conn]["flpRepliesPerCcf"] = max(seen[conn].get("flpRepliesPerCcf", 0), count)
    for conn, beyond in pongs.items():
        if beyond > 0:
            seen.setdefault(conn, {})["flpPongsBeyondPings"] = beyond
    for what in seen.values():
        for protocol in ("mdp", "flp", "flpCcfLengths"):
            if protocol in what:
                what[protocol] = sorted(what[protocol])
    return sorted((conn, sorted(what.items())) for conn, what in seen.items())


def told_apart(clean, mutated):
    """The cases in which the variant acted otherwise than the plain peer."""
    return sorted(case_id for case_id, case in mutated.items()
                  if case_id in clean and conduct(case) != conduct(clean[case_id]))


def try_fault(base, name, clause, implementation, clean_cases, registry, multiplier):
    """Runs the suite against one fault; returns (its result, an over-accusing warning or None)."""
    started = time.monotonic()
    clean = verdicts(clean_cases)
    directory = os.path.join(base, name)
    # A fault of a SHOULD or MAY runs the whole suite: a FAIL anywhere would be an
    # accusation beyond what the fault breaks (over_accusing).
    severity = V.severity(registry.get(clause, {}).get("keyword", "MUST"))
    below_must = severity != V.FAIL
    cases = run_suite(directory, implementation, name, None if below_must else clause, multiplier)
    caught = killers(clean, verdicts(cases))
    if severity == V.INFO:
        caught += reported(clause, clean, cases)
    scope = "the whole suite" if below_must else "cases citing %s" % clause
    if not caught and not below_must:
        cases = run_suite(directory, implementation, name, None, multiplier)
        caught, scope = killers(clean, verdicts(cases)), "the whole suite"
    by_fail = any(k["after"] == "FAIL" for k in caught)
    warning = over_accusing(name, clause, registry, clean, cases)
    seconds = round(time.monotonic() - started, 1)
    print("mutation: %-32s %s by %d case(s) of %s%s (%.0f s)" % (
        name, "caught" if caught else "NOT CAUGHT", len(caught), scope,
        "" if by_fail or not caught else " (INFO: the clause is a MAY)" if severity == V.INFO
        else " (PASS-NONSTRICT under --strict: the clause is a SHOULD)", seconds))
    if warning:
        print("mutation:   WARNING: %s is a %s, but %s %s (%s)" % (
            clause, warning["keyword"], name, warning["warning"], ", ".join(warning["cases"])))
    return ({"fault": name, "breaks": clause, "implementation": implementation,
             "caught": bool(caught), "caughtByFail": by_fail, "scope": scope, "killedBy": caught,
             "seconds": seconds},
            warning)


def try_lenient(base, name, clause, implementation, clean_cases, multiplier):
    """Runs the whole suite against one lenient variant: never accused, told apart."""
    started = time.monotonic()
    cases = run_suite(os.path.join(base, name), implementation, name, None, multiplier,
                      kind="LENIENT")
    clean = verdicts(clean_cases)
    accused = sorted(c for c, v in verdicts(cases).items() if v == "FAIL" and clean.get(c) != "FAIL")
    apart = told_apart(clean_cases, cases)
    seconds = round(time.monotonic() - started, 1)
    print("mutation: lenient %-32s %s; %s (%.0f s)" % (
        name, "never accused" if not accused else "FALSELY ACCUSED by %s" % ", ".join(accused),
        "told apart by %d case(s)" % len(apart) if apart
        else "NOT TOLD APART from the plain peer by any case", seconds))
    return {"variant": name, "within": clause, "implementation": implementation,
            "accusedBy": accused, "toldApartBy": apart, "seconds": seconds}


def main(argv=None):
    p = argparse.ArgumentParser(prog="python3 -m zwire_conformance.mutation",
                                description=__doc__.split("\n\n")[0])
    p.add_argument("--fault", action="append", default=[], help="only these faults")
    p.add_argument("--timeout-multiplier", type=float, default=1.0)
    p.add_argument("--out", default=os.path.join(ROOT, "build", "reports", "mutation.json"))
    p.add_argument("--lanes", type=int, choices=(1, 2), default=2,
                   help="2: the ZMTP peer's variants beside the roles' (default); 1: in turn")
    args = p.parse_args(argv)
    base = os.path.join(ROOT, "build", "reports", "mutation")
    chosen = [(n, c, i) for n, k, c, i in variants() if k == "FAULT" and (not args.fault or n in args.fault)]
    lenient = [(n, c, i) for n, k, c, i in variants() if k == "LENIENT"
               and (not args.fault or n in args.fault)]
    registry = load_registry()
    started = time.monotonic()
    # Every variant in table order, faults first.  Lane 0 runs the ZMTP peer's in that
    # order, lane 1 the roles'; a lane whose own are done takes the other's from the end
    # of its list, so that neither waits for the other.
    work = [("FAULT",) + v for v in chosen] + [("LENIENT",) + v for v in lenient]
    queues = (collections.deque(), collections.deque())
    for index, item in enumerate(work):
        queues[0 if args.lanes == 1 or item[3] == "zwire" else 1].append(index)
    taking = threading.Lock()
    plain = {}          # implementation -> its fault-free cases, run once each
    running_plain = {implementation: threading.Lock() for *_, implementation in work}

    def fault_free(implementation):
        with running_plain[implementation]:         # the first lane to need it runs it
            if implementation not in plain:
                plain[implementation] = run_suite(
                    os.path.join(base, "fault-free", implementation), implementation,
                    multiplier=args.timeout_multiplier)
        return plain[implementation]

    def take(number):
        with taking:
            if queues[number]:
                return queues[number].popleft()
            other = queues[1 - number]
            return other.pop() if other else None

    def lane(number):
        done = {}
        while True:
            index = take(number)
            if index is None:
                return done
            kind, name, clause, implementation = work[index]
            if kind == "FAULT":
                done[index] = try_fault(base, name, clause, implementation,
                                        fault_free(implementation), registry,
                                        args.timeout_multiplier)
            else:
                done[index] = try_lenient(base, name, clause, implementation,
                                          fault_free(implementation), args.timeout_multiplier)
        return done

    outcomes = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.lanes) as pool:
        futures = [pool.submit(lane, number) for number in range(args.lanes)]
        failed = None
        for future in futures:
            try:
                outcomes.update(future.result())
            except RuntimeError as e:
                failed = e
    if failed is not None:
        print("mutation: %s" % failed, file=sys.stderr)
        return 2
    results, warnings, accusations = [], [], []
    for index in sorted(outcomes):
        if work[index][0] == "FAULT":
            result, warning = outcomes[index]
            results.append(result)
            if warning:
                warnings.append(warning)
        else:
            accusations.append(outcomes[index])
    clean_fails = sorted("%s: %s" % (i, c) for i, cases in plain.items()
                         for c, v in verdicts(cases).items() if v == "FAIL")
    score = sum(r["caught"] for r in results)
    accused = sum(bool(a["accusedBy"]) for a in accusations)
    unseen = sum(not a["toldApartBy"] for a in accusations)
    seconds = round(time.monotonic() - started)
    out = {"format": "zwire-mutation", "version": 5, "faults": len(results), "caught": score,
           "caughtByFail": sum(r["caughtByFail"] for r in results),
           "lenientVariants": len(accusations), "falselyAccused": accused,
           "notToldApart": unseen,
           "faultFreeFails": clean_fails, "overAccusing": warnings, "results": results,
           "lenient": accusations, "seconds": seconds}
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("mutation: %d/%d faults caught (%d by a FAIL); %d/%d lenient variants falsely "
          "accused, %d not told apart; fault-free implementations: %d FAIL; %d fault(s) of a SHOULD "
          "FAILed under other clauses (over-accusing); %d s; report %s"
          % (score, len(results), out["caughtByFail"], accused, len(accusations), unseen,
             len(clean_fails), len(warnings), seconds, args.out))
    return 0 if (score == len(results) and not accused and not unseen and not clean_fails
                 and not warnings) else 1


if __name__ == "__main__":
    sys.exit(main())
