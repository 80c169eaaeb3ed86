"""How the monitor writes a moment: simulated time is integer UNIX seconds, shown in UTC to the
second (waves and responses at high speed are seconds apart)."""

from __future__ import annotations

import time


def clock(at: int | None) -> str:
    """``HH:MM:SS`` in UTC, or ``-`` for no time."""
    if at is None:
        return "-"
    return time.strftime("%H:%M:%S", time.gmtime(at))
