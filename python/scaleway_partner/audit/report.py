"""The audit report: typed values over the core's JSON form, plus the organizations audited.

Every figure is computed by the Rust core (``Client::audit``); this module only types it and
presents it (repr, Jupyter HTML, pandas, matplotlib, a self-contained page).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import (
    TYPE_CHECKING,
    Any,
    Dict,
    Iterable,
    List,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    Union,
)

from .._models import LockedBy, Organization, OrganizationStatus, _wire_time
from .._reconcile import Plan

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from .diff import AuditDiff
    from .frames import AuditFrames
    from .html import View

__all__ = [
    "FORMAT_VERSION",
    "AuditReport",
    "Finding",
    "SharedMember",
    "SharedValue",
    "UnknownValue",
]

FORMAT_VERSION = 1
"""Version of the JSON form that :meth:`AuditReport.save` writes (the core's)."""

PathLike = Union[str, "os.PathLike[str]"]
Selection = Union["pd.DataFrame", Iterable[Union[str, "Finding", Organization]]]
"""What ``plan_lock``/``plan_unlock`` take: a DataFrame with an ``id`` column, or an iterable
of organization IDs, findings or organizations."""

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
class SharedMember:
    """An organization of a shared customer ID or email: enough to tell the members apart.

    >>> for member in report.shared_emails[0].organizations:
    ...     print(member.name, member.status)
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

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SharedMember:
        """Reads the JSON form of :meth:`to_dict`.

        >>> SharedMember.from_dict(member.to_dict()) == member
        True
        """
        return cls(
            id=str(data["id"]),
            name=str(data["name"]),
            email=str(data["email"]),
            customer_id=str(data["customer_id"]),
            status=OrganizationStatus(str(data["status"])),
        )

    def to_dict(self) -> Dict[str, Any]:
        """The JSON form, as in ``AuditReport.to_dict()``.

        >>> SharedMember.from_dict(member.to_dict()) == member
        True
        """
        return {
            "id": self.id,
            "name": self.name,
            "email": self.email,
            "customer_id": self.customer_id,
            "status": str(self.status),
        }


@dataclass(frozen=True)
class SharedValue:
    """A customer ID or owner email used by several organizations that are not closed (oldest
    first).

    >>> for shared in client.audit().shared_customer_ids:
    ...     print(shared.value, [(m.name, str(m.status)) for m in shared.organizations])
    """

    value: str
    """The customer ID or owner email."""
    organization_ids: Tuple[str, ...]
    """The organizations using it, oldest first."""
    organizations: Tuple[SharedMember, ...] = ()
    """The same organizations with their names and statuses."""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SharedValue:
        """Reads the JSON form of :meth:`to_dict`.

        >>> SharedValue.from_dict(shared.to_dict()) == shared
        True
        """
        return cls(
            str(data["value"]),
            tuple(str(i) for i in data["organization_ids"]),
            tuple(SharedMember.from_dict(m) for m in data.get("organizations", ())),
        )

    def to_dict(self) -> Dict[str, Any]:
        """The JSON form, as in ``AuditReport.to_dict()``.

        >>> SharedValue.from_dict(shared.to_dict()) == shared
        True
        """
        return {
            "value": self.value,
            "organization_ids": list(self.organization_ids),
            "organizations": [m.to_dict() for m in self.organizations],
        }


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
    ``plot()``, ``to_html()``, ``to_excel()``, ``to_csv()`` and ``to_dict()``/``to_json()``
    give the same content in other forms; ``save()``, ``load()`` and ``diff()`` tell what
    changed since an earlier audit. ``organizations`` holds every organization audited.

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
    closed: List[Finding]
    """Closed organizations, oldest first: they are in no problem list."""
    stuck_in_email_validation: List[Finding]
    """Waiting for the owner's email validation for more than ``stuck_after_days``, longest
    first."""
    locked_by_partner: List[Finding]
    """Locked by the partner, longest-locked first."""
    shared_customer_ids: List[SharedValue]
    """Customer IDs used by several organizations (closed ones aside), most used first."""
    shared_emails: List[SharedValue]
    """Owner emails (case-insensitive) used by several organizations (closed ones aside), most
    used first."""
    empty_customer_id: List[Finding]
    """Organizations without a customer ID (closed ones aside)."""
    missing_phone_number: List[Finding]
    """Organizations without a phone number (closed ones aside)."""
    created_per_month: Dict[str, int]
    """Organizations created per month (``YYYY-MM``), every month from the first to the last."""
    unknown_values: List[UnknownValue]
    """Values of ``status``, ``locked_by`` or ``lock_reason_message`` this package does not
    know, with their counts."""
    organizations: List[Organization] = field(default_factory=list, compare=False)
    """The organizations audited (oldest first); in the JSON form with ``organizations=True``
    (and always in :meth:`save`'s)."""

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
            closed=_findings(data.get("closed", ()), index),
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
        """The report from its JSON text (:meth:`to_json` or :meth:`save`), read by the core:
        a form of another version is a ``ValidationError`` naming ``version``.

        >>> saved = AuditReport.from_json(open("audit.json").read())
        """
        from .. import _native

        summary, organizations = _native.audit_read(text)
        return cls.from_dict(json.loads(summary), organizations)

    @classmethod
    def load(cls, path: PathLike) -> AuditReport:
        """A report written by :meth:`save` (or ``scaleway-partner audit --format json
        --include-organizations``).

        >>> last_week = AuditReport.load("audit-2026-11-24.json")
        >>> print(client.audit().diff(last_week))
        """
        with open(path, encoding="utf-8") as f:
            return cls.from_json(f.read())

    def save(self, path: PathLike) -> None:
        """Writes the JSON form with the organizations, for a later :meth:`diff`.

        >>> client.audit().save(f"audit-{date.today()}.json")
        """
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.to_json(organizations=True))

    def plan_lock(self, selection: Selection) -> Plan:
        """The dry run of locking the organizations picked, as this audit saw them: a
        :class:`~scaleway_partner.Plan` whose actions are exactly the organizations the lock
        would change (the others, already locked by the partner or closed, count as
        unchanged). Computed by the core; nothing is sent. ``client.apply(plan)`` carries it
        out, refusing (``stale``) an organization that changed since the audit.

        ``selection``: rows of a frame of :meth:`to_pandas` (a DataFrame with an ``id``
        column), organization IDs, or findings and organizations of this report.

        >>> orgs = report.to_pandas().organizations
        >>> plan = report.plan_lock(orgs[orgs.shared_email.notna()])
        >>> plan  # the preview
        >>> client.apply(plan)
        """
        return self._plan_locks(selection, lock=True)

    def plan_unlock(self, selection: Selection) -> Plan:
        """The dry run of lifting the partner's lock of the organizations picked, as this
        audit saw them: the actions are exactly the organizations locked by the partner
        (Scaleway's own lock is not the partner's to lift). Nothing is sent; see
        :meth:`plan_lock`.

        >>> plan = report.plan_unlock(report.locked_by_partner[:10])
        >>> client.apply(plan)
        """
        return self._plan_locks(selection, lock=False)

    def _plan_locks(self, selection: Selection, lock: bool) -> Plan:
        from .. import _native
        from .._errors import ValidationError

        items: Iterable[Any] = selection
        if hasattr(selection, "columns"):  # a DataFrame, without importing pandas to check
            frame: Any = selection
            if "id" not in frame.columns:
                raise ValidationError(
                    "invalid selection: a DataFrame needs the column 'id'", field="selection"
                )
            items = frame["id"]
        ids = [i if isinstance(i, str) else str(getattr(i, "id", i)) for i in items]
        # Which IDs may be picked is the core's rule (the audit's organizations).
        text = _native.plan_locks(self.to_json(organizations=True), ids, lock)
        return Plan(json.loads(text))

    def diff(self, previous: AuditReport) -> AuditDiff:
        """What changed since ``previous``, an earlier audit of the same book (computed by the
        core): new and lifted partner locks, newly stuck organizations, new duplicates, new and
        removed organizations, status changes. Both reports need their organizations.

        >>> changes = client.audit().diff(AuditReport.load("last-week.json"))
        >>> [f.name for f in changes.new_partner_locks]
        """
        from .. import _native
        from .diff import AuditDiff

        text = _native.audit_diff(
            self.to_json(organizations=True), previous.to_json(organizations=True)
        )
        return AuditDiff.from_dict(json.loads(text))

    def to_dict(self, *, organizations: bool = False) -> Dict[str, Any]:
        """The JSON form (as the core serializes it, timestamps in the API's format); with
        ``organizations=True`` also every organization in the API's wire form.

        >>> report.to_dict()["total"]
        1512
        """
        out: Dict[str, Any] = {
            "version": FORMAT_VERSION,
            "generated_at": _wire_time(self.generated_at),
            "stuck_after_days": self.stuck_after_days,
            "total": self.total,
            "by_status": dict(self.by_status),
            "by_locked_by": dict(self.by_locked_by),
            "by_lock_reason": dict(self.by_lock_reason),
            "closed": [f.to_dict() for f in self.closed],
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
        """The problem lists as ``(title, count)``, in the order every view shows them
        (closed organizations are not a problem: they have their own section).

        >>> report.problems()[1]
        ('Locked by the partner', 37)
        """
        from .tables import problem_tables

        return [(t.title, t.count) for t in problem_tables(self)]

    def __repr__(self) -> str:
        from .text import summary

        return summary(self)

    def _repr_html_(self) -> str:
        return self.view()._repr_html_()

    def view(self, *, max_rows: Optional[int] = 10, changes: Optional[AuditDiff] = None) -> View:
        """What Jupyter shows, with ``max_rows`` rows per list (None: every row) and, when
        given, the changes since an earlier audit.

        >>> report.view(max_rows=None)  # every row of every list
        """
        from .html import View

        return View(self, max_rows, changes)

    def to_text(
        self,
        *,
        max_rows: Optional[int] = 10,
        changes: Optional[AuditDiff] = None,
        width: Optional[int] = None,
        color: bool = False,
    ) -> str:
        """The terminal report (``scaleway-partner audit``): ``max_rows`` rows per list (None:
        all), fitted to ``width`` columns (the terminal's by default).

        >>> print(report.to_text(max_rows=None, width=120))
        """
        from .terminal import render

        return render(self, max_rows=max_rows, changes=changes, width=width, color=color)

    def to_html(self, *, max_rows: Optional[int] = 100, changes: Optional[AuditDiff] = None) -> str:
        """A self-contained HTML page (inline CSS, JS and SVG charts; nothing fetched): a
        table of contents, the charts and the lists (``max_rows`` rows each, None: all) in
        sortable tables with a search box; dark mode and print styles.

        >>> with open("audit.html", "w") as f:
        ...     f.write(report.to_html(max_rows=None))
        """
        from .html import page

        return page(self, max_rows=max_rows, changes=changes)

    def to_excel(self, path: PathLike, *, changes: Optional[AuditDiff] = None) -> None:
        """An ``.xlsx`` workbook: a summary sheet, then one sheet per finding with every row
        (needs the ``excel`` extra: ``pip install 'scaleway_partner[excel]'``).

        >>> report.to_excel("audit.xlsx")
        """
        from .export import to_excel

        to_excel(self, path, changes=changes)

    def to_csv(self, path: PathLike, *, changes: Optional[AuditDiff] = None) -> List[str]:
        """One CSV file per finding (and ``summary.csv``) with every row, in the directory
        ``path`` or, when it ends with ``.zip``, in a zip archive; returns the file names.

        >>> report.to_csv("audit-csv")
        ['summary.csv', 'stuck_in_email_validation.csv', ...]
        """
        from .export import to_csv

        return to_csv(self, path, changes=changes)

    def to_pandas(self) -> AuditFrames:
        """DataFrames of the organizations and of each list (needs the ``pandas`` extra:
        ``pip install 'scaleway_partner[pandas]'``); they write cleanly to Excel or CSV.

        >>> frames = report.to_pandas()
        >>> frames.locked_by_partner.sort_values("days", ascending=False).head()
        """
        from .frames import frames

        return frames(self)

    def plot(self) -> Figure:
        """A matplotlib figure: organizations by status (locks split between the partner and
        Scaleway), partner locks by age, and organizations created per month (needs the
        ``plot`` extra: ``pip install 'scaleway_partner[plot]'``).

        >>> report.plot().savefig("audit.png")
        """
        from .plot import figure

        return figure(self)
