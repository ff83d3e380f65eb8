"""The audit report: typed values over the core's JSON form, plus the organizations audited.

Every figure is computed by the Rust core (``Client::audit``); this module only types it and
presents it (repr, Jupyter HTML, pandas, matplotlib, a self-contained page).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence, Tuple

from .._models import LockedBy, Organization, OrganizationStatus, _wire_time

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from .frames import AuditFrames

__all__ = ["AuditReport", "Finding", "SharedValue", "UnknownValue"]

_TIME = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$")


def _parse_time(text: Optional[str]) -> Optional[datetime]:
    """RFC 3339 with any number of fractional digits (Python 3.9's ``fromisoformat`` takes
    neither ``Z`` nor nanoseconds)."""
    if text is None:
        return None
    m = _TIME.match(text)
    if m is None:
        raise ValueError(f"not an RFC 3339 timestamp: {text!r}")
    base, fraction, offset = m.groups()
    micros = (fraction or "")[:6].ljust(6, "0")
    parsed = datetime.fromisoformat(f"{base}.{micros}{'+00:00' if offset == 'Z' else offset}")
    return parsed.astimezone(timezone.utc)


def _counts(data: Any) -> Dict[str, int]:
    return {str(k): int(v) for k, v in dict(data).items()}


@dataclass(frozen=True)
class Finding:
    """One organization in a problem list, with the age that matters for that list (``days``
    waiting for email validation, or locked by the partner; None for the others).

    >>> for finding in client.audit().locked_by_partner:
    ...     print(finding.name, finding.customer_id, f"{finding.days:.0f} days")
    """

    id: str
    """The organization ID."""
    name: str
    """The organization's name."""
    email: str
    """The owner's email."""
    customer_id: str
    """The partner's reference for the customer."""
    status: OrganizationStatus
    """The organization's status."""
    locked_by: LockedBy
    """Who placed the lock shown."""
    lock_reason_message: Optional[str]
    """Why it is locked, or None."""
    created_at: Optional[datetime]
    """When it was created (UTC), or None."""
    locked_at: Optional[datetime]
    """When the lock shown was placed, or None."""
    days: Optional[float]
    """Days waiting (email validation) or locked (partner lock); None for findings without an
    age."""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        """Reads the JSON form of :meth:`to_dict`.

        >>> Finding.from_dict(finding.to_dict()) == finding
        True
        """
        days = data.get("days")
        return cls(
            id=str(data["id"]),
            name=str(data["name"]),
            email=str(data["email"]),
            customer_id=str(data["customer_id"]),
            status=OrganizationStatus(str(data["status"])),
            locked_by=LockedBy(str(data["locked_by"])),
            lock_reason_message=data.get("lock_reason_message"),
            created_at=_parse_time(data.get("created_at")),
            locked_at=_parse_time(data.get("locked_at")),
            days=None if days is None else float(days),
        )

    def to_dict(self) -> Dict[str, Any]:
        """The JSON form, as in ``AuditReport.to_dict()``.

        >>> Finding.from_dict(finding.to_dict()) == finding
        True
        """
        return {
            "id": self.id,
            "name": self.name,
            "email": self.email,
            "customer_id": self.customer_id,
            "status": str(self.status),
            "locked_by": str(self.locked_by),
            "lock_reason_message": self.lock_reason_message,
            "created_at": _wire_time(self.created_at),
            "locked_at": _wire_time(self.locked_at),
            "days": self.days,
        }


@dataclass(frozen=True)
class SharedValue:
    """A customer ID or owner email used by several organizations (oldest first).

    >>> for shared in client.audit().shared_customer_ids:
    ...     print(shared.value, len(shared.organization_ids))
    """

    value: str
    """The customer ID or owner email."""
    organization_ids: Tuple[str, ...]
    """The organizations using it, oldest first."""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SharedValue:
        """Reads the JSON form of :meth:`to_dict`.

        >>> SharedValue.from_dict(shared.to_dict()) == shared
        True
        """
        return cls(str(data["value"]), tuple(str(i) for i in data["organization_ids"]))

    def to_dict(self) -> Dict[str, Any]:
        """The JSON form, as in ``AuditReport.to_dict()``.

        >>> SharedValue.from_dict(shared.to_dict()) == shared
        True
        """
        return {"value": self.value, "organization_ids": list(self.organization_ids)}


