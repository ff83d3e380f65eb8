"""The audit report: the core's values, typed by the classes below, plus the organizations
audited.

Every figure is computed by the Rust core (``Client::audit``); this module only types it and
presents it (repr, Jupyter HTML, pandas, matplotlib, a self-contained page).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import datetime
from enum import Enum
from operator import attrgetter
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    Iterable,
    List,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    Type,
    TypeVar,
    Union,
    get_args,
    get_origin,
    get_type_hints,
)

from .. import _native
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

_D = TypeVar("_D")
_Convert = Callable[[Any, Mapping[str, Organization]], Any]
_CONVERTERS: Dict[type, Dict[str, Optional[_Convert]]] = {}
_FORM_ONLY = ("version",)
"""Keys of the form that are no field: the form's version (checked by the core)."""


def _typed(
    cls: Type[_D], data: Mapping[str, Any], index: Mapping[str, Organization], **given: Any
) -> _D:
    """The dataclass ``cls`` from its form: the native values the core hands over (``datetime``
    already) or the JSON form. Each key is a field, converted to its declared type, so a field
    the core adds is a ``TypeError`` until ``cls`` declares it: no list of keys to update.
    Findings of an organization of ``index`` share its values."""
    converters = _converters(cls)
    values = {}
    for key, value in data.items():
        if key in _FORM_ONLY:
            continue
        if key not in converters:
            raise TypeError(f"{cls.__name__} has no field {key!r} (the core's form has)")
        convert = converters[key]
        values[key] = value if convert is None else convert(value, index)
    return cls(**values, **given)


def _converters(cls: type) -> Dict[str, Optional[_Convert]]:
    """How each field of the dataclass ``cls`` is read from the form, decided once."""
    converters = _CONVERTERS.get(cls)
    if converters is None:
        converters = _CONVERTERS[cls] = {}
        for name, hint in get_type_hints(cls).items():
            converters[name] = _converter(hint)
    return converters


def _converter(hint: Any) -> Optional[_Convert]:
    """How a value of the form becomes one of the type ``hint`` (None: as it is), decided once
    per field: most of a large report is findings."""
    origin = get_origin(hint)
    if origin is Union:  # Optional[X]
        inner = _converter(next(a for a in get_args(hint) if a is not type(None)))
        if inner is None:
            return None
        return lambda v, index: None if v is None else inner(v, index)
    if origin in (list, tuple):
        item = get_args(hint)[0]
        convert = _converter(item)
        if origin is tuple:
            return lambda v, index: tuple(v if convert is None else (convert(i, index) for i in v))
        if convert is None:
            return lambda v, index: list(v)
        return lambda v, index: [convert(i, index) for i in v]
    if origin is dict:
        return lambda v, index: dict(v)
    if isinstance(hint, type) and is_dataclass(hint):
        if "id" in _converters(hint):
            return _sharing(hint)
        return lambda v, index: _typed(hint, v, index)
    if hint is datetime:
        return lambda v, index: v if isinstance(v, datetime) else _native.timestamp(v)
    if isinstance(hint, type) and issubclass(hint, Enum):
        members: Dict[Any, Any] = {}
        return lambda v, index: members.get(v) or members.setdefault(v, hint(v))
    if hint in (int, float):
        return lambda v, index: hint(v)
    return None


def _sharing(cls: Any) -> _Convert:
    """Instances of ``cls`` (a finding, a member of a shared value) for an organization of the
    index share its values (strings, dates, enum members) rather than converting them again:
    most of a large report is findings. The other fields (``days``) come from the form. The
    frozen dataclass's __init__ would set each field through object.__setattr__."""
    names = [f.name for f in fields(cls)]
    shared = tuple(n for n in names if n in _native.ORGANIZATION_FIELDS)
    own = [n for n in names if n not in shared]
    get = attrgetter(*shared)

    def convert(value: Mapping[str, Any], index: Mapping[str, Organization]) -> Any:
        org = index.get(value["id"])
        if org is None or len(value) != len(names):
            return _typed(cls, value, index)
        converters = _CONVERTERS[cls]
        values = dict(zip(shared, get(org)))
        for name in own:
            convert, v = converters[name], value[name]
            values[name] = v if convert is None else convert(v, index)
        instance = object.__new__(cls)
        object.__setattr__(instance, "__dict__", values)
        return instance

    return convert


_FORMERS: Dict[type, List[Tuple[str, Optional[Callable[[Any], Any]]]]] = {}


