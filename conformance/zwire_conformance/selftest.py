"""The adapter self-test: the contract of ADAPTER.md checked op by op against a running
adapter, before any case is run against it.

`python3 -m zwire_conformance --self-test --adapter CMD` (or --implementation NAME) runs
every check and prints one line each: PASS, FAIL with what to fix (a hint for the
adapter's author), or SKIP when the adapter does not declare what the check needs (a
socket type, a role, a ZMTP version the suite's raw peer speaks).  It exits 0 only if no
check FAILs.

A cheap subset (the checks CHECKS marks for the pre-flight, some of them shorter) runs
before every suite run: an adapter that would turn
every case into an ADAPTER-ERROR (no hello, an illegal capability, an unknown op that is
not answered "unsupported" with exit 127, an open or a bind that does not work, a recv
that overstays its timeout, a quit that does not end it) stops the run with one message
naming the broken check, instead of a pile of case errors.  The pre-flight judges the
adapter only, never the implementation's conformance: an implementation that closes every
connection passes it, and its cases say what it did.
"""

import json
import socket
import subprocess
import time

from . import wire
from .adapter import (AUTH_IDENTITY, CAPABILITY_VALUES, CONTRACT_VERSION, MECHANISM_ROLES,
                      Adapter, AdapterError, Unsupported, check_unsupported_answer)
from .case import Transcript
from .steps import handshake, handshake_v2

PASS, FAIL, SKIP = "PASS", "FAIL", "SKIP"

# A socket type that receives, and the raw peer the suite plays to it; and the reverse.
RECEIVERS = (("PULL", "PUSH"), ("PAIR", "PAIR"), ("DEALER", "DEALER"))
SENDERS = (("PUSH", "PULL"), ("PAIR", "PAIR"), ("DEALER", "DEALER"))
# A value each option takes (ADAPTER.md, "Options of open").
OPTION_SAMPLES = {"identity": "73656c66", "subscribe": ["6e657773"], "heartbeatIvl": 1000,
                  "heartbeatTimeout": 3000, "heartbeatTtl": 3000, "handshakeIvl": 3000,
                  "maxMsgSize": 65536, "reconnectIvl": 100, "zmtpMinor": 0}
FRAMES = [b"self-test", b"", b"\x00\xff"]       # an empty frame, octets that are not text
TIMEOUT_MS = 200
SLACK = 1.5                                     # seconds an answer may come after a timeout


class Failed(Exception):
    """A check failed: what happened, and what the adapter's author should do."""

    def __init__(self, detail, hint):
        super().__init__(detail)
        self.detail, self.hint = detail, hint


class Skipped(Exception):
    """The check needs what the adapter does not declare."""