@dataclass(frozen=True)
class UnknownValue:
    """A value of ``status``, ``locked_by`` or ``lock_reason_message`` this package does not
    know (the API evolves), and how many organizations carry it.

    >>> for unknown in client.audit().unknown_values:
    ...     print(unknown.field, unknown.value, unknown.count)
    """

    field: str
    """The field: ``status``, ``locked_by`` or ``lock_reason_message``."""
    value: str
    """The value this package does not know."""
    count: int
    """Organizations with it."""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> UnknownValue:
        """Reads the JSON form of :meth:`to_dict`.

        >>> UnknownValue.from_dict(unknown.to_dict()) == unknown
        True
        """
        return cls(str(data["field"]), str(data["value"]), int(data["count"]))

    def to_dict(self) -> Dict[str, Any]:
        """The JSON form, as in ``AuditReport.to_dict()``.

        >>> UnknownValue.from_dict(unknown.to_dict()) == unknown
        True
        """
        return {"field": self.field, "value": self.value, "count": self.count}


def _finding_of(org: Organization, days: Optional[float]) -> Finding:
    """The finding of an organization already converted: its strings, dates and enum members
    are shared, not parsed again. (Most of a 100,000-organization report is findings; the
    frozen dataclass's __init__ would set each field through object.__setattr__.)"""
    finding: Finding = object.__new__(Finding)
    fields = {
        "id": org.id,
        "name": org.name,
        "email": org.email,
        "customer_id": org.customer_id,
        "status": org.status,
        "locked_by": org.locked_by,
        "lock_reason_message": org.lock_reason_message,
        "created_at": org.created_at,
        "locked_at": org.locked_at,
        "days": days,
    }
    object.__setattr__(finding, "__dict__", fields)
    return finding


def _findings(data: Any, index: Mapping[str, Organization]) -> List[Finding]:
    out = []
    for f in data:
        org = index.get(f["id"])
        days = f.get("days")
        if org is None:
            out.append(Finding.from_dict(f))
        else:
            out.append(_finding_of(org, None if days is None else float(days)))
    return out


