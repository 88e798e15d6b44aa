"""zwire_codec.report: decoder selection by type and params, hex chunks, encode rules."""

import pytest

from zwire_codec import encode, make_decoder, run_decoder


def test_chunks_may_be_hex_or_bytes():
    assert run_decoder("z85", {}, ["48656c6c6f", b"World"]) == {
        "state": "complete", "error": None, "decoded": "864fd26fb559f75b"}


def test_known_length_is_the_sum_of_the_chunks():
    report = run_decoder("command", {}, ["0450", "494e", "47"])
    assert report["error"] == {"class": "malformed-command", "offset": 5,
                               "clause": "zmtp31.command.ping"}


def test_params_may_be_missing():
    assert run_decoder("frames", None, [])["state"] == "complete"
    assert run_decoder("metadata", {}, [])["properties"] == []


@pytest.mark.parametrize("type_, params", [
    ("nope", {}), ("frames", {"zmtpVersion": "1.0"}), ("frames", {"mechanism": "GSSAPI"}),
    ("command", {"mechanism": "FOO"}), ("greeting", {"minVersion": "4.0"}),
    ("command", {"zmtpVersion": "2.0"}),
])
def test_bad_type_or_params_are_refused(type_, params):
    with pytest.raises(ValueError):
        make_decoder(type_, params, 0)


def test_only_complete_valid_reports_encode():
    with pytest.raises(ValueError):
        encode("frames", {}, run_decoder("frames", {}, ["00"]))
    with pytest.raises(ValueError):
        encode("frames", {}, run_decoder("frames", {}, ["08"]))


def test_frames_encode_command_bodies_from_the_command_object():
    report = run_decoder("frames", {}, ["04 05 04 50 4f 4e 47".replace(" ", "")])
    report["frames"][0]["command"] = {"name": "PONG", "context": "01"}
    assert encode("frames", {}, report) == bytes.fromhex("040604504f4e4701")


def test_errors_carry_the_clause():
    report = run_decoder("frames", {}, ["08"])
    assert set(report["error"]) == {"class", "offset", "clause"}
