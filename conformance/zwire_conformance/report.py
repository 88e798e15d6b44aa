"""Reports of a run, under build/reports/<implementation>/: report.json (schema:
conformance/schema/report.schema.json), junit.xml, summary.md, and index.html with a
page per case (its clauses, expectations, how the connection ended, both directions of
the wire decoded, and the transcript to replay).  matrix() renders the terminal table of
`make conformance`.
"""

import html
import json
import os
import xml.etree.ElementTree as ET

from . import verdict as V

REPORT_FORMAT = "zwire-conformance-report"
REPORT_VERSION = 1

COLOURS = {V.PASS: "#7c7", V.PASS_NONSTRICT: "#cd7", V.INFO: "#9cf", V.FAIL: "#e77",
           V.NOT_EXERCISED: "#eec", V.UNSUPPORTED: "#ccc", V.SKIPPED: "#eee",
           V.ADAPTER_ERROR: "#c9c", V.HARNESS_ERROR: "#c7c"}


def counts(results):
    out = {v: 0 for v in V.VERDICTS}
    for r in results:
        out[r["verdict"]] += 1
    return out


def robustness_counts(results):
    """How the implementation came out of the cases that sent it hostile input."""
    out = {r: 0 for r in V.ROBUSTNESS}
    for r in results:
        if r.get("robustness") in out:
            out[r["robustness"]] += 1
    return out


def robustness_problems(results):
    """Cases after whose hostile input the implementation stopped serving, died or hung."""
    return [r for r in results if r.get("robustness") not in (None, V.ROBUST_OK)]


def unexpected_fails(results):
    """FAILs not announced by the baseline (only these make the exit status 1)."""
    return [r for r in results if r["verdict"] == V.FAIL
            and (r.get("baseline") or {}).get("verdict") != V.FAIL]


def build(results, meta):
    return {"format": REPORT_FORMAT, "version": REPORT_VERSION, **meta,
            "counts": counts(results), "robustness": robustness_counts(results),
            "cases": results}


def write_all(report, directory):
    os.makedirs(os.path.join(directory, "cases"), exist_ok=True)
    with open(os.path.join(directory, "report.json"), "w") as f:
        json.dump(report, f, indent=1)
        f.write("\n")
    write_junit(report, os.path.join(directory, "junit.xml"))
    with open(os.path.join(directory, "summary.md"), "w") as f:
        f.write(markdown(report))
    write_html(report, directory)


def write_junit(report, path):
    results = report["cases"]
    c = report["counts"]
    suite = ET.Element("testsuite", name="zwire-conformance %s" % report["implementation"]["name"],
                       tests=str(len(results)), failures=str(c[V.FAIL]),
                       errors=str(c[V.HARNESS_ERROR] + c[V.ADAPTER_ERROR]),
                       skipped=str(c[V.UNSUPPORTED] + c[V.SKIPPED] + c[V.NOT_EXERCISED]))
    for r in results:
        tc = ET.SubElement(suite, "testcase", classname="zmtp.%s" % r["area"], name=r["id"],
                           time=str(r.get("seconds", 0)))
        props = ET.SubElement(tc, "properties")
        for clause in r["clauses"]:
            ET.SubElement(props, "property", name="clause", value=clause["id"])
        ET.SubElement(props, "property", name="verdict", value=r["verdict"])
        if r["verdict"] == V.FAIL:
            ET.SubElement(tc, "failure", message=r["reason"][:500]).text = r["reason"]
        elif r["verdict"] in (V.HARNESS_ERROR, V.ADAPTER_ERROR):
            ET.SubElement(tc, "error", message=r["verdict"].lower()).text = r["reason"]
        elif r["verdict"] in (V.UNSUPPORTED, V.SKIPPED, V.NOT_EXERCISED):
            ET.SubElement(tc, "skipped", message=r["reason"] or r["verdict"])
    ET.ElementTree(suite).write(path, encoding="unicode", xml_declaration=True)


def markdown(report):
    impl = report["implementation"]
    lines = ["# zwire conformance: %s %s" % (impl.get("name"), impl.get("version", "")), "",
             "Profile `%s`%s; %d cases." % (report["profile"], ", strict" if report["strict"] else "",
                                              len(report["cases"])), "",
             "| verdict | cases |", "|---|---|"]
    lines += ["| %s | %d |" % (v, n) for v, n in report["counts"].items() if n]
    robust = report.get("robustness", {})
    if any(robust.values()):
        lines += ["", "After hostile input (robustness, not a verdict): "
                  + ", ".join("%s %d" % (k, n) for k, n in robust.items() if n) + "."]
    shown = [r for r in report["cases"] if r["verdict"] not in (V.PASS, V.SKIPPED)
             or r.get("robustness") not in (None, V.ROBUST_OK)]
    if shown:
        lines += ["", "| case | verdict | robustness | why | baseline |", "|---|---|---|---|---|"]
        for r in shown:
            why = (r["reason"] or "; ".join(e["what"] for e in r["expectations"]
                                            if e["verdict"] == r["verdict"])).replace("|", "/")
            base = (r.get("baseline") or {}).get("reason", "")
            lines.append("| `%s` | %s | %s | %s | %s |"
                         % (r["id"], r["verdict"], r.get("robustness") or "",
                            why.split("\n")[0][:200], base.replace("|", "/")))
    return "\n".join(lines) + "\n"


