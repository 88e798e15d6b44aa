"""27/ZAP through the `zap` decoder type and zwire_codec.zap's API: the RFC's example
exchanges as on the wire, both directions and both envelopes, every error class at its
frame index with its clause, the address check (IPv4 dotted quad, RFC 5952 canonical
IPv6 with IPv4-mapped mixed notation), the round trip frame for frame, and the encoders'
refusals."""

import ipaddress
import pathlib
import random
import re

import pytest

from zwire_codec import errors
from zwire_codec import DecodeError, EncodeError, ZapError, encode, make_decoder, run_decoder
from zwire_codec import zap
from zwire_codec.zap import Reply, Request

ZAP = "zap"
REQUEST, REPLY = "request", "reply"
DELIMITER, NONE = "delimiter", "none"
ENVELOPES = (DELIMITER, NONE)
ROOT = pathlib.Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec" / "zap.md"
FORMAT = ROOT / "vectors" / "FORMAT.md"

KEY = bytes(range(32))


def zap_section():
    text = FORMAT.read_text()
    return text.split("### `zap` (27/ZAP)", 1)[1].split("\n## ", 1)[0]


def format_rules():
    """FORMAT.md's zap rules table: {class: set of clause IDs}."""
    rules = {}
    for line in zap_section().splitlines():
        match = re.match(r"^\| `(zap-[a-z-]+)` \|", line)
        if match:
            clause_cell = line.rstrip(" |").rsplit(" | ", 1)[1]
            rules[match.group(1)] = set(re.findall(r"`(zap\.[a-z0-9.-]+)`", clause_cell))
    return rules


RULES = format_rules()


def registry_ids():
    ids = set()
    for line in SPEC.read_text().splitlines():
        match = re.match(r"^\| (zap\.[a-z0-9.-]+) \|", line)
        if match:
            ids.add(match.group(1))
    return ids


def frames_of(frames, envelope):
    """The frames of a message written with its delimiter, under an envelope."""
    return list(frames) if envelope == DELIMITER else list(frames[1:])


def params_of(direction, envelope):
    return {"direction": direction, "envelope": envelope}


def check_valid(frames, message, direction=REQUEST, envelope=DELIMITER):
    """Complete with this message object; encodes back to the same frames every way."""
    params = params_of(direction, envelope)
    got = run_decoder(ZAP, params, frames)
    assert got == {"state": "complete", "error": None, "message": message}, got
    assert got == zap.decode(frames, direction, envelope)
    assert encode(ZAP, params, got) == list(frames)
    parsed = zap.parse(frames, direction, envelope)
    assert parsed.to_report() == message and parsed.direction == direction
    assert zap.encode(parsed, direction, envelope) == list(frames)
    assert zap.encode(message, direction, envelope) == list(frames)
    assert type(parsed).from_report(message) == parsed
    return parsed


def check_error(frames, cls, offset, clause, direction=REQUEST, envelope=DELIMITER):
    """The report's error, ZapError from parse, the class and clause as FORMAT.md's table."""
    assert clause in RULES[cls], (cls, clause)
    got = run_decoder(ZAP, params_of(direction, envelope), frames)
    assert got == {"state": "error", "message": None,
                   "error": {"class": cls, "offset": offset, "clause": clause}}, got
    with pytest.raises(ZapError) as caught:
        zap.parse(frames, direction, envelope)
    assert caught.value == ZapError(cls, offset, clause)
    assert caught.value.frame == offset
    return got


def check_error_both(frames, cls, offset, clause, direction=REQUEST):
    """`frames` written with the delimiter, `offset` counting it: both envelopes."""
    check_error(frames, cls, offset, clause, direction, DELIMITER)
    check_error(frames[1:], cls, offset - 1, clause, direction, NONE)


def req(request_id=b"0001", domain=b"test", address=b"192.168.55.1", identity=b"BOB",
        mechanism=b"NULL", credentials=()):
    """The frames of a request with its delimiter (RFC 27's NULL example by default)."""
    return [b"", b"1.0", request_id, domain, address, identity, mechanism] + list(credentials)


def rep(request_id=b"0001", status_code=b"200", status_text=b"OK", user_id=b"joe",
        metadata=b""):
    """The frames of a reply with its delimiter (RFC 27's example reply by default)."""
    return [b"", b"1.0", request_id, status_code, status_text, user_id, metadata]


