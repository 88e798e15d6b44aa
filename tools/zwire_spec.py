"""Shared reader for the zwire clause registry (spec/*.md) and for clause citations.

The registry is one Markdown file per specification, `spec/<specid>.md`, each holding one
table with the columns ID, Section, Keyword, Role, Binds, Testability, Digest, Statement,
RFC (see spec/README.md). `spec/waivers.md` is a two-column table (ID, Reason);
`spec/leniency.md` is the table of leniency (`load_leniency`: what a receiver may, must or
must not do with input that breaks a rule); `spec/README.md` and `spec/DECISIONS.md` are
prose; none of them is a registry file.

Citations are clause IDs written in the rest of the tree: comments in codec/ and reference/,
cases in conformance/, the `clauses` arrays of JSON files (vectors/), tools/ and the
Makefile. `scan_citations` finds them; `tools/spec_lint.py` checks that each one names a
registered clause and `tools/trace.py` joins them with the registry.

Everything here is stdlib-only and runs under Debian's /usr/bin/python3. A directory that
does not exist yet is simply skipped. Problems are returned as values, never raised.
"""

import json
import os
import re
from dataclasses import dataclass

SPEC_IDS = ("zmtp10", "zmtp20", "zmtp30", "zmtp31", "null", "plain", "curve", "zap",
            "z85", "mdp01", "mdp02", "mmi", "tsp", "flp", "chp", "bstar")

# Specs with a single area: their IDs may be `<spec>.<slug>` (two segments).
SHORT_FORM_SPECS = ("z85",)

COLUMNS = ("ID", "Section", "Keyword", "Role", "Binds", "Testability", "Digest", "Statement",
           "RFC")
WAIVER_COLUMNS = ("ID", "Reason")

MUST_CLASS = ("MUST", "MUST NOT", "SHALL", "SHALL NOT")
KEYWORDS = MUST_CLASS + ("SHOULD", "SHOULD NOT", "MAY")

# Whom a clause binds, which decides what a conformance case may judge by it
# (spec/README.md, "Who a clause binds"): what a peer sends, what a peer does on receiving
# something (only where the RFC names that action), or how it behaves otherwise.
BINDS = ("sender", "receiver", "behaviour")

# A receiver duty exists only where the RFC sentence names the receiver's action: the lint
# looks for one of these words in the RFC cell of every `receiver` clause.
RECEIVER_ACTION_RE = re.compile(
    r"\b(clos\w*|disconnect\w*|reject\w*|ignor\w*|discard\w*|treat\w*|significan\w*|"
    r"validat\w*|respond\w*|repl(?:y|ies|ied)|accept\w*|drop\w*|deliver\w*|interpret\w*|"
    r"check\w*|verif\w*|forward\w*|match\w*|send\w*|echo\w*|fatal)\b", re.IGNORECASE)

ROLES = ("peer", "client", "server", "sender", "receiver", "publisher", "subscriber",
         "socket", "mechanism", "encoder", "decoder",
         # the application protocols (MDP, MMI, TSP, FLP, CHP, Binary Star)
         "broker", "worker",
         # 27/ZAP: the server asks, the handler answers
         "handler")

# Every digest statement of these families must appear in some Digest cell.
DIGEST_COVERAGE = {
    "ZMTP10": 18, "ZMTP20": 6, "ZMTP30": 86, "ZMTP31": 110,
    "CZMQ": 60, "PLAIN": 3, "Z85": 10, "MDP01": 26, "MDP02": 27, "MMI": 5,
    "FLP": 8, "ZAP": 52,
}

