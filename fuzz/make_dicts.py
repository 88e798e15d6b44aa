#!/usr/bin/python3
"""Generate and lint the fuzz dictionaries fuzz/dict/<target>.dict.

    /usr/bin/python3 fuzz/make_dicts.py            # write fuzz/dict/*.dict
    /usr/bin/python3 fuzz/make_dicts.py --check    # lint them; exit 1 if any is stale or bad
    /usr/bin/python3 fuzz/make_dicts.py --lint F   # lint the given dictionary files only

The tokens come from the grammar's own keyword tables, never typed twice: command names per
mechanism from the independent Python codec (conformance/zwire_codec: MECHANISM_LAYOUTS), the
Z85 alphabet from its z85 module, the socket types from the clause registry (the statements of
zmtp30.socket-type.values and zmtp31.socket-type.values, read through tools/zwire_spec.py).
Only what the grammar does not list is written here: the property names of the RFCs, the
signature and its versions, the long-size patterns.

Both libFuzzer (-dict=) and AFL++ (-x) read the files: one `name="value"` per line, the value
printable ASCII with `\\\\`, `\\"` and `\\xNN` escapes, at most 128 octets (AFL++'s
MAX_DICT_FILE). The name's prefix says what the token is, and the lint checks each kind
against the grammar: a length-prefixed command or property name must carry its own length
(libzmq's fuzz dictionary once carried a mis-counted command token, see
conformance-lessons 7.6), a mechanism name is 20 octets of name then NULs, a Z85 group uses
the alphabet only, and so on. Every entry must have a known kind, so every entry is checked.
"""

import argparse
import re
import sys
from pathlib import Path

FUZZ = Path(__file__).resolve().parent
ROOT = FUZZ.parent
DICT_DIR = FUZZ / "dict"
TARGETS = ("greeting", "frames", "command", "metadata", "z85", "mdp", "mdp_broker", "flp", "flp_client",
           "zap", "engine")
MAX_TOKEN = 128

sys.path.insert(0, str(ROOT / "conformance"))
sys.path.insert(0, str(ROOT / "tools"))
from zwire_codec import command as zcommand  # noqa: E402
from zwire_codec import greeting as zgreeting  # noqa: E402
from zwire_codec import metadata as zmetadata  # noqa: E402
from zwire_codec import z85 as zz85  # noqa: E402
import zwire_spec  # noqa: E402

ALPHA = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
LONG = 0x02
COMMAND = 0x04

# Property names the RFCs define (zmtp31.metadata.socket-type, zmtp31.metadata.identity,
# zmtp31.metadata.resource), the application prefix (zmtp31.metadata.x-reserved) and the
# User-Id that libzmq adds from ZAP.
PROPERTY_NAMES = ("Socket-Type", "Identity", "Resource", "User-Id", "X-")
# Mechanisms: the ones with layouts in the codec, and GSSAPI (a valid name no zwire codec
# implements: the greeting must accept it, a session refuses it).
EXTRA_MECHANISMS = ("GSSAPI",)


# --------------------------------------------------------------------------
# sources

def command_names():
    """Every command name with a layout, over all mechanisms, plus MESSAGE's peers."""
    names = set()
    for layouts in zcommand.MECHANISM_LAYOUTS.values():
        names.update(layouts)
    return sorted(names)


def mechanism_names():
    return sorted(zcommand.MECHANISM_LAYOUTS) + list(EXTRA_MECHANISMS)


def socket_types():
    """The Socket-Type values of the registry, in the order its statements list them."""
    clauses, _ = zwire_spec.load_registry(str(ROOT))
    by_id = {c["id"]: c for c in clauses}
    out = []
    for clause_id in ("zmtp30.socket-type.values", "zmtp31.socket-type.values"):
        statement = by_id[clause_id]["statement"]
        for word in re.findall(r"\b[A-Z]{3,}\b", statement):
            if word not in out:
                out.append(word)
    if len(out) < 11:
        raise SystemExit("make_dicts: could not read the socket types from the registry")
    return out


