"""check_handshake.py, the Python checker of the whole-connection vectors (vectors/FORMAT.md,
"Handshakes"): every vector of the two files agrees, and a corrupted copy of one does not: a
flipped octet of an expected body, a wrong class, offset, clause or transient key, a key pair
or Z85 text that does not match, a tampered command its receiver takes, a random value drawn
at a step the contract does not name.  The last tests run check.py itself (they need the C
runner, which `make` builds): a corrupted handshake file is a Python disagreement."""

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TOOLS))
import check_handshake as ch  # noqa: E402

ROOT = TOOLS.parents[1]
CURVE = ROOT / "vectors" / "zmtp" / "curve_handshake_test.json"
PLAIN = ROOT / "vectors" / "zmtp" / "plain_handshake_test.json"
CHECK = TOOLS / "check.py"
RUNNER = Path(os.environ.get("ZW_VECTOR_RUNNER", ROOT / "build" / "bin" / "zw-vector-runner"))


def group_of(path):
    doc = json.loads(path.read_text())
    (group,) = doc["testGroups"]
    return group["type"], group["tests"]


def vector(path, tc_id):
    kind, tests = group_of(path)
    return kind, copy.deepcopy(next(t for t in tests if t["tcId"] == tc_id))


def problems_of(kind, test):
    report, problems = ch.check(kind, test)
    return problems + ch.judge(report, test)


def flip(hex_text, offset, mask=0x01):
    raw = bytearray.fromhex(hex_text)
    raw[offset] ^= mask
    return raw.hex()


def first_tampered(tests, at=None):
    return next(t for t in tests if "deliver" in t["input"]
                and (at is None or t["input"]["deliver"]["at"] == at))


@pytest.mark.parametrize("path", [CURVE, PLAIN], ids=["curve", "plain"])
def test_every_vector_agrees(path):
    kind, tests = group_of(path)
    bad = {t["tcId"]: problems_of(kind, t) for t in tests}
    assert not {k: v for k, v in bad.items() if v}
    assert len(tests) == {CURVE: 61, PLAIN: 5}[path]


def test_the_report_is_the_contracts():
    kind, test = vector(CURVE, 1)
    report, problems = ch.check(kind, test)
    assert not problems and report == test["expected"]
    kind, test = vector(CURVE, 35)      # a replayed short nonce: cryptographic, not sequence
    report, _ = ch.check(kind, test)
    assert report["error"] == {"class": "cryptographic", "offset": 2,
                               "clause": "curve.server.reject-nonce-reuse"}
    kind, test = vector(CURVE, 6)       # HELLO's box: the server's check is named
    report, _ = ch.check(kind, test)
    assert report["error"]["clause"] == "curve.server.check-hello"


@pytest.mark.parametrize("index,offset", [(0, 199), (1, 40), (2, 9), (3, 20), (4, 32), (7, 8)])
def test_a_flipped_expected_octet_of_a_valid_vector_is_found(index, offset):
    kind, test = vector(CURVE, 1)
    command = test["expected"]["commands"][index]
    command["body"] = flip(command["body"], offset)
    problems = problems_of(kind, test)
    assert any(p.startswith("command %d (%s from the %s) differs from the vector's at octet %d"
                            % (index, command["name"], command["from"], offset))
               for p in problems), problems


def test_a_flipped_expected_octet_before_a_tampered_command_is_found():
    kind, tests = group_of(CURVE)
    test = copy.deepcopy(first_tampered(tests, at=5))
    test["expected"]["commands"][3]["body"] = flip(test["expected"]["commands"][3]["body"], 29)
    assert any(p.startswith("command 3 (READY from the server) differs")
               for p in problems_of(kind, test))


def test_a_flipped_plain_octet_is_found():
    kind, test = vector(PLAIN, 1)
    test["expected"]["commands"][0]["body"] = flip(test["expected"]["commands"][0]["body"], 8)
    assert any(p.startswith("command 0 (HELLO from the client) differs from the vector's at "
                            "octet 8") for p in problems_of(kind, test))


