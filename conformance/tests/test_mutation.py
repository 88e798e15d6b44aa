"""mutation.py's judgements, on made-up reports: which cases a fault made worse, and which
cases tell a lenient variant apart from the plain peer (and which differences do not
count: times, routing ids, how many PINGs)."""

from zwire_conformance import mutation


def case(verdict="PASS", closed_by="suite", error=None, frames=(), version="3.1",
         story="it sent READY"):
    return {"verdict": verdict,
            "ending": [{"conn": "conn1", "closedBy": closed_by, "errorCommand": error,
                        "story": story}],
            "decoded": [{"conn": "conn1",
                         "fromImplementation": {"version": version, "error": None,
                                                "frames": [dict(f) for f in frames]}}]}


READY = {"flags": 0x04, "command": {"name": "READY"}}
PONG = {"flags": 0x04, "command": {"name": "PONG"}}
PING = {"flags": 0x04, "command": {"name": "PING"}}
MESSAGE = {"flags": 0x00, "body": "00"}


def test_killers_are_cases_made_worse():
    # INFO on the plain peer is a case that judged and also reported (the CURVE handshake
    # reports DECISIONS S7 and S11): a FAIL under the fault is worse.  A case that did not
    # run to its judgements on the plain peer (NOT-EXERCISED) catches nothing.
    clean = {"a": "PASS", "b": "PASS", "c": "INFO", "d": "PASS-NONSTRICT", "e": "NOT-EXERCISED",
             "f": "INFO"}
    mutated = {"a": "FAIL", "b": "PASS", "c": "FAIL", "d": "FAIL", "e": "FAIL", "f": "INFO"}
    got = mutation.killers(clean, mutated)
    assert [k["case"] for k in got] == ["a", "c", "d"]


def test_a_variant_that_keeps_the_connection_open_is_told_apart():
    clean = {"x": case(closed_by="implementation", frames=[READY]),
             "y": case(frames=[READY])}
    variant = {"x": case(closed_by="suite", frames=[READY, PONG]),
               "y": case(frames=[READY])}
    assert mutation.told_apart(clean, variant) == ["x"]


def test_an_error_command_or_another_version_tells_apart():
    clean = {"x": case(closed_by="implementation", frames=[READY]),
             "y": case(closed_by="implementation")}
    variant = {"x": case(closed_by="implementation", error="refused", frames=[READY]),
               "y": case(closed_by="implementation", version="2.0")}
    assert mutation.told_apart(clean, variant) == ["x", "y"]


def test_times_counts_and_octets_do_not_tell_apart():
    clean = {"x": case(frames=[READY, PING, MESSAGE], story="closed 0 ms after; 3 PINGs")}
    variant = {"x": case(frames=[READY, PING, PING, PING, MESSAGE, MESSAGE],
                         story="closed 4 ms after; 5 PINGs")}
    assert mutation.told_apart(clean, variant) == []


def curve_message(nonce, flags=0x00):
    return {"flags": flags, "body": "074d455353414745%016x" % nonce + "00" * 17}


def test_curve_short_nonces_counted_by_another_step_are_told_apart():
    hello = {"flags": 0x04, "command": {"name": "HELLO", "nonce": "%016x" % 1}}
    welcome = {"flags": 0x04, "command": {"name": "WELCOME", "nonce": "ab" * 16}}
    initiate = {"flags": 0x04, "command": {"name": "INITIATE", "nonce": "%016x" % 2}}
    clean = {"x": case(frames=[hello, initiate, curve_message(3), curve_message(4)])}
    more = {"x": case(frames=[hello, initiate] + [curve_message(n) for n in range(3, 9)])}
    step_two = {"x": case(frames=[hello, dict(initiate, command={"name": "INITIATE",
                                                                   "nonce": "%016x" % 3}),
                                  curve_message(5), curve_message(7)])}
    assert mutation.curve_nonce_steps([welcome, hello, initiate, curve_message(3)]) == [1]
    assert mutation.told_apart(clean, more) == []
    assert mutation.told_apart(clean, step_two) == ["x"]


