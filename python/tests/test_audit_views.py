"""How an AuditReport shows: repr, Jupyter HTML, the page, pandas, matplotlib, the terminal
report, and the message when an optional extra is missing."""

from __future__ import annotations

import io
import re
import sys
from html import escape
from typing import Iterator

import pytest

from scaleway_partner import AuditReport, MissingExtraError
from scaleway_partner.audit.tables import lock_ages, report_tables, status_split
from scaleway_partner.testing import MockServer

EVIL = "<script>alert('x')</script> & Co"


@pytest.fixture(scope="module")
def report() -> Iterator[AuditReport]:
    with MockServer(seed=21, seed_organizations=600, rate_limit=0) as mock:
        with mock.client() as client:
            first = client.audit(progress=False).locked_by_partner[0]
            mock.patch_raw(first.id, set={"name": EVIL})
            yield client.audit(progress=False)


def test_repr_fits_one_screen(report: AuditReport) -> None:
    text = repr(report)
    lines = text.splitlines()
    assert len(lines) <= 25 and max(len(line) for line in lines) <= 220
    assert f"{report.total:,} organizations" in lines[0]
    for status, count in report.by_status.items():
        assert f"{status} {count:,}" in text
    assert f"{len(report.locked_by_partner):>7,}" in text
    assert "organizations=[" not in text, "the organizations are not dumped"


def test_jupyter_html_has_the_summary_and_the_lists_escaped(report: AuditReport) -> None:
    html = report._repr_html_()
    assert '<table class="summary">' in html
    assert f'<td class="n">{report.total:,}</td>' in html
    assert EVIL not in html and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co" in html
    hidden = len(report.missing_phone_number) - 10
    assert hidden > 0 and f"… and {hidden:,} more rows" in html
    for table in report_tables(report):
        assert escape(table.heading) in html
    # Its own styles, scoped to its own class: nothing leaks into the notebook.
    assert '<div class="spa-audit"><style>' in html
    css = html.split("<style>")[1].split("</style>")[0]
    selectors = [rule.split("{")[0] for rule in css.split("}") if "{" in rule]
    for selector in selectors:
        for part in selector.split(","):
            assert part.strip().startswith(".spa-audit"), part
    assert "tr.problem td.n { color: #c62828" in css
    whole = report.view(max_rows=None)._repr_html_()
    assert "more rows" not in whole
    assert whole.count("<tr>") > html.count("<tr>")


def test_page_is_self_contained(report: AuditReport) -> None:
    page = report.to_html(max_rows=25)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<svg" in page and 'aria-label="Organizations created per month"' in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "nothing fetched"
    assert page.count("<script") == 1, "its own script only: the hostile name is escaped"
    hidden = len(report.missing_phone_number) - 25
    assert f"… and {hidden:,} more rows" in page
    # The status chart splits the locks by holder; then the lock-age bins, then the months.
    split = status_split(report)
    assert split["locked by the partner"] == len(report.locked_by_partner)
    assert sum(split.values()) == report.total
    ages = lock_ages(report)
    assert sum(n for _, n in ages) == len(report.locked_by_partner)
    assert page.count("<rect") == len(report.created_per_month) + len(split) + len(ages)
    # Every list in the table of contents links to its section.
    for table in report_tables(report):
        assert f'<a href="#{table.key}">' in page and f'<section id="{table.key}">' in page
    assert "prefers-color-scheme: dark" in page and "@media print" in page
    assert '<input id="search"' in page
    assert "more rows" not in report.to_html(max_rows=None)


def test_terminal_report(report: AuditReport) -> None:
    text = report.to_text(max_rows=5, width=120)
    assert "\033[" not in text
    assert "Status" in text and "Problems" in text and "Created per month" in text
    assert "Partner locks by age" in text
    assert f"... and {len(report.missing_phone_number) - 5:,} more rows" in text
    for title, count in report.problems():
        assert re.search(rf"{re.escape(title)}\s+{count:,}\b", text), title
    assert "\033[1m" in report.to_text(color=True)
    # Aligned: every row of a table starts its count column at the same place.
    status = text.split("Status\n")[1].split("\n\n")[0].splitlines()
    assert len({line.index("%") for line in status}) == 1
    assert "(longest first)" not in text and "(329, longest first)" not in text
    assert f"Locked by the partner ({len(report.locked_by_partner):,}, longest first)" in text
    everything = report.to_text(max_rows=None, width=120)
    assert "more rows" not in everything


