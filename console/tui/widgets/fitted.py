"""A one-line label with shorter forms for narrow screens: it shows the first form that fits its
width, and chooses again when its width changes (cut, a line loses what it ends with). Where no
form fits, the last is cut, or wrapped over more lines by a subclass that sets ``wrap_last``
(and ``height: auto``): a message whose end says what to do must not lose it."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.widgets import Static


class Fitted(Static):
    """``show(full, shorter, ...)``: console markup, the longest form first."""

    DEFAULT_CSS = "Fitted { height: 1; }"
    wrap_last: ClassVar[bool] = False

    def __init__(self, *forms: str, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(forms[0] if forms else "", id=id, classes=classes)
        self.forms: tuple[str, ...] = forms or ("",)
        self._shown = self.forms[0]
        self._wrapped = False

    def show(self, *forms: str) -> None:
        self.forms = forms or ("",)
        self._paint()

    def on_resize(self, _: events.Resize) -> None:
        self._paint()

    def _paint(self) -> None:
        width = self.content_size.width
        # Before the first layout (no width) the full form, until the resize says.
        fitting = (next((form for form in self.forms if Text.from_markup(form).cell_len <= width),
                        None) if width else self.forms[0])
        shown = self.forms[-1] if fitting is None else fitting
        # Called at every reading: an unchanged line must not cost a layout and a repaint;
        # one line of fixed height needs no layout pass, a form wrapped over lines does.
        if shown != self._shown:
            relayout = self.wrap_last and (fitting is None or self._wrapped)
            self._shown, self._wrapped = shown, fitting is None
            self.update(shown, layout=relayout)
