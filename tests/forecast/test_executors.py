"""How a forecast's parts are awaited: a forecast given up cancels the parts not begun; a broken
pool's parts are left to the pool, which fails each one itself."""

from __future__ import annotations

import asyncio
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool

import pytest

from console.forecast.executors import run_plan_soon


class HeldParts(Executor):
    """Each part a future that only the test completes."""

    def __init__(self) -> None:
        self.futures: list[Future] = []

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        self.futures.append(future)
        return future


async def wait_for(condition, seconds: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not condition():
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.001)


async def test_a_forecast_given_up_cancels_its_parts_not_begun():
    pool = HeldParts()
    task = asyncio.create_task(run_plan_soon(None, 10, 1, pool, 5))
    await wait_for(lambda: len(pool.futures) == 5)
    pool.futures[0].set_running_or_notify_cancel()  # the one part running
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert [f.cancelled() for f in pool.futures] == [False, True, True, True, True]


async def test_a_broken_pool_s_parts_are_left_to_the_pool():
    # The pool's own thread sets the error on every part; a part cancelled meanwhile made that
    # thread raise InvalidStateError (a traceback on the console's terminal).
    pool = HeldParts()
    task = asyncio.create_task(run_plan_soon(None, 10, 1, pool, 5))
    await wait_for(lambda: len(pool.futures) == 5)
    pool.futures[0].set_exception(BrokenProcessPool("a worker died"))
    with pytest.raises(BrokenProcessPool):
        await task
    assert not any(f.cancelled() for f in pool.futures)
    for future in pool.futures[1:]:
        future.set_exception(BrokenProcessPool("a worker died"))  # as the pool's thread does
