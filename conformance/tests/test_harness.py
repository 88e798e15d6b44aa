"""The suite checking itself: verdict logic (who a clause binds decides what can FAIL;
preconditions, controls, observations, closes credited in transcript order), the adapter
pre-flight, a degenerate implementation (it closes every connection at once) that must
never PASS a refusal case nor draw a FAIL or a harness error, and reports that match their
schema, with FAIL and harness error kept apart in JUnit."""

import json
import pathlib
import socket
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
from zwire_conformance import wire  # noqa: E402
from zwire_conformance.case import (Alt, Case, CaseRun, HarnessError, NotExercised,  # noqa: E402
                                    Transcript)

SCHEMA = json.loads((CONFORMANCE / "schema" / "report.schema.json").read_text())


def test_severity_follows_the_keyword():
    assert V.severity("MUST") == V.FAIL and V.severity("SHALL NOT") == V.FAIL
    assert V.severity("SHOULD") == V.PASS_NONSTRICT and V.severity("SHOULD NOT") == V.PASS_NONSTRICT
    assert V.severity("MAY") == V.INFO


def test_worst_and_exit_status():
    assert V.worst([V.PASS, V.INFO, V.PASS_NONSTRICT]) == V.PASS_NONSTRICT
    assert V.worst([V.PASS_NONSTRICT, V.FAIL]) == V.FAIL
    assert V.worst([V.FAIL, V.HARNESS_ERROR]) == V.HARNESS_ERROR
    assert V.worst([V.PASS_NONSTRICT, V.INFO, V.NOT_EXERCISED]) == V.NOT_EXERCISED
    assert V.worst([V.FAIL, V.NOT_EXERCISED]) == V.FAIL
    assert V.exit_status([V.PASS, V.INFO, V.NOT_EXERCISED]) == 0
    assert V.exit_status([V.PASS_NONSTRICT]) == 0
    assert V.exit_status([V.PASS_NONSTRICT], strict=True) == 1
    assert V.exit_status([V.FAIL, V.PASS]) == 1
    assert V.exit_status([V.FAIL, V.HARNESS_ERROR]) == 2
    assert V.exit_status([V.PASS, V.ADAPTER_ERROR]) == 2
    assert V.exit_status([V.PASS], robustness=[V.ROBUST_OK]) == 0
    assert V.exit_status([V.PASS], robustness=[V.ROBUST_DIED]) == 1


# --- the verdict model, on a CaseRun of its own -------------------------------------------------

REGISTRY = {
    "x.frame.flags": {"keyword": "MUST", "binds": "sender", "statement": "s", "rfc": "r"},
    "x.greeting.close": {"keyword": "MUST", "binds": "receiver", "statement": "s", "rfc": "r"},
    "x.socket.nice": {"keyword": "SHOULD", "binds": "behaviour", "statement": "s", "rfc": "r"},
}


def case_run():
    case_ = Case("x.case", "binds", None, "a", "t", list(REGISTRY), {})
    return CaseRun(case_, adapter=None, registry=REGISTRY, profile="rfc-strict",
                   clock=wire.Clock())


class Quiet:
    """A RawConnection's stand-in for hostile(): it records what it sends."""

    def __init__(self, run):
        self.run = run

    def pump(self, seconds=0):
        return False

    def mark(self):
        return wire.Mark(len(self.run.transcript.entries), 0)

    def send(self, octets, note=""):
        self.run.transcript.record("conn1", "out", 0, octets, note)
        return True


def test_a_sender_rule_judges_what_is_sent_not_the_reaction_to_our_input():
    t = case_run()
    t.expect("x.frame.flags", False, "its own frame has a reserved bit")     # its octets
    assert t.expectations[-1]["verdict"] == V.FAIL
    t.hostile(Quiet(t), b"\x08", "x.frame.flags", "a reserved bit of ours")
    with pytest.raises(HarnessError):
        t.expect("x.frame.flags", False, "it did not close on our reserved bit")
    t.observe("x.frame.flags", "it kept the connection open")
    assert t.expectations[-1]["verdict"] == V.INFO and t.expectations[-1]["met"] is None
    t.expect("x.frame.flags", False, "its ERROR frame", own_octets=True)    # the wire checks
    assert t.expectations[-1]["verdict"] == V.FAIL
    t.expect("x.greeting.close", False, "it did not close on what the RFC says it must")
    assert t.expectations[-1]["verdict"] == V.FAIL and t.hostile_sent


