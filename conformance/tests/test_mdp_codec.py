"""7/MDP 0.1 and 18/MDP 0.2 through the `mdp` decoder type and zwire_codec.mdp's API:
every message of both versions, the params, each error class at its frame index, and
the encoders' refusals."""

import pathlib
import re

import pytest

from zwire_codec import errors
from zwire_codec import (DecodeError, EncodeError, MdpError, encode, make_decoder, mdp,
                         run_decoder)
from zwire_codec.mdp import Message, decode

MDP = "mdp"
E = b""
C1, W1, C2, W2 = b"MDPC01", b"MDPW01", b"MDPC02", b"MDPW02"
SPEC = pathlib.Path(__file__).resolve().parents[2] / "spec"


def registry_ids():
    ids = set()
    for name in ("mdp01.md", "mdp02.md"):
        for line in (SPEC / name).read_text().splitlines():
            match = re.match(r"^\| (mdp0[12]\.[a-z0-9.-]+) \|", line)
            if match:
                ids.add(match.group(1))
    return ids


IDS = registry_ids()


def report(frames, **params):
    return run_decoder(MDP, params, frames)


def check_valid(frames, message, **params):
    """Complete with this message object; encodes back to the same frames."""
    got = report(frames, **params)
    assert got == {"state": "complete", "error": None, "message": message}, got
    assert encode(MDP, params, got) == list(frames)
    assert decode(frames, **params).to_frames() == list(frames)
    return got


def check_error(frames, cls, offset, clause, **params):
    assert clause in IDS, clause
    got = report(frames, **params)
    assert got == {"state": "error", "message": None,
                   "error": {"class": cls, "offset": offset, "clause": clause}}, got
    with pytest.raises(MdpError) as caught:
        decode(frames, **params)
    assert caught.value == MdpError(cls, offset, clause)
    return got


# ------------------------------------------------------------------ every valid message

def m(version, side, command, **fields):
    out = {"version": version, "subprotocol": side, "command": command}
    for key, value in fields.items():
        out[key] = [f.hex() for f in value] if key == "body" else value.hex()
    return out


VALID = [
    # 0.1 client: REQUEST and REPLY share one layout
    ([E, C1, b"echo", b"hello"], m("0.1", "client", None, service=b"echo", body=[b"hello"])),
    ([E, C1, b"echo", E], m("0.1", "client", None, service=b"echo", body=[E])),
    ([E, C1, b"a b~", b"x", E, b"\x00\xff"],
     m("0.1", "client", None, service=b"a b~", body=[b"x", E, b"\x00\xff"])),
    # 0.1 worker
    ([E, W1, b"\x01", b"echo"], m("0.1", "worker", "READY", service=b"echo")),
    ([E, W1, b"\x02", b"\x00\x6b\x8b\x45\x67", E, b"hi"],
     m("0.1", "worker", "REQUEST", address=b"\x00\x6b\x8b\x45\x67", body=[b"hi"])),
    ([E, W1, b"\x03", b"id", E, b"a", b"b"],
     m("0.1", "worker", "REPLY", address=b"id", body=[b"a", b"b"])),
    ([E, W1, b"\x03", E, E, E], m("0.1", "worker", "REPLY", address=E, body=[E])),
    ([E, W1, b"\x04"], m("0.1", "worker", "HEARTBEAT")),
    ([E, W1, b"\x05"], m("0.1", "worker", "DISCONNECT")),
    # 0.2 client
    ([C2, b"\x01", b"echo", b"hello"],
     m("0.2", "client", "REQUEST", service=b"echo", body=[b"hello"])),
    ([C2, b"\x02", b"echo", b"part", b"two"],
     m("0.2", "client", "PARTIAL", service=b"echo", body=[b"part", b"two"])),
    ([C2, b"\x03", b"echo", E], m("0.2", "client", "FINAL", service=b"echo", body=[E])),
    # 0.2 worker
    ([W2, b"\x01", b"echo"], m("0.2", "worker", "READY", service=b"echo")),
    ([W2, b"\x02", b"cid", E, b"hello"],
     m("0.2", "worker", "REQUEST", address=b"cid", body=[b"hello"])),
    ([W2, b"\x03", b"cid", E, b"p"],
     m("0.2", "worker", "PARTIAL", address=b"cid", body=[b"p"])),
    ([W2, b"\x04", E, E, E, E], m("0.2", "worker", "FINAL", address=E, body=[E, E])),
    ([W2, b"\x05"], m("0.2", "worker", "HEARTBEAT")),
    ([W2, b"\x06"], m("0.2", "worker", "DISCONNECT")),
]


