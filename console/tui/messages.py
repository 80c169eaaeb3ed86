"""What the background poll tells the screens, and the state the header shows."""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.message import Message

from console.models import Gig, GigStats


@dataclass(frozen=True)
class Snapshot:
    """Every gig with its stats at one simulated/remote moment."""

    now: int
    gigs: list[Gig]
    stats: dict[str, GigStats]
    fetched_at: float  # time.monotonic() when it arrived

    def gig(self, gig_id: str) -> Gig | None:
        return next((g for g in self.gigs if g.id == gig_id), None)


@dataclass(frozen=True)
class Connection:
    """The header's connection state: when data last arrived, and the last error if any."""

    last_ok: float | None = None
    error: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


class SnapshotReady(Message):
    def __init__(self, snapshot: Snapshot) -> None:
        super().__init__()
        self.snapshot = snapshot


class PollFailed(Message):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error