def test_the_keyword_alone_gives_the_severity():
    t = case_run()
    t.expect("x.socket.nice", False, "a SHOULD broken")
    assert t.expectations[-1]["verdict"] == V.PASS_NONSTRICT
    t.expect("x.greeting.close", False, "another way", [Alt(True, "closing is also fine")])
    assert t.expectations[-1]["verdict"] == V.PASS
    with pytest.raises(HarnessError):           # an alternative is never a verdict of its own
        t.expect("x.greeting.close", False, "w", [(True, V.PASS_NONSTRICT, "lenient")])
    with pytest.raises(TypeError):
        Alt(True, V.PASS_NONSTRICT, "lenient", profiles=["libzmq-compatible"])
    with pytest.raises(HarnessError):
        t.expect("x.not.registered", True, "w")


# --- spec/leniency.md decides whether an answer is judged or reported --------------------

LENIENT_REGISTRY = dict(REGISTRY, **{
    "x.greeting.mech": {"keyword": "MUST", "binds": "sender", "statement": "s", "rfc": "r"},
    "x.frame.limit": {"keyword": "MAY", "binds": "behaviour", "statement": "s", "rfc": "r"},
})


def leniency_rows():
    from zwire_conformance.leniency import zwire_spec
    row = zwire_spec.Leniency
    return {
        "Flagged": row("Flagged", ("x.frame.flags",), "sender", (), "acceptable", "invalid-flags", "n"),
        "BadMech": row("BadMech", ("x.greeting.mech",), "receiver", ("x.greeting.close",),
                       "invalid", "invalid-mechanism", "n"),
        "TooBig": row("TooBig", (), "limit", ("x.frame.limit",), "invalid", "limit-exceeded", "n"),
    }


def lenient_run(clauses, inputs):
    case_ = Case("x.lenient", "binds", None, "a", "t", clauses, {}, inputs)
    return CaseRun(case_, adapter=None, registry=LENIENT_REGISTRY, profile="rfc-strict",
                   clock=wire.Clock(), leniency=leniency_rows())


def test_an_acceptable_class_is_reported_and_an_invalid_one_judged():
    t = lenient_run(["x.frame.flags", "x.greeting.mech", "x.greeting.close", "x.frame.limit"],
                    ["Flagged", "BadMech", "TooBig"])
    t.hostile(Quiet(t), b"\x08", "Flagged", "a reserved bit")
    assert "x.frame.flags" in t.broken_by_us
    assert t.answer("Flagged", "it closed", met=True) is None
    assert t.expectations[-1]["verdict"] == V.INFO and t.expectations[-1]["clause"] == "x.frame.flags"
    t.hostile(Quiet(t), b"null", "BadMech", "mechanism 'null'")
    t.answer("BadMech", "closes without READY", met=False)
    assert t.expectations[-1]["clause"] == "x.greeting.close"
    assert t.expectations[-1]["verdict"] == V.FAIL
    t.answer("TooBig", "closes at the header", met=False)       # judged by its MAY
    assert t.expectations[-1]["verdict"] == V.INFO and t.expectations[-1]["met"] is False
    with pytest.raises(HarnessError, match="met="):
        t.answer("BadMech", "closes without READY")


def test_the_table_is_not_bypassed():
    t = lenient_run(["x.greeting.mech"], ["BadMech"])
    with pytest.raises(HarnessError, match="the case must cite it"):
        t.answer("BadMech", "closes", met=True)                 # its receiver clause uncited
    with pytest.raises(HarnessError, match="judges input that breaks x.greeting.mech"):
        t.observe("x.greeting.mech", "it closed")               # an invalid class, observed
    with pytest.raises(HarnessError, match="without declaring it"):
        t.hostile(Quiet(t), b"\x08", "Flagged", "a reserved bit")
    with pytest.raises(HarnessError, match="no input class Nothing"):
        t.answer("Nothing", "w", met=True)


def test_preconditions_and_controls_stop_the_case():
    t = case_run()
    assert t.require(True, "fine")
    with pytest.raises(NotExercised, match="it greets as ZMTP 2.0"):
        t.require(False, "it greets as ZMTP 2.0")
    with pytest.raises(NotExercised, match="the control failed: a well-formed READY"):
        t.control(False, "a well-formed READY completes the handshake")


