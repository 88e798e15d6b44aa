"""The Majordomo side of the suite checking itself: the command line with placeholders
(launch.py), the raw MDP clients and workers and their wire checks (majordomo.py) against a
tiny broker written here, the broker cases' registration, and whole runs against that
fake: a conforming one passes, a malformed REPLY is a FAIL of the clause that binds it,
one that closes every connection is never accused, one that dies on malformed input is
ADAPTER-ERROR with robustness "died"."""

import json
import pathlib
import subprocess
import sys
import textwrap
import time

import jsonschema
import pytest

CONFORMANCE = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(CONFORMANCE))

from zwire_codec import mdp as M  # noqa: E402
from zwire_conformance import cli, launch, majordomo, runner, wire  # noqa: E402
from zwire_conformance import verdict as V  # noqa: E402
from zwire_conformance.adapter import AdapterError, Unsupported  # noqa: E402
from zwire_conformance.case import CASES, Case, CaseRun  # noqa: E402
from zwire_conformance.cases import mdp_broker_hostile  # noqa: E402

SCHEMA = json.loads((CONFORMANCE / "schema" / "report.schema.json").read_text())

# A broker in a few lines: ZMTP 3.1 NULL as ROUTER, MDP 0.1 and 0.2 clients and workers,
# least recently used workers, no heartbeats, no MMI.  Modes: good; no-empty-frame (a 0.1
# REPLY without its empty frame 0); closer (closes every connection at once); dies (exits
# 134 on a message it cannot read); nobound (never says `bound`); exits (exit 3 at once);
# deaf (ignores SIGTERM).
FAKE_BROKER = textwrap.dedent('''
    import os, select, signal, socket, sys
    mode, endpoint = sys.argv[1], sys.argv[2]
    if mode == "exits":
        sys.exit(3)
    if mode == "deaf":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    host, port = endpoint[len("tcp://"):].rsplit(":", 1)
    lst = socket.socket()
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lst.bind((host, int(port)))
    lst.listen(16)
    if mode != "nobound":
        print("bound " + endpoint, flush=True)
    READY = b"\\x05READY\\x0bSocket-Type" + (6).to_bytes(4, "big") + b"ROUTER"
    HELLO = (b"\\xff" + bytes(8) + b"\\x7f\\x03\\x01" + b"NULL".ljust(20, b"\\0") + bytes(32)
             + bytes([0x04, len(READY)]) + READY)
    peers, by_id, idle, queue, version = {}, {}, {}, {}, {}

    def frame(body, more):
        flags = 1 if more else 0
        if len(body) > 255:
            return bytes([flags | 2]) + len(body).to_bytes(8, "big") + body
        return bytes([flags, len(body)]) + body

    def send(ident, frames):
        by_id[ident]["sock"].sendall(b"".join(frame(f, i < len(frames) - 1)
                                              for i, f in enumerate(frames)))

    def reply(client, v, service, body):
        if v == "0.1":
            send(client, ([] if mode == "no-empty-frame" else [b""]) + [b"MDPC01", service] + body)
        else:
            send(client, [b"MDPC02", b"\\x03", service] + body)

    def dispatch(service):
        while queue.get(service) and idle.get(service):
            worker = idle[service].pop(0)
            client, v, body = queue[service].pop(0)
            head = [b"", b"MDPW01"] if version[worker] == "0.1" else [b"MDPW02"]
            by_id[worker]["busy"] = (client, v, service)
            send(worker, head + [b"\\x02", client, b""] + body)

    def message(ident, f):
        if f[:2] == [b"", b"MDPC01"] and len(f) >= 4:
            queue.setdefault(f[2], []).append((ident, "0.1", f[3:]))
            return dispatch(f[2])
        if f[:2] == [b"MDPC02", b"\\x01"] and len(f) >= 4:
            queue.setdefault(f[2], []).append((ident, "0.2", f[3:]))
            return dispatch(f[2])
        v, rest = ("0.1", f[2:]) if f[:2] == [b"", b"MDPW01"] else ("0.2", f[1:]) \\
            if f[:1] == [b"MDPW02"] else (None, None)
        if v and rest[:1] == [b"\\x01"] and len(rest) == 2:
            version[ident] = v
            idle.setdefault(rest[1], []).append(ident)
            return dispatch(rest[1])
        final = b"\\x03" if v == "0.1" else b"\\x04"
        if v and rest[:1] == [final] and by_id[ident].get("busy"):
            client, cv, service = by_id[ident].pop("busy")
            reply(client, cv, service, rest[3:])
            idle[service].append(ident)
            return dispatch(service)
        quiet = [b"\\x04", b"\\x05"] if v == "0.1" else [b"\\x05", b"\\x06"]
        if v and rest[:1] and rest[0] in quiet and len(rest) == 1:
            return
        if mode == "dies":
            os._exit(134)

    def read(sock):
        p = peers[sock]
        data = sock.recv(65536)
        if not data:
            sock.close()
            del peers[sock]
            return
        p["buf"] += data
        if not p["greeted"]:
            if len(p["buf"]) < 64:
                return
            del p["buf"][:64]
            p["greeted"] = True
        while len(p["buf"]) >= 2:
            flags, long = p["buf"][0], p["buf"][0] & 2
            head = 9 if long else 2
            if len(p["buf"]) < head:
                return
            size = int.from_bytes(p["buf"][1:head], "big")
            if len(p["buf"]) < head + size:
                return
            body = bytes(p["buf"][head:head + size])
            del p["buf"][:head + size]
            if flags & 4:
                continue
            p["frames"].append(body)
            if not flags & 1:
                frames, p["frames"] = p["frames"], []
                message(p["id"], frames)

    count = 0
    while True:
        ready, _, _ = select.select([lst] + list(peers), [], [])
        for sock in ready:
            if sock is lst:
                conn, _ = lst.accept()
                if mode == "closer":
                    conn.close()
                    continue
                count += 1
                ident = b"\\x00" + count.to_bytes(4, "big")
                peers[conn] = by_id[ident] = {"sock": conn, "buf": bytearray(), "greeted": False,
                                              "frames": [], "id": ident}
                conn.sendall(HELLO)
            elif sock in peers:
                read(sock)
''')

