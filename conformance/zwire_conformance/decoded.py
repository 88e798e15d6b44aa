"""Both directions of a connection, decoded in the version each side actually spoke and
printed the way `zwire decode` prints one direction: the offset first, then a field and
its value; frame bodies as hex and text, 16 octets a line.  Decoding is the independent
Python codec's (zwire_codec), never the C one: the layout is shared, not the code.

Which version a side spoke:
  - its own greeting says it (1.0, 2.0, 3.0 or 3.1: detection as 23/ZMTP and 37/ZMTP
    describe it), and its frames are read in that version;
  - but a side whose peer greeted as a 2.0 peer is read as that 2.0 peer reads it
    (zmtp31.version.downgrade: a 3.x peer has written its major version before it knew
    ours, then steps down, so revision 3 is read as 2.0 and 2.0 frames follow), unless
    that reading stops earlier than its own greeting's (it did not step down);
  - 1.0 traffic after a 1.0 identity frame is not decoded (as `zwire decode`).

What a side sent that does not decode is shown as raw octets from the start of the unit
(greeting or frame) in which decoding stopped, after a line saying where and why.  Notes of
the transcript ("greeting + READY (PUSH)", "connection closed by the implementation") are
shown as `#` lines at the offset where they happened.

    read(octets, other_octets) -> Reading        one direction, given what the other sent
    connection(suite, implementation) -> (Reading, Reading)
    Reading.lines(notes) -> [str]                the `zwire decode` text
    Reading.as_report() -> dict                  the report.json `decoded` form
"""

from zwire_codec import FrameDecoder, GreetingDecoder, z85_encode

MAX_BODY = 64                   # octets shown of any octet string (zwire decode's default)
MORE, LONG, COMMAND = 0x01, 0x02, 0x04
FAMILY_LABEL = {"1.0": "ZMTP 1.0 (13/ZMTP)", "2.0": "ZMTP 2.0 (15/ZMTP)",
                "3": "ZMTP 3.x (23/ZMTP, 37/ZMTP)"}
# 15/ZMTP's socket types, and libzmq's XPUB / XSUB values (zmtp20.greeting.socket-type)
V2_SOCKET_TYPES = ("PAIR", "PUB", "SUB", "REQ", "REP", "DEALER", "ROUTER", "PULL", "PUSH",
                   "XPUB, as libzmq sends it", "XSUB, as libzmq sends it")
MECHANISMS = ("NULL", "PLAIN", "CURVE")


