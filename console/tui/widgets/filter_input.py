"""The ``/`` filter line the list views share: applies as you type."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.widgets import Input

from console.tui.widgets.quiet_size import QuietVirtualSize
from console.tui.widgets.virtual_table import VirtualTable


class FilterInput(QuietVirtualSize, Input):
    """The ``/`` filter line: applies as you type; ``enter`` keeps it, ``escape`` clears it."""

    BINDINGS: ClassVar = [("escape", "clear_filter", "Clear filter")]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Compact is Textual's one-line input: a hand-made "height: 1; border: none" lost to
        # Input's own ":focus" border rule, which then took the only line and hid the text.
        super().__init__(*args, compact=True, **kwargs)

    def action_clear_filter(self) -> None:
        self.value = ""
        self.remove_class("-shown")
        self.screen.query_one(VirtualTable).focus()
