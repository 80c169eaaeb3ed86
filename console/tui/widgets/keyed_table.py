"""A VirtualTable that takes changed rows only: 10,000 invitations change a few hundred at a
time, and re-sorting, re-measuring and re-filtering all of them on every repaint would hold the
console for a tenth of a second. Columns have fixed widths, so no row is measured; a changed row
that moves in the sort column (or a new one) is put in its place by binary search, and all the
rows are sorted again only when many of them move at once."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import NamedTuple

from console.give_way import paced
from console.tui.widgets.virtual_table import (FilterTimeout, Row, RowFilter, VirtualTable,
                                               sorted_rows, sorts_before, view_index)

# Above this share of the rows moving at once, one sort is cheaper than placing each (measured
# on 10,000 rows: 900 placements or one sort, about 21 ms either way).
RESORT_SHARE = 0.1


class TableState(NamedTuple):
    """A table's whole content, made off the loop for :meth:`KeyedTable.swap`: every row in the
    order of ``sort`` (column, reverse) and by key, and the rows ``row_filter`` passes with their
    positions. Never changed once made (a thread may still read it)."""

    sort: tuple[str, bool]
    row_filter: RowFilter | None
    order: list[Row]
    rows: dict[str, Row]
    view: list[Row]
    index: dict[str, int]


def table_state(sort: tuple[str, bool], row_filter: RowFilter | None, order: list[Row],
                rows: dict[str, Row] | None = None) -> TableState | None:
    """The state of a table showing ``order`` (pure: a thread may call it), ``rows`` its rows by
    key when made already; None when the filter ran past its budget (the table drops it on the
    loop, saying so). Unfiltered, the view is ``order`` itself: neither is changed in place."""
    try:
        view = order if row_filter is None else row_filter.select(order)
    except FilterTimeout:
        return None
    if rows is None:
        rows = {row.key: row for row in paced(order)}
    return TableState(sort, row_filter, order, rows, view, view_index(view))


def rows_changed(rows: dict[str, Row], changed: Iterable[Row],
                 removed: Collection[str]) -> dict[str, Row]:
    """A new dict of ``rows`` with the ``changed`` rows in and the ``removed`` keys out."""
    rows = dict(rows)
    for key in removed:
        rows.pop(key, None)
    for row in paced(changed):
        rows[row.key] = row
    return rows


class KeyedTable(VirtualTable):
    def update_rows(self, changed: Iterable[Row], removed: Collection[str] = ()) -> None:
        index = [c.key for c in self.columns].index(self.sort_column)
        changed = list(changed)
        self._order = placed(self._order, self._rows.get, changed, removed, index,
                             self.sort_reverse)
        # A new dict, not this one changed: a build thread may be reading the one it had.
        self._rows = rows_changed(self._rows, changed, removed)
        self._apply_filter()

    @property
    def sort(self) -> tuple[str, bool]:
        return self.sort_column, self.sort_reverse

    def fits(self, state: TableState) -> bool:
        """Whether ``state`` was made for the table's sort and filter as they are now."""
        return state.sort == self.sort and state.row_filter is self._filter

    def swap(self, state: TableState) -> None:
        """Show ``state`` in place of every row (one that :meth:`fits`): no sort, filter or
        index on the loop, the cursor kept on its key."""
        self._order, self._rows = state.order, state.rows
        self._show_view(state.view, state.index)


def placed(order: list[Row], old: Callable[[str], Row | None], changed: Iterable[Row],
           removed: Collection[str], index: int, reverse: bool) -> list[Row]:
    """``order`` (rows sorted by column ``index``, as :func:`sorted_rows` sorts them) once the
    ``changed`` rows replaced or joined it and the ``removed`` keys left it; ``old(key)`` is a
    key's row in ``order``. A changed row whose sort value stayed takes its old row's place; the
    others (and new ones) are placed by binary search, or merged in by one sort when many move.
    A new list: ``order`` is not touched (a thread may be reading it, or call this itself)."""
    latest = {row.key: row for row in changed}  # the last change of a key wins
    gone = set(removed)
    moved = []
    for key, row in paced(latest.items()):
        before = None if key in gone else old(key)
        if before is None or before.sort_values[index] != row.sort_values[index]:
            moved.append(row)
    gone.update(row.key for row in moved)
    kept = [latest.get(row.key, row) for row in paced(order) if row.key not in gone]
    if len(moved) > RESORT_SHARE * (len(kept) + len(moved)):
        # The kept rows are in order: the sort merges the moved ones into them.
        return sorted_rows(kept + moved, index, reverse)
    for row in moved:  # a few rows, each put in its place
        kept.insert(_position(kept, row, index, reverse), row)
    return kept


def _position(order: list[Row], row: Row, index: int, reverse: bool) -> int:
    """Where ``row`` goes in ``order`` (after its equals: keys are unique)."""
    low, high = 0, len(order)
    while low < high:
        middle = (low + high) // 2
        if sorts_before(row, order[middle], index, reverse):
            high = middle
        else:
            low = middle + 1
    return low
