"""A one-line label with shorter forms for narrow screens: it shows the first form that fits its
width, and chooses again when its width changes (cut, a line loses what it ends with)."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widgets import Static


class Fitted(Static):
    """``show(full, shorter, ...)``: console markup, the longest form first."""

    DEFAULT_CSS = "Fitted { height: 1; }"

    def __init__(self, *forms: str, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(forms[0] if forms else "", id=id, classes=classes)
        self.forms: tuple[str, ...] = forms or ("",)
        self._shown = self.forms[0]

    def show(self, *forms: str) -> None:
        self.forms = forms or ("",)
        self._paint()

    def on_resize(self, _: events.Resize) -> None:
        self._paint()

    def _paint(self) -> None:
        width = self.content_size.width
        fitting = (form for form in self.forms if Text.from_markup(form).cell_len <= width)
        # Before the first layout (no width) the full form, until the resize says.
        shown = next(fitting, self.forms[-1]) if width else self.forms[0]
        # Called at every reading: an unchanged line must not cost a layout and a repaint;
        # one line of fixed height needs no layout pass.
        if shown != self._shown:
            self._shown = shown
            self.update(shown, layout=False)
