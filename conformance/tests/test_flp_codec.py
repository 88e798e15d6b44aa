"""10/FLP through the `flp` decoder type and zwire_codec.flp's API: every message in both
directions, the frame count deciding first, the one error class at the frame count, the
round trip frame for frame, and the encoders' refusals."""

import pathlib
import re

import pytest

from zwire_codec import errors
from zwire_codec import (DecodeError, EncodeError, FlpError, encode, flp, make_decoder,
                         run_decoder)
from zwire_codec.flp import Message, decode

FLP = "flp"
SERVER, CLIENT = "to-server", "to-client"
SPEC = pathlib.Path(__file__).resolve().parents[2] / "spec"
MISSING = "flp-missing-frame"


def registry_ids():
    ids = set()
    for line in (SPEC / "flp.md").read_text().splitlines():
        match = re.match(r"^\| (flp\.[a-z0-9.-]+) \|", line)
        if match:
            ids.add(match.group(1))
    return ids


IDS = registry_ids()


def report(frames, direction=None):
    params = {} if direction is None else {"direction": direction}
    return run_decoder(FLP, params, frames)


def check_valid(frames, message, direction=None):
    """Complete with this message object; encodes back to the same frames."""
    params = {} if direction is None else {"direction": direction}
    got = run_decoder(FLP, params, frames)
    assert got == {"state": "complete", "error": None, "message": message}, got
    assert encode(FLP, params, got) == list(frames)
    decoded = decode(frames, direction or SERVER)
    assert decoded.to_report() == message
    assert decoded.to_frames() == list(frames)
    assert Message.from_report(message).to_frames() == list(frames)
    return got


def check_error(frames, offset, clause, direction=None):
    assert clause in IDS, clause
    got = report(frames, direction)
    assert got == {"state": "error", "message": None,
                   "error": {"class": MISSING, "offset": offset, "clause": clause}}, got
    with pytest.raises(FlpError) as caught:
        decode(frames, direction or SERVER)
    assert caught.value == FlpError(MISSING, offset, clause)
    assert caught.value.frame == offset
    return got


def req(ccf, *body):
    return {"command": "REQUEST", "ccf": ccf.hex(), "body": [frame.hex() for frame in body]}


def rep(ccf, *body):
    return {"command": "REPLY", "ccf": ccf.hex(), "body": [frame.hex() for frame in body]}


# ------------------------------------------------------------------ every valid message

def test_ping_to_server():
    check_valid([b"PING"], {"command": "PING"})
    check_valid([b"PING"], {"command": "PING"}, SERVER)


def test_pong_to_client():
    check_valid([b"PONG"], {"command": "PONG"}, CLIENT)


def test_request_to_server():
    check_valid([b"\x00\x00\x00\x01", b"hello"], req(b"\x00\x00\x00\x01", b"hello"))
    check_valid([b"7", b"a", b"b", b"c"], req(b"7", b"a", b"b", b"c"), SERVER)


def test_reply_to_client():
    check_valid([b"\x00\x00\x00\x01", b"world"], rep(b"\x00\x00\x00\x01", b"world"), CLIENT)
    check_valid([b"7", b"x", b"y"], rep(b"7", b"x", b"y"), CLIENT)


def test_ccf_and_body_may_be_empty():
    # F4: anything, of any length, empty included
    check_valid([b"", b""], req(b"", b""))
    check_valid([b"", b""], rep(b"", b""), CLIENT)
    check_valid([b"", b"", b""], req(b"", b"", b""))
    check_valid([bytes(range(256)), b"\xff" * 300], req(bytes(range(256)), b"\xff" * 300))


def test_frame_count_decides_first():
    # F3: two frames or more are a request (a reply) whatever the CCF holds
    check_valid([b"PING", b"PING"], req(b"PING", b"PING"))
    check_valid([b"PONG", b"x"], req(b"PONG", b"x"))
    check_valid([b"PONG", b"PONG"], rep(b"PONG", b"PONG"), CLIENT)
    check_valid([b"PING", b"x"], rep(b"PING", b"x"), CLIENT)


def test_hex_frames_are_taken():
    assert report(["50494e47"]) == {"state": "complete", "error": None,
                                    "message": {"command": "PING"}}
    assert report(["01", "", "02"], CLIENT)["message"] == rep(b"\x01", b"", b"\x02")


# ------------------------------------------------------------------------------ errors

def test_no_frame():
    check_error([], 0, "flp.grammar.request")
    check_error([], 0, "flp.grammar.request", SERVER)
    check_error([], 0, "flp.grammar.reply", CLIENT)


def test_one_frame_that_is_not_the_ping():
    for frame in (b"", b"PONG", b"ping", b"PIN", b"PINGG", b" PING", b"PING\x00", b"x"):
        check_error([frame], 1, "flp.grammar.request")


def test_one_frame_that_is_not_the_pong():
    for frame in (b"", b"PING", b"pong", b"PON", b"PONGG", b"PONG\x00", b"x"):
        check_error([frame], 1, "flp.grammar.reply", CLIENT)


