"""A VirtualTable that takes changed rows only: 10,000 invitations change a few hundred at a
time, and re-sorting, re-measuring and re-filtering all of them on every repaint would hold the
console for a tenth of a second. Columns have fixed widths, so no row is measured; the rows are
re-sorted only when a changed row moves in the sort column."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from console.tui.widgets.virtual_table import Row, VirtualTable


class KeyedTable(VirtualTable):
    def update_rows(self, changed: Iterable[Row], removed: Collection[str] = ()) -> None:
        index = [c.key for c in self.columns].index(self.sort_column)
        resort = bool(removed)
        for key in removed:
            self._rows.pop(key, None)
        for row in changed:
            old = self._rows.get(row.key)
            if old is None or old.sort_values[index] != row.sort_values[index]:
                resort = True
            self._rows[row.key] = row
        if resort:
            self._sort()
        else:  # the same order, with the new rows in their places
            self._order = [self._rows[row.key] for row in self._order]
        self._apply_filter()
