"""The header's freshness mark: polled data goes stale, a simulation's pushed state does not."""

from __future__ import annotations

import time

from console.monitor.scenario import scenario
from console.tui.app import CirroApp
from console.tui.widgets import status_header

from .conftest import SIZE, listed, screen_text, wait_for


async def test_a_paused_simulation_is_not_shown_stale(monkeypatch):
    # A paused simulation publishes nothing (nothing changes): its last frame is current,
    # however old. "stale" would send the operator looking for a fault that is not there.
    backend, _ = scenario(workers=300)
    app = CirroApp(backend, speed=60)
    app.clock.paused = True
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot)
        later = time.monotonic() + 3600
        monkeypatch.setattr(status_header.time, "monotonic", lambda: later)
        app.screen.query_one(status_header.StatusHeader).refresh()
        await wait_for(lambda: "1h" in screen_text(app).splitlines()[0])
        assert "stale" not in screen_text(app).splitlines()[0]
