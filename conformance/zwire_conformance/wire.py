"""The suite's side of the wire: raw TCP connections that send scripted octets and
decode, with the independent codec of conformance/zwire_codec, everything the
implementation sends back.

A RawConnection records a transcript (both directions, with offsets and times) and keeps
the implementation's stream decoded as it arrives: its greeting, then its frames (commands
decoded), and whether it closed (EOF or reset).  A decoding error in what the
implementation sent is kept too: every case reports it, whatever else it checks, since
an implementation that writes malformed octets breaks the clause the codec names.

Waits are event driven: `wait(predicate, seconds)` pumps the socket until the predicate
holds, the connection closes, or the time (multiplied by the run's timeout multiplier)
is up.  Nothing here sleeps for a fixed time.
"""

import errno
import select
import socket
import struct
import time

from zwire_codec import FrameDecoder, GreetingDecoder, encode_greeting_v2

MECHANISM_NULL = "NULL"


class Clock:
    """The run's time scale: every wait is `seconds * multiplier`."""

    def __init__(self, multiplier=1.0):
        self.multiplier = multiplier

    def deadline(self, seconds):
        return time.monotonic() + seconds * self.multiplier


class InboundStream:
    """The implementation's octets, decoded: greeting, then frames of its version."""

    def __init__(self, max_version=None):
        self.data = bytearray()
        self.greeting_decoder = GreetingDecoder(min_version="1.0", max_version=max_version)
        self.frame_decoder = None
        self.error = None           # the first DecodeError report, if any
        self.raw_only = False       # a case reading a non-3.x answer itself (2.0 downgrade)
        self.other_version = None   # why the octets may be of another version: not judged
        self._greeting_end = None

    def push(self, chunk):
        start = len(self.data)
        self.data += chunk
        if self.error or self.raw_only:
            return
        if self.frame_decoder is None:
            used = self.greeting_decoder.push(bytes(chunk))
            report = self.greeting_decoder.report()
            if report["state"] == "error":
                self.error = report["error"]
                return
            if report["state"] != "complete":
                return
            self._greeting_end = start + used
            self.frame_decoder = FrameDecoder(zmtp_version=self._framing(report["greeting"]),
                                              mechanism=self._mechanism(report["greeting"]))
            chunk = chunk[used:]
        if chunk:
            self.frame_decoder.push(bytes(chunk))
            report = self.frame_decoder.report()
            if report["state"] == "error":
                self.error = report["error"]
                self.error["offset"] += self._greeting_end

    @staticmethod
    def _framing(greeting):
        if greeting["version"] == "2.0":
            return "2.0"
        if greeting["version"] == "1.0":
            return "2.0"            # never used: a 1.0 peer is not framed here
        return "3.0" if greeting.get("minor") == 0 else "3.1"

    @staticmethod
    def _mechanism(greeting):
        """The layouts its commands are decoded by: those of the mechanism its greeting
        names (NULL, PLAIN, CURVE), NULL's for any other (and for 1.0 / 2.0)."""
        name = greeting.get("mechanism")
        return name if name in ("NULL", "PLAIN", "CURVE") else "NULL"

    def may_speak_other_version(self, why):
        """After a greeting of another version from the suite, the implementation may
        answer in that version: its octets are decoded as 3.x still, but a decoding error
        is no longer its fault (wire checks skip the stream, saying why)."""
        self.other_version = why

    @property
    def greeting(self):
        report = self.greeting_decoder.report()
        return report["greeting"] if report["state"] == "complete" else None

    @property
    def detected(self):
        return self.greeting_decoder.report()["detected"]

    def frames(self, complete_only=True):
        if not self.frame_decoder:
            return []
        return [f for f in self.frame_decoder.frames if f.complete or not complete_only]

    def frames_since(self, stream_offset):
        """The complete frames that began at or after stream_offset (octets of the whole
        stream, greeting included)."""
        base = self._greeting_end or 0
        return [f for f in self.frames() if base + f.offset >= stream_offset]

    def commands(self):
        """[(name, command object)] of the complete command frames, in order."""
        out = []
        for f in self.frames():
            if f.flags & 0x04 and f.command:
                out.append((f.command.get("name"), f.command))
        return out

    def messages(self):
        """The complete messages (lists of frame bodies) of data frames, in order."""
        out, current = [], []
        for f in self.frames():
            if f.flags & 0x04:
                continue
            current.append(bytes(f.body))
            if not f.flags & 0x01:
                out.append(current)
                current = []
        return out

    def unfinished(self):
        """What follows the last whole message and cannot be read as one, in words (or
        ""): the frames of a message whose last frame has not come (MORE on every one so
        far), and octets that do not decode."""
        parts, pending = [], []
        for f in self.frames(complete_only=False):
            if not f.flags & 0x04:
                pending.append(f)
                if f.complete and not f.flags & 0x01:
                    pending = []
        whole = [f for f in pending if f.complete]
        if whole:
            parts.append("%d frame%s of a message it did not finish (MORE on the last)"
                         % (len(whole), "" if len(whole) == 1 else "s"))
        if pending and not pending[-1].complete:
            parts.append("a frame announcing %d octets, %d of them received"
                         % (pending[-1].size, len(pending[-1].body)))
        if self.error:
            parts.append("octets that do not decode (%s at offset %d, %s)"
                         % (self.error["class"], self.error["offset"],
                            self.error.get("clause") or "no clause"))
        return " and ".join(parts)


