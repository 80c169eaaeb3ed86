"""The chart pane: accepted and pending over time, with the forecast's band ahead."""

from __future__ import annotations

import os
import sys

from textual.reactive import reactive

from console.forecast.service import LiveForecast
from console.monitor.chart import BandPoint, ChartSpec, render_chart
from console.monitor.glyphs import Line, Run
from console.tui.views.waves.source import Reading
from console.tui.widgets.runs import RunsView

CHART_HEIGHT_MIN = 3


def ascii_terminal() -> bool:
    """Plain ASCII when the terminal cannot be trusted with Unicode (or the user asks for it)."""
    if os.environ.get("CIRRO_CONSOLE_ASCII"):
        return True
    encoding = (getattr(sys.__stdout__, "encoding", None) or "").lower()
    return bool(encoding) and not encoding.startswith("utf")


class ChartPane(RunsView):
    DEFAULT_CSS = "ChartPane { height: 1fr; padding: 0 1; }"

    reading: reactive[Reading | None] = reactive(None, init=False)
    forecast: reactive[LiveForecast | None] = reactive(None, init=False)
    ascii_only: reactive[bool] = reactive(False, init=False)

    def __init__(self, ascii_only: bool, *, id: str | None = None) -> None:
        super().__init__(self.draw, id=id)
        self.set_reactive(ChartPane.ascii_only, ascii_only)

    # Whatever changes, the chart is drawn again at its next paint (if it shows).
    def watch_reading(self) -> None:
        self.redraw()

    def watch_forecast(self) -> None:
        self.redraw()

    def watch_ascii_only(self) -> None:
        self.redraw()

    def draw(self, width: int, height: int) -> list[Line]:
        reading = self.reading
        if reading is None:
            return [[Run("loading...", "label")]]
        snap, samples = reading.snapshot, reading.samples
        start = min(samples[0].at if samples else snap.at, snap.gig.start_at)
        forecast = self.forecast
        band = [BandPoint(*p) for p in zip(forecast.band.times, forecast.band.low,
                                           forecast.band.high)] if forecast else []
        band = [p for p in band if p.at >= snap.at]
        spec = ChartSpec(width=width, height=max(height - 3, CHART_HEIGHT_MIN), start=start,
                         end=max(snap.at, start + 1, *(p.at for p in band[-1:])),
                         seats_min=snap.gig.seats_min, seats_max=snap.gig.seats_max,
                         ascii_only=self.ascii_only)
        return render_chart(list(samples), spec, band)
