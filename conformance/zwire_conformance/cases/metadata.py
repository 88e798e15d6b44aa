"""Connection metadata (23/ZMTP and 37/ZMTP §NULL READY, §connection metadata, §Socket-Type,
§Identity): what the implementation's READY carries, what it makes of ours when ours is
odd or malformed, and which socket types it agrees to talk to.

The compatibility table (digest §4.7, §5.2) drives 121 generated cases, one per
(implementation type, announced type), in the binds role only: the check is the same
whichever side connects, and 121 more would only double the time.  A legal pair passes
once the implementation's READY is in and a PING barrier has come back (it accepted ours);
an illegal one once the connection is closed, ERROR first if the implementation sends one.
"""

from .. import wire
from .. import words
from ..case import case
from ..steps import handshake_control, handshaken, property_of, settle, their_ready

TYPES = ("PAIR", "PUB", "SUB", "XPUB", "XSUB", "REQ", "REP", "DEALER", "ROUTER", "PUSH", "PULL")

LEGAL = {
    "PAIR": {"PAIR"},
    "PUB": {"SUB", "XSUB"}, "XPUB": {"SUB", "XSUB"},
    "SUB": {"PUB", "XPUB"}, "XSUB": {"PUB", "XPUB"},
    "REQ": {"REP", "ROUTER"}, "REP": {"REQ", "DEALER"},
    "DEALER": {"REP", "DEALER", "ROUTER"}, "ROUTER": {"REQ", "DEALER", "ROUTER"},
    "PUSH": {"PULL"}, "PULL": {"PUSH"},
}

# One legal partner per type, for cases that only need the handshake to go through.
PARTNER = {"PAIR": "PAIR", "PUB": "SUB", "XPUB": "SUB", "SUB": "PUB", "XSUB": "PUB",
           "REQ": "REP", "REP": "REQ", "DEALER": "ROUTER", "ROUTER": "DEALER",
           "PUSH": "PULL", "PULL": "PUSH"}

# socket-type of 37/ZMTP's grammar (zmtp31.socket-type.values)
SOCKET_TYPE_NAMES = frozenset(n.encode() for n in TYPES + (
    "CLIENT", "SERVER", "RADIO", "DISH", "SCATTER", "GATHER", "PEER", "CHANNEL"))

NAME_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.+")

TYPE = "PULL"       # the implementation's socket where any type would do
PEER = "PUSH"


def ready_with(properties):
    """READY from (name, value) pairs, names and values as given."""
    return wire.command(b"READY", b"".join(wire.prop(n, v) for n, v in properties))


def accepts(t, handle, conn, what):
    """After our handshake: True once the implementation answered READY, took a PING
    barrier and delivered a message we sent it (a PULL on the implementation's side)."""
    conn.wait_command("READY", 3.0)
    if not settle(conn):
        t.note("%s: the implementation closed the connection" % what)
        return False
    conn.send(wire.frame(b"after-ready"), "a message")
    got = t.recv(handle)
    t.note("%s: %s" % (what, words.delivered(got)))
    return got == [b"after-ready"]


# --- the implementation's READY ---------------------------------------------------------------

def own_ready_case(socket_type):
    @case("zmtp.metadata.ready.%s" % socket_type, "metadata",
          "A %s announces Socket-Type %s, exactly, in a well-formed READY"
          % (socket_type, socket_type),
          ["zmtp31.metadata.socket-type", "zmtp31.socket-type.values", "zmtp31.metadata.name",
           "zmtp31.metadata.value-size"])
    def _(t):
        handle, conn = t.link(socket_type)
        handshaken(t, conn, PARTNER[socket_type])
        props = their_ready(conn)
        t.expect("zmtp31.metadata.name",
                 props is not None and all(0 < len(n) < 256 and set(n) <= NAME_CHARS
                                           for n in props),
                 "READY arrives and its property names are 1..255 name characters",
                 happened="its READY names %s" % ", ".join(sorted(props)) if props is not None
                 else "it sent no READY: %s" % conn.describe())
        t.expect("zmtp31.metadata.value-size", props is not None and not conn.inbound.error,
                 "every property value size is within 0..2^31-1 and matches its value")
        # "The sender SHOULD specify the Socket-Type", "which specifies the sender's socket
        # type" (SHOULD); a Socket-Type it does send "SHALL match this grammar" (values).
        value = property_of(props, "Socket-Type")
        said = ("its Socket-Type is %s" % words.octets(value) if value is not None
                else "its READY has no Socket-Type")
        t.expect("zmtp31.metadata.socket-type", value == socket_type.encode(),
                 "READY has a Socket-Type property naming its own type, '%s'" % socket_type,
                 happened=said)
        if value is not None:
            t.expect("zmtp31.socket-type.values", value in SOCKET_TYPE_NAMES,
                     "its value is one of the grammar's socket-type names, exactly",
                     happened=said)


