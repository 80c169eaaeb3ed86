"""The screen's update timer: a repaint asked for after an idle spell comes at the next tick
still ahead, not one tick later (console/tui/timer_ticks.py)."""

from __future__ import annotations

import asyncio
import time

from textual.app import App
from textual.timer import Timer

from console.tui.app import CirroApp
from console.tui.timer_ticks import PUBLISHED_RUN, skip_to_next_tick

from .conftest import wait_for

INTERVAL = 0.2


class Ticks(App[None]):
    """A timer used as Textual's screens use theirs: paused at each tick, resumed on demand."""

    def on_mount(self) -> None:
        self.ticks: list[float] = []
        self.timer = self.set_interval(INTERVAL, self._tick, pause=True)

    def _tick(self) -> None:
        self.ticks.append(time.monotonic())
        self.timer.pause()


async def gap_after_an_idle_spell() -> float:
    """Seconds from a late tick (resumed 2.5 intervals after the one before) to the next one,
    asked for at once: the next tick still ahead is half an interval away."""
    app = Ticks()
    async with app.run_test():
        app.timer.resume()
        await wait_for(lambda: len(app.ticks) == 1)
        await asyncio.sleep(app.ticks[0] + 2.5 * INTERVAL - time.monotonic())  # idle
        app.timer.resume()
        await wait_for(lambda: len(app.ticks) == 2)
        app.timer.resume()
        await wait_for(lambda: len(app.ticks) == 3)
        return app.ticks[2] - app.ticks[1]


async def test_a_tick_after_an_idle_spell_comes_at_the_next_slot_ahead() -> None:
    skip_to_next_tick()
    # Half an interval; Textual 8.2.8's own skip made it one and a half.
    assert await gap_after_an_idle_spell() < INTERVAL


async def test_textual_still_skips_one_tick_too_many() -> None:
    """When this fails, Textual fixed its timer: remove console/tui/timer_ticks.py."""
    installed = Timer._run
    Timer._run = PUBLISHED_RUN  # type: ignore[method-assign]
    try:
        assert await gap_after_an_idle_spell() > INTERVAL
    finally:
        Timer._run = installed  # type: ignore[method-assign]


def test_the_console_installs_it(backend) -> None:
    Timer._run = PUBLISHED_RUN  # type: ignore[method-assign]
    CirroApp(backend)
    assert Timer._run is not PUBLISHED_RUN
