"""examples/account-audit.ipynb runs headlessly (nbclient + ipykernel) against the embedded
emulator, and shows what it promises: the HTML report, the plot, the drill-down and the bulk
unlock's per-item results, with no error output."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Dict, List

import pytest

NOTEBOOK = Path(__file__).resolve().parents[2] / "examples" / "account-audit.ipynb"


def _outputs(nb: Any) -> List[Dict[str, Any]]:
    return [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]


def _html(outputs: List[Dict[str, Any]]) -> str:
    return "\n".join(o.get("data", {}).get("text/html", "") for o in outputs)


def test_committed_without_outputs() -> None:
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


def test_notebook_runs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import nbformat
    from nbclient import NotebookClient

    # The emulator path: no real credentials reach the kernel.
    for name in list(os.environ):
        if name.startswith("SCW_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("SCW_CONFIG_PATH", str(tmp_path / "none.yaml"))
    nb = nbformat.read(str(NOTEBOOK), as_version=4)
    NotebookClient(
        nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()

    outputs = _outputs(nb)
    errors = [o for o in outputs if o["output_type"] == "error"]
    assert not errors, errors
    html = _html(outputs)
    assert '<table class="summary">' in html, "the report's HTML"
    assert "1,500" in html
    # Jupyter counts as interactive: the audit shows a progress bar (tqdm's widget).
    assert any(
        "application/vnd.jupyter.widget-view+json" in o.get("data", {})
        or "Listing organizations" in o.get("text", "")
        for o in outputs
    ), "a progress bar"
    assert any("image/png" in o.get("data", {}) for o in outputs), "the plot"
    # The bulk unlock's table: ten unlocked, one per-item error (not locked by the partner).
    results = [o for o in outputs if "unlocked" in o.get("data", {}).get("text/html", "")]
    assert results, "the bulk unlock results"
    table = results[-1]["data"]["text/html"]
    assert table.count("<td>unlocked</td>") == 10
    assert table.count("<td>PreconditionFailedError</td>") == 1
    printed = "".join(o.get("text", "") for o in outputs if o["output_type"] == "stream")
    assert "partner locks older than 30 days" in printed
    assert "locked by the partner:" in printed
