"""At 60 columns the wave monitor's one-line rows (header, gauge, forecast, pane tabs) take
their short forms and read whole; cut, each lost what it ends with."""

from __future__ import annotations

from textual.app import App, ComposeResult

from console.monitor.gauge import Seats, fitted_gauge
from console.tui.widgets.fitted import Fitted

from .screen import region_text, screen_lines
from .test_waves_view import make_app, open_gig, settle

NARROW = (60, 24)


def plain(line) -> str:
    return "".join(run.text for run in line)


async def test_the_monitor_reads_whole_at_60_columns():
    app, _, _ = make_app(total_seats=20, seats_min=15, seats_max=20)
    async with app.run_test(size=NARROW) as pilot:
        screen = await open_gig(pilot, waves=2)
        lines = screen_lines(app)
        assert lines[0].rstrip().endswith("ago"), lines[0]  # the connection state, whole
        gauge = region_text(app, screen.query_one("#wv-gauge"))
        assert gauge.endswith("(below min)") and "accepted  min 15  max 20" in gauge
        await pilot.press("i")
        await settle(pilot)
        tabs = region_text(app, screen.query_one("#wv-tabs"))
        assert tabs.startswith("w  c  i invitations  e  ") and tabs.endswith("0 selected")


async def test_the_monitor_keeps_the_long_forms_where_they_fit():
    app, _, _ = make_app(total_seats=20, seats_min=15, seats_max=20)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_gig(pilot, waves=2)
        assert "scenario (local) │ sim 2026-01-01" in screen_lines(app)[0]
        await pilot.press("i")
        await settle(pilot)
        tabs = region_text(app, screen.query_one("#wv-tabs"))
        assert tabs.startswith("w waves  c chart  i invitations  e events  ")


def test_the_gauge_narrows_its_bar_then_shortens_its_caption():
    seats = Seats(accepted=3, total_seats=20, seats_min=15, seats_max=20)
    wide = plain(fitted_gauge(seats, 100, ascii_only=True))
    assert wide.endswith(" 3 accepted  min 15  max 20  (below min)") and len(wide) == 35 + 40
    at_60 = plain(fitted_gauge(seats, 58, ascii_only=True))
    assert at_60.endswith("(below min)") and len(at_60) <= 58
    narrow = plain(fitted_gauge(seats, 38, ascii_only=True))
    assert narrow.endswith(" 3/15-20 below min") and len(narrow) <= 38


class OneLine(App):
    def compose(self) -> ComposeResult:
        yield Fitted(id="line")


async def test_a_fitted_line_shows_the_first_form_that_fits_and_chooses_again_on_resize():
    app = OneLine()
    async with app.run_test(size=(30, 3)) as pilot:
        line = app.query_one(Fitted)
        line.show("forecast: fills ~14:05 (P50) · 93%", "fills ~14:05 (P50) · 93%", "x")
        await pilot.pause()
        assert region_text(app, line) == "fills ~14:05 (P50) · 93%"
        await pilot.resize_terminal(60, 3)
        await pilot.pause()
        assert region_text(app, line) == "forecast: fills ~14:05 (P50) · 93%"
        line.show("[b]markup[/b] is read, [not this", "short")
        await pilot.pause()
        assert region_text(app, line) == "markup is read, [not this"