class SelfTest:
    """The checks' shared state: the command, the hello, the adapter in use."""

    def __init__(self, command, clock, quick=False):
        self.command, self.clock, self.quick = command, clock, quick
        self.adapter = None
        self.hello = None

    # --- the adapter -------------------------------------------------------------------

    def live(self):
        """The running adapter: a fresh one if the last has exited (a failed check may
        have ended it), so that each check says something of its own."""
        if self.adapter is None or self.adapter.proc.poll() is not None:
            self.stop()
            self.adapter = Adapter(self.command, self.clock)
        return self.adapter

    def stop(self):
        if self.adapter is not None:
            self.adapter.close()
            self.adapter = None

    def declared(self, name):
        value = ((self.hello or {}).get("capabilities") or {}).get(name)
        return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []

    def pick(self, pairs, both=False):
        """The first (implementation type, peer type) whose type (both types, if both) the
        adapter declares."""
        types = self.declared("socketTypes")
        for ours, peer in pairs:
            if ours in types and (peer in types or not both):
                return ours, peer
        raise Skipped("the adapter declares none of %s" % ", ".join(
            "%s with %s" % p if both else p[0] for p in pairs))

    def any_type(self):
        """A socket type to open when any will do (one that sends or receives first)."""
        types = self.declared("socketTypes")
        for ours, _ in RECEIVERS + SENDERS:
            if ours in types:
                return ours
        if not types:
            raise Skipped("the adapter declares no socket type")
        return types[0]

    def needs(self, role=None, raw_peer=False):
        if role and role not in self.declared("roles"):
            raise Skipped("the adapter does not declare the %s role" % role)
        if raw_peer and not set(self.declared("zmtp")) & {"2.0", "3.0", "3.1"}:
            raise Skipped("the suite's raw peer speaks ZMTP 3.x or 2.0, neither of which the "
                          "adapter declares")

    def greet(self, conn, peer):
        """The raw peer's handshake as peer: 3.x NULL (until the implementation's READY)
        if the adapter declares 3.x, else 2.0 (until its greeting)."""
        if set(self.declared("zmtp")) & {"3.0", "3.1"}:
            return handshake(conn, peer)
        return handshake_v2(conn, peer, 3.0)

    # --- requests ----------------------------------------------------------------------

    def request(self, op, hint, seconds=5.0, **fields):
        """The reply to one request; an "unsupported" answer to an op of the contract fails."""
        try:
            return self.live().request(op, seconds, **fields)
        except Unsupported:
            raise Failed("it answered \"unsupported\" to %s %s" % (op, brief(fields)),
                         "answer \"unsupported\" (and exit 127) only for an op, option, socket "
                         "type or transport your hello does not declare; " + hint)

    def ok(self, op, hint, seconds=5.0, **fields):
        reply = self.request(op, hint, seconds, **fields)
        if reply.get("ok") is not True:
            raise Failed("%s %s was refused: %r" % (op, brief(fields), reply.get("error")), hint)
        return reply

    def open(self, socket_type, **options):
        reply = self.ok("open", "open a socket of any declared type and answer "
                        "{\"ok\": true, \"socket\": \"<handle>\"}",
                        type=socket_type, options=options)
        handle = reply.get("socket")
        if not isinstance(handle, str) or not handle:
            raise Failed("open %s answered socket %r" % (socket_type, handle),
                         "the handle is a non-empty string, any you like (\"s1\")")
        return handle

    def bind(self, handle):
        reply = self.ok("bind", "bind tcp://127.0.0.1:0 to any free port",
                        socket=handle, endpoint="tcp://127.0.0.1:0")
        endpoint = reply.get("endpoint")
        port = port_of(endpoint)
        if not (isinstance(endpoint, str) and endpoint.startswith("tcp://")
                and port and 0 < port < 65536):
            raise Failed("bind tcp://127.0.0.1:0 answered endpoint %r" % (endpoint,),
                         "answer the endpoint really bound, port included: "
                         "\"tcp://127.0.0.1:41234\" (libzmq: ZMQ_LAST_ENDPOINT)")
        return endpoint

    def connect(self, handle, endpoint):
        self.ok("connect", "connect to a tcp:// endpoint at once, whether or not anyone "
                "listens there yet", socket=handle, endpoint=endpoint)


def brief(fields):
    text = json.dumps(fields)
    return text if len(text) < 80 else text[:77] + "..."


def port_of(endpoint):
    try:
        return int(str(endpoint).rsplit(":", 1)[1])
    except (IndexError, ValueError):
        return None


def host_of(endpoint):
    return endpoint[len("tcp://"):].rsplit(":", 1)[0].strip("[]")


def hexes(frames):
    return [f.hex() for f in frames]


# --- the checks, in order: each returns what it saw, or raises Failed / Skipped ------------

def check_hello(t):
    try:
        hello = t.live().hello
    except AdapterError as e:
        raise Failed(str(e), "write {\"zwireAdapter\": %d, \"implementation\": {...}, "
                     "\"capabilities\": {...}} first, unasked, on one line, and flush it"
                     % CONTRACT_VERSION)
    t.hello = hello
    impl = hello.get("implementation")
    if not isinstance(impl, dict) or not isinstance(impl.get("name"), str) or not impl["name"]:
        raise Failed("implementation is %.80r" % (impl,),
                     "\"implementation\": {\"name\": \"...\", \"version\": \"...\"}")
    if not isinstance(hello.get("capabilities"), dict):
        raise Failed("capabilities is %.80r" % (hello.get("capabilities"),),
                     "\"capabilities\" is an object (ADAPTER.md, Hello)")
    return ("zwireAdapter %d, %s %s" % (CONTRACT_VERSION, impl["name"],
                                        impl.get("version", ""))).rstrip()