@pytest.mark.parametrize("frames, message", VALID)
def test_every_message_decodes_and_round_trips(frames, message):
    version, side = message["version"], message["subprotocol"]
    for v in (version, "any"):
        for s in (side, "any"):
            check_valid(frames, message, version=v, subprotocol=s)
    check_valid(frames, message)  # the defaults are "any" and "any"


def test_hex_frames_are_taken_too():
    got = run_decoder(MDP, {}, ["", C1.hex(), b"echo".hex(), "6869"])
    assert got["message"]["body"] == ["6869"]


def test_decode_returns_a_message():
    message = decode([E, W1, b"\x02", b"cid", E, b"x", b"y"])
    assert message == Message("0.1", "worker", "REQUEST", None, b"cid", [b"x", b"y"])
    assert decode([C2, b"\x01", b"svc", E]) == Message("0.2", "client", "REQUEST", b"svc",
                                                        None, [E])


def test_direction_blind():
    # a worker-side REQUEST from anyone, a client PARTIAL, a READY for an mmi. service
    check_valid([W2, b"\x02", b"w", E, b"x"], m("0.2", "worker", "REQUEST", address=b"w",
                                                   body=[b"x"]), subprotocol="worker")
    check_valid([C2, b"\x02", b"s", b"x"], m("0.2", "client", "PARTIAL", service=b"s",
                                               body=[b"x"]), subprotocol="client")
    check_valid([E, W1, b"\x01", b"mmi.service"],
                m("0.1", "worker", "READY", service=b"mmi.service"))


@pytest.mark.parametrize("name", [b" ", b"~", bytes(range(0x20, 0x7F)), b"x" * 1000])
def test_service_names_of_printable_ascii(name):
    check_valid([E, C1, name, b"b"], m("0.1", "client", None, service=name, body=[b"b"]))
    check_valid([W2, b"\x01", name], m("0.2", "worker", "READY", service=name))


# ----------------------------------------------------------------------------- params

@pytest.mark.parametrize("frames", [[C2, b"\x01", b"s", b"b"], [W2, b"\x05"]])
def test_version_01_refuses_a_02_message_at_frame_0(frames):
    side = "client" if frames[0] == C2 else "worker"
    check_error(frames, "mdp-invalid-header", 0,
                "mdp01.grammar.client-request" if side == "client" else "mdp01.grammar.ready",
                version="0.1", subprotocol=side)


@pytest.mark.parametrize("frames", [[E, C1, b"s", b"b"], [E, W1, b"\x04"]])
def test_version_02_refuses_a_01_message_at_frame_0(frames):
    side = "client" if frames[1] == C1 else "worker"
    check_error(frames, "mdp-invalid-header", 0, f"mdp02.grammar.{side}-header",
                version="0.2", subprotocol=side)


def test_subprotocol_narrows_the_headers():
    check_error([E, W1, b"\x04"], "mdp-invalid-header", 1, "mdp01.grammar.client-request",
                subprotocol="client")
    check_error([E, C1, b"s", b"b"], "mdp-invalid-header", 1, "mdp01.grammar.ready",
                subprotocol="worker")
    check_error([W2, b"\x05"], "mdp-invalid-header", 0, "mdp02.grammar.client-header",
                subprotocol="client")
    check_error([C2, b"\x01", b"s", b"b"], "mdp-invalid-header", 0,
                "mdp02.grammar.worker-header", subprotocol="worker")


@pytest.mark.parametrize("params", [{"version": "1.0"}, {"subprotocol": "broker"},
                                    {"version": None}])
def test_unknown_params_are_refused(params):
    with pytest.raises(ValueError):
        run_decoder(MDP, params, [E, W1, b"\x04"])


