#!/usr/bin/python3
"""spec_verbatim.py: check that the RFC cell of every clause is the RFC's own text.

Each clause of spec/<specid>.md quotes, in its RFC column, the sentence of the RFC it
restates (spec/README.md). This tool finds each quotation in the RFC texts: after the
markup is taken away (emphasis, code marks, links, escapes), typographic quotes are made
plain and runs of white space become one space, the quotation must occur in the RFC as it
stands. A quotation may leave words out where it says " ... " (or " … "): then each piece
must occur, in order.

The RFC texts are not part of zwire: point --rfc-dir at a checkout of the public
zeromq/rfc repository (its content/docs/rfcs/<number>/README.md files), or at any folder
holding <number>/README.md or <number>.md. spec_lint.py, which runs in `make check`, checks
everything else about the cell (present, carrying the clause's keyword, naming the action of
a receiver duty).

  spec_verbatim.py --rfc-dir DIR [--spec zmtp31 ...]

Exit status: 0 every quotation found, 1 some not found (one line each), 2 bad usage or an
RFC text missing.
"""

import argparse
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zwire_spec  # noqa: E402

# The RFCs each registry file quotes.
RFCS = {
    "zmtp10": [13], "zmtp20": [15], "zmtp30": [23], "zmtp31": [37], "null": [23, 37],
    "plain": [24], "curve": [25, 26], "zap": [27], "z85": [32], "mdp01": [7], "mdp02": [18],
    "mmi": [8], "tsp": [9], "flp": [10], "chp": [12], "bstar": [],
}

_ELLIPSIS = re.compile(r"\s+(?:\.\.\.|…)\s+")


def normalise(text):
    """The words of a text without its Markdown markup, for comparing quotations."""
    text = text.replace("\\|", "|").replace("\\", "")
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)            # [label](link)
    text = text.replace("`", "").replace("*", "").replace("_", " ")
    for fancy, plain in (("\u2018", "'"), ("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"'),
                         ("\u2013", "-"), ("\u2014", "-"), ("\u00a0", " ")):
        text = text.replace(fancy, plain)
    return " ".join(text.split())


def rfc_text(rfc_dir, number):
    """The normalised text of RFC number, or None if no file holds it."""
    for candidate in (os.path.join(rfc_dir, str(number), "README.md"),
                      os.path.join(rfc_dir, "content", "docs", "rfcs", str(number), "README.md"),
                      os.path.join(rfc_dir, "%d.md" % number)):
        if os.path.isfile(candidate):
            with open(candidate, encoding="utf-8") as f:
                return normalise(f.read())
    return None


def found(quotation, text):
    """True if every piece of the quotation occurs in text, in order."""
    at = 0
    for piece in _ELLIPSIS.split(normalise(quotation)):
        piece = piece.strip()
        if not piece:
            continue
        where = text.find(piece, at)
        if where < 0:
            return False
        at = where + len(piece)
    return True


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="spec_verbatim.py",
        description="Check that the RFC cell of every clause of spec/ is the RFC's own text.",
        epilog="Exit status: 0 every quotation found, 1 some not found, 2 bad usage or an "
               "RFC text missing.")
    parser.add_argument("--rfc-dir", required=True,
                        help="a checkout of zeromq/rfc, or a folder of <number>/README.md")
    parser.add_argument("--spec", nargs="+", help="only these spec ids (default: all)")
    parser.add_argument("--root", default=zwire_spec.repo_root(), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    clauses, _problems = zwire_spec.load_registry(args.root)
    texts, missing, checked = {}, [], 0
    for clause in clauses:
        spec = clause["spec"]
        if args.spec and spec not in args.spec:
            continue
        numbers = RFCS.get(spec, [])
        for number in numbers:
            if number not in texts:
                texts[number] = rfc_text(args.rfc_dir, number)
                if texts[number] is None:
                    print("spec_verbatim: no text of RFC %d under %s" % (number, args.rfc_dir),
                          file=sys.stderr)
                    return 2
        if not clause["rfc"]:
            continue                                    # spec_lint reports an empty cell
        checked += 1
        if not any(found(clause["rfc"], texts[n]) for n in numbers):
            missing.append(clause)
            print("%s:%d: %s: the RFC cell is not the text of RFC %s: %r"
                  % (clause["file"], clause["line"], clause["id"],
                     " or ".join(str(n) for n in numbers), clause["rfc"][:120]))
    print("spec_verbatim: %d quotations checked, %d not found" % (checked, len(missing)))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