def test_the_class_is_formats():
    text = (SPEC.parent / "vectors" / "FORMAT.md").read_text()
    line = [ln for ln in text.splitlines() if ln.startswith("Freelance:")][0]
    assert set(errors.FLP_CLASSES) == set(re.findall(r"`(flp-[a-z-]+)`", line))
    assert MISSING in errors.ALL_CLASSES


def test_flp_error_is_a_decode_error_with_a_frame_index():
    err = FlpError(MISSING, 1, "flp.grammar.request")
    assert isinstance(err, DecodeError) and err.frame == 1
    assert err.as_report() == {"class": MISSING, "offset": 1, "clause": "flp.grammar.request"}
    with pytest.raises(ValueError):
        FlpError("flp-no-such-class", 0, "x")


def test_clauses_are_in_the_registry():
    for clause in flp.LAYOUT_CLAUSES.values():
        assert clause in IDS, clause


# ------------------------------------------------------------------------------ params

def test_bad_direction():
    with pytest.raises(ValueError):
        report([b"PING"], "sideways")
    with pytest.raises(ValueError):
        decode([b"PING"], "to-broker")
    with pytest.raises(ValueError):
        encode(FLP, {"direction": "up"}, {"state": "complete", "error": None,
                                         "message": {"command": "PING"}})


def test_make_decoder_points_at_run_decoder():
    with pytest.raises(ValueError):
        make_decoder(FLP, {}, 0)


# -------------------------------------------------------------------------- round trip

@pytest.mark.parametrize("frames, direction", [
    ([b"PING"], SERVER), ([b"PONG"], CLIENT),
    ([b"c", b"b"], SERVER), ([b"c", b"b"], CLIENT),
    ([b"", b"", b"", b""], SERVER), ([b"\x00" * 8, b"1", b"", b"3"], CLIENT),
])
def test_round_trip(frames, direction):
    got = report(frames, direction)
    assert encode(FLP, {"direction": direction}, got) == frames
    assert decode(flp.encode_message(decode(frames, direction)), direction) == \
        decode(frames, direction)


def test_encode_refuses_a_message_of_the_other_direction():
    for command, direction in (("PING", CLIENT), ("PONG", SERVER)):
        with pytest.raises(ValueError):
            encode(FLP, {"direction": direction},
                   {"state": "complete", "error": None, "message": {"command": command}})
    with pytest.raises(ValueError):
        encode(FLP, {"direction": CLIENT},
               {"state": "complete", "error": None, "message": req(b"c", b"b")})
    with pytest.raises(ValueError):
        encode(FLP, {}, {"state": "complete", "error": None, "message": rep(b"c", b"b")})


def test_encode_refuses_an_error_report():
    with pytest.raises(ValueError):
        encode(FLP, {}, report([]))


# ---------------------------------------------------------------------------- encoders

def test_encoders():
    assert flp.ping() == [b"PING"]
    assert flp.pong() == [b"PONG"]
    assert flp.request(b"\x01", [b"hello"]) == [b"\x01", b"hello"]
    assert flp.reply(b"\x01", [b"a", b"", b"c"]) == [b"\x01", b"a", b"", b"c"]
    assert flp.request(b"", [b""]) == [b"", b""]
    assert flp.reply(bytearray(b"k"), [memoryview(b"v")]) == [b"k", b"v"]
    assert decode(flp.ping(), SERVER) == Message("PING")
    assert decode(flp.pong(), CLIENT) == Message("PONG")
    assert decode(flp.request(b"k", [b"v"]), SERVER) == Message("REQUEST", b"k", [b"v"])
    assert decode(flp.reply(b"k", [b"v"]), CLIENT) == Message("REPLY", b"k", [b"v"])
    assert Message("REPLY", b"k", [b"v"]).direction == CLIENT


def test_encoders_refuse_an_empty_body():
    for helper, clause in ((flp.request, "flp.grammar.request"),
                           (flp.reply, "flp.grammar.reply")):
        with pytest.raises(ValueError):
            helper(b"c", [])
        with pytest.raises(EncodeError) as caught:
            helper(b"c", [])
        assert caught.value.cls == MISSING and caught.value.clause == clause


def test_encoders_refuse_what_is_not_frames():
    for bad in (b"hello", "hello", None):
        with pytest.raises(ValueError):
            flp.request(b"c", bad)
    with pytest.raises(ValueError):
        flp.request(b"c", ["text"])
    with pytest.raises(ValueError):
        flp.reply("c", [b"x"])
    with pytest.raises(ValueError):
        flp.reply(None, [b"x"])


def test_encode_message_refuses_bad_messages():
    with pytest.raises(ValueError):
        flp.encode_message(Message("HELLO"))
    with pytest.raises(ValueError):
        flp.encode_message(Message("PING", b"c"))
    with pytest.raises(ValueError):
        flp.encode_message(Message("PONG", None, [b"x"]))
