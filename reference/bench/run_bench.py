#!/usr/bin/python3
"""run_bench.py — every messaging benchmark of zwire, repeated, summarised.

Runs the programs of reference/bench/throughput and reference/bench/latency (built into
build/bench/ by reference/bench/Makefile.inc) over every combination:

  throughput  patterns push-pull, dealer-dealer; transports tcp, ipc;
              sizes 1, 16, 256, 4096, 65536, 1048576 octets;
              impls zwire, libzmq, zwire->libzmq, libzmq->zwire (tp-mixed),
              and raw (tp-raw: a plain stream socket, the physical limit,
              measured once per transport and size, whatever the pattern)
  latency     REQ-REP round trips, transports tcp, ipc; sizes 1, 1024, 65536;
              impls zwire, libzmq, zwire->libzmq, libzmq->zwire (lat-mixed;
              the requester first: "zwire->libzmq" is a zwire REQ and a
              libzmq REP)

Each figure is measured --repeat times (default 5) and reported as its
median, min and max; the ratios (zwire/libzmq, zwire/raw, each mixed pair
against libzmq) come from the medians of this same run, so that they
compare figures taken on the same machine at the same time.

Like with like: every implementation of one comparison (one transport and
size: zwire, libzmq, the mixed pairs, both patterns; and raw, but that it
streams at least RAW_MIN_BYTES) runs the same count, so each does the same
work.  The count is a first guess (fewer
messages when they are large, never fewer than MIN_COUNT, ten bursts),
rescaled by calibration runs (not recorded) of zwire and of libzmq so that
the faster of them lasts about --target seconds.  --quick skips the
calibration, uses smaller counts and one run: a smoke test in a minute.

Throughput is reported twice (bench_report.h): the steady state (every
message after the first BENCH_BURST) and, for sizes of 64 KiB and more,
the burst of the first BENCH_BURST messages, which is what an application
sending a burst of large messages waits for.

Output: a readable table on stdout, and a JSON report (--out, default
build/reports/bench-messaging.json) with every run, the summaries, the
ratios, the host, and any failure (a failed run is reported, not fatal;
the exit status is 1 if any run failed).  A run that does not finish is
killed (its whole process group) after --timeout seconds plus a grace,
and reported with its command line, to be rerun by hand.

Only the standard library; runs under Debian's /usr/bin/python3.
"""

import argparse
import datetime
import json
import os
import platform
import shlex
import signal
import statistics
import subprocess
import sys

PATTERNS = ["push-pull", "dealer-dealer"]
TRANSPORTS = ["tcp", "ipc"]
SIZES = [1, 16, 256, 4096, 65536, 1048576]
IMPLS = ["zwire", "libzmq", "zwire->libzmq", "libzmq->zwire", "raw"]
LATENCY_SIZES = [1, 1024, 65536]
LATENCY_IMPLS = ["zwire", "libzmq", "zwire->libzmq", "libzmq->zwire"]

# First guesses, before calibration: at most MSG_BUDGET messages and
# BYTE_BUDGET payload octets per run, never fewer than MIN_COUNT messages
# (ten bursts of BURST, so that the start is a small part of a run).
MSG_BUDGET = 200_000
BYTE_BUDGET = 256 << 20
BURST = 100                     # BENCH_BURST of bench_report.h
MIN_COUNT = 10 * BURST
BURST_MIN_SIZE = 65536          # sizes whose burst is reported
# raw streams at least this many octets: small sizes' counts would be too short a stream.
RAW_MIN_BYTES = 64 << 20
LATENCY_COUNT = 10_000
LATENCY_MIN_COUNT = 200
QUICK_DIVISOR = 2
# The implementations whose calibration sets a comparison's count.
CALIBRATED = ["zwire", "libzmq"]
# Seconds a run may overrun its own watchdog (--timeout) before it is killed.
GRACE = 15


