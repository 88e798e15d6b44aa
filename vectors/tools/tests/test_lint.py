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


@pytest.mark.parametrize("folder, files, at_least", [("zmtp", 9, 250), ("mdp", 3, 120), ("flp", 1, 50)])
def test_repository_vectors_are_clean(folder, files, at_least):
    """The committed vectors lint clean against the clause registry (spec/) and spec/leniency.md."""
    nfiles, nvectors, problems = vectors_lint.lint([TOOLS.parent / folder], registry_path=None)
    assert nfiles == files and nvectors >= at_least
    assert problems == []


@pytest.mark.parametrize("generator", ["gen_zmtp.py", "gen_mdp.py", "gen_flp.py"])
def test_generator_is_up_to_date(generator):
    """Regenerating changes nothing (tcIds stable, files canonical)."""
    proc = subprocess.run([sys.executable, str(TOOLS / generator), "--check"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_seeds(tmp_path):
    import seeds
    n = seeds.write_seeds(tmp_path / "out", {"frames"}, [TOOLS.parent / "zmtp"])
    files = sorted((tmp_path / "out").iterdir())
    assert n == len(files) > 50
    first = tmp_path / "out" / "frame_test-1.bin"
    assert first.read_bytes() == bytes.fromhex("000141")


# --- Majordomo (group type mdp): frame lists ------------------------------------------

MDP_REGISTRY_TEXT = """# test registry
mdp02.grammar.worker-header | MUST | ABNF | MDPW02 first.
mdp02.grammar.heartbeat | MUST | ABNF | HEARTBEAT is two frames.
"""

MDP_LENIENCY_TEXT = """# test table of leniency

| Input | Breaks | Basis | Because | Result | Codecs | Note |
|---|---|---|---|---|---|---|
| MdpHeader | mdp02.grammar.worker-header | sender | - | acceptable | mdp-invalid-header | For the test. |
| MdpMissingFrame | mdp02.grammar.heartbeat | sender | - | acceptable | mdp-missing-frame | For the test. |
"""

W2 = b"MDPW02".hex()


def mdp_base():
    """A small, clean mdp file: a HEARTBEAT, a header error, the empty message."""
    def err(cls, at):
        return {"state": "error", "error": {"class": cls, "offset": at}, "message": None}
    return {
        "protocol": "mdp",
        "specVersion": "0.2",
        "schema": "zwire_vectors_v1.schema.json",
        "numberOfTests": 3,
        "header": ["Lint test file."],
        "notes": {
            "Valid": {"bugType": "BASIC", "description": "Valid."},
            "MdpHeader": {"bugType": "MALFORMED_INPUT", "description": "No header."},
            "MdpMissingFrame": {"bugType": "MALFORMED_INPUT", "description": "Too short."},
        },
        "retiredIds": [],
        "testGroups": [{
            "type": "mdp",
            "params": {"version": "0.2", "subprotocol": "worker"},
            "tests": [
                {"tcId": 1, "comment": "HEARTBEAT", "flags": ["Valid"], "clauses": ["mdp02.grammar.heartbeat"],
                 "input": [W2, "05"], "result": "valid",
                 "expected": {"state": "complete", "error": None,
                              "message": {"version": "0.2", "subprotocol": "worker", "command": "HEARTBEAT"}}},
                {"tcId": 2, "comment": "empty frame first", "flags": ["MdpHeader"],
                 "clauses": ["mdp02.grammar.worker-header"], "input": ["", W2, "05"], "result": "acceptable",
                 "expected": err("mdp-invalid-header", 0)},
                {"tcId": 3, "comment": "no frame at all", "flags": ["MdpMissingFrame"],
                 "clauses": ["mdp02.grammar.heartbeat"], "input": [], "result": "acceptable",
                 "expected": err("mdp-missing-frame", 0)},
            ],
        }],
    }


def run_mdp(tmp_path, obj, name="x_test.json", subdir="mdp", text=None):
    reg = tmp_path / "mdp-registry.md"
    reg.write_text(MDP_REGISTRY_TEXT)
    table = tmp_path / "mdp-leniency.md"
    table.write_text(MDP_LENIENCY_TEXT)
    (tmp_path / subdir).mkdir(exist_ok=True)
    path = tmp_path / subdir / name
    path.write_text(text if text is not None else vectors_lint.canonical(obj))
    _, _, problems = vectors_lint.lint([path], registry_path=reg, leniency_path=table)
    return problems


def test_mdp_clean_file_passes(tmp_path):
    """An empty frame list is a message (of no frame): allowed for mdp, unlike a byte stream."""
    assert run_mdp(tmp_path, mdp_base()) == []


def test_mdp_duplicates_are_frame_lists(tmp_path):
    obj = mdp_base()
    tests = group_tests(obj)
    tests[1]["input"] = [W2 + "05"]              # the octets of tcId 1 in one frame: another message
    assert run_mdp(tmp_path, obj) == []
    tests[1]["input"] = [W2, "05"]
    assert_fires(run_mdp(tmp_path, obj), "same input as tcId 1")


def test_mdp_offset_is_a_frame_index(tmp_path):
    obj = mdp_base()
    group_tests(obj)[1]["expected"]["error"]["offset"] = 4
    assert_fires(run_mdp(tmp_path, obj), "a frame index, at most the number of frames")
    obj = mdp_base()
    group_tests(obj)[1]["expected"]["error"]["offset"] = 3
    assert_fires(run_mdp(tmp_path, obj), "mdp-invalid-header at frame 3 of 3")
    obj = mdp_base()
    group_tests(obj)[2]["input"] = [W2]
    assert_fires(run_mdp(tmp_path, obj), "mdp-missing-frame at frame 0 of 1")


def test_mdp_message_null_unless_complete(tmp_path):
    obj = mdp_base()
    group_tests(obj)[1]["expected"]["message"] = {"version": "0.2", "subprotocol": "worker",
                                                 "command": "HEARTBEAT"}
    assert_fires(run_mdp(tmp_path, obj), "expected.message must be null exactly when state is not complete")


@pytest.mark.parametrize("mutate", [
    lambda o: group_tests(o)[0]["expected"].update(state="incomplete"),                 # a message is whole
    lambda o: group_tests(o)[1].update(result="invalid"),                               # never invalid
    lambda o: group_tests(o)[1]["expected"]["error"].update({"class": "mdp-bad"}),      # the six classes
    lambda o: o["testGroups"][0]["params"].update(version="0.3"),
    lambda o: o["testGroups"][0]["params"].update(mechanism="NULL"),
    lambda o: group_tests(o)[0]["expected"]["message"].update(command="REPLY"),         # REPLY is 0.1 only
    lambda o: group_tests(o)[0]["expected"]["message"].update(service="00"),            # no service here
    lambda o: o.update(protocol="zmtp"),                                                # mdp groups, mdp files
    lambda o: o.update(protocol="curve"),
])
def test_mdp_schema(tmp_path, mutate):
    obj = mdp_base()
    mutate(obj)
    assert_fires(run_mdp(tmp_path, obj), "schema:")


def test_mdp_schema_messages(tmp_path):
    """Each message shape of FORMAT.md passes; a service outside 0x20..0x7E or an empty body does not."""
    validator = vectors_lint.make_validator()
    obj = mdp_base()
    good = [
        {"version": "0.1", "subprotocol": "client", "command": None, "service": "2061", "body": [""]},
        {"version": "0.2", "subprotocol": "client", "command": "PARTIAL", "service": "7e", "body": ["00", ""]},
        {"version": "0.1", "subprotocol": "worker", "command": "READY", "service": "6563686f"},
        {"version": "0.1", "subprotocol": "worker", "command": "REPLY", "address": "", "body": ["ff"]},
        {"version": "0.2", "subprotocol": "worker", "command": "FINAL", "address": "00", "body": [""]},
        {"version": "0.1", "subprotocol": "worker", "command": "DISCONNECT"},
    ]
    bad = [
        {"version": "0.1", "subprotocol": "client", "command": None, "service": "1f", "body": [""]},
        {"version": "0.2", "subprotocol": "client", "command": "REQUEST", "service": "7f", "body": [""]},
        {"version": "0.2", "subprotocol": "worker", "command": "READY", "service": ""},
        {"version": "0.2", "subprotocol": "worker", "command": "REQUEST", "address": "", "body": []},
        {"version": "0.1", "subprotocol": "client", "command": "REQUEST", "service": "41", "body": [""]},
        {"version": "0.2", "subprotocol": "worker", "command": "PARTIAL", "address": "", "body": [""],
         "service": "41"},
    ]
    for message, want in [(m, True) for m in good] + [(m, False) for m in bad]:
        group_tests(obj)[0]["expected"]["message"] = message
        assert validator.is_valid(obj) is want, message


def test_mdp_protocol_matches_directory(tmp_path):
    assert_fires(run_mdp(tmp_path, mdp_base(), subdir="zmtp"), "protocol 'mdp' in a file under vectors/zmtp/")


def test_mdp_body_lists_are_hex(tmp_path):
    obj = mdp_base()
    group_tests(obj)[0]["expected"]["message"] = {"version": "0.2", "subprotocol": "worker",
                                                 "command": "FINAL", "address": "", "body": ["ABC"]}
    assert_fires(run_mdp(tmp_path, obj), "expected.message.body[0] is not even-length lower-case hex")


def test_a_byte_stream_still_needs_a_chunk(tmp_path, registry):
    obj = base()
    group_tests(obj)[0]["input"] = []
    assert_fires(run(tmp_path, obj, registry), "schema:")


# --- Freelance (group type flp): frame lists ------------------------------------------

FLP_REGISTRY_TEXT = """# test registry
flp.grammar.ping | MUST | ABNF | PING is one frame.
flp.grammar.request | MUST | ABNF | A request is two frames or more.
"""

FLP_LENIENCY_TEXT = """# test table of leniency

| Input | Breaks | Basis | Because | Result | Codecs | Note |
|---|---|---|---|---|---|---|
| FlpMissingFrame | flp.grammar.request | sender | - | acceptable | flp-missing-frame | For the test. |
"""

PING_HEX = b"PING".hex()


def flp_base():
    """A small, clean flp file: a PING, a REQUEST, a one-frame error, the empty message."""
    def err(at):
        return {"state": "error", "error": {"class": "flp-missing-frame", "offset": at}, "message": None}
    return {
        "protocol": "flp",
        "specVersion": "10/FLP",
        "schema": "zwire_vectors_v1.schema.json",
        "numberOfTests": 4,
        "header": ["Lint test file."],
        "notes": {
            "Valid": {"bugType": "BASIC", "description": "Valid."},
            "FlpMissingFrame": {"bugType": "MALFORMED_INPUT", "description": "Too short."},
        },
        "retiredIds": [],
        "testGroups": [{
            "type": "flp",
            "params": {"direction": "to-server"},
            "tests": [
                {"tcId": 1, "comment": "PING", "flags": ["Valid"], "clauses": ["flp.grammar.ping"],
                 "input": [PING_HEX], "result": "valid",
                 "expected": {"state": "complete", "error": None, "message": {"command": "PING"}}},
                {"tcId": 2, "comment": "REQUEST with CCF PING", "flags": ["Valid"],
                 "clauses": ["flp.grammar.request"], "input": [PING_HEX, ""], "result": "valid",
                 "expected": {"state": "complete", "error": None,
                              "message": {"command": "REQUEST", "ccf": PING_HEX, "body": [""]}}},
                {"tcId": 3, "comment": "one frame ping", "flags": ["FlpMissingFrame"],
                 "clauses": ["flp.grammar.request", "flp.grammar.ping"], "input": [b"ping".hex()],
                 "result": "acceptable", "expected": err(1)},
                {"tcId": 4, "comment": "no frame at all", "flags": ["FlpMissingFrame"],
                 "clauses": ["flp.grammar.request", "flp.grammar.ping"], "input": [], "result": "acceptable",
                 "expected": err(0)},
            ],
        }],
    }


def run_flp(tmp_path, obj, subdir="flp"):
    reg = tmp_path / "flp-registry.md"
    reg.write_text(FLP_REGISTRY_TEXT)
    table = tmp_path / "flp-leniency.md"
    table.write_text(FLP_LENIENCY_TEXT)
    (tmp_path / subdir).mkdir(exist_ok=True)
    path = tmp_path / subdir / "x_test.json"
    path.write_text(vectors_lint.canonical(obj))
    _, _, problems = vectors_lint.lint([path], registry_path=reg, leniency_path=table)
    return problems


def test_flp_clean_file_passes(tmp_path):
    assert run_flp(tmp_path, flp_base()) == []


def test_flp_duplicates_are_frame_lists(tmp_path):
    obj = flp_base()
    tests = group_tests(obj)
    assert tests[1]["input"] == [PING_HEX, ""]   # tcId 1's frame and an empty one: another message
    tests[2]["input"] = [PING_HEX]
    assert_fires(run_flp(tmp_path, obj), "same input as tcId 1")


def test_flp_offset_is_the_frame_count(tmp_path):
    obj = flp_base()
    group_tests(obj)[2]["expected"]["error"]["offset"] = 0
    assert_fires(run_flp(tmp_path, obj), "flp-missing-frame at frame 0 of 1: flp-missing-frame is reported "
                                         "at the number of frames")
    obj = flp_base()
    group_tests(obj)[3]["expected"]["error"]["offset"] = 1
    assert_fires(run_flp(tmp_path, obj), "a frame index, at most the number of frames")


def test_flp_message_null_unless_complete(tmp_path):
    obj = flp_base()
    group_tests(obj)[2]["expected"]["message"] = {"command": "PING"}
    assert_fires(run_flp(tmp_path, obj), "expected.message must be null exactly when state is not complete")


def test_flp_ccf_is_hex(tmp_path):
    obj = flp_base()
    group_tests(obj)[1]["expected"]["message"]["ccf"] = "ABC"
    assert_fires(run_flp(tmp_path, obj), "expected.message.ccf is not even-length lower-case hex")


@pytest.mark.parametrize("mutate", [
    lambda o: group_tests(o)[0]["expected"].update(state="incomplete"),                  # a message is whole
    lambda o: group_tests(o)[2].update(result="invalid"),                                # never invalid
    lambda o: group_tests(o)[2]["expected"]["error"].update({"class": "mdp-missing-frame"}),  # one class
    lambda o: group_tests(o)[2]["expected"]["error"].update(offset=2),                   # 0 or 1
    lambda o: o["testGroups"][0]["params"].update(direction="both"),
    lambda o: o["testGroups"][0]["params"].update(version="0.1"),
    lambda o: group_tests(o)[0]["expected"]["message"].update(ccf=""),                   # a PING has no CCF
    lambda o: group_tests(o)[1]["expected"]["message"].update(body=[]),                  # a body frame at least
    lambda o: group_tests(o)[1]["expected"]["message"].update(command="READY"),
    lambda o: o.update(protocol="mdp"),                                                  # flp groups, flp files
    lambda o: o.update(protocol="zmtp"),
    lambda o: o["testGroups"][0].update(type="mdp"),
])
def test_flp_schema(tmp_path, mutate):
    obj = flp_base()
    mutate(obj)
    assert_fires(run_flp(tmp_path, obj), "schema:")


def test_flp_protocol_matches_directory(tmp_path):
    assert_fires(run_flp(tmp_path, flp_base(), subdir="mdp"), "protocol 'flp' in a file under vectors/mdp/")


def test_flp_seeds_are_frame_lists(tmp_path):
    import seeds
    path = tmp_path / "flp" / "x_test.json"
    path.parent.mkdir()
    path.write_text(vectors_lint.canonical(flp_base()))
    assert seeds.write_seeds(tmp_path / "out", {"flp"}, [path]) == 4
    assert (tmp_path / "out" / "x_test-2.bin").read_bytes() == b"\x00\x04PING\x00\x00"
    assert (tmp_path / "out" / "x_test-4.bin").read_bytes() == b""
