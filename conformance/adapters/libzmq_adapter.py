#!/usr/bin/python3
"""The conformance suite's adapter for libzmq, through pyzmq.

It implements the contract of conformance/ADAPTER.md (contract version 1): it writes
its hello, then answers JSON-line requests on stdin with one JSON line each on stdout
(logs go to stderr).  Any number of sockets live in one process, each named by a handle
("s1", "s2", ...).  Stdlib and pyzmq only; run it with Debian's /usr/bin/python3.

What it offers, and why not more
--------------------------------
* zmtp ["2.0", "3.1"]: libzmq 4.3 always announces ZMTP 3.1 and has no way to announce
  3.0, so the `zmtpMinor` option is not offered; an `open` that carries it is answered
  "unsupported" and the adapter exits 127, as for any unknown op or option.  It steps
  down to a 2.0 peer, so the RFC 15 cases run too.
* mechanisms NULL, PLAIN and CURVE, each as client and server; the 11 standard socket
  types, bind and connect, tcp and ipc.  An endpoint of any other transport is
  "unsupported" (exit 127) too.
* options, mapped to libzmq socket options, all set right after the socket is made,
  before any bind or connect:
      identity        ZMQ_ROUTING_ID (libzmq announces it in READY for REQ, DEALER
                      and ROUTER only)
      subscribe       ZMQ_SUBSCRIBE on SUB; a 0x01+topic message on XSUB (XSUB keeps
                      its subscriptions and sends them to every peer that attaches)
      heartbeatIvl / heartbeatTimeout / heartbeatTtl
                      ZMQ_HEARTBEAT_IVL / _TIMEOUT / _TTL (libzmq keeps the TTL in
                      deciseconds; it uses the interval when no timeout is set)
      handshakeIvl    ZMQ_HANDSHAKE_IVL
      maxMsgSize      ZMQ_MAXMSGSIZE (libzmq applies it to each frame, not to the sum
                      of a multipart message's frames, and to the peer's handshake
                      commands too: a READY longer than maxMsgSize fails the handshake)
      reconnectIvl    ZMQ_RECONNECT_IVL
      mechanism, asServer
                      PLAIN: ZMQ_PLAIN_SERVER, or ZMQ_PLAIN_USERNAME / _PASSWORD from
                      plainUsername / plainPassword; CURVE: ZMQ_CURVE_SERVER with
                      ZMQ_CURVE_SECRETKEY (curveSecretKey, Z85; the public key derived
                      with zmq_curve_public), or a client's ZMQ_CURVE_SERVERKEY
                      (curveServerKey) with its own pair (curveSecretKey, else a fresh
                      zmq_curve_keypair); NULL: nothing to set
      zapDomain       ZMQ_ZAP_DOMAIN
      zap             the ZAP handler of the context (27/ZAP: one per process), a
                      zmq.auth AuthenticationThread on inproc://zeromq.zap.01 running
                      PolicyAuthenticator: pyzmq's Authenticator (its allow / deny lists,
                      its replies, the PLAIN user name or the CURVE key in Z85 as user
                      id) judging PLAIN and CURVE by the policy whatever the domain, as
                      zwire's handler does; the last "zap" given replaces its policy,
                      "none" stops it (then libzmq's PLAIN server refuses every client and its
                      CURVE server accepts any: measured, 4.3.4)
  Options not given keep libzmq's defaults.
* authIdentity ["userId"]: each message received is read with copy=False, and its
  zmq_msg_gets("User-Id") (the ZAP handler's user id; libzmq offers no per-message key)
  goes into the reply's "auth".

libzmq quirks worked around
---------------------------
1. Commands queue until the application touches the socket.  libzmq's I/O thread does
   the handshakes, heartbeats and reconnects on its own, but it hands new pipes,
   reconnect notices ("hiccups") and the like to the socket as commands that are only
   processed when the application thread calls into that socket.  A bound SUB that is
   left alone never sends its subscriptions to a PUB that connects to it (libzmq
   issue #2267), and a SUB that reconnected does not resend them.  So while it waits
   (for stdin, or inside a send / recv with a timeout) the adapter polls with a short
   timeout (10 ms) and pokes every open socket with getsockopt(ZMQ_EVENTS), which
   processes the pending commands.  Poking other socket types is harmless and keeps
   them as current as a SUB.
2. `send` tries a non-blocking send first and then waits for POLLOUT up to the timeout
   (a multipart message is all-or-nothing: libzmq checks the high-water mark on the
   first frame only), so an error such as a REQ sending out of turn is reported at once
   rather than as a timeout.  `recv` likewise.  timeout 0 means one attempt; a negative
   timeout waits without limit (still serving); a missing one means 5000 ms.
3. `quit` and end of input close every socket with linger 0 and terminate the context.
   A socket closed earlier by `close` keeps libzmq's default linger (-1: flush for
   ever), which could hold up zmq_ctx_term: the term is given 2 s, after which the
   adapter exits 0 anyway.

Requests that are not JSON objects with an "id" and a string "op", or whose fields are
malformed, get {"ok": false, "error": "bad request: ..."} and the adapter carries on
(id null when there was none to repeat).  Errors from libzmq are passed on as
{"ok": false, "error": "<zmq's message>"}.
"""