def test_encode_checks_the_message_against_the_params():
    got = report([W2, b"\x05"])
    assert encode(MDP, {"version": "0.2", "subprotocol": "worker"}, got) == [W2, b"\x05"]
    with pytest.raises(ValueError):
        encode(MDP, {"version": "0.1"}, got)
    with pytest.raises(ValueError):
        encode(MDP, {"subprotocol": "client"}, got)
    with pytest.raises(ValueError):
        encode(MDP, {}, report([W2]))  # only a complete report


def test_mdp_is_not_a_push_decoder():
    with pytest.raises(ValueError):
        make_decoder(MDP, {}, 0)


# ------------------------------------------------------------------------ header errors

def test_empty_input_is_a_missing_frame_at_0():
    check_error([], "mdp-missing-frame", 0, "mdp02.grammar.client-header")
    check_error([], "mdp-missing-frame", 0, "mdp02.grammar.worker-header", subprotocol="worker")
    check_error([], "mdp-missing-frame", 0, "mdp01.grammar.client-request", version="0.1")
    check_error([], "mdp-missing-frame", 0, "mdp01.grammar.ready", version="0.1",
                subprotocol="worker")


def test_a_lone_empty_frame_misses_the_01_header():
    check_error([E], "mdp-missing-frame", 1, "mdp01.grammar.client-request")
    check_error([E], "mdp-missing-frame", 1, "mdp01.grammar.ready", subprotocol="worker")
    check_error([E], "mdp-invalid-header", 0, "mdp02.grammar.client-header", version="0.2")


def test_an_empty_frame_then_a_02_header_is_refused_at_frame_1():  # DECISIONS M2-2
    check_error([E, C2, b"\x01", b"s", b"b"], "mdp-invalid-header", 1,
                "mdp02.grammar.client-header")
    check_error([E, W2, b"\x05"], "mdp-invalid-header", 1, "mdp02.grammar.worker-header")
    # under version 0.1 the 0.1 layouts; 0x05 is a 0.2 code, not 0.1's DISCONNECT
    check_error([E, W2, b"\x05"], "mdp-invalid-header", 1, "mdp01.grammar.ready",
                version="0.1")


def test_a_01_header_without_its_empty_frame_is_refused_at_frame_0():
    check_error([C1, b"s", b"b"], "mdp-invalid-header", 0, "mdp01.grammar.client-request")
    check_error([W1, b"\x01", b"s"], "mdp-invalid-header", 0, "mdp01.grammar.ready")
    check_error([W1, b"\x04"], "mdp-invalid-header", 0, "mdp01.grammar.heartbeat",
                version="0.1")
    check_error([W1, b"\x04"], "mdp-invalid-header", 0, "mdp02.grammar.worker-header",
                version="0.2")


@pytest.mark.parametrize("header", [b"mdpc02", b"MDPC2", b"MDPC020", b"MDPC03", b"\x00", b" "])
def test_headers_compare_byte_for_byte(header):
    check_error([header, b"\x01", b"s", b"b"], "mdp-invalid-header", 0,
                "mdp02.grammar.client-header")
    check_error([E, header, b"s", b"b"], "mdp-invalid-header", 1,
                "mdp01.grammar.client-request")


def test_header_clause_follows_the_command_frame_on_the_01_worker_side():
    check_error([E, b"MDPW1", b"\x02", b"a", E, b"b"], "mdp-invalid-header", 1,
                "mdp01.grammar.worker-request")
    check_error([b"junk", W1, b"\x05"], "mdp-invalid-header", 0, "mdp01.grammar.disconnect",
                version="0.1")
    check_error([E, b"XXXXXX", b"\x03", b"a", E, b"b"], "mdp-invalid-header", 1,
                "mdp01.grammar.worker-reply")
    check_error([E, b"XXXXXX", b"svc", b"b"], "mdp-invalid-header", 1,
                "mdp01.grammar.client-request")


# ----------------------------------------------------------------------- command errors

