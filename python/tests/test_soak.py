"""The fault soak, short: benchmarks/soak.py (the long, documented script) with fewer
organizations. Every fault the emulator knows, then its own state checked: no duplicate, none
missing, each organization in its intended lock state, and only typed errors the caller can act
on (unconfirmed creates, settled by ensure_organization). Figures are printed, not asserted."""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from pathlib import Path

SOAK = Path(__file__).resolve().parents[2] / "benchmarks" / "soak.py"


def load_soak():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("soak", SOAK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass resolves annotations through it
    spec.loader.exec_module(module)
    return module


def test_soak_under_every_fault(capsys) -> None:  # type: ignore[no-untyped-def]
    soak = load_soak()
    figures = asyncio.run(soak.soak(creates=24, cycles=2, seed=14, concurrency=8))
    with capsys.disabled():
        print("\npython soak (short):")
        for line in figures.lines():
            print(f"  {line}")
    assert figures.stats["faults_injected"] > 0
    assert figures.stats["rate_limited"] > 0, "bare and JSON 429s were scripted"
    assert figures.untyped == []
    assert figures.duplicates == 0
    assert figures.missing == 0
    assert figures.wrong_states == []
    unexpected = {k: n for k, n in figures.surfaced.items() if k != "CreateUnconfirmedError"}
    assert unexpected == {}, "within the retry budget only unconfirmed creates reach the caller"
