"""What the wave monitor shows for one gig, kept up to date from successive snapshots: the latest
snapshot, the event log, and the accepted/pending history for the chart."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from console.models import GigInvitation

from .chart import Sample
from .events import MonitorEvent, diff_snapshots
from .gauge import Seats
from .snapshot import GigSnapshot, history

# The log keeps the latest events only: a fast run produces thousands of responses an hour.
LOG_LIMIT = 5000


@dataclass(frozen=True)
class Countdown:
    next_wave_at: int | None
    seconds: int | None


class GigMonitor:
    def __init__(self, gig_id: str, log_limit: int = LOG_LIMIT):
        self.gig_id = gig_id
        self.snapshot: GigSnapshot | None = None
        self.events: deque[MonitorEvent] = deque(maxlen=log_limit)
        self.samples: list[Sample] = []
        self.version = 0  # bumped on every change, so widgets repaint only when something did
        self.appended = 0  # events logged since the history (re)started: a key for log rows

    @property
    def invitations(self) -> Mapping[str, GigInvitation]:
        return self.snapshot.invitations if self.snapshot is not None else {}

    def update(self, snap: GigSnapshot,
               feed: list[MonitorEvent] | None = None) -> list[MonitorEvent]:
        """Take a new snapshot; returns the events it brought: ``feed`` when the backend keeps
        its own event feed, else the difference from the previous snapshot. A snapshot from
        before the current one (a replay jumping back) starts the history over."""
        before = self.snapshot
        if before is not None and snap.at < before.at:
            self.events.clear()
            self.appended = 0
            before = None
        new_events = feed if feed is not None else diff_snapshots(before, snap)
        if before is None:
            self.samples = [s for s in history(snap.invitations, snap.at) if s.at < snap.at]
        elif not new_events and _same(before, snap):
            return []  # a paused clock: nothing to repaint
        self.events.extend(new_events)
        self.appended += len(new_events)
        sample = snap.sample
        if not self.samples or (self.samples[-1].accepted, self.samples[-1].pending) != \
                (sample.accepted, sample.pending):
            self.samples.append(sample)
        self.snapshot = snap
        self.version += 1
        return new_events

    def seats(self) -> Seats | None:
        if self.snapshot is None:
            return None
        gig, stats = self.snapshot.gig, self.snapshot.stats
        return Seats(stats.accepted, gig.total_seats, gig.seats_min, gig.seats_max)

    def countdown(self) -> Countdown:
        if self.snapshot is None or self.snapshot.stats.next_wave_at is None:
            return Countdown(None, None)
        at = self.snapshot.stats.next_wave_at
        return Countdown(at, max(at - self.snapshot.at, 0))


def _same(a: GigSnapshot, b: GigSnapshot) -> bool:
    # Unchanged invitations are the same objects (see lister_for): the dict compare is quick.
    return (a.at == b.at and a.stats == b.stats and a.gig == b.gig and a.waves == b.waves
            and a.invitations == b.invitations)


def waves_per_hour(wave_times: Iterable[int], now: int) -> int:
    """Waves sent in the last hour of (simulated) time."""
    return sum(1 for at in wave_times if now - 3600 < at <= now)
