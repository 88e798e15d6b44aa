"""Reports of a run, under build/reports/<implementation>/: report.json (schema:
conformance/schema/report.schema.json), junit.xml, summary.md, index.html (the matrix),
clauses.html (the registry entries the run cites) and a page per case.

Written for the author of a binding who opens them cold:
  - every case opens with one line (headline()): the verdict, the clause that decided it
    with the RFC's sentence, what was expected and what happened;
  - both directions of every connection are printed as `zwire decode` prints them
    (decoded.py), each in the version its side spoke, never as JSON;
  - the matrix opens with the counts per verdict and per area, groups the cases by area,
    can show only the cases that did not pass (or only one verdict) without JavaScript
    (CSS :target on anchors), and links every clause to its registry entry.
matrix() renders the terminal table of `make conformance`; matrix_html() the HTML matrix
of one implementation (index.html) or of several (build/reports/matrix.html).
"""

import collections
import html
import json
import os
import urllib.parse
import xml.etree.ElementTree as ET

from . import decoded
from . import verdict as V
from . import words

REPORT_FORMAT = "zwire-conformance-report"
REPORT_VERSION = 1
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

COLOURS = {V.PASS: "#7c7", V.PASS_NONSTRICT: "#cd7", V.INFO: "#9cf", V.FAIL: "#e77",
           V.NOT_EXERCISED: "#eec", V.UNSUPPORTED: "#ccc", V.SKIPPED: "#eee",
           V.ADAPTER_ERROR: "#c9c", V.HARNESS_ERROR: "#c7c"}
# The transcript's connections that only frame the case: left out of "what happened"
# (a label, or a label and a dash: the Majordomo probe's "probe-worker", "probe-client").
SUPPORTING = ("control", "probe")


def supporting(label):
    return label in SUPPORTING or label.split("-")[0] in SUPPORTING


def counts(results):
    out = {v: 0 for v in V.VERDICTS}
    for r in results:
        out[r["verdict"]] += 1
    return out


def area_counts(results):
    """{area: Counter(verdict)}, areas in the order their first case ran."""
    out = collections.OrderedDict()
    for r in results:
        out.setdefault(r["area"], collections.Counter())[r["verdict"]] += 1
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


# What the "not passing" filter leaves out: a PASS, and what was not run (a capability
# the adapter does not declare, a case filtered out), which each have a filter of their own.
QUIET = (V.PASS, V.UNSUPPORTED, V.SKIPPED)


def passing(r):
    """True unless the case needs a reader's attention: a verdict other than PASS,
    UNSUPPORTED or SKIPPED, or hostile input after which the implementation stopped
    serving, died or hung.  The rest is what the matrix's "not passing" filter shows."""
    return r["verdict"] in QUIET and r.get("robustness") in (None, V.ROBUST_OK)


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
        f.write(markdown(report, spec_link(directory)))
    write_html(report, directory)


# --- the one line that matters -----------------------------------------------------------

def headline(r):
    """What decided the case, for its first line: {verdict, clause (or None), keyword,
    binds, rfc, expected, happened, reported}.  The clause is that of the first
    expectation with the case's verdict (for a PASS, the last one judged); `expected` is
    what was expected (for a reported outcome: the input we sent), `happened` what the
    implementation did."""
    verdict = r["verdict"]
    exps = r.get("expectations", [])
    deciding = [e for e in exps if e["verdict"] == verdict]
    e = deciding[0] if deciding and verdict != V.PASS else deciding[-1] if deciding else None
    line = {"verdict": verdict, "clause": None, "keyword": None, "binds": None, "rfc": "",
            "expected": None, "happened": None, "reported": False}
    if e is None:
        line["happened"] = _reason(r) or stories(r) or verdict
        return line
    clause = next((c for c in r["clauses"] if c["id"] == e["clause"]), {})
    expected, happened = split_what(e)
    line.update(clause=e["clause"], keyword=e["keyword"], binds=e.get("binds"),
                rfc=clause.get("rfc", ""), expected=expected,
                happened=happened or stories(r), reported=bool(e.get("reported")))
    if e.get("alternative"):
        line["happened"] = "%s; %s" % (line["happened"], e["alternative"]) \
            if line["happened"] else e["alternative"]
    return line


