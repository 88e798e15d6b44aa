"""The Freelance client's side of the suite checking itself: the --lines protocol as the
suite writes and reads it, the launcher of the client role (suiteserver.py), the client
cases' registration, and whole runs against a stand-in client on pyzmq written here: a
conforming one passes (the malformed replies reported, robust); one that hands over any
reply is reported under flp.client.ccf-any-use with the stale reply named, never failed;
one with an identity fails flp.client.no-identity; one that never pings is never accused;
one that hangs, or writes a line that is no outcome, is an ADAPTER-ERROR; one that dies on
a malformed reply died; a sample of the cases against the reference client."""

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

from zwire_conformance import cli, launch, suiteserver  # noqa: E402
from zwire_conformance import verdict as V  # noqa: E402
from zwire_conformance.adapter import AdapterError  # noqa: E402
from zwire_conformance.case import CASES  # noqa: E402
from zwire_conformance.runner import load_registry  # noqa: E402

SCHEMA = json.loads((CONFORMANCE / "schema" / "report.schema.json").read_text())
ZWIRE = ROOT / "build" / "bin" / "zwire"
COMMAND = ("{python} {script} {mode} {endpoints} {ping_interval_ms} {liveness} {timeout_ms} "
           "{retries}")

# A client on pyzmq speaking the --lines protocol: one ROUTER, a PING to every server each
# interval, a server live while its last PONG is younger than liveness intervals, each
# request to the first live server then the next after a timeout, a decimal CCF, only its
# reply handed over.  Modes: good; any-reply (hands over any reply); identity (sets one);
# no-ping (never pings, every server taken for live); hang (never writes an outcome);
# garbage (writes a line that is no outcome); dies (exits 134 on a one-frame message that is
# not PONG).
STAND_IN_CLIENT = textwrap.dedent('''
    import os, select, sys, time, zmq
    mode, endpoints = sys.argv[1], sys.argv[2].split(",")
    interval, liveness = int(sys.argv[3]) / 1000.0, int(sys.argv[4])
    timeout, retries = int(sys.argv[5]) / 1000.0, int(sys.argv[6])
    s = zmq.Context().socket(zmq.ROUTER)
    s.setsockopt(zmq.ROUTER_MANDATORY, 1)
    s.setsockopt(zmq.RECONNECT_IVL, 100)
    s.setsockopt(zmq.LINGER, 0)
    if mode == "identity":
        s.setsockopt(zmq.IDENTITY, b"me")
    for e in endpoints:
        s.connect(e)
    pong, next_ping = {}, [time.monotonic()]

    def live(e):
        return mode == "no-ping" or time.monotonic() - pong.get(e, -1e9) < liveness * interval

    def send(e, frames):
        try:
            s.send_multipart([e.encode()] + frames)
            return True
        except zmq.ZMQError:
            return False

    def pump(wait):
        if mode != "no-ping":
            if time.monotonic() >= next_ping[0]:
                for e in endpoints:
                    send(e, [b"PING"])
                next_ping[0] = time.monotonic() + interval
            wait = min(wait, max(0.0, next_ping[0] - time.monotonic()))
        if not s.poll(int(wait * 1000)):
            return None
        m = s.recv_multipart()
        if m[1:] == [b"PONG"]:
            pong[m[0].decode()] = time.monotonic()
            return None
        if len(m) < 3 and mode == "dies":
            os._exit(134)
        return m[1:]

    def handle(body, ccf):
        first_live = time.monotonic() + liveness * interval
        k = 0
        while k <= retries:
            live_ones = [e for e in endpoints if live(e)]
            if not live_ones:
                if time.monotonic() > first_live:
                    return "no-server"
                pump(0.01)
                continue
            e = live_ones[k % len(live_ones)]
            k += 1
            if not send(e, [ccf] + body):
                continue
            end = time.monotonic() + timeout
            while time.monotonic() < end:
                got = pump(end - time.monotonic())
                if got and len(got) >= 2 and (got[0] == ccf or mode == "any-reply"):
                    return "answered " + " ".join(f.hex() or "-" for f in got[1:])
        return "timed-out"

    seq, buf, fd = 0, b"", sys.stdin.fileno()
    while True:
        if select.select([fd], [], [], 0.01)[0]:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            buf += chunk
            while b"\\n" in buf:
                line, buf = buf.split(b"\\n", 1)
                seq += 1
                body = [b"" if w == "-" else bytes.fromhex(w) for w in line.decode().split()]
                out = "hello" if mode == "garbage" else handle(body, str(seq).encode())
                if mode != "hang":
                    print(out, flush=True)
        pump(0)
''')


