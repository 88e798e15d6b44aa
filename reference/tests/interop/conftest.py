"""Fixtures of the interop suite: spawning peers, cleaning them up, a hard time
limit per test (no pytest-timeout plugin assumed), and the peers' stderr in the
report of a failing test.

ZWIRE_SUBJECT=zwire (default) runs the C peer ($ZWIRE, default build/bin/zwire)
against libzmq; ZWIRE_SUBJECT=libzmq puts the pyzmq stand-in in the subject's
seat too.  While $ZWIRE has no `peer` command yet the suite is skipped with
that reason, unless ZWIRE_INTEROP_REQUIRE=1 (then it fails).
"""

import os
import pathlib
import sys

import pytest

HERE = pathlib.Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import peers as P  # noqa: E402

# Short linger for every peer a test starts (unless it asks for another): closing
# a socket with an undeliverable message then costs 200 ms, not the default 1 s.
DEFAULT_LINGER = 200
TEST_TIME_LIMIT = float(os.environ.get("ZWIRE_INTEROP_TEST_LIMIT", "45"))


def pytest_configure(config):
    config.addinivalue_line("markers", "zwire_only: checks behaviour only the zwire peer "
                            "promises (its log lines, its stats after bad input); "
                            "skipped when ZWIRE_SUBJECT=libzmq")
    config.addinivalue_line("markers", "time_limit(seconds): hard limit of one interop test")


def _ours(item):
    try:
        return HERE in pathlib.Path(str(item.fspath)).resolve().parents
    except OSError:
        return False


def pytest_collection_modifyitems(config, items):
    if P.SUBJECT != "zwire":
        skip = pytest.mark.skip(reason="zwire-only check: ZWIRE_SUBJECT=libzmq")
        for item in items:
            if _ours(item) and item.get_closest_marker("zwire_only"):
                item.add_marker(skip)


@pytest.fixture(scope="session")
def _zwire_peer_check():
    return P.zwire_peer_available() if P.SUBJECT == "zwire" else (True, "")


def _require_subject(check):
    ok, why = check
    if not ok:
        if os.environ.get("ZWIRE_INTEROP_REQUIRE") == "1":
            pytest.fail("interop: " + why)
        pytest.skip("interop: " + why + " (ZWIRE_SUBJECT=libzmq runs the suite on libzmq alone)")


@pytest.fixture(autouse=True)
def _subject_available(_zwire_peer_check):
    _require_subject(_zwire_peer_check)


@pytest.fixture(autouse=True)
def _time_limit(request):
    marker = request.node.get_closest_marker("time_limit")
    with P.hard_time_limit(float(marker.args[0]) if marker else TEST_TIME_LIMIT):
        yield


class Spawner:
    """Starts peers and ends them all in finish()."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.started = []

    def __call__(self, role, sock_type, bind=(), connect=(), name=None, **options):
        impl = P.SUBJECT if role == "subject" else role
        options.setdefault("linger", DEFAULT_LINGER)
        if name is None:
            name = "%s%d-%s-%s" % (role, len(self.started), impl, sock_type)
        peer = P.Peer(impl, sock_type, bind=bind, connect=connect, name=name,
                      workdir=self.workdir, options=options)
        self.started.append(peer)
        peer.wait_ready()
        return peer

    def finish(self):
        """Ends every peer; a zwire peer that reports a sanitizer error, or that does
        not exit 0 at end of input (which behaves as `close`), fails the test."""
        P.cleanup_all(self.started)
        problems = []
        for p in self.started:
            if p.impl != "zwire":
                continue
            report = p.sanitizer_report()
            if report:
                problems.append("%s: sanitizer report:\n%s" % (p.name, report))
            if not p.killed and p.exit_status != 0:
                problems.append("%s: exit status %r at end of input (stderr tail:\n%s)" % (
                    p.name, p.exit_status, p.stderr_text()[-2000:]))
        if problems:
            pytest.fail("zwire peers:\n" + "\n".join(problems))


@pytest.fixture
def spawn(request, tmp_path):
    """spawn(role, TYPE, bind=[...], connect=[...], **options) -> a started Peer.

    role: "subject" (the implementation under test), "libzmq" (the pyzmq
    stand-in) or "zwire".  Options are the command-line options of
    peer-control.md (heartbeat_ivl=100 -> --heartbeat-ivl 100).  Every peer is
    ended at teardown (end of input, then SIGKILL); a zwire peer whose stderr
    shows a sanitizer report, or that does not exit 0, fails the test.
    """
    spawner = Spawner(tmp_path)
    request.node._interop_peers = spawner.started
    yield spawner
    spawner.finish()


@pytest.fixture(scope="module")
def module_spawn(request, tmp_path_factory, _zwire_peer_check):
    """spawn for module-scoped fixtures (peers shared by the tests of a module)."""
    _require_subject(_zwire_peer_check)
    spawner = Spawner(tmp_path_factory.mktemp(request.module.__name__))
    request.module._interop_peers = spawner.started
    yield spawner
    spawner.finish()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        peers = list(getattr(item, "_interop_peers", []))
        peers += getattr(item.module, "_interop_peers", []) if item.module else []
        for peer in peers:
            try:
                text = peer.stderr_text()
            except OSError:
                continue
            report.sections.append(("stderr of %s (pid %d)" % (peer.name, peer.pid),
                                    text[-4000:]))
