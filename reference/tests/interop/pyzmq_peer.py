#!/usr/bin/python3
"""A stand-in for `zwire peer --control`, built on pyzmq (libzmq).

It speaks the control protocol of reference/docs/peer-control.md: the same
command line, the same JSON lines on stdin / stdout, log lines on stderr.  The
interop tests use it as the libzmq side of every pair and, with
ZWIRE_SUBJECT=libzmq, as the subject too (libzmq against libzmq), which proves
the tests themselves right before the C peer exists.

Mapping of the options to libzmq socket options:

    --identity        ZMQ_ROUTING_ID          --maxmsgsize   ZMQ_MAXMSGSIZE
    --subscribe       ZMQ_SUBSCRIBE (SUB),    --sndhwm       ZMQ_SNDHWM
                      0x01 message (XSUB)
    --heartbeat-ivl   ZMQ_HEARTBEAT_IVL       --rcvhwm       ZMQ_RCVHWM
    --heartbeat-timeout ZMQ_HEARTBEAT_TIMEOUT --linger       ZMQ_LINGER
    --heartbeat-ttl   ZMQ_HEARTBEAT_TTL       --reconnect-ivl(-max) ZMQ_RECONNECT_IVL(_MAX)
    --handshake-ivl   ZMQ_HANDSHAKE_IVL       --router-handover ZMQ_ROUTER_HANDOVER
    --zmtp            accepted and ignored (libzmq always announces 3.1)
    --property        ZMQ_METADATA where libzmq has it (DRAFT API), else ignored

Security, as `zwire peer` (the ZAP policy is pyzmq's ThreadAuthenticator on the
stand-in's context, every domain, unless --zap-domain names one):

    --plain-server    ZMQ_PLAIN_SERVER        --plain-user, --plain-password  ZMQ_PLAIN_*
    --curve-server    ZMQ_CURVE_SERVER        --curve-secret  ZMQ_CURVE_SECRETKEY (and its
    --curve-serverkey ZMQ_CURVE_SERVERKEY       public key); a client without it makes a pair
    --zap-domain      ZMQ_ZAP_DOMAIN          --allow, --deny   auth.allow, auth.deny
    --plain-users     auth.configure_plain    --curve-allow     configure_curve_callback
    --curve-allow-any configure_curve(CURVE_ALLOW_ANY)
    --curve-allow-dir DIR  (stand-in only) configure_curve(location=DIR): the public
                      certificates of zmq.auth.create_certificates
    --zap-none        no authenticator: libzmq 4.3.4 then takes every CURVE client
                      and fails every PLAIN handshake

`peers` and `stats` come from a socket monitor (libzmq's monitor v1):
connections = sockets ACCEPTED or CONNECTED and not yet DISCONNECTED (keyed by
fd, exact); closed = DISCONNECTED events; errors = HANDSHAKE_FAILED_PROTOCOL and
_AUTH events (libzmq raises no event for a framing error after the handshake, so
this undercounts); peers = connections whose handshake succeeded.  libzmq's
HANDSHAKE_SUCCEEDED event carries no fd, so it is credited to the oldest open
connection still handshaking: exact unless two handshakes overlap.  Monitor
events arrive asynchronously: a `stats` right after a change may lag a little.

libzmq serves the connections on its own I/O thread, so handshakes, heartbeats,
reconnects and queuing go on while this process waits on stdin.

Only --control mode is implemented (--echo, --print, --send are refused).
Exit status: 0 after `close` or end of input, 3 for a bad invocation.
"""

import argparse
import json
import logging
import os
import select
import sys
import threading
import time

import zmq
import zmq.auth
from zmq.auth.thread import ThreadAuthenticator
from zmq.utils.monitor import recv_monitor_message

TYPES = {
    "PAIR": zmq.PAIR, "PUB": zmq.PUB, "SUB": zmq.SUB, "XPUB": zmq.XPUB,
    "XSUB": zmq.XSUB, "REQ": zmq.REQ, "REP": zmq.REP, "DEALER": zmq.DEALER,
    "ROUTER": zmq.ROUTER, "PUSH": zmq.PUSH, "PULL": zmq.PULL,
}

PROG = "pyzmq_peer"


def log(text):
    sys.stderr.write("%s: %s\n" % (PROG, text))
    sys.stderr.flush()


class StderrLog(logging.Handler):
    """pyzmq's authenticator logs its verdicts (ALLOWED, DENIED) through here."""

    def emit(self, record):
        log("ZAP: " + record.getMessage())


