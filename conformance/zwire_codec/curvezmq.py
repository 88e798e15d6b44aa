"""CurveZMQ (26/CURVEZMQ, carried on ZMTP 3.x by 25/ZMTP-CURVE): the handshake and the
message boxes, on python3-nacl, for the conformance suite. It checks the C side's golden
vectors independently (written from the RFC and spec/curve.md, never from codec/ or
reference/) and lets the suite play a CURVE client or server (zwire_conformance.secure_link
drives it over a TCP connection). The only module of zwire_codec that needs more than the
standard library: import it by name (`from zwire_codec import curvezmq`).

Two I/O-free state objects, one per role and connection: CurveClient and CurveServer;
`exchange(client, server, messages)` runs a whole connection between two of them in
memory and lists every command body, for vectors.
Each `make_*` returns one whole command body (name, then data: what goes in a ZMTP command
frame); each `open_*` takes one and returns what it carries, or raises HandshakeError
(handshake.py) with the class, the clause it enforces and `kind`. Layouts are the codec's
(command_curve.py: curve.hello.size, curve.hello.version, curve.hello.padding, ...).

Boxes, exactly as 26/CURVEZMQ words them (C, S permanent keys; C', S' transient; lower
case the secret halves; nonces are the prefix then the field):
  HELLO     signature Box[64 zero octets](C'->S), "CurveZMQHELLO---" + short nonce
            (curve.hello.nonce-prefix, curve.hello.signature-box);
  WELCOME   Box[S' + cookie](S->C'), "WELCOME-" + 16-octet long nonce
            (curve.welcome.nonce-prefix); the cookie is a long nonce then
            SecretBox[C' + s'](cookie key), "COOKIE--" + that nonce (curve.cookie.nonce-prefix);
  INITIATE  the cookie, a short nonce, Box[C + vouch + metadata](C'->S'),
            "CurveZMQINITIATE" + short nonce (curve.initiate.nonce-prefix); the vouch is a
            long nonce then Box[C' + S](C->S'), "VOUCH---" + that nonce
            (curve.vouch.nonce-prefix);
  READY     a short nonce, Box[metadata](S'->C'), "CurveZMQREADY---" + short nonce
            (curve.ready.nonce-prefix);
  MESSAGE   a short nonce, Box[flags + data](sender' -> recipient'), "CurveZMQMESSAGEC"
            from the client, "CurveZMQMESSAGES" from the server (curve.message.nonce-prefix);
            flags bit 0 MORE, bit 1 a ZMTP command (DECISIONS S7), bits 2-7 zero
            (curve.message.flags-reserved);
  ERROR     in clear, as in 23/ZMTP (curve.error.size); a client never sends one
            (curve.client.no-error), so only the server makes it.

Short nonces: 8 octets, big-endian (libzmq's order; the RFC does not say), one counter per
direction over every command that has one: the client's HELLO, INITIATE and MESSAGEs, the
server's READY and MESSAGEs (curve.client.nonce-increment, curve.server.nonce-increment),
from `first_nonce` (1, as libzmq) up by one. A receiver takes a short nonce only if it is
above the last one it took from that peer, whatever the gap (curve.server.check-nonce,
curve.client.check-nonce): the nonce is judged before the box is opened, and taken only
once the box has opened, so a forged nonce cannot move the window. One at or below the
last is refused as `invalid-sequence`: under the reject-nonce-reuse clause if it was
received before, under the check-nonce clause if it never was. `received_nonces` lists
the nonces taken, for a case that judges the peer's steps.

Determinism (vectors): every random input may be passed in explicitly, and what is not
comes from `random(n)` (nacl.utils.random unless given), drawn in this order:
  CurveClient  at construction: the permanent secret key (only if none is given), the
               transient secret key c'; in make_initiate: the vouch's long nonce;
  CurveServer  in make_welcome: the transient secret key s', the cookie key, the cookie's
               long nonce, the WELCOME long nonce (each WELCOME draws all four afresh:
               curve.server.fresh-transient, curve.server.fresh-cookie).
Keys are 32 raw octets or 40 Z85 characters (DECISIONS S9). An explicit `nonce=` on a
make_* sends that short nonce without moving the counter (hostile input: a replay).

Errors on opening (class, clause, kind):
  - a layout the codec refuses: `malformed-command`, its clause and offset, MALFORMED;
  - a command out of turn: `unexpected-command`, curve.handshake.order, ORDER;
  - HELLO whose signature box does not open from C' to our S: `cryptographic`,
    curve.hello.signature-box, WRONG_SERVER_KEY; opened but not 64 zeros: CONTENT;
  - WELCOME whose box does not open from the expected S: `cryptographic`,
    curve.client.check-welcome, WRONG_SERVER_KEY (an altered box looks the same);
  - INITIATE: cookie not opening with our cookie key or holding another C' (COOKIE), box
    not opening (BOX), vouch not opening from C or not holding C' + S (VOUCH):
    `cryptographic`, curve.server.check-initiate; its metadata malformed:
    `invalid-metadata`, curve.metadata.name / curve.metadata.value-size;
  - READY box: `cryptographic`, curve.client.check-ready, BOX; metadata as above;
  - MESSAGE box: `cryptographic`, curve.message.check, BOX; a flags octet with any of
    bits 2-7 set: `malformed-command`, curve.message.flags-reserved, FLAGS;
  - a short nonce not above the last: `invalid-sequence`, as said above, NONCE.
After an error the object is `failed` and opens nothing more (sticky, first error wins).
"""

