"""Drives the simulation clock while the console is open: simulated seconds = wall seconds x speed.

Pure bookkeeping (no Textual): the app calls :meth:`SimulationClock.due` on each tick and advances
the backend by what it returns. Fractions carry over, so 60x over 0.37 s ticks still adds up to
60 simulated seconds per wall second.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

# Advance the backend's clock by N simulated seconds; returns the new simulated time.
Advance = Callable[[int], Awaitable[int]]

MIN_SPEED = 1.0
MAX_SPEED = 86400.0


class SimulationClock:
    def __init__(self, advance: Advance, speed: float, wall: Callable[[], float] = time.monotonic):
        self.advance = advance
        self.speed = speed
        self.paused = False
        self._wall = wall
        self._last = wall()
        self._carry = 0.0

    def due(self) -> int:
        """Whole simulated seconds owed since the last call (0 while paused)."""
        now = self._wall()
        elapsed, self._last = now - self._last, now
        if self.paused:
            return 0
        self._carry += elapsed * self.speed
        seconds = int(self._carry)
        self._carry -= seconds
        return seconds

    def toggle(self) -> bool:
        self.due()  # settle the time run so far at the old state
        self.paused = not self.paused
        return self.paused

    def scale(self, factor: float) -> float:
        self.due()
        self.speed = min(max(self.speed * factor, MIN_SPEED), MAX_SPEED)
        return self.speed
