"""zwire_codec.errors: the fixed taxonomy of FORMAT.md and the DecodeError value."""

import pathlib
import re

import pytest

from zwire_codec import errors
from zwire_codec.errors import DecodeError, EncodeError


def test_codec_classes_are_formats_table():
    assert errors.CODEC_CLASSES == (
        "malformed-greeting", "unsupported-version", "invalid-mechanism",
        "mechanism-mismatch", "invalid-flags", "invalid-size", "limit-exceeded",
        "malformed-command", "invalid-metadata", "invalid-z85")


def test_zap_classes_are_formats_list():
    text = (pathlib.Path(__file__).resolve().parents[2] / "vectors" / "FORMAT.md").read_text()
    listed = text.split("ZAP (`zap` below):", 1)[1].split("Session classes", 1)[0]
    assert errors.ZAP_CLASSES == tuple(re.findall(r"`(zap-[a-z-]+)`", listed))
    assert errors.ZAP_CLASSES == (
        "zap-invalid-delimiter", "zap-bad-version", "zap-missing-frame", "zap-extra-frame",
        "zap-invalid-domain", "zap-invalid-address", "zap-invalid-identity",
        "zap-invalid-mechanism", "zap-invalid-credentials", "zap-invalid-status-code",
        "zap-invalid-text", "zap-invalid-user-id", "zap-invalid-metadata")
    for cls in errors.ZAP_CLASSES:
        assert DecodeError(cls, 0, "zap.request.frames").cls == cls


def test_session_classes_are_reserved():
    assert set(errors.SESSION_CLASSES) == {
        "unexpected-command", "invalid-sequence", "cryptographic", "invalid-socket-type",
        "zap-bad-request-id"}


def test_no_class_is_listed_twice_and_the_old_zap_reply_class_is_gone():
    assert len(set(errors.ALL_CLASSES)) == len(errors.ALL_CLASSES)
    assert "zap-malformed-reply" not in errors.ALL_CLASSES
    with pytest.raises(ValueError):
        DecodeError("zap-malformed-reply", 0, "zap.reply.frames")


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
