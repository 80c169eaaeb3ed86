"""The pace of a simulated clock: simulated seconds = wall seconds x speed, paused, or as fast as
possible (an infinite speed) in slices sized to a wall-time budget.

Pure bookkeeping, no thread and no loop: the simulation host (``console/sim/host.py``) and the
replay's clock (``console/monitor/replay.py``) ask it how far to move. Fractions carry over, so
60x over 0.37 s ticks still adds up to 60 simulated seconds per wall second.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from console.config import MAX_SPEED

MIN_SPEED = 1.0


class Pace:
    def __init__(self, speed: float = 60.0, paused: bool = True,
                 wall: Callable[[], float] = time.monotonic) -> None:
        self._wall = wall
        self._last = wall()
        self._carry = 0.0
        self.speed = self._clamped(speed)
        self.paused = paused

    @staticmethod
    def _clamped(speed: float) -> float:
        return speed if math.isinf(speed) else min(max(float(speed), MIN_SPEED), MAX_SPEED)

    @property
    def fastest(self) -> bool:
        """Running as fast as possible: the caller moves time in slices (see SliceSizer)."""
        return math.isinf(self.speed) and not self.paused

    def due(self) -> int:
        """Whole simulated seconds owed since the last call (0 while paused or at the fastest
        speed)."""
        now = self._wall()
        elapsed, self._last = now - self._last, now
        if self.paused or math.isinf(self.speed):
            return 0
        self._carry += elapsed * self.speed
        seconds = int(self._carry)
        self._carry -= seconds
        return seconds

    def set_paused(self, paused: bool) -> None:
        self.due()  # settle the time run so far at the old state
        self.paused = paused

    def set_speed(self, speed: float) -> float:
        """A speed step (1x ... MAX_SPEED, or ``math.inf`` for as fast as possible)."""
        self.due()
        self.speed = self._clamped(speed)
        return self.speed


class SliceSizer:
    """How many simulated seconds to advance per slice at the fastest speed.

    Each slice should take about ``budget`` wall seconds: the size grows by half while slices are
    quick and halves when one overruns, so a burst of responses never holds the simulation's
    thread (and a command waiting for it) for long; growing by half, not doubling, keeps the one
    slice that overshoots small.
    """

    def __init__(self, budget: float = 0.001, start: int = 60, largest: int = 7 * 86400):
        self.budget = budget
        self.size = start
        self.largest = largest

    def took(self, wall_seconds: float) -> None:
        if wall_seconds > self.budget:
            self.size = max(1, self.size // 2)
        elif wall_seconds < self.budget / 4:
            self.size = min(self.largest, self.size * 3 // 2 + 1)
