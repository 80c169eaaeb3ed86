"""The gig list's summary: beside each snapshot of a simulation's state, what the console's gig
list shows of each gig (``gigs.summary.json``), so that the console paints its first frame from
it before it loads pydantic, the engine and the store (``console/tui/first_frame.py``).

A cache of ``state.json``, never a source: it names the size and CRC32 of the ``state.json`` it
was made with, and is used only while that is the ``state.json`` there and no journal segment
follows it (the journal's changes are not in it). Otherwise it is stale; one that does not parse
or holds a row of the wrong shape is damaged. Either way :func:`read_summary` says why and the
console starts the usual way; the next snapshot writes a new one. Stdlib only: importing this
must stay cheap.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from console.gig_phase import GigPhase

from .file_names import STATE_FILE, SUMMARY_FILE, segments

if TYPE_CHECKING:
    from console.models import Gig, GigStats

FORMAT = 1


@dataclass(frozen=True, slots=True)
class SummaryRow:
    """One gig as the gig list shows it (its columns' typed values)."""

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
    start_at: int
    end_at: int
    warning: str | None  # what is wrong with the gig as saved (models.gig_warnings), joined


_MAYBE_INT, _MAYBE_STR = (int, type(None)), (str, type(None))
# Each field's JSON types, in SummaryRow's order (the phase is its value; bool refused apart).
_TYPES: tuple[tuple[type, ...], ...] = (
    (str,), (str,), (str,), (str,), (int,), (int,), _MAYBE_INT, (int,), (int,), _MAYBE_INT,
    (int,), (int,), _MAYBE_STR)


@dataclass(frozen=True)
class GigSummary:
    """The gigs at the simulated time ``now`` of the state they were read from."""

    path: Path
    now: int
    rows: tuple[SummaryRow, ...]


class SummaryUnusable(Exception):
    """Why a summary is not shown (missing, stale or damaged); the message names the file."""


def summary_rows(gigs: Iterable[Gig], stats: Mapping[str, GigStats], now: int) -> list[SummaryRow]:
    """The rows of gigs and their stats (none yet: zeros) at ``now``, as the gig list shows them."""
    from console.models import GigStats, gig_warnings

    rows = []
    for gig in gigs:
        gig_stats = stats.get(gig.id) or GigStats(gig_id=gig.id)
        rows.append(SummaryRow(
            gig.id, gig.title, gig.phase(now), gig.invitation_mode, gig_stats.accepted,
            gig.seats_min, gig.seats_max, gig_stats.pending, gig_stats.waves_sent,
            gig_stats.next_wave_at, gig.start_at, gig.end_at,
            "; ".join(gig_warnings(gig)) or None))
    return rows


def encode_summary(state: bytes, now: int, rows: Sequence[SummaryRow]) -> bytes:
    """The summary of the ``state.json`` whose bytes are ``state``."""
    return json.dumps({
        "format": FORMAT, "state_size": len(state), "state_crc32": zlib.crc32(state),
        "now": now, "rows": [astuple(row) for row in rows],
    }, ensure_ascii=False, separators=(",", ":")).encode()


def read_summary(directory: Path) -> GigSummary:
    """The summary of the simulation in ``directory``; :class:`SummaryUnusable` when there is
    none, or it does not match the state there now, or it is damaged."""
    path = directory / SUMMARY_FILE
    try:
        raw = path.read_bytes()
        state = (directory / STATE_FILE).read_bytes()
    except FileNotFoundError as exc:
        raise SummaryUnusable(f"{exc.filename}: missing") from None
    except OSError as exc:
        raise SummaryUnusable(f"{exc.filename}: cannot read: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError(f"not a summary of format {FORMAT}")
        size, crc, now, rows = data["state_size"], data["state_crc32"], data["now"], data["rows"]
        if not all(_is_int(value) for value in (size, crc, now)) or not isinstance(rows, list):
            raise ValueError("state_size, state_crc32 and now must be whole numbers, rows a list")
    except (ValueError, KeyError) as exc:
        raise SummaryUnusable(f"{path}: damaged ({exc})") from None
    except RecursionError:
        raise SummaryUnusable(f"{path}: damaged (nested too deeply)") from None
    if size != len(state) or crc != zlib.crc32(state):
        raise SummaryUnusable(f"{path}: stale: {directory / STATE_FILE} changed since")
    if journal := segments(directory):
        raise SummaryUnusable(f"{path}: stale: the journal ({journal[0].name}) holds changes "
                              "since")
    return GigSummary(path, now, tuple(_row(path, i, row) for i, row in enumerate(rows)))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _row(path: Path, index: int, values: Any) -> SummaryRow:
    if (not isinstance(values, list) or len(values) != len(_TYPES)
            or any(not isinstance(v, t) or isinstance(v, bool) for v, t in zip(values, _TYPES))):
        raise SummaryUnusable(f"{path}: damaged (row {index} is not a gig's row: {values!r:.80})")
    try:
        phase = GigPhase(values[2])
    except ValueError:
        raise SummaryUnusable(f"{path}: damaged (row {index}: unknown phase {values[2]!r})") from None
    return SummaryRow(*values[:2], phase, *values[3:])
