"""A status or message line that wraps to its width instead of cutting what does not fit.

Status lines repaint on every keystroke or poll without a layout pass (a whole-screen layout
costs tens of ms); this one asks for a layout only when its number of lines changes."""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.widgets import Static

from console.tui.format import pack_parts


class Wrapped(Static):
    """Parts joined by `` · ``, each kept whole on one line where it fits."""

    DEFAULT_CSS = "Wrapped { height: auto; }"

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.parts: tuple[str, ...] = ()
        self._shown: list[str] | None = None

    @property
    def text(self) -> str:
        """What the line says, unwrapped."""
        return " · ".join(self.parts)

    def show(self, *parts: str) -> None:
        self.parts = tuple(p for p in parts if p)
        self._paint()

    def on_resize(self, _: events.Resize) -> None:
        self._paint()

    def _paint(self) -> None:
        lines = pack_parts(self.parts, self.content_region.width)
        if lines == self._shown:
            return
        relayout = self._shown is None or len(lines) != len(self._shown)
        self._shown = lines
        self.update(Content("\n".join(lines)), layout=relayout)
