"""The command line of the suite: `/usr/bin/python3 -m zwire_conformance`.

It selects cases (those of the protocol and role under test: ZMTP through an adapter, or
a role of Majordomo or Freelance started from its command line, launch.py), checks the
adapter (the
pre-flight of selftest.py: its hello, an unknown op answered "unsupported" with exit 127,
open, bind, timeouts, quit) or starts the implementation once, runs each
selected case as one pytest item (so pytest's selection, output and -x work as usual),
writes the reports, and exits 0 (no FAIL), 1 (a FAIL not in the baseline, or with
--strict a PASS-NONSTRICT), 2 (a harness error) or 3 (bad invocation).  --self-test runs
every check of the adapter contract instead, and no case.
"""

import argparse
import concurrent.futures
import fnmatch
import json
import os
import sys
import time

import shlex

import pytest

from . import freelance
from . import launch
from . import majordomo
from . import report as R
from . import verdict as V
from . import selftest
from . import suitebroker
from .adapter import AdapterError
from .case import CASES
from .runner import ROOT, load_registry, run_case
from .wire import Clock
from . import cases

CASE_MODULES = cases.__all__        # importing them registered every case

SUITE_VERSION = "0.1.0"

SHIPPED = {
    "zwire": [os.path.join(ROOT, "build", "bin", "zwire"), "adapter"],
    # the reference stack speaking only ZMTP 2.0: a stand-in for a 2.0-only binding
    "zwire-2.0": [os.path.join(ROOT, "build", "bin", "zwire"), "adapter", "--zmtp", "2.0"],
    "libzmq": ["/usr/bin/python3", os.path.join(ROOT, "conformance", "adapters",
                                                "libzmq_adapter.py")],
}

# Shipped implementations of a role above ZMTP, started from their command line (launch.py).
ZWIRE = shlex.quote(os.path.join(ROOT, "build", "bin", "zwire"))
SHIPPED_ROLES = {
    "zwire-mdp-broker": {
        "protocol": "mdp", "role": "broker",
        "command": ZWIRE + " mdp broker --bind {endpoint} --heartbeat {heartbeat_ms} "
                   "--liveness {liveness} --request-expiry {request_expiry_ms}"},
}
# The worker and the client under test, the suite playing the broker (suitebroker.py): the
# worker answers each request with its body, holding one whose body is `sleep:S` for S
# seconds (ADAPTER.md); the client through its JSON-lines adapter.
WORKER_EXEC = 'b=$(cat); case "$b" in sleep:*) sleep "${b#sleep:}";; esac; printf %s "$b"'
SHIPPED_ROLES.update({
    "zwire-mdp-worker": {
        "protocol": "mdp", "role": "worker",
        "command": ZWIRE + " mdp worker echo --connect {endpoint} --version {mdp_version} "
                   "--heartbeat {heartbeat_ms} --liveness {liveness} --reconnect {reconnect_ms} "
                   "--exec " + shlex.quote(WORKER_EXEC)},
    "zwire-mdp-client": {
        "protocol": "mdp", "role": "client",
        "command": "/usr/bin/python3 " + shlex.quote(os.path.join(
            ROOT, "conformance", "adapters", "mdp_client_adapter.py")) + " --zwire " + ZWIRE
                   + " --connect {endpoint} --version {mdp_version}"},
})
# Freelance (10/FLP): the server under test, the suite playing clients (freelance.py); the
# client under test, the suite playing servers (its launcher and probe in launch.SIDES),
# driven through its --lines protocol (ADAPTER.md).
SHIPPED_ROLES.update({
    "zwire-fl-server": {
        "protocol": "flp", "role": "server",
        "command": ZWIRE + " fl server --bind {endpoint} --echo"},
    "zwire-fl-client": {
        "protocol": "flp", "role": "client",
        "command": ZWIRE + " fl client --connect {endpoints} --ping-interval {ping_interval_ms} "
                   "--liveness {liveness} --timeout {timeout_ms} --retries {retries} --lines"},
})
PROTOCOLS = {"zmtp": (None,), "mdp": ("broker",) + suitebroker.ROLES,
             "flp": ("server", "client")}
