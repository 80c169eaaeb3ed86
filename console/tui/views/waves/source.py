"""The monitor's data source: it reads the open gig and hands each reading to the screen.

One read in flight at a time and never cut short (a read cut short had taken its share of the
event feed and lost it); a request during a read makes exactly one more read after it, so the
latest request wins and readings never pile up, however fast the clock runs. A remote gig is
read on its own :class:`PollLoop` schedule instead (listing every invitation is the heavy call).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from console.backends.errors import BackendError
from console.monitor.chart import Sample
from console.monitor.events import MonitorEvent
from console.monitor.feed import feed_events
from console.monitor.gauge import Seats
from console.monitor.model import Countdown, GigMonitor
from console.monitor.poller import PollClock, PollLoop
from console.monitor.snapshot import GigSnapshot, Lister, lister_for, take_snapshot


@dataclass(frozen=True, eq=False)
class Reading:
    """What the panes paint, as of one reading; immutable, so a thread may build rows from it.
    Compared by identity: each reading is news to the panes that take it."""

    snapshot: GigSnapshot
    samples: tuple[Sample, ...]
    events: tuple[MonitorEvent, ...]  # the log, oldest first (at most LOG_LIMIT)
    appended: int  # events logged since the history (re)started
    countdown: Countdown
    seats: Seats | None


class MonitorSource:
    def __init__(self, backend: Any, gig_id: str, deliver: Callable[[Reading], None],
                 spawn: Callable[[Callable[[], Awaitable[None]]], object]) -> None:
        self.backend = backend
        self.gig_id = gig_id
        self.monitor = GigMonitor(gig_id)
        self.lister: Lister = lister_for(backend)
        self.poll_clock: PollClock | None = None
        self._deliver = deliver
        # Runs a coroutine function as a worker of the screen (ends with it). A function, not a
        # coroutine: a worker cancelled before it starts must leave no coroutine unawaited.
        self._spawn = spawn
        self._feed_seq = 0
        self._lock = asyncio.Lock()
        self._wanted = False
        self._draining = False
        self._poll_loop: PollLoop | None = None

    def request(self, on_error: Callable[[BackendError], None]) -> None:
        """Read soon: now if no read is in flight, else once more when it ends."""
        self._wanted = True
        if not self._draining:
            self._draining = True
            self._spawn(partial(self._drain, on_error))

    async def _drain(self, on_error: Callable[[BackendError], None]) -> None:
        try:
            while self._wanted:
                self._wanted = False
                try:
                    await self.read()
                except BackendError as exc:
                    on_error(exc)
        finally:
            self._draining = False

    async def read(self) -> None:
        """One reading of the gig into the monitor, handed on if anything changed. With the
        simulation's event feed the log comes from the feed, else from snapshot differences."""
        async with self._lock:
            monitor, sim = self.monitor, self.backend.simulation
            entries = await sim.events_since(self._feed_seq) if sim is not None else None
            feed, feed_seq = None, self._feed_seq
            if entries is not None:
                if entries:
                    feed_seq = entries[-1]["seq"]
                elif monitor.snapshot is not None and monitor.snapshot.at == await self.backend.now():
                    return  # a paused simulation: nothing happened, nothing to read
                feed = feed_events(entries, self.gig_id)
            snap = await take_snapshot(self.backend, self.gig_id, lister=self.lister)
            self._feed_seq = feed_seq
            version = monitor.version
            monitor.update(snap, feed)
            if monitor.version != version:
                self._deliver(Reading(snap, tuple(monitor.samples), tuple(monitor.events),
                                      monitor.appended, monitor.countdown(), monitor.seats()))

    # Remote: polled on a schedule the operator sets ----------------------------------------------
    def start_polling(self, interval: float, after: Callable[[], None]) -> None:
        self.poll_clock = PollClock(interval)
        self._poll_loop = PollLoop(self.poll_clock, self.read, time.monotonic, after=after)
        self._spawn(self._poll_loop.run)

    def set_interval(self, interval: float) -> None:
        if self.poll_clock is not None and self._poll_loop is not None:
            self.poll_clock.set_interval(interval, time.monotonic())
            self._poll_loop.wake()

    def poll_now(self) -> bool:
        """Poll a remote gig at once; False when it is not polled (its clock drives it)."""
        if self.poll_clock is None or self._poll_loop is None:
            return False
        self.poll_clock.poll_now(time.monotonic())
        self._poll_loop.wake()
        return True
