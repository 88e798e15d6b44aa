"""check.py's Python side reads `zap` groups (FORMAT.md "zap") as frame lists: each chunk
is one frame, never re-chunked; the round trip is frame for frame; a report that differs
from `expected`, or cites a clause the vector does not list, is a disagreement. When
vectors/zap/zap_test.json exists, every one of its vectors agrees with the Python codec.
Needs no C runner."""

import copy
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "vectors" / "tools"))

import check  # noqa: E402

ZAP_FILE = ROOT / "vectors" / "zap" / "zap_test.json"

# RFC 27 "Example of NULL Authentication", the request as on the wire
NULL_REQUEST = ["", "312e30", "30303031", "74657374", "3139322e3136382e35352e31", "424f42",
                "4e554c4c"]
REQUEST_M = {"request_id": "30303031", "domain": "74657374",
             "address": "3139322e3136382e35352e31", "identity": "424f42",
             "mechanism": "4e554c4c", "credentials": []}
# its reply, as a REP socket hands it over (envelope "none")
OK_REPLY = ["312e30", "30303031", "323030", "4f4b", "6a6f65", ""]
REPLY_M = {"request_id": "30303031", "status_code": "323030", "status_text": "4f4b",
           "user_id": "6a6f65", "metadata": ""}

REQUEST_GROUP = {"type": "zap", "params": {"direction": "request", "envelope": "delimiter"}}
REPLY_GROUP = {"type": "zap", "params": {"direction": "reply", "envelope": "none"}}


def vector(tc_id, frames, result, expected, clauses):
    return {"tcId": tc_id, "comment": "c", "flags": [], "clauses": clauses, "input": frames,
            "result": result, "expected": expected}


def verdict(group, test):
    report, problems = check.run_python(group, test)
    return report, problems + check.judge("python", report, test)


def test_zap_is_a_frame_list():
    assert "zap" in check.FRAME_LIST_TYPES
    frames = [bytes.fromhex(frame) for frame in NULL_REQUEST]
    chunkings = list(check.python_chunkings("zap", b"".join(frames), frames))
    assert chunkings == [("vector chunks", frames)]


def test_valid_vectors_agree_and_round_trip():
    complete = {"state": "complete", "error": None}
    test = vector(1, NULL_REQUEST, "valid", dict(complete, message=REQUEST_M),
                  ["zap.request.frames"])
    assert check.wants_round_trip(test)
    report, problems = verdict(REQUEST_GROUP, test)
    assert problems == [] and report["message"] == REQUEST_M
    test = vector(2, OK_REPLY, "valid", dict(complete, message=REPLY_M), ["zap.reply.frames"])
    assert verdict(REPLY_GROUP, test)[1] == []


def test_error_vectors_agree():
    expected = {"state": "error", "error": {"class": "zap-extra-frame", "offset": 6},
                "message": None}
    test = vector(3, OK_REPLY + [""], "acceptable", expected, ["zap.reply.frames"])
    report, problems = verdict(REPLY_GROUP, test)
    assert problems == []
    assert report["error"] == {"class": "zap-extra-frame", "offset": 6,
                               "clause": "zap.reply.frames"}


def test_a_moved_offset_and_an_unlisted_clause_are_disagreements():
    frames = list(NULL_REQUEST)
    frames[4] = "3a3a666666663a3130323a333034"  # ::ffff:102:304, not in mixed notation
    expected = {"state": "error", "error": {"class": "zap-invalid-address", "offset": 4},
                "message": None}
    good = vector(4, frames, "acceptable", expected, ["zap.request.address"])
    assert verdict(REQUEST_GROUP, good)[1] == []
    moved = copy.deepcopy(good)
    moved["expected"]["error"]["offset"] = 5
    assert any("report differs" in p for p in verdict(REQUEST_GROUP, moved)[1])
    unlisted = dict(good, clauses=["zap.request.identity"])
    assert any("cites clause" in p for p in verdict(REQUEST_GROUP, unlisted)[1])


def test_the_envelope_param_is_used():
    complete = {"state": "complete", "error": None, "message": REQUEST_M}
    test = vector(5, NULL_REQUEST[1:], "valid", complete, ["zap.request.frames"])
    assert verdict(dict(REQUEST_GROUP, params={"envelope": "none"}), test)[1] == []
    assert verdict(REQUEST_GROUP, test)[1] != []


@pytest.mark.skipif(not ZAP_FILE.exists(), reason="vectors/zap/zap_test.json not written yet")
def test_every_zap_vector_agrees_with_the_python_codec():
    doc = json.loads(ZAP_FILE.read_text())
    assert doc["protocol"] == "zap"
    bad = []
    for group in doc["testGroups"]:
        for test in group["tests"]:
            problems = verdict(group, test)[1]
            if problems:
                bad.append((test["tcId"], problems))
    assert bad == []
