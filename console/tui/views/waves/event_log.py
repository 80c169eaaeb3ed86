"""The event log pane: the latest events of the gig, newest first, like ``tail -f``."""

from __future__ import annotations

from typing import Any, NamedTuple

from textual.reactive import reactive

from console.give_way import paced
from console.monitor.events import MonitorEvent
from console.monitor.model import LOG_LIMIT
from console.tui.views.waves.built_table import BuiltTable
from console.tui.views.waves.rows import EVENT_COLUMNS, event_row
from console.tui.widgets.virtual_table import Row

# The events logged since the history (re)started, and the latest of them (oldest first).
Log = tuple[int, tuple[MonitorEvent, ...]]


class LogRows(NamedTuple):
    seen: int  # events logged when these rows were made
    rows: tuple[Row, ...]  # oldest first, at most LOG_LIMIT


class Swap(NamedTuple):
    base: LogRows
    added: list[Row]
    dropped: list[str]
    restart: bool  # the history started over (a replay went back): every row replaced


class EventLog(BuiltTable[Log, LogRows]):
    # No repaint of its own: the rows it builds repaint the table when they are swapped in.
    log: reactive[Log] = reactive((0, ()), init=False, repaint=False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(EVENT_COLUMNS, base=LogRows(0, ()), follow=True, **kwargs)

    def on_mount(self) -> None:
        self.sort_by("at", reverse=True)

    def start_over(self) -> None:
        self.set_reactive(EventLog.log, (0, ()))
        self.reset(LogRows(0, ()))

    def watch_log(self, log: Log) -> None:
        self.build_from(log)

    def build(self, base: LogRows, data: Log) -> Swap:
        """Rows for the events logged since ``base`` only (numbered in the order logged)."""
        appended, events = data
        restart = appended < base.seen
        kept = () if restart else base.rows
        fresh = min(appended - (0 if restart else base.seen), len(events))
        first = appended - fresh
        new = [event_row(first + i, e) for i, e in paced(enumerate(events[len(events) - fresh:]))]
        rows = (kept + tuple(new))[-LOG_LIMIT:]
        dropped = [row.key for row in kept[:max(len(kept) + len(new) - LOG_LIMIT, 0)]]
        return Swap(LogRows(appended, rows), new[-len(rows):] if rows else [], dropped, restart)

    def changes(self, result: Swap) -> tuple[list[Row], list[str]] | None:
        return None if result.restart else (result.added, result.dropped)

    def base_of(self, result: Swap) -> LogRows:
        return result.base

    def rows_of(self, base: LogRows) -> tuple[Row, ...]:
        return base.rows

    def apply(self, result: Swap) -> None:
        if result.restart:
            self.set_rows(result.base.rows)
        else:
            self.update_rows(result.added, result.dropped)
