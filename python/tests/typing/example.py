"""The whole public API, type-checked by pyright (strict) and run by the test suite.

Every annotation below is checked: a stub or a signature that drifts breaks ``types``.
"""

from __future__ import annotations

import asyncio
import builtins
import json
import pickle
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional, Tuple, Union

import pandas as pd

import scaleway_partner
from scaleway_partner import (
    AlreadyExistsError,
    APIError,
    APITimeoutError,
    AsyncClient,
    AsyncOrganizationPager,
    AuditFrames,
    AuditReport,
    BulkResult,
    Client,
    ConfigurationError,
    ConflictError,
    CreateUnconfirmedError,
    DeniedAuthenticationError,
    EnsuredOrganization,
    EnsureResult,
    Finding,
    InvalidArgumentsError,
    ListingChangedError,
    LockedBy,
    MissingExtraError,
    OrderBy,
    Organization,
    OrganizationPage,
    OrganizationPager,
    OrganizationStatus,
    PermissionsDeniedError,
    PreconditionFailedError,
    ProgressCallback,
    QuotasExceededError,
    RedirectError,
    RequestCancelledError,
    ResourceLockedError,
    ResourceNotFoundError,
    ScalewayError,
    ServerError,
    SharedValue,
    TooManyRequestsError,
    TransientStateError,
    TransportError,
    UnexpectedResponseError,
    UnknownValue,
    ValidationError,
)
from scaleway_partner.audit.cli import main as cli_main
from scaleway_partner.testing import MockServer, MockStats, calls_in_flight, internal_error

ERRORS: List[type[ScalewayError]] = [
    APIError,
    AlreadyExistsError,
    RequestCancelledError,
    ConfigurationError,
    ConflictError,
    CreateUnconfirmedError,
    DeniedAuthenticationError,
    InvalidArgumentsError,
    ListingChangedError,
    PermissionsDeniedError,
    PreconditionFailedError,
    QuotasExceededError,
    RedirectError,
    ResourceLockedError,
    ResourceNotFoundError,
    ServerError,
    APITimeoutError,
    TooManyRequestsError,
    TransientStateError,
    TransportError,
    UnexpectedResponseError,
    ValidationError,
]


def describe(err: ScalewayError) -> str:
    code: str = err.code
    status: Optional[int] = err.status_code
    request_id: Optional[str] = err.request_id
    type_: Optional[str] = err.type
    body: Optional[str] = err.body
    details: Optional[List[Dict[str, Any]]] = err.details
    field: Optional[str] = err.field
    resource: Optional[str] = err.resource
    resource_id: Optional[str] = err.resource_id
    retry_after: Optional[float] = err.retry_after
    message: str = err.message
    precondition: Optional[str] = err.precondition
    help_message: Optional[str] = err.help_message
    customer_id: Optional[str] = err.customer_id
    email: Optional[str] = err.email
    organization_ids: Optional[List[str]] = err.organization_ids
    location_host: Optional[str] = err.location_host
    attempts: Optional[int] = err.attempts
    elapsed: Optional[float] = err.elapsed
    results: Optional[List[Any]] = err.results
    cause: Optional[ScalewayError] = err.cause
    return f"{code} {status} {request_id} {type_} {body} {details} {field} {resource} " + (
        f"{resource_id} {retry_after} {message} {precondition} {help_message} "
        f"{customer_id} {email} {organization_ids} {location_host} {cause!r} "
        f"{attempts} {elapsed} {results}"
    )


def describe_new_kinds(err: ScalewayError) -> str:
    """The attributes the new classes always have (narrowed from the base's optional ones)."""
    if isinstance(err, CreateUnconfirmedError):
        cause: ScalewayError = err.cause
        text: str = err.customer_id + err.email + describe(cause)
        return text
    if isinstance(err, ConflictError):
        ids: List[str] = err.organization_ids
        return err.customer_id + ",".join(ids)
    if isinstance(err, RedirectError):
        status: int = err.status_code
        return f"{status} {err.location_host}"
    if isinstance(err, ListingChangedError):
        return err.message
    return describe(err)