AUTH_LOG = logging.getLogger("pyzmq_peer.zap")
AUTH_LOG.addHandler(StderrLog())
AUTH_LOG.setLevel(logging.DEBUG)
AUTH_LOG.propagate = False


class KeyList:
    """--curve-allow: a credentials provider accepting the listed Z85 keys."""

    def __init__(self, keys):
        self.keys = {k.encode() for k in keys}

    def callback(self, domain, key):
        return key in self.keys


class BadInvocation(Exception):
    pass


class ArgParser(argparse.ArgumentParser):
    def error(self, message):
        raise BadInvocation(message)


def parse_args(argv):
    p = ArgParser(prog=PROG, add_help=True,
                  description="libzmq stand-in for `zwire peer --control`")
    p.add_argument("--type", required=True)
    p.add_argument("--bind", action="append", default=[])
    p.add_argument("--connect", action="append", default=[])
    p.add_argument("--identity")
    p.add_argument("--subscribe", action="append", default=[])
    p.add_argument("--zmtp", choices=["3.1", "3.0"], default="3.1")
    p.add_argument("--heartbeat-ivl", type=int, default=0)
    p.add_argument("--heartbeat-timeout", type=int, default=None)
    p.add_argument("--heartbeat-ttl", type=int, default=0)
    p.add_argument("--handshake-ivl", type=int, default=30000)
    p.add_argument("--maxmsgsize", type=int, default=-1)
    p.add_argument("--sndhwm", type=int, default=1000)
    p.add_argument("--rcvhwm", type=int, default=1000)
    p.add_argument("--linger", type=int, default=1000)
    p.add_argument("--reconnect-ivl", type=int, default=100)
    p.add_argument("--reconnect-ivl-max", type=int, default=0)
    p.add_argument("--router-handover", action="store_true")
    p.add_argument("--property", action="append", default=[])
    p.add_argument("--plain-server", action="store_true")
    p.add_argument("--plain-user")
    p.add_argument("--plain-password")
    p.add_argument("--curve-server", action="store_true")
    p.add_argument("--curve-secret")
    p.add_argument("--curve-serverkey")
    p.add_argument("--zap-domain")
    p.add_argument("--allow", action="append", default=[])
    p.add_argument("--deny", action="append", default=[])
    p.add_argument("--plain-users")
    p.add_argument("--curve-allow", action="append", default=[])
    p.add_argument("--curve-allow-any", action="store_true")
    p.add_argument("--curve-allow-dir")
    p.add_argument("--zap-none", action="store_true")
    p.add_argument("--control", action="store_true")
    for unsupported in ("--echo", "--print"):
        p.add_argument(unsupported, action="store_true")
    p.add_argument("--send", action="append", default=[])
    args = p.parse_args(argv)
    args.type = args.type.upper()
    if args.type not in TYPES:
        raise BadInvocation("unknown socket type %r" % args.type)
    if not args.control or args.echo or args.print or args.send:
        raise BadInvocation("the stand-in implements --control mode only")
    if args.subscribe and args.type not in ("SUB", "XSUB"):
        raise BadInvocation("--subscribe needs --type SUB or XSUB")
    for prop in args.property:
        if "=" not in prop or not prop.split("=", 1)[0]:
            raise BadInvocation("--property wants NAME=VALUE, not %r" % prop)
    check_security(args)
    return args


def check_security(args):
    """The rules of `zwire peer` (peer_security.c): one mechanism and role, and a
    server with a ZAP policy or --zap-none."""
    roles = [args.plain_server, args.curve_server, args.plain_user is not None,
             args.curve_serverkey is not None]
    if sum(bool(r) for r in roles) > 1:
        raise BadInvocation("choose one of --plain-server, --plain-user, --curve-server, "
                            "--curve-serverkey")
    if args.curve_server and not args.curve_secret:
        raise BadInvocation("--curve-server needs --curve-secret")
    if not args.zap_none:
        if args.plain_server and not args.plain_users:
            raise BadInvocation("a PLAIN server needs --plain-users FILE (or --zap-none)")
        if args.curve_server and not (args.curve_allow or args.curve_allow_any
                                      or args.curve_allow_dir):
            raise BadInvocation("a CURVE server needs --curve-allow KEY, --curve-allow-any "
                                "or --curve-allow-dir (or --zap-none)")


