"""What a newcomer sees in Jupyter and ``help()`` (issue 25): every keyword argument of every
method as a parameter (``inspect.signature``, ``help()``, IPython's Tab), type hints that
resolve, the constructor's options in ``Client``'s docstring, ``AsyncClient``'s calls as
coroutine functions, and errors that name the client rather than an internal base class."""

from __future__ import annotations

import asyncio
import gc
import inspect
import io
import pydoc
import typing
import warnings
from typing import Any, List

import pytest

from scaleway_partner import AsyncClient, Client
from scaleway_partner import _arguments as arguments
from scaleway_partner.testing import MockServer

# Each method and the TypedDict that declares its keyword arguments.
KEYWORDS = [
    ("__init__", arguments.ClientOptions),
    ("create_organization", arguments.CreateOrganizationArgs),
    ("ensure_organization", arguments.CreateOrganizationArgs),
    ("ensure_organizations", arguments.BulkOptions),
    ("get_organization", arguments.CallOptions),
    ("update_organization", arguments.OrganizationChanges),
    ("lock_organization", arguments.CallOptions),
    ("request_admin_role", arguments.AdminRoleRequest),
    ("lock_organizations", arguments.BulkOptions),
    ("list_organizations", arguments.ListFilters),
    ("with_options", arguments.CallOptions),
]

COROUTINES = [
    "create_organization",
    "ensure_organization",
    "ensure_organizations",
    "get_organization",
    "update_organization",
    "lock_organization",
    "unlock_organization",
    "request_admin_role",
    "lock_organizations",
    "unlock_organizations",
    "get_organizations",
    "audit",
]


def _public_methods(cls: type) -> List[str]:
    return [n for n in dir(cls) if not n.startswith("_") and inspect.isfunction(getattr(cls, n))]


@pytest.mark.parametrize("client", [Client, AsyncClient])
@pytest.mark.parametrize(("name", "declared"), KEYWORDS)
def test_every_keyword_is_a_parameter(client: type, name: str, declared: type) -> None:
    parameters = inspect.signature(getattr(client, name)).parameters
    assert not [p for p in parameters.values() if p.kind is p.VAR_KEYWORD]
    for key in declared.__annotations__:
        assert parameters[key].kind is inspect.Parameter.KEYWORD_ONLY, key


def test_required_keywords_have_no_default() -> None:
    parameters = inspect.signature(Client.create_organization).parameters
    assert parameters["email"].default is inspect.Parameter.empty
    assert parameters["customer_id"].default is inspect.Parameter.empty
    assert parameters["phone_number"].default is None
    assert parameters["email"].annotation is str


def test_signature_of_the_class_is_the_constructor() -> None:
    parameters = inspect.signature(Client).parameters
    assert "secret_key" in parameters and "max_connections" in parameters


@pytest.mark.parametrize("client", [Client, AsyncClient])
def test_type_hints_resolve_for_every_public_method(client: type) -> None:
    for name in [*_public_methods(client), "__init__"]:
        hints = typing.get_type_hints(getattr(client, name))
        assert "return" in hints, name
    assert typing.get_type_hints(client.list_organizations)["page_size"] == typing.Optional[int]


def test_help_lists_the_parameters() -> None:
    text = pydoc.render_doc(Client.create_organization, renderer=pydoc.plaintext)
    for key in ("email", "organization_name", "customer_id", "siren_number", "timeout"):
        assert f"{key}:" in text, key
    page = pydoc.render_doc(Client, renderer=pydoc.plaintext)
    assert "list_organizations(self, *, status:" in page
    # The methods are the client's own (not "inherited from _ClientBase").
    inherited = page.split("Methods inherited from _ClientBase", 1)[-1].split("----")[0]
    assert "create_organization(" not in inherited


def test_client_docstring_names_every_constructor_option() -> None:
    doc = Client.__doc__ or ""
    missing = [
        key
        for key in arguments.ClientOptions.__annotations__
        if f"``{key}``" not in doc and f"``{key}=" not in doc
    ]
    assert not missing


def test_ipython_completes_keyword_arguments() -> None:
    pytest.importorskip("IPython")
    from IPython.core.completer import provisionalcompleter
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    client = Client(secret_key="11111111-1111-4111-8111-111111111111")
    shell.user_ns["client"] = client
    try:
        for line, expected in [
            ("client.create_organization(em", "email="),
            ("client.list_organizations(sta", "status="),
        ]:
            with provisionalcompleter():
                completions = {c.text for c in shell.Completer.completions(line, len(line))}
            assert expected in completions, (line, sorted(completions)[:20])
    finally:
        client.close()
        # A live shell makes the package think it runs in IPython (progress bars on) for the
        # tests that follow.
        InteractiveShell.clear_instance()


