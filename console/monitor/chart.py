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
from .timefmt import clock


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


def column_values(samples: Sequence[Sample], start: int, end: int, width: int) -> list[Sample | None]:
    """The last sample at or before the end of each column's time slice (a step function that
    holds its last value up to ``end``, "now"); ``None`` for columns before the first sample."""
    if not samples or width <= 0:
        return [None] * max(width, 0)
    times = [s.at for s in samples]
    span = max(end - start, 1)
    values: list[Sample | None] = []
    for col in range(width):
        col_end = start + span * (col + 1) / width
        index = bisect_right(times, col_end) - 1
        values.append(samples[index] if index >= 0 else None)
    return values


def _row(value: int, top: int, height: int) -> int:
    """The row (1 = bottom) a value reaches; any positive value reaches at least row 1."""
    if value <= 0:
        return 0
    return max(1, min(height, round(value * height / top)))


def render_chart(samples: Sequence[Sample], spec: ChartSpec) -> list[Line]:
    """``spec.height`` plot rows, an axis row, a time row and a legend row."""
    g = glyphs(spec.ascii_only)
    top = chart_top(samples, spec)
    label_width = len(str(top))
    plot_width = max(spec.width - label_width - 1, 1)
    height = max(spec.height, 1)
    columns = column_values(samples, spec.start, spec.end, plot_width)
    # The seat limits' rows, labelled with their values on the axis (the larger one wins a row).
    limit_rows = {_row(v, top, height): v
                  for v in sorted(v for v in (spec.seats_min, spec.seats_max) if v)}

    lines: list[Line] = []
    for row in range(height, 0, -1):
        label = str(top) if row == height else str(limit_rows.get(row, ""))
        cells: list[tuple[str, Role]] = [(ch, "label") for ch in label.rjust(label_width)]
        cells.append((g.axis_v, "axis"))
        cells.extend(_cell(value, row, top, height, row in limit_rows, g) for value in columns)
        lines.append(merge_runs(cells))
    lines.append([Run("0".rjust(label_width) + g.corner + g.axis_h * plot_width, "axis")])
    left, right = clock(spec.start), clock(spec.end)
    gap = max(plot_width - len(left) - len(right), 1)
    lines.append([Run(" " * (label_width + 1) + left + " " * gap + right, "label")])
    peak = max((s.pending for s in samples), default=0)
    lines.append(_legend(g, top, peak if peak > top else None))
    return lines


def chart_top(samples: Sequence[Sample], spec: ChartSpec) -> int:
    """The value of the top row: the seat limits and accepted, plus a quarter (so the limits
    sit below the row where pending above the scale is marked)."""
    base = max([spec.seats_max or 0, spec.seats_min or 0, 1] + [s.accepted for s in samples])
    return base + max(base // 4, 1)


def _cell(value: Sample | None, row: int, top: int, height: int, on_limit: bool,
          g: GlyphSet) -> tuple[str, Role]:
    if value is not None:
        if value.pending > top and row == height:
            return g.above, "pending"
        if 0 < value.pending <= top and _row(value.pending, top, height) == row:
            return g.pending, "pending"
        if row <= _row(value.accepted, top, height):
            return g.bar, "accepted"
    if on_limit:
        return g.limit, "limit"
    return " ", "empty"


def _legend(g: GlyphSet, top: int, peak: int | None) -> Line:
    """``peak``: the most pending, when it went above the top of the scale."""
    line = [Run(g.bar, "accepted"), Run(" accepted  ", "label"), Run(g.pending, "pending"),
            Run(" pending  ", "label")]
    if peak is not None:
        line += [Run(g.above, "pending"), Run(f" pending above {top} (up to {peak})  ", "label")]
    return line + [Run(g.limit, "limit"), Run(" seats min/max", "label")]
