"""zwire_codec: an independent pure-Python codec for the ZMTP wire grammars.

A second implementation, written from the RFC digest and vectors/FORMAT.md (never from
codec/), so that two codecs must agree on every golden vector. It covers the greeting
with 1.0 / 2.0 / 3.x detection (13, 15, 23, 37/ZMTP), the 2.0 and 3.x frame stream,
command bodies for NULL (23, 37), PLAIN (24) and CURVE (25, 26), metadata, and Z85 (32),
Majordomo messages (7/MDP 0.1, 18/MDP 0.2) as frame lists (module `mdp`), Freelance
messages (10/FLP) as frame lists (module `flp`), and ZAP requests and replies (27/ZAP) as
frame lists (module `zap`). Every byte decoder is a push decoder with chunk-invariant
reports; every error is a DecodeError(class, offset, clause) (MdpError for Majordomo,
FlpError for Freelance, ZapError for ZAP, their offsets frame indexes).
Stdlib only, except `curvezmq` (CurveZMQ's boxes, on python3-nacl), which is imported by
name and never from here; `handshake` and `plain_handshake` hold the mechanism handshakes'
shared error and PLAIN's.
"""

from . import flp, mdp, zap
from .command import CommandDecoder, encode_command
from .errors import DecodeError, EncodeError
from .frame import FrameDecoder, encode_frame
from .flp import FlpError
from .greeting import (GreetingDecoder, encode_greeting_v1, encode_greeting_v2,
                       encode_greeting_v3)
from .mdp import MdpError
from .metadata import MetadataDecoder, encode_properties, encode_property
from .report import encode, make_decoder, run_decoder
from .z85 import Z85Decoder, z85_decode, z85_encode
from .zap import ZapError

__all__ = [
    "CommandDecoder", "DecodeError", "EncodeError", "FlpError", "FrameDecoder",
    "GreetingDecoder", "MdpError", "MetadataDecoder", "Z85Decoder", "encode", "encode_command",
    "encode_frame", "encode_greeting_v1", "encode_greeting_v2", "encode_greeting_v3",
    "encode_properties", "encode_property", "flp", "make_decoder", "mdp", "run_decoder",
    "ZapError", "z85_decode", "z85_encode", "zap",
]
