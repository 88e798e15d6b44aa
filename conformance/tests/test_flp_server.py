"""The Freelance server's side of the suite checking itself: the command line (cli.py's
--protocol flp, launch.py's placeholders of both roles), the raw clients and their wire
checks (freelance.py) against a tiny server written here, the server cases' registration,
and whole runs against that fake: a conforming one passes (the hostile cases reported),
one without an Identity fails flp.server.identity, one that sends every answer to its
newest client fails the routing, one that closes every connection is never accused, one
that dies on a malformed message died."""

import json
import pathlib
import subprocess
import sys
import textwrap

import jsonschema
import pytest

CONFORMANCE = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(CONFORMANCE))

from zwire_conformance import cli, launch  # noqa: E402
from zwire_conformance import verdict as V  # noqa: E402
from zwire_conformance.case import CASES  # noqa: E402
from zwire_conformance.cases import flp_server_hostile  # noqa: E402
from zwire_conformance.runner import load_registry  # noqa: E402

SCHEMA = json.loads((CONFORMANCE / "schema" / "report.schema.json").read_text())

# A server in a few lines: ZMTP 3.1 NULL as ROUTER, Identity its endpoint; PING -> PONG, a
# request echoed (CCF and body), anything else dropped.  Modes: good; no-identity (a READY
# without Identity); newest (every answer goes to the newest connection); closer (closes
# every connection at once); dies (exits 134 on a message it cannot read).
FAKE_SERVER = textwrap.dedent('''
    import os, select, socket, sys
    mode, endpoint = sys.argv[1], sys.argv[2]
    host, port = endpoint[len("tcp://"):].rsplit(":", 1)
    lst = socket.socket()
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lst.bind((host, int(port)))
    lst.listen(64)
    print("bound " + endpoint, flush=True)

    def prop(name, value):
        return bytes([len(name)]) + name + len(value).to_bytes(4, "big") + value
    ready = b"\\x05READY" + prop(b"Socket-Type", b"ROUTER")
    if mode != "no-identity":
        ready += prop(b"Identity", endpoint.encode())
    HELLO = (b"\\xff" + bytes(8) + b"\\x7f\\x03\\x01" + b"NULL".ljust(20, b"\\0") + bytes(32)
             + bytes([0x04, len(ready)]) + ready)
    peers, order = {}, []

    def frame(body, more):
        flags = 1 if more else 0
        if len(body) > 255:
            return bytes([flags | 2]) + len(body).to_bytes(8, "big") + body
        return bytes([flags, len(body)]) + body

    def send(sock, frames):
        if mode == "newest":
            sock = order[-1]
        sock.sendall(b"".join(frame(f, i < len(frames) - 1) for i, f in enumerate(frames)))

    def message(sock, f):
        if f == [b"PING"]:
            return send(sock, [b"PONG"])
        if len(f) >= 2:
            return send(sock, f)
        if mode == "dies":
            os._exit(134)

    def read(sock):
        p = peers[sock]
        data = sock.recv(1 << 20)
        if not data:
            sock.close()
            del peers[sock]
            order.remove(sock)
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
                message(sock, frames)

    while True:
        ready_socks, _, _ = select.select([lst] + list(peers), [], [])
        for sock in ready_socks:
            if sock is lst:
                conn, _ = lst.accept()
                if mode == "closer":
                    conn.close()
                    continue
                peers[conn] = {"buf": bytearray(), "greeted": False, "frames": []}
                order.append(conn)
                conn.sendall(HELLO)
            elif sock in peers:
                try:
                    read(sock)
                except OSError:
                    sock.close()
                    peers.pop(sock, None)
                    order.remove(sock)
''')


@pytest.fixture
def fake(tmp_path):
    script = tmp_path / "fake_server.py"
    script.write_text(FAKE_SERVER)
    return lambda mode: "%s %s %s {endpoint}" % (sys.executable, script, mode)


def run_suite(tmp_path, command, *args):
    return subprocess.run(
        [sys.executable, "-m", "zwire_conformance", "--protocol", "flp", "--role", "server",
         "--command", command, "--name", "fake", "--report-dir", str(tmp_path / "out"), "-q",
         *args], cwd=CONFORMANCE, capture_output=True, text=True, timeout=300)


def report_of(tmp_path):
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    jsonschema.validate(report, SCHEMA)
    return report, {c["id"]: c for c in report["cases"]}


def server_cases():
    return [c for c in CASES if c.needs.get("protocol") == "flp"
            and c.needs.get("role") == "server"]


# --- the command line --------------------------------------------------------------------------

def test_the_protocol_and_role_decide_which_cases_are_selected():
    _, args = cli.parse(["--list", "--protocol", "flp"])
    assert cli.target(args) == ("flp", "server")
    chosen = cli.select(args, {})
    assert len(chosen) >= 15 and chosen == server_cases()
    _, args = cli.parse(["--implementation", "zwire-fl-client", "--list"])
    assert cli.target(args) == ("flp", "client")
    assert not [c for c in cli.select(args, {}) if c.needs.get("role") == "server"]
    _, args = cli.parse(["--implementation", "zwire-fl-server", "--list"])
    assert cli.target(args) == ("flp", "server")


