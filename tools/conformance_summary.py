#!/usr/bin/python3
"""conformance_summary.py — the verdict table `make conformance` prints.

Reads the vector check report (build/reports/vectors.json, written by
vectors/tools/check.py) and prints, per vector file, how many vectors each
codec decoded exactly as the file says; writes the same table as Markdown
next to the JSON report.  The conformance suite proper (cases run against
implementations through adapters) is not built yet: the table says so
instead of pretending.  Exit status: 0 if every vector agrees, 1 otherwise.
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


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vectors", default="build/reports/vectors.json")
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
        "",
        "Not yet run: the conformance suite against implementations (reference peer, libzmq)",
        "through adapters; it arrives with the reference peer and the suite (issues #3, #4).",
    ])
    print(text)
    md = os.path.join(os.path.dirname(os.path.abspath(args.vectors)), "vectors.md")
    with open(md, "w") as f:
        f.write("# " + text + "\n")
    print("\nreports: %s, %s" % (args.vectors, md))
    return 0 if report["disagree"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