class Reading:
    """One direction decoded: the version it was read in and why, the greeting, the
    frames, and where decoding ended (complete, incomplete, an error, not decoded)."""

    def __init__(self, octets, as_v2_peer=False):
        self.octets = bytes(octets)
        self.as_v2_peer = as_v2_peer
        self.why = ""               # set by read(): why this version
        self.greeting_decoder = GreetingDecoder(min_version="1.0",
                                                max_version="2.0" if as_v2_peer else None)
        used = self.greeting_decoder.push(self.octets)
        report = self.greeting_decoder.report()
        self.detected = report["detected"]
        self.greeting = report["greeting"]
        self.error = report["error"]
        self.greeting_end = used if self.greeting else None
        self.frames, self.mechanism, self.version = [], "NULL", None
        if self.greeting:
            self.version = self._version(self.greeting)
            if self.version != "1.0":
                self._frames(self.octets[used:])

    @staticmethod
    def _version(greeting):
        if greeting["version"] in ("1.0", "2.0"):
            return greeting["version"]
        return "3.0" if greeting["minor"] == 0 else "3.1"

    def _frames(self, rest):
        mechanism = self.greeting.get("mechanism", "NULL")
        self.mechanism = mechanism if mechanism in MECHANISMS else "NULL"
        decoder = FrameDecoder(zmtp_version=self.version, mechanism=self.mechanism)
        decoder.push(rest)
        self.frames = decoder.frames
        error = decoder.report()["error"]
        if error:
            self.error = dict(error, offset=error["offset"] + self.greeting_end)

    # --- where decoding got to ------------------------------------------------------------

    def stopped_at(self):
        """The offset of the first octet not decoded: 0 without a whole greeting, the
        start of the unit in which an error was found or the input ended, the start of
        1.0 traffic, or the end."""
        if self.greeting is None:
            return 0
        if self.version == "1.0":
            return self.greeting_end
        if self.frames and not self.frames[-1].complete:
            return self.greeting_end + self.frames[-1].offset
        return self.greeting_end + (_frame_end(self.frames[-1]) if self.frames else 0)

    def progress(self):
        """How far the octets decode without an error (to choose between two readings)."""
        if self.error:
            return self.error["offset"]
        return len(self.octets) if self.version != "1.0" else self.greeting_end

    def label(self):
        """The version in words: "ZMTP 3.1", "ZMTP 2.0, read as a 2.0 peer reads it", ..."""
        if self.version:
            return "ZMTP %s" % self.version
        if self.detected:
            return "%s, greeting not complete" % FAMILY_LABEL[self.detected["version"]]
        return "no greeting" if self.octets else "nothing sent"

    def as_report(self):
        """The report.json form: version, why, greeting, frames, error, end."""
        return {"version": self.version, "readAs": self.why, "detected": self.detected,
                "greeting": self.greeting,
                "frames": [dict(f.as_report(), offset=f.offset + (self.greeting_end or 0))
                           for f in self.frames],
                "error": self.error, "octets": len(self.octets),
                "decodedTo": self.stopped_at()}

    # --- the text -----------------------------------------------------------------------

    def lines(self, notes=()):
        """The `zwire decode` text of this direction; notes: [(offset, text)] of the
        transcript, shown as `#` lines where they happened."""
        out = _Lines(notes)
        if self.detected:
            out.add(0, "greeting", "%s, detected at offset %d"
                    % (FAMILY_LABEL[self.detected["version"]], self.detected["offset"]))
        if self.greeting:
            self._greeting_lines(out)
        for f in self.frames:
            self._frame_lines(out, f)
        stop = self.stopped_at()
        if self.error:
            out.notes_to(self.error["offset"])
            out.text("error: %s at offset %d [%s]" % (self.error["class"], self.error["offset"],
                                                      self.error.get("clause") or "no clause"))
        left = len(self.octets) - stop
        if left and (self.greeting is None or self.error or self.version == "1.0"
                     or not self.frames or self.frames[-1].complete):
            why = ("" if self.error or self.version == "1.0" else
                   ", not a whole greeting" if self.greeting is None else
                   ", not a whole frame header")
            out.add(stop, "not decoded", "%d octet%s from here on%s"
                    % (left, "" if left == 1 else "s", why))
            out.body(stop, self.octets[stop:], cut=False)
        out.notes_to(len(self.octets) + 1)
        out.text(self._end())
        return out.lines

    def _end(self):
        n, stop = len(self.octets), self.stopped_at()
        if not n:
            return "end: nothing sent (0 octets)"
        if self.error:
            return "end: stopped at the error (%d octets)" % n
        if self.version == "1.0":
            return ("end: not decoded (ZMTP 1.0 traffic from offset %d on: zwire decodes "
                    "2.0 and 3.x framing only)" % self.greeting_end)
        if self.greeting is None:
            return "end: incomplete (%d octets into the greeting at offset 0)" % n
        if stop < n:
            return "end: incomplete (%d octet%s into the frame at offset %d)" % (
                n - stop, "" if n - stop == 1 else "s", stop)
        return "end: complete (%d octets)" % n

    def _greeting_lines(self, out):
        g, raw = self.greeting, self.octets
        if g["version"] == "1.0":
            out.value(0, "identity", bytes.fromhex(g["identity"]))
            return
        out.add(0, "signature", _spaced(raw[:10]))
        out.add(1, "padding", _spaced(raw[1:9]) + " (not significant)")
        if g["version"] == "2.0":
            out.add(10, "revision", "%d" % g["revision"])
            kind = g["socketType"]
            out.add(11, "socket-type", "%d (%s)" % (kind, V2_SOCKET_TYPES[kind]
                                                     if kind < len(V2_SOCKET_TYPES) else "unknown"))
            out.value(12, "identity", bytes.fromhex(g["identity"]))
            return
        major, minor = g["major"], g["minor"]
        out.add(10, "version", "%d.%d (%s)" % (major, minor, "23/ZMTP" if (major, minor) == (3, 0)
                                                else "37/ZMTP" if (major, minor) == (3, 1)
                                                else "newer than 3.1, read as 3.1"))
        mechanism = g["mechanism"]
        if mechanism not in MECHANISMS:
            mechanism += " (unknown to zwire: commands read with the NULL layouts)"
        out.add(12, "mechanism", mechanism)
        out.add(32, "as-server", "%d" % g["asServer"])
        filler = raw[33:64]
        out.add(33, "filler", "31 octets, all zero" if not any(filler) else
                "31 octets, not all zero (not validated): " + filler.hex())

    def _frame_lines(self, out, f):
        start = self.greeting_end + f.offset
        header = 9 if f.flags & LONG else 2
        names = [n for bit, n in ((MORE, "MORE"), (LONG, "LONG"), (COMMAND, "COMMAND"))
                 if f.flags & bit]
        text = "flags 0x%02x%s, size %d" % (f.flags, " " + "+".join(names) if names else "", f.size)
        if len(f.body) < f.size:
            text += " (%d read)" % len(f.body)
        out.add(start, "frame", text)
        out.body(start + header, bytes(f.body))
        if f.command is not None:
            self._command_lines(out, start + header, f.command)

    def _command_lines(self, out, at, cmd):
        name = cmd["name"]
        known = "data" not in cmd
        out.add(at, "command", name if known else "%s (not a command of %s)" % (name, self.mechanism))
        at += 1 + len(name)
        if not known:
            out.value(at, "  data", bytes.fromhex(cmd["data"]))
        elif self.mechanism == "CURVE":
            _curve_lines(out, at, cmd)
        elif "properties" in cmd:
            for prop in cmd["properties"]:
                value = bytes.fromhex(prop["value"])
                out.add(at, "  property", "%s=%s" % (prop["name"], _text_value(value)))
                at += 1 + len(prop["name"]) + 4 + len(value)
        elif "reason" in cmd:
            out.value(at, "  reason", bytes.fromhex(cmd["reason"]))
        elif "topic" in cmd:
            out.value(at, "  topic", bytes.fromhex(cmd["topic"]))
        elif "ttl" in cmd:
            ttl = cmd["ttl"]
            out.add(at, "  ttl", "%d deciseconds (%d.%d s%s)" % (ttl, ttl // 10, ttl % 10,
                                                                ", no TTL" if ttl == 0 else ""))
            out.value(at + 2, "  context", bytes.fromhex(cmd["context"]))
        elif "context" in cmd:
            out.value(at, "  context", bytes.fromhex(cmd["context"]))
        elif "group" in cmd:
            out.value(at, "  group", bytes.fromhex(cmd["group"]))
        elif "username" in cmd:
            user = bytes.fromhex(cmd["username"])
            out.value(at, "  username", user)
            out.value(at + 1 + len(user), "  password", bytes.fromhex(cmd["password"]))


