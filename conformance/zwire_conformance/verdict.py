"""Verdicts, and how a clause's keyword turns a broken expectation into one.

A case states expectations, each tied to one clause of spec/.  A met expectation is a
PASS; a broken one takes its severity from the clause's keyword (never from the case):

    MUST, MUST NOT, SHALL, SHALL NOT, REQUIRED  ->  FAIL
    SHOULD, SHOULD NOT, RECOMMENDED             ->  PASS-NONSTRICT
    MAY, OPTIONAL                               ->  INFO

A case may also spell out lenient alternatives ("closes without ERROR: PASS-NONSTRICT")
and alternatives that a profile accepts ("libzmq-compatible: ignores reserved flags").
The case's verdict is the worst of its expectations.  UNSUPPORTED (a capability the
adapter did not declare), SKIPPED (filtered out) and HARNESS-ERROR (the suite itself
broke) never come from an expectation.
"""

PASS = "PASS"
PASS_NONSTRICT = "PASS-NONSTRICT"
FAIL = "FAIL"
INFO = "INFO"
UNSUPPORTED = "UNSUPPORTED"
SKIPPED = "SKIPPED"
HARNESS_ERROR = "HARNESS-ERROR"

VERDICTS = (PASS, PASS_NONSTRICT, INFO, FAIL, UNSUPPORTED, SKIPPED, HARNESS_ERROR)

# Worst first decides a case: a harness error hides everything, then FAIL, ...
_RANK = {HARNESS_ERROR: 6, FAIL: 5, PASS_NONSTRICT: 4, INFO: 3, UNSUPPORTED: 2, SKIPPED: 1,
         PASS: 0}

PROFILES = ("rfc-strict", "libzmq-compatible")

_SEVERITY = {
    "MUST": FAIL, "MUST NOT": FAIL, "SHALL": FAIL, "SHALL NOT": FAIL, "REQUIRED": FAIL,
    "SHOULD": PASS_NONSTRICT, "SHOULD NOT": PASS_NONSTRICT, "RECOMMENDED": PASS_NONSTRICT,
    "MAY": INFO, "OPTIONAL": INFO,
}


def severity(keyword):
    """The verdict of breaking a clause with this keyword."""
    return _SEVERITY.get(keyword.upper(), FAIL)


def worst(verdicts):
    verdicts = list(verdicts)
    return max(verdicts, key=_RANK.__getitem__) if verdicts else PASS


def exit_status(verdicts, strict=False):
    """0 no FAIL, 1 a FAIL (or, with --strict, a PASS-NONSTRICT), 2 a harness error."""
    verdicts = list(verdicts)
    if HARNESS_ERROR in verdicts:
        return 2
    if FAIL in verdicts or (strict and PASS_NONSTRICT in verdicts):
        return 1
    return 0
