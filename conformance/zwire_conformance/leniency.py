"""The table of leniency (spec/leniency.md), as the cases read it.

One row per input class (ReservedFlags, CommandMore, SignatureEnd, ...): the sender clauses
the input breaks, the receiver clause that decides what a receiver does with it, and the
result the golden vectors of that class carry.  A case declares the classes it sends
(@case(..., inputs=[...])), names one in t.hostile, and t.answer turns what the
implementation did into a judgement or a report by the row (case.py).  The vectors take the
same rows (vectors/tools/gen_zmtp.py), so a case and a vector cannot treat one input apart.
"""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import zwire_spec  # noqa: E402  (the one reader of spec/*.md)

_TABLE = None


def table():
    """{input class: zwire_spec.Leniency}, read once from spec/leniency.md."""
    global _TABLE
    if _TABLE is None:
        rows, problems = zwire_spec.load_leniency(ROOT)
        if problems:
            raise ValueError("spec/leniency.md: %s" % "; ".join(str(p) for p in problems))
        _TABLE = rows
    return _TABLE


def is_input_class(name):
    """True for a name of the form of an input class (a CamelCase word), not a clause ID."""
    return isinstance(name, str) and bool(zwire_spec.INPUT_RE.match(name))
