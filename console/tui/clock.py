"""Drives the simulation clock while the console is open: simulated seconds = wall seconds x speed.

Pure bookkeeping (no Textual): the app calls :meth:`SimulationClock.due` on each tick and advances
the backend by what it returns. Fractions carry over, so 60x over 0.37 s ticks still adds up to
60 simulated seconds per wall second.
"""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable

from console.config import MAX_SPEED
from console.monitor.pause import Pause, yield_once
from console.monitor.speeds import SliceSizer

# Advance the backend's clock by N simulated seconds; returns the new simulated time.
Advance = Callable[[int], Awaitable[int]]

MIN_SPEED = 1.0
# Wall seconds of simulation per frame at the fastest speed, in slices of SliceSizer's budget.
FRAME_BUDGET = 0.04


class SimulationClock:
    def __init__(self, advance: Advance, speed: float, wall: Callable[[], float] = time.monotonic,
                 pause: Pause = yield_once, advance_fastest: Advance | None = None):
        self.advance = advance
        # At the fastest speed: an advance that stops at the last scheduled event (a replay's
        # own advance already stops at its last frame).
        self.advance_fastest = advance_fastest or advance
        self._fastest_at: int | None = None
        self.pause = pause
        self.speed = speed
        self.paused = False
        self._wall = wall
        self._last = wall()
        self._carry = 0.0
        self.sizer = SliceSizer()

    @property
    def fastest(self) -> bool:
        """Running as fast as possible (an infinite speed): see :meth:`run_fastest`."""
        return math.isinf(self.speed) and not self.paused

    def due(self) -> int:
        """Whole simulated seconds owed since the last call (0 while paused or at the fastest
        speed, where :meth:`run_fastest` moves time instead)."""
        now = self._wall()
        elapsed, self._last = now - self._last, now
        if self.paused or math.isinf(self.speed):
            return 0
        self._carry += elapsed * self.speed
        seconds = int(self._carry)
        self._carry -= seconds
        return seconds

    def toggle(self) -> bool:
        self.due()  # settle the time run so far at the old state
        self.paused = not self.paused
        return self.paused

    async def run_fastest(self) -> bool:
        """One frame's worth at the fastest speed: slices of simulated time, each sized to take
        a few milliseconds, until the frame's wall budget is spent. The pause between slices
        lets a key in: it waits for the rest of one slice, not for the frame.

        False when a slice left the clock where it was (nothing is left to happen): the clock
        is then paused there."""
        await self.pause()
        deadline = self._wall() + FRAME_BUDGET
        while (start := self._wall()) < deadline:
            before, self._fastest_at = self._fastest_at, await self.advance_fastest(self.sizer.size)
            if self._fastest_at == before:
                self.paused = True
                return False
            self.sizer.took(self._wall() - start)
            await self.pause()
        return True

    def set_speed(self, speed: float) -> float:
        """A speed step (1x ... 600x, or ``math.inf`` for as fast as possible)."""
        self.due()
        self.speed = speed if math.isinf(speed) else min(max(speed, MIN_SPEED), MAX_SPEED)
        return self.speed