def req_m(request_id=b"0001", domain=b"test", address=b"192.168.55.1", identity=b"BOB",
          mechanism=b"NULL", credentials=()):
    return {"request_id": request_id.hex(), "domain": domain.hex(), "address": address.hex(),
            "identity": identity.hex(), "mechanism": mechanism.hex(),
            "credentials": [frame.hex() for frame in credentials]}


def rep_m(request_id=b"0001", status_code=b"200", status_text=b"OK", user_id=b"joe",
          metadata=b""):
    return {"request_id": request_id.hex(), "status_code": status_code.hex(),
            "status_text": status_text.hex(), "user_id": user_id.hex(),
            "metadata": metadata.hex()}


# ------------------------------------------------------------ RFC 27 example exchanges

# "Example of NULL Authentication", as on the wire (frame contents only)
NULL_REQUEST = [b"", b"1.0", b"0001", b"test", b"192.168.55.1", b"BOB", b"NULL"]
# "Example of PLAIN Authentication"
PLAIN_REQUEST = [b"", b"1.0", b"0001", b"test", b"192.168.55.1", b"BOB", b"PLAIN",
                 b"admin", b"secret"]
# the reply of both examples
OK_REPLY = [b"", b"1.0", b"0001", b"200", b"OK", b"joe", b""]


@pytest.mark.parametrize("envelope", ENVELOPES)
def test_rfc_null_example(envelope):
    request = check_valid(frames_of(NULL_REQUEST, envelope), req_m(), REQUEST, envelope)
    assert request == Request(b"0001", b"test", b"192.168.55.1", b"BOB", b"NULL", [])
    reply = check_valid(frames_of(OK_REPLY, envelope), rep_m(), REPLY, envelope)
    assert reply == Reply(b"0001", b"200", b"OK", b"joe", b"")
    assert reply.request_id == request.request_id  # echoed, unmodified


@pytest.mark.parametrize("envelope", ENVELOPES)
def test_rfc_plain_example(envelope):
    message = req_m(mechanism=b"PLAIN", credentials=[b"admin", b"secret"])
    request = check_valid(frames_of(PLAIN_REQUEST, envelope), message, REQUEST, envelope)
    assert request.credentials == [b"admin", b"secret"]
    check_valid(frames_of(OK_REPLY, envelope), rep_m(), REPLY, envelope)


def test_rfc_examples_from_hex():
    # as a vector holds them: one lower-case hex string per frame, the delimiter ""
    hexed = ["", "312e30", "30303031", "74657374", "3139322e3136382e35352e31", "424f42",
             "4e554c4c"]
    assert run_decoder(ZAP, {}, hexed)["message"] == req_m()
    assert [frame.hex() for frame in encode(ZAP, {}, run_decoder(ZAP, {}, hexed))] == hexed


def test_defaults_are_request_and_delimiter():
    assert run_decoder(ZAP, {}, NULL_REQUEST) == run_decoder(ZAP, None, NULL_REQUEST)
    assert run_decoder(ZAP, {}, NULL_REQUEST)["state"] == "complete"
    assert zap.decode(NULL_REQUEST) == zap.decode(NULL_REQUEST, REQUEST, DELIMITER)
    assert zap.encode(req_m()) == NULL_REQUEST
    assert run_decoder(ZAP, {"direction": REPLY}, OK_REPLY)["state"] == "complete"
    assert run_decoder(ZAP, {"envelope": NONE}, NULL_REQUEST[1:])["state"] == "complete"


# ---------------------------------------------------------------------- valid messages

@pytest.mark.parametrize("envelope", ENVELOPES)
def test_curve_request(envelope):
    frames = req(mechanism=b"CURVE", credentials=[KEY])
    check_valid(frames_of(frames, envelope), req_m(mechanism=b"CURVE", credentials=[KEY]),
                REQUEST, envelope)


