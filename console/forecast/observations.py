"""What each invitation tells the fit: a response after so many hours (and whether it was an
accept), or a wait that is still open (right-censored) when it was last seen pending, when it
expired, or when its gig was archived (an archived gig takes no more responses: the simulation
drops them, and a forecast's continuation stops there too). Built from a recording, or from a
context's invitations."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from console.models import Gig, GigInvitation, InvitationStatus
from console.waves import closed_at

HOUR = 3600.0


@dataclass(frozen=True)
class Observation:
    user_id: str
    # Hours from the invitation to the response, or to the end of the observed wait.
    hours: float
    responded: bool
    accepted: bool = False


@dataclass
class GigHistory:
    """One gig's invitations as last seen, when each expiry was first seen (and when the
    observation before it was made, the invitation still pending), and when the invitations
    were last observed."""

    gig: Gig
    invitations: list[GigInvitation]
    observed_at: int
    expired_at: Mapping[str, int]
    expired_after: Mapping[str, int] = field(default_factory=dict)


def _full_at(gig: Gig, invitations: Sequence[GigInvitation]) -> int | None:
    """When accepted reached seats_max (which expires every pending invitation)."""
    if gig.seats_max is None:
        return None
    times = sorted(i.responded_at for i in invitations
                   if i.status is InvitationStatus.ACCEPTED and i.responded_at is not None)
    return times[gig.seats_max - 1] if len(times) >= gig.seats_max else None


def expiry_time(history: GigHistory, invitation: GigInvitation,
                full_at: int | None) -> int:
    """When an expired invitation stopped waiting. A recording or a poll sees an expiry only
    at its next frame or poll (an upper bound); when the gig became full (which expires every
    pending invitation) between the invitation and then, that is the exact moment, and so is
    the gig's end_at when it fell between the observation before (still pending) and the one
    that saw the expiry (the simulation's expire_pending_at_end expires every pending
    invitation there; any other expiry in that window is at most one observation off).
    Without a recorded time: when the gig became full, else its end_at, else the last
    observation."""
    seen = history.expired_at.get(invitation.id, invitation.responded_at)
    invited = invitation.invited_at if invitation.invited_at is not None else history.observed_at
    if full_at is not None and invited <= full_at <= (seen if seen is not None else full_at):
        return full_at
    if seen is None:
        return min(history.gig.end_at, history.observed_at)
    before = history.expired_after.get(invitation.id)
    if before is not None and before < history.gig.end_at <= seen:
        return history.gig.end_at
    return seen


def pending_until(history: GigHistory) -> int:
    """Until when a pending invitation is known to have waited: the last observation, or the
    gig's archiving if that came first (a wait after it could never end in a response, so
    counting it would make a worker who might still have answered look like one who never
    does)."""
    closed = closed_at(history.gig)
    return history.observed_at if closed is None else min(history.observed_at, closed)


def observations(history: GigHistory) -> tuple[list[Observation], int]:
    """The gig's observations and how many invitations had no invited_at (left out)."""
    out: list[Observation] = []
    skipped = 0
    full_at = _full_at(history.gig, history.invitations)
    open_until = pending_until(history)
    for inv in history.invitations:
        if inv.invited_at is None:
            skipped += 1
            continue
        if inv.status in (InvitationStatus.ACCEPTED, InvitationStatus.REJECTED):
            if inv.responded_at is None:
                skipped += 1
                continue
            end, responded = inv.responded_at, True
        elif inv.status is InvitationStatus.EXPIRED:
            end, responded = expiry_time(history, inv, full_at), False
        else:
            end, responded = open_until, False
        # A response in the second of the invitation (or a poll that saw both at once) is given
        # half a second: the delay model is lognormal, so it needs a positive time.
        seconds = max(end - inv.invited_at, 0.5)
        out.append(Observation(inv.user_id, seconds / HOUR, responded,
                               inv.status is InvitationStatus.ACCEPTED))
    return out, skipped


def all_observations(histories: Iterable[GigHistory]) -> tuple[list[Observation], int]:
    collected: list[Observation] = []
    skipped = 0
    for history in histories:
        found, left_out = observations(history)
        collected.extend(found)
        skipped += left_out
    return collected, skipped
