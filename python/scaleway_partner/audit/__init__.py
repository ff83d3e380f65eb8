"""Account audits: ``client.audit()`` returns an :class:`AuditReport` (computed by the Rust
core), which renders as text, Jupyter HTML, pandas DataFrames, a matplotlib figure, a
self-contained HTML page, CSV or Excel; ``report.save()``/``AuditReport.load()`` and
``report.diff(previous)`` tell what changed since an earlier audit; ``scaleway-partner
audit`` does it from the shell."""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._extras import MissingExtraError
    from .bulk import BulkOutcome, BulkOutcomes, bulk_outcomes
    from .diff import AuditDiff, StatusChange
    from .frames import AuditFrames
    from .report import AuditReport, Finding, SharedMember, SharedValue, UnknownValue

# Each name's module, loaded on first use: the command line's other subcommands import the
# light modules of this package (the demo book, table cells) without the report's machinery.
_MODULES = {
    "MissingExtraError": "_extras",
    "BulkOutcome": "bulk",
    "BulkOutcomes": "bulk",
    "bulk_outcomes": "bulk",
    "AuditDiff": "diff",
    "StatusChange": "diff",
    "AuditFrames": "frames",
    "AuditReport": "report",
    "Finding": "report",
    "SharedMember": "report",
    "SharedValue": "report",
    "UnknownValue": "report",
}

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


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
