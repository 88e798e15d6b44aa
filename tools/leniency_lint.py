#!/usr/bin/python3
"""leniency-lint: one table decides leniency, and the vectors and the cases keep to it.

spec/leniency.md gives, for each input class (reserved flag bits, MORE on a command, octet
9 not 0x7F, ...), whether a receiver must refuse it (`invalid`), must take it (`valid`) or
may do either (`acceptable`), and by which clauses.  The golden vectors of a class carry
its flag and take its result (vectors/tools/vectors_lint.py checks each one); a
conformance case declares the classes it sends (`@case(..., inputs=[...])`) and t.answer
judges or reports what the implementation did by the same row.  This lint checks:

- each row against the registry: whom its clauses bind decides its result
  (zwire_spec.leniency_row_problems);
- each case against the rows of the classes it declares: a class the table judges
  (`invalid`, `valid`) needs the receiver clause in the case's clauses; a class it leaves
  to the receiver (`acceptable`) needs one of the sender clauses it breaks (reported) or a
  SHOULD / MAY clause of the row (judged by that keyword);
- the vectors and the cases together: a case that reports a class whose vectors are
  `invalid` or `valid`, or judges by a MUST-class clause a class whose vectors are
  `acceptable`, disagrees with them;
- the case sources: `t.observe` of a clause that only classes the table judges break, and
  `t.hostile` naming such a clause instead of its input class;
- every row is used by some vector or case (in a tree that has both).

Exit status: 0 clean, 1 problems (one `file:line: message` line each), 2 bad usage.
"""

import argparse
import ast
import glob
import importlib
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zwire_spec  # noqa: E402

CASE_SOURCES = ("conformance/zwire_conformance/cases/*.py", "conformance/zwire_conformance/steps.py")


def load_cases(root):
    """The registered cases of the suite under `root`, one per slug (none in a tree
    without the suite)."""
    if not os.path.isdir(os.path.join(root, "conformance", "zwire_conformance")):
        return []
    sys.path.insert(0, os.path.join(root, "conformance"))
    importlib.import_module("zwire_conformance.cases")      # registers them
    from zwire_conformance.case import CASES
    by_slug = {}
    for case_ in CASES:
        by_slug.setdefault(case_.slug, case_)
    return list(by_slug.values())


def load_vectors(root):
    """[(file, tcId, flags, result)] of every vector file under vectors/."""
    out = []
    for path in sorted(glob.glob(os.path.join(root, "vectors", "**", "*_test.json"),
                                 recursive=True)):
        rel = os.path.relpath(path, root)
        try:
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
        except (OSError, ValueError):
            continue        # vectors-lint reports unreadable files
        for group in data.get("testGroups", []):
            for test in group.get("tests", []):
                out.append((rel, test.get("tcId"), test.get("flags", []), test.get("result")))
    return out


def case_problems(case_, table, registry, vectors):
    """What is wrong with one case against the table and the vectors of its classes."""
    out = []
    where = "case %s" % case_.slug
    clauses = set(case_.clauses)
    for name in case_.inputs:
        row = table.get(name)
        if row is None:
            out.append("%s declares input class %s, which spec/leniency.md does not have"
                       % (where, name))
            continue
        judged_by = [c for c in row.because if c in clauses]
        reported_by = [c for c in row.breaks if c in clauses]
        if row.judged and not judged_by:
            out.append("%s sends %s, which spec/leniency.md makes %s by %s: the case must "
                       "cite it" % (where, name, row.result, " or ".join(row.because)))
            continue
        if not judged_by and not reported_by:
            out.append("%s sends %s but cites none of the clauses it breaks (%s)"
                       % (where, name, ", ".join(row.breaks)))
            continue
        must = bool(judged_by) and registry.get(judged_by[0], {}).get("must_class")
        for rel, tc_id, flags, result in vectors:
            if name not in flags:
                continue
            if judged_by and must and result == "acceptable":
                out.append("%s judges %s by %s (a MUST-class duty), but vector %s tcId %s "
                           "says acceptable: they disagree" % (where, name, judged_by[0], rel,
                                                                tc_id))
            elif not judged_by and result != "acceptable":
                out.append("%s reports %s as left to the receiver, but vector %s tcId %s says "
                           "%s: they disagree" % (where, name, rel, tc_id, result))
    return out


