"""The reports a binding author reads: a case page opens with one line (the clause, its RFC
sentence, what was expected, what happened); both directions are printed as `zwire
decode` prints them, each decoded in the version its side spoke, never as JSON, and
octets that do not decode are shown raw from where decoding stopped; the matrix opens with
the counts per verdict and per area, groups by area, filters to the non-passing rows
without JavaScript and links every clause to its registry entry; summary.md the same in
Markdown; messages say what happened, never "(got )"; --write-baseline's skeleton."""

import json
import pathlib
import re
import subprocess
import sys

import jsonschema
import pytest

CONFORMANCE = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(CONFORMANCE))

from zwire_conformance import decoded, wire, words  # noqa: E402
from zwire_conformance import report as R  # noqa: E402
from zwire_conformance import verdict as V  # noqa: E402
from zwire_conformance.cli import baseline_skeleton  # noqa: E402

SCHEMA = json.loads((CONFORMANCE / "schema" / "report.schema.json").read_text())
ZWIRE = CONFORMANCE.parent / "build" / "bin" / "zwire"


# --- both directions, as `zwire decode` prints them ------------------------------------------

STREAM = (wire.greeting() + wire.ready("PUSH", identity=b"id\x00") + wire.ping(15, b"ctx")
          + wire.command(b"ERROR", b"\x03bad") + wire.message(b"hello", b"x" * 100)
          + wire.command(b"SUBSCRIBE", b"news") + bytes([0x09, 3]) + b"abc")

# The layout of `zwire decode` (reference/cli/decode_print.c) for STREAM: offset, field,
# value; bodies 16 octets a line, cut at 64; then where decoding stopped, and the rest raw.
EXPECTED = """\
       0  greeting        ZMTP 3.x (23/ZMTP, 37/ZMTP), detected at offset 10
       0  signature       ff 00 00 00 00 00 00 00 00 7f
       1  padding         00 00 00 00 00 00 00 00 (not significant)
      10  version         3.1 (37/ZMTP)
      12  mechanism       NULL
      32  as-server       0
      33  filler          31 octets, all zero
      64  frame           flags 0x04 COMMAND, size 42
      66    05 52 45 41 44 59 0b 53 6f 63 6b 65 74 2d 54 79  .READY.Socket-Ty
      82    70 65 00 00 00 04 50 55 53 48 08 49 64 65 6e 74  pe....PUSH.Ident
      98    69 74 79 00 00 00 03 69 64 00                    ity....id.
      66  command         READY
      72    property      Socket-Type="PUSH"
      92    property      Identity=0x696400
     108  frame           flags 0x04 COMMAND, size 10
     110    04 50 49 4e 47 00 0f 63 74 78                    .PING..ctx
     110  command         PING
     115    ttl           15 deciseconds (1.5 s)
     117    context       "ctx"
     120  frame           flags 0x04 COMMAND, size 10
     122    05 45 52 52 4f 52 03 62 61 64                    .ERROR.bad
     122  command         ERROR
     128    reason        "bad"
     132  frame           flags 0x01 MORE, size 5
     134    68 65 6c 6c 6f                                   hello
     139  frame           flags 0x00, size 100
     141    78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78  xxxxxxxxxxxxxxxx
     157    78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78  xxxxxxxxxxxxxxxx
     173    78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78  xxxxxxxxxxxxxxxx
     189    78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78  xxxxxxxxxxxxxxxx
     205    ... 36 more octets not shown
     241  frame           flags 0x04 COMMAND, size 14
     243    09 53 55 42 53 43 52 49 42 45 6e 65 77 73        .SUBSCRIBEnews
     243  command         SUBSCRIBE
     253    topic         "news"
error: invalid-flags at offset 257 [zmtp31.frame.flags-reserved]
     257  not decoded     5 octets from here on
     257    09 03 61 62 63                                   ..abc
end: stopped at the error (262 octets)"""


def test_a_direction_is_printed_as_zwire_decode_prints_it():
    reading = decoded.read(STREAM, wire.greeting())
    assert reading.version == "3.1" and reading.why == "its own greeting"
    assert "\n".join(reading.lines()) == EXPECTED


def test_notes_of_the_transcript_show_where_they_happened():
    octets = wire.greeting() + wire.ready("PULL")
    lines = decoded.read(octets, b"").lines([(0, "greeting + READY (PULL)"),
                                             (len(octets), "connection closed")])
    assert lines[0] == "       0  # greeting + READY (PULL)"
    assert lines[-2:] == ["      92  # connection closed", "end: complete (92 octets)"]


