"""A table whose rows a thread builds from its data, then swaps in whole.

The build runs in a thread worker (``@work(thread=True)``) and never touches a widget: it posts
its result, and the table takes it on the event loop in one go. One build at a time: data that
comes during a build waits, and only the latest of it is built next (a build cut short by newer
data would never finish at the fastest speed). A build starts from the rows the table has
(``base``); a result whose base is no longer the table's (the gig changed, a selection mark was
redrawn meanwhile) is dropped and its data built again.

The thread also makes the table's whole content (:class:`TableState`: the rows in the table's
order, the filter applied, the index), placing the changed rows in the order of the previous
build, so the loop only swaps it in: shown at once, hidden when shown again (:class:`ShownOnly`).
A state made for another sort or filter than the table's (the operator changed it meanwhile)
is not swapped in: the changes are applied on the loop instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Generic, NamedTuple, TypeVar

from textual import work
from textual.message import Message
from textual.worker import get_current_worker

from console.tui.views.waves.shown import ShownOnly
from console.tui.widgets.keyed_table import (KeyedTable, TableState, placed, rows_changed,
                                             table_state)
from console.tui.widgets.virtual_table import Row, RowFilter, sorted_rows

Data = TypeVar("Data")
Base = TypeVar("Base")


class Order(NamedTuple):
    """What a build orders its rows by, and the rows of its base in that order when known (then
    only the changed rows are placed, rather than all of them sorted again)."""

    sort: tuple[str, bool]
    row_filter: RowFilter | None
    before: TableState | None


class RowsBuilt(Message, bubble=False):
    def __init__(self, generation: int, base: Any, data: Any, result: Any,
                 state: TableState | None) -> None:
        super().__init__()
        self.generation, self.base, self.data, self.result = generation, base, data, result
        self.state = state


class BuiltTable(ShownOnly, KeyedTable, Generic[Data, Base]):
    """Subclasses give :meth:`build` (runs in the thread), :meth:`take` and :meth:`apply` (on the
    loop), and hold their rows' state in ``self.base``, replaced (never changed in place) by
    :meth:`take`; :meth:`base_rows` are the rows of that model."""

    def __init__(self, *args: Any, base: Base, on_swapped: Callable[[], None] = lambda: None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.base: Base = base
        # Called as rows go in (their counts changed), in the same turn of the loop: what it
        # repaints (the tab counts) joins the rows' screen update; a message would land a turn
        # later, a second update at every frame.
        self._on_swapped = on_swapped
        self._next: Data | None = None
        self._building = False
        self._generation = 0  # bumped by reset: a build of before is dropped, not redone
        # The latest build's content, and the base it holds the rows of (shown or not).
        self._state: tuple[Base, TableState] | None = None

    def build_from(self, data: Data) -> None:
        """Build rows for ``data``: now, or after the build in flight."""
        self._next = data
        if not self._building:
            self._start()

    def reset(self, base: Base) -> None:
        """Start over (another gig): no rows, and nothing of before is built or taken."""
        self._generation += 1
        self._next = None
        self._state = None
        self.base = base
        self.set_rows(())

    @property
    def building(self) -> bool:
        return self._building

    def _start(self) -> None:
        data, self._next = self._next, None
        self._building = True
        self._build(self._generation, self.base, data, self._order_now())

    def _order_now(self) -> Order:
        """The sort and filter, and the base's rows in that order: the last build's content
        when it holds this base, else the widget's own when it is up to the base (its lists
        and dicts are replaced, never changed, once handed out)."""
        candidates = []
        if self._state is not None and self._state[0] is self.base:
            candidates.append(self._state[1])
        if not self._behind:
            candidates.append(TableState(self.sort, self._filter, self._order, self._rows,
                                         self._view, self._index))
        before = next((state for state in candidates if state.sort == self.sort), None)
        return Order(self.sort, self._filter, before)

    # A description of its own: Textual's default one is the repr of the arguments, 10,000
    # invitations each time, made on the event loop.
    @work(thread=True, exclusive=True, group="rows", description="rows")
    def _build(self, generation: int, base: Base, data: Data, order: Order) -> None:
        result = self.build(base, data)
        (column, reverse), before = order.sort, order.before
        index = [c.key for c in self.columns].index(column)
        changes = None if before is None else self.changes(result)
        if before is None or changes is None:
            rows = sorted_rows(self.rows_of(self.base_of(result)), index, reverse)
            by_key = None
        else:
            rows = placed(before.order, before.rows.get, changes[0], changes[1], index, reverse)
            by_key = rows_changed(before.rows, changes[0], changes[1])
        state = table_state(order.sort, order.row_filter, rows, by_key)
        if not get_current_worker().is_cancelled:
            self.post_message(RowsBuilt(generation, base, data, result, state))

    def on_rows_built(self, message: RowsBuilt) -> None:
        self._building = False
        current = message.generation == self._generation  # else another gig's rows
        if current and message.base is self.base:
            self.take(message.result)
            state = message.state
            # The content holds the model's rows unless take redrew marks (a new base).
            fresh = state is not None and self.base is self.base_of(message.result)
            self._state = (self.base, state) if fresh and state is not None else None
            if self.apply_now():
                if fresh and state is not None and self.fits(state):
                    self.swap(state)
                else:
                    self.apply(message.result)
                self._on_swapped()
        elif current and self._next is None:
            self._next = message.data  # built on rows the table no longer has: again
        if self._next is not None:
            self._start()

    def build(self, base: Base, data: Data) -> Any:
        """The new rows (in a thread: read ``base`` and ``data``, touch no widget)."""
        raise NotImplementedError

    def changes(self, result: Any) -> tuple[list[Row], list[str]] | None:
        """A build's changed (or new) rows and removed keys (in the thread too); None when it
        replaced every row."""
        raise NotImplementedError

    def take(self, result: Any) -> None:
        """Make a build's rows the new ``base`` (the model; the widget is :meth:`apply`'s)."""
        self.base = self.base_of(result)

    def base_of(self, result: Any) -> Base:
        """The model a build's result makes (in the thread too)."""
        raise NotImplementedError

    def rows_of(self, base: Base) -> Iterable[Row]:
        """Every row of a model (in the thread too)."""
        raise NotImplementedError

    def apply(self, result: Any) -> None:
        """Put a build's changes in the widget (shown, and up to the base before it)."""
        raise NotImplementedError

    def base_rows(self) -> Iterable[Row]:
        """Every row of the model, as :meth:`take` left it."""
        return self.rows_of(self.base)

    def apply_model(self) -> None:
        """Shown again: the latest build's content swapped in when it holds the model's rows in
        the table's sort and filter; else the rows the model has and the widget lacks (marks
        redrawn), and those it dropped, applied here."""
        if self._state is not None and self._state[0] is self.base and self.fits(self._state[1]):
            self.swap(self._state[1])
        else:
            rows = self._rows
            model = list(self.base_rows())
            keys = {row.key for row in model}
            self.update_rows([row for row in model if rows.get(row.key) is not row],
                             [key for key in rows if key not in keys])
        self._on_swapped()