@pytest.fixture
def stand_in(tmp_path):
    script = tmp_path / "stand_in_fl_client.py"
    script.write_text(STAND_IN_CLIENT)
    return lambda mode: COMMAND.format(python=sys.executable, script=script, mode=mode,
                                       endpoints="{endpoints}",
                                       ping_interval_ms="{ping_interval_ms}",
                                       liveness="{liveness}", timeout_ms="{timeout_ms}",
                                       retries="{retries}")


def run_suite(tmp_path, command, *args, env=None):
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "zwire_conformance", "--protocol", "flp", "--role", "client",
         "--command", command, "--name", "stand-in", "--report-dir", str(out), "-q", *args],
        cwd=CONFORMANCE, capture_output=True, text=True, timeout=300, env=env)
    report = json.loads((out / "report.json").read_text())
    jsonschema.validate(report, SCHEMA)
    return done, report, {c["id"]: c for c in report["cases"]}


def client_cases():
    return [c for c in CASES if c.needs.get("protocol") == "flp"
            and c.needs.get("role") == "client"]


# --- the --lines protocol and the launcher -------------------------------------------------------

def test_a_request_line_is_its_frames_in_hex_with_a_dash_for_an_empty_one():
    assert suiteserver.request_line([b"hello", b"", b"\x00\xff"]) == "68656c6c6f - 00ff"
    assert suiteserver.request_line([b""]) == "-"


def test_outcome_lines_are_read_and_anything_else_is_an_adapter_error():
    assert suiteserver.parse_outcome("answered 68656c6c6f - 00ff") == (
        "answered", [b"hello", b"", b"\x00\xff"])
    assert suiteserver.parse_outcome("timed-out") == ("timed-out", [])
    assert suiteserver.parse_outcome("no-server") == ("no-server", [])
    assert suiteserver.parse_outcome("error bad hex") == ("error", "bad hex")
    for line in ("answered", "answered zz", "hello", "timed-out now", ""):
        with pytest.raises(AdapterError):
            suiteserver.parse_outcome(line)


def test_the_client_role_needs_endpoints_and_takes_its_timers():
    with pytest.raises(launch.BadCommand):
        suiteserver.ServersLauncher("flp", "client", "c --connect {endpoint}", {})
    with pytest.raises(launch.BadCommand):
        suiteserver.ServersLauncher("flp", "client", "c {endpoints}", {},
                                    endpoint="tcp://127.0.0.1:5555")
    launcher = suiteserver.ServersLauncher("flp", "client", "c {endpoints} {timeout_ms}", {},
                                           declared={"liveness": 2})
    assert launcher.timers(suiteserver.FAST) == {"ping_interval_ms": None, "liveness": 2,
                                                 "timeout_ms": 300, "retries": None}
    assert launch.SIDES["flp", "client"] == (suiteserver.ServersLauncher,
                                             suiteserver.probe_client)
    _, args = cli.parse(["--protocol", "flp", "--role", "client", "--command", "c {endpoints}"])
    assert isinstance(cli.make_launcher(args), suiteserver.ServersLauncher)


# --- the cases -----------------------------------------------------------------------------------

def test_every_case_cites_registered_clauses_and_no_slug_looks_like_one():
    registry = load_registry()
    cases = client_cases()
    assert len(cases) >= 12
    for case_ in cases:
        assert case_.clauses and set(case_.clauses) <= set(registry), case_.id
        assert case_.slug.startswith("fl.client."), case_.id
        assert set(case_.servers) <= {"live", "dead"} and case_.servers, case_.id


def test_the_predicted_ccf_is_what_a_counter_gives_next():
    from zwire_conformance.cases.flp_client import successor
    assert successor(b"1") == b"2" and successor(b"99") == b"100"
    assert successor(b"\x00\xff") == b"\x01\x00" and successor(b"\xff") == b"\x00"
    assert successor(b"") == b"\x01"


def test_the_malformed_replies_are_the_to_client_acceptable_vectors():
    vectors = suiteserver.to_client_vectors(str(ROOT))
    assert [v.id for v in vectors] == ["flp-%d" % n for n in range(55, 63)]
    assert {v.input_class for v in vectors} == {"FlpMissingFrame"}


