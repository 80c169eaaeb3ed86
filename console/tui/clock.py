"""The console's hold on a simulation's clock: the speed and pause the operator asks for.

The clock itself runs elsewhere (the simulation host's thread, or a replay's task): this only
passes the operator's changes on through :class:`SimulationControls` and answers what the
header shows. Until the app starts it (once the first view painted its data), what is set here is only noted, so that a test (or
``replay --paused``) can set the clock before anything moves.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from console.backends.controls import SimulationControls


class Clock:
    def __init__(self, simulation: SimulationControls, speed: float, paused: bool = False):
        self.simulation = simulation
        self._wanted: tuple[float, bool] | None = (speed, paused)

    def start(self) -> None:
        """Hand the noted speed and pause to the simulation: from now on it runs."""
        if self._wanted is not None:
            speed, paused = self._wanted
            self._wanted = None
            self.simulation.set_speed(speed)
            self.simulation.set_paused(paused)

    @property
    def speed(self) -> float:
        return self._wanted[0] if self._wanted is not None else self.simulation.speed

    @property
    def paused(self) -> bool:
        return self._wanted[1] if self._wanted is not None else self.simulation.paused

    @paused.setter
    def paused(self, paused: bool) -> None:
        if self._wanted is not None:
            self._wanted = (self._wanted[0], paused)
        else:
            self.simulation.set_paused(paused)

    @property
    def fastest(self) -> bool:
        """Running as fast as possible (an infinite speed)."""
        return math.isinf(self.speed) and not self.paused

    def toggle(self) -> bool:
        self.paused = not self.paused
        return self.paused

    def set_speed(self, speed: float) -> float:
        """A speed step (1x ... 600x, or ``math.inf`` for as fast as possible)."""
        if self._wanted is not None:
            self._wanted = (speed, self._wanted[1])
        else:
            self.simulation.set_speed(speed)
        return self.speed
