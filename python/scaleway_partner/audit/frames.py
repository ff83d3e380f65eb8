"""The report as pandas DataFrames (the ``pandas`` extra), for drill-down in notebooks. They
write cleanly: timestamps timezone-naive UTC, ages in whole days, the API's placeholders
blank, one row per organization in the shared-value frames."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Dict, List, Sequence

from .._models import ORGANIZATION_COLUMNS
from ._extras import require
from .tables import Table, report_tables, shown

if TYPE_CHECKING:
    import pandas as pd

    from .diff import AuditDiff
    from .report import AuditReport

__all__ = ["AuditFrames", "diff_frame", "frames", "naive_utc"]

_TIMES = ("created_at", "locked_at")


def naive_utc(value: Any) -> Any:
    """A datetime as timezone-naive UTC (what Excel and CSV take); anything else as is."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


@dataclass(frozen=True)
class AuditFrames:
    """One DataFrame per part of the report, with the columns every view shows (keys in
    snake_case); dates are ``datetime64`` (naive, UTC), ``days`` whole days.

    >>> frames = client.audit().to_pandas()
    >>> frames.locked_by_partner.to_excel("partner-locks.xlsx", index=False)
    """

    organizations: pd.DataFrame
    """Every organization audited (one row each), with every finding as a column:
    ``stuck_days``, ``partner_lock_days``, ``shared_customer_id``, ``shared_email``."""
    stuck_in_email_validation: pd.DataFrame
    """Organizations stuck in email validation, longest first."""
    locked_by_partner: pd.DataFrame
    """Organizations locked by the partner, longest-locked first."""
    shared_customer_ids: pd.DataFrame
    """One row per organization of each shared customer ID: ``value``, ``group_size``,
    ``name``, ``id``, ``status``, ``email``."""
    shared_emails: pd.DataFrame
    """One row per organization of each shared owner email: ``value``, ``group_size``,
    ``name``, ``id``, ``status``, ``customer_id``."""
    empty_customer_id: pd.DataFrame
    """Organizations without a customer ID."""
    missing_phone_number: pd.DataFrame
    """Organizations without a phone number."""
    unknown_values: pd.DataFrame
    """``field``, ``value``, ``count``: values this package does not know."""
    closed: pd.DataFrame
    """Closed organizations (in no problem list)."""
    created_per_month: pd.DataFrame
    """``month`` (``YYYY-MM``) and ``count``."""


def table_frame(pandas: Any, table: Table) -> pd.DataFrame:
    """A table of the report as a DataFrame (column keys, clean dates and whole days)."""
    keys = [c.key for c in table.columns]
    rows = [[naive_utc(v) for v in row] for row in table.rows]
    df: pd.DataFrame = pandas.DataFrame.from_records(rows, columns=keys)
    for c in table.columns:
        if c.kind == "date":
            df[c.key] = pandas.to_datetime(df[c.key])
        elif c.kind == "number":
            df[c.key] = df[c.key].astype("Int64")
    return df


def _finding_columns(pandas: Any, organizations: pd.DataFrame, report: AuditReport) -> None:
    """Every finding as a column of the organizations frame, to filter and combine in one
    place: ``stuck_days`` and ``partner_lock_days`` (whole days, empty when not in that list),
    ``shared_customer_id`` and ``shared_email`` (booleans)."""

    def days(findings: Sequence[Any]) -> Any:
        ages = {f.id: None if f.days is None else int(f.days) for f in findings}
        return organizations["id"].map(ages).astype("Int64")

    def shared(values: Sequence[Any]) -> Any:
        ids = {i for v in values for i in v.organization_ids}
        return organizations["id"].isin(ids)

    organizations["stuck_days"] = days(report.stuck_in_email_validation)
    organizations["partner_lock_days"] = days(report.locked_by_partner)
    organizations["shared_customer_id"] = shared(report.shared_customer_ids)
    organizations["shared_email"] = shared(report.shared_emails)


def diff_frame(diff: AuditDiff) -> pd.DataFrame:
    """The changes of ``diff`` as one DataFrame: a row per change, its kind in ``change``
    (``new_partner_locks``, ``newly_stuck``...), then the columns every view shows."""
    pandas = require("pandas", "pandas", "AuditDiff.to_pandas()")
    parts = [table_frame(pandas, t).assign(change=t.key) for t in diff.tables() if t.rows]
    if not parts:
        empty: pd.DataFrame = pandas.DataFrame(columns=["change"])
        return empty
    frame: pd.DataFrame = pandas.concat(parts, ignore_index=True)
    ordered: pd.DataFrame = frame[["change", *[c for c in frame.columns if c != "change"]]]
    return ordered


def frames(report: AuditReport) -> AuditFrames:
    pandas = require("pandas", "pandas", "AuditReport.to_pandas()")
    orgs: List[Dict[str, Any]] = [
        {
            "id": o.id,
            "name": o.name,
            "email": o.email,
            "status": shown(o.status),
            "locked_by": shown(o.locked_by),
            "lock_reason_message": o.lock_reason_message or "",  # blank as locked_by is
            "locked_at": naive_utc(o.locked_at),
            "created_at": naive_utc(o.created_at),
            "customer_id": o.customer_id,
            "owner_firstname": o.owner_firstname,
            "owner_lastname": o.owner_lastname,
            "phone_number": o.phone_number,
            "siren_number": o.siren_number,
            "comment": o.comment,
        }
        for o in report.organizations
    ]
    organizations: pd.DataFrame = pandas.DataFrame.from_records(orgs, columns=ORGANIZATION_COLUMNS)
    for name in _TIMES:
        organizations[name] = pandas.to_datetime(organizations[name])
    _finding_columns(pandas, organizations, report)
    tables: Dict[str, pd.DataFrame] = {t.key: table_frame(pandas, t) for t in report_tables(report)}
    months: Sequence[Dict[str, Any]] = [
        {"month": m, "count": c} for m, c in report.created_per_month.items()
    ]
    return AuditFrames(
        organizations=organizations,
        created_per_month=pandas.DataFrame.from_records(months, columns=["month", "count"]),
        **tables,
    )