@pytest.mark.parametrize("name", COROUTINES)
def test_async_calls_are_coroutine_functions(name: str) -> None:
    assert inspect.iscoroutinefunction(getattr(AsyncClient, name))
    assert not inspect.iscoroutinefunction(getattr(Client, name))


def test_a_forgotten_await_names_the_method() -> None:
    async def forget() -> None:
        with MockServer() as mock:
            client = mock.async_client()
            client.get_organization("6f4049e3-5910-4283-bb02-382ef15aa460")
            await client.close()

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        asyncio.run(forget())
        gc.collect()
    messages = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    assert any("AsyncClient.get_organization" in m for m in messages), messages


def test_close_without_await_closes() -> None:
    client = AsyncClient(secret_key="11111111-1111-4111-8111-111111111111")
    client.close()  # type: ignore[unused-coroutine]
    assert client.closed


@pytest.mark.parametrize("client", [Client, AsyncClient])
def test_argument_errors_name_the_client(client: Any) -> None:
    instance = client(secret_key="11111111-1111-4111-8111-111111111111")

    def call() -> None:
        result = instance.lock_organization("a", "b")
        # AsyncClient: as with any async def, the arguments are bound when the coroutine runs.
        asyncio.run(_awaited(result))

    try:
        with pytest.raises(TypeError) as caught:
            call()
        assert f"{client.__name__}.lock_organization()" in str(caught.value)
        assert "_ClientBase" not in str(caught.value)
    finally:
        closed = instance.close()
        if inspect.isawaitable(closed):
            asyncio.run(_awaited(closed))


async def _awaited(value: Any) -> None:
    await value


def test_help_output_is_plain_text() -> None:
    buffer = io.StringIO()
    pydoc.Helper(output=buffer).help(Client.get_organization)
    assert "organization_id: Optional[str] = None" in buffer.getvalue()


def test_page_size_docstring_tells_the_default_the_client_sends() -> None:
    import ast

    source = inspect.getsource(arguments.ListFilters)
    body = ast.parse(source).body[0]
    assert isinstance(body, ast.ClassDef)
    docs = {
        stmt.target.id: after.value.value
        for stmt, after in zip(body.body, body.body[1:])
        if isinstance(stmt, ast.AnnAssign)
        and isinstance(stmt.target, ast.Name)
        and isinstance(after, ast.Expr)
        and isinstance(after.value, ast.Constant)
    }
    with MockServer(seed_organizations=1, rate_limit=0) as mock, mock.client() as client:
        sent = client.list_organizations().page(1).page_size
    assert f"({sent} by default)" in docs["page_size"]


def test_unlocked_organization_is_blank_in_both_lock_columns() -> None:
    pytest.importorskip("pandas")
    with MockServer(seed_organizations=0, rate_limit=0) as mock, mock.client() as client:
        org = client.create_organization(
            email="ann@example.test",
            organization_name="Acme",
            owner_firstname="Ann",
            owner_lastname="Lee",
            customer_id="c-1",
        )
        mock.validate_email(org.id)  # lifts Scaleway's lock: opened, nothing locked
        frame = client.audit(progress=False).to_pandas().organizations
    row = frame[frame.id == org.id].iloc[0]
    assert (row.locked_by, row.lock_reason_message) == ("", "")


def test_a_client_of_a_closed_emulator_says_so() -> None:
    mock = MockServer()
    mock.close()
    with pytest.raises(RuntimeError, match="emulator is closed"):
        mock.client()


def test_out_of_range_count_gives_the_range() -> None:
    from scaleway_partner import ValidationError

    with MockServer() as mock, mock.client() as client:
        with pytest.raises(ValidationError, match=r"page_size.*must be 0 or more, got -1"):
            client.list_organizations(page_size=-1)
        with pytest.raises(ValidationError, match="must be at most 4294967295"):
            client.audit(stuck_after_days=2**40, progress=False)


def test_pager_page_and_view_print_what_they_are() -> None:
    # A notebook cell ending with one of them shows this (issue 25 item 2).
    with MockServer(seed_organizations=150, rate_limit=0) as mock, mock.client() as client:
        pager = client.list_organizations(status="opened")
        assert "object at 0x" not in repr(pager)
        assert "status='opened'" in repr(pager) and ".all()" in repr(pager)
        page = pager.page(1)
        assert "\n" not in repr(page) and len(repr(page)) < 300
        assert f"{len(page)} of {page.total_count} organizations" in repr(page)
        assert repr(page.organizations[0].name) in repr(page)
        report = client.audit(progress=False)
        view = report.view(max_rows=3, changes=report.diff(report))
        assert "object at 0x" not in repr(view)
        assert repr(view).startswith("Changes since") or "Account audit" in repr(view)
