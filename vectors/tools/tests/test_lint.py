"""Tests for vectors/tools/vectors_lint.py: every rule fires on a small bad file.

Run: /usr/bin/python3 -m pytest vectors/tools/tests
"""

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TOOLS))

import vectors_lint  # noqa: E402

REGISTRY_TEXT = """# test registry
z85.decode | SHALL | Z85-07 | Five characters decode to one 32-bit value.
z85.alphabet | SHALL | Z85-03 | Only the alphabet.
z85.string-length | SHALL | Z85-02 | Length a multiple of 5.
"""

LENIENCY_TEXT = """# test table of leniency

| Input | Breaks | Basis | Because | Result | Codecs | Note |
|---|---|---|---|---|---|---|
| Z85Alphabet | z85.alphabet | decoding | z85.decode | invalid | invalid-z85 | No value. |
| Odd | z85.decode | sender | - | acceptable | accept | For the test. |
"""


def base():
    """A small, clean vector file."""
    return {
        "protocol": "zmtp",
        "specVersion": "3.1",
        "schema": "zwire_vectors_v1.schema.json",
        "numberOfTests": 3,
        "header": ["Lint test file."],
        "notes": {
            "Valid": {"bugType": "BASIC", "description": "Valid."},
            "Z85Alphabet": {"bugType": "MALFORMED_INPUT", "description": "Bad character."},
            "Odd": {"bugType": "EDGE_CASE", "description": "A class of the test table."},
        },
        "retiredIds": [9],
        "testGroups": [{
            "type": "z85",
            "params": {},
            "tests": [
                {"tcId": 1, "comment": "HelloWorld", "flags": ["Valid"], "clauses": ["z85.decode"],
                 "input": ["48656c6c6f", "576f726c64"], "result": "valid",
                 "expected": {"state": "complete", "error": None, "decoded": "864fd26fb559f75b"}},
                {"tcId": 2, "comment": "space at 0", "flags": ["Z85Alphabet"],
                 "clauses": ["z85.alphabet", "z85.decode"],
                 "input": ["20656c6c6f"], "result": "invalid",
                 "expected": {"state": "error", "error": {"class": "invalid-z85", "offset": 0}, "decoded": ""}},
                {"tcId": 3, "comment": "acceptable for the sake of the test", "flags": ["Odd"],
                 "clauses": ["z85.decode"], "input": ["3030303030"], "result": "acceptable",
                 "expected": {"state": "complete", "error": None, "decoded": "00000000"}},
            ],
        }],
    }


def write(tmp_path, obj, name="x_test.json", text=None):
    path = tmp_path / name
    path.write_text(text if text is not None else vectors_lint.canonical(obj))
    return path


@pytest.fixture
def registry(tmp_path):
    reg = tmp_path / "registry.md"
    reg.write_text(REGISTRY_TEXT)
    return reg


def tiny_table(tmp_path):
    path = tmp_path / "leniency.md"
    path.write_text(LENIENCY_TEXT)
    return path


def run(tmp_path, obj, registry, coverage=False, text=None):
    path = write(tmp_path, obj, text=text)
    nfiles, nvectors, problems = vectors_lint.lint([path], registry_path=registry, coverage=coverage,
                                                   leniency_path=tiny_table(tmp_path))
    assert nfiles == 1
    return problems


def group_tests(obj):
    return obj["testGroups"][0]["tests"]


def assert_fires(problems, fragment):
    assert any(fragment in p for p in problems), f"expected a problem containing {fragment!r}, got {problems}"


def test_clean_file_passes(tmp_path, registry):
    assert run(tmp_path, base(), registry) == []


def test_schema_violation(tmp_path, registry):
    obj = base()
    group_tests(obj)[0]["result"] = "maybe"
    assert_fires(run(tmp_path, obj, registry), "schema:")


def test_schema_checks_report_shape_by_group_type(tmp_path, registry):
    obj = base()
    group_tests(obj)[0]["expected"] = {"state": "complete", "error": None, "frames": []}
    assert_fires(run(tmp_path, obj, registry), "schema:")


def test_number_of_tests(tmp_path, registry):
    obj = base()
    obj["numberOfTests"] = 4
    assert_fires(run(tmp_path, obj, registry), "numberOfTests")


def test_duplicate_tcid(tmp_path, registry):
    obj = base()
    group_tests(obj)[1]["tcId"] = 1
    assert_fires(run(tmp_path, obj, registry), "tcId used twice")


def test_tcid_not_positive(tmp_path, registry):
    obj = base()
    group_tests(obj)[1]["tcId"] = 0
    assert_fires(run(tmp_path, obj, registry), "not a positive integer")


def test_tcid_retired(tmp_path, registry):
    obj = base()
    group_tests(obj)[1]["tcId"] = 9
    assert_fires(run(tmp_path, obj, registry), "retiredIds")