import nacl.bindings as sodium
import nacl.exceptions
import nacl.utils

from .command import encode_command
from .errors import MALFORMED_COMMAND
from .handshake import (BOX, CONTENT, COOKIE, CRYPTOGRAPHIC, FLAGS, INVALID_SEQUENCE,
                        NONCE, ORDER, UNEXPECTED_COMMAND, VOUCH, WRONG_SERVER_KEY,
                        HandshakeError, command_name, read_command, read_metadata,
                        write_metadata)
from .z85 import z85_decode

HELLO_PREFIX = b"CurveZMQHELLO---"
WELCOME_PREFIX = b"WELCOME-"
COOKIE_PREFIX = b"COOKIE--"
INITIATE_PREFIX = b"CurveZMQINITIATE"
VOUCH_PREFIX = b"VOUCH---"
READY_PREFIX = b"CurveZMQREADY---"
MESSAGE_PREFIX = {"client": b"CurveZMQMESSAGEC", "server": b"CurveZMQMESSAGES"}

MORE, COMMAND = 0x01, 0x02          # MESSAGE flags: bit 0, and bit 1 (DECISIONS S7)
RESERVED_FLAGS = 0xFC               # bits 2-7 (curve.message.flags-reserved)
NONCE_MAX = (1 << 64) - 1           # curve.client.nonce-limit, curve.server.nonce-limit
ORDER_CLAUSE = "curve.handshake.order"
MECHANISM = "CURVE"


def key_bytes(key):
    """A CURVE key as 32 octets, from 32 octets or 40 Z85 characters (str or bytes)."""
    if isinstance(key, str):
        key = key.encode("ascii")
    key = bytes(key)
    if len(key) == 40:
        key = z85_decode(key)
    if len(key) != 32:
        raise ValueError(f"a CURVE key is 32 octets or 40 Z85 characters, not {len(key)}")
    return key


def public_of(secret):
    """The public key of a secret key (X25519 base-point multiplication)."""
    return sodium.crypto_scalarmult_base(key_bytes(secret))


def keypair(secret=None, random=None):
    """(public, secret), 32 octets each: from the secret given, or a fresh one."""
    secret = key_bytes(secret) if secret is not None else (random or nacl.utils.random)(32)
    return public_of(secret), secret


def error_body(reason):
    """An ERROR command body (curve.error.size): reason of 0..255 octets, in clear."""
    reason = reason.encode("ascii") if isinstance(reason, str) else bytes(reason)
    return encode_command({"name": "ERROR", "reason": reason.hex()}, MECHANISM)


def _box(plain, nonce, public, secret):
    return sodium.crypto_box(plain, nonce, public, secret)


def _unbox(box, nonce, public, secret):
    """The opened box, or None if it does not open."""
    try:
        return sodium.crypto_box_open(box, nonce, public, secret)
    except nacl.exceptions.CryptoError:
        return None


def _fixed(value, size, what):
    value = bytes(value)
    if len(value) != size:
        raise ValueError(f"{what} is {size} octets, not {len(value)}")
    return value


def _curve_metadata_clause(codec_clause):
    """The curve.* clause of a metadata rule the codec cites as zmtp3x.metadata.*."""
    return "curve.metadata.value-size" if codec_clause.endswith("value-size") \
        else "curve.metadata.name"