class Monitor:
    """Connection bookkeeping fed by libzmq's socket monitor (own thread)."""

    def __init__(self, sock):
        self.cond = threading.Condition()
        self.open = {}          # fd -> handshake succeeded (bool), insertion ordered
        self.closed = 0
        self.errors = 0
        self.stopped = False
        self._msock = sock.get_monitor_socket()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        names = {getattr(zmq, n): n[6:] for n in dir(zmq) if n.startswith("EVENT_")
                 and n not in ("EVENT_ALL", "EVENT_ALL_V1", "EVENT_ALL_V2")}
        msock = self._msock
        try:
            while True:
                ev = recv_monitor_message(msock)
                event, value = ev["event"], ev["value"]
                endpoint = ev["endpoint"].decode(errors="replace")
                with self.cond:
                    if event in (zmq.EVENT_ACCEPTED, zmq.EVENT_CONNECTED):
                        self.open[value] = False
                    elif event == zmq.EVENT_HANDSHAKE_SUCCEEDED:
                        for fd, done in self.open.items():
                            if not done:
                                self.open[fd] = True
                                break
                    elif event in (zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL,
                                   zmq.EVENT_HANDSHAKE_FAILED_AUTH):
                        self.errors += 1
                    elif event == zmq.EVENT_DISCONNECTED:
                        self.open.pop(value, None)
                        self.closed += 1
                    elif event == zmq.EVENT_MONITOR_STOPPED:
                        self.stopped = True
                        self.cond.notify_all()
                        break
                    self.cond.notify_all()
                if event not in (zmq.EVENT_CONNECT_DELAYED, zmq.EVENT_CONNECT_RETRIED):
                    log("event %s %s value=%s" % (names.get(event, event), endpoint, value))
        except zmq.ZMQError as e:
            log("monitor stopped: %s" % e)
        finally:
            msock.close(linger=0)

    def counts(self):
        with self.cond:
            return self._counts()

    def _counts(self):
        return {"peers": sum(1 for done in self.open.values() if done),
                "connections": len(self.open),
                "closed": self.closed, "errors": self.errors}

    def wait_peers(self, count, timeout_ms):
        deadline = None if timeout_ms < 0 else time.monotonic() + timeout_ms / 1000.0
        with self.cond:
            while True:
                n = self._counts()["peers"]
                if n >= count:
                    return True, n
                if deadline is None:
                    self.cond.wait()
                    continue
                left = deadline - time.monotonic()
                if left <= 0:
                    return False, n
                self.cond.wait(left)

    def stop(self, sock):
        try:
            sock.disable_monitor()
        except zmq.ZMQError:
            pass
        self._thread.join(2.0)


