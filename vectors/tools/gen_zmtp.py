#!/usr/bin/python3
"""Generate the zwire ZMTP golden vectors: vectors/zmtp/<area>_test.json.

Kept in the repository for provenance (see vectors/FORMAT.md and vectors/README.md).

This generator is an independent view of the wire layouts: it never decodes
anything.  Every input is built from its layout, and every expected report is
written down next to it, by hand or through a helper of a few lines whose
arithmetic can be checked by eye (an error offset is almost always
``len(prefix)`` of the octets before the offending one, or the input length
when a known-length input ends too early).

tcIds come from vectors/tools/tcids.json, results from spec/leniency.md, as
vector_file.py (shared with gen_mdp.py) assigns and derives them.

Usage:
    /usr/bin/python3 vectors/tools/gen_zmtp.py           # write files + registry
    /usr/bin/python3 vectors/tools/gen_zmtp.py --check   # exit 1 if anything would change
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import vector_file  # noqa: E402

# The result of an input that breaks a rule is not written here: spec/leniency.md decides it
# for each input class (a flag of the vector), and vector_file.leniency derives it.  A test
# whose flags name no class passes "valid"; one whose flags do passes TABLE.
from vector_file import TABLE  # noqa: E402

OUTDIR = vector_file.VECDIR / "zmtp"

MAX63 = 2**63 - 1          # largest legal 3.x frame size, the default maxFrameSize
TOP = 2**63                # first size with the top bit set
MAX64 = 2**64 - 1


# --------------------------------------------------------------------------
# Flags (notes).  Each file carries only the flags its vectors use.

NOTES = {
    "Valid": ("BASIC", "A well-formed input that every conformant decoder accepts."),
    "NonCanonical": ("NON_CANONICAL",
                     "A valid input that a canonical encoder would write differently (a long size for a short "
                     "body, non-zero signature padding, octets the decoder does not report); round-trip checks "
                     "skip it."),
    "Truncated": ("EDGE_CASE",
                  "The input ends inside a unit with no error so far: the decoder reports incomplete and "
                  "wants more octets."),
    "EndsEarly": ("MALFORMED_INPUT",
                  "A field runs past the known end of the input (command body, property list, Z85 text): "
                  "the error offset is the input length."),
    "TrailingData": ("MALFORMED_INPUT",
                     "Octets follow the end of a fixed layout: the first surplus octet is the error."),
    "Chunking": ("EDGE_CASE", "Deliberately awkward chunks: 1-octet pieces, empty chunks, splits inside "
                              "size fields and names."),
    "LegacyPeer": ("LEGACY", "A ZMTP 1.0 or 2.0 peer, found by the staged detection of 23/ZMTP "
                             "(octet 0, octet 9, octet 10)."),
    "VersionPolicy": ("MODIFIED_PARAMETER", "The peer's version against the decoder's minVersion."),
    "Padding": ("EDGE_CASE", None),
    "MechanismName": ("MALFORMED_INPUT", None),
    "MechanismChars": ("EDGE_CASE", "Mechanism names of 1..20 of A-Z 0-9 - _ . + (the grammar's set)."),
    "MechanismMismatch": ("MODIFIED_PARAMETER", None),
    "Filler": ("EDGE_CASE", None),
    "SocketType": ("LEGACY", "The ZMTP 2.0 socket-type octet."),
    "IdentityFrame": ("LEGACY", "The identity frame of a 1.0 or 2.0 greeting."),
    "LongSize": ("EDGE_CASE", "An 8-octet (LONG) frame size."),
    "AtLimit": ("RESOURCE_LIMIT", "A size at the configured maximum (maxFrameSize): still within it."),
    "Multipart": ("BASIC", "Several frames in one input, MORE chaining them."),
    "CommandFrame": ("BASIC", "A command frame whose body the command decoder reports."),
    "Subscription": ("BASIC", "Subscriptions: 3.0 messages with a 0x01 / 0x00 prefix, 3.1 SUBSCRIBE / CANCEL."),
    "WorkedExample": ("BASIC", "An encoding printed in the RFC or its worked example."),
    "UnknownCommand": ("EDGE_CASE", "A well-formed name that the mechanism does not define: reported as name + data."),
    "CommandLayout": ("MALFORMED_INPUT", "A known command whose body does not fit its layout."),
    "MechanismScope": ("MODIFIED_PARAMETER",
                       "A name that another mechanism defines (HELLO under NULL, PING under CURVE) is an "
                       "unknown command here."),
    "Metadata": ("BASIC", "A property list (READY, INITIATE)."),
    "DuplicateProperty": ("EDGE_CASE",
                          "The same property name twice (names are case-insensitive): no rule forbids it, so it "
                          "is valid, reported as it comes."),
    "ErrorReason": ("EDGE_CASE", "The ERROR reason: a length then exactly that many octets."),
    "Heartbeat": ("EDGE_CASE", "PING (TTL + context 0..16) and PONG (context 0..16)."),
    "RadioDish": ("EDGE_CASE", "JOIN / LEAVE: a group of 0..255 octets, none of them 0x00."),
    "PlainCredentials": ("EDGE_CASE", "PLAIN HELLO: username and password, each a length then octets, "
                                      "filling the body exactly."),
    "CurveLayout": ("EDGE_CASE", "A CurveZMQ command of its exact or minimum size."),
    "LibzmqDivergence": ("INTEROP", "libzmq 4.3 reads this input differently from the RFC text (see the "
                                    "comment and the acceptable profiles)."),
    "TestVector": ("BASIC", "A published example (the RFC's HelloWorld, the zmq_curve test keys)."),
    "Empty": ("EDGE_CASE", "An empty input, body or field."),
}

# The flags that name an input class of spec/leniency.md: their description comes from the
# table (describe), only their bug type from here.
NOTES.update({
    "SignatureEnd": ("MALFORMED_INPUT", None), "MajorZero": ("MALFORMED_INPUT", None),
    "BelowMinVersion": ("MODIFIED_PARAMETER", None), "HigherVersion": ("MODIFIED_PARAMETER", None),
    "AsServerRange": ("MALFORMED_INPUT", None), "NullAsServer": ("MALFORMED_INPUT", None),
    "V10ZeroLength": ("LEGACY", None), "V10IdentityLength": ("LEGACY", None),
    "V10IdentityFlags": ("LEGACY", None), "V20Revision2": ("LEGACY", None),
    "V20SocketTypeLibzmq": ("INTEROP", None), "V20SocketTypeUnknown": ("LEGACY", None),
    "V20IdentityFlags": ("LEGACY", None), "ReservedFlags": ("MALFORMED_INPUT", None),
    "ReservedFlags20": ("LEGACY", None), "CommandMore": ("MALFORMED_INPUT", None),
    "SizeOverflow": ("MALFORMED_INPUT", None), "SizeLimit": ("RESOURCE_LIMIT", None),
    "CommandName": ("MALFORMED_INPUT", None), "ErrorLayout": ("MALFORMED_INPUT", None),
    "ReasonNonVchar": ("EDGE_CASE", None), "HeartbeatLayout": ("MALFORMED_INPUT", None),
    "GroupLayout": ("MALFORMED_INPUT", None), "PropertyName": ("MALFORMED_INPUT", None),
    "ValueSize": ("MALFORMED_INPUT", None), "PropertyCut": ("MALFORMED_INPUT", None),
    "CurveMetadata": ("MALFORMED_INPUT", None), "IdentityValue": ("EDGE_CASE", None),
    "PlainHelloLayout": ("MALFORMED_INPUT", None), "PlainWelcomeLayout": ("MALFORMED_INPUT", None),
    "CredentialsNonVchar": ("EDGE_CASE", None), "CurveHello": ("MALFORMED_INPUT", None),
    "CurveWelcome": ("MALFORMED_INPUT", None), "CurveInitiate": ("MALFORMED_INPUT", None),
    "CurveReady": ("MALFORMED_INPUT", None), "CurveMessage": ("MALFORMED_INPUT", None),
    "Z85Alphabet": ("MALFORMED_INPUT", None), "Z85Overflow": ("MALFORMED_INPUT", None),
    "Z85Length": ("MALFORMED_INPUT", None),
})

# The specs whose wire clauses these vectors must all cite.
GENERATED_SPECS = ("zmtp10", "zmtp20", "zmtp30", "zmtp31", "null", "plain", "curve", "z85")


# --------------------------------------------------------------------------
# Small helpers: octets, chunks, reports.

def cat(*parts):
    """Concatenate bytes, ints (one octet each) and ASCII str."""
    out = bytearray()
    for p in parts:
        if isinstance(p, int):
            out.append(p)
        elif isinstance(p, str):
            out += p.encode("ascii")
        else:
            out += bytes(p)
    return bytes(out)


def be(n, width):
    return n.to_bytes(width, "big")


def cut(data, *at):
    """Split data at the given absolute offsets (equal offsets make an empty chunk)."""
    points = [0, *at, len(data)]
    assert points == sorted(points), (points, len(data))
    return [data[points[i]:points[i + 1]].hex() for i in range(len(points) - 1)]


def ones(data):
    """One chunk per octet."""
    return [bytes([x]).hex() for x in data] or [""]


def whole(data):
    return [bytes(data).hex()]


def E(cls, offset):
    return {"class": cls, "offset": offset}


def alpha(n, start=0):
    """n ALPHA octets, cycling A..Z a..z."""
    letters = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    return bytes(letters[(start + i) % len(letters)] for i in range(n))


def vchars(n, start=0):
    """n VCHAR octets (0x21..0x7E), cycling."""
    return bytes(0x21 + (start + i) % 94 for i in range(n))


def pattern(n, seed=1):
    """n deterministic, non-constant octets."""
    return bytes((seed * 37 + i * 11) & 0xFF for i in range(n))


# --------------------------------------------------------------------------
# Vector files.

class Group(vector_file.Group):
    def __init__(self, vfile, gtype, params):
        super().__init__(vfile, gtype, params)
        self.seen_inputs = set()

    def t(self, slug, comment, flags, clauses, chunks, result, expected):
        vf = self.vfile
        result, clauses = self.admit(slug, comment, flags, clauses, result)
        if result == "invalid":
            assert expected["state"] == "error", slug
        if result == "valid":
            assert expected["state"] != "error", slug
        assert (expected["error"] is None) == (expected["state"] != "error"), slug
        joined = "".join(chunks)
        assert joined not in self.seen_inputs, f"{vf.area}: {slug}: duplicate input in group"
        self.seen_inputs.add(joined)
        if expected["error"] is not None and expected["state"] == "error":
            assert expected["error"]["offset"] <= len(joined) // 2, f"{slug}: offset past the input"
        self.add(slug, comment, flags, clauses, chunks, result, expected)


class VFile(vector_file.VectorFile):
    def __init__(self, area, header):
        super().__init__(area, "zmtp", "3.1", header, NOTES)

    def group(self, gtype, **params):
        g = Group(self, gtype, params)
        self.groups.append(g)
        return g


# --------------------------------------------------------------------------
# Clause helpers.

def both(rule, first="31"):
    """A rule shared by 23/ZMTP 3.0 and 37/ZMTP 3.1: cite both IDs."""
    a, b = f"zmtp31.{rule}", f"zmtp30.{rule}"
    return [a, b] if first == "31" else [b, a]


def ids(*parts):
    """Flatten str / list parts into one clause list, keeping order, dropping repeats."""
    out = []
    for p in parts:
        for c in ([p] if isinstance(p, str) else p):
            if c not in out:
                out.append(c)
    return out


# ==========================================================================
# greeting_test.json
#
# 3.x greeting layout (23/ZMTP, 37/ZMTP):
#   0 FF | 1..8 padding | 9 7F | 10 major | 11 minor | 12..31 mechanism |
#   32 as-server | 33..63 filler
# 2.0 greeting (15/ZMTP): FF padding 7F | 10 revision | 11 socket-type |
#   12 identity flags 00 | 13 identity length | 14.. identity
# 1.0 greeting (13/ZMTP): one identity frame, short (L flags body, L = 1 + body
#   length) or long (FF, L as 8 octets, flags, body).

def greet3(major=3, minor=1, mech=b"NULL", as_server=0, padding=bytes(8), sig_end=0x7F,
           filler=bytes(31), mech_field=None):
    field = mech_field if mech_field is not None else mech.ljust(20, b"\0")
    assert len(field) == 20 and len(padding) == 8 and len(filler) == 31
    g = cat(0xFF, padding, sig_end, major, minor, field, as_server, filler)
    assert len(g) == 64
    return g


def greet2(rev, socket_type, identity, flags=0, padding=bytes(8)):
    return cat(0xFF, padding, 0x7F, rev, socket_type, flags, len(identity), identity)


def G3(major, minor, mech, as_server):
    return {"version": "3", "major": major, "minor": minor, "mechanism": mech, "asServer": as_server}


def G2(rev, socket_type, identity):
    return {"version": "2.0", "revision": rev, "socketType": socket_type, "identity": identity.hex()}


def G1(identity):
    return {"version": "1.0", "identity": identity.hex()}


def D(version, offset):
    return {"version": version, "offset": offset}


def GR(state, error, detected, greeting):
    return {"state": state, "error": error, "detected": detected, "greeting": greeting}


def greeting_field(i):
    """Name of the 3.x greeting field holding octet i."""
    if i == 0:
        return "the signature start 0xFF"
    if 1 <= i <= 8:
        return f"padding octet {i} of 8"
    if i == 9:
        return "the signature end 0x7F"
    if i == 10:
        return "the major version"
    if i == 11:
        return "the minor version"
    if 12 <= i <= 31:
        return f"mechanism octet {i - 11} of 20"
    if i == 32:
        return "as-server"
    return f"filler octet {i - 32} of 31"


def gen_greeting():
    vf = VFile("greeting", [
        "Greetings as a peer sends them from the start of the connection: ZMTP 3.x (64 octets),",
        "and the 1.0 / 2.0 greetings the staged detection of 23/ZMTP finds (octet 0, octet 9, octet 10).",
        "Truncation at every octet, signature and padding variants, versions, mechanism names,",
        "as-server and filler; groups with minVersion 2.0 / 3.0 and with a configured mechanism.",
    ])
    SIG = both("greeting.signature")
    DETECT = both("greeting.detect-legacy")
    OK3 = ids(SIG, both("greeting.version-major"), both("greeting.mechanism-name"),
              both("greeting.as-server"), both("greeting.filler"))
    NULLOK = both("null.as-server-zero")
    HIGHER = both("version.accept-higher")
    V10 = ["zmtp10.greeting.identity", "zmtp10.greeting.identity-flags", "zmtp10.frame.short-length"]
    V10LONG = ["zmtp10.greeting.identity", "zmtp10.frame.long-length", "zmtp10.greeting.identity-flags",
               "zmtp10.frame.long-length-any"]
    V20 = ["zmtp20.greeting.revision", "zmtp20.greeting.socket-type", "zmtp20.greeting.identity"]
    DOWN = ids(both("version.downgrade-or-close", "30"), both("greeting.detect-legacy", "30"))

    g = vf.group("greeting", minVersion="1.0")

    # ---- full 3.x greetings ------------------------------------------------
    g31 = greet3()
    g.t("full-3.1-null",
        "3.1 NULL greeting read the way libzmq reads it: 10 octets, the major, then the other 53",
        ["Valid"], ids(OK3, "zmtp31.greeting.version-minor", NULLOK, DETECT),
        cut(g31, 10, 11), "valid", GR("complete", None, D("3", 10), G3(3, 1, "NULL", 0)))
    g.t("full-3.0-null", "3.0 NULL greeting (minor 0): a 3.1 decoder accepts it (downgrade)",
        ["Valid", "VersionPolicy"], ids(OK3, HIGHER, NULLOK),
        cut(greet3(minor=0), 11), "valid", GR("complete", None, D("3", 10), G3(3, 0, "NULL", 0)))
    g.t("full-3.2-null", "3.2 greeting: any version above 3.1 is valid",
        ["Valid", "HigherVersion"], ids(HIGHER, OK3),
        whole(greet3(minor=2)), "valid", GR("complete", None, D("3", 10), G3(3, 2, "NULL", 0)))
    g.t("full-4.0-null", "4.0 greeting: major above 3 is valid and detected as a versioned (\"3\") peer",
        ["Valid", "HigherVersion"], ids(HIGHER, OK3),
        cut(greet3(major=4, minor=0), 32), "valid", GR("complete", None, D("3", 10), G3(4, 0, "NULL", 0)))
    g.t("full-3.255-bytewise", "3.255 greeting fed one octet at a time",
        ["Valid", "HigherVersion", "Chunking"], ids(HIGHER, OK3),
        ones(greet3(minor=255)), "valid", GR("complete", None, D("3", 10), G3(3, 255, "NULL", 0)))
    g.t("full-255.255-curve-server", "255.255 CURVE server greeting",
        ["Valid", "HigherVersion"], ids(HIGHER, OK3),
        cut(greet3(major=255, minor=255, mech=b"CURVE", as_server=1), 11, 12, 32, 33), "valid",
        GR("complete", None, D("3", 10), G3(255, 255, "CURVE", 1)))
    for mech, srv, chunks in ((b"PLAIN", 0, (12, 17)), (b"PLAIN", 1, (32,)), (b"CURVE", 0, (9, 10)),
                              (b"CURVE", 1, (31, 32, 33)), (b"GSSAPI", 1, (14, 14, 18))):
        m = mech.decode()
        data = greet3(mech=mech, as_server=srv)
        g.t(f"full-3.1-{m.lower()}-as-server-{srv}",
            f"3.1 {m} greeting with as-server {srv} ({'server' if srv else 'client'})",
            ["Valid"], ids(OK3, "zmtp31.greeting.version-minor"),
            cut(data, *chunks), "valid", GR("complete", None, D("3", 10), G3(3, 1, m, srv)))

    # ---- truncation at every octet -------------------------------------------
    for k in range(1, 64):
        prefix = g31[:k]
        if k <= 12:
            chunks = ones(prefix)
        elif k % 2:
            chunks = cut(prefix, 10, 11, k - 1)
        else:
            chunks = cut(prefix, k // 2, k // 2)      # with an empty chunk in the middle
        detected = D("3", 10) if k >= 11 else None
        why = ("detected stays null: the major (octet 10) is not in yet" if k <= 10
               else "the major is in: detected as a versioned peer at octet 10")
        g.t(f"trunc-{k}",
            f"3.1 NULL greeting cut after {k} of 64 octets (last octet: {greeting_field(k - 1)}); {why}",
            ["Truncated"], ids(SIG, DETECT),
            chunks, "valid", GR("incomplete", None, detected, None))

    # ---- padding ---------------------------------------------------------------
    g.t("pad-pseudo-length-1",
        "libzmq compatibility padding: identity length + 1 = 1 as 8 octets; never looked at",
        ["Valid", "Padding", "NonCanonical"], ids(both("greeting.padding-ignored"), both("compat.pseudo-length"), SIG),
        cut(greet3(padding=be(1, 8)), 1, 9), "valid", GR("complete", None, D("3", 10), G3(3, 1, "NULL", 0)))
    g.t("pad-pseudo-length-256",
        "compatibility padding for a 255-octet identity (256); never looked at",
        ["Valid", "Padding", "NonCanonical"], ids(both("compat.pseudo-length"), both("greeting.padding-ignored"), SIG),
        cut(greet3(padding=be(256, 8)), 8, 10), "valid", GR("complete", None, D("3", 10), G3(3, 1, "NULL", 0)))
    g.t("pad-all-ff", "padding FF x8 (a huge 1.0 length if anybody looked): ignored",
        ["Valid", "Padding", "NonCanonical"], ids(both("greeting.padding-ignored"), SIG),
        cut(greet3(padding=b"\xff" * 8), 5), "valid", GR("complete", None, D("3", 10), G3(3, 1, "NULL", 0)))
    g.t("pad-noise", "padding of arbitrary octets: ignored",
        ["Valid", "Padding", "NonCanonical"], ids(both("greeting.padding-ignored"), SIG),
        cut(greet3(padding=pattern(8, 3), mech=b"PLAIN"), 3, 6, 9), "valid",
        GR("complete", None, D("3", 10), G3(3, 1, "PLAIN", 0)))

    # ---- signature end -----------------------------------------------------------
    # Octet 9 with bit 0 set but not 0x7F: the detection reads bit 0 only ("2.0 or later"),
    # so the zwire codecs read on; the sender broke the signature (spec/leniency.md).
    for end, full in ((0x01, True), (0x03, False), (0xFF, True), (0x7D, False)):
        data = greet3(sig_end=end) if full else greet3(sig_end=end)[:10]
        g.t(f"sig-end-{end:02x}",
            f"octet 9 is 0x{end:02x}: bit 0 set, so 2.0 or later by the detection, though the sender "
            + ("must write 0x7F; read on as a 3.1 greeting" if full else
               "must write 0x7F; the input ends there, nothing decided yet"),
            ["SignatureEnd", "NonCanonical"], ids(SIG, DETECT),
            cut(data, 9) if full else ones(data), TABLE,
            GR("complete", None, D("3", 10), G3(3, 1, "NULL", 0)) if full
            else GR("incomplete", None, None, None))
    g.t("sig-end-7e-zero-padding",
        "octet 9 is 0x7E (bit 0 clear) after zero padding: a 1.0 long frame of length 0, refused at 9",
        ["V10ZeroLength", "LegacyPeer"], ids("zmtp10.frame.length-nonzero", "zmtp10.greeting.identity", "zmtp10.frame.long-length", DETECT),
        cut(greet3(sig_end=0x7E), 9, 10), TABLE,
        GR("error", E("malformed-greeting", 9), D("1.0", 9), None))
    g.t("sig-end-7e-pseudo-length-1",
        "octet 9 is 0x7E after padding 1: a 1.0 long anonymous identity frame, flags 0x7E not validated",
        ["LegacyPeer", "IdentityFrame", "V10IdentityFlags", "NonCanonical"], ids(V10LONG, DETECT),
        cut(cat(0xFF, be(1, 8), 0x7E), 9), "valid",
        GR("complete", None, D("1.0", 9), G1(b"")))

    # ---- 1.0 peers ------------------------------------------------------------------
    g.t("v10-anonymous", "1.0 anonymous greeting 01 00: detected at octet 0",
        ["LegacyPeer", "IdentityFrame", "Valid"], ids(V10, DETECT),
        ones(cat(1, 0)), "valid", GR("complete", None, D("1.0", 0), G1(b"")))
    g.t("v10-short-identity", "1.0 short identity frame: L=6 (flags + 5), identity 'hello'",
        ["LegacyPeer", "IdentityFrame", "Valid"], ids(V10, DETECT),
        cut(cat(6, 0, "hello"), 1, 2, 4), "valid", GR("complete", None, D("1.0", 0), G1(b"hello")))
    ident253 = pattern(253, 5)
    g.t("v10-short-identity-253", "1.0 short identity frame at its largest: L=0xFE, identity 253 octets",
        ["LegacyPeer", "IdentityFrame", "Valid"], ids(V10, DETECT),
        cut(cat(0xFE, 0, ident253), 1, 2, 100), "valid", GR("complete", None, D("1.0", 0), G1(ident253)))
    g.t("v10-short-flags-01", "1.0 identity frame with flags 0x01: the flags octet is not validated",
        ["LegacyPeer", "IdentityFrame", "V10IdentityFlags", "NonCanonical"], ["zmtp10.greeting.identity-flags", "zmtp10.greeting.identity"],
        cut(cat(3, 1, "AB"), 2), "valid", GR("complete", None, D("1.0", 0), G1(b"AB")))
    g.t("v10-short-flags-7f", "1.0 identity frame with flags 0x7F: not validated",
        ["LegacyPeer", "IdentityFrame", "V10IdentityFlags", "NonCanonical"], ["zmtp10.greeting.identity-flags", "zmtp10.greeting.identity"],
        whole(cat(2, 0x7F, "Z")), "valid", GR("complete", None, D("1.0", 0), G1(b"Z")))
    g.t("v10-long-anonymous", "1.0 long-form anonymous frame FF <1> 00: detected at octet 9 (bit 0 clear)",
        ["LegacyPeer", "IdentityFrame", "LongSize", "NonCanonical"], ids(V10LONG, DETECT),
        cut(cat(0xFF, be(1, 8), 0), 1, 9), "valid", GR("complete", None, D("1.0", 9), G1(b"")))
    g.t("v10-long-hello", "1.0 long-form identity 'hello' (L=6 as 8 octets)",
        ["LegacyPeer", "IdentityFrame", "LongSize", "NonCanonical"], ids(V10LONG, DETECT),
        cut(cat(0xFF, be(6, 8), 0, "hello"), 1, 5, 9, 10), "valid", GR("complete", None, D("1.0", 9), G1(b"hello")))
    ident254 = pattern(254, 7)
    g.t("v10-long-254", "1.0 identity of 254 octets: L=255 needs the long form",
        ["LegacyPeer", "IdentityFrame", "LongSize", "Valid"], ids(V10LONG, DETECT),
        cut(cat(0xFF, be(255, 8), 0, ident254), 9, 10), "valid", GR("complete", None, D("1.0", 9), G1(ident254)))
    ident255 = pattern(255, 9)
    g.t("v10-long-255", "1.0 identity of 255 octets (the maximum): L=256, chunks split inside the length",
        ["LegacyPeer", "IdentityFrame", "LongSize", "Valid", "Chunking"], ids(V10LONG, DETECT),
        cut(cat(0xFF, be(256, 8), 0, ident255), 4, 9, 10, 200), "valid",
        GR("complete", None, D("1.0", 9), G1(ident255)))
    g.t("v10-long-flags-7e", "1.0 long-form identity 'ab' with flags 0x7E (bit 0 clear): not validated",
        ["LegacyPeer", "IdentityFrame", "V10IdentityFlags", "NonCanonical"], ids(V10LONG, DETECT),
        cut(cat(0xFF, be(3, 8), 0x7E, "ab"), 10), "valid", GR("complete", None, D("1.0", 9), G1(b"ab")))
    g.t("v10-long-256", "1.0 identity of 256 octets (L=257): over 255, known at octet 9",
        ["LegacyPeer", "IdentityFrame", "V10IdentityLength"], ids("zmtp10.greeting.identity", "zmtp10.frame.long-length"),
        cut(cat(0xFF, be(257, 8), 0, pattern(6)), 9, 10), TABLE,
        GR("error", E("limit-exceeded", 9), D("1.0", 9), None))
    g.t("v10-long-max", "1.0 long length 2^64-1: over 255, known at octet 9",
        ["LegacyPeer", "IdentityFrame", "V10IdentityLength"], ids("zmtp10.greeting.identity", "zmtp10.frame.long-length"),
        cut(cat(0xFF, be(MAX64, 8), 0), 3), TABLE,
        GR("error", E("limit-exceeded", 9), D("1.0", 9), None))
    g.t("v10-long-2^32", "1.0 long length 2^32 + 1: over 255",
        ["LegacyPeer", "IdentityFrame", "V10IdentityLength"], ids("zmtp10.greeting.identity", "zmtp10.frame.long-length"),
        ones(cat(0xFF, be(2**32 + 1, 8), 0)), TABLE,
        GR("error", E("limit-exceeded", 9), D("1.0", 9), None))
    g.t("v10-short-zero", "1.0 short length 0: refused at octet 0 (RFC 13: SHOULD be discarded silently)",
        ["LegacyPeer", "IdentityFrame", "V10ZeroLength"], ids("zmtp10.frame.length-nonzero", "zmtp10.greeting.identity"),
        whole(cat(0)), TABLE, GR("error", E("malformed-greeting", 0), D("1.0", 0), None))
    g.t("v10-short-zero-more", "1.0 short length 0 followed by more octets: the error is at octet 0",
        ["LegacyPeer", "IdentityFrame", "V10ZeroLength"], ids("zmtp10.frame.length-nonzero", "zmtp10.greeting.identity"),
        cut(cat(0, 0, "A"), 1), TABLE, GR("error", E("malformed-greeting", 0), D("1.0", 0), None))
    g.t("v10-long-zero", "1.0 long length 0 (FF, 8 zero octets, flags 00): refused at octet 9",
        ["LegacyPeer", "IdentityFrame", "V10ZeroLength"], ids("zmtp10.frame.length-nonzero", "zmtp10.frame.long-length", "zmtp10.greeting.identity"),
        cut(cat(0xFF, be(0, 8), 0, "xyz"), 9), TABLE,
        GR("error", E("malformed-greeting", 9), D("1.0", 9), None))
    g.t("v10-trunc-length-only", "1.0 short length 5 and nothing else: incomplete",
        ["LegacyPeer", "Truncated"], ids(V10, DETECT),
        whole(cat(5)), "valid", GR("incomplete", None, D("1.0", 0), None))
    g.t("v10-trunc-short", "1.0 short identity 'hello' cut after 2 identity octets",
        ["LegacyPeer", "Truncated"], ids(V10, DETECT),
        cut(cat(6, 0, "he"), 1), "valid", GR("incomplete", None, D("1.0", 0), None))
    g.t("v10-trunc-long", "1.0 long identity 'hello' cut after 2 identity octets",
        ["LegacyPeer", "Truncated", "LongSize"], ids(V10LONG, DETECT),
        cut(cat(0xFF, be(6, 8), 0, "he"), 10), "valid", GR("incomplete", None, D("1.0", 9), None))

    # ---- 2.0 peers --------------------------------------------------------------------
    names = ["PAIR", "PUB", "SUB", "REQ", "REP", "DEALER", "ROUTER", "PULL", "PUSH"]
    idents = [b"", b"", b"", b"r", b"", b"dealer-1", b"", b"", b"p"]
    for st in range(9):
        data = greet2(1, st, idents[st])
        chunks = (cut(data, 10, 11), cut(data, 1, 12, 14), whole(data))[st % 3]
        g.t(f"v20-socket-type-{st}",
            f"2.0 greeting, revision 1, socket type {st} ({names[st]}), identity '{idents[st].decode()}'",
            ["LegacyPeer", "SocketType", "Valid"], ids(V20, DETECT),
            chunks, "valid", GR("complete", None, D("2.0", 10), G2(1, st, idents[st])))
    g.t("v20-revision-2",
        "revision 2: 23/ZMTP calls major 1 or 2 a 2.0 peer; libzmq reads revision 2 as 3.x and waits for 64 octets",
        ["LegacyPeer", "V20Revision2", "LibzmqDivergence"], ids(V20, DETECT),
        cut(greet2(2, 6, b"id"), 11), TABLE, GR("complete", None, D("2.0", 10), G2(2, 6, b"id")))
    for st, name in ((9, "XPUB"), (10, "XSUB")):
        g.t(f"v20-socket-type-{st}",
            f"socket type {st} ({name}): libzmq writes its raw type; accepted as {name}",
            ["LegacyPeer", "V20SocketTypeLibzmq", "LibzmqDivergence"], ids(V20, DETECT),
            cut(greet2(1, st, b""), 12), TABLE,
            GR("complete", None, D("2.0", 10), G2(1, st, b"")))
    for st in (11, 0xFF):
        g.t(f"v20-socket-type-{st}", f"socket type {st}: not a 2.0 socket type, refused at octet 11",
            ["LegacyPeer", "V20SocketTypeUnknown"], ids("zmtp20.greeting.socket-type", DETECT),
            cut(greet2(1, st, b""), 11), TABLE,
            GR("error", E("malformed-greeting", 11), D("2.0", 10), None))
    for fl in (0x01, 0x02, 0x80):
        g.t(f"v20-identity-flags-{fl:02x}",
            f"2.0 identity frame with flags 0x{fl:02x}: must be 0x00 (final, short); refused at octet 12",
            ["LegacyPeer", "V20IdentityFlags"], ids("zmtp20.greeting.identity", DETECT),
            cut(greet2(1, 5, b"ab", flags=fl), 12, 13), TABLE,
            GR("error", E("malformed-greeting", 12), D("2.0", 10), None))
    g.t("v20-identity-255", "2.0 identity of 255 octets (the maximum)",
        ["LegacyPeer", "IdentityFrame", "Valid"], ids(V20, DETECT),
        cut(greet2(1, 6, ident255), 13, 14, 100), "valid",
        GR("complete", None, D("2.0", 10), G2(1, 6, ident255)))
    g.t("v20-pseudo-length", "2.0 greeting with libzmq compatibility padding (identity length + 1 = 1)",
        ["LegacyPeer", "Padding", "NonCanonical"], ids(both("compat.pseudo-length"), "zmtp20.compat.pseudo-length", V20, both("greeting.padding-ignored")),
        cut(greet2(1, 5, b"", padding=be(1, 8)), 9), "valid",
        GR("complete", None, D("2.0", 10), G2(1, 5, b"")))
    g.t("v20-trunc-after-major", "2.0 greeting cut after the revision octet: detected, incomplete",
        ["LegacyPeer", "Truncated"], ids(V20, DETECT),
        cut(greet2(1, 5, b"")[:11], 10), "valid", GR("incomplete", None, D("2.0", 10), None))
    g.t("v20-trunc-before-length", "2.0 greeting cut after the identity flags",
        ["LegacyPeer", "Truncated"], ids(V20, DETECT),
        ones(greet2(1, 5, b"")[:13]), "valid", GR("incomplete", None, D("2.0", 10), None))
    g.t("v20-trunc-in-identity", "2.0 greeting cut inside an 8-octet identity",
        ["LegacyPeer", "Truncated"], ids(V20, DETECT),
        cut(greet2(1, 5, b"dealer-1")[:18], 14), "valid", GR("incomplete", None, D("2.0", 10), None))

    # ---- major 0 ---------------------------------------------------------------------------
    g.t("major-0", "major version 0: no version detected, unsupported at octet 10",
        ["MajorZero"], ids(both("greeting.version-major", "30"), DOWN),
        cut(greet3(major=0, minor=0), 10, 11), TABLE,
        GR("error", E("unsupported-version", 10), None, None))
    g.t("major-0-short", "major version 0, input ends at the major",
        ["MajorZero"], ids(both("greeting.version-major", "30"), DOWN),
        cut(greet3(major=0, minor=1)[:11], 9), TABLE,
        GR("error", E("unsupported-version", 10), None, None))

    # ---- mechanism names ---------------------------------------------------------------------
    MECH = both("greeting.mechanism-name")
    for slug, name, chunks, comment in (
            ("mech-20-chars", b"ABCDEFGHIJ0123456789", (12, 22, 32), "a 20-character name: no NUL padding at all"),
            ("mech-punctuation", b"X-MY_MECH.1+2", (13, 18), "a name using every allowed punctuation - _ . + and digits"),
            ("mech-digit", b"0", (12, 13), "a one-digit name"),
            ("mech-plus-first", b"+MECH", (), "a name starting with '+': the ABNF allows it anywhere")):
        g.t(slug, f"mechanism {name.decode()!r}: {comment}",
            ["Valid", "MechanismChars"], ids(MECH, OK3),
            cut(greet3(mech=name), *chunks), "valid",
            GR("complete", None, D("3", 10), G3(3, 1, name.decode(), 0)))
    for slug, field, bad, comment in (
            ("mech-lower-case", b"null".ljust(20, b"\0"), 12, "lower-case 'null': not in A-Z"),
            ("mech-empty", bytes(20), 12, "all 20 octets NUL: an empty name"),
            ("mech-nul-then-letter", b"NULL\0X".ljust(20, b"\0"), 17, "'NULL', a NUL, then 'X': not NUL-padded"),
            ("mech-nul-last", b"NULL".ljust(19, b"\0") + b"A", 31, "'NULL' then NULs then 'A' in the last octet"),
            ("mech-space", b"NU LL".ljust(20, b"\0"), 14, "a space inside the name"),
            ("mech-slash", b"PLAIN/".ljust(20, b"\0"), 17, "'/' after PLAIN"),
            ("mech-high-octet", b"CURVE\x80".ljust(20, b"\0"), 17, "octet 0x80 after CURVE"),
            ("mech-at-sign", b"@".ljust(20, b"\0"), 12, "'@' (0x40, just below 'A')"),
            ("mech-space-padded", b"NULL".ljust(20, b" "), 16, "space-padded instead of NUL-padded")):
        data = greet3(mech_field=field)
        g.t(slug, f"mechanism field: {comment}; invalid at octet {bad}",
            ["MechanismName"], MECH,
            cut(data, bad) if bad % 2 else cut(data, 12, bad + 1), TABLE,
            GR("error", E("invalid-mechanism", bad), D("3", 10), None))

    # ---- as-server and filler -------------------------------------------------------------------
    for mech, srv in ((b"NULL", 1), (b"NULL", 2), (b"PLAIN", 2), (b"CURVE", 0xFF)):
        m = mech.decode()
        clauses = ids(NULLOK, both("greeting.as-server")) if m == "NULL" and srv == 1 else \
            ids(both("greeting.as-server"), NULLOK if m == "NULL" else [])
        g.t(f"as-server-{m.lower()}-{srv}",
            f"{m} greeting with as-server {srv}: refused at octet 32 by the zwire codecs; libzmq never "
            "reads as-server",
            ["NullAsServer" if srv == 1 else "AsServerRange", "LibzmqDivergence"], clauses,
            cut(greet3(mech=mech, as_server=srv), 32, 33), TABLE,
            GR("error", E("malformed-greeting", 32), D("3", 10), None))
    for slug, filler, comment in (("filler-first", cat(1, bytes(30)), "first filler octet (33) is 0x01"),
                                  ("filler-last", cat(bytes(30), 0xFF), "last filler octet (63) is 0xFF"),
                                  ("filler-all-ff", b"\xff" * 31, "all 31 filler octets are 0xFF")):
        g.t(slug, f"non-zero filler, {comment}: not validated by the zwire codecs",
            ["Filler", "NonCanonical"], both("greeting.filler"),
            cut(greet3(filler=filler), 33), TABLE,
            GR("complete", None, D("3", 10), G3(3, 1, "NULL", 0)))

    # ---- configured mechanism ------------------------------------------------------------------------
    MATCH = both("greeting.mechanism-match")
    g = vf.group("greeting", minVersion="1.0", mechanism="NULL")
    g.t("mm-null-null", "configured NULL, peer NULL: match",
        ["Valid"], ids(MATCH, OK3), cut(g31, 11, 31), "valid",
        GR("complete", None, D("3", 10), G3(3, 1, "NULL", 0)))
    for slug, name, chunks in (("mm-null-plain", b"PLAIN", (31, 32)), ("mm-null-foo", b"FOO", (30,)),
                               ("mm-null-20-chars", b"ABCDEFGHIJKLMNOPQRST", (12, 32)),
                               ("mm-null-nullx", b"NULLX", (16, 17))):
        g.t(slug, f"configured NULL, peer {name.decode()!r}: a valid name, mismatch known at octet 31",
            ["MechanismMismatch"], ids(MATCH, MECH),
            cut(greet3(mech=name), *chunks), TABLE,
            GR("error", E("mechanism-mismatch", 31), D("3", 10), None))
    g.t("mm-null-invalid-name", "configured NULL, peer 'NULL', NUL, 'X': the invalid name is found first, at 17",
        ["MechanismName"], MECH,
        whole(greet3(mech_field=b"NULL\0X".ljust(20, b"\0"))), TABLE,
        GR("error", E("invalid-mechanism", 17), D("3", 10), None))
    g.t("mm-null-trunc-31", "configured NULL, peer PLAIN cut after octet 30: the mismatch is not known yet",
        ["Truncated"], ids(MATCH, SIG),
        cut(greet3(mech=b"PLAIN")[:31], 11), "valid", GR("incomplete", None, D("3", 10), None))
    g.t("mm-null-v20-peer", "configured NULL, a 2.0 peer: the mechanism field does not exist in 2.0",
        ["LegacyPeer", "Valid"], ids(V20, DETECT),
        whole(greet2(1, 5, b"")), "valid", GR("complete", None, D("2.0", 10), G2(1, 5, b"")))
    g = vf.group("greeting", minVersion="1.0", mechanism="CURVE")
    g.t("mm-curve-curve", "configured CURVE, peer CURVE server",
        ["Valid"], ids(MATCH, OK3), cut(greet3(mech=b"CURVE", as_server=1), 17),
        "valid", GR("complete", None, D("3", 10), G3(3, 1, "CURVE", 1)))
    g.t("mm-curve-null", "configured CURVE, peer NULL: downgrade attempt, mismatch at octet 31",
        ["MechanismMismatch"], ids(MATCH, MECH), cut(g31, 31),
        TABLE, GR("error", E("mechanism-mismatch", 31), D("3", 10), None))
    g.t("mm-curve-plain", "configured CURVE, peer PLAIN, bytewise",
        ["MechanismMismatch", "Chunking"], ids(MATCH, MECH), ones(greet3(mech=b"PLAIN")[:32]),
        TABLE, GR("error", E("mechanism-mismatch", 31), D("3", 10), None))

    # ---- minVersion 3.0: 1.0 / 2.0 peers refused -------------------------------------------------------
    g = vf.group("greeting", minVersion="3.0")
    g.t("mv30-v10-anonymous", "minVersion 3.0, 1.0 anonymous peer: refused at octet 0",
        ["LegacyPeer", "BelowMinVersion"], DOWN, cut(cat(1, 0), 1), TABLE,
        GR("error", E("unsupported-version", 0), D("1.0", 0), None))
    g.t("mv30-v10-first-octet", "minVersion 3.0, first octet 0x05 only: refused at octet 0",
        ["LegacyPeer", "BelowMinVersion"], DOWN, whole(cat(5)), TABLE,
        GR("error", E("unsupported-version", 0), D("1.0", 0), None))
    g.t("mv30-v10-long", "minVersion 3.0, 1.0 long identity frame: refused at octet 9",
        ["LegacyPeer", "BelowMinVersion"], DOWN, cut(cat(0xFF, be(6, 8), 0, "hello"), 9, 10), TABLE,
        GR("error", E("unsupported-version", 9), D("1.0", 9), None))
    g.t("mv30-v20", "minVersion 3.0, 2.0 peer: refused at octet 10",
        ["LegacyPeer", "BelowMinVersion"], DOWN, cut(greet2(1, 5, b""), 10, 11), TABLE,
        GR("error", E("unsupported-version", 10), D("2.0", 10), None))
    g.t("mv30-v20-revision-2", "minVersion 3.0, revision 2 peer: a 2.0 peer per 23/ZMTP, refused at octet 10",
        ["LegacyPeer", "BelowMinVersion", "LibzmqDivergence"], DOWN, whole(greet2(2, 5, b"")), TABLE,
        GR("error", E("unsupported-version", 10), D("2.0", 10), None))
    g.t("mv30-major-0", "minVersion 3.0, major 0: refused at octet 10, nothing detected",
        ["MajorZero"], ids(DOWN, both("greeting.version-major", "30")), cut(greet3(major=0), 11), TABLE,
        GR("error", E("unsupported-version", 10), None, None))
    g.t("mv30-3.0", "minVersion 3.0, 3.0 peer: accepted",
        ["Valid", "VersionPolicy"], ids(HIGHER, OK3, "zmtp30.greeting.version-minor"), cut(greet3(minor=0), 11), "valid",
        GR("complete", None, D("3", 10), G3(3, 0, "NULL", 0)))
    g.t("mv30-3.1", "minVersion 3.0, 3.1 peer: accepted",
        ["Valid"], ids(OK3, "zmtp31.greeting.version-minor"), cut(g31, 10), "valid",
        GR("complete", None, D("3", 10), G3(3, 1, "NULL", 0)))
    g.t("mv30-trunc-10", "minVersion 3.0, 10 octets of a 3.x greeting: nothing decided yet",
        ["Truncated"], ids(DETECT, SIG), cut(g31[:10], 9), "valid", GR("incomplete", None, None, None))

    # ---- minVersion 2.0 ----------------------------------------------------------------------------------
    g = vf.group("greeting", minVersion="2.0")
    g.t("mv20-v10-short", "minVersion 2.0, 1.0 short identity frame: refused at octet 0",
        ["LegacyPeer", "BelowMinVersion"], DOWN, whole(cat(6, 0, "hello")), TABLE,
        GR("error", E("unsupported-version", 0), D("1.0", 0), None))
    g.t("mv20-v10-long", "minVersion 2.0, 1.0 long anonymous frame: refused at octet 9",
        ["LegacyPeer", "BelowMinVersion"], DOWN, ones(cat(0xFF, be(1, 8), 0)), TABLE,
        GR("error", E("unsupported-version", 9), D("1.0", 9), None))
    g.t("mv20-v20", "minVersion 2.0, 2.0 ROUTER peer: accepted",
        ["LegacyPeer", "Valid"], ids(V20, DETECT), cut(greet2(1, 6, b"R1"), 12), "valid",
        GR("complete", None, D("2.0", 10), G2(1, 6, b"R1")))
    g.t("mv20-3.1", "minVersion 2.0, 3.1 peer: accepted",
        ["Valid"], ids(OK3, "zmtp31.greeting.version-minor"), cut(g31, 10, 11, 12), "valid",
        GR("complete", None, D("3", 10), G3(3, 1, "NULL", 0)))
    return vf


# ==========================================================================
# Command bodies and command reports (shared by frame, command, plain, curve).
#
# command body = name-length(1) name(ALPHA) data
# property     = name-length(1) name value-size(4, BE) value

def cmd(name, data=b""):
    name = name.encode() if isinstance(name, str) else name
    return cat(len(name), name, data)


def prop(name, value):
    name = name.encode() if isinstance(name, str) else name
    return cat(len(name), name, be(len(value), 4), value)


def P(name, value):
    return {"name": name, "value": value.hex()}


def C_unknown(name, data=b""):
    return {"name": name, "data": data.hex()}


def C_props(name, props):
    return {"name": name, "properties": props}


def C_error(reason):
    return {"name": "ERROR", "reason": reason.hex()}


def C_ping(ttl, context=b""):
    return {"name": "PING", "ttl": ttl, "context": context.hex()}


def C_pong(context=b""):
    return {"name": "PONG", "context": context.hex()}


def C_topic(name, topic):
    return {"name": name, "topic": topic.hex()}


def C_group(name, group):
    return {"name": name, "group": group.hex()}


def CR(state, error, command):
    return {"state": state, "error": error, "command": command}


# Bodies from the RFC's worked example (23/ZMTP) and 37/ZMTP's examples, typed
# from the text; the builders above must agree with them.
WE_READY_CLIENT = bytes.fromhex(
    "0429" "055245414459" "0b536f636b65742d54797065" "000000064445414c4552"
    "084964656e74697479" "00000000")
WE_READY_SERVER = bytes.fromhex("041c" "055245414459" "0b536f636b65742d54797065" "00000006524f55544552")
WE_ERROR_400 = bytes.fromhex("040a054552524f5203343030")
WE_SUBSCRIBE_A = bytes.fromhex("040b0953554253435249424541")
WE_PING_30 = bytes.fromhex("04070450494e47001e")
WE_PONG = bytes.fromhex("0405" "04504f4e47")
WE_SUB30_A = bytes.fromhex("00020141")
WE_CANCEL30_A = bytes.fromhex("00020041")
assert WE_READY_CLIENT == cat(4, 41, cmd("READY", prop("Socket-Type", b"DEALER") + prop("Identity", b"")))
assert WE_READY_SERVER == cat(4, 28, cmd("READY", prop("Socket-Type", b"ROUTER")))
assert WE_ERROR_400 == cat(4, 10, cmd("ERROR", cat(3, "400")))
assert WE_SUBSCRIBE_A == cat(4, 11, cmd("SUBSCRIBE", b"A"))
assert WE_PING_30 == cat(4, 7, cmd("PING", be(30, 2)))
assert WE_PONG == cat(4, 5, cmd("PONG"))
assert WE_SUB30_A == cat(0, 2, 1, "A") and WE_CANCEL30_A == cat(0, 2, 0, "A")

READY_CLIENT_C = C_props("READY", [P("Socket-Type", b"DEALER"), P("Identity", b"")])
READY_SERVER_C = C_props("READY", [P("Socket-Type", b"ROUTER")])


# ==========================================================================
# frame_test.json
#
# 3.x frame: flags(1) size(1, or 8 BE with LONG) body(size)
#   flags bit0 MORE, bit1 LONG, bit2 COMMAND, bits 3-7 reserved; 2.0 reserves bits 2-7.

def sframe(flags, body):
    assert len(body) <= 255
    return cat(flags, len(body), body)


def lframe(flags, body, size=None):
    return cat(flags, be(len(body) if size is None else size, 8), body)


def F(offset, flags, size, body, complete=True, command=None):
    f = {"offset": offset, "flags": flags, "size": size, "body": body.hex(), "complete": complete}
    if command is not None:
        f["command"] = command
    return f


def stream(*parts):
    """Frames one after another: (flags, body[, command]); LONG in flags picks the 8-octet size.
    Returns the octets and the expected F list (offset = octets before the frame)."""
    data = b""
    frames = []
    for p in parts:
        flags, body = p[0], p[1]
        command = p[2] if len(p) > 2 else None
        offset = len(data)
        data += lframe(flags, body) if flags & 2 else sframe(flags, body)
        frames.append(F(offset, flags, len(body), body, True, command))
    return data, frames


def FR(state, error, frames):
    return {"state": state, "error": error, "frames": frames}


def gen_frame():
    vf = VFile("frame", [
        "Frame streams (the octets after the greeting): flags values, short and long sizes, size",
        "limits, truncation, multipart messages and command frames with their decoded commands,",
        "in ZMTP 3.1, 3.0 (subscription messages) and 2.0 (no COMMAND bit) modes.",
    ])
    FLAGS = both("frame.flags-reserved")
    NOMORE = both("frame.command-no-more")
    SHORT = both("frame.short-size")
    LONG = both("frame.long-size")
    LIMIT = both("frame.size-limit")
    CSHORT = both("command.short-size")
    CLONG = both("command.long-size")
    NAME = both("command.name")

    g = vf.group("frames", zmtpVersion="3.1", maxFrameSize=MAX63, mechanism="NULL")

    # ---- flags values --------------------------------------------------------------
    data, frames = stream((0x00, b"A"))
    g.t("f31-flags-00", "flags 0x00: a final message frame 'A'", ["Valid"], ids(FLAGS, SHORT),
        cut(data, 1), "valid", FR("complete", None, frames))
    data, frames = stream((0x01, b"A"), (0x00, b"B"))
    g.t("f31-flags-01", "flags 0x01 (MORE) then a final frame", ["Valid", "Multipart"], ids(FLAGS, SHORT),
        cut(data, 3), "valid", FR("complete", None, frames))
    data, frames = stream((0x02, b"abc"))
    g.t("f31-flags-02", "flags 0x02 (LONG) with a 3-octet body: valid, non-canonical",
        ["NonCanonical", "LongSize"], ids(LONG, FLAGS), cut(data, 1, 9), "valid", FR("complete", None, frames))
    data, frames = stream((0x03, b"ab"), (0x00, b""))
    g.t("f31-flags-03", "flags 0x03 (MORE|LONG) then an empty final frame",
        ["NonCanonical", "LongSize", "Multipart"], ids(LONG, FLAGS), cut(data, 5, 11), "valid",
        FR("complete", None, frames))
    data, frames = stream((0x04, cmd("PING", be(30, 2)), C_ping(30)))
    assert data == WE_PING_30
    g.t("f31-flags-04", "flags 0x04 (COMMAND): 37/ZMTP's PING example, TTL 3.0 s",
        ["Valid", "CommandFrame", "WorkedExample"], ids(FLAGS, "zmtp31.command.ping", NAME),
        cut(data, 2, 4), "valid", FR("complete", None, frames))
    big = pattern(300, 4)
    data, frames = stream((0x06, cmd("READY", prop("X-Blob", big)), C_props("READY", [P("X-Blob", big)])))
    g.t("f31-flags-06", "flags 0x06 (COMMAND|LONG): a 317-octet READY needs the long size",
        ["Valid", "CommandFrame", "LongSize"], ids(CLONG, FLAGS, "zmtp30.null.ready"),
        cut(data, 1, 5, 9, 200), "valid", FR("complete", None, frames))
    g.t("f31-flags-05", "flags 0x05 (COMMAND|MORE): MORE on a command frame, invalid at 0",
        ["CommandMore"], ids(NOMORE, FLAGS), whole(cat(0x05) + WE_PING_30[1:]), TABLE,
        FR("error", E("invalid-flags", 0), []))
    g.t("f31-flags-07", "flags 0x07 (COMMAND|LONG|MORE): invalid at 0",
        ["CommandMore"], ids(NOMORE, FLAGS), cut(lframe(0x07, cmd("PING", be(0, 2))), 1), TABLE,
        FR("error", E("invalid-flags", 0), []))
    data, frames = stream((0x00, b""))
    g.t("f31-flags-05-second", "an empty message frame, then flags 0x05: invalid at 2, the first frame listed",
        ["CommandMore"], ids(NOMORE, FLAGS), cut(data + cat(0x05, 5) + cmd("PONG"), 2), TABLE,
        FR("error", E("invalid-flags", 2), frames))
    for bit, prefix_parts, comment in (
            (0x08, (), "at offset 0"),
            (0x10, ((0x00, b"A"),), "after a message frame"),
            (0x20, (), "as the only octet"),
            (0x40, ((0x01, b""),), "after an empty MORE frame"),
            (0x80, ((0x04, cmd("PING", be(0, 2)), C_ping(0)),), "after a command frame")):
        prefix, frames = stream(*prefix_parts)
        tail = cat(bit) if bit == 0x20 else cat(bit, 1, "A")
        g.t(f"f31-reserved-{bit:02x}", f"reserved flag bit 0x{bit:02x} {comment}: invalid at {len(prefix)}",
            ["ReservedFlags"], FLAGS, cut(prefix + tail, len(prefix)) if prefix else whole(tail), TABLE,
            FR("error", E("invalid-flags", len(prefix)), frames))
    for fl, comment in ((0x0C, "COMMAND plus reserved bit 3"), (0x0A, "LONG plus reserved bit 3"),
                        (0x09, "MORE plus reserved bit 3"), (0xFF, "every bit set")):
        g.t(f"f31-reserved-{fl:02x}", f"flags 0x{fl:02x} ({comment}): invalid at 0",
            ["ReservedFlags"], ids(FLAGS, NOMORE) if fl in (0x0D, 0xFF) else FLAGS,
            whole(cat(fl, 0)), TABLE, FR("error", E("invalid-flags", 0), []))

    # ---- sizes ------------------------------------------------------------------------------
    data, frames = stream((0x00, b""))
    g.t("f31-short-0", "empty final frame 00 00", ["Valid", "Empty"], SHORT, ones(data), "valid",
        FR("complete", None, frames))
    data, frames = stream((0x00, b"\xff"))
    g.t("f31-short-1", "short size 1", ["Valid"], SHORT, cut(data, 2), "valid", FR("complete", None, frames))
    body = pattern(255, 2)
    data, frames = stream((0x00, body))
    g.t("f31-short-255", "short size 255, the largest short frame", ["Valid"], SHORT, cut(data, 1, 2, 130),
        "valid", FR("complete", None, frames))
    data, frames = stream((0x02, b""))
    g.t("f31-long-0", "LONG with size 0: valid, non-canonical", ["NonCanonical", "LongSize", "Empty"], LONG,
        cut(data, 4), "valid", FR("complete", None, frames))
    data, frames = stream((0x02, b"\x00"))
    g.t("f31-long-1", "LONG with size 1: valid, non-canonical", ["NonCanonical", "LongSize"], LONG,
        ones(data), "valid", FR("complete", None, frames))
    data, frames = stream((0x02, pattern(255, 3)))
    g.t("f31-long-255", "LONG with size 255, split inside the size: valid, non-canonical",
        ["NonCanonical", "LongSize", "Chunking"], LONG, cut(data, 3, 6), "valid", FR("complete", None, frames))
    data, frames = stream((0x02, pattern(256, 4)))
    g.t("f31-long-256", "LONG with size 256 (the smallest canonical long frame), header octet by octet",
        ["Valid", "LongSize", "Chunking"], LONG, cut(data, 1, 2, 3, 4, 5, 6, 7, 8, 9, 100), "valid",
        FR("complete", None, frames))
    for size, slug in ((2**31, "2^31"), (MAX63, "2^63-1")):
        g.t(f"f31-long-{slug}-header", f"LONG size {slug}, header only: incomplete, nothing wrong yet",
            ["Truncated", "LongSize"], LONG, cut(lframe(0x02, b"", size), 5), "valid",
            FR("incomplete", None, [F(0, 2, size, b"", False)]))
    g.t("f31-long-2^63-1-partial", "LONG size 2^63-1 and 3 body octets: incomplete",
        ["Truncated", "LongSize"], LONG, cut(lframe(0x02, b"xyz", MAX63), 9, 10), "valid",
        FR("incomplete", None, [F(0, 2, MAX63, b"xyz", False)]))
    g.t("f31-command-long-2^63-1-header", "COMMAND|LONG size 2^63-1, header only: incomplete",
        ["Truncated", "LongSize"], ids(LONG, CLONG), whole(lframe(0x06, b"", MAX63)), "valid",
        FR("incomplete", None, [F(0, 6, MAX63, b"", False)]))
    for size, slug in ((TOP, "2^63"), (MAX64, "2^64-1")):
        g.t(f"f31-long-{slug}", f"LONG size {slug}: top bit set, invalid at the last size octet (8)",
            ["SizeOverflow", "LongSize"], LONG, cut(lframe(0x02, b"", size), 1), TABLE,
            FR("error", E("invalid-size", 8), []))
    g.t("f31-long-2^63-body", "LONG size 2^63 followed by body octets: invalid at 8, nothing after decoded",
        ["SizeOverflow", "LongSize"], LONG, cut(lframe(0x02, b"AB", TOP), 9), TABLE,
        FR("error", E("invalid-size", 8), []))
    g.t("f31-command-long-2^63", "COMMAND|LONG size 2^63: invalid at 8",
        ["SizeOverflow", "LongSize"], LONG, ones(lframe(0x06, b"", TOP)), TABLE,
        FR("error", E("invalid-size", 8), []))
    prefix, frames = stream((0x00, b""))
    g.t("f31-long-2^63-second", "an empty frame, then MORE|LONG size 2^63: invalid at 2 + 8 = 10",
        ["SizeOverflow", "LongSize"], LONG, cut(prefix + lframe(0x03, b"", TOP), 2, 6), TABLE,
        FR("error", E("invalid-size", 10), frames))
    g.t("f31-short-past-buffer", "short size 5, only 2 body octets: incomplete",
        ["Truncated"], SHORT, cut(cat(0, 5, "AB"), 2), "valid",
        FR("incomplete", None, [F(0, 0, 5, b"AB", False)]))
    g.t("f31-short-header-only", "short size 5, no body yet: incomplete",
        ["Truncated"], SHORT, ones(cat(0, 5)), "valid", FR("incomplete", None, [F(0, 0, 5, b"", False)]))
    g.t("f31-flags-only", "a flags octet alone: incomplete, no frame listed",
        ["Truncated"], SHORT, whole(cat(0)), "valid", FR("incomplete", None, []))
    g.t("f31-long-header-partial", "LONG flags and 4 of 8 size octets: incomplete, no frame listed",
        ["Truncated", "LongSize"], LONG, cut(cat(2, 0, 0, 0, 0), 3), "valid", FR("incomplete", None, []))
    prefix, frames = stream((0x00, b"A"))
    g.t("f31-second-header-partial", "a complete frame, then LONG flags and 2 size octets",
        ["Truncated", "LongSize"], ids(LONG, SHORT), cut(prefix + cat(2, 0, 0), 3), "valid",
        FR("incomplete", None, frames))

    # ---- multipart ----------------------------------------------------------------------------
    data, frames = stream((0x01, b"A"), (0x01, b"B"), (0x00, b"C"))
    g.t("f31-multipart-3", "three-frame message, one octet per chunk", ["Valid", "Multipart", "Chunking"],
        ids(FLAGS, SHORT), ones(data), "valid", FR("complete", None, frames))
    data, frames = stream((0x01, b""), (0x03, pattern(256, 5)), (0x00, b""))
    g.t("f31-multipart-long", "empty delimiter, 256-octet long frame, empty final frame",
        ["Valid", "Multipart", "LongSize"], ids(LONG, FLAGS), cut(data, 2, 3, 11, 40), "valid",
        FR("complete", None, frames))
    data, frames = stream((0x00, b"one"), (0x00, b"two"))
    g.t("f31-two-messages", "two single-frame messages", ["Valid"], ids(FLAGS, SHORT),
        cut(data, 5), "valid", FR("complete", None, frames))
    data, frames = stream((0x00, b"A"), (0x04, cmd("PING", be(0, 2)), C_ping(0)), (0x00, b""))
    g.t("f31-message-command-message", "a message, a PING command, a message: commands interleave with traffic",
        ["Valid", "CommandFrame"], ids(FLAGS, "zmtp31.command.ping"), cut(data, 4, 6), "valid",
        FR("complete", None, frames))

    # ---- command frames --------------------------------------------------------------------------
    g.t("f31-ready-client", "the RFC worked example: DEALER client READY with Socket-Type and empty Identity",
        ["Valid", "CommandFrame", "WorkedExample"], ids("zmtp30.null.ready", NAME, both("metadata.name")),
        cut(WE_READY_CLIENT, 2, 8, 9, 22), "valid",
        FR("complete", None, [F(0, 4, 41, WE_READY_CLIENT[2:], True, READY_CLIENT_C)]))
    g.t("f31-ready-server", "the RFC worked example: ROUTER server READY",
        ["Valid", "CommandFrame", "WorkedExample"], ids("zmtp30.null.ready", NAME),
        cut(WE_READY_SERVER, 1), "valid",
        FR("complete", None, [F(0, 4, 28, WE_READY_SERVER[2:], True, READY_SERVER_C)]))
    data = WE_READY_CLIENT + WE_READY_SERVER
    g.t("f31-ready-both", "both worked-example READY frames in one stream",
        ["Valid", "CommandFrame", "WorkedExample", "Multipart"], ids("zmtp30.null.ready", NAME),
        cut(data, 43), "valid",
        FR("complete", None, [F(0, 4, 41, WE_READY_CLIENT[2:], True, READY_CLIENT_C),
                              F(43, 4, 28, WE_READY_SERVER[2:], True, READY_SERVER_C)]))
    g.t("f31-error-400", "ERROR \"400\" frame 04 0A 05 'ERROR' 03 '400'",
        ["Valid", "CommandFrame", "WorkedExample", "ErrorReason"], ids(both("null.error"), NAME),
        cut(WE_ERROR_400, 8), "valid",
        FR("complete", None, [F(0, 4, 10, WE_ERROR_400[2:], True, C_error(b"400"))]))
    g.t("f31-pong-empty", "37/ZMTP's empty PONG example 04 05 04 'PONG'",
        ["Valid", "CommandFrame", "WorkedExample", "Heartbeat"], ids("zmtp31.command.pong", NAME),
        whole(WE_PONG), "valid", FR("complete", None, [F(0, 4, 5, WE_PONG[2:], True, C_pong())]))
    g.t("f31-subscribe-A", "37/ZMTP's SUBSCRIBE 'A' example",
        ["Valid", "CommandFrame", "WorkedExample", "Subscription"], ids("zmtp31.command.subscribe", NAME),
        cut(WE_SUBSCRIBE_A, 3), "valid",
        FR("complete", None, [F(0, 4, 11, WE_SUBSCRIBE_A[2:], True, C_topic("SUBSCRIBE", b"A"))]))
    for n in (0, 245, 246, 255, 256):
        topic = pattern(n, n)
        body = cmd("SUBSCRIBE", topic)
        assert len(body) == 10 + n
        fl = 0x04 if len(body) <= 255 else 0x06
        data, frames = stream((fl, body, C_topic("SUBSCRIBE", topic)))
        how = "short frame" if fl == 0x04 else "needs a long frame"
        g.t(f"f31-subscribe-{n}", f"SUBSCRIBE with a {n}-octet topic: body {len(body)}, {how}",
            ["Valid", "CommandFrame", "Subscription"] + (["LongSize"] if fl == 0x06 else []),
            ids("zmtp31.command.subscribe", CLONG if fl == 0x06 else CSHORT),
            cut(data, 1, 5) if fl == 0x06 else cut(data, 2, 6), "valid", FR("complete", None, frames))
    topic = pattern(245, 7)
    data = lframe(0x06, cmd("SUBSCRIBE", topic))
    g.t("f31-subscribe-245-long", "SUBSCRIBE with a 245-octet topic (body 255) in a long frame: non-canonical",
        ["NonCanonical", "CommandFrame", "Subscription", "LongSize"], ids(CSHORT, "zmtp31.command.subscribe", LONG),
        cut(data, 9), "valid",
        FR("complete", None, [F(0, 6, 255, data[9:], True, C_topic("SUBSCRIBE", topic))]))
    for n in (0, 245, 246, 248, 249, 255, 256):
        topic = pattern(n, 11)
        body = cmd("CANCEL", topic)
        assert len(body) == 7 + n
        fl = 0x04 if len(body) <= 255 else 0x06
        data, frames = stream((fl, body, C_topic("CANCEL", topic)))
        g.t(f"f31-cancel-{n}", f"CANCEL with a {n}-octet topic: body {len(body)}",
            ["Valid", "CommandFrame", "Subscription"] + (["LongSize"] if fl == 0x06 else []),
            ids("zmtp31.command.cancel", CLONG if fl == 0x06 else CSHORT),
            cut(data, 3), "valid", FR("complete", None, frames))
    data, frames = stream((0x04, cmd("JOIN", b"weather"), C_group("JOIN", b"weather")),
                          (0x04, cmd("LEAVE", b"weather"), C_group("LEAVE", b"weather")))
    g.t("f31-join-leave", "JOIN then LEAVE 'weather'", ["Valid", "CommandFrame", "RadioDish"],
        ids("zmtp31.command.join", "zmtp31.command.leave", NAME), cut(data, 7, 15), "valid",
        FR("complete", None, frames))
    data, frames = stream((0x04, cmd("FOO", b"\x01\x02"), C_unknown("FOO", b"\x01\x02")))
    g.t("f31-unknown-command", "an unknown command 'FOO': name and data reported",
        ["Valid", "CommandFrame", "UnknownCommand"], NAME, cut(data, 3), "valid", FR("complete", None, frames))
    body = cmd("PING", be(30, 2))
    g.t("f31-command-long-small", "PING in a long command frame: valid, non-canonical (should be short)",
        ["NonCanonical", "CommandFrame", "LongSize"], ids(CSHORT, LONG, "zmtp31.command.ping"),
        cut(lframe(0x06, body), 9), "valid",
        FR("complete", None, [F(0, 6, 7, body, True, C_ping(30))]))
    g.t("f31-command-truncated", "the client READY cut after 20 octets: incomplete, no command yet",
        ["Truncated", "CommandFrame"], ids(SHORT, "zmtp30.null.ready"), cut(WE_READY_CLIENT[:20], 2, 13), "valid",
        FR("incomplete", None, [F(0, 4, 41, WE_READY_CLIENT[2:20], False)]))
    g.t("f31-command-empty", "command frame with an empty body: no name, invalid at the body end (2)",
        ["CommandName", "EndsEarly", "Empty"], NAME, whole(cat(4, 0)), TABLE,
        FR("error", E("malformed-command", 2), []))
    prefix, frames = stream((0x00, b"A"))
    g.t("f31-command-name-0", "a message, then a command whose name length is 0: invalid at 5",
        ["CommandName"], NAME, cut(prefix + cat(4, 3, 0, "AB"), 3), TABLE,
        FR("error", E("malformed-command", 5), frames))
    g.t("f31-command-bad-name-early", "command frame of 16 octets whose second name octet is '1': "
        "found as it arrives (4), before the body is complete",
        ["CommandName"], NAME, cut(cat(4, 16, 5, "R1"), 3), TABLE, FR("error", E("malformed-command", 4), []))
    g.t("f31-command-name-past-body", "name length 5 in a 3-octet body: ends early, invalid at the body end (5)",
        ["CommandName", "EndsEarly"], NAME, cut(cat(4, 3, 5, "RE"), 2), TABLE,
        FR("error", E("malformed-command", 5), []))
    body_prefix = cmd("PING", be(0, 2)) + pattern(16, 1)
    data = cat(4, len(body_prefix) + 1, body_prefix, 0xAA)
    g.t("f31-ping-context-17", "PING with a 17-octet context in a frame: invalid at the 17th context octet",
        ["HeartbeatLayout", "CommandFrame"], ["zmtp31.command.ping"], cut(data, 2, 20), TABLE,
        FR("error", E("malformed-command", 2 + len(body_prefix)), []))
    bad = cmd("READY", cat(11, "Socket Type", be(6, 4), "ROUTER"))
    g.t("f31-ready-bad-name", "server READY whose property name has a space: invalid metadata at that octet",
        ["PropertyName", "CommandFrame"], ids(both("metadata.name"), "zmtp30.null.ready"),
        cut(sframe(4, bad), 2), TABLE,
        FR("error", E("invalid-metadata", 2 + len(cmd("READY", cat(11, "Socket")))), []))

    # ---- maxFrameSize 100 -----------------------------------------------------------------------
    g = vf.group("frames", zmtpVersion="3.1", maxFrameSize=100, mechanism="NULL")
    data, frames = stream((0x00, pattern(100, 6)))
    g.t("lim-short-100", "maxFrameSize 100, short size 100: at the limit, valid",
        ["Valid", "AtLimit"], ids(LIMIT, SHORT), cut(data, 2), "valid", FR("complete", None, frames))
    g.t("lim-short-101", "maxFrameSize 100, short size 101: refused at the size octet (1), before any body",
        ["SizeLimit"], ids(LIMIT, SHORT), cut(cat(0, 101, "abc"), 2), TABLE,
        FR("error", E("limit-exceeded", 1), []))
    g.t("lim-short-255", "maxFrameSize 100, short size 255 alone", ["SizeLimit"], ids(LIMIT, SHORT),
        ones(cat(0, 255)), TABLE, FR("error", E("limit-exceeded", 1), []))
    data, frames = stream((0x02, pattern(100, 8)))
    g.t("lim-long-100", "maxFrameSize 100, LONG size 100: valid, non-canonical",
        ["NonCanonical", "AtLimit", "LongSize"], ids(LIMIT, LONG), cut(data, 9), "valid",
        FR("complete", None, frames))
    g.t("lim-long-101", "maxFrameSize 100, LONG size 101: refused at the last size octet (8)",
        ["SizeLimit", "LongSize"], ids(LIMIT, LONG), cut(lframe(2, b"", 101), 8), TABLE,
        FR("error", E("limit-exceeded", 8), []))
    g.t("lim-long-1000-split", "maxFrameSize 100, LONG size 1000 split inside the size", ["SizeLimit", "Chunking"],
        ids(LIMIT, LONG), cut(lframe(2, b"", 1000), 2, 7), TABLE, FR("error", E("limit-exceeded", 8), []))
    g.t("lim-long-2^63-1", "maxFrameSize 100, LONG size 2^63-1: limit-exceeded at 8",
        ["SizeLimit", "LongSize"], ids(LIMIT, LONG), whole(lframe(2, b"", MAX63)), TABLE,
        FR("error", E("limit-exceeded", 8), []))
    g.t("lim-long-2^63", "maxFrameSize 100, LONG size 2^63: the top bit is checked first, invalid-size at 8",
        ["SizeOverflow", "LongSize"], LONG, whole(lframe(2, b"", TOP)), TABLE,
        FR("error", E("invalid-size", 8), []))
    prefix, frames = stream((0x00, b"A"))
    g.t("lim-second-frame", "maxFrameSize 100, a 1-octet frame, then short size 200: refused at 4",
        ["SizeLimit"], ids(LIMIT, SHORT), cut(prefix + cat(0, 200), 3), TABLE,
        FR("error", E("limit-exceeded", 4), frames))
    g.t("lim-command-101", "maxFrameSize 100, a command frame of size 101: refused at 1",
        ["SizeLimit", "CommandFrame"], ids(LIMIT, SHORT), cut(cat(4, 101, 5, "READY"), 2), TABLE,
        FR("error", E("limit-exceeded", 1), []))

    # ---- ZMTP 3.0 mode -----------------------------------------------------------------------------
    FLAGS30 = both("frame.flags-reserved", "30")
    g = vf.group("frames", zmtpVersion="3.0", maxFrameSize=MAX63, mechanism="NULL")
    g.t("f30-subscribe-A", "3.0 subscription to 'A': a message frame 00 02 01 41, not a command",
        ["Valid", "Subscription", "WorkedExample"], ["zmtp30.pubsub.subscribe-message"], cut(WE_SUB30_A, 2),
        "valid", FR("complete", None, [F(0, 0, 2, b"\x01A")]))
    g.t("f30-cancel-A", "3.0 cancel of 'A': a message frame 00 02 00 41",
        ["Valid", "Subscription", "WorkedExample"], ["zmtp30.pubsub.cancel-message"], whole(WE_CANCEL30_A),
        "valid", FR("complete", None, [F(0, 0, 2, b"\x00A")]))
    data, frames = stream((0x00, b"\x01"))
    g.t("f30-subscribe-all", "3.0 subscription to everything: 00 01 01", ["Valid", "Subscription"],
        ["zmtp30.pubsub.subscribe-message"], ones(data), "valid", FR("complete", None, frames))
    data, frames = stream((0x00, b"\x01A"), (0x00, b"\x00B"), (0x00, b"\x01" + pattern(254, 9)))
    g.t("f30-subscriptions", "3.0 subscribe 'A', cancel 'B', subscribe a 254-octet topic",
        ["Valid", "Subscription", "Multipart"], ["zmtp30.pubsub.subscribe-message", "zmtp30.pubsub.cancel-message"],
        cut(data, 4, 8, 9), "valid", FR("complete", None, frames))
    g.t("f30-ready-client", "3.0 worked example: client READY",
        ["Valid", "CommandFrame", "WorkedExample"], ids("zmtp30.null.ready", both("command.name", "30")),
        cut(WE_READY_CLIENT, 1, 7), "valid",
        FR("complete", None, [F(0, 4, 41, WE_READY_CLIENT[2:], True, READY_CLIENT_C)]))
    g.t("f30-error-400", "3.0 ERROR \"400\"", ["Valid", "CommandFrame", "ErrorReason"],
        ids(both("null.error", "30")), cut(WE_ERROR_400, 9), "valid",
        FR("complete", None, [F(0, 4, 10, WE_ERROR_400[2:], True, C_error(b"400"))]))
    g.t("f30-reserved-08", "3.0 reserved bit 0x08: invalid at 0", ["ReservedFlags"], FLAGS30,
        whole(cat(0x08, 1, "A")), TABLE, FR("error", E("invalid-flags", 0), []))
    g.t("f30-command-more", "3.0 command frame with MORE: invalid at 0", ["CommandMore"],
        ids(both("frame.command-no-more", "30"), FLAGS30), cut(cat(5) + WE_ERROR_400[1:], 1), TABLE,
        FR("error", E("invalid-flags", 0), []))
    data, frames = stream((0x02, pattern(256, 10)))
    g.t("f30-long-256", "3.0 LONG size 256", ["Valid", "LongSize"], both("frame.long-size", "30"),
        cut(data, 8), "valid", FR("complete", None, frames))
    g.t("f30-long-2^63", "3.0 LONG size 2^63: invalid at 8", ["SizeOverflow", "LongSize"],
        both("frame.long-size", "30"), cut(lframe(0x03, b"", TOP), 4), TABLE,
        FR("error", E("invalid-size", 8), []))

    # ---- ZMTP 2.0 mode -------------------------------------------------------------------------------
    F20 = ["zmtp20.frame.flags-reserved"]
    L20 = ["zmtp20.frame.long-size"]
    g = vf.group("frames", zmtpVersion="2.0", maxFrameSize=MAX63, mechanism="NULL")
    data, frames = stream((0x00, b"A"))
    g.t("f20-final", "2.0 final short frame", ["Valid", "LegacyPeer"], F20, whole(data), "valid",
        FR("complete", None, frames))
    data, frames = stream((0x01, b"A"), (0x00, b"B"))
    g.t("f20-more", "2.0 MORE then final", ["Valid", "LegacyPeer", "Multipart"], F20, cut(data, 2), "valid",
        FR("complete", None, frames))
    data, frames = stream((0x02, b"abc"))
    g.t("f20-long-3", "2.0 LONG size 3: valid, non-canonical", ["NonCanonical", "LegacyPeer", "LongSize"],
        ids(L20, F20), cut(data, 4), "valid", FR("complete", None, frames))
    data, frames = stream((0x03, pattern(256, 12)), (0x00, b""))
    g.t("f20-long-256-more", "2.0 MORE|LONG size 256 then an empty final frame",
        ["Valid", "LegacyPeer", "LongSize", "Multipart"], ids(L20, F20), cut(data, 1, 9, 265), "valid",
        FR("complete", None, frames))
    g.t("f20-long-header-partial", "2.0 LONG header, 5 of 8 size octets", ["Truncated", "LegacyPeer"],
        L20, cut(cat(2, 0, 0, 0, 0, 1), 1), "valid", FR("incomplete", None, []))
    g.t("f20-flags-04", "2.0 has no COMMAND bit: 0x04 (a 3.x PING frame) is invalid at 0",
        ["ReservedFlags20", "LegacyPeer"], F20, whole(WE_PING_30), TABLE, FR("error", E("invalid-flags", 0), []))
    g.t("f20-flags-06", "2.0 flags 0x06: bit 2 reserved", ["ReservedFlags20", "LegacyPeer"], F20,
        whole(lframe(0x06, b"")), TABLE, FR("error", E("invalid-flags", 0), []))
    g.t("f20-flags-05", "2.0 flags 0x05: bit 2 reserved", ["ReservedFlags20", "LegacyPeer"], F20,
        whole(cat(5, 0)), TABLE, FR("error", E("invalid-flags", 0), []))
    prefix, frames = stream((0x00, b"A"))
    g.t("f20-flags-08-second", "2.0: a frame, then flags 0x08: invalid at 3", ["ReservedFlags20", "LegacyPeer"],
        F20, cut(prefix + cat(8, 0), 3), TABLE, FR("error", E("invalid-flags", 3), frames))
    g.t("f20-flags-80", "2.0 flags 0x80", ["ReservedFlags20", "LegacyPeer"], F20,
        whole(cat(0x80)), TABLE, FR("error", E("invalid-flags", 0), []))
    return vf


# ==========================================================================
# command_test.json (NULL mechanism; the 3.1 traffic commands)

def gen_command():
    vf = VFile("command", [
        "Command bodies (what follows a command frame's flags and size) under the NULL mechanism:",
        "command names, READY metadata, ERROR reasons, and the 3.1 traffic commands PING, PONG,",
        "SUBSCRIBE, CANCEL, JOIN, LEAVE. The input length is the frame size, known up front.",
    ])
    NAME = both("command.name")
    READY = ids("zmtp30.null.ready", both("metadata.name"), both("metadata.value-size"))
    ERROR = both("null.error")
    MC = "malformed-command"
    g = vf.group("command", mechanism="NULL")

    # ---- names -------------------------------------------------------------------------
    g.t("name-len-0", "name length 0: invalid at 0", ["CommandName", "Empty"], NAME, whole(cat(0)), TABLE,
        CR("error", E(MC, 0), None))
    g.t("name-len-0-data", "name length 0 followed by octets: invalid at 0", ["CommandName"], NAME,
        cut(cat(0, "AB"), 1), TABLE, CR("error", E(MC, 0), None))
    g.t("name-len-1", "one-letter name 'A', no data: an unknown command", ["Valid", "UnknownCommand"], NAME,
        ones(cmd("A")), "valid", CR("complete", None, C_unknown("A")))
    g.t("name-len-1-data", "name 'Z' and data 00 FF", ["Valid", "UnknownCommand"], NAME,
        cut(cmd("Z", b"\x00\xff"), 2), "valid", CR("complete", None, C_unknown("Z", b"\x00\xff")))
    n255 = alpha(255, 3)
    g.t("name-len-255", "255-letter name (the maximum) and 4 data octets: an unknown command",
        ["Valid", "UnknownCommand"], NAME, cut(cmd(n255, b"data"), 1, 128, 256), "valid",
        CR("complete", None, C_unknown(n255.decode(), b"data")))
    g.t("name-lower-case", "lower-case letters are ALPHA: 'Foo' is a well-formed unknown name",
        ["Valid", "UnknownCommand"], NAME, whole(cmd("Foo", b"1")), "valid",
        CR("complete", None, C_unknown("Foo", b"1")))
    for slug, body, bad, what in (
            ("name-digit", cat(4, "P1NG"), 2, "a digit '1'"),
            ("name-dash", cat(5, "X-FOO"), 2, "'-'"),
            ("name-nul", cat(4, "A", 0, "BC"), 2, "0x00"),
            ("name-high", cat(3, "AB", 0x80), 3, "0x80"),
            ("name-at", cat(1, "@"), 1, "'@' (0x40, below 'A')"),
            ("name-bracket", cat(2, "A["), 2, "'[' (0x5B, above 'Z')"),
            ("name-backtick", cat(2, "`A"), 1, "'`' (0x60, below 'a')"),
            ("name-brace", cat(3, "AB{"), 3, "'{' (0x7B, above 'z')"),
            ("name-space", cat(5, "REA Y"), 4, "a space")):
        g.t(slug, f"name containing {what}: not ALPHA, invalid at {bad}", ["CommandName"], NAME,
            cut(body, bad) if bad > 1 else whole(body), TABLE, CR("error", E(MC, bad), None))
    g.t("name-past-body", "name length 5 with 3 name octets: ends early, invalid at 4",
        ["CommandName", "EndsEarly"], NAME, cut(cat(5, "REA"), 1), TABLE, CR("error", E(MC, 4), None))
    g.t("name-255-past-body", "name length 255 with 2 name octets: invalid at 3",
        ["CommandName", "EndsEarly"], NAME, whole(cat(255, "AA")), TABLE, CR("error", E(MC, 3), None))
    g.t("body-empty", "an empty body: no name length, invalid at 0 (the input length)",
        ["CommandName", "EndsEarly", "Empty"], NAME, [""], TABLE, CR("error", E(MC, 0), None))

    # ---- READY ------------------------------------------------------------------------------------
    g.t("ready-empty", "READY with no properties", ["Valid", "Metadata", "Empty"], READY,
        whole(cmd("READY")), "valid", CR("complete", None, C_props("READY", [])))
    body = cmd("READY", prop("Socket-Type", b"DEALER"))
    g.t("ready-socket-type", "READY with Socket-Type DEALER, split inside the value size",
        ["Valid", "Metadata", "Chunking"], READY, cut(body, 3, 20), "valid",
        CR("complete", None, C_props("READY", [P("Socket-Type", b"DEALER")])))
    body = cmd("READY", prop("Socket-Type", b"REQ") + prop("Identity", b""))
    g.t("ready-identity-empty", "READY from a REQ with an empty Identity", ["Valid", "Metadata", "Empty"], READY,
        cut(body, 6, 30), "valid",
        CR("complete", None, C_props("READY", [P("Socket-Type", b"REQ"), P("Identity", b"")])))
    many = [("Socket-Type", b"ROUTER"), ("Identity", b"peer-7"), ("Resource", b"system/name-service/test"),
            ("X-Hostname", b"node1"), ("User-Id", b""), ("X-Binary", bytes(range(256)))]
    body = cmd("READY", b"".join(prop(n, v) for n, v in many))
    g.t("ready-many", "READY with six properties, one with a 256-octet binary value",
        ["Valid", "Metadata", "Chunking"], READY, cut(body, 7, 19, 21, 60, 100, 200), "valid",
        CR("complete", None, C_props("READY", [P(n, v) for n, v in many])))
    body = cmd("READY", prop("socket-type", b"PAIR"))
    g.t("ready-name-lower-case", "READY property 'socket-type' in lower case: the name keeps its case",
        ["Valid", "Metadata"], ids(both("metadata.case-insensitive"), READY), whole(body), "valid",
        CR("complete", None, C_props("READY", [P("socket-type", b"PAIR")])))
    body = cmd("READY", prop("Socket-Type", b"DEALER") + prop("Identity", b"\x00A"))
    g.t("ready-identity-leading-zero", "READY with an Identity starting 0x00: reported; a ROUTER may refuse it",
        ["Metadata", "IdentityValue"], ids("zmtp31.identity.no-leading-zero", READY), cut(body, 30), TABLE,
        CR("complete", None, C_props("READY", [P("Socket-Type", b"DEALER"), P("Identity", b"\x00A")])),
        )
    g.t("ready-name-len-0", "READY whose property name length is 0: invalid metadata at 6",
        ["Metadata", "PropertyName"], READY, whole(cmd("READY", cat(0, be(0, 4)))), TABLE,
        CR("error", E("invalid-metadata", 6), None))
    prefix = cmd("READY", cat(11, "Socket"))
    g.t("ready-name-space", "READY property 'Socket Type': the space is invalid",
        ["Metadata", "PropertyName"], READY, cut(prefix + b" Type" + be(3, 4) + b"REQ", 9), TABLE,
        CR("error", E("invalid-metadata", len(prefix)), None))
    body = cmd("READY", cat(11, "Socket-Type", be(6, 4), "DEA"))
    g.t("ready-value-cut", "READY whose Socket-Type value is cut: ends early, invalid at the body end",
        ["Metadata", "PropertyCut", "EndsEarly"], READY, cut(body, 20), TABLE,
        CR("error", E("invalid-metadata", len(body)), None))
    prefix = cmd("READY", cat(11, "Socket-Type", 0x80, 0, 0))
    g.t("ready-value-2^31", "READY value size 0x80000000: invalid at the last size octet",
        ["Metadata", "ValueSize"], ids(both("metadata.value-size"), READY), cut(prefix + cat(0, "x"), 19),
        TABLE, CR("error", E("invalid-metadata", len(prefix)), None))

    # ---- ERROR ------------------------------------------------------------------------------------
    for n in (0, 1, 255):
        reason = vchars(n, 10)
        g.t(f"error-reason-{n}", f"ERROR with a {n}-octet reason", ["Valid", "ErrorReason"], ERROR,
            cut(cmd("ERROR", cat(n, reason)), 7) if n else whole(cmd("ERROR", cat(0))), "valid",
            CR("complete", None, C_error(reason)))
    body = cmd("ERROR", cat(5, "400"))
    g.t("error-reason-short", "ERROR reason length 5 with 3 octets: ends early, invalid at 10",
        ["ErrorLayout", "EndsEarly"], ERROR, cut(body, 6), TABLE, CR("error", E(MC, len(body)), None))
    prefix = cmd("ERROR", cat(3, "400"))
    g.t("error-reason-long", "ERROR reason length 3 followed by 5 octets: invalid at the first surplus octet",
        ["ErrorLayout", "TrailingData"], ERROR, cut(prefix + b"00", 7), TABLE,
        CR("error", E(MC, len(prefix)), None))
    g.t("error-no-length", "ERROR with no reason length: ends early, invalid at 6",
        ["ErrorLayout", "EndsEarly"], ERROR, whole(cmd("ERROR")), TABLE, CR("error", E(MC, 6), None))
    g.t("error-reason-space", "ERROR reason 'Bad request' has a space (not VCHAR): any octets accepted",
        ["ErrorReason", "ReasonNonVchar"], ERROR, cut(cmd("ERROR", cat(11, "Bad request")), 10), TABLE,
        CR("complete", None, C_error(b"Bad request")))
    g.t("error-reason-binary", "ERROR reason 00 FF 7F: any octets accepted",
        ["ErrorReason", "ReasonNonVchar"], ERROR, whole(cmd("ERROR", cat(3, 0, 0xFF, 0x7F))), TABLE,
        CR("complete", None, C_error(b"\x00\xff\x7f")))

    # ---- PING / PONG --------------------------------------------------------------------------------
    PING = ["zmtp31.command.ping"]
    PONG = ["zmtp31.command.pong"]
    for ttl, ctx, chunks in ((0, b"", ()), (1, b"", (6,)), (65535, b"", (5, 6)),
                             (300, b"\x42", (7,)), (100, pattern(16, 2), (7, 15))):
        body = cmd("PING", be(ttl, 2) + ctx)
        g.t(f"ping-ttl-{ttl}-ctx-{len(ctx)}", f"PING TTL {ttl} ({ttl / 10:g} s), context of {len(ctx)} octets",
            ["Valid", "Heartbeat"], PING, cut(body, *chunks), "valid", CR("complete", None, C_ping(ttl, ctx)))
    prefix = cmd("PING", be(10, 2)) + pattern(16, 3)
    g.t("ping-ctx-17", "PING context of 17 octets: invalid at the 17th (23)", ["HeartbeatLayout"], PING,
        cut(prefix + b"!", 7, 23), TABLE, CR("error", E(MC, len(prefix)), None))
    g.t("ping-no-ttl", "PING without a TTL: ends early, invalid at 5", ["HeartbeatLayout", "EndsEarly"],
        PING, whole(cmd("PING")), TABLE, CR("error", E(MC, 5), None))
    g.t("ping-half-ttl", "PING with one TTL octet: ends early, invalid at 6",
        ["HeartbeatLayout", "EndsEarly"], PING, cut(cmd("PING", b"\x00"), 5), TABLE,
        CR("error", E(MC, 6), None))
    for n in (0, 1, 16):
        ctx = pattern(n, 5)
        g.t(f"pong-ctx-{n}", f"PONG with a {n}-octet context", ["Valid", "Heartbeat"], PONG,
            cut(cmd("PONG", ctx), 5) if n else whole(cmd("PONG", ctx)), "valid",
            CR("complete", None, C_pong(ctx)))
    prefix = cmd("PONG", pattern(16, 6))
    g.t("pong-ctx-17", "PONG context of 17 octets: invalid at the 17th (21)", ["HeartbeatLayout"], PONG,
        cut(prefix + b"?", 21), TABLE, CR("error", E(MC, len(prefix)), None))

    # ---- JOIN / LEAVE --------------------------------------------------------------------------------
    grp255 = bytes(range(1, 256))
    for name, clause in (("JOIN", "zmtp31.command.join"), ("LEAVE", "zmtp31.command.leave")):
        low = name.lower()
        g.t(f"{low}-empty", f"{name} with an empty group", ["Valid", "RadioDish", "Empty"], [clause],
            whole(cmd(name)), "valid", CR("complete", None, C_group(name, b"")))
        g.t(f"{low}-weather", f"{name} group 'weather'", ["Valid", "RadioDish"], [clause],
            cut(cmd(name, b"weather"), 3), "valid", CR("complete", None, C_group(name, b"weather")))
        g.t(f"{low}-255", f"{name} with a 255-octet group of 01..FF", ["Valid", "RadioDish"], [clause],
            cut(cmd(name, grp255), 1, len(name) + 1, 100), "valid", CR("complete", None, C_group(name, grp255)))
        prefix = cmd(name, b"abc")
        g.t(f"{low}-nul", f"{name} group 'abc', 0x00, 'd': 0x00 is invalid", ["GroupLayout"],
            [clause], cut(prefix + b"\x00d", len(prefix)), TABLE, CR("error", E(MC, len(prefix)), None))
    prefix = cmd("JOIN")
    g.t("join-nul-first", "JOIN group starting with 0x00: invalid at 5", ["GroupLayout"],
        ["zmtp31.command.join"], whole(prefix + b"\x00"), TABLE, CR("error", E(MC, len(prefix)), None))
    prefix = cmd("LEAVE", b"\x01" * 255)
    g.t("leave-256", "LEAVE with a 256-octet group: invalid at the 256th group octet",
        ["GroupLayout"], ["zmtp31.command.leave"], cut(prefix + b"\x01", 6), TABLE,
        CR("error", E(MC, len(prefix)), None))

    # ---- SUBSCRIBE / CANCEL -----------------------------------------------------------------------------
    for n in (0, 1, 245, 246, 255, 256):
        topic = pattern(n, 20 + n)
        body = cmd("SUBSCRIBE", topic)
        g.t(f"subscribe-{n}", f"SUBSCRIBE with a {n}-octet topic (body {len(body)})", ["Valid", "Subscription"],
            ["zmtp31.command.subscribe"], cut(body, 4, 10) if n else cut(body, 4), "valid",
            CR("complete", None, C_topic("SUBSCRIBE", topic)))
    g.t("subscribe-binary", "SUBSCRIBE topic 00 FF 00: any octets", ["Valid", "Subscription"],
        ["zmtp31.command.subscribe"], whole(cmd("SUBSCRIBE", b"\x00\xff\x00")), "valid",
        CR("complete", None, C_topic("SUBSCRIBE", b"\x00\xff\x00")))
    for n in (0, 1, 245, 246, 255, 256):
        topic = pattern(n, 40 + n)
        g.t(f"cancel-{n}", f"CANCEL with a {n}-octet topic", ["Valid", "Subscription"],
            ["zmtp31.command.cancel"], cut(cmd("CANCEL", topic), 7), "valid",
            CR("complete", None, C_topic("CANCEL", topic)))

    # ---- names defined by other mechanisms ---------------------------------------------------------------
    for name, data in (("HELLO", cat(0, 0)), ("WELCOME", b""), ("INITIATE", prop("Socket-Type", b"REQ")),
                       ("MESSAGE", pattern(25, 8))):
        g.t(f"null-{name.lower()}", f"{name} under NULL: not a NULL command, reported as an unknown name",
            ["UnknownCommand", "MechanismScope"], NAME, cut(cmd(name, data), 2), "valid",
            CR("complete", None, C_unknown(name, data)))
    g.t("null-unknown-large", "unknown command 'X' with 1000 data octets", ["Valid", "UnknownCommand"], NAME,
        cut(cmd("X", pattern(1000, 9)), 2, 500), "valid", CR("complete", None, C_unknown("X", pattern(1000, 9))))
    return vf


# ==========================================================================
# metadata_test.json
#
# property = name-length(1, 1..255) name(A-Z a-z 0-9 - _ . +) value-size(4 BE, < 2^31) value

def MR(state, error, props):
    return {"state": state, "error": error, "properties": props}


def gen_metadata():
    vf = VFile("metadata", [
        "Property lists (the metadata of READY, PLAIN INITIATE / READY, CURVE boxes), the end of",
        "the list being the end of the input: name lengths and characters, value sizes, duplicates,",
        "and properties cut by the end of the input.",
    ])
    NAMEC = ids(both("metadata.name"), "curve.metadata.name")
    VSIZE = ids(both("metadata.value-size"), "curve.metadata.value-size")
    CASE = both("metadata.case-insensitive")
    ALL = ids(NAMEC, VSIZE)
    # What a receiver does with a malformed list depends on the command that carries it
    # (spec/leniency.md): the first group is NULL and PLAIN metadata (READY, INITIATE), which
    # a peer MAY refuse; the last is the metadata of a CURVE INITIATE, which the server
    # validates and refuses.
    NAME3, VSIZE3 = both("metadata.name"), both("metadata.value-size")
    ALL3 = ids(NAME3, VSIZE3)
    IM = "invalid-metadata"
    g = vf.group("metadata")

    g.t("md-empty", "an empty property list", ["Valid", "Empty"], ALL, [""], "valid", MR("complete", None, []))
    data = prop("Socket-Type", b"DEALER")
    g.t("md-socket-type", "one property, Socket-Type DEALER", ["Valid"], ALL, cut(data, 1, 12), "valid",
        MR("complete", None, [P("Socket-Type", b"DEALER")]))
    g.t("md-name-1", "one-character name 'A', empty value", ["Valid"], ALL, ones(prop("A", b"")), "valid",
        MR("complete", None, [P("A", b"")]))
    chars = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.+"
    n255 = bytes(chars[i % len(chars)] for i in range(255))
    g.t("md-name-255", "a 255-character name using every allowed character, value 'v'", ["Valid"], ALL,
        cut(prop(n255, b"v"), 1, 130, 256, 258), "valid", MR("complete", None, [P(n255.decode(), b"v")]))
    g.t("md-name-punctuation", "name '0a-b_c.d+Z' (starts with a digit)", ["Valid"], NAMEC,
        whole(prop("0a-b_c.d+Z", b"x")), "valid", MR("complete", None, [P("0a-b_c.d+Z", b"x")]))
    g.t("md-value-1", "value of 1 octet", ["Valid"], VSIZE, cut(prop("X", b"\x00"), 3), "valid",
        MR("complete", None, [P("X", b"\x00")]))
    g.t("md-value-256", "value of 256 octets 00..FF", ["Valid"], VSIZE, cut(prop("Blob", bytes(range(256))), 6, 9),
        "valid", MR("complete", None, [P("Blob", bytes(range(256)))]))
    data = prop("Socket-Type", b"ROUTER") + prop("Identity", b"") + prop("X-Id", b"42")
    g.t("md-three", "three properties, split inside a name and inside a size", ["Valid", "Chunking"], ALL,
        cut(data, 5, 14, 16, 30, 31), "valid",
        MR("complete", None, [P("Socket-Type", b"ROUTER"), P("Identity", b""), P("X-Id", b"42")]))

    g.t("md-name-len-0", "name length 0: invalid at 0", ["PropertyName", "Empty"], NAME3,
        whole(cat(0, be(0, 4))), TABLE, MR("error", E(IM, 0), []))
    first = prop("Socket-Type", b"PUB")
    g.t("md-name-len-0-second", "a valid property, then name length 0: invalid there, the first one listed",
        ["PropertyName"], NAME3, cut(first + cat(0, be(1, 4), "x"), len(first)), TABLE,
        MR("error", E(IM, len(first)), [P("Socket-Type", b"PUB")]))
    for slug, name, bad_index, what in (
            ("md-name-space", b"Socket Type", 6, "a space"),
            ("md-name-slash", b"a/b", 1, "'/'"),
            ("md-name-nul", b"A\x00", 1, "0x00"),
            ("md-name-del", b"\x7fA", 0, "0x7F"),
            ("md-name-ff", b"AB\xff", 2, "0xFF"),
            ("md-name-colon", b"X:Y", 1, "':'"),
            ("md-name-at", b"@", 0, "'@'")):
        data = prop(name, b"v")
        g.t(slug, f"property name with {what}: invalid at {1 + bad_index}", ["PropertyName"], NAME3,
            cut(data, 1 + bad_index), TABLE, MR("error", E(IM, 1 + bad_index), []))

    g.t("md-value-2^31-1-truncated", "value size 0x7FFFFFFF with 2 value octets: ends early, invalid at 8",
        ["PropertyCut", "EndsEarly"], VSIZE3, cut(cat(1, "A", 0x7F, 0xFF, 0xFF, 0xFF, "BC"), 4), TABLE,
        MR("error", E(IM, 8), []))
    g.t("md-value-2^31", "value size 0x80000000: invalid at the last size octet (5)", ["ValueSize"], VSIZE3,
        cut(cat(1, "A", 0x80, 0, 0, 0, "B"), 3), TABLE, MR("error", E(IM, 5), []))
    g.t("md-value-max", "value size 0xFFFFFFFF: invalid at the last size octet (5)", ["ValueSize"], VSIZE3,
        ones(cat(1, "A", 0xFF, 0xFF, 0xFF, 0xFF)), TABLE, MR("error", E(IM, 5), []))
    first = prop("Identity", b"id")
    g.t("md-value-2^31-second", "a valid property, then value size 0x80000001", ["ValueSize"], VSIZE3,
        cut(first + cat(1, "B", 0x80, 0, 0, 1), len(first)), TABLE,
        MR("error", E(IM, len(first) + 5), [P("Identity", b"id")]))

    data = prop("Identity", b"a") + prop("Identity", b"b")
    g.t("md-duplicate", "Identity twice: reported as it comes (no rule forbids it)",
        ["DuplicateProperty"], ids(CASE, NAMEC), cut(data, 13), "valid",
        MR("complete", None, [P("Identity", b"a"), P("Identity", b"b")]))
    data = prop("Socket-Type", b"SUB") + prop("socket-type", b"XSUB")
    g.t("md-duplicate-case", "Socket-Type and socket-type: the same name (case-insensitive), both reported",
        ["DuplicateProperty"], ids(CASE, NAMEC), cut(data, 19, 20), "valid",
        MR("complete", None, [P("Socket-Type", b"SUB"), P("socket-type", b"XSUB")]))

    for slug, data, what in (
            ("md-cut-name-length", cat(5), "after the name length"),
            ("md-cut-name", cat(11, "Soc"), "inside the name"),
            ("md-cut-size", cat(1, "A", 0, 0), "inside the value size"),
            ("md-cut-value", cat(1, "A", be(5, 4), "BC"), "inside the value")):
        g.t(slug, f"property cut {what}: ends early, invalid at the input length ({len(data)})",
            ["PropertyCut", "EndsEarly"], ALL3, cut(data, 1) if len(data) > 1 else whole(data), TABLE,
            MR("error", E(IM, len(data)), []))
    first = prop("Socket-Type", b"PUSH")
    data = first + cat(8, "Iden")
    g.t("md-cut-second", "a valid property, then a second cut inside its name", ["PropertyCut", "EndsEarly"], ALL3,
        cut(data, len(first) + 2), TABLE, MR("error", E(IM, len(data)), [P("Socket-Type", b"PUSH")]))

    g = vf.group("metadata", mechanism="CURVE")
    first = prop("Socket-Type", b"DEALER")
    for slug, data, error, what in (
            ("md-curve-name-len-0", cat(0, be(0, 4)), 0, "name length 0"),
            ("md-curve-name-space", prop("Socket Type", b"v"), 7, "a name with a space"),
            ("md-curve-value-2^31", first + cat(1, "A", 0x80, 0, 0, 0), len(first) + 5,
             "after a valid property, a value size of 0x80000000"),
            ("md-curve-cut-value", cat(1, "A", be(5, 4), "BC"), 8, "a property cut inside its value")):
        g.t(slug, f"the metadata of a CURVE INITIATE with {what}: the server refuses it, invalid at "
            f"{error}", ["CurveMetadata"], ids("curve.metadata.value-size", VSIZE3) if "value" in slug
            else ids("curve.metadata.name", NAME3),
            cut(data, 1), TABLE,
            MR("error", E(IM, error), [P("Socket-Type", b"DEALER")] if data.startswith(first) else []))
    return vf


# ==========================================================================
# plain_test.json (24/ZMTP-PLAIN)
#
# HELLO    = 05 "HELLO" ulen username plen password   (exact fill)
# WELCOME  = 07 "WELCOME"                              (no data)
# INITIATE = 08 "INITIATE" metadata ; READY = 05 "READY" metadata

def C_plain_hello(user, password):
    return {"name": "HELLO", "username": user.hex(), "password": password.hex()}


def gen_plain():
    vf = VFile("plain", [
        "24/ZMTP-PLAIN command bodies (HELLO, WELCOME, INITIATE, READY, ERROR) under the PLAIN",
        "mechanism, and PLAIN handshakes as frame streams.",
    ])
    HELLO = ["plain.hello.layout"]
    MC = "malformed-command"
    g = vf.group("command", mechanism="PLAIN")

    def hello(u, p):
        return cmd("HELLO", cat(len(u), u, len(p), p))

    for u, p, chunks in ((b"", b"", ()), (b"u", b"p", (7, 8)), (b"admin", b"secret", (9, 13)),
                         (b"", b"12345", (6, 7)), (b"guest", b"", (8,)),
                         (vchars(255, 1), vchars(255, 2), (7, 262, 263))):
        body = hello(u, p)
        g.t(f"hello-{len(u)}-{len(p)}", f"HELLO with a {len(u)}-octet username and a {len(p)}-octet password",
            ["Valid", "PlainCredentials"], ids(HELLO, "plain.hello.vchar"), cut(body, *chunks), "valid",
            CR("complete", None, C_plain_hello(u, p)))
    for slug, data, what in (
            ("hello-empty", b"", "no username length"),
            ("hello-user-overrun", cat(5, "ad"), "username length 5 with 2 octets"),
            ("hello-no-password-length", cat(1, "a"), "no password length"),
            ("hello-password-overrun", cat(1, "a", 5, "pw"), "password length 5 with 2 octets")):
        body = cmd("HELLO", data)
        g.t(slug, f"HELLO with {what}: ends early, invalid at {len(body)}",
            ["PlainHelloLayout", "EndsEarly"], HELLO, cut(body, 6) if data else whole(body),
            TABLE, CR("error", E(MC, len(body)), None))
    prefix = hello(b"a", b"b")
    g.t("hello-trailing", "HELLO 'a' / 'b' followed by one more octet: invalid at that octet",
        ["PlainHelloLayout", "TrailingData"], HELLO, cut(prefix + b"\x00", 8), TABLE,
        CR("error", E(MC, len(prefix)), None))
    prefix = hello(b"", b"")
    g.t("hello-trailing-empty", "HELLO with empty credentials and a trailing 'A': invalid at 8",
        ["PlainHelloLayout", "TrailingData"], HELLO, whole(prefix + b"A"), TABLE,
        CR("error", E(MC, len(prefix)), None))
    g.t("hello-space", "HELLO username 'a b' (space is not VCHAR): any octets accepted",
        ["PlainCredentials", "CredentialsNonVchar"], ids("plain.hello.vchar", HELLO), cut(hello(b"a b", b"pw"), 8), TABLE,
        CR("complete", None, C_plain_hello(b"a b", b"pw")))
    g.t("hello-binary", "HELLO password 00 FF: any octets accepted",
        ["PlainCredentials", "CredentialsNonVchar"], ids("plain.hello.vchar", HELLO), whole(hello(b"u", b"\x00\xff")),
        TABLE, CR("complete", None, C_plain_hello(b"u", b"\x00\xff")))

    g.t("welcome", "WELCOME with no data", ["Valid"], ["plain.welcome.layout"], cut(cmd("WELCOME"), 4), "valid",
        CR("complete", None, {"name": "WELCOME"}))
    g.t("welcome-data-1", "WELCOME followed by one octet: invalid at 8", ["PlainWelcomeLayout", "TrailingData"],
        ["plain.welcome.layout"], whole(cmd("WELCOME", b"\x00")), TABLE, CR("error", E(MC, 8), None))
    g.t("welcome-data-3", "WELCOME followed by 'xyz': invalid at 8", ["PlainWelcomeLayout", "TrailingData"],
        ["plain.welcome.layout"], cut(cmd("WELCOME", b"xyz"), 9), TABLE, CR("error", E(MC, 8), None))

    INIT = ids("plain.initiate.metadata", both("metadata.name"), both("metadata.value-size"))
    RDY = ids("plain.ready.metadata", both("metadata.name"), both("metadata.value-size"))
    props = [("Socket-Type", b"DEALER"), ("Identity", b"client")]
    body = cmd("INITIATE", b"".join(prop(n, v) for n, v in props))
    g.t("initiate-metadata", "INITIATE with Socket-Type DEALER and Identity 'client'", ["Valid", "Metadata"],
        INIT, cut(body, 9, 21, 23), "valid",
        CR("complete", None, C_props("INITIATE", [P(n, v) for n, v in props])))
    g.t("initiate-empty", "INITIATE with no properties", ["Valid", "Metadata", "Empty"], INIT,
        whole(cmd("INITIATE")), "valid", CR("complete", None, C_props("INITIATE", [])))
    g.t("initiate-name-len-0", "INITIATE property name length 0: invalid metadata at 9",
        ["Metadata", "PropertyName"], INIT, whole(cmd("INITIATE", cat(0, be(0, 4)))), TABLE,
        CR("error", E("invalid-metadata", 9), None))
    body = cmd("INITIATE", cat(8, "Identity", be(4, 4), "ab"))
    g.t("initiate-value-cut", "INITIATE value cut by the body end: invalid at the body end",
        ["Metadata", "PropertyCut", "EndsEarly"], INIT, cut(body, 18), TABLE, CR("error", E("invalid-metadata", len(body)), None))
    body = cmd("READY", prop("Socket-Type", b"ROUTER"))
    g.t("ready-metadata", "PLAIN READY with Socket-Type ROUTER", ["Valid", "Metadata"], RDY, cut(body, 6), "valid",
        CR("complete", None, C_props("READY", [P("Socket-Type", b"ROUTER")])))
    prefix = cmd("READY", cat(11, "Socket-Type", 0xFF, 0xFF, 0xFF))
    g.t("ready-value-max", "PLAIN READY value size 0xFFFFFFFF: invalid at the last size octet",
        ["Metadata", "ValueSize"], ids(both("metadata.value-size"), RDY), whole(prefix + b"\xff"), TABLE,
        CR("error", E("invalid-metadata", len(prefix)), None))

    ERR = ids("plain.error.layout", both("null.error"))
    g.t("error-400", "PLAIN ERROR '400' (the ZAP status code libzmq sends)", ["Valid", "ErrorReason"], ERR,
        cut(cmd("ERROR", cat(3, "400")), 7), "valid", CR("complete", None, C_error(b"400")))
    body = cmd("ERROR", cat(4, "40"))
    g.t("error-short", "PLAIN ERROR reason length 4 with 2 octets: ends early", ["ErrorLayout", "EndsEarly"], ERR,
        whole(body), TABLE, CR("error", E(MC, len(body)), None))
    g.t("ping", "PING under PLAIN: the 3.1 traffic commands are decoded", ["Valid", "Heartbeat"],
        ["zmtp31.command.ping"], whole(cmd("PING", be(50, 2))), "valid", CR("complete", None, C_ping(50)))
    g.t("subscribe", "SUBSCRIBE 'news' under PLAIN", ["Valid", "Subscription"], ["zmtp31.command.subscribe"],
        whole(cmd("SUBSCRIBE", b"news")), "valid", CR("complete", None, C_topic("SUBSCRIBE", b"news")))
    g.t("message", "MESSAGE under PLAIN: not a PLAIN command, an unknown name", ["UnknownCommand", "MechanismScope"],
        both("command.name"), whole(cmd("MESSAGE", b"\x00hi")), "valid",
        CR("complete", None, C_unknown("MESSAGE", b"\x00hi")))

    # ---- frame streams -----------------------------------------------------------------------------
    g = vf.group("frames", zmtpVersion="3.1", maxFrameSize=MAX63, mechanism="PLAIN")
    hb = hello(b"admin", b"secret")
    ib = cmd("INITIATE", prop("Socket-Type", b"DEALER"))
    data, frames = stream((0x04, hb, C_plain_hello(b"admin", b"secret")),
                          (0x04, ib, C_props("INITIATE", [P("Socket-Type", b"DEALER")])),
                          (0x00, b"hello"))
    g.t("client-handshake", "PLAIN client: HELLO, INITIATE, then a message frame",
        ["Valid", "CommandFrame", "Multipart"], ids(HELLO, "plain.initiate.metadata"), cut(data, 2, 22, 45),
        "valid", FR("complete", None, frames))
    rb = cmd("READY", prop("Socket-Type", b"ROUTER"))
    data, frames = stream((0x04, cmd("WELCOME"), {"name": "WELCOME"}),
                          (0x04, rb, C_props("READY", [P("Socket-Type", b"ROUTER")])),
                          (0x01, b"a"), (0x00, b"b"))
    g.t("server-handshake", "PLAIN server: WELCOME, READY, then a two-frame message",
        ["Valid", "CommandFrame", "Multipart"], ids("plain.welcome.layout", "plain.ready.metadata"),
        cut(data, 10, 11), "valid", FR("complete", None, frames))
    big = pattern(300, 13)
    ib = cmd("INITIATE", prop("Socket-Type", b"REQ") + prop("X-Cert", big))
    data, frames = stream((0x06, ib, C_props("INITIATE", [P("Socket-Type", b"REQ"), P("X-Cert", big)])))
    g.t("initiate-long", "PLAIN INITIATE of more than 255 octets in a long command frame",
        ["Valid", "CommandFrame", "LongSize"], ids("plain.initiate.metadata", both("command.long-size")),
        cut(data, 9, 100), "valid", FR("complete", None, frames))
    g.t("welcome-data-frame", "WELCOME frame with one data octet: invalid at 2 + 8 = 10",
        ["PlainWelcomeLayout", "TrailingData", "CommandFrame"], ["plain.welcome.layout"], whole(sframe(4, cmd("WELCOME", b"!"))),
        TABLE, FR("error", E(MC, 10), []))
    body = cmd("HELLO", cat(5, "adm"))
    g.t("hello-overrun-frame", "HELLO frame whose username length overruns the body: invalid at the frame end",
        ["PlainHelloLayout", "EndsEarly", "CommandFrame"], HELLO, cut(sframe(4, body), 2), TABLE,
        FR("error", E(MC, 2 + len(body)), []))
    return vf


# ==========================================================================
# curve_test.json (25/ZMTP-CURVE framing of 26/CURVEZMQ command bodies)
#
# HELLO    200:  05 "HELLO" | 6 major 01 | 7 minor 00 | 8..79 padding (72 x 00) |
#                80..111 client transient key | 112..119 nonce | 120..199 signature box
# WELCOME  168:  07 "WELCOME" | 8..23 nonce | 24..167 box
# INITIATE 257+: 08 "INITIATE" | 9..104 cookie | 105..112 nonce | 113.. box (>= 144)
# READY    30+:  05 "READY" | 6..13 nonce | 14.. box (>= 16)
# MESSAGE  33+:  07 "MESSAGE" | 8..15 nonce | 16.. box (>= 17)
# ERROR    7+:   05 "ERROR" | reason length | reason

# The zmq_curve(7) test keys (hex and Z85 as published there).
CURVE_KEYS = [
    ("client-public", "bb88471d65e2659b30c55a5321cebb5aab2b70a398645c26dca2b2fcb43fc518",
     "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID"),
    ("client-secret", "7bb864b489afa3671fbe69101f94b38972f24816dfb01b51656b3fec8dfd0888",
     "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs"),
    ("server-public", "54fcba24e93249969316fb617c872bb0c1d1ff14800427c594cbfacf1bc2d652",
     "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"),
    ("server-secret", "8e0bdd697628b91d8f245587ee95c5b04d48963f79259877b49cd9063aead3b7",
     "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6"),
]
CLIENT_PUB = bytes.fromhex(CURVE_KEYS[0][1])


def curve_hello(major=1, minor=0, padding=bytes(72), key=CLIENT_PUB, nonce=be(1, 8), box=None):
    box = pattern(80, 21) if box is None else box
    body = cmd("HELLO", cat(major, minor, padding, key, nonce, box))
    return body


def C_curve_hello(key=CLIENT_PUB, nonce=be(1, 8), box=None):
    box = pattern(80, 21) if box is None else box
    return {"name": "HELLO", "versionMajor": 1, "versionMinor": 0, "clientKey": key.hex(),
            "nonce": nonce.hex(), "signatureBox": box.hex()}


def C_box(name, nonce, box, cookie=None):
    c = {"name": name}
    if cookie is not None:
        c["cookie"] = cookie.hex()
    c["nonce"] = nonce.hex()
    c["box"] = box.hex()
    return c


def gen_curve():
    vf = VFile("curve", [
        "26/CURVEZMQ command bodies as 25/ZMTP-CURVE carries them: the fixed and minimum sizes of",
        "HELLO, WELCOME, INITIATE, READY, MESSAGE and ERROR, the HELLO version and padding, and the",
        "3.1 traffic commands, which are unknown names on a CURVE link. Boxes are opaque octets here.",
    ])
    MC = "malformed-command"
    g = vf.group("command", mechanism="CURVE")
    HELLO = ["curve.hello.size", "curve.hello.version", "curve.hello.padding"]

    body = curve_hello()
    assert len(body) == 200
    g.t("hello-200", "HELLO of exactly 200 octets, client key from zmq_curve(7), nonce 1", ["Valid", "CurveLayout"],
        HELLO, cut(body, 8, 80, 112, 120), "valid", CR("complete", None, C_curve_hello()))
    g.t("hello-199", "HELLO one octet short (199): ends early, invalid at 199", ["CurveHello", "EndsEarly"],
        ["curve.hello.size"], cut(body[:199], 120), TABLE, CR("error", E(MC, 199), None))
    g.t("hello-201", "HELLO one octet long (201): invalid at 200", ["CurveHello", "TrailingData"],
        ["curve.hello.size"], cut(body + b"\x00", 200), TABLE, CR("error", E(MC, 200), None))
    g.t("hello-name-only", "HELLO with no data: ends early, invalid at 6", ["CurveHello", "EndsEarly"],
        ["curve.hello.size"], whole(cmd("HELLO")), TABLE, CR("error", E(MC, 6), None))
    for major, minor, bad in ((2, 0, 6), (1, 1, 7), (0, 0, 6)):
        g.t(f"hello-version-{major}.{minor}", f"HELLO version {major}.{minor}: must be 1.0, invalid at {bad}",
            ["CurveHello"], ["curve.hello.version"], cut(curve_hello(major, minor), 7), TABLE,
            CR("error", E(MC, bad), None))
    for slug, padding, bad, what in (
            ("hello-padding-first", cat(1, bytes(71)), 8, "first padding octet (8) is 0x01"),
            ("hello-padding-last", cat(bytes(71), 0xFF), 79, "last padding octet (79) is 0xFF")):
        g.t(slug, f"HELLO whose {what}: the padding is all zero, invalid at {bad}",
            ["CurveHello"], ["curve.hello.padding"], cut(curve_hello(padding=padding), 80),
            TABLE, CR("error", E(MC, bad), None))

    nonce16, box144 = pattern(16, 22), pattern(144, 23)
    body = cmd("WELCOME", nonce16 + box144)
    assert len(body) == 168
    g.t("welcome-168", "WELCOME of exactly 168 octets", ["Valid", "CurveLayout"], ["curve.welcome.size"],
        cut(body, 8, 24), "valid", CR("complete", None, C_box("WELCOME", nonce16, box144)))
    g.t("welcome-167", "WELCOME of 167 octets: ends early, invalid at 167", ["CurveWelcome", "EndsEarly"],
        ["curve.welcome.size"], whole(body[:167]), TABLE, CR("error", E(MC, 167), None))
    g.t("welcome-169", "WELCOME of 169 octets: invalid at 168", ["CurveWelcome", "TrailingData"],
        ["curve.welcome.size"], cut(body + b"\xee", 100), TABLE, CR("error", E(MC, 168), None))

    cookie, nonce8 = pattern(96, 24), be(2, 8)
    for boxlen in (144, 287):
        box = pattern(boxlen, 25)
        body = cmd("INITIATE", cookie + nonce8 + box)
        g.t(f"initiate-{len(body)}", f"INITIATE of {len(body)} octets (box {boxlen})", ["Valid", "CurveLayout"],
            ["curve.initiate.size"], cut(body, 9, 105, 113), "valid",
            CR("complete", None, C_box("INITIATE", nonce8, box, cookie)))
    body = cmd("INITIATE", cookie + nonce8 + pattern(143, 25))
    assert len(body) == 256
    g.t("initiate-256", "INITIATE of 256 octets (box 143): ends early, invalid at 256", ["CurveInitiate", "EndsEarly"],
        ["curve.initiate.size"], cut(body, 200), TABLE, CR("error", E(MC, 256), None))
    body = cmd("INITIATE", cookie)
    g.t("initiate-105", "INITIATE with only the cookie (105 octets): ends early", ["CurveInitiate", "EndsEarly"],
        ["curve.initiate.size"], whole(body), TABLE, CR("error", E(MC, 105), None))

    for boxlen in (16, 86):
        box = pattern(boxlen, 26)
        body = cmd("READY", be(1, 8) + box)
        g.t(f"ready-{len(body)}", f"CURVE READY of {len(body)} octets", ["Valid", "CurveLayout"],
            ["curve.ready.size"], cut(body, 6, 14), "valid", CR("complete", None, C_box("READY", be(1, 8), box)))
    g.t("ready-29", "CURVE READY of 29 octets: ends early, invalid at 29", ["CurveReady", "EndsEarly"],
        ["curve.ready.size"], whole(cmd("READY", be(1, 8) + pattern(15, 26))), TABLE,
        CR("error", E(MC, 29), None))
    g.t("ready-14", "CURVE READY with a nonce and no box: ends early, invalid at 14", ["CurveReady", "EndsEarly"],
        ["curve.ready.size"], whole(cmd("READY", be(1, 8))), TABLE, CR("error", E(MC, 14), None))

    for boxlen in (17, 984):
        box = pattern(boxlen, 27)
        body = cmd("MESSAGE", be(3, 8) + box)
        g.t(f"message-{len(body)}", f"MESSAGE of {len(body)} octets", ["Valid", "CurveLayout"],
            ["curve.message.size"], cut(body, 8, 16), "valid",
            CR("complete", None, C_box("MESSAGE", be(3, 8), box)))
    g.t("message-32", "MESSAGE of 32 octets (box 16): ends early, invalid at 32", ["CurveMessage", "EndsEarly"],
        ["curve.message.size"], cut(cmd("MESSAGE", be(3, 8) + pattern(16, 27)), 16), TABLE,
        CR("error", E(MC, 32), None))
    g.t("message-16", "MESSAGE with a nonce and no box: invalid at 16", ["CurveMessage", "EndsEarly"],
        ["curve.message.size"], whole(cmd("MESSAGE", be(3, 8))), TABLE, CR("error", E(MC, 16), None))

    ERR = ids("curve.error.size", both("null.error"))
    g.t("error-400", "CURVE ERROR '400'", ["Valid", "ErrorReason"], ERR, cut(cmd("ERROR", cat(3, "400")), 6),
        "valid", CR("complete", None, C_error(b"400")))
    g.t("error-7", "CURVE ERROR with an empty reason: 7 octets, the minimum", ["Valid", "ErrorReason", "Empty"], ERR,
        whole(cmd("ERROR", cat(0))), "valid", CR("complete", None, C_error(b"")))
    g.t("error-6", "CURVE ERROR of 6 octets (no reason length): ends early", ["ErrorLayout", "EndsEarly"], ERR,
        whole(cmd("ERROR")), TABLE, CR("error", E(MC, 6), None))
    prefix = cmd("ERROR", cat(1, "5"))
    g.t("error-long", "CURVE ERROR reason length 1 followed by 2 octets: invalid at 8",
        ["ErrorLayout", "TrailingData"], ERR, whole(prefix + b"00"), TABLE, CR("error", E(MC, len(prefix)), None))

    for name, data in (("PING", be(30, 2)), ("PONG", b""), ("SUBSCRIBE", b"A"), ("JOIN", b"g"), ("VOUCH", b"x")):
        g.t(f"curve-{name.lower()}", f"{name} under CURVE: not a CurveZMQ command, an unknown name "
            "(3.1 traffic commands travel inside MESSAGE)",
            ["UnknownCommand", "MechanismScope"], both("command.name"), cut(cmd(name, data), 1), "valid",
            CR("complete", None, C_unknown(name, data)))

    # ---- frame streams ------------------------------------------------------------------------------
    g = vf.group("frames", zmtpVersion="3.1", maxFrameSize=MAX63, mechanism="CURVE")
    hb = curve_hello()
    ibox = pattern(144, 28)
    ib = cmd("INITIATE", cookie + nonce8 + ibox)
    mbox = pattern(17, 29)
    mb = cmd("MESSAGE", be(3, 8) + mbox)
    data, frames = stream((0x04, hb, C_curve_hello()), (0x06, ib, C_box("INITIATE", nonce8, ibox, cookie)),
                          (0x04, mb, C_box("MESSAGE", be(3, 8), mbox)))
    assert data[:2] == b"\x04\xc8" and data[202:211] == cat(6, be(257, 8)) and frames[2]["offset"] == 468
    g.t("client-handshake", "CURVE client: HELLO (04 C8), INITIATE (always long: 257), MESSAGE",
        ["Valid", "CommandFrame", "Multipart", "LongSize"], ["curve.hello.size", "curve.initiate.size",
                                                              "curve.message.size", "zmtp31.command.long-size"],
        cut(data, 2, 202, 211, 468), "valid", FR("complete", None, frames))
    wb = cmd("WELCOME", nonce16 + box144)
    rbox = pattern(16, 30)
    rb = cmd("READY", be(1, 8) + rbox)
    data, frames = stream((0x04, wb, C_box("WELCOME", nonce16, box144)), (0x04, rb, C_box("READY", be(1, 8), rbox)),
                          (0x04, mb, C_box("MESSAGE", be(3, 8), mbox)))
    g.t("server-handshake", "CURVE server: WELCOME (04 A8), READY, MESSAGE",
        ["Valid", "CommandFrame", "Multipart"], ["curve.welcome.size", "curve.ready.size", "curve.message.size"],
        cut(data, 170, 202), "valid", FR("complete", None, frames))
    lbox = pattern(300, 31)
    lb = cmd("MESSAGE", be(4, 8) + lbox)
    data, frames = stream((0x06, lb, C_box("MESSAGE", be(4, 8), lbox)))
    g.t("message-long", "a 316-octet MESSAGE in a long command frame", ["Valid", "CommandFrame", "LongSize"],
        ["curve.message.size", "zmtp31.command.long-size"], cut(data, 5, 9), "valid", FR("complete", None, frames))
    g.t("hello-more", "HELLO frame with MORE (05 C8): invalid flags at 0", ["CommandMore"],
        both("frame.command-no-more"), whole(sframe(5, hb)), TABLE, FR("error", E("invalid-flags", 0), []))
    g.t("hello-199-frame", "HELLO frame of 199 octets: invalid at the frame end (201)",
        ["CurveHello", "EndsEarly", "CommandFrame"], ["curve.hello.size"], cut(sframe(4, hb[:199]), 2), TABLE,
        FR("error", E(MC, 201), []))
    ib256 = cmd("INITIATE", cookie + nonce8 + pattern(143, 28))
    g.t("initiate-256-frame", "INITIATE frame of 256 octets: invalid at the frame end (9 + 256)",
        ["CurveInitiate", "EndsEarly", "CommandFrame"], ["curve.initiate.size"], cut(lframe(6, ib256), 9), TABLE,
        FR("error", E(MC, 265), []))
    g.t("ping-frame", "37/ZMTP's PING frame on a CURVE link: an unknown command",
        ["UnknownCommand", "MechanismScope", "CommandFrame"], both("command.name"), whole(WE_PING_30), "valid",
        FR("complete", None, [F(0, 4, 7, WE_PING_30[2:], True, C_unknown("PING", be(30, 2)))]))
    g.t("hello-truncated", "HELLO frame cut after 100 body octets: incomplete", ["Truncated", "CommandFrame"],
        ["curve.hello.size"], cut(sframe(4, hb)[:102], 2), "valid",
        FR("incomplete", None, [F(0, 4, 200, hb[:100], False)]))
    return vf


# ==========================================================================
# z85_test.json (32/Z85)

Z85_CHARS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#"
assert len(Z85_CHARS) == 85 and len(set(Z85_CHARS)) == 85


def z85_encode(data):
    """4 octets -> one big-endian uint32 -> 5 base-85 digits, most significant first."""
    assert len(data) % 4 == 0
    out = []
    for i in range(0, len(data), 4):
        value = int.from_bytes(data[i:i + 4], "big")
        digits = []
        for _ in range(5):
            digits.append(Z85_CHARS[value % 85])
            value //= 85
        out.extend(reversed(digits))
    return "".join(out)


def z85_group_value(group):
    value = 0
    for ch in group:
        value = value * 85 + Z85_CHARS.index(ch)
    return value


assert z85_encode(bytes.fromhex("864fd26fb559f75b")) == "HelloWorld"
for _name, _hex, _text in CURVE_KEYS:
    assert z85_encode(bytes.fromhex(_hex)) == _text, _name


def ZR(state, error, decoded):
    return {"state": state, "error": error, "decoded": decoded.hex()}


def gen_z85():
    vf = VFile("z85", [
        "32/Z85 text decoding (the input is the ASCII text, as hex): the RFC test vector, the",
        "zmq_curve(7) test keys, the alphabet's edges, group overflow and text lengths.",
        "Round trip: encoding `decoded` gives the text back.",
    ])
    OK = ["z85.decode", "z85.encode", "z85.alphabet", "z85.string-length", "z85.binary-length"]
    ZE = "invalid-z85"
    g = vf.group("z85")

    hw = bytes.fromhex("864fd26fb559f75b")
    g.t("helloworld", "the RFC test vector: 'HelloWorld' is 86 4F D2 6F B5 59 F7 5B", ["Valid", "TestVector"],
        ids("z85.test-vector", OK), cut(b"HelloWorld", 5), "valid", ZR("complete", None, hw))
    for name, hexkey, text in CURVE_KEYS:
        g.t(f"key-{name}", f"zmq_curve(7) test key, {name.replace('-', ' ')}: 40 characters, 32 octets",
            ["Valid", "TestVector"], OK, cut(text.encode(), 20), "valid", ZR("complete", None, bytes.fromhex(hexkey)))
    g.t("empty", "empty text: nothing decoded", ["Valid", "Empty"], OK, [""], "valid", ZR("complete", None, b""))
    g.t("zero", "'00000' is 00 00 00 00", ["Valid"], OK, whole(b"00000"), "valid", ZR("complete", None, bytes(4)))
    assert z85_encode(b"\xff" * 4) == "%nSc0"
    g.t("max-group", "'%nSc0' is FF FF FF FF, the largest group", ["Valid"], OK, ones(b"%nSc0"), "valid",
        ZR("complete", None, b"\xff" * 4))
    g.t("one", "'00001' is 00 00 00 01", ["Valid"], OK, cut(b"00001", 4), "valid",
        ZR("complete", None, be(1, 4)))
    data = bytes(range(256))
    g.t("bytes-00-ff", "the 256 octets 00..FF: 320 characters", ["Valid"], OK,
        cut(z85_encode(data).encode(), 1, 5, 162, 319), "valid", ZR("complete", None, data))
    data = pattern(8, 33)
    g.t("bytewise", "8 octets, one character per chunk", ["Valid", "Chunking"], OK, ones(z85_encode(data).encode()),
        "valid", ZR("complete", None, data))

    for ch, pos in ((b" ", 0), (b'"', 3), (b",", 5), (b";", 9), (b"\\", 4), (b"_", 6), (b"`", 1), (b"|", 8),
                    (b"~", 2), (b"\x80", 7), (b"'", 0), (b"\x00", 5), (b"\x7f", 9)):
        text = bytearray(b"HelloWorld")
        text[pos:pos + 1] = ch
        decoded = hw[:4] if pos >= 5 else b""
        g.t(f"bad-char-{ch[0]:02x}-at-{pos}",
            f"character 0x{ch[0]:02x} ({ch.decode('latin-1')!r}) at {pos}: not in the alphabet; "
            + ("the first group is decoded" if pos >= 5 else "nothing decoded"),
            ["Z85Alphabet"], ["z85.alphabet"], cut(bytes(text), pos), TABLE, ZR("error", E(ZE, pos), decoded))
    g.t("bad-char-before-length", "'Hello~': the bad character (5) comes before the length error",
        ["Z85Alphabet", "Z85Length"], ["z85.alphabet", "z85.string-length"], whole(b"Hello~"), TABLE,
        ZR("error", E(ZE, 5), hw[:4]))

    for text, start, comment in (("%nSc1", 0, "one above the largest group"),
                                 ("%nSd0", 0, "0xFFFFFFFF + 85"),
                                 ("#####", 0, "the largest digits everywhere"),
                                 ("HelloWorld#####", 10, "after two valid groups")):
        assert z85_group_value(text[start:start + 5]) > 0xFFFFFFFF
        g.t(f"overflow-{text}", f"group '{text[start:]}' ({comment}) exceeds 0xFFFFFFFF: invalid at its 5th character",
            ["Z85Overflow"], ["z85.decode"], cut(text.encode(), start + 4), TABLE,
            ZR("error", E(ZE, start + 4), hw if start else b""))

    for text, decoded in (("0", b""), ("0000", b""), ("000000", bytes(4)), ("HelloWor", hw[:4]),
                          ("HelloWorl", hw[:4])):
        g.t(f"length-{len(text)}-{text}", f"{len(text)} characters: not a multiple of 5, invalid at the end ({len(text)})",
            ["Z85Length", "EndsEarly"], ["z85.string-length"], cut(text.encode(), len(text) // 2), TABLE,
            ZR("error", E(ZE, len(text)), decoded))
    return vf


# ==========================================================================

GENERATORS = [("greeting", gen_greeting), ("frame", gen_frame), ("command", gen_command),
              ("metadata", gen_metadata), ("plain", gen_plain), ("curve", gen_curve), ("z85", gen_z85)]



def main(argv=None):
    return vector_file.main(__doc__, GENERATORS, OUTDIR, GENERATED_SPECS, argv)


if __name__ == "__main__":
    sys.exit(main())