class _CurvePeer:
    """What both roles share: the short-nonce counters, the message boxes, the state."""

    role = None         # "client" or "server"
    peer_role = None
    as_server = None    # the greeting's as-server octet
    mechanism = MECHANISM

    def __init__(self, metadata, first_nonce, random):
        self.metadata = bytes(metadata) if isinstance(metadata, (bytes, bytearray)) \
            else list(metadata)
        self.random = random or nacl.utils.random
        self.nonce = first_nonce            # the next short nonce we send
        self.peer_nonce = None              # the last short nonce taken from the peer
        self.received_nonces = []
        self._received = set()
        self.peer_metadata = None
        self.state = "start"
        self.error = None                   # the first HandshakeError raised
        self._shared = None                 # the transient keys' precomputed box key

    # --- states -------------------------------------------------------------------------

    @property
    def ready(self):
        """True once MESSAGE may be opened (the handshake is over)."""
        return self.state == "messages"

    def _expect(self, *states):
        if self.error is not None:
            raise self.error
        if self.state not in states:
            raise ValueError(f"the {self.role} is {self.state}, not {' or '.join(states)}")

    def _fail(self, cls, clause, kind, reason, offset=None):
        raise self._failed(HandshakeError(cls, clause, kind, reason, offset))

    def _failed(self, error):
        """Records the first error (sticky) and returns it to raise."""
        if self.error is None:
            self.error = error
            self.state = "failed"
        return error

    def _read(self, body, *names):
        """The command object of `body`, which must be one of `names` and well formed."""
        if self.error is not None:
            raise self.error
        try:
            return read_command(body, MECHANISM, names, ORDER_CLAUSE)
        except HandshakeError as error:
            raise self._failed(error) from None

    # --- short nonces -------------------------------------------------------------------

    def _next_nonce(self, nonce):
        """The 8 octets of the short nonce to send: `nonce` if given (the counter stays),
        else the counter's, which then moves on."""
        if nonce is None:
            nonce = self.nonce
            if nonce > NONCE_MAX:
                raise ValueError("2^64-1 commands sent: no short nonce left")
            self.nonce += 1
        return int(nonce).to_bytes(8, "big")

    def _judge_nonce(self, short):
        """Sub-step before a box is opened: the peer's short nonce must be above the last."""
        value = int.from_bytes(short, "big")
        if self.peer_nonce is not None and value <= self.peer_nonce:
            reused = value in self._received
            clause = f"curve.{self.role}.{'reject-nonce-reuse' if reused else 'check-nonce'}"
            what = "used before" if reused else "below the last"
            self._fail(INVALID_SEQUENCE, clause, NONCE,
                       f"short nonce {value} is not above the last one taken, "
                       f"{self.peer_nonce} ({what})")
        return value

    def _take_nonce(self, value):
        self.peer_nonce = value
        self.received_nonces.append(value)
        self._received.add(value)

    # --- MESSAGE ------------------------------------------------------------------------

    def _keys(self):
        """(peer transient public, own transient secret), or None before both exist."""
        raise NotImplementedError

    def make_message(self, data, more=False, command=False, flags=None, nonce=None):
        """A MESSAGE body boxing one frame: flags (MORE, bit 1 for a ZMTP command after
        the handshake, DECISIONS S7; `flags` sends that octet instead) and data."""
        keys = self._keys()
        if keys is None:
            raise ValueError(f"the {self.role} has no transient keys to box a MESSAGE with")
        if flags is None:
            flags = (MORE if more else 0) | (COMMAND if command else 0)
        short = self._next_nonce(nonce)
        prefix = MESSAGE_PREFIX[self.role]
        box = self._box_shared(bytes([flags]) + bytes(data), prefix + short, keys)
        return b"\x07MESSAGE" + short + box

    def open_message(self, body):
        """A MESSAGE body from the peer: (flags, data). Bits 2-7 of flags are refused;
        bit 0 is MORE, bit 1 a ZMTP command (DECISIONS S7)."""
        cmd = self._read(body, "MESSAGE")
        if self.state != "messages":
            self._fail(UNEXPECTED_COMMAND, ORDER_CLAUSE, ORDER,
                       f"MESSAGE while the {self.role} is {self.state}")
        short = bytes.fromhex(cmd["nonce"])
        value = self._judge_nonce(short)
        plain = self._unbox_shared(bytes.fromhex(cmd["box"]),
                                   MESSAGE_PREFIX[self.peer_role] + short)
        if plain is None:
            self._fail(CRYPTOGRAPHIC, "curve.message.check", BOX,
                       f"the MESSAGE box (short nonce {value}) does not open between the "
                       "transient keys")
        self._take_nonce(value)
        flags = plain[0]
        if flags & RESERVED_FLAGS:
            self._fail(MALFORMED_COMMAND, "curve.message.flags-reserved", FLAGS,
                       f"MESSAGE flags 0x{flags:02x}: bits 2-7 are reserved and must be zero")
        return flags, plain[1:]

    def _box_shared(self, plain, nonce, keys):
        if self._shared is None:
            self._shared = sodium.crypto_box_beforenm(*keys)
        return sodium.crypto_box_afternm(plain, nonce, self._shared)

    def _unbox_shared(self, box, nonce):
        if self._shared is None:
            self._shared = sodium.crypto_box_beforenm(*self._keys())
        try:
            return sodium.crypto_box_open_afternm(box, nonce, self._shared)
        except nacl.exceptions.CryptoError:
            return None

    def open_error(self, body):
        """An ERROR body: its reason (bytes). The handshake is over: the object `failed`."""
        cmd = self._read(body, "ERROR")
        reason = bytes.fromhex(cmd["reason"])
        self.state = "failed"
        return reason

    def open(self, body):
        """The next command from the peer, whatever the state: (name, what the open_*
        method of that name returns). A command this role never receives, or one out of
        turn, is refused as `unexpected-command`."""
        name = command_name(body)
        opener = self._openers().get(name)
        if opener is None:
            if (self.role, name) == ("server", "ERROR"):
                self._fail(UNEXPECTED_COMMAND, "curve.client.no-error", ORDER,
                           "ERROR from the client, which never sends one")
            self._read(body, *self._expected())     # raises: out of turn, or malformed
            self._fail(UNEXPECTED_COMMAND, ORDER_CLAUSE, ORDER, f"{name} out of turn")
        return name, opener(body)

    def _openers(self):
        raise NotImplementedError

    def _expected(self):
        """The names the peer may send next (for the reason of a refusal)."""
        raise NotImplementedError


