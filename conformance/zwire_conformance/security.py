"""What the security cases share (cases/plain.py, curve.py, zap.py, security_cves.py): the
implementation's socket secured through the adapter's security options (ADAPTER.md,
"Security"), the suite's raw peer secured by a SecureLink (secure_link.py) driving the
suite's own handshake state objects (zwire_codec.curvezmq, plain_handshake), the robustness
probe of a secured socket, and the judgements of what the implementation's boxes hold.

Roles.  A security case runs in the two mechanism roles of the implementation: `binds` is
the implementation as the **server** (it binds, with `asServer`; the suite connects as the
client), `connects` is the implementation as the **client** (it connects to the suite's
listener, which plays the server).  @secure_case registers each role with what it needs of
the adapter (the mechanism in that role, and a ZAP policy where the case sets one), so an
adapter that does not declare them gets UNSUPPORTED, never a verdict.

Keys.  Every case draws its own keys (Keys): the server's permanent pair, the client's, and
a stranger's (a key no policy knows).  The implementation gets them as Z85 text (DECISIONS
S9); the policy of a server under test accepts the client's key and the PLAIN user
`admin` / `secret` unless the case says otherwise.

Probe.  After hostile input the runner calls the case's probe (CaseRun.probe): a fresh
secured connection to the case's bound PULL (or to a new PULL server socket with the same
security) completes its handshake and its message is delivered: `ok`, else `stopped serving
others` / `died` / `hung`, as for NULL (runner.probe_robustness).
"""

import subprocess

from zwire_codec import curvezmq
from zwire_codec.handshake import HandshakeError, zmtp_metadata
from zwire_codec.plain_handshake import PlainClient, PlainServer
from zwire_codec.z85 import z85_encode

from . import verdict as V
from . import wire
from .adapter import AdapterError, Unsupported
from .case import HarnessError, NotExercised, case
from .secure_link import LinkError, SecureLink

USER, PASSWORD = "admin", "secret"
SECONDS = 2.0
ROLE_OF = {"binds": "server", "connects": "client"}


def z85(key):
    text = z85_encode(bytes(key))
    return text.decode("ascii") if isinstance(text, bytes) else text


class Keys:
    """The permanent key pairs of one case: server, client, stranger ((public, secret))."""

    def __init__(self):
        self.server = curvezmq.keypair()
        self.client = curvezmq.keypair()
        self.stranger = curvezmq.keypair()


def secure_case(slug, area, title, clauses, mechanism, roles=("binds", "connects"),
                zap=False, inputs=()):
    """@case for a security case: one case per role, each needing `mechanism` in the role
    it gives the implementation (binds: server, connects: client) and, with `zap`, the
    adapter's ZAP policy."""
    def register(fn):
        for role in roles:
            needs = {"security": [(mechanism, ROLE_OF[role])]}
            if zap and role == "binds":
                needs["zapPolicy"] = True
            case(slug, area, title, clauses, roles=(role,), needs=needs, inputs=inputs)(fn)
        return fn
    return register


class Setup:
    """One case's security: the mechanism, the keys and the ZAP policy of a server under
    test (None: no "zap" option; "none": no handler)."""

    def __init__(self, mechanism, keys=None, policy=True):
        self.mechanism = mechanism
        self.keys = keys or Keys()
        if policy is True:
            policy = ({"curveKeys": [z85(self.keys.client[0])]} if mechanism == "CURVE"
                      else {"plainUsers": {USER: PASSWORD}} if mechanism == "PLAIN" else None)
        self.policy = policy

    def server_options(self):
        """The adapter options of a server under test."""
        options = {"mechanism": self.mechanism, "asServer": True}
        if self.mechanism == "CURVE":
            options["curveSecretKey"] = z85(self.keys.server[1])
        if self.policy is not None:
            options["zap"] = self.policy
        return options

    def client_options(self, username=USER, password=PASSWORD):
        """The adapter options of a client under test: the server's key and its own pair
        (CURVE), or the credentials (PLAIN)."""
        options = {"mechanism": self.mechanism}
        if self.mechanism == "CURVE":
            options["curveServerKey"] = z85(self.keys.server[0])
            options["curveSecretKey"] = z85(self.keys.client[1])
        else:
            options["plainUsername"], options["plainPassword"] = username, password
        return options

    # --- the suite's state objects ----------------------------------------------------

    def client_state(self, peer_type, key=None, username=USER, password=PASSWORD,
                     server_key=None, **curve):
        """The suite as the client: a CurveClient with the client's pair (or `key`, a
        (public, secret) pair) and the server's key (or `server_key`), or a PlainClient."""
        metadata = curve.pop("metadata", zmtp_metadata(peer_type))
        if self.mechanism == "CURVE":
            public, secret = key or self.keys.client
            return curvezmq.CurveClient(server_key or self.keys.server[0], public, secret,
                                        metadata=metadata, **curve)
        return PlainClient(username, password, metadata=metadata)

    def server_state(self, peer_type, secret=None, **curve):
        """The suite as the server: a CurveServer with the server's pair, or a PlainServer."""
        metadata = curve.pop("metadata", zmtp_metadata(peer_type))
        if self.mechanism == "CURVE":
            return curvezmq.CurveServer(secret or self.keys.server[1], metadata=metadata,
                                        **curve)
        return PlainServer(metadata=metadata)


