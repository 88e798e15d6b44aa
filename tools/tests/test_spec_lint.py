"""tools/spec_lint.py on small temporary trees: each test plants one kind of fault and
asserts the exact problem lines, then the real registry is checked as a whole."""

import os
import shutil
import subprocess

import pytest

import treeutil
from treeutil import cid, row, write, write_spec, write_vectors, write_waivers

import zwire_spec

spec_lint = treeutil.load_tool("spec_lint")

FLAGS = cid("zmtp31", "frame", "flags-reserved")
PING = cid("zmtp31", "heartbeat", "ping-any-time")
READY = cid("zmtp31", "null", "server-ready-reply")


@pytest.fixture
def small(monkeypatch):
    """A tiny contract: two digest statements, one mandatory wire clause."""
    monkeypatch.setattr(zwire_spec, "DIGEST_COVERAGE", {"ZMTP31": 2})
    monkeypatch.setattr(zwire_spec, "MANDATORY_WIRE", {FLAGS: "MUST"})


def base_rows():
    return [row(FLAGS, "MUST", digest="ZMTP31-01"),
            row(PING, "MAY", testability="behaviour", digest="ZMTP31-02"),
            row(READY, "MUST", role="server", testability="behaviour")]


def problems_of(root):
    problems, stats = spec_lint.lint(str(root))
    return [str(p) for p in problems], stats


def test_clean_tree(tmp_path, small, capsys):
    write_spec(tmp_path, "zmtp31", base_rows())
    assert spec_lint.main(["--root", str(tmp_path)]) == 0
    assert capsys.readouterr().out == \
        "spec-lint: 3 clauses in 1 specs, 0 citations checked, 0 problems\n"


def test_malformed_ids(tmp_path, small):
    first = write_spec(tmp_path, "zmtp31", base_rows() + [
        row("zmtp31.Frame.Bad"),
        row(cid("zmtp31", "frame")),
        row(cid("zmtp31", "frame", "") + "-dash"),
    ])
    problems, stats = problems_of(tmp_path)
    assert problems == [
        "spec/zmtp31.md:%d: malformed clause ID 'zmtp31.Frame.Bad' (want "
        "<spec>.<area>.<slug>, lower case, segments of [a-z0-9-])" % (first + 3),
        "spec/zmtp31.md:%d: malformed clause ID 'zmtp31.frame' (needs at least 3 segments)"
        % (first + 4),
        "spec/zmtp31.md:%d: malformed clause ID %r (want "
        "<spec>.<area>.<slug>, lower case, segments of [a-z0-9-])"
        % (first + 5, cid("zmtp31", "frame", "") + "-dash"),
    ]
    assert stats["clauses"] == 3


def test_short_form_only_for_z85(tmp_path, small):
    first = write_spec(tmp_path, "z85", [row(cid("z85", "decode"), "SHALL",
                                             role="decoder", digest="Z85-07")])
    write_spec(tmp_path, "zmtp31", base_rows())
    assert problems_of(tmp_path)[0] == []
    assert first == 7


def test_prefix_must_match_file(tmp_path, small):
    first = write_spec(tmp_path, "zmtp31", base_rows() + [
        row(cid("zmtp30", "frame", "flags-reserved"))])
    assert problems_of(tmp_path)[0] == [
        "spec/zmtp31.md:%d: clause ID 'zmtp30.frame.flags-reserved' does not start with "
        "this file's spec id 'zmtp31'" % (first + 3)]


def test_duplicate_id(tmp_path, small):
    first = write_spec(tmp_path, "zmtp31", base_rows() + [row(PING, "MAY")])
    problems, stats = problems_of(tmp_path)
    assert problems == [
        "spec/zmtp31.md:%d: duplicate clause ID %r (first at spec/zmtp31.md:%d)"
        % (first + 3, PING, first + 1)]
    assert stats["clauses"] == 3


def test_unknown_keyword_role_and_testability(tmp_path, small):
    first = write_spec(tmp_path, "zmtp31", base_rows() + [
        row(cid("zmtp31", "frame", "one"), "must"),
        row(cid("zmtp31", "frame", "two"), "MUST", role="router"),
        row(cid("zmtp31", "frame", "three"), "MUST", testability="untestable"),
        row(cid("zmtp31", "frame", "four"), "MUST", testability="manual"),
        row(cid("zmtp31", "frame", "five"), "MUST", testability="untestable: no wire"),
    ])
    problems, _ = problems_of(tmp_path)
    kw = ", ".join(zwire_spec.KEYWORDS)
    roles = ", ".join(zwire_spec.ROLES)
    assert problems == [
        "spec/zmtp31.md:%d: unknown keyword 'must' (want one of %s)" % (first + 3, kw),
        "spec/zmtp31.md:%d: unknown role 'router' (want one of %s)" % (first + 4, roles),
        "spec/zmtp31.md:%d: bad testability 'untestable' (want wire, behaviour or "
        "'untestable: <reason>')" % (first + 5),
        "spec/zmtp31.md:%d: bad testability 'manual' (want wire, behaviour or "
        "'untestable: <reason>')" % (first + 6),
    ]


