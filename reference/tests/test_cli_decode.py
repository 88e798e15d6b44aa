"""`zwire decode`: one direction of a ZMTP stream, decoded line by line.

Runs the binary named by the environment variable ZWIRE (default
build/bin/zwire) on byte streams built here, and asserts on the exact lines
(text) or objects (--json) it prints, and on its exit status: 0 no protocol
error, 1 a protocol error, 3 bad invocation."""

import json
import os
import pathlib
import re
import struct
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
ZWIRE = os.environ.get("ZWIRE", str(ROOT / "build" / "bin" / "zwire"))


# --- building streams ---------------------------------------------------------

def greeting(major=3, minor=1, mechanism=b"NULL", as_server=0, padding=bytes(8)):
    return (b"\xff" + padding + b"\x7f" + bytes([major, minor])
            + mechanism.ljust(20, b"\0") + bytes([as_server]) + bytes(31))


def frame(body, more=False, command=False, long=None):
    flags = (1 if more else 0) | (4 if command else 0)
    if long or (long is None and len(body) > 255):
        return bytes([flags | 2]) + struct.pack(">Q", len(body)) + body
    return bytes([flags, len(body)]) + body


def command(name, data=b""):
    return frame(bytes([len(name)]) + name + data, command=True)


def prop(name, value):
    return bytes([len(name)]) + name + struct.pack(">I", len(value)) + value


def octets(text):
    return bytes.fromhex(text.replace(" ", ""))


# --- running zwire -----------------------------------------------------------

def zwire(*args, data=b"", status=None):
    result = subprocess.run([ZWIRE, *args], input=data, capture_output=True, timeout=30)
    if status is not None:
        assert result.returncode == status, (result.stdout.decode(), result.stderr.decode())
    return result


def decode(data, *args, status=0):
    """The text lines of `zwire decode ARGS` on raw data."""
    result = zwire("decode", *args, data=data, status=status)
    assert result.stderr == b""
    return result.stdout.decode().splitlines()


def decode_json(data, *args, status=0):
    return [json.loads(line) for line in decode(data, "--json", *args, status=status)]


def labelled(lines):
    """{(offset, label): value} of the lines that carry an offset and a label."""
    out = {}
    for line in lines:
        m = re.match(r"^ *(\d+)  (  )?(\S+) +(.*)$", line)
        if m and not re.match(r"^[0-9a-f]{2}$", m.group(3)):
            out[(int(m.group(1)), m.group(3))] = m.group(4)
    return out


# --- the RFC examples (digest §4.14, §5.3) ----------------------------------------

NULL_30 = greeting(3, 0)            # §4.14: FF 00*8 7F 03 00 "NULL" ...
CLIENT_READY = octets("04 29 05 52 45 41 44 59 0B 53 6F 63 6B 65 74 2D 54 79 70 65"
                      "00 00 00 06 44 45 41 4C 45 52 08 49 64 65 6E 74 69 74 79 00 00 00 00")


def test_rfc_worked_example_dealer_ready_with_identity():
    assert len(CLIENT_READY) == 43
    assert decode(NULL_30 + CLIENT_READY) == [
        "       0  greeting        ZMTP 3.x (23/ZMTP, 37/ZMTP), detected at offset 10",
        "       0  signature       ff 00 00 00 00 00 00 00 00 7f",
        "       1  padding         00 00 00 00 00 00 00 00 (not significant)",
        "      10  version         3.0 (23/ZMTP)",
        "      12  mechanism       NULL",
        "      32  as-server       0",
        "      33  filler          31 octets, all zero",
        "      64  frame           flags 0x04 COMMAND, size 41",
        "      66    05 52 45 41 44 59 0b 53 6f 63 6b 65 74 2d 54 79  .READY.Socket-Ty",
        "      82    70 65 00 00 00 06 44 45 41 4c 45 52 08 49 64 65  pe....DEALER.Ide",
        "      98    6e 74 69 74 79 00 00 00 00                       ntity....",
        "      66  command         READY",
        '      72    property      Socket-Type="DEALER"',
        '      94    property      Identity=""',
        "end: complete (107 octets)",
    ]


def test_libzmq_compat_padding_is_shown_and_not_significant():
    compat = greeting(3, 1, padding=bytes(7) + b"\x01")
    fields = labelled(decode(compat))
    assert fields[(0, "signature")] == "ff 00 00 00 00 00 00 00 01 7f"
    assert fields[(1, "padding")] == "00 00 00 00 00 00 00 01 (not significant)"
    assert fields[(10, "version")] == "3.1 (37/ZMTP)"


