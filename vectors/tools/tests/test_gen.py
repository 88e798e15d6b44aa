"""Tests for the tcId registry logic of vectors/tools/gen_zmtp.py."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import gen_zmtp as gen  # noqa: E402


def small_file(slugs):
    vf = gen.VFile("z85", ["test"])
    g = vf.group("z85")
    for i, slug in enumerate(slugs):
        text = ("0" * 5 * (i + 1)).encode()
        g.t(slug, f"vector {slug}", ["Valid"], ["z85.decode"], gen.whole(text), "valid",
            gen.ZR("complete", None, bytes(4 * (i + 1))))
    return vf


def ids_of(obj):
    return [t["tcId"] for grp in obj["testGroups"] for t in grp["tests"]]


def test_new_slugs_get_max_plus_one_and_old_ones_keep_their_id():
    reg = {"slugs": {"a": 5}, "retired": [6]}
    obj = small_file(["b", "a", "c"]).render(reg)
    assert ids_of(obj) == [7, 5, 8]
    assert reg["slugs"] == {"a": 5, "b": 7, "c": 8}
    assert obj["retiredIds"] == [6]
    assert "_slug" not in obj["testGroups"][0]["tests"][0]


def test_dropped_slug_is_retired_and_never_reused(capsys):
    reg = {"slugs": {"a": 1, "gone": 2}, "retired": []}
    obj = small_file(["a", "new"]).render(reg)
    assert reg["retired"] == [2] and obj["retiredIds"] == [2]
    assert ids_of(obj) == [1, 3]
    assert "gone" in capsys.readouterr().err


def test_duplicate_slug_and_duplicate_input_are_refused():
    with pytest.raises(AssertionError):
        small_file(["a", "a"])
    vf = gen.VFile("z85", ["test"])
    g = vf.group("z85")
    g.t("x", "x", ["Valid"], ["z85.decode"], ["3030303030"], "valid", gen.ZR("complete", None, bytes(4)))
    with pytest.raises(AssertionError):
        g.t("y", "y", ["Valid"], ["z85.decode"], ["3030", "303030"], "valid", gen.ZR("complete", None, bytes(4)))


def test_z85_encoder_matches_published_values():
    assert gen.z85_encode(bytes.fromhex("864fd26fb559f75b")) == "HelloWorld"
    for _name, hexkey, text in gen.CURVE_KEYS:
        assert gen.z85_encode(bytes.fromhex(hexkey)) == text
