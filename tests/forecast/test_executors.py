"""How a forecast's parts are awaited: a forecast given up cancels the parts not begun; a broken
pool's parts are left to the pool, which fails each one itself."""

from __future__ import annotations

import asyncio
from concurrent.futures.process import BrokenProcessPool

import pytest
from held_executor import HeldExecutor, wait_for

from console.forecast.executors import run_plan_soon


async def test_a_forecast_given_up_cancels_its_parts_not_begun():
    pool = HeldExecutor()
    task = asyncio.create_task(run_plan_soon(None, 10, 1, pool, 5))
    await wait_for(lambda: len(pool.submitted) == 5)
    pool.submitted[0].set_running_or_notify_cancel()  # the one part running
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert [f.cancelled() for f in pool.submitted] == [False, True, True, True, True]


async def test_a_broken_pool_s_parts_are_left_to_the_pool():
    # The pool's own thread sets the error on every part; a part cancelled meanwhile made that
    # thread raise InvalidStateError (a traceback on the console's terminal).
    pool = HeldExecutor()
    task = asyncio.create_task(run_plan_soon(None, 10, 1, pool, 5))
    await wait_for(lambda: len(pool.submitted) == 5)
    pool.submitted[0].set_exception(BrokenProcessPool("a worker died"))
    with pytest.raises(BrokenProcessPool):
        await task
    assert not any(f.cancelled() for f in pool.submitted)
    for future in pool.submitted[1:]:
        future.set_exception(BrokenProcessPool("a worker died"))  # as the pool's thread does
