"""examples/account-audit.ipynb: committed with the outputs of a run against the demo emulator
(examples/regenerate.py), so that it reads without running. A fresh run (nbclient + ipykernel)
shows what it promises — the report, the plot, the drill-down, the preview and the bulk unlock
saying what each organization is now, the diff of two audits, a plan from a CRM export applied
with a journal — with no error, and the committed outputs have the same shape as the fresh ones
(regenerate the notebook when this fails).

Offline too: the outputs are the final state (each progress bar's last count, not a widget's
first frame), and the HTML export (nbconvert) shows them in headless Chromium with the network
cut off: no widget, nothing to fetch."""

from __future__ import annotations

import html
import importlib.util
import json
import re
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest
from chromium import browse

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NOTEBOOK = EXAMPLES / "account-audit.ipynb"
WIDGET = "application/vnd.jupyter.widget"
FINAL = "Listing organizations [##############################] 1,500/1,500 100%"


def _outputs(nb: Any) -> List[Dict[str, Any]]:
    return [o for cell in nb["cells"] if cell["cell_type"] == "code" for o in cell["outputs"]]


def _data(output: Dict[str, Any], mime: str) -> str:
    """An output's content of that MIME type, as one string."""
    return "".join(output.get("data", {}).get(mime, ""))


def _html(outputs: List[Dict[str, Any]]) -> str:
    return "\n".join("".join(o.get("data", {}).get("text/html", "")) for o in outputs)


def _shape(nb: Any) -> List[Tuple[str, List[Tuple[str, ...]]]]:
    """Per code cell: its source, and each output's type with its MIME types (or stream name),
    plus the sections of the HTML it shows."""
    shape = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        outputs = []
        for o in cell["outputs"]:
            data = o.get("data", {})
            html = "".join(data.get("text/html", ""))
            sections = tuple(re.findall(r'<section id="([^"]+)"', html))
            outputs.append((o["output_type"], o.get("name", ""), *sorted(data), *sections))
        shape.append(("".join(cell["source"]), outputs))
    return shape


