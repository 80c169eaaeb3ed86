"""What the background poll tells the screens, and the state the header shows."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from console.models import Gig, GigStats


@dataclass(frozen=True)
class Snapshot:
    """Every gig with its stats at one simulated/remote moment."""

    now: int
    gigs: list[Gig]
    stats: dict[str, GigStats]
    fetched_at: float  # time.monotonic() when it arrived
    # Wall-clock UNIX time of the read (now, unless it is a kept read shown while offline).
    read_at: int = field(default_factory=lambda: int(time.time()))

    def gig(self, gig_id: str) -> Gig | None:
        return next((g for g in self.gigs if g.id == gig_id), None)


@dataclass(frozen=True)
class Connection:
    """The header's connection state: when data last arrived, and the last error if any."""

    last_ok: float | None = None
    error: str | None = None
    # What the error is in a few words, for a header with no room for it whole.
    short: str = "error"
    # Wall-clock UNIX time of the last good read, for "stale since" (kept across restarts).
    last_ok_at: int | None = None
    extra: dict[str, str] = field(default_factory=dict)


class SnapshotReady(Message):
    def __init__(self, snapshot: Snapshot) -> None:
        super().__init__()
        self.snapshot = snapshot


class PollFailed(Message):
    """A poll failed; ``last_read`` is the kept last good read to show until one succeeds."""

    def __init__(self, error: str, last_read: Snapshot | None = None,
                 short: str = "error") -> None:
        super().__init__()
        self.error = error
        self.last_read = last_read
        self.short = short


class GigCreated(Message):
    """The app created a gig: the gig list puts its cursor on it once a poll lists it."""

    def __init__(self, gig_id: str) -> None:
        super().__init__()
        self.gig_id = gig_id


class DemoReset(Message):
    """The demo was reset: a view watching a gig of the old simulation lets it go."""
