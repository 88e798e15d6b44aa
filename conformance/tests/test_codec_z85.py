"""32/Z85 through the `z85` decoder type: alphabet, overflow, length, round trip."""

import pytest

from codec_checks import check, check_error, check_round_trip
from zwire_codec import EncodeError, z85_decode, z85_encode
from zwire_codec.z85 import ALPHABET

Z85 = "z85"


def text(s):
    return s.encode("ascii").hex()


def test_alphabet_has_85_distinct_characters():
    assert len(ALPHABET) == 85 == len(set(ALPHABET))


def test_hello_world_is_the_rfc_test_vector():  # z85.test-vector
    check(Z85, {}, text("HelloWorld"),
          {"state": "complete", "error": None, "decoded": "864fd26fb559f75b"})
    assert z85_encode(bytes.fromhex("864FD26FB559F75B")) == b"HelloWorld"
    assert z85_decode("HelloWorld") == bytes.fromhex("864FD26FB559F75B")


def test_empty_text_decodes_to_nothing():
    check(Z85, {}, "", {"state": "complete", "error": None, "decoded": ""})


def test_largest_group_is_ffffffff():
    check_round_trip(Z85, {}, text("%nSc0"))
    assert z85_decode("%nSc0") == b"\xff\xff\xff\xff"
    assert z85_encode(bytes(4)) == b"00000"


@pytest.mark.parametrize("data", [bytes(range(256)), bytes(range(255, -1, -1)), bytes(32)])
def test_round_trip(data):
    check_round_trip(Z85, {}, z85_encode(data))


@pytest.mark.parametrize("s, offset", [("Hel~oWorld", 3), (" elloWorld", 0),
                                       ("HelloWorl\"", 9), ("Hello,", 5)])
def test_character_outside_alphabet_fails_at_it(s, offset):
    check_error(Z85, {}, text(s), "invalid-z85", offset, "z85.alphabet")


def test_overflowing_group_fails_at_its_last_character():
    check_error(Z85, {}, text("%nSc1"), "invalid-z85", 4, "z85.decode")
    report = check_error(Z85, {}, text("Hello#####"), "invalid-z85", 9, "z85.decode")
    assert report["decoded"] == "864fd26f"  # the groups completed before the error


@pytest.mark.parametrize("s", ["Hello1", "HelloWor", "Hell", "H"])
def test_length_not_multiple_of_5_fails_at_the_end(s):
    check_error(Z85, {}, text(s), "invalid-z85", len(s), "z85.string-length")


def test_bad_character_in_the_last_partial_group_wins_over_length():
    check_error(Z85, {}, text("Hello~1"), "invalid-z85", 5, "z85.alphabet")


def test_partial_group_is_not_checked_for_overflow():
    check_error(Z85, {}, text("Hello###"), "invalid-z85", 8, "z85.string-length")


def test_incomplete_input_is_incomplete():
    from zwire_codec import Z85Decoder
    decoder = Z85Decoder(10)
    decoder.push(b"Hello")
    assert decoder.report() == {"state": "incomplete", "error": None, "decoded": "864fd26f"}


@pytest.mark.parametrize("n", [1, 2, 3, 5])
def test_encode_refuses_length_not_multiple_of_4(n):
    with pytest.raises(EncodeError) as info:
        z85_encode(bytes(n))
    assert info.value.clause == "z85.binary-length"