class Peer:
    def __init__(self, args):
        self.args = args
        self.ctx = zmq.Context()
        self.sock = self.ctx.socket(TYPES[args.type])
        s = self.sock
        s.setsockopt(zmq.LINGER, args.linger)
        s.setsockopt(zmq.SNDHWM, args.sndhwm)
        s.setsockopt(zmq.RCVHWM, args.rcvhwm)
        s.setsockopt(zmq.MAXMSGSIZE, args.maxmsgsize)
        s.setsockopt(zmq.HANDSHAKE_IVL, args.handshake_ivl)
        s.setsockopt(zmq.RECONNECT_IVL, args.reconnect_ivl)
        s.setsockopt(zmq.RECONNECT_IVL_MAX, args.reconnect_ivl_max)
        if args.heartbeat_ivl:
            s.setsockopt(zmq.HEARTBEAT_IVL, args.heartbeat_ivl)
            timeout = args.heartbeat_timeout
            s.setsockopt(zmq.HEARTBEAT_TIMEOUT,
                         args.heartbeat_ivl if timeout is None else timeout)
        elif args.heartbeat_timeout is not None:
            s.setsockopt(zmq.HEARTBEAT_TIMEOUT, args.heartbeat_timeout)
        if args.heartbeat_ttl:
            s.setsockopt(zmq.HEARTBEAT_TTL, args.heartbeat_ttl)
        if args.identity is not None:
            s.setsockopt(zmq.ROUTING_ID, args.identity.encode())
        if args.router_handover:
            if args.type == "ROUTER":
                s.setsockopt(zmq.ROUTER_HANDOVER, 1)
            else:
                log("--router-handover ignored: not a ROUTER")
        if args.type == "SUB":
            for topic in args.subscribe:
                s.setsockopt(zmq.SUBSCRIBE, topic.encode())
        for prop in args.property:
            name, value = prop.split("=", 1)
            if hasattr(zmq, "METADATA"):
                s.setsockopt(zmq.METADATA, ("%s:%s" % (name, value)).encode())
            else:
                log("--property %s ignored: this libzmq has no ZMQ_METADATA (DRAFT API)" % name)
        self.auth = None
        self.security(args)
        self.monitor = Monitor(s)
        self.endpoints = []
        for ep in args.bind:
            self.endpoints.append(self._bind(ep))
        for ep in args.connect:
            s.connect(ep)
            log("connecting to %s" % ep)
        if args.type == "XSUB":
            for topic in args.subscribe:     # XSUB subscribes by a message: 0x01 + topic
                s.send(b"\x01" + topic.encode())

    def security(self, args):
        """The mechanism options, and the ZAP policy as a ThreadAuthenticator."""
        s = self.sock
        if args.plain_server:
            s.plain_server = True
        if args.plain_user is not None:
            s.plain_username = args.plain_user.encode()
            s.plain_password = (args.plain_password or "").encode()
        if args.curve_secret:
            s.curve_secretkey = args.curve_secret.encode()
            s.curve_publickey = zmq.curve_public(args.curve_secret.encode())
        if args.curve_server:
            s.curve_server = True
        if args.curve_serverkey:
            if not args.curve_secret:
                public, secret = zmq.curve_keypair()
                s.curve_publickey, s.curve_secretkey = public, secret
                log("CURVE client key pair made: %s" % public.decode())
            s.curve_serverkey = args.curve_serverkey.encode()
        if args.zap_domain:
            s.zap_domain = args.zap_domain.encode()
        server = args.plain_server or args.curve_server
        if args.zap_none or not (server or args.allow or args.deny):
            return
        self.auth = auth = ThreadAuthenticator(self.ctx, log=AUTH_LOG)
        auth.start()
        domain = args.zap_domain or "*"
        if args.allow:
            auth.allow(*args.allow)
        if args.deny:
            auth.deny(*args.deny)
        if args.plain_users:
            with open(args.plain_users) as f:
                users = dict(line.rstrip("\n").split(":", 1) for line in f if ":" in line)
            auth.configure_plain(domain=domain, passwords=users)
        if args.curve_allow_any:
            auth.configure_curve(domain=domain, location=zmq.auth.CURVE_ALLOW_ANY)
        elif args.curve_allow_dir:
            auth.configure_curve(domain=domain, location=args.curve_allow_dir)
        elif args.curve_allow:
            auth.configure_curve_callback(domain=domain,
                                          credentials_provider=KeyList(args.curve_allow))

    def _bind(self, ep):
        self.sock.bind(ep)
        resolved = self.sock.getsockopt_string(zmq.LAST_ENDPOINT)
        log("bound %s" % resolved)
        return resolved

    # --- ops ---------------------------------------------------------------

    def op_send(self, cmd):
        frames = [bytes.fromhex(f) for f in cmd["frames"]]
        timeout = int(cmd.get("timeout", 5000))
        if not frames:
            return {"ok": False, "error": "a message has at least one frame"}
        try:
            if timeout == 0:
                self.sock.send_multipart(frames, flags=zmq.NOBLOCK, copy=False)
            else:
                if timeout > 0 and not (self.sock.poll(timeout, zmq.POLLOUT) & zmq.POLLOUT):
                    return {"ok": False, "error": "timeout"}
                self.sock.send_multipart(frames, flags=0 if timeout < 0 else zmq.NOBLOCK,
                                         copy=False)
        except zmq.Again:
            return {"ok": False, "error": "timeout"}
        return {"ok": True}

    def op_recv(self, cmd):
        timeout = int(cmd.get("timeout", 5000))
        if not (self.sock.poll(None if timeout < 0 else timeout, zmq.POLLIN) & zmq.POLLIN):
            return {"ok": False, "error": "timeout"}
        try:
            frames = self.sock.recv_multipart(zmq.NOBLOCK)
        except zmq.Again:
            return {"ok": False, "error": "timeout"}
        return {"ok": True, "frames": [f.hex() for f in frames]}

    def _subscription(self, cmd, subscribe):
        topic = bytes.fromhex(cmd.get("topic", ""))
        if self.args.type == "SUB":
            self.sock.setsockopt(zmq.SUBSCRIBE if subscribe else zmq.UNSUBSCRIBE, topic)
        elif self.args.type == "XSUB":
            self.sock.send((b"\x01" if subscribe else b"\x00") + topic)
        else:
            return {"ok": False, "error": "subscriptions need a SUB or XSUB socket"}
        return {"ok": True}

    def op_subscribe(self, cmd):
        return self._subscription(cmd, True)

    def op_unsubscribe(self, cmd):
        return self._subscription(cmd, False)

    def op_bind(self, cmd):
        return {"ok": True, "endpoint": self._bind(cmd["endpoint"])}

    def op_connect(self, cmd):
        self.sock.connect(cmd["endpoint"])
        log("connecting to %s" % cmd["endpoint"])
        return {"ok": True}

    def op_peers(self, cmd):
        ok, n = self.monitor.wait_peers(int(cmd.get("count", 1)), int(cmd.get("timeout", 5000)))
        return {"ok": True, "peers": n} if ok else {"ok": False, "error": "timeout", "peers": n}

    def op_stats(self, cmd):
        reply = {"ok": True}
        reply.update(self.monitor.counts())
        return reply

    def op_sleep(self, cmd):
        end = time.monotonic() + max(0, int(cmd.get("ms", 0))) / 1000.0
        while True:
            self.serve()
            left = end - time.monotonic()
            if left <= 0:
                return {"ok": True}
            time.sleep(min(left, LineReader.SERVE_EVERY))

    def serve(self):
        """Lets the socket process the commands libzmq's I/O thread queued for it.
        libzmq attaches a new connection's pipe to the socket, and sends the
        subscriptions a SUB already holds over it, only when the application
        thread calls into the socket (libzmq issue #2267: a bound SUB whose
        socket is left alone never subscribes a PUB that connects to it).  The
        contract says the peer keeps serving while it waits for input: here,
        that means touching ZMQ_EVENTS (which processes pending commands)."""
        self.sock.getsockopt(zmq.EVENTS)

    def close(self):
        self.monitor.stop(self.sock)
        self.sock.close()     # with the socket's linger
        if self.auth is not None:
            self.auth.stop()
        self.ctx.term()