@pytest.mark.parametrize("frames, at, clause", [
    ([E, W1, b"\x00"], 2, "mdp01.grammar.ready"),
    ([E, W1, b"\x06"], 2, "mdp01.grammar.ready"),  # 0.2's DISCONNECT code
    ([E, W1, b"\x01\x00", b"s"], 2, "mdp01.grammar.ready"),
    ([E, W1, E, b"s"], 2, "mdp01.grammar.ready"),
    ([C2, b"\x04", b"s", b"b"], 1, "mdp02.grammar.client-command"),
    ([C2, b"\x00", b"s", b"b"], 1, "mdp02.grammar.client-command"),
    ([C2, b"1", b"s", b"b"], 1, "mdp02.grammar.client-command"),
    ([W2, b"\x07"], 1, "mdp02.grammar.worker-command"),
    ([W2, b"\x05\x05"], 1, "mdp02.grammar.worker-command"),
    ([W2, E], 1, "mdp02.grammar.worker-command"),
])
def test_invalid_command_at_the_command_frame(frames, at, clause):
    check_error(frames, "mdp-invalid-command", at, clause)


def test_missing_command_frame():
    check_error([E, W1], "mdp-missing-frame", 2, "mdp01.grammar.ready")
    check_error([C2], "mdp-missing-frame", 1, "mdp02.grammar.client-command")
    check_error([W2], "mdp-missing-frame", 1, "mdp02.grammar.worker-command")


# ----------------------------------------------------------------------- service errors

@pytest.mark.parametrize("name", [E, b"\x1f", b"ab\x7f", b"caf\xc3\xa9", b"a\x00", b"\t"])
def test_invalid_service_name(name):
    check_error([E, C1, name, b"b"], "mdp-invalid-service", 2, "mdp01.grammar.service-name")
    check_error([E, W1, b"\x01", name], "mdp-invalid-service", 3, "mdp01.grammar.service-name")
    for code in (b"\x01", b"\x02", b"\x03"):
        check_error([C2, code, name, b"b"], "mdp-invalid-service", 2,
                    "mdp02.grammar.service-name")
    check_error([W2, b"\x01", name], "mdp-invalid-service", 2, "mdp02.grammar.service-name")


# --------------------------------------------------------------------- delimiter errors

def test_non_empty_delimiter():
    check_error([E, W1, b"\x02", b"a", b"x", b"b"], "mdp-invalid-delimiter", 4,
                "mdp01.request.empty-after-address")
    check_error([W2, b"\x04", b"a", b"x", b"b"], "mdp-invalid-delimiter", 3,
                "mdp02.request.empty-after-address")


def test_a_second_address_frame_is_refused_where_the_delimiter_should_be():
    check_error([E, W1, b"\x03", b"a", b"b", E, b"body"], "mdp-invalid-delimiter", 4,
                "mdp01.request.one-address")
    check_error([W2, b"\x02", b"a", b"b", E, b"body"], "mdp-invalid-delimiter", 3,
                "mdp02.request.one-address")


# ------------------------------------------------------------------------ missing frames

@pytest.mark.parametrize("frames, clause", [
    ([E, C1], "mdp01.grammar.client-request"),
    ([E, C1, b"s"], "mdp01.grammar.client-request"),
    ([E, W1, b"\x01"], "mdp01.grammar.ready"),
    ([E, W1, b"\x02"], "mdp01.grammar.worker-request"),
    ([E, W1, b"\x02", b"a"], "mdp01.grammar.worker-request"),
    ([E, W1, b"\x03", b"a", E], "mdp01.grammar.worker-reply"),
    ([C2, b"\x01"], "mdp02.grammar.client-request"),
    ([C2, b"\x02", b"s"], "mdp02.grammar.client-partial"),
    ([C2, b"\x03", b"s"], "mdp02.grammar.client-final"),
    ([W2, b"\x01"], "mdp02.grammar.ready"),
    ([W2, b"\x02", b"a", E], "mdp02.grammar.worker-request"),
    ([W2, b"\x03", b"a"], "mdp02.grammar.worker-partial"),
    ([W2, b"\x04"], "mdp02.grammar.worker-final"),
])
def test_missing_frame_at_the_number_of_frames(frames, clause):
    check_error(frames, "mdp-missing-frame", len(frames), clause)


# -------------------------------------------------------------------------- extra frames

@pytest.mark.parametrize("frames, at, clause", [
    ([E, W1, b"\x01", b"s", E], 4, "mdp01.grammar.ready"),
    ([E, W1, b"\x04", b"x", b"y"], 3, "mdp01.grammar.heartbeat"),
    ([E, W1, b"\x05", E], 3, "mdp01.grammar.disconnect"),
    ([W2, b"\x01", b"s", b"s"], 3, "mdp02.grammar.ready"),
    ([W2, b"\x05", E], 2, "mdp02.grammar.heartbeat"),
    ([W2, b"\x06", b"x"], 2, "mdp02.grammar.disconnect"),
])
def test_extra_frame_after_a_fixed_length_command(frames, at, clause):
    check_error(frames, "mdp-extra-frame", at, clause)


