"""How the console writes times, durations and seat counts (pure functions, no Textual)."""

from __future__ import annotations

import textwrap
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import lru_cache

from rich.cells import cell_len


@lru_cache(maxsize=65536)
def timestamp(value: int | None) -> str:
    """Compact UTC time for tables: ``05-12 14:05``."""
    if value is None:
        return ""
    # time.gmtime is several times faster than datetime.strftime; 20,000 of these per poll.
    t = time.gmtime(value)
    return f"{t.tm_mon:02d}-{t.tm_mday:02d} {t.tm_hour:02d}:{t.tm_min:02d}"


def full_timestamp(value: int | None) -> str:
    """Unambiguous UTC time for the header and forms: ``2026-05-12 14:05:00``."""
    if value is None:
        return ""
    return datetime.fromtimestamp(value, UTC).strftime("%Y-%m-%d %H:%M:%S")


def duration(seconds: int | None) -> str:
    """``45s``, ``4m30s``, ``2h05m``, ``3d04h``; empty for None."""
    if seconds is None:
        return ""
    sign = "-" if seconds < 0 else ""
    seconds = abs(int(seconds))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{sign}{days}d{hours:02d}h"
    if hours:
        return f"{sign}{hours}h{minutes:02d}m"
    if minutes:
        return f"{sign}{minutes}m{secs:02d}s"
    return f"{sign}{secs}s"


def seats(accepted: int, seats_min: int, seats_max: int | None) -> str:
    """Accepted against the targets: ``12/10-20``, or ``3/5+`` when there is no maximum."""
    target = f"{seats_min}-{seats_max}" if seats_max is not None else f"{seats_min}+"
    return f"{accepted}/{target}"


FILTER_SHOWN = 40  # characters of a filter a status line quotes


def quoted_filter(text: str) -> str:
    """A filter as a status line quotes it: whole up to FILTER_SHOWN characters, else its start
    and an ellipsis (a pasted 3,000-character filter had wrapped over the whole screen)."""
    if len(text) > FILTER_SHOWN:
        return f"filter {text[:FILTER_SHOWN]!r}… ({len(text):,} characters)"
    return f"filter {text!r}"


def pack_parts(parts: Sequence[str], width: int, sep: str = " · ") -> list[str]:
    """``parts`` joined by ``sep`` in lines of at most ``width`` cells, each part kept whole on
    one line where it fits (a countdown is never split from its number); a part wider than a
    line is wrapped at its spaces."""
    if width <= 0:
        return [sep.join(parts)] if parts else []
    lines: list[str] = []
    for part in parts:
        if lines and cell_len(lines[-1]) + cell_len(sep) + cell_len(part) <= width:
            lines[-1] += sep + part
        elif cell_len(part) <= width:
            lines.append(part)
        else:
            lines.extend(textwrap.wrap(part, width, break_on_hyphens=False) or [""])
    return lines