def first_count(bench, size, quick):
    if bench == "latency":
        count = LATENCY_COUNT
        floor = LATENCY_MIN_COUNT
    else:
        count = max(MIN_COUNT, min(MSG_BUDGET, BYTE_BUDGET // size))
        floor = MIN_COUNT
    return max(floor, count // QUICK_DIVISOR) if quick else count


def command(bin_dir, bench, impl, pattern, transport, size, count, timeout):
    """The argv of one run."""
    common = ["--transport", transport, "--size", str(size), "--count", str(count),
              "--timeout", str(timeout)]
    if bench == "latency":
        if "->" in impl:
            requester, replier = impl.split("->")
            return [os.path.join(bin_dir, "lat-mixed"), "--requester", requester,
                    "--replier", replier, "--bin-dir", bin_dir] + common
        return [os.path.join(bin_dir, "lat-" + impl)] + common
    if pattern:                         # raw: no pattern (it streams)
        common += ["--pattern", pattern]
    if "->" in impl:
        sender, receiver = impl.split("->")
        return [os.path.join(bin_dir, "tp-mixed"), "--sender", sender, "--receiver", receiver,
                "--bin-dir", bin_dir] + common
    return [os.path.join(bin_dir, "tp-" + impl)] + common


def run_program(argv, timeout):
    """Runs a program in a process group of its own; returns (stdout lines, None),
    or (None, why) when it failed or had to be killed after timeout seconds (with every
    process it started: a driver's two sides, say)."""
    try:
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
    except OSError as error:
        return None, str(error)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)         # not reaped yet: the group is its own
        proc.communicate()
        return None, "hung: killed after %d s" % timeout
    lines = out.decode("utf-8", "replace").strip().splitlines()
    if proc.returncode != 0 or not lines:
        err = err.decode("utf-8", "replace").strip().splitlines()
        return None, "exit %d: %s" % (proc.returncode, err[-1] if err else "no output")
    return lines, None


def run_once(argv, timeout):
    """Runs one benchmark; returns (result dict, None) or (None, why)."""
    lines, why = run_program(argv, timeout + GRACE)
    if lines is None:
        return None, why
    try:
        return json.loads(lines[-1]), None
    except ValueError:
        return None, "not JSON: %r" % lines[-1][:200]


def failure(run, count, why, argv):
    """A failed run as the report keeps it: what, why, and the command to rerun it."""
    return {"run": run, "count": count, "why": why, "command": shlex.join(argv)}


def summary(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


class Runner:
    def __init__(self, args):
        self.args = args
        self.failures = []
        self.done = 0

    def progress(self, text):
        if not self.args.no_progress:
            sys.stderr.write("\r\033[K[%d] %s" % (self.done, text))
            sys.stderr.flush()

    def run(self, label, bench, impl, pattern, transport, size, count):
        """One run; None (and a failure recorded, with its command line) if it failed."""
        a = self.args
        argv = command(a.bin_dir, bench, impl, pattern, transport, size, count, a.timeout)
        result, why = run_once(argv, a.timeout)
        if result is None:
            self.failures.append(failure(label, count, why, argv))
        return result

    def comparison_count(self, bench, transport, size):
        """The one count of every implementation of a comparison: the first guess, or
        (unless --quick) what makes the faster of zwire and libzmq last --target s."""
        a = self.args
        first = max(2, int(first_count(bench, size, a.quick) * a.scale))
        if a.quick:
            return first
        floor = MIN_COUNT if bench == "throughput" else LATENCY_MIN_COUNT
        counts = []
        for impl in (i for i in CALIBRATED if i in self.impls(bench)):
            for pattern in (a.patterns if bench == "throughput" else [None]):
                label = "%s %s %s %s %d (calibration)" % (bench, impl, pattern or "req-rep",
                                                          transport, size)
                self.progress(label)
                result = self.run(label, bench, impl, pattern, transport, size, first)
                if result is None:
                    continue
                seconds = result["total_seconds"] if bench == "throughput" else \
                    result["mean_us"] * 1e-6 * first
                counts.append(int(first * a.target / max(seconds, 1e-6)))
        return max(floor, max(counts)) if counts else first

    def impls(self, bench):
        return self.args.impls if bench == "throughput" else self.args.latency_impls

    def measure(self, bench, impl, pattern, transport, size, count):
        """Runs one implementation --repeat times at the comparison's count."""
        a = self.args
        label = "%s %s %s %s %d" % (bench, impl, pattern or "req-rep", transport, size)
        runs = []
        for i in range(a.repeat):
            self.progress("%s count %d run %d/%d" % (label, count, i + 1, a.repeat))
            result = self.run(label, bench, impl, pattern, transport, size, count)
            if result is not None:
                runs.append(result)
        self.done += 1
        if not runs:
            return None
        entry = {"impl": impl, "transport": transport, "size": size, "count": count,
                 "runs": runs}
        if bench == "throughput":
            entry["pattern"] = pattern
            keys = ["msgs_per_s", "mb_per_s", "seconds"]
            if all("burst_mb_per_s" in r for r in runs):
                keys += ["burst_msgs_per_s", "burst_mb_per_s", "burst_seconds"]
        else:
            keys = ["p50_us", "p99_us", "mean_us"]
        for key in keys:
            entry[key] = summary([r[key] for r in runs])
        return entry


def median_of(entries, key, **match):
    for e in entries:
        if all(e.get(k) == v for k, v in match.items()):
            return e[key]["median"] if key in e else None
    return None


def ratio(a, b):
    return round(a / b, 4) if a is not None and b else None


def throughput_ratios(entries, args):
    """Ratios of the steady state; for sizes of BURST_MIN_SIZE and more, of the burst too
    (the same keys, prefixed "burst ")."""
    rows = []
    for transport in args.transports:
        for pattern in args.patterns:
            for size in args.sizes:
                row = {"pattern": pattern, "transport": transport, "size": size}
                for prefix in ("", "burst ") if size >= BURST_MIN_SIZE else ("",):
                    row.update(ratios_of(entries, args, prefix, pattern, transport, size))
                rows.append(row)
    return rows


def ratios_of(entries, args, prefix, pattern, transport, size):
    key = prefix.replace(" ", "_")
    m = {impl: median_of(entries, key + "msgs_per_s", impl=impl, pattern=pattern,
                         transport=transport, size=size)
         for impl in args.impls if impl != "raw"}
    mb = {impl: median_of(entries, key + "mb_per_s", impl=impl, pattern=pattern,
                          transport=transport, size=size) for impl in ("zwire", "libzmq")}
    raw_mb = median_of(entries, key + "mb_per_s", impl="raw", transport=transport, size=size)
    return {
        prefix + "zwire/libzmq": ratio(m.get("zwire"), m.get("libzmq")),
        prefix + "zwire/raw": ratio(mb["zwire"], raw_mb),
        prefix + "libzmq/raw": ratio(mb["libzmq"], raw_mb),
        prefix + "zwire->libzmq/libzmq": ratio(m.get("zwire->libzmq"), m.get("libzmq")),
        prefix + "libzmq->zwire/libzmq": ratio(m.get("libzmq->zwire"), m.get("libzmq")),
    }


# The latency ratios of each impl against libzmq, keyed "p50 <impl>/libzmq" and "p99 ...".
LATENCY_RATIO_IMPLS = ["zwire", "zwire->libzmq", "libzmq->zwire"]


def latency_ratios(entries, args):
    rows = []
    for transport in args.transports:
        for size in args.latency_sizes:
            row = {"transport": transport, "size": size}
            for key in ("p50_us", "p99_us"):
                base = median_of(entries, key, impl="libzmq", transport=transport, size=size)
                for impl in LATENCY_RATIO_IMPLS:
                    row["%s %s/libzmq" % (key.split("_")[0], impl)] = ratio(
                        median_of(entries, key, impl=impl, transport=transport, size=size), base)
            rows.append(row)
    return rows


# --- the table ------------------------------------------------------------------------------

def human(value):
    if value is None:
        return "-"
    for scale, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if value >= scale:
            return "%.2f%s" % (value / scale, suffix)
    return "%.1f" % value if value < 100 else "%.0f" % value


def fmt_ratio(value):
    if value is None:
        return "-"
    return "%.2f" % value if value >= 0.1 else "%.4f" % value


def spread(entry, key):
    """Half the min-max range, in percent of the median."""
    s = entry[key]
    return 100.0 * (s["max"] - s["min"]) / 2 / s["median"] if s["median"] else 0.0


def find(entries, **match):
    for e in entries:
        if all(e.get(k) == v for k, v in match.items()):
            return e
    return None


def cell(entry, key, with_spread):
    if entry is None or key not in entry:
        return "-"
    text = human(entry[key]["median"])
    if with_spread and len(entry["runs"]) > 1:
        text += "±%.0f%%" % spread(entry, key)
    return text


def print_tables(report, args, out):
    thr = report["throughput"]
    ratios = {(r["pattern"], r["transport"], r["size"]): r for r in report["ratios"]["throughput"]}
    multi = args.repeat > 1
    if thr:
        print_throughput(thr, ratios, args, multi, out)
    print_latency(report, args, out)
    if report["failures"]:
        out.write("\nFAILURES (%d):\n" % len(report["failures"]))
        for f in report["failures"]:
            out.write("  %s (count %d): %s\n    rerun: %s\n"
                      % (f["run"], f["count"], f["why"], f["command"]))


def print_throughput(thr, ratios, args, multi, out):
    out.write("\nThroughput: median of %d run(s) (±: half the min-max spread); msgs/s, and MB/s "
              "(10^6 payload octets/s)\n" % args.repeat)
    impls = [i for i in args.impls if i != "raw"]
    for transport in args.transports:
        for pattern in args.patterns:
            out.write("\n%s %s\n" % (transport, pattern))
            head = ["size", "count"] + ["%s msg/s" % i for i in impls] + \
                   ["zwire MB/s", "libzmq MB/s", "raw MB/s", "zw/lz", "zw/raw", "lz/raw"]
            rows = []
            for size in args.sizes:
                for prefix in ("", "burst ") if size >= BURST_MIN_SIZE else ("",):
                    rows.append(throughput_row(thr, ratios, impls, multi, prefix, pattern,
                                               transport, size))
            write_table(out, head, rows)


def throughput_row(thr, ratios, impls, multi, prefix, pattern, transport, size):
    """One row of a throughput table: the steady state, or (prefix "burst ") the burst."""
    key = prefix.replace(" ", "_")
    zwire = find(thr, impl="zwire", pattern=pattern, transport=transport, size=size)
    row = [("%d" % size) if not prefix else "  burst",
           str(zwire["count"]) if zwire and not prefix else ""]
    for impl in impls:
        row.append(cell(find(thr, impl=impl, pattern=pattern, transport=transport, size=size),
                        key + "msgs_per_s", multi))
    for impl in ("zwire", "libzmq"):
        row.append(cell(find(thr, impl=impl, pattern=pattern, transport=transport, size=size),
                        key + "mb_per_s", False))
    row.append(cell(find(thr, impl="raw", transport=transport, size=size), key + "mb_per_s",
                    multi))
    r = ratios.get((pattern, transport, size), {})
    for name in ("zwire/libzmq", "zwire/raw", "libzmq/raw"):
        row.append(fmt_ratio(r.get(prefix + name)))
    return row


def print_latency(report, args, out):
    lat = report["latency"]
    if lat:
        out.write("\nLatency: REQ-REP round trip, median of %d run(s) of p50 / p99, "
                  "microseconds (zw: zwire, lz: libzmq; zw->lz: zwire REQ, libzmq REP)\n\n"
                  % args.repeat)
        shown = [i for i in LATENCY_RATIO_IMPLS if i in args.latency_impls]
        head = ["transport", "size"] + ["%s p50" % short(i) for i in args.latency_impls] + \
               ["%s p99" % short(i) for i in args.latency_impls] + \
               ["%s %s/lz" % (p, short(i)) for p in ("p50", "p99") for i in shown]
        rows = []
        lr = {(r["transport"], r["size"]): r for r in report["ratios"]["latency"]}
        for transport in args.transports:
            for size in args.latency_sizes:
                row = [transport, str(size)]
                for key in ("p50_us", "p99_us"):
                    for impl in args.latency_impls:
                        e = find(lat, impl=impl, transport=transport, size=size)
                        row.append("-" if e is None else "%.1f" % e[key]["median"])
                r = lr.get((transport, size), {})
                for key in ("%s %s/libzmq" % (p, i) for p in ("p50", "p99") for i in shown):
                    row.append(fmt_ratio(r.get(key)))
                rows.append(row)
        write_table(out, head, rows)


def short(impl):
    """zw, lz, zw->lz: an impl's name in a column head."""
    return impl.replace("zwire", "zw").replace("libzmq", "lz")


def write_table(out, head, rows):
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows)]
    line = lambda cells: "  ".join(str(c).rjust(w) for c, w in zip(cells, widths)) + "\n"
    out.write(line(head))
    out.write("  ".join("-" * w for w in widths) + "\n")
    for row in rows:
        out.write(line(row))


# --- main -----------------------------------------------------------------------------------

def host_info():
    info = {"nproc": os.cpu_count(), "kernel": platform.release(), "machine": platform.machine(),
            "python": platform.python_version()}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        info["libzmq"] = subprocess.run(
            ["dpkg-query", "-W", "-f", "${Version}", "libzmq3-dev"], stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, check=False).stdout.decode().strip() or None
    except OSError:
        info["libzmq"] = None
    return info


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bin-dir", default="build/bench", help="where the benchmark programs are")
    p.add_argument("--out", default="build/reports/bench-messaging.json", help="the JSON report")
    p.add_argument("--repeat", type=int, default=None, help="runs per figure (default 5)")
    p.add_argument("--quick", action="store_true",
                   help="1 run per figure, smaller counts, no calibration")
    p.add_argument("--target", type=float, default=0.5,
                   help="seconds one run should last after calibration (default 0.5)")
    p.add_argument("--scale", type=float, default=1.0, help="multiplies the first-guess counts")
    p.add_argument("--timeout", type=int, default=120, help="watchdog of each run, seconds")
    p.add_argument("--only", choices=["throughput", "latency"], help="one kind of benchmark")
    p.add_argument("--patterns", nargs="+", default=PATTERNS, choices=PATTERNS)
    p.add_argument("--transports", nargs="+", default=TRANSPORTS, choices=TRANSPORTS)
    p.add_argument("--sizes", nargs="+", type=int, default=SIZES)
    p.add_argument("--impls", nargs="+", default=IMPLS, choices=IMPLS)
    p.add_argument("--latency-sizes", nargs="+", type=int, default=LATENCY_SIZES)
    p.add_argument("--latency-impls", nargs="+", default=LATENCY_IMPLS, choices=LATENCY_IMPLS)
    p.add_argument("--no-progress", action="store_true", help="no progress line on stderr")
    args = p.parse_args(argv)
    if args.repeat is None:
        args.repeat = 1 if args.quick else 5
    if args.repeat < 1 or any(s < 1 for s in args.sizes + args.latency_sizes):
        p.error("--repeat and sizes must be at least 1")
    return args


def main(argv):
    args = parse_args(argv)
    needed = []
    if args.only != "latency":
        needed += ["tp-" + i for i in args.impls if "->" not in i]
        needed += ["tp-zwire", "tp-libzmq", "tp-mixed"] if any("->" in i for i in args.impls) else []
    if args.only != "throughput":
        needed += ["lat-" + i for i in args.latency_impls if "->" not in i]
        needed += ["lat-zwire", "lat-libzmq", "lat-mixed"] \
            if any("->" in i for i in args.latency_impls) else []
    missing = [n for n in sorted(set(needed)) if not os.access(os.path.join(args.bin_dir, n), os.X_OK)]
    if missing:
        sys.stderr.write("run_bench: missing in %s: %s (make bench-messaging-build)\n"
                         % (args.bin_dir, " ".join(missing)))
        return 2

    runner = Runner(args)
    started = datetime.datetime.now(datetime.timezone.utc)
    throughput, latency = [], []
    if args.only != "latency":
        for transport in args.transports:
            for size in args.sizes:
                count = runner.comparison_count("throughput", transport, size)
                if "raw" in args.impls:
                    e = runner.measure("throughput", "raw", None, transport, size,
                                       max(count, RAW_MIN_BYTES // size))
                    if e:
                        e["pattern"] = "stream"
                        throughput.append(e)
                for pattern in args.patterns:
                    for impl in args.impls:
                        if impl != "raw":
                            e = runner.measure("throughput", impl, pattern, transport, size,
                                               count)
                            if e:
                                throughput.append(e)
    if args.only != "throughput":
        for transport in args.transports:
            for size in args.latency_sizes:
                count = runner.comparison_count("latency", transport, size)
                for impl in args.latency_impls:
                    e = runner.measure("latency", impl, None, transport, size, count)
                    if e:
                        latency.append(e)
    if not args.no_progress:
        sys.stderr.write("\r\033[K")

    report = {
        "bench": "messaging",
        "started": started.isoformat(timespec="seconds"),
        "seconds": round((datetime.datetime.now(datetime.timezone.utc) - started).total_seconds(), 1),
        "host": host_info(),
        "config": {"repeat": args.repeat, "quick": args.quick, "target_s": args.target,
                   "scale": args.scale, "patterns": args.patterns, "transports": args.transports,
                   "sizes": args.sizes, "impls": args.impls, "latency_sizes": args.latency_sizes,
                   "latency_impls": args.latency_impls, "hwm": 1000, "burst": BURST,
                   "notes": "two processes per run (fork); receiver-side timing: the burst is "
                            "the first %d messages, the steady state every later one; one "
                            "count for every implementation of a transport and size; "
                            "MB = 10^6 payload octets; raw = one stream socket, 256 KiB "
                            "writes, measured once per transport and size" % BURST},
        "throughput": throughput,
        "latency": latency,
        "ratios": {"throughput": throughput_ratios(throughput, args) if throughput else [],
                   "latency": latency_ratios(latency, args) if latency else []},
        "failures": runner.failures,
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(report, f, indent=1)
        f.write("\n")
    print_tables(report, args, sys.stdout)
    sys.stdout.write("\nreport: %s (%.0f s)\n" % (args.out, report["seconds"]))
    return 1 if runner.failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
