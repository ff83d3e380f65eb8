"""Progress bars for long listings: in a Jupyter kernel, an HTML bar updated in place (its last
state is the cell's output, saved with the notebook and exported without widgets or scripts);
elsewhere tqdm when installed, otherwise a plain text bar on stderr. Shown by default only when
someone watches: stderr is a terminal, or the code runs in IPython/Jupyter. A bar appears with
the first page, when the total is known."""

from __future__ import annotations

import html
import importlib
import sys
import time
from typing import Any, Callable, Dict, Optional, TextIO

__all__ = ["JupyterBar", "ProgressBar", "interactive", "progress_bar"]


def _ipython() -> Any:
    # Only when IPython is already loaded: importing it here would be slow and pointless.
    module = sys.modules.get("IPython")
    get_ipython: Optional[Callable[[], Any]] = getattr(module, "get_ipython", None)
    return None if get_ipython is None else get_ipython()


def _in_ipython() -> bool:
    return _ipython() is not None


def _in_kernel() -> bool:
    """True in a Jupyter kernel (a notebook's front end renders HTML), not a terminal IPython."""
    return getattr(_ipython(), "kernel", None) is not None


def interactive(stream: Optional[TextIO] = None) -> bool:
    """True when a person is likely watching: ``stream`` (stderr) is a TTY, or IPython runs."""
    if _in_ipython():
        return True
    stream = sys.stderr if stream is None else stream
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):  # replaced or closed stream
        return False


class ProgressBar:
    """``update(done, total)`` after each page, ``close()`` at the end."""

    def update(self, done: int, total: Optional[int]) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class _TqdmBar(ProgressBar):
    """Created at the first update, so that tqdm starts with the total the first page gave."""

    def __init__(self, tqdm: Any, description: str) -> None:
        self._tqdm = tqdm
        self._description = description
        self._bar: Any = None

    def update(self, done: int, total: Optional[int]) -> None:
        if self._bar is None:
            self._bar = self._tqdm(
                desc=self._description, unit="org", total=total, initial=done, leave=True
            )
        elif total is not None and self._bar.total != total:
            self._bar.total = total
        self._bar.n = done
        self._bar.refresh()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


class TextBar(ProgressBar):
    """``Listing organizations [########------------]  750/1500  50%`` on one line, redrawn at
    most ten times a second."""

    WIDTH = 30

    def __init__(self, description: str, stream: Optional[TextIO] = None) -> None:
        self._description = description
        self._stream = sys.stderr if stream is None else stream
        self._last = 0.0
        self._drawn = False
        self._line = ""

    def line(self, done: int, total: Optional[int]) -> str:
        if not total:
            return f"{self._description}  {done:,}"
        share = min(done / total, 1.0)
        filled = round(share * self.WIDTH)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        return f"{self._description} [{bar}] {done:,}/{total:,} {share:4.0%}"

    def update(self, done: int, total: Optional[int]) -> None:
        now = time.monotonic()
        finished = total is not None and done >= total
        if not finished and now - self._last < 0.1:
            return
        self._last = now
        self._line = self.line(done, total)
        self._stream.write("\r" + self._line)
        self._stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            self._stream.write("\n")
            self._stream.flush()


class JupyterBar(TextBar):
    """The text bar's line, shown as an HTML ``<progress>`` in a notebook and redrawn in place
    (``update_display``): the cell keeps the final state (``1,500/1,500 100%``), which a saved
    notebook and its HTML export show as it is, with no widget to load."""

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self._handle: Any = None
        self._done: int = 0
        self._total: Optional[int] = None

    def _bundle(self, done: int, total: Optional[int]) -> Dict[str, str]:
        line = self.line(done, total)
        value = f' value="{done}" max="{total}"' if total else ""
        return {
            "text/plain": line,
            "text/html": (
                f'<div class="spa-progress"><progress{value} style="width: 20em;'
                f' vertical-align: middle"></progress> <code>{html.escape(line)}</code></div>'
            ),
        }

    def update(self, done: int, total: Optional[int]) -> None:
        self._done, self._total = done, total
        now = time.monotonic()
        finished = total is not None and done >= total
        if self._handle is not None and not finished and now - self._last < 0.1:
            return
        self._last = now
        bundle = self._bundle(done, total)
        if self._handle is None:
            ipython: Any = importlib.import_module("IPython.display")
            self._handle = ipython.display(bundle, raw=True, display_id=True)
        else:
            self._handle.update(bundle, raw=True)

    def close(self) -> None:
        # The last count reported, drawn even when the throttle skipped it.
        if self._handle is not None:
            self._handle.update(self._bundle(self._done, self._total), raw=True)


def _tqdm() -> Any:
    # In Jupyter tqdm.auto picks the widget bar, which needs ipywidgets: without it tqdm warns
    # and prints a new bar at each refresh. Checked before tqdm is asked.
    try:
        if _in_ipython():
            importlib.import_module("ipywidgets")
        return importlib.import_module("tqdm.auto").tqdm
    except ImportError:
        return None


def progress_bar(show: Optional[bool], description: str) -> Optional[ProgressBar]:
    """The bar to show, or None: ``show`` None means "when interactive"."""
    if show is None:
        show = interactive()
    if not show:
        return None
    if _in_kernel():
        return JupyterBar(description)
    tqdm = _tqdm()
    return TextBar(description) if tqdm is None else _TqdmBar(tqdm, description)
