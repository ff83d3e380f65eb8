"""The Python runner of the shared conformance scenarios (tests/conformance/README.md).

It runs every scenario with the installed package, once with ``Client`` and once with
``AsyncClient``, and only translates: scenario arguments onto the Python API, results and
errors into the canonical form. Exits non-zero if any scenario fails.

    python tests/conformance/run_python.py [--client sync|async|both] [SCENARIO.json ...]
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import functools
import inspect
import json
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import scaleway_partner
from scaleway_partner import (
    AsyncClient,
    Client,
    EnsuredOrganization,
    Organization,
    Plan,
    ScalewayError,
)
from scaleway_partner.testing import MockServer

SCENARIOS = Path(__file__).resolve().parent / "scenarios"
AnyClient = Client | AsyncClient

# Required keyword arguments of the Python API. A scenario that leaves one out means "no
# value", which Python spells None (leaving the keyword out is a TypeError of the language).
CREATE_ARGS = ("email", "organization_name", "owner_firstname", "owner_lastname", "customer_id")
REQUIRED = {
    "create_organization": CREATE_ARGS,
    "ensure_organization": CREATE_ARGS,
    "request_admin_role": ("username", "email"),
}
# Writes take the organization to change: one a scenario leaves out is None, Python's "missing".
WRITES = ("update_organization", "lock_organization", "unlock_organization", "request_admin_role")
# What `then` does to each organization an `iter` listing yields (with the same client).
THEN = ("lock_organization", "unlock_organization")
LATE_WRITES_WAIT = 30.0


class Failure(Exception):
    pass


async def resolve(value: Any) -> Any:
    """Awaits what the async client returns; the blocking client's values pass through."""
    return await value if inspect.isawaitable(value) else value


def substitute(value: Any, variables: dict[str, Any]) -> Any:
    if isinstance(value, str) and value.startswith("$") and not value.startswith("$$"):
        root, *path = value[1:].split(".")
        if root not in variables:
            raise Failure(f"unknown variable {value}")
        current = variables[root]
        for part in path:
            if not isinstance(current, dict) or part not in current:
                raise Failure(f"variable {value}: no {part}")
            current = current[part]
        return current
    if isinstance(value, list):
        return [substitute(v, variables) for v in value]
    if isinstance(value, dict):
        return {k: substitute(v, variables) for k, v in value.items()}
    return value


def error_json(e: ScalewayError) -> dict[str, Any]:
    return {
        "class": type(e).__name__,
        "code": e.code,
        "status": e.status_code,
        "type": e.type,
        "field": e.field,
        "details": e.details,
        "resource": e.resource,
        "resource_id": e.resource_id,
        "customer_id": e.customer_id,
        "email": e.email,
        "organization_ids": e.organization_ids,
        "location_host": e.location_host,
        "attempts": getattr(e, "attempts", None),
        "cause": None if e.cause is None else {"code": e.cause.code, "status": e.cause.status_code},
        "message": str(e),
        # Set only for the runner's own exception, raised by a progress callback, coming back.
        "callback_exception": False,
    }


class CallbackError(Exception):
    """What the runner's progress callbacks raise (`raise_after`): the call must fail with it."""


def item_of(value: Any) -> dict[str, Any]:
    """One item of a bulk call's results; None in an interrupted call's results: not started."""
    return {"not_started": True} if value is None else outcome_of(value)


def outcome_of(value: Organization | EnsuredOrganization | ScalewayError | None) -> dict[str, Any]:
    if isinstance(value, ScalewayError):
        return {"error": error_json(value)}
    return {"result": None if value is None else value.to_dict()}


# Scenario client options in milliseconds, and the constructor's arguments in seconds.
SECONDS = {
    "timeout_ms": "timeout",
    "connect_timeout_ms": "connect_timeout",
    "total_timeout_ms": "total_timeout",
    "create_settle_timeout_ms": "create_settle_timeout",
}
AS_IS = (
    "max_retries",
    "retry_unconfirmed_creates",
    "allow_insecure_http",
    "api_url",
    "rate_limit",
    "page_concurrency",
    "bulk_concurrency",
    "max_connections",
)


def make_client(kind: str, mock: MockServer, config: dict[str, Any], **extra: Any) -> AnyClient:
    """A client as the Rust runner builds it (the emulator, a partner's key and ID, no pacing);
    ``extra`` options are passed as they are."""
    options: dict[str, Any] = {
        "api_url": mock.url,
        "secret_key": config.get("secret_key", mock.secret_key),
        "default_organization_id": config.get("default_organization_id", mock.organization_id),
        "rate_limit": 0,
        **extra,
    }
    for key, value in config.items():
        if key in SECONDS:
            options[SECONDS[key]] = value / 1000
        elif key in AS_IS:
            options[key] = value
        elif key not in ("secret_key", "default_organization_id"):
            raise Failure(f"unknown client option {key}")
    return Client(**options) if kind == "sync" else AsyncClient(**options)


