#!/usr/bin/python3
"""The Majordomo client adapter for `zwire mdp client` (conformance/ADAPTER.md, "Majordomo:
a worker or a client under test").

    mdp_client_adapter.py --connect ENDPOINT [--version 0.1|0.2] [--zwire PATH]

It writes its hello, then for each request line on stdin runs one `zwire mdp client`
process (SERVICE, each BODY frame an argument, --timeout and --retries as the request
says), waits for it to end and answers one line: the outcome by its exit status (0 and 5
answered, 4 timed out, a signal or any other status died, 3 refused as a bad invocation)
and every frame it printed, one per line, PARTIALs' and FINAL's alike.  So each request is
a new client process, on new sockets: what the suite sees of one request is one client's.

What the command line cannot carry is answered "unsupported" (a frame holding a NUL octet
or a newline, a service name that is not printable ASCII); the suite then reports the case
UNSUPPORTED.  Logs, and each client's standard error, go to standard error.  It ends on
`quit`, at the end of its input, or on SIGTERM (which ends a client still running).
Stdlib only; run it with Debian's /usr/bin/python3.
"""

import argparse
import json
import os
import signal
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUNNING = []


def say(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def log(text):
    sys.stderr.write("mdp_client_adapter: %s\n" % text)
    sys.stderr.flush()


def stop(signum, frame):
    for proc in RUNNING:
        if proc.poll() is None:
            proc.kill()
    sys.exit(0)


def words(frames):
    """The frames as command-line words, or None if one cannot be one."""
    if any(b"\0" in f or b"\n" in f for f in frames):
        return None
    return [bytes(f) for f in frames]


def request(args, req):
    service = bytes.fromhex(req["service"])
    body = [bytes.fromhex(f) for f in req.get("body", [])]
    if not body or words(body) is None or not service or \
            not all(0x20 <= c <= 0x7E for c in service):
        return {"ok": False, "error": "unsupported: zwire mdp client takes a printable ASCII "
                "service and one BODY word a frame, at least one, with no NUL or newline"}
    argv = [args.zwire, "mdp", "client", "--connect", args.connect, "--version", args.version,
            "--timeout", str(max(1, int(req.get("timeout", 2500)))),
            "--retries", str(max(0, int(req.get("retries", 0)))), "--", service] + words(body)
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    RUNNING.append(proc)
    out, err = proc.communicate()
    RUNNING.remove(proc)
    if err:
        sys.stderr.write(err.decode("utf-8", "replace"))
        sys.stderr.flush()
    frames = out.split(b"\n")
    frames = frames[:-1] if frames and frames[-1] == b"" else frames
    status = proc.returncode
    if status == 3:
        return {"ok": False, "error": "zwire mdp client refused the invocation: %s"
                % err.decode("utf-8", "replace").strip()[-300:]}
    outcome = {0: "answered", 5: "answered", 4: "timed-out"}.get(status, "died")
    reply = {"ok": True, "outcome": outcome, "frames": [f.hex() for f in frames],
             "status": status}
    if outcome == "died":
        reply["status"] = ("signal %d" % -status) if status < 0 else "exit status %d" % status
    return reply


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--connect", required=True, help="the broker (the suite's listener)")
    p.add_argument("--version", default="0.2", choices=("0.1", "0.2"))
    p.add_argument("--zwire", default=os.path.join(ROOT, "build", "bin", "zwire"))
    args = p.parse_args()
    signal.signal(signal.SIGTERM, stop)
    say({"zwireMdpClient": 1, "implementation": {"name": "zwire mdp client",
                                                 "version": args.version}})
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
            rid = req.get("id")
            op = req.get("op")
        except (ValueError, AttributeError):
            say({"id": None, "ok": False, "error": "not a JSON object: %r" % line[:100]})
            continue
        if op == "quit":
            say({"id": rid, "ok": True})
            return 0
        if op != "request":
            say({"id": rid, "ok": False, "error": "unsupported: op %r" % op})
            continue
        try:
            reply = request(args, req)
        except (KeyError, ValueError, TypeError) as e:
            reply = {"ok": False, "error": "a bad request: %s" % e}
        except OSError as e:
            reply = {"ok": False, "error": "cannot run %s: %s" % (args.zwire, e)}
        say(dict(reply, id=rid))
    return 0


if __name__ == "__main__":
    sys.exit(main())