# --- whole runs ----------------------------------------------------------------------------------

def test_a_conforming_client_passes_and_the_malformed_replies_are_reported(tmp_path, stand_in):
    done, report, cases = run_suite(tmp_path, stand_in("good"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert report["counts"][V.FAIL] == 0 and report["counts"][V.NOT_EXERCISED] == 0
    assert cases["fl.client.vectors"]["verdict"] == V.INFO
    assert all(c["verdict"] == V.PASS for k, c in cases.items() if k != "fl.client.vectors")
    assert all(c["robustness"] == V.ROBUST_OK for c in cases.values() if c["robustness"])
    assert "is a Freelance client" in report["speaks"]


def test_a_client_that_hands_over_any_reply_is_reported_never_failed(tmp_path, stand_in):
    done, report, cases = run_suite(tmp_path, stand_in("any-reply"),
                                    "--case", "fl.client.stale-*")
    assert done.returncode == 0, done.stdout + done.stderr
    for slug in ("late", "twice", "wrong-ccf", "all-four"):
        case_ = cases["fl.client.stale-%s" % slug]
        assert case_["verdict"] == V.INFO, slug
        reported = [e for e in case_["expectations"] if e["verdict"] == V.INFO]
        assert {e["clause"] for e in reported} == {"flp.client.ccf-any-use"}
    late = [e["happened"] for e in cases["fl.client.stale-late"]["expectations"]
            if e["verdict"] == V.INFO]
    assert "its application got ['req-1']: s1's late reply to ['req-1']" in late[0]
    assert cases["fl.client.stale-dead"]["verdict"] == V.PASS


def test_a_client_with_an_identity_fails_no_identity(tmp_path, stand_in):
    done, report, cases = run_suite(tmp_path, stand_in("identity"), "--case", "fl.client.no-*",
                                    "--case", "fl.client.router")
    assert done.returncode == 1
    assert cases["fl.client.no-identity"]["verdict"] == V.FAIL
    assert "Identity 'me'" in cases["fl.client.no-identity"]["reason"]
    assert cases["fl.client.router"]["verdict"] == V.PASS


def test_a_client_that_never_pings_is_never_accused(tmp_path, stand_in):
    done, report, cases = run_suite(tmp_path, stand_in("no-ping"), "--case", "fl.client.ping*",
                                    "--case", "fl.client.silent-*")
    assert done.returncode == 0, done.stdout + done.stderr
    assert cases["fl.client.ping-interval"]["verdict"] == V.INFO
    for slug in ("ping", "silent-server", "silent-not-yet"):
        assert cases["fl.client.%s" % slug]["verdict"] == V.NOT_EXERCISED, slug


def test_a_client_that_hangs_or_writes_no_outcome_is_an_adapter_error(tmp_path, stand_in):
    done, report, cases = run_suite(tmp_path, stand_in("hang"), "--case", "fl.client.request")
    assert done.returncode == 2
    assert cases["fl.client.request"]["verdict"] == V.ADAPTER_ERROR
    assert "no outcome for request 1" in cases["fl.client.request"]["reason"]
    done, report, cases = run_suite(tmp_path, stand_in("garbage"), "--case", "fl.client.request")
    assert done.returncode == 2
    assert "no outcome" in cases["fl.client.request"]["reason"]


def test_a_client_that_dies_on_a_malformed_reply_died(tmp_path, stand_in):
    done, report, cases = run_suite(tmp_path, stand_in("dies"), "--case", "fl.client.vectors")
    assert done.returncode == 2
    case_ = cases["fl.client.vectors"]
    assert case_["verdict"] == V.ADAPTER_ERROR and case_["robustness"] == V.ROBUST_DIED


@pytest.mark.skipif(not ZWIRE.exists(), reason="build/bin/zwire is not built")
def test_a_sample_against_the_reference_client_passes(tmp_path):
    done, report, cases = run_suite(
        tmp_path, cli.SHIPPED_ROLES["zwire-fl-client"]["command"], "--case", "fl.client.router",
        "--case", "fl.client.failover-mute", "--case", "fl.client.stale-late",
        env=dict(os.environ, ZWIRE_FAULT="", ZWIRE_LENIENT=""))
    assert done.returncode == 0, done.stdout + done.stderr
    assert {c["verdict"] for c in cases.values()} == {V.PASS}
