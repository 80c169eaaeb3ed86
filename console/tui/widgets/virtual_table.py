"""A list that renders only the rows on screen, so 10,000 rows load and filter instantly.

Textual's DataTable measures every cell on insert (seconds for 10k rows); this widget keeps the
rows as plain tuples of strings, computes column widths with one pass of ``len``, and draws
each visible line on demand with the Line API. Rows are replaced by key, and the cursor stays on
its key when rows change, move or get filtered.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal, NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from console.give_way import paced
from console.tui import actions
from console.tui.widgets.quiet_size import QuietVirtualSize

if TYPE_CHECKING:
    import regex

GAP = 1  # spaces between columns
# What one filtering pass over the rows may take. The filter runs on the event loop at every
# key and every refresh; a regex that backtracks without end, such as ``(a|aa)+b``, would
# freeze the console, so past this it is refused (10,000 rows take a few ms).
FILTER_BUDGET = 0.25  # seconds


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int | None = None  # None: fit the widest cell, between min_width and max_width
    min_width: int = 4
    max_width: int = 60
    align: Literal["left", "right"] = "left"
    grow: bool = False  # takes the width left over on wide screens
    # When the grow column cannot show its widest cell, columns with a rank move past the
    # right edge (h/l scroll to them), lowest rank first, until it can.
    overflow_rank: int | None = None
    description: str = ""  # the column's name in full (the sort picker), default: the label

    @property
    def name(self) -> str:
        return self.description or self.label.capitalize()


class Row(NamedTuple):
    """One line of the table. A NamedTuple: 10,000 of them are built on every poll."""

    key: str
    cells: tuple[str, ...]
    sort_values: tuple[Any, ...]
    # column index -> tone (a component class suffix: "good", "warn", "bad", "muted", "accent")
    tones: Mapping[int, str]
    text: str  # what the filter searches: the cells as shown, space separated
    folded: str  # the text lower-cased, for plain-word filters

    @classmethod
    def of(cls, key: str, cells: tuple[str, ...], sort_values: tuple[Any, ...],
           tones: Mapping[int, str] | None = None) -> Row:
        text = " ".join(cells)
        return cls(key, cells, sort_values, tones or {}, text, text.lower())


class FilterError(ValueError):
    """The filter text is not a valid regular expression."""


class FilterTimeout(FilterError):
    """The filter's regex ran past FILTER_BUDGET on the rows."""


@dataclass(frozen=True)
class RowFilter:
    """A compiled, case-insensitive filter, run the cheapest way that keeps its meaning:
    plain words as a substring test on the lower-cased text; a regex without capitals as a
    case-sensitive regex on the lower-cased text (3-7x faster than re.IGNORECASE, and the same
    matches: lower-casing changes neither digits, spaces nor word characters); any other regex
    (capitals, e.g. ``\\D`` or ``\\S``) with re.IGNORECASE on the text as shown."""

    text: str
    inverted: bool
    literal: str | None  # the lower-cased words when the pattern has no regex syntax
    pattern: regex.Pattern[str] | None  # None for a literal: never compiled
    on_folded: bool  # ``pattern`` runs on Row.folded rather than Row.text

    def matches(self, row: Row) -> bool:
        return bool(self.select([row]))

    def select(self, rows: Sequence[Row]) -> list[Row]:
        """The rows that pass, in order. One tight loop per path: 10,000 rows per keystroke."""
        inverted = self.inverted
        if self.literal is not None:
            literal = self.literal
            return [r for r in paced(rows) if (literal in r.folded) != inverted]
        assert self.pattern is not None
        search, clock = self.pattern.search, time.monotonic
        deadline = clock() + FILTER_BUDGET
        try:
            # A negative timeout means none to the regex package: a spent budget is 0.
            if self.on_folded:
                return [r for r in rows if (search(r.folded, timeout=max(deadline - clock(), 0.0))
                                            is None) == inverted]
            return [r for r in rows if (search(r.text, timeout=max(deadline - clock(), 0.0))
                                        is None) == inverted]
        except TimeoutError:
            raise FilterTimeout(
                f"the regex ran longer than {FILTER_BUDGET * 1000:g} ms on {len(rows)} rows "
                f"and was not applied: simplify it (a nested repeat such as (a|aa)+ "
                f"backtracks without end)") from None

    def narrows(self, previous: RowFilter | None) -> bool:
        """True when every row this filter keeps was kept by ``previous`` (typing more letters
        of a plain word), so only the rows shown now need testing."""
        return (previous is not None and not self.inverted and not previous.inverted
                and self.literal is not None and previous.literal is not None
                and previous.literal in self.literal)