def _committed() -> Any:
    return json.loads(NOTEBOOK.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def executed() -> Any:
    spec = importlib.util.spec_from_file_location("regenerate", EXAMPLES / "regenerate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    nb = module.execute()
    return json.loads(json.dumps(nb))


def test_committed_with_its_outputs() -> None:
    nb = _committed()
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c["execution_count"] is not None for c in code), "run, not just saved"
    outputs = _outputs(nb)
    assert not [o for o in outputs if o["output_type"] == "error"]
    html = _html(outputs)
    assert '<table class="summary">' in html and "1,500" in html, "the report shows"
    assert any("image/png" in o.get("data", {}) for o in outputs), "the plot shows"
    assert 'id="lifted_partner_locks"' in html, "the diff of two audits shows"
    assert "<b>Plan: 5 to create, " in html, "the plan of the CRM export shows"
    assert " 0 stale, 0 failed, 0 not started</b>" in html, "its apply's outcome shows"
    _final_and_static(nb)


def _final_and_static(nb: Any) -> None:
    """The progress output is the bar's last state, and nothing needs a widget to show."""
    outputs = _outputs(nb)
    assert not [o for o in outputs if any(m.startswith(WIDGET) for m in o.get("data", {}))]
    assert WIDGET not in json.dumps(nb.get("metadata", {}))
    progress = [_data(o, "text/plain") for o in _bars(outputs)]
    # The audit's listing first, then the apply's: each at its end.
    assert progress[0] == FINAL and all(p.endswith(" 100%") for p in progress), progress


def _bars(outputs: List[Any]) -> List[Any]:
    return [o for o in outputs if "<progress" in _data(o, "text/html")]


def test_fresh_run_shows_what_it_promises(executed: Any) -> None:
    outputs = _outputs(executed)
    errors = [o for o in outputs if o["output_type"] == "error"]
    assert not errors, errors
    html = _html(outputs)
    assert '<table class="summary">' in html and "1,500" in html
    # Jupyter counts as interactive: the audit shows a progress bar, and keeps its final state.
    _final_and_static(executed)
    assert any("image/png" in o.get("data", {}) for o in outputs), "the plot"
    printed = "".join("".join(o.get("text", "")) for o in outputs if o["output_type"] == "stream")
    assert "partner locks older than 30 days" in printed
    assert "locked by the partner:" in printed
    # The bulk unlock: ten done, one per-item error, each saying what the organization is now.
    (table,) = [
        _data(o, "text/html") for o in outputs if "<th>Outcome</th>" in _data(o, "text/html")
    ]
    assert table.count("<td>ok</td>") == 10 and table.count("<td>error</td>") == 1
    assert "<td>partner lock lifted; still locked by scaleway (validate_email)</td>" in table
    assert "<td>partner lock lifted; now opened</td>" in table
    assert "<td>unlocked</td>" not in table
    # The preview before it: exactly the ten the unlock then changes, not the opened one.
    (preview,) = [_data(o, "text/html") for o in outputs if " picked" in _data(o, "text/html")]
    assert "0 to lock, 10 to unlock; 1 unchanged" in preview
    unlocked = re.findall(r'<tr><td class="k">([^<]+)</td><td>[^<]*</td><td>ok</td>', table)
    assert len(unlocked) == 10 and all(f'<td class="k">{i}</td>' in preview for i in unlocked)
    # The diff of the two audits: the ten lifted locks, the new customer, the validations.
    assert '<section id="lifted_partner_locks"><h4>Partner locks lifted (10)</h4>' in html
    assert '<section id="new_organizations"><h4>New organizations (1)</h4>' in html
    assert "New Customer SAS" in html
    # Reconcile from a CRM export: the plan shown grouped with its field changes, as a
    # DataFrame, the apply's bar, its outcome, and nothing left to do after.
    assert "crm-export.csv: " in printed
    (plan,) = [h for h in (_html([o]) for o in outputs) if "<b>Plan: " in h and " picked" not in h]
    assert "to create" in plan and "<h4>update (" in plan and "<h4>lock (" in plan
    assert "<del>" in plan and "&rarr; <mark>" in plan and "<h4>Conflicts, left alone (" in plan
    assert any("<th>before</th>" in _html([o]) and "<th>after</th>" in _html([o]) for o in outputs)
    applying = [o for o in _bars(outputs) if "Applying" in _data(o, "text/plain")]
    assert applying, "the apply shows a progress bar"
    (applied,) = [h for h in (_html([o]) for o in outputs) if h.startswith("<div><b>Apply: ")]
    assert " 0 stale, 0 failed, 0 not started" in applied
    assert "no changes - " in printed
    # Nothing misleading: no API placeholder shown as a value.
    assert "unknown_locked_by" not in html and "unknown_status" not in html


def test_committed_outputs_are_current(executed: Any) -> None:
    assert _shape(_committed()) == _shape(executed), (
        "the committed outputs are stale: python examples/regenerate.py"
    )


# Runs in the exported page: the text a reader sees.
_SEEN = """<script>
var pre = document.createElement('pre'); pre.id = 'seen';
pre.textContent = document.body.innerText; document.body.appendChild(pre);
</script>"""


def test_html_export_shows_everything_offline(tmp_path: Path) -> None:
    from nbconvert import HTMLExporter

    page, _ = HTMLExporter().from_notebook_node(_committed_node())
    assert "jupyter-widgets" not in page and "widget-view" not in page
    path = tmp_path / "account-audit.html"
    path.write_text(page.replace("</body>", _SEEN + "</body>"), encoding="utf-8")
    # No network: every host name resolves to nothing.
    dom = browse(tmp_path, ["--host-resolver-rules=MAP * ~NOTFOUND", "--dump-dom", path.as_uri()])
    assert dom.returncode == 0, dom.stderr[-2000:]
    found = re.search(r'<pre id="seen">(.*?)</pre>', dom.stdout, re.S)
    assert found, "the page's script ran"
    seen = html.unescape(found.group(1))
    assert FINAL in seen, "the progress bar's final state"
    assert "Account audit" in seen and "Partner locks lifted (10)" in seen
    assert "1,500" in seen


def _committed_node() -> Any:
    import nbformat

    return nbformat.read(str(NOTEBOOK), as_version=4)
