"""The rows of the wave monitor's tables: gigs overview, waves, invitations, event log."""

from __future__ import annotations

from collections.abc import Collection
from functools import lru_cache
from typing import Any

from console.models import Gig, GigInvitation, GigStats, InvitationStatus, WaveRecord
from console.monitor.events import MonitorEvent
from console.monitor.timefmt import clock
from console.tui import format as fmt
from console.waves.rules import worker_order_key
from console.tui.widgets.virtual_table import Column, Row

OVERVIEW_COLUMNS: tuple[Column, ...] = (
    Column("id", "ID", min_width=2, max_width=36),
    Column("title", "TITLE", min_width=10, max_width=40, grow=True),
    Column("seats", "SEATS", min_width=7, max_width=16, align="right"),
    Column("pending", "PEND", min_width=4, max_width=8, align="right"),
    Column("next", "NEXT", width=7, align="right"),
    Column("rate", "WAVES/H", width=7, align="right"),
)

WAVE_COLUMNS: tuple[Column, ...] = (
    Column("n", "WAVE", width=5, align="right"),
    Column("at", "TIME", width=11),
    Column("invited", "INVITED", width=7, align="right"),
    Column("accepted", "ACCEPTED", width=8, align="right"),
    Column("rejected", "REJECTED", width=8, align="right"),
    Column("expired", "EXPIRED", width=7, align="right"),
    Column("pending", "PENDING", width=7, align="right"),
)

# Fixed widths: the invitations and events tables are never measured (see KeyedTable).
INVITATION_COLUMNS: tuple[Column, ...] = (
    Column("sel", "✓", width=1),
    Column("user", "WORKER", width=12, grow=True),
    Column("wave", "WAVE", width=5, align="right"),
    Column("status", "STATUS", width=8),
    Column("invited_at", "INVITED AT", width=11),
    Column("responded_at", "RESPONDED", width=11),
)

EVENT_COLUMNS: tuple[Column, ...] = (
    Column("at", "TIME", width=8),
    Column("kind", "KIND", width=8),
    Column("text", "EVENT", width=30, grow=True),
)

STATUS_TONES = {
    InvitationStatus.PENDING: "warn",
    InvitationStatus.ACCEPTED: "good",
    InvitationStatus.REJECTED: "bad",
    InvitationStatus.EXPIRED: "muted",
}


def overview_row(gig: Gig, stats: GigStats, now: int, rate: int) -> Row:
    next_in = None if stats.next_wave_at is None else max(stats.next_wave_at - now, 0)
    cells = (gig.id, gig.title, fmt.seats(stats.accepted, gig.seats_min, gig.seats_max),
             str(stats.pending), fmt.duration(next_in) or "-", str(rate))
    sort_values: tuple[Any, ...] = (gig.id, gig.title.casefold(), stats.accepted, stats.pending,
                                    next_in, rate)
    tones = {2: "good"} if stats.accepted >= gig.seats_min else {}
    return Row.of(gig.id, cells, sort_values, tones)


def wave_row(wave: WaveRecord) -> Row:
    counts = (wave.invited, wave.accepted, wave.rejected, wave.expired, wave.pending)
    cells = (str(wave.n), fmt.timestamp(wave.at), *map(str, counts))
    return Row.of(f"{wave.n:09d}", cells, (wave.n, wave.at, *counts), {3: "good", 6: "warn"})


# Thousands of invitations share a handful of moments (one per wave): format each once.
_timestamp = lru_cache(maxsize=8192)(fmt.timestamp)


# One tones mapping per status, shared by the rows (never changed): not a dict per row.
_INVITATION_TONES = {status: {3: tone, 0: "accent"} for status, tone in STATUS_TONES.items()}


def invitation_row(inv: GigInvitation, selected: Collection[str]) -> Row:
    mark = "*" if inv.id in selected else " "
    status = inv.status.value
    cells = (mark, inv.user_id, "-" if inv.wave is None else str(inv.wave), status,
             _timestamp(inv.invited_at), _timestamp(inv.responded_at))
    sort_values: tuple[Any, ...] = (mark, worker_order_key(inv.user_id), inv.wave,
                                    status, inv.invited_at, inv.responded_at)
    return Row.of(inv.id, cells, sort_values, _INVITATION_TONES[inv.status])


def event_row(number: int, event: MonitorEvent) -> Row:
    cells = (clock(event.at), event.kind.value, event.text)
    return Row.of(f"{number:09d}", cells, (event.at, event.kind.value, event.text))
