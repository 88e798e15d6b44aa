"""Driving a `peer --control` process from a test (reference/docs/peer-control.md).

Two implementations sit behind the same protocol:

    "zwire"   the C reference peer: $ZWIRE peer ... --control
              (ZWIRE defaults to build/bin/zwire; a relative path is taken
              from the repository root)
    "libzmq"  the pyzmq stand-in: /usr/bin/python3 pyzmq_peer.py ... --control

The *subject* of the suite is chosen by ZWIRE_SUBJECT (zwire, the default, or
libzmq: then libzmq plays both sides and the suite checks itself).

Every call that waits has a deadline, so no test can hang: a peer that does not
answer in time raises PeerError with its stderr attached.  stderr goes to a
temporary file (never a pipe: a chatty peer cannot block on it).
"""

import json
import os
import pathlib
import select
import signal
import subprocess
import time

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[2]
PYTHON = "/usr/bin/python3"
STANDIN = HERE / "pyzmq_peer.py"

SUBJECT = os.environ.get("ZWIRE_SUBJECT", "zwire").strip().lower() or "zwire"
if SUBJECT not in ("zwire", "libzmq"):
    raise RuntimeError("ZWIRE_SUBJECT must be zwire or libzmq, not %r" % SUBJECT)

SANITIZER_MARKERS = ("LeakSanitizer", "AddressSanitizer", "runtime error",
                     "UndefinedBehaviorSanitizer")

# Slack added to a command's own timeout before the harness gives up on a reply.
REPLY_SLACK = 5.0


def zwire_binary():
    path = pathlib.Path(os.environ.get("ZWIRE", "build/bin/zwire"))
    if not path.is_absolute():
        path = ROOT / path
    return path


def subject_is_zwire():
    return SUBJECT == "zwire"


def zwire_peer_available():
    """(True, "") when $ZWIRE has the `peer` command, else (False, why)."""
    path = zwire_binary()
    if not os.access(path, os.X_OK):
        return False, "%s: no such executable" % path
    try:
        r = subprocess.run([str(path), "help", "peer"], capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired) as e:
        return False, "%s help peer: %s" % (path, e)
    if r.returncode != 0:
        return False, "%s has no `peer` command yet (`zwire help peer` exits %d)" % (
            path, r.returncode)
    return True, ""


class PeerError(AssertionError):
    pass


def hexes(frames):
    return [bytes(f).hex() for f in frames]


def option_args(options):
    """Keyword options -> command line: heartbeat_ivl=100 -> --heartbeat-ivl 100,
    router_handover=True -> --router-handover, subscribe=[...] -> repeated."""
    out = []
    for key, value in options.items():
        flag = "--" + key.replace("_", "-")
        if value is None or value is False:
            continue
        if value is True:
            out.append(flag)
        elif isinstance(value, (list, tuple)):
            for v in value:
                out += [flag, str(v)]
        else:
            out += [flag, str(value)]
    return out