TEMPLATE = "%s %s %s {endpoint} --heartbeat {heartbeat_ms} --liveness {liveness}"


@pytest.fixture
def fake(tmp_path):
    script = tmp_path / "fake_broker.py"
    script.write_text(FAKE_BROKER)
    return lambda mode: TEMPLATE % (sys.executable, script, mode)


def launcher(command, **options):
    return launch.Launcher("mdp", "broker", command, {"mdp": ["0.1", "0.2"], "mmi": True},
                           probe=majordomo.probe_broker, **options)


# --- the command line --------------------------------------------------------------------------

def test_placeholders_are_filled_in_word_by_word_without_a_shell():
    command = "'my broker' --bind {endpoint} --hb={heartbeat_ms} --name '{liveness} x'"
    assert launch.placeholders(command) == ["endpoint", "heartbeat_ms", "liveness"]
    argv = launch.expand(command, {"endpoint": "tcp://127.0.0.1:5555", "heartbeat_ms": 150,
                                   "liveness": 3})
    assert argv == ["my broker", "--bind", "tcp://127.0.0.1:5555", "--hb=150", "--name", "3 x"]


def test_a_command_the_suite_cannot_use_is_refused():
    with pytest.raises(launch.BadCommand, match="unknown placeholder {port}"):
        launch.check_command("broker --bind tcp://*:{port}")
    with pytest.raises(launch.BadCommand, match="empty"):
        launch.check_command("   ")
    with pytest.raises(launch.BadCommand, match="no value for {liveness}"):
        launch.expand("broker {liveness}", {"liveness": None})
    with pytest.raises(launch.BadCommand, match="no {endpoint}"):
        launcher("broker --heartbeat {heartbeat_ms}")
    with pytest.raises(launch.BadCommand, match="one only"):
        launcher("broker {endpoint}", endpoint="tcp://127.0.0.1:5555")
    with pytest.raises(launch.BadCommand, match="one only"):
        launcher("broker {endpoint} {liveness}", declared={"liveness": 3})


def test_timers_come_from_the_case_the_declaration_or_nowhere():
    """A placeholder takes what the case wants (else a default long enough never to act); a
    fixed timer is what the user declared; neither is unknown (None)."""
    own = launcher("b {endpoint} {heartbeat_ms} {request_expiry_ms}", declared={"liveness": 4})
    assert own.timers({"heartbeat_ms": 150}) == {"heartbeat_ms": 150, "liveness": 4,
                                                 "request_expiry_ms": 7500}
    fixed = launcher("b --fixed", endpoint="tcp://127.0.0.1:5555")
    assert fixed.timers({"heartbeat_ms": 150}) == {"heartbeat_ms": None, "liveness": None,
                                                   "request_expiry_ms": None}
    assert not fixed.parallel and own.parallel
    assert own.hello()["capabilities"]["timers"]["liveness"] == 4


