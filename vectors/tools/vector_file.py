"""What the vector generators share (gen_zmtp.py, gen_mdp.py, gen_flp.py): a vector file's tests, their
tcIds, results and notes, and the run that writes the files or checks them (--check).

tcIds come from vectors/tools/tcids.json: per file, a map slug -> tcId plus the retired ids.
A slug keeps its tcId forever; a new slug gets max(all ids ever used in that file) + 1; a slug
that is no longer generated is retired and its id is never handed out again.  Slugs do not
appear in the generated files (vectors/README.md, "tcIds").

The result of an input that breaks a rule is not written in a generator: spec/leniency.md
decides it for each input class (a flag of the vector), and leniency() derives it.  A test
whose flags name no class passes "valid"; one whose flags do passes TABLE.
"""

import argparse
import json
import sys
from pathlib import Path

TOOLS = Path(__file__).resolve().parent
VECDIR = TOOLS.parent
REGISTRY = TOOLS / "tcids.json"
SCHEMA_NAME = "zwire_vectors_v1.schema.json"

sys.path.insert(0, str(VECDIR.parent / "tools"))
import zwire_spec  # noqa: E402  (the reader of spec/leniency.md)

LENIENCY, _problems = zwire_spec.load_leniency(VECDIR.parent)
assert not _problems, _problems
TABLE = "by spec/leniency.md"


def describe(row):
    """The note of an input-class flag, from its row of spec/leniency.md."""
    because = ", ".join(row.because)
    if row.result == "acceptable":
        why = (f"acceptable: it breaks the sender rule {', '.join(row.breaks)}, and refusing and taking it "
               "both conform")
        if because:
            why += f" ({because} is a SHOULD or a MAY of the receiver)"
    elif row.basis == "limit":
        why = f"invalid under the group's limit, which {because} lets a peer set"
    elif row.basis == "decoding":
        why = f"invalid: it has no decoding ({because})"
    else:
        why = f"{row.result}: {because} make{'' if len(row.because) > 1 else 's'} the receiver " \
              f"{'refuse' if row.result == 'invalid' else 'take'} it"
    return f"{row.note} Result {why} (spec/leniency.md)."


def leniency(slug, flags, clauses, result):
    """The result spec/leniency.md gives a test of these flags, and its clauses with the
    receiver clauses that make it invalid (the strictest class wins: invalid over
    acceptable over valid)."""
    rows = [LENIENCY[f] for f in flags if f in LENIENCY]
    assert result == TABLE if any(r.result != "valid" for r in rows) else result == "valid", \
        f"{slug}: pass TABLE exactly when a flag names a class that is not valid"
    clauses = list(clauses)
    for row in rows:
        assert not row.breaks or set(row.breaks) & set(clauses), \
            f"{slug}: {row.input} breaks {row.breaks}; cite one"
        if row.result == "invalid":
            clauses += [c for c in row.because if c not in clauses]
    return zwire_spec.strictest([r.result for r in rows]), clauses


def dump(obj):
    """A file's canonical text (vectors/README.md: diffs show only real changes)."""
    return json.dumps(obj, indent=2, sort_keys=False) + "\n"


# --------------------------------------------------------------------------
# Vector files.  A generator subclasses Group with its own t(), which checks what its layouts
# need between admit() and add().

class Group:
    def __init__(self, vfile, gtype, params):
        self.vfile = vfile
        self.data = {"type": gtype, "params": params, "tests": []}

    def admit(self, slug, comment, flags, clauses, result):
        """The checks every vector passes; then its result and clauses (leniency)."""
        vf = self.vfile
        assert slug not in vf.slugs, f"{vf.area}: duplicate slug {slug}"
        vf.slugs.add(slug)
        assert comment.strip() and flags and clauses, slug
        for f in flags:
            assert f in vf.notes or f in LENIENCY, f"{slug}: unknown flag {f}"
        assert len(set(clauses)) == len(clauses), f"{slug}: repeated clause"
        return leniency(slug, flags, clauses, result)

    def add(self, slug, comment, flags, clauses, chunks, result, expected):
        self.data["tests"].append({"_slug": slug, "comment": comment, "flags": list(flags),
                                   "clauses": list(clauses), "input": list(chunks), "result": result,
                                   "expected": expected})
        self.vfile.flags_used.update(flags)
        self.vfile.clauses_used.update(clauses)


