"""The RFC digest's worked examples (§4.14, §5.3, §6.1, §8.2, §10.2), decoded exactly
and round-tripped."""

from codec_checks import check, check_round_trip, decode_all_ways, octets
from zwire_codec import GreetingDecoder, FrameDecoder

NULL_30 = ("FF 00 00 00 00 00 00 00 00 7F 03" "00" "4E554C4C" + "00" * 16 + "00" + "00" * 31)
CLIENT_READY = ("04 29 05 52 45 41 44 59 0B 53 6F 63 6B 65 74 2D 54 79 70 65"
                "00 00 00 06 44 45 41 4C 45 52 08 49 64 65 6E 74 69 74 79 00 00 00 00")
SERVER_READY = ("04 1C 05 52 45 41 44 59 0B 53 6F 63 6B 65 74 2D 54 79 70 65"
                "00 00 00 06 52 4F 55 54 45 52")


def frames(*frames):
    return {"state": "complete", "error": None, "frames": list(frames)}


def test_null_3_0_greeting():  # §4.14
    check("greeting", {"minVersion": "3.0", "mechanism": "NULL"}, NULL_30,
          {"state": "complete", "error": None, "detected": {"version": "3", "offset": 10},
           "greeting": {"version": "3", "major": 3, "minor": 0, "mechanism": "NULL",
                        "asServer": 0}})
    check_round_trip("greeting", {}, NULL_30)


def test_libzmq_compat_signature_gives_the_same_greeting():  # §4.14
    compat = "FF 00 00 00 00 00 00 00 01 7F 03" + NULL_30.replace(" ", "")[22:]
    assert decode_all_ways("greeting", {}, compat) == decode_all_ways("greeting", {}, NULL_30)


def test_client_ready_dealer():  # §4.14: 43 octets on the wire
    assert len(octets(CLIENT_READY)) == 43
    check("frames", {}, CLIENT_READY, frames({
        "offset": 0, "flags": 4, "size": 41, "body": octets(CLIENT_READY)[2:].hex(),
        "complete": True, "command": {"name": "READY", "properties": [
            {"name": "Socket-Type", "value": b"DEALER".hex()},
            {"name": "Identity", "value": ""}]}}))
    check_round_trip("frames", {}, CLIENT_READY)


def test_server_ready_router():  # §4.14: size 28
    report = check_round_trip("frames", {}, SERVER_READY)
    assert report["frames"][0]["size"] == 28
    assert report["frames"][0]["command"] == {"name": "READY", "properties": [
        {"name": "Socket-Type", "value": b"ROUTER".hex()}]}


def test_error_400():  # §4.14
    report = check_round_trip("frames", {}, "04 0A 05 45 52 52 4F 52 03 34 30 30")
    assert report["frames"][0]["command"] == {"name": "ERROR", "reason": b"400".hex()}


def test_3_0_subscription_messages_are_plain_frames():  # §4.14
    check("frames", {"zmtpVersion": "3.0"}, "00 02 01 41 00 02 00 41", frames(
        {"offset": 0, "flags": 0, "size": 2, "body": "0141", "complete": True},
        {"offset": 4, "flags": 0, "size": 2, "body": "0041", "complete": True}))
    check_round_trip("frames", {"zmtpVersion": "3.0"}, "00 02 01 41 00 02 00 41")


def test_3_1_commands():  # §5.3
    data = ("04 0B 09 53 55 42 53 43 52 49 42 45 41" "04 07 04 50 49 4E 47 00 1E"
            "04 05 04 50 4F 4E 47")
    report = check_round_trip("frames", {}, data)
    assert [f["command"] for f in report["frames"]] == [
        {"name": "SUBSCRIBE", "topic": "41"}, {"name": "PING", "ttl": 30, "context": ""},
        {"name": "PONG", "context": ""}]


def test_plain_welcome():  # §6.1
    report = check_round_trip("frames", {"mechanism": "PLAIN"},
                              "04 08 07 57 45 4C 43 4F 4D 45")
    assert report["frames"][0]["command"] == {"name": "WELCOME"}


def test_curve_command_headers():  # §8.2: 04 C8 (HELLO), 04 A8 (WELCOME), 06 (INITIATE)
    hello = "04 C8 05 48454C4C4F 0100" + "00" * 72 + "11" * 32 + "22" * 8 + "33" * 80
    welcome = "04 A8 07 57454C434F4D45" + "44" * 16 + "55" * 144
    initiate = "06 0000000000000101 08 494E495449415445" + "66" * 96 + "77" * 8 + "88" * 144
    report = check_round_trip("frames", {"mechanism": "CURVE"}, hello + welcome + initiate)
    assert [f["command"]["name"] for f in report["frames"]] == ["HELLO", "WELCOME", "INITIATE"]


def test_z85_hello_world():  # §10.2
    check("z85", {}, b"HelloWorld".hex(),
          {"state": "complete", "error": None, "decoded": "864fd26fb559f75b"})


def test_a_connection_is_a_greeting_then_frames():  # §4.14, one direction
    wire = octets(NULL_30) + octets(CLIENT_READY) + octets("00 02 01 41")
    greeting = GreetingDecoder()
    used = greeting.push(wire)
    assert used == 64 and greeting.report()["state"] == "complete"
    stream = FrameDecoder("3.0")
    assert stream.push(wire[used:]) == len(wire) - 64
    assert [f["flags"] for f in stream.report()["frames"]] == [4, 0]
