"""Rules of 37/ZMTP checked octet by octet with a raw peer: what the subject
accepts that it must accept, refuses what it must refuse, and how it treats
an ERROR.

Clauses: zmtp31.greeting.padding-no-meaning, zmtp31.metadata.exchange,
zmtp31.resource.accept-all, zmtp31.metadata.other-properties,
zmtp31.identity.length, zmtp31.error.fatal, zmtp31.version.accept-higher."""

import socket
import time

import pytest

import rawzmtp as Z
from peers import TCP_ANY, port_of

pytestmark = pytest.mark.zwire_only     # log lines and stats of the subject


def raw_to(peer):
    return Z.RawClient("127.0.0.1", port_of(peer.endpoint))


def test_padding_means_nothing(spawn):
    """zmtp31.greeting.padding-no-meaning: any padding, the same handshake."""
    pull = spawn("subject", "PULL", bind=[TCP_ANY])
    raw = raw_to(pull)
    raw.send(Z.greeting(padding=b"\xa5" * 8) + Z.ready(b"PUSH"))
    raw._pump_until(lambda: any(n == b"READY" for n, _ in Z.commands_in(raw.received)), 3.0)
    raw.send(Z.frame(b"ok"))
    assert pull.recv() == [b"ok"]
    raw.close()


def test_higher_minor_version_is_accepted(spawn):
    """zmtp31.version.accept-higher: a 3.2 peer is talked to as 3.1."""
    pull = spawn("subject", "PULL", bind=[TCP_ANY])
    raw = raw_to(pull)
    raw.send(Z.greeting(minor=2) + Z.ready(b"PUSH"))
    raw._pump_until(lambda: any(n == b"READY" for n, _ in Z.commands_in(raw.received)), 3.0)
    raw.send(Z.frame(b"ok"))
    assert pull.recv() == [b"ok"]
    raw.close()


def test_resource_and_application_properties_are_accepted(spawn):
    """zmtp31.resource.accept-all: a server takes any Resource; other properties
    (zmtp31.metadata.other-properties) are carried, never refused
    (zmtp31.metadata.exchange)."""
    pull = spawn("subject", "PULL", bind=[TCP_ANY])
    raw = raw_to(pull)
    extra = Z.prop(b"Resource", b"some/where") + Z.prop(b"X-Anything", b"\x00\xff" * 100)
    raw.send(Z.greeting() + Z.ready(b"PUSH", extra=extra))
    raw._pump_until(lambda: any(n == b"READY" for n, _ in Z.commands_in(raw.received)), 3.0)
    raw.send(Z.frame(b"ok"))
    assert pull.recv() == [b"ok"]
    raw.close()


def test_identity_over_255_octets_is_refused(spawn):
    """zmtp31.identity.length: an Identity is 0..255 octets; 256 is refused with ERROR."""
    router = spawn("subject", "ROUTER", bind=[TCP_ANY])
    raw = raw_to(router)
    raw.send(Z.greeting() + Z.ready(b"DEALER", identity=b"i" * 256))
    assert raw.wait_closed(3.0)
    assert Z.error_reason(raw.received) is not None
    assert "invalid-metadata [zmtp31.identity.length]" in router.stderr_text()


def test_error_is_fatal_no_reconnect(spawn):
    """zmtp31.error.fatal: after the peer's ERROR the subject closes and does not
    call again (a reconnect is made after any other loss: test_interop_restart.py)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    listener.settimeout(3.0)
    endpoint = "tcp://127.0.0.1:%d" % listener.getsockname()[1]
    push = spawn("subject", "PUSH", connect=[endpoint], reconnect_ivl=20)
    conn, _ = listener.accept()
    conn.sendall(Z.greeting() + Z.ready(b"PULL") + Z.command(b"ERROR", b"\x07go away"))
    conn.settimeout(3.0)
    while conn.recv(4096):                      # until the subject closes
        pass
    conn.close()
    listener.settimeout(0.5)
    with pytest.raises(socket.timeout):
        listener.accept()                       # 25 retry periods: no new attempt
    listener.close()
    log = push.stderr_text()
    assert 'the peer sent ERROR "go away" [zmtp31.error.fatal]' in log