class VectorFile:
    """One <area>_test.json: its groups, and the flags and clauses its tests use.  notes maps
    a flag to (bugType, description); a flag of spec/leniency.md takes its description from
    the table."""

    def __init__(self, area, protocol, spec_version, header, notes):
        self.area = area
        self.protocol = protocol
        self.spec_version = spec_version
        self.header = header
        self.notes = notes
        self.groups = []
        self.slugs = set()
        self.flags_used = set()
        self.clauses_used = set()

    def render(self, reg):
        """Assign tcIds from the registry entry reg (mutated) and return the file object."""
        slugs, retired = self.assign_ids(reg)
        groups = [{"type": g.data["type"], "params": g.data["params"],
                   "tests": [{"tcId": slugs[t["_slug"]], **{k: v for k, v in t.items() if k != "_slug"}}
                             for t in g.data["tests"]]}
                  for g in self.groups]
        return {
            "protocol": self.protocol,
            "specVersion": self.spec_version,
            "schema": SCHEMA_NAME,
            "numberOfTests": sum(len(g["tests"]) for g in groups),
            "header": self.header,
            "notes": self.rendered_notes(),
            "retiredIds": list(retired),
            "testGroups": groups,
        }

    def assign_ids(self, reg):
        """Retire the slugs no longer generated, give new ones max(every id ever used) + 1."""
        slugs = reg.setdefault("slugs", {})
        retired = reg.setdefault("retired", [])
        generated = [t["_slug"] for g in self.groups for t in g.data["tests"]]
        for slug in list(slugs):
            if slug not in generated:
                retired.append(slugs.pop(slug))
                print(f"{self.area}: slug {slug} no longer generated, tcId {retired[-1]} retired",
                      file=sys.stderr)
        retired.sort()
        next_id = max([0, *slugs.values(), *retired]) + 1
        for slug in generated:
            if slug not in slugs:
                slugs[slug] = next_id
                next_id += 1
        return slugs, retired

    def rendered_notes(self):
        """Only the flags this file's vectors use."""
        notes = {}
        for flag in sorted(self.flags_used):
            bug, desc = self.notes[flag]
            if flag in LENIENCY:
                desc = describe(LENIENCY[flag])
            notes[flag] = {"bugType": bug, "description": desc}
        return notes


# --------------------------------------------------------------------------
# The run: every file of a generator, the registry, and the clause coverage of its specs.

def main(doc, generators, outdir, generated_specs, argv=None):
    """Write (or with --check, compare) generators' files under outdir and the registry;
    every wire clause of generated_specs must be cited.  Exit status 1 on any problem."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="do not write; exit 1 if any file would change")
    ap.add_argument("--registry", help="clause registry (default: spec/*.md)")
    args = ap.parse_args(argv)

    outputs, cited, summary = render_all(generators, outdir)
    problems = coverage_problems(args.registry, cited, generated_specs)
    changed = [p for p, text in outputs.items() if not p.exists() or p.read_text() != text]
    if args.check:
        problems += [f"out of date: {p.relative_to(VECDIR.parent)}" for p in changed]
    else:
        outdir.mkdir(parents=True, exist_ok=True)
        for p in changed:
            p.write_text(outputs[p])

    print_summary(summary)
    print(f"clauses cited: {len(cited)}; files {'checked' if args.check else 'written'}: "
          f"{len(changed)} {'out of date' if args.check else 'changed'}")
    for p in problems:
        print(f"problem: {p}", file=sys.stderr)
    return 1 if problems else 0


def render_all(generators, outdir):
    """path -> text of every file and of the registry, the clauses cited, a summary row a file."""
    registry = json.loads(REGISTRY.read_text()) if REGISTRY.exists() else {}
    outputs = {}
    cited = set()
    summary = []
    for area, gen in generators:
        vf = gen()
        obj = vf.render(registry.setdefault(area, {"slugs": {}, "retired": []}))
        outputs[outdir / f"{area}_test.json"] = dump(obj)
        cited |= vf.clauses_used
        tests = [t for grp in obj["testGroups"] for t in grp["tests"]]
        summary.append((f"{area}_test.json", len(tests),
                        *(sum(t["result"] == r for t in tests) for r in ("valid", "invalid", "acceptable"))))
    outputs[REGISTRY] = dump(registry)
    return outputs, cited, summary


def coverage_problems(registry_path, cited, generated_specs):
    """Clauses cited but unknown, and wire clauses of these specs never cited (only these
    specs: each protocol's vectors have a generator of their own)."""
    from vectors_lint import load_registry
    testability = {}
    known, source = load_registry(registry_path, testability=testability)
    if known is None:
        print("note: no clause registry found, clause coverage not checked", file=sys.stderr)
        return []
    wire = {c for c, t in testability.items()
            if t == "wire" and c.split(".", 1)[0] in generated_specs}
    return ([f"cited clause not in {source}: {c}" for c in sorted(cited - known)] +
            [f"wire clause never cited: {c}" for c in sorted(wire - cited)])


def print_summary(summary):
    width = max(len(s[0]) for s in summary)
    for name, n, v, i, a in summary:
        print(f"{name:<{width}}  {n:4d} vectors: {v:4d} valid, {i:4d} invalid, {a:3d} acceptable")
    tot = [sum(s[k] for s in summary) for k in range(1, 5)]
    print(f"{'total':<{width}}  {tot[0]:4d} vectors: {tot[1]:4d} valid, {tot[2]:4d} invalid, {tot[3]:3d} acceptable")