def check_capabilities(t):
    caps = (t.hello or {}).get("capabilities") or {}
    problems = []
    for name, legal in CAPABILITY_VALUES.items():
        value = caps.get(name)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append("%s is %.40r, not a list of names" % (name, value))
            continue
        wrong = [v for v in value if v not in legal]
        if wrong:
            problems.append("%s has %s (legal: %s)" % (name, ", ".join(map(repr, wrong)),
                                                       ", ".join(legal)))
        elif not value and name in ("zmtp", "socketTypes", "roles", "transports"):
            problems.append("%s is empty" % name)
    if not isinstance(caps.get("heartbeat"), bool):
        problems.append("heartbeat is %.20r, not true or false" % (caps.get("heartbeat"),))
    problems += security_problems(caps)
    if "tcp" not in t.declared("transports"):
        problems.append("transports lacks \"tcp\", the only one the suite uses")
    if problems:
        raise Failed("; ".join(problems), "declare only the values ADAPTER.md lists, spelled "
                     "as it spells them, and only what works")
    return "ZMTP %s; %d socket types; roles %s; options %s" % (
        ", ".join(t.declared("zmtp")), len(t.declared("socketTypes")),
        ", ".join(t.declared("roles")), ", ".join(t.declared("options")) or "none")


def security_problems(caps):
    """What is wrong with the optional security capabilities (ADAPTER.md, "Security")."""
    problems = []
    roles = caps.get("mechanismRoles", {})
    if not isinstance(roles, dict):
        return ["mechanismRoles is %.40r, not an object" % (roles,)]
    for mechanism, values in roles.items():
        if mechanism not in ("PLAIN", "CURVE") or mechanism not in caps.get("mechanisms", []):
            problems.append("mechanismRoles names %r, which is not a declared PLAIN or CURVE"
                            % mechanism)
        elif not isinstance(values, list) or not set(values) <= set(MECHANISM_ROLES):
            problems.append("mechanismRoles[%s] is %.40r (legal: client, server)"
                            % (mechanism, values))
    if "zapPolicy" in caps and not isinstance(caps["zapPolicy"], bool):
        problems.append("zapPolicy is %.20r, not true or false" % (caps["zapPolicy"],))
    auth = caps.get("authIdentity", [])
    if not isinstance(auth, list) or not set(auth) <= set(AUTH_IDENTITY):
        problems.append("authIdentity is %.60r (legal: %s)" % (auth, ", ".join(AUTH_IDENTITY)))
    return problems


def check_unsupported(t):
    try:
        check_unsupported_answer(t.command, t.clock)
    except AdapterError as e:
        raise Failed(str(e), "answer an op you do not know with {\"id\": N, \"ok\": false, "
                     "\"error\": \"unsupported\"}, then exit with status 127")
    return "a made-up op got \"unsupported\", then exit status 127"


def check_bad_request(t):
    hint = ("answer a request you cannot carry out with {\"id\": <its id, or null>, "
            "\"ok\": false, \"error\": \"<why>\"}, and go on")
    try:
        reply = t.live().raw_request(b"this line is not JSON")
    except AdapterError as e:
        raise Failed("a line that is not JSON: %s" % e, hint)
    if not (isinstance(reply, dict) and "id" in reply and reply["id"] is None
            and reply.get("ok") is False and isinstance(reply.get("error"), str)):
        raise Failed("a line that is not JSON was answered %.100r" % (reply,), hint)
    reply = t.request("bind", hint, socket="no-such-socket", endpoint="tcp://127.0.0.1:0")
    if reply.get("ok") is not False or not isinstance(reply.get("error"), str):
        raise Failed("bind on a socket never opened was answered %.100r" % (reply,), hint)
    handle = t.open(t.any_type())
    reply = t.request("bind", hint, socket=handle)
    if reply.get("ok") is not False:
        raise Failed("bind without an endpoint was answered %.100r" % (reply,), hint)
    if t.adapter.proc.poll() is not None:
        raise Failed("the adapter exited (status %d)" % t.adapter.proc.returncode, hint)
    return "not JSON, an unknown socket, a missing field: each refused, and it went on"


