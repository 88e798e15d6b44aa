"""The suite's end of the adapter contract (conformance/ADAPTER.md): start the
implementation's adapter, read its hello, send requests and read replies with
timeouts, and tell an unsupported operation (exit 127) from a crash.
"""

import json
import os
import select
import shlex
import signal
import subprocess
import tempfile
import time

CONTRACT_VERSION = 1

# What a hello may declare (ADAPTER.md, "Hello"): the self-test refuses any other value.
CAPABILITY_VALUES = {
    "zmtp": ("1.0", "2.0", "3.0", "3.1"),
    "mechanisms": ("NULL", "PLAIN", "CURVE"),
    "socketTypes": ("PAIR", "PUB", "SUB", "XPUB", "XSUB", "REQ", "REP", "DEALER", "ROUTER",
                    "PUSH", "PULL"),
    "roles": ("bind", "connect"),
    "transports": ("tcp", "ipc"),
    "options": ("identity", "subscribe", "heartbeatIvl", "heartbeatTimeout", "heartbeatTtl",
                "handshakeIvl", "maxMsgSize", "reconnectIvl", "zmtpMinor",
                # security (ADAPTER.md, "Security")
                "mechanism", "asServer", "plainUsername", "plainPassword", "curveSecretKey",
                "curvePublicKey", "curveServerKey", "zapDomain", "zap"),
}
# The optional security capabilities (ADAPTER.md, "Security"): absent means none.
MECHANISM_ROLES = ("client", "server")
AUTH_IDENTITY = ("mechanism", "userId", "curveKey")
# The requests of the contract (ADAPTER.md, "Requests"): each is used by the cases or the
# harness; an adapter answers any other op "unsupported" and exits 127.
OPS = ("open", "bind", "connect", "send", "recv", "subscribe", "unsubscribe", "close", "quit")


class AdapterError(Exception):
    """The adapter broke the contract or died; `status` is its exit status if it exited."""

    def __init__(self, message, status=None):
        super().__init__(message)
        self.status = status


class Unsupported(Exception):
    """The adapter answered "unsupported" (and exits 127), or lacks a capability."""


class Adapter:
    """One running adapter process."""

    def __init__(self, command, clock, env=None):
        self.argv = shlex.split(command) if isinstance(command, str) else list(command)
        self.clock = clock
        self._stderr = tempfile.TemporaryFile()
        try:
            self.proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=self._stderr,
                                         env=env)
        except OSError as e:
            raise AdapterError("cannot start the adapter %r: %s" % (command, e))
        self._buffer = bytearray()
        self._next_id = 1
        try:
            self.hello = self._read_line(10.0, "its hello")
            if not isinstance(self.hello, dict) \
                    or self.hello.get("zwireAdapter") != CONTRACT_VERSION:
                raise AdapterError("the hello does not say zwireAdapter: %d: %.200r"
                                   % (CONTRACT_VERSION, self.hello))
        except AdapterError:
            self.close()            # a process that cannot be used is not left behind
            raise

    @property
    def capabilities(self):
        return self.hello.get("capabilities", {})

    @property
    def implementation(self):
        return self.hello.get("implementation", {})

    def _read_line(self, seconds, what):
        deadline = self.clock.deadline(seconds)
        scanned = 0             # octets of the buffer already known to hold no newline
        while b"\n" not in self._buffer[scanned:]:
            scanned = len(self._buffer)
            left = deadline - time.monotonic()
            if left <= 0:
                raise AdapterError("no answer from the adapter within %.1f s (waiting for %s)"
                                   % (seconds * self.clock.multiplier, what))
            ready, _, _ = select.select([self.proc.stdout], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.proc.stdout.fileno(), 1 << 20)
            if not chunk:
                status = self.proc.wait(timeout=5)
                raise AdapterError("the adapter exited with status %d (waiting for %s)"
                                   % (status, what), status)
            self._buffer += chunk
        end = self._buffer.index(b"\n")
        line = bytes(self._buffer[:end])
        del self._buffer[:end + 1]
        try:
            return json.loads(line)
        except ValueError:
            raise AdapterError("the adapter wrote a line that is not JSON: %r" % line[:200])

    def request(self, op, seconds=5.0, **fields):
        """Sends one request; returns the reply.  Unsupported is raised for "unsupported"."""
        request = dict(fields, id=self._next_id, op=op)
        self._next_id += 1
        try:
            self.proc.stdin.write(json.dumps(request).encode() + b"\n")
            self.proc.stdin.flush()
        except OSError as e:
            raise AdapterError("cannot write to the adapter: %s" % e, self.proc.poll())
        reply = self._read_line(seconds + 5.0, "the reply to %s" % op)
        if not isinstance(reply, dict):
            raise AdapterError("the reply to %s is not a JSON object: %.80r" % (op, reply))
        if reply.get("id") != request["id"]:
            raise AdapterError("reply id %r to request %d" % (reply.get("id"), request["id"]))
        if not reply.get("ok") and reply.get("error") == "unsupported":
            raise Unsupported("the adapter does not support %s %s" % (op, _brief(fields)))
        return reply

    def raw_request(self, line, seconds=5.0):
        """Writes one line as it is (the self-test's malformed requests); returns the
        reply, whatever its id."""
        try:
            self.proc.stdin.write(line + b"\n")
            self.proc.stdin.flush()
        except OSError as e:
            raise AdapterError("cannot write to the adapter: %s" % e, self.proc.poll())
        return self._read_line(seconds + 5.0, "the reply to %r" % line[:40])

    def quit(self):
        """Asks the adapter to end; kills it if it does not.  Returns its exit status."""
        if self.proc.poll() is None:
            try:
                self.request("quit", seconds=2.0)
            except (AdapterError, Unsupported):
                pass
            try:
                self.proc.wait(timeout=5 * self.clock.multiplier)
            except subprocess.TimeoutExpired:
                self.proc.send_signal(signal.SIGKILL)
                self.proc.wait()
        return self.proc.returncode

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def close(self):
        """Kills the adapter if it still runs and lets go of its pipes and its stderr."""
        self.kill()
        for f in (self.proc.stdin, self.proc.stdout, self._stderr):
            try:
                f.close()
            except OSError:
                pass

    def stderr_text(self, limit=65536):
        self._stderr.seek(0)
        data = self._stderr.read()
        text = data.decode("utf-8", "replace")
        return text if len(text) <= limit else text[:limit] + "\n[... %d more]" % (len(text) - limit)


def _brief(fields):
    text = json.dumps(fields)
    return text if len(text) < 120 else text[:117] + "..."


def check_unsupported_answer(command, clock):
    """The pre-flight check of ADAPTER.md: a made-up op must get "unsupported" and exit
    127.  Returns the hello; raises AdapterError if the adapter cannot be trusted."""
    adapter = Adapter(command, clock)
    hello = adapter.hello
    try:
        adapter.request("zwire-preflight-no-such-op", seconds=3.0)
    except Unsupported:
        try:
            status = adapter.proc.wait(timeout=5 * clock.multiplier)
        except subprocess.TimeoutExpired:
            adapter.kill()
            raise AdapterError("the adapter answered unsupported but did not exit (ADAPTER.md: exit 127)")
        if status != 127:
            raise AdapterError("the adapter answered unsupported but exited %d, not 127" % status)
        return hello
    finally:
        adapter.close()
    raise AdapterError("the adapter did not answer \"unsupported\" to an unknown op")