def test_a_case_the_plain_peer_did_not_run_tells_nothing():
    assert mutation.told_apart({}, {"x": case()}) == []


def judged(verdict, *fails):
    return {"verdict": verdict,
            "expectations": [{"clause": c, "verdict": "FAIL"} for c in fails]}


def test_a_should_fault_that_draws_fails_under_other_clauses_is_a_warning():
    registry = {"x.should": {"keyword": "SHOULD"}, "x.must": {"keyword": "MUST"},
                "y.must": {"keyword": "SHALL"}}
    clean = {"a": "PASS", "b": "PASS", "c": "FAIL", "d": "PASS"}
    mutated = {"a": judged("FAIL", "x.must"), "b": judged("PASS-NONSTRICT"),
               "c": judged("FAIL", "y.must"),          # failed on the plain peer too
               "d": judged("FAIL", "y.must", "x.must")}
    got = mutation.over_accusing("f", "x.should", registry, clean, mutated)
    assert got["alsoFailedUnder"] == ["x.must", "y.must"] and got["cases"] == ["a", "d"]
    assert got["keyword"] == "SHOULD"
    assert got["warning"] == "also FAILed under x.must, y.must: check those cases accuse truly"
    quiet = {"a": judged("PASS-NONSTRICT"), "b": judged("PASS")}
    assert mutation.over_accusing("f", "x.should", registry, clean, quiet) is None
    assert mutation.over_accusing("f", "x.must", registry, clean, mutated) is None


def reported_case(verdict, clause=None):
    return {"verdict": verdict,
            "expectations": [{"clause": clause, "verdict": verdict}] if clause else []}


def test_a_may_fault_is_caught_by_a_pass_turned_info_on_its_clause():
    clean = {"a": "PASS", "b": "PASS", "c": "INFO", "d": "PASS"}
    mutated = {"a": reported_case("INFO", "x.may"),      # caught
               "b": reported_case("INFO", "y.other"),    # INFO, but another clause's
               "c": reported_case("INFO", "x.may"),      # INFO on the plain peer already
               "d": reported_case("PASS")}
    assert mutation.reported("x.may", clean, mutated) == [
        {"case": "a", "before": "PASS", "after": "INFO"}]


def flp_case(*messages):
    """A case whose record holds Freelance messages: (dir, reading, first frame hex)."""
    return {"verdict": "INFO", "ending": [], "decoded": [],
            "messages": [{"conn": "sender", "dir": d, "protocol": "flp", "reading": r,
                          "frames": [ccf]} for d, r, ccf in messages]}


def test_a_second_reply_or_a_pong_to_no_ping_tells_a_freelance_server_apart():
    ping, pong = ("out", "PING", "50494e47"), ("in", "PONG", "504f4e47")
    request, reply = ("out", "REQUEST, CCF '1', body ['a']", "31"), \
        ("in", "REPLY, CCF '1', body ['a']", "31")
    hostile = ("out", "no FLP message to a server: flp-missing-frame ...", "")
    clean = {"twice": flp_case(request, reply), "pong": flp_case(ping, pong, hostile),
             "same": flp_case(ping, pong, request, reply)}
    variant = {"twice": flp_case(request, reply, reply),
               "pong": flp_case(ping, pong, hostile, pong),
               "same": flp_case(ping, request, pong, reply)}
    assert mutation.told_apart(clean, variant) == ["pong", "twice"]


def test_a_client_numbering_its_requests_otherwise_is_told_apart():
    counter = ("in", "REQUEST, CCF '2', body ['b']", "32")
    random8 = ("in", "REQUEST, CCF 0x5f1e..., body ['b']", "5f1e0a9b33c2d401")
    other8 = ("in", "REQUEST, CCF 0x0b7c..., body ['b']", "0b7c4e21a09f6d15")
    assert mutation.told_apart({"x": flp_case(counter)}, {"x": flp_case(random8)}) == ["x"]
    assert mutation.told_apart({"x": flp_case(random8)}, {"x": flp_case(other8)}) == []
