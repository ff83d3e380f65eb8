"""``scaleway-partner organizations ...`` (``orgs``): every operation on customer
organizations, one at a time or in bulk, over the public client. The core does the API's work
(validation, pacing, retries, the safe create, ensure, bulk with one result per item); this
module reads the inputs, has the core check all of them before the first request, and prints."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from contextlib import ExitStack
from typing import Any, Callable, Dict, List, Optional, Sequence

from .._client import Client
from .._errors import CreateUnconfirmedError, ScalewayError, ValidationError
from .._models import EnsuredOrganization, Organization
from .._progress import progress_bar
from ..audit.demo import demo_server
from ..audit.tables import lifted, state
from .output import OrganizationWriter, default_format, error_dict, table_lines
from .records import BadInput, Item, check, read_ids, read_records, validate

__all__ = ["EXIT_FAILURE", "EXIT_OK", "EXIT_PARTIAL", "EXIT_USAGE", "run"]

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_PARTIAL = 3

# The flags of the create request (``--organization-name``...), named after the API's fields.
CREATE_FIELDS = (
    "email",
    "organization_name",
    "owner_firstname",
    "owner_lastname",
    "customer_id",
    "phone_number",
    "siren_number",
    "partner_id",
)
UPDATE_FIELDS = (
    "email",
    "name",
    "owner_firstname",
    "owner_lastname",
    "phone_number",
    "customer_id",
    "comment",
)
LIST_FILTERS = ("status", "locked_by", "email", "customer_id", "order_by")


def flag(field: str) -> str:
    return "--" + field.replace("_", "-")


def _err(message: str) -> None:
    print(f"scaleway-partner: {message}", file=sys.stderr)


class Usage(Exception):
    """A usage error found after parsing (exit status 2)."""


def _client(args: argparse.Namespace, stack: ExitStack) -> Client:
    """The client of the command: the demo book's emulator (``--demo``), else the configured
    credentials (``--profile``, ``SCW_*``, ``config.yaml``) with ``--api-url`` on top."""
    if getattr(args, "demo", False):
        mock = stack.enter_context(demo_server())
        print(f"demo: embedded emulator at {mock.url}", file=sys.stderr)
        return stack.enter_context(mock.client())
    client = Client(
        profile=args.profile,
        api_url=args.api_url,
        create_settle_timeout=getattr(args, "settle_timeout", None),
    )
    return stack.enter_context(client)


def _as_usage(error: ValidationError, names: Dict[str, str]) -> Usage:
    """The core's refusal of an argument, named as the user gave it (the flag)."""
    name = names.get(error.field or "", error.field or "argument")
    return Usage(f"argument {name}: {error}")


def _checked(
    client: Client, operation: str, organization_id: str, names: Dict[str, str], **request: Any
) -> Dict[str, Any]:
    """:func:`check` of the arguments of one call, its refusal a usage error naming the flag."""
    try:
        return check(client, operation, organization_id, **request)
    except ValidationError as e:
        raise _as_usage(e, names) from None


def _progress(args: argparse.Namespace, what: str) -> Any:
    """A progress bar on stderr when it is a terminal (never with ``--no-progress``)."""
    return progress_bar(False if args.no_progress else None, what)


def _format(args: argparse.Namespace) -> str:
    return str(args.output or default_format(sys.stdout))


# --- list -----------------------------------------------------------------------------------


def list_organizations(args: argparse.Namespace, client: Client) -> int:
    filters = {f: getattr(args, f) for f in LIST_FILTERS if getattr(args, f) is not None}
    try:
        pager = client.list_organizations(**filters)
    except ValidationError as e:
        raise _as_usage(e, {f: flag(f) for f in LIST_FILTERS}) from None
    writer = OrganizationWriter(_format(args))
    wanted = args.limit
    # The core's cursor reads lazily, page_concurrency - 1 pages ahead: stopping here stops
    # the reads (--limit, or a pipe closed by `head`).
    for page in pager.pages():
        orgs = page.organizations
        if wanted is not None:
            orgs = orgs[: wanted - writer.count]
        writer.write(orgs)
        if wanted is not None and writer.count >= wanted:
            break
    writer.close()
    return EXIT_OK


