#!/usr/bin/python3
"""trace: join the clause registry (spec/*.md) with the code, vectors and cases citing it.

For every clause it collects:
  code     lines in codec/, reference/, fuzz/ and conformance/ (outside the cases) citing it;
  peerTests lines in reference/tests/** citing it: the reference peer's own tests
           (unit, interop against libzmq, bad input), counted per behaviour clause;
  vectors  (file, tcId) of tests in vectors/**/*_test.json whose `clauses` list names it;
  cases    lines in the conformance suite's cases (conformance/zwire_conformance/cases/**,
           and conformance/cases/** for suites kept apart) citing it;
  waiver   the reason given in spec/waivers.md, if any.

It prints a per-spec table and writes build/reports/trace.json (see --help and
tools/README.md for its structure). A MUST-class clause (MUST, MUST NOT, SHALL, SHALL NOT)
with testability `wire` and neither a vector nor a waiver makes the exit status 1. A
MUST-class `behaviour` clause with neither a case nor a waiver is listed as "awaiting
conformance case"; it fails only with --strict-behaviour.

Exit status: 0 covered, 1 uncovered clauses, 2 bad usage or no registry.
"""

import argparse
import json
import os
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zwire_spec  # noqa: E402

TRACE_FORMAT = "zwire-trace"
TRACE_VERSION = 1
CODE_DIRS = ("codec/", "reference/", "fuzz/", "conformance/")
CASE_DIRS = ("conformance/zwire_conformance/cases/", "conformance/cases/")

JSON_HELP = """\
trace.json structure (version 1):
  {"format": "zwire-trace", "version": 1,
   "filter": null or "<specid>", "strictBehaviour": bool,
   "summary": {"<specid>" and "total": {
       "clauses", "mustClass", "testableMust",
       "wireMust": {"total", "vector", "waived", "uncovered"},
       "behaviourMust": {"total", "case", "waived", "awaiting", "peerTest"}}},
   "clauses": {"<clause id>": {
       "spec", "file", "line", "section", "keyword", "role", "testability",
       "digest": [...], "statement", "mustClass": bool,
       "code": [{"file", "line"}], "peerTests": [{"file", "line"}],
       "vectors": [{"file", "tcId"}],
       "cases": [{"file", "line"}], "waiver": null or "<reason>",
       "status": "covered" | "waived" | "uncovered" | "awaiting-case" |
                 "untestable" | "optional"}},
   "uncovered": [ids], "awaitingCase": [ids]}
"""


def classify(path):
    """'vector', 'case', 'code' or None for a citing file (relative path)."""
    if path.startswith("vectors/") and path.endswith("_test.json"):
        return "vector"
    # Only the conformance suite's own cases count as cases: the codec's unit
    # tests (conformance/tests/) prove the Python codec, not an implementation.
    if path.startswith(CASE_DIRS):
        return "case"
    if path.startswith("reference/tests/"):
        return "peer-test"
    if path.startswith(CODE_DIRS):
        return "code"
    return None


def status_of(clause, entry):
    """The coverage status of one clause (see JSON_HELP)."""
    if clause["kind"] == "untestable":
        return "untestable"
    covered = entry["vectors"] if clause["kind"] == "wire" else entry["cases"]
    if covered:
        return "covered"
    if entry["waiver"] is not None:
        return "waived"
    if not clause["must_class"]:
        return "optional"
    return "uncovered" if clause["kind"] == "wire" else "awaiting-case"


