"""ZAP (27/ZAP) as a wire peer sees it: through the decisions of the server's handler.  The
suite cannot see the ZAP dialog (it happens inside the implementation's process), so the
adapter installs a handler with a policy (ADAPTER.md, "Security": allow and deny lists of
addresses, PLAIN users, CURVE keys) and the cases watch the server act on its answers: a
known key or user accepted, an unknown one refused, the client's address filtered, and,
where the adapter offers it (authIdentity), the user id the handler named and the CURVE key
reaching the application with each message.

A refused CURVE client is judged by 26/CURVEZMQ's two sentences on it, which disagree: "If
the client does not pass authentication, the server SHALL not respond except by closing the
connection" (curve.server.auth-fail-close) and "A server SHALL indicate an authentication
failure by sending an ERROR command back to the client" (curve.server.auth-fail-error):
either outcome meets one of them, so each is the other's conforming alternative; READY, or
neither ERROR nor a close, meets neither.  What a server without a handler does is not in
any RFC (DECISIONS S5: zwire accepts every client and logs it; libzmq 4.3.4 refuses every
PLAIN client and accepts every CURVE key): reported.

The deliberate fault "ZAP skipped" (a server that never asks its handler) is caught by
sec.zap.curve.unknown-key@binds (READY to an unknown key: FAIL of both clauses) and
sec.zap.address@binds (zap.request.address-origin).
"""

from zwire_codec.handshake import HandshakeError

from .. import words
from ..case import Alt
from ..secure_link import LinkError
from ..security import (SECONDS, attempt, control, greeted, link, secure_case, setup, step,
                        z85, why)


def auth_of(t, handle, message):
    """The message and its sender's authentication (the recv reply's "auth"), or None."""
    reply = t.adapter.request("recv", seconds=SECONDS, socket=handle,
                              timeout=int(SECONDS * 1000 * t.clock.multiplier))
    if not reply.get("ok"):
        return None, None
    return [bytes.fromhex(f) for f in reply["frames"]], reply.get("auth") or {}


def identity_seen(t, auth, user_id, key=None):
    """What the application learned of the sender, judged where the adapter declares it."""
    declared = t.adapter.capabilities.get("authIdentity") or []
    seen = []
    if "userId" in declared:
        seen.append(("userId", auth.get("userId"), user_id))
    if key is not None and "curveKey" in declared:
        seen.append(("curveKey", auth.get("curveKey"), key))
    if not seen:
        t.note("the adapter declares no authIdentity: the user id is not visible to the suite")
    return seen


@secure_case("sec.zap.curve.known-key", "zap",
             "A CURVE client whose key the server's ZAP policy knows: READY, its messages "
             "delivered, with the user id the handler named",
             ["curve.server.ready-on-success", "curve.server.authenticate"], "CURVE",
             roles=("binds",), zap=True)
def _(t):
    s = setup(t, "CURVE")
    handle, sl = link(t, "PULL", "PUSH")
    error = attempt(sl.handshake)
    t.expect("curve.server.ready-on-success", error is None, "a known client key passes: "
             "READY", happened=why(error, sl))
    t.require(error is None, "no handshake: %s" % why(error, sl))
    sl.send_message([b"from-a-known-key"])
    got, auth = auth_of(t, handle, [b"from-a-known-key"])
    t.require(got == [b"from-a-known-key"], "our message was not delivered: %s"
              % words.delivered(got))
    key = z85(s.keys.client[0])
    for field, value, want in identity_seen(t, auth, key, key):
        t.expect("curve.server.authenticate", value == want,
                 "the application sees %s %s: the server authenticated us by our key C"
                 % (field, want), happened="it gave %s %s" % (field, value))


@secure_case("sec.zap.curve.unknown-key", "zap",
             "A CURVE client whose key the server's ZAP policy does not know: ERROR or a "
             "close, never READY, nothing delivered",
             ["curve.server.auth-fail-error", "curve.server.auth-fail-close",
              "curve.server.reject-with-error"], "CURVE", roles=("binds",), zap=True)