PROBES = {("mdp", "broker"): majordomo.probe_broker, ("flp", "server"): freelance.probe_server}
PROBES.update({("mdp", role): probe for role, probe in suitebroker.PROBES.items()})

EPILOG = """\
adapters: --implementation zwire | libzmq runs a shipped adapter; --adapter "COMMAND"
  runs yours (conformance/ADAPTER.md says how to write one); --self-test checks an
  adapter against that contract, op by op, and runs no case.
majordomo: --implementation zwire-mdp-broker, or --protocol mdp --role broker --command
  "my-broker --bind {endpoint} --heartbeat {heartbeat_ms} --liveness {liveness}": the
  suite starts the command for each case, with {endpoint} a free port of 127.0.0.1 and the
  timers the case wants ({request_expiry_ms} too), and plays clients and workers against
  it; fixed values are declared instead (--endpoint, --heartbeat-ms, --liveness,
  --request-expiry-ms).  ADAPTER.md, "Majordomo: the implementation under test from a
  command line".
  --implementation zwire-mdp-worker | zwire-mdp-client, or --role worker / client with
  --command: the suite listens and plays the broker; {endpoint} is where it listens,
  {mdp_version} the case's version, a worker's timers {heartbeat_ms}, {liveness},
  {reconnect_ms} (or --reconnect-ms); a client runs through a JSON-lines adapter.
  ADAPTER.md, "Majordomo: a worker or a client under test".
freelance: --implementation zwire-fl-server, or --protocol flp --role server --command
  "my-server --bind {endpoint}": the suite starts the command for each case and plays
  clients (ROUTER, no Identity); the server should echo each request's body; its Identity
  must be {endpoint}, octet for octet.  ADAPTER.md, "Freelance: a server under test".
  --implementation zwire-fl-client, or --role client --command "my-client --connect
  {endpoints} ... --lines": the suite plays the servers, listening at {endpoints}, and
  drives the client through its --lines protocol; timers {ping_interval_ms}, {liveness},
  {timeout_ms}, {retries} (or --ping-interval-ms, --liveness, --timeout-ms, --retries).
  ADAPTER.md, "Freelance: a client under test".
exit status: 0 no FAIL; 1 a FAIL that the baseline does not expect (with --strict, also
  a PASS-NONSTRICT); 2 harness error (the suite or the adapter contract broke);
  3 bad invocation; 4 (with --repeat) a case whose verdict changed between runs.
"""