def test_empty_comment(tmp_path, registry):
    obj = base()
    group_tests(obj)[0]["comment"] = "   "
    assert_fires(run(tmp_path, obj, registry), "empty comment")


def test_undefined_flag(tmp_path, registry):
    obj = base()
    group_tests(obj)[0]["flags"] = ["Valid", "NoSuchFlag"]
    assert_fires(run(tmp_path, obj, registry), "flag 'NoSuchFlag' not defined")


def test_unknown_clause(tmp_path, registry):
    obj = base()
    group_tests(obj)[0]["clauses"] = ["z85.decode", "z85.no-such-rule"]
    assert_fires(run(tmp_path, obj, registry), "clause 'z85.no-such-rule' not in the clause registry")


@pytest.mark.parametrize("chunk", ["48656C6C6F", "48656c6c6", "zz"])
def test_input_hex(tmp_path, registry, chunk):
    obj = base()
    group_tests(obj)[0]["input"] = [chunk, "576f726c64"]
    assert_fires(run(tmp_path, obj, registry), "input[0] is not even-length lower-case hex")


def test_expected_hex(tmp_path, registry):
    obj = base()
    group_tests(obj)[0]["expected"]["decoded"] = "864FD26FB559F75B"
    assert_fires(run(tmp_path, obj, registry), "expected.decoded is not even-length lower-case hex")


def test_profiles_are_gone(tmp_path, registry):
    obj = base()
    test = group_tests(obj)[2]
    test["acceptable"] = {"accept": ["rfc-strict"], "reject": ["libzmq-compatible"]}
    test["expected"] = test.pop("expected")   # keep key order canonical
    assert_fires(run(tmp_path, obj, registry), "schema:")


# --- leniency: each result comes from spec/leniency.md ---------------------------------

def test_result_against_the_table(tmp_path, registry):
    obj = base()
    group_tests(obj)[1]["result"] = "acceptable"
    assert_fires(run(tmp_path, obj, registry), "spec/leniency.md makes it 'invalid' (Z85Alphabet)")


def test_a_broken_input_needs_its_class(tmp_path, registry):
    obj = base()
    group_tests(obj)[2]["flags"] = ["Valid"]
    assert_fires(run(tmp_path, obj, registry), "makes it 'valid' (no input class)")


def test_a_class_needs_its_broken_rule_cited(tmp_path, registry):
    obj = base()
    group_tests(obj)[1]["clauses"] = ["z85.decode"]
    assert_fires(run(tmp_path, obj, registry), "Z85Alphabet breaks z85.alphabet: the vector cites none")


def test_an_invalid_class_needs_its_receiver_clause(tmp_path, registry):
    obj = base()
    group_tests(obj)[1]["clauses"] = ["z85.alphabet"]
    assert_fires(run(tmp_path, obj, registry), "Z85Alphabet is invalid by z85.decode")


def test_the_codecs_choice_is_the_tables(tmp_path, registry):
    obj = base()
    group_tests(obj)[1]["expected"]["error"]["class"] = "malformed-command"
    assert_fires(run(tmp_path, obj, registry), "the codecs report invalid-z85")
    obj = base()
    group_tests(obj)[2]["expected"] = {"state": "error", "error": {"class": "invalid-z85", "offset": 0},
                                       "decoded": ""}
    assert_fires(run(tmp_path, obj, registry), "says the codecs accept it")


def test_the_repository_table_governs_by_default(tmp_path, registry):
    obj = base()
    path = write(tmp_path, obj)
    _, _, problems = vectors_lint.lint([path], registry_path=registry)
    assert_fires(problems, "tcId 3: result 'acceptable', but spec/leniency.md makes it 'valid'")


def test_invalid_needs_error_state(tmp_path, registry):
    obj = base()
    group_tests(obj)[1]["expected"] = {"state": "complete", "error": None, "decoded": ""}
    assert_fires(run(tmp_path, obj, registry), "invalid vector whose expected state is not error")


def test_valid_must_not_error(tmp_path, registry):
    obj = base()
    group_tests(obj)[0]["expected"] = {"state": "error", "error": {"class": "invalid-z85", "offset": 1},
                                    "decoded": ""}
    assert_fires(run(tmp_path, obj, registry), "valid vector whose expected state is error")


def test_error_null_iff_not_error_state(tmp_path, registry):
    obj = base()
    group_tests(obj)[1]["expected"]["error"] = None
    assert_fires(run(tmp_path, obj, registry), "expected.error must be null exactly when")


def test_error_offset_past_input(tmp_path, registry):
    obj = base()
    group_tests(obj)[1]["expected"]["error"]["offset"] = 6
    assert_fires(run(tmp_path, obj, registry), "error offset is past the end of the input")