def test_opaque_fields_take_anything():
    # request id, identity and credentials of other mechanisms are opaque; empty included
    binary = bytes(range(256))
    check_valid(req(request_id=b""), req_m(request_id=b""))
    check_valid(req(request_id=binary * 4), req_m(request_id=binary * 4))
    check_valid(req(identity=b""), req_m(identity=b""))
    check_valid(req(identity=b"\xff" * 255), req_m(identity=b"\xff" * 255))
    check_valid(req(mechanism=b"PLAIN", credentials=[b"", b""]),
                req_m(mechanism=b"PLAIN", credentials=[b"", b""]))
    check_valid(req(mechanism=b"PLAIN", credentials=[binary, b"\x80" * 300]),
                req_m(mechanism=b"PLAIN", credentials=[binary, b"\x80" * 300]))
    check_valid(req(mechanism=b"CURVE", credentials=[b"\x00" * 32]),
                req_m(mechanism=b"CURVE", credentials=[b"\x00" * 32]))


def test_other_mechanisms_take_any_credentials():
    for mechanism in (b"GSSAPI", b"X", b"null", b"Plain", b"curve", b"NULL ", b"\x00"):
        for credentials in ([], [b""], [b"a", b"b", b"c"], [KEY, KEY]):
            check_valid(req(mechanism=mechanism, credentials=credentials),
                        req_m(mechanism=mechanism, credentials=credentials))


def test_strings_up_to_255_ascii_octets():
    longest = bytes(i % 128 for i in range(255))
    check_valid(req(domain=longest), req_m(domain=longest))
    check_valid(req(domain=b"\x00"), req_m(domain=b"\x00"))
    check_valid(req(mechanism=b"M" * 255), req_m(mechanism=b"M" * 255))
    check_valid(rep(status_text=longest), rep_m(status_text=longest), REPLY)
    check_valid(rep(user_id=longest), rep_m(user_id=longest), REPLY)
    check_valid(rep(status_text=b"", user_id=b""), rep_m(status_text=b"", user_id=b""), REPLY)


def test_every_status_code():
    for code in (b"200", b"300", b"400", b"500"):
        check_valid(rep(status_code=code, user_id=b""), rep_m(status_code=code, user_id=b""),
                    REPLY)
    check_valid(rep(status_code=b"200", user_id=b"admin"), rep_m(user_id=b"admin"), REPLY)


def test_metadata_property_lists():
    one = b"\x04User\x00\x00\x00\x03bob"
    two = one + b"\x0bX-Custom.+_\x00\x00\x00\x00"
    for metadata in (b"", one, two, b"\x01a\x00\x00\x00\x00",
                     b"\x01A\x00\x00\x00\x01z"):
        check_valid(rep(metadata=metadata), rep_m(metadata=metadata), REPLY)
    # non-200 replies may carry metadata too: FORMAT.md does not forbid it
    check_valid(rep(status_code=b"400", user_id=b"", metadata=one),
                rep_m(status_code=b"400", user_id=b"", metadata=one), REPLY)


def test_a_reply_whose_request_id_is_not_the_requests_is_well_formed():
    # zap-bad-request-id is a session class: the codec cannot tell
    check_valid(rep(request_id=b"9999"), rep_m(request_id=b"9999"), REPLY)
    assert "zap-bad-request-id" in errors.SESSION_CLASSES


def test_the_delimiter_envelope_decides_what_frame_0_is():
    # without the delimiter, frame 0 is the version: an empty frame there is no version
    check_error(NULL_REQUEST, "zap-bad-version", 0, "zap.request.version", REQUEST, NONE)
    check_error(OK_REPLY, "zap-bad-version", 0, "zap.reply.version", REPLY, NONE)


# ------------------------------------------------------------------------------ errors

def test_empty_input():
    for direction in (REQUEST, REPLY):
        for envelope in ENVELOPES:
            check_error([], "zap-missing-frame", 0, f"zap.{direction}.frames", direction,
                        envelope)


def test_invalid_delimiter():
    for frame in (b"\x00", b"1.0", b"x"):
        check_error([frame] + NULL_REQUEST[1:], "zap-invalid-delimiter", 0,
                    "zap.request.delimiter")
        check_error([frame] + OK_REPLY[1:], "zap-invalid-delimiter", 0, "zap.reply.delimiter",
                    REPLY)
    # a delimiter check comes before any other: a lone non-empty frame
    check_error([b"x"], "zap-invalid-delimiter", 0, "zap.request.delimiter")


