"""Tests of gen_handshake.py and its files, vectors/zmtp/curve_handshake_test.json and
plain_handshake_test.json (vectors/FORMAT.md, "Handshakes").

The octets come from build/bin/zw-handshake-gen (make python-tests builds it first); the C
runner replays the files in make vectors-check.  These tests check the files' shape: the
connections the issue asks for, a tampered vector of every input class, each refused command
a change of the genuine one at its place, and the generator's answer unchanged."""

import json
import sys
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TOOLS))
import gen_handshake as gen  # noqa: E402
import vector_file  # noqa: E402

ZMTP = TOOLS.parent / "zmtp"


def load(name):
    data = json.loads((ZMTP / name).read_text())
    (group,) = data["testGroups"]
    return group["type"], group["tests"]


def need_tool():
    if not gen.DEFAULT_TOOL.exists():
        pytest.skip("make build/bin/zw-handshake-gen first (make python-tests does)")


def test_the_files_in_the_tree_are_up_to_date(capsys):
    need_tool()
    assert gen.main(["--check"]) == 0
    assert "0 out of date" in capsys.readouterr().out


def test_complete_curve_connections():
    gtype, tests = load("curve_handshake_test.json")
    assert gtype == "curve-handshake"
    complete = [t for t in tests if "deliver" not in t["input"]]
    assert 3 <= len(complete) <= 5
    for t in complete:
        assert t["expected"]["state"] == "complete" and t["result"] in ("valid", "acceptable")
        names = [c["name"] for c in t["expected"]["commands"]]
        assert names[:3] == ["HELLO", "WELCOME", "INITIATE"] and names[3] in ("READY", "ERROR")
        assert names.count("MESSAGE") == len(t["input"]["messages"])
    # zmq_curve(7)'s published pairs are the permanent keys of the first
    first = complete[0]["input"]
    assert first["client"]["publicKeyZ85"] == "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID"
    assert first["server"]["publicKeyZ85"] == "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"
    messages = [m for t in complete for m in t["input"]["messages"]]
    assert any(m["data"] == "" for m in messages)                     # a 0-octet frame
    assert any(m["flags"] == 1 for m in messages)                     # MORE
    assert any(m["flags"] == 2 for m in messages)                     # a command (S7)
    assert {m["from"] for m in messages} == {"client", "server"}
    assert any(not t["input"]["client"]["metadata"] for t in complete)
    assert any(len(t["input"]["client"]["metadata"]) > 2 for t in complete)
    acceptable = [t for t in complete if t["result"] == "acceptable"]
    assert [t["flags"] for t in acceptable] == [["CompleteHandshake", "CurveMessageCommand"]]


def test_tampered_curve_vectors():
    _gtype, tests = load("curve_handshake_test.json")
    complete = [t for t in tests if "deliver" not in t["input"]]
    tampered = [t for t in tests if "deliver" in t["input"]]
    assert len(tampered) >= 50
    classes = {}
    for t in tampered:
        assert t["result"] == "invalid" and t["expected"]["state"] == "error"
        at = t["input"]["deliver"]["at"]
        assert t["expected"]["error"]["offset"] == at == len(t["expected"]["commands"])
        (cls,) = [f for f in t["flags"] if f in vector_file.LENIENCY]
        assert t["expected"]["error"]["class"] == vector_file.LENIENCY[cls].codecs
        classes[cls] = classes.get(cls, 0) + 1
        # the same connection as one of the complete ones, up to the refused command
        same = [c for c in complete
                if {k: v for k, v in t["input"].items() if k not in ("deliver", "messages")}
                == {k: v for k, v in c["input"].items() if k != "messages"}]
        assert len(same) == 1, t["comment"]
        base = same[0]
        assert t["input"]["messages"] == base["input"]["messages"][:max(0, at - 4)]
        assert t["expected"]["commands"] == base["expected"]["commands"][:at]
        assert t["expected"]["transientKeys"] == base["expected"]["transientKeys"]
        if at < len(base["expected"]["commands"]):
            assert t["input"]["deliver"]["body"] != base["expected"]["commands"][at]["body"]
    assert set(classes) == {"CurveHello", "CurveWelcome", "CurveInitiate", "CurveReady", "CurveMessage",
                            "CurveHelloBox", "CurveWelcomeBox", "CurveInitiateBox", "CurveReadyBox",
                            "CurveMessageBox", "CurveClientNonce", "CurveServerNonce",
                            "CurveMessageFlags"}
    # both directions of MESSAGE, replays and the wrong server key both ways
    assert {t["input"]["deliver"]["to"] for t in tampered if t["input"]["deliver"]["at"] >= 4} == \
        {"client", "server"}
    assert sum("Replay" in t["flags"] for t in tampered) >= 4
    assert {t["input"]["deliver"]["at"] for t in tampered if "WrongServerKey" in t["flags"]} == {0, 1}


def test_plain_connections():
    gtype, tests = load("plain_handshake_test.json")
    assert gtype == "plain-handshake"
    assert all(t["result"] == "valid" and t["expected"]["state"] == "complete" for t in tests)
    sequences = {tuple(c["name"] for c in t["expected"]["commands"]) for t in tests}
    assert sequences == {("HELLO", "WELCOME", "INITIATE", "READY"), ("HELLO", "ERROR"),
                         ("HELLO", "WELCOME", "INITIATE", "ERROR")}
    lengths = {len(t["input"]["client"]["username"]) // 2 for t in tests}
    assert 0 in lengths and 255 in lengths


def test_the_tool_refuses_a_bad_input():
    need_tool()
    with pytest.raises(SystemExit):
        gen.call(gen.DEFAULT_TOOL, {"curve": [{"input": {"client": {}}}], "plain": []})
