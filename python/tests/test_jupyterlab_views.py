"""The audit views as JupyterLab shows them (issue 25, item 2). A notebook is executed headless
(nbclient); each HTML output is placed as JupyterLab places it (an output area's
``jp-RenderedHTMLCommon`` element) under JupyterLab's own stylesheet, taken from the pinned
jupyterlab wheel of PyPI (python/tests/jupyterlab.txt, fetched by scripts/lib.sh
``fetch_jupyterlab_wheel``), and headless Chromium says how each cell is laid out: text columns
left-aligned, numbers right-aligned, IDs on one line. JupyterLab's
``:not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon td {text-align: right}`` outranks a
one-class rule."""

from __future__ import annotations

import html
import json
import os
import re
import sys
import zipfile
from pathlib import Path
from typing import Any, Dict, List

import nbformat
import pytest
from chromium import browse
from nbclient import NotebookClient

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
RIGHT_ALIGN = ":not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon td"


def _wheel() -> Path:
    pin = (Path(__file__).parent / "jupyterlab.txt").read_text(encoding="utf-8")
    version = re.search(r"^jupyterlab==(\S+)$", pin, re.M)
    assert version is not None
    found = sorted((Path(sys.prefix) / "wheels").glob(f"jupyterlab-{version.group(1)}-*.whl"))
    if not found:
        message = (
            f"the jupyterlab wheel is not in {sys.prefix}/wheels (scripts/lang/python.sh setup)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found[-1]


def jupyterlab_css() -> str:
    """JupyterLab's stylesheet as the app loads it: the light theme's variables, and every CSS
    module its core bundle injects (they are JS strings there: ``push([e.id, `...css...`])``)."""
    with zipfile.ZipFile(_wheel()) as wheel:
        names = wheel.namelist()
        theme = wheel.read("jupyterlab/themes/@jupyterlab/theme-light-extension/index.css")
        (core,) = [n for n in names if re.fullmatch(r"jupyterlab/static/jlab_core\.\w+\.js", n)]
        bundle = wheel.read(core).decode("utf-8")
    modules = re.findall(r'\.push\(\[e\.id,`(.*?)`,""\]\)', bundle, re.S)
    css = "\n".join([theme.decode("utf-8"), *modules])
    assert RIGHT_ALIGN in css, "the rule under test is in the stylesheet read"
    return css


_NOTEBOOK = [
    "from scaleway_partner.audit import bulk_outcomes\n"
    "from scaleway_partner.audit.demo import demo_server\n"
    "mock = demo_server(300)\n"
    "client = mock.client(rate_limit=0)\n"
    "report = client.audit(progress=False)",
    "report",
    "ids = [f.id for f in report.locked_by_partner[:3]]\n"
    "bulk_outcomes(ids, client.unlock_organizations(ids), action='unlock')",
    "report.diff(report)",
    "report.plan_lock([f.id for f in report.stuck_in_email_validation])",
    "client.close(); mock.close()",
]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> List[str]:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in _NOTEBOOK])
    where = tmp_path_factory.mktemp("nb")
    NotebookClient(
        nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(where)}}
    ).execute()
    shown = [
        "".join(o["data"]["text/html"])
        for cell in nb.cells
        for o in cell.outputs
        if "text/html" in o.get("data", {})
    ]
    assert len(shown) == 4, "the report, the bulk outcomes, the diff and a preview show as HTML"
    return shown


# Runs in the page: for every cell of the views, its computed alignment and whether its text
# takes more than one line; written into the DOM for --dump-dom.
_DRIVER = """
<script>
(function () {
  var cells = [];
  document.querySelectorAll('.jp-OutputArea-output td').forEach(function (td) {
    var range = document.createRange();
    range.selectNodeContents(td);
    var lines = new Set(Array.prototype.map.call(range.getClientRects(), function (r) {
      return Math.round(r.top);
    }));
    cells.push({text: td.textContent, numeric: td.classList.contains('n'),
                align: getComputedStyle(td).textAlign, lines: lines.size});
  });
  var pre = document.createElement('pre');
  pre.id = 'driver';
  pre.textContent = JSON.stringify(cells);
  document.body.appendChild(pre);
})();
</script>
"""


def _layout(fragments: List[str], tmp_path: Path) -> List[Dict[str, Any]]:
    areas = "".join(
        # As JupyterLab 4 renders a text/html output of a notebook cell.
        '<div class="jp-OutputArea-child"><div class="jp-OutputArea-output jp-RenderedHTMLCommon'
        f' jp-RenderedHTML" data-mime-type="text/html">{f}</div></div>'
        for f in fragments
    )
    page = (
        f"<!DOCTYPE html><html><head><style>{jupyterlab_css()}</style></head>"
        '<body class="jp-ThemedContainer" data-jp-theme-light="true">'
        f'<div class="jp-Notebook" style="width: 900px">{areas}</div>{_DRIVER}</body></html>'
    )
    path = tmp_path / "lab.html"
    path.write_text(page, encoding="utf-8")
    dom = browse(tmp_path, ["--window-size=1000,900", "--dump-dom", path.as_uri()])
    assert dom.returncode == 0, dom.stderr[-2000:]
    found = re.search(r'<pre id="driver">(.*?)</pre>', dom.stdout, re.S)
    assert found, "the driver ran"
    cells: List[Dict[str, Any]] = json.loads(html.unescape(found.group(1)))
    return cells


def test_views_align_and_keep_ids_whole_under_jupyterlab(
    outputs: List[str], tmp_path: Path
) -> None:
    cells = _layout(outputs, tmp_path)
    text = [c for c in cells if not c["numeric"] and c["text"].strip()]
    numbers = [c for c in cells if c["numeric"]]
    ids = [c for c in cells if UUID.match(c["text"].strip())]
    assert len(text) > 50 and numbers and len(ids) > 10, "the views' cells were measured"
    assert [c for c in text if c["align"] != "left"] == [], "text columns are left-aligned"
    assert {c["align"] for c in numbers} == {"right"}
    assert [c["text"] for c in ids if c["lines"] != 1] == [], "an ID is on one line"
