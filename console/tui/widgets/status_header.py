"""The header line: context, simulated time and speed, and the connection state."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widget import Widget

from console.monitor import speeds
from console.tui import format as fmt

if TYPE_CHECKING:
    from console.tui.app import CirroApp

# Data older than this many poll intervals is called stale.
STALE_AFTER_POLLS = 3
COMPACT_LEVELS = 4


class StatusHeader(Widget):
    DEFAULT_CSS = """
    StatusHeader { dock: top; height: 1; background: $panel; color: $foreground; }
    """

    def __init__(self, title: str) -> None:
        super().__init__()
        self.view_title = title

    @property
    def cirro(self) -> CirroApp:
        return self.app  # type: ignore[return-value]

    def on_mount(self) -> None:
        self.watch(self.app, "status_version", lambda _: self.refresh(), init=False)
        self.set_interval(1.0, self.refresh)

    def render(self) -> Text:
        # Cut, the line loses the connection state first (at 60 columns, "ago").
        for compact in range(COMPACT_LEVELS):
            text = self._line(compact)
            if text.cell_len <= self.size.width:
                break
        return text

    def _line(self, compact: int) -> Text:
        """The header; from ``compact`` 1, without the year and the context's kind where it
        repeats its name; from 2, without the kind; from 3, an error in a few words (the
        notification and the status line give it whole)."""
        app = self.cirro
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f" {self.view_title} ", style="bold reverse")
        text.append(f" {app.context_name}", style="bold")
        if not compact or (compact == 1 and app.context_kind != app.context_name):
            text.append(f" ({app.context_kind})")
        if app.read_only:
            text.append(" RO", style="bold")
        text.append(" │ ")
        snapshot = app.snapshot
        cut = slice(5, 16) if compact else slice(0, 16)
        if snapshot is not None:
            sim = "sim " if app.clock is not None else ""
            text.append(sim + fmt.full_timestamp(snapshot.now)[cut])
        elif app.summary is not None:  # the gigs as saved, shown while the simulation opens
            text.append(f"sim {fmt.full_timestamp(app.summary.now)[cut]} saved")
        if app.clock is not None:
            state = "paused" if app.clock.paused else speeds.label(app.clock.speed)
            text.append(f" {state}")
        text.append(" │ ")
        text.append_text(self._connection(app, short=compact >= 3))
        return text

    def _connection(self, app: CirroApp, short: bool) -> Text:
        state = app.connection
        if app.loading is not None:
            return Text("○ opening")
        if state.error is not None:
            return Text(f"● {state.short if short else state.error}", style="bold")
        if state.last_ok is None:
            return Text("○ connecting")
        age = time.monotonic() - state.last_ok
        # Only polled data goes stale: a simulation (or a replay) pushes each change, so its
        # last frame is current however old (a paused one sends none).
        if app.clock is None and age > app.poll_interval * STALE_AFTER_POLLS + 1:
            return Text(f"◐ stale {fmt.duration(int(age))}", style="bold")
        return Text(f"● {fmt.duration(int(age))} ago")
