"""The Majordomo suite with the implementation as the worker or the client, the suite
playing the broker (zwire_conformance/suitebroker.py): the command line and its
placeholders, the vectors sent as hostile input, the cases' clauses, the reference client
adapter, and runs against small stand-ins written here with pyzmq: a worker that never
registers is never accused; a worker and a client that break a layout FAIL the clause
that binds them; a client that dies on hostile input is robustness "died", on a plain
answer ADAPTER-ERROR; a sample of the cases against the reference worker and client."""

import json
import os
import pathlib
import subprocess
import sys
import textwrap

import jsonschema
import pytest

CONFORMANCE = pathlib.Path(__file__).resolve().parents[1]
ROOT = CONFORMANCE.parent
sys.path.insert(0, str(CONFORMANCE))

from zwire_codec import mdp as M  # noqa: E402
from zwire_conformance import launch  # noqa: E402
from zwire_conformance import leniency as L  # noqa: E402
from zwire_conformance import suitebroker as S  # noqa: E402
from zwire_conformance import verdict as V  # noqa: E402
from zwire_conformance.case import CASES  # noqa: E402
from zwire_conformance.runner import load_registry  # noqa: E402
from zwire_conformance import cli  # noqa: E402  (importing it registers every case)

SCHEMA = json.loads((CONFORMANCE / "schema" / "report.schema.json").read_text())
ZWIRE = ROOT / "build" / "bin" / "zwire"
CAPS = {"mdp": ["0.1", "0.2"], "mmi": True}


def launcher(role, command, versions=("0.1", "0.2"), **kwargs):
    return S.PeerLauncher("mdp", role, command, dict(CAPS, mdp=list(versions)), **kwargs)


# --- the command line ----------------------------------------------------------------------------

def test_a_worker_takes_the_timers_it_names_and_declares_the_others():
    ran = launcher("worker", "w --connect {endpoint} --version {mdp_version} "
                             "--heartbeat {heartbeat_ms} --reconnect {reconnect_ms}",
                   declared={"liveness": 4})
    assert ran.timers({"heartbeat_ms": 150}) == {"heartbeat_ms": 150, "liveness": 4,
                                                 "reconnect_ms": 2500}
    bare = launcher("worker", "w --connect {endpoint}", versions=["0.2"])
    assert bare.timers({"heartbeat_ms": 150}) == {"heartbeat_ms": None, "liveness": None,
                                                  "reconnect_ms": None}
    assert launcher("client", "c {endpoint} {mdp_version}").timers() == {}
    assert launcher("worker", "w", versions=["0.1"], endpoint="tcp://127.0.0.1:5555").parallel \
        is False


@pytest.mark.parametrize("role, command, kwargs, why", [
    ("worker", "w {endpoint}", {}, "{mdp_version}"),
    ("worker", "w {endpoint} {mdp_version} {request_expiry_ms}", {}, "no timer of"),
    ("client", "c {endpoint} {mdp_version} {heartbeat_ms}", {}, "no timer of"),
    ("worker", "w {endpoint} {mdp_version} {reconnect_ms}",
     {"declared": {"reconnect_ms": 100}}, "one only"),
    ("worker", "w {mdp_version}", {"endpoint": "ipc:///tmp/x"}, "tcp://"),
    ("worker", "w {mdp_version}", {}, "{endpoint}"),
    ("worker", "w {endpoint} {mdp_version} {nope}", {}, "unknown placeholder"),
])
def test_a_command_the_suite_cannot_use_is_refused(role, command, kwargs, why):
    with pytest.raises(launch.BadCommand) as e:
        launcher(role, command, **kwargs)
    assert why in str(e.value)


def test_a_bad_invocation_exits_3_and_the_roles_list_their_cases():
    def suite(*args):
        return subprocess.run([sys.executable, "-m", "zwire_conformance", *args],
                              cwd=CONFORMANCE, capture_output=True, text=True, timeout=60)
    done = suite("--protocol", "mdp", "--role", "worker", "--command", "w --connect {endpoint}")
    assert done.returncode == 3 and "{mdp_version}" in done.stderr
    for role, least in (("worker", 20), ("client", 15)):
        listed = json.loads(suite("--protocol", "mdp", "--role", role, "--list", "--json").stdout)
        assert len(listed) >= least
        assert all(c["needs"]["role"] == role and c["needs"]["protocol"] == "mdp"
                   for c in listed)