def test_the_shipped_commands_use_the_placeholders_of_their_role():
    server = cli.SHIPPED_ROLES["zwire-fl-server"]["command"]
    client = cli.SHIPPED_ROLES["zwire-fl-client"]["command"]
    assert launch.placeholders(server) == ["endpoint"] and " fl server --bind " in server
    assert launch.placeholders(client) == ["endpoints", "ping_interval_ms", "liveness",
                                           "timeout_ms", "retries"]
    assert client.endswith(" --lines")


def test_a_server_has_no_timers_and_a_client_gets_the_contract_defaults():
    server = launch.Launcher("flp", "server", "s --bind {endpoint}", {})
    assert server.timers() == {}
    client = launch.Launcher("flp", "client", "c --connect {endpoints} --timeout {timeout_ms}",
                             {}, declared={"retries": 0})
    assert client.timers({"timeout_ms": 300}) == {"ping_interval_ms": None, "liveness": None,
                                                   "timeout_ms": 300, "retries": 0}
    assert client.timers()["timeout_ms"] == launch.DEFAULT_TIMERS["timeout_ms"] == 1000
    assert launch.expand("c {endpoints}", {"endpoints": "tcp://a:1,tcp://b:2"}) == [
        "c", "tcp://a:1,tcp://b:2"]
    with pytest.raises(launch.BadCommand):
        launch.Launcher("flp", "client", "c --timeout {timeout_ms}", {})
    with pytest.raises(launch.BadCommand):
        launch.Launcher("flp", "client", "c {endpoints} {retries}", {},
                        declared={"retries": 1})


# --- the cases -----------------------------------------------------------------------------------

def test_every_case_cites_registered_clauses():
    registry = load_registry()
    for case_ in server_cases():
        assert case_.clauses and set(case_.clauses) <= set(registry), case_.id


def test_every_malformed_to_server_vector_is_one_hostile_case():
    vectors = flp_server_hostile.vectors()
    assert [v.ids[0] for v in vectors] == ["flp-%d" % n for n in range(27, 37)]
    ids = {c.id for c in server_cases()}
    assert all("fl.server.hostile.%s" % v.ids[0] in ids for v in vectors)


# --- whole runs ----------------------------------------------------------------------------------

def test_a_conforming_fake_passes_and_its_hostile_cases_are_reported(tmp_path, fake):
    done = run_suite(tmp_path, fake("good"))
    assert done.returncode == 0, done.stdout + done.stderr
    report, by_id = report_of(tmp_path)
    assert report["counts"][V.FAIL] == 0 and report["counts"][V.NOT_EXERCISED] == 0
    hostile = [c for c in report["cases"] if c["area"] == "fl.server.hostile"]
    assert hostile and all(c["verdict"] == V.INFO and c["robustness"] == V.ROBUST_OK
                           for c in hostile)
    assert all(c["verdict"] == V.PASS for c in report["cases"] if c not in hostile)
    assert report["suite"] == dict(report["suite"], protocol="flp", role="server")
    assert "is a Freelance server" in report["speaks"]
    page = (tmp_path / "out" / "cases" / "fl.server.request.plain.html").read_text()
    assert "Messages, decoded as FLP" in page and "REPLY, CCF &#x27;1&#x27;" in page


def test_a_server_without_identity_or_routing_fails_the_clause_that_binds_it(tmp_path, fake):
    done = run_suite(tmp_path, fake("no-identity"), "--area", "fl.server.socket")
    assert done.returncode == 1
    _, by_id = report_of(tmp_path)
    assert by_id["fl.server.identity"]["verdict"] == V.FAIL
    assert by_id["fl.server.socket-router"]["verdict"] == V.PASS
    done = run_suite(tmp_path, fake("newest"), "--case", "fl.server.routing.two-clients")
    assert done.returncode == 1
    _, by_id = report_of(tmp_path)
    failed = {e["clause"] for e in by_id["fl.server.routing.two-clients"]["expectations"]
              if e["verdict"] == V.FAIL}
    assert failed == {"flp.server.pong", "flp.server.reply-ccf"}


def test_a_server_that_closes_everything_is_never_accused(tmp_path, fake):
    done = run_suite(tmp_path, fake("closer"), "--case", "fl.server.ping",
                     "--case", "fl.server.hostile.flp-27", "--case", "fl.server.identity")
    assert done.returncode == 0, done.stdout + done.stderr
    report, by_id = report_of(tmp_path)
    assert {c["verdict"] for c in report["cases"]} == {V.NOT_EXERCISED}
    assert "no ZMTP handshake as ROUTER" in by_id["fl.server.ping"]["reason"]


def test_a_server_that_dies_on_a_malformed_message_died(tmp_path, fake):
    done = run_suite(tmp_path, fake("dies"), "--case", "fl.server.hostile.flp-28")
    assert done.returncode == 2
    _, by_id = report_of(tmp_path)
    case_ = by_id["fl.server.hostile.flp-28"]
    assert case_["verdict"] == V.ADAPTER_ERROR and case_["robustness"] == V.ROBUST_DIED