class Mark:
    """A point of an exchange: the transcript's length and the octets received so far."""

    def __init__(self, entry, inbound):
        self.entry, self.inbound = entry, inbound


class RawConnection:
    """One TCP connection of the suite's raw peer."""

    def __init__(self, sock, clock, transcript, label):
        self.sock = sock
        self.sock.setblocking(False)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.clock = clock
        self.transcript = transcript
        self.label = label
        self.inbound = InboundStream()
        self.sent = bytearray()
        self.closed_by_peer = None      # None, "eof" or "reset"
        self.closed_entry = None        # the transcript's length when the close was seen
        self.closed_by_us = False
        self.send_failed = None

    def read_as_v2_peer(self):
        """From now on, decode the implementation's octets as a 2.0 peer reads them
        (15/ZMTP): a greeting of any revision from 1 up is a 2.0 one, since a later peer
        steps down to ours, and 2.0 frames follow.  Octets already in are decoded again."""
        stream = InboundStream(max_version="2.0")
        stream.push(bytes(self.inbound.data))
        self.inbound = stream

    # --- sending ------------------------------------------------------------------------

    def send(self, data, note=""):
        """Sends all of data (waiting for room up to 2 s); False if the peer is gone.  What
        has already arrived is read first, so that a close the peer made before these
        octets is seen, and recorded, before them."""
        data = bytes(data)
        self.pump(0)
        at = len(self.transcript.entries)
        self.transcript.record(self.label, "out", len(self.sent), data, note)
        self.sent += data
        view = memoryview(data)
        deadline = self.clock.deadline(2.0)
        while view:
            try:
                n = self.sock.send(view)
                view = view[n:]
            except BlockingIOError:
                if time.monotonic() > deadline:
                    self.send_failed = "blocked"
                    return False
                self.pump(0.01)
            except OSError as e:
                self.send_failed = errno.errorcode.get(e.errno, str(e))
                if self.closed_by_peer is None:
                    self._closed("reset", "the implementation had reset the connection "
                                          "(our send failed: %s)" % self.send_failed)
                    self.closed_entry = at      # it closed before these octets reached it
                return False
        return True

    def send_chunks(self, chunks, note=""):
        """Sends each chunk apart, letting the peer read between them."""
        for chunk in chunks:
            if not self.send(chunk, note):
                return False
            self.pump(0.005)
        return True

    # --- receiving ----------------------------------------------------------------------

    def pump(self, seconds=0.0):
        """Reads what arrives within `seconds` (unscaled); True once the peer has closed."""
        if self.closed_by_peer or self.closed_by_us:
            return True
        end = time.monotonic() + seconds
        while True:
            left = max(0.0, end - time.monotonic())
            ready, _, _ = select.select([self.sock], [], [], left)
            if not ready:
                return False
            try:
                data = self.sock.recv(1 << 20)
            except BlockingIOError:
                continue
            except OSError:
                self._closed("reset", "connection reset by the implementation")
                return True
            if not data:
                self._closed("eof", "connection closed by the implementation")
                return True
            self.transcript.record(self.label, "in", len(self.inbound.data), data, "")
            self.inbound.push(data)
            if time.monotonic() >= end:
                return False

    def _closed(self, how, note):
        self.closed_by_peer = how
        self.transcript.record(self.label, "in", len(self.inbound.data), b"", note)
        self.closed_entry = len(self.transcript.entries)

    def mark(self):
        """Where the exchange stands now: see closed_since and answer_since."""
        return Mark(len(self.transcript.entries), len(self.inbound.data))

    def closed_since(self, mark):
        """True if the implementation closed this connection after the mark (a Mark, or a
        transcript length): only then is the close an answer to what came before it."""
        entry = mark.entry if isinstance(mark, Mark) else mark
        return self.closed_by_peer is not None and self.closed_entry is not None \
            and self.closed_entry > entry

    def answer_since(self, mark):
        """What the implementation did after the mark, in words: what it sent (commands by
        name, ERROR with its reason, messages counted) and whether it closed ("it sent
        ERROR 'invalid flags' and closed the connection 1 ms after our octets")."""
        sent = []
        messages = 0
        for f in self.inbound.frames_since(mark.inbound):
            if f.flags & 0x04 and f.command:
                name = f.command.get("name")
                if name == "ERROR":
                    reason = bytes.fromhex(f.command.get("reason", "")).decode("latin-1")
                    sent.append("ERROR %r" % reason)
                else:
                    sent.append(str(name))
            elif not f.flags & 0x01:
                messages += 1
        if messages:
            sent.append("%d message%s" % (messages, "s" if messages > 1 else ""))
        undecoded = len(self.inbound.data) - mark.inbound
        if not sent and undecoded > 0:
            # octets of a greeting's rest, of another version's frames, or of a frame cut short
            sent.append("%d octet%s that %s" % (
                undecoded, "s" if undecoded > 1 else "",
                "do not decode as ZMTP 3.x (%s)" % self.inbound.other_version
                if self.inbound.other_version and self.inbound.error else "make no whole frame"))
        what = "it sent %s" % ", ".join(sent) if sent else "it sent nothing"
        if self.closed_since(mark):
            return "%s and closed the connection%s" % (what, self._close_timing(note=False))
        if self.closed_by_peer:
            return "%s; it had closed the connection before our octets reached it" % what
        return "%s and kept the connection open" % what

    def describe(self):
        """What the implementation did on this connection, in words: what it sent, and
        whether and when it closed ("it sent nothing, and closed the connection 3 ms after
        our last octets")."""
        parts = []
        got = len(self.inbound.data)
        greeting = self.inbound.greeting
        if got == 0:
            parts.append("sent nothing")
        elif self.inbound.error and greeting is None:
            parts.append("sent %d octets that are no greeting (%s at offset %d)"
                         % (got, self.inbound.error["class"], self.inbound.error["offset"]))
        elif greeting is None:
            parts.append("sent %d octets, not a whole greeting" % got)
        else:
            version = greeting["version"]
            if version.startswith("3") and "minor" in greeting:
                version = "3.%d" % greeting["minor"]
            sent = [n for n, _ in self.inbound.commands()]
            count = len(self.inbound.messages())
            if count:
                sent.append("%d message%s" % (count, "" if count == 1 else "s"))
            if self.inbound.unfinished():
                sent.append(self.inbound.unfinished())
            parts.append("greeted as ZMTP %s, then sent %s"
                         % (version, ", ".join(sent) if sent else "nothing more"))
        if self.closed_by_peer:
            parts.append("%s the connection%s" % ("closed" if self.closed_by_peer == "eof"
                                                   else "reset", self._close_timing()))
        elif self.closed_by_us:
            parts.append("kept the connection open until the suite closed it")
        else:
            parts.append("kept the connection open")
        return "it " + ", and ".join(parts)

    def _close_timing(self, note=True):
        """When the close came: ' N ms after our last octets [what they were]' (the
        bracket, the transcript's note of those octets, only with `note`)."""
        entries = self.transcript.entries[:self.closed_entry or 0]
        mine = [e for e in entries if e["conn"] == self.label]
        if not mine:
            return ""
        closed_at = mine[-1]["t"]
        ours = [e for e in mine if e["dir"] == "out"]
        if not ours:
            return " %.0f ms after it opened, before we sent anything" % (closed_at - mine[0]["t"])
        note = ours[-1]["note"] if note else ""
        return " %.0f ms after our last octets%s" % (closed_at - ours[-1]["t"],
                                                   " [%s]" % note if note else "")

    def wait(self, predicate, seconds):
        """Pumps until predicate() holds (True), or the peer closes / time is up (then
        the predicate's last value)."""
        deadline = self.clock.deadline(seconds)
        while not predicate():
            left = deadline - time.monotonic()
            if left <= 0 or self.pump(min(left, 0.05)):
                return bool(predicate())
        return True

    def wait_closed(self, seconds):
        return self.wait(lambda: self.closed_by_peer is not None, seconds)

    def wait_greeting(self, seconds=2.0):
        return self.wait(lambda: self.inbound.greeting is not None, seconds)

    def wait_command(self, name, seconds=2.0, count=1):
        return self.wait(lambda: sum(1 for n, _ in self.inbound.commands() if n == name) >= count,
                         seconds)

    def wait_messages(self, count, seconds=2.0):
        return self.wait(lambda: len(self.inbound.messages()) >= count, seconds)

    def stays_open(self, seconds):
        """True if the peer has not closed after `seconds` (scaled)."""
        return not self.wait_closed(seconds)

    @property
    def error_command(self):
        """The reason (bytes) of the first ERROR command the implementation sent, or None."""
        for name, cmd in self.inbound.commands():
            if name == "ERROR":
                return bytes.fromhex(cmd.get("reason", ""))
        return None

    def close(self):
        if not self.closed_by_us:
            self.closed_by_us = True
            try:
                self.sock.close()
            except OSError:
                pass


