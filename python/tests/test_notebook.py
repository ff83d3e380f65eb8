"""examples/account-audit.ipynb: committed with the outputs of a run against the demo emulator
(examples/regenerate.py), so that it reads without running. A fresh run (nbclient + ipykernel)
shows what it promises — the report, the plot, the drill-down, the bulk unlock saying what each
organization is now, the diff of two audits, a plan from a CRM export applied with a journal —
with no error, and the committed outputs have the same shape as the fresh ones (regenerate the
notebook when this fails)."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NOTEBOOK = EXAMPLES / "account-audit.ipynb"
WIDGET = "application/vnd.jupyter.widget-view+json"


def _outputs(nb: Any) -> List[Dict[str, Any]]:
    return [o for cell in nb["cells"] if cell["cell_type"] == "code" for o in cell["outputs"]]


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
    assert "<div><b>Plan: 5 to create, " in html, "the plan of the CRM export shows"
    assert " 0 stale, 0 failed, 0 not started</b>" in html, "its apply's outcome shows"


def test_fresh_run_shows_what_it_promises(executed: Any) -> None:
    outputs = _outputs(executed)
    errors = [o for o in outputs if o["output_type"] == "error"]
    assert not errors, errors
    html = _html(outputs)
    assert '<table class="summary">' in html and "1,500" in html
    # Jupyter counts as interactive: the audit shows a progress bar with its total.
    bars = [o for o in outputs if WIDGET in o.get("data", {})]
    assert bars and "/1500" in "".join(bars[0]["data"]["text/plain"])
    assert any("image/png" in o.get("data", {}) for o in outputs), "the plot"
    printed = "".join("".join(o.get("text", "")) for o in outputs if o["output_type"] == "stream")
    assert "partner locks older than 30 days" in printed
    assert "locked by the partner:" in printed
    # The bulk unlock: ten done, one per-item error, each saying what the organization is now.
    (bulk,) = [
        o for o in outputs if "<th>Outcome</th>" in "".join(o.get("data", {}).get("text/html", ""))
    ]
    table = "".join(bulk["data"]["text/html"])
    assert table.count("<td>ok</td>") == 10 and table.count("<td>error</td>") == 1
    assert "<td>partner lock lifted; still locked by scaleway (validate_email)</td>" in table
    assert "<td>partner lock lifted; now opened</td>" in table
    assert "<td>unlocked</td>" not in table
    # The diff of the two audits: the ten lifted locks, the new customer, the validations.
    assert '<section id="lifted_partner_locks"><h4>Partner locks lifted (10)</h4>' in html
    assert '<section id="new_organizations"><h4>New organizations (1)</h4>' in html
    assert "New Customer SAS" in html
    # Reconcile from a CRM export: the plan shown grouped with its field changes, as a
    # DataFrame, the apply's bar, its outcome, and nothing left to do after.
    assert "crm-export.csv: " in printed
    (plan,) = [h for h in (_html([o]) for o in outputs) if h.startswith("<div><b>Plan: ")]
    assert "to create" in plan and "<h4>update (" in plan and "<h4>lock (" in plan
    assert "<del>" in plan and "&rarr; <mark>" in plan and "<h4>Conflicts, left alone (" in plan
    assert any("<th>before</th>" in _html([o]) and "<th>after</th>" in _html([o]) for o in outputs)
    applying = [o for o in bars if "Applying" in "".join(o["data"]["text/plain"])]
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