# --- bulk runs and their results ------------------------------------------------------------


class Outcome:
    """One item's result: what happened (``locked``, ``created``...) or the error."""

    def __init__(self, item: Item, result: Any, what: str = "") -> None:
        self.item = item
        self.error = result if isinstance(result, BaseException) else None
        self.organization: Optional[Organization] = None
        self.what = what
        self.note = ""  # what the organization is now, when that says more than `what`
        if isinstance(result, EnsuredOrganization):
            self.organization = result.organization
            self.what = "created" if result.created else "existing"
        elif isinstance(result, Organization):
            self.organization = result

    def detail(self) -> str:
        if self.error is not None:
            return f"{type(self.error).__name__}: {_explain(self.error)}"
        org = self.organization
        if org is None:
            return ""
        parts = [org.name, self.note] if org.id == self.item.label() else [org.id, org.name]
        return "  ".join(p for p in parts if p)

    def as_dict(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {"input": self.item.where, "ok": self.error is None}
        if self.error is None:
            out["result"] = self.what
            if self.note:
                out["now"] = self.note
        if self.organization is not None:
            out["organization"] = self.organization.to_dict()
        if self.error is not None:
            out["error"] = error_dict(self.error)
            out["error"]["message"] = _explain(self.error)
        return out


def _explain(error: BaseException) -> str:
    """The error's message, and for an unconfirmed create what to do next."""
    if isinstance(error, CreateUnconfirmedError):
        customer = error.customer_id or "CUSTOMER_ID"
        return (
            f"{error} -- the organization may exist: do not create it again; later run "
            f"`scaleway-partner orgs ensure` with the same fields (or `scaleway-partner orgs "
            f"ls --customer-id {customer}`): it finds it or creates it once"
        )
    return str(error)


def _exit_status(outcomes: Sequence[Outcome]) -> int:
    failed = sum(1 for o in outcomes if o.error is not None)
    if failed == 0:
        return EXIT_OK
    return EXIT_FAILURE if failed == len(outcomes) else EXIT_PARTIAL


def _print_outcomes(args: argparse.Namespace, outcomes: Sequence[Outcome]) -> int:
    """The per-item result table (or JSON), then a summary on stderr; the exit status."""
    fmt = _format(args)
    if fmt == "json":
        json.dump([o.as_dict() for o in outcomes], sys.stdout, indent=2)
        sys.stdout.write("\n")
    elif fmt == "ndjson":
        sys.stdout.writelines(json.dumps(o.as_dict()) + "\n" for o in outcomes)
    else:
        rows = [
            [o.item.where, o.item.label(), o.what if o.error is None else "FAILED", o.detail()]
            for o in outcomes
        ]
        lines, _ = table_lines(
            ["INPUT", "ITEM", "RESULT", "DETAIL"], rows, [8, 12, 8, 20], [True, False, False, True]
        )
        sys.stdout.writelines(line + "\n" for line in lines)
    failed = sum(1 for o in outcomes if o.error is not None)
    print(f"{len(outcomes) - failed} done, {failed} failed", file=sys.stderr)
    return _exit_status(outcomes)


def _run_items(
    args: argparse.Namespace,
    items: Sequence[Item],
    what: str,
    call: Callable[[Any], Any],
) -> List[Any]:
    """``call(on_progress)``, the core's bulk call, with a progress bar on a terminal."""
    bar = _progress(args, what) if len(items) > 1 else None
    try:
        results: List[Any] = call(None if bar is None else bar.update)
    finally:
        if bar is not None:
            bar.close()
    return results


def _dry_run(args: argparse.Namespace, operation: str, items: Sequence[Item]) -> int:
    """What would be sent, as the core checked it; nothing is sent."""
    plans = [{"input": i.where, "operation": operation, **i.checked} for i in items]
    if _format(args) in ("json", "ndjson"):
        if _format(args) == "json":
            json.dump(plans, sys.stdout, indent=2)
            sys.stdout.write("\n")
        else:
            sys.stdout.writelines(json.dumps(p) + "\n" for p in plans)
    else:
        for p in plans:
            target = f" {p['organization_id']}" if p["organization_id"] else ""
            body = "" if p["request"] is None else " " + json.dumps(p["request"])
            print(f"would send {operation}{target}{body}")
    print(f"dry run: {len(items)} checked, nothing sent", file=sys.stderr)
    return EXIT_OK


# --- the commands on IDs --------------------------------------------------------------------


def _ids(args: argparse.Namespace, client: Client, operation: str) -> List[Item]:
    items = read_ids(args.ids, args.from_file)
    if not items:
        raise Usage("no organization ID given (arguments, - for stdin, or --from FILE)")
    validate(client, operation, items)
    return items


def get_organizations(args: argparse.Namespace, client: Client) -> int:
    items = _ids(args, client, "get_organization")
    single = len(items) == 1 and args.from_file is None and args.ids != ["-"]
    results = _run_items(
        args,
        items,
        "Getting",
        lambda progress: client.get_organizations([i.value for i in items], on_progress=progress),
    )
    writer = OrganizationWriter(_format(args), single=single)
    writer.write([r for r in results if isinstance(r, Organization)])
    writer.close()
    outcomes = [Outcome(i, r) for i, r in zip(items, results)]
    for o in outcomes:
        if o.error is not None:
            _err(f"{o.item.where} ({o.item.value}): {o.detail()}")
    return _exit_status(outcomes)


def lock_or_unlock(args: argparse.Namespace, client: Client) -> int:
    lock = args.command_name == "lock"
    operation = "lock_organization" if lock else "unlock_organization"
    items = _ids(args, client, operation)
    if args.dry_run:
        return _dry_run(args, operation, items)
    bulk = client.lock_organizations if lock else client.unlock_organizations
    results = _run_items(
        args,
        items,
        "Locking" if lock else "Unlocking",
        lambda progress: bulk([i.value for i in items], on_progress=progress),
    )
    outcomes = [Outcome(i, r, "locked" if lock else "unlocked") for i, r in zip(items, results)]
    for o in outcomes:
        org = o.organization
        if org is not None:  # after an unlock, a lock of Scaleway's may remain: say so
            words = state if lock else lifted
            o.note = words(org.status, org.locked_by, org.lock_reason_message)
    return _print_outcomes(args, outcomes)


# --- create and ensure ----------------------------------------------------------------------


def _records(args: argparse.Namespace, client: Client, operation: str) -> List[Item]:
    given = {f: getattr(args, f) for f in CREATE_FIELDS if getattr(args, f) is not None}
    if args.from_file is not None:
        if given:
            raise Usage(
                f"--from reads every field from the file: {', '.join(flag(f) for f in given)} "
                "cannot be given with it"
            )
        items = read_records(args.from_file)
    else:
        items = [Item("arguments", given, {f: f"argument {flag(f)}" for f in CREATE_FIELDS})]
    validate(client, operation, items)
    return items


def create_organizations(args: argparse.Namespace, client: Client) -> int:
    items = _records(args, client, "create_organization")
    if args.dry_run:
        return _dry_run(args, "create_organization", items)
    bar = _progress(args, "Creating") if len(items) > 1 else None
    outcomes = []
    try:
        # One at a time: a create is the one call that is never repeated blindly.
        for done, item in enumerate(items, start=1):
            try:
                result: Any = client.create_organization(**item.value)
            except ScalewayError as e:
                result = e
            outcomes.append(Outcome(item, result, "created"))
            if bar is not None:
                bar.update(done, len(items))
    finally:
        if bar is not None:
            bar.close()
    return _print_outcomes(args, outcomes)


def ensure_organizations(args: argparse.Namespace, client: Client) -> int:
    items = _records(args, client, "ensure_organization")
    if args.dry_run:
        return _dry_run(args, "ensure_organization", items)
    results = _run_items(
        args,
        items,
        "Ensuring",
        lambda progress: client.ensure_organizations(
            [i.value for i in items], on_progress=progress
        ),
    )
    return _print_outcomes(args, [Outcome(i, r) for i, r in zip(items, results)])


# --- update and invite ----------------------------------------------------------------------


def update_organization(args: argparse.Namespace, client: Client) -> int:
    changes = {f: getattr(args, f) for f in UPDATE_FIELDS if getattr(args, f) is not None}
    if not changes:
        raise Usage(
            "nothing to change: give at least one of " + ", ".join(flag(f) for f in UPDATE_FIELDS)
        )
    names = {f: flag(f) for f in UPDATE_FIELDS}
    names["organization_id"] = "ID"
    item = Item("arguments", args.id, names)
    item.checked = _checked(client, "update_organization", args.id, names, **changes)
    if args.dry_run:
        return _dry_run(args, "update_organization", [item])
    org = client.update_organization(args.id, **changes)
    writer = OrganizationWriter(_format(args), single=True)
    writer.write([org])
    writer.close()
    return EXIT_OK


def _password(args: argparse.Namespace) -> Optional[str]:
    """From stdin (``--password-stdin``: its first line), or typed at a prompt with no echo;
    never from an argument, which ``ps`` and the shell's history would show."""
    if args.no_password:
        return None
    if args.password_stdin:
        line = sys.stdin.readline()
        return line[:-1] if line.endswith("\n") else line
    if not sys.stdin.isatty():
        raise Usage(
            "no terminal to type the password at: give it on stdin with --password-stdin, "
            "or invite with --no-password"
        )
    return getpass.getpass("Password of the invited user (no echo): ")


def invite(args: argparse.Namespace, client: Client) -> int:
    names = {"username": "--username", "email": "--email", "organization_id": "ID"}
    names["password"] = "--password-stdin" if args.password_stdin else "the password"
    request = {"username": args.username, "email": args.email}
    # The arguments first, so that a typo fails before the password is asked for.
    _checked(client, "request_admin_role", args.id, names, **request)
    password = None if args.dry_run and not args.password_stdin else _password(args)
    if password is not None:
        request["password"] = password
    item = Item("arguments", args.id, names)
    item.checked = _checked(client, "request_admin_role", args.id, names, **request)
    if args.dry_run:
        return _dry_run(args, "request_admin_role", [item])
    client.request_admin_role(args.id, **request)
    if _format(args) == "json":
        invited = {"organization_id": args.id, "username": args.username, "email": args.email}
        print(json.dumps({**invited, "invited": True}))
    else:
        print(f"invited {args.username} <{args.email}> as admin of {args.id}")
    return EXIT_OK


COMMANDS: Dict[str, Callable[[argparse.Namespace, Client], int]] = {
    "list": list_organizations,
    "get": get_organizations,
    "create": create_organizations,
    "ensure": ensure_organizations,
    "update": update_organization,
    "lock": lock_or_unlock,
    "unlock": lock_or_unlock,
    "invite": invite,
}


def run(args: argparse.Namespace) -> int:
    """Runs ``organizations <command>``; returns the exit status."""
    with ExitStack() as stack:
        try:
            client = _client(args, stack)
            return COMMANDS[args.command_name](args, client)
        except BadInput as e:
            for problem in e.problems:
                _err(problem)
            _err("nothing was sent")
            return EXIT_USAGE
        except Usage as e:
            _err(str(e))
            return EXIT_USAGE
        except CreateUnconfirmedError as e:
            _err(f"CreateUnconfirmedError: {_explain(e)}")
            return EXIT_FAILURE
        except ScalewayError as e:
            _err(f"{type(e).__name__}: {e}")
            return EXIT_FAILURE