class RawListener:
    """A listening socket on 127.0.0.1 for cases where the implementation connects."""

    def __init__(self, clock, transcript):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.clock = clock
        self.transcript = transcript
        self.accepted = 0
        self.endpoint = "tcp://127.0.0.1:%d" % self.sock.getsockname()[1]

    def accept(self, seconds=3.0):
        """The next connection from the implementation, or None."""
        left = max(0.0, self.clock.deadline(seconds) - time.monotonic())
        ready, _, _ = select.select([self.sock], [], [], left)
        if not ready:
            return None
        sock, _ = self.sock.accept()
        self.accepted += 1
        return RawConnection(sock, self.clock, self.transcript, "conn%d" % self.accepted)

    def close(self):
        self.sock.close()


def connect(endpoint, clock, transcript, label="conn1"):
    """A raw connection to a tcp:// endpoint of the implementation.  Raises OSError when
    the implementation does not take it (refused, reset, not accepted in time): its doing,
    which CaseRun and the robustness probe record as such (os_error says it in words)."""
    host, port = endpoint[len("tcp://"):].rsplit(":", 1)
    sock = socket.create_connection((host.strip("[]"), int(port)),
                                    timeout=3.0 * clock.multiplier)
    return RawConnection(sock, clock, transcript, label)


def os_error(e):
    """An OSError of a connection in words: 'Connection refused (ECONNREFUSED)'."""
    name = errno.errorcode.get(e.errno) if isinstance(e.errno, int) else None
    text = e.strerror or str(e) or type(e).__name__
    return "%s (%s)" % (text, name) if name else text


