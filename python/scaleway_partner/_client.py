"""The two clients and their pagers.

Both clients have the same methods with the same arguments, declared once in ``_ClientBase``:
``AsyncClient``'s return coroutines that run concurrently on asyncio, ``Client``'s block (with
the GIL released, and also from inside a running event loop, as in a Jupyter cell). The native
client answers in the flavor it was built with; everything else happens in the Rust core.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from types import TracebackType
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncIterator,
    Awaitable,
    Callable,
    Coroutine,
    Dict,
    Generator,
    Generic,
    Iterable,
    Iterator,
    List,
    Mapping,
    Optional,
    Tuple,
    Type,
    TypeVar,
    Union,
)

from . import _native
from ._errors import ScalewayError
from ._flavor import Audit as _Audit
from ._flavor import Bulk as _Bulk
from ._flavor import Ensured as _Ensured
from ._flavor import Ensures as _Ensures
from ._flavor import Lister as _Lister
from ._flavor import Nothing as _Nothing
from ._flavor import Org as _Org
from ._models import EnsuredOrganization, Organization, OrganizationPage
from ._reconcile import ApplyOutcome, Plan, Records, records_json
from ._traffic import RawResponses

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ._arguments import (
        AdminRoleRequest,
        BulkOptions,
        CallOptions,
        ClientOptions,
        CreateOrganizationArgs,
        ListFilters,
        OrganizationChanges,
    )
    from ._progress import ProgressBar
    from .audit.report import AuditReport

__all__ = [
    "AsyncClient",
    "AsyncOrganizationPager",
    "BulkResult",
    "Client",
    "EnsureResult",
    "OrganizationPager",
    "ProgressCallback",
]

ProgressCallback = Callable[[int, Optional[int]], Any]
"""``on_progress(done, total)``: items done so far and the total when known. With
``AsyncClient`` it may be ``async def``: the work waits for its coroutine (the blocking
``Client`` refuses one with a ``TypeError``, nothing could await it)."""

BulkResult = Union[Organization, ScalewayError]
"""One item of a bulk result: the organization, or the error for that ID (not raised)."""

EnsureResult = Union[EnsuredOrganization, ScalewayError]
"""One item of ``ensure_organizations``: what was found or created, or the error (not raised)."""

_T = TypeVar("_T")
_Co = Coroutine[Any, Any, _T]
_AuditOut = Tuple[Dict[str, Any], List[Organization]]

_Report = TypeVar("_Report")
_PlanOut = TypeVar("_PlanOut")
_ApplyOut = TypeVar("_ApplyOut")
_Self = TypeVar("_Self", bound="_ClientBase[Any, Any, Any, Any, Any, Any, Any, Any, Any, Any]")

_AUDIT_PROGRESS = "Listing organizations"

if TYPE_CHECKING:
    _SyncLister = _native.Lister[OrganizationPage, List[Organization], Optional[OrganizationPage]]
    _AsyncLister = _native.Lister[
        _Co[OrganizationPage], _Co[List[Organization]], _Co[Optional[OrganizationPage]]
    ]
else:  # the native classes are generic in their stubs only
    _SyncLister = _AsyncLister = _native.Lister


def _with_bar(
    on_progress: Optional[ProgressCallback], bar: Optional[ProgressBar]
) -> Optional[ProgressCallback]:
    """``on_progress`` and the bar's update, as one callback."""
    if bar is None:
        return on_progress
    if on_progress is None:
        return bar.update
    user = on_progress

    def both(done: int, total: Optional[int]) -> None:
        bar.update(done, total)
        user(done, total)

    return both


def _report(native: _AuditOut) -> AuditReport:
    from .audit.report import AuditReport

    return AuditReport._from_native(native)


def _close(bar: Optional[ProgressBar]) -> None:
    if bar is not None:
        bar.close()


