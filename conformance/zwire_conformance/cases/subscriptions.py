"""Publish-subscribe on the wire (23/ZMTP §pub-sub, 37/ZMTP §the publish-subscribe pattern,
29/PUBSUB): how the implementation's SUB and XSUB subscribe (SUBSCRIBE / CANCEL commands to
a 3.1 peer, 0x01 / 0x00 messages to a 3.0 one), and how its PUB and XPUB filter by what we
subscribe: prefixes, the empty topic, the union of topics, counted subscriptions, topics
around the short / long frame boundary, either form from any peer.

Publisher cases subscribe, then pass a PING barrier (3.1; a 3.0 peer gets probe messages
instead) so that the subscriptions are in force before the application publishes, and end
each batch with a message that matches: whatever the filter let through is in by then.
"""

from .. import wire
from .. import words
from ..case import case
from ..steps import handshaken, missing, repeated, settle

FILTERS = "zmtp31.pubsub.publisher-filters"
PREFIX = "zmtp31.pubsub.prefix-match"
ADDITIVE = "zmtp31.pubsub.additive"
SEMANTICS = "zmtp31.pubsub.semantics"


msg = wire.message


def subscribe(topic):
    return wire.command(b"SUBSCRIBE", topic)


def cancel(topic):
    return wire.command(b"CANCEL", topic)


def commands(conn, name):
    """The topics of the `name` commands (SUBSCRIBE or CANCEL) received, in order."""
    return [bytes.fromhex(c["topic"]) for n, c in conn.inbound.commands() if n == name]


def told(conn, name):
    """The `name` commands (SUBSCRIBE or CANCEL) received, with the messages, in words."""
    topics = commands(conn, name)
    text = ("it sent %s" % ", ".join("%s %s" % (name, words.octets(t)) for t in topics)
            if topics else "it sent no %s" % name)
    if conn.inbound.messages():
        text += ", and the messages %s" % words.messages(conn.inbound.messages())
    if conn.inbound.error:
        text += ", then octets that do not decode: %s" % words.error(conn.inbound.error)
    return text


def subscriber(t, socket_type, *topics):
    """The implementation's publisher, one raw 3.1 subscriber to it with `topics`, settled."""
    handle, conn = t.link(socket_type)
    handshaken(t, conn, "SUB")
    if topics:
        conn.send(b"".join(subscribe(topic) for topic in topics),
                  "SUBSCRIBE " + ", ".join(words.octets(topic) for topic in topics))
    settle(conn)
    return handle, conn


def batch(t, handle, conn, messages, end):
    """Publishes `messages`, then `end` (a message conn subscribes to); returns what conn
    received from the first of them to `end`, in order."""
    start = len(conn.inbound.messages())
    for m in messages + [end]:
        t.send(handle, m)
    conn.wait(lambda: end in conn.inbound.messages()[start:], 2.0)
    return conn.inbound.messages()[start:]


# --- the implementation subscribes ------------------------------------------------------------

@case("zmtp.subscriptions.sub-subscribe", "subscriptions",
      "SUB subscribes to a 3.1 peer with SUBSCRIBE commands, on connect and later",
      ["zmtp31.pubsub.subscribe-command", "zmtp31.command.subscribe"],
      needs={"options": ["subscribe"]})
def _(t):
    handle, conn = t.link("SUB", subscribe=[b"news".hex()])
    handshaken(t, conn, "PUB")
    conn.wait_command("SUBSCRIBE")
    t.subscribe(handle, b"more")
    conn.wait_command("SUBSCRIBE", count=2)
    got = commands(conn, "SUBSCRIBE")
    t.expect("zmtp31.pubsub.subscribe-command", len(got) == 2 and not conn.inbound.messages(),
             "two SUBSCRIBE commands, no subscription message",
             happened=told(conn, "SUBSCRIBE"))
    t.expect("zmtp31.command.subscribe", got == [b"news", b"more"],
             "their topics are news, then more", happened=told(conn, "SUBSCRIBE"))


@case("zmtp.subscriptions.sub-cancel", "subscriptions",
      "SUB withdraws a subscription from a 3.1 peer with a CANCEL command",
      ["zmtp31.pubsub.cancel-command", "zmtp31.command.cancel"],
      needs={"options": ["subscribe"]})
