#!/usr/bin/python3
"""spec-lint: check the clause registry (spec/*.md) and every clause citation.

Registry checks, per row of every spec/<specid>.md table: the ID is well formed and starts
with the file's spec id; no ID appears twice anywhere; the keyword, role and testability
are from the fixed lists; the Digest cell holds `ABNF` or digest statement IDs in range.
Across the registry: every digest statement ZMTP10-01..18, ZMTP20-01..06, ZMTP30-01..86,
ZMTP31-01..110, CZMQ-01..60, PLAIN-01..03, Z85-01..10, MDP01-01..26, MDP02-01..27,
MMI-01..05, FLP-01..08 and ZAP-01..52 is restated by some clause; every
mandatory wire ID is registered with testability `wire` and its contract keyword; every
row of spec/waivers.md names a registered clause.

Leniency (when spec/leniency.md exists): tools/leniency_lint.py, the table against the
registry, the golden vectors and the conformance cases.

Citation checks: every clause-looking token (a spec prefix followed by at least two
`.`-separated lower-case parts) in codec/, reference/, conformance/, fuzz/, vectors/,
tools/ and the Makefile names a registered clause; in JSON files, every string of every
`clauses` array does. Directories that do not exist yet are skipped.

Exit status: 0 clean, 1 problems found (one `file:line: message` line each), 2 bad usage.
"""

import argparse
import os
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zwire_spec  # noqa: E402


def lint(root):
    """Run every check under `root`; return (problems, stats)."""
    clauses, problems = zwire_spec.load_registry(root)
    known = {c["id"] for c in clauses}
    if not zwire_spec.registry_files(root):
        problems.append(zwire_spec.Problem("spec", 0, "no registry files (spec/<specid>.md)"))
    problems.extend(zwire_spec.digest_coverage_problems(clauses))
    problems.extend(zwire_spec.mandatory_problems(clauses))
    _waivers, waiver_problems = zwire_spec.load_waivers(root, known)
    problems.extend(waiver_problems)
    if os.path.isfile(os.path.join(root, "spec", zwire_spec.LENIENCY_FILE)):
        import leniency_lint
        problems.extend(leniency_lint.lint(root)[0])
    citations, notes = zwire_spec.scan_citations(root, known)
    for cite in citations:
        if cite.clause not in known:
            what = "test %s cites" % cite.tc_id if cite.tc_id is not None else "cites"
            problems.append(zwire_spec.Problem(cite.path, cite.line, "%s unknown clause %r"
                                               % (what, cite.clause)))
    stats = {
        "clauses": len(clauses),
        "specs": len({c["spec"] for c in clauses}),
        "citations": len(citations),
        "notes": notes,
    }
    return problems, stats


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="spec_lint.py",
        description="Check the zwire clause registry (spec/*.md) and every clause citation "
                    "in codec/, reference/, conformance/, fuzz/, vectors/, tools/ and the "
                    "Makefile.",
        epilog="Exit status: 0 no problems, 1 problems found, 2 bad usage.")
    parser.add_argument("--root", default=zwire_spec.repo_root(),
                        help="repository root (default: the parent of tools/)")
    args = parser.parse_args(argv)
    if hasattr(signal, "SIGPIPE") and argv is None:
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    if not os.path.isdir(args.root):
        parser.error("no such directory: %s" % args.root)
    problems, stats = lint(args.root)
    for note in stats["notes"]:
        print("spec-lint: note: %s" % note, file=sys.stderr)
    for problem in problems:
        print(problem)
    print("spec-lint: %d clauses in %d specs, %d citations checked, %d problems"
          % (stats["clauses"], stats["specs"], stats["citations"], len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
