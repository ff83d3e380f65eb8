"""``scaleway-partner plan`` and ``scaleway-partner apply``: the customer book as code. The core
plans (one complete listing) and applies (ensure, pacing, stale actions refused, a journal);
this module reads the arguments, asks for confirmation and prints."""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any, Dict, List, Optional

from .._client import Client
from .._errors import ScalewayError, ValidationError
from .._reconcile import Plan
from . import organizations as orgs

__all__ = ["add_parsers", "demo_records", "run"]

PLAN_EXIT_STATUSES = """\
exit statuses (as terraform plan -detailed-exitcode):
  0  no changes
  1  a failure, or bad records (nothing was sent)
  2  the plan has changes
"""

APPLY_EXIT_STATUSES = """\
exit statuses:
  0  every action done
  1  a failure (the API refused, the network failed), or not confirmed
  2  usage error or bad records: nothing was sent
  3  partial: some actions stale or failed (see the outcome; run again to retry)
  130  interrupted: run the same command again to resume from the journal
"""

RECORD_HELP = (
    "CSV with a header naming the fields: customer_id, email, organization_name, "
    "owner_firstname, owner_lastname, and optionally phone_number, siren_number, comment, "
    "previous_email (the owner's former email, when it changed) and state (active or suspended)"
)


def _common(p: argparse.ArgumentParser, demo: bool) -> None:
    p.add_argument(
        "--columns",
        action="append",
        default=[],
        metavar="THEIRS=FIELD",
        help="read the CSV column THEIRS as FIELD (repeatable): --columns 'Client ref=customer_id'",
    )
    p.add_argument(
        "--lock-unclaimed",
        action="store_true",
        help="also lock the organizations no record claims (by default only reported)",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    g = p.add_argument_group("connection")
    g.add_argument("--profile", help="profile of the scw config.yaml (default: SCW_PROFILE)")
    g.add_argument("--api-url", metavar="URL", help="API base URL (an emulator's)")
    if demo:
        g.add_argument(
            "--demo",
            action="store_true",
            help="plan a generated CSV against the demo book of the embedded emulator",
        )


def add_parsers(commands: Any) -> None:
    """Adds ``plan`` and ``apply`` to the subcommands of the ``scaleway-partner`` parser."""
    p = commands.add_parser(
        "plan",
        help="plan your customer records against your organizations (nothing is changed)",
        description="Read every organization (one listing) and say, per customer of the "
        "records, what apply will do: create, update (fields before -> after), lock "
        "(suspended), unlock (active); and apart the conflicts (several organizations for a "
        "customer ID, or another owner email), the organizations no record claims and "
        "Scaleway's own locks (email validation). An email differing only by case is the same "
        "owner; another one is a conflict unless the record's previous_email is the current one.",
        epilog="example:\n  scaleway-partner plan customers.csv -o plan.json\n"
        "  scaleway-partner plan --demo\n\n" + PLAN_EXIT_STATUSES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.set_defaults(command_name="plan")
    p.add_argument("records", nargs="?", metavar="CSV", help=RECORD_HELP)
    p.add_argument("-o", "--output", metavar="FILE", help="save the plan (JSON) for apply")
    _common(p, demo=True)

    p = commands.add_parser(
        "apply",
        help="apply a saved plan (or plan a CSV, confirm, apply)",
        description="Carry a plan out: creates never duplicate (ensure), an action whose "
        "organization changed since the plan is refused (stale), and each action is recorded "
        "in a journal before and after it is sent, so that the same command run again after "
        "an interruption resumes without repeating anything. The journal of plan.json is "
        "plan.json.journal unless --journal says otherwise.",
        epilog="example:\n  scaleway-partner apply plan.json\n"
        "  scaleway-partner apply customers.csv --yes --journal apply.journal\n\n"
        + APPLY_EXIT_STATUSES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.set_defaults(command_name="apply")
    p.add_argument("plan", metavar="PLAN_OR_CSV", help="a plan saved by plan -o, or a CSV")
    p.add_argument("--yes", action="store_true", help="apply a CSV's plan without asking")
    p.add_argument("--journal", metavar="FILE", help="the journal (default: PLAN.journal)")
    _common(p, demo=False)


def _columns(args: argparse.Namespace) -> Dict[str, str]:
    mapping: Dict[str, str] = {}
    for given in args.columns:
        theirs, sep, field = given.rpartition("=")
        if not sep or not theirs or not field:
            raise orgs.Usage(f"argument --columns: expected THEIRS=FIELD, got {given!r}")
        mapping[theirs] = field
    return mapping


def _progress(args: argparse.Namespace) -> Optional[bool]:
    return False if args.no_progress else None


def demo_records(client: Client, directory: Path) -> Path:
    """A CSV of records for the demo book, as a CRM would export it: most customers in line,
    some renamed, some suspended or paid up, a few new, a few left out (unclaimed)."""
    book = sorted(client.list_organizations().all(), key=lambda o: o.id)
    rows: List[Dict[str, str]] = []
    seen = set()
    for i, org in enumerate(book):
        if not org.customer_id or i % 40 == 39:
            continue  # a customer the CRM no longer has: reported as unclaimed
        if org.customer_id in seen:
            continue  # the book's shared customer IDs show as conflicts
        seen.add(org.customer_id)
        suspended = org.locked_by == "partner"
        if i % 23 == 5:
            suspended = not suspended  # paid up, or newly unpaid
        rows.append(
            {
                "customer_id": org.customer_id,
                "email": org.email,
                "organization_name": org.name + (" SAS" if i % 57 == 3 else ""),
                "owner_firstname": org.owner_firstname,
                "owner_lastname": org.owner_lastname,
                "phone_number": (org.phone_number or "") if i % 61 != 7 else "+33100000000",
                "state": "suspended" if suspended else "active",
            }
        )
    for n in range(5):
        rows.append(
            {
                "customer_id": f"CRM-NEW-{n:03d}",
                "email": f"owner{n}@new-customer{n}.example",
                "organization_name": f"New Customer {n}",
                "owner_firstname": "Jane",
                "owner_lastname": "Doe",
                "phone_number": "",
                "state": "active",
            }
        )
    path = directory / "demo-customers.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _plan(args: argparse.Namespace, client: Client, stack: ExitStack) -> Plan:
    source = args.records
    if getattr(args, "demo", False):
        directory = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        source = demo_records(client, directory)
        print(
            f"demo: records generated from the demo book in {source} (removed at exit)",
            file=sys.stderr,
        )
    elif source is None:
        raise orgs.Usage("the records' CSV is required (or --demo)")
    if not os.path.exists(source):
        raise orgs.Usage(f"no such file: {source}")
    return client.plan(
        source,
        columns=_columns(args),
        lock_unclaimed=args.lock_unclaimed,
        progress=_progress(args),
    )


def plan_command(args: argparse.Namespace, client: Client, stack: ExitStack) -> int:
    plan = _plan(args, client, stack)
    sys.stdout.write(str(plan))
    if args.output:
        Path(args.output).write_text(plan.to_json(), encoding="utf-8")
        print(f"plan saved to {args.output}: scaleway-partner apply {args.output}", file=sys.stderr)
    return 2 if plan.has_changes else 0


def _confirmed(plan: Plan) -> bool:
    if not sys.stdin.isatty():
        orgs._err("not a terminal to confirm on: pass --yes to apply without asking")
        return False
    answer = input(f"Apply these {len(plan.actions)} actions? Only 'yes' is accepted: ")
    return answer.strip() == "yes"


def apply_command(args: argparse.Namespace, client: Client, stack: ExitStack) -> int:
    journal = args.journal
    if args.plan.endswith(".json"):
        try:
            plan = Plan.from_json(Path(args.plan).read_text(encoding="utf-8"))
        except OSError as e:
            raise orgs.Usage(f"cannot read the plan: {e}") from None
        journal = journal or f"{args.plan}.journal"
    else:
        args.records = args.plan
        plan = _plan(args, client, stack)
        sys.stdout.write(str(plan))
        if not plan.has_changes:
            return orgs.EXIT_OK
        if not args.yes and not _confirmed(plan):
            orgs._err("not applied")
            return orgs.EXIT_FAILURE
    try:
        outcome = client.apply(plan, journal=journal, progress=_progress(args))
    except KeyboardInterrupt as e:
        # What was done, failed and not started: the core's outcome, carried by the cause.
        so_far = getattr(e.__cause__, "outcome", None)
        if so_far is not None:
            sys.stdout.write(str(so_far))
        if journal:
            orgs._err(f"interrupted: run the same command again to resume (journal {journal})")
        raise
    sys.stdout.write(str(outcome))
    return orgs.EXIT_OK if outcome.complete else orgs.EXIT_PARTIAL


def run(args: argparse.Namespace) -> int:
    """Runs ``plan`` or ``apply``; returns the exit status."""
    command = plan_command if args.command_name == "plan" else apply_command
    bad_input = orgs.EXIT_FAILURE if args.command_name == "plan" else orgs.EXIT_USAGE
    with ExitStack() as stack:
        try:
            client = orgs._client(args, stack)
            return command(args, client, stack)
        except (orgs.Usage, ValidationError) as e:
            orgs._err(str(e))
            orgs._err("nothing was sent")
            return bad_input
        except ScalewayError as e:
            orgs._err(f"{type(e).__name__}: {e}")
            return orgs.EXIT_FAILURE