class Peer:
    """One running peer process.  Use start_peer() (or the `spawn` fixture)."""

    def __init__(self, impl, sock_type, bind=(), connect=(), name=None, workdir=None,
                 options=None):
        self.impl = impl
        self.type = sock_type
        self.name = name or "%s-%s" % (impl, sock_type)
        self.options = dict(options or {})
        if impl == "zwire":
            cmd = [str(zwire_binary()), "peer"]
        elif impl == "libzmq":
            cmd = [PYTHON, str(STANDIN)]
        else:
            raise ValueError("unknown implementation %r" % impl)
        cmd += ["--type", sock_type]
        for ep in bind:
            cmd += ["--bind", ep]
        for ep in connect:
            cmd += ["--connect", ep]
        cmd += option_args(self.options)
        cmd.append("--control")
        self.cmd = cmd
        workdir = pathlib.Path(workdir or "/tmp")
        workdir.mkdir(parents=True, exist_ok=True)
        self.stderr_path = workdir / ("%s.%d.stderr" % (self.name, id(self)))
        self._stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self._stderr, cwd=str(ROOT))
        self._buf = b""
        self.exit_status = None
        self.endpoints = []
        self.killed = False         # SIGKILLed by the test (kill) or by cleanup

    # --- process -------------------------------------------------------------

    @property
    def pid(self):
        return self.proc.pid

    def alive(self):
        return self.proc.poll() is None

    def stderr_text(self):
        try:
            self._stderr.flush()
        except ValueError:
            pass
        return self.stderr_path.read_text(errors="replace")

    def stop(self):
        """SIGSTOP: the process (and every thread of it) freezes."""
        os.kill(self.proc.pid, signal.SIGSTOP)

    def cont(self):
        os.kill(self.proc.pid, signal.SIGCONT)

    def kill(self):
        """SIGKILL, no goodbye; returns the exit status."""
        self.killed = True
        if self.alive():
            try:
                os.kill(self.proc.pid, signal.SIGCONT)
            except ProcessLookupError:
                pass
            self.proc.kill()
        return self.wait(5)

    def wait(self, timeout):
        try:
            self.exit_status = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None
        self._close_pipes()
        return self.exit_status

    def _close_pipes(self):
        for f in (self.proc.stdin, self.proc.stdout):
            try:
                f.close()
            except (OSError, ValueError):
                pass
        try:
            self._stderr.close()
        except OSError:
            pass

    def cleanup(self):
        """End of test: end of input (= close), then a kill if it lingers."""
        if self.alive():
            try:
                os.kill(self.proc.pid, signal.SIGCONT)
            except ProcessLookupError:
                pass
            try:
                self.proc.stdin.close()
            except (OSError, ValueError):
                pass
            if self.wait(3) is None:
                self.killed = True
                self.proc.kill()
                self.wait(5)
        else:
            self.wait(1)
        self._close_pipes()

    def _fail(self, why):
        raise PeerError("%s (pid %d, %s): %s\n--- command: %s\n--- stderr:\n%s" % (
            self.name, self.proc.pid, "running" if self.alive() else
            "exited %s" % self.proc.poll(), why, " ".join(self.cmd), self.stderr_text()[-6000:]))

    # --- protocol ------------------------------------------------------------

    def _readline(self, timeout):
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        parts = [self._buf]
        end = self._buf.find(b"\n")
        while end < 0:
            left = deadline - time.monotonic()
            if left <= 0:
                self._buf = b"".join(parts)
                self._fail("no reply within %.1f s" % timeout)
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                self._buf = b"".join(parts)
                self._fail("stdout closed (the process ended?)")
            end = chunk.find(b"\n")
            if end >= 0:
                end += sum(len(p) for p in parts)
            parts.append(chunk)
        data = b"".join(parts)
        line, self._buf = data[:end], data[end + 1:]
        try:
            return json.loads(line)
        except ValueError:
            self._fail("not a JSON line on stdout: %r" % line[:200])

    def wait_ready(self, timeout=10.0):
        msg = self._readline(timeout)
        if msg.get("event") != "ready":
            self._fail("first line is not the ready event: %r" % msg)
        self.endpoints = list(msg.get("endpoints", []))
        return self.endpoints

    @property
    def endpoint(self):
        return self.endpoints[0]

    def request(self, obj, wait_s=0.0):
        """Writes one command, returns its reply (a dict)."""
        if not self.alive():
            self._fail("not running (command %s)" % obj.get("op"))
        line = (json.dumps(obj) + "\n").encode()
        try:
            self.proc.stdin.write(line)
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as e:
            self._fail("cannot write the command: %s" % e)
        return self._readline(wait_s + REPLY_SLACK + len(line) / 50e6)

    def send(self, frames, timeout=3000):
        """True when the message was queued; False on a timeout."""
        r = self.request({"op": "send", "frames": hexes(frames), "timeout": timeout},
                         max(timeout, 0) / 1000.0)
        if not r.get("ok") and r.get("error") != "timeout":
            self._fail("send refused: %r" % r)
        return bool(r.get("ok"))

    def recv(self, timeout=3000):
        """The frames (list of bytes) of the next message, or None on a timeout."""
        r = self.request({"op": "recv", "timeout": timeout}, max(timeout, 0) / 1000.0)
        if r.get("ok"):
            return [bytes.fromhex(f) for f in r["frames"]]
        if r.get("error") != "timeout":
            self._fail("recv refused: %r" % r)
        return None

    def subscribe(self, topic):
        r = self.request({"op": "subscribe", "topic": bytes(topic).hex()})
        if not r.get("ok"):
            self._fail("subscribe refused: %r" % r)

    def unsubscribe(self, topic):
        r = self.request({"op": "unsubscribe", "topic": bytes(topic).hex()})
        if not r.get("ok"):
            self._fail("unsubscribe refused: %r" % r)

    def peers(self, count=1, timeout=3000):
        """(ok, n): ok when at least `count` connections finished their handshake."""
        r = self.request({"op": "peers", "count": count, "timeout": timeout}, timeout / 1000.0)
        return bool(r.get("ok")), r.get("peers")

    def stats(self):
        r = self.request({"op": "stats"})
        if not r.get("ok"):
            self._fail("stats refused: %r" % r)
        return r

    def wait_stats(self, predicate, timeout=3.0, step_ms=50):
        """Polls `stats` until predicate(stats) holds; returns (held, last stats)."""
        deadline = time.monotonic() + timeout
        while True:
            s = self.stats()
            if predicate(s):
                return True, s
            if time.monotonic() >= deadline:
                return False, s
            self.sleep(step_ms)

    def sleep(self, ms):
        r = self.request({"op": "sleep", "ms": ms}, ms / 1000.0)
        if not r.get("ok"):
            self._fail("sleep refused: %r" % r)

    def bind(self, endpoint):
        r = self.request({"op": "bind", "endpoint": endpoint})
        if not r.get("ok"):
            self._fail("bind refused: %r" % r)
        return r["endpoint"]

    def connect(self, endpoint):
        r = self.request({"op": "connect", "endpoint": endpoint})
        if not r.get("ok"):
            self._fail("connect refused: %r" % r)

    def close(self, timeout=10.0):
        """`close`, then waits for the exit; returns the exit status."""
        r = self.request({"op": "close"})
        if not r.get("ok"):
            self._fail("close refused: %r" % r)
        status = self.wait(timeout)
        if status is None:
            self._fail("still running %.0f s after close" % timeout)
        return status

    def sanitizer_report(self):
        """The sanitizer lines of its stderr ('' when there are none)."""
        text = self.stderr_text()
        return "\n".join(l for l in text.splitlines() if any(m in l for m in SANITIZER_MARKERS))


