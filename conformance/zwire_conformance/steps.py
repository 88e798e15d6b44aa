"""Steps many cases share: the suite's half of a NULL handshake, and waiting for the
implementation's.  Kept small: a case should read as the exchange it tests.
"""

from . import wire
from . import words


def handshake(conn, peer_type, minor=1, identity=None, extra=b"", seconds=3.0):
    """Sends a 3.x NULL greeting and a READY announcing peer_type; True once the
    implementation's READY is in (messages may flow: zmtp31.null.traffic-after-ready)."""
    conn.send(wire.greeting(minor=minor) + wire.ready(peer_type, identity, extra),
              "greeting + READY (%s)" % peer_type)
    return conn.wait_command("READY", seconds)


def handshake_v2(conn, peer_type, seconds=2.0):
    """Greets as a 2.0 peer_type does, all at once, and reads the implementation as a 2.0
    peer reads it; True once its 2.0 greeting is in (2.0 has no commands: messages flow)."""
    conn.read_as_v2_peer()
    conn.send(wire.greeting_v2(peer_type), "a 2.0 %s greeting" % peer_type)
    return conn.wait_greeting(seconds)


def handshaken(t, conn, peer_type, **options):
    """handshake(), as the precondition of everything after it: when it does not complete,
    the case stops as NOT-EXERCISED with what the implementation did instead."""
    return t.require(handshake(conn, peer_type, **options),
                     "no NULL handshake as %s: %s" % (peer_type, conn.describe()))


def handshake_control(t, socket_type, peer_type, minor=1, **options):
    """The control of a case that expects a reaction to particular input (a refusal, or
    an acceptance of input out of the ordinary): a socket of socket_type, on a connection
    of its own, completes a well-formed NULL handshake (t.control).  An implementation
    that refuses everything is then NOT-EXERCISED, never PASSed nor accused."""
    handle, conn = t.control_link(socket_type, **options)
    done = handshake(conn, peer_type, minor=minor)
    t.control(done, "a well-formed 3.%d greeting and READY (%s) complete the handshake"
              % (minor, peer_type), happened=None if done else conn.describe())
    return handle, conn


def reconnection(t, seconds):
    """The implementation's next connection to the suite's (first) listener, or None."""
    conn = t.listeners[0].accept(seconds)
    if conn is not None:
        t.connections.append(conn)
    return conn


ERROR = wire.command(b"ERROR", b"\x06go-off")


def error_in_handshake(t, clause, minor=1):
    """ERROR instead of READY, from a peer that refuses what it read (after the
    implementation's greeting, and its READY if it sends one without waiting for ours):
    fatal "during the mechanism handshake" (error.fatal of 23/ZMTP and 37/ZMTP, `clause`),
    so the connection closes and a connecting implementation does not come back."""
    handshake_control(t, "PULL", "PUSH", minor=minor)
    handle, conn = t.link("PULL", reconnectIvl=50)
    conn.send(wire.greeting(minor=minor), "a 3.%d greeting" % minor)
    t.require(conn.wait_greeting(2.0), "no greeting: %s" % conn.describe())
    conn.wait_command("READY", 0.5)
    mark = t.hostile(conn, ERROR, [], "ERROR 'go-off' instead of READY")
    conn.wait_closed(1.0)
    t.expect(clause, conn.closed_since(mark), "closes after our ERROR",
             happened=conn.answer_since(mark))
    if t.role == "connects" and conn.closed_since(mark):
        conn.close()
        t.expect(clause, reconnection(t, 1.0) is None,
                 "does not connect again within 1 s (reconnectIvl 50 ms)")


def error_after_handshake(t, clause, minor=1):
    """ERROR after the handshake, where the RFCs give it no meaning (their error.fatal,
    `clause`, speaks of the mechanism handshake): what the implementation does is reported."""
    handle, conn = t.link("PULL", reconnectIvl=50)
    handshaken(t, conn, "PUSH", minor=minor)
    mark = t.hostile(conn, ERROR, [], "ERROR 'go-off' after the handshake")
    conn.wait_closed(1.0)
    happened = conn.answer_since(mark)
    if t.role == "connects" and conn.closed_since(mark):
        conn.close()
        happened += "; it %s" % ("connected again" if reconnection(t, 1.0) else
                                 "did not connect again within 1 s (reconnectIvl 50 ms)")
    t.observe(clause, "ERROR after READY (outside the clause)", happened=happened)


