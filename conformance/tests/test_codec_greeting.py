"""The greeting decoder: staged 1.0 / 2.0 / 3.x detection and each version's layout."""

import pytest

from codec_checks import check, check_error, check_round_trip, decode_all_ways, octets
from zwire_codec import (GreetingDecoder, encode_greeting_v1, encode_greeting_v2,
                         encode_greeting_v3)

GR = "greeting"
SIG = "ff 0000000000000000 7f"


def v3(major="03", minor="01", mechanism=b"NULL", as_server="00", filler="00" * 31):
    field = mechanism.ljust(20, b"\0").hex()
    return f"{SIG} {major} {minor} {field} {as_server} {filler}"


def greeting_report(greeting, detected):
    return {"state": "complete", "error": None, "detected": detected, "greeting": greeting}


V3 = {"version": "3", "offset": 10}


@pytest.mark.parametrize("minor", [0, 1])
def test_null_greeting_round_trip(minor):
    check(GR, {}, v3(minor=f"{minor:02x}"), greeting_report(
        {"version": "3", "major": 3, "minor": minor, "mechanism": "NULL", "asServer": 0}, V3))
    check_round_trip(GR, {}, v3(minor=f"{minor:02x}"))
    assert encode_greeting_v3(3, minor, "NULL", 0) == octets(v3(minor=f"{minor:02x}"))


def test_padding_is_never_looked_at():  # zmtp31.greeting.padding-ignored
    compat = "ff 0000000000000001 7f" + v3()[len(SIG):]
    assert decode_all_ways(GR, {}, compat) == decode_all_ways(GR, {}, v3())
    odd = "ff 8081828384858687 7f" + v3()[len(SIG):]
    assert decode_all_ways(GR, {}, odd)["state"] == "complete"


def test_higher_versions_are_valid():  # zmtp31.version.accept-higher
    check(GR, {"minVersion": "3.0"}, v3(major="04", minor="07"), greeting_report(
        {"version": "3", "major": 4, "minor": 7, "mechanism": "NULL", "asServer": 0}, V3))


@pytest.mark.parametrize("name", [b"PLAIN", b"CURVE", b"GSSAPI", b"A", b"X-9_.+",
                                  b"ABCDEFGHIJKLMNOPQRST"])
def test_mechanism_names(name):
    report = check_round_trip(GR, {}, v3(mechanism=name, as_server="01"))
    assert report["greeting"]["mechanism"] == name.decode()
    assert report["greeting"]["asServer"] == 1


def test_filler_is_not_validated():
    report = decode_all_ways(GR, {}, v3(filler="01" * 31))
    assert report["state"] == "complete"


def test_first_eleven_octets_detect_3x_and_wait():
    check(GR, {}, f"{SIG} 03", {"state": "incomplete", "error": None, "detected": V3,
                                "greeting": None})
    check(GR, {}, SIG, {"state": "incomplete", "error": None, "detected": None,
                        "greeting": None})


def test_octets_after_the_greeting_are_not_consumed():
    decoder = GreetingDecoder()
    assert decoder.push(octets(v3()) + b"\x04\x00") == 64
    assert decoder.report()["state"] == "complete"


# ---- 3.x errors

@pytest.mark.parametrize("end", ["01", "03", "7d", "ff"])
def test_signature_end_is_read_by_bit_0(end):  # zmtp31.greeting.detect-legacy
    # a sender writes 0x7F (zmtp31.greeting.signature); with bit 0 set, the detection
    # reads "2.0 or later" whatever the other bits (spec/leniency.md, SignatureEnd)
    odd = f"ff 0000000000000000 {end}" + v3()[len(SIG):]
    assert decode_all_ways(GR, {}, odd) == decode_all_ways(GR, {}, v3())
    cut = f"ff 0000000000000000 {end}"
    check(GR, {}, cut, {"state": "incomplete", "error": None, "detected": None,
                        "greeting": None})


def test_major_zero_is_unsupported_and_detects_nothing():
    report = check_error(GR, {}, f"{SIG} 00 00", "unsupported-version", 10,
                         "zmtp31.greeting.version-major")
    assert report["detected"] is None


@pytest.mark.parametrize("name, offset", [
    (b"", 12), (b"null", 12), (b"NU L", 14), (b"NULL\0A", 17), (b"N\0\0\0\0\0\0\x01", 19),
    (b"NUL\x7f", 15),
])
def test_invalid_mechanism_fails_at_first_bad_octet(name, offset):
    check_error(GR, {}, v3(mechanism=name), "invalid-mechanism", offset,
                "zmtp31.greeting.mechanism-name")


def test_invalid_mechanism_cites_zmtp30_for_minor_0():
    check_error(GR, {}, v3(minor="00", mechanism=b"a"), "invalid-mechanism", 12,
                "zmtp30.greeting.mechanism-name")


def test_mechanism_mismatch_at_31():
    check_error(GR, {"mechanism": "PLAIN"}, v3(), "mechanism-mismatch", 31,
                "zmtp31.greeting.mechanism-match")
    check_error(GR, {"mechanism": "NULL"}, v3(minor="00", mechanism=b"NUL"),
                "mechanism-mismatch", 31, "zmtp30.greeting.mechanism-match")
    check_round_trip(GR, {"mechanism": "CURVE"}, v3(mechanism=b"CURVE"))


def test_as_server_must_be_0_or_1():
    check_error(GR, {}, v3(as_server="02"), "malformed-greeting", 32,
                "zmtp31.greeting.as-server")


