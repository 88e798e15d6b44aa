#!/usr/bin/python3
"""check.py — run every golden vector through both zwire codecs and compare.

For each test of each vectors/**/*_test.json file:
  * the C codec (through the runner, build/bin/zw-vector-runner, which also
    re-chunks the input every way and tries the encoder round trip), and
  * the independent Python codec (conformance/zwire_codec), fed the vector's
    own chunks, the whole input, fixed chunk sizes and two-way splits,
must each produce exactly the `expected` report of the file (vectors/FORMAT.md);
the clause a codec cites for an error must be one of the vector's `clauses`;
valid vectors without the NonCanonical flag must survive encode(decode(x)) == x
in both codecs.  Any difference is a disagreement; the exit status is 1 if
there is one, 2 if a tool failed.

Whole connections (group types curve-handshake and plain-handshake, FORMAT.md "Handshakes")
are not decoder input: the C runner replays them, and so does check_handshake.py beside this
file, on the Python state objects (zwire_codec.curvezmq, zwire_codec.plain_handshake): every
body made and compared, every command taken by the other side, each tampered one refused.

Prints `vectors: N checked, N agree, 0 disagree` and writes a JSON report.
"""

import argparse
import glob
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "conformance"))

PYTHON_CHUNK_SIZES = (1, 2, 3, 5, 7, 13, 64)


def vector_files(paths):
    if paths:
        return paths
    return sorted(glob.glob(os.path.join(ROOT, "vectors", "**", "*_test.json"), recursive=True))


def without_clause(report):
    """The report as the file states it: the error without its clause."""
    report = json.loads(json.dumps(report))
    if report.get("error"):
        report["error"].pop("clause", None)
    return report


def run_c(runner, files):
    """Returns {(file, tcId): runner line}."""
    out = subprocess.run([runner] + files, capture_output=True, text=True)
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        raise SystemExit(2)
    lines = {}
    for line in out.stdout.splitlines():
        item = json.loads(line)
        lines[(item["file"], item["tcId"])] = item
    return lines


# Decoders whose input is a frame list: each chunk is one frame, never re-chunked.
FRAME_LIST_TYPES = ("mdp", "flp", "zap")

# Whole connections (FORMAT.md, "Handshakes"): run by check_handshake.py, not decoded.
HANDSHAKE_TYPES = ("curve-handshake", "plain-handshake")


