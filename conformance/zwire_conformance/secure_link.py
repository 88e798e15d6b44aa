"""The suite's raw peer under PLAIN (24/ZMTP-PLAIN) or CURVE (25/ZMTP-CURVE, 26/CURVEZMQ):
the 3.x greeting, the mechanism handshake and then messages, over one RawConnection of
wire.py (its transcript, its event-driven waits, its decoding of everything the other
side sends). A handshake state object of zwire_codec decides every octet of every command:
curvezmq.CurveClient / CurveServer or plain_handshake.PlainClient / PlainServer, given by
the caller (so a case fixes its keys and nonces, or breaks a command on purpose).

The greeting names the state object's mechanism and its as-server octet (1 for a server,
0 for a client: 24/ZMTP-PLAIN and 25/ZMTP-CURVE use it "to identify which peer is client
and which peer is server"; DECISIONS S1); the peer's greeting must be 3.x, name the same
mechanism (zmtp31.greeting.mechanism-match) and announce the other role (DECISIONS S6),
else LinkError("greeting") -- as DECISIONS S6 has it: our server refuses a peer that says
as-server 1 too (ERROR "both peers are servers", then the close), while our client takes
a server's 0 (`role_clash` says so) unless `strict_role`: libzmq 4.3.4 sends as-server 0
in every role, so a client that refused it could talk to no libzmq server.

Handshake commands go in command frames. A command the state object refuses raises its
HandshakeError; the link closes the connection first (a server sends no ERROR for it:
curve.server.error-optional, curve.server.no-error-on-message; a client never does:
curve.client.no-error). An `authenticate` callback (PLAIN: user name,
password; CURVE: the client's permanent key) that returns a reason makes the server send
ERROR with it and close (curve.server.auth-fail-error, DECISIONS S4); the peer's ERROR
raises LinkError("peer-error") with its reason.

Messages after the handshake: under PLAIN, clear frames (MORE on all but the last), as
23/ZMTP frames them; under CURVE, one MESSAGE per frame, its boxed flags carrying MORE
(26/CURVEZMQ), sent in a ZMTP frame with flags 0x00 as libzmq 4.3.4 does and DECISIONS S11
chose (`message_frames="data"`: libzmq drops a command-framed one) or in a command frame
(`"command"`, zmtp31.wire.encrypted-commands' stricter reading); both are read. A ZMTP command after the handshake (PING,
SUBSCRIBE, ...) is a command frame under PLAIN and, under CURVE, a MESSAGE with flags bit 1
(DECISIONS S7): `send_command` sends one, and those received are kept in `commands`.
Every wait is bounded (seconds scaled by the clock's multiplier); nothing sleeps.

A conformance case that watches what the peer does after a refusal (does it close after its
ERROR? after our hostile command?) makes the link with `close_on_error=False`: the link then
raises as before but leaves the connection open. A case that steps through the handshake
itself (holding a command back, sending a broken one) uses `read_command` and `send_body`.
"""

import collections
import time

from zwire_codec import encode_frame, encode_greeting_v3
from zwire_codec.errors import INVALID_METADATA, MALFORMED_COMMAND
from zwire_codec.handshake import MALFORMED, METADATA, HandshakeError

from . import wire
from .case import Transcript

COMMAND_FRAME = 0x04
MORE_FRAME = 0x01


class LinkError(Exception):
    """The link could not go on: `what` is greeting, closed, timeout, peer-error (its
    ERROR's reason in `reason`, bytes), refused (our authenticate callback refused the
    client: ERROR sent, connection closed) or decode (octets the codec refuses outside a
    command: `report` is the codec's error object)."""

    def __init__(self, what, text, reason=None, report=None):
        super().__init__(f"{what}: {text}")
        self.what, self.text, self.reason, self.report = what, text, reason, report