def test_as_server_1_with_null():  # zmtp31.null.as-server-zero
    check_error(GR, {}, v3(as_server="01"), "malformed-greeting", 32,
                "zmtp31.null.as-server-zero")
    check_error(GR, {}, v3(minor="00", as_server="01"), "malformed-greeting", 32,
                "zmtp30.null.as-server-zero")


def test_min_version_3_1_refuses_minor_0_at_octet_11():
    check_error(GR, {"minVersion": "3.1"}, v3(minor="00"), "unsupported-version", 11,
                "zmtp30.version.downgrade-or-close")
    check_round_trip(GR, {"minVersion": "3.1"}, v3(minor="01"))


# ---- 2.0

def v2(revision="01", socket_type="05", flags="00", identity=""):
    n = len(bytes.fromhex(identity))
    return f"{SIG} {revision} {socket_type} {flags} {n:02x} {identity}"


@pytest.mark.parametrize("revision", [1, 2])
@pytest.mark.parametrize("socket_type", [0, 5, 8, 9, 10])
def test_v2_greeting(revision, socket_type):
    data = v2(f"{revision:02x}", f"{socket_type:02x}", identity="41")
    check(GR, {"minVersion": "2.0"}, data, greeting_report(
        {"version": "2.0", "revision": revision, "socketType": socket_type,
         "identity": "41"}, {"version": "2.0", "offset": 10}))
    check_round_trip(GR, {}, data)
    assert encode_greeting_v2(revision, socket_type, b"A") == octets(data)


def test_v2_longest_identity():
    check_round_trip(GR, {}, v2(identity="ab" * 255))


def test_v2_socket_type_above_10():  # zmtp20.greeting.socket-type
    check_error(GR, {}, v2(socket_type="0b"), "malformed-greeting", 11,
                "zmtp20.greeting.socket-type")


def test_v2_identity_flags_must_be_0():  # zmtp20.greeting.identity
    check_error(GR, {}, v2(flags="01"), "malformed-greeting", 12, "zmtp20.greeting.identity")


def test_v2_refused_by_min_version_3():
    report = check_error(GR, {"minVersion": "3.0"}, v2(), "unsupported-version", 10,
                         "zmtp31.version.downgrade-or-close")
    assert report["detected"] == {"version": "2.0", "offset": 10}


# ---- 1.0

V1_AT_0 = {"version": "1.0", "offset": 0}
V1_AT_9 = {"version": "1.0", "offset": 9}


@pytest.mark.parametrize("identity", ["", "41", "ab" * 253])
def test_v1_short_identity(identity):
    data = encode_greeting_v1(bytes.fromhex(identity))
    check(GR, {}, data, greeting_report({"version": "1.0", "identity": identity}, V1_AT_0))
    check_round_trip(GR, {}, data)


def test_v1_short_flags_are_not_validated():  # zmtp10.greeting.identity-flags
    report = check(GR, {}, "02 7f 41",
                   greeting_report({"version": "1.0", "identity": "41"}, V1_AT_0))
    assert report["state"] == "complete"


@pytest.mark.parametrize("n", [254, 255])
def test_v1_long_identity(n):
    data = encode_greeting_v1(b"\x07" * n)
    assert data[0] == 0xFF and data[9] == 0
    check(GR, {}, data, greeting_report({"version": "1.0", "identity": "07" * n}, V1_AT_9))
    check_round_trip(GR, {}, data)


def test_v1_long_form_for_a_short_identity_is_valid():
    check(GR, {}, "ff 0000000000000003 00 4142",
          greeting_report({"version": "1.0", "identity": "4142"}, V1_AT_9))


def test_v1_zero_length():  # zmtp10.frame.length-nonzero
    check_error(GR, {}, "00", "malformed-greeting", 0, "zmtp10.frame.length-nonzero")
    report = check_error(GR, {}, "ff 0000000000000000 00", "malformed-greeting", 9,
                         "zmtp10.frame.length-nonzero")
    assert report["detected"] == V1_AT_9


def test_v1_identity_over_255_octets():  # zmtp10.greeting.identity
    check_error(GR, {}, "ff 0000000000000101 00", "limit-exceeded", 9,
                "zmtp10.greeting.identity")
    check_error(GR, {}, "ff ffffffffffffffff 7e", "limit-exceeded", 9,
                "zmtp10.greeting.identity")


def test_v1_refused_by_min_version():
    report = check_error(GR, {"minVersion": "2.0"}, "01 00", "unsupported-version", 0,
                         "zmtp31.version.downgrade-or-close")
    assert report["detected"] == V1_AT_0
    report = check_error(GR, {"minVersion": "3.0"}, "ff 0000000000000001 00",
                         "unsupported-version", 9, "zmtp31.version.downgrade-or-close")
    assert report["detected"] == V1_AT_9


def test_v1_incomplete_identity():
    check(GR, {}, "03 00 41", {"state": "incomplete", "error": None, "detected": V1_AT_0,
                               "greeting": None})


def test_capped_at_v2_reads_a_later_peer_as_v2():  # zmtp31.version.downgrade
    """A 2.0 peer reads a 3.x peer's major as a revision, then the 2.0 rest it steps down to."""
    stepped_down = octets("ff 0000000000000001 7f 03 08 00 02 6964")
    decoder = GreetingDecoder(max_version="2.0")
    decoder.push(stepped_down)
    report = decoder.report()
    assert report["state"] == "complete"
    assert report["greeting"] == {"version": "2.0", "revision": 3, "socketType": 8,
                                  "identity": "6964"}
    uncapped = GreetingDecoder()
    uncapped.push(stepped_down)
    assert uncapped.report()["detected"]["version"] == "3"
    with pytest.raises(ValueError):
        GreetingDecoder(max_version="3.0")