# --- the cases -----------------------------------------------------------------------------------

def role_cases(role):
    return [c for c in CASES if c.needs.get("protocol") == "mdp" and c.needs.get("role") == role]


@pytest.mark.parametrize("role", S.ROLES)
def test_every_case_cites_registered_clauses_of_its_version(role):
    registry = load_registry()
    cases = role_cases(role)
    assert len({c.id for c in cases}) == len(cases)
    for c in cases:
        assert c.clauses and set(c.clauses) <= set(registry), c.id
        tag = "mdp%s." % c.version.replace(".", "")
        assert any(clause.startswith(tag) for clause in c.clauses), c.id
        assert c.needs["mdp"] == [c.version]


@pytest.mark.parametrize("role", S.ROLES)
def test_the_vectors_sent_are_malformed_for_their_receiver_and_reported(role):
    side = M.WORKER if role == "worker" else M.CLIENT
    for name, versions in S.VECTOR_FILES:
        for version in versions:
            vectors = S.role_vectors(str(ROOT), name, version, side)
            assert vectors, (name, version)
            assert len({tuple(v.frames) for v in vectors}) == len(vectors)
            for v in vectors:
                assert v.frames and v.input_class in S.INPUT_CLASSES
                with pytest.raises(M.MdpError):
                    M.decode(v.frames, version, side)
            classes = sorted({v.input_class for v in vectors})
            clauses = S.side_clauses(vectors, version, side, classes)
            for klass in classes:       # t.answer finds a clause of each row to report under
                row = L.table()[klass]
                assert not row.judged and set(row.breaks) & set(clauses), klass
            if side == M.WORKER:        # a worker's case cites no MDP/Client row
                assert not [c for c in clauses if ".client" in c], (name, version)
    # a READY in a client-only group is no worker's input, and the reverse
    worker02 = {tuple(v.frames) for v in S.role_vectors(str(ROOT), "mdp02_test.json", "0.2",
                                                         M.WORKER)}
    assert (b"MDPW02", b"\x01", b"echo") not in worker02


# --- the reference client adapter ----------------------------------------------------------------