for _type in TYPES:
    own_ready_case(_type)


# Identity values: with a zero octet inside, the full 255 octets, a single octet.
IDENTITIES = {"REQ": b"req\x00\xff\x01",
              "DEALER": bytes((i * 37 + 1) % 256 or 1 for i in range(255)),
              "ROUTER": b"R"}


def own_identity_case(socket_type):
    identity = IDENTITIES[socket_type]

    @case("zmtp.metadata.identity.%s" % socket_type, "metadata",
          "A %s given an identity of %d octets announces it, octet for octet, in READY"
          % (socket_type, len(identity)),
          ["zmtp31.metadata.identity", "zmtp31.identity.length"],
          needs={"options": ["identity"]})
    def _(t):
        handle, conn = t.link(socket_type, identity=identity.hex())
        handshaken(t, conn, "ROUTER")
        value = property_of(their_ready(conn), "Identity")
        t.expect("zmtp31.metadata.identity", value == identity,
                 "READY has Identity %s" % words.octets(identity),
                 happened="its Identity is %s" % words.octets(value) if value is not None
                 else "its READY has no Identity")
        t.expect("zmtp31.identity.length", value is None or len(value) <= 255,
                 "the Identity is at most 255 octets")


for _type in IDENTITIES:
    own_identity_case(_type)


# --- property names ---------------------------------------------------------------------------

@case("zmtp.metadata.name-case.socket-type-lower", "metadata",
      "A READY whose property is spelt 'socket-type' is accepted",
      ["zmtp31.metadata.case-insensitive"])
def _(t):
    handshake_control(t, TYPE, PEER)
    handle, conn = t.link(TYPE)
    conn.send(wire.greeting() + ready_with([(b"socket-type", PEER.encode())]),
              "READY with 'socket-type' in lower case")
    t.expect("zmtp31.metadata.case-insensitive", accepts(t, handle, conn, "'socket-type' PUSH"),
             "the handshake completes and a message is delivered")


@case("zmtp.metadata.name-case.socket-type-checked", "metadata",
      "'SOCKET-TYPE' is the Socket-Type: an illegal type under that spelling is refused too",
      ["zmtp31.metadata.case-insensitive", "zmtp31.socket-type.check"], roles=("binds",))
def _(t):
    handshake_control(t, TYPE, PEER)
    handle, conn = t.link(TYPE)
    mark = t.hostile(conn, wire.greeting() + ready_with([(b"Socket-Type", TYPE.encode())]), [],
                     "READY, Socket-Type PULL (illegal for a PULL)")
    conn.wait_closed(1.0)
    checks = conn.closed_since(mark)
    t.expect("zmtp31.socket-type.check", checks, "a peer announcing PULL to a PULL is refused",
             happened=conn.answer_since(mark))
    t.require(checks, "it does not refuse an illegal Socket-Type at all: no spelling to compare")
    second = t.another_connection(handle, t.bound[1])
    mark = t.hostile(second, wire.greeting() + ready_with([(b"SOCKET-TYPE", TYPE.encode())]), [],
                     "READY, SOCKET-TYPE PULL")
    second.wait_closed(1.0)
    t.expect("zmtp31.metadata.case-insensitive", second.closed_since(mark),
             "refused under 'SOCKET-TYPE' as under 'Socket-Type'",
             happened=second.answer_since(mark))


def routed_by(t, handle, conn, spelling, identity):
    """Connects as a DEALER announcing `identity` under the property name `spelling`; what
    the ROUTER delivers of a message sent after the handshake (None if nothing)."""
    conn.send(wire.greeting() + ready_with([(b"Socket-Type", b"DEALER"), (spelling, identity)]),
              "READY with '%s' %s" % (spelling.decode(), identity.decode()))
    if not conn.wait_command("READY", 3.0) or not settle(conn):
        return None
    conn.send(wire.frame(b"hello"), "a message")
    return t.recv(handle)


@case("zmtp.metadata.name-case.identity", "metadata",
      "A ROUTER that routes by 'Identity' routes by a property spelt 'IDENTITY' too",
      ["zmtp31.metadata.case-insensitive"], roles=("binds",))
