"""The gig list's rows: what each column shows and how it sorts, derived from gig + stats + now."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from console.gig_phase import GigPhase
from console.tui import format as fmt
from console.tui.widgets.virtual_table import Column, Row

if TYPE_CHECKING:
    from console.models import Gig, GigStats
    from console.sim.gig_summary import SummaryRow

# At 80 columns the title gets the room: END, START, then WAVES move past the right edge
# (h/l scroll to them) until the longest title fits.
GIG_COLUMNS: tuple[Column, ...] = (
    Column("id", "ID", min_width=2, max_width=36),
    Column("title", "TITLE", min_width=9, max_width=48, grow=True),
    Column("phase", "PHASE", width=9),
    Column("mode", "MODE", width=6),
    Column("accepted", "ACCEPTED", min_width=8, max_width=16, align="right",
           description="Accepted (against seats min-max)"),
    Column("pending", "PEND", min_width=4, max_width=8, align="right",
           description="Pending invitations"),
    Column("waves", "WAVES", width=5, align="right", description="Waves sent", overflow_rank=3),
    Column("next_wave", "NEXT", width=6, align="right", description="Next wave in"),
    Column("start", "START", width=11, overflow_rank=2),
    Column("end", "END", width=11, overflow_rank=1),
)

# Before the title of a gig the backend answered with a problem (ASCII: any terminal shows it).
WARNING_MARK = "(!) "

PHASE_TONES = {
    GigPhase.SCHEDULED: "accent",
    GigPhase.LIVE: "good",
    GigPhase.ENDED: "muted",
    GigPhase.ARCHIVED: "muted",
}
_PHASE_ORDER = {phase: i for i, phase in enumerate(GigPhase)}
# Column tones by (phase, seats_min reached), shared by every row rather than built per row.
_TONES: dict[tuple[GigPhase, bool], dict[int, str]] = {
    (phase, full): {2: tone, 4: "good"} if full else {2: tone}
    for phase, tone in PHASE_TONES.items()
    for full in (False, True)
}


class GigFacts(NamedTuple):
    """One gig's row as typed values: what the table formats and what an export writes.
    A NamedTuple because 10,000 are built on every poll, and equal facts mean an unchanged row."""

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
    # What is wrong with the gig as the backend answered it (see gig_warnings); shown, not refused.
    warning: str | None = None

    @classmethod
    def of(cls, gig: Gig, stats: GigStats | None, now: int) -> GigFacts:
        return gig_facts([gig], {} if stats is None else {gig.id: stats}, now)[0]

    @classmethod
    def of_summary(cls, row: SummaryRow, now: int) -> GigFacts:
        """The facts a saved summary holds (the same as :meth:`of` gives from that state)."""
        next_at = row.next_wave_at
        return cls(row.id, row.title, row.phase, row.mode, row.accepted, row.seats_min,
                   row.seats_max, row.pending, row.waves_sent, next_at,
                   None if next_at is None else max(next_at - now, 0), row.start_at, row.end_at,
                   row.warning)

    def row(self) -> Row:
        # Unpacked once: this runs for every changed gig on every poll (10,000 on the first).
        (gig_id, title, phase, mode, accepted, seats_min, seats_max, pending, waves_sent, _,
         next_wave_in, start_at, end_at, warning) = self
        cells = (
            gig_id, WARNING_MARK + title if warning else title, phase.value, mode, fmt.seats(accepted, seats_min, seats_max),
            str(pending), str(waves_sent), fmt.duration(next_wave_in), fmt.timestamp(start_at),
            fmt.timestamp(end_at),
        )
        sort_values: tuple[Any, ...] = (
            _id_sort_value(gig_id), title.casefold(), _PHASE_ORDER[phase], mode, accepted,
            pending, waves_sent, next_wave_in, start_at, end_at,
        )
        return Row.of(gig_id, cells, sort_values, _TONES[phase, accepted >= seats_min])

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


def _id_sort_value(gig_id: str) -> tuple[int, int | str]:
    # Numeric ids sort as numbers (2 before 10); other ids as text, after the numeric ones.
    return (0, int(gig_id)) if gig_id.isdigit() else (1, gig_id)


def gig_facts(gigs: Iterable[Gig], stats: Mapping[str, GigStats], now: int) -> list[GigFacts]:
    """The facts of every gig at ``now``: what ``console.sim.gig_summary.summary_rows`` saves
    (a test holds them equal), built here straight as facts, at half its cost (10,000 a poll)."""
    # Imported here, once a list: the first frame's rows come from the summary, before pydantic.
    from console.models import GigStats, gig_warnings

    facts = []
    for gig in gigs:
        gig_stats = stats.get(gig.id) or GigStats(gig_id=gig.id)
        next_at = gig_stats.next_wave_at
        facts.append(GigFacts(
            gig.id, gig.title, gig.phase(now), gig.invitation_mode, gig_stats.accepted,
            gig.seats_min, gig.seats_max, gig_stats.pending, gig_stats.waves_sent, next_at,
            None if next_at is None else max(next_at - now, 0), gig.start_at, gig.end_at,
            "; ".join(gig_warnings(gig)) or None,
        ))
    return facts
