"""The served clock never stops unseen: whatever the simulation raises is logged."""

from __future__ import annotations

import logging

import pytest

from console.server.run import run_clock


class Failing:
    """A simulation whose next advance fails the way a broken gig made it fail."""

    def __init__(self, error: Exception) -> None:
        self.now = 1_700_000_000
        self.error = error

    async def advance_to(self, t: int) -> int:
        raise self.error


@pytest.mark.parametrize("error", [OverflowError("cannot convert float infinity to integer"),
                                   ValueError("year 10000 is out of range")])
async def test_an_exception_in_the_clock_is_logged(caplog, error):
    caplog.set_level(logging.ERROR, logger="console.server.run")
    await run_clock(Failing(error), speed=60, interval=0.001)  # type: ignore[arg-type]
    assert (f"simulation clock stopped at 1700000000: {type(error).__name__}: {error}"
            in caplog.text)