def _(t):
    handle, conn = t.link("SUB", subscribe=[b"news".hex()])
    handshaken(t, conn, "PUB")
    conn.wait_command("SUBSCRIBE")
    t.subscribe(handle, b"news", subscribe=False)
    conn.wait_command("CANCEL")
    got = commands(conn, "CANCEL")
    t.expect("zmtp31.pubsub.cancel-command", len(got) == 1 and not conn.inbound.messages(),
             "a CANCEL command, no cancellation message", happened=told(conn, "CANCEL"))
    t.expect("zmtp31.command.cancel", got == [b"news"], "its topic is news",
             happened=told(conn, "CANCEL"))


@case("zmtp.subscriptions.sub-subscribe-30", "subscriptions",
      "SUB subscribes to a 3.0 peer with 0x01 + topic messages",
      ["zmtp30.pubsub.subscribe-message", "zmtp30.pubsub.single-frame"],
      needs={"options": ["subscribe"]})
def _(t):
    handle, conn = t.link("SUB", subscribe=[b"news".hex()])
    handshaken(t, conn, "PUB", minor=0)
    conn.wait_messages(1)
    t.subscribe(handle, b"more")
    conn.wait_messages(2)
    got = conn.inbound.messages()
    t.expect("zmtp30.pubsub.subscribe-message", got == [[b"\x01news"], [b"\x01more"]],
             "01 news, then 01 more, each one frame", happened=words.sent(got, conn))
    t.expect("zmtp30.pubsub.single-frame", not commands(conn, "SUBSCRIBE"),
             "no SUBSCRIBE command to a 3.0 peer")


@case("zmtp.subscriptions.sub-cancel-30", "subscriptions",
      "SUB withdraws a subscription from a 3.0 peer with a 0x00 + topic message",
      ["zmtp30.pubsub.cancel-message", "zmtp30.pubsub.single-frame"],
      needs={"options": ["subscribe"]})
def _(t):
    handle, conn = t.link("SUB", subscribe=[b"news".hex()])
    handshaken(t, conn, "PUB", minor=0)
    conn.wait_messages(1)
    t.subscribe(handle, b"news", subscribe=False)
    conn.wait_messages(2)
    got = conn.inbound.messages()
    t.expect("zmtp30.pubsub.cancel-message", got[1:] == [[b"\x00news"]],
             "00 news, one frame", happened=words.sent(got, conn))
    t.expect("zmtp30.pubsub.single-frame", not commands(conn, "CANCEL"),
             "no CANCEL command to a 3.0 peer")


def topic_of(size, first=0x41):
    return bytes([first]) + bytes((i * 7 + 3) % 256 for i in range(1, size)) if size else b""


def sub_topic_size(size):
    topic = topic_of(size)
    body = 10 + size                   # 09 'SUBSCRIBE' topic
    size_clause = "zmtp31.command.long-size" if body > 255 else "zmtp31.command.short-size"

    @case("zmtp.subscriptions.sub-topic-size.%d" % size, "subscriptions",
          "SUB's SUBSCRIBE for a %d-octet topic: the topic exact, a %s size (body %d)"
          % (size, "long" if body > 255 else "short", body),
          ["zmtp31.command.subscribe", size_clause], needs={"options": ["subscribe"]})
    def _(t):
        handle, conn = t.link("SUB", subscribe=[topic.hex()])
        handshaken(t, conn, "PUB")
        conn.wait(lambda: commands(conn, "SUBSCRIBE") or conn.inbound.error, 2.0)
        got = commands(conn, "SUBSCRIBE")
        t.expect("zmtp31.command.subscribe", got == [topic],
                 "SUBSCRIBE with the %d-octet topic, exactly" % size,
                 happened=told(conn, "SUBSCRIBE"))
        frames = [f for f in conn.inbound.frames()
                  if f.command and f.command.get("name") == "SUBSCRIBE"]
        long_flag = bool(frames and frames[0].flags & 0x02)
        t.expect(size_clause, bool(frames) and long_flag == (body > 255),
                 "a body of %d octets goes with %s size"
                 % (body, "a long" if body > 255 else "a short"))


for _size in (0, 245, 246, 255, 256):
    sub_topic_size(_size)