async def new_client(kind: str, mock: MockServer, args: dict[str, Any]) -> dict[str, Any]:
    """Builds a client from these options over the defaults, makes no call, closes it."""
    try:
        client = make_client(kind, mock, args)
    except ScalewayError as e:
        return {"error": error_json(e)}
    await resolve(client.close())
    return {"result": None}


def close_now(client: AnyClient) -> None:
    """Closes a client from inside a progress callback, before the callback returns.
    (``AsyncClient.close`` is a coroutine that never suspends: it is run to its end here.)"""
    closing = client.close()
    if inspect.iscoroutine(closing):
        try:
            closing.send(None)
        except StopIteration:
            return
        raise Failure("AsyncClient.close() suspended")


def progress_options(args: dict[str, Any], client: AnyClient) -> dict[str, Any]:
    """A step's ``concurrency``, and its progress callback: ``cancel_after`` closes the client
    (cancelling the call) once that many items are done, ``raise_after`` raises a
    :class:`CallbackError`."""
    options: dict[str, Any] = {}
    if "concurrency" in args:
        options["concurrency"] = args.pop("concurrency")
    if "cancel_after" in args:
        cancel_after = args.pop("cancel_after")

        def cancel(done: int, total: int | None) -> None:
            if done >= cancel_after:
                close_now(client)

        options["on_progress"] = cancel
    if "raise_after" in args:
        raise_after = args.pop("raise_after")

        def stop(done: int, total: int | None) -> None:
            if done >= raise_after:
                raise CallbackError(f"raised by the progress callback after {done} items")

        options["on_progress"] = stop
    return options


async def call(
    client: AnyClient, op: str, args: dict[str, Any], fresh: Callable[[], AnyClient] | None = None
) -> dict[str, Any]:
    """Runs one call; ``fresh()`` makes a client of the step's own (one that a ``cancel_after``
    callback may close)."""
    args = {**dict.fromkeys(REQUIRED.get(op, ())), **args}
    if "cancel_after" in args:
        if fresh is None:
            raise Failure("cancel_after needs a client of its own")
        client = fresh()
    try:
        if op in ("lock_organizations", "unlock_organizations", "get_organizations"):
            options = progress_options(args, client)
            results = await resolve(getattr(client, op)(args["ids"], **options))
            return {"results": [outcome_of(r) for r in results]}
        if op == "ensure_organizations":
            options = progress_options(args, client)
            requests = [{**dict.fromkeys(CREATE_ARGS), **r} for r in args["requests"]]
            results = await resolve(client.ensure_organizations(requests, **options))
            return {"results": [outcome_of(r) for r in results]}
        if op == "plan":
            options = {"lock_unclaimed": args.get("lock_unclaimed", False), "progress": False}
            plan = await resolve(client.plan(args["records"], **options))
            return {"result": plan.document}
        if op == "plan_locks":
            report = await resolve(client.audit(progress=False))
            pick = report.plan_lock if args.get("lock", True) else report.plan_unlock
            return {"result": pick(args["ids"]).document}
        if op == "apply":
            applied = await resolve(client.apply(Plan(args["plan"]), progress=False))
            return {"result": applied.document}
        if op == "list_organizations":
            return {"result": await list_organizations(client, args)}
        if op == "get_organization":
            return outcome_of(await resolve(client.get_organization(args.get("organization_id"))))
        if op in WRITES:
            organization_id = args.pop("organization_id", None)
            return outcome_of(await resolve(getattr(client, op)(organization_id, **args)))
        if op in ("create_organization", "ensure_organization"):
            return outcome_of(await resolve(getattr(client, op)(**args)))
    except CallbackError as e:
        return {"error": {"class": type(e).__name__, "callback_exception": True, "message": str(e)}}
    except ScalewayError as e:
        error = error_json(e)
        # A bulk call cut short (cancelled, out of time): its items so far.
        if getattr(e, "results", None) is not None:
            error["results"] = [item_of(r) for r in e.results]
        return {"error": error}
    except TypeError as e:
        # A value of the wrong type (bad-inputs.json): the language's own error, whose message
        # (or PEP 678 note) names the argument.
        return {"error": {"class": "TypeError", "message": " ".join([str(e), *getattr(e, "__notes__", [])])}}
    raise Failure(f"unknown call {op}")