# The mandatory wire clause IDs (the codec and vector contract) and their keywords.
# Each must be registered exactly so, with testability `wire`.
MANDATORY_WIRE = {
    "zmtp10.frame.length-nonzero": "SHOULD",
    "zmtp10.frame.long-length": "SHALL",
    "zmtp10.greeting.identity": "SHALL",
    "zmtp10.greeting.identity-flags": "SHALL NOT",
    "zmtp20.greeting.revision": "MUST",
    "zmtp20.greeting.socket-type": "MUST",
    "zmtp20.greeting.identity": "MUST",
    "zmtp20.frame.flags-reserved": "MUST",
    "zmtp20.frame.long-size": "MUST",
    "zmtp30.greeting.signature": "MUST",
    "zmtp30.greeting.padding-ignored": "MUST NOT",
    "zmtp30.greeting.detect-legacy": "SHALL",
    "zmtp30.greeting.version-major": "MUST",
    "zmtp30.version.accept-higher": "MUST",
    "zmtp30.version.downgrade-or-close": "MUST",
    "zmtp30.greeting.mechanism-name": "SHALL",
    "zmtp30.greeting.mechanism-match": "MUST",
    "zmtp30.greeting.as-server": "MUST",
    "zmtp30.greeting.filler": "MUST",
    "zmtp30.null.as-server-zero": "MUST",
    "zmtp30.frame.flags-reserved": "MUST",
    "zmtp30.frame.command-no-more": "SHALL",
    "zmtp30.frame.short-size": "MUST",
    "zmtp30.frame.long-size": "MUST",
    "zmtp30.frame.size-limit": "MAY",
    "zmtp30.command.short-size": "SHOULD",
    "zmtp30.command.long-size": "SHOULD",
    "zmtp30.command.name": "MUST",
    "zmtp30.metadata.name": "SHALL",
    "zmtp30.metadata.case-insensitive": "SHALL NOT",
    "zmtp30.metadata.value-size": "SHALL",
    "zmtp30.null.ready": "SHALL",
    "zmtp30.null.error": "MUST",
    "zmtp30.pubsub.subscribe-message": "SHALL",
    "zmtp30.pubsub.cancel-message": "SHALL",
    "zmtp30.compat.pseudo-length": "SHALL",
    "zmtp31.greeting.signature": "MUST",
    "zmtp31.greeting.padding-ignored": "MUST NOT",
    "zmtp31.greeting.detect-legacy": "SHALL",
    "zmtp31.greeting.version-minor": "MUST",
    "zmtp31.version.accept-higher": "MUST",
    "zmtp31.version.downgrade-or-close": "MUST",
    "zmtp31.greeting.mechanism-name": "SHALL",
    "zmtp31.greeting.mechanism-match": "MUST",
    "zmtp31.greeting.as-server": "MUST",
    "zmtp31.greeting.filler": "MUST",
    "zmtp31.null.as-server-zero": "MUST",
    "zmtp31.frame.flags-reserved": "MUST",
    "zmtp31.frame.command-no-more": "SHALL",
    "zmtp31.frame.short-size": "MUST",
    "zmtp31.frame.long-size": "MUST",
    "zmtp31.frame.size-limit": "MAY",
    "zmtp31.command.short-size": "SHOULD",
    "zmtp31.command.long-size": "SHOULD",
    "zmtp31.command.name": "MUST",
    "zmtp31.metadata.name": "SHALL",
    "zmtp31.metadata.case-insensitive": "SHALL NOT",
    "zmtp31.metadata.value-size": "SHALL",
    "zmtp31.identity.no-leading-zero": "SHALL NOT",
    "zmtp31.null.error": "MUST",
    "zmtp31.command.subscribe": "SHALL",
    "zmtp31.command.cancel": "SHALL",
    "zmtp31.command.ping": "MUST",
    "zmtp31.command.pong": "MUST NOT",
    "zmtp31.command.join": "SHALL",
    "zmtp31.command.leave": "SHALL",
    "zmtp31.compat.pseudo-length": "SHALL",
    "plain.hello.layout": "MUST",
    "plain.hello.vchar": "MUST",
    "plain.welcome.layout": "MUST",
    "plain.initiate.metadata": "MUST",
    "plain.ready.metadata": "MUST",
    "plain.error.layout": "MUST",
    "curve.hello.size": "SHALL",
    "curve.hello.version": "SHALL",
    "curve.hello.padding": "SHALL",
    "curve.welcome.size": "SHALL",
    "curve.initiate.size": "SHALL",
    "curve.ready.size": "SHALL",
    "curve.message.size": "SHALL",
    "curve.error.size": "SHALL",
    "curve.metadata.name": "SHALL",
    "curve.metadata.value-size": "SHALL",
    "z85.string-length": "SHALL",
    "z85.binary-length": "SHALL",
    "z85.alphabet": "SHALL",
    "z85.decode": "SHALL",
    "z85.encode": "SHALL",
    "z85.test-vector": "SHALL",
}