def setup(t, mechanism, keys=None, policy=True):
    """The case's Setup, kept on t for its links and its probe."""
    t.security = Setup(mechanism, keys, policy)
    t.probe = probe
    return t.security


def options_of(t, **extra):
    """The implementation's socket options in the case's role."""
    s = t.security
    base = s.server_options() if t.role == "binds" else s.client_options()
    base.update(extra)
    return base


def link(t, socket_type, peer_type, state=None, label=None, link_options=None, **options):
    """The implementation's socket of socket_type, secured in the case's role (binds: the
    server, connects: the client), and one raw connection to it wrapped in a SecureLink
    whose state object is `state` (default: the suite's side of the case's Setup), not yet
    greeted.  Returns (handle, link)."""
    s = t.security
    if state is None:
        state = s.client_state(peer_type) if t.role == "binds" else s.server_state(peer_type)
    handle, conn = t.link(socket_type, label=label, **options_of(t, **options))
    return handle, SecureLink(conn, state, seconds=SECONDS, close_on_error=False,
                              **(link_options or {}))


def another_link(t, handle, peer_type, state=None, label=None, link_options=None):
    """A second raw connection to the case's bound socket (role binds), secured as the
    suite's client; or the implementation's next connection to the suite's listener (role
    connects), secured as the suite's server.  None if none came."""
    s = t.security
    if t.role == "binds":
        conn = t.another_connection(handle, t.bound[1])
        if label:
            conn.label = label
        state = state or s.client_state(peer_type)
    else:
        conn = t.listeners[0].accept(2.0)
        if conn is None:
            return None
        t.connections.append(conn)
        state = state or s.server_state(peer_type)
    return SecureLink(conn, state, seconds=SECONDS, close_on_error=False,
                      **(link_options or {}))


def attempt(fn, *args):
    """Runs one step of a link; returns the HandshakeError or LinkError it raised, or None."""
    try:
        fn(*args)
    except (HandshakeError, LinkError) as e:
        return e
    return None


def why(error, sl):
    """A step's failure in words, with what the implementation did on the connection."""
    story = sl.conn.describe()
    if error is None or story in str(error):
        return str(error) if error is not None else story
    return "%s (%s)" % (error, story)


def handshaken(t, sl):
    """The whole handshake, as the precondition of what follows: NOT-EXERCISED with what
    happened when it does not complete."""
    error = attempt(sl.handshake)
    t.require(error is None, "no %s handshake: %s" % (sl.mech.mechanism, why(error, sl)))
    note_roles(t, sl)
    return sl


def note_roles(t, sl):
    """DECISIONS S6: a server that greets with as-server 0 (libzmq 4.3.4 does, in every
    role) is noted, never judged."""
    if sl.role_clash and t.role == "binds":
        t.note("the implementation, the server, greeted with as-server %d (24/ZMTP-PLAIN and "
               "25/ZMTP-CURVE say the field identifies the server, without a keyword: "
               "DECISIONS S6)" % sl.peer_greeting["asServer"])


def control(t, socket_type, peer_type, **options):
    """A refusal case's control: a socket like the case's, secured alike, on a connection
    of its own, completes the handshake (t.control)."""
    handle, sl = link(t, socket_type, peer_type, label="control", **options)
    error = attempt(sl.handshake)
    t.control(error is None, "a well-formed %s handshake as %s completes"
              % (sl.mech.mechanism, peer_type), happened=why(error, sl) if error else None)
    return handle, sl


def refused(sl, seconds=1.0):
    """Waits for the implementation to close (up to `seconds`); True if it closed."""
    return sl.conn.wait_closed(seconds)


def delivered_all(t, handle, count, seconds=SECONDS):
    """The messages the implementation's application gets, up to count."""
    got = []
    while len(got) < count:
        message = t.recv(handle, seconds)
        if message is None:
            break
        got.append(message)
    return got


def nothing_delivered(t, handle, seconds=0.5):
    """What the application gets within `seconds` (None: nothing)."""
    return t.recv(handle, seconds)


def flip(body, offset):
    """The body with the octet at offset (negative: from the end) XORed with 0x01."""
    body = bytearray(body)
    body[offset] ^= 0x01
    return bytes(body)


# --- the probe ------------------------------------------------------------------------------

