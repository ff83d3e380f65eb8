"""How an AuditReport shows: repr, Jupyter HTML, the page, pandas, matplotlib, the terminal
report, and the message when an optional extra is missing."""

from __future__ import annotations

import io
import re
import sys
from typing import Iterator

import pytest

from scaleway_partner import AuditReport, MissingExtraError
from scaleway_partner.audit.terminal import render
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
    assert hidden > 0 and f"… and {hidden:,} more" in html
    for title, count in report.problems():
        assert f"{title} ({count:,})".replace(">", "&gt;") in html


def test_page_is_self_contained(report: AuditReport) -> None:
    page = report.to_html(max_rows=25)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<svg" in page and 'aria-label="Organizations created per month"' in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "nothing fetched"
    assert "<script" not in page, "the hostile name is escaped"
    hidden = len(report.missing_phone_number) - 25
    assert f"… and {hidden:,} more" in page
    # One bar per month in the timeline, one per status in the breakdown.
    assert page.count("<rect") == len(report.created_per_month) + len(report.by_status)


def test_terminal_report(report: AuditReport) -> None:
    text = render(report, limit=5)
    assert "\033[" not in text
    assert "Status" in text and "Problems" in text and "Created per month" in text
    assert f"... and {len(report.missing_phone_number) - 5:,} more" in text
    for title, count in report.problems():
        assert re.search(rf"{re.escape(title)}\s+{count:,}\b", text), title
    assert "\033[1m" in render(report, color=True)
    # Aligned: every row of a table starts its count column at the same place.
    status = text.split("Status\n")[1].split("\n\n")[0].splitlines()
    assert len({line.index("%") for line in status}) == 1


def test_to_pandas(report: AuditReport) -> None:
    import pandas as pd

    frames = report.to_pandas()
    assert len(frames.organizations) == report.total
    assert len(frames.locked_by_partner) == len(report.locked_by_partner)
    assert len(frames.missing_phone_number) == len(report.missing_phone_number)
    assert str(frames.organizations["created_at"].dt.tz) == "UTC"
    assert frames.locked_by_partner["days"].dtype == "float64"
    counts = frames.organizations["status"].value_counts().to_dict()
    assert counts == report.by_status
    shared = frames.shared_customer_ids
    assert list(shared["count"]) == [len(s.organization_ids) for s in report.shared_customer_ids]
    assert int(frames.created_per_month["count"].sum()) == report.total
    assert isinstance(frames.unknown_values, pd.DataFrame)


def test_plot(report: AuditReport) -> None:
    fig = report.plot()
    status_ax, month_ax = fig.axes
    assert [t.get_text() for t in status_ax.get_yticklabels()] == sorted(
        report.by_status, key=lambda k: (report.by_status[k], k)
    )
    assert len(month_ax.patches) == len(report.created_per_month)
    heights = [round(p.get_height()) for p in month_ax.patches]
    assert heights == list(report.created_per_month.values())
    out = io.BytesIO()
    fig.savefig(out, format="png")
    assert out.getvalue().startswith(b"\x89PNG") and len(out.getvalue()) > 10_000


@pytest.mark.parametrize(
    ("module", "call", "extra"),
    [
        ("pandas", AuditReport.to_pandas, "pandas"),
        ("matplotlib", AuditReport.plot, "plot"),
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
    assert f"pip install 'scaleway_partner[{extra}]'" in str(e.value)