import collections
import json
import os
import sys
import threading
import time
import traceback

import zmq
from zmq.auth.base import Authenticator
from zmq.auth.thread import AuthenticationThread
from zmq.utils import z85

PROG = "libzmq_adapter"
CONTRACT_VERSION = 1
SERVE_EVERY = 0.010          # seconds between pokes while waiting
READ_CHUNK = 1 << 22         # stdin read size: a 16 MiB frame is a 32 MiB line
DEFAULT_TIMEOUT_MS = 5000
TERM_GRACE = 2.0             # seconds given to zmq_ctx_term at exit

SOCKET_TYPES = {
    "PAIR": zmq.PAIR, "PUB": zmq.PUB, "SUB": zmq.SUB, "XPUB": zmq.XPUB,
    "XSUB": zmq.XSUB, "REQ": zmq.REQ, "REP": zmq.REP, "DEALER": zmq.DEALER,
    "ROUTER": zmq.ROUTER, "PUSH": zmq.PUSH, "PULL": zmq.PULL,
}
TRANSPORTS = ["tcp", "ipc"]
INT_OPTIONS = {
    "heartbeatIvl": zmq.HEARTBEAT_IVL,
    "heartbeatTimeout": zmq.HEARTBEAT_TIMEOUT,
    "heartbeatTtl": zmq.HEARTBEAT_TTL,
    "handshakeIvl": zmq.HANDSHAKE_IVL,
    "maxMsgSize": zmq.MAXMSGSIZE,
    "reconnectIvl": zmq.RECONNECT_IVL,
}
SECURITY_OPTIONS = ["mechanism", "asServer", "plainUsername", "plainPassword",
                    "curveSecretKey", "curvePublicKey", "curveServerKey", "zapDomain", "zap"]
OPTIONS = ["identity", "subscribe", "heartbeatIvl", "heartbeatTimeout", "heartbeatTtl",
           "handshakeIvl", "maxMsgSize", "reconnectIvl"] + SECURITY_OPTIONS
MECHANISMS = ["NULL", "PLAIN", "CURVE"]


def hello():
    return {
        "zwireAdapter": CONTRACT_VERSION,
        "implementation": {"name": "libzmq", "version": zmq.zmq_version(),
                           "binding": "pyzmq " + zmq.__version__},
        "capabilities": {
            "zmtp": ["2.0", "3.1"],
            "mechanisms": list(MECHANISMS),
            "mechanismRoles": {"PLAIN": ["client", "server"], "CURVE": ["client", "server"]},
            "zapPolicy": True,
            "authIdentity": ["userId"],
            "socketTypes": list(SOCKET_TYPES),
            "roles": ["bind", "connect"],
            "transports": list(TRANSPORTS),
            "heartbeat": True,
            "options": list(OPTIONS),
        },
    }


def log(text):
    try:
        sys.stderr.write("%s: %s\n" % (PROG, text))
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def write_line(obj):
    sys.stdout.write(json.dumps(obj, separators=(",", ":")) + "\n")
    sys.stdout.flush()


class Unsupported(Exception):
    """The request asks for something this adapter does not offer: exit 127."""


class BadRequest(Exception):
    """The request is malformed: {"ok": false} and carry on."""


def field(req, name, kind, default=None, required=True):
    if name not in req:
        if required:
            raise BadRequest("missing field %r" % name)
        return default
    value = req[name]
    if kind is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, kind)
    if not ok:
        raise BadRequest("field %r must be %s" % (name, kind.__name__))
    return value


