"""How the monitor writes times and durations: simulated time is integer UNIX seconds, shown in UTC."""

from __future__ import annotations

import time


def clock(at: int | None) -> str:
    """``HH:MM:SS`` in UTC, or ``-`` for no time."""
    if at is None:
        return "-"
    return time.strftime("%H:%M:%S", time.gmtime(at))


def stamp(at: int | None) -> str:
    """``YYYY-MM-DD HH:MM:SS`` in UTC, or ``-``."""
    if at is None:
        return "-"
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(at))


def duration(seconds: float) -> str:
    """A short countdown: ``45s``, ``12m05s``, ``3h07m``, ``2d04h``; negative reads as ``now``."""
    total = int(seconds)
    if total <= 0:
        return "now"
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d{hours:02d}h"
    if hours:
        return f"{hours}h{minutes:02d}m"
    if minutes:
        return f"{minutes}m{secs:02d}s"
    return f"{secs}s"
