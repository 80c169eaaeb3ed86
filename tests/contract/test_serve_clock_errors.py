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