def build_trace(root, spec_filter=None, strict_behaviour=False):
    """Return (trace dict, warnings)."""
    clauses, problems = zwire_spec.load_registry(root)
    known = {c["id"] for c in clauses}
    waivers, waiver_problems = zwire_spec.load_waivers(root, known)
    warnings = []
    if problems or waiver_problems:
        warnings.append("the registry has %d problems; run tools/spec_lint.py"
                        % (len(problems) + len(waiver_problems)))
    citations, notes = zwire_spec.scan_citations(root, known)
    warnings.extend(notes)

    entries = {}
    for c in clauses:
        if spec_filter and c["spec"] != spec_filter:
            continue
        waiver = waivers.get(c["id"])
        entries[c["id"]] = {
            "spec": c["spec"], "file": c["file"], "line": c["line"],
            "section": c["section"], "keyword": c["keyword"], "role": c["role"],
            "testability": c["testability"], "digest": c["digest"],
            "statement": c["statement"], "mustClass": c["must_class"],
            "code": [], "peerTests": [], "vectors": [], "cases": [],
            "waiver": waiver["reason"] if waiver else None,
        }
    seen = set()
    for cite in citations:
        entry = entries.get(cite.clause)
        kind = classify(cite.path)
        if entry is None or kind is None:
            continue
        if kind == "vector":
            if not cite.from_json or cite.tc_id is None:
                continue
            item, key = {"file": cite.path, "tcId": cite.tc_id}, "vectors"
        elif kind == "case":
            item, key = {"file": cite.path, "line": cite.line}, "cases"
        elif kind == "peer-test":
            item, key = {"file": cite.path, "line": cite.line}, "peerTests"
        else:
            item, key = {"file": cite.path, "line": cite.line}, "code"
        mark = (cite.clause, key, json.dumps(item, sort_keys=True))
        if mark not in seen:
            seen.add(mark)
            entry[key].append(item)

    by_id = {c["id"]: c for c in clauses}
    summary, uncovered, awaiting = {}, [], []
    for clause_id, entry in entries.items():
        clause = by_id[clause_id]
        entry["status"] = status_of(clause, entry)
        for spec in (entry["spec"], "total"):
            s = summary.setdefault(spec, {
                "clauses": 0, "mustClass": 0, "testableMust": 0,
                "wireMust": {"total": 0, "vector": 0, "waived": 0, "uncovered": 0},
                "behaviourMust": {"total": 0, "case": 0, "waived": 0, "awaiting": 0,
                                  "peerTest": 0}})
            s["clauses"] += 1
            if not clause["must_class"]:
                continue
            s["mustClass"] += 1
            if clause["kind"] == "untestable":
                continue
            s["testableMust"] += 1
            if clause["kind"] == "wire":
                w = s["wireMust"]
                w["total"] += 1
                w[{"covered": "vector", "waived": "waived"}.get(entry["status"],
                                                                "uncovered")] += 1
            else:
                b = s["behaviourMust"]
                b["total"] += 1
                b[{"covered": "case", "waived": "waived"}.get(entry["status"],
                                                              "awaiting")] += 1
                b["peerTest"] += bool(entry["peerTests"])
        if entry["status"] == "uncovered":
            uncovered.append(clause_id)
        elif entry["status"] == "awaiting-case":
            awaiting.append(clause_id)
    order = list(zwire_spec.SPEC_IDS) + ["total"]
    ordered = {k: summary[k] for k in sorted(summary, key=order.index)}
    trace = {
        "format": TRACE_FORMAT, "version": TRACE_VERSION,
        "filter": spec_filter, "strictBehaviour": strict_behaviour,
        "summary": ordered, "clauses": entries,
        "uncovered": uncovered, "awaitingCase": awaiting,
    }
    return trace, warnings


def _fraction(done, waived, total):
    text = "%d/%d" % (done, total)
    if waived:
        text += " +%d waived" % waived
    return text


def render_table(trace):
    """The per-spec table as a list of lines."""
    head = ("spec", "clauses", "testable/MUST-class", "wire MUST with vector",
            "behaviour MUST with case", "behaviour MUST tested on the peer")
    rows = [head]
    for spec, s in trace["summary"].items():
        w, b = s["wireMust"], s["behaviourMust"]
        rows.append((spec, str(s["clauses"]), "%d/%d" % (s["testableMust"], s["mustClass"]),
                     _fraction(w["vector"], w["waived"], w["total"]),
                     _fraction(b["case"], b["waived"], b["total"]),
                     "%d/%d" % (b["peerTest"], b["total"])))
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = []
    for n, r in enumerate(rows):
        if n == len(rows) - 1 and len(rows) > 2:
            lines.append("  ".join("-" * w for w in widths))
        lines.append("  ".join(r[i].ljust(widths[i]) if i == 0 else r[i].rjust(widths[i])
                               for i in range(len(r))).rstrip())
    return lines


