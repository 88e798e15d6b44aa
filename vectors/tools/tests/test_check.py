"""check.py must fail when a codec and a vector disagree: a tampered copy of a
real vector file (an expected offset moved, or the cited clause dropped from
the vector's list) is reported, and the untouched file passes.  Needs the C runner
(`make` builds it first in `make check`)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
CHECK = ROOT / "vectors" / "tools" / "check.py"
RUNNER = Path(os.environ.get("ZW_VECTOR_RUNNER", ROOT / "build" / "bin" / "zw-vector-runner"))
FRAMES = ROOT / "vectors" / "zmtp" / "frame_test.json"

pytestmark = pytest.mark.skipif(not RUNNER.exists(), reason="build the C runner first (make)")


def run_check(path):
    return subprocess.run([sys.executable, str(CHECK), "--runner", str(RUNNER), str(path)],
                          capture_output=True, text=True)


def first_invalid(doc):
    for group in doc["testGroups"]:
        for test in group["tests"]:
            if test["result"] == "invalid":
                return test
    raise AssertionError("no invalid vector")


def test_untouched_file_agrees(tmp_path):
    out = run_check(FRAMES)
    assert out.returncode == 0, out.stdout
    assert "0 disagree" in out.stdout


def test_moved_error_offset_is_a_disagreement(tmp_path):
    doc = json.loads(FRAMES.read_text())
    test = first_invalid(doc)
    test["expected"]["error"]["offset"] += 1
    path = tmp_path / "frame_test.json"
    path.write_text(json.dumps(doc))
    out = run_check(path)
    assert out.returncode == 1
    assert "DISAGREE" in out.stdout and "tcId %d " % test["tcId"] in out.stdout
    assert "c: report differs from expected" in out.stdout
    assert "python: report differs from expected" in out.stdout


def test_unlisted_clause_is_a_disagreement(tmp_path):
    doc = json.loads(FRAMES.read_text())
    test = first_invalid(doc)
    test["clauses"] = ["zmtp31.greeting.filler"]
    path = tmp_path / "frame_test.json"
    path.write_text(json.dumps(doc))
    out = run_check(path)
    assert out.returncode == 1
    assert "cites clause" in out.stdout
