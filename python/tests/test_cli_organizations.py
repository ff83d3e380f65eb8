"""`scaleway-partner organizations ...` driven as a user drives it: the installed command in a
subprocess, against the embedded emulator, its request counters saying what was sent."""

from __future__ import annotations

import csv
import fcntl
import io
import json
import os
import pty
import select
import shutil
import struct
import subprocess
import sys
import termios
import uuid
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

import pytest
from conftest import new_org_args, until

from scaleway_partner import Client, LockedBy, OrganizationStatus
from scaleway_partner.testing import MockServer

COMMAND = str(Path(sys.executable).parent / "scaleway-partner")
BOOK = 250


@pytest.fixture(scope="module")
def mock() -> Iterator[MockServer]:
    with MockServer(seed=27, seed_organizations=BOOK, rate_limit=0) as m:
        yield m


@pytest.fixture
def client(mock: MockServer) -> Iterator[Client]:
    mock.clear_faults()
    with mock.client() as c:
        yield c


def run(
    mock: MockServer, *args: str, stdin: Optional[str] = None, columns: int = 200
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCW_")}
    env.update(mock.environment(), COLUMNS=str(columns))
    return subprocess.run(
        [COMMAND, *args], input=stdin, capture_output=True, text=True, env=env, timeout=120
    )


def sent(mock: MockServer) -> Dict[str, int]:
    return {k: v for k, v in mock.stats()["by_operation"].items() if v}


def opened_ids(client: Client, n: int) -> List[str]:
    """``n`` organizations made for the test, opened (their email validated)."""
    ids = []
    for _ in range(n):
        org = client.create_organization(**new_org_args())
        ids.append(org.id)
    return ids


def validated(mock: MockServer, ids: List[str]) -> None:
    for i in ids:
        assert mock.validate_email(i)


# --- list ---------------------------------------------------------------------------------


def test_list_every_format_matches_the_client(mock: MockServer, client: Client) -> None:
    expected = list(client.list_organizations(status="locked", order_by="created_at_desc"))
    ids = [o.id for o in expected]
    filters = ["--status", "locked", "--order-by", "created_at_desc"]
    done = run(mock, "orgs", "ls", *filters, "-o", "json")
    assert done.returncode == 0, done.stderr
    assert [o["id"] for o in json.loads(done.stdout)] == ids
    assert [d.to_dict() for d in expected] == json.loads(done.stdout)
    done = run(mock, "organizations", "list", *filters, "-o", "ndjson")
    assert [json.loads(line)["id"] for line in done.stdout.splitlines()] == ids
    done = run(mock, "orgs", "ls", *filters, "-o", "ids")
    assert done.stdout.split() == ids
    done = run(mock, "orgs", "ls", *filters, "-o", "csv")
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [r["id"] for r in rows] == ids and rows[0]["status"] == "locked"
    assert rows[0]["email"] == expected[0].email
    done = run(mock, "orgs", "ls", *filters, "-o", "table", columns=90)
    lines = done.stdout.splitlines()
    assert lines[0].split()[:3] == ["NAME", "EMAIL", "ID"], "name and email before the UUID"
    assert len(lines) == len(ids) + 1 and all(len(line) <= 90 for line in lines)
    assert all(i in line for i, line in zip(ids, lines[1:])), "the ID is never clipped"
    wide = run(mock, "orgs", "ls", *filters, "-o", "table", columns=200).stdout.splitlines()
    assert "CUSTOMER ID" in wide[0] and "CUSTOMER ID" not in lines[0], "columns fit the width"


def test_list_filters_by_each_field(mock: MockServer, client: Client) -> None:
    some = next(iter(client.list_organizations(locked_by="partner")))
    for args, match in (
        (["--locked-by", "partner"], lambda o: o.locked_by == LockedBy.PARTNER),
        (["--email", some.email], lambda o: o.email.lower() == some.email.lower()),
        (["--customer-id", some.customer_id], lambda o: o.customer_id == some.customer_id),
        (["--status", "opened"], lambda o: o.status == OrganizationStatus.OPENED),
    ):
        done = run(mock, "orgs", "ls", *args, "-o", "ndjson")
        assert done.returncode == 0, done.stderr
        orgs = [json.loads(line) for line in done.stdout.splitlines()]
        assert orgs, args
        shown = {o["id"] for o in orgs}
        assert shown == {o.id for o in client.list_organizations() if match(o)}, args


def test_limit_stops_reading_pages(mock: MockServer) -> None:
    mock.reset_stats()
    done = run(mock, "orgs", "ls", "--limit", "5", "-o", "ids")
    assert done.returncode == 0 and len(done.stdout.split()) == 5
    assert sent(mock) == {"list_organizations": 1}, "one page read, not the 3 of the book"
    mock.reset_stats()
    done = run(mock, "orgs", "ls", "--limit", "150", "-o", "ids")
    assert len(done.stdout.split()) == 150
    # Two pages read; the cursor reads ahead (page_concurrency 4 less one: 3 pages at most) once
    # the first page's total predicts them, which the exit may abandon before they are sent.
    assert 2 <= sent(mock)["list_organizations"] <= 2 + 3


def test_bad_filters_are_refused_naming_the_flag(mock: MockServer) -> None:
    mock.reset_stats()
    for args, named in (
        (["--status", "archived"], "--status"),
        (["--locked-by", "nobody"], "--locked-by"),
        (["--email", "not-an-email"], "--email"),
        (["--customer-id", ""], "--customer-id"),
        (["--limit", "0"], "--limit"),
    ):
        done = run(mock, "orgs", "ls", *args)
        assert done.returncode == 2, (args, done.stderr)
        assert named in done.stderr and done.stdout == "", args
    assert mock.stats()["requests"] == 0, "nothing sent"


def test_demo_lists_without_credentials(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCW_")}
    env["SCW_CONFIG_PATH"] = str(tmp_path / "none.yaml")
    done = subprocess.run(
        [COMMAND, "orgs", "ls", "--demo", "--limit", "3", "-o", "ids"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.split()) == 3 and "demo: embedded emulator" in done.stderr


# --- get ----------------------------------------------------------------------------------


def test_get_one_and_many_from_stdin_with_a_missing_one(mock: MockServer, client: Client) -> None:
    orgs = client.list_organizations().page(1).organizations[:3]
    done = run(mock, "orgs", "get", orgs[0].id, "-o", "json")
    assert done.returncode == 0 and json.loads(done.stdout) == orgs[0].to_dict()
    missing = str(uuid.uuid4())
    lines = f"{orgs[1].id}\n\n# a comment\n{missing}\n{orgs[2].id}\n"
    done = run(mock, "orgs", "get", "-", "-o", "ids", stdin=lines)
    assert done.returncode == 3, "partial"
    assert done.stdout.split() == [orgs[1].id, orgs[2].id]
    assert f"stdin line 4 ({missing}): ResourceNotFoundError" in done.stderr


def test_a_bad_id_refuses_the_whole_batch(mock: MockServer, client: Client, tmp_path: Path) -> None:
    good = client.list_organizations().page(1).organizations[0].id
    ids = tmp_path / "ids.txt"
    ids.write_text(f"{good}\nnot-a-uuid\n{good}\n", encoding="utf-8")
    mock.reset_stats()
    for command in ("get", "lock", "unlock"):
        done = run(mock, "orgs", command, "--from", str(ids))
        assert done.returncode == 2, done.stderr
        assert f"{ids} line 2: invalid organization_id: must be a UUID" in done.stderr
        assert "nothing was sent" in done.stderr
        done = run(mock, "orgs", command, good, "42")
        assert done.returncode == 2 and "argument 2: invalid organization_id" in done.stderr
    assert mock.stats()["requests"] == 0
    done = run(mock, "orgs", "lock")
    assert done.returncode == 2 and "no organization ID given" in done.stderr


# --- lock and unlock, with faults ---------------------------------------------------------


def test_lock_and_unlock_in_bulk_from_stdin_and_a_file(
    mock: MockServer, client: Client, tmp_path: Path
) -> None:
    ids = opened_ids(client, 4)
    validated(mock, ids)
    mock.reset_stats()
    done = run(mock, "orgs", "lock", "-", "-o", "json", stdin="\n".join(ids) + "\n")
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert [r["organization"]["id"] for r in results] == ids
    assert all(r["ok"] and r["result"] == "locked" for r in results)
    assert sent(mock) == {"lock_organization": 4}
    assert all(client.get_organization(i).locked_by == LockedBy.PARTNER for i in ids)
    path = tmp_path / "paid.txt"
    path.write_text("\n".join(ids), encoding="utf-8")
    done = run(mock, "orgs", "unlock", "--from", str(path), "-o", "table")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].split() == ["INPUT", "ITEM", "RESULT", "DETAIL"]
    assert sum("opened" in line for line in done.stdout.splitlines()) == 4
    assert "4 done, 0 failed" in done.stderr
    assert all(client.get_organization(i).status == OrganizationStatus.OPENED for i in ids)


def test_faults_give_the_partial_status_and_the_right_item_results(
    mock: MockServer, client: Client
) -> None:
    ids = opened_ids(client, 3)
    validated(mock, ids)
    missing = str(uuid.uuid4())
    # The API refuses one lock (which one depends on the order the requests leave in); two
    # gateway errors are retried by the core.
    mock.inject_faults(
        {
            "script": [
                {"fault": "server_error", "operation": "lock_organization", "count": 2},
                {
                    "fault": "error",
                    "operation": "lock_organization",
                    "status": 403,
                    "body": {"type": "permissions_denied", "message": "permissions denied"},
                },
            ]
        }
    )
    done = run(mock, "orgs", "lock", ids[0], missing, ids[1], ids[2], "-o", "json")
    mock.clear_faults()
    assert done.returncode == 3, done.stderr
    results = json.loads(done.stdout)
    assert results[1]["error"]["type"] == "ResourceNotFoundError"
    refused = [r for r in results if not r["ok"] and r is not results[1]]
    assert len(refused) == 1 and refused[0]["error"]["type"] == "PermissionsDeniedError"
    inputs = [ids[0], None, ids[1], ids[2]]
    for i, r in zip(inputs, results):
        if i is not None:  # what each result says is what the API holds
            locked = client.get_organization(i).locked_by == LockedBy.PARTNER
            assert locked == r["ok"], r
            if r["ok"]:
                assert r["organization"]["id"] == i and r["result"] == "locked"
    locked_id = next(i for i, r in zip(inputs, results) if i and r["ok"])
    refused_id = next(i for i, r in zip(inputs, results) if i and not r["ok"])
    # Unlocking an organization without a partner lock: the API's precondition, per item.
    done = run(mock, "orgs", "unlock", locked_id, refused_id)
    assert done.returncode == 3
    assert "PreconditionFailedError" in done.stdout and "1 done, 1 failed" in done.stderr
    done = run(mock, "orgs", "unlock", refused_id)
    assert done.returncode == 1, "every item failed"


# --- create and ensure from files ---------------------------------------------------------


def _csv(records: List[Dict[str, str]], columns: Optional[List[str]] = None) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns or list(records[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue()


def test_a_csv_with_one_bad_row_is_refused_before_sending(mock: MockServer, tmp_path: Path) -> None:
    records = [new_org_args() for _ in range(3)]
    records[1]["siren_number"] = "12345"
    records[0]["siren_number"] = ""
    path = tmp_path / "customers.csv"
    path.write_text(_csv(records), encoding="utf-8")
    mock.reset_stats()
    for command in ("create", "ensure"):
        done = run(mock, "orgs", command, "--from", str(path))
        assert done.returncode == 2, done.stderr
        assert f"{path} line 3, column siren_number: invalid siren_number" in done.stderr
        assert "line 2" not in done.stderr and "line 4" not in done.stderr
    short = [{k: v for k, v in r.items() if k != "customer_id"} for r in records]
    done = run(mock, "orgs", "ensure", "--from", "-", stdin=_csv(short))
    assert done.returncode == 2 and "stdin: no customer_id" in done.stderr
    assert done.stderr.count("no customer_id") == 1, "one error for the missing column"
    typo = [{("mail" if k == "email" else k): v for k, v in r.items()} for r in records]
    done = run(mock, "orgs", "create", "--from", "-", stdin=_csv(typo))
    assert done.returncode == 2 and "'mail'" in done.stderr
    done = run(mock, "orgs", "create", "--customer-id", "", "--email", "a@example.test")
    assert done.returncode == 2 and "argument --" in done.stderr
    assert mock.stats()["requests"] == 0, "nothing sent"


def test_ensure_from_csv_and_ndjson_says_created_or_existing(
    mock: MockServer, client: Client, tmp_path: Path
) -> None:
    existing = client.create_organization(**new_org_args())
    records = [new_org_args(), new_org_args()]
    records.append({**new_org_args(), "email": existing.email, "customer_id": existing.customer_id})
    path = tmp_path / "customers.csv"
    path.write_text(_csv(records), encoding="utf-8")
    done = run(mock, "orgs", "ensure", "--from", str(path), "-o", "json")
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert [r["result"] for r in results] == ["created", "created", "existing"]
    assert results[2]["organization"]["id"] == existing.id
    ndjson = "".join(json.dumps(r) + "\n" for r in records)
    done = run(mock, "orgs", "ensure", "--from", "-", "-o", "table", stdin=ndjson)
    assert done.returncode == 0, done.stderr
    rows = done.stdout.splitlines()[1:]
    assert len(rows) == 3 and all(" existing " in row for row in rows), rows
    for r in records:
        assert len(list(client.list_organizations(customer_id=r["customer_id"]))) == 1


def test_create_one_and_many(mock: MockServer, client: Client, tmp_path: Path) -> None:
    one = new_org_args()
    flags = [f"--{k.replace('_', '-')}={v}" for k, v in one.items()]
    done = run(mock, "orgs", "create", *flags, "-o", "json")
    assert done.returncode == 0, done.stderr
    [result] = json.loads(done.stdout)
    assert (
        result["result"] == "created"
        and result["organization"]["customer_id"] == one["customer_id"]
    )
    many = [new_org_args() for _ in range(3)]
    path = tmp_path / "new.ndjson"
    path.write_text("".join(json.dumps(r) + "\n" for r in many), encoding="utf-8")
    done = run(mock, "orgs", "create", "--from", str(path), "-o", "ndjson")
    assert done.returncode == 0, done.stderr
    assert [json.loads(line)["result"] for line in done.stdout.splitlines()] == ["created"] * 3


def test_an_unconfirmed_create_says_what_to_do(mock: MockServer) -> None:
    # The gateway fails at once and the create lands only after the client stopped looking.
    mock.inject_faults(
        {
            "script": [
                {
                    "fault": "apply_late",
                    "operation": "create_organization",
                    "delay_ms": 60_000,
                    "status": 504,
                }
            ]
        }
    )
    args = new_org_args()
    flags = [f"--{k.replace('_', '-')}={v}" for k, v in args.items()]
    done = run(mock, "orgs", "create", *flags, "--settle-timeout", "0.5")
    mock.clear_faults()
    assert done.returncode == 1, done.stderr
    assert "CreateUnconfirmedError" in done.stdout + done.stderr
    assert "do not create it again" in done.stdout
    assert f"--customer-id {args['customer_id']}" in done.stdout


# --- update, dry runs, invite -------------------------------------------------------------


def test_update_sends_only_the_flags_given(mock: MockServer, client: Client) -> None:
    org = client.create_organization(**new_org_args())
    done = run(mock, "orgs", "update", org.id, "--comment", "annual plan", "-o", "json")
    assert done.returncode == 0, done.stderr
    after = client.get_organization(org.id)
    assert after.comment == "annual plan" and after.name == org.name and after.email == org.email
    done = run(mock, "orgs", "update", org.id)
    assert done.returncode == 2 and "nothing to change" in done.stderr
    done = run(mock, "orgs", "update", "nope", "--name", "X")
    assert done.returncode == 2 and "argument ID" in done.stderr
    done = run(mock, "orgs", "update", org.id, "--name", "X")
    assert done.returncode == 2 and "argument --name" in done.stderr


def test_dry_run_sends_nothing(mock: MockServer, client: Client, tmp_path: Path) -> None:
    org = client.list_organizations().page(1).organizations[0]
    path = tmp_path / "customers.csv"
    path.write_text(_csv([new_org_args(), new_org_args()]), encoding="utf-8")
    mock.reset_stats()
    for args in (
        ["create", "--from", str(path)],
        ["ensure", "--from", str(path)],
        ["lock", org.id],
        ["unlock", "-"],
        ["update", org.id, "--comment", "x"],
        ["invite", org.id, "--username", "support", "--email", "s@example.test"],
    ):
        done = run(mock, "orgs", *args, "--dry-run", "-o", "json", stdin=org.id)
        assert done.returncode == 0, (args, done.stderr)
        plans = json.loads(done.stdout)
        assert plans and "nothing sent" in done.stderr, args
    assert mock.stats()["requests"] == 0, "a dry run sends nothing"
    done = run(mock, "orgs", "update", org.id, "--comment", "x", "--dry-run", "-o", "json")
    assert json.loads(done.stdout)[0]["request"] == {"comment": "x"}, "only the flag given"
    done = run(mock, "orgs", "create", "--from", str(path), "--dry-run", "-o", "json")
    assert all(p["request"]["partner_id"] == mock.organization_id for p in json.loads(done.stdout))


SECRET = "correct-horse-7-battery"


def test_invite_reads_the_password_from_stdin_never_from_arguments(
    mock: MockServer, client: Client
) -> None:
    org = client.list_organizations().page(1).organizations[0]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCW_")}
    env.update(mock.environment())
    mock.reset_stats()
    args = [COMMAND, "--debug", "orgs", "invite", org.id, "--username", "support"]
    args += ["--email", "support@partner.example", "--password-stdin"]
    proc = subprocess.Popen(
        args,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    # The command waits for the password on stdin: what `ps` shows of it now is all it shows.
    cmdline = Path(f"/proc/{proc.pid}/cmdline")
    until(lambda: b"invite" in cmdline.read_bytes(), "the command to start")
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True, check=True)
    assert SECRET not in ps.stdout and SECRET.encode() not in cmdline.read_bytes()
    out, err = proc.communicate(SECRET + "\n", timeout=120)
    assert proc.returncode == 0, err
    assert json.loads(out)["invited"] is True
    assert SECRET not in out and SECRET not in err, "never printed, not even in debug logs"
    assert "request_admin_role" in err, "the debug log was on"
    assert sent(mock) == {"request_admin_role": 1}
    # Given as an argument, it is refused without being echoed.
    bad = run(
        mock,
        "orgs",
        "invite",
        org.id,
        "--username",
        "s1",
        "--email",
        "s@ex.test",
        "--password",
        SECRET,
    )
    assert bad.returncode == 2 and SECRET not in bad.stderr and "--password-stdin" in bad.stderr
    bad = run(mock, "orgs", "invite", org.id, "--username", "s1", "--email", "s@ex.test")
    assert bad.returncode == 2 and "--password-stdin" in bad.stderr, "no terminal to prompt on"
    assert sent(mock) == {"request_admin_role": 1}


# --- help and completion ------------------------------------------------------------------

SUBCOMMANDS = ["list", "get", "create", "ensure", "update", "lock", "unlock", "invite"]


def test_every_subcommand_has_help_with_an_example(mock: MockServer) -> None:
    for sub in SUBCOMMANDS:
        done = run(mock, "orgs", sub, "--help")
        assert done.returncode == 0 and "example:" in done.stdout, sub
        assert f"scaleway-partner orgs {'ls' if sub == 'list' else sub}" in done.stdout
        assert "3  partial" in done.stdout, "the exit statuses"
    assert "example:" in run(mock, "audit", "--help").stdout


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts_are_generated(mock: MockServer, shell: str, tmp_path: Path) -> None:
    done = run(mock, "completion", shell)
    assert done.returncode == 0, done.stderr
    script = done.stdout
    for word in ("organizations", "unlock", "password-stdin", "dry-run", "ndjson"):
        assert word in script, (shell, word)
    program = shutil.which(shell)
    if program is not None:  # the shell's own syntax check, where the shell is installed
        path = tmp_path / f"completion.{shell}"
        path.write_text(script, encoding="utf-8")
        check = ["--no-execute", str(path)] if shell == "fish" else ["-n", str(path)]
        syntax = subprocess.run([program, *check], capture_output=True, text=True)
        assert syntax.returncode == 0, syntax.stderr


def _on_a_terminal(mock: MockServer, args: List[str], stream: str) -> Tuple[str, str]:
    """Runs the command with ``stream`` (stdout or stderr) on a pseudo-terminal; what the
    terminal showed, and what the other stream (a pipe) got."""
    leader, follower = pty.openpty()
    # 24 rows of 120 columns: a new pseudo-terminal has 0 of each.
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCW_")}
    env.update(mock.environment(), COLUMNS="120")
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, stream: follower}
    proc = subprocess.Popen([COMMAND, *args], env=env, text=True, **streams)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the command exited: the terminal is gone
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    other = proc.stderr if stream == "stdout" else proc.stdout
    assert other is not None
    rest = other.read()
    assert proc.wait(timeout=120) in (0, 3), rest
    return shown.decode(), rest


def test_a_terminal_gets_a_table_and_a_progress_bar(mock: MockServer, client: Client) -> None:
    shown, _ = _on_a_terminal(mock, ["orgs", "ls", "--limit", "3"], "stdout")
    lines = shown.splitlines()
    assert lines[0].split()[:3] == ["NAME", "EMAIL", "ID"] and len(lines) == 4, shown
    ids = opened_ids(client, 3)
    shown, out = _on_a_terminal(mock, ["orgs", "lock", *ids, "-o", "json"], "stderr")
    assert "Locking" in shown and "3 done, 0 failed" in shown, shown
    assert [r["ok"] for r in json.loads(out)] == [True] * 3
    shown, _ = _on_a_terminal(mock, ["orgs", "unlock", *ids, "--no-progress"], "stderr")
    assert "Unlocking" not in shown and "3 done" in shown


def test_invite_prompts_for_the_password_without_echo(mock: MockServer, client: Client) -> None:
    org = client.list_organizations().page(1).organizations[0]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCW_")}
    env.update(mock.environment())
    leader, follower = pty.openpty()

    def on_its_own_terminal() -> None:  # the pseudo-terminal is the command's /dev/tty
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    mock.reset_stats()
    args = [COMMAND, "orgs", "invite", org.id, "--username", "support2"]
    proc = subprocess.Popen(
        [*args, "--email", "support@partner.example", "-o", "table"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        preexec_fn=on_its_own_terminal,
    )
    os.close(follower)
    shown = b""

    def read_some() -> bool:
        nonlocal shown
        ready, _, _ = select.select([leader], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the command exited
                return True
            shown += chunk
            return not chunk
        return False

    until(lambda: read_some() or b"(no echo): " in shown, "the password prompt")
    os.write(leader, SECRET.encode() + b"\n")
    until(read_some, "the command to finish")
    os.close(leader)
    assert proc.wait(timeout=120) == 0, shown
    assert b"invited support2" in shown and SECRET.encode() not in shown, "typed, not echoed"
    assert sent(mock) == {"request_admin_role": 1}
