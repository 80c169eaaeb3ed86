"""The accepted-and-pending chart of one gig, rendered to text lines.

Accepted is a filled bar, pending a marker on top, the seat limits horizontal lines: each has its
own glyph, so the chart reads in plain ASCII and without colour; roles let the TUI colour it.

The y axis is scaled to what the seat limits are about: the limits and accepted, with a quarter
of headroom. Pending does not stretch it (hundreds of pending squashed accepted and both limits
into the bottom row); pending above the top is marked on the top row with its own glyph, and
the legend says the most pending there were.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from .glyphs import GlyphSet, Line, Role, Run, glyphs, merge_runs
from .timefmt import span_ends


@dataclass(frozen=True)
class Sample:
    """Counts observed at one simulated time."""

    at: int
    accepted: int
    pending: int


@dataclass(frozen=True)
class ChartSpec:
    width: int
    height: int
    start: int
    end: int
    seats_min: int | None = None
    seats_max: int | None = None
    ascii_only: bool = False


def column_ends(start: int, end: int, width: int) -> list[float]:
    """The time each column's slice ends at."""
    span = max(end - start, 1)
    return [start + span * (col + 1) / width for col in range(max(width, 0))]


def column_values(samples: Sequence[Sample], start: int, end: int, width: int) -> list[Sample | None]:
    """The last sample at or before the end of each column's time slice (a step function that
    holds its last value up to ``end``, "now"); ``None`` for columns before the first sample."""
    if not samples or width <= 0:
        return [None] * max(width, 0)
    times = [s.at for s in samples]
    values: list[Sample | None] = []
    for col_end in column_ends(start, end, width):
        index = bisect_right(times, col_end) - 1
        values.append(samples[index] if index >= 0 else None)
    return values


def _row(value: int, top: int, height: int) -> int:
    """The row (1 = bottom) a value reaches; any positive value reaches at least row 1."""
    if value <= 0:
        return 0
    return max(1, min(height, round(value * height / top)))


@dataclass(frozen=True)
class BandPoint:
    """A forecast's P10 and P90 of accepted at one future time."""

    at: int
    low: int
    high: int


def band_columns(band: Sequence[BandPoint], start: int, end: int,
                 width: int) -> list[BandPoint | None]:
    """The band point nearest each column's end, for the columns the band's times cover."""
    if not band or width <= 0:
        return [None] * max(width, 0)
    times = [p.at for p in band]
    slice_width = max(end - start, 1) / width
    return [band[max(bisect_right(times, t) - 1, 0)]
            if times[0] <= t <= times[-1] + slice_width else None
            for t in column_ends(start, end, width)]


def render_chart(samples: Sequence[Sample], spec: ChartSpec,
                 band: Sequence[BandPoint] = ()) -> list[Line]:
    """``spec.height`` plot rows, an axis row, a time row and a legend row. A forecast ``band``
    (after the last sample; ``spec.end`` reaching past now) shades P10-P90 of accepted."""
    g = glyphs(spec.ascii_only)
    top = chart_top(samples, spec, band)
    label_width = len(str(top))
    plot_width = max(spec.width - label_width - 1, 1)
    height = max(spec.height, 1)
    columns = column_values(samples, spec.start, spec.end, plot_width)
    # The seat limits' rows, labelled with their values on the axis (the larger one wins a row).
    limit_rows = {_row(v, top, height): v
                  for v in sorted(v for v in (spec.seats_min, spec.seats_max) if v)}
    shaded = band_columns(band, spec.start, spec.end, plot_width)
    if band:
        # From the forecast's start the chart shows the forecast, not a held last value.
        ends = column_ends(spec.start, spec.end, plot_width)
        columns = [None if t > band[0].at else c for t, c in zip(ends, columns)]

    # Each column's rows once; then each cell is a few comparisons (a chart is ~2,000 cells,
    # drawn on the event loop when the pane shows).
    reach = [_reach(value, b, top, height) for value, b in zip(columns, shaded)]
    band_cell: tuple[str, Role] = (g.empty, "band")
    above_cell: tuple[str, Role] = (g.above, "pending")
    pending_cell: tuple[str, Role] = (g.pending, "pending")
    bar_cell: tuple[str, Role] = (g.bar, "accepted")
    lines: list[Line] = []
    for row in range(height, 0, -1):
        label = str(top) if row == height else str(limit_rows.get(row, ""))
        cells: list[tuple[str, Role]] = [(ch, "label") for ch in label.rjust(label_width)]
        cells.append((g.axis_v, "axis"))
        rest: tuple[str, Role] = (g.limit, "limit") if row in limit_rows else (" ", "empty")
        top_row = row == height
        for band_low, band_high, above, pending, accepted in reach:
            if band_low <= row <= band_high:
                cells.append(band_cell)
            elif above and top_row:
                cells.append(above_cell)
            elif pending == row:
                cells.append(pending_cell)
            elif row <= accepted:
                cells.append(bar_cell)
            else:
                cells.append(rest)
        lines.append(merge_runs(cells))
    lines.append([Run("0".rjust(label_width) + g.corner + g.axis_h * plot_width, "axis")])
    left, right = span_ends(spec.start, spec.end)
    gap = max(plot_width - len(left) - len(right), 1)
    lines.append([Run(" " * (label_width + 1) + left + " " * gap + right, "label")])
    peak = max((s.pending for s in samples), default=0)
    lines.append(_legend(g, top, peak if peak > top else None, bool(band)))
    return lines


def chart_top(samples: Sequence[Sample], spec: ChartSpec, band: Sequence[BandPoint] = ()) -> int:
    """The value of the top row: the seat limits, accepted and the forecast band's top, plus a
    quarter (so the limits sit below the row where pending above the scale is marked)."""
    base = max([spec.seats_max or 0, spec.seats_min or 0, 1] + [s.accepted for s in samples]
               + [p.high for p in band])
    return base + max(base // 4, 1)


def _reach(value: Sample | None, point: BandPoint | None, top: int,
           height: int) -> tuple[int, int, bool, int, int]:
    """One column: the rows the forecast band covers (low > high when none), whether pending
    is above the scale, the row of its marker (0: none) and the top row of the accepted bar.
    A band cell hides the sample's; a marker hides the bar under it."""
    band_low, band_high = 1, 0
    if point is not None:
        band_low, band_high = _row(point.low, top, height), max(_row(point.high, top, height), 1)
    if value is None:
        return band_low, band_high, False, 0, 0
    pending = _row(value.pending, top, height) if 0 < value.pending <= top else 0
    return band_low, band_high, value.pending > top, pending, _row(value.accepted, top, height)


def _legend(g: GlyphSet, top: int, peak: int | None, band: bool = False) -> Line:
    """``peak``: the most pending, when it went above the top of the scale."""
    line = [Run(g.bar, "accepted"), Run(" accepted  ", "label"), Run(g.pending, "pending"),
            Run(" pending  ", "label")]
    if peak is not None:
        line += [Run(g.above, "pending"), Run(f" above {top}, peak {peak}  ", "label")]
    line += [Run(g.limit, "limit"), Run(" seats min/max", "label")]
    if band:
        line += [Run("  ", "label"), Run(g.empty, "band"), Run(" forecast", "label")]
    return line