@pytest.mark.parametrize("width", [80, 100, 160])
def test_terminal_fits_its_width(
    report: AuditReport, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    text = report.to_text(max_rows=10)
    assert max(len(line) for line in text.splitlines()) <= width
    assert text == report.to_text(max_rows=10, width=width)


def test_same_columns_in_every_view(report: AuditReport) -> None:
    text = report.to_text(max_rows=3, width=400)
    html = report.to_html(max_rows=3)
    for table in report_tables(report):
        if not table.rows:
            continue
        header = "  " + "  ".join(c.title for c in table.columns)
        section = text.split(table.heading + "\n")[1]
        assert re.sub(r" +", " ", section.splitlines()[0]) == re.sub(r" +", " ", header)
        part = html.split(f'<section id="{table.key}">')[1].split("</thead>")[0]
        assert re.findall(r"<th[^>]*>([^<]*)</th>", part) == [c.title for c in table.columns]


def test_placeholders_are_blank(report: AuditReport) -> None:
    opened = [f for f in report.missing_phone_number if str(f.status) == "opened"]
    assert opened and str(opened[0].locked_by) == "unknown_locked_by", "raw value kept"
    for view in (report.to_text(max_rows=None, width=400), report.to_html(max_rows=None)):
        assert "unknown_locked_by" not in view and "unknown_status" not in view
    frames = report.to_pandas()
    assert "unknown_locked_by" not in set(frames.organizations["locked_by"])
    assert "unknown_locked_by" not in set(frames.missing_phone_number["locked_by"])


def test_closed_organizations_are_set_apart(report: AuditReport) -> None:
    closed = {f.id for f in report.closed}
    assert closed and len(closed) == report.by_status["closed"]
    for findings in (report.missing_phone_number, report.empty_customer_id):
        assert not closed & {f.id for f in findings}
    for shared in report.shared_emails + report.shared_customer_ids:
        assert not closed & set(shared.organization_ids)
    assert "closed" not in [title for title, _ in report.problems()]
    text = report.to_text(width=120)
    problems = text.split("Problems\n")[1].split("Set apart\n")[0]
    assert "Closed" not in problems
    assert f"Closed organizations, not counted as problems ({len(closed):,})" in text


def test_to_pandas(report: AuditReport) -> None:
    import pandas as pd

    frames = report.to_pandas()
    assert len(frames.organizations) == report.total
    assert len(frames.locked_by_partner) == len(report.locked_by_partner)
    assert len(frames.missing_phone_number) == len(report.missing_phone_number)
    assert len(frames.closed) == len(report.closed)
    # Timezone-naive UTC and whole days: what Excel and CSV take as they are.
    assert frames.organizations["created_at"].dt.tz is None
    first = report.organizations[0]
    assert first.created_at is not None
    assert frames.organizations["created_at"][0] == pd.Timestamp(
        first.created_at.replace(tzinfo=None)
    )
    assert frames.locked_by_partner["locked_at"].dt.tz is None
    assert frames.locked_by_partner["days"].dtype == "Int64"
    assert list(frames.locked_by_partner["days"]) == [
        int(f.days // 1) for f in report.locked_by_partner if f.days is not None
    ]
    counts = frames.organizations["status"].value_counts().to_dict()
    assert counts == report.by_status
    # One row per organization of each shared group, with its name and status.
    shared = frames.shared_customer_ids
    assert len(shared) == sum(len(s.organization_ids) for s in report.shared_customer_ids)
    assert list(shared.columns) == ["value", "group_size", "name", "id", "status", "email"]
    by_id = {o.id: o for o in report.organizations}
    for org_id, name, status in zip(shared["id"], shared["name"], shared["status"]):
        assert (name, status) == (by_id[str(org_id)].name, str(by_id[str(org_id)].status))
    assert int(frames.created_per_month["count"].sum()) == report.total
    assert isinstance(frames.unknown_values, pd.DataFrame)
    out = io.BytesIO()
    frames.locked_by_partner.to_excel(out, index=False)
    assert out.getvalue().startswith(b"PK")


def test_plot(report: AuditReport) -> None:
    fig = report.plot()
    status_ax, age_ax, month_ax = fig.axes
    split = status_split(report)
    assert [t.get_text() for t in status_ax.get_yticklabels()] == sorted(
        split, key=lambda k: (split[k], k)
    )
    ages = [round(p.get_height()) for p in age_ax.patches]  # type: ignore[attr-defined]
    assert ages == [n for _, n in lock_ages(report)]
    assert len(month_ax.patches) == len(report.created_per_month)
    heights = [round(p.get_height()) for p in month_ax.patches]  # type: ignore[attr-defined]
    assert heights == list(report.created_per_month.values())
    out = io.BytesIO()
    fig.savefig(out, format="png")
    assert out.getvalue().startswith(b"\x89PNG") and len(out.getvalue()) > 10_000


@pytest.mark.parametrize(
    ("module", "call", "extra"),
    [
        ("pandas", AuditReport.to_pandas, "pandas"),
        ("matplotlib", AuditReport.plot, "plot"),
        ("openpyxl", lambda r: r.to_excel("never.xlsx"), "excel"),
    ],
)
def test_missing_extra_names_what_to_install(
    report: AuditReport, monkeypatch: pytest.MonkeyPatch, module: str, call: object, extra: str
) -> None:
    # A None entry in sys.modules makes `import module` fail as if it were not installed.
    for name in list(sys.modules):
        if name == module or name.startswith(module + "."):
            monkeypatch.setitem(sys.modules, name, None)  # type: ignore[arg-type]
    monkeypatch.setitem(sys.modules, module, None)  # type: ignore[arg-type]
    with pytest.raises(ImportError) as e:
        call(report)  # type: ignore[operator]
    assert isinstance(e.value, MissingExtraError)
    # The package itself: scaleway_partner[extra] needs scaleway_partner on PyPI (issue 25).
    assert f"pip install {module} (the '{extra}' extra" in str(e.value)


def test_off_a_terminal_nothing_is_cut(
    report: AuditReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A pipe, a file, print(report) in Jupyter: no screen narrows the lines (issue 25).
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False)
    text = report.to_text(max_rows=None)
    assert "…" not in text
    for org in report.locked_by_partner:
        assert f"  {org.name}  " in text or org.name == EVIL


def test_narrow_lines_cut_names_and_ids_alike(report: AuditReport) -> None:
    # Not a name cut to 7 characters beside a whole 36-character UUID.
    text = report.to_text(max_rows=3, width=100)
    header = text.split("Locked by the partner (")[1].splitlines()[1]
    id_at, email_at = header.index("ID "), header.index("Email")
    name_width, id_width = id_at - 4, email_at - id_at - 2
    assert id_width < 36 and name_width >= id_width - 1, header


def test_status_chart_ticks_do_not_run_together_at_20000() -> None:
    pytest.importorskip("matplotlib")
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    with MockServer(seed=5, seed_organizations=20_000, rate_limit=0) as mock:
        with mock.client() as client:
            big = client.audit(progress=False)
    fig = big.plot()
    FigureCanvasAgg(fig)
    fig.canvas.draw()
    labels = [t for t in fig.axes[0].get_xticklabels() if t.get_text()]
    boxes = sorted((t.get_window_extent() for t in labels), key=lambda b: b.x0)
    assert len(boxes) >= 2
    for left, right in zip(boxes, boxes[1:]):
        assert left.x1 + 4 <= right.x0, [t.get_text() for t in labels]
