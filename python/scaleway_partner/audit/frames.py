"""The report as pandas DataFrames (the ``pandas`` extra), for drill-down in notebooks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Dict, List, Sequence

from ._extras import require

if TYPE_CHECKING:
    import pandas as pd

    from .report import AuditReport, Finding, SharedValue

__all__ = ["AuditFrames", "frames"]

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
_FINDING_COLUMNS = [
    "id",
    "name",
    "email",
    "customer_id",
    "status",
    "locked_by",
    "lock_reason_message",
    "created_at",
    "locked_at",
    "days",
]
_TIMES = ("created_at", "locked_at")


@dataclass(frozen=True)
class AuditFrames:
    """One DataFrame per part of the report; dates are ``datetime64`` in UTC, enums plain
    strings.

    >>> frames = client.audit().to_pandas()
    >>> frames.created_per_month.plot(x="month", y="count")
    """

    organizations: pd.DataFrame
    """Every organization audited (one row each)."""
    stuck_in_email_validation: pd.DataFrame
    """Organizations stuck in email validation, longest first."""
    locked_by_partner: pd.DataFrame
    """Organizations locked by the partner, longest-locked first."""
    empty_customer_id: pd.DataFrame
    """Organizations without a customer ID."""
    missing_phone_number: pd.DataFrame
    """Organizations without a phone number."""
    shared_customer_ids: pd.DataFrame
    """``value``, ``count``, ``organization_ids`` (a list)."""
    shared_emails: pd.DataFrame
    """``value``, ``count``, ``organization_ids`` (a list), per shared owner email."""
    created_per_month: pd.DataFrame
    """``month`` (``YYYY-MM``) and ``count``."""
    unknown_values: pd.DataFrame
    """``field``, ``value``, ``count``: values this package does not know."""


def _frame(pandas: Any, rows: List[Dict[str, Any]], columns: Sequence[str]) -> pd.DataFrame:
    df: pd.DataFrame = pandas.DataFrame.from_records(rows, columns=list(columns))
    for name in _TIMES:
        if name in df.columns:
            df[name] = pandas.to_datetime(df[name], utc=True)
    return df


def _findings(pandas: Any, findings: Sequence[Finding]) -> pd.DataFrame:
    rows = [
        {
            "id": f.id,
            "name": f.name,
            "email": f.email,
            "customer_id": f.customer_id,
            "status": str(f.status),
            "locked_by": str(f.locked_by),
            "lock_reason_message": f.lock_reason_message,
            "created_at": f.created_at,
            "locked_at": f.locked_at,
            "days": f.days,
        }
        for f in findings
    ]
    df = _frame(pandas, rows, _FINDING_COLUMNS)
    df["days"] = df["days"].astype("float64")
    return df


def _shared(pandas: Any, values: Sequence[SharedValue]) -> pd.DataFrame:
    rows = [
        {
            "value": s.value,
            "count": len(s.organization_ids),
            "organization_ids": list(s.organization_ids),
        }
        for s in values
    ]
    return _frame(pandas, rows, ["value", "count", "organization_ids"])


def frames(report: AuditReport) -> AuditFrames:
    pandas = require("pandas", "pandas", "AuditReport.to_pandas()")
    orgs = [
        {
            "id": o.id,
            "name": o.name,
            "email": o.email,
            "status": str(o.status),
            "locked_by": str(o.locked_by),
            "lock_reason_message": o.lock_reason_message,
            "locked_at": o.locked_at,
            "created_at": o.created_at,
            "customer_id": o.customer_id,
            "owner_firstname": o.owner_firstname,
            "owner_lastname": o.owner_lastname,
            "phone_number": o.phone_number,
            "siren_number": o.siren_number,
            "comment": o.comment,
        }
        for o in report.organizations
    ]
    months = [{"month": m, "count": c} for m, c in report.created_per_month.items()]
    unknown = [u.to_dict() for u in report.unknown_values]
    return AuditFrames(
        organizations=_frame(pandas, orgs, _ORG_COLUMNS),
        stuck_in_email_validation=_findings(pandas, report.stuck_in_email_validation),
        locked_by_partner=_findings(pandas, report.locked_by_partner),
        empty_customer_id=_findings(pandas, report.empty_customer_id),
        missing_phone_number=_findings(pandas, report.missing_phone_number),
        shared_customer_ids=_shared(pandas, report.shared_customer_ids),
        shared_emails=_shared(pandas, report.shared_emails),
        created_per_month=_frame(pandas, months, ["month", "count"]),
        unknown_values=_frame(pandas, unknown, ["field", "value", "count"]),
    )