def _(t):
    s = setup(t, "CURVE")
    control(t, "PULL", "PUSH")
    handle, sl = link(t, "PULL", "PUSH", state=s.client_state("PUSH", key=s.keys.stranger))
    greeted(t, sl)
    step(t, sl, sl.mech.make_hello(), "HELLO", "WELCOME")
    mark = sl.conn.mark()
    sl.send_body(sl.mech.make_initiate(), "INITIATE from a key the policy does not know")
    try:
        name, _ = sl.read_command()
    except (HandshakeError, LinkError):
        name = None
    sl.conn.wait_closed(1.0)
    happened = sl.conn.answer_since(mark)
    ready = name == "READY"
    error = sl.conn.error_command is not None
    closed = sl.conn.closed_since(mark)
    if not ready:
        sl.send_message([b"from-a-stranger"])
    got = t.recv(handle, 0.2)
    refused = not ready and got is None
    t.expect("curve.server.auth-fail-error", refused and error, "ERROR tells the client it "
             "failed authentication", [Alt(refused and closed and not error,
                                           "closed without a word: curve.server.auth-fail-close")],
             happened=happened)
    t.expect("curve.server.auth-fail-close", refused and closed and not error,
             "nothing but a close", [Alt(refused and error, "ERROR: curve.server.auth-fail-error")],
             happened=happened)
    t.expect("curve.server.reject-with-error", refused and error, "it rejects the client "
             "explicitly, with ERROR", [Alt(refused and closed and not error,
                                           "no explicit rejection: a silent close "
                                           "(curve.server.auth-fail-close)")],
             happened=happened)
    if got is not None:
        t.note("its application received %s" % words.frames(got))


@secure_case("sec.zap.plain.known-user", "zap",
             "A PLAIN client with a user name and password the server's ZAP policy accepts: "
             "READY, its messages delivered, with the user id the handler named",
             ["plain.handshake.order"], "PLAIN", roles=("binds",), zap=True)
def _(t):
    setup(t, "PLAIN")
    handle, sl = link(t, "PULL", "PUSH")
    error = attempt(sl.handshake)
    t.expect("plain.handshake.order", error is None, "HELLO, WELCOME, INITIATE, READY",
             happened=why(error, sl))
    t.require(error is None, "no handshake: %s" % why(error, sl))
    sl.send_message([b"from-admin"])
    got, auth = auth_of(t, handle, [b"from-admin"])
    t.expect("plain.handshake.order", got == [b"from-admin"], "messages follow READY: ours is "
             "delivered", happened=words.delivered(got))
    for field, value, want in identity_seen(t, auth or {}, "admin"):
        t.note("the application sees %s %r (the handler named 'admin')" % (field, value))


@secure_case("sec.zap.address", "zap",
             "The client's address reaches the handler: allowed when listed, refused when "
             "not on the allow list or on the deny list",
             ["zap.request.address-origin"], "CURVE", roles=("binds",), zap=True)
def _(t):
    s = setup(t, "CURVE", policy={"curveAny": True})
    control(t, "PULL", "PUSH")
    outcomes = []
    for label, policy, accept in (("allow-127.0.0.1", {"allow": ["127.0.0.1"]}, True),
                                  ("allow-192.0.2.1", {"allow": ["192.0.2.1"]}, False),
                                  ("deny-127.0.0.1", {"deny": ["127.0.0.1"]}, False)):
        s.policy = dict(policy, curveAny=True)
        handle, sl = link(t, "PULL", "PUSH", label=label)
        error = attempt(sl.handshake)
        outcomes.append((label, accept, error is None, why(error, sl) if error else
                         "the handshake completed"))
        sl.close()
    t.expect("zap.request.address-origin", all(want == got for _, want, got, _ in outcomes),
             "from 127.0.0.1: accepted with allow [127.0.0.1], refused with allow "
             "[192.0.2.1] and with deny [127.0.0.1]",
             happened="; ".join("%s: %s" % (label, what) for label, _, _, what in outcomes))


def no_handler(t, mechanism):
    s = setup(t, mechanism, policy="none")
    if mechanism == "CURVE":
        state = s.client_state("PUSH", key=s.keys.stranger)
    else:
        state = s.client_state("PUSH", password="wrong")
    handle, sl = link(t, "PULL", "PUSH", state=state)
    error = attempt(sl.handshake)
    if error is None:
        sl.send_message([b"unchecked"])
    got = t.recv(handle, 0.5) if error is None else None
    what = ("CURVE from an unknown key" if mechanism == "CURVE" else "PLAIN admin / wrong")
    happened = ("it accepted the client: %s" % words.delivered(got) if error is None
                else "it refused the client: %s" % why(error, sl))
    clause = "curve.server.authenticate" if mechanism == "CURVE" else "plain.handshake.order"
    t.observe(clause, "%s to a server with no ZAP handler (zap \"none\"): no RFC says what such "
              "a server does (DECISIONS S5)" % what, happened=happened)


@secure_case("sec.zap.no-handler.plain", "zap",
             "A PLAIN server with no ZAP handler, given a wrong password: what it does is "
             "reported", ["plain.handshake.order"], "PLAIN", roles=("binds",), zap=True)
def _(t):
    no_handler(t, "PLAIN")


@secure_case("sec.zap.no-handler.curve", "zap",
             "A CURVE server with no ZAP handler, given an unknown client key: what it does is "
             "reported", ["curve.server.authenticate"], "CURVE", roles=("binds",), zap=True)
def _(t):
    no_handler(t, "CURVE")
