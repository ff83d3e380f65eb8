"""User code may call the client from inside the client (issue 24): a traffic hook, a progress
callback or a ``logging`` handler making a call of its own, blocking or asynchronous, works, and
every later call too (before, these deadlocked past every ``total_timeout``). Delivering
``AsyncClient`` results costs no thread per call. A subinterpreter's import is refused and the
main interpreter goes on working.

Each case runs in a subprocess: a regression hangs, and the subprocess timeout (a bound against
hanging the suite, not a speed claim) turns it into a failure.
"""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any, List, Optional

import pytest
from conftest import acreate, create

import scaleway_partner as sp
from scaleway_partner.testing import MockServer

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


# An ``async def`` hook or ``on_progress`` follows the rule of a plain one: the work waits for an
# async progress callback's coroutine, whose exception is the call's outcome
# (test_progress_raise.py); an async hook runs as a task and its exception is logged. The
# blocking client cannot await them: it says so.


@pytest.mark.asyncio
async def test_the_work_waits_for_an_async_on_progress_which_may_call_the_client(
    scaleway_mock: MockServer,
) -> None:
    async with scaleway_mock.async_client() as client:
        ids = [(await acreate(client)).id for _ in range(3)]
        running = False
        overlaps: List[bool] = []
        nested: List[str] = []

        async def on_progress(done: int, total: Optional[int]) -> None:
            nonlocal running
            overlaps.append(running)
            running = True
            nested.append((await client.get_organization(ids[done % 3])).id)
            running = False

        results = await client.get_organizations(ids, concurrency=1, on_progress=on_progress)
    assert len(results) == 3 and len(nested) == 3
    assert overlaps == [False, False, False]


@pytest.mark.asyncio
async def test_an_async_hook_runs_on_the_loop_and_its_exception_is_logged(
    scaleway_mock: MockServer,
) -> None:
    calls: List[str] = []
    failures: List[logging.LogRecord] = []
    logged = asyncio.Event()

    class Failures(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.exc_info:
                failures.append(record)
                logged.set()  # on the loop's thread, where the hook's task ends

    async def hook(event: sp.TrafficEvent) -> None:
        await asyncio.sleep(0)
        calls.append(event["event"])
        raise RuntimeError("async hook bug")

    logger = logging.getLogger("scaleway_partner")
    handler = Failures()
    logger.addHandler(handler)
    try:
        async with scaleway_mock.async_client(hook=hook) as client:
            org = await acreate(client)
            assert (await client.get_organization(org.id)).id == org.id
            await asyncio.wait_for(logged.wait(), HANG_GUARD)
    finally:
        logger.removeHandler(handler)
    assert calls and set(calls) <= {"request", "response"}, calls
    assert isinstance(failures[0].exc_info[1], RuntimeError)  # type: ignore[index]
    assert "hook" in failures[0].getMessage()


def test_the_blocking_client_refuses_an_async_on_progress_at_once(
    scaleway_client: sp.Client,
) -> None:
    ids = [create(scaleway_client).id for _ in range(2)]

    async def on_progress(done: int, total: Optional[int]) -> None:
        pass

    with pytest.raises(TypeError, match="blocking Client does not await callbacks"):
        scaleway_client.get_organizations(ids, on_progress=on_progress)


def test_an_async_hook_of_the_blocking_client_is_logged_as_not_awaited(
    scaleway_mock: MockServer, caplog: pytest.LogCaptureFixture
) -> None:
    async def hook(event: sp.TrafficEvent) -> None:
        pass

    with scaleway_mock.client(hook=hook) as client:
        org = create(client)
    assert org.id
    failures = [r for r in caplog.records if r.exc_info and "hook" in r.getMessage()]
    assert failures
    assert "no event loop runs on this thread" in str(failures[0].exc_info[1])  # type: ignore[index]


@pytest.mark.skipif(not hasattr(signal, "SIGINT"), reason="no SIGINT")
@pytest.mark.parametrize("where", ["hook", "log handler"])
def test_ctrl_c_landing_in_a_hook_or_log_handler_stops_the_blocking_call(
    scaleway_mock: MockServer, where: str
) -> None:
    # They run on the calling thread now, where Ctrl-C lands: it must stop the call, not be
    # logged as the hook's failure (or swallowed by `logging`) while the call goes on.
    sent: List[bool] = []

    def interrupt() -> None:
        if not sent:
            sent.append(True)
            os.kill(os.getpid(), signal.SIGINT)
            for _ in range(1_000_000):  # the handler raises at the next bytecode boundary
                pass

    class Interrupting(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            interrupt()

    # The client's records (the emulator's come from a background thread, at any time).
    logger = logging.getLogger("scaleway_partner.client")
    handler = Interrupting()
    with scaleway_mock.client() as plain:
        org = create(plain)
    options: Any = {"hook": lambda event: interrupt()} if where == "hook" else {}
    with scaleway_mock.client(**options) as client:
        if where == "log handler":
            logger.addHandler(handler)
            logger.setLevel(logging.DEBUG)
        try:
            with pytest.raises(KeyboardInterrupt):
                client.get_organization(org.id)
        finally:
            logger.removeHandler(handler)
            logger.setLevel(logging.NOTSET)
    assert sent