def check_open(t):
    types = t.declared("socketTypes")
    if t.quick:
        types = types[:1]
    for socket_type in types:
        t.open(socket_type)
    return "opened %s" % ", ".join(types)


def check_bind(t):
    t.needs(role="bind")
    socket_type = t.any_type()
    first = t.bind(t.open(socket_type))
    try:
        socket.create_connection((host_of(first), port_of(first)),
                                 timeout=3.0 * t.clock.multiplier).close()
    except OSError as e:
        raise Failed("bind answered %s, but a TCP connection to it failed: %s" % (first, e),
                     "answer the endpoint really bound, and keep it bound")
    if t.quick:
        return "bind tcp://127.0.0.1:0 answered %s, which accepts connections" % first
    second = t.bind(t.open(socket_type))
    if second == first:
        raise Failed("two binds to tcp://127.0.0.1:0 both answered %s" % first,
                     "port 0 asks for any free port: bind each socket to a port of its own")
    return "tcp://127.0.0.1:0 answered %s and %s, which accept connections" % (first, second)


def check_connect(t):
    t.needs(role="connect")
    listener = wire.RawListener(t.clock, Transcript())
    try:
        t.connect(t.open(t.any_type()), listener.endpoint)
        if t.quick:
            return "connect %s answered ok" % listener.endpoint
        conn = listener.accept(3.0)
        if conn is None:
            raise Failed("connect answered ok, but no connection came within 3 s",
                         "connect for real, and keep serving while you wait for stdin")
        conn.close()
    finally:
        listener.close()
    return "connect answered ok and a connection came"


def check_serving(t):
    """The suite's raw peer handshakes with a bound socket while the adapter only waits for
    its next request, then sends a message that recv delivers."""
    t.needs(role="bind", raw_peer=True)
    ours, peer = t.pick(RECEIVERS)
    handle = t.open(ours)
    endpoint = t.bind(handle)
    conn = wire.connect(endpoint, t.clock, Transcript(), "self-test")
    try:
        if not t.greet(conn, peer):
            raise Failed("no handshake as %s while the adapter waited for its next request: "
                         "%s" % (peer, conn.describe()),
                         "keep serving every connection (handshakes, heartbeats) while you wait "
                         "for stdin: poll your library and stdin together")
        conn.send(wire.message(*FRAMES), "a message")
        reply = t.ok("recv", "answer recv with {\"ok\": true, \"frames\": [hex, ...]}",
                     seconds=3.0, socket=handle, timeout=int(3000 * t.clock.multiplier))
    finally:
        conn.close()
    if reply.get("frames") != hexes(FRAMES):
        raise Failed("we sent %s, recv gave %.120r" % (hexes(FRAMES), reply.get("frames")),
                     "each frame is a lower-case hex string, an empty frame \"\", all the "
                     "message's frames in order")
    return "a %s bound, handshaken as %s while idle, delivered %s" % (
        ours, peer, json.dumps(hexes(FRAMES)))


