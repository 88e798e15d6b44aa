#!/usr/bin/python3
"""Generate the zwire Majordomo golden vectors: vectors/mdp/{mdp01,mdp02,mdp_any}_test.json.

Kept in the repository for provenance (see vectors/FORMAT.md, decoder `mdp`).

Like gen_zmtp.py, this generator is an independent view of the layouts: it never decodes
anything.  Every vector is one row of a table below: its frames, written out, and its
expected report, written out too: the message for a well-formed input, or the error class
and the FRAME index (FORMAT.md: the index of the frame that made the message invalid, or the
number of frames when the message ended before a frame its layout needs).  The helpers only
build report objects from the values a row gives them; none of them derives an offset.

The layouts (spec/mdp01.md, spec/mdp02.md; frames as a DEALER socket sends them, without the
identity frame a broker's ROUTER adds):

  0.1 MDP/Client (REQUEST and REPLY alike)  "" | MDPC01 | service | body+
  0.1 MDP/Worker READY                      "" | MDPW01 | 01 | service
                 REQUEST / REPLY            "" | MDPW01 | 02 / 03 | address | "" | body+
                 HEARTBEAT / DISCONNECT     "" | MDPW01 | 04 / 05
  0.2 MDP/Client REQUEST / PARTIAL / FINAL  MDPC02 | 01 / 02 / 03 | service | body+
  0.2 MDP/Worker READY                      MDPW02 | 01 | service
                 REQUEST / PARTIAL / FINAL  MDPW02 | 02 / 03 / 04 | address | "" | body+
                 HEARTBEAT / DISCONNECT     MDPW02 | 05 / 06

The result of a malformed message is not written here: spec/leniency.md gives it for each
input class (MdpHeader, MdpCommand, MdpServiceName, MdpDelimiter, MdpMissingFrame,
MdpExtraFrame: acceptable, since every MDP layout binds the sender and the broker's rule
for invalid messages is a SHOULD), and vector_file.leniency derives it from the flags.

tcIds come from vectors/tools/tcids.json (areas mdp01, mdp02, mdp_any), assigned by
vector_file.py as for gen_zmtp.py: a slug keeps its tcId forever, a new slug gets max(all ids
ever used in the file) + 1, a slug no longer generated is retired.

Usage:
    /usr/bin/python3 vectors/tools/gen_mdp.py           # write files + registry
    /usr/bin/python3 vectors/tools/gen_mdp.py --check   # exit 1 if anything would change
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import vector_file  # noqa: E402
from vector_file import LENIENCY, TABLE  # noqa: E402

OUTDIR = vector_file.VECDIR / "mdp"

# The specs whose wire clauses these vectors must all cite.
GENERATED_SPECS = ("mdp01", "mdp02")


# --------------------------------------------------------------------------
# Flags (notes).  Each file carries only the flags its vectors use.

NOTES = {
    "Valid": ("BASIC", "A well-formed message: every conformant decoder takes it and reports `message`."),
    "MultiFrameBody": ("EDGE_CASE", "Several body frames: the body is every frame after the fixed ones, "
                                    "in order."),
    "EmptyFrame": ("EDGE_CASE", "An empty body frame or client address: body frames and the address are "
                                "opaque and may be empty (DECISIONS M11, M12, M2-15)."),
    "BinaryBody": ("EDGE_CASE", "A body or address frame holding octets outside ASCII (every value "
                                "0x00..0xFF): the body is opaque binary."),
    "ServiceNameBounds": ("EDGE_CASE", "A service name at the edges of 0x20..0x7E (a space, a tilde, the "
                                      "whole range) or equal to a header: still a name (DECISIONS M9, "
                                      "M2-14)."),
    "MmiService": ("EDGE_CASE", "A READY naming an `mmi.` service: well formed, so the codec takes it; the "
                                "broker disconnects such a worker (mmi.namespace.worker-disconnect, "
                                "DECISIONS M5), which is the session's business, not the decoder's."),
    "DirectionBlind": ("EDGE_CASE", "A command whose sender the layout does not show (a REQUEST to a worker, "
                                    "a PARTIAL or FINAL to a client): the decoder checks layouts, not who "
                                    "may send what (FORMAT.md; DECISIONS M6, M2-9)."),
    "Envelope": ("EDGE_CASE", "The client address of a worker-side REQUEST, REPLY, PARTIAL or FINAL: exactly "
                              "one opaque frame (empty included), then the empty delimiter "
                              "(DECISIONS M12, M2-13)."),
    "CrossVersion": ("EDGE_CASE", "A header or command octet of the other MDP version: 0.1 and 0.2 number the "
                                  "worker commands differently (0x03 REPLY / PARTIAL, 0x04 HEARTBEAT / FINAL, "
                                  "0x05 DISCONNECT / HEARTBEAT, 0x06 only in 0.2); the header decides."),
    "VersionPolicy": ("MODIFIED_PARAMETER", "A message of an MDP version the group's `version` param does not "
                                            "accept."),
    "SubprotocolPolicy": ("MODIFIED_PARAMETER", "A message of a sub-protocol the group's `subprotocol` param "
                                                "does not accept."),
    "VersionDetection": ("EDGE_CASE", "A group of version `any` (a broker speaking both): the first frames "
                                      "decide (DECISIONS M2-2): an empty frame then MDPC01 / MDPW01 is 0.1, "
                                      "MDPC02 / MDPW02 first is 0.2, anything else is no header."),
    "Empty": ("EDGE_CASE", "A message of no frame at all."),
    "FirstErrorWins": ("EDGE_CASE", "Two faults in one message: the decoder reports the one in the earlier "
                                    "frame and decodes nothing after it."),
}

# The flags that name an input class of spec/leniency.md: their description comes from the
# table (vector_file.describe), only their bug type from here.
NOTES.update({
    "MdpHeader": ("MALFORMED_INPUT", None), "MdpCommand": ("MALFORMED_INPUT", None),
    "MdpServiceName": ("MALFORMED_INPUT", None), "MdpDelimiter": ("MALFORMED_INPUT", None),
    "MdpMissingFrame": ("MALFORMED_INPUT", None), "MdpExtraFrame": ("MALFORMED_INPUT", None),
})

# The error class each input class is reported with (spec/leniency.md, column Codecs).
HEADER = "mdp-invalid-header"
COMMAND = "mdp-invalid-command"
SERVICE = "mdp-invalid-service"
DELIMITER = "mdp-invalid-delimiter"
MISSING = "mdp-missing-frame"
EXTRA = "mdp-extra-frame"


# --------------------------------------------------------------------------
# Frames and reports.

C1, W1, C2, W2 = b"MDPC01", b"MDPW01", b"MDPC02", b"MDPW02"
ADDR = bytes.fromhex("006b8b4567")          # a routing id as libzmq makes them: 0x00 + 4 octets
ADDR2 = bytes.fromhex("006b8b4568")         # a second hop
BIN = bytes(range(256))                     # every octet value
PRINTABLE = bytes(range(0x20, 0x7F))        # the whole service-name range, 0x20..0x7E


def frame(part):
    """One frame: an int is a one-octet frame (a command code), a str is ASCII text
    (with \\xNN escapes for octets up to 0xFF), bytes are taken as they are."""
    if isinstance(part, int):
        return bytes([part])
    if isinstance(part, str):
        return part.encode("latin-1")
    return bytes(part)


def frames(parts):
    return [frame(p) for p in parts]


def ok(message):
    return {"state": "complete", "error": None, "message": message}


def err(cls, at):
    """An error report: class and the frame index `at`, as the row writes it."""
    return {"state": "error", "error": {"class": cls, "offset": at}, "message": None}


def hexes(parts):
    return [frame(p).hex() for p in parts]


def client01(service, body):
    return {"version": "0.1", "subprotocol": "client", "command": None, "service": frame(service).hex(),
            "body": hexes(body)}


def client02(command, service, body):
    return {"version": "0.2", "subprotocol": "client", "command": command, "service": frame(service).hex(),
            "body": hexes(body)}


def ready(version, service):
    return {"version": version, "subprotocol": "worker", "command": "READY", "service": frame(service).hex()}


def routed(version, command, address, body):
    return {"version": version, "subprotocol": "worker", "command": command, "address": frame(address).hex(),
            "body": hexes(body)}


def bare(version, command):
    return {"version": version, "subprotocol": "worker", "command": command}


# --------------------------------------------------------------------------
# Clauses.  What a vector cites: the rows it exercises, and for an error every row a codec
# could reasonably cite for it (a checker accepts a codec's clause when it is among them).

# 0.1: no header or command row of its own; each layout row carries the header.
CLIENT01 = ["mdp01.grammar.client-request", "mdp01.grammar.client-reply"]   # one layout, direction unknown
DEALER01 = "mdp01.client.dealer-empty-frame"
SVC01 = "mdp01.grammar.service-name"
READY01 = "mdp01.grammar.ready"
REQ01 = "mdp01.grammar.worker-request"
REP01 = "mdp01.grammar.worker-reply"
HB01 = "mdp01.grammar.heartbeat"
DC01 = "mdp01.grammar.disconnect"
WORKER01 = [READY01, REQ01, REP01, HB01, DC01]
ONE01 = "mdp01.request.one-address"
DELIM01 = "mdp01.request.empty-after-address"

# 0.2: header and command rows, then the layouts.
CH02 = "mdp02.grammar.client-header"
CC02 = "mdp02.grammar.client-command"
CREQ02 = "mdp02.grammar.client-request"
CPAR02 = "mdp02.grammar.client-partial"
CFIN02 = "mdp02.grammar.client-final"
CLIENT02 = [CREQ02, CPAR02, CFIN02]
SVC02 = "mdp02.grammar.service-name"
WH02 = "mdp02.grammar.worker-header"
WC02 = "mdp02.grammar.worker-command"
READY02 = "mdp02.grammar.ready"
REQ02 = "mdp02.grammar.worker-request"
PAR02 = "mdp02.grammar.worker-partial"
FIN02 = "mdp02.grammar.worker-final"
HB02 = "mdp02.grammar.heartbeat"
DC02 = "mdp02.grammar.disconnect"
WORKER02 = [READY02, REQ02, PAR02, FIN02, HB02, DC02]
ONE02 = "mdp02.request.one-address"
DELIM02 = "mdp02.request.empty-after-address"

MMI_WORKER = "mmi.namespace.worker-disconnect"

# The clauses of each well-formed layout.
OK_CLIENT01 = CLIENT01 + [SVC01, DEALER01]
OK_READY01 = [READY01, SVC01]
OK_REQ01 = [REQ01, ONE01, DELIM01]
OK_REP01 = [REP01, ONE01, DELIM01]
OK_HB01 = [HB01]
OK_DC01 = [DC01]
OK_CREQ02 = [CREQ02, CH02, CC02, SVC02]
OK_CPAR02 = [CPAR02, CH02, CC02, SVC02]
OK_CFIN02 = [CFIN02, CH02, CC02, SVC02]
OK_READY02 = [READY02, WH02, WC02, SVC02]
OK_REQ02 = [REQ02, WH02, WC02, ONE02, DELIM02]
OK_PAR02 = [PAR02, WH02, WC02, ONE02, DELIM02]
OK_FIN02 = [FIN02, WH02, WC02, ONE02, DELIM02]
OK_HB02 = [HB02, WH02, WC02]
OK_DC02 = [DC02, WH02, WC02]


def cat(*lists):
    """Clause lists joined, order kept, repeats dropped."""
    out = []
    for lst in lists:
        for c in ([lst] if isinstance(lst, str) else lst):
            if c not in out:
                out.append(c)
    return out


# Header errors: the header rows of the versions and sub-protocols the group accepts.  At
# frame 0 a 0.1 client's leading empty frame is at stake too (mdp01.client.dealer-empty-frame).
H01C_0 = CLIENT01 + [DEALER01]          # 0.1 client, error at frame 0
H01C_1 = CLIENT01                       # 0.1 client, error at frame 1
H01W = WORKER01                         # 0.1 worker (any frame)
H01_0 = cat(H01C_0, H01W)               # 0.1, both sub-protocols, frame 0
H01_1 = cat(H01C_1, H01W)               # 0.1, both sub-protocols, frame 1
H02 = [CH02, WH02]                      # 0.2, both sub-protocols
HANY_0 = cat(H02, H01_0)                # version any, frame 0
HANY_1 = cat(H02, H01_1)                # version any, frame 1 (MDPC02 / MDPW02 after an empty frame)


# --------------------------------------------------------------------------
# Vector files.

class Group(vector_file.Group):
    def __init__(self, vfile, version, subprotocol):
        super().__init__(vfile, "mdp", {"version": version, "subprotocol": subprotocol})
        self.seen = {}

    def t(self, slug, comment, flags, clauses, parts, expected):
        vf = self.vfile
        classes = [f for f in flags if f in LENIENCY]
        result, clauses = self.admit(slug, comment, flags, clauses, TABLE if classes else "valid")
        state, error = expected["state"], expected["error"]
        assert state in ("complete", "error") and (error is None) == (state == "complete"), slug
        assert (expected["message"] is None) == (state == "error"), slug
        if state == "complete":
            assert result == "valid" and not classes and "Valid" in flags, f"{slug}: a message taken is valid"
        else:
            # One input class per malformed vector, the one whose error the codecs report.
            assert len(classes) == 1 and LENIENCY[classes[0]].codecs == error["class"], \
                f"{slug}: {error['class']} needs the flag of its class, and only it"
            assert result == "acceptable", slug
            assert 0 <= error["offset"] <= len(parts), f"{slug}: offset past the frames"
            if error["class"] == MISSING:
                assert error["offset"] == len(parts), f"{slug}: a missing frame is reported at the end"
            else:
                assert error["offset"] < len(parts), f"{slug}: the error names a frame of the message"
        chunks = [f.hex() for f in frames(parts)]
        key = tuple(chunks)
        assert key not in self.seen, f"{vf.area}: {slug}: same frames as {self.seen[key]} in this group"
        self.seen[key] = slug
        self.add(slug, comment, flags, clauses, chunks, result, expected)


class VFile(vector_file.VectorFile):
    def __init__(self, area, spec_version, header):
        super().__init__(area, "mdp", spec_version, header, NOTES)

    def group(self, version, subprotocol):
        g = Group(self, version, subprotocol)
        self.groups.append(g)
        return g


# ==========================================================================
# mdp01_test.json: 7/MDP, version 0.1

def gen_mdp01():
    vf = VFile("mdp01", "0.1", [
        "7/MDP (Majordomo 0.1) messages as frame lists, one hex string per frame (vectors/FORMAT.md, decoder",
        "mdp): every MDP/Client and MDP/Worker layout well formed; bodies of one, several and empty frames;",
        "service names at the printable bounds; wrong, cross-version and missing headers; unknown command",
        "octets; every truncation point; extra frames; bad service names; delimiters and envelopes;",
        "groups restricted to MDP/Client or MDP/Worker. Error offsets are frame indexes.",
    ])

    # ---------------------------------------------------------------- version 0.1, both sub-protocols
    g = vf.group("0.1", "any")

    # MDP/Client: REQUEST and REPLY share one layout and one report (command null).
    g.t("client-request", "MDP/Client 0.1: empty frame, MDPC01, service 'echo', one body frame (a client's "
        "REQUEST and the broker's REPLY have the same layout)", ["Valid"], OK_CLIENT01,
        ["", C1, "echo", "hello"], ok(client01("echo", ["hello"])))
    g.t("client-several-body", "MDP/Client 0.1 with three body frames, kept in order", ["Valid", "MultiFrameBody"],
        OK_CLIENT01, ["", C1, "echo", "part-1", "part-2", "part-3"],
        ok(client01("echo", ["part-1", "part-2", "part-3"])))
    g.t("client-empty-body", "MDP/Client 0.1 whose one body frame is empty (at least one body frame, of any "
        "size: DECISIONS M11)", ["Valid", "EmptyFrame"], OK_CLIENT01,
        ["", C1, "echo", ""], ok(client01("echo", [""])))
    g.t("client-empty-bodies", "MDP/Client 0.1 with three empty body frames", ["Valid", "EmptyFrame",
        "MultiFrameBody"], OK_CLIENT01, ["", C1, "echo", "", "", ""], ok(client01("echo", ["", "", ""])))
    g.t("client-binary-body", "MDP/Client 0.1 whose body frame holds every octet 0x00..0xFF (opaque binary)",
        ["Valid", "BinaryBody"], OK_CLIENT01, ["", C1, "echo", BIN], ok(client01("echo", [BIN])))
    g.t("client-body-like-header", "MDP/Client 0.1 whose body frames are 'MDPC01' and an empty frame: a body "
        "is opaque, never read as a header", ["Valid", "MultiFrameBody", "EmptyFrame"], OK_CLIENT01,
        ["", C1, "echo", C1, ""], ok(client01("echo", [C1, ""])))
    g.t("client-service-space", "Service name of one octet 0x20 (a space), the lowest printable octet",
        ["Valid", "ServiceNameBounds"], OK_CLIENT01, ["", C1, " ", "x"], ok(client01(" ", ["x"])))
    g.t("client-service-tilde", "Service name of one octet 0x7E ('~'), the highest printable octet",
        ["Valid", "ServiceNameBounds"], OK_CLIENT01, ["", C1, "~", "x"], ok(client01("~", ["x"])))
    g.t("client-service-printable", "Service name of all 95 octets 0x20..0x7E",
        ["Valid", "ServiceNameBounds"], OK_CLIENT01, ["", C1, PRINTABLE, "x"], ok(client01(PRINTABLE, ["x"])))
    g.t("client-service-mdpc01", "Service name 'MDPC01', equal to the header: a name like any other",
        ["Valid", "ServiceNameBounds"], OK_CLIENT01, ["", C1, "MDPC01", "x"], ok(client01("MDPC01", ["x"])))
    g.t("client-mmi-service", "A client request for 'mmi.service' naming 'echo': an ordinary MDP/Client "
        "message (8/MMI is answered by the broker, the layout is MDP's)", ["Valid"], OK_CLIENT01,
        ["", C1, "mmi.service", "echo"], ok(client01("mmi.service", ["echo"])))

    # MDP/Worker: every command.
    g.t("ready", "READY: empty frame, MDPW01, 0x01, service 'echo'", ["Valid"], OK_READY01,
        ["", W1, 1, "echo"], ok(ready("0.1", "echo")))
    g.t("ready-mmi", "READY naming 'mmi.echo': well formed, so the decoder takes it; the broker disconnects "
        "the worker (mmi.namespace.worker-disconnect), a session decision", ["Valid", "MmiService"],
        cat(OK_READY01, MMI_WORKER), ["", W1, 1, "mmi.echo"], ok(ready("0.1", "mmi.echo")))
    g.t("ready-service-space", "READY whose service name is one space (0x20)", ["Valid", "ServiceNameBounds"],
        OK_READY01, ["", W1, 1, " "], ok(ready("0.1", " ")))
    g.t("ready-service-mdpw01", "READY whose service name is 'MDPW01', the worker header's text",
        ["Valid", "ServiceNameBounds"], OK_READY01, ["", W1, 1, "MDPW01"], ok(ready("0.1", "MDPW01")))
    g.t("request", "Worker-side REQUEST: empty frame, MDPW01, 0x02, a 5-octet client address, empty "
        "delimiter, one body frame (also what a worker sending REQUEST would write: the decoder is "
        "direction-blind)", ["Valid", "DirectionBlind"], OK_REQ01,
        ["", W1, 2, ADDR, "", "hello"], ok(routed("0.1", "REQUEST", ADDR, ["hello"])))
    g.t("request-several-body", "Worker-side REQUEST with three body frames, the middle one empty",
        ["Valid", "MultiFrameBody", "EmptyFrame"], OK_REQ01, ["", W1, 2, ADDR, "", "a", "", "c"],
        ok(routed("0.1", "REQUEST", ADDR, ["a", "", "c"])))
    g.t("request-empty-body", "Worker-side REQUEST whose one body frame is empty", ["Valid", "EmptyFrame"],
        OK_REQ01, ["", W1, 2, ADDR, "", ""], ok(routed("0.1", "REQUEST", ADDR, [""])))
    g.t("request-empty-address", "Worker-side REQUEST whose client address frame is empty (the address is "
        "opaque: DECISIONS M12), then the delimiter and a body", ["Valid", "Envelope", "EmptyFrame"], OK_REQ01,
        ["", W1, 2, "", "", "hello"], ok(routed("0.1", "REQUEST", "", ["hello"])))
    g.t("reply", "REPLY: empty frame, MDPW01, 0x03, the client address, empty delimiter, one body frame",
        ["Valid"], OK_REP01, ["", W1, 3, ADDR, "", "world"], ok(routed("0.1", "REPLY", ADDR, ["world"])))
    g.t("reply-binary", "REPLY with a 3-octet binary address (00 ff 00) and a body of every octet value",
        ["Valid", "BinaryBody"], OK_REP01, ["", W1, 3, b"\x00\xff\x00", "", BIN],
        ok(routed("0.1", "REPLY", b"\x00\xff\x00", [BIN])))
    g.t("reply-text-address", "REPLY with a text address 'client-7' and two body frames",
        ["Valid", "MultiFrameBody", "Envelope"], OK_REP01, ["", W1, 3, "client-7", "", "a", "b"],
        ok(routed("0.1", "REPLY", "client-7", ["a", "b"])))
    g.t("heartbeat", "HEARTBEAT: empty frame, MDPW01, 0x04 (three frames)", ["Valid"], OK_HB01,
        ["", W1, 4], ok(bare("0.1", "HEARTBEAT")))
    g.t("disconnect", "DISCONNECT: empty frame, MDPW01, 0x05 (0x05 is HEARTBEAT in 0.2: the header decides)",
        ["Valid", "CrossVersion"], OK_DC01, ["", W1, 5], ok(bare("0.1", "DISCONNECT")))

    # Header.
    F = ["MdpHeader"]
    g.t("no-leading-empty-client", "MDPC01 as frame 0: the 0.1 leading empty frame is missing (a DEALER "
        "client did not write it), so frame 0 is no header", F, H01_0, [C1, "echo", "hello"], err(HEADER, 0))
    g.t("no-leading-empty-worker", "MDPW01 as frame 0, no leading empty frame", F, H01_0, [W1, 4],
        err(HEADER, 0))
    g.t("leading-frame-nonempty", "Frame 0 is one octet 0x00, not empty, before a well-formed rest", F, H01_0,
        ["\x00", C1, "echo", "hello"], err(HEADER, 0))
    g.t("leading-frame-text", "Frame 0 'x' before MDPW01 HEARTBEAT", F, H01_0, ["x", W1, 4], err(HEADER, 0))
    g.t("header-lower-case-client", "Header 'mdpc01': headers compare byte for byte, case included", F, H01_1,
        ["", "mdpc01", "echo", "hello"], err(HEADER, 1))
    g.t("header-lower-case-worker", "Header 'mdpw01' on a HEARTBEAT", F, H01_1, ["", "mdpw01", 4],
        err(HEADER, 1))
    g.t("header-mixed-case", "Header 'MDPw01'", F, H01_1, ["", "MDPw01", 4], err(HEADER, 1))
    g.t("header-short", "Header 'MDPC0' (five octets)", F, H01_1, ["", "MDPC0", "echo", "hello"],
        err(HEADER, 1))
    g.t("header-nul-padded", "Header 'MDPW01' plus a NUL (seven octets)", F, H01_1, ["", "MDPW01\x00", 4],
        err(HEADER, 1))
    g.t("header-mdpc03", "Header 'MDPC03': no such version", F, H01_1, ["", "MDPC03", "echo", "hello"],
        err(HEADER, 1))
    g.t("header-mdpw00", "Header 'MDPW00': no such version", F, H01_1, ["", "MDPW00", 4], err(HEADER, 1))
    g.t("header-junk", "Frame 1 is three binary octets ff 00 01", F, H01_1, ["", b"\xff\x00\x01", 4],
        err(HEADER, 1))
    g.t("header-empty", "Frame 1 is empty: two empty frames and no header", F, H01_1,
        ["", "", "echo", "hello"], err(HEADER, 1))
    g.t("header-mdpc02-after-empty", "An empty frame then MDPC02 (a 0.2 client on a REQ socket): not a 0.1 "
        "header, and a 0.2 header never follows an empty frame", F + ["CrossVersion"], cat(H01_1, CH02),
        ["", C2, 1, "echo", "hello"], err(HEADER, 1))
    g.t("header-mdpw02-after-empty", "An empty frame then MDPW02 and 0x05", F + ["CrossVersion"],
        cat(H01_1, WH02), ["", W2, 5], err(HEADER, 1))
    g.t("v02-request", "A well-formed 0.2 REQUEST (MDPC02 first) in a 0.1 group: frame 0 is not the empty "
        "frame 0.1 opens with", F + ["VersionPolicy"], H01_0, [C2, 1, "echo", "hello"], err(HEADER, 0))
    g.t("v02-heartbeat", "A well-formed 0.2 HEARTBEAT (MDPW02, 0x05) in a 0.1 group", F + ["VersionPolicy"],
        H01_0, [W2, 5], err(HEADER, 0))

    # Missing frames: every truncation point of every layout.
    F = ["MdpMissingFrame"]
    g.t("empty-message", "No frame at all: the leading empty frame is missing", F + ["Empty"], H01_0, [],
        err(MISSING, 0))
    g.t("only-empty-frame", "Only the leading empty frame: the header is missing", F, H01_1, [""],
        err(MISSING, 1))
    g.t("client-no-service", "MDP/Client cut after MDPC01: no service frame", F, cat(CLIENT01, SVC01),
        ["", C1], err(MISSING, 2))
    g.t("client-no-body", "MDP/Client cut after the service: no body frame (at least one: 4 frames or more)",
        F, CLIENT01, ["", C1, "echo"], err(MISSING, 3))
    g.t("worker-no-command", "MDP/Worker cut after MDPW01: no command frame", F, WORKER01, ["", W1],
        err(MISSING, 2))
    g.t("ready-no-service", "READY cut after 0x01: no service frame", F, [READY01, SVC01], ["", W1, 1],
        err(MISSING, 3))
    g.t("request-no-address", "REQUEST cut after 0x02: no client address", F, [REQ01, ONE01], ["", W1, 2],
        err(MISSING, 3))
    g.t("request-no-delimiter", "REQUEST cut after the address: no delimiter", F, [REQ01, DELIM01],
        ["", W1, 2, ADDR], err(MISSING, 4))
    g.t("request-no-body", "REQUEST cut after the delimiter: no body frame (6 frames or more)", F, [REQ01],
        ["", W1, 2, ADDR, ""], err(MISSING, 5))
    g.t("reply-no-address", "REPLY cut after 0x03: no client address", F, [REP01, ONE01], ["", W1, 3],
        err(MISSING, 3))
    g.t("reply-no-delimiter", "REPLY cut after the address: no delimiter", F, [REP01, DELIM01],
        ["", W1, 3, ADDR], err(MISSING, 4))
    g.t("reply-no-body", "REPLY cut after the delimiter: no body frame", F, [REP01], ["", W1, 3, ADDR, ""],
        err(MISSING, 5))
    g.t("request-empty-address-no-body", "REQUEST with an empty address and the empty delimiter, then "
        "nothing: the two empty frames are address and delimiter, the body is missing",
        F + ["Envelope", "EmptyFrame"], [REQ01], ["", W1, 2, "", ""], err(MISSING, 5))

    # Extra frames after a fixed-length command.
    F = ["MdpExtraFrame"]
    g.t("ready-extra", "READY with a fifth frame 'hello' (READY is exactly 4 frames)", F, [READY01],
        ["", W1, 1, "echo", "hello"], err(EXTRA, 4))
    g.t("ready-extra-empty", "READY with a fifth, empty frame", F, [READY01], ["", W1, 1, "echo", ""],
        err(EXTRA, 4))
    g.t("heartbeat-extra", "HEARTBEAT with a fourth frame 'x' (HEARTBEAT is exactly 3 frames)", F, [HB01],
        ["", W1, 4, "x"], err(EXTRA, 3))
    g.t("heartbeat-extra-empty", "HEARTBEAT with a fourth, empty frame", F, [HB01], ["", W1, 4, ""],
        err(EXTRA, 3))
    g.t("disconnect-extra-empty", "DISCONNECT with a fourth, empty frame", F, [DC01], ["", W1, 5, ""],
        err(EXTRA, 3))
    g.t("disconnect-extra-two", "DISCONNECT with two more frames: the first of them is reported", F, [DC01],
        ["", W1, 5, "a", "b"], err(EXTRA, 3))

    # Command frame.
    F = ["MdpCommand"]
    g.t("command-00", "Command octet 0x00: no 0.1 command", F, WORKER01, ["", W1, 0], err(COMMAND, 2))
    g.t("command-06", "Command octet 0x06 (DISCONNECT in 0.2): no 0.1 command", F + ["CrossVersion"], WORKER01,
        ["", W1, 6], err(COMMAND, 2))
    g.t("command-ff", "Command octet 0xFF", F, WORKER01, ["", W1, 0xFF, "echo"], err(COMMAND, 2))
    g.t("command-two-octets", "Command frame of two octets 01 00 (a command is exactly one octet)", F,
        WORKER01, ["", W1, b"\x01\x00", "echo"], err(COMMAND, 2))
    g.t("command-empty", "Empty command frame before a service frame", F, WORKER01, ["", W1, "", "echo"],
        err(COMMAND, 2))
    g.t("command-ascii-digit", "Command '2' (0x32), the digit instead of the octet 0x02", F, WORKER01,
        ["", W1, "2", ADDR, "", "hello"], err(COMMAND, 2))

    # Service name.
    F = ["MdpServiceName"]
    SC = cat(SVC01, CLIENT01)
    SR = [SVC01, READY01]
    g.t("client-service-empty", "MDP/Client with an empty service name", F, SC, ["", C1, "", "hello"],
        err(SERVICE, 2))
    g.t("client-service-1f", "Service name of one octet 0x1F, just below the printable range", F, SC,
        ["", C1, "\x1f", "hello"], err(SERVICE, 2))
    g.t("client-service-7f", "Service name 'echo' then 0x7F (DEL), just above the printable range", F, SC,
        ["", C1, "echo\x7f", "hello"], err(SERVICE, 2))
    g.t("client-service-80", "Service name of one octet 0x80", F, SC, ["", C1, "\x80", "hello"],
        err(SERVICE, 2))
    g.t("client-service-nul", "Service name 'echo' then 0x00 (a C string's terminator sent along)", F, SC,
        ["", C1, "echo\x00", "hello"], err(SERVICE, 2))
    g.t("client-service-utf8", "Service name 'cafe' with e-acute in UTF-8 (c3 a9): outside 0x20..0x7E "
        "(DECISIONS M9)", F, SC, ["", C1, "caf\xc3\xa9", "hello"], err(SERVICE, 2))
    g.t("client-service-empty-no-body", "Empty service name and no body frame: the service frame comes first",
        F + ["FirstErrorWins"], SC, ["", C1, ""], err(SERVICE, 2))
    g.t("ready-service-empty", "READY with an empty service name", F, SR, ["", W1, 1, ""], err(SERVICE, 3))
    g.t("ready-service-1f", "READY whose service name is 0x1F", F, SR, ["", W1, 1, "\x1f"], err(SERVICE, 3))
    g.t("ready-service-7f", "READY whose service name is 0x7F", F, SR, ["", W1, 1, "\x7f"], err(SERVICE, 3))
    g.t("ready-service-tab", "READY whose service name 'echo\\t' ends in a TAB (0x09)", F, SR,
        ["", W1, 1, "echo\t"], err(SERVICE, 3))
    g.t("ready-service-empty-extra", "READY with an empty service name and an extra frame: the service frame "
        "comes first", F + ["FirstErrorWins"], SR, ["", W1, 1, "", "x"], err(SERVICE, 3))

    # Delimiter and envelope.
    F = ["MdpDelimiter"]
    g.t("request-delimiter-nonempty", "REQUEST whose delimiter is 'x', not empty", F,
        [DELIM01, ONE01, REQ01], ["", W1, 2, ADDR, "x", "hello"], err(DELIMITER, 4))
    g.t("request-two-hops", "REQUEST with two address frames (an envelope of two hops): the second stands "
        "where the delimiter must be (one address frame only)", F + ["Envelope"], [ONE01, DELIM01, REQ01],
        ["", W1, 2, ADDR, ADDR2, "", "hello"], err(DELIMITER, 4))
    g.t("reply-delimiter-nonempty", "REPLY whose delimiter is one octet 0x00", F, [DELIM01, ONE01, REP01],
        ["", W1, 3, ADDR, "\x00", "world"], err(DELIMITER, 4))
    g.t("reply-two-hops", "REPLY with two address frames", F + ["Envelope"], [ONE01, DELIM01, REP01],
        ["", W1, 3, ADDR, ADDR2, "", "world"], err(DELIMITER, 4))
    g.t("request-no-address-frame", "REQUEST with no address at all: the empty frame is read as the address "
        "and the body 'hello' stands where the delimiter must be", F + ["Envelope"], [DELIM01, ONE01, REQ01],
        ["", W1, 2, "", "hello"], err(DELIMITER, 4))
    g.t("reply-delimiter-nonempty-last", "REPLY whose last frame, where the delimiter must be, is 'x': the "
        "delimiter is reported, not the missing body", F + ["FirstErrorWins"], [DELIM01, ONE01, REP01],
        ["", W1, 3, ADDR, "x"], err(DELIMITER, 4))

    # ---------------------------------------------------------------- version 0.1, MDP/Client only
    g = vf.group("0.1", "client")
    g.t("client-only-request", "MDP/Client 0.1 in a client-only group", ["Valid"], OK_CLIENT01,
        ["", C1, "echo", "hello"], ok(client01("echo", ["hello"])))
    g.t("client-only-empty-body", "MDP/Client 0.1 with an empty body frame in a client-only group",
        ["Valid", "EmptyFrame"], OK_CLIENT01, ["", C1, "echo", ""], ok(client01("echo", [""])))
    F = ["MdpHeader", "SubprotocolPolicy"]
    g.t("client-only-ready", "A well-formed READY (MDPW01) in a client-only group: frame 1 is no header it "
        "accepts", F, H01C_1, ["", W1, 1, "echo"], err(HEADER, 1))
    g.t("client-only-heartbeat", "A well-formed HEARTBEAT in a client-only group", F, H01C_1, ["", W1, 4],
        err(HEADER, 1))
    g.t("client-only-no-leading-empty", "MDPC01 as frame 0 in a client-only group: the leading empty frame "
        "is missing", ["MdpHeader"], H01C_0, [C1, "echo", "hello"], err(HEADER, 0))
    g.t("client-only-mdpc02", "An empty frame then MDPC02 in a 0.1 client-only group",
        ["MdpHeader", "CrossVersion"], cat(H01C_1, CH02), ["", C2, 1, "echo", "hello"], err(HEADER, 1))
    g.t("client-only-only-empty", "Only the leading empty frame in a client-only group", ["MdpMissingFrame"],
        H01C_1, [""], err(MISSING, 1))

    # ---------------------------------------------------------------- version 0.1, MDP/Worker only
    g = vf.group("0.1", "worker")
    g.t("worker-only-ready", "READY in a worker-only group", ["Valid"], OK_READY01, ["", W1, 1, "echo"],
        ok(ready("0.1", "echo")))
    g.t("worker-only-heartbeat", "HEARTBEAT in a worker-only group", ["Valid"], OK_HB01, ["", W1, 4],
        ok(bare("0.1", "HEARTBEAT")))
    g.t("worker-only-request", "Worker-side REQUEST in a worker-only group", ["Valid"], OK_REQ01,
        ["", W1, 2, ADDR, "", "hello"], ok(routed("0.1", "REQUEST", ADDR, ["hello"])))
    F = ["MdpHeader", "SubprotocolPolicy"]
    g.t("worker-only-client-request", "A well-formed MDP/Client message (MDPC01) in a worker-only group", F,
        H01W, ["", C1, "echo", "hello"], err(HEADER, 1))
    g.t("worker-only-no-leading-empty", "MDPW01 as frame 0 in a worker-only group", ["MdpHeader"], H01W,
        [W1, 1, "echo"], err(HEADER, 0))
    g.t("worker-only-only-empty", "Only the leading empty frame in a worker-only group", ["MdpMissingFrame"],
        H01W, [""], err(MISSING, 1))
    g.t("worker-only-empty-message", "No frame at all in a worker-only group", ["MdpMissingFrame", "Empty"],
        H01W, [], err(MISSING, 0))
    return vf


# ==========================================================================
# mdp02_test.json: 18/MDP, version 0.2

def gen_mdp02():
    vf = VFile("mdp02", "0.2", [
        "18/MDP (Majordomo 0.2) messages as frame lists, one hex string per frame (vectors/FORMAT.md, decoder",
        "mdp): REQUEST / PARTIAL / FINAL of MDP/Client, every MDP/Worker command, bodies of one, several and",
        "empty frames, service names at the printable bounds; 0.1 framing and other headers; unknown and",
        "0.1-numbered command octets; every truncation point; extra frames; bad service names; delimiters",
        "and envelopes; groups restricted to MDP/Client or MDP/Worker. Error offsets are frame indexes.",
    ])

    # ---------------------------------------------------------------- version 0.2, both sub-protocols
    g = vf.group("0.2", "any")

    g.t("client-request", "MDP/Client REQUEST: MDPC02, 0x01, service 'echo', one body frame", ["Valid"],
        OK_CREQ02, [C2, 1, "echo", "hello"], ok(client02("REQUEST", "echo", ["hello"])))
    g.t("client-partial", "MDP/Client PARTIAL: MDPC02, 0x02, service, body (the broker sends it; a client "
        "sending it is the session's business)", ["Valid", "DirectionBlind"], OK_CPAR02,
        [C2, 2, "echo", "part"], ok(client02("PARTIAL", "echo", ["part"])))
    g.t("client-final", "MDP/Client FINAL: MDPC02, 0x03, service, body", ["Valid"], OK_CFIN02,
        [C2, 3, "echo", "done"], ok(client02("FINAL", "echo", ["done"])))
    g.t("client-request-several-body", "REQUEST with three body frames, kept in order",
        ["Valid", "MultiFrameBody"], OK_CREQ02, [C2, 1, "echo", "a", "b", "c"],
        ok(client02("REQUEST", "echo", ["a", "b", "c"])))
    g.t("client-request-empty-body", "REQUEST whose one body frame is empty (DECISIONS M2-15)",
        ["Valid", "EmptyFrame"], OK_CREQ02, [C2, 1, "echo", ""], ok(client02("REQUEST", "echo", [""])))
    g.t("client-final-empty-bodies", "FINAL with two empty body frames", ["Valid", "EmptyFrame", "MultiFrameBody"],
        OK_CFIN02, [C2, 3, "echo", "", ""], ok(client02("FINAL", "echo", ["", ""])))
    g.t("client-partial-binary", "PARTIAL whose body frame holds every octet 0x00..0xFF",
        ["Valid", "BinaryBody"], OK_CPAR02, [C2, 2, "echo", BIN], ok(client02("PARTIAL", "echo", [BIN])))
    g.t("client-service-space", "REQUEST for the service ' ' (0x20)", ["Valid", "ServiceNameBounds"], OK_CREQ02,
        [C2, 1, " ", "x"], ok(client02("REQUEST", " ", ["x"])))
    g.t("client-service-tilde", "REQUEST for the service '~' (0x7E)", ["Valid", "ServiceNameBounds"],
        OK_CREQ02, [C2, 1, "~", "x"], ok(client02("REQUEST", "~", ["x"])))
    g.t("client-service-printable", "REQUEST for a service named by all 95 octets 0x20..0x7E",
        ["Valid", "ServiceNameBounds"], OK_CREQ02, [C2, 1, PRINTABLE, "x"],
        ok(client02("REQUEST", PRINTABLE, ["x"])))
    g.t("client-service-mdpc02", "REQUEST for the service 'MDPC02', the header's text",
        ["Valid", "ServiceNameBounds"], OK_CREQ02, [C2, 1, "MDPC02", "x"], ok(client02("REQUEST", "MDPC02", ["x"])))
    g.t("client-service-mdpc01", "FINAL for the service 'MDPC01', the 0.1 header's text",
        ["Valid", "ServiceNameBounds"], OK_CFIN02, [C2, 3, "MDPC01", "x"], ok(client02("FINAL", "MDPC01", ["x"])))
    g.t("ready", "READY: MDPW02, 0x01, service 'echo' (three frames)", ["Valid"], OK_READY02,
        [W2, 1, "echo"], ok(ready("0.2", "echo")))
    g.t("ready-mmi", "READY naming 'mmi.service': well formed, so the decoder takes it; the broker "
        "disconnects the worker (mmi.namespace.worker-disconnect, DECISIONS M2-12)", ["Valid", "MmiService"],
        cat(OK_READY02, MMI_WORKER), [W2, 1, "mmi.service"], ok(ready("0.2", "mmi.service")))
    g.t("ready-service-tilde", "READY for the service '~'", ["Valid", "ServiceNameBounds"], OK_READY02,
        [W2, 1, "~"], ok(ready("0.2", "~")))
    g.t("request", "Worker-side REQUEST: MDPW02, 0x02, a 5-octet client address, empty delimiter, one body "
        "frame (a worker sending it is the session's business)", ["Valid", "DirectionBlind"], OK_REQ02,
        [W2, 2, ADDR, "", "hello"], ok(routed("0.2", "REQUEST", ADDR, ["hello"])))
    g.t("partial", "Worker PARTIAL: MDPW02, 0x03 (REPLY's code in 0.1), address, delimiter, body",
        ["Valid", "CrossVersion"], OK_PAR02, [W2, 3, ADDR, "", "p1"], ok(routed("0.2", "PARTIAL", ADDR, ["p1"])))
    g.t("final", "Worker FINAL: MDPW02, 0x04 (HEARTBEAT's code in 0.1), address, delimiter, body",
        ["Valid", "CrossVersion"], OK_FIN02, [W2, 4, ADDR, "", "done"],
        ok(routed("0.2", "FINAL", ADDR, ["done"])))
    g.t("request-several-body", "Worker-side REQUEST with three body frames, the middle one empty",
        ["Valid", "MultiFrameBody", "EmptyFrame"], OK_REQ02, [W2, 2, ADDR, "", "a", "", "c"],
        ok(routed("0.2", "REQUEST", ADDR, ["a", "", "c"])))
    g.t("final-empty-address", "FINAL whose client address is empty (opaque: DECISIONS M2-13)",
        ["Valid", "Envelope", "EmptyFrame"], OK_FIN02, [W2, 4, "", "", "x"], ok(routed("0.2", "FINAL", "", ["x"])))
    g.t("partial-empty-body", "PARTIAL whose one body frame is empty", ["Valid", "EmptyFrame"], OK_PAR02,
        [W2, 3, ADDR, "", ""], ok(routed("0.2", "PARTIAL", ADDR, [""])))
    g.t("final-binary", "FINAL with a binary address 00 ff and a body of every octet value",
        ["Valid", "BinaryBody"], OK_FIN02, [W2, 4, b"\x00\xff", "", BIN],
        ok(routed("0.2", "FINAL", b"\x00\xff", [BIN])))
    g.t("heartbeat", "HEARTBEAT: MDPW02, 0x05 (DISCONNECT's code in 0.1)", ["Valid", "CrossVersion"], OK_HB02,
        [W2, 5], ok(bare("0.2", "HEARTBEAT")))
    g.t("disconnect", "DISCONNECT: MDPW02, 0x06", ["Valid"], OK_DC02, [W2, 6], ok(bare("0.2", "DISCONNECT")))

    # Header.
    F = ["MdpHeader"]
    g.t("leading-empty-client", "An empty frame then a well-formed REQUEST (a client on a REQ socket, or 0.1 "
        "framing): frame 0 is no 0.2 header", F, H02, ["", C2, 1, "echo", "hello"], err(HEADER, 0))
    g.t("leading-empty-worker", "An empty frame then MDPW02, 0x05", F, H02, ["", W2, 5], err(HEADER, 0))
    g.t("only-empty-frame", "One empty frame: no 0.2 header", F, H02, [""], err(HEADER, 0))
    g.t("header-lower-case-client", "Header 'mdpc02': headers compare byte for byte", F, H02,
        ["mdpc02", 1, "echo", "hello"], err(HEADER, 0))
    g.t("header-lower-case-worker", "Header 'mdpw02'", F, H02, ["mdpw02", 5], err(HEADER, 0))
    g.t("header-short", "Header 'MDPC2' (five octets)", F, H02, ["MDPC2", 1, "echo", "hello"], err(HEADER, 0))
    g.t("header-long", "Header 'MDPW020' (seven octets)", F, H02, ["MDPW020", 6], err(HEADER, 0))
    g.t("header-mdpc03", "Header 'MDPC03'", F, H02, ["MDPC03", 1, "echo", "hello"], err(HEADER, 0))
    g.t("header-mdpw03", "Header 'MDPW03'", F, H02, ["MDPW03", 5], err(HEADER, 0))
    g.t("header-junk", "Frame 0 is one octet 0xFF", F, H02, [b"\xff", 5], err(HEADER, 0))
    g.t("header-mdpc01-first", "MDPC01 as frame 0, then a 0.2 command layout: the 0.1 header is none of 0.2's",
        F + ["CrossVersion"], H02, [C1, 1, "echo", "hello"], err(HEADER, 0))
    g.t("v01-client", "A well-formed 0.1 MDP/Client message in a 0.2 group: frame 0 is empty", F +
        ["VersionPolicy"], H02, ["", C1, "echo", "hello"], err(HEADER, 0))
    g.t("v01-heartbeat", "A well-formed 0.1 HEARTBEAT in a 0.2 group", F + ["VersionPolicy"], H02,
        ["", W1, 4], err(HEADER, 0))

    # Missing frames.
    F = ["MdpMissingFrame"]
    g.t("empty-message", "No frame at all: the header is missing", F + ["Empty"], H02, [], err(MISSING, 0))
    g.t("client-no-command", "MDPC02 alone: no command frame", F, cat(CC02, CLIENT02), [C2], err(MISSING, 1))
    g.t("request-no-service", "REQUEST cut after 0x01: no service frame", F, [CREQ02, SVC02], [C2, 1],
        err(MISSING, 2))
    g.t("request-no-body", "REQUEST cut after the service: no body frame (4 frames or more)", F, [CREQ02],
        [C2, 1, "echo"], err(MISSING, 3))
    g.t("client-partial-no-service", "PARTIAL cut after 0x02", F, [CPAR02, SVC02], [C2, 2], err(MISSING, 2))
    g.t("client-partial-no-body", "PARTIAL cut after the service", F, [CPAR02], [C2, 2, "echo"],
        err(MISSING, 3))
    g.t("client-final-no-service", "FINAL cut after 0x03", F, [CFIN02, SVC02], [C2, 3], err(MISSING, 2))
    g.t("client-final-no-body", "FINAL cut after the service", F, [CFIN02], [C2, 3, "echo"], err(MISSING, 3))
    g.t("worker-no-command", "MDPW02 alone: no command frame", F, cat(WC02, WORKER02), [W2], err(MISSING, 1))
    g.t("ready-no-service", "READY cut after 0x01: no service frame", F, [READY02, SVC02], [W2, 1],
        err(MISSING, 2))
    g.t("request-no-address", "Worker-side REQUEST cut after 0x02: no client address", F, [REQ02, ONE02],
        [W2, 2], err(MISSING, 2))
    g.t("request-no-delimiter", "Worker-side REQUEST cut after the address", F, [REQ02, DELIM02],
        [W2, 2, ADDR], err(MISSING, 3))
    g.t("worker-request-no-body", "Worker-side REQUEST cut after the delimiter (5 frames or more)", F, [REQ02],
        [W2, 2, ADDR, ""], err(MISSING, 4))
    g.t("partial-no-address", "PARTIAL cut after 0x03", F, [PAR02, ONE02], [W2, 3], err(MISSING, 2))
    g.t("partial-no-delimiter", "PARTIAL cut after the address", F, [PAR02, DELIM02], [W2, 3, ADDR],
        err(MISSING, 3))
    g.t("partial-no-body", "PARTIAL cut after the delimiter", F, [PAR02], [W2, 3, ADDR, ""], err(MISSING, 4))
    g.t("final-no-address", "MDPW02 and 0x04 alone: a 0.1 HEARTBEAT's octet, but in 0.2 a FINAL, cut before "
        "its client address", F + ["CrossVersion"], [FIN02, ONE02], [W2, 4], err(MISSING, 2))
    g.t("final-no-delimiter", "FINAL cut after the address", F, [FIN02, DELIM02], [W2, 4, ADDR],
        err(MISSING, 3))
    g.t("final-no-body", "FINAL cut after the delimiter", F, [FIN02], [W2, 4, ADDR, ""], err(MISSING, 4))
    g.t("request-empty-address-no-body", "Worker-side REQUEST with an empty address and the delimiter, then "
        "nothing: the body is missing", F + ["Envelope", "EmptyFrame"], [REQ02], [W2, 2, "", ""],
        err(MISSING, 4))

    # Extra frames.
    F = ["MdpExtraFrame"]
    g.t("ready-extra", "READY with a fourth frame 'hello' (READY is exactly 3 frames)", F, [READY02],
        [W2, 1, "echo", "hello"], err(EXTRA, 3))
    g.t("ready-extra-empty", "READY with a fourth, empty frame", F, [READY02], [W2, 1, "echo", ""],
        err(EXTRA, 3))
    g.t("heartbeat-extra-empty", "HEARTBEAT with a third, empty frame (HEARTBEAT is exactly 2 frames)", F,
        [HB02], [W2, 5, ""], err(EXTRA, 2))
    g.t("heartbeat-extra", "HEARTBEAT with a third frame 'x'", F, [HB02], [W2, 5, "x"], err(EXTRA, 2))
    g.t("disconnect-extra-empty", "DISCONNECT with a third, empty frame", F, [DC02], [W2, 6, ""],
        err(EXTRA, 2))
    g.t("disconnect-extra-two", "DISCONNECT with two more frames: the first of them is reported", F, [DC02],
        [W2, 6, "a", "b"], err(EXTRA, 2))

    # Command frame.
    F = ["MdpCommand"]
    g.t("worker-command-00", "Worker command octet 0x00", F, [WC02], [W2, 0], err(COMMAND, 1))
    g.t("worker-command-07", "Worker command octet 0x07, one past DISCONNECT", F, [WC02], [W2, 7],
        err(COMMAND, 1))
    g.t("worker-command-ff", "Worker command octet 0xFF before a service frame", F, [WC02], [W2, 0xFF, "echo"],
        err(COMMAND, 1))
    g.t("worker-command-two-octets", "Worker command frame of two octets 05 00", F, [WC02], [W2, b"\x05\x00"],
        err(COMMAND, 1))
    g.t("worker-command-empty", "Empty worker command frame", F, [WC02], [W2, ""], err(COMMAND, 1))
    g.t("client-command-00", "Client command octet 0x00", F, [CC02], [C2, 0, "echo", "hello"],
        err(COMMAND, 1))
    g.t("client-command-04", "Client command octet 0x04 (FINAL on the worker side, no client command)", F,
        [CC02], [C2, 4, "echo", "hello"], err(COMMAND, 1))
    g.t("client-command-two-octets", "Client command frame of two octets 01 01", F, [CC02],
        [C2, b"\x01\x01", "echo", "hello"], err(COMMAND, 1))
    g.t("client-command-empty", "Empty client command frame", F, [CC02], [C2, "", "echo", "hello"],
        err(COMMAND, 1))

    # Service name.
    F = ["MdpServiceName"]
    g.t("request-service-empty", "REQUEST with an empty service name", F, [SVC02, CREQ02], [C2, 1, "", "hello"],
        err(SERVICE, 2))
    g.t("partial-service-1f", "PARTIAL whose service name is 0x1F", F, [SVC02, CPAR02], [C2, 2, "\x1f", "x"],
        err(SERVICE, 2))
    g.t("final-service-7f", "FINAL whose service name is 0x7F", F, [SVC02, CFIN02], [C2, 3, "\x7f", "x"],
        err(SERVICE, 2))
    g.t("request-service-80", "REQUEST whose service name 'echo' ends in 0x80", F, [SVC02, CREQ02],
        [C2, 1, "echo\x80", "x"], err(SERVICE, 2))
    g.t("request-service-nul", "REQUEST whose service name is one octet 0x00", F, [SVC02, CREQ02],
        [C2, 1, "\x00", "x"], err(SERVICE, 2))
    g.t("request-service-empty-no-body", "REQUEST with an empty service name and no body: the service frame "
        "comes first", F + ["FirstErrorWins"], [SVC02, CREQ02], [C2, 1, ""], err(SERVICE, 2))
    g.t("ready-service-empty", "READY with an empty service name", F, [SVC02, READY02], [W2, 1, ""],
        err(SERVICE, 2))
    g.t("ready-service-nul", "READY whose service name 'echo' ends in 0x00", F, [SVC02, READY02],
        [W2, 1, "echo\x00"], err(SERVICE, 2))
    g.t("ready-service-1f", "READY whose service name starts with 0x1F", F, [SVC02, READY02],
        [W2, 1, "\x1fecho"], err(SERVICE, 2))
    g.t("ready-service-empty-extra", "READY with an empty service name and a fourth frame: the service frame "
        "comes first", F + ["FirstErrorWins"], [SVC02, READY02], [W2, 1, "", ""], err(SERVICE, 2))

    # Delimiter and envelope.
    F = ["MdpDelimiter"]
    g.t("request-delimiter-nonempty", "Worker-side REQUEST whose delimiter is 'x'", F, [DELIM02, ONE02, REQ02],
        [W2, 2, ADDR, "x", "hello"], err(DELIMITER, 3))
    g.t("request-two-hops", "Worker-side REQUEST with two address frames: the second stands where the "
        "delimiter must be (precisely one address frame)", F + ["Envelope"], [ONE02, DELIM02, REQ02],
        [W2, 2, ADDR, ADDR2, "", "hello"], err(DELIMITER, 3))
    g.t("partial-delimiter-nonempty", "PARTIAL whose delimiter is one octet 0x00", F, [DELIM02, ONE02, PAR02],
        [W2, 3, ADDR, "\x00", "x"], err(DELIMITER, 3))
    g.t("final-two-hops", "FINAL with two address frames", F + ["Envelope"], [ONE02, DELIM02, FIN02],
        [W2, 4, ADDR, ADDR2, "", "x"], err(DELIMITER, 3))
    g.t("request-no-address-frame", "Worker-side REQUEST with no address at all: the empty frame is read as "
        "the address and the body stands where the delimiter must be", F + ["Envelope"],
        [DELIM02, ONE02, REQ02], [W2, 2, "", "hello"], err(DELIMITER, 3))
    g.t("final-delimiter-nonempty-last", "FINAL whose last frame, where the delimiter must be, is 'x': the "
        "delimiter is reported, not the missing body", F + ["FirstErrorWins"], [DELIM02, ONE02, FIN02],
        [W2, 4, ADDR, "x"], err(DELIMITER, 3))

    # ---------------------------------------------------------------- version 0.2, MDP/Client only
    g = vf.group("0.2", "client")
    g.t("client-only-request", "REQUEST in a client-only group", ["Valid"], OK_CREQ02, [C2, 1, "echo", "hello"],
        ok(client02("REQUEST", "echo", ["hello"])))
    g.t("client-only-final", "FINAL in a client-only group", ["Valid"], OK_CFIN02, [C2, 3, "echo", "done"],
        ok(client02("FINAL", "echo", ["done"])))
    F = ["MdpHeader", "SubprotocolPolicy"]
    g.t("client-only-ready", "A well-formed READY (MDPW02) in a client-only group", F, [CH02],
        [W2, 1, "echo"], err(HEADER, 0))
    g.t("client-only-heartbeat", "A well-formed HEARTBEAT in a client-only group", F, [CH02], [W2, 5],
        err(HEADER, 0))
    g.t("client-only-worker-header-alone", "MDPW02 alone in a client-only group: the header is refused before "
        "the missing command", F + ["FirstErrorWins"], [CH02], [W2], err(HEADER, 0))
    g.t("client-only-v01", "A well-formed 0.1 MDP/Client message in a 0.2 client-only group",
        ["MdpHeader", "VersionPolicy"], [CH02], ["", C1, "echo", "hello"], err(HEADER, 0))

    # ---------------------------------------------------------------- version 0.2, MDP/Worker only
    g = vf.group("0.2", "worker")
    g.t("worker-only-ready", "READY in a worker-only group", ["Valid"], OK_READY02, [W2, 1, "echo"],
        ok(ready("0.2", "echo")))
    g.t("worker-only-heartbeat", "HEARTBEAT in a worker-only group", ["Valid"], OK_HB02, [W2, 5],
        ok(bare("0.2", "HEARTBEAT")))
    g.t("worker-only-final", "FINAL in a worker-only group", ["Valid"], OK_FIN02, [W2, 4, ADDR, "", "done"],
        ok(routed("0.2", "FINAL", ADDR, ["done"])))
    F = ["MdpHeader", "SubprotocolPolicy"]
    g.t("worker-only-client-request", "A well-formed REQUEST (MDPC02) in a worker-only group", F, [WH02],
        [C2, 1, "echo", "hello"], err(HEADER, 0))
    g.t("worker-only-client-header-alone", "MDPC02 alone in a worker-only group: the header is refused before "
        "the missing command", F + ["FirstErrorWins"], [WH02], [C2], err(HEADER, 0))
    g.t("worker-only-empty-message", "No frame at all in a worker-only group", ["MdpMissingFrame", "Empty"],
        [WH02], [], err(MISSING, 0))
    return vf


# ==========================================================================
# mdp_any_test.json: a broker's view of both versions (version "any", DECISIONS M2-2)

def gen_mdp_any():
    vf = VFile("mdp_any", "0.1 and 0.2", [
        "Majordomo messages of both versions as one broker sees them (vectors/FORMAT.md, decoder mdp, version",
        "any): the first frame decides (DECISIONS M2-2): an empty frame then MDPC01 / MDPW01 is 0.1, MDPC02 /",
        "MDPW02 first is 0.2; an empty frame then MDPC02 / MDPW02, or a 0.1 header without its empty frame, is",
        "no header. The version then numbers the commands. Groups for both sub-protocols, MDP/Client only and",
        "MDP/Worker only. Error offsets are frame indexes.",
    ])

    # ---------------------------------------------------------------- any version, both sub-protocols
    g = vf.group("any", "any")
    V = ["Valid", "VersionDetection"]
    g.t("v01-client", "An empty frame then MDPC01: 0.1 MDP/Client", V, OK_CLIENT01, ["", C1, "echo", "hello"],
        ok(client01("echo", ["hello"])))
    g.t("v02-client-request", "MDPC02 first: 0.2 REQUEST", V, OK_CREQ02, [C2, 1, "echo", "hello"],
        ok(client02("REQUEST", "echo", ["hello"])))
    g.t("v02-client-partial", "MDPC02 first: 0.2 PARTIAL", V, OK_CPAR02, [C2, 2, "echo", "part"],
        ok(client02("PARTIAL", "echo", ["part"])))
    g.t("v01-ready", "An empty frame then MDPW01: 0.1 READY", V, OK_READY01, ["", W1, 1, "echo"],
        ok(ready("0.1", "echo")))
    g.t("v02-ready", "MDPW02 first: 0.2 READY", V, OK_READY02, [W2, 1, "echo"], ok(ready("0.2", "echo")))
    g.t("v01-request", "0.1 worker-side REQUEST", V, OK_REQ01, ["", W1, 2, ADDR, "", "hello"],
        ok(routed("0.1", "REQUEST", ADDR, ["hello"])))
    g.t("v02-request", "0.2 worker-side REQUEST", V, OK_REQ02, [W2, 2, ADDR, "", "hello"],
        ok(routed("0.2", "REQUEST", ADDR, ["hello"])))
    g.t("v01-reply", "0x03 under an 0.1 header: REPLY", V + ["CrossVersion"], OK_REP01,
        ["", W1, 3, ADDR, "", "world"], ok(routed("0.1", "REPLY", ADDR, ["world"])))
    g.t("v02-partial", "0x03 under a 0.2 header: PARTIAL", V + ["CrossVersion"], OK_PAR02,
        [W2, 3, ADDR, "", "world"], ok(routed("0.2", "PARTIAL", ADDR, ["world"])))
    g.t("v02-final", "0x04 under a 0.2 header: FINAL", V + ["CrossVersion"], OK_FIN02, [W2, 4, ADDR, "", "done"],
        ok(routed("0.2", "FINAL", ADDR, ["done"])))
    g.t("v01-heartbeat", "0x04 under an 0.1 header: HEARTBEAT", V + ["CrossVersion"], OK_HB01, ["", W1, 4],
        ok(bare("0.1", "HEARTBEAT")))
    g.t("v02-heartbeat", "0x05 under a 0.2 header: HEARTBEAT", V + ["CrossVersion"], OK_HB02, [W2, 5],
        ok(bare("0.2", "HEARTBEAT")))
    g.t("v01-disconnect", "0x05 under an 0.1 header: DISCONNECT", V + ["CrossVersion"], OK_DC01, ["", W1, 5],
        ok(bare("0.1", "DISCONNECT")))
    g.t("v02-disconnect", "0x06 under a 0.2 header: DISCONNECT", V, OK_DC02, [W2, 6],
        ok(bare("0.2", "DISCONNECT")))

    # Header: the decisions of M2-2.
    F = ["MdpHeader", "VersionDetection"]
    g.t("empty-then-mdpc02", "An empty frame then MDPC02 (a 0.2 client on a REQ socket): no header, at frame 1 "
        "(DECISIONS M2-2)", F + ["CrossVersion"], HANY_1, ["", C2, 1, "echo", "hello"], err(HEADER, 1))
    g.t("empty-then-mdpw02", "An empty frame then MDPW02: no header, at frame 1", F + ["CrossVersion"], HANY_1,
        ["", W2, 6], err(HEADER, 1))
    g.t("mdpc01-first", "MDPC01 as frame 0, without the 0.1 empty frame: no header", F + ["CrossVersion"],
        HANY_0, [C1, "echo", "hello"], err(HEADER, 0))
    g.t("mdpw01-first", "MDPW01 as frame 0, without the 0.1 empty frame", F + ["CrossVersion"], HANY_0,
        [W1, 4], err(HEADER, 0))
    g.t("leading-frame-nonempty", "Frame 0 is 0x00, then a 0.1 client message", F, HANY_0,
        ["\x00", C1, "echo", "hello"], err(HEADER, 0))
    g.t("frame0-mdpw03", "Frame 0 'MDPW03': neither empty nor a 0.2 header", F, HANY_0, ["MDPW03", 1, "echo"],
        err(HEADER, 0))
    g.t("frame0-lower-case", "Frame 0 'mdpc02'", F, HANY_0, ["mdpc02", 1, "echo", "hello"], err(HEADER, 0))
    g.t("frame1-mdpc03", "An empty frame then 'MDPC03'", F, H01_1, ["", "MDPC03", "echo", "hello"],
        err(HEADER, 1))
    g.t("frame1-lower-case", "An empty frame then 'mdpw01'", F, H01_1, ["", "mdpw01", 4], err(HEADER, 1))
    g.t("frame1-empty", "Two empty frames", F, H01_1, ["", "", "echo", "hello"], err(HEADER, 1))

    # Missing frames.
    F = ["MdpMissingFrame"]
    g.t("empty-message", "No frame at all", F + ["Empty"], HANY_0, [], err(MISSING, 0))
    g.t("only-empty-frame", "One empty frame: the 0.1 path, whose header frame is missing",
        F + ["VersionDetection"], H01_1, [""], err(MISSING, 1))
    g.t("v01-worker-no-command", "An empty frame and MDPW01, then nothing", F, WORKER01, ["", W1],
        err(MISSING, 2))
    g.t("v02-worker-no-command", "MDPW02 alone", F, cat(WC02, WORKER02), [W2], err(MISSING, 1))
    g.t("v01-client-no-body", "0.1 MDP/Client cut after the service", F, CLIENT01, ["", C1, "echo"],
        err(MISSING, 3))
    g.t("v02-final-no-body", "0.2 FINAL (client side) cut after the service", F, [CFIN02], [C2, 3, "echo"],
        err(MISSING, 3))
    g.t("v02-final-no-address", "MDPW02 and 0x04: FINAL under a 0.2 header (an 0.1 HEARTBEAT's octet), cut "
        "before its address", F + ["CrossVersion"], [FIN02, ONE02], [W2, 4], err(MISSING, 2))
    g.t("v01-request-no-body", "0.1 worker-side REQUEST cut after the delimiter", F, [REQ01],
        ["", W1, 2, ADDR, ""], err(MISSING, 5))

    # Command, extra frames, service, delimiter: the version numbers the commands.
    g.t("v01-command-06", "0x06 under an 0.1 header: DISCONNECT in 0.2 only, no 0.1 command",
        ["MdpCommand", "CrossVersion"], WORKER01, ["", W1, 6], err(COMMAND, 2))
    g.t("v02-command-07", "0x07 under a 0.2 header", ["MdpCommand"], [WC02], [W2, 7], err(COMMAND, 1))
    g.t("v02-client-command-04", "Client command 0x04 under MDPC02", ["MdpCommand"], [CC02],
        [C2, 4, "echo", "hello"], err(COMMAND, 1))
    g.t("v01-heartbeat-extra", "0.1 HEARTBEAT with a fourth, empty frame", ["MdpExtraFrame"], [HB01],
        ["", W1, 4, ""], err(EXTRA, 3))
    g.t("v02-heartbeat-extra", "0.2 HEARTBEAT with a third, empty frame", ["MdpExtraFrame"], [HB02],
        [W2, 5, ""], err(EXTRA, 2))
    g.t("v02-request-service-empty", "0.2 REQUEST with an empty service name", ["MdpServiceName"],
        [SVC02, CREQ02], [C2, 1, "", "hello"], err(SERVICE, 2))
    g.t("v01-ready-service-7f", "0.1 READY whose service name is 0x7F", ["MdpServiceName"], [SVC01, READY01],
        ["", W1, 1, "\x7f"], err(SERVICE, 3))
    g.t("v01-request-two-hops", "0.1 worker-side REQUEST with two address frames", ["MdpDelimiter", "Envelope"],
        [ONE01, DELIM01, REQ01], ["", W1, 2, ADDR, ADDR2, "", "hello"], err(DELIMITER, 4))
    g.t("v02-final-two-hops", "0.2 FINAL with two address frames", ["MdpDelimiter", "Envelope"],
        [ONE02, DELIM02, FIN02], [W2, 4, ADDR, ADDR2, "", "done"], err(DELIMITER, 3))

    # ---------------------------------------------------------------- any version, MDP/Client only
    g = vf.group("any", "client")
    g.t("client-only-v01", "0.1 MDP/Client in a client-only group", V, OK_CLIENT01, ["", C1, "echo", "hello"],
        ok(client01("echo", ["hello"])))
    g.t("client-only-v02", "0.2 FINAL in a client-only group", V, OK_CFIN02, [C2, 3, "echo", "done"],
        ok(client02("FINAL", "echo", ["done"])))
    F = ["MdpHeader", "SubprotocolPolicy"]
    g.t("client-only-v01-ready", "0.1 READY in a client-only group: MDPW01 at frame 1 is refused", F, H01C_1,
        ["", W1, 1, "echo"], err(HEADER, 1))
    g.t("client-only-v02-ready", "0.2 READY in a client-only group: MDPW02 at frame 0 is refused", F,
        cat(CH02, H01C_0), [W2, 1, "echo"], err(HEADER, 0))
    g.t("client-only-empty-then-mdpc02", "An empty frame then MDPC02 in a client-only group",
        ["MdpHeader", "VersionDetection"], cat(H01C_1, CH02), ["", C2, 1, "echo", "hello"], err(HEADER, 1))
    g.t("client-only-only-empty", "One empty frame in a client-only group", ["MdpMissingFrame"], H01C_1, [""],
        err(MISSING, 1))

    # ---------------------------------------------------------------- any version, MDP/Worker only
    g = vf.group("any", "worker")
    g.t("worker-only-v01-ready", "0.1 READY in a worker-only group", V, OK_READY01, ["", W1, 1, "echo"],
        ok(ready("0.1", "echo")))
    g.t("worker-only-v02-ready", "0.2 READY in a worker-only group", V, OK_READY02, [W2, 1, "echo"],
        ok(ready("0.2", "echo")))
    g.t("worker-only-v02-disconnect", "0.2 DISCONNECT in a worker-only group", V, OK_DC02, [W2, 6],
        ok(bare("0.2", "DISCONNECT")))
    g.t("worker-only-v01-client", "0.1 MDP/Client in a worker-only group: MDPC01 at frame 1 is refused", F,
        H01W, ["", C1, "echo", "hello"], err(HEADER, 1))
    g.t("worker-only-v02-client", "0.2 REQUEST in a worker-only group: MDPC02 at frame 0 is refused", F,
        cat(WH02, H01W), [C2, 1, "echo", "hello"], err(HEADER, 0))
    g.t("worker-only-empty-then-mdpw02", "An empty frame then MDPW02 in a worker-only group",
        ["MdpHeader", "VersionDetection"], cat(H01W, WH02), ["", W2, 1, "echo"], err(HEADER, 1))
    g.t("worker-only-empty-message", "No frame at all in a worker-only group", ["MdpMissingFrame", "Empty"],
        cat(WH02, H01W), [], err(MISSING, 0))
    return vf


# ==========================================================================

GENERATORS = [("mdp01", gen_mdp01), ("mdp02", gen_mdp02), ("mdp_any", gen_mdp_any)]


def main(argv=None):
    return vector_file.main(__doc__, GENERATORS, OUTDIR, GENERATED_SPECS, argv)


if __name__ == "__main__":
    sys.exit(main())
