"""Helpers for the tools tests: build small repository trees in a temporary directory.

Clause IDs that do not exist in the real registry are built with `cid(...)` so that this
file and the tests never contain a literal that spec_lint would read as a citation.
"""

import importlib.util
import json
import os
import sys

TOOLS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(TOOLS)
HEADER = ("| ID | Section | Keyword | Role | Binds | Testability | Digest | Statement | RFC |\n"
          "|---|---|---|---|---|---|---|---|---|\n")

if TOOLS not in sys.path:
    sys.path.insert(0, TOOLS)


def load_tool(name):
    """Import tools/<name>.py under a private module name (tools/trace.py would
    otherwise collide with the standard library's trace module)."""
    spec = importlib.util.spec_from_file_location("zwire_tool_" + name,
                                                  os.path.join(TOOLS, name + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cid(*parts):
    """A clause ID from its parts."""
    return ".".join(parts)


def row(clause_id, keyword="MUST", role="peer", testability="wire", digest="ABNF",
        section="Framing", statement="A restated rule.", binds="sender", rfc=None):
    """A registry row; the RFC cell says the keyword unless given."""
    rfc = "A peer %s send it." % keyword if rfc is None else rfc
    return "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n" % (
        clause_id, section, keyword, role, binds, testability, digest, statement, rfc)


def write(root, rel, text):
    path = os.path.join(str(root), rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def write_spec(root, spec, rows, preamble="# %s\n\nA test registry.\n\n"):
    """spec/<spec>.md with a title, a paragraph and one table of `rows`.
    Returns the 1-based line number of the first row."""
    head = preamble % spec
    write(root, "spec/%s.md" % spec, head + HEADER + "".join(rows))
    return head.count("\n") + 3


def write_waivers(root, entries):
    body = "# Waivers\n\n| ID | Reason |\n|---|---|\n"
    body += "".join("| %s | %s |\n" % (k, v) for k, v in entries)
    write(root, "spec/waivers.md", body)


def write_vectors(root, rel, tests):
    """A vector file whose single group holds `tests` = [(tcId, [clauses])]."""
    doc = {"protocol": "zmtp", "numberOfTests": len(tests), "testGroups": [
        {"type": "frames", "tests": [
            {"tcId": tc, "comment": "c", "flags": ["Valid"], "clauses": clauses,
             "input": [""], "result": "valid", "expected": {}}
            for tc, clauses in tests]}]}
    write(root, rel, json.dumps(doc, indent=2) + "\n")
