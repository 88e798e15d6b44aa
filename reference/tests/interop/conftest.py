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
import signal
import sys

import pytest

HERE = pathlib.Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import peers as P  # noqa: E402

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


@pytest.fixture(autouse=True)
def _subject_available(_zwire_peer_check):
    ok, why = _zwire_peer_check
    if not ok:
        if os.environ.get("ZWIRE_INTEROP_REQUIRE") == "1":
            pytest.fail("interop: " + why)
        pytest.skip("interop: " + why + " (ZWIRE_SUBJECT=libzmq runs the suite on libzmq alone)")


class TestTimeLimit(BaseException):
    """Raised in the test by SIGALRM: a BaseException so that no `except Exception`
    in the test swallows it."""


@pytest.fixture(autouse=True)
def _time_limit(request):
    marker = request.node.get_closest_marker("time_limit")
    limit = float(marker.args[0]) if marker else TEST_TIME_LIMIT

    def expired(signum, frame):
        raise TestTimeLimit("interop test over its %.0f s limit" % limit)

    old = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture
def spawn(request, tmp_path):
    """spawn(role, TYPE, bind=[...], connect=[...], **options) -> a started Peer.

    role: "subject" (the implementation under test), "libzmq" (the pyzmq
    stand-in) or "zwire".  Every peer is ended at teardown (end of input, then
    SIGKILL); a zwire peer whose stderr shows a sanitizer report fails the test.
    """
    started = []
    request.node._interop_peers = started

    def _spawn(role, sock_type, bind=(), connect=(), name=None, **options):
        impl = P.SUBJECT if role == "subject" else role
        if name is None:
            name = "%s%d-%s-%s" % (role, len(started), impl, sock_type)
        peer = P.Peer(impl, sock_type, bind=bind, connect=connect, name=name,
                      workdir=tmp_path, options=options)
        started.append(peer)
        peer.wait_ready()
        return peer

    yield _spawn

    for peer in started:
        peer.cleanup()
    reports = ["%s:\n%s" % (p.name, p.sanitizer_report()) for p in started
               if p.impl == "zwire" and p.sanitizer_report()]
    if reports:
        pytest.fail("sanitizer reports in zwire's stderr:\n" + "\n".join(reports))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        for peer in getattr(item, "_interop_peers", []):
            try:
                text = peer.stderr_text()
            except OSError:
                continue
            report.sections.append(("stderr of %s (pid %d)" % (peer.name, peer.pid),
                                    text[-4000:]))
