"""Puts conformance/ on sys.path so that tests import the independent codec as
`zwire_codec` without installing it."""

import pathlib
import sys

CONFORMANCE = pathlib.Path(__file__).resolve().parent.parent
if str(CONFORMANCE) not in sys.path:
    sys.path.insert(0, str(CONFORMANCE))