def headline_text(r):
    """headline() in one line of text."""
    h = headline(r)
    if h["clause"] is None:
        return "%s: %s" % (h["verdict"], h["happened"])
    text = "%s %s (%s%s)" % (h["verdict"], h["clause"], h["keyword"],
                             ", binds the %s" % h["binds"] if h["binds"] else "")
    if h["rfc"]:
        text += ": \u201c%s\u201d" % h["rfc"]
    text += " %s: %s." % ("Our input" if h["reported"] else "Expected", h["expected"])
    if h["happened"]:
        text += " Happened: %s." % h["happened"]
    return text


def split_what(e):
    """(expected, happened) of an expectation: its `happened` when the case said it apart,
    else the trailing "(...)" of its text, or what follows ": it " (t.observe's form)."""
    what = e["what"]
    if e.get("happened"):
        return what, e["happened"]
    if what.endswith(")"):
        depth = 0
        for i in range(len(what) - 1, 0, -1):
            depth += {")": 1, "(": -1}.get(what[i], 0)
            if depth == 0:
                if what[i - 1] == " ":
                    return what[:i - 1], what[i + 1:-1]
                break
    if ": it " in what:
        expected, _, happened = what.partition(": it ")
        return expected, "it " + happened
    return what, None


def _reason(r):
    reason = (r.get("reason") or "").split("\n")[0]
    return reason[len("not exercised: "):] if reason.startswith("not exercised: ") else reason


def stories(r):
    """What the implementation did on the case's own connections, in words."""
    told = ["%s: %s" % (e["conn"], e["story"]) for e in r.get("ending", [])
            if e.get("story") and not supporting(e["conn"])]
    return "; ".join(told)


# --- links to the registry ----------------------------------------------------------------

# The registry is one Markdown table per spec; neither GitHub nor `make docs` gives its rows
# anchors.  A link to a clause's entry is its spec/ file with a text fragment of its ID
# (#:~:text=<id>; an ID's '-' never starts or ends it, so it needs no escape, and the
# link stays a citation spec-lint reads): the browser scrolls to the ID in its row, on
# GitHub's rendering and on the raw file alike, and the link outlives edits of the file
# (a line number would not).  The HTML reports also carry the entries themselves, anchored
# by ID, in clauses.html.

def spec_href(clause, root):
    """The link to a clause's row in spec/<file>.md, `root` the path to the repository."""
    fragment = urllib.parse.quote(clause["id"], safe=".-")
    return "%s#:~:text=%s" % (os.path.join(root, clause["file"]), fragment)


def spec_link(from_directory=None, root=None):
    """A function giving, for a clause object of a report, the Markdown link to its entry
    in spec/ (spec_href), relative to from_directory (or with `root` as given)."""
    if root is None:
        root = os.path.relpath(ROOT, os.path.abspath(from_directory))

    def link(clause):
        if not clause.get("file"):
            return "`%s`" % clause["id"]
        return "[`%s`](%s)" % (clause["id"], spec_href(clause, root))
    return link


def _clause_index(results):
    """{clause id: clause object} over every case of the run."""
    out = {}
    for r in results:
        for c in r["clauses"]:
            out.setdefault(c["id"], c)
    return out


# --- JUnit --------------------------------------------------------------------------------

