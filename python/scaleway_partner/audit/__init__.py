"""Account audits: ``client.audit()`` returns an :class:`AuditReport` (computed by the Rust
core), which renders as text, Jupyter HTML, pandas DataFrames, a matplotlib figure or a
self-contained HTML page; ``scaleway-partner audit`` does it from the shell."""

from ._extras import MissingExtraError
from .frames import AuditFrames
from .report import AuditReport, Finding, SharedValue, UnknownValue

__all__ = [
    "AuditFrames",
    "AuditReport",
    "Finding",
    "MissingExtraError",
    "SharedValue",
    "UnknownValue",
]
