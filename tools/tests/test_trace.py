"""tools/trace.py on small temporary trees: covered and uncovered MUST clauses, waivers,
behaviour clauses awaiting a case, the JSON report, the options and the exit status."""

import json
import os
import subprocess

import treeutil
from treeutil import cid, row, write, write_spec, write_vectors, write_waivers

trace = treeutil.load_tool("trace")

WIRE_A = cid("zmtp31", "frame", "flags-reserved")       # wire MUST, has a vector
WIRE_B = cid("zmtp31", "frame", "long-size")            # wire MUST, no vector
WIRE_MAY = cid("zmtp31", "frame", "size-limit")         # wire MAY, no vector
BEHAV = cid("zmtp31", "null", "server-ready-reply")     # behaviour MUST
UNTEST = cid("zmtp31", "threadsafe", "atomic-api")      # untestable MUST
OTHER = cid("zmtp30", "frame", "flags-reserved")        # wire MUST of another spec


def make_tree(root, vectors=True):
    first = write_spec(root, "zmtp31", [
        row(WIRE_A, "MUST"),
        row(WIRE_B, "MUST"),
        row(WIRE_MAY, "MAY", role="decoder"),
        row(BEHAV, "MUST", role="server", testability="behaviour"),
        row(UNTEST, "MUST", role="socket", testability="untestable: local API only"),
    ])
    write_spec(root, "zmtp30", [row(OTHER, "MUST")])
    if vectors:
        write_vectors(root, "vectors/zmtp/frame_test.json", [(7, [WIRE_A]), (8, [WIRE_A])])
        write_vectors(root, "vectors/zmtp/greeting_test.json", [(3, [OTHER])])
    write(root, "codec/zmtp_frame.rl", "x\n/* %s */\n" % WIRE_A)
    write(root, "conformance/zwire_codec/frame.py", "# %s\n" % WIRE_B)
    write(root, "tools/gen.py", "# %s\n" % WIRE_B)           # tools/: neither code nor case
    return first


def run(root, *args):
    """main() in-process; returns (exit status, report dict)."""
    out = os.path.join(str(root), "out", "trace.json")
    status = trace.main(["--root", str(root), "--json", out] + list(args))
    with open(out, encoding="utf-8") as f:
        return status, json.load(f)


def test_uncovered_wire_must_fails(tmp_path, capsys):
    first = make_tree(tmp_path)
    status, report = run(tmp_path)
    assert status == 1
    assert report["uncovered"] == [WIRE_B]
    assert report["awaitingCase"] == [BEHAV]
    out = capsys.readouterr().out
    assert "uncovered wire MUST-class clauses (no vector, no waiver):\n" \
           "  %s (MUST wire, spec/zmtp31.md:%d)\n" % (WIRE_B, first + 1) in out
    assert "awaiting conformance case" in out
    assert "  %s (MUST behaviour, spec/zmtp31.md:%d)\n" % (BEHAV, first + 3) in out


def test_clause_entries(tmp_path):
    first = make_tree(tmp_path)
    _, report = run(tmp_path)
    a = report["clauses"][WIRE_A]
    assert a["vectors"] == [{"file": "vectors/zmtp/frame_test.json", "tcId": 7},
                            {"file": "vectors/zmtp/frame_test.json", "tcId": 8}]
    assert a["code"] == [{"file": "codec/zmtp_frame.rl", "line": 2}]
    assert a["cases"] == []
    assert a["status"] == "covered"
    assert (a["keyword"], a["testability"], a["file"], a["line"]) == \
        ("MUST", "wire", "spec/zmtp31.md", first)
    b = report["clauses"][WIRE_B]
    assert b["code"] == [{"file": "conformance/zwire_codec/frame.py", "line": 1}]
    assert b["vectors"] == [] and b["status"] == "uncovered"
    assert report["clauses"][WIRE_MAY]["status"] == "optional"
    assert report["clauses"][UNTEST]["status"] == "untestable"
    assert report["clauses"][BEHAV]["status"] == "awaiting-case"


def test_summary_counts(tmp_path):
    make_tree(tmp_path)
    _, report = run(tmp_path)
    assert report["format"] == "zwire-trace" and report["version"] == 1
    assert list(report["summary"]) == ["zmtp30", "zmtp31", "total"]
    assert report["summary"]["zmtp31"] == {
        "clauses": 5, "mustClass": 4, "testableMust": 3,
        "wireMust": {"total": 2, "vector": 1, "waived": 0, "uncovered": 1},
        "behaviourMust": {"total": 1, "case": 0, "waived": 0, "awaiting": 1,
                          "peerTest": 0}}
    assert report["summary"]["total"]["wireMust"] == \
        {"total": 3, "vector": 2, "waived": 0, "uncovered": 1}


