"""`scaleway-partner plan` and `apply` driven as a user drives them: the installed command in a
subprocess against the embedded emulator, its request counters saying what was sent."""

from __future__ import annotations

import csv
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional

from conftest import until

from scaleway_partner import Client
from scaleway_partner.testing import MockServer

COMMAND = str(Path(sys.executable).parent / "scaleway-partner")


def run(
    mock: Optional[MockServer], *args: str, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCW_")}
    if mock is not None:
        env.update(mock.environment())
    return subprocess.run(
        [COMMAND, *args], input=stdin, capture_output=True, text=True, env=env, timeout=300
    )


def record(customer: str, n: int, **extra: str) -> Dict[str, str]:
    return {
        "Client ref": customer,
        "email": f"owner{n}@{customer}.test",
        "organization_name": f"Customer {n}",
        "owner_firstname": "Jane",
        "owner_lastname": "Doe",
        "state": "active",
        **extra,
    }


def write_csv(path: Path, rows: List[Dict[str, str]]) -> Path:
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_plan_exit_codes_then_apply_the_saved_plan(tmp_path: Path) -> None:
    with MockServer(rate_limit=0) as mock, mock.client() as client:
        client.create_organization(
            customer_id="c-1",
            email="owner1@c-1.test",
            organization_name="Customer 1",
            owner_firstname="Jane",
            owner_lastname="Doe",
        )
        rows = [record("c-1", 1, state="suspended"), record("c-2", 2)]
        customers = write_csv(tmp_path / "customers.csv", rows)
        plan_file = tmp_path / "plan.json"
        mapping = ["--columns", "Client ref=customer_id", "--no-progress"]
        planned = run(mock, "plan", str(customers), "-o", str(plan_file), *mapping)
        assert planned.returncode == 2, planned.stderr
        assert planned.stdout.startswith("Plan: 1 to create, 0 to update, 1 to lock")
        assert json.loads(plan_file.read_text())["version"] == 1
        assert mock.stats()["by_operation"]["get_organization"] == 0

        applied = run(mock, "apply", str(plan_file), "--no-progress")
        assert applied.returncode == 0, applied.stdout + applied.stderr
        assert applied.stdout.startswith("Apply: 2 done")
        assert Path(f"{plan_file}.journal").exists()

        again = run(mock, "plan", str(customers), *mapping)
        assert again.returncode == 0, again.stdout + again.stderr
        assert_book(client)


def assert_book(client: Client) -> None:
    orgs = {o.customer_id: o for o in client.list_organizations().all()}
    assert orgs["c-1"].locked_by == "partner"
    assert "c-2" in orgs


def test_apply_a_csv_asks_for_confirmation(tmp_path: Path) -> None:
    with MockServer(rate_limit=0) as mock:
        customers = write_csv(tmp_path / "c.csv", [record("c-9", 9)])
        mapping = ["--columns", "Client ref=customer_id", "--no-progress"]
        refused = run(mock, "apply", str(customers), *mapping)
        assert refused.returncode == 1
        assert "--yes" in refused.stderr
        assert mock.stats()["by_operation"]["create_organization"] == 0
        done = run(mock, "apply", str(customers), "--yes", *mapping)
        assert done.returncode == 0, done.stderr
        assert mock.stats()["by_operation"]["create_organization"] == 1


def test_bad_records_send_nothing(tmp_path: Path) -> None:
    with MockServer(rate_limit=0) as mock:
        customers = write_csv(tmp_path / "c.csv", [record("c-1", 1, email="nope")])
        out = run(mock, "plan", str(customers), "--columns", "Client ref=customer_id")
        assert out.returncode == 1
        assert "row 1" in out.stderr and "email" in out.stderr
        assert mock.stats()["requests"] == 0


def test_demo_plan_prints_a_realistic_plan() -> None:
    out = run(None, "plan", "--demo", "--no-progress")
    assert out.returncode == 2, out.stderr
    first = out.stdout.splitlines()[0]
    assert first.startswith("Plan: 5 to create"), first
    for section in (
        "Conflicts, left alone",
        "Organizations no record claims",
        "Locked by Scaleway",
    ):
        assert section in out.stdout


def test_ctrl_c_prints_what_was_done_then_the_same_command_resumes(tmp_path: Path) -> None:
    with MockServer(rate_limit=0) as mock, mock.client() as client:
        rows = []
        for n, customer in enumerate(("k-a", "k-b", "k-c")):
            row = record(customer, n)
            client.create_organization(
                **{
                    ("customer_id" if k == "Client ref" else k): v
                    for k, v in row.items()
                    if k != "state"
                }
            )
            rows.append({**row, "state": "suspended"})
        rows.append(record("k-new", 9))
        path = write_csv(tmp_path / "customers.csv", rows)
        mock.inject_faults(
            {"script": [{"fault": "slow", "delay_ms": 60_000, "operation": "lock_organization"}]}
        )
        saved = tmp_path / "plan.json"
        planned = run(
            mock, "plan", str(path), "--columns", "Client ref=customer_id", "-o", str(saved)
        )
        assert planned.returncode == 2, planned.stderr
        args = [COMMAND, "apply", str(saved), "--no-progress"]  # its journal: plan.json.journal
        env = {k: v for k, v in os.environ.items() if not k.startswith("SCW_")}
        env.update(mock.environment())
        # SIGINT as a terminal sends it, even if this runner was started with it ignored.
        child = subprocess.Popen(
            args,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        until(lambda: mock.stats()["by_operation"].get("lock_organization") == 1, "a lock held")
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=60)
        assert child.returncode == 130, err
        # What was done, and what was in flight when Ctrl-C came (the held lock at least): cut
        # short, to be done again.
        found = re.search(r"Apply: (\d+) done, 0 already done, 0 stale, (\d+) failed, ", out)
        assert found and int(found[2]) >= 1, out
        assert "the call was cancelled" in out
        assert "run the same command again to resume" in err
        mock.clear_faults()
        again = subprocess.run(args, capture_output=True, text=True, env=env, timeout=300)
        assert again.returncode == 0, again.stderr
        done = int(found[1])
        assert f"Apply: {4 - done} done, {done} already done, 0 stale, 0 failed" in again.stdout
        assert len([o for o in client.list_organizations().all() if o.customer_id == "k-new"]) == 1