# Where citations are looked for (relative to the repository root).
CITATION_DIRS = ("codec", "reference", "conformance", "fuzz", "vectors", "tools")
CITATION_FILES = ("Makefile",)
SKIP_DIRS = (".git", "build", "__pycache__", ".pytest_cache", "node_modules")
MAX_SCAN_BYTES = 4 * 1024 * 1024

_SEGMENT = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_PREFIX = "|".join(SPEC_IDS)
ID_RE = re.compile(r"^(%s)((?:\.%s)+)$" % (_PREFIX, _SEGMENT))
DIGEST_TOKEN_RE = re.compile(r"^([A-Z][A-Z0-9]*)-(\d+)$")
WAIVER_FILE = "waivers.md"
LENIENCY_FILE = "leniency.md"
NON_REGISTRY_FILES = ("README.md", "DECISIONS.md", WAIVER_FILE, LENIENCY_FILE)

# A clause-looking token: a spec prefix, not glued to a preceding word or path element,
# then `.`-separated parts. The parts are matched broadly and then checked, so that
# `curve.hello_box` or `zmtp31.Frame.x` (code, not citations) are left alone.
_TOKEN_RE = re.compile(r"(?<![A-Za-z0-9_.\-])(?:%s)(?:\.[A-Za-z0-9_\-]+)+" % _PREFIX)
# A token whose last part is one of these is a file name, not a citation.
_FILE_SUFFIXES = frozenset(
    "c h rl py json md o a so txt dict dot svg png html xml sh yaml yml bin log mk in "
    "out hex seed".split())


@dataclass(frozen=True)
class Problem:
    """One finding: `path` is relative to the root, `line` 1-based (0: the whole file)."""
    path: str
    line: int
    message: str

    def __str__(self):
        return "%s:%d: %s" % (self.path, self.line, self.message)


@dataclass(frozen=True)
class Citation:
    """One mention of a clause ID. `tc_id` is set for JSON tests that carry a tcId."""
    path: str
    line: int
    clause: str
    tc_id: object = None
    from_json: bool = False


def repo_root():
    """The repository root: the parent of the directory holding this file."""
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def is_must_class(keyword):
    return keyword in MUST_CLASS


def id_problem(clause_id, spec=None):
    """Why `clause_id` is not a well-formed ID (of `spec`, if given), or None."""
    m = ID_RE.match(clause_id)
    if not m:
        return "malformed clause ID %r (want <spec>.<area>.<slug>, lower case, " \
               "segments of [a-z0-9-])" % clause_id
    prefix = m.group(1)
    segments = clause_id.split(".")
    minimum = 2 if prefix in SHORT_FORM_SPECS else 3
    if len(segments) < minimum:
        return "malformed clause ID %r (needs at least %d segments)" % (clause_id, minimum)
    if spec is not None and prefix != spec:
        return "clause ID %r does not start with this file's spec id %r" % (clause_id, spec)
    return None


def split_row(line):
    """Cells of a Markdown table row (`\\|` escapes a pipe), or None if not a row."""
    text = line.strip()
    if not text.startswith("|"):
        return None
    text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    cells, cur, i = [], [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text) and text[i + 1] == "|":
            cur.append("|")
            i += 2
            continue
        if text[i] == "|":
            cells.append("".join(cur).strip())
            cur = []
        else:
            cur.append(text[i])
        i += 1
    cells.append("".join(cur).strip())
    return cells