class CurveClient(_CurvePeer):
    """The client of one CurveZMQ connection: HELLO, then INITIATE, then MESSAGEs.

    server_key        S, the server's permanent public key (curve.client.knows-server-key);
    public_key, secret_key  C and c, the client's permanent pair (fresh if not given; the
                      public half is derived from the secret when only that is given);
    metadata          [(name, value)] sent in INITIATE (ZMTP: Socket-Type, Identity), or
                      the octets of a property list (hostile input: sent as they are);
    transient_secret  c' (fresh if not given: curve.client.transient-per-connection);
    vouch_nonce       the vouch's 16-octet long nonce (fresh at each INITIATE if not given);
    first_nonce       the first short nonce (HELLO's), 1 by default;
    random            random(n) -> n octets, for all that is not given.
    After open_welcome: server_transient (S'), cookie and welcome_nonce (its 16-octet long
    nonce); after open_ready: peer_metadata.
    """

    role, peer_role, as_server = "client", "server", 0

    def __init__(self, server_key, public_key=None, secret_key=None, *, metadata=(),
                 transient_secret=None, vouch_nonce=None, first_nonce=1, random=None):
        super().__init__(metadata, first_nonce, random)
        self.server_key = key_bytes(server_key)
        if secret_key is None:
            if public_key is not None:
                raise ValueError("a public key without its secret key")
            secret_key = self.random(32)
        self.secret_key = key_bytes(secret_key)
        self.public_key = key_bytes(public_key) if public_key is not None \
            else public_of(self.secret_key)
        self.transient_public, self.transient_secret = keypair(
            transient_secret if transient_secret is not None else self.random(32))
        self.vouch_nonce = _fixed(vouch_nonce, 16, "vouch_nonce") \
            if vouch_nonce is not None else None
        self.server_transient = None
        self.cookie = None
        self.welcome_nonce = None

    def _keys(self):
        if self.server_transient is None:
            return None
        return self.server_transient, self.transient_secret

    def _openers(self):
        return {"WELCOME": self.open_welcome, "READY": self.open_ready,
                "MESSAGE": self.open_message, "ERROR": self.open_error}

    def _expected(self):
        return {"start": ("WELCOME", "ERROR"), "hello-sent": ("WELCOME", "ERROR"),
                "welcome": ("READY", "ERROR"), "initiate-sent": ("READY", "ERROR")
                }.get(self.state, ("MESSAGE",))

    def make_hello(self, nonce=None):
        """HELLO: version 1.0, 72 zero octets, C', short nonce, signature
        Box[64 zeros](C'->S) (curve.hello.signature-box)."""
        self._expect("start", "hello-sent")
        short = self._next_nonce(nonce)
        signature = _box(bytes(64), HELLO_PREFIX + short, self.server_key,
                         self.transient_secret)
        self.state = "hello-sent"
        return encode_command({"name": "HELLO", "versionMajor": 1, "versionMinor": 0,
                               "clientKey": self.transient_public.hex(),
                               "nonce": short.hex(), "signatureBox": signature.hex()},
                              MECHANISM)

    def open_welcome(self, body):
        """WELCOME: opens Box[S' + cookie](S->C') with the server key we know; keeps S'
        and the cookie. A box that does not open is WRONG_SERVER_KEY."""
        cmd = self._read(body, "WELCOME")
        if self.state != "hello-sent":
            self._fail(UNEXPECTED_COMMAND, ORDER_CLAUSE, ORDER,
                       f"WELCOME while the client is {self.state}")
        plain = _unbox(bytes.fromhex(cmd["box"]), WELCOME_PREFIX + bytes.fromhex(cmd["nonce"]),
                       self.server_key, self.transient_secret)
        if plain is None:
            self._fail(CRYPTOGRAPHIC, "curve.client.check-welcome", WRONG_SERVER_KEY,
                       "the WELCOME box does not open from the server key we expect to our "
                       "transient key: a wrong server key (or an altered box)")
        self.server_transient, self.cookie = plain[:32], plain[32:]
        self.welcome_nonce = bytes.fromhex(cmd["nonce"])
        self.state = "welcome"

    def make_vouch(self, vouch_nonce=None, server_key=None):
        """The vouch (96 octets): a long nonce and Box[C' + S](C->S'), "VOUCH---" + that
        nonce. `server_key` vouches for another S (hostile input: a relayed handshake)."""
        if self.server_transient is None:
            raise ValueError("no WELCOME opened yet: the vouch is boxed to S'")
        if vouch_nonce is None:
            vouch_nonce = self.vouch_nonce if self.vouch_nonce is not None \
                else self.random(16)
        vouch_nonce = _fixed(vouch_nonce, 16, "vouch_nonce")
        server_key = self.server_key if server_key is None else key_bytes(server_key)
        return vouch_nonce + _box(self.transient_public + server_key,
                                  VOUCH_PREFIX + vouch_nonce, self.server_transient,
                                  self.secret_key)

    def make_initiate(self, nonce=None, metadata=None, vouch=None):
        """INITIATE: the cookie, a short nonce, Box[C + vouch + metadata](C'->S').
        `vouch` sends those 96 octets instead of make_vouch()'s (hostile input)."""
        self._expect("welcome", "initiate-sent")
        vouch = self.make_vouch() if vouch is None else bytes(vouch)
        props = write_metadata(self.metadata if metadata is None else metadata)
        short = self._next_nonce(nonce)
        box = _box(self.public_key + vouch + props, INITIATE_PREFIX + short,
                   self.server_transient, self.transient_secret)
        self.state = "initiate-sent"
        return encode_command({"name": "INITIATE", "cookie": self.cookie.hex(),
                               "nonce": short.hex(), "box": box.hex()}, MECHANISM)

    def open_ready(self, body):
        """READY: opens Box[metadata](S'->C'); returns the server's metadata."""
        cmd = self._read(body, "READY")
        if self.state != "initiate-sent":
            self._fail(UNEXPECTED_COMMAND, ORDER_CLAUSE, ORDER,
                       f"READY while the client is {self.state}")
        short = bytes.fromhex(cmd["nonce"])
        value = self._judge_nonce(short)
        plain = _unbox(bytes.fromhex(cmd["box"]), READY_PREFIX + short,
                       self.server_transient, self.transient_secret)
        if plain is None:
            self._fail(CRYPTOGRAPHIC, "curve.client.check-ready", BOX,
                       "the READY box does not open from the server's transient key")
        self._take_nonce(value)
        try:
            self.peer_metadata = read_metadata(plain, _curve_metadata_clause)
        except HandshakeError as error:
            raise self._failed(error) from None
        self.state = "messages"
        return self.peer_metadata