def z85_alphabet():
    return bytes(zz85.ALPHABET)


# --------------------------------------------------------------------------
# token builders

def slug(text):
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def counted(name):
    """A name with its one-octet length in front (command and property names)."""
    raw = name.encode("ascii")
    return bytes([len(raw)]) + raw


def mechanism_field(name):
    raw = name.encode("ascii")
    return raw + b"\x00" * (20 - len(raw))


def be64(value):
    return value.to_bytes(8, "big")


def property_token(name, value):
    raw = value.encode("ascii")
    return counted(name) + len(raw).to_bytes(4, "big") + raw


SIGNATURE = b"\xff" + b"\x00" * 8 + b"\x7f"


def greeting_tokens():
    out = [("sig", SIGNATURE),
           ("sig_compat_identity0", b"\xff" + be64(1) + b"\x7f"),     # zmtp31.compat.pseudo-length
           ("sig_v1_long_flags", b"\xff" + be64(256) + b"\x00"),      # 1.0 long identity frame
           ("ver_3_0", b"\x03\x00"), ("ver_3_1", b"\x03\x01"),
           ("ver_2_rev1", b"\x01"), ("ver_2_rev2", b"\x02")]
    for name in mechanism_names():
        out.append(("mech_" + slug(name), mechanism_field(name)))
    for as_server in (0, 1):
        out.append(("greeting_null_as_server%d" % as_server,
                    SIGNATURE + b"\x03\x01" + mechanism_field("NULL") + bytes([as_server]) + b"\x00" * 31))
    out.append(("greeting_curve_as_server1",
                SIGNATURE + b"\x03\x01" + mechanism_field("CURVE") + b"\x01" + b"\x00" * 31))
    return out


def command_tokens():
    return [("cmd_" + slug(name), counted(name)) for name in command_names()]


def property_tokens():
    out = [("prop_" + slug(name), counted(name)) for name in PROPERTY_NAMES]
    for stype in socket_types():
        out.append(("stype_" + slug(stype), stype.encode("ascii")))
        out.append(("propval_socket_type_" + slug(stype), property_token("Socket-Type", stype)))
    out += [("size32_zero", b"\x00\x00\x00\x00"),
            ("size32_max", b"\x7f\xff\xff\xff"),          # zmtp31.metadata.value-size
            ("size32_top", b"\x80\x00\x00\x00"),
            ("size32_all", b"\xff\xff\xff\xff")]
    return out


def frame_tokens():
    out = []
    for flags in (0x00, 0x01, 0x02, 0x03, 0x04, 0x06):     # every valid 3.x flags octet
        out.append(("flags_%02x" % flags, bytes([flags])))
    for name, size in (("256", 256), ("zero", 0), ("one", 1), ("max", 2**63 - 1),
                       ("top", 2**63), ("all", 2**64 - 1)):
        out.append(("long_" + name, bytes([LONG]) + be64(size)))
        out.append(("long_cmd_" + name, bytes([LONG | COMMAND]) + be64(size)))
    # whole short command frames whose body is only the counted name
    for name in command_names():
        body = counted(name)
        out.append(("frame_cmd_" + slug(name), bytes([COMMAND, len(body)]) + body))
    ready = counted("READY") + property_token("Socket-Type", "DEALER")
    out.append(("frame_cmd_ready_dealer", bytes([COMMAND, len(ready)]) + ready))
    return out


