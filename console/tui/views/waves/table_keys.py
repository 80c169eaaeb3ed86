"""The list keys of the wave monitor: they move, filter and sort whichever table shows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from console.tui.views.waves.filter import MonitorFilter
from console.tui.widgets.dialogs import ChoiceDialog
from console.tui.widgets.virtual_table import VirtualTable


class TableKeys:
    """Mixed into the screen, which gives :meth:`current_table` (None on the chart)."""

    app: Any
    notify: Any
    query_one: Any
    current_table: Callable[[], VirtualTable | None]

    def _on_table(self, action: str, *args: int) -> None:
        if (table := self.current_table()) is not None:
            getattr(table, f"action_{action}")(*args)

    def action_cursor_down(self) -> None:
        self._on_table("cursor_down")

    def action_cursor_up(self) -> None:
        self._on_table("cursor_up")

    def action_cursor_top(self) -> None:
        self._on_table("cursor_top")

    def action_cursor_bottom(self) -> None:
        self._on_table("cursor_bottom")

    def action_page_down(self) -> None:
        self._on_table("page_down")

    def action_page_up(self) -> None:
        self._on_table("page_up")

    def action_scroll_columns(self, delta: int) -> None:
        self._on_table("scroll_columns", delta)

    def action_filter(self) -> None:
        table = self.current_table()
        if table is None:
            self.notify("The chart has nothing to filter", severity="warning")
            return
        box = self.query_one(MonitorFilter)
        box.value = table.filter_text
        box.add_class("-shown")
        box.focus()

    def action_pick_sort(self) -> None:
        table = self.current_table()
        if table is None:
            return
        choices = [(c.key, c.label.title()) for c in table.columns]

        def chosen(column: str | None) -> None:
            if column is not None:
                table.sort_by(column, reverse=False)

        self.app.push_screen(ChoiceDialog("Sort by", choices, table.sort_column), chosen)

    def action_reverse_sort(self) -> None:
        if (table := self.current_table()) is not None:
            table.sort_by(table.sort_column, not table.sort_reverse)