@dataclass(frozen=True, repr=False)
class AuditReport:
    """The audit of a partner's organizations (``client.audit()``).

    In Jupyter it shows as a summary table with the problem lists; ``to_pandas()``,
    ``plot()``, ``to_html()`` and ``to_dict()``/``to_json()`` give the same content in other
    forms. ``organizations`` holds every organization audited, for drill-down.

    >>> report = client.audit()
    >>> for title, count in report.problems():
    ...     print(f"{title}: {count}")
    """

    generated_at: datetime
    """Reference time of the ages (``days``)."""
    stuck_after_days: int
    """The threshold of ``stuck_in_email_validation``, in days."""
    total: int
    """Organizations audited."""
    by_status: Dict[str, int]
    """Count per status."""
    by_locked_by: Dict[str, int]
    """Locked organizations per ``locked_by`` of the lock shown."""
    by_lock_reason: Dict[str, int]
    """Count per lock reason."""
    stuck_in_email_validation: List[Finding]
    """Waiting for the owner's email validation for more than ``stuck_after_days``, longest
    first."""
    locked_by_partner: List[Finding]
    """Locked by the partner, longest-locked first."""
    shared_customer_ids: List[SharedValue]
    """Customer IDs used by several organizations, most used first."""
    shared_emails: List[SharedValue]
    """Owner emails (case-insensitive) used by several organizations, most used first."""
    empty_customer_id: List[Finding]
    """Organizations without a customer ID."""
    missing_phone_number: List[Finding]
    """Organizations without a phone number."""
    created_per_month: Dict[str, int]
    """Organizations created per month (``YYYY-MM``), every month from the first to the last."""
    unknown_values: List[UnknownValue]
    """Values of ``status``, ``locked_by`` or ``lock_reason_message`` this package does not
    know, with their counts."""
    organizations: List[Organization] = field(default_factory=list, compare=False)
    """The organizations audited (oldest first); not part of the JSON form by default."""

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], organizations: Optional[Sequence[Organization]] = None
    ) -> AuditReport:
        """The report from its JSON form (as given by :meth:`to_dict`); the organizations
        come from ``organizations`` or, when present, the form's ``"organizations"`` key.

        >>> AuditReport.from_dict(report.to_dict()) == report
        True
        """
        if organizations is None:
            organizations = [Organization.from_dict(o) for o in data.get("organizations", ())]
        index = {o.id: o for o in organizations}
        generated_at = _parse_time(data["generated_at"])
        assert generated_at is not None
        return cls(
            generated_at=generated_at,
            stuck_after_days=int(data["stuck_after_days"]),
            total=int(data["total"]),
            by_status=_counts(data["by_status"]),
            by_locked_by=_counts(data["by_locked_by"]),
            by_lock_reason=_counts(data["by_lock_reason"]),
            stuck_in_email_validation=_findings(data["stuck_in_email_validation"], index),
            locked_by_partner=_findings(data["locked_by_partner"], index),
            shared_customer_ids=[SharedValue.from_dict(s) for s in data["shared_customer_ids"]],
            shared_emails=[SharedValue.from_dict(s) for s in data["shared_emails"]],
            empty_customer_id=_findings(data["empty_customer_id"], index),
            missing_phone_number=_findings(data["missing_phone_number"], index),
            created_per_month=_counts(data["created_per_month"]),
            unknown_values=[UnknownValue.from_dict(u) for u in data["unknown_values"]],
            organizations=list(organizations),
        )

    @classmethod
    def from_json(cls, text: str) -> AuditReport:
        """The report from :meth:`to_json`'s text.

        >>> saved = AuditReport.from_json(open("audit.json").read())
        """
        data: Dict[str, Any] = json.loads(text)
        return cls.from_dict(data)

    def to_dict(self, *, organizations: bool = False) -> Dict[str, Any]:
        """The JSON form (as the core serializes it, timestamps in the API's format); with
        ``organizations=True`` also every organization in the API's wire form.

        >>> report.to_dict()["total"]
        1512
        """
        out: Dict[str, Any] = {
            "generated_at": _wire_time(self.generated_at),
            "stuck_after_days": self.stuck_after_days,
            "total": self.total,
            "by_status": dict(self.by_status),
            "by_locked_by": dict(self.by_locked_by),
            "by_lock_reason": dict(self.by_lock_reason),
            "stuck_in_email_validation": [f.to_dict() for f in self.stuck_in_email_validation],
            "locked_by_partner": [f.to_dict() for f in self.locked_by_partner],
            "shared_customer_ids": [s.to_dict() for s in self.shared_customer_ids],
            "shared_emails": [s.to_dict() for s in self.shared_emails],
            "empty_customer_id": [f.to_dict() for f in self.empty_customer_id],
            "missing_phone_number": [f.to_dict() for f in self.missing_phone_number],
            "created_per_month": dict(self.created_per_month),
            "unknown_values": [u.to_dict() for u in self.unknown_values],
        }
        if organizations:
            out["organizations"] = [o.to_dict() for o in self.organizations]
        return out

    def to_json(self, *, organizations: bool = False, indent: Optional[int] = None) -> str:
        """:meth:`to_dict` as JSON text.

        >>> with open("audit.json", "w") as f:
        ...     f.write(report.to_json(indent=2))
        """
        return json.dumps(self.to_dict(organizations=organizations), indent=indent)

    def problems(self) -> List[Tuple[str, int]]:
        """The problem lists as ``(title, count)``, in the order every view shows them.

        >>> report.problems()[1]
        ('Locked by the partner', 37)
        """
        return [
            (
                f"Stuck in email validation (> {self.stuck_after_days} days)",
                len(self.stuck_in_email_validation),
            ),
            ("Locked by the partner", len(self.locked_by_partner)),
            ("Customer IDs shared by several organizations", len(self.shared_customer_ids)),
            ("Owner emails shared by several organizations", len(self.shared_emails)),
            ("Empty customer ID", len(self.empty_customer_id)),
            ("No phone number", len(self.missing_phone_number)),
            ("Unknown API values", len(self.unknown_values)),
        ]

    def __repr__(self) -> str:
        from .text import summary

        return summary(self)

    def _repr_html_(self) -> str:
        from .html import fragment

        return fragment(self)

    def to_html(self, *, max_rows: int = 100) -> str:
        """A self-contained HTML page (inline CSS, charts as inline SVG): the summary, the
        charts and the problem lists (``max_rows`` rows each).

        >>> with open("audit.html", "w") as f:
        ...     f.write(report.to_html(max_rows=50))
        """
        from .html import page

        return page(self, max_rows=max_rows)

    def to_pandas(self) -> AuditFrames:
        """DataFrames of the organizations and of each problem list (needs the ``pandas``
        extra: ``pip install 'scaleway_partner[pandas]'``).

        >>> frames = report.to_pandas()
        >>> frames.locked_by_partner.sort_values("days", ascending=False).head()
        """
        from .frames import frames

        return frames(self)

    def plot(self) -> Figure:
        """A matplotlib figure: status breakdown and organizations created per month (needs
        the ``plot`` extra: ``pip install 'scaleway_partner[plot]'``).

        >>> report.plot().savefig("audit.png")
        """
        from .plot import figure

        return figure(self)
