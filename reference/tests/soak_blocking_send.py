#!/usr/bin/python3
"""soak_blocking_send.py — blocking senders at their high-water mark, many times, under load.

A lost wake-up (zw_loop.h, "Turns, and when the loop sleeps") leaves a zw_send that waits at
its high-water mark asleep for ever once its queue has drained: it shows only now and then,
when the timing is just so, and more often when the CPUs are busy.  This soak makes it as
likely as it can be: a load generator (stress-ng, one CPU worker per core) keeps every core
busy while DEALER and PUSH senders stream small messages into a receiver with low
high-water marks (so the sender waits at its mark thousands of times a run), over tcp and
ipc, zwire -> zwire (tp-zwire) and zwire -> libzmq (tp-mixed), for --seconds in all.

Every run must finish: one that is still running after --timeout seconds is killed (with
every process it started) and reported with its command line, and the soak fails.  Timings
are not judged; the report says how many runs finished in how long.

  soak_blocking_send.py [--bin-dir build/bench] [--seconds 60] [--timeout 30]
                        [--no-load] [--report FILE]

Exit status: 0 when every run finished, 1 when one did not (or failed), 2 on a usage error
or a missing program.  Only the standard library, under Debian's /usr/bin/python3.
"""

import argparse
import itertools
import json
import os
import shlex
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "bench"))
import run_bench  # noqa: E402  (run_program: a run in its own process group, killed if hung)

# (program, extra options): the senders under test, each against its receiver.
PAIRS = [
    ("tp-zwire", []),                                            # zwire -> zwire
    ("tp-mixed", ["--sender", "zwire", "--receiver", "libzmq"]),  # zwire -> libzmq
]
PATTERNS = ["dealer-dealer", "push-pull"]
TRANSPORTS = ["tcp", "ipc"]
# Small messages and a low mark: the sender meets its mark about count / hwm times a run.
SIZE = 256
COUNT = 200_000
HWMS = [10, 100, 1000]


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bin-dir", default="build/bench", help="where tp-zwire and tp-mixed are")
    p.add_argument("--seconds", type=float, default=60, help="how long to soak (60)")
    p.add_argument("--timeout", type=int, default=30,
                   help="seconds a run may take before it counts as hung (30)")
    p.add_argument("--no-load", action="store_true", help="without the load generator")
    p.add_argument("--report", help="write the runs as JSON here")
    args = p.parse_args(argv)
    if args.seconds <= 0 or args.timeout <= 0:
        p.error("--seconds and --timeout must be positive")
    return args


def start_load(args):
    """stress-ng with a CPU worker per core, or None (--no-load)."""
    if args.no_load:
        return None
    stress = shutil.which("stress-ng")
    if not stress:
        sys.stderr.write("soak: stress-ng is missing (tools/install-deps.sh stress-ng)\n")
        sys.exit(2)
    return subprocess.Popen([stress, "--cpu", str(os.cpu_count() or 2), "--quiet",
                             "--timeout", "%ds" % (args.seconds + 2 * args.timeout)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def command(args, program, extra, pattern, transport, hwm):
    argv = [os.path.join(args.bin_dir, program)] + extra
    if program == "tp-mixed":
        argv += ["--bin-dir", args.bin_dir]     # where it finds tp-zwire and tp-libzmq
    return argv + ["--pattern", pattern, "--transport", transport, "--size", str(SIZE),
                   "--count", str(COUNT), "--hwm", str(hwm), "--timeout", str(args.timeout)]


def soak(args):
    """Runs the combinations in turn until --seconds have passed; returns the runs."""
    runs = []
    combinations = itertools.cycle(itertools.product(PAIRS, PATTERNS, TRANSPORTS, HWMS))
    deadline = time.monotonic() + args.seconds
    while time.monotonic() < deadline:
        (program, extra), pattern, transport, hwm = next(combinations)
        argv = command(args, program, extra, pattern, transport, hwm)
        started = time.monotonic()
        # The programs' own watchdog (--timeout) fires first; the kill is the backstop.
        lines, why = run_bench.run_program(argv, args.timeout + 5)
        runs.append({"command": shlex.join(argv), "ok": lines is not None,
                     "why": why, "seconds": round(time.monotonic() - started, 3)})
        if lines is None:
            sys.stderr.write("soak: a run did not finish: %s\n  rerun: %s\n"
                             % (why, runs[-1]["command"]))
    return runs


def main(argv):
    args = parse_args(argv)
    missing = [p for p, _ in PAIRS + [("tp-libzmq", [])]
               if not os.access(os.path.join(args.bin_dir, p), os.X_OK)]
    if missing:
        sys.stderr.write("soak: missing in %s: %s (make bench-messaging-build)\n"
                         % (args.bin_dir, " ".join(missing)))
        return 2
    load = start_load(args)
    started = time.monotonic()
    try:
        runs = soak(args)
    finally:
        if load:
            load.terminate()
            load.wait()
    elapsed = time.monotonic() - started
    failed = [r for r in runs if not r["ok"]]
    print("soak: %d runs of blocking senders at their high-water mark in %.0f s%s: %d did not "
          "finish" % (len(runs), elapsed, "" if args.no_load else " under stress-ng",
                      len(failed)))
    if args.report:
        with open(args.report, "w") as f:
            json.dump({"runs": runs, "seconds": round(elapsed, 1), "load": not args.no_load,
                       "failed": len(failed)}, f, indent=1)
            f.write("\n")
    return 1 if failed or not runs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
