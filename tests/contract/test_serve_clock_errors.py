"""The served clock never stops unseen: whatever the simulation raises is logged."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest

from console.monitor.scenario import scenario
from console.server.run import run_clock


@pytest.mark.parametrize("error", [OverflowError("cannot convert float infinity to integer"),
                                   ValueError("year 10000 is out of range")])
async def test_an_exception_in_the_clock_is_logged(caplog, error):
    caplog.set_level(logging.ERROR, logger="console.server.run")
    backend, _ = scenario(workers=20)
    stopped_at = backend.engine.clock

    def fails(*args: object, **kwargs: object) -> None:
        raise error

    backend.engine.advance_to = fails  # the way a broken gig made the next advance fail
    clock = asyncio.create_task(run_clock(backend.simulation, speed=60))
    expected = f"simulation clock stopped at {stopped_at}: {type(error).__name__}: {error}"
    deadline = time.monotonic() + 10
    try:
        while expected not in caplog.text and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
    finally:
        clock.cancel()
        await backend.close()
    assert expected in caplog.text


async def test_a_clock_that_stopped_on_a_passing_failure_starts_again(caplog, monkeypatch):
    # Out of file descriptors (clients holding 20,000 connections) failed one save: the clock
    # stayed stopped for good, with nobody to start it.
    monkeypatch.setattr("console.server.run.CLOCK_RETRY_FIRST", 0.05, raising=False)
    caplog.set_level(logging.ERROR, logger="console.server.run")
    backend, _ = scenario(workers=20)
    stopped_at = backend.engine.clock
    advance_to, failures = backend.engine.advance_to, []

    def fails_once(*args: object, **kwargs: object) -> None:
        if not failures:
            failures.append(1)
            raise OSError(24, "Too many open files")
        advance_to(*args, **kwargs)

    backend.engine.advance_to = fails_once
    clock = asyncio.create_task(run_clock(backend.simulation, speed=600))
    deadline = time.monotonic() + 10
    try:
        while backend.engine.clock <= stopped_at + 60 and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
    finally:
        clock.cancel()
        await backend.close()
    assert failures and "Too many open files; starting it again in 0.05 s" in caplog.text
    assert backend.engine.clock > stopped_at + 60
