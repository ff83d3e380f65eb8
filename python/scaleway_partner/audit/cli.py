"""``scaleway-partner audit``, one command of the package's console command
(:mod:`scaleway_partner.cli`).

``scaleway-partner audit`` audits the partner's organizations and prints a terminal report, or
writes JSON, a self-contained HTML page, CSV files or an Excel workbook; ``--compare`` adds
what changed since a saved audit. Errors are one line on stderr and a non-zero exit.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import TYPE_CHECKING, Any, List, Optional, TextIO

from .._client import Client
from .._errors import ScalewayError
from ._extras import MissingExtraError
from .demo import DEMO_ORGANIZATIONS, demo_server

if TYPE_CHECKING:
    from .diff import AuditDiff
    from .report import AuditReport

__all__ = ["add_parser", "command", "main"]

PROG = "scaleway-partner"


def add_parser(commands: Any) -> argparse.ArgumentParser:
    """Adds ``audit`` to the subcommands of the ``scaleway-partner`` parser."""
    audit: argparse.ArgumentParser = commands.add_parser(
        "audit",
        help="audit the partner's customer organizations",
        epilog="example:\n  scaleway-partner audit --demo\n"
        "  scaleway-partner audit --format html --output audit.html --save audit.json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=(
            "List every organization of the partner (paced under the rate limit) and report "
            "who is locked and why, who never finished onboarding, shared customer IDs and "
            "emails, and how the book has grown. Credentials as for every Scaleway tool: "
            "SCW_SECRET_KEY and SCW_DEFAULT_ORGANIZATION_ID, or the scw config.yaml."
        ),
    )
    audit.add_argument("--profile", help="profile of the scw config.yaml to use")
    audit.add_argument(
        "--days",
        type=int,
        default=7,
        metavar="N",
        help="report organizations waiting for email validation for more than N days (7)",
    )
    audit.add_argument(
        "--format",
        choices=["table", "json", "html", "csv", "xlsx"],
        default="table",
        help="output format: csv writes one file per list into the directory (or .zip) "
        "--output; xlsx one sheet per list into --output",
    )
    audit.add_argument("--output", metavar="FILE", help="write to FILE instead of stdout")
    rows = audit.add_mutually_exclusive_group()
    rows.add_argument(
        "--max-rows",
        type=int,
        default=None,
        metavar="N",
        help="rows per list in the table and html formats (10 and 100)",
    )
    rows.add_argument(
        "--all", action="store_true", help="every row of every list (csv, xlsx, json: always)"
    )
    audit.add_argument(
        "--compare",
        metavar="FILE",
        help="add what changed since the audit saved in FILE (by --save, or --format json "
        "--include-organizations)",
    )
    audit.add_argument(
        "--save",
        metavar="FILE",
        help="also save this audit with its organizations to FILE, for a later --compare",
    )
    audit.add_argument(
        "--include-organizations",
        action="store_true",
        help="json format: include every organization (what --compare needs)",
    )
    audit.add_argument(
        "--demo",
        action="store_true",
        help=f"audit a demo book of {DEMO_ORGANIZATIONS:,} organizations served by the "
        "embedded emulator (no credentials needed)",
    )
    audit.add_argument(
        "--no-progress", action="store_true", help="no progress bar (default: on a terminal)"
    )
    return audit


def _color(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _run_audit(args: argparse.Namespace) -> AuditReport:
    progress: Optional[bool] = False if args.no_progress else None
    if args.demo:
        started = time.monotonic()
        with demo_server() as mock:
            print(
                f"demo: embedded emulator at {mock.url} with {DEMO_ORGANIZATIONS:,} "
                f"organizations, {mock.rate_limit} requests/s",
                file=sys.stderr,
            )
            with mock.client() as client:
                report = client.audit(stuck_after_days=args.days, progress=progress)
        print(f"demo: audited in {time.monotonic() - started:.1f}s", file=sys.stderr)
        return report
    with Client(profile=args.profile) as client:
        return client.audit(stuck_after_days=args.days, progress=progress)


def _max_rows(args: argparse.Namespace, default: int) -> Optional[int]:
    if args.all:
        return None
    return default if args.max_rows is None else args.max_rows


def _output(report: AuditReport, changes: Optional[AuditDiff], args: argparse.Namespace) -> None:
    if args.format in ("csv", "xlsx"):
        target = args.output or ("audit-csv" if args.format == "csv" else "")
        if args.format == "csv":
            names = report.to_csv(target, changes=changes)
            what = f"{len(names)} CSV files"
        else:
            report.to_excel(target, changes=changes)
            what = "Excel workbook"
        print(f"wrote {target} ({what}, {report.total:,} organizations)", file=sys.stderr)
        return
    if args.format == "json":
        data = report.to_dict(organizations=args.include_organizations)
        if changes is not None:
            data["changes"] = changes.to_dict()
        text = json.dumps(data, indent=2) + "\n"
    elif args.format == "html":
        text = report.to_html(max_rows=_max_rows(args, 100), changes=changes)
    else:
        text = report.to_text(
            max_rows=_max_rows(args, 10),
            changes=changes,
            color=args.output is None and _color(sys.stdout),
        )
    if args.output is None:
        sys.stdout.write(text)
        return
    with open(args.output, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {args.output} ({args.format}, {report.total:,} organizations)", file=sys.stderr)


def _check(args: argparse.Namespace) -> None:
    from ..cli import parser as command_parser

    parser = command_parser()
    if args.demo and args.profile:
        parser.error("--demo audits the emulator: --profile does not apply")
    if args.days < 0:
        parser.error("--days must be 0 or more")
    if args.max_rows is not None and args.max_rows < 0:
        parser.error("--max-rows must be 0 or more")
    if args.format == "xlsx" and not args.output:
        parser.error("--format xlsx needs --output FILE.xlsx")
    if args.include_organizations and args.format != "json":
        parser.error("--include-organizations applies to --format json")


def command(args: argparse.Namespace) -> int:
    """Runs ``audit`` with its parsed arguments; returns the exit status (0 ok, 1 error, 2
    usage)."""
    _check(args)
    from .report import AuditReport  # here: the command's other subcommands never load it

    try:
        # The earlier audit first: a wrong path fails before the listing, not after.
        previous = None if args.compare is None else AuditReport.load(args.compare)
        report = _run_audit(args)
        changes = None if previous is None else report.diff(previous)
        if args.save:
            report.save(args.save)
        _output(report, changes, args)
    except ScalewayError as e:
        print(f"{PROG}: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    except (OSError, MissingExtraError) as e:
        print(f"{PROG}: {e}", file=sys.stderr)
        return 1
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    """The whole ``scaleway-partner`` command (:func:`scaleway_partner.cli.main`)."""
    from ..cli import main as command_main

    return command_main(argv)


def run() -> None:
    """The console script's former entry point, kept for installed scripts that name it."""
    sys.exit(main())