def test_a_plain_error_reason_other_than_the_vectors_is_found():
    kind, tests = group_of(PLAIN)
    test = copy.deepcopy(next(t for t in tests if "error" in t["input"]["server"]))
    last = test["expected"]["commands"][-1]
    assert last["name"] == "ERROR"
    last["body"] = flip(last["body"], len(last["body"]) // 2 - 1)
    assert any("differs from the vector's" in p for p in problems_of(kind, test))


@pytest.mark.parametrize("wrong", ["malformed-command", "invalid-sequence", "unexpected-command"])
def test_a_wrong_class_is_found(wrong):
    kind, tests = group_of(CURVE)
    for test in tests:
        if test["result"] != "invalid" or test["expected"]["error"]["class"] == wrong:
            continue
        test = copy.deepcopy(test)
        test["expected"]["error"]["class"] = wrong
        assert any(p.startswith("error ") for p in problems_of(kind, test)), test["tcId"]


def test_a_wrong_offset_is_found():
    kind, tests = group_of(CURVE)
    test = copy.deepcopy(first_tampered(tests, at=2))
    test["expected"]["error"]["offset"] = 3
    assert any(p.startswith("error ") for p in problems_of(kind, test))


def test_a_clause_not_listed_is_found():
    kind, tests = group_of(CURVE)
    test = copy.deepcopy(first_tampered(tests, at=1))
    test["clauses"] = ["curve.welcome.size"]
    assert any(p.startswith("names clause 'curve.client.check-welcome'")
               for p in problems_of(kind, test))


def test_a_tampered_command_the_receiver_takes_is_found():
    kind, tests = group_of(CURVE)
    test = copy.deepcopy(first_tampered(tests, at=0))
    _, genuine = vector(CURVE, 1)
    test["input"]["deliver"]["body"] = genuine["expected"]["commands"][0]["body"]
    problems = problems_of(kind, test)
    assert "the server took the tampered command 0 (HELLO)" in problems
    assert any(p.startswith("state ") for p in problems)


def test_a_deliver_to_the_sender_is_found():
    kind, tests = group_of(CURVE)
    test = copy.deepcopy(first_tampered(tests, at=3))
    test["input"]["deliver"]["to"] = "server"
    assert any(p.startswith("deliver.to is the server") for p in problems_of(kind, test))


def test_a_wrong_transient_key_is_found():
    kind, test = vector(CURVE, 2)
    test["expected"]["transientKeys"]["server"] = flip(test["expected"]["transientKeys"]["server"], 0)
    assert any(p.startswith("transientKeys ") for p in problems_of(kind, test))


@pytest.mark.parametrize("field", ["publicKey", "publicKeyZ85", "secretKeyZ85"])
def test_a_key_that_does_not_match_is_found(field):
    kind, test = vector(CURVE, 2)
    keys = test["input"]["server"]
    if field == "publicKey":
        keys[field] = flip(keys[field], 31)
    else:
        keys[field] = keys[field][:-1] + ("0" if keys[field][-1] != "0" else "1")
    assert any(p.startswith("input: server.%s" % field) for p in problems_of(kind, test))


@pytest.mark.parametrize("side,field,index", [("client", "transientSecretKey", 0),
                                              ("client", "vouchNonce", 2),
                                              ("server", "cookieNonce", 1),
                                              ("server", "welcomeNonce", 1),
                                              ("server", "cookieKey", 1)])
def test_each_injected_value_reaches_its_command(side, field, index):
    kind, test = vector(CURVE, 2)
    test["input"][side][field] = flip(test["input"][side][field], 3)
    problems = problems_of(kind, test)
    assert any(p.startswith("command %d " % index) and "differs" in p for p in problems), problems


def test_a_random_draw_at_a_step_the_contract_does_not_name_is_found(monkeypatch):
    make_ready = ch.cz.CurveServer.make_ready

    def drawing_ready(self, *args, **kwargs):
        self.random(8)
        return make_ready(self, *args, **kwargs)

    monkeypatch.setattr(ch.cz.CurveServer, "make_ready", drawing_ready)
    kind, test = vector(CURVE, 2)
    assert "the server drew 8 random octets while making READY (command 3), where the " \
           "contract injects nothing" in problems_of(kind, test)


def test_a_value_armed_and_not_drawn_is_found(monkeypatch):
    monkeypatch.setattr(ch.cz.CurveClient, "make_vouch",
                        lambda self, vouch_nonce=None, server_key=None: bytes(96))
    kind, test = vector(CURVE, 2)
    assert "the client did not draw vouchNonce while making INITIATE" in problems_of(kind, test)


# --- through check.py ---------------------------------------------------------------------

needs_runner = pytest.mark.skipif(not RUNNER.exists(), reason="build the C runner first (make)")


def run_check(*paths):
    return subprocess.run([sys.executable, str(CHECK), "--runner", str(RUNNER)]
                          + [str(p) for p in paths], capture_output=True, text=True)


@needs_runner
def test_check_py_runs_the_handshakes_in_both_codecs(tmp_path):
    report = tmp_path / "vectors.json"
    out = subprocess.run([sys.executable, str(CHECK), "--runner", str(RUNNER), "--report",
                          str(report), str(CURVE), str(PLAIN)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout
    assert "66 checked, 66 agree, 0 disagree" in out.stdout
    tests = json.loads(report.read_text())["tests"]
    assert all(t["python"] is not None and "note" not in t for t in tests)


@needs_runner
def test_check_py_reports_a_corrupted_handshake_file(tmp_path):
    doc = json.loads(CURVE.read_text())
    test = next(t for t in doc["testGroups"][0]["tests"] if t["tcId"] == 1)
    test["expected"]["commands"][2]["body"] = flip(test["expected"]["commands"][2]["body"], 100)
    bad = next(t for t in doc["testGroups"][0]["tests"] if t["tcId"] == 40)
    bad["expected"]["error"]["class"] = "malformed-command"
    path = tmp_path / "curve_handshake_test.json"
    path.write_text(json.dumps(doc))
    out = run_check(path)
    assert out.returncode == 1
    assert "DISAGREE" in out.stdout and "tcId 1 " in out.stdout and "tcId 40 " in out.stdout
    assert "python: command 2 (INITIATE from the client) differs from the vector's at octet " \
           "100" in out.stdout
    assert "python: error " in out.stdout
    assert "59 agree, 2 disagree" in out.stdout
