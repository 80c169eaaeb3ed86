"""What the monitor knows about one gig at one moment, read through the Backend protocol (so the
simulation, the API and a replayed recording feed it alike), with a faster way to the invitations
of a backend with a clock: its simulation hands them over as models, only changed ones rebuilt."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from console.backends.base import Backend, InvitationFilter
from console.models import Gig, GigInvitation, GigStats, InvitationStatus, WaveRecord

from .chart import Sample

Lister = Callable[[Backend, str], Awaitable[Mapping[str, GigInvitation]]]

# The API's largest page: one call per 500 invitations.
PAGE_SIZE = 500


@dataclass
class GigSnapshot:
    at: int
    gig: Gig
    stats: GigStats
    waves: list[WaveRecord]
    invitations: Mapping[str, GigInvitation]

    @property
    def sample(self) -> Sample:
        return Sample(self.at, self.stats.accepted, self.stats.pending)


async def take_snapshot(backend: Backend, gig_id: str, at: int | None = None,
                        lister: Lister | None = None) -> GigSnapshot:
    """One consistent-enough reading of a gig (several calls: remote data can move in between).
    Listing the invitations is the costly part: ``lister`` (see :func:`lister_for`) does it."""
    now = await backend.now() if at is None else at
    gig = await backend.get_gig(gig_id)
    stats = await backend.gig_stats(gig_id)
    waves = await backend.waves(gig_id)
    invitations = await (lister or list_gig_invitations)(backend, gig_id)
    return GigSnapshot(now, gig, stats, waves, invitations)


def lister_for(backend: Backend) -> Lister:
    """The cheapest way to list a backend's invitations again and again: from its simulation
    (the local one's host, or a replay's cursor), else through the protocol a page at a time."""
    simulation = backend.simulation
    if simulation is None:
        return list_gig_invitations

    async def from_simulation(_: Backend, gig_id: str) -> Mapping[str, GigInvitation]:
        return await simulation.invitations(gig_id)

    return from_simulation


async def list_gig_invitations(backend: Backend, gig_id: str) -> dict[str, GigInvitation]:
    """Every invitation of a gig, a page at a time (the API's largest pages). Pages read while
    the gig moves on are each as of their own moment."""
    query = InvitationFilter(gig_id=gig_id)
    found: dict[str, GigInvitation] = {}
    after: str | None = None
    while True:
        page = await backend.page_invitations(query, limit=PAGE_SIZE, after=after)
        found.update((inv.id, inv) for inv in page.data)
        if not page.has_more or not page.data:
            return found
        after = page.data[-1].id


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