def _bar(progress: Optional[bool], label: str = _AUDIT_PROGRESS) -> Optional[ProgressBar]:
    from ._progress import progress_bar

    return progress_bar(progress, label)


def _pager_repr(pager: object, filters: Mapping[str, Any]) -> str:
    """What a pager is, in a notebook cell's output: its filters and how to read it."""
    given = ", ".join(f"{k}={str(v)!r}" for k, v in filters.items() if v is not None)
    return f"<{type(pager).__name__}({given}): lazy; iterate it, or .all(), .page(n), .pages()>"


class AsyncOrganizationPager:
    """A listing, fetched lazily: ``async for org in pager`` reads pages as needed, and ahead.

    Also ``await pager.all()`` (every organization, several pages at once), ``await
    pager.page(n)`` (one page with ``total_count``) and ``async for page in pager.pages()``.

    Iteration survives organizations leaving the listing while it is read (unlocking each one
    of ``locked_by="partner"`` as it comes): every organization that matches for the whole read
    is yielded exactly once (each page overlaps the previous one, and when the overlap is gone
    the listing is read again for what the shifted pages skipped), or a listing that keeps
    changing raises :class:`~scaleway_partner.ListingChangedError`.

    >>> pager = client.list_organizations(status="opened")
    >>> names = [org.name async for org in pager]
    """

    def __init__(self, native: _AsyncLister, filters: Mapping[str, Any]) -> None:
        self._native = native
        self._filters = filters

    def __repr__(self) -> str:
        return _pager_repr(self, self._filters)

    def __aiter__(self) -> AsyncIterator[Organization]:
        return self._organizations()

    async def _organizations(self) -> AsyncIterator[Organization]:
        async for page in self.pages():
            for org in page.organizations:
                yield org

    async def pages(self) -> AsyncIterator[OrganizationPage]:
        """The pages, from the first, lazily: while one is used, the next ones are on their way
        (``page_concurrency - 1`` of them).

        >>> async for page in client.list_organizations(page_size=50).pages():
        ...     print(page.page, len(page.organizations), page.total_count)
        """
        cursor = self._native.cursor()
        while True:
            page = await cursor.next_page()
            if page is None:
                return
            yield page

    async def page(self, page: int = 1) -> OrganizationPage:
        """One page (1-based); a page past the end is empty, with the total still given.

        >>> first = await client.list_organizations().page(1)
        >>> first.total_count
        1512
        """
        return await self._native.page(page)

    async def all(
        self,
        *,
        on_progress: Optional[ProgressCallback] = None,
        concurrency: Optional[int] = None,
    ) -> List[Organization]:
        """Every matching organization, in order, fetching ``concurrency`` pages at once.

        ``on_progress(done, total)`` runs on the event loop after each page; if it raises, no
        further page is fetched and the call raises that exception.

        >>> locked = await client.list_organizations(status="locked").all(concurrency=4)
        """
        return await self._native.all(on_progress=on_progress, concurrency=concurrency)


