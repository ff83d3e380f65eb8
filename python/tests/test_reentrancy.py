"""User code may call the client from inside the client (issue 24): a traffic hook, a progress
callback or a ``logging`` handler making a call of its own, blocking or asynchronous, works, and
every later call too (before, these deadlocked past every ``total_timeout``). Delivering
``AsyncClient`` results costs no thread per call. A subinterpreter's import is refused and the
main interpreter goes on working.

Each case runs in a subprocess: a regression hangs, and the subprocess timeout (a bound against
hanging the suite, not a speed claim) turns it into a failure.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
HANG_GUARD = 120


def run(script: str, *args: str) -> str:
    try:
        done = subprocess.run(
            [sys.executable, str(HERE / script), *args],
            capture_output=True,
            text=True,
            timeout=HANG_GUARD,
        )
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"{script} {' '.join(args)} hung (deadlock): {e.stderr!r}")
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.mark.parametrize(
    "mode",
    [
        "hook",
        "progress",
        "log",
        "log-other-thread",
        "async-hook",
        "async-progress",
        "async-log",
        "hook-async-call",
    ],
)
def test_user_code_may_call_the_client(mode: str) -> None:
    assert run("reentrant_script.py", mode).split() == ["ok"]


@pytest.mark.skipif(
    not Path("/proc/self/status").exists(), reason="counts threads in /proc/self/status"
)
def test_ten_thousand_async_calls_keep_the_thread_count_small() -> None:
    # "threads <before> <peak> <calls>": before counts the runtime's threads (one per core) and
    # the delivery thread; during the calls only the sampler (1) may add to it, and a little slack
    # (the background thread of emulator records, a thread of the HTTP stack): never one per call.
    word, before, peak, calls = run("threads_script.py", "10000").split()
    assert (word, calls) == ("threads", "10000")
    assert int(peak) <= int(before) + 4, (before, peak)


@pytest.mark.skipif(
    importlib.util.find_spec("_interpreters") is None
    and importlib.util.find_spec("_xxsubinterpreters") is None,
    reason="this Python has no subinterpreter module",
)
def test_a_subinterpreter_is_refused_and_the_main_interpreter_goes_on() -> None:
    refused, ok = run("subinterpreter_script.py").splitlines()
    assert refused.startswith("refused: "), refused
    assert "ImportError" in refused and "subinterpreter" in refused, refused
    assert "WSGIApplicationGroup" in refused, refused
    assert ok == "ok"