def _where(trace, clause_id):
    e = trace["clauses"][clause_id]
    return "%s (%s %s, %s:%d)" % (clause_id, e["keyword"], e["testability"], e["file"],
                                  e["line"])


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="trace.py",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Join the clause registry (spec/*.md) with the code, vectors and\n"
                    "conformance cases that cite each clause; print a per-spec coverage\n"
                    "table and write a JSON report.",
        epilog="exit status: 0 every wire MUST-class clause has a vector or a waiver\n"
               "  (and, with --strict-behaviour, every behaviour MUST-class clause has a\n"
               "  case or a waiver); 1 otherwise; 2 bad usage or no registry.\n\n"
               + JSON_HELP)
    parser.add_argument("--root", default=zwire_spec.repo_root(),
                        help="repository root (default: the parent of tools/)")
    parser.add_argument("--json", metavar="PATH", default=None,
                        help="where to write the report (default: "
                             "<root>/build/reports/trace.json)")
    parser.add_argument("--spec", metavar="SPECID", default=None,
                        help="only this spec (e.g. zmtp31), in the table, the report and "
                             "the exit status")
    parser.add_argument("--strict-behaviour", action="store_true",
                        help="fail on behaviour MUST-class clauses without a case")
    parser.add_argument("--quiet", action="store_true",
                        help="print only failures and the summary line")
    args = parser.parse_args(argv)
    if hasattr(signal, "SIGPIPE") and argv is None:
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    if not os.path.isdir(args.root):
        parser.error("no such directory: %s" % args.root)
    if args.spec is not None and args.spec not in zwire_spec.SPEC_IDS:
        parser.error("unknown spec id %r (known: %s)"
                     % (args.spec, " ".join(zwire_spec.SPEC_IDS)))

    trace, warnings = build_trace(args.root, args.spec, args.strict_behaviour)
    for warning in warnings:
        print("trace: warning: %s" % warning, file=sys.stderr)
    if not trace["clauses"]:
        print("trace: no clauses found under %s/spec%s"
              % (args.root, " for spec %s" % args.spec if args.spec else ""), file=sys.stderr)
        return 2

    out = args.json or os.path.join(args.root, "build", "reports", "trace.json")
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(trace, f, indent=1, sort_keys=False)
        f.write("\n")

    failing = list(trace["uncovered"])
    if args.strict_behaviour:
        failing += trace["awaitingCase"]
    if not args.quiet:
        for line in render_table(trace):
            print(line)
        waived = [k for k, e in trace["clauses"].items() if e["status"] == "waived"]
        if waived:
            print("\ncovered by waiver (spec/waivers.md):")
            for clause_id in waived:
                print("  %s: %s" % (clause_id, trace["clauses"][clause_id]["waiver"]))
        if trace["awaitingCase"]:
            print("\nawaiting conformance case (behaviour MUST-class, no case yet%s):"
                  % ("" if args.strict_behaviour else "; not a failure without "
                     "--strict-behaviour"))
            for clause_id in trace["awaitingCase"]:
                print("  " + _where(trace, clause_id))
    if trace["uncovered"]:
        print("\nuncovered wire MUST-class clauses (no vector, no waiver):")
        for clause_id in trace["uncovered"]:
            print("  " + _where(trace, clause_id))
    if args.quiet and args.strict_behaviour and trace["awaitingCase"]:
        print("\nbehaviour MUST-class clauses without a case (--strict-behaviour):")
        for clause_id in trace["awaitingCase"]:
            print("  " + _where(trace, clause_id))
    total = trace["summary"]["total"]
    print("%strace: %d clauses; wire MUST %d/%d with vector (%d waived); behaviour MUST "
          "%d/%d with case (%d waived); %d failing; report %s"
          % ("" if args.quiet else "\n", total["clauses"],
             total["wireMust"]["vector"], total["wireMust"]["total"],
             total["wireMust"]["waived"], total["behaviourMust"]["case"],
             total["behaviourMust"]["total"], total["behaviourMust"]["waived"],
             len(failing), os.path.relpath(out, args.root)
             if os.path.abspath(out).startswith(os.path.abspath(args.root) + os.sep)
             else out))
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
