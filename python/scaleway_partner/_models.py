"""The API's values: organizations, pages and the string enums."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import Enum
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Mapping, Optional, Union

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
    """Status of a customer organization."""

    UNKNOWN_STATUS = "unknown_status"
    """The API's zero value; as a list filter it means any status."""
    OPENED = "opened"
    LOCKED = "locked"
    CLOSED = "closed"


class LockedBy(_ApiEnum):
    """Who placed the lock shown on an organization."""

    UNKNOWN_LOCKED_BY = "unknown_locked_by"
    """No lock, or, as a list filter, anyone."""
    PARTNER = "partner"
    SCALEWAY = "scaleway"


class OrderBy(_ApiEnum):
    """Order of a listing."""

    CREATED_AT_ASC = "created_at_asc"
    CREATED_AT_DESC = "created_at_desc"


def _wire_time(t: Optional[datetime]) -> Optional[str]:
    """The API's own timestamp format: RFC 3339, microseconds, ``Z``."""
    if t is None:
        return None
    return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True, repr=False)
class Organization:
    """A customer organization managed by the partner.

    Optional text the API leaves empty is ``None``; ``created_at`` and ``locked_at`` are
    timezone-aware (UTC).
    """

    id: str
    name: str
    email: str
    status: OrganizationStatus
    locked_by: LockedBy
    locked_at: Optional[datetime]
    lock_reason_message: Optional[str]
    created_at: Optional[datetime]
    customer_id: str
    owner_firstname: str
    owner_lastname: str
    phone_number: Optional[str]
    picture_link: Optional[str]
    siren_number: Optional[str]
    comment: str

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Organization:
        """Decodes the API's wire JSON (snake_case keys), as already parsed.

        Raises :class:`~scaleway_partner.ValidationError` when it is not an organization.
        """
        return cls.from_json(json.dumps(data))

    @classmethod
    def from_json(cls, text: Union[str, bytes]) -> Organization:
        """Decodes the API's wire JSON text, leniently, like the client does."""
        from . import _native

        if isinstance(text, bytes):
            text = text.decode("utf-8")
        decoded: Organization = _native.decode_organization(text)
        return decoded

    def to_dict(self) -> Dict[str, Any]:
        """The API's wire form: JSON-friendly, ``Organization.from_dict(o.to_dict()) == o``."""
        return {
            "comment": self.comment,
            "created_at": _wire_time(self.created_at),
            "customer_id": self.customer_id,
            "email": self.email,
            "id": self.id,
            "lock_reason_message": self.lock_reason_message,
            "locked_at": _wire_time(self.locked_at),
            "locked_by": str(self.locked_by),
            "name": self.name,
            "owner_firstname": self.owner_firstname,
            "owner_lastname": self.owner_lastname,
            "phone_number": self.phone_number,
            "picture_link": self.picture_link,
            "siren_number": self.siren_number,
            "status": str(self.status),
        }

    @property
    def is_locked_by_partner(self) -> bool:
        """True when the lock shown was placed by the partner."""
        return self.locked_by == LockedBy.PARTNER

    def __repr__(self) -> str:
        return (
            f"Organization(id={self.id!r}, name={self.name!r}, "
            f"status={str(self.status)!r}, locked_by={str(self.locked_by)!r})"
        )

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
            f"<td style='text-align:left'>{'' if v is None else html.escape(str(v))}</td></tr>"
            for k, v in self.to_dict().items()
        )
        return f"<table><caption>Organization</caption>{rows}</table>"


@dataclass(frozen=True)
class EnsuredOrganization:
    """What ``ensure_organization`` found or created."""

    organization: Organization
    created: bool
    """True when this call created the organization; False when it existed already."""

    def to_dict(self) -> Dict[str, Any]:
        """``{"organization": <the wire form>, "created": bool}``."""
        return {"organization": self.organization.to_dict(), "created": self.created}


@dataclass(frozen=True)
class UndecodableOrganization:
    """A record of a listing that could not be read as an organization (a wrong type in a
    known field, an invalid timestamp...). The other records of its page were read."""

    page: int
    """The page it was on (1-based)."""
    index: int
    """Its position on that page (0-based)."""
    id: Optional[str]
    """Its ``id``, when the record has a string ``id``."""
    message: str
    """Why it could not be read."""


@dataclass(frozen=True)
class OrganizationPage:
    """One page of a listing."""

    organizations: List[Organization] = field(default_factory=list)
    total_count: Optional[int] = None
    """How many organizations match the filters in all, when the API said so."""
    page: int = 1
    page_size: int = 100
    undecodable: List[UndecodableOrganization] = field(default_factory=list)
    """Records of this page that could not be read as organizations (usually none); iterating
    a listing yields every other one, then raises
    :class:`~scaleway_partner.UndecodableOrganizationsError`."""

    def __iter__(self) -> Iterator[Organization]:
        return iter(self.organizations)

    def __len__(self) -> int:
        return len(self.organizations)
