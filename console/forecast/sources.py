"""Where gig histories come from: a recording (`simulate --record`), or a context's gigs (the
simulation's invitations, or the wave history the remote registry recorded)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from console.backends.base import Backend, InvitationFilter
from console.models import GigInvitation, InvitationStatus
from console.monitor.replay import Recording

from .observations import GigHistory


class SourceError(ValueError):
    """A source that does not hold what was asked for; names the file and the gig."""


def histories_from_recording(path: Path, gig_ids: Sequence[str] = ()) -> list[GigHistory]:
    """Every recorded gig (or those named), as last recorded. An expiry's time is the frame that
    first showed it, with the frame before it (which still showed the invitation pending when
    it was recorded). Raises RecordingError naming the file and line, SourceError for a gig the
    recording does not hold."""
    recording = Recording.load(path)
    gigs: dict[str, object] = {}
    invitations: dict[str, dict[str, GigInvitation]] = {}
    expired_at: dict[str, int] = {}
    expired_after: dict[str, int] = {}
    previous_at: int | None = None
    for frame in recording.frames:
        for gig_id, delta in frame.gigs.items():
            if delta.gig is not None:
                gigs[gig_id] = delta.gig
            seen = invitations.setdefault(gig_id, {})
            for inv in delta.invitations:
                before = seen.get(inv.id)
                if inv.status is InvitationStatus.EXPIRED and (
                        before is None or before.status is not InvitationStatus.EXPIRED):
                    expired_at[inv.id] = frame.at
                    if previous_at is None:
                        expired_after.pop(inv.id, None)
                    else:
                        expired_after[inv.id] = previous_at
                seen[inv.id] = inv
        for gig_id in frame.deleted:
            gigs.pop(gig_id, None)
        previous_at = frame.at
    observed_at = recording.frames[-1].at
    wanted = [str(g) for g in gig_ids] or sorted(gigs)
    missing = [g for g in wanted if g not in gigs]
    if missing:
        raise SourceError(f"{path}: no gig {', '.join(missing)} in this recording "
                       f"(it holds {', '.join(sorted(gigs)) or 'none'})")
    return [GigHistory(gigs[g], list(invitations.get(g, {}).values()), observed_at,  # type: ignore[arg-type]
                       expired_at, expired_after) for g in wanted]


async def history_from_backend(backend: Backend, gig_id: str) -> GigHistory:
    """The gig's invitations as the context knows them now. Raises NotFound."""
    gig = await backend.get_gig(gig_id)
    invitations = await backend.list_invitations(InvitationFilter(gig_id=gig.id))
    return GigHistory(gig, invitations, await backend.now(), {})
