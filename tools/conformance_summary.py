#!/usr/bin/python3
"""conformance_summary.py — the verdict table `make conformance` prints.

Reads the vector check report (build/reports/vectors.json, written by
vectors/tools/check.py) and prints, per vector file, how many vectors each
codec decoded exactly as the file says; writes the same table as Markdown
next to the JSON report.  With --suite DIR (one per implementation, each
holding the report.json of a suite run) it also prints the verdict matrix:
the count of each verdict per implementation, then every case on which the
implementations do not all pass, with each one's verdict.  Exit status: 0 if
every vector agrees, 1 otherwise (the suite's own exit status judges the runs).
"""

import argparse
import collections
import json
import os
import sys


def table(report):
    per_file = collections.OrderedDict()
    for test in report["tests"]:
        row = per_file.setdefault(test["file"], collections.Counter())
        row[test["result"]] += 1
        row["total"] += 1
        row["c"] += not any(p.startswith("c") for p in test["problems"])
        row["python"] += not any(p.startswith(("python", "c and python")) for p in test["problems"])
    return per_file


def render(per_file, codecs):
    head = ["vector file", "vectors", "valid", "invalid", "acceptable", "C codec"]
    if "Python" in codecs:
        head.append("Python codec")
    rows = []
    for name, row in per_file.items():
        cells = [name, row["total"], row["valid"], row["invalid"], row["acceptable"],
                 "%d/%d" % (row["c"], row["total"])]
        if "Python" in codecs:
            cells.append("%d/%d" % (row["python"], row["total"]))
        rows.append([str(c) for c in cells])
    widths = [max(len(r[i]) for r in [head] + rows) for i in range(len(head))]
    line = lambda cells: "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"
    out = [line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(r) for r in rows]
    return "\n".join(out)


SHORT = {"PASS": "pass", "PASS-NONSTRICT": "nonstrict", "FAIL": "FAIL", "INFO": "info",
         "NOT-EXERCISED": "notex", "UNSUPPORTED": "unsup", "SKIPPED": "skip",
         "ADAPTER-ERROR": "ADAPTER", "HARNESS-ERROR": "HARNESS"}

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def write_html_matrix(reports, directories, path):
    """build/reports/matrix.html: the implementations side by side, as each run's own
    index.html shows one (zwire_conformance.report.matrix_html): the counts per verdict and
    per area, the cases grouped by area, each verdict linking to that implementation's
    page of the case, the "not passing" filter, every clause linked to its registry entry
    (the first run's clauses.html)."""
    sys.path.insert(0, os.path.join(ROOT, "conformance"))
    from zwire_conformance import report as R
    base = os.path.dirname(os.path.abspath(path))
    dirs = [os.path.relpath(os.path.abspath(d), base) + "/" for d in directories]
    with open(path, "w") as f:
        f.write(R.matrix_html(reports, dirs, lambda c: dirs[0] + "clauses.html#" + c))


def suite_matrix(directories):
    """Lines of one implementations x verdicts table per suite (the ZMTP suite, the
    Majordomo broker's, ...: a run's report says which in suite.protocol and suite.role),
    each followed by the cases not passed by all."""
    reports = []
    for d in directories:
        try:
            with open(os.path.join(d, "report.json")) as f:
                reports.append(json.load(f))
        except OSError as exc:
            return ["", "conformance suite: no report in %s (%s)" % (d, exc)]
    groups = collections.OrderedDict()
    for d, r in zip(directories, reports):
        key = (r["suite"].get("protocol", "zmtp"), r["suite"].get("role"))
        groups.setdefault(key, []).append((d, r))
    lines = []
    for key, members in groups.items():
        lines += one_suite(key, [d for d, _ in members], [r for _, r in members])
    return lines


SUITES = {("zmtp", None): "conformance suite", ("mdp", "broker"): "Majordomo broker suite",
          ("flp", "server"): "Freelance server suite", ("flp", "client"): "Freelance client suite"}


def one_suite(key, directories, reports):
    """The table of one suite's runs, and its HTML matrix (matrix.html for ZMTP,
    matrix-<protocol>-<role>.html for the others)."""
    name = "matrix.html" if key == ("zmtp", None) else "matrix-%s-%s.html" % key
    matrix_html = os.path.join(os.path.dirname(os.path.abspath(directories[0])), name)
    write_html_matrix(reports, directories, matrix_html)
    names = [r["implementation"]["name"] for r in reports]
    width = max([12] + [len(n) for n in names]) + 2
    lines = ["", "zwire verdicts — %s (%d cases per implementation)"
             % (SUITES.get(key, "%s %s suite" % key), max(len(r["cases"]) for r in reports)), "",
             "%-16s" % "verdict" + "".join(n.rjust(width) for n in names)]
    for verdict in SHORT:
        lines.append("%-16s" % verdict + "".join(str(r["counts"][verdict]).rjust(width)
                                                 for r in reports))
    verdicts = [{c["id"]: c["verdict"] for c in r["cases"]} for r in reports]
    ids = sorted(set().union(*verdicts))
    differing = [i for i in ids if any(v.get(i, "PASS") != "PASS" for v in verdicts)]
    if differing:
        lines += ["", "cases not passed by every implementation (a family of cases with the same"
                  " verdicts is one row):",
                  "%-58s" % "case" + "".join(n.rjust(width) for n in names)]
        for label, row in grouped(differing, verdicts):
            lines.append("%-58s" % label + "".join(SHORT.get(v, "-").rjust(width) for v in row))
    lines += ["", "matrix: %s" % matrix_html]
    return lines


def grouped(ids, verdicts):
    """(label, verdicts) rows: consecutive cases of one family (one slug in both roles, or
    the members of one group such as the 121 socket-type pairs) with the same verdicts
    everywhere collapse into one row."""
    rows = []
    for case_id in ids:
        row = tuple(v.get(case_id, "-") for v in verdicts)
        slug = case_id.split("@")[0]
        # zmtp.<area>.<group>.<member> collapses by group; a plain slug only by role
        family = slug.rsplit(".", 1)[0] if slug.count(".") >= 3 else slug
        if rows and rows[-1][0] == family and rows[-1][1] == row:
            rows[-1][2].append(case_id)
        else:
            rows.append([family, row, [case_id]])
    def label(family, ids_):
        if len(ids_) == 1:
            return ids_[0]
        return ("%s@* (%d cases)" if family == ids_[0].split("@")[0]
                else "%s.* (%d cases)") % (family, len(ids_))
    return [(label(family, ids_), row) for family, row, ids_ in rows]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vectors", default="build/reports/vectors.json")
    parser.add_argument("--suite", action="append", default=[], metavar="DIR",
                        help="a suite run's report directory (repeatable)")
    args = parser.parse_args()
    try:
        with open(args.vectors) as f:
            report = json.load(f)
    except OSError as exc:
        print("conformance: no vector report (%s): run `make vectors-check`" % exc, file=sys.stderr)
        return 2
    text = "\n".join([
        "zwire verdicts — golden vectors (%d checked: %d agree, %d disagree)" %
        (report["checked"], report["agree"], report["disagree"]),
        "",
        render(table(report), report["codecs"]),
    ] + suite_matrix(args.suite))
    print(text)
    md = os.path.join(os.path.dirname(os.path.abspath(args.vectors)), "vectors.md")
    with open(md, "w") as f:
        f.write("# " + text + "\n")
    print("\nreports: %s, %s" % (args.vectors, md))
    return 0 if report["disagree"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
