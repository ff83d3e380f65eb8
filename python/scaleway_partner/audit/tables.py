"""The report's lists as tables: the same columns in every view (terminal, HTML, Jupyter,
CSV, Excel, pandas), typed cells that each view formats its own way."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Dict, List, Optional, Sequence, Tuple, Union

from .._models import LockedBy, OrganizationStatus

if TYPE_CHECKING:
    from .diff import AuditDiff, StatusChange
    from .report import AuditReport, Finding, SharedValue, UnknownValue

__all__ = ["Column", "Table", "change_tables", "problem_tables", "report_tables", "shown", "state"]

Cell = Union[str, int, datetime, None]

_PLACEHOLDERS = {str(LockedBy.UNKNOWN_LOCKED_BY), str(OrganizationStatus.UNKNOWN_STATUS)}


def shown(value: object) -> str:
    """A status or ``locked_by`` as shown: the API's placeholders (``unknown_locked_by``,
    ``unknown_status``: "none") are blank; the raw value stays in the report."""
    text = "" if value is None else str(value)
    return "" if text in _PLACEHOLDERS else text


def state(status: object, locked_by: object, reason: Optional[str]) -> str:
    """What an organization is now, in words: ``opened``, ``locked by scaleway
    (validate_email)``, ``locked by the partner``, ``closed``."""
    if str(status) != str(OrganizationStatus.LOCKED):
        return shown(status) or "status not given"
    holder = shown(locked_by)
    who = "the partner" if holder == str(LockedBy.PARTNER) else holder or "an unnamed party"
    return f"locked by {who}" + (f" ({reason})" if reason else "")


def lifted(status: object, locked_by: object, reason: Optional[str]) -> str:
    """After the partner's lock is lifted: ``partner lock lifted; still locked by scaleway
    (validate_email)``, or ``partner lock lifted; opened``."""
    if str(locked_by) == str(LockedBy.PARTNER):
        return "still locked by the partner"
    now = state(status, locked_by, reason)
    return f"partner lock lifted; {'still ' if now.startswith('locked') else 'now '}{now}"


@dataclass(frozen=True)
class Column:
    """``kind``: ``text`` (clipped first to fit), ``id`` (never wraps), ``note`` (what happened:
    clipped last), ``date``, ``number``."""

    key: str
    title: str
    kind: str = "text"


@dataclass(frozen=True)
class Table:
    """One list: ``count`` is its size (groups, for shared values), ``rows`` every row."""

    key: str
    title: str
    columns: Tuple[Column, ...]
    rows: List[Tuple[Cell, ...]]
    count: int
    problem: bool = True
    order: str = ""

    @property
    def heading(self) -> str:
        """``Locked by the partner (329, longest first)``."""
        return f"{self.title} ({self.count:,}{', ' if self.order else ''}{self.order})"


NAME = Column("name", "Name")
ID = Column("id", "ID", "id")
EMAIL = Column("email", "Email")
CUSTOMER = Column("customer_id", "Customer ID", "id")
STATUS = Column("status", "Status", "id")
LOCKED_BY = Column("locked_by", "Locked by", "id")
REASON = Column("lock_reason_message", "Lock reason", "id")
CREATED = Column("created_at", "Created", "date")
LOCKED = Column("locked_at", "Locked", "date")
DAYS = Column("days", "Days", "number")
NOW = Column("now", "Now", "note")
BEFORE = Column("before", "Before", "note")

# The section says who locked and why: the lock's date and age are what differ.
AGE_COLUMNS = (NAME, ID, EMAIL, CUSTOMER, CREATED, LOCKED, DAYS)
STATE_COLUMNS = (NAME, ID, EMAIL, CUSTOMER, STATUS, LOCKED_BY, REASON, CREATED)


def whole_days(days: Optional[float]) -> Optional[int]:
    """Whole days elapsed (a lock of 9.9 days is 9 days old)."""
    return None if days is None else math.floor(days)


def _age_row(f: Finding) -> Tuple[Cell, ...]:
    return (f.name, f.id, f.email, f.customer_id, f.created_at, f.locked_at, whole_days(f.days))


def _state_row(f: Finding) -> Tuple[Cell, ...]:
    return (
        f.name,
        f.id,
        f.email,
        f.customer_id,
        shown(f.status),
        shown(f.locked_by),
        f.lock_reason_message,
        f.created_at,
    )


def _findings(
    key: str, title: str, findings: Sequence[Finding], with_age: bool, problem: bool = True
) -> Table:
    columns, row = (AGE_COLUMNS, _age_row) if with_age else (STATE_COLUMNS, _state_row)
    order = "longest first" if with_age else ""
    rows = [row(f) for f in findings]
    return Table(key, title, columns, rows, len(findings), problem, order)


def _shared(key: str, title: str, values: Sequence[SharedValue], email: bool) -> Table:
    """One row per organization of each group, with its name and status."""
    value = Column("value", "Email" if email else "Customer ID", "text" if email else "id")
    other = CUSTOMER if email else EMAIL
    columns = (value, Column("group_size", "Orgs", "number"), NAME, ID, STATUS, other)
    rows: List[Tuple[Cell, ...]] = []
    for s in values:
        for m in s.organizations:
            rows.append(
                (
                    s.value,
                    len(s.organizations),
                    m.name,
                    m.id,
                    shown(m.status),
                    m.customer_id if email else m.email,
                )
            )
    return Table(key, title, columns, rows, len(values))


def _unknown(values: Sequence[UnknownValue]) -> Table:
    columns = (
        Column("field", "Field", "id"),
        Column("value", "Value", "id"),
        Column("count", "Organizations", "number"),
    )
    rows: List[Tuple[Cell, ...]] = [(u.field, u.value, u.count) for u in values]
    return Table("unknown_values", "Unknown API values", columns, rows, len(values))


def problem_tables(report: AuditReport) -> List[Table]:
    """The problem lists, in the order every view shows them."""
    r = report
    return [
        _findings(
            "stuck_in_email_validation",
            f"Stuck in email validation over {r.stuck_after_days} days",
            r.stuck_in_email_validation,
            with_age=True,
        ),
        _findings(
            "locked_by_partner",
            "Locked by the partner",
            r.locked_by_partner,
            with_age=True,
        ),
        _shared(
            "shared_customer_ids",
            "Customer IDs shared by several organizations",
            r.shared_customer_ids,
            email=False,
        ),
        _shared(
            "shared_emails",
            "Owner emails shared by several organizations",
            r.shared_emails,
            email=True,
        ),
        _findings("empty_customer_id", "Empty customer ID", r.empty_customer_id, False),
        _findings("missing_phone_number", "No phone number", r.missing_phone_number, False),
        _unknown(r.unknown_values),
    ]


def report_tables(report: AuditReport) -> List[Table]:
    """The problem lists, then the closed organizations (not a problem, set apart)."""
    closed = _findings(
        "closed", "Closed organizations, not counted as problems", report.closed, False, False
    )
    return [*problem_tables(report), closed]


def _lifted_row(f: Finding, gone: bool) -> Tuple[Cell, ...]:
    now = (
        "partner lock lifted; organization gone"
        if gone
        else lifted(f.status, f.locked_by, f.lock_reason_message)
    )
    return (f.name, f.id, f.email, f.customer_id, now)


def _change_row(c: StatusChange) -> Tuple[Cell, ...]:
    before = state(c.previous_status, c.previous_locked_by, c.previous_lock_reason_message)
    return (c.name, c.id, before, state(c.status, c.locked_by, c.lock_reason_message))


def change_tables(diff: AuditDiff) -> List[Table]:
    """The changes since the earlier audit, one table per kind of change."""
    d = diff
    gone = {f.id for f in d.removed_organizations}
    lifted_columns = (NAME, ID, EMAIL, CUSTOMER, NOW)
    tables = [
        _findings("new_partner_locks", "New partner locks", d.new_partner_locks, True),
        Table(
            "lifted_partner_locks",
            "Partner locks lifted",
            lifted_columns,
            [_lifted_row(f, f.id in gone) for f in d.lifted_partner_locks],
            len(d.lifted_partner_locks),
        ),
        _findings("newly_stuck", "Newly stuck in email validation", d.newly_stuck, True),
        _shared(
            "new_shared_customer_ids",
            "New shared customer IDs",
            d.new_shared_customer_ids,
            email=False,
        ),
        _shared("new_shared_emails", "New shared owner emails", d.new_shared_emails, email=True),
        _findings("new_organizations", "New organizations", d.new_organizations, False),
        _findings("removed_organizations", "Organizations gone", d.removed_organizations, False),
        Table(
            "status_changes",
            "Status changes",
            (NAME, ID, BEFORE, NOW),
            [_change_row(c) for c in d.status_changes],
            len(d.status_changes),
        ),
    ]
    return tables


def summary_rows(report: AuditReport) -> List[Tuple[str, str, int, Optional[str]]]:
    """``(group, label, count, anchor)``: the total, the breakdowns (placeholders blank),
    each list's count with the key of its section."""
    rows: List[Tuple[str, str, int, Optional[str]]] = [("", "Organizations", report.total, None)]
    breakdowns: Tuple[Tuple[str, Dict[str, int]], ...] = (
        ("Status", report.by_status),
        ("Locked by", report.by_locked_by),
        ("Lock reason", report.by_lock_reason),
    )
    for group, counts in breakdowns:
        for key, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            rows.append((group, shown(key) or "(not given)", count, None))
    for t in report_tables(report):
        rows.append(("Problems" if t.problem else "Set apart", t.title, t.count, t.key))
    return rows


