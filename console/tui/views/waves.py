"""View 3: the wave monitor. All live gigs, then one gig: seats gauge, counts, countdown, wave
table, chart, invitations and event log; with the simulation (or a replay) at the operator's hands.

Local and replay contexts refresh after every poll of the app (which moves their clock); a remote
context polls the open gig on its own schedule, since listing every invitation is the heavy call.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections import deque
from collections.abc import Awaitable
from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import ContentSwitcher, Input, Static

from console.backends.controls import Rewind, SimulationControls
from console.backends.errors import BackendError
from console.models import Gig, GigInvitation, GigPhase, InvitationAction
from console.monitor import speeds
from console.monitor.chart import BandPoint, ChartSpec, render_chart
from console.monitor.feed import feed_events
from console.monitor.gauge import render_gauge
from console.monitor.glyphs import Line, Run
from console.monitor.model import LOG_LIMIT, GigMonitor, waves_per_hour
from console.monitor.poller import PollClock, PollLoop, next_interval
from console.monitor.snapshot import Lister, lister_for, take_snapshot
from console.monitor.tuning import tuning_update
from console.plural import plural
from console.tui import actions
from console.tui import format as fmt
from console.tui.gig_form import update_changes
from console.tui.messages import Snapshot
from console.tui.views.base import ViewScreen
from console.tui.views.gigs import FilterInput
from console.tui.views.wave_rows import (
    EVENT_COLUMNS,
    INVITATION_COLUMNS,
    OVERVIEW_COLUMNS,
    WAVE_COLUMNS,
    event_row,
    invitation_row,
    overview_row,
    wave_row,
)
from console.tui.widgets.dialogs import ChoiceDialog, PromptDialog
from console.tui.widgets.forecast_line import ForecastLine
from console.tui.widgets.keyed_table import KeyedTable
from console.tui.widgets.runs import RunsView
from console.tui.widgets.tuning_dialog import TuningDialog
from console.tui.widgets.virtual_table import FilterError, Row, VirtualTable
from console.tui.widgets.wrapped import Wrapped
from console.waves import SimSettings

PANES = ("waves", "chart", "invitations", "events")
PANE_KEYS = {"waves": "w", "chart": "c", "invitations": "i", "events": "e"}
CHART_HEIGHT_MIN = 3
LIVE_PHASES = (GigPhase.SCHEDULED, GigPhase.LIVE)
# At the fastest speed: seconds between two readings of the open gig, and between two repaints
# of the big tables (the lines above them repaint at every reading).
FASTEST_REFRESH = 0.5
HEAVY_REPAINT = 1.0
# Between two pauses (a few ms of work, so that a key waits little behind them): invitation or
# event rows built, or unchanged invitations passed over (an identity test each).
ROWS_PER_CHUNK = 200
SCAN_PER_CHUNK = 2000
ACTION_VERBS = {"accept": "Accept", "reject": "Reject", "expire": "Expire", "reset": "Reset"}


def ascii_terminal() -> bool:
    """Plain ASCII when the terminal cannot be trusted with Unicode (or the user asks for it)."""
    if os.environ.get("CIRRO_CONSOLE_ASCII"):
        return True
    encoding = (getattr(sys.__stdout__, "encoding", None) or "").lower()
    return bool(encoding) and not encoding.startswith("utf")


class MonitorFilter(FilterInput):
    """The ``/`` line of this view: escape clears it and goes back to the table it filters."""

    def action_clear_filter(self) -> None:
        self.value = ""
        self.remove_class("-shown")
        self.screen.set_focus(None)

    def on_focus(self) -> None:
        # A screen coming back from a dialog refocuses the last focused widget: not this line
        # once it is closed, or the next keys would be typed into it.
        if not self.has_class("-shown"):
            self.screen.set_focus(None)


class WavesScreen(ViewScreen):
    VIEW_TITLE = "3 Waves"
    SCOPES = frozenset({"waves", "list"})
    # The list keys are the screen's own and move the visible table: no table ever takes the
    # focus, so switching panes changes no focus (which would rebuild the footer each time).
    BINDINGS: ClassVar = actions.bindings("waves") + actions.bindings("list")
    DEFAULT_CSS = """
    WavesScreen #wv-mode { height: 1fr; }
    WavesScreen #wv-detail { height: 1fr; }
    WavesScreen #wv-title { width: 100%; text-style: bold; padding: 0 1; }
    WavesScreen #wv-counts { height: 1; width: 100%; padding: 0 1; }
    WavesScreen #wv-gauge { height: 1; padding: 0 1; }
    WavesScreen #wv-forecast { height: 1; width: 100%; padding: 0 1; color: $text-muted; }
    WavesScreen #wv-tabs { height: 1; width: 100%; padding: 0 1; color: $text-muted; }
    WavesScreen #wv-panes { height: 1fr; }
    WavesScreen #wv-chart { height: 1fr; padding: 0 1; }
    WavesScreen #wv-status { width: 100%; background: $panel; color: $text-muted; padding: 0 1; }
    WavesScreen MonitorFilter { display: none; }
    WavesScreen MonitorFilter.-shown { display: block; }
    WavesScreen MonitorFilter.-error { color: $text-error; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.gig_id: str | None = None
        self.monitor: GigMonitor | None = None
        self.pane = "waves"
        self.selected: set[str] = set()
        self.ascii_only = ascii_terminal()
        self.filter_error: str | None = None
        self.rates: dict[str, int] = {}
        self.poll_clock: PollClock | None = None
        self._poll_loop: PollLoop | None = None
        self._invitation_rows: dict[str, Row] = {}
        self._invitations_shown: dict[str, GigInvitation] = {}
        # Rows built since the invitations table last took them, and the keys it must drop.
        self._invitations_new: dict[str, Row] = {}
        self._invitations_dropped: set[str] = set()
        self._invitations_building = False
        self._invitations_stale = False
        self._feed_seq = 0
        self._lister: Lister | None = None
        self._event_rows: deque[Row] = deque(maxlen=LOG_LIMIT)
        self._events_seen = 0
        # Rows made since the log table last took them, and the keys it must drop.
        self._events_new: list[Row] = []
        self._events_dropped: list[str] = []
        self._events_reset = False
        self._painted_version = -1
        self._chart_version = -1  # the monitor version the chart last drew
        self._lines: dict[str, str] = {}
        self._refreshed = 0.0
        self._pane_painted = 0.0
        self._pane_stale = False

    # Layout ---------------------------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        with ContentSwitcher(initial="wv-overview", id="wv-mode"):
            yield VirtualTable(OVERVIEW_COLUMNS, id="wv-overview")
            with Vertical(id="wv-detail"):
                yield Wrapped(id="wv-title")
                yield Static(id="wv-counts")
                yield RunsView(self._draw_gauge, id="wv-gauge")
                yield ForecastLine(id="wv-forecast")
                yield Static(id="wv-tabs")
                with ContentSwitcher(initial="wv-waves", id="wv-panes"):
                    yield VirtualTable(WAVE_COLUMNS, id="wv-waves")
                    yield RunsView(self._draw_chart, id="wv-chart")
                    yield KeyedTable(INVITATION_COLUMNS, id="wv-invitations")
                    yield KeyedTable(EVENT_COLUMNS, id="wv-events", follow=True)
        yield MonitorFilter(placeholder="filter: regex over the row text, leading ! excludes",
                            id="wv-filter")
        yield Wrapped(id="wv-status")

    def table(self, name: str) -> VirtualTable:
        return self.query_one(f"#wv-{name}", VirtualTable)

    @property
    def invitations_table(self) -> KeyedTable:
        return self.query_one("#wv-invitations", KeyedTable)

    @property
    def events_table(self) -> KeyedTable:
        return self.query_one("#wv-events", KeyedTable)

    def current_table(self) -> VirtualTable | None:
        if self.gig_id is None:
            return self.table("overview")
        return None if self.pane == "chart" else self.table(self.pane)

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

    def on_mount(self) -> None:
        super().on_mount()
        for table in self.query(VirtualTable):
            table.can_focus = False
        self.table("events").sort_by("at", reverse=True)
        self.table("invitations").sort_by("user")
        self.set_interval(1.0, self._tick_status)
        # The app's clock keys (pause, speed) bump this; the status line says what they did.
        self.watch(self.app, "status_version", lambda _: self._paint_status(), init=False)
        self._paint_status()

    def on_unmount(self) -> None:
        self._stop_polling()

    @property
    def backend(self) -> Any:
        return self.cirro.backend

    @property
    def sim(self) -> SimulationControls | None:
        """The simulation's (or the replay's) controls; None on a remote context."""
        return self.backend.simulation

    @property
    def is_remote(self) -> bool:
        """Polled, with no clock of its own to move."""
        return self.backend.simulation is None

    # Data -----------------------------------------------------------------------------------------
    def on_snapshot(self, snapshot: Snapshot) -> None:
        live = [g for g in snapshot.gigs if g.phase(snapshot.now) in LIVE_PHASES]
        self.table("overview").set_rows(
            overview_row(g, snapshot.stats[g.id], snapshot.now, self.rates.get(g.id, 0))
            for g in live if g.id in snapshot.stats)
        if self.gig_id is None:
            self._measure_rates([g.id for g in live], snapshot.now)
        elif not self.is_remote and self._refresh_due():
            self.refresh_detail()
        self._paint_status()

    def _clock_running(self) -> bool:
        clock = self.cirro.clock
        return clock is not None and not clock.paused

    def _refresh_due(self) -> bool:
        """At the fastest speed the app polls every frame; the monitor reads less often."""
        clock = self.cirro.clock
        if clock is not None and clock.fastest:
            if time.monotonic() - self._refreshed < FASTEST_REFRESH:
                return False
        self._refreshed = time.monotonic()
        return True

    @work(exclusive=True, group="waves-rates")
    async def _measure_rates(self, gig_ids: list[str], now: int) -> None:
        rates = {}
        for gig_id in gig_ids:
            try:
                rates[gig_id] = waves_per_hour((w.at for w in await self.backend.waves(gig_id)), now)
            except BackendError:
                continue
        self.rates = rates

    @work(exclusive=True, group="waves-detail")
    async def refresh_detail(self) -> None:
        try:
            await self._load_detail()
        except BackendError as exc:
            self.notify(f"{exc}", title="Wave monitor", severity="error")

    async def _load_detail(self) -> None:
        """One reading of the open gig into the monitor, then a repaint of what changed. With
        the simulation's event feed the log comes from the feed, else from snapshot diffs."""
        gig_id, monitor = self.gig_id, self.monitor
        if gig_id is None or monitor is None:
            return
        sim = self.sim
        entries = await sim.events_since(self._feed_seq) if sim is not None else None
        feed, feed_seq = None, self._feed_seq
        if entries is not None:
            if entries:
                feed_seq = entries[-1]["seq"]
            elif monitor.snapshot is not None and monitor.snapshot.at == await self.backend.now():
                return  # a paused simulation: nothing happened, nothing to read
            feed = feed_events(entries, gig_id)
        snap = await take_snapshot(self.backend, gig_id, lister=self._lister)
        if self.gig_id != gig_id or self._torn_down():
            return  # the operator moved on while we read, or the console is closing
        # Taken only now: a reading cut short (a newer one cancels it) reads the same entries again.
        self._feed_seq = feed_seq
        monitor.update(snap, feed)
        self.selected &= set(monitor.invitations)
        await self._build_event_rows(monitor)
        if monitor is not self.monitor or self._torn_down():
            return
        self.paint_detail()

    def _torn_down(self) -> bool:
        """Closing, Textual marks the screen and its widgets as pruned, then removes the widgets
        (bottom up) before it cancels the screen's workers: a worker that wakes in between must
        not paint (it looked for a removed table and crashed the console on the way out).
        Textual has no public flag for this; these are the ones its own refresh checks."""
        return self._pruning or self._closing or self._closed

    def paint_detail(self) -> None:
        """Repaint the lines and the visible pane; a hidden pane is painted when it is shown."""
        monitor = self.monitor
        if monitor is None or monitor.snapshot is None or monitor.version == self._painted_version:
            return
        self._painted_version = monitor.version
        snap = monitor.snapshot
        gig, stats = snap.gig, snap.stats
        countdown = monitor.countdown()
        next_wave = ("no wave due" if countdown.seconds is None else
                     f"next wave in {fmt.duration(countdown.seconds)}")
        # Wrapped, never cut: a long title pushes the countdown to a second line.
        self.query_one("#wv-title", Wrapped).show(
            f"{gig.id} {gig.title}", gig.phase(snap.at).value,
            f"{gig.invitation_mode} x{gig.invitation_multiplier:g}/{gig.invitation_frequency:g}min",
            next_wave)
        self._set_line("wv-counts",
                       f"invited {stats.invited}  accepted {stats.accepted}  pending "
                       f"{stats.pending}  rejected {stats.rejected}  expired {stats.expired}  "
                       f"waves {stats.waves_sent}")
        self.query_one("#wv-gauge", RunsView).redraw()
        clock = self.cirro.clock
        self.query_one(ForecastLine).gig_changed(
            self.backend, snap, self.sim.settings if self.sim is not None else SimSettings(),
            getattr(self.cirro, "population_file", None),
            fastest=clock is not None and clock.fastest)
        if self.pane != "events":
            self._paint_events()  # a hidden table repaints nothing: showing it only swaps panes
        self._sync_invitation_rows()
        self._paint_pane(now=False)
        self._paint_tabs()

    def _paint_pane(self, now: bool = True) -> None:
        """Paint the visible pane. The two big tables (10,000 invitations, 5,000 events) repaint
        at most every HEAVY_REPAINT seconds while the clock runs, unless ``now``."""
        snap = self.monitor.snapshot if self.monitor is not None else None
        if snap is None:
            return
        if self.pane in ("invitations", "events") and not now and self._clock_running():
            if time.monotonic() - self._pane_painted < HEAVY_REPAINT:
                self._pane_stale = True
                return
        self._pane_painted = time.monotonic()
        self._pane_stale = False
        if self.pane == "waves":
            self.table("waves").set_rows(wave_row(w) for w in snap.waves)
        elif self.pane == "events":
            self._paint_events()
        elif self.pane == "invitations":
            self._paint_invitations()
        elif self._chart_version != self._painted_version:
            self._chart_version = self._painted_version
            self.query_one("#wv-chart", RunsView).redraw()

    async def _build_event_rows(self, monitor: GigMonitor) -> None:
        """Rows for the events logged since the last call, built at every reading whether or
        not the log shows, :data:`ROWS_PER_CHUNK` at a time (a fast run logs thousands of
        responses between two readings); a hidden table takes them at once, the shown one at
        its next repaint. Nothing is kept unless the whole build finishes."""
        appended, seen = monitor.appended, self._events_seen
        restart = appended < seen  # the history started over (a replay jump)
        if restart:
            seen = 0
        fresh = min(appended - seen, len(monitor.events))
        if not fresh and not restart:
            return
        first = appended - fresh
        events = list(monitor.events)[-fresh:] if fresh else []
        new: list[Row] = []
        for start in range(0, fresh, ROWS_PER_CHUNK):
            if start:
                await asyncio.sleep(0)
                if monitor is not self.monitor:
                    return
            new += [event_row(first + start + i, e)
                    for i, e in enumerate(events[start:start + ROWS_PER_CHUNK])]
        if restart:
            self._event_rows.clear()
            self._events_reset = True
            self._events_new, self._events_dropped = [], []
        overflow = max(len(self._event_rows) + len(new) - LOG_LIMIT, 0)
        self._events_dropped += [self._event_rows[i].key
                                 for i in range(min(overflow, len(self._event_rows)))]
        self._event_rows.extend(new)
        self._events_new += new
        self._events_seen = appended

    def _paint_events(self) -> None:
        table = self.events_table
        if self._events_reset:
            table.set_rows(self._event_rows)
        elif self._events_new or self._events_dropped:
            dropped = set(self._events_dropped)
            table.update_rows([r for r in self._events_new[-LOG_LIMIT:] if r.key not in dropped],
                              self._events_dropped)
        self._events_reset = False
        self._events_new, self._events_dropped = [], []

    def _paint_invitations(self) -> None:
        """Hand the table the rows built since it last took them (a few hundred at most, put
        in their places without a sort): showing the pane never builds rows itself."""
        if not self._invitations_new and not self._invitations_dropped:
            return
        self.invitations_table.update_rows(self._invitations_new.values(),
                                           self._invitations_dropped)
        self._invitations_new, self._invitations_dropped = {}, set()
        if self.pane == "invitations":
            self._paint_tabs()

    def _sync_invitation_rows(self) -> None:
        """Rebuild the rows of the invitations that changed, at every reading whether or not
        the pane shows. One build at a time, never cancelled: at the fastest speed readings come
        faster than a build of thousands of rows, and a build cut short would never reach the
        table. A reading during a build makes it go round once more."""
        self._invitations_stale = True
        if not self._invitations_building:
            self._invitations_building = True
            self.run_worker(self._build_invitation_rows(), group="waves-rows")

    async def _build_invitation_rows(self) -> None:
        try:
            while self._invitations_stale and self.monitor is not None:
                self._invitations_stale = False
                await self._build_invitation_rows_once(self.monitor)
        finally:
            self._invitations_building = False

    async def _build_invitation_rows_once(self, monitor: GigMonitor) -> None:
        """The rows of the invitations that changed only, a chunk at a time with the event loop
        free in between. A hidden table takes them at once (it repaints nothing), so showing it
        only swaps the pane; the shown one at its next repaint."""
        await asyncio.sleep(0)
        if monitor is not self.monitor:
            return
        current = monitor.invitations
        rows, shown = self._invitation_rows, self._invitations_shown
        for inv_id in [inv_id for inv_id in rows if inv_id not in current]:
            del rows[inv_id]
            shown.pop(inv_id, None)
            self._invitations_new.pop(inv_id, None)
            self._invitations_dropped.add(inv_id)
        new, dropped = self._invitations_new, self._invitations_dropped
        built = work = 0
        for inv_id, inv in current.items():
            if shown.get(inv_id) is not inv:
                rows[inv_id] = new[inv_id] = invitation_row(inv, self.selected)
                shown[inv_id] = inv
                dropped.discard(inv_id)
                built += 1
                work += SCAN_PER_CHUNK // ROWS_PER_CHUNK
            else:
                work += 1
            if work >= SCAN_PER_CHUNK:
                work = 0
                await asyncio.sleep(0)
                if monitor is not self.monitor:
                    return  # the operator opened another gig (or went back) meanwhile
                new, dropped = self._invitations_new, self._invitations_dropped
        if self._torn_down():
            return
        if self.pane != "invitations":
            self._paint_invitations()
        elif built:
            self._paint_pane(now=False)

    def _repaint_selection(self, inv_ids: set[str]) -> None:
        if self.monitor is None:
            return
        invitations = self.monitor.invitations
        for inv_id in inv_ids:
            if inv_id in invitations:
                self._invitation_rows[inv_id] = self._invitations_new[inv_id] = invitation_row(
                    invitations[inv_id], self.selected)
        self._paint_invitations()
        self._paint_tabs()

    # Drawing --------------------------------------------------------------------------------------
    def _draw_gauge(self, width: int, _height: int) -> list[Line]:
        seats = self.monitor.seats() if self.monitor is not None else None
        if seats is None:
            return [[Run("loading...", "label")]]
        return [render_gauge(seats, max(min(width // 3, 40), 8), self.ascii_only)]

    def _draw_chart(self, width: int, height: int) -> list[Line]:
        monitor = self.monitor
        if monitor is None or monitor.snapshot is None:
            return [[Run("loading...", "label")]]
        snap = monitor.snapshot
        samples = monitor.samples
        start = min(samples[0].at if samples else snap.at, snap.gig.start_at)
        forecast = self.query_one(ForecastLine).result
        band = [BandPoint(*p) for p in zip(forecast.band.times, forecast.band.low,
                                           forecast.band.high)] if forecast else []
        band = [p for p in band if p.at >= snap.at]
        spec = ChartSpec(width=width, height=max(height - 3, CHART_HEIGHT_MIN), start=start,
                         end=max(snap.at, start + 1, *(p.at for p in band[-1:])),
                         seats_min=snap.gig.seats_min, seats_max=snap.gig.seats_max,
                         ascii_only=self.ascii_only)
        return render_chart(samples, spec, band)

    def on_forecast_line_ready(self, _message: ForecastLine.Ready) -> None:
        self.query_one("#wv-chart", RunsView).redraw()

    def _paint_tabs(self) -> None:
        parts = []
        for pane in PANES:
            label = f"{PANE_KEYS[pane]} {pane}"
            parts.append(f"[reverse]{label}[/reverse]" if pane == self.pane else label)
        table = self.current_table()
        if table is not None:
            parts.append(f"{table.row_count}/{plural(table.total_count, 'row')}")
            if table.filter_text:
                parts.append(f"filter {table.filter_text!r}")
        if self.pane == "invitations":
            parts.append(f"{len(self.selected)} selected")
        self._set_line("wv-tabs", "  ".join(parts))

    def _tick_status(self) -> None:
        if self._pane_stale:
            self._paint_pane()
        self._paint_status()

    def _paint_status(self) -> None:
        parts = []
        clock = self.cirro.clock
        if self.sim is not None and (rewind := self.sim.rewind) is not None:
            frame, last = rewind.position
            parts.append(f"replay frame {frame}/{last}")
        if clock is not None:
            parts.append("paused (p)" if clock.paused else f"running {speeds.label(clock.speed)}")
        if self.poll_clock is not None:
            status = self.poll_clock.status(time.monotonic())
            parts.append(f"{status.describe()} · polls every {status.interval:g} s (u)")
        if self.gig_id is None:
            table = self.table("overview")
            parts.append(f"{plural(table.total_count, 'live gig')} · enter watches one")
        if self.filter_error:
            parts.append(f"filter error: {self.filter_error}")
        self.query_one("#wv-status", Wrapped).show(*parts)

    def _set_line(self, line_id: str, text: str) -> None:
        """Update a one-line widget only when its text changes, and without a layout pass (its
        size is fixed): at the fastest speed the app polls ten times a second."""
        if self._lines.get(line_id) != text:
            self._lines[line_id] = text
            self.query_one(f"#{line_id}", Static).update(text, layout=False)

    # Navigation -----------------------------------------------------------------------------------
    def on_virtual_table_selected(self, event: VirtualTable.Selected) -> None:
        if self.gig_id is None:  # enter on the overview; the detail's tables have no enter
            self.open(event.key)

    def action_open_gig(self) -> None:
        if self.gig_id is None and (key := self.table("overview").cursor_key) is not None:
            self.open(key)

    def open(self, gig_id: str) -> None:
        """Watch one gig (the overview's enter; also what tests call)."""
        self.gig_id = gig_id
        self.monitor = GigMonitor(gig_id)
        self.selected = set()
        self._feed_seq = 0
        self._lister = lister_for(self.backend)
        self._event_rows.clear()
        self._events_seen = 0
        self._events_new, self._events_dropped, self._events_reset = [], [], False
        self._invitation_rows, self._invitations_shown = {}, {}
        self._invitations_new, self._invitations_dropped = {}, set()
        self.invitations_table.set_rows(())
        self.events_table.set_rows(())
        self._painted_version = self._chart_version = -1
        self.query_one("#wv-mode", ContentSwitcher).current = "wv-detail"
        self.show_pane(self.pane)
        if self.is_remote:
            self._start_polling()
        else:
            self.refresh_detail()
        self._paint_status()

    def action_back(self) -> None:
        if self.gig_id is None:
            return
        self._stop_polling()
        self.gig_id = None
        self.monitor = None
        self.query_one("#wv-mode", ContentSwitcher).current = "wv-overview"
        self._paint_status()

    def action_show_pane(self, pane: str) -> None:
        if self.gig_id is None:
            self.notify("Open a gig first (enter)", severity="warning")
            return
        self.show_pane(pane)

    def show_pane(self, pane: str) -> None:
        self.pane = pane
        self.query_one("#wv-panes", ContentSwitcher).current = f"wv-{pane}"
        self._paint_pane()
        self._paint_tabs()

    # Filter and sort ------------------------------------------------------------------------------
    def action_filter(self) -> None:
        table = self.current_table()
        if table is None:
            self.notify("The chart has nothing to filter", severity="warning")
            return
        box = self.query_one(MonitorFilter)
        box.value = table.filter_text
        box.add_class("-shown")
        box.focus()

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
        if self.gig_id is not None:
            self._paint_tabs()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "wv-filter":
            event.input.remove_class("-shown")
            self.set_focus(None)

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

    # Clock ----------------------------------------------------------------------------------------
    def _need_sim(self, what: str) -> Any:
        sim = self.sim
        if sim is None:
            self.notify(f"{what}: only a simulation or a replay can do that", severity="warning")
        return sim

    def action_step(self) -> None:
        if (sim := self._need_sim("Step")) is not None:
            self._step(sim)

    @work(exclusive=True, group="waves-step")
    async def _step(self, sim: Any) -> None:
        try:
            at = await sim.step_to_next_wave()
        except BackendError as exc:
            self.notify(str(exc), severity="error")
            return
        if at is None:
            self.notify("Nothing left to happen: no further wave")
        self.cirro.poll_now()

    def _rewind(self, what: str) -> Rewind | None:
        rewind = self.sim.rewind if self.sim is not None else None
        if rewind is None:
            self.notify(f"{what} works on a replay only", severity="warning")
        return rewind

    def action_step_back(self) -> None:
        if (rewind := self._rewind("Stepping back")) is not None:
            self._move(rewind.step_back())

    @work(exclusive=True, group="waves-step")
    async def _move(self, move: Awaitable[object]) -> None:
        try:
            await move
        except ValueError as exc:
            self.notify(str(exc), severity="error")
            return
        self.cirro.poll_now()

    def action_jump(self) -> None:
        if (rewind := self._rewind("Jumping")) is None:
            return
        frame, last = rewind.position

        def chosen(text: str | None) -> None:
            if text:
                self._move(rewind.jump_to(text))

        self.app.push_screen(PromptDialog(
            f"Jump to (frame 1-{last}, HH:MM[:SS] or a percentage)", str(frame)), chosen)

    def action_wave_now(self) -> None:
        if self.gig_id is None:
            self.notify("Open a gig first (enter)", severity="warning")
            return
        sim = self._need_sim("Run a wave now")
        if sim is None or self.cirro.refuse_if_read_only("run a wave"):
            return
        gig_id = self.gig_id

        def done(wave: Any) -> None:
            self.notify("No candidate left: no wave sent" if wave is None
                        else f"Wave {wave.n} invited {plural(wave.invited, 'worker')}")

        self.cirro._confirm_then(f"Run a wave of gig {gig_id} now?",
                                 "Invites the next candidates at once, whatever the schedule.",
                                 lambda: sim.run_wave_now(gig_id), done)

    # Invitations ----------------------------------------------------------------------------------
    def _invitations_table(self) -> VirtualTable | None:
        if self.gig_id is None or self.pane != "invitations":
            self.notify("Open a gig's invitations first (enter, then i)", severity="warning")
            return None
        return self.table("invitations")

    def action_toggle_select(self) -> None:
        if (table := self._invitations_table()) is None or table.cursor_key is None:
            return
        key = table.cursor_key
        self.selected.symmetric_difference_update({key})
        self._repaint_selection({key})
        table.action_cursor_down()

    def action_select_all(self) -> None:
        if (table := self._invitations_table()) is None:
            return
        listed = {row.key for row in table.visible_rows()}
        changed = set(self.selected | listed)
        self.selected = set() if listed <= self.selected else self.selected | listed
        self._repaint_selection(changed)

    def action_respond(self, action: str) -> None:
        if self._invitations_table() is None:
            return
        if self.cirro.refuse_if_read_only(f"{action} invitations"):
            return
        invitations = self.monitor.invitations if self.monitor is not None else {}
        cursor_key = self.table("invitations").cursor_key
        targets = sorted(self.selected) or ([cursor_key] if cursor_key else [])
        if not targets:
            self.notify("Select invitations first (space, or * for all listed)", severity="warning")
            return
        verb = ACTION_VERBS[action]
        workers = ", ".join(invitations[i].user_id for i in targets[:5] if i in invitations)
        more = f" and {len(targets) - 5} more" if len(targets) > 5 else ""
        self.cirro._confirm_then(
            f"{verb} {len(targets)} invitation{'s' if len(targets) != 1 else ''}?",
            f"As the Space would: {workers}{more}",
            lambda: self._apply(InvitationAction(action), targets), self._applied)

    async def _apply(self, action: InvitationAction, targets: list[str]) -> tuple[int, list[str]]:
        """Every target in turn; one refusal (a 422) does not stop the others."""
        calls = {
            InvitationAction.ACCEPT: self.backend.accept_invitation,
            InvitationAction.REJECT: self.backend.reject_invitation,
            InvitationAction.EXPIRE: self.backend.expire_invitation,
            InvitationAction.RESET: self.backend.reset_invitation,
        }
        done, errors = 0, []
        for inv_id in targets:
            try:
                await calls[action](inv_id)
                done += 1
            except BackendError as exc:
                errors.append(str(exc))
        return done, errors

    def _applied(self, result: tuple[int, list[str]]) -> None:
        done, errors = result
        was_selected = set(self.selected)
        self.selected.clear()
        self._repaint_selection(was_selected)
        if errors:
            self.notify(f"{done} done, {len(errors)} refused: {errors[0]}", severity="warning",
                        timeout=8)
        else:
            self.notify(f"{plural(done, 'invitation')} updated")
        if self.is_remote:
            self.action_refresh_now()  # show what the server applied without waiting a poll

    # Tuning ---------------------------------------------------------------------------------------
    def action_tune(self) -> None:
        snap = self.monitor.snapshot if self.monitor is not None else None
        if snap is None:
            self.notify("Open a gig first (enter)", severity="warning")
            return
        if self.cirro.refuse_if_read_only("change the gig"):
            return
        self._ask_tuning(snap.gig)

    def _ask_tuning(self, gig: Gig, typed: dict[str, str] | None = None, error: str = "") -> None:
        def submitted(form: dict[str, str] | None) -> None:
            if form is not None:
                self._tune(gig, form)

        self.app.push_screen(TuningDialog(gig, typed, error), submitted)

    def _tune(self, gig: Gig, form: dict[str, str]) -> None:
        """Confirm the form (the dialog checked it reads); a "no" or a refusal by the backend
        goes back to the form with what was typed."""
        update = tuning_update(gig, form)
        if update is None:
            self.notify("Nothing changed")
            return
        changes = update_changes(gig, update)
        self.cirro._confirm_then(
            f"Change gig {gig.id}?", "\n".join([*changes, "(from the next tick)"]),
            lambda: self.backend.update_gig(gig.id, update),
            lambda g: self.notify(f"Gig {g.id} changed: {'; '.join(changes)}"),
            failed=lambda message: self._ask_tuning(gig, form, message),
            declined=lambda: self._ask_tuning(gig, form))

    # Polling (remote) -----------------------------------------------------------------------------
    def _start_polling(self) -> None:
        self._stop_polling()
        self.poll_clock = PollClock(self.cirro.poll_interval)
        self._poll_loop = PollLoop(self.poll_clock, self._load_detail, time.monotonic,
                                   after=self._paint_status)
        self.run_worker(self._poll_loop.run(), group="waves-poll", exclusive=True)

    def _stop_polling(self) -> None:
        if self._poll_loop is not None:
            self.workers.cancel_group(self, "waves-poll")
        self._poll_loop = None
        self.poll_clock = None

    def action_poll_interval(self) -> None:
        if self.poll_clock is None or self._poll_loop is None:
            self.notify("Only a remote gig is polled here; its clock drives the rest",
                        severity="warning")
            return
        interval = next_interval(self.poll_clock.interval)
        self.poll_clock.set_interval(interval, time.monotonic())
        self._poll_loop.wake()
        self.notify(f"Polling every {interval:g} s")
        self._paint_status()

    def action_refresh_now(self) -> None:
        if self.poll_clock is not None and self._poll_loop is not None:
            self.poll_clock.poll_now(time.monotonic())
            self._poll_loop.wake()
        else:
            self.cirro.poll_now()

    def action_toggle_ascii(self) -> None:
        self.ascii_only = not self.ascii_only
        self.query_one("#wv-gauge", RunsView).redraw()
        self.query_one("#wv-chart", RunsView).redraw()
        self.notify("ASCII charts" if self.ascii_only else "Unicode charts")

