"""ZMTP 3.x metadata through the `metadata` decoder type (zmtp31.metadata.*)."""

import pytest

from codec_checks import check, check_error, check_round_trip
from zwire_codec import EncodeError, encode_property

MD = "metadata"
NAME = "zmtp31.metadata.name"
SIZE = "zmtp31.metadata.value-size"
SOCKET_TYPE = "0b 536f636b65742d54797065 00000006 4445414c4552"  # digest §4.6 example
SOCKET_TYPE_PROP = {"name": "Socket-Type", "value": "4445414c4552"}


def test_rfc_example_property():
    check(MD, {}, SOCKET_TYPE,
          {"state": "complete", "error": None, "properties": [SOCKET_TYPE_PROP]})
    check_round_trip(MD, {}, SOCKET_TYPE)


def test_empty_list_and_empty_value():
    check(MD, {}, "", {"state": "complete", "error": None, "properties": []})
    check(MD, {}, "08 4964656e74697479 00000000", {
        "state": "complete", "error": None,
        "properties": [{"name": "Identity", "value": ""}]})


def test_name_keeps_case_and_duplicates_come_as_they_are():
    data = "01 61 00000001 31 01 41 00000001 32 01 61 00000000"
    check(MD, {}, data, {"state": "complete", "error": None, "properties": [
        {"name": "a", "value": "31"}, {"name": "A", "value": "32"},
        {"name": "a", "value": ""}]})
    check_round_trip(MD, {}, data)


def test_every_name_character_and_longest_name():
    chars = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.+"
    check_round_trip(MD, {}, encode_property(chars, b"v"))
    check_round_trip(MD, {}, encode_property(b"x" * 255, b"\x00\xff"))


def test_name_length_zero_fails_at_its_octet():
    check_error(MD, {}, "00 00000000", "invalid-metadata", 0, NAME)
    report = check_error(MD, {}, SOCKET_TYPE + "00", "invalid-metadata", 22, NAME)
    assert report["properties"] == [SOCKET_TYPE_PROP]  # completed before the error


@pytest.mark.parametrize("char", [0x20, 0x2f, 0x3a, 0x40, 0x00, 0x80, 0xff, 0x7e])
def test_bad_name_character_fails_at_it(char):
    check_error(MD, {}, f"03 41 {char:02x} 41 00000000", "invalid-metadata", 2, NAME)


def test_value_size_top_bit_fails_at_last_size_octet():
    check_error(MD, {}, "01 41 80000000", "invalid-metadata", 5, SIZE)
    check_error(MD, {}, "01 41 ffffffff 00", "invalid-metadata", 5, SIZE)


def test_largest_value_size_is_not_an_error_until_the_end():
    check_error(MD, {}, "01 41 7fffffff 00", "invalid-metadata", 7, SIZE)


@pytest.mark.parametrize("data, clause", [
    ("05 41 42", NAME),              # cut inside the name
    ("01 41 00 00", SIZE),           # cut inside the value size
    ("01 41 00000005 6162", SIZE),   # cut inside the value
])
def test_property_cut_by_the_end_fails_at_the_end(data, clause):
    check_error(MD, {}, data, "invalid-metadata", len(bytes.fromhex(data.replace(" ", ""))),
                clause)


def test_bad_character_before_the_end_wins():
    check_error(MD, {}, "05 41 20", "invalid-metadata", 2, NAME)


def test_zmtp30_family():
    check_error(MD, {"zmtpVersion": "3.0"}, "00", "invalid-metadata", 0,
                "zmtp30.metadata.name")


def test_encoder_refuses_bad_names():
    for name in (b"", b"x" * 256, b"a b"):
        with pytest.raises(EncodeError):
            encode_property(name, b"")