def test_binds_and_the_rfc_sentence(tmp_path, small):
    """Whom a clause binds is one of three; the RFC cell is there, says the clause's
    keyword (a grammar rule has none to say), and a receiver duty names its action."""
    first = write_spec(tmp_path, "zmtp31", base_rows() + [
        row(cid("zmtp31", "frame", "one"), binds="reader"),
        row(cid("zmtp31", "frame", "two"), rfc=""),
        row(cid("zmtp31", "frame", "three"), "MUST", digest="ZMTP31-02",
            rfc="A peer MAY send it."),
        row(cid("zmtp31", "frame", "four"), "MUST", binds="receiver",
            rfc="The flags MUST be zero."),
        row(cid("zmtp31", "frame", "five"), "MUST", binds="receiver",
            rfc="The peer MUST close the connection."),
        row(cid("zmtp31", "frame", "six"), "SHALL NOT", digest="ZMTP31-01",
            rfc="Names SHALL NOT be significant."),
    ])
    problems, _ = problems_of(tmp_path)
    assert problems == [
        "spec/zmtp31.md:%d: unknown binds 'reader' (want one of sender, receiver, behaviour)"
        % (first + 3),
        "spec/zmtp31.md:%d: empty RFC cell (the RFC sentence the clause restates, verbatim)"
        % (first + 4),
        "spec/zmtp31.md:%d: the RFC sentence does not say MUST: the keyword restates another "
        "sentence, or drifted" % (first + 5),
        "spec/zmtp31.md:%d: a receiver duty whose RFC sentence names no action of the receiver "
        "(close, reject, ignore, treat as ...): bind it to the sender or the behaviour, or "
        "quote the sentence that names it" % (first + 6),
    ]


def test_bad_digest_cells(tmp_path, small):
    first = write_spec(tmp_path, "zmtp31", base_rows() + [
        row(cid("zmtp31", "frame", "one"), digest="ZMTP31-3"),
        row(cid("zmtp31", "frame", "two"), digest="abnf"),
    ])
    problems, _ = problems_of(tmp_path)
    assert problems == [
        "spec/zmtp31.md:%d: digest reference 'ZMTP31-3' is out of range (ZMTP31-01..02)"
        % (first + 3),
        "spec/zmtp31.md:%d: bad digest reference 'abnf' (want ABNF or a statement ID like "
        "ZMTP30-28)" % (first + 4),
    ]


def test_missing_digest_coverage(tmp_path, monkeypatch, small):
    monkeypatch.setattr(zwire_spec, "DIGEST_COVERAGE", {"ZMTP31": 2, "Z85": 1})
    write_spec(tmp_path, "zmtp31", [row(FLAGS, digest="ZMTP31-01"), row(READY)])
    assert problems_of(tmp_path)[0] == [
        "spec:0: digest statement ZMTP31-02 is not restated by any clause",
        "spec:0: digest statement Z85-01 is not restated by any clause",
    ]


def test_mandatory_wire_ids(tmp_path, monkeypatch, small):
    other = cid("zmtp31", "frame", "long-size")
    gone = cid("zmtp31", "command", "ping")
    monkeypatch.setattr(zwire_spec, "MANDATORY_WIRE",
                        {FLAGS: "MUST", other: "MUST", gone: "MUST"})
    first = write_spec(tmp_path, "zmtp31", base_rows() + [
        row(other, "SHALL", testability="behaviour")])
    assert problems_of(tmp_path)[0] == [
        "spec/zmtp31.md:%d: mandatory clause %s must have testability wire"
        % (first + 3, other),
        "spec/zmtp31.md:%d: mandatory clause %s must have keyword MUST, not SHALL"
        % (first + 3, other),
        "spec/zmtp31.md:0: mandatory wire clause %s is missing" % gone,
    ]


def line_with(root, rel, text):
    """The 1-based number of the first line of `rel` containing `text`."""
    with open(os.path.join(str(root), rel), encoding="utf-8") as f:
        return next(n for n, line in enumerate(f, 1) if text in line)


def test_unknown_citations(tmp_path, small):
    write_spec(tmp_path, "zmtp31", base_rows())
    bogus = cid("zmtp31", "frame", "bogus")
    nope = cid("curve", "hello", "nope")
    worker = cid("mdp01", "worker", "x")
    write(tmp_path, "codec/zmtp_frame.rl",
          "/* %s */\n/* %s and %s */\n" % (FLAGS, bogus, READY))
    write(tmp_path, "Makefile", "# see %s\n" % nope)
    write(tmp_path, "conformance/cases/test_x.py", "CLAUSES = [%r]  # %s.\n" % (PING, worker))
    vec = "vectors/zmtp/frame_test.json"
    write_vectors(tmp_path, vec, [(1, [FLAGS]), (2, [bogus, "not an id"])])
    problems, stats = problems_of(tmp_path)
    assert problems == [
        "Makefile:1: cites unknown clause %r" % nope,
        "codec/zmtp_frame.rl:2: cites unknown clause %r" % bogus,
        "conformance/cases/test_x.py:1: cites unknown clause %r" % worker,
        "%s:%d: test 2 cites unknown clause %r" % (vec, line_with(tmp_path, vec, bogus), bogus),
        "%s:%d: test 2 cites unknown clause 'not an id'" % (
            vec, line_with(tmp_path, vec, '"not an id"')),
    ]
    assert stats["citations"] == 9


