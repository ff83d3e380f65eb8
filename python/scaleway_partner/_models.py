"""The API's values: organizations, pages and the string enums."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime, timezone
from enum import Enum
from typing import (
    TYPE_CHECKING,
    Any,
    Dict,
    Iterator,
    List,
    Mapping,
    Optional,
    Tuple,
    TypeVar,
    Union,
)

from . import _native

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = [
    "EnsuredOrganization",
    "LockedBy",
    "OrderBy",
    "Organization",
    "OrganizationPage",
    "OrganizationStatus",
    "UndecodableOrganization",
]


class _ApiEnum(str, Enum):
    """A string enum of the API that keeps values this version does not know.

    The API adds values over time; an unknown one becomes a member of its own (``is_unknown`` is
    True) instead of an error, and still compares equal to its string.
    """

    if TYPE_CHECKING:
        # What Enum makes of __new__ at run time (type checkers would see str's).
        def __new__(cls, value: object) -> Self: ...

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        # Registered so that the same value always gives the same member.
        return cls._value2member_map_.setdefault(value, member)

    def __str__(self) -> str:
        return str.__str__(self)

    def __format__(self, format_spec: str) -> str:
        return str.__format__(str(self), format_spec)

    @property
    def is_unknown(self) -> bool:
        """True for a value this version of the package does not know."""
        return self._name_ not in type(self).__members__


class OrganizationStatus(_ApiEnum):
    """Status of a customer organization.

    >>> OrganizationStatus("locked") is OrganizationStatus.LOCKED
    True
    >>> OrganizationStatus("suspended").is_unknown
    True
    """

    UNKNOWN_STATUS = "unknown_status"
    """The API's zero value; as a list filter it means any status."""
    OPENED = "opened"
    """Usable by its owner."""
    LOCKED = "locked"
    """Locked, by the partner or by Scaleway (see ``locked_by``)."""
    CLOSED = "closed"
    """Closed for good."""


class LockedBy(_ApiEnum):
    """Who placed the lock shown on an organization.

    >>> LockedBy("partner") == "partner"
    True
    """

    UNKNOWN_LOCKED_BY = "unknown_locked_by"
    """No lock, or, as a list filter, anyone. The only falsy member."""
    PARTNER = "partner"
    """Locked by the partner (``lock_organization``)."""
    SCALEWAY = "scaleway"
    """Locked by Scaleway (email validation, billing...)."""

    def __bool__(self) -> bool:
        """False for ``UNKNOWN_LOCKED_BY`` (nothing locked), so that ``if org.locked_by:`` reads
        as "is a lock shown?" (a non-empty ``str`` would always be true).

        >>> bool(LockedBy.UNKNOWN_LOCKED_BY), bool(LockedBy.PARTNER)
        (False, True)
        """
        return self is not LockedBy.UNKNOWN_LOCKED_BY


class OrderBy(_ApiEnum):
    """Order of a listing.

    >>> newest = client.list_organizations(order_by=OrderBy.CREATED_AT_DESC).page(1)
    """

    CREATED_AT_ASC = "created_at_asc"
    """Oldest first."""
    CREATED_AT_DESC = "created_at_desc"
    """Newest first."""


ORGANIZATION_COLUMNS = tuple(f for f in _native.ORGANIZATION_FIELDS if f != "picture_link")
"""The fields of the API's organization in its order (the core's ``Organization::FIELDS``)
but ``picture_link``: the columns of the command's ``-o csv`` and of the audit's frame."""

_C = TypeVar("_C", bound=type)


def _slots(cls: _C) -> _C:
    """The frozen dataclass ``cls`` rebuilt with ``__slots__`` (what ``dataclass(slots=True)``
    does from Python 3.10): a listing of 100,000 organizations holds no attribute dict each."""
    names = tuple(f.name for f in fields(cls))
    body = {k: v for k, v in cls.__dict__.items() if k not in ("__dict__", "__weakref__")}
    body["__slots__"] = names

    # Frozen: unpickling cannot go through the class's __setattr__.
    def __getstate__(self: Any) -> Tuple[Any, ...]:
        return tuple(getattr(self, n) for n in names)

    def __setstate__(self: Any, state: Tuple[Any, ...]) -> None:
        for n, v in zip(names, state):
            object.__setattr__(self, n, v)

    body["__getstate__"], body["__setstate__"] = __getstate__, __setstate__
    slotted: _C = type(cls)(cls.__name__, cls.__bases__, body)
    slotted.__qualname__ = cls.__qualname__
    return slotted


