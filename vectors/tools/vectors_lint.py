#!/usr/bin/python3
"""vectors-lint: check zwire vector files against the schema and the semantic rules.

Usage:
    /usr/bin/python3 vectors/tools/vectors_lint.py [PATH ...] [--registry FILE] [--coverage]

PATH is a vector file or a directory searched for **/*_test.json (default: vectors/).
Rules (vectors/FORMAT.md): JSON Schema validity; numberOfTests matches; tcIds unique, positive,
not retired; comments non-empty; every flag defined in notes; every clause ID in the registry;
hex strings even-length lower-case; invalid vectors have state error, valid ones do not;
error null iff state is not error; no duplicate input (concatenated chunks) within a group;
canonical formatting (json.dumps(indent=2) plus a final newline, as the generator writes).

Majordomo, Freelance and ZAP (group types `mdp`, `flp` and `zap`, FORMAT.md): `input` is a list
of frames, so a duplicate is the same frame list (["", "41"] and ["41"] are two messages); an
error offset is a frame index, the number of frames for the missing-frame class of the decoder
(mdp-missing-frame, flp-missing-frame, zap-missing-frame) and a frame of the message for every
other class, but for zap-invalid-credentials, which is at a frame (an extra one, a CURVE key of
the wrong size) or at the number of frames (a missing one); `message` is null exactly when the
state is not complete, and the hex fields of a ZAP message are hex; a file of protocol `mdp`
lives under vectors/mdp/, one of `flp` under vectors/flp/, one of `zap` under vectors/zap/ (one
of `zmtp`, under vectors/zmtp/).

Whole connections (group types `curve-handshake` and `plain-handshake`, FORMAT.md "Handshakes"):
`input` is an object, so a duplicate is the same object; an error offset is a command index,
the number of commands listed before the refused one; a tampered vector (with `deliver`) is
exactly one whose state is error, and lists only the commands and MESSAGEs before deliver.at;
the commands follow the exchange (HELLO, WELCOME, INITIATE, READY or ERROR, then one MESSAGE per
message, each from its sender; PLAIN: HELLO, WELCOME or ERROR, INITIATE, READY or ERROR), the
fixed sizes hold (HELLO 200, WELCOME 168, INITIATE 257 + the client's metadata, READY 30 + the
server's, MESSAGE 33 + its data), and each Z85 text is its key's.

Leniency (spec/leniency.md, read with tools/zwire_spec.py; --leniency names another table, and
lint(leniency_path=None) skips it): a flag that names an input class of the table puts the vector
in that class.  The result is the table's (the strictest of its classes: invalid over acceptable
over valid), and a vector that breaks a rule with no class is a problem; the vector cites one of
the sender clauses the class breaks and, when invalid, the receiver clause that makes it so; a
vector of one class whose codecs' choice the table names reports exactly that (`accept`: no
error; an error class: that class).

The clause registry is read from spec/*.md (first column of table rows) when spec/ holds any
IDs; --registry names another registry file (a spec table or an 'ID | ...' list).  --coverage also
requires every registry ID with testability `wire` (restricted to the protocols the vectors
cite) to be cited by some vector.

Prints `vectors-lint: N files, M vectors, K problems`; exits 1 if K > 0.
"""

import argparse
import json
import re
import sys
from pathlib import Path

TOOLS = Path(__file__).resolve().parent
VECDIR = TOOLS.parent
ROOT = VECDIR.parent
SCHEMA = VECDIR / "schema" / "zwire_vectors_v1.schema.json"
SPEC_DIR = ROOT / "spec"
LENIENCY = SPEC_DIR / "leniency.md"
sys.path.insert(0, str(ROOT / "tools"))
import zwire_spec  # noqa: E402  (the reader of spec/leniency.md)

CLAUSE_RE = re.compile(r"^[a-z0-9]+(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)+$")
HEX_RE = re.compile(r"^(?:[0-9a-f]{2})*$")
# Keys of report objects whose values are hex strings.
HEX_KEYS = {"identity", "body", "data", "value", "reason", "topic", "context", "group", "username",
            "password", "clientKey", "nonce", "signatureBox", "box", "cookie", "decoded",
            "service", "address", "ccf"}