def test_bad_version():
    for version in (b"", b"1.1", b"2.0", b"1.0\x00", b"1", b" 1.0", b"1.00", b"\x01\x00"):
        frames = req()
        frames[1] = version
        check_error_both(frames, "zap-bad-version", 1, "zap.request.version")
        frames = rep()
        frames[1] = version
        check_error_both(frames, "zap-bad-version", 1, "zap.reply.version", REPLY)


def test_missing_request_frames():
    # the message ends before each frame the layout needs: delimiter .. mechanism
    frames = req()
    for count in range(len(frames)):
        check_error(frames[:count], "zap-missing-frame", count, "zap.request.frames")
    for count in range(len(frames) - 1):
        check_error(frames[1:1 + count], "zap-missing-frame", count, "zap.request.frames",
                    REQUEST, NONE)


def test_missing_reply_frames():
    # every reply frame is needed, the metadata frame included (it may be empty)
    frames = rep()
    for count in range(len(frames)):
        check_error(frames[:count], "zap-missing-frame", count, "zap.reply.frames", REPLY)
    for count in range(len(frames) - 1):
        check_error(frames[1:1 + count], "zap-missing-frame", count, "zap.reply.frames",
                    REPLY, NONE)


def test_extra_reply_frame():
    check_error_both(rep() + [b""], "zap-extra-frame", 7, "zap.reply.frames", REPLY)
    check_error_both(rep() + [b"x", b"y"], "zap-extra-frame", 7, "zap.reply.frames", REPLY)


def test_invalid_domain():
    check_error_both(req(domain=b""), "zap-invalid-domain", 3, "zap.request.domain")
    for domain in (b"\x80", b"caf\xc3\xa9", b"t" * 256, b"\xff" * 300):
        check_error_both(req(domain=domain), "zap-invalid-domain", 3, "zap.strings.ascii")


VALID_ADDRESSES = [
    b"192.168.55.1", b"0.0.0.0", b"255.255.255.255", b"10.0.0.1", b"1.2.3.4",
    b"::", b"::1", b"1::", b"2001:db8::1", b"fe80::1:2", b"2001:db8:0:1:1:1:1:1",
    b"1:2:3:4:5:6:7:8", b"2001:db8::1:0:0:1", b"2001:0:0:1::1", b"1::1:0:0:1",
    b"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", b"::ffff:1.2.3.4", b"::ffff:192.168.55.1",
    b"::ffff:0.0.0.0", b"::fffe:102:304", b"64:ff9b::102:304", b"::1:ffff:102:304",
]

INVALID_ADDRESSES = [
    # IPv4: leading zeros, out of range, not four numbers, signs, spaces, non-ASCII digits
    b"", b"192.168.055.1", b"01.2.3.4", b"00.0.0.0", b"256.0.0.1", b"1.2.3", b"1.2.3.4.5",
    b"1.2.3.", b".1.2.3", b"1..2.3", b"+1.2.3.4", b"1.2.3.-4", b" 1.2.3.4", b"1.2.3.4 ",
    b"1.2.3.4\x00", b"0x1.2.3.4", b"1.2.3.4:5555", "\u0661.2.3.4".encode(), b"localhost",
    b"tcp://1.2.3.4",
    # IPv6, RFC 5952: upper case, leading zeros, :: not on the longest / first run,
    # :: for a single group, a run of zeros left uncompressed, other text forms
    b"2001:DB8::1", b"::FFFF:1.2.3.4", b"2001:0db8::1", b"0::1", b"::0:1",
    b"2001:db8:0:0:1:0:0:1", b"2001:0:0:1:0:0:0:1",
    b"2001:db8:0:0:1::1", b"1:0::1:1:1:1:1", b"1::1:1:1:1:1:1:1",
    b"2001:db8:0:1:1:1:1::", b"::2:3:4:5:6:7:8", b"1:2:3:4:5:6:7:8:9", b"1:2:3:4:5:6:7",
    b"::1::", b"1:::1", b":1::", b"::1:", b"12345::", b"g::1", b"::1%eth0", b"[::1]",
    b"0:0:0:0:0:0:0:1", b"0:0:0:0:0:0:0:0",
    # IPv4-mapped: mixed notation only, the dotted quad strict; no other embedding
    b"::ffff:102:304", b"::ffff:c0a8:3701", b"0:0:0:0:0:ffff:1.2.3.4", b"::ffff:01.2.3.4",
    b"::ffff:1.2.3.256", b"::ffff:1.2.3", b"::1.2.3.4", b"64:ff9b::1.2.3.4",
    b"::ffff:0:1.2.3.4", b"1:2:3:4:5:6:1.2.3.4", b"::ffff:1.2.3.4:1",
]


