"""The exit-time crash of pyo3-async-runtimes (issue 40) must not happen: a script running 50
concurrent calls on asyncio then exiting, run many times, exits cleanly every time.

``slow-finalize`` is the adversary of the exit abort a daemon thread caused (SIGABRT, glibc's
"exception not rethrown"): CPython before 3.14 ends a thread taking the GIL while it finalizes
with ``pthread_exit``, fatal under Rust frames, and the interpreter letting go of the GIL again
and again as it finalizes, with a log handler that lets go of it too, puts a thread handling
records there. It aborted about one run in four before the exit hook waited for such threads.
"""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import List, Tuple

SCRIPT = Path(__file__).with_name("exit_script.py")
RUNS = [
    ("await", ""),
    ("await", "debug"),
    ("abandon", ""),
    ("abandon", "debug"),
    ("thread", "debug"),
    ("thread", "debug slow-finalize"),
    ("thread", "debug slow-finalize"),
] * 4


def run(mode: str, extra: str) -> Tuple[int, str, str]:
    args = [sys.executable, str(SCRIPT), mode, *extra.split()]
    done = subprocess.run(args, capture_output=True, text=True, timeout=60)
    return done.returncode, done.stdout, done.stderr


def test_exit_is_clean_every_time() -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        results: List[Tuple[int, str, str]] = list(pool.map(lambda r: run(*r), RUNS))
    failures = [
        (mode, code, err[-2000:])
        for (mode, _), (code, out, err) in zip(RUNS, results)
        if code != 0 or out.strip() != "ok" or err.strip()
    ]
    assert len(RUNS) == 28
    assert failures == [], failures