# --- octets, spelled out (the codec's encoders are used where they exist) ---------------

def greeting(major=3, minor=1, mechanism=b"NULL", as_server=0, padding=bytes(8),
             signature_end=0x7F, first=0xFF, filler=bytes(31)):
    """A 3.x greeting with every field settable, for breaking one at a time."""
    return (bytes([first]) + padding + bytes([signature_end, major, minor])
            + mechanism.ljust(20, b"\0")[:20] + bytes([as_server]) + filler)


# 15/ZMTP's socket-type octets (zmtp20.greeting.socket-type).
V2_SOCKET_TYPES = {"PAIR": 0, "PUB": 1, "SUB": 2, "REQ": 3, "REP": 4, "DEALER": 5,
                   "ROUTER": 6, "PULL": 7, "PUSH": 8}


def greeting_v2(socket_type, identity=b""):
    """A whole 2.0 greeting, as a 2.0 peer sends it at once: signature, revision 1, the
    socket type, the identity frame."""
    return encode_greeting_v2(1, V2_SOCKET_TYPES[socket_type], identity)


def frame(body, more=False, command=False, long=None, flags_extra=0):
    """A 3.x frame (a 2.0 one too, without `command`); `long` forces (True) or forbids (False) the 8-octet size."""
    flags = (0x01 if more else 0) | (0x04 if command else 0) | flags_extra
    if long or (long is None and len(body) > 255):
        return bytes([flags | 0x02]) + struct.pack(">Q", len(body)) + body
    return bytes([flags, len(body)]) + body


def message(*frames):
    """One message's octets: its frames, every one but the last with MORE."""
    return b"".join(frame(f, more=i < len(frames) - 1) for i, f in enumerate(frames))


def prop(name, value):
    return bytes([len(name)]) + name + struct.pack(">I", len(value)) + value


def command(name, data=b"", long=None):
    return frame(bytes([len(name)]) + name + data, command=True, long=long)


def ready(socket_type, identity=None, extra=b""):
    data = prop(b"Socket-Type", socket_type.encode() if isinstance(socket_type, str)
                else socket_type)
    if identity is not None:
        data += prop(b"Identity", identity)
    return command(b"READY", data + extra)


def ping(ttl=0, context=b""):
    return command(b"PING", struct.pack(">H", ttl) + context)
