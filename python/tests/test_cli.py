"""The console command `scaleway-partner audit` (installed with the package) and
`python -m scaleway_partner`: formats, files, --demo, exit codes, one-line errors."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

from scaleway_partner import AuditReport
from scaleway_partner.audit.cli import main
from scaleway_partner.audit.tables import Table, report_tables
from scaleway_partner.testing import MockServer

COMMAND = Path(sys.executable).parent / "scaleway-partner"


def _env(tmp_path: Path, **extra: str) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCW_")}
    env.update(SCW_CONFIG_PATH=str(tmp_path / "none.yaml"), NO_COLOR="", **extra)
    return env


def _run(args: List[str], env: Dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)


def test_demo_prints_the_report(tmp_path: Path) -> None:
    done = _run([str(COMMAND), "audit", "--demo"], _env(tmp_path, COLUMNS="100"))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert max(len(line) for line in out.splitlines()) <= 100, "fits the terminal's width"
    assert out.startswith("Account audit: 1,500 organizations")
    for heading in (
        "Status",
        "Locked by",
        "Problems",
        "Locked by the partner",
        "Created per month",
    ):
        assert f"\n{heading}" in out
    assert "... and " in out and "\033[" not in out, "no colour when not on a TTY"
    assert "demo: embedded emulator" in done.stderr
    assert "Listing organizations" not in done.stderr, "no progress bar when not on a TTY"


def test_module_json_and_html_files(tmp_path: Path) -> None:
    env = _env(tmp_path)
    done = _run(
        [
            sys.executable,
            "-m",
            "scaleway_partner",
            "audit",
            "--demo",
            "--format",
            "json",
            "--days",
            "30",
        ],
        env,
    )
    assert done.returncode == 0, done.stderr
    form = json.loads(done.stdout)
    assert form["total"] == 1500 and form["stuck_after_days"] == 30
    assert sum(form["by_status"].values()) == 1500
    page = tmp_path / "audit.html"
    done = _run([str(COMMAND), "audit", "--demo", "--format", "html", "--output", str(page)], env)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and f"wrote {page}" in done.stderr
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_missing_credentials_is_one_line_and_exit_1(tmp_path: Path) -> None:
    done = _run([str(COMMAND), "audit"], _env(tmp_path))
    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("scaleway-partner: ConfigurationError:")
    assert "SCW_SECRET_KEY" in lines[0], "the hint says how to give the key"


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert _run([str(COMMAND)], env).returncode == 2
    assert _run([str(COMMAND), "audit", "--format", "xml"], env).returncode == 2
    for args in (
        ["--format", "xlsx"],  # a workbook needs a file
        ["--max-rows", "-1"],
        ["--max-rows", "5", "--all"],
        ["--include-organizations"],  # JSON only
    ):
        bad = _run([str(COMMAND), "audit", "--demo", *args], env)
        assert bad.returncode == 2 and bad.stdout == "", args
    bad = _run([str(COMMAND), "audit", "--demo", "--profile", "prod"], env)
    assert bad.returncode == 2 and "--profile" in bad.stderr


@pytest.mark.scaleway_mock(seed=8, seed_organizations=140)
def test_against_credentials_from_the_environment(
    scaleway_mock: MockServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for k, v in _env(tmp_path).items():
        if k.startswith("SCW_"):
            monkeypatch.setenv(k, v)
    monkeypatch.setenv("SCW_SECRET_KEY", scaleway_mock.secret_key)
    monkeypatch.setenv("SCW_API_URL", scaleway_mock.url)
    monkeypatch.setenv("SCW_DEFAULT_ORGANIZATION_ID", scaleway_mock.organization_id)
    assert main(["audit", "--no-progress", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 140
    assert scaleway_mock.stats()["by_operation"]["list_organizations"] == 2
    out = tmp_path / "report.txt"
    assert main(["audit", "--output", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("Account audit: 140 organizations")


def test_unwritable_output_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "missing-dir" / "audit.json"
    assert main(["audit", "--demo", "--format", "json", "--output", str(target)]) == 1
    assert "missing-dir" in capsys.readouterr().err


@pytest.fixture(scope="module")
def demo_xlsx(tmp_path_factory: pytest.TempPathFactory) -> Tuple[Dict[str, Table], Path]:
    """The tables of the demo book's report as the command saves it (--save), and the
    workbook written in the same run."""
    tmp_path = tmp_path_factory.mktemp("demo")
    saved = tmp_path / "demo.json"
    workbook = tmp_path / "audit.xlsx"
    args = ["audit", "--demo", "--all", "--format", "xlsx", "--output", str(workbook)]
    done = _run([str(COMMAND), *args, "--save", str(saved)], _env(tmp_path))
    assert done.returncode == 0, done.stderr
    assert f"wrote {workbook}" in done.stderr
    return {t.key: t for t in report_tables(AuditReport.load(saved))}, workbook


def test_demo_all_xlsx_has_one_sheet_per_finding_and_every_row(
    demo_xlsx: Tuple[Dict[str, Table], Path],
) -> None:
    import openpyxl

    demo_tables, workbook = demo_xlsx
    book = openpyxl.load_workbook(workbook)
    assert book.sheetnames == ["summary", *demo_tables]
    for key, table in demo_tables.items():
        rows = list(book[key].iter_rows(values_only=True))
        assert list(rows[0]) == [c.title for c in table.columns], key
        assert len(rows) - 1 == len(table.rows), key
        for got, want in zip(rows[1:], table.rows):
            for value, expected in zip(got, want):
                if isinstance(expected, datetime):
                    # Excel has no time zones: UTC, naive, to the second at least.
                    assert isinstance(value, datetime) and value.tzinfo is None
                    assert abs(value - expected.replace(tzinfo=None)).total_seconds() < 1
                else:
                    assert value == (None if expected == "" else expected), key
    assert len(demo_tables["locked_by_partner"].rows) > 100, "longer than any default cut"
    summary = {(r[1]): r[2] for r in book["summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Organizations"] == 1500


@pytest.mark.parametrize("target", ["audit-csv", "audit.zip"])
def test_demo_csv_one_file_per_finding(
    demo_xlsx: Tuple[Dict[str, Table], Path], tmp_path: Path, target: str
) -> None:
    demo_tables = demo_xlsx[0]
    out = tmp_path / target
    done = _run(
        [str(COMMAND), "audit", "--demo", "--format", "csv", "--output", str(out)],
        _env(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    if target.endswith(".zip"):
        with zipfile.ZipFile(out) as archive:
            files = {n: archive.read(n).decode("utf-8") for n in archive.namelist()}
    else:
        files = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()}
    assert set(files) == {"summary.csv", *(f"{k}.csv" for k in demo_tables)}
    for key, table in demo_tables.items():
        rows = list(csv.reader(io.StringIO(files[f"{key}.csv"])))
        assert rows[0] == [c.title for c in table.columns]
        assert len(rows) - 1 == len(table.rows), key
    shared = list(csv.DictReader(io.StringIO(files["shared_emails.csv"])))
    assert not any(v.startswith("[") for row in shared for v in row.values()), "no list text"
    assert {"Name", "Status"} <= set(shared[0])
    stuck = list(csv.DictReader(io.StringIO(files["stuck_in_email_validation.csv"])))
    assert stuck[0]["Created"].endswith("Z") and stuck[0]["Days"].isdigit()


def test_max_rows_and_all(tmp_path: Path) -> None:
    env = _env(tmp_path, COLUMNS="200")
    three = _run([str(COMMAND), "audit", "--demo", "--max-rows", "3"], env).stdout
    every = _run([str(COMMAND), "audit", "--demo", "--all"], env).stdout
    assert "more rows" in three and "more rows" not in every
    assert len(every.splitlines()) > 1500
    page = tmp_path / "all.html"
    _run([str(COMMAND), "audit", "--demo", "--all", "--format", "html", "--output", str(page)], env)
    assert "more rows" not in page.read_text(encoding="utf-8")
