"""`zwire bench codec`: it runs, reports every operation and chunking as JSON lines, and
the decoder counts what it was given (a bad count is written to stderr).  Timings are
reported, never asserted."""

import json
import os
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]
ZWIRE = os.environ.get("ZWIRE", str(ROOT / "build" / "bin" / "zwire"))


def test_codec_bench_reports_every_figure():
    r = subprocess.run([ZWIRE, "bench", "codec", "--json", "--quick", "--size", "8",
                        "--size", "300"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0 and r.stderr == ""
    lines = [json.loads(line) for line in r.stdout.splitlines()]
    seen = {(x["op"], x["frameSize"], x["chunk"]) for x in lines}
    for size in (8, 300):
        assert {("decode", size, c) for c in (0, 4096, 256, 16, 1)} | {("encode", size, 0)} <= seen
    assert all(x["framesPerSecond"] > 0 and x["gbPerSecond"] > 0 for x in lines)


def test_bad_arguments():
    assert subprocess.run([ZWIRE, "bench"], capture_output=True).returncode == 3
    assert subprocess.run([ZWIRE, "bench", "codec", "--size", "x"],
                          capture_output=True).returncode == 3
    assert subprocess.run([ZWIRE, "bench", "--help"], capture_output=True).returncode == 0
