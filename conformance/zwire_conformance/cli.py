"""The command line of the suite: `/usr/bin/python3 -m zwire_conformance`.

It selects cases, checks the adapter (a made-up op must be answered "unsupported" with
exit 127), runs each selected case as one pytest item (so pytest's selection, output and
-x work as usual), writes the reports, and exits 0 (no FAIL), 1 (a FAIL not in the
baseline, or with --strict a PASS-NONSTRICT), 2 (a harness error) or 3 (bad invocation).
"""

import argparse
import concurrent.futures
import fnmatch
import json
import os
import sys
import time

import pytest

from . import report as R
from . import verdict as V
from .adapter import AdapterError, check_unsupported_answer
from .case import CASES
from .runner import ROOT, load_registry, run_case
from .wire import Clock
from . import cases  # noqa: F401  (registers every case)

SUITE_VERSION = "0.1.0"

SHIPPED = {
    "zwire": [os.path.join(ROOT, "build", "bin", "zwire"), "adapter"],
    # the reference stack speaking only ZMTP 2.0: a stand-in for a 2.0-only binding
    "zwire-2.0": [os.path.join(ROOT, "build", "bin", "zwire"), "adapter", "--zmtp", "2.0"],
    "libzmq": ["/usr/bin/python3", os.path.join(ROOT, "conformance", "adapters",
                                                "libzmq_adapter.py")],
}

EPILOG = """\
adapters: --implementation zwire | libzmq runs a shipped adapter; --adapter "COMMAND"
  runs yours (conformance/ADAPTER.md says how to write one).
exit status: 0 no FAIL; 1 a FAIL that the baseline does not expect (with --strict, also
  a PASS-NONSTRICT); 2 harness error (the suite or the adapter contract broke);
  3 bad invocation.
"""