class OrganizationPager:
    """A listing, fetched lazily: ``for org in pager`` reads pages as needed, and ahead.

    Also ``pager.all()`` (every organization, several pages at once), ``pager.page(n)`` (one
    page with ``total_count``) and ``for page in pager.pages()``.

    Iteration survives organizations leaving the listing while it is read (unlocking each one
    of ``locked_by="partner"`` as it comes): every organization that matches for the whole read
    is yielded exactly once (each page overlaps the previous one, and when the overlap is gone
    the listing is read again for what the shifted pages skipped), or a listing that keeps
    changing raises :class:`~scaleway_partner.ListingChangedError`.

    >>> pager = client.list_organizations(status="opened")
    >>> names = [org.name for org in pager]
    """

    def __init__(self, native: _SyncLister, filters: Mapping[str, Any]) -> None:
        self._native = native
        self._filters = filters

    def __repr__(self) -> str:
        return _pager_repr(self, self._filters)

    def __iter__(self) -> Iterator[Organization]:
        for page in self.pages():
            yield from page.organizations

    def pages(self) -> Iterator[OrganizationPage]:
        """The pages, from the first, lazily: while one is used, the next ones are on their way
        (``page_concurrency - 1`` of them).

        >>> for page in client.list_organizations(page_size=50).pages():
        ...     print(page.page, len(page.organizations), page.total_count)
        """
        cursor = self._native.cursor()
        while True:
            page = cursor.next_page()
            if page is None:
                return
            yield page

    def page(self, page: int = 1) -> OrganizationPage:
        """One page (1-based); a page past the end is empty, with the total still given.

        >>> first = client.list_organizations().page(1)
        >>> first.total_count
        1512
        """
        return self._native.page(page)

    def all(
        self,
        *,
        on_progress: Optional[ProgressCallback] = None,
        concurrency: Optional[int] = None,
    ) -> List[Organization]:
        """Every matching organization, in order, fetching ``concurrency`` pages at once.

        ``on_progress(done, total)`` runs on the calling thread after each page; if it
        raises, the listing stops and the exception propagates.

        >>> locked = client.list_organizations(status="locked").all(
        ...     concurrency=4, on_progress=lambda done, total: print(done, total))
        """
        return self._native.all(on_progress=on_progress, concurrency=concurrency)


