#!/usr/bin/python3
"""A bounded libFuzzer run of each zwire fuzz harness: the smoke tier of `make check`.

    /usr/bin/python3 fuzz/run_smoke.py --seconds N --build DIR --report PATH TARGET...

For each target (one after another, or --jobs at a time: each harness is one process on one
core, so `make check` runs two on this 2-core machine), runs

    DIR/fuzz/libfuzzer/<target> -max_total_time=N -timeout=T -dict=fuzz/dict/<target>.dict
        -artifact_prefix=DIR/fuzz/work/<target>/ -print_final_stats=1
        DIR/fuzz/work/<target>/corpus DIR/fuzz/seeds/<target> fuzz/corpus/<target>

The work corpus comes first, so the inputs libFuzzer adds land there and never in the
committed corpus (fuzz/corpus/ changes only by hand: a fixed crash's reproducer). The seed
directory (`make fuzz-seeds`) is skipped with a warning when missing. The RSS limit is
libFuzzer's default; -timeout (per input, default 10 s) makes a hang a finding.

Any crash, sanitizer report, leak, timeout, out-of-memory or oracle abort is a finding:
the artifact path and the tail of the output are printed, the remaining targets still run,
and the exit status is 1. Prints one line per target and a last line
`fuzz: N targets, E executions, F findings`; writes a JSON report (per target: seconds,
executions, exec/s, new corpus entries, result, artifact).
"""

import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TAIL = 60

STAT_RE = re.compile(r"^stat::(\w+):\s*(\d+)", re.M)
ARTIFACT_RE = re.compile(r"Test unit written to (\S+)")

# What a failing run's output says, first match wins.
RESULTS = (
    ("oracle", "zwire fuzz oracle FAILED"),
    ("leak", "ERROR: LeakSanitizer"),
    ("timeout", "ERROR: libFuzzer: timeout"),
    ("out-of-memory", "ERROR: libFuzzer: out-of-memory"),
    ("crash", "ERROR: AddressSanitizer"),
    ("crash", "runtime error:"),
    ("crash", "ERROR: libFuzzer: deadly signal"),
    ("crash", "ERROR: libFuzzer"),
)


def classify(returncode, output):
    for result, marker in RESULTS:
        if marker in output:
            return result
    return "ok" if returncode == 0 else "error"


def run_target(target, seconds, build, timeout):
    binary = build / "fuzz" / "libfuzzer" / target
    work = build / "fuzz" / "work" / target
    corpus = work / "corpus"
    seeds = build / "fuzz" / "seeds" / target
    committed = ROOT / "fuzz" / "corpus" / target
    corpus.mkdir(parents=True, exist_ok=True)
    committed.mkdir(parents=True, exist_ok=True)
    if not binary.exists():
        return {"result": "error", "why": "no harness %s (make fuzz-build)" % binary}, ""
    dirs = [corpus]
    if seeds.is_dir():
        dirs.append(seeds)
    else:
        print("fuzz: %s: no seeds in %s (make fuzz-seeds); running without" % (target, seeds))
    dirs.append(committed)
    command = [str(binary), "-max_total_time=%d" % seconds, "-timeout=%d" % timeout,
               "-dict=%s" % (ROOT / "fuzz" / "dict" / ("%s.dict" % target)),
               "-artifact_prefix=%s/" % work, "-print_final_stats=1"] + [str(d) for d in dirs]
    before = len(os.listdir(corpus))
    started = time.monotonic()
    try:
        proc = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=seconds + 300)
        output, returncode = proc.stdout.decode("utf-8", "replace"), proc.returncode
    except subprocess.TimeoutExpired as e:
        output = (e.stdout or b"").decode("utf-8", "replace")
        output += "\nrun_smoke: the harness overran its time by 300 s and was killed\n"
        returncode = -1
    elapsed = time.monotonic() - started
    stats = {k: int(v) for k, v in STAT_RE.findall(output)}
    artifact = ARTIFACT_RE.findall(output)
    result = classify(returncode, output)
    if result == "ok" and "number_of_executed_units" not in stats:
        result = "error"
    return {
        "seconds": round(elapsed, 1),
        "executions": stats.get("number_of_executed_units", 0),
        "execPerSec": stats.get("average_exec_per_sec", 0),
        "newCorpusEntries": stats.get("new_units_added", len(os.listdir(corpus)) - before),
        "peakRssMb": stats.get("peak_rss_mb"),
        "result": result,
        "artifact": artifact[-1] if artifact else None,
        "command": command,
    }, output


def main(argv=None):
    ap = argparse.ArgumentParser(description="Bounded libFuzzer runs of the zwire harnesses.")
    ap.add_argument("--seconds", type=int, required=True, help="libFuzzer -max_total_time per target")
    ap.add_argument("--build", default="build", help="the build directory (default build)")
    ap.add_argument("--report", help="write the JSON report here")
    ap.add_argument("--timeout", type=int, default=10, help="libFuzzer -timeout per input (s)")
    ap.add_argument("--jobs", type=int, default=1,
                    help="harnesses run at once (default 1); results print in the given order")
    ap.add_argument("targets", nargs="+")
    args = ap.parse_args(argv)
    build = Path(args.build).resolve()

    report = {"seconds": args.seconds, "targets": {}}
    executions = findings = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        runs = [pool.submit(run_target, target, args.seconds, build, args.timeout)
                for target in args.targets]
        results = [run.result() for run in runs]
    for target, (entry, output) in zip(args.targets, results):
        report["targets"][target] = entry
        executions += entry.get("executions", 0)
        if entry["result"] == "ok":
            print("fuzz: %-9s %9d executions in %5.1f s (%d exec/s), %d new corpus entries: ok"
                  % (target, entry["executions"], entry["seconds"], entry["execPerSec"],
                     entry["newCorpusEntries"]))
            continue
        findings += 1
        print("fuzz: %-9s FINDING (%s)%s" % (target, entry["result"],
                                            ", artifact %s" % entry["artifact"] if entry.get("artifact") else ""))
        if entry.get("why"):
            print("  " + entry["why"])
        for line in output.splitlines()[-TAIL:]:
            print("  | " + line)
    report["executions"] = executions
    report["findings"] = findings
    if args.report:
        Path(args.report).parent.mkdir(parents=True, exist_ok=True)
        Path(args.report).write_text(json.dumps(report, indent=2) + "\n")
    print("fuzz: %d targets, %d executions, %d findings" % (len(args.targets), executions, findings))
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