def test_as_server_and_other_mechanism():
    fields = labelled(decode(greeting(mechanism=b"PLAIN", as_server=1)))
    assert fields[(12, "mechanism")] == "PLAIN"
    assert fields[(32, "as-server")] == "1"


def test_help_example_prints_what_the_help_says():
    text = zwire("decode", "--help", status=0).stdout.decode()
    script = text.split("Example:")[1].split("\nprints\n")
    command = "\n".join(script[0].splitlines()[1:]).replace("zwire decode", ZWIRE + " decode")
    shown = [line[2:] for line in script[1].splitlines()]
    result = subprocess.run(["/bin/sh", "-c", command], capture_output=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().splitlines() == shown
    assert shown == decode(NULL_30 + CLIENT_READY)


def test_3_0_subscription_message_is_a_plain_frame():   # §4.14: 00 02 01 41
    lines = decode(NULL_30 + octets("00 02 01 41 00 02 00 41"))
    assert lines[-5:] == [
        "      64  frame           flags 0x00, size 2",
        "      66    01 41                                            .A",
        "      68  frame           flags 0x00, size 2",
        "      70    00 41                                            .A",
        "end: complete (72 octets)",
    ]


def test_3_1_subscribe_ping_pong():     # §5.3
    lines = decode(greeting() + octets("04 0B 09 53 55 42 53 43 52 49 42 45 41"
                                       "04 07 04 50 49 4E 47 00 1E  04 05 04 50 4F 4E 47"))
    assert [line for line in lines if re.match(r" +\d+  (command|  )", line)
            and not re.match(r" +\d+    [0-9a-f]{2} ", line)] == [
        "      66  command         SUBSCRIBE",
        '      76    topic         "A"',
        "      79  command         PING",
        "      84    ttl           30 deciseconds (3.0 s)",
        '      86    context       ""',
        "      88  command         PONG",
        '      93    context       ""',
    ]
    assert lines[-1] == "end: complete (93 octets)"


def test_ping_with_context_and_no_ttl():
    fields = labelled(decode(greeting() + command(b"PING", b"\x00\x00\x01\x02")))
    assert fields[(71, "ttl")] == "0 deciseconds (0.0 s, no TTL)"
    assert fields[(73, "context")] == "0x0102"


def test_error_400():   # §4.14: 04 0A 05 "ERROR" 03 "400"
    lines = decode(greeting() + octets("04 0A 05 45 52 52 4F 52 03 34 30 30"))
    assert lines[-3:] == [
        "      66  command         ERROR",
        '      72    reason        "400"',
        "end: complete (76 octets)",
    ]


def test_unknown_command_shows_its_data():
    fields = labelled(decode(greeting() + command(b"FOO", b"\x00bar")))
    assert fields[(66, "command")] == "FOO (not a command of NULL)"
    assert fields[(70, "data")] == "0x00626172"


def test_frame_flags_and_long_sizes():
    data = greeting() + frame(b"", more=True) + frame(b"x" * 300, more=True) + frame(b"y", long=True)
    assert decode(data, "--max-body", "4")[-7:] == [
        "      64  frame           flags 0x01 MORE, size 0",
        "      66  frame           flags 0x03 MORE+LONG, size 300",
        "      75    78 78 78 78                                      xxxx",
        "      79    ... 296 more octets not shown",
        "     375  frame           flags 0x02 LONG, size 1",
        "     384    79                                               y",
        "end: complete (385 octets)",
    ]


# --- PLAIN and CURVE --------------------------------------------------------------

def test_plain_hello_welcome_initiate():
    data = (greeting(mechanism=b"PLAIN") + command(b"HELLO", b"\x05admin\x06secret")
            + command(b"WELCOME") + command(b"INITIATE", prop(b"Socket-Type", b"REQ")))
    fields = labelled(decode(data))
    assert fields[(72, "username")] == '"admin"'
    assert fields[(78, "password")] == '"secret"'
    assert fields[(87, "command")] == "WELCOME"
    assert fields[(97, "command")] == "INITIATE"
    assert fields[(106, "property")] == 'Socket-Type="REQ"'


def test_curve_hello_fields_in_hex():
    key = bytes(range(32))
    hello = command(b"HELLO", b"\x01\x00" + bytes(72) + key + b"\x22" * 8 + b"\x33" * 80)
    fields = labelled(decode(greeting(mechanism=b"CURVE") + hello, "--max-body", "80"))
    assert fields[(72, "version")] == "1.0"
    assert fields[(146, "client-key")] in (key.hex(), "Z85 009c61o!#m2NH?C3>iWS5d]J*6CRx17-skh9337x")
    assert fields[(178, "nonce")] == "22" * 8
    assert fields[(186, "signature-box")] == "33" * 80
    lines = decode(greeting(mechanism=b"CURVE") + hello)
    assert "     146    client-key    " + key.hex() in lines
    assert "     146    client-key    Z85 009c61o!#m2NH?C3>iWS5d]J*6CRx17-skh9337x" in lines
    assert "     186    signature-box " + "33" * 64 + " (80 octets, 64 shown)" in lines


def test_curve_message_and_traffic_commands_are_unknown():
    data = (greeting(mechanism=b"CURVE") + command(b"MESSAGE", b"\xbb" * 8 + b"\xcc" * 17)
            + command(b"PING", b"\x00\x00"))
    fields = labelled(decode(data))
    assert fields[(74, "nonce")] == "bb" * 8
    assert fields[(82, "box")] == "cc" * 17
    assert fields[(101, "command")] == "PING (not a command of CURVE)"


# --- 2.0 and 1.0 peers -------------------------------------------------------------

V20 = octets("ff 00 00 00 00 00 00 00 04 7f 01 05 00 03 61 62 63")   # DEALER "abc"


def test_2_0_greeting_and_frames():
    data = V20 + frame(b"", more=True) + frame(b"ABC") + frame(b"hi", long=True)
    assert decode(data) == [
        "       0  greeting        ZMTP 2.0 (15/ZMTP), detected at offset 10",
        "       0  signature       ff 00 00 00 00 00 00 00 04 7f",
        "       1  padding         00 00 00 00 00 00 00 04 (not significant)",
        "      10  revision        1",
        "      11  socket-type     5 (DEALER)",
        '      12  identity        "abc"',
        "      17  frame           flags 0x01 MORE, size 0",
        "      19  frame           flags 0x00, size 3",
        "      21    41 42 43                                         ABC",
        "      24  frame           flags 0x02 LONG, size 2",
        "      33    68 69                                            hi",
        "end: complete (35 octets)",
    ]


def test_2_0_has_no_command_flag():
    lines = decode(V20 + octets("04 00"), status=1)
    assert lines[-1] == ("error: invalid-flags at offset 17: 2.0 flag bits 2-7 must be zero "
                         "[zmtp20.frame.flags-reserved]")


def test_1_0_greeting_and_traffic_not_decoded():
    assert decode(octets("04 00 61 62 63  01 01")) == [
        "       0  greeting        ZMTP 1.0 (13/ZMTP), detected at offset 0",
        '       0  identity        "abc"',
        "end: not decoded (ZMTP 1.0 traffic from offset 5 on: zwire decodes 2.0 and 3.x "
        "framing only)",
    ]


def test_min_version_refuses_older_peers():
    lines = decode(V20, "--min-version", "3.0", status=1)
    assert lines == [
        "       0  greeting        ZMTP 2.0 (15/ZMTP), detected at offset 10",
        "error: unsupported-version at offset 10: peer protocol below the minimum accepted "
        "[zmtp31.version.downgrade-or-close]",
    ]


# --- errors ------------------------------------------------------------------------

def test_reserved_flag_bit():
    lines = decode(greeting() + octets("08 00"), status=1)
    assert lines[-1] == ("error: invalid-flags at offset 64: flag bits 3-7 must be zero "
                         "[zmtp31.frame.flags-reserved]")


def test_command_with_more():
    lines = decode(greeting() + octets("05 00"), status=1)
    assert lines[-1].startswith("error: invalid-flags at offset 64: ")
    assert lines[-1].endswith(" [zmtp31.frame.command-no-more]")


def test_mechanism_in_lower_case():
    lines = decode(greeting(mechanism=b"null"), status=1)
    assert lines == [
        "       0  greeting        ZMTP 3.x (23/ZMTP, 37/ZMTP), detected at offset 10",
        "error: invalid-mechanism at offset 12: mechanism is not a NUL-padded name "
        "[zmtp31.greeting.mechanism-name]",
    ]


def test_mechanism_option_mismatch():
    lines = decode(greeting(mechanism=b"PLAIN"), "--mechanism", "NULL", status=1)
    assert lines[-1] == ("error: mechanism-mismatch at offset 31: peer mechanism differs from "
                         "ours [zmtp31.greeting.mechanism-match]")


def test_bad_command_body_shows_the_frame_then_the_error():
    data = greeting() + command(b"PING", b"\x00\x01" + bytes(17)) + frame(b"never shown")
    lines = decode(data, status=1)
    assert lines[-4:] == [     # the 17th context octet, at 89, is one too many
        "      64  frame           flags 0x04 COMMAND, size 24",
        "      66    04 50 49 4e 47 00 01 00 00 00 00 00 00 00 00 00  .PING...........",
        "      82    00 00 00 00 00 00 00 00                          ........",
        "error: malformed-command at offset 89: command data does not fit its layout "
        "[zmtp31.command.ping]",
    ]


def test_max_frame_size():
    lines = decode(greeting() + frame(b"x" * 11), "--max-frame-size", "10", status=1)
    assert lines[-1] == ("error: limit-exceeded at offset 65: frame larger than the configured "
                         "maximum [zmtp31.frame.size-limit]")
    assert decode(greeting() + frame(b"x" * 10), "--max-frame-size", "10")[-1] == \
        "end: complete (76 octets)"


# --- ends -----------------------------------------------------------------------------

def test_stream_ends_inside_a_frame_body():
    lines = decode(greeting() + octets("04 05 04 50"))
    assert lines[-3:] == [
        "      64  frame           flags 0x04 COMMAND, size 5 (2 read)",
        "      66    04 50                                            .P",
        "end: incomplete (4 octets into the frame at offset 64)",
    ]


def test_stream_ends_inside_a_frame_header():
    data = greeting() + frame(b"ab") + octets("02 00 00 00")
    assert decode(data)[-1] == "end: incomplete (4 octets into the frame at offset 68)"


def test_stream_ends_inside_the_greeting():
    assert decode(greeting()[:12]) == [
        "       0  greeting        ZMTP 3.x (23/ZMTP, 37/ZMTP), detected at offset 10",
        "end: incomplete (12 octets into the greeting at offset 0)",
    ]
    assert decode(b"") == ["end: incomplete (0 octets into the greeting at offset 0)"]


# --- options ----------------------------------------------------------------------------

def test_no_greeting_with_each_framing():
    data = octets("00 02 01 41")
    for version in ("3.1", "3.0", "2.0"):
        assert decode(data, "--no-greeting", "--zmtp", version) == [
            "       0  frame           flags 0x00, size 2",
            "       2    01 41                                            .A",
            "end: complete (4 octets)",
        ]
    assert labelled(decode(command(b"READY"), "--no-greeting"))[(2, "command")] == "READY"
    lines = decode(command(b"HELLO", b"\x00\x00"), "--no-greeting", "--mechanism", "PLAIN")
    assert labelled(lines)[(8, "username")] == '""'


def test_hex_from_stdin_and_from_a_file(tmp_path):
    data = NULL_30 + CLIENT_READY
    expected = decode(data)
    text = "# the RFC example\n" + data.hex(" ").upper() + "\n"
    assert decode(text.encode(), "--hex") == expected
    path = tmp_path / "capture.hex"
    path.write_text(text)
    assert decode(b"", "--hex", str(path)) == expected
    raw = tmp_path / "capture.bin"
    raw.write_bytes(data)
    assert decode(b"", str(raw)) == expected
    assert decode(data, "-") == expected


@pytest.mark.parametrize("args, text, message", [
    (["--bogus"], b"", "unknown option '--bogus'"),
    (["--zmtp", "3.1"], b"", "--no-greeting"),
    (["--no-greeting", "--zmtp", "4.0"], b"", "--zmtp takes 3.1, 3.0 or 2.0"),
    (["--no-greeting", "--min-version", "2.0"], b"", "--min-version"),
    (["--min-version", "3.1"], b"", "--min-version takes 1.0, 2.0 or 3.0"),
    (["--mechanism", "GSSAPI"], b"", "--mechanism takes NULL, PLAIN or CURVE"),
    (["--max-body"], b"", "--max-body needs a value"),
    (["--max-body", "-1"], b"", "--max-body takes a number"),
    (["--max-frame-size", "1k"], b"", "--max-frame-size takes a number"),
    (["a", "b"], b"", "one FILE at most"),
    (["/nonexistent/capture"], b"", "cannot open /nonexistent/capture"),
    (["/"], b"", "cannot read /"),
    (["--hex"], b"ff 0g", "'g' at character 5 (line 1) is not a hex digit"),
    (["--hex"], b"ff0", "odd number of hex digits"),
])
def test_bad_invocation_exits_3(args, text, message):
    result = zwire("decode", *args, data=text, status=3)
    assert result.stdout == b""
    assert message in result.stderr.decode()


# --- JSON ------------------------------------------------------------------------------------

def test_json_worked_example():
    objects = decode_json(NULL_30 + CLIENT_READY)
    assert [o["type"] for o in objects] == ["greeting", "frame", "command", "end"]
    assert objects[0] == {
        "type": "greeting", "offset": 0, "complete": True, "protocol": "3.0", "detectedAt": 10,
        "size": 64, "signature": "ff00000000000000007f", "padding": "0000000000000000",
        "paddingSignificant": False, "major": 3, "minor": 0, "mechanism": "NULL", "asServer": 0,
        "filler": "00" * 31, "commandLayouts": "NULL"}
    assert objects[1] == {
        "type": "frame", "offset": 64, "flags": 4, "more": False, "long": False, "command": True,
        "size": 41, "headerSize": 2, "received": 41, "body": CLIENT_READY[2:].hex(),
        "truncated": False, "complete": True}
    assert objects[2] == {
        "type": "command", "offset": 66, "name": "READY", "mechanism": "NULL", "known": True,
        "properties": [
            {"offset": 72, "name": "Socket-Type", "size": 6, "value": b"DEALER".hex(),
             "valueText": "DEALER"},
            {"offset": 94, "name": "Identity", "size": 0, "value": "", "valueText": ""}],
        "truncated": False}
    assert objects[3] == {"type": "end", "state": "complete", "offset": 107}


def test_json_commands():
    data = greeting() + octets("04 07 04 50 49 4E 47 00 1E") + command(b"ERROR", b"\x05a\"b\\\x01")
    objects = decode_json(data)
    assert objects[2] == {"type": "command", "offset": 66, "name": "PING", "mechanism": "NULL",
                          "known": True, "ttl": 30, "ttlSeconds": 3.0, "context": "",
                          "contextText": "", "truncated": False}
    assert objects[4]["reason"] == "6122625c01"
    assert "reasonText" not in objects[4]      # 0x01 is not printable
    assert decode_json(greeting() + command(b"ERROR", b'\x04a"\\b'))[2]["reasonText"] == 'a"\\b'


def test_json_truncation_and_incomplete_end():
    objects = decode_json(greeting() + frame(b"0123456789", more=True)[:8], "--max-body", "4")
    assert objects[1] == {
        "type": "frame", "offset": 64, "flags": 1, "more": True, "long": False, "command": False,
        "size": 10, "headerSize": 2, "received": 6, "body": b"0123".hex(), "truncated": True,
        "complete": False}
    assert objects[2] == {"type": "end", "state": "incomplete", "offset": 72, "unit": "frame",
                          "unitOffset": 64, "unitOctets": 8}


def test_json_error_and_partial_greeting():
    objects = decode_json(greeting(mechanism=b"null"), status=1)
    assert objects == [
        {"type": "greeting", "offset": 0, "complete": False, "protocol": "3.x", "detectedAt": 10},
        {"type": "error", "class": "invalid-mechanism", "offset": 12,
         "clause": "zmtp31.greeting.mechanism-name",
         "reason": "mechanism is not a NUL-padded name"}]


def test_json_2_0_and_1_0_greetings():
    objects = decode_json(V20)
    assert objects[0] == {
        "type": "greeting", "offset": 0, "complete": True, "protocol": "2.0", "detectedAt": 10,
        "size": 17, "signature": "ff00000000000000047f", "padding": "0000000000000004",
        "paddingSignificant": False, "revision": 1, "socketType": 5, "socketTypeName": "DEALER",
        "identity": "616263", "identityText": "abc"}
    objects = decode_json(octets("04 00 61 62 63 01 01"))
    assert objects == [
        {"type": "greeting", "offset": 0, "complete": True, "protocol": "1.0", "detectedAt": 0,
         "size": 5, "identity": "616263", "identityText": "abc"},
        {"type": "end", "state": "not-decoded", "offset": 5}]


# --- chunking: the decoders are fed 4 KiB at a time ---------------------------------------

@pytest.mark.parametrize("shift", [0, 1, 3, 5, 8, 9])
def test_units_across_the_4k_chunk_boundary(shift):
    """Frame headers, a long size and a property split at offset 4096."""
    filler = frame(b"f" * (4096 - 64 - 9 - shift - 4))          # ends at 4092 - shift
    ready = command(b"READY", prop(b"Socket-Type", b"ROUTER") + prop(b"X-Big", b"v" * 5000))
    data = greeting() + filler + frame(b"", more=True) + frame(b"x" * 300, more=True) + ready
    objects = decode_json(data, "--max-body", "0")
    frames = [(o["offset"], o["flags"], o["size"]) for o in objects if o["type"] == "frame"]
    start = 64 + len(filler)
    assert frames == [(64, 2, len(filler) - 9), (start, 1, 0), (start + 2, 3, 300),
                      (start + 311, 6, len(ready) - 9)]
    properties = objects[-2]["properties"]
    assert [(p["offset"], p["name"], p["size"]) for p in properties] == [
        (start + 320 + 6, "Socket-Type", 6), (start + 320 + 28, "X-Big", 5000)]
    assert objects[-1] == {"type": "end", "state": "complete", "offset": len(data)}


# --- help --------------------------------------------------------------------------------------

def test_help_mentions_every_option():
    text = zwire("decode", "--help", status=0).stdout.decode()
    for option in ("--hex", "--no-greeting", "--zmtp", "--mechanism", "--max-frame-size",
                   "--min-version", "--json", "--max-body", "--help", "FILE"):
        assert option in text, option
    for key in ("greeting", "frame", "command", "error", "end", "detectedAt", "paddingSignificant",
                "headerSize", "truncated", "properties", "ttlSeconds", "unitOffset", "clause"):
        assert key in text, key
    assert "Usage: zwire decode [options] [FILE]" in text
    assert zwire("help", "decode", status=0).stdout.decode() == text
    assert zwire("decode", "-h", status=0).stdout.decode() == text


def test_help_documents_every_json_key():
    streams = [
        NULL_30 + CLIENT_READY, V20, octets("04 00 61 62 63 01 01"), greeting()[:20],
        greeting(mechanism=b"null"),
        greeting() + octets("04 07 04 50 49 4E 47 00 1E  04 05 04 50 4F 4E 47")
        + command(b"SUBSCRIBE", b"a") + command(b"JOIN", b"g") + command(b"ERROR", b"\x01x")
        + command(b"FOO", b"d") + frame(b"ab")[:3],
        greeting(mechanism=b"PLAIN") + command(b"HELLO", b"\x01u\x01p") + command(b"WELCOME"),
        greeting(mechanism=b"CURVE")
        + command(b"HELLO", b"\x01\x00" + bytes(72 + 32 + 8 + 80))
        + command(b"WELCOME", bytes(160)) + command(b"INITIATE", bytes(96 + 8 + 144))
        + command(b"MESSAGE", bytes(8 + 17)),
    ]
    keys = set()

    def walk(value):
        if isinstance(value, dict):
            keys.update(value)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for data in streams:
        result = zwire("decode", "--json", data=data)
        walk([json.loads(line) for line in result.stdout.decode().splitlines()])
    text = zwire("decode", "--help", status=0).stdout.decode()
    assert len(keys) > 50
    assert [key for key in sorted(keys) if key not in text and not key.endswith("Text")] == []


def test_top_level_help_version_and_unknown_commands():
    text = zwire("--help", status=0).stdout.decode()
    assert re.search(r"^  decode +\S", text, re.M)
    assert zwire("help", status=0).stdout.decode() == text
    assert re.match(r"^zwire \d+\.\d+\.\d+\n$", zwire("--version", status=0).stdout.decode())
    assert "unknown command 'frobnicate'" in zwire("frobnicate", status=3).stderr.decode()
    assert "unknown command 'frobnicate'" in zwire("help", "frobnicate", status=3).stderr.decode()
    assert "Usage: zwire" in zwire(status=3).stderr.decode()
