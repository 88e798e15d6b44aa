"""An implementation under test started from a command line: a role of a protocol above
ZMTP (a Majordomo broker, a Freelance server), which needs no adapter (ADAPTER.md,
"Majordomo: the implementation under test from a command line", "Freelance: a server
under test").

The command is a template with placeholders the suite fills in for each case:

    {endpoint}            tcp://127.0.0.1:PORT, a port the suite found free
    {endpoints}           tcp://127.0.0.1:PORT,tcp://127.0.0.1:PORT,...: where the suite's
                          servers listen, for a Freelance client (comma-separated, no space)
    {heartbeat_ms}        the heartbeat interval the case wants, in milliseconds
    {liveness}            how many silent intervals make a peer gone
    {request_expiry_ms}   how long a request for a service with no worker may wait
    {reconnect_ms}        a worker's delay before a new socket (suitebroker.py)
    {mdp_version}         0.1 or 0.2, for a worker or client of one version a process
                          (suitebroker.py)
    {ping_interval_ms}    a Freelance client's interval between pings, in milliseconds
    {timeout_ms}          a Freelance client's wait for a reply, per attempt, in milliseconds
    {retries}             a Freelance client's attempts after the first

An implementation whose endpoint or timers are fixed says so instead (Launcher's
`endpoint` and `declared`): the suite then uses those values, and a case that needs a
value neither the command takes nor the user declared is UNSUPPORTED.

Each case gets a fresh process (RoleProcess), ready once its first line of standard output
says `bound ENDPOINT` (that endpoint is the one the suite uses) or, failing that line, once
its endpoint takes a TCP connection.  It stops on SIGTERM (SIGKILL 5 s later).  Its
standard output and standard error go to files, never to a pipe that could fill and stop
it, and end up in the case's report.  A process that exits during a case died: the
runner's ADAPTER-ERROR, and "died" on the robustness axis.
"""

import os
import re
import shlex
import signal
import socket
import subprocess
import tempfile
import time

from .adapter import AdapterError, Unsupported

PLACEHOLDERS = ("endpoint", "endpoints", "heartbeat_ms", "liveness", "request_expiry_ms",
                "reconnect_ms", "mdp_version", "ping_interval_ms", "timeout_ms", "retries")
PLACEHOLDER_RE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
TIMERS = ("heartbeat_ms", "liveness", "request_expiry_ms")
# The timers of each role a Launcher starts (TIMERS: the Majordomo broker's); a role not
# listed has TIMERS.  A Freelance server has none.
ROLE_TIMERS = {("mdp", "broker"): TIMERS, ("flp", "server"): (),
               ("flp", "client"): ("ping_interval_ms", "liveness", "timeout_ms", "retries")}
# What a case gets for a timer it does not ask for: long enough never to act during a case
# (the Guide's and zwire's defaults; DECISIONS M1, M3), and a Freelance client's defaults
# (its contract's: a ping a second, 3 silent intervals (DECISIONS F6), a second per attempt,
# 3 retries).
DEFAULT_TIMERS = {"heartbeat_ms": 2500, "liveness": 3, "request_expiry_ms": 7500,
                  "ping_interval_ms": 1000, "timeout_ms": 1000, "retries": 3}
# The suite's side of a role it does not start with Launcher itself (it listens where the
# implementation connects, and plays the other roles there): (protocol, role) -> (a Launcher
# subclass, the role's robustness probe), filled in by the module that plays them when it
# is imported (the cases import it), and read by cli.make_launcher.  The Majordomo worker
# and client (suitebroker.py) are wired in cli.py directly.
SIDES = {}
READY_SECONDS = 10.0        # a process has this long to bind and say so (or take a connection)
QUIET_BEFORE_PROBE = 1.0    # without a `bound` line, connections probe the endpoint after this
START_ATTEMPTS = 3          # a process that exits before it is ready may have lost its port


class BadCommand(ValueError):
    """A command template the suite cannot use (an unknown placeholder, nothing to run)."""


def placeholders(command):
    """The placeholder names a command template uses, in order of first use."""
    seen = []
    for name in PLACEHOLDER_RE.findall(command):
        if name not in seen:
            seen.append(name)
    return seen


def check_command(command):
    """Refuses a template with an unknown placeholder or no program (BadCommand)."""
    unknown = [n for n in placeholders(command) if n not in PLACEHOLDERS]
    if unknown:
        raise BadCommand("unknown placeholder {%s} in %r; the placeholders are %s"
                         % (unknown[0], command, ", ".join("{%s}" % p for p in PLACEHOLDERS)))
    try:
        argv = shlex.split(command)
    except ValueError as e:
        raise BadCommand("cannot split %r into words: %s" % (command, e))
    if not argv:
        raise BadCommand("the command is empty")