def show_ensured(ensured: EnsuredOrganization) -> Dict[str, Any]:
    org: Organization = ensured.organization
    created: bool = ensured.created
    wire: Dict[str, Any] = ensured.to_dict()
    return {"id": org.id, "created": created, "wire": wire, "repr": repr(ensured)}


def show(org: Organization) -> Dict[str, Any]:
    status: OrganizationStatus = org.status
    locked_by: LockedBy = org.locked_by
    created: Optional[datetime] = org.created_at
    locked: Optional[datetime] = org.locked_at
    texts: List[str] = [org.id, org.name, org.email, org.customer_id, org.comment]
    texts += [org.owner_firstname, org.owner_lastname]
    optional: List[Optional[str]] = [
        org.phone_number,
        org.picture_link,
        org.siren_number,
        org.lock_reason_message,
    ]
    flags: List[bool] = [org.is_locked_by_partner, status.is_unknown, locked_by.is_unknown]
    html: str = org._repr_html_()  # pyright: ignore[reportPrivateUsage] - IPython's protocol
    wire: Dict[str, Any] = org.to_dict()
    assert Organization.from_dict(wire) == org == Organization.from_json(json.dumps(wire))
    assert pickle.loads(pickle.dumps(org)) == org
    return {
        "texts": texts,
        "optional": optional,
        "flags": flags,
        "times": [created, locked],
        "html": html,
    }


def show_audit(report: AuditReport) -> Dict[str, Any]:
    generated: datetime = report.generated_at
    counts: List[Dict[str, int]] = [
        report.by_status,
        report.by_locked_by,
        report.by_lock_reason,
        report.created_per_month,
    ]
    findings: List[Finding] = (
        report.stuck_in_email_validation
        + report.locked_by_partner
        + report.empty_customer_id
        + report.missing_phone_number
    )
    ages: List[Optional[float]] = [f.days for f in findings]
    fields: List[Union[str, Optional[datetime], OrganizationStatus, LockedBy, None]] = (
        [
            (f.id, f.name, f.email, f.customer_id, f.status, f.locked_by, f.lock_reason_message)[0]
            for f in findings[:1]
        ]
        + [f.created_at for f in findings[:1]]
        + [f.locked_at for f in findings[:1]]
    )
    shared: List[SharedValue] = report.shared_customer_ids + report.shared_emails
    ids: List[str] = [i for s in shared for i in s.organization_ids]
    unknown: List[UnknownValue] = report.unknown_values
    orgs: List[Organization] = report.organizations
    form: Dict[str, Any] = report.to_dict(organizations=False)
    again: AuditReport = AuditReport.from_json(report.to_json(indent=2))
    assert again == AuditReport.from_dict(form, orgs)
    page: str = report.to_html(max_rows=5)
    html: str = report._repr_html_()  # pyright: ignore[reportPrivateUsage] - IPython's protocol
    problems: List[Tuple[str, int]] = report.problems()
    frames: AuditFrames = report.to_pandas()
    table: pd.DataFrame = frames.locked_by_partner
    rows: int = len(table) + len(frames.organizations) + len(frames.shared_customer_ids)
    figure = report.plot()
    rows += len(figure.axes)
    try:
        raise MissingExtraError("x")
    except ImportError as e:
        print(e)
    return {
        "total": report.total + report.stuck_after_days,
        "counts": counts,
        "ages": ages,
        "fields": fields,
        "ids": ids,
        "unknown": [(u.field, u.value, u.count) for u in unknown],
        "sizes": [len(page), len(html), rows, len(problems)],
        "generated": generated,
    }


