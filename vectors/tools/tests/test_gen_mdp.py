"""Tests for vectors/tools/gen_mdp.py: its refusals, and the generated tables read back.

The expected reports are written by hand in the generator; these tests never decode.  They
check what can be checked without a decoder: counts and coverage, the frame-index rules, and
the round trip of FORMAT.md (encoding each valid vector's message gives its frames back).
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import gen_mdp as gen  # noqa: E402

CLASSES = {gen.HEADER, gen.COMMAND, gen.SERVICE, gen.DELIMITER, gen.MISSING, gen.EXTRA}


@pytest.fixture(scope="module")
def files():
    """area -> rendered file object (tcIds from a scratch registry, the real one untouched)."""
    return {area: g().render({"slugs": {}, "retired": []}) for area, g in gen.GENERATORS}


def vectors_of(obj):
    return [(grp, t) for grp in obj["testGroups"] for t in grp["tests"]]


def scratch_group(version="0.2", subprotocol="any"):
    return gen.VFile("scratch", version, ["test"]).group(version, subprotocol)


def test_counts_and_results(files):
    assert set(files) == {"mdp01", "mdp02", "mdp_any"}
    total = sum(len(vectors_of(obj)) for obj in files.values())
    assert total >= 120
    for obj in files.values():
        assert obj["protocol"] == "mdp"
        results = {t["result"] for _g, t in vectors_of(obj)}
        assert results == {"valid", "acceptable"}, "a malformed MDP message is acceptable, never invalid"


def test_every_class_and_every_group_shape(files):
    for area, obj in files.items():
        version = {"mdp01": "0.1", "mdp02": "0.2", "mdp_any": "any"}[area]
        params = {(g["params"]["version"], g["params"]["subprotocol"]) for g in obj["testGroups"]}
        assert params == {(version, s) for s in ("any", "client", "worker")}
        if area != "mdp_any":
            seen = {t["expected"]["error"]["class"] for _g, t in vectors_of(obj) if t["expected"]["error"]}
            assert seen == CLASSES, area


def test_every_command_of_both_versions_is_valid_somewhere(files):
    seen = set()
    for obj in files.values():
        for _g, t in vectors_of(obj):
            m = t["expected"]["message"]
            if m is not None:
                seen.add((m["version"], m["subprotocol"], m["command"]))
    assert seen == {("0.1", "client", None), ("0.1", "worker", "READY"), ("0.1", "worker", "REQUEST"),
                    ("0.1", "worker", "REPLY"), ("0.1", "worker", "HEARTBEAT"), ("0.1", "worker", "DISCONNECT"),
                    ("0.2", "client", "REQUEST"), ("0.2", "client", "PARTIAL"), ("0.2", "client", "FINAL"),
                    ("0.2", "worker", "READY"), ("0.2", "worker", "REQUEST"), ("0.2", "worker", "PARTIAL"),
                    ("0.2", "worker", "FINAL"), ("0.2", "worker", "HEARTBEAT"), ("0.2", "worker", "DISCONNECT")}


def test_offsets_are_frame_indexes(files):
    for obj in files.values():
        for _g, t in vectors_of(obj):
            e = t["expected"]["error"]
            if e is None:
                continue
            n = len(t["input"])
            if e["class"] == gen.MISSING:
                assert e["offset"] == n, t["comment"]
            else:
                assert e["offset"] < n, t["comment"]


CODES = {("0.1", "worker"): {"READY": 1, "REQUEST": 2, "REPLY": 3, "HEARTBEAT": 4, "DISCONNECT": 5},
         ("0.2", "client"): {"REQUEST": 1, "PARTIAL": 2, "FINAL": 3},
         ("0.2", "worker"): {"READY": 1, "REQUEST": 2, "PARTIAL": 3, "FINAL": 4, "HEARTBEAT": 5, "DISCONNECT": 6}}


def encode(m):
    """The frames of message M (FORMAT.md: every MDP encoding is canonical)."""
    v, s, c = m["version"], m["subprotocol"], m["command"]
    head = [b"", b"MDPC01" if s == "client" else b"MDPW01"] if v == "0.1" else \
        [b"MDPC02" if s == "client" else b"MDPW02"]
    if c is not None:
        head.append(bytes([CODES[(v, s)][c]]))
    if "service" in m:
        head.append(bytes.fromhex(m["service"]))
    if "address" in m:
        head += [bytes.fromhex(m["address"]), b""]
    return head + [bytes.fromhex(b) for b in m.get("body", [])]


def test_round_trip_of_every_valid_vector(files):
    n = 0
    for obj in files.values():
        for _g, t in vectors_of(obj):
            if t["result"] == "valid":
                assert [f.hex() for f in encode(t["expected"]["message"])] == t["input"], t["comment"]
                n += 1
    assert n >= 40


def test_cites_only_its_own_layouts_when_valid(files):
    for obj in files.values():
        for _g, t in vectors_of(obj):
            m = t["expected"]["message"]
            if m is None:
                continue
            other = "mdp02." if m["version"] == "0.1" else "mdp01."
            assert not [c for c in t["clauses"] if c.startswith(other)], t["comment"]
            if m["version"] == "0.1" and m["subprotocol"] == "client":
                assert {"mdp01.grammar.client-request", "mdp01.grammar.client-reply"} <= set(t["clauses"])


def test_refuses_the_same_frames_twice_but_not_the_same_octets():
    g = scratch_group()
    g.t("a", "a", ["Valid"], gen.OK_HB02, [gen.W2, 5], gen.ok(gen.bare("0.2", "HEARTBEAT")))
    g.t("b", "b", ["MdpHeader"], gen.H02, [b"MDPW02\x05"], gen.err(gen.HEADER, 0))
    with pytest.raises(AssertionError):
        g.t("c", "c", ["Valid"], gen.OK_HB02, [gen.W2, 5], gen.ok(gen.bare("0.2", "HEARTBEAT")))


def test_refuses_an_error_without_its_class_flag():
    g = scratch_group()
    with pytest.raises(AssertionError):
        g.t("a", "a", ["MdpMissingFrame"], gen.H02, [b"x"], gen.err(gen.HEADER, 0))
    with pytest.raises(AssertionError):
        g.t("b", "b", ["Valid"], gen.H02, [b"y"], gen.err(gen.HEADER, 0))


def test_refuses_offsets_that_name_no_frame():
    g = scratch_group()
    with pytest.raises(AssertionError):
        g.t("a", "a", ["MdpMissingFrame"], [gen.CREQ02], [gen.C2, 1, "echo"], gen.err(gen.MISSING, 2))
    with pytest.raises(AssertionError):
        g.t("b", "b", ["MdpExtraFrame"], [gen.HB02], [gen.W2, 5], gen.err(gen.EXTRA, 2))


def test_refuses_a_class_whose_broken_rule_is_not_cited():
    g = scratch_group()
    with pytest.raises(AssertionError):
        g.t("a", "a", ["MdpServiceName"], [gen.CREQ02], [gen.C2, 1, "", "x"], gen.err(gen.SERVICE, 2))