def test_a_case_needing_a_timer_nobody_gave_is_unsupported():
    case_ = Case("x.mdp", None, None, "mdp.x", "t", [], {"protocol": "mdp", "role": "broker",
                                                         "timers": ["heartbeat_ms"]})
    fixed = launcher("b --fixed", endpoint="tcp://127.0.0.1:5555")
    assert "heartbeat_ms" in runner.capability_gap(case_, fixed.hello()["capabilities"])
    with pytest.raises(Unsupported):
        fixed.start(wire.Clock(), case_)
    mmi = Case("x.mmi", None, None, "mdp.x", "t", [], {"mmi": True, "mdp": ["0.1"]})
    assert runner.capability_gap(mmi, {"mdp": ["0.1"], "mmi": False}) == "8/MMI"
    assert runner.capability_gap(mmi, {"mdp": ["0.2"], "mmi": True}) == "MDP 0.1"
    assert runner.capability_gap(mmi, {"mdp": ["0.1", "0.2"], "mmi": True}) is None


def test_ready_on_its_bound_line_or_on_a_taken_connection(fake):
    clock = wire.Clock()
    for mode in ("good", "nobound"):
        process = launcher(fake(mode)).start(clock)
        try:
            assert process.endpoint.startswith("tcp://127.0.0.1:")
            assert launch.accepts(process.endpoint)
            assert process.quit() == -15 and not process.stopped_by_suite
        finally:
            process.close()
    process = launcher(fake("good")).start(clock)
    assert process.stop() is not None and process.stopped_by_suite
    assert "bound tcp://127.0.0.1:" in process.stderr_text()
    process.close()


def test_a_process_that_exits_or_ignores_sigterm_fails_the_preflight(fake):
    with pytest.raises(AdapterError, match="exited with status 3 before it was ready"):
        launch.preflight(launcher(fake("exits")), wire.Clock())
    with pytest.raises(AdapterError, match="did not exit within 1 s of SIGTERM"):
        launch.preflight(launcher(fake("deaf")), wire.Clock(0.2))
    good = launcher(fake("good"))
    launch.preflight(good, wire.Clock())
    assert good.ready_at.startswith("tcp://127.0.0.1:")


# --- the raw peers, against the fake -----------------------------------------------------------

@pytest.fixture
def run(fake, request):
    """A CaseRun whose implementation is the fake broker in the mode the test names."""
    mode = getattr(request, "param", "good")
    case_ = Case("x.mdp", None, None, "mdp.x", "t", ["mdp01.grammar.client-reply"], {})
    case_.version = M.V01
    process = launcher(fake(mode)).start(wire.Clock(), case_)
    run = CaseRun(case_, process, runner.load_registry(), "rfc-strict", wire.Clock())
    yield run
    run.close_all()
    process.quit()
    process.close()


def test_a_request_and_its_reply_go_through_as_exact_frames(run):
    net = majordomo.Majordomo(run)
    worker = net.worker(b"echo")
    client = net.client()
    request, reply = net.served(client, worker, b"echo", [b"hi", b""])
    assert request.message == M.Message("0.1", "worker", "REQUEST", address=b"\x00\x00\x00\x00\x02",
                                         body=[b"hi", b""])
    assert reply.frames == [b"", b"MDPC01", b"echo", b"re: hi"] and reply.command == "REPLY"
    sent = b"".join(bytes.fromhex(e["hex"]) for e in run.transcript.entries
                    if e["conn"] == "client1" and e["dir"] == "out")
    assert sent.endswith(wire.message(b"", b"MDPC01", b"echo", b"hi", b""))
    readings = [(m["conn"], m["dir"], m["reading"]) for m in run.messages]
    assert ("client1", "out", "MDPC01 REQUEST, service 'echo', body ['hi', '']") in readings
    assert ("worker1", "in", "MDPW01 REQUEST, client 0x0000000002, body ['hi', '']") in readings
    assert ("client1", "in", "MDPC01 REPLY, service 'echo', body ['re: hi']") in readings
    assert net.check(run) == [] and not run.expectations