def unhex(value, what):
    if not isinstance(value, str):
        raise BadRequest("%s must be a hex string" % what)
    try:
        return bytes.fromhex(value)
    except ValueError:
        raise BadRequest("%s is not hex: %.40r" % (what, value)) from None


def deadline_of(req):
    timeout = req.get("timeout", DEFAULT_TIMEOUT_MS)
    if not isinstance(timeout, (int, float)) or isinstance(timeout, bool):
        raise BadRequest("field 'timeout' must be a number of milliseconds")
    return None if timeout < 0 else time.monotonic() + timeout / 1000.0


def check_endpoint(endpoint):
    if "://" not in endpoint:
        raise BadRequest("endpoint %r has no transport" % endpoint)
    transport = endpoint.split("://", 1)[0]
    if transport not in TRANSPORTS:
        raise Unsupported("transport %r" % transport)


def text(value, what):
    if not isinstance(value, str):
        raise BadRequest("%s must be a string" % what)
    return value


def z85_key(value, what):
    """A CURVE key as its 40 Z85 characters (DECISIONS S9), checked."""
    value = text(value, what)
    try:
        if len(value) != 40 or len(z85.decode(value.encode("ascii"))) != 32:
            raise ValueError
    except (ValueError, UnicodeEncodeError, KeyError):
        raise BadRequest("%s must be 40 Z85 characters" % what) from None
    return value.encode("ascii")


class PolicyAuthenticator(Authenticator):
    """pyzmq's ZAP handler (allow / deny lists, replies, user ids) judging PLAIN and
    CURVE by the adapter's policy in every domain, as zwire's handler does."""

    def __init__(self, ctx, policy):
        super().__init__(ctx, log=None)
        self.configure(policy)

    def configure(self, policy):
        """Takes a policy (refused with BadRequest before anything changes)."""
        users = policy.get("plainUsers") or {}
        keys = policy.get("curveKeys") or []
        if not isinstance(users, dict) or not all(isinstance(v, str) for v in users.values()):
            raise BadRequest("option zap: plainUsers maps names to passwords")
        if not isinstance(keys, list):
            raise BadRequest("option zap: curveKeys is a list of Z85 keys")
        keys = {z85_key(k, "a key of curveKeys") for k in keys}
        allow, deny = policy.get("allow") or [], policy.get("deny") or []
        if not isinstance(allow, list) or not isinstance(deny, list):
            raise BadRequest("option zap: allow and deny are lists of addresses")
        if allow and deny:
            raise BadRequest("option zap: pyzmq's Authenticator takes allow or deny, not both")
        # Each attribute is replaced whole: the handler's thread reads one or the other.
        self.whitelist = {text(a, "an allowed address") for a in allow}
        self.blacklist = {text(a, "a denied address") for a in deny}
        self.users, self.keys = dict(users), keys
        self.any_key = policy.get("curveAny") is True

    def _authenticate_plain(self, domain, username, password):
        if self.users.get(username) == password:
            return True, b"OK"
        return False, b"wrong user name or password"

    def _authenticate_curve(self, domain, client_key):
        if self.any_key or z85.encode(client_key) in self.keys:
            return True, b"OK"
        return False, b"unknown client key"


class ZapHandler:
    """The context's ZAP handler: an AuthenticationThread of zmq.auth running one
    PolicyAuthenticator, bound to inproc://zeromq.zap.01."""

    def __init__(self, ctx, policy):
        self.authenticator = PolicyAuthenticator(ctx, policy)
        # The endpoint of a handler stopped a moment ago may not be free yet (libzmq
        # closes sockets asynchronously): try again for up to 2 s.
        deadline = time.monotonic() + 2.0
        while True:
            self.pipe = ctx.socket(zmq.PAIR)
            self.pipe.linger = 0
            endpoint = "inproc://zwire-adapter-zap-%d-%f" % (id(self), time.monotonic())
            self.pipe.bind(endpoint)
            self.thread = AuthenticationThread(ctx, endpoint, authenticator=self.authenticator)
            self.thread.start()
            while not self.thread.started.is_set() and self.thread.is_alive():
                self.thread.started.wait(0.01)
            if self.thread.started.is_set():
                return
            self.pipe.close()
            if time.monotonic() > deadline:
                raise RuntimeError("the ZAP handler could not bind inproc://zeromq.zap.01")
            time.sleep(0.02)

    def stop(self):
        self.pipe.send(b"TERMINATE")
        self.thread.join(5)
        self.pipe.close()


