"""Backend calls off the event loop: a slow call (a catastrophic regex in a filter, a save of a
large simulation) must not hold every other client of ``serve``.

The LocalBackend's methods are plain code behind ``async def`` (they never wait on the loop) and
serialise themselves with one lock, so each call can run to completion in a worker thread while
the loop goes on answering.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine
from functools import partial
from typing import Any

import anyio
import anyio.to_thread


def _complete(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine that never suspends, in the calling thread."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value
    coroutine.close()
    raise RuntimeError(f"{coroutine.__qualname__} waited on the event loop: it cannot run in "
                       f"a worker thread")


# Calls that run gigs' filters over a worker document: however many of them hang on a regex,
# they hold at most this many threads, and the rest of the pool stays free for other requests.
QUERY_METHODS = frozenset({"invitation_attempt"})
QUERY_THREADS = 4


class OffLoop:
    """``target``'s coroutine methods, each run in a worker thread; other attributes as they are.

    A cancelled call (the request's deadline) stops waiting at once; the thread finishes the
    call on its own, under the backend's lock, as if the client had gone away."""

    def __init__(self, target: Any) -> None:
        self._target = target
        self._query_limiter: anyio.CapacityLimiter | None = None

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._target, name)
        if not inspect.iscoroutinefunction(attribute):
            return attribute
        return partial(self._in_thread, attribute, name in QUERY_METHODS)

    async def _in_thread(self, method: Callable[..., Coroutine[Any, Any, Any]], query: bool,
                         *args: Any, **kwargs: Any) -> Any:
        limiter = None
        if query:
            # Made on first use: a limiter belongs to the running event loop.
            if self._query_limiter is None:
                self._query_limiter = anyio.CapacityLimiter(QUERY_THREADS)
            limiter = self._query_limiter
        return await anyio.to_thread.run_sync(lambda: _complete(method(*args, **kwargs)),
                                              abandon_on_cancel=True, limiter=limiter)