def sync_tour(mock: MockServer) -> None:
    progress: ProgressCallback = lambda done, total: None  # noqa: E731
    client: Client = mock.client(
        timeout=10.0,
        max_retries=2,
        total_timeout=60.0,
        create_settle_timeout=5.0,
        retry_unconfirmed_creates=False,
        allow_insecure_http=False,
    )
    with client:
        org: Organization = client.create_organization(
            email="owner@example.test",
            organization_name="Acme",
            owner_firstname="Jane",
            owner_lastname="Doe",
            customer_id="customer-1",
            partner_id=mock.organization_id,
            phone_number="+33123456789",
            siren_number="123456789",
            timeout=5.0,
            max_retries=0,
        )
        show(org)
        org = client.get_organization(org.id, timeout=5.0, total_timeout=9.0, max_retries=1)
        ensured: EnsuredOrganization = client.ensure_organization(
            email="owner@example.test",
            organization_name="Acme",
            owner_firstname="Jane",
            owner_lastname="Doe",
            customer_id="customer-1",
            partner_id=mock.organization_id,
            phone_number=None,
            siren_number=None,
            timeout=5.0,
            total_timeout=9.0,
            max_retries=0,
        )
        show_ensured(ensured)
        batch: List[Dict[str, Any]] = [
            {"email": "b@example.test", "organization_name": "Beta", "owner_firstname": "Bo"}
        ]
        ensured_all: List[EnsureResult] = client.ensure_organizations(
            batch, concurrency=2, on_progress=progress, timeout=5.0, total_timeout=9.0
        )
        for e in ensured_all:
            if isinstance(e, ScalewayError):
                describe_new_kinds(e)
            else:
                show_ensured(e)
        org = client.update_organization(
            org.id,
            email="new@example.test",
            name="Acme 2",
            owner_firstname="Janet",
            owner_lastname="Roe",
            phone_number="+33700000000",
            customer_id="customer-2",
            comment="note",
        )
        org = client.lock_organization(org.id, total_timeout=9.0)
        org = client.unlock_organization(org.id, timeout=5.0, total_timeout=9.0, max_retries=1)
        client.request_admin_role(
            org.id, username="admin", email="admin@example.test", password="pw"
        )
        pager: OrganizationPager = client.list_organizations(
            status=OrganizationStatus.LOCKED,
            email="new@example.test",
            customer_id="customer-2",
            locked_by=LockedBy.SCALEWAY,
            order_by=OrderBy.CREATED_AT_DESC,
            page_size=10,
            timeout=5.0,
            max_retries=1,
        )
        by_str: OrganizationPager = client.list_organizations(
            status="locked", order_by="created_at_asc"
        )
        page: OrganizationPage = pager.page(1)
        total: Optional[int] = page.total_count
        numbers: List[int] = [page.page, page.page_size, len(page), total or 0]
        listed: List[Organization] = [o for o in pager] + list(page) + page.organizations
        pages: List[OrganizationPage] = list(by_str.pages())
        everything: List[Organization] = pager.all(on_progress=progress, concurrency=2)
        results: List[BulkResult] = client.lock_organizations(
            [org.id], concurrency=2, on_progress=progress
        )
        results += client.unlock_organizations([org.id]) + client.get_organizations(iter([org.id]))
        for r in results:
            if isinstance(r, ScalewayError):
                describe(r)
            else:
                show(r)
        report: AuditReport = client.audit(
            stuck_after_days=14,
            now=datetime.now(timezone.utc),
            on_progress=progress,
            progress=False,
        )
        show_audit(report)
        quick: Client = client.with_options(timeout=1.0, total_timeout=2.0, max_retries=0)
        try:
            quick.get_organization("00000000-0000-4000-8000-000000000000")
        except ResourceNotFoundError as e:
            describe(e)
        try:
            Client(secret_key="not-a-key")
        except ConfigurationError as e:
            describe(e)
        try:
            client.get_organization("nope")
        except ValidationError as e:
            as_value_error: ValueError = e
            print(as_value_error)
        builtin: type[builtins.TimeoutError] = APITimeoutError
        print(numbers, len(listed), len(pages), len(everything), builtin, client.api_url)
        print(client.default_organization_id, client.closed, repr(client))
    assert client.closed


