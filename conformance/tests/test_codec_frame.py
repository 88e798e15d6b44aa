"""The frame stream decoder: flags, short / long sizes, limits, command bodies in frames."""

import pytest

from codec_checks import check, check_error, check_round_trip, decode_all_ways, octets
from zwire_codec import encode_frame

FR = "frames"


def frame(offset, flags, body, complete=True, size=None, **extra):
    body = body.replace(" ", "")
    size = len(bytes.fromhex(body)) if size is None else size
    out = {"offset": offset, "flags": flags, "size": size, "body": body,
           "complete": complete}
    out.update(extra)
    return out


def ok(*frames, state="complete"):
    return {"state": state, "error": None, "frames": list(frames)}


def test_empty_input_is_complete():
    check(FR, {}, "", ok())


def test_message_frames_round_trip():
    data = "01 01 41 01 00 00 02 4243"
    check(FR, {}, data, ok(frame(0, 1, "41"), frame(3, 1, ""), frame(5, 0, "4243")))
    check_round_trip(FR, {}, data)


@pytest.mark.parametrize("n", [255, 256, 300])
def test_short_or_long_by_size(n):
    data = encode_frame(b"\xaa" * n, more=True)
    assert data[0] == (0x01 if n <= 255 else 0x03)
    report = check_round_trip(FR, {}, data)
    assert report["frames"][0]["size"] == n


def test_long_size_for_short_body_is_valid():  # NonCanonical
    check(FR, {}, "02 0000000000000001 41", ok(frame(0, 2, "41")))
    check(FR, {}, "06 0000000000000005 04504f4e47",
          ok(frame(0, 6, "04504f4e47", command={"name": "PONG", "context": ""})))


def test_incomplete_inputs():
    check(FR, {}, "00", ok(state="incomplete"))
    check(FR, {}, "02 000000", ok(state="incomplete"))
    check(FR, {}, "00 00 00 03 41", ok(frame(0, 0, ""), frame(2, 0, "41", complete=False, size=3),
                                       state="incomplete"))
    check(FR, {}, "04 06 05 5245", ok(frame(0, 4, "055245", complete=False, size=6),
                                      state="incomplete"))


@pytest.mark.parametrize("flags", [0x08, 0x10, 0x20, 0x40, 0x80, 0xff, 0x0c])
def test_reserved_flag_bits(flags):  # zmtp31.frame.flags-reserved
    report = check_error(FR, {}, f"00 01 41 {flags:02x} 00", "invalid-flags", 3,
                         "zmtp31.frame.flags-reserved")
    assert report["frames"] == [frame(0, 0, "41")]


@pytest.mark.parametrize("flags", [0x05, 0x07])
def test_more_on_a_command(flags):  # zmtp31.frame.command-no-more
    check_error(FR, {}, f"{flags:02x} 00", "invalid-flags", 0, "zmtp31.frame.command-no-more")
    check_error(FR, {"zmtpVersion": "3.0"}, f"{flags:02x} 00", "invalid-flags", 0,
                "zmtp30.frame.command-no-more")


def test_zmtp_2_0_reserves_bit_2():
    check_error(FR, {"zmtpVersion": "2.0"}, "04 00", "invalid-flags", 0,
                "zmtp20.frame.flags-reserved")
    check_round_trip(FR, {"zmtpVersion": "2.0"}, "01 01 41 03 0000000000000100" + "00" * 256)


def test_long_size_top_bit_at_last_size_octet():
    check_error(FR, {}, "00 00 02 8000000000000000", "invalid-size", 10,
                "zmtp31.frame.long-size")
    check_error(FR, {"zmtpVersion": "3.0"}, "06 ffffffffffffffff", "invalid-size", 8,
                "zmtp30.frame.long-size")
    check_error(FR, {"zmtpVersion": "2.0"}, "03 8000000000000001", "invalid-size", 8,
                "zmtp20.frame.long-size")


def test_largest_long_size_is_incomplete_not_invalid():
    check(FR, {}, "02 7fffffffffffffff",
          ok(frame(0, 2, "", complete=False, size=(1 << 63) - 1), state="incomplete"))


def test_max_frame_size_checked_before_the_body():  # zmtp31.frame.size-limit
    params = {"maxFrameSize": 4}
    check_error(FR, params, "00 05", "limit-exceeded", 1, "zmtp31.frame.size-limit")
    check_error(FR, params, "00 04 41424344 02 0000000000000005", "limit-exceeded", 14,
                "zmtp31.frame.size-limit")
    check_round_trip(FR, params, "00 04 41424344")
    check_error(FR, {"maxFrameSize": 4, "zmtpVersion": "2.0"}, "00 05", "limit-exceeded", 1,
                "zmtp30.frame.size-limit")


def test_size_top_bit_wins_over_limit():
    check_error(FR, {"maxFrameSize": 4}, "02 8000000000000000", "invalid-size", 8,
                "zmtp31.frame.long-size")


def test_empty_command_frame_fails_at_its_body_offset():
    check_error(FR, {}, "04 00", "malformed-command", 2, "zmtp31.command.name")
    report = check_error(FR, {}, "00 01 41 04 00", "malformed-command", 5,
                         "zmtp31.command.name")
    assert report["frames"] == [frame(0, 0, "41")]


def test_command_error_found_at_its_octet_in_the_whole_input():
    report = check_error(FR, {}, "00 00 04 06 05 5245 41 44 21", "malformed-command", 9,
                         "zmtp31.command.name")
    assert report["frames"] == [frame(0, 0, "")]
    check_error(FR, {"zmtpVersion": "3.0"}, "04 01 00", "malformed-command", 2,
                "zmtp30.command.name")


def test_short_command_body_fails_at_the_end_of_its_frame():
    check_error(FR, {}, "04 05 0450494e47 00 00", "malformed-command", 7,
                "zmtp31.command.ping")


def test_message_frames_are_not_decoded_as_commands():
    report = decode_all_ways(FR, {}, "00 06 0552454144 59")
    assert "command" not in report["frames"][0]


def test_mechanism_param_picks_command_layouts():
    body = "07 4d455353414745" + "11" * 8 + "22" * 17
    curve = decode_all_ways(FR, {"mechanism": "CURVE"}, "04 21 " + body)
    assert curve["frames"][0]["command"] == {"name": "MESSAGE", "nonce": "11" * 8,
                                             "box": "22" * 17}
    null = decode_all_ways(FR, {}, "04 21 " + body)
    assert null["frames"][0]["command"] == {"name": "MESSAGE", "data": "11" * 8 + "22" * 17}
    check_round_trip(FR, {"mechanism": "CURVE"}, "04 21 " + body)


def test_long_command_frame_round_trip():
    initiate = octets("08 494e4954494154 45") + bytes(96) + bytes(8) + bytes(150)
    data = encode_frame(initiate, command=True)
    assert data[0] == 0x06
    report = check_round_trip(FR, {"mechanism": "CURVE"}, data)
    assert report["frames"][0]["command"]["name"] == "INITIATE"