@pytest.mark.parametrize("run", ["no-empty-frame"], indirect=True)
def test_a_malformed_message_from_the_broker_is_a_fail_of_the_clause_that_binds_it(run):
    net = majordomo.Majordomo(run)
    worker, client = net.worker(b"echo"), net.client()
    client.request(b"echo", [b"hi"])
    net.wait(lambda: worker.requests(), 2.0)
    worker.answer(worker.requests()[0], [b"re: hi"])
    net.wait(lambda: client.got, 2.0)
    assert client.got[0].error.cls == "mdp-invalid-header"
    assert net.check(run) == ["mdp01.grammar.client-reply"]
    (judged,) = run.expectations
    assert judged["verdict"] == V.FAIL and judged["binds"] == "sender"
    assert "it sent ['MDPC01', 'echo', 're: hi']: mdp-invalid-header at frame 0" \
        in judged["happened"]


def test_a_worker_keeps_itself_alive_at_half_the_interval(run):
    run.adapter.timers = dict(run.adapter.timers, heartbeat_ms=100)
    net = majordomo.Majordomo(run)
    live = net.worker(b"echo")
    silent = net.worker(b"echo", keepalive=False)
    net.quiet(0.35)
    beats = [m for m in run.messages if m["dir"] == "out" and "HEARTBEAT" in m["reading"]]
    assert 5 <= len(beats) <= 9 and {m["conn"] for m in beats} == {live.label}
    live.disconnect()
    at = len(run.messages)
    net.quiet(0.15)
    assert not [m for m in run.messages[at:] if "HEARTBEAT" in m["reading"]]
    assert silent.keepalive is False


def test_the_probe_finds_a_serving_broker(run):
    verdict, detail = majordomo.probe_broker(run)
    assert verdict == V.ROBUST_OK, detail
    assert {m["conn"] for m in run.messages} == {"probe-worker", "probe-client"}


def test_messages_in_words():
    hb = majordomo.Got([b"", b"MDPW01", b"\x04"], 0, "0.1", "worker")
    bad = majordomo.Got([b"MDPW01", b"\x04"], 0, "0.1", "worker")
    assert majordomo.names([hb, hb, hb, bad, hb]) == \
        "3 HEARTBEATs, a malformed message, HEARTBEAT"
    assert majordomo.names([]) == "nothing"
    assert majordomo.reading([b"MDPC02", b"\x09"]) == \
        "no MDP message: mdp-invalid-command at frame 1 (mdp02.grammar.client-command): " \
        "['MDPC02', 0x09]"
    assert majordomo.broker_clause("mdp01.grammar.client-request") == "mdp01.grammar.client-reply"


# --- the cases ---------------------------------------------------------------------------------

def test_broker_cases_come_in_both_versions_citing_their_own_clauses():
    registry = runner.load_registry()
    mdp = [c for c in CASES if c.needs.get("protocol") == "mdp" and c.needs["role"] == "broker"]
    assert len([c for c in mdp if c.area != "mdp.hostile"]) >= 45
    ids = {c.id: c for c in mdp}
    one, two = ids["mdp.heartbeat.idle-worker.v01"], ids["mdp.heartbeat.idle-worker.v02"]
    assert one.clauses == ["mdp01.heartbeat.broker-sends"] and one.version == "0.1"
    assert two.clauses == ["mdp02.heartbeat.broker-sends"] and two.needs["mdp"] == ["0.2"]
    assert one.timers == majordomo.FAST and one.needs["timers"] == ["heartbeat_ms"]
    assert ids["mdp.versions.client01-worker02"].needs["mdp"] == ["0.1", "0.2"]
    assert all(c in registry for case_ in mdp for c in case_.clauses)
    assert all(case_.role is None for case_ in mdp)


def test_every_malformed_vector_is_sent_by_both_senders_and_reported_by_its_row():
    """Each distinct frame list of the mdp vectors that no layout takes; its input class's
    row of spec/leniency.md breaks a clause the case cites, so t.answer can report it."""
    from zwire_conformance import leniency
    table = leniency.table()
    vectors = mdp_broker_hostile.vectors()
    assert len(vectors) == len({tuple(v.frames) for v in vectors}) > 100
    assert all(v.frames and mdp_broker_hostile.malformed(v.frames) for v in vectors)
    for v in vectors:
        assert set(table[v.input_class].breaks) & set(v.clauses), v.ids
        assert v.version in ("0.1", "0.2")
    hostile = [c for c in CASES if c.area == "mdp.hostile"]
    assert len(hostile) == 2 * len(vectors)


