"""The wave rules of design §2, as pure functions of a gig, a time and counts.

Ticks fall at ``start_at + k * period`` while ``start_at <= t < end_at`` and the gig is not archived;
a tick sends a wave only in ``auto`` mode while accepted invitations are below ``seats_min``.
"""

from __future__ import annotations

from collections.abc import Container, Sequence

from console.models import Gig

from .settings import WaveCounting


def worker_order_key(user_id: str) -> tuple[int, str]:
    """The final tie-breaker of every ranking: numeric order for numeric ids, stable for others."""
    return (len(user_id), user_id)


def tick_period(gig: Gig) -> int:
    """Seconds between ticks; a fractional frequency rounds to whole simulated seconds."""
    return max(1, round(gig.invitation_frequency * 60))


def closed_at(gig: Gig) -> int | None:
    """When the gig is (or will be) archived: waves and invitations stop from that second on."""
    times = [t for t in (gig.archived_at, gig.archive_at) if t is not None]
    return min(times) if times else None


def accepts_invitations(gig: Gig, t: int) -> bool:
    """Whether anyone may be invited at ``t``: before end_at and not archived."""
    closed = closed_at(gig)
    return t < gig.end_at and (closed is None or t < closed)


def next_tick_at(gig: Gig, not_before: int) -> int | None:
    """The first tick at or after ``not_before``, or None when no tick remains before the end."""
    period = tick_period(gig)
    t = gig.start_at
    if not_before > t:
        t += -(-(not_before - t) // period) * period
    return t if accepts_invitations(gig, t) else None


def on_schedule(gig: Gig, t: int) -> bool:
    return t >= gig.start_at and (t - gig.start_at) % tick_period(gig) == 0


def waves_wanted(gig: Gig, accepted: int) -> bool:
    """Auto mode and seats still to fill: the gig's ticks send waves."""
    return gig.invitation_mode == "auto" and accepted < gig.seats_min


def wave_due(gig: Gig, t: int, accepted: int) -> bool:
    return waves_wanted(gig, accepted) and on_schedule(gig, t) and accepts_invitations(gig, t)


def wave_size(gig: Gig, pending: int, counting: WaveCounting) -> int:
    base = gig.wave_size
    if counting is WaveCounting.TOP_UP:
        return max(0, base - pending)
    return base


def expires_pending(gig: Gig, accepted: int) -> bool:
    """Accepted reaching seats_max expires every pending invitation of the gig."""
    return gig.seats_max is not None and accepted >= gig.seats_max


def candidates_for_wave(
    ranked: Sequence[str], start: int, invited: Container[str], size: int
) -> tuple[list[str], int]:
    """The next ``size`` never-invited workers of a ranking, from position ``start``.

    Returns them and the position after the last one examined, so the next wave starts there."""
    taken: list[str] = []
    position = start
    end = len(ranked)
    while len(taken) < size and position < end:
        user_id = ranked[position]
        position += 1
        if user_id not in invited:
            taken.append(user_id)
    return taken, position
