"""The monitor's ``/`` line: it filters whichever table shows."""

from __future__ import annotations

from console.tui.widgets.filter_input import FilterInput


class MonitorFilter(FilterInput):
    """Escape clears it and goes back to the table it filters (no table takes the focus here)."""

    def action_clear_filter(self) -> None:
        self.value = ""
        self.remove_class("-shown")
        self.screen.set_focus(None)

    def on_focus(self) -> None:
        # A screen coming back from a dialog refocuses the last focused widget: not this line
        # once it is closed, or the next keys would be typed into it.
        if not self.has_class("-shown"):
            self.screen.set_focus(None)