LOCK_AGE_BINS: Tuple[Tuple[str, float], ...] = (
    ("< 7 days", 7),
    ("7-30 days", 30),
    ("1-3 months", 91),
    ("3-12 months", 365),
    ("> 1 year", math.inf),
)


def lock_ages(report: AuditReport) -> List[Tuple[str, int]]:
    """Partner locks per age bin (for the histograms)."""
    counts = [0] * len(LOCK_AGE_BINS)
    for f in report.locked_by_partner:
        if f.days is None:
            continue
        i = next(i for i, (_, top) in enumerate(LOCK_AGE_BINS) if f.days < top)
        counts[i] += 1
    return [(label, n) for (label, _), n in zip(LOCK_AGE_BINS, counts)]


def status_split(report: AuditReport) -> Dict[str, int]:
    """Organizations per status, locked ones split by who holds the lock."""
    out: Dict[str, int] = {}
    locked = str(OrganizationStatus.LOCKED)
    by_holder: Dict[str, int] = {}
    for o in report.organizations:
        if str(o.status) == locked:
            holder = shown(o.locked_by) or "unnamed"
            by_holder[holder] = by_holder.get(holder, 0) + 1
    for status, count in report.by_status.items():
        if status == locked and by_holder:
            for holder, n in sorted(by_holder.items(), key=lambda kv: -kv[1]):
                label = "the partner" if holder == str(LockedBy.PARTNER) else holder
                out[f"locked by {label}"] = n
        else:
            out[shown(status) or "(not given)"] = count
    return out
