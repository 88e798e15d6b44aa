"""Command bodies under PLAIN (24/ZMTP-PLAIN): HELLO, WELCOME, INITIATE, READY, ERROR."""

import pytest

from codec_checks import check, check_error, check_round_trip

CMD = "command"
PLAIN = {"mechanism": "PLAIN"}
MC = "malformed-command"
HELLO = "plain.hello.layout"


def body(name, data=""):
    return f"{len(name):02x} {name.encode().hex()} {data}"


def ok(command):
    return {"state": "complete", "error": None, "command": command}


def hello(user, password):
    return body("HELLO", f"{len(user):02x} {user.hex()} {len(password):02x} {password.hex()}")


@pytest.mark.parametrize("user, password", [(b"admin", b"secret"), (b"", b""),
                                            (b"a b", b"\x00\xff"), (b"u" * 255, b"p" * 255)])
def test_hello_round_trip(user, password):  # non-VCHAR octets accepted (acceptable)
    check(CMD, PLAIN, hello(user, password), ok(
        {"name": "HELLO", "username": user.hex(), "password": password.hex()}))
    check_round_trip(CMD, PLAIN, hello(user, password))


def test_hello_username_past_the_body_fails_at_the_end():
    check_error(CMD, PLAIN, body("HELLO", "05 41"), MC, 8, HELLO)


def test_hello_without_password_length_fails_at_the_end():
    check_error(CMD, PLAIN, body("HELLO", "01 41"), MC, 8, HELLO)
    check_error(CMD, PLAIN, body("HELLO"), MC, 6, HELLO)


def test_hello_password_past_the_body_fails_at_the_end():
    check_error(CMD, PLAIN, body("HELLO", "00 03 4142"), MC, 10, HELLO)


def test_hello_octets_after_password_fail_at_the_first():
    check_error(CMD, PLAIN, body("HELLO", "00 01 41 42 43"), MC, 9, HELLO)


def test_welcome_has_no_data():  # plain.welcome.layout
    check(CMD, PLAIN, body("WELCOME"), ok({"name": "WELCOME"}))
    check_round_trip(CMD, PLAIN, body("WELCOME"))
    check_error(CMD, PLAIN, body("WELCOME", "00 01"), MC, 8, "plain.welcome.layout")


@pytest.mark.parametrize("name", ["INITIATE", "READY"])
def test_initiate_and_ready_carry_metadata(name):
    data = body(name, "0b 536f636b65742d54797065 00000006 4445414c4552")
    check(CMD, PLAIN, data, ok({"name": name, "properties": [
        {"name": "Socket-Type", "value": "4445414c4552"}]}))
    check_round_trip(CMD, PLAIN, data)
    at = 1 + len(name)
    check_error(CMD, PLAIN, body(name, "02 41 3d"), "invalid-metadata", at + 2,
                "zmtp31.metadata.name")


def test_error_cites_plain_clause():
    check_round_trip(CMD, PLAIN, body("ERROR", "03 343030"))
    check_error(CMD, PLAIN, body("ERROR", "03 3430"), MC, 9, "plain.error.layout")


def test_traffic_commands_are_known_and_message_is_not():
    check(CMD, PLAIN, body("PING", "0000"), ok({"name": "PING", "ttl": 0, "context": ""}))
    check(CMD, PLAIN, body("MESSAGE", "00"), ok({"name": "MESSAGE", "data": "00"}))
