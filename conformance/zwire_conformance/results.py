"""The committed results of an implementation: conformance/results/<name>-<version>.md,
written from a run's report.json and the implementation's baseline, so that every
deviation from the RFCs is listed with the clause it breaks and the reason the baseline
gives for it.

    /usr/bin/python3 -m zwire_conformance.results REPORT.json BASELINE.json OUT.md

Exit status 1 if the run has a FAIL the baseline does not explain, or the baseline
explains a case that no longer fails (keep it honest both ways).
"""

import collections
import json
import sys

from . import report as R
from . import verdict as V

# Where the committed results live (conformance/results/): their links to spec/ start here,
# whatever file a run writes them to, so that a run's copy is the committed file exactly.
TO_ROOT = "../.."


def render(report, baseline):
    impl = report["implementation"]
    reasons = {e["case"]: e for e in baseline.get("entries", [])}
    link = R.spec_link(root=TO_ROOT)
    lines = ["# %s %s against the zwire conformance suite" % (impl.get("name"), impl.get("version", "")),
             "",
             "Suite %s, profile `%s`, %d cases. Written from a run by `make conformance-suite`"
             " (build/reports/libzmq/results.md), which fails while this file differs from it:"
             " copy that file here when a change of the suite changes it."
             % (report["suite"]["version"], report["profile"], len(report["cases"])), "",
             "| verdict | cases |", "|---|---|"]
    lines += ["| %s | %d |" % (v, n) for v, n in report["counts"].items() if n]
    per_area = collections.OrderedDict()
    for case_ in report["cases"]:
        per_area.setdefault(case_["area"], collections.Counter())[case_["verdict"]] += 1
    lines += ["", "| area | " + " | ".join(V.VERDICTS[:5]) + " |",
              "|---|" + "---|" * 5]
    for area, counter in per_area.items():
        lines.append("| %s | %s |" % (area, " | ".join(str(counter[v]) for v in V.VERDICTS[:5])))
    deviations = [c for c in report["cases"] if c["verdict"] in (V.FAIL, V.PASS_NONSTRICT, V.INFO)]
    lines += ["", "## Deviations from the RFCs", "",
              "Every case that did not simply pass, with the clause it checks and why.", ""]
    for case_ in deviations:
        broken = [e for e in case_["expectations"] if e["verdict"] != V.PASS]
        entry = {c["id"]: c for c in case_["clauses"]}
        clauses = ", ".join("%s (%s)" % (link(entry.get(c, {"id": c})), k)
                            for c, k in sorted({(e["clause"], e["keyword"]) for e in broken}))
        why = reasons.get(case_["id"], {}).get("reason", "")
        rfc = {c["id"]: c.get("rfc", "") for c in case_["clauses"]}
        quotes = sorted({rfc.get(e["clause"], "") for e in broken
                         if e["verdict"] == V.FAIL} - {""})
        lines.append("- **%s** `%s` — %s. %s%s%s" % (
            case_["verdict"], case_["id"], case_["title"], clauses or "",
            "".join("  \n  RFC: \u201c%s\u201d" % q for q in quotes),
            ("  \n  Why: " + why) if why else ""))
    return "\n".join(lines) + "\n"


def check(report, baseline):
    """Problems: FAILs the baseline does not explain, entries for cases that pass now."""
    fails = {c["id"] for c in report["cases"] if c["verdict"] == V.FAIL}
    listed = {e["case"] for e in baseline.get("entries", []) if e.get("verdict") == V.FAIL}
    return (["unexplained FAIL: %s" % c for c in sorted(fails - listed)]
            + ["baseline lists a FAIL that no longer fails: %s" % c for c in sorted(listed - fails)])


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 3
    with open(argv[0]) as f:
        report = json.load(f)
    with open(argv[1]) as f:
        baseline = json.load(f)
    with open(argv[2], "w") as f:
        f.write(render(report, baseline))
    problems = check(report, baseline)
    for p in problems:
        print("results: %s" % p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