def test_waiver_covers(tmp_path, capsys):
    make_tree(tmp_path)
    write_waivers(tmp_path, [(WIRE_B, "no decoder sees it")])
    status, report = run(tmp_path)
    assert status == 0
    assert report["uncovered"] == []
    assert report["clauses"][WIRE_B]["status"] == "waived"
    assert report["clauses"][WIRE_B]["waiver"] == "no decoder sees it"
    assert report["summary"]["zmtp31"]["wireMust"] == \
        {"total": 2, "vector": 1, "waived": 1, "uncovered": 0}
    out = capsys.readouterr().out
    assert "1/2 +1 waived" in out
    assert "covered by waiver (spec/waivers.md):\n  %s: no decoder sees it\n" % WIRE_B in out


def test_strict_behaviour_and_cases(tmp_path):
    make_tree(tmp_path)
    write_waivers(tmp_path, [(WIRE_B, "reason")])
    assert run(tmp_path)[0] == 0
    assert run(tmp_path, "--strict-behaviour")[0] == 1
    write(tmp_path, "conformance/cases/null_handshake.py",
          "CASE = {'clauses': [%r]}\n" % BEHAV)
    write(tmp_path, "conformance/cases/zmtp/test_null.py", "\n# %s\n" % BEHAV)
    status, report = run(tmp_path, "--strict-behaviour")
    assert status == 0
    assert report["clauses"][BEHAV]["cases"] == [
        {"file": "conformance/cases/null_handshake.py", "line": 1},
        {"file": "conformance/cases/zmtp/test_null.py", "line": 2}]
    assert report["clauses"][BEHAV]["status"] == "covered"


def test_vectors_count_only_from_test_files(tmp_path):
    make_tree(tmp_path, vectors=False)
    write(tmp_path, "vectors/zmtp/notes.json", json.dumps({"clauses": [WIRE_B]}))
    write(tmp_path, "vectors/FORMAT.md", "a vector cites %s\n" % WIRE_B)
    status, report = run(tmp_path)
    assert status == 1
    assert report["uncovered"] == [OTHER, WIRE_A, WIRE_B]


def test_spec_filter(tmp_path, capsys):
    make_tree(tmp_path)
    write_waivers(tmp_path, [(WIRE_B, "reason")])
    os.remove(os.path.join(tmp_path, "vectors/zmtp/greeting_test.json"))
    assert run(tmp_path)[0] == 1                      # zmtp30's clause has no vector
    status, report = run(tmp_path, "--spec", "zmtp31")
    assert status == 0
    assert report["filter"] == "zmtp31"
    assert set(report["clauses"]) == {WIRE_A, WIRE_B, WIRE_MAY, BEHAV, UNTEST}
    assert list(report["summary"]) == ["zmtp31", "total"]


def test_quiet_and_default_report_path(tmp_path, capsys):
    make_tree(tmp_path)
    status = trace.main(["--root", str(tmp_path), "--quiet"])
    assert status == 1
    out = capsys.readouterr().out
    assert "testable/MUST-class" not in out and "awaiting" not in out
    assert out.splitlines()[-1] == (
        "trace: 6 clauses; wire MUST 2/3 with vector (0 waived); behaviour MUST 0/1 with "
        "case (0 waived); 1 failing; report build/reports/trace.json")
    assert os.path.isfile(os.path.join(tmp_path, "build", "reports", "trace.json"))


def test_only_spec_directory(tmp_path):
    write_spec(tmp_path, "zmtp31", [row(WIRE_MAY, "MAY")])
    status, report = run(tmp_path)
    assert status == 0
    assert report["clauses"][WIRE_MAY]["status"] == "optional"


def test_no_registry(tmp_path, capsys):
    assert trace.main(["--root", str(tmp_path), "--json",
                       os.path.join(str(tmp_path), "t.json")]) == 2
    assert "trace: no clauses found" in capsys.readouterr().err


def test_cli_help_and_bad_spec():
    tool = os.path.join(treeutil.TOOLS, "trace.py")
    done = subprocess.run(["/usr/bin/python3", tool, "--help"], capture_output=True, text=True)
    assert done.returncode == 0
    assert "--strict-behaviour" in done.stdout and "trace.json structure" in done.stdout
    bad = subprocess.run(["/usr/bin/python3", tool, "--spec", "zmtp99"],
                         capture_output=True, text=True)
    assert bad.returncode == 2
    assert "unknown spec id 'zmtp99'" in bad.stderr