def test_a_side_facing_a_2_0_peer_is_read_as_that_peer_reads_it():
    """A 3.x implementation writes major 3 before it knows our version, then steps down:
    read as a 2.0 peer reads it (revision 3 is 2.0, then socket type, identity, 2.0
    frames).  The suite's own 2.0 greeting is read as 2.0 too."""
    suite = wire.greeting_v2("PUSH") + wire.message(b"hi")
    implementation = bytes.fromhex("ff00000000000000017f03") + bytes([7, 0, 0]) + wire.message(b"yo")
    ours, theirs = decoded.connection(suite, implementation)
    assert ours.version == "2.0" and theirs.version == "2.0"
    assert "2.0 peer reads it" in theirs.why
    text = "\n".join(theirs.lines())
    assert "      10  revision        3" in text
    assert "      11  socket-type     7 (PULL)" in text
    assert "      14  frame           flags 0x00, size 2" in text
    assert text.endswith("end: complete (18 octets)")


def test_a_side_that_did_not_step_down_is_read_in_its_own_version():
    theirs = decoded.read(wire.greeting() + wire.ready("PULL"), wire.greeting_v2("PUSH"))
    assert theirs.version == "3.1"
    assert "did not step down" in theirs.why
    assert "      66  command         READY" in theirs.lines()


def test_garbage_is_shown_raw_from_where_decoding_stopped():
    bad = decoded.read(wire.greeting(mechanism=b"N LL") + b"abc", b"")
    lines = bad.lines()
    assert bad.version is None
    assert lines[0] == "       0  greeting        ZMTP 3.x (23/ZMTP, 37/ZMTP), detected at offset 10"
    assert lines[1] == "error: invalid-mechanism at offset 13 [zmtp31.greeting.mechanism-name]"
    assert lines[2] == "       0  not decoded     67 octets from here on"
    assert lines[3].startswith("       0    ff 00 00 00 00 00 00 00 00 7f 03 01 4e 20 4c 4c")
    http = decoded.read(b"GET / HTTP/1.1\r\n", b"").lines()
    assert http[0] == "       0  greeting        ZMTP 1.0 (13/ZMTP), detected at offset 0"
    assert "not a whole greeting" in http[1] and "GET / HTTP/1.1.." in http[2]
    cut = decoded.read(wire.greeting() + b"\x00\x05ab", b"").lines()
    assert "      64  frame           flags 0x00, size 5 (2 read)" in cut
    assert cut[-1] == "end: incomplete (4 octets into the frame at offset 64)"
    assert decoded.read(b"", b"").lines() == ["end: nothing sent (0 octets)"]


# --- a case record, as the runner writes it ----------------------------------------------------

RFC = "Subscriptions ... SHALL NOT be idempotent."


def transcript(*entries):
    """Transcript entries (conn, dir, octets, note) with running offsets."""
    out, offsets = [], {}
    for i, (conn, direction, octets, note) in enumerate(entries):
        at = offsets.get((conn, direction), 0)
        out.append({"t": float(i), "conn": conn, "dir": direction, "offset": at,
                    "hex": octets.hex(), "note": note})
        offsets[(conn, direction)] = at + len(octets)
    return out


def record(case_id="zmtp.x.counted@binds", area="subscriptions", verdict=V.FAIL,
           expectations=None, **extra):
    clauses = [{"id": "zmtp31.pubsub.counted", "keyword": "SHALL NOT", "binds": "behaviour",
                "statement": "Subscriptions count.", "rfc": RFC, "file": "spec/zmtp31.md",
                "line": 42, "section": "SUBSCRIBE"},
               {"id": "zmtp31.frame.flags-reserved", "keyword": "MUST", "binds": "sender",
                "statement": "Reserved bits are zero.", "rfc": "MUST be zero.",
                "file": "spec/zmtp31.md", "line": 7, "section": "Framing"}]
    if expectations is None:
        expectations = [
            {"clause": "zmtp31.pubsub.counted", "keyword": "SHALL NOT", "binds": "behaviour",
             "what": "after one CANCEL of two, t1 still arrives", "met": False,
             "verdict": V.FAIL, "alternative": None, "happened": "it sent ['m-end-1']"}]
    octets_in = wire.greeting() + wire.ready("PUB") + wire.message(b"m-end-1")
    r = {"id": case_id, "slug": case_id.split("@")[0], "role": "binds", "area": area,
         "title": "Subscribing twice needs cancelling twice", "clauses": clauses,
         "verdict": verdict, "reason": "", "expectations": expectations, "notes": ["a note"],
         "robustness": None, "robustnessDetail": "",
         "ending": [{"conn": "conn1", "closedBy": "suite", "how": None, "errorCommand": None,
                     "story": "it greeted as ZMTP 3.1, then sent READY, and kept the "
                              "connection open until the suite closed it"}],
         "transcript": transcript(("conn1", "out", wire.greeting() + wire.ready("SUB"),
                                   "greeting + READY (SUB)"),
                                  ("conn1", "in", octets_in, "")),
         "decoded": [], "adapterLog": "", "seconds": 0.1}
    r.update(extra)
    return r


