"""How long the suite takes: the whole ZMTP suite against each shipped implementation,
timed from the outside (process start to exit), RUNS times, the median reported beside
the target of 30 s per implementation on a 2-core machine, with the slowest cases.

A benchmark, never a test: nothing here fails because of a time.  The suite's exit status
is kept, so a run that broke is shown as broken rather than timed: a run that wrote no
report (the pre-flight refused the adapter, exit 2; a bad invocation, exit 3) gives its
exit status and the last line it wrote, and no figures; the median is of the runs that
were timed, and an implementation none of whose runs was is rendered "broken".

    python3 -m zwire_conformance.timing [--runs 3] [--jobs N] [--report PATH.json]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from .cli import SHIPPED

TARGET_SECONDS = 30.0
# An implementation's known deviations, so that its exit status says "as expected".
BASELINES = {"libzmq": os.path.join("baselines", "libzmq-4.3.4.json")}
HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(HERE)


def time_suite(implementation, jobs, directory):
    """(wall seconds, exit status, report, the last line of its stderr) of one whole run;
    report is None for a run that wrote none."""
    command = [sys.executable, "-m", "zwire_conformance", "--implementation", implementation,
               "-q", "--report-dir", directory]
    if jobs:
        command += ["--jobs", str(jobs)]
    if implementation in BASELINES:
        command += ["--baseline", BASELINES[implementation]]
    started = time.monotonic()
    done = subprocess.run(command, cwd=HERE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seconds = time.monotonic() - started
    said = done.stderr.decode("utf-8", "replace").strip().splitlines()
    try:
        with open(os.path.join(directory, "report.json")) as f:
            report = json.load(f)
    except (OSError, ValueError):
        report = None
    return seconds, done.returncode, report, said[-1] if said else ""


def measure(implementation, runs, jobs):
    """The figures of `runs` runs; a run that wrote no report counts in `broken` (its exit
    status and what it said) and gives no figure."""
    times, statuses, slowest, counted, broken = [], [], {}, 0, []
    for run in range(runs):
        with tempfile.TemporaryDirectory() as directory:
            seconds, status, report, said = time_suite(implementation, jobs, directory)
        statuses.append(status)
        if report is None:
            broken.append({"run": run + 1, "exitStatus": status, "said": said})
            continue
        times.append(seconds)
        counted = len(report["cases"])
        for case_ in report["cases"]:
            slowest[case_["id"]] = max(slowest.get(case_["id"], 0.0), case_["seconds"])
    median = statistics.median(times) if times else None
    return {"implementation": implementation, "cases": counted, "runs": runs,
            "seconds": [round(s, 1) for s in times],
            "median": round(median, 1) if times else None,
            "target": TARGET_SECONDS,
            "withinTarget": median <= TARGET_SECONDS if times else None,
            "exitStatuses": statuses, "broken": broken,
            "slowestCases": sorted(([k, round(v, 2)] for k, v in slowest.items()),
                                   key=lambda kv: -kv[1])[:5]}


def render(results, jobs):
    lines = ["# The suite's wall time", "",
             "Whole ZMTP suite, one implementation at a time, %s cases at once, on %d CPUs; "
             "target: at most %.0f s each." % (jobs or "the default number of", os.cpu_count(),
                                               TARGET_SECONDS), "",
             "| implementation | cases | median | runs (s) | target | suite exit | slowest cases (s) |",
             "|---|---|---|---|---|---|---|"]
    for r in results:
        runs = [str(s) for s in r["seconds"]] + ["broken"] * len(r.get("broken", []))
        lines.append("| %s | %s | %s | %s | %s | %s | %s |" % (
            r["implementation"], r["cases"] if r["median"] is not None else "-",
            "%.1f s" % r["median"] if r["median"] is not None else "broken",
            ", ".join(runs),
            "-" if r["withinTarget"] is None else "met" if r["withinTarget"] else "MISSED",
            ", ".join(map(str, r["exitStatuses"])),
            ", ".join("%s %.1f" % (k, v) for k, v in r["slowestCases"][:3])))
    broken = [(r["implementation"], b) for r in results for b in r.get("broken", [])]
    if broken:
        lines += ["", "Broken runs (no report, so no figures):", ""]
        lines += ["- %s, run %d: exit %d%s" % (name, b["run"], b["exitStatus"],
                                               ": %s" % b["said"] if b["said"] else "")
                  for name, b in broken]
    return "\n".join(lines) + "\n"


def main(argv=None):
    p = argparse.ArgumentParser(prog="python3 -m zwire_conformance.timing",
                                description="Times the whole suite against each shipped "
                                "implementation (a benchmark: it reports, never fails on a "
                                "time).")
    p.add_argument("--runs", type=int, default=3, help="runs per implementation (median)")
    p.add_argument("--jobs", type=int, default=0, help="the suite's --jobs (default: its own)")
    p.add_argument("--implementation", action="append", choices=sorted(SHIPPED),
                   help="only these (repeatable; default: all shipped)")
    p.add_argument("--report", metavar="PATH.json",
                   default=os.path.join(ROOT, "build", "reports", "suite-time.json"),
                   help="where the figures go (a .md beside it)")
    args = p.parse_args(argv)
    if args.runs < 1:
        p.error("--runs must be at least 1")
    results = [measure(i, args.runs, args.jobs) for i in args.implementation or sorted(SHIPPED)]
    os.makedirs(os.path.dirname(os.path.abspath(args.report)), exist_ok=True)
    with open(args.report, "w") as f:
        json.dump({"cpus": os.cpu_count(), "jobs": args.jobs or None, "results": results}, f,
                  indent=1)
    text = render(results, args.jobs)
    with open(os.path.splitext(args.report)[0] + ".md", "w") as f:
        f.write(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