class LineReader:
    """Lines from a file descriptor; calls serve() every SERVE_EVERY seconds while
    waiting, so that the socket keeps being served (see Peer.serve)."""

    SERVE_EVERY = 0.01

    def __init__(self, fd, serve):
        self.fd = fd
        self.serve = serve
        self.buf = b""
        self.eof = False

    def readline(self):
        """The next line (str, without its newline), or None at end of input."""
        parts = [self.buf]
        end = self.buf.find(b"\n")
        while end < 0:
            if self.eof:
                data, self.buf = b"".join(parts), b""
                return data.decode(errors="replace") if data else None
            ready, _, _ = select.select([self.fd], [], [], self.SERVE_EVERY)
            if not ready:
                self.serve()
                continue
            chunk = os.read(self.fd, 1 << 20)
            if not chunk:
                self.eof = True
                continue
            end = chunk.find(b"\n")
            if end >= 0:
                end += sum(len(p) for p in parts)
            parts.append(chunk)
        data = b"".join(parts)
        line, self.buf = data[:end], data[end + 1:]
        return line.decode(errors="replace")


def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main(argv):
    try:
        args = parse_args(argv)
    except BadInvocation as e:
        sys.stderr.write("%s: %s\n" % (PROG, e))
        return 3
    try:
        peer = Peer(args)
    except zmq.ZMQError as e:
        log("cannot start: %s" % e)
        return 3
    reply({"event": "ready", "endpoints": peer.endpoints})
    lines = LineReader(sys.stdin.fileno(), peer.serve)
    while True:
        line = lines.readline()
        if line is None:
            log("end of input: closing")
            break
        line = line.strip()
        if not line:
            continue
        try:
            cmd = json.loads(line)
            if not isinstance(cmd, dict) or not isinstance(cmd.get("op"), str):
                raise ValueError("a command is a JSON object with an \"op\"")
        except ValueError as e:
            reply({"ok": False, "error": "bad command: %s" % e})
            continue
        op = cmd["op"]
        if op == "close":
            reply({"ok": True})
            break
        handler = getattr(peer, "op_" + op, None)
        if handler is None:
            reply({"ok": False, "error": "unknown op %r" % op})
            continue
        try:
            reply(handler(cmd))
        except (KeyError, ValueError, TypeError) as e:
            reply({"ok": False, "error": "bad %s command: %s" % (op, e)})
        except zmq.ZMQError as e:
            reply({"ok": False, "error": str(e)})
    peer.close()
    log("closed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