def parse(argv):
    p = argparse.ArgumentParser(prog="python3 -m zwire_conformance",
                                description="The zwire ZMTP conformance suite: plays the raw "
                                "peer against an implementation driven by its adapter and "
                                "gives a verdict per case, derived from the RFC clauses.",
                                epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    who = p.add_mutually_exclusive_group()
    who.add_argument("--implementation", choices=sorted(SHIPPED) + sorted(SHIPPED_ROLES),
                     help="run a shipped adapter, or a shipped implementation of a role")
    who.add_argument("--adapter", metavar="COMMAND", help="the command that starts your adapter")
    who.add_argument("--command", metavar="TEMPLATE",
                     help="the command line that starts your implementation of a role above "
                          "ZMTP (--protocol mdp or flp), with placeholders {endpoint}, "
                          "{heartbeat_ms}, {liveness}, {request_expiry_ms} (a Majordomo "
                          "broker), {endpoints}, {ping_interval_ms}, {timeout_ms}, {retries} "
                          "(a Freelance client), ... (ADAPTER.md)")
    role = p.add_argument_group("a role above ZMTP, started from its command line")
    role.add_argument("--protocol", choices=sorted(PROTOCOLS),
                      help="the protocol under test (default zmtp; mdp with --command; flp "
                           "for 10/FLP, Freelance)")
    role.add_argument("--role", choices=sorted({r for rs in PROTOCOLS.values() for r in rs
                                                if r}),
                      help="the role the implementation plays (mdp: broker, the default, "
                           "worker or client; flp: server, the default, or client); the "
                           "suite plays the others")
    role.add_argument("--endpoint", metavar="ENDPOINT",
                      help="where the implementation listens, when the command fixes it "
                           "(no {endpoint}): cases then run one at a time")
    role.add_argument("--heartbeat-ms", type=int, metavar="MS",
                      help="its heartbeat interval, when the command fixes it")
    role.add_argument("--liveness", type=int, metavar="N",
                      help="its liveness (silent intervals before a peer is gone), when the "
                           "command fixes it; undeclared, the suite assumes 5 and reports "
                           "a later expiry, never judges it (DECISIONS M3)")
    role.add_argument("--request-expiry-ms", type=int, metavar="MS",
                      help="how long it keeps a request for a service with no worker, when "
                           "the command fixes it")
    role.add_argument("--reconnect-ms", type=int, metavar="MS",
                      help="a worker's delay before it connects again, when the command "
                           "fixes it; undeclared, a late reconnect is reported, not judged")
    role.add_argument("--ping-interval-ms", type=int, metavar="MS",
                      help="a Freelance client's interval between pings, when the command "
                           "fixes it")
    role.add_argument("--timeout-ms", type=int, metavar="MS",
                      help="a Freelance client's wait for a reply, per attempt, when the "
                           "command fixes it")
    role.add_argument("--retries", type=int, metavar="N",
                      help="a Freelance client's attempts after the first, when the command "
                           "fixes it")
    role.add_argument("--mdp-versions", default="0.1,0.2", metavar="LIST",
                      help="the MDP versions it speaks (default 0.1,0.2)")
    role.add_argument("--no-mmi", action="store_true",
                      help="it does not implement 8/MMI (the mmi cases are UNSUPPORTED)")
    p.add_argument("--name", help="the implementation's name in reports (default: from the hello)")
    p.add_argument("--case", action="append", default=[], metavar="GLOB",
                   help="only cases whose id matches (repeatable), e.g. 'zmtp.greeting.*'")
    p.add_argument("--area", action="append", default=[], help="only cases of this area")
    p.add_argument("--clause", action="append", default=[], help="only cases citing this clause")
    p.add_argument("--profile", choices=V.PROFILES, default="rfc-strict",
                   help="recorded in the report; no case verdict depends on it, since what "
                        "the RFCs leave to the receiver is reported under every profile "
                        "(spec/leniency.md decides what is judged)")
    p.add_argument("--strict", action="store_true", help="PASS-NONSTRICT fails the run")
    p.add_argument("--baseline", metavar="FILE",
                   help="expected failures, each with its reason (conformance/baselines/)")
    p.add_argument("--timeout-multiplier", type=float, default=1.0, metavar="X",
                   help="multiply every wait (slow machines, sanitizer builds)")
    p.add_argument("--report-dir", metavar="DIR",
                   help="where reports go (default build/reports/<implementation>)")
    p.add_argument("--write-baseline", metavar="FILE",
                   help="after the run, write a baseline of its FAILs and PASS-NONSTRICTs to "
                        "FILE: the broken clauses and their RFC sentences filled in, the "
                        "reasons kept from --baseline where it has them, else left to write")
    p.add_argument("--list", action="store_true", help="list the selected cases and exit")
    p.add_argument("--json", action="store_true", help="with --list: as JSON")
    p.add_argument("--self-test", action="store_true",
                   help="check the adapter against ADAPTER.md, op by op (one line per check, "
                        "with what to fix), run no case, exit 0 only if every check passes; "
                        "a quick part of it runs before every suite run")
    p.add_argument("-j", "--jobs", type=int, default=4 * (os.cpu_count() or 1), metavar="N",
                   help="cases run at once (default: 4 per CPU, since a case mostly waits on "
                        "the wire; each case has its own adapter, ports and connections)")
    p.add_argument("--repeat", type=int, default=1, metavar="N",
                   help="run every case N times and report each case whose verdict or "
                        "robustness changes between runs (unstable); the report shows a "
                        "case's worst run")
    p.add_argument("-x", "--exitfirst", action="store_true",
                   help="stop at the first FAIL (runs one case at a time)")
    p.add_argument("-q", "--quiet", action="store_true")
    return p, p.parse_args(argv)


def target(args):
    """(protocol, role) under test: a shipped role's, else --protocol and --role (mdp with
    --command; the mdp role defaults to broker, the flp role to server; ZMTP has no role of
    this kind)."""
    if args.implementation in SHIPPED_ROLES:
        shipped = SHIPPED_ROLES[args.implementation]
        return shipped["protocol"], shipped["role"]
    protocol = args.protocol or ("mdp" if args.command else "zmtp")
    return protocol, args.role or PROTOCOLS[protocol][0]


def select(args, registry):
    protocol, role = target(args)
    chosen = []
    for c in CASES:
        if (c.needs.get("protocol", "zmtp"), c.needs.get("role")) != (protocol, role):
            continue
        if args.case and not any(fnmatch.fnmatchcase(c.id, g) or fnmatch.fnmatchcase(c.slug, g)
                                 for g in args.case):
            continue
        if args.area and c.area not in args.area:
            continue
        if args.clause and not set(args.clause) & set(c.clauses):
            continue
        chosen.append(c)
    return chosen


def list_cases(chosen, registry, as_json):
    if as_json:
        json.dump([{"id": c.id, "area": c.area, "title": c.title, "role": c.role,
                    "clauses": c.clauses, "needs": c.needs} for c in chosen], sys.stdout, indent=1)
        print()
    else:
        for c in chosen:
            print("%-58s %s" % (c.id, ", ".join(c.clauses)))
        needed = {}
        for c in chosen:
            version = (" and ".join(c.needs["mdp"]) if c.needs.get("mdp")
                       else " or ".join(c.needs.get("zmtp") or ["any"]))
            needed[version] = needed.get(version, 0) + 1
        protocol = "MDP" if any(c.needs.get("mdp") for c in chosen) else "ZMTP"
        if any(c.needs.get("protocol") == "flp" for c in chosen):
            print("%d cases of 10/FLP (the suite speaks ZMTP 3.1 to the implementation)"
                  % len(chosen))
            return
        print("%d cases (%d scenarios, each in its roles); by the %s version they need: %s"
              % (len(chosen), len({c.slug for c in chosen}), protocol,
                 ", ".join("%s %d" % item for item in sorted(needed.items(), reverse=True))))


def load_baseline(path):
    if not path:
        return {}
    with open(path) as f:
        data = json.load(f)
    return {e["case"]: e for e in data.get("entries", [])}


class Plugin:
    """Makes each selected case a pytest item and keeps its result.  With jobs > 1 every
    case has already run, several at a time, before pytest reports them in order."""

    def __init__(self, chosen, run_one, jobs=1):
        self.chosen = {c.id: c for c in chosen}
        self.run_one = run_one
        self.results = []
        self.done = {}
        if jobs > 1:
            with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
                for case_id, result in zip(self.chosen, pool.map(run_one, chosen)):
                    self.done[case_id] = result

    def pytest_generate_tests(self, metafunc):
        if "zw_case_id" in metafunc.fixturenames:
            metafunc.parametrize("zw_case_id", list(self.chosen), ids=list(self.chosen))

    def run(self, case_id):
        result = self.done.pop(case_id, None) or self.run_one(self.chosen[case_id])
        self.results.append(result)
        return result


PLUGIN = None


def main(argv=None):
    parser, args = parse(argv)
    registry = load_registry()
    chosen = select(args, registry)
    if args.list:
        list_cases(chosen, registry, args.json)
        return 0
    for flag, value in (("--jobs", args.jobs), ("--repeat", args.repeat)):
        if value < 1:
            parser.print_usage(sys.stderr)
            print("zwire_conformance: %s must be at least 1" % flag, file=sys.stderr)
            return 3
    if not (args.implementation or args.adapter or args.command):
        parser.print_usage(sys.stderr)
        print("zwire_conformance: give --implementation, --adapter or --command (see --help)",
              file=sys.stderr)
        return 3
    clock = Clock(args.timeout_multiplier)
    try:
        launcher = make_launcher(args)
    except (launch.BadCommand, ValueError) as e:
        parser.print_usage(sys.stderr)
        print("zwire_conformance: %s" % e, file=sys.stderr)
        return 3
    if launcher is not None:
        return run_role(args, launcher, chosen, registry, clock)
    command = SHIPPED[args.implementation] if args.implementation else args.adapter
    if args.self_test:
        return self_test(command, clock)
    try:
        hello = selftest.preflight(command, clock)
        baseline = load_baseline(args.baseline)
    except AdapterError as e:
        print("zwire_conformance: the adapter cannot be trusted: %s" % e, file=sys.stderr)
        return 2
    except (OSError, ValueError) as e:
        print("zwire_conformance: %s" % e, file=sys.stderr)
        return 3
    name = args.name or hello.get("implementation", {}).get("name", "implementation")
    text = command if isinstance(command, str) else " ".join(command)
    return run_suite(args, chosen, registry, clock, command, hello, name,
                     speaks_line(name, hello.get("capabilities", {})), text, baseline,
                     args.jobs)


def make_launcher(args):
    """The launch.Launcher of a role under test (a shipped one or --command), or None for
    an adapter.  Raises BadCommand / ValueError for a bad invocation."""
    protocol, role = target(args)
    if args.adapter and protocol != "zmtp":
        raise ValueError("--adapter drives ZMTP sockets; --protocol %s takes --command" % protocol)
    if args.implementation in SHIPPED or args.adapter:
        return None
    if protocol == "zmtp":
        raise ValueError("--command starts an implementation of a role above ZMTP: give "
                         "--protocol mdp or flp")
    if role not in PROTOCOLS[protocol]:
        raise ValueError("--protocol %s has no role %s (it has %s)"
                         % (protocol, role, ", ".join(PROTOCOLS[protocol])))
    shipped = SHIPPED_ROLES.get(args.implementation)
    command = shipped["command"] if shipped else args.command
    declared = {"heartbeat_ms": args.heartbeat_ms, "liveness": args.liveness,
                "request_expiry_ms": args.request_expiry_ms}
    kind, probe = launch.Launcher, PROBES.get((protocol, role))
    if protocol == "flp":
        capabilities = {"flp": True}
        declared = {"liveness": args.liveness, "ping_interval_ms": args.ping_interval_ms,
                    "timeout_ms": args.timeout_ms, "retries": args.retries}
    else:
        versions = [v.strip() for v in args.mdp_versions.split(",") if v.strip()]
        if not versions or set(versions) - set(majordomo.VERSIONS):
            raise ValueError("--mdp-versions takes 0.1 and / or 0.2, not %r"
                             % args.mdp_versions)
        capabilities = {"mdp": versions, "mmi": not args.no_mmi}
    if protocol == "mdp" and role in suitebroker.ROLES:     # the suite plays the broker
        kind, declared = suitebroker.PeerLauncher, dict(declared, reconnect_ms=args.reconnect_ms)
    elif (protocol, role) in launch.SIDES:                  # the suite plays the other roles
        kind, probe = launch.SIDES[protocol, role]
    if probe is None:
        raise ValueError("the suite cannot play the peers of a %s %s yet" % (protocol, role))
    return kind(
        protocol, role, command, capabilities,
        endpoint=args.endpoint, name=args.name or args.implementation,
        declared=declared, probe=probe)


def run_role(args, launcher, chosen, registry, clock):
    """A role under test from its command line: started once before any case (it must get
    ready and stop on SIGTERM), then once per case."""
    try:
        launch.preflight(launcher, clock)
        baseline = load_baseline(args.baseline)
    except AdapterError as e:
        print("zwire_conformance: the implementation cannot be started: %s" % e, file=sys.stderr)
        return 2
    except (OSError, ValueError) as e:
        print("zwire_conformance: %s" % e, file=sys.stderr)
        return 3
    if args.self_test:
        print("started and stopped %s: it was ready at %s (--self-test checks adapters; "
              "this is all a command line needs)" % (launcher.describe(), launcher.ready_at))
        return 0
    hello = launcher.hello()
    jobs = args.jobs if launcher.parallel else 1
    return run_suite(args, chosen, registry, clock, launcher, hello, launcher.name,
                     role_line(launcher), launcher.describe(), baseline, jobs,
                     {"protocol": launcher.protocol, "role": launcher.role})


def role_line(launcher):
    """The report's first line about a role under test: what it speaks, what that leaves
    out, and who the suite plays."""
    caps = launcher.capabilities
    if launcher.protocol == "flp":
        line = "%s is a Freelance %s (10/FLP); the suite plays %s" % (
            launcher.name, launcher.role, "clients (ROUTER sockets with no Identity, over "
            "ZMTP 3.1)" if launcher.role == "server" else "the servers it connects to")
        unknown = [t for t, v in launcher.timers().items() if v is None]
        if unknown:
            line += "; no value for %s: the cases that need one are UNSUPPORTED" % ", ".join(
                "{%s}" % t for t in unknown)
        return line
    mmi = " and 8/MMI" if caps.get("mmi") else " without 8/MMI (the mmi cases are UNSUPPORTED)"
    line = "%s is a Majordomo %s speaking MDP %s%s; the suite plays %s" % (
        launcher.name, launcher.role, ", ".join(caps["mdp"]),
        mmi if launcher.role == "broker" else "",
        "clients and workers" if launcher.role == "broker" else "the broker")
    unknown = [t for t, v in launcher.timers().items() if v is None]
    if unknown:
        line += "; no value for %s: the cases that need one are UNSUPPORTED" % ", ".join(
            "{%s}" % t for t in unknown)
    return line


def run_suite(args, chosen, registry, clock, implementation, hello, name, speaks, command_text,
              baseline, jobs, suite=None):
    """Runs the chosen cases against an adapter command or a launcher, writes the reports,
    returns the exit status."""
    global PLUGIN
    capabilities = hello.get("capabilities", {})
    print(speaks)
    started = time.time()
    run_one = repeated(lambda c: run_case(c, implementation, registry, args.profile, clock,
                                          baseline, capabilities), args.repeat)
    PLUGIN = Plugin(chosen, run_one, 1 if args.exitfirst else jobs)
    pytest_args = [os.path.join(os.path.dirname(__file__), "pytest_cases.py"),
                   "-p", "no:cacheprovider", "-q" if args.quiet else "-rfE"]
    if args.exitfirst:
        pytest_args.append("-x")
    pytest.main(pytest_args, plugins=[PLUGIN])
    results = PLUGIN.results
    meta = {"suite": dict({"name": "zwire-conformance", "version": SUITE_VERSION}, **(suite or {})),
            "implementation": dict(hello.get("implementation", {}), name=name),
            "adapter": {"command": command_text, "capabilities": capabilities},
            "speaks": speaks, "profile": args.profile, "strict": args.strict,
            "timeoutMultiplier": args.timeout_multiplier, "repeat": args.repeat,
            "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
            "seconds": round(time.time() - started, 1)}
    rep = R.build(results, meta)
    directory = args.report_dir or os.path.join(ROOT, "build", "reports", name)
    R.write_all(rep, directory)
    if args.write_baseline:
        with open(args.write_baseline, "w") as f:
            json.dump(baseline_skeleton(rep, baseline), f, indent=1)
            f.write("\n")
        print("baseline: %s (fill in every reason that says TODO)" % args.write_baseline)
    print(R.matrix([rep]))
    print("reports: %s/{report.json,junit.xml,summary.md,index.html}" % directory)
    unstable = [r for r in results if r.get("unstable")]
    if args.repeat > 1:
        print("stability: %d runs of each of %d cases, %d unstable"
              % (args.repeat, len(results), len(unstable)))
        for r in unstable:
            print("  unstable: %s: %s" % (r["id"], ", ".join(
                "%s%s" % (v, " (robustness %s)" % rb if rb else "") for v, rb in r["runs"])))
    verdicts = [r["verdict"] for r in results if r not in R.unexpected_fails(results)
                and r["verdict"] != V.FAIL] + [r["verdict"] for r in R.unexpected_fails(results)]
    status = V.exit_status(verdicts, args.strict,
                           [r.get("robustness") for r in R.robustness_problems(results)
                            if (r.get("baseline") or {}).get("robustness") != r["robustness"]])
    return status or (4 if unstable else 0)


def repeated(run_one, times):
    """run_one, `times` times over: the result of the worst run (so that a verdict seen
    once is never hidden), with every run's verdict and robustness in "runs", and
    "unstable" set when they differ."""
    if times == 1:
        return run_one

    def run(case_):
        results = [run_one(case_) for _ in range(times)]
        shown = max(results, key=lambda r: V.rank(r["verdict"]))
        shown["runs"] = [[r["verdict"], r.get("robustness")] for r in results]
        shown["unstable"] = len({tuple(run) for run in shown["runs"]}) > 1
        return shown
    return run


TODO = "TODO: why this implementation does this"


def baseline_skeleton(report, old):
    """A baseline for the run's FAILs and PASS-NONSTRICTs: per case, the clauses it broke
    with their RFC sentences, and the reason of the old baseline's entry for the same case
    and verdict, or TODO followed by what the suite saw (the case's headline), to help
    whoever writes the reason."""
    impl = report["implementation"]
    entries = []
    for case_ in report["cases"]:
        if case_["verdict"] not in (V.FAIL, V.PASS_NONSTRICT):
            continue
        broken = [e for e in case_["expectations"] if e["verdict"] == case_["verdict"]]
        rfc = {c["id"]: c.get("rfc", "") for c in case_["clauses"]}
        before = old.get(case_["id"], {})
        entries.append({
            "case": case_["id"], "verdict": case_["verdict"],
            "clauses": sorted({e["clause"] for e in broken}),
            "rfc": sorted({rfc.get(e["clause"], "") for e in broken} - {""}),
            "reason": before.get("reason") if before.get("verdict") == case_["verdict"]
            else "%s (the suite saw: %s)" % (TODO, R.headline_text(case_))})
    return {"implementation": impl.get("name"), "version": impl.get("version", ""),
            "about": "Known deviations of %s from the RFCs as the suite observes them on the "
                     "wire: each entry the case, the verdict expected, the clauses it breaks "
                     "with their RFC sentences, and why." % impl.get("name"),
            "entries": entries}


def self_test(command, clock):
    """--self-test: every check of selftest.py, one line each; 0 if none FAILs, else 1."""
    print("self-test of the adapter %s (conformance/ADAPTER.md)"
          % (command if isinstance(command, str) else " ".join(command)))
    _, results = selftest.run(command, clock,
                              report=lambda *r: print(selftest.line(*r), flush=True))
    failed = [r[1] for r in results if r[0] == selftest.FAIL]
    print("%d checks: %d passed, %d failed, %d skipped%s" % (
        len(results), sum(r[0] == selftest.PASS for r in results), len(failed),
        sum(r[0] == selftest.SKIP for r in results),
        " (%s)" % ", ".join(failed) if failed else ""))
    return 1 if failed else 0


def speaks_line(name, capabilities):
    """The report's first line about the implementation: the ZMTP versions it speaks, and
    what that leaves out."""
    versions = capabilities.get("zmtp", [])
    line = "%s speaks ZMTP %s" % (name, ", ".join(versions) if versions else "(none declared)")
    if not set(versions) & {"3.0", "3.1"}:
        line += ": the ZMTP 3.x cases are UNSUPPORTED"
    elif "3.1" not in versions:
        line += ": the ZMTP 3.1 cases are UNSUPPORTED"
    return line