def compile_filter(text: str) -> RowFilter | None:
    """``text`` as a case-insensitive regex; a leading ``!`` inverts; None for no filter."""
    inverted = text.startswith("!")
    source = text[1:] if inverted else text
    if not source:
        return None
    on_folded = source == source.lower()
    if re.escape(source) == source.replace(" ", "\\ "):
        # Plain words: a substring test, no regex compiled. Both compiles cost ~5 ms for a
        # 3,000-character filter, on each of the 3,000 keys that typed it.
        return RowFilter(text, inverted, source.lower(), None, on_folded)
    import regex  # deferred: start-up does without it until a filter is typed

    try:
        # ``re`` says what is wrong the clearer; the ``regex`` package runs it, with a timeout.
        re.compile(source)
        pattern = regex.compile(source, 0 if on_folded else regex.IGNORECASE)
    except (re.error, regex.error) as exc:
        raise FilterError(f"not a valid regex at position {exc.pos}: {exc.msg}") from None
    return RowFilter(text, inverted, None, pattern, on_folded)


class VirtualTable(QuietVirtualSize, ScrollView, can_focus=True):
    """Rows keyed by id; a fixed header line; a cursor that follows its row's key."""

    BINDINGS: ClassVar = actions.bindings("list")

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "vtable--header",
        "vtable--sorted",
        "vtable--cursor",
        "vtable--good",
        "vtable--warn",
        "vtable--bad",
        "vtable--muted",
        "vtable--accent",
    }

    DEFAULT_CSS = """
    VirtualTable { height: 1fr; scrollbar-size-vertical: 1; }
    VirtualTable > .vtable--header { text-style: bold; color: $text-accent; }
    VirtualTable > .vtable--sorted { text-style: bold underline; color: $text-accent; }
    VirtualTable > .vtable--cursor { background: $block-cursor-blurred-background; }
    VirtualTable:focus > .vtable--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    VirtualTable > .vtable--good { color: $text-success; }
    VirtualTable > .vtable--warn { color: $text-warning; }
    VirtualTable > .vtable--bad { color: $text-error; }
    VirtualTable > .vtable--muted { color: $text-muted; }
    VirtualTable > .vtable--accent { color: $text-primary; }
    """

    class Selected(Message):
        """``enter`` on a row."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    class FilterDropped(Message):
        """A refresh made the filter run too long: it was removed, every row is shown."""

        def __init__(self, text: str, reason: str) -> None:
            super().__init__()
            self.text = text
            self.reason = reason

    class SortChanged(Message):
        def __init__(self, column: str, reverse: bool) -> None:
            super().__init__()
            self.column = column
            self.reverse = reverse

    cursor_key: reactive[str | None] = reactive(None, init=False, repaint=False)

    def __init__(self, columns: Sequence[Column], *, id: str | None = None,
                 follow: bool = False) -> None:
        super().__init__(id=id)
        self.columns = tuple(columns)
        # Like ``tail -f``: a cursor on the first (or last) row stays there as rows come in,
        # instead of staying on its row while newer ones push it out of sight.
        self.follow = follow
        self._rows: dict[str, Row] = {}
        self._order: list[Row] = []  # every row, sorted
        self._view: list[Row] = []  # the rows that pass the filter, sorted
        self._index: dict[str, int] = {}  # key -> position in _view
        self._cursor = 0
        self._widths: list[int] = [c.width or c.min_width for c in self.columns]
        self._display: list[int] = list(range(len(self.columns)))  # column indices, left to right
        self._moved: list[int] = []  # the columns past the right edge
        self.sort_column = self.columns[0].key
        self.sort_reverse = False
        self.filter_text = ""
        self._filter: RowFilter | None = None
        self._styles: dict[str, Style] = {}

    # Data ---------------------------------------------------------------------------------------
    @property
    def row_count(self) -> int:
        """Rows that pass the filter."""
        return len(self._view)

    @property
    def total_count(self) -> int:
        return len(self._rows)

    def visible_rows(self) -> list[Row]:
        """The filtered rows in their displayed order (what an export writes)."""
        return list(self._view)

    def row(self, key: str) -> Row | None:
        return self._rows.get(key)

    @property
    def cursor_row(self) -> Row | None:
        return self._view[self._cursor] if self._view else None

    def set_rows(self, rows: Iterable[Row]) -> None:
        """Replace every row; the cursor stays on its key if that row is still shown."""
        new = {row.key: row for row in rows}
        order_kept = new.keys() == self._rows.keys() and all(
            new[key].sort_values == old.sort_values for key, old in self._rows.items()
        )
        self._rows = new
        if order_kept:
            self._order = [new[row.key] for row in self._order]
        else:
            self._sort()
        self._measure()
        self._apply_filter()

    def set_filter(self, text: str) -> None:
        """Show only the rows whose visible text matches; raises FilterError on a bad regex
        or one that runs too long (the last filter then stays)."""
        previous, self._filter = self._filter, compile_filter(text)
        narrowing = self._filter is not None and self._filter.narrows(previous)
        try:
            self._apply_filter(self._view if narrowing else None, strict=True)
        except FilterTimeout:
            self._filter = previous
            raise
        self.filter_text = text

    def sort_by(self, column: str, reverse: bool | None = None) -> None:
        if column not in {c.key for c in self.columns}:
            raise KeyError(column)
        if reverse is None:
            reverse = not self.sort_reverse if column == self.sort_column else False
        self.sort_column, self.sort_reverse = column, reverse
        self._sort()
        self._apply_filter()
        self.post_message(self.SortChanged(column, reverse))

    def _sort(self, rows: Iterable[Row] | None = None) -> None:
        """Order ``rows`` (default: every row). Rows mostly in order already sort in about
        linear time: the sort finds the runs and merges them."""
        index = [c.key for c in self.columns].index(self.sort_column)
        self._order = sorted_rows(self._rows.values() if rows is None else rows, index,
                                  self.sort_reverse)

    def _apply_filter(self, candidates: list[Row] | None = None, strict: bool = False) -> None:
        """Recompute the shown rows from ``candidates`` (default: every row, in order). A
        filter that runs too long raises FilterTimeout when ``strict``, else it is dropped."""
        rows = self._order if candidates is None else candidates
        try:
            view = list(rows) if self._filter is None else self._filter.select(rows)
        except FilterTimeout as exc:
            if strict:
                raise
            # New or re-sorted rows made the filter too slow: show every row rather than
            # freeze or hide them, and say why.
            self.post_message(self.FilterDropped(self.filter_text, str(exc)))
            self._filter, self.filter_text = None, ""
            view = list(self._order)
        self._show_view(view)

    def _show_view(self, view: list[Row], index: dict[str, int] | None = None) -> None:
        """Show ``view`` (the filtered rows in order; ``index`` its keys' positions, when made
        already), the cursor on its key."""
        cursor_key = self.cursor_key
        on_first = self._cursor == 0
        on_last = not on_first and self._cursor == len(self._view) - 1
        self._view = view
        self._index = view_index(view) if index is None else index
        if self.follow and on_first:
            self._cursor = 0
        elif self.follow and on_last:
            self._cursor = max(len(self._view) - 1, 0)
        elif cursor_key in self._index:
            self._cursor = self._index[cursor_key]
        else:
            self._cursor = min(self._cursor, max(len(self._view) - 1, 0))
        self._sync_cursor_key()
        self._update_virtual_size()
        self._scroll_cursor_into_view()
        self.refresh()

    def _measure(self) -> None:
        """Column widths: fixed ones as given, the others fit their widest cell (one len() each)."""
        widths = []
        for i, column in enumerate(self.columns):
            if column.width is not None:
                widths.append(column.width)
                continue
            widest = max((_cells(row.cells[i]) for row in self._rows.values()), default=0)
            widths.append(max(column.min_width, len(column.label), min(widest, column.max_width)))
        self._natural = widths
        self._fit_to_width()

    def _fit_to_width(self) -> None:
        widths = list(getattr(self, "_natural", self._widths))
        room = self.scrollable_content_region.width
        shown = list(range(len(self.columns)))
        moved: list[int] = []

        def spare() -> int:
            return room - sum(widths[i] for i in shown) - GAP * (len(shown) - 1)

        grow = next((i for i, c in enumerate(self.columns) if c.grow), None)
        if grow is not None:
            ranked = sorted((c.overflow_rank, i) for i, c in enumerate(self.columns)
                            if c.overflow_rank is not None)
            for _, i in ranked:
                if room <= 0 or spare() >= 0:
                    break
                shown.remove(i)
                moved.append(i)
            column = self.columns[grow]
            # Grow into the room left over; on a screen still too narrow, give room back
            # (down to the minimum).
            widths[grow] = max(widths[grow] + spare(), column.min_width, len(column.label))
        self._widths = widths
        moved.sort()  # past the edge in their usual order
        self._display, self._moved = shown + moved, moved
        self._update_virtual_size()

    @property
    def beyond_edge(self) -> list[str]:
        """Labels of the columns moved past the right edge to give the grow column room."""
        return [self.columns[i].label for i in self._moved]

    def _update_virtual_size(self) -> None:
        # The row count changes at every frame while the clock runs: QuietVirtualSize tells
        # only the scrollbars, rather than laying out the whole screen again (4-5 ms each).
        width = sum(self._widths) + GAP * (len(self._widths) - 1)
        self.virtual_size = Size(width, len(self._view) + 1)

    def on_resize(self, event: events.Resize) -> None:
        self._fit_to_width()
        self._scroll_cursor_into_view()

    # Cursor -------------------------------------------------------------------------------------
    def _sync_cursor_key(self) -> None:
        self.cursor_key = self._view[self._cursor].key if self._view else None

    def move_cursor_to(self, key: str) -> bool:
        if key not in self._index:
            return False
        self._set_cursor(self._index[key])
        return True

    def _set_cursor(self, index: int) -> None:
        if not self._view:
            return
        old = self._cursor
        self._cursor = max(0, min(index, len(self._view) - 1))
        self._sync_cursor_key()
        self._scroll_cursor_into_view()
        self._refresh_row(old)
        self._refresh_row(self._cursor)

    @property
    def _page(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    def _scroll_cursor_into_view(self) -> None:
        top = int(self.scroll_y)
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False, immediate=True)
        elif self._cursor >= top + self._page:
            self.scroll_to(y=self._cursor - self._page + 1, animate=False, immediate=True)

    def _refresh_row(self, index: int) -> None:
        y = index - int(self.scroll_y) + 1
        if 1 <= y < self.size.height:
            self.refresh_line(y)

    def action_cursor_down(self) -> None:
        self._set_cursor(self._cursor + 1)

    def action_cursor_up(self) -> None:
        self._set_cursor(self._cursor - 1)

    def action_cursor_top(self) -> None:
        self._set_cursor(0)

    def action_cursor_bottom(self) -> None:
        self._set_cursor(len(self._view) - 1)

    def action_page_down(self) -> None:
        self._set_cursor(self._cursor + self._page)

    def action_page_up(self) -> None:
        self._set_cursor(self._cursor - self._page)

    def action_scroll_columns(self, delta: int) -> None:
        self.scroll_to(x=self.scroll_x + delta, animate=False)

    def key_enter(self) -> None:
        if self.cursor_key is not None:
            self.post_message(self.Selected(self.cursor_key))

    # Mouse --------------------------------------------------------------------------------------
    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            column = self._column_at(event.x + int(self.scroll_x))
            if column is not None:
                self.sort_by(column)
            return
        index = int(self.scroll_y) + event.y - 1
        if 0 <= index < len(self._view):
            self._set_cursor(index)
            if event.chain == 2 and self.cursor_key is not None:
                self.post_message(self.Selected(self.cursor_key))

    def _column_at(self, x: int) -> str | None:
        left = 0
        for i in self._display:
            width = self._widths[i]
            if left <= x < left + width + GAP:
                return self.columns[i].key
            left += width + GAP
        return None

    # Rendering ----------------------------------------------------------------------------------
    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()

    def watch_has_focus(self, has_focus: bool) -> None:
        self._styles.clear()  # the cursor looks different with focus
        super().watch_has_focus(has_focus)

    def _style(self, name: str) -> Style:
        """Component styles, computed once per theme/focus change rather than once per cell."""
        style = self._styles.get(name)
        if style is None:
            base = self.rich_style
            style = base if name == "base" else base + self.get_component_rich_style(name)
            self._styles[name] = style
        return style

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        scroll_x = int(self.scroll_x)
        base = self._style("base")
        if y == 0:
            strip = self._header_strip(base)
        else:
            index = int(self.scroll_y) + y - 1
            if index >= len(self._view):
                return Strip.blank(width, base)
            strip = self._row_strip(self._view[index], index == self._cursor, base)
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def _header_strip(self, base: Style) -> Strip:
        header = self._style("vtable--header")
        sorted_style = self._style("vtable--sorted")
        segments = []
        for i in self._display:
            column, width = self.columns[i], self._widths[i]
            gap = " " * GAP
            label, style = column.label, header
            if column.key == self.sort_column:
                style = sorted_style
                arrow = "▼" if self.sort_reverse else "▲"
                # The arrow follows the label, in the gap when the label fills the column.
                if len(label) < width:
                    label = f"{label}{arrow}"
                else:
                    gap = arrow + gap[1:]
            segments.append(Segment(_fit(label, width, column.align), style))
            segments.append(Segment(gap, style if gap.strip() else header))
        return Strip(segments[:-1])

    def _row_strip(self, row: Row, is_cursor: bool, base: Style) -> Strip:
        style = self._style("vtable--cursor") if is_cursor else base
        segments = []
        for i in self._display:
            column, width = self.columns[i], self._widths[i]
            tone = row.tones.get(i)
            cell_style = style
            if tone and not is_cursor:
                cell_style = self._style(f"vtable--{tone}")
            segments.append(Segment(_fit(row.cells[i], width, column.align), cell_style))
            segments.append(Segment(" " * GAP, style))
        return Strip(segments[:-1])


def sorted_rows(rows: Iterable[Row], index: int, reverse: bool) -> list[Row]:
    """``rows`` in a table's order by column ``index`` (pure: a thread may call it). Rows with an
    empty sort value (None) go last whatever the direction."""
    rows = list(rows)
    present = [r for r in paced(rows) if r.sort_values[index] is not None]
    absent = [r for r in paced(rows) if r.sort_values[index] is None]
    present.sort(key=lambda r: (r.sort_values[index], r.key), reverse=reverse)
    absent.sort(key=lambda r: r.key)
    return present + absent


def view_index(view: Sequence[Row]) -> dict[str, int]:
    """Each shown row's key and its position (pure: a thread may call it)."""
    return {row.key: i for i, row in paced(enumerate(view))}


def sorts_before(a: Row, b: Row, index: int, reverse: bool) -> bool:
    """True when ``a`` comes before ``b`` in the order :func:`sorted_rows` makes."""
    first, second = a.sort_values[index], b.sort_values[index]
    if first is None or second is None:  # empty values last, by key, whatever the direction
        return a.key < b.key if first is None and second is None else second is None
    if reverse:
        return (second, b.key) < (first, a.key)
    return (first, a.key) < (second, b.key)


def _cells(text: str) -> int:
    return len(text) if text.isascii() else cell_len(text)


def _fit(text: str, width: int, align: str) -> str:
    if not text.isascii():
        # Wide characters (CJK, emoji) take two cells: measure and cut by cells, not characters.
        if cell_len(text) > width:
            return set_cell_size(text, max(width - 1, 0)) + "…" if width else ""
        return set_cell_size(text, width) if align == "left" else " " * (width - cell_len(text)) + text
    if len(text) > width:
        return text[: max(width - 1, 0)] + "…" if width else ""
    return text.rjust(width) if align == "right" else text.ljust(width)