def test_valid_addresses():
    for address in VALID_ADDRESSES:
        assert zap.is_address(address), address
        check_valid(req(address=address), req_m(address=address))


def test_invalid_addresses():
    for address in INVALID_ADDRESSES:
        assert not zap.is_address(address), address
        check_error_both(req(address=address), "zap-invalid-address", 4,
                         "zap.request.address")


def test_canonical_ipv6_against_ipaddress():
    # ipaddress prints RFC 5952 for every address but the IPv4-mapped ones (Python 3.11
    # prints ::ffff:102:304): mapped addresses are compared with their dotted quad
    rng = random.Random(27)
    choices = (0, 0, 0, 1, 0xFFFF, None)
    for i in range(20000):
        if i % 4 == 0:
            octets = bytes(10) + b"\xff\xff" + rng.randbytes(4)
        else:
            groups = [rng.choice(choices) for _ in range(8)]
            groups = [rng.randrange(0x10000) if g is None else g for g in groups]
            octets = b"".join(g.to_bytes(2, "big") for g in groups)
        address = ipaddress.IPv6Address(octets)
        text = zap.canonical_ipv6(octets)
        if address.ipv4_mapped is not None:
            assert text == f"::ffff:{address.ipv4_mapped}"
        else:
            assert text == address.compressed
        assert zap.parse_ipv6(text.encode()) == octets
        assert zap.is_address(text.encode())
        if address.exploded != text:
            assert not zap.is_address(address.exploded.encode()), address.exploded
        if text.upper() != text:
            assert not zap.is_address(text.upper().encode())


def test_canonical_ipv6_rules():
    def v6(text):
        return ipaddress.IPv6Address(text).packed
    assert zap.canonical_ipv6(bytes(16)) == "::"
    assert zap.canonical_ipv6(v6("2001:db8:0:0:1:0:0:1")) == "2001:db8::1:0:0:1"  # first
    assert zap.canonical_ipv6(v6("2001:0:0:1:0:0:0:1")) == "2001:0:0:1::1"       # longest
    assert zap.canonical_ipv6(v6("2001:db8:0:1:1:1:1:1")) == "2001:db8:0:1:1:1:1:1"  # one
    assert zap.canonical_ipv6(v6("2001:DB8::00AB")) == "2001:db8::ab"
    assert zap.canonical_ipv6(v6("::ffff:192.0.2.1")) == "::ffff:192.0.2.1"
    assert zap.canonical_ipv6(v6("::ffff:c000:201")) == "::ffff:192.0.2.1"
    with pytest.raises(ValueError):
        zap.canonical_ipv6(bytes(4))


def test_invalid_identity():
    for identity in (b"\x00" * 256, b"x" * 1000):
        check_error_both(req(identity=identity), "zap-invalid-identity", 5,
                         "zap.request.identity")


def test_invalid_mechanism():
    check_error_both(req(mechanism=b""), "zap-invalid-mechanism", 6, "zap.request.mechanism")
    for mechanism in (b"NUL\x80", b"\xff", b"M" * 256):
        check_error_both(req(mechanism=mechanism), "zap-invalid-mechanism", 6,
                         "zap.strings.ascii")


def test_null_takes_no_credentials():
    for credentials in ([b""], [b"x"], [b"", b""]):
        check_error_both(req(credentials=credentials), "zap-invalid-credentials", 7,
                         "zap.null.no-credentials")


def test_plain_takes_exactly_two_frames():
    clause = "zap.plain.credentials"
    check_error_both(req(mechanism=b"PLAIN"), "zap-invalid-credentials", 7, clause)
    check_error_both(req(mechanism=b"PLAIN", credentials=[b"admin"]),
                     "zap-invalid-credentials", 8, clause)
    check_error_both(req(mechanism=b"PLAIN", credentials=[b"admin", b"secret", b""]),
                     "zap-invalid-credentials", 9, clause)
    check_error_both(req(mechanism=b"PLAIN", credentials=[b"a", b"b", b"c", b"d"]),
                     "zap-invalid-credentials", 9, clause)


