"""``scaleway-partner``, the package's console command (also ``python -m scaleway_partner``).

``scaleway-partner audit`` audits the partner's organizations and prints a terminal report, or
writes JSON or a self-contained HTML page. Errors are one line on stderr and a non-zero exit.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import List, Optional, TextIO

from .._client import Client
from .._errors import ScalewayError
from .demo import DEMO_ORGANIZATIONS, demo_server
from .report import AuditReport
from .terminal import render

__all__ = ["main"]

PROG = "scaleway-partner"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="Tools for the Scaleway Partner API.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    audit = commands.add_parser(
        "audit",
        help="audit the partner's customer organizations",
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
        "--format", choices=["table", "json", "html"], default="table", help="output format"
    )
    audit.add_argument("--output", metavar="FILE", help="write to FILE instead of stdout")
    audit.add_argument(
        "--demo",
        action="store_true",
        help=f"audit a demo book of {DEMO_ORGANIZATIONS:,} organizations served by the "
        "embedded emulator (no credentials needed)",
    )
    audit.add_argument(
        "--no-progress", action="store_true", help="no progress bar (default: on a terminal)"
    )
    return parser


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


def _output(report: AuditReport, args: argparse.Namespace) -> None:
    if args.format == "json":
        text = report.to_json(indent=2) + "\n"
    elif args.format == "html":
        text = report.to_html()
    else:
        text = render(report, color=args.output is None and _color(sys.stdout))
    if args.output is None:
        sys.stdout.write(text)
        return
    with open(args.output, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {args.output} ({args.format}, {report.total:,} organizations)", file=sys.stderr)


def main(argv: Optional[List[str]] = None) -> int:
    """Runs the command; returns the exit status (0 ok, 1 error, 2 usage, 130 interrupted)."""
    args = _parser().parse_args(argv)
    if args.demo and args.profile:
        _parser().error("--demo audits the emulator: --profile does not apply")
    if args.days < 0:
        _parser().error("--days must be 0 or more")
    try:
        report = _run_audit(args)
        _output(report, args)
    except ScalewayError as e:
        print(f"{PROG}: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"{PROG}: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    return 0


def run() -> None:
    """The console script's entry point."""
    sys.exit(main())