class CurveServer(_CurvePeer):
    """The server of one CurveZMQ connection: WELCOME, then READY, then MESSAGEs.

    public_key, secret_key  S and s (the public half derived when not given);
    metadata          [(name, value)] sent in READY (or a property list's octets);
    transient_secret, cookie_key, cookie_nonce, welcome_nonce: s', the cookie key (32
                      octets) and the two 16-octet long nonces (fresh per WELCOME when not
                      given);
    first_nonce, random as for the client.
    After open_hello: client_transient (C'); after open_initiate: client_key (C, the
    permanent key to authenticate, curve.server.authenticate), vouch (its 96 octets: the
    long nonce, then the box) and peer_metadata.
    """

    role, peer_role, as_server = "server", "client", 1

    def __init__(self, secret_key, public_key=None, *, metadata=(), transient_secret=None,
                 cookie_key=None, cookie_nonce=None, welcome_nonce=None, first_nonce=1,
                 random=None):
        super().__init__(metadata, first_nonce, random)
        self.secret_key = key_bytes(secret_key)
        self.public_key = key_bytes(public_key) if public_key is not None \
            else public_of(self.secret_key)
        self._given = {"transient_secret": transient_secret, "cookie_key": cookie_key,
                       "cookie_nonce": cookie_nonce, "welcome_nonce": welcome_nonce}
        self.client_transient = None
        self.client_key = None
        self.vouch = None
        self.transient_public = self.transient_secret = None
        self.cookie_key = None
        self.cookie = None

    def _keys(self):
        if self.client_transient is None or self.transient_secret is None:
            return None
        return self.client_transient, self.transient_secret

    def _openers(self):
        return {"HELLO": self.open_hello, "INITIATE": self.open_initiate,
                "MESSAGE": self.open_message}

    def _expected(self):
        return {"start": ("HELLO",), "hello": ("INITIATE",), "welcome-sent": ("INITIATE",)
                }.get(self.state, ("MESSAGE",))

    def open_hello(self, body):
        """HELLO: the codec checks size, version and zero padding; the signature box must
        open from C' to S and hold 64 zeros. Keeps C'."""
        cmd = self._read(body, "HELLO")
        if self.state != "start":
            self._fail(UNEXPECTED_COMMAND, ORDER_CLAUSE, ORDER,
                       f"HELLO while the server is {self.state}")
        short = bytes.fromhex(cmd["nonce"])
        value = self._judge_nonce(short)
        client_transient = bytes.fromhex(cmd["clientKey"])
        plain = _unbox(bytes.fromhex(cmd["signatureBox"]), HELLO_PREFIX + short,
                       client_transient, self.secret_key)
        if plain is None:
            self._fail(CRYPTOGRAPHIC, "curve.hello.signature-box", WRONG_SERVER_KEY,
                       "the HELLO signature box does not open from the client's transient "
                       "key to our permanent key: the client has a wrong server key (or the "
                       "box was altered)")
        if plain != bytes(64):
            self._fail(CRYPTOGRAPHIC, "curve.hello.signature-box", CONTENT,
                       "the HELLO signature box opens but does not hold 64 zero octets")
        self._take_nonce(value)
        self.client_transient = client_transient
        self.state = "hello"

    def _fresh(self, name, size):
        given = self._given[name]
        return _fixed(given, size, name) if given is not None else self.random(size)

    def make_welcome(self):
        """WELCOME: a fresh transient pair and cookie (curve.server.fresh-transient,
        curve.server.fresh-cookie), Box[S' + cookie](S->C')."""
        self._expect("hello")
        self.transient_public, self.transient_secret = keypair(
            self._fresh("transient_secret", 32))
        self.cookie_key = self._fresh("cookie_key", 32)
        cookie_nonce = self._fresh("cookie_nonce", 16)
        self.cookie = cookie_nonce + sodium.crypto_secretbox(
            self.client_transient + self.transient_secret, COOKIE_PREFIX + cookie_nonce,
            self.cookie_key)
        welcome_nonce = self._fresh("welcome_nonce", 16)
        box = _box(self.transient_public + self.cookie, WELCOME_PREFIX + welcome_nonce,
                   self.client_transient, self.secret_key)
        self.state = "welcome-sent"
        return encode_command({"name": "WELCOME", "nonce": welcome_nonce.hex(),
                               "box": box.hex()}, MECHANISM)

    def open_initiate(self, body):
        """INITIATE: the cookie (our cookie key; C' as in HELLO), the short nonce, the
        box from C' to S' (s' taken from the cookie), the vouch from C holding C' + S,
        the metadata. Keeps C (client_key); returns the client's metadata."""
        cmd = self._read(body, "INITIATE")
        if self.state != "welcome-sent":
            self._fail(UNEXPECTED_COMMAND, ORDER_CLAUSE, ORDER,
                       f"INITIATE while the server is {self.state}")
        check = "curve.server.check-initiate"
        cookie = bytes.fromhex(cmd["cookie"])
        kept = None
        try:
            kept = sodium.crypto_secretbox_open(cookie[16:], COOKIE_PREFIX + cookie[:16],
                                                self.cookie_key)
        except nacl.exceptions.CryptoError:
            pass
        if kept is None:
            self._fail(CRYPTOGRAPHIC, check, COOKIE, "the cookie does not open with our "
                       "cookie key")
        if kept[:32] != self.client_transient:
            self._fail(CRYPTOGRAPHIC, check, COOKIE, "the cookie holds another client "
                       "transient key than HELLO's")
        server_transient_secret = kept[32:]
        short = bytes.fromhex(cmd["nonce"])
        value = self._judge_nonce(short)
        plain = _unbox(bytes.fromhex(cmd["box"]), INITIATE_PREFIX + short,
                       self.client_transient, server_transient_secret)
        if plain is None:
            self._fail(CRYPTOGRAPHIC, check, BOX, "the INITIATE box does not open from the "
                       "client's transient key to ours")
        client_key, vouch, props = plain[:32], plain[32:128], plain[128:]
        vouched = _unbox(vouch[16:], VOUCH_PREFIX + vouch[:16], client_key,
                         server_transient_secret)
        if vouched is None:
            self._fail(CRYPTOGRAPHIC, check, VOUCH, "the vouch does not open from the "
                       "client's permanent key to our transient key")
        if vouched != self.client_transient + self.public_key:
            self._fail(CRYPTOGRAPHIC, check, VOUCH, "the vouch does not hold the client's "
                       "transient key and our permanent key")
        self._take_nonce(value)
        try:
            self.peer_metadata = read_metadata(props, _curve_metadata_clause)
        except HandshakeError as error:
            raise self._failed(error) from None
        self.client_key = client_key
        self.vouch = vouch
        self.transient_secret = server_transient_secret
        self.cookie_key = None      # curve.server.cookie-key-expiry: used, forgotten
        self.state = "initiate"
        return self.peer_metadata

    def make_ready(self, nonce=None, metadata=None):
        """READY: a short nonce, Box[metadata](S'->C'). MESSAGEs may follow at once
        (curve.server.early-message)."""
        self._expect("initiate")
        short = self._next_nonce(nonce)
        props = write_metadata(self.metadata if metadata is None else metadata)
        box = _box(props, READY_PREFIX + short, self.client_transient, self.transient_secret)
        self.state = "messages"
        return encode_command({"name": "READY", "nonce": short.hex(), "box": box.hex()},
                              MECHANISM)

    def make_error(self, reason):
        """ERROR with a reason (curve.server.reject-with-error); the handshake is over."""
        body = error_body(reason)
        self.state = "failed"
        return body


def exchange(client, server, messages=()):
    """A whole connection in memory, for vectors: HELLO, WELCOME, INITIATE, READY, then
    each message of `messages` ((sender role, data, flags) triples), every command made by
    one side and opened by the other. Returns [(sender role, command body)] in order;
    raises HandshakeError if either side refuses the other's command."""
    sides = {"client": (client, server), "server": (server, client)}
    steps = [("client", client.make_hello, server.open_hello),
             ("server", server.make_welcome, client.open_welcome),
             ("client", client.make_initiate, server.open_initiate),
             ("server", server.make_ready, client.open_ready)]
    out = []
    for role, make, open_ in steps:
        body = make()
        open_(body)
        out.append((role, body))
    for role, data, flags in messages:
        sender, receiver = sides[role]
        body = sender.make_message(data, flags=flags)
        if receiver.open_message(body) != (flags, bytes(data)):
            raise AssertionError("a MESSAGE did not open to what was boxed")
        out.append((role, body))
    return out