def z85_tokens():
    alphabet = z85_alphabet()
    out = [("z85_group_zero", b"00000"),
           ("z85_group_max", b"%nSc0"),               # 0xFFFFFFFF
           ("z85_group_over", b"%nSc1"),              # 0x100000000: too large
           ("z85_group_last", b"#####"),
           ("z85_hello_world", b"HelloWorld")]        # the 32/Z85 test vector
    for i in range(0, len(alphabet), 5):              # the alphabet, five characters a group
        out.append(("z85_alphabet_%02d" % (i // 5), alphabet[i:i + 5]))
    return out


def mdp_tokens():
    """Majordomo frames as the mdp harnesses read them: a 2-octet length, then the frame
    (fuzz/fuzz_frame_list.h): the four headers, the empty frame, the command codes, the
    reserved namespace."""
    def frame(octets):
        return len(octets).to_bytes(2, "big") + octets
    out = [("mdp_empty_frame", frame(b""))]
    for header in (b"MDPC01", b"MDPW01", b"MDPC02", b"MDPW02"):
        out.append(("mdp_header_%s" % header.decode().lower(), frame(header)))
    for code in range(1, 7):
        out.append(("mdp_code_%d" % code, frame(bytes([code]))))
    out += [("mdp_mmi_service", frame(b"mmi.service")), ("mdp_mmi_prefix", frame(b"mmi."))]
    return out


def flp_tokens():
    """Freelance frames as the flp harnesses read them (fuzz/fuzz_frame_list.h): PING, PONG,
    the empty frame (an empty CCF or body), a decimal CCF as zwire's client writes it."""
    def frame(octets):
        return len(octets).to_bytes(2, "big") + octets
    return [("flp_ping", frame(b"PING")), ("flp_pong", frame(b"PONG")),
            ("flp_empty_frame", frame(b"")), ("flp_ccf_1", frame(b"1"))]


def zap_tokens():
    """ZAP frames as the zap harness reads them (fuzz/fuzz_frame_list.h): the words of 27/ZAP
    (the empty delimiter, the version, the status codes, the mechanism names), the RFC's
    example fields (request id, domain, an IPv4 address; an IPv6 and an IPv4-mapped one in
    their RFC 5952 form), a 32-octet CURVE key and a User-Id property list as metadata."""
    def frame(octets):
        return len(octets).to_bytes(2, "big") + octets
    out = [("zap_empty_frame", frame(b"")), ("zap_version", frame(b"1.0"))]
    for code in (b"200", b"300", b"400", b"500"):
        out.append(("zap_status_%s" % code.decode(), frame(code)))
    for mechanism in (b"NULL", b"PLAIN", b"CURVE") + tuple(m.encode() for m in EXTRA_MECHANISMS):
        out.append(("zap_mechanism_%s" % mechanism.decode().lower(), frame(mechanism)))
    out += [("zap_request_id", frame(b"0001")), ("zap_domain", frame(b"global")),
            ("zap_address_ipv4", frame(b"192.168.55.1")), ("zap_address_ipv6", frame(b"2001:db8::1")),
            ("zap_address_mapped", frame(b"::ffff:192.0.2.1")),
            ("zap_curve_key", frame(bytes(range(0x80, 0xA0)))),
            ("zap_metadata_user_id", frame(property_token("User-Id", "joe")))]
    return out


def dictionaries():
    """{target: [(name, octets)...]}"""
    props = property_tokens()
    return {
        "greeting": greeting_tokens(),
        "frames": frame_tokens() + command_tokens() + props,
        "command": command_tokens() + props
                   + [("curve_hello_version", b"\x01\x00"), ("ping_ttl_zero", b"\x00\x00")],
        "metadata": props,
        "z85": z85_tokens(),
        "mdp": mdp_tokens(),
        "mdp_broker": mdp_tokens(),
        "flp": flp_tokens(),
        "flp_client": flp_tokens(),
        "zap": zap_tokens(),
        # the engine harness: the peer's whole stream (greeting, frames, commands, metadata)
        "engine": greeting_tokens() + frame_tokens() + command_tokens() + props
                  + [("curve_hello_version", b"\x01\x00"), ("ping_ttl_zero", b"\x00\x00")],
    }


# --------------------------------------------------------------------------
# the dictionary file syntax

LINE_RE = re.compile(r'^([A-Za-z0-9_]+)="((?:[\x20-\x21\x23-\x5b\x5d-\x7e]|\\\\|\\"|\\x[0-9A-Fa-f]{2})*)"$')


def escape(octets):
    out = []
    for b in octets:
        if b == 0x5C:
            out.append("\\\\")
        elif b == 0x22:
            out.append('\\"')
        elif 0x20 <= b <= 0x7E:
            out.append(chr(b))
        else:
            out.append("\\x%02x" % b)
    return "".join(out)


def unescape(text):
    out, i = bytearray(), 0
    while i < len(text):
        if text[i] == "\\":
            if text[i + 1] == "x":
                out.append(int(text[i + 2:i + 4], 16))
                i += 4
            else:
                out.append(ord(text[i + 1]))
                i += 2
        else:
            out.append(ord(text[i]))
            i += 1
    return bytes(out)


def render(target, entries):
    lines = ["# fuzz/dict/%s.dict - generated by fuzz/make_dicts.py; do not edit." % target,
             "# libFuzzer: -dict=fuzz/dict/%s.dict   AFL++: -x fuzz/dict/%s.dict" % (target, target)]
    lines += ['%s="%s"' % (name, escape(value)) for name, value in entries]
    return "\n".join(lines) + "\n"


def parse(text):
    """[(line number, name, octets)] and a list of syntax problems."""
    entries, problems = [], []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = LINE_RE.match(line)
        if not m:
            problems.append((number, "not a name=\"value\" dictionary line"))
            continue
        entries.append((number, m.group(1), unescape(m.group(2))))
    return entries, problems


# --------------------------------------------------------------------------
# lint: every kind of token against the grammar

def counted_ok(value, chars, what):
    """A one-octet length, then exactly that many octets of chars."""
    if not value or value[0] == 0 or value[0] != len(value) - 1:
        return "%s: length octet %d, but %d name octets follow" % (
            what, value[0] if value else -1, len(value) - 1)
    if not set(value[1:]) <= chars:
        return "%s: a name octet outside the grammar" % what
    return None


def lint_entry(name, value, known_commands, stypes):
    """None, or why the entry is wrong."""
    if not value:
        return "empty token"
    if len(value) > MAX_TOKEN:
        return "%d octets, above AFL++'s %d" % (len(value), MAX_TOKEN)
    kind = name.split("_", 1)[0]
    if kind == "cmd":
        problem = counted_ok(value, ALPHA, "command name")
        if problem:
            return problem
        if value[1:].decode() not in known_commands:
            return "command %r has no layout in any mechanism" % value[1:].decode()
        return None
    if kind == "frame":
        if len(value) < 2 or value[0] != COMMAND or value[1] != len(value) - 2:
            return "short command frame: size octet does not count the body"
        body = value[2:]
        problem = counted_ok(body[:1 + body[0]], ALPHA, "command name")
        if problem:
            return problem
        return lint_properties(body[1 + body[0]:]) if len(body) > 1 + body[0] else None
    if kind == "prop":
        return counted_ok(value, zmetadata.NAME_CHARS, "property name")
    if kind == "propval":
        return lint_properties(value)
    if kind == "stype":
        return None if value.decode() in stypes else "not a socket type of the registry"
    if kind == "mech":
        name_part = value.rstrip(b"\x00")
        if len(value) != 20 or not name_part or not set(name_part) <= zgreeting.MECHANISM_CHARS:
            return "mechanism field is not 20 octets of name then NULs"
        return None
    if kind == "sig":
        if len(value) != 10 or value[0] != 0xFF or (value[9] != 0x7F and value[9] & 1):
            return "signature is not 0xFF, 8 octets, then 0x7F or a 1.0 flags octet"
        return None
    if kind == "greeting":
        if len(value) != 64 or value[:1] != b"\xff" or value[9] != 0x7F:
            return "a 3.x greeting is 64 octets starting with the signature"
        return lint_entry("mech_", value[12:32], known_commands, stypes)
    if kind == "ver":
        return None if len(value) <= 2 and value[0] in (1, 2, 3) else "not a version octet pair"
    if kind == "flags":
        return None if len(value) == 1 and value[0] in (0, 1, 2, 3, 4, 6) else "not a valid 3.x flags octet"
    if kind == "long":
        return None if len(value) == 9 and value[0] & LONG else "not LONG flags then an 8-octet size"
    if kind == "size32":
        return None if len(value) == 4 else "not a 4-octet size"
    if kind == "z85":
        if not set(value) <= set(z85_alphabet()):
            return "a character outside the Z85 alphabet"
        if name.startswith(("z85_group", "z85_hello")) and len(value) % 5:
            return "a Z85 text is a multiple of 5 characters"
        return None
    if kind in ("curve", "ping"):
        return None if len(value) == 2 else "not a 2-octet field"
    if kind in ("mdp", "flp", "zap"):
        # fuzz/fuzz_frame_list.h: a 2-octet big-endian length, then exactly that many octets
        if len(value) < 2 or int.from_bytes(value[:2], "big") != len(value) - 2:
            return "a %s frame's 2-octet length does not count its octets" % kind
        return None
    return "unknown token kind %r (name prefix)" % kind


def lint_properties(value):
    """A well-formed property list (name length, name, 4-octet size, exactly the value)."""
    i = 0
    while i < len(value):
        size = value[i]
        problem = counted_ok(value[i:i + 1 + size], zmetadata.NAME_CHARS, "property name")
        if problem or i + 1 + size + 4 > len(value):
            return problem or "property cut inside its value size"
        i += 1 + size
        length = int.from_bytes(value[i:i + 4], "big")
        i += 4
        if i + length > len(value):
            return "property value size %d runs past the token" % length
        i += length
    return None


def lint_text(text, known_commands, stypes):
    entries, problems = parse(text)
    seen = {}
    for number, name, value in entries:
        if name in seen:
            problems.append((number, "duplicate name %r (line %d)" % (name, seen[name])))
        seen[name] = number
        why = lint_entry(name, value, known_commands, stypes)
        if why:
            problems.append((number, "%s: %s" % (name, why)))
    return entries, problems


def lint_files(paths):
    known_commands, stypes = set(command_names()), set(socket_types())
    bad = 0
    for path in paths:
        entries, problems = lint_text(Path(path).read_text(), known_commands, stypes)
        for number, message in problems:
            print("%s:%d: %s" % (path, number, message))
        bad += len(problems)
        if not entries:
            print("%s:0: no entries" % path)
            bad += 1
    return bad


# --------------------------------------------------------------------------

def main(argv=None):
    ap = argparse.ArgumentParser(description="Generate and lint the fuzz dictionaries.")
    ap.add_argument("--check", action="store_true",
                    help="lint fuzz/dict/*.dict and fail if they differ from what would be generated")
    ap.add_argument("--lint", nargs="+", metavar="FILE", help="lint these dictionary files only")
    args = ap.parse_args(argv)

    if args.lint:
        bad = lint_files(args.lint)
        print("make_dicts: %d files linted, %d problems" % (len(args.lint), bad))
        return 1 if bad else 0

    texts = {t: render(t, entries) for t, entries in dictionaries().items()}
    if args.check:
        bad = 0
        for target, text in texts.items():
            path = DICT_DIR / ("%s.dict" % target)
            if not path.exists() or path.read_text() != text:
                print("%s:0: stale: run /usr/bin/python3 fuzz/make_dicts.py" % path.relative_to(ROOT))
                bad += 1
        bad += lint_files([DICT_DIR / ("%s.dict" % t) for t in TARGETS if (DICT_DIR / ("%s.dict" % t)).exists()])
        print("make_dicts: %d dictionaries checked, %d problems" % (len(texts), bad))
        return 1 if bad else 0

    DICT_DIR.mkdir(exist_ok=True)
    for target, text in texts.items():
        (DICT_DIR / ("%s.dict" % target)).write_text(text)
    bad = lint_files([DICT_DIR / ("%s.dict" % t) for t in TARGETS])
    print("make_dicts: %d dictionaries written to %s, %d problems" % (len(texts), DICT_DIR.relative_to(ROOT), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
