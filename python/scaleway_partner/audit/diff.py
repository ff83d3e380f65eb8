"""What changed between two audits (``report.diff(previous)``, computed by the core)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional

from .report import FORMAT_VERSION, Finding, SharedValue, _form, _typed

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["AuditDiff", "StatusChange"]


@dataclass(frozen=True)
class StatusChange:
    """An organization whose status, lock holder or lock reason changed.

    >>> for c in changes.status_changes:
    ...     print(c.name, c.previous_status, "->", c.status)
    """

    id: str
    """The organization ID."""
    name: str
    """The organization's name (now)."""
    previous_status: str
    """Status in the earlier audit."""
    status: str
    """Status now."""
    previous_locked_by: str
    """Who held the lock in the earlier audit (``unknown_locked_by``: nobody)."""
    locked_by: str
    """Who holds the lock now."""
    previous_lock_reason_message: Optional[str]
    """Lock reason in the earlier audit."""
    lock_reason_message: Optional[str]
    """Lock reason now."""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StatusChange:
        """Reads the JSON form of :meth:`to_dict`."""
        return _typed(cls, data, {})

    def to_dict(self) -> Dict[str, Any]:
        """The JSON form, as the core writes it."""
        return dict(self.__dict__)


@dataclass(frozen=True, repr=False)
class AuditDiff:
    """The changes from an earlier audit to a later one. Shows as text (``print``), in
    Jupyter, and as a section of every view of the later report (``changes=``).

    >>> changes = report.diff(AuditReport.load("last-week.json"))
    >>> print(changes)
    """

    previous_generated_at: datetime
    """When the earlier audit ran."""
    generated_at: datetime
    """When the later audit ran."""
    previous_total: int
    """Organizations in the earlier audit."""
    total: int
    """Organizations in the later audit."""
    new_organizations: List[Finding]
    """Not in the earlier audit, oldest first."""
    removed_organizations: List[Finding]
    """In the earlier audit, gone now (as they were)."""
    new_partner_locks: List[Finding]
    """Locked by the partner now, not before; longest-locked first."""
    lifted_partner_locks: List[Finding]
    """Locked by the partner before, not now: as the organization is now (it may still be
    locked by Scaleway)."""
    newly_stuck: List[Finding]
    """Stuck in email validation now, not before."""
    new_shared_customer_ids: List[SharedValue]
    """Customer IDs newly shared, or shared with more organizations than before."""
    new_shared_emails: List[SharedValue]
    """Owner emails newly shared, or shared with more organizations than before."""
    status_changes: List[StatusChange]
    """Organizations in both audits whose status, lock holder or lock reason changed."""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AuditDiff:
        """Reads the JSON form of :meth:`to_dict`."""
        return _typed(cls, data, {})

    @classmethod
    def _from_native(cls, native: Mapping[str, Any]) -> AuditDiff:
        """The diff the core handed over (``datetime``s already)."""
        return _typed(cls, native, {})

    def to_dict(self) -> Dict[str, Any]:
        """The JSON form (the core's), as in ``scaleway-partner audit --compare --format
        json`` under ``"changes"``."""
        out: Dict[str, Any] = {"version": FORMAT_VERSION, **_form(self)}
        return out

    def to_pandas(self) -> pd.DataFrame:
        """The changes as one DataFrame (needs the ``pandas`` extra): a row per change, its
        kind in ``change`` (``new_partner_locks``, ``newly_stuck``, ``status_changes``...).

        >>> df = report.diff(previous).to_pandas()
        >>> df[df.change == "new_partner_locks"]
        """
        from .frames import diff_frame

        return diff_frame(self)

    @property
    def is_empty(self) -> bool:
        """True when nothing changed."""
        return all(t.count == 0 for t in self.tables())

    def tables(self) -> List[Any]:
        """The changes as tables (the same in every view)."""
        from .tables import change_tables

        return change_tables(self)

    def heading(self) -> str:
        """``Changes since 2026-11-24 09:00 UTC (1,500 -> 1,503 organizations)``."""
        return (
            f"Changes since {self.previous_generated_at:%Y-%m-%d %H:%M} UTC "
            f"({self.previous_total:,} -> {self.total:,} organizations)"
        )

    def __repr__(self) -> str:
        from .terminal import changes_text

        return changes_text(self, max_rows=10, width=None, color=False).rstrip("\n")

    def _repr_html_(self) -> str:
        from .html import changes_fragment

        return changes_fragment(self, max_rows=10)