# The decoders whose input is a list of frames (each string one frame), not a byte stream,
# with the error class each reports at the number of frames (a message cut before a frame
# its layout needs); every other class names a frame of the message.
MISSING_FRAME = {"mdp": "mdp-missing-frame", "flp": "flp-missing-frame", "zap": "zap-missing-frame"}
FRAME_LIST_TYPES = set(MISSING_FRAME)
# The classes a decoder may report either at a frame or at the number of frames (a ZAP
# credentials frame too many, or one missing: FORMAT.md, decoder `zap`).
EITHER_END = {"zap": {"zap-invalid-credentials"}}
# Keys whose values are hex in the reports of one decoder only ("mechanism" is text in a
# greeting report, octets in a ZAP request).
TYPE_HEX_KEYS = {"zap": {"request_id", "domain", "address", "identity", "mechanism", "credentials",
                         "status_code", "status_text", "user_id", "metadata"}}
# Whole connections (FORMAT.md, "Handshakes"): input is an object, offsets are command indexes.
HANDSHAKE_TYPES = ("curve-handshake", "plain-handshake")
Z85_ALPHABET = ("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                ".-:+=^!/*?&<>()[]{}@%$#")
# The protocols whose files live in a directory of their name.
PROTOCOL_DIRS = ("zmtp", "mdp", "flp", "zap")


# --------------------------------------------------------------------------
# Clause registry

def parse_wire_ids(text):
    """IDs of a plain clause list: lines 'ID | keyword | ...'."""
    out = set()
    for line in text.splitlines():
        head = line.split("|", 1)[0].strip()
        if "|" in line and CLAUSE_RE.match(head):
            out.add(head)
    return out


def parse_spec_tables(text, testability=None):
    """IDs in the first column of the registry table(s): Markdown tables whose header's first
    cell is 'ID' ('| ID | Section | Keyword | Role | Testability | ...').  If testability is a
    dict, it is filled with ID -> the row's Testability cell (when the table has one)."""
    out = set()
    header = None
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("|"):
            header = None
            continue
        cells = [c.strip().strip("`*").strip() for c in line.strip("|").split("|")]
        if header is None:
            header = [c.lower() for c in cells]
            continue
        if not header or header[0] != "id" or set(line) <= set("|-: "):
            continue
        if CLAUSE_RE.match(cells[0]):
            out.add(cells[0])
            if testability is not None and "testability" in header:
                col = header.index("testability")
                if col < len(cells):
                    testability[cells[0]] = cells[col]
    return out


SPEC_SKIP = {"README.md", "DECISIONS.md", "waivers.md", "leniency.md"}


def load_registry(registry=None, spec_dir=SPEC_DIR, fallback=None, testability=None):
    """Return (set of IDs, description of the source).  testability (a dict) is filled with
    ID -> Testability for spec tables; wire-ids.md entries are all `wire`."""
    testability = {} if testability is None else testability
    if registry is not None:
        text = Path(registry).read_text()
        wire = parse_wire_ids(text)
        found = parse_spec_tables(text, testability) | wire
        for cid in wire:
            testability.setdefault(cid, "wire")
        return found, str(registry)
    if spec_dir.is_dir():
        found = set()
        for md in sorted(spec_dir.glob("*.md")):
            if md.name not in SPEC_SKIP:
                found |= parse_spec_tables(md.read_text(), testability)
        if found:
            return found, f"{spec_dir}/*.md"
    if fallback is not None and fallback.exists():
        found = parse_wire_ids(fallback.read_text())
        testability.update((cid, "wire") for cid in found)
        return found, str(fallback)
    return None, "none"


# --------------------------------------------------------------------------
# Checks

def canonical(obj):
    return json.dumps(obj, indent=2, sort_keys=False) + "\n"


def walk_hex(node, path, report, keys=HEX_KEYS):
    """Report hex-valued keys (`keys`, HEX_KEYS by default) that are not even-length lower-case hex."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k in keys and isinstance(v, str) and not HEX_RE.match(v):
                report(f"{path}.{k} is not even-length lower-case hex")
            if k in keys and isinstance(v, list):      # mdp / flp bodies, zap credentials: frames
                for i, item in enumerate(v):
                    if isinstance(item, str) and not HEX_RE.match(item):
                        report(f"{path}.{k}[{i}] is not even-length lower-case hex")
            walk_hex(v, f"{path}.{k}", report, keys)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            walk_hex(v, f"{path}[{i}]", report, keys)


def z85(octets):
    """32/Z85 text of octets (a multiple of 4)."""
    out = []
    for i in range(0, len(octets), 4):
        value = int.from_bytes(octets[i:i + 4], "big")
        out.append("".join(Z85_ALPHABET[value // 85 ** k % 85] for k in range(4, -1, -1)))
    return "".join(out)


def metadata_size(props):
    return sum(1 + len(p.get("name", "")) + 4 + len(p.get("value", "")) // 2 for p in props or [])


def handshake_problems(gtype, test):
    """What is wrong with one whole-connection vector beyond its schema (FORMAT.md, "Handshakes")."""
    out = []
    data, exp = test.get("input"), test.get("expected")
    if not isinstance(data, dict) or not isinstance(exp, dict):
        return ["a handshake vector's input and expected are objects"]
    commands = exp.get("commands") if isinstance(exp.get("commands"), list) else []
    err, state = exp.get("error"), exp.get("state")
    if isinstance(err, dict) and err.get("offset") != len(commands):
        out.append(f"error offset {err.get('offset')} is not the number of commands before the refused "
                   f"one ({len(commands)})")
    client = data.get("client") if isinstance(data.get("client"), dict) else {}
    server = data.get("server") if isinstance(data.get("server"), dict) else {}
    error = server.get("error")
    seq = []            # (from, name, size or None) of the genuine exchange
    if gtype == "plain-handshake":
        user, password = client.get("username", ""), client.get("password", "")
        seq.append(("client", "HELLO", 6 + 2 + (len(user) + len(password)) // 2))
        refusal = ("server", "ERROR", 7 + len(error.get("reason", "")) // 2) if isinstance(error, dict) else None
        if refusal and error.get("after") == "HELLO":
            seq.append(refusal)
        else:
            seq += [("server", "WELCOME", 8), ("client", "INITIATE", 9 + metadata_size(client.get("metadata")))]
            seq.append(refusal or ("server", "READY", 6 + metadata_size(server.get("metadata"))))
    else:
        for side, keys in (("client", client), ("server", server)):
            for kind in ("public", "secret"):
                key, text = keys.get(kind + "Key"), keys.get(kind + "KeyZ85")
                if isinstance(key, str) and HEX_RE.match(key) and len(key) == 64 and text != z85(bytes.fromhex(key)):
                    out.append(f"input.{side}.{kind}KeyZ85 is not the Z85 text of input.{side}.{kind}Key")
        messages = data.get("messages") if isinstance(data.get("messages"), list) else []
        seq = [("client", "HELLO", 200), ("server", "WELCOME", 168),
               ("client", "INITIATE", 257 + metadata_size(client.get("metadata")))]
        if isinstance(error, str):
            seq.append(("server", "ERROR", 7 + len(error) // 2))
        else:
            seq.append(("server", "READY", 30 + metadata_size(server.get("metadata"))))
            seq += [(m.get("from"), "MESSAGE", 33 + len(m.get("data", "")) // 2) for m in messages
                    if isinstance(m, dict)]
        deliver = data.get("deliver")
        if (deliver is not None) != (state == "error"):
            out.append("a vector has deliver (a tampered command) exactly when its expected state is error")
        if isinstance(deliver, dict) and isinstance(deliver.get("at"), int):
            at = deliver["at"]
            if len(messages) != max(0, at - 4):
                out.append(f"a tampered vector lists the MESSAGEs before deliver.at ({max(0, at - 4)}), "
                           f"not {len(messages)}")
            if at < 4 and deliver.get("to") != ("server", "client")[at % 2]:
                out.append(f"deliver.to is not the receiver of command {at}")
            seq = seq[:at]
    if state == "complete" and len(commands) != len(seq):
        out.append(f"{len(commands)} commands, the exchange has {len(seq)}")
    for i, (cmd, (frm, name, size)) in enumerate(zip(commands, seq)):
        if not isinstance(cmd, dict):
            continue
        if (cmd.get("from"), cmd.get("name")) != (frm, name):
            out.append(f"command {i} is {cmd.get('from')} {cmd.get('name')}, the exchange has {frm} {name}")
        elif isinstance(cmd.get("body"), str) and len(cmd["body"]) // 2 != size:
            out.append(f"command {i} ({name}) is {len(cmd['body']) // 2} octets, its layout {size}")
    return out


def leniency_problems(test, table):
    """What is wrong with one vector against the table of leniency (spec/leniency.md)."""
    flags = test.get("flags") if isinstance(test.get("flags"), list) else []
    clauses = set(test.get("clauses") or [])
    rows = [table[f] for f in flags if f in table]
    out = []
    want = zwire_spec.strictest([r.result for r in rows])
    if test.get("result") != want:
        names = ", ".join(r.input for r in rows) or "no input class"
        out.append(f"result {test.get('result')!r}, but spec/leniency.md makes it {want!r} ({names}); "
                   "a vector that breaks a rule carries the flag of its input class")
    for row in rows:
        if row.breaks and not clauses & set(row.breaks):
            out.append(f"{row.input} breaks {', '.join(row.breaks)}: the vector cites none of them")
        if row.result == "invalid" and not clauses & set(row.because):
            out.append(f"{row.input} is invalid by {', '.join(row.because)}: the vector cites none of them")
    exp = test.get("expected") if isinstance(test.get("expected"), dict) else {}
    if len(rows) == 1 and "error" in exp:
        got = (exp["error"] or {}).get("class") if isinstance(exp["error"], dict) else None
        if rows[0].codecs == "accept" and got is not None:
            out.append(f"{rows[0].input}: spec/leniency.md says the codecs accept it, expected reports {got}")
        if rows[0].codecs != "accept" and exp.get("state") == "error" and got != rows[0].codecs:
            out.append(f"{rows[0].input}: spec/leniency.md says the codecs report {rows[0].codecs}, "
                       f"expected reports {got}")
    return out


def lint_file(path, validator, registry, problems, cited, table=None):
    """Lint one file; append 'path: message' strings to problems.  Returns the number of vectors."""
    def report(msg, tc=None):
        problems.append(f"{path}: " + (f"tcId {tc}: " if tc is not None else "") + msg)

    try:
        text = Path(path).read_text()
        data = json.loads(text)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        report(f"cannot read JSON: {exc}")
        return 0

    if validator is not None:
        for err in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)):
            where = "/".join(str(p) for p in err.absolute_path) or "(top)"
            report(f"schema: {where}: {err.message[:300]}")

    if text != canonical(data):
        report("not canonically formatted (json.dumps indent=2, key order kept, final newline)")

    if not isinstance(data, dict):
        return 0
    groups = data.get("testGroups") if isinstance(data.get("testGroups"), list) else []
    notes = data.get("notes") if isinstance(data.get("notes"), dict) else {}
    retired = set(x for x in data.get("retiredIds", []) if isinstance(x, int)) \
        if isinstance(data.get("retiredIds"), list) else set()
    tests = [t for g in groups if isinstance(g, dict) and isinstance(g.get("tests"), list)
             for t in g["tests"] if isinstance(t, dict)]

    if data.get("numberOfTests") != len(tests):
        report(f"numberOfTests is {data.get('numberOfTests')!r}, the file has {len(tests)} tests")

    protocol = data.get("protocol")
    if protocol in PROTOCOL_DIRS and Path(path).parent.name in PROTOCOL_DIRS \
            and Path(path).parent.name != protocol:
        report(f"protocol {protocol!r} in a file under vectors/{Path(path).parent.name}/")

    seen_ids = set()
    for gi, g in enumerate(groups):
        if not isinstance(g, dict) or not isinstance(g.get("tests"), list):
            continue
        frame_list = g.get("type") in FRAME_LIST_TYPES
        handshake = g.get("type") in HANDSHAKE_TYPES
        missing = MISSING_FRAME.get(g.get("type"))
        either = EITHER_END.get(g.get("type"), set())
        hex_keys = HEX_KEYS | TYPE_HEX_KEYS.get(g.get("type"), set())
        inputs = {}
        for t in g["tests"]:
            if not isinstance(t, dict):
                continue
            tc = t.get("tcId")
            if not isinstance(tc, int) or isinstance(tc, bool) or tc < 1:
                report(f"tcId {tc!r} is not a positive integer")
            else:
                if tc in seen_ids:
                    report("tcId used twice", tc)
                seen_ids.add(tc)
                if tc in retired:
                    report("tcId is listed in retiredIds", tc)
            comment = t.get("comment")
            if not isinstance(comment, str) or not comment.strip():
                report("empty comment", tc)
            for flag in t.get("flags", []) if isinstance(t.get("flags"), list) else []:
                if flag not in notes:
                    report(f"flag {flag!r} not defined in notes", tc)
            for clause in t.get("clauses", []) if isinstance(t.get("clauses"), list) else []:
                if not isinstance(clause, str):
                    continue
                cited.add(clause)
                if registry is not None and clause not in registry:
                    report(f"clause {clause!r} not in the clause registry", tc)
            chunks = t.get("input") if isinstance(t.get("input"), list) else []
            for i, chunk in enumerate(chunks):
                if not isinstance(chunk, str) or not HEX_RE.match(chunk):
                    report(f"input[{i}] is not even-length lower-case hex", tc)
            if handshake:
                for msg in handshake_problems(g.get("type"), t):
                    report(msg, tc)
            if all(isinstance(c, str) for c in chunks):
                # A frame list is its frames; a byte stream is its octets, however chunked; a
                # whole connection is its input object.
                joined = (json.dumps(t.get("input"), sort_keys=True) if handshake else
                          tuple(chunks) if frame_list else "".join(chunks))
                if joined in inputs:
                    report(f"same input as tcId {inputs[joined]} in group {gi}", tc)
                else:
                    inputs[joined] = tc
            result = t.get("result")
            if table is not None:
                for msg in leniency_problems(t, table):
                    report(msg, tc)
            exp = t.get("expected")
            if isinstance(exp, dict):
                state = exp.get("state")
                if result == "invalid" and state != "error":
                    report("invalid vector whose expected state is not error", tc)
                if result == "valid" and state == "error":
                    report("valid vector whose expected state is error", tc)
                if "error" in exp and (exp.get("error") is None) != (state != "error"):
                    report("expected.error must be null exactly when state is not error", tc)
                err = exp.get("error")
                if isinstance(err, dict) and isinstance(err.get("offset"), int) and not handshake and \
                        all(isinstance(c, str) for c in chunks):
                    end = len(chunks) if frame_list else len("".join(chunks)) // 2
                    if err["offset"] > end:
                        report("error offset is past the end of the input"
                               + (" (a frame index, at most the number of frames)" if frame_list else ""), tc)
                    elif frame_list and err.get("class") not in either and \
                            (err["offset"] == end) != (err.get("class") == missing):
                        report(f"{err.get('class')} at frame {err['offset']} of {end}: {missing} is "
                               "reported at the number of frames, every other class at a frame of the "
                               "message" + (f" ({', '.join(sorted(either))} at either)" if either else ""),
                               tc)
                if frame_list and "message" in exp and (exp.get("message") is None) != (state != "complete"):
                    report("expected.message must be null exactly when state is not complete", tc)
                walk_hex(exp, "expected", lambda m, tc=tc: report(m, tc), hex_keys)
            else:
                report("expected is missing or not an object", tc)
    return len(tests)


def find_files(paths):
    files = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            files += sorted(p.rglob("*_test.json"))
        else:
            files.append(p)
    return files


def make_validator(schema_path=SCHEMA):
    try:
        import jsonschema
    except ImportError:  # pragma: no cover - python3-jsonschema is a stated dependency
        print("vectors-lint: python3-jsonschema missing, schema not checked", file=sys.stderr)
        return None
    schema = json.loads(Path(schema_path).read_text())
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def lint(paths, registry_path=None, coverage=False, schema_path=SCHEMA, spec_dir=SPEC_DIR, fallback=None,
         leniency_path=LENIENCY):
    """Returns (files, vectors, problems)."""
    problems = []
    table = None
    if leniency_path is not None:
        table, bad = zwire_spec.load_leniency(path=str(leniency_path))
        problems += [str(b) for b in bad]
    testability = {}
    registry, source = load_registry(registry_path, spec_dir, fallback, testability)
    if registry is None:
        problems.append("no clause registry found (spec/*.md or wire-ids.md); clause IDs not checked")
    validator = make_validator(schema_path)
    files = find_files(paths)
    vectors = 0
    cited = set()
    for f in files:
        vectors += lint_file(f, validator, registry, problems, cited, table)
    if not files:
        problems.append(f"no *_test.json files under {', '.join(str(p) for p in paths)}")
    if coverage and registry is not None:
        prefixes = {c.split(".", 1)[0] for c in cited}
        for cid in sorted(registry):
            if testability.get(cid, "wire") != "wire":
                continue
            if cid.split(".", 1)[0] in prefixes and cid not in cited:
                problems.append(f"coverage: clause {cid} ({source}) is cited by no vector")
    return len(files), vectors, problems


def main(argv=None):
    ap = argparse.ArgumentParser(description="Lint zwire vector files.")
    ap.add_argument("paths", nargs="*", default=[str(VECDIR)])
    ap.add_argument("--registry", help="clause registry file (spec table or wire-ids list)")
    ap.add_argument("--schema", default=str(SCHEMA))
    ap.add_argument("--leniency", default=str(LENIENCY),
                    help="the table of leniency (default spec/leniency.md)")
    ap.add_argument("--coverage", action="store_true",
                    help="every `wire` registry ID of a cited protocol must be cited by some vector")
    args = ap.parse_args(argv)
    nfiles, nvectors, problems = lint(args.paths, args.registry, args.coverage, Path(args.schema),
                                      leniency_path=Path(args.leniency))
    for p in problems:
        print(p)
    print(f"vectors-lint: {nfiles} files, {nvectors} vectors, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