class Closing:
    """``with x:`` closes ``x`` on the way out (a client, an emulator)."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self: _T) -> _T:
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()


class AsyncClosing:
    """``async with x:`` closes ``x`` on the way out, with ``await x.aclose()``."""

    def aclose(self) -> Awaitable[None]:
        raise NotImplementedError

    async def __aenter__(self: _T) -> _T:
        return self

    async def __aexit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        await self.aclose()


class _Done:
    """An awaitable with nothing left to do."""

    def __await__(self) -> Generator[Any, None, None]:
        yield from ()


_CLOSED = _Done()


class _ClientBase(
    Generic[
        _Org, _Ensured, _Nothing, _Bulk, _Ensures, _Lister, _Audit, _Report, _PlanOut, _ApplyOut
    ]
):
    """Every method of both clients, declared once. The type parameters are what each kind of
    call returns: the value for :class:`Client`, a coroutine of it for :class:`AsyncClient`
    (whose methods are ``async def``: its native client answers with an awaitable, a future of
    the running loop). Examples show the blocking form; on
    :class:`AsyncClient`, ``await`` the call."""

    _native: _native.Client[_Org, _Ensured, _Nothing, _Bulk, _Ensures, _Lister, _Audit]
    _asynchronous = False

    with_raw_response = RawResponses()
    """These methods returning an :class:`~scaleway_partner.APIResponse`: the value
    (``parse()``) with its answer's ``status_code``, ``request_id`` and ``headers``."""

    def __init__(self, **options: Unpack[ClientOptions]) -> None:
        _native.start_logging()
        self._native = _native.Client(self._asynchronous, **options)

    def with_options(self: _Self, **options: Unpack[CallOptions]) -> _Self:
        """A client whose calls use these options; it shares the connections and the pacer.
        Closing the client closes the view; closing the view (``with client.with_options(...)
        as v:``) leaves the client open.

        >>> patient = client.with_options(timeout=30.0, total_timeout=300.0, max_retries=8)
        >>> patient.api_url == client.api_url
        True
        """
        other = object.__new__(type(self))
        other.__dict__.update(self.__dict__)  # what else the client holds (its emulator) too
        other._native = self._native.with_options(**options)
        return other

    @property
    def api_url(self) -> str:
        """The API base URL the client calls, without trailing slash.

        >>> Client(secret_key="11111111-1111-4111-8111-111111111111").api_url
        'https://api.scaleway.com'
        """
        return self._native.api_url

    @property
    def default_organization_id(self) -> Optional[str]:
        """The partner's own organization ID (``SCW_DEFAULT_ORGANIZATION_ID``), or None.

        >>> client.default_organization_id
        '7fbc0d5f-9d3e-48e4-8fef-6a4533c9ab2e'
        """
        return self._native.default_organization_id

    @property
    def closed(self) -> bool:
        """True once ``close()`` has been called (on this client or the one it was made from).

        >>> client.closed
        False
        """
        return self._native.closed

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(api_url={self.api_url!r}, "
            f"secret_key={self._native.masked_secret_key!r})"
        )

    def create_organization(self, **request: Unpack[CreateOrganizationArgs]) -> _Org:
        """Creates a customer organization (locked by Scaleway until the owner validates the
        email). ``partner_id`` defaults to the configured default organization ID.

        It never creates a duplicate: after a failure that may have applied the request (a
        gateway 5xx, a timeout...) it does not post again but looks for the organization for
        up to ``create_settle_timeout``, and raises
        :class:`~scaleway_partner.CreateUnconfirmedError` if it did not appear (then call
        :meth:`ensure_organization` later). Creates and ensures for one ``customer_id`` never
        overlap: a second create waits for the first to finish, then creates another
        organization (a create is not create-if-absent: use :meth:`ensure_organization`).

        >>> org = client.create_organization(
        ...     email="owner@example.com", organization_name="Acme", owner_firstname="Jane",
        ...     owner_lastname="Doe", customer_id="customer-42")
        >>> org.status, org.locked_by
        (<OrganizationStatus.LOCKED: 'locked'>, <LockedBy.SCALEWAY: 'scaleway'>)
        """
        return self._native.create_organization(**request)

    def ensure_organization(self, **request: Unpack[CreateOrganizationArgs]) -> _Ensured:
        """The organization of ``customer_id``, created only if there is none (the same
        arguments as :meth:`create_organization`).

        One whose owner email is ``email`` (case aside) is returned with ``created=False``;
        none, and it is created (``created=True``) with the same no-duplicate safety as
        :meth:`create_organization`; several, or one with another email, raise
        :class:`~scaleway_partner.ConflictError` and nothing is created. Safe to re-run after
        a crash or a :class:`~scaleway_partner.CreateUnconfirmedError`. Calls for one customer
        never overlap (across clients and, by default, the processes of the machine: see
        ``coordination``): a second one waits for the first and finds its organization.

        >>> ensured = client.ensure_organization(
        ...     email="owner@example.com", organization_name="Acme", owner_firstname="Jane",
        ...     owner_lastname="Doe", customer_id="customer-42")
        >>> ensured.created, ensured.organization.customer_id
        (False, 'customer-42')
        """
        return self._native.ensure_organization(**request)

    def ensure_organizations(
        self, requests: Iterable[Mapping[str, Any]], **options: Unpack[BulkOptions]
    ) -> _Ensures:
        """:meth:`ensure_organization` for each request (a mapping of its keyword arguments);
        one result per request, in input order: the :class:`EnsuredOrganization` or the error
        (not raised). Requests sharing a ``customer_id`` never overlap, as any two ensures for
        one customer: the first creates, the next find it.

        >>> results = client.ensure_organizations([
        ...     {"email": "ann@example.com", "organization_name": "Lee Consulting",
        ...      "owner_firstname": "Ann", "owner_lastname": "Lee", "customer_id": "c-1"},
        ... ])
        >>> [r.created if isinstance(r, EnsuredOrganization) else r.code for r in results]
        [True]
        """
        return self._native.ensure_organizations(requests, **options)

    def get_organization(
        self, organization_id: Optional[str] = None, **options: Unpack[CallOptions]
    ) -> _Org:
        """Gets one organization (the default organization ID when none is given).

        >>> org = client.get_organization("6f4049e3-5910-4283-bb02-382ef15aa460")
        >>> org.name, org.customer_id
        ('Acme', 'customer-42')
        """
        return self._native.get_organization(organization_id, **options)

    def update_organization(
        self, organization_id: str, **changes: Unpack[OrganizationChanges]
    ) -> _Org:
        """Updates the fields given; the others are left unchanged. ``organization_id`` is
        required: a change never falls back to the default organization ID.

        >>> org = client.update_organization(org.id, comment="moved to the annual plan")
        >>> org.comment
        'moved to the annual plan'
        """
        return self._native.update_organization(organization_id, **changes)

    def lock_organization(self, organization_id: str, **options: Unpack[CallOptions]) -> _Org:
        """Locks an organization (``locked_by`` partner); locking again refreshes the date.
        ``organization_id`` is required (never the default organization ID).

        >>> client.lock_organization(org.id).locked_by
        <LockedBy.PARTNER: 'partner'>
        """
        return self._native.lock_organization(organization_id, **options)

    def unlock_organization(self, organization_id: str, **options: Unpack[CallOptions]) -> _Org:
        """Lifts the partner's lock (a Scaleway lock underneath stays). ``organization_id`` is
        required (never the default organization ID).

        >>> client.unlock_organization(org.id).status
        <OrganizationStatus.OPENED: 'opened'>
        """
        return self._native.unlock_organization(organization_id, **options)

    def request_admin_role(
        self, organization_id: str, **request: Unpack[AdminRoleRequest]
    ) -> _Nothing:
        """Invites a partner user as admin of the customer organization (``organization_id`` is
        required). The password is never logged. After a failure that may have delivered it,
        it is not sent again: whether the invitation went out is then unknown.

        >>> client.request_admin_role(org.id, username="support", email="support@partner.example")
        """
        return self._native.request_admin_role(organization_id, **request)

    def lock_organizations(self, ids: Iterable[str], **options: Unpack[BulkOptions]) -> _Bulk:
        """Locks every organization; one result per ID, in input order.

        ``on_progress(done, total)`` runs after each ID (``Client``: on the calling thread;
        ``AsyncClient``: on the event loop) and the work waits for it; if it raises, no
        further ID is started and the call raises that exception.

        >>> results = client.lock_organizations(ids, concurrency=4)
        >>> failed = [r for r in results if isinstance(r, ScalewayError)]
        """
        return self._native.bulk(_native.BulkMethod.LOCK_ORGANIZATIONS, ids, **options)

    def unlock_organizations(self, ids: Iterable[str], **options: Unpack[BulkOptions]) -> _Bulk:
        """Unlocks every organization; one result per ID, in input order.

        >>> results = client.unlock_organizations(ids)
        >>> [r.code if isinstance(r, ScalewayError) else str(r.status) for r in results]
        ['opened', 'not_found']
        """
        return self._native.bulk(_native.BulkMethod.UNLOCK_ORGANIZATIONS, ids, **options)

    def audit(
        self,
        *,
        stuck_after_days: int = 7,
        now: Optional[datetime] = None,
        on_progress: Optional[ProgressCallback] = None,
        progress: Optional[bool] = None,
    ) -> _Report:
        """Lists every organization (paced, several pages at once) and audits them: counts by
        status and lock, organizations stuck in email validation for more than
        ``stuck_after_days``, partner locks and their age, shared customer IDs and emails,
        missing data, creations per month, values this package does not know.

        ``progress``: a progress bar on stderr or in Jupyter (tqdm when installed); None
        shows it when someone is watching (a terminal, IPython or Jupyter). ``now``: the
        reference time of the ages (tz-aware; now by default). ``on_progress(done, total)``
        runs after each page (``Client``: on the calling thread; ``AsyncClient``: on the event
        loop); if it raises, the audit stops and raises that exception.

        >>> report = client.audit(stuck_after_days=14, progress=False)
        >>> report.total, len(report.locked_by_partner)
        (1512, 37)
        """
        bar = _bar(progress)
        return self._finish(
            lambda: self._native.audit(
                stuck_after_days=stuck_after_days,
                now=now,
                on_progress=_with_bar(on_progress, bar),
            ),
            bar,
        )

    def _finish(self, call: Callable[[], _Audit], bar: Optional[ProgressBar]) -> _Report:
        """The report of the native audit ``call``, the bar closed whatever happens."""
        raise NotImplementedError

    def plan(
        self,
        records: Records,
        *,
        columns: Optional[Mapping[str, str]] = None,
        lock_unclaimed: bool = False,
        on_progress: Optional[ProgressCallback] = None,
        progress: Optional[bool] = None,
    ) -> _PlanOut:
        """Plans the partner's records of its customers against its organizations, read with
        one complete listing: per customer, create, update (the fields that differ), lock
        (suspended) or unlock (active), and apart the conflicts, the organizations no record
        claims (locked too with ``lock_unclaimed=True``) and Scaleway's own locks.

        ``records``: a CSV path, mappings (any iterable) or a pandas DataFrame, with the API's
        field names (``customer_id``, ``email``, ``organization_name``, ``owner_firstname``,
        ``owner_lastname``, optional ``phone_number``, ``siren_number``, ``comment``,
        ``previous_email``, and ``state``: ``active`` or ``suspended``). ``columns`` renames
        the caller's names first: ``columns={"Client ref": "customer_id"}``. An invalid record
        or a customer ID given twice raises :class:`~scaleway_partner.ValidationError` naming
        the row (1-based) and the field, before anything is sent.

        >>> plan = client.plan("customers.csv", progress=False)
        >>> print(plan)
        Plan: 3 to create, 1 to update, 2 to lock, 0 to unlock; 40 unchanged ...
        """
        text = records_json(records, columns)
        bar = _bar(progress)
        return self._plan_out(
            lambda: self._native.plan(
                text, lock_unclaimed=lock_unclaimed, on_progress=_with_bar(on_progress, bar)
            ),
            bar,
        )

    def apply(
        self,
        plan: Plan,
        *,
        journal: Optional[Union[str, os.PathLike[str]]] = None,
        concurrency: Optional[int] = None,
        on_progress: Optional[ProgressCallback] = None,
        progress: Optional[bool] = None,
    ) -> _ApplyOut:
        """Carries ``plan`` out: creates through ``ensure_organization``, every call paced;
        an action whose organization changed since the plan is refused (``stale``) rather
        than overwriting it. With ``journal`` (a file), each action is recorded before and
        after it is sent: run again with the same plan and journal after an interruption
        (Ctrl-C, a crash), the apply skips what was done and sends nothing twice. Two applies
        on one journal refuse each other (an error whose ``code`` is ``coordination``).

        >>> outcome = client.apply(plan, journal="apply.journal")
        >>> outcome.complete, outcome.counts
        (True, {'done': 6})
        """
        text = json.dumps(plan.document)
        bar = _bar(progress, "Applying")
        return self._apply_out(
            lambda: self._native.apply(
                text,
                journal=None if journal is None else os.fspath(journal),
                concurrency=concurrency,
                on_progress=_with_bar(on_progress, bar),
            ),
            bar,
        )

    def _plan_out(self, call: Callable[[], Any], bar: Optional[ProgressBar]) -> _PlanOut:
        """The plan of the native ``call``, the bar closed whatever happens."""
        raise NotImplementedError

    def _apply_out(self, call: Callable[[], Any], bar: Optional[ProgressBar]) -> _ApplyOut:
        """The outcome of the native ``call``, the bar closed whatever happens."""
        raise NotImplementedError

    def get_organizations(self, ids: Iterable[str], **options: Unpack[BulkOptions]) -> _Bulk:
        """Gets every organization; one result per ID, in input order.

        >>> orgs = [r for r in client.get_organizations(ids) if isinstance(r, Organization)]
        """
        return self._native.bulk(_native.BulkMethod.GET_ORGANIZATIONS, ids, **options)