def _is_separator(cells):
    return all(re.match(r"^:?-{3,}:?$", c) for c in cells)


def _strip_ticks(cell):
    if len(cell) >= 2 and cell.startswith("`") and cell.endswith("`"):
        return cell[1:-1].strip()
    return cell


def read_table(path, rel, columns):
    """The rows of the first table in `path` whose header is `columns`.

    Returns (rows, problems); each row is (line_number, {column: cell}).
    """
    problems = []
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except (OSError, UnicodeDecodeError) as e:
        return [], [Problem(rel, 0, "cannot read: %s" % e)]
    rows, state = [], "search"
    for number, line in enumerate(lines, 1):
        cells = split_row(line)
        if state == "search":
            if cells is not None and tuple(cells) == tuple(columns):
                state = "separator"
            elif cells is not None and cells and cells[0] == columns[0]:
                problems.append(Problem(rel, number, "table header must be exactly | %s |"
                                        % " | ".join(columns)))
                return [], problems
            continue
        if state == "separator":
            if cells is None or not _is_separator(cells):
                problems.append(Problem(rel, number, "table header not followed by a "
                                        "separator row"))
                return [], problems
            state = "body"
            continue
        if cells is None:
            break
        if len(cells) != len(columns):
            problems.append(Problem(rel, number, "row has %d cells, want %d"
                                    % (len(cells), len(columns))))
            continue
        rows.append((number, dict(zip(columns, cells))))
    if state == "search":
        problems.append(Problem(rel, 0, "no table with header | %s |" % " | ".join(columns)))
    return rows, problems


def _parse_testability(cell):
    """(kind, reason) for a Testability cell, or (None, None) if it is malformed."""
    if cell in ("wire", "behaviour"):
        return cell, None
    m = re.match(r"^untestable:\s*(\S.*)$", cell)
    if m:
        return "untestable", m.group(1).strip()
    return None, None


def rfc_problems(keyword, binds, digest, sentence):
    """What is wrong with a clause's Binds and RFC cells: the sentence is there, it carries
    the clause's keyword (a grammar rule carries none), and a receiver duty is one the
    sentence names."""
    problems = []
    if binds not in BINDS:
        problems.append("unknown binds %r (want one of %s)" % (binds, ", ".join(BINDS)))
    if not sentence:
        problems.append("empty RFC cell (the RFC sentence the clause restates, verbatim)")
        return problems
    grammar_only = digest == ["ABNF"]
    words = " ".join(sentence.split()).lower()
    if not grammar_only and keyword.lower() not in words:
        problems.append("the RFC sentence does not say %s: the keyword restates another "
                        "sentence, or drifted" % keyword)
    if binds == "receiver" and not RECEIVER_ACTION_RE.search(sentence):
        problems.append("a receiver duty whose RFC sentence names no action of the receiver "
                        "(close, reject, ignore, treat as ...): bind it to the sender or "
                        "the behaviour, or quote the sentence that names it")
    return problems


def registry_files(root):
    """Registry files as (spec, absolute path, relative path), in SPEC_IDS order (files
    named after no known spec last, by name)."""
    spec_dir = os.path.join(root, "spec")
    if not os.path.isdir(spec_dir):
        return []
    order = {spec: n for n, spec in enumerate(SPEC_IDS)}
    out = []
    names = sorted(os.listdir(spec_dir), key=lambda n: (order.get(n[:-3], len(order)), n))
    for name in names:
        if not name.endswith(".md") or name in NON_REGISTRY_FILES:
            continue
        out.append((name[:-3], os.path.join(spec_dir, name), "spec/" + name))
    return out