def test_curve_takes_one_32_octet_key():
    clause = "zap.curve.credentials"
    check_error_both(req(mechanism=b"CURVE"), "zap-invalid-credentials", 7, clause)
    for key in (b"", KEY[:31], KEY + b"\x00", KEY * 2):
        check_error_both(req(mechanism=b"CURVE", credentials=[key]),
                         "zap-invalid-credentials", 7, clause)
    # the first frame that does not fit: a short key before an extra frame
    check_error_both(req(mechanism=b"CURVE", credentials=[KEY[:31], KEY]),
                     "zap-invalid-credentials", 7, clause)
    check_error_both(req(mechanism=b"CURVE", credentials=[KEY, KEY]),
                     "zap-invalid-credentials", 8, clause)


def test_invalid_status_code():
    for code in (b"", b"100", b"201", b"200 ", b" 200", b"2OO", b"OK", b"\x00\xc8", b"600",
                 b"0200", b"20"):
        check_error_both(rep(status_code=code, user_id=b""), "zap-invalid-status-code", 3,
                         "zap.reply.status-code", REPLY)


def test_invalid_status_text():
    for text in (b"\x80", b"caf\xc3\xa9", b"x" * 256):
        check_error_both(rep(status_text=text), "zap-invalid-text", 4, "zap.strings.ascii",
                         REPLY)


def test_invalid_user_id():
    for user_id in (b"\x80", b"j\xf6e", b"u" * 256):
        check_error_both(rep(user_id=user_id), "zap-invalid-user-id", 5, "zap.strings.ascii",
                         REPLY)
    for code in (b"300", b"400", b"500"):
        check_error_both(rep(status_code=code, user_id=b"joe"), "zap-invalid-user-id", 5,
                         "zap.reply.user-id-empty", REPLY)
    # both broken: the string check is named first (our rule)
    check_error_both(rep(status_code=b"400", user_id=b"\x80"), "zap-invalid-user-id", 5,
                     "zap.strings.ascii", REPLY)


def test_invalid_metadata():
    for metadata in (
        b"\x00",                                  # a name of no octet
        b"\x04Us",                                # a name cut by the frame's end
        b"\x04Us r\x00\x00\x00\x00",              # a name octet outside name-char
        b"\x04User\x00\x00",                      # a value size cut
        b"\x04User\x00\x00\x00\x05bob",           # a value cut
        b"\x04User\x80\x00\x00\x00",              # a value size >= 2^31
        b"\x04User\x00\x00\x00\x03bob\x01",       # a second property cut
    ):
        check_error_both(rep(metadata=metadata), "zap-invalid-metadata", 6,
                         "zap.reply.metadata", REPLY)


def test_first_failure_wins_in_frame_order():
    # a bad version before a bad domain, a bad domain before a bad address, ...
    frames = req(domain=b"", address=b"x", identity=b"i" * 300, mechanism=b"")
    frames[1] = b"2.0"
    check_error_both(frames, "zap-bad-version", 1, "zap.request.version")
    check_error_both(req(domain=b"", address=b"x"), "zap-invalid-domain", 3,
                     "zap.request.domain")
    check_error_both(req(address=b"x", identity=b"i" * 300), "zap-invalid-address", 4,
                     "zap.request.address")
    check_error_both(req(identity=b"i" * 300, mechanism=b""), "zap-invalid-identity", 5,
                     "zap.request.identity")
    check_error_both(req(mechanism=b"", credentials=[b"x"]), "zap-invalid-mechanism", 6,
                     "zap.request.mechanism")
    # a bad frame before a missing one: the frames are read in order
    check_error_both(req()[:5] + [b"\x00" * 256], "zap-invalid-identity", 5,
                     "zap.request.identity")
    check_error_both(req(address=b"")[:5], "zap-invalid-address", 4, "zap.request.address")
    check_error_both(rep(status_code=b"999")[:4], "zap-invalid-status-code", 3,
                     "zap.reply.status-code", REPLY)
    check_error_both(rep(metadata=b"\x00") + [b"x"], "zap-invalid-metadata", 6,
                     "zap.reply.metadata", REPLY)
    check_error_both(rep(status_text=b"\x80", user_id=b"\x80"), "zap-invalid-text", 4,
                     "zap.strings.ascii", REPLY)