async def async_tour(mock: MockServer) -> None:
    progress: ProgressCallback = lambda done, total: None  # noqa: E731
    async with mock.async_client(rate_limit=0.0) as client:
        org: Organization = await client.create_organization(
            email="owner@example.test",
            organization_name="Acme",
            owner_firstname="Jane",
            owner_lastname="Doe",
            customer_id="customer-1",
        )
        got: List[Organization] = list(
            await asyncio.gather(client.get_organization(org.id), client.lock_organization(org.id))
        )
        task: asyncio.Task[Organization] = asyncio.create_task(client.get_organization(org.id))
        got.append(await task)
        async with mock.async_client() as closed_early:
            await closed_early.aclose()
        org = await client.update_organization(org.id, comment="async")
        org = await client.unlock_organization(org.id)
        await client.request_admin_role(org.id, username="admin", email="admin@example.test")
        ensured: EnsuredOrganization = await client.ensure_organization(
            email="owner@example.test",
            organization_name="Acme",
            owner_firstname="Jane",
            owner_lastname="Doe",
            customer_id="customer-1",
            total_timeout=9.0,
        )
        many: List[EnsureResult] = await client.ensure_organizations(
            [dict(customer_id="customer-1")], on_progress=progress, total_timeout=9.0
        )
        print(show_ensured(ensured), [repr(m) for m in many])
        pager: AsyncOrganizationPager = client.list_organizations(page_size=5)
        lazy: List[Organization] = [o async for o in pager]
        pages: List[OrganizationPage] = [p async for p in pager.pages()]
        page: OrganizationPage = await pager.page(1)
        everything: List[Organization] = await pager.all(on_progress=progress, concurrency=2)
        results: List[Union[Organization, ScalewayError]] = await client.get_organizations(
            [org.id], concurrency=1, on_progress=progress
        )
        results += await client.lock_organizations([org.id]) + await client.unlock_organizations(
            [org.id]
        )
        audited: AuditReport = await client.audit(on_progress=progress, progress=False)
        print(audited.total)
        view: AsyncClient = client.with_options(timeout=2.0, total_timeout=4.0)
        org = await view.get_organization(org.id, timeout=3.0, max_retries=0)
        print(len(got), len(lazy), len(pages), len(page), len(everything), len(results), repr(view))
    await client.close()


def main() -> None:
    version: str = scaleway_partner.__version__
    scaleway_partner.refresh_logging()
    with MockServer(
        seed=1,
        seed_organizations=2,
        latency={"base_ms": 0},
        rate_limit=0,
        rate_limit_style="json",
        faults={"server_error": 0.0},
        unset_siren_number="null",
        max_body_bytes=65536,
    ) as mock:
        url: str = mock.url
        key: str = mock.secret_key
        partner: str = mock.organization_id
        partners: List[Dict[str, str]] = mock.partners
        limit: int = mock.rate_limit
        sync_tour(mock)
        asyncio.run(async_tour(mock))
        mock.inject_faults({"script": [{"fault": "server_error", "count": 1}]})
        mock.clear_faults()
        first = mock.client().list_organizations().page(1).organizations[0]
        validated: bool = mock.validate_email(first.id)
        patched: bool = mock.patch_raw(first.id, set={"comment": "x"}, remove=["siren_number"])
        stats: MockStats = mock.stats()
        served: int = stats["by_operation"]["list_organizations"]
        environment: Dict[str, str] = mock.environment()
        running: int = calls_in_flight()
        try:
            internal_error()
        except RuntimeError as bug:
            print(served, environment["SCW_API_URL"], running, bug)
        mock.reset_stats()
        mock.reset()
        print(version, url, len(key), partner, partners[0]["organization_id"], limit, validated)
        print(patched, stats["requests"], [cls.__name__ for cls in ERRORS])
    status: int = cli_main(["audit", "--demo", "--format", "json", "--no-progress"])
    assert status == 0


if __name__ == "__main__":
    main()