def load_registry(root):
    """Read every spec/<specid>.md table.

    Returns (clauses, problems). Each clause is a dict with the keys id, spec, file, line,
    section, keyword, role, testability (the cell), kind (wire / behaviour / untestable),
    reason (for untestable), digest (list of tokens), statement, must_class (bool).
    Rows with a problem are still returned when their ID is usable, so that one typo does
    not hide the rest of the file; duplicates are reported and only the first is kept.
    """
    clauses, problems, seen = [], [], {}
    for spec, path, rel in registry_files(root):
        if spec not in SPEC_IDS:
            problems.append(Problem(rel, 0, "unknown spec id %r (known: %s)"
                                    % (spec, " ".join(SPEC_IDS))))
            continue
        rows, table_problems = read_table(path, rel, COLUMNS)
        problems.extend(table_problems)
        for number, row in rows:
            clause_id = _strip_ticks(row["ID"])
            bad_id = id_problem(clause_id, spec)
            if bad_id:
                problems.append(Problem(rel, number, bad_id))
            if clause_id in seen:
                first = seen[clause_id]
                problems.append(Problem(rel, number, "duplicate clause ID %r (first at %s:%d)"
                                        % (clause_id, first["file"], first["line"])))
                continue
            keyword = row["Keyword"]
            if keyword not in KEYWORDS:
                problems.append(Problem(rel, number, "unknown keyword %r (want one of %s)"
                                        % (keyword, ", ".join(KEYWORDS))))
            role = row["Role"]
            if role not in ROLES:
                problems.append(Problem(rel, number, "unknown role %r (want one of %s)"
                                        % (role, ", ".join(ROLES))))
            kind, reason = _parse_testability(row["Testability"])
            if kind is None:
                problems.append(Problem(rel, number, "bad testability %r (want wire, "
                                        "behaviour or 'untestable: <reason>')"
                                        % row["Testability"]))
            digest = [t.strip() for t in row["Digest"].split(",") if t.strip()]
            if not digest:
                problems.append(Problem(rel, number, "empty Digest cell"))
            for token in digest:
                if token != "ABNF" and not DIGEST_TOKEN_RE.match(token):
                    problems.append(Problem(rel, number, "bad digest reference %r (want "
                                            "ABNF or a statement ID like ZMTP30-28)" % token))
                    continue
                m = DIGEST_TOKEN_RE.match(token)
                if m and m.group(1) in DIGEST_COVERAGE:
                    n = int(m.group(2))
                    if not 1 <= n <= DIGEST_COVERAGE[m.group(1)]:
                        problems.append(Problem(rel, number, "digest reference %r is out of "
                                                "range (%s-01..%02d)" % (
                                                    token, m.group(1),
                                                    DIGEST_COVERAGE[m.group(1)])))
            if not row["Section"]:
                problems.append(Problem(rel, number, "empty Section cell"))
            if not row["Statement"]:
                problems.append(Problem(rel, number, "empty Statement cell"))
            binds = row["Binds"]
            problems.extend(Problem(rel, number, text) for text in
                            rfc_problems(keyword, binds, digest, row["RFC"]))
            clause = {
                "id": clause_id, "spec": spec, "file": rel, "line": number,
                "section": row["Section"], "keyword": keyword, "role": role, "binds": binds,
                "testability": row["Testability"], "kind": kind, "reason": reason,
                "digest": digest, "statement": row["Statement"], "rfc": row["RFC"],
                "must_class": keyword in MUST_CLASS,
            }
            seen[clause_id] = clause
            if not bad_id:
                clauses.append(clause)
    return clauses, problems


def load_waivers(root, known_ids=None):
    """spec/waivers.md as ({id: {"reason", "file", "line"}}, problems).

    A missing file means no waivers. With `known_ids`, a waiver of an unregistered clause
    is a problem.
    """
    path = os.path.join(root, "spec", WAIVER_FILE)
    rel = "spec/" + WAIVER_FILE
    if not os.path.isfile(path):
        return {}, []
    rows, problems = read_table(path, rel, WAIVER_COLUMNS)
    waivers = {}
    for number, row in rows:
        clause_id = _strip_ticks(row["ID"])
        bad = id_problem(clause_id)
        if bad:
            problems.append(Problem(rel, number, bad))
            continue
        if clause_id in waivers:
            problems.append(Problem(rel, number, "duplicate waiver for %r" % clause_id))
            continue
        if not row["Reason"]:
            problems.append(Problem(rel, number, "waiver of %r has no reason" % clause_id))
        if known_ids is not None and clause_id not in known_ids:
            problems.append(Problem(rel, number, "waiver names unknown clause %r" % clause_id))
        waivers[clause_id] = {"reason": row["Reason"], "file": rel, "line": number}
    return waivers, problems


