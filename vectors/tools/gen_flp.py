#!/usr/bin/python3
"""Generate the zwire Freelance golden vectors: vectors/flp/flp_test.json.

Kept in the repository for provenance (see vectors/FORMAT.md, decoder `flp`).

Like gen_zmtp.py and gen_mdp.py, this generator is an independent view of the layouts: it
never decodes anything.  Every vector is one row of a table below: its frames, written out,
and its expected report, written out too: the message for a well-formed input, or the error
class and the FRAME index (FORMAT.md: the number of frames, since the one error of this
decoder is a message that ends before a frame its layout needs).  The helpers only build
report objects from the values a row gives them; none of them derives an offset.

The layouts (spec/flp.md; frames without the routing frame a ROUTER socket adds on receipt):

  to a server (direction "to-server")   PING               one frame, the four octets PING
                                        REQUEST            CCF | body+
  to a client (direction "to-client")   PONG               one frame, the four octets PONG
                                        REPLY              CCF | body+

The frame count decides first (DECISIONS F3): one frame is a ping (a pong) or nothing, two
frames or more a request (a reply) whatever the CCF holds, PING and PONG included; a CCF and a
body frame may hold anything, empty included (F4).  A message of no frame, or of one frame
that is not exactly PING (to a server) or PONG (to a client), ends before the body frame a
request (a reply) needs: flp-missing-frame at the frame count (0 or 1), the codecs naming
flp.grammar.request (to a server) or flp.grammar.reply (to a client); the vector also cites
the ping (pong) row, the other layout such a message fails.

The result of a malformed message is not written here: spec/leniency.md gives it for its
input class (FlpMissingFrame: acceptable, the layouts bind the sender and the RFC names no
action of the receiver, DECISIONS F5), and vector_file.leniency derives it from the flags.

tcIds come from vectors/tools/tcids.json (area flp), assigned by vector_file.py as for the
other generators: a slug keeps its tcId forever, a new slug gets max(all ids ever used in the
file) + 1, a slug no longer generated is retired.

Usage:
    /usr/bin/python3 vectors/tools/gen_flp.py           # write files + registry
    /usr/bin/python3 vectors/tools/gen_flp.py --check   # exit 1 if anything would change
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import vector_file  # noqa: E402
from vector_file import LENIENCY, TABLE  # noqa: E402

OUTDIR = vector_file.VECDIR / "flp"

# The specs whose wire clauses these vectors must all cite.
GENERATED_SPECS = ("flp",)


# --------------------------------------------------------------------------
# Flags (notes).  The file carries only the flags its vectors use.

NOTES = {
    "Valid": ("BASIC", "A well-formed message: every conformant decoder takes it and reports `message`."),
    "MultiFrameBody": ("EDGE_CASE", "Several body frames: the body is every frame after the CCF, in order."),
    "EmptyFrame": ("EDGE_CASE", "An empty CCF or an empty body frame: a CCF and body frames may hold "
                                "anything, empty included (DECISIONS F4)."),
    "BinaryCcf": ("EDGE_CASE", "A CCF of binary octets (a sequence number of 1, 4 or 8 octets, a CCF of 255 "
                               "octets or more): the CCF is opaque, a client may use it for any purpose "
                               "(flp.client.ccf-any-use, DECISIONS F4)."),
    "BinaryBody": ("EDGE_CASE", "A body frame holding octets outside ASCII (every value 0x00..0xFF), or "
                                "long: the body is opaque binary."),
    "CcfLikeCommand": ("EDGE_CASE", "A message of two frames or more whose CCF or body spells PING or PONG: "
                                    "the frame count decides first, so it is a request (a reply) like any "
                                    "other (DECISIONS F3)."),
    "CommandSpelling": ("EDGE_CASE", "One frame close to PING (PONG) but not it: another case, an octet "
                                     "more or less, a NUL or a space. PING and PONG compare octet for octet "
                                     "(DECISIONS F3)."),
    "DirectionParam": ("MODIFIED_PARAMETER", "A message well formed in the other direction only (PONG to a "
                                             "server, PING to a client): the group's `direction` param "
                                             "decides which layouts the decoder takes."),
    "CcfOnly": ("EDGE_CASE", "One frame that would be a CCF: a request (a reply) needs at least one body "
                             "frame after it (two frames or more)."),
    "Empty": ("EDGE_CASE", "A message of no frame at all."),
}

# The flag that names an input class of spec/leniency.md: its description comes from the
# table (vector_file.describe), only its bug type from here.
NOTES.update({"FlpMissingFrame": ("MALFORMED_INPUT", None)})

# The one error class (spec/leniency.md, column Codecs).
MISSING = "flp-missing-frame"


# --------------------------------------------------------------------------
# Frames and reports.

PING, PONG = b"PING", b"PONG"
BIN = bytes(range(256))                         # every octet value
SEQ1 = bytes.fromhex("07")                      # a sequence number of 1 octet
SEQ4 = bytes.fromhex("00000001")                # of 4 octets, network order
SEQ8 = bytes.fromhex("0000000000000102")        # of 8 octets
SEQ4_HIGH = bytes.fromhex("ffffffff")           # the last 4-octet number
SEQ8_HIGH = bytes.fromhex("ffffffffffffffff")   # the last 8-octet number
CCF255 = bytes(range(255))                      # 255 octets, 0x00..0xFE
CCF256 = bytes(range(256))[::-1]                # 256 octets, 0xFF..0x00
LONG_BODY = bytes(i % 251 for i in range(4096))  # a 4096-octet body frame


def frame(part):
    """One frame: a str is ASCII text (with \\xNN escapes for octets up to 0xFF), bytes are
    taken as they are."""
    if isinstance(part, str):
        return part.encode("latin-1")
    return bytes(part)


def frames(parts):
    return [frame(p) for p in parts]


def hexes(parts):
    return [frame(p).hex() for p in parts]


def ok(message):
    return {"state": "complete", "error": None, "message": message}


def err(cls, at):
    """An error report: class and the frame index `at`, as the row writes it."""
    return {"state": "error", "error": {"class": cls, "offset": at}, "message": None}


def ping():
    return {"command": "PING"}


def pong():
    return {"command": "PONG"}


def request(ccf, body):
    return {"command": "REQUEST", "ccf": frame(ccf).hex(), "body": hexes(body)}


def reply(ccf, body):
    return {"command": "REPLY", "ccf": frame(ccf).hex(), "body": hexes(body)}


# --------------------------------------------------------------------------
# Clauses.  What a vector cites: the rows it exercises, and for an error every row a codec
# could reasonably cite for it (a checker accepts a codec's clause when it is among them).

G_PING = "flp.grammar.ping"
G_REQUEST = "flp.grammar.request"
G_PONG = "flp.grammar.pong"
G_REPLY = "flp.grammar.reply"
S_PONG = "flp.server.pong"              # a server answers a ping with a pong
S_REPLY_CCF = "flp.server.reply-ccf"    # a server returns the request's CCF first in its reply
CCF_ANY = "flp.client.ccf-any-use"      # a client may put anything in its CCF

OK_PING = [G_PING, S_PONG]
OK_REQUEST = [G_REQUEST, S_REPLY_CCF]
OK_REQUEST_CCF = OK_REQUEST + [CCF_ANY]          # a request whose CCF content is the point
OK_PONG = [G_PONG, S_PONG]
OK_REPLY = [G_REPLY, S_REPLY_CCF]
OK_REPLY_CCF = OK_REPLY + [CCF_ANY]

# The errors: the layout a codec names first (FORMAT.md), then the one-frame row.
BAD_TO_SERVER = [G_REQUEST, G_PING]
BAD_TO_CLIENT = [G_REPLY, G_PONG]


# --------------------------------------------------------------------------
# The vector file.

class Group(vector_file.Group):
    def __init__(self, vfile, direction):
        super().__init__(vfile, "flp", {"direction": direction})
        self.direction = direction
        self.seen = {}

    def t(self, slug, comment, flags, clauses, parts, expected):
        vf = self.vfile
        classes = [f for f in flags if f in LENIENCY]
        result, clauses = self.admit(slug, comment, flags, clauses, TABLE if classes else "valid")
        state, error, message = expected["state"], expected["error"], expected["message"]
        assert state in ("complete", "error") and (error is None) == (state == "complete"), slug
        assert (message is None) == (state == "error"), slug
        if state == "complete":
            assert result == "valid" and not classes and "Valid" in flags, f"{slug}: a message taken is valid"
            # The command is the group's direction's (the report says what the row wrote).
            assert message["command"] in ({"PING", "REQUEST"} if self.direction == "to-server"
                                          else {"PONG", "REPLY"}), f"{slug}: not a {self.direction} message"
        else:
            assert classes == ["FlpMissingFrame"] and error["class"] == MISSING == LENIENCY[classes[0]].codecs, \
                f"{slug}: {error['class']} needs the flag of its class, and only it"
            assert result == "acceptable", slug
            assert error["offset"] == len(parts) <= 1, f"{slug}: a missing frame is reported at the frame count"
            layout = G_REQUEST if self.direction == "to-server" else G_REPLY
            assert clauses[0] == layout, f"{slug}: an error cites {layout} first, the clause a codec names"
        chunks = [f.hex() for f in frames(parts)]
        key = tuple(chunks)
        assert key not in self.seen, f"{vf.area}: {slug}: same frames as {self.seen[key]} in this group"
        self.seen[key] = slug
        self.add(slug, comment, flags, clauses, chunks, result, expected)


class VFile(vector_file.VectorFile):
    def __init__(self, area, header):
        super().__init__(area, "flp", "10/FLP", header, NOTES)

    def group(self, direction):
        g = Group(self, direction)
        self.groups.append(g)
        return g


# ==========================================================================
# flp_test.json: 10/FLP

def gen_flp():
    vf = VFile("flp", [
        "10/FLP (Freelance) messages as frame lists, one hex string per frame (vectors/FORMAT.md, decoder",
        "flp), without the routing frame a ROUTER socket adds: what a server receives (PING, REQUEST) and",
        "what a client receives (PONG, REPLY); CCFs empty, binary (sequence numbers of 1, 4 and 8 octets,",
        "255 octets) or spelling PING / PONG (the frame count decides first, DECISIONS F3); bodies of one,",
        "several and empty frames; messages of no frame or of one frame that is not PING / PONG",
        "(flp-missing-frame, acceptable). Error offsets are frame indexes.",
    ])

    # ---------------------------------------------------------------- to a server
    g = vf.group("to-server")
    V = ["Valid"]

    g.t("ping", "PING: one frame of the four octets 'PING'", V, OK_PING, [PING], ok(ping()))

    g.t("request", "REQUEST: a 4-octet sequence number as CCF, one body frame 'hello'", V, OK_REQUEST,
        [SEQ4, "hello"], ok(request(SEQ4, ["hello"])))
    g.t("request-text-ccf", "REQUEST whose CCF is text ('req-42') and whose body is 'echo me'", V, OK_REQUEST_CCF,
        ["req-42", "echo me"], ok(request("req-42", ["echo me"])))
    g.t("request-several-body", "REQUEST with three body frames, kept in order", V + ["MultiFrameBody"],
        OK_REQUEST, [SEQ4, "part-1", "part-2", "part-3"], ok(request(SEQ4, ["part-1", "part-2", "part-3"])))
    g.t("request-ten-body", "REQUEST with ten one-octet body frames '0'..'9'", V + ["MultiFrameBody"], OK_REQUEST,
        [SEQ4] + [str(i) for i in range(10)], ok(request(SEQ4, [str(i) for i in range(10)])))
    g.t("request-empty-ccf", "REQUEST whose CCF is empty (two frames: an empty one, then 'hello')",
        V + ["EmptyFrame"], OK_REQUEST_CCF, ["", "hello"], ok(request("", ["hello"])))
    g.t("request-empty-body", "REQUEST whose one body frame is empty (at least one body frame, of any size: "
        "DECISIONS F4)", V + ["EmptyFrame"], OK_REQUEST, [SEQ4, ""], ok(request(SEQ4, [""])))
    g.t("request-all-empty", "REQUEST of two empty frames: an empty CCF and an empty body frame",
        V + ["EmptyFrame"], OK_REQUEST_CCF, ["", ""], ok(request("", [""])))
    g.t("request-empty-bodies", "REQUEST with three empty body frames", V + ["EmptyFrame", "MultiFrameBody"],
        OK_REQUEST, [SEQ4, "", "", ""], ok(request(SEQ4, ["", "", ""])))
    g.t("request-empty-middle-body", "REQUEST with body frames 'a', an empty frame, 'c'",
        V + ["EmptyFrame", "MultiFrameBody"], OK_REQUEST, [SEQ4, "a", "", "c"], ok(request(SEQ4, ["a", "", "c"])))
    g.t("request-seq-1", "REQUEST whose CCF is a 1-octet sequence number (07)", V + ["BinaryCcf"], OK_REQUEST_CCF,
        [SEQ1, "hello"], ok(request(SEQ1, ["hello"])))
    g.t("request-seq-4-high", "REQUEST whose CCF is the 4-octet sequence number ff ff ff ff",
        V + ["BinaryCcf"], OK_REQUEST_CCF, [SEQ4_HIGH, "hello"], ok(request(SEQ4_HIGH, ["hello"])))
    g.t("request-seq-8", "REQUEST whose CCF is an 8-octet sequence number (00..01 02)", V + ["BinaryCcf"],
        OK_REQUEST_CCF, [SEQ8, "hello"], ok(request(SEQ8, ["hello"])))
    g.t("request-seq-8-high", "REQUEST whose CCF is the 8-octet sequence number ff x 8", V + ["BinaryCcf"],
        OK_REQUEST_CCF, [SEQ8_HIGH, "hello"], ok(request(SEQ8_HIGH, ["hello"])))
    g.t("request-ccf-nul", "REQUEST whose CCF is one octet 00", V + ["BinaryCcf"], OK_REQUEST_CCF,
        ["\x00", "hello"], ok(request("\x00", ["hello"])))
    g.t("request-ccf-255", "REQUEST whose CCF is 255 octets (00..fe)", V + ["BinaryCcf"], OK_REQUEST_CCF,
        [CCF255, "hello"], ok(request(CCF255, ["hello"])))
    g.t("request-ccf-256", "REQUEST whose CCF is 256 octets (ff..00): no length limit on a CCF",
        V + ["BinaryCcf"], OK_REQUEST_CCF, [CCF256, "hello"], ok(request(CCF256, ["hello"])))
    g.t("request-binary-body", "REQUEST whose body frame holds every octet 0x00..0xFF", V + ["BinaryBody"],
        OK_REQUEST, [SEQ4, BIN], ok(request(SEQ4, [BIN])))
    g.t("request-long-body", "REQUEST whose body frame is 4096 octets", V + ["BinaryBody"], OK_REQUEST,
        [SEQ8, LONG_BODY], ok(request(SEQ8, [LONG_BODY])))
    g.t("request-ccf-ping", "Two frames whose first is 'PING': a request with CCF 'PING', not a ping "
        "(DECISIONS F3)", V + ["CcfLikeCommand"], OK_REQUEST_CCF + [G_PING], [PING, "hello"],
        ok(request(PING, ["hello"])))
    g.t("request-ping-ping", "Two frames 'PING', 'PING': a request (CCF 'PING', body 'PING')",
        V + ["CcfLikeCommand"], OK_REQUEST_CCF + [G_PING], [PING, PING], ok(request(PING, [PING])))
    g.t("request-ping-empty", "Two frames 'PING' and an empty one: a request with an empty body frame",
        V + ["CcfLikeCommand", "EmptyFrame"], OK_REQUEST_CCF + [G_PING], [PING, ""], ok(request(PING, [""])))
    g.t("request-three-pings", "Three frames 'PING': a request with two body frames",
        V + ["CcfLikeCommand", "MultiFrameBody"], OK_REQUEST_CCF + [G_PING], [PING, PING, PING],
        ok(request(PING, [PING, PING])))
    g.t("request-ccf-pong", "Two frames whose first is 'PONG': a request with CCF 'PONG'",
        V + ["CcfLikeCommand"], OK_REQUEST_CCF, [PONG, "hello"], ok(request(PONG, ["hello"])))
    g.t("request-empty-then-ping", "An empty CCF then a body frame 'PING': a request, the body is opaque",
        V + ["CcfLikeCommand", "EmptyFrame"], OK_REQUEST_CCF + [G_PING], ["", PING], ok(request("", [PING])))

    # Malformed: no frame, or one frame that is not PING.
    F = ["FlpMissingFrame"]
    g.t("empty-message", "No frame at all: neither a ping nor a request (a request needs two frames)",
        F + ["Empty"], BAD_TO_SERVER, [], err(MISSING, 0))
    g.t("one-empty-frame", "One empty frame: not PING, and a request needs a body frame after its CCF", F,
        BAD_TO_SERVER, [""], err(MISSING, 1))
    g.t("ping-lower-case", "One frame 'ping': PING compares octet for octet, case included",
        F + ["CommandSpelling"], BAD_TO_SERVER, ["ping"], err(MISSING, 1))
    g.t("ping-mixed-case", "One frame 'Ping'", F + ["CommandSpelling"], BAD_TO_SERVER, ["Ping"], err(MISSING, 1))
    g.t("ping-extra-octet", "One frame 'PINGX' (five octets)", F + ["CommandSpelling"], BAD_TO_SERVER, ["PINGX"],
        err(MISSING, 1))
    g.t("ping-short", "One frame 'PIN' (three octets)", F + ["CommandSpelling"], BAD_TO_SERVER, ["PIN"],
        err(MISSING, 1))
    g.t("ping-nul-terminated", "One frame 'PING' plus a NUL (five octets, a C string)", F + ["CommandSpelling"],
        BAD_TO_SERVER, ["PING\x00"], err(MISSING, 1))
    g.t("ping-leading-space", "One frame ' PING'", F + ["CommandSpelling"], BAD_TO_SERVER, [" PING"],
        err(MISSING, 1))
    g.t("pong-to-server", "One frame 'PONG' sent to a server: a pong is what a client receives",
        F + ["DirectionParam"], BAD_TO_SERVER, [PONG], err(MISSING, 1))
    g.t("ccf-only", "One frame, a 4-octet sequence number: a CCF without a body", F + ["CcfOnly"], BAD_TO_SERVER,
        [SEQ4], err(MISSING, 1))
    g.t("body-only", "One frame 'hello': a request body without its CCF, or a CCF without a body",
        F + ["CcfOnly"], BAD_TO_SERVER, ["hello"], err(MISSING, 1))

    # ---------------------------------------------------------------- to a client
    g = vf.group("to-client")

    g.t("pong", "PONG: one frame of the four octets 'PONG' (DECISIONS F2)", V, OK_PONG, [PONG], ok(pong()))

    g.t("reply", "REPLY: the request's 4-octet CCF, one body frame 'world'", V, OK_REPLY, [SEQ4, "world"],
        ok(reply(SEQ4, ["world"])))
    g.t("reply-text-ccf", "REPLY whose CCF is text ('req-42')", V, OK_REPLY_CCF, ["req-42", "echo me"],
        ok(reply("req-42", ["echo me"])))
    g.t("reply-several-body", "REPLY with three body frames, kept in order", V + ["MultiFrameBody"], OK_REPLY,
        [SEQ4, "part-1", "part-2", "part-3"], ok(reply(SEQ4, ["part-1", "part-2", "part-3"])))
    g.t("reply-empty-ccf", "REPLY whose CCF is empty (the request's was)", V + ["EmptyFrame"], OK_REPLY_CCF,
        ["", "world"], ok(reply("", ["world"])))
    g.t("reply-empty-body", "REPLY whose one body frame is empty", V + ["EmptyFrame"], OK_REPLY, [SEQ4, ""],
        ok(reply(SEQ4, [""])))
    g.t("reply-all-empty", "REPLY of two empty frames: an empty CCF and an empty body frame",
        V + ["EmptyFrame"], OK_REPLY_CCF, ["", ""], ok(reply("", [""])))
    g.t("reply-empty-bodies", "REPLY with two empty body frames", V + ["EmptyFrame", "MultiFrameBody"], OK_REPLY,
        [SEQ4, "", ""], ok(reply(SEQ4, ["", ""])))
    g.t("reply-seq-1", "REPLY whose CCF is a 1-octet sequence number (07)", V + ["BinaryCcf"], OK_REPLY_CCF,
        [SEQ1, "world"], ok(reply(SEQ1, ["world"])))
    g.t("reply-seq-8", "REPLY whose CCF is an 8-octet sequence number (00..01 02)", V + ["BinaryCcf"],
        OK_REPLY_CCF, [SEQ8, "world"], ok(reply(SEQ8, ["world"])))
    g.t("reply-seq-8-high", "REPLY whose CCF is the 8-octet sequence number ff x 8", V + ["BinaryCcf"],
        OK_REPLY_CCF, [SEQ8_HIGH, "world"], ok(reply(SEQ8_HIGH, ["world"])))
    g.t("reply-ccf-255", "REPLY whose CCF is 255 octets (00..fe)", V + ["BinaryCcf"], OK_REPLY_CCF,
        [CCF255, "world"], ok(reply(CCF255, ["world"])))
    g.t("reply-binary-body", "REPLY whose body frames are every octet 0x00..0xFF and an empty frame",
        V + ["BinaryBody", "MultiFrameBody", "EmptyFrame"], OK_REPLY, [SEQ4, BIN, ""], ok(reply(SEQ4, [BIN, ""])))
    g.t("reply-ccf-pong", "Two frames whose first is 'PONG': a reply with CCF 'PONG', not a pong "
        "(DECISIONS F3)", V + ["CcfLikeCommand"], OK_REPLY_CCF + [G_PONG], [PONG, "world"],
        ok(reply(PONG, ["world"])))
    g.t("reply-pong-pong", "Two frames 'PONG', 'PONG': a reply (CCF 'PONG', body 'PONG')",
        V + ["CcfLikeCommand"], OK_REPLY_CCF + [G_PONG], [PONG, PONG], ok(reply(PONG, [PONG])))
    g.t("reply-pong-empty", "Two frames 'PONG' and an empty one: a reply with an empty body frame",
        V + ["CcfLikeCommand", "EmptyFrame"], OK_REPLY_CCF + [G_PONG], [PONG, ""], ok(reply(PONG, [""])))
    g.t("reply-ccf-ping", "Two frames whose first is 'PING': a reply whose CCF is 'PING' (the server returns "
        "any CCF unmodified)", V + ["CcfLikeCommand"], OK_REPLY_CCF, [PING, "world"], ok(reply(PING, ["world"])))

    # Malformed: no frame, or one frame that is not PONG.
    g.t("client-empty-message", "No frame at all: neither a pong nor a reply (a reply needs two frames)",
        F + ["Empty"], BAD_TO_CLIENT, [], err(MISSING, 0))
    g.t("client-one-empty-frame", "One empty frame: not PONG, and a reply needs a body frame after its CCF", F,
        BAD_TO_CLIENT, [""], err(MISSING, 1))
    g.t("pong-lower-case", "One frame 'pong': PONG compares octet for octet, case included",
        F + ["CommandSpelling"], BAD_TO_CLIENT, ["pong"], err(MISSING, 1))
    g.t("pong-mixed-case", "One frame 'Pong'", F + ["CommandSpelling"], BAD_TO_CLIENT, ["Pong"], err(MISSING, 1))
    g.t("pong-extra-octet", "One frame 'PONGS' (five octets)", F + ["CommandSpelling"], BAD_TO_CLIENT, ["PONGS"],
        err(MISSING, 1))
    g.t("pong-short", "One frame 'PON' (three octets)", F + ["CommandSpelling"], BAD_TO_CLIENT, ["PON"],
        err(MISSING, 1))
    g.t("pong-nul-terminated", "One frame 'PONG' plus a NUL", F + ["CommandSpelling"], BAD_TO_CLIENT,
        ["PONG\x00"], err(MISSING, 1))
    g.t("ping-to-client", "One frame 'PING' sent to a client: a ping is what a server receives",
        F + ["DirectionParam"], BAD_TO_CLIENT, [PING], err(MISSING, 1))
    g.t("client-ccf-only", "One frame, a 4-octet CCF: a reply without its body", F + ["CcfOnly"], BAD_TO_CLIENT,
        [SEQ4], err(MISSING, 1))
    return vf


# ==========================================================================

GENERATORS = [("flp", gen_flp)]


def main(argv=None):
    return vector_file.main(__doc__, GENERATORS, OUTDIR, GENERATED_SPECS, argv)


if __name__ == "__main__":
    sys.exit(main())
