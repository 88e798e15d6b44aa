"""What happened, in words a binding author reads: the values a case reports in its
expectations (frames delivered, messages sent, property values, decoding errors), never a
Python repr, and never an empty "(got )".

Octets are shown as `zwire decode` shows a value: quoted text when every octet is
printable ASCII, else 0x and hex, cut after 32 octets with the full size.

    delivered(got)      what the implementation's application received (CaseRun.recv)
    sent(messages, conn)  the messages it sent on the wire (InboundStream.messages()), and
                        on conn what follows them that is no whole message
    octets(data), frames(message), messages(list), value(anything)
"""

LIMIT = 32


def octets(data, limit=LIMIT):
    """'text' or 0xhex; a value cut after `limit` octets says how long it was."""
    data = bytes(data)
    shown = data[:limit]
    if all(0x20 <= c <= 0x7E for c in shown):
        text = "'%s'" % shown.decode("ascii")
    else:
        text = "0x" + shown.hex()
    if len(data) > limit:
        text += "... (%d octets)" % len(data)
    return text


def frames(message):
    """One message: its frames in brackets, ['ab', '', 'c']."""
    return "[%s]" % ", ".join(octets(f) for f in message)


def messages(many):
    """Several messages, or "none"."""
    many = list(many or [])
    if not many:
        return "none"
    return ", ".join(frames(m) for m in many)


def delivered(got):
    """What recv returned: "it delivered nothing" or "it delivered ['ab', 'c']"."""
    if got is None:
        return "it delivered nothing"
    return "it delivered %s" % frames(got)


def sent(many, conn=None):
    """The messages the implementation sent: "it sent no message" or "it sent ['a1'],
    ['b1']"; with the connection they came on, what follows them that is no whole
    message too ("..., then 3 frames of a message it did not finish")."""
    many = list(many or [])
    text = "it sent %s" % messages(many) if many else "it sent no message"
    rest = conn.inbound.unfinished() if conn is not None else ""
    return "%s, then %s" % (text, rest) if rest else text


def error(report):
    """A codec error report: "malformed-command at offset 93 (zmtp31.command.name)"."""
    return "%s at offset %d (%s)" % (report["class"], report["offset"],
                                    report.get("clause") or "no clause")


def value(thing):
    """Anything a case reports, in words: None is "none", octets as octets(), a list of
    messages or frames in brackets, a codec error as error(), {name: octets} as
    Name='value'."""
    if thing is None:
        return "none"
    if isinstance(thing, (bytes, bytearray, memoryview)):
        return octets(thing)
    if isinstance(thing, dict):
        if {"class", "offset"} <= set(thing):
            return error(thing)
        return ", ".join("%s=%s" % (k, value(v)) for k, v in thing.items()) or "none"
    if isinstance(thing, (list, tuple)):
        if not thing:
            return "none"
        if all(isinstance(t, (list, tuple)) for t in thing):
            return messages(thing)
        return "[%s]" % ", ".join(value(t) for t in thing)
    if isinstance(thing, bool):
        return "yes" if thing else "no"
    return str(thing)


def judged(expectation):
    """An expectation of a result in one line: what was expected, then what happened in
    brackets when the case said it apart ("t1 still arrives (it sent ['m-end-1'])")."""
    happened = expectation.get("happened")
    return "%s (%s)" % (expectation["what"], happened) if happened else expectation["what"]
