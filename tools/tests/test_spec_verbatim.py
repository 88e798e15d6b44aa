"""tools/spec_verbatim.py on a small tree: a quotation is found in the RFC text as it
stands (markup, quotes and line breaks aside), pieces joined by ' ... ' are found in
order, and anything else is reported with its line."""

import treeutil
from treeutil import cid, row, write, write_spec

spec_verbatim = treeutil.load_tool("spec_verbatim")

RFC_37 = """# 37/ZMTP

* A peer **SHALL NOT** assign any significance to the `padding` field and MUST NOT
  validate this nor interpret it in any way whatsoever.

The peer that binds SHALL be the server. The connecting peer SHALL be the client.
"""


def test_quotations_found_and_not(tmp_path, capsys):
    first = write_spec(tmp_path, "zmtp31", [
        row(cid("zmtp31", "greeting", "padding"), "SHALL NOT", digest="ZMTP31-01",
            rfc="A peer SHALL NOT assign any significance to the padding field and MUST NOT "
                "validate this"),
        row(cid("zmtp31", "null", "roles"), "SHALL", digest="ZMTP31-02",
            rfc="The peer that binds SHALL be the server. ... SHALL be the client."),
        row(cid("zmtp31", "null", "backwards"), "SHALL", digest="ZMTP31-03",
            rfc="SHALL be the client. ... The peer that binds SHALL be the server."),
        row(cid("zmtp31", "null", "made-up"), "MUST", digest="ZMTP31-04",
            rfc="A peer MUST answer at once."),
    ])
    write(tmp_path, "rfcs/37/README.md", RFC_37)
    status = spec_verbatim.main(["--rfc-dir", str(tmp_path / "rfcs"), "--root", str(tmp_path)])
    out = capsys.readouterr().out.splitlines()
    assert status == 1
    assert [line.split(": ")[0] for line in out[:-1]] == [
        "spec/zmtp31.md:%d" % (first + 2), "spec/zmtp31.md:%d" % (first + 3)]
    assert out[-1] == "spec_verbatim: 4 quotations checked, 2 not found"


def test_a_missing_rfc_text_is_a_usage_error(tmp_path, capsys):
    write_spec(tmp_path, "zmtp31", [row(cid("zmtp31", "frame", "x"))])
    assert spec_verbatim.main(["--rfc-dir", str(tmp_path / "none"), "--root", str(tmp_path)]) == 2