def _literal_strings(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.List, ast.Tuple)):
        return [e.value for e in node.elts
                if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return []


def source_problems(root, table, files=None):
    """t.observe / t.hostile calls in the case sources that bypass the table."""
    judged_only = {}
    for row in table.values():
        for clause in row.breaks:
            judged_only.setdefault(clause, []).append(row)
    judged_only = {c: rows[0] for c, rows in judged_only.items() if all(r.judged for r in rows)}
    named = {}
    for row in table.values():
        for clause in row.breaks:
            named.setdefault(clause, row)
    out = []
    if files is None:
        files = sorted(f for pattern in CASE_SOURCES
                       for f in glob.glob(os.path.join(root, pattern)))
    for path in files:
        rel = os.path.relpath(path, root)
        try:
            with open(path, encoding="utf-8") as f:
                tree = ast.parse(f.read(), rel)
        except (OSError, SyntaxError) as e:
            out.append(zwire_spec.Problem(rel, 0, "cannot parse: %s" % e))
            continue
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr == "observe" and node.args:
                for clause in _literal_strings(node.args[0]):
                    if clause in judged_only:
                        row = judged_only[clause]
                        out.append(zwire_spec.Problem(
                            rel, node.lineno, "t.observe(%s): spec/leniency.md judges input "
                            "that breaks it (%s, %s by %s); t.answer judges it"
                            % (clause, row.input, row.result, ", ".join(row.because))))
            if node.func.attr == "hostile" and len(node.args) >= 3:
                for clause in _literal_strings(node.args[2]):
                    if clause in named:
                        out.append(zwire_spec.Problem(
                            rel, node.lineno, "t.hostile breaks %s: name its input class of "
                            "spec/leniency.md (%s) instead" % (clause, named[clause].input)))
    return out


def lint(root, cases=None, case_files=None):
    """Every check under `root`; returns (problems, stats).  `cases` (objects with slug,
    clauses, inputs) and `case_files` replace the suite's own, for tests."""
    table, problems = zwire_spec.load_leniency(root)
    clauses, _registry_problems = zwire_spec.load_registry(root)
    registry = {c["id"]: c for c in clauses}
    for row in table.values():
        for text in zwire_spec.leniency_row_problems(row, registry):
            problems.append(zwire_spec.Problem("spec/leniency.md", row.line, text))
    vectors = load_vectors(root)
    if cases is None:
        cases = load_cases(root)
    for case_ in cases:
        problems.extend(zwire_spec.Problem("spec/leniency.md", 0, text)
                        for text in case_problems(case_, table, registry, vectors))
    problems.extend(source_problems(root, table, case_files))
    used = {f for _rel, _tc, flags, _res in vectors for f in flags}
    used |= {name for case_ in cases for name in case_.inputs}
    for row in table.values() if vectors and cases else ():
        if row.input not in used:
            problems.append(zwire_spec.Problem("spec/leniency.md", row.line,
                                               "%s: no vector and no case sends it" % row.input))
    stats = {"rows": len(table), "cases": sum(1 for c in cases if c.inputs),
             "vectors": sum(1 for _r, _t, flags, _s in vectors if set(flags) & set(table))}
    return problems, stats


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="leniency_lint.py",
        description="Check spec/leniency.md against the registry, the golden vectors and "
                    "the conformance cases.",
        epilog="Exit status: 0 no problems, 1 problems found, 2 bad usage.")
    parser.add_argument("--root", default=zwire_spec.repo_root(),
                        help="repository root (default: the parent of tools/)")
    args = parser.parse_args(argv)
    if not os.path.isdir(args.root):
        parser.error("no such directory: %s" % args.root)
    problems, stats = lint(args.root)
    for problem in problems:
        print(problem)
    print("leniency-lint: %d input classes, %d cases and %d vectors of them, %d problems"
          % (stats["rows"], stats["cases"], stats["vectors"], len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
