"""The footer: the focused screen's shown bindings as one line of text.

Textual's ``Footer`` recomposes whenever the screen says its bindings changed, which it does at
every focus move (each pane switch of the wave monitor), mounting a widget per key and styling
each anew: 3-5 ms of a settled pane switch's 15 ms. This one repaints a line: a change of the
bindings costs no mount and no layout. A click on a key presses it, as on Textual's.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


DIM = Style(dim=True)


class Shown(NamedTuple):
    key: str
    start: int  # the cells the key and its description take on the line
    end: int


class KeyFooter(Widget):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-footer--key", "key-footer--description"}
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        .key-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .key-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._shown: list[Shown] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen:
            self.refresh()

    def render(self) -> Text:
        line, shown = self._line(compact=False)
        if line.cell_len > self.size.width:  # cut, the help key at the end was lost first
            line, shown = self._line(compact=True)
        self._shown = shown
        return line

    def _line(self, compact: bool) -> tuple[Text, list[Shown]]:
        """`` key description `` per key; ``compact``: `` key description`` (one space less
        between keys, as Textual's compact footer)."""
        key_style = self.get_component_rich_style("key-footer--key")
        description_style = self.get_component_rich_style("key-footer--description")
        before, after = (" ", "") if compact else ("", " ")
        line = Text(no_wrap=True, overflow="crop", end="")
        shown: list[Shown] = []
        actions: set[str] = set()
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in actions:
                continue  # one key per action, the first bound (as Textual's footer)
            actions.add(binding.action)
            start = line.cell_len
            dim = None if enabled else DIM
            line.append(f" {self.app.get_key_display(binding)}{after}", key_style + dim)
            if binding.description:
                line.append(f"{before}{binding.description}{after}", description_style + dim)
            shown.append(Shown(binding.key, start, line.cell_len))
        return line, shown

    def on_click(self, event: events.Click) -> None:
        for item in self._shown:
            if item.start <= event.x < item.end:
                event.stop()
                self.app.simulate_key(item.key)
                return