class SecureLink:
    """One connection of the suite's raw peer, secured by `mechanism` (a state object)."""

    def __init__(self, conn, mechanism, *, seconds=3.0, minor=1, message_frames="data",
                 authenticate=None, strict_role=False, close_on_error=True):
        if message_frames not in ("data", "command"):
            raise ValueError("message_frames is 'data' or 'command'")
        self.conn = conn
        self.mech = mechanism
        self.seconds = seconds
        self.minor = minor
        self.message_frames = message_frames
        self.authenticate = authenticate
        self.strict_role = strict_role
        self.close_on_error = close_on_error    # False: a refusal leaves the connection open
        self.role_clash = False     # the peer announced our own role (as-server)
        self.commands = []          # ZMTP command bodies received after the handshake
        self._commands = collections.deque()    # ... not yet taken by recv_command
        self._messages = collections.deque()    # whole messages not yet taken
        self._parts = []                        # the frames of a message under way
        self.peer_greeting = None
        self._taken = 0             # frames of conn.inbound already read

    @classmethod
    def over_socket(cls, sock, mechanism, *, clock=None, transcript=None, label="conn1",
                    **options):
        """A link over a connected TCP socket (socket.socket), with a transcript of its
        own unless one is given."""
        conn = wire.RawConnection(sock, clock or wire.Clock(), transcript or Transcript(),
                                  label)
        return cls(conn, mechanism, **options)

    @property
    def curve(self):
        return self.mech.mechanism == "CURVE"

    # --- greeting and handshake ---------------------------------------------------------

    def greet(self):
        """Sends our greeting and waits for the peer's; checks version, mechanism, role."""
        mech = self.mech
        self.conn.send(encode_greeting_v3(3, self.minor, mech.mechanism, mech.as_server),
                       f"greeting 3.{self.minor} {mech.mechanism} as-server {mech.as_server}")
        if not self.conn.wait_greeting(self.seconds):
            self._lost("no greeting")
        greeting = self.peer_greeting = self.conn.inbound.greeting
        if greeting["version"] != "3":
            self._refuse_greeting(f"a ZMTP {greeting['version']} greeting")
        if greeting["mechanism"] != mech.mechanism:
            self._refuse_greeting(f"mechanism {greeting['mechanism']}, not {mech.mechanism}")
        if greeting["asServer"] == mech.as_server:
            # Two servers would both wait for HELLO: refused. A server that says 0 to a
            # client is what libzmq 4.3 always sends (it writes as-server 0 whatever its
            # role): taken, and noted in role_clash, unless strict_role.
            self.role_clash = True
            if mech.as_server:
                self._send_command(mech.make_error("both peers are servers"), "ERROR")
            if mech.as_server or self.strict_role:
                self._refuse_greeting(f"as-server {greeting['asServer']}: the peer "
                                      f"announces our own role ({mech.role})")

    def _refuse_greeting(self, what):
        self._close()
        raise LinkError("greeting", f"the peer greeted with {what}")

    def handshake(self):
        """Greeting, then the mechanism handshake of our role; returns self once messages
        may flow. Raises HandshakeError (a command refused) or LinkError."""
        self.greet()
        if self.mech.role == "client":
            self._client_handshake()
        else:
            self._server_handshake()
        return self

    def _client_handshake(self):
        mech = self.mech
        self._send_command(mech.make_hello(), "HELLO")
        self._answer("WELCOME")
        self._send_command(mech.make_initiate(), "INITIATE")
        self._answer("READY")

    def _answer(self, name):
        got, value = self._open(self._next_command())
        if got == "ERROR":
            self._close()
            raise LinkError("peer-error", f"ERROR {value!r} instead of {name}", reason=value)

    def _server_handshake(self):
        mech = self.mech
        self._open(self._next_command())
        if mech.mechanism == "PLAIN":
            self._judge(mech.username, mech.password)
        self._send_command(mech.make_welcome(), "WELCOME")
        self._open(self._next_command())
        if mech.mechanism == "CURVE":
            self._judge(mech.client_key)
        self._send_command(mech.make_ready(), "READY")

    def _judge(self, *credentials):
        """The authenticate callback's verdict: None goes on, a reason refuses."""
        reason = self.authenticate(*credentials) if self.authenticate else None
        if reason is not None:
            self._send_command(self.mech.make_error(reason), "ERROR (authentication)")
            self._close()
            raise LinkError("refused", f"authentication refused: {reason}")

    def _open(self, body):
        try:
            return self.mech.open(body)
        except HandshakeError:
            self._close()
            raise

    def _close(self):
        """The link gives up: closes the connection, unless close_on_error is False."""
        if self.close_on_error:
            self.conn.close()

    def _send_command(self, body, note):
        if not self.conn.send(encode_frame(body, command=True), note):
            self._lost(f"could not send {note}")

    def read_command(self, seconds=None):
        """The peer's next handshake command, opened by the state object: (name, what its
        open_* returns). Raises HandshakeError or LinkError as the handshake does."""
        return self._open(self._next_command(seconds))

    def unread(self):
        """How many of the peer's frames have come that no step has read yet (a command
        that came in the same segment as the last one read, say)."""
        return len(self.conn.inbound.frames()) - self._taken

    def send_body(self, body, note):
        """One command body as it is, in a command frame (a handshake step of a case's own,
        or hostile input)."""
        self._send_command(bytes(body), note)

    def _next_command(self, seconds=None):
        """The body of the peer's next frame, which must be a command frame."""
        frame = self._next_frame(self.seconds if seconds is None else seconds)
        if not frame.flags & COMMAND_FRAME:
            self._close()
            order = "curve.handshake.order" if self.curve else "plain.handshake.order"
            raise HandshakeError("unexpected-command", order, "order",
                                 "a message frame during the handshake")
        return bytes(frame.body)

    # --- frames -------------------------------------------------------------------------

    def _next_frame(self, seconds):
        conn = self.conn

        def arrived():
            return len(conn.inbound.frames()) > self._taken or conn.inbound.error
        conn.wait(arrived, seconds)
        frames = conn.inbound.frames()
        if len(frames) > self._taken:
            self._taken += 1
            return frames[self._taken - 1]
        error = conn.inbound.error
        if error:
            self._close()
            if error["class"] in (MALFORMED_COMMAND, INVALID_METADATA):
                kind = METADATA if error["class"] == INVALID_METADATA else MALFORMED
                raise HandshakeError(error["class"], error["clause"], kind,
                                     f"a command that does not decode: {error['class']} at "
                                     f"stream offset {error['offset']}")
            raise LinkError("decode", f"{error['class']} at stream offset {error['offset']}",
                            report=error)
        self._lost("no frame")

    def _lost(self, what):
        if self.conn.closed_by_peer:
            raise LinkError("closed", f"{what}: {self.conn.describe()}")
        raise LinkError("timeout", f"{what} within {self.seconds} s: {self.conn.describe()}")

    # --- messages -----------------------------------------------------------------------

    def send_message(self, frames):
        """One message (a list of frame bodies)."""
        frames = [bytes(f) for f in frames] or [b""]
        out = bytearray()
        for i, data in enumerate(frames):
            more = i < len(frames) - 1
            if self.curve:
                out += encode_frame(self.mech.make_message(data, more=more),
                                    command=self.message_frames == "command")
            else:
                out += encode_frame(data, more=more)
        if not self.conn.send(out, f"message of {len(frames)} frame(s)"):
            self._lost("could not send a message")

    def send_command(self, body):
        """A ZMTP command body (PING, SUBSCRIBE, ...) after the handshake."""
        if self.curve:
            frame = encode_frame(self.mech.make_message(body, command=True),
                                 command=self.message_frames == "command")
        else:
            frame = encode_frame(body, command=True)
        if not self.conn.send(frame, "command after the handshake"):
            self._lost("could not send a command")

    def recv_message(self, seconds=None):
        """The peer's next whole message (a list of frame bodies). Raises HandshakeError
        for a MESSAGE refused, LinkError when none comes within `seconds`."""
        return self._recv(self._messages, seconds)

    def recv_command(self, seconds=None):
        """The body of the peer's next ZMTP command after the handshake (PONG, ...)."""
        return self._recv(self._commands, seconds)

    def _recv(self, queue, seconds):
        deadline = time.monotonic() + (self.seconds if seconds is None else seconds)
        while not queue:
            self._read_frame(max(0.0, deadline - time.monotonic()))
        return queue.popleft()

    def _read_frame(self, seconds):
        """One frame of the peer's into a message under way, or a command."""
        frame = self._next_frame(seconds)
        if self.curve:
            name, value = self._open(bytes(frame.body))
            if name == "ERROR":
                self._close()
                raise LinkError("peer-error", f"ERROR {value!r}", reason=value)
            flags, data = value
            command, more = flags & 0x02, flags & 0x01
        else:
            data = bytes(frame.body)
            command, more = frame.flags & COMMAND_FRAME, frame.flags & MORE_FRAME
        if command:
            self.commands.append(data)
            self._commands.append(data)
            return
        self._parts.append(data)
        if not more:
            self._messages.append(self._parts)
            self._parts = []

    def close(self):
        self.conn.close()
