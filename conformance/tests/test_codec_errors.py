"""zwire_codec.errors: the fixed taxonomy of FORMAT.md and the DecodeError value."""

import pytest

from zwire_codec import errors
from zwire_codec.errors import DecodeError, EncodeError


def test_codec_classes_are_formats_table():
    assert errors.CODEC_CLASSES == (
        "malformed-greeting", "unsupported-version", "invalid-mechanism",
        "mechanism-mismatch", "invalid-flags", "invalid-size", "limit-exceeded",
        "malformed-command", "invalid-metadata", "invalid-z85")


def test_session_classes_are_reserved():
    assert set(errors.SESSION_CLASSES) == {
        "unexpected-command", "invalid-sequence", "cryptographic", "invalid-socket-type",
        "zap-malformed-reply", "zap-bad-request-id", "zap-bad-version",
        "zap-invalid-status-code", "zap-invalid-metadata"}


def test_decode_error_is_a_value():
    err = DecodeError(errors.INVALID_SIZE, 8, "zmtp31.frame.long-size")
    assert err == DecodeError("invalid-size", 8, "zmtp31.frame.long-size")
    assert err != DecodeError("invalid-size", 9, "zmtp31.frame.long-size")
    assert hash(err) == hash(DecodeError("invalid-size", 8, "zmtp31.frame.long-size"))
    assert err.as_report() == {"class": "invalid-size", "offset": 8,
                               "clause": "zmtp31.frame.long-size"}


def test_moved_shifts_only_the_offset():
    err = DecodeError("malformed-command", 3, "zmtp31.command.name").moved(2)
    assert err == DecodeError("malformed-command", 5, "zmtp31.command.name")


def test_unknown_class_is_refused():
    with pytest.raises(ValueError):
        DecodeError("no-such-class", 0, "x")


def test_encode_error_carries_class_and_clause():
    err = EncodeError("invalid-z85", "z85.binary-length", "length 3")
    assert (err.cls, err.clause) == ("invalid-z85", "z85.binary-length")
    assert isinstance(err, ValueError)
