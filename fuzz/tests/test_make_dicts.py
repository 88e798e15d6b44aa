"""fuzz/make_dicts.py: the committed dictionaries are current, and the lint catches a
mis-counted token (libzmq's fuzz dictionary carried one, conformance-lessons 7.6)."""

import importlib.util
from pathlib import Path

import pytest

FUZZ = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("make_dicts", FUZZ / "make_dicts.py")
make_dicts = importlib.util.module_from_spec(spec)
spec.loader.exec_module(make_dicts)

COMMANDS = set(make_dicts.command_names())
STYPES = set(make_dicts.socket_types())


def problems(text):
    return make_dicts.lint_text(text, COMMANDS, STYPES)[1]


def test_committed_dictionaries_are_current_and_clean():
    assert make_dicts.main(["--check"]) == 0


def test_every_command_with_a_layout_has_a_counted_token():
    entries = make_dicts.dictionaries()["command"]
    tokens = {value for name, value in entries if name.startswith("cmd_")}
    for name in COMMANDS:
        assert bytes([len(name)]) + name.encode() in tokens


@pytest.mark.parametrize("line", [
    'cmd_cancel="\\x05CANCEL"',            # one short: the libzmq bug
    'cmd_leave="\\x06LEAVE"',              # one long
    'cmd_ready="\\x05READ"',
    'cmd_frob="\\x04FROB"',                # counted, but no such command
    'prop_socket_type="\\x0aSocket-Type"',
    'prop_bad="\\x03a b"',                 # a name octet outside the grammar
    'propval_x="\\x02X-\\x00\\x00\\x00\\x05abc"',
    'frame_cmd_ping="\\x04\\x06\\x04PING"',  # size octet counts one too many
    'mech_null="NULL\\x00"',               # not 20 octets
    'mech_null="NULL\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00A"',
    'stype_foo="FOO"',
    'z85_group_bad="abc,d"',
    'flags_05="\\x05"',
    'mystery="abc"',                       # unknown kind
    'cmd_ping="\\x04PING',                 # syntax: no closing quote
    'cmd_ping="\\q04PING"',                # syntax: bad escape
    'cmd ping="\\x04PING"',                # syntax: name
    'sig=""',                              # empty
])
def test_lint_rejects(line):
    assert problems(line + "\n")


def test_lint_rejects_duplicates():
    assert problems('cmd_ping="\\x04PING"\ncmd_ping="\\x04PING"\n')


def test_lint_accepts_good_lines():
    assert not problems('# comment\n\ncmd_cancel="\\x06CANCEL"\nz85_group_max="%nSc0"\n'
                        'propval_st="\\x0bSocket-Type\\x00\\x00\\x00\\x03REQ"\n')


def test_escape_round_trips_every_octet():
    octets = bytes(range(256))
    line = 'z85_x="%s"' % make_dicts.escape(octets)
    (_, name, value), = make_dicts.parse(line)[0]
    assert name == "z85_x" and value == octets