def expand(command, values):
    """argv of a command template: split into words as a shell would (no shell runs), then
    each {placeholder} replaced by its value.  A placeholder with no value is BadCommand."""
    check_command(command)

    def value(match):
        name = match.group(1)
        if values.get(name) is None:
            raise BadCommand("no value for {%s}" % name)
        return str(values[name])
    return [PLACEHOLDER_RE.sub(value, word) for word in shlex.split(command)]


def free_port():
    """A TCP port of 127.0.0.1 that nothing listens on now (the kernel's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def accepts(endpoint, seconds=0.2):
    """True if a TCP connection to a tcp:// endpoint is taken (it is closed at once)."""
    host, port = endpoint[len("tcp://"):].rsplit(":", 1)
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=seconds):
            return True
    except (OSError, ValueError):
        return False


class Launcher:
    """How the implementation under test is started: protocol, role, command template,
    what it speaks (capabilities), and the endpoint or timers it fixes itself."""

    def __init__(self, protocol, role, command, capabilities, endpoint=None, declared=None,
                 name=None, probe=None):
        check_command(command)
        self.protocol, self.role, self.command = protocol, role, command
        self.capabilities = dict(capabilities)
        self.endpoint = endpoint                # fixed by the implementation, or None
        self.declared = {k: v for k, v in (declared or {}).items() if v is not None}
        # the program and the role ("zwire-flp-client"): the reports of two roles of one
        # program, or of a role and the program's adapter, never share a directory
        self.name = name or "%s-%s-%s" % (os.path.basename(shlex.split(command)[0]), protocol, role)
        self.probe = probe                      # the robustness probe of this role
        self.ready_at = None                    # where the pre-flight's process got ready
        uses = placeholders(command)
        # {endpoints}: the suite listens (a Freelance client connects to its servers)
        where = "endpoints" if "endpoints" in uses else "endpoint"
        if where not in uses and not endpoint:
            raise BadCommand("the command has no {endpoint} and no --endpoint is declared: "
                             "the suite cannot know where to connect")
        if where in uses and endpoint:
            raise BadCommand("{%s} in the command and --endpoint both given: one only" % where)
        for timer in self.role_timers:
            if timer in uses and timer in self.declared:
                raise BadCommand("{%s} in the command and its value declared both: one only"
                                 % timer)

    @property
    def role_timers(self):
        """The placeholders of this role that are timers (ROLE_TIMERS)."""
        return ROLE_TIMERS.get((self.protocol, self.role), TIMERS)

    @property
    def parallel(self):
        """Cases may run side by side only when each process gets an endpoint of its own."""
        return not self.endpoint

    def timers(self, wanted=None):
        """The timers a case runs with: what it wants where the command takes the value,
        what was declared where the implementation fixes it, else None (unknown)."""
        uses = placeholders(self.command)
        out = {}
        for timer in self.role_timers:
            if timer in uses:
                out[timer] = (wanted or {}).get(timer, DEFAULT_TIMERS[timer])
            else:
                out[timer] = self.declared.get(timer)
        return out

    def describe(self):
        """The command as the report shows it, with what is fixed."""
        fixed = ["endpoint %s" % self.endpoint] if self.endpoint else []
        fixed += ["%s %s" % (k, v) for k, v in sorted(self.declared.items())]
        return self.command + (" (declared: %s)" % ", ".join(fixed) if fixed else "")

    def hello(self):
        """What the run records of the implementation, as an adapter's hello would say it."""
        return {"implementation": {"name": self.name},
                "capabilities": dict(self.capabilities, protocol=self.protocol,
                                     role=self.role, timers=self.timers())}

    def start(self, clock, case_=None):
        """A fresh process for one case, ready; AdapterError if it cannot be made ready.
        A case that needs a timer whose value is unknown is Unsupported before any start."""
        wanted = getattr(case_, "timers", None) or {}
        timers = self.timers(wanted)
        for timer in getattr(case_, "needs", {}).get("timers", []):
            if timers.get(timer) is None:
                raise Unsupported("the command has no {%s} and no value was declared for it"
                                  % timer)
        failure = None
        for _ in range(START_ATTEMPTS if not self.endpoint else 1):
            endpoint = self.endpoint or "tcp://127.0.0.1:%d" % free_port()
            process = RoleProcess(self, expand(self.command, dict(timers, endpoint=endpoint)),
                                  endpoint, timers, clock)
            try:
                process.wait_ready()
                return process
            except AdapterError as e:
                process.close()
                failure = e
                if e.status is None:        # alive but never ready: another port won't help
                    break
        raise failure