def test_the_headline_is_the_clause_its_rfc_sentence_what_was_expected_and_what_happened():
    text = R.headline_text(record())
    assert text == ("FAIL zmtp31.pubsub.counted (SHALL NOT, binds the behaviour): \u201c%s\u201d "
                    "Expected: after one CANCEL of two, t1 still arrives. "
                    "Happened: it sent ['m-end-1']." % RFC)
    reported = record(verdict=V.INFO, expectations=[
        {"clause": "zmtp31.frame.flags-reserved", "keyword": "MUST", "binds": "sender",
         "what": "PING with flags 0x84", "met": None, "verdict": V.INFO, "alternative": None,
         "reported": True, "happened": "it sent PONG and kept the connection open"}])
    assert "Our input: PING with flags 0x84. Happened: it sent PONG" in R.headline_text(reported)
    # a case that did not say what happened apart: its "(...)", else the connection's story
    old = record(expectations=[{"clause": "zmtp31.pubsub.counted", "keyword": "SHALL NOT",
                                "what": "t1 arrives (it sent nothing)", "met": False,
                                "verdict": V.FAIL, "alternative": None}])
    assert R.headline(old)["expected"] == "t1 arrives"
    assert R.headline(old)["happened"] == "it sent nothing"
    old["expectations"][0]["what"] = "t1 arrives"
    assert R.headline(old)["happened"].startswith("conn1: it greeted as ZMTP 3.1")
    not_exercised = record(verdict=V.NOT_EXERCISED, expectations=[],
                           reason="not exercised: no greeting: it sent nothing, and closed "
                                  "the connection 3 ms after our last octets [our greeting]")
    assert R.headline_text(not_exercised) == (
        "NOT-EXERCISED: no greeting: it sent nothing, and closed the connection 3 ms after "
        "our last octets [our greeting]")


def test_a_case_page_opens_with_the_headline_and_prints_both_directions_decoded():
    page = R.case_page(record())
    top = page.index("class='headline'")
    assert top < page.index("<h2>Expectations</h2>")
    headline = page[top:page.index("</div>", top)]
    assert "href='../clauses.html#zmtp31.pubsub.counted'" in headline
    assert "<q>%s</q>" % RFC in headline
    assert "Expected: after one CANCEL of two, t1 still arrives" in headline
    assert "Happened: it sent [&#x27;m-end-1&#x27;]" in headline
    # both directions, as zwire decode prints them, never JSON
    assert "<h3>conn1: the suite sent (ZMTP 3.1, its own greeting)</h3>" in page
    assert "<h3>conn1: the implementation sent (ZMTP 3.1, its own greeting)</h3>" in page
    assert "       0  # greeting + READY (SUB)" in page
    assert "      72    property      Socket-Type=&quot;SUB&quot;" in page
    assert "      72    property      Socket-Type=&quot;PUB&quot;" in page
    assert "      91  frame           flags 0x00, size 7" in page
    assert '{"' not in page and "&quot;greeting&quot;:" not in page
    assert "conn1</b>: it greeted as ZMTP 3.1" in page


def matrix_report():
    cases = [record("zmtp.a.one@binds", "framing", V.PASS, expectations=[
                 {"clause": "zmtp31.frame.flags-reserved", "keyword": "MUST", "binds": "sender",
                  "what": "flags clean", "met": True, "verdict": V.PASS, "alternative": None}]),
             record("zmtp.a.two@binds", "framing", V.INFO, expectations=[
                 {"clause": "zmtp31.frame.flags-reserved", "keyword": "MUST", "binds": "sender",
                  "what": "flags 0x08", "met": None, "verdict": V.INFO, "alternative": None,
                  "reported": True, "happened": "it closed the connection"}]),
             record("zmtp.b.one@binds", "subscriptions", V.FAIL),
             record("zmtp.b.two@binds", "subscriptions", V.PASS, robustness=V.ROBUST_DIED,
                    expectations=[{"clause": "zmtp31.pubsub.counted", "keyword": "SHALL NOT",
                                   "what": "t2 arrives", "met": True, "verdict": V.PASS,
                                   "alternative": None}])]
    return R.build(cases, {"suite": {"name": "zwire-conformance", "version": "0"},
                           "implementation": {"name": "impl", "version": "1"},
                           "adapter": {"command": "impl-adapter", "capabilities": {}},
                           "speaks": "impl speaks ZMTP 3.1", "profile": "rfc-strict",
                           "strict": False, "timeoutMultiplier": 1.0, "started": "now",
                           "seconds": 1.0})