def _wire_time(t: Optional[datetime]) -> Optional[str]:
    """The API's own timestamp format: RFC 3339, microseconds, ``Z``."""
    if t is None:
        return None
    return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _json_value(value: object) -> object:
    """``json.dumps``'s fallback for ``dataclasses.asdict``'s values: datetimes as the API
    writes them."""
    if isinstance(value, datetime):
        return _wire_time(value)
    raise TypeError(f"{type(value).__name__} is not a JSON value")


@_slots
@dataclass(frozen=True, repr=False)
class Organization:
    """A customer organization managed by the partner.

    Optional text the API leaves empty is ``None``; ``created_at`` and ``locked_at`` are
    timezone-aware (UTC).

    >>> org = client.get_organization("6f4049e3-5910-4283-bb02-382ef15aa460")
    >>> org.status, org.is_locked_by_partner
    (<OrganizationStatus.OPENED: 'opened'>, False)
    """

    id: str
    """The organization ID (a UUID)."""
    name: str
    """The organization's name."""
    email: str
    """The owner's email."""
    status: OrganizationStatus
    """Its status (opened, locked...)."""
    locked_by: LockedBy
    """Who placed the lock shown (``unknown_locked_by`` when not locked)."""
    locked_at: Optional[datetime]
    """When the lock shown was placed; None when not locked."""
    lock_reason_message: Optional[str]
    """Why it is locked (``validate_email``, ``locked_by_reseller``...); None when not locked."""
    created_at: Optional[datetime]
    """When it was created (UTC); None when the API did not say."""
    customer_id: str
    """The partner's own reference for this customer (used on invoices)."""
    owner_firstname: str
    """The owner's first name."""
    owner_lastname: str
    """The owner's last name."""
    phone_number: Optional[str]
    """The owner's phone number, or None."""
    picture_link: Optional[str]
    """URL of the organization's picture, or None."""
    siren_number: Optional[str]
    """French SIREN number (9 digits), or None."""
    comment: str
    """The partner's free-text comment (empty by default)."""
    extra: Dict[str, Any] = field(default_factory=dict, hash=False)
    """The fields the API sent that this version does not know, as ``json.loads`` gives them
    (empty unless the API is newer); ``to_dict``/``to_json`` write them back."""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Organization:
        """Decodes the API's wire JSON (snake_case keys), as already parsed, or what
        :meth:`to_dict` or ``dataclasses.asdict`` made of an organization (datetimes, enum
        members, the unknown fields under ``extra``).

        Raises :class:`~scaleway_partner.ValidationError` naming the field that is wrong.

        >>> org = Organization.from_dict({"id": "6f4049e3-5910-4283-bb02-382ef15aa460",
        ...     "name": "Acme", "status": "opened", "customer_id": "customer-42"})
        >>> org.name, org.status
        ('Acme', <OrganizationStatus.OPENED: 'opened'>)
        >>> Organization.from_dict(dataclasses.asdict(org)) == org
        True
        """
        import json  # here, not at the top: `import scaleway_partner` stays light

        return cls.from_json(json.dumps(data, default=_json_value))

    @classmethod
    def from_json(cls, text: Union[str, bytes]) -> Organization:
        """Decodes the API's wire JSON text, leniently, like the client does.

        >>> org = Organization.from_json(
        ...     '{"id": "6f4049e3-5910-4283-bb02-382ef15aa460", "name": "Acme"}')
        >>> org.name
        'Acme'
        """
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        decoded: Organization = _native.decode_organization(text)
        return decoded

    def to_json(self) -> str:
        """The API's wire form as JSON text: ``Organization.from_json(o.to_json()) == o``.

        >>> Organization.from_json(org.to_json()) == org
        True
        """
        import json

        return json.dumps(self.to_dict())

    def to_dict(self) -> Dict[str, Any]:
        """The API's wire form: JSON-friendly, ``Organization.from_dict(o.to_dict()) == o``
        (the fields in :attr:`extra` among the others, as the API sent them).

        >>> Organization.from_dict(org.to_dict()) == org
        True
        """
        wire: Dict[str, Any] = dict(self.extra)
        for name in _native.ORGANIZATION_FIELDS:
            value = getattr(self, name)
            if isinstance(value, datetime):
                value = _wire_time(value)
            elif isinstance(value, Enum):
                value = str(value)
            wire[name] = value
        return wire

    @property
    def is_locked_by_partner(self) -> bool:
        """True when the lock shown was placed by the partner."""
        return self.locked_by == LockedBy.PARTNER

    def __repr__(self) -> str:
        # What the organization is now, as printed bulk results show it: who holds a lock and
        # why, nothing about a lock when there is none (not the API's placeholder).
        lock = ""
        if self.locked_by:
            lock = f", locked_by={str(self.locked_by)!r}"
            if self.lock_reason_message:
                lock += f", lock_reason_message={self.lock_reason_message!r}"
        return (
            f"Organization(id={self.id!r}, name={self.name!r}, status={str(self.status)!r}{lock})"
        )

    def _repr_html_(self) -> str:
        import html

        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
            f"<td style='text-align:left'>{'' if v is None else html.escape(str(v))}</td></tr>"
            for k, v in self.to_dict().items()
        )
        return f"<table><caption>Organization</caption>{rows}</table>"


