"""Tests for vectors/tools/gen_zap.py: its refusals, and the generated table read back.

The expected reports are written by hand in the generator; these tests never decode.  They
check what can be checked without a decoder: counts and coverage of every error class, the
frame each error names, the RFC's examples, the addresses against Python's own canonical
forms, the round trip of FORMAT.md (encoding each valid vector's message gives its frames
back), and that generating twice gives the same file, the one in the tree.
"""

import ipaddress
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import gen_zap as gen  # noqa: E402
import vector_file  # noqa: E402


@pytest.fixture(scope="module")
def obj():
    """The rendered file object (tcIds from a scratch registry, the real one untouched)."""
    (area, g), = gen.GENERATORS
    assert area == "zap"
    return g().render({"slugs": {}, "retired": []})


def vectors_of(obj):
    return [(grp, t) for grp in obj["testGroups"] for t in grp["tests"]]


def scratch_group(direction="request", envelope="delimiter"):
    return gen.VFile("scratch", ["test"]).group(direction, envelope)


def test_counts_and_results(obj):
    assert obj["protocol"] == "zap"
    tests = vectors_of(obj)
    assert len(tests) >= 150
    assert {t["result"] for _g, t in tests} == {"valid", "acceptable"}, \
        "a malformed ZAP message is acceptable, never invalid"
    assert [g["params"] for g in obj["testGroups"]] == [
        {"direction": d, "envelope": e} for d in ("request", "reply") for e in ("delimiter", "none")]
    for _g, t in tests:
        assert (t["result"] == "valid") == (t["expected"]["state"] == "complete"), t["comment"]


def test_every_error_class_at_least_twice(obj):
    seen = {}
    for _g, t in vectors_of(obj):
        if t["expected"]["error"]:
            cls = t["expected"]["error"]["class"]
            seen[cls] = seen.get(cls, 0) + 1
    assert set(seen) == set(gen.CLASS_OF.values())
    assert min(seen.values()) >= 2, seen


def test_errors_name_the_frame_of_their_field(obj):
    """Offsets re-derived from the layout here, independently of the generator's check."""
    request = ["version", "request_id", "domain", "address", "identity", "mechanism"]
    reply = ["version", "request_id", "status_code", "status_text", "user_id", "metadata"]
    field_of = {gen.VERSION: "version", gen.DOMAIN: "domain", gen.ADDRESS: "address",
                gen.IDENTITY: "identity", gen.MECHANISM: "mechanism", gen.STATUS: "status_code",
                gen.TEXT: "status_text", gen.USER_ID: "user_id", gen.METADATA: "metadata"}
    for grp, t in vectors_of(obj):
        e = t["expected"]["error"]
        if not e:
            continue
        base = 1 if grp["params"]["envelope"] == "delimiter" else 0
        layout = request if grp["params"]["direction"] == "request" else reply
        n, at, cls = len(t["input"]), e["offset"], e["class"]
        if cls == gen.MISSING:
            assert at == n, t["comment"]
        elif cls == gen.DELIMITER:
            assert base == 1 and at == 0 and t["input"][0] != "", t["comment"]
        elif cls == gen.EXTRA:
            assert layout is reply and at == base + len(reply) < n, t["comment"]
        elif cls == gen.CREDENTIALS:
            assert layout is request and base + len(request) <= at <= n, t["comment"]
        else:
            assert at == base + layout.index(field_of[cls]) < n, t["comment"]


def test_the_rfc_examples_are_there_verbatim(obj):
    wire = {g["params"]["direction"]: g for g in obj["testGroups"] if g["params"]["envelope"] == "delimiter"}
    examples = [("request", ["", "1.0", "0001", "test", "192.168.55.1", "BOB", "NULL"]),
                ("request", ["", "1.0", "0001", "test", "192.168.55.1", "BOB", "PLAIN", "admin", "secret"]),
                ("reply", ["", "1.0", "0001", "200", "OK", "joe", ""])]
    for direction, frames in examples:
        hexes = [f.encode().hex() for f in frames]
        found = [t for t in wire[direction]["tests"] if t["input"] == hexes]
        assert len(found) == 1 and "RfcExample" in found[0]["flags"] and "RFC" in found[0]["comment"]
        assert found[0]["result"] == "valid"


def encode(m, params):
    """The frames of message M under the group's params (FORMAT.md: every ZAP encoding is canonical)."""
    head = [b""] if params["envelope"] == "delimiter" else []
    if params["direction"] == "request":
        keys = ["request_id", "domain", "address", "identity", "mechanism"]
        tail = [bytes.fromhex(c) for c in m["credentials"]]
    else:
        keys = ["request_id", "status_code", "status_text", "user_id", "metadata"]
        tail = []
    return head + [b"1.0"] + [bytes.fromhex(m[k]) for k in keys] + tail


def test_round_trip_of_every_valid_vector(obj):
    n = 0
    for grp, t in vectors_of(obj):
        if t["result"] == "valid":
            assert [f.hex() for f in encode(t["expected"]["message"], grp["params"])] == t["input"], t["comment"]
            n += 1
    assert n >= 60


