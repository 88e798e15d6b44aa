"""The runner's entry points: decode chunks into FORMAT.md's normal-form report, and
encode a complete valid report back to octets (the round trip of FORMAT.md step 4).

Decoder types and params (FORMAT.md "Decoders"):
  greeting  minVersion ("1.0" default, "2.0", "3.0"; "3.1" also accepted), mechanism
  frames    zmtpVersion ("3.1" default, "3.0", "2.0"), maxFrameSize (2^63-1),
            mechanism ("NULL" default, "PLAIN", "CURVE")
  command   mechanism; zmtpVersion (extension, "3.1" default: picks zmtp30 clause IDs)
  metadata  zmtpVersion (extension, as for command)
  z85       none
  mdp       version ("any" default, "0.1", "0.2"), subprotocol ("any" default, "client",
            "worker"); the input is one Majordomo message's frames, never re-chunked
            (mdp.py), and encode() gives the list of frames back
  flp       direction ("to-server" default, "to-client"); a frame list as for mdp (flp.py)
  zap       direction ("request" default, "reply"), envelope ("delimiter" default, "none");
            a frame list as for mdp (zap.py)
For command, metadata and z85 the total length (the sum of the chunks) is given to the
decoder before feeding (FORMAT.md step 3). Chunks may be bytes or hex strings. Reports
carry the codec's error object {"class", "offset", "clause"}.

Round trip: `encode(type, params, report)` writes the canonical encoding of the decoded
structure; it equals the input for every valid input not flagged NonCanonical. For
`greeting` the report's `greeting` object picks the version's encoder; for `frames` each
frame is re-encoded (a command frame from its command object, under params.mechanism).
"""

from .command import CommandDecoder, encode_command
from .frame import DEFAULT_MAX_FRAME_SIZE, FrameDecoder, encode_frame_report
from .flp import encode_report_message as encode_flp_message, run_flp
from .greeting import (GreetingDecoder, encode_greeting_v1, encode_greeting_v2,
                       encode_greeting_v3)
from .mdp import encode_report_message, run_mdp
from .metadata import MetadataDecoder, encode_properties
from .z85 import Z85Decoder, z85_encode
from .zap import encode_report_message as encode_zap_message, run_zap

TYPES = ("greeting", "frames", "command", "metadata", "z85", "mdp", "flp", "zap")
FAMILIES = {"3.1": "zmtp31", "3.0": "zmtp30"}


def make_decoder(type_, params, total):
    """A fresh push decoder for a test group's type and params."""
    params = params or {}
    if type_ == "greeting":
        return GreetingDecoder(params.get("minVersion", "1.0"), params.get("mechanism"))
    if type_ == "frames":
        return FrameDecoder(params.get("zmtpVersion", "3.1"),
                            params.get("maxFrameSize", DEFAULT_MAX_FRAME_SIZE),
                            params.get("mechanism", "NULL"))
    family = FAMILIES.get(params.get("zmtpVersion", "3.1"))
    if family is None:
        raise ValueError(f"unsupported zmtpVersion {params['zmtpVersion']!r}")
    if type_ == "command":
        return CommandDecoder(total, params.get("mechanism", "NULL"), family)
    if type_ == "metadata":
        return MetadataDecoder(total, family)
    if type_ == "z85":
        return Z85Decoder(total)
    if type_ == "mdp":
        raise ValueError("mdp decodes whole frame lists: call run_decoder or mdp.decode")
    if type_ == "flp":
        raise ValueError("flp decodes whole frame lists: call run_decoder or flp.decode")
    if type_ == "zap":
        raise ValueError("zap decodes whole frame lists: call run_decoder or zap.decode")
    raise ValueError(f"unknown decoder type {type_!r}")


def as_octets(chunk):
    return bytes.fromhex(chunk) if isinstance(chunk, str) else bytes(chunk)


def run_decoder(type_, params, chunks):
    """Feed the chunks in order; return the normal-form report. For "mdp", "flp" and "zap"
    the chunks are the message's frames (bytes or hex), decoded as one list."""
    chunks = [as_octets(chunk) for chunk in chunks]
    if type_ == "mdp":
        return run_mdp(params, chunks)
    if type_ == "flp":
        return run_flp(params, chunks)
    if type_ == "zap":
        return run_zap(params, chunks)
    decoder = make_decoder(type_, params, sum(len(chunk) for chunk in chunks))
    for chunk in chunks:
        decoder.push(chunk)
    return decoder.report()


def encode(type_, params, report):
    """The canonical octets of a complete valid report (for "mdp", "flp", "zap": a list of
    frames)."""
    params = params or {}
    if report.get("state") != "complete" or report.get("error") is not None:
        raise ValueError("only a complete valid report can be encoded")
    if type_ == "greeting":
        return encode_greeting(report["greeting"])
    if type_ == "frames":
        mechanism = params.get("mechanism", "NULL")
        return b"".join(encode_frame_report(frame, mechanism) for frame in report["frames"])
    if type_ == "command":
        return encode_command(report["command"], params.get("mechanism", "NULL"))
    if type_ == "metadata":
        return encode_properties(report["properties"])
    if type_ == "z85":
        return z85_encode(bytes.fromhex(report["decoded"]))
    if type_ == "mdp":
        return encode_report_message(params, report["message"])
    if type_ == "flp":
        return encode_flp_message(params, report["message"])
    if type_ == "zap":
        return encode_zap_message(params, report["message"])
    raise ValueError(f"unknown decoder type {type_!r}")


def encode_greeting(greeting):
    """A greeting object G back to octets, by its version."""
    version = greeting["version"]
    identity = bytes.fromhex(greeting.get("identity", ""))
    if version == "1.0":
        return encode_greeting_v1(identity)
    if version == "2.0":
        return encode_greeting_v2(greeting["revision"], greeting["socketType"], identity)
    return encode_greeting_v3(greeting["major"], greeting["minor"], greeting["mechanism"],
                              greeting["asServer"])
