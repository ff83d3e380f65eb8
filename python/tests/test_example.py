"""The typed example (checked by pyright in the ``types`` stage) also runs: it is no fiction."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).parent / "typing" / "example.py"


def test_typed_example_runs() -> None:
    done = subprocess.run(
        [sys.executable, str(EXAMPLE)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "AsyncClient(api_url=" in done.stdout