def write_junit(report, path):
    results = report["cases"]
    c = report["counts"]
    suite = ET.Element("testsuite", name="zwire-conformance %s" % report["implementation"]["name"],
                       tests=str(len(results)), failures=str(c[V.FAIL]),
                       errors=str(c[V.HARNESS_ERROR] + c[V.ADAPTER_ERROR]),
                       skipped=str(c[V.UNSUPPORTED] + c[V.SKIPPED] + c[V.NOT_EXERCISED]))
    for r in results:
        area = r["area"] if "." in r["area"] else "zmtp.%s" % r["area"]   # mdp.<area> as is
        tc = ET.SubElement(suite, "testcase", classname=area, name=r["id"],
                           time=str(r.get("seconds", 0)))
        props = ET.SubElement(tc, "properties")
        for clause in r["clauses"]:
            ET.SubElement(props, "property", name="clause", value=clause["id"])
        ET.SubElement(props, "property", name="verdict", value=r["verdict"])
        if r["verdict"] == V.FAIL:
            ET.SubElement(tc, "failure", message=headline_text(r)[:500]).text = r["reason"]
        elif r["verdict"] in (V.HARNESS_ERROR, V.ADAPTER_ERROR):
            ET.SubElement(tc, "error", message=r["verdict"].lower()).text = r["reason"]
        elif r["verdict"] in (V.UNSUPPORTED, V.SKIPPED, V.NOT_EXERCISED):
            ET.SubElement(tc, "skipped", message=r["reason"] or r["verdict"])
    ET.ElementTree(suite).write(path, encoding="unicode", xml_declaration=True)


# --- Markdown -------------------------------------------------------------------------------

def _md(text):
    return str(text).replace("|", "/").replace("\n", " ")


def markdown(report, link=None):
    """summary.md: the counts per verdict and per area, then every case that did not
    pass, by area, with its clause (linked by `link`, see spec_link), what was expected
    and what happened."""
    link = link or (lambda c: "`%s`" % c["id"])
    impl = report["implementation"]
    results = report["cases"]
    lines = ["# zwire conformance: %s %s" % (impl.get("name"), impl.get("version", "")), ""]
    if report.get("speaks"):
        lines += [report["speaks"] + ".", ""]
    lines += ["Profile `%s`%s; %d cases." % (report["profile"], ", strict" if report["strict"] else "",
                                             len(results)), "",
              "| verdict | cases |", "|---|---|"]
    lines += ["| %s | %d |" % (v, n) for v, n in report["counts"].items() if n]
    robust = report.get("robustness", {})
    if any(robust.values()):
        lines += ["", "After hostile input (robustness, not a verdict): "
                  + ", ".join("%s %d" % (k, n) for k, n in robust.items() if n) + "."]
    present = [v for v in V.VERDICTS if report["counts"].get(v)]
    lines += ["", "| area | cases | %s |" % " | ".join(present), "|---|---|" + "---|" * len(present)]
    for area, counter in area_counts(results).items():
        lines.append("| %s | %d | %s |" % (area, sum(counter.values()),
                                            " | ".join(str(counter[v]) for v in present)))
    unsupported = collections.Counter(r["reason"] for r in results if r["verdict"] == V.UNSUPPORTED)
    if unsupported:
        lines += ["", "UNSUPPORTED, and why: " + "; ".join(
            "%s (%d)" % (why, n) for why, n in unsupported.most_common()) + "."]
    shown = [r for r in results if not passing(r)]
    if shown:
        lines += ["", "## Not passing, by area", "",
                  "Every case but a PASS, an UNSUPPORTED and a SKIPPED, and every case after "
                  "whose hostile input the implementation stopped serving, died or hung."]
    clauses = _clause_index(results)
    for area in area_counts(shown):
        lines += ["", "### %s" % area, "",
                  "| case | verdict | robustness | clause | expected | happened | baseline |",
                  "|---|---|---|---|---|---|---|"]
        for r in (r for r in shown if r["area"] == area):
            h = headline(r)
            clause = link(clauses[h["clause"]]) if h["clause"] else ""
            base = (r.get("baseline") or {}).get("reason", "")
            lines.append("| [`%s`](cases/%s.html) | %s | %s | %s | %s | %s | %s |" % (
                r["id"], case_file(r["id"]), r["verdict"], r.get("robustness") or "", clause,
                _md(("our input: " if h["reported"] else "") + (h["expected"] or ""))[:300],
                _md(h["happened"] or "")[:300], _md(base)))
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


