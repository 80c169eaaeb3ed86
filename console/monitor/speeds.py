"""The speed steps of the simulation clock: 1x, 10x, 60x, 600x and as fast as possible.

"As fast as possible" is an infinite speed: the clock then advances in slices sized to a wall-time
budget per frame, in slices of a few milliseconds (see :class:`SliceSizer`), so the console keeps
answering keys.
"""

from __future__ import annotations

import math

FASTEST = math.inf
STEPS: tuple[float, ...] = (1.0, 10.0, 60.0, 600.0, FASTEST)


def label(speed: float) -> str:
    return "max" if math.isinf(speed) else f"x{speed:g}"


def step(speed: float, direction: int) -> float:
    """The next step up (``direction`` > 0) or down from ``speed``; a speed between two steps
    moves to the neighbouring one, and the ends stay put."""
    if direction > 0:
        return next((s for s in STEPS if s > speed), STEPS[-1])
    return next((s for s in reversed(STEPS) if s < speed), STEPS[0])


class SliceSizer:
    """How many simulated seconds to advance per slice at the fastest speed.

    Each slice should take about ``budget`` wall seconds: the size grows by half while slices are
    quick and halves when one overruns, so a burst of responses never freezes the screen for long
    (growing by half, not doubling, keeps the one slice that overshoots small).
    """

    # 5 ms: a key that comes in during a slice waits for the rest of it before it is handled.
    def __init__(self, budget: float = 0.005, start: int = 60, largest: int = 7 * 86400):
        self.budget = budget
        self.size = start
        self.largest = largest

    def took(self, wall_seconds: float) -> None:
        if wall_seconds > self.budget:
            self.size = max(1, self.size // 2)
        elif wall_seconds < self.budget / 4:
            self.size = min(self.largest, self.size * 3 // 2 + 1)
