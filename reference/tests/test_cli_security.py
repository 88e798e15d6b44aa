"""`zwire keygen` and the security options of `zwire peer` as a person uses
them: --help, bad invocations (each refused with a reason, exit status 3),
and a PLAIN and a CURVE exchange between two zwire peers over ipc with
--print-auth.  Interop with libzmq is reference/tests/interop.

Runs the binary named by ZWIRE (default build/bin/zwire)."""

import os
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]
ZWIRE = os.environ.get("ZWIRE", str(ROOT / "build" / "bin" / "zwire"))

# zmq_curve(7)'s published pairs.
SERVER_PUBLIC = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"
SERVER_SECRET = "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6"
CLIENT_PUBLIC = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID"
CLIENT_SECRET = "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs"


def zwire(*args, timeout=20):
    return subprocess.run([ZWIRE, *args], capture_output=True, text=True, timeout=timeout)


def test_keygen_makes_a_pair_in_z85():
    r = zwire("keygen")
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert [line.split(": ")[0] for line in lines] == ["public", "secret"]
    public, secret = (line.split(": ")[1] for line in lines)
    assert len(public) == len(secret) == 40
    assert zwire("keygen", "--public-of", secret).stdout.strip() == public


def test_keygen_public_of_the_published_pair_and_bad_input():
    assert zwire("keygen", "--public-of", SERVER_SECRET).stdout.strip() == SERVER_PUBLIC
    for args in (("--public-of", "short"), ("--public-of",), ("--bogus",)):
        r = zwire("keygen", *args)
        assert r.returncode == 3 and r.stderr
    assert "Z85" in zwire("keygen", "--help").stdout


def test_peer_help_lists_the_security_options():
    out = zwire("peer", "--help").stdout
    for word in ("--plain-server", "--plain-user", "--curve-server", "--curve-secret",
                 "--curve-serverkey", "--allow", "--deny", "--plain-users", "--curve-allow",
                 "--zap-none", "--print-auth"):
        assert word in out


def test_peer_refuses_servers_without_a_policy_and_bad_keys(tmp_path):
    ep = ["--type", "PULL", "--bind", "ipc://%s/x" % tmp_path]
    cases = [
        (["--plain-server"], "--plain-users"),
        (["--curve-server", "--curve-secret", SERVER_SECRET], "--curve-allow"),
        (["--curve-server", "--curve-allow-any"], "--curve-secret"),
        (["--curve-server", "--curve-secret", "not-a-key", "--curve-allow-any"], "40 Z85"),
        (["--plain-user", "a b", "--plain-password", "x"], "VCHAR"),
        (["--plain-server", "--curve-serverkey", SERVER_PUBLIC, "--zap-none"], "choose one"),
        (["--plain-server", "--plain-users", str(tmp_path / "missing")], "cannot read"),
        (["--zap-domain", ""], "--zap-domain"),
    ]
    for extra, said in cases:
        r = zwire("peer", *ep, *extra)
        assert r.returncode == 3, extra
        assert said in r.stderr, (extra, r.stderr)


def exchange(tmp_path, server_args, client_args):
    """One message from a zwire PUSH to a zwire PULL; the PULL's output and log."""
    endpoint = "ipc://%s/sec.sock" % tmp_path
    server = subprocess.Popen([ZWIRE, "peer", "--type", "PULL", "--bind", endpoint,
                               "--print-auth", "--count", "1", *server_args],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    client = zwire("peer", "--type", "PUSH", "--connect", endpoint, "--send", "hi",
                   *client_args)
    try:
        out, err = server.communicate(timeout=10)
    finally:
        server.kill()
    return client, out, err


def test_plain_between_two_peers_with_a_password_file(tmp_path):
    users = tmp_path / "users"
    users.write_text("admin:secret\nguest:guest\n")
    client, out, _ = exchange(tmp_path, ["--plain-server", "--plain-users", str(users)],
                              ["--plain-user", "admin", "--plain-password", "secret"])
    assert client.returncode == 0
    assert out == "PLAIN admin - | 6869\n"


def test_curve_between_two_peers_with_an_allowed_key(tmp_path):
    client, out, _ = exchange(tmp_path, ["--curve-server", "--curve-secret", SERVER_SECRET,
                                         "--curve-allow", CLIENT_PUBLIC],
                              ["--curve-serverkey", SERVER_PUBLIC,
                               "--curve-secret", CLIENT_SECRET])
    assert client.returncode == 0
    assert out == "CURVE %s %s | 6869\n" % (CLIENT_PUBLIC, CLIENT_PUBLIC)