def digest_coverage_problems(clauses):
    """Problems for every digest statement of DIGEST_COVERAGE no clause restates."""
    cited = set()
    for clause in clauses:
        cited.update(clause["digest"])
    problems = []
    for family, count in DIGEST_COVERAGE.items():
        missing = ["%s-%02d" % (family, n) for n in range(1, count + 1)
                   if "%s-%02d" % (family, n) not in cited]
        for token in missing:
            problems.append(Problem("spec", 0, "digest statement %s is not restated by any "
                                    "clause" % token))
    return problems


def mandatory_problems(clauses):
    """Problems for mandatory wire IDs that are missing or registered differently."""
    by_id = {c["id"]: c for c in clauses}
    problems = []
    for clause_id, keyword in MANDATORY_WIRE.items():
        spec = clause_id.split(".")[0]
        clause = by_id.get(clause_id)
        if clause is None:
            problems.append(Problem("spec/%s.md" % spec, 0,
                                    "mandatory wire clause %s is missing" % clause_id))
            continue
        if clause["kind"] != "wire":
            problems.append(Problem(clause["file"], clause["line"],
                                    "mandatory clause %s must have testability wire"
                                    % clause_id))
        if clause["keyword"] != keyword:
            problems.append(Problem(clause["file"], clause["line"],
                                    "mandatory clause %s must have keyword %s, not %s"
                                    % (clause_id, keyword, clause["keyword"])))
    return problems


# ---------------------------------------------------------------------------------------
# The table of leniency (spec/leniency.md)

LENIENCY_COLUMNS = ("Input", "Breaks", "Basis", "Because", "Result", "Codecs", "Note")
RESULTS = ("valid", "acceptable", "invalid")       # in rising order of strictness
BASES = ("receiver", "sender", "limit", "decoding")
# The codec error classes a row may name (vectors/FORMAT.md, "Error classes").
CODEC_CLASSES = ("malformed-greeting", "unsupported-version", "invalid-mechanism",
                 "mechanism-mismatch", "invalid-flags", "invalid-size", "limit-exceeded",
                 "malformed-command", "invalid-metadata", "invalid-z85",
                 "mdp-invalid-header", "mdp-invalid-command", "mdp-invalid-service",
                 "mdp-invalid-delimiter", "mdp-missing-frame", "mdp-extra-frame",
                 "flp-missing-frame",
                 "zap-invalid-delimiter", "zap-bad-version", "zap-missing-frame",
                 "zap-extra-frame", "zap-invalid-domain", "zap-invalid-address",
                 "zap-invalid-identity", "zap-invalid-mechanism", "zap-invalid-credentials",
                 "zap-invalid-status-code", "zap-invalid-text", "zap-invalid-user-id",
                 "zap-invalid-metadata",
                 "cryptographic")      # a box or a nonce of the CURVE handshake vectors
INPUT_RE = re.compile(r"^[A-Z][A-Za-z0-9]*$")


@dataclass(frozen=True)
class Leniency:
    """One row of spec/leniency.md: an input class and what a receiver does with it."""
    input: str
    breaks: tuple
    basis: str
    because: tuple
    result: str
    codecs: str
    note: str
    line: int = 0

    @property
    def judged(self):
        """True where a receiver clause decides (invalid or valid): a case judges it."""
        return self.result != "acceptable"


def strictest(results):
    """The result of an input of several classes: invalid over acceptable over valid."""
    return max(results, key=RESULTS.index) if results else "valid"


