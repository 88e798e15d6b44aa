"""`/usr/bin/python3 -m zwire_conformance --help` (run from conformance/, or with it on
PYTHONPATH)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from zwire_conformance.cli import main  # noqa: E402

sys.exit(main())
