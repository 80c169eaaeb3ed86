"""The list keys of the wave monitor: they move, filter and sort whichever table shows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.widgets import Input

from console.tui.views.waves.filter import MonitorFilter
from console.tui.widgets.dialogs import ChoiceDialog
from console.tui.widgets.virtual_table import FilterError, VirtualTable


class TableKeys:
    """Mixed into the screen, which gives :meth:`current_table` (None on the chart)."""

    app: Any
    notify: Any
    query_one: Any
    current_table: Callable[[], VirtualTable | None]
    set_focus: Any
    filter_error: str | None
    _paint_status: Callable[[], None]
    _paint_tabs: Callable[[], None]

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

    # The filter line ---------------------------------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "wv-filter" or (table := self.current_table()) is None:
            return
        try:
            table.set_filter(event.value)
            self.filter_error = None
        except FilterError as exc:
            self.filter_error = str(exc)
        # The line stays open while empty (it is emptied when it opens on a table with no
        # filter); enter or escape closes it.
        event.input.set_class(self.filter_error is not None, "-error")
        self._paint_status()
        self._paint_tabs()

    def on_virtual_table_filter_dropped(self, message: VirtualTable.FilterDropped) -> None:
        self.filter_error = f"{message.text!r} removed: {message.reason}"
        self._paint_status()
        self._paint_tabs()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "wv-filter":
            event.input.remove_class("-shown")
            self.set_focus(None)
