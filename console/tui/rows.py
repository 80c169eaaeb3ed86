"""The gig list's rows: what each column shows of a gig's facts (``console.gig_facts``) and how
it sorts."""

from __future__ import annotations

from typing import Any

from console.gig_facts import GigFacts
from console.gig_phase import GigPhase
from console.tui import format as fmt
from console.tui.widgets.virtual_table import Column, Row

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


def gig_row(facts: GigFacts) -> Row:
    """The table's row of a gig's facts."""
    # Unpacked once: this runs for every changed gig on every poll (10,000 on the first).
    (gig_id, title, phase, mode, accepted, seats_min, seats_max, pending, waves_sent, _,
     next_wave_in, start_at, end_at, warning) = facts
    cells = (
        gig_id, WARNING_MARK + title if warning else title, phase.value, mode,
        fmt.seats(accepted, seats_min, seats_max), str(pending), str(waves_sent),
        fmt.duration(next_wave_in), fmt.timestamp(start_at), fmt.timestamp(end_at),
    )
    sort_values: tuple[Any, ...] = (
        _id_sort_value(gig_id), title.casefold(), _PHASE_ORDER[phase], mode, accepted,
        pending, waves_sent, next_wave_in, start_at, end_at,
    )
    return Row.of(gig_id, cells, sort_values, _TONES[phase, accepted >= seats_min])


def _id_sort_value(gig_id: str) -> tuple[int, int | str]:
    # Numeric ids sort as numbers (2 before 10); other ids as text, after the numeric ones.
    return (0, int(gig_id)) if gig_id.isdigit() else (1, gig_id)