def check_send(t):
    """A connecting socket's message reaches the suite's raw peer."""
    t.needs(role="connect", raw_peer=True)
    ours, peer = t.pick(SENDERS)
    listener = wire.RawListener(t.clock, Transcript())
    try:
        handle = t.open(ours)
        t.connect(handle, listener.endpoint)
        conn = listener.accept(3.0)
        if conn is None:
            raise Failed("no connection came within 3 s",
                         "connect for real, and keep serving while you wait for stdin")
        try:
            if not t.greet(conn, peer):
                raise Failed("no handshake as %s: %s" % (peer, conn.describe()),
                             "keep serving every connection while you wait for stdin")
            t.ok("send", "answer send with {\"ok\": true} once the message is taken",
                 seconds=3.0, socket=handle, frames=hexes(FRAMES),
                 timeout=int(3000 * t.clock.multiplier))
            conn.wait_messages(1, 3.0)
            got = conn.inbound.messages()
        finally:
            conn.close()
    finally:
        listener.close()
    if got[:1] != [FRAMES]:
        raise Failed("send %s, the wire carried %.120r" % (hexes(FRAMES), got[:1]),
                     "decode each hex frame and send the frames as one message")
    return "a %s connected and sent %s to the suite's %s" % (
        ours, json.dumps(hexes(FRAMES)), peer)


def check_roundtrip(t):
    """Two of the implementation's own sockets, any ZMTP version."""
    t.needs(role="bind")
    t.needs(role="connect")
    receiver, sender = t.pick(RECEIVERS, both=True)
    rx = t.open(receiver)
    tx = t.open(sender)
    t.connect(tx, t.bind(rx))
    wait = int(3000 * t.clock.multiplier)
    t.ok("send", "answer send with {\"ok\": true} once the message is taken", seconds=3.0,
         socket=tx, frames=hexes(FRAMES), timeout=wait)
    reply = t.ok("recv", "answer recv with {\"ok\": true, \"frames\": [hex, ...]}",
                 seconds=3.0, socket=rx, timeout=wait)
    if reply.get("frames") != hexes(FRAMES):
        raise Failed("sent %s, received %.120r" % (hexes(FRAMES), reply.get("frames")),
                     "frames are lower-case hex strings, an empty frame \"\", in order")
    return "%s -> %s: %s" % (sender, receiver, json.dumps(hexes(FRAMES)))


def check_subscribe(t):
    types = [x for x in ("SUB", "XSUB") if x in t.declared("socketTypes")]
    if not types:
        raise Skipped("the adapter declares neither SUB nor XSUB")
    handle = t.open(types[0])
    hint = "subscribe and unsubscribe take a hex topic and answer {\"ok\": true}"
    t.ok("subscribe", hint, socket=handle, topic="6e657773")
    t.ok("unsubscribe", hint, socket=handle, topic="6e657773")
    return "subscribe and unsubscribe 6e657773 on a %s" % types[0]


def check_options(t):
    types = t.declared("socketTypes")
    options = [o for o in t.declared("options") if o in OPTION_SAMPLES]
    if not options:
        raise Skipped("the adapter declares no option")
    refused = []
    for option in options:
        socket_type = ([x for x in ("SUB", "XSUB") if x in types] if option == "subscribe"
                       else [x for x in ("DEALER",) if x in types] if option == "identity"
                       else []) or types[:1]
        try:
            t.open(socket_type[0], **{option: OPTION_SAMPLES[option]})
        except Failed as e:
            refused.append("%s (%s)" % (option, e.detail))
    if refused:
        raise Failed("refused: %s" % "; ".join(refused),
                     "take every option your hello lists, with the values ADAPTER.md gives "
                     "(or do not list it)")
    return ", ".join("%s=%s" % (o, json.dumps(OPTION_SAMPLES[o])) for o in options)


def secured(t):
    """[(mechanism, role)] the adapter declares (ADAPTER.md, "Security"); Skipped if none."""
    caps = (t.hello or {}).get("capabilities") or {}
    roles = caps.get("mechanismRoles") or {}
    pairs = [(m, r) for m in ("PLAIN", "CURVE") if m in t.declared("mechanisms")
             for r in MECHANISM_ROLES if r in (roles.get(m) or [])]
    if not pairs:
        raise Skipped("the adapter declares no PLAIN or CURVE role (mechanismRoles)")
    return pairs


