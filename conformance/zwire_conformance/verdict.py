"""Verdicts, and how a clause turns an expectation into one.

A case states expectations, each tied to one clause of spec/.  A met expectation is a
PASS; a broken one takes its severity from the clause's keyword, never from the case:

    MUST, MUST NOT, SHALL, SHALL NOT, REQUIRED  ->  FAIL
    SHOULD, SHOULD NOT, RECOMMENDED             ->  PASS-NONSTRICT
    MAY, OPTIONAL                               ->  INFO

and only where the clause binds the implementation in what the case exercised: what it
sent is judged by `sender` clauses, what it did with the suite's hostile input only by
`receiver` clauses (spec/README.md, "Who a clause binds").  Hostile input that breaks a
sender rule, with no receiver duty in the RFC, is reported: INFO, with what happened.

The other verdicts never come from an expectation:
    NOT-EXERCISED   a precondition of the case did not hold (no handshake, another version,
                    the control input refused too, a new connection refused by a live
                    implementation): nothing after it is judged
    UNSUPPORTED     a capability the adapter does not declare
    SKIPPED         filtered out
    ADAPTER-ERROR   the adapter died (at any point of the case: a connection refused by a
                    dead implementation is this), broke its contract or did not answer in
                    time
    HARNESS-ERROR   the suite itself broke (an exception of its own code, the codec's
                    included): that case only, the run goes on

A case's verdict is the worst of what it recorded.  Robustness (did the implementation
stay alive and keep serving others after hostile input) is a second axis, ROBUST_*:
reported and counted in the exit status, never a conformance verdict.
"""

PASS = "PASS"
PASS_NONSTRICT = "PASS-NONSTRICT"
FAIL = "FAIL"
INFO = "INFO"
NOT_EXERCISED = "NOT-EXERCISED"
UNSUPPORTED = "UNSUPPORTED"
SKIPPED = "SKIPPED"
ADAPTER_ERROR = "ADAPTER-ERROR"
HARNESS_ERROR = "HARNESS-ERROR"

VERDICTS = (PASS, PASS_NONSTRICT, INFO, FAIL, NOT_EXERCISED, UNSUPPORTED, SKIPPED,
            ADAPTER_ERROR, HARNESS_ERROR)

# Worst first decides a case: a harness error hides everything, then the adapter's, then
# FAIL; a precondition not met hides the lesser verdicts recorded before it.
_RANK = {HARNESS_ERROR: 8, ADAPTER_ERROR: 7, FAIL: 6, NOT_EXERCISED: 5, PASS_NONSTRICT: 4,
         INFO: 3, UNSUPPORTED: 2, SKIPPED: 1, PASS: 0}

# The robustness axis: after the case's hostile input, the implementation ...
ROBUST_OK = "ok"                             # still serves a well-behaved connection
ROBUST_STOPPED = "stopped serving others"    # is alive but serves nobody
ROBUST_DIED = "died"                         # exited (its adapter with it)
ROBUST_HUNG = "hung"                         # stopped answering its adapter
ROBUSTNESS = (ROBUST_OK, ROBUST_STOPPED, ROBUST_DIED, ROBUST_HUNG)

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


def rank(verdict):
    """How bad a verdict is: the order worst() uses."""
    return _RANK[verdict]


def exit_status(verdicts, strict=False, robustness=()):
    """0 no FAIL; 1 a FAIL (or, with --strict, a PASS-NONSTRICT), or hostile input that
    left the implementation not serving; 2 a harness or adapter error."""
    verdicts = list(verdicts)
    if HARNESS_ERROR in verdicts or ADAPTER_ERROR in verdicts:
        return 2
    if FAIL in verdicts or (strict and PASS_NONSTRICT in verdicts):
        return 1
    if any(r not in (None, ROBUST_OK) for r in robustness):
        return 1
    return 0
