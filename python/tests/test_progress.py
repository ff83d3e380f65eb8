"""Progress bars of long listings: tqdm when installed, a text bar otherwise; by default only
when someone watches (a TTY, IPython or Jupyter)."""

from __future__ import annotations

import io
import sys
import types
from typing import ClassVar, List

import pytest

from scaleway_partner import AsyncClient, Client
from scaleway_partner._progress import ProgressBar, TextBar, interactive, progress_bar

BOOK = pytest.mark.scaleway_mock(seed=4, seed_organizations=250)


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def _without_tqdm(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("tqdm", "tqdm.auto"):
        monkeypatch.setitem(sys.modules, name, None)  # type: ignore[arg-type]


def test_interactive_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "IPython", raising=False)
    assert not interactive(io.StringIO())
    assert interactive(_Tty())
    closed = io.StringIO()
    closed.close()
    assert not interactive(closed)
    fake = types.ModuleType("IPython")
    fake.get_ipython = lambda: None  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "IPython", fake)
    assert not interactive(io.StringIO()), "IPython imported but no shell running"
    fake.get_ipython = lambda: object()  # type: ignore[attr-defined]
    assert interactive(io.StringIO()), "a running IPython or Jupyter kernel"


def test_progress_argument_overrides_detection(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("scaleway_partner._progress.interactive", lambda: True)
    assert progress_bar(False, "x") is None
    shown = progress_bar(None, "x")
    assert shown is not None
    shown.close()
    monkeypatch.setattr("scaleway_partner._progress.interactive", lambda: False)
    assert progress_bar(None, "x") is None
    _without_tqdm(monkeypatch)
    assert isinstance(progress_bar(True, "x"), TextBar)


def test_text_bar_draws_one_line() -> None:
    out = io.StringIO()
    bar = TextBar("Listing", stream=out)
    assert bar.line(0, None) == "Listing  0"
    assert bar.line(750, 1500) == f"Listing [{'#' * 15}{'-' * 15}] 750/1,500  50%"
    bar.update(100, 1500)
    bar.update(200, 1500)  # within 0.1 s of the last: skipped
    bar.update(1500, 1500)  # the end is always drawn
    bar.close()
    assert out.getvalue() == (f"\r{bar.line(100, 1500)}\r{bar.line(1500, 1500)}\n")


@BOOK
def test_not_interactive_means_no_bar(
    scaleway_client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    scaleway_client.audit()
    assert capsys.readouterr().err == ""


@BOOK
def test_text_bar_without_tqdm(
    scaleway_client: Client, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _without_tqdm(monkeypatch)
    seen = []
    scaleway_client.audit(progress=True, on_progress=lambda d, t: seen.append(d))
    err = capsys.readouterr().err
    assert err.endswith("250/250 100%\n") and err.startswith("\rListing organizations [")
    assert seen[-1] == 250, "on_progress still called"


@BOOK
def test_tqdm_bar(scaleway_client: Client, capsys: pytest.CaptureFixture[str]) -> None:
    scaleway_client.audit(progress=True)
    err = capsys.readouterr().err
    assert "Listing organizations" in err and "250/250" in err and "100%" in err


@pytest.mark.asyncio
@BOOK
async def test_async_bar(
    async_scaleway_client: AsyncClient,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _without_tqdm(monkeypatch)
    await async_scaleway_client.audit(progress=True)
    assert capsys.readouterr().err.endswith("250/250 100%\n")


def _in_jupyter(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = types.ModuleType("IPython")
    fake.get_ipython = lambda: object()  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "IPython", fake)


def test_jupyter_without_ipywidgets_gets_the_text_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    _in_jupyter(monkeypatch)
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # type: ignore[arg-type]
    asked = []
    fake_tqdm = types.ModuleType("tqdm.auto")
    fake_tqdm.tqdm = lambda **kw: asked.append(kw)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tqdm.auto", fake_tqdm)
    bar = progress_bar(True, "x")
    assert isinstance(bar, TextBar)
    assert asked == [], "tqdm never asked (it would warn and stack bars)"


class _FakeTqdm:
    made: ClassVar[List[_FakeTqdm]] = []

    def __init__(self, **kw: object) -> None:
        self.total = kw["total"]
        self.first_total = kw["total"]
        self.n = 0
        self.closed = False
        _FakeTqdm.made.append(self)

    def refresh(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True


def test_tqdm_bar_starts_with_the_total(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = types.ModuleType("tqdm.auto")
    fake.tqdm = _FakeTqdm  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tqdm.auto", fake)
    monkeypatch.delitem(sys.modules, "IPython", raising=False)
    _FakeTqdm.made = []
    bar = progress_bar(True, "Listing")
    assert isinstance(bar, ProgressBar) and _FakeTqdm.made == [], "no bar before the first page"
    bar.update(100, 1500)
    bar.update(1500, 1500)
    bar.close()
    (made,) = _FakeTqdm.made
    assert (made.first_total, made.n, made.closed) == (1500, 1500, True)