def canonical(text):
    """Python's own canonical text of an address (RFC 5952 for IPv6, mixed notation for an
    IPv4-mapped one), or None if it is no address."""
    if "%" in text:
        return None                                  # a zone index is no address form of ZAP's
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return None
    if ip.version == 6 and ip.ipv4_mapped is not None:
        return "::ffff:" + str(ip.ipv4_mapped)
    return str(ip)


def test_addresses_agree_with_python(obj):
    good = bad = 0
    for grp, t in vectors_of(obj):
        if grp["params"]["direction"] != "request":
            continue
        at = (1 if grp["params"]["envelope"] == "delimiter" else 0) + 3
        if len(t["input"]) <= at:
            continue
        e = t["expected"]["error"]
        if e and e["offset"] < at:
            continue                                 # never read
        try:
            text = bytes.fromhex(t["input"][at]).decode("ascii")
        except UnicodeDecodeError:
            text = None
        if e and e["class"] == gen.ADDRESS:
            assert text is None or canonical(text) != text, t["comment"]
            bad += 1
        else:
            assert text is not None and canonical(text) == text, t["comment"]
            good += 1
    assert good >= 20 and bad >= 15


def test_generating_twice_gives_the_same_file():
    (_area, g), = gen.GENERATORS
    first = vector_file.dump(g().render({"slugs": {}, "retired": []}))
    second = vector_file.dump(g().render({"slugs": {}, "retired": []}))
    assert first == second


def test_the_file_in_the_tree_is_up_to_date(capsys):
    assert gen.main(["--check"]) == 0
    assert "0 out of date" in capsys.readouterr().out


def test_refuses_an_error_without_its_class_flag():
    g = scratch_group()
    with pytest.raises(AssertionError):
        g.t("a", "a", ["Valid"], [gen.R_VERSION], [gen.D, "1.1"] + gen.RFC_NULL[2:], gen.err(gen.VERSION, 1))
    with pytest.raises(AssertionError):     # the flag of another class
        g.t("b", "b", ["ZapDomain"], [gen.R_VERSION], [gen.D, "1.2"] + gen.RFC_NULL[2:], gen.err(gen.VERSION, 1))


def test_refuses_an_offset_that_names_another_frame():
    g = scratch_group()
    with pytest.raises(AssertionError):
        g.t("a", "a", ["ZapVersion"], [gen.R_VERSION], [gen.D, "1.1"] + gen.RFC_NULL[2:], gen.err(gen.VERSION, 0))
    with pytest.raises(AssertionError):     # a missing frame is at the frame count
        g.t("b", "b", ["ZapMissingFrame"], [gen.R_FRAMES], gen.RFC_NULL[:3], gen.err(gen.MISSING, 2))
    with pytest.raises(AssertionError):     # without the delimiter the version is frame 0
        scratch_group("request", "none").t("c", "c", ["ZapVersion"], [gen.R_VERSION],
                                           ["1.1"] + gen.RFC_NULL[2:], gen.err(gen.VERSION, 1))
    with pytest.raises(AssertionError):     # no delimiter to be wrong without an envelope
        scratch_group("request", "none").t("d", "d", ["ZapDelimiter"], [gen.R_DELIM],
                                           ["x"] + gen.RFC_NULL[2:], gen.err(gen.DELIMITER, 0))


def test_refuses_an_error_that_does_not_cite_the_codecs_clause_first():
    g = scratch_group()
    with pytest.raises(AssertionError):
        g.t("a", "a", ["ZapVersion"], [gen.R_FRAMES, gen.R_VERSION], [gen.D, "1.1"] + gen.RFC_NULL[2:],
            gen.err(gen.VERSION, 1))
    with pytest.raises(AssertionError):     # a reply's clause in a request group
        g.t("b", "b", ["ZapVersion"], [gen.P_VERSION], [gen.D, "1.2"] + gen.RFC_NULL[2:], gen.err(gen.VERSION, 1))


def test_refuses_the_same_frames_twice_and_a_message_of_the_other_direction():
    g = scratch_group()
    msg = gen.ok(gen.request(gen.RID, "test", gen.ADDR4, "BOB", "NULL"))
    g.t("a", "a", ["Valid"], gen.OK_NULL, gen.RFC_NULL, msg)
    with pytest.raises(AssertionError):
        g.t("b", "b", ["Valid"], gen.OK_NULL, gen.RFC_NULL, msg)
    with pytest.raises(AssertionError):
        scratch_group("request").t("c", "c", ["Valid"], gen.OK_REPLY, gen.RFC_REPLY,
                                   gen.ok(gen.reply(gen.RID, "200", "OK", "joe", "")))


def test_valid_messages_of_a_delimiter_group_cite_the_delimiter_rows(obj):
    for grp, t in vectors_of(obj):
        if t["result"] == "valid" and grp["params"]["envelope"] == "delimiter":
            want = ({gen.R_DELIM, gen.ENV_DEALER} if grp["params"]["direction"] == "request"
                    else {gen.P_DELIM, gen.ENV_ROUTER})
            assert want <= set(t["clauses"]), t["comment"]