def test_tokens_that_are_not_citations(tmp_path, small):
    write_spec(tmp_path, "zmtp31", base_rows())
    write(tmp_path, "codec/notes.md", "\n".join([
        "build codec/zmtp31.frame.rl and curve.c and z85.rl",    # file names
        "x = curve.hello_box(y)  # snake_case code",              # underscore
        "See zmtp31.Frame.Flags; my.zmtp31.frame.thing; a-zmtp31.frame.x",
        "zmtp31 alone, zmtp31.md, null.x",                        # one part
        "inproc://zeromq.zap.01",
    ]) + "\n")
    write(tmp_path, "fuzz/corpus/seed.bin", "\0\1" + cid("zmtp31", "frame", "bogus"))
    problems, stats = problems_of(tmp_path)
    assert problems == []
    assert stats["citations"] == 0


def test_json_without_clauses_and_broken_json(tmp_path, small):
    write_spec(tmp_path, "zmtp31", base_rows())
    write(tmp_path, "vectors/schema/v.schema.json",
          '{"properties": {"clauses": {"type": "array", "description": "%s"}}}\n'
          % cid("zmtp31", "frame", "example"))
    oops = cid("zmtp31", "frame", "oops")
    write(tmp_path, "vectors/zmtp/broken_test.json", '{"clauses": ["%s"\n' % oops)
    problems, stats = problems_of(tmp_path)
    assert problems == ["vectors/zmtp/broken_test.json:1: cites unknown clause %r" % oops]
    assert stats["notes"] == ["vectors/zmtp/broken_test.json: not valid JSON; scanned as text"]


def test_waiver_of_unknown_clause(tmp_path, small):
    write_spec(tmp_path, "zmtp31", base_rows())
    ghost = cid("zmtp31", "frame", "ghost")
    write_waivers(tmp_path, [(FLAGS, "covered elsewhere"), (ghost, "gone")])
    assert problems_of(tmp_path)[0] == [
        "spec/waivers.md:6: waiver names unknown clause %r" % ghost]


def test_unknown_spec_file_and_bad_header(tmp_path, small):
    write_spec(tmp_path, "zmtp31", base_rows())
    write(tmp_path, "spec/zmtp99.md", "# x\n")
    write(tmp_path, "spec/plain.md", "# plain\n\n| ID | Keyword |\n|---|---|\n")
    problems, _ = problems_of(tmp_path)
    assert problems == [
        "spec/plain.md:3: table header must be exactly | ID | Section | Keyword | Role | "
        "Binds | Testability | Digest | Statement | RFC |",
        "spec/zmtp99.md:0: unknown spec id 'zmtp99' (known: %s)"
        % " ".join(zwire_spec.SPEC_IDS),
    ]


def test_no_registry_and_missing_dirs(tmp_path, small):
    problems, stats = problems_of(tmp_path)
    assert problems == [
        "spec:0: no registry files (spec/<specid>.md)",
        "spec:0: digest statement ZMTP31-01 is not restated by any clause",
        "spec:0: digest statement ZMTP31-02 is not restated by any clause",
        "spec/zmtp31.md:0: mandatory wire clause %s is missing" % FLAGS,
    ]
    assert stats["citations"] == 0


def test_cli_exit_status_and_lines(tmp_path, small):
    """The command line, run as a separate process with the real contract."""
    write_spec(tmp_path, "zmtp31", [row(FLAGS, digest="ZMTP31-28")])
    run = subprocess.run(["/usr/bin/python3", os.path.join(treeutil.TOOLS, "spec_lint.py"),
                          "--root", str(tmp_path)], capture_output=True, text=True)
    assert run.returncode == 1
    lines = run.stdout.splitlines()
    assert "spec/zmtp31.md:0: mandatory wire clause zmtp31.frame.long-size is missing" in lines
    assert "spec:0: digest statement ZMTP30-01 is not restated by any clause" in lines
    assert lines[-1] == "spec-lint: 1 clauses in 1 specs, 0 citations checked, %d problems" \
        % (len(lines) - 1)


def test_real_registry_is_clean(tmp_path):
    """The registry in spec/, alone (citations elsewhere are other tests' business)."""
    shutil.copytree(os.path.join(treeutil.REPO, "spec"), os.path.join(tmp_path, "spec"))
    problems, stats = problems_of(tmp_path)
    assert problems == []
    assert stats["specs"] == 12
    clauses, _ = zwire_spec.load_registry(str(tmp_path))
    by_id = {c["id"]: c for c in clauses}
    for clause_id, keyword in zwire_spec.MANDATORY_WIRE.items():
        assert by_id[clause_id]["kind"] == "wire"
        assert by_id[clause_id]["keyword"] == keyword