def cleanup_all(peers_):
    """End of input to every peer at once (their lingers overlap), then cleanup."""
    for p in peers_:
        if p.alive():
            try:
                os.kill(p.proc.pid, signal.SIGCONT)
                p.proc.stdin.close()
            except (OSError, ValueError):
                pass
    for p in peers_:
        p.cleanup()


def start_peer(impl, sock_type, bind=(), connect=(), name=None, workdir=None, **options):
    """Starts a peer and waits for its ready line."""
    peer = Peer(impl, sock_type, bind=bind, connect=connect, name=name, workdir=workdir,
                options=options)
    try:
        peer.wait_ready()
    except BaseException:
        peer.cleanup()
        raise
    return peer


def close_all(*peers, timeout=10.0):
    """Closes several peers at once (their lingers overlap); returns exit statuses."""
    for p in peers:
        if p.alive():
            try:
                p.proc.stdin.write(b'{"op": "close"}\n')
                p.proc.stdin.flush()
            except (BrokenPipeError, OSError):
                pass
    statuses = []
    for p in peers:
        if p.wait(timeout) is None:
            p._fail("still running %.0f s after close" % timeout)
        statuses.append(p.exit_status)
    return statuses


class TimeLimitExceeded(BaseException):
    """Raised by SIGALRM in the main thread: a BaseException so that no
    `except Exception` swallows it."""


class hard_time_limit:
    """with hard_time_limit(seconds): ... -- raises TimeLimitExceeded when over
    (SIGALRM; restores the previous timer and handler on exit)."""

    def __init__(self, seconds):
        self.seconds = seconds

    def __enter__(self):
        def expired(signum, frame):
            raise TimeLimitExceeded("interop: over the %.0f s time limit" % self.seconds)
        self._old_handler = signal.signal(signal.SIGALRM, expired)
        self._old_timer = signal.setitimer(signal.ITIMER_REAL, self.seconds)
        self._start = time.monotonic()
        return self

    def __exit__(self, *exc):
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, self._old_handler)
        outer = self._old_timer[0]
        if outer > 0:               # an enclosing limit: give it back what is left
            signal.setitimer(signal.ITIMER_REAL,
                             max(0.001, outer - (time.monotonic() - self._start)))
        return False


# --- helpers shared by the tests ----------------------------------------------------

TCP_ANY = "tcp://127.0.0.1:0"


def port_of(endpoint):
    return int(endpoint.rsplit(":", 1)[1])


def expect_recv(peer, expected, timeout=3000, what=""):
    """Receives one message and asserts its frames."""
    got = peer.recv(timeout)
    assert got is not None, "%s: nothing received within %d ms (expected %r)" % (
        what or peer.name, timeout, short(expected))
    assert got == list(expected), "%s: received %r, expected %r" % (
        what or peer.name, short(got), short(expected))
    return got