def _clause_list(cell):
    cell = cell.strip()
    if cell in ("", "-"):
        return ()
    return tuple(_strip_ticks(c.strip()) for c in cell.split(",") if c.strip())


def load_leniency(root=None, path=None):
    """spec/leniency.md (or `path`) as ({input: Leniency}, problems), rows in file order.

    Only the form of each row is checked here; `leniency_problems` checks the rows
    against the clause registry."""
    path = path or os.path.join(root or repo_root(), "spec", LENIENCY_FILE)
    rel = os.path.relpath(path, root) if root else path
    rows, problems = read_table(path, rel, LENIENCY_COLUMNS)
    table = {}
    for number, row in rows:
        name = row["Input"]
        if not INPUT_RE.match(name):
            problems.append(Problem(rel, number, "input class %r is not a CamelCase word (it is "
                                    "also a vector flag)" % name))
            continue
        if name in table:
            problems.append(Problem(rel, number, "input class %r twice" % name))
            continue
        entry = Leniency(name, _clause_list(row["Breaks"]), row["Basis"],
                         _clause_list(row["Because"]), row["Result"], row["Codecs"],
                         row["Note"], number)
        if entry.basis not in BASES:
            problems.append(Problem(rel, number, "%s: basis %r (want one of %s)"
                                    % (name, entry.basis, ", ".join(BASES))))
        if entry.result not in RESULTS:
            problems.append(Problem(rel, number, "%s: result %r (want one of %s)"
                                    % (name, entry.result, ", ".join(RESULTS))))
        if entry.codecs != "accept" and entry.codecs not in CODEC_CLASSES:
            problems.append(Problem(rel, number, "%s: codecs %r (want accept or an error "
                                    "class of vectors/FORMAT.md)" % (name, entry.codecs)))
        if not entry.note:
            problems.append(Problem(rel, number, "%s: empty note" % name))
        table[name] = entry
    return table, problems


def leniency_row_problems(entry, by_id):
    """What is wrong with one row against the registry `by_id` ({id: clause}): each result
    follows from whom its clauses bind (spec/leniency.md, spec/README.md)."""
    out = []
    for clause_id in entry.breaks + entry.because:
        if clause_id not in by_id:
            out.append("%s: cites %s, which spec/ does not register" % (entry.input, clause_id))
    if out:
        return out
    breaks = [by_id[c] for c in entry.breaks]
    because = [by_id[c] for c in entry.because]
    for c in breaks:
        if c["binds"] != "sender":
            out.append("%s: Breaks lists %s, which binds the %s, not the sender"
                       % (entry.input, c["id"], c["binds"]))
    duty = [c for c in because if c["binds"] == "receiver" and c["must_class"]]
    if entry.basis == "receiver":
        if entry.result == "acceptable":
            out.append("%s: basis receiver decides valid or invalid, not acceptable" % entry.input)
        if not because or len(duty) != len(because):
            out.append("%s: basis receiver needs Because clauses that bind the receiver with a "
                       "MUST-class keyword (the RFC names the receiver's action)" % entry.input)
    elif entry.basis == "sender":
        if entry.result != "acceptable":
            out.append("%s: only sender rules broken is acceptable, not %s"
                       % (entry.input, entry.result))
        if not breaks:
            out.append("%s: basis sender names no broken sender rule in Breaks" % entry.input)
        if duty:
            out.append("%s: Because %s is a MUST-class receiver duty: the result is then not "
                       "acceptable (basis receiver)" % (entry.input, duty[0]["id"]))
    elif entry.basis == "limit":
        if entry.result != "invalid" or breaks or not because:
            out.append("%s: basis limit is invalid, breaks no sender rule and names in "
                       "Because the clause that lets a peer set the limit" % entry.input)
    elif entry.basis == "decoding":
        if entry.result != "invalid" or not because:
            out.append("%s: basis decoding is invalid and names the decoding rule in Because"
                       % entry.input)
    if entry.result == "valid" and entry.codecs != "accept":
        out.append("%s: a valid input the codecs refuse (%s)" % (entry.input, entry.codecs))
    if entry.result == "invalid" and entry.codecs == "accept":
        out.append("%s: an invalid input the codecs accept" % entry.input)
    return out