def test_the_client_adapter_says_hello_refuses_what_a_command_line_cannot_carry_and_quits():
    proc = subprocess.Popen([sys.executable, str(CONFORMANCE / "adapters" /
                                                 "mdp_client_adapter.py"),
                             "--connect", "tcp://127.0.0.1:1", "--zwire", "/nonexistent"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    out, _ = proc.communicate(
        json.dumps({"id": 1, "op": "request", "service": b"echo".hex(),
                    "body": [b"a\0b".hex()], "timeout": 100, "retries": 0}) + "\n"
        + json.dumps({"id": 2, "op": "nope"}) + "\n"
        + json.dumps({"id": 3, "op": "request", "service": b"echo".hex(),
                      "body": [b"ok".hex()], "timeout": 100, "retries": 0}) + "\n"
        + json.dumps({"id": 4, "op": "quit"}) + "\n", timeout=30)
    lines = [json.loads(x) for x in out.splitlines()]
    assert lines[0]["zwireMdpClient"] == 1
    assert lines[1]["id"] == 1 and lines[1]["error"].startswith("unsupported")
    assert lines[2]["id"] == 2 and lines[2]["error"].startswith("unsupported")
    assert lines[3]["id"] == 3 and not lines[3]["ok"] and "cannot run" in lines[3]["error"]
    assert lines[4] == {"id": 4, "ok": True} and proc.returncode == 0


# --- runs ----------------------------------------------------------------------------------------

# A worker on pyzmq: `silent` completes the ZMTP handshake and never says READY; `broken`
# says READY with a fourth frame and answers a REQUEST without the delimiter.
STAND_IN_WORKER = textwrap.dedent('''
    import sys, zmq
    mode, endpoint, version = sys.argv[1:4]
    ctx = zmq.Context()
    s = ctx.socket(zmq.DEALER)
    s.setsockopt(zmq.LINGER, 0)
    s.connect(endpoint)
    head = [b"", b"MDPW01"] if version == "0.1" else [b"MDPW02"]
    if mode == "broken":
        s.send_multipart(head + [b"\\x01", b"echo", b"extra"])
    while True:
        frames = s.recv_multipart()
        if mode == "broken" and frames[len(head)] == b"\\x02":
            address = frames[len(head) + 1]
            s.send_multipart(head + [b"\\x03" if version == "0.1" else b"\\x04", address,
                                     b"no delimiter"])
''')

# A client adapter on pyzmq: `no-empty` sends a 0.1 request without its empty frame 0;
# `dies-on-odd` reports a death when a reply does not start as its version's; `dies`
# reports a death on any reply.
STAND_IN_CLIENT = textwrap.dedent('''
    import json, sys, zmq
    mode, endpoint, version = sys.argv[1:4]
    ctx = zmq.Context()
    print(json.dumps({"zwireMdpClient": 1, "implementation": {"name": mode}}), flush=True)
    head = [b"", b"MDPC01"] if version == "0.1" else [b"MDPC02", b"\\x01"]
    for line in sys.stdin:
        req = json.loads(line)
        if req["op"] == "quit":
            break
        s = ctx.socket(zmq.DEALER)
        s.setsockopt(zmq.LINGER, 0)
        s.connect(endpoint)
        frames = head + [bytes.fromhex(req["service"])] + [bytes.fromhex(f) for f in req["body"]]
        s.send_multipart(frames[1:] if mode == "no-empty" else frames)
        reply = {"id": req["id"], "ok": True, "outcome": "timed-out", "frames": []}
        while s.poll(req["timeout"]):
            got = s.recv_multipart()
            if mode == "dies" or (mode == "dies-on-odd" and got[:1] != head[:1]):
                reply.update(outcome="died", status="signal 11")
                break
            if got[:1] == head[:1]:
                reply.update(outcome="answered", frames=[f.hex() for f in got[len(head) + 1:]])
                break
        s.close()
        print(json.dumps(reply), flush=True)
''')


def run_role(tmp_path, role, script, mode, *args):
    path = tmp_path / ("stand_in_%s.py" % role)
    path.write_text(script)
    done = subprocess.run(
        [sys.executable, "-m", "zwire_conformance", "--protocol", "mdp", "--role", role,
         "--command", "%s %s %s {endpoint} {mdp_version}" % (sys.executable, path, mode),
         "--report-dir", str(tmp_path / mode), "-q", *args],
        cwd=CONFORMANCE, capture_output=True, text=True, timeout=300)
    report = json.loads((tmp_path / mode / "report.json").read_text())
    jsonschema.validate(report, SCHEMA)
    return done, {c["id"]: c for c in report["cases"]}


def failed_under(case):
    return {e["clause"] for e in case["expectations"] if e["verdict"] == V.FAIL}


def test_a_worker_that_never_registers_is_never_accused(tmp_path):
    """It connects as a DEALER and sends nothing: every case that needs its READY is
    NOT-EXERCISED, saying so; none FAILs, none is a harness error."""
    done, cases = run_role(tmp_path, "worker", STAND_IN_WORKER, "silent",
                           "--case", "mdp.worker.ready.v02", "--case", "mdp.worker.reply.v01",
                           "--case", "mdp.worker.heartbeat-idle.v02",
                           "--case", "mdp.worker.disconnect.v02",
                           "--case", "mdp.worker.vectors.mdp02.v02",
                           "--case", "mdp.worker.dealer.v01")
    assert done.returncode == 0, done.stdout + done.stderr
    verdicts = {k: c["verdict"] for k, c in cases.items()}
    assert V.FAIL not in verdicts.values() and V.HARNESS_ERROR not in verdicts.values()
    assert verdicts["mdp.worker.ready.v02"] == V.NOT_EXERCISED
    assert "no MDP message" in cases["mdp.worker.ready.v02"]["reason"]
    assert verdicts["mdp.worker.dealer.v01"] == V.NOT_EXERCISED       # its DEALER PASSed
    assert all(c.get("robustness") is None for c in cases.values())


def test_a_worker_that_breaks_a_layout_fails_the_clause_that_binds_it(tmp_path):
    done, cases = run_role(tmp_path, "worker", STAND_IN_WORKER, "broken",
                           "--case", "mdp.worker.ready.v02", "--case", "mdp.worker.reply.v01")
    assert done.returncode == 1
    assert failed_under(cases["mdp.worker.ready.v02"]) == {"mdp02.grammar.ready"}
    # its READY is malformed, so the reply case cannot start: NOT-EXERCISED, and still its
    # own octets are judged
    assert cases["mdp.worker.reply.v01"]["verdict"] == V.FAIL
    assert failed_under(cases["mdp.worker.reply.v01"]) == {"mdp01.grammar.ready"}


def test_a_client_that_leaves_out_the_empty_frame_fails_it(tmp_path):
    done, cases = run_role(tmp_path, "client", STAND_IN_CLIENT, "no-empty",
                           "--case", "mdp.client.request.v01", "--case", "mdp.client.request.v02")
    assert done.returncode == 1
    assert {"mdp01.client.dealer-empty-frame", "mdp01.grammar.client-request"} <= \
        failed_under(cases["mdp.client.request.v01"])
    # a 0.2 request without its first frame has no header
    assert failed_under(cases["mdp.client.request.v02"]) == {"mdp02.grammar.client-header"}


def test_a_client_that_dies_on_hostile_input_is_died_and_on_an_answer_an_adapter_error(
        tmp_path):
    done, cases = run_role(tmp_path, "client", STAND_IN_CLIENT, "dies-on-odd",
                           "--case", "mdp.client.vectors.mdp01.v01",
                           "--case", "mdp.client.request.v01")
    assert done.returncode == 1, done.stdout + done.stderr
    hostile = cases["mdp.client.vectors.mdp01.v01"]
    assert hostile["verdict"] == V.INFO and hostile["robustness"] == V.ROBUST_DIED
    assert "signal 11" in hostile["robustnessDetail"]
    assert cases["mdp.client.request.v01"]["verdict"] == V.PASS
    done, cases = run_role(tmp_path, "client", STAND_IN_CLIENT, "dies",
                           "--case", "mdp.client.request.v02")
    assert done.returncode == 2
    assert cases["mdp.client.request.v02"]["verdict"] == V.ADAPTER_ERROR
    assert "the client died (signal 11)" in cases["mdp.client.request.v02"]["reason"]


@pytest.mark.skipif(not ZWIRE.exists(), reason="build/bin/zwire is not built")
@pytest.mark.parametrize("implementation, selection", [
    ("zwire-mdp-worker", ["mdp.worker.ready.*", "mdp.worker.reply.*", "mdp.worker.disconnect.*",
                          "mdp.worker.heartbeat-idle.v02", "mdp.worker.unknown-command.v01"]),
    ("zwire-mdp-client", ["mdp.client.request.*", "mdp.client.partials.*",
                          "mdp.client.retries.v02", "mdp.client.vectors.mdp02.v02"]),
])
def test_a_sample_against_the_reference_passes(tmp_path, implementation, selection):
    assert cli.SHIPPED_ROLES[implementation]["role"] in S.ROLES
    done = subprocess.run(
        [sys.executable, "-m", "zwire_conformance", "--implementation", implementation,
         "--report-dir", str(tmp_path), "-q"] + [x for g in selection for x in ("--case", g)],
        cwd=CONFORMANCE, capture_output=True, text=True, timeout=300,
        env=dict(os.environ, ZWIRE_FAULT="", ZWIRE_LENIENT=""))
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads((tmp_path / "report.json").read_text())
    jsonschema.validate(report, SCHEMA)
    assert report["cases"] and all(c["verdict"] in (V.PASS, V.INFO) for c in report["cases"])
    assert all(c.get("robustness") in (None, V.ROBUST_OK) for c in report["cases"])
    assert all(c.get("messages") for c in report["cases"])