@dataclass(frozen=True)
class EnsuredOrganization:
    """What ``ensure_organization`` found or created.

    >>> ensured = client.ensure_organization(**request)
    >>> "created" if ensured.created else "already there: " + ensured.organization.id
    """

    organization: Organization
    """The organization found or created."""
    created: bool
    """True when this call created the organization; False when it existed already."""

    def to_dict(self) -> Dict[str, Any]:
        """``{"organization": <the wire form>, "created": bool}``.

        >>> ensured.to_dict()["created"]
        False
        """
        return {"organization": self.organization.to_dict(), "created": self.created}


@dataclass(frozen=True)
class UndecodableOrganization:
    """A record of a listing that could not be read as an organization (a wrong type in a
    known field, an invalid timestamp...). The other records of its page were read.

    >>> page = client.list_organizations().page(1)
    >>> for bad in page.undecodable:
    ...     print(bad.page, bad.index, bad.id, bad.message)
    """

    page: int
    """The page it was on (1-based)."""
    index: int
    """Its position on that page (0-based)."""
    id: Optional[str]
    """Its ``id``, when the record has a string ``id``."""
    message: str
    """Why it could not be read."""


@dataclass(frozen=True, repr=False)
class OrganizationPage:
    """One page of a listing.

    >>> page = client.list_organizations(page_size=10).page(1)
    >>> len(page), page.page, page.page_size
    (10, 1, 10)
    """

    organizations: List[Organization] = field(default_factory=list)
    """The organizations of this page, in the listing's order."""
    total_count: Optional[int] = None
    """How many organizations match the filters in all, when the API said so."""
    page: int = 1
    """This page's number (1-based)."""
    page_size: int = 100
    """Organizations per page asked for (1 to 100)."""
    undecodable: List[UndecodableOrganization] = field(default_factory=list)
    """Records of this page that could not be read as organizations (usually none); iterating
    a listing yields every other one, then raises
    :class:`~scaleway_partner.UndecodableOrganizationsError`."""

    def __iter__(self) -> Iterator[Organization]:
        return iter(self.organizations)

    def __len__(self) -> int:
        return len(self.organizations)

    def __repr__(self) -> str:
        # One line, not a hundred organizations: the first few names say what it holds.
        shown = ", ".join(repr(o.name) for o in self.organizations[:3])
        more = f", ... {len(self.organizations) - 3} more" if len(self.organizations) > 3 else ""
        of = "" if self.total_count is None else f" of {self.total_count}"
        bad = f", {len(self.undecodable)} undecodable" if self.undecodable else ""
        return (
            f"<OrganizationPage {self.page} (page_size={self.page_size}): "
            f"{len(self.organizations)}{of} organizations{bad}: [{shown}{more}]>"
        )