def rows(page):
    """{case id: the classes of its matrix row}."""
    return {m.group(2): m.group(1).split() for m in
            re.finditer(r"<tr class='([^']*)' id='case-([^']*)'>", page)}


def test_the_matrix_opens_with_counts_per_verdict_and_area_groups_filters_and_links(tmp_path):
    rep = matrix_report()
    R.write_all(rep, str(tmp_path))
    jsonschema.validate(json.loads((tmp_path / "report.json").read_text()), SCHEMA)
    page = (tmp_path / "index.html").read_text()
    counts = page.index("<h2>Counts per verdict</h2>")
    areas = page.index("<h2>Counts per area</h2>")
    matrix = page.index("<div class='matrix'")
    assert counts < areas < matrix
    assert "<a href='#only-PASS'>2</a>" in page and "<a href='#only-FAIL'>1</a>" in page
    # per area: cases, not passing, then the verdicts of the run
    assert re.search(r"<a href='#area-framing'>framing</a></td><td>2</td><td>1</td>"
                     r"<td>1</td><td>1</td><td>0</td>", page)
    assert re.search(r"<a href='#area-subscriptions'>subscriptions</a></td><td>2</td><td>2</td>"
                     r"<td>1</td><td>0</td><td>1</td>", page)
    # grouped by area, in the order the cases ran
    assert page.index("<section id='area-framing'>") < page.index("zmtp.a.two@binds") \
        < page.index("<section id='area-subscriptions'>") < page.index("zmtp.b.one@binds")
    # the non-passing filter: a row class and a :target rule, no script
    classes = rows(page)
    assert "np" not in classes["zmtp.a.one@binds"]
    assert {"np", "v-INFO"} <= set(classes["zmtp.a.two@binds"])
    assert {"np", "v-FAIL"} <= set(classes["zmtp.b.one@binds"])
    assert "np" in classes["zmtp.b.two@binds"]          # a PASS after which it died
    assert "#not-passing:target ~ .matrix tr.case:not(.np){display:none}" in page
    assert "#only-FAIL:target ~ .matrix tr.case:not(.v-FAIL){display:none}" in page
    assert "<span id='not-passing'></span>" in page and "href='#not-passing'" in page
    assert "<script" not in page
    # every clause links to its registry entry, which clauses.html holds, with its source
    assert "<a href='clauses.html#zmtp31.pubsub.counted'>zmtp31.pubsub.counted</a>" in page
    assert "<a href='cases/zmtp.b.one-at-binds.html'>FAIL</a>" in page
    clauses = (tmp_path / "clauses.html").read_text()
    assert "<tr id='zmtp31.pubsub.counted'>" in clauses
    assert "<tr id='zmtp31.frame.flags-reserved'>" in clauses
    assert re.search(r"href='[^']*spec/zmtp31.md#:~:text=zmtp31.pubsub.counted'>"
                     r"spec/zmtp31.md, line 42</a>", clauses)
    assert "<q>%s</q>" % RFC in clauses
    assert "href='cases/zmtp.b.one-at-binds.html'" in clauses


def test_summary_md_counts_per_area_and_lists_the_non_passing_by_area(tmp_path):
    rep = matrix_report()
    R.write_all(rep, str(tmp_path))
    md = (tmp_path / "summary.md").read_text()
    assert "| FAIL | 1 |" in md
    assert "| area | cases | PASS | INFO | FAIL |" in md
    assert "| framing | 2 | 1 | 1 | 0 |" in md and "| subscriptions | 2 | 1 | 0 | 1 |" in md
    listed = md[md.index("## Not passing, by area"):]
    assert "zmtp.a.one@binds" not in listed
    assert listed.index("### framing") < listed.index("zmtp.a.two@binds") \
        < listed.index("### subscriptions") < listed.index("zmtp.b.one@binds")
    assert re.search(r"\[`zmtp31.pubsub.counted`\]\([^)]*spec/zmtp31.md#:~:text="
                     r"zmtp31.pubsub.counted\)", listed)
    assert "spec/zmtp31.md#:~:text=zmtp31.frame.flags-reserved)" in listed
    assert "| after one CANCEL of two, t1 still arrives | it sent ['m-end-1'] |" in listed


