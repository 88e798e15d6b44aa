"""Running cases: one fresh adapter per case, the capability gate, the case function,
the checks every case gets, and the result record (the `cases[]` item of report.json).
"""

import os
import sys
import time
import traceback

from . import verdict as V
from .adapter import Adapter, AdapterError, Unsupported
from .case import CaseRun, HarnessError, ImplementationSilent
from .wire import InboundStream

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
    for version in needs.get("zmtp", []):
        if version not in capabilities.get("zmtp", []):
            return "ZMTP %s" % version
    for option in needs.get("options", []):
        if option not in capabilities.get("options", []):
            return "option %s" % option
    if needs.get("heartbeat") and not capabilities.get("heartbeat"):
        return "heartbeats"
    if case_.role == "binds" and "bind" not in capabilities.get("roles", ["bind", "connect"]):
        return "the bind role"
    if case_.role == "connects" and "connect" not in capabilities.get("roles", ["bind", "connect"]):
        return "the connect role"
    return None


def _wire_checks(run):
    """What every case checks: the implementation's octets decode, on every connection."""
    for conn in run.connections:
        error = conn.inbound.error
        if error:
            clause = error.get("clause") or "zmtp31.frame.flags-reserved"
            if clause in run.registry:
                run.expect(clause, False, "%s sent malformed octets: %s at offset %d"
                           % (conn.label, error["class"], error["offset"]))


def _ending(conn):
    closed_by = ("implementation" if conn.closed_by_peer
                 else "suite" if conn.closed_by_us else "open")
    reason = conn.error_command
    return {"conn": conn.label, "closedBy": closed_by, "how": conn.closed_by_peer,
            "errorCommand": reason.decode("latin-1") if reason is not None else None}


def run_case(case_, adapter_command, registry, profile, clock, baseline):
    """Runs one case; returns its result record."""
    started = time.monotonic()
    result = {"id": case_.id, "slug": case_.slug, "role": case_.role, "area": case_.area,
              "title": case_.title,
              "clauses": [{"id": c, "keyword": registry[c]["keyword"],
                           "statement": registry[c]["statement"]} for c in case_.clauses],
              "verdict": None, "reason": "", "expectations": [], "notes": [],
              "ending": [], "transcript": [], "decoded": [], "adapterLog": ""}
    adapter = run = None
    try:
        adapter = Adapter(adapter_command, clock)
        gap = capability_gap(case_, adapter.capabilities)
        if gap:
            raise Unsupported("the adapter does not declare %s" % gap)
        run = CaseRun(case_, adapter, registry, profile, clock)
        case_.fn(run)
        _wire_checks(run)
        result["verdict"] = V.worst(e["verdict"] for e in run.expectations)
        if not run.expectations:
            raise HarnessError("the case stated no expectation")
    except Unsupported as e:
        result.update(verdict=V.UNSUPPORTED, reason=str(e))
    except ImplementationSilent as e:
        result.update(verdict=V.FAIL, reason=str(e))
    except AdapterError as e:
        if e.status == 127:
            result.update(verdict=V.UNSUPPORTED, reason="the adapter exited 127: %s" % e)
        else:
            result.update(verdict=V.FAIL, reason="the implementation's adapter failed: %s" % e)
    except Exception as e:  # noqa: BLE001 - any other exception is the suite's own bug
        result.update(verdict=V.HARNESS_ERROR,
                      reason="%s: %s\n%s" % (type(e).__name__, e, traceback.format_exc()))
    finally:
        if run is not None:
            run.close_all()
            result["expectations"] = run.expectations
            result["notes"] = run.notes
            result["ending"] = [_ending(c) for c in run.connections]
            result["transcript"] = run.transcript.entries
            result["decoded"] = [_decoded(c) for c in run.connections]
        if adapter is not None:
            adapter.quit()
            result["adapterLog"] = adapter.stderr_text()
    if result["verdict"] == V.FAIL and not result["reason"]:
        broken = [e for e in result["expectations"] if e["verdict"] == V.FAIL]
        result["reason"] = "; ".join("%s: %s" % (e["clause"], e["what"]) for e in broken)
    expected = baseline.get(case_.id)
    if expected:
        result["baseline"] = expected
    result["seconds"] = round(time.monotonic() - started, 3)
    return result


def _decoded(conn):
    """Both directions of one connection, decoded frame by frame: what the implementation
    sent (decoded as it arrived) and what the suite sent (decoded now, from its octets,
    with the same codec: a case that sends malformed octets shows where they break)."""
    ours = InboundStream()
    ours.push(bytes(conn.sent))
    return {"conn": conn.label, "fromImplementation": _stream_report(conn.inbound),
            "fromSuite": _stream_report(ours)}


def _stream_report(stream):
    return {"greeting": stream.greeting, "detected": stream.detected,
            "frames": [f.as_report() for f in stream.frames(complete_only=False)],
            "error": stream.error}