async def concurrently(client: AnyClient, op: str, args: dict[str, Any], n: int) -> dict[str, Any]:
    """The call made ``n`` times at once on one client: ``asyncio.gather`` on the async client,
    ``n`` threads on the blocking one. The outcomes in order, as a bulk call's results."""
    if isinstance(client, AsyncClient):
        outcomes = await asyncio.gather(*(call(client, op, dict(args)) for _ in range(n)))
    else:
        barrier = threading.Barrier(n)

        def one() -> dict[str, Any]:
            barrier.wait()
            return asyncio.run(call(client, op, dict(args)))

        with concurrent.futures.ThreadPoolExecutor(n) as pool:
            outcomes = list(pool.map(lambda _: one(), range(n)))
    return {"results": outcomes}


async def list_organizations(client: AnyClient, args: dict[str, Any]) -> dict[str, Any]:
    mode = args.pop("mode", "all")
    page = args.pop("page", 1)
    then = args.pop("then", None)
    options = progress_options(args, client)
    if then is not None and (mode != "iter" or then not in THEN):
        raise Failure(f"then: {json.dumps(then)} needs mode iter and one of {', '.join(THEN)}")
    # Bad filters are reported here, at the call, before the listing is consumed.
    pager: Any = client.list_organizations(**args)
    if mode == "create":
        return None
    if then is not None:
        # Each organization is acted on as soon as it is yielded, before the next is asked for;
        # the first failing action (a ScalewayError) ends the step with its error.
        act = getattr(client, then)
        organizations = []
        if isinstance(client, AsyncClient):
            async for o in pager:
                organizations.append(o)
                await act(o.id)
        else:
            for o in pager:
                organizations.append(o)
                act(o.id)
        return {"organizations": [o.to_dict() for o in organizations]}
    if mode == "page":
        p = await resolve(pager.page(page))
        return {
            "organizations": [o.to_dict() for o in p.organizations],
            "total_count": p.total_count,
            "page": p.page,
            "page_size": p.page_size,
        }
    if mode == "iter":
        if isinstance(client, AsyncClient):
            organizations = [o async for o in pager]
        else:
            organizations = list(pager)
    else:
        organizations = await resolve(pager.all(**options))
    return {"organizations": [o.to_dict() for o in organizations]}


def control(mock: MockServer, op: str, args: dict[str, Any]) -> None:
    if op == "validate_email":
        if not mock.validate_email(args["organization_id"]):
            raise Failure("validate_email: unknown organization")
    elif op == "patch_raw":
        if not mock.patch_raw(args["organization_id"], set=args.get("set"), remove=args.get("remove")):
            raise Failure("patch_raw: unknown organization")
    elif op == "inject_faults":
        mock.inject_faults(args)
    elif op == "clear_faults":
        mock.clear_faults()
    elif op == "sleep":
        time.sleep(args["ms"] / 1000)
    elif op == "await_late_writes":
        await_late_writes(mock, args["count"])
    else:
        raise Failure(f"unknown control {op}")


def await_late_writes(mock: MockServer, count: int) -> None:
    """Polls the emulator until ``count`` late writes have landed (bounded, then the step fails)."""
    deadline = time.monotonic() + LATE_WRITES_WAIT
    while mock.stats()["late_applied"] < count:
        if time.monotonic() > deadline:
            raise Failure(
                f"await_late_writes: {mock.stats()['late_applied']} of {count} after {LATE_WRITES_WAIT:.0f} s"
            )
        time.sleep(0.02)


def matches(want: Any, got: Any, path: str) -> None:
    """Subset matching, as the README describes."""

    def fail() -> None:
        raise Failure(f"{path}: expected {json.dumps(want)}, got {json.dumps(got)}")

    if isinstance(want, dict) and "$len" in want:
        if not isinstance(got, list) or len(got) != want["$len"]:
            fail()
    elif isinstance(want, dict) and "$ne" in want:
        if got == want["$ne"]:
            fail()
    elif isinstance(want, dict) and "$present" in want:
        if got is None:
            fail()
    elif isinstance(want, dict):
        if not isinstance(got, dict):
            fail()
        for key, value in want.items():
            matches(value, got.get(key), f"{path}.{key}")
    elif isinstance(want, list):
        if not isinstance(got, list):
            fail()
        if len(want) != len(got):
            raise Failure(f"{path}: expected {len(want)} items, got {len(got)}: {json.dumps(got)}")
        for i, (w, g) in enumerate(zip(want, got)):
            matches(w, g, f"{path}[{i}]")
    elif want != got:
        fail()


