"""The fixed error-class taxonomy of vectors/FORMAT.md, and the error value type.

Every decoder in this package reports a violation as one DecodeError: an error class
from the taxonomy below, the zero-based offset in the whole input of the octet whose
arrival made the input invalid (or the input's length when an input of known length
ended too early; for a Majordomo, Freelance or ZAP frame list, a frame index: mdp.py,
flp.py, zap.py),
and the clause ID (wire-ids.md) that the failed check enforces.
The first error wins; a decoder that has raised one decodes nothing more.

DecodeError is an exception so that parsers can raise it from deep inside a field,
and a value (it compares by its three fields) so that tests can compare it directly.
EncodeError is raised by encoders given a value the grammar cannot carry.
"""

# Codec classes (FORMAT.md, "Error classes").
MALFORMED_GREETING = "malformed-greeting"
UNSUPPORTED_VERSION = "unsupported-version"
INVALID_MECHANISM = "invalid-mechanism"
MECHANISM_MISMATCH = "mechanism-mismatch"
INVALID_FLAGS = "invalid-flags"
INVALID_SIZE = "invalid-size"
LIMIT_EXCEEDED = "limit-exceeded"
MALFORMED_COMMAND = "malformed-command"
INVALID_METADATA = "invalid-metadata"
INVALID_Z85 = "invalid-z85"

CODEC_CLASSES = (
    MALFORMED_GREETING, UNSUPPORTED_VERSION, INVALID_MECHANISM, MECHANISM_MISMATCH,
    INVALID_FLAGS, INVALID_SIZE, LIMIT_EXCEEDED, MALFORMED_COMMAND, INVALID_METADATA,
    INVALID_Z85,
)

# Majordomo classes (FORMAT.md, "Majordomo classes"): frame lists, offsets are frame indexes.
MDP_INVALID_HEADER = "mdp-invalid-header"
MDP_INVALID_COMMAND = "mdp-invalid-command"
MDP_INVALID_SERVICE = "mdp-invalid-service"
MDP_INVALID_DELIMITER = "mdp-invalid-delimiter"
MDP_MISSING_FRAME = "mdp-missing-frame"
MDP_EXTRA_FRAME = "mdp-extra-frame"

MDP_CLASSES = (
    MDP_INVALID_HEADER, MDP_INVALID_COMMAND, MDP_INVALID_SERVICE, MDP_INVALID_DELIMITER,
    MDP_MISSING_FRAME, MDP_EXTRA_FRAME,
)

# Freelance class (FORMAT.md, "flp"): a frame list, its offset the frame count.
FLP_MISSING_FRAME = "flp-missing-frame"

FLP_CLASSES = (FLP_MISSING_FRAME,)

# ZAP classes (FORMAT.md, "zap"): a frame list, offsets are frame indexes (zap.py).
ZAP_INVALID_DELIMITER = "zap-invalid-delimiter"
ZAP_BAD_VERSION = "zap-bad-version"
ZAP_MISSING_FRAME = "zap-missing-frame"
ZAP_EXTRA_FRAME = "zap-extra-frame"
ZAP_INVALID_DOMAIN = "zap-invalid-domain"
ZAP_INVALID_ADDRESS = "zap-invalid-address"
ZAP_INVALID_IDENTITY = "zap-invalid-identity"
ZAP_INVALID_MECHANISM = "zap-invalid-mechanism"
ZAP_INVALID_CREDENTIALS = "zap-invalid-credentials"
ZAP_INVALID_STATUS_CODE = "zap-invalid-status-code"
ZAP_INVALID_TEXT = "zap-invalid-text"
ZAP_INVALID_USER_ID = "zap-invalid-user-id"
ZAP_INVALID_METADATA = "zap-invalid-metadata"

ZAP_CLASSES = (
    ZAP_INVALID_DELIMITER, ZAP_BAD_VERSION, ZAP_MISSING_FRAME, ZAP_EXTRA_FRAME,
    ZAP_INVALID_DOMAIN, ZAP_INVALID_ADDRESS, ZAP_INVALID_IDENTITY, ZAP_INVALID_MECHANISM,
    ZAP_INVALID_CREDENTIALS, ZAP_INVALID_STATUS_CODE, ZAP_INVALID_TEXT, ZAP_INVALID_USER_ID,
    ZAP_INVALID_METADATA,
)

# Session classes: reserved by FORMAT.md for later issues; no codec here emits them
# (zap-bad-request-id: only the server that sent the request can tell).
SESSION_CLASSES = (
    "unexpected-command", "invalid-sequence", "cryptographic", "invalid-socket-type",
    "zap-bad-request-id",
)

ALL_CLASSES = CODEC_CLASSES + MDP_CLASSES + FLP_CLASSES + ZAP_CLASSES + SESSION_CLASSES


class DecodeError(Exception):
    """One decoder error: class, absolute offset, enforced clause ID."""

    def __init__(self, cls, offset, clause):
        if cls not in ALL_CLASSES:
            raise ValueError(f"unknown error class {cls!r}")
        super().__init__(cls, offset, clause)
        self.cls = cls
        self.offset = offset
        self.clause = clause

    def moved(self, delta):
        """The same error, its offset shifted by delta (local to absolute offsets)."""
        return DecodeError(self.cls, self.offset + delta, self.clause)

    def as_report(self):
        """The codec's error object of FORMAT.md: {"class", "offset", "clause"}."""
        return {"class": self.cls, "offset": self.offset, "clause": self.clause}

    def __eq__(self, other):
        if not isinstance(other, DecodeError):
            return NotImplemented
        return (self.cls, self.offset, self.clause) == (other.cls, other.offset, other.clause)

    def __hash__(self):
        return hash((self.cls, self.offset, self.clause))

    def __repr__(self):
        return f"DecodeError({self.cls!r}, {self.offset}, {self.clause!r})"


class EncodeError(ValueError):
    """An encoder was given a value that the grammar cannot carry."""

    def __init__(self, cls, clause, message):
        super().__init__(f"{cls} ({clause}): {message}")
        self.cls = cls
        self.clause = clause
