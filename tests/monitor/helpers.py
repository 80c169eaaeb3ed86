"""Snapshots built by hand, for the monitor's pure logic."""

from __future__ import annotations

from console.models import Gig, GigInvitation, GigStats, InvitationStatus, WaveRecord
from console.monitor.snapshot import GigSnapshot

START = 1_767_225_600


def gig(**changes) -> Gig:
    base = dict(id="g1", title="Survey", description="", url="https://x.test", start_at=START,
                end_at=START + 86400, total_seats=5, seats_min=3, seats_max=5,
                invitation_mode="auto", invitation_multiplier=2, invitation_frequency=10,
                filter_query={})
    return Gig.model_validate(base | changes)


def invitation(n: int, status: str = "pending", wave: int | None = 1,
               responded_at: int | None = None) -> GigInvitation:
    return GigInvitation(id=f"i{n}", gig_id="g1", user_id=f"u{n}", status=InvitationStatus(status),
                         wave=wave, invited_at=START, responded_at=responded_at)


def snapshot(at: int, invitations: list[GigInvitation], waves: int = 1, **gig_changes) -> GigSnapshot:
    counts = {s: sum(1 for i in invitations if i.status is s) for s in InvitationStatus}
    stats = GigStats(gig_id="g1", invited=len(invitations), waves_sent=waves,
                     **{s.value: c for s, c in counts.items()})
    records = [WaveRecord(gig_id="g1", n=n, at=START + (n - 1) * 600, invited=len(invitations))
               for n in range(1, waves + 1)]
    return GigSnapshot(at, gig(**gig_changes), stats, records, {i.id: i for i in invitations})