@case("zmtp.subscriptions.xsub-subscribe", "subscriptions",
      "XSUB turns the application's 0x01 / 0x00 messages into SUBSCRIBE / CANCEL, and "
      "delivers what it gets",
      ["zmtp31.pubsub.subscribe-command", "zmtp31.pubsub.cancel-command", SEMANTICS])
def _(t):
    handle, conn = t.link("XSUB")
    handshaken(t, conn, "PUB")
    settle(conn)
    sent = lambda: len(commands(conn, "SUBSCRIBE") + commands(conn, "CANCEL")
                       + conn.inbound.messages())
    t.send(handle, [b"\x01abc"])
    conn.wait(lambda: sent() >= 1, 2.0)         # in either form: the wrong one is reported
    t.send(handle, [b"\x00abc"])
    conn.wait(lambda: sent() >= 2, 2.0)
    t.expect("zmtp31.pubsub.subscribe-command", commands(conn, "SUBSCRIBE") == [b"abc"],
             "SUBSCRIBE abc", happened=told(conn, "SUBSCRIBE"))
    t.expect("zmtp31.pubsub.cancel-command", commands(conn, "CANCEL") == [b"abc"],
             "CANCEL abc", happened=told(conn, "CANCEL"))
    conn.send(msg(b"abc-1"), "a message abc-1")
    got = t.recv(handle)
    t.expect(SEMANTICS, got == [b"abc-1"], "XSUB delivers what it receives",
             happened=words.delivered(got))


# --- the implementation publishes -------------------------------------------------------------

@case("zmtp.subscriptions.pub-prefix-match", "subscriptions",
      "PUB sends what starts with a subscribed topic, judged on the first frame, and nothing else",
      [FILTERS, PREFIX])
def _(t):
    handle, conn = subscriber(t, "PUB", b"ab")
    got = batch(t, handle, conn, [[b"abc"], [b"a"], [b"xab"], [b"ab"], [b"ab", b"tail"],
                                  [b"x", b"ab"], [b"abd"], [b"ba"]], [b"ab-end"])
    want = [[b"abc"], [b"ab"], [b"ab", b"tail"], [b"abd"], [b"ab-end"]]
    t.expect(PREFIX, all(m in got for m in want), "every message starting with 'ab' arrives")
    t.expect(FILTERS, got == want, "and nothing else", happened=words.sent(got, conn))


@case("zmtp.subscriptions.pub-empty-topic", "subscriptions",
      "The empty subscription matches every message, the empty one too",
      ["zmtp31.pubsub.empty-matches-all"])
def _(t):
    handle, conn = subscriber(t, "PUB", b"")
    sent = [[b""], [b"x"], [b"\x00\xff"], [b"", b"second"]]
    got = batch(t, handle, conn, sent, [b"end"])
    t.expect("zmtp31.pubsub.empty-matches-all", got == sent + [[b"end"]],
             "all of them arrive", happened=words.sent(got, conn))


@case("zmtp.subscriptions.pub-no-subscription", "subscriptions",
      "PUB sends nothing a peer has not subscribed to",
      [FILTERS])
def _(t):
    handle, conn = subscriber(t, "PUB", b"zz")
    got = batch(t, handle, conn, [[b"abc"], [b""], [b"z"]], [b"zz-end"])
    t.expect(FILTERS, got == [[b"zz-end"]], "only zz-end arrives", happened=words.sent(got, conn))


@case("zmtp.subscriptions.pub-additive", "subscriptions",
      "Subscriptions add up: the union of the topics is sent",
      [ADDITIVE])
def _(t):
    handle, conn = subscriber(t, "PUB", b"a", b"b")
    got = batch(t, handle, conn, [[b"a1"], [b"b1"], [b"c1"], [b"ab1"]], [b"b-end"])
    t.expect(ADDITIVE, got == [[b"a1"], [b"b1"], [b"ab1"], [b"b-end"]],
             "a1, b1, ab1 and b-end arrive, c1 does not", happened=words.sent(got, conn))


@case("zmtp.subscriptions.pub-counted", "subscriptions",
      "Subscribing twice needs cancelling twice",
      ["zmtp31.pubsub.counted", ADDITIVE])
