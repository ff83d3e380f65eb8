"""Runs examples/account-audit.ipynb against the demo emulator and writes it back with its
outputs, so that it reads without running (GitHub, nbviewer). Needs the package and its
notebook extra (``pip install 'scaleway_partner[notebook]' nbclient ipykernel``).

    python examples/regenerate.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

NOTEBOOK = Path(__file__).resolve().parent / "account-audit.ipynb"


def execute(path: Path = NOTEBOOK, workdir: Path | None = None) -> Any:
    """The notebook at ``path`` executed against the demo emulator (no ``SCW_`` variables reach
    the kernel), in ``workdir`` (a temporary directory by default: the notebook writes files)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(str(path), as_version=4)
    # Widget state saved by an older run: nothing in the notebook makes widgets now.
    nb.metadata.pop("widgets", None)
    saved = {k: v for k, v in os.environ.items() if k.startswith("SCW_")}
    for name in saved:
        del os.environ[name]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            where = workdir or Path(tmp)
            os.environ["SCW_CONFIG_PATH"] = str(where / "none.yaml")
            NotebookClient(
                nb,
                timeout=180,
                kernel_name="python3",
                resources={"metadata": {"path": str(where)}},
            ).execute()
    finally:
        os.environ.pop("SCW_CONFIG_PATH", None)
        os.environ.update(saved)
    for cell in nb.cells:
        # Timings change at every run and say nothing to a reader.
        cell.metadata.pop("execution", None)
    return nb


def main() -> int:
    import nbformat

    nb = execute()
    nbformat.write(nb, str(NOTEBOOK))
    print(f"wrote {NOTEBOOK} with its outputs", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