def tcp_pair():
    """Two ends of a loopback TCP connection (RawConnection sets TCP options)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    ours = socket.create_connection(listener.getsockname())
    theirs, _ = listener.accept()
    listener.close()
    return ours, theirs


def test_a_close_counts_as_an_answer_only_after_our_octets():
    ours, theirs = tcp_pair()
    transcript = Transcript()
    conn = wire.RawConnection(ours, wire.Clock(), transcript, "conn1")
    theirs.close()                      # the peer closes first
    conn.pump(0.2)
    mark = wire.Mark(len(transcript.entries), 0)
    conn.send(b"late", "after the close")
    assert conn.closed_by_peer and not conn.closed_since(mark)
    assert "closed the connection" in conn.describe()
    ours2, theirs2 = tcp_pair()
    conn2 = wire.RawConnection(ours2, wire.Clock(), transcript, "conn2")
    conn2.send(b"hostile", "ours first")
    mark2 = wire.Mark(len(transcript.entries), 0)
    theirs2.close()
    conn2.wait_closed(1.0)
    assert conn2.closed_since(mark2)
    assert conn2.answer_since(mark2).startswith("it sent nothing and closed the connection")


FAKE_ADAPTER = textwrap.dedent('''
    import json, os, socket, sys, threading
    mode = sys.argv[1]
    # closer: closes every connection at once.  Those that greet (a 3.1 NULL greeting and
    # a READY of a PULL, sent at once) take option reconnectIvl, and then: serve-once stops
    # listening after its first connection; dies exits (134) on octets of an HTTP request.
    greets = mode in ("serve-once", "dies")
    print(json.dumps({"zwireAdapter": 1, "implementation": {"name": "fake-" + mode},
                      "capabilities": {"zmtp": ["3.1"], "mechanisms": ["NULL"],
                                       "socketTypes": ["PULL", "PUSH"], "roles": ["bind"],
                                       "transports": ["tcp"], "heartbeat": False,
                                       "options": ["reconnectIvl"] if greets else []}}),
          flush=True)
    READY = b"\\x05READY\\x0bSocket-Type" + (4).to_bytes(4, "big") + b"PULL"
    HELLO = (b"\\xff" + bytes(8) + b"\\x7f\\x03\\x01" + b"NULL".ljust(20, b"\\0") + bytes(32)
             + bytes([0x04, len(READY)]) + READY)
    def serve(conn):
        conn.sendall(HELLO)
        while True:
            data = conn.recv(65536)
            if not data:
                return
            if mode == "dies" and b"GET " in data:
                os._exit(134)
    def closer(listener):
        while True:
            conn, _ = listener.accept()
            if not greets:
                conn.close()
                continue
            threading.Thread(target=serve, args=(conn,), daemon=True).start()
            if mode == "serve-once":
                listener.close()
                return
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


def test_a_peer_that_closes_at_once_is_never_accused_and_never_passes_a_refusal(tmp_path):
    """The degenerate implementation: what it never did cannot be judged (NOT-EXERCISED,
    saying what happened), its refusals prove nothing (their controls fail), malformed
    input it "refuses" is only reported; UNSUPPORTED for the connect role it does not
    declare; never a FAIL nor a harness error; the reports follow their schema."""
    done = run_suite(tmp_path, "closer")
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    jsonschema.validate(report, SCHEMA)
    by_id = {c["id"]: c for c in report["cases"]}
    verdicts = {c["id"]: c["verdict"] for c in report["cases"]}
    assert verdicts["zmtp.greeting.signature@binds"] == V.NOT_EXERCISED
    assert "no greeting: it sent nothing, and" in by_id["zmtp.greeting.signature@binds"]["reason"]
    assert verdicts["zmtp.greeting.signature@connects"] == V.UNSUPPORTED
    assert verdicts["zmtp.greeting.mechanism-mismatch@binds"] == V.NOT_EXERCISED
    assert "the control failed" in by_id["zmtp.greeting.mechanism-mismatch@binds"]["reason"]
    assert verdicts["zmtp.greeting.as-server-two@binds"] == V.INFO
    assert not {V.FAIL, V.HARNESS_ERROR, V.PASS} & set(
        v for k, v in verdicts.items() if "mechanism" in k or "signature" in k)
    assert V.FAIL not in verdicts.values() and V.HARNESS_ERROR not in verdicts.values()
    assert V.PASS not in verdicts.values() and V.PASS_NONSTRICT not in verdicts.values()
    assert all(r.get("robustness") is None for r in report["cases"])
    suite = ET.parse(tmp_path / "out" / "junit.xml").getroot()
    assert int(suite.get("failures")) == report["counts"][V.FAIL] == 0
    assert int(suite.get("errors")) == 0
    assert (tmp_path / "out" / "index.html").exists()
    assert "NOT-EXERCISED" in (tmp_path / "out" / "summary.md").read_text()


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


ZWIRE = CONFORMANCE.parent / "build" / "bin" / "zwire"


@pytest.mark.skipif(not ZWIRE.exists(), reason="build/bin/zwire is not built (make)")
def test_a_2_0_only_implementation_gets_rfc15_verdicts_and_nothing_else(tmp_path):
    """The reference peer speaking only ZMTP 2.0 (a stand-in for an old binding): real
    verdicts from the RFC 15 cases, UNSUPPORTED for every 3.x case, one line saying what
    it speaks, no harness error."""
    done = subprocess.run(
        [sys.executable, "-m", "zwire_conformance", "--implementation", "zwire-2.0",
         "--report-dir", str(tmp_path / "out"), "-q"],
        cwd=CONFORMANCE, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "zwire-2.0 speaks ZMTP 2.0: the ZMTP 3.x cases are UNSUPPORTED" in done.stdout
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    jsonschema.validate(report, SCHEMA)
    for case in report["cases"]:
        v2 = all(c["id"].startswith("zmtp20.") for c in case["clauses"])
        if v2:
            assert case["verdict"] in (V.PASS, V.INFO), case
        else:
            assert case["verdict"] == V.UNSUPPORTED, case
    hostile = [c for c in report["cases"] if c["robustness"]]
    assert hostile and all(c["robustness"] == V.ROBUST_OK for c in hostile)


def test_repeat_shows_the_worst_run_and_flags_a_changing_verdict():
    from zwire_conformance.cli import repeated
    outcomes = iter([V.PASS, V.FAIL, V.PASS, V.PASS, V.PASS, V.PASS])

    def run_one(case_):
        return {"id": case_, "verdict": next(outcomes), "robustness": None}
    run = repeated(run_one, 3)
    flaky, steady = run("flaky"), run("steady")
    assert flaky["verdict"] == V.FAIL and flaky["unstable"]
    assert flaky["runs"] == [[V.PASS, None], [V.FAIL, None], [V.PASS, None]]
    assert steady["verdict"] == V.PASS and not steady["unstable"]
    assert repeated(run_one, 1) is run_one


@pytest.mark.skipif(not ZWIRE.exists(), reason="build/bin/zwire is not built (make)")
def test_the_suite_timing_reports_its_figures(tmp_path):
    from zwire_conformance import timing
    out = tmp_path / "time.json"
    assert timing.main(["--runs", "1", "--implementation", "zwire-2.0",
                        "--report", str(out)]) == 0
    figures = json.loads(out.read_text())["results"][0]
    assert figures["implementation"] == "zwire-2.0" and figures["exitStatuses"] == [0]
    assert figures["cases"] > 0 and len(figures["seconds"]) == 1 and figures["slowestCases"]
    assert "| zwire-2.0 |" in (tmp_path / "time.md").read_text()


def test_a_connection_the_implementation_refuses_is_its_doing_never_the_suites(tmp_path):
    """A bound implementation that stops listening after hostile input: the connection it
    refuses is NOT-EXERCISED, saying so, and the robustness probe still runs (stopped
    serving); one that died with it is an ADAPTER-ERROR, robustness died.  Never a
    HARNESS-ERROR."""
    case_id = "zmtp.robustness.garbage-after-handshake@binds"
    done = run_suite(tmp_path, "serve-once", "--case", case_id)
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    jsonschema.validate(report, SCHEMA)
    (result,) = report["cases"]
    assert result["verdict"] == V.NOT_EXERCISED, result["reason"]
    assert "it refused a new connection to tcp://127.0.0.1:" in result["reason"]
    assert result["robustness"] == V.ROBUST_STOPPED
    assert "it refused the connection" in result["robustnessDetail"]
    assert done.returncode == 1, done.stdout + done.stderr      # robustness counts
    (tmp_path / "out" / "report.json").unlink()
    done = run_suite(tmp_path, "dies", "--case", case_id)
    (result,) = json.loads((tmp_path / "out" / "report.json").read_text())["cases"]
    assert result["verdict"] == V.ADAPTER_ERROR, result["reason"]
    assert "exited with status 134 during the case" in result["reason"]
    assert result["robustness"] == V.ROBUST_DIED
    assert done.returncode == 2


def test_the_suites_own_exception_is_that_cases_harness_error_and_the_run_goes_on(
        tmp_path, monkeypatch):
    """The Python codec raising on odd octets while the report describes a connection is a
    HARNESS-ERROR of that case, with the traceback; the other cases of the run, run at the
    same time, still get their verdicts."""
    from zwire_conformance import cli, runner
    script = tmp_path / "fake_adapter.py"
    script.write_text(FAKE_ADAPTER)
    command = "%s %s closer" % (sys.executable, script)
    registry = runner.load_registry()
    describe = runner._decoded

    def odd(conn):
        if conn.label == "odd":
            raise ValueError("the codec choked on odd octets")
        return describe(conn)
    monkeypatch.setattr(runner, "_decoded", odd)

    def sends(label):
        def fn(t):
            handle, conn = t.link("PULL", label=label)
            conn.send(b"\x01\x02", "two octets")
            t.expect("zmtp31.error.close-temporary", True, "nothing to judge")
        return fn
    cases = [Case("x.odd", "binds", sends("odd"), "a", "t", ["zmtp31.error.close-temporary"], {}),
             Case("x.even", "binds", sends("even"), "a", "t", ["zmtp31.error.close-temporary"], {})]
    plugin = cli.Plugin(cases, lambda c: runner.run_case(c, command, registry, "rfc-strict",
                                                         wire.Clock(), {}), jobs=2)
    odd_result, even_result = plugin.done["x.odd@binds"], plugin.done["x.even@binds"]
    assert odd_result["verdict"] == V.HARNESS_ERROR
    assert "ValueError: the codec choked on odd octets" in odd_result["reason"]
    assert "Traceback" in odd_result["reason"] and "(before that, the case's verdict was PASS)" \
        in odd_result["reason"]
    assert odd_result["ending"] and odd_result["decoded"] == []
    assert even_result["verdict"] == V.PASS and even_result["decoded"]


def test_the_clause_a_wire_check_judged_is_among_the_cases_clauses(tmp_path):
    """Malformed octets from the implementation are judged by the clause the codec names,
    which the case need not cite: the result lists it, with its RFC sentence, so that the
    report's headline can quote it."""
    from zwire_conformance import report, runner
    script = tmp_path / "fake_adapter.py"
    assert 'b"\\x05READY' in FAKE_ADAPTER
    script.write_text(FAKE_ADAPTER.replace('b"\\x05READY', 'b"\\x05RE@DY'))   # no command name
    registry = runner.load_registry()

    def fn(t):
        handle, conn = t.link("PULL")
        conn.wait_greeting(2.0)
        conn.wait(lambda: conn.inbound.error is not None, 2.0)
        t.expect("zmtp31.error.close-temporary", True, "nothing else to judge")
    case_ = Case("x.wire", "binds", fn, "a", "t", ["zmtp31.error.close-temporary"], {})
    result = runner.run_case(case_, "%s %s dies" % (sys.executable, script), registry,
                             "rfc-strict", wire.Clock(), {})
    assert result["verdict"] == V.FAIL, result["reason"]
    failed = [e["clause"] for e in result["expectations"] if e["verdict"] == V.FAIL]
    cited = {c["id"]: c for c in result["clauses"]}
    assert failed and all(c in cited for c in failed)
    assert cited[failed[0]]["rfc"] and cited[failed[0]]["keyword"]
    assert report.headline(result)["clause"] == failed[0]


def test_a_suite_run_that_writes_no_report_is_timed_as_broken():
    """A run the suite refuses before any case (here a bad invocation; a pre-flight exit 2
    alike) writes no report: its exit status and last words are kept, with no figures."""
    from zwire_conformance import timing
    figures = timing.measure("no-such-implementation", 1, 0)
    assert figures["median"] is None and figures["seconds"] == [] and figures["cases"] == 0
    assert figures["withinTarget"] is None and figures["slowestCases"] == []
    (broken,) = figures["broken"]
    assert broken["run"] == 1 and broken["exitStatus"] == figures["exitStatuses"][0] != 0
    assert "no-such-implementation" in broken["said"]
    text = timing.render([figures], 0)
    assert "| no-such-implementation | - | broken | broken | - |" in text
    assert "- no-such-implementation, run 1: exit %d: " % broken["exitStatus"] in text
