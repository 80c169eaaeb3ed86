"""Polling a remote gig: the next poll is scheduled when the last one finishes, so polls never
overlap however slow the API is, and the view can say how fresh its data is.

:class:`PollClock` is the pure bookkeeping (tested with a fake clock); :class:`PollLoop` runs it
with injected ``monotonic`` and ``sleep``, so tests drive it without waiting.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum

MIN_INTERVAL = 1.0
INTERVAL_STEPS = (2.0, 5.0, 10.0, 30.0, 60.0)


class PollState(StrEnum):
    CONNECTING = "connecting"
    UPDATED = "updated"
    STALE = "stale"
    DISCONNECTED = "disconnected"


@dataclass(frozen=True)
class PollStatus:
    state: PollState
    age: float | None
    interval: float
    in_flight: bool
    error: str | None

    def describe(self) -> str:
        if self.state is PollState.CONNECTING:
            return "connecting..." if self.in_flight else "not polled yet"
        age = f"{int(self.age or 0)} s ago"
        if self.state is PollState.UPDATED:
            return f"updated {age}"
        if self.state is PollState.STALE:
            return f"stale: updated {age}"
        return f"disconnected: {self.error}; last update {age}" if self.age is not None \
            else f"disconnected: {self.error}"


class PollClock:
    """When to poll next and how fresh the data is.

    Stale: the last success is older than ``stale_factor`` intervals (slow or failing polls).
    Disconnected: ``disconnect_after`` polls in a row failed.
    """

    def __init__(self, interval: float, stale_factor: float = 2.5, disconnect_after: int = 2):
        self.interval = max(float(interval), MIN_INTERVAL)
        self.stale_factor = stale_factor
        self.disconnect_after = disconnect_after
        self.last_success: float | None = None
        self.failures = 0
        self.error: str | None = None
        self.in_flight = False
        self.next_at: float | None = 0.0

    def due(self, now: float) -> bool:
        return not self.in_flight and self.next_at is not None and now >= self.next_at

    def started(self) -> None:
        self.in_flight = True

    def succeeded(self, now: float) -> None:
        self.in_flight = False
        self.last_success = now
        self.failures = 0
        self.error = None
        self.next_at = now + self.interval

    def failed(self, now: float, error: str) -> None:
        self.in_flight = False
        self.failures += 1
        self.error = error
        self.next_at = now + self.interval

    def set_interval(self, interval: float, now: float) -> None:
        """Applies to the wait in progress: the next poll comes ``interval`` after the last one."""
        old = self.interval
        self.interval = max(float(interval), MIN_INTERVAL)
        if self.next_at is not None and not self.in_flight:
            self.next_at = max(now, self.next_at - old + self.interval)

    def poll_now(self, now: float) -> None:
        if not self.in_flight:
            self.next_at = now

    def status(self, now: float) -> PollStatus:
        age = None if self.last_success is None else max(now - self.last_success, 0.0)
        if self.failures >= self.disconnect_after:
            state = PollState.DISCONNECTED
        elif age is None:
            state = PollState.CONNECTING
        elif age > self.stale_factor * self.interval:
            state = PollState.STALE
        else:
            state = PollState.UPDATED
        return PollStatus(state, age, self.interval, self.in_flight, self.error)


def next_interval(current: float) -> float:
    """The step after ``current`` in :data:`INTERVAL_STEPS`, wrapping around."""
    for step in INTERVAL_STEPS:
        if step > current:
            return step
    return INTERVAL_STEPS[0]


class PollLoop:
    """Calls ``poll`` whenever the clock says it is due; one call at a time, never overlapping.

    ``poll`` raises to report a failure; its message becomes the disconnected reason.
    """

    def __init__(self, clock: PollClock, poll: Callable[[], Awaitable[None]],
                 monotonic: Callable[[], float],
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 after: Callable[[], None] | None = None):
        self.clock = clock
        self._poll = poll
        self._after = after  # told after each poll, once the clock knows how it went
        self._monotonic = monotonic
        self._sleep = sleep
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Re-read the schedule now (after ``set_interval`` or ``poll_now``)."""
        self._wake.set()

    async def run(self) -> None:
        while True:
            await self.run_once()
            await self._wait()

    async def run_once(self) -> bool:
        """Poll if due; True when a poll ran."""
        if not self.clock.due(self._monotonic()):
            return False
        self.clock.started()
        try:
            await self._poll()
        except asyncio.CancelledError:
            self.clock.in_flight = False
            raise
        except Exception as exc:  # noqa: BLE001 - any failure of the poll is reported, never raised
            self.clock.failed(self._monotonic(), str(exc) or type(exc).__name__)
        else:
            self.clock.succeeded(self._monotonic())
        if self._after is not None:
            self._after()
        return True

    async def _wait(self) -> None:
        next_at = self.clock.next_at
        delay = 0.0 if next_at is None else max(next_at - self._monotonic(), 0.0)
        self._wake.clear()
        sleeper = asyncio.ensure_future(self._sleep(delay))
        waker = asyncio.ensure_future(self._wake.wait())
        try:
            await asyncio.wait({sleeper, waker}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            sleeper.cancel()
            waker.cancel()
