"""The forecast band on the chart: shaded after now only, between P10 and P90."""

from __future__ import annotations

from console.monitor.chart import BandPoint, ChartSpec, Sample, render_chart
from console.monitor.glyphs import plain


def test_band_is_shaded_after_the_samples_between_its_limits():
    samples = [Sample(0, 0, 5), Sample(100, 2, 5)]
    band = [BandPoint(200 + 20 * i, 2 + i // 2, 3 + i) for i in range(11)]
    lines = [plain(line) for line in render_chart(
        samples, ChartSpec(width=50, height=13, start=0, end=420, ascii_only=True), band)]
    plot = [line[3:] for line in lines[:13]]
    half = len(plot[0]) // 2
    assert all("." not in row[:half - 4] for row in plot)  # nothing before the forecast starts
    highest = next(row for row in plot if "." in row)  # the top of the scale is P90's plus a quarter
    assert "." in highest[half:]  # P90 reaches its highest late on
    assert "." not in highest[:half + 10]
    assert lines[-1].endswith(". forecast")


def test_no_band_no_legend():
    lines = render_chart([Sample(0, 1, 0)], ChartSpec(width=30, height=5, start=0, end=10))
    assert "forecast" not in plain(lines[-1])