def check_security(t):
    """Each declared mechanism in each declared role: the suite's own handshake (secure_link)
    with a socket opened with the security options, and one message through; with
    authIdentity, the sender's user id and key as recv reports them."""
    from zwire_codec.handshake import HandshakeError
    from . import security as S
    from .secure_link import LinkError, SecureLink
    caps = t.hello.get("capabilities") or {}
    zap = caps.get("zapPolicy") is True
    auth = caps.get("authIdentity") or []
    hint = ("apply mechanism, asServer and the credentials before bind or connect, and keep "
            "serving the handshake while you wait for stdin (ADAPTER.md, \"Security\")")
    seen = []
    for mechanism, role in secured(t):
        setup = S.Setup(mechanism, policy=True if zap else None)
        listener = None
        try:
            if role == "server":
                t.needs(role="bind")
                handle = t.open("PULL", **setup.server_options())
                endpoint = t.bind(handle)
                conn = wire.connect(endpoint, t.clock, Transcript(), "self-test")
                sl = SecureLink(conn, setup.client_state("PUSH"), seconds=3.0)
            else:
                t.needs(role="connect")
                handle = t.open("PUSH", **setup.client_options())
                listener = wire.RawListener(t.clock, Transcript())
                t.connect(handle, listener.endpoint)
                conn = listener.accept(3.0)
                if conn is None:
                    raise Failed("%s client: no connection within 3 s" % mechanism, hint)
                sl = SecureLink(conn, setup.server_state("PULL"), seconds=3.0)
            error = S.attempt(sl.handshake)
            if error is not None:
                raise Failed("%s as %s: no handshake: %s" % (mechanism, role, S.why(error, sl)),
                             hint)
            if role == "server":
                sl.send_message(FRAMES)
                reply = t.ok("recv", "answer recv with the frames", seconds=3.0, socket=handle,
                             timeout=int(3000 * t.clock.multiplier))
                if reply.get("frames") != hexes(FRAMES):
                    raise Failed("%s server: recv gave %.100r" % (mechanism, reply.get("frames")),
                                 "deliver the secured connection's messages as any other")
                want = {"userId": ("admin" if mechanism == "PLAIN"
                                   else S.z85(setup.keys.client[0])) if zap else None,
                        "curveKey": S.z85(setup.keys.client[0]) if mechanism == "CURVE" else None}
                got = reply.get("auth") or {}
                wrong = ["%s %r, not %r" % (k, got.get(k), v) for k, v in want.items()
                         if v is not None and k in auth and got.get(k) != v]
                if wrong:
                    raise Failed("%s server: auth %s" % (mechanism, "; ".join(wrong)),
                                 "recv's auth names the sender: the user id the ZAP policy gave "
                                 "(the PLAIN user name, the CURVE key in Z85), its CURVE key")
            else:
                t.ok("send", "answer send with {\"ok\": true} once the message is taken",
                     seconds=3.0, socket=handle, frames=hexes(FRAMES),
                     timeout=int(3000 * t.clock.multiplier))
                try:
                    got = sl.recv_message()
                except (HandshakeError, LinkError) as e:
                    raise Failed("%s client: no message came: %s" % (mechanism, S.why(e, sl)),
                                 hint)
                if got != FRAMES:
                    raise Failed("%s client: send %s, the wire carried %.100r"
                                 % (mechanism, hexes(FRAMES), got),
                                 "send the frames as one message")
                mech = sl.mech
                given = ((mech.username, mech.password) == (b"admin", b"secret")
                         if mechanism == "PLAIN" else mech.client_key == setup.keys.client[0])
                if not given:
                    raise Failed("%s client: its handshake did not carry the %s given"
                                 % (mechanism, "credentials" if mechanism == "PLAIN"
                                    else "curveSecretKey"),
                                 "use plainUsername / plainPassword, curveSecretKey as given")
            sl.close()
        finally:
            if listener is not None:
                listener.close()
        seen.append("%s %s" % (mechanism, role))
    return "handshake and a message as %s%s" % (", ".join(seen),
                                                "; auth %s" % ", ".join(auth) if auth else "")


