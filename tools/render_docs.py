#!/usr/bin/python3
"""render_docs.py — one page per Ragel machine: its diagram beside its clauses.

For each machine named on the command line by its path without the
extension (codec/zmtp_frame, reference/core/zw_session), reads the
clause IDs that <name>.rl and <name>_grammar.rl cite, looks each up in the
registry (spec/*.md) and writes build/docs/<name>.html: the rendered
diagram (build/docs/<name>.svg, made by `ragel -V` and graphviz first), the
grammar source, and the table of clauses with keyword and restatement, so a
reader has the RFC rule, the machine and the code side by side.  Also
writes build/docs/index.html.  Run by `make docs`.
"""

import argparse
import html
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zwire_spec  # noqa: E402


def cited_clauses(paths, known):
    """Clause IDs cited in the files, in order of first citation."""
    seen = []
    for path in paths:
        if not os.path.exists(path):
            continue
        with open(path) as f:
            for line in f:
                for token, _ in zwire_spec.tokens_in_line(line, known):
                    if token in known and token not in seen:
                        seen.append(token)
    return seen


def page(name, path, svg, grammar, clauses, registry):
    rows = "\n".join(
        "<tr><td><code>%s</code></td><td>%s</td><td>%s</td><td>%s</td></tr>" % (
            html.escape(c), html.escape(registry[c]["keyword"]), html.escape(registry[c]["section"]),
            html.escape(registry[c]["statement"]))
        for c in clauses)
    return """<!doctype html>
<html><head><meta charset="utf-8"><title>zwire: %(name)s</title>
<style>body{font-family:sans-serif;margin:2em}td,th{border:1px solid #ccc;padding:4px;vertical-align:top}
table{border-collapse:collapse}pre{background:#f6f6f6;padding:1em;overflow:auto}
.diagram{overflow:auto;border:1px solid #ddd}</style></head><body>
<p><a href="index.html">all machines</a></p>
<h1>%(name)s</h1>
<h2>Clauses this machine enforces</h2>
<table><tr><th>clause</th><th>keyword</th><th>RFC section</th><th>our restatement</th></tr>
%(rows)s</table>
<h2>Diagram (ragel -V)</h2><div class="diagram">%(svg)s</div>
<h2>Grammar (%(path)s_grammar.rl)</h2><pre>%(grammar)s</pre>
</body></html>
""" % {"name": html.escape(name), "rows": rows, "svg": svg, "grammar": html.escape(grammar),
       "path": html.escape(path)}


def event_names(header):
    """{code: name} of an event header's events: the enumerators with explicit values of its
    first enum (ZW_SEV_GREETING = 4, MDP_WV_READY = 1, ...), their common prefix dropped."""
    with open(header) as f:
        text = f.read()
    block = re.search(r"enum\s*\{(.*?)\}", text, re.S)
    pairs = re.findall(r"\b([A-Z][A-Z0-9_]*)\s*=\s*(\d+)", block.group(1) if block else "")
    prefix = os.path.commonprefix([name for name, _ in pairs])
    prefix = prefix[:prefix.rfind("_") + 1]
    return {int(code): name[len(prefix):] for name, code in pairs}


def relabel(dot_path, header):
    """Rewrites an event machine's diagram: event codes become event names."""
    names = event_names(header)

    def one(token):
        token = token.strip()
        if ".." in token:
            low, high = (int(x) for x in token.split(".."))
            return ", ".join(names.get(n, str(n)) for n in range(low, high + 1))
        return names.get(int(token), token) if token.isdigit() else token

    def label(m):
        events, _, actions = m.group(1).partition(" / ")
        text = ", ".join(one(t) for t in events.split(","))
        return 'label = "%s%s"' % (text, " / " + actions if actions else "")

    with open(dot_path) as f:
        dot = f.read()
    dot = re.sub(r'label = "([^"]*)"', label, dot)
    with open(dot_path, "w") as f:
        f.write(dot)


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--relabel":
        relabel(sys.argv[2], sys.argv[3])       # --relabel DOT HEADER
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="build/docs")
    parser.add_argument("machines", nargs="+")
    args = parser.parse_args()
    root = zwire_spec.repo_root()
    clauses, problems = zwire_spec.load_registry(root)
    registry = {c["id"]: c for c in clauses}
    links = []
    for path in args.machines:
        name = os.path.basename(path)
        sources = [os.path.join(root, path + ".rl"), os.path.join(root, path + "_grammar.rl")]
        with open(os.path.join(args.out, name + ".svg")) as f:
            svg = f.read()
        with open(sources[1]) as f:
            grammar = f.read()
        cited = cited_clauses(sources, registry)
        with open(os.path.join(args.out, name + ".html"), "w") as f:
            f.write(page(name, path, svg, grammar, cited, registry))
        links.append('<li><a href="%s.html">%s</a>: %d clauses</li>' % (name, name, len(cited)))
        print("docs: %s/%s.html (%d clauses)" % (args.out, name, len(cited)))
    with open(os.path.join(args.out, "index.html"), "w") as f:
        f.write("<!doctype html><html><head><meta charset='utf-8'><title>zwire machines</title></head>"
                "<body><h1>zwire machines: the codecs and the session</h1><ul>%s</ul></body></html>\n" % "\n".join(links))
    return 0


if __name__ == "__main__":
    sys.exit(main())