def _(t):
    handle, conn = subscriber(t, "PUB", b"t", b"t", b"m")
    conn.send(cancel(b"t"), "CANCEL t (one of two)")
    settle(conn)
    first = batch(t, handle, conn, [[b"t1"]], [b"m-end-1"])
    t.expect("zmtp31.pubsub.counted", first == [[b"t1"], [b"m-end-1"]],
             "after one CANCEL of two, t1 still arrives", happened=words.sent(first, conn))
    conn.send(cancel(b"t"), "CANCEL t (the second)")
    settle(conn)
    second = batch(t, handle, conn, [[b"t2"]], [b"m-end-2"])
    t.expect(ADDITIVE, second == [[b"m-end-2"]],
             "after the second CANCEL, t2 does not", happened=words.sent(second, conn))


@case("zmtp.subscriptions.pub-overlap-one-copy", "subscriptions",
      "A message several subscriptions match is sent once",
      ["zmtp31.socket.no-duplicates", ADDITIVE])
def _(t):
    handle, conn = subscriber(t, "PUB", b"", b"a", b"ab", b"abc")
    sent = [[b"abcd"], [b"b"], [b"abc-end"]]
    got = batch(t, handle, conn, sent[:2], sent[2])
    t.expect("zmtp31.socket.no-duplicates", not repeated(got), "no message twice",
             happened=words.sent(got, conn))
    # one sent not at all is the filter's: '' with 'a', 'ab', 'abc' is '' alone (additive)
    t.expect(ADDITIVE, not missing(got, sent), "all three are sent: '' matches them all",
             happened=words.sent(got, conn))


@case("zmtp.subscriptions.pub-fanout", "subscriptions",
      "PUB sends each subscriber what it subscribed to, once",
      [FILTERS, "zmtp31.socket.no-duplicates", "zmtp31.pubsub.empty-matches-all"],
      roles=("binds",))
def _(t):
    handle, a = subscriber(t, "PUB", b"a")
    b = t.another_connection(handle, t.bound[1])
    handshaken(t, b, "SUB")
    b.send(subscribe(b""), "SUBSCRIBE ''")
    settle(b)
    for m in ([b"a1"], [b"b1"], [b"a-end"]):
        t.send(handle, m)
    a.wait(lambda: [b"a-end"] in a.inbound.messages(), 2.0)
    b.wait(lambda: [b"a-end"] in b.inbound.messages(), 2.0)
    got_a, got_b = a.inbound.messages(), b.inbound.messages()
    t.expect(FILTERS, got_a == [[b"a1"], [b"a-end"]],
             "the 'a' subscriber gets a1 and a-end", happened=words.sent(got_a, a))
    t.expect("zmtp31.socket.no-duplicates", not repeated(got_b),
             "the '' subscriber gets no message twice", happened=words.sent(got_b, b))
    t.expect("zmtp31.pubsub.empty-matches-all",
             not missing(got_b, [[b"a1"], [b"b1"], [b"a-end"]]),
             "the '' subscriber gets all three", happened=words.sent(got_b, b))


@case("zmtp.subscriptions.pub-message-form", "subscriptions",
      "PUB also takes 0x01 / 0x00 subscription messages (29/PUBSUB) from a 3.1 peer",
      [SEMANTICS])
def _(t):
    handle, conn = subscriber(t, "PUB")
    conn.send(msg(b"\x01a"), "message 01 'a'")
    settle(conn)
    first = batch(t, handle, conn, [[b"a1"], [b"b1"]], [b"a-end"])
    t.expect(SEMANTICS, first == [[b"a1"], [b"a-end"]],
             "a 01 message subscribes", happened=words.sent(first, conn))
    conn.send(msg(b"\x00a") + msg(b"\x01m"), "message 00 'a', message 01 'm'")
    settle(conn)
    second = batch(t, handle, conn, [[b"a2"]], [b"m-end"])
    t.expect(SEMANTICS, second == [[b"m-end"]], "a 00 message cancels",
             happened=words.sent(second, conn))


def probe(t, handle, conn, topic, tries=10):
    """Publishes topic + 'probe' until one arrives (a 3.0 peer has no PING barrier);
    True once one did.  Probes are left out of later batches."""
    mark = topic + b"\xfeprobe"
    for _ in range(tries):
        t.send(handle, [mark])
        if conn.wait(lambda: [mark] in conn.inbound.messages(), 0.2):
            return True
    return False