def _(t):
    # Routing by the Identity at all is a SHOULD (28/REQREP, which 37/ZMTP says to follow:
    # zmtp31.socket.reqrep-semantics), and announcing it a MAY: the control shows that this
    # ROUTER routes by the canonical spelling, so that only the spelling is judged here.
    control, cconn = t.control_link("ROUTER")
    canon = routed_by(t, control, cconn, b"Identity", b"peer-canon")
    t.control(canon == [b"peer-canon", b"hello"],
              "a message from a peer announcing 'Identity' peer-canon comes with that "
              "routing id", happened=words.delivered(canon))
    handle, conn = t.link("ROUTER")
    got = routed_by(t, handle, conn, b"IDENTITY", b"peer-up")
    t.expect("zmtp31.metadata.case-insensitive", got == [b"peer-up", b"hello"],
             "the message comes with routing id 'peer-up', as under 'Identity'",
             happened=words.delivered(got))


# --- our READY: odd, malformed ----------------------------------------------------------------

# The metadata grammar binds the sender; of a READY that breaks it, RFC 37 says only that
# the server MAY validate and either side MAY close (spec/leniency.md: acceptable): what
# the implementation does is reported.
def reported_ready(slug, title, clause, input_class, metadata, what):
    @case(slug, "metadata", title, [clause], inputs=[input_class])
    def _(t):
        handle, conn = t.link(TYPE)
        mark = t.hostile(conn, wire.greeting() + wire.command(b"READY", metadata), input_class,
                         "READY with " + what)
        conn.wait(lambda: conn.closed_by_peer or their_ready(conn) is not None, 2.0)
        conn.wait_closed(0.5)
        t.answer(input_class, what, happened=conn.answer_since(mark))


PUSH_TYPE = wire.prop(b"Socket-Type", PEER.encode())
reported_ready("zmtp.metadata.malformed.empty-name",
               "A property name of length 0: what the implementation does",
               "zmtp31.metadata.name", "PropertyName", PUSH_TYPE + b"\x00" + bytes(4),
               "an empty property name")
reported_ready("zmtp.metadata.malformed.name-octet",
               "A property name with a space: what the implementation does",
               "zmtp31.metadata.name", "PropertyName", PUSH_TYPE + wire.prop(b"X Bad", b"v"),
               "property name 'X Bad'")
reported_ready("zmtp.metadata.malformed.value-size-2g",
               "A property value size of 2^31 (the READY cannot hold it either): what it does",
               "zmtp31.metadata.value-size", "ValueSize",
               PUSH_TYPE + b"\x05X-Big\x80\x00\x00\x00x", "value size 0x80000000")
reported_ready("zmtp.metadata.malformed.value-cut",
               "A property value cut short by the end of READY: what the implementation does",
               "zmtp31.metadata.value-size", "PropertyCut",
               b"\x0bSocket-Type\x00\x00\x00\x04PUS", "Socket-Type value size 4, 3 octets left")


def well_formed_ready(t, properties, what, clause):
    """A well-formed READY of properties.  Bound, the implementation is the NULL server:
    with no error, it MUST answer READY (zmtp31.null.server-ready-reply), and the case
    judges that a message then goes through.  Connecting, it is the client, which the RFC
    leaves free to validate the server's READY: what it does is reported under clause."""
    handshake_control(t, TYPE, PEER)
    handle, conn = t.link(TYPE)
    conn.send(wire.greeting() + ready_with(properties), "READY with " + what)
    taken = accepts(t, handle, conn, what)
    if t.role == "binds":
        t.expect("zmtp31.null.server-ready-reply", taken,
                 "READY comes back and a message is delivered", happened=conn.describe())
    else:
        t.observe(clause, what, happened="accepted, and a message delivered" if taken
                  else conn.describe())


@case("zmtp.metadata.other-properties", "metadata",
      "Properties the implementation does not know: the server answers READY",
      ["zmtp31.metadata.other-properties", "zmtp31.null.server-ready-reply"])
def _(t):
    well_formed_ready(t, [(b"X-Custom", b"hello"), (b"Socket-Type", b"PUSH"),
                          (b"Platform", b"raw-suite"), (b"X-Binary", bytes(range(256)))],
                      "X-Custom, Platform and a 256-octet X-Binary around Socket-Type",
                      "zmtp31.metadata.other-properties")


