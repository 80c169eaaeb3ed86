"""The gig list's summary: beside each snapshot of a simulation's state, what the console's gig
list shows of each gig (``console.gig_facts``, in ``gigs.summary.json``), so that the console paints its first frame from
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
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from console.gig_facts import GigFacts, next_wave_in
from console.gig_phase import GigPhase

from .file_names import STATE_FILE, SUMMARY_FILE, segments

FORMAT = 1

# A saved row is a gig's facts but their next_wave_in, which the summary's now gives.
_NEXT_IN, _NEXT_AT = GigFacts._fields.index("next_wave_in"), GigFacts._fields.index("next_wave_at")
_PHASE = GigFacts._fields.index("phase")
_MAYBE_INT, _MAYBE_STR = (int, type(None)), (str, type(None))
# Each saved value's JSON types, in GigFacts' order (the phase is its value; bool refused apart).
_TYPES: tuple[tuple[type, ...], ...] = (
    (str,), (str,), (str,), (str,), (int,), (int,), _MAYBE_INT, (int,), (int,), _MAYBE_INT,
    (int,), (int,), _MAYBE_STR)


@dataclass(frozen=True)
class GigSummary:
    """The gigs at the simulated time ``now`` of the state they were read from."""

    path: Path
    now: int
    rows: tuple[GigFacts, ...]


class SummaryUnusable(Exception):
    """Why a summary is not shown (missing, stale or damaged); the message names the file."""


def encode_summary(state: bytes, now: int, rows: Sequence[GigFacts]) -> bytes:
    """The summary of the ``state.json`` whose bytes are ``state``: the facts of its gigs at
    ``now`` (``console.gig_facts.gig_facts``)."""
    return json.dumps({
        "format": FORMAT, "state_size": len(state), "state_crc32": zlib.crc32(state),
        "now": now, "rows": [row[:_NEXT_IN] + row[_NEXT_IN + 1:] for row in rows],
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
    return GigSummary(path, now, tuple(_row(path, i, row, now) for i, row in enumerate(rows)))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _row(path: Path, index: int, values: Any, now: int) -> GigFacts:
    if (not isinstance(values, list) or len(values) != len(_TYPES)
            or any(not isinstance(v, t) or isinstance(v, bool) for v, t in zip(values, _TYPES))):
        raise SummaryUnusable(f"{path}: damaged (row {index} is not a gig's row: {values!r:.80})")
    try:
        values[_PHASE] = GigPhase(phase := values[_PHASE])
    except ValueError:
        raise SummaryUnusable(f"{path}: damaged (row {index}: unknown phase {phase!r})") from None
    values.insert(_NEXT_IN, next_wave_in(values[_NEXT_AT], now))
    return GigFacts(*values)