# ----------------------------------------------------------- the contract, checked

def test_classes_are_formats():
    assert set(RULES) == set(errors.ZAP_CLASSES)
    for cls in errors.ZAP_CLASSES:
        assert cls in errors.ALL_CLASSES


def test_every_clause_the_codec_cites_is_formats():
    # every clause ID written in zap.py is in FORMAT.md's zap table, and the other way
    source = pathlib.Path(zap.__file__).read_text()
    cited = set(re.findall(r'"(zap\.[a-z0-9.-]+)"', source))
    cited |= {"zap.request.frames", "zap.reply.frames"}  # built from the direction
    assert cited == set().union(*RULES.values())


@pytest.mark.skipif(not SPEC.exists(), reason="spec/zap.md not written yet")
def test_clauses_are_in_the_registry():
    ids = registry_ids()
    for clauses in RULES.values():
        for clause in clauses:
            assert clause in ids, clause


def test_zap_error_is_a_decode_error_with_a_frame_index():
    err = ZapError("zap-invalid-address", 4, "zap.request.address")
    assert isinstance(err, DecodeError) and err.frame == 4
    assert err.as_report() == {"class": "zap-invalid-address", "offset": 4,
                               "clause": "zap.request.address"}
    with pytest.raises(ValueError):
        ZapError("zap-no-such-class", 0, "x")


# ------------------------------------------------------------------------------ params

def test_bad_params():
    for params in ({"direction": "to-server"}, {"envelope": "routing-id"},
                   {"direction": "reply", "envelope": ""}):
        with pytest.raises(ValueError):
            run_decoder(ZAP, params, NULL_REQUEST)
    with pytest.raises(ValueError):
        zap.decode(NULL_REQUEST, "answer")
    with pytest.raises(ValueError):
        zap.encode(req_m(), REQUEST, "envelope")


def test_make_decoder_points_at_run_decoder():
    with pytest.raises(ValueError):
        make_decoder(ZAP, {}, 0)


# -------------------------------------------------------------------------- round trip

@pytest.mark.parametrize("envelope", ENVELOPES)
@pytest.mark.parametrize("frames, direction", [
    (NULL_REQUEST, REQUEST), (PLAIN_REQUEST, REQUEST), (OK_REPLY, REPLY),
    (req(mechanism=b"CURVE", credentials=[KEY]), REQUEST),
    (req(request_id=b"", identity=b"", address=b"::ffff:10.0.0.1"), REQUEST),
    (req(mechanism=b"GSSAPI", credentials=[b"", b"tok", b""]), REQUEST),
    (rep(status_code=b"400", status_text=b"", user_id=b""), REPLY),
    (rep(metadata=b"\x04User\x00\x00\x00\x03bob"), REPLY),
])
def test_round_trip(frames, direction, envelope):
    frames = frames_of(frames, envelope)
    params = params_of(direction, envelope)
    got = run_decoder(ZAP, params, frames)
    assert got["state"] == "complete"
    assert encode(ZAP, params, got) == frames
    parsed = zap.parse(frames, direction, envelope)
    assert zap.parse(zap.encode(parsed, direction, envelope), direction, envelope) == parsed


def test_a_message_encodes_under_either_envelope():
    request = zap.parse(NULL_REQUEST)
    assert zap.encode(request, REQUEST, NONE) == NULL_REQUEST[1:]
    assert zap.encode(request, REQUEST, DELIMITER) == NULL_REQUEST


def test_encode_refuses_a_message_of_the_other_direction():
    with pytest.raises(ValueError):
        zap.encode(zap.parse(NULL_REQUEST), REPLY)
    with pytest.raises(ValueError):
        zap.encode(zap.parse(OK_REPLY, REPLY), REQUEST)
    with pytest.raises(ValueError):
        encode(ZAP, {"direction": REPLY}, run_decoder(ZAP, {}, NULL_REQUEST))
    with pytest.raises(ValueError):
        encode(ZAP, {}, run_decoder(ZAP, {"direction": REPLY}, OK_REPLY))
    with pytest.raises(ValueError):
        zap.encode(dict(req_m(), status_code="323030"))
    with pytest.raises(ValueError):
        zap.encode({k: v for k, v in rep_m().items() if k != "metadata"}, REPLY)