# --- HTML -----------------------------------------------------------------------------------

STYLE = """body{font-family:sans-serif;margin:1.5em;max-width:90em}
td,th{border:1px solid #ccc;padding:3px 6px;vertical-align:top;text-align:left}
table{border-collapse:collapse}pre{background:#f6f6f6;padding:.8em;overflow:auto}
.headline{padding:.6em;border-left:.5em solid #888;background:#f6f6f6}
.headline q{font-style:italic}.small{font-size:90%;color:#444}
nav.filter a{margin-right:.8em}tr:target{background:#ffd}
"""

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>%s</title>
<style>%s</style></head><body>%s</body></html>
"""


def _e(text):
    return html.escape(str(text), quote=True)


def _page(title, body, style=""):
    return PAGE % (_e(title), STYLE + style, body)


def _badge(verdict):
    return "<span style='background:%s;padding:0 .4em'>%s</span>" % (COLOURS[verdict], verdict)


def write_html(report, directory):
    """index.html (the matrix), clauses.html, and cases/<id>.html."""
    clause_href = lambda c: "clauses.html#" + _e(c)  # noqa: E731
    for r in report["cases"]:
        with open(os.path.join(directory, "cases", case_file(r["id"]) + ".html"), "w") as f:
            f.write(_page(r["id"], case_page(r, lambda c: "../clauses.html#" + _e(c))))
    with open(os.path.join(directory, "index.html"), "w") as f:
        f.write(matrix_html([report], [""], clause_href))
    with open(os.path.join(directory, "clauses.html"), "w") as f:
        f.write(clauses_page(report, directory))


FILTER_STYLE = """
#not-passing:target ~ .matrix tr.case:not(.np){display:none}
#not-passing:target ~ .matrix section:not(:has(tr.np)){display:none}
#not-passing:target ~ nav.filter a[href='#not-passing']{font-weight:bold}
"""


def _filter_style(verdict):
    v = "only-" + verdict
    return ("#%s:target ~ .matrix tr.case:not(.v-%s){display:none}\n"
            "#%s:target ~ .matrix section:not(:has(tr.v-%s)){display:none}\n"
            "#%s:target ~ nav.filter a[href='#%s']{font-weight:bold}\n"
            % (v, verdict, v, verdict, v, v))


def matrix_html(reports, directories, clause_href):
    """The matrix page of one or more implementations: the counts per verdict and per
    area first, then the cases grouped by area, one verdict cell per implementation
    linking to its case page (directories: each report's directory, relative to the
    page); "not passing" and "only <verdict>" filters are anchors the stylesheet
    answers (:target), so the page works without JavaScript."""
    names = [r["implementation"].get("name", "?") for r in reports]
    by_id = [{c["id"]: c for c in r["cases"]} for r in reports]
    ids = []
    for r in reports:
        ids += [c["id"] for c in r["cases"] if c["id"] not in ids]
    merged = {i: next(b[i] for b in by_id if i in b) for i in ids}
    present = [v for v in V.VERDICTS if any(r["counts"].get(v) for r in reports)]
    out = ["<h1>zwire conformance: %s</h1>" % _e(", ".join(
        "%s %s" % (r["implementation"].get("name", ""), r["implementation"].get("version", ""))
        for r in reports))]
    for r in reports:
        out.append("<p>%s. Profile %s%s, %d cases, run %s (%s s). Adapter: <code>%s</code></p>"
                   % (_e(r.get("speaks") or r["implementation"].get("name")), _e(r["profile"]),
                      ", strict" if r.get("strict") else "", len(r["cases"]),
                      _e(r.get("started", "")), _e(r.get("seconds", "")),
                      _e((r.get("adapter") or {}).get("command", ""))))
    # counts per verdict
    head = "".join("<th>%s</th>" % _e(n) for n in names)
    rows = []
    for v in V.VERDICTS:
        cells = "".join("<td>%s</td>" % (("<a href='#only-%s'>%d</a>" % (v, r["counts"][v]))
                                          if r["counts"].get(v) else "0") for r in reports)
        rows.append("<tr><td>%s</td>%s</tr>" % (_badge(v), cells))
    for k in V.ROBUSTNESS:
        rows.append("<tr><td>robustness: %s</td>%s</tr>" % (_e(k), "".join(
            "<td>%d</td>" % r.get("robustness", {}).get(k, 0) for r in reports)))
    out.append("<h2>Counts per verdict</h2><table><tr><th>verdict</th>%s</tr>%s</table>"
               % (head, "".join(rows)))
    # counts per area
    areas = collections.OrderedDict()
    for i in ids:
        areas.setdefault(merged[i]["area"], []).append(i)
    per_area = [area_counts(r["cases"]) for r in reports]
    rows = []
    for area, members in areas.items():
        cells = "".join("<td>%s</td>" % " / ".join(str(pa.get(area, {}).get(v, 0)) for pa in per_area)
                        for v in present)
        not_passing = sum(1 for i in members if any(i in b and not passing(b[i]) for b in by_id))
        rows.append("<tr><td><a href='#area-%s'>%s</a></td><td>%d</td><td>%d</td>%s</tr>"
                    % (_e(area), _e(area), len(members), not_passing, cells))
    out.append("<h2>Counts per area</h2>%s<table><tr><th>area</th><th>cases</th>"
               "<th>not passing</th>%s</tr>%s</table>"
               % ("<p class='small'>each cell: %s</p>" % _e(" / ".join(names)) if len(reports) > 1
                  else "", "".join("<th>%s</th>" % _badge(v) for v in present), "".join(rows)))
    # the filter anchors, the filter links, the matrix (siblings, for the :target rules)
    out.append("<h2>Cases, by area</h2>")
    out.append("<span id='not-passing'></span>"
               + "".join("<span id='only-%s'></span>" % v for v in present))
    out.append("<nav class='filter'>Show: <a href='#all'>all cases</a>"
               "<a href='#not-passing'>not passing only</a>%s</nav>"
               % "".join("<a href='#only-%s'>%s only</a>" % (v, v) for v in present if v != V.PASS))
    out.append("<p class='small'>Not passing: every verdict but PASS, UNSUPPORTED and "
               "SKIPPED (each has a filter of its own), and every case after whose hostile "
               "input the implementation stopped serving, died or hung. The filters are "
               "links, and work without JavaScript.</p>")
    out.append("<div class='matrix' id='all'>")
    for area, members in areas.items():
        head = "".join("<th>%s</th>" % _e(n) for n in names)
        single = len(reports) == 1
        rows = []
        for i in members:
            cases_ = [b.get(i) for b in by_id]
            classes = ["case"] + ["v-%s" % c["verdict"] for c in cases_ if c]
            if any(c and not passing(c) for c in cases_):
                classes.append("np")
            cells = "".join(_verdict_cell(c, d) for c, d in zip(cases_, directories))
            clauses = ", ".join("<a href='%s'>%s</a>" % (clause_href(c["id"]), _e(c["id"]))
                                for c in merged[i]["clauses"])
            first = ("<a href='%scases/%s.html'>%s</a>" % (_e(directories[0]), case_file(i), _e(i))
                     if single else _e(i))
            why = ""
            if single:
                why = "<td class='small'>%s</td>" % ("" if passing(cases_[0]) else
                                                    _e(_short(headline(cases_[0]))))
            rows.append("<tr class='%s' id='case-%s'><td>%s</td><td>%s</td><td class='small'>%s"
                        "</td>%s%s</tr>" % (" ".join(sorted(set(classes))), _e(i), first,
                                             _e(merged[i]["title"]), clauses, cells, why))
        out.append("<section id='area-%s'><h3>%s</h3><table><tr><th>case</th><th>what</th>"
                   "<th>clauses</th>%s%s</tr>%s</table></section>"
                   % (_e(area), _e(area), head if not single else "<th>verdict</th>",
                      "<th>what happened</th>" if single else "", "\n".join(rows)))
    out.append("</div>")
    style = FILTER_STYLE + "".join(_filter_style(v) for v in present)
    return _page("zwire conformance: " + ", ".join(names), "\n".join(out), style)


def _short(h):
    if h["clause"] is None:
        return h["happened"][:240]
    text = "%s: %s" % (h["clause"], h["happened"] or h["expected"])
    return text[:240]


def _verdict_cell(case_, directory):
    if case_ is None:
        return "<td>-</td>"
    extra = ""
    if case_.get("robustness") not in (None, V.ROBUST_OK):
        extra += "<br>robustness: %s" % _e(case_["robustness"])
    if case_.get("baseline"):
        extra += "<br><span class='small'>in the baseline</span>"
    return "<td style='background:%s'><a href='%scases/%s.html'>%s</a>%s</td>" % (
        COLOURS[case_["verdict"]], _e(directory), case_file(case_["id"]), case_["verdict"], extra)


def clauses_page(report, directory):
    """clauses.html: the registry entry of every clause the run's cases cite, each an
    anchor (#<clause id>), with where it is written in spec/ and the cases citing it."""
    results = report["cases"]
    clauses = _clause_index(results)
    citing = collections.defaultdict(list)
    for r in results:
        for c in r["clauses"]:
            citing[c["id"]].append(r)
    base = os.path.relpath(ROOT, os.path.abspath(directory))
    rows = []
    for cid in sorted(clauses, key=lambda c: (clauses[c].get("file", ""), clauses[c].get("line", 0), c)):
        c = clauses[cid]
        where = ""
        if c.get("file"):
            where = "<a href='%s'>%s, line %d</a>" % (_e(spec_href(c, base)), _e(c["file"]),
                                                     c.get("line", 1))
        cases_ = ", ".join("<a href='cases/%s.html'>%s</a>&nbsp;%s" % (
            case_file(r["id"]), _e(r["id"]), _badge(r["verdict"])) for r in citing[cid])
        rows.append("<tr id='%s'><td><code>%s</code></td><td>%s</td><td>%s</td><td>%s</td>"
                    "<td>%s</td><td><q>%s</q></td><td class='small'>%s</td><td class='small'>%s"
                    "</td></tr>" % (_e(cid), _e(cid), _e(c["keyword"]), _e(c.get("binds") or ""),
                                    _e(c.get("section", "")), _e(c["statement"]),
                                    _e(c.get("rfc", "")), where, cases_))
    body = ("<p><a href='index.html'>the matrix</a></p><h1>The clauses this run cites</h1>"
            "<p>Each clause as the registry (<code>spec/</code>) states it: its keyword, whom it "
            "binds (a FAIL judges the sender by what it sends, the receiver only where the RFC "
            "names its action), our restatement and the RFC's sentence, where it is written, "
            "and the cases of this run that cite it.</p>"
            "<table><tr><th>clause</th><th>keyword</th><th>binds</th><th>section</th>"
            "<th>in our words</th><th>the RFC's sentence</th><th>registry entry</th>"
            "<th>cases</th></tr>%s</table>" % "\n".join(rows))
    return _page("zwire conformance: clauses", body)


def case_page(r, clause_href=lambda c: "../clauses.html#" + c):
    """A case's page: the headline, then expectations, clauses, notes, how each connection
    ended, both directions decoded, the timed transcript, the octets to replay and the
    adapter's log."""
    h = headline(r)
    link = lambda c: "<a href='%s'><code>%s</code></a>" % (clause_href(c), _e(c))  # noqa: E731
    if h["clause"]:
        top = ("%s %s (%s%s)%s<br>%s: %s<br>Happened: %s"
               % (_badge(h["verdict"]), link(h["clause"]), _e(h["keyword"]),
                  ", binds the %s" % _e(h["binds"]) if h["binds"] else "",
                  ": <q>%s</q>" % _e(h["rfc"]) if h["rfc"] else "",
                  "Our input" if h["reported"] else "Expected", _e(h["expected"]),
                  _e(h["happened"] or "(the case says no more)")))
    else:
        top = "%s %s" % (_badge(h["verdict"]), _e(h["happened"]))
    parts = ["<p><a href='../index.html#area-%s'>all cases</a> &gt; %s</p>"
             % (_e(r["area"]), _e(r["area"])),
             "<h1>%s</h1><p>%s</p>" % (_e(r["id"]), _e(r["title"])),
             "<div class='headline' style='border-color:%s'>%s</div>" % (COLOURS[r["verdict"]], top)]
    if r.get("baseline"):
        parts.append("<p>The baseline expects %s: %s</p>" % (
            _e(r["baseline"].get("verdict", "")), _e(r["baseline"].get("reason", ""))))
    if r.get("robustness"):
        parts.append("<p>Robustness after its hostile input: <b>%s</b> (%s)</p>"
                     % (_e(r["robustness"]), _e(r.get("robustnessDetail", ""))))
    elif r.get("robustnessDetail"):
        parts.append("<p class='small'>Robustness: %s</p>" % _e(r["robustnessDetail"]))
    if r["verdict"] in (V.HARNESS_ERROR, V.ADAPTER_ERROR) and r.get("reason"):
        parts.append("<h2>What went wrong</h2><pre>%s</pre>" % _e(r["reason"]))
    rows = []
    for e in r.get("expectations", []):
        expected, happened = split_what(e)
        outcome = ("reported" if e.get("reported") else "met" if e["met"]
                   else "another conforming outcome: %s" % e["alternative"] if e.get("alternative")
                   else "broken")
        rows.append("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>"
                    % (link(e["clause"]), _e(e["keyword"]), _e(expected), _e(happened or ""),
                       _e(outcome), _badge(e["verdict"])))
    parts.append("<h2>Expectations</h2><table><tr><th>clause</th><th>keyword</th>"
                 "<th>expected (or our input, when reported)</th><th>happened</th>"
                 "<th>outcome</th><th>verdict</th></tr>%s</table>" % "".join(rows))
    rows = "".join("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td><q>%s</q></td></tr>"
                   % (link(c["id"]), _e(c["keyword"]), _e(c.get("binds") or ""),
                      _e(c["statement"]), _e(c.get("rfc") or "")) for c in r["clauses"])
    parts.append("<h2>Clauses</h2><table><tr><th>clause</th><th>keyword</th><th>binds</th>"
                 "<th>in our words</th><th>the RFC's sentence</th></tr>%s</table>" % rows)
    if r.get("notes"):
        parts.append("<h2>Notes</h2><ul>%s</ul>" % "".join("<li>%s</li>" % _e(n) for n in r["notes"]))
    parts.append("<h2>How the connections ended</h2><ul>%s</ul>" % "".join(
        "<li><b>%s</b>: %s</li>" % (_e(e["conn"]), _e(ending_text(e))) for e in r.get("ending", [])))
    if r.get("messages") and r["messages"][0].get("protocol") == "flp":
        parts.append("<h2>Messages, decoded as FLP</h2><p class='small'>Every message each way, "
                     "in order, with its time (ms since the case began): -&gt; the suite to the "
                     "implementation, &lt;- back, each read as a message travelling that way "
                     "(to a server: PING or REQUEST; to a client: PONG or REPLY); the frames "
                     "are in the transcripts below.</p><pre>%s</pre>"
                     % _e("\n".join(message_lines(r["messages"]))))
    elif r.get("messages"):
        parts.append("<h2>Messages, decoded as MDP</h2><p class='small'>Every message each way, "
                     "in order, with its time (ms since the case began): -&gt; the suite to the "
                     "implementation, &lt;- back. The suite's are read as any MDP message, the "
                     "implementation's in the version and sub-protocol of the peer they went "
                     "to; the frames are in the transcripts below.</p><pre>%s</pre>"
                     % _e("\n".join(message_lines(r["messages"]))))
    parts.append("<h2>Both directions, decoded</h2><p class='small'>As <code>zwire decode</code> "
                 "prints them: offset, field, value; frame bodies in hex and text. Each "
                 "direction is decoded in the ZMTP version its side spoke; octets that do not "
                 "decode are shown raw from where decoding stopped. Lines starting # are the "
                 "suite's notes (what it sent, when the connection closed).</p>")
    for conn, (ours, theirs) in directions(r).items():
        for who, reading in (("the suite sent", ours), ("the implementation sent", theirs)):
            parts.append("<h3>%s: %s (%s%s)</h3><pre>%s</pre>" % (
                _e(conn), who, _e(reading["reading"].label()),
                ", " + _e(reading["reading"].why) if reading["reading"].why else "",
                _e("\n".join(reading["reading"].lines(reading["notes"])))))
    transcript = "\n".join("%8.1f ms %-7s %-2s @%-6d %s%s" % (
        e["t"], e["conn"], "->" if e["dir"] == "out" else "<-", e["offset"],
        "%d octets" % (len(e["hex"]) // 2) if e["hex"] else "", "  " + e["note"] if e["note"] else "")
        for e in r.get("transcript", []))
    parts.append("<h2>Transcript (-&gt; the suite to the implementation, &lt;- back)</h2>"
                 "<pre>%s</pre>" % _e(transcript))
    parts.append("<h2>Replay</h2><p class='small'>The octets the suite sent, per connection "
                 "(e.g. <code>xxd -r -p | nc HOST PORT</code>)</p><pre>%s</pre>" % _e(replay(r)))
    parts.append("<h2>Adapter log</h2><pre>%s</pre>" % _e(r.get("adapterLog", "")))
    return "\n".join(parts)


def message_lines(messages):
    """The decoded messages of a protocol above ZMTP, one line each."""
    width = max([8] + [len(m["conn"]) for m in messages])
    return ["%8.1f ms %-*s %s %s" % (m["t"], width, m["conn"], "->" if m["dir"] == "out" else "<-",
                                     m["reading"]) for m in messages]


def ending_text(e):
    """How one connection ended, in words."""
    if e.get("story"):
        text = e["story"]
    elif e["closedBy"] == "implementation":
        text = "the implementation %s the connection" % ("reset" if e["how"] == "reset" else "closed")
    elif e["closedBy"] == "suite":
        text = "the suite closed the connection"
    else:
        text = "the connection was still open"
    if e.get("errorCommand") is not None:
        text += "; its ERROR said %s" % words.octets(e["errorCommand"].encode("latin-1"))
    return text


def directions(r):
    """{conn: (suite, implementation)}, each {"reading": decoded.Reading, "notes":
    [(offset, note)]}, rebuilt from the transcript."""
    octets = collections.OrderedDict()
    notes = collections.defaultdict(list)
    for e in r.get("transcript", []):
        sides = octets.setdefault(e["conn"], {"out": bytearray(), "in": bytearray()})
        sides[e["dir"]] += bytes.fromhex(e["hex"])
        if e["note"]:
            notes[(e["conn"], e["dir"])].append((e["offset"], e["note"]))
    out = collections.OrderedDict()
    for conn, sides in octets.items():
        ours, theirs = decoded.connection(bytes(sides["out"]), bytes(sides["in"]))
        out[conn] = ({"reading": ours, "notes": notes[(conn, "out")]},
                     {"reading": theirs, "notes": notes[(conn, "in")]})
    return out


def replay(r):
    """The octets the suite sent, per connection, as hex lines a reader can resend
    (e.g. `xxd -r -p | nc host port`)."""
    out = {}
    for e in r["transcript"]:
        if e["dir"] == "out" and e["hex"]:
            out.setdefault(e["conn"], []).append(e["hex"])
    return "\n".join("# %s\n%s" % (conn, "\n".join(chunks)) for conn, chunks in out.items())


def case_file(case_id):
    """The file name (without .html) of a case's page."""
    return case_id.replace("@", "-at-").replace("/", "_")


_file = case_file
