"""Command bodies under NULL: name rules, READY, ERROR and the 3.1 traffic commands."""

import pytest

from codec_checks import check, check_error, check_round_trip

CMD = "command"
MC = "malformed-command"
NAME = "zmtp31.command.name"


def body(name, data=""):
    return f"{len(name):02x} {name.encode().hex()} {data}"


def ok(command):
    return {"state": "complete", "error": None, "command": command}


# ---- names (zmtp31.command.name)

def test_empty_body_fails_at_0():
    check_error(CMD, {}, "", MC, 0, NAME)


def test_name_length_zero_fails_at_0():
    check_error(CMD, {}, "00 41", MC, 0, NAME)


@pytest.mark.parametrize("bad", ["31", "20", "2d", "5b", "60", "7b", "00", "c1"])
def test_non_alpha_name_octet_fails_at_it(bad):
    check_error(CMD, {}, f"05 52454144 {bad}", MC, 5, NAME)


def test_name_cut_by_the_end_fails_at_the_end():
    check_error(CMD, {}, "05 5245", MC, 3, NAME)


def test_zmtp30_family():
    check_error(CMD, {"zmtpVersion": "3.0"}, "00", MC, 0, "zmtp30.command.name")


def test_unknown_names_keep_their_data():
    check(CMD, {}, body("FOO", "0001ff"), ok({"name": "FOO", "data": "0001ff"}))
    check_round_trip(CMD, {}, body("FOO", "0001ff"))
    check_round_trip(CMD, {}, body("Z" * 255))
    check(CMD, {}, body("ready"), ok({"name": "ready", "data": ""}))  # byte-exact names


@pytest.mark.parametrize("name", ["HELLO", "WELCOME", "INITIATE", "MESSAGE"])
def test_mechanism_commands_are_unknown_under_null(name):
    check(CMD, {}, body(name, "00"), ok({"name": name, "data": "00"}))


# ---- READY (zmtp31 metadata)

def test_ready_with_and_without_properties():
    check(CMD, {}, body("READY"), ok({"name": "READY", "properties": []}))
    data = body("READY", "0b 536f636b65742d54797065 00000003 505542")
    check(CMD, {}, data, ok({"name": "READY", "properties": [
        {"name": "Socket-Type", "value": "505542"}]}))
    check_round_trip(CMD, {}, data)


def test_ready_metadata_errors_are_invalid_metadata():
    check_error(CMD, {}, body("READY", "00"), "invalid-metadata", 6, "zmtp31.metadata.name")
    check_error(CMD, {}, body("READY", "01 41 80000000"), "invalid-metadata", 11,
                "zmtp31.metadata.value-size")
    check_error(CMD, {}, body("READY", "01 41 000000"), "invalid-metadata", 11,
                "zmtp31.metadata.value-size")


# ---- ERROR (zmtp31.null.error)

@pytest.mark.parametrize("reason", ["", "343030", "20" * 3, "ff" * 255])
def test_error_round_trip(reason):  # any reason octets are accepted (acceptable)
    n = len(bytes.fromhex(reason))
    check(CMD, {}, body("ERROR", f"{n:02x} {reason}"), ok({"name": "ERROR", "reason": reason}))
    check_round_trip(CMD, {}, body("ERROR", f"{n:02x} {reason}"))


def test_error_without_reason_length_fails_at_the_end():
    check_error(CMD, {}, body("ERROR"), MC, 6, "zmtp31.null.error")


def test_error_reason_longer_than_body_fails_at_the_end():
    check_error(CMD, {}, body("ERROR", "05 414243"), MC, 10, "zmtp31.null.error")


def test_error_body_longer_than_reason_fails_at_first_excess_octet():
    check_error(CMD, {}, body("ERROR", "01 41 4243"), MC, 8, "zmtp31.null.error")
    check_error(CMD, {"zmtpVersion": "3.0"}, body("ERROR", "00 00"), MC, 7,
                "zmtp30.null.error")


# ---- SUBSCRIBE / CANCEL

@pytest.mark.parametrize("name", ["SUBSCRIBE", "CANCEL"])
@pytest.mark.parametrize("topic", ["", "41", "00ff" * 200])
def test_topic_is_the_rest(name, topic):
    check(CMD, {}, body(name, topic), ok({"name": name, "topic": topic}))
    check_round_trip(CMD, {}, body(name, topic))


# ---- PING / PONG

@pytest.mark.parametrize("ttl, context", [(0, ""), (30, ""), (65535, "ab" * 16), (1, "00")])
def test_ping_round_trip(ttl, context):
    data = body("PING", f"{ttl:04x} {context}")
    check(CMD, {}, data, ok({"name": "PING", "ttl": ttl, "context": context}))
    check_round_trip(CMD, {}, data)


def test_ping_context_over_16_fails_at_17th_context_octet():  # zmtp31.command.ping
    check_error(CMD, {}, body("PING", "001e" + "01" * 17), MC, 23, "zmtp31.command.ping")
    check_error(CMD, {}, body("PING", "001e" + "01" * 40), MC, 23, "zmtp31.command.ping")


@pytest.mark.parametrize("data, end", [("", 5), ("00", 6)])
def test_ping_ttl_cut_fails_at_the_end(data, end):
    check_error(CMD, {}, body("PING", data), MC, end, "zmtp31.command.ping")


def test_pong():  # zmtp31.command.pong
    check_round_trip(CMD, {}, body("PONG"))
    check_round_trip(CMD, {}, body("PONG", "cd" * 16))
    check_error(CMD, {}, body("PONG", "cd" * 17), MC, 21, "zmtp31.command.pong")


# ---- JOIN / LEAVE

@pytest.mark.parametrize("name, clause", [("JOIN", "zmtp31.command.join"),
                                          ("LEAVE", "zmtp31.command.leave")])
def test_group(name, clause):
    at = 1 + len(name)
    check(CMD, {}, body(name), ok({"name": name, "group": ""}))
    check_round_trip(CMD, {}, body(name, "01" * 255))
    check_error(CMD, {}, body(name, "01" * 256), MC, at + 255, clause)
    check_error(CMD, {}, body(name, "4142 00 43"), MC, at + 2, clause)
    check_error(CMD, {}, body(name, "00"), MC, at, clause)
