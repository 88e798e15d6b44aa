"""Tiny hand-rolled ZMTP byte builders and a raw TCP client, for feeding a peer
octets no well-behaved library would send (rfc-digest §4.2-§4.6, §5.3).

Deliberately independent of the zwire codecs: the octets are spelled out here.
"""

import errno
import select
import socket
import struct
import time


# --- building ----------------------------------------------------------------

def greeting(major=3, minor=1, mechanism=b"NULL", as_server=0, padding=bytes(8)):
    """The 64-octet 3.x greeting: FF, 8 padding octets, 7F, version, mechanism
    NUL-padded to 20, as-server, 31 zero filler octets."""
    return (b"\xff" + padding + b"\x7f" + bytes([major, minor])
            + mechanism.ljust(20, b"\0") + bytes([as_server]) + bytes(31))


def greeting_v2(socket_type, identity=b""):
    """A ZMTP 2.0 greeting (15/ZMTP): signature with padding = identity length + 1,
    revision 01, the socket-type octet, the identity frame `00 len body`."""
    return (b"\xff" + struct.pack(">Q", len(identity) + 1) + b"\x7f" + b"\x01"
            + bytes([socket_type]) + b"\x00" + bytes([len(identity)]) + identity)


# 15/ZMTP socket-type octets
V2_TYPES = {"PAIR": 0, "PUB": 1, "SUB": 2, "REQ": 3, "REP": 4, "DEALER": 5,
            "ROUTER": 6, "PULL": 7, "PUSH": 8}


def frame(body, more=False, command=False, long=None):
    """A 3.x frame: flags (MORE 0x01, LONG 0x02, COMMAND 0x04), short or long size, body."""
    flags = (0x01 if more else 0) | (0x04 if command else 0)
    if long or (long is None and len(body) > 255):
        return bytes([flags | 0x02]) + struct.pack(">Q", len(body)) + body
    return bytes([flags, len(body)]) + body


def command_frame(body, long=None):
    """A command frame around a command body (name-length, name, data)."""
    return frame(body, command=True, long=long)


def command(name, data=b""):
    return command_frame(bytes([len(name)]) + name + data)


def prop(name, value):
    """One metadata property: 1-octet name length, name, 4-octet BE value length, value."""
    return bytes([len(name)]) + name + struct.pack(">I", len(value)) + value


def ready(socket_type, identity=None, extra=b""):
    """A NULL READY command frame announcing socket_type (b"PUSH" ...)."""
    data = prop(b"Socket-Type", socket_type)
    if identity is not None:
        data += prop(b"Identity", identity)
    return command(b"READY", data + extra)


def handshake(socket_type, minor=1):
    """Greeting + READY: what a NULL client sends before its first frame."""
    return greeting(minor=minor) + ready(socket_type)


# --- parsing what the peer sent back ----------------------------------------------

def commands_in(stream):
    """The (name, data) of every complete command frame in what a 3.x peer sent
    (its 64-octet greeting first).  [] if the stream is not a 3.x greeting."""
    if len(stream) < 64 or stream[0] != 0xFF or stream[10] < 3:
        return []
    out = []
    pos = 64
    while pos + 2 <= len(stream):
        flags = stream[pos]
        if flags & 0x02:
            if pos + 9 > len(stream):
                break
            size = struct.unpack(">Q", stream[pos + 1:pos + 9])[0]
            head = 9
        else:
            size = stream[pos + 1]
            head = 2
        body = stream[pos + head:pos + head + size]
        if len(body) < size:
            break
        if flags & 0x04 and body:
            n = body[0]
            out.append((bytes(body[1:1 + n]), bytes(body[1 + n:])))
        pos += head + size
    return out


def error_reason(stream):
    """The reason of the first ERROR command the peer sent, or None."""
    for name, data in commands_in(stream):
        if name == b"ERROR":
            return data[1:1 + data[0]] if data else b""
    return None


# --- a raw client ----------------------------------------------------------------

class RawClient:
    """A plain TCP connection to a peer; records everything it receives."""

    def __init__(self, host, port, timeout=3.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.setblocking(False)
        self.local_port = self.sock.getsockname()[1]
        self.received = b""
        self.closed_by_peer = None      # None: open; "eof" or "reset"
        self.send_error = None

    def send(self, data):
        """Sends all of data (blocking up to ~2 s); a peer that already closed is noted."""
        view = memoryview(data)
        deadline = time.monotonic() + 2.0
        while view and self.closed_by_peer is None:
            try:
                n = self.sock.send(view)
                view = view[n:]
            except BlockingIOError:
                self.pump(0.01)
                if time.monotonic() > deadline:
                    self.send_error = "send blocked"
                    return False
            except (BrokenPipeError, ConnectionResetError) as e:
                self.send_error = e.__class__.__name__
                self.closed_by_peer = self.closed_by_peer or "reset"
                return False
        return True

    def send_chunks(self, chunks, pause=0.002):
        for i, chunk in enumerate(chunks):
            if i:
                time.sleep(pause)
            if not self.send(chunk):
                return False
        return True

    def pump(self, timeout=0.0):
        """Reads what is there (waiting at most timeout); returns True once closed."""
        if self.closed_by_peer:
            return True
        end = time.monotonic() + timeout
        while True:
            left = max(0.0, end - time.monotonic())
            r, _, _ = select.select([self.sock], [], [], left)
            if not r:
                return False
            try:
                data = self.sock.recv(65536)
            except BlockingIOError:
                continue
            except ConnectionResetError:
                self.closed_by_peer = "reset"
                return True
            except OSError as e:
                if e.errno in (errno.ECONNRESET, errno.EPIPE):
                    self.closed_by_peer = "reset"
                    return True
                raise
            if not data:
                self.closed_by_peer = "eof"
                return True
            self.received += data
            if time.monotonic() >= end:
                return False

    def wait_closed(self, timeout):
        return self.pump(timeout)

    def _pump_until(self, done, timeout):
        deadline = time.monotonic() + timeout
        while not done():
            left = deadline - time.monotonic()
            if left <= 0 or self.pump(min(left, 0.05)):
                return done()
        return True

    def handshake(self, socket_type, minor=1, timeout=2.0):
        """Greeting + READY as a NULL client, then waits for the peer's greeting
        and READY: 37/ZMTP lets messages flow only once a peer has both sent and
        received READY (zmtp31.null.traffic-after-ready), and libzmq 4.3.4 does
        close a client whose first message arrives before it sent its own READY
        (ZMTP_UNEXPECTED_COMMAND).  True once the peer's READY is in."""
        self.send(greeting(minor=minor) + ready(socket_type))
        return self._pump_until(lambda: any(n == b"READY" for n, _ in commands_in(self.received)),
                                timeout)

    def handshake_v2(self, socket_type, timeout=2.0):
        """A 2.0 greeting; waits for the peer's (signature, revision, type, identity)."""
        self.send(greeting_v2(V2_TYPES[socket_type]))
        return self._pump_until(lambda: len(self.received) >= 14, timeout)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def wait_all_closed(clients, timeout):
    """Pumps many raw clients at once until all are closed by the peer or the time
    is up (one deadline for all)."""
    deadline = time.monotonic() + timeout
    while True:
        open_ = [c for c in clients if not c.closed_by_peer]
        left = deadline - time.monotonic()
        if not open_ or left <= 0:
            return
        r, _, _ = select.select([c.sock for c in open_], [], [], min(left, 0.2))
        for c in open_:
            if c.sock in r:
                c.pump(0)
