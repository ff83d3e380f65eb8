"""The keyword arguments of the client methods, declared once for both clients.

Type declarations only (the clients import this module for type checking, not at run time).
The clients take them as ``**kwargs`` typed with these ``TypedDict`` s (PEP 692), and the
native layer reads each by name: a new request field is this declaration plus one line in
``bindings/python/src/args.rs``. mypy and pyright check every keyword and its type at the call,
and an unknown keyword is a ``TypeError`` at run time, as with an ordinary signature.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Mapping, Optional, TypedDict, Union

from ._models import LockedBy, OrderBy, OrganizationStatus
from ._traffic import TrafficHook

if TYPE_CHECKING:
    # Only in annotations, which are not evaluated at run time: no runtime dependency.
    from typing_extensions import Required

    from ._client import ProgressCallback

__all__ = [
    "AdminRoleRequest",
    "BulkOptions",
    "CallOptions",
    "ClientOptions",
    "CreateOrganizationArgs",
    "CreateOrganizationRequest",
    "ListFilters",
    "OrganizationChanges",
]


StatusFilter = Union[OrganizationStatus, Literal["opened", "locked", "closed"]]
"""A ``status`` filter: the enum member or its value (a typo fails the type check)."""
LockedByFilter = Union[LockedBy, Literal["partner", "scaleway"]]
"""A ``locked_by`` filter: the enum member or its value."""
Ordering = Union[OrderBy, Literal["created_at_asc", "created_at_desc"]]
"""An ``order_by``: the enum member or its value."""


class CallOptions(TypedDict, total=False):
    """What every call also takes, for that call only."""

    timeout: Optional[float]
    """Seconds per attempt."""
    total_timeout: Optional[float]
    """Seconds for the whole call, every attempt and wait included."""
    max_retries: Optional[int]
    """Retries after the first attempt."""


class BulkOptions(CallOptions, total=False):
    """The options of the calls on many organizations."""

    concurrency: Optional[int]
    """How many run at once (``bulk_concurrency`` by default)."""
    on_progress: Optional[ProgressCallback]
    """``on_progress(done, total)`` after each item."""


class CreateOrganizationRequest(TypedDict, total=False):
    """The fields of ``create_organization`` (and ``ensure_organization``, and of each mapping
    given to ``ensure_organizations``)."""

    email: Required[str]
    """The owner's email."""
    organization_name: Required[str]
    """2 to 256 characters."""
    owner_firstname: Required[str]
    owner_lastname: Required[str]
    customer_id: Required[str]
    """The partner's reference for the customer, 1 to 256 characters."""
    partner_id: Optional[str]
    """The partner's own organization ID; the configured default organization ID if absent."""
    phone_number: Optional[str]
    siren_number: Optional[str]
    """French SIREN number: exactly 9 digits."""


class CreateOrganizationArgs(CreateOrganizationRequest, CallOptions, total=False):
    """``create_organization``'s keyword arguments: the request and the call options."""


class OrganizationChanges(CallOptions, total=False):
    """``update_organization``'s keyword arguments: the fields to change (the others are left
    as they are) and the call options."""

    email: Optional[str]
    name: Optional[str]
    owner_firstname: Optional[str]
    owner_lastname: Optional[str]
    phone_number: Optional[str]
    customer_id: Optional[str]
    comment: Optional[str]


class AdminRoleRequest(CallOptions, total=False):
    """``request_admin_role``'s keyword arguments."""

    username: Required[str]
    email: Required[str]
    password: Optional[str]
    """Never logged."""


class ListFilters(CallOptions, total=False):
    """``list_organizations``'s keyword arguments."""

    status: Optional[StatusFilter]
    email: Optional[str]
    customer_id: Optional[str]
    locked_by: Optional[LockedByFilter]
    order_by: Optional[Ordering]
    page_size: Optional[int]
    """Organizations per page, 1 to 100 (50 by default)."""


class ClientOptions(TypedDict, total=False):
    """The constructor's keyword arguments (see :class:`~scaleway_partner.Client`)."""

    secret_key: Optional[str]
    access_key: Optional[str]
    api_url: Optional[str]
    default_organization_id: Optional[str]
    profile: Optional[str]
    timeout: Optional[float]
    connect_timeout: Optional[float]
    total_timeout: Optional[float]
    create_settle_timeout: Optional[float]
    retry_unconfirmed_creates: bool
    allow_insecure_http: bool
    max_retries: Optional[int]
    rate_limit: Optional[float]
    page_concurrency: Optional[int]
    bulk_concurrency: Optional[int]
    ca_cert: Optional[str]
    max_connections: Optional[int]
    hook: Optional[TrafficHook]
    default_headers: Optional[Mapping[str, str]]
    proxy: Optional[str]
    coordination: Optional[str]