if TYPE_CHECKING:
    _AsyncBase = _ClientBase[
        _Co[Organization],
        _Co[EnsuredOrganization],
        _Co[None],
        _Co[List[BulkResult]],
        _Co[List[EnsureResult]],
        _AsyncLister,
        _Co[_AuditOut],
        _Co["AuditReport"],  # a name: the audit package loads on first use
        _Co[Plan],
        _Co[ApplyOutcome],
    ]
    _SyncBase = _ClientBase[
        Organization,
        EnsuredOrganization,
        None,
        List[BulkResult],
        List[EnsureResult],
        _SyncLister,
        _AuditOut,
        "AuditReport",  # a name: the audit package loads on first use
        Plan,
        ApplyOutcome,
    ]
else:  # subscripting generics costs a millisecond of the import: only type checkers need it
    _AsyncBase = _SyncBase = _ClientBase


class AsyncClient(AsyncClosing, _AsyncBase):
    """Asynchronous client of the Scaleway Partner API.

    It takes the same options as :class:`Client` (see there).

    Every method also takes ``timeout=``, ``total_timeout=`` and ``max_retries=`` for that
    call only. The methods are :class:`Client`'s; each returns a coroutine (await it, or hand
    it to ``asyncio.gather`` / ``create_task``), run on the loop that awaits it (asyncio or
    trio, also through anyio).

    >>> import asyncio
    >>> from scaleway_partner import AsyncClient
    >>> async def main() -> None:
    ...     async with AsyncClient() as client:
    ...         org = await client.get_organization()
    ...         print(org.name)
    >>> asyncio.run(main())
    """

    _asynchronous = True

    def close(self) -> Awaitable[None]:
        """Closes the connections; calls still running (and later ones) fail with
        :class:`~scaleway_partner.RequestCancelledError`. Views made by ``with_options`` close too.

        Closed at the call, so that a forgotten ``await`` does not leave it open.

        >>> client = AsyncClient()
        >>> await client.close()
        >>> client.closed
        True
        """
        self._native.close()
        return _CLOSED

    aclose = close  # the name contextlib.aclosing and anyio look for

    async def _finish(
        self, call: Callable[[], _Co[_AuditOut]], bar: Optional[ProgressBar]
    ) -> AuditReport:
        try:
            return _report(await call())
        finally:
            _close(bar)

    async def _plan_out(self, call: Callable[[], Any], bar: Optional[ProgressBar]) -> Plan:
        try:
            return Plan(json.loads(await call()))
        finally:
            _close(bar)

    async def _apply_out(self, call: Callable[[], Any], bar: Optional[ProgressBar]) -> ApplyOutcome:
        try:
            return ApplyOutcome(json.loads(await call()))
        finally:
            _close(bar)

    def list_organizations(self, **filters: Unpack[ListFilters]) -> AsyncOrganizationPager:
        """The organizations matching the filters, fetched lazily (``async for``). A bad
        filter raises here, at the call.

        >>> async for org in client.list_organizations(locked_by="partner", page_size=100):
        ...     print(org.id, org.locked_at)
        """
        return AsyncOrganizationPager(self._native.list_organizations(**filters), filters)