def test_the_first_failure_wins_frame_by_frame():
    # a bad service before an extra frame
    check_error([W2, b"\x01", E, b"x"], "mdp-invalid-service", 2, "mdp02.grammar.service-name")
    # a bad header before a bad command
    check_error([b"MDPW03", b"\x09"], "mdp-invalid-header", 0, "mdp02.grammar.worker-header")
    # a bad command before a missing frame
    check_error([C2, b"\x09"], "mdp-invalid-command", 1, "mdp02.grammar.client-command")
    # a bad delimiter before a missing body
    check_error([W2, b"\x02", b"a", b"x"], "mdp-invalid-delimiter", 3,
                "mdp02.request.empty-after-address")


def test_the_six_classes_are_formats():
    text = (SPEC.parent / "vectors" / "FORMAT.md").read_text()
    paragraph = text[text.index("Majordomo classes"):].split("\n\n")[0]
    assert set(errors.MDP_CLASSES) == set(re.findall(r"`(mdp-[a-z-]+)`", paragraph))


def test_mdp_error_is_a_decode_error_with_a_frame_index():
    err = MdpError("mdp-extra-frame", 2, "mdp02.grammar.heartbeat")
    assert isinstance(err, DecodeError) and err.frame == 2
    with pytest.raises(ValueError):
        MdpError("mdp-no-such-class", 0, "x")


def test_every_clause_the_codec_can_cite_exists():
    tables = (mdp.LAYOUT_CLAUSES, mdp.COMMAND_CLAUSES, mdp.SERVICE_CLAUSES,
              mdp.ONE_ADDRESS_CLAUSES, mdp.DELIMITER_CLAUSES, mdp.OTHER_VERSION_CLAUSES)
    cited = {clause for table in tables for clause in table.values()}
    cited |= {f"mdp02.grammar.{side}-header" for side in ("client", "worker")}
    assert cited <= IDS, cited - IDS


# ----------------------------------------------------------------------------- encoders

def test_helpers_write_the_rfc_layouts():
    assert mdp.client_request("echo", [b"hi"], "0.1") == [E, C1, b"echo", b"hi"]
    assert mdp.client_request(b"echo", [b"hi"], "0.2") == [C2, b"\x01", b"echo", b"hi"]
    assert mdp.client_reply("echo", [b"a", E], "0.1") == [E, C1, b"echo", b"a", E]
    assert mdp.client_partial("echo", [b"p"], "0.2") == [C2, b"\x02", b"echo", b"p"]
    assert mdp.client_final("echo", [E], "0.2") == [C2, b"\x03", b"echo", E]
    assert mdp.worker_ready("echo", "0.1") == [E, W1, b"\x01", b"echo"]
    assert mdp.worker_ready("echo", "0.2") == [W2, b"\x01", b"echo"]
    assert mdp.worker_request(b"c", [b"x"], "0.1") == [E, W1, b"\x02", b"c", E, b"x"]
    assert mdp.worker_request(b"c", [b"x"], "0.2") == [W2, b"\x02", b"c", E, b"x"]
    assert mdp.worker_reply(b"c", [b"x"], "0.1") == [E, W1, b"\x03", b"c", E, b"x"]
    assert mdp.worker_partial(b"c", [b"x"], "0.2") == [W2, b"\x03", b"c", E, b"x"]
    assert mdp.worker_final(b"c", [b"x"], "0.2") == [W2, b"\x04", b"c", E, b"x"]
    assert mdp.heartbeat("0.1") == [E, W1, b"\x04"]
    assert mdp.heartbeat("0.2") == [W2, b"\x05"]
    assert mdp.disconnect("0.1") == [E, W1, b"\x05"]
    assert mdp.disconnect("0.2") == [W2, b"\x06"]