def short(frames, limit=48):
    """A readable form of frames for assertion messages (long frames abridged)."""
    if frames is None:
        return None
    out = []
    for f in frames:
        f = bytes(f)
        out.append(f if len(f) <= limit else "<%d octets %s...>" % (len(f), f[:16].hex()))
    return out


def wait_handshaken(*peers_, timeout=3000):
    for p in peers_:
        ok, n = p.peers(1, timeout)
        assert ok, "%s: no handshaken connection within %d ms (peers=%r)" % (p.name, timeout, n)


def sync_subscription(pub, sub, prefix=b"", timeout=3.0):
    """Waits until sub's subscription to `prefix` has reached pub: pub sends probes
    (prefix + b"probe-N") until one arrives, then an end marker, and sub drains
    every probe up to the marker.  Afterwards the pipe pub -> sub is empty."""
    deadline = time.monotonic() + timeout
    n = 0
    while True:
        assert pub.send([prefix + b"probe-%d" % n], 1000), "%s: probe not sent" % pub.name
        got = sub.recv(30 if n < 10 else 100)
        if got is not None:
            assert got[0].startswith(prefix + b"probe-"), "unexpected %r while syncing" % (
                short(got),)
            break
        n += 1
        assert time.monotonic() < deadline, (
            "subscription %r of %s never reached %s" % (prefix[:32], sub.name, pub.name))
    end = prefix + b"sync-end"
    assert pub.send([end], 1000)
    while True:
        got = sub.recv(3000)
        assert got is not None, "sync end marker lost"
        if got == [end]:
            return
        assert got[0].startswith(prefix + b"probe-"), "unexpected %r while syncing" % (short(got),)


# --- security tests: logs, libzmq's monitor events, the --print mode ---------------------

def wait_stderr(peer, needle, timeout=3.0, since=0):
    """Polls peer's stderr (from offset `since`) until it holds `needle`; returns the text
    read (the needle is in it when found, not when the deadline passed)."""
    deadline = time.monotonic() + timeout
    while True:
        text = peer.stderr_text()[since:]
        if needle in text or time.monotonic() >= deadline:
            return text
        time.sleep(0.02)


def libzmq_events(peer, name=None):
    """The socket-monitor events the stand-in logged ("event NAME ENDPOINT value=N"), as
    (NAME, N) pairs in order; only those called `name` when it is given."""
    out = []
    for line in peer.stderr_text().splitlines():
        words = line.split()
        if len(words) >= 5 and words[1] == "event" and words[-1].startswith("value="):
            try:
                event = (words[2], int(words[-1][6:]))
            except ValueError:
                continue
            if name is None or event[0] == name:
                out.append(event)
    return out


class PrintPeer:
    """`$ZWIRE peer ... --print` (not --control): its stdout, a line per message, is what
    --print-auth decorates.  The command line is args (a list) after `peer`; stderr goes to
    a file as for Peer.  finish() waits (bounded) for the exit and returns the output."""

    def __init__(self, args, workdir, name="zwire-print"):
        self.name = name
        self.cmd = [str(zwire_binary()), "peer"] + list(args)
        self.stderr_path = pathlib.Path(workdir) / ("%s.%d.stderr" % (name, id(self)))
        self._stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(self.cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=self._stderr, cwd=str(ROOT))
        self.pid = self.proc.pid
        self.killed = False

    def stderr_text(self):
        return self.stderr_path.read_text(errors="replace")     # the child writes it

    def finish(self, timeout):
        """(exit status, stdout lines); a peer still running after `timeout` s is killed
        (status None)."""
        try:
            out, _ = self.proc.communicate(timeout=timeout)
            status = self.proc.returncode
        except subprocess.TimeoutExpired:
            self.killed = True
            self.proc.kill()
            out, _ = self.proc.communicate(timeout=5)
            status = None
        self._stderr.close()
        return status, out.decode(errors="replace").splitlines()

    def cleanup(self):
        if self.proc.poll() is None:
            self.killed = True
            self.proc.kill()
            self.proc.wait(5)
        if self.proc.stdout:
            self.proc.stdout.close()
        if not self._stderr.closed:
            self._stderr.close()

    def sanitizer_report(self):
        text = self.stderr_text()
        return "\n".join(l for l in text.splitlines() if any(m in l for m in SANITIZER_MARKERS))