class Client(Closing, _SyncBase):
    """Blocking client of the Scaleway Partner API; the same methods as :class:`AsyncClient`.

    Calls release the GIL while they wait, work from any thread (also one running an asyncio
    loop, as in a Jupyter cell) and stop on Ctrl-C.

    With no argument it reads ``SCW_SECRET_KEY``, ``SCW_ACCESS_KEY``,
    ``SCW_DEFAULT_ORGANIZATION_ID``, ``SCW_API_URL``... and the scw ``config.yaml``
    (``profile`` or ``SCW_PROFILE`` picks the profile), like every Scaleway tool; the
    ``secret_key``, ``access_key``, ``default_organization_id`` and ``api_url`` options
    override them. ``timeout`` and ``connect_timeout`` are in seconds (per attempt),
    ``max_retries`` counts retries after the first attempt, ``rate_limit`` is the client's
    budget in requests per second (0: no pacing), ``page_concurrency`` and
    ``bulk_concurrency`` bound the parallel work of ``all()`` and the bulk methods (iterating a
    listing reads ``page_concurrency - 1`` pages ahead).

    ``total_timeout`` (120 s by default) bounds a whole call, every attempt, retry wait and
    lookup included; for a bulk call, the whole bulk call (past it,
    :class:`~scaleway_partner.APITimeoutError` with every item's outcome in ``results``).
    ``create_settle_timeout`` (30 s) is how long a create whose answer was
    lost looks for the organization before :class:`~scaleway_partner.CreateUnconfirmedError`;
    ``retry_unconfirmed_creates=True`` posts it again instead (risking a duplicate).
    ``allow_insecure_http=True`` permits a plain ``http://`` ``api_url`` to another machine
    (refused by default: the secret key would cross the network in clear text).
    ``ca_cert`` (PEM text) adds certificate authorities to trust besides the system's, for a
    TLS-intercepting proxy or a test server; certificates are still verified.
    ``max_connections`` (32) bounds the requests on the wire, hence the connections, however
    many calls run at once. ``proxy`` is an HTTP(S) proxy URL, ``default_headers`` headers
    sent with every request, ``hook`` a :class:`~scaleway_partner.TrafficHook` that sees each
    request and answer.

    ``coordination`` says how far the callers of this key coordinate (ensures and creates for
    one customer never overlap; one rate budget): ``"machine"`` (the default: every process of
    this machine, through lock files), ``"process"`` (this process only), or a Redis URL
    (``"redis://host:6379/0"``: every host using it); ``SCW_PARTNER_COORDINATION`` when not
    given. See "Running many workers" in the README.

    Every method also takes ``timeout=``, ``total_timeout=`` and ``max_retries=`` for that
    call only.

    >>> from scaleway_partner import Client
    >>> with Client(timeout=10.0, max_retries=6) as client:
    ...     for org in client.list_organizations(status="locked"):
    ...         print(org.name, org.locked_by)
    """

    def close(self) -> None:
        """Closes the connections; calls still running (and later ones) fail with
        :class:`~scaleway_partner.RequestCancelledError`. Views made by ``with_options`` close too.

        >>> client = Client()
        >>> client.close()
        >>> client.closed
        True
        """
        self._native.close()

    def _finish(self, call: Callable[[], _AuditOut], bar: Optional[ProgressBar]) -> AuditReport:
        try:
            return _report(call())
        finally:
            _close(bar)

    def _plan_out(self, call: Callable[[], Any], bar: Optional[ProgressBar]) -> Plan:
        try:
            return Plan(json.loads(call()))
        finally:
            _close(bar)

    def _apply_out(self, call: Callable[[], Any], bar: Optional[ProgressBar]) -> ApplyOutcome:
        try:
            return ApplyOutcome(json.loads(call()))
        finally:
            _close(bar)

    def list_organizations(self, **filters: Unpack[ListFilters]) -> OrganizationPager:
        """The organizations matching the filters, fetched lazily (``for``). A bad filter
        raises here, at the call.

        >>> for org in client.list_organizations(locked_by="partner", page_size=100):
        ...     print(org.id, org.locked_at)
        """
        return OrganizationPager(self._native.list_organizations(**filters), filters)


def _present() -> None:
    from ._signatures import present

    # AsyncClient's calls whose base returns one of these are coroutines (see _AsyncBase).
    coroutines = ("_Org", "_Ensured", "_Nothing", "_Bulk", "_Ensures", "_Report")
    present(_ClientBase, {Client: None, AsyncClient: coroutines})


_present()
