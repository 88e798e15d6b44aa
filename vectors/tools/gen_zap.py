#!/usr/bin/python3
"""Generate the zwire ZAP golden vectors: vectors/zap/zap_test.json.

Kept in the repository for provenance (see vectors/FORMAT.md, decoder `zap`).

Like gen_zmtp.py, gen_mdp.py and gen_flp.py, this generator is an independent view of the
layouts: it never decodes anything.  Every vector is one row of a table below: its frames,
written out, and its expected report, written out too: the message for a well-formed input, or
the error class and the FRAME index (FORMAT.md: the index of the frame that made the message
invalid, or the number of frames when the message ended before a frame its layout needs; the
index counts the delimiter when there is one).  The helpers only build frames and report
objects from the values a row gives them; none of them derives an offset.  Group.t checks each
written offset against the layout (the field the class is about, the frame count for a missing
frame) and refuses a row that disagrees.

The layouts (spec/zap.md; frames as on the wire, after the routing frame a handler's ROUTER
socket adds on receipt; with `envelope` none the delimiter is left out, as a REQ or REP socket
hands the message to its application):

  request (server to handler)   "" | 1.0 | request id | domain | address | identity | mechanism | credentials*
  reply (handler to server)     "" | 1.0 | request id | status code | status text | user id | metadata

  strings (domain, address, mechanism, status code, status text, user id): 0..255 octets, 0x00..0x7F
  opaque: request id, identity (at most 255 octets), credentials, metadata (ZMTP 3.0 properties)
  credentials by mechanism: NULL none, PLAIN two frames, CURVE one frame of 32 octets, any other any
  address: IPv4 dotted quad, or IPv6 in RFC 5952 canonical text (IPv4-mapped in mixed notation)

A valid message of a `delimiter` group cites the delimiter rows of its direction besides its
own (zap.request.delimiter and zap.envelope.dealer-server for a request, zap.reply.delimiter and
zap.envelope.router-handler for a reply): Group.t adds them.  A malformed message cites first
the clause the codecs name for its class (FORMAT.md's table), then the other rows it breaks.

The result of a malformed message is not written here: spec/leniency.md gives it for its input
class (the Zap rows: acceptable, since every ZAP layout binds its sender and the RFC names no
action of the receiver), and vector_file.leniency derives it from the flags.

tcIds come from vectors/tools/tcids.json (area zap), assigned by vector_file.py as for the other
generators: a slug keeps its tcId forever, a new slug gets max(all ids ever used in the file) +
1, a slug no longer generated is retired.

Usage:
    /usr/bin/python3 vectors/tools/gen_zap.py           # write files + registry
    /usr/bin/python3 vectors/tools/gen_zap.py --check   # exit 1 if anything would change
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import vector_file  # noqa: E402
from vector_file import LENIENCY, TABLE  # noqa: E402

OUTDIR = vector_file.VECDIR / "zap"

# The specs whose wire clauses these vectors must all cite.
GENERATED_SPECS = ("zap",)


# --------------------------------------------------------------------------
# Flags (notes).  The file carries only the flags its vectors use.

NOTES = {
    "Valid": ("BASIC", "A well-formed message: every conformant decoder takes it and reports `message`."),
    "RfcExample": ("BASIC", "A message of the RFC's own examples (27/ZAP, Example Exchanges), frame for frame."),
    "NoEnvelope": ("EDGE_CASE", "A message without its delimiter, as a REQ or REP socket hands it to the "
                                "application (group param `envelope` none): the version is frame 0."),
    "EnvelopeParam": ("MODIFIED_PARAMETER", "A message of the other envelope: no delimiter where the group's "
                                            "`envelope` is delimiter (frame 0 is then not empty), or one where "
                                            "it is none (frame 0, the version, is then empty)."),
    "EmptyField": ("EDGE_CASE", "An empty request id, identity, credential, status text, user id or metadata "
                                "frame: each may be empty."),
    "BinaryField": ("EDGE_CASE", "A request id, identity, credential or metadata value of binary octets "
                                 "(0x00 and octets above 0x7F included): these frames are opaque."),
    "StringBounds": ("EDGE_CASE", "A string at its bounds: 255 octets, one octet, or every ASCII octet "
                                  "0x00..0x7F (a string is 0..255 octets of 0x00..0x7F, FORMAT.md)."),
    "LongField": ("EDGE_CASE", "An opaque frame longer than 255 octets where no limit applies (the request "
                               "id)."),
    "Ipv4": ("EDGE_CASE", "An IPv4 address: four decimal numbers 0..255 without leading zeros, dotted."),
    "Ipv6": ("EDGE_CASE", "An IPv6 address in the canonical text form of RFC 5952: lower case, no leading "
                          "zeros, the longest run of two or more zero groups written `::` (the first on a "
                          "tie), a single zero group written 0."),
    "Ipv4Mapped": ("EDGE_CASE", "An IPv4-mapped IPv6 address (::ffff:0:0/96): canonical in mixed notation, "
                                "::ffff:a.b.c.d (RFC 5952 section 5)."),
    "AddressForm": ("EDGE_CASE", "An address written in a form that is not the canonical one, or not an "
                                 "address at all."),
    "UnknownMechanism": ("EDGE_CASE", "A mechanism other than NULL, PLAIN and CURVE (GSSAPI, a private one): "
                                      "any credentials frames, none included."),
    "MechanismSpelling": ("EDGE_CASE", "A mechanism close to NULL, PLAIN or CURVE but not it (another case, a "
                                       "NUL after it): names compare octet for octet, so it is another "
                                       "mechanism, whose credentials are not checked."),
    "CurveKey": ("EDGE_CASE", "A CURVE credential: the client's permanent public key as 32 raw octets "
                              "(never its 40-character Z85 text)."),
    "Metadata": ("EDGE_CASE", "A metadata frame holding ZMTP 3.0 properties: names of 1..255 name-char "
                              "octets, values of any octets (empty included), names repeated as they come."),
    "StatusCodes": ("EDGE_CASE", "A status other than 200 (300 temporary error, 400 authentication failure, "
                                 "500 internal error): the user id is then empty."),
    "LibzmqDivergence": ("EDGE_CASE", "libzmq sends this by default: an empty domain unless domain "
                                      "enforcement is on (rfc-digest §19 item 25)."),
    "FirstErrorWins": ("EDGE_CASE", "Two faults in one message: the decoder reports the one in the earlier "
                                    "frame and decodes nothing after it."),
    "Empty": ("EDGE_CASE", "A message of no frame at all."),
}

# The flags that name an input class of spec/leniency.md (their description comes from the
# table, vector_file.describe), each with the error class the codecs report for it.
CLASS_OF = {
    "ZapDelimiter": "zap-invalid-delimiter",
    "ZapVersion": "zap-bad-version",
    "ZapDomain": "zap-invalid-domain",
    "ZapAddress": "zap-invalid-address",
    "ZapIdentity": "zap-invalid-identity",
    "ZapMechanism": "zap-invalid-mechanism",
    "ZapCredentials": "zap-invalid-credentials",
    "ZapStatusCode": "zap-invalid-status-code",
    "ZapStatusText": "zap-invalid-text",
    "ZapUserId": "zap-invalid-user-id",
    "ZapMetadata": "zap-invalid-metadata",
    "ZapMissingFrame": "zap-missing-frame",
    "ZapExtraFrame": "zap-extra-frame",
}
NOTES.update({flag: ("MALFORMED_INPUT", None) for flag in CLASS_OF})

DELIMITER = "zap-invalid-delimiter"
VERSION = "zap-bad-version"
DOMAIN = "zap-invalid-domain"
ADDRESS = "zap-invalid-address"
IDENTITY = "zap-invalid-identity"
MECHANISM = "zap-invalid-mechanism"
CREDENTIALS = "zap-invalid-credentials"
STATUS = "zap-invalid-status-code"
TEXT = "zap-invalid-text"
USER_ID = "zap-invalid-user-id"
METADATA = "zap-invalid-metadata"
MISSING = "zap-missing-frame"
EXTRA = "zap-extra-frame"


# --------------------------------------------------------------------------
# Clauses (spec/zap.md).

R_FRAMES = "zap.request.frames"
R_DELIM = "zap.request.delimiter"
R_VERSION = "zap.request.version"
R_RID = "zap.request.request-id"
R_DOMAIN = "zap.request.domain"
R_ADDRESS = "zap.request.address"
R_IDENTITY = "zap.request.identity"
R_MECH_STRING = "zap.request.mechanism-string"
R_MECH = "zap.request.mechanism"
R_CREDS = "zap.request.credentials"
P_FRAMES = "zap.reply.frames"
P_DELIM = "zap.reply.delimiter"
P_VERSION = "zap.reply.version"
P_RID = "zap.reply.request-id"
P_STATUS = "zap.reply.status-code"
P_TEXT = "zap.reply.status-text"
P_TEXT_EMPTY = "zap.reply.status-text-empty"
P_UID = "zap.reply.user-id"
P_UID_OK = "zap.reply.user-id-on-success"
P_UID_EMPTY = "zap.reply.user-id-empty"
P_META_FRAME = "zap.reply.metadata-frame"
P_META = "zap.reply.metadata"
STRINGS = "zap.strings.ascii"
NULL_MECH = "zap.null.mechanism"
NULL_CREDS = "zap.null.no-credentials"
PLAIN_MECH = "zap.plain.mechanism"
PLAIN_CREDS = "zap.plain.credentials"
CURVE_MECH = "zap.curve.mechanism"
CURVE_CREDS = "zap.curve.credentials"
ENV_DEALER = "zap.envelope.dealer-server"     # a DEALER server sends the delimiter itself
ENV_ROUTER = "zap.envelope.router-handler"    # a ROUTER handler sends it itself

# Every field of each layout, for the RFC's examples.
ALL_REQUEST = [R_FRAMES, R_VERSION, R_RID, R_DOMAIN, R_ADDRESS, R_IDENTITY, R_MECH_STRING, R_MECH, R_CREDS,
               STRINGS]
ALL_REPLY = [P_FRAMES, P_VERSION, P_RID, P_STATUS, P_TEXT, P_UID, P_UID_OK, P_META_FRAME, P_META, STRINGS]

OK_NULL = [R_FRAMES, NULL_MECH, NULL_CREDS]
OK_PLAIN = [R_FRAMES, PLAIN_MECH, PLAIN_CREDS]
OK_CURVE = [R_FRAMES, CURVE_MECH, CURVE_CREDS, R_CREDS]
OK_OTHER = [R_FRAMES, R_MECH_STRING, R_CREDS]           # a mechanism ZAP does not define
OK_REPLY = [P_FRAMES, P_STATUS, P_UID]

# The clause the codecs name for each class (FORMAT.md): a malformed vector cites one of them first.
CODEC_CLAUSES = {
    DELIMITER: {"request": {R_DELIM}, "reply": {P_DELIM}},
    VERSION: {"request": {R_VERSION}, "reply": {P_VERSION}},
    DOMAIN: {"request": {R_DOMAIN, STRINGS}},
    ADDRESS: {"request": {R_ADDRESS}},
    IDENTITY: {"request": {R_IDENTITY}},
    MECHANISM: {"request": {R_MECH, STRINGS}},
    CREDENTIALS: {"request": {NULL_CREDS, PLAIN_CREDS, CURVE_CREDS}},
    STATUS: {"reply": {P_STATUS}},
    TEXT: {"reply": {STRINGS}},
    USER_ID: {"reply": {STRINGS, P_UID_EMPTY}},
    METADATA: {"reply": {P_META}},
    MISSING: {"request": {R_FRAMES}, "reply": {P_FRAMES}},
    EXTRA: {"reply": {P_FRAMES}},
}

# Where each class's frame sits, after the delimiter (if any): the frame a row's offset must name.
FIELD = {VERSION: 0, DOMAIN: 2, ADDRESS: 3, IDENTITY: 4, MECHANISM: 5,
         STATUS: 2, TEXT: 3, USER_ID: 4, METADATA: 5, EXTRA: 6}
FIRST_CREDENTIAL = 6


# --------------------------------------------------------------------------
# Frames and reports.

D = ""                                          # the empty address delimiter
VER = "1.0"
RID = "0001"                                    # the RFC examples' request id
ADDR4 = "192.168.55.1"                          # the RFC examples' address
BIN = bytes(range(256))                         # every octet value
ASCII = bytes(range(128))                       # every ASCII octet, 0x00..0x7F
KEY = bytes.fromhex("bb88471d65e2659b30c55a5321cebb5aab2b70a398645c26dca2b2fcb43fc518")
KEY_Z85 = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID"   # the same key as 40 Z85 characters (32/Z85)
ROUTING_ID = bytes.fromhex("006b8b4567")        # a routing id as libzmq makes them


def frame(part):
    """One frame: a str is ASCII text (with \\xNN escapes for octets up to 0xFF), bytes are
    taken as they are."""
    if isinstance(part, str):
        return part.encode("latin-1")
    return bytes(part)


def hx(part):
    return frame(part).hex()


def ok(message):
    return {"state": "complete", "error": None, "message": message}


def err(cls, at):
    """An error report: class and the frame index `at`, as the row writes it."""
    return {"state": "error", "error": {"class": cls, "offset": at}, "message": None}


def request(rid, domain, address, identity, mechanism, *credentials):
    return {"request_id": hx(rid), "domain": hx(domain), "address": hx(address), "identity": hx(identity),
            "mechanism": hx(mechanism), "credentials": [hx(c) for c in credentials]}


def reply(rid, status, text, user_id, metadata):
    return {"request_id": hx(rid), "status_code": hx(status), "status_text": hx(text), "user_id": hx(user_id),
            "metadata": hx(metadata)}


def prop(name, value, size=None):
    """One ZMTP 3.0 property: name length, name, 4-octet value size (the value's own unless
    `size` says otherwise), value."""
    name, value = frame(name), frame(value)
    size = len(value) if size is None else size
    return bytes([len(name)]) + name + size.to_bytes(4, "big") + value


def meta(*props):
    """A metadata frame: the properties (name, value) one after the other."""
    return b"".join(prop(n, v) for n, v in props)


# The RFC's examples (27/ZAP, Example Exchanges), frame for frame as on the wire.
RFC_NULL = [D, VER, RID, "test", ADDR4, "BOB", "NULL"]
RFC_PLAIN = [D, VER, RID, "test", ADDR4, "BOB", "PLAIN", "admin", "secret"]
RFC_REPLY = [D, VER, RID, "200", "OK", "joe", ""]


# --------------------------------------------------------------------------
# The vector file.

class Group(vector_file.Group):
    def __init__(self, vfile, direction, envelope):
        super().__init__(vfile, "zap", {"direction": direction, "envelope": envelope})
        self.direction = direction
        self.envelope = envelope
        self.base = 1 if envelope == "delimiter" else 0
        self.seen = {}

    def t(self, slug, comment, flags, clauses, parts, expected):
        vf = self.vfile
        classes = [f for f in flags if f in LENIENCY]
        state, error, message = expected["state"], expected["error"], expected["message"]
        assert state in ("complete", "error") and (error is None) == (state == "complete"), slug
        assert (message is None) == (state == "error"), slug
        if state == "complete" and self.envelope == "delimiter":
            delim = [R_DELIM, ENV_DEALER] if self.direction == "request" else [P_DELIM, ENV_ROUTER]
            clauses = list(clauses) + [c for c in delim if c not in clauses]
        result, clauses = self.admit(slug, comment, flags, clauses, TABLE if classes else "valid")
        if state == "complete":
            assert result == "valid" and not classes and "Valid" in flags, f"{slug}: a message taken is valid"
            keys = {"request": "domain", "reply": "status_code"}[self.direction]
            assert keys in message, f"{slug}: not a {self.direction}"
        else:
            self.check_error(slug, classes, clauses, parts, error)
            assert result == "acceptable", slug
        chunks = [hx(p) for p in parts]
        key = tuple(chunks)
        assert key not in self.seen, f"{vf.area}: {slug}: same frames as {self.seen[key]} in this group"
        self.seen[key] = slug
        self.add(slug, comment, flags, clauses, chunks, result, expected)

    def check_error(self, slug, classes, clauses, parts, error):
        """The row's error against the layout: one class, its flag, the frame it names, the
        clause the codecs name first."""
        cls, at, n = error["class"], error["offset"], len(parts)
        assert len(classes) == 1 and CLASS_OF[classes[0]] == cls == LENIENCY[classes[0]].codecs, \
            f"{slug}: {cls} needs the flag of its class, and only it"
        assert clauses[0] in CODEC_CLAUSES[cls].get(self.direction, ()), \
            f"{slug}: {cls} in a {self.direction} cites first one of {sorted(CODEC_CLAUSES[cls].get(self.direction, ()))}"
        if cls == MISSING:
            assert at == n, f"{slug}: a missing frame is reported at the frame count"
        elif cls == DELIMITER:
            assert self.envelope == "delimiter" and at == 0 < n, f"{slug}: the delimiter is frame 0"
        elif cls == CREDENTIALS:
            assert self.base + FIRST_CREDENTIAL <= at <= n, \
                f"{slug}: a credentials error names a credentials frame, or the frame count"
        else:
            assert at == self.base + FIELD[cls] < n, f"{slug}: {cls} names frame {self.base + FIELD[cls]}"


class VFile(vector_file.VectorFile):
    def __init__(self, area, header):
        super().__init__(area, "zap", "1.0", header, NOTES)

    def group(self, direction, envelope):
        g = Group(self, direction, envelope)
        self.groups.append(g)
        return g


# ==========================================================================
# zap_test.json: 27/ZAP

def gen_zap():
    vf = VFile("zap", [
        "27/ZAP (ZeroMQ Authentication Protocol 1.0) requests and replies as frame lists, one hex string per",
        "frame (vectors/FORMAT.md, decoder zap), with the delimiter as on the wire and without it as a REQ or",
        "REP socket hands them over: the RFC's two example exchanges verbatim; NULL, PLAIN, CURVE and other",
        "mechanisms; empty, binary and long request ids; identities up to 255 octets; IPv4 and canonical IPv6",
        "addresses (IPv4-mapped in mixed notation); replies 200 (user id, metadata), 300, 400, 500; and every",
        "error class at its frame: delimiter, version, domain, address, identity, mechanism, credentials,",
        "status code, status text, user id, metadata, missing and extra frames (acceptable: the layouts bind",
        "the sender). Error offsets are frame indexes.",
    ])
    V = ["Valid"]

    # ================================================================ requests, on the wire
    g = vf.group("request", "delimiter")

    g.t("rfc-null-request", "The RFC's example of NULL authentication, its request verbatim: delimiter, '1.0', "
        "request id '0001', domain 'test', address '192.168.55.1', identity 'BOB', mechanism 'NULL' "
        "(27/ZAP, Example of NULL Authentication)", V + ["RfcExample"], ALL_REQUEST + [NULL_MECH, NULL_CREDS],
        RFC_NULL, ok(request(RID, "test", ADDR4, "BOB", "NULL")))
    g.t("rfc-plain-request", "The RFC's example of PLAIN authentication, its request verbatim: as the NULL "
        "example with mechanism 'PLAIN', user name 'admin' and password 'secret' (27/ZAP, Example of PLAIN "
        "Authentication)", V + ["RfcExample"], ALL_REQUEST + [PLAIN_MECH, PLAIN_CREDS],
        RFC_PLAIN, ok(request(RID, "test", ADDR4, "BOB", "PLAIN", "admin", "secret")))
    g.t("curve-request", "CURVE request: the client's permanent public key, 32 raw octets, as the one "
        "credential", V + ["CurveKey"], OK_CURVE, [D, VER, RID, "test", ADDR4, "BOB", "CURVE", KEY],
        ok(request(RID, "test", ADDR4, "BOB", "CURVE", KEY)))
    g.t("curve-zero-key", "CURVE request whose key is 32 zero octets: any 32 octets fit the layout",
        V + ["CurveKey", "BinaryField"], OK_CURVE, [D, VER, "7", "global", "10.0.0.1", "", "CURVE", bytes(32)],
        ok(request("7", "global", "10.0.0.1", "", "CURVE", bytes(32))))
    g.t("curve-key-ff", "CURVE request whose key is 32 octets ff", V + ["CurveKey", "BinaryField"], OK_CURVE,
        [D, VER, "8", "global", "10.0.0.1", "", "CURVE", b"\xff" * 32],
        ok(request("8", "global", "10.0.0.1", "", "CURVE", b"\xff" * 32)))
    g.t("null-no-identity", "NULL request with an empty identity (the client announced none)",
        V + ["EmptyField"], OK_NULL + [R_IDENTITY], [D, VER, RID, "test", ADDR4, "", "NULL"],
        ok(request(RID, "test", ADDR4, "", "NULL")))
    g.t("plain-empty-password", "PLAIN request with user name 'admin' and an empty password: two frames",
        V + ["EmptyField"], OK_PLAIN, [D, VER, RID, "test", ADDR4, "BOB", "PLAIN", "admin", ""],
        ok(request(RID, "test", ADDR4, "BOB", "PLAIN", "admin", "")))
    g.t("plain-empty-both", "PLAIN request whose user name and password are both empty: still two frames",
        V + ["EmptyField"], OK_PLAIN, [D, VER, RID, "test", ADDR4, "", "PLAIN", "", ""],
        ok(request(RID, "test", ADDR4, "", "PLAIN", "", "")))
    g.t("plain-255", "PLAIN request with a 255-octet user name and a 255-octet password (PLAIN's HELLO "
        "carries at most 255 octets of each)", V + ["StringBounds"], OK_PLAIN,
        [D, VER, RID, "test", ADDR4, "BOB", "PLAIN", "u" * 255, "p" * 255],
        ok(request(RID, "test", ADDR4, "BOB", "PLAIN", "u" * 255, "p" * 255)))
    g.t("gssapi-request", "Mechanism 'GSSAPI' with one binary credential (a token): ZAP defines no "
        "credentials for it, so any frames fit", V + ["UnknownMechanism", "BinaryField"], OK_OTHER,
        [D, VER, RID, "test", ADDR4, "BOB", "GSSAPI", b"\x60\x82\x01\x00\x06\x09"],
        ok(request(RID, "test", ADDR4, "BOB", "GSSAPI", b"\x60\x82\x01\x00\x06\x09")))
    g.t("other-mechanism-no-credentials", "Mechanism 'X-TOKEN' with no credentials frame",
        V + ["UnknownMechanism"], OK_OTHER, [D, VER, RID, "test", ADDR4, "BOB", "X-TOKEN"],
        ok(request(RID, "test", ADDR4, "BOB", "X-TOKEN")))
    g.t("other-mechanism-three-credentials", "Mechanism 'X-TOKEN' with three credentials frames: an empty "
        "one, every octet value, 'c'", V + ["UnknownMechanism", "EmptyField", "BinaryField"], OK_OTHER,
        [D, VER, RID, "test", ADDR4, "BOB", "X-TOKEN", "", BIN, "c"],
        ok(request(RID, "test", ADDR4, "BOB", "X-TOKEN", "", BIN, "c")))
    g.t("mechanism-null-lower-case", "Mechanism 'null' with one credential: not 'NULL' (names compare octet "
        "for octet), so another mechanism, whose credentials are not checked",
        V + ["MechanismSpelling"], OK_OTHER + [NULL_MECH], [D, VER, RID, "test", ADDR4, "BOB", "null", "x"],
        ok(request(RID, "test", ADDR4, "BOB", "null", "x")))
    g.t("mechanism-plain-mixed-case", "Mechanism 'Plain' with one credential: not 'PLAIN'",
        V + ["MechanismSpelling"], OK_OTHER + [PLAIN_MECH],
        [D, VER, RID, "test", ADDR4, "BOB", "Plain", "admin"],
        ok(request(RID, "test", ADDR4, "BOB", "Plain", "admin")))
    g.t("mechanism-curve-nul", "Mechanism 'CURVE' plus a NUL (six octets) with one 31-octet credential: not "
        "'CURVE', so the key size is not checked", V + ["MechanismSpelling"], OK_OTHER + [CURVE_MECH],
        [D, VER, RID, "test", ADDR4, "BOB", "CURVE\x00", KEY[:31]],
        ok(request(RID, "test", ADDR4, "BOB", "CURVE\x00", KEY[:31])))
    g.t("mechanism-255", "A mechanism name of 255 octets ('M' x 255) and no credentials",
        V + ["StringBounds", "UnknownMechanism"], OK_OTHER + [STRINGS],
        [D, VER, RID, "test", ADDR4, "BOB", "M" * 255], ok(request(RID, "test", ADDR4, "BOB", "M" * 255)))
    g.t("empty-request-id", "NULL request whose request id is empty", V + ["EmptyField"], OK_NULL + [R_RID],
        [D, VER, "", "test", ADDR4, "BOB", "NULL"], ok(request("", "test", ADDR4, "BOB", "NULL")))
    g.t("binary-request-id", "NULL request whose request id is binary (00 ff 80 7f)", V + ["BinaryField"],
        OK_NULL + [R_RID], [D, VER, b"\x00\xff\x80\x7f", "test", ADDR4, "BOB", "NULL"],
        ok(request(b"\x00\xff\x80\x7f", "test", ADDR4, "BOB", "NULL")))
    g.t("long-request-id", "NULL request whose request id is 256 octets (00..ff): the request id is opaque, "
        "with no length limit", V + ["BinaryField", "LongField"], OK_NULL + [R_RID],
        [D, VER, BIN, "test", ADDR4, "BOB", "NULL"], ok(request(BIN, "test", ADDR4, "BOB", "NULL")))
    g.t("request-id-one", "PLAIN request whose request id is '1' (what libzmq always sends)", V,
        OK_PLAIN + [R_RID], [D, VER, "1", "test", ADDR4, "BOB", "PLAIN", "admin", "secret"],
        ok(request("1", "test", ADDR4, "BOB", "PLAIN", "admin", "secret")))
    g.t("identity-255", "NULL request whose identity is 255 octets (00..fe), the longest", V + ["BinaryField"],
        OK_NULL + [R_IDENTITY], [D, VER, RID, "test", ADDR4, bytes(range(255)), "NULL"],
        ok(request(RID, "test", ADDR4, bytes(range(255)), "NULL")))
    g.t("identity-routing-id", "NULL request whose identity is binary, a routing id as libzmq makes them "
        "(00 6b 8b 45 67)", V + ["BinaryField"], OK_NULL + [R_IDENTITY],
        [D, VER, RID, "test", ADDR4, ROUTING_ID, "NULL"], ok(request(RID, "test", ADDR4, ROUTING_ID, "NULL")))
    g.t("domain-one-octet", "Domain 'x', one octet", V + ["StringBounds"], OK_NULL + [R_DOMAIN],
        [D, VER, RID, "x", ADDR4, "BOB", "NULL"], ok(request(RID, "x", ADDR4, "BOB", "NULL")))
    g.t("domain-255", "Domain of 255 octets ('d' x 255), the longest string", V + ["StringBounds"],
        OK_NULL + [R_DOMAIN, STRINGS], [D, VER, RID, "d" * 255, ADDR4, "BOB", "NULL"],
        ok(request(RID, "d" * 255, ADDR4, "BOB", "NULL")))
    g.t("domain-ascii", "Domain of every ASCII octet 0x00..0x7F (128 octets): a string, controls and NUL "
        "included", V + ["StringBounds"], OK_NULL + [R_DOMAIN, STRINGS], [D, VER, RID, ASCII, ADDR4, "BOB", "NULL"],
        ok(request(RID, ASCII, ADDR4, "BOB", "NULL")))
    g.t("domain-global", "PLAIN request in domain 'global' (what a zwire server names when no domain is set, "
        "DECISIONS S3), an empty identity (a PLAIN client's is not known yet)", V + ["EmptyField"],
        OK_PLAIN + [R_DOMAIN], [D, VER, "42", "global", "127.0.0.1", "", "PLAIN", "admin", "secret"],
        ok(request("42", "global", "127.0.0.1", "", "PLAIN", "admin", "secret")))

    addresses = [
        ("ipv4-zero", "0.0.0.0", "Ipv4"),
        ("ipv4-max", "255.255.255.255", "Ipv4"),
        ("ipv4-single-digits", "1.2.3.4", "Ipv4"),
        ("ipv4-private", "10.0.0.1", "Ipv4"),
        ("ipv6-loopback", "::1", "Ipv6"),
        ("ipv6-unspecified", "::", "Ipv6"),
        ("ipv6-documentation", "2001:db8::1", "Ipv6"),
        ("ipv6-link-local", "fe80::1", "Ipv6"),
        ("ipv6-trailing-run", "2001:db8::", "Ipv6"),
        ("ipv6-one-zero-group", "2001:db8:0:1:1:1:1:1", "Ipv6"),
        ("ipv6-tie-first-run", "2001:db8::1:0:0:1", "Ipv6"),
        ("ipv6-longest-run", "2001:0:0:1::1", "Ipv6"),
        ("ipv6-no-zero", "2001:db8:85a3:8d3:1319:8a2e:370:7348", "Ipv6"),
        ("ipv6-max", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "Ipv6"),
        ("ipv4-mapped", "::ffff:192.168.55.1", "Ipv4Mapped"),
        ("ipv4-mapped-zero", "::ffff:0.0.0.0", "Ipv4Mapped"),
    ]
    why = {
        "::": "all zeros, the whole run written '::'",
        "2001:db8:0:1:1:1:1:1": "a single zero group stays '0', never '::'",
        "2001:db8::1:0:0:1": "two runs of two zero groups: the first is written '::'",
        "2001:0:0:1::1": "a run of two and a run of three zero groups: the longer is written '::'",
        "2001:db8::": "the zero run at the end",
        "2001:db8:85a3:8d3:1319:8a2e:370:7348": "eight groups, no zero run, leading zeros dropped (08d3 -> 8d3)",
        "::ffff:192.168.55.1": "IPv4-mapped, in mixed notation (RFC 5952 section 5)",
        "::ffff:0.0.0.0": "IPv4-mapped 0.0.0.0, in mixed notation",
    }
    for slug, address, kind in addresses:
        comment = f"NULL request from address '{address}'" + (f": {why[address]}" if address in why else "")
        g.t(slug, comment, V + [kind], OK_NULL + [R_ADDRESS], [D, VER, RID, "test", address, "BOB", "NULL"],
            ok(request(RID, "test", address, "BOB", "NULL")))

    # Delimiter (frame 0).
    F = ["ZapDelimiter"]
    g.t("delimiter-not-empty", "Frame 0 is 'x', not the empty delimiter", F, [R_DELIM, ENV_DEALER],
        ["x"] + RFC_NULL[1:], err(DELIMITER, 0))
    g.t("delimiter-nul", "Frame 0 is one octet 00: not empty", F, [R_DELIM, ENV_DEALER],
        ["\x00"] + RFC_NULL[1:], err(DELIMITER, 0))
    g.t("delimiter-missing", "The RFC's NULL request without its delimiter, read as on the wire: frame 0 is "
        "'1.0', not empty (a DEALER server must send the delimiter itself)", F + ["EnvelopeParam"],
        [R_DELIM, ENV_DEALER], RFC_NULL[1:], err(DELIMITER, 0))
    g.t("delimiter-only-frame-not-empty", "One frame 'x': the delimiter is checked before anything is missing",
        F + ["FirstErrorWins"], [R_DELIM, ENV_DEALER, R_FRAMES], ["x"], err(DELIMITER, 0))

    # Version (frame 1).
    F = ["ZapVersion"]
    for slug, version, what in [("version-1-1", "1.1", "'1.1'"), ("version-nul", "1.0\x00", "'1.0' plus a NUL"),
                                ("version-empty", "", "empty"), ("version-2-0", "2.0", "'2.0'"),
                                ("version-short", "1", "'1'"), ("version-space", "1.0 ", "'1.0' plus a space")]:
        g.t(slug, f"Version frame {what}: the version is exactly the three octets '1.0'", F, [R_VERSION],
            [D, version] + RFC_NULL[2:], err(VERSION, 1))

    # Domain (frame 3).
    F = ["ZapDomain"]
    g.t("domain-empty", "Empty domain: the domain is a non-empty string (libzmq sends one unless domain "
        "enforcement is on)", F + ["LibzmqDivergence"], [R_DOMAIN, STRINGS],
        [D, VER, RID, "", ADDR4, "BOB", "PLAIN", "admin", "secret"], err(DOMAIN, 3))
    g.t("domain-latin1", "Domain 't\\xe9st' (octet e9): not ASCII", F, [STRINGS, R_DOMAIN],
        [D, VER, RID, "t\xe9st", ADDR4, "BOB", "NULL"], err(DOMAIN, 3))
    g.t("domain-utf8", "Domain 'tést' in UTF-8 (c3 a9): not ASCII", F, [STRINGS, R_DOMAIN],
        [D, VER, RID, "tést".encode(), ADDR4, "BOB", "NULL"], err(DOMAIN, 3))
    g.t("domain-256", "Domain of 256 octets: a string is at most 255", F, [STRINGS, R_DOMAIN],
        [D, VER, RID, "d" * 256, ADDR4, "BOB", "NULL"], err(DOMAIN, 3))

    # Address (frame 4).
    F = ["ZapAddress", "AddressForm"]
    bad_addresses = [
        ("address-ipv4-leading-zero", "192.168.055.1", "an IPv4 number with a leading zero"),
        ("address-ipv4-first-leading-zero", "01.2.3.4", "a leading zero in the first number"),
        ("address-ipv4-256", "256.1.1.1", "an IPv4 number above 255"),
        ("address-ipv4-three-numbers", "1.2.3", "three numbers"),
        ("address-ipv4-five-numbers", "1.2.3.4.5", "five numbers"),
        ("address-ipv4-trailing-space", "192.168.55.1 ", "a space after the address"),
        ("address-ipv4-sign", "1.2.3.+4", "a sign before a number"),
        ("address-ipv6-upper-case", "2001:DB8::1", "IPv6 in upper case"),
        ("address-ipv6-zeros-kept", "2001:db8:0:0::1", "zero groups left beside '::' (canonical: "
                                                       "2001:db8::1)"),
        ("address-ipv6-uncompressed", "2001:db8:0:0:0:0:0:1", "a run of zero groups not written '::'"),
        ("address-ipv6-single-group-compressed", "2001:db8::1:1:1:1:1", "'::' for one zero group "
                                                                        "(canonical: 2001:db8:0:1:1:1:1:1)"),
        ("address-ipv6-shorter-run", "2001::1:0:0:0:1", "'::' for the shorter of two zero runs "
                                                        "(canonical: 2001:0:0:1::1)"),
        ("address-ipv6-tie-second-run", "2001:db8:0:0:1::1", "'::' for the second of two equal runs "
                                                             "(canonical: 2001:db8::1:0:0:1)"),
        ("address-ipv6-leading-zero", "2001:0db8::1", "a group with a leading zero"),
        ("address-ipv6-brackets", "[::1]", "brackets, as in a URL"),
        ("address-ipv6-zone", "fe80::1%eth0", "a zone index"),
        ("address-ipv4-mapped-hex", "::ffff:c0a8:3701", "an IPv4-mapped address in hex, not in mixed notation"),
        ("address-ipv4-mapped-upper-case", "::FFFF:192.168.55.1", "an IPv4-mapped address in upper case"),
        ("address-name", "localhost", "a host name"),
        ("address-non-ascii", "192.168.55.\xb9", "an octet above 0x7F"),
        ("address-empty", "", "an empty frame (no address)"),
    ]
    for slug, address, what in bad_addresses:
        g.t(slug, f"Address '{address}': {what}", F, [R_ADDRESS] + ([STRINGS] if slug == "address-non-ascii" else []),
            [D, VER, RID, "test", address, "BOB", "NULL"], err(ADDRESS, 4))

    # Identity (frame 5).
    F = ["ZapIdentity"]
    g.t("identity-256", "Identity of 256 octets (00..ff): at most 255", F, [R_IDENTITY],
        [D, VER, RID, "test", ADDR4, BIN, "NULL"], err(IDENTITY, 5))
    g.t("identity-1000", "Identity of 1000 octets", F, [R_IDENTITY],
        [D, VER, RID, "test", ADDR4, b"i" * 1000, "CURVE", KEY], err(IDENTITY, 5))

    # Mechanism (frame 6).
    F = ["ZapMechanism"]
    g.t("mechanism-empty", "Empty mechanism (the last frame): the mechanism is never empty", F,
        [R_MECH, R_MECH_STRING], [D, VER, RID, "test", ADDR4, "BOB", ""], err(MECHANISM, 6))
    g.t("mechanism-empty-with-credentials", "Empty mechanism followed by two credentials frames", F,
        [R_MECH, R_MECH_STRING], [D, VER, RID, "test", ADDR4, "BOB", "", "admin", "secret"], err(MECHANISM, 6))
    g.t("mechanism-non-ascii", "Mechanism 'N\\xdcLL' (octet dc): not ASCII", F, [STRINGS, R_MECH_STRING],
        [D, VER, RID, "test", ADDR4, "BOB", "N\xdcLL"], err(MECHANISM, 6))
    g.t("mechanism-256", "Mechanism of 256 octets: a string is at most 255", F, [STRINGS, R_MECH_STRING],
        [D, VER, RID, "test", ADDR4, "BOB", "M" * 256], err(MECHANISM, 6))

    # Credentials (frames 7..).
    F = ["ZapCredentials"]
    g.t("null-with-credential", "NULL with one credentials frame 'x': NULL has none", F,
        [NULL_CREDS, R_CREDS, NULL_MECH], RFC_NULL + ["x"], err(CREDENTIALS, 7))
    g.t("null-with-empty-credential", "NULL with one empty credentials frame: still a frame", F + ["EmptyField"],
        [NULL_CREDS, R_CREDS, NULL_MECH], RFC_NULL + [""], err(CREDENTIALS, 7))
    g.t("null-with-two-credentials", "NULL with two credentials frames: the first is reported", F,
        [NULL_CREDS, R_CREDS, NULL_MECH], RFC_NULL + ["admin", "secret"], err(CREDENTIALS, 7))
    g.t("plain-one-credential", "PLAIN with the user name only: the password frame is missing (reported at "
        "the frame count)", F, [PLAIN_CREDS, R_CREDS, PLAIN_MECH], RFC_PLAIN[:8], err(CREDENTIALS, 8))
    g.t("plain-no-credentials", "PLAIN with no credentials frame: both are missing", F,
        [PLAIN_CREDS, R_CREDS, PLAIN_MECH], RFC_PLAIN[:7], err(CREDENTIALS, 7))
    g.t("plain-three-credentials", "PLAIN with three credentials frames: the third is one too many", F,
        [PLAIN_CREDS, R_CREDS, PLAIN_MECH], RFC_PLAIN + ["x"], err(CREDENTIALS, 9))
    g.t("curve-key-31", "CURVE with a 31-octet key", F + ["CurveKey"], [CURVE_CREDS, R_CREDS, CURVE_MECH],
        [D, VER, RID, "test", ADDR4, "BOB", "CURVE", KEY[:31]], err(CREDENTIALS, 7))
    g.t("curve-key-33", "CURVE with a 33-octet key", F + ["CurveKey"], [CURVE_CREDS, R_CREDS, CURVE_MECH],
        [D, VER, RID, "test", ADDR4, "BOB", "CURVE", KEY + b"\x00"], err(CREDENTIALS, 7))
    g.t("curve-key-z85", "CURVE whose credential is the key's 40-character Z85 text, not its 32 octets",
        F + ["CurveKey"], [CURVE_CREDS, R_CREDS, CURVE_MECH],
        [D, VER, RID, "test", ADDR4, "BOB", "CURVE", KEY_Z85], err(CREDENTIALS, 7))
    g.t("curve-key-empty", "CURVE whose one credentials frame is empty", F + ["CurveKey", "EmptyField"],
        [CURVE_CREDS, R_CREDS, CURVE_MECH], [D, VER, RID, "test", ADDR4, "BOB", "CURVE", ""], err(CREDENTIALS, 7))
    g.t("curve-two-keys", "CURVE with two 32-octet frames: the second is one too many", F + ["CurveKey"],
        [CURVE_CREDS, R_CREDS, CURVE_MECH], [D, VER, RID, "test", ADDR4, "BOB", "CURVE", KEY, KEY],
        err(CREDENTIALS, 8))
    g.t("curve-no-key", "CURVE with no credentials frame: the key is missing (reported at the frame count)",
        F + ["CurveKey"], [CURVE_CREDS, R_CREDS, CURVE_MECH], [D, VER, RID, "test", ADDR4, "BOB", "CURVE"],
        err(CREDENTIALS, 7))

    # Missing frames: the RFC's NULL request cut before each of its frames.
    F = ["ZapMissingFrame"]
    g.t("request-empty-message", "No frame at all", F + ["Empty"], [R_FRAMES], [], err(MISSING, 0))
    names = ["the delimiter", "the version", "the request id", "the domain", "the address", "the identity",
             "the mechanism"]
    for n in range(1, 7):
        g.t(f"request-cut-{n}", f"The RFC's NULL request cut after {names[n - 1]} ({n} frame{'s' if n > 1 else ''}): "
            f"{names[n]} is missing", F, [R_FRAMES], RFC_NULL[:n], err(MISSING, n))

    # First error wins.
    g.t("request-version-before-domain", "Version '1.1' and an empty domain: the version, frame 1, is "
        "reported", ["ZapVersion", "FirstErrorWins"], [R_VERSION, R_DOMAIN],
        [D, "1.1", RID, "", ADDR4, "BOB", "NULL"], err(VERSION, 1))
    g.t("request-version-then-cut", "The delimiter and version '1.1', nothing after: the version is "
        "reported, not the missing frames", ["ZapVersion", "FirstErrorWins"], [R_VERSION, R_FRAMES],
        [D, "1.1"], err(VERSION, 1))
    g.t("request-domain-before-address", "An empty domain and address '1.2.3': the domain, frame 3, is reported",
        ["ZapDomain", "FirstErrorWins"], [R_DOMAIN, R_ADDRESS], [D, VER, RID, "", "1.2.3", "BOB", "NULL"],
        err(DOMAIN, 3))
    g.t("request-address-before-credentials", "Address '256.1.1.1' in a NULL request with a credential: the "
        "address, frame 4, is reported", ["ZapAddress", "FirstErrorWins"], [R_ADDRESS, NULL_CREDS],
        [D, VER, RID, "test", "256.1.1.1", "BOB", "NULL", "x"], err(ADDRESS, 4))
    g.t("request-identity-before-mechanism", "A 256-octet identity and an empty mechanism: the identity, "
        "frame 5, is reported", ["ZapIdentity", "FirstErrorWins"], [R_IDENTITY, R_MECH],
        [D, VER, RID, "test", ADDR4, BIN, ""], err(IDENTITY, 5))

    # ================================================================ requests, without the delimiter
    g = vf.group("request", "none")
    N = V + ["NoEnvelope"]
    g.t("none-null-request", "The RFC's NULL request without its delimiter, as a REP handler receives it "
        "(and a REQ server sends it)", N, ALL_REQUEST + [NULL_MECH, NULL_CREDS], RFC_NULL[1:],
        ok(request(RID, "test", ADDR4, "BOB", "NULL")))
    g.t("none-plain-request", "The RFC's PLAIN request without its delimiter", N,
        ALL_REQUEST + [PLAIN_MECH, PLAIN_CREDS], RFC_PLAIN[1:],
        ok(request(RID, "test", ADDR4, "BOB", "PLAIN", "admin", "secret")))
    g.t("none-curve-request", "CURVE request without its delimiter, from '2001:db8::1'", N + ["CurveKey", "Ipv6"],
        OK_CURVE + [R_ADDRESS], [VER, "9", "global", "2001:db8::1", "", "CURVE", KEY],
        ok(request("9", "global", "2001:db8::1", "", "CURVE", KEY)))
    g.t("none-empty-request-id", "NULL request without its delimiter, with an empty request id and identity",
        N + ["EmptyField"], OK_NULL + [R_RID], [VER, "", "test", ADDR4, "", "NULL"],
        ok(request("", "test", ADDR4, "", "NULL")))

    g.t("none-delimiter-present", "The RFC's NULL request with its delimiter, read without an envelope: frame "
        "0, the version, is empty", ["ZapVersion", "EnvelopeParam"], [R_VERSION], RFC_NULL, err(VERSION, 0))
    g.t("none-version-1-1", "Version '1.1' as frame 0", ["ZapVersion"], [R_VERSION], ["1.1"] + RFC_NULL[2:],
        err(VERSION, 0))
    g.t("none-domain-empty", "Empty domain, frame 2", ["ZapDomain"], [R_DOMAIN, STRINGS],
        [VER, RID, "", ADDR4, "BOB", "NULL"], err(DOMAIN, 2))
    g.t("none-address-leading-zero", "Address '192.168.055.1', frame 3", ["ZapAddress", "AddressForm"],
        [R_ADDRESS], [VER, RID, "test", "192.168.055.1", "BOB", "NULL"], err(ADDRESS, 3))
    g.t("none-identity-256", "A 256-octet identity, frame 4", ["ZapIdentity"], [R_IDENTITY],
        [VER, RID, "test", ADDR4, BIN, "NULL"], err(IDENTITY, 4))
    g.t("none-mechanism-empty", "Empty mechanism, frame 5", ["ZapMechanism"], [R_MECH, R_MECH_STRING],
        [VER, RID, "test", ADDR4, "BOB", ""], err(MECHANISM, 5))
    g.t("none-null-with-credential", "NULL with a credential, frame 6", ["ZapCredentials"],
        [NULL_CREDS, R_CREDS], RFC_NULL[1:] + ["x"], err(CREDENTIALS, 6))
    g.t("none-plain-one-credential", "PLAIN with the user name only (7 frames): the password is missing",
        ["ZapCredentials"], [PLAIN_CREDS, R_CREDS], RFC_PLAIN[1:8], err(CREDENTIALS, 7))
    g.t("none-curve-key-33", "CURVE with a 33-octet key, frame 6", ["ZapCredentials", "CurveKey"],
        [CURVE_CREDS, R_CREDS], [VER, RID, "test", ADDR4, "BOB", "CURVE", KEY + b"\x00"], err(CREDENTIALS, 6))
    F = ["ZapMissingFrame"]
    g.t("none-empty-message", "No frame at all", F + ["Empty"], [R_FRAMES], [], err(MISSING, 0))
    for n in range(1, 6):
        g.t(f"none-request-cut-{n}", f"The RFC's NULL request without delimiter, cut after {names[n]} "
            f"({n} frame{'s' if n > 1 else ''}): {names[n + 1]} is missing", F, [R_FRAMES], RFC_NULL[1:1 + n],
            err(MISSING, n))

    # ================================================================ replies, on the wire
    g = vf.group("reply", "delimiter")

    g.t("rfc-reply", "The RFC's example reply, verbatim: delimiter, '1.0', request id '0001', status '200', "
        "text 'OK', user id 'joe', empty metadata. It is the reply of both examples (27/ZAP, Example of NULL "
        "Authentication and Example of PLAIN Authentication give the same one)", V + ["RfcExample"], ALL_REPLY,
        RFC_REPLY, ok(reply(RID, "200", "OK", "joe", "")))
    m3 = meta(("Department", "engineering"), ("X-Quota", "100"), ("role", "admin"))
    g.t("ok-metadata", "200 with user id 'joe' and three metadata properties (Department, X-Quota, role)",
        V + ["Metadata"], OK_REPLY + [P_META, P_UID_OK], [D, VER, RID, "200", "OK", "joe", m3],
        ok(reply(RID, "200", "OK", "joe", m3)))
    m_bin = meta(("Key", BIN), ("Empty", ""))
    g.t("ok-metadata-binary", "200 whose metadata values are every octet 0x00..0xFF and an empty value",
        V + ["Metadata", "BinaryField"], OK_REPLY + [P_META], [D, VER, RID, "200", "OK", "joe", m_bin],
        ok(reply(RID, "200", "OK", "joe", m_bin)))
    m_name = meta(("n" * 255, "v"))
    g.t("ok-metadata-name-255", "200 whose one metadata property has a 255-octet name", V + ["Metadata"],
        OK_REPLY + [P_META], [D, VER, RID, "200", "OK", "joe", m_name], ok(reply(RID, "200", "OK", "joe", m_name)))
    m_chars = meta(("aZ09-_.+", "x"))
    g.t("ok-metadata-name-chars", "200 whose metadata name uses every kind of name-char: 'aZ09-_.+'",
        V + ["Metadata"], OK_REPLY + [P_META], [D, VER, RID, "200", "OK", "joe", m_chars],
        ok(reply(RID, "200", "OK", "joe", m_chars)))
    m_dup = meta(("Role", "a"), ("Role", "b"))
    g.t("ok-metadata-duplicate", "200 whose metadata names 'Role' twice: reported as they come (no rule "
        "forbids it, FORMAT.md, metadata)", V + ["Metadata"], OK_REPLY + [P_META],
        [D, VER, RID, "200", "OK", "joe", m_dup], ok(reply(RID, "200", "OK", "joe", m_dup)))
    g.t("ok-empty-user-id", "200 with an empty user id: the user id may name the user, need not",
        V + ["EmptyField"], OK_REPLY + [P_UID_OK], [D, VER, RID, "200", "OK", "", ""],
        ok(reply(RID, "200", "OK", "", "")))
    g.t("ok-empty-text", "200 with an empty status text", V + ["EmptyField"], OK_REPLY + [P_TEXT_EMPTY],
        [D, VER, RID, "200", "", "joe", ""], ok(reply(RID, "200", "", "joe", "")))
    g.t("ok-user-id-255", "200 with a 255-octet user id", V + ["StringBounds"], OK_REPLY + [P_UID_OK, STRINGS],
        [D, VER, RID, "200", "OK", "u" * 255, ""], ok(reply(RID, "200", "OK", "u" * 255, "")))
    g.t("ok-text-255", "200 with a 255-octet status text", V + ["StringBounds"], OK_REPLY + [P_TEXT, STRINGS],
        [D, VER, RID, "200", "t" * 255, "joe", ""], ok(reply(RID, "200", "t" * 255, "joe", "")))
    g.t("ok-text-ascii", "200 whose status text is every ASCII octet 0x00..0x7F", V + ["StringBounds"],
        OK_REPLY + [P_TEXT, STRINGS], [D, VER, RID, "200", ASCII, "joe", ""], ok(reply(RID, "200", ASCII, "joe", "")))
    g.t("temporary-300", "300, a temporary error, with text 'try again later' and an empty user id",
        V + ["StatusCodes"], OK_REPLY + [P_UID_EMPTY, P_TEXT], [D, VER, RID, "300", "try again later", "", ""],
        ok(reply(RID, "300", "try again later", "", "")))
    g.t("failure-400", "400, authentication failure, with text 'invalid password' and an empty user id",
        V + ["StatusCodes"], OK_REPLY + [P_UID_EMPTY, P_TEXT], [D, VER, RID, "400", "invalid password", "", ""],
        ok(reply(RID, "400", "invalid password", "", "")))
    g.t("internal-500", "500, an internal error, with an empty text and an empty user id",
        V + ["StatusCodes", "EmptyField"], OK_REPLY + [P_UID_EMPTY, P_TEXT_EMPTY], [D, VER, RID, "500", "", "", ""],
        ok(reply(RID, "500", "", "", "")))
    m1 = meta(("Reason", "locked"))
    g.t("failure-400-metadata", "400 with a metadata property: the layout allows it (a server uses metadata on "
        "200 only)", V + ["StatusCodes", "Metadata"], OK_REPLY + [P_UID_EMPTY, P_META],
        [D, VER, RID, "400", "locked", "", m1], ok(reply(RID, "400", "locked", "", m1)))
    g.t("reply-empty-request-id", "200 whose request id is empty (the request's was)", V + ["EmptyField"],
        OK_REPLY + [P_RID], [D, VER, "", "200", "OK", "joe", ""], ok(reply("", "200", "OK", "joe", "")))
    g.t("reply-binary-request-id", "200 whose request id is binary (00 ff 80 7f)", V + ["BinaryField"],
        OK_REPLY + [P_RID], [D, VER, b"\x00\xff\x80\x7f", "200", "OK", "joe", ""],
        ok(reply(b"\x00\xff\x80\x7f", "200", "OK", "joe", "")))
    g.t("reply-long-request-id", "400 whose request id is 256 octets (00..ff)", V + ["BinaryField", "LongField"],
        OK_REPLY + [P_RID], [D, VER, BIN, "400", "no", "", ""], ok(reply(BIN, "400", "no", "", "")))

    # Delimiter (frame 0).
    F = ["ZapDelimiter"]
    g.t("reply-delimiter-not-empty", "Frame 0 is 'x', not the empty delimiter", F, [P_DELIM, ENV_ROUTER],
        ["x"] + RFC_REPLY[1:], err(DELIMITER, 0))
    g.t("reply-delimiter-missing", "The RFC's reply without its delimiter, read as on the wire: frame 0 is "
        "'1.0', not empty (a ROUTER handler must send the delimiter itself)", F + ["EnvelopeParam"],
        [P_DELIM, ENV_ROUTER], RFC_REPLY[1:], err(DELIMITER, 0))
    g.t("reply-delimiter-routing-id", "Frame 0 is a routing id (00 6b 8b 45 67), as if the handler's routing "
        "frame were left in", F, [P_DELIM, ENV_ROUTER], [ROUTING_ID] + RFC_REPLY, err(DELIMITER, 0))

    # Version (frame 1).
    F = ["ZapVersion"]
    for slug, version, what in [("reply-version-1-1", "1.1", "'1.1'"),
                                ("reply-version-nul", "1.0\x00", "'1.0' plus a NUL"),
                                ("reply-version-empty", "", "empty")]:
        g.t(slug, f"Reply version frame {what}", F, [P_VERSION], [D, version] + RFC_REPLY[2:], err(VERSION, 1))

    # Status code (frame 3).
    F = ["ZapStatusCode"]
    for slug, code, what in [("status-201", "201", "'201'"), ("status-2000", "2000", "'2000'"),
                             ("status-empty", "", "empty"), ("status-ok", "OK", "'OK'"),
                             ("status-20", "20", "'20'"), ("status-space", " 200", "' 200'"),
                             ("status-nul", "200\x00", "'200' plus a NUL"), ("status-600", "600", "'600'")]:
        g.t(slug, f"Status code {what}: not one of 200, 300, 400, 500", F, [P_STATUS],
            [D, VER, RID, code, "OK", "", ""], err(STATUS, 3))

    # Status text (frame 4).
    F = ["ZapStatusText"]
    g.t("text-latin1", "Status text 'caf\\xe9' (octet e9): not ASCII", F, [STRINGS, P_TEXT],
        [D, VER, RID, "200", "caf\xe9", "joe", ""], err(TEXT, 4))
    g.t("text-high-octet", "Status text of one octet 80", F, [STRINGS, P_TEXT],
        [D, VER, RID, "400", "\x80", "", ""], err(TEXT, 4))
    g.t("text-256", "Status text of 256 octets: a string is at most 255", F, [STRINGS, P_TEXT],
        [D, VER, RID, "200", "t" * 256, "joe", ""], err(TEXT, 4))

    # User id (frame 5).
    F = ["ZapUserId"]
    g.t("user-id-with-400", "400 with user id 'joe': only a 200 may carry one", F + ["StatusCodes"],
        [P_UID_EMPTY, P_UID], [D, VER, RID, "400", "invalid password", "joe", ""], err(USER_ID, 5))
    g.t("user-id-with-300", "300 with user id 'joe'", F + ["StatusCodes"], [P_UID_EMPTY, P_UID],
        [D, VER, RID, "300", "later", "joe", ""], err(USER_ID, 5))
    g.t("user-id-with-500", "500 with user id 'joe'", F + ["StatusCodes"], [P_UID_EMPTY, P_UID],
        [D, VER, RID, "500", "", "joe", ""], err(USER_ID, 5))
    g.t("user-id-space-with-400", "400 whose user id is one space: not empty", F + ["StatusCodes"],
        [P_UID_EMPTY, P_UID], [D, VER, RID, "400", "no", " ", ""], err(USER_ID, 5))
    g.t("user-id-256", "200 with a 256-octet user id: a string is at most 255", F, [STRINGS, P_UID],
        [D, VER, RID, "200", "OK", "u" * 256, ""], err(USER_ID, 5))
    g.t("user-id-non-ascii", "200 with user id 'j\\xf6e' (octet f6): not ASCII", F, [STRINGS, P_UID],
        [D, VER, RID, "200", "OK", "j\xf6e", ""], err(USER_ID, 5))

    # Metadata (frame 6).
    F = ["ZapMetadata"]
    bad_meta = [
        ("metadata-name-space", prop("Dep artment", "x"), "a property name with a space"),
        ("metadata-name-colon", prop("a:b", "x"), "a property name with a colon"),
        ("metadata-empty-name", prop("", "x"), "a property whose name is empty (length octet 0)"),
        ("metadata-size-2-31", prop("X", "", size=0x80000000), "a value size of 2^31 (80 00 00 00)"),
        ("metadata-size-max", prop("X", "", size=0xFFFFFFFF), "a value size of 2^32-1"),
        ("metadata-cut-value", prop("Name", "abc", size=5), "a value of size 5 cut after 3 octets"),
        ("metadata-cut-size", b"\x04Name\x00\x00", "a property cut inside its value size"),
        ("metadata-cut-name", b"\x05ab", "a name length of 5 with 2 octets left"),
        ("metadata-good-then-cut", meta(("Role", "admin")) + b"\x04Qu", "a good property, then one cut in its name"),
    ]
    for slug, m, what in bad_meta:
        g.t(slug, f"200 whose metadata has {what}", F, [P_META], [D, VER, RID, "200", "OK", "joe", m],
            err(METADATA, 6))

    # Missing and extra frames.
    F = ["ZapMissingFrame"]
    g.t("reply-empty-message", "No frame at all", F + ["Empty"], [P_FRAMES], [], err(MISSING, 0))
    rnames = ["the delimiter", "the version", "the request id", "the status code", "the status text",
              "the user id", "the metadata"]
    for n in range(1, 7):
        g.t(f"reply-cut-{n}", f"The RFC's reply cut after {rnames[n - 1]} ({n} frame{'s' if n > 1 else ''}): "
            f"{rnames[n]} is missing (the metadata frame is there even when empty)", F, [P_FRAMES],
            RFC_REPLY[:n], err(MISSING, n))
    F = ["ZapExtraFrame"]
    g.t("reply-extra-empty-frame", "The RFC's reply plus an empty frame after the metadata", F, [P_FRAMES],
        RFC_REPLY + [""], err(EXTRA, 7))
    g.t("reply-extra-frame", "The RFC's reply plus a frame 'x' after the metadata", F, [P_FRAMES],
        RFC_REPLY + ["x"], err(EXTRA, 7))
    g.t("reply-two-extra-frames", "The RFC's reply plus two frames: the first extra is reported", F, [P_FRAMES],
        RFC_REPLY + ["x", "y"], err(EXTRA, 7))

    # First error wins.
    g.t("reply-status-before-user-id", "Status '201' and a user id: the status, frame 3, is reported",
        ["ZapStatusCode", "FirstErrorWins"], [P_STATUS, P_UID_EMPTY], [D, VER, RID, "201", "OK", "joe", ""],
        err(STATUS, 3))
    g.t("reply-user-id-before-metadata", "400 with user id 'joe' and a cut metadata property: the user id, "
        "frame 5, is reported", ["ZapUserId", "FirstErrorWins"], [P_UID_EMPTY, P_META],
        [D, VER, RID, "400", "no", "joe", b"\x05ab"], err(USER_ID, 5))
    g.t("reply-metadata-before-extra", "A bad metadata name and an extra frame: the metadata, frame 6, is "
        "reported", ["ZapMetadata", "FirstErrorWins"], [P_META, P_FRAMES],
        [D, VER, RID, "200", "OK", "joe", prop("a b", "x"), "x"], err(METADATA, 6))
    g.t("reply-version-then-cut", "The delimiter and version '1.0\\x00', nothing after: the version is "
        "reported", ["ZapVersion", "FirstErrorWins"], [P_VERSION, P_FRAMES], [D, "1.0\x00"], err(VERSION, 1))

    # ================================================================ replies, without the delimiter
    g = vf.group("reply", "none")
    g.t("none-rfc-reply", "The RFC's reply without its delimiter, as a REQ server receives it (and a REP "
        "handler sends it)", N, ALL_REPLY, RFC_REPLY[1:], ok(reply(RID, "200", "OK", "joe", "")))
    g.t("none-failure-400", "400 without the delimiter, empty user id and metadata", N + ["StatusCodes"],
        OK_REPLY + [P_UID_EMPTY], [VER, "1", "400", "invalid password", "", ""],
        ok(reply("1", "400", "invalid password", "", "")))
    g.t("none-ok-metadata", "200 without the delimiter, with three metadata properties", N + ["Metadata"],
        OK_REPLY + [P_META], [VER, RID, "200", "OK", "joe", m3], ok(reply(RID, "200", "OK", "joe", m3)))

    g.t("none-reply-delimiter-present", "The RFC's reply with its delimiter, read without an envelope: frame "
        "0, the version, is empty", ["ZapVersion", "EnvelopeParam"], [P_VERSION], RFC_REPLY, err(VERSION, 0))
    g.t("none-reply-version-1-1", "Version '1.1' as frame 0", ["ZapVersion"], [P_VERSION],
        ["1.1"] + RFC_REPLY[2:], err(VERSION, 0))
    g.t("none-status-201", "Status '201', frame 2", ["ZapStatusCode"], [P_STATUS],
        [VER, RID, "201", "OK", "", ""], err(STATUS, 2))
    g.t("none-text-non-ascii", "Status text with octet e9, frame 3", ["ZapStatusText"], [STRINGS, P_TEXT],
        [VER, RID, "200", "caf\xe9", "joe", ""], err(TEXT, 3))
    g.t("none-user-id-with-400", "400 with user id 'joe', frame 4", ["ZapUserId", "StatusCodes"],
        [P_UID_EMPTY, P_UID], [VER, RID, "400", "no", "joe", ""], err(USER_ID, 4))
    g.t("none-metadata-size-2-31", "Metadata value size 2^31, frame 5", ["ZapMetadata"], [P_META],
        [VER, RID, "200", "OK", "joe", prop("X", "", size=0x80000000)], err(METADATA, 5))
    g.t("none-extra-frame", "An extra frame after the metadata, frame 6", ["ZapExtraFrame"], [P_FRAMES],
        RFC_REPLY[1:] + [""], err(EXTRA, 6))
    F = ["ZapMissingFrame"]
    g.t("none-reply-empty-message", "No frame at all", F + ["Empty"], [P_FRAMES], [], err(MISSING, 0))
    for n in range(1, 6):
        g.t(f"none-reply-cut-{n}", f"The RFC's reply without delimiter, cut after {rnames[n]} "
            f"({n} frame{'s' if n > 1 else ''}): {rnames[n + 1]} is missing", F, [P_FRAMES], RFC_REPLY[1:1 + n],
            err(MISSING, n))
    return vf


# ==========================================================================

GENERATORS = [("zap", gen_zap)]


def main(argv=None):
    return vector_file.main(__doc__, GENERATORS, OUTDIR, GENERATED_SPECS, argv)


if __name__ == "__main__":
    sys.exit(main())