def check_zap(t):
    """The ZAP policy: a CURVE (or PLAIN) server whose policy knows one client refuses
    another and accepts that one."""
    from . import security as S
    from .secure_link import SecureLink
    caps = t.hello.get("capabilities") or {}
    if caps.get("zapPolicy") is not True:
        raise Skipped("the adapter does not declare zapPolicy")
    servers = [m for m, r in secured(t) if r == "server"]
    if not servers:
        raise Skipped("the adapter declares no PLAIN or CURVE server")
    mechanism = "CURVE" if "CURVE" in servers else servers[0]
    setup = S.Setup(mechanism)
    handle = t.open("PULL", **setup.server_options())
    endpoint = t.bind(handle)
    hint = ("install the zap policy as the ZAP handler (27/ZAP) of the implementation: "
            "allow, deny, plainUsers, curveKeys, curveAny (ADAPTER.md, \"Security\")")
    outcomes = []
    for known in (False, True):
        state = (setup.client_state("PUSH", key=None if known else setup.keys.stranger)
                 if mechanism == "CURVE" else
                 setup.client_state("PUSH", password="secret" if known else "wrong"))
        sl = SecureLink(wire.connect(endpoint, t.clock, Transcript(), "self-test"), state,
                        seconds=3.0)
        error = S.attempt(sl.handshake)
        sl.close()
        if (error is None) != known:
            raise Failed("%s: a %s client was %s: %s" % (
                mechanism, "known" if known else "unknown", "refused" if error else "accepted",
                S.why(error, sl)), hint)
        outcomes.append("%s %s" % ("known" if known else "unknown",
                                   "accepted" if known else "refused"))
    return "%s server with a policy: %s" % (mechanism, ", ".join(outcomes))


def timed(t, op, hint, **fields):
    started = time.monotonic()
    reply = t.request(op, hint, seconds=TIMEOUT_MS / 1000 + SLACK, **fields)
    return reply, time.monotonic() - started


def check_timeouts(t):
    hint = ("wait at most `timeout` ms, serving meanwhile, then answer {\"ok\": false, "
            "\"error\": \"timeout\"}")
    rx = t.open(t.pick(RECEIVERS)[0])
    limit = (TIMEOUT_MS / 1000 + SLACK) * t.clock.multiplier
    seen = []
    for timeout in ((TIMEOUT_MS,) if t.quick else (0, TIMEOUT_MS)):
        reply, took = timed(t, "recv", hint, socket=rx, timeout=timeout)
        if reply.get("ok") is not False or reply.get("error") != "timeout":
            raise Failed("recv on a socket with no peer, timeout %d ms, was answered %.80r"
                         % (timeout, reply), hint)
        if took > limit or (not t.quick and took < timeout / 1000 * 0.9):
            raise Failed("recv with timeout %d ms was answered after %.0f ms"
                         % (timeout, took * 1000), hint)
        seen.append("recv %d ms: timeout after %.0f ms" % (timeout, took * 1000))
    if not t.quick:
        try:
            tx = t.open(t.pick(SENDERS)[0])
        except Skipped:
            tx = None
        if tx is not None:
            reply, took = timed(t, "send", hint, socket=tx, frames=["00"], timeout=TIMEOUT_MS)
            if took > limit:
                raise Failed("send with no peer, timeout %d ms, was answered after %.0f ms"
                             % (TIMEOUT_MS, took * 1000), hint)
            if reply.get("ok") is not True and reply.get("error") != "timeout":
                raise Failed("send with no peer was answered %.80r" % (reply,),
                             "a message that cannot go out in time is {\"ok\": false, "
                             "\"error\": \"timeout\"} (or {\"ok\": true} if it was queued)")
            seen.append("send %d ms with no peer: %s after %.0f ms" % (
                TIMEOUT_MS, "queued" if reply.get("ok") else "timeout", took * 1000))
    return "; ".join(seen)


