"""A widget that paints role-tagged text lines (charts, gauges) with the theme's colours.

The lines come from a draw function of the widget's size, so a chart re-lays itself out on
resize; each role has a component class, so TCSS (and the 16-colour theme) decide the colours.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.widget import Widget

from console.monitor.glyphs import Line

Draw = Callable[[int, int], list[Line]]

ROLES = ("accepted", "pending", "below", "met", "full", "limit", "axis", "label", "empty")


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
    """

    def __init__(self, draw: Draw, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._draw = draw

    def render(self) -> Text:
        size = self.content_region.size
        text = Text(no_wrap=True, overflow="crop")
        styles = {role: self.get_component_rich_style(f"runs--{role}", partial=True)
                  for role in ROLES}
        for number, line in enumerate(self._draw(size.width, size.height)):
            if number:
                text.append("\n")
            for run in line:
                text.append(run.text, styles[run.role] if run.role != "empty" else None)
        return text
