"""Stubs of the native module (PyO3). The public API is the package around it."""

import asyncio
from datetime import datetime
from typing import Any, Iterable, List, Mapping, Optional, Tuple, final

from ._client import BulkResult, EnsureResult, ProgressCallback
from ._models import EnsuredOrganization, Organization, OrganizationPage

__all__ = [
    "AsyncClient",
    "AsyncCursor",
    "AsyncLister",
    "Client",
    "Cursor",
    "Lister",
    "MockServer",
    "__version__",
    "_panic_for_tests",
    "audit_diff",
    "audit_read",
    "decode_organization",
    "drain",
    "in_flight",
    "refresh_logging",
]
__version__: str

def audit_diff(report: str, previous: str) -> str: ...
def audit_read(text: str) -> Tuple[str, List[Organization]]: ...
def decode_organization(text: str) -> Organization: ...
def refresh_logging() -> None: ...
def drain(timeout: float = 5.0) -> int: ...
def in_flight() -> int: ...
def _panic_for_tests(asynchronous: bool) -> Any:
    """Tests only: a deliberate panic through the blocking (or asyncio) call path."""

@final
class Lister:
    def page(self, page: int) -> OrganizationPage: ...
    def all(
        self,
        *,
        on_progress: Optional[ProgressCallback] = None,
        concurrency: Optional[int] = None,
    ) -> List[Organization]: ...
    def cursor(self) -> Cursor: ...

@final
class Cursor:
    def next_page(self) -> Optional[OrganizationPage]: ...

@final
class AsyncLister:
    def page(self, page: int) -> asyncio.Future[OrganizationPage]: ...
    def all(
        self,
        *,
        on_progress: Optional[ProgressCallback] = None,
        concurrency: Optional[int] = None,
    ) -> asyncio.Future[List[Organization]]: ...
    def cursor(self) -> AsyncCursor: ...

@final
class AsyncCursor:
    def next_page(self) -> asyncio.Future[Optional[OrganizationPage]]: ...

