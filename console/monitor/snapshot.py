"""What the monitor knows about one gig at one moment, read through the Backend protocol only, so
the simulation, the API and a replayed recording feed it alike."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from console.backends.base import Backend, InvitationFilter
from console.models import Gig, GigInvitation, GigStats, InvitationStatus, WaveRecord

from .chart import Sample


@dataclass
class GigSnapshot:
    at: int
    gig: Gig
    stats: GigStats
    waves: list[WaveRecord]
    # None when the reading skipped them (see take_snapshot).
    invitations: Mapping[str, GigInvitation] | None = None

    @property
    def sample(self) -> Sample:
        return Sample(self.at, self.stats.accepted, self.stats.pending)


async def take_snapshot(backend: Backend, gig_id: str, at: int | None = None,
                        invitations: bool = True) -> GigSnapshot:
    """One consistent-enough reading of a gig (several calls: remote data can move in between).

    Listing every invitation is the costly part (10,000 models): ``invitations=False`` skips it
    and leaves :attr:`GigSnapshot.invitations` None."""
    now = await backend.now() if at is None else at
    gig = await backend.get_gig(gig_id)
    stats = await backend.gig_stats(gig_id)
    waves = await backend.waves(gig_id)
    listed = None
    if invitations:
        found = await backend.list_invitations(InvitationFilter(gig_id=gig_id))
        listed = {inv.id: inv for inv in found}
    return GigSnapshot(now, gig, stats, waves, listed)


def history(invitations: Mapping[str, GigInvitation], now: int) -> list[Sample]:
    """Accepted and pending over time as far as the invitations' own timestamps tell: a chart
    has a past as soon as the view opens. Resets erase history, so this is a lower bound."""
    deltas: dict[int, list[int]] = {}

    def add(at: int, accepted: int, pending: int) -> None:
        slot = deltas.setdefault(at, [0, 0])
        slot[0] += accepted
        slot[1] += pending

    for inv in invitations.values():
        if inv.invited_at is None:
            continue
        add(inv.invited_at, 0, 1)
        if inv.status is InvitationStatus.PENDING:
            continue
        end = inv.responded_at if inv.responded_at is not None else now
        add(end, 1 if inv.status is InvitationStatus.ACCEPTED else 0, -1)
    samples: list[Sample] = []
    accepted = pending = 0
    for at in sorted(deltas):
        accepted += deltas[at][0]
        pending += deltas[at][1]
        samples.append(Sample(at, accepted, pending))
    return samples
