"""The report as pandas DataFrames (the ``pandas`` extra), for drill-down in notebooks. They
write cleanly: timestamps timezone-naive UTC, ages in whole days, the API's placeholders
blank, one row per organization in the shared-value frames."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Dict, List, Sequence

from ._extras import require
from .tables import Table, report_tables, shown

if TYPE_CHECKING:
    import pandas as pd

    from .report import AuditReport

__all__ = ["AuditFrames", "frames", "naive_utc"]

_ORG_COLUMNS = [
    "id",
    "name",
    "email",
    "status",
    "locked_by",
    "lock_reason_message",
    "locked_at",
    "created_at",
    "customer_id",
    "owner_firstname",
    "owner_lastname",
    "phone_number",
    "siren_number",
    "comment",
]
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
    """Every organization audited (one row each)."""
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
    organizations: pd.DataFrame = pandas.DataFrame.from_records(orgs, columns=_ORG_COLUMNS)
    for name in _TIMES:
        organizations[name] = pandas.to_datetime(organizations[name])
    tables: Dict[str, pd.DataFrame] = {t.key: table_frame(pandas, t) for t in report_tables(report)}
    months: Sequence[Dict[str, Any]] = [
        {"month": m, "count": c} for m, c in report.created_per_month.items()
    ]
    return AuditFrames(
        organizations=organizations,
        created_per_month=pandas.DataFrame.from_records(months, columns=["month", "count"]),
        **tables,
    )
