"""One gig as the gig list shows it: typed values derived from gig + stats + now. What the TUI's
table formats and exports, and what the simulation's store saves beside each snapshot as the gig
list's summary (``console.sim.gig_summary``), so that the console paints its first frame from it.
Stdlib only (the models load when facts are built from gigs): the first frame reads this before
Textual's views or pydantic load.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from console.gig_phase import GigPhase

if TYPE_CHECKING:
    from console.models import Gig, GigStats


class GigFacts(NamedTuple):
    """A NamedTuple because 10,000 are built on every poll, and equal facts mean an unchanged row."""

    id: str
    title: str
    phase: GigPhase
    mode: str
    accepted: int
    seats_min: int
    seats_max: int | None
    pending: int
    waves_sent: int
    next_wave_at: int | None
    next_wave_in: int | None  # seconds from now (not saved in the summary: derived from its now)
    start_at: int
    end_at: int
    # What is wrong with the gig as the backend answered it (models.gig_warnings), joined; shown,
    # not refused.
    warning: str | None = None

    @classmethod
    def of(cls, gig: Gig, stats: GigStats | None, now: int) -> GigFacts:
        return gig_facts([gig], {} if stats is None else {gig.id: stats}, now)[0]

    def export(self) -> dict[str, Any]:
        """Typed values for CSV/JSON export; times stay UNIX seconds as in the API."""
        return {
            "id": self.id,
            "title": self.title,
            "phase": self.phase.value,
            "mode": self.mode,
            "accepted": self.accepted,
            "seats_min": self.seats_min,
            "seats_max": self.seats_max,
            "pending": self.pending,
            "waves_sent": self.waves_sent,
            "next_wave_at": self.next_wave_at,
            "start_at": self.start_at,
            "end_at": self.end_at,
            "warning": self.warning,
        }


def next_wave_in(next_wave_at: int | None, now: int) -> int | None:
    return None if next_wave_at is None else max(next_wave_at - now, 0)


def gig_facts(gigs: Iterable[Gig], stats: Mapping[str, GigStats], now: int) -> list[GigFacts]:
    """The facts of every gig at ``now``, with its stats (none yet: zeros)."""
    # Imported here, once a list: the first frame's facts come from the summary, before pydantic.
    from console.models import GigStats, gig_warnings

    facts = []
    for gig in gigs:
        gig_stats = stats.get(gig.id) or GigStats(gig_id=gig.id)
        next_at = gig_stats.next_wave_at
        facts.append(GigFacts(
            gig.id, gig.title, gig.phase(now), gig.invitation_mode, gig_stats.accepted,
            gig.seats_min, gig.seats_max, gig_stats.pending, gig_stats.waves_sent, next_at,
            next_wave_in(next_at, now), gig.start_at, gig.end_at,
            "; ".join(gig_warnings(gig)) or None,
        ))
    return facts
