"""Client of the Scaleway Partner API: typed, asyncio-first, fault-tolerant.

>>> from scaleway_partner import Client
>>> with Client() as client:  # doctest: +SKIP
...     for org in client.list_organizations(status="locked"):
...         print(org.name, org.locked_by)

The work is done by a Rust core (retries, pacing, timeouts, pagination, typed errors); this
package maps it onto Python. ``scaleway_partner.testing`` has an embedded emulator of the API
and the package registers a pytest plugin with fixtures bound to it.
"""

from typing import TYPE_CHECKING, Any

from . import _native
from ._client import (
    AsyncClient,
    AsyncOrganizationPager,
    BulkResult,
    Client,
    EnsureResult,
    OrganizationPager,
    ProgressCallback,
)
from ._errors import (
    AlreadyExistsError,
    APIError,
    APITimeoutError,
    ConfigurationError,
    ConflictError,
    CoordinationError,
    CreateUnconfirmedError,
    DeniedAuthenticationError,
    InvalidArgumentsError,
    ListingChangedError,
    PermissionsDeniedError,
    PreconditionFailedError,
    ProgressStoppedError,
    QuotasExceededError,
    RedirectError,
    RequestCancelledError,
    ResourceLockedError,
    ResourceNotFoundError,
    ScalewayError,
    ServerError,
    TooManyRequestsError,
    TransientStateError,
    TransportError,
    UndecodableOrganizationsError,
    UnexpectedResponseError,
    ValidationError,
)
from ._models import (
    EnsuredOrganization,
    LockedBy,
    OrderBy,
    Organization,
    OrganizationPage,
    OrganizationStatus,
    UndecodableOrganization,
)
from ._reconcile import ApplyOutcome, Plan
from ._traffic import (
    APIResponse,
    RequestEvent,
    ResponseEvent,
    RetryEvent,
    TrafficEvent,
    TrafficHook,
)

if TYPE_CHECKING:
    from .audit import (
        AuditFrames,
        AuditReport,
        Finding,
        MissingExtraError,
        SharedMember,
        SharedValue,
        UnknownValue,
        bulk_outcomes,
    )

_LAZY = {
    "AuditFrames",
    "AuditReport",
    "Finding",
    "MissingExtraError",
    "SharedMember",
    "SharedValue",
    "UnknownValue",
    "bulk_outcomes",
}


def __getattr__(name: str) -> Any:
    # The audit's classes load on first use: `import scaleway_partner` stays light.
    if name in _LAZY:
        from . import audit

        value = getattr(audit, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'scaleway_partner' has no attribute {name!r}")


__version__: str = _native.__version__
"""The package's version (the workspace's, like the Node package's and the crates')."""

refresh_logging = _native.refresh_logging
"""Re-reads the levels of the ``scaleway_partner`` loggers (cached on the Rust side). Not
needed after ``setLevel``, ``logging.disable`` or ``dictConfig``: the cache follows them.

>>> import logging
>>> logging.getLogger("scaleway_partner").setLevel(logging.DEBUG)
>>> refresh_logging()
"""

__all__ = [
    "APIError",
    "APIResponse",
    "APITimeoutError",
    "AlreadyExistsError",
    "ApplyOutcome",
    "AsyncClient",
    "AsyncOrganizationPager",
    "AuditFrames",
    "AuditReport",
    "BulkResult",
    "Client",
    "ConfigurationError",
    "ConflictError",
    "CoordinationError",
    "CreateUnconfirmedError",
    "DeniedAuthenticationError",
    "EnsureResult",
    "EnsuredOrganization",
    "Finding",
    "InvalidArgumentsError",
    "ListingChangedError",
    "LockedBy",
    "MissingExtraError",
    "OrderBy",
    "Organization",
    "OrganizationPage",
    "OrganizationPager",
    "OrganizationStatus",
    "PermissionsDeniedError",
    "Plan",
    "PreconditionFailedError",
    "ProgressCallback",
    "ProgressStoppedError",
    "QuotasExceededError",
    "RedirectError",
    "RequestCancelledError",
    "RequestEvent",
    "ResourceLockedError",
    "ResourceNotFoundError",
    "ResponseEvent",
    "RetryEvent",
    "ScalewayError",
    "ServerError",
    "SharedMember",
    "SharedValue",
    "TooManyRequestsError",
    "TrafficEvent",
    "TrafficHook",
    "TransientStateError",
    "TransportError",
    "UndecodableOrganization",
    "UndecodableOrganizationsError",
    "UnexpectedResponseError",
    "UnknownValue",
    "ValidationError",
    "__version__",
    "bulk_outcomes",
    "refresh_logging",
]
