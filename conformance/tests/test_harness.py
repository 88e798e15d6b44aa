"""The suite checking itself: verdict logic, the adapter pre-flight, a degenerate
implementation (it closes every connection at once) that must draw FAILs and never a
harness error, and reports that match their schema, with FAIL and harness error kept
apart in JUnit."""

import json
import os
import pathlib
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET

import jsonschema
import pytest

CONFORMANCE = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(CONFORMANCE))

from zwire_conformance import report as R  # noqa: E402
from zwire_conformance import verdict as V  # noqa: E402

SCHEMA = json.loads((CONFORMANCE / "schema" / "report.schema.json").read_text())


def test_severity_follows_the_keyword():
    assert V.severity("MUST") == V.FAIL and V.severity("SHALL NOT") == V.FAIL
    assert V.severity("SHOULD") == V.PASS_NONSTRICT and V.severity("SHOULD NOT") == V.PASS_NONSTRICT
    assert V.severity("MAY") == V.INFO


def test_worst_and_exit_status():
    assert V.worst([V.PASS, V.INFO, V.PASS_NONSTRICT]) == V.PASS_NONSTRICT
    assert V.worst([V.PASS_NONSTRICT, V.FAIL]) == V.FAIL
    assert V.worst([V.FAIL, V.HARNESS_ERROR]) == V.HARNESS_ERROR
    assert V.exit_status([V.PASS, V.INFO]) == 0
    assert V.exit_status([V.PASS_NONSTRICT]) == 0
    assert V.exit_status([V.PASS_NONSTRICT], strict=True) == 1
    assert V.exit_status([V.FAIL, V.PASS]) == 1
    assert V.exit_status([V.FAIL, V.HARNESS_ERROR]) == 2


FAKE_ADAPTER = textwrap.dedent('''
    import json, socket, sys, threading
    mode = sys.argv[1]
    print(json.dumps({"zwireAdapter": 1, "implementation": {"name": "fake-" + mode},
                      "capabilities": {"zmtp": ["3.1"], "mechanisms": ["NULL"],
                                       "socketTypes": ["PULL", "PUSH"], "roles": ["bind"],
                                       "transports": ["tcp"], "heartbeat": False,
                                       "options": []}}), flush=True)
    def closer(listener):
        while True:
            conn, _ = listener.accept()
            conn.close()
    for line in sys.stdin:
        req = json.loads(line)
        op, reply = req["op"], {"id": req["id"], "ok": True}
        if op == "open":
            reply["socket"] = "s1"
        elif op == "bind":
            lst = socket.socket(); lst.bind(("127.0.0.1", 0)); lst.listen(8)
            threading.Thread(target=closer, args=(lst,), daemon=True).start()
            reply["endpoint"] = "tcp://127.0.0.1:%d" % lst.getsockname()[1]
        elif op == "quit":
            print(json.dumps(reply), flush=True); sys.exit(0)
        elif op in ("recv", "send"):
            reply = {"id": req["id"], "ok": False, "error": "timeout"}
        elif mode == "never-127" or op in ("connect", "close", "subscribe", "unsubscribe"):
            pass
        else:
            print(json.dumps({"id": req["id"], "ok": False, "error": "unsupported"}), flush=True)
            sys.exit(127)
        print(json.dumps(reply), flush=True)
''')


def run_suite(tmp_path, mode, *args):
    script = tmp_path / "fake_adapter.py"
    script.write_text(FAKE_ADAPTER)
    return subprocess.run(
        [sys.executable, "-m", "zwire_conformance", "--adapter",
         "%s %s %s" % (sys.executable, script, mode), "--report-dir", str(tmp_path / "out"),
         "-q", *args],
        cwd=CONFORMANCE, capture_output=True, text=True, timeout=300)


def test_an_adapter_that_never_says_unsupported_is_not_trusted(tmp_path):
    done = run_suite(tmp_path, "never-127", "--case", "zmtp.greeting.signature@binds")
    assert done.returncode == 2
    assert "cannot be trusted" in done.stderr


def test_a_peer_that_closes_at_once_fails_and_reports_validate(tmp_path):
    """The degenerate implementation: FAILs (or UNSUPPORTED for the connect role it does
    not declare), never a harness error; the reports follow their schema."""
    done = run_suite(tmp_path, "closer", "--area", "greeting")
    assert done.returncode == 1, done.stdout + done.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    jsonschema.validate(report, SCHEMA)
    verdicts = {c["id"]: c["verdict"] for c in report["cases"]}
    assert verdicts["zmtp.greeting.signature@binds"] == V.FAIL
    assert verdicts["zmtp.greeting.signature@connects"] == V.UNSUPPORTED
    assert V.HARNESS_ERROR not in verdicts.values()
    suite = ET.parse(tmp_path / "out" / "junit.xml").getroot()
    assert int(suite.get("failures")) == report["counts"][V.FAIL]
    assert int(suite.get("errors")) == 0
    assert (tmp_path / "out" / "index.html").exists()
    assert "FAIL" in (tmp_path / "out" / "summary.md").read_text()


def test_junit_keeps_failures_and_harness_errors_apart(tmp_path):
    case = {"id": "x@binds", "slug": "x", "role": "binds", "area": "a", "title": "t",
            "clauses": [{"id": "zmtp31.greeting.signature", "keyword": "MUST", "statement": "s"}],
            "reason": "why", "expectations": [], "notes": [], "ending": [], "transcript": [],
            "decoded": [], "adapterLog": "", "seconds": 0.1}
    cases = [dict(case, id="f@binds", verdict=V.FAIL), dict(case, id="h@binds", verdict=V.HARNESS_ERROR),
             dict(case, id="u@binds", verdict=V.UNSUPPORTED)]
    rep = R.build(cases, {"implementation": {"name": "n"}, "profile": "rfc-strict", "strict": False})
    R.write_junit(rep, tmp_path / "j.xml")
    suite = ET.parse(tmp_path / "j.xml").getroot()
    kinds = {tc.get("name"): [child.tag for child in tc if child.tag != "properties"]
             for tc in suite}
    assert kinds == {"f@binds": ["failure"], "h@binds": ["error"], "u@binds": ["skipped"]}


def test_list_and_bad_invocation():
    listed = subprocess.run([sys.executable, "-m", "zwire_conformance", "--list", "--json"],
                            cwd=CONFORMANCE, capture_output=True, text=True, timeout=60)
    cases = json.loads(listed.stdout)
    assert len({c["id"] for c in cases}) == len(cases)
    assert all(c["clauses"] for c in cases)
    bad = subprocess.run([sys.executable, "-m", "zwire_conformance"], cwd=CONFORMANCE,
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 3