def test_helper_output_decodes():
    for frames in (mdp.client_request("s", [E], "0.1"), mdp.client_final("s", [E], "0.2"),
                   mdp.worker_request(E, [E], "0.1"), mdp.worker_final(E, [E], "0.2"),
                   mdp.heartbeat("0.2"), mdp.disconnect("0.1")):
        assert decode(frames).to_frames() == frames


def refused(call, cls=None, clause=None):
    with pytest.raises(ValueError) as caught:
        call()
    if cls is not None:
        assert isinstance(caught.value, EncodeError)
        assert (caught.value.cls, caught.value.clause) == (cls, clause)
        assert clause in IDS
    return caught.value


def test_encoders_refuse_bad_service_names():
    refused(lambda: mdp.client_request("", [b"x"], "0.1"),
            "mdp-invalid-service", "mdp01.grammar.service-name")
    refused(lambda: mdp.worker_ready(b"a\x00", "0.2"),
            "mdp-invalid-service", "mdp02.grammar.service-name")
    refused(lambda: mdp.client_request("café", [b"x"], "0.2"),
            "mdp-invalid-service", "mdp02.grammar.service-name")
    refused(lambda: mdp.worker_ready(None, "0.2"), "mdp-missing-frame", "mdp02.grammar.ready")


def test_encoders_refuse_a_message_without_body():
    refused(lambda: mdp.client_request("s", [], "0.1"),
            "mdp-missing-frame", "mdp01.grammar.client-request")
    refused(lambda: mdp.worker_final(b"c", [], "0.2"),
            "mdp-missing-frame", "mdp02.grammar.worker-final")
    refused(lambda: mdp.worker_request(None, [b"x"], "0.2"),
            "mdp-missing-frame", "mdp02.grammar.worker-request")


def test_encoders_refuse_commands_the_version_lacks():
    refused(lambda: mdp.client_reply("s", [b"x"], "0.2"),
            "mdp-invalid-command", "mdp02.grammar.client-command")
    refused(lambda: mdp.client_partial("s", [b"x"], "0.1"),
            "mdp-invalid-command", "mdp01.grammar.client-reply")
    refused(lambda: mdp.worker_reply(b"c", [b"x"], "0.2"),
            "mdp-invalid-command", "mdp02.grammar.worker-command")
    refused(lambda: mdp.worker_final(b"c", [b"x"], "0.1"),
            "mdp-invalid-command", "mdp01.grammar.worker-reply")
    refused(lambda: mdp.encode_message(Message("0.1", "client", "REQUEST", b"s", body=[E])),
            "mdp-invalid-command", "mdp01.grammar.client-request")
    refused(lambda: mdp.encode_message(Message("0.2", "client", "READY", b"s")),
            "mdp-invalid-command", "mdp02.grammar.client-command")
    refused(lambda: mdp.encode_message(Message("0.1", "worker", "PARTIAL", None, E, [E])),
            "mdp-invalid-command", "mdp01.grammar.ready")


def test_encoders_refuse_fields_the_layout_has_no_frame_for():
    refused(lambda: mdp.encode_message(Message("0.2", "worker", "HEARTBEAT", body=[E])),
            "mdp-extra-frame", "mdp02.grammar.heartbeat")
    refused(lambda: mdp.encode_message(Message("0.1", "worker", "READY", b"s", body=[b"x"])),
            "mdp-extra-frame", "mdp01.grammar.ready")
    refused(lambda: mdp.encode_message(Message("0.2", "worker", "FINAL", b"s", b"c", [E])),
            "mdp-extra-frame", "mdp02.grammar.worker-final")
    refused(lambda: mdp.encode_message(Message("0.1", "client", None, b"s", b"c", [E])),
            "mdp-extra-frame", "mdp01.grammar.client-request")


def test_encoders_refuse_bad_arguments():
    refused(lambda: mdp.heartbeat("any"))
    refused(lambda: mdp.heartbeat("0.3"))
    refused(lambda: mdp.client_final("s", [E], "1"))
    refused(lambda: mdp.encode_message(Message("0.2", "broker", "READY", b"s")))
    err = refused(lambda: mdp.client_request("s", b"hello", "0.1"))
    assert "list of frames" in str(err)
    refused(lambda: mdp.client_request("s", ["text"], "0.2"))
    refused(lambda: mdp.worker_request("c", [E], "0.2"))
