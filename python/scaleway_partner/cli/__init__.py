"""``scaleway-partner``, the package's console command (also ``python -m scaleway_partner``).

``scaleway-partner organizations`` (``orgs``) lists, gets, creates, ensures, updates, locks,
unlocks and invites, one organization or many from a pipe or a file; ``scaleway-partner plan``
and ``apply`` keep the organizations in line with the partner's customer records (a CSV);
``scaleway-partner audit`` audits the book; ``scaleway-partner completion bash|zsh|fish``
prints the shell's completion script, generated from the parser. ``docs/cli.md`` is the manual.

Exit statuses: 0 everything done, 1 a failure, 2 a usage error or bad input (nothing sent), 3
partial (some items failed), 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any, List, Optional

from .._models import LockedBy, OrderBy, OrganizationStatus
from ..audit import cli as audit_cli
from . import organizations as orgs
from . import reconcile
from .output import FORMATS

__all__ = ["main", "parser", "run"]

PROG = "scaleway-partner"

EXIT_STATUSES = """\
exit statuses:
  0  everything done
  1  a failure (the API refused, the network failed, every item failed)
  2  usage error or bad input: nothing was sent
  3  partial: some items failed (see the per-item results)
"""


def _known(enum: Any) -> str:
    """The values a filter takes, as the package's enum lists them (the core checks them)."""
    return ", ".join(str(m) for m in enum if not m.is_unknown)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {value}")
    return value


class _RefusedPassword(argparse.Action):
    """``--password VALUE`` is refused without echoing VALUE: an argument shows in ``ps`` and
    the shell's history."""

    def __call__(self, parser: argparse.ArgumentParser, *_: Any, **__: Any) -> None:
        parser.error(
            "--password is not accepted: a password given as an argument shows in `ps` and in "
            "the shell history; type it at the prompt or pipe it with --password-stdin"
        )


