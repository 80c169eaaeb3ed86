"""The gig list's rows: what each column shows and how it sorts, derived from gig + stats + now."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from console.models import Gig, GigPhase, GigStats
from console.tui import format as fmt
from console.tui.widgets.virtual_table import Column, Row

GIG_COLUMNS: tuple[Column, ...] = (
    Column("id", "ID", min_width=2, max_width=36),
    Column("title", "TITLE", min_width=9, max_width=48, grow=True),
    Column("phase", "PHASE", width=9),
    Column("mode", "MODE", width=6),
    Column("accepted", "ACCEPTED", min_width=8, max_width=16, align="right"),
    Column("pending", "PEND", min_width=4, max_width=8, align="right"),
    Column("waves", "WAVES", width=5, align="right"),
    Column("next_wave", "NEXT", width=5, align="right"),
    Column("start", "START", width=11),
    Column("end", "END", width=11),
)

PHASE_TONES = {
    GigPhase.SCHEDULED: "accent",
    GigPhase.LIVE: "good",
    GigPhase.ENDED: "muted",
    GigPhase.ARCHIVED: "muted",
}
_PHASE_ORDER = {phase: i for i, phase in enumerate(GigPhase)}


@dataclass(frozen=True)
class GigFacts:
    """One gig's row as typed values: what the table formats and what an export writes."""

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
    next_wave_in: int | None
    start_at: int
    end_at: int

    @classmethod
    def of(cls, gig: Gig, stats: GigStats | None, now: int) -> GigFacts:
        stats = stats or GigStats(gig_id=gig.id)
        next_at = stats.next_wave_at
        return cls(
            id=gig.id,
            title=gig.title,
            phase=gig.phase(now),
            mode=gig.invitation_mode,
            accepted=stats.accepted,
            seats_min=gig.seats_min,
            seats_max=gig.seats_max,
            pending=stats.pending,
            waves_sent=stats.waves_sent,
            next_wave_at=next_at,
            next_wave_in=None if next_at is None else max(next_at - now, 0),
            start_at=gig.start_at,
            end_at=gig.end_at,
        )

    def row(self) -> Row:
        cells = (
            self.id,
            self.title,
            self.phase.value,
            self.mode,
            fmt.seats(self.accepted, self.seats_min, self.seats_max),
            str(self.pending),
            str(self.waves_sent),
            fmt.duration(self.next_wave_in),
            fmt.timestamp(self.start_at),
            fmt.timestamp(self.end_at),
        )
        sort_values: tuple[Any, ...] = (
            _id_sort_value(self.id),
            self.title.casefold(),
            _PHASE_ORDER[self.phase],
            self.mode,
            self.accepted,
            self.pending,
            self.waves_sent,
            self.next_wave_in,
            self.start_at,
            self.end_at,
        )
        tones = {2: PHASE_TONES[self.phase]}
        if self.accepted >= self.seats_min:
            tones[4] = "good"
        return Row(self.id, cells, sort_values, tones)

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
        }


def _id_sort_value(gig_id: str) -> tuple[int, int | str]:
    # Numeric ids sort as numbers (2 before 10); other ids as text, after the numeric ones.
    return (0, int(gig_id)) if gig_id.isdigit() else (1, gig_id)


def gig_facts(gigs: Iterable[Gig], stats: Mapping[str, GigStats], now: int) -> list[GigFacts]:
    return [GigFacts.of(gig, stats.get(gig.id), now) for gig in gigs]
