"""The PLAIN handshake (24/ZMTP-PLAIN) as two I/O-free state objects, PlainClient and
PlainServer, with the same shape as curvezmq.py's CURVE ones: `make_*` returns a whole
command body, `open_*` takes one and returns what it carries or raises HandshakeError
(handshake.py). Layouts are the codec's (command_plain.py: plain.hello.layout,
plain.welcome.layout, plain.initiate.metadata, plain.ready.metadata, plain.error.layout);
the order is the grammar's (plain.handshake.order):

  C:HELLO ( S:WELCOME | S:ERROR ) C:INITIATE ( S:READY | S:ERROR ) *messages

After READY, messages are clear ZMTP frames: nothing is boxed, so no message methods.
Whether the server accepts the credentials is its caller's decision (a ZAP handler's, in
an implementation): open_hello returns them, and the caller makes WELCOME or ERROR.
User names and passwords are sent as given (bytes or ASCII str); the sender's VCHAR rule
(plain.hello.vchar) is not enforced on what we make, so a case can break it on purpose,
nor on what we open (the codec's decision: any octets are `acceptable`).
Standard library only. After an error the object is `failed` (sticky, first error wins).
"""

from .command import encode_command
from .handshake import (ORDER, UNEXPECTED_COMMAND, HandshakeError, command_name,
                        read_command)

ORDER_CLAUSE = "plain.handshake.order"
MECHANISM = "PLAIN"


def _octets(value):
    return value.encode("ascii") if isinstance(value, str) else bytes(value)


def _props(cmd):
    return [(p["name"], bytes.fromhex(p["value"])) for p in cmd["properties"]]


def _properties(props):
    return {"properties": [{"name": n, "value": bytes(v).hex()} for n, v in props]}


class _PlainPeer:
    role = peer_role = as_server = None
    mechanism = MECHANISM

    def __init__(self, metadata):
        self.metadata = list(metadata)
        self.peer_metadata = None
        self.state = "start"
        self.error = None

    @property
    def ready(self):
        """True once the handshake is over and messages flow."""
        return self.state == "messages"

    def _read(self, body, *names):
        if self.error is not None:
            raise self.error
        try:
            return read_command(body, MECHANISM, names, ORDER_CLAUSE)
        except HandshakeError as error:
            raise self._failed(error) from None

    def _failed(self, error):
        if self.error is None:
            self.error = error
            self.state = "failed"
        return error

    def _in_turn(self, name, *states):
        if self.state not in states:
            raise self._failed(HandshakeError(UNEXPECTED_COMMAND, ORDER_CLAUSE, ORDER,
                                              f"{name} while the {self.role} is {self.state}"))

    def _expect(self, *states):
        if self.error is not None:
            raise self.error
        if self.state not in states:
            raise ValueError(f"the {self.role} is {self.state}, not {' or '.join(states)}")

    def open(self, body):
        """The next command from the peer: (name, what the open_* method returns)."""
        name = command_name(body)
        opener = self._openers().get(name)
        if opener is None:
            self._read(body, *self._openers())     # raises: out of turn, or malformed
            raise self._failed(HandshakeError(UNEXPECTED_COMMAND, ORDER_CLAUSE, ORDER,
                                              f"{name} out of turn"))
        return name, opener(body)


class PlainClient(_PlainPeer):
    """The client of one PLAIN connection: HELLO (user name, password), then INITIATE."""

    role, peer_role, as_server = "client", "server", 0

    def __init__(self, username, password, *, metadata=()):
        super().__init__(metadata)
        self.username, self.password = _octets(username), _octets(password)

    def _openers(self):
        return {"WELCOME": self.open_welcome, "READY": self.open_ready,
                "ERROR": self.open_error}

    def make_hello(self):
        self._expect("start")
        self.state = "hello-sent"
        return encode_command({"name": "HELLO", "username": self.username.hex(),
                               "password": self.password.hex()}, MECHANISM)

    def open_welcome(self, body):
        self._read(body, "WELCOME")
        self._in_turn("WELCOME", "hello-sent")
        self.state = "welcome"

    def make_initiate(self, metadata=None):
        self._expect("welcome")
        self.state = "initiate-sent"
        return encode_command({"name": "INITIATE",
                               **_properties(self.metadata if metadata is None else metadata)},
                              MECHANISM)

    def open_ready(self, body):
        """READY: the server's metadata [(name, value)]; messages flow after it."""
        cmd = self._read(body, "READY")
        self._in_turn("READY", "initiate-sent")
        self.peer_metadata = _props(cmd)
        self.state = "messages"
        return self.peer_metadata

    def open_error(self, body):
        """ERROR (in place of WELCOME or READY): its reason; the handshake is over."""
        cmd = self._read(body, "ERROR")
        self._in_turn("ERROR", "hello-sent", "initiate-sent")
        self.state = "failed"
        return bytes.fromhex(cmd["reason"])


class PlainServer(_PlainPeer):
    """The server of one PLAIN connection: WELCOME (or ERROR), then READY (or ERROR)."""

    role, peer_role, as_server = "server", "client", 1

    def __init__(self, *, metadata=()):
        super().__init__(metadata)
        self.username = self.password = None

    def _openers(self):
        return {"HELLO": self.open_hello, "INITIATE": self.open_initiate}

    def open_hello(self, body):
        """HELLO: (user name, password) as octets, for the caller to judge."""
        cmd = self._read(body, "HELLO")
        self._in_turn("HELLO", "start")
        self.username = bytes.fromhex(cmd["username"])
        self.password = bytes.fromhex(cmd["password"])
        self.state = "hello"
        return self.username, self.password

    def make_welcome(self):
        self._expect("hello")
        self.state = "welcome-sent"
        return encode_command({"name": "WELCOME"}, MECHANISM)

    def open_initiate(self, body):
        """INITIATE: the client's metadata [(name, value)]."""
        cmd = self._read(body, "INITIATE")
        self._in_turn("INITIATE", "welcome-sent")
        self.peer_metadata = _props(cmd)
        self.state = "initiate"
        return self.peer_metadata

    def make_ready(self, metadata=None):
        self._expect("initiate")
        self.state = "messages"
        return encode_command({"name": "READY",
                               **_properties(self.metadata if metadata is None else metadata)},
                              MECHANISM)

    def make_error(self, reason):
        """ERROR with a reason (0..255 octets), in place of WELCOME or READY."""
        reason = _octets(reason)
        if len(reason) > 255:
            raise ValueError("an ERROR reason is at most 255 octets")
        self.state = "failed"
        return encode_command({"name": "ERROR", "reason": reason.hex()}, MECHANISM)

