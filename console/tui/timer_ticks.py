"""A fix of Textual 8.2.8's Timer: ticks that passed are skipped to the next one still ahead.

A screen repaints from an update timer that pauses at each tick and resumes when something is
dirty. Resumed after an idle spell, it ticks at once (late); Textual then skips the ticks that
passed one too far (``int(elapsed / interval + 1)``, where the next tick is that count plus
one), so the next repaint waited 1-2 intervals (17-33 ms at 60 fps) instead of 0-1. Each frame
of the wave monitor makes such an update, and a key pressed just after it waited for that tick:
in ``bench/monitor.py`` the wait between a key's handler and its repaint was 12.6-17.4 ms at the
90th percentile, 1.6-3.6 ms with this fix.

Installed by the console's app (not on import). ``tests/tui/test_update_timer.py`` fails once a
Textual release fixes it; then this module goes.
"""

from __future__ import annotations

from textual import _time
from textual.timer import EventTargetGone, Timer

PUBLISHED_RUN = Timer._run


async def _run(self: Timer) -> None:
    """Textual's loop, but on a skip the tick count becomes the number of ticks whose time has
    passed, so the next tick is the first one ahead of now."""
    await self._active.wait()
    origin = _time.get_time()
    passed = 0  # ticks whose time has come, sent or skipped
    while self._repeat is None or passed <= self._repeat:
        due = origin + (passed + 1) * self._interval
        now = _time.get_time()
        if self._skip and due < now:
            # At least one on: this loop has no await, so a count that float rounding left
            # where it was would spin the event loop.
            passed = max(passed + 1, int((now - origin) / self._interval))
            continue
        await _time.sleep(due - now)
        passed += 1
        await self._active.wait()
        if self._reset:
            origin, passed, self._reset = _time.get_time(), 0, False
            continue
        try:
            await self._tick(next_timer=due, count=passed)
        except EventTargetGone:
            return


def skip_to_next_tick() -> None:
    """Put the fixed loop in place of Textual's (every timer started from now on)."""
    Timer._run = _run  # type: ignore[method-assign]