class Unwrapping:
    """A client's ``with_raw_response`` methods, giving the bare value as the plain methods do;
    each :class:`~scaleway_partner.APIResponse` is kept in ``answers``."""

    def __init__(self, raw: Any, answers: list[Any]) -> None:
        self._raw = raw
        self._answers = answers

    def _keep(self, response: Any) -> Any:
        self._answers.append(response)
        return response.parse()

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self._raw, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            got = method(*args, **kwargs)
            if inspect.isawaitable(got):

                async def unwrap() -> Any:
                    return self._keep(await got)

                return unwrap()
            return self._keep(got)

        return call


async def observed(
    kind: str, mock: MockServer, config: dict[str, Any], op: str, args: dict[str, Any]
) -> dict[str, Any]:
    """A ``traffic`` step: the call made by a client of its own whose ``hook`` records every
    event, through ``with_raw_response``; the outcome with ``traffic`` and ``response``."""
    events: list[dict[str, Any]] = []
    client = make_client(kind, mock, config, hook=events.append)
    answers: list[Any] = []
    try:
        outcome = await call(Unwrapping(client.with_raw_response, answers), op, args)
    finally:
        await resolve(client.close())
    if mock.secret_key in json.dumps(events):
        raise Failure(f"the hook saw the secret key: {events}")
    last = answers[-1] if answers else None
    outcome["traffic"] = events
    outcome["response"] = None if last is None else {"status": last.status_code, "request_id": last.request_id}
    return outcome


def check(outcome: dict[str, Any], expect: dict[str, Any]) -> None:
    for key in ("result", "error", "results", "traffic", "response"):
        if key in expect:
            if key not in outcome:
                raise Failure(f"expected {key}, got {json.dumps(outcome)}")
            matches(expect[key], outcome[key], key)
    if "error" not in expect and "error" in outcome:
        raise Failure(f"unexpected error {json.dumps(outcome['error'])}")


async def run_scenario(scenario: dict[str, Any], kind: str) -> None:
    settings: dict[str, Any] = {"rate_limit": 0, **scenario.get("emulator", {})}
    with MockServer(**settings) as mock:
        variables: dict[str, Any] = {"partner_id": mock.organization_id}
        partners = mock.partners
        clients: dict[str, AnyClient] = {}
        if len(partners) > 1:
            variables["other_partner_id"] = partners[1]["organization_id"]
            variables["other_secret_key"] = partners[1]["secret_key"]
            clients["other"] = make_client(
                kind,
                mock,
                {"secret_key": partners[1]["secret_key"], "default_organization_id": partners[1]["organization_id"]},
            )
        config = substitute(scenario.get("client", {}), variables)
        clients["default"] = make_client(kind, mock, config)
        fresh = functools.partial(make_client, kind, mock, config)
        for i, raw_step in enumerate(scenario["steps"]):
            step = substitute(raw_step, variables)
            label = f"step {i} ({step.get('call') or step.get('control')})"
            before = mock.stats()["requests"]
            if "call" in step:
                client = clients.get(step.get("as", "default"))
                if client is None:
                    raise Failure(f'{label}: "as": "other" needs two partners')
                if step["call"] == "new_client":
                    outcome = await new_client(kind, mock, step.get("args", {}))
                elif step["call"] == "close":
                    outcome = {"result": await resolve(client.close())}
                elif step.get("traffic"):
                    outcome = await observed(kind, mock, config, step["call"], step.get("args", {}))
                elif "concurrently" in step:
                    outcome = await concurrently(client, step["call"], step.get("args", {}), step["concurrently"])
                else:
                    outcome = await call(client, step["call"], step.get("args", {}), fresh)
            elif "control" in step:
                control(mock, step["control"], step.get("args", {}))
                outcome = {"result": None}
            else:
                raise Failure(f"{label}: neither call nor control")
            try:
                if "expect" in step:
                    check(outcome, step["expect"])
                    mentions = step["expect"].get("mentions")
                    if mentions is not None and mentions not in outcome.get("error", {}).get("message", ""):
                        raise Failure(f"the message does not name {mentions}: {json.dumps(outcome.get('error'))}")
                    if "requests" in step["expect"]:
                        got = mock.stats()["requests"] - before
                        if got != step["expect"]["requests"]:
                            raise Failure(f"{got} requests reached the emulator, expected {step['expect']['requests']}")
                elif "error" in outcome:
                    raise Failure(f"unexpected error {json.dumps(outcome['error'])}")
            except Failure as e:
                raise Failure(f"{label}: {e}") from None
            if "save" in step and "result" in outcome:
                variables[step["save"]] = outcome["result"]
        for client in clients.values():
            await resolve(client.close())


