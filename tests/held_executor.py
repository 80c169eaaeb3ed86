"""Holding asynchronous work for a test: an executor whose futures only the test completes,
and a wait for a condition with a deadline."""

from __future__ import annotations

import asyncio
from concurrent.futures import Executor, Future


class HeldExecutor(Executor):
    """Takes each submission and runs none of it until the test says so."""

    def __init__(self) -> None:
        self.submitted: list[Future] = []

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        self.submitted.append(future)
        return future

    def release(self) -> None:
        for future in self.submitted:
            if not future.done():
                future.set_exception(RuntimeError("released by the test"))


async def wait_for(condition, seconds: float = 10.0) -> None:
    """Until ``condition()`` holds (a test failure after ``seconds``)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.02)
