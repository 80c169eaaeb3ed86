"""The speed steps of the simulation clock: 1x, 10x, 60x, 600x and as fast as possible.

"As fast as possible" is an infinite speed: the clock then advances in slices of a few
milliseconds, as many as fit (``console/sim/pace.py``, run by the simulation host).
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