def test_encode_refuses_an_error_report():
    with pytest.raises(ValueError):
        encode(ZAP, {}, run_decoder(ZAP, {}, []))


# ---------------------------------------------------------------------------- encoders

def test_helpers():
    assert zap.request(b"0001", "test", "192.168.55.1", b"BOB", "NULL") == NULL_REQUEST
    assert zap.request(b"0001", b"test", b"192.168.55.1", b"BOB", b"PLAIN",
                       [b"admin", b"secret"]) == PLAIN_REQUEST
    assert zap.request(b"0001", "test", "192.168.55.1", b"BOB", "NULL",
                       envelope=NONE) == NULL_REQUEST[1:]
    assert zap.reply(b"0001", "200", "OK", "joe") == OK_REPLY
    assert zap.reply(b"0001", b"200", b"OK", b"joe", b"", envelope=NONE) == OK_REPLY[1:]
    assert zap.reply(b"7", "400", "no") == [b"", b"1.0", b"7", b"400", b"no", b"", b""]
    assert zap.request(bytearray(b"1"), "d", "::1", memoryview(b""), "CURVE", [KEY])[-1] == KEY


def test_encoders_refuse_what_the_decoder_refuses():
    cases = [
        (lambda: zap.request(b"1", "", "1.2.3.4", b"", "NULL"), "zap-invalid-domain",
         "zap.request.domain"),
        (lambda: zap.request(b"1", "d", "2001:DB8::1", b"", "NULL"), "zap-invalid-address",
         "zap.request.address"),
        (lambda: zap.request(b"1", "d", "1.2.3.4", b"x" * 256, "NULL"),
         "zap-invalid-identity", "zap.request.identity"),
        (lambda: zap.request(b"1", "d", "1.2.3.4", b"", ""), "zap-invalid-mechanism",
         "zap.request.mechanism"),
        (lambda: zap.request(b"1", "d", "1.2.3.4", b"", "PLAIN", [b"admin"]),
         "zap-invalid-credentials", "zap.plain.credentials"),
        (lambda: zap.request(b"1", "d", "1.2.3.4", b"", "CURVE", [b"short"]),
         "zap-invalid-credentials", "zap.curve.credentials"),
        (lambda: zap.reply(b"1", "201"), "zap-invalid-status-code", "zap.reply.status-code"),
        (lambda: zap.reply(b"1", "500", "x", "joe"), "zap-invalid-user-id",
         "zap.reply.user-id-empty"),
        (lambda: zap.reply(b"1", "200", metadata=b"\x00"), "zap-invalid-metadata",
         "zap.reply.metadata"),
    ]
    for make, cls, clause in cases:
        with pytest.raises(EncodeError) as caught:
            make()
        assert (caught.value.cls, caught.value.clause) == (cls, clause)
        assert isinstance(caught.value, ValueError)


def test_encode_unchecked_writes_a_hostile_message():
    hostile = Request(b"1", b"", b"not an address", b"", b"PLAIN", [])
    assert zap.encode(hostile, check=False) == [b"", b"1.0", b"1", b"", b"not an address",
                                                 b"", b"PLAIN"]
    with pytest.raises(EncodeError):
        zap.encode(hostile)


def test_encoders_refuse_what_is_not_frames():
    with pytest.raises(ValueError):
        zap.request(b"1", "d", "1.2.3.4", b"", "PLAIN", b"admin")
    with pytest.raises(ValueError):
        zap.encode(Request(b"1", b"d", b"1.2.3.4", b"", b"PLAIN", [b"a", "b"]))
    with pytest.raises(ValueError):
        zap.request("1", "d", "1.2.3.4", b"", "NULL")
    with pytest.raises(ValueError):
        zap.reply(None, "200")
    with pytest.raises(ValueError):
        zap.encode(["", "1.0"])
    with pytest.raises(ValueError):
        zap.encode(dict(req_m(), credentials="00"))
    with pytest.raises(UnicodeEncodeError):
        zap.request(b"1", "caf\u00e9", "1.2.3.4", b"", "NULL")
