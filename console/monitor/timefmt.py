"""How a moment is written: simulated time is integer UNIX seconds, shown in UTC; the monitor to
the second (waves and responses at high speed are seconds apart), the commands to the minute."""

from __future__ import annotations

import time


def clock(at: int | None) -> str:
    """``HH:MM:SS`` in UTC, or ``-`` for no time."""
    if at is None:
        return "-"
    return time.strftime("%H:%M:%S", time.gmtime(at))


def span_ends(start: int, end: int) -> tuple[str, str]:
    """The two ends of a time axis: ``HH:MM:SS`` within one UTC day, else ``MM-DD HH:MM`` (a
    chart from 23:00 to 09:00 did not say it crossed midnight)."""
    if time.gmtime(start)[:3] == time.gmtime(end)[:3]:
        return clock(start), clock(end)
    return (time.strftime("%m-%d %H:%M", time.gmtime(start)),
            time.strftime("%m-%d %H:%M", time.gmtime(end)))


def minute(at: int | None, missing: str = "-") -> str:
    """``2026-03-02 10:00`` in UTC, or ``missing`` for no time."""
    if at is None:
        return missing
    return time.strftime("%Y-%m-%d %H:%M", time.gmtime(at))