class Handle:
    """One libzmq socket."""

    def __init__(self, adapter, name, type_name, options):
        self.name = name
        self.type_name = type_name
        self.adapter = adapter
        self.sock = adapter.ctx.socket(SOCKET_TYPES[type_name])
        try:
            self._apply(options)
            self._secure(options)
        except BaseException:
            self.close(linger=0)
            raise

    # --- options -----------------------------------------------------------

    def _apply(self, options):
        s = self.sock
        for key, value in options.items():
            if key in INT_OPTIONS:
                if not isinstance(value, int) or isinstance(value, bool):
                    raise BadRequest("option %r must be an integer" % key)
                s.setsockopt(INT_OPTIONS[key], value)
            elif key == "identity":
                s.setsockopt(zmq.ROUTING_ID, unhex(value, "option identity"))
            elif key == "subscribe":
                if not isinstance(value, list):
                    raise BadRequest("option subscribe must be a list of hex topics")
                topics = [unhex(t, "a topic of option subscribe") for t in value]
                for topic in topics:
                    self.subscription(topic, True)
            elif key in SECURITY_OPTIONS:
                pass                            # _secure, after the others
            else:
                raise AssertionError(key)      # checked by the caller

    def _secure(self, options):
        """The security options (ADAPTER.md, "Security"): the ZAP policy of the context,
        the domain, then the mechanism and role with their credentials."""
        s = self.sock
        if "zap" in options:
            self.adapter.set_zap(options["zap"])
        if "zapDomain" in options:
            s.setsockopt(zmq.ZAP_DOMAIN, text(options["zapDomain"], "zapDomain").encode())
        mechanism = options.get("mechanism")
        server = options.get("asServer", False)
        if not isinstance(server, bool):
            raise BadRequest("option asServer is true or false")
        if mechanism is None:
            if "asServer" in options:
                raise BadRequest("option asServer needs a mechanism")
            return
        if mechanism not in MECHANISMS:
            raise Unsupported("mechanism %r" % mechanism)
        if mechanism == "NULL":
            if server:
                raise BadRequest("NULL has no server role")
        elif mechanism == "PLAIN" and server:
            s.setsockopt(zmq.PLAIN_SERVER, 1)
        elif mechanism == "PLAIN":
            s.setsockopt(zmq.PLAIN_USERNAME,
                         text(options.get("plainUsername", ""), "plainUsername").encode())
            s.setsockopt(zmq.PLAIN_PASSWORD,
                         text(options.get("plainPassword", ""), "plainPassword").encode())
        else:
            if "curveSecretKey" in options:
                secret = z85_key(options["curveSecretKey"], "curveSecretKey")
                public = zmq.curve_public(secret)
            elif server:
                raise BadRequest("a CURVE server needs curveSecretKey")
            else:
                public, secret = zmq.curve_keypair()
            if "curvePublicKey" in options:
                public = z85_key(options["curvePublicKey"], "curvePublicKey")
            s.setsockopt(zmq.CURVE_SECRETKEY, secret)
            s.setsockopt(zmq.CURVE_PUBLICKEY, public)
            if server:
                s.setsockopt(zmq.CURVE_SERVER, 1)
            else:
                if "curveServerKey" not in options:
                    raise BadRequest("a CURVE client needs curveServerKey")
                s.setsockopt(zmq.CURVE_SERVERKEY,
                             z85_key(options["curveServerKey"], "curveServerKey"))

    def subscription(self, topic, subscribe):
        if self.type_name == "SUB":
            self.sock.setsockopt(zmq.SUBSCRIBE if subscribe else zmq.UNSUBSCRIBE, topic)
        elif self.type_name == "XSUB":
            self.sock.send((b"\x01" if subscribe else b"\x00") + topic, zmq.NOBLOCK)
        else:
            raise BadRequest("subscriptions need a SUB or XSUB socket, not %s"
                             % self.type_name)

    # --- serving -----------------------------------------------------------

    def poke(self):
        """Makes libzmq process the commands queued for this socket (quirk 1)."""
        try:
            self.sock.getsockopt(zmq.EVENTS)
        except zmq.ZMQError as e:
            log("%s: poke: %s" % (self.name, e))

    # --- closing -----------------------------------------------------------

    def close(self, linger=None):
        """Closes the socket (with its own linger unless one is given)."""
        if not self.sock.closed:
            self.sock.close(linger=linger)


