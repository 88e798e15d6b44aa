"""The cases, one module per area; importing this package registers them all."""

from . import greeting  # noqa: F401