def matrix(reports):
    """The terminal table: one column per implementation, one row per verdict count, and
    the failing cases of each."""
    names = [r["implementation"]["name"] for r in reports]
    width = max([10] + [len(n) for n in names])
    lines = ["%-16s" % "verdict" + "".join("%*s" % (width + 2, n) for n in names)]
    for v in V.VERDICTS:
        lines.append("%-16s" % v + "".join("%*d" % (width + 2, r["counts"][v]) for r in reports))
    for k in V.ROBUSTNESS:
        lines.append("%-16s" % ("robust: " + k)[:16]
                     + "".join("%*d" % (width + 2, r.get("robustness", {}).get(k, 0))
                               for r in reports))
    for r in reports:
        for case_ in unexpected_fails(r["cases"]):
            lines.append("  FAIL %s: %s" % (r["implementation"]["name"], case_["id"]))
        for case_ in robustness_problems(r["cases"]):
            lines.append("  %s %s: %s" % (case_["robustness"].upper(),
                                          r["implementation"]["name"], case_["id"]))
    return "\n".join(lines)


# --- HTML ------------------------------------------------------------------------------------

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>%s</title>
<style>body{font-family:sans-serif;margin:1.5em}td,th{border:1px solid #ccc;padding:3px 6px;
vertical-align:top}table{border-collapse:collapse}pre{background:#f6f6f6;padding:.8em;overflow:auto}
</style></head><body>%s</body></html>
"""


def write_html(report, directory):
    rows = []
    for r in report["cases"]:
        rows.append("<tr><td><a href='cases/%s.html'>%s</a></td><td>%s</td>"
                    "<td style='background:%s'>%s</td></tr>"
                    % (_file(r["id"]), html.escape(r["id"]), html.escape(r["title"]),
                       COLOURS[r["verdict"]], r["verdict"]))
        with open(os.path.join(directory, "cases", _file(r["id"]) + ".html"), "w") as f:
            f.write(PAGE % (html.escape(r["id"]), case_page(r)))
    impl = report["implementation"]
    body = ("<h1>zwire conformance: %s %s</h1><p>profile %s</p><table><tr><th>case</th>"
            "<th>what</th><th>verdict</th></tr>%s</table>"
            % (html.escape(str(impl.get("name"))), html.escape(str(impl.get("version", ""))),
               html.escape(report["profile"]), "\n".join(rows)))
    with open(os.path.join(directory, "index.html"), "w") as f:
        f.write(PAGE % ("zwire conformance", body))


def case_page(r):
    clauses = "".join("<tr><td><code>%s</code></td><td>%s</td><td>%s</td><td>%s</td>"
                      "<td><q>%s</q></td></tr>"
                      % (html.escape(c["id"]), c["keyword"], html.escape(c.get("binds") or ""),
                         html.escape(c["statement"]), html.escape(c.get("rfc") or ""))
                      for c in r["clauses"])
    expectations = "".join("<tr><td><code>%s</code></td><td>%s</td><td>%s</td><td style='background:%s'>%s</td></tr>"
                           % (html.escape(e["clause"]), html.escape(e["what"]),
                              "reported" if e.get("reported") else "met" if e["met"]
                              else html.escape(e["alternative"] or "broken"),
                              COLOURS[e["verdict"]], e["verdict"])
                           for e in r["expectations"])
    transcript = "\n".join("%8.1f ms %-5s %-3s @%-6d %s %s" % (
        e["t"], e["conn"], "->" if e["dir"] == "out" else "<-", e["offset"], e["hex"][:160],
        e["note"]) for e in r["transcript"])
    return ("<p><a href='../index.html'>all cases</a></p><h1>%s</h1><p>%s</p>"
            "<p style='background:%s;padding:.5em'>%s %s</p>%s"
            "<h2>Clauses</h2><table><tr><th>clause</th><th>keyword</th><th>binds</th>"
            "<th>in our words</th><th>the RFC's sentence</th></tr>%s</table>"
            "<h2>Expectations</h2><table><tr><th>clause</th>"
            "<th>expected</th><th>outcome</th><th>verdict</th></tr>%s</table>"
            "<h2>How the connections ended</h2><pre>%s</pre>"
            "<h2>Both directions, decoded frame by frame</h2><pre>%s</pre>"
            "<h2>Transcript (-> suite to implementation, <- back)</h2><pre>%s</pre>"
            "<h2>Replay</h2><pre>%s</pre><h2>Adapter log</h2><pre>%s</pre>"
            % (html.escape(r["id"]), html.escape(r["title"]), COLOURS[r["verdict"]], r["verdict"],
               html.escape(r["reason"]),
               "<p>Robustness after its hostile input: <b>%s</b> (%s)</p>"
               % (html.escape(r["robustness"]), html.escape(r.get("robustnessDetail", "")))
               if r.get("robustness") else "", clauses, expectations,
               html.escape(json.dumps(r["ending"], indent=1)),
               html.escape(json.dumps(r["decoded"], indent=1)), html.escape(transcript),
               html.escape(replay(r)), html.escape(r["adapterLog"])))


def replay(r):
    """The octets the suite sent, per connection, as hex lines a reader can resend
    (e.g. `xxd -r -p | nc host port`)."""
    out = {}
    for e in r["transcript"]:
        if e["dir"] == "out" and e["hex"]:
            out.setdefault(e["conn"], []).append(e["hex"])
    return "\n".join("# %s\n%s" % (conn, "\n".join(chunks)) for conn, chunks in out.items())


def _file(case_id):
    return case_id.replace("@", "-at-").replace("/", "_")