def python_chunkings(group_type, data, chunks):
    yield "vector chunks", chunks
    if group_type in FRAME_LIST_TYPES:
        return
    yield "whole", [data]
    for size in PYTHON_CHUNK_SIZES:
        yield "chunks of %d" % size, [data[i:i + size] for i in range(0, len(data), size)] or [b""]
    step = max(1, len(data) // 16)
    for split in range(0, len(data) + 1, step):
        yield "split at %d" % split, [data[:split], data[split:]]


def run_python(group, test):
    """Returns (report, problems) for the Python codec."""
    from zwire_codec import run_decoder, encode
    chunks = [bytes.fromhex(c) for c in test["input"]]
    data = b"".join(chunks)
    params = group.get("params", {})
    problems = []
    first = None
    for name, pieces in python_chunkings(group["type"], data, chunks):
        try:
            report = run_decoder(group["type"], params, pieces)
        except Exception as exc:  # a codec crash is a finding, not a harness error
            problems.append("python codec raised %r on %s" % (exc, name))
            return None, problems
        if first is None:
            first = report
        elif report != first:
            problems.append("python: not chunk invariant (%s)" % name)
            break
    if first is not None and wants_round_trip(test) and first.get("state") == "complete":
        try:
            again = encode(group["type"], params, first)
            if again != (chunks if group["type"] in FRAME_LIST_TYPES else data):
                problems.append("python: encode(decode(x)) != x")
        except Exception as exc:
            problems.append("python: encoder raised %r" % (exc,))
    return first, problems


def run_python_handshake(group, test):
    """Returns (report, problems) of check_handshake.py for a whole connection; its problems
    are the first difference found, not a dump of the report."""
    import check_handshake
    try:
        report, problems = check_handshake.check(group["type"], test)
    except Exception as exc:  # a checker crash is a finding, not a harness error
        return None, ["python: handshake checker raised %r" % (exc,)]
    problems = problems + check_handshake.judge(report, test)
    return report, ["python: " + p for p in problems]


def wants_round_trip(test):
    """encode(decode(x)) == x is owed by canonical, complete, valid inputs."""
    return (test["result"] == "valid" and "NonCanonical" not in test["flags"]
            and test["expected"].get("state") == "complete")


def judge(codec, report, test):
    """Problems of one codec's report against the vector."""
    problems = []
    if report is None:
        return problems
    if without_clause(report) != test["expected"]:
        problems.append("%s: report differs from expected: %s" % (codec, json.dumps(without_clause(report), sort_keys=True)))
    error = report.get("error")
    if error and error.get("clause") not in test["clauses"]:
        problems.append("%s: cites clause %r, not among the vector's %s" % (codec, error.get("clause"), test["clauses"]))
    return problems


def check_test(path, group, test, c_line, c_only):
    problems = []
    c_report = c_line["report"] if c_line else None
    if c_line is None:
        problems.append("c: no result from the runner")
    else:
        if not c_line["chunkInvariant"]:
            problems.append("c: not chunk invariant (%s)" % c_line["variant"])
        if wants_round_trip(test) and c_line["roundTrip"] != "ok":
            problems.append("c: round trip: %s" % c_line["roundTrip"])
        problems += judge("c", c_report, test)
    py_report = None
    if not c_only:
        if group["type"] in HANDSHAKE_TYPES:
            py_report, py_problems = run_python_handshake(group, test)
        else:
            py_report, py_problems = run_python(group, test)
            py_problems += judge("python", py_report, test)
        problems += py_problems
        # each codec may cite any clause the vector lists; the rest must be equal
        if (c_report is not None and py_report is not None
                and without_clause(c_report) != without_clause(py_report)):
            problems.append("c and python reports differ")
    out = {"file": os.path.relpath(path, ROOT), "tcId": test["tcId"], "result": test["result"],
           "clauses": test["clauses"], "c": c_report, "python": py_report,
           "agree": not problems, "problems": problems}
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runner", default=os.path.join(ROOT, "build", "bin", "zw-vector-runner"))
    parser.add_argument("--report", help="write the JSON report here")
    parser.add_argument("--c-only", action="store_true", help="check the C codec only (sanitizer runs)")
    parser.add_argument("--verbose", "-v", action="store_true", help="list every disagreement in full")
    parser.add_argument("files", nargs="*", help="vector files (default: vectors/**/*_test.json)")
    args = parser.parse_args()

    files = [os.path.abspath(f) for f in vector_files(args.files)]
    if not files:
        print("vectors: no vector files found", file=sys.stderr)
        return 2
    c_lines = run_c(args.runner, files)
    results = []
    for path in files:
        with open(path) as f:
            doc = json.load(f)
        for group in doc["testGroups"]:
            for test in group["tests"]:
                results.append(check_test(path, group, test, c_lines.get((path, test["tcId"])), args.c_only))

    bad = [r for r in results if not r["agree"]]
    for r in bad[: None if args.verbose else 25]:
        print("DISAGREE %s tcId %s (%s):" % (r["file"], r["tcId"], r["result"]))
        for p in r["problems"]:
            print("    " + p)
    if len(bad) > 25 and not args.verbose:
        print("... %d more (use --verbose)" % (len(bad) - 25))
    codecs = "C" if args.c_only else "C and Python"
    print("vectors: %d files, %s codec%s" % (len(files), codecs, "" if args.c_only else "s"))
    print("vectors: %d checked, %d agree, %d disagree" % (len(results), len(results) - len(bad), len(bad)))
    if args.report:
        os.makedirs(os.path.dirname(os.path.abspath(args.report)), exist_ok=True)
        summary = {"checked": len(results), "agree": len(results) - len(bad), "disagree": len(bad),
                   "codecs": codecs, "files": [os.path.relpath(f, ROOT) for f in files], "tests": results}
        with open(args.report, "w") as f:
            json.dump(summary, f, indent=1)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
