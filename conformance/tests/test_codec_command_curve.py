"""Command bodies under CURVE (25/ZMTP-CURVE, 26/CURVEZMQ): fixed and minimum sizes."""

import pytest

from codec_checks import check, check_error, check_round_trip, octets

CMD = "command"
CURVE = {"mechanism": "CURVE"}
MC = "malformed-command"


def body(name, data=""):
    return f"{len(name):02x} {name.encode().hex()} {data}"


def curve_hello(version="0100", padding="00" * 72, tail=""):
    key, nonce, box = "c1" * 32, "00000000000000" + "01", "b0" * 80
    return body("HELLO", f"{version} {padding} {key} {nonce} {box} {tail}")


def size_of(data):
    return len(octets(data))


def test_hello_is_200_octets():
    assert size_of(curve_hello()) == 200
    check(CMD, CURVE, curve_hello(), {"state": "complete", "error": None, "command": {
        "name": "HELLO", "versionMajor": 1, "versionMinor": 0, "clientKey": "c1" * 32,
        "nonce": "0000000000000001", "signatureBox": "b0" * 80}})
    check_round_trip(CMD, CURVE, curve_hello())


@pytest.mark.parametrize("at", [0, 1, 71])
def test_hello_padding_fails_at_its_first_non_zero_octet(at):  # curve.hello.padding
    padding = "00" * at + "ee" + "00" * (71 - at)
    check_error(CMD, CURVE, curve_hello(padding=padding), MC, 8 + at, "curve.hello.padding")


@pytest.mark.parametrize("version, at", [("0000", 6), ("0200", 6), ("0101", 7)])
def test_hello_version_fails_at_its_octet(version, at):  # curve.hello.version
    check_error(CMD, CURVE, curve_hello(version=version), MC, at, "curve.hello.version")
    short = body("HELLO", version)
    check_error(CMD, CURVE, short, MC, at, "curve.hello.version")


def test_hello_wrong_size():  # curve.hello.size
    check_error(CMD, CURVE, curve_hello(tail="00"), MC, 200, "curve.hello.size")
    check_error(CMD, CURVE, curve_hello(tail="00" * 9), MC, 200, "curve.hello.size")
    cut = octets(curve_hello())[:199]
    check_error(CMD, CURVE, cut, MC, 199, "curve.hello.size")
    check_error(CMD, CURVE, body("HELLO"), MC, 6, "curve.hello.size")


def welcome(tail=""):
    return body("WELCOME", "a1" * 16 + "b2" * 144 + tail)


def test_welcome_is_168_octets():  # curve.welcome.size
    assert size_of(welcome()) == 168
    check_round_trip(CMD, CURVE, welcome())
    check_error(CMD, CURVE, welcome("00"), MC, 168, "curve.welcome.size")
    check_error(CMD, CURVE, octets(welcome())[:167], MC, 167, "curve.welcome.size")


def initiate(box_len=144):
    return body("INITIATE", "c0" * 96 + "0000000000000002" + "d0" * box_len)


def test_initiate_is_at_least_257_octets():  # curve.initiate.size
    assert size_of(initiate()) == 257
    report = check_round_trip(CMD, CURVE, initiate(400))
    assert report["command"]["cookie"] == "c0" * 96 and len(report["command"]["box"]) == 800
    check_round_trip(CMD, CURVE, initiate())
    check_error(CMD, CURVE, initiate(143), MC, 256, "curve.initiate.size")
    check_error(CMD, CURVE, octets(initiate())[:100], MC, 100, "curve.initiate.size")


@pytest.mark.parametrize("name, minimum, clause", [("READY", 30, "curve.ready.size"),
                                                   ("MESSAGE", 33, "curve.message.size")])
def test_ready_and_message_minimum_sizes(name, minimum, clause):
    head = 1 + len(name) + 8
    data = body(name, "0000000000000003" + "ee" * (minimum - head))
    assert size_of(data) == minimum
    check(CMD, CURVE, data, {"state": "complete", "error": None, "command": {
        "name": name, "nonce": "0000000000000003", "box": "ee" * (minimum - head)}})
    check_round_trip(CMD, CURVE, data)
    check_round_trip(CMD, CURVE, data + "ff" * 100)
    check_error(CMD, CURVE, octets(data)[:-1], MC, minimum - 1, clause)
    check_error(CMD, CURVE, body(name, "00"), MC, 1 + len(name) + 1, clause)


def test_error_under_curve():  # curve.error.size
    check_round_trip(CMD, CURVE, body("ERROR", "03 343030"))
    check_error(CMD, CURVE, body("ERROR"), MC, 6, "curve.error.size")
    check_error(CMD, CURVE, body("ERROR", "00 00"), MC, 7, "curve.error.size")


@pytest.mark.parametrize("name", ["PING", "PONG", "SUBSCRIBE", "CANCEL", "JOIN", "LEAVE"])
def test_traffic_commands_are_unknown_under_curve(name):
    check(CMD, CURVE, body(name, "0000"), {"state": "complete", "error": None,
                                           "command": {"name": name, "data": "0000"}})