# ---------------------------------------------------------------------------------------
# Citations

def _walk_files(root):
    """Relative paths of every file in the citation scope, sorted."""
    out = []
    for name in CITATION_FILES:
        if os.path.isfile(os.path.join(root, name)):
            out.append(name)
    for top in CITATION_DIRS:
        base = os.path.join(root, top)
        if not os.path.isdir(base):
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
            for name in sorted(filenames):
                full = os.path.join(dirpath, name)
                out.append(os.path.relpath(full, root).replace(os.sep, "/"))
    return out


def _read_text(path):
    """The file's text, or None for binary, unreadable or very large files."""
    try:
        if os.path.getsize(path) > MAX_SCAN_BYTES:
            return None
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    if b"\0" in data[:8192]:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def tokens_in_line(line, known_ids):
    """Clause-looking tokens of one line of text, as (token, is_checked) pairs.

    `is_checked` is True for a token with at least two parts after the spec prefix (such a
    token must be a registered ID). A token with one part (`z85.decode`) is returned only
    when it is a registered ID, since `z85.rl` or `curve.c` are file names.
    """
    out = []
    for m in _TOKEN_RE.finditer(line):
        token = m.group(0).rstrip(".-")
        if re.search(r"[A-Z_]", token):
            continue
        parts = token.split(".")
        if parts[-1] in _FILE_SUFFIXES:
            continue
        if len(parts) >= 3:
            out.append((token, True))
        elif len(parts) == 2 and token in known_ids:
            out.append((token, False))
    return out


def _json_clause_lists(node, tc_id=None):
    """Yield (clause string, tcId or None) for every `clauses` list in a JSON value."""
    if isinstance(node, dict):
        here = node.get("tcId", tc_id) if "clauses" in node else tc_id
        for key, value in node.items():
            if key == "clauses" and isinstance(value, list):
                for item in value:
                    if isinstance(item, str):
                        yield item, here
            else:
                yield from _json_clause_lists(value, tc_id)
    elif isinstance(node, list):
        for item in node:
            yield from _json_clause_lists(item, tc_id)


def _json_citations(rel, text):
    try:
        data = json.loads(text)
    except ValueError:
        return None
    # Line numbers: the k-th citation of a string is placed at the k-th place where that
    # string appears as a JSON string literal (document order is kept by json.loads).
    line_starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            line_starts.append(i + 1)

    def line_of(offset):
        lo, hi = 0, len(line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if line_starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1

    places, used, out = {}, {}, []
    for clause, tc_id in _json_clause_lists(data):
        if clause not in places:
            places[clause] = [line_of(m.start()) for m in
                              re.finditer(re.escape(json.dumps(clause)), text)] or [0]
        k = used.get(clause, 0)
        used[clause] = k + 1
        spots = places[clause]
        line = spots[k] if k < len(spots) else spots[0]
        out.append(Citation(rel, line, clause, tc_id, True))
    return out


def scan_citations(root, known_ids):
    """Every citation in the scope, as (citations, notes).

    `notes` are non-fatal remarks (a JSON file that does not parse is scanned as text).
    JSON files contribute only their `clauses` arrays; every other text file contributes
    each clause-looking token. A citation from text is marked checked (it must be a
    registered ID) unless it is a short token that matched a registered ID.
    """
    known_ids = set(known_ids)
    citations, notes = [], []
    for rel in _walk_files(root):
        text = _read_text(os.path.join(root, rel))
        if text is None:
            continue
        if rel.endswith(".json"):
            found = _json_citations(rel, text)
            if found is not None:
                citations.extend(found)
                continue
            notes.append("%s: not valid JSON; scanned as text" % rel)
        for number, line in enumerate(text.splitlines(), 1):
            for token, _checked in tokens_in_line(line, known_ids):
                citations.append(Citation(rel, number, token))
    return citations, notes
