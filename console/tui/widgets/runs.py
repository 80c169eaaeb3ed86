"""A widget that paints role-tagged text lines (charts, gauges) with the theme's colours.

The lines come from a draw function of the widget's size, so a chart re-lays itself out on
resize; each role has a component class, so TCSS (and the 16-colour theme) decide the colours.
The drawn lines are kept as strips until :meth:`RunsView.redraw`, a resize or a style change:
a pane switch repaints the chart without drawing it again (drawing 100x20 cells and turning
them into Rich text took 15-25 ms, the larger part of the switch).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

from console.monitor.glyphs import Line

Draw = Callable[[int, int], list[Line]]

ROLES = ("accepted", "pending", "below", "met", "full", "limit", "axis", "label", "empty",
         "band")


class RunsView(Widget):
    COMPONENT_CLASSES: ClassVar[set[str]] = {f"runs--{role}" for role in ROLES}

    DEFAULT_CSS = """
    RunsView { height: auto; }
    RunsView > .runs--accepted { color: $success; }
    RunsView > .runs--met { color: $success; }
    RunsView > .runs--pending { color: $warning; }
    RunsView > .runs--below { color: $warning; }
    RunsView > .runs--full { color: $accent; text-style: bold; }
    RunsView > .runs--limit { color: $error; }
    RunsView > .runs--axis { color: $text-muted; }
    RunsView > .runs--label { color: $text-muted; }
    RunsView > .runs--band { color: $success 60%; }
    """

    def __init__(self, draw: Draw, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._draw = draw
        self._strips: list[Strip] = []
        self._drawn_for: Size | None = None  # None: draw again at the next paint
        # A role's style resolves through the stylesheet (~0.2 ms each, ten roles): once per
        # style change, not at every frame's redraw of the gauge.
        self._role_styles: dict[str, Style] | None = None

    def redraw(self) -> None:
        """What the draw function returns has changed: draw it again at the next paint."""
        self._drawn_for = None
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._drawn_for = None
        self._role_styles = None

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._draw(width, viewport.height))

    def render_line(self, y: int) -> Strip:
        size = self.content_region.size
        if self._drawn_for != size:
            self._strips = self._to_strips(self._draw(size.width, size.height), size.width)
            self._drawn_for = size
        if y < len(self._strips):
            return self._strips[y]
        return Strip.blank(size.width, self.rich_style)

    def _to_strips(self, lines: list[Line], width: int) -> list[Strip]:
        base = self.rich_style
        styles = self._role_styles
        if styles is None:
            styles = self._role_styles = {
                role: base if role == "empty"
                else base + self.get_component_rich_style(f"runs--{role}") for role in ROLES}
        return [Strip([Segment(run.text, styles[run.role]) for run in line]).crop_extend(0, width, base)
                for line in lines]
