"""tools/leniency_lint.py on small temporary trees: one table (spec/leniency.md) decides
leniency, and a vector or a case that treats an input class otherwise is a problem; then the
real tree, whose vectors and cases must agree."""

import json
from types import SimpleNamespace

import treeutil
from treeutil import cid, row, write, write_spec

leniency_lint = treeutil.load_tool("leniency_lint")

FLAGS = cid("zmtp31", "frame", "flags-reserved")
MECH = cid("zmtp31", "greeting", "mechanism-name")
MATCH = cid("zmtp31", "greeting", "mechanism-match")
CLOSE = cid("zmtp31", "null", "close-on-invalid")

TABLE_HEAD = ("# Leniency\n\n| Input | Breaks | Basis | Because | Result | Codecs | Note |\n"
              "|---|---|---|---|---|---|---|\n")


def table_row(name, breaks, basis, because, result, codecs="accept"):
    return "| %s | %s | %s | %s | %s | %s | A note. |\n" % (name, breaks or "-", basis,
                                                           because or "-", result, codecs)


def vector(tc_id, flags, result):
    return {"tcId": tc_id, "comment": "c", "flags": flags, "clauses": [FLAGS], "input": [""],
            "result": result, "expected": {}}


def tree(tmp_path, rows=None, vectors=None):
    write_spec(tmp_path, "zmtp31", [
        row(FLAGS, "MUST"), row(MECH, "SHALL"),
        row(MATCH, "MUST", binds="receiver", rfc="It MUST close the connection."),
        row(CLOSE, "MAY", binds="receiver", rfc="Either peer MAY close the connection.")])
    rows = rows if rows is not None else [
        table_row("Flagged", FLAGS, "sender", None, "acceptable", "invalid-flags"),
        table_row("BadMech", MECH, "receiver", MATCH, "invalid", "invalid-mechanism")]
    write(tmp_path, "spec/leniency.md", TABLE_HEAD + "".join(rows))
    tests = vectors if vectors is not None else [vector(1, ["Flagged"], "acceptable"),
                                                 vector(2, ["BadMech"], "invalid")]
    write(tmp_path, "vectors/zmtp/x_test.json", json.dumps(
        {"testGroups": [{"type": "frames", "tests": tests}]}, indent=2) + "\n")
    return tmp_path


def case(slug, clauses, inputs):
    return SimpleNamespace(slug=slug, clauses=clauses, inputs=inputs)


GOOD_CASES = [case("a.reported", [FLAGS], ["Flagged"]),
              case("a.judged", [MECH, MATCH], ["BadMech"])]


def problems_of(root, cases=GOOD_CASES, sources=()):
    files = [write(root, "conformance/cases_%d.py" % i, text) for i, text in enumerate(sources)]
    problems, stats = leniency_lint.lint(str(root), cases=cases, case_files=files)
    return [str(p) for p in problems]


def assert_fires(problems, fragment):
    assert any(fragment in p for p in problems), "no %r in %s" % (fragment, problems)


def test_a_clean_tree(tmp_path):
    assert problems_of(tree(tmp_path)) == []


def test_a_judged_class_needs_its_receiver_clause_in_the_case(tmp_path):
    cases = [GOOD_CASES[0], case("a.reports-invalid", [MECH], ["BadMech"])]
    assert_fires(problems_of(tree(tmp_path), cases),
                 "case a.reports-invalid sends BadMech, which spec/leniency.md makes invalid by "
                 + MATCH + ": the case must cite it")


def test_a_case_that_reports_disagrees_with_a_vector_that_refuses(tmp_path):
    root = tree(tmp_path, vectors=[vector(1, ["Flagged"], "invalid"),
                                   vector(2, ["BadMech"], "invalid")])
    assert_fires(problems_of(root), "case a.reported reports Flagged as left to the receiver, "
                 "but vector vectors/zmtp/x_test.json tcId 1 says invalid: they disagree")


def test_a_case_that_judges_disagrees_with_a_vector_that_leaves_the_choice(tmp_path):
    root = tree(tmp_path, vectors=[vector(1, ["Flagged"], "acceptable"),
                                   vector(2, ["BadMech"], "acceptable")])
    assert_fires(problems_of(root), "case a.judged judges BadMech by %s (a MUST-class duty), "
                 "but vector vectors/zmtp/x_test.json tcId 2 says acceptable" % MATCH)


def test_an_undeclared_or_unknown_class(tmp_path):
    cases = GOOD_CASES + [case("a.unknown", [FLAGS], ["Nothing"]),
                          case("a.uncited", [MATCH], ["Flagged"])]
    problems = problems_of(tree(tmp_path), cases)
    assert_fires(problems, "case a.unknown declares input class Nothing, which")
    assert_fires(problems, "case a.uncited sends Flagged but cites none of the clauses it breaks")


def test_case_sources_that_bypass_the_table(tmp_path):
    source = ('def _(t):\n'
              '    t.observe("%s", "it closed")\n'
              '    t.hostile(conn, b"", "%s", "a reserved bit")\n' % (MECH, FLAGS))
    problems = problems_of(tree(tmp_path), sources=[source])
    assert_fires(problems, "cases_0.py:2: t.observe(%s): spec/leniency.md judges input that "
                 "breaks it (BadMech, invalid by %s)" % (MECH, MATCH))
    assert_fires(problems, "cases_0.py:3: t.hostile breaks %s: name its input class of "
                 "spec/leniency.md (Flagged) instead" % FLAGS)


def test_rows_follow_whom_their_clauses_bind(tmp_path):
    rows = [table_row("Flagged", FLAGS, "sender", MATCH, "acceptable"),
            table_row("BadMech", MECH, "receiver", CLOSE, "invalid", "invalid-mechanism"),
            table_row("Unused", FLAGS, "sender", None, "acceptable")]
    problems = problems_of(tree(tmp_path, rows=rows))
    assert_fires(problems, "Flagged: Because %s is a MUST-class receiver duty" % MATCH)
    assert_fires(problems, "BadMech: basis receiver needs Because clauses that bind the receiver "
                 "with a MUST-class keyword")
    assert_fires(problems, "Unused: no vector and no case sends it")


def test_the_repository_agrees_with_its_table():
    problems, stats = leniency_lint.lint(treeutil.REPO)
    assert [str(p) for p in problems] == []
    assert stats["rows"] >= 40 and stats["cases"] >= 30 and stats["vectors"] >= 200
