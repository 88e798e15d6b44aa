#!/usr/bin/python3
"""Write fuzz seed files from the golden vectors.

    /usr/bin/python3 vectors/tools/seeds.py --out DIR --type frames [--type command ...]

For every vector of a test group of the given type(s), in every vectors/**/*_test.json
(or the files / directories given with --vectors), writes the concatenation of its input
chunks to DIR/<file>-<tcId>.bin, where <file> is the vector file's name without `.json`
(for example `frame_test-12.bin`).  Valid, invalid and acceptable vectors are all written:
a fuzzer wants both sides of every boundary.  Every vector gets its file; with --dedupe an
input identical to one already written is skipped (the first file / tcId wins).
--type all takes every group type.
Prints the number of files written.

The zwire harnesses (fuzz/fuzz_*.c) choose their params from a hash of the input and read
no params prefix, so a seed is exactly the vector's octets.
"""

import argparse
import json
import sys
from pathlib import Path

VECDIR = Path(__file__).resolve().parent.parent
TYPES = ("greeting", "frames", "command", "metadata", "z85", "mdp", "flp", "zap")
# Harness targets whose seeds are another type's vectors.
ALIASES = {"mdp_broker": "mdp", "flp_client": "flp"}
# Harness targets no vector feeds: their seeds are their committed corpus alone (the engine's,
# fuzz/corpus/engine/, recorded by make fuzz-engine-seeds).
NO_VECTORS = ("engine",)
# The types whose input is a frame list (vectors/FORMAT.md): serialised frame by frame.
FRAME_LIST_TYPES = ("mdp", "flp", "zap")


def seed_octets(group_type, chunks):
    """A vector's input as its harness reads it: the chunks joined, or for a frame list
    (mdp, flp, zap) each frame behind its 2-octet length (fuzz/fuzz_frame_list.h)."""
    if group_type in FRAME_LIST_TYPES:
        return b"".join(len(c).to_bytes(2, "big") + c for c in chunks)
    return b"".join(chunks)


def iter_vectors(paths, types):
    """Yield (file stem, tcId, octets) for the vectors of the given group types."""
    files = []
    for p in paths:
        p = Path(p)
        files += sorted(p.rglob("*_test.json")) if p.is_dir() else [p]
    for f in files:
        data = json.loads(f.read_text())
        for group in data.get("testGroups", []):
            if group.get("type") not in types:
                continue
            for test in group.get("tests", []):
                chunks = [bytes.fromhex(c) for c in test["input"]]
                yield f.stem, test["tcId"], seed_octets(group["type"], chunks)


def write_seeds(out, types, paths=(VECDIR,), dedupe=False):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    seen = set()
    written = 0
    for stem, tc, octets in iter_vectors(paths, types):
        if dedupe:
            if octets in seen:
                continue
            seen.add(octets)
        (out / f"{stem}-{tc}.bin").write_bytes(octets)
        written += 1
    return written


def main(argv=None):
    ap = argparse.ArgumentParser(description="Write fuzz seeds from the vectors.")
    ap.add_argument("--out", required=True, help="directory for the .bin seeds (created if missing)")
    ap.add_argument("--type", action="append", required=True, choices=TYPES + tuple(ALIASES) + NO_VECTORS + ("all",),
                    help="test group type to take; repeat for several")
    ap.add_argument("--vectors", action="append", help="vector file or directory (default: vectors/)")
    ap.add_argument("--dedupe", action="store_true", help="write each distinct input once")
    args = ap.parse_args(argv)
    types = set(TYPES) if "all" in args.type else {ALIASES.get(t, t) for t in args.type} - set(NO_VECTORS)
    n = write_seeds(args.out, types, args.vectors or [VECDIR], args.dedupe)
    print(f"seeds: {n} files written to {args.out} (types: {', '.join(sorted(types))})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
