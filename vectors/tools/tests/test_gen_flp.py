"""Tests for vectors/tools/gen_flp.py: its refusals, and the generated table read back.

The expected reports are written by hand in the generator; these tests never decode.  They
check what can be checked without a decoder: counts and coverage, the frame-index rule of the
one error class, and the round trip of FORMAT.md (encoding each valid vector's message gives
its frames back).
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import gen_flp as gen  # noqa: E402


@pytest.fixture(scope="module")
def obj():
    """The rendered file object (tcIds from a scratch registry, the real one untouched)."""
    (area, g), = gen.GENERATORS
    assert area == "flp"
    return g().render({"slugs": {}, "retired": []})


def vectors_of(obj):
    return [(grp, t) for grp in obj["testGroups"] for t in grp["tests"]]


def scratch_group(direction="to-server"):
    return gen.VFile("scratch", ["test"]).group(direction)


def test_counts_and_results(obj):
    assert obj["protocol"] == "flp"
    tests = vectors_of(obj)
    assert len(tests) >= 50
    assert {t["result"] for _g, t in tests} == {"valid", "acceptable"}, \
        "a malformed FLP message is acceptable, never invalid"
    assert [g["params"] for g in obj["testGroups"]] == [{"direction": "to-server"}, {"direction": "to-client"}]


def test_every_message_of_each_direction(obj):
    for grp in obj["testGroups"]:
        seen = {t["expected"]["message"]["command"] for t in grp["tests"] if t["expected"]["message"]}
        assert seen == ({"PING", "REQUEST"} if grp["params"]["direction"] == "to-server" else {"PONG", "REPLY"})
        errors = [t for t in grp["tests"] if t["expected"]["error"]]
        assert {len(t["input"]) for t in errors} == {0, 1}
        assert {t["expected"]["error"]["class"] for t in errors} == {gen.MISSING}


def test_the_frame_count_decides(obj):
    """One frame is PING (PONG) or an error; two frames or more are a request (a reply), even
    when the first frame spells PING or PONG."""
    for grp in obj["testGroups"]:
        one = gen.PING.hex() if grp["params"]["direction"] == "to-server" else gen.PONG.hex()
        for t in grp["tests"]:
            n, m, e = len(t["input"]), t["expected"]["message"], t["expected"]["error"]
            if n == 1 and t["input"] == [one]:
                assert m == {"command": bytes.fromhex(one).decode()}, t["comment"]
            elif n <= 1:
                assert m is None and e == {"class": gen.MISSING, "offset": n}, t["comment"]
            else:
                assert e is None and m["command"] in ("REQUEST", "REPLY"), t["comment"]
    ccfs = {t["expected"]["message"]["ccf"] for _g, t in vectors_of(obj)
            if t["expected"]["message"] and "ccf" in t["expected"]["message"]}
    assert {gen.PING.hex(), gen.PONG.hex(), "", "07", "00000001", "0000000000000102", gen.CCF255.hex()} <= ccfs


def test_errors_cite_the_layout_and_the_one_frame_row(obj):
    for grp in obj["testGroups"]:
        want = gen.BAD_TO_SERVER if grp["params"]["direction"] == "to-server" else gen.BAD_TO_CLIENT
        for t in grp["tests"]:
            if t["expected"]["error"]:
                assert t["clauses"] == want and t["flags"][0] == "FlpMissingFrame", t["comment"]


def encode(m):
    """The frames of message M (FORMAT.md: every FLP encoding is canonical)."""
    if m["command"] in ("PING", "PONG"):
        return [m["command"].encode()]
    return [bytes.fromhex(m["ccf"])] + [bytes.fromhex(b) for b in m["body"]]


def test_round_trip_of_every_valid_vector(obj):
    n = 0
    for _g, t in vectors_of(obj):
        if t["result"] == "valid":
            assert [f.hex() for f in encode(t["expected"]["message"])] == t["input"], t["comment"]
            n += 1
    assert n >= 30


def test_refuses_the_same_frames_twice_but_not_the_same_octets():
    g = scratch_group()
    g.t("a", "a", ["Valid"], gen.OK_REQUEST, ["PI", "NG"], gen.ok(gen.request("PI", ["NG"])))
    g.t("b", "b", ["Valid"], gen.OK_PING, [gen.PING], gen.ok(gen.ping()))
    with pytest.raises(AssertionError):
        g.t("c", "c", ["Valid"], gen.OK_REQUEST, ["PI", "NG"], gen.ok(gen.request("PI", ["NG"])))


def test_refuses_a_message_of_the_other_direction():
    with pytest.raises(AssertionError):
        scratch_group("to-client").t("a", "a", ["Valid"], gen.OK_PING, [gen.PING], gen.ok(gen.ping()))
    with pytest.raises(AssertionError):
        scratch_group("to-server").t("b", "b", ["Valid"], gen.OK_REPLY, ["1", "x"], gen.ok(gen.reply("1", ["x"])))


def test_refuses_an_error_without_its_class_flag():
    g = scratch_group()
    with pytest.raises(AssertionError):
        g.t("a", "a", ["Valid"], gen.BAD_TO_SERVER, ["x"], gen.err(gen.MISSING, 1))
    with pytest.raises(AssertionError):
        g.t("b", "b", ["Empty"], gen.BAD_TO_SERVER, [], gen.err(gen.MISSING, 0))


def test_refuses_offsets_other_than_the_frame_count():
    g = scratch_group()
    with pytest.raises(AssertionError):
        g.t("a", "a", ["FlpMissingFrame"], gen.BAD_TO_SERVER, ["x"], gen.err(gen.MISSING, 0))
    with pytest.raises(AssertionError):
        g.t("b", "b", ["FlpMissingFrame"], gen.BAD_TO_SERVER, ["x", "y"], gen.err(gen.MISSING, 2))


def test_refuses_an_error_that_does_not_cite_the_codecs_layout_first():
    with pytest.raises(AssertionError):
        scratch_group().t("a", "a", ["FlpMissingFrame"], [gen.G_PING, gen.G_REQUEST], ["x"], gen.err(gen.MISSING, 1))
    with pytest.raises(AssertionError):      # to a client, the reply layout
        scratch_group("to-client").t("b", "b", ["FlpMissingFrame"], gen.BAD_TO_SERVER, ["x"],
                                     gen.err(gen.MISSING, 1))
    with pytest.raises(AssertionError):      # the class breaks flp.grammar.request / reply: cite one
        scratch_group().t("c", "c", ["FlpMissingFrame"], [gen.G_PING], ["x"], gen.err(gen.MISSING, 1))