def their_ready(conn):
    """The properties of the implementation's READY ({name: bytes}), or None."""
    for name, cmd in conn.inbound.commands():
        if name == "READY":
            return {p["name"]: bytes.fromhex(p["value"]) for p in cmd.get("properties", [])}
    return None


def property_of(props, name):
    """A property by name, ignoring case (zmtp31.metadata.case-insensitive)."""
    for key, value in (props or {}).items():
        if key.lower() == name.lower():
            return value
    return None


def refused(conn, seconds=2.0):
    """True if the implementation closed the connection without sending READY."""
    closed = conn.wait_closed(seconds)
    return closed and their_ready(conn) is None


_barriers = [0]


def settle(conn, seconds=2.0):
    """A barrier: sends PING with a fresh context and waits for its PONG (or the close).
    Once it is in, the implementation has dealt with everything we sent before the PING
    (our READY, subscriptions, messages).  True unless the implementation closed; a peer
    that does not answer PING only costs the wait."""
    _barriers[0] += 1
    context = b"settle-%d" % _barriers[0]
    conn.send(wire.ping(0, context), "PING (barrier)")
    conn.wait(lambda: any(n == "PONG" and c.get("context") == context.hex()
                          for n, c in conn.inbound.commands()), seconds)
    return not conn.closed_by_peer


# --- once, in order, whole: each judged apart -------------------------------------------------

def repeated(got, key=tuple):
    """The messages of `got` delivered more than once (each listed once): what no-duplicates
    judges.  A message that never came is not one that came twice; it is judged elsewhere."""
    seen, twice, again = set(), set(), []
    for m in got:
        k = key(m)
        if k in seen and k not in twice:
            twice.add(k)
            again.append(m)
        seen.add(k)
    return again


def in_sent_order(got, sent, key=tuple):
    """True if the messages of `got` that are among `sent` come in the order sent: a lost
    message leaves a gap, not a disorder, and a repeated one is judged by no-duplicates."""
    index = {key(m): i for i, m in enumerate(sent)}
    firsts = []
    for m in got:
        i = index.get(key(m))
        if i is not None and i not in firsts:
            firsts.append(i)
    return all(a < b for a, b in zip(firsts, firsts[1:]))


def missing(got, sent, key=tuple):
    """The messages of `sent` that never came."""
    keys = {key(m) for m in got}
    return [m for m in sent if key(m) not in keys]


def not_whole(got, sent, key=tuple):
    """The messages of `got` that are not, frame for frame, the sent message they start as
    (or no sent message at all)."""
    by_key = {key(m): m for m in sent}
    return [m for m in got if by_key.get(key(m)) != m]


def opening(conn, seconds=3.0, quiet=0.3):
    """How many octets of its greeting the implementation sends before it reads any of
    ours (the suite sends nothing meanwhile): 10 or 11 for a detecting peer, 64 for one
    that is not.  Waits for the first 10 as long as for any answer (a slow starter is not
    cut off at some fraction of a second), then until the greeting is whole or nothing more
    has come for `quiet` seconds (where a detecting peer stops to read ours)."""
    conn.wait(lambda: len(conn.inbound.data) >= 10 or conn.closed_by_peer, seconds)
    while 10 <= len(conn.inbound.data) < 64 and not conn.closed_by_peer:
        had = len(conn.inbound.data)
        if not conn.wait(lambda: len(conn.inbound.data) > had, quiet):
            break
    return len(conn.inbound.data)


def routed_by_identity(t, got, identity, family):
    """A message a raw peer sent to the implementation's ROUTER after announcing Identity
    `identity`, as delivered (`got`): routing by it is 28/REQREP's, a SHOULD that 23/ZMTP
    and 37/ZMTP say to follow (`family`.socket.reqrep-semantics), and it means something
    only towards a ROUTER the peer connected to (role binds); where the ROUTER connected to
    us, only a routing id is expected, and noted."""
    clause = "%s.socket.reqrep-semantics" % family
    if t.role == "binds":
        t.expect(clause, got == [identity, got[-1]],
                 "we connected to the ROUTER announcing Identity %s: our message comes "
                 "with it as its routing id" % words.octets(identity),
                 happened=words.delivered(got))
        return
    t.expect(clause, len(got) == 2, "our message comes after a routing id",
             happened=words.delivered(got))
    if len(got) == 2:
        t.note("the ROUTER connected to us: we announced Identity %s and it gave us routing "
               "id %s" % (words.octets(identity), words.octets(got[0])))