@case("zmtp.subscriptions.pub-30-subscriber", "subscriptions",
      "PUB filters for a 3.0 peer that subscribes with 0x01 messages",
      ["zmtp30.pubsub.publisher-filters", "zmtp30.pubsub.prefix-match"])
def _(t):
    handle, conn = t.link("PUB")
    handshaken(t, conn, "SUB", minor=0)
    conn.send(msg(b"\x01a"), "message 01 'a'")
    if not probe(t, handle, conn, b"a"):
        t.note("no probe came through: the subscription never took effect")
    for m in ([b"a1"], [b"b1"], [b"ab"], [b"a-end"]):
        t.send(handle, m)
    conn.wait(lambda: [b"a-end"] in conn.inbound.messages(), 2.0)
    got = [m for m in conn.inbound.messages() if m != [b"a\xfeprobe"]]
    t.expect("zmtp30.pubsub.prefix-match", [b"a1"] in got and [b"ab"] in got,
             "messages starting with 'a' arrive")
    t.expect("zmtp30.pubsub.publisher-filters", got == [[b"a1"], [b"ab"], [b"a-end"]],
             "and nothing else", happened=words.sent(got, conn))


@case("zmtp.subscriptions.pub-topic-sizes", "subscriptions",
      "Topics of 245, 246, 255 and 256 octets (SUBSCRIBE bodies around 255) filter exactly",
      [PREFIX, FILTERS])
def _(t):
    topics = [topic_of(size, first) for size, first in ((245, 0x10), (246, 0x11), (255, 0x12),
                                                          (256, 0x13))]
    handle, conn = subscriber(t, "PUB", *topics)
    sent = []
    for topic in topics:
        sent += [[topic + b"!"], [topic[:-1]]]
    got = batch(t, handle, conn, sent, [topics[0] + b"end"])
    want = [[topic + b"!"] for topic in topics] + [[topics[0] + b"end"]]
    t.expect(PREFIX, all(m in got for m in want), "each topic + '!' arrives")
    t.expect(FILTERS, got == want, "each topic cut by one octet does not",
             happened="it sent messages of %s octets" % ", ".join(str(len(m[0])) for m in got)
             if got else "it sent no message")


# --- XPUB -------------------------------------------------------------------------------------

@case("zmtp.subscriptions.xpub-subscriptions", "subscriptions",
      "XPUB hands SUBSCRIBE / CANCEL to the application as 0x01 / 0x00 + topic, and filters",
      [SEMANTICS, FILTERS])
def _(t):
    handle, conn = t.link("XPUB")
    handshaken(t, conn, "SUB")
    conn.send(subscribe(b"news"), "SUBSCRIBE news")
    got = t.recv(handle)
    t.expect(SEMANTICS, got == [b"\x01news"], "the application reads 01 news",
             happened=words.delivered(got))
    sent = batch(t, handle, conn, [[b"news-1"], [b"other"]], [b"news-end"])
    t.expect(FILTERS, sent == [[b"news-1"], [b"news-end"]],
             "XPUB sends news-1 and news-end only", happened=words.sent(sent, conn))
    conn.send(cancel(b"news"), "CANCEL news")
    got = t.recv(handle)
    t.expect(SEMANTICS, got == [b"\x00news"], "the application reads 00 news",
             happened=words.delivered(got))


@case("zmtp.subscriptions.xpub-subscriptions-30", "subscriptions",
      "XPUB hands a 3.0 peer's 0x01 / 0x00 messages to the application",
      ["zmtp30.pubsub.semantics"])
def _(t):
    handle, conn = t.link("XPUB")
    handshaken(t, conn, "SUB", minor=0)
    conn.send(msg(b"\x01news"), "message 01 news")
    first = t.recv(handle)
    conn.send(msg(b"\x00news"), "message 00 news")
    second = t.recv(handle)
    t.expect("zmtp30.pubsub.semantics", [first, second] == [[b"\x01news"], [b"\x00news"]],
             "the application reads 01 news, then 00 news",
             happened="%s, then %s" % (words.delivered(first), words.delivered(second)))