BAD_INPUTS = Path(__file__).resolve().parent / "bad-inputs.json"
NATIVE: dict[str, Any] = {
    "missing": None,
    "int": 42,
    "nan": float("nan"),
    "bytes": b"owner@example.test",
    "object": object(),
    "list": [],
    "bool": True,
}


def expand(value: Any) -> Any:
    """The bad-input file's ``$repeat`` and ``$native`` values, as Python values."""
    if isinstance(value, dict) and "$repeat" in value:
        return value["$repeat"] * value["times"]
    if isinstance(value, dict) and "$native" in value:
        return NATIVE[value["$native"]]
    if isinstance(value, list):
        return [expand(v) for v in value]
    if isinstance(value, dict):
        return {k: expand(v) for k, v in value.items()}
    return value


def check_bad_input(case: dict[str, Any], outcome: dict[str, Any]) -> None:
    """The case's canonical expectation: an error of this class, code and field whose message
    mentions a name, for one call or for every item of a bulk call; or, with ``ok``, none."""
    errors = [r.get("error") for r in outcome["results"]] if "results" in outcome else [outcome.get("error")]
    if case.get("ok"):
        failed = [e for e in errors if e is not None]
        if failed:
            raise Failure(f"expected success, got {json.dumps(failed[0])}")
        return
    want = dict(case["error"])
    mentions = want.pop("mentions", None)
    for error in errors:
        if error is None:
            raise Failure(f"expected {json.dumps(case['error'])}, got {json.dumps(outcome)}")
        matches(want, error, "error")
        if mentions is not None and mentions not in error["message"]:
            raise Failure(f"the message does not name {mentions}: {error['message']!r}")


async def run_bad_inputs(kind: str, path: Path = BAD_INPUTS) -> tuple[int, list[str]]:
    """Runs every case of the bad-input matrix meant for Python; (cases run, failures)."""
    doc = json.loads(path.read_text())
    failures: list[str] = []
    ran = 0
    with MockServer(rate_limit=0) as mock:
        client = make_client(kind, mock, {})
        setup = doc["setup"]
        created = await call(client, setup["call"], dict(setup["args"]))
        if "result" not in created:
            raise Failure(f"bad inputs setup: {json.dumps(created)}")
        variables = {setup["save"]: created["result"]}
        for case in doc["cases"]:
            if "python" not in case.get("languages", ["python"]):
                continue
            ran += 1
            args = expand(substitute({**doc["bases"].get(case.get("base"), {}), **case["args"]}, variables))
            before = mock.stats()["requests"]
            try:
                if case["call"] == "new_client":
                    outcome = await new_client(kind, mock, args)
                else:
                    outcome = await call(client, case["call"], args)
                check_bad_input(case, outcome)
                sent = mock.stats()["requests"] - before
                if not case.get("ok") and sent != 0:
                    raise Failure(f"{sent} requests reached the emulator, expected 0")
            except Failure as e:
                failures.append(f"{case['name']}: {e}")
        await resolve(client.close())
    return ran, failures


def isolate_from_the_machine() -> None:
    """Clients must not read the developer's own Scaleway configuration."""
    for name in list(os.environ):
        if name.startswith("SCW_"):
            del os.environ[name]
    os.environ["HOME"] = "/nonexistent"
    os.environ.pop("XDG_CONFIG_HOME", None)


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--client", choices=["sync", "async", "both"], default="both")
    parser.add_argument("scenarios", nargs="*", type=Path)
    options = parser.parse_args(argv)
    isolate_from_the_machine()
    files = options.scenarios or sorted(SCENARIOS.glob("*.json"))
    if not files:
        print(f"no scenario found in {SCENARIOS}", file=sys.stderr)
        return 2
    kinds = ["sync", "async"] if options.client == "both" else [options.client]
    failures = 0
    for path in files:
        scenario = json.loads(path.read_text())
        for kind in kinds:
            try:
                await run_scenario(scenario, kind)
                print(f"ok   {path.name} ({kind})")
            except Failure as e:
                failures += 1
                print(f"FAIL {path.name} ({kind}): {e}")
    runs = len(files) * len(kinds)
    print(f"python (scaleway_partner {scaleway_partner.__version__}): {runs - failures}/{runs} scenario runs passed")
    if not options.scenarios:
        for kind in kinds:
            ran, failed = await run_bad_inputs(kind)
            for failure in failed:
                print(f"FAIL {BAD_INPUTS.name} ({kind}): {failure}")
            failures += len(failed)
            print(f"python ({kind}): {ran - len(failed)}/{ran} bad-input cases agree ({BAD_INPUTS.name})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
