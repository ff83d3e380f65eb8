"""Account audits: ``client.audit()`` returns an :class:`AuditReport` (computed by the Rust
core), which renders as text, Jupyter HTML, pandas DataFrames, a matplotlib figure, a
self-contained HTML page, CSV or Excel; ``report.save()``/``AuditReport.load()`` and
``report.diff(previous)`` tell what changed since an earlier audit; ``scaleway-partner
audit`` does it from the shell."""

from ._extras import MissingExtraError
from .bulk import BulkOutcome, BulkOutcomes, bulk_outcomes
from .diff import AuditDiff, StatusChange
from .frames import AuditFrames
from .report import AuditReport, Finding, SharedMember, SharedValue, UnknownValue

__all__ = [
    "AuditDiff",
    "AuditFrames",
    "AuditReport",
    "BulkOutcome",
    "BulkOutcomes",
    "Finding",
    "MissingExtraError",
    "SharedMember",
    "SharedValue",
    "StatusChange",
    "UnknownValue",
    "bulk_outcomes",
]
