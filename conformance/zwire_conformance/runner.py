"""Running cases: one fresh adapter per case (or, for a role of a protocol above ZMTP, one
fresh process of the implementation, launch.py), the capability gate, the case function,
the checks every case gets, the robustness probe after hostile input, and the result
record (the `cases[]` item of report.json).
"""

import os
import subprocess
import sys
import time
import traceback

from . import decoded
from . import verdict as V
from . import wire
from . import words
from .adapter import Adapter, AdapterError, Unsupported
from .case import CaseRun, HarnessError, NotExercised, Refused
from .steps import handshake, handshake_v2

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import zwire_spec  # noqa: E402  (the one reader of spec/*.md)


def load_registry():
    clauses, _problems = zwire_spec.load_registry(ROOT)
    return {c["id"]: c for c in clauses}


def capability_gap(case_, capabilities):
    """Why the adapter cannot run the case (a missing capability), or None."""
    needs = case_.needs
    for socket_type in needs.get("socketTypes", []):
        if socket_type not in capabilities.get("socketTypes", []):
            return "socket type %s" % socket_type
    versions = needs.get("zmtp")
    if versions and not set(versions) & set(capabilities.get("zmtp", [])):
        return "ZMTP %s" % " or ".join(versions)
    for option in needs.get("options", []):
        if option not in capabilities.get("options", []):
            return "option %s" % option
    if needs.get("heartbeat") and not capabilities.get("heartbeat"):
        return "heartbeats"
    for mechanism, role in needs.get("security", []):    # ("CURVE", "server"): ADAPTER.md
        roles = (capabilities.get("mechanismRoles") or {}).get(mechanism) or []
        if mechanism not in capabilities.get("mechanisms", []) or role not in roles:
            return "the %s mechanism as %s" % (mechanism, role)
    if needs.get("zapPolicy") and not capabilities.get("zapPolicy"):
        return "a ZAP policy (zapPolicy)"
    if case_.role == "binds" and "bind" not in capabilities.get("roles", ["bind", "connect"]):
        return "the bind role"
    if case_.role == "connects" and "connect" not in capabilities.get("roles", ["bind", "connect"]):
        return "the connect role"
    missing = [v for v in needs.get("mdp", []) if v not in capabilities.get("mdp", [])]
    if missing:
        return "MDP %s" % " and ".join(missing)
    if needs.get("mmi") and not capabilities.get("mmi"):
        return "8/MMI"
    for timer in needs.get("timers", []):
        if (capabilities.get("timers") or {}).get(timer) is None:
            return "a value for {%s} (no placeholder in the command, none declared)" % timer
    return None


def _wire_checks(run):
    """What every case checks: the implementation's octets decode, on every connection.
    They are its own octets, so a sender clause judges them whatever the case sent.
    Returns the clauses it judged (the codec's, which the case need not cite)."""
    judged = []
    for conn in run.connections:
        error = conn.inbound.error
        if error and conn.inbound.other_version:
            run.note("%s: its octets do not decode as ZMTP 3.x (%s at offset %d), which is "
                     "not judged: %s" % (conn.label, error["class"], error["offset"],
                                         conn.inbound.other_version))
        elif error:
            clause = error.get("clause") or "zmtp31.frame.flags-reserved"
            if clause in run.registry:
                run.expect(clause, False, "%s sent malformed octets: %s at offset %d"
                           % (conn.label, error["class"], error["offset"]), own_octets=True)
                judged.append(clause)
    for check in run.wire_checks:       # a protocol above ZMTP: its messages (majordomo.py)
        judged += check(run)
    return judged


# The socket types a probe can reach on their own socket, and the peer it plays: a
# second connection "beside" the case's (a PAIR takes one peer only; SUB and XSUB receive
# only what they subscribed to, XPUB subscriptions: they get a socket of their own).
_PROBE_PEER = {"PULL": "PUSH", "DEALER": "DEALER", "ROUTER": "DEALER", "REP": "REQ"}


def _probe_message(peer):
    return [b"", b"robustness-probe"] if peer == "REQ" else [b"robustness-probe"]


def _speaks_3x(run):
    return bool({"3.0", "3.1"} & set(run.adapter.capabilities.get("zmtp", [])))


def _probe_serves(run, handle, endpoint, peer):
    """A new connection to the endpoint completes a handshake as peer (2.0 with an
    implementation that speaks no 3.x) and its message reaches the application through
    the socket handle.  Returns None if it did, else what went wrong, in words."""
    try:
        conn = wire.connect(endpoint, run.clock, run.transcript, "probe")
    except OSError as e:
        return "it refused the connection: %s" % wire.os_error(e)
    run.connections.append(conn)
    if not (handshake(conn, peer) if _speaks_3x(run) else handshake_v2(conn, peer)):
        return "no handshake: %s" % conn.describe()
    conn.send(wire.message(*_probe_message(peer)), "robustness probe")
    for _ in range(8):
        got = run.recv(handle, 2.0)
        if got is None:
            return "the handshake completed, but no message was delivered within 2 s"
        if got[-1] == b"robustness-probe":
            return None
    return "the handshake completed, but our message was not among 8 delivered"