def _curve_lines(out, at, cmd):
    """CURVE's fields at their offsets (26/CURVEZMQ layouts), keys and boxes in hex."""
    if "clientKey" in cmd:
        out.add(at, "  version", "%d.%d" % (cmd["versionMajor"], cmd["versionMinor"]))
        key = bytes.fromhex(cmd["clientKey"])
        out.add(at + 74, "  client-key", _cut_hex(key))
        out.add(at + 74, "  client-key", "Z85 " + z85_encode(key).decode("ascii"))
        fields = (("nonce", at + 106), ("signatureBox", at + 114))
    elif "cookie" in cmd:
        fields = (("cookie", at), ("nonce", at + 96), ("box", at + 104))
    elif "reason" in cmd:
        out.value(at, "  reason", bytes.fromhex(cmd["reason"]))
        fields = ()
    else:
        nonce = bytes.fromhex(cmd["nonce"])
        fields = (("nonce", at), ("box", at + len(nonce)))
    for name, offset in fields:
        label = "  " + {"signatureBox": "signature-box"}.get(name, name)
        out.add(offset, label, _cut_hex(bytes.fromhex(cmd[name])))


class _Lines:
    """The text being built, with the transcript's notes put in at their offsets."""

    def __init__(self, notes):
        self.lines = []
        self.notes = sorted(notes, key=lambda n: n[0])

    def notes_to(self, offset):
        while self.notes and self.notes[0][0] < offset:
            at, note = self.notes.pop(0)
            self.lines.append("%8d  # %s" % (at, note))

    def text(self, text):
        self.lines.append(text)

    def add(self, offset, label, value):
        self.notes_to(offset + 1)
        self.lines.append("%8d  %-15s %s" % (offset, label, value))

    def value(self, offset, label, data):
        self.add(offset, label, _text_value(data))

    def body(self, offset, data, cut=True):
        """Octets as hex and text, 16 a line (the first MAX_BODY when cut)."""
        shown = data[:MAX_BODY] if cut else data
        for at in range(0, len(shown), 16):
            piece = shown[at:at + 16]
            self.notes_to(offset + at + 1)
            self.lines.append("%8d    %-47s  %s" % (offset + at, _spaced(piece),
                                                    "".join(chr(c) if 0x20 <= c <= 0x7E else "."
                                                            for c in piece)))
        if len(shown) < len(data):
            self.lines.append("%8d    ... %d more octets not shown"
                              % (offset + len(shown), len(data) - len(shown)))


