"""Where ``AsyncClient`` calls deliver their results: the running asyncio loop, or trio's.

The native layer starts a call at once (``AsyncClient``'s methods are ``async def``, so that is
when one is first awaited) and delivers the result to the loop that awaits it, through two
methods of that loop: ``create_future()`` and ``call_soon_threadsafe()`` (of :func:`settle`,
so that setting the result runs no native code). asyncio's loop has
them; under trio (also anyio's trio backend) a small adapter gives them on top of trio's token.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any, Awaitable, Callable, Generator, List, Optional, Set

_NO_LOOP = (
    "AsyncClient needs a running asyncio or trio event loop (anyio's backends included); "
    "elsewhere, use the blocking Client from a worker thread"
)


class CancelOnDone:
    """The done callback of a call's future: cancelling the future cancels the native call.
    A future that completes does not call into the native layer."""

    __slots__ = ("_call",)

    def __init__(self, call: Any) -> None:
        self._call = call

    def __call__(self, future: Any) -> None:
        if future.cancelled():
            self._call.cancel()


def settle(future: Any, result: Any, error: Optional[BaseException]) -> None:
    """Sets a call's outcome, made on the native side, on its future, unless the future was
    cancelled meanwhile. Runs on the loop, scheduled by the native delivery thread after the
    call's own jobs (its hook events, records, progress reports)."""
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


def running_loop() -> Any:
    """The loop of the awaiting task: asyncio's, or an adapter of trio's."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        pass
    trio = sys.modules.get("trio")
    if trio is not None:
        try:
            return _TrioLoop(trio.lowlevel.current_trio_token())
        except RuntimeError:
            pass
    raise RuntimeError(_NO_LOOP)


_NOT_AWAITED = (
    "{what} returned an awaitable (an async callback), but no event loop runs on this thread to "
    "await it: the blocking Client does not await callbacks; use AsyncClient, or a plain function"
)

# asyncio keeps only weak references to tasks: these live until they end.
_RUNNING: Set[Any] = set()


def run_soon(
    what: str, awaitable: Awaitable[Any], done: Callable[[Optional[BaseException]], None]
) -> None:
    """Runs the awaitable an async hook or ``on_progress`` returned as a task of this thread's
    loop; ``done(error)`` once it ends, ``error`` None if it succeeded. Outside a loop it is
    closed unawaited and a ``RuntimeError`` says why."""

    async def run() -> None:
        try:
            await awaitable
        except BaseException as e:  # handed to done, which makes it the outcome
            done(e)
        else:
            done(None)

    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        trio = sys.modules.get("trio")
        try:
            if trio is None:
                raise
            trio.lowlevel.spawn_system_task(run)
            return
        except RuntimeError:
            close = getattr(awaitable, "close", None)
            if close is not None:
                close()
            raise RuntimeError(_NOT_AWAITED.format(what=what)) from None
    task = loop.create_task(run())
    _RUNNING.add(task)
    task.add_done_callback(_RUNNING.discard)


async def in_thread(work: Callable[[], Any]) -> Any:
    """``work()`` in a worker thread, awaited on the running loop (asyncio's or trio's)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        import trio

        return await trio.to_thread.run_sync(work)
    return await loop.run_in_executor(None, work)


class _TrioLoop:
    """The two methods of an asyncio loop the native layer uses, on trio."""

    def __init__(self, token: Any) -> None:
        self._token = token

    def create_future(self) -> _TrioFuture:
        return _TrioFuture()

    def call_soon_threadsafe(self, callback: Callable[..., Any], *args: Any) -> None:
        # trio.RunFinishedError once the run is over: as with a closed asyncio loop, the
        # native side then drops the result (nobody is waiting any more).
        self._token.run_sync_soon(callback, *args)


class _TrioFuture:
    """A one-shot result set on trio's thread; cancelling the awaiting task cancels it, which
    the native side sees through its done callback (and stops the call)."""

    def __init__(self) -> None:
        import trio

        self._event = trio.Event()
        self._result: Any = None
        self._error: Optional[BaseException] = None
        self._cancelled = False
        self._callbacks: List[Callable[[_TrioFuture], Any]] = []

    def done(self) -> bool:
        return self._event.is_set()

    def cancelled(self) -> bool:
        return self._cancelled

    def add_done_callback(self, callback: Callable[[_TrioFuture], Any]) -> None:
        self._callbacks.append(callback)

    def set_result(self, result: Any) -> None:
        self._result = result
        self._finish()

    def set_exception(self, error: BaseException) -> None:
        self._error = error
        self._finish()

    def _finish(self) -> None:
        self._event.set()
        for callback in self._callbacks:
            callback(self)

    def __await__(self) -> Generator[Any, None, Any]:
        return self._wait().__await__()

    async def _wait(self) -> Any:
        try:
            await self._event.wait()
        except BaseException:
            # trio.Cancelled (a cancel scope, a nursery failing): the call is abandoned.
            if not self.done():
                self._cancelled = True
                self._finish()
            raise
        if self._error is not None:
            raise self._error
        return self._result