def test_duplicate_input_in_group(tmp_path, registry):
    obj = base()
    group_tests(obj)[2]["input"] = ["48656c6c6f576f", "726c64"]      # same octets as tcId 1, other chunks
    assert_fires(run(tmp_path, obj, registry), "same input as tcId 1")


def test_duplicate_input_in_other_group_is_fine(tmp_path, registry):
    obj = base()
    second = copy.deepcopy(obj["testGroups"][0])
    for i, t in enumerate(second["tests"]):
        t["tcId"] = 10 + i
    obj["testGroups"].append(second)
    obj["numberOfTests"] = 6
    assert run(tmp_path, obj, registry) == []


def test_non_canonical_formatting(tmp_path, registry):
    obj = base()
    text = json.dumps(obj, indent=4) + "\n"
    assert_fires(run(tmp_path, obj, registry, text=text), "not canonically formatted")


def test_missing_final_newline(tmp_path, registry):
    obj = base()
    text = vectors_lint.canonical(obj).rstrip("\n")
    assert_fires(run(tmp_path, obj, registry, text=text), "not canonically formatted")


def test_unreadable_json(tmp_path, registry):
    assert_fires(run(tmp_path, base(), registry, text="{not json"), "cannot read JSON")


def test_coverage(tmp_path, registry):
    problems = run(tmp_path, base(), registry, coverage=True)
    assert_fires(problems, "coverage: clause z85.string-length")
    assert not any("z85.decode" in p for p in problems)


def test_spec_table_registry(tmp_path):
    spec = tmp_path / "spec"
    spec.mkdir()
    (spec / "z85.md").write_text(
        "# z85\n\nText.\n\n"
        "| ID | Section | Keyword | Role | Testability | Digest | Statement |\n"
        "|---|---|---|---|---|---|---|\n"
        "| z85.decode | Decoding | SHALL | decoder | wire | Z85-07 | Decode. |\n"
        "| `z85.alphabet` | Alphabet | SHALL | decoder | wire | Z85-03 | Alphabet. |\n"
        "| z85.buffer-size | Security | MUST | decoder | untestable: memory | Z85-10 | Buffers. |\n")
    (spec / "README.md").write_text("| file | spec |\n|---|---|\n| `z85.md` | 32/Z85 |\n")
    testability = {}
    ids, source = vectors_lint.load_registry(None, spec, tmp_path / "absent.md", testability)
    assert ids == {"z85.decode", "z85.alphabet", "z85.buffer-size"}
    assert testability["z85.buffer-size"].startswith("untestable")
    obj = base()
    path = write(tmp_path, obj)
    _, _, problems = vectors_lint.lint([path], coverage=True, spec_dir=spec, fallback=tmp_path / "absent.md",
                                       leniency_path=tiny_table(tmp_path))
    # z85.string-length is not in this registry; z85.buffer-size is not `wire`, so not required.
    assert problems == []


def test_wire_ids_fallback(tmp_path, registry):
    ids, source = vectors_lint.load_registry(None, tmp_path / "no-spec", registry)
    assert ids == {"z85.decode", "z85.alphabet", "z85.string-length"}
    assert source == str(registry)


def test_cli_output_and_exit_code(tmp_path, registry):
    good = write(tmp_path, base(), "good_test.json")
    bad_obj = base()
    bad_obj["numberOfTests"] = 7
    bad = write(tmp_path, bad_obj, "bad_test.json")
    lint = [sys.executable, str(TOOLS / "vectors_lint.py"), "--registry", str(registry),
            "--leniency", str(tiny_table(tmp_path))]
    ok = subprocess.run(lint + [str(good)], capture_output=True, text=True)
    assert ok.returncode == 0
    assert ok.stdout.strip().endswith("vectors-lint: 1 files, 3 vectors, 0 problems")
    fail = subprocess.run(lint + [str(tmp_path)], capture_output=True, text=True)
    assert fail.returncode == 1
    assert "vectors-lint: 2 files, 6 vectors, 1 problems" in fail.stdout


def test_repository_vectors_are_clean():
    """The committed vectors lint clean against the clause registry (spec/)."""
    nfiles, nvectors, problems = vectors_lint.lint([TOOLS.parent / "zmtp"], registry_path=None)
    assert nfiles == 7 and nvectors >= 250
    assert problems == []


def test_generator_is_up_to_date():
    """Regenerating changes nothing (tcIds stable, files canonical)."""
    proc = subprocess.run([sys.executable, str(TOOLS / "gen_zmtp.py"), "--check"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_seeds(tmp_path):
    import seeds
    n = seeds.write_seeds(tmp_path / "out", {"frames"}, [TOOLS.parent / "zmtp"])
    files = sorted((tmp_path / "out").iterdir())
    assert n == len(files) > 50
    first = tmp_path / "out" / "frame_test-1.bin"
    assert first.read_bytes() == bytes.fromhex("000141")