def _form(value: Any) -> Dict[str, Any]:
    """The JSON form of a dataclass of this module: a dict of its fields, timestamps in the
    API's format, enum members as their values (how, decided once per field)."""
    cls = type(value)
    formers = _FORMERS.get(cls)
    if formers is None:
        hints = get_type_hints(cls)
        formers = _FORMERS[cls] = [
            (f.name, _former(hints[f.name])) for f in fields(value) if not f.metadata.get("apart")
        ]
    values = value.__dict__
    return {k: values[k] if f is None else f(values[k]) for k, f in formers}


def _former(hint: Any) -> Optional[Callable[[Any], Any]]:
    """How a value of the type ``hint`` is written in the JSON form (None: as it is)."""
    origin = get_origin(hint)
    if origin is Union:  # Optional[X]
        inner = _former(next(a for a in get_args(hint) if a is not type(None)))
        if inner is None:
            return None
        return lambda v: None if v is None else inner(v)
    if origin in (list, tuple):
        item = _former(get_args(hint)[0])
        return list if item is None else lambda v: [item(i) for i in v]
    if origin is dict:
        return dict
    if is_dataclass(hint):
        return _form
    if hint is datetime:
        return _wire_time
    if isinstance(hint, type) and issubclass(hint, Enum):
        return str
    return None


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
        return _typed(cls, data, {})

    def to_dict(self) -> Dict[str, Any]:
        """The JSON form, as in ``AuditReport.to_dict()``.

        >>> Finding.from_dict(finding.to_dict()) == finding
        True
        """
        return _form(self)


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
        return _typed(cls, data, {})

    def to_dict(self) -> Dict[str, Any]:
        """The JSON form, as in ``AuditReport.to_dict()``.

        >>> SharedMember.from_dict(member.to_dict()) == member
        True
        """
        return _form(self)


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
        return _typed(cls, data, {})

    def to_dict(self) -> Dict[str, Any]:
        """The JSON form, as in ``AuditReport.to_dict()``.

        >>> SharedValue.from_dict(shared.to_dict()) == shared
        True
        """
        return _form(self)


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
        return _typed(cls, data, {})

    def to_dict(self) -> Dict[str, Any]:
        """The JSON form, as in ``AuditReport.to_dict()``.

        >>> UnknownValue.from_dict(unknown.to_dict()) == unknown
        True
        """
        return _form(self)


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
    # Written apart, in their wire form, when asked for (``to_dict(organizations=True)``).
    organizations: List[Organization] = field(
        default_factory=list, compare=False, metadata={"apart": True}
    )
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
        return cls._from_native(_native.audit_from_dict(data), organizations)

    @classmethod
    def _from_native(
        cls,
        native: Tuple[Dict[str, Any], List[Organization]],
        organizations: Optional[Sequence[Organization]] = None,
    ) -> AuditReport:
        """The report the core handed over: its values (``datetime``s already) and its
        organizations, which the findings share."""
        summary, found = native
        orgs = list(found if organizations is None else organizations)
        return _typed(cls, summary, {o.id: o for o in orgs}, organizations=orgs)

    @classmethod
    def from_json(cls, text: str) -> AuditReport:
        """The report from its JSON text (:meth:`to_json` or :meth:`save`), read by the core:
        a form of another version is a ``ValidationError`` naming ``version``.

        >>> saved = AuditReport.from_json(open("audit.json").read())
        """
        return cls._from_native(_native.audit_read(text))

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
        text = _native.plan_locks(self.to_dict(organizations=True), ids, lock)
        return Plan(json.loads(text))

    def diff(self, previous: AuditReport) -> AuditDiff:
        """What changed since ``previous``, an earlier audit of the same book (computed by the
        core): new and lifted partner locks, newly stuck organizations, new duplicates, new and
        removed organizations, status changes. Both reports need their organizations.

        >>> changes = client.audit().diff(AuditReport.load("last-week.json"))
        >>> [f.name for f in changes.new_partner_locks]
        """
        from .diff import AuditDiff

        native = _native.audit_diff(
            self.to_dict(organizations=True), previous.to_dict(organizations=True)
        )
        return AuditDiff._from_native(native)

    def to_dict(self, *, organizations: bool = False) -> Dict[str, Any]:
        """The JSON form (as the core serializes it, timestamps in the API's format); with
        ``organizations=True`` also every organization in the API's wire form.

        >>> report.to_dict()["total"]
        1512
        """
        out: Dict[str, Any] = {"version": FORMAT_VERSION, **_form(self)}
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