def _exited(adapter, seconds=0.5):
    """True if the adapter process has exited, or does within `seconds` (scaled): an
    implementation that crashed may close its sockets a moment before its exit shows."""
    try:
        adapter.proc.wait(timeout=seconds * adapter.clock.multiplier)
    except subprocess.TimeoutExpired:
        return False
    return True


def probe_robustness(run):
    """After hostile input: is the implementation alive, answering its adapter, and still
    serving a well-behaved connection?  Returns (ROBUST_*, detail)."""
    if run.adapter.proc.poll() is not None:
        return V.ROBUST_DIED, "its adapter exited with status %d" % run.adapter.proc.returncode
    if not any(c.inbound.commands() or (c.inbound.greeting or {}).get("version") == "2.0"
               for c in run.connections):
        return None, "not measured: it completed no handshake in this case, so there is no " \
                     "service to have lost"
    try:
        if run.bound and run.bound[2] in _PROBE_PEER:
            handle, endpoint, socket_type = run.bound
            peer = _PROBE_PEER[socket_type]
            where = "a second connection to the same %s socket" % socket_type
        else:
            handle = run.socket("PULL")
            endpoint, peer = run.bind(handle), "PUSH"
            where = "a new PULL socket"
        failed = _probe_serves(run, handle, endpoint, peer)
        if failed is None:
            return V.ROBUST_OK, "%s completed a handshake and delivered a message" % where
        if _exited(run.adapter):
            return V.ROBUST_DIED, "its adapter exited with status %d (%s: %s)" % (
                run.adapter.proc.returncode, where, failed)
        return V.ROBUST_STOPPED, "%s got no handshake or no message through: %s" % (where,
                                                                                    failed)
    except (Unsupported, HarnessError) as e:
        return None, "no probe: %s" % e
    except (AdapterError, OSError) as e:
        if run.adapter.proc.poll() is not None:
            return V.ROBUST_DIED, "its adapter exited (%s)" % e
        return V.ROBUST_HUNG, "%s" % e


def _ending(conn):
    closed_by = ("implementation" if conn.closed_by_peer
                 else "suite" if conn.closed_by_us else "open")
    reason = conn.error_command
    return {"conn": conn.label, "closedBy": closed_by, "how": conn.closed_by_peer,
            "errorCommand": reason.decode("latin-1") if reason is not None else None,
            "story": conn.describe()}


def _clause_entry(registry, c):
    """A clause as a result cites it: keyword, whom it binds, statement, RFC sentence."""
    return {"id": c, "keyword": registry[c]["keyword"], "binds": registry[c].get("binds"),
            "statement": registry[c]["statement"], "rfc": registry[c].get("rfc", ""),
            **{k: registry[c][k] for k in ("file", "line", "section") if k in registry[c]}}


def _harness_error(result, what, error):
    """Records a failure of the suite's own code as the case's HARNESS-ERROR (the run goes
    on), with the traceback, and the verdict it had reached before, if any."""
    reason = "%s: %s: %s\n%s" % (what, type(error).__name__, error, traceback.format_exc())
    if result["verdict"] not in (None, V.HARNESS_ERROR):
        reason += "\n(before that, the case's verdict was %s%s)" % (
            result["verdict"], ": %s" % result["reason"] if result["reason"] else "")
    elif result["verdict"] == V.HARNESS_ERROR:
        reason = result["reason"] + "\n" + reason
    result.update(verdict=V.HARNESS_ERROR, reason=reason)


def _record(result, key, items, fn):
    """result[key] = [fn(item) ...]; an item the suite's own code cannot describe (the
    codec raising on odd octets, say) is left out and makes the case a HARNESS-ERROR."""
    result[key] = []
    for item in items:
        try:
            result[key].append(fn(item))
        except Exception as e:  # noqa: BLE001 - the suite's own bug, for this case only
            _harness_error(result, "describing %s (%s)" % (getattr(item, "label", item), key), e)


def start(implementation, clock, case_):
    """The case's own adapter (an adapter command), or a fresh process of the implementation
    (a launch.Launcher, whose process the runner treats as an adapter)."""
    if hasattr(implementation, "start"):
        return implementation.start(clock, case_)
    return Adapter(implementation, clock)