@final
class Client:
    def __new__(
        cls,
        *,
        secret_key: Optional[str] = None,
        access_key: Optional[str] = None,
        api_url: Optional[str] = None,
        default_organization_id: Optional[str] = None,
        profile: Optional[str] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        total_timeout: Optional[float] = None,
        create_settle_timeout: Optional[float] = None,
        retry_unconfirmed_creates: bool = False,
        allow_insecure_http: bool = False,
        max_retries: Optional[int] = None,
        rate_limit: Optional[float] = None,
        page_concurrency: Optional[int] = None,
        bulk_concurrency: Optional[int] = None,
        ca_cert: Optional[str] = None,
        max_connections: Optional[int] = None,
    ) -> Client: ...
    def with_options(
        self,
        *,
        timeout: Optional[float] = None,
        total_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> Client: ...
    def close(self) -> None: ...
    @property
    def closed(self) -> bool: ...
    @property
    def api_url(self) -> str: ...
    @property
    def masked_secret_key(self) -> str: ...
    @property
    def default_organization_id(self) -> Optional[str]: ...
    def create_organization(
        self,
        *,
        email: Optional[str] = None,
        organization_name: Optional[str] = None,
        owner_firstname: Optional[str] = None,
        owner_lastname: Optional[str] = None,
        customer_id: Optional[str] = None,
        partner_id: Optional[str] = None,
        phone_number: Optional[str] = None,
        siren_number: Optional[str] = None,
        timeout: Optional[float] = None,
        total_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> Organization: ...
    def ensure_organization(
        self,
        *,
        email: Optional[str] = None,
        organization_name: Optional[str] = None,
        owner_firstname: Optional[str] = None,
        owner_lastname: Optional[str] = None,
        customer_id: Optional[str] = None,
        partner_id: Optional[str] = None,
        phone_number: Optional[str] = None,
        siren_number: Optional[str] = None,
        timeout: Optional[float] = None,
        total_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> EnsuredOrganization: ...
    def ensure_organizations(
        self,
        requests: Iterable[Mapping[str, Any]],
        *,
        concurrency: Optional[int] = None,
        on_progress: Optional[ProgressCallback] = None,
        timeout: Optional[float] = None,
        total_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> List[EnsureResult]: ...
    def get_organization(
        self,
        organization_id: Optional[str] = None,
        *,
        timeout: Optional[float] = None,
        total_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> Organization: ...
    def update_organization(
        self,
        organization_id: Optional[str],
        *,
        email: Optional[str] = None,
        name: Optional[str] = None,
        owner_firstname: Optional[str] = None,
        owner_lastname: Optional[str] = None,
        phone_number: Optional[str] = None,
        customer_id: Optional[str] = None,
        comment: Optional[str] = None,
        timeout: Optional[float] = None,
        total_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> Organization: ...
    def lock_organization(
        self,
        organization_id: Optional[str],
        *,
        timeout: Optional[float] = None,
        total_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> Organization: ...
    def unlock_organization(
        self,
        organization_id: Optional[str],
        *,
        timeout: Optional[float] = None,
        total_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> Organization: ...
    def request_admin_role(
        self,
        organization_id: Optional[str],
        *,
        username: Optional[str] = None,
        email: Optional[str] = None,
        password: Optional[str] = None,
        timeout: Optional[float] = None,
        total_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> None: ...
    def list_organizations(
        self,
        *,
        status: Optional[str] = None,
        email: Optional[str] = None,
        customer_id: Optional[str] = None,
        locked_by: Optional[str] = None,
        order_by: Optional[str] = None,
        page_size: Optional[int] = None,
        timeout: Optional[float] = None,
        total_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> Lister: ...
    def audit(
        self,
        *,
        stuck_after_days: Optional[int] = None,
        now: Optional[datetime] = None,
        on_progress: Optional[ProgressCallback] = None,
    ) -> Tuple[str, List[Organization]]: ...
    def lock_organizations(
        self,
        ids: Iterable[str],
        *,
        concurrency: Optional[int] = None,
        on_progress: Optional[ProgressCallback] = None,
        timeout: Optional[float] = None,
        total_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> List[BulkResult]: ...
    def unlock_organizations(
        self,
        ids: Iterable[str],
        *,
        concurrency: Optional[int] = None,
        on_progress: Optional[ProgressCallback] = None,
        timeout: Optional[float] = None,
        total_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> List[BulkResult]: ...
    def get_organizations(
        self,
        ids: Iterable[str],
        *,
        concurrency: Optional[int] = None,
        on_progress: Optional[ProgressCallback] = None,
        timeout: Optional[float] = None,
        total_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> List[BulkResult]: ...

@final
class AsyncClient:
    def __new__(
        cls,
        *,
        secret_key: Optional[str] = None,
        access_key: Optional[str] = None,
        api_url: Optional[str] = None,
        default_organization_id: Optional[str] = None,
        profile: Optional[str] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        total_timeout: Optional[float] = None,
        create_settle_timeout: Optional[float] = None,
        retry_unconfirmed_creates: bool = False,
        allow_insecure_http: bool = False,
        max_retries: Optional[int] = None,
        rate_limit: Optional[float] = None,
        page_concurrency: Optional[int] = None,
        bulk_concurrency: Optional[int] = None,
        ca_cert: Optional[str] = None,
        max_connections: Optional[int] = None,
    ) -> AsyncClient: ...
    def with_options(
        self,
        *,
        timeout: Optional[float] = None,
        total_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> AsyncClient: ...
    def close(self) -> None: ...
    @property
    def closed(self) -> bool: ...
    @property
    def api_url(self) -> str: ...
    @property
    def masked_secret_key(self) -> str: ...
    @property
    def default_organization_id(self) -> Optional[str]: ...
    def create_organization(
        self,
        *,
        email: Optional[str] = None,
        organization_name: Optional[str] = None,
        owner_firstname: Optional[str] = None,
        owner_lastname: Optional[str] = None,
        customer_id: Optional[str] = None,
        partner_id: Optional[str] = None,
        phone_number: Optional[str] = None,
        siren_number: Optional[str] = None,
        timeout: Optional[float] = None,
        total_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> asyncio.Future[Organization]: ...
    def ensure_organization(
        self,
        *,
        email: Optional[str] = None,
        organization_name: Optional[str] = None,
        owner_firstname: Optional[str] = None,
        owner_lastname: Optional[str] = None,
        customer_id: Optional[str] = None,
        partner_id: Optional[str] = None,
        phone_number: Optional[str] = None,
        siren_number: Optional[str] = None,
        timeout: Optional[float] = None,
        total_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> asyncio.Future[EnsuredOrganization]: ...
    def ensure_organizations(
        self,
        requests: Iterable[Mapping[str, Any]],
        *,
        concurrency: Optional[int] = None,
        on_progress: Optional[ProgressCallback] = None,
        timeout: Optional[float] = None,
        total_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> asyncio.Future[List[EnsureResult]]: ...
    def get_organization(
        self,
        organization_id: Optional[str] = None,
        *,
        timeout: Optional[float] = None,
        total_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> asyncio.Future[Organization]: ...
    def update_organization(
        self,
        organization_id: Optional[str],
        *,
        email: Optional[str] = None,
        name: Optional[str] = None,
        owner_firstname: Optional[str] = None,
        owner_lastname: Optional[str] = None,
        phone_number: Optional[str] = None,
        customer_id: Optional[str] = None,
        comment: Optional[str] = None,
        timeout: Optional[float] = None,
        total_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> asyncio.Future[Organization]: ...
    def lock_organization(
        self,
        organization_id: Optional[str],
        *,
        timeout: Optional[float] = None,
        total_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> asyncio.Future[Organization]: ...
    def unlock_organization(
        self,
        organization_id: Optional[str],
        *,
        timeout: Optional[float] = None,
        total_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> asyncio.Future[Organization]: ...
    def request_admin_role(
        self,
        organization_id: Optional[str],
        *,
        username: Optional[str] = None,
        email: Optional[str] = None,
        password: Optional[str] = None,
        timeout: Optional[float] = None,
        total_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> asyncio.Future[None]: ...
    def list_organizations(
        self,
        *,
        status: Optional[str] = None,
        email: Optional[str] = None,
        customer_id: Optional[str] = None,
        locked_by: Optional[str] = None,
        order_by: Optional[str] = None,
        page_size: Optional[int] = None,
        timeout: Optional[float] = None,
        total_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> AsyncLister: ...
    def audit(
        self,
        *,
        stuck_after_days: Optional[int] = None,
        now: Optional[datetime] = None,
        on_progress: Optional[ProgressCallback] = None,
    ) -> asyncio.Future[Tuple[str, List[Organization]]]: ...
    def lock_organizations(
        self,
        ids: Iterable[str],
        *,
        concurrency: Optional[int] = None,
        on_progress: Optional[ProgressCallback] = None,
        timeout: Optional[float] = None,
        total_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> asyncio.Future[List[BulkResult]]: ...
    def unlock_organizations(
        self,
        ids: Iterable[str],
        *,
        concurrency: Optional[int] = None,
        on_progress: Optional[ProgressCallback] = None,
        timeout: Optional[float] = None,
        total_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> asyncio.Future[List[BulkResult]]: ...
    def get_organizations(
        self,
        ids: Iterable[str],
        *,
        concurrency: Optional[int] = None,
        on_progress: Optional[ProgressCallback] = None,
        timeout: Optional[float] = None,
        total_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> asyncio.Future[List[BulkResult]]: ...

@final
class MockServer:
    def __new__(cls, config: str) -> MockServer: ...
    @property
    def url(self) -> str: ...
    @property
    def partners(self) -> List[Tuple[str, str]]: ...
    @property
    def rate_limit(self) -> int: ...
    @property
    def ca_certificate_pem(self) -> Optional[str]: ...
    @property
    def closed(self) -> bool: ...
    def stats(self) -> str: ...
    def reset_stats(self) -> None: ...
    def inject_faults(self, plan: str) -> None: ...
    def clear_faults(self) -> None: ...
    def validate_email(self, organization_id: str) -> bool: ...
    def patch_raw(self, organization_id: str, patch: str) -> bool: ...
    def reset(self) -> None: ...
    def close(self) -> None: ...
