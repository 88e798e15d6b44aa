"""The one pytest test of the suite, parametrized by cli.Plugin with the selected case
ids: it runs the case and turns its verdict into pytest's outcome (FAIL fails, a
harness error errors, UNSUPPORTED and SKIPPED skip; the rest pass)."""

import pytest

from zwire_conformance import cli
from zwire_conformance import verdict as V


def test_case(zw_case_id):
    result = cli.PLUGIN.run(zw_case_id)
    verdict, why = result["verdict"], result["reason"]
    expected = (result.get("baseline") or {}).get("verdict")
    if verdict == V.HARNESS_ERROR:
        raise RuntimeError("harness error: " + why)
    if verdict in (V.UNSUPPORTED, V.SKIPPED):
        pytest.skip("%s: %s" % (verdict, why))
    if verdict == V.FAIL and expected != V.FAIL:
        pytest.fail("FAIL: " + why, pytrace=False)