def test_the_protocol_decides_which_cases_are_selected():
    _, args = cli.parse(["--list", "--protocol", "mdp"])
    chosen = cli.select(args, {})
    assert chosen and all(c.needs.get("protocol") == "mdp" and c.needs["role"] == "broker"
                          for c in chosen)
    _, args = cli.parse(["--list"])
    assert not [c for c in cli.select(args, {}) if c.needs.get("protocol") == "mdp"]
    _, args = cli.parse(["--implementation", "zwire-mdp-broker", "--list"])
    assert cli.target(args) == ("mdp", "broker")


# --- whole runs --------------------------------------------------------------------------------

def run_suite(tmp_path, command, *args):
    return subprocess.run(
        [sys.executable, "-m", "zwire_conformance", "--command", command, "--name", "fake",
         "--report-dir", str(tmp_path / "out"), "-q", *args],
        cwd=CONFORMANCE, capture_output=True, text=True, timeout=300)


def report_of(tmp_path):
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    jsonschema.validate(report, SCHEMA)
    return report, {c["id"]: c for c in report["cases"]}


def test_a_conforming_fake_passes_framing_and_shows_its_messages(tmp_path, fake):
    done = run_suite(tmp_path, fake("good"), "--case", "mdp.framing.worker-request.*",
                     "--case", "mdp.framing.client-reply.*", "--case", "mdp.routing.two-*")
    assert done.returncode == 0, done.stdout + done.stderr
    report, by_id = report_of(tmp_path)
    assert report["counts"][V.PASS] == 6, report["counts"]
    assert report["suite"]["protocol"] == "mdp" and report["suite"]["role"] == "broker"
    assert "is a Majordomo broker speaking MDP 0.1, 0.2" in report["speaks"]
    page = (tmp_path / "out" / "cases" / "mdp.framing.worker-request.v02.html").read_text()
    assert "Messages, decoded as MDP" in page and "MDPW02 REQUEST, client" in page


def test_a_malformed_reply_fails_and_a_degenerate_broker_is_never_accused(tmp_path, fake):
    done = run_suite(tmp_path, fake("no-empty-frame"), "--case", "mdp.framing.client-reply.*")
    assert done.returncode == 1
    _, by_id = report_of(tmp_path)
    assert by_id["mdp.framing.client-reply.v01"]["verdict"] == V.FAIL
    assert by_id["mdp.framing.client-reply.v02"]["verdict"] == V.PASS
    done = run_suite(tmp_path, fake("closer"), "--area", "mdp.framing", "--area", "mdp.disconnect",
                     "--area", "mdp.mmi")
    assert done.returncode == 0, done.stdout + done.stderr
    report, by_id = report_of(tmp_path)
    assert set(c["verdict"] for c in report["cases"]) == {V.NOT_EXERCISED}
    assert "no ZMTP handshake as DEALER" in by_id["mdp.framing.heartbeat.v01"]["reason"]


def test_a_broker_that_dies_on_malformed_input_died(tmp_path, fake):
    done = run_suite(tmp_path, fake("dies"), "--case", "mdp.hostile.client.mdp02-29")
    assert done.returncode == 2
    _, by_id = report_of(tmp_path)
    case_ = by_id["mdp.hostile.client.mdp02-29"]
    assert case_["verdict"] == V.ADAPTER_ERROR and case_["robustness"] == V.ROBUST_DIED
    assert "the implementation failed" in case_["reason"] and "134" in case_["reason"]


def test_a_command_without_an_endpoint_is_a_bad_invocation(tmp_path):
    done = run_suite(tmp_path, "broker --heartbeat {heartbeat_ms}")
    assert done.returncode == 3 and "no {endpoint}" in done.stderr


def test_time_is_scaled_in_the_slack():
    class T:
        clock = wire.Clock(2.0)

        class adapter:
            timers = {"heartbeat_ms": 100, "liveness": None}
    assert majordomo.slack(T) == pytest.approx(0.5)
    assert majordomo.expiry(T) == (pytest.approx(1.0), False)
    assert time.monotonic()     # the clock the peers stamp messages with
