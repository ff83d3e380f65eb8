"""The audit's HTML page in a real browser: headless Chromium renders it (DOM with the summary
table), its screenshot is a real picture, not a blank page, and its script works: the table of
contents leads to the sections, a click on a heading sorts, the search box filters. Chromium is
Debian's (`chromium.py`); in CI its absence is a failure."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any, Dict

import pytest
from chromium import browse

from scaleway_partner import AuditReport
from scaleway_partner.audit.demo import demo_server
from scaleway_partner.audit.tables import report_tables


@pytest.fixture(scope="module")
def report() -> AuditReport:
    with demo_server() as mock, mock.client(rate_limit=0) as client:
        return client.audit(progress=False)


def test_page_renders_with_the_summary_table(report: AuditReport, tmp_path: Path) -> None:
    page = tmp_path / "audit.html"
    page.write_text(report.to_html(), encoding="utf-8")
    url = page.as_uri()

    dom = browse(tmp_path, ["--dump-dom", url])
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert '<table class="summary">' in dom.stdout
    assert f'<td class="n">{report.total:,}</td>' in dom.stdout
    assert "<svg" in dom.stdout

    shot = tmp_path / "audit.png"
    done = browse(tmp_path, [f"--screenshot={shot}", "--window-size=1280,2000", url])
    assert done.returncode == 0, done.stderr[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000

    from matplotlib.image import imread

    pixels = imread(str(shot))
    assert pixels.shape[:2] == (2000, 1280)
    colours = {tuple(p) for p in pixels[::7, ::7].reshape(-1, pixels.shape[2]).tolist()}
    assert len(colours) > 10, "not a blank page"
    inked = (pixels[..., :3].mean(axis=2) < 0.9).mean()
    assert inked > 0.02, f"only {inked:.1%} of the page has ink"
    keep = os.environ.get("AUDIT_SCREENSHOT")
    if keep:  # to look at it: AUDIT_SCREENSHOT=/tmp/audit.png pytest -k browser
        shutil.copy(shot, keep)


# Runs in the page after its own script, like a person would: follows the table of contents,
# clicks headings, types in the search box; writes what it saw into the DOM for --dump-dom.
_DRIVER = """
<script>
(function () {
  var out = {toc: [], sorts: {}, search: {}};
  document.querySelectorAll('table.summary a[href^="#"]').forEach(function (a) {
    var target = document.getElementById(a.getAttribute('href').slice(1));
    a.click();
    out.toc.push({href: a.getAttribute('href'), hash: location.hash,
                  heading: target ? target.querySelector('h2').textContent : null,
                  top: target ? Math.round(target.getBoundingClientRect().top) : null});
  });
  function column(table, i) {
    return Array.prototype.map.call(table.tBodies[0].rows, function (r) {
      return r.cells[i].getAttribute('data-v') || r.cells[i].textContent;
    });
  }
  var table = document.querySelector('#locked_by_partner table.list');
  var heads = table.querySelectorAll('thead th');
  var titles = Array.prototype.map.call(heads, function (h) { return h.textContent; });
  ['Days', 'Days', 'Name'].forEach(function (title, n) {
    var i = titles.indexOf(title);
    heads[i].click();
    out.sorts[title + n] = {order: heads[i].getAttribute('aria-sort'), values: column(table, i)};
  });
  var box = document.getElementById('search');
  box.value = QUERY;
  box.dispatchEvent(new Event('input'));
  document.querySelectorAll('section').forEach(function (s) {
    var t = s.querySelector('table.list');
    if (!t) return;
    var shown = Array.prototype.filter.call(t.tBodies[0].rows, function (r) { return !r.hidden; });
    out.search[s.id] = {shown: shown.length, note: s.querySelector('.matches').textContent};
  });
  box.value = '';
  box.dispatchEvent(new Event('input'));
  out.cleared = document.querySelectorAll('table.list tbody tr[hidden]').length;
  var pre = document.createElement('pre');
  pre.id = 'driver';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
"""


def _drive(report: AuditReport, tmp_path: Path, query: str) -> Dict[str, Any]:
    page = report.to_html(max_rows=None)
    driver = _DRIVER.replace("QUERY", json.dumps(query))
    path = tmp_path / "driven.html"
    path.write_text(page.replace("</body>", driver + "</body>"), encoding="utf-8")
    dom = browse(tmp_path, ["--window-size=1280,900", "--dump-dom", path.as_uri()])
    assert dom.returncode == 0, dom.stderr[-2000:]
    found = re.search(r'<pre id="driver">(.*?)</pre>', dom.stdout, re.S)
    assert found, "the driver ran"
    result: Dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return result


def test_contents_sorting_and_search(report: AuditReport, tmp_path: Path) -> None:
    tables = report_tables(report)
    # A customer ID shared by several organizations: found in several lists.
    query = report.shared_customer_ids[0].value
    seen = _drive(report, tmp_path, query)

    # Every list of the summary links to its section, and following the link scrolls to it.
    assert [t["href"] for t in seen["toc"]] == [f"#{t.key}" for t in tables]
    for link, table in zip(seen["toc"], tables):
        assert link["hash"] == link["href"] and link["heading"] == table.heading
        assert table is tables[-1] or abs(link["top"]) < 5, link

    # A click sorts by that column (numbers as numbers), a second click reverses.
    days = [int(v) for v in seen["sorts"]["Days0"]["values"]]
    assert seen["sorts"]["Days0"]["order"] == "ascending" and days == sorted(days)
    back = [int(v) for v in seen["sorts"]["Days1"]["values"]]
    assert seen["sorts"]["Days1"]["order"] == "descending" and back == sorted(days, reverse=True)
    names = seen["sorts"]["Name2"]["values"]
    assert names == sorted(names, key=str.lower) and len(names) == len(report.locked_by_partner)

    # The search box keeps the rows that mention the query, in every list, and says how many.
    for table in tables:
        if not table.rows:
            continue
        expected = sum(
            any(query.lower() in str(cell).lower() for cell in row if cell is not None)
            for row in table.rows
        )
        got = seen["search"][table.key]
        assert got["shown"] == expected, table.key
        assert got["note"] == f"{expected} of {len(table.rows)} rows match"
    assert seen["search"]["shared_customer_ids"]["shown"] >= 2
    assert seen["cleared"] == 0, "an empty search shows every row again"