def probe(run):
    """After hostile input: a fresh connection, secured as the case's client, to the case's
    bound PULL, or to a new PULL server socket with the case's security, completes its
    handshake and its message is delivered.  Returns (ROBUST_*, detail)."""
    if run.adapter.proc.poll() is not None:
        return V.ROBUST_DIED, "its adapter exited with status %d" % run.adapter.proc.returncode
    if not any(c.inbound.data for c in run.connections):
        return None, "not measured: it sent nothing in this case, so there is no service " \
                     "to have lost"
    s = run.security
    caps = run.adapter.capabilities
    if "server" not in (caps.get("mechanismRoles") or {}).get(s.mechanism, []):
        return None, "no probe: the adapter does not declare the %s server role" % s.mechanism
    try:
        if run.bound and run.bound[2] == "PULL" and run.role == "binds":
            handle, endpoint = run.bound[0], run.bound[1]
            where = "a new connection to the same PULL socket"
        else:
            options = s.server_options()
            if s.policy is not None:
                options["zap"] = s.policy
            handle = run.socket("PULL", **options)
            endpoint = run.bind(handle)
            where = "a new %s PULL server socket" % s.mechanism
        failed = _probe_serves(run, handle, endpoint)
        if failed is None:
            return V.ROBUST_OK, "%s completed a %s handshake and delivered a message" % (
                where, s.mechanism)
        if _exited(run.adapter):
            return V.ROBUST_DIED, "its adapter exited with status %d (%s: %s)" % (
                run.adapter.proc.returncode, where, failed)
        return V.ROBUST_STOPPED, "%s: %s" % (where, failed)
    except (Unsupported, HarnessError, NotExercised) as e:
        return None, "no probe: %s" % e
    except (AdapterError, OSError) as e:
        if run.adapter.proc.poll() is not None:
            return V.ROBUST_DIED, "its adapter exited (%s)" % e
        return V.ROBUST_HUNG, str(e)


def _probe_serves(run, handle, endpoint):
    try:
        conn = wire.connect(endpoint, run.clock, run.transcript, "probe")
    except OSError as e:
        return "it refused the connection: %s" % wire.os_error(e)
    run.connections.append(conn)
    sl = SecureLink(conn, run.security.client_state("PUSH"), seconds=SECONDS)
    error = attempt(sl.handshake)
    if error is not None:
        return "no handshake: %s" % why(error, sl)
    sl.send_message([b"robustness-probe"])
    for _ in range(8):
        got = run.recv(handle, 2.0)
        if got is None:
            return "the handshake completed, but no message was delivered within 2 s"
        if got[-1] == b"robustness-probe":
            return None
    return "the handshake completed, but our message was not among 8 delivered"


def _exited(adapter, seconds=0.5):
    try:
        adapter.proc.wait(timeout=seconds * adapter.clock.multiplier)
    except subprocess.TimeoutExpired:
        return False
    return True


# --- what the implementation did after our input ------------------------------------------

def commands_since(conn, mark):
    """The names of the commands the implementation sent after the mark (in command
    frames: a CURVE MESSAGE in a data frame is not among them)."""
    return [f.command.get("name") for f in conn.inbound.frames_since(mark.inbound)
            if f.flags & 0x04 and f.command]


def refusal(t, sl, mark, what, forbidden, clause=None, input_class=None, seconds=1.0):
    """After hostile input: did the implementation refuse it, closing the connection
    (within `seconds`) without sending `forbidden` (the command that would take it: WELCOME
    after a HELLO, READY after an INITIATE)?  Judged by `clause`, or, for an input class,
    as spec/leniency.md's row says (t.answer).  An ERROR before the close is the server's
    choice (curve.server.error-optional) and shows in what happened.  Returns whether it
    refused."""
    sl.conn.wait_closed(seconds)
    met = sl.conn.closed_since(mark) and forbidden not in commands_since(sl.conn, mark)
    happened = sl.conn.answer_since(mark)
    if input_class:
        t.answer(input_class, what, met=met, happened=happened)
    else:
        t.expect(clause, met, what, happened=happened)
    return met


def greeted(t, sl):
    """Our greeting and the implementation's (SecureLink.greet), as a precondition."""
    error = attempt(sl.greet)
    t.require(error is None, "no greeting: %s" % why(error, sl))
    note_roles(t, sl)


def step(t, sl, body, note, expected):
    """Sends one handshake command of ours and reads the implementation's answer, which
    must be `expected` (a precondition: NOT-EXERCISED otherwise).  Returns what it opened."""
    sl.send_body(body, note)
    try:
        name, value = sl.read_command()
    except (HandshakeError, LinkError) as e:
        raise NotExercised("no %s after our %s: %s" % (expected, note, why(e, sl)))
    t.require(name == expected, "%s instead of %s after our %s: %s"
              % (name, expected, note, sl.conn.describe()))
    return value
