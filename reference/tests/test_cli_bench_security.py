"""`zwire bench security`: a very short run of each part reports every figure it promises
(handshakes of each mechanism for both stacks, throughput rows with one count for both stacks
and CURVE / NULL on CURVE rows), in JSON lines, in the --out document and in the table; bad
arguments are refused.  Timings are reported, never asserted: only that figures exist and are
positive.  The benchmark programs are build/bench/ (make bench-messaging-build)."""

import json
import os
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]
ZWIRE = os.environ.get("ZWIRE", str(ROOT / "build" / "bin" / "zwire"))
BIN_DIR = os.environ.get("ZWIRE_BENCH_DIR", str(ROOT / "build" / "bench"))
SHORT = ["--quick", "--seconds", "0.1", "--warmup", "0.05", "--target", "0.02",
         "--bin-dir", BIN_DIR]


def run(*args, timeout=300):
    return subprocess.run([ZWIRE, "bench", "security", *args], capture_output=True, text=True,
                          timeout=timeout)


def positive(summary):
    return summary is not None and summary["median"] > 0 and \
        summary["min"] <= summary["median"] <= summary["max"]


def test_json_lines_and_out_document(tmp_path):
    out = tmp_path / "security.json"
    r = run("--json", "--mechanisms", "null,curve", "--sizes", "16", "--out", str(out), *SHORT)
    assert r.returncode == 0, r.stderr
    lines = [json.loads(line) for line in r.stdout.splitlines()]
    assert lines[0]["bench"] == "security-setup" and lines[0]["repeat"] == 1
    assert not [x for x in lines if x["bench"] == "security-failure"]

    handshakes = {x["mechanism"]: x for x in lines if x["bench"] == "security-handshake"}
    assert set(handshakes) == {"null", "curve"}
    for h in handshakes.values():
        for impl in ("zwire", "libzmq"):
            e = h[impl]
            assert all(positive(e[k]) for k in ("handshakes_per_s", "p50_us", "cpu_us_per_hs"))
            (one,) = e["runs"]
            assert one["impl"] == impl and one["mechanism"] == h["mechanism"]
            assert one["handshakes"] > 0 and one["lost"] == 0 and one["bad_replies"] == 0
            assert one["all_handshakes"] >= one["handshakes"]
        assert h["ratio"] > 0 and h["cpu_ratio"] > 0

    rows = {(x["size"], x["mechanism"]): x for x in lines if x["bench"] == "security-throughput"}
    assert set(rows) == {(16, "null"), (16, "curve")}
    for (size, mechanism), row in rows.items():
        assert row["count"] >= 1000 and row["pattern"] == "push-pull"
        for impl in ("zwire", "libzmq"):
            assert all(positive(row[impl][k]) for k in ("msgs_per_s", "mb_per_s",
                                                        "cpu_us_per_msg"))
            (one,) = row[impl]["runs"]
            assert one["impl"] == impl and one["count"] == row["count"] and one["size"] == size
        assert row["ratio"] > 0
        assert ("vs_null" in row) == (mechanism == "curve")
    assert all(v > 0 for v in rows[(16, "curve")]["vs_null"].values())

    document = json.loads(out.read_text())
    assert document["bench"] == "security" and document["elapsed_s"] > 0
    assert len(document["handshake"]) == 2 and len(document["throughput"]) == 2
    assert document["failures"] == []


def test_table():
    r = run("--only", "handshake", "--mechanisms", "plain", *SHORT)
    assert r.returncode == 0, r.stderr
    assert "zwire -> zwire" in r.stdout and "libzmq -> libzmq" in r.stdout
    (row,) = [line for line in r.stdout.splitlines() if line.startswith("PLAIN ") and "|" in line]
    assert row.count("x") == 3                      # hs/s, p50 and cpu/hs: zwire / libzmq
    assert "Throughput" not in r.stdout


def test_bad_arguments():
    for args in (["--only", "both"], ["--mechanisms", "null,rsa"], ["--sizes", "x"],
                 ["--quick", "--long"], ["--repeat", "0"], ["--pattern", "pub-sub"],
                 ["--bin-dir", "/nonexistent"]):
        assert run(*args, timeout=30).returncode == 3, args
    help_text = run("--help", timeout=30)
    assert help_text.returncode == 0 and "handshake" in help_text.stdout
    bench_help = subprocess.run([ZWIRE, "bench", "--help"], capture_output=True, text=True)
    assert "zwire bench security" in bench_help.stdout