class RoleProcess:
    """One running implementation, as the runner sees an adapter: `proc`, `capabilities`,
    `clock`, quit(), kill(), close(), stderr_text(); plus `endpoint`, `timers` and the
    role's robustness `probe`."""

    def __init__(self, launcher, argv, endpoint, timers, clock):
        self.launcher, self.argv = launcher, argv
        self.stopped_by_suite = False
        self.endpoint, self.timers, self.clock = endpoint, timers, clock
        self.given_endpoint = endpoint  # as the command line had it (a `bound` line may differ)
        self.hello = launcher.hello()
        self.capabilities = self.hello["capabilities"]
        self._stdout = tempfile.TemporaryFile()
        self._stderr = tempfile.TemporaryFile()
        try:
            self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self._stdout,
                                         stderr=self._stderr)
        except OSError as e:
            self._stdout.close()
            self._stderr.close()
            raise AdapterError("cannot start %r: %s" % (" ".join(argv), e))

    def probe(self, run):
        return self.launcher.probe(run)

    def stdout_text(self):
        """What the process wrote to standard output so far (read without moving the file
        offset it shares with the process)."""
        fd, out, at = self._stdout.fileno(), bytearray(), 0
        while True:
            chunk = os.pread(fd, 1 << 16, at)
            if not chunk:
                return out.decode("utf-8", "replace")
            out += chunk
            at += len(chunk)

    def bound_line(self):
        """The endpoint of a `bound ENDPOINT` line among the whole lines written, or None."""
        for line in self.stdout_text().split("\n")[:-1]:
            words = line.split()
            if len(words) == 2 and words[0] == "bound":
                return words[1]
        return None

    def wait_ready(self):
        """Until the process says `bound ENDPOINT`, or (after a quiet second) its endpoint
        takes a connection; AdapterError if it exits first (with its status) or is not
        ready within READY_SECONDS (status None)."""
        started = time.monotonic()
        deadline = self.clock.deadline(READY_SECONDS)
        while time.monotonic() < deadline:
            bound = self.bound_line()
            if bound:
                self.endpoint = bound
                return
            if self.proc.poll() is not None:
                raise AdapterError("it exited with status %d before it was ready: %s"
                                   % (self.proc.returncode, self._last_words()),
                                   self.proc.returncode)
            if time.monotonic() - started > QUIET_BEFORE_PROBE and accepts(self.endpoint):
                return
            time.sleep(0.01)
        raise AdapterError("not ready within %.0f s: no `bound ENDPOINT` line on its standard "
                           "output, and %s took no connection"
                           % (READY_SECONDS * self.clock.multiplier, self.endpoint))

    def _last_words(self):
        text = self.stderr_text(limit=400).strip()
        return text.replace("\n", " / ") if text else "it said nothing"

    def stop(self):
        """A case stops the implementation on purpose (what it does when told to stop is the
        case's subject): its exit is then no death.  Returns the exit status."""
        self.stopped_by_suite = True
        return self.quit()

    def quit(self):
        """SIGTERM, then SIGKILL after 5 s (scaled).  Returns the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=5 * self.clock.multiplier)
            except subprocess.TimeoutExpired:
                self.kill()
        return self.proc.returncode

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def close(self):
        self.kill()
        for f in (self._stdout, self._stderr):
            try:
                f.close()
            except OSError:
                pass

    def stderr_text(self, limit=65536):
        """Its standard error, and its standard output after a line saying so."""
        parts = []
        for name, f in (("stderr", self._stderr), ("stdout", self._stdout)):
            if f.closed:
                continue
            data = b""
            fd, at = f.fileno(), 0
            while len(data) < limit:
                chunk = os.pread(fd, 1 << 16, at)
                if not chunk:
                    break
                data += chunk
                at += len(chunk)
            text = data.decode("utf-8", "replace")
            if text:
                parts.append(text if name == "stderr" else "[standard output]\n" + text)
        text = "\n".join(parts)
        return text if len(text) <= limit else text[:limit] + "\n[... cut]"


def preflight(launcher, clock):
    """Before a run: one process starts, gets ready and stops on SIGTERM within 5 s (each
    case starts and stops one).  Sets launcher.ready_at; AdapterError says what went wrong."""
    process = launcher.start(clock)
    try:
        launcher.ready_at = process.endpoint
        status = process.quit()
    finally:
        process.close()
    if status == -signal.SIGKILL:
        raise AdapterError("it did not exit within %.0f s of SIGTERM, and every case ends with "
                           "one" % (5 * clock.multiplier))
