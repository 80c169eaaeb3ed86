"""The wave monitor's forecast line and band, as the operator sees them."""

from __future__ import annotations

import math
import time

import pytest
from held_executor import HeldExecutor

from console.tui.widgets import forecast_line
from console.tui.widgets.forecast_line import ForecastLine

from .conftest import wait_for
from .test_waves_view import SIZE, make_app, open_gig, text

pytestmark = pytest.mark.forecast_line


async def test_the_forecast_line_and_band_show_without_holding_keys():
    app, backend, gig_id = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_gig(pilot)
        opened = time.monotonic()
        await wait_for(seconds=30, condition=lambda: "fills ~" in text(screen, "#wv-forecast"))
        assert time.monotonic() - opened < 15
        line = text(screen, "#wv-forecast")
        assert "(P50) · 90% by " in line and "before end" in line
        # Keys work while it computes again: change panes at once.
        screen.query_one(ForecastLine)._gig_key = None
        await pilot.press("c")
        await pilot.pause()
        assert screen.pane == "chart"
        await wait_for(
            seconds=30, condition=lambda: screen.query_one(ForecastLine).result is not None)
        chart = "\n".join("".join(r.text for r in line) for line in screen.chart.draw(90, 20))
        assert "░ forecast" in chart
        assert "░" in chart or "." in chart.splitlines()[0]


async def test_at_the_fastest_speed_the_forecast_holds():
    app, backend, gig_id = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_gig(pilot)
        app.clock.set_speed(math.inf)
        app.clock.paused = False
        await wait_for(seconds=30, condition=lambda: "held at the fastest speed" in text(screen, "#wv-forecast"))
        assert screen.query_one(ForecastLine).result is None


async def test_a_forecast_the_fastest_speed_holds_gives_up_its_runs_not_begun(monkeypatch):
    """Its runs kept the background process busy on the other core while keys were pressed at
    the fastest speed, for a forecast nobody would see (and one per gig opened, queued)."""
    executor = HeldExecutor()
    monkeypatch.setattr(forecast_line, "_pool", lambda: executor)
    app, backend, gig_id = make_app()
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("3")  # not open_gig: its settle waits for the held forecast
            await wait_for(lambda: app.screen.id != "_default" and
                           app.screen.overview.cursor_key is not None)
            await pilot.press("enter")
            screen = app.screen
            await wait_for(seconds=30, condition=lambda: executor.submitted)
            assert len(executor.submitted) > 1  # parts: what has not begun can be given up
            executor.submitted[0].set_running_or_notify_cancel()  # one part running
            app.clock.set_speed(math.inf)
            app.clock.paused = False
            await wait_for(seconds=30, condition=lambda: "held at the fastest speed"
                           in text(screen, "#wv-forecast"))
            await wait_for(seconds=5, condition=lambda: all(
                f.cancelled() for f in executor.submitted[1:]))
            assert not executor.submitted[0].cancelled()
    finally:
        executor.release()


async def test_on_a_remote_context_at_80_columns_the_forecast_says_whole_what_to_do():
    from console.tui.app import CirroApp

    from .screen import region_text
    from .test_waves_remote import RemoteLike, watch_first_gig

    app = CirroApp(RemoteLike(), poll_seconds=60.0)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await watch_first_gig(pilot)
        line = screen.query_one(ForecastLine)
        await wait_for(seconds=30, condition=lambda: "No forecast" in str(line.render()))
        await pilot.pause()
        shown = region_text(app, line)
        assert shown.startswith("No forecast on remote context 'remote-like': the API cannot "
                                "list workers.")
        assert shown.endswith("in the config file.")
        # The panes keep their place below it.
        assert region_text(app, screen.query_one("#wv-tabs")).startswith("w waves")