def auth_of(frame):
    """Who sent a message (the capability authIdentity): libzmq's User-Id property, the
    ZAP handler's user id (absent without a handler)."""
    try:
        user = frame.get("User-Id")
    except zmq.ZMQError:
        return {}
    return {"userId": user} if isinstance(user, str) else {}


class Adapter:
    def __init__(self):
        self.ctx = zmq.Context()
        self.handles = {}
        self.counter = 0
        self.last_poke = 0.0
        self.zap = None           # the context's ZAP handler (option zap)
        self.partial = []         # stdin chunks of a line not yet complete
        self.lines = collections.deque()   # complete lines not yet answered
        self.eof = False

    def set_zap(self, policy):
        """Replaces the context's ZAP handler: a PolicyAuthenticator, or none."""
        if policy != "none" and not isinstance(policy, dict):
            raise BadRequest('option zap is "none" or an object')
        if policy == "none":
            if self.zap is not None:
                self.zap.stop()
                self.zap = None
        elif self.zap is not None:
            self.zap.authenticator.configure(policy)
        else:
            self.zap = ZapHandler(self.ctx, policy)

    # --- serving while waiting -----------------------------------------------

    def serve(self, deadline, item, flag):
        """Keeps every socket served (poked every SERVE_EVERY) until `item` (a zmq
        socket or a file descriptor) is ready for `flag`, or the deadline passes (None:
        no deadline).  True if it became ready."""
        poller = zmq.Poller()
        poller.register(item, flag)
        while True:
            wait = SERVE_EVERY
            if deadline is not None:
                wait = min(wait, max(0.0, deadline - time.monotonic()))
            try:
                ready = dict(poller.poll(int(wait * 1000 + 0.999)))
            except zmq.ZMQError as e:
                if e.errno == zmq.EINTR:
                    continue
                raise
            self.pump()
            if ready.get(item, 0) & (flag | zmq.POLLERR):
                return True         # POLLERR: zmq_poll's word for a hung-up fd
            if deadline is not None and time.monotonic() >= deadline:
                return False

    def pump(self):
        now = time.monotonic()
        if now - self.last_poke >= SERVE_EVERY:
            self.last_poke = now
            for h in list(self.handles.values()):
                h.poke()

    def readline(self):
        """The next line of stdin (bytes, without its newline), or None at its end."""
        fd = sys.stdin.fileno()
        while not self.lines:
            if self.eof:
                data, self.partial = b"".join(self.partial), []
                return data if data else None
            self.serve(None, fd, zmq.POLLIN)
            chunk = os.read(fd, READ_CHUNK)
            if not chunk:
                self.eof = True
                continue
            parts = chunk.split(b"\n")
            self.partial.append(parts[0])
            if len(parts) > 1:
                self.lines.append(b"".join(self.partial))
                self.lines.extend(parts[1:-1])
                self.partial = [parts[-1]] if parts[-1] else []
        return self.lines.popleft()

    # --- ops -------------------------------------------------------------------

    def handle_of(self, req):
        name = field(req, "socket", str)
        h = self.handles.get(name)
        if h is None:
            raise BadRequest("no socket %r" % name)
        return h

    def op_open(self, req):
        type_name = field(req, "type", str)
        options = req.get("options") or {}
        if not isinstance(options, dict):
            raise BadRequest("field 'options' must be an object")
        if type_name not in SOCKET_TYPES:
            raise Unsupported("socket type %r" % type_name)
        for key in options:
            if key not in OPTIONS:
                raise Unsupported("option %r" % key)
        self.counter += 1
        name = "s%d" % self.counter
        self.handles[name] = Handle(self, name, type_name, options)
        log("%s: open %s %s" % (name, type_name, json.dumps(options)))
        return {"socket": name}

    def op_bind(self, req):
        h = self.handle_of(req)
        endpoint = field(req, "endpoint", str)
        check_endpoint(endpoint)
        h.sock.bind(endpoint)
        bound = h.sock.getsockopt_string(zmq.LAST_ENDPOINT)
        log("%s: bound %s" % (h.name, bound))
        return {"endpoint": bound}

    def op_connect(self, req):
        h = self.handle_of(req)
        endpoint = field(req, "endpoint", str)
        check_endpoint(endpoint)
        h.sock.connect(endpoint)
        log("%s: connecting to %s" % (h.name, endpoint))
        return {}

    def op_send(self, req):
        h = self.handle_of(req)
        frames = field(req, "frames", list)
        if not frames:
            raise BadRequest("a message has at least one frame")
        frames = [unhex(f, "a frame") for f in frames]
        deadline = deadline_of(req)
        while True:
            try:
                h.sock.send_multipart(frames, zmq.NOBLOCK)
                return {}
            except zmq.Again:
                pass
            if deadline is not None and time.monotonic() >= deadline:
                return {"ok": False, "error": "timeout"}
            self.serve(deadline, h.sock, zmq.POLLOUT)

    def op_recv(self, req):
        h = self.handle_of(req)
        deadline = deadline_of(req)
        while True:
            try:
                frames = h.sock.recv_multipart(zmq.NOBLOCK, copy=False)
                return {"frames": [f.bytes.hex() for f in frames], "auth": auth_of(frames[0])}
            except zmq.Again:
                pass
            if deadline is not None and time.monotonic() >= deadline:
                return {"ok": False, "error": "timeout"}
            self.serve(deadline, h.sock, zmq.POLLIN)

    def op_subscribe(self, req):
        h = self.handle_of(req)
        h.subscription(unhex(field(req, "topic", str), "topic"), True)
        return {}

    def op_unsubscribe(self, req):
        h = self.handle_of(req)
        h.subscription(unhex(field(req, "topic", str), "topic"), False)
        return {}

    def op_close(self, req):
        h = self.handle_of(req)
        del self.handles[h.name]
        h.close()
        log("%s: closed" % h.name)
        return {}

    def op_quit(self, req):
        return {}

    # --- the loop --------------------------------------------------------------

    def run(self):
        write_line(hello())
        while True:
            line = self.readline()
            if line is None:
                log("end of input")
                return 0
            line = line.strip()
            if not line:
                continue
            reply, status = self.answer(line)
            write_line(reply)
            if status is not None:
                return status

    def answer(self, line):
        """(reply, exit status or None to go on) for one request line."""
        try:
            req = json.loads(line)
        except ValueError as e:
            return {"id": None, "ok": False, "error": "bad request: not JSON: %s" % e}, None
        if not isinstance(req, dict):
            return {"id": None, "ok": False, "error": "bad request: not a JSON object"}, None
        rid = req.get("id")
        if "id" not in req:
            return {"id": None, "ok": False, "error": "bad request: no id"}, None
        op = req.get("op")
        if not isinstance(op, str):
            return {"id": rid, "ok": False, "error": "bad request: no op"}, None
        handler = getattr(self, "op_" + op, None) if op.isidentifier() else None
        if handler is None:
            log("unsupported op %r: exiting 127" % op)
            return {"id": rid, "ok": False, "error": "unsupported"}, 127
        if op not in ("send", "recv"):
            log("request %s %s" % (rid, op))
        try:
            body = handler(req)
        except Unsupported as e:
            log("unsupported: %s: exiting 127" % e)
            return {"id": rid, "ok": False, "error": "unsupported"}, 127
        except BadRequest as e:
            log("request %s: bad request: %s" % (rid, e))
            return {"id": rid, "ok": False, "error": "bad request: %s" % e}, None
        except zmq.ZMQError as e:
            log("request %s %s: %s" % (rid, op, e))
            return {"id": rid, "ok": False, "error": str(e)}, None
        except Exception as e:                      # a bug here: say so, carry on
            log("request %s %s: internal error:\n%s" % (rid, op, traceback.format_exc()))
            return {"id": rid, "ok": False, "error": "internal error: %r" % e}, None
        reply = {"id": rid, "ok": True}
        reply.update(body)
        if not reply["ok"]:
            log("request %s %s: %s" % (rid, op, reply.get("error")))
        return reply, (0 if op == "quit" else None)

    def shutdown(self):
        if self.zap is not None:
            self.zap.stop()
            self.zap = None
        for h in list(self.handles.values()):
            try:
                h.close(linger=0)
            except zmq.ZMQError as e:
                log("%s: close: %s" % (h.name, e))
        self.handles.clear()
        term = threading.Thread(target=self.ctx.term, daemon=True)
        term.start()
        term.join(TERM_GRACE)
        if term.is_alive():
            log("zmq_ctx_term still waiting after %.1f s (a socket closed with linger):"
                " exiting anyway" % TERM_GRACE)


def main():
    adapter = Adapter()
    status = 0
    try:
        status = adapter.run()
    except BrokenPipeError:
        log("stdout closed")
    if status == 0:
        adapter.shutdown()
    log("exit %d" % status)
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        pass
    os._exit(status)


if __name__ == "__main__":
    main()