@case("zmtp.metadata.empty-value", "metadata",
      "A property with an empty value is valid: the server answers READY",
      ["zmtp31.metadata.value-size", "zmtp31.null.server-ready-reply"])
def _(t):
    well_formed_ready(t, [(b"Socket-Type", b"PUSH"), (b"X-Empty", b"")],
                      "X-Empty of 0 octets", "zmtp31.metadata.value-size")


@case("zmtp.metadata.no-socket-type", "metadata",
      "A READY without Socket-Type cannot be checked: the implementation should refuse it",
      ["zmtp31.socket-type.check", "zmtp31.metadata.socket-type"], inputs=["MissingSocketType"])
def _(t):
    handshake_control(t, TYPE, PEER)
    handle, conn = t.link(TYPE)
    mark = t.hostile(conn, wire.greeting() + ready_with([(b"X-Custom", b"no type")]),
                     "MissingSocketType", "READY without Socket-Type")
    conn.wait_command("READY", 2.0)
    closed = not settle(conn) and conn.closed_since(mark)
    t.answer("MissingSocketType",
             "a peer of no stated type is not a legal partner: the connection is closed",
             met=closed, happened=conn.answer_since(mark))


# --- Identity from the suite, to a ROUTER -----------------------------------------------------

# The Identity rules bind the sender; a ROUTER that meets a broken one may refuse it or
# route by it (spec/leniency.md: acceptable): reported.
def odd_identity(slug, title, clause, input_class, identity, what):
    @case(slug, "metadata", title, [clause], roles=("binds",), inputs=[input_class])
    def _(t):
        handle, conn = t.link("ROUTER")
        mark = t.hostile(conn, wire.greeting() + wire.ready("DEALER", identity), input_class,
                         "READY with " + what)
        conn.wait_command("READY", 2.0)
        if settle(conn):
            conn.send(wire.frame(b"hello"), "a message")
            got = t.recv(handle)
            t.answer(input_class, what, happened="accepted; the message came with routing id %s"
                     % words.octets(got[0]) if got else "accepted, but %s" % words.delivered(got))
        else:
            t.answer(input_class, what, happened=conn.answer_since(mark))


odd_identity("zmtp.metadata.identity-256",
             "An Identity of 256 octets: what a ROUTER does",
             "zmtp31.identity.length", "IdentityLength", bytes(range(1, 256)) + b"\x01",
             "a 256-octet Identity")
odd_identity("zmtp.metadata.identity-leading-zero",
             "An Identity starting with 0x00: what a ROUTER does",
             "zmtp31.identity.no-leading-zero", "IdentityValue", b"\x00peer", "Identity 00 'peer'")


# --- socket-type compatibility, every pair ----------------------------------------------------

def pair_case(ours, theirs):
    legal = theirs in LEGAL[ours]

    @case("zmtp.metadata.socket-type.%s-vs-%s" % (ours, theirs), "metadata",
          "%s meets a peer announcing %s: %s" % (ours, theirs, "legal, the handshake completes"
                                                 if legal else "illegal, refused"),
          ["zmtp31.socket-type.check", "zmtp31.null.server-ready-reply"] if legal else
          ["zmtp31.socket-type.check", "zmtp31.socket-type.error-then-close"],
          roles=("binds",))
    def _(t):
        if legal:
            handshake_control(t, ours, PARTNER[ours])
            handle, conn = t.link(ours)
            conn.send(wire.greeting() + wire.ready(theirs), "greeting + READY (%s)" % theirs)
            ready = conn.wait_command("READY", 3.0)
            still_open = settle(conn)
            t.expect("zmtp31.null.server-ready-reply", ready and still_open,
                     "READY arrives and the connection stays open", happened=conn.describe())
            t.expect("zmtp31.socket-type.check", still_open, "%s is accepted" % theirs)
            return
        handshake_control(t, ours, PARTNER[ours])
        handle, conn = t.link(ours)
        mark = t.hostile(conn, wire.greeting() + wire.ready(theirs), [],
                         "greeting + READY (%s)" % theirs)
        conn.wait_closed(1.0)
        closed = conn.closed_since(mark)
        error = conn.error_command
        t.expect("zmtp31.socket-type.check", closed,
                 "the connection is closed", happened=conn.answer_since(mark))
        t.expect("zmtp31.socket-type.error-then-close", closed and error is not None,
                 "ERROR, then the close", happened=conn.answer_since(mark))


for _ours in TYPES:
    for _theirs in TYPES:
        pair_case(_ours, _theirs)
