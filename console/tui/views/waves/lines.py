"""The two lines of the wave monitor that are the screen's own: the pane tabs (with the shown
table's counts) and the status line (clock, replay frame, polling, filter error)."""

from __future__ import annotations

import time
from typing import Any

from rich.markup import escape

from console.monitor import speeds
from console.plural import plural
from console.tui import format as fmt
from console.tui.widgets.fitted import Fitted
from console.tui.widgets.virtual_table import VirtualTable
from console.tui.widgets.wrapped import Wrapped

PANES = ("waves", "chart", "invitations", "events")
PANE_KEYS = {"waves": "w", "chart": "c", "invitations": "i", "events": "e"}


class MonitorLines:
    """Mixed into the screen, which gives what these lines say."""

    cirro: Any
    backend: Any
    gig_id: str | None
    pane: str
    selected: set[str]
    poll_clock: Any
    overview: VirtualTable
    tabs: Fitted
    filter_error: str | None
    query_one: Any
    current_table: Any

    # Lines ----------------------------------------------------------------------------------------
    def _paint_tabs(self) -> None:
        # Not attached: the app is closing, the panes went first (a build may still report).
        if self.gig_id is None or not self.tabs.is_attached:
            return
        counts, quoted = [], []
        if (table := self.current_table()) is not None:
            counts.append(f"{table.row_count}/{plural(table.total_count, 'row')}")
            if table.filter_text:
                quoted.append(escape(fmt.quoted_filter(table.filter_text)))
        if self.pane == "invitations":
            counts.append(f"{len(self.selected)} selected")
        shown = f"[reverse]{PANE_KEYS[self.pane]} {self.pane}[/reverse]"
        full = [shown if p == self.pane else f"{PANE_KEYS[p]} {p}" for p in PANES]
        # Narrow (60 columns), the other panes by their keys alone, then without the filter.
        short = [shown if p == self.pane else PANE_KEYS[p] for p in PANES]
        self.tabs.show("  ".join(full + counts + quoted), "  ".join(short + counts + quoted),
                       "  ".join(short + counts))

    def _paint_status(self) -> None:
        parts = []
        clock, sim = self.cirro.clock, self.backend.simulation
        if sim is not None and (rewind := sim.rewind) is not None:
            frame, last = rewind.position
            parts.append(f"replay frame {frame}/{last}")
        if clock is not None:
            parts.append("paused (p)" if clock.paused else f"running {speeds.label(clock.speed)}")
        if self.poll_clock is not None:
            status = self.poll_clock.status(time.monotonic())
            parts.append(f"{status.describe()} · polls every {status.interval:g} s (u)")
        if self.gig_id is None:
            parts.append(f"{plural(self.overview.total_count, 'live gig')} · enter watches one")
        if self.filter_error:
            parts.append(f"filter error: {self.filter_error}")
        self.query_one("#wv-status", Wrapped).show(*parts)