def check_close(t):
    hint = ("close the socket and answer {\"ok\": true}; a closed handle is refused like any "
            "unknown one")
    handle = t.open(t.any_type())
    t.ok("close", hint, socket=handle)
    reply = t.request("recv", hint, socket=handle, timeout=0)
    if reply.get("ok") is not False:
        raise Failed("recv on a closed socket was answered %.80r" % (reply,), hint)
    return "closed %s; a recv on it was refused (%s)" % (handle, reply.get("error"))


def check_quit(t):
    adapter = t.live()
    reply = t.request("quit", "answer quit with {\"ok\": true}, then exit 0", seconds=2.0)
    if reply.get("ok") is not True:
        raise Failed("quit was answered %.80r" % (reply,), "answer quit with {\"ok\": true}")
    return exits_0(adapter, t.clock, "quit")


def check_end_of_input(t):
    t.stop()
    adapter = t.adapter = Adapter(t.command, t.clock)      # t.stop() ends it
    adapter.proc.stdin.close()
    return exits_0(adapter, t.clock, "the end of its input")


def exits_0(adapter, clock, after):
    try:
        status = adapter.proc.wait(timeout=5 * clock.multiplier)
    except subprocess.TimeoutExpired:
        raise Failed("still running 5 s after %s" % after,
                     "after quit or the end of stdin, close everything (linger 0 is fine) and "
                     "exit")
    if status != 0:
        raise Failed("exited with status %d after %s" % (status, after),
                     "exit with status 0 after quit and at the end of stdin")
    return "exited 0 after %s" % after


# (name, check, in the pre-flight): the order is the order of ADAPTER.md.
CHECKS = (
    ("hello", check_hello, True),
    ("capabilities", check_capabilities, True),
    ("unsupported", check_unsupported, True),
    ("bad-request", check_bad_request, False),
    ("open", check_open, True),
    ("bind", check_bind, True),
    ("connect", check_connect, True),
    ("serving", check_serving, False),
    ("send", check_send, False),
    ("roundtrip", check_roundtrip, False),
    ("subscribe", check_subscribe, False),
    ("options", check_options, False),
    ("security", check_security, False),
    ("zap", check_zap, False),
    ("timeouts", check_timeouts, True),
    ("close", check_close, False),
    ("quit", check_quit, True),
    ("end-of-input", check_end_of_input, False),
)


def run(command, clock, quick=False, report=None):
    """Runs the checks (the pre-flight subset if quick).  Returns the hello (None if there
    was none) and [(status, name, detail, hint)], each also given to report() at once."""
    t = SelfTest(command, clock, quick)
    results = []
    try:
        for name, check, preflight in CHECKS:
            if quick and not preflight:
                continue
            if results and results[0][0] == FAIL:
                outcome = (SKIP, name, "no usable hello", "")
            else:
                outcome = _one(t, name, check)
            results.append(outcome)
            if report:
                report(*outcome)
    finally:
        t.stop()
    return t.hello, results


def _one(t, name, check):
    try:
        return PASS, name, check(t), ""
    except Skipped as e:
        return SKIP, name, str(e), ""
    except Failed as e:
        return FAIL, name, e.detail, e.hint
    except AdapterError as e:
        return FAIL, name, str(e), ("answer each request with exactly one JSON line, "
                                    "{\"id\": <its id>, \"ok\": ...}, in time; the adapter's "
                                    "stderr may say more")
    except OSError as e:
        return FAIL, name, "%s: %s" % (type(e).__name__, e), "see the adapter's stderr"


def line(status, name, detail, hint):
    """One check's line: its status, its name, what it saw, and for a FAIL what to fix."""
    text = "%-4s  %-13s %s" % (status, name, detail)
    return text + (" -- fix: %s" % hint if status == FAIL and hint else "")


def preflight(command, clock):
    """The checks before a suite run.  Returns the hello; raises AdapterError naming every
    failed check."""
    hello, results = run(command, clock, quick=True)
    failed = [r for r in results if r[0] == FAIL]
    if failed:
        raise AdapterError("; ".join("%s: %s (fix: %s)" % (n, d, h) if h else "%s: %s" % (n, d)
                                     for _, n, d, h in failed)
                           + ". --self-test runs every check of the contract")
    return hello