def _frame_end(frame):
    return frame.offset + (9 if frame.flags & LONG else 2) + frame.size


def _spaced(data):
    return " ".join("%02x" % c for c in data)


def _cut_note(data):
    return " (%d octets, %d shown)" % (len(data), MAX_BODY) if len(data) > MAX_BODY else ""


def _cut_hex(data):
    return data[:MAX_BODY].hex() + _cut_note(data)


def _text_value(data):
    """A value as `zwire decode` shows it: quoted text when every octet shown is
    printable ASCII (with \\" and \\\\ escaped), else 0x and hex; a cut value says so."""
    shown = data[:MAX_BODY]
    if all(0x20 <= c <= 0x7E for c in shown):
        text = '"%s"' % shown.decode("ascii").replace("\\", "\\\\").replace('"', '\\"')
    else:
        text = "0x" + shown.hex()
    return text + _cut_note(data)


# --- the version each side spoke -------------------------------------------------------------

def detected(octets):
    """The version a stream's greeting announces ("1.0", "2.0", "3") or None."""
    decoder = GreetingDecoder(min_version="1.0")
    decoder.push(bytes(octets))
    found = decoder.report()["detected"]
    return found["version"] if found else None


def read(octets, other_octets):
    """One direction, decoded in the version its sender spoke given what the other side
    sent (see the module's text)."""
    own = Reading(octets)
    own.why = "its own greeting" if own.version else ""
    if detected(other_octets) == "2.0" and own.detected and own.detected["version"] == "3":
        as_v2 = Reading(octets, as_v2_peer=True)
        if as_v2.progress() >= own.progress():
            as_v2.why = "as a 2.0 peer reads it, since the other side greeted as one"
            return as_v2
        own.why = ("its own greeting: read as a 2.0 peer reads it, it stops at offset %d, "
                   "so it did not step down to the other side's 2.0" % as_v2.progress())
    return own


def connection(suite_octets, implementation_octets):
    """(what the suite sent, what the implementation sent), each a Reading."""
    return (read(suite_octets, implementation_octets),
            read(implementation_octets, suite_octets))