def parse(argv):
    p = argparse.ArgumentParser(prog="python3 -m zwire_conformance",
                                description="The zwire ZMTP conformance suite: plays the raw "
                                "peer against an implementation driven by its adapter and "
                                "gives a verdict per case, derived from the RFC clauses.",
                                epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    who = p.add_mutually_exclusive_group()
    who.add_argument("--implementation", choices=sorted(SHIPPED),
                     help="run a shipped adapter")
    who.add_argument("--adapter", metavar="COMMAND", help="the command that starts your adapter")
    p.add_argument("--name", help="the implementation's name in reports (default: from the hello)")
    p.add_argument("--case", action="append", default=[], metavar="GLOB",
                   help="only cases whose id matches (repeatable), e.g. 'zmtp.greeting.*'")
    p.add_argument("--area", action="append", default=[], help="only cases of this area")
    p.add_argument("--clause", action="append", default=[], help="only cases citing this clause")
    p.add_argument("--profile", choices=V.PROFILES, default="rfc-strict",
                   help="recorded in the report; no case verdict depends on it, since what "
                        "the RFCs leave to the receiver is reported under every profile (the "
                        "golden vectors use profiles for their acceptable inputs)")
    p.add_argument("--strict", action="store_true", help="PASS-NONSTRICT fails the run")
    p.add_argument("--baseline", metavar="FILE",
                   help="expected failures, each with its reason (conformance/baselines/)")
    p.add_argument("--timeout-multiplier", type=float, default=1.0, metavar="X",
                   help="multiply every wait (slow machines, sanitizer builds)")
    p.add_argument("--report-dir", metavar="DIR",
                   help="where reports go (default build/reports/<implementation>)")
    p.add_argument("--write-baseline", metavar="FILE",
                   help="after the run, write a baseline of its FAILs and PASS-NONSTRICTs to "
                        "FILE: the broken clauses and their RFC sentences filled in, the "
                        "reasons kept from --baseline where it has them, else left to write")
    p.add_argument("--list", action="store_true", help="list the selected cases and exit")
    p.add_argument("--json", action="store_true", help="with --list: as JSON")
    p.add_argument("-j", "--jobs", type=int, default=4 * (os.cpu_count() or 1), metavar="N",
                   help="cases run at once (default: 4 per CPU, since a case mostly waits on "
                        "the wire; each case has its own adapter, ports and connections)")
    p.add_argument("-x", "--exitfirst", action="store_true",
                   help="stop at the first FAIL (runs one case at a time)")
    p.add_argument("-q", "--quiet", action="store_true")
    return p, p.parse_args(argv)


def select(args, registry):
    chosen = []
    for c in CASES:
        if args.case and not any(fnmatch.fnmatchcase(c.id, g) or fnmatch.fnmatchcase(c.slug, g)
                                 for g in args.case):
            continue
        if args.area and c.area not in args.area:
            continue
        if args.clause and not set(args.clause) & set(c.clauses):
            continue
        chosen.append(c)
    return chosen


def list_cases(chosen, registry, as_json):
    if as_json:
        json.dump([{"id": c.id, "area": c.area, "title": c.title, "role": c.role,
                    "clauses": c.clauses, "needs": c.needs} for c in chosen], sys.stdout, indent=1)
        print()
    else:
        for c in chosen:
            print("%-58s %s" % (c.id, ", ".join(c.clauses)))
        print("%d cases" % len(chosen))


def load_baseline(path):
    if not path:
        return {}
    with open(path) as f:
        data = json.load(f)
    return {e["case"]: e for e in data.get("entries", [])}


class Plugin:
    """Makes each selected case a pytest item and keeps its result.  With jobs > 1 every
    case has already run, several at a time, before pytest reports them in order."""

    def __init__(self, chosen, run_one, jobs=1):
        self.chosen = {c.id: c for c in chosen}
        self.run_one = run_one
        self.results = []
        self.done = {}
        if jobs > 1:
            with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
                for case_id, result in zip(self.chosen, pool.map(run_one, chosen)):
                    self.done[case_id] = result

    def pytest_generate_tests(self, metafunc):
        if "zw_case_id" in metafunc.fixturenames:
            metafunc.parametrize("zw_case_id", list(self.chosen), ids=list(self.chosen))

    def run(self, case_id):
        result = self.done.pop(case_id, None) or self.run_one(self.chosen[case_id])
        self.results.append(result)
        return result


PLUGIN = None


def main(argv=None):
    global PLUGIN
    parser, args = parse(argv)
    registry = load_registry()
    chosen = select(args, registry)
    if args.list:
        list_cases(chosen, registry, args.json)
        return 0
    if args.jobs < 1:
        parser.print_usage(sys.stderr)
        print("zwire_conformance: --jobs must be at least 1", file=sys.stderr)
        return 3
    if not (args.implementation or args.adapter):
        parser.print_usage(sys.stderr)
        print("zwire_conformance: give --implementation or --adapter (see --help)", file=sys.stderr)
        return 3
    command = SHIPPED[args.implementation] if args.implementation else args.adapter
    clock = Clock(args.timeout_multiplier)
    try:
        hello = check_unsupported_answer(command, clock)
        baseline = load_baseline(args.baseline)
    except AdapterError as e:
        print("zwire_conformance: the adapter cannot be trusted: %s" % e, file=sys.stderr)
        return 2
    except (OSError, ValueError) as e:
        print("zwire_conformance: %s" % e, file=sys.stderr)
        return 3
    name = args.name or hello.get("implementation", {}).get("name", "implementation")
    speaks = speaks_line(name, hello.get("capabilities", {}))
    print(speaks)
    started = time.time()
    PLUGIN = Plugin(chosen, lambda c: run_case(c, command, registry, args.profile, clock, baseline),
                    1 if args.exitfirst else args.jobs)
    pytest_args = [os.path.join(os.path.dirname(__file__), "pytest_cases.py"),
                   "-p", "no:cacheprovider", "-q" if args.quiet else "-rfE"]
    if args.exitfirst:
        pytest_args.append("-x")
    pytest.main(pytest_args, plugins=[PLUGIN])
    results = PLUGIN.results
    meta = {"suite": {"name": "zwire-conformance", "version": SUITE_VERSION},
            "implementation": dict(hello.get("implementation", {}), name=name),
            "adapter": {"command": command if isinstance(command, str) else " ".join(command),
                        "capabilities": hello.get("capabilities", {})},
            "speaks": speaks, "profile": args.profile, "strict": args.strict,
            "timeoutMultiplier": args.timeout_multiplier,
            "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
            "seconds": round(time.time() - started, 1)}
    rep = R.build(results, meta)
    directory = args.report_dir or os.path.join(ROOT, "build", "reports", name)
    R.write_all(rep, directory)
    if args.write_baseline:
        with open(args.write_baseline, "w") as f:
            json.dump(baseline_skeleton(rep, baseline), f, indent=1)
            f.write("\n")
        print("baseline: %s (fill in every reason that says TODO)" % args.write_baseline)
    print(R.matrix([rep]))
    print("reports: %s/{report.json,junit.xml,summary.md,index.html}" % directory)
    verdicts = [r["verdict"] for r in results if r not in R.unexpected_fails(results)
                and r["verdict"] != V.FAIL] + [r["verdict"] for r in R.unexpected_fails(results)]
    return V.exit_status(verdicts, args.strict,
                         [r.get("robustness") for r in R.robustness_problems(results)
                          if (r.get("baseline") or {}).get("robustness") != r["robustness"]])


TODO = "TODO: why this implementation does this"


def baseline_skeleton(report, old):
    """A baseline for the run's FAILs and PASS-NONSTRICTs: per case, the clauses it broke
    with their RFC sentences, and the reason of the old baseline's entry for the same case
    and verdict, or TODO."""
    impl = report["implementation"]
    entries = []
    for case_ in report["cases"]:
        if case_["verdict"] not in (V.FAIL, V.PASS_NONSTRICT):
            continue
        broken = [e for e in case_["expectations"] if e["verdict"] == case_["verdict"]]
        rfc = {c["id"]: c.get("rfc", "") for c in case_["clauses"]}
        before = old.get(case_["id"], {})
        entries.append({
            "case": case_["id"], "verdict": case_["verdict"],
            "clauses": sorted({e["clause"] for e in broken}),
            "rfc": sorted({rfc.get(e["clause"], "") for e in broken} - {""}),
            "reason": before.get("reason") if before.get("verdict") == case_["verdict"]
            else TODO})
    return {"implementation": impl.get("name"), "version": impl.get("version", ""),
            "about": "Known deviations of %s from the RFCs as the suite observes them on the "
                     "wire: each entry the case, the verdict expected, the clauses it breaks "
                     "with their RFC sentences, and why." % impl.get("name"),
            "entries": entries}


def speaks_line(name, capabilities):
    """The report's first line about the implementation: the ZMTP versions it speaks, and
    what that leaves out."""
    versions = capabilities.get("zmtp", [])
    line = "%s speaks ZMTP %s" % (name, ", ".join(versions) if versions else "(none declared)")
    if not set(versions) & {"3.0", "3.1"}:
        line += ": the ZMTP 3.x cases are UNSUPPORTED"
    elif "3.1" not in versions:
        line += ": the ZMTP 3.1 cases are UNSUPPORTED"
    return line