def test_words_never_render_a_repr_or_an_empty_got():
    assert words.delivered(None) == "it delivered nothing"
    assert words.delivered([b"ab", b"", b"\x00\xe4"]) == "it delivered ['ab', '', 0x00e4]"
    assert words.sent([]) == "it sent no message"
    assert words.sent([[b"a1"], [b"b1"]]) == "it sent ['a1'], ['b1']"
    assert words.octets(b"x" * 40) == "'%s'... (40 octets)" % ("x" * 32)
    assert words.value({"class": "malformed-command", "offset": 93,
                        "clause": "zmtp31.command.name"}) == \
        "malformed-command at offset 93 (zmtp31.command.name)"
    assert words.value(None) == "none" and words.value([]) == "none"


class Conn:
    """What words.sent reads of a RawConnection: its decoded inbound stream."""

    def __init__(self, octets):
        self.inbound = wire.InboundStream()
        self.inbound.push(octets)


def test_what_follows_the_last_whole_message_is_told_too():
    """A peer whose last frame keeps MORE, or whose frame header announces more than it
    sends, or whose octets stop decoding, did not just 'send no message'."""
    head = wire.greeting() + wire.ready("PUSH")
    more = Conn(head + wire.message(b"a") + wire.frame(b"b", more=True) + wire.frame(b"c", more=True))
    assert words.sent(more.inbound.messages(), more) == (
        "it sent ['a'], then 2 frames of a message it did not finish (MORE on the last)")
    cut = Conn(head + bytes([0x02, 0, 0, 0, 0, 0, 0, 1, 0]) + b"xy")
    assert words.sent(cut.inbound.messages(), cut) == (
        "it sent no message, then a frame announcing 256 octets, 2 of them received")
    bad = Conn(head + bytes([0x08, 1, 1]))
    assert words.sent([], bad) == ("it sent no message, then octets that do not decode "
                                   "(invalid-flags at offset 92, zmtp31.frame.flags-reserved)")
    assert words.sent([[b"x"]], Conn(head + wire.message(b"x"))) == "it sent ['x']"


def test_the_baseline_skeleton_keeps_reasons_and_says_what_the_suite_saw():
    rep = matrix_report()
    old = {"zmtp.b.one@binds": {"case": "zmtp.b.one@binds", "verdict": V.FAIL,
                                "reason": "it keeps a set"}}
    skeleton = baseline_skeleton(rep, old)
    assert [e["case"] for e in skeleton["entries"]] == ["zmtp.b.one@binds"]
    entry = skeleton["entries"][0]
    assert entry["clauses"] == ["zmtp31.pubsub.counted"] and entry["rfc"] == [RFC]
    assert entry["reason"] == "it keeps a set"
    fresh = baseline_skeleton(rep, {})["entries"][0]["reason"]
    assert fresh.startswith("TODO") and "it sent ['m-end-1']" in fresh


@pytest.mark.skipif(not ZWIRE.exists(), reason="build/bin/zwire is not built (make)")
def test_a_real_run_reads_as_it_should(tmp_path):
    """Against the reference peer: the INFO case page says what we sent and what it did,
    decodes our reserved-flag frame where it breaks, and no message of the run prints a
    Python repr or an empty "(got )"."""
    done = subprocess.run(
        [sys.executable, "-m", "zwire_conformance", "--implementation", "zwire", "-q",
         "--case", "zmtp.framing.reserved-flag-message@binds",
         "--case", "zmtp.framing.multipart-whole@binds",
         "--case", "zmtp.greeting.signature@binds", "--report-dir", str(tmp_path)],
        cwd=CONFORMANCE, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads((tmp_path / "report.json").read_text())
    jsonschema.validate(report, SCHEMA)
    for case in report["cases"]:
        for e in case["expectations"]:
            for text in (e["what"], e.get("happened", "")):
                assert not re.search(r"\(got\b|\bb'|\bNone\b|\bTrue\b|\bFalse\b", text), text
        for d in case["decoded"]:
            assert d["fromSuite"]["version"] == "3.1"
    page = (tmp_path / "cases" / "zmtp.framing.reserved-flag-message-at-binds.html").read_text()
    assert "Our input: flags 0x08, body &#x27;bad&#x27;, then a message &#x27;after&#x27;" in page
    assert "Happened: it sent nothing and closed the connection" in page
    assert "# flags 0x08, body &#x27;bad&#x27;, then a message &#x27;after&#x27;" in page
    assert "frame           flags 0x08, size 3" not in page   # the suite's bad frame ...
    assert "error: invalid-flags at offset" in page            # ... stops decoding there