def run_case(case_, adapter_command, registry, profile, clock, baseline, capabilities=None):
    """Runs one case; returns its result record.  It never raises: whatever breaks in the
    suite's own code is this case's HARNESS-ERROR, and the run goes on.  `capabilities`,
    when the run already has them from the adapter's hello, decide UNSUPPORTED before any
    adapter is started for the case.  `adapter_command` may be a launch.Launcher: the
    implementation itself is started for the case, and its role's probe checks robustness."""
    started = time.monotonic()
    result = {"id": case_.id, "slug": case_.slug, "role": case_.role, "area": case_.area,
              "title": case_.title,
              "clauses": [_clause_entry(registry, c) for c in case_.clauses],
              "verdict": None, "reason": "", "expectations": [], "notes": [],
              "robustness": None, "robustnessDetail": "",
              "ending": [], "transcript": [], "decoded": [], "adapterLog": ""}
    noun = "implementation" if hasattr(adapter_command, "start") else "adapter"
    adapter = run = None
    try:
        gap = capabilities is not None and capability_gap(case_, capabilities)
        if gap:
            raise Unsupported("the adapter does not declare %s" % gap)
        adapter = start(adapter_command, clock, case_)
        gap = capability_gap(case_, adapter.capabilities)
        if gap:
            raise Unsupported("the adapter does not declare %s" % gap)
        run = CaseRun(case_, adapter, registry, profile, clock)
        gone = ""
        try:
            case_.fn(run)
        except NotExercised as e:
            if isinstance(e, Refused) and _exited(adapter):
                gone = "; %s" % e           # the implementation died: refused, of course
            result["reason"] = "not exercised: %s" % e
            run.stopped = True
        for clause in _wire_checks(run):
            if clause not in [c["id"] for c in result["clauses"]]:
                result["clauses"].append(_clause_entry(registry, clause))
        if adapter.proc.poll() is not None and not getattr(adapter, "stopped_by_suite", False):
            # Died during the case, whatever the case went on to judge (a crash whose
            # sockets close a moment before the exit may have refused a connection or
            # reset one): ADAPTER-ERROR, and robustness "died" after hostile input.
            raise AdapterError("it exited with status %d during the case%s"
                               % (adapter.proc.returncode, gone))
        recorded = [e["verdict"] for e in run.expectations]
        if run.stopped:
            recorded.append(V.NOT_EXERCISED)
        elif not run.expectations:
            raise HarnessError("the case stated no expectation")
        result["verdict"] = V.worst(recorded)
        if run.hostile_sent:
            # a case's own probe (a secured socket: security.py), a role's, or the NULL one
            probe = run.probe or getattr(adapter, "probe", None) or probe_robustness
            result["robustness"], result["robustnessDetail"] = probe(run)
    except Unsupported as e:
        result.update(verdict=V.UNSUPPORTED, reason=str(e))
    except AdapterError as e:
        if e.status == 127:
            result.update(verdict=V.UNSUPPORTED, reason="the adapter exited 127: %s" % e)
        else:
            result.update(verdict=V.ADAPTER_ERROR, reason="the %s failed: %s" % (noun, e))
            if run is not None and run.hostile_sent:
                result["robustness"] = V.ROBUST_DIED if adapter.proc.poll() is not None \
                    else V.ROBUST_HUNG
                result["robustnessDetail"] = str(e)
    except Exception as e:  # noqa: BLE001 - any other exception is the suite's own bug
        result.update(verdict=V.HARNESS_ERROR,
                      reason="%s: %s\n%s" % (type(e).__name__, e, traceback.format_exc()))
    finally:
        if run is not None:
            run.close_all()
            result["expectations"] = run.expectations
            result["notes"] = run.notes
            result["transcript"] = run.transcript.entries
            _record(result, "ending", run.connections, _ending)
            _record(result, "decoded", run.connections, _decoded)
            if run.messages:
                result["messages"] = run.messages
        if adapter is not None:
            try:
                adapter.quit()
                result["adapterLog"] = adapter.stderr_text()
            except Exception as e:  # noqa: BLE001 - the suite's own bug, for this case only
                _harness_error(result, "ending the adapter", e)
            finally:
                adapter.close()
    if result["verdict"] in (V.FAIL, V.PASS_NONSTRICT) and not result["reason"]:
        broken = [e for e in result["expectations"] if e["verdict"] == result["verdict"]]
        result["reason"] = "; ".join("%s: %s" % (e["clause"], words.judged(e)) for e in broken)
    expected = baseline.get(case_.id)
    if expected:
        result["baseline"] = expected
    result["seconds"] = round(time.monotonic() - started, 3)
    return result


def _decoded(conn):
    """Both directions of one connection, each decoded in the version its side spoke
    (decoded.py): what the implementation sent and what the suite sent, so that a case
    that sends malformed octets shows where they break."""
    ours, theirs = decoded.connection(bytes(conn.sent), bytes(conn.inbound.data))
    return {"conn": conn.label, "fromImplementation": theirs.as_report(),
            "fromSuite": ours.as_report()}
