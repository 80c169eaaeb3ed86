"""What a backend with a clock of its own offers besides the Backend protocol.

The local simulation and a replayed recording offer :class:`SimulationControls` as
``backend.simulation``; the remote API has no clock to move and its ``simulation`` is ``None``.
The console tells the three apart only by that: never by probing attributes or by ``kind``.
A replay can also go back (:class:`Rewind`); the live simulation cannot (``rewind`` is ``None``).

The clock runs by itself (the simulation host's thread, or the replay's task): the console sets
its speed and pause and subscribes to :class:`Frame` s, the immutable state of every gig at one
moment, pushed at a bounded rate (about ten a second at the fastest speed, once a second or so
otherwise, and right after an operator's change). A subscriber's loop that falls behind gets
the latest frame, never a backlog.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from console.models import Gig, GigInvitation, GigStats, WaveRecord
from console.waves import SimSettings

if TYPE_CHECKING:
    from console.sim.population import Population


@dataclass(frozen=True)
class Frame:
    """Every gig with its stats, and the clock, at one simulated moment."""

    now: int
    gigs: tuple[Gig, ...]
    stats: Mapping[str, GigStats]
    speed: float
    paused: bool
    # The fastest speed found nothing left to happen and paused the clock at the last event.
    ran_out: bool = False
    # Why the clock stopped by itself (it failed to move or to save), if it did.
    error: str | None = None
    # The next simulated second at which anything happens; None when nothing will.
    next_event_at: int | None = None
    # How many clock changes (speed, pause) the frame includes: see SimulationControls.speed.
    clock_seq: int = 0


@runtime_checkable
class Rewind(Protocol):
    """Moving back and to any point of a recording."""

    @property
    def position(self) -> tuple[int, int]:
        """The current frame and the last one, both counted from 1."""
        ...

    async def step_back(self) -> int:
        """One frame back (stays on the first); returns the new clock."""
        ...

    async def jump_to(self, where: str) -> int:
        """To a frame number, an ``HH:MM[:SS]`` time of the recording or a percentage; raises
        ``ValueError`` naming what it cannot read. Returns the new clock."""
        ...


@runtime_checkable
class SimulationControls(Protocol):
    """A clock the operator moves, waves sent by hand, settings, and the feed of what happened."""

    rewind: Rewind | None

    @property
    def now(self) -> int:
        """The clock, simulated UNIX seconds, as last known (no waiting)."""
        ...

    @property
    def settings(self) -> SimSettings:
        """The response model and wave settings in force."""
        ...

    @property
    def speed(self) -> float:
        """Simulated seconds per wall second (``math.inf``: as fast as possible), as last set
        here or, once the clock has taken every change made here, as the latest frame says."""
        ...

    @property
    def paused(self) -> bool:
        """Whether the clock stands still (likewise; the clock pauses itself when the fastest
        speed runs out of events, see :attr:`Frame.ran_out`)."""
        ...

    def set_speed(self, speed: float) -> None:
        """Change the speed (clamped to the allowed range); applied in order with every other
        call, without waiting."""
        ...

    def set_paused(self, paused: bool) -> None:
        """Pause or resume the clock; applied in order, without waiting."""
        ...

    def subscribe(self, callback: Callable[[Frame], None]) -> Callable[[], None]:
        """Call ``callback`` with each new frame on the running event loop, the current one
        first; returns the function that ends the subscription."""
        ...

    async def frame(self) -> Frame:
        """The current frame, made now (after every call made before this one)."""
        ...

    async def invitations(self, gig_id: str) -> Mapping[str, GigInvitation]:
        """Every invitation of the gig as models, by id; an invitation that did not change
        since the last call is the same object as then (the monitor diffs by identity)."""
        ...

    async def advance_to(self, t: int) -> int:
        """Run up to simulated second ``t``; returns the new clock."""
        ...

    async def step_to_next_wave(self) -> int | None:
        """On to the next wave of any gig (a replay: the next frame); its time, or ``None``
        when nothing is left to happen."""
        ...

    async def run_wave_now(self, gig_id: str) -> WaveRecord | None:
        """Send one wave of the gig now; ``None`` when no candidate is left. A replay refuses
        with ``ReadOnlyError``."""
        ...

    async def update_settings(self, **changes: Any) -> SimSettings:
        """Change settings by name (values as for ``simulate --set``), from now on."""
        ...

    async def reset_demo(self) -> int:
        """Every gig, invitation and event back to the demo's, the clock at its start; returns
        the clock. ``ReadOnlyError`` on a read-only context or a recording."""
        ...

    async def events_since(self, seq: int = 0) -> list[dict[str, Any]] | None:
        """Feed entries newer than ``seq``: ``{seq, at, kind, gig_id, message, ...}``; ``None``
        when there is no feed (a recording: the monitor tells events from what changed)."""
        ...

    def population(self) -> Population | None:
        """The simulation's workers, the live population itself (do not edit it: read its
        ``scan()``, whose columns the simulation's rankings share); ``None`` when there are none
        (a recording). Its first scan takes a while on a large population: not on a loop."""
        ...

    def prepare_population(self) -> None:
        """Build the population's columns for the paths the gigs' queries read, ahead of the
        query view and the next rankings (seconds on a million workers: in a thread, once the
        console has shown its first view); nothing to do without workers."""
        ...
