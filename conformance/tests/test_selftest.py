"""The adapter self-test (`--self-test`, zwire_conformance/selftest.py): the shipped
adapters pass every check; a broken adapter gets a FAIL line, with what to fix, for each
rule it breaks, and the same adapter is stopped before a suite run by the pre-flight with
one message instead of an error per case.  ADAPTER.md names every value and op the
self-test accepts, and no op the suite does not use."""

import os
import pathlib
import re
import subprocess
import sys
import textwrap

import pytest

CONFORMANCE = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(CONFORMANCE))

from zwire_conformance import cli  # noqa: E402
from zwire_conformance.adapter import CAPABILITY_VALUES, OPS  # noqa: E402

# It breaks rules the pre-flight checks (capabilities out of the list, an unknown op
# answered without "unsupported" and exit 127, a bind that answers port 0, a recv that
# overstays its timeout, a quit that does not end it), and one it does not (a request on
# a socket never opened is carried out).
BROKEN_ADAPTER = textwrap.dedent('''
    import json, sys, time
    print(json.dumps({"zwireAdapter": 1, "implementation": {"name": "broken"},
                      "capabilities": {"zmtp": ["3.2"], "mechanisms": ["NULL"],
                                       "socketTypes": ["PULL", "PUSH", "STREAM"],
                                       "roles": ["bind"], "transports": ["tcp"],
                                       "heartbeat": False, "options": []}}), flush=True)
    for line in sys.stdin:
        try:
            req = json.loads(line)
        except ValueError:
            print(json.dumps({"id": None, "ok": False, "error": "not JSON"}), flush=True)
            continue
        reply = {"id": req.get("id"), "ok": True}
        op = req.get("op")
        if op == "open":
            reply["socket"] = "s1"
        elif op == "bind":
            reply["endpoint"] = req.get("endpoint")        # port 0, as asked
        elif op == "recv":
            time.sleep(2.5)                                # far past the timeout
            reply = {"id": req["id"], "ok": False, "error": "timeout"}
        elif op == "quit":
            print(json.dumps(reply), flush=True)
            time.sleep(30)                                 # and does not exit
        elif op not in ("connect", "send", "close", "subscribe", "unsubscribe"):
            reply = {"id": req["id"], "ok": False, "error": "no such op"}   # no exit 127
        print(json.dumps(reply), flush=True)
''')


def suite(*args, timeout=300):
    return subprocess.run([sys.executable, "-m", "zwire_conformance", *args], cwd=CONFORMANCE,
                          capture_output=True, text=True, timeout=timeout)


def broken_adapter(tmp_path):
    script = tmp_path / "broken_adapter.py"
    script.write_text(BROKEN_ADAPTER)
    return "%s %s" % (sys.executable, script)


def lines_by_check(stdout):
    """{check name: (status, rest of its line)} of --self-test's output."""
    found = {}
    for line in stdout.splitlines():
        m = re.match(r"(PASS|FAIL|SKIP)  (\S+) +(.*)", line)
        if m:
            found[m.group(2)] = (m.group(1), m.group(3))
    return found


@pytest.mark.parametrize("implementation", sorted(cli.SHIPPED))
def test_the_shipped_adapters_pass_every_check(implementation):
    if not os.path.exists(cli.SHIPPED[implementation][0]):
        pytest.skip("%s is not built (make)" % cli.SHIPPED[implementation][0])
    done = suite("--self-test", "--implementation", implementation, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    checks = lines_by_check(done.stdout)
    assert list(checks)[:3] == ["hello", "capabilities", "unsupported"]
    assert {"bind", "roundtrip", "timeouts", "quit", "end-of-input"} <= set(checks)
    assert all(status in ("PASS", "SKIP") for status, _ in checks.values()), done.stdout
    assert checks["roundtrip"][0] == "PASS" and checks["bind"][0] == "PASS"
    assert re.search(r"\d+ checks: \d+ passed, 0 failed", done.stdout)


def test_a_broken_adapter_gets_a_fail_and_a_fix_for_each_rule_it_breaks(tmp_path):
    done = suite("--self-test", "--adapter", broken_adapter(tmp_path), timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    checks = lines_by_check(done.stdout)
    failed = {name for name, (status, _) in checks.items() if status == "FAIL"}
    assert failed == {"capabilities", "unsupported", "bad-request", "bind", "timeouts",
                      "quit"}, done.stdout
    assert "'3.2'" in checks["capabilities"][1] and "'STREAM'" in checks["capabilities"][1]
    assert "did not answer \"unsupported\"" in checks["unsupported"][1]
    assert "tcp://127.0.0.1:0" in checks["bind"][1] and "port included" in checks["bind"][1]
    assert "recv with timeout 0 ms was answered after" in checks["timeouts"][1]
    assert "still running 5 s after quit" in checks["quit"][1]
    assert all(" -- fix: " in checks[name][1] for name in failed)
    assert checks["connect"][0] == "SKIP"             # it declares the bind role only
    assert "bind on a socket never opened" in checks["bad-request"][1]
    assert checks["end-of-input"][0] == "PASS"


def test_the_preflight_stops_a_broken_adapter_before_any_case(tmp_path):
    done = suite("--adapter", broken_adapter(tmp_path), "--case", "zmtp.greeting.signature@binds",
                 "--report-dir", str(tmp_path / "out"), "-q")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "the adapter cannot be trusted" in done.stderr
    for check in ("capabilities:", "unsupported:", "bind:", "timeouts:", "quit:", "--self-test"):
        assert check in done.stderr, done.stderr
    assert not (tmp_path / "out").exists()


def test_an_adapter_that_does_not_start_fails_its_hello(tmp_path):
    done = suite("--self-test", "--adapter", str(tmp_path / "no-such-adapter"), timeout=60)
    assert done.returncode == 1
    checks = lines_by_check(done.stdout)
    assert checks["hello"][0] == "FAIL" and "cannot start" in checks["hello"][1]
    assert all(status == "SKIP" for name, (status, _) in checks.items() if name != "hello")


def test_adapter_md_names_every_value_and_op_the_self_test_takes():
    text = (CONFORMANCE / "ADAPTER.md").read_text()
    for name, values in CAPABILITY_VALUES.items():
        assert '"%s"' % name in text, name
        for value in values:
            assert '"%s"' % value in text or "`%s`" % value in text, (name, value)
    table = text[text.index("| op | fields |"):]
    table = table[:table.index("\n\n")]
    ops = {name for row in table.splitlines()[2:]
           for name in re.findall(r"`([a-z]+)`", row.split("|")[1])}
    assert ops == set(OPS)