def _command(
    group: Any, name: str, summary: str, example: str, aliases: Optional[List[str]] = None
) -> argparse.ArgumentParser:
    sub: argparse.ArgumentParser = group.add_parser(
        name,
        aliases=aliases or [],
        help=summary,
        description=summary[0].upper() + summary[1:] + ".",
        epilog=f"example:\n{example}\n\n{EXIT_STATUSES}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub.set_defaults(command_name=name)
    return sub


def _connection(p: argparse.ArgumentParser, demo: bool) -> None:
    g = p.add_argument_group("connection")
    g.add_argument(
        "--profile", help="profile of the scw config.yaml (default: SCW_PROFILE, its active one)"
    )
    g.add_argument(
        "--api-url",
        metavar="URL",
        help="API base URL (default SCW_API_URL, else https://api.scaleway.com): an emulator's",
    )
    if demo:
        g.add_argument(
            "--demo",
            action="store_true",
            help="read the demo book of the embedded emulator (no credentials needed)",
        )


def _output(p: argparse.ArgumentParser, formats: List[str], what: str) -> None:
    p.add_argument(
        "-o",
        "--output",
        choices=formats,
        help=f"{what}: table (default on a terminal), json (default otherwise)"
        + ", ".join([""] + [f for f in formats if f not in ("table", "json")]),
    )


def _ids(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "ids", nargs="*", metavar="ID", help="organization IDs; - reads them from stdin, one a line"
    )
    p.add_argument(
        "--from", dest="from_file", metavar="FILE", help="also read IDs from FILE, one a line"
    )


def _writes(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--dry-run", action="store_true", help="check and print what would be sent; send nothing"
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")


def _create_fields(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("the organization (or --from FILE)")
    for field, text in (
        ("email", "the owner's email"),
        ("organization_name", "the organization's name"),
        ("owner_firstname", "the owner's first name"),
        ("owner_lastname", "the owner's last name"),
        ("customer_id", "your reference for the customer"),
        ("phone_number", "the owner's phone number"),
        ("siren_number", "French SIREN number (9 digits)"),
        ("partner_id", "your own organization ID (default: the configured one)"),
    ):
        g.add_argument(orgs.flag(field), dest=field, help=text)
    p.add_argument(
        "--from",
        dest="from_file",
        metavar="FILE",
        help="the records of FILE (- for stdin): CSV with a header naming the fields "
        "(email,organization_name,owner_firstname,owner_lastname,customer_id,...) or NDJSON",
    )
    p.add_argument(
        "--settle-timeout",
        type=float,
        metavar="SECONDS",
        help="how long a create whose answer was lost looks for the organization before "
        "saying it is unconfirmed (30)",
    )


def _organizations(commands: Any) -> None:
    top = commands.add_parser(
        "organizations",
        aliases=["orgs"],
        help="list, get, create, ensure, update, lock, unlock, invite",
        description="Every operation on customer organizations, one or many.",
        epilog=EXIT_STATUSES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    group = top.add_subparsers(dest="organizations_command", metavar="COMMAND", required=True)

    p = _command(
        group,
        "list",
        "list organizations, page by page as they arrive",
        "  scaleway-partner orgs ls --status locked --locked-by partner -o ids\n"
        "  scaleway-partner orgs ls --demo --limit 20",
        aliases=["ls"],
    )
    p.add_argument("--status", help=f"only this status ({_known(OrganizationStatus)})")
    p.add_argument("--locked-by", dest="locked_by", help=f"only locked by ({_known(LockedBy)})")
    p.add_argument("--email", help="only this owner email")
    p.add_argument("--customer-id", dest="customer_id", help="only this customer ID")
    p.add_argument("--order-by", dest="order_by", help=f"order ({_known(OrderBy)})")
    p.add_argument(
        "--limit", type=_positive, metavar="N", help="stop after N organizations (pages unread)"
    )
    _output(p, list(FORMATS), "format")
    _connection(p, demo=True)

    p = _command(
        group,
        "get",
        "get organizations by ID",
        "  scaleway-partner orgs get 6f4049e3-5910-4283-bb02-382ef15aa460\n"
        "  scaleway-partner orgs get --from ids.txt -o csv > orgs.csv",
    )
    _ids(p)
    _output(p, list(FORMATS), "format")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    _connection(p, demo=True)

    for name, about, examples in (
        (
            "create",
            "create organizations (never a duplicate after a lost answer)",
            "  scaleway-partner orgs create --email ann@example.com "
            "--organization-name 'Lee Ltd' \\\n"
            "      --owner-firstname Ann --owner-lastname Lee --customer-id c-1\n"
            "  scaleway-partner orgs create --from customers.csv --dry-run",
        ),
        (
            "ensure",
            "create each organization unless its customer ID has one (says created or existing)",
            "  scaleway-partner orgs ensure --from customers.csv -o json > results.json",
        ),
    ):
        p = _command(group, name, about, examples)
        _create_fields(p)
        _output(p, ["table", "json", "ndjson"], "results")
        _writes(p)
        _connection(p, demo=False)

    p = _command(
        group,
        "update",
        "change fields of an organization (only the flags given are sent)",
        "  scaleway-partner orgs update 6f4049e3-5910-4283-bb02-382ef15aa460 "
        "--email new@example.com",
    )
    p.add_argument("id", metavar="ID", help="the organization")
    for field in orgs.UPDATE_FIELDS:
        p.add_argument(orgs.flag(field), dest=field, help=f"new {field.replace('_', ' ')}")
    _output(p, list(FORMATS), "format")
    _writes(p)
    _connection(p, demo=False)

    for name, verb in (("lock", "lock"), ("unlock", "lift the partner's lock on")):
        p = _command(
            group,
            name,
            f"{verb} organizations",
            f"  scaleway-partner orgs {name} 6f4049e3-5910-4283-bb02-382ef15aa460\n"
            f"  cut -d, -f1 unpaid.csv | scaleway-partner orgs {name} - -o json",
        )
        _ids(p)
        _output(p, ["table", "json", "ndjson"], "results")
        _writes(p)
        _connection(p, demo=False)

    p = _command(
        group,
        "invite",
        "invite a partner user as admin of an organization",
        "  scaleway-partner orgs invite 6f4049e3-5910-4283-bb02-382ef15aa460 "
        "--username support --email support@partner.example\n"
        "  pass show support | scaleway-partner orgs invite ID --username support "
        "--email support@partner.example --password-stdin",
    )
    p.add_argument("id", metavar="ID", help="the organization")
    p.add_argument("--username", required=True, help="the user's name (2 to 64 characters)")
    p.add_argument("--email", required=True, help="the user's email")
    secret = p.add_mutually_exclusive_group()
    secret.add_argument(
        "--password-stdin", action="store_true", help="read the password from stdin's first line"
    )
    secret.add_argument("--no-password", action="store_true", help="invite without a password")
    p.add_argument("--password", nargs="?", action=_RefusedPassword, help=argparse.SUPPRESS)
    p.add_argument(
        "--dry-run", action="store_true", help="check and print what would be sent; send nothing"
    )
    _output(p, ["table", "json"], "format")
    p.set_defaults(no_progress=True)
    _connection(p, demo=False)


def parser() -> argparse.ArgumentParser:
    """The command's parser (what the completion scripts are generated from)."""
    from .. import __version__

    top = argparse.ArgumentParser(
        prog=PROG,
        description="The Scaleway Partner API from the shell. Credentials as for every "
        "Scaleway tool: SCW_SECRET_KEY and SCW_DEFAULT_ORGANIZATION_ID, or the scw config.yaml "
        "(--profile).",
        epilog=EXIT_STATUSES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    top.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    top.add_argument(
        "--debug",
        action="store_true",
        help="log every request, answer and retry on stderr (never a secret key or password)",
    )
    commands = top.add_subparsers(dest="command", metavar="COMMAND", required=True)
    _organizations(commands)
    reconcile.add_parsers(commands)
    audit_cli.add_parser(commands)
    completion = commands.add_parser(
        "completion",
        help="print the shell completion script (bash, zsh, fish)",
        description="Print the completion script of a shell, generated from this command's "
        "options.",
        epilog='example:\n  eval "$(scaleway-partner completion bash)"\n'
        "  scaleway-partner completion fish > ~/.config/fish/completions/scaleway-partner.fish",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    completion.add_argument("shell", choices=["bash", "zsh", "fish"])
    return top


def _completion(shell: str) -> int:
    try:
        import shtab
    except ImportError:
        # An extra, so that the wheel keeps no dependency: it installs on a machine with no index.
        print(
            "scaleway-partner: the completion scripts are generated by shtab, which is not "
            "installed: pip install shtab (the package's `completion` extra)",
            file=sys.stderr,
        )
        return orgs.EXIT_FAILURE
    sys.stdout.write(shtab.complete(parser(), shell=shell))
    return orgs.EXIT_OK


def main(argv: Optional[List[str]] = None) -> int:
    """Runs the command; returns the exit status (see the module's docstring)."""
    args = parser().parse_args(argv)
    if args.debug:
        import logging

        from .. import refresh_logging

        logging.basicConfig(level=logging.DEBUG, stream=sys.stderr, format="%(name)s: %(message)s")
        refresh_logging()
    try:
        if args.command == "audit":
            return audit_cli.command(args)
        if args.command == "completion":
            return _completion(args.shell)
        if args.command in ("plan", "apply"):
            return reconcile.run(args)
        return orgs.run(args)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader left (`| head`): stop quietly, and keep the exit's flush from failing.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return orgs.EXIT_OK


def run() -> None:
    """The console script's entry point."""
    sys.exit(main())
